//! Real PDFs, read back with poppler (pdftotext, pdffonts). Skipped, with a note, when no CJK
//! font or no poppler is installed.

mod common;

use common::*;
use hearing_docs::{render, Block, DocError, FaceSpec, FontConfig, FontSet, PdfMeta, Role};

const MM_PER_PT: f32 = 25.4 / 72.0;

/// A word of `pdftotext -bbox-layout`, in millimetres from the top-left corner.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse::<f32>().unwrap() * MM_PER_PT
}

fn words(pdf: &std::path::Path) -> Vec<Word> {
    let xml = run("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let mut out = Vec::new();
    let mut page = 0;
    for line in xml.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let text_start = line.find('>').unwrap() + 1;
            let text_end = line.rfind("</word>").unwrap();
            out.push(Word {
                page,
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
                text: line[text_start..text_end].to_owned(),
            });
        }
    }
    out
}

/// Text lines of one page: words grouped by their top edge.
fn page_lines(words: &[Word], page: usize) -> Vec<(f32, String)> {
    let mut lines: Vec<(f32, String)> = Vec::new();
    for w in words.iter().filter(|w| w.page == page) {
        match lines.iter_mut().find(|(y, _)| (y - w.y0).abs() < 1.0) {
            Some((_, t)) => t.push_str(&w.text),
            None => lines.push((w.y0, w.text.clone())),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines
}

fn decision_pdf() -> Option<(Vec<u8>, std::path::PathBuf)> {
    let fonts = fonts()?;
    if !have("pdftotext") || !have("pdffonts") {
        return None;
    }
    let bytes = hearing_docs::closure_decision_with(&sample(), &fonts).unwrap();
    // One file per test: the tests run at once, and one writing the file while another's
    // poppler tool reads it made the reader fail.
    let name = std::thread::current()
        .name()
        .map(|t| t.replace("::", "-"))
        .unwrap_or_else(|| "closure_decision".into());
    let path = write(&format!("{name}.pdf"), &bytes);
    Some((bytes, path))
}

#[test]
fn decision_text_is_present_and_in_order() {
    let Some((_, path)) = decision_pdf() else {
        return;
    };
    let text: String = run("pdftotext", &[path.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let expected = [
        "青海市人民政府",
        "终结听证决定书",
        "青政法终〔2026〕7号",
        "申请人：王䶮，公民身份号码：630102********1234。",
        "一、申请事项和办理经过",
        "《关于收回国有土地使用权的决定》",
        "二、听证情况",
        "本机关于2026年2月10日依法举行听证",
        "每平方米12.5万元",
        "三、认定的事实和理由",
        "GB/T21010—2017",
        "WiFi",
        "四、决定",
        "依法终结办理",
        "不再受理",
        "申请行政复议",
        "附件：1.听证笔录",
        "2.听证评议意见表",
        "青海市人民政府",
        "2026年3月5日",
    ];
    let mut from = 0;
    for phrase in expected {
        let phrase: String = phrase.chars().filter(|c| !c.is_whitespace()).collect();
        let found = text[from..].find(&phrase);
        assert!(found.is_some(), "missing or out of order: {phrase}\n{text}");
        from += found.unwrap_or(0) + phrase.len();
    }
}

#[test]
fn decision_fonts_are_embedded_subsets_and_file_is_small() {
    let Some((bytes, path)) = decision_pdf() else {
        return;
    };
    assert!(bytes.len() <= 150 * 1024, "{} bytes", bytes.len());
    let listing = run("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(rows.len() >= 2, "{listing}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type… encoding emb sub uni id gen
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "not a subset: {row}");
        assert!(cols[0].contains('+'), "subset prefix: {row}");
    }
}

#[test]
fn decision_metadata_has_the_title() {
    let Some((_, path)) = decision_pdf() else {
        return;
    };
    if !have("pdfinfo") {
        return;
    }
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    assert!(
        info.contains("终结听证决定书（青政法终〔2026〕7号）"),
        "{info}"
    );
    assert!(info.contains("A4"), "{info}");
}

#[test]
fn decision_body_glyphs_lie_inside_the_text_block() {
    let Some((_, path)) = decision_pdf() else {
        return;
    };
    let words = words(&path);
    let tol = 0.2;
    for w in &words {
        let height = w.y1 - w.y0;
        let is_page_number = w.y0 > 262.0;
        // 16 pt text: pdftotext boxes are ascent + descent ≈ 1.44 em ≈ 8.1 mm high.
        if is_page_number || height > 9.0 {
            continue;
        }
        assert!(
            w.x0 >= 28.0 - tol && w.x1 <= 184.0 + tol,
            "outside x: {w:?}"
        );
        assert!(
            w.y0 >= 37.0 - tol && w.y1 <= 262.0 + tol,
            "outside y: {w:?}"
        );
    }
    // The page number of page 1 is right, 7 mm or so below the block.
    let n1 = words.iter().find(|w| w.page == 1 && w.y0 > 262.0).unwrap();
    assert!(n1.x1 > 150.0 && n1.y0 > 266.0 && n1.y1 < 280.0, "{n1:?}");
}

#[test]
fn grid_pages_have_22_lines_of_28_characters_and_numbers_alternate() {
    let Some(fonts) = fonts() else { return };
    if !have("pdftotext") {
        return;
    }
    let para = "本机关依法对申请人提出的听证申请进行了审查，认为申请符合法定条件，决定予以受理并组织听证。".repeat(12);
    let blocks = vec![
        Block::Paragraph(para.clone()),
        Block::Paragraph(para.clone()),
        Block::Paragraph(para),
    ];
    let bytes = render(
        &blocks,
        &fonts,
        &PdfMeta {
            title: "网格".into(),
            ..PdfMeta::default()
        },
    )
    .unwrap();
    let path = write("grid.pdf", &bytes);
    let words = words(&path);
    let pages = words.iter().map(|w| w.page).max().unwrap();
    assert!(pages >= 3, "{pages} pages");
    for page in 1..=pages {
        let lines: Vec<(f32, String)> = page_lines(&words, page)
            .into_iter()
            .filter(|(y, _)| *y < 262.0)
            .collect();
        if page < pages {
            assert_eq!(lines.len(), 22, "page {page}: {lines:#?}");
            // Lines ≈ 29 pt apart.
            for pair in lines.windows(2) {
                assert!((pair[1].0 - pair[0].0 - 225.0 / 22.0).abs() < 0.05);
            }
        }
        let full = lines
            .iter()
            .filter(|(_, t)| t.chars().count() == 28)
            .count();
        assert!(
            full >= 1 || page == pages,
            "page {page} has no full line: {lines:#?}"
        );
        for (_, t) in &lines {
            assert!(t.chars().count() <= 28, "{t}");
        }
        let number: Vec<&Word> = words
            .iter()
            .filter(|w| w.page == page && w.y0 > 262.0)
            .collect();
        let text: String = number.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(text, format!("—{page}—"));
        let (x0, x1) = (number[0].x0, number[number.len() - 1].x1);
        if page % 2 == 1 {
            assert!(
                (x1 - (184.0 - 156.0 / 28.0)).abs() < 0.5,
                "odd page number at {x1}"
            );
        } else {
            assert!(
                (x0 - (28.0 + 156.0 / 28.0)).abs() < 0.5,
                "even page number at {x0}"
            );
        }
        for w in words.iter().filter(|w| w.page == page && w.y0 < 262.0) {
            assert!(
                w.x0 >= 27.9 && w.x1 <= 184.1 && w.y0 >= 36.9 && w.y1 <= 262.1,
                "{w:?}"
            );
        }
    }
}

#[test]
fn a_character_no_face_has_is_a_clear_error() {
    let Some(fonts) = fonts() else { return };
    let blocks = [Block::Paragraph("申请人\u{10FFFD}".into())];
    let err = render(&blocks, &fonts, &PdfMeta::default()).unwrap_err();
    assert!(
        matches!(
            err,
            DocError::MissingGlyph {
                ch: '\u{10FFFD}',
                role: Role::Body
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("U+10FFFD") && msg.contains("正文"), "{msg}");
}

#[test]
fn rare_name_characters_come_from_the_fallback_face() {
    let Some(fonts) = fonts() else { return };
    for ch in ['䶮', '堃', '喆', '昇', '镕', '赟', '珺', '玥', '翀', '𠀾'] {
        assert!(fonts.face_index_for(Role::Body, ch).is_ok(), "{ch}");
    }
}

#[test]
fn faces_switch_within_a_run() {
    // A Latin-only body face first: CJK must fall back to Noto within the same line.
    let latin = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    if !std::path::Path::new(latin).is_file() {
        hearing_testkit::skip("没有 DejaVu Serif（apt install fonts-dejavu-core）");
        return;
    }
    if fonts().is_none() || !have("pdffonts") {
        return;
    }
    let mut config = FontConfig::default();
    config
        .overrides
        .insert(Role::Body, vec![FaceSpec::new(latin, 0)]);
    let set = FontSet::load(&config).unwrap();
    let bytes = render(
        &[Block::Paragraph("版本Version 2.0于2026年发布。".into())],
        &set,
        &PdfMeta::default(),
    )
    .unwrap();
    let path = write("switch.pdf", &bytes);
    let listing = run("pdffonts", &[path.to_str().unwrap()]);
    assert!(listing.contains("DejaVuSerif"), "{listing}");
    assert!(listing.contains("NotoSerifCJK"), "{listing}");
    let text: String = run("pdftotext", &[path.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect();
    assert!(text.contains("版本Version2.0于2026年发布。"), "{text}");
}

#[test]
fn a_missing_override_file_is_reported() {
    let mut config = FontConfig::default();
    config.overrides.insert(
        Role::Title,
        vec![FaceSpec::new("/nonexistent/方正小标宋.ttf", 0)],
    );
    let err = FontSet::load(&config).unwrap_err();
    assert!(matches!(err, DocError::FontRead { .. }), "{err:?}");
    assert!(err.to_string().contains("无法读取字体文件"));
}

#[test]
fn png_preview_for_review() {
    let Some((_, path)) = decision_pdf() else {
        return;
    };
    if !have("pdftoppm") {
        return;
    }
    let prefix = out_dir().join("closure_decision");
    let plain = pages_as_png(&path, &prefix);
    // A second preview with the seal position marked.
    let Some(fonts) = fonts() else { return };
    let blocks = hearing_docs::closure_decision_blocks(&sample()).unwrap();
    let meta = PdfMeta {
        title: "预览".into(),
        mark_seal: true,
        ..PdfMeta::default()
    };
    let bytes = render(&blocks, &fonts, &meta).unwrap();
    let sealed = write("closure_decision_seal.pdf", &bytes);
    let marked = pages_as_png(&sealed, &out_dir().join("closure_decision_seal"));
    // Every page is an A4 sheet at 60 dpi (210 × 297 mm: 496.1 × 701.6 pixels, which pdftoppm
    // rounds up), the same number of pages either way, and the marked seal shows on the pictures.
    assert!(!plain.is_empty());
    assert_eq!(plain.len(), marked.len());
    for png in plain.iter().chain(&marked) {
        assert_eq!(png_size(png), (497, 702), "{}", png.display());
    }
    let differ = plain
        .iter()
        .zip(&marked)
        .filter(|(a, b)| std::fs::read(a).ok() != std::fs::read(b).ok())
        .count();
    assert!(differ >= 1, "the seal mark changes no page");
    eprintln!(
        "preview: {} and {}",
        plain[0].display(),
        marked[0].display()
    );
}

/// Renders every page of `pdf` with pdftoppm at 60 dpi to `<prefix>-N.png`; the files in order.
fn pages_as_png(pdf: &std::path::Path, prefix: &std::path::Path) -> Vec<std::path::PathBuf> {
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut pages = Vec::new();
    for n in 1.. {
        let p = std::path::PathBuf::from(format!("{}-{n}.png", prefix.display()));
        if !p.is_file() {
            break;
        }
        pages.push(p);
    }
    pages
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

/// The benchmark's closure decision: the built-in `decision` template filled as the app fills it
/// for a held hearing (4 pages, ~350 distinct characters), with the verification stamp.
#[allow(dead_code)]
#[path = "../benches/docs/corpus.rs"]
mod corpus;

#[test]
fn realistic_decision_with_shipped_fangsong_is_at_most_150_kb() {
    let Some(fonts) = fonts() else { return };
    if !have("pdffonts") || !have_shipped("FandolFang-Regular.otf") {
        return;
    }
    let text = hearing_docs::Templates::builtin()
        .fill(
            hearing_docs::DocKind::ClosureDecision,
            &corpus::decision_fields(),
        )
        .unwrap();
    let stamp = corpus::decision_stamp();
    let bytes = hearing_docs::render_document(
        hearing_docs::DocKind::ClosureDecision,
        &text,
        &fonts,
        Some(&stamp),
    )
    .unwrap();
    let path = write("realistic_decision.pdf", &bytes);
    let listing = run("pdffonts", &[path.to_str().unwrap()]);
    // The body is the shipped 仿宋 (slimmed by `make fonts`), embedded as a subset.
    assert!(
        listing
            .lines()
            .any(|l| l.contains("+FandolFang-Regular") && l.contains(" yes yes ")),
        "{listing}"
    );
    assert!(
        bytes.len() <= 150 * 1024,
        "{} bytes; were the shipped fonts slimmed (scripts/fetch-fonts.sh)?",
        bytes.len()
    );
}
