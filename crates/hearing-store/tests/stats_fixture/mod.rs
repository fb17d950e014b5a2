//! A small register built through the Store API, counted by hand, for the statistics and warning
//! tests. Everything the API stamps with the real date (a closure, a slip's completion, a hearing
//! held today, a 领导包案's start) is then pinned to a fixed date with one SQL update each, so
//! the counts do not move with the clock.
//!
//! Orgs: 青山市委政法委 (QSS, root, desk) → 东河区委政法委 (DHQ) → 东河区法院 (DHQFY);
//! → 西岭县委政法委 (XLX) → 西岭县公安局 (XLXGAJ); → 青山中院 (QSZY).
//!
//! | case | owner | organ | category | registered | state | petitioners |
//! |---|---|---|---|---|---|---|
//! | E1 DHQ-2026-001 | DHQ | 东河区法院 | civil | 2026-01-10 | 已终结 (closed_on 2026-03-01) | 张甲 (ID A) |
//! | E2 DHQ-2026-002 | DHQ | 东河区法院 | civil | 2026-02-15 | 评查化解 | 张甲 (ID A) |
//! | E3 DHQ-2026-003 | DHQ | 东河区法院 | administrative | 2026-03-05 | 登记 | 李乙 (no ID, 东河区幸福路1号) |
//! | W1 XLX-2026-001 | XLX | 西岭县公安局 | policeEnforcement | 2026-02-20 | 撤回 | 王丙 (ID B) |
//! | W2 XLX-2026-002 | XLX | 西岭县公安局 | policeEnforcement | 2026-03-12 | 登记 | 李乙 (same name and address) |
//! | W3 XLX-2026-003 | XLX | 西岭县委政法委 | civil | 2026-04-02 | 登记 | five people (group) |
//! | C1 QSS-2026-001 | QSS | 青山中院 | enforcement | 2026-04-20 | 登记 | 赵丁 (ID C) |
//!
//! Hearings: E1's, held (笔录已签, pinned to 2026-02-20): 人大代表, 政协委员 and 律师 attended;
//! opinions 同意, 同意, 不同意; the organ decided 同意. C1's, planned for 2026-06-25 (public, notice
//! 7 days), one 专家 invited (sent), the petitioner's notice not served, no announcement.
//!
//! 三单: S1 C1 交办 deadline 05-10 done 05-08 (on time); S2 C1 督办 05-20 done 05-25 (late);
//! S3 E2 交办 06-20 open; S4 E2 反馈 06-01 open; S5 E1 交办 02-10 open.
//! 领导包案 on C1 since 2026-03-01, nobody confirmed.

#![allow(dead_code)]

use chrono::{Duration, NaiveDate};
use hearing_core::case_flow::CaseAction;
use hearing_core::deliberation::{OpinionInput, Vote};
use hearing_core::hearing::{
    HearingAction, HearingMode, InvitationStatus, ParticipantRole, SignatureStatus,
};
use hearing_core::plan::{
    ActionInput, ApprovalInput, HearingInput, OrganDecisionInput, ParticipantInput,
};
use hearing_core::supervision::{
    LeaderAssignmentInput, SlipFeedbackInput, SlipIssueInput, SlipKind,
};
use hearing_core::validate::id_check_char;
use hearing_core::{
    CaseAnalysis, CaseCategory, CaseInput, OrgInput, OrgKind, PersonInput, PersonKind,
    PetitionerInput, PetitionerKind,
};
use hearing_store::slips::SlipReviewInput;
use hearing_store::Store;

pub fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn id(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17))
}

pub fn id_a() -> String {
    id("11010519700101001")
}
pub fn id_b() -> String {
    id("34052419800101001")
}
pub fn id_c() -> String {
    id("15990119650505002")
}

pub struct Orgs {
    pub city: String,
    pub east: String,
    pub east_court: String,
    pub west: String,
    pub west_police: String,
    pub city_court: String,
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub s: Store,
    pub orgs: Orgs,
    pub e1: String,
    pub e2: String,
    pub e3: String,
    pub w1: String,
    pub w2: String,
    pub w3: String,
    pub c1: String,
    /// C1's planned hearing.
    pub c1_hearing: String,
    /// Open slips: S3 (E2, 交办, 06-20), S4 (E2, 反馈, 06-01), S5 (E1, 交办, 02-10).
    pub s3: String,
    pub s4: String,
    pub s5: String,
}

fn org(
    s: &mut Store,
    parent: Option<&str>,
    name: &str,
    short: &str,
    kind: OrgKind,
    code: &str,
) -> String {
    s.create_org(&OrgInput {
        parent_id: parent.map(str::to_owned),
        name: name.into(),
        short_name: short.into(),
        kind,
        code: code.into(),
    })
    .expect("org")
    .id
}

fn person_input(name: &str, kind: PersonKind) -> PersonInput {
    PersonInput {
        name: name.into(),
        kind: Some(kind),
        level: None,
        unit: "青山市".into(),
        title: String::new(),
        phone: String::new(),
        id_number: String::new(),
        licence_no: if kind == PersonKind::Lawyer {
            "11501201910000001".into()
        } else {
            String::new()
        },
        law_firm: if kind == PersonKind::Lawyer {
            "青山律师事务所".into()
        } else {
            String::new()
        },
        expertise: String::new(),
        term_start: String::new(),
        term_end: String::new(),
        note: String::new(),
    }
}

fn petitioner(name: &str, id_number: &str, address: &str) -> PetitionerInput {
    PetitionerInput {
        kind: PetitionerKind::Person,
        name: name.into(),
        id_number: id_number.into(),
        phone: String::new(),
        address: address.into(),
        credit_code: String::new(),
        representative: String::new(),
    }
}

fn case(
    s: &mut Store,
    organ: &str,
    category: CaseCategory,
    registered: &str,
    petitioners: Vec<PetitionerInput>,
) -> String {
    s.create_case(&CaseInput {
        number: String::new(),
        handling_organ_id: organ.into(),
        case_officer: "承办人".into(),
        title: format!("{}不服处理信访案", petitioners[0].name),
        category: Some(category),
        petitioners,
        original_case_number: String::new(),
        rulings: vec![],
        demands: "撤销原处理".into(),
        background: String::new(),
        registered_on: registered.into(),
    })
    .expect("case")
    .id
}

pub fn no_input() -> ActionInput {
    ActionInput::default()
}

fn analysis() -> CaseAnalysis {
    let t = |s: &str| s.to_owned();
    CaseAnalysis {
        historical_facts: t("事实"),
        problem_nature: t("性质"),
        handling_principle: t("原则"),
        petition_demands: t("诉求"),
        responsible_parties: t("责任人"),
        social_relations: t("关系"),
        crux: t("症结"),
        existing_replies: t("答复"),
        errors_and_flaws: t("无"),
    }
}

fn participant(
    s: &mut Store,
    hearing: &str,
    role: ParticipantRole,
    person_id: Option<&str>,
    name: &str,
) -> String {
    let d = s
        .add_participant(
            hearing,
            &ParticipantInput {
                role,
                person_id: person_id.map(str::to_owned),
                name: name.into(),
                unit: "青山市".into(),
            },
        )
        .expect("participant");
    d.participants
        .iter()
        .find(|p| p.name == name && p.role == role)
        .map(|p| p.id.clone())
        .expect("added")
}

/// Takes E1 through a whole hearing to 已终结 (the hearing held today, then pinned).
fn close_through_hearing(s: &mut Store, case_id: &str, panel: &[(String, String)]) {
    let today = hearing_store::today();
    s.case_action(case_id, CaseAction::StartReview, &no_input())
        .expect("review");
    s.set_case_analysis(case_id, &analysis()).expect("analysis");
    s.case_action(case_id, CaseAction::ProposeClosure, &no_input())
        .expect("propose");
    let h = s
        .create_hearing(&HearingInput {
            case_id: case_id.into(),
            title: "张甲信访事项听证会".into(),
            scheduled_on: ymd(today),
            start_time: "09:30".into(),
            venue: "东河区政法委听证室".into(),
            mode: Some(HearingMode::OnSite),
            public: true,
            non_public_reason: String::new(),
        })
        .expect("plan")
        .hearing
        .id;
    s.case_action(case_id, CaseAction::ScheduleHearing, &no_input())
        .expect("to hearing");
    participant(s, &h, ParticipantRole::Presider, None, "赵主持");
    participant(s, &h, ParticipantRole::Clerk, None, "钱记录");
    let mut members = Vec::new();
    for (person_id, name) in panel {
        let p = participant(s, &h, ParticipantRole::Panelist, Some(person_id), name);
        s.set_invitation(&p, InvitationStatus::Sent).expect("sent");
        s.set_invitation(&p, InvitationStatus::Accepted)
            .expect("accepted");
        s.set_declaration(&p, true, false, "").expect("declared");
        members.push(p);
    }
    let d = s
        .hearing_action(&h, HearingAction::Notify, &no_input())
        .expect("notify");
    let parties: Vec<String> = d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Petitioner)
        .map(|p| p.id.clone())
        .collect();
    for p in &parties {
        s.serve_notice(p, &ymd(today - Duration::days(8)), "直接送达")
            .expect("served");
    }
    s.publish_announcement(&h, &ymd(today - Duration::days(9)))
        .expect("announced");
    s.hearing_action(&h, HearingAction::Open, &no_input())
        .expect("open");
    for p in members.iter().chain(&parties) {
        s.set_invitation(p, InvitationStatus::Attended)
            .expect("attended");
    }
    s.hearing_action(&h, HearingAction::StartDeliberation, &no_input())
        .expect("deliberate");
    for (i, p) in members.iter().enumerate() {
        s.save_opinion(
            p,
            &OpinionInput {
                facts: "事实清楚".into(),
                law: "适用法律正确".into(),
                vote: Some(if i < 2 { Vote::Agree } else { Vote::Disagree }),
                reasons: "理由".into(),
            },
        )
        .expect("opinion");
    }
    let d = s
        .hearing_action(&h, HearingAction::Conclude, &no_input())
        .expect("conclude");
    for p in &d.participants {
        let _ = s.set_signature(&p.id, SignatureStatus::Signed, "");
    }
    s.hearing_action(&h, HearingAction::SignTranscript, &no_input())
        .expect("signed");
    s.record_organ_decision(
        &h,
        &OrganDecisionInput {
            decision: Vote::Agree,
            reason: String::new(),
        },
    )
    .expect("decision");
    s.case_action(case_id, CaseAction::SubmitForApproval, &no_input())
        .expect("submit");
    for key in ["caseOfficer", "organHead", "committee"] {
        s.approve(
            case_id,
            &ApprovalInput {
                level_key: key.into(),
                approver: "审批人".into(),
                opinion: "同意终结".into(),
                approved: true,
                decided_on: String::new(),
            },
        )
        .expect("approve");
    }
    s.case_action(case_id, CaseAction::Close, &no_input())
        .expect("close");
}

/// A slip of the city about `case_id` to its handling organ, with its kind and deadline pinned
/// (a deadline in the past cannot be issued, and a 反馈单 is not issued but answers one).
fn slip(s: &mut Store, case_id: &str, kind: SlipKind, deadline: &str) -> String {
    let w = s.case_workflow(case_id).expect("workflow");
    let to = w.slip_issuing.path[0].org_id.clone();
    let issued = s
        .issue_slip(
            case_id,
            &SlipIssueInput {
                kind: SlipKind::Assign,
                from_org_id: None,
                to_org_id: to,
                content: "按期反馈办理情况".into(),
                deadline: ymd(hearing_store::today() + Duration::days(30)),
                issued_by: "王书记".into(),
            },
        )
        .expect("slip");
    pin(
        s,
        "UPDATE supervision_slips SET kind = ?2, deadline = ?3 WHERE id = ?1",
        &[&issued.id, kind.as_str(), deadline],
    );
    issued.id
}

/// The handling organ answers the slip and the city accepts the answer (办结).
fn complete(s: &mut Store, slip_id: &str) {
    s.answer_slip(
        slip_id,
        &SlipFeedbackInput {
            text: "已按期办理".into(),
            answered_by: "承办人".into(),
            ..Default::default()
        },
    )
    .expect("answer");
    s.review_slip(
        slip_id,
        &SlipReviewInput {
            accept: true,
            ..SlipReviewInput::default()
        },
    )
    .expect("accept");
}

/// Runs one SQL statement that pins a date the API stamped with the real clock.
pub fn pin(s: &Store, sql: &str, args: &[&str]) {
    let n = s
        .conn()
        .execute(sql, rusqlite::params_from_iter(args.iter()))
        .expect("pin");
    assert!(n > 0, "pinned nothing: {sql}");
}

pub fn build() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    let city = org(
        &mut s,
        None,
        "中共青山市委政法委员会",
        "青山市委政法委",
        OrgKind::Committee,
        "QSS",
    );
    s.set_desk_org(&city).expect("desk");
    let east = org(
        &mut s,
        Some(&city),
        "中共东河区委政法委员会",
        "东河区委政法委",
        OrgKind::Committee,
        "DHQ",
    );
    let east_court = org(
        &mut s,
        Some(&east),
        "青山市东河区人民法院",
        "东河区法院",
        OrgKind::Court,
        "DHQFY",
    );
    let west = org(
        &mut s,
        Some(&city),
        "中共西岭县委政法委员会",
        "西岭县委政法委",
        OrgKind::Committee,
        "XLX",
    );
    let west_police = org(
        &mut s,
        Some(&west),
        "西岭县公安局",
        "西岭县公安局",
        OrgKind::PublicSecurity,
        "XLXGAJ",
    );
    let city_court = org(
        &mut s,
        Some(&city),
        "青山市中级人民法院",
        "青山中院",
        OrgKind::Court,
        "QSZY",
    );

    let mut panel = Vec::new();
    for (name, kind) in [
        ("人大甲", PersonKind::CongressDeputy),
        ("政协乙", PersonKind::CppccMember),
        ("律师丙", PersonKind::Lawyer),
    ] {
        let p = s.create_person(&person_input(name, kind)).expect("person");
        panel.push((p.id, name.to_owned()));
    }
    let expert = s
        .create_person(&person_input("专家丁", PersonKind::Expert))
        .expect("expert");

    let li = || petitioner("李乙", "", "东河区幸福路1号");
    s.set_desk_org(&east).expect("desk east");
    let e1 = case(
        &mut s,
        &east_court,
        CaseCategory::Civil,
        "2026-01-10",
        vec![petitioner("张甲", &id_a(), "东河区光明路2号")],
    );
    let e2 = case(
        &mut s,
        &east_court,
        CaseCategory::Civil,
        "2026-02-15",
        vec![petitioner("张甲", &id_a(), "东河区光明路2号")],
    );
    let e3 = case(
        &mut s,
        &east_court,
        CaseCategory::Administrative,
        "2026-03-05",
        vec![li()],
    );
    s.set_desk_org(&west).expect("desk west");
    let w1 = case(
        &mut s,
        &west_police,
        CaseCategory::PoliceEnforcement,
        "2026-02-20",
        vec![petitioner("王丙", &id_b(), "西岭县柳树镇")],
    );
    let w2 = case(
        &mut s,
        &west_police,
        CaseCategory::PoliceEnforcement,
        "2026-03-12",
        vec![li()],
    );
    let group: Vec<PetitionerInput> = ["孙一", "孙二", "孙三", "孙四", "孙五"]
        .iter()
        .map(|n| petitioner(n, "", ""))
        .collect();
    let w3 = case(&mut s, &west, CaseCategory::Civil, "2026-04-02", group);
    s.set_desk_org(&city).expect("desk city");
    let c1 = case(
        &mut s,
        &city_court,
        CaseCategory::Enforcement,
        "2026-04-20",
        vec![petitioner("赵丁", &id_c(), "青山市新华路9号")],
    );

    s.case_action(&e2, CaseAction::StartReview, &no_input())
        .expect("e2 review");
    s.case_action(
        &w1,
        CaseAction::Withdraw,
        &ActionInput {
            reason: "信访人书面撤回".into(),
            date: String::new(),
        },
    )
    .expect("withdraw");

    close_through_hearing(&mut s, &e1, &panel);
    pin(
        &s,
        "UPDATE hearings SET scheduled_on = '2026-02-20' WHERE case_id = ?1",
        &[&e1],
    );
    pin(
        &s,
        "UPDATE cases SET closed_on = '2026-03-01' WHERE id = ?1",
        &[&e1],
    );

    // C1's hearing, planned.
    let c1_hearing = s
        .create_hearing(&HearingInput {
            case_id: c1.clone(),
            title: "赵丁信访事项听证会".into(),
            scheduled_on: "2026-06-25".into(),
            start_time: "09:00".into(),
            venue: "青山中院听证室".into(),
            mode: Some(HearingMode::OnSite),
            public: true,
            non_public_reason: String::new(),
        })
        .expect("c1 hearing")
        .hearing
        .id;
    let p = participant(
        &mut s,
        &c1_hearing,
        ParticipantRole::Panelist,
        Some(&expert.id),
        "专家丁",
    );
    s.set_invitation(&p, InvitationStatus::Sent).expect("sent");

    // 三单.
    let s1 = slip(&mut s, &c1, SlipKind::Assign, "2026-05-10");
    let s2 = slip(&mut s, &c1, SlipKind::Supervise, "2026-05-20");
    complete(&mut s, &s1);
    complete(&mut s, &s2);
    for (slip, day) in [(&s1, "2026-05-08"), (&s2, "2026-05-25")] {
        pin(
            &s,
            "UPDATE supervision_slips SET done_on = ?2 WHERE id = ?1",
            &[slip, day],
        );
        pin(
            &s,
            "UPDATE slip_feedback SET answered_on = ?2 WHERE slip_id = ?1",
            &[slip, day],
        );
    }
    let s3 = slip(&mut s, &e2, SlipKind::Assign, "2026-06-20");
    let s4 = slip(&mut s, &e2, SlipKind::Reply, "2026-06-01");
    let s5 = slip(&mut s, &e1, SlipKind::Assign, "2026-02-10");

    s.set_leader_assignment(
        &c1,
        &LeaderAssignmentInput {
            leader_a: "王书记".into(),
            leader_a_title: "市委政法委副书记".into(),
            leader_b: "刘区长".into(),
            leader_b_title: "副区长".into(),
            problem_list: "执行款未到位".into(),
            responsibility_list: "中院执行；属地帮扶".into(),
        },
    )
    .expect("leaders");
    pin(
        &s,
        "UPDATE leader_assignments SET created_at = '2026-03-01T00:00:00.000Z' WHERE case_id = ?1",
        &[&c1],
    );

    Fixture {
        dir,
        s,
        orgs: Orgs {
            city,
            east,
            east_court,
            west,
            west_police,
            city_court,
        },
        e1,
        e2,
        e3,
        w1,
        w2,
        w3,
        c1,
        c1_hearing,
        s3,
        s4,
        s5,
    }
}
