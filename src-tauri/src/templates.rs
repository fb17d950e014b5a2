//! Commands of 设置 → 文书模板: a kind's template in use (the organ's or the built-in) with the
//! fields it may use, save (checked first), restore the built-in, and a preview of the text being
//! edited filled with a case's data. Each forwards to the store.

use hearing_store::templates::{self, TemplateField, TemplateSource};
use serde::Serialize;
use tauri::State;

use crate::commands::with_store;
use crate::documents::{fonts, kind, png_data_urls};
use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

/// A template as the 设置 card shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    pub source: TemplateSource,
    pub fields: Vec<TemplateField>,
}

fn info(source: TemplateSource) -> CmdResult<TemplateInfo> {
    let fields = templates::fields_for(kind(&source.kind)?);
    Ok(TemplateInfo { source, fields })
}

#[tauri::command]
#[specta::specta]
pub fn template_get(desk: State<'_, Desk>, kind_key: String) -> CmdResult<TemplateInfo> {
    let k = kind(&kind_key)?;
    info(with_store(&desk, |s| s.template_source(k))?)
}

/// Refused with every problem named (and nothing written) unless the template is usable.
#[tauri::command]
#[specta::specta]
pub fn template_save(
    desk: State<'_, Desk>,
    kind_key: String,
    text: String,
) -> CmdResult<TemplateInfo> {
    let k = kind(&kind_key)?;
    info(with_store(&desk, |s| s.save_template(k, &text))?)
}

#[tauri::command]
#[specta::specta]
pub fn template_reset(desk: State<'_, Desk>, kind_key: String) -> CmdResult<TemplateInfo> {
    let k = kind(&kind_key)?;
    info(with_store(&desk, |s| s.reset_template(k))?)
}

/// The pages `text` (saved or not) gives for a case, as PNG data URLs.
#[tauri::command]
#[specta::specta]
pub fn template_preview(
    desk: State<'_, Desk>,
    kind_key: String,
    text: String,
    case_id: String,
) -> CmdResult<Vec<String>> {
    let k = kind(&kind_key)?;
    let filled = with_store(&desk, |s| {
        s.preview_template(k, &text, &case_id, None, None)
    })?;
    let f = fonts(&desk)?;
    let pdf = hearing_docs::render_document(k, &filled, &f, None)
        .map_err(|e| AppError::new(ErrorCode::Document, e.to_string()))?;
    png_data_urls(&pdf)
}
