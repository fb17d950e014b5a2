//! Statistics over all cases (统计): counts by organ, type, state, county and month; hearings and
//! their outcomes; closure rate and time to closure; 三单 on time or overdue; repeat petitioners;
//! panel participation by person kind. Every measure is a [`StatTable`] (a label and numbers per
//! row) so that the charts, the CSV and the XLSX export show the same figures.
//!
//! Each query is set-based (GROUP BY over indexed columns, migration 009): the statistics view
//! runs them all at once over the whole register. Not here: the charts (ui) and early warnings
//! ([`crate::warnings`]).
//!
//! Closed matters leave the active counts (不再统计、交办、通报): [`StatsScope::Active`] counts only
//! cases for which [`CaseStatus::is_active`] holds; [`StatsScope::Closed`] reports the others
//! separately. Statistics are reads: every role may see them (只读 supervisors included); ID
//! numbers appear masked only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use hearing_core::deliberation::Vote;
use hearing_core::hearing::{HearingStatus, InvitationStatus, ParticipantRole};
use hearing_core::supervision::{SlipKind, SlipStatus};
use hearing_core::validate::{self, mask_id_number};
use hearing_core::{CaseCategory, CaseStatus, OrgKind, PersonKind, ValidationErrors};
use rusqlite::types::Value as SqlValue;
use rusqlite::vtab::array::Array;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

use crate::{Result, Store, StoreError};

mod export;
pub mod groups;
pub mod units;
pub use export::export_file_name;

/// Which cases a statistic counts, by their current state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum StatsScope {
    /// 在办: cases that still count ([`CaseStatus::is_active`]; 依法重启 included).
    #[default]
    Active,
    /// 已办结: 已终结、已送达、已备案、已化解、导入法律程序、撤回 — reported separately.
    Closed,
    /// 全部
    All,
}

impl StatsScope {
    pub const ALL: [StatsScope; 3] = [Self::Active, Self::Closed, Self::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Closed => "closed",
            Self::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "在办案件",
            Self::Closed => "已办结案件",
            Self::All => "全部案件",
        }
    }

    pub fn includes(self, status: CaseStatus) -> bool {
        match self {
            Self::Active => status.is_active(),
            Self::Closed => !status.is_active(),
            Self::All => true,
        }
    }

    /// `c.status IN (…)` for this scope (the keys are constants, not user input).
    fn sql(self) -> Option<String> {
        if self == Self::All {
            return None;
        }
        Some(status_in(
            CaseStatus::ALL.into_iter().filter(|s| self.includes(*s)),
        ))
    }
}

/// `c.status IN ('a', 'b')` for constant state keys.
pub(crate) fn status_in(states: impl Iterator<Item = CaseStatus>) -> String {
    let keys: Vec<String> = states.map(|s| format!("'{}'", s.as_str())).collect();
    format!("c.status IN ({})", keys.join(", "))
}

/// What the statistics count. The period bounds a different date per measure (see
/// [`StatTable::basis`]): the registration date for the case counts, the hearing date for
/// hearings and panels, the closure date for time to closure, the deadline for 三单.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatsFilter {
    /// First day of the period (YYYY-MM-DD, inclusive); `None` or empty: no lower bound.
    pub from: Option<String>,
    /// Last day of the period (inclusive); `None` or empty: no upper bound.
    pub to: Option<String>,
    /// Count only this org's whole subtree (a case belongs to it when its owning org or its
    /// handling organ is in it); `None`: every case on this desk.
    pub org_id: Option<String>,
    pub scope: StatsScope,
    /// The day 三单 deadlines are judged on (YYYY-MM-DD); `None`: today in China. Tests fix it.
    pub today: Option<String>,
}

/// The measures, in the order the statistics view shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum StatMeasure {
    ByOrgan,
    ByCategory,
    ByStatus,
    ByCounty,
    ByMonth,
    Hearings,
    HearingOutcomes,
    Closure,
    ClosureTime,
    Slips,
    RepeatPetitioners,
    PanelParticipation,
}

impl StatMeasure {
    pub const ALL: [StatMeasure; 12] = [
        Self::ByOrgan,
        Self::ByCategory,
        Self::ByStatus,
        Self::ByCounty,
        Self::ByMonth,
        Self::Hearings,
        Self::HearingOutcomes,
        Self::Closure,
        Self::ClosureTime,
        Self::Slips,
        Self::RepeatPetitioners,
        Self::PanelParticipation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ByOrgan => "byOrgan",
            Self::ByCategory => "byCategory",
            Self::ByStatus => "byStatus",
            Self::ByCounty => "byCounty",
            Self::ByMonth => "byMonth",
            Self::Hearings => "hearings",
            Self::HearingOutcomes => "hearingOutcomes",
            Self::Closure => "closure",
            Self::ClosureTime => "closureTime",
            Self::Slips => "slips",
            Self::RepeatPetitioners => "repeatPetitioners",
            Self::PanelParticipation => "panelParticipation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The title of the chart, the CSV section and the XLSX sheet (at most 31 characters).
    pub fn title(self) -> &'static str {
        match self {
            Self::ByOrgan => "按承办单位",
            Self::ByCategory => "按案件类别",
            Self::ByStatus => "按办理状态",
            Self::ByCounty => "按旗县区",
            Self::ByMonth => "按登记月份",
            Self::Hearings => "听证会场次",
            Self::HearingOutcomes => "听证评议结果",
            Self::Closure => "办结情况",
            Self::ClosureTime => "登记至终结用时",
            Self::Slips => "三单办理",
            Self::RepeatPetitioners => "重复信访人",
            Self::PanelParticipation => "听证员参与",
        }
    }
}

/// One row of a measure: a label and its numbers, in the order of [`StatTable::columns`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatRow {
    /// Stable key: a state, category or person kind key, an org id, a month `2026-03` …
    pub key: String,
    pub label: String,
    pub values: Vec<f64>,
    /// More about the row (the case numbers of a repeat petitioner); may be empty.
    pub detail: String,
}

/// One measure as a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatTable {
    pub measure: StatMeasure,
    pub title: String,
    /// What is counted and which date the period bounds, in words.
    pub basis: String,
    /// Header of the label column (承办单位, 状态 …).
    pub label_header: String,
    /// Headers of the number columns.
    pub columns: Vec<String>,
    pub rows: Vec<StatRow>,
    /// A remark printed under the table (the median, a cut-off list); may be empty.
    pub note: String,
}

impl StatTable {
    fn new(measure: StatMeasure, basis: &str, label_header: &str, columns: &[&str]) -> StatTable {
        StatTable {
            measure,
            title: measure.title().to_owned(),
            basis: basis.to_owned(),
            label_header: label_header.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
            note: String::new(),
        }
    }

    fn row(&mut self, key: impl Into<String>, label: impl Into<String>, values: Vec<f64>) {
        self.rows.push(StatRow {
            key: key.into(),
            label: label.into(),
            values,
            detail: String::new(),
        });
    }

    /// The row with this key, if any.
    pub fn find(&self, key: &str) -> Option<&StatRow> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The first number of the row with this key; 0 when there is no such row.
    pub fn value(&self, key: &str) -> f64 {
        self.find(key)
            .and_then(|r| r.values.first().copied())
            .unwrap_or(0.0)
    }
}

/// The headline figures above the charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatsSummary {
    /// Cases in the scope, registered in the period.
    pub cases: u32,
    /// Of the cases registered in the period (whatever the scope): still active.
    pub active: u32,
    /// … and no longer active.
    pub closed: u32,
    /// 办结率: `closed` over all registered in the period, in percent (one decimal).
    pub closure_rate: Option<f64>,
    /// Hearings held (已结束 or 笔录已签) in the period.
    pub hearings_held: u32,
    /// Median days from registration to closure of cases closed in the period.
    pub median_days_to_closure: Option<f64>,
    /// 三单 finished late or still open past the deadline.
    pub slips_overdue: u32,
    /// Petitioners with two or more cases.
    pub repeat_petitioners: u32,
}

/// Every measure for one filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    /// The filter in words (期间、单位、范围), for exports and the screen.
    pub description: String,
    pub summary: StatsSummary,
    /// One per [`StatMeasure`], in [`StatMeasure::ALL`] order.
    pub tables: Vec<StatTable>,
}

impl Statistics {
    pub fn table(&self, m: StatMeasure) -> Option<&StatTable> {
        self.tables.iter().find(|t| t.measure == m)
    }
}

/// Whole numbers without decimals, others as they are (rates are rounded when computed).
pub(crate) fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

// ---------------------------------------------------------------------------------------------
// The filter, checked and turned into SQL.

/// A WHERE clause over `cases c` (and the tables joined to it) with its parameters.
#[derive(Default, Clone)]
struct Where {
    parts: Vec<String>,
    args: Vec<SqlValue>,
}

impl Where {
    fn and(mut self, sql: impl Into<String>, args: impl IntoIterator<Item = SqlValue>) -> Where {
        self.parts.push(sql.into());
        self.args.extend(args);
        self
    }

    fn sql(&self) -> String {
        if self.parts.is_empty() {
            "1 = 1".to_owned()
        } else {
            self.parts.join(" AND ")
        }
    }
}

struct OrgNode {
    short_name: String,
    parent: Option<String>,
    kind: OrgKind,
}

/// The checked filter and what the queries share.
struct Ctx {
    from: Option<String>,
    to: Option<String>,
    scope: StatsScope,
    today: String,
    /// The orgs counted (the filter org's subtree); `None`: all.
    orgs: Option<Vec<String>>,
    nodes: HashMap<String, OrgNode>,
    /// Org ids in tree order (parents first, siblings by code).
    order: Vec<String>,
}

impl Ctx {
    /// `today`: the base date when the filter gives none (what is overdue is judged on it).
    fn new(conn: &Connection, f: &StatsFilter, today: NaiveDate) -> Result<Ctx> {
        let mut e = ValidationErrors::default();
        let mut day = |field: &str, label: &str, v: &Option<String>| -> Option<String> {
            let raw = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            match validate::date(raw) {
                Some(d) => Some(d.format("%Y-%m-%d").to_string()),
                None => {
                    e.push(
                        field,
                        "date.format",
                        format!("{label}“{raw}”不是有效日期，请按 2026-03-05 的格式填写"),
                    );
                    None
                }
            }
        };
        let from = day("from", "起始日期", &f.from);
        let to = day("to", "截止日期", &f.to);
        let today = day("today", "统计基准日", &f.today)
            .unwrap_or_else(|| today.format("%Y-%m-%d").to_string());
        if let (Some(a), Some(b)) = (&from, &to) {
            if a > b {
                e.push("to", "date.order", format!("截止日期 {b} 早于起始日期 {a}"));
            }
        }
        e.into_result(())?;
        let all = crate::orgs::list(conn)?;
        let order: Vec<String> = all.iter().map(|o| o.id.clone()).collect();
        let nodes: HashMap<String, OrgNode> = all
            .into_iter()
            .map(|o| {
                (
                    o.id,
                    OrgNode {
                        short_name: o.short_name,
                        parent: o.parent_id,
                        kind: o.kind,
                    },
                )
            })
            .collect();
        let orgs = match f.org_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(root) => {
                if !nodes.contains_key(root) {
                    return Err(StoreError::not_found("单位", root));
                }
                let mut sub = vec![root.to_owned()];
                let mut i = 0;
                while i < sub.len() {
                    let parent = sub[i].clone();
                    sub.extend(
                        order
                            .iter()
                            .filter(|id| {
                                nodes.get(*id).and_then(|n| n.parent.as_deref())
                                    == Some(parent.as_str())
                            })
                            .cloned(),
                    );
                    i += 1;
                }
                // The whole tree: no condition needed.
                (sub.len() < nodes.len()).then_some(sub)
            }
        };
        Ok(Ctx {
            from,
            to,
            scope: f.scope,
            today,
            orgs,
            nodes,
            order,
        })
    }

    fn org_name(&self, id: &str) -> String {
        self.nodes
            .get(id)
            .map(|n| n.short_name.clone())
            .unwrap_or_else(|| format!("（未知单位 {id}）"))
    }

    /// The county (旗县区) of an owning org: its ancestor one level below the root when that is
    /// a committee (区委/县委/旗委政法委); otherwise the root itself (市本级: the city's own
    /// organs and cases).
    fn county_of(&self, org: &str) -> (String, String) {
        let mut chain = vec![org.to_owned()];
        let mut seen = HashSet::new();
        while let Some(p) = chain
            .last()
            .and_then(|id| self.nodes.get(id))
            .and_then(|n| n.parent.clone())
        {
            if !seen.insert(p.clone()) {
                break;
            }
            chain.push(p);
        }
        let root = chain.last().cloned().unwrap_or_default();
        let below_root = chain.len().checked_sub(2).map(|i| chain[i].clone());
        match below_root {
            Some(c)
                if self
                    .nodes
                    .get(&c)
                    .is_some_and(|n| n.kind == OrgKind::Committee) =>
            {
                let name = self.org_name(&c);
                (c, name)
            }
            _ => {
                let name = format!("{}（本级）", self.org_name(&root));
                (root, name)
            }
        }
    }

    /// The org filter in words.
    fn describe_org(&self) -> String {
        match &self.orgs {
            None => "全部单位".to_owned(),
            Some(o) => match o.first() {
                Some(root) if o.len() > 1 => format!("{}及下属单位", self.org_name(root)),
                Some(root) => self.org_name(root),
                None => "全部单位".to_owned(),
            },
        }
    }

    fn describe(&self) -> String {
        let period = match (&self.from, &self.to) {
            (None, None) => "不限".to_owned(),
            (Some(a), None) => format!("{a} 起"),
            (None, Some(b)) => format!("至 {b}"),
            (Some(a), Some(b)) => format!("{a} 至 {b}"),
        };
        let org = self.describe_org();
        format!(
            "期间：{period}；单位：{org}；范围：{}；统计基准日：{}",
            self.scope.label(),
            self.today
        )
    }
}

/// Percent with one decimal.
fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0
    }
}

/// A `YYYY-MM-DD` date as SQLite's GLOB sees it (digits where digits belong).
const DATE_GLOB: &str = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*";
const BASIS_REGISTERED: &str = "登记日期在期间内、属所选范围的案件";
const BASIS_HEARING: &str = "听证日期在期间内的听证会（所属案件属所选范围）";

/// Days from registration to closure: (label, first day, last day).
const CLOSURE_BUCKETS: [(&str, i64, i64); 6] = [
    ("30日以内", i64::MIN, 30),
    ("31—60日", 31, 60),
    ("61—90日", 61, 90),
    ("91—180日", 91, 180),
    ("181—365日", 181, 365),
    ("365日以上", 366, i64::MAX),
];

/// The repeat petitioners listed at most (most cases first); the note says when more exist.
pub const REPEAT_ROWS_MAX: usize = 100;

/// States of lawful closure (依法终结 and after): those that carry a closure date.
const CLOSED_STATES: [CaseStatus; 3] = [CaseStatus::Closed, CaseStatus::Served, CaseStatus::Filed];

/// Ids as the parameter of `rarray(?)` (bound as text: bytes would bind as BLOBs and match
/// nothing).
fn id_array<'a>(ids: impl Iterator<Item = &'a Vec<u8>>) -> Array {
    Rc::new(
        ids.filter_map(|id| std::str::from_utf8(id).ok())
            .map(|id| SqlValue::Text(id.to_owned()))
            .collect(),
    )
}

/// FNV-1a: the statistics hash up to a few hundred thousand short keys (ids, state keys) per
/// run; SipHash's resistance to crafted keys buys nothing for a desk's own data.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;
pub(crate) type FastSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fnv>>;

/// Counts keyed by the bytes SQLite hands out, allocating only for a new key.
#[derive(Default)]
struct Counter(FastMap<Vec<u8>, u32>);

impl Counter {
    fn add(&mut self, key: &[u8]) {
        self.add_n(key, 1);
    }

    fn add_n(&mut self, key: &[u8], n: u32) {
        match self.0.get_mut(key) {
            Some(k) => *k += n,
            None => {
                self.0.insert(key.to_vec(), n);
            }
        }
    }

    fn get(&self, key: &str) -> u32 {
        self.0.get(key.as_bytes()).copied().unwrap_or(0)
    }
}

fn text<'a>(r: &'a rusqlite::Row, i: usize) -> rusqlite::Result<&'a [u8]> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => Ok(t),
        _ => Ok(b""),
    }
}

fn opt_text<'a>(r: &'a rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'a [u8]>> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => Ok(Some(t)),
        _ => Ok(None),
    }
}

fn status_of(key: &[u8]) -> CaseStatus {
    CaseStatus::ALL
        .into_iter()
        .find(|s| s.as_str().as_bytes() == key)
        .unwrap_or(CaseStatus::Registered)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, without a date parser (read for every closed
/// case).
fn day_number(b: &[u8]) -> Option<i64> {
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (H. Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// What the pass over the cases in scope gives.
#[derive(Default)]
struct CasePass {
    /// Registered in the period, every state (from [`SidePass`]).
    status: HashMap<CaseStatus, u32>,
    /// Registered in the period and in the scope.
    organ: Counter,
    category: Counter,
    org: Counter,
    month: Counter,
    /// Lawfully closed in the period: days from registration → cases (from [`SidePass`]).
    closure_days: BTreeMap<i64, u32>,
    /// Ids of the cases in the scope and org (any date), for the measures about their
    /// hearings and slips; `None` when every case counts.
    cases: Option<FastSet<Vec<u8>>>,
    /// Ids of the cases registered in the period, in the scope and org; `None` when every
    /// case counts.
    period_cases: Option<FastSet<Vec<u8>>>,
}

/// What [`Ctx::side_pass`] gives.
#[derive(Default)]
struct SidePass {
    status: HashMap<CaseStatus, u32>,
    closure_days: BTreeMap<i64, u32>,
    repeat: Vec<Vec<RepeatEntry>>,
}

impl CasePass {
    fn counts(&self, s: CaseStatus) -> u32 {
        self.status.get(&s).copied().unwrap_or(0)
    }
}

impl Ctx {
    /// Whether hearings and slips are counted only for some cases (an org or a scope).
    fn filters_cases(&self) -> bool {
        self.orgs.is_some() || self.scope != StatsScope::All
    }

    /// Whether every hearing of the database counts (no period, no case filter).
    fn every_hearing(&self) -> bool {
        !self.filters_cases() && self.from.is_none() && self.to.is_none()
    }

    fn in_period(&self, day: &[u8]) -> bool {
        self.from.as_ref().is_none_or(|f| day >= f.as_bytes())
            && self.to.as_ref().is_none_or(|t| day <= t.as_bytes())
    }

    /// The org condition over `cases c`, read from an index's own columns (`+`: not through
    /// cases_org, whose row lookups cost more than reading a whole covering index).
    fn org_where(&self) -> Where {
        let mut org = Where::default();
        if let Some(orgs) = &self.orgs {
            let marks = vec!["?"; orgs.len()].join(", ");
            let ids = orgs.iter().map(|o| SqlValue::Text(o.clone()));
            org = org.and(
                format!("(+c.org_id IN ({marks}) OR +c.handling_organ_id IN ({marks}))"),
                ids.clone().chain(ids),
            );
        }
        org
    }

    /// `w` and `col` (a date column) within the period.
    fn in_period_sql(&self, w: Where, col: &str) -> Where {
        let mut w = w;
        if let Some(from) = &self.from {
            w = w.and(format!("{col} >= ?"), [SqlValue::Text(from.clone())]);
        }
        if let Some(to) = &self.to {
            w = w.and(format!("{col} <= ?"), [SqlValue::Text(to.clone())]);
        }
        w
    }

    /// The cases in the scope and org from the covering index `cases_stats` (state first):
    /// their ids (for hearings and slips) and, of those registered in the period, the counts by
    /// organ, category, org and month.
    fn case_pass(&self, conn: &Connection, lookups: Lookups) -> Result<CasePass> {
        if lookups.tallies(self) {
            return Ctx::count_every_case(conn);
        }
        let org = self.org_where();
        let mut p = CasePass {
            cases: self.filters_cases().then(FastSet::default),
            period_cases: (self.filters_cases() || self.from.is_some() || self.to.is_some())
                .then(FastSet::default),
            ..CasePass::default()
        };
        // In the scope, any date: the ids (for hearings and slips); in the period: the measures.
        let mut w = org;
        if let Some(s) = self.scope.sql() {
            w = w.and(s, []);
        }
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.id, c.category, c.handling_organ_id, c.org_id, c.registered_on
             FROM cases c INDEXED BY cases_stats WHERE {}",
            w.sql()
        ))?;
        let mut rows = stmt.query(params_from_iter(w.args.iter()))?;
        while let Some(r) = rows.next()? {
            let id = text(r, 0)?;
            if let Some(set) = p.cases.as_mut() {
                set.insert(id.to_vec());
            }
            let registered = text(r, 4)?;
            if !self.in_period(registered) {
                continue;
            }
            if let Some(set) = p.period_cases.as_mut() {
                set.insert(id.to_vec());
            }
            p.category.add(text(r, 1)?);
            p.organ.add(text(r, 2)?);
            p.org.add(text(r, 3)?);
            p.month.add(registered.get(..7).unwrap_or(registered));
        }
        Ok(p)
    }

    /// Every case, no period: the counts by organ, org and category are SQLite's, each from its
    /// own one-column index (a row per value, no sort); by month, one range count per month of
    /// the registration-date index (the forms check dates as YYYY-MM-DD, on this desk or on the
    /// one a synced case comes from).
    fn count_every_case(conn: &Connection) -> Result<CasePass> {
        let mut p = CasePass::default();
        for (counter, col, index) in [
            (&mut p.organ, "handling_organ_id", "cases_organ"),
            (&mut p.org, "org_id", "cases_org"),
            (&mut p.category, "category", "cases_category"),
        ] {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {col}, count(*) FROM cases INDEXED BY {index} GROUP BY {col}"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                counter.add_n(text(r, 0)?, u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0));
            }
        }
        // The first and last dates that look like dates: a malformed one (from an import or an
        // older desk) would otherwise end the range of months where no month can be read.
        let (first, last): (Option<String>, Option<String>) = conn.query_row(
            &format!(
                "SELECT min(registered_on), max(registered_on) FROM cases
                 WHERE registered_on GLOB '{DATE_GLOB}'
                     AND substr(registered_on, 6, 2) BETWEEN '01' AND '12'"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        // The first day of a date's month.
        let month = |d: Option<String>| {
            d.and_then(|d| {
                NaiveDate::parse_from_str(&format!("{}-01", d.get(..7)?), "%Y-%m-%d").ok()
            })
        };
        if let (Some(mut m), Some(last)) = (month(first), month(last)) {
            // The dates that begin `YYYY-MM-` ('.' follows '-'), as the scoped count reads a
            // date's month: `2026-13-05` sorts between December and January and counts in neither.
            let mut stmt = conn.prepare_cached(
                "SELECT count(*) FROM cases INDEXED BY cases_registered_number
                 WHERE registered_on >= ?1 || '-' AND registered_on < ?1 || '.'",
            )?;
            while m <= last {
                let next = m
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(NaiveDate::MAX);
                let key = m.format("%Y-%m").to_string();
                let n: i64 = stmt.query_row([&key], |r| r.get(0))?;
                if n > 0 {
                    p.month.add_n(key.as_bytes(), u32::try_from(n).unwrap_or(0));
                }
                m = next;
            }
        }
        Ok(p)
    }

    /// What does not depend on the scope, counted by SQLite: every state's cases registered in
    /// the period, the lawfully closed ones' days to closure; and the repeat petitioners. Runs on
    /// a second connection beside [`Ctx::case_pass`] and the hearing measures.
    fn side_pass(&self, conn: &Connection) -> Result<SidePass> {
        let org = self.org_where();
        let period = |w: Where, col: &str| self.in_period_sql(w, col);
        // With an org filter the wide covering index (it has the org columns), else `narrow`.
        let index = |narrow: &'static str| {
            if self.orgs.is_some() {
                "cases_stats"
            } else {
                narrow
            }
        };
        let mut side = SidePass {
            repeat: repeat_groups(conn)?,
            ..SidePass::default()
        };

        // Registered in the period, every state.
        let w = period(org.clone(), "c.registered_on");
        // In state order from an index (no sort): with a period, one whose dates within a state
        // are the registration dates; without, the narrowest with the state first.
        let by_state = if self.from.is_some() || self.to.is_some() {
            "cases_status_ref"
        } else {
            "cases_closure_days"
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.status, count(*) FROM cases c INDEXED BY {} WHERE {} GROUP BY c.status",
            index(by_state),
            w.sql()
        ))?;
        let mut rows = stmt.query(params_from_iter(w.args.iter()))?;
        while let Some(r) = rows.next()? {
            let n: i64 = r.get(1)?;
            *side.status.entry(status_of(text(r, 0)?)).or_default() +=
                u32::try_from(n).unwrap_or(0);
        }

        // Lawfully closed in the period: days from registration.
        let w = period(
            org.clone()
                .and(status_in(CLOSED_STATES.into_iter()), [])
                .and("c.closed_on IS NOT NULL", []),
            "c.closed_on",
        );
        // (Counting the days here beats SQLite's julianday() and GROUP BY threefold.)
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.registered_on, c.closed_on FROM cases c INDEXED BY {} WHERE {}",
            index("cases_closure_days"),
            w.sql()
        ))?;
        let mut rows = stmt.query(params_from_iter(w.args.iter()))?;
        while let Some(r) = rows.next()? {
            if let (Some(a), Some(b)) = (day_number(text(r, 0)?), day_number(text(r, 1)?)) {
                *side.closure_days.entry(b - a).or_default() += 1;
            }
        }

        Ok(side)
    }
}

/// Groups of case ids.
pub type CaseGroups = Vec<Vec<String>>;

impl Store {
    /// The repeat petitioners' groups (each the sorted ids of its cases, groups sorted) as the
    /// statistics read them (`repeat_entries`) and as a scan of every petitioner finds them:
    /// for the tests that check the triggers keep the table in step with every write.
    #[doc(hidden)]
    pub fn repeat_groups_both_ways(&self) -> Result<(CaseGroups, CaseGroups)> {
        let norm = |groups: Vec<Vec<RepeatEntry>>| {
            let mut out: Vec<Vec<String>> = groups
                .into_iter()
                .map(|g| {
                    let mut ids: Vec<String> = g.into_iter().map(|e| e.case_id).collect();
                    ids.sort();
                    ids
                })
                .collect();
            out.sort();
            out
        };
        let conn = self.conn();
        Ok((
            norm(repeat_groups(conn)?),
            norm(repeat_groups_scanning(conn)?),
        ))
    }

    /// Every measure for `filter`. Invalid dates are reported per field; an unknown org is
    /// `not_found`.
    pub fn statistics(&self, filter: &StatsFilter) -> Result<Statistics> {
        self.statistics_with(filter, Lookups::Auto)
    }

    /// The same, reading the panels and votes of the hearings counted always by one scan of
    /// their indexes (or always by `rarray` lookups), never from the running tallies: for the
    /// tests that every way counts the same.
    #[doc(hidden)]
    pub fn statistics_by(&self, filter: &StatsFilter, scan: bool) -> Result<Statistics> {
        self.statistics_with(filter, if scan { Lookups::Scan } else { Lookups::Rarray })
    }

    fn statistics_with(&self, filter: &StatsFilter, lookups: Lookups) -> Result<Statistics> {
        let conn = self.conn();
        let ctx = Ctx::new(conn, filter, self.today())?;
        // Two cores: the side pass reads on a second connection (WAL: the same committed
        // state) while this one reads the cases in scope and their hearings, panels and slips;
        // when hearings and slips count for every case but are read hearing by hearing (a
        // period), the case pass and the slips go there too. Without a second connection, one
        // after the other.
        let early = ctx.filters_cases() || lookups.tallies(&ctx);
        let ctx = &ctx;
        // The case pass and the slips, made on one side or the other.
        type Cases = (CasePass, (StatTable, u32));
        let ((side, side_cases), (main_cases, hearings, outcomes, panel_table)) = self
            .in_parallel(
                move |r| -> Result<(SidePass, Option<Cases>)> {
                    let side = ctx.side_pass(r)?;
                    if early {
                        return Ok((side, None));
                    }
                    let cases = (ctx.case_pass(r, lookups)?, slips(r, ctx, None)?);
                    Ok((side, Some(cases)))
                },
                |conn| {
                    let main_pass = if early {
                        Some(ctx.case_pass(conn, lookups)?)
                    } else {
                        None
                    };
                    let cases = main_pass.as_ref().and_then(|p| p.cases.as_ref());
                    let hearings = HearingPass::read(conn, ctx, cases, lookups)?;
                    let outcomes = hearing_outcomes(conn, &hearings, lookups)?;
                    let panel_table = panel(conn, &hearings, lookups)?;
                    let main_cases = match main_pass {
                        Some(p) => {
                            let slip_table = slips(conn, ctx, p.cases.as_ref())?;
                            Some((p, slip_table))
                        }
                        None => None,
                    };
                    Ok((main_cases, hearings, outcomes, panel_table))
                },
            )?;
        let (mut pass, slip_table) = match main_cases.or(side_cases) {
            Some(c) => c,
            // Not reached: `early` gives them to one side or the other.
            None => (ctx.case_pass(conn, lookups)?, slips(conn, ctx, None)?),
        };
        pass.status = side.status;
        pass.closure_days = side.closure_days;
        let repeat = side.repeat;
        let count = |s: CaseStatus| pass.counts(s);
        let mut summary = StatsSummary::default();
        let mut tables = Vec::with_capacity(StatMeasure::ALL.len());

        tables.push(by_organ(ctx, &pass));
        tables.push(by_category(&pass));
        let mut t = StatTable::new(
            StatMeasure::ByStatus,
            BASIS_REGISTERED,
            "办理状态",
            &["案件数"],
        );
        for s in CaseStatus::ALL
            .into_iter()
            .filter(|s| ctx.scope.includes(*s))
        {
            if count(s) > 0 {
                t.row(s.as_str(), s.label(), vec![f64::from(count(s))]);
            }
        }
        summary.cases = CaseStatus::ALL
            .into_iter()
            .filter(|s| ctx.scope.includes(*s))
            .map(count)
            .sum();
        tables.push(t);
        tables.push(by_county(ctx, &pass));
        tables.push(by_month(&pass));

        summary.hearings_held = u32::try_from(hearings.held_count).unwrap_or(u32::MAX);
        tables.push(hearings.table());
        tables.push(outcomes);

        // Closure: every state, whatever the scope.
        summary.active = CaseStatus::ALL
            .into_iter()
            .filter(|s| s.is_active())
            .map(count)
            .sum();
        summary.closed = CaseStatus::ALL
            .into_iter()
            .filter(|s| !s.is_active())
            .map(count)
            .sum();
        let total = summary.active + summary.closed;
        summary.closure_rate = (total > 0).then(|| percent(summary.closed, total));
        let mut t = StatTable::new(
            StatMeasure::Closure,
            "登记日期在期间内的全部案件：在办与各种办结方式（办结率须两者兼计，不受范围筛选影响）",
            "办理结果",
            &["案件数", "占比（%）"],
        );
        let lawful: u32 = CLOSED_STATES.into_iter().map(count).sum();
        for (key, label, n) in [
            ("active", "在办（含依法重启）", summary.active),
            ("closed", "依法终结（已终结、已送达、已备案）", lawful),
            (
                "resolved",
                CaseStatus::Resolved.label(),
                count(CaseStatus::Resolved),
            ),
            (
                "legalProcedure",
                CaseStatus::LegalProcedure.label(),
                count(CaseStatus::LegalProcedure),
            ),
            (
                "withdrawn",
                CaseStatus::Withdrawn.label(),
                count(CaseStatus::Withdrawn),
            ),
            ("total", "合计", total),
        ] {
            t.row(key, label, vec![f64::from(n), percent(n, total)]);
        }
        t.note = match summary.closure_rate {
            Some(r) => format!(
                "办结率 {} %（办结 {} 件 / 登记 {total} 件）",
                number_text(r),
                summary.closed
            ),
            None => "期间内没有登记的案件".to_owned(),
        };
        tables.push(t);

        let (t, median) = closure_time(&pass);
        summary.median_days_to_closure = median;
        tables.push(t);

        let (t, overdue) = slip_table;
        summary.slips_overdue = overdue;
        tables.push(t);

        let t = repeat_petitioners(conn, &repeat, &pass)?;
        summary.repeat_petitioners = u32::try_from(t.rows.len()).unwrap_or(u32::MAX);
        tables.push(t);

        tables.push(panel_table);

        Ok(Statistics {
            description: ctx.describe(),
            summary,
            tables,
        })
    }
}

fn by_organ(ctx: &Ctx, pass: &CasePass) -> StatTable {
    let mut t = StatTable::new(
        StatMeasure::ByOrgan,
        BASIS_REGISTERED,
        "承办单位",
        &["案件数"],
    );
    let mut rows: Vec<(String, String, u32)> = pass
        .organ
        .0
        .iter()
        .map(|(id, n)| {
            let id = String::from_utf8_lossy(id).into_owned();
            (ctx.org_name(&id), id, *n)
        })
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for (name, id, n) in rows {
        t.row(id, name, vec![f64::from(n)]);
    }
    t
}

fn by_category(pass: &CasePass) -> StatTable {
    let mut t = StatTable::new(
        StatMeasure::ByCategory,
        BASIS_REGISTERED,
        "案件类别",
        &["案件数"],
    );
    for c in CaseCategory::ALL {
        let n = pass.category.get(c.as_str());
        if n > 0 {
            t.row(c.as_str(), c.label(), vec![f64::from(n)]);
        }
    }
    // Keys no category knows (a newer desk's data) are counted, not dropped.
    let other: u32 = pass
        .category
        .0
        .iter()
        .filter(|(k, _)| {
            std::str::from_utf8(k)
                .ok()
                .and_then(CaseCategory::parse)
                .is_none()
        })
        .map(|(_, n)| n)
        .sum();
    if other > 0 {
        t.row("unknown", "未知类别", vec![f64::from(other)]);
    }
    t
}

fn by_county(ctx: &Ctx, pass: &CasePass) -> StatTable {
    let mut counts: HashMap<String, (String, u32)> = HashMap::new();
    for (org, n) in pass.org.0.iter() {
        let (id, name) = ctx.county_of(&String::from_utf8_lossy(org));
        counts.entry(id).or_insert((name, 0)).1 += n;
    }
    let mut t = StatTable::new(
        StatMeasure::ByCounty,
        "登记日期在期间内、属所选范围的案件，按立案单位所在的旗县区（市委政法委下一级；市直单位计入本级）",
        "旗县区",
        &["案件数"],
    );
    let unknown: Vec<String> = counts
        .keys()
        .filter(|k| !ctx.nodes.contains_key(*k))
        .cloned()
        .collect();
    for id in ctx.order.iter().chain(&unknown) {
        if let Some((name, n)) = counts.get(id) {
            t.row(id.clone(), name.clone(), vec![f64::from(*n)]);
        }
    }
    t
}

fn by_month(pass: &CasePass) -> StatTable {
    let mut t = StatTable::new(
        StatMeasure::ByMonth,
        BASIS_REGISTERED,
        "登记月份",
        &["案件数"],
    );
    let counts: BTreeMap<String, u32> = pass
        .month
        .0
        .iter()
        .map(|(k, n)| (String::from_utf8_lossy(k).into_owned(), *n))
        .collect();
    let month = |k: &str| NaiveDate::parse_from_str(&format!("{k}-01"), "%Y-%m-%d").ok();
    // Only real months: a malformed date's key (`2026-13`) counts in no month, and does not hide
    // the others by being first or last.
    let mut months = counts.keys().filter_map(|k| month(k));
    let Some(first) = months.next() else {
        return t;
    };
    let last = months.next_back().unwrap_or(first);
    // Every month from the first to the last, so that a trend line shows the empty ones.
    let mut m = first;
    let mut guard = 0;
    while m <= last && guard < 1200 {
        let key = m.format("%Y-%m").to_string();
        let n = counts.get(&key).copied().unwrap_or(0);
        t.row(
            key,
            format!("{}年{}月", m.year(), m.month()),
            vec![f64::from(n)],
        );
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(last + chrono::Days::new(1));
        guard += 1;
    }
    t
}

/// The hearings in the period whose case counts.
struct HearingPass {
    status: Counter,
    /// Every hearing counted, by id (empty when `tallied`).
    ids: FastSet<Vec<u8>>,
    /// The hearings held (已结束, 笔录已签) with the organ's decision, if recorded (empty when
    /// `tallied`).
    held: FastMap<Vec<u8>, Option<Vote>>,
    /// How many hearings were held.
    held_count: usize,
    /// Every hearing counts and its votes and panelists are read from the running tallies
    /// (`hearing_votes`, `panel_people`: migration 012), not hearing by hearing.
    tallied: bool,
    /// The hearings read (in the period, any case).
    scanned: usize,
    /// Every hearing of the database counts (no period, no case filter).
    every: bool,
}

/// How the panels and votes of the hearings counted are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookups {
    /// By `rarray` lookups when the hearings counted are a small share of those read, else by
    /// one scan of the index (at 100k cases: 9k of 41k hearings looked up in 20 ms; all 41k in
    /// 170 ms by lookups, 60 ms by a scan).
    Auto,
    Scan,
    Rarray,
}

impl Lookups {
    /// Whether the running tallies answer (and the counts of every case come from SQLite):
    /// only when every hearing counts, as they are kept for the whole database.
    fn tallies(self, ctx: &Ctx) -> bool {
        self == Lookups::Auto && ctx.every_hearing()
    }

    fn looks_up(self, wanted: usize, scanned: usize) -> bool {
        match self {
            Lookups::Auto => wanted.saturating_mul(3) <= scanned,
            Lookups::Scan => false,
            Lookups::Rarray => true,
        }
    }
}

/// The rows one measure reads for a set of hearings (the first column: the hearing id), read
/// one way or the other: by `rarray` lookups of the hearings wanted, or by one scan of an index
/// keeping the rows of the hearings wanted. The measure's SQL is written once and only the access
/// differs, so the two ways cannot count differently (written out twice, they did, twice).
struct HearingRows<'a> {
    /// The columns, the hearing id first, as `alias.column`.
    select: &'a str,
    /// The table with its alias.
    from: &'a str,
    /// The index a scan reads.
    index: &'a str,
    /// The rows' condition over `?1`…, or `1`.
    filter: &'a str,
    /// `GROUP BY …`, or empty.
    group_by: &'a str,
}

impl HearingRows<'_> {
    /// Calls `each` on the rows of the hearings wanted: `wanted` lists them for a lookup, `keep`
    /// tells them in a scan; `params` are the filter's.
    fn read<'w>(
        &self,
        conn: &Connection,
        params: &[SqlValue],
        lookup: bool,
        wanted: impl Iterator<Item = &'w Vec<u8>>,
        keep: impl Fn(&[u8]) -> bool,
        mut each: impl FnMut(&rusqlite::Row) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let id = self.select.split(',').next().unwrap_or_default().trim();
        let (sql, scan) = if lookup {
            (
                format!(
                    "SELECT {} FROM {} WHERE {} AND {id} IN rarray(?{}) {}",
                    self.select,
                    self.from,
                    self.filter,
                    params.len() + 1,
                    self.group_by
                ),
                false,
            )
        } else {
            (
                format!(
                    "SELECT {} FROM {} INDEXED BY {} WHERE {} {}",
                    self.select, self.from, self.index, self.filter, self.group_by
                ),
                true,
            )
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut args: Vec<&dyn rusqlite::ToSql> =
            params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
        let ids = (!scan).then(|| id_array(wanted));
        if let Some(ids) = &ids {
            args.push(ids);
        }
        let mut rows = stmt.query(args.as_slice())?;
        while let Some(r) = rows.next()? {
            if scan && !keep(text(r, 0)?) {
                continue;
            }
            each(r)?;
        }
        Ok(())
    }
}

const HELD: [HearingStatus; 2] = [HearingStatus::Concluded, HearingStatus::TranscriptSigned];

impl HearingPass {
    fn read(
        conn: &Connection,
        ctx: &Ctx,
        cases: Option<&FastSet<Vec<u8>>>,
        lookups: Lookups,
    ) -> Result<HearingPass> {
        if lookups.tallies(ctx) {
            return HearingPass::count_every(conn);
        }
        let w = ctx.in_period_sql(Where::default(), "h.scheduled_on");
        // (Filtering by the cases in scope here beats `case_id IN rarray(?)` in SQL.)
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT h.id, h.case_id, h.status, h.organ_decision FROM hearings h INDEXED BY hearings_stats
             WHERE {}",
            w.sql()
        ))?;
        let mut rows = stmt.query(params_from_iter(w.args.iter()))?;
        let mut out = HearingPass {
            status: Counter::default(),
            ids: FastSet::default(),
            held: FastMap::default(),
            held_count: 0,
            tallied: false,
            scanned: 0,
            every: cases.is_none() && ctx.from.is_none() && ctx.to.is_none(),
        };
        let held: [&[u8]; 2] = HELD.map(|s| s.as_str().as_bytes());
        while let Some(r) = rows.next()? {
            out.scanned += 1;
            let case_id = text(r, 1)?;
            if cases.is_some_and(|c| !c.contains(case_id)) {
                continue;
            }
            let status = text(r, 2)?;
            out.status.add(status);
            let id = text(r, 0)?.to_vec();
            if held.contains(&status) {
                let decision = opt_text(r, 3)?
                    .and_then(|d| std::str::from_utf8(d).ok())
                    .and_then(Vote::parse);
                out.held.insert(id.clone(), decision);
            }
            out.ids.insert(id);
        }
        out.held_count = out.held.len();
        Ok(out)
    }

    /// Every hearing of the database: the states counted by SQLite from an index.
    fn count_every(conn: &Connection) -> Result<HearingPass> {
        let mut out = HearingPass {
            status: Counter::default(),
            ids: FastSet::default(),
            held: FastMap::default(),
            held_count: 0,
            tallied: true,
            scanned: 0,
            every: true,
        };
        let mut stmt = conn.prepare_cached(
            "SELECT status, count(*) FROM hearings INDEXED BY hearings_status GROUP BY status",
        )?;
        let mut rows = stmt.query([])?;
        let held: [&[u8]; 2] = HELD.map(|s| s.as_str().as_bytes());
        while let Some(r) = rows.next()? {
            let n = usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
            let status = text(r, 0)?;
            out.status
                .add_n(status, u32::try_from(n).unwrap_or(u32::MAX));
            out.scanned += n;
            if held.contains(&status) {
                out.held_count += n;
            }
        }
        Ok(out)
    }

    fn table(&self) -> StatTable {
        let mut t = StatTable::new(
            StatMeasure::Hearings,
            BASIS_HEARING,
            "听证会状态",
            &["场次"],
        );
        for s in HearingStatus::ALL {
            let n = self.status.get(s.as_str());
            if n > 0 {
                t.row(s.as_str(), s.label(), vec![f64::from(n)]);
            }
        }
        t.note = format!("已举行（已结束、笔录已签）{} 场", self.held_count);
        t
    }
}

/// A hearing's majority from its opinions counted [agree, disagree, other].
fn majority_of([a, dis, o]: [u32; 3]) -> Option<Vote> {
    hearing_core::deliberation::majority(a, dis, o)
}

/// The outcome of the hearings held: the panel's majority (strictly more than half of the
/// opinions, `hearing_core::deliberation::majority`) and the organ's decision.
fn hearing_outcomes(conn: &Connection, h: &HearingPass, lookups: Lookups) -> Result<StatTable> {
    let mut majority: HashMap<Option<Vote>, u32> = HashMap::new();
    let mut decision: HashMap<Option<Vote>, u32> = HashMap::new();
    // Counted per hearing by SQLite: [agree, disagree, other] from columns 1–3 (all opinions
    // in 3); none when a hearing has no opinion yet.
    let per_hearing = |r: &rusqlite::Row| -> rusqlite::Result<[u32; 3]> {
        let n = |i: usize| -> rusqlite::Result<u32> {
            Ok(u32::try_from(r.get::<_, Option<i64>>(i)?.unwrap_or(0)).unwrap_or(0))
        };
        let (agree, disagree, all) = (n(1)?, n(2)?, n(3)?);
        Ok([agree, disagree, all.saturating_sub(agree + disagree)])
    };
    if h.tallied {
        // The organ's decisions on the hearings held, counted by SQLite from an index.
        let quoted = |states: &mut dyn Iterator<Item = HearingStatus>| {
            states
                .map(|s| format!("'{}'", s.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let held = quoted(&mut HELD.into_iter());
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT organ_decision, count(*) FROM hearings INDEXED BY hearings_decision
             WHERE status IN ({held}) GROUP BY organ_decision"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let d = opt_text(r, 0)?
                .and_then(|d| std::str::from_utf8(d).ok())
                .and_then(Vote::parse);
            *decision.entry(d).or_default() += u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
        }
        // The majorities: of every running tally, less those of the hearings not held (in
        // deliberation now, or ended otherwise): few, found through the state index. A held
        // hearing without a tally has no opinion, hence no majority.
        let not_held = quoted(&mut HearingStatus::ALL.into_iter().filter(|s| !HELD.contains(s)));
        let mut signed: HashMap<Option<Vote>, i64> = HashMap::new();
        let mut tallied: i64 = 0;
        for (sql, sign) in [
            (
                "SELECT hearing_id, agree, disagree, opinions FROM hearing_votes".to_owned(),
                1,
            ),
            (
                format!(
                    "SELECT h.id, v.agree, v.disagree, v.opinions
                     FROM hearings h INDEXED BY hearings_decision
                     JOIN hearing_votes v ON v.hearing_id = h.id WHERE h.status IN ({not_held})"
                ),
                -1,
            ),
        ] {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                *signed.entry(majority_of(per_hearing(r)?)).or_default() += sign;
                tallied += sign;
            }
        }
        *signed.entry(None).or_default() +=
            i64::try_from(h.held_count).unwrap_or(i64::MAX) - tallied;
        for (m, n) in signed {
            majority.insert(m, u32::try_from(n).unwrap_or(0));
        }
    } else {
        // Votes per held hearing.
        let mut votes: FastMap<Vec<u8>, [u32; 3]> = FastMap::default();
        let mut tally = |id: &[u8], add: [u32; 3]| {
            let v = match votes.get_mut(id) {
                Some(v) => v,
                None => votes.entry(id.to_vec()).or_default(),
            };
            for (t, a) in v.iter_mut().zip(add) {
                *t += a;
            }
        };
        HearingRows {
            select: "o.hearing_id, sum(o.vote = 'agree'), sum(o.vote = 'disagree'), count(*)",
            from: "opinions o",
            index: "opinions_hearing_vote",
            filter: "1",
            group_by: "GROUP BY o.hearing_id",
        }
        .read(
            conn,
            &[],
            lookups.looks_up(h.held.len(), h.scanned),
            h.held.keys(),
            |id| h.held.contains_key(id),
            |r| {
                tally(text(r, 0)?, per_hearing(r)?);
                Ok(())
            },
        )?;
        for (id, d) in &h.held {
            let m = majority_of(votes.get(id).copied().unwrap_or_default());
            *majority.entry(m).or_default() += 1;
            *decision.entry(*d).or_default() += 1;
        }
    }
    let mut t = StatTable::new(
        StatMeasure::HearingOutcomes,
        "听证日期在期间内且已举行（已结束、笔录已签）的听证会：听证员评议的多数意见（过半数）与承办单位的处理决定",
        "意见",
        &["评议多数意见（场）", "承办单位决定（场）"],
    );
    let get = |m: &HashMap<Option<Vote>, u32>, k: Option<Vote>| {
        f64::from(m.get(&k).copied().unwrap_or(0))
    };
    for v in Vote::ALL {
        let label = match v {
            Vote::Agree => "同意终结",
            Vote::Disagree => "不同意终结",
            Vote::Other => "其他意见",
        };
        t.row(
            v.as_str(),
            label,
            vec![get(&majority, Some(v)), get(&decision, Some(v))],
        );
    }
    t.row(
        "none",
        "无多数意见 / 未作决定",
        vec![get(&majority, None), get(&decision, None)],
    );
    t.note = format!("已举行 {} 场", h.held_count);
    Ok(t)
}

/// Days from registration to lawful closure, in buckets, and the median.
fn closure_time(pass: &CasePass) -> (StatTable, Option<f64>) {
    let rows: Vec<(i64, u32)> = pass.closure_days.iter().map(|(d, n)| (*d, *n)).collect();
    let mut t = StatTable::new(
        StatMeasure::ClosureTime,
        "终结日期在期间内的依法终结案件（已终结、已送达、已备案；不受范围筛选影响），自登记日起算的天数",
        "用时",
        &["案件数"],
    );
    for (label, lo, hi) in CLOSURE_BUCKETS {
        let n: u32 = rows
            .iter()
            .filter(|(d, _)| {
                let d = (*d).max(0);
                d >= lo && d <= hi
            })
            .map(|(_, n)| n)
            .sum();
        t.row(
            format!("{}-{}", lo.max(0), hi.min(99999)),
            label,
            vec![f64::from(n)],
        );
    }
    let total: u32 = rows.iter().map(|(_, n)| n).sum();
    let median = median(&rows);
    t.note = match median {
        Some(m) => format!("共 {total} 件，中位数 {} 日", number_text(m)),
        None => "期间内没有依法终结的案件".to_owned(),
    };
    (t, median)
}

/// The median of a histogram sorted by value: the middle value, or the mean of the two middle
/// values for an even count.
fn median(sorted: &[(i64, u32)]) -> Option<f64> {
    let n: u64 = sorted.iter().map(|(_, c)| u64::from(*c)).sum();
    if n == 0 {
        return None;
    }
    let nth = |k: u64| -> i64 {
        let mut seen = 0u64;
        for (v, c) in sorted {
            seen += u64::from(*c);
            if seen > k {
                return *v;
            }
        }
        sorted.last().map(|(v, _)| *v).unwrap_or(0)
    };
    let v = if n % 2 == 1 {
        nth(n / 2) as f64
    } else {
        (nth(n / 2 - 1) + nth(n / 2)) as f64 / 2.0
    };
    Some(v.max(0.0))
}

/// 三单 by kind: finished on time (answered by the deadline), finished late, open and not overdue
/// (within the deadline, or answered this round), open past the deadline without an answer; and
/// how many were late or are overdue.
fn slips(
    conn: &Connection,
    ctx: &Ctx,
    cases: Option<&FastSet<Vec<u8>>>,
) -> Result<(StatTable, u32)> {
    let w = ctx.in_period_sql(Where::default(), "s.deadline");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.case_id, s.kind, s.status, s.deadline,
                COALESCE((SELECT MAX(f.answered_on) FROM slip_feedback f WHERE f.slip_id = s.id),
                         s.done_on),
                EXISTS (SELECT 1 FROM slip_feedback f WHERE f.slip_id = s.id AND f.round = s.round)
         FROM supervision_slips s WHERE {}",
        w.sql()
    ))?;
    let mut rows = stmt.query(params_from_iter(w.args.iter()))?;
    let today = ctx.today.as_bytes();
    let done = SlipStatus::Done.as_str().as_bytes();
    let mut counts: FastMap<Vec<u8>, [u32; 5]> = FastMap::default();
    while let Some(r) = rows.next()? {
        let case_id = text(r, 0)?;
        if cases.is_some_and(|c| !c.contains(case_id)) {
            continue;
        }
        let deadline = text(r, 3)?;
        // On time is the receiving org's: its (last) answer by the deadline, not when the issuer
        // accepted it; open and answered in this round is not overdue (DOMAIN.md: overdue is the
        // deadline passed without a 反馈).
        let column = slip_column(
            text(r, 2)? == done,
            deadline,
            opt_text(r, 4)?,
            r.get(5)?,
            today,
        );
        let kind = text(r, 1)?;
        let c = match counts.get_mut(kind) {
            Some(c) => c,
            None => counts.entry(kind.to_vec()).or_default(),
        };
        c[column] += 1;
        c[4] += 1;
    }
    let mut t = StatTable::new(
        StatMeasure::Slips,
        "办理期限在期间内的交办单、督办单、反馈单（所属案件属所选范围）；是否逾期以统计基准日判断",
        "单据",
        &[
            "按期办结",
            "逾期办结",
            "办理中（未逾期）",
            "逾期未反馈",
            "合计",
        ],
    );
    let mut total = [0u32; 5];
    for k in SlipKind::ALL {
        let c = counts
            .get(k.as_str().as_bytes())
            .copied()
            .unwrap_or_default();
        for (t, v) in total.iter_mut().zip(c) {
            *t += v;
        }
        t.row(
            k.as_str(),
            k.label(),
            c.iter().map(|v| f64::from(*v)).collect(),
        );
    }
    t.row(
        "total",
        "合计",
        total.iter().map(|v| f64::from(*v)).collect(),
    );
    t.note = format!("逾期办结 {} 件，逾期未反馈 {} 件", total[1], total[3]);
    Ok((t, total[1] + total[3]))
}

/// The column of [`slips`] a slip counts in: 0 finished on time (its last answer by the
/// deadline), 1 finished late, 2 open and not overdue (within the deadline, or answered in this
/// round), 3 open past the deadline without an answer.
pub(crate) fn slip_column(
    done: bool,
    deadline: &[u8],
    finished: Option<&[u8]>,
    answered_now: bool,
    today: &[u8],
) -> usize {
    if done {
        if finished.unwrap_or(deadline) <= deadline {
            0
        } else {
            1
        }
    } else if answered_now || deadline >= today {
        2
    } else {
        3
    }
}

/// One petitioner entry (a person on one case) of a repeat group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RepeatEntry {
    pub case_id: String,
    pub name: String,
    pub id_number: Option<String>,
}

/// People who petition in two or more cases, over the whole register: the same ID number, or
/// the same name and (non-empty) address — either link joins two entries into one person. Each
/// group lists one entry per case. Reads only the petitioners of the identities on more than
/// one case (`repeat_entries`, kept by triggers; migration 011), in key order.
pub(crate) fn repeat_groups(conn: &Connection) -> Result<Vec<Vec<RepeatEntry>>> {
    repeat_groups_from(
        conn,
        "SELECT a, case_id, name FROM repeat_entries WHERE kind = 'i' ORDER BY a",
        "SELECT a, b, case_id FROM repeat_entries WHERE kind = 'n' ORDER BY a, b",
    )
}

/// The same from every petitioner, not trusting `repeat_entries`: for the tests that check
/// the triggers keep it.
pub(crate) fn repeat_groups_scanning(conn: &Connection) -> Result<Vec<Vec<RepeatEntry>>> {
    repeat_groups_from(
        conn,
        "SELECT id_number, case_id, name FROM petitioners WHERE id_number > '' ORDER BY id_number",
        "SELECT name, address, case_id FROM petitioners WHERE address > '' ORDER BY name, address",
    )
}

/// Repeat groups from two queries: (ID number, case, name) ordered by ID number, and (name,
/// address, case) ordered by name and address. Only identities spanning two cases are kept, so
/// the queries may return more.
fn repeat_groups_from(
    conn: &Connection,
    by_id_number: &str,
    by_name_address: &str,
) -> Result<Vec<Vec<RepeatEntry>>> {
    // "case_id \x1f name" → entry index; lists of entry indexes to join.
    let mut index: FastMap<String, usize> = FastMap::default();
    let mut entries: Vec<RepeatEntry> = Vec::new();
    let mut links: Vec<Vec<usize>> = Vec::new();
    let mut entry = |key: &str, id_number: Option<&str>| -> usize {
        if let Some(&i) = index.get(key) {
            if entries[i].id_number.is_none() {
                entries[i].id_number = id_number.map(str::to_owned);
            }
            return i;
        }
        let (case_id, name) = key.split_once('\u{1f}').unwrap_or((key, ""));
        entries.push(RepeatEntry {
            case_id: case_id.to_owned(),
            name: name.to_owned(),
            id_number: id_number.map(str::to_owned),
        });
        index.insert(key.to_owned(), entries.len() - 1);
        entries.len() - 1
    };
    // Rows come in index order, so the entries of one ID number (or one name and address) are
    // consecutive: a group is kept when it spans two cases. No GROUP BY, no sort.
    let mut stmt = conn.prepare_cached(by_id_number)?;
    let mut rows = stmt.query([])?;
    // The entries of the identity being read, "case_id \x1f name" joined by \x1e, and whether
    // they span two cases; the buffers are reused, so reading allocates nothing.
    let mut group = String::new();
    let mut first_case = String::new();
    let mut multi = false;
    let mut current: Vec<u8> = Vec::new();
    let mut flush =
        |group: &mut String, multi: &mut bool, id: Option<&str>, links: &mut Vec<Vec<usize>>| {
            if *multi {
                links.push(group.split('\u{1e}').map(|k| entry(k, id)).collect());
            }
            group.clear();
            *multi = false;
        };
    let push = |group: &mut String,
                first_case: &mut String,
                multi: &mut bool,
                case_id: &str,
                name: &str| {
        if group.is_empty() {
            first_case.clear();
            first_case.push_str(case_id);
        } else {
            group.push('\u{1e}');
            *multi |= first_case != case_id;
        }
        group.push_str(case_id);
        group.push('\u{1f}');
        group.push_str(name);
    };
    let mut id_text = String::new();
    while let Some(r) = rows.next()? {
        let id = text(r, 0)?;
        if id != current.as_slice() {
            flush(&mut group, &mut multi, Some(&id_text), &mut links);
            current.clear();
            current.extend_from_slice(id);
            id_text.clear();
            id_text.push_str(std::str::from_utf8(id).unwrap_or_default());
        }
        let case_id = std::str::from_utf8(text(r, 1)?).unwrap_or_default();
        let name = std::str::from_utf8(text(r, 2)?).unwrap_or_default();
        push(&mut group, &mut first_case, &mut multi, case_id, name);
    }
    flush(&mut group, &mut multi, Some(&id_text), &mut links);

    let mut stmt = conn.prepare_cached(by_name_address)?;
    let mut rows = stmt.query([])?;
    let mut current: (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
    while let Some(r) = rows.next()? {
        let (name, address) = (text(r, 0)?, text(r, 1)?);
        if name != current.0.as_slice() || address != current.1.as_slice() {
            flush(&mut group, &mut multi, None, &mut links);
            current.0.clear();
            current.0.extend_from_slice(name);
            current.1.clear();
            current.1.extend_from_slice(address);
        }
        let case_id = std::str::from_utf8(text(r, 2)?).unwrap_or_default();
        let name = std::str::from_utf8(name).unwrap_or_default();
        push(&mut group, &mut first_case, &mut multi, case_id, name);
    }
    flush(&mut group, &mut multi, None, &mut links);
    // Union-find over the entries.
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for group in &links {
        for pair in group.windows(2) {
            let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
            parent[a] = b;
        }
    }
    let mut groups: BTreeMap<usize, Vec<RepeatEntry>> = BTreeMap::new();
    for (i, e) in entries.into_iter().enumerate() {
        let g = groups.entry(find(&mut parent, i)).or_default();
        if !g.iter().any(|x| x.case_id == e.case_id) {
            g.push(e);
        }
    }
    Ok(groups.into_values().filter(|g| g.len() > 1).collect())
}

/// The register numbers and dates of some cases, to name them.
pub(crate) fn case_numbers(
    conn: &Connection,
    ids: impl Iterator<Item = String>,
) -> Result<HashMap<String, (String, String)>> {
    let ids: Array = Rc::new(ids.map(SqlValue::Text).collect());
    let mut stmt =
        conn.prepare_cached("SELECT id, number, registered_on FROM cases WHERE id IN rarray(?1)")?;
    let rows = stmt.query_map([ids], |r| {
        Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn repeat_petitioners(
    conn: &Connection,
    groups: &[Vec<RepeatEntry>],
    pass: &CasePass,
) -> Result<StatTable> {
    let mut t = StatTable::new(
        StatMeasure::RepeatPetitioners,
        "登记日期在期间内、属所选范围的案件中，同一信访人（身份证号相同，或姓名与住址相同）有两件以上的",
        "信访人",
        &["案件数"],
    );
    // Per group, the entries whose case counts; labels are made for the rows shown only.
    let mut counted: Vec<Vec<&RepeatEntry>> = groups
        .iter()
        .map(|g| {
            g.iter()
                .filter(|e| {
                    pass.period_cases
                        .as_ref()
                        .is_none_or(|c| c.contains(e.case_id.as_bytes()))
                })
                .collect::<Vec<_>>()
        })
        .filter(|g| g.len() > 1)
        .collect();
    fn key<'a>(g: &[&'a RepeatEntry]) -> (std::cmp::Reverse<usize>, &'a str, &'a str) {
        (
            std::cmp::Reverse(g.len()),
            g.first().map(|e| e.name.as_str()).unwrap_or_default(),
            g.iter()
                .find_map(|e| e.id_number.as_deref())
                .unwrap_or_default(),
        )
    }
    counted.sort_by(|a, b| key(a).cmp(&key(b)));
    let all = counted.len();
    counted.truncate(REPEAT_ROWS_MAX);
    let rows: Vec<(String, &Vec<&RepeatEntry>)> = counted
        .iter()
        .map(|g| {
            let name = g.first().map(|e| e.name.as_str()).unwrap_or_default();
            let label = match g.iter().find_map(|e| e.id_number.as_deref()) {
                Some(id) => format!("{name}（{}）", mask_id_number(id)),
                None => format!("{name}（同名同址）"),
            };
            (label, g)
        })
        .collect();
    let numbers = case_numbers(
        conn,
        rows.iter()
            .flat_map(|(_, g)| g.iter().map(|e| e.case_id.clone())),
    )?;
    for (i, (label, g)) in rows.into_iter().enumerate() {
        let mut cases: Vec<&(String, String)> =
            g.iter().filter_map(|e| numbers.get(&e.case_id)).collect();
        cases.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let detail: Vec<&str> = cases.iter().map(|(n, _)| n.as_str()).collect();
        t.rows.push(StatRow {
            key: format!("p{}", i + 1),
            label,
            values: vec![g.len() as f64],
            detail: detail.join("、"),
        });
    }
    t.note = if all > REPEAT_ROWS_MAX {
        format!("共 {all} 人，仅列出案件数最多的 {REPEAT_ROWS_MAX} 人；身份证号已脱敏")
    } else {
        format!("共 {all} 人；身份证号已脱敏")
    };
    Ok(t)
}

/// Panel members (听证员) of the hearings counted, by person kind: invited, attended, and how
/// many different people attended.
fn panel(conn: &Connection, h: &HearingPass, lookups: Lookups) -> Result<StatTable> {
    let kinds: FastMap<Vec<u8>, PersonKind> = {
        let mut stmt = conn.prepare_cached("SELECT id, kind FROM persons")?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok((
                r.get::<_, String>(0)?.into_bytes(),
                PersonKind::parse(&kind).unwrap_or(PersonKind::Other),
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Per kind (None: not in the person pool): invited, attended, the people who attended.
    type Seen = ([u32; 2], FastSet<Vec<u8>>);
    let mut counts: FastMap<Option<PersonKind>, Seen> = FastMap::default();
    let attended = InvitationStatus::Attended.as_str().as_bytes();
    let mut add = |r: &rusqlite::Row| -> rusqlite::Result<()> {
        let person = opt_text(r, 2)?;
        let kind = person.and_then(|p| kinds.get(p).copied());
        let e = counts.entry(kind).or_default();
        e.0[0] += 1;
        if text(r, 1)? == attended {
            e.0[1] += 1;
            let who = person.unwrap_or(text(r, 3)?);
            if !e.1.contains(who) {
                e.1.insert(who.to_vec());
            }
        }
        Ok(())
    };
    let role = ParticipantRole::Panelist.as_str();
    if h.tallied {
        // One row per person (or name outside the pool) with their counts.
        let mut stmt =
            conn.prepare_cached("SELECT person_id, name, invited, attended FROM panel_people")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let person = text(r, 0)?;
            let kind = kinds.get(person).copied();
            let e = counts.entry(kind).or_default();
            let n = |i: usize| -> rusqlite::Result<u32> {
                Ok(u32::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
            };
            e.0[0] += n(2)?;
            let attended = n(3)?;
            e.0[1] += attended;
            if attended > 0 {
                let who = if person.is_empty() {
                    text(r, 1)?
                } else {
                    person
                };
                e.1.insert(who.to_vec());
            }
        }
    } else {
        HearingRows {
            select: "p.hearing_id, p.invitation, p.person_id, p.name",
            from: "participants p",
            index: "participants_panel",
            filter: "p.role = ?1",
            group_by: "",
        }
        .read(
            conn,
            &[SqlValue::Text(role.to_owned())],
            lookups.looks_up(h.ids.len(), h.scanned),
            h.ids.iter(),
            |id| h.every || h.ids.contains(id),
            &mut add,
        )?;
    }
    let mut t = StatTable::new(
        StatMeasure::PanelParticipation,
        "听证日期在期间内的听证会（所属案件属所选范围）中的听证员，按人员类别（两代表一委员、律师等）",
        "人员类别",
        &["邀请人次", "出席人次", "出席人数"],
    );
    let row = |k: Option<PersonKind>| -> Vec<f64> {
        counts
            .get(&k)
            .map(|(c, people)| vec![f64::from(c[0]), f64::from(c[1]), people.len() as f64])
            .unwrap_or_else(|| vec![0.0; 3])
    };
    for k in PersonKind::ALL {
        t.row(k.as_str(), k.label(), row(Some(k)));
    }
    if counts.contains_key(&None) {
        t.row("unlisted", "未入人员库", row(None));
    }
    let attended: u32 = counts.values().map(|(c, _)| c[1]).sum();
    let two_and_one: u32 = [
        PersonKind::PartyDelegate,
        PersonKind::CongressDeputy,
        PersonKind::CppccMember,
    ]
    .into_iter()
    .filter_map(|k| counts.get(&Some(k)).map(|(c, _)| c[1]))
    .sum();
    t.note = format!(
        "出席 {attended} 人次，其中两代表一委员 {two_and_one} 人次（{} %）",
        number_text(percent(two_and_one, attended))
    );
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_a_histogram() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(10, 1)]), Some(10.0));
        assert_eq!(median(&[(10, 1), (20, 1)]), Some(15.0));
        assert_eq!(median(&[(10, 2), (20, 1)]), Some(10.0));
        assert_eq!(median(&[(1, 1), (5, 2), (9, 1)]), Some(5.0));
    }

    #[test]
    fn numbers_print_without_needless_decimals() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(66.7), "66.7");
        assert_eq!(number_text(0.0), "0");
    }

    #[test]
    fn scopes_split_the_states() {
        for s in CaseStatus::ALL {
            assert_ne!(
                StatsScope::Active.includes(s),
                StatsScope::Closed.includes(s)
            );
            assert!(StatsScope::All.includes(s));
        }
        assert!(StatsScope::Active.includes(CaseStatus::Reopened));
        assert!(!StatsScope::Active.includes(CaseStatus::Withdrawn));
    }
}
