//! Hearings: the plan, the people (panel invitations, presider, clerk, parties), notices,
//! transitions guarded by `hearing_core::hearing`, the live record (testimony, evidence), the
//! panel's opinions, the organ's decision and the signing that freezes the transcript.

use chrono::NaiveDate;
use hearing_core::access::Permission;
use hearing_core::config::{AgendaStepDef, JurisdictionConfig};
use hearing_core::deliberation::{self, OpinionInput, OpinionView, Tally, Vote};
use hearing_core::hearing::{
    self, HearingAction, HearingFacts, HearingMode, HearingStatus, InvitationStatus, NoticeFacts,
    PanelistFacts, ParticipantRole, SignatureStatus,
};
use hearing_core::panel::{self, Candidate, Conflict, ConflictContext, PoolFilter};
use hearing_core::plan::{ActionInput, HearingInput, OrganDecisionInput, ParticipantInput};
use hearing_core::rules::Refusal;
use hearing_core::testimony::{self, TestimonyInput};
use hearing_core::{text, validate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::write::Writer;
use crate::{Result, Store, StoreError};

/// One invitation status with the time it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatusStamp {
    pub status: InvitationStatus,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    pub id: String,
    pub hearing_id: String,
    pub person_id: Option<String>,
    pub role: ParticipantRole,
    pub name: String,
    pub unit: String,
    /// For panelists the invitation; for everyone the attendance (attended / absent).
    pub invitation: InvitationStatus,
    pub invitation_history: Vec<StatusStamp>,
    /// A 回避 question raised and not yet decided.
    pub recusal_unresolved: bool,
    pub recusal_note: String,
    /// The 回避/保密承诺书 signed.
    pub confidentiality_signed: bool,
    /// YYYY-MM-DD: when the notice was served on this person.
    pub notice_served_on: Option<String>,
    pub notice_method: String,
    pub signature: SignatureStatus,
    pub signature_note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Hearing {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    pub title: String,
    pub scheduled_on: String,
    pub start_time: String,
    pub venue: String,
    pub mode: HearingMode,
    pub public: bool,
    pub non_public_reason: String,
    pub status: HearingStatus,
    pub status_reason: String,
    /// Index into the agenda of the step being recorded.
    pub current_step: u32,
    pub config_version: u32,
    pub announcement_published_on: Option<String>,
    pub draw_seed: Option<String>,
    pub transcript_hash: Option<String>,
    pub transcript_signed_at: Option<String>,
    pub organ_decision: Option<Vote>,
    pub organ_decision_reason: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Everything the hearing screens show at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HearingDetail {
    pub hearing: Hearing,
    pub agenda: Vec<AgendaStepDef>,
    pub participants: Vec<Participant>,
    pub actions: Vec<HearingAction>,
    /// Things that do not block but deserve a look (an even panel …).
    pub warnings: Vec<String>,
    pub notice_days: u32,
}

/// A row of the hearing list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HearingSummary {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub title: String,
    pub scheduled_on: String,
    pub start_time: String,
    pub venue: String,
    pub status: HearingStatus,
    pub panel_size: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TestimonyEntry {
    pub id: String,
    pub hearing_id: String,
    pub seq: u32,
    pub step_key: String,
    pub speaker_role: ParticipantRole,
    pub speaker_name: String,
    pub text: String,
    /// The entry this one corrects.
    pub supersedes: Option<String>,
    /// The entry that corrects this one (shown struck through).
    pub superseded_by: Option<String>,
    /// True while it is the newest entry and the session is open: it may still be typed into.
    pub editable: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EvidenceItem {
    pub id: String,
    pub seq: u32,
    pub title: String,
    pub submitted_by: String,
    pub description: String,
    pub challenges: Vec<Challenge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    pub id: String,
    pub party: String,
    pub opinion: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EvidenceInput {
    pub title: String,
    pub submitted_by: String,
    pub description: String,
}

/// One panelist's opinion as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Opinion {
    pub participant_id: String,
    pub panelist_name: String,
    pub facts: String,
    pub law: String,
    pub vote: Vote,
    pub reasons: String,
    pub updated_at: String,
}

/// The deliberation: every attending panelist, their opinion if given, and the tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Deliberation {
    pub opinions: Vec<Opinion>,
    /// Attending panelists who have not given an opinion yet.
    pub missing: Vec<String>,
    pub tally: Tally,
    pub organ_decision: Option<Vote>,
    pub organ_decision_reason: String,
}

/// A candidate for the panel with the reasons that would bar them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    pub candidate: Candidate,
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PanelCandidates {
    pub eligible: Vec<CandidateView>,
    pub excluded: Vec<CandidateView>,
}

/// The record of one random draw, kept with the hearing so anyone can reproduce it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DrawRecord {
    pub seed: String,
    pub count: u32,
    pub filter: PoolFilter,
    /// person ids of the pool the draw was made from, sorted.
    pub pool: Vec<String>,
    /// person ids drawn, in draw order.
    pub drawn: Vec<String>,
    pub at: String,
}

const HEARING_COLUMNS: &str =
    "h.id, h.case_id, c.number, c.title, h.title, h.scheduled_on, h.start_time, \
    h.venue, h.mode, h.public, h.non_public_reason, h.status, h.status_reason, h.current_step, \
    h.config_version, h.announcement_published_on, h.draw_seed, h.transcript_hash, \
    h.transcript_signed_at, h.organ_decision, h.organ_decision_reason, h.created_at, h.updated_at";

fn hearing_from_row(r: &Row) -> rusqlite::Result<Hearing> {
    let mode: String = r.get(8)?;
    let status: String = r.get(11)?;
    let decision: Option<String> = r.get(19)?;
    Ok(Hearing {
        id: r.get(0)?,
        case_id: r.get(1)?,
        case_number: r.get(2)?,
        case_title: r.get(3)?,
        title: r.get(4)?,
        scheduled_on: r.get(5)?,
        start_time: r.get(6)?,
        venue: r.get(7)?,
        mode: HearingMode::parse(&mode).unwrap_or(HearingMode::OnSite),
        public: r.get(9)?,
        non_public_reason: r.get(10)?,
        status: HearingStatus::parse(&status).unwrap_or(HearingStatus::Preparing),
        status_reason: r.get(12)?,
        current_step: r.get(13)?,
        config_version: r.get(14)?,
        announcement_published_on: r.get(15)?,
        draw_seed: r.get(16)?,
        transcript_hash: r.get(17)?,
        transcript_signed_at: r.get(18)?,
        organ_decision: decision.as_deref().and_then(Vote::parse),
        organ_decision_reason: r.get(20)?,
        created_at: r.get(21)?,
        updated_at: r.get(22)?,
    })
}

const PARTICIPANT_COLUMNS: &str = "id, hearing_id, person_id, role, name, unit, invitation, \
    invitation_history, recusal_unresolved, recusal_note, confidentiality_signed, notice_served_on, \
    notice_method, signature, signature_note";

fn participant_from_row(r: &Row) -> rusqlite::Result<Participant> {
    let role: String = r.get(3)?;
    let invitation: String = r.get(6)?;
    let history: String = r.get(7)?;
    let signature: String = r.get(13)?;
    Ok(Participant {
        id: r.get(0)?,
        hearing_id: r.get(1)?,
        person_id: r.get(2)?,
        role: ParticipantRole::parse(&role).unwrap_or(ParticipantRole::Observer),
        name: r.get(4)?,
        unit: r.get(5)?,
        invitation: InvitationStatus::parse(&invitation).unwrap_or(InvitationStatus::Draft),
        invitation_history: serde_json::from_str(&history).unwrap_or_default(),
        recusal_unresolved: r.get(8)?,
        recusal_note: r.get(9)?,
        confidentiality_signed: r.get(10)?,
        notice_served_on: r.get(11)?,
        notice_method: r.get(12)?,
        signature: SignatureStatus::parse(&signature).unwrap_or(SignatureStatus::Pending),
        signature_note: r.get(14)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Hearing> {
    conn.prepare_cached(&format!(
        "SELECT {HEARING_COLUMNS} FROM hearings h JOIN cases c ON c.id = h.case_id WHERE h.id = ?1"
    ))?
    .query_row([id], hearing_from_row)
    .optional()?
    .ok_or_else(|| StoreError::not_found("听证会", id))
}

pub fn participants(conn: &Connection, hearing_id: &str) -> Result<Vec<Participant>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE hearing_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([hearing_id], participant_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn participant(conn: &Connection, id: &str) -> Result<Participant> {
    conn.query_row(
        &format!("SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE id = ?1"),
        [id],
        participant_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found("听证参加人", id))
}

/// The hearing with its agenda, people, the actions its state allows and non-blocking warnings.
pub fn detail(conn: &Connection, id: &str) -> Result<HearingDetail> {
    let hearing = get(conn, id)?;
    let cfg = crate::config::version(conn, hearing.config_version)?;
    let participants = participants(conn, id)?;
    let panel = participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Panelist && p.invitation.on_panel())
        .count() as u32;
    let warnings = if matches!(
        hearing.status,
        HearingStatus::Preparing | HearingStatus::Notified
    ) {
        cfg.panel_size_warnings(panel)
    } else {
        Vec::new()
    };
    Ok(HearingDetail {
        actions: hearing::available_actions(hearing.status),
        agenda: cfg.agenda.clone(),
        notice_days: cfg.notice_days,
        hearing,
        participants,
        warnings,
    })
}

/// The hearings of one case (or all, newest first).
pub fn list(conn: &Connection, case_id: Option<&str>) -> Result<Vec<HearingSummary>> {
    let mut stmt = conn.prepare(
        "SELECT h.id, h.case_id, c.number, h.title, h.scheduled_on, h.start_time, h.venue, h.status,
                (SELECT count(*) FROM participants p WHERE p.hearing_id = h.id AND p.role = 'panelist'
                   AND p.invitation NOT IN ('declined', 'absent'))
         FROM hearings h JOIN cases c ON c.id = h.case_id
         WHERE ?1 IS NULL OR h.case_id = ?1
         ORDER BY h.scheduled_on DESC, h.start_time DESC",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let status: String = r.get(7)?;
        Ok(HearingSummary {
            id: r.get(0)?,
            case_id: r.get(1)?,
            case_number: r.get(2)?,
            title: r.get(3)?,
            scheduled_on: r.get(4)?,
            start_time: r.get(5)?,
            venue: r.get(6)?,
            status: HearingStatus::parse(&status).unwrap_or(HearingStatus::Preparing),
            panel_size: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(validate::date)
}

/// The facts the hearing rules need, read from the tables.
pub fn facts(conn: &Connection, id: &str) -> Result<HearingFacts> {
    let h = get(conn, id)?;
    let people = participants(conn, id)?;
    let opinions: Vec<String> = {
        let mut stmt = conn.prepare("SELECT participant_id FROM opinions WHERE hearing_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let has = |role| people.iter().any(|p| p.role == role);
    let attendance_roles = [ParticipantRole::Panelist, ParticipantRole::Petitioner];
    Ok(HearingFacts {
        status: h.status,
        scheduled_on: validate::date(&h.scheduled_on).unwrap_or_default(),
        presider_set: has(ParticipantRole::Presider),
        clerk_set: has(ParticipantRole::Clerk),
        public: h.public,
        non_public_reason_given: !h.non_public_reason.trim().is_empty(),
        announcement_published_on: date(&h.announcement_published_on),
        panelists: people
            .iter()
            .filter(|p| p.role == ParticipantRole::Panelist)
            .map(|p| PanelistFacts {
                name: p.name.clone(),
                invitation: p.invitation,
                recusal_unresolved: p.recusal_unresolved,
                confidentiality_signed: p.confidentiality_signed,
                opinion_given: opinions.contains(&p.id),
            })
            .collect(),
        notices: people
            .iter()
            .filter(|p| needs_notice(p.role))
            .map(|p| NoticeFacts {
                name: p.name.clone(),
                role: p.role,
                served_on: date(&p.notice_served_on),
            })
            .collect(),
        attendance_open: people
            .iter()
            .filter(|p| attendance_roles.contains(&p.role))
            .filter(|p| {
                !matches!(
                    p.invitation,
                    InvitationStatus::Attended
                        | InvitationStatus::Absent
                        | InvitationStatus::Declined
                )
            })
            .map(|p| format!("{} {}", p.role.label(), p.name))
            .collect(),
        signatures_pending: people
            .iter()
            .filter(|p| signs_transcript(p))
            .filter(|p| p.signature == SignatureStatus::Pending)
            .map(|p| format!("{} {}", p.role.label(), p.name))
            .collect(),
        new_date: None,
        reason_given: false,
    })
}

/// Parties served with a notice before the hearing (the panel gets invitations instead).
fn needs_notice(role: ParticipantRole) -> bool {
    matches!(
        role,
        ParticipantRole::Petitioner | ParticipantRole::Agent | ParticipantRole::ThirdParty
    )
}

/// Who signs the transcript: everyone who attended the session in a speaking or hearing role.
fn signs_transcript(p: &Participant) -> bool {
    let attended = p.invitation == InvitationStatus::Attended;
    match p.role {
        ParticipantRole::Observer => false,
        ParticipantRole::Presider | ParticipantRole::Clerk => true,
        _ => attended,
    }
}

fn touch(w: &Writer, hearing_id: &str) -> Result<()> {
    w.tx().execute(
        "UPDATE hearings SET updated_at = ?2 WHERE id = ?1",
        params![hearing_id, w.now()],
    )?;
    Ok(())
}

/// Describes a change of a hearing row and puts it on the case's timeline.
fn log(w: &mut Writer, h: &Hearing, summary: String) {
    w.for_case(&h.case_id);
    w.describe("hearing", &h.id, summary);
}

fn next_seq(conn: &Connection, table: &str, hearing_id: &str) -> Result<u32> {
    Ok(conn.query_row(
        &format!("SELECT ifnull(max(seq), 0) + 1 FROM {table} WHERE hearing_id = ?1"),
        [hearing_id],
        |r| r.get(0),
    )?)
}

fn insert_participant(w: &mut Writer, hearing: &Hearing, p: &ParticipantInput) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let seq = next_seq(w.tx(), "participants", &hearing.id)?;
    let history = serde_json::to_string(&[StatusStamp {
        status: InvitationStatus::Draft,
        at: w.now().to_owned(),
    }])?;
    w.tx().execute(
        "INSERT INTO participants (id, hearing_id, seq, person_id, role, name, unit, invitation,
            invitation_history, recusal_unresolved, recusal_note, confidentiality_signed,
            notice_served_on, notice_method, signature, signature_note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', ?8, 0, '', 0, NULL, '', 'pending', '', ?9, ?9)",
        params![id, hearing.id, seq, p.person_id, p.role.as_str(), p.name, p.unit, history, w.now()],
    )?;
    w.for_case(&hearing.case_id);
    w.describe(
        "participant",
        &id,
        format!(
            "听证会“{}”加入{}：{}",
            hearing.title,
            p.role.label(),
            p.name
        ),
    );
    Ok(id)
}

/// A participant's row changed: put it on the case's timeline.
fn log_participant(w: &mut Writer, h: &Hearing, p: &Participant, summary: String) {
    w.for_case(&h.case_id);
    w.describe("participant", &p.id, summary);
}

impl Store {
    /// Plans a hearing for a case. The case's petitioners and officer join as parties; the
    /// current configuration version is recorded with it.
    pub fn create_hearing(&mut self, input: &HearingInput) -> Result<HearingDetail> {
        let h = input.validate()?;
        self.write(
            Permission::PlanHearings,"筹备听证会", |w| {
            let case = crate::cases::get(w.tx(), &h.case_id).map_err(|_| {
                StoreError::Validation(hearing_core::ValidationErrors(vec![hearing_core::FieldError {
                    field: "caseId".into(),
                    code: "not_found".into(),
                    message: "所选案件不存在".into(),
                }]))
            })?;
            let version = crate::config::ensure_stored(w.tx())?;
            let id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO hearings (id, case_id, org_id, title, scheduled_on, start_time, venue, mode,
                    public, non_public_reason, status, status_reason, current_step, config_version,
                    announcement_published_on, draw_seed, draw_log, transcript_hash, transcript_signed_at,
                    organ_decision, organ_decision_reason, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'preparing', '', 0, ?11, NULL, NULL, '[]',
                    NULL, NULL, NULL, '', ?12, ?12)",
                params![
                    id, case.id, case.org_id, h.title, h.scheduled_on, h.start_time, h.venue,
                    h.mode.as_str(), h.public, h.non_public_reason, version, w.now()
                ],
            )?;
            let hearing = get(w.tx(), &id)?;
            for p in &case.petitioners {
                insert_participant(w, &hearing, &ParticipantInput {
                        role: ParticipantRole::Petitioner,
                        person_id: None,
                        name: p.name.clone(),
                        unit: p.address.clone(),
                    },
                )?;
            }
            if !case.case_officer.is_empty() {
                insert_participant(w, &hearing, &ParticipantInput {
                        role: ParticipantRole::CaseOfficer,
                        person_id: None,
                        name: case.case_officer.clone(),
                        unit: case.handling_organ_name.clone(),
                    },
                )?;
            }
            w.for_case(&case.id);
            w.describe(
                "hearing",
                &id,
                format!("筹备听证会“{}”：{} {}，{}", h.title, h.scheduled_on, h.start_time, h.venue),
            );
            detail(w.tx(), &id)
        })
    }

    /// Changes the plan while the hearing is still being prepared (or after adjournment).
    pub fn update_hearing(&mut self, id: &str, input: &HearingInput) -> Result<HearingDetail> {
        let h = input.validate()?;
        self.write(
            Permission::PlanHearings,"修改听证方案", |w| {
            let old = get(w.tx(), id)?;
            if !matches!(old.status, HearingStatus::Preparing | HearingStatus::Postponed) {
                return Err(Refusal::one(format!(
                    "听证会处于“{}”状态，方案不能再修改",
                    old.status.label()
                ))
                .into());
            }
            w.tx().execute(
                "UPDATE hearings SET title = ?2, scheduled_on = ?3, start_time = ?4, venue = ?5, mode = ?6,
                    public = ?7, non_public_reason = ?8, updated_at = ?9 WHERE id = ?1",
                params![id, h.title, h.scheduled_on, h.start_time, h.venue, h.mode.as_str(), h.public, h.non_public_reason, w.now()],
            )?;
            log(w, &old, format!("修改听证方案“{}”", h.title));
            detail(w.tx(), id)
        })
    }

    /// Adds someone to a hearing in a role (presider, clerk, a party, an observer, or a panelist
    /// chosen by hand).
    pub fn add_participant(
        &mut self,
        hearing_id: &str,
        input: &ParticipantInput,
    ) -> Result<HearingDetail> {
        let p = input.validate()?;
        self.write(Permission::PlanHearings, "添加听证参加人", |w| {
            let h = get(w.tx(), hearing_id)?;
            if h.status.is_final() {
                return Err(Refusal::one(format!(
                    "听证会已“{}”，不能再添加人员",
                    h.status.label()
                ))
                .into());
            }
            if matches!(p.role, ParticipantRole::Presider | ParticipantRole::Clerk) {
                let taken: Option<String> = w
                    .tx()
                    .query_row(
                        "SELECT name FROM participants WHERE hearing_id = ?1 AND role = ?2",
                        params![hearing_id, p.role.as_str()],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(name) = taken {
                    return Err(Refusal::one(format!(
                        "本场听证已有{}：{name}；请先移除再指定",
                        p.role.label()
                    ))
                    .into());
                }
            }
            if let Some(person) = &p.person_id {
                let dup: Option<String> = w
                    .tx()
                    .query_row(
                        "SELECT role FROM participants WHERE hearing_id = ?1 AND person_id = ?2",
                        params![hearing_id, person],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(role) = dup {
                    let label = ParticipantRole::parse(&role)
                        .map(|r| r.label())
                        .unwrap_or("参加人");
                    return Err(Refusal::one(format!("{} 已是本场听证的{label}", p.name)).into());
                }
            }
            insert_participant(w, &h, &p)?;
            touch(w, hearing_id)?;
            detail(w.tx(), hearing_id)
        })
    }

    /// Removes someone who has not been sent anything yet.
    pub fn remove_participant(&mut self, participant_id: &str) -> Result<HearingDetail> {
        self.write(Permission::PlanHearings, "移除听证参加人", |w| {
            let p = participant(w.tx(), participant_id)?;
            let h = get(w.tx(), &p.hearing_id)?;
            if p.invitation != InvitationStatus::Draft || p.notice_served_on.is_some() {
                return Err(Refusal::one(format!(
                    "{} 的邀请或通知已发出，不能移除；请改为记录其谢绝或缺席",
                    p.name
                ))
                .into());
            }
            w.tx()
                .execute("DELETE FROM participants WHERE id = ?1", [participant_id])?;
            log_participant(
                w,
                &h,
                &p,
                format!("从听证会移除{}：{}", p.role.label(), p.name),
            );
            touch(w, &h.id)?;
            detail(w.tx(), &h.id)
        })
    }

    /// Moves an invitation (or attendance) on, timestamped. Panelists follow the invitation
    /// path; other participants only record attended / absent.
    pub fn set_invitation(
        &mut self,
        participant_id: &str,
        status: InvitationStatus,
    ) -> Result<HearingDetail> {
        // Marking who attended is part of running the hearing (the clerk does it in the room);
        // the rest of the invitation is planning.
        let needs = if matches!(
            status,
            InvitationStatus::Attended | InvitationStatus::Absent
        ) {
            Permission::RecordHearing
        } else {
            Permission::PlanHearings
        };
        self.write(
            needs,"更新邀请状态", |w| {
            let p = participant(w.tx(), participant_id)?;
            let h = get(w.tx(), &p.hearing_id)?;
            let attendance = matches!(status, InvitationStatus::Attended | InvitationStatus::Absent);
            let allowed = if p.role == ParticipantRole::Panelist {
                p.invitation.can_move_to(status)
            } else {
                attendance
            };
            if !allowed {
                return Err(Refusal::one(format!(
                    "{} 的状态为“{}”，不能改为“{}”",
                    p.name,
                    p.invitation.label(),
                    status.label()
                ))
                .into());
            }
            if attendance && !matches!(h.status, HearingStatus::InSession | HearingStatus::Recess) {
                return Err(Refusal::one("出席情况须在听证开始后核对登记").into());
            }
            let mut history = p.invitation_history.clone();
            history.push(StatusStamp {
                status,
                at: w.now().to_owned(),
            });
            w.tx().execute(
                "UPDATE participants SET invitation = ?2, invitation_history = ?3, updated_at = ?4 WHERE id = ?1",
                params![participant_id, status.as_str(), serde_json::to_string(&history)?, w.now()],
            )?;
            log_participant(w, &h, &p, format!("{} {}：{}", p.role.label(), p.name, status.label()));
            touch(w, &h.id)?;
            detail(w.tx(), &h.id)
        })
    }

    /// Records the 回避/保密 declaration of a participant: signed or not, a 回避 question open or
    /// decided, with a note.
    pub fn set_declaration(
        &mut self,
        participant_id: &str,
        confidentiality_signed: bool,
        recusal_unresolved: bool,
        recusal_note: &str,
    ) -> Result<HearingDetail> {
        let mut e = hearing_core::ValidationErrors::default();
        let note = text::optional(&mut e, "recusalNote", "回避说明", recusal_note, text::LONG);
        e.into_result(())?;
        self.write(
            Permission::PlanHearings,"回避与保密声明", |w| {
            let p = participant(w.tx(), participant_id)?;
            let h = get(w.tx(), &p.hearing_id)?;
            w.tx().execute(
                "UPDATE participants SET confidentiality_signed = ?2, recusal_unresolved = ?3, recusal_note = ?4,
                    updated_at = ?5 WHERE id = ?1",
                params![participant_id, confidentiality_signed, recusal_unresolved, note, w.now()],
            )?;
            let what = match (confidentiality_signed, recusal_unresolved) {
                (_, true) => "提出回避问题，待决定",
                (true, false) => "已签回避/保密承诺",
                (false, false) => "未签回避/保密承诺",
            };
            log_participant(w, &h, &p, format!("{} {}：{what}", p.role.label(), p.name));
            touch(w, &h.id)?;
            detail(w.tx(), &h.id)
        })
    }

    /// Records that the hearing notice was served on a party, with date and method.
    pub fn serve_notice(
        &mut self,
        participant_id: &str,
        served_on: &str,
        method: &str,
    ) -> Result<HearingDetail> {
        let mut e = hearing_core::ValidationErrors::default();
        let method = hearing_core::ServiceMethod::check(&mut e, "method", method)
            .map(|m| m.label())
            .unwrap_or_default();
        let day = validate::date(served_on);
        if day.is_none() {
            e.push(
                "servedOn",
                "date.format",
                "送达日期无效，请按 2026-03-05 的格式填写",
            );
        }
        if day.is_some_and(|d| d > self.today()) {
            e.push("servedOn", "date.future", "送达日期不能晚于今天");
        }
        e.into_result(())?;
        let served_on = day
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        self.write(
            Permission::PlanHearings,"送达听证通知", |w| {
            let p = participant(w.tx(), participant_id)?;
            let h = get(w.tx(), &p.hearing_id)?;
            w.tx().execute(
                "UPDATE participants SET notice_served_on = ?2, notice_method = ?3, updated_at = ?4 WHERE id = ?1",
                params![participant_id, served_on, method, w.now()],
            )?;
            log_participant(w, &h, &p, format!("向{} {} 送达听证通知（{served_on}，{method}）", p.role.label(), p.name),
            );
            touch(w, &h.id)?;
            detail(w.tx(), &h.id)
        })
    }

    /// Records the publication date of the announcement of a public hearing.
    pub fn publish_announcement(&mut self, hearing_id: &str, on: &str) -> Result<HearingDetail> {
        let day = validate::date(on).ok_or_else(|| {
            StoreError::Validation(hearing_core::ValidationErrors(vec![
                hearing_core::FieldError {
                    field: "date".into(),
                    code: "date.format".into(),
                    message: "公告日期无效，请按 2026-03-05 的格式填写".into(),
                },
            ]))
        })?;
        if day > self.today() {
            return Err(StoreError::Validation(hearing_core::ValidationErrors(
                vec![hearing_core::FieldError {
                    field: "date".into(),
                    code: "date.future".into(),
                    message: "公告日期不能晚于今天：请在公告实际发布后登记".into(),
                }],
            )));
        }
        let on = day.format("%Y-%m-%d").to_string();
        self.write(Permission::PlanHearings, "发布听证公告", |w| {
            let h = get(w.tx(), hearing_id)?;
            if !h.public {
                return Err(Refusal::one("不公开听证不发布公告").into());
            }
            w.tx().execute(
                "UPDATE hearings SET announcement_published_on = ?2, updated_at = ?3 WHERE id = ?1",
                params![hearing_id, on, w.now()],
            )?;
            log(w, &h, format!("发布听证公告（{on}）"));
            detail(w.tx(), hearing_id)
        })
    }

    /// Takes a hearing through one transition of `hearing_core::hearing`. A refusal lists every
    /// unmet condition; warnings come back with the detail.
    pub fn hearing_action(
        &mut self,
        hearing_id: &str,
        action: HearingAction,
        input: &ActionInput,
    ) -> Result<HearingDetail> {
        let (reason, new_date) = input.validate()?;
        let today = self.today();
        self.write(
            action.permission(),action.label(), |w| {
            let h = get(w.tx(), hearing_id)?;
            let cfg = crate::config::version(w.tx(), h.config_version)?;
            let mut f = facts(w.tx(), hearing_id)?;
            f.new_date = new_date;
            f.reason_given = !reason.is_empty();
            let t = hearing::hearing_transition(&f, action, &cfg, today)?;
            w.tx().execute(
                "UPDATE hearings SET status = ?2, status_reason = ?3, updated_at = ?4 WHERE id = ?1",
                params![hearing_id, t.to.as_str(), reason, w.now()],
            )?;
            if action == HearingAction::Postpone {
                if let Some(d) = new_date {
                    let d = d.format("%Y-%m-%d").to_string();
                    w.tx().execute("UPDATE hearings SET scheduled_on = ?2 WHERE id = ?1", params![hearing_id, d])?;
                }
            }
            if action == HearingAction::SignTranscript {
                let hash = transcript_hash(w.tx(), hearing_id)?;
                w.tx().execute(
                    "UPDATE hearings SET transcript_hash = ?2, transcript_signed_at = ?3 WHERE id = ?1",
                    params![hearing_id, hash, w.now()],
                )?;
            }
            let mut summary = format!("听证会“{}”：{} → {}", h.title, h.status.label(), t.to.label());
            if !reason.is_empty() {
                summary.push_str(&format!("（{reason}）"));
            }
            log(w, &h, summary);
            let mut d = detail(w.tx(), hearing_id)?;
            d.warnings.extend(t.warnings);
            Ok(d)
        })
    }

    /// Moves the recording to another agenda step.
    pub fn set_current_step(&mut self, hearing_id: &str, step: u32) -> Result<HearingDetail> {
        self.write(Permission::RecordHearing, "切换听证环节", |w| {
            let h = get(w.tx(), hearing_id)?;
            let cfg = crate::config::version(w.tx(), h.config_version)?;
            let Some(def) = cfg.agenda.get(step as usize) else {
                return Err(Refusal::one(format!("议程只有 {} 个环节", cfg.agenda.len())).into());
            };
            if h.current_step == step {
                return detail(w.tx(), hearing_id);
            }
            w.tx().execute(
                "UPDATE hearings SET current_step = ?2, updated_at = ?3 WHERE id = ?1",
                params![hearing_id, step, w.now()],
            )?;
            log(w, &h, format!("进入环节：{}", def.title));
            detail(w.tx(), hearing_id)
        })
    }

    /// Chooses a panel by an auditable random draw from the filtered pool: the seed (given, or
    /// made here), the pool and the result are kept with the hearing, and the members are added
    /// as draft invitations.
    pub fn draw_panel(
        &mut self,
        hearing_id: &str,
        filter: &PoolFilter,
        count: u32,
        seed: Option<&str>,
    ) -> Result<DrawRecord> {
        let today = self.today();
        let seed_text = seed
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| panel::new_seed_text(entropy()));
        self.write(Permission::PlanHearings, "随机抽取听证员", |w| {
            let h = get(w.tx(), hearing_id)?;
            if !matches!(
                h.status,
                HearingStatus::Preparing | HearingStatus::Postponed
            ) {
                return Err(Refusal::one("只有筹备中的听证会可以抽取听证员").into());
            }
            let cands = panel_candidates(w.tx(), hearing_id, filter, today)?;
            let pool: Vec<Candidate> = cands.eligible.iter().map(|c| c.candidate.clone()).collect();
            let drawn = panel::draw(&pool, count as usize, panel::seed_from_text(&seed_text))?;
            let mut pool_ids: Vec<String> = pool.iter().map(|c| c.person_id.clone()).collect();
            pool_ids.sort();
            let record = DrawRecord {
                seed: seed_text.clone(),
                count,
                filter: filter.clone(),
                pool: pool_ids,
                drawn: drawn.iter().map(|c| c.person_id.clone()).collect(),
                at: w.now().to_owned(),
            };
            let mut log_entries: Vec<DrawRecord> = w
                .tx()
                .query_row(
                    "SELECT draw_log FROM hearings WHERE id = ?1",
                    [hearing_id],
                    |r| r.get::<_, String>(0),
                )
                .map(|s| serde_json::from_str(&s).unwrap_or_default())?;
            log_entries.push(record.clone());
            w.tx().execute(
                "UPDATE hearings SET draw_seed = ?2, draw_log = ?3, updated_at = ?4 WHERE id = ?1",
                params![
                    hearing_id,
                    seed_text,
                    serde_json::to_string(&log_entries)?,
                    w.now()
                ],
            )?;
            for c in &drawn {
                insert_participant(
                    w,
                    &h,
                    &ParticipantInput {
                        role: ParticipantRole::Panelist,
                        person_id: Some(c.person_id.clone()),
                        name: c.name.clone(),
                        unit: c.unit.clone(),
                    },
                )?;
            }
            let names: Vec<&str> = drawn.iter().map(|c| c.name.as_str()).collect();
            log(
                w,
                &h,
                format!(
                    "随机抽取听证员 {} 名（种子 {seed_text}，候选 {} 人）：{}",
                    drawn.len(),
                    pool.len(),
                    names.join("、")
                ),
            );
            Ok(record)
        })
    }

    /// Starts a new testimony entry (the previous one is sealed from then on).
    pub fn add_testimony(
        &mut self,
        hearing_id: &str,
        input: &TestimonyInput,
    ) -> Result<TestimonyEntry> {
        self.write(Permission::RecordHearing, "记录笔录", |w| {
            let h = get(w.tx(), hearing_id)?;
            recording_open(&h)?;
            let cfg = crate::config::version(w.tx(), h.config_version)?;
            let t = input.validate_in(&cfg.agenda)?;
            insert_testimony(w, &h, &t, None)
        })
    }

    /// Saves the text of the newest entry as it is typed. Refused once a newer entry exists:
    /// then a correction is a new entry.
    pub fn update_testimony(&mut self, entry_id: &str, text_now: &str) -> Result<TestimonyEntry> {
        let mut e = hearing_core::ValidationErrors::default();
        let body = text::optional(&mut e, "text", "笔录内容", text_now, text::LONG);
        e.into_result(())?;
        self.write(Permission::RecordHearing, "记录笔录", |w| {
            let entry = testimony_entry(w.tx(), entry_id)?;
            let h = get(w.tx(), &entry.hearing_id)?;
            recording_open(&h)?;
            if !entry.editable {
                return Err(Refusal::one("该条笔录已经完成，修改请另起一条更正记录").into());
            }
            if entry.text == body {
                return Ok(entry);
            }
            w.tx()
                .prepare_cached("UPDATE testimony SET text = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![entry_id, body, w.now()])?;
            w.for_case(&h.case_id);
            w.describe(
                "testimony",
                entry_id,
                format!("笔录第 {} 条：{}", entry.seq, entry.speaker_name),
            );
            testimony_entry(w.tx(), entry_id)
        })
    }

    /// A correction: a new entry that supersedes `entry_id`; the old one stays.
    pub fn correct_testimony(&mut self, entry_id: &str, text_now: &str) -> Result<TestimonyEntry> {
        self.write(Permission::RecordHearing, "更正笔录", |w| {
            let old = testimony_entry(w.tx(), entry_id)?;
            let h = get(w.tx(), &old.hearing_id)?;
            recording_open(&h)?;
            if let Some(by) = &old.superseded_by {
                return Err(Refusal::one(format!(
                    "该条笔录已被更正（更正记录 {by}），请更正最新的一条"
                ))
                .into());
            }
            let cfg = crate::config::version(w.tx(), h.config_version)?;
            let t = TestimonyInput {
                step_key: old.step_key.clone(),
                speaker_role: old.speaker_role,
                speaker_name: old.speaker_name.clone(),
                text: text_now.to_owned(),
            }
            .validate_in(&cfg.agenda)?;
            insert_testimony(w, &h, &t, Some(entry_id))
        })
    }

    pub fn add_evidence(
        &mut self,
        hearing_id: &str,
        input: &EvidenceInput,
    ) -> Result<EvidenceItem> {
        let mut e = hearing_core::ValidationErrors::default();
        let title = text::required(&mut e, "title", "证据名称", &input.title, text::MEDIUM);
        let by = text::required(&mut e, "submittedBy", "提交人", &input.submitted_by, 100);
        let description = text::optional(
            &mut e,
            "description",
            "证明内容",
            &input.description,
            text::LONG,
        );
        e.into_result(())?;
        self.write(
            Permission::RecordHearing,"登记证据", |w| {
            let h = get(w.tx(), hearing_id)?;
            recording_open(&h)?;
            let id = uuid::Uuid::now_v7().to_string();
            let seq = next_seq(w.tx(), "evidence", hearing_id)?;
            w.tx().execute(
                "INSERT INTO evidence (id, hearing_id, seq, title, submitted_by, description, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, hearing_id, seq, title, by, description, w.now()],
            )?;
            w.for_case(&h.case_id);
            w.describe("evidence", &id, format!("登记证据 {seq}：{title}（{by} 提交）"));
            evidence(w.tx(), hearing_id)?
                .into_iter()
                .find(|e| e.id == id)
                .ok_or_else(|| StoreError::not_found("证据", &id))
        })
    }

    /// Records one party's 质证 opinion on an evidence item.
    pub fn add_challenge(
        &mut self,
        evidence_id: &str,
        party: &str,
        opinion: &str,
    ) -> Result<EvidenceItem> {
        let mut e = hearing_core::ValidationErrors::default();
        let party = text::required(&mut e, "party", "质证方", party, 100);
        let opinion = text::required(&mut e, "opinion", "质证意见", opinion, text::LONG);
        e.into_result(())?;
        self.write(
            Permission::RecordHearing,"质证", |w| {
            let (hearing_id, title): (String, String) = w
                .tx()
                .query_row("SELECT hearing_id, title FROM evidence WHERE id = ?1", [evidence_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::not_found("证据", evidence_id))?;
            let h = get(w.tx(), &hearing_id)?;
            recording_open(&h)?;
            let id = uuid::Uuid::now_v7().to_string();
            w.tx().execute(
                "INSERT INTO challenges (id, evidence_id, party, opinion, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, evidence_id, party, opinion, w.now()],
            )?;
            w.for_case(&h.case_id);
            w.describe("challenge", &id, format!("{party} 对证据“{title}”发表质证意见"));
            evidence(w.tx(), &hearing_id)?
                .into_iter()
                .find(|e| e.id == evidence_id)
                .ok_or_else(|| StoreError::not_found("证据", evidence_id))
        })
    }

    /// Saves (or replaces, until the hearing concludes) one attending panelist's opinion.
    pub fn save_opinion(
        &mut self,
        participant_id: &str,
        input: &OpinionInput,
    ) -> Result<Deliberation> {
        let o = input.validate()?;
        self.write(
            Permission::Deliberate,"评议意见", |w| {
            let p = participant(w.tx(), participant_id)?;
            let h = get(w.tx(), &p.hearing_id)?;
            if h.status != HearingStatus::Deliberating {
                return Err(Refusal::one(format!("听证会处于“{}”，不在评议阶段", h.status.label())).into());
            }
            if p.role != ParticipantRole::Panelist || p.invitation != InvitationStatus::Attended {
                return Err(Refusal::one(format!("{} 不是出席本次听证的听证员，不能提交评议意见", p.name)).into());
            }
            let id: String = w
                .tx()
                .query_row(
                    "SELECT id FROM opinions WHERE hearing_id = ?1 AND participant_id = ?2",
                    params![h.id, p.id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
            w.tx().execute(
                "INSERT INTO opinions (id, hearing_id, participant_id, facts, law, vote, reasons, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                 ON CONFLICT (hearing_id, participant_id) DO UPDATE SET facts = excluded.facts,
                    law = excluded.law, vote = excluded.vote, reasons = excluded.reasons,
                    updated_at = excluded.updated_at",
                params![id, h.id, p.id, o.facts, o.law, o.vote.as_str(), o.reasons, w.now()],
            )?;
            w.for_case(&h.case_id);
            w.describe("opinion", &id, format!("听证员 {} 提交评议意见：{}", p.name, o.vote.label()));
            deliberation(w.tx(), &h.id)
        })
    }

    /// Records the organ's decision; departing from the majority (or deciding without one)
    /// needs a reason.
    pub fn record_organ_decision(
        &mut self,
        hearing_id: &str,
        input: &OrganDecisionInput,
    ) -> Result<Deliberation> {
        let mut e = hearing_core::ValidationErrors::default();
        let reason = text::optional(&mut e, "reason", "决定理由", &input.reason, text::LONG);
        e.into_result(())?;
        self.write(
            Permission::RecordHearing,"承办单位决定", |w| {
            let h = get(w.tx(), hearing_id)?;
            if !matches!(h.status, HearingStatus::Concluded | HearingStatus::TranscriptSigned) {
                return Err(Refusal::one("听证结束后才能记录承办单位的决定").into());
            }
            let d = deliberation(w.tx(), hearing_id)?;
            let decided = deliberation::organ_decision(&d.tally, input.decision, &reason)?;
            w.tx().execute(
                "UPDATE hearings SET organ_decision = ?2, organ_decision_reason = ?3, updated_at = ?4 WHERE id = ?1",
                params![hearing_id, decided.decision.as_str(), decided.reason, w.now()],
            )?;
            let how = if decided.follows_majority { "与多数意见一致" } else { "与多数意见不一致，已说明理由" };
            log(w, &h, format!("承办单位决定：{}（{how}）", decided.decision.label()));
            deliberation(w.tx(), hearing_id)
        })
    }

    /// Records one person's signature on the transcript: signed, refused (with the note the
    /// presider makes) or not present.
    pub fn set_signature(
        &mut self,
        participant_id: &str,
        status: SignatureStatus,
        note: &str,
    ) -> Result<HearingDetail> {
        let mut e = hearing_core::ValidationErrors::default();
        let note = text::optional(&mut e, "note", "说明", note, text::MEDIUM);
        if status == SignatureStatus::Refused && note.is_empty() {
            e.push("note", "required", "拒绝签字的，主持人须注明情况");
        }
        e.into_result(())?;
        self.write(
            Permission::RecordHearing,"笔录签字", |w| {
            let p = participant(w.tx(), participant_id)?;
            let h = get(w.tx(), &p.hearing_id)?;
            if h.status != HearingStatus::Concluded {
                return Err(Refusal::one(format!(
                    "听证会处于“{}”：笔录在听证结束后、签署完成前核对签字",
                    h.status.label()
                ))
                .into());
            }
            w.tx().execute(
                "UPDATE participants SET signature = ?2, signature_note = ?3, updated_at = ?4 WHERE id = ?1",
                params![participant_id, status.as_str(), note, w.now()],
            )?;
            log_participant(w, &h, &p, format!("{} {} 笔录签字：{}", p.role.label(), p.name, status.label()));
            detail(w.tx(), &h.id)
        })
    }
}

/// Testimony can be taken while the session is open (in session or in recess).
fn recording_open(h: &Hearing) -> Result<()> {
    if matches!(
        h.status,
        HearingStatus::InSession | HearingStatus::Recess | HearingStatus::Deliberating
    ) {
        Ok(())
    } else {
        Err(Refusal::one(format!("听证会处于“{}”，不能记录", h.status.label())).into())
    }
}

fn insert_testimony(
    w: &mut Writer,
    h: &Hearing,
    t: &TestimonyInput,
    supersedes: Option<&str>,
) -> Result<TestimonyEntry> {
    let id = uuid::Uuid::now_v7().to_string();
    // The recording view's saves run these statements again and again: through the statement
    // cache, so the testimony table's triggers (search index, sync) are not compiled every time.
    let seq: u32 = w
        .tx()
        .prepare_cached("SELECT ifnull(max(seq), 0) + 1 FROM testimony WHERE hearing_id = ?1")?
        .query_row([&h.id], |r| r.get(0))?;
    w.tx().prepare_cached(
        "INSERT INTO testimony (id, hearing_id, seq, step_key, speaker_role, speaker_name, text, supersedes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?.execute(
        params![id, h.id, seq, t.step_key, t.speaker_role.as_str(), t.speaker_name, t.text, supersedes, w.now()],
    )?;
    w.for_case(&h.case_id);
    let what = if supersedes.is_some() {
        "更正"
    } else {
        "记录"
    };
    w.describe(
        "testimony",
        &id,
        format!("笔录第 {seq} 条（{what}）：{}", t.speaker_name),
    );
    testimony_entry(w.tx(), &id)
}

fn testimony_from_row(r: &Row) -> rusqlite::Result<TestimonyEntry> {
    let role: String = r.get(4)?;
    Ok(TestimonyEntry {
        id: r.get(0)?,
        hearing_id: r.get(1)?,
        seq: r.get(2)?,
        step_key: r.get(3)?,
        speaker_role: ParticipantRole::parse(&role).unwrap_or(ParticipantRole::Observer),
        speaker_name: r.get(5)?,
        text: r.get(6)?,
        supersedes: r.get(7)?,
        superseded_by: r.get(8)?,
        editable: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

const TESTIMONY_SELECT: &str =
    "SELECT t.id, t.hearing_id, t.seq, t.step_key, t.speaker_role, t.speaker_name, t.text,
        t.supersedes, (SELECT s.id FROM testimony s WHERE s.supersedes = t.id LIMIT 1),
        t.seq = (SELECT max(seq) FROM testimony m WHERE m.hearing_id = t.hearing_id)
          AND NOT EXISTS (SELECT 1 FROM testimony s WHERE s.supersedes = t.id),
        t.created_at, t.updated_at
    FROM testimony t";

/// The configuration version of a case's latest hearing, if it has one.
pub(crate) fn latest_config_version(conn: &Connection, case_id: &str) -> Result<Option<u32>> {
    Ok(conn
        .prepare_cached(
            "SELECT config_version FROM hearings WHERE case_id = ?1 ORDER BY created_at DESC LIMIT 1",
        )?
        .query_row([case_id], |r| r.get(0))
        .optional()?)
}

/// What the case's closure rules need of each of its hearings: its state, whether the organ's
/// decision is recorded, the panelists who attended and the opinions they gave.
pub(crate) fn closure_facts(
    conn: &Connection,
    case_id: &str,
) -> Result<Vec<hearing_core::case_flow::HearingSummaryFacts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.status, h.organ_decision IS NOT NULL,
            (SELECT count(*) FROM participants p WHERE p.hearing_id = h.id AND p.role = ?2 AND p.invitation = ?3),
            (SELECT count(*) FROM opinions o JOIN participants p ON p.id = o.participant_id
               WHERE o.hearing_id = h.id AND p.invitation = ?3)
         FROM hearings h WHERE h.case_id = ?1",
    )?;
    let rows = stmt
        .query_map(
            params![
                case_id,
                ParticipantRole::Panelist.as_str(),
                InvitationStatus::Attended.as_str()
            ],
            |r| {
                let status: String = r.get(0)?;
                Ok(hearing_core::case_flow::HearingSummaryFacts {
                    status: HearingStatus::parse(&status).unwrap_or(HearingStatus::Preparing),
                    organ_decision_recorded: r.get(1)?,
                    attending_panelists: r.get(2)?,
                    opinions: r.get(3)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn testimony_entry(conn: &Connection, id: &str) -> Result<TestimonyEntry> {
    conn.prepare_cached(&format!("{TESTIMONY_SELECT} WHERE t.id = ?1"))?
        .query_row([id], testimony_from_row)
        .optional()?
        .ok_or_else(|| StoreError::not_found("笔录条目", id))
}

/// The whole record of a hearing in order, corrections and the entries they supersede included.
pub fn testimony(conn: &Connection, hearing_id: &str) -> Result<Vec<TestimonyEntry>> {
    let mut stmt = conn.prepare(&format!(
        "{TESTIMONY_SELECT} WHERE t.hearing_id = ?1 ORDER BY t.seq"
    ))?;
    let rows = stmt.query_map([hearing_id], testimony_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// SHA-256 over the effective transcript (entries not superseded), frozen at signing.
pub fn transcript_hash(conn: &Connection, hearing_id: &str) -> Result<String> {
    let entries: Vec<(String, String, String, String, String)> = testimony(conn, hearing_id)?
        .into_iter()
        .filter(|e| e.superseded_by.is_none())
        .map(|e| (e.id, e.step_key, e.speaker_name, e.text, e.created_at))
        .collect();
    Ok(testimony::transcript_hash(&entries))
}

pub fn evidence(conn: &Connection, hearing_id: &str) -> Result<Vec<EvidenceItem>> {
    let mut stmt = conn.prepare(
        "SELECT id, seq, title, submitted_by, description FROM evidence WHERE hearing_id = ?1 ORDER BY seq",
    )?;
    let items: Vec<EvidenceItem> = stmt
        .query_map([hearing_id], |r| {
            Ok(EvidenceItem {
                id: r.get(0)?,
                seq: r.get(1)?,
                title: r.get(2)?,
                submitted_by: r.get(3)?,
                description: r.get(4)?,
                challenges: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(items.len());
    let mut cstmt = conn.prepare(
        "SELECT id, party, opinion, created_at FROM challenges WHERE evidence_id = ?1 ORDER BY created_at",
    )?;
    for mut item in items {
        item.challenges = cstmt
            .query_map([&item.id], |r| {
                Ok(Challenge {
                    id: r.get(0)?,
                    party: r.get(1)?,
                    opinion: r.get(2)?,
                    created_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push(item);
    }
    Ok(out)
}

/// The opinions of the attending panelists, who is missing, and the tally.
pub fn deliberation(conn: &Connection, hearing_id: &str) -> Result<Deliberation> {
    let h = get(conn, hearing_id)?;
    let mut stmt = conn.prepare(
        "SELECT o.participant_id, p.name, o.facts, o.law, o.vote, o.reasons, o.updated_at
         FROM opinions o JOIN participants p ON p.id = o.participant_id
         WHERE o.hearing_id = ?1 ORDER BY p.seq",
    )?;
    let opinions: Vec<Opinion> = stmt
        .query_map([hearing_id], |r| {
            let vote: String = r.get(4)?;
            Ok(Opinion {
                participant_id: r.get(0)?,
                panelist_name: r.get(1)?,
                facts: r.get(2)?,
                law: r.get(3)?,
                vote: Vote::parse(&vote).unwrap_or(Vote::Other),
                reasons: r.get(5)?,
                updated_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let missing = participants(conn, hearing_id)?
        .into_iter()
        .filter(|p| {
            p.role == ParticipantRole::Panelist && p.invitation == InvitationStatus::Attended
        })
        .filter(|p| !opinions.iter().any(|o| o.participant_id == p.id))
        .map(|p| p.name)
        .collect();
    let views: Vec<OpinionView> = opinions
        .iter()
        .map(|o| OpinionView {
            panelist_name: o.panelist_name.clone(),
            vote: o.vote,
            facts: o.facts.clone(),
            law: o.law.clone(),
            reasons: o.reasons.clone(),
        })
        .collect();
    Ok(Deliberation {
        tally: deliberation::tally(&views),
        opinions,
        missing,
        organ_decision: h.organ_decision,
        organ_decision_reason: h.organ_decision_reason,
    })
}

/// The pool for this hearing's panel, each candidate with the conflicts that bar them.
pub fn panel_candidates(
    conn: &Connection,
    hearing_id: &str,
    filter: &PoolFilter,
    today: NaiveDate,
) -> Result<PanelCandidates> {
    let h = get(conn, hearing_id)?;
    let case = crate::cases::get(conn, &h.case_id)?;
    let organ = crate::orgs::get(conn, &case.handling_organ_id)?;
    let mut case_names: Vec<String> = case.petitioners.iter().map(|p| p.name.clone()).collect();
    if !case.case_officer.is_empty() {
        case_names.push(case.case_officer.clone());
    }
    let already: Vec<String> = participants(conn, hearing_id)?
        .into_iter()
        .filter_map(|p| p.person_id)
        .collect();
    let declared: Vec<(String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT p.person_id, p.recusal_note FROM participants p JOIN hearings h ON h.id = p.hearing_id
             WHERE h.case_id = ?1 AND p.person_id IS NOT NULL AND p.recusal_note != ''",
        )?;
        let rows = stmt.query_map([&case.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Panels of other hearings whose cases share a petitioner (by ID number, else by name).
    let prior: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT pa.person_id FROM participants pa
             JOIN hearings h ON h.id = pa.hearing_id
             JOIN petitioners other ON other.case_id = h.case_id
             JOIN petitioners mine ON mine.case_id = ?1
             WHERE h.case_id != ?1 AND pa.role = 'panelist' AND pa.person_id IS NOT NULL
               AND pa.invitation NOT IN ('declined')
               AND ((mine.id_number IS NOT NULL AND mine.id_number = other.id_number)
                    OR (mine.id_number IS NULL AND mine.name = other.name))",
        )?;
        let rows = stmt.query_map([&case.id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let ctx = ConflictContext {
        handling_organ_names: vec![organ.name.clone(), organ.short_name.clone()],
        case_names,
        declared_conflicts: declared,
        petitioner_prior_panels: prior,
    };
    let mut stmt = conn.prepare(
        "SELECT id, name, kind, level, unit, active, term_end FROM persons ORDER BY name",
    )?;
    let cands: Vec<Candidate> = stmt
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            let level: Option<String> = r.get(3)?;
            Ok(Candidate {
                person_id: r.get(0)?,
                name: r.get(1)?,
                kind: hearing_core::PersonKind::parse(&kind)
                    .unwrap_or(hearing_core::PersonKind::Other),
                level: level.as_deref().and_then(hearing_core::PersonLevel::parse),
                unit: r.get(4)?,
                active: r.get(5)?,
                term_end: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|c| !already.contains(&c.person_id))
        .collect();
    let (eligible, excluded) = panel::eligible(&cands, filter, &ctx, today);
    Ok(PanelCandidates {
        eligible: eligible
            .into_iter()
            .map(|candidate| CandidateView {
                candidate,
                conflicts: Vec::new(),
            })
            .collect(),
        excluded: excluded
            .into_iter()
            .map(|(candidate, conflicts)| CandidateView {
                candidate,
                conflicts,
            })
            .collect(),
    })
}

/// Entropy for a fresh seed: time and a UUIDv7's random bits. The seed is recorded, so the draw
/// is reproducible even though the seed itself is not predictable.
fn entropy() -> u64 {
    let u = uuid::Uuid::now_v7().as_u128();
    (u as u64) ^ ((u >> 64) as u64)
}

/// The jurisdiction configuration a hearing was planned under.
pub fn config_of(conn: &Connection, hearing_id: &str) -> Result<JurisdictionConfig> {
    let h = get(conn, hearing_id)?;
    crate::config::version(conn, h.config_version)
}
