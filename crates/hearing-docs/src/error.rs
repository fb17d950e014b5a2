//! The one error type of this crate. Messages are in Chinese because they reach the clerk.

use std::path::PathBuf;

use crate::layout::Role;

/// Everything that can stop a document from being produced.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// No face in the role's chain (primary plus fallbacks) has a glyph for this character.
    #[error(
        "{role}字体及其备用字体中都没有“{ch}”（U+{code:04X}）这个字，无法排版；\
         请安装 Noto CJK 字体（fonts-noto-cjk），或在字体设置中指定包含此字的字体",
        code = *ch as u32
    )]
    MissingGlyph { ch: char, role: Role },

    /// Not a single usable face was found for a role.
    #[error("找不到{role}所需的字体（已查找：{tried}）；请安装 fonts-noto-cjk 或在字体设置中指定字体文件")]
    FontNotFound { role: Role, tried: String },

    /// A configured or discovered font file could not be read.
    #[error("无法读取字体文件 {}：{source}", path.display())]
    FontRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A font file was read but is not a font we can use.
    #[error("字体文件 {}（第 {index} 个字面）无法解析，可能已损坏或不是 TrueType/OpenType 字体", path.display())]
    FontParse { path: PathBuf, index: usize },

    /// The caller's data is incomplete or malformed; `field` is the camelCase field name.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// The content cannot be laid out (for example a table cell taller than a page).
    #[error("无法排版：{0}")]
    Layout(String),

    /// A template uses a field the data does not provide.
    #[error(
        "生成“{template}”时缺少字段 {{{field}}}（模板第 {line} 行）；请补全该项数据或修改模板"
    )]
    MissingField {
        template: String,
        line: usize,
        field: String,
    },

    /// A template (built-in or an organ's override) is malformed or unreadable.
    #[error("模板错误：{0}")]
    Template(String),

    /// printpdf reported an error while writing.
    #[error("生成 PDF 文件出错：{0}")]
    Pdf(String),
}

impl DocError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DocError::Invalid {
            field,
            message: message.into(),
        }
    }
}
