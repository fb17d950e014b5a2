//! `hearingctl search` run as a process on a demo database.

mod common;

use common::{ctl, ok, text};

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    ok(dir.path(), &["init"]);
    ok(dir.path(), &["demo"]);
    dir
}

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let o = ctl(dir, &all);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

fn items(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

#[test]
fn search_prints_ranked_highlighted_hits_and_filters_them() {
    let dir = demo();
    let d = dir.path();
    let out = ok(d, &["search", "借贷"]);
    assert!(
        out.contains("张桂兰不服民间【借贷】纠纷二审判决信访案"),
        "{out}"
    );
    assert!(out.contains("[案件]"), "{out}");
    assert!(out.contains("一两个字的检索"), "two characters: {out}");
    let total = |v: &serde_json::Value| v["total"].as_u64().unwrap_or(0);

    // The same as JSON, in the app's shape.
    let all = json(d, &["借贷"]);
    assert_eq!(all["terms"], serde_json::json!(["借贷"]));
    assert!(total(&all) >= 2);
    let first = &items(&all)[0];
    assert!(first["caseNumber"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(first["title"]
        .as_array()
        .is_some_and(|t| t.iter().any(|s| s["hit"] == true)));

    // Filters: state, kind, org subtree, dates.
    let closed = json(d, &["借贷", "--state", "closed"]);
    assert!(total(&closed) < total(&all));
    assert!(items(&closed).iter().all(|h| h["caseStatus"] == "closed"));
    let by_label = json(d, &["借贷", "--state", "已终结"]);
    assert_eq!(total(&by_label), total(&closed));
    let petitioners = json(
        d,
        &["信访案", "--kind", "petitioner,case", "--limit", "100"],
    );
    assert!(items(&petitioners)
        .iter()
        .all(|h| h["kind"] == "case" || h["kind"] == "petitioner"));
    let everything = json(d, &["信访案", "--limit", "100"]);
    let east = json(d, &["信访案", "--org", "dhq", "--limit", "100"]);
    assert!(total(&east) > 0 && total(&east) < total(&everything));
    let dated = json(d, &["信访案", "--from", "2099-01-01", "--to", "2099-12-31"]);
    assert_eq!(total(&dated), 0);

    // Paging.
    let page2 = ok(d, &["search", "信访案", "--limit", "5", "--offset", "5"]);
    assert!(page2.contains("显示第 6–10 条"), "{page2}");
    assert!(
        page2.lines().any(|l| l.trim_start().starts_with("6. ")),
        "{page2}"
    );
}

#[test]
fn user_text_is_literal_and_mistakes_are_explained() {
    let dir = demo();
    let d = dir.path();
    let out = ok(d, &["search", "民间借贷", "OR", "纠纷"]);
    assert!(out.contains("没有找到"), "OR is a word here: {out}");
    let out = ok(d, &["search", "借贷*"]);
    assert!(out.contains("没有找到"), "{out}");

    let long = "案".repeat(201);
    let o = ctl(d, &["search", &long]);
    assert!(!o.status.success());
    assert!(text(&o).contains("检索词太长"), "{}", text(&o));
    let o = ctl(d, &["search", "借贷", "--state", "done"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("未知案件状态"), "{}", text(&o));
    let o = ctl(d, &["search", "借贷", "--org", "NOPE"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("找不到单位"), "{}", text(&o));
    let o = ctl(d, &["search", "借贷", "--from", "明天"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("登记日期"), "{}", text(&o));
}

#[test]
fn an_id_number_finds_its_petitioner_shown_masked() {
    let dir = demo();
    let d = dir.path();
    let conn = rusqlite::Connection::open(d.join(hearing_store::DB_FILE)).expect("raw");
    let (name, id): (String, String) = conn
        .query_row(
            "SELECT name, id_number FROM petitioners WHERE id_number IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("petitioner");
    drop(conn);
    let out = ok(d, &["search", &id]);
    let first = out.lines().next().unwrap_or_default();
    assert!(first.contains("[信访人]") && first.contains(&name), "{out}");
    assert!(out.contains("********"), "{out}");
    assert!(!out.contains(&id), "full ID number printed: {out}");
    let v = json(d, &[&id]);
    assert!(!v.to_string().contains(&id));
}
