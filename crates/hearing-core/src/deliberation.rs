//! Deliberation (评议, DOMAIN.md §3): each attending member's opinion, the tally with its majority
//! and the minority kept verbatim, and the check on the organ's decision — advisory opinions, so
//! the organ may depart from the majority, but only with a reason (and then further approval).

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::rules::{labelled_enum, Refusal};
use crate::text;

labelled_enum! {
    /// A member's view of the proposed closure, or the organ's decision on it.
    pub enum Vote {
        Agree = "agree": "同意",
        Disagree = "disagree": "不同意",
        Other = "other": "其他",
    }
}

/// What the opinion form sends for one member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OpinionInput {
    /// On the facts.
    pub facts: String,
    /// On the law.
    pub law: String,
    pub vote: Option<Vote>,
    pub reasons: String,
}

/// A checked [`OpinionInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOpinion {
    pub facts: String,
    pub law: String,
    pub vote: Vote,
    pub reasons: String,
}

impl OpinionInput {
    /// The vote is required, and reasons are required unless the member agrees. The views on
    /// facts and law are optional (a member may put everything in the reasons) but length-checked.
    pub fn validate(&self) -> Result<ValidOpinion, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let facts = text::optional(&mut e, "facts", "对事实的意见", &self.facts, text::LONG);
        let law = text::optional(&mut e, "law", "对法律适用的意见", &self.law, text::LONG);
        let vote = self.vote.unwrap_or_else(|| {
            e.push(
                "vote",
                "required",
                "请选择对拟终结意见的表决：同意、不同意或其他",
            );
            Vote::Agree
        });
        let reasons = match self.vote {
            Some(v @ (Vote::Disagree | Vote::Other)) => text::required(
                &mut e,
                "reasons",
                &format!("“{}”的理由", v.label()),
                &self.reasons,
                text::LONG,
            ),
            _ => text::optional(&mut e, "reasons", "理由", &self.reasons, text::LONG),
        };
        e.into_result(ValidOpinion {
            facts,
            law,
            vote,
            reasons,
        })
    }
}

/// One recorded opinion, as shown and tallied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OpinionView {
    pub panelist_name: String,
    pub vote: Vote,
    pub facts: String,
    pub law: String,
    pub reasons: String,
}

/// The count of the opinions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub agree: u32,
    pub disagree: u32,
    pub other: u32,
    pub total: u32,
    /// The vote of strictly more than half of all opinions; `None` when there is no majority.
    pub majority: Option<Vote>,
    /// Every opinion not in the majority, verbatim and in the given order. Without a majority,
    /// every opinion.
    pub minority: Vec<OpinionView>,
}

/// The vote of strictly more than half of all opinions, given how many agree, disagree and say
/// something else; `None` when there is no majority (or no opinion).
pub fn majority(agree: u32, disagree: u32, other: u32) -> Option<Vote> {
    let total = agree + disagree + other;
    [
        (Vote::Agree, agree),
        (Vote::Disagree, disagree),
        (Vote::Other, other),
    ]
    .into_iter()
    .find(|(_, n)| n * 2 > total)
    .map(|(v, _)| v)
}

/// Counts the opinions, names the majority and keeps the minority verbatim.
pub fn tally(opinions: &[OpinionView]) -> Tally {
    let mut t = Tally::default();
    for o in opinions {
        match o.vote {
            Vote::Agree => t.agree += 1,
            Vote::Disagree => t.disagree += 1,
            Vote::Other => t.other += 1,
        }
    }
    t.total = t.agree + t.disagree + t.other;
    t.majority = majority(t.agree, t.disagree, t.other);
    t.minority = opinions
        .iter()
        .filter(|o| Some(o.vote) != t.majority)
        .cloned()
        .collect();
    t
}

/// The organ's decision on the proposed closure after the hearing, recorded separately from the
/// panel's opinions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OrganDecision {
    pub decision: Vote,
    /// The decision is the majority's.
    pub follows_majority: bool,
    /// Why, required when not following the majority (or when there is none).
    pub reason: String,
}

/// Checks the organ's decision against the tally: there must be opinions, and a reason when the
/// decision departs from the majority or there is no majority.
pub fn check_organ_decision(tally: &Tally, decision: Vote, reason: &str) -> Result<(), Refusal> {
    organ_decision(tally, decision, reason).map(|_| ())
}

/// Like [`check_organ_decision`], returning the decision to record (reason trimmed).
pub fn organ_decision(
    tally: &Tally,
    decision: Vote,
    reason: &str,
) -> Result<OrganDecision, Refusal> {
    let reason = text::clean(reason);
    let mut unmet = Vec::new();
    if tally.total == 0 {
        unmet.push("尚无评议意见，不能记录处理决定".to_owned());
    }
    let follows_majority = tally.majority == Some(decision);
    if !follows_majority && reason.is_empty() {
        match tally.majority {
            Some(m) => unmet.push(format!(
                "处理决定“{}”与多数意见“{}”不一致，须说明理由",
                decision.label(),
                m.label()
            )),
            None => unmet.push("评议未形成多数意见，须说明处理决定的理由".to_owned()),
        }
    }
    let len = reason.chars().count();
    if len > text::LONG {
        unmet.push(format!(
            "处理决定的理由过长：共 {len} 字，最多 {} 字",
            text::LONG
        ));
    }
    Refusal::check(unmet)?;
    Ok(OrganDecision {
        decision,
        follows_majority,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn op(name: &str, vote: Vote) -> OpinionView {
        OpinionView {
            panelist_name: name.into(),
            vote,
            facts: format!("{name}对事实"),
            law: String::new(),
            reasons: format!("{name}的理由"),
        }
    }

    #[test]
    fn vote_keys() {
        for v in Vote::ALL {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
        }
        assert_eq!(Vote::Disagree.label(), "不同意");
    }

    #[test]
    fn opinion_needs_vote_and_reasons_when_not_agreeing() {
        let e = OpinionInput::default().validate().unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "vote");
        let e = OpinionInput {
            vote: Some(Vote::Disagree),
            reasons: " ".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.0[0].field, "reasons");
        assert_eq!(e.0[0].message, "请填写“不同意”的理由");
        let e = OpinionInput {
            vote: Some(Vote::Other),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.0[0].message, "请填写“其他”的理由");
        let ok = OpinionInput {
            vote: Some(Vote::Agree),
            facts: " 事实清楚 ".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.facts, "事实清楚");
        assert_eq!(ok.vote, Vote::Agree);
    }

    #[test]
    fn opinion_lengths_are_checked() {
        let big = "字".repeat(text::LONG + 1);
        let e = OpinionInput {
            facts: big.clone(),
            law: big.clone(),
            vote: Some(Vote::Agree),
            reasons: big,
        }
        .validate()
        .unwrap_err();
        let codes: Vec<_> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(
            codes,
            [
                ("facts", "too_long"),
                ("law", "too_long"),
                ("reasons", "too_long")
            ]
        );
    }

    #[test]
    fn majority_and_minority_verbatim() {
        let ops = [
            op("甲", Vote::Agree),
            op("乙", Vote::Disagree),
            op("丙", Vote::Agree),
            op("丁", Vote::Other),
            op("戊", Vote::Agree),
        ];
        let t = tally(&ops);
        assert_eq!((t.agree, t.disagree, t.other, t.total), (3, 1, 1, 5));
        assert_eq!(t.majority, Some(Vote::Agree));
        assert_eq!(t.minority, [ops[1].clone(), ops[3].clone()]);
    }

    #[test]
    fn half_is_not_a_majority() {
        let ops = [
            op("甲", Vote::Agree),
            op("乙", Vote::Disagree),
            op("丙", Vote::Agree),
            op("丁", Vote::Disagree),
        ];
        let t = tally(&ops);
        assert_eq!(t.majority, None);
        assert_eq!(t.minority.len(), 4);
        let t = tally(&[]);
        assert_eq!(t, Tally::default());
        let t = tally(&[op("甲", Vote::Other)]);
        assert_eq!(t.majority, Some(Vote::Other));
        assert!(t.minority.is_empty());
    }

    #[test]
    fn organ_decision_needs_reason_to_depart() {
        let t = tally(&[
            op("甲", Vote::Agree),
            op("乙", Vote::Agree),
            op("丙", Vote::Disagree),
        ]);
        assert!(check_organ_decision(&t, Vote::Agree, "").is_ok());
        let d = organ_decision(&t, Vote::Agree, "").unwrap();
        assert!(d.follows_majority);
        assert_eq!(
            check_organ_decision(&t, Vote::Disagree, "  ")
                .unwrap_err()
                .unmet,
            ["处理决定“不同意”与多数意见“同意”不一致，须说明理由"]
        );
        let d = organ_decision(&t, Vote::Disagree, " 有新证据 ").unwrap();
        assert!(!d.follows_majority);
        assert_eq!(d.reason, "有新证据");

        let split = tally(&[op("甲", Vote::Agree), op("乙", Vote::Disagree)]);
        assert_eq!(
            check_organ_decision(&split, Vote::Agree, "")
                .unwrap_err()
                .unmet,
            ["评议未形成多数意见，须说明处理决定的理由"]
        );
        assert!(check_organ_decision(&split, Vote::Agree, "理由").is_ok());
    }

    #[test]
    fn organ_decision_lists_all_problems() {
        let none = tally(&[]);
        let r = check_organ_decision(&none, Vote::Agree, "").unwrap_err();
        assert_eq!(
            r.unmet,
            [
                "尚无评议意见，不能记录处理决定",
                "评议未形成多数意见，须说明处理决定的理由"
            ]
        );
        let t = tally(&[op("甲", Vote::Agree)]);
        let r = check_organ_decision(&t, Vote::Agree, &"字".repeat(text::LONG + 1)).unwrap_err();
        assert!(r.unmet[0].starts_with("处理决定的理由过长"));
    }

    proptest! {
        #[test]
        fn tally_is_consistent(votes in prop::collection::vec(prop::sample::select(Vote::ALL.to_vec()), 0..12)) {
            let ops: Vec<_> = votes.iter().enumerate().map(|(i, v)| op(&i.to_string(), *v)).collect();
            let t = tally(&ops);
            prop_assert_eq!(t.total as usize, ops.len());
            prop_assert_eq!(t.agree + t.disagree + t.other, t.total);
            let in_majority = ops.iter().filter(|o| Some(o.vote) == t.majority).count();
            prop_assert_eq!(in_majority + t.minority.len(), ops.len());
            if let Some(m) = t.majority {
                prop_assert!(in_majority * 2 > ops.len());
                prop_assert!(t.minority.iter().all(|o| o.vote != m));
            } else {
                prop_assert_eq!(t.minority.len(), ops.len());
            }
        }
    }
}
