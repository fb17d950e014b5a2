//! The desk side of sync between two real stores, changes carried page by page the way the
//! client carries them (outbox → apply): initial copy, concurrent edits of one case, a page
//! delivered twice, and a document finalised on one desk while edited on the other.

use std::collections::{BTreeMap, HashMap};

use hearing_core::{CaseAnalysis, CaseListQuery};
use hearing_docs::DocKind;
use hearing_store::Store;
use hearing_sync::Org;
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
    let fonts = match hearing_docs::FontSet::system() {
        Ok(f) => f,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "CI must have fonts: {e}");
            return;
        }
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

#[test]
fn a_conflict_names_its_row_and_is_settled_once_with_the_actor() {
    let (_dir, a, mut b) = two_desks();
    let id = first_case(&a);
    let case = hearing_store::cases::get(a.conn(), &id).unwrap();
    // A change from a newer desk version: a column B does not have.
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
    };
    let head = b.sync_outbox_head().unwrap();
    let report = b
        .sync_apply_page(&[change], "900", &HashMap::new())
        .unwrap();
    // Applying a remote change records nothing local.
    assert_eq!(b.sync_outbox_head().unwrap(), head);
    assert_eq!(report.conflicts, 1);
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
    assert_eq!(missing.code(), "not_found");
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
    assert!(hearing_store::sync::is_unreachable(&e.to_string()), "{e}");
    let runs = s.sync_runs(10).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].error.as_deref(), Some(e.to_string().as_str()));
    assert_eq!((runs[0].pushed, runs[0].pulled), (0, 0));
    let st = s.sync_status().unwrap();
    assert!(st.enrolled);
    assert!(st.last_sync.is_none());
    assert_eq!(st.last_attempt, runs[0].finished);
    assert_eq!(st.last_error, runs[0].error);
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
    let fonts = match hearing_docs::FontSet::system() {
        Ok(f) => f,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "CI must have fonts: {e}");
            return;
        }
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
    assert_eq!(list[0].state, "final");
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
