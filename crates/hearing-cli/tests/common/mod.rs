//! Shared by the hearingctl tests: running `hearingctl` on a data directory, and a real
//! `hearing-server` process for the sync tests.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Runs `hearingctl --data-dir DIR ARGS…`.
pub fn ctl(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearingctl"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run hearingctl")
}

/// stdout followed by stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs and asserts success; returns stdout + stderr.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let o = ctl(dir, args);
    let out = text(&o);
    assert!(o.status.success(), "hearingctl {args:?} failed:\n{out}");
    out
}

/// The server binary of this workspace (built by `cargo test --workspace`; built here otherwise).
pub fn server_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join("hearing-server");
    if !bin.is_file() {
        let st = Command::new(env!("CARGO"))
            .args(["build", "-p", "hearing-server"])
            .status()
            .expect("cargo build");
        assert!(st.success());
    }
    bin
}

pub struct Server {
    pub data: PathBuf,
    child: Option<Child>,
    pub base: String,
}

impl Server {
    pub fn new(data: PathBuf) -> Server {
        Server {
            data,
            child: None,
            base: String::new(),
        }
    }

    /// A started server whose org tree is the city committee (`city`, QSS) with the east (`east`,
    /// DHQ) and west (`west`, XLX) counties below it.
    pub fn city_with_two_counties(data: PathBuf) -> Server {
        let mut server = Server::new(data);
        let org = |id: &str, name: &str, parent: Option<&str>, code: &str| {
            let mut args = vec!["org", "add", "--id", id, "--name", name];
            args.extend(parent.map(|p| ["--parent", p]).into_iter().flatten());
            args.extend(["--kind", "committee", "--code", code]);
            args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        for args in [
            org("city", "青山市委政法委", None, "QSS"),
            org("east", "东河区委政法委", Some("city"), "DHQ"),
            org("west", "西岭县委政法委", Some("city"), "XLX"),
        ] {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            server.admin(&args);
        }
        server.start("127.0.0.1:0");
        server
    }

    pub fn admin(&self, args: &[&str]) -> String {
        let o = Command::new(server_bin())
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .output()
            .expect("hearing-server");
        assert!(
            o.status.success(),
            "hearing-server {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_owned()
    }

    pub fn start(&mut self, listen: &str) {
        let mut child = Command::new(server_bin())
            .arg("--data")
            .arg(&self.data)
            .args(["serve", "--listen", listen])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        self.base = line
            .split_whitespace()
            .last()
            .filter(|u| u.starts_with("http"))
            .unwrap_or_else(|| panic!("server did not start: {line:?}"))
            .to_owned();
        self.child = Some(child);
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Registers a case of the east county (`east`) on `s`, with one petitioner 王某; its id.
pub fn new_case(s: &mut hearing_store::Store, title: &str) -> String {
    s.create_case(&hearing_core::CaseInput {
        number: String::new(),
        handling_organ_id: "east".into(),
        case_officer: "承办人".into(),
        title: title.into(),
        category: Some(hearing_core::CaseCategory::Civil),
        petitioners: vec![hearing_core::PetitionerInput {
            kind: hearing_core::PetitionerKind::Person,
            name: "王某".into(),
            id_number: String::new(),
            phone: String::new(),
            address: String::new(),
            credit_code: String::new(),
            representative: String::new(),
        }],
        original_case_number: String::new(),
        rulings: vec![],
        demands: "再审".into(),
        background: String::new(),
        registered_on: String::new(),
    })
    .expect("case")
    .id
}
