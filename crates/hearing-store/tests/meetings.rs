//! 会商研判 on one desk: a meeting of the city's 政法委 over three county cases, the agenda
//! (added by hand, proposed from 预警, reordered, an item removed), a conclusion that issues a
//! 交办单 in the same write, the minutes as a 纪要 read back from the PDF, and the refusals. The
//! same across desks through a real server: hearing-cli's tests.

use chrono::Duration;
use hearing_core::meeting::{Attendee, Conclusion, ItemConclusionInput, MeetingInput, Presence};
use hearing_core::CaseStatus;
use hearing_store::closure::Entry;
use hearing_store::warnings::WarningKind;
use hearing_store::{Store, StoreError};

mod common;

fn org_id(s: &Store, code: &str) -> String {
    s.conn()
        .query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .unwrap_or_else(|e| panic!("org {code}: {e}"))
}

/// Active cases handled by organs below `county` (its code), by number.
fn county_cases(s: &Store, county: &str) -> Vec<String> {
    let mut stmt = s
        .conn()
        .prepare(
            "SELECT c.id, c.status FROM cases c JOIN orgs o ON o.id = c.handling_organ_id
             WHERE o.code LIKE ?1 || '%' ORDER BY c.number",
        )
        .expect("query");
    let rows = stmt
        .query_map([county], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .expect("rows");
    rows.filter_map(|r| r.ok())
        .filter(|(_, st)| CaseStatus::parse(st).is_some_and(|s| s.is_active()))
        .map(|(id, _)| id)
        .collect()
}

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    let city = org_id(&s, "QSS");
    s.set_desk_org(&city).expect("desk org");
    (dir, s)
}

fn meeting_input() -> MeetingInput {
    MeetingInput {
        org_id: None,
        title: "2026年第49周涉法涉诉信访案件会商研判会议".into(),
        held_on: hearing_store::today().format("%Y-%m-%d").to_string(),
        time: "上午9时".into(),
        place: "市委政法委三楼会议室".into(),
        chair: "王明（市委政法委副书记）".into(),
        recorder: "赵丽".into(),
        attendees: vec![
            Attendee {
                name: "刘洋".into(),
                unit: "市中级人民法院".into(),
                person_id: None,
                presence: Presence::Present,
            },
            Attendee {
                name: "陈静".into(),
                unit: "东河区委政法委".into(),
                person_id: None,
                presence: Presence::Attending,
            },
            Attendee {
                name: "孙强".into(),
                unit: "市公安局".into(),
                person_id: None,
                presence: Presence::Absent,
            },
        ],
        intro: String::new(),
    }
}

fn refused(e: StoreError) -> String {
    e.to_string()
}

#[test]
fn a_conference_over_three_county_cases_concludes_issues_a_slip_and_prints_its_minutes() {
    let (_dir, mut s) = setup();
    let m = s.create_meeting(&meeting_input()).expect("create");
    assert_eq!(m.entry, Entry::Own);
    assert!(m.number.ends_with("第1期"), "{}", m.number);
    let second = s.create_meeting(&meeting_input()).expect("another");
    assert!(
        second.number.ends_with("第2期"),
        "numbered in the org's series"
    );

    let dhq = county_cases(&s, "DHQ");
    let xlx = county_cases(&s, "XLX");
    assert!(dhq.len() >= 2 && !xlx.is_empty(), "{dhq:?} {xlx:?}");
    let mut m = s
        .add_meeting_case(&m.id, &dhq[0], None, "")
        .expect("add by id");
    let number: String = s
        .conn()
        .query_row("SELECT number FROM cases WHERE id = ?1", [&xlx[0]], |r| {
            r.get(0)
        })
        .expect("number");
    m = s
        .add_meeting_case(
            &m.id,
            &number,
            Some(WarningKind::HandlingLimit),
            "超过办理期限",
        )
        .expect("add by number");
    m = s.add_meeting_case(&m.id, &dhq[1], None, "").expect("third");
    assert_eq!(m.items.len(), 3);
    let e = s
        .add_meeting_case(&m.id, &dhq[0], None, "")
        .expect_err("twice");
    assert!(refused(e).contains("已在本次会议议题中"));

    // Reorder: the last first.
    let ids: Vec<String> = m.items.iter().map(|i| i.id.clone()).collect();
    let order = vec![ids[2].clone(), ids[0].clone(), ids[1].clone()];
    m = s.reorder_meeting(&m.id, &order).expect("reorder");
    assert_eq!(
        m.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
        order
    );
    let e = s
        .reorder_meeting(&m.id, &order[..2])
        .expect_err("one missing");
    assert!(refused(e).contains("每个议题各一次"));

    // Conclude the first with a 交办单 to 东河区委政法委; the second without.
    let dhq_org = org_id(&s, "DHQ");
    let deadline = (hearing_store::today() + Duration::days(15))
        .format("%Y-%m-%d")
        .to_string();
    let first = m.items[0].clone();
    m = s
        .conclude_meeting_item(
            &first.id,
            &ItemConclusionInput {
                discussion: "承办单位汇报了化解进展，信访人诉求主要为再审。".into(),
                conclusion: Some(Conclusion::Hearing),
                conclusion_text: "由东河区委政法委组织公开听证".into(),
                responsible_org_id: Some(dhq_org.clone()),
                deadline: deadline.clone(),
                issue_slip: true,
                issued_by: "王明".into(),
            },
        )
        .expect("conclude with a slip");
    let item = &m.items[0];
    assert_eq!(item.conclusion, Some(Conclusion::Hearing));
    let slip_id = item.slip_id.clone().expect("a slip");
    let slip = s.slip(&slip_id).expect("the slip");
    assert_eq!(slip.case_id, first.case_id);
    assert_eq!(slip.to_org_id.as_deref(), Some(dhq_org.as_str()));
    assert_eq!(
        slip.from_org_id.as_deref(),
        Some(org_id(&s, "QSS").as_str())
    );
    assert!(slip.content.contains("组织听证"), "{}", slip.content);
    assert_eq!(item.slip_number, slip.number);
    let e = s
        .conclude_meeting_item(
            &first.id,
            &ItemConclusionInput {
                discussion: "再议".into(),
                conclusion: Some(Conclusion::Hearing),
                responsible_org_id: Some(dhq_org.clone()),
                deadline: deadline.clone(),
                issue_slip: true,
                issued_by: "王明".into(),
                ..Default::default()
            },
        )
        .expect_err("a second slip");
    assert!(refused(e).contains("已就本次研判结论发出交办单"));
    let e = s.remove_meeting_item(&first.id).expect_err("slip out");
    assert!(refused(e).contains("不能移出"));
    let second_item = m.items[1].clone();
    m = s
        .conclude_meeting_item(
            &second_item.id,
            &ItemConclusionInput {
                discussion: "原处理结论正确，信访人无新的事实和理由。".into(),
                conclusion: Some(Conclusion::Close),
                ..Default::default()
            },
        )
        .expect("conclude");
    // A case with nothing concluded can go.
    let third = m.items[2].clone();
    m = s.remove_meeting_item(&third.id).expect("remove");
    assert_eq!(m.items.len(), 2);
    assert_eq!(m.items[1].seq, 2);

    // The case's page lists the meeting; the list counts what is concluded.
    let on_case = s.case_meetings(&first.case_id).expect("case meetings");
    assert_eq!(on_case.len(), 1);
    assert_eq!(on_case[0].meeting_id, m.id);
    let list = s.meetings().expect("list");
    let row = list.iter().find(|x| x.id == m.id).expect("in the list");
    assert_eq!((row.cases, row.concluded), (2, 2));

    // The minutes.
    let text = s.meeting_text(&m.id).expect("minutes");
    for part in [
        "@title 中共青山市委政法委员会|2026年第49周涉法涉诉信访案件会商研判纪要",
        "@h1 一、",
        "@h1 二、",
        "研判意见：组织听证",
        &format!("已发交办单（{}）", slip.number),
        "研判意见：拟终结",
        "@names 出席|王明",
        "刘洋（市中级人民法院）",
        "@names 列席|陈静（东河区委政法委）",
        "@names 请假|孙强（市公安局）",
        "@names 记录|赵丽",
    ] {
        assert!(text.contains(part), "missing {part}:\n{text}");
    }
    assert!(!text.contains("代录"), "{text}");

    let Some(fonts) = common::fonts() else {
        return;
    };
    let pdf = s.meeting_pdf(&m.id, &fonts).expect("pdf");
    let Some(read) = common::check_layout_rules(&pdf, "minutes.pdf") else {
        return;
    };
    let flat: String = read.chars().filter(|c| !c.is_whitespace()).collect();
    for part in [
        "会商研判纪要",
        "2026年第1期",
        "出席：王明",
        "列席：陈静",
        "研判意见：组织听证",
    ] {
        assert!(flat.contains(part), "{part} not in the PDF:\n{read}");
    }
}

#[test]
fn bad_meetings_and_cases_outside_the_org_are_refused_and_nothing_is_kept() {
    let (_dir, mut s) = setup();
    let before = s.meetings().expect("list").len();
    let e = s
        .create_meeting(&MeetingInput {
            held_on: "2026-02-30".into(),
            ..meeting_input()
        })
        .expect_err("no such day");
    assert!(refused(e).contains("不是有效日期"));
    let e = s
        .create_meeting(&MeetingInput {
            title: "长".repeat(200),
            ..meeting_input()
        })
        .expect_err("too long");
    assert!(refused(e).contains("会议名称"));
    assert_eq!(s.meetings().expect("list").len(), before);

    // A meeting of 东河区委政法委 (代录 on this desk working alone) cannot take a 西林县 case.
    let dhq = org_id(&s, "DHQ");
    let m = s
        .create_meeting(&MeetingInput {
            org_id: Some(dhq),
            ..meeting_input()
        })
        .expect("proxy meeting");
    assert!(m.proxy && m.entry == Entry::Proxy);
    // 代录 is this desk's org's record (it goes out as the city's, which may send it), as a 代录
    // slip is the case's.
    let owner: String = s
        .conn()
        .query_row(
            "SELECT org_id FROM change_log WHERE tbl = 'meetings' AND pk = ?1",
            [&m.id],
            |r| r.get(0),
        )
        .expect("logged");
    assert_eq!(owner, org_id(&s, "QSS"));
    let xlx = county_cases(&s, "XLX");
    let e = s
        .add_meeting_case(&m.id, &xlx[0], None, "")
        .expect_err("another county's case");
    let msg = refused(e);
    assert!(msg.contains("不属"), "{msg}");
    let e = s
        .add_meeting_case(&m.id, "不存在的案号", None, "")
        .expect_err("no such case");
    assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
    let text = s.meeting_text(&m.id).expect("minutes");
    assert!(text.contains("代录"), "{text}");
}

#[test]
fn the_agenda_proposals_come_from_the_warnings_not_yet_on_the_agenda() {
    let (_dir, mut s) = setup();
    let m = s.create_meeting(&meeting_input()).expect("create");
    // Far enough ahead that some demo cases are past their handling limit.
    let later = hearing_store::today() + Duration::days(120);
    let page = s.agenda_proposals(&m.id, later).expect("proposals");
    assert!(page.total > 0, "the demo has overdue cases by then");
    let first = page.items[0].clone();
    assert!(!first.reasons.is_empty());
    // Each proposal is a warning of the four kinds on an active case.
    let warned: Vec<_> = s
        .warnings(later)
        .expect("warnings")
        .into_iter()
        .filter(|w| w.case_id == first.case_id)
        .collect();
    for k in &first.kinds {
        assert!(
            matches!(
                k,
                WarningKind::HandlingLimit
                    | WarningKind::SupervisionSlip
                    | WarningKind::RepeatPetition
                    | WarningKind::Reopened
            ),
            "{k:?}"
        );
        assert!(warned.iter().any(|w| w.kind == *k), "{k:?} is a warning");
    }
    let m = s
        .add_meeting_case(
            &m.id,
            &first.case_id,
            first.kinds.first().copied(),
            &first.reasons[0],
        )
        .expect("add the first proposal");
    assert_eq!(m.items[0].source, first.kinds[0].as_str());
    let page = s.agenda_proposals(&m.id, later).expect("proposals");
    assert!(
        page.items.iter().all(|p| p.case_id != first.case_id),
        "a case on the agenda is not proposed again"
    );
}
