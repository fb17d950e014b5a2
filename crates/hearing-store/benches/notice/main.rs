//! An approval crossing two desks through the real server: `make bench-notice` (or `cargo build
//! --release -p hearing-server && cargo bench -p hearing-store --bench notice`). Not part of
//! `make test`; `cargo test --benches` runs this without `--bench` and it returns at once.
//!
//! The real release `hearing-server` on 127.0.0.1 with the demo network (`hearing-server demo`);
//! the court's desk (东河区法院) and its committee's desk (东河区委政法委) enrolled, each a real
//! store in its own folder, each doing what the app's sync worker and watcher do: after a local
//! change it waits the app's pickup delay (it looks every `LOCAL_CHANGE_POLL`, pushes
//! `LOCAL_CHANGE_PUSH_DELAY` after the first change it sees: the worst case is counted), then
//! syncs; meanwhile it keeps one `GET /v1/wait` at the server and syncs when told.
//!
//! Each round: the court approves its last own level (the request reaches the committee's level)
//! — **t0**; the committee's desk is told, pulls, and its 待审批 lists the case — **inbox**; it
//! decides (不同意, returned), and the court's desk is told, pulls, and sees the decision — **end**.
//! The court's case then starts a new request for the next round. Median and
//! p95 of t0→inbox and t0→end over N rounds (`HD_NOTICE_ROUNDS`, 50) against the 5-s budget.
//! Prints a Markdown report, also written to `target/bench-notice.md`.

#[path = "../../../../benches/machine.rs"]
mod machine;
#[path = "../server.rs"]
mod server;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hearing_core::plan::ApprovalInput;
use hearing_core::CaseStatus;
use hearing_store::sync::{LOCAL_CHANGE_POLL, LOCAL_CHANGE_PUSH_DELAY};
use hearing_store::Store;
use server::Server;

const BUDGET: f64 = 5.0;

/// What the app waits between a local change and its push, at worst.
fn pickup() -> Duration {
    LOCAL_CHANGE_POLL + LOCAL_CHANGE_PUSH_DELAY
}

fn enrolled(dir: &Path, url: &str, code: &str, name: &str) -> Store {
    let mut s = Store::open_dir(dir).expect("open a desk");
    s.sync_enroll(url, code, name).expect("enrol");
    s
}

/// Waits for the server's notice (as the app's watcher does), then syncs; `true` when the wait
/// said there were changes.
fn told_then_sync(store: &mut Store) -> bool {
    let told = hearing_store::sync::wait_for_changes(&RefCell::new(&mut *store), 25)
        .expect("wait at the server");
    if told {
        store.sync_now().expect("sync");
    }
    told
}

fn decide(store: &mut Store, case_id: &str, level: &str, approved: bool) {
    store
        .approve(
            case_id,
            &ApprovalInput {
                level_key: level.to_owned(),
                approver: "审批人".to_owned(),
                opinion: if approved {
                    "同意终结"
                } else {
                    "退回补充材料"
                }
                .to_owned(),
                approved,
                decided_on: String::new(),
            },
        )
        .unwrap_or_else(|e| panic!("{level}: {e}"));
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "hearing-store notice bench: run with `make bench-notice` (or `cargo build --release -p hearing-server && cargo bench -p hearing-store --bench notice`)"
        );
        return;
    }
    let target = machine::target_dir(env!("CARGO_MANIFEST_DIR"));
    let target = std::fs::canonicalize(&target).unwrap_or(target);
    let rounds = std::env::var("HD_NOTICE_ROUNDS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(50)
        .max(5);
    let server_bin = std::env::var_os("HD_NOTICE_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release/hearing-server"));
    assert!(
        server_bin.exists(),
        "{} is missing: build it first with `cargo build --release -p hearing-server` (`make bench-notice` does)",
        server_bin.display()
    );
    let load_before = machine::loadavg();
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string();
    let work = target.join("bench-notice");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create target/bench-notice");

    let mut server = Server {
        bin: server_bin,
        data: work.join("server"),
        child: None,
        base: String::new(),
    };
    let codes: BTreeMap<String, String> = server
        .admin(&["demo"])
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(o, c)| (o.to_owned(), c.to_owned()))
        .collect();
    server.start();
    let url = server.base.clone();

    let mut court = enrolled(&work.join("court"), &url, &codes["DHQFY"], "court");
    court.load_demo().expect("the court's demo cases");
    court.sync_now().expect("court sync");
    let case_id: String = court
        .conn()
        .query_row(
            "SELECT id FROM cases WHERE status = ?1 ORDER BY number LIMIT 1",
            [CaseStatus::ClosureApproval.as_str()],
            |r| r.get(0),
        )
        .expect("a demo case in 终结审批");
    let committee_code = codes["DHQ"].clone();
    let committee_dir = work.join("committee");

    // The committee's desk, in its own thread: told, pulls; decides what its 待审批 lists.
    let (inbox_tx, inbox_rx) = mpsc::channel::<Instant>();
    let committee = {
        let (url, case_id) = (url.clone(), case_id.clone());
        std::thread::spawn(move || {
            let mut desk = enrolled(&committee_dir, &url, &committee_code, "committee");
            desk.sync_now().expect("committee sync");
            let mut decided = 0;
            while decided < rounds {
                if !told_then_sync(&mut desk) {
                    continue;
                }
                let waiting = desk
                    .approval_inbox()
                    .expect("inbox")
                    .iter()
                    .any(|i| i.case_id == case_id);
                if !waiting {
                    continue;
                }
                let _ = inbox_tx.send(Instant::now());
                decide(&mut desk, &case_id, "committee", false);
                std::thread::sleep(pickup());
                desk.sync_now().expect("committee push");
                decided += 1;
            }
        })
    };
    // Let the committee's desk enrol and start waiting.
    std::thread::sleep(Duration::from_secs(2));

    let (mut to_inbox, mut to_end) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round > 0 {
            // A new request (提请终结审批 again): the demo case reached 终结审批 without a held
            // hearing, so the step's guards would refuse it; its effect is written directly —
            // the triggers log it like any write, and sync carries it. Not timed.
            court
                .conn()
                .execute(
                    "UPDATE cases SET status = ?2, approval_round = approval_round + 1 WHERE id = ?1",
                    [case_id.as_str(), CaseStatus::ClosureApproval.as_str()],
                )
                .expect("a new request");
        }
        decide(&mut court, &case_id, "caseOfficer", true);
        let t0 = Instant::now();
        decide(&mut court, &case_id, "organHead", true);
        std::thread::sleep(pickup());
        court.sync_now().expect("court push");
        // Told of the committee's decision, the court's desk pulls it.
        loop {
            told_then_sync(&mut court);
            let wf = court.case_workflow(&case_id).expect("workflow");
            let decided = wf
                .chain
                .iter()
                .any(|l| l.key == "committee" && l.step.as_ref().is_some_and(|s| !s.approved));
            if decided {
                break;
            }
        }
        let end = t0.elapsed();
        let inbox = inbox_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the committee's inbox time")
            .duration_since(t0);
        to_inbox.push(secs(inbox));
        to_end.push(secs(end));
        eprintln!(
            "round {:>2}: inbox {:.2} s, end {:.2} s",
            round + 1,
            secs(inbox),
            secs(end)
        );
    }
    committee.join().expect("the committee's thread");
    drop(server);

    let load_after = machine::loadavg();
    to_inbox.sort_by(f64::total_cmp);
    to_end.sort_by(f64::total_cmp);
    let (med_i, p95_i) = (quantile(&to_inbox, 0.5), quantile(&to_inbox, 0.95));
    let (med_e, p95_e) = (quantile(&to_end, 0.5), quantile(&to_end, 0.95));
    let verdict = |x: f64| if x <= BUDGET { "yes" } else { "**no**" };
    let mut r = String::new();
    let _ = writeln!(
        r,
        "### An approval across two desks (`make bench-notice`)\n"
    );
    let _ = writeln!(
        r,
        "{started_at} UTC, {}; load average {load_before} before, {load_after} after. {rounds} rounds; each hop includes the app's pickup delay after a local change ({} ms, worst case).\n",
        machine::machine(),
        pickup().as_millis()
    );
    let _ = writeln!(r, "| path | median | p95 | budget | met |");
    let _ = writeln!(r, "|---|---|---|---|---|");
    let _ = writeln!(
        r,
        "| court decides its last level → committee's 待审批 lists it | {:.2} s | {:.2} s | — | — |",
        med_i, p95_i
    );
    let _ = writeln!(
        r,
        "| … → committee decides → court's desk has the decision | **{:.2} s** | **{:.2} s** | ≤ {BUDGET} s | {} |",
        med_e,
        p95_e,
        verdict(p95_e)
    );
    let hops = 2.0 * secs(pickup());
    let _ = writeln!(
        r,
        "\nOf the round trip, {hops:.1} s is the two pickup delays; the rest — the server's notice, the pulls, applying them, the inbox and workflow reads — is {:.0} ms median, {:.0} ms p95.",
        (med_e - hops) * 1000.0,
        (p95_e - hops) * 1000.0
    );
    print!("{r}");
    let _ = std::fs::write(target.join("bench-notice.md"), &r);
    assert!(
        p95_e <= BUDGET,
        "the round trip's p95 {p95_e:.2} s is over the {BUDGET} s budget"
    );
}
