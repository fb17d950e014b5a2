//! Documents (DESIGN.md §4): the data each kind needs, read from a case and its hearing
//! ([`gather`]), and the life cycle draft → final → printed → signed → served → filed.
//!
//! A draft keeps the filled template text (which the clerk may edit). Finalising freezes the text
//! and the PDF bytes with their SHA-256 and a short verification code; a final closure decision
//! carries a QR code (document id + text hash). Editing a final document makes a new version.
//! Every mutation goes through [`Store::write`].

use chrono::{Datelike, NaiveDate};
use hearing_core::access::Permission;
use hearing_core::{DocState, ServiceMethod};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hearing_core::deliberation::Vote;
use hearing_core::hearing::{InvitationStatus, ParticipantRole, SignatureStatus};
use hearing_core::testimony::qa_label;
use hearing_core::validate::mask_id_number;
use hearing_core::{Case, JurisdictionConfig};
use hearing_docs::{DocKind, Fields, FontSet, FontSettings, Stamp, Templates};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::hearings::{self, Hearing, Participant};
use crate::{cases, closure, orgs, Result, Store, StoreError};

/// A stored document (without its PDF bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: String,
    pub case_id: String,
    pub hearing_id: Option<String>,
    /// A [`DocKind`] key, e.g. `decision`.
    pub kind: String,
    pub number: String,
    pub version: u32,
    pub previous_id: Option<String>,
    pub state: DocState,
    pub text: String,
    pub text_sha256: Option<String>,
    pub pdf_sha256: Option<String>,
    pub verification_code: Option<String>,
    pub scan_path: Option<String>,
    pub scan_sha256: Option<String>,
    /// The 送达回证 data as JSON text (`{}` until served).
    pub service: String,
    pub finalized_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The participant a per-person document is for (邀请函, 听证员评议意见表).
    pub subject_id: Option<String>,
    /// That participant's name as printed in the document (empty when not per person).
    pub subject_name: String,
}

/// What the 送达回证 records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ServiceInput {
    /// YYYY-MM-DD: the date the recipient signed.
    pub date: String,
    /// A [`ServiceMethod`]: its key as the UI sends it (`direct`), or its words (直接送达, 直接);
    /// stored as its words (直接送达), which every version of HearingDesk reads.
    pub method: String,
    pub recipient: String,
    /// Who received on the recipient's behalf, and why (empty if the recipient signed); for
    /// 留置 (the recipient refused), the witness.
    pub receiver: String,
    pub server: String,
    pub note: String,
}

/// The 送达回证's method boxes, in the order printed: 直接, 留置 …
fn method_terms() -> Vec<&'static str> {
    ServiceMethod::ALL.map(ServiceMethod::term).to_vec()
}

const SELECT: &str =
    "SELECT id, case_id, hearing_id, kind, number, version, previous_id, state, text,
    text_sha256, pdf_sha256, verification_code, scan_path, scan_sha256, service, finalized_at,
    created_at, updated_at, subject_id, subject_name FROM documents";

/// A document's state in column `idx` of a row.
pub(crate) fn doc_state(r: &rusqlite::Row, idx: usize) -> rusqlite::Result<DocState> {
    let s: String = r.get(idx)?;
    DocState::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("未知的文书状态：{s}").into(),
        )
    })
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        case_id: r.get(1)?,
        hearing_id: r.get(2)?,
        kind: r.get(3)?,
        number: r.get(4)?,
        version: r.get(5)?,
        previous_id: r.get(6)?,
        state: doc_state(r, 7)?,
        text: r.get(8)?,
        text_sha256: r.get(9)?,
        pdf_sha256: r.get(10)?,
        verification_code: r.get(11)?,
        scan_path: r.get(12)?,
        scan_sha256: r.get(13)?,
        service: r.get(14)?,
        finalized_at: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        subject_id: r.get(18)?,
        subject_name: r.get(19)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Document> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| StoreError::not_found("文书", id))
}

/// The documents of a case, oldest first.
pub fn list(conn: &Connection, case_id: &str) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE case_id = ?1 ORDER BY created_at, version"
    ))?;
    let rows = stmt.query_map([case_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The frozen PDF of a final document.
pub fn pdf(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT pdf FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten())
}

/// The final document whose frozen PDF is exactly `bytes`, if any.
pub fn verify_pdf(conn: &Connection, bytes: &[u8]) -> Result<Option<Document>> {
    let sha = sha256_hex(bytes);
    let doc = conn
        .query_row(
            &format!("{SELECT} WHERE pdf_sha256 = ?1 AND state != 'draft'"),
            [&sha],
            from_row,
        )
        .optional()?;
    Ok(doc)
}

/// The final document with this verification code (as printed under the QR code).
pub fn by_code(conn: &Connection, code: &str) -> Result<Option<Document>> {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.len() != 8 {
        return Ok(None);
    }
    let printed = format!("{}-{}", &code[..4], &code[4..]);
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE verification_code = ?1"),
            [&printed],
            from_row,
        )
        .optional()?)
}

pub use crate::sha256_hex;

/// 8 base32 characters (Crockford alphabet: no I, L, O, U) of SHA-256(id ":" hash), as XXXX-XXXX.
pub fn verification_code(id: &str, text_sha256: &str) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let d = Sha256::digest(format!("{id}:{text_sha256}").as_bytes());
    let mut bits: u64 = 0;
    for b in &d[..5] {
        bits = (bits << 8) | u64::from(*b);
    }
    let mut out = String::new();
    for i in (0..8).rev() {
        out.push(ALPHABET[((bits >> (i * 5)) & 31) as usize] as char);
        if i == 4 {
            out.push('-');
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Data gathering

/// The template `key`: the desk's own `<data dir>/templates/<key>.txt`, else the built-in.
pub(crate) fn extra_template(store: &Store, key: &str) -> Result<String> {
    let path = data_dir(store).join("templates").join(format!("{key}.txt"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            hearing_docs::templates::builtin_extra(key)
                .map(str::to_owned)
                .ok_or_else(|| StoreError::Document(format!("没有模板“{key}”")))
        }
        Err(e) => Err(StoreError::Document(format!(
            "读取模板 {} 失败：{e}",
            path.display()
        ))),
    }
}

/// "2026-03-05" → "2026年3月5日"; anything else unchanged.
pub fn zh_date(ymd: &str) -> String {
    let parts: Vec<&str> = ymd.get(..10).unwrap_or(ymd).split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(y), Ok(m), Ok(d)) => format!("{y}年{m}月{d}日"),
            _ => ymd.to_owned(),
        },
        _ => ymd.to_owned(),
    }
}

pub(crate) fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            match n % 10 {
                0 => "",
                d => D[d],
            }
        ),
        _ => n.to_string(),
    }
}

fn names(ps: &[&Participant]) -> String {
    ps.iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn or_none(s: &str) -> String {
    if s.trim().is_empty() {
        "无".to_owned()
    } else {
        s.trim().to_owned()
    }
}

fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() || t.ends_with(['。', '！', '？', '；', '：']) {
        t.to_owned()
    } else {
        format!("{t}。")
    }
}

/// The organ that issues documents: this desk's org, else the handling organ.
fn issuing_organ(conn: &Connection, case: &Case) -> Result<String> {
    let desk = crate::meta_get(conn, "org_id")?;
    let name = match desk {
        Some(id) => orgs::get(conn, &id).map(|o| o.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(if name.is_empty() {
        case.handling_organ_name.clone()
    } else {
        name
    })
}

/// The hearing a document is about: the one given, else the case's latest.
pub fn hearing_for(
    conn: &Connection,
    case_id: &str,
    hearing_id: Option<&str>,
) -> Result<Option<Hearing>> {
    if let Some(id) = hearing_id {
        let h = hearings::get(conn, id)?;
        if h.case_id != case_id {
            return Err(StoreError::refused(format!(
                "听证会“{}”不属于该案件",
                h.title
            )));
        }
        return Ok(Some(h));
    }
    let list = hearings::list(conn, Some(case_id))?;
    match list
        .iter()
        .filter(|h| h.status.as_str() != "cancelled")
        .max_by(|a, b| (&a.scheduled_on, &a.start_time).cmp(&(&b.scheduled_on, &b.start_time)))
    {
        Some(s) => Ok(Some(hearings::get(conn, &s.id)?)),
        None => Ok(None),
    }
}

fn petitioner_particulars(case: &Case) -> String {
    case.petitioners
        .iter()
        .map(|p| {
            let mut s = p.name.clone();
            if let Some(id) = p.id_number.as_deref().filter(|s| !s.is_empty()) {
                s.push_str(&format!("，公民身份号码{}", mask_id_number(id)));
            }
            if !p.address.is_empty() {
                s.push_str(&format!("，住{}", p.address));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn history(case: &Case) -> Vec<String> {
    let mut out: Vec<String> = case
        .rulings
        .iter()
        .map(|r| {
            let date = if r.date.is_empty() {
                String::new()
            } else {
                format!("{}，", zh_date(&r.date))
            };
            sentence(&format!("{date}{}作出{}，{}", r.organ, r.number, r.summary))
        })
        .collect();
    out.extend(
        case.background
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(sentence),
    );
    if !case.analysis.historical_facts.trim().is_empty() {
        out.push(sentence(&case.analysis.historical_facts));
    }
    if !case.analysis.existing_replies.trim().is_empty() {
        out.push(sentence(&format!(
            "有关机关已作出答复：{}",
            case.analysis.existing_replies
        )));
    }
    if out.is_empty() {
        out.push(format!(
            "信访人于{}登记反映上述事项。",
            zh_date(&case.registered_on)
        ));
    }
    out
}

/// The panelists on the panel: invited and not declined, unanswered or absent.
pub fn on_panel(ps: &[Participant]) -> Vec<&Participant> {
    ps.iter()
        .filter(|p| {
            p.role == ParticipantRole::Panelist
                && !matches!(
                    p.invitation,
                    InvitationStatus::Declined
                        | InvitationStatus::NoAnswer
                        | InvitationStatus::Absent
                )
        })
        .collect()
}

/// What a document is made from: its fields, the hearing it is about and, for a per-person
/// kind, the panelist it is for.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub fields: Fields,
    pub hearing_id: Option<String>,
    pub subject: Option<Participant>,
}

/// The panelist named for a per-person document, checked against the kind.
fn subject_of(
    conn: &Connection,
    kind: DocKind,
    subject_id: Option<&str>,
) -> Result<Option<Participant>> {
    let Some(id) = subject_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if !kind.per_panelist() {
        return Err(StoreError::refused(format!(
            "{}不按人生成，不能指定听证员；按人生成的有：{}",
            kind.label(),
            per_panelist_labels()
        )));
    }
    let p = hearings::participant(conn, id)?;
    if p.role != ParticipantRole::Panelist {
        return Err(StoreError::refused(format!(
            "{}是{}，不是听证员；{}只发给听证员",
            p.name,
            p.role.label(),
            kind.label()
        )));
    }
    Ok(Some(p))
}

fn per_panelist_labels() -> String {
    DocKind::ALL
        .iter()
        .filter(|k| k.per_panelist())
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// The data a document of `kind` needs, read from the case (and its hearing). A per-person kind
/// is for the panelist `subject_id` (whose hearing it then is about), by default the first on
/// the panel.
pub fn gather(
    conn: &Connection,
    kind: DocKind,
    case_id: &str,
    hearing_id: Option<&str>,
    subject_id: Option<&str>,
    today: NaiveDate,
) -> Result<Gathered> {
    let case = cases::get(conn, case_id)?;
    let organ = issuing_organ(conn, &case)?;
    let named = subject_of(conn, kind, subject_id)?;
    let hearing = hearing_for(
        conn,
        case_id,
        hearing_id.or(named.as_ref().map(|p| p.hearing_id.as_str())),
    )?;
    if kind.needs_hearing() && hearing.is_none() {
        return Err(StoreError::refused(format!(
            "案件 {} 还没有安排听证，无法生成{}",
            case.number,
            kind.label()
        )));
    }
    if let (Some(p), Some(h)) = (&named, &hearing) {
        if p.hearing_id != h.id {
            return Err(StoreError::refused(format!(
                "{}不是听证会“{}”的听证员",
                p.name, h.title
            )));
        }
    }
    let mut subject = None;
    let today_text = today.format("%Y-%m-%d").to_string();
    let mut f = Fields::new();
    let petitioner = case
        .petitioners
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let first = case.petitioners.first();
    let surname: String = first
        .and_then(|p| p.name.chars().next())
        .map(|c| format!("{c}某某"))
        .unwrap_or_else(|| "某某".into());
    let matter = case.title.trim_end_matches('。').to_owned();
    let matter_short = matter.trim_end_matches("信访案").to_owned();
    f.text("organ", &organ)
        .text("number", "")
        .text("date", zh_date(&today_text))
        .text("case_number", &case.number)
        .text("case_title", &case.title)
        .text("matter", &matter)
        .text("matter_short", format!("{matter_short}信访事项"))
        .text("matter_public", format!("{surname}反映的涉法涉诉信访事项"))
        .text("petitioner", &petitioner)
        .text(
            "petitioner_id",
            first
                .and_then(|p| p.id_number.as_deref())
                .map(mask_id_number)
                .unwrap_or_default(),
        )
        .text(
            "petitioner_address",
            first.map(|p| p.address.clone()).unwrap_or_default(),
        )
        .text("petitioner_particulars", petitioner_particulars(&case))
        .text("handling_organ", &case.handling_organ_name)
        .text("case_officer", &case.case_officer)
        .text("demands", case.demands.trim().trim_end_matches('。'))
        .text("issues", or_none(&case.analysis.crux))
        .list("history", history(&case))
        .text("history_text", history(&case).join(""))
        .text("contact", "");

    let mut config = crate::config::current(conn)?.1;
    if let Some(h) = &hearing {
        config = hearings::config_of(conn, &h.id)?;
        let ps = hearings::participants(conn, &h.id)?;
        let role = |r: ParticipantRole| ps.iter().filter(|p| p.role == r).collect::<Vec<_>>();
        let panel = on_panel(&ps);
        subject = match &named {
            Some(p) => Some(p.clone()),
            None if kind.per_panelist() => panel.first().map(|p| (*p).clone()),
            None => None,
        };
        let presider = names(&role(ParticipantRole::Presider));
        let clerk = names(&role(ParticipantRole::Clerk));
        let panel_units = panel
            .iter()
            .map(|p| {
                if p.unit.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}（{}）", p.name, p.unit)
                }
            })
            .collect::<Vec<_>>()
            .join("、");
        let others: Vec<&Participant> = ps
            .iter()
            .filter(|p| {
                matches!(
                    p.role,
                    ParticipantRole::ThirdParty | ParticipantRole::Witness
                )
            })
            .collect();
        let public_text = if h.public {
            "听证公开举行。".to_owned()
        } else {
            format!(
                "听证不公开举行，理由：{}。",
                h.non_public_reason.trim_end_matches('。')
            )
        };
        let panel_text = format!(
            "由{}担任主持人，{}担任听证员，{}担任记录员",
            or_none(&presider),
            or_none(&names(&panel)),
            or_none(&clerk)
        );
        f.text("hearing_title", &h.title)
            .text("hearing_date", zh_date(&h.scheduled_on))
            .text("hearing_time", h.start_time.clone())
            .text("venue", &h.venue)
            .text("mode", h.mode.label())
            .text(
                "mode_public",
                format!(
                    "{}，{}",
                    h.mode.label(),
                    if h.public { "公开" } else { "不公开" }
                ),
            )
            .text("public_text", public_text)
            .text("presider", or_none(&presider))
            .text("clerk", or_none(&clerk))
            .text("panel", or_none(&names(&panel)))
            .text("panel_units", or_none(&panel_units))
            .text("panel_size", panel.len().to_string())
            .text("panel_text", panel_text)
            .text("agents", or_none(&names(&role(ParticipantRole::Agent))))
            .text("others", names(&others))
            .text(
                "observer_count",
                role(ParticipantRole::Observer).len().to_string(),
            )
            .text("status", h.status.label())
            .text(
                "started_at",
                format!("{} {}", zh_date(&h.scheduled_on), h.start_time),
            )
            .text(
                "ended_at",
                h.transcript_signed_at
                    .as_deref()
                    .map(zh_date)
                    .unwrap_or_else(|| "（未结束）".into()),
            );
        gather_hearing_kind(conn, kind, &mut f, h, &ps, subject.as_ref(), &config)?;
    } else {
        for k in [
            "hearing_title",
            "hearing_date",
            "hearing_time",
            "venue",
            "mode",
            "public_text",
            "presider",
            "clerk",
            "panel",
            "panel_units",
        ] {
            f.text(k, "");
        }
        f.text("panel_text", "未举行听证");
    }
    gather_case_kind(conn, kind, &mut f, &case, hearing.as_ref(), &config, today)?;
    Ok(Gathered {
        fields: f,
        hearing_id: hearing.map(|h| h.id),
        subject,
    })
}

fn gather_hearing_kind(
    conn: &Connection,
    kind: DocKind,
    f: &mut Fields,
    h: &Hearing,
    ps: &[Participant],
    subject: Option<&Participant>,
    config: &JurisdictionConfig,
) -> Result<()> {
    let delib = hearings::deliberation(conn, &h.id)?;
    let t = &delib.tally;
    let majority_text = match t.majority {
        Some(v) => format!("多数意见为“{}”。", v.label()),
        None => "未形成多数意见。".to_owned(),
    };
    let tally_text = if t.total > 0 {
        format!(
            "{}名听证员中{}名同意、{}名不同意、{}名持其他意见，",
            t.total, t.agree, t.disagree, t.other
        )
    } else {
        String::new()
    };
    let hearing_opinion = match t.majority {
        Some(Vote::Agree) => {
            "承办单位对该信访事项的处理认定事实清楚、适用法律正确、程序合法，同意依法终结。"
                .to_owned()
        }
        Some(Vote::Disagree) => "不同意依法终结，建议承办单位进一步核查处理。".to_owned(),
        _ => delib
            .opinions
            .first()
            .map(|o| sentence(&o.reasons))
            .unwrap_or_else(|| "（尚未评议）".to_owned()),
    };
    let minority: Vec<String> = t
        .minority
        .iter()
        .map(|m| {
            format!(
                "{}（{}）：{}{}{}",
                m.panelist_name,
                m.vote.label(),
                sentence(&m.facts),
                sentence(&m.law),
                sentence(&m.reasons)
            )
        })
        .collect();
    f.text("tally_total", t.total.to_string())
        .text("tally_agree", t.agree.to_string())
        .text("tally_disagree", t.disagree.to_string())
        .text("tally_other", t.other.to_string())
        .text("majority_text", majority_text)
        .text("tally_text", tally_text)
        .text("hearing_opinion", hearing_opinion)
        .text("missing", delib.missing.join("、"))
        .list(
            "minority",
            if minority.is_empty() {
                vec!["无。".into()]
            } else {
                minority
            },
        )
        .text(
            "organ_decision",
            match delib.organ_decision {
                Some(v) => format!(
                    "{}{}",
                    v.label(),
                    if delib.organ_decision_reason.is_empty() {
                        "。".to_owned()
                    } else {
                        format!("，理由：{}", sentence(&delib.organ_decision_reason))
                    }
                ),
                None => String::new(),
            },
        )
        .rows(
            "opinion_rows",
            delib
                .opinions
                .iter()
                .map(|o| {
                    vec![
                        o.panelist_name.clone(),
                        o.facts.clone(),
                        o.law.clone(),
                        o.vote.label().to_owned(),
                        o.reasons.clone(),
                        String::new(),
                    ]
                })
                .collect(),
        );
    // Per-person kinds: the panelist the document is for (none: addressed to all of them).
    let invitee = subject;
    let identity = match invitee {
        Some(p) => identity_of(conn, p)?,
        None => "听证员".to_owned(),
    };
    if kind == DocKind::Invitation {
        f.text(
            "invitee_name",
            invitee.map(|p| p.name.clone()).unwrap_or_default(),
        )
        .text(
            "invitee_unit",
            invitee.map(|p| p.unit.clone()).unwrap_or_default(),
        );
    }
    if kind == DocKind::PanelistOpinion {
        member_fields(f, invitee, &identity, &delib.opinions);
    }
    f.text(
        "recipient",
        match kind {
            DocKind::Invitation => invitee
                .map(|p| format!("{}同志", p.name))
                .unwrap_or_else(|| "各位听证员".into()),
            _ => ps
                .iter()
                .filter(|p| p.role == ParticipantRole::Petitioner)
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        },
    )
    .text("invitee_identity", identity)
    .text("apply_deadline", {
        chrono::NaiveDate::parse_from_str(&h.scheduled_on, "%Y-%m-%d")
            .map(|d| {
                zh_date(
                    &(d - chrono::Duration::days(2))
                        .format("%Y-%m-%d")
                        .to_string(),
                )
            })
            .unwrap_or_default()
    })
    .text("quota", "10")
    .rows(
        "signers",
        ps.iter()
            .filter(|p| match kind {
                DocKind::Declaration => matches!(
                    p.role,
                    ParticipantRole::Presider | ParticipantRole::Panelist | ParticipantRole::Clerk
                ),
                _ => !matches!(p.role, ParticipantRole::Observer),
            })
            .map(|p| {
                let status = if kind == DocKind::Transcript {
                    match p.signature {
                        SignatureStatus::Refused => format!("拒签（{}）", p.signature_note),
                        SignatureStatus::NotPresent => "未到".to_owned(),
                        _ => String::new(),
                    }
                } else {
                    String::new()
                };
                let mut row = vec![p.role.label().to_owned(), p.name.clone()];
                if kind == DocKind::Declaration {
                    row.push(p.unit.clone());
                }
                row.push(status);
                row.push(String::new());
                row
            })
            .collect(),
    )
    .text(
        "refusals",
        ps.iter()
            .filter(|p| p.signature == SignatureStatus::Refused)
            .map(|p| {
                format!(
                    "{}{}拒绝签字，{}",
                    p.role.label(),
                    p.name,
                    or_none(&p.signature_note)
                )
            })
            .collect::<Vec<_>>()
            .join("；"),
    );
    let case = cases::get(conn, &h.case_id)?;
    f.text(
        "case_summary",
        sentence(&format!(
            "信访人{}反映{}，诉求为：{}",
            case.petitioners
                .first()
                .map(|p| p.name.as_str())
                .unwrap_or(""),
            case.title.trim_end_matches('。'),
            or_none(&case.demands).trim_end_matches('。')
        )),
    );

    // The agenda: plan, script and the record by step.
    let agenda = &config.agenda;
    f.list(
        "agenda",
        agenda
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "（{}）{}{}",
                    cn_number(i + 1),
                    s.title,
                    if s.closed {
                        "（不公开）"
                    } else if s.optional {
                        "（视情况）"
                    } else {
                        ""
                    }
                )
            })
            .collect(),
    );
    if kind == DocKind::PresiderScript {
        f.list("script", script(agenda, f, h));
    }
    if kind == DocKind::Transcript {
        let entries = hearings::testimony(conn, &h.id)?;
        // Corrections applied: the newest correction stands where the original entry stood.
        let by_id: std::collections::HashMap<&str, &hearings::TestimonyEntry> =
            entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut effective: Vec<&hearings::TestimonyEntry> = Vec::new();
        for e in entries.iter().filter(|e| e.supersedes.is_none()) {
            let mut cur = e;
            let mut hops = 0;
            while let Some(next) = cur.superseded_by.as_deref().and_then(|id| by_id.get(id)) {
                cur = next;
                hops += 1;
                if hops > entries.len() {
                    break;
                }
            }
            effective.push(cur);
        }
        let mut record = Vec::new();
        let mut n = 0;
        let mut seen = std::collections::HashSet::new();
        let mut steps: Vec<(String, String)> = agenda
            .iter()
            .map(|s| (s.key.clone(), s.title.clone()))
            .collect();
        for e in &effective {
            if !steps.iter().any(|(k, _)| k == &e.step_key) {
                steps.push((e.step_key.clone(), e.step_key.clone()));
            }
        }
        for (key, title) in &steps {
            let here: Vec<_> = effective.iter().filter(|e| &e.step_key == key).collect();
            if here.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            n += 1;
            record.push(format!("@h2 （{}）{}", cn_number(n), title));
            for e in here {
                let who = if e.speaker_name.is_empty() {
                    e.speaker_role.label().to_owned()
                } else {
                    e.speaker_name.clone()
                };
                record.push(format!(
                    "{}（{}）：{}",
                    qa_label(e.speaker_role),
                    who,
                    e.text.trim()
                ));
            }
        }
        if record.is_empty() {
            record.push("（尚无记录）".into());
        }
        let evidence = hearings::evidence(conn, &h.id)?;
        if !evidence.is_empty() {
            n += 1;
            record.push(format!("@h2 （{}）证据及质证意见", cn_number(n)));
            for ev in evidence {
                let mut line = format!("证据{}：{}（{}提交）", ev.seq, ev.title, ev.submitted_by);
                for c in ev.challenges {
                    line.push_str(&format!("；{}质证意见：{}", c.party, c.opinion));
                }
                record.push(sentence(&line));
            }
        }
        f.list("record", record);
    }
    let presider_view = match t.majority {
        Some(Vote::Agree) => {
            "听证程序合法，听证员多数意见同意依法终结，建议按程序报批终结。".to_owned()
        }
        Some(Vote::Disagree) => "听证员多数意见不同意终结，建议承办单位进一步核查。".to_owned(),
        _ => "尚待评议。".to_owned(),
    };
    let head_review = if h.organ_decision.is_some() {
        text_of(f, "organ_decision")
    } else {
        "（待审核）".to_owned()
    };
    f.text("presider_view", presider_view)
        .text("head_review", head_review);
    Ok(())
}

/// A line for handwriting where nothing was recorded (26 characters: a paragraph line after its
/// two-character indent).
const BLANK_LINE: &str = "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿";
/// Between the six 送达方式 boxes: narrow spaces, so they fit on one line of the table cell.
const METHOD_SEP: &str = "  ";
/// A date to be written by hand.
const BLANK_DATE: &str = "　　　　年　　月　　日";

/// "☑同意　□不同意　□其他": the ticked one is `chosen`; `sep` between the options.
fn check_boxes(options: &[&str], chosen: Option<&str>, sep: &str) -> String {
    options
        .iter()
        .map(|o| format!("{}{o}", if Some(*o) == chosen { "☑" } else { "□" }))
        .collect::<Vec<_>>()
        .join(sep)
}

/// What a panelist is on the panel as: "市级人大代表", "律师"…; "听证员" when not from the pool.
fn identity_of(conn: &Connection, p: &Participant) -> Result<String> {
    let Some(id) = p.person_id.as_deref() else {
        return Ok("听证员".to_owned());
    };
    let person = match crate::persons::get(conn, id) {
        Ok(person) => person,
        Err(StoreError::NotFound { .. }) => return Ok("听证员".to_owned()),
        Err(e) => return Err(e),
    };
    Ok(match person.kind {
        hearing_core::PersonKind::Other if !person.title.trim().is_empty() => {
            person.title.trim().to_owned()
        }
        hearing_core::PersonKind::Other => "特邀人士".to_owned(),
        kind => format!(
            "{}{}",
            person.level.map(|l| l.label()).unwrap_or(""),
            kind.label()
        ),
    })
}

/// One member's 评议意见表: the recorded opinion, or lines to write on.
fn member_fields(
    f: &mut Fields,
    member: Option<&Participant>,
    identity: &str,
    opinions: &[hearings::Opinion],
) {
    let own = member.and_then(|p| opinions.iter().find(|o| o.participant_id == p.id));
    let paras = |text: Option<&str>, blank_lines: usize| -> Vec<String> {
        let items: Vec<String> = text
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(sentence)
            .collect();
        if items.is_empty() {
            vec![BLANK_LINE.to_owned(); blank_lines]
        } else {
            items
        }
    };
    let votes = [Vote::Agree, Vote::Disagree, Vote::Other].map(|v| v.label());
    f.text(
        "member_name",
        member.map(|p| p.name.clone()).unwrap_or_default(),
    )
    .text(
        "member_identity",
        if member.is_some() { identity } else { "" },
    )
    .text(
        "member_unit",
        member.map(|p| p.unit.clone()).unwrap_or_default(),
    )
    .list("member_facts", paras(own.map(|o| o.facts.as_str()), 2))
    .list("member_law", paras(own.map(|o| o.law.as_str()), 2))
    .list("member_reasons", paras(own.map(|o| o.reasons.as_str()), 3))
    .text(
        "vote_boxes",
        check_boxes(&votes, own.map(|o| o.vote.label()), "　　"),
    )
    .text(
        "member_sign_date",
        own.and_then(|o| china_date(&o.updated_at))
            .map(|d| zh_date(&d))
            .unwrap_or_else(|| BLANK_DATE.to_owned()),
    );
}

/// The China date (YYYY-MM-DD) of a stored UTC timestamp.
fn china_date(utc: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(utc).ok().map(|t| {
        (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(8))
            .format("%Y-%m-%d")
            .to_string()
    })
}

fn text_of(f: &Fields, key: &str) -> String {
    match f.get(key) {
        Some(hearing_docs::Value::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

/// The presider's script, generated from the agenda steps.
fn script(agenda: &[hearing_core::AgendaStepDef], f: &Fields, h: &Hearing) -> Vec<String> {
    let mut out = Vec::new();
    for (i, step) in agenda.iter().enumerate() {
        out.push(format!("@h2 （{}）{}", cn_number(i + 1), step.title));
        let say = match step.key.as_str() {
            "checkIn" => "请工作人员核对出席人员并报告到场情况。".to_owned(),
            "opening" => format!(
                "现在宣布：{}听证会开始。今天的听证事项是{}。请全体人员遵守听证纪律：关闭通讯工具，不得喧哗、鼓掌、随意走动，未经许可不得录音录像，发言须经主持人许可。",
                text_of(f, "organ"),
                text_of(f, "matter")
            ),
            "identity" => "现在核对参加人身份。请信访人出示居民身份证；代理人出示授权委托书和身份证明。".to_owned(),
            "introductions" => format!(
                "本次听证由我{}主持，听证员为{}，记录员为{}。信访人享有申请回避、陈述、举证质证、辩论和最后陈述的权利，负有如实陈述、遵守纪律的义务。信访人是否申请主持人、听证员、记录员回避？{}",
                text_of(f, "presider"),
                text_of(f, "panel"),
                text_of(f, "clerk"),
                if h.public { String::new() } else { text_of(f, "public_text") }
            ),
            "organStatement" => "请承办单位陈述案件办理经过、处理结果、救助情况以及拟终结的意见和依据。".to_owned(),
            "petitionerStatement" => "请信访人或代理人陈述信访诉求及事实和理由。".to_owned(),
            "evidence" => "下面进行举证、质证。请各方逐项出示证据，对方发表质证意见。".to_owned(),
            "debate" => "下面进行辩论。请各方围绕争议焦点发表意见，不要重复。".to_owned(),
            "panelQuestions" => "请听证员就需要查明的问题进行提问。".to_owned(),
            "finalStatements" => "请信访人作最后陈述；请承办单位作最后陈述。".to_owned(),
            "deliberation" => "现在休会，听证员进行评议。请其他人员退场等候。".to_owned(),
            "announceOpinion" => "现在复会，宣布听证员评议意见。".to_owned(),
            "closing" => "听证会到此结束。请参加人核对笔录并签字。现在闭会。".to_owned(),
            _ => format!("进行“{}”环节。", step.title),
        };
        out.push(format!("主持人：{say}"));
    }
    out
}

fn gather_case_kind(
    conn: &Connection,
    kind: DocKind,
    f: &mut Fields,
    case: &Case,
    hearing: Option<&Hearing>,
    config: &JurisdictionConfig,
    today: NaiveDate,
) -> Result<()> {
    let approvals = closure::approvals(conn, &case.id)?;
    let wf = closure::workflow(conn, &case.id, today)?;
    let approved_by = approvals
        .iter()
        .filter(|a| a.approved)
        .map(|a| a.level_title.clone())
        .collect::<Vec<_>>();
    let basis = "《中共中央办公厅 国务院办公厅关于依法处理涉法涉诉信访问题的意见》和中央政法委《关于建立涉法涉诉信访事项导入法律程序工作机制的意见》《关于健全涉法涉诉信访依法终结制度的实施意见》".to_owned();
    let original = {
        let mut s = if case.original_case_number.is_empty() {
            String::new()
        } else {
            format!("原案案号{}。", case.original_case_number)
        };
        for r in &case.rulings {
            s.push_str(&sentence(&format!(
                "{}{}：{}",
                r.organ, r.number, r.summary
            )));
        }
        or_none(&s)
    };
    let hearing_text = match hearing {
        Some(h) => format!(
            "{}在{}举行听证，{}。{}",
            zh_date(&h.scheduled_on),
            h.venue,
            text_of(f, "panel_text"),
            text_of(f, "majority_text")
        ),
        None => "未举行听证。".into(),
    };
    let mut first_finding = "经审查，".to_owned();
    if !case.analysis.problem_nature.trim().is_empty() {
        first_finding.push_str(&format!(
            "你反映的问题属于{}，",
            case.analysis.problem_nature.trim().trim_end_matches('。')
        ));
    }
    if !case.analysis.crux.trim().is_empty() {
        first_finding.push_str(&format!(
            "争议焦点为{}。",
            case.analysis.crux.trim().trim_end_matches('。')
        ));
    }
    first_finding
        .push_str("原案认定事实清楚，证据确实充分，适用法律正确，处理结果适当，程序合法。");
    let mut findings = vec![first_finding];
    if !case.analysis.existing_replies.trim().is_empty() {
        findings.push(sentence(&format!(
            "有关机关已就你的诉求作出答复（{}），并进行了释法说理",
            case.analysis.existing_replies.trim().trim_end_matches('。')
        )));
    }
    findings.push("你的信访诉求已经依法处理，所提理由缺乏事实和法律依据，依法不予支持。".into());
    f.text("original_case", original)
        .text("hearing_text", hearing_text)
        .text("review_findings", or_none(&case.analysis.errors_and_flaws))
        .text("aid", "已告知司法救助申请途径，并由属地落实帮扶措施。")
        .text("ground", format!("依据{basis}，该信访事项已经法定程序处理完毕，拟依法终结。"))
        .text("basis", basis)
        .list("findings", findings)
        .text(
            "approved_by",
            if approved_by.is_empty() {
                "本机关".to_owned()
            } else {
                approved_by.join("、")
            },
        )
        .text(
            "remedies",
            "本告知不影响你依法通过申请再审、申诉等法律途径主张权利。你如有新的事实、证据，可以依法向有管辖权的机关提出。",
        )
        .text("closed_on", wf.closed_on.as_deref().map(zh_date).unwrap_or_else(|| "（待终结）".into()))
        .text(
            "followups",
            wf.followups
                .iter()
                .map(|x| sentence(&format!("{} {} {}", zh_date(&x.on_date), x.locality, x.note)))
                .collect::<Vec<_>>()
                .join(""),
        )
        .text(
            "locality",
            wf.followups
                .first()
                .map(|x| x.locality.clone())
                .filter(|s| !s.is_empty())
                .or_else(|| case.petitioners.first().map(|p| format!("{}人民政府", p.address)))
                .unwrap_or_else(|| "属地党委政法委".into()),
        );
    let mut rows: Vec<Vec<String>> = config
        .approval_chain
        .iter()
        .map(|lvl| {
            let a = approvals.iter().rev().find(|a| a.level_key == lvl.key);
            vec![
                lvl.title.clone(),
                a.map(|a| a.opinion.clone()).unwrap_or_default(),
                a.map(|a| {
                    if a.proxy {
                        format!("{}（代录）", a.approver)
                    } else {
                        a.approver.clone()
                    }
                })
                .unwrap_or_default(),
                a.map(|a| zh_date(&a.decided_on)).unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        rows.push(vec![
            "承办人".into(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    f.rows("approvals", rows);
    if kind == DocKind::ServiceReceipt {
        receipt_fields(conn, f, case)?;
    }
    Ok(())
}

/// The document title of a filled text without the issuing organ: "涉法涉诉信访事项终结告知书".
fn document_name(text: &str, organ: &str) -> Option<String> {
    let title = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("@title "))?;
    let parts: Vec<&str> = title.split('|').map(str::trim).collect();
    let name = match parts.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && (*first == organ || first.is_empty()) => {
            rest.concat()
        }
        all => all.concat(),
    };
    let name = name.strip_prefix(organ).unwrap_or(&name).trim().to_owned();
    (!name.is_empty()).then_some(name)
}

/// The service recorded on a document, if any (`{}` until served).
pub fn service_of(d: &Document) -> Option<ServiceInput> {
    serde_json::from_str::<ServiceInput>(&d.service)
        .ok()
        .filter(|s| !s.date.trim().is_empty())
}

/// The 送达回证 of the case's closure decision: what was recorded when it was served, or a blank
/// form (the decision's title and number filled in if one has been made).
fn receipt_fields(conn: &Connection, f: &mut Fields, case: &Case) -> Result<()> {
    let organ = text_of(f, "organ");
    let decisions: Vec<Document> = list(conn, &case.id)?
        .into_iter()
        .filter(|d| d.kind == DocKind::ClosureDecision.key())
        .collect();
    let served = decisions
        .iter()
        .rev()
        .find_map(|d| service_of(d).map(|s| (d, s)));
    let decision = served.as_ref().map(|(d, _)| *d).or(decisions.last());
    let documents = match decision {
        Some(d) => {
            let name = document_name(&d.text, &organ)
                .unwrap_or_else(|| "涉法涉诉信访事项终结告知书".to_owned());
            if d.number.is_empty() {
                format!("{name} 1份")
            } else {
                format!("{name}（{}）1份", d.number)
            }
        }
        None => "涉法涉诉信访事项终结告知书 1份".to_owned(),
    };
    let first = case.petitioners.first();
    let address_of = |name: &str| {
        case.petitioners
            .iter()
            .find(|p| p.name == name.trim())
            .or(first)
            .map(|p| p.address.clone())
            .unwrap_or_default()
    };
    f.text("documents", documents)
        .text("recipient_sign", "")
        .text("issuer", "");
    let Some((_, s)) = served else {
        let blank_sign = format!("（签名）　　　　　　{BLANK_DATE}");
        f.text(
            "recipient",
            first.map(|p| p.name.clone()).unwrap_or_default(),
        )
        .text("address", address_of(""))
        .text(
            "method_boxes",
            check_boxes(&method_terms(), None, METHOD_SEP),
        )
        .text(
            "recipient_sign_cell",
            format!("（签名或盖章）　　　{BLANK_DATE}"),
        )
        .text("receiver_cell", blank_sign.clone())
        .text("server_cell", blank_sign)
        .text("receiver", "")
        .text("refusal", "")
        .text("server", "")
        .text("note", "");
        return Ok(());
    };
    let method = ServiceMethod::read(&s.method);
    let date = zh_date(&s.date);
    let left = method == Some(ServiceMethod::Left);
    let receiver = s.receiver.trim();
    let server = s.server.trim();
    f.text("recipient", s.recipient.trim())
        .text("address", address_of(&s.recipient))
        .text(
            "method_boxes",
            check_boxes(&method_terms(), method.map(ServiceMethod::term), METHOD_SEP),
        )
        .text(
            "recipient_sign_cell",
            if left {
                format!("拒绝签收　　{date}")
            } else {
                format!("（签名或盖章）　　{date}")
            },
        )
        .text(
            "receiver_cell",
            if left || receiver.is_empty() {
                "无".to_owned()
            } else {
                format!("{receiver}（签名）　　{date}")
            },
        )
        .text(
            "refusal",
            if left {
                format!(
                    "受送达人拒绝签收，送达人于{date}将文书留置于受送达人住所；见证人：{}",
                    if receiver.is_empty() {
                        "＿＿＿＿＿＿（签名）".to_owned()
                    } else {
                        format!("{receiver}（签名）")
                    }
                )
            } else {
                "无".to_owned()
            },
        )
        .text(
            "server_cell",
            if server.is_empty() {
                format!("（签名）　　{date}")
            } else {
                format!("{server}（签名）　　{date}")
            },
        )
        .text("receiver", receiver)
        .text("server", server)
        .text("note", s.note.trim());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Life cycle

pub(crate) fn data_dir(store: &Store) -> PathBuf {
    store
        .path()
        .parent()
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."))
}

impl Store {
    /// The templates in use: built-ins overridden by `<data dir>/templates/<kind>.txt`.
    pub fn templates(&self) -> Result<Templates> {
        let dir = data_dir(self).join("templates");
        Templates::load(Some(&dir)).map_err(|e| StoreError::Document(e.to_string()))
    }

    /// This desk's font settings (`<data dir>/fonts.json`).
    pub fn font_settings(&self) -> Result<FontSettings> {
        FontSettings::load(&data_dir(self)).map_err(|e| StoreError::Document(e.to_string()))
    }

    /// Checks and saves the font settings; the next document uses them.
    pub fn save_font_settings(&self, settings: &FontSettings) -> Result<()> {
        self.require(Permission::ManageSettings)?;
        settings
            .save(&data_dir(self))
            .map_err(|e| StoreError::Document(e.to_string()))
    }

    /// The faces documents of this desk are set in: the shipped open faces, the system's Noto
    /// CJK, and the licensed faces chosen in 设置.
    pub fn fonts(&self) -> Result<Arc<FontSet>> {
        FontSet::for_settings(&self.font_settings()?)
            .map_err(|e| StoreError::Document(e.to_string()))
    }

    /// The filled text of a document without storing anything (preview), numbered as the next
    /// document would be; a per-person kind for `subject_id` (default: the first panelist).
    pub fn preview_text(
        &self,
        kind: DocKind,
        case_id: &str,
        hearing_id: Option<&str>,
        subject_id: Option<&str>,
    ) -> Result<String> {
        let source = self.templates()?.source(kind).to_owned();
        self.fill_preview(kind, &source, case_id, hearing_id, subject_id)
    }

    /// Fills `source` (a template of `kind`, saved or not) with a case's data, numbered as the
    /// next document would be.
    pub(crate) fn fill_preview(
        &self,
        kind: DocKind,
        source: &str,
        case_id: &str,
        hearing_id: Option<&str>,
        subject_id: Option<&str>,
    ) -> Result<String> {
        let mut f = gather(
            self.conn(),
            kind,
            case_id,
            hearing_id,
            subject_id,
            self.today(),
        )?
        .fields;
        if let Some((prefix, year, seq)) = next_number(self.conn(), kind, self.today())? {
            f.text("number", prefix.format_number(year as i32, seq));
        }
        hearing_docs::templates::fill(kind.label(), source, &f)
            .map_err(|e| StoreError::Document(e.to_string()))
    }

    /// Generates a draft from the case data; numbered documents take the next number of the
    /// year for their prefix. A per-person kind is for `subject_id`, by default the first
    /// panelist (see [`Store::generate_documents_each`] for one per panelist).
    pub fn generate_document(
        &mut self,
        kind: DocKind,
        case_id: &str,
        hearing_id: Option<&str>,
        subject_id: Option<&str>,
    ) -> Result<Document> {
        let g = gather(
            self.conn(),
            kind,
            case_id,
            hearing_id,
            subject_id,
            self.today(),
        )?;
        let hearing = if kind.needs_hearing() || hearing_id.is_some() || g.subject.is_some() {
            g.hearing_id.clone()
        } else {
            None
        };
        let templates = self.templates()?;
        self.write(Permission::ManageDocuments, "生成文书", |w| {
            let case = cases::get(w.tx(), case_id)?;
            let d = insert_document(w, &templates, kind, &case, hearing.as_deref(), g)?;
            w.for_case(&case.id);
            w.describe(
                "document",
                &d.id,
                format!(
                    "生成{}草稿{}{}",
                    kind.label(),
                    if d.number.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", d.number)
                    },
                    if d.subject_name.is_empty() {
                        String::new()
                    } else {
                        format!("，致{}", d.subject_name)
                    }
                ),
            );
            Ok(d)
        })
    }

    /// One draft of a per-person kind (邀请函, 听证员评议意见表) for every panelist on the panel
    /// of the hearing (default: the case's latest), in one write: all or none.
    pub fn generate_documents_each(
        &mut self,
        kind: DocKind,
        case_id: &str,
        hearing_id: Option<&str>,
    ) -> Result<Vec<Document>> {
        if !kind.per_panelist() {
            return Err(StoreError::refused(format!(
                "{}不按人生成；可按每名听证员生成的有：{}",
                kind.label(),
                per_panelist_labels()
            )));
        }
        let case = cases::get(self.conn(), case_id)?;
        let Some(h) = hearing_for(self.conn(), case_id, hearing_id)? else {
            return Err(StoreError::refused(format!(
                "案件 {} 还没有安排听证，无法生成{}",
                case.number,
                kind.label()
            )));
        };
        let ps = hearings::participants(self.conn(), &h.id)?;
        let panel = on_panel(&ps);
        if panel.is_empty() {
            return Err(StoreError::refused(format!(
                "听证会“{}”还没有听证员（已谢绝、未答复或缺席的不计），无法按人生成{}；请先在听证会的“人员”中抽取或添加听证员",
                h.title,
                kind.label()
            )));
        }
        let mut all = Vec::with_capacity(panel.len());
        for p in &panel {
            all.push(gather(
                self.conn(),
                kind,
                case_id,
                Some(&h.id),
                Some(&p.id),
                self.today(),
            )?);
        }
        let templates = self.templates()?;
        self.write(
            Permission::ManageDocuments,
            "按听证员生成文书",
            |w| {
                let mut out = Vec::with_capacity(all.len());
                for g in all {
                    out.push(insert_document(w, &templates, kind, &case, Some(&h.id), g)?);
                }
                w.for_case(&case.id);
                let first = out.first().map(|d| d.id.clone()).unwrap_or_default();
                w.describe(
                    "document",
                    &first,
                    format!(
                        "按听证员生成{}草稿 {} 份：{}",
                        kind.label(),
                        out.len(),
                        out.iter()
                            .map(|d| d.subject_name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                );
                Ok(out)
            },
        )
    }

    /// Edits the text: a draft in place; a final (or later) document gets a new draft version.
    pub fn edit_document(&mut self, id: &str, text: &str) -> Result<Document> {
        hearing_docs::templates::blocks(text)
            .map_err(|e| StoreError::field("text", "document.syntax", e.to_string()))?;
        self.write(
            Permission::ManageDocuments,"修改文书", |w| {
            let d = get(w.tx(), id)?;
            w.for_case(&d.case_id);
            if d.state == DocState::Draft {
                w.tx().execute(
                    "UPDATE documents SET text = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, text, w.now()],
                )?;
                w.describe("document", id, format!("修改{}草稿", d.kind));
                return get(w.tx(), id);
            }
            let new_id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO documents (id, org_id, case_id, hearing_id, kind, number, num_prefix,
                    num_year, num_seq, version, previous_id, state, text, created_at, updated_at,
                    subject_id, subject_name)
                 SELECT ?2, org_id, case_id, hearing_id, kind, number, num_prefix, num_year, num_seq,
                    version + 1, id, 'draft', ?3, ?4, ?4, subject_id, subject_name
                 FROM documents WHERE id = ?1",
                params![id, new_id, text, w.now()],
            )?;
            w.describe(
                "document",
                &new_id,
                format!("修改已定稿文书{}，生成第 {} 版", d.number, d.version + 1),
            );
            get(w.tx(), &new_id)
        })
    }

    /// Freezes a draft: renders the PDF (with QR code and verification code on a closure
    /// decision), stores the bytes, their SHA-256 and the code.
    /// The PDF to show or print: the frozen bytes of a final document, a fresh rendering of a
    /// draft (without verification stamp).
    pub fn document_pdf(&self, id: &str, fonts: &FontSet) -> Result<Vec<u8>> {
        if let Some(bytes) = pdf(self.conn(), id)? {
            return Ok(bytes);
        }
        let d = get(self.conn(), id)?;
        let kind = DocKind::parse(&d.kind)
            .ok_or_else(|| StoreError::Document(format!("未知的文书类型：{}", d.kind)))?;
        hearing_docs::render_document(kind, &d.text, fonts, None)
            .map_err(|e| StoreError::Document(e.to_string()))
    }

    pub fn finalize_document(&mut self, id: &str, fonts: &FontSet) -> Result<Document> {
        let d = get(self.conn(), id)?;
        d.state.advance(DocState::Final)?;
        let kind = DocKind::parse(&d.kind)
            .ok_or_else(|| StoreError::Document(format!("未知的文书类型：{}", d.kind)))?;
        let text_sha = sha256_hex(d.text.as_bytes());
        let code = verification_code(&d.id, &text_sha);
        let stamp = Stamp {
            payload: format!("HD1:{}:{}", d.id, text_sha),
            code: code.clone(),
        };
        let stamp = (kind == DocKind::ClosureDecision).then_some(&stamp);
        let pdf = hearing_docs::render_document(kind, &d.text, fonts, stamp)
            .map_err(|e| StoreError::Document(e.to_string()))?;
        let pdf_sha = sha256_hex(&pdf);
        self.write(Permission::ManageDocuments, "文书定稿", |w| {
            w.tx().execute(
                "UPDATE documents SET state = 'final', text_sha256 = ?2, pdf_sha256 = ?3, pdf = ?4,
                    verification_code = ?5, finalized_at = ?6, updated_at = ?6 WHERE id = ?1",
                params![id, text_sha, pdf_sha, pdf, code, w.now()],
            )?;
            w.for_case(&d.case_id);
            w.describe(
                "document",
                id,
                format!(
                    "{}{}定稿，SHA-256 {}，验证码 {}",
                    kind.label(),
                    d.number,
                    &pdf_sha[..12],
                    code
                ),
            );
            get(w.tx(), id)
        })
    }

    /// Marks a final document printed, signed, served or filed ([`DocState::advance`] says
    /// whether it may be), setting what that step records with it.
    fn advance(
        &mut self,
        id: &str,
        to: DocState,
        record: Recorded,
        summary: &str,
    ) -> Result<Document> {
        self.write(Permission::ManageDocuments, "文书状态变更", |w| {
            let d = get(w.tx(), id)?;
            d.state.advance(to)?;
            w.tx().execute(
                "UPDATE documents SET state = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, to.as_str(), w.now()],
            )?;
            match &record {
                Recorded::Nothing => {}
                Recorded::Scan { path, sha256 } => {
                    w.tx().execute(
                        "UPDATE documents SET scan_path = ?2, scan_sha256 = ?3 WHERE id = ?1",
                        params![id, path, sha256],
                    )?;
                }
                Recorded::Service(json) => {
                    w.tx().execute(
                        "UPDATE documents SET service = ?2 WHERE id = ?1",
                        params![id, json],
                    )?;
                }
            }
            w.for_case(&d.case_id);
            w.describe("document", id, format!("{}{}：{summary}", d.kind, d.number));
            get(w.tx(), id)
        })
    }

    pub fn mark_document_printed(&mut self, id: &str) -> Result<Document> {
        self.advance(id, DocState::Printed, Recorded::Nothing, "已打印")
    }

    /// The attached scan of a signed document, decrypted (the file is sealed on a desk with
    /// accounts). Checked against the SHA-256 recorded when it was attached.
    pub fn read_signed_scan(&self, id: &str) -> Result<Vec<u8>> {
        let d = get(&self.conn, id)?;
        let (Some(rel), Some(sha)) = (d.scan_path.as_deref(), d.scan_sha256.as_deref()) else {
            return Err(StoreError::refused(format!(
                "{}还没有附上签署扫描件",
                d.kind
            )));
        };
        let bytes = crate::scans::read(self.key.as_ref(), &data_dir(self).join(rel))?;
        if sha256_hex(&bytes) != sha {
            return Err(StoreError::Damaged(format!(
                "扫描件 {rel} 与登记时的校验值不符，文件可能已被替换或损坏"
            )));
        }
        Ok(bytes)
    }

    /// Attaches the scan of the signed paper: copied to `<data dir>/scans/<sha256>.<ext>`
    /// (sealed on a desk with accounts, see [`crate::scans`]).
    pub fn attach_signed_scan(&mut self, id: &str, scan: &Path) -> Result<Document> {
        self.require(Permission::ManageDocuments)?;
        let bytes = std::fs::read(scan).map_err(|e| StoreError::Io {
            path: scan.display().to_string(),
            source: e,
        })?;
        let sha = sha256_hex(&bytes);
        let ext = scan
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("bin")
            .to_ascii_lowercase();
        let dir = data_dir(self).join("scans");
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
        let rel = format!("scans/{sha}.{ext}");
        let target = data_dir(self).join(&rel);
        if !target.exists() {
            crate::scans::write(self.key.as_ref(), &target, &bytes)?;
        }
        self.advance(
            id,
            DocState::Signed,
            Recorded::Scan {
                path: rel,
                sha256: sha,
            },
            "已签署，扫描件已归档",
        )
    }

    /// Records the service (送达回证 data).
    /// Checks it first, naming every problem under its field at once.
    pub fn record_document_service(&mut self, id: &str, input: &ServiceInput) -> Result<Document> {
        let mut e = hearing_core::ValidationErrors::default();
        if chrono::NaiveDate::parse_from_str(&input.date, "%Y-%m-%d").is_err() {
            e.push(
                "date",
                "date.format",
                format!("送达日期“{}”无效，应为 YYYY-MM-DD", input.date),
            );
        }
        let method = ServiceMethod::check(&mut e, "method", &input.method);
        if input.recipient.trim().is_empty() {
            e.push("recipient", "required", "受送达人不能为空");
        }
        // A method is there once the checks pass (its absence is one of them).
        let method = e.into_result(method)?.unwrap_or(ServiceMethod::Direct);
        let input = ServiceInput {
            method: method.label().to_owned(),
            ..input.clone()
        };
        self.advance(
            id,
            DocState::Served,
            Recorded::Service(serde_json::to_string(&input)?),
            &format!("{}{}{}", input.date, method.label(), input.recipient),
        )
    }

    pub fn file_document(&mut self, id: &str) -> Result<Document> {
        self.advance(id, DocState::Filed, Recorded::Nothing, "已归档")
    }
}

/// Numbers (if the kind is numbered), fills and stores one draft inside a write.
fn insert_document(
    w: &mut crate::Writer,
    templates: &Templates,
    kind: DocKind,
    case: &Case,
    hearing_id: Option<&str>,
    g: Gathered,
) -> Result<Document> {
    let mut f = g.fields;
    let (number, prefix, year, seq) = match next_number(w.tx(), kind, w.today())? {
        Some((p, y, s)) => (p.format_number(y as i32, s), p.prefix.clone(), y, s),
        None => (String::new(), String::new(), 0, 0),
    };
    f.text("number", &number);
    let text = templates
        .fill(kind, &f)
        .map_err(|e| StoreError::Document(e.to_string()))?;
    let id = uuid::Uuid::now_v7().to_string();
    w.tx().execute(
        "INSERT INTO documents (id, org_id, case_id, hearing_id, kind, number, num_prefix,
            num_year, num_seq, version, state, text, created_at, updated_at, subject_id,
            subject_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, 'draft', ?10, ?11, ?11, ?12, ?13)",
        params![
            id,
            case.org_id,
            case.id,
            hearing_id,
            kind.key(),
            number,
            prefix,
            year,
            seq,
            text,
            w.now(),
            g.subject.as_ref().map(|p| p.id.as_str()),
            g.subject.as_ref().map(|p| p.name.as_str()).unwrap_or(""),
        ],
    )?;
    get(w.tx(), &id)
}

/// What a step of a document's life records beside its new state.
enum Recorded {
    Nothing,
    /// The signed paper's scan: its path in the data folder and its SHA-256.
    Scan {
        path: String,
        sha256: String,
    },
    /// The 送达回证 data ([`ServiceInput`] as JSON).
    Service(String),
}

/// The prefix, year and next sequence number for `kind`, if it is numbered and configured.
pub(crate) fn next_number(
    conn: &Connection,
    kind: DocKind,
    today: NaiveDate,
) -> Result<Option<(hearing_core::DocPrefix, i64, u32)>> {
    let Some(pk) = kind.prefix_kind() else {
        return Ok(None);
    };
    let config = crate::config::current(conn)?.1;
    let Some(prefix) = config.doc_prefix(pk).cloned() else {
        return Ok(None);
    };
    let year = i64::from(today.year());
    let max: i64 = conn.query_row(
        "SELECT COALESCE(MAX(num_seq), 0) FROM documents WHERE num_prefix = ?1 AND num_year = ?2",
        params![prefix.prefix, year],
        |r| r.get(0),
    )?;
    Ok(Some((prefix, year, (max + 1) as u32)))
}

/// A document past its draft whose latest change has not reached the server yet (未上报).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UnreportedDocument {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    pub kind: String,
    pub kind_label: String,
    pub number: String,
    pub subject_name: String,
    /// Past the draft: final, printed, signed, served or filed.
    pub state: hearing_core::DocState,
    pub state_label: String,
    pub updated_at: String,
}

impl Store {
    /// Documents past their draft (final, printed, signed, served, filed) with a local change
    /// not yet pushed: the server does not have them as they are here yet. Newest first.
    pub fn sync_unreported_documents(&self) -> Result<Vec<UnreportedDocument>> {
        let mut stmt = self.conn().prepare(
            "SELECT d.id, d.case_id, COALESCE(c.number, ''), COALESCE(c.title, ''), d.kind,
                    d.number, d.subject_name, d.state, d.updated_at
             FROM documents d LEFT JOIN cases c ON c.id = d.case_id
             WHERE d.state <> 'draft'
               AND d.id IN (SELECT o.pk FROM change_log o
                            WHERE o.local = 1 AND o.seq > ?1 AND o.tbl = 'documents')
             ORDER BY d.updated_at DESC, d.id",
        )?;
        let rows = stmt
            .query_map([crate::sync::pushed_up_to(self.conn())?], |r| {
                let kind: String = r.get(4)?;
                let state = doc_state(r, 7)?;
                Ok(UnreportedDocument {
                    id: r.get(0)?,
                    case_id: r.get(1)?,
                    case_number: r.get(2)?,
                    case_title: r.get(3)?,
                    kind_label: hearing_docs::DocKind::parse(&kind)
                        .map(|k| k.label().to_owned())
                        .unwrap_or_else(|| kind.clone()),
                    kind,
                    number: r.get(5)?,
                    subject_name: r.get(6)?,
                    state_label: state.label().to_owned(),
                    state,
                    updated_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
