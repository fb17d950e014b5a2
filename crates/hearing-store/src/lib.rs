//! HearingDesk storage: one SQLite file per desk. Opening runs the migrations (and refuses a
//! database made by a newer HearingDesk); every mutation goes through [`Store::write`], which in one
//! transaction changes the tables, appends to the change log and extends the audit hash chain.
//!
//! Not here: domain rules (hearing-core), document layout (hearing-docs), sync transport.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod bulletins;
pub mod cases;
pub mod checkpoint;
pub mod clock;
pub mod closure;
pub mod config;
pub mod demo;
pub mod documents;
mod error;
#[cfg(feature = "fuzz-checks")]
#[doc(hidden)]
pub mod fuzz_checks;
pub mod hearings;
pub mod inbox;
pub mod keys;
pub mod meetings;
mod migrate;
mod numbering;
pub mod orgs;
pub mod persons;
pub mod scans;
pub mod search;
pub mod session;
pub mod slips;
pub mod stats;
pub mod sync;
pub mod templates;
pub mod warnings;
mod write;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};

pub use error::{ErrorCode, StoreError};
pub use migrate::LATEST_VERSION;
pub use write::Writer;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens a SQLite connection, after SQLCipher's one-time set-up has finished in this process.
///
/// SQLCipher 4.20 marks itself initialised before it registers `sqlcipher_export` (an automatic
/// extension); a connection another thread opens in between lacks the function, which showed as
/// an occasional "no such function: sqlcipher_export" when two stores opened at once. The first
/// open in the process runs alone under a `Once`, so the set-up is complete before any other.
pub(crate) fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    static SQLITE_READY: std::sync::Once = std::sync::Once::new();
    SQLITE_READY.call_once(|| {
        // Initialises SQLite (and SQLCipher with it); the connection itself is not needed.
        let _ = Connection::open_in_memory();
    });
    Connection::open(path)
}

/// The database file name inside a desk's data directory.
pub const DB_FILE: &str = "hearingdesk.db";

/// One desk's database.
pub struct Store {
    /// Background WAL checkpoints (see [`checkpoint`]); `None` if the thread could not start.
    /// Declared first: stopped before the connection closes.
    checkpointer: Option<checkpoint::Checkpointer>,
    conn: Connection,
    path: PathBuf,
    device_id: String,
    actor: String,
    /// The logged-in operator (a desk with accounts); `None` on a desk without accounts.
    operator: Option<accounts::Operator>,
    /// The database key of an encrypted desk (also seals attachments and backups).
    key: Option<keys::DbKey>,
    /// The read-only connection the statistics read on beside `conn` (see [`Store::reader`]),
    /// kept between calls so that its page cache stays warm; taken while in use.
    reader: std::cell::Cell<Option<Connection>>,
    /// Foreign keys are off on `conn`: a pull is applying pages (see [`Store::relax_foreign_keys`]).
    fk_relaxed: std::cell::Cell<bool>,
    /// A sync run is pulling page after page: foreign keys stay off between its pages.
    pub(crate) pulling: bool,
    /// Where this store reads the time (see [`clock`]).
    clock: clock::Clock,
}

impl Store {
    /// Opens (creating if needed) the database in `dir`.
    pub fn open_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
        Store::open(&dir.join(DB_FILE))
    }

    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    /// A database whose schema is newer than this binary is refused before anything is written.
    ///
    /// A desk with accounts (its database encrypted) is refused here with [`StoreError::Locked`]:
    /// it opens only through [`accounts::login`].
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            accounts::finish_interrupted_setup(dir)?;
            if keys::KeySlots::load(dir)?.is_some() {
                return Err(StoreError::Locked(
                    "本机数据库已加密，须登录后使用：在听证工作台中登录；命令行用 hearingctl --user 用户名（密码取自环境变量 HEARINGDESK_PASSWORD，或在终端中输入）".into(),
                ));
            }
        }
        Store::open_keyed(path, None)
    }

    /// Opens the database with its SQLCipher key (or none: a plain database).
    pub(crate) fn open_keyed(path: &Path, key: Option<keys::DbKey>) -> Result<Store> {
        let conn = open_connection(path)?;
        if let Some(k) = &key {
            conn.execute_batch(&format!(
                "PRAGMA key = \"{}\";",
                k.pragma_literal().as_str()
            ))?;
        }
        // Temporary tables, sorts and statement journals stay in memory: nothing decrypted
        // spills to /tmp, and applying a pulled page does not create and delete a file per
        // statement.
        conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(StoreError::from_open)?;
        if found > LATEST_VERSION {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: LATEST_VERSION,
            });
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Up to 64 MiB of pages kept (default 2 MiB): the statistics and warnings read the same
        // index pages call after call; without it each read is a system call (and with a key, a
        // decryption). Memory is taken only as pages are read.
        conn.pragma_update(None, "cache_size", -65536)?;
        // `rarray(?)`: the statistics pass sets of ids (the cases or hearings in scope) to one
        // statement instead of one statement per id.
        rusqlite::vtab::array::load_module(&conn)?;
        // The functions the search index's triggers call, and the clock the sync triggers read.
        search::register_functions(&conn)?;
        let clock = clock::Clock::system();
        clock::register(&conn, &clock)?;
        // Prepared statements kept for reuse (rusqlite's default is 16): applying a page of
        // synced changes cycles through more than that, and each one prepared again compiles
        // its table's triggers too.
        conn.set_prepared_statement_cache_capacity(256);
        let mut conn = conn;
        migrate::run(&mut conn)?;
        let device_id = ensure_device_id(&conn)?;
        sync::install_triggers(&conn, &device_id)?;
        let mut store = Store {
            checkpointer: None,
            conn,
            path: path.to_owned(),
            device_id,
            actor: default_actor(),
            operator: None,
            key,
            reader: std::cell::Cell::new(None),
            fk_relaxed: std::cell::Cell::new(false),
            pulling: false,
            clock,
        };
        if let Ok(c) = store.second_connection(false) {
            if let Ok(c) = checkpoint::Checkpointer::start(c) {
                store.checkpointer = Some(c);
                store
                    .conn
                    .pragma_update(None, "wal_autocheckpoint", checkpoint::SAFETY_PAGES)?;
            }
        }
        Ok(store)
    }

    /// Stops the background checkpoints (closing their connection) and lets the store's
    /// connection checkpoint inside its commits, as SQLite does by default: for work that needs
    /// the database to itself (a bulk load leaving WAL mode), and the benchmark comparing the two.
    pub fn stop_background_checkpoints(&mut self) -> Result<()> {
        self.checkpointer = None;
        self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        Ok(())
    }

    /// A second, read-only connection to this database, for reading on another thread beside
    /// [`Store::conn`] (WAL: it sees what is committed): the one kept from the last call, else
    /// a new one; [`Store::in_parallel`] gives it back when done. A restored or re-keyed
    /// database is opened as a new store, so a kept connection is never a stale one.
    fn reader(&self) -> Result<Connection> {
        match self.reader.take() {
            Some(c) => Ok(c),
            None => self.second_connection(true),
        }
    }

    /// Keeps `conn` (from [`Store::reader`]) for the next call.
    fn return_reader(&self, conn: Connection) {
        self.reader.set(Some(conn));
    }

    /// Runs `side` on the second, read-only connection ([`Store::reader`]) on another thread
    /// while `main` runs on the store's own (two cores: the statistics and the warnings each
    /// split their reads in two); without a second connection, `side` after `main` on the
    /// store's own.
    pub(crate) fn in_parallel<S: Send, M>(
        &self,
        side: impl FnOnce(&Connection) -> Result<S> + Send,
        main: impl FnOnce(&Connection) -> Result<M>,
    ) -> Result<(S, M)> {
        let Ok(reader) = self.reader() else {
            let m = main(&self.conn)?;
            return Ok((side(&self.conn)?, m));
        };
        std::thread::scope(|sc| {
            let handle = sc.spawn(move || {
                let s = side(&reader);
                (s, reader)
            });
            let m = main(&self.conn);
            let (s, reader) = handle
                .join()
                .map_err(|_| StoreError::Internal("并行读取意外中止，请重试".to_owned()))?;
            let s = s?;
            self.return_reader(reader);
            Ok((s, m?))
        })
    }

    fn second_connection(&self, read_only: bool) -> Result<Connection> {
        let conn = open_connection(&self.path)?;
        if let Some(k) = &self.key {
            conn.execute_batch(&format!(
                "PRAGMA key = \"{}\";",
                k.pragma_literal().as_str()
            ))?;
        }
        conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "query_only", read_only)?;
        conn.pragma_update(None, "cache_size", -65536)?;
        rusqlite::vtab::array::load_module(&conn)?;
        search::register_functions(&conn)?;
        clock::register(&conn, &self.clock)?;
        Ok(conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This desk's device id (UUIDv7, made when the database was created).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The name recorded as the actor of audit events. On a desk with accounts the actor is
    /// always the logged-in operator, and this does nothing.
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        if self.operator.is_none() {
            self.actor = actor.into();
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Turns foreign keys off for applying pulled pages, whose rows may name parents outside
    /// this desk's view. The pragma cannot change inside a transaction, and changing it makes
    /// SQLite prepare every cached statement again (with its tables' triggers): so a pull turns
    /// it off once, for all its pages, and the next write of any other kind turns it back on
    /// ([`Store::enforce_foreign_keys`], at the start of every write transaction).
    pub(crate) fn relax_foreign_keys(&self) -> Result<()> {
        if !self.fk_relaxed.get() {
            self.conn.pragma_update(None, "foreign_keys", "OFF")?;
            self.fk_relaxed.set(true);
        }
        Ok(())
    }

    /// Turns foreign keys back on if a pull turned them off.
    pub(crate) fn enforce_foreign_keys(&self) -> Result<()> {
        if self.fk_relaxed.get() {
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
            self.fk_relaxed.set(false);
        }
        Ok(())
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The org this desk works for, once set by `desk_init` or the demo.
    pub fn desk_org_id(&self) -> Result<Option<String>> {
        meta_get(&self.conn, "org_id")
    }
}

fn default_actor() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "本机操作员".to_owned())
}

fn ensure_device_id(conn: &Connection) -> Result<String> {
    if let Some(id) = meta_get(conn, "device_id")? {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    conn.execute(
        "INSERT INTO desk_meta (key, value) VALUES ('device_id', ?1)",
        [&id],
    )?;
    Ok(id)
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM desk_meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// The SHA-256 of `bytes` in lower-case hex: what frozen documents, scans and blobs are named by.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Now, stored as UTC with milliseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Today's date in China (UTC+8, no daylight saving), which is what users mean by "today", by
/// the system clock (a store's own is [`Store::today`]).
pub fn today() -> NaiveDate {
    clock::china_date(Utc::now())
}

/// A date as the store keeps it (`YYYY-MM-DD`), read back; `None` if the text is not one in
/// exactly that form (chrono would also take `2026-3-5` or a leading space, which the store
/// never writes and an edit should rewrite).
pub(crate) fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == text)
}

impl Store {
    /// The store's clock: the system's unless a test set another ([`Store::set_clock`]).
    pub fn clock(&self) -> &clock::Clock {
        &self.clock
    }

    /// Makes the store read the time from `clock` (tests: a manual clock, shared by desks).
    pub fn set_clock(&mut self, clock: clock::Clock) -> Result<()> {
        clock::register(&self.conn, &clock)?;
        self.clock = clock;
        Ok(())
    }

    /// Today in China by the store's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Now by the store's clock, as stored (UTC, milliseconds).
    pub(crate) fn now_text(&self) -> String {
        timestamp(self.clock.now())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_day_reads_back_only_in_the_form_the_store_writes() {
        assert_eq!(
            super::parse_day("2026-03-05"),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
        );
        for other in ["2026-3-5", " 2026-03-05", "2026-13-05", "x", ""] {
            assert_eq!(super::parse_day(other), None, "{other:?}");
        }
    }
}
