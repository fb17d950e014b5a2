//! The server under test: a fresh store (SQLite in a temporary data directory, or a fresh
//! PostgreSQL database), the real release binary serving it on loopback, its admin CLI, and what
//! `/proc` says about the process.

#[path = "../../tests/common/pg_url.rs"]
mod pg_url;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_hearing-server");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Runs SQL on a PostgreSQL server from its own thread and runtime; returns the first column of
/// every row, as text.
fn pg_query(url: &str, sql: &str) -> Result<Vec<String>, String> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async move {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
            let task = tokio::spawn(conn);
            let rows = client
                .simple_query(&sql)
                .await
                .map_err(|e| format!("{sql}: {e}"))?;
            drop(client);
            let _ = task.await;
            Ok(rows
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => {
                        Some(r.get(0).unwrap_or_default().to_owned())
                    }
                    _ => None,
                })
                .collect())
        })
    })
    .join()
    .map_err(|_| "PostgreSQL thread panicked".to_owned())?
}

/// A fresh store, removed (directory, database) when dropped.
pub struct Store {
    pub dir: tempfile::TempDir,
    /// (server URL, database name, database URL) for PostgreSQL.
    pg: Option<(String, String, String)>,
}

impl Store {
    pub fn new(backend: Backend, postgres: Option<&str>) -> Result<Store, String> {
        let dir = tempfile::Builder::new()
            .prefix("hearing-load-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let server = postgres.ok_or("no PostgreSQL server given")?;
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let name = format!("hearing_load_{}_{nanos}", std::process::id());
                pg_query(
                    server,
                    &format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"),
                )?;
                let url = pg_url::with_dbname(server, &name);
                Some((server.to_owned(), name, url))
            }
        };
        Ok(Store { dir, pg })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn args(&self) -> Vec<String> {
        let mut a = vec!["--data".into(), self.data_dir().display().to_string()];
        if let Some((_, _, url)) = &self.pg {
            a.extend(["--database".into(), url.clone()]);
        }
        a
    }

    /// Runs an admin command; its stdout.
    pub fn admin(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new(BIN)
            .args(self.args())
            .args(args)
            .output()
            .map_err(|e| format!("{BIN}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "hearing-server {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// Starts `serve --listen 127.0.0.1:0`, stderr (the request log) to a file.
    pub fn serve(&self) -> Result<Server, String> {
        let log = self.dir.path().join("server.log");
        let mut child = Command::new(BIN)
            .args(self.args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).map_err(|e| e.to_string())?)
            .spawn()
            .map_err(|e| format!("{BIN}: {e}"))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        let Some(base) = line
            .split_whitespace()
            .last()
            .filter(|u| u.starts_with("http"))
            .map(str::to_owned)
        else {
            let _ = child.kill();
            return Err(format!(
                "server did not start: {line:?}\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            ));
        };
        Ok(Server {
            pid: child.id(),
            child,
            base,
            _stdout: stdout,
            log,
        })
    }

    /// (rows, distinct ids) of desk changes in the log, read from the database itself.
    pub fn log_rows(&self) -> Result<(u64, u64), String> {
        const SQL: &str =
            "SELECT COUNT(*) || ' ' || COUNT(DISTINCT id) FROM changes WHERE device_id <> 'server'";
        let text = match &self.pg {
            None => {
                let conn = rusqlite::Connection::open_with_flags(
                    self.data_dir().join("server.db"),
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| e.to_string())?;
                conn.query_row(SQL, [], |r| r.get::<_, String>(0))
                    .map_err(|e| e.to_string())?
            }
            Some((_, _, url)) => pg_query(url, SQL)?.into_iter().next().unwrap_or_default(),
        };
        let mut it = text.split(' ').map(|n| n.parse::<u64>().unwrap_or(0));
        Ok((it.next().unwrap_or(0), it.next().unwrap_or(0)))
    }

    /// Bytes the store takes on disk: (database files or PostgreSQL's database size, blobs).
    pub fn sizes(&self) -> (u64, u64) {
        let db = match &self.pg {
            None => ["server.db", "server.db-wal", "server.db-shm"]
                .iter()
                .filter_map(|f| std::fs::metadata(self.data_dir().join(f)).ok())
                .map(|m| m.len())
                .sum(),
            Some((_, name, url)) => pg_query(url, &format!("SELECT pg_database_size('{name}')"))
                .ok()
                .and_then(|r| r.first().and_then(|v| v.parse().ok()))
                .unwrap_or(0),
        };
        (db, dir_size(&self.data_dir().join("blobs")))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some((server, name, _)) = &self.pg {
            if let Err(e) = pg_query(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ) {
                eprintln!("warning: database {name} was not dropped: {e}");
            }
        }
    }
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// The running server process.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
    _stdout: BufReader<ChildStdout>,
    pub log: PathBuf,
}

impl Server {
    /// Whether the process is still running (a crash under load shows here).
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Peak resident memory (VmHWM), bytes.
    pub fn peak_rss(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            })
            .map_or(0, |kb| kb * 1024)
    }

    /// Threads of the process now.
    pub fn threads(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Threads:"))
                    .and_then(|v| v.trim().parse().ok())
            })
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// CPU seconds (user + system) a process has used, from `/proc/PID/stat`.
pub fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): utime is field 14, stime 15.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| f.get(*i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks / clock_ticks()
}

fn clock_ticks() -> f64 {
    static TCK: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TCK.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// The machine's CPU time so far from `/proc/stat`: (busy, iowait, total) in ticks of all cores.
pub fn machine_cpu() -> (u64, u64, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
        return (0, 0, 0);
    };
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return (0, 0, 0);
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is inside user).
    let total: u64 = v.iter().take(8).sum();
    let idle = v.get(3).copied().unwrap_or(0);
    let iowait = v.get(4).copied().unwrap_or(0);
    (total - idle - iowait, iowait, total)
}
