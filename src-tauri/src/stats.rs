//! Commands of 统计 and the 工作台's 预警: the statistics for a filter, their export as CSV or
//! XLSX and a chart's PNG into the data folder's `exports/` (like documents opened for
//! printing), and the early warnings of today. Each forwards to hearing-store.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use hearing_store::stats::{self, StatMeasure, Statistics, StatsFilter};
use hearing_store::warnings::{self, Warning, WarningCounts};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::commands::with_store;
use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

#[tauri::command]
#[specta::specta]
pub fn stats_get(desk: State<'_, Desk>, filter: StatsFilter) -> CmdResult<Statistics> {
    with_store(&desk, |s| s.statistics(&filter))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// UTF-8 with a byte-order mark (opens in Excel).
    Csv,
    Xlsx,
}

/// Where exports go: `exports/` in the data folder, created when missing.
pub(crate) fn exports_dir(desk: &Desk) -> CmdResult<PathBuf> {
    let dir = desk.data_dir.join("exports");
    std::fs::create_dir_all(&dir).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!("无法创建导出目录 {}：{e}", dir.display()),
        )
    })?;
    Ok(dir)
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> CmdResult<String> {
    std::fs::write(path, bytes)
        .map_err(|e| AppError::new(ErrorCode::Io, format!("无法写入 {}：{e}", path.display())))?;
    Ok(path.display().to_string())
}

pub(crate) fn stamp() -> String {
    chrono::Local::now().format("%Y%m%d-%H%M%S").to_string()
}

/// Writes one measure (or all) for `filter` and returns the file's path.
#[tauri::command]
#[specta::specta]
pub fn stats_export(
    desk: State<'_, Desk>,
    filter: StatsFilter,
    measure: Option<StatMeasure>,
    format: ExportFormat,
) -> CmdResult<String> {
    let bytes = with_store(&desk, |s| {
        let st = s.statistics(&filter)?;
        match format {
            ExportFormat::Csv => st.csv(measure),
            ExportFormat::Xlsx => st.xlsx(measure),
        }
    })?;
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Xlsx => "xlsx",
    };
    let path = exports_dir(&desk)?.join(stats::export_file_name(measure, ext, &stamp()));
    write(&path, &bytes)
}

/// Saves a chart's picture (a `data:image/png;base64,…` URL from ECharts) and returns the path.
#[tauri::command]
#[specta::specta]
pub fn stats_save_png(
    desk: State<'_, Desk>,
    measure: StatMeasure,
    data_url: String,
) -> CmdResult<String> {
    crate::accounts::activity(&desk)?;
    let bad = || AppError::new(ErrorCode::Validation, "图表图片数据无效，请重新导出");
    let b64 = data_url
        .strip_prefix("data:image/png;base64,")
        .ok_or_else(bad)?;
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| bad())?;
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(bad());
    }
    let path = exports_dir(&desk)?.join(stats::export_file_name(Some(measure), "png", &stamp()));
    write(&path, &png)
}

/// Opens the exports folder in the system's file manager.
#[tauri::command]
#[specta::specta]
pub fn exports_open_folder(desk: State<'_, Desk>) -> CmdResult<String> {
    crate::accounts::activity(&desk)?;
    let dir = exports_dir(&desk)?;
    crate::xdg_open(&dir).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!("无法打开文件管理器（{e}）；导出文件在 {}", dir.display()),
        )
    })?;
    Ok(dir.display().to_string())
}

/// Today's warnings, most urgent first: the first `limit` (all when `None`) and the counts.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WarningList {
    pub counts: WarningCounts,
    pub total: u32,
    pub items: Vec<Warning>,
}

#[tauri::command]
#[specta::specta]
pub fn warnings_list(desk: State<'_, Desk>, limit: Option<u32>) -> CmdResult<WarningList> {
    let mut list = with_store(&desk, |s| s.warnings(hearing_store::today()))?;
    let counts = warnings::counts(&list);
    let total = u32::try_from(list.len()).unwrap_or(u32::MAX);
    if let Some(n) = limit {
        list.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
    Ok(WarningList {
        counts,
        total,
        items: list,
    })
}
