//! What a benchmark report says about where it ran: shared by the bench binaries of the crates
//! (each includes this file with `#[path]`; there is no bench-support crate).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Standard output of `cmd args…` when it ran and succeeded.
pub fn tool(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// "2 cores (CPU model), 23.4 GiB RAM, Debian 12.11, rustc …".
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
        })
        .map(|kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let os = std::fs::read_to_string("/etc/debian_version")
        .map(|v| format!("Debian {}", v.trim()))
        .unwrap_or_else(|_| std::env::consts::OS.to_owned());
    let rustc = tool("rustc", &["--version"]).unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem} RAM, {os}, {}", rustc.trim())
}

/// The commit, and how many files under `paths` (relative to `crate_dir`) have uncommitted
/// changes — the checkout is shared with other work. `what` names those paths in the sentence.
pub fn source_state(crate_dir: &str, paths: &[&str], what: &str) -> String {
    let commit =
        tool("git", &["-C", crate_dir, "rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let mut args = vec!["-C", crate_dir, "status", "--porcelain", "--"];
    args.extend_from_slice(paths);
    let dirty = tool("git", &args).map_or(0, |s| s.lines().count());
    if dirty > 0 {
        format!(
            "commit {} with {dirty} uncommitted file(s) in {what}",
            commit.trim()
        )
    } else {
        format!("commit {}", commit.trim())
    }
}

/// The 1-, 5- and 15-minute load averages.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Cargo's target directory for a crate at `crate_dir` (two levels below the workspace).
pub fn target_dir(crate_dir: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(crate_dir).join("../../target"))
}

/// The median of samples sorted ascending (the mean of the middle two for an even count).
pub fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    assert!(n > 0, "no samples");
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The `q` quantile (0–1) of samples sorted ascending: the smallest sample with at least that
/// share of the samples at or below it.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let i = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    sorted[i]
}

/// A duration for a report: "1.23 s", "456 ms", "12.3 ms", "1.23 ms".
pub fn duration(secs: f64) -> String {
    let ms = secs * 1e3;
    if ms >= 1000.0 {
        format!("{secs:.2} s")
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// A size for a report: "1.23 GB", "45.6 MB", "789 KB".
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else {
        format!("{:.0} KB", n / 1e3)
    }
}
