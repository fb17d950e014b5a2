//! From a filled document text to PDF bytes: layout of the blocks, then what some kinds add to
//! every page — the transcript's "第 N 页 共 M 页" and per-page signature line, and the QR code
//! with the verification code on a final closure decision.

use crate::error::DocError;
use crate::fonts::FontSet;
use crate::layout::{
    layout, Measure, Page, Role, Rule, Run, BLOCK_H_MM, BLOCK_LEFT_MM, BLOCK_TOP_MM, BLOCK_W_MM,
    MM_PER_PT, PAGE_NUMBER_GAP_MM,
};
use crate::pdf::{write_pdf, PdfMeta};
use crate::templates::{blocks, DocKind};

/// What a final document carries to be checked: the QR payload and the short code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Encoded in the QR code, e.g. `HD1:<document id>:<sha256 of the text>`.
    pub payload: String,
    /// Printed in small text, e.g. `K7Q2-M9XD`.
    pub code: String,
}

const FOOTER_PT: f32 = 12.0;
const QR_MM: f32 = 22.0;

fn width_mm(text: &str, size_pt: f32, fonts: &dyn Measure) -> f32 {
    text.chars()
        .map(|c| fonts.advance_em(Role::Body, c) * size_pt * MM_PER_PT)
        .sum()
}

fn run(text: String, x_mm: f32, y_mm: f32, size_pt: f32) -> Run {
    Run {
        text,
        x_mm,
        y_mm,
        size_pt,
        char_spacing_pt: 0.0,
        role: Role::Body,
    }
}

/// Replaces the "— N —" page numbers with the transcript footer on every page.
fn transcript_footer(pages: &mut [Page], fonts: &dyn Measure) {
    let total = pages.len();
    let y = BLOCK_TOP_MM + BLOCK_H_MM + PAGE_NUMBER_GAP_MM + 0.75 * FOOTER_PT * MM_PER_PT;
    for page in pages.iter_mut() {
        page.runs.retain(|r| r.role != Role::Digits);
        let sign = "信访人（签名）：".to_owned();
        let sign_w = width_mm(&sign, FOOTER_PT, fonts);
        page.runs.push(run(sign, BLOCK_LEFT_MM, y, FOOTER_PT));
        page.rules.push(Rule {
            x1_mm: BLOCK_LEFT_MM + sign_w,
            y1_mm: y + 1.0,
            x2_mm: BLOCK_LEFT_MM + sign_w + 40.0,
            y2_mm: y + 1.0,
            width_pt: 0.5,
        });
        let num = format!("第 {} 页 共 {} 页", page.number, total);
        let w = width_mm(&num, FOOTER_PT, fonts);
        page.runs
            .push(run(num, BLOCK_LEFT_MM + BLOCK_W_MM - w, y, FOOTER_PT));
    }
}

/// Draws the QR code (dark modules as runs of thick rules) in the top right margin of the first
/// page, with the verification code in small text below it.
fn qr_stamp(page: &mut Page, stamp: &Stamp, fonts: &dyn Measure) -> Result<(), DocError> {
    let code =
        qrcode::QrCode::with_error_correction_level(stamp.payload.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| DocError::Pdf(format!("二维码生成失败：{e}")))?;
    let n = code.width();
    let colors = code.to_colors();
    let module = QR_MM / n as f32;
    let left = BLOCK_LEFT_MM + BLOCK_W_MM - QR_MM;
    let top = 9.0;
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let y = top + (row as f32 + 0.5) * module;
                page.rules.push(Rule {
                    x1_mm: left + start as f32 * module,
                    y1_mm: y,
                    x2_mm: left + col as f32 * module,
                    y2_mm: y,
                    width_pt: module / MM_PER_PT,
                });
            } else {
                col += 1;
            }
        }
    }
    let label = format!("验证码 {}", stamp.code);
    let size = 8.0;
    let w = width_mm(&label, size, fonts);
    page.runs.push(run(
        label,
        BLOCK_LEFT_MM + BLOCK_W_MM - w,
        top + QR_MM + 3.5,
        size,
    ));
    Ok(())
}

/// The PDF of a filled document text of `kind`; `stamp` for final documents.
pub fn render_document(
    kind: DocKind,
    text: &str,
    fonts: &FontSet,
    stamp: Option<&Stamp>,
) -> Result<Vec<u8>, DocError> {
    let blocks = blocks(text)?;
    let mut pages = layout(&blocks, fonts)?;
    if kind == DocKind::Transcript {
        transcript_footer(&mut pages, fonts);
    }
    if let (Some(stamp), Some(first)) = (stamp, pages.first_mut()) {
        qr_stamp(first, stamp, fonts)?;
    }
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("@title "))
        .map(|t| t.replace('|', ""))
        .unwrap_or_else(|| kind.label().to_owned());
    let meta = PdfMeta {
        title,
        author: "HearingDesk 听证工作台".to_owned(),
        subject: kind.label().to_owned(),
        mark_seal: false,
    };
    write_pdf(&pages, fonts, &meta)
}
