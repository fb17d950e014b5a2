//! Sync at scale on loopback: `make bench-sync` (or `cargo build --release -p hearing-cli -p
//! hearing-server && cargo bench -p hearing-store --bench sync`). Not part of `make test`;
//! `cargo test --benches` runs this without `--bench` and it returns at once.
//!
//! On a dataset of 10,000 cases and 1,000,000 testimony entries (made once by the release
//! `bench-data`, see `benches/dataset.rs`) and the real release `hearing-server` on
//! 127.0.0.1 with a fresh SQLite store whose org tree is the dataset's:
//!
//! 1. desk A, a copy of the dataset, enrols with a one-time code of the city committee (its rows
//!    are queued as changes) and pushes everything with `Store::sync_now`, as the 同步 view does;
//! 2. desk B, empty, enrols with another code of the city committee and syncs once: **the first
//!    pull** of every change, applied to its database (search indexes included). Then every
//!    synced table's row count on B is compared with A's, and the run fails if one differs;
//! 3. **one change desk → server → desk**, N times: desk A saves a case's 四明五清 analysis
//!    (`Store::set_case_analysis`), syncs (push), desk B syncs (pull) and reads the new text back.
//!
//! Prints a Markdown report, also written to `target/bench-sync.md`. Knobs (environment):
//! `HD_SYNC_CASES` (10000), `HD_SYNC_TESTIMONY` (1000000), `HD_SYNC_SEED`, `HD_SYNC_REGEN=1`,
//! `HD_SYNC_BENCH_DATA` (the generator), `HD_SYNC_SERVER` (the server binary; default
//! `target/release/hearing-server`), `HD_SYNC_CHANGES` (N, 50).

#[path = "../dataset.rs"]
mod dataset;
#[path = "../../../../benches/machine.rs"]
mod machine;
#[path = "../server.rs"]
mod server;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use dataset::{env_u64, Dataset};
use hearing_store::{cases, Store};
use rusqlite::{Connection, OpenFlags};
use server::Server;

const FIRST_PULL_BUDGET: f64 = 60.0;
const ROUND_TRIP_BUDGET: f64 = 0.100;

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(-1)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system) this process has used, from /proc/self/stat.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) are space-separated.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after the state (field 3).
    (ticks(11) + ticks(12)) / 100.0
}

fn ms(secs: f64) -> String {
    machine::duration(secs)
}

/// Syncs until nothing is left to push and nothing came in; returns (pushed, pulled, runs).
fn sync_all(store: &mut Store) -> (u64, u64, u32) {
    let (mut pushed, mut pulled, mut runs) = (0, 0, 0);
    loop {
        let o = store.sync_now().expect("sync");
        runs += 1;
        pushed += u64::from(o.pushed);
        pulled += u64::from(o.pulled);
        let waiting = store.sync_status().expect("sync status").waiting;
        if waiting == 0 && o.pulled == 0 || runs >= 1000 {
            return (pushed, pulled, runs);
        }
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "hearing-store sync bench: run with `make bench-sync` (or `cargo build --release -p hearing-cli -p hearing-server && cargo bench -p hearing-store --bench sync`)"
        );
        return;
    }
    let target = machine::target_dir(env!("CARGO_MANIFEST_DIR"));
    let target = std::fs::canonicalize(&target).unwrap_or(target);
    let data = Dataset::from_env("HD_SYNC", target.clone(), 10_000, 1_000_000);
    let changes = env_u64("HD_SYNC_CHANGES", 50).max(5) as usize;
    let server_bin = std::env::var_os("HD_SYNC_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release/hearing-server"));
    assert!(
        server_bin.exists(),
        "{} is missing: build it first with `cargo build --release -p hearing-server` (`make bench-sync` does)",
        server_bin.display()
    );
    let load_before = machine::loadavg();
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string();
    let run_started = Instant::now();
    let (stamp, generated) = dataset::ensure(&data);
    let source = data.dir();

    let work = target.join("bench-sync");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create target/bench-sync");

    // The server's org tree: the dataset's.
    let (orgs_json, root) = {
        let conn = Connection::open_with_flags(
            source.join(hearing_store::DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open the dataset");
        let json: String = conn
            .query_row(
                "SELECT json_group_array(json_object('id', id, 'parentId', parent_id, 'name', name,
                        'shortName', short_name, 'kind', kind, 'code', code)) FROM orgs",
                [],
                |r| r.get(0),
            )
            .expect("the dataset's orgs");
        let root: String = conn
            .query_row("SELECT id FROM orgs WHERE parent_id IS NULL", [], |r| {
                r.get(0)
            })
            .expect("one root org");
        (json, root)
    };
    let orgs_file = work.join("orgs.json");
    std::fs::write(&orgs_file, orgs_json).expect("write orgs.json");
    let mut server = Server {
        bin: server_bin,
        data: work.join("server"),
        child: None,
        base: String::new(),
    };
    server.admin(&["org", "import", &orgs_file.display().to_string()]);
    let code_a = server.admin(&["code", "issue", "--org", &root]);
    let code_b = server.admin(&["code", "issue", "--org", &root]);
    server.start();
    let url = server.base.clone();

    // Desk A: a copy of the dataset.
    let desk_a = work.join("desk-a");
    let st = Command::new("cp")
        .args(["-a", "--reflink=auto"])
        .arg(&source)
        .arg(&desk_a)
        .status()
        .expect("cp");
    assert!(st.success(), "copying the dataset failed");
    let mut a = Store::open_dir(&desk_a).expect("open desk A");
    let t = Instant::now();
    a.sync_enroll(&url, &code_a, "bench-a")
        .expect("enrol desk A");
    let enrol_a = t.elapsed().as_secs_f64();
    let queued = a.sync_status().expect("status").waiting;
    let t = Instant::now();
    let cpu = cpu_secs();
    let (pushed, _, push_runs) = sync_all(&mut a);
    let push_secs = t.elapsed().as_secs_f64();
    let push_cpu = cpu_secs() - cpu;
    println!(
        "bench: desk A queued {queued} changes in {}, pushed {pushed} in {} ({push_runs} runs)",
        ms(enrol_a),
        ms(push_secs)
    );

    // Desk B: empty; the first pull.
    let desk_b = work.join("desk-b");
    let mut b = Store::open_dir(&desk_b).expect("open desk B");
    let t = Instant::now();
    b.sync_enroll(&url, &code_b, "bench-b")
        .expect("enrol desk B");
    let enrol_b = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cpu = cpu_secs();
    let (_, pulled, pull_runs) = sync_all(&mut b);
    let pull_secs = t.elapsed().as_secs_f64();
    let pull_cpu = cpu_secs() - cpu;
    println!(
        "bench: desk B pulled {pulled} changes in {} ({pull_runs} runs)",
        ms(pull_secs)
    );
    let mut mismatches = Vec::new();
    let mut table_counts = Vec::new();
    for table in hearing_sync::protocol::SYNCED_TABLES {
        let (na, nb) = (count(a.conn(), table), count(b.conn(), table));
        if na != nb {
            mismatches.push(format!("{table}: A {na}, B {nb}"));
        }
        table_counts.push(format!("{table} {nb}"));
    }
    let conflicts_b = b.sync_status().expect("status").conflicts;
    let search_b = count(b.conn(), "search_docs");
    // The search index of a large pull is built after it, in batches (the app does this in the
    // background; searches say meanwhile how many records are not indexed yet).
    let backlog_b = b.search_pending().expect("search backlog");
    let t = Instant::now();
    let cpu = cpu_secs();
    let mut batches = 0;
    while b
        .search_catch_up(hearing_store::search::CATCH_UP_BATCH)
        .expect("index the backlog")
        > 0
    {
        batches += 1;
    }
    let index_secs = t.elapsed().as_secs_f64();
    let index_cpu = cpu_secs() - cpu;
    // Then the index's segments are merged, a step at a time (the app goes on doing it in the
    // background; searches are complete already).
    let t = Instant::now();
    let cpu = cpu_secs();
    let mut merges = 0;
    while b
        .search_merge_step(hearing_store::search::MERGE_STEP_PAGES)
        .expect("merge the index")
    {
        merges += 1;
    }
    let merge_secs = t.elapsed().as_secs_f64();
    let merge_cpu = cpu_secs() - cpu;
    println!(
        "bench: desk B indexed its {backlog_b} waiting search records in {} ({} batches)",
        ms(index_secs),
        batches
    );
    // Both desks find the same records.
    for text in ["鉴定", "征收补偿", "王"] {
        let q = hearing_store::search::SearchQuery {
            text: text.into(),
            ..Default::default()
        };
        let (ra, rb) = (
            a.search(&q).expect("search on A"),
            b.search(&q).expect("search on B"),
        );
        if (ra.total, ra.total_capped) != (rb.total, rb.total_capped) {
            mismatches.push(format!(
                "search “{text}”: A {} hits, B {}",
                ra.total, rb.total
            ));
        }
    }
    let size_b = dir_size(&desk_b);
    let server_size = dir_size(&server.data);

    // One change, desk → server → desk.
    let case_id: String = a
        .conn()
        .query_row(
            "SELECT id FROM cases WHERE org_id = ?1 AND status = 'registered' ORDER BY id LIMIT 1",
            [&root],
            |r| r.get(0),
        )
        .expect("an active case of the city committee's own (desk A may edit only those)");
    let (mut total, mut push, mut pull) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..changes + 3 {
        let mut analysis = cases::get(a.conn(), &case_id).expect("the case").analysis;
        analysis.crux = format!("症结在于鉴定费用的负担（第 {i} 次修改）");
        a.set_case_analysis(&case_id, &analysis)
            .expect("save the analysis");
        let t1 = Instant::now();
        let o = a.sync_now().expect("desk A syncs");
        let t2 = Instant::now();
        let p = b.sync_now().expect("desk B syncs");
        let t3 = Instant::now();
        let seen = cases::get(b.conn(), &case_id)
            .expect("the case on B")
            .analysis
            .crux;
        assert_eq!(seen, analysis.crux, "desk B did not get the change");
        assert!(o.pushed >= 1 && p.pulled >= 1, "{o:?} {p:?}");
        if i >= 3 {
            total.push((t3 - t1).as_secs_f64());
            push.push((t2 - t1).as_secs_f64());
            pull.push((t3 - t2).as_secs_f64());
        }
    }
    drop(a);
    drop(b);
    drop(server);

    let stats = |v: &mut Vec<f64>| -> (f64, f64, f64) {
        v.sort_by(f64::total_cmp);
        (
            machine::median(v),
            machine::percentile(v, 0.95),
            v.last().copied().unwrap_or(0.0),
        )
    };
    let (t_med, t_p95, t_max) = stats(&mut total);
    let (p_med, p_p95, _) = stats(&mut push);
    let (l_med, l_p95, _) = stats(&mut pull);
    let judge = |v: f64, budget: f64| if v <= budget { "met" } else { "**missed**" };

    let mut out = String::new();
    let _ = writeln!(out, "## Sync at scale on loopback: report of one run\n");
    let _ = writeln!(out, "Machine: {}  ", machine::machine());
    let _ = writeln!(
        out,
        "Source: {}  ",
        machine::source_state(
            env!("CARGO_MANIFEST_DIR"),
            &["src", "../hearing-server/src", "../hearing-sync/src"],
            "the store, the server and the protocol"
        )
    );
    let _ = writeln!(
        out,
        "Started {started_at} UTC; load average before / after: {load_before} / {}; whole run {}.\n",
        machine::loadavg(),
        ms(run_started.elapsed().as_secs_f64())
    );
    let _ = writeln!(
        out,
        "Dataset: `bench-data --cases {} --testimony {} --seed {}` in `{}` — {}.\n",
        data.cases,
        data.testimony,
        data.seed,
        source.display(),
        if generated {
            format!("generated by this run ({} s)", stamp["seconds"])
        } else {
            format!("reused (generation time: {} s)", stamp["seconds"])
        }
    );
    let _ = writeln!(
        out,
        "| measure | n | median | p95 | max | budget | |\n|---|---|---|---|---|---|---|"
    );
    let _ = writeln!(
        out,
        "| desk A enrols: its {queued} existing rows queued as changes (`Store::sync_enroll`) | 1 | {} | | | — | |",
        ms(enrol_a)
    );
    let _ = writeln!(
        out,
        "| desk A pushes them all (`Store::sync_now` × {push_runs}; {pushed} changes; the desk's own CPU {}) | 1 | {} | | | — | |",
        ms(push_cpu),
        ms(push_secs)
    );
    let _ = writeln!(
        out,
        "| desk B enrols (empty desk; the org tree comes with the answer) | 1 | {} | | | — | |",
        ms(enrol_b)
    );
    let _ = writeln!(
        out,
        "| **first pull**: desk B receives and applies every change (`Store::sync_now` × {pull_runs}; {pulled} changes; the desk's own CPU {}) | 1 | **{}** | | | ≤ {} | {} |",
        ms(pull_cpu),
        ms(pull_secs),
        ms(FIRST_PULL_BUDGET),
        judge(pull_secs, FIRST_PULL_BUDGET)
    );
    let _ = writeln!(
        out,
        "| then desk B indexes for search the {backlog_b} records the pull left waiting (`Store::search_catch_up` × {}, the app's background step; the desk's own CPU {}) | 1 | {} | | | — | |",
        batches + 1,
        ms(index_cpu),
        ms(index_secs)
    );
    let searchable = pull_secs + index_secs;
    let _ = writeln!(
        out,
        "| **fully searchable after the first pull began** (the two rows above) | 1 | **{}** | | | ≤ {} | {} |",
        ms(searchable),
        ms(FIRST_PULL_BUDGET),
        judge(searchable, FIRST_PULL_BUDGET)
    );
    let _ = writeln!(
        out,
        "| then desk B merges its index's segments, searches complete meanwhile (`Store::search_merge_step` × {merges}; the desk's own CPU {}) | 1 | {} | | | — | |",
        ms(merge_cpu),
        ms(merge_secs)
    );
    let _ = writeln!(
        out,
        "| **one change desk → server → desk**: A's sync (push) then B's sync (pull) | {} | **{}** | {} | {} | ≤ {} | {} |",
        total.len(),
        ms(t_med),
        ms(t_p95),
        ms(t_max),
        ms(ROUND_TRIP_BUDGET),
        judge(t_p95, ROUND_TRIP_BUDGET)
    );
    let _ = writeln!(
        out,
        "| of which A's push | {} | {} | {} | | | |",
        push.len(),
        ms(p_med),
        ms(p_p95)
    );
    let _ = writeln!(
        out,
        "| of which B's pull | {} | {} | {} | | | |",
        pull.len(),
        ms(l_med),
        ms(l_p95)
    );
    let _ = writeln!(
        out,
        "\nDesk B after the first pull: {}; {search_b} search records; {} on disk. The server's data: {}.",
        table_counts.join(", "),
        machine::bytes(size_b),
        machine::bytes(server_size)
    );
    if mismatches.is_empty() {
        let _ = writeln!(
            out,
            "Every compared table has as many rows on desk B as on desk A."
        );
    } else {
        let _ = writeln!(
            out,
            "**Rows differ**: {}; desk B has {conflicts_b} conflicts waiting (the desks are kept in `{}`).",
            mismatches.join("; "),
            work.display()
        );
    }
    println!("\n{out}");
    let file = target.join("bench-sync.md");
    std::fs::write(&file, &out).expect("write the report");
    println!("bench: report written to {}", file.display());
    if !mismatches.is_empty() {
        std::process::exit(1);
    }
    let _ = std::fs::remove_dir_all(&work);
}
