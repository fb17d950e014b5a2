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
    /// The issuer's record of a slip: open until the issuer accepts a 反馈 (办结).
    pub enum SlipStatus {
        Open = "open": "办理中",
        Done = "done": "已办结",
    }
}

labelled_enum! {
    /// Where a slip stands, read from the issuer's slip and the receiver's 反馈单.
    pub enum SlipStage {
        /// Issued; the receiving org has not answered (this round).
        AwaitingFeedback = "awaitingFeedback": "待反馈",
        /// The issuer sent the last 反馈 back; a new one is awaited.
        Returned = "returned": "退回重报",
        /// The receiving org answered; the issuer has not accepted or returned it.
        AwaitingReview = "awaitingReview": "待审核",
        /// The issuer accepted the 反馈: the slip is done.
        Accepted = "accepted": "已办结",
    }
}

impl SlipStage {
    /// The stage of a slip with `status`, in its `round` (0 until first returned), when the
    /// receiver has answered that round (`answered`).
    pub fn of(status: SlipStatus, round: u32, answered: bool) -> SlipStage {
        match (status, answered) {
            (SlipStatus::Done, _) => SlipStage::Accepted,
            (SlipStatus::Open, true) => SlipStage::AwaitingReview,
            (SlipStatus::Open, false) if round > 0 => SlipStage::Returned,
            (SlipStatus::Open, false) => SlipStage::AwaitingFeedback,
        }
    }

    /// The receiving org owes an answer.
    pub fn awaits_feedback(self) -> bool {
        matches!(self, SlipStage::AwaitingFeedback | SlipStage::Returned)
    }
}

/// What the issuing form sends (发单): a 交办单 or 督办单 from an org to an org below it, about
/// a case of an org at or below the receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipIssueInput {
    pub kind: SlipKind,
    /// The issuing org; empty: this desk's org. Another org's slip is entered only on a desk
    /// working alone, as 代录.
    #[serde(default)]
    pub from_org_id: Option<String>,
    /// The receiving org (承办单位).
    pub to_org_id: String,
    pub content: String,
    /// 办理期限, YYYY-MM-DD.
    pub deadline: String,
    /// 签发人
    pub issued_by: String,
}

/// A checked [`SlipIssueInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSlip {
    pub kind: SlipKind,
    pub from_org_id: Option<String>,
    pub to_org_id: String,
    pub content: String,
    pub deadline: NaiveDate,
    pub issued_by: String,
}

impl SlipIssueInput {
    /// A 交办单 or 督办单 (a 反馈单 answers a slip, it is not issued), a receiving org, the
    /// content, the signer, and a deadline that is a real date not before `today` (the issue
    /// date; 2026-03-05, 2026/3/5 and 2026年3月5日 are accepted).
    pub fn validate(&self, today: NaiveDate) -> Result<ValidSlip, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.kind == SlipKind::Reply {
            e.push(
                "kind",
                "slip.kind",
                "反馈单由承办单位答复交办单、督办单时填写，不能单独发出；请选择交办单或督办单",
            );
        }
        let to_org_id = text::clean(&self.to_org_id);
        if to_org_id.is_empty() {
            e.push("toOrgId", "required", "请选择承办单位");
        }
        let content = text::required(&mut e, "content", "事项内容", &self.content, text::LONG);
        let issued_by = text::required(&mut e, "issuedBy", "签发人", &self.issued_by, 50);
        let raw = text::clean(&self.deadline);
        let deadline = if raw.is_empty() {
            e.push("deadline", "required", "请填写办理期限");
            None
        } else {
            match validate::date(&raw) {
                None => {
                    e.push(
                        "deadline",
                        "date.format",
                        format!("办理期限“{raw}”不是有效日期，请按 2026-03-05 的格式填写"),
                    );
                    None
                }
                Some(d) if d < today => {
                    e.push(
                        "deadline",
                        "date.past",
                        format!(
                            "办理期限 {} 早于发单日期 {}",
                            d.format("%Y-%m-%d"),
                            today.format("%Y-%m-%d")
                        ),
                    );
                    None
                }
                d => d,
            }
        };
        let from_org_id = self
            .from_org_id
            .as_deref()
            .map(text::clean)
            .filter(|s| !s.is_empty());
        match deadline {
            Some(deadline) if e.is_empty() => Ok(ValidSlip {
                kind: self.kind,
                from_org_id,
                to_org_id,
                content,
                deadline,
                issued_by,
            }),
            _ => Err(e),
        }
    }
}

/// What the 反馈 form sends: the receiving org's answer to a slip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipFeedbackInput {
    /// 办理情况
    pub text: String,
    /// 化解/终结结果 (optional: the matter may still be in hand).
    #[serde(default)]
    pub outcome: String,
    /// 承办人: who answers.
    pub answered_by: String,
    /// 负责人 of the answering org (optional).
    #[serde(default)]
    pub head: String,
}

impl SlipFeedbackInput {
    /// 办理情况 and 承办人 are required; returns the input trimmed.
    pub fn validate(&self) -> Result<SlipFeedbackInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let text = text::required(&mut e, "text", "办理情况", &self.text, text::LONG);
        let outcome = text::optional(
            &mut e,
            "outcome",
            "化解/终结结果",
            &self.outcome,
            text::LONG,
        );
        let answered_by = text::required(&mut e, "answeredBy", "承办人", &self.answered_by, 50);
        let head = text::optional(&mut e, "head", "负责人", &self.head, 50);
        e.into_result(SlipFeedbackInput {
            text,
            outcome,
            answered_by,
            head,
        })
    }
}

/// A slip is overdue from the day after its deadline while its receiver still owes an answer;
/// one answered in time, or done, never is.
pub fn slip_overdue(stage: SlipStage, deadline: NaiveDate, today: NaiveDate) -> bool {
    stage.awaits_feedback() && today > deadline
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

    fn slip() -> SlipIssueInput {
        SlipIssueInput {
            kind: SlipKind::Assign,
            from_org_id: Some(" ".into()),
            to_org_id: "DHQ".into(),
            content: "请于期限内反馈执行情况".into(),
            deadline: "2026年3月20日".into(),
            issued_by: " 李书记 ".into(),
        }
    }

    #[test]
    fn slip_is_checked() {
        let today = d("2026-03-01");
        let v = slip().validate(today).unwrap();
        assert_eq!(v.deadline, d("2026-03-20"));
        assert_eq!(v.from_org_id, None);
        assert_eq!(v.issued_by, "李书记");
        let e = SlipIssueInput {
            deadline: "2026-02-30".into(),
            to_org_id: String::new(),
            ..slip()
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [("toOrgId", "required"), ("deadline", "date.format")]
        );
        let e = SlipIssueInput {
            kind: SlipKind::Reply,
            deadline: " ".into(),
            content: String::new(),
            issued_by: String::new(),
            ..slip()
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                ("kind", "slip.kind"),
                ("content", "required"),
                ("issuedBy", "required"),
                ("deadline", "required")
            ]
        );
        let e = SlipIssueInput {
            deadline: "2026-02-28".into(),
            ..slip()
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(fields(&e), [("deadline", "date.past")]);
        assert_eq!(
            e.0[0].message,
            "办理期限 2026-02-28 早于发单日期 2026-03-01"
        );
        // The issue date itself is a valid deadline.
        assert!(SlipIssueInput {
            deadline: "2026-03-01".into(),
            ..slip()
        }
        .validate(today)
        .is_ok());
    }

    #[test]
    fn feedback_needs_text_and_who() {
        let e = SlipFeedbackInput::default().validate().unwrap_err();
        assert_eq!(
            fields(&e),
            [("text", "required"), ("answeredBy", "required")]
        );
    }

    #[test]
    fn stages() {
        use SlipStage::*;
        assert_eq!(SlipStage::of(SlipStatus::Open, 0, false), AwaitingFeedback);
        assert_eq!(SlipStage::of(SlipStatus::Open, 1, false), Returned);
        assert_eq!(SlipStage::of(SlipStatus::Open, 1, true), AwaitingReview);
        assert_eq!(SlipStage::of(SlipStatus::Done, 2, true), Accepted);
    }

    #[test]
    fn overdue_from_the_day_after() {
        let deadline = d("2026-03-20");
        assert!(!slip_overdue(
            SlipStage::AwaitingFeedback,
            deadline,
            d("2026-03-20")
        ));
        assert!(slip_overdue(
            SlipStage::AwaitingFeedback,
            deadline,
            d("2026-03-21")
        ));
        assert!(slip_overdue(SlipStage::Returned, deadline, d("2026-03-21")));
        // Answered in time: the issuer's review is not the receiver's delay.
        assert!(!slip_overdue(
            SlipStage::AwaitingReview,
            deadline,
            d("2026-04-21")
        ));
        assert!(!slip_overdue(
            SlipStage::Accepted,
            deadline,
            d("2026-04-21")
        ));
    }
}
