//! 类案/积案: the demo register grouped four ways, each group's cases opened, the 积案 by cause,
//! and a state change resetting how long a case has stood in its state.

use chrono::Duration;
use hearing_core::case_flow::CaseAction;
use hearing_core::plan::ActionInput;
use hearing_core::CaseStatus;
use hearing_store::stats::groups::{GroupBy, GroupFilter};
use hearing_store::Store;

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    (dir, s)
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[test]
fn every_case_is_in_one_group_of_each_kind_and_each_group_opens_its_cases() {
    let (_dir, s) = setup();
    let total: u32 = s
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("count");
    let active = s
        .conn()
        .prepare("SELECT status FROM cases")
        .expect("query")
        .query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .filter_map(|r| r.ok())
        .filter(|st| CaseStatus::parse(st).is_some_and(|s| s.is_active()))
        .count() as u32;
    let f = GroupFilter::default();
    let r = s.case_groups(&f).expect("groups");
    assert_eq!(r.cases, total);
    for t in &r.tables {
        let sum: u32 = t.groups.iter().map(|g| g.cases).sum();
        let want = if t.by == GroupBy::Stage {
            active
        } else {
            total
        };
        assert_eq!(sum, want, "{:?}", t.by);
        // Each group opens its cases.
        let g = &t.groups[0];
        let cases = s.group_cases(&f, t.by, &g.key).expect("cases");
        assert_eq!(
            cases.len() as u32,
            g.cases.min(500),
            "{:?} {}",
            t.by,
            g.label
        );
        assert!(cases
            .iter()
            .all(|c| !c.number.is_empty() && !c.title.is_empty()));
        assert!(
            cases.windows(2).all(|w| w[0].age_days >= w[1].age_days),
            "oldest first"
        );
    }
    let stage = r
        .tables
        .iter()
        .find(|t| t.by == GroupBy::Stage)
        .expect("stage");
    assert!(
        stage
            .groups
            .windows(2)
            .all(|w| w[0].median_stage_days >= w[1].median_stage_days),
        "where cases stall comes first: {:?}",
        stage.groups
    );
}

#[test]
fn the_backlog_is_listed_by_cause_and_a_state_change_restarts_the_stage_clock() {
    let (_dir, mut s) = setup();
    // Two years on, every active demo case is older than a year.
    let later = day(hearing_store::today() + Duration::days(730));
    let f = GroupFilter {
        today: Some(later.clone()),
        ..Default::default()
    };
    let r = s.case_groups(&f).expect("groups");
    let stage = r
        .tables
        .iter()
        .find(|t| t.by == GroupBy::Stage)
        .expect("stage");
    let active: u32 = stage.groups.iter().map(|g| g.cases).sum();
    assert_eq!(r.backlog_total, active, "all active cases are 积案 by then");
    let listed: u32 = r.backlog.iter().map(|c| c.total).sum();
    assert_eq!(listed, r.backlog_total);
    for c in &r.backlog {
        assert!(c
            .cases
            .iter()
            .all(|x| x.demand == c.cause && x.age_days >= 365));
    }
    // A tighter threshold today: fewer.
    let now = s
        .case_groups(&GroupFilter {
            backlog_days: Some(3650),
            ..Default::default()
        })
        .expect("groups");
    assert_eq!(now.backlog_total, 0);
    let e = s
        .case_groups(&GroupFilter {
            backlog_days: Some(1),
            ..Default::default()
        })
        .expect_err("threshold too small");
    assert!(e.to_string().contains("积案年限"), "{e}");

    // A registered case taken to review today: its stage clock restarts.
    let (id, status): (String, String) = s
        .conn()
        .query_row(
            "SELECT id, status FROM cases WHERE status = 'registered' ORDER BY registered_on LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a registered case");
    assert_eq!(status, "registered");
    let before = s
        .group_cases(&GroupFilter::default(), GroupBy::Stage, "registered")
        .expect("cases")
        .into_iter()
        .find(|c| c.id == id)
        .expect("listed");
    assert_eq!(
        before.stage_days, before.age_days,
        "never moved: since registration"
    );
    s.case_action(&id, CaseAction::StartReview, &ActionInput::default())
        .expect("review");
    let after = s
        .group_cases(&GroupFilter::default(), GroupBy::Stage, "underReview")
        .expect("cases")
        .into_iter()
        .find(|c| c.id == id)
        .expect("listed under review");
    assert_eq!(after.stage_days, 0);
    assert_eq!(after.age_days, before.age_days);
}
