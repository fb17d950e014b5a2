//! `hearingctl` run as a process against a real database directory.

mod common;

use common::{ctl, ok, text};

#[test]
fn init_demo_list_and_audit_verify() {
    let dir = tempfile::tempdir().expect("dir");
    let o = ctl(dir.path(), &["init"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = ctl(dir.path(), &["demo"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("件案件"));

    let o = ctl(dir.path(), &["cases", "list"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    let rows = out.lines().filter(|l| l.contains('\t')).count();
    assert!(rows >= 28, "{out}");
    assert!(out.contains("********"), "ID numbers masked: {out}");

    let o = ctl(dir.path(), &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("审计链完整"));

    // Register one more case so the chain has a middle to break, then delete an event.
    let o = ctl(
        dir.path(),
        &[
            "cases",
            "create",
            "--title",
            "测试信访案",
            "--petitioner",
            "张三",
            "--demands",
            "撤销原判",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let db = dir.path().join(hearing_store::DB_FILE);
    let conn = rusqlite::Connection::open(&db).expect("raw");
    conn.execute("DELETE FROM audit_events WHERE seq = 1", [])
        .expect("delete");
    drop(conn);
    let o = ctl(dir.path(), &["audit", "verify"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("第 1 条"), "{}", text(&o));
}

#[test]
fn an_invalid_id_number_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(ctl(
        dir.path(),
        &["init", "--org-name", "东河区政法委", "--org-code", "DHQ"]
    )
    .status
    .success());
    let o = ctl(
        dir.path(),
        &[
            "cases",
            "create",
            "--title",
            "案",
            "--petitioner",
            "张三",
            "--id-number",
            "340524198001010013",
            "--demands",
            "诉求",
        ],
    );
    assert!(!o.status.success());
    let out = text(&o);
    assert!(out.contains("校验位") && out.contains("未保存"), "{out}");
    let o = ctl(dir.path(), &["cases", "list"]);
    assert!(text(&o).contains("共 0 件"), "{}", text(&o));

    let o = ctl(dir.path(), &["check", "id-number", "11010519491332002X"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("出生日期"), "{}", text(&o));
    let o = ctl(dir.path(), &["check", "id-number", "1101051949"]);
    assert!(text(&o).contains("18 位"), "{}", text(&o));
    let o = ctl(dir.path(), &["check", "id-number", "11010519491231002x"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_newer_database_is_refused_by_the_cli() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join(hearing_store::DB_FILE);
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute_batch("PRAGMA user_version = 42;"))
        .expect("future");
    let o = ctl(dir.path(), &["cases", "list"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("更新版本"), "{}", text(&o));
}

#[test]
#[cfg(unix)]
fn a_closed_pipe_ends_the_listing_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().expect("dir");
    ok(dir.path(), &["init"]);
    ok(dir.path(), &["demo"]);
    // As `hearingctl cases list | head -0`: the reader is gone before the first line is written.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearingctl"))
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["cases", "list"])
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    let status = child.wait().expect("wait");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        status.signal(),
        Some(13),
        "ended by SIGPIPE: {status:?} {err}"
    );
}
