//! Early warnings on a fixed date (2026-06-15) over the hand-counted register of
//! tests/stats_fixture: each kind with its due date and days, most urgent first, and each one
//! gone once resolved (slip answered, notice served, case closed, leaders confirmed, follow-up
//! visit made, decision served).

use hearing_core::case_flow::CaseAction;
use hearing_core::hearing::ParticipantRole;
use hearing_core::plan::ActionInput;
use hearing_core::supervision::FollowupKind;
use hearing_store::closure::{FollowupInput, LeaderSide, LeaderSignOff};
use hearing_store::hearings;
use hearing_store::warnings::{counts, Severity, Warning, WarningKind, WarningRules};

mod stats_fixture;
use stats_fixture::{build, d, Fixture};

const TODAY: &str = "2026-06-15";

fn warnings(f: &Fixture) -> Vec<Warning> {
    f.s.warnings(d(TODAY)).expect("warnings")
}

/// (kind, severity, case number, due date, days left) of every warning, in order.
type Line = (WarningKind, Severity, String, Option<String>, Option<i32>);

fn lines(list: &[Warning]) -> Vec<Line> {
    list.iter()
        .map(|w| {
            (
                w.kind,
                w.severity,
                w.case_number.clone(),
                w.due_on.clone(),
                w.days_left,
            )
        })
        .collect()
}

fn line(
    kind: WarningKind,
    sev: Severity,
    number: &str,
    due: Option<&str>,
    days: Option<i32>,
) -> Line {
    (kind, sev, number.to_owned(), due.map(str::to_owned), days)
}

fn of(list: &[Warning], kind: WarningKind, case_id: &str) -> Vec<Warning> {
    list.iter()
        .filter(|w| w.kind == kind && w.case_id == case_id)
        .cloned()
        .collect()
}

#[test]
fn every_kind_with_its_days_most_urgent_first() {
    use Severity::{Approaching as A, Attention as N, Overdue as O};
    use WarningKind::*;
    let f = build();
    let list = warnings(&f);
    assert_eq!(
        lines(&list),
        [
            // E1 closed 03-01, decision not served: 20 days.
            line(
                ConclusionService,
                O,
                "DHQ-2026-001",
                Some("2026-03-21"),
                Some(-86)
            ),
            // Handling limit 60 days from registration.
            line(
                HandlingLimit,
                O,
                "DHQ-2026-002",
                Some("2026-04-16"),
                Some(-60)
            ),
            line(
                HandlingLimit,
                O,
                "DHQ-2026-003",
                Some("2026-05-04"),
                Some(-42)
            ),
            line(
                HandlingLimit,
                O,
                "XLX-2026-002",
                Some("2026-05-11"),
                Some(-35)
            ),
            // E1 closed 03-01 without a visit: every 90 days.
            line(
                FollowupDue,
                O,
                "DHQ-2026-001",
                Some("2026-05-30"),
                Some(-16)
            ),
            // C1's 领导包案 since 03-01: 90 days.
            line(
                LeaderAssignment,
                O,
                "QSS-2026-001",
                Some("2026-05-30"),
                Some(-16)
            ),
            // S4 (反馈单) deadline 06-01.
            line(
                SupervisionSlip,
                O,
                "DHQ-2026-002",
                Some("2026-06-01"),
                Some(-14)
            ),
            line(
                HandlingLimit,
                O,
                "XLX-2026-003",
                Some("2026-06-01"),
                Some(-14)
            ),
            // C1's hearing on 06-25 with 7 days' notice: by 06-18.
            line(
                HearingNotice,
                A,
                "QSS-2026-001",
                Some("2026-06-18"),
                Some(3)
            ),
            line(
                HandlingLimit,
                A,
                "QSS-2026-001",
                Some("2026-06-19"),
                Some(4)
            ),
            // S3 (交办单) deadline 06-20.
            line(
                SupervisionSlip,
                A,
                "DHQ-2026-002",
                Some("2026-06-20"),
                Some(5)
            ),
            line(RepeatPetition, N, "DHQ-2026-002", None, None),
            line(RepeatPetition, N, "DHQ-2026-003", None, None),
            line(RepeatPetition, N, "XLX-2026-002", None, None),
            line(GroupPetition, N, "XLX-2026-003", None, None),
        ]
    );
    // W1 is withdrawn, S5 belongs to a closed case: no warning about either.
    assert!(list.iter().all(|w| w.case_id != f.w1));
    assert!(list
        .iter()
        .all(|w| w.subject_id.as_deref() != Some(f.s5.as_str())));
    let c = counts(&list);
    assert_eq!((c.overdue, c.approaching, c.attention), (8, 3, 4));

    let notice = &of(&list, HearingNotice, &f.c1)[0];
    assert_eq!(notice.subject_id.as_deref(), Some(f.c1_hearing.as_str()));
    assert!(
        notice.message.contains("赵丁 的听证通知尚未送达"),
        "{}",
        notice.message
    );
    assert!(
        notice.message.contains("听证公告尚未发布"),
        "{}",
        notice.message
    );
    assert!(notice.message.contains("还剩 3 日"), "{}", notice.message);
    let slip = &of(&list, SupervisionSlip, &f.e2)[0];
    assert_eq!(slip.subject_id.as_deref(), Some(f.s4.as_str()));
    assert!(
        slip.message.starts_with("反馈单青政法交办〔")
            && slip
                .message
                .contains("（中共青山市委政法委员会 → 青山市东河区人民法院）限 2026-06-01 前反馈"),
        "{}",
        slip.message
    );
    assert!(slip.message.ends_with("已逾期 14 日"), "{}", slip.message);
    let repeat = &of(&list, RepeatPetition, &f.e2)[0];
    assert!(
        repeat.message.contains("张甲") && repeat.message.contains("DHQ-2026-001"),
        "{}",
        repeat.message
    );
    let group = &of(&list, GroupPetition, &f.w3)[0];
    assert!(group.message.contains("信访人 5 名"), "{}", group.message);
    assert_eq!(group.case_title, "孙一不服处理信访案");
}

#[test]
fn the_approach_window_and_due_today() {
    let f = build();
    // A day later S3 is 4 days away; on its deadline it is due today; the day after, overdue.
    for (today, days, sev) in [
        ("2026-06-16", 4, Severity::Approaching),
        ("2026-06-20", 0, Severity::Approaching),
        ("2026-06-21", -1, Severity::Overdue),
    ] {
        let list = f.s.warnings(d(today)).expect("warnings");
        let w: Vec<&Warning> = list
            .iter()
            .filter(|w| w.subject_id.as_deref() == Some(f.s3.as_str()))
            .collect();
        assert_eq!(w.len(), 1, "{today}");
        assert_eq!(
            (w[0].days_left, w[0].severity),
            (Some(days), sev),
            "{today}"
        );
    }
    // Eight days before, S3 is not yet a warning; with a 10-day window it is.
    let list = f.s.warnings(d("2026-06-12")).expect("warnings");
    assert!(list
        .iter()
        .all(|w| w.subject_id.as_deref() != Some(f.s3.as_str())));
    let rules = WarningRules {
        approach_days: 10,
        ..WarningRules::default()
    };
    let list =
        f.s.warnings_with(d("2026-06-12"), &rules)
            .expect("warnings");
    assert!(list
        .iter()
        .any(|w| w.subject_id.as_deref() == Some(f.s3.as_str())));
}

#[test]
fn warnings_go_away_once_resolved() {
    use WarningKind::*;
    let mut f = build();

    // The slip answered.
    f.s.answer_slip(
        &f.s4,
        &hearing_core::supervision::SlipFeedbackInput {
            text: "已反馈".into(),
            answered_by: "承办人".into(),
            ..Default::default()
        },
    )
    .expect("answered");
    let list = warnings(&f);
    assert!(list
        .iter()
        .all(|w| w.subject_id.as_deref() != Some(f.s4.as_str())));
    assert_eq!(of(&list, SupervisionSlip, &f.e2).len(), 1, "S3 remains");

    // The notice served and the announcement published.
    let detail = hearings::detail(f.s.conn(), &f.c1_hearing).expect("detail");
    let petitioner = detail
        .participants
        .iter()
        .find(|p| p.role == ParticipantRole::Petitioner)
        .map(|p| p.id.clone())
        .expect("petitioner");
    f.s.serve_notice(&petitioner, "2026-06-10", "直接送达")
        .expect("served");
    let list = warnings(&f);
    let notice = of(&list, HearingNotice, &f.c1);
    assert_eq!(notice.len(), 1, "the announcement is still missing");
    assert!(
        !notice[0].message.contains("赵丁 的听证通知"),
        "{}",
        notice[0].message
    );
    f.s.publish_announcement(&f.c1_hearing, "2026-06-10")
        .expect("announced");
    assert!(of(&warnings(&f), HearingNotice, &f.c1).is_empty());

    // Both leaders confirm (双销账).
    for side in [LeaderSide::A, LeaderSide::B] {
        assert_eq!(of(&warnings(&f), LeaderAssignment, &f.c1).len(), 1);
        f.s.leader_sign_off(&f.c1, side, LeaderSignOff::Confirm)
            .expect("confirm");
    }
    assert!(of(&warnings(&f), LeaderAssignment, &f.c1).is_empty());

    // A follow-up visit on 06-10: the next is due 09-08.
    let id = f.e1.clone();
    assert_eq!(of(&warnings(&f), FollowupDue, &id).len(), 1);
    f.s.add_followup(
        &id,
        &FollowupInput {
            kind: FollowupKind::Visit,
            on_date: "2026-06-10".into(),
            locality: "新华街道".into(),
            note: "情绪稳定".into(),
        },
    )
    .expect("visit");
    assert!(of(&warnings(&f), FollowupDue, &f.e1).is_empty());
    let later = f.s.warnings(d("2026-09-05")).expect("warnings");
    let due = of(&later, FollowupDue, &f.e1);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].due_on.as_deref(), Some("2026-09-08"));
    assert!(
        due[0].message.contains("上次回访于 2026-06-10"),
        "{}",
        due[0].message
    );
    // Visits are due only within the window after closure (default a year; here 180 days,
    // which ends 08-28, before the next visit falls due).
    let short = WarningRules {
        followup_window_days: 180,
        ..WarningRules::default()
    };
    assert!(of(
        &f.s.warnings_with(d("2026-09-05"), &short).expect("w"),
        FollowupDue,
        &f.e1
    )
    .is_empty());

    // The decision served: no service warning; the follow-up goes on.
    assert_eq!(of(&warnings(&f), ConclusionService, &f.e1).len(), 1);
    f.s.case_action(
        &id,
        CaseAction::RecordService,
        &ActionInput {
            reason: String::new(),
            date: "2026-03-10".into(),
        },
    )
    .expect("served");
    let list = warnings(&f);
    assert!(of(&list, ConclusionService, &f.e1).is_empty());

    // A case withdrawn leaves: no handling limit, no repeat warning for it; the other case of
    // the same petitioner still has one.
    assert_eq!(of(&list, HandlingLimit, &f.w2).len(), 1);
    f.s.case_action(
        &f.w2.clone(),
        CaseAction::Withdraw,
        &ActionInput {
            reason: "撤回".into(),
            date: String::new(),
        },
    )
    .expect("withdrawn");
    let list = warnings(&f);
    assert!(list.iter().all(|w| w.case_id != f.w2));
    assert_eq!(of(&list, RepeatPetition, &f.e3).len(), 1);

    // Reopening E1: a 依法重启 warning; its handling limit runs from the reopening (today on the
    // real clock, so not due on the fixed date); no service or follow-up any more.
    f.s.case_action(
        &id,
        CaseAction::Reopen,
        &ActionInput {
            reason: "发现新证据".into(),
            date: String::new(),
        },
    )
    .expect("reopen");
    let list = warnings(&f);
    let reopened = of(&list, Reopened, &f.e1);
    assert_eq!(reopened.len(), 1);
    assert_eq!(reopened[0].severity, Severity::Attention);
    assert!(
        reopened[0].message.contains("发现新证据"),
        "{}",
        reopened[0].message
    );
    assert!(of(&list, FollowupDue, &f.e1).is_empty());
    assert!(of(&list, HandlingLimit, &f.e1).is_empty());
    let start = hearing_store::today();
    let late = f.s.warnings(start + chrono::Duration::days(61)).expect("w");
    let limit = of(&late, HandlingLimit, &f.e1);
    assert_eq!(limit.len(), 1);
    assert_eq!(limit[0].days_left, Some(-1));
    assert!(
        limit[0].message.contains("依法重启后办理期限 60 日"),
        "{}",
        limit[0].message
    );
    // E1 is active again and 张甲 has two active cases now: both are repeat warnings.
    assert_eq!(of(&late, RepeatPetition, &f.e1).len(), 1);
    assert_eq!(of(&list, RepeatPetition, &f.e2).len(), 1);
}

#[test]
fn a_closed_case_gets_no_deadline_warning() {
    use WarningKind::*;
    let mut f = build();
    let c1 = f.c1.clone();
    let before = warnings(&f);
    for kind in [HandlingLimit, HearingNotice, LeaderAssignment] {
        assert_eq!(of(&before, kind, &c1).len(), 1, "{kind:?}");
    }
    f.s.case_action(
        &c1,
        CaseAction::SendToLegalProcedure,
        &ActionInput {
            reason: "已申请再审".into(),
            date: String::new(),
        },
    )
    .expect("legal procedure");
    let after = warnings(&f);
    assert!(after.iter().all(|w| w.case_id != c1), "{:?}", lines(&after));
}
