//! 三单 on one desk: issuing (numbered per issuing org), 反馈, 办结 and 退回重报, who may enter
//! which part (代录 on a desk working alone), the refusals, 预警 and the printed slip. The
//! same across desks, with a real server: hearing-cli's tests/sync.rs.

use chrono::Datelike;
use chrono::Duration;
use hearing_core::supervision::{SlipFeedbackInput, SlipIssueInput, SlipKind, SlipStage};
use hearing_core::CaseStatus;
use hearing_store::closure::Entry;
use hearing_store::slips::SlipReviewInput;
use hearing_store::warnings::WarningKind;
use hearing_store::{Store, StoreError};

fn org_id(s: &Store, code: &str) -> String {
    s.conn()
        .query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .unwrap_or_else(|e| panic!("org {code}: {e}"))
}

/// The demo desk, of the city's 政法委, and a case handled by 东河区法院.
fn setup() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    let city = org_id(&s, "QSS");
    s.set_desk_org(&city).expect("desk org");
    let cases: Vec<(String, String)> = {
        let mut stmt = s
            .conn()
            .prepare(
                "SELECT c.id, c.status FROM cases c JOIN orgs o ON o.id = c.handling_organ_id
                 WHERE o.code = 'DHQFY' ORDER BY c.number",
            )
            .expect("query");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows");
        rows.collect::<Result<_, _>>().expect("cases")
    };
    let case_id = cases
        .into_iter()
        .find(|(_, st)| CaseStatus::parse(st).is_some_and(|st| st.is_active()))
        .map(|(id, _)| id)
        .expect("an active case of 东河区法院");
    (dir, s, case_id)
}

fn input(kind: SlipKind, to: &str, days: i64) -> SlipIssueInput {
    SlipIssueInput {
        kind,
        from_org_id: None,
        to_org_id: to.to_owned(),
        content: "请督促承办单位依法组织听证，并于期限内报送办理情况".into(),
        deadline: (hearing_store::today() + Duration::days(days))
            .format("%Y-%m-%d")
            .to_string(),
        issued_by: "李书记".into(),
    }
}

fn feedback(text: &str) -> SlipFeedbackInput {
    SlipFeedbackInput {
        text: text.into(),
        answered_by: "东河区委政法委 王科长".into(),
        ..Default::default()
    }
}

fn refused(e: StoreError) -> String {
    match e {
        StoreError::Refused(r) => r.unmet.join("；"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_slip_goes_from_issue_through_a_return_to_done_numbered_per_issuer() {
    let (_dir, mut s, case_id) = setup();
    let county = org_id(&s, "DHQ");
    let year = hearing_store::today().year();

    // The city issues; it may send to the county's 政法委 or the court that handles the case.
    let issuing = s.case_workflow(&case_id).expect("workflow").slip_issuing;
    // On this desk working alone the county's 政法委 could issue too, as 代录, to the court only.
    let names: Vec<(&str, Entry)> = issuing
        .issuers
        .iter()
        .map(|i| (i.party.org_name.as_str(), i.party.entry))
        .collect();
    assert_eq!(
        names,
        [
            ("中共青山市东河区委政法委员会", Entry::Proxy),
            ("中共青山市委政法委员会", Entry::Own)
        ]
    );
    assert_eq!(issuing.issuers[0].receivers.len(), 1);
    let city = &issuing.issuers[1];
    let to: Vec<&str> = city.receivers.iter().map(|p| p.org_name.as_str()).collect();
    assert_eq!(to, ["青山市东河区人民法院", "中共青山市东河区委政法委员会"]);
    let a = s
        .issue_slip(&case_id, &input(SlipKind::Assign, &county, 10))
        .expect("issue");
    assert_eq!(a.number, format!("青政法交办〔{year}〕1号"));
    assert_eq!(a.from_unit, "中共青山市委政法委员会");
    assert_eq!(a.to_unit, "中共青山市东河区委政法委员会");
    assert_eq!(a.stage, SlipStage::AwaitingFeedback);
    assert!(!a.proxy, "the desk's own org issued it");
    assert_eq!(a.review, Entry::Own);
    // The county answers on this desk working alone: 代录.
    assert_eq!(a.answer, Entry::Proxy);
    let b = s
        .issue_slip(&case_id, &input(SlipKind::Assign, &county, 10))
        .expect("second");
    assert_eq!(b.number, format!("青政法交办〔{year}〕2号"));
    let c = s
        .issue_slip(&case_id, &input(SlipKind::Supervise, &county, 5))
        .expect("supervise");
    assert_eq!(c.number, format!("青政法督〔{year}〕1号"), "its own series");

    // The city's 待办 follows its slips until they are done, nearest deadline first.
    let todo: Vec<String> = s
        .slip_todo()
        .expect("todo")
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(todo, [c.id.clone(), a.id.clone(), b.id.clone()]);

    // Nothing to review before an answer; a return needs its reason.
    let e = s
        .review_slip(
            &a.id,
            &SlipReviewInput {
                accept: true,
                ..Default::default()
            },
        )
        .expect_err("no answer yet");
    assert!(refused(e).contains("尚未收到本轮反馈"));

    let answered = s
        .answer_slip(&a.id, &feedback("已召开协调会，拟于下周组织听证"))
        .expect("answer");
    assert_eq!(answered.stage, SlipStage::AwaitingReview);
    assert_eq!(answered.feedback.len(), 1);
    assert!(answered.feedback[0].proxy, "the county's answer typed here");
    assert_eq!(
        answered.feedback[0].org_name,
        "中共青山市东河区委政法委员会"
    );
    let e = s
        .answer_slip(&a.id, &feedback("再次反馈"))
        .expect_err("answered already");
    assert!(refused(e).contains("正待发单单位审核"));

    let e = s
        .review_slip(&a.id, &SlipReviewInput::default())
        .expect_err("a return needs a reason");
    assert!(matches!(e, StoreError::Validation(_)), "{e:?}");
    let back = s
        .review_slip(
            &a.id,
            &SlipReviewInput {
                accept: false,
                reason: "未写明听证日期和参加人员".into(),
                reviewed_by: String::new(),
            },
        )
        .expect("return");
    assert_eq!(back.stage, SlipStage::Returned);
    assert_eq!(back.round, 1);
    assert_eq!(back.return_reason, "未写明听证日期和参加人员");

    s.answer_slip(&a.id, &feedback("定于本月20日组织听证，听证员5名"))
        .expect("second answer");
    let done = s
        .review_slip(
            &a.id,
            &SlipReviewInput {
                accept: true,
                reason: String::new(),
                reviewed_by: "李书记".into(),
            },
        )
        .expect("accept");
    assert_eq!(done.stage, SlipStage::Accepted);
    assert_eq!(done.reviewed_by, "李书记");
    assert_eq!(
        done.done_on.as_deref(),
        Some(
            hearing_store::today()
                .format("%Y-%m-%d")
                .to_string()
                .as_str()
        )
    );
    assert_eq!(
        done.feedback.iter().map(|f| f.round).collect::<Vec<_>>(),
        [0, 1],
        "both answers are kept"
    );
    assert!(
        s.slip_todo().expect("todo").iter().all(|x| x.id != a.id),
        "a done slip leaves the 待办"
    );
    let e = s.answer_slip(&a.id, &feedback("又一次")).expect_err("done");
    assert!(refused(e).contains("已办结"));

    // The case's workflow lists them; the audit trail names each step.
    let wf = s.case_workflow(&case_id).expect("workflow");
    assert_eq!(wf.slips.len(), 3);
    let trail: String = s
        .conn()
        .query_row(
            "SELECT group_concat(summary, '|') FROM audit_events WHERE entity IN ('supervision_slip', 'slip_feedback')",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(trail.contains("退回重报"), "{trail}");
    assert!(trail.contains("办结"), "{trail}");
    assert!(trail.contains("代录"), "{trail}");
}

#[test]
fn bad_slips_are_refused_and_nothing_is_stored() {
    let (_dir, mut s, case_id) = setup();
    let count = |s: &Store| -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM supervision_slips", [], |r| r.get(0))
            .expect("count")
    };
    let before = count(&s);

    // Another county is outside the case's line: not a receiver.
    let west = org_id(&s, "XLX");
    let e = s
        .issue_slip(&case_id, &input(SlipKind::Assign, &west, 10))
        .expect_err("another county");
    let msg = refused(e);
    assert!(
        msg.contains("中共西岭县委政法委员会") && msg.contains("可选"),
        "{msg}"
    );

    // A deadline before the issue date.
    let county = org_id(&s, "DHQ");
    let e = s
        .issue_slip(&case_id, &input(SlipKind::Assign, &county, -1))
        .expect_err("past deadline");
    match e {
        StoreError::Validation(v) => assert!(v.0[0].message.contains("早于发单日期"), "{v:?}"),
        other => panic!("{other:?}"),
    }

    // A 反馈单 is not issued; the county cannot issue to itself about its own case's organ
    // from the court; the court is not above its own case.
    let e = s
        .issue_slip(&case_id, &input(SlipKind::Reply, &county, 10))
        .expect_err("reply");
    assert!(matches!(e, StoreError::Validation(_)));
    let court = org_id(&s, "DHQFY");
    let e = s
        .issue_slip(
            &case_id,
            &SlipIssueInput {
                from_org_id: Some(court.clone()),
                ..input(SlipKind::Assign, &court, 10)
            },
        )
        .expect_err("the organ itself");
    assert!(refused(e).contains("承办机关"));

    // An unknown slip.
    let e = s
        .answer_slip("no-such-slip", &feedback("x"))
        .expect_err("unknown");
    assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");

    // A 1 MB paste as the content.
    let e = s
        .issue_slip(
            &case_id,
            &SlipIssueInput {
                content: "字".repeat(1 << 20),
                ..input(SlipKind::Assign, &county, 10)
            },
        )
        .expect_err("too long");
    assert!(matches!(e, StoreError::Validation(_)));
    assert_eq!(count(&s), before, "nothing stored");
}

#[test]
fn a_desk_of_another_org_working_alone_enters_the_issuers_slip_as_proxy() {
    let (_dir, mut s, case_id) = setup();
    let county = org_id(&s, "DHQ");
    // The county's desk, not enrolled: the city's paper slip is typed in as 代录; the answer is
    // the county's own.
    s.set_desk_org(&county).expect("desk org");
    let city = org_id(&s, "QSS");
    let e = s
        .issue_slip(&case_id, &input(SlipKind::Assign, &county, 10))
        .expect_err("the county issues to itself");
    assert!(
        refused(e).contains("不在"),
        "the county is the receiver, not above it"
    );
    let slip = s
        .issue_slip(
            &case_id,
            &SlipIssueInput {
                from_org_id: Some(city),
                ..input(SlipKind::Assign, &county, 10)
            },
        )
        .expect("proxy");
    assert!(slip.proxy);
    assert_eq!(slip.answer, Entry::Own);
    let slip = s
        .answer_slip(&slip.id, &feedback("已办理"))
        .expect("own answer");
    assert!(!slip.feedback[0].proxy);
    // The county's 待办 lists nothing of its own to answer now; the city's review is 代录 here.
    assert!(s.slip_todo().expect("todo").is_empty());
    assert_eq!(slip.review, Entry::Proxy);
}

#[test]
fn an_overdue_slip_warns_until_it_is_answered_and_prints_as_a_document() {
    let (_dir, mut s, case_id) = setup();
    let county = org_id(&s, "DHQ");
    let slip = s
        .issue_slip(&case_id, &input(SlipKind::Assign, &county, 0))
        .expect("issue");
    // Two days later it is overdue, on this desk as on the county's.
    let later = hearing_store::today() + Duration::days(2);
    let overdue = |s: &Store| {
        s.warnings_with(later, &Default::default())
            .expect("warnings")
            .into_iter()
            .filter(|w| {
                w.kind == WarningKind::SupervisionSlip
                    && w.subject_id.as_deref() == Some(slip.id.as_str())
            })
            .count()
    };
    assert_eq!(overdue(&s), 1);
    s.answer_slip(&slip.id, &feedback("已办理完毕"))
        .expect("answer");
    assert_eq!(
        overdue(&s),
        0,
        "answered: the issuer's review is not overdue"
    );

    let text = s.slip_text(&slip.id, None).expect("text");
    assert!(text.contains(&format!("@number {}", slip.number)), "{text}");
    assert!(
        text.contains("| 承办单位 | 中共青山市东河区委政法委员会 |"),
        "{text}"
    );
    assert!(text.contains("| 交办意见 | 请督促承办单位"), "{text}");
    let fb = s.slip_text(&slip.id, Some(0)).expect("feedback text");
    assert!(fb.contains("已办理完毕") && fb.contains("代录"), "{fb}");
    let e = s.slip_text(&slip.id, Some(3)).expect_err("no such round");
    assert!(refused(e).contains("第 4 轮"));
}

/// 统计's 三单 table judges the receiving org: answered by the deadline is on time whenever the
/// issuer accepts; open and answered is not overdue; open past the deadline unanswered is.
#[test]
fn statistics_count_a_slip_by_its_answer() {
    use hearing_store::stats::{StatMeasure, StatsFilter, StatsScope};
    let (_dir, mut s, case_id) = setup();
    let county = org_id(&s, "DHQ");
    let issue = |s: &mut Store| {
        s.issue_slip(&case_id, &input(SlipKind::Assign, &county, 3))
            .expect("issue")
            .id
    };
    let (answered_done, answered_open, _silent) = (issue(&mut s), issue(&mut s), issue(&mut s));
    for id in [&answered_done, &answered_open] {
        s.answer_slip(id, &feedback("按期办理")).expect("answer");
    }
    s.review_slip(
        &answered_done,
        &SlipReviewInput {
            accept: true,
            ..Default::default()
        },
    )
    .expect("accept");
    // The issuer accepted late: its 办结 date is past the deadline, the answer was not.
    s.conn()
        .execute(
            "UPDATE supervision_slips SET done_on = '2099-01-01' WHERE id = ?1",
            [&answered_done],
        )
        .expect("late acceptance");
    let later = (hearing_store::today() + Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let stats = s
        .statistics(&StatsFilter {
            scope: StatsScope::All,
            today: Some(later),
            ..Default::default()
        })
        .expect("statistics");
    let table = stats.table(StatMeasure::Slips).expect("the slips table");
    let assign = table
        .rows
        .iter()
        .find(|r| r.key == "assign")
        .expect("交办单 row");
    // 按期办结, 逾期办结, 办理中（未逾期）, 逾期未反馈, 合计
    assert_eq!(assign.values, [1.0, 0.0, 1.0, 1.0, 3.0], "{table:?}");
    assert_eq!(stats.summary.slips_overdue, 1);
}
