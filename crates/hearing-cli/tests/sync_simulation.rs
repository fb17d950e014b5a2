//! A seeded randomised simulation of sync: a real `hearing-server` process and four real desks
//! (two in the east county, one in the west, one at the city) making 1,000+ operations each
//! — new cases, edits of the same cases' analyses from the two east desks, new persons and
//! their edits, whole hearings on the east county's desk (panel drawn from its pool, testimony
//! typed and corrected, opinions, signatures, the frozen transcript, the organ's decision) with
//! their closure approvals crossing desks (the county decides its levels, the city the 上级
//! level, a return sends the request round again), and 三单 crossing desks: the city issues
//! 交办单/督办单 on the counties' cases, the county's desks answer them (both east desks may
//! answer the same slip while apart), the city accepts or returns the answers — with random
//! partitions (a desk stays offline for a while), desk restarts (the store is
//! closed and reopened) and server kills (SIGKILL, restart on the same data). At the end every
//! desk syncs until quiet, and the test counts: every change a desk made is on the server exactly
//! once (0 lost, 0 duplicated), every desk applied each change visible to it exactly once, desks
//! of one county hold identical data, the city holds every county's, and every county the city's
//! person pool; the city's slips on a county's cases and their answers are the same on both sides
//! and nowhere else, no slip is done without an answer, every decision is the same at the city
//! and in the county and the city's only from the city's device, no signed transcript differs
//! from its hash, no returned request counts as approved, and a county desk's forged change to a
//! city slip is refused by the server.
//!
//! Replay a failure with `HEARINGDESK_SIM_SEED=<seed printed> cargo test -p hearing-cli --test
//! sync_simulation`; `HEARINGDESK_SIM_OPS` changes the number of operations per desk.

mod common;

use hearing_store::ErrorCode;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::Server;
use hearing_core::supervision::{SlipFeedbackInput, SlipIssueInput, SlipKind, SlipStage};
use hearing_core::{CaseAnalysis, CaseCategory, CaseInput, PersonInput, PersonKind};
use hearing_core::{PetitionerInput, PetitionerKind};
use hearing_store::closure::Entry;
use hearing_store::slips::SlipReviewInput;
use hearing_store::Store;
use rusqlite::types::Value as SqlValue;

/// SplitMix64: small, seedable, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Desk {
    name: &'static str,
    org: &'static str,
    dir: PathBuf,
    store: Option<Store>,
    /// Rounds left offline (a network partition).
    offline: u32,
    /// Only one desk per county registers cases (case numbers are per org and made locally).
    registers_cases: bool,
}

impl Desk {
    fn store(&mut self) -> &mut Store {
        if self.store.is_none() {
            self.store = Some(Store::open_dir(&self.dir).expect("reopen desk"));
        }
        self.store.as_mut().expect("store")
    }
}

fn case_input(org: &str, n: usize) -> CaseInput {
    CaseInput {
        number: String::new(),
        handling_organ_id: org.to_owned(),
        case_officer: "模拟承办人".into(),
        title: format!("模拟信访案{n}"),
        category: Some(CaseCategory::Civil),
        petitioners: vec![PetitionerInput {
            kind: PetitionerKind::Person,
            name: format!("信访人{n}"),
            id_number: String::new(),
            phone: String::new(),
            address: "青山市".into(),
            credit_code: String::new(),
            representative: String::new(),
        }],
        original_case_number: String::new(),
        rulings: vec![],
        demands: "依法处理".into(),
        background: String::new(),
        registered_on: String::new(),
    }
}

fn person_input(n: usize, note: &str) -> PersonInput {
    PersonInput {
        name: format!("听证员{n}"),
        kind: Some(PersonKind::Expert),
        level: None,
        unit: "模拟律师事务所".into(),
        title: String::new(),
        phone: String::new(),
        id_number: String::new(),
        licence_no: String::new(),
        law_firm: "模拟律师事务所".into(),
        expertise: "民事法律".into(),
        term_start: String::new(),
        term_end: String::new(),
        note: note.into(),
    }
}

fn ids(s: &Store, sql: &str) -> Vec<String> {
    let mut stmt = s.conn().prepare(sql).expect("sql");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Rows of every synced table, sorted, as text.
fn state(s: &Store) -> BTreeMap<String, Vec<String>> {
    hearing_store::sync::SYNCED_TABLES
        .iter()
        .map(|t| {
            let mut stmt = s
                .conn()
                .prepare(&format!("SELECT * FROM {t}"))
                .expect("sql");
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let v: Vec<SqlValue> = (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                    Ok(format!("{v:?}"))
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            rows.sort();
            ((*t).to_owned(), rows)
        })
        .collect()
}

/// One random operation on a desk; returns a label for the log.
fn operate(d: &mut Desk, rng: &mut Rng, n: usize) -> &'static str {
    let org = d.org;
    let d_name = d.name;
    let registers = d.registers_cases;
    let s = d.store();
    // A desk edits its own org's records; the others it sees are read-only.
    let cases = ids(
        s,
        &format!("SELECT id FROM cases WHERE org_id = '{org}' ORDER BY id"),
    );
    let persons = ids(
        s,
        &format!("SELECT id FROM persons WHERE org_id = '{org}' ORDER BY id"),
    );
    // Whole hearings on the east county's registering desk, then the closure approval: the
    // county decides its own levels, the city the 上级 level, a return sends it round again.
    if d_name == "east1" && rng.chance(3) {
        let held: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM hearings", [], |r| r.get(0))
            .expect("hearings");
        let fresh = ids(
            s,
            &format!(
                "SELECT id FROM cases WHERE org_id = '{org}' AND status = 'registered' ORDER BY id"
            ),
        );
        if held < 8 && !fresh.is_empty() {
            if let Some(what) = whole_hearing(s, &fresh[rng.below(fresh.len())], n) {
                return what;
            }
        }
    }
    if (d_name == "east1" || org == "city") && rng.chance(15) {
        if let Some(what) = approval_step(s, org, rng) {
            return what;
        }
    }
    // 三单: the city issues on the counties' cases and reviews the answers; a county answers.
    if rng.chance(12) {
        if let Some(what) = slip_step(s, org, rng, n) {
            return what;
        }
    }
    let roll = rng.below(100);
    if registers && (cases.is_empty() || roll < 15) {
        s.create_case(&case_input(org, n)).expect("create case");
        return "case";
    }
    if !cases.is_empty() && roll < 70 {
        let id = &cases[rng.below(cases.len())];
        let case = hearing_store::cases::get(s.conn(), id).expect("case");
        let mut a: CaseAnalysis = case.analysis.clone();
        match rng.below(3) {
            0 => a.crux = format!("争议焦点（{org}，第{n}次）"),
            1 => a.problem_nature = format!("定性{n}"),
            _ => a.social_relations = format!("关系{}", rng.below(5)),
        }
        s.set_case_analysis(id, &a).expect("analysis");
        return "analysis";
    }
    if persons.is_empty() || roll < 85 {
        s.create_person(&person_input(n, "")).expect("person");
        return "person";
    }
    let id = &persons[rng.below(persons.len())];
    let p = hearing_store::persons::get(s.conn(), id).expect("person");
    let input = person_input(n, &format!("备注{n}"));
    s.update_person(
        &p.id,
        &PersonInput {
            name: p.name.clone(),
            // An edit keeps who the person is (a deputy stays a deputy, the panels need them).
            kind: Some(p.kind),
            law_firm: if p.kind == PersonKind::Expert {
                input.law_firm.clone()
            } else {
                String::new()
            },
            ..input
        },
    )
    .expect("update person");
    "person-edit"
}

/// A county case taken through a whole hearing on its desk, the way the organiser, the clerk
/// and the panel do it (staff, a drawn panel, notices, the announcement, testimony typed, saved
/// as it grows and one entry corrected, opinions, every signature, the frozen transcript, the
/// organ's decision), then submitted for closure approval. `None` when the panel cannot be
/// drawn (the pool is busy today) — the case stays where it is.
fn whole_hearing(s: &mut Store, case_id: &str, n: usize) -> Option<&'static str> {
    use hearing_core::case_flow::CaseAction;
    use hearing_core::deliberation::{OpinionInput, Vote};
    use hearing_core::hearing::{
        HearingAction, HearingMode, InvitationStatus, ParticipantRole, SignatureStatus,
    };
    use hearing_core::panel::PoolFilter;
    use hearing_core::plan::{ActionInput, HearingInput, OrganDecisionInput, ParticipantInput};
    use hearing_core::testimony::TestimonyInput;
    use hearing_store::hearings;
    let none = ActionInput::default();
    let today = hearing_store::today();
    let day = |d: i64| {
        (today + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    s.case_action(case_id, CaseAction::StartReview, &none)
        .expect("review");
    s.set_case_analysis(
        case_id,
        &CaseAnalysis {
            historical_facts: "2019 年起诉，2021 年二审维持".into(),
            problem_nature: "不服生效民事判决".into(),
            handling_principle: "依法维护生效裁判".into(),
            petition_demands: "要求再审".into(),
            responsible_parties: "法院民一庭".into(),
            social_relations: "亲属".into(),
            crux: "借条真实性".into(),
            existing_replies: "已书面答复".into(),
            errors_and_flaws: "无".into(),
        },
    )
    .expect("四明五清");
    s.case_action(case_id, CaseAction::ProposeClosure, &none)
        .expect("拟终结");
    let d = s
        .create_hearing(&HearingInput {
            case_id: case_id.into(),
            title: format!("模拟听证会{n}"),
            scheduled_on: day(0),
            start_time: "09:30".into(),
            venue: "听证室".into(),
            mode: Some(HearingMode::OnSite),
            public: true,
            non_public_reason: String::new(),
        })
        .expect("plan");
    let hid = d.hearing.id.clone();
    s.case_action(case_id, CaseAction::ScheduleHearing, &none)
        .expect("听证");
    for (role, name) in [
        (ParticipantRole::Presider, "赵主持"),
        (ParticipantRole::Clerk, "钱记录"),
    ] {
        s.add_participant(
            &hid,
            &ParticipantInput {
                role,
                person_id: None,
                name: name.into(),
                unit: "区委政法委".into(),
            },
        )
        .expect("staff");
    }
    let filter = PoolFilter {
        kinds: vec![
            PersonKind::PartyDelegate,
            PersonKind::CongressDeputy,
            PersonKind::CppccMember,
        ],
        // The same members may sit on two of the run's hearings on one day.
        only_available: false,
        ..Default::default()
    };
    s.draw_panel(&hid, &filter, 3, Some(&format!("模拟{n}")))
        .ok()?;
    let d = hearings::detail(s.conn(), &hid).expect("detail");
    for p in d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Panelist)
    {
        s.set_invitation(&p.id, InvitationStatus::Sent)
            .expect("sent");
        s.set_invitation(&p.id, InvitationStatus::Accepted)
            .expect("accepted");
        s.set_declaration(&p.id, true, false, "").expect("declared");
    }
    s.hearing_action(&hid, HearingAction::Notify, &none)
        .expect("notify");
    for p in d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Petitioner)
    {
        s.serve_notice(&p.id, &day(-8), "直接送达").expect("served");
    }
    s.publish_announcement(&hid, &day(-9)).expect("announced");
    let d = s
        .hearing_action(&hid, HearingAction::Open, &none)
        .expect("open");
    for p in d.participants.iter().filter(|p| {
        matches!(
            p.role,
            ParticipantRole::Panelist | ParticipantRole::Petitioner
        )
    }) {
        s.set_invitation(&p.id, InvitationStatus::Attended)
            .expect("attended");
    }
    let mut first = None;
    for (i, step) in ["organStatement", "petitionerStatement", "panelQuestions"]
        .iter()
        .enumerate()
    {
        s.set_current_step(&hid, (4 + i) as u32).expect("step");
        let e = s
            .add_testimony(
                &hid,
                &TestimonyInput {
                    step_key: (*step).into(),
                    speaker_role: ParticipantRole::Presider,
                    speaker_name: "赵主持".into(),
                    text: "陈".into(),
                },
            )
            .expect("entry");
        let e = s
            .update_testimony(&e.id, &format!("第{i}环节陈述{n}"))
            .expect("typed");
        first.get_or_insert(e.id);
    }
    s.correct_testimony(
        &first.expect("an entry"),
        &format!("第0环节陈述{n}（更正）"),
    )
    .expect("correction");
    let d = s
        .hearing_action(&hid, HearingAction::StartDeliberation, &none)
        .expect("评议");
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
        .expect("opinion");
    }
    let d = s
        .hearing_action(&hid, HearingAction::Conclude, &none)
        .expect("conclude");
    for p in &d.participants {
        let _ = s.set_signature(&p.id, SignatureStatus::Signed, "");
    }
    s.hearing_action(&hid, HearingAction::SignTranscript, &none)
        .expect("signed");
    s.record_organ_decision(
        &hid,
        &OrganDecisionInput {
            decision: Vote::Agree,
            reason: String::new(),
        },
    )
    .expect("organ decision");
    s.case_action(case_id, CaseAction::SubmitForApproval, &none)
        .expect("提请终结审批");
    Some("hearing")
}

/// One step of a closure approval on a desk of `org`: the county decides its own next level of
/// a request of its, or revises and submits again a returned one; the city decides the 上级 level
/// its 待审批 lists (approving most, returning some).
fn approval_step(s: &mut Store, org: &str, rng: &mut Rng) -> Option<&'static str> {
    use hearing_core::case_flow::CaseAction;
    use hearing_core::plan::{ActionInput, ApprovalInput};
    use hearing_store::closure::Deciding;
    let decide = |s: &mut Store, case: &str, level: &str, approved: bool| {
        s.approve(
            case,
            &ApprovalInput {
                level_key: level.into(),
                approver: format!("{org}审批人"),
                opinion: if approved {
                    "同意终结"
                } else {
                    "退回补充"
                }
                .into(),
                approved,
                decided_on: String::new(),
            },
        )
        .unwrap_or_else(|e| panic!("{org} {level}: {e}"));
    };
    if org == "city" {
        let waiting = s.approval_inbox().expect("inbox");
        let item = waiting.first()?;
        let approved = rng.chance(70);
        decide(s, &item.case_id, &item.level_key, approved);
        return Some(if approved {
            "approve-city"
        } else {
            "return-city"
        });
    }
    let cases = ids(
        s,
        &format!("SELECT id FROM cases WHERE org_id = '{org}' AND status = 'closureApproval' ORDER BY id"),
    );
    for case in cases {
        let wf = s.case_workflow(&case).expect("workflow");
        if wf
            .chain
            .iter()
            .any(|l| l.step.as_ref().is_some_and(|st| !st.approved))
        {
            let none = ActionInput::default();
            s.case_action(&case, CaseAction::ReviseAfterReturn, &none)
                .expect("退回重办");
            s.case_action(&case, CaseAction::SubmitForApproval, &none)
                .expect("重新提请");
            return Some("resubmit");
        }
        for (i, l) in wf.chain.iter().enumerate() {
            let own = matches!(
                &l.decider,
                Deciding::HandlingOrgan
                    | Deciding::Org {
                        entry: Entry::Own,
                        ..
                    }
            );
            let ready = wf.chain[..i]
                .iter()
                .all(|b| !b.required || b.step.as_ref().is_some_and(|st| st.approved));
            if own && l.step.is_none() && ready {
                decide(s, &case, &l.key, true);
                return Some("approve-county");
            }
        }
    }
    None
}

/// One step of the 三单 for a desk of `org`, when there is one to take.
fn slip_step(s: &mut Store, org: &str, rng: &mut Rng, n: usize) -> Option<&'static str> {
    if org == "city" {
        let review: Vec<_> = s
            .slips(None)
            .expect("slips")
            .into_iter()
            .filter(|x| x.stage == SlipStage::AwaitingReview && x.review == Entry::Own)
            .collect();
        if !review.is_empty() && rng.chance(60) {
            let x = &review[rng.below(review.len())];
            let accept = rng.chance(70);
            s.review_slip(
                &x.id,
                &SlipReviewInput {
                    accept,
                    reason: if accept {
                        String::new()
                    } else {
                        format!("请补充{n}")
                    },
                    reviewed_by: "市委政法委".into(),
                },
            )
            .expect("review");
            return Some(if accept { "slip-accept" } else { "slip-return" });
        }
        let county_cases = ids(
            s,
            "SELECT id || '|' || org_id FROM cases WHERE org_id IN ('east', 'west') ORDER BY id",
        );
        if county_cases.is_empty() {
            return None;
        }
        let pick = &county_cases[rng.below(county_cases.len())];
        let (case, to) = pick.split_once('|').expect("id|org");
        let deadline = (hearing_store::today() + chrono::Duration::days(10))
            .format("%Y-%m-%d")
            .to_string();
        s.issue_slip(
            case,
            &SlipIssueInput {
                kind: if rng.chance(50) {
                    SlipKind::Assign
                } else {
                    SlipKind::Supervise
                },
                from_org_id: None,
                to_org_id: to.to_owned(),
                content: format!("模拟交办事项{n}"),
                deadline,
                issued_by: "市委政法委".into(),
            },
        )
        .expect("issue");
        return Some("slip-issue");
    }
    let todo: Vec<_> = s
        .slip_todo()
        .expect("todo")
        .into_iter()
        .filter(|x| x.stage.awaits_feedback())
        .collect();
    if todo.is_empty() {
        return None;
    }
    let x = &todo[rng.below(todo.len())];
    s.answer_slip(
        &x.id,
        &SlipFeedbackInput {
            text: format!("已办理{n}"),
            answered_by: format!("{org}承办人"),
            ..Default::default()
        },
    )
    .expect("answer");
    Some("slip-answer")
}

fn sync(d: &mut Desk) -> Result<(), hearing_store::StoreError> {
    d.store().sync_now().map(|_| ())
}

fn server_count(data: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(data.join("server.db")).expect("server db");
    c.query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn four_desks_converge_through_partitions_restarts_and_server_kills() {
    let seed: u64 = std::env::var("HEARINGDESK_SIM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_127);
    let ops: usize = std::env::var("HEARINGDESK_SIM_OPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    eprintln!("simulation seed {seed}, {ops} operations per desk");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().expect("dir");
    let mut server = Server::city_with_two_counties(tmp.path().join("server"));
    let addr = server
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();

    let mut desks: Vec<Desk> = [
        ("east1", "east", true),
        ("east2", "east", false),
        ("west", "west", true),
        ("city", "city", true),
    ]
    .into_iter()
    .map(|(name, org, registers_cases)| {
        let dir = tmp.path().join(name);
        let mut store = Store::open_dir(&dir).expect("desk");
        let code = server.admin(&["code", "issue", "--org", org]);
        store
            .sync_enroll(&server.base, &code, name)
            .expect("enroll");
        Desk {
            name,
            org,
            dir,
            store: Some(store),
            offline: 0,
            registers_cases,
        }
    })
    .collect();

    // The east county's pool of 两代表一委员, its panels drawn from it.
    for (i, kind) in [
        PersonKind::PartyDelegate,
        PersonKind::CongressDeputy,
        PersonKind::CppccMember,
    ]
    .into_iter()
    .cycle()
    .take(12)
    .enumerate()
    {
        desks[0]
            .store()
            .create_person(&PersonInput {
                name: format!("代表委员{i}"),
                kind: Some(kind),
                unit: "东河区".into(),
                law_firm: String::new(),
                expertise: String::new(),
                ..person_input(i, "")
            })
            .expect("pool");
    }
    let (mut syncs, mut failed_syncs, mut restarts, mut kills) = (0, 0, 0, 0);
    let mut server_up = true;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for step in 0..ops {
        for d in desks.iter_mut() {
            let what = operate(d, &mut rng, step);
            *counts.entry(what).or_default() += 1;
        }
        // Every few steps: partitions come and go, desks sync, restart, the server dies.
        if step % 7 == 0 {
            for d in desks.iter_mut() {
                if d.offline > 0 {
                    d.offline -= 1;
                } else if rng.chance(10) {
                    d.offline = 1 + rng.below(6) as u32;
                }
                if rng.chance(4) {
                    d.store = None; // the app is closed; reopened on next use
                    restarts += 1;
                }
                if d.offline == 0 && rng.chance(60) {
                    syncs += 1;
                    match sync(d) {
                        Ok(()) => assert!(server_up, "sync succeeded with the server down"),
                        Err(e) => {
                            assert!(!server_up, "{} could not sync: {e}", d.name);
                            assert_eq!(e.code(), ErrorCode::Offline, "{e}");
                            failed_syncs += 1;
                        }
                    }
                }
            }
            // Whatever the seed, the run kills the server at least once and a desk tries it.
            let force = step >= ops / 2 && kills == 0;
            if server_up && (force || rng.chance(5)) {
                if force {
                    server.kill9();
                    let e = sync(&mut desks[0]).expect_err("sync with the server down");
                    assert_eq!(e.code(), ErrorCode::Offline, "{e}");
                    syncs += 1;
                    failed_syncs += 1;
                    desks[1].store = None;
                    restarts += 1;
                }
                server.kill9();
                server_up = false;
                kills += 1;
            } else if !server_up && rng.chance(50) {
                server.start(&addr);
                server_up = true;
            }
        }
    }
    if !server_up {
        server.start(&addr);
    }
    // Quiet: everyone back online, two full rounds.
    for _ in 0..2 {
        for d in desks.iter_mut() {
            d.offline = 0;
            sync(d).unwrap_or_else(|e| panic!("{} final sync: {e}", d.name));
        }
    }
    eprintln!(
        "operations {counts:?}; syncs {syncs} ({failed_syncs} while the server was down); \
         desk restarts {restarts}; server kills {kills}"
    );
    assert!(
        kills > 0 && restarts > 0 && failed_syncs > 0,
        "the run must exercise failures"
    );

    // 0 lost, 0 duplicated: each desk's changes 1..=max are on the server exactly once.
    let data = server.data.clone();
    let mut total = 0;
    for d in desks.iter_mut() {
        let (name, org) = (d.name, d.org);
        let s = d.store();
        assert_eq!(
            s.sync_status().expect("status").waiting,
            0,
            "{} has changes waiting",
            name
        );
        let made: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM change_log WHERE local = 1", [], |r| {
                r.get(0)
            })
            .expect("made");
        let last: String = s
            .conn()
            .query_row(
                "SELECT id FROM change_log WHERE local = 1 ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("last change");
        let device = s.device_id().to_owned();
        let held = server_count(
            &data,
            &format!("SELECT count(*) FROM changes WHERE device_id = '{device}'"),
        );
        let distinct = server_count(
            &data,
            &format!("SELECT count(DISTINCT id) FROM changes WHERE device_id = '{device}'"),
        );
        assert_eq!(
            held, made,
            "{}: made {made} changes, server holds {held}",
            name
        );
        assert_eq!(distinct, held, "{}: duplicates on the server", name);
        assert_eq!(
            server_count(
                &data,
                &format!("SELECT count(*) FROM changes WHERE id = '{last}'")
            ),
            1,
            "{}: its last change {last} is on the server",
            name
        );
        total += made;
        // Each change visible to the desk was logged here once (the log's ids are unique; the
        // pulled ones are as many as the server lets this desk see: a county's own, the city's
        // slips about it, every org row, and the city's person pool).
        let visible_sql = match org {
            "city" => format!("SELECT count(*) FROM changes WHERE device_id <> '{device}'"),
            _ => format!(
                "SELECT count(*) FROM changes WHERE device_id <> '{device}'
                 AND (org_id = '{org}' OR scope_org = '{org}' OR tbl = 'orgs'
                      OR (tbl = 'persons' AND org_id = 'city'))"
            ),
        };
        let visible = server_count(&data, &visible_sql);
        let applied: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM change_log WHERE local = 0", [], |r| {
                r.get(0)
            })
            .expect("applied");
        assert_eq!(
            applied, visible,
            "{}: applied {applied} of {visible} visible changes",
            name
        );
        let conflicts = s.sync_conflicts().expect("conflicts");
        assert!(
            conflicts.is_empty(),
            "{}: unexpected conflicts {conflicts:?}",
            name
        );
    }
    eprintln!("{total} changes made and delivered");
    assert!(
        total as usize >= 4 * ops,
        "every operation made at least one change"
    );

    // Desks of one county agree; the city holds every county's cases and persons.
    let states: Vec<BTreeMap<String, Vec<String>>> =
        desks.iter_mut().map(|d| state(d.store())).collect();
    assert_eq!(states[0], states[1], "east1 and east2 differ");
    for (i, org) in [(0, "east"), (2, "west")] {
        let on_desk: BTreeSet<String> = ids(
            desks[i].store(),
            &format!("SELECT id || '|' || title || '|' || crux || '|' || problem_nature || '|' || social_relations FROM cases WHERE org_id = '{org}'"),
        )
        .into_iter()
        .collect();
        let at_city: BTreeSet<String> = ids(
            desks[3].store(),
            &format!("SELECT id || '|' || title || '|' || crux || '|' || problem_nature || '|' || social_relations FROM cases WHERE org_id = '{org}'"),
        )
        .into_iter()
        .collect();
        assert!(!on_desk.is_empty());
        assert_eq!(on_desk, at_city, "the city's copy of {org}'s cases");
    }
    // The city's person pool reaches both counties as the city holds it.
    let mut pool = |i: usize| -> BTreeSet<String> {
        ids(
            desks[i].store(),
            "SELECT id || '|' || name || '|' || coalesce(phone, '') || '|' || unit FROM persons WHERE org_id = 'city'",
        )
        .into_iter()
        .collect()
    };
    let city_pool = pool(3);
    assert!(!city_pool.is_empty(), "the city made persons");
    for i in 0..3 {
        assert_eq!(pool(i), city_pool, "desk {i} holds the city's pool");
    }
    // The west desk never sees an east case.
    assert!(ids(
        desks[2].store(),
        "SELECT id FROM cases WHERE org_id = 'east'"
    )
    .is_empty());

    // 三单: the city's slips on a county's cases, and their answers, are the same on the county's
    // desks and the city's, and reach no other county; none is done without an answer.
    let slips_of = |d: &mut Desk, org: &str| -> BTreeSet<String> {
        ids(
            d.store(),
            &format!(
                "SELECT s.id || '|' || s.status || '|' || s.round || '|' || s.number || '|' ||
                    (SELECT count(*) FROM slip_feedback f WHERE f.slip_id = s.id)
                 FROM supervision_slips s JOIN cases c ON c.id = s.case_id WHERE c.org_id = '{org}'"
            ),
        )
        .into_iter()
        .collect()
    };
    let mut slips_seen = 0;
    for (i, org) in [(0, "east"), (2, "west")] {
        let at_county = slips_of(&mut desks[i], org);
        assert_eq!(
            at_county,
            slips_of(&mut desks[3], org),
            "{org}'s slips differ"
        );
        slips_seen += at_county.len();
    }
    assert!(slips_seen > 0, "the run issued slips");
    assert!(
        slips_of(&mut desks[2], "east").is_empty(),
        "west sees east's slips"
    );
    for d in desks.iter_mut() {
        let undone = ids(
            d.store(),
            "SELECT id FROM supervision_slips s WHERE status = 'done'
               AND NOT EXISTS (SELECT 1 FROM slip_feedback f WHERE f.slip_id = s.id)",
        );
        assert!(
            undone.is_empty(),
            "{}: slips done without an answer",
            d.name
        );
    }
    let numbers = ids(
        desks[3].store(),
        "SELECT number FROM supervision_slips GROUP BY number HAVING count(*) > 1",
    );
    assert!(numbers.is_empty(), "slip numbers given twice: {numbers:?}");

    // Hearings and approvals: some were held and decided across desks; every decision is its
    // owning org's (the city's only from the city's device); no signed transcript differs from
    // its hash on any desk that holds it.
    assert!(
        counts.get("hearing").copied().unwrap_or(0) > 0,
        "the run held hearings"
    );
    assert!(
        counts.get("approve-city").copied().unwrap_or(0)
            + counts.get("return-city").copied().unwrap_or(0)
            > 0,
        "the city decided"
    );
    let city_device = desks[3].store().device_id().to_owned();
    assert_eq!(
        server_count(
            &data,
            &format!(
                "SELECT count(*) FROM changes WHERE tbl = 'approvals' AND org_id = 'city'
                 AND device_id <> '{city_device}'"
            ),
        ),
        0,
        "a city decision made elsewhere"
    );
    for d in desks.iter_mut() {
        let name = d.name;
        let s = d.store();
        for h in ids(
            s,
            "SELECT id FROM hearings WHERE transcript_hash IS NOT NULL",
        ) {
            let stored: String = s
                .conn()
                .query_row(
                    "SELECT transcript_hash FROM hearings WHERE id = ?1",
                    [&h],
                    |r| r.get(0),
                )
                .expect("hash");
            let now = hearing_store::hearings::transcript_hash(s.conn(), &h).expect("recompute");
            assert_eq!(now, stored, "{name}: signed transcript {h} altered");
        }
    }
    // Every decision on the east county's cases is the same at the city as in the county, and
    // where a level returned the request, no desk counts it as approved (the guard 终结 uses).
    let decisions = |d: &mut Desk| -> BTreeSet<String> {
        ids(
            d.store(),
            "SELECT a.id || '|' || a.level_key || '|' || a.approved || '|' || a.round || '|' ||
                 coalesce(a.org_id, '')
             FROM approvals a JOIN cases c ON c.id = a.case_id WHERE c.org_id = 'east'",
        )
        .into_iter()
        .collect()
    };
    let at_east = decisions(&mut desks[0]);
    assert!(!at_east.is_empty());
    assert_eq!(
        at_east,
        decisions(&mut desks[3]),
        "the city's copy of east's decisions"
    );
    let mut returned_seen = 0;
    for d in desks.iter_mut() {
        let name = d.name;
        let s = d.store();
        for c in ids(s, "SELECT id FROM cases WHERE status = 'closureApproval'") {
            let case = hearing_store::cases::get(s.conn(), &c).expect("case");
            let f = hearing_store::closure::facts(s.conn(), &case).expect("facts");
            if f.approval_returned.is_some() {
                returned_seen += 1;
                assert!(
                    !f.approvals_complete,
                    "{name}: {c} returned yet counted as approved"
                );
            }
        }
    }
    eprintln!("requests returned and waiting at the end, counted on every desk: {returned_seen}");

    // A forged change: an east desk claims a city slip as its own record to mark it done. The
    // server refuses the page; the slip stays as the city left it.
    let target = ids(
        desks[3].store(),
        "SELECT id || '|' || status FROM supervision_slips WHERE issuer_org_id = 'city'
         ORDER BY status DESC LIMIT 1",
    );
    let (slip, before) = target
        .first()
        .and_then(|t| t.split_once('|'))
        .expect("a city slip");
    {
        let east = desks[0].store();
        let (url, token) = east
            .sync_credentials()
            .expect("credentials")
            .expect("enrolled");
        let forged: hearing_sync::Change = serde_json::from_value(serde_json::json!({
            "id": format!("forged-{seed}"),
            "orgId": "east",
            "deviceId": east.device_id(),
            "hlc": format!("{:013}-00000", chrono::Utc::now().timestamp_millis()),
            "table": "supervision_slips",
            "pk": slip,
            "op": "upsert",
            "cols": {"status": if before == "done" { "open" } else { "done" }, "done_on": "2026-01-01"},
            "at": "2026-01-01T00:00:00Z"
        }))
        .expect("a change");
        let e = hearing_sync::client::Client::new(&url, Some(&token))
            .push(&[forged])
            .expect_err("a forged change");
        assert!(
            matches!(
                e,
                hearing_sync::client::ClientError::Server { status: 403, .. }
            ),
            "{e:?}"
        );
        sync(&mut desks[3]).expect("city sync");
        let status: String = desks[3]
            .store()
            .conn()
            .query_row(
                "SELECT status FROM supervision_slips WHERE id = ?1",
                [slip],
                |r| r.get(0),
            )
            .expect("status");
        assert_eq!(status, before, "the forged change did not land");
    }
}
