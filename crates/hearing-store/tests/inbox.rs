//! 待审批 in one query: for every org of the demo tree as the desk's org, the inbox lists exactly
//! the cases whose approval chain (as the case's 终结审批 card reads it) waits for that org, at
//! that level, while requests move through their levels, are returned and made again.

use hearing_core::case_flow::CaseAction;
use hearing_core::plan::{ActionInput, ApprovalInput};
use hearing_core::CaseStatus;
use hearing_store::closure::Deciding;
use hearing_store::Store;

/// The cases in 终结审批, by number.
fn in_approval(s: &Store) -> Vec<String> {
    let mut stmt = s
        .conn()
        .prepare("SELECT id FROM cases WHERE status = ?1 ORDER BY number")
        .expect("query");
    let rows = stmt
        .query_map([CaseStatus::ClosureApproval.as_str()], |r| r.get(0))
        .expect("rows");
    rows.collect::<Result<_, _>>().expect("ids")
}

/// (case id, level key) of what the chain says waits for `org`, oldest request first by case.
fn expected(s: &Store, org: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in in_approval(s) {
        let chain = s.case_workflow(&id).expect("workflow").chain;
        for (i, l) in chain.iter().enumerate() {
            let mine = matches!(&l.decider, Deciding::Org { org_id, .. } if org_id == org);
            let before_done = chain[..i]
                .iter()
                .all(|b| !b.required || b.step.as_ref().is_some_and(|s| s.approved));
            if mine && l.step.is_none() && before_done {
                out.push((id.clone(), l.key.clone()));
                break;
            }
        }
    }
    out.sort();
    out
}

fn listed(s: &mut Store, org: &str) -> Vec<(String, String)> {
    s.set_desk_org(org).expect("desk org");
    let mut got: Vec<(String, String)> = s
        .approval_inbox()
        .expect("inbox")
        .into_iter()
        .map(|i| (i.case_id, i.level_key))
        .collect();
    got.sort();
    got
}

fn decide(s: &mut Store, case: &str, level: &str, approved: bool) {
    s.approve(
        case,
        &ApprovalInput {
            level_key: level.into(),
            approver: "审批人".into(),
            opinion: "意见".into(),
            approved,
            decided_on: String::new(),
        },
    )
    .unwrap_or_else(|e| panic!("{level}: {e}"));
}

/// Every org's inbox against the chain, and the number of (org, case) pairs listed.
fn check_all(s: &mut Store, orgs: &[String]) -> usize {
    let mut n = 0;
    for org in orgs {
        let want = expected(s, org);
        let got = listed(s, org);
        assert_eq!(got, want, "org {org}");
        n += got.len();
    }
    n
}

#[test]
fn every_org_sees_exactly_what_its_levels_wait_for() {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    let orgs: Vec<String> = hearing_store::orgs::list(s.conn())
        .expect("orgs")
        .into_iter()
        .map(|o| o.id)
        .collect();
    // Every active demo case straight into 终结审批, a first request.
    s.conn()
        .execute(
            "UPDATE cases SET status = ?1, approval_round = 1
             WHERE status NOT IN ('closed', 'withdrawn', 'registered')",
            [CaseStatus::ClosureApproval.as_str()],
        )
        .expect("into 终结审批");
    let cases = in_approval(&s);
    assert!(cases.len() >= 4, "{} cases", cases.len());
    // Nothing waits for a 政法委 before the organs decide their own levels.
    assert_eq!(check_all(&mut s, &orgs), 0);

    // The organs decide theirs on all but the last case: their committees' inboxes fill.
    for c in &cases[..cases.len() - 1] {
        decide(&mut s, c, "caseOfficer", true);
        decide(&mut s, c, "organHead", true);
    }
    let waiting = check_all(&mut s, &orgs);
    assert_eq!(waiting, cases.len() - 1, "each at its committee");

    // The first case: its committee approves (the optional 上级 level may follow); the second:
    // its committee returns it, and a new request starts over.
    let committee_of = |s: &mut Store, c: &str| -> String {
        s.case_workflow(c)
            .expect("workflow")
            .chain
            .into_iter()
            .find_map(|l| match l.decider {
                Deciding::Org { org_id, .. } if l.key == "committee" => Some(org_id),
                _ => None,
            })
            .expect("a committee decides")
    };
    let first = committee_of(&mut s, &cases[0]);
    s.set_desk_org(&first).expect("desk org");
    decide(&mut s, &cases[0], "committee", true);
    let second = committee_of(&mut s, &cases[1]);
    s.set_desk_org(&second).expect("desk org");
    decide(&mut s, &cases[1], "committee", false);
    check_all(&mut s, &orgs);
    let none = ActionInput::default();
    s.case_action(&cases[1], CaseAction::ReviseAfterReturn, &none)
        .expect("退回重办");
    s.conn()
        .execute(
            "UPDATE cases SET status = ?2, approval_round = approval_round + 1 WHERE id = ?1",
            [cases[1].as_str(), CaseStatus::ClosureApproval.as_str()],
        )
        .expect("a new request");
    // The returned request's decisions no longer count: nothing waits for the committee.
    check_all(&mut s, &orgs);
    assert!(!listed(&mut s, &second).iter().any(|(c, _)| c == &cases[1]));
    decide(&mut s, &cases[1], "caseOfficer", true);
    decide(&mut s, &cases[1], "organHead", true);
    assert!(listed(&mut s, &second).iter().any(|(c, _)| c == &cases[1]));
    check_all(&mut s, &orgs);

    // Oldest first: by when the level became ready.
    let items = s.approval_inbox().expect("inbox");
    let since: Vec<&Option<String>> = items.iter().map(|i| &i.ready_since).collect();
    let mut sorted = since.clone();
    sorted.sort();
    assert_eq!(since, sorted);
    assert!(items
        .iter()
        .all(|i| i.ready_since.is_some() && !i.level_title.is_empty()));
}
