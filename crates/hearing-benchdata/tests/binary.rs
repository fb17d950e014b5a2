//! The `bench-data` binary as the benches run it: a tiny dataset into an empty directory, its
//! record left in `desk_meta`, and a second run into the same directory refused in Chinese.
//! (What the dataset holds is checked through hearingctl in hearing-cli's tests/bench_data.rs.)

use std::process::Command;

fn bench_data(dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bench-data"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--cases", "20", "--testimony", "50", "--persons", "60"])
        .output()
        .expect("run bench-data")
}

#[test]
fn bench_data_fills_an_empty_directory_and_refuses_a_full_one() {
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("desk");
    let first = bench_data(&dir);
    assert!(first.status.success(), "{first:?}");
    assert!(String::from_utf8_lossy(&first.stdout).contains("完成"));
    let conn = rusqlite::Connection::open(dir.join(hearing_store::DB_FILE)).expect("db");
    let cases: i64 = conn
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("cases");
    assert_eq!(cases, 20);
    let record: String = conn
        .query_row(
            "SELECT value FROM desk_meta WHERE key = ?1",
            [hearing_benchdata::STAMP_KEY],
            |r| r.get(0),
        )
        .expect("record");
    assert!(record.contains("\"cases\":20"), "{record}");

    let again = bench_data(&dir);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("不是空的"),
        "{again:?}"
    );
}
