//! Load test of `hearing-server` on loopback: `make bench-server` (or `cargo bench -p
//! hearing-server --bench load`). Not part of `make test`; `cargo test --benches` runs this
//! without `--bench` and it returns at once.
//!
//! It starts the real release binary on a fresh store (SQLite in a temporary data directory; also
//! PostgreSQL when `HD_LOAD_POSTGRES` or `HEARING_TEST_POSTGRES` names a server, as
//! `scripts/test-postgres.sh` sets it), adds a city committee with counties (each with a court),
//! issues one-time enrolment codes with the admin CLI and enrols N simulated desks over HTTP.
//! Then for D seconds each desk, on its own thread with its own connection, does sync runs back
//! to back as the desk's sync does: a page of the changes a clerk's work makes (cases and their
//! petitioners, hearings, testimony entries, case edits; now and then a final document whose
//! PDF is uploaded first; rarely a day of offline work as one full page), built with the
//! protocol types and validated; push; pull after its cursor until `more` is false; download
//! the PDFs the pulled changes refer to. It records each request's latency and every error by
//! kind, then checks that nothing was lost: a city desk pulls the whole log and its ids and
//! contents are compared with what the server acknowledged, the log's rows are counted in the
//! database itself, and every desk must have received exactly its county's changes of the other
//! desks. Prints a Markdown report and writes it to `target/bench-server.md`; exits with 1 when
//! anything was lost, duplicated or altered, or the server died.
//!
//! Knobs (environment): `HD_LOAD_DESKS` (200), `HD_LOAD_SECS` (60), `HD_LOAD_COUNTIES` (4, at
//! most 8), `HD_LOAD_PAUSE_MS` (pause between a desk's sync runs, 0; desks then start at a
//! random point of it and each pause varies by ±50 %), `HD_LOAD_DOC_PCT`
//! (percent of runs that finalise a document with a PDF, 2), `HD_LOAD_OFFLINE_PCT` (percent of
//! runs that push a day of offline work, 200–498 changes, 1), `HD_LOAD_SEED`,
//! `HD_LOAD_BACKENDS` (`sqlite`, `postgres` or both, comma-separated), `HD_LOAD_POSTGRES` (a
//! PostgreSQL server URL allowed to create databases).

mod desk;
#[path = "../../../../benches/machine.rs"]
mod machine;
mod server;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Barrier, OnceLock};
use std::time::{Duration, Instant};

use desk::{Desk, Kind, Stats, Workload};
use serde_json::json;
use server::Backend;

const COUNTIES: [(&str, &str, &str); 8] = [
    ("east", "东河区", "DHQ"),
    ("west", "西岭县", "XLX"),
    ("south", "南湖区", "NHQ"),
    ("north", "北山县", "BSX"),
    ("lake", "湖滨区", "HBQ"),
    ("hill", "青峰县", "QFX"),
    ("river", "江口区", "JKQ"),
    ("pine", "松林县", "SLX"),
];

struct Config {
    desks: usize,
    secs: u64,
    counties: usize,
    seed: u64,
    work: Workload,
    backends: Vec<Backend>,
    postgres: Option<String>,
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

impl Config {
    fn from_env() -> Config {
        let postgres = ["HD_LOAD_POSTGRES", "HEARING_TEST_POSTGRES"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()))
            .map(|u| u.trim().to_owned());
        let backends = match std::env::var("HD_LOAD_BACKENDS") {
            Ok(list) if !list.trim().is_empty() => list
                .split(',')
                .filter_map(|b| match b.trim() {
                    "sqlite" => Some(Backend::Sqlite),
                    "postgres" | "postgresql" => Some(Backend::Postgres),
                    "" => None,
                    other => panic!("HD_LOAD_BACKENDS: unknown backend {other:?}"),
                })
                .collect(),
            _ if postgres.is_some() => vec![Backend::Sqlite, Backend::Postgres],
            _ => vec![Backend::Sqlite],
        };
        if backends.contains(&Backend::Postgres) && postgres.is_none() {
            panic!("HD_LOAD_BACKENDS names postgres but neither HD_LOAD_POSTGRES nor HEARING_TEST_POSTGRES is set");
        }
        Config {
            desks: env_u64("HD_LOAD_DESKS", 200).max(1) as usize,
            secs: env_u64("HD_LOAD_SECS", 60).max(1),
            counties: (env_u64("HD_LOAD_COUNTIES", 4) as usize).clamp(1, COUNTIES.len()),
            seed: env_u64("HD_LOAD_SEED", 20_261_127),
            work: Workload {
                doc_pct: env_u64("HD_LOAD_DOC_PCT", 2).min(50),
                offline_pct: env_u64("HD_LOAD_OFFLINE_PCT", 1).min(50),
                pause: Duration::from_millis(env_u64("HD_LOAD_PAUSE_MS", 0)),
            },
            backends,
            postgres,
        }
    }
}

fn main() {
    // `cargo test --benches` runs this without `--bench`: nothing heavy there.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "hearing-server load bench: run with `cargo bench -p hearing-server --bench load` or `make bench-server`"
        );
        return;
    }
    let cfg = Config::from_env();
    let mut md = String::new();
    let _ = writeln!(md, "## Sync server under load: report of one run\n");
    let _ = writeln!(md, "Machine: {}  ", machine::machine());
    let _ = writeln!(
        md,
        "Source: {}  ",
        machine::source_state(
            env!("CARGO_MANIFEST_DIR"),
            &["src", "../hearing-sync/src"],
            "crates/hearing-server/src and crates/hearing-sync/src"
        )
    );
    let _ = writeln!(
        md,
        "Started {} UTC. Workload: {} desks in {} counties, {} s per backend, {}, documents in {} % of runs, a day offline in {} %, seed {}.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        cfg.desks,
        cfg.counties,
        cfg.secs,
        match cfg.work.pause.as_millis() {
            0 => "each desk's sync runs back to back (no pause)".to_owned(),
            ms => format!("a pause of {ms} ms ± 50 % between a desk's sync runs"),
        },
        cfg.work.doc_pct,
        cfg.work.offline_pct,
        cfg.seed
    );
    let mut all_ok = true;
    for &backend in &cfg.backends {
        match run(&cfg, backend) {
            Ok((section, ok)) => {
                md.push_str(&section);
                all_ok &= ok;
            }
            Err(e) => {
                let _ = writeln!(md, "### {}\n\nThe run failed: {e}\n", backend.name());
                all_ok = false;
            }
        }
    }
    println!("{md}");
    let dir = machine::target_dir(env!("CARGO_MANIFEST_DIR"));
    let path = dir.canonicalize().unwrap_or(dir).join("bench-server.md");
    if let Err(e) = std::fs::write(&path, &md) {
        eprintln!("bench-server: cannot write {}: {e}", path.display());
    } else {
        eprintln!("bench-server: report written to {}", path.display());
    }
    if !all_ok {
        eprintln!("bench-server: FAILED (see the report)");
        std::process::exit(1);
    }
}

/// What one desk thread hands back.
struct DeskOutcome {
    desk: Option<Desk>,
    /// The stats of a desk that could not enrol, or panicked.
    stats: Stats,
    caught_up: bool,
    panicked: Option<String>,
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panic".into())
}

fn run(cfg: &Config, backend: Backend) -> Result<(String, bool), String> {
    let name = backend.name();
    let load_before = machine::loadavg();
    eprintln!("bench-server: {name}: load average {load_before}; setting up");
    let store = server::Store::new(backend, cfg.postgres.as_deref())?;

    // The org tree: the city committee, counties, a court in each.
    store.admin(&[
        "org",
        "add",
        "--id",
        "city",
        "--name",
        "青山市委政法委",
        "--kind",
        "committee",
        "--code",
        "QSS",
    ])?;
    let counties: Vec<desk::County> = COUNTIES[..cfg.counties]
        .iter()
        .map(|(id, name, code)| desk::County {
            id: (*id).to_owned(),
            court: format!("{id}-court"),
            code: (*code).to_owned(),
            name: (*name).to_owned(),
        })
        .collect();
    let orgs: Vec<_> = counties
        .iter()
        .flat_map(|c| {
            [
                json!({"id": c.id, "parentId": "city", "name": format!("{}委政法委", c.name),
                       "shortName": c.name, "kind": "committee", "code": c.code}),
                json!({"id": c.court, "parentId": c.id, "name": format!("{}人民法院", c.name),
                       "kind": "court", "code": format!("{}FY", c.code)}),
            ]
        })
        .collect();
    let orgs_file = store.dir.path().join("orgs.json");
    std::fs::write(&orgs_file, serde_json::to_string(&orgs).unwrap()).map_err(|e| e.to_string())?;
    store.admin(&["org", "import", &orgs_file.display().to_string()])?;

    // One-time codes: one per desk, and one for the city desk that verifies.
    let t = Instant::now();
    let mut codes = Vec::with_capacity(cfg.desks);
    for i in 0..cfg.desks {
        let county = &counties[i % counties.len()];
        codes.push(store.admin(&["code", "issue", "--org", &county.id])?);
    }
    let city_code = store.admin(&["code", "issue", "--org", "city"])?;
    let codes_secs = t.elapsed().as_secs_f64();

    let mut srv = store.serve()?;
    let base = srv.base.clone();
    eprintln!(
        "bench-server: {name}: {} codes issued in {codes_secs:.1} s; server pid {} at {base}; enrolling",
        cfg.desks + 1,
        srv.pid
    );
    let mut verifier_stats = Stats::default();
    let verifier = desk::enroll(&base, &city_code, "市委政法委核对", &mut verifier_stats)
        .ok_or_else(|| format!("the city desk could not enrol: {:?}", verifier_stats.errors))?;

    let parties = cfg.desks + 1;
    let barrier = Arc::new(Barrier::new(parties));
    let deadline: Arc<OnceLock<Instant>> = Arc::new(OnceLock::new());
    let t_enrol = Instant::now();
    let mut handles = Vec::with_capacity(cfg.desks);
    for (i, code) in codes.into_iter().enumerate() {
        let county = counties[i % counties.len()].clone();
        let (barrier, deadline, base, work, seed) = (
            Arc::clone(&barrier),
            Arc::clone(&deadline),
            base.clone(),
            cfg.work.clone(),
            cfg.seed,
        );
        let h = std::thread::Builder::new()
            .name(format!("desk-{i}"))
            .stack_size(1024 * 1024)
            .spawn(move || {
                let mut stats = Stats::default();
                let mut panicked = None;
                let mut desk = None;
                let name = format!("{}听证室 {}", county.name, i + 1);
                match std::panic::catch_unwind(AssertUnwindSafe(|| {
                    desk::enroll(&base, &code, &name, &mut stats)
                })) {
                    Ok(Some(e)) => {
                        let mut d = Desk::new(i, e, county, &base, seed, work);
                        d.stats.merge(std::mem::take(&mut stats));
                        desk = Some(d);
                    }
                    Ok(None) => {}
                    Err(p) => panicked = Some(panic_text(p)),
                }
                let mut phase = |desk: &mut Option<Desk>, f: &dyn Fn(&mut Desk)| {
                    if let Some(d) = desk.as_mut() {
                        if let Err(p) = std::panic::catch_unwind(AssertUnwindSafe(|| f(d))) {
                            panicked.get_or_insert(panic_text(p));
                        }
                    }
                };
                barrier.wait(); // every desk enrolled
                barrier.wait(); // the deadline is set
                let until = *deadline.get().expect("deadline");
                phase(&mut desk, &|d| d.run_until(until));
                barrier.wait(); // the window is over
                phase(&mut desk, &|d| d.drain());
                barrier.wait(); // every desk pushed what it had
                let mut caught_up = false;
                if let Some(d) = desk.as_mut() {
                    caught_up = std::panic::catch_unwind(AssertUnwindSafe(|| d.catch_up()))
                        .unwrap_or(false);
                }
                DeskOutcome {
                    desk,
                    stats,
                    caught_up,
                    panicked,
                }
            })
            .map_err(|e| format!("cannot start a desk thread: {e}"))?;
        handles.push(h);
    }
    barrier.wait();
    let enrol_secs = t_enrol.elapsed().as_secs_f64();
    eprintln!(
        "bench-server: {name}: {} desks enrolled in {enrol_secs:.2} s; load for {} s",
        cfg.desks, cfg.secs
    );

    let cpu0 = (
        server::cpu_seconds(&srv.pid.to_string()),
        server::cpu_seconds("self"),
        server::machine_cpu(),
    );
    let t_go = Instant::now();
    deadline
        .set(t_go + Duration::from_secs(cfg.secs))
        .expect("deadline set once");
    barrier.wait();
    // While the desks work: progress, and whether the server is still up.
    let mut threads_peak = 0;
    while t_go.elapsed() < Duration::from_secs(cfg.secs) {
        std::thread::sleep(Duration::from_secs(1));
        threads_peak = threads_peak.max(srv.threads());
        let el = t_go.elapsed().as_secs();
        if el.is_multiple_of(15) {
            eprintln!(
                "bench-server: {name}: {el} s, load average {}, server {}",
                machine::loadavg(),
                if srv.alive() { "up" } else { "DOWN" }
            );
        }
    }
    barrier.wait();
    let window = t_go.elapsed().as_secs_f64();
    let cpu1 = (
        server::cpu_seconds(&srv.pid.to_string()),
        server::cpu_seconds("self"),
        server::machine_cpu(),
    );
    let load_after = machine::loadavg();
    eprintln!("bench-server: {name}: window over after {window:.1} s; draining and checking");
    barrier.wait();

    let mut stats = Stats::default();
    let mut desks = Vec::new();
    let mut not_enrolled = 0;
    let mut panics = Vec::new();
    let mut not_caught_up = 0;
    for h in handles {
        let out = h.join().map_err(|_| "a desk thread died".to_owned())?;
        stats.merge(out.stats);
        if let Some(p) = out.panicked {
            panics.push(p);
        }
        match out.desk {
            Some(mut d) => {
                stats.merge(std::mem::take(&mut d.stats));
                if !out.caught_up {
                    not_caught_up += 1;
                }
                desks.push(d);
            }
            None => not_enrolled += 1,
        }
    }
    stats.merge(verifier_stats);

    // ---- the check: what the server holds against what it acknowledged ---------------------
    let t_check = Instant::now();
    let mut received: Vec<Vec<u64>> = desks
        .iter_mut()
        .map(|d| std::mem::take(&mut d.received))
        .collect();
    let held = desk::pull_everything(&base, &verifier.token)?;
    let server_alive = srv.alive();
    let peak_rss = srv.peak_rss();
    let mut acked: HashMap<&str, u64> = HashMap::new();
    let mut unanswered: HashSet<&str> = HashSet::new();
    let mut refused: HashSet<&str> = HashSet::new();
    for d in &desks {
        for (id, h) in &d.acked {
            acked.insert(id.as_str(), *h);
        }
        unanswered.extend(d.unanswered.iter().map(String::as_str));
        refused.extend(d.refused.iter().map(String::as_str));
    }
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity(held.len());
    let (mut altered, mut unacked_held, mut refused_held, mut unanswered_held) = (0, 0, 0, 0);
    for c in &held {
        *seen.entry(c.id.as_str()).or_default() += 1;
        match acked.get(c.id.as_str()) {
            Some(h) => {
                if *h != desk::content_hash(c) {
                    altered += 1;
                }
            }
            None if refused.contains(c.id.as_str()) => refused_held += 1,
            None if unanswered.contains(c.id.as_str()) => unanswered_held += 1,
            None => unacked_held += 1,
        }
    }
    let duplicated: u64 = seen.values().map(|n| u64::from(*n - 1)).sum();
    let lost = acked.keys().filter(|id| !seen.contains_key(*id)).count();
    let (log_rows, log_distinct) = store.log_rows().unwrap_or((0, 0));

    // Every desk got exactly its county's changes made by the other desks.
    let mut by_county: HashMap<&str, HashSet<u64>> = HashMap::new();
    for d in &desks {
        by_county
            .entry(d.county.id.as_str())
            .or_default()
            .extend(d.acked.iter().map(|(id, _)| desk::hash64(id)));
    }
    let (mut deliveries, mut missing, mut twice, mut outside) = (0u64, 0u64, 0u64, 0u64);
    for (d, got) in desks.iter().zip(&mut received) {
        let county = &by_county[d.county.id.as_str()];
        let own: HashSet<u64> = d.acked.iter().map(|(id, _)| desk::hash64(id)).collect();
        got.sort_unstable();
        let before = got.len();
        got.dedup();
        twice += (before - got.len()) as u64;
        deliveries += before as u64;
        let mut matched = 0u64;
        for h in got.iter() {
            if county.contains(h) && !own.contains(h) {
                matched += 1;
            } else {
                outside += 1;
            }
        }
        missing += (county.len() - own.len()) as u64 - matched;
    }
    let check_secs = t_check.elapsed().as_secs_f64();
    srv.stop();
    let (db_bytes, blob_bytes) = store.sizes();
    let log_text = std::fs::read_to_string(&srv.log).unwrap_or_default();
    let log_lines = log_text.lines().count();
    let log_5xx = log_text
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .rev()
                .nth(1)
                .is_some_and(|s| s.len() == 3 && s.starts_with('5'))
        })
        .count();
    let log_errors: Vec<&str> = log_text.lines().filter(|l| l.contains("ERROR")).collect();

    let ok = lost == 0
        && duplicated == 0
        && altered == 0
        && unacked_held == 0
        && refused_held == 0
        && missing == 0
        && twice == 0
        && outside == 0
        && server_alive
        && panics.is_empty()
        && stats.ack_mismatches == 0
        && stats.scope_violations == 0
        && stats.blob_mismatches == 0
        && log_rows as usize == held.len()
        && log_distinct as usize == held.len();

    // ---- the report ------------------------------------------------------------------------
    let mut md = String::new();
    let _ = writeln!(md, "### {name}: {} desks × {} s\n", cfg.desks, cfg.secs);
    let _ = writeln!(
        md,
        "Load average before / after: {load_before} / {load_after}. Setup: {} codes issued with the CLI in {codes_secs:.1} s; {} desks enrolled concurrently in {enrol_secs:.2} s{}. Load window {window:.1} s (the desks finish the run under way at the deadline); drain and checks {check_secs:.1} s.\n",
        cfg.desks + 1,
        cfg.desks - not_enrolled,
        if not_enrolled > 0 { format!(" (**{not_enrolled} could not enrol**)") } else { String::new() },
    );

    let rate = |n: u64| n as f64 / window;
    let _ = writeln!(md, "#### Throughput\n");
    let _ = writeln!(md, "| | total | per second |");
    let _ = writeln!(md, "|---|---|---|");
    let requests: u64 = Kind::ALL[1..]
        .iter()
        .map(|k| stats.latency[*k as usize].len() as u64)
        .sum();
    let _ = writeln!(
        md,
        "| requests (push, pull, blobs; answered, errors included) | {requests} | **{:.0}** |",
        rate(requests)
    );
    let _ = writeln!(
        md,
        "| sync runs (push answered, pulled to the end) | {} | {:.1} |",
        stats.runs,
        rate(stats.runs)
    );
    let _ = writeln!(
        md,
        "| changes pushed and accepted | {} | **{:.0}** |",
        stats.accepted,
        rate(stats.accepted)
    );
    let _ = writeln!(
        md,
        "| changes delivered by pulls (each change goes to the other desks of its county) | {} | **{:.0}** |",
        stats.pulled,
        rate(stats.pulled)
    );
    let _ = writeln!(
        md,
        "| pages pushed (mean {:.1} changes, largest {}) | {} | {:.1} |",
        stats.accepted as f64 / stats.pages.max(1) as f64,
        stats.largest_page,
        stats.pages,
        rate(stats.pages)
    );
    let _ = writeln!(
        md,
        "| PDFs uploaded | {} ({}) | {:.1} ({}/s) |",
        stats.blob_up.0,
        bytes(stats.blob_up.1),
        rate(stats.blob_up.0),
        bytes(rate(stats.blob_up.1) as u64)
    );
    let _ = writeln!(
        md,
        "| PDFs downloaded | {} ({}) | {:.1} ({}/s) |\n",
        stats.blob_down.0,
        bytes(stats.blob_down.1),
        rate(stats.blob_down.0),
        bytes(rate(stats.blob_down.1) as u64)
    );

    let _ = writeln!(
        md,
        "#### Latency per request (client side, whole answer read)\n"
    );
    let _ = writeln!(md, "| request | n | median | p95 | p99 | max |");
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    let mut all: Vec<u32> = Vec::new();
    for k in Kind::ALL {
        let mut v = std::mem::take(&mut stats.latency[k as usize]);
        if v.is_empty() {
            continue;
        }
        v.sort_unstable();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            k.name(),
            v.len(),
            ms(pct(&v, 0.50)),
            ms(pct(&v, 0.95)),
            ms(pct(&v, 0.99)),
            ms(*v.last().unwrap())
        );
        if k != Kind::Enroll {
            all.extend(v);
        }
    }
    all.sort_unstable();
    if !all.is_empty() {
        let _ = writeln!(
            md,
            "| all but enrol | {} | {} | {} | {} | {} |",
            all.len(),
            ms(pct(&all, 0.50)),
            ms(pct(&all, 0.95)),
            ms(pct(&all, 0.99)),
            ms(*all.last().unwrap())
        );
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "#### Errors\n");
    if stats.errors.is_empty() {
        let _ = writeln!(
            md,
            "None: no HTTP error status, no transport error, no unreadable answer. Server log: {log_lines} lines, {log_5xx} answers 5xx, {} lines at ERROR.\n",
            log_errors.len()
        );
    } else {
        let _ = writeln!(md, "| request: kind | count | first |");
        let _ = writeln!(md, "|---|---|---|");
        for (k, (n, first)) in &stats.errors {
            let first: String = first
                .replace('|', "\\|")
                .replace('\n', " ")
                .chars()
                .take(160)
                .collect();
            let _ = writeln!(md, "| {k} | {n} | {first} |");
        }
        let _ = writeln!(
            md,
            "\nServer log: {log_lines} lines, {log_5xx} answers 5xx, {} lines at ERROR{}.\n",
            log_errors.len(),
            log_errors
                .first()
                .map(|l| format!(", first: `{}`", l.chars().take(200).collect::<String>()))
                .unwrap_or_default()
        );
    }
    if !panics.is_empty() {
        let _ = writeln!(
            md,
            "**{} desk thread(s) panicked**: {}\n",
            panics.len(),
            panics[0]
        );
    }

    let _ = writeln!(md, "#### Nothing lost\n");
    let verdict = |n: u64| {
        if n == 0 {
            "0".to_owned()
        } else {
            format!("**{n}**")
        }
    };
    let _ = writeln!(
        md,
        "- Acknowledged by the server (listed in push answers): {} changes; the city desk pulled the whole log afterwards: {} changes. **lost: {}, duplicated: {}**, altered (content differs from what was sent): {}, held without acknowledgement: {}{}{}.",
        acked.len(),
        held.len(),
        verdict(lost as u64),
        verdict(duplicated),
        verdict(altered),
        verdict(unacked_held),
        if unanswered.is_empty() { String::new() } else { format!(", sent but never answered: {} (of them held: {unanswered_held})", unanswered.len()) },
        if refused.is_empty() { String::new() } else { format!(", refused (4xx): {} (of them held: {})", refused.len(), verdict(refused_held)) },
    );
    let _ = writeln!(
        md,
        "- The log in the database ({}): {log_rows} rows of desk changes, {log_distinct} distinct ids{}.",
        if backend == Backend::Sqlite { "server.db" } else { "PostgreSQL" },
        if log_rows as usize == held.len() && log_distinct as usize == held.len() { ", the same as pulled" } else { " — **differs from what was pulled**" }
    );
    let _ = writeln!(
        md,
        "- Every desk received exactly its county's changes made by the other desks: {deliveries} deliveries; missing {}, delivered twice {}, outside its county or its own {}{}. Push answers not listing exactly the page's ids: {}; PDFs whose bytes did not match their hash: {}; duplicates reported by push answers (retried pages): {}.",
        verdict(missing),
        verdict(twice),
        verdict(outside + stats.scope_violations),
        if not_caught_up > 0 { format!(" ({not_caught_up} desks could not pull to the end)") } else { String::new() },
        verdict(stats.ack_mismatches),
        verdict(stats.blob_mismatches),
        stats.duplicates_reported
    );
    let _ = writeln!(
        md,
        "- The server {} the run.\n",
        if server_alive {
            "was still up after"
        } else {
            "**had died** during"
        }
    );

    let _ = writeln!(md, "#### Where the time went\n");
    let srv_cpu = cpu1.0 - cpu0.0;
    let gen_cpu = cpu1.1 - cpu0.1;
    let (busy, iowait, total) = (
        cpu1.2 .0.saturating_sub(cpu0.2 .0),
        cpu1.2 .1.saturating_sub(cpu0.2 .1),
        cpu1.2 .2.saturating_sub(cpu0.2 .2),
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let machine_busy = busy as f64 / total.max(1) as f64 * cores * window;
    let _ = writeln!(
        md,
        "| | CPU seconds | cores used on average |\n|---|---|---|\n| hearing-server | {srv_cpu:.1} | {:.2} |\n| load generator (this process: {} desk threads, JSON, hashing) | {gen_cpu:.1} | {:.2} |\n| whole machine (all processes) | {machine_busy:.1} | {:.2} of {cores:.0} ({:.0} % busy, {:.1} % iowait) |\n",
        srv_cpu / window,
        cfg.desks,
        gen_cpu / window,
        machine_busy / window,
        busy as f64 / total.max(1) as f64 * 100.0,
        iowait as f64 / total.max(1) as f64 * 100.0,
    );
    let _ = writeln!(
        md,
        "Server: peak resident memory {}, up to {threads_peak} threads; store at the end: database {}, PDFs {}.\n",
        bytes(peak_rss),
        bytes(db_bytes),
        bytes(blob_bytes)
    );
    Ok((md, ok))
}

fn pct(sorted: &[u32], q: f64) -> u32 {
    let n = sorted.len();
    let i = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    sorted[i]
}

fn ms(us: u32) -> String {
    machine::duration(f64::from(us) / 1e6)
}

fn bytes(n: u64) -> String {
    machine::bytes(n)
}
