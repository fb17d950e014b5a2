//! Backup while in use, and restore: an encrypted desk's backup is unreadable without a
//! password, a damaged backup is refused before anything changes, and a restore brings back
//! exactly what was backed up (the desk's previous files moved aside, not deleted).

use hearing_core::access::Role;
use hearing_store::accounts::{self, NewOperator};
use hearing_store::backup;
use hearing_store::{Store, DB_FILE};

fn desk(dir: &std::path::Path) -> Store {
    std::env::set_var("HEARINGDESK_TEST_FAST_KDF", "1");
    let mut s = Store::open_dir(dir).unwrap();
    s.load_demo().unwrap();
    s.setup_accounts(&NewOperator {
        login: "admin".into(),
        name: "王管理".into(),
        role: Role::Admin,
        password: "admin-pass-1".into(),
    })
    .unwrap()
}

fn count(s: &Store, sql: &str) -> i64 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_encrypted_backup_restores_exactly_what_was_saved() {
    let desk_dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let mut s = desk(desk_dir.path());
    let cases = count(&s, "SELECT count(*) FROM cases");
    let events = count(&s, "SELECT count(*) FROM audit_events");
    let file = out_dir.path().join("desk.hdbak");
    let mut stages = Vec::new();
    let header = s
        .backup_to(&file, |p| {
            if stages.last() != Some(&p.stage.to_owned()) {
                stages.push(p.stage.to_owned());
            }
        })
        .unwrap();
    assert!(header.encrypted);
    assert!(stages.contains(&"复制数据库".to_owned()), "{stages:?}");
    let bytes = std::fs::read(&file).unwrap();
    for needle in ["信访案", "王管理"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} readable in the backup"
        );
    }

    // Work goes on after the backup: one more org is created, then the backup is restored.
    s.create_org(&hearing_core::OrgInput {
        parent_id: s.desk_org_id().unwrap(),
        name: "备份后新建的单位".into(),
        short_name: String::new(),
        kind: hearing_core::OrgKind::Court,
        code: "BAKX".into(),
    })
    .unwrap();
    drop(s);

    // Without a password, or with a wrong one, nothing is restored.
    let e = backup::restore(&file, desk_dir.path(), None, true, |_| {}).unwrap_err();
    assert!(e.to_string().contains("加密备份"), "{e}");
    let e = backup::restore(
        &file,
        desk_dir.path(),
        Some(("admin", "wrong-pass-1")),
        true,
        |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("密码"), "{e}");
    // Without --replace an existing desk is not overwritten.
    let e = backup::restore(
        &file,
        desk_dir.path(),
        Some(("admin", "admin-pass-1")),
        false,
        |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("已有数据库"), "{e}");
    let after = accounts::login(desk_dir.path(), "admin", "admin-pass-1").unwrap();
    assert_eq!(
        count(&after, "SELECT count(*) FROM orgs WHERE code = 'BAKX'"),
        1
    );
    drop(after);

    let report = backup::restore(
        &file,
        desk_dir.path(),
        Some(("admin", "admin-pass-1")),
        true,
        |_| {},
    )
    .unwrap();
    let aside = report.moved_aside.expect("previous files kept");
    assert!(std::path::Path::new(&aside).join(DB_FILE).exists());
    let restored = accounts::login(desk_dir.path(), "admin", "admin-pass-1").unwrap();
    assert_eq!(count(&restored, "SELECT count(*) FROM cases"), cases);
    assert_eq!(
        count(&restored, "SELECT count(*) FROM orgs WHERE code = 'BAKX'"),
        0
    );
    // The audit chain came back whole (plus this login).
    let audit = hearing_store::audit::verify(restored.conn()).unwrap();
    assert!(audit.ok);
    assert!(audit.events as i64 >= events);
}

#[test]
fn a_damaged_backup_is_refused_and_the_desk_left_alone() {
    let desk_dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let s = desk(desk_dir.path());
    let file = out_dir.path().join("desk.hdbak");
    s.backup_to(&file, |_| {}).unwrap();
    drop(s);
    let before = std::fs::read(desk_dir.path().join(DB_FILE)).unwrap();

    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 0x55;
    let damaged = out_dir.path().join("damaged.hdbak");
    std::fs::write(&damaged, &bytes).unwrap();
    let e = backup::restore(
        &damaged,
        desk_dir.path(),
        Some(("admin", "admin-pass-1")),
        true,
        |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("校验值不符"), "{e}");

    let truncated = out_dir.path().join("short.hdbak");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let e = backup::restore(
        &truncated,
        desk_dir.path(),
        Some(("admin", "admin-pass-1")),
        true,
        |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("不完整"), "{e}");

    let e = backup::read_header(&desk_dir.path().join(DB_FILE)).unwrap_err();
    assert!(e.to_string().contains("不是听证工作台备份文件"), "{e}");

    assert_eq!(
        std::fs::read(desk_dir.path().join(DB_FILE)).unwrap(),
        before
    );
    drop(accounts::login(desk_dir.path(), "admin", "admin-pass-1").unwrap());
}
