//! Documents as data: every kind is a line-oriented text template with `{field}` placeholders,
//! built in (templates/*.txt) and overridable per organ from a directory (`<key>.txt`).
//!
//! Template lines (also the syntax of the filled text that is stored and frozen):
//! - `;;` comment, blank lines ignored
//! - `@title 机关|文种` (`|` = preferred break), `@number 文号`, `@recipient 主送`
//! - `@h1 一、…`, `@h2 （一）…`, `@h3 1.…`; `@p 段落` or any other line: a paragraph
//! - `@paras {list}`: one paragraph per item (an item starting with `@h1 `/`@h2 `/`@h3 ` is a heading)
//! - `@table 2,5,2,5` then rows `| a | b |`, `@rows {rows}`, ended by `@end`; a size name
//!   first sets the table's type size (`@table 小四 3,2,2`: 四号 14 pt, the default; 小四 12 pt;
//!   五号 10.5 pt), for tables of many columns; `表头` makes the first row a header (黑体, kept
//!   with the row after it): `@table 五号 表头 4,2,2`
//! - `@names 出席|张三、李四`: a 纪要's list of people under a label
//! - `@attach 附件名` (one per attachment), `@sign 机关|日期`, `@spacer N`
//! - any directive followed by `?` (`@p? …`) is dropped when a field it uses is empty.
//!
//! A field the template uses but the data does not provide is an error naming it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::error::DocError;
use crate::layout::{Block, Table};

/// The kinds of documents (DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Announcement,
    Notice,
    Invitation,
    Declaration,
    Plan,
    PresiderScript,
    Transcript,
    /// One member's 评议意见表 (per panelist).
    PanelistOpinion,
    /// The summary of all members' opinions (评议意见汇总表).
    Opinions,
    Report,
    ClosureApproval,
    ClosureDecision,
    ServiceReceipt,
    Handover,
}

impl DocKind {
    pub const ALL: [DocKind; 14] = [
        DocKind::Announcement,
        DocKind::Notice,
        DocKind::Invitation,
        DocKind::Declaration,
        DocKind::Plan,
        DocKind::PresiderScript,
        DocKind::Transcript,
        DocKind::PanelistOpinion,
        DocKind::Opinions,
        DocKind::Report,
        DocKind::ClosureApproval,
        DocKind::ClosureDecision,
        DocKind::ServiceReceipt,
        DocKind::Handover,
    ];

    /// Stable key, also the template file name (`<key>.txt`) and the CLI `--kind`.
    pub fn key(self) -> &'static str {
        match self {
            DocKind::Announcement => "announcement",
            DocKind::Notice => "notice",
            DocKind::Invitation => "invitation",
            DocKind::Declaration => "declaration",
            DocKind::Plan => "plan",
            DocKind::PresiderScript => "script",
            DocKind::Transcript => "transcript",
            DocKind::PanelistOpinion => "opinion",
            DocKind::Opinions => "opinions",
            DocKind::Report => "report",
            DocKind::ClosureApproval => "approval",
            DocKind::ClosureDecision => "decision",
            DocKind::ServiceReceipt => "receipt",
            DocKind::Handover => "handover",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Announcement => "听证公告",
            DocKind::Notice => "听证通知书",
            DocKind::Invitation => "听证员邀请函",
            DocKind::Declaration => "回避/保密承诺书",
            DocKind::Plan => "听证方案",
            DocKind::PresiderScript => "主持词",
            DocKind::Transcript => "听证笔录",
            DocKind::PanelistOpinion => "听证员评议意见表",
            DocKind::Opinions => "评议意见汇总表",
            DocKind::Report => "听证报告",
            DocKind::ClosureApproval => "终结审批表",
            DocKind::ClosureDecision => "终结告知书",
            DocKind::ServiceReceipt => "送达回证",
            DocKind::Handover => "属地稳控交接函",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL
            .into_iter()
            .find(|k| k.key() == s || k.label() == s)
    }

    /// The `doc_prefixes` kind its number is drawn from, if it is numbered.
    pub fn prefix_kind(self) -> Option<&'static str> {
        match self {
            DocKind::Announcement => Some("hearingAnnouncement"),
            DocKind::Notice | DocKind::Invitation => Some("hearingNotice"),
            DocKind::Report => Some("hearingReport"),
            DocKind::ClosureApproval => Some("closureApproval"),
            DocKind::ClosureDecision => Some("closureDecision"),
            DocKind::Handover => Some("handover"),
            _ => None,
        }
    }

    /// Whether the document is about one hearing (otherwise about the case).
    pub fn needs_hearing(self) -> bool {
        !matches!(
            self,
            DocKind::ClosureApproval | DocKind::Handover | DocKind::ServiceReceipt
        )
    }

    /// Whether one document is made per panelist (邀请函, 听证员评议意见表), addressed to them.
    pub fn per_panelist(self) -> bool {
        matches!(self, DocKind::Invitation | DocKind::PanelistOpinion)
    }

    pub fn builtin(self) -> &'static str {
        match self {
            DocKind::Announcement => include_str!("../templates/announcement.txt"),
            DocKind::Notice => include_str!("../templates/notice.txt"),
            DocKind::Invitation => include_str!("../templates/invitation.txt"),
            DocKind::Declaration => include_str!("../templates/declaration.txt"),
            DocKind::Plan => include_str!("../templates/plan.txt"),
            DocKind::PresiderScript => include_str!("../templates/script.txt"),
            DocKind::Transcript => include_str!("../templates/transcript.txt"),
            DocKind::PanelistOpinion => include_str!("../templates/opinion.txt"),
            DocKind::Opinions => include_str!("../templates/opinions.txt"),
            DocKind::Report => include_str!("../templates/report.txt"),
            DocKind::ClosureApproval => include_str!("../templates/approval.txt"),
            DocKind::ClosureDecision => include_str!("../templates/decision.txt"),
            DocKind::ServiceReceipt => include_str!("../templates/receipt.txt"),
            DocKind::Handover => include_str!("../templates/handover.txt"),
        }
    }
}

/// Built-in templates of texts that are not one of a case's documents, by key (also the file
/// name of a desk's own version, `<key>.txt`): the 三单, the 会商研判纪要 and the 通报.
pub fn builtin_extra(key: &str) -> Option<&'static str> {
    match key {
        "slip" => Some(include_str!("../templates/slip.txt")),
        "slip-feedback" => Some(include_str!("../templates/slip-feedback.txt")),
        "minutes" => Some(include_str!("../templates/minutes.txt")),
        "bulletin" => Some(include_str!("../templates/bulletin.txt")),
        _ => None,
    }
}

/// One field's data.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    List(Vec<String>),
    Rows(Vec<Vec<String>>),
}

impl Value {
    fn is_empty(&self) -> bool {
        match self {
            Value::Text(t) => t.trim().is_empty(),
            Value::List(l) => l.iter().all(|s| s.trim().is_empty()),
            Value::Rows(r) => r.is_empty(),
        }
    }
}

/// The data of one document: field name → value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(pub BTreeMap<String, Value>);

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }
    pub fn text(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.0.insert(key.to_owned(), Value::Text(value.into()));
        self
    }
    pub fn list(&mut self, key: &str, value: Vec<String>) -> &mut Self {
        self.0.insert(key.to_owned(), Value::List(value));
        self
    }
    pub fn rows(&mut self, key: &str, value: Vec<Vec<String>>) -> &mut Self {
        self.0.insert(key.to_owned(), Value::Rows(value));
        self
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
}

/// The templates in use: built-in defaults, each replaced by `<dir>/<key>.txt` where present.
#[derive(Debug, Clone)]
pub struct Templates {
    map: HashMap<DocKind, String>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::builtin()
    }
}

impl Templates {
    pub fn builtin() -> Templates {
        Templates {
            map: DocKind::ALL
                .into_iter()
                .map(|k| (k, k.builtin().to_owned()))
                .collect(),
        }
    }

    /// The built-ins, overridden by the files found in `override_dir`.
    pub fn load(override_dir: Option<&Path>) -> Result<Templates, DocError> {
        let mut t = Templates::builtin();
        if let Some(dir) = override_dir {
            for kind in DocKind::ALL {
                let path = dir.join(format!("{}.txt", kind.key()));
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        t.map.insert(kind, text);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(DocError::Template(format!(
                            "无法读取模板文件 {}：{e}",
                            path.display()
                        )))
                    }
                }
            }
        }
        Ok(t)
    }

    pub fn source(&self, kind: DocKind) -> &str {
        self.map.get(&kind).map(String::as_str).unwrap_or("")
    }

    /// Fills the template of `kind` with `fields`: the document text, ready to freeze.
    pub fn fill(&self, kind: DocKind, fields: &Fields) -> Result<String, DocError> {
        fill(kind.label(), self.source(kind), fields)
    }
}

fn clean_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn clean_cell(s: &str) -> String {
    clean_line(s).replace('|', "｜")
}

/// Splits a line into literal and placeholder parts; `{{`/`}}` are not used in Chinese text.
fn placeholders(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name);
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// The directives a template line may start with (a trailing `?` makes it optional).
pub const DIRECTIVES: [&str; 15] = [
    "@title",
    "@number",
    "@recipient",
    "@h1",
    "@h2",
    "@h3",
    "@p",
    "@paras",
    "@table",
    "@rows",
    "@end",
    "@attach",
    "@sign",
    "@spacer",
    "@names",
];

/// How a template line uses a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldUse {
    /// Substituted into the text of a line.
    Inline,
    /// `@paras {list}`: one paragraph per item.
    Paras,
    /// `@rows {rows}`: table rows.
    Rows,
}

/// One `{field}` in a template, with its (1-based) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    pub line: usize,
    pub name: String,
    pub usage: FieldUse,
}

/// Every `{field}` a template uses, in order (comment lines skipped).
pub fn field_refs(source: &str) -> Vec<FieldRef> {
    let mut out = Vec::new();
    for (n, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(";;") {
            continue;
        }
        let directive = line.split(' ').next().unwrap_or("").trim_end_matches('?');
        let usage = match directive {
            "@paras" => FieldUse::Paras,
            "@rows" => FieldUse::Rows,
            _ => FieldUse::Inline,
        };
        for name in placeholders(line) {
            out.push(FieldRef {
                line: n + 1,
                name: name.to_owned(),
                usage,
            });
        }
    }
    out
}

/// Checks the form of a template without data: known directives, one list field after
/// `@paras`/`@rows`, valid column widths, and braces that enclose a field name. Every problem
/// is named with its line, in Chinese.
pub fn check_syntax(source: &str) -> Result<(), DocError> {
    let mut problems = Vec::new();
    let mut in_table = false;
    for (n, raw) in source.lines().enumerate() {
        let line = raw.trim();
        let at = n + 1;
        if line.is_empty() || line.starts_with(";;") {
            continue;
        }
        // Braces: every `{` closes on the same line around a field name.
        let mut rest = line;
        while let Some(start) = rest.find(['{', '}']) {
            if rest[start..].starts_with('}') {
                problems.push(format!("第 {at} 行有多余的“}}”"));
                break;
            }
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        problems.push(format!(
                            "第 {at} 行的“{{{name}}}”不是字段名：花括号中只能写字段列表中的英文字段名"
                        ));
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    problems.push(format!("第 {at} 行的“{{”没有对应的“}}”"));
                    break;
                }
            }
        }
        if !line.starts_with('@') {
            if !line.starts_with('|') {
                in_table = false;
            } else if !in_table {
                problems.push(format!(
                    "第 {at} 行是表格行（以“|”开头），但前面没有 @table 列宽"
                ));
            }
            continue;
        }
        let (head, args) = line.split_once(' ').unwrap_or((line, ""));
        let directive = head.trim_end_matches('?');
        if !DIRECTIVES.contains(&directive) {
            problems.push(format!(
                "第 {at} 行：无法识别的指令“{head}”，可用：{}",
                DIRECTIVES.join(" ")
            ));
            continue;
        }
        match directive {
            "@table" => {
                if weights(args).is_empty() {
                    problems.push(format!(
                        "第 {at} 行：@table 后应为各列宽度的比例，如“@table 3,9”"
                    ));
                }
                in_table = true;
            }
            "@end" => in_table = false,
            "@paras" | "@rows" => {
                let names = placeholders(args);
                if names.len() != 1 || args.trim() != format!("{{{}}}", names[0]) {
                    problems.push(format!(
                        "第 {at} 行：{directive} 后应只写一个字段，如“{directive} {{{}}}”",
                        if directive == "@rows" {
                            "rows"
                        } else {
                            "items"
                        }
                    ));
                }
                if directive == "@rows" && !in_table {
                    problems.push(format!("第 {at} 行：@rows 应写在 @table 与 @end 之间"));
                }
            }
            "@spacer" => {
                if !args.trim().is_empty() && args.trim().parse::<u32>().is_err() {
                    problems.push(format!("第 {at} 行：@spacer 后应为空行数，如“@spacer 2”"));
                }
            }
            _ => {
                if in_table {
                    // Any directive but a row or @end closes the table; that is allowed.
                    in_table = false;
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DocError::Template(problems.join("；")))
    }
}

/// Fills `source` (a template) with `fields`; `name` is used in error messages.
pub fn fill(name: &str, source: &str, fields: &Fields) -> Result<String, DocError> {
    let mut out = String::new();
    for (n, raw) in source.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim().is_empty() || line.starts_with(";;") {
            continue;
        }
        let names = placeholders(line);
        for f in &names {
            if fields.get(f).is_none() {
                return Err(DocError::MissingField {
                    template: name.to_owned(),
                    line: n + 1,
                    field: (*f).to_owned(),
                });
            }
        }
        let (directive, rest) = match line.split_once(' ') {
            Some((d, r)) if d.starts_with('@') => (d, r),
            _ if line.starts_with('@') => (line, ""),
            _ => ("@p", line),
        };
        let optional = directive.ends_with('?');
        let directive = directive.trim_end_matches('?');
        if optional
            && names
                .iter()
                .any(|f| fields.get(f).is_some_and(Value::is_empty))
        {
            continue;
        }
        match directive {
            "@paras" | "@rows" => {
                let Some(f) = names.first() else {
                    return Err(DocError::Template(format!(
                        "模板“{name}”第 {} 行：{directive} 后应为一个列表字段",
                        n + 1
                    )));
                };
                match (directive, fields.get(f)) {
                    ("@paras", Some(Value::List(items))) => {
                        for item in items.iter().filter(|i| !i.trim().is_empty()) {
                            let item = clean_line(item);
                            if ["@h1 ", "@h2 ", "@h3 "].iter().any(|p| item.starts_with(p)) {
                                out.push_str(&item);
                            } else {
                                out.push_str("@p ");
                                out.push_str(item.trim_start_matches('@'));
                            }
                            out.push('\n');
                        }
                    }
                    ("@paras", Some(Value::Text(t))) => {
                        for p in t.lines().filter(|p| !p.trim().is_empty()) {
                            out.push_str("@p ");
                            out.push_str(p.trim().trim_start_matches('@'));
                            out.push('\n');
                        }
                    }
                    ("@rows", Some(Value::Rows(rows))) => {
                        for row in rows {
                            let cells: Vec<String> = row.iter().map(|c| clean_cell(c)).collect();
                            out.push_str(&format!("| {} |\n", cells.join(" | ")));
                        }
                    }
                    _ => {
                        return Err(DocError::Template(format!(
                            "模板“{name}”第 {} 行：字段 {{{f}}} 的类型不适用于 {directive}",
                            n + 1
                        )))
                    }
                }
            }
            _ => {
                let mut text = String::new();
                let mut rest_src = rest;
                // Substitute placeholders in order.
                while let Some(start) = rest_src.find('{') {
                    text.push_str(&rest_src[..start]);
                    let after = &rest_src[start + 1..];
                    let end = after.find('}');
                    match end.map(|e| (&after[..e], e)) {
                        Some((f, e)) if fields.get(f).is_some() => {
                            let value = match fields.get(f) {
                                Some(Value::Text(t)) => t.clone(),
                                Some(Value::List(l)) => l.join("、"),
                                Some(Value::Rows(_)) | None => String::new(),
                            };
                            let value = if line.starts_with('|') {
                                clean_cell(&value)
                            } else {
                                clean_line(&value)
                            };
                            text.push_str(&value);
                            rest_src = &after[e + 1..];
                        }
                        _ => {
                            text.push('{');
                            rest_src = after;
                        }
                    }
                }
                text.push_str(rest_src);
                if directive == "@p" && !line.starts_with("@p") {
                    // A bare line (paragraph or table row) keeps its own form, but a paragraph
                    // whose text now starts like a directive, a comment or a table row (a value
                    // "@…" put at its start) is marked as a paragraph, or it would not parse.
                    let start = text.trim_start();
                    if !line.starts_with('|')
                        && [";;", "@", "|"].iter().any(|p| start.starts_with(p))
                    {
                        out.push_str("@p ");
                    }
                    out.push_str(&text);
                } else if rest.is_empty() {
                    out.push_str(directive);
                } else {
                    out.push_str(directive);
                    out.push(' ');
                    out.push_str(&text);
                }
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// The type sizes a table may be set in, by their Chinese names.
const TABLE_SIZES: [(&str, f32); 3] = [("四号", 14.0), ("小四", 12.0), ("五号", 10.5)];

/// A table's size name and its 表头 mark, where `spec` starts with them (in any order), and
/// the rest of it: the column weights.
fn table_size(spec: &str) -> (Option<f32>, bool, &str) {
    let mut rest = spec.trim();
    let (mut size, mut header) = (None, false);
    loop {
        if let Some(r) = rest.strip_prefix("表头") {
            header = true;
            rest = r.trim_start();
            continue;
        }
        match TABLE_SIZES.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, pt)) => {
                size = Some(*pt);
                rest = rest[name.len()..].trim_start();
            }
            None => return (size, header, rest),
        }
    }
}

fn weights(spec: &str) -> Vec<f32> {
    let (_, _, spec) = table_size(spec);
    spec.split([',', '，', ' '])
        .filter_map(|w| w.trim().parse::<f32>().ok())
        .filter(|w| *w > 0.0)
        .collect()
}

/// The layout blocks of a filled document text.
pub fn blocks(text: &str) -> Result<Vec<Block>, DocError> {
    let mut out = Vec::new();
    let mut table: Option<Table> = None;
    let mut attachments: Option<usize> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(";;") {
            continue;
        }
        if let Some(t) = table.as_mut() {
            if line.starts_with('|') {
                let inner = line.trim_start_matches('|').trim_end_matches('|');
                let mut cells: Vec<String> =
                    inner.split('|').map(|c| c.trim().to_owned()).collect();
                cells.resize(t.col_weights.len(), String::new());
                t.rows.push(cells);
                continue;
            }
            if let Some(t) = table.take() {
                out.push(Block::Table(t));
            }
            if line == "@end" {
                continue;
            }
        }
        let (directive, rest) = match line.split_once(' ') {
            Some((d, r)) if d.starts_with('@') => (d, r.trim()),
            _ if line.starts_with('@') => (line, ""),
            _ => ("@p", line),
        };
        match directive {
            "@title" => out.push(Block::Title(rest.to_owned())),
            "@number" => {
                if !rest.is_empty() {
                    out.push(Block::DocNumber(rest.to_owned()));
                }
            }
            "@recipient" => out.push(Block::Recipient(rest.to_owned())),
            "@h1" | "@h2" | "@h3" => out.push(Block::Heading {
                level: directive[2..].parse().unwrap_or(3),
                text: rest.to_owned(),
                body: None,
            }),
            "@p" => out.push(Block::Paragraph(rest.to_owned())),
            "@spacer" => out.push(Block::Spacer(rest.parse().unwrap_or(1))),
            "@table" => {
                let w = weights(rest);
                if w.is_empty() {
                    return Err(DocError::Template(format!("表格列宽“{rest}”无效")));
                }
                let mut t = Table::new(w, Vec::new());
                let (size, header, _) = table_size(rest);
                if let Some(pt) = size {
                    t.size_pt = pt;
                }
                t.header = header;
                table = Some(t);
            }
            "@end" => {}
            "@attach" => {
                if rest.is_empty() {
                    continue;
                }
                match attachments {
                    Some(i) => {
                        if let Some(Block::AttachmentNote(items)) = out.get_mut(i) {
                            items.push(rest.to_owned());
                        }
                    }
                    None => {
                        attachments = Some(out.len());
                        out.push(Block::AttachmentNote(vec![rest.to_owned()]));
                    }
                }
            }
            "@names" => {
                let (label, names) = rest.split_once('|').unwrap_or(("出席", rest));
                out.push(Block::Names {
                    label: label.trim().to_owned(),
                    names: names.trim().to_owned(),
                });
            }
            "@sign" => {
                let (organ, date) = rest.split_once('|').unwrap_or((rest, ""));
                out.push(Block::Signature {
                    organ: organ.trim().to_owned(),
                    date: date.trim().to_owned(),
                });
            }
            other => return Err(DocError::Template(format!("无法识别的模板指令“{other}”"))),
        }
    }
    if let Some(t) = table.take() {
        out.push(Block::Table(t));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_after_filling_all_fields() {
        for kind in DocKind::ALL {
            let src = kind.builtin();
            let mut f = Fields::new();
            for line in src.lines() {
                let directive = line.split(' ').next().unwrap_or("");
                for name in placeholders(line) {
                    match directive.trim_end_matches('?') {
                        "@paras" => f.list(name, vec!["甲".into(), "@h2 （一）乙".into()]),
                        "@rows" => f.rows(name, vec![vec!["甲".into(); 6]]),
                        _ => f.text(name, "值"),
                    };
                }
            }
            let text = Templates::builtin().fill(kind, &f).unwrap();
            let b = blocks(&text).unwrap();
            assert!(b.len() > 2, "{kind:?}");
        }
    }

    #[test]
    fn the_extra_templates_are_well_formed() {
        for key in ["slip", "slip-feedback", "minutes", "bulletin"] {
            let src = builtin_extra(key).unwrap();
            check_syntax(src).unwrap_or_else(|e| panic!("{key}: {e}"));
        }
        assert!(builtin_extra("nothing").is_none());
    }

    #[test]
    fn a_value_that_looks_like_syntax_stays_text() {
        // Found by fuzzing: "{matter}" alone on a line, filled with "@x", did not parse.
        for value in ["@x", ";;注释", "| 甲 |", "  @table 1"] {
            let mut f = Fields::new();
            f.text("matter", value);
            let text = fill("测试", "{matter}\n", &f).unwrap();
            let b = blocks(&text).unwrap();
            assert_eq!(b.len(), 1, "{value:?}: {b:?}");
            assert!(
                matches!(&b[0], Block::Paragraph(p) if p == value.trim()),
                "{b:?}"
            );
        }
    }

    #[test]
    fn every_builtin_passes_the_syntax_check() {
        for kind in DocKind::ALL {
            check_syntax(kind.builtin()).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        }
    }

    #[test]
    fn syntax_problems_are_named_by_line() {
        let src = "@title 甲\n@foo 乙\n@p 你好{名字}\n| a | b |\n@paras 列表\n@p {open\n";
        let msg = check_syntax(src).unwrap_err().to_string();
        for part in [
            "第 2 行：无法识别的指令“@foo”",
            "第 3 行的“{名字}”不是字段名",
            "第 4 行是表格行",
            "第 5 行：@paras 后应只写一个字段",
            "第 6 行的“{”没有对应的“}”",
        ] {
            assert!(msg.contains(part), "{part} in {msg}");
        }
        assert!(check_syntax("@table 3,9\n| 甲 | {a} |\n@rows {r}\n@end\n@p? {b}").is_ok());
    }

    #[test]
    fn field_refs_know_how_a_field_is_used() {
        let refs = field_refs(";; {c}\n@p {a}与{b}\n@paras {list}\n@table 1\n@rows {rows}\n@end");
        let got: Vec<(usize, &str, FieldUse)> = refs
            .iter()
            .map(|r| (r.line, r.name.as_str(), r.usage))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "a", FieldUse::Inline),
                (2, "b", FieldUse::Inline),
                (3, "list", FieldUse::Paras),
                (5, "rows", FieldUse::Rows),
            ]
        );
    }

    #[test]
    fn missing_field_is_named() {
        let err = fill("测试", "@p 你好{name}", &Fields::new()).unwrap_err();
        assert!(err.to_string().contains("{name}"), "{err}");
        assert!(err.to_string().contains("测试"), "{err}");
    }

    #[test]
    fn optional_lines_drop_when_empty() {
        let mut f = Fields::new();
        f.text("a", "").text("b", "乙");
        let text = fill("t", "@p? 甲{a}\n@p? {b}\n| {b} | x|y |", &f).unwrap();
        assert_eq!(text, "@p 乙\n| 乙 | x|y |\n");
    }
}
