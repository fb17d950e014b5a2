//! The 四明五清 case analysis (DOMAIN.md §2): four things made clear and five things made clear,
//! each a written finding, with a completeness score.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseAnalysis {
    // 四明
    /// 历史事实
    pub historical_facts: String,
    /// 问题性质
    pub problem_nature: String,
    /// 处理原则
    pub handling_principle: String,
    /// 信访诉求
    pub petition_demands: String,
    // 五清
    /// 责任单位责任人
    pub responsible_parties: String,
    /// 信访人社会关系
    pub social_relations: String,
    /// 问题症结
    pub crux: String,
    /// 现有答复
    pub existing_replies: String,
    /// 错误瑕疵
    pub errors_and_flaws: String,
}

/// One item of the checklist: its key (the field name), its label and whether it is filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AnalysisItem {
    pub key: String,
    pub label: String,
    /// "fourClear" or "fiveClear".
    pub group: String,
    pub done: bool,
}

/// (field, label, group) for the nine items in order.
pub const ITEMS: [(&str, &str, &str); 9] = [
    ("historicalFacts", "历史事实", "fourClear"),
    ("problemNature", "问题性质", "fourClear"),
    ("handlingPrinciple", "处理原则", "fourClear"),
    ("petitionDemands", "信访诉求", "fourClear"),
    ("responsibleParties", "责任单位责任人", "fiveClear"),
    ("socialRelations", "信访人社会关系", "fiveClear"),
    ("crux", "问题症结", "fiveClear"),
    ("existingReplies", "现有答复", "fiveClear"),
    ("errorsAndFlaws", "错误瑕疵", "fiveClear"),
];

impl CaseAnalysis {
    fn values(&self) -> [&String; 9] {
        [
            &self.historical_facts,
            &self.problem_nature,
            &self.handling_principle,
            &self.petition_demands,
            &self.responsible_parties,
            &self.social_relations,
            &self.crux,
            &self.existing_replies,
            &self.errors_and_flaws,
        ]
    }

    fn values_mut(&mut self) -> [&mut String; 9] {
        [
            &mut self.historical_facts,
            &mut self.problem_nature,
            &mut self.handling_principle,
            &mut self.petition_demands,
            &mut self.responsible_parties,
            &mut self.social_relations,
            &mut self.crux,
            &mut self.existing_replies,
            &mut self.errors_and_flaws,
        ]
    }

    /// The checklist with each item marked done when its finding is written.
    pub fn items(&self) -> Vec<AnalysisItem> {
        ITEMS
            .iter()
            .zip(self.values())
            .map(|((key, label, group), v)| AnalysisItem {
                key: (*key).to_owned(),
                label: (*label).to_owned(),
                group: (*group).to_owned(),
                done: !v.trim().is_empty(),
            })
            .collect()
    }

    /// Share of the nine items filled, 0–100.
    pub fn completeness(&self) -> u8 {
        let done = self
            .values()
            .iter()
            .filter(|v| !v.trim().is_empty())
            .count();
        // 9 items: round to the nearest percent.
        ((done * 100 + 4) / 9) as u8
    }

    /// Trims every finding and checks its length.
    pub fn validate(&self) -> Result<CaseAnalysis, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mut out = self.clone();
        for ((key, label, _), v) in ITEMS.iter().zip(out.values_mut()) {
            *v = text::optional(&mut e, key, label, v, text::LONG);
        }
        e.into_result(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completeness_counts_written_items() {
        let mut a = CaseAnalysis::default();
        assert_eq!(a.completeness(), 0);
        a.historical_facts = "2019 年判决".into();
        a.crux = "  ".into();
        assert_eq!(a.completeness(), 11);
        a.problem_nature = "x".into();
        a.handling_principle = "x".into();
        a.petition_demands = "x".into();
        a.responsible_parties = "x".into();
        a.social_relations = "x".into();
        a.crux = "x".into();
        a.existing_replies = "x".into();
        a.errors_and_flaws = "无".into();
        assert_eq!(a.completeness(), 100);
        assert!(a.items().iter().all(|i| i.done));
        assert_eq!(
            a.items().iter().filter(|i| i.group == "fourClear").count(),
            4
        );
    }
}
