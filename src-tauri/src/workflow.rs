//! Commands of the hearing workflow: hearings, people, notices, recording, deliberation,
//! signing, and the case side (transitions, approvals, leader assignment, slips, follow-ups).
//! Each forwards to one store function.

use hearing_core::case_flow::CaseAction;
use hearing_core::config::JurisdictionConfig;
use hearing_core::deliberation::OpinionInput;
use hearing_core::hearing::{HearingAction, InvitationStatus, SignatureStatus};
use hearing_core::panel::PoolFilter;
use hearing_core::plan::{
    ActionInput, ApprovalInput, HearingInput, OrganDecisionInput, ParticipantInput,
};
use hearing_core::supervision::LeaderAssignmentInput;
use hearing_core::testimony::TestimonyInput;
use hearing_core::Case;
use hearing_store::audit::AuditEvent;
use hearing_store::closure::{
    CaseWorkflow, FollowupInput, LeaderSide, LeaderSignOff, VisitReviewInput,
};
use hearing_store::hearings::{
    self, Deliberation, DrawRecord, EvidenceInput, EvidenceItem, HearingDetail, HearingSummary,
    PanelCandidates, TestimonyEntry,
};
use serde::Serialize;
use tauri::State;

use crate::commands::with_store;
use crate::error::CmdResult;
use crate::Desk;

#[tauri::command]
#[specta::specta]
pub fn config_get(desk: State<'_, Desk>) -> CmdResult<ConfigView> {
    with_store(&desk, |s| {
        let (version, config) = hearing_store::config::current(s.conn())?;
        Ok(ConfigView { version, config })
    })
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConfigView {
    /// 0: the built-in defaults.
    pub version: u32,
    pub config: JurisdictionConfig,
}

#[tauri::command]
#[specta::specta]
pub fn config_save(desk: State<'_, Desk>, config: JurisdictionConfig) -> CmdResult<ConfigView> {
    with_store(&desk, |s| {
        let version = s.save_config(&config)?;
        let (_, config) = hearing_store::config::current(s.conn())?;
        Ok(ConfigView { version, config })
    })
}

#[tauri::command]
#[specta::specta]
pub fn hearing_list(
    desk: State<'_, Desk>,
    case_id: Option<String>,
) -> CmdResult<Vec<HearingSummary>> {
    with_store(&desk, |s| hearings::list(s.conn(), case_id.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub fn hearing_get(desk: State<'_, Desk>, id: String) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| hearings::detail(s.conn(), &id))
}

#[tauri::command]
#[specta::specta]
pub fn hearing_create(desk: State<'_, Desk>, input: HearingInput) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.create_hearing(&input))
}

#[tauri::command]
#[specta::specta]
pub fn hearing_update(
    desk: State<'_, Desk>,
    id: String,
    input: HearingInput,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.update_hearing(&id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn hearing_action(
    desk: State<'_, Desk>,
    id: String,
    action: HearingAction,
    input: ActionInput,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.hearing_action(&id, action, &input))
}

#[tauri::command]
#[specta::specta]
pub fn hearing_set_step(desk: State<'_, Desk>, id: String, step: u32) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.set_current_step(&id, step))
}

#[tauri::command]
#[specta::specta]
pub fn hearing_announce(desk: State<'_, Desk>, id: String, on: String) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.publish_announcement(&id, &on))
}

#[tauri::command]
#[specta::specta]
pub fn participant_add(
    desk: State<'_, Desk>,
    hearing_id: String,
    input: ParticipantInput,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.add_participant(&hearing_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn participant_remove(desk: State<'_, Desk>, id: String) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.remove_participant(&id))
}

#[tauri::command]
#[specta::specta]
pub fn participant_set_invitation(
    desk: State<'_, Desk>,
    id: String,
    status: InvitationStatus,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.set_invitation(&id, status))
}

#[tauri::command]
#[specta::specta]
pub fn participant_set_declaration(
    desk: State<'_, Desk>,
    id: String,
    confidentiality_signed: bool,
    recusal_unresolved: bool,
    recusal_note: String,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| {
        s.set_declaration(
            &id,
            confidentiality_signed,
            recusal_unresolved,
            &recusal_note,
        )
    })
}

#[tauri::command]
#[specta::specta]
pub fn participant_serve_notice(
    desk: State<'_, Desk>,
    id: String,
    served_on: String,
    method: String,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.serve_notice(&id, &served_on, &method))
}

#[tauri::command]
#[specta::specta]
pub fn participant_set_signature(
    desk: State<'_, Desk>,
    id: String,
    status: SignatureStatus,
    note: String,
) -> CmdResult<HearingDetail> {
    with_store(&desk, |s| s.set_signature(&id, status, &note))
}

#[tauri::command]
#[specta::specta]
pub fn panel_candidates(
    desk: State<'_, Desk>,
    hearing_id: String,
    filter: PoolFilter,
) -> CmdResult<PanelCandidates> {
    with_store(&desk, |s| {
        hearings::panel_candidates(s.conn(), &hearing_id, &filter, hearing_store::today())
    })
}

#[tauri::command]
#[specta::specta]
pub fn panel_draw(
    desk: State<'_, Desk>,
    hearing_id: String,
    filter: PoolFilter,
    count: u32,
    seed: Option<String>,
) -> CmdResult<DrawRecord> {
    with_store(&desk, |s| {
        s.draw_panel(&hearing_id, &filter, count, seed.as_deref())
    })
}

#[tauri::command]
#[specta::specta]
pub fn testimony_list(desk: State<'_, Desk>, hearing_id: String) -> CmdResult<Vec<TestimonyEntry>> {
    with_store(&desk, |s| hearings::testimony(s.conn(), &hearing_id))
}

#[tauri::command]
#[specta::specta]
pub fn testimony_add(
    desk: State<'_, Desk>,
    hearing_id: String,
    input: TestimonyInput,
) -> CmdResult<TestimonyEntry> {
    with_store(&desk, |s| s.add_testimony(&hearing_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn testimony_update(
    desk: State<'_, Desk>,
    id: String,
    text: String,
) -> CmdResult<TestimonyEntry> {
    with_store(&desk, |s| s.update_testimony(&id, &text))
}

#[tauri::command]
#[specta::specta]
pub fn testimony_correct(
    desk: State<'_, Desk>,
    id: String,
    text: String,
) -> CmdResult<TestimonyEntry> {
    with_store(&desk, |s| s.correct_testimony(&id, &text))
}

#[tauri::command]
#[specta::specta]
pub fn evidence_list(desk: State<'_, Desk>, hearing_id: String) -> CmdResult<Vec<EvidenceItem>> {
    with_store(&desk, |s| hearings::evidence(s.conn(), &hearing_id))
}

#[tauri::command]
#[specta::specta]
pub fn evidence_add(
    desk: State<'_, Desk>,
    hearing_id: String,
    input: EvidenceInput,
) -> CmdResult<EvidenceItem> {
    with_store(&desk, |s| s.add_evidence(&hearing_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn evidence_challenge(
    desk: State<'_, Desk>,
    evidence_id: String,
    party: String,
    opinion: String,
) -> CmdResult<EvidenceItem> {
    with_store(&desk, |s| s.add_challenge(&evidence_id, &party, &opinion))
}

#[tauri::command]
#[specta::specta]
pub fn deliberation_get(desk: State<'_, Desk>, hearing_id: String) -> CmdResult<Deliberation> {
    with_store(&desk, |s| hearings::deliberation(s.conn(), &hearing_id))
}

#[tauri::command]
#[specta::specta]
pub fn opinion_save(
    desk: State<'_, Desk>,
    participant_id: String,
    input: OpinionInput,
) -> CmdResult<Deliberation> {
    with_store(&desk, |s| s.save_opinion(&participant_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn organ_decision_save(
    desk: State<'_, Desk>,
    hearing_id: String,
    input: OrganDecisionInput,
) -> CmdResult<Deliberation> {
    with_store(&desk, |s| s.record_organ_decision(&hearing_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn case_workflow(desk: State<'_, Desk>, case_id: String) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| s.case_workflow(&case_id))
}

#[tauri::command]
#[specta::specta]
pub fn case_action(
    desk: State<'_, Desk>,
    case_id: String,
    action: CaseAction,
    input: ActionInput,
) -> CmdResult<Case> {
    with_store(&desk, |s| s.case_action(&case_id, action, &input))
}

#[tauri::command]
#[specta::specta]
pub fn case_timeline(desk: State<'_, Desk>, case_id: String) -> CmdResult<Vec<AuditEvent>> {
    with_store(&desk, |s| {
        hearing_store::audit::case_timeline(s.conn(), &case_id)
    })
}

#[tauri::command]
#[specta::specta]
pub fn approval_add(
    desk: State<'_, Desk>,
    case_id: String,
    input: ApprovalInput,
) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| s.approve(&case_id, &input))
}

/// How many requests the 工作台's 待审批 lists (the oldest; it says how many wait in all).
const INBOX_PAGE: u32 = 200;

/// 待审批: what waits for this desk's org in the closure approval chain, oldest first.
#[tauri::command]
#[specta::specta]
pub fn approval_inbox(desk: State<'_, Desk>) -> CmdResult<hearing_store::inbox::InboxPage> {
    with_store(&desk, |s| s.approval_inbox_page(INBOX_PAGE))
}

#[tauri::command]
#[specta::specta]
pub fn leader_assign(
    desk: State<'_, Desk>,
    case_id: String,
    input: LeaderAssignmentInput,
) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| s.set_leader_assignment(&case_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn leader_sign_off(
    desk: State<'_, Desk>,
    case_id: String,
    side: LeaderSide,
    what: LeaderSignOff,
) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| s.leader_sign_off(&case_id, side, what))
}

#[tauri::command]
#[specta::specta]
pub fn visit_review_add(
    desk: State<'_, Desk>,
    case_id: String,
    input: VisitReviewInput,
) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| s.add_visit_review(&case_id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn followup_add(
    desk: State<'_, Desk>,
    case_id: String,
    input: FollowupInput,
) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| s.add_followup(&case_id, &input))
}
