//! 三单 across desks (DOMAIN.md §2): an org above a case's handling organ issues a 交办单 or
//! 督办单 to an org below itself, at or above the handling organ (the organ, or the 政法委 it
//! answers to); the receiving org answers with a 反馈单; the
//! issuer accepts it (办结) or sends it back (退回重报) for a new answer.
//!
//! Ownership (docs/sync-protocol.md): the slip — its issuing, numbering and review — is the
//! issuing org's record, written only on a desk of that org; a 反馈 is the answering org's. On an
//! enrolled desk another org's part cannot be entered; a desk working alone enters it as 代录,
//! shown wherever the slip shows. Both records are about the case's org (their sync scope), so
//! the county sees the city's slips on its cases and nothing of other counties.

use chrono::{Datelike, NaiveDate};
use hearing_core::access::Permission;
use hearing_core::org::Org;
use hearing_core::rules::Refusal;
use hearing_core::supervision::{
    self, SlipFeedbackInput, SlipIssueInput, SlipKind, SlipStage, SlipStatus, ValidSlip,
};
use hearing_core::{text, validate, Case};
use hearing_docs::{Fields, FontSet};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::closure::{Desk, Entry};
use crate::write::Writer;
use crate::{Result, Store, StoreError};

/// One 反馈单: the receiving org's answer in one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipFeedback {
    pub id: String,
    /// The round it answers (0: the slip as issued; n: after the n-th return).
    pub round: u32,
    pub org_id: Option<String>,
    pub org_name: String,
    /// 办理情况
    pub text: String,
    /// 化解/终结结果
    pub outcome: String,
    /// 承办人, and the org's 负责人
    pub answered_by: String,
    pub head: String,
    pub answered_on: String,
    /// 代录: entered on a desk of another org working alone.
    pub proxy: bool,
}

/// A 交办单 or 督办单 with its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SupervisionSlip {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    pub kind: SlipKind,
    /// 文号, e.g. 青政法督〔2026〕12号; empty for slips from before slips were numbered.
    pub number: String,
    /// The issuing org (`None`: a slip from before slips named their orgs) and its name.
    pub from_org_id: Option<String>,
    pub from_unit: String,
    /// The receiving org and its name.
    pub to_org_id: Option<String>,
    pub to_unit: String,
    pub content: String,
    /// 办理期限
    pub deadline: String,
    pub issued_on: String,
    /// 签发人
    pub issued_by: String,
    /// 代录: issued on a desk of another org working alone, from the paper slip.
    pub proxy: bool,
    pub status: SlipStatus,
    pub stage: SlipStage,
    /// Times the issuer sent an answer back.
    pub round: u32,
    /// Why the last answer was sent back.
    pub return_reason: String,
    /// The day the issuer accepted an answer (办结), and who did.
    pub done_on: Option<String>,
    pub reviewed_by: String,
    /// The 办理结果 of a slip completed before 反馈单 existed.
    pub reply: String,
    pub overdue: bool,
    pub feedback: Vec<SlipFeedback>,
    /// How this desk may answer it (反馈) and review the answers (办结, 退回).
    pub answer: Entry,
    pub review: Entry,
}

/// An org as the slip forms offer it, with how this desk may act for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipParty {
    pub org_id: String,
    pub org_name: String,
    pub entry: Entry,
}

/// Who may issue a slip about a case from this desk, and to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipIssuing {
    /// The case's handling organ and the orgs above it, nearest first: an issuer is one of
    /// them above the organ, a receiver one below the issuer.
    pub path: Vec<SlipParty>,
    /// The orgs this desk may issue as (its own org; on a desk working alone, any above the
    /// handling organ, as 代录 unless it is the desk's), each with the orgs it may issue to.
    pub issuers: Vec<SlipIssuer>,
    /// Why no slip can be issued here, when `issuers` is empty.
    pub why_not: Option<String>,
}

/// An org this desk may issue a slip as, and the orgs it may send it to: those of the path
/// below it, down to the handling organ, nearest the organ first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipIssuer {
    #[serde(flatten)]
    pub party: SlipParty,
    pub receivers: Vec<SlipParty>,
}

impl SlipIssuing {
    /// The receivers of the issuer at `pos` in the path: the orgs below it.
    fn receivers(&self, pos: usize) -> &[SlipParty] {
        &self.path[..pos.min(self.path.len())]
    }
}

/// The issuer's verdict on the current answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SlipReviewInput {
    /// True: 办结 (accepted); false: 退回重报, with a reason.
    pub accept: bool,
    pub reason: String,
    /// Who reviewed; empty: the logged-in operator.
    #[serde(default)]
    pub reviewed_by: String,
}

/// `org` and the orgs above it, nearest first (a broken tree stops at the cycle).
pub(crate) fn path_up(conn: &Connection, org: &str) -> Vec<Org> {
    let mut out: Vec<Org> = Vec::new();
    let mut next = Some(org.to_owned());
    while let Some(id) = next {
        if out.iter().any(|o| o.id == id) {
            break;
        }
        let Ok(o) = crate::orgs::get(conn, &id) else {
            break;
        };
        next = o.parent_id.clone();
        out.push(o);
    }
    out
}

pub(crate) fn org_name(conn: &Connection, id: &str) -> String {
    crate::orgs::get(conn, id)
        .map(|o| o.name)
        .unwrap_or_else(|_| id.to_owned())
}

/// Who may issue about `case` from this desk.
pub(crate) fn issuing(conn: &Connection, case: &Case) -> Result<SlipIssuing> {
    let desk = Desk::of(conn)?;
    // The handling organ and the orgs above it (the case's org among them as a rule).
    let mut up = path_up(conn, &case.handling_organ_id);
    if up.is_empty() {
        up = path_up(conn, &case.org_id);
    }
    let path: Vec<SlipParty> = up
        .into_iter()
        .map(|o| SlipParty {
            entry: desk.entry(&o.id),
            org_id: o.id,
            org_name: o.name,
        })
        .collect();
    let mut out = SlipIssuing {
        path,
        issuers: Vec::new(),
        why_not: None,
    };
    out.issuers = (1..out.path.len())
        .filter(|&i| out.path[i].entry != Entry::Elsewhere)
        .map(|i| SlipIssuer {
            party: out.path[i].clone(),
            receivers: out.receivers(i).to_vec(),
        })
        .collect();
    let path = &out.path;
    out.why_not = out.issuers.is_empty().then(|| {
        if path.len() <= 1 {
            format!(
                "“{}”之上没有单位，无从发出交办单、督办单",
                path.first().map(|p| p.org_name.clone()).unwrap_or_default()
            )
        } else {
            format!(
                "交办单、督办单由本案承办机关的上级单位发出；本机（{}）不在其上，只能查看和反馈",
                desk.org
                    .as_deref()
                    .map(|o| org_name(conn, o))
                    .unwrap_or_else(|| "未设单位".to_owned())
            )
        }
    });
    Ok(out)
}

const SELECT: &str = "SELECT s.id, s.case_id, c.number, c.title, s.kind, s.number, s.issuer_org_id,
        s.from_unit, s.to_org_id, s.to_unit, s.content, s.deadline, s.issued_on, s.issued_by,
        s.proxy, s.status, s.round, s.return_reason, s.done_on, s.reviewed_by, s.reply, c.org_id,
        EXISTS (SELECT 1 FROM slip_feedback f WHERE f.slip_id = s.id AND f.round = s.round)
     FROM supervision_slips s JOIN cases c ON c.id = s.case_id";

/// Slips matching `filter` (SQL over `s` and `c`, with `args`), oldest first, with their
/// answers, as this desk sees them on `today`.
fn query(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
    today: NaiveDate,
) -> Result<Vec<SupervisionSlip>> {
    let desk = Desk::of(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE {filter} ORDER BY s.created_at, s.id"
    ))?;
    let rows = stmt.query_map(args, |r| {
        let kind: String = r.get(4)?;
        let status: String = r.get(15)?;
        let round: u32 = r.get(16)?;
        let answered: bool = r.get(22)?;
        let status = SlipStatus::parse(&status).unwrap_or(SlipStatus::Open);
        let stage = SlipStage::of(status, round, answered);
        let deadline: String = r.get(11)?;
        let case_org: String = r.get(21)?;
        let from_org_id: Option<String> = r.get(6)?;
        let to_org_id: Option<String> = r.get(8)?;
        let proxy: bool = r.get(14)?;
        // A slip from before slips named their orgs is the case's record, like its answers.
        let issuer = from_org_id.clone().unwrap_or_else(|| case_org.clone());
        let receiver = to_org_id.clone().unwrap_or_else(|| case_org.clone());
        Ok(SupervisionSlip {
            id: r.get(0)?,
            case_id: r.get(1)?,
            case_number: r.get(2)?,
            case_title: r.get(3)?,
            kind: SlipKind::parse(&kind).unwrap_or(SlipKind::Assign),
            number: r.get(5)?,
            from_unit: r.get(7)?,
            to_unit: r.get(9)?,
            content: r.get(10)?,
            overdue: validate::date(&deadline)
                .is_some_and(|d| supervision::slip_overdue(stage, d, today)),
            deadline,
            issued_on: r.get(12)?,
            issued_by: r.get(13)?,
            proxy,
            status,
            stage,
            round,
            return_reason: r.get(17)?,
            done_on: r.get(18)?,
            reviewed_by: r.get(19)?,
            reply: r.get(20)?,
            feedback: Vec::new(),
            answer: desk.entry(&receiver),
            review: if proxy && from_org_id.is_some() {
                // Issued as 代录: the row is the case's, reviewed where it was entered, as 代录
                // too.
                match desk.entry(&case_org) {
                    Entry::Own => Entry::Proxy,
                    e => e,
                }
            } else {
                desk.entry(&issuer)
            },
            from_org_id,
            to_org_id,
        })
    })?;
    let mut slips = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut fb = conn.prepare_cached(
        "SELECT f.id, f.round, f.org_id, COALESCE(o.name, ''), f.text, f.answered_by,
                f.answered_on, f.proxy, f.outcome, f.head
         FROM slip_feedback f LEFT JOIN orgs o ON o.id = f.org_id
         WHERE f.slip_id = ?1 ORDER BY f.round, f.created_at",
    )?;
    for s in &mut slips {
        let rows = fb.query_map([&s.id], |r| {
            Ok(SlipFeedback {
                id: r.get(0)?,
                round: r.get(1)?,
                org_id: r.get(2)?,
                org_name: r.get(3)?,
                text: r.get(4)?,
                answered_by: r.get(5)?,
                answered_on: r.get(6)?,
                proxy: r.get(7)?,
                outcome: r.get(8)?,
                head: r.get(9)?,
            })
        })?;
        s.feedback = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(slips)
}

/// The slips of a case, oldest first.
pub(crate) fn of_case(
    conn: &Connection,
    case_id: &str,
    today: NaiveDate,
) -> Result<Vec<SupervisionSlip>> {
    query(conn, "s.case_id = ?1", &[&case_id], today)
}

fn one(conn: &Connection, id: &str, today: NaiveDate) -> Result<SupervisionSlip> {
    query(conn, "s.id = ?1", &[&id], today)?
        .pop()
        .ok_or_else(|| StoreError::not_found("交办督办单", id))
}

/// Refuses what this desk may not enter for `org_name`'s part of a slip.
fn refuse_elsewhere(entry: Entry, what: &str, org_name: &str) -> Result<()> {
    if entry == Entry::Elsewhere {
        return Err(StoreError::Forbidden(format!(
            "{what}由“{org_name}”在其工作台上办理，经同步送达本机；本机已注册到同步服务器，不能代录"
        )));
    }
    Ok(())
}

impl Store {
    /// The slips of one case, or every slip this desk holds, oldest first.
    pub fn slips(&self, case_id: Option<&str>) -> Result<Vec<SupervisionSlip>> {
        match case_id {
            Some(c) => {
                crate::cases::get(self.conn(), c)?;
                of_case(self.conn(), c, self.today())
            }
            None => query(self.conn(), "1", &[], self.today()),
        }
    }

    pub fn slip(&self, id: &str) -> Result<SupervisionSlip> {
        one(self.conn(), id, self.today())
    }

    /// 待办 of this desk's org: slips it must answer (待反馈, 退回重报), answers it must review
    /// (待审核), and its own slips still awaiting the receiver's answer (to follow them, the
    /// overdue ones first among equals), nearest deadline first. Empty on a desk without an org.
    pub fn slip_todo(&self) -> Result<Vec<SupervisionSlip>> {
        let Some(me) = crate::meta_get(self.conn(), "org_id")? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<SupervisionSlip> = query(
            self.conn(),
            "s.status = 'open' AND (s.to_org_id = ?1 OR (s.issuer_org_id = ?1 AND s.proxy = 0))",
            &[&me],
            self.today(),
        )?
        .into_iter()
        .filter(|s| {
            if s.to_org_id.as_deref() == Some(me.as_str()) {
                s.stage.awaits_feedback()
            } else {
                s.stage != SlipStage::Accepted
            }
        })
        .collect();
        out.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(b.overdue.cmp(&a.overdue)));
        Ok(out)
    }

    /// Issues a 交办单 or 督办单 about `case_id`: numbered from the issuing org's prefix for its
    /// kind, dated today. The issuer is this desk's org (another org only on a desk working
    /// alone, as 代录), above the case's handling organ; the receiver is below the issuer and at
    /// or above the organ.
    pub fn issue_slip(&mut self, case_id: &str, input: &SlipIssueInput) -> Result<SupervisionSlip> {
        let s = input.validate(self.today())?;
        self.write(Permission::EditCases, s.kind.label(), |w| {
            let id = issue_in(w, case_id, &s)?;
            one(w.tx(), &id, w.today())
        })
    }

    /// The receiving org's 反馈 on a slip awaiting one.
    pub fn answer_slip(
        &mut self,
        slip_id: &str,
        input: &SlipFeedbackInput,
    ) -> Result<SupervisionSlip> {
        let f = input.validate()?;
        self.write(Permission::EditCases, "反馈单", |w| {
            let s = one(w.tx(), slip_id, w.today())?;
            let receiver = s.to_org_id.clone();
            let receiver_name = if s.to_unit.is_empty() {
                "承办单位".to_owned()
            } else {
                s.to_unit.clone()
            };
            refuse_elsewhere(s.answer, "对这份单据的反馈", &receiver_name)?;
            if !s.stage.awaits_feedback() {
                return Err(Refusal::one(match s.stage {
                    SlipStage::AwaitingReview => format!(
                        "{}已反馈，正待发单单位审核；如被退回，可再次反馈",
                        slip_name(&s)
                    ),
                    _ => format!("{}已办结，不能再反馈", slip_name(&s)),
                })
                .into());
            }
            let id = uuid::Uuid::now_v7().to_string();
            let today = w.today().format("%Y-%m-%d").to_string();
            let case_org: String = w.tx().query_row(
                "SELECT org_id FROM cases WHERE id = ?1",
                [&s.case_id],
                |r| r.get(0),
            )?;
            w.tx().execute(
                "INSERT INTO slip_feedback (id, slip_id, case_id, org_id, round, text, answered_by,
                    answered_on, proxy, created_at, outcome, head)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    slip_id,
                    s.case_id,
                    receiver.unwrap_or(case_org),
                    s.round,
                    f.text,
                    f.answered_by,
                    today,
                    s.answer == Entry::Proxy,
                    w.now(),
                    f.outcome,
                    f.head
                ],
            )?;
            w.for_case(&s.case_id);
            let on_behalf = if s.answer == Entry::Proxy {
                "；代录"
            } else {
                ""
            };
            w.describe(
                "slip_feedback",
                &id,
                format!("{}反馈（{}）{on_behalf}", slip_name(&s), f.answered_by),
            );
            one(w.tx(), slip_id, w.today())
        })
    }

    /// The issuer accepts the current 反馈 (办结) or sends it back with a reason (退回重报).
    pub fn review_slip(
        &mut self,
        slip_id: &str,
        input: &SlipReviewInput,
    ) -> Result<SupervisionSlip> {
        let mut e = hearing_core::ValidationErrors::default();
        let reason = if input.accept {
            text::optional(&mut e, "reason", "审核意见", &input.reason, text::LONG)
        } else {
            text::required(&mut e, "reason", "退回理由", &input.reason, text::LONG)
        };
        let by = text::optional(&mut e, "reviewedBy", "审核人", &input.reviewed_by, 50);
        e.into_result(())?;
        let by = if by.is_empty() {
            self.operator()
                .map(|o| o.name.clone())
                .unwrap_or_else(|| self.actor.clone())
        } else {
            by
        };
        let action = if input.accept {
            "办结"
        } else {
            "退回重报"
        };
        self.write(Permission::EditCases, action, |w| {
            let s = one(w.tx(), slip_id, w.today())?;
            refuse_elsewhere(s.review, "这份单据的审核", &s.from_unit)?;
            match s.stage {
                SlipStage::AwaitingReview => {}
                SlipStage::Accepted => {
                    return Err(Refusal::one(format!("{}已办结", slip_name(&s))).into())
                }
                _ if s.from_org_id.is_none() && input.accept => {
                    // A slip from before 反馈单 existed is completed as it was: by its issuer.
                }
                _ => {
                    return Err(Refusal::one(format!(
                        "{}尚未收到本轮反馈，无从{action}",
                        slip_name(&s)
                    ))
                    .into())
                }
            }
            let today = w.today().format("%Y-%m-%d").to_string();
            if input.accept {
                w.tx().execute(
                    "UPDATE supervision_slips SET status = 'done', done_on = ?2, reviewed_by = ?3,
                        reply = CASE WHEN ?4 = '' THEN reply ELSE ?4 END, updated_at = ?5
                     WHERE id = ?1",
                    params![slip_id, today, by, reason, w.now()],
                )?;
            } else {
                w.tx().execute(
                    "UPDATE supervision_slips SET round = round + 1, return_reason = ?2,
                        reviewed_by = ?3, updated_at = ?4 WHERE id = ?1",
                    params![slip_id, reason, by, w.now()],
                )?;
            }
            w.for_case(&s.case_id);
            let why = if reason.is_empty() {
                String::new()
            } else {
                format!("：{reason}")
            };
            let on_behalf = if s.review == Entry::Proxy {
                "；代录"
            } else {
                ""
            };
            w.describe(
                "supervision_slip",
                slip_id,
                format!("{}{action}（{by}）{why}{on_behalf}", slip_name(&s)),
            );
            one(w.tx(), slip_id, w.today())
        })
    }

    /// The slip, or its answer of `round` (`Some`), as a GB/T 9704 document: its text, filled
    /// from the template (the desk's own `slip.txt` / `slip-feedback.txt`, else the built-in).
    pub fn slip_text(&self, slip_id: &str, feedback: Option<u32>) -> Result<String> {
        let s = self.slip(slip_id)?;
        let petitioners = crate::cases::get(self.conn(), &s.case_id)?
            .petitioners
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
            .join("、");
        let mut f = Fields::new();
        f.text("kind", s.kind.label())
            .text(
                "opinion_label",
                match s.kind {
                    SlipKind::Supervise => "督办意见",
                    _ => "交办意见",
                },
            )
            .text("petitioner", petitioners)
            .text("number", &s.number)
            .text("from_unit", &s.from_unit)
            .text("to_unit", &s.to_unit)
            .text("case_number", &s.case_number)
            .text("case_title", &s.case_title)
            .text("content", &s.content)
            .text("deadline", crate::documents::zh_date(&s.deadline))
            .text("issued_on", crate::documents::zh_date(&s.issued_on))
            .text("issued_by", &s.issued_by)
            .text(
                "proxy",
                if s.proxy {
                    "本单据系根据发单单位纸质单据代录。"
                } else {
                    ""
                },
            );
        let (name, source) = match feedback {
            None => ("slip", crate::documents::extra_template(self, "slip")?),
            Some(round) => {
                let fb = s
                    .feedback
                    .iter()
                    .rev()
                    .find(|x| x.round == round)
                    .ok_or_else(|| {
                        Refusal::one(format!("{}没有第 {} 轮反馈", slip_name(&s), round + 1))
                    })?;
                f.text("feedback", &fb.text)
                    .text("outcome", &fb.outcome)
                    .text("head", &fb.head)
                    .text("answered_by", &fb.answered_by)
                    .text("answered_on", crate::documents::zh_date(&fb.answered_on))
                    .text(
                        "answering_unit",
                        if fb.org_name.is_empty() {
                            s.to_unit.clone()
                        } else {
                            fb.org_name.clone()
                        },
                    )
                    .text(
                        "proxy",
                        if fb.proxy {
                            "本反馈单系根据承办单位纸质反馈代录。"
                        } else {
                            ""
                        },
                    );
                (
                    "slip-feedback",
                    crate::documents::extra_template(self, "slip-feedback")?,
                )
            }
        };
        hearing_docs::templates::fill(name, &source, &f)
            .map_err(|e| StoreError::Document(e.to_string()))
    }

    /// The PDF of [`Store::slip_text`].
    pub fn slip_pdf(
        &self,
        slip_id: &str,
        feedback: Option<u32>,
        fonts: &FontSet,
    ) -> Result<Vec<u8>> {
        let text = self.slip_text(slip_id, feedback)?;
        let subject = if feedback.is_some() {
            "反馈单"
        } else {
            "交办督办单"
        };
        hearing_docs::render_text(&text, fonts, subject)
            .map_err(|e| StoreError::Document(e.to_string()))
    }
}

/// Issues the checked slip `s` about `case_id` within the write `w` (see [`Store::issue_slip`]);
/// a meeting's conclusion issues its 交办单 through it in the meeting's write. Returns its id.
pub(crate) fn issue_in(w: &mut Writer, case_id: &str, s: &ValidSlip) -> Result<String> {
    let prefix_kind = match s.kind {
        SlipKind::Supervise => "superviseSlip",
        _ => "assignSlip",
    };
    let case = crate::cases::get(w.tx(), case_id)?;
    let who = issuing(w.tx(), &case)?;
    let issuer_id = match s.from_org_id.clone().or(Desk::of(w.tx())?.org) {
        Some(id) => id,
        None => {
            return Err(Refusal::one(
                "本机未设所属单位，请选择发单单位（按纸质交办单、督办单代录）",
            )
            .into())
        }
    };
    let Some(pos) = who.path.iter().position(|p| p.org_id == issuer_id) else {
        return Err(Refusal::one(format!(
            "“{}”不在本案承办机关“{}”之上，不能就本案发单",
            org_name(w.tx(), &issuer_id),
            who.path
                .first()
                .map(|p| p.org_name.as_str())
                .unwrap_or_default()
        ))
        .into());
    };
    let issuer = &who.path[pos];
    if pos == 0 {
        return Err(Refusal::one(format!(
            "交办单、督办单由上级单位发出；“{}”是本案的承办机关",
            issuer.org_name
        ))
        .into());
    }
    refuse_elsewhere(issuer.entry, "这份交办单、督办单", &issuer.org_name)?;
    let Some(receiver) = who.receivers(pos).iter().find(|p| p.org_id == s.to_org_id) else {
        let below: Vec<&str> = who
            .receivers(pos)
            .iter()
            .map(|p| p.org_name.as_str())
            .collect();
        return Err(Refusal::one(format!(
            "承办单位“{}”不在“{}”的下级范围内，或与本案无关；可选：{}",
            org_name(w.tx(), &s.to_org_id),
            issuer.org_name,
            below.join("、")
        ))
        .into());
    };
    let cfg = crate::config::current(w.tx())?.1;
    let prefix = cfg
        .doc_prefix(prefix_kind)
        .cloned()
        .or_else(|| hearing_core::config::default_doc_prefix(prefix_kind))
        .ok_or_else(|| Refusal::one("未设置交办单、督办单的机关代字"))?;
    let year = i64::from(w.today().year());
    let seq: i64 = w.tx().query_row(
        "SELECT COALESCE(MAX(num_seq), 0) + 1 FROM supervision_slips
             WHERE issuer_org_id = ?1 AND num_prefix = ?2 AND num_year = ?3",
        params![issuer.org_id, prefix.prefix, year],
        |r| r.get(0),
    )?;
    let number = prefix.format_number(year as i32, seq as u32);
    let id = uuid::Uuid::now_v7().to_string();
    let today = w.today().format("%Y-%m-%d").to_string();
    let deadline = s.deadline.format("%Y-%m-%d").to_string();
    let proxy = issuer.entry == Entry::Proxy;
    w.tx().execute(
        "INSERT INTO supervision_slips (id, case_id, kind, from_unit, to_unit, content, deadline,
                status, done_on, reply, created_at, updated_at, issuer_org_id, to_org_id, number,
                num_prefix, num_year, num_seq, issued_on, issued_by, proxy)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', NULL, '', ?8, ?8, ?9, ?10, ?11, ?12, ?13,
                ?14, ?15, ?16, ?17)",
        params![
            id,
            case_id,
            s.kind.as_str(),
            issuer.org_name,
            receiver.org_name,
            s.content,
            deadline,
            w.now(),
            issuer.org_id,
            receiver.org_id,
            number,
            prefix.prefix,
            year,
            seq,
            today,
            s.issued_by,
            proxy
        ],
    )?;
    w.for_case(case_id);
    let on_behalf = if proxy { "；代录" } else { "" };
    w.describe(
        "supervision_slip",
        &id,
        format!(
            "{}{number}：{} → {}，限 {deadline} 前反馈{on_behalf}",
            s.kind.label(),
            issuer.org_name,
            receiver.org_name
        ),
    );
    Ok(id)
}

/// 交办单 青政法交办〔2026〕3号, for messages.
fn slip_name(s: &SupervisionSlip) -> String {
    if s.number.is_empty() {
        s.kind.label().to_owned()
    } else {
        format!("{}{}", s.kind.label(), s.number)
    }
}
