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

crate::rules::labelled_enum! {
    /// What a petitioner asks for, read from the 信访诉求 (for 类案 analysis): the first kind
    /// whose words the demands use, in this order.
    pub enum DemandKind {
        Retrial = "retrial": "再审纠错",
        Compensation = "compensation": "赔偿补偿",
        Enforcement = "enforcement": "执行到位",
        Accountability = "accountability": "追责问责",
        Procedure = "procedure": "程序与办案作风",
        Other = "other": "其他诉求",
    }
}

/// The words that mark each kind of demand.
const DEMAND_WORDS: [(DemandKind, &[&str]); 5] = [
    (
        DemandKind::Retrial,
        &[
            "再审",
            "改判",
            "撤销",
            "纠错",
            "错案",
            "重审",
            "重新审理",
            "平反",
        ],
    ),
    (
        DemandKind::Compensation,
        &["赔偿", "补偿", "损失", "赔付", "退还", "返还"],
    ),
    (
        DemandKind::Enforcement,
        &[
            "执行",
            "兑现",
            "给付",
            "支付",
            "追回",
            "欠款",
            "劳动报酬",
            "工资",
        ],
    ),
    (
        DemandKind::Accountability,
        &["追究", "追责", "处分", "查处", "问责", "处理责任人", "严惩"],
    ),
    (
        DemandKind::Procedure,
        &[
            "立案",
            "受理",
            "拖延",
            "超期",
            "作风",
            "程序违法",
            "违法办案",
            "答复",
        ],
    ),
];

impl DemandKind {
    /// The kind of `demands`: the first whose words it uses; 其他诉求 when none.
    pub fn of(demands: &str) -> DemandKind {
        DEMAND_WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| demands.contains(w)))
            .map(|(k, _)| *k)
            .unwrap_or(DemandKind::Other)
    }
}

#[cfg(test)]
mod demand_tests {
    use super::DemandKind;

    #[test]
    fn demands_are_read_by_their_words_in_order() {
        assert_eq!(
            DemandKind::of("要求撤销原判，依法再审"),
            DemandKind::Retrial
        );
        assert_eq!(
            DemandKind::of("要求赔偿经济损失20万元"),
            DemandKind::Compensation
        );
        assert_eq!(DemandKind::of("申请执行劳动报酬"), DemandKind::Enforcement);
        assert_eq!(
            DemandKind::of("要求追究办案人员责任"),
            DemandKind::Accountability
        );
        assert_eq!(DemandKind::of("公安机关不予立案"), DemandKind::Procedure);
        assert_eq!(DemandKind::of("希望领导关心"), DemandKind::Other);
        // A retrial asked for with compensation is a retrial (the first kind that matches).
        assert_eq!(DemandKind::of("改判并赔偿"), DemandKind::Retrial);
    }
}
