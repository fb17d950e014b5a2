//! The committee's own work: 会商研判 (meetings, their agenda, conclusions and minutes), 通报
//! (the figures per county and organ, a draft, issuing, the PDF and XLSX) and 类案/积案.

use hearing_core::meeting::{ItemConclusionInput, MeetingInput};
use hearing_core::period::Period;
use hearing_store::bulletins::{report_xlsx, Bulletin, BulletinInput};
use hearing_store::meetings::{Meeting, MeetingItem, MeetingSummary, ProposalPage};
use hearing_store::stats::groups::{CaseAnalysisReport, GroupBy, GroupCase, GroupFilter};
use hearing_store::stats::units::UnitReport;
use hearing_store::warnings::WarningKind;
use tauri::State;

use crate::commands::with_store;
use crate::documents::{export_and_open, fonts, png_data_urls};
use crate::error::CmdResult;
use crate::Desk;

#[tauri::command]
#[specta::specta]
pub fn meeting_list(desk: State<'_, Desk>) -> CmdResult<Vec<MeetingSummary>> {
    with_store(&desk, |s| s.meetings())
}

#[tauri::command]
#[specta::specta]
pub fn meeting_get(desk: State<'_, Desk>, meeting_id: String) -> CmdResult<Meeting> {
    with_store(&desk, |s| s.meeting(&meeting_id))
}

#[tauri::command]
#[specta::specta]
pub fn meeting_create(desk: State<'_, Desk>, input: MeetingInput) -> CmdResult<Meeting> {
    with_store(&desk, |s| s.create_meeting(&input))
}

#[tauri::command]
#[specta::specta]
pub fn meeting_update(
    desk: State<'_, Desk>,
    meeting_id: String,
    input: MeetingInput,
) -> CmdResult<Meeting> {
    with_store(&desk, |s| s.update_meeting(&meeting_id, &input))
}

/// Puts a case (id or number) on the agenda; `source`: the 预警 kind that proposed it.
#[tauri::command]
#[specta::specta]
pub fn meeting_add_case(
    desk: State<'_, Desk>,
    meeting_id: String,
    case_ref: String,
    source: Option<WarningKind>,
    reason: String,
) -> CmdResult<Meeting> {
    with_store(&desk, |s| {
        s.add_meeting_case(&meeting_id, &case_ref, source, &reason)
    })
}

#[tauri::command]
#[specta::specta]
pub fn meeting_remove_item(desk: State<'_, Desk>, item_id: String) -> CmdResult<Meeting> {
    with_store(&desk, |s| s.remove_meeting_item(&item_id))
}

#[tauri::command]
#[specta::specta]
pub fn meeting_reorder(
    desk: State<'_, Desk>,
    meeting_id: String,
    item_ids: Vec<String>,
) -> CmdResult<Meeting> {
    with_store(&desk, |s| s.reorder_meeting(&meeting_id, &item_ids))
}

#[tauri::command]
#[specta::specta]
pub fn meeting_conclude(
    desk: State<'_, Desk>,
    item_id: String,
    input: ItemConclusionInput,
) -> CmdResult<Meeting> {
    with_store(&desk, |s| s.conclude_meeting_item(&item_id, &input))
}

/// The cases 预警 proposes for the agenda today.
#[tauri::command]
#[specta::specta]
pub fn meeting_proposals(desk: State<'_, Desk>, meeting_id: String) -> CmdResult<ProposalPage> {
    with_store(&desk, |s| {
        let today = s.today();
        s.agenda_proposals(&meeting_id, today)
    })
}

/// The meetings that discussed a case (its page's 会商研判 card).
#[tauri::command]
#[specta::specta]
pub fn case_meetings(desk: State<'_, Desk>, case_id: String) -> CmdResult<Vec<MeetingItem>> {
    with_store(&desk, |s| s.case_meetings(&case_id))
}

/// The minutes as page images.
#[tauri::command]
#[specta::specta]
pub fn meeting_minutes_preview(
    desk: State<'_, Desk>,
    meeting_id: String,
) -> CmdResult<Vec<String>> {
    let f = fonts(&desk)?;
    let pdf = with_store(&desk, |s| s.meeting_pdf(&meeting_id, &f))?;
    png_data_urls(&pdf)
}

/// Writes the minutes' PDF under `<data dir>/exports/` and opens it to print.
#[tauri::command]
#[specta::specta]
pub fn meeting_minutes_open(desk: State<'_, Desk>, meeting_id: String) -> CmdResult<String> {
    let f = fonts(&desk)?;
    let (pdf, m) = with_store(&desk, |s| {
        Ok((s.meeting_pdf(&meeting_id, &f)?, s.meeting(&meeting_id)?))
    })?;
    export_and_open(&desk, &format!("会商研判纪要-{}", m.number), &pdf)
}

/// The figures of a period for an org subtree (统计's 各单位 view and the 通报 form).
#[tauri::command]
#[specta::specta]
pub fn unit_report(
    desk: State<'_, Desk>,
    period: String,
    org_id: Option<String>,
) -> CmdResult<UnitReport> {
    with_store(&desk, |s| {
        let p = Period::parse(&period)?;
        s.unit_report(&p, org_id.as_deref())
    })
}

/// A draft 通报: its figures and its pages as images.
#[tauri::command]
#[specta::specta]
pub fn bulletin_preview(desk: State<'_, Desk>, input: BulletinInput) -> CmdResult<BulletinDraft> {
    let f = fonts(&desk)?;
    let (report, pdf) = with_store(&desk, |s| {
        let (report, text) = s.bulletin_draft(&input)?;
        Ok((report, s.bulletin_pdf(&text, &f)?))
    })?;
    Ok(BulletinDraft {
        report,
        pages: png_data_urls(&pdf)?,
    })
}

/// A draft 通报's figures with its pages.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulletinDraft {
    pub report: UnitReport,
    pub pages: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub fn bulletin_issue(desk: State<'_, Desk>, input: BulletinInput) -> CmdResult<Bulletin> {
    with_store(&desk, |s| s.issue_bulletin(&input))
}

#[tauri::command]
#[specta::specta]
pub fn bulletin_list(desk: State<'_, Desk>) -> CmdResult<Vec<Bulletin>> {
    with_store(&desk, |s| s.bulletins())
}

/// Writes an issued 通报's PDF under `<data dir>/exports/` and opens it to print.
#[tauri::command]
#[specta::specta]
pub fn bulletin_open(desk: State<'_, Desk>, bulletin_id: String) -> CmdResult<String> {
    let f = fonts(&desk)?;
    let (pdf, b) = with_store(&desk, |s| {
        let b = s.bulletin(&bulletin_id)?;
        Ok((s.bulletin_pdf(&b.body, &f)?, b))
    })?;
    export_and_open(&desk, &format!("通报-{}", b.number), &pdf)
}

/// Writes an issued 通报's figures as XLSX under `<data dir>/exports/`; returns the path.
#[tauri::command]
#[specta::specta]
pub fn bulletin_xlsx(desk: State<'_, Desk>, bulletin_id: String) -> CmdResult<String> {
    let (bytes, b) = with_store(&desk, |s| {
        let b = s.bulletin(&bulletin_id)?;
        Ok((report_xlsx(&b.report, &b.number)?, b))
    })?;
    let name =
        format!("通报-{}-{}.xlsx", b.number, crate::stats::stamp()).replace(['/', '\\'], "_");
    let path = crate::stats::exports_dir(&desk)?.join(name);
    crate::stats::write(&path, &bytes)
}

/// 类案/积案 groups.
#[tauri::command]
#[specta::specta]
pub fn case_groups(desk: State<'_, Desk>, filter: GroupFilter) -> CmdResult<CaseAnalysisReport> {
    with_store(&desk, |s| s.case_groups(&filter))
}

/// The cases of one group.
#[tauri::command]
#[specta::specta]
pub fn group_cases(
    desk: State<'_, Desk>,
    filter: GroupFilter,
    by: GroupBy,
    key: String,
) -> CmdResult<Vec<GroupCase>> {
    with_store(&desk, |s| s.group_cases(&filter, by, &key))
}
