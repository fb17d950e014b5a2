//! The moment the 工作台 became interactive, as the UI saw it, for the start-up benchmark
//! (`scripts/bench-app.py`, BENCHMARKS.md). Only with `HEARINGDESK_STARTUP_REPORT=FILE` set: the
//! first report of the process is written to FILE as one JSON line — the UI's clock, the moment
//! `run()` began and the moments of the steps between (Rust's and the UI's marks), all in
//! milliseconds since the Unix epoch (the benchmark notes its own clock before it starts the
//! process). Without the variable the command does nothing.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{AppError, CmdResult, ErrorCode};

static RUN_STARTED_MS: OnceLock<f64> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);
static RUST_MARKS: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Where the benchmark wants the report (`HEARINGDESK_STARTUP_REPORT`), read once.
fn report_file() -> Option<&'static std::ffi::OsString> {
    static FILE: OnceLock<Option<std::ffi::OsString>> = OnceLock::new();
    FILE.get_or_init(|| std::env::var_os("HEARINGDESK_STARTUP_REPORT").filter(|f| !f.is_empty()))
        .as_ref()
}

/// Called first thing in `run()`.
pub fn mark_run_started() {
    let _ = RUN_STARTED_MS.set(now_ms());
}

/// Notes when a step of the start-up on the Rust side first happened (the desk opened, …), only
/// for the benchmark (`HEARINGDESK_STARTUP_REPORT` set); later times of the same step are not
/// kept.
pub fn mark(name: &'static str) {
    if report_file().is_none() || REPORTED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(mut m) = RUST_MARKS.lock() {
        if !m.iter().any(|(n, _)| *n == name) {
            m.push((name, now_ms()));
        }
    }
}

/// The UI reports that the 工作台 shows its figures and takes input (`ui_ms`: `Date.now()`),
/// with the moments of its steps before (`marks`: page navigation, script, mount, …).
#[tauri::command]
#[specta::specta]
pub fn startup_report(ui_ms: f64, marks: BTreeMap<String, f64>) -> CmdResult<()> {
    let Some(file) = report_file() else {
        return Ok(());
    };
    if REPORTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let mut marks = marks;
    if let Ok(m) = RUST_MARKS.lock() {
        for (name, at) in m.iter() {
            marks.entry((*name).to_owned()).or_insert(*at);
        }
    }
    let line = serde_json::json!({
        "uiMs": ui_ms,
        "runStartedMs": RUN_STARTED_MS.get().copied(),
        "reportedMs": now_ms(),
        "pid": std::process::id(),
        "marks": marks,
    });
    std::fs::write(file, format!("{line}\n"))
        .map_err(|e| AppError::new(ErrorCode::Io, format!("无法写入启动计时文件：{e}")))
}
