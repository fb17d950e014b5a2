//! 类案/积案 analysis (全样本数据分析): every case grouped by its case type, its handling organ,
//! the kind of its demands and the state it stands in (where cases stall: the longest time in
//! one state), and the 积案 — active cases older than a threshold (default one year) — listed by
//! cause. One pass over the register; each group's cases are read on demand.

use std::collections::HashMap;

use hearing_core::analysis::DemandKind;
use hearing_core::{CaseCategory, CaseStatus, ValidationErrors};
use rusqlite::types::Value as SqlValue;
use serde::{Deserialize, Serialize};

use super::{day_number, median, params_from_iter, status_of, text, Ctx, FastMap, StatsFilter};
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

/// One case as a group lists it, before its number and title are read.
struct Row {
    id: String,
    organ: String,
    status: CaseStatus,
    registered_on: String,
    age: Option<i64>,
    stage: Option<i64>,
    demand: DemandKind,
}

/// A row of the pass, borrowed from SQLite's buffers (nothing allocated for most rows).
struct RawRow<'a> {
    id: &'a [u8],
    category: &'a [u8],
    organ: &'a [u8],
    status: CaseStatus,
    registered_on: &'a [u8],
    age: Option<i64>,
    stage: Option<i64>,
    demand: DemandKind,
}

impl RawRow<'_> {
    fn owned(&self) -> Row {
        Row {
            id: String::from_utf8_lossy(self.id).into_owned(),
            organ: String::from_utf8_lossy(self.organ).into_owned(),
            status: self.status,
            registered_on: String::from_utf8_lossy(self.registered_on).into_owned(),
            age: self.age,
            stage: self.stage,
            demand: self.demand,
        }
    }

    fn key(&self, by: GroupBy) -> &[u8] {
        match by {
            GroupBy::Category => self.category,
            GroupBy::Organ => self.organ,
            GroupBy::Demand => self.demand.as_str().as_bytes(),
            GroupBy::Stage => self.status.as_str().as_bytes(),
        }
    }
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
    fn add(&mut self, r: &RawRow, backlog: bool) {
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

    fn merge(&mut self, other: Acc) {
        self.cases += other.cases;
        self.active += other.active;
        self.backlog += other.backlog;
        self.ages.extend(other.ages);
        self.stages.extend(other.stages);
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

/// What one half of the pass gathers: per way of grouping, the groups by key; the 积案 by
/// cause; the rows of one group when they are asked for; how many cases were read.
#[derive(Default)]
struct Part {
    groups: [FastMap<Vec<u8>, Acc>; 4],
    backlog: HashMap<DemandKind, Vec<Row>>,
    rows: Vec<Row>,
    cases: u32,
}

/// What a pass is for: the groups and the 积案, or the rows of one group.
#[derive(Clone, Copy)]
enum Want<'a> {
    Groups { backlog_days: i64 },
    Rows { by: GroupBy, key: &'a [u8] },
}

impl Part {
    fn merge(&mut self, other: Part) {
        for (mine, theirs) in self.groups.iter_mut().zip(other.groups) {
            for (k, a) in theirs {
                mine.entry(k).or_default().merge(a);
            }
        }
        for (k, rows) in other.backlog {
            self.backlog.entry(k).or_default().extend(rows);
        }
        self.rows.extend(other.rows);
        self.cases += other.cases;
    }
}

/// The pass over the cases with rowid in `rows` and matching the filter `w`.
fn pass(
    conn: &rusqlite::Connection,
    w: &super::Where,
    rows: (i64, i64),
    today: i64,
    want: Want,
) -> Result<Part> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.category, c.handling_organ_id, c.status, c.registered_on,
            {STATUS_SINCE}, c.demands FROM cases c
         WHERE c.rowid BETWEEN ? AND ? AND {}",
        w.sql()
    ))?;
    let mut args: Vec<SqlValue> = vec![SqlValue::Integer(rows.0), SqlValue::Integer(rows.1)];
    args.extend(w.args.iter().cloned());
    let mut q = stmt.query(params_from_iter(args.iter()))?;
    let mut part = Part::default();
    while let Some(r) = q.next()? {
        let registered = text(r, 4)?;
        let since = super::opt_text(r, 5)?;
        let status = status_of(text(r, 3)?);
        let row = RawRow {
            id: text(r, 0)?,
            category: text(r, 1)?,
            organ: text(r, 2)?,
            status,
            registered_on: registered,
            age: day_number(registered).map(|d| (today - d).max(0)),
            stage: since.and_then(day_number).map(|d| (today - d).max(0)),
            demand: DemandKind::of(std::str::from_utf8(text(r, 6)?).unwrap_or_default()),
        };
        part.cases += 1;
        match want {
            Want::Rows { by, key } => {
                let active_only = by == GroupBy::Stage;
                if row.key(by) == key && (!active_only || status.is_active()) {
                    part.rows.push(row.owned());
                }
            }
            Want::Groups { backlog_days } => {
                let is_backlog = status.is_active() && row.age.is_some_and(|a| a >= backlog_days);
                for (i, by) in GroupBy::ALL.into_iter().enumerate() {
                    if by == GroupBy::Stage && !status.is_active() {
                        continue;
                    }
                    let key = row.key(by);
                    let map = &mut part.groups[i];
                    match map.get_mut(key) {
                        Some(a) => a.add(&row, is_backlog),
                        None => map.entry(key.to_vec()).or_default().add(&row, is_backlog),
                    }
                }
                if is_backlog {
                    part.backlog
                        .entry(row.demand)
                        .or_default()
                        .push(row.owned());
                }
            }
        }
    }
    Ok(part)
}

/// The day a case entered its present state, where the register does not say: its closure,
/// service or filing day for those states, else its registration.
const STATUS_SINCE: &str = "COALESCE(c.status_since, CASE c.status WHEN 'closed' THEN c.closed_on
    WHEN 'served' THEN c.served_on WHEN 'filed' THEN c.filed_on END, c.registered_on)";

impl Store {
    /// Both halves of the pass (by rowid), one on each core, merged; with the filter's context.
    fn group_pass(&self, f: &GroupFilter, want: Want) -> Result<(Ctx, Part)> {
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
        let (lo, hi): (Option<i64>, Option<i64>) =
            conn.query_row("SELECT min(rowid), max(rowid) FROM cases", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(-1));
        let mid = lo + (hi - lo) / 2;
        let w2 = w.clone();
        let (mut a, b) = self.in_parallel(
            move |r| pass(r, &w2, (mid + 1, hi), today, want),
            |c| pass(c, &w, (lo, mid), today, want),
        )?;
        a.merge(b);
        Ok((ctx, a))
    }

    /// The 类案 groups and the 积案 by cause.
    pub fn case_groups(&self, f: &GroupFilter) -> Result<CaseAnalysisReport> {
        let backlog_days = i64::from(f.backlog_days.unwrap_or(BACKLOG_DAYS));
        check_backlog_days(f)?;
        let (ctx, part) = self.group_pass(f, Want::Groups { backlog_days })?;
        let mut tables: Vec<GroupTable> = Vec::new();
        for (by, map) in GroupBy::ALL.into_iter().zip(part.groups) {
            let mut groups: Vec<CaseGroup> = map
                .into_iter()
                .map(|(key, a)| {
                    let key = String::from_utf8_lossy(&key).into_owned();
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
                    a.group(key, label)
                })
                .collect();
            if by == GroupBy::Stage {
                // Where cases stall: the longest median time in the state first.
                groups.sort_by(|a, b| {
                    b.median_stage_days
                        .unwrap_or(0.0)
                        .total_cmp(&a.median_stage_days.unwrap_or(0.0))
                        .then(b.cases.cmp(&a.cases))
                });
            } else {
                groups.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.label.cmp(&b.label)));
            }
            tables.push(GroupTable {
                by,
                title: by.title().to_owned(),
                groups,
            });
        }
        let mut causes: Vec<BacklogCause> = part
            .backlog
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
            cases: part.cases,
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
        let (ctx, part) = self.group_pass(
            f,
            Want::Rows {
                by,
                key: key.as_bytes(),
            },
        )?;
        let mut rows = part.rows;
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
