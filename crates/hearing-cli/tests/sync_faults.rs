//! Sync under faults, with a real `hearing-server` and real desks: the connection drops after the
//! server has taken a page but before the desk hears the answer (a loopback proxy cuts it), and a
//! desk whose clock runs a day ahead.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{new_case, Server};
use hearing_core::CaseAnalysis;
use hearing_store::Store;

/// A TCP proxy on loopback. While `cut` is above zero, each connection forwards the request to
/// the server, waits for the first bytes of the answer, then closes both sides without passing
/// the answer on (and decrements `cut`).
struct Proxy {
    base: String,
    cut: Arc<AtomicUsize>,
}

fn pump(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let cut = Arc::new(AtomicUsize::new(0));
        let cut2 = cut.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let cutting = cut2
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                let (c2, s2) = match (client.try_clone(), server.try_clone()) {
                    (Ok(c), Ok(s)) => (c, s),
                    _ => continue,
                };
                std::thread::spawn(move || pump(c2, s2));
                if cutting {
                    std::thread::spawn(move || {
                        let mut server = server;
                        let mut first = [0u8; 1];
                        let _ = server.set_read_timeout(Some(Duration::from_secs(10)));
                        let _ = server.read(&mut first);
                        let _ = client.shutdown(Shutdown::Both);
                        let _ = server.shutdown(Shutdown::Both);
                    });
                } else {
                    std::thread::spawn(move || pump(server, client));
                }
            }
        });
        Proxy { base, cut }
    }
}

fn setup(tmp: &std::path::Path) -> Server {
    let mut server = Server::new(tmp.join("server"));
    server.admin(&[
        "org",
        "add",
        "--id",
        "east",
        "--name",
        "东河区委政法委",
        "--kind",
        "committee",
        "--code",
        "DHQ",
    ]);
    server.start("127.0.0.1:0");
    server
}

fn desk(server: &Server, tmp: &std::path::Path, name: &str, url: &str) -> Store {
    let mut s = Store::open_dir(&tmp.join(name)).expect("desk");
    let code = server.admin(&["code", "issue", "--org", "east"]);
    s.sync_enroll(url, &code, name).expect("enroll");
    s
}

fn server_changes(server: &Server) -> (i64, i64) {
    let c = rusqlite::Connection::open(server.data.join("server.db")).expect("db");
    c.query_row(
        "SELECT count(*), count(DISTINCT id) FROM changes",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("count")
}

fn analysis(s: &Store, id: &str) -> CaseAnalysis {
    hearing_store::cases::get(s.conn(), id)
        .expect("case")
        .analysis
}

#[test]
fn a_push_whose_answer_is_lost_is_sent_again_and_stored_once() {
    let tmp = tempfile::tempdir().expect("dir");
    let server = setup(tmp.path());
    let proxy = Proxy::start(&server.base);
    let mut a = desk(&server, tmp.path(), "a", &proxy.base);
    let mut b = desk(&server, tmp.path(), "b", &server.base);
    for i in 0..30 {
        new_case(&mut a, &format!("掉线测试案{i}"));
    }
    let waiting = a.sync_status().expect("status").waiting;
    assert!(waiting >= 30);

    // The server takes the page; the answer never arrives.
    proxy.cut.store(1, Ordering::SeqCst);
    let err = a.sync_now().expect_err("the answer was cut");
    assert_eq!(err.code(), hearing_store::ErrorCode::Offline, "{err}");
    let (held, _) = server_changes(&server);
    assert!(
        held >= waiting as i64,
        "the server stored the page before the cut: {held}"
    );
    // Nothing was forgotten locally.
    assert_eq!(a.sync_status().expect("status").waiting, waiting);

    // Next run sends it again: the server reports duplicates and stores nothing twice.
    let out = a.sync_now().expect("sync after the drop");
    assert_eq!(out.duplicates as usize, waiting as usize, "{out:?}");
    assert_eq!(out.pushed, 0);
    let (held2, distinct) = server_changes(&server);
    assert_eq!(held2, held);
    assert_eq!(held2, distinct);

    // A pull whose answer is lost is repeated from the stored cursor.
    b.sync_now().expect("b pulls");
    new_case(&mut b, "对方新登记的案件");
    b.sync_now().expect("b pushes");
    proxy.cut.store(1, Ordering::SeqCst);
    assert!(a.sync_now().is_err());
    a.sync_now().expect("a pulls again");
    let titles = |s: &Store| -> Vec<String> {
        let mut stmt = s
            .conn()
            .prepare("SELECT title FROM cases ORDER BY title")
            .expect("sql");
        stmt.query_map([], |r| r.get(0))
            .expect("q")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    assert_eq!(titles(&a), titles(&b));
    assert_eq!(titles(&a).len(), 31);
}

#[test]
fn a_desk_a_day_ahead_converges_and_causal_edits_still_win() {
    let tmp = tempfile::tempdir().expect("dir");
    let server = setup(tmp.path());
    let mut a = desk(&server, tmp.path(), "a", &server.base);
    let mut b = desk(&server, tmp.path(), "b", &server.base);
    let id = new_case(&mut a, "时钟测试案");
    a.sync_now().expect("a");
    b.sync_now().expect("b");

    // B's clock runs a day ahead: its hybrid clock starts there (it never goes back).
    let ahead = format!(
        "{:013}-00000",
        chrono::Utc::now().timestamp_millis() + 86_400_000
    );
    b.conn()
        .execute("UPDATE sync_state SET hlc = ?1", [ahead])
        .expect("skew");

    // Offline edits on both desks, of the same field and of different ones.
    let mut on_b = analysis(&b, &id);
    on_b.crux = "B（快一天）的争议焦点".into();
    on_b.social_relations = "B 的社会关系".into();
    b.set_case_analysis(&id, &on_b).expect("b edits");
    let mut on_a = analysis(&a, &id);
    on_a.crux = "A 的争议焦点".into();
    on_a.problem_nature = "A 的定性".into();
    a.set_case_analysis(&id, &on_a).expect("a edits");
    a.sync_now().expect("a pushes");
    b.sync_now().expect("b pushes and pulls");
    a.sync_now().expect("a pulls");
    let (x, y) = (analysis(&a, &id), analysis(&b, &id));
    assert_eq!(x, y, "identical after sync");
    // Concurrent edits of one field: the later hybrid time wins — B's, a day ahead.
    assert_eq!(x.crux, "B（快一天）的争议焦点");
    assert_eq!(x.problem_nature, "A 的定性");
    assert_eq!(x.social_relations, "B 的社会关系");

    // A has now heard from B: its clock moved past B's, so A's next edit wins everywhere.
    let mut again = analysis(&a, &id);
    again.crux = "A 看到 B 的修改之后再改".into();
    a.set_case_analysis(&id, &again)
        .expect("a edits after hearing b");
    a.sync_now().expect("a");
    b.sync_now().expect("b");
    assert_eq!(analysis(&b, &id).crux, "A 看到 B 的修改之后再改");
    assert_eq!(analysis(&a, &id), analysis(&b, &id));
}
