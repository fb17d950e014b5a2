//! `hearingctl stats` and `hearingctl warnings` on the demo city, through the real binary: the
//! counts match the demo data (31 cases: 16 active, 撤回 2, 已终结 3), the filters and exports
//! work, and bad arguments are refused in Chinese.

mod common;
use common::{ctl, ok, text};

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    ok(dir.path(), &["init"]);
    ok(dir.path(), &["demo"]);
    dir
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// label → first number of each row.
fn rows(table: &serde_json::Value) -> Vec<(String, f64)> {
    table["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r["label"].as_str().unwrap_or_default().to_owned(),
                        r["values"][0].as_f64().unwrap_or(-1.0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn stats_of_the_demo_city() {
    let dir = demo();
    let d = dir.path();
    let all = json(&ok(d, &["stats", "--scope", "all", "--json"]));
    assert_eq!(all["summary"]["cases"], 31);
    assert_eq!(all["summary"]["active"], 16);
    assert_eq!(all["summary"]["closed"], 15);
    let by_status = json(&ok(
        d,
        &["stats", "--scope", "all", "--measure", "byStatus", "--json"],
    ));
    let r = rows(&by_status);
    assert!(r.contains(&("撤回".into(), 2.0)), "{r:?}");
    assert!(r.contains(&("已终结".into(), 3.0)), "{r:?}");
    assert!(r.contains(&("依法重启".into(), 2.0)), "{r:?}");
    let total: f64 = r.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 31.0);

    // Active: the closed states are gone.
    let active = json(&ok(d, &["stats", "--measure", "byStatus", "--json"]));
    let r = rows(&active);
    assert!(r.iter().all(|(l, _)| l != "撤回" && l != "已终结"), "{r:?}");
    assert_eq!(r.iter().map(|(_, n)| n).sum::<f64>(), 16.0);

    // 东河区 by code, with its organs: 10 cases (9 of its committee, 1 of its procuratorate).
    let east = json(&ok(
        d,
        &["stats", "--scope", "all", "--org", "DHQ", "--json"],
    ));
    assert_eq!(east["summary"]["cases"], 10);
    assert!(east["description"]
        .as_str()
        .unwrap_or_default()
        .contains("东河区委政法委"));
    // Registered in 2024.
    let y2024 = json(&ok(
        d,
        &[
            "stats",
            "--scope",
            "all",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--json",
        ],
    ));
    assert_eq!(y2024["summary"]["cases"], 12);

    // Plain text: a table per measure.
    let out = ok(d, &["stats", "--scope", "all"]);
    assert!(out.contains("== 按承办单位"), "{out}");
    assert!(out.contains("案件 31（在办 16，已办结 15"), "{out}");
}

#[test]
fn exports_and_refusals() {
    let dir = demo();
    let d = dir.path();
    let csv = d.join("机关.csv");
    let xlsx = d.join("全部.xlsx");
    let csv_arg = csv.to_string_lossy().into_owned();
    let xlsx_arg = xlsx.to_string_lossy().into_owned();
    let out = ok(
        d,
        &[
            "stats",
            "--scope",
            "all",
            "--measure",
            "byCounty",
            "--csv",
            &csv_arg,
        ],
    );
    assert!(out.contains("已导出 CSV"), "{out}");
    let bytes = std::fs::read(&csv).expect("csv written");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let body = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(body.starts_with("旗县区,案件数\r\n"), "{body}");
    assert!(body.contains("东河区委政法委,10\r\n"), "{body}");
    ok(d, &["stats", "--scope", "all", "--xlsx", &xlsx_arg]);
    let bytes = std::fs::read(&xlsx).expect("xlsx written");
    assert_eq!(&bytes[..2], b"PK");

    let o = ctl(d, &["stats", "--scope", "some"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("范围“some”无效"), "{}", text(&o));
    let o = ctl(d, &["stats", "--org", "NOPE"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("找不到单位“NOPE”"), "{}", text(&o));
    let o = ctl(d, &["stats", "--from", "2026-02-30"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("起始日期"), "{}", text(&o));
}

#[test]
fn warnings_of_the_demo_city_on_a_fixed_day() {
    let dir = demo();
    let d = dir.path();
    let list = json(&ok(d, &["warnings", "--today", "2026-11-27", "--json"]));
    let list = list.as_array().cloned().unwrap_or_default();
    assert!(!list.is_empty());
    // Overdue first.
    let ranks: Vec<u8> = list
        .iter()
        .map(|w| match w["severity"].as_str() {
            Some("overdue") => 0,
            Some("approaching") => 1,
            _ => 2,
        })
        .collect();
    assert!(ranks.windows(2).all(|p| p[0] <= p[1]), "{ranks:?}");
    // The two reopened cases of the demo.
    let reopened = list.iter().filter(|w| w["kind"] == "reopened").count();
    assert_eq!(reopened, 2);
    // Every warning names its case.
    assert!(list
        .iter()
        .all(|w| w["caseNumber"].as_str().is_some_and(|n| !n.is_empty())));
    // Only active cases have handling-limit warnings: 已终结 QSS-… is not among them.
    let out = ok(d, &["warnings", "--today", "2026-11-27", "--limit", "3"]);
    assert!(out.starts_with("2026-11-27 预警：逾期 "), "{out}");
    assert!(out.contains("【逾期】办理期限"), "{out}");
    assert!(out.contains("另有"), "{out}");
    let o = ctl(d, &["warnings", "--today", "明天"]);
    assert!(!o.status.success());
}
