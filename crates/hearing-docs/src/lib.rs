//! HearingDesk formal documents: a GB/T 9704-2012 layout engine and a PDF writer.
//!
//! - [`fonts`] finds the faces for each role (仿宋 body, 小标宋 title, 黑体 and 楷体 headings,
//!   宋体 page numbers) with per-character fallback, parsed once per process;
//! - [`layout`] is pure: blocks (title, paragraphs, headings, signature, tables…) become pages of
//!   positioned runs on the 28 × 22 grid, with kinsoku line breaking and page numbers;
//! - [`pdf`] writes those pages with printpdf, embedding font subsets;
//! - [`decision`] is the first real document, the 终结决定书 (kept for its tests);
//! - [`templates`] holds every document kind as a text template (built in, overridable), and
//!   [`render`] turns a filled text into a PDF (transcript footer, QR stamp).

pub mod decision;
pub mod error;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod preview;
pub mod render;
pub mod templates;

pub use decision::{
    closure_decision, closure_decision_blocks, closure_decision_with, ClosureDecisionData, DocDate,
};
pub use error::DocError;
pub use fonts::{Face, FaceSpec, FontChoice, FontConfig, FontSet, FontSettings, InstalledFont};
pub use layout::{layout, Block, GridMeasure, Measure, Page, RectMm, Role, Rule, Run, Table};
pub use pdf::{write_pdf, PdfMeta};
pub use render::{render_document, render_text, Stamp};
pub use templates::{DocKind, Fields, Templates, Value};

/// Lays out `blocks` and writes them as a PDF.
pub fn render(blocks: &[Block], fonts: &FontSet, meta: &PdfMeta) -> Result<Vec<u8>, DocError> {
    let pages = layout(blocks, fonts)?;
    write_pdf(&pages, fonts, meta)
}
