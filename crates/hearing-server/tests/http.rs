//! The protocol over HTTP against the real binary: enrolment, scoping, idempotence, auth, limits,
//! malformed input, blobs, the admin CLI, and a SIGKILL in the middle of pushing.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{ids, send, strings, BackendKind, Env};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Every test runs once per storage backend (PostgreSQL: see `common::postgres_server`).
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name(super::BackendKind::Sqlite)
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if super::common::available(super::BackendKind::Postgres) {
                        super::$name(super::BackendKind::Postgres)
                    }
                }
            )*
        }
    };
}

backend_tests!(
    health_needs_nothing,
    enrolment_codes_work_once_and_expire,
    pushes_are_seen_within_the_org_subtree_only,
    a_change_outside_the_subtree_refuses_the_whole_page,
    a_held_record_is_changed_only_by_its_owning_org,
    a_waiting_desk_is_told_of_changes_for_it_and_only_those,
    a_record_about_an_org_below_reaches_it_and_no_other,
    pushing_a_page_twice_stores_each_change_once,
    pull_pages_resume_at_their_cursor,
    tokens_are_checked,
    bad_requests_are_named_and_the_server_keeps_serving,
    org_rows_pushed_by_a_county_grow_the_tree,
    orgs_added_by_the_admin_reach_enrolled_desks,
    blobs_round_trip_and_are_checked,
    blobs_are_read_within_the_org_subtree_only,
    admin_errors_are_chinese_and_exit_1,
    acknowledged_changes_survive_kill_9,
    https_with_a_certificate,
    audit_chains_are_checked_on_receipt,
);

fn health_needs_nothing(kind: BackendKind) {
    let env = Env::new(kind);
    let r = send(env.agent.get(&env.url("/v1/health")), None);
    assert_eq!(r.status, 200);
    let h: hearing_sync::Health = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(h.status, "ok");
    assert_eq!(h.protocols, vec![1]);
    assert!(h.server.starts_with("hearing-server "));
}

fn enrolment_codes_work_once_and_expire(kind: BackendKind) {
    let env = Env::new(kind);
    let code = env.issue_code("org-a");
    assert_eq!(code.len(), 14, "{code}");
    assert_eq!(code.matches('-').count(), 2);

    // Without the protocol header.
    let r = send(
        env.agent.post(&env.url("/v1/enroll")),
        Some(json!({"code": code}).to_string().as_bytes()),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "unsupported_protocol");
    let r = send(
        env.agent
            .post(&env.url("/v1/enroll"))
            .set("X-Hearing-Protocol", "2"),
        Some(json!({"code": code}).to_string().as_bytes()),
    );
    assert_eq!(r.error_code(), "unsupported_protocol");
    assert!(r.message().contains('1'), "{}", r.message());

    // Typed in lower case without dashes, it still works — once.
    let typed = code.replace('-', "").to_lowercase();
    let r = env.enroll_raw(&typed, "甲县听证室");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v: hearing_sync::EnrollResponse = serde_json::from_slice(&r.body).unwrap();
    assert!(v.device_id.starts_with("dev-"));
    assert_eq!(v.org_id, "org-a");
    assert_eq!(v.token.len(), 43, "32 bytes base64url without padding");
    let tree: Vec<&str> = v.orgs.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(tree[0], "org-city", "parents first: {tree:?}");
    for id in ["org-a", "org-a1", "org-b"] {
        assert!(tree.contains(&id), "{tree:?}");
    }
    let a = v.orgs.iter().find(|o| o.id == "org-a").unwrap();
    assert_eq!(a.parent_id.as_deref(), Some("org-city"));
    assert_eq!(a.short_name, "甲");

    let r = env.enroll_raw(&code, "又一台");
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "invalid_code");

    let r = env.enroll_raw("AAAA-BBBB-CCCC", "");
    assert_eq!(r.error_code(), "invalid_code");

    let expired = env
        .admin_ok(&["code", "issue", "--org", "org-b", "--ttl-seconds", "0"])
        .trim()
        .to_owned();
    let r = env.enroll_raw(&expired, "");
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "invalid_code");

    // The token works, and the server stored only its hash.
    let desk = common::Desk::from_parts(&v.device_id, &v.token, "org-a");
    assert_eq!(env.pull(&desk, "0", None).status, 200);
    let stored = env.backend.stored_bytes();
    assert!(stored.len() > 100, "nothing read from the store");
    assert!(
        !stored
            .windows(v.token.len())
            .any(|w| w == v.token.as_bytes()),
        "the token itself is stored"
    );
    let listed = env.admin_ok(&["device", "list"]);
    assert!(
        listed.contains(&v.device_id) && listed.contains("甲县听证室"),
        "{listed}"
    );
}

fn pushes_are_seen_within_the_org_subtree_only(kind: BackendKind) {
    let env = Env::new(kind);
    let a_one = env.desk("org-a");
    let a_two = env.desk("org-a");
    let court = env.desk("org-a1");
    let b = env.desk("org-b");
    let city = env.desk("org-city");

    let a_changes = vec![
        a_one.case("org-a", "甲县案件"),
        a_one.case("org-a1", "法院案件"),
    ];
    let r = env.push(&a_one, &a_changes);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(strings(&v["accepted"]), ids(&a_changes));
    assert!(strings(&v["duplicates"]).is_empty());
    assert!(v["cursor"].as_str().unwrap().parse::<u64>().unwrap() > 0);
    let b_changes = vec![b.case("org-b", "乙县案件")];
    assert_eq!(env.push(&b, &b_changes).status, 200);

    // Another desk of county A sees both of A's changes, field for field.
    let seen = env.pull_all(&a_two);
    let cases: Vec<&Value> = seen.iter().filter(|c| c["table"] == "cases").collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(*cases[0], a_changes[0]);
    assert_eq!(*cases[1], a_changes[1]);
    // Org rows are visible to everyone (the admin's import made them).
    let orgs: BTreeSet<&str> = seen
        .iter()
        .filter(|c| c["table"] == "orgs")
        .map(|c| c["pk"].as_str().unwrap())
        .collect();
    assert_eq!(
        orgs,
        BTreeSet::from(["org-city", "org-a", "org-a1", "org-b"])
    );
    // The court below A sees only its own org's change.
    assert_eq!(env.visible_ids(&court), vec![ids(&a_changes)[1].clone()]);
    // The city sees both counties.
    let mut all = ids(&a_changes);
    all.extend(ids(&b_changes));
    assert_eq!(env.visible_ids(&city), all);
    // County B sees nothing of A; a desk never gets its own changes back.
    assert_eq!(env.visible_ids(&b), Vec::<String>::new());
    assert_eq!(env.visible_ids(&a_one), Vec::<String>::new());
}

/// `GET /v1/wait`: a desk waiting after its cursor is answered as soon as a change it would pull
/// is stored — not for another county's, nor for its own — and at once when it is behind.
fn a_waiting_desk_is_told_of_changes_for_it_and_only_those(kind: BackendKind) {
    let env = std::sync::Arc::new(Env::new(kind));
    let a = std::sync::Arc::new(env.desk("org-a"));
    let court = env.desk("org-a1");
    let b = env.desk("org-b");
    let cursor = env.cursor_of(&a);

    // Nothing for A: the wait ends after its timeout, saying so.
    let started = std::time::Instant::now();
    let r = env.wait(&a, &cursor, "1");
    assert_eq!(r.status, 200, "{}", r.message());
    assert_eq!(r.json()["changed"], false);
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));

    // A waits; another county's change and A's own do not wake it, its court's does.
    let waiting = {
        let (env, a, cursor) = (env.clone(), a.clone(), cursor.clone());
        std::thread::spawn(move || {
            let t = std::time::Instant::now();
            (env.wait(&a, &cursor, "20"), t.elapsed())
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(env.push(&b, &[b.case("org-b", "乙县")]).status, 200);
    assert_eq!(env.push(&a, &[a.case("org-a", "本县")]).status, 200);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!waiting.is_finished(), "woken by a change not for it");
    assert_eq!(
        env.push(&court, &[court.case("org-a1", "法院")]).status,
        200
    );
    let (r, took) = waiting.join().unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["changed"], true);
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");

    // Behind the log: answered at once.
    let started = std::time::Instant::now();
    assert_eq!(env.wait(&a, &cursor, "20").json()["changed"], true);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // A bad timeout or cursor is named; no token, no wait.
    let r = env.wait(&a, &cursor, "999");
    assert_eq!(r.status, 400);
    assert!(r.message().contains("等待秒数"), "{}", r.message());
    assert_eq!(env.wait(&a, "x", "1").status, 400);
    let r = send(env.get("/v1/wait?after=0&timeout=1"), None);
    assert_eq!(r.status, 401);
}

/// A forged push: a county device claims the city's decision on one of its cases as its own
/// record (its own org as `orgId`, so the subtree check passes) to overwrite it. The server knows
/// whose record that row is and refuses the page; nothing is stored. The owner's own device may
/// change it, a resent change is harmless, and a row new to the server may be any org's below the
/// device (what a desk kept before it enrolled).
fn a_held_record_is_changed_only_by_its_owning_org(kind: BackendKind) {
    let env = Env::new(kind);
    let city = env.desk("org-city");
    let county = env.desk("org-a");
    let court = env.desk("org-a1");

    // The city's decision on a case of county A: the city's record, about county A.
    let mut decision = city.case("org-city", "");
    decision["table"] = json!("approvals");
    decision["cols"] = json!({"case_id": "case-1", "level_key": "committee", "approved": 1});
    decision["scopeOrg"] = json!("org-a");
    assert_eq!(env.push(&city, std::slice::from_ref(&decision)).status, 200);
    let before = env.visible_ids(&county);
    assert!(before.contains(&decision["id"].as_str().unwrap().to_owned()));

    // County A overwrites it, claiming it as its own record.
    let mut forged = county.case("org-a", "");
    forged["table"] = json!("approvals");
    forged["pk"] = decision["pk"].clone();
    forged["cols"] = json!({"approved": 0, "opinion": "改为不同意"});
    let r = env.push(
        &county,
        &[county.case("org-a", "本县的案件"), forged.clone()],
    );
    assert_eq!(r.status, 403, "{}", r.message());
    assert_eq!(r.error_code(), "forbidden");
    assert!(
        r.message().contains(forged["id"].as_str().unwrap())
            && r.message().contains("只能由该单位"),
        "{}",
        r.message()
    );
    // An organ below the county may not either; nothing of the pages was stored.
    let mut below = court.case("org-a1", "");
    below["table"] = json!("approvals");
    below["pk"] = decision["pk"].clone();
    assert_eq!(env.push(&court, &[below]).status, 403);
    assert_eq!(env.visible_ids(&county), before);

    // The owner's device changes it; the same page again is a harmless resend.
    let mut own = city.case("org-city", "");
    own["table"] = json!("approvals");
    own["pk"] = decision["pk"].clone();
    own["cols"] = json!({"opinion": "同意终结"});
    own["scopeOrg"] = json!("org-a");
    assert_eq!(env.push(&city, std::slice::from_ref(&own)).status, 200);
    assert_eq!(env.push(&city, &[own]).status, 200);
    // A county case the city brings from before it enrolled is new here: accepted; from then on
    // it is the county's record, changed by the county's device, no longer by the city's.
    let kept = city.case("org-a", "入网前的案件");
    assert_eq!(env.push(&city, std::slice::from_ref(&kept)).status, 200);
    let mut edit = county.case("org-a", "本县修改");
    edit["pk"] = kept["pk"].clone();
    assert_eq!(env.push(&county, &[edit]).status, 200);
    let mut back = city.case("org-city", "收归市级");
    back["pk"] = kept["pk"].clone();
    assert_eq!(env.push(&city, &[back]).status, 403);
    env.health_ok();
}

fn a_change_outside_the_subtree_refuses_the_whole_page(kind: BackendKind) {
    let env = Env::new(kind);
    let b = env.desk("org-b");
    let a1 = env.desk("org-a1");
    let city = env.desk("org-city");

    // County B writes a change of county A, after a good one of its own.
    let page = vec![b.case("org-b", "本县"), b.case("org-a", "越权")];
    let r = env.push(&b, &page);
    assert_eq!(r.status, 403);
    assert_eq!(r.error_code(), "forbidden");
    assert!(
        r.message().contains(page[1]["id"].as_str().unwrap()),
        "{}",
        r.message()
    );
    // An organ cannot write for its county either, nor an unknown org.
    assert_eq!(env.push(&a1, &[a1.case("org-a", "上级")]).status, 403);
    assert_eq!(env.push(&a1, &[a1.case("org-nowhere", "")]).status, 403);
    // Nor claim another device's change.
    let mut forged = b.case("org-b", "冒名");
    forged["deviceId"] = json!(a1.id);
    let r = env.push(&b, &[forged]);
    assert_eq!(r.status, 403);
    assert_eq!(r.error_code(), "forbidden");
    // Nor address its own record to another county (`scopeOrg`).
    let mut aimed = b.case("org-b", "越界通知");
    aimed["scopeOrg"] = json!("org-a");
    let r = env.push(&b, &[aimed]);
    assert_eq!(r.status, 403);
    assert!(r.message().contains("org-a"), "{}", r.message());
    // Nothing of any refused page was stored.
    assert_eq!(env.visible_ids(&city), Vec::<String>::new());
    env.health_ok();
}

fn a_record_about_an_org_below_reaches_it_and_no_other(kind: BackendKind) {
    let env = Env::new(kind);
    let city = env.desk("org-city");
    let a1 = env.desk("org-a1");
    let b = env.desk("org-b");
    // The city's own record about an organ of county A (a decision on its case).
    let mut decision = city.case("org-city", "市委政法委审批意见");
    decision["scopeOrg"] = json!("org-a1");
    let own = city.case("org-city", "市委政法委自己的记录");
    assert_eq!(env.push(&city, &[decision.clone(), own]).status, 200);
    let id = decision["id"].as_str().unwrap().to_owned();
    assert_eq!(env.visible_ids(&a1), vec![id]);
    assert_eq!(env.visible_ids(&b), Vec::<String>::new());
}

fn pushing_a_page_twice_stores_each_change_once(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let city = env.desk("org-city");
    let page: Vec<Value> = (0..20)
        .map(|i| a.case("org-a", &format!("案件{i}")))
        .collect();
    let first = env.push(&a, &page).json();
    assert_eq!(strings(&first["accepted"]).len(), 20);
    let second = env.push(&a, &page).json();
    assert!(strings(&second["accepted"]).is_empty());
    assert_eq!(strings(&second["duplicates"]), ids(&page));
    assert_eq!(second["cursor"], first["cursor"]);
    // A retried page with one new change, and a change twice in one page.
    let extra = a.case("org-a", "新");
    let mut retry = page[..5].to_vec();
    retry.push(extra.clone());
    retry.push(extra.clone());
    let third = env.push(&a, &retry).json();
    assert_eq!(
        strings(&third["accepted"]),
        ids(std::slice::from_ref(&extra))
    );
    assert_eq!(strings(&third["duplicates"]).len(), 6);

    let mut want = ids(&page);
    want.extend(ids(&[extra]));
    assert_eq!(env.visible_ids(&city), want);
}

fn pull_pages_resume_at_their_cursor(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let b = env.desk("org-b");
    let reader = env.desk("org-a");
    // Interleave invisible changes (county B) with visible ones.
    let mut want = Vec::new();
    for i in 0..5 {
        let page: Vec<Value> = (0..5)
            .map(|j| a.case("org-a", &format!("{i}-{j}")))
            .collect();
        assert_eq!(env.push(&a, &page).status, 200);
        want.extend(ids(&page));
        assert_eq!(env.push(&b, &[b.case("org-b", "乙")]).status, 200);
    }
    let mut cursor = "0".to_owned();
    let mut got = Vec::new();
    let mut pages = 0;
    loop {
        let r = env.pull(&reader, &cursor, Some(7));
        assert_eq!(r.status, 200);
        let v = r.json();
        let changes = v["changes"].as_array().unwrap();
        assert!(changes.len() <= 7);
        got.extend(
            changes
                .iter()
                .filter(|c| c["table"] != "orgs")
                .map(|c| c["id"].as_str().unwrap().to_owned()),
        );
        let next = v["cursor"].as_str().unwrap().to_owned();
        assert!(next.parse::<u64>().unwrap() >= cursor.parse::<u64>().unwrap());
        cursor = next;
        pages += 1;
        if !v["more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(got, want);
    assert!(pages >= 4, "{pages}");
    // At the end of the log: an empty page, same cursor, no more.
    let v = env.pull(&reader, &cursor, Some(7)).json();
    assert_eq!(v["changes"].as_array().unwrap().len(), 0);
    assert_eq!(v["cursor"].as_str().unwrap(), cursor);
    assert_eq!(v["more"], false);
    // The default page and the largest one.
    assert_eq!(env.pull(&reader, "0", Some(1000)).status, 200);
    assert_eq!(env.pull(&reader, "0", None).status, 200);
}

fn tokens_are_checked(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let body = json!({"changes": [a.case("org-a", "x")]}).to_string();

    let r = send(env.post("/v1/push"), Some(body.as_bytes()));
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "unauthorized");
    let r = env.push_raw("not-a-token", body.as_bytes());
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "unauthorized");
    let r = send(
        env.get("/v1/pull?after=0")
            .set("Authorization", "Basic dXNlcjpwdw=="),
        None,
    );
    assert_eq!(r.status, 401);

    assert_eq!(env.push(&a, &[a.case("org-a", "停用前")]).status, 200);
    let out = env.admin_ok(&["device", "revoke", &a.id]);
    assert!(out.contains("已停用"), "{out}");
    let r = env.push(&a, &[a.case("org-a", "停用后")]);
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "unauthorized");
    assert_eq!(env.pull(&a, "0", None).status, 401);
    let r = send(
        env.agent
            .head(&env.url(&format!("/v1/blobs/{}", "0".repeat(64))))
            .set("X-Hearing-Protocol", "1")
            .set("Authorization", &format!("Bearer {}", a.token)),
        None,
    );
    assert_eq!(r.status, 401);
    assert!(env.admin_ok(&["device", "list"]).contains("已停用"));
    env.health_ok();
}

fn bad_requests_are_named_and_the_server_keeps_serving(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let city = env.desk("org-city");

    // A body over 4 MiB.
    let big = a.case("org-a", &"字".repeat(1_500_000));
    let r = env.push(&a, &[big]);
    assert_eq!(r.status, 413);
    assert_eq!(r.error_code(), "too_large");
    env.health_ok();

    // 501 changes.
    let many: Vec<Value> = (0..501).map(|_| a.case("org-a", "x")).collect();
    let r = env.push(&a, &many);
    assert_eq!(r.status, 413);
    assert_eq!(r.error_code(), "too_large");
    env.health_ok();

    // Not JSON, and JSON of the wrong shape.
    for body in [b"{\"changes\": [" as &[u8], b"", b"[]", b"{\"changes\": 3}"] {
        let r = env.push_raw(&a.token, body);
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(body));
        assert_eq!(r.error_code(), "bad_request");
    }
    env.health_ok();

    // A change with a bad HLC, an unsynced table, a missing field, an array value: 400 naming it,
    // and the good change of the same page is not stored.
    let good = a.case("org-a", "好的");
    let mut bad_hlc = a.case("org-a", "x");
    bad_hlc["hlc"] = json!("yesterday");
    let mut bad_table = a.case("org-a", "x");
    bad_table["table"] = json!("desk_meta");
    let mut missing = a.case("org-a", "x");
    missing.as_object_mut().unwrap().remove("pk");
    let mut bad_value = a.case("org-a", "x");
    bad_value["cols"]["title"] = json!(["a"]);
    for (bad, says) in [
        (bad_hlc, "时钟值"),
        (bad_table, "desk_meta"),
        (missing, "pk"),
        (bad_value, "值类型"),
    ] {
        let r = env.push(&a, &[good.clone(), bad.clone()]);
        assert_eq!(r.status, 400);
        assert_eq!(r.error_code(), "bad_request");
        let m = r.message();
        assert!(m.contains(bad["id"].as_str().unwrap()), "{m}");
        assert!(m.contains(says), "{m}");
        env.health_ok();
    }

    // Bad cursors and limits.
    for q in [
        "after=abc",
        "after=-1",
        "after=99999999",
        "after=0&limit=0",
        "after=0&limit=1001",
        "after=0&limit=x",
    ] {
        let r = send(
            env.get(&format!("/v1/pull?{q}"))
                .set("Authorization", &format!("Bearer {}", a.token)),
            None,
        );
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.error_code(), "bad_request");
    }
    // Unknown paths are JSON too.
    let r = send(env.get("/v1/nothing"), None);
    assert_eq!(r.status, 404);
    assert_eq!(r.error_code(), "not_found");

    env.health_ok();
    assert_eq!(env.visible_ids(&city), Vec::<String>::new());
    // And it still takes good pages.
    assert_eq!(env.push(&a, std::slice::from_ref(&good)).status, 200);
    assert_eq!(env.visible_ids(&city), ids(&[good]));
}

fn org_rows_pushed_by_a_county_grow_the_tree(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let b = env.desk("org-b");
    let city = env.desk("org-city");

    // County A adds its procuratorate and, in the same page, a case of it.
    let organ = a.org_row("org-a2", "org-a", "甲县人民检察院");
    let case = a.case("org-a2", "检察院案件");
    let r = env.push(&a, &[organ.clone(), case.clone()]);
    assert_eq!(r.status, 200, "{}", r.message());
    let listed = env.admin_ok(&["org", "list"]);
    assert!(
        listed.contains("org-a2") && listed.contains("甲县人民检察院"),
        "{listed}"
    );
    // A desk can be enrolled to the new organ and sees the case.
    let organ_desk = env.desk("org-a2");
    assert_eq!(
        env.visible_ids(&organ_desk),
        ids(std::slice::from_ref(&case))
    );
    assert_eq!(env.visible_ids(&city), ids(&[case]));
    // County B sees the org row (all org rows are visible), not the case.
    let b_sees = env.pull_all(&b);
    assert!(b_sees.iter().any(|c| c["id"] == organ["id"]));
    assert_eq!(env.visible_ids(&b), Vec::<String>::new());

    // County B cannot take A's organ, rename county A, or make a root.
    let r = env.push(&b, &[b.org_row("org-a2", "org-b", "抢来的")]);
    assert_eq!(r.status, 403, "{}", r.message());
    let r = env.push(&b, &[b.org_row("org-a", "org-city", "改名")]);
    assert_eq!(r.status, 403);
    let mut root = b.org_row("org-b9", "org-b9", "新根");
    root["cols"]["parent_id"] = Value::Null;
    assert_eq!(env.push(&b, &[root]).status, 403);
    // parent_id must agree with orgId.
    let mut wrong = b.org_row("org-b1", "org-b", "乙县法院");
    wrong["cols"]["parent_id"] = json!("org-a");
    assert_eq!(env.push(&b, &[wrong]).status, 400);
    let listed = env.admin_ok(&["org", "list"]);
    assert!(!listed.contains("抢来的") && !listed.contains("改名") && !listed.contains("org-b9"));
}

fn orgs_added_by_the_admin_reach_enrolled_desks(kind: BackendKind) {
    let env = Env::new(kind);
    let b = env.desk("org-b");
    let before = env.pull(&b, "0", None).json();
    let cursor = before["cursor"].as_str().unwrap().to_owned();
    env.admin_ok(&[
        "org", "add", "--id", "org-c", "--name", "丙县", "--parent", "org-city", "--code", "C01",
    ]);
    let v = env.pull(&b, &cursor, None).json();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{v}");
    let c = &changes[0];
    assert_eq!(c["table"], "orgs");
    assert_eq!(c["pk"], "org-c");
    assert_eq!(c["orgId"], "org-city");
    assert_eq!(c["deviceId"], "server");
    assert_eq!(c["cols"]["name"], "丙县");
    assert_eq!(c["cols"]["code"], "C01");
    let change: hearing_sync::Change = serde_json::from_value(c.clone()).unwrap();
    change.validate().unwrap();
    // Importing the same file again changes nothing.
    let file = env.backend.dir.path().join("orgs.json");
    let out = env.admin_ok(&["org", "import", file.to_str().unwrap()]);
    assert!(out.contains("导入 0 个"), "{out}");
    let v = env.pull(&b, v["cursor"].as_str().unwrap(), None).json();
    assert_eq!(v["changes"].as_array().unwrap().len(), 0);
}

fn blobs_round_trip_and_are_checked(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let a2 = env.desk("org-a");
    let auth = |t: &str| format!("Bearer {t}");
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let name = hex::encode(Sha256::digest(&bytes));
    let path = format!("/v1/blobs/{name}");

    let head = |token: &str| {
        send(
            env.agent
                .head(&env.url(&path))
                .set("X-Hearing-Protocol", "1")
                .set("Authorization", &auth(token)),
            None,
        )
    };
    // Before it is uploaded, the blob is nobody's (whether the server has it is not told).
    assert_eq!(head(&a.token).status, 403);
    let r = send(env.get(&path).set("Authorization", &auth(&a.token)), None);
    assert_eq!(r.status, 403);
    assert_eq!(r.error_code(), "forbidden");

    let put = |token: &str, p: &str, body: &[u8]| {
        send(
            env.agent
                .put(&env.url(p))
                .set("X-Hearing-Protocol", "1")
                .set("Authorization", &auth(token))
                .set("Content-Type", "application/octet-stream"),
            Some(body),
        )
    };
    assert_eq!(put(&a.token, &path, &bytes).status, 201);
    assert_eq!(put(&a.token, &path, &bytes).status, 200);
    let h = head(&a2.token);
    assert_eq!(h.status, 200);
    assert_eq!(h.header("content-length"), Some("300000"));
    let r = send(env.get(&path).set("Authorization", &auth(&a2.token)), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, bytes);
    let on_disk = env
        .backend
        .data_dir()
        .join("blobs")
        .join(&name[..2])
        .join(&name[2..]);
    assert_eq!(std::fs::read(on_disk).unwrap(), bytes);

    // Bytes that do not hash to the name: nothing stored, nothing readable.
    let mut other = bytes.clone();
    other[0] ^= 1;
    let other_name = hex::encode(Sha256::digest(&other));
    let r = put(&a.token, &format!("/v1/blobs/{other_name}"), &bytes);
    assert_eq!(r.status, 422);
    assert_eq!(r.error_code(), "hash_mismatch");
    assert_eq!(head(&a.token).status, 200);
    let r = send(
        env.get(&format!("/v1/blobs/{other_name}"))
            .set("Authorization", &auth(&a.token)),
        None,
    );
    assert_eq!(r.status, 403);
    // A name that is not a SHA-256, no token, too large.
    assert_eq!(put(&a.token, "/v1/blobs/ABC", &bytes).status, 400);
    let r = send(
        env.agent
            .put(&env.url(&path))
            .set("X-Hearing-Protocol", "1"),
        Some(&bytes),
    );
    assert_eq!(r.status, 401);
    let huge = vec![0u8; hearing_sync::MAX_BLOB_BYTES + 1];
    let huge_name = hex::encode(Sha256::digest(&huge));
    let r = put(&a.token, &format!("/v1/blobs/{huge_name}"), &huge);
    assert_eq!(r.status, 413);
    assert_eq!(r.error_code(), "too_large");
    env.health_ok();
    // No temporary files are left behind.
    let tmp = env.backend.data_dir().join("blobs").join("tmp");
    assert_eq!(std::fs::read_dir(tmp).unwrap().count(), 0);
}

/// A blob is read by the desks that see a record referring to it (the pull's org subtree) or
/// whose org uploaded it: another county gets 403, even knowing the hash, and cannot get it by
/// referring to it in a change of its own.
fn blobs_are_read_within_the_org_subtree_only(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let a_other = env.desk("org-a");
    let court = env.desk("org-a1");
    let b = env.desk("org-b");
    let city = env.desk("org-city");
    let pdf = "%PDF-1.7 甲县终结告知书".as_bytes().to_vec();
    let sha = hex::encode(Sha256::digest(&pdf));
    let path = format!("/v1/blobs/{sha}");
    let auth = |d: &common::Desk| format!("Bearer {}", d.token);
    let get = |d: &common::Desk| send(env.get(&path).set("Authorization", &auth(d)), None);
    let head = |d: &common::Desk| {
        send(
            env.agent
                .head(&env.url(&path))
                .set("X-Hearing-Protocol", "1")
                .set("Authorization", &auth(d)),
            None,
        )
        .status
    };
    let put = |d: &common::Desk| {
        send(
            env.agent
                .put(&env.url(&path))
                .set("X-Hearing-Protocol", "1")
                .set("Authorization", &auth(d))
                .set("Content-Type", "application/octet-stream"),
            Some(&pdf),
        )
        .status
    };
    // A finalised document of county A: its PDF first, then the change referring to it.
    let document = |d: &common::Desk, org: &str| {
        let mut c = d.case(org, "");
        c["table"] = json!("documents");
        c["cols"] = json!({"pdf": {"$blob": sha}, "pdf_sha256": sha, "state": "final"});
        c
    };
    assert_eq!(put(&a), 201);
    let r = env.push(&a, &[document(&a, "org-a")]);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));

    // The owning desk, another desk of its county and the city read it.
    for d in [&a, &a_other, &city] {
        let r = get(d);
        assert_eq!(
            r.status,
            200,
            "{}: {}",
            d.org,
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.body, pdf);
        assert_eq!(head(d), 200);
    }
    // Another county, and an organ below A that does not see A's own records, do not.
    for d in [&b, &court] {
        let r = get(d);
        assert_eq!(r.status, 403, "{}", d.org);
        assert_eq!(r.error_code(), "forbidden");
        assert!(
            r.message().contains("无权读取") && r.message().contains(&sha[..12]),
            "{}",
            r.message()
        );
        assert_eq!(head(d), 403);
    }

    // County B refers to the hash in a change of its own: the page is refused, nothing stored.
    let forged = document(&b, "org-b");
    let r = env.push(&b, &[b.case("org-b", "本县案件"), forged.clone()]);
    assert_eq!(r.status, 403);
    assert_eq!(r.error_code(), "forbidden");
    assert!(
        r.message().contains(forged["id"].as_str().unwrap()) && r.message().contains("上传"),
        "{}",
        r.message()
    );
    assert!(
        env.visible_ids(&city).len() == 1,
        "the refused page was stored"
    );
    assert_eq!(get(&b).status, 403);

    // The city may pass the file on to county B with a change of B's that refers to it.
    let r = env.push(&city, &[document(&city, "org-b")]);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(get(&b).status, 200);
    assert_eq!(get(&court).status, 403);
    // A desk that has the bytes may upload them again, and then read them: it had them anyway.
    assert_eq!(put(&court), 200);
    assert_eq!(get(&court).status, 200);

    // Readable but the bytes are gone from the server: 404.
    std::fs::remove_file(
        env.backend
            .data_dir()
            .join("blobs")
            .join(&sha[..2])
            .join(&sha[2..]),
    )
    .unwrap();
    let r = get(&a);
    assert_eq!(r.status, 404);
    assert_eq!(r.error_code(), "not_found");
}

fn admin_errors_are_chinese_and_exit_1(kind: BackendKind) {
    let env = Env::new(kind);
    let cases: &[(&[&str], &str)] = &[
        (&["org", "add", "--id", "org-a", "--name", "重复"], "已存在"),
        (
            &[
                "org",
                "add",
                "--id",
                "org-x",
                "--name",
                "无上级",
                "--parent",
                "org-none",
            ],
            "不存在",
        ),
        (&["org", "add", "--id", "bad id", "--name", "空格"], "无效"),
        (&["code", "issue", "--org", "org-none"], "不存在"),
        (&["device", "revoke", "dev-none"], "没有"),
        (&["org", "import", "/nonexistent/orgs.json"], "无法读取"),
    ];
    for (args, says) in cases {
        let out = env.admin(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("错误") && err.contains(says),
            "{args:?}: {err}"
        );
    }
    let listed = env.admin_ok(&["org", "list"]);
    let lines: Vec<&str> = listed.lines().collect();
    assert!(lines[0].starts_with("org-city"), "{listed}");
    assert!(
        lines.iter().any(|l| l.starts_with("    org-a1")),
        "{listed}"
    );
}

fn acknowledged_changes_survive_kill_9(kind: BackendKind) {
    let mut env = Env::new(kind);
    let a = Arc::new(env.desk("org-a"));
    let city = env.desk("org-city");
    let blob = b"signed scan".to_vec();
    let blob_name = hex::encode(Sha256::digest(&blob));
    let r = send(
        env.agent
            .put(&env.url(&format!("/v1/blobs/{blob_name}")))
            .set("X-Hearing-Protocol", "1")
            .set("Authorization", &format!("Bearer {}", a.token)),
        Some(&blob),
    );
    assert_eq!(r.status, 201);

    // A desk pushes pages as fast as it can; the server is killed while it does.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let base = env.base().to_owned();
    let pusher = {
        let (a, acked, stop) = (Arc::clone(&a), Arc::clone(&acked), Arc::clone(&stop));
        std::thread::spawn(move || {
            let agent = common::agent();
            let mut pages = 0;
            while !stop.load(Ordering::SeqCst) && pages < 2000 {
                let page: Vec<Value> = (0..20).map(|_| a.case("org-a", "崩溃测试")).collect();
                let body = json!({ "changes": page }).to_string();
                let res = agent
                    .post(&format!("{base}/v1/push"))
                    .set("X-Hearing-Protocol", "1")
                    .set("Authorization", &format!("Bearer {}", a.token))
                    .send_string(&body);
                match res {
                    Ok(r) => {
                        let v: Value = r.into_json().unwrap();
                        let mut held = strings(&v["accepted"]);
                        held.extend(strings(&v["duplicates"]));
                        acked.lock().unwrap().extend(held);
                    }
                    Err(_) => return pages,
                }
                pages += 1;
            }
            pages
        })
    };
    // Let some pages through, then SIGKILL.
    let t0 = std::time::Instant::now();
    while acked.lock().unwrap().len() < 200 && t0.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    env.kill9();
    stop.store(true, Ordering::SeqCst);
    let pages = pusher.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 200,
        "only {} acknowledged in {pages} pages",
        acked.len()
    );

    env.start();
    env.health_ok();
    let seen = env.visible_ids(&city);
    let seen_set: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(seen_set.len(), seen.len(), "a change held twice");
    let missing: Vec<&String> = acked.iter().filter(|id| !seen_set.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged changes lost",
        missing.len()
    );
    let r = send(
        env.get(&format!("/v1/blobs/{blob_name}"))
            .set("Authorization", &format!("Bearer {}", a.token)),
        None,
    );
    assert_eq!(r.body, blob);
    // The desk and its token survived too, and the log goes on.
    assert_eq!(env.push(&a, &[a.case("org-a", "重启后")]).status, 200);
}

fn https_with_a_certificate(kind: BackendKind) {
    let mut env = Env::new(kind);
    env.kill9();
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = env.backend.dir.path();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    env.start_with(&[
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ]);
    assert!(
        env.base().starts_with("https://127.0.0.1:"),
        "{}",
        env.base()
    );
    let port = env.base().rsplit(':').next().unwrap().to_owned();

    let mut roots = rustls::RootCertStore::empty();
    roots.add(ck.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tls = ureq::AgentBuilder::new()
        .tls_config(Arc::new(config))
        .build();
    let url = format!("https://localhost:{port}/v1/health");
    let r = send(tls.get(&url), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    // Enrolment over TLS.
    let code = env.issue_code("org-a");
    let r = send(
        tls.post(&format!("https://localhost:{port}/v1/enroll"))
            .set("X-Hearing-Protocol", "1"),
        Some(json!({"code": code}).to_string().as_bytes()),
    );
    assert_eq!(r.status, 200);
    // Plain HTTP to the TLS port does not get an answer in the clear.
    let plain = env
        .agent
        .get(&format!("http://127.0.0.1:{port}/v1/health"))
        .call();
    assert!(!matches!(plain, Ok(r) if r.status() == 200));
}

/// A desk's audit chain of `n` events (as `hearing-store` writes them).
fn audit_chain(device: &str, n: i64) -> Vec<hearing_sync::audit::AuditEvent> {
    let mut prev = hearing_sync::audit::GENESIS.to_owned();
    (1..=n)
        .map(|seq| {
            let mut e = hearing_sync::audit::AuditEvent {
                seq,
                id: format!("{device}-e{seq}"),
                at: "2026-11-27T10:00:00Z".into(),
                actor: "李记录".into(),
                device_id: device.into(),
                action: "记录笔录".into(),
                entity: "testimony".into(),
                entity_id: format!("t{seq}"),
                summary: format!("第 {seq} 条笔录"),
                change_ids: "[]".into(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            e.hash = e.expected_hash();
            prev = e.hash.clone();
            e
        })
        .collect()
}

fn push_audit(env: &Env, token: &str, events: &[hearing_sync::audit::AuditEvent]) -> common::Resp {
    send(
        env.post("/v1/audit")
            .set("Authorization", &format!("Bearer {token}")),
        Some(json!({ "events": events }).to_string().as_bytes()),
    )
}

fn audit_chains_are_checked_on_receipt(kind: BackendKind) {
    let env = Env::new(kind);
    let a = env.desk("org-a");
    let b = env.desk("org-b");
    let chain = audit_chain("desk-a", 6);

    // In two pages; the second resends one event already held (a lost answer).
    let r = push_audit(&env, &a.token, &chain[..3]);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["seq"], 3);
    let r = push_audit(&env, &a.token, &chain[2..]);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["seq"], 6);
    assert_eq!(r.json()["hash"], chain[5].hash.as_str());
    // Sending everything again changes nothing.
    let r = push_audit(&env, &a.token, &chain);
    assert_eq!((r.status, r.json()["seq"].clone()), (200, json!(6)));

    // Chains are per device: desk b starts its own from 1.
    let r = push_audit(&env, &b.token, &audit_chain("desk-b", 2));
    assert_eq!((r.status, r.json()["seq"].clone()), (200, json!(2)));

    // An event altered after it was written: refused, named, nothing stored.
    let mut more = audit_chain("desk-a", 9);
    more[7].summary = "改过的内容".into();
    let r = push_audit(&env, &a.token, &more[6..]);
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.error_code(), "audit_chain_broken");
    assert!(r.message().contains("第 8 条"), "{}", r.message());
    // A gap (an event deleted before it was reported).
    let clean = audit_chain("desk-a", 9);
    let r = push_audit(&env, &a.token, &clean[7..]);
    assert_eq!(r.status, 422);
    assert!(r.message().contains("缺少"), "{}", r.message());
    // A rewritten history (e.g. an old backup restored and written on): event 5 differs.
    let mut rewritten = clean[4].clone();
    rewritten.summary = "另一条".into();
    rewritten.hash = rewritten.expected_hash();
    let r = push_audit(&env, &a.token, &[rewritten]);
    assert_eq!(r.status, 422);
    assert!(r.message().contains("第 5 条"), "{}", r.message());
    // The refused pages left the chain where it was; the honest continuation is accepted.
    let r = push_audit(&env, &a.token, &clean[6..]);
    assert_eq!((r.status, r.json()["seq"].clone()), (200, json!(9)));
    // Malformed and unauthenticated pushes.
    let r = send(
        env.post("/v1/audit")
            .set("Authorization", &format!("Bearer {}", a.token)),
        Some(b"{\"events\": 5}"),
    );
    assert_eq!(r.status, 400);
    let r = push_audit(&env, "wrong-token", &clean[..1]);
    assert_eq!(r.status, 401);
}
