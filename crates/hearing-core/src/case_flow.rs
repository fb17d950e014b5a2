//! The case workflow (DESIGN.md §3, DOMAIN.md §4): 登记 → 评查化解 → 拟终结 → 听证 → 终结审批 →
//! 已终结 → 已送达 → 已备案, the exits 已化解 / 导入法律程序 / 撤回, and 依法重启 after closure.
//!
//! Like the hearing rules, [`case_transition`] decides from a plain snapshot the store fills. The
//! closure guard re-checks the hearing, so no sequence of actions closes a case without a signed
//! hearing transcript, an opinion from every attending member and the organ's decision.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::case::CaseStatus;
use crate::hearing::HearingStatus;
use crate::rules::{labelled_enum, ymd, Refusal};

labelled_enum! {
    /// What a user can do to a case.
    pub enum CaseAction {
        StartReview = "startReview": "开始评查",
        ProposeClosure = "proposeClosure": "拟终结",
        ScheduleHearing = "scheduleHearing": "提请听证",
        SubmitForApproval = "submitForApproval": "提请终结审批",
        Close = "close": "终结",
        ReviseAfterReturn = "reviseAfterReturn": "退回重办",
        RecordService = "recordService": "送达",
        File = "file": "备案",
        Resolve = "resolve": "化解",
        SendToLegalProcedure = "sendToLegalProcedure": "导入法律程序",
        Withdraw = "withdraw": "撤回",
        Reopen = "reopen": "依法重启",
    }
}

/// States from which a case may still leave the closure path (化解, 导入法律程序, 撤回).
const EXIT_SOURCES: [CaseStatus; 5] = [
    CaseStatus::Registered,
    CaseStatus::UnderReview,
    CaseStatus::ProposedClosure,
    CaseStatus::Hearing,
    CaseStatus::Reopened,
];

impl CaseAction {
    /// The states this action may start from.
    pub fn sources(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Self::StartReview => &[Registered, Reopened],
            Self::ProposeClosure => &[UnderReview],
            Self::ScheduleHearing => &[ProposedClosure],
            Self::SubmitForApproval => &[Hearing],
            Self::ReviseAfterReturn | Self::Close => &[ClosureApproval],
            Self::RecordService => &[Closed],
            Self::File => &[Served],
            Self::Resolve | Self::SendToLegalProcedure | Self::Withdraw => &EXIT_SOURCES,
            Self::Reopen => &[Closed, Served, Filed],
        }
    }

    /// The state this action leads to.
    pub fn target(self) -> CaseStatus {
        use CaseStatus::*;
        match self {
            Self::StartReview => UnderReview,
            Self::ProposeClosure => ProposedClosure,
            Self::ScheduleHearing => Hearing,
            Self::SubmitForApproval => ClosureApproval,
            Self::ReviseAfterReturn => Hearing,
            Self::Close => Closed,
            Self::RecordService => Served,
            Self::File => Filed,
            Self::Resolve => Resolved,
            Self::SendToLegalProcedure => LegalProcedure,
            Self::Withdraw => Withdrawn,
            Self::Reopen => Reopened,
        }
    }
}

/// The actions that may start from `status` (their guards may still refuse).
pub fn available_case_actions(status: CaseStatus) -> Vec<CaseAction> {
    CaseAction::ALL
        .into_iter()
        .filter(|a| a.sources().contains(&status))
        .collect()
}

/// What the case guards need to know about one of the case's hearings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HearingSummaryFacts {
    pub status: HearingStatus,
    pub attending_panelists: u32,
    /// 评议意见 recorded.
    pub opinions: u32,
    /// The organ's decision on the panel's opinion is recorded.
    pub organ_decision_recorded: bool,
}

impl HearingSummaryFacts {
    /// A hearing a closure can rest on: transcript signed, an opinion from each attending member
    /// (at least one), and the organ's decision recorded.
    pub fn supports_closure(&self) -> bool {
        self.status == HearingStatus::TranscriptSigned
            && self.attending_panelists > 0
            && self.opinions == self.attending_panelists
            && self.organ_decision_recorded
    }
}

/// 五双 of a 领导包案: how many of the two leaders confirmed (双销账) and signed (双签字).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DualSignFacts {
    /// 0..=2
    pub confirmations: u8,
    /// 0..=2
    pub signatures: u8,
}

/// A snapshot of one case, filled by the store, read by [`case_transition`]. Rust-side only
/// (dates as `NaiveDate`), hence no TypeScript binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFacts {
    pub status: CaseStatus,
    /// 四明五清 completeness, 0–100.
    pub analysis_completeness: u8,
    pub hearings: Vec<HearingSummaryFacts>,
    pub approvals_complete: bool,
    /// Titles of the required approval levels not yet given (承办人, 单位负责人 …).
    pub approvals_missing: Vec<String>,
    /// The return of the current request, when a level decided 不同意: "政法委：<opinion>".
    #[serde(default)]
    pub approval_returned: Option<String>,
    /// Present when the case is under 领导包案.
    pub leader_assignment: Option<DualSignFacts>,
    /// Date of service of the closure decision (送达回证).
    pub served_on: Option<NaiveDate>,
    /// Date of filing with the committee above (备案).
    pub filed_on: Option<NaiveDate>,
    /// A reason is given for the action (化解, 导入法律程序, 撤回, 依法重启).
    pub reason_given: bool,
}

/// Decides whether `action` may be taken on the case described by `facts`; the new state, or
/// every unmet condition.
pub fn case_transition(facts: &CaseFacts, action: CaseAction) -> Result<CaseStatus, Refusal> {
    if !action.sources().contains(&facts.status) {
        return Err(Refusal::one(format!(
            "当前状态“{}”不能执行“{}”",
            facts.status.label(),
            action.label()
        )));
    }
    let mut unmet = Vec::new();
    match action {
        CaseAction::StartReview => {}
        CaseAction::ProposeClosure => {
            if facts.analysis_completeness < 100 {
                unmet.push(format!(
                    "四明五清分析尚未完成（完成度 {}%），完成后才能拟终结",
                    facts.analysis_completeness
                ));
            }
        }
        CaseAction::ScheduleHearing => {
            if !facts
                .hearings
                .iter()
                .any(|h| h.status != HearingStatus::Cancelled)
            {
                unmet.push("尚未安排听证会（已取消的不算）".to_owned());
            }
        }
        CaseAction::SubmitForApproval => hearing_unmet(&facts.hearings, &mut unmet),
        CaseAction::ReviseAfterReturn => {
            if facts.approval_returned.is_none() {
                unmet.push("本次提请没有被退回：退回重办须有一级审批不同意".to_owned());
            }
        }
        CaseAction::Close => {
            hearing_unmet(&facts.hearings, &mut unmet);
            if let Some(r) = &facts.approval_returned {
                unmet.push(format!("审批已退回（{r}）：须退回重办，再重新提请终结审批"));
            }
            if !facts.approvals_complete || !facts.approvals_missing.is_empty() {
                if facts.approvals_missing.is_empty() {
                    unmet.push("终结审批尚未完成".to_owned());
                } else {
                    unmet.push(format!(
                        "终结审批尚未完成：尚缺 {} 审批",
                        facts.approvals_missing.join("、")
                    ));
                }
            }
            if let Some(dual) = facts.leader_assignment {
                if dual.signatures < 2 {
                    unmet.push(format!(
                        "领导包案须双签字：两名包案领导已签 {} 人",
                        dual.signatures
                    ));
                }
                if dual.confirmations < 2 {
                    unmet.push(format!(
                        "领导包案须双销账：两名包案领导已确认 {} 人",
                        dual.confirmations
                    ));
                }
            }
        }
        CaseAction::RecordService => {
            if facts.served_on.is_none() {
                unmet.push("尚未登记终结决定书的送达日期（送达回证）".to_owned());
            }
        }
        CaseAction::File => match (facts.filed_on, facts.served_on) {
            (None, _) => unmet.push("尚未登记备案日期".to_owned()),
            (Some(filed), Some(served)) if filed < served => unmet.push(format!(
                "备案日期 {} 早于送达日期 {}",
                ymd(filed),
                ymd(served)
            )),
            _ => {}
        },
        CaseAction::Resolve => need_reason(facts, "化解须说明化解情况", &mut unmet),
        CaseAction::SendToLegalProcedure => {
            need_reason(facts, "导入法律程序须说明所依据的程序", &mut unmet)
        }
        CaseAction::Withdraw => need_reason(facts, "撤回须说明理由", &mut unmet),
        CaseAction::Reopen => need_reason(
            facts,
            "依法重启须说明理由（新的证据或依法纠错）",
            &mut unmet,
        ),
    }
    Refusal::check(unmet)?;
    Ok(action.target())
}

fn need_reason(facts: &CaseFacts, message: &str, unmet: &mut Vec<String>) {
    if !facts.reason_given {
        unmet.push(message.to_owned());
    }
}

/// Why none of the hearings supports a closure: judged on the last hearing whose transcript is
/// signed, or "none signed" when there is none.
fn hearing_unmet(hearings: &[HearingSummaryFacts], unmet: &mut Vec<String>) {
    if hearings.iter().any(HearingSummaryFacts::supports_closure) {
        return;
    }
    let Some(h) = hearings
        .iter()
        .rev()
        .find(|h| h.status == HearingStatus::TranscriptSigned)
    else {
        unmet.push("听证会尚未结束并完成笔录签字".to_owned());
        return;
    };
    if h.attending_panelists == 0 {
        unmet.push("听证会没有出席的听证员".to_owned());
    } else if h.opinions != h.attending_panelists {
        unmet.push(format!(
            "评议意见 {} 份，与出席听证员 {} 人不符",
            h.opinions, h.attending_panelists
        ));
    }
    if !h.organ_decision_recorded {
        unmet.push("承办单位尚未记录对评议意见的处理决定".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use CaseAction as A;
    use CaseStatus as S;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn good_hearing() -> HearingSummaryFacts {
        HearingSummaryFacts {
            status: HearingStatus::TranscriptSigned,
            attending_panelists: 3,
            opinions: 3,
            organ_decision_recorded: true,
        }
    }

    /// Facts that meet every guard.
    fn ready(status: CaseStatus) -> CaseFacts {
        CaseFacts {
            status,
            analysis_completeness: 100,
            hearings: vec![good_hearing()],
            approvals_complete: true,
            approvals_missing: vec![],
            approval_returned: None,
            leader_assignment: Some(DualSignFacts {
                confirmations: 2,
                signatures: 2,
            }),
            served_on: Some(d("2026-04-01")),
            filed_on: Some(d("2026-04-05")),
            reason_given: true,
        }
    }

    fn unmet(f: &CaseFacts, a: CaseAction) -> Vec<String> {
        case_transition(f, a).err().unwrap_or_default().unmet
    }

    #[test]
    fn labels_and_keys() {
        for a in CaseAction::ALL {
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
            assert_eq!(CaseAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(CaseAction::Reopen.label(), "依法重启");
    }

    #[test]
    fn main_path_to_filed() {
        let mut f = ready(S::Registered);
        for (a, to) in [
            (A::StartReview, S::UnderReview),
            (A::ProposeClosure, S::ProposedClosure),
            (A::ScheduleHearing, S::Hearing),
            (A::SubmitForApproval, S::ClosureApproval),
            (A::Close, S::Closed),
            (A::RecordService, S::Served),
            (A::File, S::Filed),
        ] {
            f.status = case_transition(&f, a).unwrap();
            assert_eq!(f.status, to, "{a:?}");
        }
        assert_eq!(available_case_actions(S::Filed), [A::Reopen]);
    }

    #[test]
    fn a_returned_request_goes_back_to_the_hearing_and_cannot_close() {
        let mut f = ready(S::ClosureApproval);
        assert_eq!(
            unmet(&f, A::ReviseAfterReturn),
            ["本次提请没有被退回：退回重办须有一级审批不同意"]
        );
        f.approval_returned = Some("政法委：证据不足".into());
        f.approvals_missing = vec!["政法委".into()];
        let why = unmet(&f, A::Close);
        assert!(
            why.iter().any(|u| u.contains("已退回（政法委：证据不足）")),
            "{why:?}"
        );
        assert_eq!(case_transition(&f, A::ReviseAfterReturn), Ok(S::Hearing));
        // Back at the hearing, a new request is made the usual way.
        f.status = S::Hearing;
        assert_eq!(
            case_transition(&f, A::SubmitForApproval),
            Ok(S::ClosureApproval)
        );
    }

    #[test]
    fn wrong_state_is_named() {
        let f = ready(S::Registered);
        assert_eq!(unmet(&f, A::Close), ["当前状态“登记”不能执行“终结”"]);
        for s in [S::Resolved, S::LegalProcedure, S::Withdrawn] {
            assert!(available_case_actions(s).is_empty());
            for a in CaseAction::ALL {
                assert!(case_transition(&ready(s), a).is_err());
            }
        }
    }

    #[test]
    fn available_actions_match_transitions() {
        for s in CaseStatus::ALL {
            let actions = available_case_actions(s);
            for a in CaseAction::ALL {
                let mut f = ready(s);
                if a == CaseAction::ReviseAfterReturn {
                    // Its guard is the opposite of closing: a level returned the request.
                    f.approval_returned = Some("政法委：补充证据".into());
                }
                let r = case_transition(&f, a);
                assert_eq!(r.is_ok(), actions.contains(&a), "{s:?} {a:?}");
                if let Ok(to) = r {
                    assert_eq!(to, a.target());
                }
            }
        }
    }

    #[test]
    fn propose_closure_needs_complete_analysis() {
        let mut f = ready(S::UnderReview);
        f.analysis_completeness = 89;
        assert_eq!(
            unmet(&f, A::ProposeClosure),
            ["四明五清分析尚未完成（完成度 89%），完成后才能拟终结"]
        );
    }

    #[test]
    fn schedule_needs_a_live_hearing() {
        let mut f = ready(S::ProposedClosure);
        f.hearings.clear();
        assert_eq!(
            unmet(&f, A::ScheduleHearing),
            ["尚未安排听证会（已取消的不算）"]
        );
        f.hearings.push(HearingSummaryFacts {
            status: HearingStatus::Cancelled,
            ..good_hearing()
        });
        assert_eq!(unmet(&f, A::ScheduleHearing).len(), 1);
        f.hearings.push(HearingSummaryFacts {
            status: HearingStatus::Preparing,
            attending_panelists: 0,
            opinions: 0,
            organ_decision_recorded: false,
        });
        assert_eq!(case_transition(&f, A::ScheduleHearing), Ok(S::Hearing));
    }

    #[test]
    fn approval_needs_a_complete_signed_hearing() {
        let mut f = ready(S::Hearing);
        f.hearings = vec![HearingSummaryFacts {
            status: HearingStatus::Concluded,
            ..good_hearing()
        }];
        assert_eq!(
            unmet(&f, A::SubmitForApproval),
            ["听证会尚未结束并完成笔录签字"]
        );
        f.hearings.push(HearingSummaryFacts {
            opinions: 2,
            organ_decision_recorded: false,
            ..good_hearing()
        });
        assert_eq!(
            unmet(&f, A::SubmitForApproval),
            [
                "评议意见 2 份，与出席听证员 3 人不符",
                "承办单位尚未记录对评议意见的处理决定"
            ]
        );
        f.hearings[1].attending_panelists = 0;
        f.hearings[1].opinions = 0;
        assert_eq!(unmet(&f, A::SubmitForApproval)[0], "听证会没有出席的听证员");
        // A second, complete hearing is enough.
        f.hearings.push(good_hearing());
        assert_eq!(
            case_transition(&f, A::SubmitForApproval),
            Ok(S::ClosureApproval)
        );
    }

    #[test]
    fn close_lists_everything_missing() {
        let mut f = ready(S::ClosureApproval);
        f.approvals_complete = false;
        f.approvals_missing = vec!["单位负责人".into(), "政法委".into()];
        f.leader_assignment = Some(DualSignFacts {
            confirmations: 1,
            signatures: 0,
        });
        f.hearings[0].organ_decision_recorded = false;
        assert_eq!(
            unmet(&f, A::Close),
            [
                "承办单位尚未记录对评议意见的处理决定",
                "终结审批尚未完成：尚缺 单位负责人、政法委 审批",
                "领导包案须双签字：两名包案领导已签 0 人",
                "领导包案须双销账：两名包案领导已确认 1 人",
            ]
        );
    }

    #[test]
    fn close_without_leader_assignment_needs_only_approvals() {
        let mut f = ready(S::ClosureApproval);
        f.leader_assignment = None;
        assert_eq!(case_transition(&f, A::Close), Ok(S::Closed));
        f.approvals_complete = false;
        assert_eq!(unmet(&f, A::Close), ["终结审批尚未完成"]);
        // Inconsistent facts are read the safe way.
        f.approvals_complete = true;
        f.approvals_missing = vec!["政法委".into()];
        assert_eq!(unmet(&f, A::Close), ["终结审批尚未完成：尚缺 政法委 审批"]);
    }

    #[test]
    fn service_and_filing_need_dates() {
        let mut f = ready(S::Closed);
        f.served_on = None;
        assert_eq!(
            unmet(&f, A::RecordService),
            ["尚未登记终结决定书的送达日期（送达回证）"]
        );
        let mut f = ready(S::Served);
        f.filed_on = None;
        assert_eq!(unmet(&f, A::File), ["尚未登记备案日期"]);
        f.filed_on = Some(d("2026-03-01"));
        assert_eq!(
            unmet(&f, A::File),
            ["备案日期 2026-03-01 早于送达日期 2026-04-01"]
        );
    }

    #[test]
    fn exits_need_a_reason() {
        for s in EXIT_SOURCES {
            for (a, to) in [
                (A::Resolve, S::Resolved),
                (A::SendToLegalProcedure, S::LegalProcedure),
                (A::Withdraw, S::Withdrawn),
            ] {
                let mut f = ready(s);
                assert_eq!(case_transition(&f, a), Ok(to));
                f.reason_given = false;
                assert_eq!(unmet(&f, a).len(), 1, "{s:?} {a:?}");
            }
        }
        let f = ready(S::ClosureApproval);
        assert!(unmet(&f, A::Resolve)[0].starts_with("当前状态"));
    }

    #[test]
    fn reopen_after_closure_and_review_again() {
        for s in [S::Closed, S::Served, S::Filed] {
            let mut f = ready(s);
            f.reason_given = false;
            assert_eq!(
                unmet(&f, A::Reopen),
                ["依法重启须说明理由（新的证据或依法纠错）"]
            );
            f.reason_given = true;
            assert_eq!(case_transition(&f, A::Reopen), Ok(S::Reopened));
        }
        let f = ready(S::Reopened);
        assert_eq!(case_transition(&f, A::StartReview), Ok(S::UnderReview));
        assert_eq!(
            available_case_actions(S::Reopened),
            [
                A::StartReview,
                A::Resolve,
                A::SendToLegalProcedure,
                A::Withdraw
            ]
        );
    }

    fn hearing_strategy() -> impl Strategy<Value = HearingSummaryFacts> {
        (
            prop::sample::select(HearingStatus::ALL.to_vec()),
            any::<bool>(),
            0u32..4,
            0u32..4,
            any::<bool>(),
        )
            .prop_map(|(status, prefer_signed, attending, opinions, decision)| {
                HearingSummaryFacts {
                    status: if prefer_signed {
                        HearingStatus::TranscriptSigned
                    } else {
                        status
                    },
                    attending_panelists: attending,
                    opinions,
                    organ_decision_recorded: decision,
                }
            })
    }

    fn facts_strategy() -> impl Strategy<Value = CaseFacts> {
        (
            prop_oneof![Just(100u8), 0u8..=100],
            prop::collection::vec(hearing_strategy(), 0..3),
            any::<bool>(),
            prop::collection::vec(prop::sample::select(vec!["承办人", "政法委"]), 0..2),
            prop::option::of((0u8..=2, 0u8..=2)),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(completeness, hearings, approvals_complete, missing, dual, dates, reason)| {
                    CaseFacts {
                        status: CaseStatus::Registered,
                        analysis_completeness: completeness,
                        hearings,
                        approvals_complete,
                        approvals_missing: missing.into_iter().map(str::to_owned).collect(),
                        approval_returned: None,
                        leader_assignment: dual.map(|(confirmations, signatures)| DualSignFacts {
                            confirmations,
                            signatures,
                        }),
                        served_on: dates.then(|| NaiveDate::from_ymd_opt(2026, 4, 1)).flatten(),
                        filed_on: dates.then(|| NaiveDate::from_ymd_opt(2026, 4, 2)).flatten(),
                        reason_given: reason,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever happens along the way, a case only becomes 已终结 on facts with a signed
        /// hearing (an opinion per attending member, at least one), the organ's decision and
        /// every approval; and each step goes only where its action leads.
        #[test]
        fn closed_only_with_hearing_and_approvals(
            steps in prop::collection::vec(
                (any::<bool>(), any::<prop::sample::Index>(), facts_strategy()),
                1..40,
            )
        ) {
            let mut status = CaseStatus::Registered;
            for (pick_available, idx, mut facts) in steps {
                facts.status = status;
                // Mostly choose an action the state offers, so long paths are explored.
                let offered = available_case_actions(status);
                let action = if pick_available && !offered.is_empty() {
                    *idx.get(&offered)
                } else {
                    *idx.get(&CaseAction::ALL)
                };
                match case_transition(&facts, action) {
                    Ok(next) => {
                        prop_assert!(action.sources().contains(&status));
                        prop_assert_eq!(next, action.target());
                        if next == CaseStatus::Closed {
                            let heard = facts.hearings.iter().any(|h| {
                                h.status == HearingStatus::TranscriptSigned
                                    && h.attending_panelists > 0
                                    && h.opinions == h.attending_panelists
                                    && h.organ_decision_recorded
                            });
                            prop_assert!(heard);
                            prop_assert!(facts.approvals_complete);
                            prop_assert!(facts.approvals_missing.is_empty());
                            if let Some(dual) = facts.leader_assignment {
                                let dual_done = dual.signatures >= 2 && dual.confirmations >= 2;
                                prop_assert!(dual_done);
                            }
                        }
                        status = next;
                    }
                    Err(r) => prop_assert!(!r.unmet.is_empty()),
                }
            }
        }
    }

    /// The property above would be empty if random paths never reached 已终结; check they do.
    #[test]
    fn random_paths_do_reach_closed() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = facts_strategy();
        let mut closed = 0;
        for _ in 0..200 {
            let mut status = CaseStatus::Registered;
            for _ in 0..30 {
                let mut facts = strategy.new_tree(&mut runner).unwrap().current();
                facts.status = status;
                let offered = available_case_actions(status);
                let Some(action) = offered.first().copied() else {
                    break;
                };
                if let Ok(next) = case_transition(&facts, action) {
                    status = next;
                }
                if status == CaseStatus::Closed {
                    closed += 1;
                    break;
                }
            }
        }
        assert!(
            closed > 10,
            "only {closed} of 200 random paths reached 已终结"
        );
    }
}
