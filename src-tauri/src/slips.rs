//! 三单: issue (the issuing org's desk), answer (the receiving org's), accept or return, the
//! desk's 待办, and the printed slip.

use hearing_core::supervision::{SlipFeedbackInput, SlipIssueInput};
use hearing_store::closure::CaseWorkflow;
use hearing_store::slips::{SlipReviewInput, SupervisionSlip};
use tauri::State;

use crate::commands::with_store;
use crate::documents::{export_and_open, fonts, png_data_urls};
use crate::error::CmdResult;
use crate::Desk;

/// Issues a 交办单 or 督办单 about a case; returns the case's workflow with it.
#[tauri::command]
#[specta::specta]
pub fn slip_issue(
    desk: State<'_, Desk>,
    case_id: String,
    input: SlipIssueInput,
) -> CmdResult<CaseWorkflow> {
    with_store(&desk, |s| {
        s.issue_slip(&case_id, &input)?;
        s.case_workflow(&case_id)
    })
}

/// The receiving org's 反馈.
#[tauri::command]
#[specta::specta]
pub fn slip_answer(
    desk: State<'_, Desk>,
    slip_id: String,
    input: SlipFeedbackInput,
) -> CmdResult<SupervisionSlip> {
    with_store(&desk, |s| s.answer_slip(&slip_id, &input))
}

/// The issuer's 办结 or 退回重报.
#[tauri::command]
#[specta::specta]
pub fn slip_review(
    desk: State<'_, Desk>,
    slip_id: String,
    input: SlipReviewInput,
) -> CmdResult<SupervisionSlip> {
    with_store(&desk, |s| s.review_slip(&slip_id, &input))
}

/// 待办: slips this desk's org must answer, answers it must review.
#[tauri::command]
#[specta::specta]
pub fn slip_todo(desk: State<'_, Desk>) -> CmdResult<Vec<SupervisionSlip>> {
    with_store(&desk, |s| s.slip_todo())
}

/// The pages of the slip (or of its answer of `round`) as PNG data URLs.
#[tauri::command]
#[specta::specta]
pub fn slip_preview(
    desk: State<'_, Desk>,
    slip_id: String,
    round: Option<u32>,
) -> CmdResult<Vec<String>> {
    let f = fonts(&desk)?;
    let pdf = with_store(&desk, |s| s.slip_pdf(&slip_id, round, &f))?;
    png_data_urls(&pdf)
}

/// Writes the slip's PDF under `<data dir>/exports/` and opens it to print. Returns the path.
#[tauri::command]
#[specta::specta]
pub fn slip_open(desk: State<'_, Desk>, slip_id: String, round: Option<u32>) -> CmdResult<String> {
    let f = fonts(&desk)?;
    let (pdf, slip) = with_store(&desk, |s| {
        Ok((s.slip_pdf(&slip_id, round, &f)?, s.slip(&slip_id)?))
    })?;
    let mut name = if slip.number.is_empty() {
        format!("{}-{}", slip.kind.label(), slip.case_number)
    } else {
        slip.number.clone()
    };
    if let Some(r) = round {
        name.push_str(&format!("-反馈{}", r + 1));
    }
    export_and_open(&desk, &name, &pdf)
}
