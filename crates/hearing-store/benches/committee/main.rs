//! The committee's own work at scale: `make bench-committee` (or `cargo build --release -p
//! hearing-benchdata && cargo bench -p hearing-store --bench committee`). Not part of `make test`;
//! `cargo test --benches` runs this without `--bench` and it returns at once.
//!
//! On the store bench's dataset (100,000 cases over ten counties and the city's own level, made
//! once by the release `bench-data` and shared with `make bench-store`), with the store's own
//! API, N times each (`HD_COMMITTEE_RUNS`, 15), median and p95 against the budgets of issue 21:
//!
//! - a quarterly 通报 (the quarter before the dataset's day): the figures of every county and
//!   handling organ for it and the quarter before (`bulletin_draft`), its PDF (`bulletin_pdf`,
//!   fonts loaded once beforehand as the app keeps them) and its XLSX (`report_xlsx`) — ≤ 2 s;
//! - 类案 grouping of every case (`case_groups`) — ≤ 300 ms;
//! - the conference agenda's 预警 proposals for the city's meeting (`proposals_for`) — ≤ 200 ms.
//!
//! Nothing is written. Prints a Markdown report, also written to `target/bench-committee.md`.
//! Knobs: `HD_COMMITTEE_CASES` (100000), `HD_COMMITTEE_TESTIMONY` (1000000), `_SEED`, `_REGEN=1`,
//! `_BENCH_DATA` (see benches/dataset.rs), `HD_COMMITTEE_RUNS`.

#[path = "../dataset.rs"]
mod dataset;
#[path = "../../../../benches/machine.rs"]
mod machine;

use std::fmt::Write as _;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use dataset::{env_u64, Dataset, AS_OF};
use hearing_core::period::Period;
use hearing_store::bulletins::{report_xlsx, BulletinInput};
use hearing_store::stats::groups::GroupFilter;
use hearing_store::Store;

const REPORT_BUDGET_MS: f64 = 2000.0;
const GROUPS_BUDGET_MS: f64 = 300.0;
const PROPOSALS_BUDGET_MS: f64 = 200.0;

struct Row {
    what: String,
    n: usize,
    median: f64,
    p95: f64,
    budget: f64,
    note: String,
}

fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Vec<f64>, T) {
    let mut last = f(); // warm-up
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        last = f();
        out.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    out.sort_by(f64::total_cmp);
    (out, last)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("hearing-store committee bench: run with `make bench-committee` (or `cargo bench -p hearing-store --bench committee`)");
        return;
    }
    let runs = env_u64("HD_COMMITTEE_RUNS", 15).max(3) as usize;
    let target = machine::target_dir(env!("CARGO_MANIFEST_DIR"));
    let target = std::fs::canonicalize(&target).unwrap_or(target);
    let data = Dataset::from_env("HD_COMMITTEE", target.clone(), 100_000, 1_000_000);
    let (stamp, made) = dataset::ensure(&data);
    let load_before = machine::loadavg();
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string();
    let s = Store::open_dir(&data.dir()).expect("open the dataset");
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("as of");
    // The last whole quarter before the dataset's day.
    let q = (as_of.month() - 1) / 3; // 0-based quarter of as_of
    let (year, quarter) = if q == 0 {
        (as_of.year() - 1, 4)
    } else {
        (as_of.year(), q)
    };
    let period = format!("{year}Q{quarter}");
    let counties: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM orgs o JOIN orgs p ON p.id = o.parent_id
             WHERE o.kind = 'committee' AND p.parent_id IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("counties");
    let cases: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("cases");
    let city: String = s
        .conn()
        .query_row("SELECT id FROM orgs WHERE parent_id IS NULL", [], |r| {
            r.get(0)
        })
        .expect("city");
    let fonts = s.fonts().expect("fonts");
    let mut rows = Vec::new();

    // 通报: figures of both quarters, the PDF and the XLSX.
    let input = BulletinInput {
        period: period.clone(),
        ..Default::default()
    };
    let (t, (pdf_len, xlsx_len, units, received)) = measure(runs, || {
        let (report, text) = s.bulletin_draft(&input).expect("draft");
        let pdf = s.bulletin_pdf(&text, &fonts).expect("pdf");
        let xlsx = report_xlsx(&report, "").expect("xlsx");
        (
            pdf.len(),
            xlsx.len(),
            report.counties.len() + report.organs.len(),
            report.total.now.received,
        )
    });
    // Its parts, once more each, to say where the time goes.
    let p = Period::parse(&period).expect("period");
    let (tf, _) = measure(runs.min(5), || s.unit_report(&p, None).expect("figures"));
    rows.push(Row {
        what: format!("通报 {period}: figures (this and the previous quarter) + PDF + XLSX"),
        n: t.len(),
        median: machine::median(&t),
        p95: machine::percentile(&t, 0.95),
        budget: REPORT_BUDGET_MS,
        note: format!(
            "{units} units ranked, {received} cases received; PDF {}, XLSX {}; the figures alone {:.0} ms (median)",
            machine::bytes(pdf_len as u64),
            machine::bytes(xlsx_len as u64),
            machine::median(&tf)
        ),
    });

    let (t, g) = measure(runs, || {
        s.case_groups(&GroupFilter::default()).expect("groups")
    });
    rows.push(Row {
        what: "类案 grouping: every case by type, organ, demand and stage; 积案 by cause".into(),
        n: t.len(),
        median: machine::median(&t),
        p95: machine::percentile(&t, 0.95),
        budget: GROUPS_BUDGET_MS,
        note: format!(
            "{} cases, {} groups, {} 积案",
            g.cases,
            g.tables.iter().map(|t| t.groups.len()).sum::<usize>(),
            g.backlog_total
        ),
    });

    let (t, p) = measure(runs, || {
        s.proposals_for(&city, &[], as_of).expect("proposals")
    });
    rows.push(Row {
        what: "会商研判 agenda: 预警 proposals for the city's meeting".into(),
        n: t.len(),
        median: machine::median(&t),
        p95: machine::percentile(&t, 0.95),
        budget: PROPOSALS_BUDGET_MS,
        note: format!(
            "{} cases proposed, the first {} listed",
            p.total,
            p.items.len()
        ),
    });

    let mut md = String::new();
    let _ = writeln!(md, "## bench-committee ({started_at} UTC)\n");
    let _ = writeln!(md, "- machine: {}", machine::machine());
    let _ = writeln!(md, "- load average before: {load_before}");
    let _ = writeln!(
        md,
        "- dataset: {cases} cases over {counties} counties and the city's own level ({}; {})",
        data.dir().display(),
        if made { "made by this run" } else { "reused" }
    );
    let _ = writeln!(md, "- dataset record: {stamp}");
    let _ = writeln!(md, "- runs per measure: {runs} after a warm-up\n");
    let _ = writeln!(
        md,
        "| Measure | n | median | p95 | budget | verdict | notes |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for r in &rows {
        let _ = writeln!(
            md,
            "| {} | {} | **{:.1} ms** | {:.1} ms | ≤ {:.0} ms | {} | {} |",
            r.what,
            r.n,
            r.median,
            r.p95,
            r.budget,
            if r.p95 <= r.budget {
                "met"
            } else {
                "**missed**"
            },
            r.note
        );
    }
    print!("{md}");
    let _ = std::fs::write(target.join("bench-committee.md"), &md);
}
