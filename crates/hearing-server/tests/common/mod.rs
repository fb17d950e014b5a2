//! The harness of the HTTP suite: a real `hearing-server` process on loopback over a fresh store,
//! the admin CLI on the same store, and desks talking to it with ureq.
//!
//! The suite is written once against [`Backend`]; every test runs per backend (see the
//! `backend_tests!` macro in `http.rs`). Only SQLite exists today; a PostgreSQL backend adds a
//! variant whose `store_args` give `--database postgres://…` of a fresh database.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_hearing-server");

#[derive(Debug, Clone, Copy)]
pub enum BackendKind {
    Sqlite,
}

/// One fresh store of a backend, alive as long as the value.
pub struct Backend {
    pub kind: BackendKind,
    pub dir: tempfile::TempDir,
}

impl Backend {
    pub fn new(kind: BackendKind) -> Backend {
        Backend {
            kind,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The arguments that point the binary at this store.
    pub fn store_args(&self) -> Vec<String> {
        match self.kind {
            BackendKind::Sqlite => vec![
                "--data".into(),
                self.dir.path().join("data").display().to_string(),
            ],
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
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
    pub backend: Backend,
    pub server: Option<Server>,
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
