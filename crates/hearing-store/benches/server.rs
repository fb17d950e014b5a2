//! The real release `hearing-server` run by a benchmark on 127.0.0.1 (a fresh data folder),
//! stopped when dropped; shared by the sync benchmarks.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The real server, stopped when dropped.
pub struct Server {
    pub bin: PathBuf,
    pub data: PathBuf,
    pub child: Option<Child>,
    pub base: String,
}

impl Server {
    pub fn admin(&self, args: &[&str]) -> String {
        let o = Command::new(&self.bin)
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .output()
            .expect("run hearing-server");
        assert!(
            o.status.success(),
            "hearing-server {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_owned()
    }

    pub fn start(&mut self) {
        let mut child = Command::new(&self.bin)
            .arg("--data")
            .arg(&self.data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start hearing-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its stdout"))
            .read_line(&mut line)
            .expect("its first line");
        self.base = line
            .split_whitespace()
            .last()
            .filter(|u| u.starts_with("http"))
            .unwrap_or_else(|| panic!("the server did not start: {line:?}"))
            .to_owned();
        self.child = Some(child);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
