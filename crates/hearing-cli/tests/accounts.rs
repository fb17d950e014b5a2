//! Accounts and encryption through the real `hearingctl`: after the first administrator is set
//! up, neither `sqlite3` nor `hearingctl` without a password can read the database; roles are
//! refused in the Rust layer; a backup restores through the command line.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::text;

/// `hearingctl --data-dir DIR ARGS…` as `user` (if any) with `password` in the environment.
fn run(dir: &Path, user: Option<&str>, password: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearingctl"));
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("HEARINGDESK_TEST_FAST_KDF", "1")
        .env_remove("HEARINGDESK_USER")
        .env_remove("HEARINGDESK_PASSWORD")
        .env_remove("HEARINGDESK_NEW_PASSWORD");
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    if let Some(p) = password {
        c.env("HEARINGDESK_PASSWORD", p);
    }
    c.output().expect("run hearingctl")
}

fn ok(o: Output, what: &str) -> String {
    let t = text(&o);
    assert!(o.status.success(), "{what} failed:\n{t}");
    t
}

fn refused(o: Output, what: &str) -> String {
    let t = text(&o);
    assert!(!o.status.success(), "{what} should have been refused:\n{t}");
    t
}

fn with_new_password(
    dir: &Path,
    user: Option<&str>,
    pw: Option<&str>,
    new: &str,
    args: &[&str],
) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearingctl"));
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("HEARINGDESK_TEST_FAST_KDF", "1")
        .env_remove("HEARINGDESK_USER")
        .env("HEARINGDESK_NEW_PASSWORD", new);
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    match pw {
        Some(p) => c.env("HEARINGDESK_PASSWORD", p),
        None => c.env_remove("HEARINGDESK_PASSWORD"),
    };
    c.output().expect("run hearingctl")
}

fn sqlite3_available() -> bool {
    let ok = Command::new("sqlite3").arg("-version").output().is_ok();
    if !ok {
        hearing_testkit::skip("sqlite3 检查：未安装 sqlite3（apt install sqlite3）");
    }
    ok
}

#[test]
fn without_the_password_nothing_reads_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(run(dir, None, None, &["demo"]), "demo");
    let db = dir.join("hearingdesk.db");
    if sqlite3_available() {
        let before = Command::new("sqlite3")
            .arg(&db)
            .arg("SELECT count(*) FROM cases")
            .output()
            .unwrap();
        assert!(before.status.success(), "{}", text(&before));
    }

    // A weak password is refused and nothing changes.
    let t = refused(
        with_new_password(
            dir,
            None,
            None,
            "short",
            &["account", "setup", "--login", "admin", "--name", "王管理"],
        ),
        "weak password",
    );
    assert!(t.contains("至少 8 位"), "{t}");
    ok(run(dir, None, None, &["cases", "list"]), "still plain");

    let t = ok(
        with_new_password(
            dir,
            None,
            None,
            "admin-pass-1",
            &["account", "setup", "--login", "admin", "--name", "王管理"],
        ),
        "setup",
    );
    assert!(t.contains("数据库已加密"), "{t}");

    if sqlite3_available() {
        let o = Command::new("sqlite3")
            .arg(&db)
            .arg("SELECT count(*) FROM cases")
            .output()
            .unwrap();
        let t = text(&o);
        assert!(!o.status.success(), "sqlite3 read the encrypted file:\n{t}");
        assert!(t.contains("not a database"), "{t}");
    }
    let t = refused(run(dir, None, None, &["cases", "list"]), "no login");
    assert!(t.contains("已加密") && t.contains("--user"), "{t}");
    let t = refused(
        run(dir, Some("admin"), None, &["cases", "list"]),
        "no password",
    );
    assert!(t.contains("HEARINGDESK_PASSWORD"), "{t}");
    let t = refused(
        run(dir, Some("admin"), Some("admin-pass-2"), &["cases", "list"]),
        "wrong password",
    );
    assert!(t.contains("用户名或密码不正确"), "{t}");
    let t = ok(
        run(dir, Some("admin"), Some("admin-pass-1"), &["cases", "list"]),
        "login",
    );
    assert!(t.contains("信访案"), "{t}");
    // The ID numbers stay masked in lists; a reveal is audited.
    assert!(t.contains("********"), "{t}");
    let number = t
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    let r = ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["reveal", "--case", &number],
        ),
        "reveal",
    );
    assert!(r.contains("审计"), "{r}");
    let a = ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["audit", "verify"],
        ),
        "audit verify",
    );
    assert!(!a.contains("断"), "{a}");
}

#[test]
fn roles_are_refused_by_hearingctl_and_a_backup_restores() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(run(dir, None, None, &["demo"]), "demo");
    ok(
        with_new_password(
            dir,
            None,
            None,
            "admin-pass-1",
            &["account", "setup", "--login", "admin", "--name", "王管理"],
        ),
        "setup",
    );
    for (login, name, role) in [("clerk", "李记录", "clerk"), ("viewer", "赵只读", "只读")]
    {
        ok(
            with_new_password(
                dir,
                Some("admin"),
                Some("admin-pass-1"),
                &format!("{login}-pass-1"),
                &[
                    "account", "add", "--login", login, "--name", name, "--role", role,
                ],
            ),
            "add operator",
        );
    }
    let list = ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["account", "list"],
        ),
        "list",
    );
    assert!(list.contains("记录员") && list.contains("只读"), "{list}");
    let number = ok(
        run(dir, Some("admin"), Some("admin-pass-1"), &["cases", "list"]),
        "cases",
    )
    .lines()
    .next()
    .unwrap()
    .split('\t')
    .next()
    .unwrap()
    .to_owned();

    // 记录员 cannot approve a closure.
    let t = refused(
        run(
            dir,
            Some("clerk"),
            Some("clerk-pass-1"),
            &[
                "closure",
                "approve",
                "--case",
                &number,
                "--level",
                "caseOfficer",
                "--approver",
                "李记录",
                "--opinion",
                "同意",
            ],
        ),
        "clerk approves",
    );
    assert!(t.contains("记录员") && t.contains("终结审批"), "{t}");
    // 只读 cannot edit, nor reveal.
    let t = refused(
        run(
            dir,
            Some("viewer"),
            Some("viewer-pass-1"),
            &[
                "cases",
                "create",
                "--title",
                "某某信访案",
                "--petitioner",
                "某某",
                "--demands",
                "要求",
            ],
        ),
        "viewer edits",
    );
    assert!(t.contains("只读"), "{t}");
    let t = refused(
        run(
            dir,
            Some("viewer"),
            Some("viewer-pass-1"),
            &["reveal", "--case", &number],
        ),
        "viewer reveals",
    );
    assert!(t.contains("没有"), "{t}");
    // …nor make a backup.
    let out = tmp.path().join("backup.hdbak");
    let out_s = out.to_str().unwrap();
    refused(
        run(
            dir,
            Some("viewer"),
            Some("viewer-pass-1"),
            &["backup", "--out", out_s],
        ),
        "viewer backs up",
    );

    let t = ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["backup", "--out", out_s],
        ),
        "backup",
    );
    assert!(t.contains("已加密"), "{t}");
    // A case registered after the backup disappears with the restore.
    ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &[
                "cases",
                "create",
                "--title",
                "备份后登记的信访案",
                "--petitioner",
                "某某",
                "--demands",
                "要求",
            ],
        ),
        "create",
    );
    let t = refused(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["restore", out_s],
        ),
        "restore without --replace",
    );
    assert!(t.contains("--replace"), "{t}");
    let t = ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["restore", out_s, "--replace"],
        ),
        "restore",
    );
    assert!(t.contains("原有文件已移到"), "{t}");
    let list = ok(
        run(
            dir,
            Some("admin"),
            Some("admin-pass-1"),
            &["cases", "list", "--search", "备份后"],
        ),
        "after restore",
    );
    assert!(list.contains("共 0 件"), "{list}");
    ok(
        run(
            dir,
            Some("clerk"),
            Some("clerk-pass-1"),
            &["audit", "verify"],
        ),
        "clerk reads",
    );
}
