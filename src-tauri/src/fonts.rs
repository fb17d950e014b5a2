//! Commands of 设置 → 文书字体: which faces each role of a document is set in, the Chinese fonts
//! installed on this machine, saving the organ's choice of licensed faces, and a sample page.

use std::path::Path;

use base64::Engine;
use hearing_docs::fonts::{bundled_dirs, installed_chinese_fonts};
use hearing_docs::{DocKind, FaceSpec, FontChoice, FontSettings, Role};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::commands::with_store;
use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

/// A face chosen for a role.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FontChoiceInput {
    /// body | title | heading1 | heading2 | digits
    pub role: String,
    pub path: String,
    pub index: u32,
}

/// One face of a role's chain, in the order characters are looked up.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FaceInUse {
    pub path: String,
    pub index: u32,
    /// The file name without extension, e.g. `FandolFang-Regular`.
    pub name: String,
    /// chosen (in 设置) | shipped (with the app) | system
    pub source: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleFonts {
    pub role: String,
    pub label: String,
    pub faces: Vec<FaceInUse>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstalledFontInfo {
    pub family: String,
    pub style: String,
    pub path: String,
    pub index: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FontOverview {
    pub choices: Vec<FontChoiceInput>,
    pub roles: Vec<RoleFonts>,
    pub installed: Vec<InstalledFontInfo>,
    /// Why the faces cannot be loaded (a chosen file was removed …), if so.
    pub problem: Option<String>,
}

fn source_of(role: Role, spec: &FaceSpec, settings: &FontSettings) -> &'static str {
    let path = spec.path.to_string_lossy();
    if settings
        .choices
        .iter()
        .any(|c| c.role == role.key() && c.path == path && c.index == spec.index)
    {
        "chosen"
    } else if bundled_dirs()
        .iter()
        .any(|d| spec.path.parent() == Some(d.as_path()) || spec.path.starts_with(d))
    {
        "shipped"
    } else {
        "system"
    }
}

fn overview(desk: &Desk) -> CmdResult<FontOverview> {
    let settings = with_store(desk, |s| s.font_settings())?;
    let (roles, problem) = match with_store(desk, |s| s.fonts()) {
        Ok(set) => (
            set.describe()
                .into_iter()
                .map(|(role, faces)| RoleFonts {
                    role: role.key().to_owned(),
                    label: role.to_string(),
                    faces: faces
                        .iter()
                        .map(|f| FaceInUse {
                            path: f.path.display().to_string(),
                            index: f.index as u32,
                            name: f
                                .path
                                .file_stem()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default(),
                            source: source_of(role, f, &settings).to_owned(),
                        })
                        .collect(),
                })
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.message)),
    };
    Ok(FontOverview {
        choices: settings
            .choices
            .iter()
            .map(|c| FontChoiceInput {
                role: c.role.clone(),
                path: c.path.clone(),
                index: c.index as u32,
            })
            .collect(),
        roles,
        installed: installed_chinese_fonts()
            .into_iter()
            .map(|f| InstalledFontInfo {
                family: f.family,
                style: f.style,
                path: f.path,
                index: f.index as u32,
            })
            .collect(),
        problem,
    })
}

#[tauri::command]
#[specta::specta]
pub fn font_overview(desk: State<'_, Desk>) -> CmdResult<FontOverview> {
    overview(&desk)
}

/// Saves the chosen faces (an empty list restores the defaults). Each file is checked first;
/// nothing is saved if one cannot be used.
#[tauri::command]
#[specta::specta]
pub fn font_save(desk: State<'_, Desk>, choices: Vec<FontChoiceInput>) -> CmdResult<FontOverview> {
    let mut settings = FontSettings::default();
    for c in choices {
        if Role::parse(&c.role).is_none() {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("未知的字体用途“{}”", c.role),
            ));
        }
        let path = c.path.trim();
        if path.is_empty() {
            continue;
        }
        if !Path::new(path).is_file() {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("找不到字体文件 {path}，请检查路径"),
            ));
        }
        settings.choices.push(FontChoice {
            role: c.role,
            path: path.to_owned(),
            index: c.index as usize,
        });
    }
    with_store(&desk, |s| s.save_font_settings(&settings))?;
    overview(&desk)
}

/// Text of the sample page: every role, digits and Latin, and a rare name character that only
/// the fallback face has.
const SAMPLE: &str = "@title 青山市政法委员会|字体样张
@number 青政法〔2026〕1号
@recipient 各有关单位：
@p 本样张用于检查文书字体：正文应为仿宋，标题为小标宋，一级标题为黑体，二级标题为楷体。
@h1 一、一级标题（黑体）
@p 数字与西文：2026年11月27日，第3条，GB/T 9704-2012，￥1,234.50。
@h2 （一）二级标题（楷体）
@p 生僻字（由备用字体补字）：王䶮、李堃、张喆、赵昇、刘镕、陈赟、周珺、吴玥、郑翀。
@sign 青山市政法委员会|2026年11月27日";

/// A sample page set in the faces in use, as PNG data URLs.
#[tauri::command]
#[specta::specta]
pub fn font_sample(desk: State<'_, Desk>) -> CmdResult<Vec<String>> {
    let set = with_store(&desk, |s| s.fonts())?;
    let pdf = hearing_docs::render_document(DocKind::Notice, SAMPLE, &set, None)
        .map_err(|e| AppError::new(ErrorCode::Document, e.to_string()))?;
    let pages = hearing_docs::preview::png_pages(&pdf, 72)
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
