//! 会商研判 (DOMAIN.md §2, the committee's weekly case conference): the meeting (date, place,
//! chair, who attended), the cases on its agenda, and for each case the discussion and a
//! conclusion with the org responsible and a deadline. Only the checks live here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::rules::labelled_enum;
use crate::text;
use crate::validate;

labelled_enum! {
    /// How a person took part in a meeting (the 纪要's 出席, 列席, 请假 lists).
    pub enum Presence {
        Present = "present": "出席",
        Attending = "attending": "列席",
        Absent = "absent": "请假",
    }
}

labelled_enum! {
    /// What the conference concluded about a case.
    pub enum Conclusion {
        Continue = "continue": "继续化解",
        Hearing = "hearing": "组织听证",
        Close = "close": "拟终结",
        Legal = "legal": "导入法律程序",
        Other = "other": "其他",
    }
}

/// One person at a meeting: from the person pool (`person_id`) or typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    pub name: String,
    /// 单位及职务
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub person_id: Option<String>,
    pub presence: Presence,
}

/// What the meeting form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MeetingInput {
    /// The holding org; empty: this desk's org. Another org's meeting is entered only on a desk
    /// working alone, as 代录.
    #[serde(default)]
    pub org_id: Option<String>,
    /// e.g. 2026年第49周涉法涉诉信访案件会商研判会议
    pub title: String,
    /// YYYY-MM-DD
    pub held_on: String,
    /// e.g. 上午9时
    #[serde(default)]
    pub time: String,
    pub place: String,
    /// 主持人
    pub chair: String,
    /// 记录人
    #[serde(default)]
    pub recorder: String,
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// A paragraph after the opening one (会议听取了…), if any.
    #[serde(default)]
    pub intro: String,
}

/// At most this many people on one meeting's lists.
pub const MAX_ATTENDEES: usize = 200;

impl MeetingInput {
    /// A title, a real date, a place and a chair; each attendee named once, at most
    /// [`MAX_ATTENDEES`]. Returns the input trimmed, the date as YYYY-MM-DD.
    pub fn validate(&self) -> Result<MeetingInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let title = text::required(&mut e, "title", "会议名称", &self.title, text::SHORT);
        let raw = text::clean(&self.held_on);
        let held_on = if raw.is_empty() {
            e.push("heldOn", "required", "请填写会议日期");
            String::new()
        } else {
            match validate::date(&raw) {
                Some(d) => d.format("%Y-%m-%d").to_string(),
                None => {
                    e.push(
                        "heldOn",
                        "date.format",
                        format!("会议日期“{raw}”不是有效日期，请按 2026-03-05 的格式填写"),
                    );
                    String::new()
                }
            }
        };
        let time = text::optional(&mut e, "time", "会议时间", &self.time, 30);
        let place = text::required(&mut e, "place", "会议地点", &self.place, text::SHORT);
        let chair = text::required(&mut e, "chair", "主持人", &self.chair, 50);
        let recorder = text::optional(&mut e, "recorder", "记录人", &self.recorder, 50);
        let intro = text::optional(&mut e, "intro", "会议概述", &self.intro, text::LONG);
        if self.attendees.len() > MAX_ATTENDEES {
            e.push(
                "attendees",
                "too_many",
                format!("参会人员最多 {MAX_ATTENDEES} 人"),
            );
        }
        let mut attendees: Vec<Attendee> = Vec::new();
        for (i, a) in self.attendees.iter().take(MAX_ATTENDEES).enumerate() {
            let field = format!("attendees.{i}");
            let name = text::required(&mut e, &field, "参会人员姓名", &a.name, 50);
            let unit = text::optional(&mut e, &field, "参会人员单位", &a.unit, text::SHORT);
            if !name.is_empty() && attendees.iter().any(|b| b.name == name && b.unit == unit) {
                e.push(&field, "duplicate", format!("参会人员“{name}”重复"));
            }
            attendees.push(Attendee {
                name,
                unit,
                person_id: a
                    .person_id
                    .as_deref()
                    .map(text::clean)
                    .filter(|s| !s.is_empty()),
                presence: a.presence,
            });
        }
        e.into_result(MeetingInput {
            org_id: self
                .org_id
                .as_deref()
                .map(text::clean)
                .filter(|s| !s.is_empty()),
            title,
            held_on,
            time,
            place,
            chair,
            recorder,
            attendees,
            intro,
        })
    }
}

/// What the conclusion form of one agenda item sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ItemConclusionInput {
    /// 研判情况: what was said about the case.
    pub discussion: String,
    pub conclusion: Option<Conclusion>,
    /// The conclusion in words (required for 其他; otherwise what to do, optional).
    #[serde(default)]
    pub conclusion_text: String,
    /// The org that is to carry it out, if any.
    #[serde(default)]
    pub responsible_org_id: Option<String>,
    /// YYYY-MM-DD; required with a responsible org.
    #[serde(default)]
    pub deadline: String,
    /// Issue a 交办单 to the responsible org from this conclusion, signed by `issued_by`.
    #[serde(default)]
    pub issue_slip: bool,
    #[serde(default)]
    pub issued_by: String,
}

/// A checked [`ItemConclusionInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidConclusion {
    pub discussion: String,
    pub conclusion: Conclusion,
    pub conclusion_text: String,
    pub responsible_org_id: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub issue_slip: bool,
    pub issued_by: String,
}

impl ItemConclusionInput {
    /// The discussion and a conclusion are required; 其他 needs its words; a responsible org
    /// needs a deadline, and a slip a responsible org, a signer and a deadline not before `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidConclusion, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let discussion = text::required(
            &mut e,
            "discussion",
            "研判情况",
            &self.discussion,
            text::LONG,
        );
        let conclusion_text = text::optional(
            &mut e,
            "conclusionText",
            "研判意见",
            &self.conclusion_text,
            text::LONG,
        );
        let conclusion = match self.conclusion {
            Some(c) => c,
            None => {
                e.push("conclusion", "required", "请选择研判结论");
                Conclusion::Other
            }
        };
        if conclusion == Conclusion::Other
            && conclusion_text.is_empty()
            && self.conclusion.is_some()
        {
            e.push(
                "conclusionText",
                "required",
                "研判结论为“其他”时，请写明研判意见",
            );
        }
        let responsible_org_id = self
            .responsible_org_id
            .as_deref()
            .map(text::clean)
            .filter(|s| !s.is_empty());
        let raw = text::clean(&self.deadline);
        let deadline = if raw.is_empty() {
            if responsible_org_id.is_some() {
                e.push("deadline", "required", "指定了责任单位，请填写办理期限");
            }
            None
        } else {
            match validate::date(&raw) {
                // A deadline already passed stands in minutes typed in afterwards, or corrected
                // later; only a new 交办单 must give time ahead.
                Some(d) if d < today && self.issue_slip => {
                    e.push(
                        "deadline",
                        "date.past",
                        format!("办理期限 {} 早于今天", d.format("%Y-%m-%d")),
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    e.push(
                        "deadline",
                        "date.format",
                        format!("办理期限“{raw}”不是有效日期，请按 2026-03-05 的格式填写"),
                    );
                    None
                }
            }
        };
        let issued_by = text::optional(&mut e, "issuedBy", "签发人", &self.issued_by, 50);
        if self.issue_slip {
            if responsible_org_id.is_none() {
                e.push("responsibleOrgId", "required", "发交办单须指定责任单位");
            }
            if issued_by.is_empty() {
                e.push("issuedBy", "required", "发交办单须填写签发人");
            }
        }
        e.into_result(ValidConclusion {
            discussion,
            conclusion,
            conclusion_text,
            responsible_org_id,
            deadline,
            issue_slip: self.issue_slip,
            issued_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
    }

    #[test]
    fn a_meeting_needs_its_title_date_place_and_chair() {
        let e = MeetingInput::default().validate().expect_err("empty");
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_str()).collect();
        for f in ["title", "heldOn", "place", "chair"] {
            assert!(fields.contains(&f), "{f}: {fields:?}");
        }
        let ok = MeetingInput {
            title: " 第49周会商研判 ".into(),
            held_on: "2026年12月7日".into(),
            place: "市委政法委三楼会议室".into(),
            chair: "王书记".into(),
            attendees: vec![
                Attendee {
                    name: "李四".into(),
                    unit: "市中级人民法院".into(),
                    person_id: None,
                    presence: Presence::Present,
                },
                Attendee {
                    name: "李四".into(),
                    unit: "市中级人民法院".into(),
                    person_id: None,
                    presence: Presence::Attending,
                },
            ],
            ..MeetingInput::default()
        };
        let e = ok.validate().expect_err("the same person twice");
        assert!(e.to_string().contains("李四"), "{e}");
        let mut ok = ok;
        ok.attendees.pop();
        let v = ok.validate().expect("valid");
        assert_eq!(v.title, "第49周会商研判");
        assert_eq!(v.held_on, "2026-12-07");
    }

    #[test]
    fn a_conclusion_with_a_slip_needs_an_org_a_deadline_and_a_signer() {
        let c = ItemConclusionInput {
            discussion: "承办单位汇报了化解进展".into(),
            conclusion: Some(Conclusion::Hearing),
            issue_slip: true,
            ..ItemConclusionInput::default()
        };
        let e = c.validate(today()).expect_err("no org");
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_str()).collect();
        assert!(fields.contains(&"responsibleOrgId") && fields.contains(&"issuedBy"));
        let c = ItemConclusionInput {
            responsible_org_id: Some("org".into()),
            deadline: "2026-12-01".into(),
            issued_by: "王书记".into(),
            ..c
        };
        let e = c.validate(today()).expect_err("past deadline");
        assert!(e.to_string().contains("早于今天"), "{e}");
        // Without a slip a past deadline stands (minutes typed in afterwards).
        let late = ItemConclusionInput {
            issue_slip: false,
            ..c.clone()
        };
        assert!(late.validate(today()).is_ok());
        let c = ItemConclusionInput {
            deadline: "2026-12-20".into(),
            ..c
        };
        let v = c.validate(today()).expect("valid");
        assert_eq!(v.conclusion, Conclusion::Hearing);
        let other = ItemConclusionInput {
            discussion: "讨论".into(),
            conclusion: Some(Conclusion::Other),
            ..ItemConclusionInput::default()
        };
        assert!(other.validate(today()).is_err(), "其他 without words");
    }
}
