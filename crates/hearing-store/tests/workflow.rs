//! The hearing workflow end to end on a real database file: plan, draw and invite a panel,
//! notices, session with testimony and a correction, deliberation, signing, approval chain,
//! closure, follow-up and reopening — and the refusals on the way.

use chrono::Duration;
use hearing_core::case_flow::CaseAction;
use hearing_core::deliberation::{OpinionInput, Vote};
use hearing_core::hearing::{HearingAction, InvitationStatus, ParticipantRole, SignatureStatus};
use hearing_core::panel::{self, Candidate, PoolFilter};
use hearing_core::plan::{ActionInput, ApprovalInput, OrganDecisionInput, ParticipantInput};
use hearing_core::supervision::{FollowupKind, LeaderAssignmentInput};
use hearing_core::testimony::TestimonyInput;
use hearing_core::{CaseListQuery, CaseStatus, PersonKind};
use hearing_store::closure::{FollowupInput, LeaderSide, LeaderSignOff};
use hearing_store::hearings::{self, HearingDetail};
use hearing_store::ErrorCode;
use hearing_store::{audit, cases, Store};

mod common;
use common::{no_input, plan, setup, ymd};

fn person(d: &HearingDetail, role: ParticipantRole) -> Vec<hearings::Participant> {
    d.participants
        .iter()
        .filter(|p| p.role == role)
        .cloned()
        .collect()
}

#[test]
fn a_case_goes_from_hearing_to_closure_and_back() {
    let (_dir, mut s, case_id) = setup();
    let today = hearing_store::today();
    let d = plan(&mut s, &case_id, today);
    assert_eq!(
        person(&d, ParticipantRole::Petitioner).len(),
        1,
        "petitioners join as parties"
    );
    s.case_action(&case_id, CaseAction::ScheduleHearing, &no_input())
        .expect("to hearing");

    // Notify is refused with every missing condition at once.
    let err = s
        .hearing_action(&d.hearing.id, HearingAction::Notify, &no_input())
        .expect_err("not ready");
    let msg = err.to_string();
    assert!(
        msg.contains("主持人") && msg.contains("记录员") && msg.contains("3"),
        "{msg}"
    );

    for (role, name) in [
        (ParticipantRole::Presider, "赵主持"),
        (ParticipantRole::Clerk, "钱记录"),
    ] {
        s.add_participant(
            &d.hearing.id,
            &ParticipantInput {
                role,
                person_id: None,
                name: name.into(),
                unit: "市委政法委".into(),
            },
        )
        .expect("staff");
    }

    // Auditable draw of 3 from the two-representatives-one-member pool.
    let filter = PoolFilter {
        kinds: vec![
            PersonKind::PartyDelegate,
            PersonKind::CongressDeputy,
            PersonKind::CppccMember,
        ],
        only_available: true,
        ..Default::default()
    };
    let record = s
        .draw_panel(&d.hearing.id, &filter, 3, Some("听证2026"))
        .expect("draw");
    assert_eq!(record.drawn.len(), 3);
    // Anyone can redo the draw from the record: the same seed over the same pool.
    let pool: Vec<Candidate> = record
        .pool
        .iter()
        .map(|id| Candidate {
            person_id: id.clone(),
            name: String::new(),
            kind: PersonKind::Other,
            level: None,
            unit: String::new(),
            active: true,
            term_end: None,
        })
        .collect();
    let again = panel::draw(&pool, 3, panel::seed_from_text(&record.seed)).expect("redo");
    let again: Vec<String> = again.into_iter().map(|c| c.person_id).collect();
    assert_eq!(again, record.drawn);

    let d = hearings::detail(s.conn(), &d.hearing.id).expect("detail");
    let panel = person(&d, ParticipantRole::Panelist);
    assert_eq!(panel.len(), 3);
    for p in &panel {
        s.set_invitation(&p.id, InvitationStatus::Sent)
            .expect("sent");
        s.set_invitation(&p.id, InvitationStatus::Accepted)
            .expect("accepted");
        s.set_declaration(&p.id, true, false, "").expect("declared");
    }
    // A declined invitation cannot be accepted again without a new invitation.
    let err = s
        .set_invitation(&panel[0].id, InvitationStatus::Draft)
        .expect_err("back to draft");
    assert_eq!(err.code(), ErrorCode::Refused);
    let d = s
        .hearing_action(&d.hearing.id, HearingAction::Notify, &no_input())
        .expect("notify");

    // Opening needs the notices served 7 days ahead and the announcement.
    let err = s
        .hearing_action(&d.hearing.id, HearingAction::Open, &no_input())
        .expect_err("no notice");
    let msg = err.to_string();
    assert!(msg.contains("测试人甲") && msg.contains("公告"), "{msg}");
    let petitioner = person(&d, ParticipantRole::Petitioner).remove(0);
    let err = s
        .serve_notice(&petitioner.id, &ymd(today - Duration::days(5)), "口头")
        .expect_err("not a method");
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    // Sent as its key, kept as its words.
    let served = s
        .serve_notice(&petitioner.id, &ymd(today - Duration::days(5)), "post")
        .expect("served");
    let kept = served
        .participants
        .iter()
        .find(|p| p.id == petitioner.id)
        .map(|p| p.notice_method.clone());
    assert_eq!(kept.as_deref(), Some("邮寄送达"));
    let err = s
        .hearing_action(&d.hearing.id, HearingAction::Open, &no_input())
        .expect_err("late");
    assert!(err.to_string().contains("5"), "{err}");
    s.serve_notice(&petitioner.id, &ymd(today - Duration::days(8)), "直接送达")
        .expect("served");
    s.publish_announcement(&d.hearing.id, &ymd(today - Duration::days(9)))
        .expect("announced");
    let d = s
        .hearing_action(&d.hearing.id, HearingAction::Open, &no_input())
        .expect("open");
    assert_eq!(d.hearing.status.as_str(), "inSession");

    // Attendance.
    for p in d.participants.iter().filter(|p| {
        matches!(
            p.role,
            ParticipantRole::Panelist | ParticipantRole::Petitioner
        )
    }) {
        s.set_invitation(&p.id, InvitationStatus::Attended)
            .expect("attended");
    }
    // Testimony: six entries over three steps, one corrected.
    let steps = ["organStatement", "petitionerStatement", "panelQuestions"];
    let mut first = None;
    for (i, step) in steps.iter().enumerate() {
        s.set_current_step(&d.hearing.id, (4 + i) as u32)
            .expect("step");
        for k in 0..2 {
            let e = s
                .add_testimony(
                    &d.hearing.id,
                    &TestimonyInput {
                        step_key: (*step).into(),
                        speaker_role: if k == 0 {
                            ParticipantRole::Presider
                        } else {
                            ParticipantRole::Petitioner
                        },
                        speaker_name: if k == 0 {
                            "赵主持".into()
                        } else {
                            "测试人甲".into()
                        },
                        text: "陈".into(),
                    },
                )
                .expect("entry");
            // Typed on: saved as it grows.
            let e = s
                .update_testimony(&e.id, &format!("第{i}环节第{k}条陈述内容"))
                .expect("typed");
            first.get_or_insert(e.id.clone());
        }
    }
    let first = first.unwrap_or_default();
    let err = s.update_testimony(&first, "改写").expect_err("sealed");
    assert!(err.to_string().contains("更正"), "{err}");
    let fix = s
        .correct_testimony(&first, "第0环节第0条陈述内容（更正）")
        .expect("correction");
    assert_eq!(fix.supersedes.as_deref(), Some(first.as_str()));
    let record = hearings::testimony(s.conn(), &d.hearing.id).expect("record");
    assert_eq!(record.len(), 7);
    assert_eq!(
        record[0].superseded_by.as_deref(),
        Some(fix.id.as_str()),
        "the old one stays, struck"
    );

    // Deliberation: 2 agree, 1 disagree.
    let d = s
        .hearing_action(&d.hearing.id, HearingAction::StartDeliberation, &no_input())
        .expect("deliberate");
    let err = s
        .hearing_action(&d.hearing.id, HearingAction::Conclude, &no_input())
        .expect_err("opinions missing");
    assert!(
        panel.iter().all(|p| err.to_string().contains(&p.name)),
        "{err}"
    );
    for (i, p) in panel.iter().enumerate() {
        let vote = if i < 2 { Vote::Agree } else { Vote::Disagree };
        s.save_opinion(
            &p.id,
            &OpinionInput {
                facts: "事实清楚".into(),
                law: "适用法律正确".into(),
                vote: Some(vote),
                reasons: "理由充分".into(),
            },
        )
        .expect("opinion");
    }
    let delib = hearings::deliberation(s.conn(), &d.hearing.id).expect("tally");
    assert_eq!((delib.tally.agree, delib.tally.disagree), (2, 1));
    assert_eq!(delib.tally.majority, Some(Vote::Agree));
    assert_eq!(delib.tally.minority.len(), 1);
    assert_eq!(delib.tally.minority[0].panelist_name, panel[2].name);

    let d = s
        .hearing_action(&d.hearing.id, HearingAction::Conclude, &no_input())
        .expect("conclude");
    let err = s
        .hearing_action(&d.hearing.id, HearingAction::SignTranscript, &no_input())
        .expect_err("unsigned");
    assert!(err.to_string().contains("赵主持"), "{err}");
    for p in &d.participants {
        let _ = s.set_signature(&p.id, SignatureStatus::Signed, "");
    }
    let d = s
        .hearing_action(&d.hearing.id, HearingAction::SignTranscript, &no_input())
        .expect("signed");
    let hash = d.hearing.transcript_hash.clone().unwrap_or_default();
    assert_eq!(
        hash,
        hearings::transcript_hash(s.conn(), &d.hearing.id).expect("hash")
    );
    assert_eq!(hash.len(), 64);
    let err = s.add_testimony(
        &d.hearing.id,
        &TestimonyInput {
            step_key: "closing".into(),
            speaker_role: ParticipantRole::Clerk,
            speaker_name: "钱记录".into(),
            text: "补记".into(),
        },
    );
    assert!(err.is_err(), "a signed transcript takes no more entries");

    // The organ decides; departing from the majority needs a reason.
    let err = s
        .record_organ_decision(
            &d.hearing.id,
            &OrganDecisionInput {
                decision: Vote::Disagree,
                reason: String::new(),
            },
        )
        .expect_err("reason");
    assert_eq!(err.code(), ErrorCode::Refused);
    s.record_organ_decision(
        &d.hearing.id,
        &OrganDecisionInput {
            decision: Vote::Agree,
            reason: String::new(),
        },
    )
    .expect("decision");

    // Closure approval with a leader assignment (五双).
    s.set_leader_assignment(
        &case_id,
        &LeaderAssignmentInput {
            leader_a: "孙院长".into(),
            leader_a_title: "东河区法院院长".into(),
            leader_b: "周区长".into(),
            leader_b_title: "东河区副区长".into(),
            problem_list: "借条真实性争议".into(),
            responsibility_list: "法院释法，街道帮扶".into(),
        },
    )
    .expect("leaders");
    s.case_action(&case_id, CaseAction::SubmitForApproval, &no_input())
        .expect("submit");
    let round: i64 = s
        .conn()
        .query_row(
            "SELECT approval_round FROM cases WHERE id = ?1",
            [&case_id],
            |r| r.get(0),
        )
        .expect("round");
    assert_eq!(round, 1, "the first request");
    let approve = |s: &mut Store, key: &str| {
        s.approve(
            &case_id,
            &ApprovalInput {
                level_key: key.into(),
                approver: "审批人".into(),
                opinion: "同意终结".into(),
                approved: true,
                decided_on: String::new(),
            },
        )
    };
    let err = approve(&mut s, "committee").expect_err("out of order");
    assert!(err.to_string().contains("承办人"), "{err}");
    approve(&mut s, "caseOfficer").expect("officer");
    approve(&mut s, "organHead").expect("head");
    let err = s
        .case_action(&case_id, CaseAction::Close, &no_input())
        .expect_err("chain incomplete");
    let msg = err.to_string();
    assert!(
        msg.contains("政法委") && msg.contains("签字"),
        "several unmet at once: {msg}"
    );
    approve(&mut s, "committee").expect("committee");
    for side in [LeaderSide::A, LeaderSide::B] {
        for what in [LeaderSignOff::Confirm, LeaderSignOff::Sign] {
            s.leader_sign_off(&case_id, side, what).expect("sign-off");
        }
    }
    let c = s
        .case_action(&case_id, CaseAction::Close, &no_input())
        .expect("closed");
    assert_eq!(c.status, CaseStatus::Closed);

    // Closed cases leave the active counts but keep their follow-up log.
    let active = cases::list(
        s.conn(),
        &CaseListQuery {
            active_only: Some(true),
            search: Some("测试人甲".into()),
            page: 1,
            page_size: 10,
            ..Default::default()
        },
    )
    .expect("active");
    assert_eq!(active.total, 0);
    s.add_followup(
        &case_id,
        &FollowupInput {
            kind: FollowupKind::Handover,
            on_date: ymd(today),
            locality: "站前街道".into(),
            note: "移交属地稳控".into(),
        },
    )
    .expect("followup");
    let err = s
        .case_action(&case_id, CaseAction::Reopen, &no_input())
        .expect_err("reason needed");
    assert_eq!(err.code(), ErrorCode::Refused);
    let c = s
        .case_action(
            &case_id,
            CaseAction::Reopen,
            &ActionInput {
                reason: "发现新证据，依法启动再审".into(),
                date: String::new(),
            },
        )
        .expect("reopen");
    assert_eq!(c.status, CaseStatus::Reopened);

    let wf = s.case_workflow(&case_id).expect("workflow");
    assert_eq!(wf.followups.len(), 1);
    let timeline = audit::case_timeline(s.conn(), &case_id).expect("timeline");
    assert!(
        timeline.len() > 30,
        "every step is on the timeline: {}",
        timeline.len()
    );
    assert!(timeline
        .iter()
        .any(|e| e.summary.contains("随机抽取听证员")));
    assert!(audit::verify(s.conn()).expect("verify").ok);
}

#[test]
fn a_hearing_can_be_postponed_and_renotified() {
    let (_dir, mut s, case_id) = setup();
    let today = hearing_store::today();
    let d = plan(&mut s, &case_id, today + Duration::days(3));
    let err = s
        .hearing_action(
            &d.hearing.id,
            HearingAction::Postpone,
            &ActionInput {
                reason: String::new(),
                date: ymd(today - Duration::days(1)),
            },
        )
        .expect_err("needs reason and future date");
    assert!(err.to_string().contains("理由"), "{err}");
    let d = s
        .hearing_action(
            &d.hearing.id,
            HearingAction::Postpone,
            &ActionInput {
                reason: "信访人住院".into(),
                date: ymd(today + Duration::days(20)),
            },
        )
        .expect("postponed");
    assert_eq!(d.hearing.scheduled_on, ymd(today + Duration::days(20)));
    assert_eq!(d.hearing.status.as_str(), "postponed");
}

#[test]
fn conflicts_of_interest_are_shown_with_reasons() {
    let (_dir, mut s, case_id) = setup();
    let today = hearing_store::today();
    let d = plan(&mut s, &case_id, today);
    // A pool member who is the case officer by name is barred.
    let p = s
        .create_person(&hearing_core::PersonInput {
            name: "李承办".into(),
            kind: Some(PersonKind::Expert),
            unit: "青山大学".into(),
            ..Default::default()
        })
        .expect("person");
    let c = hearings::panel_candidates(s.conn(), &d.hearing.id, &PoolFilter::default(), today)
        .expect("pool");
    let barred = c
        .excluded
        .iter()
        .find(|x| x.candidate.person_id == p.id)
        .expect("excluded");
    assert!(
        barred.conflicts.iter().any(|k| k.code == "caseParty"),
        "{:?}",
        barred.conflicts
    );
    assert!(!c.eligible.iter().any(|x| x.candidate.person_id == p.id));
}

/// An approval of `key` by `who`, agreeing to the closure.
fn decide(
    s: &mut Store,
    case_id: &str,
    key: &str,
    who: &str,
) -> hearing_store::Result<hearing_store::closure::CaseWorkflow> {
    s.approve(
        case_id,
        &ApprovalInput {
            level_key: key.into(),
            approver: who.into(),
            opinion: "同意终结".into(),
            approved: true,
            decided_on: String::new(),
        },
    )
}

/// A demo desk's fresh case put straight into 终结审批 (the road there is the first test), and
/// the 政法委 of its handling organ.
fn awaiting_approval() -> (tempfile::TempDir, Store, String, hearing_core::org::Org) {
    let (dir, s, case_id) = setup();
    s.conn()
        .execute(
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            [case_id.as_str(), CaseStatus::ClosureApproval.as_str()],
        )
        .expect("state");
    let case = cases::get(s.conn(), &case_id).expect("case");
    let committee = committee_of(&s, &case.handling_organ_id).expect("a 政法委 above the organ");
    (dir, s, case_id, committee)
}

/// The nearest 政法委 at or above `from` in the desk's tree.
fn committee_of(s: &Store, from: &str) -> Option<hearing_core::org::Org> {
    let orgs = hearing_store::orgs::list(s.conn()).expect("orgs");
    let mut at = orgs.iter().find(|o| o.id == from).cloned();
    while let Some(o) = at {
        if o.kind == hearing_core::org::OrgKind::Committee {
            return Some(o);
        }
        at = o
            .parent_id
            .as_deref()
            .and_then(|p| orgs.iter().find(|x| x.id == p).cloned());
    }
    None
}

#[test]
fn each_level_names_the_org_that_decides_and_a_decision_typed_for_another_org_is_proxy() {
    use hearing_core::config::Decider;
    use hearing_docs::templates::DocKind;
    use hearing_store::closure::{Deciding, Entry};

    let (_dir, mut s, case_id, committee) = awaiting_approval();
    let superior = committee
        .parent_id
        .as_deref()
        .and_then(|p| committee_of(&s, p));
    // This desk works for another org than the committee: the committee's decision is 代录 here.
    let other = hearing_store::orgs::list(s.conn())
        .expect("orgs")
        .into_iter()
        .find(|o| o.id != committee.id)
        .expect("another org");
    s.set_desk_org(&other.id).expect("desk org");

    let wf = s.case_workflow(&case_id).expect("workflow");
    let deciders: Vec<(&str, Decider, &Deciding)> = wf
        .chain
        .iter()
        .map(|l| (l.key.as_str(), l.decided_by, &l.decider))
        .collect();
    assert_eq!(
        deciders[0],
        (
            "caseOfficer",
            Decider::HandlingOrgan,
            &Deciding::HandlingOrgan
        )
    );
    assert_eq!(
        deciders[1],
        (
            "organHead",
            Decider::HandlingOrgan,
            &Deciding::HandlingOrgan
        )
    );
    let by_committee = Deciding::Org {
        org_id: committee.id.clone(),
        org_name: committee.name.clone(),
        entry: Entry::Proxy,
    };
    assert_eq!(
        deciders[2],
        ("committee", Decider::Committee, &by_committee)
    );
    match (&superior, deciders[3].2) {
        (Some(up), Deciding::Org { org_id, entry, .. }) => {
            assert_eq!(
                (org_id, *entry == Entry::Proxy),
                (&up.id, up.id != other.id)
            );
        }
        (None, Deciding::Missing { reason }) => assert!(reason.contains("上级政法委"), "{reason}"),
        (want, got) => panic!("superior: expected {want:?}, got {got:?}"),
    }

    let approve = |s: &mut Store, key: &str, who: &str| decide(s, &case_id, key, who);
    approve(&mut s, "caseOfficer", "李承办").expect("officer");
    approve(&mut s, "organHead", "王院长").expect("head");
    let wf = approve(&mut s, "committee", "赵书记").expect("committee, 代录");
    let steps: Vec<(&str, bool, Option<&str>)> = wf
        .approvals
        .iter()
        .map(|a| (a.level_key.as_str(), a.proxy, a.decider_org_id.as_deref()))
        .collect();
    assert_eq!(
        steps,
        [
            ("caseOfficer", false, None),
            ("organHead", false, None),
            ("committee", true, Some(committee.id.as_str()))
        ]
    );
    assert_eq!(
        wf.approvals[2].decider_org_name.as_deref(),
        Some(committee.name.as_str())
    );
    // 代录 shows on the timeline and in the 终结审批表.
    let timeline = audit::case_timeline(s.conn(), &case_id).expect("timeline");
    assert!(
        timeline
            .iter()
            .any(|e| e.summary.contains("代录") && e.summary.contains(&committee.name)),
        "{timeline:?}"
    );
    let form = s
        .generate_document(DocKind::ClosureApproval, &case_id, None, None)
        .expect("approval form");
    assert!(form.text.contains("赵书记（代录）"), "{}", form.text);
    assert!(!form.text.contains("李承办（代录）"));

    // One decision per level and request: the level is not decided twice.
    s.set_desk_org(&committee.id).expect("desk org");
    let err = approve(&mut s, "committee", "赵书记").expect_err("decided already");
    assert!(err.to_string().contains("已有审批意见"), "{err}");
    // On the committee's own desk, a decision is its own.
    let (_d2, mut own, own_case, own_committee) = awaiting_approval();
    for (key, who) in [
        ("caseOfficer", "李承办"),
        ("organHead", "王院长"),
        ("committee", "赵书记"),
    ] {
        decide(&mut own, &own_case, key, who).expect(key);
    }
    let wf = own.case_workflow(&own_case).expect("workflow");
    let last = wf.approvals.last().expect("decision");
    assert!(!last.proxy);
    assert_eq!(
        last.decider_org_id.as_deref(),
        Some(own_committee.id.as_str())
    );

    // A level decided by a named org; an org that is not in the tree is refused by name.
    let (_, mut cfg) = hearing_store::config::current(s.conn()).expect("config");
    cfg.approval_chain[3].decided_by = Some(Decider::Org);
    cfg.approval_chain[3].decider_org_id = Some("no-such-org".into());
    let err = s.save_config(&cfg).expect_err("unknown org");
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(err.to_string().contains("no-such-org"), "{err}");
    cfg.approval_chain[3].decider_org_id = Some(other.id.clone());
    s.save_config(&cfg).expect("named org");
    // The case has no hearing planned under an earlier version: the current chain applies.
    let wf = s.case_workflow(&case_id).expect("workflow");
    assert_eq!(
        wf.chain[3].decider,
        Deciding::Org {
            org_id: other.id.clone(),
            org_name: other.name.clone(),
            entry: Entry::Proxy
        }
    );
}

#[test]
fn a_level_no_org_can_decide_is_refused_with_the_reason() {
    let (_dir, mut s, case_id, committee) = awaiting_approval();
    // The demo desk handles the case at the top of the tree, the city's 政法委: it is the
    // committee of the case, and nothing is above it to be the 上级政法委.
    assert!(committee.parent_id.is_none());
    for (key, who) in [
        ("caseOfficer", "李承办"),
        ("organHead", "王院长"),
        ("committee", "赵书记"),
    ] {
        decide(&mut s, &case_id, key, who).expect(key);
    }
    let before = s.case_workflow(&case_id).expect("workflow").approvals.len();
    let err = decide(&mut s, &case_id, "superior", "钱书记").expect_err("no 上级政法委");
    assert_eq!(err.code(), ErrorCode::Refused);
    let msg = err.to_string();
    assert!(
        msg.contains("找不到审批单位")
            && msg.contains(&committee.name)
            && msg.contains("上级政法委"),
        "{msg}"
    );
    assert_eq!(
        s.case_workflow(&case_id).expect("workflow").approvals.len(),
        before,
        "nothing stored"
    );
}

#[test]
fn a_returned_request_goes_back_and_a_new_request_needs_every_level_again() {
    let (_dir, mut s, case_id, _committee) = awaiting_approval();
    // The case's first request (the road there is the first test: here the round is set as
    // 提请终结审批 sets it).
    s.conn()
        .execute(
            "UPDATE cases SET approval_round = 1 WHERE id = ?1",
            [&case_id],
        )
        .expect("round");
    decide(&mut s, &case_id, "caseOfficer", "李承办").expect("officer");
    decide(&mut s, &case_id, "organHead", "王院长").expect("head");
    let wf = s
        .approve(
            &case_id,
            &ApprovalInput {
                level_key: "committee".into(),
                approver: "赵书记".into(),
                opinion: "证据不足，补充调查后再报".into(),
                approved: false,
                decided_on: String::new(),
            },
        )
        .expect("returned");
    assert_eq!(wf.chain[2].step.as_ref().map(|s| s.approved), Some(false));
    // A returned request cannot close; it goes back with the return's words.
    let err = s
        .case_action(&case_id, CaseAction::Close, &no_input())
        .expect_err("returned");
    assert!(
        err.to_string().contains("已退回（政法委：证据不足"),
        "{err}"
    );
    let c = s
        .case_action(&case_id, CaseAction::ReviseAfterReturn, &no_input())
        .expect("revise");
    assert_eq!(c.status, CaseStatus::Hearing);
    let wf = s.case_workflow(&case_id).expect("workflow");
    assert!(
        wf.status_reason.contains("证据不足"),
        "{}",
        wf.status_reason
    );
    // Revising is only for a returned request.
    s.conn()
        .execute(
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            [case_id.as_str(), CaseStatus::ClosureApproval.as_str()],
        )
        .expect("state");
    s.conn()
        .execute(
            "UPDATE cases SET approval_round = 2 WHERE id = ?1",
            [&case_id],
        )
        .expect("round");
    let err = s
        .case_action(&case_id, CaseAction::ReviseAfterReturn, &no_input())
        .expect_err("not returned");
    assert!(err.to_string().contains("没有被退回"), "{err}");
    // The new request: nothing of the first counts, every level decides again; the first
    // request's decisions stay on record.
    let wf = s.case_workflow(&case_id).expect("workflow");
    assert!(wf.chain.iter().all(|l| l.step.is_none()), "{:?}", wf.chain);
    assert_eq!(wf.approvals.len(), 3);
    for (key, who) in [
        ("caseOfficer", "李承办"),
        ("organHead", "王院长"),
        ("committee", "赵书记"),
    ] {
        decide(&mut s, &case_id, key, who).expect(key);
    }
    let wf = s.case_workflow(&case_id).expect("workflow");
    assert!(wf.chain[..3]
        .iter()
        .all(|l| l.step.as_ref().is_some_and(|s| s.approved && s.round == 2)));
    assert_eq!(wf.approvals.len(), 6);
}
