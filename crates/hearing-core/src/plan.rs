//! What an organiser types when planning a hearing and adding people to it: checked here so the
//! store and the CLI share one set of messages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deliberation::Vote;
use crate::error::ValidationErrors;
use crate::hearing::{HearingMode, ParticipantRole};
use crate::person::optional_date;
use crate::text;

/// The plan of a hearing: when, where, how, public or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HearingInput {
    pub case_id: String,
    pub title: String,
    /// YYYY-MM-DD
    pub scheduled_on: String,
    /// HH:MM
    pub start_time: String,
    pub venue: String,
    pub mode: Option<HearingMode>,
    pub public: bool,
    /// Required when not public: state secrets, business secrets, privacy or a minor.
    pub non_public_reason: String,
}

/// A checked [`HearingInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidHearing {
    pub case_id: String,
    pub title: String,
    pub scheduled_on: NaiveDate,
    pub start_time: String,
    pub venue: String,
    pub mode: HearingMode,
    pub public: bool,
    pub non_public_reason: String,
}

impl HearingInput {
    pub fn validate(&self) -> Result<ValidHearing, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let case_id = text::clean(&self.case_id);
        if case_id.is_empty() {
            e.push("caseId", "required", "请选择听证的案件");
        }
        let title = text::required(&mut e, "title", "听证会名称", &self.title, text::MEDIUM);
        let scheduled_on =
            match optional_date(&mut e, "scheduledOn", "听证日期", &self.scheduled_on) {
                Some(d) => d,
                None => {
                    if text::clean(&self.scheduled_on).is_empty() {
                        e.push("scheduledOn", "required", "请填写听证日期");
                    }
                    // Refused below: no date is kept.
                    NaiveDate::default()
                }
            };
        let start_time = text::clean(&self.start_time);
        let start_time = if start_time.is_empty() {
            "09:00".to_owned()
        } else {
            match chrono::NaiveTime::parse_from_str(&start_time, "%H:%M") {
                Ok(t) => t.format("%H:%M").to_string(),
                Err(_) => {
                    e.push(
                        "startTime",
                        "time.format",
                        format!("开始时间“{start_time}”无效，请按 09:30 的格式填写"),
                    );
                    start_time
                }
            }
        };
        let venue = text::required(&mut e, "venue", "听证地点", &self.venue, text::MEDIUM);
        let mode = self.mode.unwrap_or_else(|| {
            e.push("mode", "required", "请选择听证方式");
            HearingMode::OnSite
        });
        let non_public_reason = text::optional(
            &mut e,
            "nonPublicReason",
            "不公开理由",
            &self.non_public_reason,
            text::MEDIUM,
        );
        if !self.public && non_public_reason.is_empty() {
            e.push(
                "nonPublicReason",
                "required",
                "不公开听证须说明理由（涉及国家秘密、商业秘密、个人隐私或未成年人）",
            );
        }
        e.into_result(ValidHearing {
            case_id,
            title,
            scheduled_on,
            start_time,
            venue,
            mode,
            public: self.public,
            non_public_reason: if self.public {
                String::new()
            } else {
                non_public_reason
            },
        })
    }
}

/// Someone added to a hearing in a role: from the person pool (`person_id`) or by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ParticipantInput {
    pub role: ParticipantRole,
    pub person_id: Option<String>,
    pub name: String,
    pub unit: String,
}

impl ParticipantInput {
    pub fn validate(&self) -> Result<ParticipantInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = text::required(&mut e, "name", "姓名", &self.name, 100);
        let unit = text::optional(&mut e, "unit", "单位或身份", &self.unit, text::MEDIUM);
        e.into_result(ParticipantInput {
            role: self.role,
            person_id: self.person_id.clone().filter(|p| !p.trim().is_empty()),
            name,
            unit,
        })
    }
}

/// A reason and, for adjournment, a new date — what some transitions need.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ActionInput {
    pub reason: String,
    /// YYYY-MM-DD: the new hearing date (延期) or the date of service / filing.
    pub date: String,
}

impl ActionInput {
    /// The reason trimmed (length-checked) and the date parsed, if given.
    pub fn validate(&self) -> Result<(String, Option<NaiveDate>), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let reason = text::optional(&mut e, "reason", "理由", &self.reason, text::LONG);
        let date = optional_date(&mut e, "date", "日期", &self.date);
        e.into_result((reason, date))
    }
}

/// One step of the closure approval chain as the approver records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalInput {
    pub level_key: String,
    pub approver: String,
    pub opinion: String,
    pub approved: bool,
    /// YYYY-MM-DD; empty means today.
    pub decided_on: String,
}

impl ApprovalInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidApproval, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let approver = text::required(&mut e, "approver", "审批人", &self.approver, 50);
        let opinion = text::required(&mut e, "opinion", "审批意见", &self.opinion, text::LONG);
        let decided_on =
            optional_date(&mut e, "decidedOn", "审批日期", &self.decided_on).unwrap_or(today);
        e.into_result(ValidApproval {
            level_key: self.level_key.trim().to_owned(),
            approver,
            opinion,
            approved: self.approved,
            decided_on,
        })
    }
}

/// A checked [`ApprovalInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidApproval {
    pub level_key: String,
    pub approver: String,
    pub opinion: String,
    pub approved: bool,
    pub decided_on: NaiveDate,
}

/// The organ's own decision after the panel's advisory opinion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OrganDecisionInput {
    pub decision: Vote,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> HearingInput {
        HearingInput {
            case_id: "c1".into(),
            title: "张某信访事项听证会".into(),
            scheduled_on: "2026-12-10".into(),
            start_time: "9:30".into(),
            venue: "东河区政法委听证室".into(),
            mode: Some(HearingMode::OnSite),
            public: true,
            non_public_reason: "x".into(),
        }
    }

    #[test]
    fn a_plan_is_normalised() {
        let h = input().validate().expect("valid");
        assert_eq!(h.start_time, "09:30");
        assert_eq!(h.non_public_reason, "", "a public hearing keeps no reason");
    }

    #[test]
    fn a_closed_hearing_needs_a_reason_and_every_problem_is_named() {
        let mut i = input();
        i.public = false;
        i.non_public_reason = String::new();
        i.scheduled_on = "2026-02-30".into();
        i.start_time = "25:00".into();
        i.venue = String::new();
        let e = i.validate().err().unwrap_or_default();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["scheduledOn", "startTime", "venue", "nonPublicReason"]
        );
    }

    #[test]
    fn approvals_default_to_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        let a = ApprovalInput {
            level_key: "organHead".into(),
            approver: "王局长".into(),
            opinion: "同意终结".into(),
            approved: true,
            decided_on: String::new(),
        };
        assert_eq!(a.validate(today).map(|a| a.decided_on), Ok(today));
    }
}
