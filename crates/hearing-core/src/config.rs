//! Rules that differ between jurisdictions (DOMAIN.md §3–5): notice period, panel size, agenda,
//! approval chain and document numbering. They are configuration with the defaults of DOMAIN.md,
//! not code; the workflow rules read them from here.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;

/// The configurable rules of one jurisdiction. Missing fields of a stored configuration take the
/// defaults, so an older settings file keeps working when fields are added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct JurisdictionConfig {
    /// Days between service of the notice (and publication of the announcement) and the hearing.
    pub notice_days: u32,
    pub panel_min: u32,
    pub panel_max: u32,
    /// Whether the panel should have an odd number of members (a warning, not a block).
    pub panel_odd: bool,
    pub agenda: Vec<AgendaStepDef>,
    pub approval_chain: Vec<ApprovalLevel>,
    pub doc_prefixes: Vec<DocPrefix>,
}

/// One step of the hearing agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgendaStepDef {
    pub key: String,
    pub title: String,
    /// Closed to the public and the parties (评议).
    pub closed: bool,
    /// May be skipped (辩论).
    pub optional: bool,
}

/// One level of the closure approval chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalLevel {
    pub key: String,
    pub title: String,
    /// False: only where the matter requires it (e.g. 上级/省级).
    pub required: bool,
    /// Who decides at this level. Absent in a configuration saved before it existed: then the
    /// level's key says ([`ApprovalLevel::decider`]); a saved configuration always names it.
    #[serde(default)]
    pub decided_by: Option<Decider>,
    /// The org that decides, when `decided_by` is [`Decider::Org`].
    #[serde(default)]
    pub decider_org_id: Option<String>,
}

/// Who decides one level of the approval chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Decider {
    /// 承办单位: the handling organ itself (its 承办人, its 负责人).
    HandlingOrgan,
    /// 政法委: the committee the handling organ belongs to (the nearest 政法委 at or above it).
    Committee,
    /// 上级政法委: the nearest 政法委 above that committee.
    Superior,
    /// 指定单位: one named org of the tree.
    Org,
}

impl Decider {
    pub const ALL: [Decider; 4] = [
        Self::HandlingOrgan,
        Self::Committee,
        Self::Superior,
        Self::Org,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::HandlingOrgan => "承办单位",
            Self::Committee => "政法委",
            Self::Superior => "上级政法委",
            Self::Org => "指定单位",
        }
    }
}

impl ApprovalLevel {
    /// Who decides: as configured, or for a configuration saved before that was configurable,
    /// by the level's key (`committee` the 政法委, `superior` the 上级政法委, the others the
    /// handling organ).
    pub fn decider(&self) -> Decider {
        self.decided_by.unwrap_or(match self.key.as_str() {
            "committee" => Decider::Committee,
            "superior" => Decider::Superior,
            _ => Decider::HandlingOrgan,
        })
    }
}

/// The number prefix (机关代字) of one kind of document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DocPrefix {
    /// Document kind, e.g. `closureDecision`.
    pub kind: String,
    /// 机关代字, e.g. 青政法终.
    pub prefix: String,
    /// True: court/procuratorate style `（2026）青政法终7号`; false: 公文 style `青政法终〔2026〕7号`.
    pub round_brackets: bool,
}

pub const NOTICE_DAYS_MAX: u32 = 60;
pub const PANEL_SIZE_MAX: u32 = 15;

/// (key, title, closed, optional) of the default agenda, DOMAIN.md §3.
const DEFAULT_AGENDA: [(&str, &str, bool, bool); 13] = [
    ("checkIn", "签到、核对出席", false, false),
    ("opening", "宣布听证开始、听证事项和纪律", false, false),
    ("identity", "核对身份（身份证件、授权委托书）", false, false),
    (
        "introductions",
        "介绍主持人、听证员、记录员，告知权利义务，询问是否申请回避",
        false,
        false,
    ),
    ("organStatement", "承办单位陈述", false, false),
    ("petitionerStatement", "信访人、代理人陈述", false, false),
    ("evidence", "举证、质证", false, false),
    ("debate", "辩论", false, true),
    ("panelQuestions", "听证员提问", false, false),
    (
        "finalStatements",
        "最后陈述（信访人、承办单位）",
        false,
        false,
    ),
    ("deliberation", "休会，听证员评议", true, false),
    ("announceOpinion", "复会，宣布评议意见", false, false),
    ("closing", "主持人总结、笔录核对签字、闭会", false, false),
];

const DEFAULT_APPROVALS: [(&str, &str, bool, Decider); 4] = [
    ("caseOfficer", "承办人", true, Decider::HandlingOrgan),
    ("organHead", "单位负责人", true, Decider::HandlingOrgan),
    ("committee", "政法委", true, Decider::Committee),
    ("superior", "上级政法委", false, Decider::Superior),
];

const DEFAULT_PREFIXES: [(&str, &str); 9] = [
    ("hearingNotice", "青政法听"),
    ("hearingAnnouncement", "青政法听告"),
    ("hearingReport", "青政法听报"),
    ("closureApproval", "青政法终审"),
    ("closureDecision", "青政法终"),
    ("handover", "青政法交"),
    // The 三单 this org issues (DOMAIN.md §2), numbered per issuing org: 青政法督〔2026〕12号.
    ("assignSlip", "青政法交办"),
    ("superviseSlip", "青政法督"),
    // The 通报 this org issues: 青政法通〔2026〕3号.
    ("bulletin", "青政法通"),
];

/// The built-in number prefix of a document kind, for a stored configuration from before the
/// kind had one.
pub fn default_doc_prefix(kind: &str) -> Option<DocPrefix> {
    DEFAULT_PREFIXES
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(k, prefix)| DocPrefix {
            kind: (*k).to_owned(),
            prefix: (*prefix).to_owned(),
            round_brackets: false,
        })
}

impl Default for JurisdictionConfig {
    fn default() -> Self {
        JurisdictionConfig {
            notice_days: 7,
            panel_min: 3,
            panel_max: 7,
            panel_odd: true,
            agenda: DEFAULT_AGENDA
                .iter()
                .map(|(key, title, closed, optional)| AgendaStepDef {
                    key: (*key).to_owned(),
                    title: (*title).to_owned(),
                    closed: *closed,
                    optional: *optional,
                })
                .collect(),
            approval_chain: DEFAULT_APPROVALS
                .iter()
                .map(|(key, title, required, decider)| ApprovalLevel {
                    key: (*key).to_owned(),
                    title: (*title).to_owned(),
                    required: *required,
                    decided_by: Some(*decider),
                    decider_org_id: None,
                })
                .collect(),
            doc_prefixes: DEFAULT_PREFIXES
                .iter()
                .map(|(kind, prefix)| DocPrefix {
                    kind: (*kind).to_owned(),
                    prefix: (*prefix).to_owned(),
                    round_brackets: false,
                })
                .collect(),
        }
    }
}

impl JurisdictionConfig {
    /// Checks the configuration and returns it trimmed, or every problem at once.
    pub fn validate(&self) -> Result<JurisdictionConfig, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mut out = self.clone();
        if !(1..=NOTICE_DAYS_MAX).contains(&self.notice_days) {
            e.push(
                "noticeDays",
                "range",
                format!(
                    "通知期限应为 1 至 {NOTICE_DAYS_MAX} 日，现为 {} 日",
                    self.notice_days
                ),
            );
        }
        if !(1..=PANEL_SIZE_MAX).contains(&self.panel_min) {
            e.push(
                "panelMin",
                "range",
                format!(
                    "听证员最少人数应为 1 至 {PANEL_SIZE_MAX} 人，现为 {} 人",
                    self.panel_min
                ),
            );
        }
        if !(1..=PANEL_SIZE_MAX).contains(&self.panel_max) {
            e.push(
                "panelMax",
                "range",
                format!(
                    "听证员最多人数应为 1 至 {PANEL_SIZE_MAX} 人，现为 {} 人",
                    self.panel_max
                ),
            );
        } else if self.panel_max < self.panel_min {
            e.push(
                "panelMax",
                "order",
                format!(
                    "听证员最多人数（{}）不能少于最少人数（{}）",
                    self.panel_max, self.panel_min
                ),
            );
        }

        if out.agenda.is_empty() {
            e.push("agenda", "required", "议程至少要有一个环节");
        }
        let mut keys: Vec<String> = Vec::new();
        for (i, step) in out.agenda.iter_mut().enumerate() {
            step.key = unique_key(
                &mut e,
                &mut keys,
                &format!("agenda.{i}.key"),
                "环节代码",
                &step.key,
            );
            step.title = text::required(
                &mut e,
                &format!("agenda.{i}.title"),
                "环节名称",
                &step.title,
                text::MEDIUM,
            );
        }

        if out.approval_chain.is_empty() {
            e.push("approvalChain", "required", "审批链至少要有一级审批");
        } else if !out.approval_chain.iter().any(|l| l.required) {
            e.push("approvalChain", "required", "审批链至少要有一级必经审批");
        }
        let mut keys: Vec<String> = Vec::new();
        for (i, level) in out.approval_chain.iter_mut().enumerate() {
            level.key = unique_key(
                &mut e,
                &mut keys,
                &format!("approvalChain.{i}.key"),
                "审批级别代码",
                &level.key,
            );
            level.title = text::required(
                &mut e,
                &format!("approvalChain.{i}.title"),
                "审批级别名称",
                &level.title,
                text::SHORT,
            );
            let decider = level.decider();
            level.decided_by = Some(decider);
            let org = level
                .decider_org_id
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned);
            if decider == Decider::Org && org.is_none() {
                e.push(
                    format!("approvalChain.{i}.deciderOrgId"),
                    "required",
                    format!("“{}”一级由指定单位审批，请选择该单位", level.title),
                );
            }
            level.decider_org_id = if decider == Decider::Org { org } else { None };
        }

        let mut kinds: Vec<String> = Vec::new();
        for (i, p) in out.doc_prefixes.iter_mut().enumerate() {
            p.kind = unique_key(
                &mut e,
                &mut kinds,
                &format!("docPrefixes.{i}.kind"),
                "文书种类",
                &p.kind,
            );
            p.prefix = text::required(
                &mut e,
                &format!("docPrefixes.{i}.prefix"),
                "机关代字",
                &p.prefix,
                20,
            );
        }
        e.into_result(out)
    }

    /// The agenda step with this key.
    pub fn agenda_step(&self, key: &str) -> Option<&AgendaStepDef> {
        self.agenda.iter().find(|s| s.key == key)
    }

    /// The number prefix of a document kind.
    pub fn doc_prefix(&self, kind: &str) -> Option<&DocPrefix> {
        self.doc_prefixes.iter().find(|p| p.kind == kind)
    }

    /// A panel of `n` (> 0) that is even where the jurisdiction wants it odd. (Bit test rather
    /// than `is_multiple_of`, which is newer than the workspace's declared Rust version.)
    pub fn even_panel(&self, n: u32) -> bool {
        self.panel_odd && n > 0 && n & 1 == 0
    }

    /// Warnings (never blocks) about a panel of `n` members: above the maximum, or even.
    pub fn panel_size_warnings(&self, n: u32) -> Vec<String> {
        let mut w = Vec::new();
        if n > self.panel_max {
            w.push(format!(
                "听证员人数 {n} 人，多于通常的最多 {} 人",
                self.panel_max
            ));
        }
        if self.even_panel(n) {
            w.push(format!("听证员人数 {n} 人，为偶数，评议时可能出现票数相等"));
        }
        w
    }
}

/// Trims a key, requires it and checks that it was not used before in the same list.
fn unique_key(
    e: &mut ValidationErrors,
    seen: &mut Vec<String>,
    field: &str,
    label: &str,
    value: &str,
) -> String {
    let key = text::required(e, field, label, value, 50);
    if !key.is_empty() {
        if seen.contains(&key) {
            e.push(field, "duplicate", format!("{label}“{key}”重复"));
        }
        seen.push(key.clone());
    }
    key
}

impl DocPrefix {
    /// The document number for the `seq`-th document of `year`: `青政法终〔2026〕7号`, or
    /// `（2026）青政法终7号` with round brackets. No leading zeros and no 第 (DOMAIN.md §5).
    pub fn format_number(&self, year: i32, seq: u32) -> String {
        if self.round_brackets {
            format!("（{year}）{}{seq}号", self.prefix)
        } else {
            format!("{}〔{year}〕{seq}号", self.prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: &ValidationErrors) -> Vec<(&str, &str)> {
        e.0.iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect()
    }

    #[test]
    fn defaults_follow_domain() {
        let c = JurisdictionConfig::default();
        assert_eq!(
            (c.notice_days, c.panel_min, c.panel_max, c.panel_odd),
            (7, 3, 7, true)
        );
        assert_eq!(c.agenda.len(), 13);
        assert_eq!(c.agenda[0].key, "checkIn");
        assert_eq!(c.agenda[12].key, "closing");
        let closed: Vec<_> = c
            .agenda
            .iter()
            .filter(|s| s.closed)
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(closed, ["deliberation"]);
        let optional: Vec<_> = c
            .agenda
            .iter()
            .filter(|s| s.optional)
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(optional, ["debate"]);
        let chain: Vec<_> = c
            .approval_chain
            .iter()
            .map(|l| (l.key.as_str(), l.required))
            .collect();
        assert_eq!(
            chain,
            [
                ("caseOfficer", true),
                ("organHead", true),
                ("committee", true),
                ("superior", false)
            ]
        );
        assert_eq!(c.validate(), Ok(c.clone()));
        assert_eq!(c.agenda_step("deliberation").map(|s| s.closed), Some(true));
        assert_eq!(c.agenda_step("nope"), None);
    }

    #[test]
    fn each_level_says_who_decides_and_an_older_configuration_is_read_by_key() {
        let c = JurisdictionConfig::default();
        let deciders: Vec<Decider> = c.approval_chain.iter().map(|l| l.decider()).collect();
        assert_eq!(
            deciders,
            [
                Decider::HandlingOrgan,
                Decider::HandlingOrgan,
                Decider::Committee,
                Decider::Superior
            ]
        );
        // Saved before levels named their decider: the key says.
        let old: JurisdictionConfig = serde_json::from_str(
            r#"{"approvalChain":[{"key":"caseOfficer","title":"承办人","required":true},
                {"key":"committee","title":"政法委","required":true},
                {"key":"superior","title":"上级政法委","required":false}]}"#,
        )
        .unwrap_or_default();
        let keys: Vec<(Option<Decider>, Decider)> = old
            .approval_chain
            .iter()
            .map(|l| (l.decided_by, l.decider()))
            .collect();
        assert_eq!(
            keys,
            [
                (None, Decider::HandlingOrgan),
                (None, Decider::Committee),
                (None, Decider::Superior)
            ]
        );
        // Validated, it names them.
        let checked = old.validate().unwrap_or_default();
        assert!(checked
            .approval_chain
            .iter()
            .all(|l| l.decided_by.is_some()));
        // A named org must be named; an org named for another kind of decider is dropped.
        let mut bad = JurisdictionConfig::default();
        bad.approval_chain[2].decided_by = Some(Decider::Org);
        bad.approval_chain[1].decider_org_id = Some("QSS".into());
        let err = bad.validate().err().unwrap_or_default();
        assert_eq!(codes(&err), [("approvalChain.2.deciderOrgId", "required")]);
        bad.approval_chain[2].decider_org_id = Some(" QSS ".into());
        let ok = bad.validate().unwrap_or_default();
        assert_eq!(ok.approval_chain[2].decider_org_id.as_deref(), Some("QSS"));
        assert_eq!(ok.approval_chain[1].decider_org_id, None);
    }

    #[test]
    fn numbers_in_both_styles() {
        let c = JurisdictionConfig::default();
        let p = c
            .doc_prefix("closureDecision")
            .cloned()
            .unwrap_or(DocPrefix {
                kind: String::new(),
                prefix: String::new(),
                round_brackets: false,
            });
        assert_eq!(p.format_number(2026, 7), "青政法终〔2026〕7号");
        let court = DocPrefix {
            kind: "closureDecision".into(),
            prefix: "青政法终".into(),
            round_brackets: true,
        };
        assert_eq!(court.format_number(2026, 7), "（2026）青政法终7号");
        assert_eq!(court.format_number(2026, 120), "（2026）青政法终120号");
        assert_eq!(
            c.doc_prefix("hearingNotice")
                .map(|p| p.format_number(2026, 1)),
            Some("青政法听〔2026〕1号".to_owned())
        );
    }

    #[test]
    fn out_of_range_numbers_are_named() {
        let c = JurisdictionConfig {
            notice_days: 0,
            panel_min: 0,
            panel_max: 16,
            ..Default::default()
        };
        let e = c.validate().err().unwrap_or_default();
        assert_eq!(
            codes(&e),
            [
                ("noticeDays", "range"),
                ("panelMin", "range"),
                ("panelMax", "range")
            ]
        );
        let c = JurisdictionConfig {
            notice_days: 61,
            panel_min: 5,
            panel_max: 3,
            ..Default::default()
        };
        let e = c.validate().err().unwrap_or_default();
        assert_eq!(codes(&e), [("noticeDays", "range"), ("panelMax", "order")]);
        assert!(e.0[1].message.contains("不能少于"));
    }

    #[test]
    fn lists_are_checked_item_by_item() {
        let mut c = JurisdictionConfig::default();
        c.agenda[1].key = "checkIn".into();
        c.agenda[2].title = "  ".into();
        c.approval_chain.iter_mut().for_each(|l| l.required = false);
        c.doc_prefixes[0].prefix = String::new();
        c.doc_prefixes[1].kind = c.doc_prefixes[0].kind.clone();
        let e = c.validate().err().unwrap_or_default();
        assert_eq!(
            codes(&e),
            [
                ("agenda.1.key", "duplicate"),
                ("agenda.2.title", "required"),
                ("approvalChain", "required"),
                ("docPrefixes.0.prefix", "required"),
                ("docPrefixes.1.kind", "duplicate"),
            ]
        );
        let empty = JurisdictionConfig {
            agenda: vec![],
            approval_chain: vec![],
            ..Default::default()
        };
        let e = empty.validate().err().unwrap_or_default();
        assert_eq!(
            codes(&e),
            [("agenda", "required"), ("approvalChain", "required")]
        );
    }

    #[test]
    fn validate_trims() {
        let mut c = JurisdictionConfig::default();
        c.agenda[0].title = " 签到 ".into();
        c.agenda[0].key = " checkIn\u{3000}".into();
        let v = c.validate().unwrap_or_default();
        assert_eq!(v.agenda[0].title, "签到");
        assert_eq!(v.agenda[0].key, "checkIn");
    }

    #[test]
    fn stored_config_missing_fields_gets_defaults() {
        let c: JurisdictionConfig = serde_json::from_str(r#"{"noticeDays":3}"#).unwrap_or_default();
        assert_eq!(c.notice_days, 3);
        assert_eq!(c.panel_max, 7);
        assert_eq!(c.agenda.len(), 13);
        let json = serde_json::to_string(&JurisdictionConfig::default()).unwrap_or_default();
        assert!(json.contains("\"roundBrackets\":false"));
        assert!(json.contains("\"approvalChain\""));
    }

    #[test]
    fn panel_size_warnings() {
        let c = JurisdictionConfig::default();
        assert!(c.panel_size_warnings(3).is_empty());
        assert!(c.panel_size_warnings(7).is_empty());
        assert_eq!(c.panel_size_warnings(4).len(), 1);
        assert_eq!(c.panel_size_warnings(8).len(), 2);
        assert_eq!(c.panel_size_warnings(9).len(), 1);
        let even_ok = JurisdictionConfig {
            panel_odd: false,
            ..Default::default()
        };
        assert!(even_ok.panel_size_warnings(4).is_empty());
    }
}
