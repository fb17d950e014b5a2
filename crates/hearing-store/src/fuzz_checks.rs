//! The invariant of the organ's document templates, as a check over raw bytes: the `template`
//! fuzz target (`fuzz/`) runs it on generated input, and `tests/fuzz_regressions.rs` replays
//! the committed corpus through the same function, so the two cannot drift. It panics when the
//! invariant fails. Not an API: hidden from the docs, used only by the fuzzer and the tests.

use hearing_docs::templates::{blocks, fill};
use hearing_docs::{layout, DocError, DocKind, Fields, GridMeasure};

use crate::templates::{check_template, fields_for, FieldShape};

/// Field values a case can carry that look like template syntax.
const AWKWARD: [&str; 10] = [
    "",
    " ",
    "@x",
    "@h1 标题",
    ";;注释",
    "| 甲 | 乙 |",
    "{matter}",
    "第一行\n@table 1\n第二行",
    "\u{3000}@p 甲",
    "||",
];

/// The length of the sample values `check_template` lays out with ("示例"). A longer value
/// can make a table row taller than a page, which the layout refuses: a limit of the layout
/// (a row is not split across pages), not something a template check can rule out.
const SAMPLE_CHARS: usize = 2;

/// The longest fuzzed field value used (`text::MEDIUM`, the limit of a title).
const MAX_VALUE_CHARS: usize = 300;

/// Above this many bytes a template is only checked, not filled and laid out, to keep each run
/// short (real templates are a few KB).
const MAX_FILLED: usize = 64 * 1024;

/// A template as `hearingctl template save` or 设置 → 文书模板 receive it. The first byte picks
/// the kind; the rest is the text, and after a NUL a field value to fill it with.
///
/// `check_template` never panics and says the same of the text as it will be saved (CRLF made
/// LF, a final newline added); and what it accepts never stops a document from being generated:
/// filled with any values of the right shapes, the text parses into layout blocks, and the
/// blocks lay out (a value longer than the check's samples may make a table row too tall).
pub fn template(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind = DocKind::ALL[usize::from(pick) % DocKind::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let (source, value) = match text.split_once('\0') {
        Some((source, value)) => (source, Some(value)),
        None => (text.as_ref(), None),
    };
    // The value goes into every field, titles too, which hold at most 300 characters (a title
    // of thousands takes the balanced title breaking seconds).
    let value = value.map(|v| match v.char_indices().nth(MAX_VALUE_CHARS) {
        Some((end, _)) => &v[..end],
        None => v,
    });
    let verdict = check_template(kind, source);
    let mut saved = source.replace("\r\n", "\n");
    if !saved.ends_with('\n') {
        saved.push('\n');
    }
    assert_eq!(
        verdict.is_ok(),
        check_template(kind, &saved).is_ok(),
        "the check differs on the text as saved"
    );
    if verdict.is_err() || source.len() > MAX_FILLED {
        return;
    }
    let fields = fields_for(kind);
    let with = |value: Option<&str>| {
        let mut f = Fields::new();
        for field in &fields {
            match (field.shape, value) {
                (FieldShape::Text, v) => f.text(&field.name, v.unwrap_or("")),
                (FieldShape::List, Some(v)) => f.list(&field.name, vec![v.into(), v.into()]),
                (FieldShape::List, None) => f.list(&field.name, Vec::new()),
                (FieldShape::Rows, Some(v)) => f.rows(&field.name, vec![vec![v.into(); 8]; 2]),
                (FieldShape::Rows, None) => f.rows(&field.name, Vec::new()),
            };
        }
        f
    };
    let values = AWKWARD.iter().map(|v| Some(*v)).chain([value, None]);
    for v in values {
        let filled = fill(kind.label(), source, &with(v))
            .unwrap_or_else(|e| panic!("an accepted template does not fill with {v:?}: {e}"));
        let b = blocks(&filled)
            .unwrap_or_else(|e| panic!("filled with {v:?}, the text does not parse: {e}"));
        match layout(&b, &GridMeasure) {
            Ok(_) => {}
            Err(DocError::Layout(m))
                if m.contains("一页排不下")
                    && v.is_some_and(|v| v.chars().count() > SAMPLE_CHARS) => {}
            Err(e) => panic!("filled with {v:?}, the document does not lay out: {e}"),
        }
    }
}
