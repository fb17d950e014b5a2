//! The desktop shell of HearingDesk: opens the desk's database (or waits for a login when it is
//! encrypted) and exposes the crates to the front end as Tauri commands. Commands parse, call one
//! function of a crate and map the error; they hold no domain rules.

mod accounts;
mod commands;
mod committee;
mod documents;
mod error;
mod fonts;
mod search;
mod slips;
mod startup;
mod stats;
mod sync;
mod templates;
mod workflow;

use std::path::PathBuf;
use std::sync::Mutex;

use hearing_store::session::{LockReason, Slot};
use tauri::Manager;

pub use error::AppError;

/// The desk's database, or why it is not open: locked (code `locked`: nobody logged in on a desk
/// with accounts — the UI shows the login screen) or it could not be opened (shown by the UI
/// instead of crashing).
pub struct Desk {
    pub data_dir: PathBuf,
    pub store: Mutex<hearing_store::session::Slot>,
    /// When the last command ran: a logged-in desk locks itself after the limit.
    pub idle: accounts::IdleClock,
}

/// The command set with its TypeScript bindings (ui/src/bindings.ts).
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use accounts::*;
    use commands::*;
    use committee::*;
    use documents::*;
    use fonts::*;
    use slips::*;
    use stats::*;
    use sync::*;
    use templates::*;
    use workflow::*;
    tauri_specta::Builder::<tauri::Wry>::new()
        // One shape per type: the UI sends back what it received.
        .disable_serde_phases()
        // The payload of the backup-progress event.
        .typ::<accounts::BackupProgress>()
        // The 送达方式 the forms offer (sent as keys; the store keeps their words).
        .typ::<hearing_core::ServiceMethod>()
        .commands(tauri_specta::collect_commands![
            app_info,
            auth_state_get,
            auth_login,
            auth_lock,
            auth_setup,
            operator_list,
            operator_add,
            operator_set_role,
            operator_disable,
            operator_reset_password,
            password_change,
            petitioner_reveal,
            backup_default_path,
            backup_create,
            backup_inspect,
            backup_restore,
            desk_init,
            demo_load,
            org_list,
            org_create,
            person_list,
            person_get,
            person_create,
            person_update,
            person_set_active,
            case_list,
            case_counts,
            case_get,
            case_get_for_edit,
            case_create,
            case_update,
            case_set_analysis,
            check_field,
            audit_verify,
            config_get,
            config_save,
            hearing_list,
            hearing_get,
            hearing_create,
            hearing_update,
            hearing_action,
            hearing_set_step,
            hearing_announce,
            participant_add,
            participant_remove,
            participant_set_invitation,
            participant_set_declaration,
            participant_serve_notice,
            participant_set_signature,
            panel_candidates,
            panel_draw,
            testimony_list,
            testimony_add,
            testimony_update,
            testimony_correct,
            evidence_list,
            evidence_add,
            evidence_challenge,
            deliberation_get,
            opinion_save,
            organ_decision_save,
            case_workflow,
            case_action,
            case_timeline,
            approval_add,
            approval_inbox,
            leader_assign,
            leader_sign_off,
            slip_issue,
            slip_answer,
            slip_review,
            slip_todo,
            slip_preview,
            slip_open,
            meeting_list,
            meeting_get,
            meeting_create,
            meeting_update,
            meeting_add_case,
            meeting_remove_item,
            meeting_reorder,
            meeting_conclude,
            meeting_proposals,
            case_meetings,
            meeting_minutes_preview,
            meeting_minutes_open,
            unit_report,
            bulletin_preview,
            bulletin_issue,
            bulletin_list,
            bulletin_open,
            bulletin_xlsx,
            case_groups,
            group_cases,
            visit_review_add,
            followup_add,
            doc_kinds,
            font_overview,
            font_save,
            font_sample,
            doc_list,
            doc_generate,
            doc_generate_each,
            doc_edit,
            doc_finalize,
            doc_preview,
            doc_open,
            doc_mark_printed,
            doc_attach_scan,
            doc_open_scan,
            doc_serve,
            doc_file,
            template_get,
            template_save,
            template_reset,
            template_preview,
            sync_status,
            sync_enroll,
            sync_now,
            sync_history,
            sync_conflicts,
            sync_settle_conflict,
            sync_unreported_documents,
            stats_get,
            stats_export,
            stats_save_png,
            exports_open_folder,
            warnings_list,
            search::search_records,
            startup::startup_report,
        ])
}

/// Where the bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

/// The TypeScript exporter settings shared by the app and the drift test.
pub fn typescript() -> specta_typescript::Typescript {
    specta_typescript::Typescript::default()
        .header("// Generated from Rust by tauri-specta (src-tauri/src/lib.rs). Do not edit.\n/* eslint-disable */")
}

/// The data directory: `HEARINGDESK_DATA_DIR` if set, else the platform's app-data folder.
fn data_dir(app: &tauri::App) -> Result<PathBuf, AppError> {
    if let Some(d) = std::env::var_os("HEARINGDESK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    app.path()
        .app_data_dir()
        .map_err(|e| AppError::new(error::ErrorCode::Io, format!("找不到应用数据目录：{e}")))
}

/// WebKitGTK draws the page without accelerated compositing unless the user's environment says
/// otherwise. With it, each page is drawn through OpenGL, which on a machine without a GPU driver
/// (Mesa's software rasteriser) made the three processes 92–120 MB larger (BENCHMARKS.md §5); a
/// forms application has no animation that needs it, and it is the mode WebKitGTK falls back to
/// where GPU drivers misbehave. Not measured on a machine with a GPU.
///
/// Call before GTK and WebKit start, while the process has one thread; the web and network
/// processes inherit it. A value the user set is kept (`=0` turns compositing back on).
/// `examples/bare-webview.rs` (the benchmark's floor) sets it the same way.
fn webview_rendering_defaults() {
    if std::env::var_os(COMPOSITING_VAR).is_none() {
        std::env::set_var(COMPOSITING_VAR, "1");
        COMPOSITING_SET_HERE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

const COMPOSITING_VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
static COMPOSITING_SET_HERE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// `xdg-open PATH`, started and left to run: the user's viewer or file manager. Without the
/// WebKit setting the app made for itself, so a viewer built on WebKitGTK draws as it would
/// when started from the desktop. Its output goes nowhere (it is not the app's to show), and it
/// is waited for on a thread of its own, so no exited opener is left behind as a zombie.
pub(crate) fn xdg_open(path: &std::path::Path) -> std::io::Result<()> {
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if COMPOSITING_SET_HERE.load(std::sync::atomic::Ordering::Relaxed) {
        cmd.env_remove(COMPOSITING_VAR);
    }
    let mut child = cmd.spawn()?;
    std::thread::Builder::new()
        .name("xdg-open".into())
        .spawn(move || {
            let _ = child.wait();
        })?;
    Ok(())
}

/// How long the main window may stay hidden waiting for its page (see `run`).
const SHOW_WINDOW_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_secs(3);

fn show_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        if !window.is_visible().unwrap_or(false) {
            if let Err(e) = window.show().and_then(|()| window.set_focus()) {
                eprintln!("hearing-desk: the window could not be shown: {e}");
            }
        }
    }
}

pub fn run() {
    startup::mark_run_started();
    webview_rendering_defaults();
    let builder = specta_builder();
    startup::mark("commands");
    let result = tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        // The main window starts hidden (tauri.conf.json) and is shown once its page has loaded.
        // Shown at once, GTK draws the empty web view while the web process is still starting;
        // the draw then waits for the web process and, one start in four or five, the web
        // process for it, until WebKit gives up after 500 ms (seen with eu-stack: the 工作台 took
        // 1.1 s instead of 0.6 s). A page that never reports its load is shown after
        // SHOW_WINDOW_AT_THE_LATEST all the same.
        .on_page_load(|webview, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                show_main_window(webview.app_handle());
            }
        })
        .setup(move |app| {
            startup::mark("setup");
            let handle = app.handle().clone();
            let late_show = std::thread::Builder::new()
                .name("show-window".into())
                .spawn(move || {
                    std::thread::sleep(SHOW_WINDOW_AT_THE_LATEST);
                    show_main_window(&handle);
                });
            if let Err(e) = late_show {
                // Without the fallback the page load still shows the window.
                eprintln!("hearing-desk: no fallback for showing the window: {e}");
            }
            builder.mount_events(app);
            let dir = data_dir(app);
            let (data_dir, store) = match dir {
                Ok(dir) => {
                    let store = Slot::open(&dir, LockReason::Startup);
                    startup::mark("deskOpened");
                    (dir, store)
                }
                Err(e) => (
                    PathBuf::new(),
                    Slot::Failed {
                        code: e.code,
                        message: e.message,
                    },
                ),
            };
            if let Slot::Failed { message, .. } = &store {
                eprintln!("hearing-desk: {message}");
            }
            app.manage(Desk {
                data_dir,
                store: Mutex::new(store),
                idle: accounts::IdleClock::from_env(),
            });
            app.manage(sync::SyncRuntime::new());
            sync::start(app.handle().clone());
            accounts::start_idle_watch(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                app.state::<sync::SyncRuntime>().stop();
                accounts::remove_temp_copies();
            }
        }),
        Err(e) => {
            eprintln!("hearing-desk: 无法启动：{e}");
            std::process::exit(1);
        }
    }
}
