//! The PostgreSQL store (`--database postgres://…`): rows in PostgreSQL through a small pool of
//! tokio-postgres connections (deadpool), blobs as files under `--data` like the SQLite store
//! ([`crate::blobs`]).
//!
//! - **Schema**: created on connect, versioned in `hearing_schema`; a database written by a newer
//!   server is refused. Connecting servers and admin commands take an advisory lock while they
//!   look at (and create or migrate) the schema, so two starting at once do not race.
//! - **Log order**: `changes.seq` is an identity column. A push takes `LOCK TABLE changes IN
//!   EXCLUSIVE MODE` first (readers go on, other writers of the log wait), so positions are
//!   handed out and committed in the same order: a reader that sees position `n` sees every
//!   position below it, and a pull cursor never steps over a change still to be committed.
//!   A page is one transaction; a change whose id is held is a duplicate (`ON CONFLICT DO
//!   NOTHING`).
//! - **Pull**: one `REPEATABLE READ` read-only transaction, so the page and the end of the log come
//!   from the same snapshot.
//! - **Durability**: an answered push is committed; PostgreSQL's own settings (`synchronous_commit`,
//!   `fsync`) decide what a power cut keeps.
//! - No TLS to the database: run PostgreSQL on the same machine (loopback or its Unix socket) or on
//!   a private network. `sslmode=require` is refused with a message rather than ignored.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use hearing_sync::{Change, Org};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{IsolationLevel, NoTls, Row};

use crate::blobs::BlobDir;
use crate::storage::{
    BlobOrg, DeviceRecord, NewCode, NewDevice, OrgRecord, PullPage, PullQuery, PushOutcome,
    PushPage, RowOwners, Stamp, Storage, StoreError, StoreResult,
};

/// The schema version this binary writes: 1, the log; 2, the orgs holding each blob; 3, the
/// devices' audit chains; 4, the org each change is about (`scope_org`); 5, the owner of each row.
pub const SCHEMA_VERSION: i32 = 5;
/// Connections per process.
const POOL_SIZE: usize = 16;

const SCHEMA: &str = r#"
CREATE TABLE hearing_schema (
    version     INTEGER NOT NULL
);
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
);
CREATE TABLE codes (
    code_hash   BYTEA PRIMARY KEY,
    org_id      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    device_id   TEXT
);
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    name        TEXT NOT NULL,
    token_hash  BYTEA NOT NULL UNIQUE,
    enrolled_at BIGINT NOT NULL,
    last_seen   BIGINT,
    revoked_at  BIGINT
);
-- The log. `body` is the change as the desk sent it (JSON text, returned as stored).
CREATE TABLE changes (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    org_id      TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
"#;

/// Version 2: which orgs hold each blob (`storage::BlobOrg`).
const SCHEMA_V2: &str = r#"
CREATE TABLE blob_orgs (
    sha256      TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    PRIMARY KEY (sha256, org_id)
);
"#;

/// Version 3: each device's audit chain, as received and checked.
const SCHEMA_V3: &str = r#"
CREATE TABLE audit_events (
    device_id   TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
"#;

/// Version 4: the org a change is about when it is not its owner (`Change::scope_org`).
const SCHEMA_V4: &str = r#"
ALTER TABLE changes ADD COLUMN scope_org TEXT;
"#;

/// Version 5: the owning org of each row the log holds (the org of the last change stored to it),
/// for admission. Filled from the log.
const SCHEMA_V5: &str = r#"
CREATE TABLE row_owners (
    tbl         TEXT NOT NULL,
    pk          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    PRIMARY KEY (tbl, pk)
);
INSERT INTO row_owners (tbl, pk, org_id)
    SELECT DISTINCT ON (tbl, body::json->>'pk') tbl, body::json->>'pk', org_id
    FROM changes WHERE tbl <> 'orgs' ORDER BY tbl, body::json->>'pk', seq DESC;
"#;

pub struct PostgresStorage {
    pool: Pool,
    describe: String,
    /// `None` for admin commands run without `--data` (they never touch blobs).
    blobs: Option<BlobDir>,
}

/// A tokio-postgres error with its cause (its `Display` alone says only "db error").
fn pg_text(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{}: {}", db.severity(), db.message());
        if let Some(d) = db.detail() {
            s.push_str(&format!("（{d}）"));
        }
        return s;
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

fn backend(e: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(pg_text(&e))
}

fn pool_err(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => {
            StoreError::Backend(format!("无法连接数据库：{}", pg_text(&e)))
        }
        other => StoreError::Backend(format!("数据库连接池：{other}")),
    }
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// `postgres://user@host:port/db` without the password, for logs.
pub fn describe_config(config: &tokio_postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(dir) => dir.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    format!(
        "postgres://{user}{}/{}",
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

fn i64_of(n: u64) -> StoreResult<i64> {
    i64::try_from(n).map_err(other)
}

fn u64_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn device_of(r: &Row) -> StoreResult<DeviceRecord> {
    Ok(DeviceRecord {
        id: r.try_get(0).map_err(backend)?,
        org_id: r.try_get(1).map_err(backend)?,
        name: r.try_get(2).map_err(backend)?,
        enrolled_at: r.try_get(3).map_err(backend)?,
        last_seen: r.try_get(4).map_err(backend)?,
        revoked_at: r.try_get(5).map_err(backend)?,
    })
}

const DEVICE_COLS: &str = "id, org_id, name, enrolled_at, last_seen, revoked_at";
const LOG_END: &str = "SELECT COALESCE(MAX(seq), 0)::BIGINT FROM changes";

impl PostgresStorage {
    /// Connects to `url` (`postgres://user:password@host:port/db`, or `host=/run/postgresql` for a
    /// Unix socket in the `?host=` parameter), creates or checks the schema, and keeps blobs in
    /// `<data>/blobs` when `data` is given. Refuses a database written by a newer server.
    pub async fn connect(url: &str, data: Option<&Path>) -> StoreResult<PostgresStorage> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Invalid(
                "--database 只支持 PostgreSQL 地址，形如 postgres://用户:密码@主机:端口/数据库"
                    .into(),
            ));
        }
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("数据库地址无效：{}", pg_text(&e))))?;
        if config.get_ssl_mode() == SslMode::Require {
            return Err(StoreError::Invalid(
                "本版本连接 PostgreSQL 不使用 TLS，不能满足 sslmode=require：请在本机（127.0.0.1 或 Unix 套接字）或内网运行数据库，并去掉 sslmode=require".into(),
            ));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("hearing-server");
        }
        let describe = describe_config(&config);
        let blobs = data.map(BlobDir::open).transpose()?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(30)))
            .create_timeout(Some(Duration::from_secs(15)))
            .build()
            .map_err(|e| StoreError::Invalid(format!("无法建立数据库连接池：{e}")))?;
        let store = PostgresStorage {
            pool,
            describe,
            blobs,
        };
        store.migrate().await.map_err(|e| match e {
            StoreError::Backend(m) => {
                StoreError::Invalid(format!("无法使用数据库 {}：{m}", store.describe))
            }
            e => e,
        })?;
        Ok(store)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Client> {
        self.pool.get().await.map_err(pool_err)
    }

    async fn migrate(&self) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        // One connecting process at a time looks at the schema.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('hearing-server schema'))",
            &[],
        )
        .await
        .map_err(backend)?;
        let exists: bool = tx
            .query_one("SELECT to_regclass('hearing_schema') IS NOT NULL", &[])
            .await
            .map_err(backend)?
            .try_get(0)
            .map_err(backend)?;
        let version = if exists {
            let version: Option<i32> = tx
                .query_one("SELECT MAX(version) FROM hearing_schema", &[])
                .await
                .map_err(backend)?
                .try_get(0)
                .map_err(backend)?;
            match version {
                Some(v) if v > SCHEMA_VERSION => {
                    return Err(StoreError::Invalid(format!(
                        "数据库版本 {v} 比本程序支持的 {SCHEMA_VERSION} 新，请使用更新版本的 hearing-server"
                    )));
                }
                Some(v) => v,
                None => {
                    return Err(StoreError::Invalid(
                        "数据库的 hearing_schema 表是空的，无法确定数据库版本".into(),
                    ));
                }
            }
        } else {
            tx.batch_execute(SCHEMA).await.map_err(backend)?;
            tx.execute("INSERT INTO hearing_schema (version) VALUES (1)", &[])
                .await
                .map_err(backend)?;
            1
        };
        // Later versions migrate here, step by step, in this transaction.
        if version < 2 {
            tx.batch_execute(SCHEMA_V2).await.map_err(backend)?;
            backfill_blob_orgs(&tx).await?;
        }
        if version < 3 {
            tx.batch_execute(SCHEMA_V3).await.map_err(backend)?;
        }
        if version < 4 {
            tx.batch_execute(SCHEMA_V4).await.map_err(backend)?;
        }
        if version < 5 {
            tx.batch_execute(SCHEMA_V5).await.map_err(backend)?;
        }
        if version < SCHEMA_VERSION {
            tx.execute("UPDATE hearing_schema SET version = $1", &[&SCHEMA_VERSION])
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    fn blobs(&self) -> StoreResult<&BlobDir> {
        self.blobs.as_ref().ok_or_else(|| {
            StoreError::Invalid("未指定数据目录：存取文件需要 --data（附件存放在其中）".into())
        })
    }
}

/// Version 2 on a log written before it: the org of every held change that refers to a blob
/// holds that blob (uploads were not recorded then).
async fn backfill_blob_orgs(tx: &deadpool_postgres::Transaction<'_>) -> StoreResult<()> {
    let rows = tx
        .query(
            "SELECT seq, org_id, body FROM changes WHERE strpos(body, '\"$blob\"') > 0",
            &[],
        )
        .await
        .map_err(backend)?;
    for row in &rows {
        let seq: i64 = row.try_get(0).map_err(backend)?;
        let org_id: &str = row.try_get(1).map_err(backend)?;
        let body: &str = row.try_get(2).map_err(backend)?;
        let change: Change = serde_json::from_str(body)
            .map_err(|e| StoreError::Backend(format!("日志第 {seq} 条无法读取：{e}")))?;
        for sha256 in crate::logic::blob_refs(&change) {
            tx.execute(
                "INSERT INTO blob_orgs (sha256, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&sha256, &org_id],
            )
            .await
            .map_err(backend)?;
        }
    }
    Ok(())
}

#[async_trait]
impl Storage for PostgresStorage {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    async fn orgs(&self) -> StoreResult<Vec<OrgRecord>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, parent_id, name, short_name, kind, code, hlc, device_id, change_id
                 FROM orgs ORDER BY id",
                &[],
            )
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(OrgRecord {
                    org: Org {
                        id: r.try_get(0).map_err(backend)?,
                        parent_id: r.try_get(1).map_err(backend)?,
                        name: r.try_get(2).map_err(backend)?,
                        short_name: r.try_get(3).map_err(backend)?,
                        kind: r.try_get(4).map_err(backend)?,
                        code: r.try_get(5).map_err(backend)?,
                    },
                    stamp: Stamp {
                        hlc: r.try_get(6).map_err(backend)?,
                        device: r.try_get(7).map_err(backend)?,
                        change: r.try_get(8).map_err(backend)?,
                    },
                })
            })
            .collect()
    }

    async fn create_code(&self, code: NewCode) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO codes (code_hash, org_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                &[
                    &&code.code_hash[..],
                    &code.org_id,
                    &code.created_at,
                    &code.expires_at,
                ],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn redeem_code(
        &self,
        code_hash: [u8; 32],
        now: i64,
        device: NewDevice,
    ) -> StoreResult<Option<DeviceRecord>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        // The row lock of the UPDATE makes a code usable once even when two desks race for it.
        let row = tx
            .query_opt(
                "UPDATE codes SET used_at = $2, device_id = $3
                 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
                 RETURNING org_id",
                &[&&code_hash[..], &now, &device.id],
            )
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let org_id: String = row.try_get(0).map_err(backend)?;
        tx.execute(
            "INSERT INTO devices (id, org_id, name, token_hash, enrolled_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &device.id,
                &org_id,
                &device.name,
                &&device.token_hash[..],
                &now,
            ],
        )
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(Some(DeviceRecord {
            id: device.id,
            org_id,
            name: device.name,
            enrolled_at: now,
            last_seen: None,
            revoked_at: None,
        }))
    }

    async fn device_by_token(&self, token_hash: [u8; 32]) -> StoreResult<Option<DeviceRecord>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!("SELECT {DEVICE_COLS} FROM devices WHERE token_hash = $1"),
                &[&&token_hash[..]],
            )
            .await
            .map_err(backend)?;
        row.as_ref().map(device_of).transpose()
    }

    async fn devices(&self) -> StoreResult<Vec<DeviceRecord>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("SELECT {DEVICE_COLS} FROM devices ORDER BY enrolled_at, id"),
                &[],
            )
            .await
            .map_err(backend)?;
        rows.iter().map(device_of).collect()
    }

    async fn revoke_device(&self, id: &str, now: i64) -> StoreResult<bool> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                &[&id, &now],
            )
            .await
            .map_err(backend)?;
        Ok(n > 0)
    }

    async fn touch_device(&self, id: &str, now: i64) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE devices SET last_seen = $2 WHERE id = $1",
                &[&id, &now],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn row_owners(
        &self,
        keys: Vec<(String, String)>,
        ids: Vec<String>,
    ) -> StoreResult<RowOwners> {
        let client = self.client().await?;
        let mut out = RowOwners::default();
        let owner = client
            .prepare_cached("SELECT org_id FROM row_owners WHERE tbl = $1 AND pk = $2")
            .await
            .map_err(backend)?;
        for (tbl, pk) in keys {
            if let Some(row) = client
                .query_opt(&owner, &[&tbl, &pk])
                .await
                .map_err(backend)?
            {
                out.owners.insert((tbl, pk), row.get(0));
            }
        }
        if !ids.is_empty() {
            let rows = client
                .query("SELECT id FROM changes WHERE id = ANY($1)", &[&ids])
                .await
                .map_err(backend)?;
            out.held = rows.iter().map(|r| r.get(0)).collect();
        }
        Ok(out)
    }

    async fn push_page(&self, page: PushPage) -> StoreResult<PushOutcome> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        // Writers of the log one at a time, so positions commit in order (see the module docs).
        tx.batch_execute("LOCK TABLE changes IN EXCLUSIVE MODE")
            .await
            .map_err(backend)?;
        let insert = tx
            .prepare_cached(
                "INSERT INTO changes (id, org_id, device_id, tbl, body, received_at, scope_org)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
            )
            .await
            .map_err(backend)?;
        let owner = tx
            .prepare_cached(
                "INSERT INTO row_owners (tbl, pk, org_id) VALUES ($1, $2, $3)
                 ON CONFLICT (tbl, pk) DO UPDATE SET org_id = excluded.org_id",
            )
            .await
            .map_err(backend)?;
        let mut accepted = Vec::new();
        let mut duplicates = Vec::new();
        for c in &page.changes {
            let body = serde_json::to_string(c).map_err(other)?;
            let n = tx
                .execute(
                    &insert,
                    &[
                        &c.id,
                        &c.org_id,
                        &c.device_id,
                        &c.table,
                        &body,
                        &page.received_at,
                        &c.scope_org,
                    ],
                )
                .await
                .map_err(backend)?;
            if n == 1 {
                accepted.push(c.id.clone());
                if c.table != "orgs" {
                    tx.execute(&owner, &[&c.table, &c.pk, &c.org_id])
                        .await
                        .map_err(backend)?;
                }
            } else {
                duplicates.push(c.id.clone());
            }
        }
        if !page.orgs.is_empty() {
            let upsert = tx
                .prepare_cached(
                    "INSERT INTO orgs (id, parent_id, name, short_name, kind, code, hlc, device_id, change_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id,
                       name = excluded.name, short_name = excluded.short_name,
                       kind = excluded.kind, code = excluded.code, hlc = excluded.hlc,
                       device_id = excluded.device_id, change_id = excluded.change_id",
                )
                .await
                .map_err(backend)?;
            for o in &page.orgs {
                tx.execute(
                    &upsert,
                    &[
                        &o.org.id,
                        &o.org.parent_id,
                        &o.org.name,
                        &o.org.short_name,
                        &o.org.kind,
                        &o.org.code,
                        &o.stamp.hlc,
                        &o.stamp.device,
                        &o.stamp.change,
                    ],
                )
                .await
                .map_err(backend)?;
            }
        }
        if !page.blob_orgs.is_empty() {
            let insert = tx
                .prepare_cached(
                    "INSERT INTO blob_orgs (sha256, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .await
                .map_err(backend)?;
            for b in &page.blob_orgs {
                tx.execute(&insert, &[&b.sha256, &b.org_id])
                    .await
                    .map_err(backend)?;
            }
        }
        let end: i64 = tx
            .query_one(LOG_END, &[])
            .await
            .map_err(backend)?
            .try_get(0)
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(PushOutcome {
            accepted,
            duplicates,
            cursor: u64_of(end),
        })
    }

    async fn pull_page(&self, query: PullQuery) -> StoreResult<PullPage> {
        let mut client = self.client().await?;
        // One snapshot: the page and the log's end agree.
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(backend)?;
        let end = u64_of(
            tx.query_one(LOG_END, &[])
                .await
                .map_err(backend)?
                .try_get(0)
                .map_err(backend)?,
        );
        if query.after > end {
            return Err(StoreError::BadCursor(query.after));
        }
        let after = i64_of(query.after)?;
        let want = i64_of(u64::try_from(query.limit).map_err(other)?)?.saturating_add(1);
        let select = tx
            .prepare_cached(
                "SELECT seq, body FROM changes
                 WHERE seq > $1 AND device_id <> $2
                   AND (tbl = 'orgs' OR org_id = ANY($3) OR scope_org = ANY($3)
                        OR (tbl = 'persons' AND org_id = ANY($5)))
                 ORDER BY seq LIMIT $4",
            )
            .await
            .map_err(backend)?;
        let rows = tx
            .query(
                &select,
                &[
                    &after,
                    &query.exclude_device,
                    &query.orgs,
                    &want,
                    &query.pools,
                ],
            )
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        let mut changes = Vec::new();
        let mut last = query.after;
        let mut more = false;
        for row in &rows {
            if changes.len() == query.limit {
                more = true;
                break;
            }
            let seq: i64 = row.try_get(0).map_err(backend)?;
            let body: &str = row.try_get(1).map_err(backend)?;
            let change: Change = serde_json::from_str(body)
                .map_err(|e| StoreError::Backend(format!("日志第 {seq} 条无法读取：{e}")))?;
            changes.push(change);
            last = u64_of(seq);
        }
        let cursor = if more { last } else { end };
        Ok(PullPage {
            changes,
            cursor,
            more,
        })
    }

    async fn put_blob(&self, sha256: &str, bytes: Vec<u8>) -> StoreResult<bool> {
        self.blobs()?.put(sha256, bytes).await
    }

    async fn get_blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        self.blobs()?.get(sha256).await
    }

    async fn blob_len(&self, sha256: &str) -> StoreResult<Option<u64>> {
        self.blobs()?.len(sha256).await
    }

    async fn add_blob_org(&self, blob: BlobOrg) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO blob_orgs (sha256, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&blob.sha256, &blob.org_id],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn blob_held_by(&self, sha256: &str, orgs: &[String]) -> StoreResult<bool> {
        let client = self.client().await?;
        client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM blob_orgs WHERE sha256 = $1 AND org_id = ANY($2))",
                &[&sha256, &orgs],
            )
            .await
            .map_err(backend)?
            .try_get(0)
            .map_err(backend)
    }

    async fn audit_head(&self, device_id: &str) -> StoreResult<(i64, String)> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT seq, hash FROM audit_events WHERE device_id = $1
                 ORDER BY seq DESC LIMIT 1",
                &[&device_id],
            )
            .await
            .map_err(backend)?;
        match row {
            Some(r) => Ok((
                r.try_get(0).map_err(backend)?,
                r.try_get(1).map_err(backend)?,
            )),
            None => Ok((0, hearing_sync::audit::GENESIS.to_owned())),
        }
    }

    async fn audit_hash(&self, device_id: &str, seq: i64) -> StoreResult<Option<String>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT hash FROM audit_events WHERE device_id = $1 AND seq = $2",
                &[&device_id, &seq],
            )
            .await
            .map_err(backend)?;
        row.map(|r| r.try_get(0).map_err(backend)).transpose()
    }

    async fn append_audit(
        &self,
        device_id: &str,
        events: Vec<hearing_sync::audit::AuditEvent>,
        received_at: i64,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        let insert = tx
            .prepare(
                "INSERT INTO audit_events (device_id, seq, hash, body, received_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .await
            .map_err(backend)?;
        for e in &events {
            let body = serde_json::to_string(e).map_err(|e| StoreError::Backend(e.to_string()))?;
            tx.execute(&insert, &[&device_id, &e.seq, &e.hash, &body, &received_at])
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_leaves_out_the_password() {
        let c = tokio_postgres::Config::from_str("postgres://hearing:s3cret@db.local:5433/hearing")
            .unwrap();
        assert_eq!(
            describe_config(&c),
            "postgres://hearing@db.local:5433/hearing"
        );
        let c =
            tokio_postgres::Config::from_str("postgresql://hearing@/hearing?host=/run/postgresql")
                .unwrap();
        assert_eq!(
            describe_config(&c),
            "postgres://hearing@/run/postgresql/hearing"
        );
    }

    #[tokio::test]
    async fn refuses_what_it_cannot_use() {
        for (url, says) in [
            ("sqlite:/tmp/x.db", "只支持 PostgreSQL"),
            ("postgres://h@127.0.0.1:1/x?sslmode=require", "TLS"),
            ("postgres://h@127.0.0.1:1/x?nonsense=1", "地址无效"),
            ("postgres://h@127.0.0.1:1/x", "无法使用数据库"),
        ] {
            let err = PostgresStorage::connect(url, None).await.err().unwrap();
            assert!(matches!(err, StoreError::Invalid(_)), "{url}: {err}");
            assert!(err.to_string().contains(says), "{url}: {err}");
        }
    }
}
