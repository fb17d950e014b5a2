//! `bench-data` writes its rows with plain SQL, not through the store (see the crate's
//! documentation). This test holds that bulk path to the store's: every case it made, with its
//! petitioners, is registered again on an empty desk through `Store::create_case` and its 四明五清
//! through `Store::set_case_analysis` — the paths of the app's forms, with their checks — and the
//! rows the store writes must equal the generator's, column by column: on every case the columns
//! the forms set, and on the cases still at registration every column but the id and the times
//! (so a column a migration adds, filled by the store, must be filled alike by the generator).
//! Each case is registered by a desk of the org that owns it, as on the counties' desks whose
//! cases the generated city desk holds. The person pool is held to `Store::create_person` alike.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use hearing_store::Store;
use rusqlite::types::Value;
use rusqlite::Connection;

type Row = BTreeMap<String, Value>;

fn rows(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Vec<Row> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    stmt.query_map(params, |r| {
        let mut row = Row::new();
        for (i, n) in names.iter().enumerate() {
            row.insert(n.clone(), r.get::<_, Value>(i)?);
        }
        Ok(row)
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn text(row: &Row, col: &str) -> String {
    match row.get(col) {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => panic!("{col}: {other:?}"),
    }
}

/// The generator's case as the registration form would send it.
fn case_input(case: &Row, petitioners: &[Row]) -> serde_json::Value {
    let rulings: serde_json::Value =
        serde_json::from_str(&text(case, "rulings")).expect("rulings are JSON");
    serde_json::json!({
        "number": text(case, "number"),
        "handlingOrganId": text(case, "handling_organ_id"),
        "caseOfficer": text(case, "case_officer"),
        "title": text(case, "title"),
        "category": text(case, "category"),
        "originalCaseNumber": text(case, "original_case_number"),
        "rulings": rulings,
        "demands": text(case, "demands"),
        "background": text(case, "background"),
        "registeredOn": text(case, "registered_on"),
        "petitioners": petitioners.iter().map(|p| serde_json::json!({
            "kind": text(p, "kind"),
            "name": text(p, "name"),
            "idNumber": text(p, "id_number"),
            "phone": text(p, "phone"),
            "address": text(p, "address"),
            "creditCode": text(p, "credit_code"),
            "representative": text(p, "representative"),
        })).collect::<Vec<_>>(),
    })
}

/// The columns a registration and the 四明五清 form write (the rest: the id, the times, and what
/// the store fills in by itself or later steps set, compared on the cases still at registration).
const CASE_COLUMNS: &[&str] = &[
    "historical_facts",
    "problem_nature",
    "handling_principle",
    "petition_demands",
    "responsible_parties",
    "social_relations",
    "crux",
    "existing_replies",
    "errors_and_flaws",
    "analysis_completeness",
    "number",
    "org_id",
    "handling_organ_id",
    "case_officer",
    "title",
    "category",
    "original_case_number",
    "rulings",
    "demands",
    "background",
    "registered_on",
];

/// A small dataset of `cases` cases (200 hold a few still at registration).
fn generate(dir: &Path, cases: u32) {
    let out = Command::new(env!("CARGO_BIN_EXE_bench-data"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--cases", &cases.to_string()])
        .args(["--testimony", "80", "--persons", "60"])
        .output()
        .expect("run bench-data");
    assert!(out.status.success(), "{out:?}");
}

/// An empty desk in `dir`/store holding the org tree of the generated desk in `made` (parents
/// before children).
fn empty_desk_with_orgs_of(dir: &Path, made: &Path) -> Store {
    let store = Store::open_dir(&dir.join("store")).expect("store");
    store
        .conn()
        .execute(
            "ATTACH DATABASE ?1 AS generated",
            [made.join(hearing_store::DB_FILE).display().to_string()],
        )
        .expect("attach");
    store
        .conn()
        .execute_batch(
            "INSERT INTO orgs SELECT * FROM generated.orgs WHERE parent_id IS NULL;
             INSERT INTO orgs SELECT * FROM generated.orgs WHERE parent_id IS NOT NULL
                 AND parent_id IN (SELECT id FROM generated.orgs WHERE parent_id IS NULL);
             INSERT OR IGNORE INTO orgs SELECT * FROM generated.orgs;
             DETACH DATABASE generated;",
        )
        .expect("org tree");
    store
}

#[test]
fn the_generators_cases_are_the_rows_the_store_writes_for_them() {
    let tmp = tempfile::tempdir().expect("dir");
    let made = tmp.path().join("generated");
    generate(&made, 200);
    let generated = Connection::open(made.join(hearing_store::DB_FILE)).expect("db");
    let desk_org: String = generated
        .query_row(
            "SELECT value FROM desk_meta WHERE key = 'org_id'",
            [],
            |r| r.get(0),
        )
        .expect("the generated desk's org");

    // An empty desk of the same org, with the same org tree.
    let mut store = empty_desk_with_orgs_of(tmp.path(), &made);
    store.set_desk_org(&desk_org).expect("desk org");
    assert!(!desk_org.is_empty());

    let cases = rows(
        &generated,
        "SELECT * FROM cases ORDER BY registered_on, id",
        &[],
    );
    assert_eq!(cases.len(), 200);
    let mut compared_petitioners = 0;
    let mut compared_whole = 0;
    for case in &cases {
        let id = text(case, "id");
        let petitioners = rows(
            &generated,
            "SELECT * FROM petitioners WHERE case_id = ?1 ORDER BY seq",
            &[&id],
        );
        // A case is registered by a desk of the org that owns it (the generator's city desk
        // holds every county's cases, as after a first pull).
        store
            .set_desk_org(&text(case, "org_id"))
            .expect("the case's org");
        let input: hearing_core::CaseInput =
            serde_json::from_value(case_input(case, &petitioners)).expect("a CaseInput");
        let again = store
            .create_case(&input)
            .unwrap_or_else(|e| panic!("the store refuses generated case {id}: {e}"));
        // Its 四明五清 analysis as the analysis form saves it.
        let analysis: hearing_core::CaseAnalysis = serde_json::from_value(serde_json::json!({
            "historicalFacts": text(case, "historical_facts"),
            "problemNature": text(case, "problem_nature"),
            "handlingPrinciple": text(case, "handling_principle"),
            "petitionDemands": text(case, "petition_demands"),
            "responsibleParties": text(case, "responsible_parties"),
            "socialRelations": text(case, "social_relations"),
            "crux": text(case, "crux"),
            "existingReplies": text(case, "existing_replies"),
            "errorsAndFlaws": text(case, "errors_and_flaws"),
        }))
        .expect("a CaseAnalysis");
        if analysis != hearing_core::CaseAnalysis::default() {
            store
                .set_case_analysis(&again.id, &analysis)
                .unwrap_or_else(|e| panic!("the store refuses the analysis of case {id}: {e}"));
        }
        let stored = &rows(
            store.conn(),
            "SELECT * FROM cases WHERE id = ?1",
            &[&again.id],
        )[0];
        for col in CASE_COLUMNS {
            assert_eq!(
                stored.get(*col),
                case.get(*col),
                "case {id}: column {col} differs from what the store writes"
            );
        }
        // A case the generator left at registration is compared whole: the state, the empty
        // 四明五清 and every column a migration may add, as the store fills them.
        if text(case, "status") == "registered" {
            for (col, value) in case {
                if ["id", "created_at", "updated_at"].contains(&col.as_str()) {
                    continue;
                }
                assert_eq!(
                    stored.get(col),
                    Some(value),
                    "registered case {id}: column {col} differs from what the store writes"
                );
            }
            compared_whole += 1;
        }
        let stored_petitioners = rows(
            store.conn(),
            "SELECT * FROM petitioners WHERE case_id = ?1 ORDER BY seq",
            &[&again.id],
        );
        assert_eq!(stored_petitioners.len(), petitioners.len(), "case {id}");
        for (s, g) in stored_petitioners.iter().zip(&petitioners) {
            for (col, value) in g {
                if col == "case_id" {
                    continue;
                }
                assert_eq!(
                    s.get(col),
                    Some(value),
                    "case {id}, petitioner {}: column {col} differs from what the store writes",
                    text(g, "seq")
                );
            }
            compared_petitioners += 1;
        }
    }
    assert!(compared_petitioners >= 200);
    assert!(compared_whole >= 1, "no generated case is at registration");
}

#[test]
fn the_generators_person_pool_is_what_the_store_writes_for_it() {
    let tmp = tempfile::tempdir().expect("dir");
    let made = tmp.path().join("generated");
    generate(&made, 40);
    let generated = Connection::open(made.join(hearing_store::DB_FILE)).expect("db");
    let mut store = empty_desk_with_orgs_of(tmp.path(), &made);
    let persons = rows(&generated, "SELECT * FROM persons ORDER BY id", &[]);
    assert_eq!(persons.len(), 60);
    for p in &persons {
        let id = text(p, "id");
        store
            .set_desk_org(&text(p, "org_id"))
            .expect("the person's org");
        let input: hearing_core::PersonInput = serde_json::from_value(serde_json::json!({
            "name": text(p, "name"),
            "kind": text(p, "kind"),
            "level": match p.get("level") { Some(Value::Text(l)) => serde_json::json!(l), _ => serde_json::Value::Null },
            "unit": text(p, "unit"),
            "title": text(p, "title"),
            "phone": text(p, "phone"),
            "idNumber": text(p, "id_number"),
            "licenceNo": text(p, "licence_no"),
            "lawFirm": text(p, "law_firm"),
            "expertise": text(p, "expertise"),
            "termStart": text(p, "term_start"),
            "termEnd": text(p, "term_end"),
            "note": text(p, "note"),
        }))
        .expect("a PersonInput");
        let again = store
            .create_person(&input)
            .unwrap_or_else(|e| panic!("the store refuses generated person {id}: {e}"));
        // Some of the pool no longer serve: taken off the way the app does it.
        if p.get("active") == Some(&Value::Integer(0)) {
            store
                .set_person_active(&again.id, false)
                .expect("deactivate");
        }
        let stored = &rows(
            store.conn(),
            "SELECT * FROM persons WHERE id = ?1",
            &[&again.id],
        )[0];
        for (col, value) in p {
            if ["id", "created_at", "updated_at"].contains(&col.as_str()) {
                continue;
            }
            assert_eq!(
                stored.get(col),
                Some(value),
                "person {id}: column {col} differs from what the store writes"
            );
        }
    }
}
