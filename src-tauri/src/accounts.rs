//! 登录与操作员账户, 备份与恢复: the commands around who is at the desk. Logging in opens the
//! encrypted database (`hearing_store::accounts::login`); locking drops the store and with it the
//! key. The desk locks itself after [`IdleClock`]'s limit without a command (15 min, or
//! `HEARINGDESK_IDLE_LOCK_SECS`): the next command, or the watcher thread a few seconds later,
//! finds it idle, drops the store and tells the UI ([`EVENT_LOCKED`]). The session's rules
//! (what locks, why, what is audited) are `hearing_store::session`'s.
//!
//! The store decides what each role may do; these commands only forward, and report the role's
//! permissions so that the UI can hide what the role cannot use.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hearing_core::access::{Permission, PERMISSIONS};
use hearing_core::{CaseAction, HearingAction};
use hearing_store::accounts::{self, DeskLock, NewOperator, Operator, Revealed};
use hearing_store::backup::{self, BackupHeader, Progress};
pub use hearing_store::session::IdleClock;
use hearing_store::session::{LockReason, Slot};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::commands::with_store;
use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

/// Emitted (with the message) when the watcher locks an idle desk.
pub const EVENT_LOCKED: &str = "auth-locked";
/// Emitted with a [`BackupProgress`] while a backup or a restore runs.
pub const EVENT_PROGRESS: &str = "backup-progress";

/// The code of a locked desk's error (the UI shows the login screen on it).
pub const LOCKED: ErrorCode = ErrorCode::Locked;
/// The code while the store is being replaced (account set-up, restore).
const BUSY: ErrorCode = ErrorCode::Busy;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data behind these locks stays valid after a panic elsewhere.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Why the store of `slot` cannot be used now, as the UI is told; `None` if it is open.
pub(crate) fn unavailable(slot: &Slot) -> Option<AppError> {
    match slot {
        Slot::Open(_) => None,
        Slot::Locked(reason) => Some(AppError::new(LOCKED, reason.message())),
        Slot::Busy(message) => Some(AppError::new(BUSY, message.clone())),
        Slot::Failed { code, message } => Some(AppError::new(*code, message.clone())),
    }
}

/// Where decrypted copies of scans are written when the user opens one; removed on lock.
pub(crate) fn scan_temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("hearingdesk-scans-{}", std::process::id()))
}

/// Removes the decrypted copies of scans (best effort).
pub fn remove_temp_copies() {
    let _ = std::fs::remove_dir_all(scan_temp_dir());
}

/// Locks the desk for `reason` and removes the decrypted copies of scans.
fn lock_desk(slot: &mut Slot, reason: LockReason) {
    slot.lock(reason);
    remove_temp_copies();
}

/// Locks a logged-in desk that has been idle past the limit. True if it locked it now.
pub(crate) fn expire_if_idle(desk: &Desk, slot: &mut Slot) -> bool {
    let locked = slot.expire_if_idle(&desk.idle, Instant::now());
    if locked {
        remove_temp_copies();
    }
    locked
}

/// Whether the store is away for now: locked, or being replaced (set-up, restore). The
/// background sync skips then.
pub fn is_unavailable(e: &AppError) -> bool {
    e.code == LOCKED || e.code == BUSY
}

/// Starts the thread that locks an idle desk even when no command comes, so that the key does
/// not stay in memory, and tells the UI ([`EVENT_LOCKED`]) whoever locked it.
pub fn start_idle_watch(app: AppHandle) {
    let every = (app.state::<Desk>().idle.limit() / 4)
        .clamp(Duration::from_millis(500), Duration::from_secs(10));
    let spawned = std::thread::Builder::new()
        .name("hearing-idle-lock".into())
        .spawn(move || loop {
            std::thread::sleep(every);
            let desk = app.state::<Desk>();
            {
                let mut slot = lock(&desk.store);
                expire_if_idle(&desk, &mut slot);
            }
            // Whoever found it idle (this thread, a command, the sync worker), the UI is told.
            if desk.idle.take_news() {
                let _ = app.emit(EVENT_LOCKED, LockReason::Idle.message());
            }
        });
    if let Err(e) = spawned {
        eprintln!("hearing-desk: 无法启动空闲锁定：{e}");
    }
}

/// Who is at the desk, for the header, the login screen and what the UI shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuthState {
    /// Operator accounts are set up (the database is encrypted).
    pub accounts: bool,
    /// Nobody is logged in: the login screen is due.
    pub locked: bool,
    /// Why the desk was locked (idle, by the operator, after a restore), for the login screen.
    pub reason: Option<String>,
    /// The operator logged in (none on a desk without accounts).
    pub operator: Option<Operator>,
    /// What the operator may do (everything on a desk without accounts).
    pub permissions: Vec<Permission>,
    /// The case steps the role may take (the store checks them again).
    pub case_actions: Vec<CaseAction>,
    /// The hearing steps the role may take.
    pub hearing_actions: Vec<HearingAction>,
    pub data_dir: String,
    /// The desk locks itself after this many seconds without a command.
    pub idle_lock_secs: u32,
}

fn auth_state(desk: &Desk) -> AuthState {
    let mut slot = lock(&desk.store);
    expire_if_idle(desk, &mut slot);
    let accounts_on_disk = || matches!(accounts::desk_lock(&desk.data_dir), Ok(DeskLock::Locked));
    let (accounts, locked, reason, operator, permissions) = match &*slot {
        Slot::Open(s) => {
            let op = s.operator().cloned();
            let permissions = match &op {
                Some(o) => o.role.permissions(),
                None => PERMISSIONS.to_vec(),
            };
            (s.is_encrypted(), false, None, op, permissions)
        }
        Slot::Locked(why) => {
            let reason = why.stated().map(str::to_owned);
            (accounts_on_disk(), true, reason, None, Vec::new())
        }
        Slot::Busy(_) | Slot::Failed { .. } => (accounts_on_disk(), false, None, None, Vec::new()),
    };
    drop(slot);
    AuthState {
        accounts,
        locked,
        reason,
        case_actions: CaseAction::ALL
            .into_iter()
            .filter(|a| permissions.contains(&a.permission()))
            .collect(),
        hearing_actions: HearingAction::ALL
            .into_iter()
            .filter(|a| permissions.contains(&a.permission()))
            .collect(),
        operator,
        permissions,
        data_dir: desk.data_dir.display().to_string(),
        idle_lock_secs: desk.idle.limit_secs(),
    }
}

/// Runs `f` on a blocking thread (password hashing, copying a database): the main thread, which
/// the synchronous commands use, stays free.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    what: &'static str,
    f: impl FnOnce(&AppHandle) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("{what}未完成：{e}")))?
}

/// Counts as activity (and refuses on a locked desk), for commands that reach the store later.
pub(crate) fn activity(desk: &Desk) -> CmdResult<()> {
    with_store(desk, |_| Ok(()))
}

#[tauri::command]
#[specta::specta]
pub fn auth_state_get(desk: State<'_, Desk>) -> AuthState {
    crate::startup::mark("authAsked");
    let state = auth_state(&desk);
    crate::startup::mark("authAnswered");
    state
}

/// Logs in: opens the encrypted database with the operator's password.
#[tauri::command]
#[specta::specta]
pub async fn auth_login(app: AppHandle, login: String, password: String) -> CmdResult<AuthState> {
    blocking(app, "登录", move |app| {
        let desk = app.state::<Desk>();
        if login.trim().is_empty() || password.is_empty() {
            return Err(AppError::new(ErrorCode::Auth, "请输入用户名和密码"));
        }
        if let Slot::Busy(message) = &*lock(&desk.store) {
            return Err(AppError::new(BUSY, message.clone()));
        }
        let store = accounts::login(&desk.data_dir, &login, &password)?;
        desk.idle.touch();
        *lock(&desk.store) = Slot::Open(store);
        Ok(auth_state(&desk))
    })
    .await
}

/// Locks the desk now (锁定): the next operator logs in.
#[tauri::command]
#[specta::specta]
pub fn auth_lock(desk: State<'_, Desk>) -> CmdResult<AuthState> {
    {
        let mut slot = lock(&desk.store);
        match &*slot {
            Slot::Open(s) if !s.is_encrypted() => {
                return Err(AppError::new(
                    ErrorCode::Auth,
                    "本机尚未设置操作员账户，无法锁定：请先在 设置 → 操作员账户 中设置管理员",
                ))
            }
            Slot::Open(_) => lock_desk(&mut slot, LockReason::Manual),
            _ => {}
        }
    }
    Ok(auth_state(&desk))
}

/// First-time set-up on a desk without accounts: the administrator is created and the database
/// (and the attached scans) encrypted; the desk is then logged in as the administrator.
#[tauri::command]
#[specta::specta]
pub async fn auth_setup(
    app: AppHandle,
    login: String,
    name: String,
    password: String,
) -> CmdResult<AuthState> {
    let admin = NewOperator {
        login,
        name,
        role: hearing_core::access::Role::Admin,
        password,
    };
    accounts::check_new_operator(&admin)?;
    blocking(app, "设置管理员账户", move |app| {
        let desk = app.state::<Desk>();
        let store = {
            let mut slot = lock(&desk.store);
            if let Some(e) = unavailable(&slot) {
                return Err(e);
            }
            if slot.logged_in() {
                return Err(AppError::new(ErrorCode::Auth, "本机已设置操作员账户"));
            }
            slot.take_store("正在设置操作员账户并加密数据库，请稍候")
                .ok_or_else(|| AppError::new(ErrorCode::Internal, "本机数据库未打开"))?
        };
        let result = store.setup_accounts(&admin);
        let mut slot = lock(&desk.store);
        match result {
            Ok(s) => {
                desk.idle.touch();
                *slot = Slot::Open(s);
                drop(slot);
                Ok(auth_state(&desk))
            }
            Err(e) => {
                // The store was consumed: open the desk again as it is on disk.
                *slot = Slot::open(&desk.data_dir, LockReason::Startup);
                Err(e.into())
            }
        }
    })
    .await
}

/// The operators (administrators see all, others themselves).
#[tauri::command]
#[specta::specta]
pub fn operator_list(desk: State<'_, Desk>) -> CmdResult<Vec<Operator>> {
    with_store(&desk, |s| s.operators())
}

#[tauri::command]
#[specta::specta]
pub async fn operator_add(app: AppHandle, input: NewOperator) -> CmdResult<Operator> {
    blocking(app, "新增操作员", move |app| {
        with_store(&app.state::<Desk>(), |s| s.add_operator(&input))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub fn operator_set_role(
    desk: State<'_, Desk>,
    id: String,
    role: hearing_core::access::Role,
) -> CmdResult<Operator> {
    with_store(&desk, |s| s.set_operator_role(&id, role))
}

#[tauri::command]
#[specta::specta]
pub fn operator_disable(desk: State<'_, Desk>, id: String) -> CmdResult<Operator> {
    with_store(&desk, |s| s.disable_operator(&id))
}

/// An administrator sets a new password for another operator.
#[tauri::command]
#[specta::specta]
pub async fn operator_reset_password(
    app: AppHandle,
    id: String,
    password: String,
) -> CmdResult<()> {
    blocking(app, "重设密码", move |app| {
        with_store(&app.state::<Desk>(), |s| {
            s.set_password(&id, None, &password)
        })
    })
    .await
}

/// The logged-in operator changes their own password.
#[tauri::command]
#[specta::specta]
pub async fn password_change(app: AppHandle, current: String, password: String) -> CmdResult<()> {
    blocking(app, "修改密码", move |app| {
        with_store(&app.state::<Desk>(), |s| {
            let me = s
                .operator()
                .map(|o| o.id.clone())
                .ok_or_else(|| hearing_store::StoreError::Auth("请先登录".into()))?;
            s.set_password(&me, Some(&current), &password)
        })
    })
    .await
}

/// The full ID and phone number of a case's petitioner (`seq`: 0 for the first); audited.
#[tauri::command]
#[specta::specta]
pub fn petitioner_reveal(desk: State<'_, Desk>, case_id: String, seq: u32) -> CmdResult<Revealed> {
    with_store(&desk, |s| s.reveal_petitioner(&case_id, seq))
}

/// Progress of a backup or a restore.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupProgress {
    /// backup | restore
    pub op: String,
    pub stage: String,
    /// 0–100 within the stage.
    pub percent: u32,
}

/// What a backup file holds.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupSummary {
    pub path: String,
    pub created_at: String,
    pub app_version: String,
    /// Encrypted: restoring needs the login and password of one of its operators.
    pub encrypted: bool,
    pub schema_version: u32,
    pub files: u32,
    /// Total size of the files it holds, in KiB.
    pub size_kb: u32,
}

fn summary(path: &Path, h: &BackupHeader) -> BackupSummary {
    let bytes: u64 = h.files.iter().map(|f| f.len).sum();
    BackupSummary {
        path: path.display().to_string(),
        created_at: h.created_at.clone(),
        app_version: h.app_version.clone(),
        encrypted: h.encrypted,
        schema_version: u32::try_from(h.schema_version).unwrap_or(0),
        files: u32::try_from(h.files.len()).unwrap_or(u32::MAX),
        size_kb: u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX),
    }
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreResult {
    pub backup: BackupSummary,
    /// Where the desk's previous files were moved, if there were any.
    pub moved_aside: Option<String>,
    /// The restored desk has accounts: log in with an operator of the backup.
    pub needs_login: bool,
    /// The backup was of an enrolled desk: enrol again (with a new code) before syncing.
    pub sync_unenrolled: bool,
}

/// Sends progress events, at most ten a second (and always the last of a stage).
struct Reporter {
    app: AppHandle,
    op: &'static str,
    last: Option<(String, u32, Instant)>,
}

impl Reporter {
    fn new(app: &AppHandle, op: &'static str) -> Reporter {
        Reporter {
            app: app.clone(),
            op,
            last: None,
        }
    }

    fn report(&mut self, p: Progress) {
        let percent = p
            .done
            .min(p.total)
            .saturating_mul(100)
            .checked_div(p.total)
            .map_or(100, |v| u32::try_from(v).unwrap_or(100));
        if let Some((stage, pct, at)) = &self.last {
            let same_stage = stage == p.stage;
            if same_stage && *pct == percent {
                return;
            }
            if same_stage && percent < 100 && at.elapsed() < Duration::from_millis(100) {
                return;
            }
        }
        self.last = Some((p.stage.to_owned(), percent, Instant::now()));
        let _ = self.app.emit(
            EVENT_PROGRESS,
            BackupProgress {
                op: self.op.to_owned(),
                stage: p.stage.to_owned(),
                percent,
            },
        );
    }
}

/// A path typed by the user: `~/` is the home folder; it must be absolute.
fn user_path(raw: &str) -> CmdResult<PathBuf> {
    let raw = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    if raw.is_empty() {
        return Err(AppError::new(
            ErrorCode::Validation,
            "请输入备份文件的完整路径",
        ));
    }
    let path = match raw.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(rest),
            None => PathBuf::from(raw),
        },
        None => PathBuf::from(raw),
    };
    if !path.is_absolute() {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!(
                "请输入完整路径（以 / 开头），例如 /home/用户/听证工作台备份.hdbak；现为“{raw}”"
            ),
        ));
    }
    Ok(path)
}

fn backup_file_name() -> String {
    format!(
        "听证工作台备份-{}.hdbak",
        chrono::Local::now().format("%Y%m%d-%H%M")
    )
}

/// A suggested place for a backup: the home folder (the data folder when there is none).
#[tauri::command]
#[specta::specta]
pub fn backup_default_path(desk: State<'_, Desk>) -> String {
    let dir = std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|h| h.is_dir())
        .unwrap_or_else(|| desk.data_dir.clone());
    dir.join(backup_file_name()).display().to_string()
}

/// Writes a backup of the whole desk to `path` (a folder gets a dated file name); progress
/// comes as [`EVENT_PROGRESS`] events.
#[tauri::command]
#[specta::specta]
pub async fn backup_create(app: AppHandle, path: String) -> CmdResult<BackupSummary> {
    let mut out = user_path(&path)?;
    if out.is_dir() {
        out = out.join(backup_file_name());
    }
    match out.parent() {
        Some(dir) if dir.is_dir() => {}
        Some(dir) => {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("文件夹 {} 不存在，请先建好或换一个位置", dir.display()),
            ))
        }
        None => {
            return Err(AppError::new(
                ErrorCode::Validation,
                "请输入备份文件的完整路径",
            ))
        }
    }
    blocking(app, "备份", move |app| {
        let mut reporter = Reporter::new(app, "backup");
        let header = with_store(&app.state::<Desk>(), |s| {
            s.backup_to(&out, |p| reporter.report(p))
        })?;
        Ok(summary(&out, &header))
    })
    .await
}

/// What a backup file holds, before restoring it.
#[tauri::command]
#[specta::specta]
pub fn backup_inspect(path: String) -> CmdResult<BackupSummary> {
    let file = user_path(&path)?;
    let header = backup::read_header(&file)?;
    Ok(summary(&file, &header))
}

/// Restores the desk from a backup. An encrypted backup needs the login and password of one of
/// its operators; the desk's current files are moved aside (kept), only with `replace`. On a
/// desk with accounts only an administrator may restore (a locked desk may: the backup's own
/// password is the proof). Afterwards the desk is locked and its operators log in again.
#[tauri::command]
#[specta::specta]
pub async fn backup_restore(
    app: AppHandle,
    path: String,
    login: String,
    password: String,
    replace: bool,
) -> CmdResult<RestoreResult> {
    let file = user_path(&path)?;
    let header = backup::read_header(&file)?;
    if header.encrypted && (login.trim().is_empty() || password.is_empty()) {
        return Err(AppError::new(
            ErrorCode::Auth,
            "这是加密备份：请输入备份时本机一名操作员的用户名和密码",
        ));
    }
    if !replace && desk_has_database_file(&desk_dir(&app)) {
        return Err(AppError::new(ErrorCode::Validation,
            "本机已有数据：恢复会用备份替换现有数据（现有文件移到 before-restore-时间 文件夹，不会删除）。确认替换时请勾选“替换本机现有数据”",
        ));
    }
    blocking(app, "恢复", move |app| {
        let desk = app.state::<Desk>();
        let previous = {
            let mut slot = lock(&desk.store);
            expire_if_idle(&desk, &mut slot);
            match &*slot {
                Slot::Open(s) => s.require(Permission::ManageSettings)?,
                Slot::Busy(message) => return Err(AppError::new(BUSY, message.clone())),
                Slot::Locked(_) | Slot::Failed { .. } => {}
            }
            slot.take("正在从备份恢复，请稍候")
        };
        // The open database stays open until the backup has been checked, so that a wrong
        // password or a damaged file leaves the desk as it was (still logged in). On Unix its
        // files may be moved aside while open; elsewhere it is closed first.
        #[cfg(not(unix))]
        let previous = {
            drop(previous);
            Slot::open(&desk.data_dir, LockReason::Startup)
        };
        let mut reporter = Reporter::new(app, "restore");
        let credentials = header
            .encrypted
            .then_some((login.as_str(), password.as_str()));
        let result = backup::restore(&file, &desk.data_dir, credentials, replace, |p| {
            reporter.report(p)
        });
        let db_in_place = desk_has_database_file(&desk.data_dir);
        let next = match &result {
            // Nothing was moved (the database goes aside first and comes back last).
            Err(_) if db_in_place => previous,
            Err(_) => {
                drop(previous);
                Slot::open(&desk.data_dir, LockReason::Startup)
            }
            Ok(_) => {
                drop(previous);
                remove_temp_copies();
                Slot::open(&desk.data_dir, LockReason::Restored)
            }
        };
        *lock(&desk.store) = next;
        let report = result?;
        Ok(RestoreResult {
            backup: summary(&file, &report.header),
            moved_aside: report.moved_aside,
            needs_login: report.header.encrypted,
            sync_unenrolled: report.sync_unenrolled,
        })
    })
    .await
}

fn desk_dir(app: &AppHandle) -> PathBuf {
    app.state::<Desk>().data_dir.clone()
}

fn desk_has_database_file(dir: &Path) -> bool {
    dir.join(hearing_store::DB_FILE).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::with_store_quiet;

    #[test]
    fn paths_must_be_absolute_and_may_start_at_home() {
        assert!(user_path("").is_err());
        let e = user_path("backup.hdbak").unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains("完整路径"));
        assert_eq!(
            user_path(" '/tmp/a.hdbak' ").ok(),
            Some(PathBuf::from("/tmp/a.hdbak"))
        );
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(
                user_path("~/b.hdbak").ok(),
                Some(PathBuf::from(home).join("b.hdbak"))
            );
        }
    }

    fn desk(dir: &Path, limit: Duration) -> Desk {
        Desk {
            data_dir: dir.to_owned(),
            store: Mutex::new(Slot::open(dir, LockReason::Startup)),
            idle: IdleClock::new(limit),
        }
    }

    /// Makes the desk's last use older than its idle limit (sleeping only if the monotonic
    /// clock cannot go back that far).
    fn make_idle(d: &Desk) {
        let past = d.idle.limit() * 2;
        match Instant::now().checked_sub(past) {
            Some(then) => d.idle.touch_at(then),
            None => std::thread::sleep(past),
        }
    }

    #[test]
    fn an_open_desk_allows_everything_and_never_locks_when_idle() {
        let tmp = tempfile::tempdir().unwrap();
        let d = desk(tmp.path(), Duration::from_millis(1));
        make_idle(&d);
        let s = auth_state(&d);
        assert!(!s.accounts && !s.locked);
        assert_eq!(s.permissions.len(), PERMISSIONS.len());
        assert_eq!(s.case_actions.len(), CaseAction::ALL.len());
        assert!(with_store(&d, |_| Ok(())).is_ok());
    }

    #[test]
    fn a_logged_in_desk_locks_after_the_idle_limit_and_logs_in_again() {
        std::env::set_var("HEARINGDESK_TEST_FAST_KDF", "1");
        let tmp = tempfile::tempdir().unwrap();
        let d = desk(tmp.path(), Duration::from_millis(500));
        {
            let mut slot = lock(&d.store);
            let taken = slot.take_store("").unwrap();
            let admin = NewOperator {
                login: "admin".into(),
                name: "王管理".into(),
                role: hearing_core::access::Role::Admin,
                password: "secret123".into(),
            };
            *slot = Slot::Open(taken.setup_accounts(&admin).unwrap());
        }
        d.idle.touch();
        let s = auth_state(&d);
        assert!(s.accounts && !s.locked);
        assert_eq!(s.operator.as_ref().map(|o| o.login.as_str()), Some("admin"));
        // A command within the limit keeps it open.
        assert!(with_store(&d, |_| Ok(())).is_ok());
        make_idle(&d);
        // A quiet read does not count as activity but sees the lock.
        let e = with_store_quiet(&d, |_| Ok(())).unwrap_err();
        assert_eq!(e.code, LOCKED);
        assert!(e.message.contains("长时间未操作"), "{}", e.message);
        let s = auth_state(&d);
        assert!(s.accounts && s.locked && s.operator.is_none() && s.permissions.is_empty());
        assert_eq!(s.reason.as_deref(), Some(LockReason::Idle.message()));
        // Logging in again opens it.
        let store = accounts::login(tmp.path(), "admin", "secret123").unwrap();
        *lock(&d.store) = Slot::Open(store);
        d.idle.touch();
        assert!(with_store(&d, |_| Ok(())).is_ok());
    }

    #[test]
    fn a_clerk_is_offered_no_approval_steps() {
        let perms = hearing_core::access::Role::Clerk.permissions();
        let steps: Vec<CaseAction> = CaseAction::ALL
            .into_iter()
            .filter(|a| perms.contains(&a.permission()))
            .collect();
        assert!(steps.is_empty(), "{steps:?}");
    }
}
