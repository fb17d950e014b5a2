//! The benchmark dataset generator (`bench-data`, crate hearing-benchdata) at a small size makes a
//! database that hearingctl and the store read as their own: the counts
//! asked for, the case list, the audit chain, SQLite's integrity check, an empty sync outbox, the
//! search index (a generated testimony phrase is found), signed transcripts whose hash holds,
//! valid ID numbers; statistics and warnings run on it; the same seed gives the same data; a
//! directory that is not empty is refused.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{ctl, ok, text};
use hearing_core::testimony::TestimonyInput;
use hearing_core::ParticipantRole;
use hearing_store::search::{SearchKind, SearchQuery};
use hearing_store::stats::StatsFilter;
use hearing_store::Store;
use rusqlite::Connection;

const SIZE: [&str; 8] = [
    "--cases",
    "300",
    "--testimony",
    "3000",
    "--persons",
    "120",
    "--seed",
    "42",
];

/// The generator's command line, as the `bench-data` binary takes it.
#[derive(clap::Parser)]
struct Generator {
    #[command(flatten)]
    args: hearing_benchdata::BenchDataArgs,
}

fn generate_args(dir: &Path, size: &[&str]) -> anyhow::Result<()> {
    let g = <Generator as clap::Parser>::try_parse_from(
        std::iter::once("bench-data").chain(size.iter().copied()),
    )?;
    hearing_benchdata::run(dir, &g.args)
}

fn generate(dir: &Path, size: &[&str]) {
    if let Err(e) = generate_args(dir, size) {
        panic!("bench-data {size:?}: {e:#}");
    }
}

fn db(dir: &Path) -> Connection {
    Connection::open(dir.join(hearing_store::DB_FILE)).expect("open the database")
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// Everything but the desk's own identity (device id, the record of the run's time).
fn content(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT id || number || title || status || registered_on || demands || background FROM cases ORDER BY id",
        "SELECT case_id || seq || name || coalesce(id_number, '') || address FROM petitioners ORDER BY case_id, seq",
        "SELECT id || hearing_id || seq || speaker_name || text || created_at FROM testimony ORDER BY id",
        "SELECT id || status || coalesce(transcript_hash, '') FROM hearings ORDER BY id",
        "SELECT id || vote || reasons FROM opinions ORDER BY id",
        "SELECT id || deadline || status FROM supervision_slips ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).expect(sql);
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect(sql)
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect(sql);
        out.extend(rows);
    }
    out
}

#[test]
fn bench_data_makes_a_database_the_app_reads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("desk");

    generate(&dir, &SIZE);

    // The counts asked for, and the rest of a realistic register.
    let conn = db(&dir);
    assert_eq!(count(&conn, "SELECT count(*) FROM cases"), 300);
    assert_eq!(count(&conn, "SELECT count(*) FROM testimony"), 3000);
    assert_eq!(count(&conn, "SELECT count(*) FROM persons"), 120);
    assert_eq!(count(&conn, "SELECT count(*) FROM orgs"), 55);
    assert!(count(&conn, "SELECT count(*) FROM petitioners") >= 300);
    assert!(count(&conn, "SELECT count(*) FROM hearings") > 50);
    assert!(count(&conn, "SELECT count(*) FROM opinions") > 50);
    assert!(count(&conn, "SELECT count(*) FROM supervision_slips") > 30);
    assert!(count(&conn, "SELECT count(DISTINCT status) FROM cases") >= 8);
    let active = count(
        &conn,
        "SELECT count(*) FROM cases WHERE status IN ('registered', 'underReview', \
         'proposedClosure', 'hearing', 'closureApproval', 'reopened')",
    );
    assert!(active > 5 && active < 100, "{active} active cases of 300");
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM hearings WHERE status = 'inSession'"
        ) >= 1
    );
    // Testimony entries are 20–200 characters.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM testimony WHERE length(text) < 20 OR length(text) > 200"
        ),
        0
    );

    // As if it had arrived by sync: nothing to push, the triggers on again, no local history.
    assert_eq!(count(&conn, "SELECT count(*) FROM change_log"), 0);
    assert_eq!(count(&conn, "SELECT applying FROM sync_state"), 0);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    // Every ID number is valid; the search index holds every record.
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let mut stmt = conn
        .prepare("SELECT id_number FROM petitioners WHERE id_number IS NOT NULL")
        .expect("ids");
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("ids")
        .collect::<rusqlite::Result<_>>()
        .expect("ids");
    assert!(ids.len() > 200);
    for id in &ids {
        assert!(
            hearing_core::validate::resident_id(id, today).is_ok(),
            "invalid ID number {id}"
        );
    }
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM search_docs WHERE kind = 'testimony'"
        ),
        3000
    );
    drop(stmt);

    // The CLI reads it.
    let list = ok(&dir, &["cases", "list", "--page-size", "5"]);
    assert!(list.contains("共 300 件"), "{list}");
    let verify = ctl(&dir, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));

    // The store reads it: signed transcripts hash as stored, search finds a generated phrase,
    // statistics and warnings run.
    let mut store = Store::open_dir(&dir).expect("open the store");
    let mut stmt = conn
        .prepare("SELECT id, transcript_hash FROM hearings WHERE transcript_hash IS NOT NULL")
        .expect("signed");
    let signed: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("signed")
        .collect::<rusqlite::Result<_>>()
        .expect("signed");
    assert!(signed.len() > 20);
    for (id, hash) in &signed {
        assert_eq!(
            &hearing_store::hearings::transcript_hash(store.conn(), id).expect("hash"),
            hash,
            "transcript of hearing {id}"
        );
    }
    let (entry_id, entry_text): (String, String) = conn
        .query_row(
            "SELECT id, text FROM testimony WHERE supersedes IS NULL AND length(text) >= 40
             ORDER BY id LIMIT 1 OFFSET 1234",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an entry");
    let phrase: String = entry_text.chars().skip(4).take(12).collect();
    let found = store
        .search(&SearchQuery {
            text: phrase.clone(),
            kinds: vec![SearchKind::Testimony],
            limit: 100,
            ..Default::default()
        })
        .expect("search");
    assert!(found.total >= 1, "nothing found for “{phrase}”");
    assert!(
        found.items.iter().any(|h| h.id == entry_id) || found.total > 100,
        "“{phrase}” did not find entry {entry_id}"
    );
    let cli = ok(&dir, &["search", &phrase]);
    assert!(cli.contains(&phrase) || cli.contains("条"), "{cli}");
    let s = store
        .statistics(&StatsFilter {
            today: Some("2026-11-27".into()),
            ..Default::default()
        })
        .expect("statistics");
    assert!(s.summary.cases > 0 && s.summary.hearings_held > 0);
    let warnings = store.warnings(today).expect("warnings");
    assert!(!warnings.is_empty());

    // A desk write afterwards is recorded for sync as usual.
    let hearing: String = conn
        .query_row(
            "SELECT id FROM hearings WHERE status = 'inSession' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a hearing in session");
    store
        .add_testimony(
            &hearing,
            &TestimonyInput {
                step_key: "panelQuestions".into(),
                speaker_role: ParticipantRole::Panelist,
                speaker_name: "听证员".into(),
                text: "请信访人说明借款的交付方式。".into(),
            },
        )
        .expect("add an entry");
    assert!(count(&conn, "SELECT count(*) FROM change_log WHERE local = 1") >= 1);
    let verify = ctl(&dir, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    drop(store);

    // A directory that is not empty is refused, in Chinese.
    let again = generate_args(&dir, &["--cases", "10", "--testimony", "10"])
        .expect_err("a directory that is not empty");
    assert!(format!("{again:#}").contains("不是空的"), "{again:#}");
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let small = [
        "--cases",
        "120",
        "--testimony",
        "800",
        "--persons",
        "60",
        "--seed",
        "7",
    ];
    generate(&a, &small);
    generate(&b, &small);
    let (ca, cb) = (content(&db(&a)), content(&db(&b)));
    assert!(ca.len() > 1000);
    assert!(ca == cb, "two runs with seed 7 differ");
}
