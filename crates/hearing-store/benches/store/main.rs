//! The store at scale: `make bench-store` (or `cargo build --release -p hearing-cli && cargo bench
//! -p hearing-store --bench store`). Not part of `make test`; `cargo test --benches` runs this
//! without `--bench` and it returns at once.
//!
//! It needs a dataset of 100,000 cases and 1,000,000 testimony entries, made once by the release
//! `bench-data` (crate hearing-benchdata) into `target/bench-data/c<cases>-t<entries>-s<seed>/` and reused while
//! its record (`desk_meta.bench_data`) says the same sizes, seed, generator format and schema
//! version. Then, on that desk, with the store's own API (no SQL of its own on the measured paths):
//!
//! - opening the database (`Store::open_dir`): cold-ish (the file's pages dropped from the OS page
//!   cache with `dd iflag=nocache` first) and warm;
//! - the case register (`cases::list`, 20 rows a page as the app asks): first and a deep page, by
//!   the default order and with a state filter; the 在办 list; the list's own search box; the
//!   工作台 counts;
//! - saving a testimony entry (`Store::add_testimony`, the recording view's save) N times into a
//!   hearing in session, and the autosave of the entry being typed (`update_testimony`); what they
//!   wrote is removed afterwards (rows, change log, audit events, outbox, clock), so a dataset
//!   stays the same from run to run;
//! - full-text search (`Store::search`): a name, a common 4-character term, a phrase of testimony,
//!   a 2-character term (bigram index), a filtered query, a query without hits;
//! - the statistics view (`Store::statistics`: default filter, one county, the last twelve
//!   months) and the 工作台's warnings (`Store::warnings`).
//!
//! Each measure: warm-up calls, then samples until a minimum count and a time budget; median,
//! p95, max (and p99 for saves). A measure over its budget gets a traced run: every SQL statement
//! it ran with its time (SQLite's profile callback) and the EXPLAIN QUERY PLAN of the slowest.
//! Prints a Markdown report, also written to `target/bench-store.md`.
//!
//! Knobs (environment): `HD_STORE_CASES` (100000), `HD_STORE_TESTIMONY` (1000000),
//! `HD_STORE_SEED` (20261127), `HD_STORE_SAVES` (1000), `HD_STORE_REGEN=1` (generate anew),
//! `HD_STORE_BENCH_DATA` (the generator; default `target/release/bench-data`), `HD_BENCH_VERBOSE`,
//! `HD_STORE_ONLY` (a comma-separated subset of `open,list,search,stats,saves`, to re-measure one
//! part while working on it; its report goes to `target/bench-store-partial.md`).

#[path = "../dataset.rs"]
mod dataset;
#[path = "../../../../benches/machine.rs"]
mod machine;
mod trace;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dataset::{env_u64, Dataset, AS_OF, PERSONS};
use hearing_core::testimony::TestimonyInput;
use hearing_core::{CaseListQuery, CaseStatus, ParticipantRole};
use hearing_store::search::{SearchKind, SearchQuery};
use hearing_store::stats::{StatsFilter, StatsScope};
use hearing_store::{cases, Store};
use rusqlite::{Connection, OptionalExtension};

const OPEN_BUDGET: f64 = 0.200;
const LIST_BUDGET: f64 = 0.020;
const SAVE_P99_BUDGET: f64 = 0.005;
const SEARCH_BUDGET: f64 = 0.050;
const STATS_BUDGET: f64 = 0.200;

/// Whether `HD_STORE_ONLY` (unset: everything) asks for this part.
fn wanted(part: &str) -> bool {
    match std::env::var("HD_STORE_ONLY") {
        Ok(v) if !v.trim().is_empty() => v.split(',').any(|p| p.trim() == part),
        _ => true,
    }
}

struct Config {
    data: Dataset,
    saves: usize,
}

impl Config {
    fn from_env() -> Config {
        let target = machine::target_dir(env!("CARGO_MANIFEST_DIR"));
        let target = std::fs::canonicalize(&target).unwrap_or(target);
        Config {
            data: Dataset::from_env("HD_STORE", target, 100_000, 1_000_000),
            saves: env_u64("HD_STORE_SAVES", 1000).max(20) as usize,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics of samples

#[derive(Clone, Copy)]
struct Stats {
    n: usize,
    median: f64,
    p95: f64,
    p99: f64,
    max: f64,
    min: f64,
}

fn stats(samples: &[f64]) -> Stats {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Stats {
        n,
        median: machine::median(&s),
        p95: machine::percentile(&s, 0.95),
        p99: machine::percentile(&s, 0.99),
        max: s[n - 1],
        min: s[0],
    }
}

fn ms(secs: f64) -> String {
    machine::duration(secs)
}

fn bytes(n: u64) -> String {
    machine::bytes(n)
}

/// Runs `f` `warmup` times untimed, then until `min` samples and `budget` are both reached (at
/// most `max` samples); a call slower than a tenth of the budget lowers `min` (to 5 at least), so
/// a query of seconds does not run for minutes. Returns the seconds of each sample and the last
/// result.
fn time<T>(
    warmup: usize,
    min: usize,
    max: usize,
    budget: Duration,
    mut f: impl FnMut() -> T,
) -> (Vec<f64>, T) {
    let mut min = min;
    for _ in 0..warmup {
        let t = Instant::now();
        let _ = f();
        let took = t.elapsed().as_secs_f64();
        if took > 0.0 {
            let fit = (budget.as_secs_f64() / took) as usize;
            min = min.min(fit.max(5));
        }
    }
    let started = Instant::now();
    let mut samples = Vec::new();
    loop {
        let t = Instant::now();
        let out = f();
        samples.push(t.elapsed().as_secs_f64());
        if samples.len() >= max || (samples.len() >= min && started.elapsed() >= budget) {
            if std::env::var_os("HD_BENCH_VERBOSE").is_some() {
                let list: Vec<String> = samples.iter().map(|s| format!("{:.2}", s * 1e3)).collect();
                eprintln!("bench: samples (ms, in order): {}", list.join(" "));
            }
            return (samples, out);
        }
    }
}

/// One row of the results table.
struct Row {
    group: &'static str,
    what: String,
    stats: Stats,
    /// The budget in seconds and which statistic it is judged on.
    budget: Option<(f64, Judge)>,
    note: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Judge {
    /// Met when p95 is within the budget; "median only" when only the median is.
    P95,
    P99,
}

impl Row {
    fn verdict(&self) -> &'static str {
        match self.budget {
            None => "",
            Some((b, Judge::P99)) => {
                if self.stats.p99 <= b {
                    "met"
                } else {
                    "**missed**"
                }
            }
            Some((b, Judge::P95)) => {
                if self.stats.p95 <= b {
                    "met"
                } else if self.stats.median <= b {
                    "median met, p95 over"
                } else {
                    "**missed**"
                }
            }
        }
    }

    fn missed(&self) -> bool {
        match self.budget {
            None => false,
            Some((b, Judge::P99)) => self.stats.p99 > b,
            Some((b, Judge::P95)) => self.stats.p95 > b,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The dataset

/// The record `bench-data` leaves in `desk_meta`, if the directory holds one.
/// Drops the database files from the OS page cache (`dd iflag=nocache count=0`), so the next
/// open reads from the disk. Returns false when `dd` is not there or refused.
fn evict(dir: &Path) -> bool {
    let mut ok = true;
    for name in [
        hearing_store::DB_FILE.to_owned(),
        format!("{}-wal", hearing_store::DB_FILE),
        format!("{}-shm", hearing_store::DB_FILE),
    ] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        let done = Command::new("dd")
            .arg(format!("if={}", path.display()))
            .args(["iflag=nocache", "count=0", "status=none"])
            .status()
            .is_ok_and(|s| s.success());
        ok &= done;
    }
    ok
}

/// Pages of the database file in the OS page cache, as `fincore` reports them (if installed).
fn cached_share(dir: &Path) -> Option<String> {
    let out = machine::tool(
        "fincore",
        &[
            "--bytes",
            "--noheadings",
            "--output",
            "RES,SIZE",
            &dir.join(hearing_store::DB_FILE).display().to_string(),
        ],
    )?;
    let mut it = out.split_whitespace();
    let res: f64 = it.next()?.parse().ok()?;
    let size: f64 = it.next()?.parse().ok()?;
    Some(format!("{:.0} %", 100.0 * res / size.max(1.0)))
}

// ---------------------------------------------------------------------------------------------
// The measures

fn main() {
    // `cargo test --benches` runs this without `--bench`: nothing heavy there.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "hearing-store bench: run with `make bench-store` (or `cargo build --release -p hearing-cli && cargo bench -p hearing-store --bench store`)"
        );
        return;
    }
    let cfg = Config::from_env();
    let load_before = machine::loadavg();
    let run_started = Instant::now();
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string();
    let dir = cfg.data.dir();
    let (stamp, generated) = dataset::ensure(&cfg.data);
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("AS_OF is a date");
    let mut rows: Vec<Row> = Vec::new();
    let mut diagnoses = String::new();

    // --- Open: cold-ish (page cache dropped), then warm.
    if wanted("open") {
        let mut cold = Vec::new();
        let mut evicted = true;
        let mut cached_after_evict = None;
        for i in 0..10 {
            evicted &= evict(&dir);
            if i == 0 {
                cached_after_evict = cached_share(&dir);
            }
            let t = Instant::now();
            let store = Store::open_dir(&dir).expect("open the dataset");
            cold.push(t.elapsed().as_secs_f64());
            drop(store);
        }
        rows.push(Row {
            group: "Open",
            what: "`Store::open_dir`, cold-ish: the database file dropped from the OS page cache first"
                .into(),
            stats: stats(&cold),
            budget: Some((OPEN_BUDGET, Judge::P95)),
            note: if evicted {
                format!(
                    "page cache dropped with `dd iflag=nocache`{}",
                    cached_after_evict
                        .map(|c| format!(" (file cached afterwards: {c})"))
                        .unwrap_or_default()
                )
            } else {
                "dropping the page cache failed: these are warm".into()
            },
        });
        let (warm, _) = time(2, 30, 100, Duration::from_secs(3), || {
            drop(Store::open_dir(&dir).expect("open the dataset"))
        });
        rows.push(Row {
            group: "Open",
            what: "`Store::open_dir`, warm (file in the page cache)".into(),
            stats: stats(&warm),
            budget: Some((OPEN_BUDGET, Judge::P95)),
            note: "includes migrations check and re-creating the sync triggers, as every open does"
                .into(),
        });

        let db = dir.join(hearing_store::DB_FILE);
        let (plain, _) = time(2, 30, 100, Duration::from_secs(2), || {
            let conn = Connection::open(&db).expect("open with SQLite alone");
            let n: i64 = conn
                .query_row("SELECT count(*) FROM orgs", [], |r| r.get(0))
                .expect("a first query");
            n
        });
        rows.push(Row {
            group: "Open",
            what: "for comparison: SQLite alone (`Connection::open` and a first query, which reads the schema), warm".into(),
            stats: stats(&plain),
            budget: None,
            note: "what the store adds on top is its own work at open".into(),
        });
    }

    let mut store = Store::open_dir(&dir).expect("open the dataset");

    // --- The case register.
    let total_cases: u32 = store
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("count cases");
    let deep = (total_cases / 20 / 2).max(1);
    let filed: u32 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM cases WHERE status = 'filed'",
            [],
            |r| r.get(0),
        )
        .expect("count filed");
    let filed_deep = (filed / 20 / 2).max(1);
    let name: String = store
        .conn()
        .query_row(
            "SELECT p.name FROM petitioners p JOIN cases c ON c.id = p.case_id
             WHERE p.kind = 'person' ORDER BY c.registered_on DESC LIMIT 1 OFFSET 5000",
            [],
            |r| r.get(0),
        )
        .or_else(|_| {
            store
                .conn()
                .query_row("SELECT name FROM petitioners LIMIT 1", [], |r| r.get(0))
        })
        .unwrap_or_else(|_| "张桂兰".into());
    let lists: Vec<(String, CaseListQuery)> = vec![
        (
            "first page, default order (登记日期 descending)".into(),
            CaseListQuery {
                page: 1,
                page_size: 20,
                ..Default::default()
            },
        ),
        (
            format!(
                "deep page {deep} (rows {}–{}), default order",
                (deep - 1) * 20 + 1,
                deep * 20
            ),
            CaseListQuery {
                page: deep,
                page_size: 20,
                ..Default::default()
            },
        ),
        (
            "first page, state 听证".into(),
            CaseListQuery {
                status: Some(CaseStatus::Hearing),
                page: 1,
                page_size: 20,
                ..Default::default()
            },
        ),
        (
            format!("deep page {filed_deep} of state 已备案 ({filed} cases)"),
            CaseListQuery {
                status: Some(CaseStatus::Filed),
                page: filed_deep,
                page_size: 20,
                ..Default::default()
            },
        ),
        (
            "first page, 在办 only (active)".into(),
            CaseListQuery {
                active_only: Some(true),
                page: 1,
                page_size: 20,
                ..Default::default()
            },
        ),
        (
            format!(
                "first page, the list's search box: “{name}” (the search index narrows, the fields are then matched literally)"
            ),
            CaseListQuery {
                search: Some(name.clone()),
                page: 1,
                page_size: 20,
                ..Default::default()
            },
        ),
    ];
    for (what, q) in lists.iter().filter(|_| wanted("list")) {
        let (samples, page) = time(2, 30, 300, Duration::from_secs(3), || {
            cases::list(store.conn(), q).expect("case list")
        });
        let row = Row {
            group: "Case list",
            what: format!("`cases::list` {what}"),
            stats: stats(&samples),
            budget: Some((LIST_BUDGET, Judge::P95)),
            note: format!("{} of {} rows", page.items.len(), page.total),
        };
        if row.missed() {
            diagnose(&mut diagnoses, store.conn(), &row.what, || {
                let _ = cases::list(store.conn(), q);
            });
        }
        rows.push(row);
    }
    if wanted("list") {
        let (samples, counts) = time(1, 10, 100, Duration::from_secs(3), || {
            cases::counts(store.conn()).expect("case counts")
        });
        rows.push(Row {
            group: "Case list",
            what: "`cases::counts` (the 工作台's totals by state)".into(),
            stats: stats(&samples),
            budget: None,
            note: format!("{} cases, {} active", counts.total, counts.active),
        });
    }

    // --- Search.
    let county: (String, String) = store
        .conn()
        .query_row(
            "SELECT id, short_name FROM orgs WHERE code = 'DHQ'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the DHQ committee");
    let searches: Vec<(String, SearchQuery)> = vec![
        (format!("a petitioner's name, 3 characters: “{name}”"), q(&name)),
        ("a common term, 4 characters: “民间借贷”".into(), q("民间借贷")),
        ("a phrase of testimony: “预交鉴定费”".into(), q("预交鉴定费")),
        ("2 characters: “借款”".into(), q("借款")),
        ("1 character, a surname: “王”".into(), q("王")),
        ("1 character, the commonest: “的”".into(), q("的")),
        (
            format!(
                "“征收补偿” in {}'s cases in 听证 or 终结审批, registered from 2025-01-01, cases and testimony only",
                county.1
            ),
            SearchQuery {
                text: "征收补偿".into(),
                kinds: vec![SearchKind::Case, SearchKind::Testimony],
                org_id: Some(county.0.clone()),
                statuses: vec![CaseStatus::Hearing, CaseStatus::ClosureApproval],
                registered_from: Some("2025-01-01".into()),
                ..Default::default()
            },
        ),
        ("no hits: “量子纠缠”".into(), q("量子纠缠")),
    ];
    for (what, query) in searches.iter().filter(|_| wanted("search")) {
        let (samples, res) = time(2, 20, 200, Duration::from_secs(4), || {
            store.search(query).expect("search")
        });
        let row = Row {
            group: "Search",
            what: format!("`Store::search` {what}"),
            stats: stats(&samples),
            budget: Some((SEARCH_BUDGET, Judge::P95)),
            note: format!(
                "{}{} hits ({:?}), {} on the page",
                res.total,
                if res.total_capped { "+" } else { "" },
                res.ranking,
                res.items.len()
            ),
        };
        if row.missed() {
            diagnose(&mut diagnoses, store.conn(), &row.what, || {
                let _ = store.search(query);
            });
        }
        rows.push(row);
    }

    // --- Statistics and warnings.
    let year_ago = as_of - chrono::Duration::days(365);
    let filters: Vec<(String, StatsFilter)> = vec![
        (
            "default filter (在办, all orgs, no period)".into(),
            StatsFilter {
                today: Some(AS_OF.into()),
                ..Default::default()
            },
        ),
        (
            "every case (全部: 在办 and closed), all orgs, no period — the heaviest".into(),
            StatsFilter {
                scope: StatsScope::All,
                today: Some(AS_OF.into()),
                ..Default::default()
            },
        ),
        (
            format!("one county ({})", county.1),
            StatsFilter {
                org_id: Some(county.0.clone()),
                today: Some(AS_OF.into()),
                ..Default::default()
            },
        ),
        (
            format!("the last twelve months ({year_ago} – {AS_OF})"),
            StatsFilter {
                from: Some(year_ago.format("%Y-%m-%d").to_string()),
                to: Some(AS_OF.into()),
                today: Some(AS_OF.into()),
                ..Default::default()
            },
        ),
    ];
    for (what, f) in filters.iter().filter(|_| wanted("stats")) {
        let (samples, s) = time(1, 10, 50, Duration::from_secs(5), || {
            store.statistics(f).expect("statistics")
        });
        let row = Row {
            group: "Statistics",
            what: format!("`Store::statistics` {what}"),
            stats: stats(&samples),
            budget: Some((STATS_BUDGET, Judge::P95)),
            note: format!(
                "{} tables; {} cases in scope, {} hearings held",
                s.tables.len(),
                s.summary.cases,
                s.summary.hearings_held
            ),
        };
        if row.missed() {
            diagnose(&mut diagnoses, store.conn(), &row.what, || {
                let _ = store.statistics(f);
            });
        }
        rows.push(row);
    }
    if wanted("stats") {
        let (samples, warnings) = time(1, 10, 50, Duration::from_secs(5), || {
            store.warnings(as_of).expect("warnings")
        });
        let row = Row {
            group: "Statistics",
            what: format!("`Store::warnings({AS_OF})` (the 工作台's early warnings)"),
            stats: stats(&samples),
            budget: Some((STATS_BUDGET, Judge::P95)),
            note: format!("{} warnings", warnings.len()),
        };
        if row.missed() {
            diagnose(&mut diagnoses, store.conn(), &row.what, || {
                let _ = store.warnings(as_of);
            });
        }
        rows.push(row);
    }

    // --- Saving testimony (the only writes; undone afterwards).
    if wanted("saves") {
        let (adds, autosaves, hearing_note) = saves(&cfg, &mut store);
        let add = Row {
            group: "Testimony save",
            what: format!(
                "`Store::add_testimony`: a new entry (the recording view's save), {} saves",
                adds.len()
            ),
            stats: stats(&adds),
            budget: Some((SAVE_P99_BUDGET, Judge::P99)),
            note: hearing_note.clone(),
        };
        rows.push(add);
        rows.push(Row {
            group: "Testimony save",
            what: format!(
                "`Store::update_testimony`: autosave of the entry being typed, {} saves",
                autosaves.len()
            ),
            stats: stats(&autosaves),
            budget: Some((SAVE_P99_BUDGET, Judge::P99)),
            note: "the text grows by a few characters each time".into(),
        });
        // Side by side: the same saves with SQLite's own checkpoints inside the commits.
        store
            .stop_background_checkpoints()
            .expect("stop the background checkpoints");
        let (adds, autosaves, _) = saves(&cfg, &mut store);
        for (what, samples) in [
            ("`Store::add_testimony`", adds),
            ("`Store::update_testimony`", autosaves),
        ] {
            let st = stats(&samples);
            rows.push(Row {
                group: "Testimony save",
                what: format!(
                    "for comparison: {what} without the background checkpoints (SQLite checkpoints inside a commit every 1000 pages)"
                ),
                note: format!("the same saves at the same pace; p99 {}", ms(st.p99)),
                stats: st,
                budget: None,
            });
        }
    }

    // --- What the dataset is.
    let facts = dataset_facts(&store, &dir);
    drop(store);

    let load_after = machine::loadavg();
    let md = report(
        &cfg,
        &stamp,
        generated,
        &facts,
        &rows,
        &diagnoses,
        &started_at,
        &load_before,
        &load_after,
        run_started.elapsed().as_secs_f64(),
    );
    print!("{md}");
    let partial = std::env::var("HD_STORE_ONLY").is_ok_and(|v| !v.trim().is_empty());
    let out = cfg.data.target.join(if partial {
        "bench-store-partial.md"
    } else {
        "bench-store.md"
    });
    std::fs::write(&out, &md).expect("write target/bench-store.md");
    println!("\nbench: report written to {}", out.display());
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        ..Default::default()
    }
}

/// Runs `f` once with SQLite's profile callback on and writes the statements it ran (slowest
/// first) with the query plan of the slow ones.
fn diagnose(out: &mut String, conn: &Connection, what: &str, f: impl FnOnce()) {
    let t = Instant::now();
    let statements = trace::profiled(conn, f);
    let total = t.elapsed().as_secs_f64();
    let _ = writeln!(out, "#### {what}\n");
    let _ = writeln!(
        out,
        "One traced call: {} in total, {} statements. Slowest:\n",
        ms(total),
        statements.len()
    );
    let mut sorted = statements;
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (sql, secs) in sorted.iter().take(5) {
        let one_line: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = one_line.chars().take(600).collect();
        let _ = writeln!(
            out,
            "- **{}** `{}{}`",
            ms(*secs),
            shown.replace('`', "'"),
            if one_line.chars().count() > 600 {
                " …"
            } else {
                ""
            }
        );
        if *secs >= 0.005 {
            let plan = trace::query_plan(conn, sql);
            if !plan.is_empty() {
                let _ = writeln!(out, "\n  ```\n{}  ```", indent(&plan, "  "));
            }
        }
    }
    if sorted.len() > 5 {
        let rest: f64 = sorted.iter().skip(5).map(|(_, secs)| secs).sum();
        let _ = writeln!(
            out,
            "- the other {} statements: {} together",
            sorted.len() - 5,
            ms(rest)
        );
    }
    out.push('\n');
}

fn indent(text: &str, pad: &str) -> String {
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// `HD_STORE_SAVES` new entries into a hearing in session, then 200 autosaves of the newest one;
/// then removes everything these writes left, so the dataset is as generated.
/// The time between two saves in the save bench (not measured).
const PACE: Duration = Duration::from_millis(20);

fn saves(cfg: &Config, store: &mut Store) -> (Vec<f64>, Vec<f64>, String) {
    let (hearing_id, title, panelist): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT h.id, h.title, coalesce((SELECT name FROM participants p
                 WHERE p.hearing_id = h.id AND p.role = 'panelist' LIMIT 1), '听证员')
             FROM hearings h WHERE h.status = 'inSession' ORDER BY h.scheduled_on DESC, h.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("a hearing in session in the dataset");
    let entries_before: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM testimony WHERE hearing_id = ?1",
            [&hearing_id],
            |r| r.get(0),
        )
        .expect("count the hearing's entries");
    let before = Snapshot::take(store.conn());
    std::fs::write(
        cfg.data.dirty_marker(),
        "the bench's writes are in the dataset\n",
    )
    .expect("write the dirty marker");

    const TEXTS: [&str; 6] = [
        "请问信访人，借款的时候有没有第三人在场？",
        "当时是我表哥介绍的，他也在场，后来他去外地打工了，联系不上。",
        "请承办单位说明，二审为什么没有采纳信访人提交的录音证据？",
        "录音证据形成时间在起诉之后，且无法确认对话人身份，二审已在判决中说明不予采信的理由。",
        "信访人对今天的听证程序有没有意见？",
        "没有意见，我就是希望把钱要回来，家里实在困难。",
    ];
    let mut ids = Vec::with_capacity(cfg.saves + 1);
    let mut adds = Vec::with_capacity(cfg.saves);
    for i in 0..cfg.saves + 5 {
        let (role, speaker) = if i % 2 == 0 {
            (ParticipantRole::Panelist, panelist.clone())
        } else {
            (ParticipantRole::Petitioner, "信访人".to_owned())
        };
        let input = TestimonyInput {
            step_key: "panelQuestions".into(),
            speaker_role: role,
            speaker_name: speaker,
            text: format!("{}（{}）", TEXTS[i % TEXTS.len()], i + 1),
        };
        // A clerk saves an entry every few seconds; 20 ms apart is still far faster.
        std::thread::sleep(PACE);
        let t = Instant::now();
        let entry = store
            .add_testimony(&hearing_id, &input)
            .expect("add a testimony entry");
        let secs = t.elapsed().as_secs_f64();
        // The first five are warm-up.
        if i >= 5 {
            adds.push(secs);
        }
        ids.push(entry.id);
    }
    let mut autosaves = Vec::with_capacity(200);
    let last = ids.last().cloned().expect("an entry was added");
    let mut text = String::from("信访人陈述：");
    for i in 0..205 {
        text.push_str(["我", "当时", "就是", "不同意", "这个", "判决，", "因为"][i % 7]);
        std::thread::sleep(PACE);
        let t = Instant::now();
        store
            .update_testimony(&last, &text)
            .expect("autosave the entry");
        if i >= 5 {
            autosaves.push(t.elapsed().as_secs_f64());
        }
    }
    let written = before.restore(store.conn(), &ids);
    let entries_after: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM testimony WHERE hearing_id = ?1",
            [&hearing_id],
            |r| r.get(0),
        )
        .expect("count the hearing's entries");
    assert_eq!(
        entries_before, entries_after,
        "the bench's entries were not all removed"
    );
    let report = hearing_store::audit::verify(store.conn()).expect("verify the audit chain");
    assert!(report.ok, "audit chain after cleanup: {}", report.message);
    std::fs::remove_file(cfg.data.dirty_marker()).expect("remove the dirty marker");
    (
        adds,
        autosaves,
        format!(
            "into “{title}” (in session, {entries_before} entries before); each save also wrote {written}"
        ),
    )
}

/// What the bench's writes change besides the entries themselves, taken before they run.
struct Snapshot {
    log_seq: Option<i64>,
    audit_seq: i64,
    audit_head: Option<String>,
    hlc: String,
}

fn seq_of(conn: &Connection, table: &str) -> Option<i64> {
    conn.query_row(
        "SELECT seq FROM sqlite_sequence WHERE name = ?1",
        [table],
        |r| r.get(0),
    )
    .optional()
    .expect("read sqlite_sequence")
}

impl Snapshot {
    fn take(conn: &Connection) -> Snapshot {
        Snapshot {
            log_seq: seq_of(conn, "change_log"),
            audit_seq: conn
                .query_row("SELECT coalesce(max(seq), 0) FROM audit_events", [], |r| {
                    r.get(0)
                })
                .expect("audit seq"),
            audit_head: conn
                .query_row(
                    "SELECT value FROM desk_meta WHERE key = 'audit_head'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .expect("audit head"),
            hlc: conn
                .query_row("SELECT hlc FROM sync_state", [], |r| r.get(0))
                .expect("hlc"),
        }
    }

    /// Removes the entries `ids` and everything the writes recorded with them (as sync would
    /// apply a delete: `applying = 1`, so nothing is queued), and puts the counters back. Returns
    /// what one save wrote besides its entry, in words.
    fn restore(&self, conn: &Connection, ids: &[String]) -> String {
        let n = ids.len().max(1) as f64;
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        let changes = count(&format!(
            "SELECT count(*) FROM change_log WHERE seq > {}",
            self.log_seq.unwrap_or(0)
        ));
        let audit = count(&format!(
            "SELECT count(*) FROM audit_events WHERE seq > {}",
            self.audit_seq
        ));
        let tx = conn.unchecked_transaction().expect("begin the cleanup");
        tx.execute("UPDATE sync_state SET applying = 1", [])
            .expect("applying");
        let mut versions = 0;
        for id in ids {
            versions += tx
                .execute(
                    "DELETE FROM sync_versions WHERE tbl = 'testimony' AND pk = ?1",
                    [id],
                )
                .expect("delete versions");
            tx.execute(
                "DELETE FROM sync_history WHERE tbl = 'testimony' AND pk = ?1",
                [id],
            )
            .expect("delete history");
        }
        // Newest first: a later entry may not supersede, but keep the order safe anyway.
        for id in ids.iter().rev() {
            tx.execute("DELETE FROM testimony WHERE id = ?1", [id])
                .expect("delete an entry");
        }
        tx.execute(
            "DELETE FROM change_log WHERE seq > ?1",
            [self.log_seq.unwrap_or(0)],
        )
        .expect("change log");
        tx.execute("DELETE FROM audit_events WHERE seq > ?1", [self.audit_seq])
            .expect("audit events");
        match self.log_seq {
            Some(s) => tx.execute(
                "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'change_log'",
                [s],
            ),
            None => tx.execute("DELETE FROM sqlite_sequence WHERE name = 'change_log'", []),
        }
        .expect("sqlite_sequence");
        match &self.audit_head {
            Some(h) => tx.execute(
                "UPDATE desk_meta SET value = ?1 WHERE key = 'audit_head'",
                [h],
            ),
            None => tx.execute("DELETE FROM desk_meta WHERE key = 'audit_head'", []),
        }
        .expect("audit head");
        tx.execute("UPDATE sync_state SET applying = 0, hlc = ?1", [&self.hlc])
            .expect("hlc");
        tx.commit().expect("commit the cleanup");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoint");
        format!(
            "{:.1} change-log rows, {:.1} audit events and {:.1} column versions (all removed after the run)",
            changes as f64 / n,
            audit as f64 / n,
            versions as f64 / n
        )
    }
}

struct Facts {
    db_bytes: u64,
    counts: Vec<(&'static str, i64)>,
    sizes: Vec<(String, u64)>,
    states: Vec<(String, i64)>,
}

fn dataset_facts(store: &Store, dir: &Path) -> Facts {
    let conn = store.conn();
    let db_bytes = std::fs::metadata(dir.join(hearing_store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    let mut counts = Vec::new();
    for table in hearing_sync::protocol::SYNCED_TABLES.into_iter().chain([
        "search_docs",
        "change_log",
        "audit_events",
    ]) {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count");
        counts.push((table, n));
    }
    // Bytes per table with its indexes; the FTS tables' shadow tables go with them.
    let mut sizes: Vec<(String, u64)> = Vec::new();
    let mut stmt = conn
        .prepare(
            "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize)
             FROM dbstat d LEFT JOIN sqlite_schema m ON m.name = d.name
             GROUP BY 1 ORDER BY 2 DESC",
        )
        .expect("dbstat");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("dbstat rows");
    for r in rows {
        let (name, n) = r.expect("dbstat row");
        let group = ["search_bigrams"]
            .into_iter()
            .find(|p| name.starts_with(p))
            .map(str::to_owned)
            .unwrap_or(name);
        match sizes.iter_mut().find(|s| s.0 == group) {
            Some(s) => s.1 += n as u64,
            None => sizes.push((group, n as u64)),
        }
    }
    sizes.sort_by_key(|s| std::cmp::Reverse(s.1));
    let mut states = Vec::new();
    let mut stmt = conn
        .prepare("SELECT status, count(*) FROM cases GROUP BY status ORDER BY 2 DESC")
        .expect("states");
    for r in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("states")
    {
        states.push(r.expect("state"));
    }
    Facts {
        db_bytes,
        counts,
        sizes,
        states,
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    cfg: &Config,
    stamp: &serde_json::Value,
    generated: bool,
    facts: &Facts,
    rows: &[Row],
    diagnoses: &str,
    started_at: &str,
    load_before: &str,
    load_after: &str,
    run_secs: f64,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## Store, search and statistics: report of one run\n");
    let _ = writeln!(md, "Machine: {}  ", machine::machine());
    let _ = writeln!(
        md,
        "Source: {}  ",
        machine::source_state(
            env!("CARGO_MANIFEST_DIR"),
            &[
                "src",
                "../hearing-benchdata/src/lib.rs",
                "../hearing-benchdata/src/pools.rs"
            ],
            "crates/hearing-store/src and the generator"
        )
    );
    let _ = writeln!(
        md,
        "Started {started_at} UTC; load average before / after: {load_before} / {load_after}; whole run {run_secs:.0} s.\n"
    );
    let _ = writeln!(
        md,
        "Dataset: `bench-data --cases {} --testimony {} --seed {} --as-of {AS_OF} --persons {PERSONS}` in `{}` — {} (generation time: {} s). Database file {}.\n",
        cfg.data.cases,
        cfg.data.testimony,
        cfg.data.seed,
        cfg.data.dir().display(),
        if generated { "generated by this run" } else { "reused" },
        stamp["seconds"],
        bytes(facts.db_bytes)
    );
    let counts: Vec<String> = facts
        .counts
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let _ = writeln!(md, "Rows: {}.\n", counts.join(", "));
    let states: Vec<String> = facts
        .states
        .iter()
        .map(|(s, n)| {
            let label = CaseStatus::parse(s)
                .map(|s| s.label())
                .unwrap_or(s.as_str());
            format!("{label} {n}")
        })
        .collect();
    let _ = writeln!(md, "Cases by state: {}.\n", states.join("、"));
    let sizes: Vec<String> = facts
        .sizes
        .iter()
        .take(10)
        .map(|(t, n)| format!("{t} {}", bytes(*n)))
        .collect();
    let _ = writeln!(
        md,
        "Space (tables with their indexes; FTS shadow tables under their index): {}.\n",
        sizes.join(", ")
    );
    let _ = writeln!(
        md,
        "Budgets are judged on p95 (p99 for saves): \"median met, p95 over\" when only the median is within.\n"
    );
    let _ = writeln!(
        md,
        "| | measure | n | median | p95 | max | budget | | notes |\n|---|---|---|---|---|---|---|---|---|"
    );
    for r in rows {
        let (p95_label, p95) = match r.budget {
            Some((_, Judge::P99)) => ("p99 ", r.stats.p99),
            _ => ("", r.stats.p95),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | **{}** | {}{} | {} | {} | {} | {} |",
            r.group,
            r.what,
            r.stats.n,
            ms(r.stats.median),
            p95_label,
            ms(p95),
            ms(r.stats.max),
            r.budget
                .map(|(b, j)| format!("{} {}", if j == Judge::P99 { "p99 ≤" } else { "≤" }, ms(b)))
                .unwrap_or_else(|| "—".into()),
            r.verdict(),
            r.note
        );
    }
    let _ = writeln!(
        md,
        "\nmin of each: {}.",
        rows.iter()
            .map(|r| ms(r.stats.min))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !diagnoses.is_empty() {
        let _ = writeln!(md, "\n### Over budget: where the time goes\n");
        md.push_str(diagnoses);
    }
    md
}
