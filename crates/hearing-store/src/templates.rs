//! The organ's document templates (`<data dir>/templates/<kind>.txt`, see hearing-docs
//! `templates`): what each kind's template may use ([`fields_for`], the contract with
//! [`crate::documents::gather`]), and reading, checking, saving and resetting an override.
//!
//! A template is saved only after it passed every check — known directives, only fields the kind
//! provides, each field used in a way its shape allows, and a trial fill, parse and layout — so a
//! saved template never stops a document from being generated. The file is replaced atomically
//! (temporary file, then rename) and the change is recorded in the audit chain.

use hearing_core::access::Permission;
use std::collections::BTreeMap;
use std::io::Write as _;

use hearing_docs::templates::{self, check_syntax, field_refs, FieldUse};
use hearing_docs::{DocKind, Fields};
use serde::{Deserialize, Serialize};

use crate::documents::{data_dir, sha256_hex};
use crate::{Result, Store, StoreError};

/// What a field holds, which decides where a template may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum FieldShape {
    /// A piece of text: anywhere in a line.
    Text,
    /// Several paragraphs: `@paras {field}` (in a line: joined with 、).
    List,
    /// Table rows: only `@rows {field}` inside `@table … @end`.
    Rows,
}

/// One field a kind's template may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateField {
    pub name: String,
    /// What it holds, in Chinese.
    pub label: String,
    pub shape: FieldShape,
    /// Which group it belongs to: `kind` (this kind only), `hearing`, `case`.
    pub group: String,
}

/// A kind's template as in use: the organ's override if there is one, else the built-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateSource {
    /// A [`DocKind`] key.
    pub kind: String,
    pub label: String,
    pub text: String,
    /// True when `<data dir>/templates/<kind>.txt` replaces the built-in.
    pub is_override: bool,
}

enum Scope {
    /// Provided for every kind.
    All,
    /// Provided for every kind about a hearing.
    Hearing,
    /// Provided for these kinds only.
    Kinds(&'static [DocKind]),
}

use FieldShape::{List, Rows, Text};

/// The fields [`crate::documents::gather`] provides, with the kinds they are provided for. A test
/// holds the two together.
const CATALOG: &[(&str, &str, FieldShape, Scope)] = &[
    ("organ", "发文机关（本机单位）", Text, Scope::All),
    (
        "number",
        "文号（编号文书生成时自动取号，否则为空）",
        Text,
        Scope::All,
    ),
    (
        "date",
        "成文日期（生成当天，如 2026年3月5日）",
        Text,
        Scope::All,
    ),
    ("case_number", "案件编号", Text, Scope::All),
    ("case_title", "案件名称", Text, Scope::All),
    ("matter", "信访事项（案件名称）", Text, Scope::All),
    ("matter_short", "事项简称（用于标题）", Text, Scope::All),
    (
        "matter_public",
        "去标识化的事项（用于公告，如“张某某反映的涉法涉诉信访事项”）",
        Text,
        Scope::All,
    ),
    (
        "petitioner",
        "信访人姓名（多人以顿号分隔）",
        Text,
        Scope::All,
    ),
    (
        "petitioner_id",
        "信访人公民身份号码（已遮蔽）",
        Text,
        Scope::All,
    ),
    ("petitioner_address", "信访人住址", Text, Scope::All),
    (
        "petitioner_particulars",
        "信访人基本情况（姓名、身份号码、住址）",
        Text,
        Scope::All,
    ),
    ("handling_organ", "承办单位", Text, Scope::All),
    ("case_officer", "承办人", Text, Scope::All),
    ("demands", "信访诉求", Text, Scope::All),
    (
        "issues",
        "争议焦点（四明五清中的问题症结）",
        Text,
        Scope::All,
    ),
    ("history", "信访经过（每项一段）", List, Scope::All),
    ("history_text", "信访经过（连成一段）", Text, Scope::All),
    (
        "contact",
        "联系人及电话（生成时为空，可在草稿中填写）",
        Text,
        Scope::All,
    ),
    ("original_case", "原案及处理情况", Text, Scope::All),
    (
        "hearing_text",
        "听证情况概述（未听证时为“未举行听证。”）",
        Text,
        Scope::All,
    ),
    ("review_findings", "复查情况（错误瑕疵）", Text, Scope::All),
    ("aid", "救助帮扶情况", Text, Scope::All),
    ("ground", "终结理由及依据", Text, Scope::All),
    ("basis", "终结所依据的文件", Text, Scope::All),
    ("findings", "认定的事实和理由（每项一段）", List, Scope::All),
    ("approved_by", "已审批同意的层级", Text, Scope::All),
    ("remedies", "法律救济途径的告知", Text, Scope::All),
    ("closed_on", "终结日期", Text, Scope::All),
    ("followups", "属地稳控、回访情况", Text, Scope::All),
    ("locality", "属地单位", Text, Scope::All),
    (
        "approvals",
        "审批记录（表格行：层级、意见、签名、日期）",
        Rows,
        Scope::All,
    ),
    (
        "hearing_title",
        "听证会名称（未安排听证时为空）",
        Text,
        Scope::All,
    ),
    ("hearing_date", "听证日期", Text, Scope::All),
    ("hearing_time", "听证开始时刻", Text, Scope::All),
    ("venue", "听证地点", Text, Scope::All),
    ("mode", "听证方式", Text, Scope::All),
    ("public_text", "是否公开举行的说明", Text, Scope::All),
    ("presider", "主持人", Text, Scope::All),
    ("clerk", "记录员", Text, Scope::All),
    ("panel", "听证员名单", Text, Scope::All),
    ("panel_units", "听证员及其单位", Text, Scope::All),
    ("panel_text", "听证组成的概述", Text, Scope::All),
    ("mode_public", "听证方式及是否公开", Text, Scope::Hearing),
    ("panel_size", "听证员人数", Text, Scope::Hearing),
    ("agents", "代理人", Text, Scope::Hearing),
    ("others", "其他参加人（第三方、证人）", Text, Scope::Hearing),
    ("observer_count", "旁听人数", Text, Scope::Hearing),
    ("status", "听证会状态", Text, Scope::Hearing),
    ("started_at", "开始时间（日期和时刻）", Text, Scope::Hearing),
    ("ended_at", "结束时间（笔录签署日期）", Text, Scope::Hearing),
    ("tally_total", "发表意见的听证员人数", Text, Scope::Hearing),
    ("tally_agree", "同意的人数", Text, Scope::Hearing),
    ("tally_disagree", "不同意的人数", Text, Scope::Hearing),
    ("tally_other", "持其他意见的人数", Text, Scope::Hearing),
    ("majority_text", "多数意见的说明", Text, Scope::Hearing),
    ("tally_text", "表决情况的说明", Text, Scope::Hearing),
    ("hearing_opinion", "听证员意见概述", Text, Scope::Hearing),
    ("missing", "未发表意见的听证员", Text, Scope::Hearing),
    (
        "minority",
        "少数意见（原文照录，每人一段）",
        List,
        Scope::Hearing,
    ),
    ("organ_decision", "机关决定及理由", Text, Scope::Hearing),
    (
        "opinion_rows",
        "各听证员意见（表格行：听证员、事实、法律、表决、理由、签名）",
        Rows,
        Scope::Hearing,
    ),
    (
        "recipient",
        "主送（通知书为信访人；邀请函为受邀听证员；送达回证为受送达人）",
        Text,
        Scope::Hearing,
    ),
    ("apply_deadline", "旁听报名截止日期", Text, Scope::Hearing),
    ("quota", "旁听名额", Text, Scope::Hearing),
    (
        "signers",
        "签名人（表格行：身份、姓名……）",
        Rows,
        Scope::Hearing,
    ),
    ("refusals", "拒绝签字情况", Text, Scope::Hearing),
    ("case_summary", "事项简介", Text, Scope::Hearing),
    ("agenda", "听证程序（每个环节一段）", List, Scope::Hearing),
    ("presider_view", "主持人意见", Text, Scope::Hearing),
    ("head_review", "负责人审核意见", Text, Scope::Hearing),
    (
        "script",
        "主持词（按议程生成，每段一项）",
        List,
        Scope::Kinds(&[DocKind::PresiderScript]),
    ),
    (
        "record",
        "笔录正文（按环节，更正已采用）",
        List,
        Scope::Kinds(&[DocKind::Transcript]),
    ),
    (
        "invitee_name",
        "受邀听证员姓名",
        Text,
        Scope::Kinds(&[DocKind::Invitation]),
    ),
    (
        "invitee_identity",
        "受邀听证员的身份（如“市级人大代表”）",
        Text,
        Scope::Kinds(&[DocKind::Invitation]),
    ),
    (
        "invitee_unit",
        "受邀听证员的工作单位",
        Text,
        Scope::Kinds(&[DocKind::Invitation]),
    ),
    (
        "member_name",
        "听证员姓名",
        Text,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "member_identity",
        "听证员的身份",
        Text,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "member_unit",
        "听证员的工作单位",
        Text,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "member_facts",
        "对事实的意见（未记录时为书写横线）",
        List,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "member_law",
        "对法律适用的意见（未记录时为书写横线）",
        List,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "member_reasons",
        "理由（未记录时为书写横线）",
        List,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "vote_boxes",
        "表决勾选框（☑同意　□不同意　□其他）",
        Text,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "member_sign_date",
        "签名日期（未记录时留空待填）",
        Text,
        Scope::Kinds(&[DocKind::PanelistOpinion]),
    ),
    (
        "documents",
        "送达文书名称、文号及份数",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "address",
        "送达地址",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "method_boxes",
        "送达方式勾选框（已记录的方式打☑）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "recipient_sign_cell",
        "受送达人签名栏（含签收日期）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "receiver_cell",
        "代收人栏（含代收理由、日期）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "server_cell",
        "送达人栏（含日期）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "refusal",
        "拒收事由及见证人（留置送达）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "receiver",
        "代收人（留置送达时为见证人）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "server",
        "送达人",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "recipient_sign",
        "受送达人签名（留空，供手签）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "issuer",
        "签发人（留空）",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
    (
        "note",
        "备注",
        Text,
        Scope::Kinds(&[DocKind::ServiceReceipt]),
    ),
];

/// The fields a template of `kind` may use: this kind's own first, then hearing, then case.
pub fn fields_for(kind: DocKind) -> Vec<TemplateField> {
    let mut own = Vec::new();
    let mut hearing = Vec::new();
    let mut case = Vec::new();
    for (name, label, shape, scope) in CATALOG {
        let (list, group) = match scope {
            Scope::Kinds(kinds) if kinds.contains(&kind) => (&mut own, "kind"),
            Scope::Kinds(_) => continue,
            // The receipt's recipient is the person served, not a hearing participant.
            Scope::Hearing if kind == DocKind::ServiceReceipt && *name == "recipient" => {
                (&mut own, "kind")
            }
            Scope::Hearing if kind.needs_hearing() => (&mut hearing, "hearing"),
            Scope::Hearing => continue,
            Scope::All
                if name.starts_with("hearing_")
                    || matches!(
                        *name,
                        "venue"
                            | "mode"
                            | "public_text"
                            | "presider"
                            | "clerk"
                            | "panel"
                            | "panel_units"
                            | "panel_text"
                    ) =>
            {
                (&mut hearing, "hearing")
            }
            Scope::All => (&mut case, "case"),
        };
        list.push(TemplateField {
            name: (*name).to_owned(),
            label: (*label).to_owned(),
            shape: *shape,
            group: group.to_owned(),
        });
    }
    own.into_iter().chain(hearing).chain(case).collect()
}

/// Fields with a sample value of their shape, for a trial fill.
fn sample(fields: &[TemplateField]) -> Fields {
    let mut f = Fields::new();
    for field in fields {
        match field.shape {
            Text => f.text(&field.name, "示例"),
            List => f.list(&field.name, vec!["示例".into()]),
            Rows => f.rows(&field.name, vec![vec!["示例".into(); 8]]),
        };
    }
    f
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Checks a template of `kind` as it would be saved; every problem is named (line, field, what
/// to do) in one message.
pub fn check_template(kind: DocKind, source: &str) -> Result<()> {
    let refuse = |why: String| {
        StoreError::field(
            "text",
            "template.invalid",
            format!("{}模板有误，未保存：{why}", kind.label()),
        )
    };
    if source
        .lines()
        .all(|l| l.trim().is_empty() || l.trim().starts_with(";;"))
    {
        return Err(refuse(
            "模板内容为空；如要使用内置模板，请选择“恢复内置”".to_owned(),
        ));
    }
    check_syntax(source)
        .map_err(|e| refuse(e.to_string().trim_start_matches("模板错误：").to_owned()))?;
    let fields = fields_for(kind);
    let by_name: BTreeMap<&str, &TemplateField> =
        fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let mut problems = Vec::new();
    for r in field_refs(source) {
        let at = r.line;
        let Some(field) = by_name.get(r.name.as_str()) else {
            let hint = fields
                .iter()
                .map(|f| (distance(&r.name, &f.name), f))
                // Short names are close to many others: suggest only near misses.
                .filter(|(d, _)| *d <= if r.name.len() <= 5 { 1 } else { 2 })
                .min_by_key(|(d, _)| *d)
                .map(|(_, f)| format!("，是否应为 {{{}}}（{}）", f.name, f.label))
                .unwrap_or_default();
            problems.push(format!(
                "第 {at} 行的 {{{}}} 不是{}可用的字段{hint}",
                r.name,
                kind.label()
            ));
            continue;
        };
        match (r.usage, field.shape) {
            (FieldUse::Rows, Rows)
            | (FieldUse::Paras, Text | List)
            | (FieldUse::Inline, Text | List) => {}
            (FieldUse::Rows, _) => problems.push(format!(
                "第 {at} 行：{{{}}}（{}）不是表格行，不能用于 @rows",
                field.name, field.label
            )),
            (_, Rows) => problems.push(format!(
                "第 {at} 行：{{{}}}（{}）是表格行，只能写在 @table 与 @end 之间的“@rows {{{}}}”中",
                field.name, field.label, field.name
            )),
        }
    }
    if !problems.is_empty() {
        return Err(refuse(format!(
            "{}。本类文书可用的字段见字段列表",
            problems.join("；")
        )));
    }
    let filled = templates::fill(kind.label(), source, &sample(&fields))
        .map_err(|e| refuse(e.to_string()))?;
    let blocks = templates::blocks(&filled).map_err(|e| refuse(e.to_string()))?;
    // Laid out font-free, so that a table row taller than a page (say) is refused here and not
    // when a document is made (found by fuzzing).
    hearing_docs::layout(&blocks, &hearing_docs::GridMeasure).map_err(|e| refuse(e.to_string()))?;
    Ok(())
}

fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Store {
    fn template_path(&self, kind: DocKind) -> std::path::PathBuf {
        data_dir(self)
            .join("templates")
            .join(format!("{}.txt", kind.key()))
    }

    /// The template of `kind` in use: the organ's override, else the built-in.
    pub fn template_source(&self, kind: DocKind) -> Result<TemplateSource> {
        let path = self.template_path(kind);
        let (text, is_override) = match std::fs::read_to_string(&path) {
            Ok(text) => (text, true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (kind.builtin().to_owned(), false)
            }
            Err(e) => return Err(io(&path)(e)),
        };
        Ok(TemplateSource {
            kind: kind.key().to_owned(),
            label: kind.label().to_owned(),
            text,
            is_override,
        })
    }

    /// Checks and saves the organ's template of `kind`; refused with every problem named, and
    /// then nothing is written. The next document of that kind uses it.
    pub fn save_template(&mut self, kind: DocKind, text: &str) -> Result<TemplateSource> {
        let mut text = text.replace("\r\n", "\n");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        check_template(kind, &text)?;
        let target = self.template_path(kind);
        let dir = data_dir(self).join("templates");
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let tmp = dir.join(format!(".{}.txt.tmp", kind.key()));
        let written = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(&tmp)(e));
        }
        let sha = sha256_hex(text.as_bytes());
        let result = self.write(Permission::ManageSettings, "修改文书模板", |w| {
            // Last step before the commit: a failed rename leaves the old file and no record.
            std::fs::rename(&tmp, &target).map_err(io(&target))?;
            w.audit_unlogged();
            w.describe(
                "template",
                kind.key(),
                format!("保存本单位的{}模板（SHA-256 {}）", kind.label(), &sha[..12]),
            );
            Ok(())
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        self.template_source(kind)
    }

    /// Deletes the organ's template of `kind`: the built-in is used again. Nothing to do (and
    /// nothing recorded) when there is no override.
    pub fn reset_template(&mut self, kind: DocKind) -> Result<TemplateSource> {
        let target = self.template_path(kind);
        if !target.exists() {
            return self.template_source(kind);
        }
        self.write(
            Permission::ManageSettings,
            "恢复内置文书模板",
            |w| {
                std::fs::remove_file(&target).map_err(io(&target))?;
                w.audit_unlogged();
                w.describe(
                    "template",
                    kind.key(),
                    format!("删除本单位的{}模板，恢复内置模板", kind.label()),
                );
                Ok(())
            },
        )?;
        self.template_source(kind)
    }

    /// The text a template (saved or not) gives for a case: checked as for saving, then filled
    /// with the case's data (its latest hearing unless one is given; a per-person kind for the
    /// first panelist unless `subject_id` names one).
    pub fn preview_template(
        &self,
        kind: DocKind,
        source: &str,
        case_id: &str,
        hearing_id: Option<&str>,
        subject_id: Option<&str>,
    ) -> Result<String> {
        check_template(kind, source)?;
        self.fill_preview(kind, source, case_id, hearing_id, subject_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_passes_its_own_check() {
        for kind in DocKind::ALL {
            check_template(kind, kind.builtin()).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        }
    }

    #[test]
    fn unknown_fields_are_named_with_a_suggestion() {
        let err = check_template(
            DocKind::Notice,
            "@title {organ}|通知\n@p 请{recipent}和{bring_list}到场。\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("听证通知书模板有误，未保存"), "{err}");
        assert!(
            err.contains("第 2 行的 {recipent} 不是听证通知书可用的字段，是否应为 {recipient}"),
            "{err}"
        );
        assert!(err.contains("{bring_list}"), "{err}");
    }

    #[test]
    fn a_rows_field_is_only_for_rows() {
        let err = check_template(DocKind::ClosureApproval, "@title 甲\n@p {approvals}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("是表格行"), "{err}");
        let err = check_template(
            DocKind::ClosureApproval,
            "@title 甲\n@table 1,1\n@rows {organ}\n@end\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("不是表格行"), "{err}");
    }

    #[test]
    fn a_table_row_taller_than_a_page_is_accepted() {
        // Found by fuzzing: such a row once passed the check and then could not be laid out. A
        // row taller than a page now continues on the next (a long opinion in the 评议意见汇总表),
        // so the template is accepted — the check lays the sample document out.
        let row = "长".repeat(400);
        check_template(
            DocKind::Notice,
            &format!("@title {{organ}}\n@table 1,30\n| {row} | 乙 |\n@end\n"),
        )
        .expect("a tall row continues on the next page");
    }

    #[test]
    fn hearing_fields_are_not_offered_to_case_kinds() {
        let names: Vec<String> = fields_for(DocKind::ClosureApproval)
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert!(names.contains(&"approvals".to_owned()));
        assert!(names.contains(&"hearing_date".to_owned()));
        assert!(!names.contains(&"tally_total".to_owned()));
        assert!(!names.contains(&"member_name".to_owned()));
        let own: Vec<String> = fields_for(DocKind::PanelistOpinion)
            .into_iter()
            .filter(|f| f.group == "kind")
            .map(|f| f.name)
            .collect();
        assert!(own.contains(&"vote_boxes".to_owned()), "{own:?}");
    }
}
