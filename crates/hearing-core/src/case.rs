//! Cases (涉法涉诉信访事项): the petitioners, the responsible organ, the original case and its
//! rulings, the demands, the 四明五清 analysis and the status.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::analysis::{AnalysisItem, CaseAnalysis};
use crate::error::ValidationErrors;
use crate::paging::SortDir;
use crate::person::{optional_date, optional_id, optional_phone};
use crate::text::{self, non_empty};
use crate::validate;

/// Case states (DOMAIN.md, DESIGN.md §3). The guarded transitions between them come with the
/// hearing workflow; here a case simply carries its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum CaseStatus {
    /// 登记
    Registered,
    /// 评查化解
    UnderReview,
    /// 拟终结
    ProposedClosure,
    /// 听证
    Hearing,
    /// 终结审批
    ClosureApproval,
    /// 已终结
    Closed,
    /// 已送达
    Served,
    /// 已备案
    Filed,
    /// 已化解
    Resolved,
    /// 导入法律程序
    LegalProcedure,
    /// 撤回
    Withdrawn,
    /// 依法重启
    Reopened,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 12] = [
        Self::Registered,
        Self::UnderReview,
        Self::ProposedClosure,
        Self::Hearing,
        Self::ClosureApproval,
        Self::Closed,
        Self::Served,
        Self::Filed,
        Self::Resolved,
        Self::LegalProcedure,
        Self::Withdrawn,
        Self::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::UnderReview => "underReview",
            Self::ProposedClosure => "proposedClosure",
            Self::Hearing => "hearing",
            Self::ClosureApproval => "closureApproval",
            Self::Closed => "closed",
            Self::Served => "served",
            Self::Filed => "filed",
            Self::Resolved => "resolved",
            Self::LegalProcedure => "legalProcedure",
            Self::Withdrawn => "withdrawn",
            Self::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "登记",
            Self::UnderReview => "评查化解",
            Self::ProposedClosure => "拟终结",
            Self::Hearing => "听证",
            Self::ClosureApproval => "终结审批",
            Self::Closed => "已终结",
            Self::Served => "已送达",
            Self::Filed => "已备案",
            Self::Resolved => "已化解",
            Self::LegalProcedure => "导入法律程序",
            Self::Withdrawn => "撤回",
            Self::Reopened => "依法重启",
        }
    }

    /// Closed matters leave the active counts (不再统计、交办、通报).
    pub fn is_active(self) -> bool {
        !matches!(
            self,
            Self::Closed
                | Self::Served
                | Self::Filed
                | Self::Resolved
                | Self::LegalProcedure
                | Self::Withdrawn
        )
    }
}

/// Which kind of original matter the petition is about, for statistics by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum CaseCategory {
    /// 民事
    Civil,
    /// 刑事
    Criminal,
    /// 行政
    Administrative,
    /// 执行
    Enforcement,
    /// 国家赔偿
    StateCompensation,
    /// 公安执法
    PoliceEnforcement,
    /// 检察监督
    ProcuratorialSupervision,
    /// 其他
    Other,
}

impl CaseCategory {
    pub const ALL: [CaseCategory; 8] = [
        Self::Civil,
        Self::Criminal,
        Self::Administrative,
        Self::Enforcement,
        Self::StateCompensation,
        Self::PoliceEnforcement,
        Self::ProcuratorialSupervision,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Civil => "civil",
            Self::Criminal => "criminal",
            Self::Administrative => "administrative",
            Self::Enforcement => "enforcement",
            Self::StateCompensation => "stateCompensation",
            Self::PoliceEnforcement => "policeEnforcement",
            Self::ProcuratorialSupervision => "procuratorialSupervision",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Civil => "民事",
            Self::Criminal => "刑事",
            Self::Administrative => "行政",
            Self::Enforcement => "执行",
            Self::StateCompensation => "国家赔偿",
            Self::PoliceEnforcement => "公安执法",
            Self::ProcuratorialSupervision => "检察监督",
            Self::Other => "其他",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PetitionerKind {
    /// 自然人
    Person,
    /// 单位
    Organisation,
}

impl PetitionerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "person" => Some(Self::Person),
            "organisation" => Some(Self::Organisation),
            _ => None,
        }
    }
}

/// A petitioner (信访人): a person with an ID number, or an organisation with a credit code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Petitioner {
    pub kind: PetitionerKind,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    /// 统一社会信用代码 (organisations).
    pub credit_code: Option<String>,
    /// Why the credit code looked wrong when it was saved (kept, not blocked).
    pub credit_code_warning: Option<String>,
    /// 法定代表人 / 负责人 (organisations).
    pub representative: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PetitionerInput {
    pub kind: PetitionerKind,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub credit_code: String,
    pub representative: String,
}

/// One ruling or decision in the original matter (一审判决, 二审裁定, 不起诉决定 …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Ruling {
    /// Deciding organ, e.g. 青山市中级人民法院.
    pub organ: String,
    /// Its number, e.g. （2021）青01民终123号.
    pub number: String,
    /// YYYY-MM-DD, may be empty when unknown.
    pub date: String,
    /// What it decided.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub id: String,
    /// Register number, e.g. DHQ-2026-007.
    pub number: String,
    /// The org whose desk owns the case.
    pub org_id: String,
    /// The organ responsible for the matter (承办单位).
    pub handling_organ_id: String,
    pub handling_organ_name: String,
    /// 承办人
    pub case_officer: String,
    /// A one-line name of the matter, e.g. 张某某不服民间借贷纠纷判决信访案.
    pub title: String,
    pub category: CaseCategory,
    pub petitioners: Vec<Petitioner>,
    /// 原案案号
    pub original_case_number: String,
    pub rulings: Vec<Ruling>,
    /// 信访诉求
    pub demands: String,
    /// Petition history and background.
    pub background: String,
    pub analysis: CaseAnalysis,
    pub analysis_items: Vec<AnalysisItem>,
    pub analysis_completeness: u8,
    pub status: CaseStatus,
    /// YYYY-MM-DD
    pub registered_on: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Case {
    /// The same case with its petitioners' ID and phone numbers masked, for the detail page: the
    /// full numbers are revealed one petitioner at a time, and each reveal is audited.
    pub fn masked(mut self) -> Case {
        for p in &mut self.petitioners {
            p.id_number = p.id_number.take().map(|n| validate::mask_id_number(&n));
            p.phone = p.phone.take().map(|n| validate::mask_phone(&n));
        }
        self
    }
}

/// A row of the case list: no narratives, ID numbers masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseSummary {
    pub id: String,
    pub number: String,
    pub title: String,
    pub category: CaseCategory,
    /// Names of all petitioners, joined with "、".
    pub petitioner_names: String,
    /// The first petitioner's masked ID number, if any.
    pub petitioner_id_masked: Option<String>,
    pub handling_organ_name: String,
    pub status: CaseStatus,
    pub registered_on: String,
    pub analysis_completeness: u8,
    pub updated_at: String,
}

/// How many cases are in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: CaseStatus,
    pub count: u32,
}

/// The register at a glance, for the 工作台.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseCounts {
    pub total: u32,
    /// Cases that still count (see [`CaseStatus::is_active`]).
    pub active: u32,
    /// Active cases whose 四明五清 analysis is not complete.
    pub analysis_incomplete: u32,
    /// Every state with at least one case, most cases first.
    pub by_status: Vec<StatusCount>,
}

/// What the case form sends (create and edit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseInput {
    /// Empty: the store assigns the next number of the year.
    pub number: String,
    pub handling_organ_id: String,
    pub case_officer: String,
    pub title: String,
    pub category: Option<CaseCategory>,
    pub petitioners: Vec<PetitionerInput>,
    pub original_case_number: String,
    pub rulings: Vec<Ruling>,
    pub demands: String,
    pub background: String,
    /// YYYY-MM-DD; empty means today.
    pub registered_on: String,
}

/// A checked [`CaseInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCase {
    pub number: Option<String>,
    pub handling_organ_id: String,
    pub case_officer: String,
    pub title: String,
    pub category: CaseCategory,
    pub petitioners: Vec<Petitioner>,
    pub original_case_number: String,
    pub rulings: Vec<Ruling>,
    pub demands: String,
    pub background: String,
    pub registered_on: NaiveDate,
}

/// A group petition elects at most five representatives; a case lists at most this many.
pub const MAX_PETITIONERS: usize = 20;
pub const MAX_RULINGS: usize = 20;

impl CaseInput {
    /// Checks every field and reports all problems at once, each under its field path.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidCase, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let number = text::optional(&mut e, "number", "案件编号", &self.number, 40);
        let handling_organ_id = text::clean(&self.handling_organ_id);
        if handling_organ_id.is_empty() {
            e.push("handlingOrganId", "required", "请选择承办单位");
        }
        let case_officer = text::optional(&mut e, "caseOfficer", "承办人", &self.case_officer, 50);
        let title = text::required(&mut e, "title", "事项名称", &self.title, text::MEDIUM);
        let category = self.category.unwrap_or_else(|| {
            e.push("category", "required", "请选择案件类别");
            CaseCategory::Other
        });
        if self.petitioners.is_empty() {
            e.push("petitioners", "required", "至少填写一名信访人");
        }
        if self.petitioners.len() > MAX_PETITIONERS {
            e.push(
                "petitioners",
                "too_many",
                format!("信访人最多 {MAX_PETITIONERS} 名，群体信访请登记推选的代表"),
            );
        }
        let petitioners = self
            .petitioners
            .iter()
            .take(MAX_PETITIONERS)
            .enumerate()
            .map(|(i, p)| p.validate(&mut e, i, today))
            .collect();
        let original_case_number = text::optional(
            &mut e,
            "originalCaseNumber",
            "原案案号",
            &self.original_case_number,
            text::SHORT,
        );
        if self.rulings.len() > MAX_RULINGS {
            e.push(
                "rulings",
                "too_many",
                format!("原案裁判最多登记 {MAX_RULINGS} 项"),
            );
        }
        let rulings = self
            .rulings
            .iter()
            .take(MAX_RULINGS)
            .enumerate()
            .map(|(i, r)| {
                let f = |name: &str| format!("rulings.{i}.{name}");
                Ruling {
                    organ: text::optional(&mut e, &f("organ"), "裁判机关", &r.organ, text::MEDIUM),
                    number: text::optional(&mut e, &f("number"), "文书号", &r.number, text::SHORT),
                    date: optional_date(&mut e, &f("date"), "裁判日期", &r.date)
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    summary: text::optional(
                        &mut e,
                        &f("summary"),
                        "裁判结果",
                        &r.summary,
                        text::LONG,
                    ),
                }
            })
            .filter(|r| !(r.organ.is_empty() && r.number.is_empty() && r.summary.is_empty()))
            .collect();
        let demands = text::required(&mut e, "demands", "信访诉求", &self.demands, text::LONG);
        let background = text::optional(
            &mut e,
            "background",
            "信访经过",
            &self.background,
            text::LONG,
        );
        let registered_on =
            match optional_date(&mut e, "registeredOn", "登记日期", &self.registered_on) {
                Some(d) if d > today => {
                    e.push("registeredOn", "date.future", "登记日期不能晚于今天");
                    d
                }
                Some(d) => d,
                None => today,
            };
        e.into_result(ValidCase {
            number: non_empty(number),
            handling_organ_id,
            case_officer,
            title,
            category,
            petitioners,
            original_case_number,
            rulings,
            demands,
            background,
            registered_on,
        })
    }
}

impl PetitionerInput {
    fn validate(&self, e: &mut ValidationErrors, i: usize, today: NaiveDate) -> Petitioner {
        let f = |name: &str| format!("petitioners.{i}.{name}");
        let name = text::required(e, &f("name"), "信访人姓名或名称", &self.name, 100);
        let phone = optional_phone(e, &f("phone"), &self.phone);
        let address = text::optional(e, &f("address"), "住址", &self.address, text::MEDIUM);
        let representative = text::optional(
            e,
            &f("representative"),
            "法定代表人",
            &self.representative,
            50,
        );
        let (id_number, credit_code, credit_code_warning) = match self.kind {
            PetitionerKind::Person => (
                optional_id(e, &f("idNumber"), &self.id_number, today),
                None,
                None,
            ),
            PetitionerKind::Organisation => {
                let raw = text::clean(&self.credit_code);
                if raw.is_empty() {
                    (None, None, None)
                } else {
                    let (code, warning) = validate::credit_code(&raw);
                    (None, Some(code), warning.map(|w| w.to_string()))
                }
            }
        };
        Petitioner {
            kind: self.kind,
            name,
            id_number,
            phone,
            address,
            credit_code,
            credit_code_warning,
            representative,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum CaseSort {
    #[default]
    RegisteredOn,
    Number,
    UpdatedAt,
    Status,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseListQuery {
    /// Matches number, title, petitioner names, original case number and demands.
    pub search: Option<String>,
    pub status: Option<CaseStatus>,
    pub category: Option<CaseCategory>,
    pub handling_organ_id: Option<String>,
    /// Only cases that still count (not closed, resolved, withdrawn …).
    pub active_only: Option<bool>,
    pub sort: Option<CaseSort>,
    pub dir: Option<SortDir>,
    pub page: u32,
    pub page_size: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    fn input() -> CaseInput {
        CaseInput {
            number: String::new(),
            handling_organ_id: "org-1".into(),
            case_officer: "李明".into(),
            title: "张某不服借款纠纷判决信访案".into(),
            category: Some(CaseCategory::Civil),
            petitioners: vec![PetitionerInput {
                kind: PetitionerKind::Person,
                name: "张某".into(),
                id_number: "11010519491231002X".into(),
                phone: String::new(),
                address: String::new(),
                credit_code: String::new(),
                representative: String::new(),
            }],
            original_case_number: "（2021）青0102民初123号".into(),
            rulings: vec![Ruling::default()],
            demands: "撤销原判".into(),
            background: String::new(),
            registered_on: String::new(),
        }
    }

    #[test]
    fn valid_case_gets_todays_date_and_drops_empty_rulings() {
        let c = input().validate(today()).expect("valid");
        assert_eq!(c.registered_on.to_string(), "2026-11-27");
        assert!(c.rulings.is_empty());
        assert_eq!(c.number, None);
    }

    #[test]
    fn bad_id_is_reported_under_its_petitioner() {
        let mut i = input();
        i.petitioners[0].id_number = "340524198001010013".into();
        let e = i.validate(today()).err().unwrap_or_default();
        assert_eq!(e.0[0].field, "petitioners.0.idNumber");
        assert!(e.0[0].message.contains("校验位"));
    }

    #[test]
    fn organisation_with_bad_credit_code_is_saved_with_a_warning() {
        let mut i = input();
        i.petitioners[0] = PetitionerInput {
            kind: PetitionerKind::Organisation,
            name: "青山市某建材有限公司".into(),
            id_number: String::new(),
            phone: String::new(),
            address: String::new(),
            credit_code: "91350100M000100Y44".into(),
            representative: "王某".into(),
        };
        let c = i.validate(today()).expect("a warning does not block");
        assert!(c.petitioners[0].credit_code_warning.is_some());
    }

    #[test]
    fn missing_everything_lists_every_field() {
        let i = CaseInput {
            number: String::new(),
            handling_organ_id: String::new(),
            case_officer: String::new(),
            title: String::new(),
            category: None,
            petitioners: vec![],
            original_case_number: String::new(),
            rulings: vec![],
            demands: String::new(),
            background: String::new(),
            registered_on: "2099-01-01".into(),
        };
        let e = i.validate(today()).err().unwrap_or_default();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "handlingOrganId",
                "title",
                "category",
                "petitioners",
                "demands",
                "registeredOn"
            ]
        );
    }

    #[test]
    fn closed_states_are_not_active() {
        assert!(CaseStatus::Hearing.is_active());
        assert!(!CaseStatus::Filed.is_active());
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
    }
}
