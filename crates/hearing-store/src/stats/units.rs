//! 统计 per unit (各旗县区、各承办单位), for a period: what the 通报 reports and ranks, and what
//! 统计's 各单位 view shows — one pass over the period's cases, hearings and 三单 for every unit at
//! once, counting each figure as [`Store::statistics`] counts it for one org's subtree (a case is
//! a unit's when its owning org or its handling organ is in the unit; the same dates bound each
//! figure). A test compares each county's row with `statistics` filtered to that county.

use std::collections::{HashMap, HashSet};

use hearing_core::deliberation::Vote;
use hearing_core::period::Period;
use hearing_core::{CaseStatus, OrgKind};
use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{
    day_number, median, opt_text, percent, repeat_groups, slip_column, status_of, text,
    CLOSED_STATES, HELD,
};
use crate::{Result, Store, StoreError};

/// The figures of one unit for one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// 收案: registered in the period.
    pub received: u32,
    /// 结案: of those, no longer active.
    pub closed: u32,
    /// 办结率 in percent (one decimal); `None` when nothing was received.
    pub closure_rate: Option<f64>,
    /// Median days from registration to lawful closure, of the cases closed in the period.
    pub median_days: Option<f64>,
    /// Hearings held (已结束, 笔录已签) in the period.
    pub hearings_held: u32,
    /// Panel opinions in those hearings that differ from the hearing's majority.
    pub departing_opinions: u32,
    /// 三单 with their deadline in the period; finished on time; late or overdue unanswered.
    pub slips: u32,
    pub slips_on_time: u32,
    pub slips_overdue: u32,
    /// Petitioners with two or more of the cases received.
    pub repeat_petitioners: u32,
    /// Cases now 依法重启 (reopened), whenever registered.
    pub reopened: u32,
}

/// One unit's row: its figures, this period and the one before, and its rank by closure rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UnitRow {
    pub org_id: String,
    pub label: String,
    pub now: Figures,
    pub before: Figures,
    /// 1 = the highest closure rate; units that received nothing are ranked last.
    pub rank: u32,
    pub rank_before: u32,
    /// The rank's change in words, as the 通报, its workbook and the screens print it.
    pub change: String,
}

/// The rank's change from the period before, in words: ↑2, ↓1, 持平; 无 when the unit received
/// nothing then (no rank to compare with).
fn rank_change(rank: u32, rank_before: u32, before: &Figures) -> String {
    if before.received == 0 {
        return "无".to_owned();
    }
    match rank_before.cmp(&rank) {
        std::cmp::Ordering::Greater => format!("↑{}", rank_before - rank),
        std::cmp::Ordering::Less => format!("↓{}", rank - rank_before),
        std::cmp::Ordering::Equal => "持平".to_owned(),
    }
}

/// The units of an org subtree for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UnitReport {
    pub period: Period,
    pub previous: Period,
    pub org_id: String,
    pub org_name: String,
    /// The whole subtree.
    pub total: UnitRow,
    /// The committees right below the subtree's root, and the root's own level (本级), ranked.
    pub counties: Vec<UnitRow>,
    /// The handling organs (courts, procuratorates, police, justice bureaus) with any figure,
    /// ranked.
    pub organs: Vec<UnitRow>,
    /// The day what is overdue is judged on.
    pub today: String,
}

/// A unit: the org ids it covers.
struct Unit {
    id: String,
    label: String,
    orgs: HashSet<String>,
}

#[derive(Default)]
struct Acc {
    received: u32,
    closed: u32,
    closure_days: std::collections::BTreeMap<i64, u32>,
    hearings: u32,
    departing: u32,
    slips: u32,
    on_time: u32,
    overdue: u32,
    repeat: u32,
    reopened: u32,
}

impl Acc {
    fn figures(&self) -> Figures {
        let rows: Vec<(i64, u32)> = self.closure_days.iter().map(|(d, n)| (*d, *n)).collect();
        Figures {
            received: self.received,
            closed: self.closed,
            closure_rate: (self.received > 0).then(|| percent(self.closed, self.received)),
            median_days: median(&rows),
            hearings_held: self.hearings,
            departing_opinions: self.departing,
            slips: self.slips,
            slips_on_time: self.on_time,
            slips_overdue: self.overdue,
            repeat_petitioners: self.repeat,
            reopened: self.reopened,
        }
    }
}

/// The units each org is in (a unit covers a subtree, so an org is in it when the unit's root
/// is the org or above it).
fn membership(units: &[Unit]) -> HashMap<&str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for o in &u.orgs {
            out.entry(o.as_str()).or_default().push(i);
        }
    }
    out
}

/// The units of a case: those of its owning org and of its handling organ, once each.
fn case_units(m: &HashMap<&str, Vec<usize>>, org: &[u8], organ: &[u8], out: &mut Vec<usize>) {
    out.clear();
    for o in [org, organ] {
        if let Some(us) = std::str::from_utf8(o).ok().and_then(|o| m.get(o)) {
            for u in us {
                if !out.contains(u) {
                    out.push(*u);
                }
            }
        }
    }
}

/// Every figure of every unit for `period`, judged on `today`.
fn count(conn: &Connection, units: &[Unit], period: &Period, today: &str) -> Result<Vec<Figures>> {
    let m = membership(units);
    let mut acc: Vec<Acc> = units.iter().map(|_| Acc::default()).collect();
    let (from, to) = (period.from.as_str(), period.to.as_str());
    let mut us: Vec<usize> = Vec::new();
    // Cases received in the period, closed in it, or now reopened.
    let closed_in = super::status_in(CLOSED_STATES.into_iter());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.org_id, c.handling_organ_id, c.status, c.registered_on, c.closed_on,
            c.registered_on BETWEEN ?1 AND ?2
         FROM cases c
         WHERE c.registered_on BETWEEN ?1 AND ?2
            OR ({closed_in} AND c.closed_on BETWEEN ?1 AND ?2)
            OR c.status = ?3"
    ))?;
    let mut rows = stmt.query(rusqlite::params![from, to, CaseStatus::Reopened.as_str()])?;
    // The cases received in the period, with their units (for the repeat petitioners).
    let mut received: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    while let Some(r) = rows.next()? {
        case_units(&m, text(r, 1)?, text(r, 2)?, &mut us);
        if us.is_empty() {
            continue;
        }
        let status = status_of(text(r, 3)?);
        let in_period: bool = r.get(6)?;
        let registered = text(r, 4)?;
        let closed_on = opt_text(r, 5)?;
        let days = if CLOSED_STATES.contains(&status) {
            closed_on
                .filter(|d| *d >= from.as_bytes() && *d <= to.as_bytes())
                .and_then(|c| Some(day_number(c)? - day_number(registered)?))
        } else {
            None
        };
        for &u in &us {
            let a = &mut acc[u];
            if in_period {
                a.received += 1;
                if !status.is_active() {
                    a.closed += 1;
                }
            }
            if let Some(d) = days {
                *a.closure_days.entry(d).or_default() += 1;
            }
            if status == CaseStatus::Reopened {
                a.reopened += 1;
            }
        }
        if in_period {
            received.insert(text(r, 0)?.to_vec(), us.clone());
        }
    }

    // Hearings held in the period, and the opinions departing from each one's majority.
    let held = HELD.map(|s| format!("'{}'", s.as_str())).join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT h.id, c.org_id, c.handling_organ_id FROM hearings h JOIN cases c ON c.id = h.case_id
         WHERE h.scheduled_on BETWEEN ?1 AND ?2 AND h.status IN ({held})"
    ))?;
    let mut rows = stmt.query([from, to])?;
    let mut hearing_units: HashMap<String, Vec<usize>> = HashMap::new();
    while let Some(r) = rows.next()? {
        case_units(&m, text(r, 1)?, text(r, 2)?, &mut us);
        if us.is_empty() {
            continue;
        }
        for &u in &us {
            acc[u].hearings += 1;
        }
        hearing_units.insert(
            String::from_utf8_lossy(text(r, 0)?).into_owned(),
            us.clone(),
        );
    }
    if !hearing_units.is_empty() {
        let ids: super::Array = std::rc::Rc::new(
            hearing_units
                .keys()
                .map(|k| SqlValue::Text(k.clone()))
                .collect(),
        );
        let mut stmt = conn.prepare_cached(
            "SELECT o.hearing_id, sum(o.vote = 'agree'), sum(o.vote = 'disagree'), count(*)
             FROM opinions o WHERE o.hearing_id IN rarray(?1) GROUP BY o.hearing_id",
        )?;
        let mut rows = stmt.query([ids])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let n = |i: usize| -> rusqlite::Result<u32> {
                Ok(u32::try_from(r.get::<_, Option<i64>>(i)?.unwrap_or(0)).unwrap_or(0))
            };
            let (agree, disagree, all) = (n(1)?, n(2)?, n(3)?);
            let other = all.saturating_sub(agree + disagree);
            let departing = match super::majority_of([agree, disagree, other]) {
                Some(Vote::Agree) => all - agree,
                Some(Vote::Disagree) => all - disagree,
                Some(Vote::Other) => all - other,
                None => 0,
            };
            for &u in hearing_units.get(&id).into_iter().flatten() {
                acc[u].departing += departing;
            }
        }
    }

    // 三单 with their deadline in the period.
    let mut stmt = conn.prepare_cached(
        "SELECT c.org_id, c.handling_organ_id, s.status, s.deadline,
                COALESCE((SELECT MAX(f.answered_on) FROM slip_feedback f WHERE f.slip_id = s.id),
                         s.done_on),
                EXISTS (SELECT 1 FROM slip_feedback f WHERE f.slip_id = s.id AND f.round = s.round)
         FROM supervision_slips s JOIN cases c ON c.id = s.case_id
         WHERE s.deadline BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([from, to])?;
    let done = hearing_core::supervision::SlipStatus::Done
        .as_str()
        .as_bytes();
    while let Some(r) = rows.next()? {
        case_units(&m, text(r, 0)?, text(r, 1)?, &mut us);
        let column = slip_column(
            text(r, 2)? == done,
            text(r, 3)?,
            opt_text(r, 4)?,
            r.get(5)?,
            today.as_bytes(),
        );
        for &u in &us {
            let a = &mut acc[u];
            a.slips += 1;
            match column {
                0 => a.on_time += 1,
                1 | 3 => a.overdue += 1,
                _ => {}
            }
        }
    }

    // Repeat petitioners: a group counts for a unit when two of its cases received in the
    // period are the unit's.
    for g in repeat_groups(conn)? {
        let mut per_unit: HashMap<usize, u32> = HashMap::new();
        for e in &g {
            for &u in received.get(e.case_id.as_bytes()).into_iter().flatten() {
                *per_unit.entry(u).or_default() += 1;
            }
        }
        for (u, n) in per_unit {
            if n > 1 {
                acc[u].repeat += 1;
            }
        }
    }
    Ok(acc.iter().map(Acc::figures).collect())
}

/// Ranks by closure rate, highest first; equal rates share a rank (并列: 1, 1, 3) and are listed
/// by cases received, more first; nothing received ranks last, together. Returns the 1-based rank
/// of each index.
fn ranks(figures: &[&Figures]) -> Vec<u32> {
    let rate = |f: &Figures| f.closure_rate.unwrap_or(-1.0);
    let mut order: Vec<usize> = (0..figures.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (figures[a], figures[b]);
        rate(fb)
            .total_cmp(&rate(fa))
            .then(fb.received.cmp(&fa.received))
    });
    let mut out = vec![0; figures.len()];
    let mut last: Option<(f64, u32)> = None;
    for (n, i) in order.into_iter().enumerate() {
        let r = rate(figures[i]);
        let rank = match last {
            Some((lr, lrank)) if lr == r => lrank,
            _ => n as u32 + 1,
        };
        out[i] = rank;
        last = Some((r, rank));
    }
    out
}

/// The id suffix of the unit of a subtree root's own level (本级).
pub const OWN_LEVEL: &str = "#own";

impl Store {
    /// The figures of `period` and the period before for the subtree of `org_id` (this desk's
    /// org when `None`, else the root of the org tree): in total, per committee right below its root (and the root's
    /// own level), per handling organ; ranked by closure rate.
    pub fn unit_report(&self, period: &Period, org_id: Option<&str>) -> Result<UnitReport> {
        let conn = self.conn();
        let orgs = crate::orgs::list(conn)?;
        let root = match org_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => orgs
                .iter()
                .find(|o| o.id == id || o.code == id)
                .ok_or_else(|| StoreError::not_found("单位", id))?,
            // This desk's org (a county's desk reports on its own county), else the tree's root.
            None => crate::orgs::desk_org_or_root(conn, &orgs)?
                .ok_or_else(|| StoreError::not_found("单位", "（根单位）"))?,
        };
        let children = |id: &str| -> Vec<&hearing_core::org::Org> {
            orgs.iter()
                .filter(|o| o.parent_id.as_deref() == Some(id))
                .collect()
        };
        let subtree = |id: &str| crate::orgs::subtree(&orgs, id);
        let all = subtree(&root.id);
        let mut units = vec![Unit {
            id: root.id.clone(),
            label: "合计".to_owned(),
            orgs: all.clone(),
        }];
        // The committees right below the root, and what is left: the root's own level.
        let committees: Vec<&hearing_core::org::Org> = children(&root.id)
            .into_iter()
            .filter(|o| o.kind == OrgKind::Committee)
            .collect();
        let mut own = all.clone();
        for c in &committees {
            let sub = subtree(&c.id);
            own.retain(|o| !sub.contains(o));
            units.push(Unit {
                id: c.id.clone(),
                label: c.short_name.clone(),
                orgs: sub,
            });
        }
        let county_count = committees.len();
        if county_count > 0 {
            units.push(Unit {
                id: format!("{}{OWN_LEVEL}", root.id),
                label: format!("{}（本级）", root.short_name),
                orgs: own,
            });
        }
        let county_end = units.len();
        for o in orgs.iter().filter(|o| {
            all.contains(&o.id)
                && matches!(
                    o.kind,
                    OrgKind::Court
                        | OrgKind::Procuratorate
                        | OrgKind::PublicSecurity
                        | OrgKind::JusticeBureau
                )
        }) {
            units.push(Unit {
                id: o.id.clone(),
                label: o.short_name.clone(),
                orgs: HashSet::from([o.id.clone()]),
            });
        }
        let today = self.today().format("%Y-%m-%d").to_string();
        let previous = period.previous();
        let (before, now) = self.in_parallel(
            |r| count(r, &units, &previous, &today),
            |c| count(c, &units, period, &today),
        )?;
        let row = |i: usize, rank: u32, rank_before: u32| UnitRow {
            org_id: units[i].id.clone(),
            label: units[i].label.clone(),
            now: now[i].clone(),
            before: before[i].clone(),
            rank,
            rank_before,
            change: rank_change(rank, rank_before, &before[i]),
        };
        let ranked = |range: std::ops::Range<usize>, keep_empty: bool| -> Vec<UnitRow> {
            let idx: Vec<usize> = range
                .filter(|&i| {
                    keep_empty || now[i] != Figures::default() || before[i] != Figures::default()
                })
                .collect();
            let r_now = ranks(&idx.iter().map(|&i| &now[i]).collect::<Vec<_>>());
            let r_before = ranks(&idx.iter().map(|&i| &before[i]).collect::<Vec<_>>());
            let mut order: Vec<usize> = (0..idx.len()).collect();
            order.sort_by(|&a, &b| {
                r_now[a]
                    .cmp(&r_now[b])
                    .then(now[idx[b]].received.cmp(&now[idx[a]].received))
            });
            let rows: Vec<UnitRow> = order
                .into_iter()
                .map(|k| row(idx[k], r_now[k], r_before[k]))
                .collect();
            rows
        };
        let counties = ranked(1..county_end, true);
        let organs = ranked(county_end..units.len(), false);
        Ok(UnitReport {
            period: period.clone(),
            previous,
            org_id: root.id.clone(),
            org_name: root.name.clone(),
            total: row(0, 1, 1),
            counties,
            organs,
            today,
        })
    }
}
