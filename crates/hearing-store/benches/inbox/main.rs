//! 待审批 at scale: `make bench-inbox` (or `cargo bench -p hearing-store --bench inbox`). Not
//! part of `make test`; `cargo test --benches` runs this without `--bench` and it returns at once.
//!
//! A city committee's desk holding the requests of 100 orgs below it, 1,000 each (100,000 cases
//! in 终结审批, `HD_INBOX_ORGS` × `HD_INBOX_PER_ORG`), written straight into a fresh store (its
//! change-log triggers firing as for any write): 80 % wait for the city's level (the organ's two
//! levels approved in the current request), 10 % were decided by the city already, 10 % still
//! wait for the organ's head. The 工作台's page of the city's 待审批 (`approval_inbox_page`, 200
//! items and the count), N times (`HD_INBOX_RUNS`, 20): median and p95 against the 50-ms budget;
//! the whole list too, the first read (which works out every written case), and a read after one
//! decision; the counts checked. Prints
//! a Markdown report, also written to `target/bench-inbox.md`.

#[path = "../../../../benches/machine.rs"]
mod machine;

use std::fmt::Write as _;
use std::time::Instant;

use hearing_core::{CaseStatus, OrgInput, OrgKind};
use hearing_store::Store;
use rusqlite::types::Value;
use rusqlite::Connection;

const BUDGET_MS: f64 = 50.0;
/// The 工作台's page of the inbox.
const PAGE: u32 = 200;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An INSERT of a whole `table` row: the given values, and for every other NOT NULL column
/// without a default an empty text or 0.
fn insert_sql(conn: &Connection, table: &str, given: &[&str]) -> (String, Vec<Value>) {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('{table}')"
        ))
        .expect("columns");
    let cols: Vec<(String, String, bool, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("columns");
    let mut names: Vec<String> = given.iter().map(|s| (*s).to_owned()).collect();
    let mut fill = Vec::new();
    for (name, ty, notnull, default) in cols {
        if given.contains(&name.as_str()) || !notnull || default.is_some() {
            continue;
        }
        names.push(name);
        fill.push(if ty.eq_ignore_ascii_case("INTEGER") {
            Value::Integer(0)
        } else {
            Value::Text(String::new())
        });
    }
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    (
        format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        ),
        fill,
    )
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("hearing-store inbox bench: run with `make bench-inbox` (or `cargo bench -p hearing-store --bench inbox`)");
        return;
    }
    let orgs_n = env_usize("HD_INBOX_ORGS", 100);
    let per_org = env_usize("HD_INBOX_PER_ORG", 1000);
    let runs = env_usize("HD_INBOX_RUNS", 20).max(3);
    let target = machine::target_dir(env!("CARGO_MANIFEST_DIR"));
    let work = target.join("bench-inbox");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create target/bench-inbox");
    let load_before = machine::loadavg();
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string();

    let mut s = Store::open_dir(&work).expect("open");
    let city = s
        .init_desk(&OrgInput {
            parent_id: None,
            name: "中共青山市委政法委员会".into(),
            short_name: "青山市委政法委".into(),
            kind: OrgKind::Committee,
            code: "QSS".into(),
        })
        .expect("the city's desk");
    let organs: Vec<String> = (0..orgs_n)
        .map(|i| {
            s.create_org(&OrgInput {
                parent_id: Some(city.id.clone()),
                name: format!("青山市第{}人民法院", i + 1),
                short_name: format!("第{}法院", i + 1),
                kind: OrgKind::Court,
                code: format!("FY{:03}", i + 1),
            })
            .expect("an org")
            .id
        })
        .collect();

    let fill_started = Instant::now();
    let (mut waiting, mut decided, mut short) = (0usize, 0usize, 0usize);
    {
        let tx = s.conn().unchecked_transaction().expect("tx");
        let (case_sql, case_fill) = insert_sql(
            &tx,
            "cases",
            &[
                "id",
                "number",
                "org_id",
                "handling_organ_id",
                "title",
                "status",
                "registered_on",
                "created_at",
                "updated_at",
                "approval_round",
            ],
        );
        let (appr_sql, appr_fill) = insert_sql(
            &tx,
            "approvals",
            &[
                "id",
                "case_id",
                "level_key",
                "level_title",
                "approver",
                "opinion",
                "approved",
                "decided_on",
                "created_at",
                "org_id",
                "round",
            ],
        );
        let mut case_stmt = tx.prepare(&case_sql).expect("case insert");
        let mut appr_stmt = tx.prepare(&appr_sql).expect("approval insert");
        let mut n = 0u64;
        for (o, organ) in organs.iter().enumerate() {
            for k in 0..per_org {
                n += 1;
                let id = format!("case-{o:03}-{k:04}");
                let at = format!(
                    "2026-{:02}-{:02}T{:02}:{:02}:00.000Z",
                    1 + (n % 11),
                    1 + (n % 27),
                    n % 24,
                    n % 60
                );
                let mut row: Vec<Value> = vec![
                    Value::Text(id.clone()),
                    Value::Text(format!("FY{:03}-2026-{:04}", o + 1, k + 1)),
                    Value::Text(organ.clone()),
                    Value::Text(organ.clone()),
                    Value::Text(format!("第{}号信访事项", n)),
                    Value::Text(CaseStatus::ClosureApproval.as_str().into()),
                    Value::Text("2026-01-05".into()),
                    Value::Text(at.clone()),
                    Value::Text(at.clone()),
                    Value::Integer(1),
                ];
                row.extend(case_fill.iter().cloned());
                case_stmt
                    .execute(rusqlite::params_from_iter(row.iter()))
                    .expect("a case");
                // 10 %: the organ's head has not decided; 10 %: the city has; the rest wait.
                let mut levels: Vec<(&str, Option<&str>)> = vec![("caseOfficer", None)];
                match k % 10 {
                    0 => short += 1,
                    1 => {
                        levels.push(("organHead", None));
                        levels.push(("committee", Some(city.id.as_str())));
                        decided += 1;
                    }
                    _ => {
                        levels.push(("organHead", None));
                        waiting += 1;
                    }
                }
                for (j, (level, org)) in levels.into_iter().enumerate() {
                    let mut a: Vec<Value> = vec![
                        Value::Text(format!("{id}-{j}")),
                        Value::Text(id.clone()),
                        Value::Text(level.into()),
                        Value::Text(level.into()),
                        Value::Text("审批人".into()),
                        Value::Text("同意".into()),
                        Value::Integer(1),
                        Value::Text("2026-02-01".into()),
                        Value::Text(at.clone()),
                        org.map_or(Value::Null, |o| Value::Text(o.into())),
                        Value::Integer(1),
                    ];
                    a.extend(appr_fill.iter().cloned());
                    appr_stmt
                        .execute(rusqlite::params_from_iter(a.iter()))
                        .expect("an approval");
                }
            }
        }
        drop(case_stmt);
        drop(appr_stmt);
        tx.commit().expect("commit");
    }
    let fill_secs = fill_started.elapsed().as_secs_f64();
    s.conn().execute_batch("ANALYZE").expect("analyze");

    // The first read works out what every written case waits for (migration 023's
    // `approval_waits`), as after a desk's first pull; later reads find it done.
    let t = Instant::now();
    let first = s.approval_inbox_page(PAGE).expect("inbox");
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(
        first.total as usize, waiting,
        "the inbox counts exactly the waiting requests"
    );
    let timed = |f: &dyn Fn() -> usize| {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..runs {
            let t = Instant::now();
            n = f();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let q = |x: f64| times[((times.len() as f64 - 1.0) * x).round() as usize];
        (n, q(0.5), q(0.95))
    };
    let (page_n, page_med, page_p95) =
        timed(&|| s.approval_inbox_page(PAGE).expect("inbox").items.len());
    let (all_n, all_med, all_p95) = timed(&|| s.approval_inbox().expect("inbox").len());
    assert_eq!(page_n, PAGE as usize);
    assert_eq!(
        all_n, waiting,
        "the whole list is exactly the waiting requests"
    );
    // One decision, then the next read: the decided case leaves (its row worked out again).
    let one = s.approval_inbox_page(1).expect("inbox").items[0]
        .case_id
        .clone();
    s.approve(
        &one,
        &hearing_core::plan::ApprovalInput {
            level_key: "committee".into(),
            approver: "审批人".into(),
            opinion: "同意".into(),
            approved: true,
            decided_on: String::new(),
        },
    )
    .expect("decide one");
    let t = Instant::now();
    let after = s.approval_inbox_page(PAGE).expect("inbox");
    let after_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(after.total as usize, waiting - 1);
    assert!(after.items.iter().all(|i| i.case_id != one));
    let load_after = machine::loadavg();
    let mut r = String::new();
    let _ = writeln!(r, "### 待审批 at scale (`make bench-inbox`)\n");
    let _ = writeln!(
        r,
        "{started_at} UTC, {}; load average {load_before} before, {load_after} after. {orgs_n} orgs × {per_org} requests in 终结审批 ({} cases, written in {fill_secs:.1} s): {waiting} wait for the city, {decided} decided by it, {short} wait for the organ's head. {runs} runs.\n",
        machine::machine(),
        orgs_n * per_org
    );
    let met = |p: f64| if p <= BUDGET_MS { "yes" } else { "**no**" };
    let _ = writeln!(
        r,
        "| the city's 待审批 | listed | median | p95 | budget | met |"
    );
    let _ = writeln!(r, "|---|---|---|---|---|---|");
    let _ = writeln!(
        r,
        "| the 工作台's page (`approval_inbox_page({PAGE})`, with the count) | {page_n} of {waiting} | **{page_med:.1} ms** | **{page_p95:.1} ms** | ≤ {BUDGET_MS} ms | {} |",
        met(page_p95)
    );
    let _ = writeln!(
        r,
        "| the whole list (`approval_inbox`, `hearingctl closure inbox`) | {all_n} | {all_med:.1} ms | {all_p95:.1} ms | — | — |"
    );
    let _ = writeln!(
        r,
        "\nThe first read after the {} cases were written worked out what each waits for: {first_ms:.0} ms (once, as after a desk's first pull). After one decision, the next read: {after_ms:.1} ms.",
        orgs_n * per_org
    );
    print!("{r}");
    let _ = std::fs::write(target.join("bench-inbox.md"), &r);
}
