//! Writing laid-out [`Page`]s to PDF with printpdf.
//!
//! Every run is placed at its absolute position with a text matrix and drawn with its character
//! spacing (the grid adjustment plus justification). printpdf has no font fallback, so a run is
//! split wherever the face that has the glyph changes, and each piece is placed at the x the
//! layout measured with the same faces. Only faces actually used are added, and printpdf embeds
//! them as subsets. The form check boxes (☑ ☐ ☒) are in no CJK face: when a role's faces lack
//! them they come from DejaVu Sans, which Debian installs with fontconfig.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
};

use crate::error::DocError;
use crate::fonts::{load_face, Face, FaceSpec, FontSet};
use crate::layout::{Measure, Page, RectMm, MM_PER_PT, PAGE_H_MM, PAGE_W_MM};

/// Document-level settings of the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfMeta {
    /// Shown as the document title by viewers.
    pub title: String,
    pub author: String,
    pub subject: String,
    /// Draw a faint red circle where the seal goes (for previews; off for printing).
    pub mark_seal: bool,
}

fn pt(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

/// From top-left millimetres to printpdf's bottom-left points.
fn point(x_mm: f32, y_mm: f32) -> Point {
    Point::new(Mm(x_mm), Mm(PAGE_H_MM - y_mm))
}

/// Check boxes of printed forms, drawn from [`symbol_face`] when the role's faces lack them.
const FORM_SYMBOLS: [char; 3] = ['☑', '☐', '☒'];
/// The key of the symbol face among the face indexes of a page (never a real index).
const SYMBOL_FACE: usize = usize::MAX - 1;
/// DejaVu's boxes are smaller than a CJK face's □ and sit on the baseline: scaled and lowered,
/// ☑ covers the same square as the □ beside it.
const SYMBOL_SCALE: f32 = 1.25;
const SYMBOL_DROP_EM: f32 = 0.1;

/// DejaVu Sans (fonts-dejavu-core), parsed once; `None` where it is not installed.
fn symbol_face() -> Option<&'static Arc<Face>> {
    static FACE: OnceLock<Option<Arc<Face>>> = OnceLock::new();
    FACE.get_or_init(|| {
        [
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        ]
        .iter()
        .filter(|p| std::path::Path::new(p).is_file())
        .find_map(|p| load_face(&FaceSpec::new(*p, 0)).ok())
        .filter(|f| FORM_SYMBOLS.iter().all(|c| f.has_glyph(*c)))
    })
    .as_ref()
}

/// Writes the pages; fails on a character no face can draw or on an error reported by printpdf.
pub fn write_pdf(pages: &[Page], fonts: &FontSet, meta: &PdfMeta) -> Result<Vec<u8>, DocError> {
    let mut doc = PdfDocument::new(&meta.title);
    doc.metadata.info.author = meta.author.clone();
    doc.metadata.info.subject = meta.subject.clone();
    doc.metadata.info.creator = "HearingDesk 听证工作台".to_owned();
    let mut font_ids: HashMap<usize, FontId> = HashMap::new();
    let mut pdf_pages = Vec::with_capacity(pages.len());

    for page in pages {
        let mut ops = Vec::new();
        ops.push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        });
        ops.push(Op::StartTextSection);
        let mut current: Option<(usize, f32)> = None;
        for run in &page.runs {
            // Split the run where the face changes.
            let mut pieces: Vec<(usize, String, f32)> = Vec::new();
            let mut pen = run.x_mm;
            for ch in run.text.chars() {
                let advance = (fonts.advance_em(run.role, ch) * run.size_pt + run.char_spacing_pt)
                    * MM_PER_PT;
                let face = match fonts.face_index_for(run.role, ch) {
                    Ok(i) => Some(i),
                    Err(_) if ch.is_whitespace() => None,
                    Err(_) if FORM_SYMBOLS.contains(&ch) && symbol_face().is_some() => {
                        Some(SYMBOL_FACE)
                    }
                    Err(e) => return Err(e),
                };
                match (face, pieces.last_mut()) {
                    (Some(f), Some(last)) if last.0 == f => last.1.push(ch),
                    (Some(f), _) => pieces.push((f, ch.to_string(), pen)),
                    // A space no face has: leave a gap and start a new piece after it.
                    (None, _) => pieces.push((usize::MAX, String::new(), pen)),
                }
                pen += advance;
            }
            for (face, text, x) in pieces {
                if face == usize::MAX || text.is_empty() {
                    continue;
                }
                let parsed = match (face, symbol_face()) {
                    (SYMBOL_FACE, Some(symbols)) => &symbols.font,
                    _ => &fonts.faces()[face].font,
                };
                let id = font_ids
                    .entry(face)
                    .or_insert_with(|| doc.add_font(parsed))
                    .clone();
                let (size, drop_mm) = if face == SYMBOL_FACE {
                    (
                        run.size_pt * SYMBOL_SCALE,
                        SYMBOL_DROP_EM * run.size_pt * MM_PER_PT,
                    )
                } else {
                    (run.size_pt, 0.0)
                };
                if current != Some((face, size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id),
                        size: Pt(size),
                    });
                    current = Some((face, size));
                }
                ops.push(Op::SetCharacterSpacing {
                    multiplier: run.char_spacing_pt,
                });
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(pt(x), pt(PAGE_H_MM - run.y_mm - drop_mm)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text)],
                });
            }
        }
        ops.push(Op::EndTextSection);

        if !page.rules.is_empty() {
            ops.push(Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            });
            for rule in &page.rules {
                ops.push(Op::SetOutlineThickness {
                    pt: Pt(rule.width_pt),
                });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: point(rule.x1_mm, rule.y1_mm),
                                bezier: false,
                            },
                            LinePoint {
                                p: point(rule.x2_mm, rule.y2_mm),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
        }
        if let (true, Some(seal)) = (meta.mark_seal, page.seal) {
            seal_mark(&mut ops, seal);
        }
        pdf_pages.push(PdfPage::new(Mm(PAGE_W_MM), Mm(PAGE_H_MM), ops));
    }

    doc.with_pages(pdf_pages);
    let mut warnings = Vec::new();
    let bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    let errors: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| format!("第 {} 页：{}", w.page + 1, w.msg))
        .collect();
    if !errors.is_empty() {
        return Err(DocError::Pdf(errors.join("；")));
    }
    Ok(bytes)
}

/// A thin red circle (as four Bézier arcs) inscribed in the seal rectangle.
fn seal_mark(ops: &mut Vec<Op>, seal: RectMm) {
    let r = seal.w_mm.min(seal.h_mm) / 2.0;
    let (cx, cy) = (seal.x_mm + seal.w_mm / 2.0, seal.y_mm + seal.h_mm / 2.0);
    let k = 0.552_284_8 * r;
    let p = |x: f32, y: f32, bezier: bool| LinePoint {
        p: point(cx + x, cy + y),
        bezier,
    };
    let points = vec![
        p(r, 0.0, false),
        p(r, k, true),
        p(k, r, true),
        p(0.0, r, false),
        p(-k, r, true),
        p(-r, k, true),
        p(-r, 0.0, false),
        p(-r, -k, true),
        p(-k, -r, true),
        p(0.0, -r, false),
        p(k, -r, true),
        p(r, -k, true),
        p(r, 0.0, false),
    ];
    ops.push(Op::SetOutlineColor {
        col: Color::Rgb(Rgb::new(0.85, 0.2, 0.2, None)),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
    ops.push(Op::DrawLine {
        line: Line {
            points,
            is_closed: true,
        },
    });
}

#[cfg(test)]
mod tests {
    use crate::layout::Block;

    #[test]
    fn form_check_boxes_print() {
        let Some(fonts) = hearing_testkit::require(
            crate::fonts::FontSet::system(),
            "没有中文字体（apt install fonts-noto-cjk）",
        ) else {
            return;
        };
        if super::symbol_face().is_none() {
            hearing_testkit::skip("没有 DejaVu Sans（apt install fonts-dejavu-core）");
            return;
        }
        let blocks = [Block::Paragraph("☑直接　□留置　☐邮寄".into())];
        let pdf = crate::render(&blocks, &fonts, &super::PdfMeta::default()).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
