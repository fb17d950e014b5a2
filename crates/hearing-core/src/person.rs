//! The person pool (人员库): people who can be invited to a hearing panel — 两代表一委员, lawyers,
//! mediators, experts and others.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::paging::SortDir;
use crate::text::{self, non_empty};
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PersonKind {
    /// 党代表
    PartyDelegate,
    /// 人大代表
    CongressDeputy,
    /// 政协委员
    CppccMember,
    /// 律师
    Lawyer,
    /// 人民调解员
    PeopleMediator,
    /// 专家
    Expert,
    /// 其他
    Other,
}

impl PersonKind {
    pub const ALL: [PersonKind; 7] = [
        Self::PartyDelegate,
        Self::CongressDeputy,
        Self::CppccMember,
        Self::Lawyer,
        Self::PeopleMediator,
        Self::Expert,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PartyDelegate => "partyDelegate",
            Self::CongressDeputy => "congressDeputy",
            Self::CppccMember => "cppccMember",
            Self::Lawyer => "lawyer",
            Self::PeopleMediator => "peopleMediator",
            Self::Expert => "expert",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PartyDelegate => "党代表",
            Self::CongressDeputy => "人大代表",
            Self::CppccMember => "政协委员",
            Self::Lawyer => "律师",
            Self::PeopleMediator => "人民调解员",
            Self::Expert => "专家",
            Self::Other => "其他",
        }
    }
}

/// The level of the congress or committee a delegate sits in, or the level of a mediator's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PersonLevel {
    /// 全国
    National,
    /// 省（自治区）
    Provincial,
    /// 市（盟）
    City,
    /// 县（旗、区）
    County,
    /// 乡镇（苏木）
    Township,
}

impl PersonLevel {
    pub const ALL: [PersonLevel; 5] = [
        Self::National,
        Self::Provincial,
        Self::City,
        Self::County,
        Self::Township,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Provincial => "provincial",
            Self::City => "city",
            Self::County => "county",
            Self::Township => "township",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::National => "全国",
            Self::Provincial => "省级",
            Self::City => "市级",
            Self::County => "县级",
            Self::Township => "乡镇级",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    /// The org whose desk keeps this entry of the pool.
    pub org_id: String,
    pub name: String,
    pub kind: PersonKind,
    pub level: Option<PersonLevel>,
    /// 工作单位
    pub unit: String,
    /// 职务
    pub title: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    /// 律师执业证号 (lawyers only).
    pub licence_no: Option<String>,
    /// 律师事务所 (lawyers only).
    pub law_firm: Option<String>,
    /// 专业领域
    pub expertise: String,
    /// 任期 (YYYY-MM-DD), for delegates and committee members.
    pub term_start: Option<String>,
    pub term_end: Option<String>,
    pub active: bool,
    pub note: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Person {
    /// The same person with ID number and phone masked, for lists and exports.
    pub fn masked(mut self) -> Person {
        self.id_number = self.id_number.map(|n| crate::validate::mask_id_number(&n));
        self.phone = self.phone.map(|p| crate::validate::mask_phone(&p));
        self
    }
}

/// What the person form sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PersonInput {
    pub name: String,
    pub kind: Option<PersonKind>,
    pub level: Option<PersonLevel>,
    pub unit: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub licence_no: String,
    pub law_firm: String,
    pub expertise: String,
    pub term_start: String,
    pub term_end: String,
    pub note: String,
}

/// A checked [`PersonInput`]: trimmed, numbers normalised, empties as `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPerson {
    pub name: String,
    pub kind: PersonKind,
    pub level: Option<PersonLevel>,
    pub unit: String,
    pub title: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub licence_no: Option<String>,
    pub law_firm: Option<String>,
    pub expertise: String,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub note: String,
}

impl PersonInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPerson, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = text::required(&mut e, "name", "姓名", &self.name, 50);
        let kind = self.kind.unwrap_or_else(|| {
            e.push("kind", "required", "请选择人员类别");
            PersonKind::Other
        });
        let unit = text::optional(&mut e, "unit", "工作单位", &self.unit, text::MEDIUM);
        let title = text::optional(&mut e, "title", "职务", &self.title, text::SHORT);
        let phone = optional_phone(&mut e, "phone", &self.phone);
        let id_number = optional_id(&mut e, "idNumber", &self.id_number, today);
        let licence_no = text::optional(&mut e, "licenceNo", "执业证号", &self.licence_no, 30);
        let law_firm = text::optional(
            &mut e,
            "lawFirm",
            "律师事务所",
            &self.law_firm,
            text::MEDIUM,
        );
        if kind == PersonKind::Lawyer {
            if licence_no.is_empty() {
                e.push("licenceNo", "required", "律师须填写执业证号");
            } else if !licence_no.chars().all(|c| c.is_ascii_digit()) || licence_no.len() != 17 {
                e.push(
                    "licenceNo",
                    "licence_no.format",
                    "律师执业证号应为 17 位数字",
                );
            }
            if law_firm.is_empty() {
                e.push("lawFirm", "required", "律师须填写所在律师事务所");
            }
        }
        let expertise = text::optional(
            &mut e,
            "expertise",
            "专业领域",
            &self.expertise,
            text::MEDIUM,
        );
        let term_start = optional_date(&mut e, "termStart", "任期开始", &self.term_start);
        let term_end = optional_date(&mut e, "termEnd", "任期结束", &self.term_end);
        if let (Some(s), Some(t)) = (&term_start, &term_end) {
            if t < s {
                e.push("termEnd", "term.order", "任期结束日期早于开始日期");
            }
        }
        let note = text::optional(&mut e, "note", "备注", &self.note, text::LONG);
        e.into_result(ValidPerson {
            name,
            kind,
            level: self.level,
            unit,
            title,
            phone,
            id_number,
            licence_no: non_empty(licence_no),
            law_firm: non_empty(law_firm),
            expertise,
            term_start,
            term_end,
            note,
        })
    }
}

/// Checks an optional phone field and returns the normalised number.
pub(crate) fn optional_phone(e: &mut ValidationErrors, field: &str, value: &str) -> Option<String> {
    let value = text::clean(value);
    if value.is_empty() {
        return None;
    }
    match validate::phone(&value) {
        Ok((n, _)) => Some(n),
        Err(err) => {
            e.push(field, "phone.format", err.to_string());
            None
        }
    }
}

/// Checks an optional resident ID field and returns the normalised number.
pub(crate) fn optional_id(
    e: &mut ValidationErrors,
    field: &str,
    value: &str,
    today: NaiveDate,
) -> Option<String> {
    let value = text::clean(value);
    if value.is_empty() {
        return None;
    }
    match validate::resident_id(&value, today) {
        Ok(id) => Some(id.number),
        Err(err) => {
            e.push(field, err.code(), err.to_string());
            None
        }
    }
}

/// Checks an optional date field and returns it as `YYYY-MM-DD`.
pub(crate) fn optional_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
) -> Option<NaiveDate> {
    let value = text::clean(value);
    if value.is_empty() {
        return None;
    }
    match validate::date(&value) {
        Some(d) => Some(d),
        None => {
            e.push(
                field,
                "date.format",
                format!("{label}“{value}”不是有效日期，请按 2026-03-05 的格式填写"),
            );
            None
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PersonSort {
    #[default]
    Name,
    Kind,
    UpdatedAt,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PersonListQuery {
    /// Matches name, unit, title, law firm or expertise.
    pub search: Option<String>,
    pub kind: Option<PersonKind>,
    pub level: Option<PersonLevel>,
    /// `None`: everyone; `Some(true)`: only active people.
    pub active: Option<bool>,
    pub sort: Option<PersonSort>,
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

    #[test]
    fn lawyer_needs_licence_and_firm() {
        let input = PersonInput {
            name: "周律".into(),
            kind: Some(PersonKind::Lawyer),
            ..Default::default()
        };
        let errs = input.validate(today()).err().unwrap_or_default();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["licenceNo", "lawFirm"]);
    }

    #[test]
    fn all_problems_are_reported_together() {
        let input = PersonInput {
            name: " ".into(),
            kind: None,
            phone: "123".into(),
            id_number: "340524198001010013".into(),
            term_start: "2026-02-30".into(),
            ..Default::default()
        };
        let errs = input.validate(today()).err().unwrap_or_default();
        let codes: Vec<_> = errs.0.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "required",
                "required",
                "phone.format",
                "id_number.check_digit",
                "date.format"
            ]
        );
    }

    #[test]
    fn valid_person_is_normalised() {
        let input = PersonInput {
            name: " 王䶮 ".into(),
            kind: Some(PersonKind::CongressDeputy),
            phone: "138 1234 5678".into(),
            id_number: "11010519491231002x".into(),
            ..Default::default()
        };
        let p = input.validate(today()).expect("valid");
        assert_eq!(p.name, "王䶮");
        assert_eq!(p.phone.as_deref(), Some("13812345678"));
        assert_eq!(p.id_number.as_deref(), Some("11010519491231002X"));
    }
}
