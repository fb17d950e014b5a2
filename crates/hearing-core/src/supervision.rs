//! Supervision around a case (DOMAIN.md §2): 领导包案 with its 五双 pairing, the 三单 slips
//! (交办单, 督办单, 反馈单) with deadlines, 逢访必查 outcomes, and the locality's follow-up after
//! closure. Only the checks live here; the closure guard on 双签字/双销账 is in `case_flow`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::rules::labelled_enum;
use crate::text;
use crate::validate;

/// What the 领导包案 form sends: two leaders, one from each side (双包案), and the two lists
/// (双清单).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LeaderAssignmentInput {
    /// The leader on the political-legal organ's side.
    pub leader_a: String,
    pub leader_a_title: String,
    /// The leader on the locality's side (属地).
    pub leader_b: String,
    pub leader_b_title: String,
    /// 问题清单
    pub problem_list: String,
    /// 责任清单
    pub responsibility_list: String,
}

impl LeaderAssignmentInput {
    /// Both leaders and both lists are required, and the two leaders must be different people.
    /// Returns the input trimmed.
    pub fn validate(&self) -> Result<LeaderAssignmentInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let leader_a = text::required(&mut e, "leaderA", "政法机关包案领导", &self.leader_a, 50);
        let leader_a_title = text::optional(
            &mut e,
            "leaderATitle",
            "政法机关包案领导职务",
            &self.leader_a_title,
            text::SHORT,
        );
        let leader_b = text::required(&mut e, "leaderB", "属地包案领导", &self.leader_b, 50);
        let leader_b_title = text::optional(
            &mut e,
            "leaderBTitle",
            "属地包案领导职务",
            &self.leader_b_title,
            text::SHORT,
        );
        if !leader_a.is_empty() && leader_a == leader_b {
            e.push("leaderB", "dual.same_leader", "双包案须由两名领导分别包案");
        }
        let problem_list = text::required(
            &mut e,
            "problemList",
            "问题清单",
            &self.problem_list,
            text::LONG,
        );
        let responsibility_list = text::required(
            &mut e,
            "responsibilityList",
            "责任清单",
            &self.responsibility_list,
            text::LONG,
        );
        e.into_result(LeaderAssignmentInput {
            leader_a,
            leader_a_title,
            leader_b,
            leader_b_title,
            problem_list,
            responsibility_list,
        })
    }
}

labelled_enum! {
    /// 三单
    pub enum SlipKind {
        Assign = "assign": "交办单",
        Supervise = "supervise": "督办单",
        Reply = "reply": "反馈单",
    }
}

labelled_enum! {
    pub enum SlipStatus {
        Open = "open": "办理中",
        Done = "done": "已办结",
    }
}

/// What the slip form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipInput {
    pub kind: SlipKind,
    pub from_unit: String,
    pub to_unit: String,
    pub content: String,
    /// YYYY-MM-DD
    pub deadline: String,
}

/// A checked [`SlipInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSlip {
    pub kind: SlipKind,
    pub from_unit: String,
    pub to_unit: String,
    pub content: String,
    pub deadline: NaiveDate,
}

impl SlipInput {
    /// Units and content are required; the deadline must be a real date (2026-03-05, 2026/3/5 and
    /// 2026年3月5日 are accepted).
    pub fn validate(&self) -> Result<ValidSlip, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let from_unit = text::required(
            &mut e,
            "fromUnit",
            "发单单位",
            &self.from_unit,
            text::MEDIUM,
        );
        let to_unit = text::required(&mut e, "toUnit", "承办单位", &self.to_unit, text::MEDIUM);
        let content = text::required(&mut e, "content", "事项内容", &self.content, text::LONG);
        let raw = text::clean(&self.deadline);
        let deadline = if raw.is_empty() {
            e.push("deadline", "required", "请填写办理期限");
            None
        } else {
            let d = validate::date(&raw);
            if d.is_none() {
                e.push(
                    "deadline",
                    "date.format",
                    format!("办理期限“{raw}”不是有效日期，请按 2026-03-05 的格式填写"),
                );
            }
            d
        };
        match deadline {
            Some(deadline) if e.is_empty() => Ok(ValidSlip {
                kind: self.kind,
                from_unit,
                to_unit,
                content,
                deadline,
            }),
            _ => Err(e),
        }
    }
}

/// An open slip is overdue from the day after its deadline; a finished one never is.
pub fn slip_overdue(status: SlipStatus, deadline: NaiveDate, today: NaiveDate) -> bool {
    status == SlipStatus::Open && today > deadline
}

labelled_enum! {
    /// 三清: the outcome of looking back at the original handling after a visit (逢访必查).
    pub enum VisitOutcome {
        NoProblem = "noProblem": "无问题",
        FlawCorrected = "flawCorrected": "瑕疵已纠正",
        ErrorCorrected = "errorCorrected": "错误已纠正",
        LeadReferred = "leadReferred": "线索已移交",
    }
}

labelled_enum! {
    /// The locality's work after closure (稳控、疏导、帮扶).
    pub enum FollowupKind {
        Handover = "handover": "属地交接",
        Visit = "visit": "回访",
        Aid = "aid": "帮扶救助",
        Counselling = "counselling": "心理疏导",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn fields(e: &ValidationErrors) -> Vec<(&str, &str)> {
        e.0.iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect()
    }

    fn assignment() -> LeaderAssignmentInput {
        LeaderAssignmentInput {
            leader_a: " 王政法 ".into(),
            leader_a_title: "区委政法委书记".into(),
            leader_b: "刘镇长".into(),
            leader_b_title: "镇长".into(),
            problem_list: "1. 执行款未到位".into(),
            responsibility_list: "区法院：执行；镇政府：帮扶".into(),
        }
    }

    #[test]
    fn enums() {
        for k in SlipKind::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(SlipKind::Supervise.label(), "督办单");
        assert_eq!(
            VisitOutcome::parse("leadReferred"),
            Some(VisitOutcome::LeadReferred)
        );
        assert_eq!(VisitOutcome::ALL.len(), 4);
        assert_eq!(FollowupKind::Counselling.label(), "心理疏导");
        assert_eq!(SlipStatus::Done.label(), "已办结");
    }

    #[test]
    fn assignment_is_trimmed() {
        let v = assignment().validate().unwrap();
        assert_eq!(v.leader_a, "王政法");
    }

    #[test]
    fn assignment_needs_two_different_leaders_and_both_lists() {
        let e = LeaderAssignmentInput::default().validate().unwrap_err();
        assert_eq!(
            fields(&e),
            [
                ("leaderA", "required"),
                ("leaderB", "required"),
                ("problemList", "required"),
                ("responsibilityList", "required"),
            ]
        );
        let mut same = assignment();
        same.leader_b = "王政法".into();
        let e = same.validate().unwrap_err();
        assert_eq!(fields(&e), [("leaderB", "dual.same_leader")]);
        assert_eq!(e.0[0].message, "双包案须由两名领导分别包案");
    }

    fn slip() -> SlipInput {
        SlipInput {
            kind: SlipKind::Assign,
            from_unit: "区委政法委".into(),
            to_unit: "东河法院".into(),
            content: "请于期限内反馈执行情况".into(),
            deadline: "2026年3月20日".into(),
        }
    }

    #[test]
    fn slip_is_checked() {
        let v = slip().validate().unwrap();
        assert_eq!(v.deadline, d("2026-03-20"));
        let e = SlipInput {
            deadline: "2026-02-30".into(),
            from_unit: String::new(),
            ..slip()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [("fromUnit", "required"), ("deadline", "date.format")]
        );
        let e = SlipInput {
            deadline: " ".into(),
            to_unit: String::new(),
            content: String::new(),
            ..slip()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                ("toUnit", "required"),
                ("content", "required"),
                ("deadline", "required")
            ]
        );
    }

    #[test]
    fn overdue_from_the_day_after() {
        let deadline = d("2026-03-20");
        assert!(!slip_overdue(SlipStatus::Open, deadline, d("2026-03-20")));
        assert!(slip_overdue(SlipStatus::Open, deadline, d("2026-03-21")));
        assert!(!slip_overdue(SlipStatus::Done, deadline, d("2026-04-21")));
    }
}
