//! A desk made by an older HearingDesk, upgraded and synced with a real server: the schema-14
//! fixture (`fixtures/schema14`, made by `make.sh` with a schema-14 build) is a desk that pushed
//! part of its work, then kept working offline, so its old outbox (`sync_outbox`) still holds
//! seven unpushed changes; beside it, that server's data. Opening it moves both of its logs into
//! the one change log (migration 015). Synced after the upgrade, every change reaches the server
//! exactly once, under the id it was versioned with, and a second desk receives it all.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{new_case, Server};
use hearing_store::Store;
use rusqlite::Connection;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema14");

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("dir");
    std::fs::copy(Path::new(FIXTURE).join(from), to).expect("copy the fixture");
}

fn strings(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect(sql);
    stmt.query_map([], |r| r.get(0))
        .expect(sql)
        .collect::<Result<_, _>>()
        .expect(sql)
}

fn server_ids(server: &Server, device: &str) -> Vec<String> {
    let c = Connection::open(server.data.join("server.db")).expect("server db");
    strings(
        &c,
        &format!("SELECT id FROM changes WHERE device_id = '{device}' ORDER BY seq"),
    )
}

/// The register as a desk shows it, without local ids or times.
fn register(s: &Store) -> Vec<String> {
    strings(
        s.conn(),
        "SELECT c.number || ' ' || c.title || ' ' || c.status || ' ' ||
                (SELECT count(*) FROM hearings h WHERE h.case_id = c.id) || ' ' ||
                (SELECT group_concat(p.name) FROM petitioners p WHERE p.case_id = c.id)
         FROM cases c ORDER BY c.number",
    )
}

#[test]
fn a_schema_14_desk_with_unpushed_changes_loses_none_and_sends_none_twice() {
    let tmp = tempfile::tempdir().expect("dir");
    let desk_dir = tmp.path().join("desk");
    copy("desk.db", &desk_dir.join(hearing_store::DB_FILE));
    copy("server.db", &tmp.path().join("server").join("server.db"));

    // What the old desk had waiting, read as it was written.
    let (device, waiting_ids, issued) = {
        let c = Connection::open(desk_dir.join(hearing_store::DB_FILE)).expect("old desk");
        let version: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, 14, "the fixture is a schema-14 desk");
        let device: String = c
            .query_row("SELECT device FROM sync_state", [], |r| r.get(0))
            .expect("device");
        let ids = strings(
            &c,
            &format!("SELECT '{device}-' || printf('%012d', seq) FROM sync_outbox ORDER BY seq"),
        );
        let issued: i64 = c
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'",
                [],
                |r| r.get(0),
            )
            .expect("outbox seq");
        (device, ids, issued)
    };
    assert_eq!(waiting_ids.len(), 7);

    let mut server = Server::new(tmp.path().join("server"));
    server.start("127.0.0.1:0");
    let pushed_before = server_ids(&server, &device);
    assert_eq!(pushed_before.len() as i64, issued - 7, "{pushed_before:?}");

    // Upgraded: one log, the same seven changes waiting under the same ids.
    let mut a = Store::open_dir(&desk_dir).expect("upgrade");
    assert_eq!(
        a.schema_version().expect("v"),
        hearing_store::LATEST_VERSION
    );
    let old_tables = strings(
        a.conn(),
        "SELECT name FROM sqlite_master
         WHERE name IN ('changes', 'sync_outbox', 'sync_applied') ORDER BY name",
    );
    assert!(old_tables.is_empty(), "{old_tables:?}");
    assert_eq!(a.sync_status().expect("status").waiting, 7);
    let page = a.sync_outbox_page(100).expect("outbox");
    let page_ids: Vec<String> = page.iter().map(|(_, c)| c.id.clone()).collect();
    assert_eq!(page_ids, waiting_ids);
    // The old audit events still name rows of the log.
    let named: Vec<String> = strings(
        a.conn(),
        "SELECT j.value FROM audit_events e, json_each(e.change_ids) j",
    );
    let logged: BTreeSet<String> = strings(a.conn(), "SELECT id FROM change_log")
        .into_iter()
        .collect();
    assert!(!named.is_empty());
    assert!(
        named.iter().all(|id| logged.contains(id)),
        "audit events name changes the log lost"
    );
    assert!(hearing_store::audit::verify(a.conn()).expect("audit").ok);

    // A change made after the upgrade gets an id the old outbox never gave out.
    a.conn()
        .execute(
            "UPDATE desk_meta SET value = ?1 WHERE key = 'sync_server'",
            [&server.base],
        )
        .expect("the server's new address");
    new_case(&mut a, "升级后登记的案件");
    let after: Vec<String> = a
        .sync_outbox_page(100)
        .expect("outbox")
        .into_iter()
        .map(|(_, c)| c.id)
        .collect();
    assert_eq!(after.len(), 9, "{after:?}");
    let taken: BTreeSet<&String> = pushed_before.iter().chain(&waiting_ids).collect();
    for id in &after[7..] {
        assert!(!taken.contains(id), "{id} was given out before the upgrade");
    }

    // Synced: 0 lost, 0 duplicated.
    let out = a.sync_now().expect("sync after the upgrade");
    assert_eq!((out.pushed, out.duplicates), (9, 0), "{out:?}");
    let held = server_ids(&server, &device);
    let expected: Vec<String> = pushed_before.iter().chain(&after).cloned().collect();
    assert_eq!(
        held, expected,
        "the server holds each change once, in order"
    );
    assert_eq!(a.sync_status().expect("status").waiting, 0);
    let again = a.sync_now().expect("second sync");
    assert_eq!((again.pushed, again.duplicates), (0, 0));
    assert_eq!(server_ids(&server, &device).len(), held.len());
    // Acknowledged changes stay in the log.
    let local: i64 = a
        .conn()
        .query_row(
            "SELECT count(*) FROM change_log WHERE local = 1 AND op IN ('upsert', 'delete')",
            [],
            |r| r.get(0),
        )
        .expect("local");
    assert_eq!(local, 9);

    // Another desk of the org receives every record as the upgraded desk has it.
    let code = server.admin(&["code", "issue", "--org", "east"]);
    let mut b = Store::open_dir(&tmp.path().join("b")).expect("desk b");
    b.sync_enroll(&server.base, &code, "b").expect("enrol b");
    b.sync_now().expect("b pulls");
    assert_eq!(register(&b), register(&a));
    assert_eq!(register(&a).len(), 4, "{:?}", register(&a));
    let pulled: i64 = b
        .conn()
        .query_row(
            &format!("SELECT count(*) FROM change_log WHERE local = 0 AND device_id = '{device}'"),
            [],
            |r| r.get(0),
        )
        .expect("pulled");
    assert_eq!(pulled as usize, held.len());
}
