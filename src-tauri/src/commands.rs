//! Tauri commands: each parses its arguments, calls one function of hearing-store or
//! hearing-core, and maps the error to [`AppError`].

use hearing_core::{
    validate, Case, CaseAnalysis, CaseCounts, CaseInput, CaseListQuery, CaseSummary, Org, OrgInput,
    Page, Person, PersonInput, PersonListQuery,
};
use hearing_store::audit::AuditReport;
use hearing_store::demo::DemoSummary;
use hearing_store::{cases, orgs, persons, Store};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

/// Runs `f` on the desk's store. Counts as activity for the idle lock; a desk idle past the
/// limit is locked first, and then this returns the `locked` error (the UI shows the login).
pub(crate) fn with_store<T>(
    desk: &Desk,
    f: impl FnOnce(&mut Store) -> Result<T, hearing_store::StoreError>,
) -> CmdResult<T> {
    store_access(desk, true, f)
}

/// The same for reads the UI repeats by itself (the sync state, refreshed on a timer and after
/// every background run): they do not keep an unattended desk open.
pub(crate) fn with_store_quiet<T>(
    desk: &Desk,
    f: impl FnOnce(&mut Store) -> Result<T, hearing_store::StoreError>,
) -> CmdResult<T> {
    store_access(desk, false, f)
}

fn store_access<T>(
    desk: &Desk,
    activity: bool,
    f: impl FnOnce(&mut Store) -> Result<T, hearing_store::StoreError>,
) -> CmdResult<T> {
    let mut guard = desk
        .store
        .lock()
        .map_err(|_| AppError::new(ErrorCode::Internal, "数据库连接异常，请重新启动听证工作台"))?;
    crate::accounts::expire_if_idle(desk, &mut guard);
    if let Some(e) = crate::accounts::unavailable(&guard) {
        return Err(e);
    }
    match guard.store() {
        Some(store) => {
            if !activity {
                return f(store).map_err(AppError::from);
            }
            desk.idle.touch();
            let result = f(store).map_err(AppError::from);
            // A long command (a backup, a big document) ends as recent activity, too.
            desk.idle.touch();
            result
        }
        None => Err(AppError::new(ErrorCode::Internal, "本机数据库未打开")),
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub db_path: String,
    pub schema_version: u32,
    pub desk_org: Option<Org>,
    /// No org yet: the first-run screen is due.
    pub is_empty: bool,
    /// Why the database could not be opened, if it could not.
    pub open_error: Option<AppError>,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(desk: State<'_, Desk>) -> CmdResult<AppInfo> {
    crate::startup::mark("infoAsked");
    let version = env!("CARGO_PKG_VERSION").to_owned();
    let data_dir = desk.data_dir.display().to_string();
    let info = with_store(&desk, |s| {
        let desk_org = match s.desk_org_id()? {
            Some(id) => Some(orgs::get(s.conn(), &id)?),
            None => None,
        };
        Ok(AppInfo {
            version: version.clone(),
            data_dir: data_dir.clone(),
            db_path: s.path().display().to_string(),
            schema_version: u32::try_from(s.schema_version()?).unwrap_or(0),
            desk_org,
            is_empty: s.is_empty()?,
            open_error: None,
        })
    });
    crate::startup::mark("infoAnswered");
    Ok(info.unwrap_or_else(|e| AppInfo {
        version,
        data_dir,
        db_path: String::new(),
        schema_version: 0,
        desk_org: None,
        is_empty: false,
        open_error: Some(e),
    }))
}

#[tauri::command]
#[specta::specta]
pub fn desk_init(desk: State<'_, Desk>, org: OrgInput) -> CmdResult<AppInfo> {
    with_store(&desk, |s| s.init_desk(&org))?;
    app_info(desk)
}

#[tauri::command]
#[specta::specta]
pub fn demo_load(desk: State<'_, Desk>) -> CmdResult<DemoSummary> {
    with_store(&desk, |s| s.load_demo())
}

#[tauri::command]
#[specta::specta]
pub fn org_list(desk: State<'_, Desk>) -> CmdResult<Vec<Org>> {
    with_store(&desk, |s| orgs::list(s.conn()))
}

#[tauri::command]
#[specta::specta]
pub fn org_create(desk: State<'_, Desk>, input: OrgInput) -> CmdResult<Org> {
    with_store(&desk, |s| s.create_org(&input))
}

#[tauri::command]
#[specta::specta]
pub fn person_list(desk: State<'_, Desk>, query: PersonListQuery) -> CmdResult<Page<Person>> {
    with_store(&desk, |s| persons::list(s.conn(), &query))
}

#[tauri::command]
#[specta::specta]
pub fn person_get(desk: State<'_, Desk>, id: String) -> CmdResult<Person> {
    with_store(&desk, |s| s.person_for_edit(&id))
}

#[tauri::command]
#[specta::specta]
pub fn person_create(desk: State<'_, Desk>, input: PersonInput) -> CmdResult<Person> {
    with_store(&desk, |s| s.create_person(&input))
}

#[tauri::command]
#[specta::specta]
pub fn person_update(desk: State<'_, Desk>, id: String, input: PersonInput) -> CmdResult<Person> {
    with_store(&desk, |s| s.update_person(&id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn person_set_active(desk: State<'_, Desk>, id: String, active: bool) -> CmdResult<Person> {
    with_store(&desk, |s| s.set_person_active(&id, active))
}

#[tauri::command]
#[specta::specta]
pub fn case_list(desk: State<'_, Desk>, query: CaseListQuery) -> CmdResult<Page<CaseSummary>> {
    with_store(&desk, |s| cases::list(s.conn(), &query))
}

#[tauri::command]
#[specta::specta]
pub fn case_counts(desk: State<'_, Desk>) -> CmdResult<CaseCounts> {
    with_store(&desk, |s| cases::counts(s.conn()))
}

/// The case for its detail page: petitioners' ID and phone numbers masked (显示 reveals one
/// petitioner, audited: `petitioner_reveal`).
#[tauri::command]
#[specta::specta]
pub fn case_get(desk: State<'_, Desk>, id: String) -> CmdResult<Case> {
    with_store(&desk, |s| Ok(cases::get(s.conn(), &id)?.masked()))
}

/// The case in full for its edit form: only for operators who may edit cases.
#[tauri::command]
#[specta::specta]
pub fn case_get_for_edit(desk: State<'_, Desk>, id: String) -> CmdResult<Case> {
    with_store(&desk, |s| s.case_for_edit(&id))
}

#[tauri::command]
#[specta::specta]
pub fn case_create(desk: State<'_, Desk>, input: CaseInput) -> CmdResult<Case> {
    with_store(&desk, |s| s.create_case(&input))
}

#[tauri::command]
#[specta::specta]
pub fn case_update(desk: State<'_, Desk>, id: String, input: CaseInput) -> CmdResult<Case> {
    with_store(&desk, |s| s.update_case(&id, &input))
}

#[tauri::command]
#[specta::specta]
pub fn case_set_analysis(
    desk: State<'_, Desk>,
    id: String,
    analysis: CaseAnalysis,
) -> CmdResult<Case> {
    with_store(&desk, |s| s.set_case_analysis(&id, &analysis))
}

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum FieldKind {
    IdNumber,
    Phone,
    CreditCode,
}

/// The outcome of checking one field as it is typed.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldCheck {
    pub ok: bool,
    pub normalised: String,
    pub message: Option<String>,
    /// True when the problem is a warning that does not block saving.
    pub warning: bool,
}

#[tauri::command]
#[specta::specta]
pub fn check_field(kind: FieldKind, value: String) -> CmdResult<FieldCheck> {
    let refused = |message: String| FieldCheck {
        ok: false,
        normalised: String::new(),
        message: Some(message),
        warning: false,
    };
    let fine = |normalised: String| FieldCheck {
        ok: true,
        normalised,
        message: None,
        warning: false,
    };
    Ok(match kind {
        FieldKind::IdNumber => match validate::resident_id(&value, hearing_store::today()) {
            Ok(id) => fine(id.number),
            Err(e) => refused(e.to_string()),
        },
        FieldKind::Phone => match validate::phone(&value) {
            Ok((n, _)) => fine(n),
            Err(e) => refused(e.to_string()),
        },
        FieldKind::CreditCode => match validate::credit_code(&value) {
            (code, None) => fine(code),
            (code, Some(w)) => FieldCheck {
                ok: false,
                normalised: code,
                message: Some(w.to_string()),
                warning: true,
            },
        },
    })
}

#[tauri::command]
#[specta::specta]
pub fn audit_verify(desk: State<'_, Desk>) -> CmdResult<AuditReport> {
    with_store(&desk, |s| hearing_store::audit::verify(s.conn()))
}
