//! 同步: enrolment with the city committee's server, sync now, the history of runs, conflicts to
//! settle, documents not reported yet, and the background worker that syncs by itself.
//!
//! A sync run never holds the store across a request to the server: it takes the store's mutex
//! once per step (read an outbox page, acknowledge it, apply a pulled page with its cursor; see
//! `hearing_store::sync::run`), so the desk stays usable while a slow or dead server is waited
//! for. The network part runs on a blocking thread (the client is blocking), never on the main
//! thread, which the synchronous commands use. Runs are serialised by [`SyncRuntime`].
//!
//! The worker is one thread that sleeps on a condition variable: every `interval` (60 s, or
//! `HEARINGDESK_SYNC_INTERVAL` seconds) while enrolled, a few seconds after a local change
//! (noticed by polling the outbox head, one indexed read every few seconds), at once when poked
//! (after enrolment); after a failed run it waits 30 s, doubling up to 10 min, until a run
//! succeeds. After every run, and when the number of changes waiting changes, it emits
//! [`EVENT`] with the [`SyncState`], which the header tag and the 同步 view listen to.
//!
//! Beside it, the watcher keeps one request waiting at the server (`GET /v1/wait`) while the
//! desk is online; the server answers it when another desk's change for this desk arrives, and
//! the watcher pokes the worker: changes from other desks arrive within a second or two, not at
//! the next timer. A run that brought changes emits [`PULLED_EVENT`]; the screens reload.
//!
//! A large pull (a desk's first) leaves the records it brought to be indexed for search after
//! the run; the worker indexes them a batch at a time (about a second each, the store taken for
//! each batch only), announcing the state after each, until none is left — then sleeps again.
//!
//! While the desk is locked (accounts set up, nobody logged in, or idle past the limit) there is
//! no store to take: the worker skips, and resumes after the next login. Its reads do not count
//! as activity for the idle lock.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hearing_store::documents::UnreportedDocument;
use hearing_store::session::Slot;
use hearing_store::sync::{SyncAccess, SyncConflict, SyncOutcome, SyncRun, SyncStatus};
use hearing_store::{Store, StoreError};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::commands::{with_store, with_store_quiet};
use crate::error::{AppError, CmdResult, ErrorCode};
use crate::Desk;

/// The event emitted with a [`SyncState`] after each run and when changes start waiting.
pub const EVENT: &str = "sync-status";
/// The event emitted after a run that brought changes from other desks, with their number: the
/// screens showing records reload them.
pub const PULLED_EVENT: &str = "sync-pulled";

/// How often an enrolled desk syncs when nothing else asks it to.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// The first run after the app starts.
const STARTUP_DELAY: Duration = Duration::from_secs(5);
/// How long after a local change the worker syncs (edits in a burst go together).
const CHANGE_DELAY: Duration = hearing_store::sync::LOCAL_CHANGE_PUSH_DELAY;
/// How often the worker looks for local changes.
const POLL: Duration = hearing_store::sync::LOCAL_CHANGE_POLL;
/// After a failed wait for the server's notice, the watcher waits this long before the next.
const NOTICE_RETRY: Duration = Duration::from_secs(15);
const FIRST_RETRY: Duration = Duration::from_secs(30);
const MAX_RETRY: Duration = Duration::from_secs(600);

/// The wait before the next attempt after `failures` failed runs in a row: 30 s, 1, 2, 4, 8 min,
/// then 10 min.
pub fn backoff(failures: u32) -> Duration {
    let doubled = FIRST_RETRY.saturating_mul(1u32 << failures.saturating_sub(1).min(10));
    doubled.min(MAX_RETRY)
}

/// Whether the desk reached the server the last time it tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SyncConnection {
    /// Not enrolled with a server.
    Unenrolled,
    /// Enrolled, no run yet.
    Never,
    /// The last run succeeded.
    Online,
    /// The last run could not reach the server.
    Offline,
    /// The last run reached the server and was refused, or failed otherwise.
    Failed,
}

/// What the header tag and the 同步 view show.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    pub status: SyncStatus,
    pub connection: SyncConnection,
    /// A run is in progress.
    pub running: bool,
    /// Failed runs in a row (the worker waits longer after each).
    pub failures: u32,
    /// Seconds until the worker's next run, when enrolled.
    pub next_attempt_secs: Option<u32>,
    /// The desk's org.
    pub org_name: Option<String>,
    /// A name for this device to offer in the enrolment form.
    pub suggested_device_name: String,
}

struct Control {
    stop: bool,
    poke: bool,
    failures: u32,
    due: Instant,
}

/// The background worker's state, shared by the commands (managed by Tauri).
pub struct SyncRuntime {
    /// One run (or enrolment) at a time.
    run_lock: Mutex<()>,
    running: AtomicBool,
    control: Mutex<Control>,
    wake: Condvar,
    worker: Mutex<Option<JoinHandle<()>>>,
    interval: Duration,
    /// Runs finished (the watcher waits for the run it asked for).
    runs: std::sync::atomic::AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not stop sync for good: the data behind these locks stays valid.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SyncRuntime {
    pub fn new() -> SyncRuntime {
        let interval = std::env::var("HEARINGDESK_SYNC_INTERVAL")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&s| s > 0)
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_INTERVAL);
        SyncRuntime {
            run_lock: Mutex::new(()),
            running: AtomicBool::new(false),
            control: Mutex::new(Control {
                stop: false,
                poke: false,
                failures: 0,
                due: Instant::now() + STARTUP_DELAY.min(interval),
            }),
            wake: Condvar::new(),
            worker: Mutex::new(None),
            interval,
            runs: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Asks the worker to sync now.
    fn poke(&self) {
        lock(&self.control).poke = true;
        self.wake.notify_all();
    }

    /// Schedules the next run after one ended (by the worker or by 立即同步).
    fn after_run(&self, ok: bool) {
        let mut c = lock(&self.control);
        if ok {
            c.failures = 0;
            c.due = Instant::now() + self.interval;
        } else {
            c.failures = c.failures.saturating_add(1);
            c.due = Instant::now() + backoff(c.failures);
        }
        self.wake.notify_all();
    }

    /// Stops the worker: it finishes the step it is in and ends. Waits a little for it; a run
    /// stuck on the network is left to the process's exit.
    pub fn stop(&self) {
        lock(&self.control).stop = true;
        self.wake.notify_all();
        let Some(handle) = lock(&self.worker).take() else {
            return;
        };
        let end = Instant::now() + Duration::from_secs(3);
        while !handle.is_finished() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
        if handle.is_finished() {
            let _ = handle.join();
        }
    }
}

impl Default for SyncRuntime {
    fn default() -> Self {
        SyncRuntime::new()
    }
}

/// The app's store as the sync run sees it: the mutex is taken for each step.
struct DeskAccess<'a>(&'a Desk);

impl SyncAccess for DeskAccess<'_> {
    fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard =
            self.0.store.lock().map_err(|_| {
                StoreError::Internal("数据库连接异常，请重新启动听证工作台".to_owned())
            })?;
        // A desk idle past its limit is locked here too: the worker never keeps it open.
        crate::accounts::expire_if_idle(self.0, &mut guard);
        match &mut *guard {
            Slot::Open(store) => f(store),
            // Away for now: locked (a login is needed) or being replaced (set-up, restore).
            Slot::Locked(reason) => Err(StoreError::Locked(reason.message().to_owned())),
            Slot::Busy(message) => Err(StoreError::Busy(message.clone())),
            Slot::Failed { message, .. } => Err(StoreError::Internal(message.clone())),
        }
    }
}

fn host_name() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
}

fn state(desk: &Desk, rt: &SyncRuntime) -> CmdResult<SyncState> {
    let (status, org_name) = with_store_quiet(desk, |s| {
        let status = s.sync_status()?;
        let org = match s.desk_org_id()? {
            Some(id) => hearing_store::orgs::get(s.conn(), &id).ok().map(|o| o.name),
            None => None,
        };
        Ok((status, org))
    })?;
    let connection = if !status.enrolled {
        SyncConnection::Unenrolled
    } else if status.last_attempt.is_none() {
        SyncConnection::Never
    } else {
        match (&status.last_error, status.last_error_code) {
            (None, _) => SyncConnection::Online,
            (Some(_), Some(ErrorCode::Offline)) => SyncConnection::Offline,
            (Some(_), _) => SyncConnection::Failed,
        }
    };
    let (failures, due) = {
        let c = lock(&rt.control);
        (c.failures, c.due)
    };
    let suggested_device_name = match (&org_name, host_name()) {
        (Some(org), Some(host)) => format!("{org}（{host}）"),
        (Some(org), None) => format!("{org}听证工作台"),
        (None, Some(host)) => host,
        (None, None) => "听证工作台".to_owned(),
    };
    Ok(SyncState {
        next_attempt_secs: status.enrolled.then(|| {
            u32::try_from(due.saturating_duration_since(Instant::now()).as_secs())
                .unwrap_or(u32::MAX)
        }),
        status,
        connection,
        running: rt.running.load(Ordering::SeqCst),
        failures,
        org_name,
        suggested_device_name,
    })
}

/// Emits the current state (best effort: a failure to read it is not worth an event).
fn announce(app: &AppHandle) {
    let desk = app.state::<Desk>();
    let rt = app.state::<SyncRuntime>();
    if let Ok(s) = state(&desk, &rt) {
        let _ = app.emit(EVENT, s);
    }
}

/// One run, serialised with the others; announces its start and its end.
fn run_once(app: &AppHandle) -> Result<SyncOutcome, AppError> {
    let desk = app.state::<Desk>();
    let rt = app.state::<SyncRuntime>();
    let _one = lock(&rt.run_lock);
    rt.running.store(true, Ordering::SeqCst);
    announce(app);
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        hearing_store::sync::run(&DeskAccess(&desk))
    }));
    rt.running.store(false, Ordering::SeqCst);
    rt.runs.fetch_add(1, Ordering::SeqCst);
    let result = match result {
        Ok(r) => r.map_err(AppError::from),
        Err(_) => Err(AppError::new(
            ErrorCode::Internal,
            "同步时发生内部错误，已停止本次同步；请将情况告知管理员",
        )),
    };
    // A run cut short by the desk locking is not the server's failure: no longer wait.
    let locked = matches!(&result, Err(e) if crate::accounts::is_unavailable(e));
    rt.after_run(result.is_ok() || locked);
    announce(app);
    if let Ok(o) = &result {
        if o.pulled > 0 {
            let _ = app.emit(PULLED_EVENT, o.pulled);
        }
    }
    result
}

/// Starts the background worker and the watcher (once, from the app's setup).
pub fn start(app: AppHandle) {
    let worker_app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("hearing-sync".into())
        .spawn(move || worker(worker_app));
    match spawned {
        Ok(handle) => *lock(&app.state::<SyncRuntime>().worker) = Some(handle),
        Err(e) => eprintln!("hearing-desk: 无法启动后台同步：{e}"),
    }
    let watcher_app = app.clone();
    if let Err(e) = std::thread::Builder::new()
        .name("hearing-notice".into())
        .spawn(move || watcher(watcher_app))
    {
        eprintln!("hearing-desk: 无法启动同步通知：{e}");
    }
}

/// The watcher: while the desk is enrolled and its last run reached the server, it keeps one
/// request waiting at the server (`GET /v1/wait`), which answers as soon as another desk's change
/// for this desk arrives; then it asks the worker to sync at once and waits for that run before
/// waiting again. So a decision made on the city's desk shows on the county's within seconds;
/// the worker's timer stays as the fallback. The store is not held during the wait.
fn watcher(app: AppHandle) {
    let rt = app.state::<SyncRuntime>();
    let desk = app.state::<Desk>();
    let pause = |d: Duration| {
        let c = lock(&rt.control);
        let _ = rt.wake.wait_timeout(c, d);
    };
    loop {
        if lock(&rt.control).stop {
            return;
        }
        let online = matches!(peek(&desk), Some((true, _))) && lock(&rt.control).failures == 0;
        if !online {
            // Not enrolled, locked, or the server failing: the worker's timer and backoff rule.
            pause(POLL * 4);
            continue;
        }
        let told = std::panic::catch_unwind(AssertUnwindSafe(|| {
            hearing_store::sync::wait_for_changes(
                &DeskAccess(&desk),
                hearing_store::sync::NOTICE_WAIT_SECS,
            )
        }));
        match told {
            Ok(Ok(true)) => {
                let before = rt.runs.load(Ordering::SeqCst);
                rt.poke();
                // The run the poke asked for: until it ends, the server would answer at once.
                let end = Instant::now() + Duration::from_secs(60);
                while rt.runs.load(Ordering::SeqCst) == before && Instant::now() < end {
                    if lock(&rt.control).stop {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            Ok(Ok(false)) => {}
            // A server from before the notice, a network failure, the desk locking meanwhile:
            // the timer syncs; try again later.
            Ok(Err(_)) | Err(_) => pause(NOTICE_RETRY),
        }
    }
}

/// Whether the desk is enrolled, and its outbox head; `None` while the desk is locked (nobody
/// logged in): the worker skips until someone logs in.
fn peek(desk: &Desk) -> Option<(bool, i64)> {
    with_store_quiet(desk, |s| {
        Ok((s.sync_credentials()?.is_some(), s.sync_outbox_head()?))
    })
    .ok()
}

/// Indexes one batch of the search backlog, if there is one, or else takes one step of merging
/// the index after such batches; returns how many records are still waiting after it, 1 while
/// merging is owed (`None`: nothing was to do, or the desk is locked).
fn index_step(desk: &Desk) -> Option<u32> {
    with_store_quiet(desk, |s| {
        if s.search_pending()? == 0 {
            let more = s.search_merge_step(hearing_store::search::MERGE_STEP_PAGES)?;
            return Ok(more.then_some(1));
        }
        s.search_catch_up(hearing_store::search::CATCH_UP_BATCH)
            .map(Some)
    })
    .ok()
    .flatten()
}

fn worker(app: AppHandle) {
    let rt = app.state::<SyncRuntime>();
    let desk = app.state::<Desk>();
    let mut seen: Option<i64> = None;
    // Records are waiting to be indexed: no sleeping between batches.
    let mut indexing = false;
    loop {
        // Sleep until the run is due, poked, stopped, or it is time to look for changes.
        {
            let mut c = lock(&rt.control);
            if c.stop {
                return;
            }
            if c.poke {
                c.poke = false;
                c.due = Instant::now();
            }
            let wait = if indexing {
                Duration::ZERO
            } else {
                c.due.saturating_duration_since(Instant::now()).min(POLL)
            };
            if !wait.is_zero() {
                let (mut c, _) = rt
                    .wake
                    .wait_timeout(c, wait)
                    .unwrap_or_else(|p| p.into_inner());
                if c.stop {
                    return;
                }
                if c.poke {
                    c.poke = false;
                    c.due = Instant::now();
                }
            }
        }
        let step = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let Some((enrolled, head)) = peek(&desk) else {
                indexing = false;
                return;
            };
            if enrolled && seen.is_some_and(|s| s != head) {
                // A local change: show it waiting, and sync soon unless the server is failing.
                announce(&app);
                let mut c = lock(&rt.control);
                if c.failures == 0 {
                    c.due = c.due.min(Instant::now() + CHANGE_DELAY);
                }
            }
            seen = Some(head);
            if !enrolled {
                // Nothing is due until the desk enrols (enrolling pokes the worker): without
                // this the loop, its due time passed, would look again at once, forever.
                let mut c = lock(&rt.control);
                c.due = c.due.max(Instant::now() + rt.interval);
            }
            if !enrolled || Instant::now() < lock(&rt.control).due {
                // Between runs: index what a large pull left waiting, a batch per turn.
                let left = index_step(&desk);
                indexing = left.is_some_and(|n| n > 0);
                if left.is_some() {
                    announce(&app);
                }
                return;
            }
            if let Err(e) = run_once(&app) {
                eprintln!("hearing-desk: 后台同步未完成：{}", e.message);
            }
            // Whatever the run queued meanwhile is noticed at the next look.
            seen = peek(&desk).map(|(_, h)| h);
        }));
        if step.is_err() {
            eprintln!("hearing-desk: 后台同步出错，稍后重试");
            indexing = false;
            rt.after_run(false);
        }
    }
}

#[tauri::command]
#[specta::specta]
pub fn sync_status(desk: State<'_, Desk>, rt: State<'_, SyncRuntime>) -> CmdResult<SyncState> {
    state(&desk, &rt)
}

/// Enrols this desk with a one-time code; then the worker syncs at once.
#[tauri::command]
#[specta::specta]
pub async fn sync_enroll(
    app: AppHandle,
    server: String,
    code: String,
    device_name: String,
) -> CmdResult<SyncState> {
    crate::accounts::activity(&app.state::<Desk>())?;
    let worker_app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let desk = worker_app.state::<Desk>();
        let rt = worker_app.state::<SyncRuntime>();
        let _one = lock(&rt.run_lock);
        hearing_store::sync::enroll(&DeskAccess(&desk), &server, &code, &device_name)
            .map_err(AppError::from)
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, format!("注册未完成：{e}")))??;
    let rt = app.state::<SyncRuntime>();
    rt.poke();
    announce(&app);
    state(&app.state::<Desk>(), &rt)
}

/// One sync run now (push, then pull); the run is recorded either way.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(app: AppHandle) -> CmdResult<SyncOutcome> {
    crate::accounts::activity(&app.state::<Desk>())?;
    tauri::async_runtime::spawn_blocking(move || run_once(&app))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("同步未完成：{e}")))?
}

/// The most recent runs, newest first.
#[tauri::command]
#[specta::specta]
pub fn sync_history(desk: State<'_, Desk>, limit: u32) -> CmdResult<Vec<SyncRun>> {
    with_store_quiet(&desk, |s| s.sync_runs(limit.clamp(1, 500)))
}

#[tauri::command]
#[specta::specta]
pub fn sync_conflicts(desk: State<'_, Desk>) -> CmdResult<Vec<SyncConflict>> {
    with_store_quiet(&desk, |s| s.sync_conflicts())
}

/// Marks a conflict settled by this desk's user.
#[tauri::command]
#[specta::specta]
pub fn sync_settle_conflict(
    app: AppHandle,
    desk: State<'_, Desk>,
    id: u32,
) -> CmdResult<SyncConflict> {
    let settled = with_store(&desk, |s| s.sync_settle_conflict(id))?;
    announce(&app);
    Ok(settled)
}

/// Documents past their draft whose latest change has not reached the server.
#[tauri::command]
#[specta::specta]
pub fn sync_unreported_documents(desk: State<'_, Desk>) -> CmdResult<Vec<UnreportedDocument>> {
    with_store_quiet(&desk, |s| s.sync_unreported_documents())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_minute_up_to_ten_minutes() {
        let secs: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 600, 600, 600, 600]);
        assert_eq!(backoff(0).as_secs(), 30);
        assert_eq!(backoff(u32::MAX).as_secs(), 600);
    }
}
