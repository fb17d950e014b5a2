//! A desk's session: whether its store is open now, and if not, why. A desk with operator
//! accounts (an encrypted database) opens only when an operator logs in
//! ([`crate::accounts::login`]), and locks itself after a time without use ([`IdleClock`]):
//! locking drops the store and with it the key. The app keeps one [`Slot`] behind a mutex; the
//! rules live here so that every front end locks, expires and reopens a desk alike.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::accounts::{self, DeskLock};
use crate::{ErrorCode, Store, StoreError};

/// Why a desk with accounts is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    /// Nobody has logged in since the desk started.
    Startup,
    /// Locked after the idle limit without a command.
    Idle,
    /// The operator locked it (锁定).
    Manual,
    /// Restored from a backup: its operators log in again.
    Restored,
}

impl LockReason {
    pub fn message(self) -> &'static str {
        match self {
            LockReason::Startup => "本机数据库已加密，请先登录",
            LockReason::Idle => "长时间未操作，已自动锁定，请重新登录",
            LockReason::Manual => "已锁定，请重新登录",
            LockReason::Restored => "已从备份恢复，请用备份中的操作员账户登录",
        }
    }

    /// What the login screen says about the lock: nothing at start-up, where logging in is
    /// simply the first step.
    pub fn stated(self) -> Option<&'static str> {
        (self != LockReason::Startup).then(|| self.message())
    }

    /// The audit event of an operator's session ended this way, if it is one.
    fn audit_action(self) -> Option<&'static str> {
        match self {
            LockReason::Idle => Some("长时间未操作，自动锁定"),
            LockReason::Manual => Some("锁定本机"),
            LockReason::Startup | LockReason::Restored => None,
        }
    }
}

/// The desk's store as the session has it.
// One slot per running desk: its size does not matter, and a box would only add a pointer.
#[allow(clippy::large_enum_variant)]
pub enum Slot {
    /// Open: a desk without accounts, or an operator is logged in.
    Open(Store),
    /// Accounts are set up and nobody is logged in.
    Locked(LockReason),
    /// The database is being replaced (accounts being set up, a restore): the message says
    /// what, and that it is soon done.
    Busy(String),
    /// The desk could not be opened (a damaged file, a schema newer than this build, no data
    /// folder).
    Failed { code: ErrorCode, message: String },
}

impl Slot {
    /// The desk in `dir` as it is on disk: locked for `reason` when it has accounts, else open.
    /// At start-up, after a set-up that failed, after a restore.
    pub fn open(dir: &Path, reason: LockReason) -> Slot {
        match accounts::desk_lock(dir).and_then(|lock| match lock {
            DeskLock::Locked => Ok(Slot::Locked(reason)),
            DeskLock::Open => Store::open_dir(dir).map(Slot::Open),
        }) {
            Ok(slot) => slot,
            Err(e) => Slot::failed(&e),
        }
    }

    pub fn failed(e: &StoreError) -> Slot {
        Slot::Failed {
            code: e.code(),
            message: e.to_string(),
        }
    }

    pub fn store(&mut self) -> Option<&mut Store> {
        match self {
            Slot::Open(s) => Some(s),
            _ => None,
        }
    }

    pub fn store_ref(&self) -> Option<&Store> {
        match self {
            Slot::Open(s) => Some(s),
            _ => None,
        }
    }

    /// An operator is logged in (an open desk without accounts is not).
    pub fn logged_in(&self) -> bool {
        matches!(self, Slot::Open(s) if s.is_encrypted())
    }

    pub fn lock_reason(&self) -> Option<LockReason> {
        match self {
            Slot::Locked(r) => Some(*r),
            _ => None,
        }
    }

    pub fn is_busy(&self) -> bool {
        matches!(self, Slot::Busy(_))
    }

    /// Drops the store (and its key) and leaves the desk locked for `reason`. An operator's
    /// session that ends is recorded in the audit chain first — best effort: a failure to
    /// record must not keep the desk open.
    pub fn lock(&mut self, reason: LockReason) {
        if let (Slot::Open(store), Some(action)) = (&mut *self, reason.audit_action()) {
            if let Some(op) = store.operator().cloned() {
                let summary = format!("{}（{}）{}", op.name, op.role.label(), action);
                let _ = store.audit_event(action, "operator", &op.id, &summary);
            }
        }
        *self = Slot::Locked(reason);
    }

    /// Takes the slot's content out, leaving it busy with `message` until it is put back.
    pub fn take(&mut self, message: impl Into<String>) -> Slot {
        std::mem::replace(self, Slot::Busy(message.into()))
    }

    /// Takes the open store out, leaving the slot busy with `message` until a store is put back;
    /// `None` (and the slot as it was) if it is not open.
    pub fn take_store(&mut self, message: impl Into<String>) -> Option<Store> {
        match self.take(message) {
            Slot::Open(store) => Some(store),
            other => {
                *self = other;
                None
            }
        }
    }

    /// Locks a logged-in desk that has been idle past the clock's limit at `now`. True if it
    /// locked it now (the clock then remembers to tell the user: [`IdleClock::take_news`]).
    pub fn expire_if_idle(&mut self, idle: &IdleClock, now: Instant) -> bool {
        if self.logged_in() && idle.expired_at(now) {
            self.lock(LockReason::Idle);
            idle.news.store(true, Ordering::SeqCst);
            return true;
        }
        false
    }
}

/// The default idle limit of a logged-in desk.
const DEFAULT_IDLE: Duration = Duration::from_secs(15 * 60);

/// When the desk was last used, and how long a logged-in desk may stay idle.
pub struct IdleClock {
    last: Mutex<Instant>,
    limit: Duration,
    /// The desk was locked for idleness and the user has not been told yet.
    news: AtomicBool,
}

impl IdleClock {
    /// The limit from `HEARINGDESK_IDLE_LOCK_SECS` (seconds, > 0), else 15 minutes.
    pub fn from_env() -> IdleClock {
        let limit = std::env::var("HEARINGDESK_IDLE_LOCK_SECS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&s| s > 0)
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_IDLE);
        IdleClock::new(limit)
    }

    pub fn new(limit: Duration) -> IdleClock {
        IdleClock {
            last: Mutex::new(Instant::now()),
            limit,
            news: AtomicBool::new(false),
        }
    }

    /// The desk is used now.
    pub fn touch(&self) {
        self.touch_at(Instant::now());
    }

    pub fn touch_at(&self, at: Instant) {
        *guard(&self.last) = at;
    }

    pub fn expired_at(&self, now: Instant) -> bool {
        now.saturating_duration_since(*guard(&self.last)) > self.limit
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    pub fn limit_secs(&self) -> u32 {
        u32::try_from(self.limit.as_secs()).unwrap_or(u32::MAX)
    }

    /// Whether an idle lock happened that the user has not been told of; telling is then due
    /// (it is answered true once).
    pub fn take_news(&self) -> bool {
        self.news.swap(false, Ordering::SeqCst)
    }
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // An instant stays valid after a panic elsewhere.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_limit_is_measured_from_the_last_use() {
        let clock = IdleClock::new(Duration::from_secs(60));
        let t0 = Instant::now();
        clock.touch_at(t0);
        assert!(!clock.expired_at(t0 + Duration::from_secs(60)));
        assert!(clock.expired_at(t0 + Duration::from_secs(61)));
        clock.touch_at(t0 + Duration::from_secs(61));
        assert!(!clock.expired_at(t0 + Duration::from_secs(100)));
        // A clock read before the last use (another thread's `now`) is not idle.
        assert!(!clock.expired_at(t0));
    }

    #[test]
    fn only_a_lock_with_a_cause_is_stated_and_audited() {
        assert_eq!(LockReason::Startup.stated(), None);
        for r in [LockReason::Idle, LockReason::Manual, LockReason::Restored] {
            assert_eq!(r.stated(), Some(r.message()));
        }
        assert!(LockReason::Idle.audit_action().is_some());
        assert!(LockReason::Manual.audit_action().is_some());
        assert!(LockReason::Restored.audit_action().is_none());
    }
}
