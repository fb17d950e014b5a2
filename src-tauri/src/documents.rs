//! Commands of the 文书 view: generate, edit, preview, open in the system viewer (to print),
//! finalise, and record printed / signed (scan) / served / filed. Each forwards to the store.

use std::sync::Arc;

use base64::Engine;
use hearing_docs::{DocKind, FontSet};
use hearing_store::documents::{self, Document, ServiceInput};
use serde::Serialize;
use tauri::State;

use crate::commands::with_store;
use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DocKindInfo {
    pub key: String,
    pub label: String,
    pub needs_hearing: bool,
    /// One document per panelist (邀请函, 听证员评议意见表).
    pub per_panelist: bool,
}

/// The faces of this desk (shipped, system, and the licensed ones chosen in 设置).
pub(crate) fn fonts(desk: &Desk) -> CmdResult<Arc<FontSet>> {
    with_store(desk, |s| s.fonts())
}

pub(crate) fn kind(key: &str) -> CmdResult<DocKind> {
    DocKind::parse(key)
        .ok_or_else(|| AppError::new(ErrorCode::Validation, format!("未知的文书类型：{key}")))
}

#[tauri::command]
#[specta::specta]
pub fn doc_kinds() -> Vec<DocKindInfo> {
    DocKind::ALL
        .iter()
        .map(|k| DocKindInfo {
            key: k.key().to_owned(),
            label: k.label().to_owned(),
            needs_hearing: k.needs_hearing(),
            per_panelist: k.per_panelist(),
        })
        .collect()
}

#[tauri::command]
#[specta::specta]
pub fn doc_list(desk: State<'_, Desk>, case_id: String) -> CmdResult<Vec<Document>> {
    with_store(&desk, |s| documents::list(s.conn(), &case_id))
}

#[tauri::command]
#[specta::specta]
pub fn doc_generate(
    desk: State<'_, Desk>,
    case_id: String,
    kind_key: String,
    hearing_id: Option<String>,
    subject_id: Option<String>,
) -> CmdResult<Document> {
    let k = kind(&kind_key)?;
    with_store(&desk, |s| {
        s.generate_document(k, &case_id, hearing_id.as_deref(), subject_id.as_deref())
    })
}

/// One draft of a per-person kind for every panelist of the hearing.
#[tauri::command]
#[specta::specta]
pub fn doc_generate_each(
    desk: State<'_, Desk>,
    case_id: String,
    kind_key: String,
    hearing_id: Option<String>,
) -> CmdResult<Vec<Document>> {
    let k = kind(&kind_key)?;
    with_store(&desk, |s| {
        s.generate_documents_each(k, &case_id, hearing_id.as_deref())
    })
}

#[tauri::command]
#[specta::specta]
pub fn doc_edit(desk: State<'_, Desk>, id: String, text: String) -> CmdResult<Document> {
    with_store(&desk, |s| s.edit_document(&id, &text))
}

#[tauri::command]
#[specta::specta]
pub fn doc_finalize(desk: State<'_, Desk>, id: String) -> CmdResult<Document> {
    let f = fonts(&desk)?;
    with_store(&desk, |s| s.finalize_document(&id, &f))
}

/// The pages as PNG data URLs, rendered from the very PDF that prints.
#[tauri::command]
#[specta::specta]
pub fn doc_preview(desk: State<'_, Desk>, id: String) -> CmdResult<Vec<String>> {
    let f = fonts(&desk)?;
    let pdf = with_store(&desk, |s| s.document_pdf(&id, &f))?;
    png_data_urls(&pdf)
}

/// The pages of a PDF as PNG data URLs for the in-app preview.
pub(crate) fn png_data_urls(pdf: &[u8]) -> CmdResult<Vec<String>> {
    let pages = hearing_docs::preview::png_pages(pdf, 72)
        .map_err(|e| AppError::new(ErrorCode::Document, e.to_string()))?;
    Ok(pages
        .iter()
        .map(|p| {
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(p)
            )
        })
        .collect())
}

/// Writes the PDF under `<data dir>/exports/` and opens it in the system viewer, where it is
/// printed. Returns the file path.
#[tauri::command]
#[specta::specta]
pub fn doc_open(desk: State<'_, Desk>, id: String) -> CmdResult<String> {
    let f = fonts(&desk)?;
    let (pdf, doc) = with_store(&desk, |s| {
        Ok((s.document_pdf(&id, &f)?, documents::get(s.conn(), &id)?))
    })?;
    let safe = safe_name(&format!("{}-v{}", doc.number, doc.version));
    export_and_open(&desk, &safe, &pdf)
}

/// Writes `pdf` as `<data dir>/exports/<name>.pdf` and opens it in the system viewer, where it
/// is printed. Returns the file path.
pub(crate) fn export_and_open(desk: &Desk, name: &str, pdf: &[u8]) -> CmdResult<String> {
    let dir = desk.data_dir.join("exports");
    std::fs::create_dir_all(&dir).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!("无法创建导出目录 {}：{e}", dir.display()),
        )
    })?;
    let path = dir.join(format!("{}.pdf", safe_name(name)));
    std::fs::write(&path, pdf)
        .map_err(|e| AppError::new(ErrorCode::Io, format!("无法写入 {}：{e}", path.display())))?;
    let opened = crate::xdg_open(&path);
    if let Err(e) = opened {
        return Err(AppError::new(
            ErrorCode::Io,
            format!(
                "已导出到 {}，但无法打开系统查看器（{e}）；请手动打开该文件打印",
                path.display()
            ),
        ));
    }
    Ok(path.display().to_string())
}

/// A document number made safe as a file name.
fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

#[tauri::command]
#[specta::specta]
pub fn doc_mark_printed(desk: State<'_, Desk>, id: String) -> CmdResult<Document> {
    with_store(&desk, |s| s.mark_document_printed(&id))
}

#[tauri::command]
#[specta::specta]
pub fn doc_attach_scan(desk: State<'_, Desk>, id: String, path: String) -> CmdResult<Document> {
    with_store(&desk, |s| {
        s.attach_signed_scan(&id, std::path::Path::new(path.trim()))
    })
}

/// Opens the signed scan in the system viewer. On a desk with accounts the stored scan is
/// encrypted: a decrypted copy is written to a private temporary folder only now, when the user
/// asks, and removed when the desk locks or the app ends. Returns the copy's path.
#[tauri::command]
#[specta::specta]
pub fn doc_open_scan(desk: State<'_, Desk>, id: String) -> CmdResult<String> {
    let (bytes, doc) = with_store(&desk, |s| {
        Ok((s.read_signed_scan(&id)?, documents::get(s.conn(), &id)?))
    })?;
    let ext = doc
        .scan_path
        .as_deref()
        .and_then(|p| std::path::Path::new(p).extension())
        .and_then(|e| e.to_str())
        .unwrap_or("bin")
        .to_owned();
    let dir = crate::accounts::scan_temp_dir();
    let io = |e: std::io::Error, p: &std::path::Path| {
        AppError::new(
            ErrorCode::Io,
            format!("无法写入临时文件 {}：{e}", p.display()),
        )
    };
    {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt as _;
            b.mode(0o700);
        }
        b.create(&dir).map_err(|e| io(e, &dir))?;
    }
    let path = dir.join(format!("{}-签署扫描件.{ext}", safe_name(&doc.number)));
    {
        use std::io::Write as _;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let mut f = opts.open(&path).map_err(|e| io(e, &path))?;
        f.write_all(&bytes).map_err(|e| io(e, &path))?;
    }
    if let Err(e) = crate::xdg_open(&path) {
        return Err(AppError::new(
            ErrorCode::Io,
            format!(
                "已解密到 {}，但无法打开系统查看器（{e}）；请手动打开该文件",
                path.display()
            ),
        ));
    }
    Ok(path.display().to_string())
}

#[tauri::command]
#[specta::specta]
pub fn doc_serve(desk: State<'_, Desk>, id: String, input: ServiceInput) -> CmdResult<Document> {
    with_store(&desk, |s| s.record_document_service(&id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn doc_file(desk: State<'_, Desk>, id: String) -> CmdResult<Document> {
    with_store(&desk, |s| s.file_document(&id))
}
