//! The GB/T 9704-2012 page model and a pure layout engine: blocks in, positioned runs out.
//!
//! Everything here is in millimetres measured from the top-left corner of an A4 page; `y_mm` of a
//! run is its baseline. No font files are touched: widths come from a [`Measure`] the caller passes
//! (the real [`crate::fonts::FontSet`] or the [`GridMeasure`] used by tests), so line breaking,
//! kinsoku and pagination are testable without a PDF.
//!
//! The grid: body text is 16 pt on 28 characters × 22 lines in a 156 × 225 mm block. A full-width
//! character takes one cell (156/28 mm) — the PDF writer gets there with a small negative
//! character spacing — and half-width Latin letters and digits take their font advance (about
//! half a cell). Lines are justified to the block width except the last line of a paragraph.

use std::fmt;

use crate::error::DocError;

pub const PAGE_W_MM: f32 = 210.0;
pub const PAGE_H_MM: f32 = 297.0;
pub const BLOCK_LEFT_MM: f32 = 28.0;
pub const BLOCK_TOP_MM: f32 = 37.0;
pub const BLOCK_W_MM: f32 = 156.0;
pub const BLOCK_H_MM: f32 = 225.0;
pub const CHARS_PER_LINE: usize = 28;
pub const LINES_PER_PAGE: usize = 22;
/// One character cell of the body grid.
pub const CELL_MM: f32 = BLOCK_W_MM / CHARS_PER_LINE as f32;
/// One line of the body grid (≈ 10.23 mm ≈ 29 pt).
pub const PITCH_MM: f32 = BLOCK_H_MM / LINES_PER_PAGE as f32;
/// 3号.
pub const BODY_PT: f32 = 16.0;
/// 2号.
pub const TITLE_PT: f32 = 22.0;
/// 4号.
pub const PAGE_NUMBER_PT: f32 = 14.0;
/// Distance from the bottom of the text block to the top of the page number.
pub const PAGE_NUMBER_GAP_MM: f32 = 7.0;
/// Diameter of an organ's seal (the usual 42 mm round seal).
pub const SEAL_MM: f32 = 42.0;
pub const MM_PER_PT: f32 = 25.4 / 72.0;

const EPS: f32 = 0.01;

/// What a piece of text is: decides the face (仿宋, 小标宋, 黑体, 楷体, 宋体 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 仿宋: body text, headings of levels 3 and 4, the number, signature and tables.
    Body,
    /// 小标宋: the title.
    Title,
    /// 黑体: "一、" headings.
    Heading1,
    /// 楷体: "（一）" headings.
    Heading2,
    /// 宋体 digits: page numbers.
    Digits,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Body,
        Role::Title,
        Role::Heading1,
        Role::Heading2,
        Role::Digits,
    ];

    /// The stable key used in settings files and the app (`body`, `title`, …).
    pub fn key(self) -> &'static str {
        match self {
            Role::Body => "body",
            Role::Title => "title",
            Role::Heading1 => "heading1",
            Role::Heading2 => "heading2",
            Role::Digits => "digits",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Body => "正文（仿宋）",
            Role::Title => "标题（小标宋）",
            Role::Heading1 => "一级标题（黑体）",
            Role::Heading2 => "二级标题（楷体）",
            Role::Digits => "页码（宋体）",
        })
    }
}

/// Advance widths, in ems of the font size, for a character set in a role.
pub trait Measure {
    fn advance_em(&self, role: Role, ch: char) -> f32;
}

/// A font-free measure: full-width characters take 1 em, ASCII and other half-width forms ½ em.
#[derive(Debug, Clone, Copy, Default)]
pub struct GridMeasure;

impl Measure for GridMeasure {
    fn advance_em(&self, _role: Role, ch: char) -> f32 {
        if is_half_width(ch) {
            0.5
        } else {
            1.0
        }
    }
}

impl<F: Fn(Role, char) -> f32> Measure for F {
    fn advance_em(&self, role: Role, ch: char) -> f32 {
        self(role, ch)
    }
}

/// Characters drawn at about half a grid cell.
pub fn is_half_width(ch: char) -> bool {
    (' '..='~').contains(&ch) || ('\u{FF61}'..='\u{FFDC}').contains(&ch)
}

/// A piece of text drawn in one face at one position.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub x_mm: f32,
    /// Baseline, from the top of the page.
    pub y_mm: f32,
    pub size_pt: f32,
    /// Extra space after every character (PDF `Tc`): the grid adjustment plus justification.
    pub char_spacing_pt: f32,
    pub role: Role,
}

/// A straight line (table rules).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x1_mm: f32,
    pub y1_mm: f32,
    pub x2_mm: f32,
    pub y2_mm: f32,
    pub width_pt: f32,
}

/// A rectangle, top-left corner plus size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RectMm {
    pub x_mm: f32,
    pub y_mm: f32,
    pub w_mm: f32,
    pub h_mm: f32,
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// 1-based.
    pub number: usize,
    pub runs: Vec<Run>,
    pub rules: Vec<Rule>,
    /// Where the seal goes (pressing on the signing organ and the date), if on this page.
    pub seal: Option<RectMm>,
}

/// A ruled table, e.g. the fields of a form. Column widths are relative weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub col_weights: Vec<f32>,
    pub rows: Vec<Vec<String>>,
    pub size_pt: f32,
    /// The first row is a header: set in 黑体 and kept on the page of the row after it.
    pub header: bool,
}

impl Table {
    /// A table in 4号 (14 pt), the usual size for forms.
    pub fn new(col_weights: Vec<f32>, rows: Vec<Vec<String>>) -> Self {
        Table {
            col_weights,
            rows,
            size_pt: 14.0,
            header: false,
        }
    }
}

/// The building blocks of a formal document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// 2号 小标宋, centred. `|` marks where the caller wants a line break; without it the title
    /// is broken at likely word boundaries into balanced lines.
    Title(String),
    /// The document number (文号), flush right on its own line.
    DocNumber(String),
    /// 主送机关 / addressee, flush left, ending with "：" (added if missing).
    Recipient(String),
    /// A body paragraph, first line indented two characters.
    Paragraph(String),
    /// A heading: level 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1." and 4 "（1）" 仿宋. `text` includes
    /// the label. `body`, if any, continues in 仿宋 on the same paragraph.
    Heading {
        level: u8,
        text: String,
        body: Option<String>,
    },
    /// "附件：1.…" one blank line above, indented two characters, no trailing punctuation.
    AttachmentNote(Vec<String>),
    /// Signing organ centred above the date; the date right-indented four characters.
    Signature {
        organ: String,
        date: String,
    },
    Table(Table),
    /// Blank grid lines.
    Spacer(usize),
    /// A list of people under a label, as a 纪要's 出席/列席/请假 lines (GB/T 9704 §10.3): one
    /// blank line above, the label in 黑体 with a full-width colon two characters in, the names
    /// in 仿宋 after it, continued lines aligned with the first name.
    Names {
        label: String,
        names: String,
    },
}

// ---------------------------------------------------------------------------------------------
// Kinsoku

/// Never at the start of a line (GB/T 15834 and the usual zh-CN set).
pub fn is_no_start(ch: char) -> bool {
    matches!(
        ch,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '〕'
            | '】'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '”'
            | '’'
            | '…'
            | '—'
            | '%'
            | '％'
            | '］'
            | '｝'
            | '〗'
            | '·'
            | '!'
            | ')'
            | ','
            | '.'
            | ':'
            | ';'
            | '>'
            | '?'
            | ']'
            | '}'
    )
}

/// Never at the end of a line.
pub fn is_no_end(ch: char) -> bool {
    matches!(
        ch,
        '（' | '〔'
            | '【'
            | '《'
            | '〈'
            | '「'
            | '『'
            | '“'
            | '‘'
            | '［'
            | '｛'
            | '〖'
            | '$'
            | '('
            | '['
            | '{'
            | '£'
            | '¥'
            | '￥'
    )
}

fn is_word_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
}

/// A character that glues two word characters together ("12.5", "GB/T", "Wi-Fi", "10:30").
fn is_joiner(ch: char) -> bool {
    matches!(ch, '.' | ',' | ':' | '/' | '-' | '_' | '\'' | '@')
}

#[derive(Debug, Clone, Copy)]
struct Glyph {
    ch: char,
    role: Role,
    size_pt: f32,
    /// Natural advance including the base character spacing.
    w: f32,
    base_tc_pt: f32,
}

#[derive(Debug, Clone, Copy)]
struct Cluster {
    start: usize,
    end: usize,
    w: f32,
    no_start: bool,
    no_end: bool,
    space: bool,
}

/// Groups glyphs into units that must not be split: runs of ASCII letters/digits (with inner
/// joiners), runs of "—" or "…", single characters otherwise.
fn clusters(glyphs: &[Glyph]) -> Vec<Cluster> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        let c = glyphs[i].ch;
        let mut j = i + 1;
        if is_word_char(c) {
            while j < glyphs.len() {
                let d = glyphs[j].ch;
                if is_word_char(d) {
                    j += 1;
                } else if is_joiner(d)
                    && j + 1 < glyphs.len()
                    && is_word_char(glyphs[j + 1].ch)
                    && (d != ',' || (glyphs[j - 1].ch.is_ascii_digit()))
                {
                    j += 2;
                } else {
                    break;
                }
            }
        } else if c == '—' || c == '…' {
            while j < glyphs.len() && glyphs[j].ch == c {
                j += 1;
            }
        }
        let w = glyphs[i..j].iter().map(|g| g.w).sum();
        out.push(Cluster {
            start: i,
            end: j,
            w,
            no_start: is_no_start(c),
            no_end: is_no_end(glyphs[j - 1].ch),
            space: c == ' ' || c == '\u{3000}',
        });
        i = j;
    }
    out
}

/// A broken line: glyph range, extra spacing per glyph to justify, natural width.
#[derive(Debug, Clone, Copy)]
struct LineSpan {
    start: usize,
    end: usize,
    extra_mm: f32,
    width: f32,
}

/// Greedy line breaking with kinsoku. `first` and `rest` are the available widths in mm.
fn break_glyphs(glyphs: &[Glyph], first: f32, rest: f32, justify: bool) -> Vec<LineSpan> {
    let mut cl = clusters(glyphs);
    // A cluster wider than a line (a very long word) is split into characters.
    let narrowest = first.min(rest);
    if cl
        .iter()
        .any(|c| c.w > narrowest + EPS && c.end - c.start > 1)
    {
        let mut split = Vec::new();
        for c in cl {
            if c.w > narrowest + EPS && c.end - c.start > 1 {
                for (k, g) in glyphs.iter().enumerate().take(c.end).skip(c.start) {
                    split.push(Cluster {
                        start: k,
                        end: k + 1,
                        w: g.w,
                        no_start: false,
                        no_end: false,
                        space: false,
                    });
                }
            } else {
                split.push(c);
            }
        }
        cl = split;
    }

    let mut lines = Vec::new();
    let mut i = 0;
    let n = cl.len();
    while i < n {
        while i < n && cl[i].space && !lines.is_empty() {
            i += 1;
        }
        if i >= n {
            break;
        }
        let width = if lines.is_empty() { first } else { rest };
        let mut j = i;
        let mut w = 0.0;
        while j < n && w + cl[j].w <= width + EPS {
            w += cl[j].w;
            j += 1;
        }
        if j == i {
            // Not even one cluster fits (a single glyph wider than the line): take it anyway.
            j = i + 1;
        }
        let mut k = j;
        let mut last_line = j >= n;
        if !last_line {
            // Pull characters down until neither side of the break is forbidden.
            let violates = |k: usize| !cl[k].space && (cl[k].no_start || cl[k - 1].no_end);
            let mut pulled = 0;
            while k > i + 1 && violates(k) && pulled < 4 {
                k -= 1;
                pulled += 1;
            }
            if violates(k) {
                // Could not fix by pulling: let one closing mark hang in the margin.
                k = j;
                let hang = cl[k].no_start
                    && cl[k].end - cl[k].start == 1
                    && !cl[k - 1].no_end
                    && w + cl[k].w <= width + CELL_MM + EPS;
                if hang {
                    k += 1;
                    last_line = k >= n;
                }
            }
        }
        // Trim spaces at the line end.
        let mut e = k;
        while e > i + 1 && cl[e - 1].space {
            e -= 1;
        }
        let (gs, ge) = (cl[i].start, cl[e - 1].end);
        let natural: f32 = glyphs[gs..ge].iter().map(|g| g.w).sum();
        let count = ge - gs;
        let extra = if justify && !last_line && count > 1 && natural < width {
            (width - natural) / (count - 1) as f32
        } else {
            0.0
        };
        lines.push(LineSpan {
            start: gs,
            end: ge,
            extra_mm: extra,
            width: natural + extra * count.saturating_sub(1) as f32,
        });
        i = k;
    }
    lines
}

/// Breaks plain body text into lines on the grid (for tests and previews): `first_indent` cells
/// on the first line, full width after. Returns the text of each line.
pub fn break_lines(text: &str, first_indent: usize, measure: &dyn Measure) -> Vec<String> {
    let glyphs = make_glyphs(&[(text, Role::Body)], BODY_PT, true, measure);
    let first = BLOCK_W_MM - first_indent as f32 * CELL_MM;
    break_glyphs(&glyphs, first, BLOCK_W_MM, true)
        .iter()
        .map(|l| glyphs[l.start..l.end].iter().map(|g| g.ch).collect())
        .collect()
}

fn base_tc_pt(size_pt: f32, grid: bool) -> f32 {
    if grid {
        CELL_MM / MM_PER_PT - size_pt
    } else {
        0.0
    }
}

fn make_glyphs(
    spans: &[(&str, Role)],
    size_pt: f32,
    grid: bool,
    measure: &dyn Measure,
) -> Vec<Glyph> {
    let tc = base_tc_pt(size_pt, grid);
    let mut out = Vec::new();
    for (text, role) in spans {
        for ch in text.chars() {
            if ch == '\n' || ch == '\r' || ch == '|' && *role == Role::Title {
                continue;
            }
            let ch = if ch == '\t' { ' ' } else { ch };
            let em = measure.advance_em(*role, ch);
            out.push(Glyph {
                ch,
                role: *role,
                size_pt,
                w: (em * size_pt + tc) * MM_PER_PT,
                base_tc_pt: tc,
            });
        }
    }
    out
}

/// Runs for one broken line starting at `x`, baseline `y` (relative), split where the role changes.
fn line_runs(glyphs: &[Glyph], line: &LineSpan, x: f32, y: f32) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut pen = x;
    for g in &glyphs[line.start..line.end] {
        match runs.last_mut() {
            Some(r) if r.role == g.role && (r.size_pt - g.size_pt).abs() < EPS => r.text.push(g.ch),
            _ => runs.push(Run {
                text: g.ch.to_string(),
                x_mm: pen,
                y_mm: y,
                size_pt: g.size_pt,
                char_spacing_pt: g.base_tc_pt + line.extra_mm / MM_PER_PT,
                role: g.role,
            }),
        }
        pen += g.w + line.extra_mm;
    }
    runs
}

/// Baseline offset inside a line slot of height `pitch`: the em box is centred in the slot.
fn baseline_in_slot(pitch: f32, size_pt: f32) -> f32 {
    let size = size_pt * MM_PER_PT;
    (pitch - size) / 2.0 + 0.88 * size
}

// ---------------------------------------------------------------------------------------------
// Title breaking

fn good_break_after(ch: char) -> bool {
    matches!(
        ch,
        '的' | '、' | '》' | '）' | '，' | '和' | '与' | '及' | '对'
    )
}

/// Breaks a title into balanced lines at likely word boundaries. Returns glyph ranges.
fn break_title(glyphs: &[Glyph], max_w: f32) -> Vec<(usize, usize)> {
    let total: f32 = glyphs.iter().map(|g| g.w).sum();
    if total <= max_w + EPS {
        return vec![(0, glyphs.len())];
    }
    let cl = clusters(glyphs);
    let n = cl.len();
    let lines = (total / max_w).ceil().max(2.0) as usize;
    let target = total / lines as f32;
    let cell = TITLE_PT * MM_PER_PT;
    // Cost of breaking before cluster k.
    let break_cost = |k: usize| -> f32 {
        if cl[k].no_start || cl[k - 1].no_end {
            return f32::INFINITY;
        }
        let prev = glyphs[cl[k - 1].end - 1].ch;
        let next = glyphs[cl[k].start].ch;
        let after_good = good_break_after(prev);
        let before_good = matches!(next, '《' | '（')
            || (next == '关' && glyphs.get(cl[k].start + 1).map(|g| g.ch) == Some('于'));
        if after_good || before_good {
            0.0
        } else if prev == '于' {
            12.0
        } else {
            4.0
        }
    };
    // The stretches between allowed breaks, packed greedily: the fewest lines any breaking can
    // have. A stretch wider than a line fits no count (the greedy breaking below splits it);
    // fewer lines have no solution. Trying each count up from `lines` instead cost O(n⁴): a
    // 150-character title with a run of ";" took 40 s (found by fuzzing).
    let mut fewest = 1;
    let (mut line_w, mut stretch_w) = (0.0f32, 0.0f32);
    for (k, c) in cl.iter().enumerate() {
        stretch_w += c.w;
        if k + 1 < n && !break_cost(k + 1).is_finite() {
            continue;
        }
        if stretch_w > max_w + EPS {
            return break_glyphs(glyphs, max_w, max_w, false)
                .iter()
                .map(|l| (l.start, l.end))
                .collect();
        }
        if line_w > 0.0 && line_w + stretch_w > max_w + EPS {
            fewest += 1;
            line_w = 0.0;
        }
        line_w += stretch_w;
        stretch_w = 0.0;
    }
    // DP over cluster boundaries for exactly `lines` lines (or more when forced).
    for count in lines.max(fewest)..=n {
        let inf = f32::INFINITY;
        // best[l][k]: cost of putting clusters 0..k on l lines.
        let mut best = vec![vec![inf; n + 1]; count + 1];
        let mut from = vec![vec![0usize; n + 1]; count + 1];
        best[0][0] = 0.0;
        let mut prefix = vec![0.0f32; n + 1];
        for k in 0..n {
            prefix[k + 1] = prefix[k] + cl[k].w;
        }
        for l in 1..=count {
            for k in 1..=n {
                for s in 0..k {
                    if !best[l - 1][s].is_finite() {
                        continue;
                    }
                    let w = prefix[k] - prefix[s];
                    if w > max_w + EPS {
                        continue;
                    }
                    let bc = if k < n { break_cost(k) } else { 0.0 };
                    if !bc.is_finite() {
                        continue;
                    }
                    let dev = (w - target) / cell;
                    // Prefer lines that do not grow downwards by more than a little.
                    let shape = if l > 1 && s > 0 {
                        let prev_w = prefix[s] - prefix[from[l - 1][s]];
                        if w > prev_w + cell {
                            2.0
                        } else {
                            0.0
                        }
                    } else {
                        0.0
                    };
                    let c = best[l - 1][s] + dev * dev + bc + shape;
                    if c < best[l][k] {
                        best[l][k] = c;
                        from[l][k] = s;
                    }
                }
            }
        }
        if best[count][n].is_finite() {
            let mut ranges = Vec::new();
            let mut k = n;
            for l in (1..=count).rev() {
                let s = from[l][k];
                ranges.push((cl[s].start, cl[k - 1].end));
                k = s;
            }
            ranges.reverse();
            return ranges;
        }
    }
    // Unreachable in practice (a single cluster always fits after splitting); fall back to greedy.
    break_glyphs(glyphs, max_w, max_w, false)
        .iter()
        .map(|l| (l.start, l.end))
        .collect()
}

/// Title lines as strings (for tests): explicit `|` hints first, then balanced breaking.
pub fn title_lines(title: &str, measure: &dyn Measure) -> Vec<String> {
    title_parts(title, measure)
        .into_iter()
        .map(|(glyphs, range)| glyphs[range.0..range.1].iter().map(|g| g.ch).collect())
        .collect()
}

type TitlePart = (Vec<Glyph>, (usize, usize));

fn title_parts(title: &str, measure: &dyn Measure) -> Vec<TitlePart> {
    let mut out = Vec::new();
    for part in title.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let glyphs = make_glyphs(&[(part, Role::Title)], TITLE_PT, false, measure);
        for range in break_title(&glyphs, BLOCK_W_MM) {
            out.push((glyphs.clone(), range));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Flow and pagination

/// One unit of vertical flow: a grid line or a table row. Content is relative to the item's top.
#[derive(Debug, Clone, Default)]
struct Item {
    /// `None`: one grid line (snapped to the grid); `Some(h)`: free height (table rows).
    height: Option<f32>,
    runs: Vec<Run>,
    rules: Vec<Rule>,
    seal: Option<RectMm>,
    /// Must go on the same page as the item before it.
    keep_with_prev: bool,
    /// A blank line that may be dropped at the top of a page.
    discardable: bool,
    /// A line of body text (for keeping the signature with the body).
    text: bool,
}

struct Flow<'a> {
    items: Vec<Item>,
    measure: &'a dyn Measure,
    keep_next: bool,
    /// The last block was a [`Block::Names`] (the next list follows it without a blank line).
    after_names: bool,
}

impl Flow<'_> {
    fn push(&mut self, mut item: Item) {
        if self.keep_next {
            item.keep_with_prev = true;
            self.keep_next = false;
        }
        self.items.push(item);
    }

    fn blank(&mut self, discardable: bool) {
        self.push(Item {
            discardable,
            ..Item::default()
        });
    }

    fn text_line(&mut self, runs: Vec<Run>) {
        self.push(Item {
            runs,
            text: true,
            ..Item::default()
        });
    }

    /// A paragraph of mixed-role spans on the body grid.
    fn paragraph(&mut self, spans: &[(&str, Role)], first_indent: f32, rest_indent: f32) {
        let glyphs = make_glyphs(spans, BODY_PT, true, self.measure);
        if glyphs.is_empty() {
            return;
        }
        let y = baseline_in_slot(PITCH_MM, BODY_PT);
        let first_w = BLOCK_W_MM - first_indent * CELL_MM;
        let rest_w = BLOCK_W_MM - rest_indent * CELL_MM;
        for (n, line) in break_glyphs(&glyphs, first_w, rest_w, true)
            .iter()
            .enumerate()
        {
            let indent = if n == 0 { first_indent } else { rest_indent };
            let x = BLOCK_LEFT_MM + indent * CELL_MM;
            self.text_line(line_runs(&glyphs, line, x, y));
        }
    }

    /// A single line placed by `align`: the x of its left edge given its width.
    fn aligned(&mut self, text: &str, role: Role, align: impl Fn(f32) -> f32) {
        let glyphs = make_glyphs(&[(text, role)], BODY_PT, true, self.measure);
        let y = baseline_in_slot(PITCH_MM, BODY_PT);
        for line in break_glyphs(&glyphs, BLOCK_W_MM, BLOCK_W_MM, false) {
            let x = align(line.width);
            self.text_line(line_runs(&glyphs, &line, x, y));
        }
    }

    fn block(&mut self, block: &Block) -> Result<(), DocError> {
        let names = matches!(block, Block::Names { names, .. } if !names.trim().is_empty());
        self.block_inner(block)?;
        self.after_names = names;
        Ok(())
    }

    fn block_inner(&mut self, block: &Block) -> Result<(), DocError> {
        match block {
            Block::Title(title) => {
                let y = baseline_in_slot(PITCH_MM, TITLE_PT);
                let parts = title_parts(title, self.measure);
                let count = parts.len();
                for (n, (glyphs, (s, e))) in parts.iter().enumerate() {
                    let width: f32 = glyphs[*s..*e].iter().map(|g| g.w).sum();
                    let span = LineSpan {
                        start: *s,
                        end: *e,
                        extra_mm: 0.0,
                        width,
                    };
                    let x = BLOCK_LEFT_MM + (BLOCK_W_MM - width) / 2.0;
                    let keep = n > 0;
                    self.push(Item {
                        runs: line_runs(glyphs, &span, x, y),
                        keep_with_prev: keep,
                        ..Item::default()
                    });
                }
                if count > 0 {
                    self.keep_next = true;
                }
            }
            Block::DocNumber(text) => {
                self.aligned(text, Role::Body, |w| BLOCK_LEFT_MM + BLOCK_W_MM - w);
            }
            Block::Recipient(text) => {
                let mut t = text.trim().trim_end_matches([':', '：']).to_owned();
                t.push('：');
                self.paragraph(&[(&t, Role::Body)], 0.0, 0.0);
            }
            Block::Paragraph(text) => {
                self.paragraph(&[(text.trim(), Role::Body)], 2.0, 0.0);
            }
            Block::Heading { level, text, body } => {
                let role = match level {
                    0 | 1 => Role::Heading1,
                    2 => Role::Heading2,
                    _ => Role::Body,
                };
                let mut spans = vec![(text.trim(), role)];
                if let Some(b) = body {
                    spans.push((b.trim(), Role::Body));
                }
                self.paragraph(&spans, 2.0, 0.0);
                if body.is_none() {
                    self.keep_next = true;
                }
            }
            Block::AttachmentNote(items) => {
                let items: Vec<&str> = items
                    .iter()
                    .map(|s| s.trim().trim_end_matches(['。', '；', '，', '.', ';', ',']))
                    .filter(|s| !s.is_empty())
                    .collect();
                if items.is_empty() {
                    return Ok(());
                }
                self.blank(true);
                let label = "附件：";
                for (n, item) in items.iter().enumerate() {
                    let numbered = if items.len() > 1 {
                        format!("{}.{}", n + 1, item)
                    } else {
                        (*item).to_owned()
                    };
                    let number_w = if items.len() > 1 {
                        let digits = format!("{}.", n + 1);
                        digits
                            .chars()
                            .map(|c| self.measure.advance_em(Role::Body, c))
                            .sum::<f32>()
                            * BODY_PT
                            * MM_PER_PT
                            / CELL_MM
                    } else {
                        0.0
                    };
                    let text = if n == 0 {
                        format!("{label}{numbered}")
                    } else {
                        numbered
                    };
                    let first = if n == 0 { 2.0 } else { 5.0 };
                    self.paragraph(&[(&text, Role::Body)], first, 5.0 + number_w);
                }
            }
            Block::Signature { organ, date } => self.signature(organ.trim(), date.trim()),
            Block::Table(table) => self.table(table)?,
            Block::Names { label, names } => {
                let names = names.trim();
                if names.is_empty() {
                    return Ok(());
                }
                let label = format!("{}：", label.trim().trim_end_matches([':', '：']));
                let label_cells: f32 = label
                    .chars()
                    .map(|c| self.measure.advance_em(Role::Heading1, c))
                    .sum();
                if !self.after_names {
                    self.blank(true);
                }
                self.paragraph(
                    &[(&label, Role::Heading1), (names, Role::Body)],
                    2.0,
                    2.0 + label_cells.ceil(),
                );
            }
            Block::Spacer(n) => {
                for _ in 0..*n {
                    self.blank(true);
                }
            }
        }
        Ok(())
    }

    fn signature(&mut self, organ: &str, date: &str) {
        // Keep the last two body lines with the signature so the date never stands alone; an
        // attachment note (and the blank line above it) in between goes with them.
        let mut texts = 0;
        let mut idx = self.items.len();
        while idx > 0 {
            let item = &self.items[idx - 1];
            if item.text {
                texts += 1;
                if texts == 2 {
                    break;
                }
            } else if !(item.runs.is_empty() && item.height.is_none() && item.seal.is_none()) {
                break;
            }
            idx -= 1;
        }
        if texts >= 2 {
            for item in &mut self.items[idx..] {
                item.keep_with_prev = true;
            }
        }
        let y = baseline_in_slot(PITCH_MM, BODY_PT);
        let date_glyphs = make_glyphs(&[(date, Role::Body)], BODY_PT, true, self.measure);
        let date_w: f32 = date_glyphs.iter().map(|g| g.w).sum();
        let date_x = BLOCK_LEFT_MM + BLOCK_W_MM - 4.0 * CELL_MM - date_w;
        let centre = date_x + date_w / 2.0;
        let organ_glyphs = make_glyphs(&[(organ, Role::Body)], BODY_PT, true, self.measure);
        let organ_w: f32 = organ_glyphs.iter().map(|g| g.w).sum();
        let organ_x = (centre - organ_w / 2.0)
            .min(BLOCK_LEFT_MM + BLOCK_W_MM - organ_w)
            .max(BLOCK_LEFT_MM);
        // Two blank lines leave room for the seal; its top lies within one line of the body.
        let seal = RectMm {
            x_mm: centre - SEAL_MM / 2.0,
            y_mm: 0.0,
            w_mm: SEAL_MM,
            h_mm: SEAL_MM,
        };
        self.push(Item {
            seal: Some(seal),
            keep_with_prev: true,
            ..Item::default()
        });
        self.push(Item {
            keep_with_prev: true,
            ..Item::default()
        });
        let line = |glyphs: &[Glyph], w: f32, x: f32| {
            let span = LineSpan {
                start: 0,
                end: glyphs.len(),
                extra_mm: 0.0,
                width: w,
            };
            line_runs(glyphs, &span, x, y)
        };
        self.push(Item {
            runs: line(&organ_glyphs, organ_w, organ_x),
            keep_with_prev: true,
            ..Item::default()
        });
        self.push(Item {
            runs: line(&date_glyphs, date_w, date_x),
            keep_with_prev: true,
            ..Item::default()
        });
    }

    fn table(&mut self, table: &Table) -> Result<(), DocError> {
        let cols = table.col_weights.len();
        if cols == 0 || table.rows.is_empty() {
            return Ok(());
        }
        let total: f32 = table.col_weights.iter().map(|w| w.max(0.0)).sum();
        if total <= 0.0 {
            return Err(DocError::Layout("表格列宽必须大于零".into()));
        }
        let widths: Vec<f32> = table
            .col_weights
            .iter()
            .map(|w| w.max(0.0) / total * BLOCK_W_MM)
            .collect();
        let (pad_x, pad_y) = TABLE_PAD_MM;
        let pitch = table.size_pt * 1.5 * MM_PER_PT;
        for (r, row) in table.rows.iter().enumerate() {
            let head = table.header && r == 0;
            let role = if head { Role::Heading1 } else { Role::Body };
            let mut cells = Vec::new();
            let mut max_lines = 1;
            for (c, w) in widths.iter().enumerate() {
                let text = row.get(c).map(String::as_str).unwrap_or("");
                let glyphs = make_glyphs(&[(text, role)], table.size_pt, false, self.measure);
                let inner = (w - 2.0 * pad_x).max(table.size_pt * MM_PER_PT);
                let lines = break_glyphs(&glyphs, inner, inner, false);
                max_lines = max_lines.max(lines.len());
                cells.push((glyphs, lines));
            }
            // A row taller than a page goes on as boxed pieces of at most a page each, its text
            // top-aligned so it reads on from one piece to the next (a long opinion in a summary
            // table, say); a row that fits is one piece, vertically centred.
            let per_piece = (((BLOCK_H_MM - 2.0 * pad_y) / pitch).floor() as usize).max(1);
            let pieces = max_lines.div_ceil(per_piece);
            for piece in 0..pieces {
                let from = piece * per_piece;
                let to = (from + per_piece).min(max_lines);
                self.table_piece(&cells, &widths, from..to, pieces > 1, table.size_pt);
            }
            if head {
                self.keep_next = true;
            }
        }
        Ok(())
    }

    /// Lines `span` of a table row's cells as one ruled item.
    fn table_piece(
        &mut self,
        cells: &[(Vec<Glyph>, Vec<LineSpan>)],
        widths: &[f32],
        span: std::ops::Range<usize>,
        top_align: bool,
        size_pt: f32,
    ) {
        let (pad_x, pad_y) = TABLE_PAD_MM;
        let rule_w = 0.75;
        let pitch = size_pt * 1.5 * MM_PER_PT;
        let rows = span.len();
        let height = rows as f32 * pitch + 2.0 * pad_y;
        let mut runs = Vec::new();
        let mut rules = Vec::new();
        let mut x = BLOCK_LEFT_MM;
        for ((glyphs, lines), w) in cells.iter().zip(widths) {
            let shown = &lines[span.start.min(lines.len())..span.end.min(lines.len())];
            let top = if top_align {
                pad_y
            } else {
                pad_y + (rows - shown.len()) as f32 * pitch / 2.0
            };
            for (n, line) in shown.iter().enumerate() {
                let y = top + n as f32 * pitch + baseline_in_slot(pitch, size_pt);
                runs.extend(line_runs(glyphs, line, x + pad_x, y));
            }
            rules.push(Rule {
                x1_mm: x,
                y1_mm: 0.0,
                x2_mm: x,
                y2_mm: height,
                width_pt: rule_w,
            });
            x += w;
        }
        let right = BLOCK_LEFT_MM + BLOCK_W_MM;
        for y in [0.0, height] {
            rules.push(Rule {
                x1_mm: BLOCK_LEFT_MM,
                y1_mm: y,
                x2_mm: right,
                y2_mm: y,
                width_pt: rule_w,
            });
        }
        rules.push(Rule {
            x1_mm: right,
            y1_mm: 0.0,
            x2_mm: right,
            y2_mm: height,
            width_pt: rule_w,
        });
        self.push(Item {
            height: Some(height),
            runs,
            rules,
            ..Item::default()
        });
    }
}

/// Space between a table cell's rules and its text, across and down.
const TABLE_PAD_MM: (f32, f32) = (1.5, 1.5);

struct Pager {
    pages: Vec<Page>,
    /// Used height on the current page, from the block top.
    cursor: f32,
}

impl Pager {
    fn new_page(&mut self) {
        let number = self.pages.len() + 1;
        self.pages.push(Page {
            number,
            ..Page::default()
        });
        self.cursor = 0.0;
    }

    /// Top of the item if placed now, and its height.
    fn slot(&self, item: &Item) -> (f32, f32) {
        match item.height {
            None => {
                let line = (self.cursor / PITCH_MM - EPS).ceil().max(0.0);
                (line * PITCH_MM, PITCH_MM)
            }
            Some(h) => (self.cursor, h),
        }
    }

    fn fits(&self, item: &Item) -> bool {
        let (top, h) = self.slot(item);
        top + h <= BLOCK_H_MM + EPS
    }

    /// Would the whole group fit from the current cursor?
    fn group_fits(&self, group: &[Item]) -> bool {
        let mut sim = Pager {
            pages: Vec::new(),
            cursor: self.cursor,
        };
        for item in group {
            if !sim.fits(item) {
                return false;
            }
            let (top, h) = sim.slot(item);
            sim.cursor = top + h;
        }
        true
    }

    fn place(&mut self, item: &Item) {
        if self.pages.is_empty() || !self.fits(item) {
            self.new_page();
        }
        if item.discardable && self.cursor <= EPS {
            return;
        }
        let (top, h) = self.slot(item);
        let abs = BLOCK_TOP_MM + top;
        if let Some(page) = self.pages.last_mut() {
            for r in &item.runs {
                let mut r = r.clone();
                r.y_mm += abs;
                page.runs.push(r);
            }
            for rule in &item.rules {
                let mut rule = *rule;
                rule.y1_mm += abs;
                rule.y2_mm += abs;
                page.rules.push(rule);
            }
            if let Some(mut seal) = item.seal {
                seal.y_mm += abs;
                page.seal = Some(seal);
            }
        }
        self.cursor = top + h;
    }
}

/// Lays the blocks out on GB/T 9704 pages, adding page numbers.
pub fn layout(blocks: &[Block], measure: &dyn Measure) -> Result<Vec<Page>, DocError> {
    let mut flow = Flow {
        items: Vec::new(),
        measure,
        keep_next: false,
        after_names: false,
    };
    for block in blocks {
        flow.block(block)?;
    }
    // Group items that must stay together.
    let mut groups: Vec<Vec<Item>> = Vec::new();
    for item in flow.items {
        match groups.last_mut() {
            Some(g) if item.keep_with_prev => g.push(item),
            _ => groups.push(vec![item]),
        }
    }
    let mut pager = Pager {
        pages: Vec::new(),
        cursor: 0.0,
    };
    pager.new_page();
    for group in &groups {
        if !pager.group_fits(group) && pager.cursor > EPS {
            pager.new_page();
        }
        for item in group {
            pager.place(item);
        }
    }
    for page in &mut pager.pages {
        page.runs.push(page_number_run(page.number, measure));
    }
    Ok(pager.pages)
}

/// "— N —" in 4号, 7 mm below the block; odd pages right, even pages left, one character in.
fn page_number_run(number: usize, measure: &dyn Measure) -> Run {
    let text = format!("— {number} —");
    let width: f32 = text
        .chars()
        .map(|c| measure.advance_em(Role::Digits, c) * PAGE_NUMBER_PT * MM_PER_PT)
        .sum();
    let x = if number % 2 == 1 {
        BLOCK_LEFT_MM + BLOCK_W_MM - CELL_MM - width
    } else {
        BLOCK_LEFT_MM + CELL_MM
    };
    // The top of the dashes and digits (about 0.75 em above the baseline) sits 7 mm below.
    let y = BLOCK_TOP_MM + BLOCK_H_MM + PAGE_NUMBER_GAP_MM + 0.75 * PAGE_NUMBER_PT * MM_PER_PT;
    Run {
        text,
        x_mm: x,
        y_mm: y,
        size_pt: PAGE_NUMBER_PT,
        char_spacing_pt: 0.0,
        role: Role::Digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_constants() {
        assert!((CELL_MM - 5.571).abs() < 0.001);
        assert!((PITCH_MM / MM_PER_PT - 29.0).abs() < 0.1);
        // 16 pt on a 156/28 mm cell needs about −0.21 pt of spacing.
        assert!((base_tc_pt(BODY_PT, true) + 0.209).abs() < 0.005);
    }

    #[test]
    fn full_line_has_28_characters() {
        let text = "一".repeat(60);
        let lines = break_lines(&text, 0, &GridMeasure);
        assert_eq!(lines[0].chars().count(), 28);
        assert_eq!(lines[1].chars().count(), 28);
        assert_eq!(lines[2].chars().count(), 4);
        let lines = break_lines(&text, 2, &GridMeasure);
        assert_eq!(lines[0].chars().count(), 26);
    }

    #[test]
    fn closing_mark_is_pulled_not_started() {
        // 27 characters then "。": the full stop would start line 2.
        let text = format!("{}甲。乙", "一".repeat(27));
        let lines = break_lines(&text, 0, &GridMeasure);
        assert!(!lines[1].starts_with('。'), "{lines:?}");
    }
}
