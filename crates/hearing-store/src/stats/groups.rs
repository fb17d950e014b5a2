//! 类案/积案 analysis (全样本数据分析): every case grouped by its case type, its handling organ,
//! the kind of its demands and the state it stands in (where cases stall: the longest time in
//! one state), and the 积案 — active cases older than a threshold (default one year) — listed by
//! cause. One pass over the register; each group's cases are read on demand.

use std::collections::HashMap;

use hearing_core::analysis::DemandKind;
use hearing_core::{CaseCategory, CaseStatus, ValidationErrors};
use rusqlite::types::Value as SqlValue;
use serde::{Deserialize, Serialize};

use super::{day_number, median, params_from_iter, status_of, text, Ctx, StatsFilter};
use crate::{Result, Store};

/// The 积案 threshold when none is given: older than a year.
pub const BACKLOG_DAYS: u32 = 365;
/// At most this many cases when a group's cases are listed, and in each cause of the 积案.
pub const GROUP_CASES_MAX: usize = 500;
pub const BACKLOG_CASES_PER_CAUSE: usize = 50;

/// How cases are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum GroupBy {
    /// 原案件类型
    Category,
    /// 承办单位
    Organ,
    /// 诉求类型
    Demand,
    /// 所处阶段 (active cases: the state they stand in, longest first)
    Stage,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [Self::Category, Self::Organ, Self::Demand, Self::Stage];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Organ => "organ",
            Self::Demand => "demand",
            Self::Stage => "stage",
        }
    }

    pub fn parse(s: &str) -> Option<GroupBy> {
        Self::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Category => "按原案件类型",
            Self::Organ => "按承办单位",
            Self::Demand => "按诉求类型",
            Self::Stage => "按所处阶段（在办案件）",
        }
    }
}

/// The filter of the analysis: an org subtree, the 积案 threshold and the day it is judged on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GroupFilter {
    #[serde(default)]
    pub org_id: Option<String>,
    /// 积案: active and registered more than this many days ago (default 365).
    #[serde(default)]
    pub backlog_days: Option<u32>,
    /// YYYY-MM-DD; `None`: today.
    #[serde(default)]
    pub today: Option<String>,
}

/// One group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseGroup {
    pub key: String,
    pub label: String,
    pub cases: u32,
    /// Still active.
    pub active: u32,
    /// 积案 among them.
    pub backlog: u32,
    /// Median days since registration of the active ones.
    pub median_age_days: Option<f64>,
    /// Median and longest days the active ones have stood in their present state.
    pub median_stage_days: Option<f64>,
    pub max_stage_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GroupTable {
    pub by: GroupBy,
    pub title: String,
    pub groups: Vec<CaseGroup>,
}

/// A case as a group lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GroupCase {
    pub id: String,
    pub number: String,
    pub title: String,
    pub organ_name: String,
    pub registered_on: String,
    pub status: CaseStatus,
    /// Days since registration, and in the present state.
    pub age_days: u32,
    pub stage_days: u32,
    pub demand: DemandKind,
}

/// The 积案 of one cause (the kind of demand), the oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BacklogCause {
    pub cause: DemandKind,
    pub label: String,
    pub total: u32,
    /// The oldest, at most [`BACKLOG_CASES_PER_CAUSE`].
    pub cases: Vec<GroupCase>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseAnalysisReport {
    pub description: String,
    pub backlog_days: u32,
    pub cases: u32,
    pub tables: Vec<GroupTable>,
    pub backlog_total: u32,
    pub backlog: Vec<BacklogCause>,
}

/// One case as the pass reads it.
struct Row {
    id: String,
    category: String,
    organ: String,
    status: CaseStatus,
    registered_on: String,
    age: Option<i64>,
    stage: Option<i64>,
    demand: DemandKind,
}

#[derive(Default)]
struct Acc {
    cases: u32,
    active: u32,
    backlog: u32,
    ages: Vec<i64>,
    stages: Vec<i64>,
}

impl Acc {
    fn add(&mut self, r: &Row, backlog: bool) {
        self.cases += 1;
        if r.status.is_active() {
            self.active += 1;
            self.ages.extend(r.age);
            self.stages.extend(r.stage);
            if backlog {
                self.backlog += 1;
            }
        }
    }

    fn group(mut self, key: String, label: String) -> CaseGroup {
        let hist = |v: &mut Vec<i64>| -> Vec<(i64, u32)> {
            v.sort_unstable();
            let mut out: Vec<(i64, u32)> = Vec::new();
            for d in v.iter() {
                match out.last_mut() {
                    Some((x, n)) if x == d => *n += 1,
                    _ => out.push((*d, 1)),
                }
            }
            out
        };
        CaseGroup {
            key,
            label,
            cases: self.cases,
            active: self.active,
            backlog: self.backlog,
            median_age_days: median(&hist(&mut self.ages)),
            median_stage_days: median(&hist(&mut self.stages)),
            max_stage_days: self
                .stages
                .iter()
                .max()
                .map(|d| u32::try_from((*d).max(0)).unwrap_or(u32::MAX)),
        }
    }
}

/// The day a case entered its present state, where the register does not say: its closure,
/// service or filing day for those states, else its registration.
const STATUS_SINCE: &str = "COALESCE(c.status_since, CASE c.status WHEN 'closed' THEN c.closed_on
    WHEN 'served' THEN c.served_on WHEN 'filed' THEN c.filed_on END, c.registered_on)";

impl Store {
    fn group_rows(
        &self,
        f: &GroupFilter,
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<(Ctx, i64)> {
        let conn = self.conn();
        let ctx = Ctx::new(
            conn,
            &StatsFilter {
                org_id: f.org_id.clone(),
                today: f.today.clone(),
                scope: super::StatsScope::All,
                ..StatsFilter::default()
            },
            self.today(),
        )?;
        let today = day_number(ctx.today.as_bytes()).unwrap_or(0);
        let w = ctx.org_where();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.id, c.category, c.handling_organ_id, c.status, c.registered_on,
                {STATUS_SINCE}, c.demands FROM cases c WHERE {}",
            w.sql()
        ))?;
        let mut rows = stmt.query(params_from_iter(w.args.iter()))?;
        while let Some(r) = rows.next()? {
            let registered = text(r, 4)?;
            let since = super::opt_text(r, 5)?;
            let demands = std::str::from_utf8(text(r, 6)?).unwrap_or_default();
            each(Row {
                id: String::from_utf8_lossy(text(r, 0)?).into_owned(),
                category: String::from_utf8_lossy(text(r, 1)?).into_owned(),
                organ: String::from_utf8_lossy(text(r, 2)?).into_owned(),
                status: status_of(text(r, 3)?),
                registered_on: String::from_utf8_lossy(registered).into_owned(),
                age: day_number(registered).map(|d| (today - d).max(0)),
                stage: since.and_then(day_number).map(|d| (today - d).max(0)),
                demand: DemandKind::of(demands),
            })?;
        }
        Ok((ctx, today))
    }

    /// The 类案 groups and the 积案 by cause.
    pub fn case_groups(&self, f: &GroupFilter) -> Result<CaseAnalysisReport> {
        let backlog_days = i64::from(f.backlog_days.unwrap_or(BACKLOG_DAYS));
        check_backlog_days(f)?;
        let mut acc: HashMap<(GroupBy, String), Acc> = HashMap::new();
        let mut backlog: HashMap<DemandKind, Vec<Row>> = HashMap::new();
        let mut total = 0u32;
        let (ctx, _) = self.group_rows(f, &mut |r: Row| {
            total += 1;
            let is_backlog = r.status.is_active() && r.age.is_some_and(|a| a > backlog_days);
            for (by, key) in [
                (GroupBy::Category, r.category.clone()),
                (GroupBy::Organ, r.organ.clone()),
                (GroupBy::Demand, r.demand.as_str().to_owned()),
            ] {
                acc.entry((by, key)).or_default().add(&r, is_backlog);
            }
            if r.status.is_active() {
                acc.entry((GroupBy::Stage, r.status.as_str().to_owned()))
                    .or_default()
                    .add(&r, is_backlog);
            }
            if is_backlog {
                backlog.entry(r.demand).or_default().push(r);
            }
            Ok(())
        })?;
        let mut tables: Vec<GroupTable> = GroupBy::ALL
            .into_iter()
            .map(|by| GroupTable {
                by,
                title: by.title().to_owned(),
                groups: Vec::new(),
            })
            .collect();
        for ((by, key), a) in acc {
            let label = match by {
                GroupBy::Category => CaseCategory::parse(&key)
                    .map(|c| c.label().to_owned())
                    .unwrap_or_else(|| "未知类别".to_owned()),
                GroupBy::Organ => ctx.org_name(&key),
                GroupBy::Demand => DemandKind::parse(&key)
                    .map(|d| d.label().to_owned())
                    .unwrap_or_default(),
                GroupBy::Stage => CaseStatus::parse(&key)
                    .map(|s| s.label().to_owned())
                    .unwrap_or_default(),
            };
            if let Some(t) = tables.iter_mut().find(|t| t.by == by) {
                t.groups.push(a.group(key, label));
            }
        }
        for t in &mut tables {
            if t.by == GroupBy::Stage {
                // Where cases stall: the longest median time in the state first.
                t.groups.sort_by(|a, b| {
                    b.median_stage_days
                        .unwrap_or(0.0)
                        .total_cmp(&a.median_stage_days.unwrap_or(0.0))
                        .then(b.cases.cmp(&a.cases))
                });
            } else {
                t.groups
                    .sort_by(|a, b| b.cases.cmp(&a.cases).then(a.label.cmp(&b.label)));
            }
        }
        let mut causes: Vec<BacklogCause> = backlog
            .into_iter()
            .map(|(cause, mut rows)| {
                rows.sort_by(|a, b| b.age.cmp(&a.age).then(a.id.cmp(&b.id)));
                let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
                rows.truncate(BACKLOG_CASES_PER_CAUSE);
                BacklogCause {
                    cause,
                    label: cause.label().to_owned(),
                    total,
                    cases: rows.iter().map(|r| group_case(r, &ctx)).collect(),
                }
            })
            .collect();
        causes.sort_by(|a, b| b.total.cmp(&a.total).then(a.label.cmp(&b.label)));
        let backlog_total = causes.iter().map(|c| c.total).sum();
        let mut report = CaseAnalysisReport {
            description: format!(
                "单位：{}；积案：在办且登记满 {backlog_days} 日；基准日：{}",
                ctx.describe_org(),
                ctx.today
            ),
            backlog_days: backlog_days as u32,
            cases: total,
            tables,
            backlog_total,
            backlog: causes,
        };
        self.name_cases(report.backlog.iter_mut().flat_map(|c| c.cases.iter_mut()))?;
        Ok(report)
    }

    /// The cases of one group (at most [`GROUP_CASES_MAX`], the oldest first), to open them.
    pub fn group_cases(&self, f: &GroupFilter, by: GroupBy, key: &str) -> Result<Vec<GroupCase>> {
        check_backlog_days(f)?;
        let mut rows: Vec<Row> = Vec::new();
        let (ctx, _) = self.group_rows(f, &mut |r: Row| {
            let hit = match by {
                GroupBy::Category => r.category == key,
                GroupBy::Organ => r.organ == key,
                GroupBy::Demand => r.demand.as_str() == key,
                GroupBy::Stage => r.status.is_active() && r.status.as_str() == key,
            };
            if hit {
                rows.push(r);
            }
            Ok(())
        })?;
        rows.sort_by(|a, b| b.age.cmp(&a.age).then(a.id.cmp(&b.id)));
        rows.truncate(GROUP_CASES_MAX);
        let mut out: Vec<GroupCase> = rows.iter().map(|r| group_case(r, &ctx)).collect();
        self.name_cases(out.iter_mut())?;
        Ok(out)
    }

    /// Fills in the number and title of the cases listed.
    fn name_cases<'a>(&self, cases: impl Iterator<Item = &'a mut GroupCase>) -> Result<()> {
        let mut cases: Vec<&mut GroupCase> = cases.collect();
        if cases.is_empty() {
            return Ok(());
        }
        let ids: super::Array =
            std::rc::Rc::new(cases.iter().map(|c| SqlValue::Text(c.id.clone())).collect());
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, number, title FROM cases WHERE id IN rarray(?1)")?;
        let named: HashMap<String, (String, String)> = stmt
            .query_map([ids], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        for c in cases.iter_mut() {
            if let Some((n, t)) = named.get(&c.id) {
                c.number = n.clone();
                c.title = t.clone();
            }
        }
        Ok(())
    }
}

fn group_case(r: &Row, ctx: &Ctx) -> GroupCase {
    GroupCase {
        id: r.id.clone(),
        number: String::new(),
        title: String::new(),
        organ_name: ctx.org_name(&r.organ),
        registered_on: r.registered_on.clone(),
        status: r.status,
        age_days: r
            .age
            .map(|a| u32::try_from(a).unwrap_or(u32::MAX))
            .unwrap_or(0),
        stage_days: r
            .stage
            .map(|a| u32::try_from(a).unwrap_or(u32::MAX))
            .unwrap_or(0),
        demand: r.demand,
    }
}

fn check_backlog_days(f: &GroupFilter) -> Result<()> {
    if let Some(d) = f.backlog_days {
        if !(30..=3650).contains(&d) {
            let mut e = ValidationErrors::default();
            e.push(
                "backlogDays",
                "range",
                format!("积案年限应在 30 至 3650 日之间（现为 {d} 日）"),
            );
            return Err(e.into());
        }
    }
    Ok(())
}
