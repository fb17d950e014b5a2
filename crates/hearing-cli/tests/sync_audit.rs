//! Each desk's audit chain goes to the server with its changes, and the server checks every link:
//! a desk whose not-yet-reported audit record was altered is refused, with the link named, and
//! the server keeps only the honest part of the chain.

mod common;

use std::path::Path;

use common::{ctl, ok, text, Server};

fn server_audit_rows(server_data: &Path) -> i64 {
    let conn = rusqlite::Connection::open(server_data.join("server.db")).unwrap();
    conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0))
        .unwrap()
}

fn desk_audit_rows(desk: &Path) -> i64 {
    let conn = rusqlite::Connection::open(desk.join("hearingdesk.db")).unwrap();
    conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0))
        .unwrap()
}

fn create_case(desk: &Path, title: &str) {
    ok(
        desk,
        &[
            "cases",
            "create",
            "--title",
            title,
            "--petitioner",
            "王甲",
            "--demands",
            "再审",
        ],
    );
}

#[test]
fn the_server_checks_each_desks_audit_chain_on_receipt() {
    let tmp = tempfile::tempdir().unwrap();
    let server_data = tmp.path().join("server");
    let server = Server::city_with_two_counties(server_data.clone());
    let desk = tmp.path().join("east");
    let code = server.admin(&["code", "issue", "--org", "east"]);
    ok(
        &desk,
        &[
            "enroll",
            "--server",
            &server.base,
            "--code",
            &code,
            "--name",
            "east",
        ],
    );
    create_case(&desk, "甲不服借款纠纷判决信访案");
    create_case(&desk, "乙不服行政处罚信访案");
    ok(&desk, &["sync"]);
    let held = desk_audit_rows(&desk);
    assert!(held >= 2, "{held}");
    assert_eq!(server_audit_rows(&server_data), held);
    // Syncing again sends nothing twice.
    ok(&desk, &["sync"]);
    assert_eq!(server_audit_rows(&server_data), held);

    // Someone edits the newest audit record in the file before it is reported.
    create_case(&desk, "丙不服刑事判决信访案");
    {
        let conn = rusqlite::Connection::open(desk.join("hearingdesk.db")).unwrap();
        conn.execute(
            "UPDATE audit_events SET summary = '无关紧要的操作'
             WHERE seq = (SELECT max(seq) FROM audit_events)",
            [],
        )
        .unwrap();
    }
    let o = ctl(&desk, &["sync"]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(
        t.contains("审计链在第") && t.contains(&format!("第 {} 条", held + 1)),
        "{t}"
    );
    assert_eq!(server_audit_rows(&server_data), held);
    // The desk's own check agrees.
    let v = ctl(&desk, &["audit", "verify"]);
    assert!(!v.status.success(), "{}", text(&v));
}
