//! The moment the 工作台 became interactive, as the UI saw it, for the start-up benchmark
//! (`scripts/bench-app.sh`, BENCHMARKS.md). Only with `HEARINGDESK_STARTUP_REPORT=FILE` set: the
//! first report of the process is written to FILE as one JSON line — the UI's clock and the
//! moment `run()` began, both in milliseconds since the Unix epoch (the benchmark notes its own
//! clock before it starts the process). Without the variable the command does nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{AppError, CmdResult};

static RUN_STARTED_MS: OnceLock<f64> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Called first thing in `run()`.
pub fn mark_run_started() {
    let _ = RUN_STARTED_MS.set(now_ms());
}

/// The UI reports that the 工作台 shows its figures and takes input (`ui_ms`: `Date.now()`).
#[tauri::command]
#[specta::specta]
pub fn startup_report(ui_ms: f64) -> CmdResult<()> {
    let Some(file) = std::env::var_os("HEARINGDESK_STARTUP_REPORT").filter(|f| !f.is_empty())
    else {
        return Ok(());
    };
    if REPORTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let line = serde_json::json!({
        "uiMs": ui_ms,
        "runStartedMs": RUN_STARTED_MS.get().copied(),
        "reportedMs": now_ms(),
        "pid": std::process::id(),
    });
    std::fs::write(&file, format!("{line}\n"))
        .map_err(|e| AppError::new("io", format!("无法写入启动计时文件：{e}")))
}
