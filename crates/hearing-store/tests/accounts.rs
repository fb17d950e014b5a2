//! Operator accounts and encryption at rest, on real database files: the first administrator
//! turns a plain desk into an encrypted one; passwords unlock key slots; roles are enforced by
//! the store; reveals of personal data are audited; scans are sealed.

mod common;

use std::path::Path;

use hearing_core::access::Role;
use hearing_store::accounts::{self, NewOperator};
use hearing_store::{Store, StoreError, DB_FILE};

fn fast_kdf() {
    // Cheap Argon2id for tests (honoured by debug builds only).
    std::env::set_var("HEARINGDESK_TEST_FAST_KDF", "1");
}

fn op(login: &str, name: &str, role: Role, password: &str) -> NewOperator {
    NewOperator {
        login: login.into(),
        name: name.into(),
        role,
        password: password.into(),
    }
}

/// A demo desk with accounts: administrator `admin` / `admin-pass-1`.
fn demo_desk(dir: &Path) -> Store {
    fast_kdf();
    let mut store = Store::open_dir(dir).unwrap();
    store.load_demo().unwrap();
    store
        .setup_accounts(&op("admin", "王管理", Role::Admin, "admin-pass-1"))
        .unwrap()
}

fn raw_header(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(DB_FILE)).unwrap()[..16].to_vec()
}

#[test]
fn setting_up_accounts_encrypts_the_database_and_keeps_every_record() {
    let dir = tempfile::tempdir().unwrap();
    fast_kdf();
    let mut plain = Store::open_dir(dir.path()).unwrap();
    plain.load_demo().unwrap();
    let cases_before: i64 = plain
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(raw_header(dir.path()), b"SQLite format 3\0");
    let store = plain
        .setup_accounts(&op("admin", "王管理", Role::Admin, "admin-pass-1"))
        .unwrap();
    assert!(store.is_encrypted());
    assert_eq!(store.operator().map(|o| o.role), Some(Role::Admin));
    let cases_after: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cases_before, cases_after);
    assert!(hearing_store::audit::verify(store.conn()).unwrap().ok);
    drop(store);

    // The file no longer starts with the SQLite header and no plain copy is left behind.
    assert_ne!(raw_header(dir.path()), b"SQLite format 3\0");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("encrypting")), "{names:?}");
    // Not even the case titles appear in the bytes on disk.
    let bytes = std::fs::read(dir.path().join(DB_FILE)).unwrap();
    let needle = "信访案".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));

    // Without logging in the store refuses to open; a wrong password is refused.
    match Store::open_dir(dir.path()) {
        Err(StoreError::Locked(m)) => assert!(m.contains("登录"), "{m}"),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("an encrypted desk opened without a password"),
    }
    match accounts::login(dir.path(), "admin", "wrong-pass-1") {
        Err(StoreError::Auth(m)) => assert!(m.contains("用户名或密码不正确"), "{m}"),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("wrong password accepted"),
    }
    let again = accounts::login(dir.path(), "admin", "admin-pass-1").unwrap();
    let n: i64 = again
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, cases_before);
}

#[test]
fn five_wrong_passwords_lock_the_account() {
    let dir = tempfile::tempdir().unwrap();
    drop(demo_desk(dir.path()));
    for i in 1..=5 {
        let err = accounts::login(dir.path(), "admin", "nope-nope-1")
            .err()
            .expect("refused");
        let msg = err.to_string();
        if i < 5 {
            assert!(msg.contains(&format!("还可再试 {} 次", 5 - i)), "{msg}");
        } else {
            assert!(msg.contains("锁定"), "{msg}");
        }
    }
    // Even the right password is refused while locked.
    let msg = accounts::login(dir.path(), "admin", "admin-pass-1")
        .err()
        .expect("locked")
        .to_string();
    assert!(msg.contains("已锁定"), "{msg}");
}

#[test]
fn roles_are_enforced_by_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = demo_desk(dir.path());
    admin
        .add_operator(&op("clerk", "李记录", Role::Clerk, "clerk-pass-1"))
        .unwrap();
    admin
        .add_operator(&op("viewer", "赵只读", Role::ReadOnly, "viewer-pass-1"))
        .unwrap();
    admin
        .add_operator(&op(
            "closer",
            "孙终结",
            Role::ClosureOfficer,
            "closer-pass-1",
        ))
        .unwrap();
    // A clash of login names is refused.
    let e = admin
        .add_operator(&op("clerk", "另一人", Role::Clerk, "other-pass-1"))
        .unwrap_err();
    assert!(e.to_string().contains("已被使用"), "{e}");
    let case_id: String = admin
        .conn()
        .query_row("SELECT id FROM cases ORDER BY number LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(admin);

    // 记录员: may not approve a closure, nor edit the case file, nor add operators.
    let mut clerk = accounts::login(dir.path(), "clerk", "clerk-pass-1").unwrap();
    let e = clerk.approve(&case_id, &approval_input()).unwrap_err();
    assert!(
        matches!(e, StoreError::Forbidden(_)) && e.to_string().contains("终结审批"),
        "{e}"
    );
    assert!(e.to_string().contains("记录员"), "{e}");
    let e = clerk
        .set_case_analysis(&case_id, &common::full_analysis())
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    let e = clerk
        .add_operator(&op("x", "某人", Role::Admin, "xxxx-pass-1"))
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    // …and sees only themselves in the operator list.
    assert_eq!(clerk.operators().unwrap().len(), 1);
    drop(clerk);

    // 只读: nothing at all, and no reveal of personal data.
    let mut viewer = accounts::login(dir.path(), "viewer", "viewer-pass-1").unwrap();
    let before = hearing_store::audit::verify(viewer.conn()).unwrap().events;
    let e = viewer
        .set_case_analysis(&case_id, &common::full_analysis())
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    assert!(viewer.reveal_petitioner(&case_id, 1).is_err());
    assert!(matches!(
        viewer.case_for_edit(&case_id),
        Err(StoreError::Forbidden(_))
    ));
    // Refusals leave nothing behind (the login itself is one event, before `before`).
    assert_eq!(
        hearing_store::audit::verify(viewer.conn()).unwrap().events,
        before
    );
    drop(viewer);

    // 终结承办人: the approval step is not refused for the role (it may be refused by the
    // workflow's own conditions, which is a different error).
    let mut closer = accounts::login(dir.path(), "closer", "closer-pass-1").unwrap();
    if let Err(e) = closer.approve(&case_id, &approval_input()) {
        assert!(!matches!(e, StoreError::Forbidden(_)), "{e}");
    }
}

fn approval_input() -> hearing_core::plan::ApprovalInput {
    hearing_core::plan::ApprovalInput {
        level_key: "organ".into(),
        approver: "孙终结".into(),
        opinion: "同意终结".into(),
        approved: true,
        decided_on: String::new(),
    }
}

#[test]
fn a_reveal_of_a_full_id_number_is_an_audit_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = demo_desk(dir.path());
    let (case_id, seq): (String, u32) = admin
        .conn()
        .query_row(
            "SELECT case_id, seq FROM petitioners WHERE id_number IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let before = hearing_store::audit::verify(admin.conn()).unwrap().events;
    let r = admin.reveal_petitioner(&case_id, seq).unwrap();
    assert_eq!(r.id_number.as_deref().map(str::len), Some(18));
    let after = hearing_store::audit::verify(admin.conn()).unwrap();
    assert!(after.ok);
    assert_eq!(after.events, before + 1);
    let (action, summary): (String, String) = admin
        .conn()
        .query_row(
            "SELECT action, summary FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "查看个人信息");
    assert!(summary.contains(&r.name), "{summary}");

    // Opening the case's edit form shows the full number too: audited the same way, on the
    // case's timeline; a person's edit form likewise.
    let case = admin.case_for_edit(&case_id).unwrap();
    assert_eq!(case.petitioners[seq as usize].id_number, r.id_number);
    let on_case = hearing_store::audit::events_for(admin.conn(), "case", &case_id).unwrap();
    let last = on_case.last().unwrap();
    assert_eq!(last.action, "查看个人信息");
    assert!(last.summary.contains(&case.number), "{}", last.summary);
    let person: String = admin
        .conn()
        .query_row(
            "SELECT id FROM persons WHERE id_number IS NOT NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let p = admin.person_for_edit(&person).unwrap();
    assert_eq!(p.id_number.as_deref().map(str::len), Some(18));
    let events = hearing_store::audit::verify(admin.conn()).unwrap();
    assert!(events.ok);
    assert_eq!(events.events, before + 3);
}

#[test]
fn passwords_change_one_slot_and_a_disabled_operator_cannot_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = demo_desk(dir.path());
    let clerk = admin
        .add_operator(&op("clerk", "李记录", Role::Clerk, "clerk-pass-1"))
        .unwrap();
    drop(admin);
    let slots_before = std::fs::read_to_string(dir.path().join("keys.json")).unwrap();

    let mut me = accounts::login(dir.path(), "clerk", "clerk-pass-1").unwrap();
    let e = me
        .set_password(&clerk.id, Some("not-my-pass-1"), "clerk-pass-2")
        .unwrap_err();
    assert!(e.to_string().contains("当前密码不正确"), "{e}");
    let e = me
        .set_password(&clerk.id, Some("clerk-pass-1"), "short")
        .unwrap_err();
    assert!(e.to_string().contains("至少 8 位"), "{e}");
    me.set_password(&clerk.id, Some("clerk-pass-1"), "clerk-pass-2")
        .unwrap();
    drop(me);
    assert!(accounts::login(dir.path(), "clerk", "clerk-pass-1").is_err());
    drop(accounts::login(dir.path(), "clerk", "clerk-pass-2").unwrap());
    // The administrator's slot did not change: the database was not re-encrypted.
    let admin_slot = |text: &str| -> String {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["login"] == "admin")
            .unwrap()["wrapped_key"]
            .to_string()
    };
    let slots_after = std::fs::read_to_string(dir.path().join("keys.json")).unwrap();
    assert_eq!(admin_slot(&slots_before), admin_slot(&slots_after));

    let mut admin = accounts::login(dir.path(), "admin", "admin-pass-1").unwrap();
    let e = admin
        .disable_operator(&admin.operator().unwrap().id.clone())
        .unwrap_err();
    assert!(e.to_string().contains("不能停用当前登录"), "{e}");
    admin.disable_operator(&clerk.id).unwrap();
    drop(admin);
    let e = accounts::login(dir.path(), "clerk", "clerk-pass-2")
        .err()
        .expect("disabled");
    assert!(e.to_string().contains("用户名或密码不正确"), "{e}");
}

#[test]
fn an_attached_scan_is_sealed_on_disk_and_read_back_whole() {
    fast_kdf();
    let Some(fonts) = hearing_testkit::require(
        hearing_docs::FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    ) else {
        return;
    };
    let (dir, mut plain, case_id) = common::setup();
    let h = common::plan(
        &mut plain,
        &case_id,
        hearing_store::today() + chrono::Duration::days(10),
    );
    let d = plain
        .generate_document(
            hearing_docs::DocKind::Notice,
            &case_id,
            Some(&h.hearing.id),
            None,
        )
        .unwrap();
    let d = plain.finalize_document(&d.id, &fonts).unwrap();
    let mut admin = plain
        .setup_accounts(&op("admin", "王管理", Role::Admin, "admin-pass-1"))
        .unwrap();
    let scan = dir.path().join("signed.png");
    let content = b"\x89PNG\r\n\x1a\n fake scan bytes \xe7\xad\xbe".to_vec();
    std::fs::write(&scan, &content).unwrap();
    admin.mark_document_printed(&d.id).unwrap();
    let signed = admin.attach_signed_scan(&d.id, &scan).unwrap();
    let stored = std::fs::read(dir.path().join(signed.scan_path.unwrap())).unwrap();
    assert!(stored.starts_with(b"HDENC1"));
    assert!(!stored.windows(8).any(|w| w == b"fake sca"));
    assert_eq!(admin.read_signed_scan(&d.id).unwrap(), content);
}

#[test]
fn a_clerk_marks_attendance_but_neither_plans_nor_changes_the_fonts() {
    use hearing_core::{InvitationStatus, ParticipantRole};
    fast_kdf();
    let (dir, mut s, case_id) = common::setup();
    let d = common::hearing_in_session(&mut s, &case_id);
    let panelist = d
        .participants
        .iter()
        .find(|p| p.role == ParticipantRole::Panelist)
        .map(|p| p.id.clone())
        .unwrap();
    let mut admin = s
        .setup_accounts(&op("admin", "王管理", Role::Admin, "admin-pass-1"))
        .unwrap();
    admin
        .add_operator(&op("clerk", "李记录", Role::Clerk, "clerk-pass-1"))
        .unwrap();
    let fonts = admin.font_settings().unwrap();
    drop(admin);

    let mut clerk = accounts::login(dir.path(), "clerk", "clerk-pass-1").unwrap();
    // Attendance is part of running the hearing: the clerk marks it in the room.
    clerk
        .set_invitation(&panelist, InvitationStatus::Attended)
        .unwrap();
    // Inviting is planning.
    let e = clerk
        .set_invitation(&panelist, InvitationStatus::Declined)
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    // The document faces are a desk setting.
    let e = clerk.save_font_settings(&fonts).unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
}

#[test]
fn a_session_locks_when_idle_or_asked_and_says_why() {
    use hearing_store::session::{IdleClock, LockReason, Slot};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    // A desk without accounts is open and never expires.
    let plain = Store::open_dir(dir.path()).unwrap();
    drop(plain);
    let mut slot = Slot::open(dir.path(), LockReason::Startup);
    let clock = IdleClock::new(Duration::from_secs(60));
    let t0 = Instant::now();
    clock.touch_at(t0);
    assert!(!slot.expire_if_idle(&clock, t0 + Duration::from_secs(3600)));
    assert!(slot.store().is_some() && !slot.logged_in());

    // With accounts it opens locked, for the reason given.
    let admin = slot.take_store("设置中").unwrap();
    assert!(slot.is_busy() && slot.store().is_none());
    drop(
        admin
            .setup_accounts(&op("admin", "王管理", Role::Admin, "admin-pass-1"))
            .unwrap(),
    );
    let slot = Slot::open(dir.path(), LockReason::Restored);
    assert_eq!(slot.lock_reason(), Some(LockReason::Restored));

    // Logged in: within the limit it stays open; past it, it locks once and tells once.
    let mut slot = Slot::Open(accounts::login(dir.path(), "admin", "admin-pass-1").unwrap());
    assert!(slot.logged_in());
    clock.touch_at(t0);
    assert!(!slot.expire_if_idle(&clock, t0 + Duration::from_secs(60)));
    assert!(slot.expire_if_idle(&clock, t0 + Duration::from_secs(61)));
    assert_eq!(slot.lock_reason(), Some(LockReason::Idle));
    assert!(slot.store().is_none());
    assert!(clock.take_news() && !clock.take_news());
    assert!(!slot.expire_if_idle(&clock, t0 + Duration::from_secs(3600)));

    // Both ends of the operator's session are in the audit chain, with who and why.
    let mut slot = Slot::Open(accounts::login(dir.path(), "admin", "admin-pass-1").unwrap());
    slot.lock(LockReason::Manual);
    assert_eq!(slot.lock_reason(), Some(LockReason::Manual));
    let store = accounts::login(dir.path(), "admin", "admin-pass-1").unwrap();
    let actions: Vec<(String, String)> = store
        .conn()
        .prepare("SELECT action, summary FROM audit_events WHERE entity = 'operator' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let locks: Vec<&(String, String)> =
        actions.iter().filter(|(a, _)| a.contains("锁定")).collect();
    assert_eq!(locks.len(), 2, "{actions:?}");
    assert_eq!(locks[0].0, "长时间未操作，自动锁定");
    assert_eq!(locks[1].0, "锁定本机");
    assert!(locks.iter().all(|(_, s)| s.contains("王管理")), "{locks:?}");
    assert!(hearing_store::audit::verify(store.conn()).unwrap().ok);
}
