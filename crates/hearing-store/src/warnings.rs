//! Early warnings (预警) for the 工作台: deadlines approaching or passed, repeat and group
//! petitions, cases reopened, closed cases whose follow-up visit is due. Each warning names its
//! case so the screen can link to it.
//!
//! The dates come from the register itself (DOMAIN.md §3 time limits, 三单 deadlines, the
//! hearing's notice period from its configuration version); the spans the register does not hold
//! are [`WarningRules`] with documented defaults. Only active cases get deadline warnings — closed
//! matters are no longer assigned or reported (不再统计、交办、通报) — except what closure itself
//! starts: serving the closure decision and the locality's follow-up visits.
//!
//! The date is a parameter, so tests run on a fixed clock. Not here: statistics
//! ([`crate::stats`]).

use std::collections::HashMap;
use std::rc::Rc;

use chrono::{Duration, NaiveDate};
use hearing_core::hearing::{HearingStatus, ParticipantRole};
use hearing_core::supervision::{FollowupKind, SlipKind, SlipStatus};
use hearing_core::{validate, CaseAction, CaseStatus};
use rusqlite::types::Value;
use rusqlite::vtab::array::Array;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::stats::status_in;
use crate::{Result, Store};

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum WarningKind {
    /// 办理期限: an active case past (or near) its handling time limit.
    HandlingLimit,
    /// 听证通知: a party's notice (or the public announcement) not out in time for the hearing.
    HearingNotice,
    /// 终结送达: a closure decision not yet served.
    ConclusionService,
    /// 三单督办: an open 交办单/督办单/反馈单 near or past its deadline.
    SupervisionSlip,
    /// 领导包案: the two leaders have not both confirmed (双销账) in time.
    LeaderAssignment,
    /// 重复信访: the petitioner has other cases.
    RepeatPetition,
    /// 群体信访: many petitioners on one case.
    GroupPetition,
    /// 依法重启: a closed case reopened.
    Reopened,
    /// 终结回访: a closed case whose follow-up visit is due.
    FollowupDue,
}

impl WarningKind {
    pub const ALL: [WarningKind; 9] = [
        Self::HandlingLimit,
        Self::HearingNotice,
        Self::ConclusionService,
        Self::SupervisionSlip,
        Self::LeaderAssignment,
        Self::RepeatPetition,
        Self::GroupPetition,
        Self::Reopened,
        Self::FollowupDue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::HandlingLimit => "handlingLimit",
            Self::HearingNotice => "hearingNotice",
            Self::ConclusionService => "conclusionService",
            Self::SupervisionSlip => "supervisionSlip",
            Self::LeaderAssignment => "leaderAssignment",
            Self::RepeatPetition => "repeatPetition",
            Self::GroupPetition => "groupPetition",
            Self::Reopened => "reopened",
            Self::FollowupDue => "followupDue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::HandlingLimit => "办理期限",
            Self::HearingNotice => "听证通知",
            Self::ConclusionService => "终结送达",
            Self::SupervisionSlip => "三单督办",
            Self::LeaderAssignment => "领导包案",
            Self::RepeatPetition => "重复信访",
            Self::GroupPetition => "群体信访",
            Self::Reopened => "依法重启",
            Self::FollowupDue => "终结回访",
        }
    }
}

/// How urgent: past the date, near it, or something to keep an eye on (no date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// 逾期
    Overdue,
    /// 临期
    Approaching,
    /// 关注
    Attention,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Overdue => "逾期",
            Self::Approaching => "临期",
            Self::Attention => "关注",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub kind: WarningKind,
    pub severity: Severity,
    /// The whole warning in Chinese, dates and days included.
    pub message: String,
    /// YYYY-MM-DD; `None` for warnings without a date (repeat, group, reopened).
    pub due_on: Option<String>,
    /// Days from today to the due date: positive left, 0 due today, negative overdue.
    pub days_left: Option<i32>,
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    /// The slip or hearing the warning is about, when it is about one.
    pub subject_id: Option<String>,
}

/// The spans the register does not hold, with their defaults (DOMAIN.md §3 where it says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WarningRules {
    /// A deadline this many days away or nearer is 临期 (default 7).
    pub approach_days: u32,
    /// 信访事项办理期限 from registration (or from reopening): 60 days; the 30-day extension is
    /// not recorded in the register, so it is not assumed (default 60).
    pub handling_days: u32,
    /// The closure decision is served within 20 days of the decision (10 when decided on the
    /// spot; the longer one is the default).
    pub service_days: u32,
    /// 领导包案 is to be resolved and signed off by both leaders (双销账) within this many days
    /// of the assignment (default 90).
    pub leader_days: u32,
    /// The locality visits a closed case every this many days (default 90) …
    pub followup_interval_days: u32,
    /// … during this many days after closure (default 365).
    pub followup_window_days: u32,
    /// A case with at least this many petitioners is a group petition (default 5).
    pub group_min_petitioners: u32,
}

impl Default for WarningRules {
    fn default() -> Self {
        WarningRules {
            approach_days: 7,
            handling_days: 60,
            service_days: 20,
            leader_days: 90,
            followup_interval_days: 90,
            followup_window_days: 365,
            group_min_petitioners: 5,
        }
    }
}

/// How many warnings of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WarningCounts {
    pub overdue: u32,
    pub approaching: u32,
    pub attention: u32,
}

pub fn counts(list: &[Warning]) -> WarningCounts {
    let mut c = WarningCounts::default();
    for w in list {
        match w.severity {
            Severity::Overdue => c.overdue += 1,
            Severity::Approaching => c.approaching += 1,
            Severity::Attention => c.attention += 1,
        }
    }
    c
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn days(n: u32) -> Duration {
    Duration::days(i64::from(n))
}

/// "已逾期 3 日" / "今日到期" / "还剩 5 日".
fn when(days_left: i64) -> String {
    match days_left {
        d if d < 0 => format!("已逾期 {} 日", -d),
        0 => "今日到期".to_owned(),
        d => format!("还剩 {d} 日"),
    }
}

/// The case a warning links to.
struct CaseRef {
    id: String,
    number: String,
    title: String,
}

impl CaseRef {
    /// The case's id, number and title in columns `i`, `i + 1`, `i + 2` of a row.
    fn at(r: &rusqlite::Row, i: usize) -> rusqlite::Result<CaseRef> {
        Ok(CaseRef {
            id: r.get(i)?,
            number: r.get(i + 1)?,
            title: r.get(i + 2)?,
        })
    }
}

struct Builder<'a> {
    today: NaiveDate,
    rules: &'a WarningRules,
    out: Vec<Warning>,
}

impl Builder<'_> {
    /// A deadline warning when `due` is past or within the approach window; nothing otherwise.
    fn deadline(
        &mut self,
        kind: WarningKind,
        case: CaseRef,
        due: NaiveDate,
        subject: Option<String>,
        message: impl FnOnce(&str) -> String,
    ) {
        let left = (due - self.today).num_days();
        if left > i64::from(self.rules.approach_days) {
            return;
        }
        let severity = if left < 0 {
            Severity::Overdue
        } else {
            Severity::Approaching
        };
        self.out.push(Warning {
            kind,
            severity,
            message: message(&when(left)),
            due_on: Some(ymd(due)),
            days_left: Some(i32::try_from(left).unwrap_or(if left < 0 {
                i32::MIN
            } else {
                i32::MAX
            })),
            case_id: case.id,
            case_number: case.number,
            case_title: case.title,
            subject_id: subject,
        });
    }

    fn attention(&mut self, kind: WarningKind, case: CaseRef, message: String) {
        self.out.push(Warning {
            kind,
            severity: Severity::Attention,
            message,
            due_on: None,
            days_left: None,
            case_id: case.id,
            case_number: case.number,
            case_title: case.title,
            subject_id: None,
        });
    }
}

fn date(s: &str) -> Option<NaiveDate> {
    validate::date(s)
}

impl Store {
    /// The warnings on `today` with the default [`WarningRules`], most urgent first: overdue
    /// (longest overdue first), approaching (nearest first), then the rest.
    pub fn warnings(&self, today: NaiveDate) -> Result<Vec<Warning>> {
        self.warnings_with(today, &WarningRules::default())
    }

    pub fn warnings_with(&self, today: NaiveDate, rules: &WarningRules) -> Result<Vec<Warning>> {
        // Two cores: these on the statistics' second, read-only connection (WAL: the same
        // committed state) while the store's own connection reads the rest.
        self.warnings_of(
            today,
            rules,
            &[repeat_petitions, followups, reopened],
            &[
                handling_limits,
                hearing_notices,
                conclusion_service,
                slips,
                leader_assignments,
                group_petitions,
            ],
        )
    }

    /// What a case conference (会商研判) looks at when it proposes its agenda, with the default
    /// rules: the handling limits, the 三单, the repeat petitioners and the reopened cases — the
    /// same warnings as [`Store::warnings`], of these kinds only.
    pub fn conference_warnings(&self, today: NaiveDate) -> Result<Vec<Warning>> {
        self.warnings_of(
            today,
            &WarningRules::default(),
            &[repeat_petitions, reopened],
            &[handling_limits, slips],
        )
    }

    /// The warnings of the parts `side` (on the second connection) and `main`, most urgent first.
    fn warnings_of(
        &self,
        today: NaiveDate,
        rules: &WarningRules,
        side: &[Part],
        main: &[Part],
    ) -> Result<Vec<Warning>> {
        let run = |conn: &Connection, parts: &[Part]| -> Result<Vec<Warning>> {
            let mut b = Builder {
                today,
                rules,
                out: Vec::new(),
            };
            for part in parts {
                part(conn, &mut b)?;
            }
            Ok(b.out)
        };
        let (more, mut out) = self.in_parallel(|r| run(r, side), |conn| run(conn, main))?;
        out.extend(more);
        out.sort_by(|a, b| {
            a.severity
                .cmp(&b.severity)
                .then(a.days_left.cmp(&b.days_left))
                .then(a.case_number.cmp(&b.case_number))
                .then(a.kind.as_str().cmp(b.kind.as_str()))
        });
        Ok(out)
    }
}

/// One kind of warning, read from a connection.
type Part = fn(&Connection, &mut Builder) -> Result<()>;

fn active_sql() -> String {
    status_in(CaseStatus::ALL.into_iter().filter(|s| s.is_active()))
}

/// Active cases: 60 days from registration; a reopened case from its reopening (the audit
/// event of 依法重启; a case reopened on another desk: its last change).
fn handling_limits(conn: &Connection, b: &mut Builder) -> Result<()> {
    let handling = b.rules.handling_days;
    // Registered on or before this day: the deadline is at most `approach_days` away.
    let cutoff = ymd(b.today - days(handling) + days(b.rules.approach_days));
    let not_reopened = status_in(
        CaseStatus::ALL
            .into_iter()
            .filter(|s| s.is_active() && *s != CaseStatus::Reopened),
    );
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.number, c.title, c.registered_on FROM cases c
         WHERE {not_reopened} AND c.registered_on <= ?1"
    ))?;
    let rows = stmt
        .query_map([&cutoff], |r| {
            Ok((CaseRef::at(r, 0)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, registered) in rows {
        let Some(start) = date(&registered) else {
            continue;
        };
        let due = start + days(handling);
        b.deadline(WarningKind::HandlingLimit, case, due, None, |w| {
            format!(
                "办理期限 {handling} 日：{registered} 登记，应于 {} 前办结，{w}",
                ymd(due)
            )
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.number, c.title,
                coalesce((SELECT date(max(a.at), '+8 hours') FROM audit_events a
                          WHERE a.case_id = c.id AND a.action = ?1),
                         date(c.updated_at, '+8 hours'))
         FROM cases c WHERE c.status = ?2",
    )?;
    let rows = stmt
        .query_map(
            params![CaseAction::Reopen.label(), CaseStatus::Reopened.as_str()],
            |r| Ok((CaseRef::at(r, 0)?, r.get::<_, Option<String>>(3)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, reopened) in rows {
        let Some(start) = reopened.as_deref().and_then(date) else {
            continue;
        };
        let due = start + days(handling);
        b.deadline(WarningKind::HandlingLimit, case, due, None, |w| {
            format!(
                "依法重启后办理期限 {handling} 日：{} 重启，应于 {} 前办结，{w}",
                ymd(start),
                ymd(due)
            )
        });
    }
    Ok(())
}

/// Hearings not yet held: each party (信访人, 代理人, 第三方) must be served the notice, and a
/// public hearing's announcement published, the hearing's notice period before the date.
fn hearing_notices(conn: &Connection, b: &mut Builder) -> Result<()> {
    let pending = [
        HearingStatus::Preparing,
        HearingStatus::Notified,
        HearingStatus::Postponed,
    ]
    .map(|s| format!("'{}'", s.as_str()))
    .join(", ");
    let parties = [
        ParticipantRole::Petitioner,
        ParticipantRole::Agent,
        ParticipantRole::ThirdParty,
    ]
    .map(|s| format!("'{}'", s.as_str()))
    .join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT h.id, c.id, c.number, c.title, h.title, h.scheduled_on, h.public,
                h.announcement_published_on IS NOT NULL,
                coalesce(json_extract(v.config, '$.noticeDays'), 7),
                (SELECT group_concat(p.name, '、') FROM participants p
                 WHERE p.hearing_id = h.id AND p.role IN ({parties}) AND p.notice_served_on IS NULL)
         FROM hearings h JOIN cases c INDEXED BY cases_ref ON c.id = h.case_id
              LEFT JOIN config_versions v ON v.version = h.config_version
         WHERE h.status IN ({pending}) AND {}",
        active_sql()
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                CaseRef::at(r, 1)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (hearing_id, case, title, scheduled, public, announced, notice_days, unserved) in rows {
        let Some(on) = date(&scheduled) else {
            continue;
        };
        let mut missing = Vec::new();
        if let Some(names) = unserved.filter(|n| !n.is_empty()) {
            missing.push(format!("{names} 的听证通知尚未送达"));
        }
        if public && !announced {
            missing.push("听证公告尚未发布".to_owned());
        }
        if missing.is_empty() {
            continue;
        }
        let due = on - Duration::days(notice_days.max(0));
        b.deadline(
            WarningKind::HearingNotice,
            case,
            due,
            Some(hearing_id),
            |w| {
                format!(
                "“{title}”定于 {scheduled} 举行，通知须于 {notice_days} 日前（{} 前）送达：{}，{w}",
                ymd(due),
                missing.join("；")
            )
            },
        );
    }
    Ok(())
}

/// 已终结 but not served: the decision is to be served within `service_days` of the closure.
fn conclusion_service(conn: &Connection, b: &mut Builder) -> Result<()> {
    let n = b.rules.service_days;
    let cutoff = ymd(b.today - days(n) + days(b.rules.approach_days));
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.number, c.title, c.closed_on FROM cases c
         WHERE c.status = ?1 AND c.served_on IS NULL AND c.closed_on IS NOT NULL AND c.closed_on <= ?2",
    )?;
    let rows = stmt
        .query_map(params![CaseStatus::Closed.as_str(), cutoff], |r| {
            Ok((CaseRef::at(r, 0)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, closed) in rows {
        let Some(start) = date(&closed) else {
            continue;
        };
        let due = start + days(n);
        b.deadline(WarningKind::ConclusionService, case, due, None, |w| {
            format!(
                "终结决定须于终结后 {n} 日内送达：{closed} 终结，应于 {} 前送达，{w}",
                ymd(due)
            )
        });
    }
    Ok(())
}

/// 三单 of active cases still awaiting the receiving org's 反馈 (this round), on the issuer's
/// desk and the receiver's alike.
fn slips(conn: &Connection, b: &mut Builder) -> Result<()> {
    let cutoff = ymd(b.today + days(b.rules.approach_days));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.id, c.id, c.number, c.title, s.kind, s.from_unit, s.to_unit, s.content, s.deadline,
                s.number
         FROM supervision_slips s JOIN cases c INDEXED BY cases_ref ON c.id = s.case_id
         WHERE s.status = ?1 AND s.deadline <= ?2
           AND NOT EXISTS (SELECT 1 FROM slip_feedback f WHERE f.slip_id = s.id AND f.round = s.round)
           AND {}",
        active_sql()
    ))?;
    let rows = stmt
        .query_map(params![SlipStatus::Open.as_str(), cutoff], |r| {
            Ok((
                r.get::<_, String>(0)?,
                CaseRef::at(r, 1)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, case, kind, from, to, content, deadline, number) in rows {
        let Some(due) = date(&deadline) else {
            continue;
        };
        let kind = SlipKind::parse(&kind).unwrap_or(SlipKind::Assign);
        let content: String = if content.chars().count() > 30 {
            content.chars().take(30).chain(['…']).collect()
        } else {
            content
        };
        b.deadline(WarningKind::SupervisionSlip, case, due, Some(id), |w| {
            format!(
                "{}{number}（{from} → {to}）限 {deadline} 前反馈：{content}，{w}",
                kind.label()
            )
        });
    }
    Ok(())
}

/// 领导包案 of active cases that both leaders have not yet confirmed (双销账).
fn leader_assignments(conn: &Connection, b: &mut Builder) -> Result<()> {
    let n = b.rules.leader_days;
    let cutoff = ymd(b.today - days(n) + days(b.rules.approach_days));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.number, c.title, l.leader_a, l.leader_b, l.confirmed_a + l.confirmed_b,
                date(l.created_at, '+8 hours')
         FROM leader_assignments l JOIN cases c ON c.id = l.case_id
         WHERE NOT (l.confirmed_a AND l.confirmed_b) AND date(l.created_at, '+8 hours') <= ?1 AND {}",
        active_sql()
    ))?;
    let rows = stmt
        .query_map([&cutoff], |r| {
            Ok((
                CaseRef::at(r, 0)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, a, bb, confirmed, since) in rows {
        let Some(start) = date(&since) else {
            continue;
        };
        let due = start + days(n);
        b.deadline(WarningKind::LeaderAssignment, case, due, None, |w| {
            format!(
                "领导包案（{a}、{bb}）自 {since} 起 {n} 日内应包案化解并双销账，已销账 {confirmed} 人，应于 {} 前完成，{w}",
                ymd(due)
            )
        });
    }
    Ok(())
}

/// Repeat petitions (重复信访): active cases whose petitioner has other cases (any state).
fn repeat_petitions(conn: &Connection, b: &mut Builder) -> Result<()> {
    // Only the groups with an active case warn: the others are left before their cases are
    // looked up (at 100k cases, three in four of them).
    let active: crate::stats::FastSet<String> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.id FROM cases c INDEXED BY cases_status_ref WHERE {}",
            active_sql()
        ))?;
        let mut rows = stmt.query([])?;
        let mut set = crate::stats::FastSet::default();
        while let Some(r) = rows.next()? {
            set.insert(r.get(0)?);
        }
        set
    };
    let groups: Vec<_> = crate::stats::repeat_groups(conn)?
        .into_iter()
        .filter(|g| g.iter().any(|e| active.contains(&e.case_id)))
        .collect();
    let mut cases: HashMap<String, (String, String, CaseStatus)> = HashMap::new();
    {
        // Every case of the groups in one statement.
        let ids: Array = Rc::new(
            groups
                .iter()
                .flatten()
                .map(|e| Value::Text(e.case_id.clone()))
                .collect(),
        );
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, number, title, status FROM cases INDEXED BY cases_ref WHERE id IN rarray(?1)",
            )?;
        let mut rows = stmt.query([ids])?;
        while let Some(r) = rows.next()? {
            let status: String = r.get(3)?;
            cases.insert(
                r.get(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
                ),
            );
        }
    }
    for group in &groups {
        let mut numbers: Vec<&str> = group
            .iter()
            .filter_map(|e| cases.get(&e.case_id).map(|c| c.0.as_str()))
            .collect();
        numbers.sort_unstable();
        for e in group {
            let Some((number, title, status)) = cases.get(&e.case_id) else {
                continue;
            };
            if !status.is_active() {
                continue;
            }
            let others: Vec<&str> = numbers.iter().copied().filter(|n| n != number).collect();
            b.attention(
                WarningKind::RepeatPetition,
                CaseRef {
                    id: e.case_id.clone(),
                    number: number.clone(),
                    title: title.clone(),
                },
                format!(
                    "信访人 {} 共有 {} 件信访事项，另有：{}",
                    e.name,
                    group.len(),
                    others.join("、")
                ),
            );
        }
    }
    Ok(())
}

/// Group petitions (群体信访): active cases with many petitioners.
fn group_petitions(conn: &Connection, b: &mut Builder) -> Result<()> {
    // Counted per active case from the petitioners' key (no row read); the names of the few
    // group petitions only.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.number, c.title, g.n,
                (SELECT group_concat(p.name, '、') FROM petitioners p WHERE p.case_id = g.id)
         FROM (SELECT c.id AS id, (SELECT count(*) FROM petitioners p WHERE p.case_id = c.id) AS n
               FROM cases c WHERE {}) g
         JOIN cases c ON c.id = g.id WHERE g.n >= ?1",
        active_sql()
    ))?;
    let rows = stmt
        .query_map([b.rules.group_min_petitioners], |r| {
            Ok((
                CaseRef::at(r, 0)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, n, names) in rows {
        b.attention(
            WarningKind::GroupPetition,
            case,
            format!("群体信访：信访人 {n} 名（{names}），须推选不超过 5 名代表"),
        );
    }
    Ok(())
}

fn reopened(conn: &Connection, b: &mut Builder) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.number, c.title, c.status_reason FROM cases c WHERE c.status = ?1",
    )?;
    let rows = stmt
        .query_map([CaseStatus::Reopened.as_str()], |r| {
            Ok((CaseRef::at(r, 0)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, reason) in rows {
        let message = if reason.trim().is_empty() {
            "已终结案件依法重启，重新进入办理".to_owned()
        } else {
            format!("已终结案件依法重启，重新进入办理：{reason}")
        };
        b.attention(WarningKind::Reopened, case, message);
    }
    Ok(())
}

/// Closed cases (已终结、已送达、已备案): the locality's contact (交接、回访、帮扶、疏导) every
/// `followup_interval_days`, during `followup_window_days` after closure. A case without a
/// closure date on record (served or filed elsewhere) starts at its service or filing date.
fn followups(conn: &Connection, b: &mut Builder) -> Result<()> {
    let r = b.rules;
    let earliest = ymd(b.today - days(r.followup_window_days));
    // The visit counts from the later of the closure and the last visit (`since`); it warns
    // when since + interval is at most `approach_days` away and still inside the window. SQL
    // drops the cases that cannot warn before their rows are read (the closure date and the
    // last visit come from indexes: cases_closure_date, followups_case_kind); Rust decides the rest.
    let since_latest = ymd(b.today + days(r.approach_days) - days(r.followup_interval_days));
    let in_window = format!(
        "{:+} days",
        i64::from(r.followup_window_days) - i64::from(r.followup_interval_days)
    );
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.number, c.title, closed,
                (SELECT f.on_date || '|' || f.kind FROM followups f WHERE f.case_id = c.id
                 ORDER BY f.on_date DESC LIMIT 1)
         FROM (SELECT c.id AS id, coalesce(c.closed_on, c.served_on, c.filed_on) AS closed,
                      max(coalesce(c.closed_on, c.served_on, c.filed_on),
                          coalesce((SELECT max(f.on_date) FROM followups f WHERE f.case_id = c.id),
                                   '')) AS since
               FROM cases c
               WHERE {} AND coalesce(c.closed_on, c.served_on, c.filed_on) >= ?1) k
         JOIN cases c INDEXED BY cases_ref ON c.id = k.id
         WHERE k.since <= ?2 AND k.since <= date(k.closed, ?3)",
        status_in([CaseStatus::Closed, CaseStatus::Served, CaseStatus::Filed].into_iter())
    ))?;
    let rows = stmt
        .query_map(params![earliest, since_latest, in_window], |r| {
            Ok((
                CaseRef::at(r, 0)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case, closed, last) in rows {
        let Some(closed_on) = date(&closed) else {
            continue;
        };
        let last = last.and_then(|l| {
            let (d, k) = l.split_once('|')?;
            Some((
                date(d)?,
                FollowupKind::parse(k).unwrap_or(FollowupKind::Visit),
            ))
        });
        let since = last.map(|(d, _)| d).unwrap_or(closed_on).max(closed_on);
        let due = since + days(r.followup_interval_days);
        if due > closed_on + days(r.followup_window_days) {
            continue;
        }
        let before = match last {
            Some((d, k)) => format!("上次{}于 {}", k.label(), ymd(d)),
            None => "终结后尚无回访记录".to_owned(),
        };
        let interval = r.followup_interval_days;
        b.deadline(WarningKind::FollowupDue, case, due, None, |w| {
            format!(
                "已终结案件须每 {interval} 日回访（{closed} 终结），{before}，应于 {} 前回访，{w}",
                ymd(due)
            )
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_days() {
        assert_eq!(when(-3), "已逾期 3 日");
        assert_eq!(when(0), "今日到期");
        assert_eq!(when(5), "还剩 5 日");
    }

    #[test]
    fn severities_sort_overdue_first() {
        assert!(Severity::Overdue < Severity::Approaching);
        assert!(Severity::Approaching < Severity::Attention);
        assert_eq!(WarningKind::ALL.len(), 9);
    }
}
