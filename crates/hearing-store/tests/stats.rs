//! Statistics against a hand-counted register (tests/stats_fixture): every measure's rows, the
//! period and org filters, closed cases absent from the active counts and present in the closed
//! ones, and the CSV and XLSX exports read back.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use hearing_store::stats::{StatMeasure, StatTable, Statistics, StatsFilter, StatsScope};
use hearing_store::ErrorCode;

mod stats_fixture;
use stats_fixture::{build, id_a, id_b, id_c, Fixture};

const TODAY: &str = "2026-06-15";

fn filter(scope: StatsScope) -> StatsFilter {
    StatsFilter {
        from: None,
        to: None,
        org_id: None,
        scope,
        today: Some(TODAY.into()),
    }
}

fn stats(f: &Fixture, filter: &StatsFilter) -> Statistics {
    f.s.statistics(filter).expect("statistics")
}

fn table(s: &Statistics, m: StatMeasure) -> &StatTable {
    s.table(m).expect("measure present")
}

/// (label, numbers) of every row.
fn rows(s: &Statistics, m: StatMeasure) -> Vec<(String, Vec<f64>)> {
    table(s, m)
        .rows
        .iter()
        .map(|r| (r.label.clone(), r.values.clone()))
        .collect()
}

fn r(label: &str, values: &[f64]) -> (String, Vec<f64>) {
    (label.to_owned(), values.to_vec())
}

#[test]
fn every_measure_over_all_cases() {
    let f = build();
    let s = stats(&f, &filter(StatsScope::All));
    assert_eq!(s.tables.len(), StatMeasure::ALL.len());
    assert_eq!(
        rows(&s, StatMeasure::ByOrgan),
        [
            r("东河区法院", &[3.0]),
            r("西岭县公安局", &[2.0]),
            r("西岭县委政法委", &[1.0]),
            r("青山中院", &[1.0]),
        ]
    );
    assert_eq!(
        table(&s, StatMeasure::ByOrgan).rows[0].key,
        f.orgs.east_court
    );
    assert_eq!(
        rows(&s, StatMeasure::ByCategory),
        [
            r("民事", &[3.0]),
            r("行政", &[1.0]),
            r("执行", &[1.0]),
            r("公安执法", &[2.0]),
        ]
    );
    assert_eq!(
        rows(&s, StatMeasure::ByStatus),
        [
            r("登记", &[4.0]),
            r("评查化解", &[1.0]),
            r("已终结", &[1.0]),
            r("撤回", &[1.0]),
        ]
    );
    assert_eq!(
        rows(&s, StatMeasure::ByCounty),
        [
            r("青山市委政法委（本级）", &[1.0]),
            r("东河区委政法委", &[3.0]),
            r("西岭县委政法委", &[3.0]),
        ]
    );
    let county_keys: Vec<&str> = table(&s, StatMeasure::ByCounty)
        .rows
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(county_keys, [&f.orgs.city, &f.orgs.east, &f.orgs.west]);
    assert_eq!(
        rows(&s, StatMeasure::ByMonth),
        [
            r("2026年1月", &[1.0]),
            r("2026年2月", &[2.0]),
            r("2026年3月", &[2.0]),
            r("2026年4月", &[2.0]),
        ]
    );
    assert_eq!(table(&s, StatMeasure::ByMonth).rows[0].key, "2026-01");
    assert_eq!(
        rows(&s, StatMeasure::Hearings),
        [r("筹备", &[1.0]), r("笔录已签", &[1.0])]
    );
    assert_eq!(
        rows(&s, StatMeasure::HearingOutcomes),
        [
            r("同意终结", &[1.0, 1.0]),
            r("不同意终结", &[0.0, 0.0]),
            r("其他意见", &[0.0, 0.0]),
            r("无多数意见 / 未作决定", &[0.0, 0.0]),
        ]
    );
    assert_eq!(
        rows(&s, StatMeasure::Closure),
        [
            r("在办（含依法重启）", &[5.0, 71.4]),
            r("依法终结（已终结、已送达、已备案）", &[1.0, 14.3]),
            r("已化解", &[0.0, 0.0]),
            r("导入法律程序", &[0.0, 0.0]),
            r("撤回", &[1.0, 14.3]),
            r("合计", &[7.0, 100.0]),
        ]
    );
    // E1: registered 2026-01-10, closed 2026-03-01: 50 days.
    assert_eq!(
        rows(&s, StatMeasure::ClosureTime),
        [
            r("30日以内", &[0.0]),
            r("31—60日", &[1.0]),
            r("61—90日", &[0.0]),
            r("91—180日", &[0.0]),
            r("181—365日", &[0.0]),
            r("365日以上", &[0.0]),
        ]
    );
    assert_eq!(
        table(&s, StatMeasure::ClosureTime).note,
        "共 1 件，中位数 50 日"
    );
    // On 2026-06-15: S1 on time, S3 not yet due, S5 overdue; S2 late; S4 overdue.
    assert_eq!(
        rows(&s, StatMeasure::Slips),
        [
            r("交办单", &[1.0, 0.0, 1.0, 1.0, 3.0]),
            r("督办单", &[0.0, 1.0, 0.0, 0.0, 1.0]),
            r("反馈单", &[0.0, 0.0, 0.0, 1.0, 1.0]),
            r("合计", &[1.0, 1.0, 1.0, 2.0, 5.0]),
        ]
    );
    let masked_a = format!("{}********{}", &id_a()[..6], &id_a()[14..]);
    assert_eq!(
        rows(&s, StatMeasure::RepeatPetitioners),
        [
            r(&format!("张甲（{masked_a}）"), &[2.0]),
            r("李乙（同名同址）", &[2.0]),
        ]
    );
    let details: Vec<&str> = table(&s, StatMeasure::RepeatPetitioners)
        .rows
        .iter()
        .map(|r| r.detail.as_str())
        .collect();
    assert_eq!(
        details,
        ["DHQ-2026-001、DHQ-2026-002", "DHQ-2026-003、XLX-2026-002"]
    );
    assert_eq!(
        rows(&s, StatMeasure::PanelParticipation),
        [
            r("党代表", &[0.0, 0.0, 0.0]),
            r("人大代表", &[1.0, 1.0, 1.0]),
            r("政协委员", &[1.0, 1.0, 1.0]),
            r("律师", &[1.0, 1.0, 1.0]),
            r("人民调解员", &[0.0, 0.0, 0.0]),
            r("专家", &[1.0, 0.0, 0.0]),
            r("其他", &[0.0, 0.0, 0.0]),
        ]
    );
    assert_eq!(
        table(&s, StatMeasure::PanelParticipation).note,
        "出席 3 人次，其中两代表一委员 2 人次（66.7 %）"
    );

    let sum = &s.summary;
    assert_eq!(
        (sum.cases, sum.active, sum.closed, sum.hearings_held),
        (7, 5, 2, 1)
    );
    assert_eq!(sum.closure_rate, Some(28.6));
    assert_eq!(sum.median_days_to_closure, Some(50.0));
    assert_eq!((sum.slips_overdue, sum.repeat_petitioners), (3, 2));
    assert!(
        s.description.contains("范围：全部案件"),
        "{}",
        s.description
    );
}

#[test]
fn closed_cases_leave_the_active_counts_and_are_reported_separately() {
    let f = build();
    let active = stats(&f, &filter(StatsScope::Active));
    assert_eq!(
        rows(&active, StatMeasure::ByOrgan),
        [
            r("东河区法院", &[2.0]),
            r("西岭县公安局", &[1.0]),
            r("西岭县委政法委", &[1.0]),
            r("青山中院", &[1.0]),
        ]
    );
    assert_eq!(
        rows(&active, StatMeasure::ByStatus),
        [r("登记", &[4.0]), r("评查化解", &[1.0])]
    );
    assert_eq!(
        rows(&active, StatMeasure::ByCounty),
        [
            r("青山市委政法委（本级）", &[1.0]),
            r("东河区委政法委", &[2.0]),
            r("西岭县委政法委", &[2.0]),
        ]
    );
    assert_eq!(
        rows(&active, StatMeasure::ByMonth),
        [
            r("2026年2月", &[1.0]),
            r("2026年3月", &[2.0]),
            r("2026年4月", &[2.0])
        ]
    );
    // E1's hearing belongs to a closed case: only C1's planned one counts.
    assert_eq!(rows(&active, StatMeasure::Hearings), [r("筹备", &[1.0])]);
    assert!(table(&active, StatMeasure::HearingOutcomes)
        .rows
        .iter()
        .all(|r| r.values == [0.0, 0.0]));
    assert_eq!(
        rows(&active, StatMeasure::Slips),
        [
            r("交办单", &[1.0, 0.0, 1.0, 0.0, 2.0]),
            r("督办单", &[0.0, 1.0, 0.0, 0.0, 1.0]),
            r("反馈单", &[0.0, 0.0, 0.0, 1.0, 1.0]),
            r("合计", &[1.0, 1.0, 1.0, 1.0, 4.0]),
        ]
    );
    // 张甲's other case is closed: no longer a repeat among active cases; 李乙's two are.
    assert_eq!(
        rows(&active, StatMeasure::RepeatPetitioners),
        [r("李乙（同名同址）", &[2.0])]
    );
    assert_eq!(
        table(&active, StatMeasure::PanelParticipation).value("expert"),
        1.0
    );
    assert_eq!(
        table(&active, StatMeasure::PanelParticipation).value("congressDeputy"),
        0.0
    );
    let sum = &active.summary;
    assert_eq!(
        (
            sum.cases,
            sum.hearings_held,
            sum.slips_overdue,
            sum.repeat_petitioners
        ),
        (5, 0, 2, 1)
    );
    // The closure measures count both sides whatever the scope.
    assert_eq!(
        (sum.active, sum.closed, sum.closure_rate),
        (5, 2, Some(28.6))
    );
    assert_eq!(
        table(&active, StatMeasure::Closure).rows,
        table(&stats(&f, &filter(StatsScope::All)), StatMeasure::Closure).rows
    );

    let closed = stats(&f, &filter(StatsScope::Closed));
    assert_eq!(
        rows(&closed, StatMeasure::ByStatus),
        [r("已终结", &[1.0]), r("撤回", &[1.0])]
    );
    assert_eq!(
        rows(&closed, StatMeasure::ByOrgan),
        [r("东河区法院", &[1.0]), r("西岭县公安局", &[1.0])]
    );
    assert_eq!(
        rows(&closed, StatMeasure::Hearings),
        [r("笔录已签", &[1.0])]
    );
    assert_eq!(
        table(&closed, StatMeasure::HearingOutcomes)
            .find("agree")
            .map(|r| r.values.clone()),
        Some(vec![1.0, 1.0])
    );
    assert_eq!(
        rows(&closed, StatMeasure::Slips)[0],
        r("交办单", &[0.0, 0.0, 0.0, 1.0, 1.0])
    );
    assert!(table(&closed, StatMeasure::RepeatPetitioners)
        .rows
        .is_empty());
    assert_eq!(closed.summary.cases, 2);
    assert!(closed.description.contains("已办结案件"));
}

#[test]
fn the_period_bounds_each_measure_by_its_own_date() {
    let f = build();
    let mut q = filter(StatsScope::All);
    q.from = Some("2026-02-01".into());
    q.to = Some("2026年3月31日".into());
    let s = stats(&f, &q);
    // Registered in February or March: E2, W1, E3, W2.
    assert_eq!(
        rows(&s, StatMeasure::ByStatus),
        [r("登记", &[2.0]), r("评查化解", &[1.0]), r("撤回", &[1.0])]
    );
    assert_eq!(
        rows(&s, StatMeasure::ByMonth),
        [r("2026年2月", &[2.0]), r("2026年3月", &[2.0])]
    );
    assert_eq!(
        rows(&s, StatMeasure::Closure).last(),
        Some(&r("合计", &[4.0, 100.0]))
    );
    assert_eq!(s.summary.closure_rate, Some(25.0));
    // Hearings by hearing date: E1's (02-20) in, C1's (06-25) out.
    assert_eq!(rows(&s, StatMeasure::Hearings), [r("笔录已签", &[1.0])]);
    // Closure by closure date (03-01): in.
    assert_eq!(table(&s, StatMeasure::ClosureTime).value("31-60"), 1.0);
    // 三单 by deadline: only S5 (02-10).
    assert_eq!(
        rows(&s, StatMeasure::Slips).last(),
        Some(&r("合计", &[0.0, 0.0, 0.0, 1.0, 1.0]))
    );
    // 张甲's first case (01-10) is outside: only 李乙 repeats.
    assert_eq!(
        rows(&s, StatMeasure::RepeatPetitioners),
        [r("李乙（同名同址）", &[2.0])]
    );
    assert!(
        s.description.contains("期间：2026-02-01 至 2026-03-31"),
        "{}",
        s.description
    );

    let mut q = filter(StatsScope::All);
    q.from = Some("2026-04-01".into());
    let s = stats(&f, &q);
    assert!(table(&s, StatMeasure::ClosureTime)
        .rows
        .iter()
        .all(|r| r.values == [0.0]));
    assert_eq!(s.summary.median_days_to_closure, None);
    assert_eq!(s.summary.cases, 2, "W3 and C1");
    assert_eq!(rows(&s, StatMeasure::Hearings), [r("筹备", &[1.0])]);
}

#[test]
fn an_org_counts_its_whole_subtree_by_owner_or_handling_organ() {
    let f = build();
    let mut q = filter(StatsScope::All);
    q.org_id = Some(f.orgs.east.clone());
    let s = stats(&f, &q);
    assert_eq!(rows(&s, StatMeasure::ByOrgan), [r("东河区法院", &[3.0])]);
    assert_eq!(
        rows(&s, StatMeasure::ByCounty),
        [r("东河区委政法委", &[3.0])]
    );
    assert_eq!(rows(&s, StatMeasure::Hearings), [r("笔录已签", &[1.0])]);
    assert_eq!(
        rows(&s, StatMeasure::Slips),
        [
            r("交办单", &[0.0, 0.0, 1.0, 1.0, 2.0]),
            r("督办单", &[0.0, 0.0, 0.0, 0.0, 0.0]),
            r("反馈单", &[0.0, 0.0, 0.0, 1.0, 1.0]),
            r("合计", &[0.0, 0.0, 1.0, 2.0, 3.0]),
        ]
    );
    assert_eq!(table(&s, StatMeasure::RepeatPetitioners).rows.len(), 1);
    assert!(table(&s, StatMeasure::RepeatPetitioners).rows[0]
        .label
        .starts_with("张甲"));
    assert!(
        s.description.contains("东河区委政法委及下属单位"),
        "{}",
        s.description
    );

    // W1 and W2 are owned by the county committee but handled by its police: both count; W3,
    // handled by the committee itself, does not.
    q.org_id = Some(f.orgs.west_police.clone());
    let s = stats(&f, &q);
    assert_eq!(rows(&s, StatMeasure::ByOrgan), [r("西岭县公安局", &[2.0])]);
    assert_eq!(
        rows(&s, StatMeasure::ByCounty),
        [r("西岭县委政法委", &[2.0])]
    );

    q.org_id = Some(f.orgs.city_court.clone());
    assert_eq!(stats(&f, &q).summary.cases, 1);
    // The root is the whole tree.
    q.org_id = Some(f.orgs.city.clone());
    assert_eq!(stats(&f, &q).summary.cases, 7);
}

#[test]
fn a_bad_filter_is_refused_with_the_field_named() {
    let f = build();
    let mut q = filter(StatsScope::All);
    q.from = Some("2026-13-01".into());
    let e = f.s.statistics(&q).expect_err("bad date");
    assert_eq!(e.code(), ErrorCode::Validation);
    assert!(e.to_string().contains("起始日期"), "{e}");
    q.from = Some("2026-05-01".into());
    q.to = Some("2026-04-01".into());
    let e = f.s.statistics(&q).expect_err("order");
    assert!(e.to_string().contains("早于"), "{e}");
    let mut q = filter(StatsScope::All);
    q.org_id = Some("no-such-org".into());
    assert_eq!(
        f.s.statistics(&q).expect_err("org").code(),
        ErrorCode::NotFound
    );
}

#[test]
fn csv_and_xlsx_exports_read_back() {
    let f = build();
    let s = stats(&f, &filter(StatsScope::All));

    let csv = s.csv(Some(StatMeasure::ByOrgan)).expect("csv");
    assert_eq!(
        &csv[..3],
        b"\xEF\xBB\xBF",
        "UTF-8 byte-order mark for Excel"
    );
    let text = String::from_utf8(csv[3..].to_vec()).expect("utf-8");
    assert_eq!(
        text,
        "承办单位,案件数\r\n东河区法院,3\r\n西岭县公安局,2\r\n西岭县委政法委,1\r\n青山中院,1\r\n"
    );
    let csv = s.csv(Some(StatMeasure::Slips)).expect("csv");
    let text = String::from_utf8(csv[3..].to_vec()).expect("utf-8");
    assert!(
        text.starts_with(
            "单据,按期办结,逾期办结,办理中（未逾期）,逾期未反馈,合计\r\n交办单,1,0,1,1,3\r\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("逾期办结 1 件，逾期未反馈 2 件\r\n"),
        "{text}"
    );

    let all = String::from_utf8(s.csv(None).expect("csv")[3..].to_vec()).expect("utf-8");
    for m in StatMeasure::ALL {
        assert!(all.contains(m.title()), "{} missing", m.title());
    }
    assert!(all.starts_with("期间：不限"), "{all}");
    assert!(
        all.contains("说明"),
        "the repeat table lists the case numbers"
    );
    for full in [id_a(), id_b(), id_c()] {
        assert!(!all.contains(&full), "a full ID number in the export");
    }

    let bytes = s.xlsx(None).expect("xlsx");
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("open xlsx");
    let mut expected = vec!["统计口径".to_owned()];
    expected.extend(StatMeasure::ALL.iter().map(|m| m.title().to_owned()));
    assert_eq!(book.sheet_names(), expected);
    let sheet = book.worksheet_range("按承办单位").expect("sheet");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(v) => format!("{v}"),
                    Data::Int(v) => format!("{v}"),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect();
    assert_eq!(
        cells,
        [
            ["承办单位", "案件数"],
            ["东河区法院", "3"],
            ["西岭县公安局", "2"],
            ["西岭县委政法委", "1"],
            ["青山中院", "1"],
        ]
    );
    let repeat = book.worksheet_range("重复信访人").expect("sheet");
    let text: String = repeat
        .rows()
        .flat_map(|row| row.iter().map(|c| format!("{c} ")))
        .collect();
    assert!(text.contains("DHQ-2026-003、XLX-2026-002"), "{text}");
    assert!(!text.contains(&id_a()), "{text}");

    let one = s.xlsx(Some(StatMeasure::Closure)).expect("xlsx");
    let book: Xlsx<_> = Xlsx::new(Cursor::new(one)).expect("open xlsx");
    assert_eq!(book.sheet_names(), ["统计口径", "办结情况"]);
}

/// The repeat petitioners the statistics and warnings read (`repeat_entries`, kept by
/// triggers) against a scan of every petitioner, after each kind of write.
#[test]
fn repeat_identities_follow_every_write() {
    let f = build();
    let sorted = |mut ids: Vec<&String>| {
        ids.sort();
        ids.into_iter().cloned().collect::<Vec<String>>()
    };
    let check = |what: &str, expected: Vec<Vec<String>>| {
        let (kept, scanned) = f.s.repeat_groups_both_ways().expect("groups");
        assert_eq!(kept, scanned, "after {what}");
        let mut expected: Vec<Vec<String>> = expected;
        expected.sort();
        assert_eq!(kept, expected, "after {what}");
    };
    let run = |sql: &str, args: &[&str]| {
        f.s.conn()
            .execute(sql, rusqlite::params_from_iter(args.iter()))
            .expect(sql);
    };
    // As built: 张甲 (ID A) on E1 and E2; 李乙 (same name and address, no ID) on E3 and W2.
    check(
        "building the register",
        vec![sorted(vec![&f.e1, &f.e2]), sorted(vec![&f.e3, &f.w2])],
    );
    // 李乙 on W2 moves house: no longer the same person as E3's.
    run(
        "UPDATE petitioners SET address = '西岭县柳树镇2号' WHERE case_id = ?1",
        &[&f.w2],
    );
    check("a changed address", vec![sorted(vec![&f.e1, &f.e2])]);
    // E3's 李乙 gets 王丙's ID number: E3 joins W1.
    run(
        "UPDATE petitioners SET id_number = ?2 WHERE case_id = ?1",
        &[&f.e3, &id_b()],
    );
    check(
        "a changed ID number",
        vec![sorted(vec![&f.e1, &f.e2]), sorted(vec![&f.e3, &f.w1])],
    );
    // A second petitioner on C1: 张甲 again (ID A), so E1, E2, C1 are one person's; and W2's
    // 李乙 back at the old address links W2 to E3 by name and address, E3 to W1 by ID.
    run(
        "INSERT INTO petitioners (case_id, seq, kind, name, id_number, phone, address, credit_code,
                                  credit_code_warning, representative)
         VALUES (?1, 2, 'person', '张甲', ?2, NULL, '东河区光明路2号', NULL, NULL, '')",
        &[&f.c1, &id_a()],
    );
    run(
        "UPDATE petitioners SET address = '东河区幸福路1号' WHERE case_id = ?1",
        &[&f.w2],
    );
    check(
        "an added petitioner",
        vec![
            sorted(vec![&f.e1, &f.e2, &f.c1]),
            sorted(vec![&f.e3, &f.w1, &f.w2]),
        ],
    );
    // Moving a petitioner to another case, then deleting: E2's 张甲 moves to E1 (the same
    // case twice is not a repeat), then E1's rows go.
    run(
        "UPDATE petitioners SET case_id = ?2, seq = 9 WHERE case_id = ?1",
        &[&f.e2, &f.e1],
    );
    check(
        "a petitioner moved to another case",
        vec![
            sorted(vec![&f.e1, &f.c1]),
            sorted(vec![&f.e3, &f.w1, &f.w2]),
        ],
    );
    run("DELETE FROM petitioners WHERE case_id = ?1", &[&f.e1]);
    check(
        "deleted petitioners",
        vec![sorted(vec![&f.e3, &f.w1, &f.w2])],
    );
    // The statistics read the same: 李乙's three cases (W1 is withdrawn: all states).
    let s = stats(&f, &filter(StatsScope::All));
    let t = table(&s, StatMeasure::RepeatPetitioners);
    assert_eq!(t.rows.len(), 1, "{:?}", t.rows);
    assert_eq!(t.rows[0].values, vec![3.0]);
}

#[test]
fn looking_hearings_up_and_scanning_count_the_same() {
    let f = build();
    for scope in StatsScope::ALL {
        let q = filter(scope);
        let looked_up = f.s.statistics_by(&q, false).expect("lookups");
        let scanned = f.s.statistics_by(&q, true).expect("scan");
        assert_eq!(looked_up, scanned, "{scope:?}");
        assert_eq!(stats(&f, &q), scanned, "{scope:?}");
    }
    let scanned =
        f.s.statistics_by(&filter(StatsScope::All), true)
            .expect("scan");
    assert_eq!(
        table(&scanned, StatMeasure::HearingOutcomes).value("agree"),
        1.0
    );
    assert_eq!(
        table(&scanned, StatMeasure::PanelParticipation).value("lawyer"),
        1.0
    );
}

/// The running tallies of votes and panelists (migration 012's triggers), which answer for every
/// hearing (全部, no period), against reading the opinions and participants themselves, after
/// each kind of write the forms or sync make.
#[test]
fn hearing_tallies_follow_every_write() {
    let f = build();
    let all = filter(StatsScope::All);
    let run = |sql: &str, args: &[&str]| {
        f.s.conn()
            .execute(sql, rusqlite::params_from_iter(args.iter()))
            .expect(sql);
    };
    let check = |what: &str| -> Statistics {
        let tallied = stats(&f, &all);
        let scanned = f.s.statistics_by(&all, true).expect("scan");
        assert_eq!(tallied, scanned, "after {what}");
        tallied
    };
    let outcomes = |s: &Statistics| rows(s, StatMeasure::HearingOutcomes);
    let held: String =
        f.s.conn()
            .query_row(
                "SELECT id FROM hearings WHERE status = 'transcriptSigned'",
                [],
                |r| r.get(0),
            )
            .expect("E1's hearing");
    let s = check("building the register");
    assert_eq!(table(&s, StatMeasure::HearingOutcomes).value("agree"), 1.0);
    // One 同意 becomes 不同意: 2 of 3 now disagree.
    run(
        "UPDATE opinions SET vote = 'disagree' WHERE rowid =
             (SELECT min(rowid) FROM opinions WHERE hearing_id = ?1 AND vote = 'agree')",
        &[&held],
    );
    let s = check("a changed vote");
    assert_eq!(
        table(&s, StatMeasure::HearingOutcomes).value("disagree"),
        1.0
    );
    assert_eq!(table(&s, StatMeasure::HearingOutcomes).value("agree"), 0.0);
    // A 不同意 withdrawn: 1 to 1, no majority.
    run(
        "DELETE FROM opinions WHERE rowid =
             (SELECT min(rowid) FROM opinions WHERE hearing_id = ?1 AND vote = 'disagree')",
        &[&held],
    );
    let s = check("a deleted opinion");
    assert_eq!(outcomes(&s)[3], r("无多数意见 / 未作决定", &[1.0, 0.0]));
    run("DELETE FROM opinions WHERE hearing_id = ?1", &[&held]);
    check("every opinion deleted");

    // Someone outside the person pool on C1's panel, attending.
    run(
        "INSERT INTO participants (id, hearing_id, seq, person_id, role, name, unit, invitation,
             invitation_history, recusal_unresolved, recusal_note, confidentiality_signed,
             notice_served_on, notice_method, signature, signature_note, created_at, updated_at)
         VALUES ('tally-p', ?1, 99, NULL, 'panelist', '孙律师', '青山市', 'attended', '[]', 0, '',
                 0, NULL, '', 'pending', '', '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z')",
        &[&f.c1_hearing],
    );
    let s = check("an added panelist outside the pool");
    assert_eq!(
        table(&s, StatMeasure::PanelParticipation)
            .find("unlisted")
            .map(|r| r.values.clone()),
        Some(vec![1.0, 1.0, 1.0])
    );
    // Their opinion on C1's hearing, which has not been held: not an outcome.
    run(
        "INSERT INTO opinions (id, hearing_id, participant_id, facts, law, vote, reasons,
                               created_at, updated_at)
         VALUES ('tally-o', ?1, 'tally-p', '', '', 'agree', '', '2026-06-01T00:00:00Z',
                 '2026-06-01T00:00:00Z')",
        &[&f.c1_hearing],
    );
    let s = check("an opinion on a hearing not held");
    assert_eq!(outcomes(&s)[0], r("同意终结", &[0.0, 1.0]));
    run("DELETE FROM opinions WHERE id = 'tally-o'", &[]);
    run(
        "UPDATE participants SET invitation = 'declined' WHERE id = 'tally-p'",
        &[],
    );
    check("a changed invitation");
    run(
        "UPDATE participants SET name = '孙某' WHERE id = 'tally-p'",
        &[],
    );
    check("a changed name");
    run(
        "UPDATE participants SET person_id = (SELECT min(id) FROM persons),
             invitation = 'attended' WHERE id = 'tally-p'",
        &[],
    );
    check("a panelist matched to the pool");
    run(
        "UPDATE participants SET role = 'petitioner' WHERE id = 'tally-p'",
        &[],
    );
    check("a panelist who became a petitioner");
    run(
        "UPDATE participants SET role = 'panelist' WHERE id = 'tally-p'",
        &[],
    );
    check("back on the panel");
    run("DELETE FROM participants WHERE id = 'tally-p'", &[]);
    let s = check("a deleted panelist");
    assert!(table(&s, StatMeasure::PanelParticipation)
        .find("unlisted")
        .is_none());
}

#[test]
fn types_reach_the_ui_in_camel_case() {
    let f = build();
    let s = stats(&f, &filter(StatsScope::Active));
    let v = serde_json::to_value(&s).expect("json");
    assert_eq!(v["tables"][0]["measure"], "byOrgan");
    assert_eq!(v["tables"][0]["labelHeader"], "承办单位");
    assert_eq!(v["summary"]["closureRate"], 28.6);
    let q: StatsFilter = serde_json::from_value(serde_json::json!({
        "from": "2026-01-01", "to": null, "orgId": null, "scope": "closed", "today": null
    }))
    .expect("filter from the UI");
    assert_eq!(q.scope, StatsScope::Closed);
}

#[test]
fn a_malformed_registration_date_counts_in_no_month() {
    let f = build();
    // As an import or an older desk could leave them: a month 13 (it sorts between December
    // and January) and a date that is not one at all (it sorts after every year); and a case
    // of January 2027, so that the months run through December. Written by plain SQL, past the
    // store's checks.
    f.s.conn().execute_batch(
        "UPDATE cases SET registered_on = '2026-13-05' WHERE id = (SELECT id FROM cases ORDER BY id LIMIT 1);
         UPDATE cases SET registered_on = 'x' WHERE id = (SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET 1);
         UPDATE cases SET registered_on = '2027-01-10' WHERE id = (SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET 2);",
    )
    .expect("malformed dates");
    for scope in [StatsScope::All, StatsScope::Active] {
        let s = stats(&f, &filter(scope));
        let months = rows(&s, StatMeasure::ByMonth);
        assert!(!months.is_empty(), "{scope:?}: the months are still shown");
        assert!(
            months.iter().all(|(label, _)| !label.contains("13月")),
            "{scope:?}: {months:?}"
        );
        let december = months.iter().find(|(label, _)| label == "2026年12月");
        assert_eq!(
            december,
            Some(&r("2026年12月", &[0.0])),
            "{scope:?}: {months:?}"
        );
    }
    let all = stats(&f, &filter(StatsScope::All));
    let months = rows(&all, StatMeasure::ByMonth);
    assert_eq!(months.last(), Some(&r("2027年1月", &[1.0])), "{months:?}");
    let counted: f64 = months.iter().map(|(_, v)| v[0]).sum();
    assert_eq!(
        counted, 5.0,
        "the 7 cases less the two malformed: {months:?}"
    );
}
