//! 通报: the figures per county and per handling organ agree with 统计 filtered to that unit;
//! the ranking and its change; an issued 通报 numbered per org, read back from its PDF (layout
//! rules) and its XLSX (the same figures).

use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use hearing_core::period::Period;
use hearing_store::bulletins::{report_xlsx, BulletinInput};
use hearing_store::stats::{StatMeasure, StatsFilter, StatsScope};
use hearing_store::Store;

mod common;

fn org_id(s: &Store, code: &str) -> String {
    s.conn()
        .query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .unwrap_or_else(|e| panic!("org {code}: {e}"))
}

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    s.load_demo().expect("demo");
    let city = org_id(&s, "QSS");
    s.set_desk_org(&city).expect("desk org");
    (dir, s)
}

/// The span of the demo's registration dates, as a custom period.
fn demo_period(s: &Store) -> Period {
    let (a, b): (String, String) = s
        .conn()
        .query_row(
            "SELECT min(registered_on), max(registered_on) FROM cases",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("dates");
    // To the end of next year: closures, hearings and slip deadlines after the last case count.
    let end = format!("{}-12-31", hearing_store::today().year() + 1);
    Period::parse(&format!("{a}..{}", b.max(end))).expect("period")
}

#[test]
fn every_countys_figures_are_what_statistics_counts_for_it() {
    let (_dir, s) = setup();
    for period in [demo_period(&s), Period::parse("2025").expect("2025")] {
        let r = s.unit_report(&period, None).expect("report");
        assert!(r.counties.len() >= 3, "{:?}", r.counties);
        let stats_of = |org: Option<String>| {
            s.statistics(&StatsFilter {
                from: Some(period.from.clone()),
                to: Some(period.to.clone()),
                org_id: org,
                scope: StatsScope::All,
                today: Some(r.today.clone()),
            })
            .expect("statistics")
        };
        let mut compared = 0;
        for row in r
            .counties
            .iter()
            .chain(&r.organs)
            .chain([&r.total])
            .filter(|row| !row.org_id.ends_with(hearing_store::stats::units::OWN_LEVEL))
        {
            let full = stats_of(Some(row.org_id.clone()));
            let st = &full.summary;
            let f = &row.now;
            // 三单: 合计 and 按期办结 of 统计's table.
            let slips = full
                .table(StatMeasure::Slips)
                .and_then(|t| t.find("total"))
                .expect("the slips' total row");
            assert_eq!(f64::from(f.slips), slips.values[4], "{} 三单", row.label);
            assert_eq!(
                f64::from(f.slips_on_time),
                slips.values[0],
                "{} 按期",
                row.label
            );
            let what = format!("{} {}", row.label, period.key);
            assert_eq!(f.received, st.cases, "{what}: 收案");
            assert_eq!(f.closed, st.closed, "{what}: 结案");
            assert_eq!(f.closure_rate, st.closure_rate, "{what}: 办结率");
            assert_eq!(f.median_days, st.median_days_to_closure, "{what}: 中位数");
            assert_eq!(f.hearings_held, st.hearings_held, "{what}: 听证");
            assert_eq!(f.slips_overdue, st.slips_overdue, "{what}: 三单逾期");
            assert_eq!(
                f.repeat_petitioners, st.repeat_petitioners,
                "{what}: 重复信访人"
            );
            compared += 1;
        }
        assert!(compared >= 8, "{compared}");
    }
    // The whole demo period has data; ranks are 1..n by closure rate.
    let r = s.unit_report(&demo_period(&s), None).expect("report");
    assert!(r.total.now.received >= 20, "{:?}", r.total.now);
    // A rank is one more than the units with a strictly higher rate (equal rates share it).
    let rate = |f: &hearing_store::stats::units::Figures| f.closure_rate.unwrap_or(-1.0);
    for c in &r.counties {
        let higher = r
            .counties
            .iter()
            .filter(|o| rate(&o.now) > rate(&c.now))
            .count() as u32;
        assert_eq!(c.rank, higher + 1, "{} in {:?}", c.label, r.counties);
    }
    assert!(r.counties.windows(2).all(|w| w[0].rank <= w[1].rank));
}

#[test]
fn a_subtree_reports_its_own_organs_only() {
    let (_dir, s) = setup();
    let period = demo_period(&s);
    let dhq = org_id(&s, "DHQ");
    let r = s.unit_report(&period, Some("DHQ")).expect("by code");
    assert_eq!(r.org_id, dhq);
    assert!(r.counties.is_empty(), "no committee below a county");
    assert!(!r.organs.is_empty());
    assert!(
        r.organs.iter().all(|o| o.label.contains("东河")),
        "{:?}",
        r.organs
    );
    let e = s
        .unit_report(&period, Some("NOPE"))
        .expect_err("unknown org");
    assert!(e.to_string().contains("NOPE"), "{e}");
}

#[test]
fn an_issued_bulletin_is_numbered_printed_and_exported_with_the_same_figures() {
    let (_dir, mut s) = setup();
    let period = demo_period(&s);
    let input = BulletinInput {
        period: period.key.clone(),
        issued_by: "王明".into(),
        ..Default::default()
    };
    let e = s
        .issue_bulletin(&BulletinInput {
            issued_by: String::new(),
            period: "2026Q5".into(),
            ..Default::default()
        })
        .expect_err("bad input");
    let msg = e.to_string();
    assert!(msg.contains("签发人") || msg.contains("通报期间"), "{msg}");
    assert!(s.bulletins().expect("list").is_empty(), "nothing kept");

    let (draft_report, draft) = s.bulletin_draft(&input).expect("draft");
    let b = s.issue_bulletin(&input).expect("issue");
    assert_eq!(
        b.report, draft_report,
        "the draft's figures are the issued ones"
    );
    assert!(b.number.starts_with("青政法通〔"), "{}", b.number);
    assert!(b.number.ends_with("1号"), "{}", b.number);
    assert!(draft.contains("@number \n") || !draft.contains(&b.number));
    let second = s.issue_bulletin(&input).expect("again");
    assert!(second.number.ends_with("2号"), "{}", second.number);
    assert_eq!(s.bulletins().expect("list").len(), 2);
    assert!(
        b.body.contains(&format!("@number {}", b.number)),
        "{}",
        b.body
    );
    assert!(b
        .body
        .contains("@recipient 各旗县区委政法委，市直各政法单位"));

    // The XLSX holds each county's figures as numbers.
    let bytes = report_xlsx(&b.report, &b.number).expect("xlsx");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open xlsx");
    let sheet = book.worksheet_range("各旗县区").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][1], Data::String("收案".into()));
    for (i, c) in b.report.counties.iter().enumerate() {
        let row = &rows[i + 1];
        assert_eq!(row[0], Data::String(c.label.clone()));
        assert_eq!(
            row[1],
            Data::Float(f64::from(c.now.received)),
            "{}",
            c.label
        );
        assert_eq!(row[2], Data::Float(f64::from(c.now.closed)), "{}", c.label);
        assert_eq!(row[12], Data::Float(f64::from(c.rank)), "{}", c.label);
    }

    let Some(fonts) = common::fonts() else {
        return;
    };
    let pdf = s.bulletin_pdf(&b.body, &fonts).expect("pdf");
    let Some(read) = common::check_layout_rules(&pdf, "bulletin.pdf") else {
        return;
    };
    let flat: String = read.chars().filter(|c| !c.is_whitespace()).collect();
    let top = &b.report.counties[0];
    for part in [
        "涉法涉诉信访工作情况的通报".to_owned(),
        b.number.clone(),
        "一、总体情况".to_owned(),
        format!("共登记涉法涉诉信访案件{}件", b.report.total.now.received),
        top.label.clone(),
        "附件：各单位指标明细表".to_owned(),
    ] {
        assert!(flat.contains(&part), "{part} not in the PDF:\n{read}");
    }
}
