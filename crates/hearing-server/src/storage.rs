//! The one storage interface of the server, so the embedded SQLite store ([`crate::sqlite`]) and the
//! PostgreSQL store ([`crate::postgres`]) stand behind the same HTTP and admin code.
//!
//! The trait is async (`async_trait`, so it can be used as `Arc<dyn Storage>`): an implementation
//! on tokio-postgres or sqlx awaits its queries; the SQLite one runs its calls on the blocking
//! pool. Every rule of the protocol (scoping, validation, the org tree's LWW) lives outside the
//! store, in [`crate::logic`]; a store only keeps rows, answers queries and makes a pushed page
//! durable in one transaction.
//!
//! **Log order.** A cursor is a position in the log (`seq`). An implementation must make a reader
//! never see position `n` while some position `< n` is still to be committed, or a pull could
//! step over a change. SQLite has one writer, so this holds; the PostgreSQL store serialises log
//! writes with `LOCK TABLE changes IN EXCLUSIVE MODE` in the push transaction.

use async_trait::async_trait;
use hearing_sync::{Change, Org};

/// A store's failure. `Invalid` carries a message for the clerk or the admin (Chinese); every
/// other error is the server's fault and is answered with 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Invalid(String),
    /// A pull cursor the log does not have (past its end).
    #[error("游标“{0}”超出服务器日志的范围，请联系管理员")]
    BadCursor(u64),
    #[error("数据库错误：{0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who last set an org row of the server's tree: compared as (hlc, device, change id), the same
/// order as `hearing_sync::merge::Version` (HLC text sorts as it compares). An org written by the
/// admin CLI carries the stamp of the change the server made for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub hlc: String,
    pub device: String,
    pub change: String,
}

impl Stamp {
    pub fn of(change: &Change) -> Stamp {
        Stamp {
            hlc: change.hlc.clone(),
            device: change.device_id.clone(),
            change: change.id.clone(),
        }
    }
}

/// An org of the server's tree with the stamp of its last update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRecord {
    pub org: Org,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    pub id: String,
    pub org_id: String,
    pub name: String,
    /// Unix milliseconds.
    pub enrolled_at: i64,
    pub last_seen: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A device to create when an enrolment code is redeemed.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub id: String,
    pub name: String,
    /// SHA-256 of the token; the token itself is never stored.
    pub token_hash: [u8; 32],
}

/// A one-time enrolment code, stored as the SHA-256 of its normalised text.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub code_hash: [u8; 32],
    pub org_id: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// An org that holds a blob: its devices, and the devices of every org above it, may read the
/// blob. Recorded for the org of a device that uploaded the bytes, and for the org of a change that
/// refers to the blob (`{"$blob": sha256}`) when the device pushing it could read the blob.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BlobOrg {
    pub sha256: String,
    pub org_id: String,
}

/// A page to make durable in one transaction: the changes (inserted unless their id is held), the
/// org rows of the server's tree as they are after the page (written as given), and the orgs its
/// changes give the blobs they refer to (added unless held).
#[derive(Debug, Clone, Default)]
pub struct PushPage {
    pub changes: Vec<Change>,
    pub orgs: Vec<OrgRecord>,
    pub blob_orgs: Vec<BlobOrg>,
    /// Unix milliseconds.
    pub received_at: i64,
}

/// The owners of some rows and the held ones of some change ids ([`Storage::row_owners`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowOwners {
    pub owners: std::collections::HashMap<(String, String), String>,
    pub held: std::collections::HashSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOutcome {
    pub accepted: Vec<String>,
    pub duplicates: Vec<String>,
    /// The log's position after the page.
    pub cursor: u64,
}

/// Which changes a device may read.
#[derive(Debug, Clone)]
pub struct PullQuery {
    pub after: u64,
    pub limit: usize,
    /// The device's org subtree: changes of these orgs are visible, and every `orgs` change.
    pub orgs: Vec<String>,
    /// The orgs above the device's: their person pools (`persons` changes) reach it, as a
    /// committee's 两代表一委员 serve the hearings of the organs below it.
    pub pools: Vec<String>,
    /// The device's own changes are not sent back.
    pub exclude_device: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// The position to pull after next time: the last change sent when the page is full, else the
    /// end of the log as read (so invisible changes at the end are not scanned again).
    pub cursor: u64,
    pub more: bool,
}

#[async_trait]
pub trait Storage: Send + Sync + 'static {
    /// A short name for logs ("sqlite:/path", "postgres://host/db").
    fn describe(&self) -> String;

    // --- org tree ---
    /// The whole tree.
    async fn orgs(&self) -> StoreResult<Vec<OrgRecord>>;

    // --- enrolment ---
    async fn create_code(&self, code: NewCode) -> StoreResult<()>;
    /// Redeems a code and creates the device in one transaction: `None` when the code is
    /// unknown, used or expired at `now`.
    async fn redeem_code(
        &self,
        code_hash: [u8; 32],
        now: i64,
        device: NewDevice,
    ) -> StoreResult<Option<DeviceRecord>>;

    // --- devices and tokens ---
    /// The device holding this token hash, revoked or not.
    async fn device_by_token(&self, token_hash: [u8; 32]) -> StoreResult<Option<DeviceRecord>>;
    async fn devices(&self) -> StoreResult<Vec<DeviceRecord>>;
    /// Revokes a device; `false` when there is no such device. Revoking twice keeps the first time.
    async fn revoke_device(&self, id: &str, now: i64) -> StoreResult<bool>;
    async fn touch_device(&self, id: &str, now: i64) -> StoreResult<()>;

    // --- the log ---
    /// Who owns the rows `keys` (table, primary key) as the server holds them — the org of the
    /// last change it stored to each (absent: a row the server does not hold) — and which of
    /// `ids` it holds already.
    async fn row_owners(
        &self,
        keys: Vec<(String, String)>,
        ids: Vec<String>,
    ) -> StoreResult<RowOwners>;
    /// Stores a page atomically, idempotent by change id (a change whose id is held, or that
    /// appears earlier in the same page, is a duplicate and is not stored again).
    async fn push_page(&self, page: PushPage) -> StoreResult<PushOutcome>;
    /// The changes after a cursor visible to a device, in log order; `BadCursor` when `after` is
    /// past the end of the log.
    async fn pull_page(&self, query: PullQuery) -> StoreResult<PullPage>;

    // --- blobs (content-addressed by lowercase SHA-256 hex, checked by the caller) ---
    /// Stores the bytes durably; `true` when new, `false` when already held.
    async fn put_blob(&self, sha256: &str, bytes: Vec<u8>) -> StoreResult<bool>;
    async fn get_blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>>;
    async fn blob_len(&self, sha256: &str) -> StoreResult<Option<u64>>;
    /// Records that an org holds a blob ([`BlobOrg`]); holding it already is not an error.
    async fn add_blob_org(&self, blob: BlobOrg) -> StoreResult<()>;
    /// Whether one of `orgs` holds the blob (whether or not its bytes are here).
    async fn blob_held_by(&self, sha256: &str, orgs: &[String]) -> StoreResult<bool>;

    // --- audit chains, one per device (checked by the caller before appending) ---
    /// The last event `(seq, hash)` held of a device's chain; `(0, GENESIS)` when none.
    async fn audit_head(&self, device_id: &str) -> StoreResult<(i64, String)>;
    /// The hash held for event `seq` of a device's chain.
    async fn audit_hash(&self, device_id: &str, seq: i64) -> StoreResult<Option<String>>;
    /// Appends events that extend the device's chain, atomically.
    async fn append_audit(
        &self,
        device_id: &str,
        events: Vec<hearing_sync::audit::AuditEvent>,
        received_at: i64,
    ) -> StoreResult<()>;
}
