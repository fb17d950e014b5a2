//! Killing the app while the clerk types loses nothing that was shown as saved: a child process
//! types testimony in a loop through the real store, printing an acknowledgement after each
//! committed save; the test SIGKILLs it at a random moment, reopens the database and checks
//! every acknowledged text, the integrity of the file and the audit chain. Repeated many times.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use hearing_core::hearing::ParticipantRole;
use hearing_core::testimony::TestimonyInput;
use hearing_store::{audit, hearings, Store};

mod common;

const CHILD_DIR: &str = "HEARINGDESK_CRASH_CHILD_DIR";
const CHILD_HEARING: &str = "HEARINGDESK_CRASH_CHILD_HEARING";
const TEST_NAME: &str = "a_sigkill_while_typing_loses_no_acknowledged_entry";

/// What the clerk "types" for entry `n`: deterministic, so the parent knows each prefix.
fn script(n: usize) -> Vec<char> {
    format!("第{n}条：信访人陈述二〇一九年借款经过，出示借条复印件一份，称原判认定事实错误。")
        .chars()
        .collect()
}

/// The child: types entries one keystroke at a time, acknowledging each committed save.
fn type_forever(dir: &str, hearing_id: &str) {
    let mut store = match Store::open_dir(std::path::Path::new(dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("child cannot open: {e}");
            return;
        }
    };
    let out = std::io::stdout();
    let mut n = 0usize;
    loop {
        n += 1;
        let text = script(n);
        let first: String = text[..1].iter().collect();
        let entry = match store.add_testimony(
            hearing_id,
            &TestimonyInput {
                step_key: "petitionerStatement".into(),
                speaker_role: ParticipantRole::Petitioner,
                speaker_name: "测试人甲".into(),
                text: first,
            },
        ) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("child add failed: {e}");
                return;
            }
        };
        let _ = writeln!(out.lock(), "ACK {} {n} 1", entry.id);
        for len in 2..=text.len() {
            let typed: String = text[..len].iter().collect();
            if let Err(e) = store.update_testimony(&entry.id, &typed) {
                eprintln!("child update failed: {e}");
                return;
            }
            let _ = writeln!(out.lock(), "ACK {} {n} {len}", entry.id);
        }
    }
}

#[test]
fn a_sigkill_while_typing_loses_no_acknowledged_entry() {
    if let (Ok(dir), Ok(hearing)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_HEARING)) {
        type_forever(&dir, &hearing);
        return;
    }
    let (dir, mut store, case_id) = common::setup();
    let d = common::hearing_in_session(&mut store, &case_id);
    let hearing_id = d.hearing.id.clone();
    drop(store);

    let exe = std::env::current_exe().expect("test binary");
    let mut total_acks = 0usize;
    for round in 0..12u64 {
        let mut child = Command::new(&exe)
            .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD_DIR, dir.path())
            .env(CHILD_HEARING, &hearing_id)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("child stdout");
        // Kill after a varying number of acknowledgements: mid-entry, at entry starts, anywhere.
        let kill_after = 15 + ((round * 37) % 90) as usize;
        let mut acked: Vec<(String, usize, usize)> = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let parts: Vec<&str> = line.split_whitespace().collect();
            if let ["ACK", id, n, len] = parts.as_slice() {
                acked.push((
                    (*id).to_owned(),
                    n.parse().unwrap_or(0),
                    len.parse().unwrap_or(0),
                ));
                if acked.len() >= kill_after {
                    break;
                }
            }
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        assert!(
            !acked.is_empty(),
            "round {round}: the child acknowledged nothing"
        );
        total_acks += acked.len();

        let store = Store::open_dir(dir.path()).expect("reopen after kill");
        let check: String = store
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity");
        assert_eq!(check, "ok", "round {round}");
        assert!(
            audit::verify(store.conn()).expect("verify").ok,
            "round {round}"
        );
        // The last acknowledgement of each entry is the longest text shown as saved.
        for (id, n, len) in &acked {
            let e = hearings::testimony_entry(store.conn(), id)
                .unwrap_or_else(|err| panic!("round {round}: acknowledged entry {id} lost: {err}"));
            let expected: String = script(*n)[..*len].iter().collect();
            assert!(
                e.text.starts_with(&expected),
                "round {round}: entry {n} shows “{}”, but “{expected}” was acknowledged",
                e.text
            );
        }
    }
    assert!(
        total_acks > 100,
        "the test exercised too little: {total_acks}"
    );
}
