//! The embedded store: one SQLite file `<data>/server.db` (WAL, synchronous=FULL, so an answered
//! push survives a killed process or a power cut) and blobs as files `<data>/blobs/ab/cdef…`
//! written atomically ([`crate::blobs`]).
//!
//! One writer connection behind a mutex (SQLite has one writer anyway) and a few reader
//! connections; every call runs on tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use hearing_sync::{Change, Org};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::blobs::BlobDir;
use crate::storage::{
    BlobOrg, DeviceRecord, NewCode, NewDevice, OrgRecord, PullPage, PullQuery, PushOutcome,
    PushPage, RowOwners, Stamp, Storage, StoreError, StoreResult,
};

/// The schema version this binary writes: 1, the log; 2, the orgs holding each blob; 3, the
/// devices' audit chains; 4, the org each change is about (`scope_org`); 5, the owner of each row.
const SCHEMA_VERSION: i64 = 5;
const READERS: usize = 4;

const SCHEMA: &str = r#"
CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT '',
    code        TEXT NOT NULL DEFAULT '',
    hlc         TEXT NOT NULL DEFAULT '',
    device_id   TEXT NOT NULL DEFAULT '',
    change_id   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE codes (
    code_hash   BLOB PRIMARY KEY,
    org_id      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    device_id   TEXT
) STRICT;
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    name        TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    enrolled_at INTEGER NOT NULL,
    last_seen   INTEGER,
    revoked_at  INTEGER
) STRICT;
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    org_id      TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;
"#;

/// Version 2: which orgs hold each blob (`storage::BlobOrg`).
const SCHEMA_V2: &str = r#"
CREATE TABLE blob_orgs (
    sha256      TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    PRIMARY KEY (sha256, org_id)
) STRICT, WITHOUT ROWID;
"#;

/// Version 3: each device's audit chain, as received and checked.
const SCHEMA_V3: &str = r#"
CREATE TABLE audit_events (
    device_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;
"#;

/// Version 4: the org a change is about when it is not its owner (`Change::scope_org`); the
/// changes stored before it are about their owners.
const SCHEMA_V4: &str = r#"
ALTER TABLE changes ADD COLUMN scope_org TEXT;
"#;

pub struct SqliteStorage {
    db_path: PathBuf,
    blobs: BlobDir,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn open_conn(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

/// Takes a poisoned lock anyway: a panic inside a call dropped its transaction, which rolled back.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SqliteStorage {
    /// Opens (creating when missing) the store in `data`. Refuses a database written by a newer
    /// server.
    pub fn open(data: &Path) -> StoreResult<SqliteStorage> {
        let blobs = BlobDir::open(data)?;
        let db_path = data.join("server.db");
        let mut conn = open_conn(&db_path).map_err(|e| {
            StoreError::Invalid(format!("无法打开数据库 {}：{e}", db_path.display()))
        })?;
        migrate(&mut conn)?;
        Ok(SqliteStorage {
            db_path,
            blobs,
            writer: Arc::new(Mutex::new(conn)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || {
            let mut conn = lock(&writer);
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("数据库任务异常终止：{e}")))?
    }

    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        let path = self.db_path.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = lock(&readers).pop();
            let mut conn = match pooled {
                Some(c) => c,
                None => open_conn(&path).map_err(backend)?,
            };
            let out = f(&mut conn);
            let mut pool = lock(&readers);
            if pool.len() < READERS {
                pool.push(conn);
            }
            out
        })
        .await
        .map_err(|e| StoreError::Backend(format!("数据库任务异常终止：{e}")))?
    }
}

/// Version 5: the owning org of each row the log holds (the org of the last change stored to it),
/// for admission: a device may change a held row only if its org owns it. Filled from the log.
const SCHEMA_V5: &str = r#"
CREATE TABLE row_owners (
    tbl         TEXT NOT NULL,
    pk          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    PRIMARY KEY (tbl, pk)
) STRICT, WITHOUT ROWID;
INSERT INTO row_owners (tbl, pk, org_id)
    SELECT tbl, json_extract(body, '$.pk'), org_id FROM changes WHERE tbl <> 'orgs' ORDER BY seq
    ON CONFLICT (tbl, pk) DO UPDATE SET org_id = excluded.org_id;
"#;

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(backend)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Invalid(format!(
            "数据库版本 {version} 比本程序支持的 {SCHEMA_VERSION} 新，请使用更新版本的 hearing-server"
        )));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(backend)?;
    if version < 1 {
        tx.execute_batch(SCHEMA).map_err(backend)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2).map_err(backend)?;
        backfill_blob_orgs(&tx)?;
    }
    if version < 3 {
        tx.execute_batch(SCHEMA_V3).map_err(backend)?;
    }
    if version < 4 {
        tx.execute_batch(SCHEMA_V4).map_err(backend)?;
    }
    if version < 5 {
        tx.execute_batch(SCHEMA_V5).map_err(backend)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(backend)?;
    tx.commit().map_err(backend)
}

/// Version 2 on a log written before it: the org of every held change that refers to a blob
/// holds that blob (uploads were not recorded then).
fn backfill_blob_orgs(conn: &Connection) -> StoreResult<()> {
    let mut select = conn
        .prepare("SELECT seq, org_id, body FROM changes WHERE instr(body, '\"$blob\"') > 0")
        .map_err(backend)?;
    let mut insert = conn
        .prepare("INSERT INTO blob_orgs (sha256, org_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        .map_err(backend)?;
    let rows = select
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(backend)?;
    for row in rows {
        let (seq, org_id, body) = row.map_err(backend)?;
        let change: Change = serde_json::from_str(&body)
            .map_err(|e| StoreError::Backend(format!("日志第 {seq} 条无法读取：{e}")))?;
        for sha256 in crate::logic::blob_refs(&change) {
            insert.execute(params![sha256, org_id]).map_err(backend)?;
        }
    }
    Ok(())
}

fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRecord> {
    Ok(DeviceRecord {
        id: r.get(0)?,
        org_id: r.get(1)?,
        name: r.get(2)?,
        enrolled_at: r.get(3)?,
        last_seen: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

const DEVICE_COLS: &str = "id, org_id, name, enrolled_at, last_seen, revoked_at";

fn log_end(conn: &Connection) -> rusqlite::Result<u64> {
    let end: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
        r.get(0)
    })?;
    Ok(u64::try_from(end).unwrap_or(0))
}

#[async_trait]
impl Storage for SqliteStorage {
    fn describe(&self) -> String {
        format!("sqlite:{}", self.db_path.display())
    }

    async fn orgs(&self) -> StoreResult<Vec<OrgRecord>> {
        self.read(|conn| {
            let mut st = conn
                .prepare(
                    "SELECT id, parent_id, name, short_name, kind, code, hlc, device_id, change_id
                     FROM orgs ORDER BY id",
                )
                .map_err(backend)?;
            let rows = st
                .query_map([], |r| {
                    Ok(OrgRecord {
                        org: Org {
                            id: r.get(0)?,
                            parent_id: r.get(1)?,
                            name: r.get(2)?,
                            short_name: r.get(3)?,
                            kind: r.get(4)?,
                            code: r.get(5)?,
                        },
                        stamp: Stamp {
                            hlc: r.get(6)?,
                            device: r.get(7)?,
                            change: r.get(8)?,
                        },
                    })
                })
                .map_err(backend)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(backend)
        })
        .await
    }

    async fn create_code(&self, code: NewCode) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO codes (code_hash, org_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![&code.code_hash[..], code.org_id, code.created_at, code.expires_at],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn redeem_code(
        &self,
        code_hash: [u8; 32],
        now: i64,
        device: NewDevice,
    ) -> StoreResult<Option<DeviceRecord>> {
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let org: Option<String> = tx
                .query_row(
                    "SELECT org_id FROM codes
                     WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                    params![&code_hash[..], now],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            let Some(org_id) = org else {
                return Ok(None);
            };
            tx.execute(
                "UPDATE codes SET used_at = ?2, device_id = ?3 WHERE code_hash = ?1",
                params![&code_hash[..], now, device.id],
            )
            .map_err(backend)?;
            tx.execute(
                "INSERT INTO devices (id, org_id, name, token_hash, enrolled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![device.id, org_id, device.name, &device.token_hash[..], now],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(Some(DeviceRecord {
                id: device.id,
                org_id,
                name: device.name,
                enrolled_at: now,
                last_seen: None,
                revoked_at: None,
            }))
        })
        .await
    }

    async fn device_by_token(&self, token_hash: [u8; 32]) -> StoreResult<Option<DeviceRecord>> {
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT {DEVICE_COLS} FROM devices WHERE token_hash = ?1"),
                params![&token_hash[..]],
                device_row,
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn devices(&self) -> StoreResult<Vec<DeviceRecord>> {
        self.read(|conn| {
            let mut st = conn
                .prepare(&format!(
                    "SELECT {DEVICE_COLS} FROM devices ORDER BY enrolled_at, id"
                ))
                .map_err(backend)?;
            let rows = st.query_map([], device_row).map_err(backend)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(backend)
        })
        .await
    }

    async fn revoke_device(&self, id: &str, now: i64) -> StoreResult<bool> {
        let id = id.to_owned();
        self.write(move |conn| {
            let exists = conn
                .query_row("SELECT 1 FROM devices WHERE id = ?1", [&id], |_| Ok(()))
                .optional()
                .map_err(backend)?
                .is_some();
            conn.execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                params![id, now],
            )
            .map_err(backend)?;
            Ok(exists)
        })
        .await
    }

    async fn touch_device(&self, id: &str, now: i64) -> StoreResult<()> {
        let id = id.to_owned();
        self.write(move |conn| {
            conn.execute(
                "UPDATE devices SET last_seen = ?2 WHERE id = ?1",
                params![id, now],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn row_owners(
        &self,
        keys: Vec<(String, String)>,
        ids: Vec<String>,
    ) -> StoreResult<RowOwners> {
        self.read(move |conn| {
            let mut out = RowOwners::default();
            let mut owner = conn
                .prepare_cached("SELECT org_id FROM row_owners WHERE tbl = ?1 AND pk = ?2")
                .map_err(backend)?;
            for (tbl, pk) in keys {
                let org: Option<String> = owner
                    .query_row(params![tbl, pk], |r| r.get(0))
                    .optional()
                    .map_err(backend)?;
                if let Some(org) = org {
                    out.owners.insert((tbl, pk), org);
                }
            }
            let mut held = conn
                .prepare_cached("SELECT 1 FROM changes WHERE id = ?1")
                .map_err(backend)?;
            for id in ids {
                if held.exists([&id]).map_err(backend)? {
                    out.held.insert(id);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn push_page(&self, page: PushPage) -> StoreResult<PushOutcome> {
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let mut accepted = Vec::new();
            let mut duplicates = Vec::new();
            {
                let mut insert = tx
                    .prepare(
                        "INSERT INTO changes (id, org_id, device_id, tbl, body, received_at, scope_org)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING",
                    )
                    .map_err(backend)?;
                let mut owner = tx
                    .prepare(
                        "INSERT INTO row_owners (tbl, pk, org_id) VALUES (?1, ?2, ?3)
                         ON CONFLICT (tbl, pk) DO UPDATE SET org_id = excluded.org_id",
                    )
                    .map_err(backend)?;
                for c in &page.changes {
                    let body = serde_json::to_string(c).map_err(backend)?;
                    let n = insert
                        .execute(params![
                            c.id,
                            c.org_id,
                            c.device_id,
                            c.table,
                            body,
                            page.received_at,
                            c.scope_org
                        ])
                        .map_err(backend)?;
                    if n == 1 {
                        accepted.push(c.id.clone());
                        if c.table != "orgs" {
                            owner.execute(params![c.table, c.pk, c.org_id]).map_err(backend)?;
                        }
                    } else {
                        duplicates.push(c.id.clone());
                    }
                }
                let mut upsert = tx
                    .prepare(
                        "INSERT INTO orgs (id, parent_id, name, short_name, kind, code, hlc, device_id, change_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id,
                           name = excluded.name, short_name = excluded.short_name,
                           kind = excluded.kind, code = excluded.code, hlc = excluded.hlc,
                           device_id = excluded.device_id, change_id = excluded.change_id",
                    )
                    .map_err(backend)?;
                for o in &page.orgs {
                    upsert
                        .execute(params![
                            o.org.id,
                            o.org.parent_id,
                            o.org.name,
                            o.org.short_name,
                            o.org.kind,
                            o.org.code,
                            o.stamp.hlc,
                            o.stamp.device,
                            o.stamp.change
                        ])
                        .map_err(backend)?;
                }
                let mut blob_org = tx
                    .prepare(
                        "INSERT INTO blob_orgs (sha256, org_id) VALUES (?1, ?2)
                         ON CONFLICT DO NOTHING",
                    )
                    .map_err(backend)?;
                for b in &page.blob_orgs {
                    blob_org
                        .execute(params![b.sha256, b.org_id])
                        .map_err(backend)?;
                }
            }
            let cursor = log_end(&tx).map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(PushOutcome {
                accepted,
                duplicates,
                cursor,
            })
        })
        .await
    }

    async fn pull_page(&self, query: PullQuery) -> StoreResult<PullPage> {
        self.read(move |conn| {
            // One read transaction: the page and the log's end come from the same snapshot.
            let tx = conn.transaction().map_err(backend)?;
            let end = log_end(&tx).map_err(backend)?;
            if query.after > end {
                return Err(StoreError::BadCursor(query.after));
            }
            let after = i64::try_from(query.after).map_err(backend)?;
            let orgs = serde_json::to_string(&query.orgs).map_err(backend)?;
            let pools = serde_json::to_string(&query.pools).map_err(backend)?;
            let want = i64::try_from(query.limit).map_err(backend)? + 1;
            let mut st = tx
                .prepare(
                    "SELECT seq, body FROM changes
                     WHERE seq > ?1 AND device_id <> ?2
                       AND (tbl = 'orgs' OR org_id IN (SELECT value FROM json_each(?3))
                            OR scope_org IN (SELECT value FROM json_each(?3))
                            OR (tbl = 'persons' AND org_id IN (SELECT value FROM json_each(?5))))
                     ORDER BY seq LIMIT ?4",
                )
                .map_err(backend)?;
            let rows = st
                .query_map(
                    params![after, query.exclude_device, orgs, want, pools],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                )
                .map_err(backend)?;
            let mut changes = Vec::new();
            let mut last = query.after;
            let mut more = false;
            for row in rows {
                let (seq, body) = row.map_err(backend)?;
                if changes.len() == query.limit {
                    more = true;
                    break;
                }
                let change: Change = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Backend(format!("日志第 {seq} 条无法读取：{e}")))?;
                changes.push(change);
                last = u64::try_from(seq).unwrap_or(last);
            }
            let cursor = if more { last } else { end };
            Ok(PullPage {
                changes,
                cursor,
                more,
            })
        })
        .await
    }

    async fn put_blob(&self, sha256: &str, bytes: Vec<u8>) -> StoreResult<bool> {
        self.blobs.put(sha256, bytes).await
    }

    async fn get_blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        self.blobs.get(sha256).await
    }

    async fn blob_len(&self, sha256: &str) -> StoreResult<Option<u64>> {
        self.blobs.len(sha256).await
    }

    async fn add_blob_org(&self, blob: BlobOrg) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO blob_orgs (sha256, org_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![blob.sha256, blob.org_id],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn blob_held_by(&self, sha256: &str, orgs: &[String]) -> StoreResult<bool> {
        let sha256 = sha256.to_owned();
        let orgs = serde_json::to_string(orgs).map_err(backend)?;
        self.read(move |conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM blob_orgs
                  WHERE sha256 = ?1 AND org_id IN (SELECT value FROM json_each(?2)))",
                params![sha256, orgs],
                |r| r.get::<_, bool>(0),
            )
            .map_err(backend)
        })
        .await
    }

    async fn audit_head(&self, device_id: &str) -> StoreResult<(i64, String)> {
        let device_id = device_id.to_owned();
        self.read(move |conn| {
            let head: Option<(i64, String)> = conn
                .query_row(
                    "SELECT seq, hash FROM audit_events WHERE device_id = ?1
                     ORDER BY seq DESC LIMIT 1",
                    [&device_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(backend)?;
            Ok(head.unwrap_or((0, hearing_sync::audit::GENESIS.to_owned())))
        })
        .await
    }

    async fn audit_hash(&self, device_id: &str, seq: i64) -> StoreResult<Option<String>> {
        let device_id = device_id.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT hash FROM audit_events WHERE device_id = ?1 AND seq = ?2",
                params![device_id, seq],
                |r| r.get(0),
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn append_audit(
        &self,
        device_id: &str,
        events: Vec<hearing_sync::audit::AuditEvent>,
        received_at: i64,
    ) -> StoreResult<()> {
        let device_id = device_id.to_owned();
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            {
                let mut insert = tx
                    .prepare(
                        "INSERT INTO audit_events (device_id, seq, hash, body, received_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )
                    .map_err(backend)?;
                for e in &events {
                    let body = serde_json::to_string(e).map_err(backend)?;
                    insert
                        .execute(params![device_id, e.seq, e.hash, body, received_at])
                        .map_err(backend)?;
                }
            }
            tx.commit().map_err(backend)
        })
        .await
    }
}
