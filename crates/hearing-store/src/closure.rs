//! The case side of the workflow: guarded case transitions (`hearing_core::case_flow`), the
//! closure approval chain, 领导包案 with its 五双 sign-offs, 三单 supervision slips, 逢访必查
//! visit reviews and the after-closure follow-up log.

use hearing_core::access::Permission;
use hearing_core::case_flow::{self, CaseAction, CaseFacts, DualSignFacts};
use hearing_core::config::{ApprovalLevel, Decider, JurisdictionConfig};
use hearing_core::org::{Org, OrgKind};
use hearing_core::plan::{ActionInput, ApprovalInput};
use hearing_core::rules::Refusal;
use hearing_core::supervision::{FollowupKind, LeaderAssignmentInput, VisitOutcome};
use hearing_core::{text, validate, Case, CaseStatus};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

pub use crate::inbox::InboxItem;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalStep {
    pub id: String,
    pub level_key: String,
    pub level_title: String,
    pub approver: String,
    pub opinion: String,
    pub approved: bool,
    pub decided_on: String,
    pub created_at: String,
    /// The org that decides at this level (`None`: the handling organ, or a decision recorded
    /// before deciders were configured) and its name.
    pub decider_org_id: Option<String>,
    pub decider_org_name: Option<String>,
    /// 代录: typed on a desk of another org, from the deciding org's paper decision.
    pub proxy: bool,
    /// The request (提请终结审批) it answers, counted from 1 (0: before requests were counted).
    pub round: u32,
}

/// One level of the configured chain and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ChainLevel {
    pub key: String,
    pub title: String,
    pub required: bool,
    /// Who decides at this level, and for this case which org that is.
    pub decided_by: Decider,
    pub decider: Deciding,
    /// The latest decision at this level, if any.
    pub step: Option<ApprovalStep>,
}

/// Which org decides one level of a case's chain, as the tree stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Entry {
    /// This desk is the deciding org's: the decision is its own.
    Own,
    /// A desk of another org working alone: typed here from the paper decision, as 代录.
    Proxy,
    /// A desk of another org enrolled with the sync server: the deciding org decides on its own
    /// desk and the decision arrives by sync; nothing can be entered here.
    Elsewhere,
}

/// This desk as the ownership rules see it: its org, and whether it is enrolled with the sync
/// server (then only its own org's records are entered here).
pub(crate) struct Desk {
    pub org: Option<String>,
    pub enrolled: bool,
}

impl Desk {
    pub(crate) fn of(conn: &Connection) -> Result<Desk> {
        Ok(Desk {
            org: crate::meta_get(conn, "org_id")?,
            enrolled: crate::meta_get(conn, "sync_token")?.is_some(),
        })
    }

    /// How this desk may enter a record of `org`: its own, as 代录 (working alone), or not at
    /// all (enrolled: that org's desk makes it).
    pub(crate) fn entry(&self, org: &str) -> Entry {
        if self.org.as_deref() == Some(org) {
            Entry::Own
        } else if self.enrolled {
            Entry::Elsewhere
        } else {
            Entry::Proxy
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum Deciding {
    /// The handling organ itself: decided where the case is handled.
    HandlingOrgan,
    /// This org, and how a decision of it may be entered on this desk.
    Org {
        org_id: String,
        org_name: String,
        entry: Entry,
    },
    /// No org of the tree fits (no 政法委 above the organ, a named org that is gone): the level
    /// cannot be decided until the chain or the tree is changed. The reason, in words.
    Missing { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LeaderAssignment {
    pub leader_a: String,
    pub leader_a_title: String,
    pub leader_b: String,
    pub leader_b_title: String,
    pub problem_list: String,
    pub responsibility_list: String,
    /// 双销账: each leader confirms before the case leaves the ledger.
    pub confirmed_a: bool,
    pub confirmed_b: bool,
    /// 双签字: each leader signs the closure.
    pub signed_a: bool,
    pub signed_b: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct VisitReview {
    pub id: String,
    pub visit_on: String,
    pub reviewer: String,
    pub outcome: VisitOutcome,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Followup {
    pub id: String,
    pub kind: FollowupKind,
    pub on_date: String,
    pub locality: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct VisitReviewInput {
    pub visit_on: String,
    pub reviewer: String,
    pub outcome: VisitOutcome,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FollowupInput {
    pub kind: FollowupKind,
    pub on_date: String,
    pub locality: String,
    pub note: String,
}

/// Which leader of a 双包案 pair, and what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum LeaderSide {
    A,
    B,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum LeaderSignOff {
    /// 销账
    Confirm,
    /// 签字
    Sign,
}

/// The workflow side of a case, for its detail screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseWorkflow {
    pub status: CaseStatus,
    pub actions: Vec<CaseAction>,
    pub chain: Vec<ChainLevel>,
    pub approvals: Vec<ApprovalStep>,
    pub leader: Option<LeaderAssignment>,
    pub slips: Vec<crate::slips::SupervisionSlip>,
    /// Who may issue a 交办单 or 督办单 about the case from this desk.
    pub slip_issuing: crate::slips::SlipIssuing,
    pub visits: Vec<VisitReview>,
    pub followups: Vec<Followup>,
    pub served_on: Option<String>,
    pub filed_on: Option<String>,
    pub closed_on: Option<String>,
    pub status_reason: String,
}

pub fn approvals(conn: &Connection, case_id: &str) -> Result<Vec<ApprovalStep>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.level_key, a.level_title, a.approver, a.opinion, a.approved, a.decided_on,
             a.created_at, a.org_id, o.name, a.proxy, a.round
         FROM approvals a LEFT JOIN orgs o ON o.id = a.org_id
         WHERE a.case_id = ?1 ORDER BY a.created_at",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(ApprovalStep {
            id: r.get(0)?,
            level_key: r.get(1)?,
            level_title: r.get(2)?,
            approver: r.get(3)?,
            opinion: r.get(4)?,
            approved: r.get(5)?,
            decided_on: r.get(6)?,
            created_at: r.get(7)?,
            decider_org_id: r.get(8)?,
            decider_org_name: r.get(9)?,
            proxy: r.get(10)?,
            round: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The nearest 政法委 at or above `from` (`strict`: above it), walking up the tree.
fn committee_above(conn: &Connection, from: &str, strict: bool) -> Result<Option<Org>> {
    let mut next = Some(from.to_owned());
    let mut first = true;
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = next {
        if !seen.insert(id.clone()) {
            break; // a cycle: the tree is broken, nothing fits
        }
        let Ok(org) = crate::orgs::get(conn, &id) else {
            break;
        };
        if org.kind == OrgKind::Committee && !(strict && first) {
            return Ok(Some(org));
        }
        first = false;
        next = org.parent_id.clone();
    }
    Ok(None)
}

/// Which org decides `level` of `case`, and how this `desk` may enter its decision.
fn deciding(
    conn: &Connection,
    case: &Case,
    level: &ApprovalLevel,
    desk: &Desk,
) -> Result<Deciding> {
    let organ = if case.handling_organ_id.is_empty() {
        case.org_id.as_str()
    } else {
        case.handling_organ_id.as_str()
    };
    let organ_name = || {
        if case.handling_organ_name.is_empty() {
            organ.to_owned()
        } else {
            case.handling_organ_name.clone()
        }
    };
    let org = match level.decider() {
        Decider::HandlingOrgan => return Ok(Deciding::HandlingOrgan),
        Decider::Committee => committee_above(conn, organ, false)?
            .ok_or_else(|| format!("{}之上没有政法委", organ_name())),
        Decider::Superior => match committee_above(conn, organ, false)? {
            Some(c) => committee_above(conn, &c.id, true)?
                .ok_or_else(|| format!("{}之上没有上级政法委", c.name)),
            None => Err(format!("{}之上没有政法委", organ_name())),
        },
        Decider::Org => {
            let id = level.decider_org_id.clone().unwrap_or_default();
            crate::orgs::get(conn, &id)
                .map_err(|_| format!("指定的审批单位“{id}”不在本机的单位树中"))
        }
    };
    Ok(match org {
        Ok(o) => Deciding::Org {
            entry: desk.entry(&o.id),
            org_id: o.id,
            org_name: o.name,
        },
        Err(reason) => Deciding::Missing { reason },
    })
}

/// The configured chain of `case` with who decides each level and its latest decision.
fn chain(
    conn: &Connection,
    case: &Case,
    cfg: &JurisdictionConfig,
    steps: &[ApprovalStep],
) -> Result<Vec<ChainLevel>> {
    let desk = Desk::of(conn)?;
    let round = approval_round(conn, &case.id)?;
    cfg.approval_chain
        .iter()
        .map(|l| {
            Ok(ChainLevel {
                key: l.key.clone(),
                title: l.title.clone(),
                required: l.required,
                decided_by: l.decider(),
                decider: deciding(conn, case, l, &desk)?,
                // The current request's decision: an earlier request's does not count.
                step: steps
                    .iter()
                    .rev()
                    .find(|s| s.level_key == l.key && s.round == round)
                    .cloned(),
            })
        })
        .collect()
}

/// The current request (提请终结审批) of a case, counted from 1; 0 before the first.
fn approval_round(conn: &Connection, case_id: &str) -> Result<u32> {
    Ok(conn
        .query_row(
            "SELECT approval_round FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// The first level that returned the current request (不同意), as "政法委：<opinion>".
fn returned(chain: &[ChainLevel]) -> Option<String> {
    chain.iter().find_map(|l| {
        l.step
            .as_ref()
            .filter(|s| !s.approved)
            .map(|s| format!("{}：{}", l.title, s.opinion))
    })
}

/// Required levels whose latest decision is not an approval, in chain order.
/// A level of a case's chain waiting for an org ([`waiting_levels`]).
pub(crate) struct WaitingLevel {
    pub position: usize,
    pub org_id: String,
    pub level: ChainLevel,
    /// The last decision before it.
    pub since: Option<String>,
}

/// The levels of a case in 终结审批 that wait for an org of the tree: each one an org decides,
/// undecided in the current request, every required level before it approved — with its
/// position in the chain, the org, and since when (the last decision before it). Empty when
/// nothing waits for an org (the organ's own levels come first, or every level is decided).
pub(crate) fn waiting_levels(conn: &Connection, case: &Case) -> Result<Vec<WaitingLevel>> {
    let cfg = case_config(conn, &case.id)?;
    let levels = chain(conn, case, &cfg, &approvals(conn, &case.id)?)?;
    let mut out = Vec::new();
    for (i, l) in levels.iter().enumerate() {
        let Deciding::Org { org_id, .. } = &l.decider else {
            continue;
        };
        if l.step.is_some() || !missing(&levels[..i]).is_empty() {
            continue;
        }
        let since = levels[..i]
            .iter()
            .filter_map(|b| b.step.as_ref().map(|s| s.created_at.clone()))
            .max();
        out.push(WaitingLevel {
            position: i,
            org_id: org_id.clone(),
            level: l.clone(),
            since,
        });
    }
    Ok(out)
}

fn missing(chain: &[ChainLevel]) -> Vec<String> {
    chain
        .iter()
        .filter(|l| l.required && !l.step.as_ref().is_some_and(|s| s.approved))
        .map(|l| l.title.clone())
        .collect()
}

pub fn leader(conn: &Connection, case_id: &str) -> Result<Option<LeaderAssignment>> {
    Ok(conn
        .query_row(
            "SELECT leader_a, leader_a_title, leader_b, leader_b_title, problem_list, responsibility_list,
                confirmed_a, confirmed_b, signed_a, signed_b FROM leader_assignments WHERE case_id = ?1",
            [case_id],
            |r| {
                Ok(LeaderAssignment {
                    leader_a: r.get(0)?,
                    leader_a_title: r.get(1)?,
                    leader_b: r.get(2)?,
                    leader_b_title: r.get(3)?,
                    problem_list: r.get(4)?,
                    responsibility_list: r.get(5)?,
                    confirmed_a: r.get(6)?,
                    confirmed_b: r.get(7)?,
                    signed_a: r.get(8)?,
                    signed_b: r.get(9)?,
                })
            },
        )
        .optional()?)
}

/// The configuration that governs a case's closure: that of its latest hearing, else the
/// current one.
fn case_config(conn: &Connection, case_id: &str) -> Result<JurisdictionConfig> {
    match crate::hearings::latest_config_version(conn, case_id)? {
        Some(v) => crate::config::version(conn, v),
        None => Ok(crate::config::current(conn)?.1),
    }
}

/// What the case rules need, read from the tables.
pub fn facts(conn: &Connection, case: &Case) -> Result<CaseFacts> {
    let hearings = crate::hearings::closure_facts(conn, &case.id)?;
    let cfg = case_config(conn, &case.id)?;
    let levels = chain(conn, case, &cfg, &approvals(conn, &case.id)?)?;
    let approvals_missing = missing(&levels);
    let approval_returned = returned(&levels);
    let (served_on, filed_on): (Option<String>, Option<String>) = conn.query_row(
        "SELECT served_on, filed_on FROM cases WHERE id = ?1",
        [&case.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(CaseFacts {
        status: case.status,
        analysis_completeness: case.analysis_completeness,
        hearings,
        approvals_complete: approvals_missing.is_empty(),
        approvals_missing,
        approval_returned,
        leader_assignment: leader(conn, &case.id)?.map(|l| DualSignFacts {
            confirmations: u8::from(l.confirmed_a) + u8::from(l.confirmed_b),
            signatures: u8::from(l.signed_a) + u8::from(l.signed_b),
        }),
        served_on: served_on.as_deref().and_then(validate::date),
        filed_on: filed_on.as_deref().and_then(validate::date),
        reason_given: false,
    })
}

/// The workflow side of a case.
/// `today` decides what is overdue.
pub fn workflow(
    conn: &Connection,
    case_id: &str,
    today: chrono::NaiveDate,
) -> Result<CaseWorkflow> {
    let case = crate::cases::get(conn, case_id)?;
    let cfg = case_config(conn, case_id)?;
    let steps = approvals(conn, case_id)?;
    let slips = crate::slips::of_case(conn, case_id, today)?;
    let visits = {
        let mut stmt = conn.prepare(
            "SELECT id, visit_on, reviewer, outcome, note FROM visit_reviews WHERE case_id = ?1 ORDER BY visit_on",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            let outcome: String = r.get(3)?;
            Ok(VisitReview {
                id: r.get(0)?,
                visit_on: r.get(1)?,
                reviewer: r.get(2)?,
                outcome: VisitOutcome::parse(&outcome).unwrap_or(VisitOutcome::NoProblem),
                note: r.get(4)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let followups = {
        let mut stmt = conn.prepare(
            "SELECT id, kind, on_date, locality, note FROM followups WHERE case_id = ?1 ORDER BY on_date",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            let kind: String = r.get(1)?;
            Ok(Followup {
                id: r.get(0)?,
                kind: FollowupKind::parse(&kind).unwrap_or(FollowupKind::Visit),
                on_date: r.get(2)?,
                locality: r.get(3)?,
                note: r.get(4)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let (served_on, filed_on, closed_on, status_reason) = conn.query_row(
        "SELECT served_on, filed_on, closed_on, status_reason FROM cases WHERE id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(CaseWorkflow {
        status: case.status,
        actions: case_flow::available_case_actions(case.status),
        chain: chain(conn, &case, &cfg, &steps)?,
        approvals: steps,
        leader: leader(conn, case_id)?,
        slips,
        slip_issuing: crate::slips::issuing(conn, &case)?,
        visits,
        followups,
        served_on,
        filed_on,
        closed_on,
        status_reason,
    })
}

impl Store {
    /// The workflow side of a case, overdue by the store's clock.
    pub fn case_workflow(&self, case_id: &str) -> Result<CaseWorkflow> {
        workflow(self.conn(), case_id, self.today())
    }

    /// Takes a case through one transition of `hearing_core::case_flow`; a refusal lists every
    /// unmet condition. `input.date` is the date of service (送达) or filing (备案).
    pub fn case_action(
        &mut self,
        case_id: &str,
        action: CaseAction,
        input: &ActionInput,
    ) -> Result<Case> {
        let (reason, day) = input.validate()?;
        self.write(action.permission(), action.label(), |w| {
            let case = crate::cases::get(w.tx(), case_id)?;
            let mut f = facts(w.tx(), &case)?;
            f.reason_given = !reason.is_empty();
            let day_text = day.map(|d| d.format("%Y-%m-%d").to_string());
            match action {
                CaseAction::RecordService => f.served_on = day,
                CaseAction::File => f.filed_on = day,
                _ => {}
            }
            let to = case_flow::case_transition(&f, action)?;
            // Back to be revised: the return's words are the reason, unless one is given.
            let reason = match (&f.approval_returned, action) {
                (Some(r), CaseAction::ReviseAfterReturn) if reason.is_empty() => r.clone(),
                _ => reason.clone(),
            };
            w.tx().execute(
                "UPDATE cases SET status = ?2, status_reason = ?3, updated_at = ?4,
                    status_since = CASE WHEN status = ?2 THEN status_since ELSE ?5 END
                 WHERE id = ?1",
                params![
                    case_id,
                    to.as_str(),
                    reason,
                    w.now(),
                    w.today().format("%Y-%m-%d").to_string()
                ],
            )?;
            if action == CaseAction::SubmitForApproval {
                // A new request: the decisions of an earlier one no longer count.
                w.tx().execute(
                    "UPDATE cases SET approval_round = approval_round + 1 WHERE id = ?1",
                    [case_id],
                )?;
            }
            let column = match action {
                CaseAction::RecordService => Some("served_on"),
                CaseAction::File => Some("filed_on"),
                CaseAction::Close => Some("closed_on"),
                _ => None,
            };
            if let Some(col) = column {
                let value = if action == CaseAction::Close {
                    w.today().format("%Y-%m-%d").to_string()
                } else {
                    day_text.clone().unwrap_or_default()
                };
                w.tx().execute(
                    &format!("UPDATE cases SET {col} = ?2 WHERE id = ?1"),
                    params![case_id, value],
                )?;
            }
            w.for_case(case_id);
            let mut summary = format!(
                "案件 {}：{} → {}",
                case.number,
                case.status.label(),
                to.label()
            );
            if !reason.is_empty() {
                summary.push_str(&format!("（{reason}）"));
            }
            w.describe("case", case_id, summary);
            crate::cases::get(w.tx(), case_id)
        })
    }

    /// Records one decision of the closure approval chain. Levels are decided in chain order:
    /// a level can only be decided once every required level before it has approved.
    pub fn approve(&mut self, case_id: &str, input: &ApprovalInput) -> Result<CaseWorkflow> {
        let a = input.validate(self.today())?;
        self.write(
            Permission::ApproveClosure,"终结审批", |w| {
            let case = crate::cases::get(w.tx(), case_id)?;
            if case.status != CaseStatus::ClosureApproval {
                return Err(Refusal::one(format!(
                    "案件处于“{}”，尚未提请终结审批",
                    case.status.label()
                ))
                .into());
            }
            let cfg = case_config(w.tx(), case_id)?;
            let levels = chain(w.tx(), &case, &cfg, &approvals(w.tx(), case_id)?)?;
            let Some(pos) = levels.iter().position(|l| l.key == a.level_key) else {
                let keys: Vec<&str> = levels.iter().map(|l| l.title.as_str()).collect();
                return Err(Refusal::one(format!("审批层级无效，可选：{}", keys.join("、"))).into());
            };
            let before = missing(&levels[..pos]);
            Refusal::check(
                before
                    .iter()
                    .map(|m| format!("须先完成{m}审批"))
                    .collect(),
            )?;
            let level = &levels[pos];
            let round = approval_round(w.tx(), case_id)?;
            // The org that decides: the handling organ (no org recorded), an org of the tree —
            // typed on another org's desk, the decision is 代录 — or none, and then it cannot be
            // decided.
            let (org, proxy) = match &level.decider {
                Deciding::HandlingOrgan => (None, None),
                Deciding::Org {
                    org_name,
                    entry: Entry::Elsewhere,
                    ..
                } => {
                    return Err(StoreError::Forbidden(format!(
                        "“{}”一级由“{org_name}”审批，须在该单位的工作台上决定，经同步送达本机；本机已注册到同步服务器，不能代录",
                        level.title
                    )));
                }
                Deciding::Org {
                    org_id,
                    org_name,
                    entry,
                } => (
                    Some(org_id.clone()),
                    (*entry == Entry::Proxy).then(|| org_name.clone()),
                ),
                Deciding::Missing { reason } => {
                    return Err(Refusal::one(format!(
                        "“{}”一级找不到审批单位：{reason}；请在设置的审批链中为这一级指定审批单位",
                        level.title
                    ))
                    .into());
                }
            };
            // One decision per level and request: a change of mind goes through 退回重办 and a
            // new request.
            if let Some(s) = &level.step {
                return Err(Refusal::one(format!(
                    "“{}”一级在本次提请中已有审批意见（{}，{}，{}）；如需改变，须退回重办后重新提请",
                    level.title,
                    if s.approved { "同意" } else { "不同意" },
                    s.approver,
                    s.decided_on
                ))
                .into());
            }
            let id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO approvals (id, case_id, level_key, level_title, approver, opinion, approved, decided_on, created_at, org_id, proxy, round)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![id, case_id, level.key, level.title, a.approver, a.opinion, a.approved, a.decided_on, w.now(), org, proxy.is_some(), round],
            )?;
            w.for_case(case_id);
            let verdict = if a.approved { "同意" } else { "不同意" };
            let on_behalf = proxy
                .map(|name| format!("；代录，{name}的决定"))
                .unwrap_or_default();
            w.describe(
                "approval",
                &id,
                format!("{}审批（{}）：{verdict}{on_behalf}", level.title, a.approver),
            );
            workflow(w.tx(), case_id, w.today())
        })
    }

    /// Sets up (or replaces) the 领导包案 of a case; the sign-offs start over.
    pub fn set_leader_assignment(
        &mut self,
        case_id: &str,
        input: &LeaderAssignmentInput,
    ) -> Result<CaseWorkflow> {
        let l = input.validate()?;
        self.write(
            Permission::EditCases,"领导包案", |w| {
            crate::cases::get(w.tx(), case_id)?;
            w.tx().execute(
                "INSERT INTO leader_assignments (case_id, leader_a, leader_a_title, leader_b, leader_b_title,
                    problem_list, responsibility_list, confirmed_a, confirmed_b, signed_a, signed_b, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, 0, 0, ?8, ?8)
                 ON CONFLICT (case_id) DO UPDATE SET leader_a = excluded.leader_a, leader_a_title = excluded.leader_a_title,
                    leader_b = excluded.leader_b, leader_b_title = excluded.leader_b_title,
                    problem_list = excluded.problem_list, responsibility_list = excluded.responsibility_list,
                    confirmed_a = 0, confirmed_b = 0, signed_a = 0, signed_b = 0, updated_at = excluded.updated_at",
                params![case_id, l.leader_a, l.leader_a_title, l.leader_b, l.leader_b_title, l.problem_list, l.responsibility_list, w.now()],
            )?;
            w.for_case(case_id);
            w.describe(
                "leader_assignment",
                case_id,
                format!("领导包案：{}（{}）、{}（{}）", l.leader_a, l.leader_a_title, l.leader_b, l.leader_b_title),
            );
            workflow(w.tx(), case_id, w.today())
        })
    }

    /// One leader's 销账 confirmation or closure signature (五双: both are needed).
    pub fn leader_sign_off(
        &mut self,
        case_id: &str,
        side: LeaderSide,
        what: LeaderSignOff,
    ) -> Result<CaseWorkflow> {
        self.write(Permission::EditCases, "五双签认", |w| {
            crate::cases::get(w.tx(), case_id)?;
            let Some(l) = leader(w.tx(), case_id)? else {
                return Err(Refusal::one("本案尚未确定包案领导").into());
            };
            let (col, who) = match (side, what) {
                (LeaderSide::A, LeaderSignOff::Confirm) => ("confirmed_a", &l.leader_a),
                (LeaderSide::B, LeaderSignOff::Confirm) => ("confirmed_b", &l.leader_b),
                (LeaderSide::A, LeaderSignOff::Sign) => ("signed_a", &l.leader_a),
                (LeaderSide::B, LeaderSignOff::Sign) => ("signed_b", &l.leader_b),
            };
            w.tx().execute(
                &format!(
                    "UPDATE leader_assignments SET {col} = 1, updated_at = ?2 WHERE case_id = ?1"
                ),
                params![case_id, w.now()],
            )?;
            w.for_case(case_id);
            let verb = match what {
                LeaderSignOff::Confirm => "确认销账",
                LeaderSignOff::Sign => "在终结意见上签字",
            };
            w.describe(
                "leader_assignment",
                case_id,
                format!("包案领导 {who} {verb}"),
            );
            workflow(w.tx(), case_id, w.today())
        })
    }

    pub fn add_visit_review(
        &mut self,
        case_id: &str,
        input: &VisitReviewInput,
    ) -> Result<CaseWorkflow> {
        let mut e = hearing_core::ValidationErrors::default();
        let reviewer = text::required(&mut e, "reviewer", "复查人", &input.reviewer, 50);
        let note = text::optional(&mut e, "note", "复查情况", &input.note, text::LONG);
        let visit_on = validate::date(&input.visit_on);
        if visit_on.is_none() {
            e.push(
                "visitOn",
                "date.format",
                "来访日期无效，请按 2026-03-05 的格式填写",
            );
        }
        e.into_result(())?;
        let visit_on = visit_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        self.write(
            Permission::EditCases,"逢访必查", |w| {
            crate::cases::get(w.tx(), case_id)?;
            let id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO visit_reviews (id, case_id, visit_on, reviewer, outcome, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, case_id, visit_on, reviewer, input.outcome.as_str(), note, w.now()],
            )?;
            w.for_case(case_id);
            w.describe("visit_review", &id, format!("逢访必查（{visit_on} 来访）：{}", input.outcome.label()));
            workflow(w.tx(), case_id, w.today())
        })
    }

    /// After closure: the locality's hand-over, visits, aid, counselling.
    pub fn add_followup(&mut self, case_id: &str, input: &FollowupInput) -> Result<CaseWorkflow> {
        let mut e = hearing_core::ValidationErrors::default();
        let locality = text::required(
            &mut e,
            "locality",
            "属地单位",
            &input.locality,
            text::MEDIUM,
        );
        let note = text::required(&mut e, "note", "情况", &input.note, text::LONG);
        let on = validate::date(&input.on_date);
        if on.is_none() {
            e.push(
                "onDate",
                "date.format",
                "日期无效，请按 2026-03-05 的格式填写",
            );
        }
        e.into_result(())?;
        let on = on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        self.write(Permission::ApproveClosure, "终结后稳控", |w| {
            let case = crate::cases::get(w.tx(), case_id)?;
            if !matches!(
                case.status,
                CaseStatus::Closed | CaseStatus::Served | CaseStatus::Filed
            ) {
                return Err(Refusal::one("稳控与回访记录用于已终结的案件").into());
            }
            let id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO followups (id, case_id, kind, on_date, locality, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    case_id,
                    input.kind.as_str(),
                    on,
                    locality,
                    note,
                    w.now()
                ],
            )?;
            w.for_case(case_id);
            w.describe(
                "followup",
                &id,
                format!("{}（{locality}，{on}）", input.kind.label()),
            );
            workflow(w.tx(), case_id, w.today())
        })
    }
}
