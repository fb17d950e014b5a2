//! The desk side of sync between real stores, changes carried page by page the way the
//! client carries them (outbox → apply): initial copy, concurrent edits of one case, a page
//! delivered twice, a document finalised on one desk while edited on the other, a transcript
//! signed on one desk while edited on another, and two desks numbering cases offline.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::{full_analysis, hearing_in_session, no_input};
use hearing_core::case_flow::CaseAction;
use hearing_core::deliberation::{OpinionInput, Vote};
use hearing_core::hearing::{HearingAction, InvitationStatus, ParticipantRole, SignatureStatus};
use hearing_core::testimony::TestimonyInput;
use hearing_core::{
    CaseAnalysis, CaseCategory, CaseInput, CaseListQuery, PetitionerInput, PetitionerKind,
};
use hearing_docs::DocKind;
use hearing_store::clock::Clock;
use hearing_store::ErrorCode;
use hearing_store::{Store, StoreError};
use hearing_sync::{Change, Hlc, Op, Org};
use rusqlite::types::Value as SqlValue;

/// Every synced table's rows, sorted, as text: what two desks must agree on.
fn state(s: &Store) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for t in hearing_sync::SYNCED_TABLES {
        let mut stmt = s.conn().prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let vals: Vec<SqlValue> = (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{vals:?}"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.sort();
        out.insert(t.to_owned(), rows);
    }
    out
}

/// Carries every waiting change of `from` to `to`, in pages of 50; returns (changes, conflicts).
fn carry(from: &mut Store, to: &mut Store) -> (usize, usize) {
    let (mut moved, mut conflicts) = (0, 0);
    loop {
        let page = from.sync_outbox_page(50).unwrap();
        let Some(last) = page.last().map(|(seq, _)| *seq) else {
            return (moved, conflicts);
        };
        let changes: Vec<_> = page.into_iter().map(|(_, c)| c).collect();
        let mut blobs = HashMap::new();
        for c in &changes {
            for v in c.cols.values() {
                if let Some(h) = v.get("$blob").and_then(|h| h.as_str()) {
                    blobs.insert(h.to_owned(), from.sync_blob(h).unwrap().expect("blob"));
                }
            }
        }
        let report = to
            .sync_apply_page(&changes, &last.to_string(), &blobs)
            .unwrap();
        // A page delivered twice changes nothing.
        let before = state(to);
        let again = to
            .sync_apply_page(&changes, &last.to_string(), &blobs)
            .unwrap();
        assert_eq!(again.applied, 0);
        assert_eq!(state(to), before);
        from.sync_outbox_ack(last).unwrap();
        moved += changes.len();
        conflicts += report.conflicts;
    }
}

fn orgs_of(s: &Store) -> Vec<Org> {
    hearing_store::orgs::list(s.conn())
        .unwrap()
        .into_iter()
        .map(|o| Org {
            id: o.id,
            parent_id: o.parent_id,
            name: o.name,
            short_name: o.short_name,
            kind: serde_json::to_value(o.kind)
                .unwrap()
                .as_str()
                .unwrap_or("other")
                .to_owned(),
            code: o.code,
        })
        .collect()
}

/// Desk A with the demo city, desk B enrolled into the same org and filled from A.
fn two_desks() -> (tempfile::TempDir, Store, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open_dir(&dir.path().join("a")).unwrap();
    a.load_demo().unwrap();
    let org = a.desk_org_id().unwrap().unwrap();
    let mut b = Store::open_dir(&dir.path().join("b")).unwrap();
    let orgs = orgs_of(&a);
    a.sync_enrolled("http://test", "dev-a", "t", &org, &orgs)
        .unwrap();
    b.sync_enrolled("http://test", "dev-b", "t", &org, &orgs)
        .unwrap();
    let (moved, conflicts) = carry(&mut a, &mut b);
    assert!(moved > 100, "the demo city is more than {moved} rows");
    assert_eq!(conflicts, 0);
    assert_eq!(state(&a), state(&b));
    (dir, a, b)
}

fn first_case(s: &Store) -> String {
    hearing_store::cases::list(
        s.conn(),
        &CaseListQuery {
            page: 1,
            page_size: 5,
            ..Default::default()
        },
    )
    .unwrap()
    .items[0]
        .id
        .clone()
}

#[test]
fn concurrent_edits_of_one_case_converge() {
    let (_dir, mut a, mut b) = two_desks();
    let id = first_case(&a);
    let case = hearing_store::cases::get(a.conn(), &id).unwrap();
    // A changes the analysis, B too (another field of the same row and a common one).
    let mut on_a = case.analysis.clone();
    on_a.crux = "借条真实性（A 修改）".into();
    on_a.problem_nature = "A 的定性".into();
    a.set_case_analysis(&id, &on_a).unwrap();
    let mut on_b: CaseAnalysis = case.analysis.clone();
    on_b.social_relations = "B 补充的社会关系".into();
    on_b.problem_nature = "B 的定性".into();
    b.set_case_analysis(&id, &on_b).unwrap();

    carry(&mut a, &mut b);
    carry(&mut b, &mut a);
    assert_eq!(state(&a), state(&b));
    let merged = hearing_store::cases::get(a.conn(), &id).unwrap().analysis;
    assert_eq!(merged.crux, "借条真实性（A 修改）");
    assert_eq!(merged.social_relations, "B 补充的社会关系");
    // The same field: B wrote later, so B's value is on both desks.
    assert_eq!(merged.problem_nature, "B 的定性");
}

#[test]
fn an_edit_of_a_document_finalised_elsewhere_becomes_a_conflict_on_both_desks() {
    let Some(fonts) = hearing_testkit::require(
        hearing_docs::FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    ) else {
        return;
    };
    let (_dir, mut a, mut b) = two_desks();
    let id = first_case(&a);
    let doc = a
        .generate_document(DocKind::ClosureApproval, &id, None, None)
        .unwrap();
    carry(&mut a, &mut b);
    // A finalises; B, not knowing, edits the draft.
    let fin = a.finalize_document(&doc.id, &fonts).unwrap();
    b.edit_document(&doc.id, &format!("{}\n@p B 在定稿后补充的一句。", doc.text))
        .unwrap();
    let (_, on_a) = carry(&mut b, &mut a);
    let (_, on_b) = carry(&mut a, &mut b);
    assert!(on_a >= 1 && on_b >= 1, "conflicts on A {on_a}, on B {on_b}");
    assert_eq!(state(&a), state(&b));
    let text = |s: &Store| {
        hearing_store::documents::get(s.conn(), &doc.id)
            .unwrap()
            .text
    };
    assert_eq!(text(&a), fin.text);
    assert_eq!(text(&b), fin.text);
    for s in [&a, &b] {
        let conflicts = s.sync_conflicts().unwrap();
        assert!(
            conflicts.iter().any(|c| c.table == "documents"
                && c.column == "text"
                && c.theirs.contains("B 在定稿后补充")),
            "{conflicts:?}"
        );
        assert_eq!(s.sync_status().unwrap().conflicts as usize, conflicts.len());
    }
    // The frozen PDF came across as a blob and is byte-identical.
    let pdf = |s: &Store| hearing_store::documents::pdf(s.conn(), &doc.id).unwrap();
    assert!(pdf(&a).is_some());
    assert_eq!(pdf(&a), pdf(&b));
}

/// Applies on `b` a change to the first case from a newer desk version (a column `b` does not
/// have): a conflict. Returns the case.
fn unknown_column_conflict(a: &Store, b: &mut Store) -> (hearing_core::Case, usize) {
    let id = first_case(a);
    let case = hearing_store::cases::get(a.conn(), &id).unwrap();
    let mut cols = serde_json::Map::new();
    cols.insert("priority_flag".into(), serde_json::json!("high"));
    let change = hearing_sync::Change {
        id: "dev-a-999999999999".into(),
        org_id: case.org_id.clone(),
        device_id: "dev-a".into(),
        hlc: "9999999999999-00000".into(),
        table: "cases".into(),
        pk: id.clone(),
        op: hearing_sync::Op::Upsert,
        cols,
        at: "2026-11-27T08:00:00Z".into(),
        scope_org: None,
    };
    let report = b
        .sync_apply_page(&[change], "900", &HashMap::new())
        .unwrap();
    (case, report.conflicts)
}

#[test]
fn a_change_that_cannot_be_applied_is_kept_aside_alone() {
    let (_dir, a, mut b) = two_desks();
    let id = first_case(&a);
    let case = hearing_store::cases::get(a.conn(), &id).unwrap();
    let case_change =
        |n, pk: &str, cols| remote_change("cases", &case.org_id, n, pk, Op::Upsert, cols);
    // The middle change is a case this desk does not have and cannot create (only its title
    // came: every other required column is missing): applying it fails, and it alone is rolled
    // back (each change is applied in its own savepoint) and kept aside.
    let page = [
        case_change(1, &id, serde_json::json!({"title": "页面第一条改的标题"})),
        case_change(2, "no-such-case", serde_json::json!({"title": "无从建立"})),
        case_change(3, &id, serde_json::json!({"demands": "页面第三条改的诉求"})),
    ];
    let report = b.sync_apply_page(&page, "901", &HashMap::new()).unwrap();
    assert_eq!((report.applied, report.conflicts), (2, 1), "{report:?}");
    let got = hearing_store::cases::get(b.conn(), &id).unwrap();
    assert_eq!(got.title, "页面第一条改的标题");
    assert_eq!(got.demands, "页面第三条改的诉求");
    assert!(hearing_store::cases::get(b.conn(), "no-such-case").is_err());
    let conflicts = b.sync_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert!(conflicts[0].reason.starts_with("无法应用"), "{conflicts:?}");
    assert_eq!(b.sync_cursor().unwrap(), "901");
    // Delivered again: every change is known, nothing is applied twice.
    let again = b.sync_apply_page(&page, "901", &HashMap::new()).unwrap();
    assert_eq!((again.applied, again.duplicates), (0, 3), "{again:?}");
}

#[test]
fn a_conflict_names_its_row_and_is_settled_once_with_the_actor() {
    let (_dir, a, mut b) = two_desks();
    let head = b.sync_outbox_head().unwrap();
    let (case, conflicts) = unknown_column_conflict(&a, &mut b);
    // Applying a remote change records nothing local.
    assert_eq!(b.sync_outbox_head().unwrap(), head);
    assert_eq!(conflicts, 1);
    assert_eq!(b.sync_status().unwrap().conflicts, 1);
    let c = b.sync_conflicts().unwrap().remove(0);
    assert_eq!(c.column, "priority_flag");
    assert!(c.subject.contains(&case.title), "{}", c.subject);
    assert!(c.subject.starts_with(&case.number), "{}", c.subject);
    assert!(c.settled_at.is_none());

    b.set_actor("张书记员");
    let settled = b.sync_settle_conflict(c.id).unwrap();
    assert!(settled.settled_at.is_some());
    assert_eq!(settled.settled_by.as_deref(), Some("张书记员"));
    assert_eq!(b.sync_status().unwrap().conflicts, 0);
    // Settling again changes nothing (same time, same person, one audit event).
    b.set_actor("李书记员");
    let again = b.sync_settle_conflict(c.id).unwrap();
    assert_eq!(again, settled);
    let events =
        hearing_store::audit::events_for(b.conn(), "sync_conflict", &c.id.to_string()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "张书记员");
    assert!(events[0].summary.contains("案件"), "{}", events[0].summary);
    assert!(hearing_store::audit::verify(b.conn()).unwrap().ok);

    let missing = b.sync_settle_conflict(c.id + 1000).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[test]
fn only_an_operator_who_may_change_the_row_settles_its_conflict() {
    std::env::set_var("HEARINGDESK_TEST_FAST_KDF", "1");
    let (dir, a, mut b) = two_desks();
    unknown_column_conflict(&a, &mut b);
    let id = b.sync_conflicts().unwrap()[0].id;
    let admin = |login: &str, role| hearing_store::accounts::NewOperator {
        login: login.into(),
        name: format!("{login} 姓名"),
        role,
        password: format!("{login}-pass-1"),
    };
    let mut b = b
        .setup_accounts(&admin("admin", hearing_core::access::Role::Admin))
        .unwrap();
    b.add_operator(&admin("clerk", hearing_core::access::Role::Clerk))
        .unwrap();
    drop(b);
    let desk = dir.path().join("b");
    // A 记录员 may not change a case, so may not settle a conflict on one.
    let mut clerk = hearing_store::accounts::login(&desk, "clerk", "clerk-pass-1").unwrap();
    let err = clerk.sync_settle_conflict(id).unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err}");
    assert!(err.to_string().contains("登记和修改案件"), "{err}");
    assert_eq!(clerk.sync_status().unwrap().conflicts, 1);
    drop(clerk);
    let mut admin = hearing_store::accounts::login(&desk, "admin", "admin-pass-1").unwrap();
    assert!(admin.sync_settle_conflict(id).unwrap().settled_at.is_some());
}

#[test]
fn an_unreachable_server_is_a_recorded_failed_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.load_demo().unwrap();
    let org = s.desk_org_id().unwrap().unwrap();
    let orgs = orgs_of(&s);
    // Nothing listens on the discard port of loopback: the connection is refused at once.
    s.sync_enrolled("http://127.0.0.1:9", "dev-a", "t", &org, &orgs)
        .unwrap();
    assert!(s.sync_runs(10).unwrap().is_empty());
    let e = s.sync_now().unwrap_err();
    assert_eq!(e.code(), ErrorCode::Offline, "{e}");
    let runs = s.sync_runs(10).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].error.as_deref(), Some(e.to_string().as_str()));
    assert_eq!((runs[0].pushed, runs[0].pulled), (0, 0));
    let st = s.sync_status().unwrap();
    assert!(st.enrolled);
    assert!(st.last_sync.is_none());
    assert_eq!(st.last_attempt, runs[0].finished);
    assert_eq!(st.last_error, runs[0].error);
    assert_eq!(st.last_error_code, Some(ErrorCode::Offline));
    assert!(
        st.waiting > 0,
        "nothing was lost: the outbox is still there"
    );

    // A later successful run comes first and clears the error.
    s.sync_record_run("2099-01-01T00:00:00.000Z", 3, 2, 0, None)
        .unwrap();
    let runs = s.sync_runs(1).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!((runs[0].pushed, runs[0].pulled), (3, 2));
    let st = s.sync_status().unwrap();
    assert!(st.last_error.is_none());
    assert!(st.last_sync.is_some());
}

#[test]
fn finalised_documents_are_unreported_until_the_server_has_them() {
    let Some(fonts) = hearing_testkit::require(
        hearing_docs::FontSet::system(),
        "没有中文字体（apt install fonts-noto-cjk）",
    ) else {
        return;
    };
    let (_dir, mut a, mut b) = two_desks();
    let id = first_case(&a);
    let doc = a
        .generate_document(DocKind::ClosureApproval, &id, None, None)
        .unwrap();
    // A draft is not listed: only documents past their draft are.
    assert!(a.sync_unreported_documents().unwrap().is_empty());
    let head = a.sync_outbox_head().unwrap();
    let fin = a.finalize_document(&doc.id, &fonts).unwrap();
    assert!(
        a.sync_outbox_head().unwrap() > head,
        "a local write moves the head"
    );
    let list = a.sync_unreported_documents().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, fin.id);
    assert_eq!(list[0].kind_label, DocKind::ClosureApproval.label());
    assert_eq!(list[0].state, hearing_core::DocState::Final);
    assert_eq!(list[0].state_label, "定稿");
    assert_eq!(list[0].number, fin.number);
    let case = hearing_store::cases::get(a.conn(), &id).unwrap();
    assert_eq!(list[0].case_title, case.title);
    let head = a.sync_outbox_head().unwrap();
    carry(&mut a, &mut b);
    assert!(a.sync_unreported_documents().unwrap().is_empty());
    assert_eq!(
        a.sync_outbox_head().unwrap(),
        head,
        "emptying the outbox keeps the head"
    );
    // Marked printed: a new change of the document waits again.
    a.mark_document_printed(&fin.id).unwrap();
    let list = a.sync_unreported_documents().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].state_label, "已打印");
    // The receiving desk has nothing of its own to report.
    assert!(b.sync_unreported_documents().unwrap().is_empty());
}

type Batch = (Vec<Change>, HashMap<String, Vec<u8>>);

/// Everything waiting in a desk's outbox, with the bytes of its blobs, as a push takes it.
fn take(from: &mut Store) -> Batch {
    let (mut changes, mut blobs) = (Vec::new(), HashMap::new());
    loop {
        let page = from.sync_outbox_page(200).unwrap();
        let Some(last) = page.last().map(|(seq, _)| *seq) else {
            return (changes, blobs);
        };
        for (_, c) in page {
            for v in c.cols.values() {
                if let Some(h) = v.get("$blob").and_then(|h| h.as_str()) {
                    blobs.insert(h.to_owned(), from.sync_blob(h).unwrap().expect("blob"));
                }
            }
            changes.push(c);
        }
        from.sync_outbox_ack(last).unwrap();
    }
}

/// Applies a batch to a desk in pages of 50, each page delivered twice (the second time changes
/// nothing), as a pull does; returns the conflicts made.
fn deliver(to: &mut Store, batch: &Batch) -> usize {
    let mut conflicts = 0;
    for page in batch.0.chunks(50) {
        let report = to.sync_apply_page(page, "1", &batch.1).unwrap();
        let before = state(to);
        let again = to.sync_apply_page(page, "1", &batch.1).unwrap();
        assert_eq!(again.applied, 0);
        assert_eq!(state(to), before);
        conflicts += report.conflicts;
    }
    conflicts
}

/// Desk A with the demo city and `N - 1` desks enrolled into the same org and filled from A
/// (devices dev-a, dev-b, …), in one temporary directory. They share one manual clock, which
/// moves only when a test says so ([`pause`]).
fn desks<const N: usize>() -> (tempfile::TempDir, [Store; N]) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(chrono::Utc::now());
    let mut a = Store::open_dir(&dir.path().join("a")).unwrap();
    a.set_clock(clock.clone()).expect("clock");
    a.load_demo().unwrap();
    let org = a.desk_org_id().unwrap().unwrap();
    let orgs = orgs_of(&a);
    a.sync_enrolled("http://test", "dev-a", "t", &org, &orgs)
        .unwrap();
    let mut all = vec![a];
    for i in 1..N {
        let name = char::from(b'a' + i as u8);
        let mut s = Store::open_dir(&dir.path().join(name.to_string())).unwrap();
        s.set_clock(clock.clone()).expect("clock");
        s.sync_enrolled("http://test", &format!("dev-{name}"), "t", &org, &orgs)
            .unwrap();
        all.push(s);
    }
    let first = take(&mut all[0]);
    for s in &mut all[1..] {
        assert_eq!(deliver(s, &first), 0);
    }
    let Ok(all) = <[Store; N]>::try_from(all) else {
        panic!("{N} desks");
    };
    (dir, all)
}

/// A later millisecond on the desks' shared clock: the next local write, on any of them, orders
/// after everything written so far.
fn pause(desk: &Store) {
    desk.clock().advance(chrono::Duration::milliseconds(5));
}

fn case_input(title: &str, organ: &str) -> CaseInput {
    CaseInput {
        number: String::new(),
        handling_organ_id: organ.to_owned(),
        case_officer: "李承办".into(),
        title: title.into(),
        category: Some(CaseCategory::Civil),
        petitioners: vec![PetitionerInput {
            kind: PetitionerKind::Person,
            name: "测试人甲".into(),
            id_number: "11010519491231002X".into(),
            phone: String::new(),
            address: "青山市东河区".into(),
            credit_code: String::new(),
            representative: String::new(),
        }],
        original_case_number: String::new(),
        rulings: vec![],
        demands: "撤销原判".into(),
        background: String::new(),
        registered_on: String::new(),
    }
}

fn testimony_of(s: &Store, hearing_id: &str) -> Vec<(String, String)> {
    hearing_store::hearings::testimony(s.conn(), hearing_id)
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.text))
        .collect()
}

/// What two desks' conflict lists must agree on.
fn conflict_set(s: &Store) -> BTreeSet<(String, String, String, String, String, String)> {
    s.sync_conflicts()
        .unwrap()
        .into_iter()
        .map(|c| (c.change_id, c.table, c.pk, c.column, c.theirs, c.ours))
        .collect()
}

fn entry(role: ParticipantRole, name: &str, text: &str) -> TestimonyInput {
    TestimonyInput {
        step_key: "organStatement".into(),
        speaker_role: role,
        speaker_name: name.into(),
        text: text.into(),
    }
}

/// A case taken to a hearing in session on `s`, with two entries recorded; the hearing's id.
fn hearing_with_entries(s: &mut Store) -> String {
    let organ = s.desk_org_id().unwrap().unwrap();
    let case = s
        .create_case(&case_input("测试人甲不服借款纠纷判决信访案", &organ))
        .unwrap();
    s.case_action(&case.id, CaseAction::StartReview, &no_input())
        .unwrap();
    s.set_case_analysis(&case.id, &full_analysis()).unwrap();
    s.case_action(&case.id, CaseAction::ProposeClosure, &no_input())
        .unwrap();
    let d = hearing_in_session(s, &case.id);
    let hid = d.hearing.id.clone();
    for p in d.participants.iter().filter(|p| {
        matches!(
            p.role,
            ParticipantRole::Panelist | ParticipantRole::Petitioner
        )
    }) {
        s.set_invitation(&p.id, InvitationStatus::Attended).unwrap();
    }
    s.set_current_step(&hid, 4).unwrap();
    s.add_testimony(
        &hid,
        &entry(
            ParticipantRole::Presider,
            "赵主持",
            "请承办单位陈述办理经过。",
        ),
    )
    .unwrap();
    s.add_testimony(
        &hid,
        &entry(ParticipantRole::Petitioner, "测试人甲", "我要求再审。"),
    )
    .unwrap();
    hid
}

/// Deliberation, conclusion, everyone's signature, then 笔录签署完成.
fn sign_transcript(s: &mut Store, hid: &str) {
    let d = s
        .hearing_action(hid, HearingAction::StartDeliberation, &no_input())
        .unwrap();
    for p in d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Panelist)
    {
        s.save_opinion(
            &p.id,
            &OpinionInput {
                facts: "事实清楚".into(),
                law: "适用法律正确".into(),
                vote: Some(Vote::Agree),
                reasons: "理由充分".into(),
            },
        )
        .unwrap();
    }
    let d = s
        .hearing_action(hid, HearingAction::Conclude, &no_input())
        .unwrap();
    for p in &d.participants {
        let _ = s.set_signature(&p.id, SignatureStatus::Signed, "");
    }
    let signed = s
        .hearing_action(hid, HearingAction::SignTranscript, &no_input())
        .unwrap();
    assert!(signed.hearing.transcript_hash.is_some());
}

/// A testimony change from a desk that is not in the test, as a page of its own.
fn foreign_change(org: &str, n: u32, pk: &str, op: Op, cols: serde_json::Value) -> Batch {
    (
        vec![remote_change("testimony", org, n, pk, op, cols)],
        HashMap::new(),
    )
}

/// A change of `table` from a desk that is not in the test (`dev-x`), stamped just after now.
fn remote_change(
    table: &str,
    org: &str,
    n: u32,
    pk: &str,
    op: Op,
    cols: serde_json::Value,
) -> Change {
    let now_ms = chrono::Utc::now().timestamp_millis() as u64;
    let serde_json::Value::Object(cols) = cols else {
        panic!("columns are an object");
    };
    Change {
        id: format!("dev-x-{n:012}"),
        org_id: org.to_owned(),
        device_id: "dev-x".into(),
        hlc: Hlc {
            ms: now_ms + 10,
            counter: 0,
        }
        .to_string(),
        table: table.into(),
        pk: pk.to_owned(),
        op,
        cols,
        at: "2026-11-27T08:00:00Z".into(),
        scope_org: None,
    }
}

#[test]
fn a_signed_transcript_keeps_its_entries_whatever_the_order_changes_arrive_in() {
    let (_dir, [mut a, mut b, mut c1, mut c2]) = desks::<4>();
    // A takes a hearing into session and records two entries; every desk has them.
    let organ = a.desk_org_id().unwrap().unwrap();
    let hid = hearing_with_entries(&mut a);
    let session = take(&mut a);
    for s in [&mut b, &mut c1, &mut c2] {
        assert_eq!(deliver(s, &session), 0);
    }

    // B appends an entry before A signs: an appended entry counts.
    let early = b
        .add_testimony(
            &hid,
            &entry(
                ParticipantRole::Petitioner,
                "测试人甲",
                "补充：借条原件在我处。",
            ),
        )
        .unwrap();
    pause(&a);
    // A closes the session and the transcript is signed.
    sign_transcript(&mut a, &hid);
    pause(&a);
    // B, not knowing, edits its entry and adds another one.
    b.update_testimony(&early.id, "补充：借条原件在我处（签名后改动）。")
        .unwrap();
    let late = b
        .add_testimony(
            &hid,
            &entry(ParticipantRole::Petitioner, "测试人甲", "签名后补记。"),
        )
        .unwrap();

    let from_a = take(&mut a);
    let from_b = take(&mut b);
    // Signature first (A, C1) or edit first (B, which made it, and C2).
    assert_eq!(deliver(&mut a, &from_b), 2);
    assert_eq!(deliver(&mut b, &from_a), 2);
    assert_eq!(deliver(&mut c1, &from_a), 0);
    assert_eq!(deliver(&mut c1, &from_b), 2);
    assert_eq!(deliver(&mut c2, &from_b), 0);
    assert_eq!(deliver(&mut c2, &from_a), 2);

    let expected = testimony_of(&a, &hid);
    assert_eq!(expected.len(), 3, "{expected:?}");
    assert!(expected.contains(&(early.id.clone(), "补充：借条原件在我处。".to_owned())));
    assert!(expected.iter().all(|(id, _)| *id != late.id));
    for s in [&a, &b, &c1, &c2] {
        assert_eq!(testimony_of(s, &hid), expected);
        assert_eq!(state(s), state(&a));
        assert_eq!(conflict_set(s), conflict_set(&a));
        assert_eq!(s.sync_status().unwrap().conflicts, 2);
        let conflicts = s.sync_conflicts().unwrap();
        let edit = conflicts
            .iter()
            .find(|c| c.pk == early.id)
            .expect("the edit is kept");
        assert_eq!(edit.table, "testimony");
        assert_eq!(edit.column, "text");
        assert!(edit.theirs.contains("签名后改动"), "{edit:?}");
        assert!(edit.ours.contains("借条原件在我处。"), "{edit:?}");
        assert_eq!(edit.reason, "笔录已签名，此后的修改未应用");
        assert!(edit.subject.contains("笔录第 3 条"), "{}", edit.subject);
        let added = conflicts
            .iter()
            .find(|c| c.pk == late.id)
            .expect("the new entry is kept");
        assert_eq!(added.column, "*");
        assert!(added.theirs.contains("签名后补记"), "{added:?}");
        assert_eq!(added.ours, "null");
        assert_eq!(added.reason, "笔录已签名，此后新增的笔录条目未应用");
        assert!(added.subject.contains("测试人甲"), "{}", added.subject);
    }
    // Nothing was re-sent: taking an edit back is not an edit.
    for s in [&mut a, &mut b, &mut c1, &mut c2] {
        assert!(take(s).0.is_empty());
    }

    // A delete of a signed entry from another desk is kept aside too, on every desk.
    let first = expected[0].0.clone();
    let delete = foreign_change(&organ, 1, &first, Op::Delete, serde_json::json!({}));
    for s in [&mut a, &mut b, &mut c1, &mut c2] {
        assert_eq!(deliver(s, &delete), 1);
        assert_eq!(testimony_of(s, &hid), expected);
        let gone = s
            .sync_conflicts()
            .unwrap()
            .into_iter()
            .find(|c| c.pk == first)
            .expect("the delete is kept");
        assert_eq!((gone.column.as_str(), gone.theirs.as_str()), ("*", "null"));
        assert!(gone.ours.contains("请承办单位陈述办理经过。"), "{gone:?}");
        assert_eq!(gone.reason, "笔录已签名，此后的删除未应用");
    }
    assert_eq!(state(&b), state(&a));
    assert_eq!(conflict_set(&c2), conflict_set(&c1));
}

#[test]
fn cases_numbered_alike_on_two_desks_offline_end_with_distinct_numbers_everywhere() {
    let (_dir, [mut a, mut b, mut c]) = desks::<3>();
    let organ = a.desk_org_id().unwrap().unwrap();
    // Offline, A and B each register a case: both take the next number.
    let on_a = a
        .create_case(&case_input("甲方登记的案件", &organ))
        .unwrap();
    pause(&a);
    let on_b = b
        .create_case(&case_input("乙方登记的案件", &organ))
        .unwrap();
    let number = on_a.number.clone();
    assert_eq!(on_b.number, number);
    let from_a = take(&mut a);
    let from_b = take(&mut b);

    // C hears of B's case first, then of A's, which was numbered first: B's case gives way.
    assert_eq!(deliver(&mut c, &from_b), 0);
    assert_eq!(deliver(&mut c, &from_a), 0);
    // A hears of B's case, numbered later: it is kept under a stand-in, nothing lost.
    assert_eq!(deliver(&mut a, &from_b), 0);
    for s in [&a, &c] {
        let held = hearing_store::cases::get(s.conn(), &on_b.id).unwrap();
        assert!(held.number.starts_with(&number), "{}", held.number);
        assert!(held.number.contains("重号"), "{}", held.number);
        assert_eq!(held.title, on_b.title);
        assert_eq!(held.petitioners.len(), 1);
        assert_eq!(
            hearing_store::cases::get(s.conn(), &on_a.id)
                .unwrap()
                .number,
            number
        );
    }
    // B hears of A's case: B numbered its case later, so B renumbers it, as a change of its own.
    assert_eq!(deliver(&mut b, &from_a), 0);
    let renumbered = take(&mut b);
    assert_eq!(renumbered.0.len(), 1, "{:?}", renumbered.0);
    assert_eq!(renumbered.0[0].table, "cases");
    assert_eq!(renumbered.0[0].pk, on_b.id);
    let new = hearing_store::cases::get(b.conn(), &on_b.id)
        .unwrap()
        .number;
    assert_ne!(new, number);
    assert_eq!(renumbered.0[0].cols["number"], serde_json::json!(new));
    assert_eq!(deliver(&mut a, &renumbered), 0);
    assert_eq!(deliver(&mut c, &renumbered), 0);
    // Only the desk that numbered the case renumbers it.
    assert!(take(&mut a).0.is_empty());
    assert!(take(&mut c).0.is_empty());

    let told = format!("案号 {number} 已被另一台电脑使用，本案改为 {new}");
    for s in [&a, &b, &c] {
        assert_eq!(state(s), state(&a));
        assert_eq!(
            hearing_store::cases::get(s.conn(), &on_a.id)
                .unwrap()
                .number,
            number
        );
        let case_b = hearing_store::cases::get(s.conn(), &on_b.id).unwrap();
        assert_eq!(case_b.number, new);
        assert_eq!(case_b.title, on_b.title);
        let held: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM sync_number_holds", [], |r| r.get(0))
            .unwrap();
        assert_eq!(held, 0);
        // Nothing for a person to do, and the user is told.
        assert_eq!(s.sync_status().unwrap().conflicts, 0);
        let notes = s.sync_conflicts().unwrap();
        assert!(
            notes
                .iter()
                .all(|n| n.settled_by.as_deref() == Some("自动处理")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.pk == on_b.id && n.column == "number" && n.reason == told),
            "{notes:?}"
        );
    }
    let events = hearing_store::audit::events_for(b.conn(), "case", &on_b.id).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.action == "同步改号" && e.summary == told),
        "{events:?}"
    );
    assert!(hearing_store::audit::verify(b.conn()).unwrap().ok);

    // A case numbered next, on any desk, takes a number nobody has.
    let next = c
        .create_case(&case_input("丙方登记的案件", &organ))
        .unwrap();
    assert!(
        next.number != number && next.number != new,
        "{}",
        next.number
    );
}

#[test]
fn a_desk_from_before_the_transcript_rules_keeps_its_signed_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.load_demo().unwrap();
    let organ = s.desk_org_id().unwrap().unwrap();
    let hid = hearing_with_entries(&mut s);
    sign_transcript(&mut s, &hid);
    let before = testimony_of(&s, &hid);
    // The desk as schema 5 left it: no testimony history, no signature in it, its logs the two
    // of then (empty: every change pushed and acknowledged).
    s.conn()
        .execute_batch(
            "DELETE FROM sync_history WHERE tbl IN ('testimony', 'hearings');
             DROP INDEX sync_history_parent;
             DROP TRIGGER waits_approval_ins;
             DROP TRIGGER waits_approval_upd;
             DROP TRIGGER waits_approval_del;
             DROP TRIGGER waits_case_ins;
             DROP TRIGGER waits_case_upd;
             DROP TRIGGER waits_case_del;
             DROP TRIGGER waits_org_ins;
             DROP TRIGGER waits_org_upd;
             DROP TRIGGER waits_org_del;
             DROP TRIGGER waits_config_ins;
             DROP TABLE sync_number_holds;
             DROP TABLE operators;
             ALTER TABLE sync_runs DROP COLUMN error_code;
             DROP TRIGGER sync_ins_approvals;
             DROP TRIGGER sync_upd_approvals;
             DROP TRIGGER sync_del_approvals;
             ALTER TABLE approvals DROP COLUMN org_id;
             ALTER TABLE approvals DROP COLUMN proxy;
             ALTER TABLE approvals DROP COLUMN round;
             DROP TRIGGER sync_ins_cases;
             DROP TRIGGER sync_upd_cases;
             DROP TRIGGER sync_del_cases;
             ALTER TABLE cases DROP COLUMN approval_round;
             DROP TRIGGER sync_ins_supervision_slips;
             DROP TRIGGER sync_upd_supervision_slips;
             DROP TRIGGER sync_del_supervision_slips;
             DROP INDEX slips_number;
             DROP INDEX slips_to_org;
             ALTER TABLE supervision_slips DROP COLUMN issuer_org_id;
             ALTER TABLE supervision_slips DROP COLUMN to_org_id;
             ALTER TABLE supervision_slips DROP COLUMN number;
             ALTER TABLE supervision_slips DROP COLUMN num_prefix;
             ALTER TABLE supervision_slips DROP COLUMN num_year;
             ALTER TABLE supervision_slips DROP COLUMN num_seq;
             ALTER TABLE supervision_slips DROP COLUMN issued_on;
             ALTER TABLE supervision_slips DROP COLUMN issued_by;
             ALTER TABLE supervision_slips DROP COLUMN proxy;
             ALTER TABLE supervision_slips DROP COLUMN round;
             ALTER TABLE supervision_slips DROP COLUMN return_reason;
             ALTER TABLE supervision_slips DROP COLUMN reviewed_by;
             DROP TABLE slip_feedback;
             DROP TABLE approval_waits;
             DROP TABLE approval_dirty;
             DROP TABLE meeting_items;
             DROP TABLE meetings;
             DROP TABLE bulletins;
             ALTER TABLE cases DROP COLUMN status_since;
             DROP TABLE change_log;
             CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                 org_id TEXT NOT NULL, device_id TEXT NOT NULL, entity TEXT NOT NULL,
                 entity_id TEXT NOT NULL, op TEXT NOT NULL, fields TEXT NOT NULL,
                 device_time TEXT NOT NULL) STRICT;
             CREATE TABLE sync_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL,
                 pk TEXT NOT NULL, op TEXT NOT NULL, cols TEXT NOT NULL, org_id TEXT NOT NULL,
                 hlc TEXT NOT NULL, at TEXT NOT NULL) STRICT;
             CREATE TABLE sync_applied (change_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
             PRAGMA user_version = 5;",
        )
        .unwrap();
    drop(s);
    let mut s = Store::open_dir(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), hearing_store::LATEST_VERSION);
    let count =
        |s: &Store, sql: &str| -> i64 { s.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM sync_history WHERE tbl = 'testimony'"
        ),
        count(
            &s,
            "SELECT count(*) FROM sync_versions WHERE tbl = 'testimony'"
        )
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM sync_history WHERE tbl = 'hearings' AND by_freeze = 1"
        ),
        1
    );
    // An edit from elsewhere, made after the signature, is kept aside.
    let edit = foreign_change(
        &organ,
        7,
        &before[1].0,
        Op::Upsert,
        serde_json::json!({"text": "签名后改动", "updated_at": "2026-11-27T08:00:00.000Z"}),
    );
    assert_eq!(deliver(&mut s, &edit), 1);
    assert_eq!(testimony_of(&s, &hid), before);
    let c = s.sync_conflicts().unwrap().remove(0);
    assert_eq!(
        (c.column.as_str(), c.ours.as_str()),
        ("text", "\"我要求再审。\"")
    );
}

/// Rows that were never recorded (a desk filled before sync existed, or by `hearingctl
/// bench-data`) go out in one snapshot at enrolment. A signed transcript among them arrives on
/// the other desk with all its entries, although its hearing (the seal) is applied first.
#[test]
fn a_snapshot_carries_signed_transcripts_with_their_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open_dir(&dir.path().join("a")).unwrap();
    a.load_demo().unwrap();
    let hid = hearing_with_entries(&mut a);
    sign_transcript(&mut a, &hid);
    let entries = testimony_of(&a, &hid);
    assert_eq!(entries.len(), 2);
    // Nothing recorded yet: every row waits for the snapshot.
    a.conn()
        .execute_batch(
            "DELETE FROM change_log; DELETE FROM sync_versions; DELETE FROM sync_history;",
        )
        .unwrap();
    let org = a.desk_org_id().unwrap().unwrap();
    let orgs = orgs_of(&a);
    a.sync_enrolled("http://test", "dev-a", "t", &org, &orgs)
        .unwrap();
    assert!(a.sync_snapshot().unwrap() > 100);
    let mut b = Store::open_dir(&dir.path().join("b")).unwrap();
    b.sync_enrolled("http://test", "dev-b", "t", &org, &orgs)
        .unwrap();
    let (moved, conflicts) = carry(&mut a, &mut b);
    assert!(moved > 100);
    assert_eq!(conflicts, 0, "{:?}", b.sync_conflicts().unwrap());
    assert_eq!(testimony_of(&b, &hid), entries);
    // Every row alike (the org tree is the server's, given at enrolment).
    let (sa, sb) = (state(&a), state(&b));
    for (table, rows) in sa.iter().filter(|(t, _)| *t != "orgs") {
        let other = &sb[table];
        let only_a: Vec<_> = rows.iter().filter(|r| !other.contains(r)).collect();
        let only_b: Vec<_> = other.iter().filter(|r| !rows.contains(r)).collect();
        assert!(
            only_a.is_empty() && only_b.is_empty(),
            "{table}: only on A {only_a:?}, only on B {only_b:?}"
        );
    }
}

fn search_total(s: &Store, text: &str) -> (u32, u32) {
    let r = s
        .search(&hearing_store::search::SearchQuery {
            text: text.into(),
            ..Default::default()
        })
        .unwrap();
    (r.total, r.pending)
}

#[test]
fn a_large_page_is_indexed_for_search_after_it_and_search_says_so_meanwhile() {
    let (_dir, [mut a, mut b]) = desks::<2>();
    // The demo city came in pages of 50: indexed with each page.
    assert_eq!(b.search_pending().unwrap(), 0);
    assert_eq!(search_total(&b, "借条").0, search_total(&a, "借条").0);

    // A records 300 entries (the last one, still editable, marked); B receives them in one page
    // (a large pull's page).
    let hid = hearing_with_entries(&mut a);
    let mut marked = String::new();
    for i in 0..300 {
        let text = if i == 299 {
            "紫藤花架下的借条原件".to_owned()
        } else {
            format!("第 {i} 段陈述：双方对还款期限各执一词。")
        };
        let e = a
            .add_testimony(&hid, &entry(ParticipantRole::Petitioner, "测试人甲", &text))
            .unwrap();
        if i == 299 {
            marked = e.id;
        }
    }
    let big = take(&mut a);
    assert!(big.0.len() > 300);
    b.sync_apply_page(&big.0, "1", &big.1).unwrap();
    let waiting = b.search_pending().unwrap();
    assert!(waiting >= 300, "{waiting} records waiting");
    assert_eq!(testimony_of(&b, &hid).len(), testimony_of(&a, &hid).len());
    // Not found yet, and the search says why.
    assert_eq!(search_total(&b, "紫藤花架"), (0, waiting));
    assert_eq!(b.sync_status().unwrap().search_pending, waiting);

    // An edit of a waiting record arrives before it is indexed: it stays waiting.
    pause(&a);
    a.update_testimony(&marked, "石榴树下的借条原件").unwrap();
    assert_eq!(deliver(&mut b, &take(&mut a)), 0);
    assert_eq!(b.search_pending().unwrap(), waiting);

    // The catch-up indexes the backlog a batch at a time.
    let mut left = waiting;
    while left > 0 {
        let next = b.search_catch_up(100).unwrap();
        assert_eq!(next, left.saturating_sub(100));
        left = next;
    }
    assert_eq!(search_total(&b, "紫藤花架"), (0, 0));
    assert_eq!(search_total(&b, "石榴树"), (1, 0));
    for q in ["还款期限", "借条", "陈述"] {
        assert_eq!(search_total(&b, q), search_total(&a, q), "{q}");
    }

    // An everyday page is searchable as soon as it is applied; the old text is gone.
    pause(&a);
    a.update_testimony(&marked, "银杏树下的借条原件").unwrap();
    assert_eq!(deliver(&mut b, &take(&mut a)), 0);
    assert_eq!(search_total(&b, "银杏树"), (1, 0));
    assert_eq!(search_total(&b, "石榴树"), (0, 0));
}

#[test]
fn a_row_first_seen_whole_keeps_a_version_for_every_column() {
    let (_dir, a, mut b) = two_desks();
    let org = a.desk_org_id().unwrap().unwrap();
    let case_id = first_case(&b);
    let title = hearing_store::cases::get(b.conn(), &case_id).unwrap().title;
    // B took its rows whole: one version per row.
    let whole: i64 = b
        .conn()
        .query_row(
            "SELECT count(*) FROM sync_row_versions WHERE tbl = 'cases'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(whole > 0);

    // A change of the title made before the case was last written loses, on every column.
    let mut stale = remote_change(
        "cases",
        &org,
        900,
        &case_id,
        Op::Upsert,
        serde_json::json!({ "title": "更早的标题", "crux": "更早的症结" }),
    );
    stale.hlc = Hlc {
        ms: 1_000_000,
        counter: 0,
    }
    .to_string();
    b.sync_apply_page(&[stale], "2", &HashMap::new()).unwrap();
    let case = hearing_store::cases::get(b.conn(), &case_id).unwrap();
    assert_eq!(case.title, title);
    assert_ne!(case.analysis.crux, "更早的症结");

    // A later one wins, column by column.
    let fresh = remote_change(
        "cases",
        &org,
        901,
        &case_id,
        Op::Upsert,
        serde_json::json!({ "title": "更新的标题" }),
    );
    b.sync_apply_page(&[fresh], "3", &HashMap::new()).unwrap();
    assert_eq!(
        hearing_store::cases::get(b.conn(), &case_id).unwrap().title,
        "更新的标题"
    );

    // A delete made before the row was written does not take it away.
    let petitioner: String = b
        .conn()
        .query_row(
            "SELECT json_array(case_id, seq) FROM petitioners WHERE case_id = ?1 LIMIT 1",
            [&case_id],
            |r| r.get(0),
        )
        .unwrap();
    let mut old_delete = remote_change(
        "petitioners",
        &org,
        902,
        &petitioner,
        Op::Delete,
        serde_json::json!({}),
    );
    old_delete.hlc = Hlc {
        ms: 1_000_000,
        counter: 0,
    }
    .to_string();
    let petitioners = |s: &Store| -> i64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM petitioners WHERE case_id = ?1",
                [&case_id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(petitioners(&b) > 0);
    let report = b
        .sync_apply_page(&[old_delete], "4", &HashMap::new())
        .unwrap();
    assert_eq!((report.applied, report.conflicts), (1, 0));
    assert_eq!(petitioners(&b), petitioners(&a));

    // Enrolling again queues none of what B received as B's own work.
    assert_eq!(b.sync_snapshot().unwrap(), 0);
}

#[test]
fn an_edit_of_a_received_entry_after_the_signature_is_taken_back_on_the_desk_that_made_it() {
    let (_dir, [mut a, mut b]) = desks::<2>();
    // B receives A's hearing in session with its entries (new rows, taken whole).
    let hid = hearing_with_entries(&mut a);
    assert_eq!(deliver(&mut b, &take(&mut a)), 0);
    let expected = testimony_of(&a, &hid);
    let (newest, _) = expected.last().cloned().unwrap();
    pause(&a);
    // A signs; B, not knowing, corrects the newest entry it received.
    sign_transcript(&mut a, &hid);
    pause(&a);
    b.update_testimony(&newest, "我要求再审（签名后改动）。")
        .unwrap();

    let from_a = take(&mut a);
    let from_b = take(&mut b);
    assert_eq!(deliver(&mut a, &from_b), 1);
    assert_eq!(deliver(&mut b, &from_a), 1);
    // Both desks keep the signed text, and both hold the edit as a conflict.
    for s in [&a, &b] {
        assert_eq!(testimony_of(s, &hid), expected);
        let edit = s
            .sync_conflicts()
            .unwrap()
            .into_iter()
            .find(|c| c.pk == newest)
            .expect("the edit is kept aside");
        assert_eq!(edit.column, "text");
        assert!(edit.theirs.contains("签名后改动"), "{edit:?}");
        assert_eq!(edit.reason, "笔录已签名，此后的修改未应用");
    }
    assert_eq!(state(&b), state(&a));
    assert_eq!(conflict_set(&b), conflict_set(&a));
}

/// Enrolling renames the changes not yet pushed to the server's device id; the audit events
/// written before still name the old ids, so the enrolment itself is an audit event saying so
/// (and which org the desk now works for).
#[test]
fn enrolment_is_audited_with_the_renaming_of_unpushed_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open_dir(&dir.path().join("a")).unwrap();
    a.load_demo().unwrap();
    let old = a.device_id().to_owned();
    let waiting: i64 = a
        .conn()
        .query_row("SELECT count(*) FROM change_log WHERE local = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(waiting > 100);
    let org = a.desk_org_id().unwrap().unwrap();
    let orgs = orgs_of(&a);
    a.sync_enrolled("http://test", "dev-a", "t", &org, &orgs)
        .unwrap();
    let renamed: i64 = a
        .conn()
        .query_row(
            "SELECT count(*) FROM change_log WHERE local = 1 AND id LIKE 'dev-a-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(renamed, waiting);
    let (action, summary): (String, String) = a
        .conn()
        .query_row(
            "SELECT action, summary FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "同步注册");
    assert!(
        summary.contains(&format!("尚未上报的 {waiting} 条更改")) && summary.contains(&old),
        "{summary}"
    );
    assert!(hearing_store::audit::verify(a.conn()).unwrap().ok);
}

/// The change log rows of the local changes, in order: seq and id.
fn local_log(s: &Store) -> Vec<(i64, String)> {
    s.conn()
        .prepare("SELECT seq, id FROM change_log WHERE local = 1 ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn every_logged_change_gets_the_next_seq_and_its_id_even_within_one_statement() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.load_demo().unwrap();
    let device = s.device_id().to_owned();
    let before = local_log(&s);
    // One statement changing many rows: each row's trigger logs it with its own seq.
    let persons: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    assert!(persons > 3);
    s.conn()
        .execute("UPDATE persons SET note = note || '。'", [])
        .unwrap();
    let after = local_log(&s);
    let new = &after[before.len()..];
    assert_eq!(new.len() as i64, persons);
    let last = before.last().map_or(0, |(seq, _)| *seq);
    for (i, (seq, id)) in new.iter().enumerate() {
        assert_eq!(*seq, last + 1 + i as i64);
        assert_eq!(id, &format!("{device}-{seq:012}"));
    }
    // A seq is never given twice, even when the newest rows are gone from the log (compacted).
    let top = new.last().unwrap().0;
    s.conn()
        .execute("DELETE FROM change_log WHERE seq > ?1", [top - 2])
        .unwrap();
    s.conn()
        .execute(
            "UPDATE persons SET note = note || '！' WHERE id = (SELECT min(id) FROM persons)",
            [],
        )
        .unwrap();
    let again = local_log(&s);
    let (seq, id) = again.last().unwrap();
    assert_eq!(*seq, top + 1);
    assert_eq!(id, &format!("{device}-{:012}", top + 1));
}

#[test]
fn a_logged_change_carries_the_time_of_the_stores_clock() {
    use chrono::{SubsecRound, Timelike};
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    // A day ago, on a whole second: nothing else would write that time.
    let at = (chrono::Utc::now() - chrono::Duration::days(1))
        .trunc_subsecs(0)
        .with_nanosecond(0)
        .unwrap();
    let stamp = at.format("%Y-%m-%dT%H:%M:%S.000Z").to_string();
    s.set_clock(Clock::manual(at)).unwrap();
    s.load_demo().unwrap();
    let times: Vec<(String, String)> = s
        .conn()
        .prepare("SELECT DISTINCT l.at, c.updated_at FROM change_log l JOIN cases c ON c.id = l.pk WHERE l.tbl = 'cases'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(times, vec![(stamp.clone(), stamp)]);
}
