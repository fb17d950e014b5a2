//! Sync end to end: a real `hearing-server` process on loopback and several desks, each a real
//! data directory driven through `hearingctl` — enrolment, push and pull, org scoping (a county
//! sees only itself, the city sees every county), offline edits on two desks converging, a
//! server killed and restarted, and a wrong token refused with a clear message.

mod common;

use std::path::Path;

use common::{ctl, ok, text, Server};

fn cases(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = ok(dir, &["cases", "list"])
        .lines()
        .filter(|l| l.contains('\t'))
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

#[test]
fn desks_sync_through_a_real_server_within_their_orgs() {
    let tmp = tempfile::tempdir().expect("dir");
    let mut server = Server::city_with_two_counties(tmp.path().join("server"));
    let url = server.base.clone();

    let desk = |server: &Server, name: &str, org: &str| {
        let dir = tmp.path().join(name);
        let code = server.admin(&["code", "issue", "--org", org]);
        let out = ok(
            &dir,
            &["enroll", "--server", &url, "--code", &code, "--name", name],
        );
        assert!(out.contains("已注册"), "{out}");
        // A code works once.
        let again = ctl(
            &tmp.path().join(format!("{name}-again")),
            &["enroll", "--server", &url, "--code", &code],
        );
        assert!(!again.status.success());
        assert!(text(&again).contains("注册码"), "{}", text(&again));
        dir
    };
    let east1 = desk(&server, "east1", "east");
    let east2 = desk(&server, "east2", "east");
    let west = desk(&server, "west", "west");
    let city = desk(&server, "city", "city");

    // Offline work on two desks of the east county and one in the west.
    ok(
        &east1,
        &[
            "cases",
            "create",
            "--title",
            "甲不服借款纠纷判决信访案",
            "--petitioner",
            "王甲",
            "--demands",
            "再审",
        ],
    );
    ok(
        &west,
        &[
            "cases",
            "create",
            "--title",
            "乙不服行政处罚信访案",
            "--petitioner",
            "李乙",
            "--demands",
            "撤销处罚",
        ],
    );
    let out = ok(&east1, &["sync", "--server", &url]);
    assert!(out.contains("同步完成"), "{out}");
    ok(&west, &["sync"]);
    ok(&east2, &["sync"]);
    assert_eq!(cases(&east2), cases(&east1), "east2 holds what east1 made");
    assert_eq!(cases(&east1).len(), 1);

    // Both east desks edit while offline, then converge.
    ok(
        &east2,
        &[
            "cases",
            "create",
            "--title",
            "丙不服拆迁补偿信访案",
            "--petitioner",
            "赵丙",
            "--demands",
            "补偿",
        ],
    );
    ok(&east2, &["sync"]);
    ok(&east1, &["sync"]);
    assert_eq!(cases(&east1), cases(&east2));
    assert_eq!(cases(&east1).len(), 2);

    // Scoping: the west county sees only itself; the city sees every county.
    ok(&west, &["sync"]);
    let w = cases(&west);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("乙不服行政处罚"));
    ok(&city, &["sync"]);
    let c = cases(&city);
    assert_eq!(c.len(), 3, "{c:?}");
    // The city reads the counties' cases but cannot change them; the county still can.
    let number = c
        .iter()
        .find(|l| l.contains("乙不服行政处罚"))
        .and_then(|l| l.split('\t').next())
        .expect("the west case")
        .trim()
        .to_owned();
    let o = ctl(
        &city,
        &[
            "cases",
            "action",
            "--case",
            &number,
            "--action",
            "startReview",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("只能查看"), "{}", text(&o));
    assert_eq!(ctl(&city, &["sync"]).status.code(), Some(0));
    ok(
        &west,
        &[
            "cases",
            "action",
            "--case",
            &number,
            "--action",
            "startReview",
        ],
    );

    // The server is killed (SIGKILL) and restarted on the same data: nothing acknowledged is lost.
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    server.kill9();
    let out = ctl(&east1, &["sync"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("无法连接同步服务器"), "{}", text(&out));
    assert!(ok(&east1, &["sync", "status"]).contains("上次错误"));
    server.start(&addr);
    let fresh = desk(&server, "city2", "city");
    ok(&fresh, &["sync"]);
    assert_eq!(cases(&fresh), cases(&city));
    ok(&east1, &["sync"]);
    assert!(!ok(&east1, &["sync", "status"]).contains("上次错误"));

    // A wrong token is refused with a message, and nothing local is lost.
    let db = east1.join("hearingdesk.db");
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.execute(
        "UPDATE desk_meta SET value = 'wrong' WHERE key = 'sync_token'",
        [],
    )
    .expect("token");
    drop(conn);
    let before = cases(&east1);
    let out = ctl(&east1, &["sync"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("401"), "{}", text(&out));
    assert_eq!(cases(&east1), before);
}

/// `hearingctl enroll` checks the form as the app does, before asking any server: an address
/// without http:// and an empty code are refused, each named, and the desk stays unenrolled.
#[test]
fn enroll_refuses_what_the_app_refuses() {
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("desk");
    let out = ctl(
        &dir,
        &[
            "enroll",
            "--server",
            "sync.example.cn",
            "--code",
            " ",
            "--name",
            "东河区",
        ],
    );
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains("服务器地址应以 http:// 或 https:// 开头"),
        "{said}"
    );
    assert!(said.contains("请输入市委政法委发放的注册码"), "{said}");
    assert!(ok(&dir, &["sync", "status"]).contains("（未注册）"));
}
