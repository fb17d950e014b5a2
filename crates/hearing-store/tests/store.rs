//! Store tests on real temporary database files.

use hearing_core::{
    CaseAnalysis, CaseCategory, CaseInput, CaseListQuery, CaseSort, OrgInput, OrgKind, PersonInput,
    PersonKind, PersonListQuery, PetitionerInput, PetitionerKind, SortDir,
};
use hearing_store::ErrorCode;
use hearing_store::{audit, cases, persons, Store, StoreError, DB_FILE, LATEST_VERSION};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

fn desk() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_dir(dir.path()).expect("open");
    store
        .init_desk(&OrgInput {
            parent_id: None,
            name: "青山市东河区人民法院".into(),
            short_name: "东河法院".into(),
            kind: OrgKind::Court,
            code: "dhfy".into(),
        })
        .expect("init desk");
    (dir, store)
}

fn case_input(store: &Store, title: &str, petitioner: &str, id: &str) -> CaseInput {
    CaseInput {
        number: String::new(),
        handling_organ_id: store.desk_org_id().ok().flatten().unwrap_or_default(),
        case_officer: "李明".into(),
        title: title.into(),
        category: Some(CaseCategory::Civil),
        petitioners: vec![PetitionerInput {
            kind: PetitionerKind::Person,
            name: petitioner.into(),
            id_number: id.into(),
            phone: "13812345678".into(),
            address: "青山市东河区建设路 1 号".into(),
            credit_code: String::new(),
            representative: String::new(),
        }],
        original_case_number: "（2021）青0102民初123号".into(),
        rulings: vec![],
        demands: "撤销原判，赔偿损失".into(),
        background: String::new(),
        registered_on: "2026-03-05".into(),
    }
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(-1)
}

#[test]
fn a_case_round_trips_with_numbering_changes_and_audit() {
    let (_dir, mut store) = desk();
    let c = store
        .create_case(&case_input(
            &store,
            "张某不服判决信访案",
            "张某",
            "11010519491231002x",
        ))
        .expect("create");
    assert_eq!(c.number, "DHFY-2026-001");
    assert_eq!(
        c.petitioners[0].id_number.as_deref(),
        Some("11010519491231002X")
    );
    let c2 = store
        .create_case(&case_input(
            &store,
            "王某申诉案",
            "王某",
            "34052419800101001X",
        ))
        .expect("create");
    assert_eq!(c2.number, "DHFY-2026-002");

    // The change log holds the org and, per case, its row and its petitioner's; each write is
    // one audit event (binding the desk to its org too), naming the changes it logged.
    assert_eq!(count(store.conn(), "change_log"), 5);
    assert_eq!(count(store.conn(), "audit_events"), 4);
    let (table, op, cols): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT tbl, op, cols FROM change_log WHERE tbl = 'cases' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("change");
    assert_eq!((table.as_str(), op.as_str()), ("cases", "upsert"));
    assert!(cols.contains("王某申诉案"));
    let named: String = store
        .conn()
        .query_row(
            "SELECT change_ids FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("event");
    let ids: Vec<String> = serde_json::from_str(&named).expect("ids");
    let logged: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM change_log ORDER BY seq DESC LIMIT 2")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .expect("log ids");
    assert_eq!(ids.len(), 2, "{named}");
    assert!(
        logged.iter().all(|id| ids.contains(id)),
        "{named} {logged:?}"
    );

    // An update logs only what changed (and the row's time).
    let mut edit = case_input(&store, "王某申诉案", "王某", "34052419800101001X");
    edit.demands = "要求再审".into();
    let updated = store.update_case(&c2.id, &edit).expect("update");
    assert_eq!(updated.demands, "要求再审");
    assert_eq!(
        updated.number, "DHFY-2026-002",
        "number kept when left empty"
    );
    let cols: String = store
        .conn()
        .query_row(
            "SELECT cols FROM change_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("change");
    let v: serde_json::Value = serde_json::from_str(&cols).expect("json");
    let mut keys: Vec<&String> = v
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(keys, ["demands", "updated_at"], "{cols}");
    assert_eq!(v["demands"], "要求再审");
    let summary: String = store
        .conn()
        .query_row(
            "SELECT summary FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("summary");
    assert_eq!(summary, "修改案件 DHFY-2026-002：demands");

    // Saving again unchanged writes nothing.
    store.update_case(&c2.id, &edit).expect("update");
    assert_eq!(count(store.conn(), "change_log"), 6);

    let report = audit::verify(store.conn()).expect("verify");
    assert!(report.ok, "{}", report.message);
    assert_eq!(report.events, 5);
}

#[test]
fn invalid_input_is_refused_and_nothing_is_written() {
    let (_dir, mut store) = desk();
    let before = count(store.conn(), "change_log");
    let err = store
        .create_case(&case_input(&store, "案", "张某", "340524198001010013"))
        .expect_err("bad id");
    let StoreError::Validation(v) = &err else {
        panic!("expected validation error, got {err:?}");
    };
    assert_eq!(v.0[0].field, "petitioners.0.idNumber");
    assert!(err.to_string().contains("校验位"), "{err}");
    assert_eq!(count(store.conn(), "change_log"), before);
    assert_eq!(count(store.conn(), "cases"), 0);
}

#[test]
fn a_taken_number_is_a_conflict_and_an_unknown_organ_a_field_error() {
    let (_dir, mut store) = desk();
    let c = store
        .create_case(&case_input(&store, "甲案", "甲", ""))
        .expect("create");
    let mut dup = case_input(&store, "乙案", "乙", "");
    dup.number = c.number.clone();
    let err = store.create_case(&dup).expect_err("dup");
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(err.to_string().contains(&c.number));

    let mut bad = case_input(&store, "丙案", "丙", "");
    bad.handling_organ_id = "no-such-org".into();
    let err = store.create_case(&bad).expect_err("organ");
    assert_eq!(err.code(), ErrorCode::Validation);
}

#[test]
fn analysis_completeness_is_stored_and_listed() {
    let (_dir, mut store) = desk();
    let c = store
        .create_case(&case_input(&store, "甲案", "甲", ""))
        .expect("create");
    assert_eq!(c.analysis_completeness, 0);
    let a = CaseAnalysis {
        historical_facts: "2019 年起诉".into(),
        crux: "对证据认定有异议".into(),
        petition_demands: "再审".into(),
        ..Default::default()
    };
    let c = store.set_case_analysis(&c.id, &a).expect("analysis");
    assert_eq!(c.analysis_completeness, 33);
    let page = cases::list(
        store.conn(),
        &CaseListQuery {
            page: 1,
            page_size: 10,
            ..Default::default()
        },
    )
    .expect("list");
    assert_eq!(page.items[0].analysis_completeness, 33);
}

/// The register's search box goes through the search index but finds exactly what a literal
/// substring match over its fields finds: number, title, original case number, demands, a
/// petitioner's name (any case of ASCII letters), or a whole ID number — for terms of one, two
/// and more characters, and with characters the index cannot stand in for.
#[test]
fn case_list_search_box_matches_its_fields_literally() {
    let (_dir, mut store) = desk();
    let rows = [
        (
            "王学刚不服民间借贷判决案",
            "王学刚",
            "撤销原判，赔偿损失",
            "借贷纠纷背景",
        ),
        (
            "李四房屋征收补偿案",
            "李四",
            "提高补偿标准",
            "征收决定于 2019 年作出",
        ),
        (
            "张三劳动争议案",
            "张 三",
            "支付欠薪 50%",
            "用人单位_青山公司",
        ),
        ("赵六\"交通事故\"赔偿案", "赵六", "王学刚出庭作证", ""),
    ];
    let mut inputs = Vec::new();
    for (i, (title, name, demands, background)) in rows.iter().enumerate() {
        let mut input = case_input(&store, title, name, "");
        input.demands = (*demands).into();
        input.background = (*background).into();
        input.original_case_number = format!("（2021）青0102民初{}号", 100 + i);
        let c = store.create_case(&input).expect("create");
        inputs.push((c.id, c.number, input));
    }
    let found = |text: &str| -> Vec<String> {
        let page = cases::list(
            store.conn(),
            &CaseListQuery {
                search: Some(text.to_owned()),
                page: 1,
                page_size: 50,
                ..Default::default()
            },
        )
        .expect("search");
        assert_eq!(page.total as usize, page.items.len(), "{text}");
        let mut ids: Vec<String> = page.items.into_iter().map(|c| c.id).collect();
        ids.sort();
        ids
    };
    let expected = |text: &str| -> Vec<String> {
        let t = text.to_lowercase();
        let has = |field: &str| field.to_lowercase().contains(&t);
        let mut ids: Vec<String> = inputs
            .iter()
            .filter(|(_, number, i)| {
                has(number)
                    || has(&i.title)
                    || has(&i.original_case_number)
                    || has(&i.demands)
                    || i.petitioners.iter().any(|p| has(&p.name))
            })
            .map(|(id, _, _)| id.clone())
            .collect();
        ids.sort();
        ids
    };
    for text in [
        "王",
        "学刚",
        "王学刚",
        "借贷",
        "民间借贷判决",
        "征收",
        "补偿",
        "dhfy",
        "DHFY-2026-00",
        "民初101",
        "张 三",
        "50%",
        "\"交通",
        "六\"",
        "_",
        "青山公司",
        "背景",
        "量子",
        "案",
    ] {
        assert_eq!(found(text), expected(text), "“{text}”");
    }
    // Only in the background (not a register field): not found, though the index holds it.
    assert!(found("借贷纠纷背景").is_empty());
    // Some of these found something, so the comparison above is not empty-for-empty.
    assert_eq!(found("王学刚").len(), 2);
    assert_eq!(found("学刚").len(), 2);
    assert_eq!(found("王").len(), 2);
    // A 1 MB paste is refused with a message saying why; the register is still there.
    let err = cases::list(
        store.conn(),
        &CaseListQuery {
            search: Some("借".repeat(1_000_000)),
            page: 1,
            page_size: 20,
            ..Default::default()
        },
    )
    .expect_err("too long");
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(err.to_string().contains("太长"), "{err}");
    assert_eq!(found("王学刚").len(), 2);
}

/// Saves never wait for a WAL checkpoint: a thread of the store checkpoints in the background,
/// so what was saved reaches the database file itself (not only the log) within seconds.
#[test]
fn the_log_is_checkpointed_in_the_background() {
    let (dir, mut store) = desk();
    let c = store
        .create_case(&case_input(&store, "检查点测试案", "检查点", ""))
        .expect("create");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let copy = tempfile::tempdir().expect("dir");
    let db = copy.path().join(hearing_store::DB_FILE);
    loop {
        // The database file alone, without its -wal: only what was checkpointed.
        let found = std::fs::copy(dir.path().join(hearing_store::DB_FILE), &db)
            .ok()
            .and_then(|_| Connection::open(&db).ok())
            .and_then(|conn| {
                conn.query_row("SELECT count(*) FROM cases WHERE id = ?1", [&c.id], |r| {
                    r.get::<_, i64>(0)
                })
                .ok()
            });
        if found == Some(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the case never reached the database file: {found:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    drop(store);
}

#[test]
fn case_list_searches_filters_sorts_pages_and_masks() {
    let (_dir, mut store) = desk();
    for i in 0..25 {
        let mut input = case_input(&store, &format!("第{i}号信访案"), &format!("信访人{i}"), "");
        input.registered_on = format!("2026-01-{:02}", i + 1);
        if i == 7 {
            input.petitioners[0].name = "赵䶮".into();
            input.petitioners[0].id_number = "11010519491231002X".into();
        }
        store.create_case(&input).expect("create");
    }
    let q = |search: Option<&str>, page: u32| CaseListQuery {
        search: search.map(str::to_owned),
        page,
        page_size: 10,
        ..Default::default()
    };
    let p1 = cases::list(store.conn(), &q(None, 1)).expect("list");
    assert_eq!(p1.total, 25);
    assert_eq!(p1.items.len(), 10);
    assert_eq!(
        p1.items[0].registered_on, "2026-01-25",
        "newest first by default"
    );
    let p3 = cases::list(store.conn(), &q(None, 3)).expect("list");
    assert_eq!(p3.items.len(), 5);

    let hit = cases::list(store.conn(), &q(Some("䶮"), 1)).expect("search");
    assert_eq!(hit.total, 1);
    assert_eq!(hit.items[0].petitioner_names, "赵䶮");
    assert_eq!(
        hit.items[0].petitioner_id_masked.as_deref(),
        Some("110105********002X")
    );
    // Search by full ID number finds it too, LIKE wildcards are literal.
    assert_eq!(
        cases::list(store.conn(), &q(Some("11010519491231002x"), 1))
            .expect("id")
            .total,
        1
    );
    assert_eq!(
        cases::list(store.conn(), &q(Some("%"), 1))
            .expect("pct")
            .total,
        0
    );

    let asc = cases::list(
        store.conn(),
        &CaseListQuery {
            sort: Some(CaseSort::Number),
            dir: Some(SortDir::Asc),
            page: 1,
            page_size: 1,
            ..Default::default()
        },
    )
    .expect("sorted");
    assert_eq!(asc.items[0].number, "DHFY-2026-001");
    let none = cases::list(
        store.conn(),
        &CaseListQuery {
            status: Some(hearing_core::CaseStatus::Closed),
            page: 1,
            page_size: 10,
            ..Default::default()
        },
    )
    .expect("filter");
    assert_eq!(none.total, 0);
}

#[test]
fn persons_create_update_deactivate_and_list_masked() {
    let (_dir, mut store) = desk();
    let input = PersonInput {
        name: "周律".into(),
        kind: Some(PersonKind::Lawyer),
        licence_no: "11501201810123456".into(),
        law_firm: "内蒙古青城律师事务所".into(),
        phone: "13900001111".into(),
        ..Default::default()
    };
    let p = store.create_person(&input).expect("create");
    assert!(p.active);
    let mut edit = input.clone();
    edit.unit = "青城律所".into();
    let p = store.update_person(&p.id, &edit).expect("update");
    assert_eq!(p.unit, "青城律所");
    let p = store.set_person_active(&p.id, false).expect("deactivate");
    assert!(!p.active);

    let all = persons::list(
        store.conn(),
        &PersonListQuery {
            page: 1,
            page_size: 20,
            ..Default::default()
        },
    )
    .expect("list");
    assert_eq!(all.total, 1);
    assert_eq!(all.items[0].phone.as_deref(), Some("139****1111"));
    let active = persons::list(
        store.conn(),
        &PersonListQuery {
            active: Some(true),
            page: 1,
            page_size: 20,
            ..Default::default()
        },
    )
    .expect("list");
    assert_eq!(active.total, 0);
    assert!(audit::verify(store.conn()).expect("verify").ok);

    let bad = PersonInput {
        name: String::new(),
        kind: Some(PersonKind::Expert),
        ..Default::default()
    };
    assert_eq!(
        store.create_person(&bad).expect_err("empty").code(),
        ErrorCode::Validation
    );
}

#[test]
fn deleting_or_editing_an_audit_row_is_detected_and_named() {
    let (dir, mut store) = desk();
    for i in 0..4 {
        store
            .create_case(&case_input(&store, &format!("案{i}"), "甲", ""))
            .expect("create");
    }
    assert!(audit::verify(store.conn()).expect("verify").ok);
    drop(store);

    let path = dir.path().join(DB_FILE);
    let conn = Connection::open(&path).expect("raw open");
    conn.execute("DELETE FROM audit_events WHERE seq = 3", [])
        .expect("delete");
    let r = audit::verify(&conn).expect("verify");
    assert!(!r.ok);
    assert_eq!(r.broken_at, Some(3));
    assert!(r.message.contains("第 3 条"), "{}", r.message);

    // Deleting the newest row is caught by the head kept in desk_meta.
    let (_d2, mut s2) = desk();
    s2.create_case(&case_input(&s2, "案", "甲", ""))
        .expect("create");
    s2.conn()
        .execute("DELETE FROM audit_events WHERE seq = 2", [])
        .expect("delete");
    let r = audit::verify(s2.conn()).expect("verify");
    assert_eq!(r.broken_at, Some(2), "{}", r.message);

    // Editing a summary breaks that event's hash.
    let (_d3, mut s3) = desk();
    s3.create_case(&case_input(&s3, "案", "甲", ""))
        .expect("create");
    s3.conn()
        .execute("UPDATE audit_events SET summary = '改过' WHERE seq = 1", [])
        .expect("edit");
    let r = audit::verify(s3.conn()).expect("verify");
    assert_eq!(r.broken_at, Some(1));
}

#[test]
fn a_newer_database_is_refused_without_being_changed() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).expect("raw");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .expect("future schema");
    }
    let hash =
        |p: &std::path::Path| hex::encode(Sha256::digest(std::fs::read(p).unwrap_or_default()));
    let before = hash(&path);
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), ErrorCode::SchemaTooNew);
    let msg = err.to_string();
    assert!(
        msg.contains("99") && msg.contains(&LATEST_VERSION.to_string()),
        "{msg}"
    );
    assert_eq!(hash(&path), before, "the file must not change");
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, "这不是数据库".repeat(1000)).expect("write");
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), ErrorCode::NotADatabase, "{err}");
    assert!(err.to_string().contains("不是听证工作台数据库"));
}

#[test]
fn migrations_are_idempotent_and_reopen_keeps_data_and_device() {
    let dir = tempfile::tempdir().expect("dir");
    let (device, case_id) = {
        let mut s = Store::open_dir(dir.path()).expect("open");
        s.init_desk(&OrgInput {
            parent_id: None,
            name: "西岭县政法委".into(),
            short_name: String::new(),
            kind: OrgKind::Committee,
            code: "XL".into(),
        })
        .expect("init");
        let c = s
            .create_case(&case_input(&s, "案", "甲", ""))
            .expect("case");
        (s.device_id().to_owned(), c.id)
    };
    let s = Store::open_dir(dir.path()).expect("reopen");
    assert_eq!(s.schema_version().expect("v"), LATEST_VERSION);
    assert_eq!(s.device_id(), device);
    assert_eq!(cases::get(s.conn(), &case_id).expect("case").title, "案");
    let mode: String = s
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let fk: i64 = s
        .conn()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .expect("fk");
    assert_eq!(fk, 1);
}

#[test]
fn the_desk_can_be_initialised_once_and_people_need_a_desk_org() {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    assert!(s.is_empty().expect("empty"));
    let p = PersonInput {
        name: "甲".into(),
        kind: Some(PersonKind::Expert),
        ..Default::default()
    };
    assert_eq!(
        s.create_person(&p).expect_err("no desk").code(),
        ErrorCode::Refused
    );
    let org = OrgInput {
        parent_id: None,
        name: "白云旗政法委".into(),
        short_name: String::new(),
        kind: OrgKind::Committee,
        code: "BYQ".into(),
    };
    s.init_desk(&org).expect("init");
    assert_eq!(
        s.init_desk(&org).expect_err("twice").code(),
        ErrorCode::Refused
    );
}

#[test]
fn the_demo_loads_once_and_verifies() {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Store::open_dir(dir.path()).expect("open");
    let summary = s.load_demo().expect("demo");
    assert!(summary.cases >= 28 && summary.persons >= 35, "{summary:?}");
    assert_eq!(count(s.conn(), "cases"), i64::from(summary.cases));
    assert!(s.desk_org_id().expect("org").is_some());
    assert!(audit::verify(s.conn()).expect("verify").ok);
    assert_eq!(s.load_demo().expect_err("twice").code(), ErrorCode::Refused);
    // The dashboard counts agree with the list filters.
    let counts = cases::counts(s.conn()).expect("counts");
    assert_eq!(counts.total, summary.cases);
    let q = |active_only, status| CaseListQuery {
        active_only,
        status,
        page: 1,
        page_size: 200,
        ..Default::default()
    };
    let active = cases::list(s.conn(), &q(Some(true), None)).expect("active");
    assert_eq!(counts.active, active.total);
    let incomplete = active
        .items
        .iter()
        .filter(|c| c.analysis_completeness < 100)
        .count();
    assert_eq!(counts.analysis_incomplete as usize, incomplete);
    for sc in &counts.by_status {
        assert_eq!(
            cases::list(s.conn(), &q(None, Some(sc.status)))
                .expect("by status")
                .total,
            sc.count
        );
    }
    assert_eq!(
        counts.by_status.iter().map(|c| c.count).sum::<u32>(),
        summary.cases
    );
    // Every status of the demo shows in the list filter.
    let all = cases::list(
        s.conn(),
        &CaseListQuery {
            page: 1,
            page_size: 200,
            ..Default::default()
        },
    )
    .expect("list");
    assert_eq!(all.total, summary.cases);
}

#[test]
fn the_register_pages_through_every_order_without_gaps_or_repeats() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_dir(tmp.path()).expect("open");
    store.load_demo().expect("demo");
    let sorts = [
        None,
        Some(CaseSort::RegisteredOn),
        Some(CaseSort::Number),
        Some(CaseSort::UpdatedAt),
        Some(CaseSort::Status),
    ];
    for sort in sorts {
        for dir in [SortDir::Asc, SortDir::Desc] {
            for active_only in [None, Some(true)] {
                let query = |page: u32, page_size: u32| CaseListQuery {
                    sort,
                    dir: Some(dir),
                    active_only,
                    page,
                    page_size,
                    ..Default::default()
                };
                let all = cases::list(store.conn(), &query(1, 100)).expect("all");
                assert!(all.total > 7, "demo cases: {}", all.total);
                assert_eq!(all.items.len() as u32, all.total);
                // The whole list is in the asked order, ties by number.
                let key = |c: &hearing_core::CaseSummary| -> (String, String) {
                    let k = match sort.unwrap_or_default() {
                        CaseSort::RegisteredOn => c.registered_on.clone(),
                        CaseSort::Number => c.number.clone(),
                        CaseSort::UpdatedAt => c.updated_at.clone(),
                        CaseSort::Status => c.status.as_str().to_owned(),
                    };
                    (k, c.number.clone())
                };
                for w in all.items.windows(2) {
                    let (a, b) = (key(&w[0]), key(&w[1]));
                    match dir {
                        SortDir::Asc => assert!(a <= b, "{sort:?} {dir:?}: {a:?} before {b:?}"),
                        SortDir::Desc => assert!(a >= b, "{sort:?} {dir:?}: {a:?} before {b:?}"),
                    }
                }
                // Pages of 7 give the same rows in the same order, each once.
                let mut paged = Vec::new();
                for page in 1.. {
                    let p = cases::list(store.conn(), &query(page, 7)).expect("page");
                    assert_eq!(p.total, all.total);
                    if p.items.is_empty() {
                        break;
                    }
                    assert!(p.items.len() <= 7);
                    paged.extend(p.items.into_iter().map(|c| c.id));
                }
                let whole: Vec<String> = all.items.iter().map(|c| c.id.clone()).collect();
                assert_eq!(paged, whole, "{sort:?} {dir:?} active {active_only:?}");
            }
        }
    }
}
