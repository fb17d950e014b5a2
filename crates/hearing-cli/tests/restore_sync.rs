//! A desk restored from a backup must not sync on under its old device: its change numbers start
//! again where the backup was taken, and the server already holds changes with those numbers
//! from before the restore, which it would take the new ones for. The restored desk is told to
//! enrol again; as a new device it gets back what it lost from the server and its new work and
//! audit chain reach the server.

mod common;

use std::path::Path;

use common::{ctl, ok, text, Server};

fn enroll(desk: &Path, server: &Server, name: &str) {
    let code = server.admin(&["code", "issue", "--org", "east"]);
    ok(
        desk,
        &[
            "enroll",
            "--server",
            &server.base,
            "--code",
            &code,
            "--name",
            name,
        ],
    );
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

fn titles(desk: &Path) -> String {
    ok(desk, &["cases", "list"])
}

#[test]
fn a_restored_desk_syncs_again_only_as_a_new_device_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::city_with_two_counties(tmp.path().join("server"));
    let desk = tmp.path().join("east");
    enroll(&desk, &server, "east");
    create_case(&desk, "备份前登记的信访案");
    ok(&desk, &["sync"]);
    let backup = tmp.path().join("east.hdbackup");
    ok(&desk, &["backup", "--out", backup.to_str().unwrap()]);
    create_case(&desk, "备份后已上报的信访案");
    ok(&desk, &["sync"]);

    let t = ok(&desk, &["restore", backup.to_str().unwrap(), "--replace"]);
    assert!(t.contains("重新注册"), "{t}");
    assert!(!titles(&desk).contains("备份后已上报的信访案"));
    // Syncing is refused, with what to do, until the desk is enrolled again.
    let o = ctl(&desk, &["sync"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("新的注册码"), "{}", text(&o));

    enroll(&desk, &server, "east (restored)");
    create_case(&desk, "恢复后登记的信访案");
    ok(&desk, &["sync"]);
    // What was reported before the restore came back from the server.
    let list = titles(&desk);
    assert!(list.contains("备份后已上报的信访案"), "{list}");

    // Another desk of the county sees all three, each once.
    let other = tmp.path().join("east2");
    enroll(&other, &server, "east2");
    ok(&other, &["sync"]);
    let list = titles(&other);
    for title in [
        "备份前登记的信访案",
        "备份后已上报的信访案",
        "恢复后登记的信访案",
    ] {
        assert_eq!(list.matches(title).count(), 1, "{title}: {list}");
    }
    // The restored desk's audit chain went up whole under its new device (no broken link).
    let status = ok(&desk, &["sync", "status"]);
    assert!(!status.contains("上次错误"), "{status}");
}
