//! From a filled document text to PDF bytes: layout of the blocks, then what some kinds add to
//! every page — the transcript's "第 N 页 共 M 页" and per-page signature line, and the QR code
//! with the verification code on a final closure decision. Runs of underscores (`__`, `＿＿`),
//! the blanks of a form, are drawn as one continuous line instead of dashed glyphs.

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

/// A blank to write on: two or more underscores in a row.
fn is_blank_char(c: char) -> bool {
    c == '_' || c == '＿'
}

/// Replaces every run of two or more underscores with a rule under the same stretch of the line;
/// the text around it stays where the layout put it.
fn blanks_to_rules(pages: &mut [Page], fonts: &dyn Measure) {
    for page in pages.iter_mut() {
        let mut runs = Vec::with_capacity(page.runs.len());
        for r in std::mem::take(&mut page.runs) {
            if !r.text.contains("__") && !r.text.contains("＿＿") {
                runs.push(r);
                continue;
            }
            let chars: Vec<char> = r.text.chars().collect();
            let advance =
                |c: char| (fonts.advance_em(r.role, c) * r.size_pt + r.char_spacing_pt) * MM_PER_PT;
            let mut pen = r.x_mm;
            let mut i = 0;
            while i < chars.len() {
                let start = i;
                let blank =
                    is_blank_char(chars[i]) && chars.get(i + 1).copied().is_some_and(is_blank_char);
                let x0 = pen;
                if blank {
                    while i < chars.len() && is_blank_char(chars[i]) {
                        pen += advance(chars[i]);
                        i += 1;
                    }
                    page.rules.push(Rule {
                        x1_mm: x0,
                        y1_mm: r.y_mm + 1.0,
                        x2_mm: pen - r.char_spacing_pt * MM_PER_PT,
                        y2_mm: r.y_mm + 1.0,
                        width_pt: 0.5,
                    });
                } else {
                    while i < chars.len()
                        && !(is_blank_char(chars[i])
                            && chars.get(i + 1).copied().is_some_and(is_blank_char))
                    {
                        pen += advance(chars[i]);
                        i += 1;
                    }
                    runs.push(Run {
                        text: chars[start..i].iter().collect(),
                        x_mm: x0,
                        ..r.clone()
                    });
                }
            }
        }
        page.runs = runs;
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
    blanks_to_rules(&mut pages, fonts);
    if kind == DocKind::Transcript {
        transcript_footer(&mut pages, fonts);
    }
    if let (Some(stamp), Some(first)) = (stamp, pages.first_mut()) {
        qr_stamp(first, stamp, fonts)?;
    }
    write_pdf(&pages, fonts, &meta_of(text, kind.label()))
}

/// The PDF of a filled text that is not one of the case's documents (a 交办单, say), laid out
/// by the same rules; `subject` names its kind in the PDF's properties.
pub fn render_text(text: &str, fonts: &FontSet, subject: &str) -> Result<Vec<u8>, DocError> {
    let blocks = blocks(text)?;
    let mut pages = layout(&blocks, fonts)?;
    blanks_to_rules(&mut pages, fonts);
    write_pdf(&pages, fonts, &meta_of(text, subject))
}

/// The PDF's properties: its title line without the break mark, else `subject`.
fn meta_of(text: &str, subject: &str) -> PdfMeta {
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("@title "))
        .map(|t| t.replace('|', ""))
        .unwrap_or_else(|| subject.to_owned());
    PdfMeta {
        title,
        author: "HearingDesk 听证工作台".to_owned(),
        subject: subject.to_owned(),
        mark_seal: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Block, GridMeasure};

    #[test]
    fn underscores_become_one_rule_and_the_text_keeps_its_place() {
        let blocks = [
            Block::Paragraph("签名：____　日期".into()),
            Block::Paragraph("＿＿＿＿＿＿".into()),
            Block::Paragraph("a_b".into()),
        ];
        let mut pages = layout(&blocks, &GridMeasure).expect("layout");
        let before: Vec<Run> = pages[0].runs.clone();
        blanks_to_rules(&mut pages, &GridMeasure);
        let page = &pages[0];
        let texts: Vec<&str> = page.runs.iter().map(|r| r.text.as_str()).collect();
        assert!(
            texts.contains(&"签名：") && texts.contains(&"　日期"),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"a_b"),
            "a single underscore is text: {texts:?}"
        );
        assert!(!texts.iter().any(|t| t.contains("__") || t.contains("＿＿")));
        let date = page.runs.iter().find(|r| r.text == "　日期").expect("date");
        let orig = before
            .iter()
            .find(|r| r.text.starts_with("签名"))
            .expect("line");
        assert!(date.x_mm > orig.x_mm && date.y_mm == orig.y_mm);
        let rules: Vec<&Rule> = page
            .rules
            .iter()
            .filter(|r| (r.y1_mm - r.y2_mm).abs() < 1e-3)
            .collect();
        assert_eq!(rules.len(), 2, "{:?}", page.rules);
        assert!(rules.iter().all(|r| r.x2_mm > r.x1_mm + 5.0));
    }
}
