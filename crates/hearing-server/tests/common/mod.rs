//! The harness of the suites: a fresh store per backend ([`Backend`]), a real `hearing-server`
//! process on loopback over it, the admin CLI on the same store, and desks talking to it with ureq.
//!
//! The suites are written once against [`Backend`]; every test runs per backend (the
//! `backend_tests!` macro in `http.rs`, `store_tests!` in `storage.rs`):
//! - SQLite: a temporary data directory;
//! - PostgreSQL: a fresh database (`CREATE DATABASE` with a unique name, dropped at the end) on the
//!   server `HEARING_TEST_POSTGRES` names, e.g. `postgres://hearing@127.0.0.1:54329/postgres`
//!   (`scripts/test-postgres.sh` starts a throwaway one). Without it the PostgreSQL tests are
//!   skipped with a note, and fail under `CI=true` so CI cannot skip them silently.

#![allow(dead_code)]

mod pg_url;
use pg_url::with_dbname;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hearing_server::storage::Storage;
use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_hearing-server");
pub const POSTGRES_ENV: &str = "HEARING_TEST_POSTGRES";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server to test against: `None` (after a note on stderr, once) when
/// `HEARING_TEST_POSTGRES` is not set; a panic instead under `CI=true`.
pub fn postgres_server() -> Option<String> {
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
        _ => {
            static NOTE: std::sync::Once = std::sync::Once::new();
            NOTE.call_once(|| {
                hearing_testkit::skip(format!(
                    "{POSTGRES_ENV} is not set, the PostgreSQL tests do not run \
                     (scripts/test-postgres.sh starts a throwaway server and sets it)"
                ));
            });
            None
        }
    }
}

/// Whether a backend's tests can run here (see [`postgres_server`]).
pub fn available(kind: BackendKind) -> bool {
    match kind {
        BackendKind::Sqlite => true,
        BackendKind::Postgres => postgres_server().is_some(),
    }
}

/// Runs SQL on a PostgreSQL server from any context (also inside a tokio runtime): on its own
/// thread with its own runtime.
fn pg_run<T: Send + 'static>(
    url: &str,
    f: impl FnOnce(
            tokio_postgres::Client,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>
        + Send
        + 'static,
) -> T {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("cannot connect to {url}: {e:?}"));
            let task = tokio::spawn(conn);
            let out = f(client).await;
            let _ = task.await;
            out
        })
    })
    .join()
    .unwrap()
}

/// A fresh PostgreSQL database, dropped (with its connections) when the value is.
pub struct TestDatabase {
    pub url: String,
    pub name: String,
    server: String,
}

static DATABASE_COUNT: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    pub fn create(server: &str) -> TestDatabase {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "hearing_test_{}_{}_{nanos}",
            std::process::id(),
            DATABASE_COUNT.fetch_add(1, Ordering::SeqCst)
        );
        let sql = format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0");
        pg_run(server, move |c| {
            Box::pin(async move {
                c.batch_execute(&sql)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            })
        });
        TestDatabase {
            url: with_dbname(server, &name),
            name,
            server: server.to_owned(),
        }
    }

    /// Runs SQL in this database and returns the first column of every row as text.
    pub fn query_text(&self, sql: &str) -> Vec<String> {
        let sql = sql.to_owned();
        pg_run(&self.url, move |c| {
            Box::pin(async move {
                c.simple_query(&sql)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
                    .into_iter()
                    .filter_map(|m| match m {
                        tokio_postgres::SimpleQueryMessage::Row(r) => {
                            Some(r.get(0).unwrap_or_default().to_owned())
                        }
                        _ => None,
                    })
                    .collect()
            })
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let server = self.server.clone();
        // Never panic in drop (a failing test is already unwinding); say what was left.
        let done = std::panic::catch_unwind(move || {
            pg_run(&server, move |c| {
                Box::pin(async move { c.batch_execute(&sql).await.map_err(|e| format!("{e:?}")) })
            })
        });
        if !matches!(done, Ok(Ok(()))) {
            let _ = writeln!(
                std::io::stderr(),
                "warning: test database {} was not dropped",
                self.name
            );
        }
    }
}

/// One fresh store of a backend, alive as long as the value.
pub struct Backend {
    pub kind: BackendKind,
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database of a `Postgres` backend.
    pub database: Option<TestDatabase>,
}

impl Backend {
    /// A fresh store; for PostgreSQL, call [`available`] first.
    pub fn new(kind: BackendKind) -> Backend {
        let database = match kind {
            BackendKind::Sqlite => None,
            BackendKind::Postgres => Some(TestDatabase::create(
                &postgres_server().expect("HEARING_TEST_POSTGRES is not set"),
            )),
        };
        Backend {
            kind,
            dir: tempfile::tempdir().unwrap(),
            database,
        }
    }

    /// The arguments that point the binary at this store: the data directory (the SQLite file
    /// and blobs, or only blobs), and the database for PostgreSQL.
    pub fn store_args(&self) -> Vec<String> {
        let mut args = vec!["--data".into(), self.data_dir().display().to_string()];
        if let Some(db) = &self.database {
            args.extend(["--database".into(), db.url.clone()]);
        }
        args
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Opens this store in-process (a new instance each time, as another process would).
    pub async fn open_store(&self) -> Arc<dyn Storage> {
        hearing_server::open_store(
            Some(&self.data_dir()),
            self.database.as_ref().map(|d| d.url.as_str()),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot open the {:?} store: {e}", self.kind))
    }

    /// Marks the store as written by a server of schema version `v`.
    pub fn set_schema_version(&self, v: i64) {
        match &self.database {
            None => {
                let conn = rusqlite::Connection::open(self.data_dir().join("server.db")).unwrap();
                conn.pragma_update(None, "user_version", v).unwrap();
            }
            Some(db) => {
                db.query_text(&format!("UPDATE hearing_schema SET version = {v}"));
            }
        }
    }

    /// Runs SQL (without results) on the store's database.
    pub fn execute_sql(&self, sql: &str) {
        match &self.database {
            None => {
                let conn = rusqlite::Connection::open(self.data_dir().join("server.db")).unwrap();
                conn.execute_batch(sql)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            Some(db) => {
                db.query_text(sql);
            }
        }
    }

    /// Everything the store holds apart from blobs, as bytes to search (the SQLite files, or a
    /// text dump of every row of the PostgreSQL tables).
    pub fn stored_bytes(&self) -> Vec<u8> {
        match &self.database {
            None => {
                let mut out = Vec::new();
                for f in ["server.db", "server.db-wal"] {
                    out.extend(std::fs::read(self.data_dir().join(f)).unwrap_or_default());
                }
                out
            }
            Some(db) => db
                .query_text(
                    "SELECT t::text FROM orgs t UNION ALL SELECT t::text FROM codes t
                     UNION ALL SELECT t::text FROM devices t UNION ALL SELECT t::text FROM changes t",
                )
                .join("\n")
                .into_bytes(),
        }
    }
}

/// A running server process.
pub struct Server {
    pub child: Child,
    pub base: String,
    _stdout: BufReader<ChildStdout>,
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static SERVER_COUNT: AtomicU32 = AtomicU32::new(0);

/// A test's world: a store, the server on it, an HTTP agent.
pub struct Env {
    /// Declared first so the server stops before its store goes.
    pub server: Option<Server>,
    pub backend: Backend,
    pub agent: ureq::Agent,
}

pub struct Resp {
    pub status: u16,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }
    /// The protocol error code of an error answer (and checks the shape of ErrorBody).
    pub fn error_code(&self) -> String {
        let v = self.json();
        let e: hearing_sync::ErrorBody =
            serde_json::from_value(v.clone()).unwrap_or_else(|_| panic!("not an ErrorBody: {v}"));
        assert!(!e.error.message.is_empty());
        e.error.code
    }
    pub fn message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build()
}

pub fn send(req: ureq::Request, body: Option<&[u8]>) -> Resp {
    let result = match body {
        Some(b) => req.send_bytes(b),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = resp.status();
    let headers = resp
        .headers_names()
        .into_iter()
        .filter_map(|n| resp.header(&n).map(|v| (n.clone(), v.to_owned())))
        .collect();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut body).unwrap();
    Resp {
        status,
        body,
        headers,
    }
}

impl Env {
    /// A store with the orgs city → county A (→ organ a1, a2), county B, and a server on it.
    pub fn new(kind: BackendKind) -> Env {
        let mut env = Env {
            backend: Backend::new(kind),
            server: None,
            agent: agent(),
        };
        env.admin_ok(&[
            "org",
            "add",
            "--id",
            "org-city",
            "--name",
            "某市信访工作联席会议",
            "--kind",
            "committee",
        ]);
        let file = env.backend.dir.path().join("orgs.json");
        std::fs::write(
            &file,
            json!([
                {"id": "org-a1", "parentId": "org-a", "name": "甲县人民法院", "kind": "court"},
                {"id": "org-a", "parentId": "org-city", "name": "甲县", "shortName": "甲", "kind": "committee"},
                {"id": "org-b", "parentId": "org-city", "name": "乙县", "kind": "committee"},
            ])
            .to_string(),
        )
        .unwrap();
        env.admin_ok(&["org", "import", file.to_str().unwrap()]);
        env.start();
        env
    }

    /// Runs an admin command on the store.
    pub fn admin(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(self.backend.store_args())
            .args(args)
            .output()
            .unwrap()
    }

    pub fn admin_ok(&self, args: &[&str]) -> String {
        let out = self.admin(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Starts the server (plain HTTP on a free loopback port) and waits for its first line.
    pub fn start(&mut self) {
        self.start_with(&[]);
    }

    pub fn start_with(&mut self, extra: &[&str]) {
        assert!(self.server.is_none(), "server already running");
        let n = SERVER_COUNT.fetch_add(1, Ordering::SeqCst);
        let log = self.backend.dir.path().join(format!("server-{n}.log"));
        let mut child = Command::new(BIN)
            .args(self.backend.store_args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let base = line
            .split_whitespace()
            .last()
            .filter(|u| u.starts_with("http"))
            .unwrap_or_else(|| {
                panic!(
                    "server did not start: {line:?}\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        self.server = Some(Server {
            child,
            base,
            _stdout: stdout,
            log,
        });
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill9(&mut self) {
        if let Some(mut s) = self.server.take() {
            s.child.kill().unwrap();
            s.child.wait().unwrap();
        }
    }

    pub fn base(&self) -> &str {
        &self.server.as_ref().expect("server not running").base
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    pub fn get(&self, path: &str) -> ureq::Request {
        self.agent
            .get(&self.url(path))
            .set("X-Hearing-Protocol", "1")
    }

    pub fn post(&self, path: &str) -> ureq::Request {
        self.agent
            .post(&self.url(path))
            .set("X-Hearing-Protocol", "1")
            .set("Content-Type", "application/json")
    }

    pub fn health_ok(&self) {
        let r = send(self.agent.get(&self.url("/v1/health")), None);
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["status"], "ok");
    }

    pub fn issue_code(&self, org: &str) -> String {
        self.admin_ok(&["code", "issue", "--org", org])
            .trim()
            .to_owned()
    }

    pub fn enroll_raw(&self, code: &str, name: &str) -> Resp {
        send(
            self.post("/v1/enroll"),
            Some(
                json!({"code": code, "deviceName": name})
                    .to_string()
                    .as_bytes(),
            ),
        )
    }

    /// A new desk enrolled to `org`.
    pub fn desk(&self, org: &str) -> Desk {
        let code = self.issue_code(org);
        let r = self.enroll_raw(&code, &format!("{org} 的听证室"));
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        Desk {
            id: v["deviceId"].as_str().unwrap().to_owned(),
            token: v["token"].as_str().unwrap().to_owned(),
            org: org.to_owned(),
            counter: AtomicU32::new(0),
        }
    }

    pub fn push(&self, desk: &Desk, changes: &[Value]) -> Resp {
        self.push_raw(
            &desk.token,
            json!({ "changes": changes }).to_string().as_bytes(),
        )
    }

    pub fn push_raw(&self, token: &str, body: &[u8]) -> Resp {
        send(
            self.post("/v1/push")
                .set("Authorization", &format!("Bearer {token}")),
            Some(body),
        )
    }

    pub fn pull(&self, desk: &Desk, after: &str, limit: Option<usize>) -> Resp {
        let mut path = format!("/v1/pull?after={after}");
        if let Some(l) = limit {
            path.push_str(&format!("&limit={l}"));
        }
        send(
            self.get(&path)
                .set("Authorization", &format!("Bearer {}", desk.token)),
            None,
        )
    }

    /// `GET /v1/wait` for a desk after `after`, waiting at most `secs`.
    pub fn wait(&self, desk: &Desk, after: &str, secs: &str) -> Resp {
        send(
            self.get(&format!("/v1/wait?after={after}&timeout={secs}"))
                .set("Authorization", &format!("Bearer {}", desk.token)),
            None,
        )
    }

    /// The end of the log as a desk's pull leaves it (its cursor after pulling everything).
    pub fn cursor_of(&self, desk: &Desk) -> String {
        let mut cursor = "0".to_owned();
        for _ in 0..1000 {
            let page = self.pull(desk, &cursor, None).json();
            cursor = page["cursor"].as_str().unwrap().to_owned();
            if page["more"] != true {
                break;
            }
        }
        cursor
    }

    /// Every change visible to a desk, pulling page by page from 0.
    pub fn pull_all(&self, desk: &Desk) -> Vec<Value> {
        let mut cursor = "0".to_owned();
        let mut out = Vec::new();
        for _ in 0..1000 {
            let r = self.pull(desk, &cursor, None);
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            let v = r.json();
            out.extend(v["changes"].as_array().unwrap().iter().cloned());
            cursor = v["cursor"].as_str().unwrap().to_owned();
            if !v["more"].as_bool().unwrap() {
                return out;
            }
        }
        panic!("pull never ended");
    }

    /// The ids of the non-`orgs` changes visible to a desk.
    pub fn visible_ids(&self, desk: &Desk) -> Vec<String> {
        self.pull_all(desk)
            .into_iter()
            .filter(|c| c["table"] != "orgs")
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// An enrolled device.
pub struct Desk {
    pub id: String,
    pub token: String,
    pub org: String,
    counter: AtomicU32,
}

impl Desk {
    pub fn from_parts(id: &str, token: &str, org: &str) -> Desk {
        Desk {
            id: id.to_owned(),
            token: token.to_owned(),
            org: org.to_owned(),
            counter: AtomicU32::new(0),
        }
    }

    /// A change to a `cases` row of `org`, made by this desk.
    pub fn case(&self, org: &str, title: &str) -> Value {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let ms = chrono::Utc::now().timestamp_millis();
        json!({
            "id": uuid::Uuid::now_v7().to_string(),
            "orgId": org,
            "deviceId": self.id,
            "hlc": format!("{ms:013}-{:05}", n % 100_000),
            "table": "cases",
            "pk": format!("case-{}", uuid::Uuid::now_v7()),
            "op": "upsert",
            "cols": {"title": title, "analysis_completeness": 3, "closed_on": null},
            "at": "2026-11-27T08:00:00Z"
        })
    }

    pub fn org_row(&self, id: &str, parent: &str, name: &str) -> Value {
        let mut c = self.case(parent, "");
        c["table"] = json!("orgs");
        c["pk"] = json!(id);
        c["cols"] = json!({"parent_id": parent, "name": name, "short_name": "", "kind": "court", "code": id});
        c
    }
}

pub fn ids(changes: &[Value]) -> Vec<String> {
    changes
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}
