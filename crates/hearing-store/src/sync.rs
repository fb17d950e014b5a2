//! The desk side of sync (docs/sync-protocol.md): triggers record every row change of the
//! synced tables into the change log (`change_log`, migration 015) in the writing transaction;
//! [`Store::sync_outbox_page`] turns the local ones after the push cursor into protocol changes; [`Store::sync_apply_page`] merges a pulled page (per-column
//! last-writer-wins by `(hlc, device, change id)`, tombstones, frozen documents with conflicts)
//! and stores the cursor in the same transaction. Testimony of a signed transcript is settled
//! from its history like a frozen document; a pulled case whose number another case here already
//! has is resolved by the desk that numbered the later one (see `place_number`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hearing_core::access::Permission;
use hearing_sync::merge::{
    frozen_columns, sealed_by, sealed_conflict, seals, Seal, DELETE_MARK, SEALS,
};
pub use hearing_sync::SYNCED_TABLES;
use hearing_sync::{Change, Hlc, Op, Org};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{meta_get, Result, Store, StoreError};

/// Primary-key columns and the SQL giving the owning org of a row (`{R}` is NEW, OLD or the
/// table itself).
fn spec(table: &str) -> (&'static [&'static str], &'static str) {
    const CASE: &str = "(SELECT org_id FROM cases WHERE id = {R}.case_id)";
    const HEARING: &str = "(SELECT org_id FROM hearings WHERE id = {R}.hearing_id)";
    match table {
        "orgs" => (&["id"], "COALESCE({R}.parent_id, {R}.id)"),
        "petitioners" => (&["case_id", "seq"], CASE),
        "leader_assignments" => (&["case_id"], CASE),
        "approvals" | "supervision_slips" | "visit_reviews" | "followups" => (&["id"], CASE),
        "participants" | "testimony" | "evidence" | "opinions" => (&["id"], HEARING),
        "challenges" => (
            &["id"],
            "(SELECT h.org_id FROM evidence e JOIN hearings h ON h.id = e.hearing_id \
             WHERE e.id = {R}.evidence_id)",
        ),
        // persons, cases, hearings, documents
        _ => (&["id"], "{R}.org_id"),
    }
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    blob: bool,
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let mut stmt = conn.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")?;
    let cols = stmt
        .query_map([table], |r| {
            Ok(Column {
                name: r.get(0)?,
                blob: r.get::<_, String>(1)?.eq_ignore_ascii_case("BLOB"),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols)
}

/// The blob column's JSON value: a reference to its bytes by hash (`pdf` ↔ `pdf_sha256`).
fn value_sql(r: &str, c: &Column) -> String {
    if c.blob {
        format!(
            "CASE WHEN {r}.{n} IS NULL THEN NULL ELSE json_object('$blob', {r}.{n}_sha256) END",
            n = c.name
        )
    } else {
        format!("{r}.{}", c.name)
    }
}

fn pk_sql(r: &str, pk: &[&str]) -> String {
    if pk.len() == 1 {
        format!("CAST({r}.{} AS TEXT)", pk[0])
    } else {
        format!(
            "json_array({})",
            pk.iter()
                .map(|c| format!("{r}.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn full_row_json(r: &str, cols: &[Column]) -> String {
    format!(
        "json_object({})",
        cols.iter()
            .map(|c| format!("'{}', {}", c.name, value_sql(r, c)))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Which columns of a table's changes `sync_history` keeps, and whether writing them freezes, as
/// SQL over a change log row `o` and one of its columns `j`: a document's frozen columns, every
/// column of a sealed table (testimony), and a parent's sealing column when set (a hearing's
/// signature).
fn history_terms(table: &str) -> Option<(String, String)> {
    if let Some((freezer, frozen)) = frozen_columns(table) {
        let list = frozen
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(", ");
        return Some((
            format!("j.key IN ({list})"),
            format!("json_extract(o.cols, '$.{freezer}') IS NOT NULL"),
        ));
    }
    if sealed_by(table).is_some() {
        return Some(("1".into(), "0".into()));
    }
    SEALS.iter().find(|s| s.parent == table).map(|s| {
        (
            format!("j.key = '{}' AND j.type <> 'null'", s.column),
            "1".into(),
        )
    })
}

/// Records in `sync_history` the kept columns of the change log rows `which` (SQL over `o`).
fn history_sql(table: &str, which: &str) -> Option<String> {
    let (keep, by_freeze) = history_terms(table)?;
    Some(format!(
        "INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
         SELECT o.tbl, o.pk, j.key, o.hlc, o.device_id, o.id,
             CASE WHEN j.type IN ('object', 'array') THEN j.value ELSE json_quote(j.value) END,
             {by_freeze}
         FROM change_log o, json_each(o.cols) j
         WHERE {which} AND {keep}"
    ))
}

/// Records the versions (and for frozen and sealed columns the history) of the change log row
/// just inserted.
fn bookkeeping_sql(table: &str) -> String {
    let mut sql = String::from(
        "INSERT INTO sync_versions (tbl, pk, col, hlc, device, change_id)
         SELECT o.tbl, o.pk, j.key, o.hlc, o.device_id, o.id
         FROM change_log o, json_each(o.cols) j WHERE o.seq = last_insert_rowid()
         ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
             change_id = excluded.change_id;",
    );
    if let Some(history) = history_sql(table, "o.seq = (SELECT max(seq) FROM change_log)") {
        sql.push_str(&history);
        sql.push(';');
    }
    sql
}

/// Before a local edit or delete of a sealed row that a pull brought whole (a row version, no
/// history: migration 014), its values as they were join its history at that version — what
/// `seed_history` does when a remote change of it arrives — so that the edit is settled against
/// the whole row, signature included, as on every other desk.
fn seed_history_sql(table: &str, cols: &[Column]) -> String {
    if sealed_by(table).is_none() {
        return String::new();
    }
    let (pk, _) = spec(table);
    format!(
        "INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
         SELECT v.tbl, v.pk, j.key, v.hlc, v.device, v.change_id,
             CASE WHEN j.type IN ('object', 'array') THEN j.value ELSE json_quote(j.value) END, 0
         FROM sync_row_versions v, json_each({row}) j
         WHERE v.tbl = '{table}' AND v.pk = {pk_old}
           AND NOT EXISTS (SELECT 1 FROM sync_history h WHERE h.tbl = v.tbl AND h.pk = v.pk);",
        row = full_row_json("OLD", cols),
        pk_old = pk_sql("OLD", pk),
    )
}

/// Records a delete of a sealed row in its history (the change log row just inserted).
fn delete_history_sql(table: &str) -> String {
    if sealed_by(table).is_none() {
        return String::new();
    }
    format!(
        "INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
         SELECT o.tbl, o.pk, '{DELETE_MARK}', o.hlc, o.device_id, o.id, 'null', 0
         FROM change_log o WHERE o.seq = (SELECT max(seq) FROM change_log);"
    )
}

/// A pulled page indexes the search backlog before it commits while it is at most this long
/// (an everyday page); pages of a large pull leave it to the end of the run.
const INDEX_WITH_PAGE: u32 = 200;
/// At the end of a run the backlog is indexed when it is at most this long (a few seconds of
/// work); a longer one (a desk's first pull) is left to the background (`search::catch_up`),
/// and searches say meanwhile that records are still being indexed.
const INDEX_AFTER_RUN: u32 = 20_000;

const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The columns a local change fills in the change log: id, device, `local`, then table, row,
/// op, columns, org, clock, time.
const LOG_COLUMNS: &str = "id, device_id, local, tbl, pk, op, cols, org_id, hlc, at";
/// The id a local change is inserted with: a unique stand-in until it is set to [`ID_OF_SEQ`].
/// The seq cannot be read before the insert: within one statement that changes many rows,
/// `sqlite_sequence` is only written at the statement's end.
const STAND_IN_ID: &str = "'new-' || hex(randomblob(16))";
/// A local change's id over its change log row, "<device>-<seq, 12 digits>": unique (an
/// AUTOINCREMENT seq is never given twice, whatever is compacted) and ordered like the seqs (it
/// breaks ties between the changes of one write, which share the write's clock).
const ID_OF_SEQ: &str = "device_id || '-' || printf('%012d', seq)";

/// (Re)creates the triggers of every synced table from its current columns. Run at open, so a
/// migration that adds a column is covered.
pub(crate) fn install_triggers(conn: &Connection, device: &str) -> Result<()> {
    let mut sql = String::new();
    sql.push_str(&format!(
        "UPDATE sync_state SET device = '{}', applying = 0; UPDATE search_state SET defer = 0;",
        device.replace('\'', "")
    ));
    for table in SYNCED_TABLES {
        let cols = columns(conn, table)?;
        if cols.is_empty() {
            continue;
        }
        let (pk, org) = spec(table);
        let org_new = org.replace("{R}", "NEW");
        let org_old = org.replace("{R}", "OLD");
        let freeze_cond = frozen_columns(table)
            .map(|(freezer, _)| format!("(NEW.{freezer} IS NOT NULL AND OLD.{freezer} IS NULL)"));
        let frozen: &[&str] = frozen_columns(table).map(|(_, f)| f).unwrap_or(&[]);
        let changed_rows = cols
            .iter()
            .map(|c| {
                let mut cond = format!("NEW.{n} IS NOT OLD.{n}", n = c.name);
                if let (Some(fc), true) = (&freeze_cond, frozen.contains(&c.name.as_str())) {
                    cond = format!("({cond} OR {fc})");
                }
                let v = value_sql("NEW", c);
                let json = if c.blob {
                    format!("COALESCE({v}, 'null')")
                } else {
                    format!("json_quote({v})")
                };
                format!("SELECT '{}' AS k, {json} AS v WHERE {cond}", c.name)
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let any_changed = cols
            .iter()
            .map(|c| format!("NEW.{n} IS NOT OLD.{n}", n = c.name))
            .collect::<Vec<_>>()
            .join(" OR ");
        let book = bookkeeping_sql(table);
        let delete_history = delete_history_sql(table);
        let seed = seed_history_sql(table, &cols);
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS sync_ins_{table};
             CREATE TRIGGER sync_ins_{table} AFTER INSERT ON {table}
             WHEN (SELECT applying FROM sync_state) = 0 BEGIN
               INSERT INTO change_log ({LOG_COLUMNS})
               SELECT {STAND_IN_ID}, s.device, 1, '{table}', {pk_new}, 'upsert', {row},
                   COALESCE({org_new}, ''), s.hlc, {NOW_SQL}
               FROM sync_state s;
               UPDATE change_log SET id = {ID_OF_SEQ} WHERE seq = last_insert_rowid();
               {book}
             END;
             DROP TRIGGER IF EXISTS sync_upd_{table};
             CREATE TRIGGER sync_upd_{table} AFTER UPDATE ON {table}
             WHEN (SELECT applying FROM sync_state) = 0 AND ({any_changed}) BEGIN
               {seed}
               INSERT INTO change_log ({LOG_COLUMNS})
               SELECT {STAND_IN_ID}, s.device, 1, '{table}', {pk_new}, 'upsert',
                 (SELECT json_group_object(k, json(v)) FROM ({changed_rows})),
                 COALESCE({org_new}, ''), s.hlc, {NOW_SQL}
               FROM sync_state s;
               UPDATE change_log SET id = {ID_OF_SEQ} WHERE seq = last_insert_rowid();
               {book}
             END;
             DROP TRIGGER IF EXISTS sync_del_{table};
             CREATE TRIGGER sync_del_{table} AFTER DELETE ON {table}
             WHEN (SELECT applying FROM sync_state) = 0 BEGIN
               {seed}
               INSERT INTO change_log ({LOG_COLUMNS})
               SELECT {STAND_IN_ID}, s.device, 1, '{table}', {pk_old}, 'delete', '{{}}',
                   COALESCE({org_old}, ''), s.hlc, {NOW_SQL}
               FROM sync_state s;
               UPDATE change_log SET id = {ID_OF_SEQ} WHERE seq = last_insert_rowid();
               INSERT INTO sync_tombstones (tbl, pk, hlc, device, change_id)
               SELECT o.tbl, o.pk, o.hlc, o.device_id, o.id
               FROM change_log o WHERE o.seq = last_insert_rowid()
               ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
                   change_id = excluded.change_id;
               {delete_history}
             END;",
            pk_new = pk_sql("NEW", pk),
            pk_old = pk_sql("OLD", pk),
            row = full_row_json("NEW", &cols),
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Moves the desk's HLC on for a local write (called at the start of every write).
/// Advances the desk's clock; returns the new value.
pub(crate) fn tick(conn: &Connection) -> Result<String> {
    let current: String = qrow(conn, "SELECT hlc FROM sync_state", [], |r| r.get(0))?;
    let hlc = current.parse::<Hlc>().unwrap_or_default();
    let next = hlc.tick(wall_ms()).to_string();
    exec(conn, "UPDATE sync_state SET hlc = ?1", [&next])?;
    Ok(next)
}

/// `Connection::execute` through the connection's statement cache: the apply path runs the
/// same few statements for every change of a page, and preparing one again also compiles the
/// triggers of its table (search index, tallies), the larger part of applying a change.
fn exec(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// Whether `table` has the row `where_pk` (from [`row_where`]) names.
fn row_exists(tx: &Connection, table: &str, where_pk: &str, pk_vals: &[SqlValue]) -> Result<bool> {
    Ok(qrow(
        tx,
        &format!("SELECT 1 FROM {table} WHERE {where_pk}"),
        params_from_iter(pk_vals.iter()),
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

/// `Connection::query_row` through the statement cache (see [`exec`]).
fn qrow<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

fn wall_ms() -> u64 {
    crate::now().timestamp_millis().max(0) as u64
}

/// What the desk knows about its sync (shown in 同步 and by `hearingctl sync status`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub server: Option<String>,
    pub enrolled: bool,
    pub device_id: String,
    pub cursor: String,
    pub waiting: u32,
    pub conflicts: u32,
    /// When the last successful run finished.
    pub last_sync: Option<String>,
    /// The error of the last run, if it failed.
    pub last_error: Option<String>,
    /// What kind of error that was (`offline`: the server could not be reached).
    pub last_error_code: Option<crate::ErrorCode>,
    /// When the last run (successful or not) finished.
    pub last_attempt: Option<String>,
    /// The name this device was enrolled under.
    pub device_name: Option<String>,
    /// When the desk was restored from a backup that had been enrolled: it syncs again only
    /// after a new enrolment (see `backup::restore`).
    pub restored_unenrolled: Option<String>,
    /// Records received that are not in the search index yet (a large pull's, indexed in the
    /// background after it: see [`crate::search::catch_up`]).
    pub search_pending: u32,
}

/// A change that was not applied, for a person to settle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    pub id: u32,
    pub change_id: String,
    pub table: String,
    pub pk: String,
    pub column: String,
    pub theirs: String,
    pub ours: String,
    pub reason: String,
    pub at: String,
    pub settled_at: Option<String>,
    pub settled_by: Option<String>,
    /// The row in words where it is easy (a document's kind, number and case), else empty.
    pub subject: String,
}

/// One sync run, for the history in 同步.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncRun {
    pub id: u32,
    pub started: String,
    pub finished: Option<String>,
    pub pushed: u32,
    pub pulled: u32,
    pub conflicts: u32,
    pub error: Option<String>,
}

/// What applying one page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub applied: usize,
    pub duplicates: usize,
    pub conflicts: usize,
}

fn json_to_sql(v: &Value, blobs: &HashMap<String, Vec<u8>>) -> Option<SqlValue> {
    Some(match v {
        Value::Null => SqlValue::Null,
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64()?),
        },
        Value::Object(o) => {
            let h = o.get("$blob")?.as_str()?;
            SqlValue::Blob(blobs.get(h)?.clone())
        }
        Value::Array(_) => return None,
    })
}

fn pk_values(pk: &str, pk_cols: &[&str]) -> Option<Vec<SqlValue>> {
    if pk_cols.len() == 1 {
        return Some(vec![SqlValue::Text(pk.to_owned())]);
    }
    let arr: Vec<Value> = serde_json::from_str(pk).ok()?;
    if arr.len() != pk_cols.len() {
        return None;
    }
    arr.iter()
        .map(|v| json_to_sql(v, &HashMap::new()))
        .collect()
}

type Ver = (String, String, String);

fn ver_of(c: &Change) -> Ver {
    (c.hlc.clone(), c.device_id.clone(), c.id.clone())
}

impl Store {
    /// Local changes waiting for the server (after the push cursor), oldest first, each with
    /// its seq in the change log.
    pub fn sync_outbox_page(&self, limit: usize) -> Result<Vec<(i64, Change)>> {
        let after = pushed_up_to(self.conn())?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, id, device_id, tbl, pk, op, cols, org_id, hlc, at FROM change_log
             WHERE local = 1 AND seq > ?1 AND op IN ('upsert', 'delete') ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![after, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                        r.get::<_, String>(9)?,
                    ],
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (seq, [id, device_id, table, pk, op, cols, org_id, hlc, at]) in rows {
            let cols: Map<String, Value> = serde_json::from_str(&cols)?;
            out.push((
                seq,
                Change {
                    id,
                    org_id,
                    device_id,
                    hlc,
                    table,
                    pk,
                    op: if op == "delete" {
                        Op::Delete
                    } else {
                        Op::Upsert
                    },
                    cols,
                    at,
                },
            ));
        }
        Ok(out)
    }

    /// The seq of the latest local change ever recorded (it only grows): a cheap way to notice
    /// a local write.
    pub fn sync_outbox_head(&self) -> Result<i64> {
        Ok(self
            .conn()
            .prepare_cached("SELECT COALESCE(max(seq), 0) FROM change_log WHERE local = 1")?
            .query_row([], |r| r.get(0))?)
    }

    /// Moves the push cursor to `seq` once the server has the local changes up to it. The
    /// changes stay in the log.
    pub fn sync_outbox_ack(&mut self, up_to_seq: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO desk_meta (key, value) VALUES ('sync_pushed', ?1)
             ON CONFLICT (key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), ?1) AS TEXT)",
            [up_to_seq],
        )?;
        Ok(())
    }

    /// The bytes of a blob this desk holds (a final document's PDF), by SHA-256.
    pub fn sync_blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT pdf FROM documents WHERE pdf_sha256 = ?1 AND pdf IS NOT NULL LIMIT 1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Queues every existing row that has never been recorded (data made before the desk was
    /// enrolled, or before sync existed) as a full-row change.
    ///
    /// The rows of a sealed table (testimony) are versioned one clock tick before every other
    /// table's: they were all written before any signature that is in the snapshot too (a desk
    /// adds no entry to a signed transcript), so another desk applies them even though their
    /// signed hearing reaches it first. Versioned after it, a desk's signed transcripts would
    /// arrive elsewhere without their entries.
    pub fn sync_snapshot(&mut self) -> Result<usize> {
        let mut queued = 0;
        let sealed_hlc = {
            self.enforce_foreign_keys()?;
            let tx = self.conn.transaction()?;
            let hlc = tick(&tx)?;
            tx.commit()?;
            hlc
        };
        for table in SYNCED_TABLES {
            let cols = columns(self.conn(), table)?;
            if cols.is_empty() {
                continue;
            }
            let (pk, org) = spec(table);
            let t = "t";
            let pk_expr = pk_sql(t, pk);
            let sql = format!(
                "INSERT INTO change_log ({LOG_COLUMNS})
                 SELECT {STAND_IN_ID}, ?2, 1,
                     '{table}', {pk_expr}, 'upsert', {row}, COALESCE({org}, ''), ?1, {NOW_SQL}
                 FROM {table} t
                 WHERE NOT EXISTS (SELECT 1 FROM sync_versions v WHERE v.tbl = '{table}' AND v.pk = {pk_expr})
                   AND NOT EXISTS (SELECT 1 FROM sync_row_versions v
                                   WHERE v.tbl = '{table}' AND v.pk = {pk_expr})",
                row = full_row_json(t, &cols),
                org = org.replace("{R}", t),
            );
            self.enforce_foreign_keys()?;
            let tx = self.conn.transaction()?;
            let ticked = tick(&tx)?;
            let before: i64 = qrow(
                &tx,
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0)",
                [],
                |r| r.get(0),
            )?;
            let hlc = if sealed_by(table).is_some() {
                &sealed_hlc
            } else {
                &ticked
            };
            let n = exec(&tx, &sql, params![hlc, self.device_id])?;
            // Their ids, made from the seqs they were given.
            exec(
                &tx,
                &format!("UPDATE change_log SET id = {ID_OF_SEQ} WHERE seq > ?1"),
                [before],
            )?;
            exec(
                &tx,
                "INSERT INTO sync_versions (tbl, pk, col, hlc, device, change_id)
                 SELECT o.tbl, o.pk, j.key, o.hlc, o.device_id, o.id
                 FROM change_log o, json_each(o.cols) j WHERE o.seq > ?1
                 ON CONFLICT (tbl, pk, col) DO NOTHING",
                [before],
            )?;
            if let Some(history) = history_sql(table, "o.seq > ?1") {
                exec(&tx, &history, [before])?;
            }
            tx.commit()?;
            queued += n;
        }
        Ok(queued)
    }

    /// Records an enrolment: the server's org tree (applied without echo), this desk's org and
    /// the server's device id and token. Rows recorded under the desk's earlier device id are
    /// re-labelled, so its pending changes go out under the new one.
    pub fn sync_enrolled(
        &mut self,
        server: &str,
        device_id: &str,
        token: &str,
        org_id: &str,
        orgs: &[Org],
    ) -> Result<()> {
        if let Some(current) = self.desk_org_id()? {
            if current != org_id && orgs.iter().all(|o| o.id != current) {
                return Err(StoreError::refused(format!(
                    "本机所属单位（{current}）不在服务器的单位目录中，不能用此注册码注册；\
                     请向市委政法委索取本单位的注册码"
                )));
            }
        }
        let old = self.device_id().to_owned();
        let now = crate::timestamp(crate::now());
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        exec(&tx, "UPDATE sync_state SET applying = 1", [])?;
        // Parents first, so the foreign key holds.
        let mut pending: Vec<&Org> = orgs.iter().collect();
        let mut guard = 0;
        while !pending.is_empty() && guard <= orgs.len() {
            guard += 1;
            let mut rest = Vec::new();
            for o in pending {
                let parent_ok = match &o.parent_id {
                    None => true,
                    Some(p) => qrow(&tx, "SELECT 1 FROM orgs WHERE id = ?1", [p], |_| Ok(()))
                        .optional()?
                        .is_some(),
                };
                if !parent_ok {
                    rest.push(o);
                    continue;
                }
                exec(&tx,
                    "INSERT INTO orgs (id, parent_id, name, short_name, kind, code, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
                     ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,
                         short_name = excluded.short_name, kind = excluded.kind, code = excluded.code",
                    params![
                        o.id,
                        o.parent_id,
                        o.name,
                        o.short_name,
                        if o.kind.is_empty() { "other" } else { &o.kind },
                        if o.code.is_empty() { &o.id } else { &o.code },
                        now
                    ],
                )
                .map_err(|e| {
                    StoreError::BadAnswer(format!("无法写入服务器的单位“{}”：{e}", o.name))
                })?;
                // The server's rows are known, not local work: never queued by the snapshot,
                // and any later change from the server wins over this zero version.
                for col in ["id", "parent_id", "name", "short_name", "kind", "code"] {
                    exec(
                        &tx,
                        "INSERT OR IGNORE INTO sync_versions (tbl, pk, col, hlc, device, change_id)
                         VALUES ('orgs', ?1, ?2, '0000000000000-00000', '', '')",
                        [&o.id, col],
                    )?;
                }
            }
            pending = rest;
        }
        exec(
            &tx,
            "UPDATE sync_state SET applying = 0, device = ?1",
            [device_id],
        )?;
        for (k, v) in [
            ("device_id", device_id),
            ("sync_server", server),
            ("sync_token", token),
            ("org_id", org_id),
            ("sync_cursor", "0"),
        ] {
            exec(
                &tx,
                "INSERT INTO desk_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [k, v],
            )?;
        }
        if old != device_id {
            // The server keeps each device's audit chain; a new device reports this desk's
            // chain from its first event. A restore's notice is done with.
            exec(
                &tx,
                "DELETE FROM desk_meta WHERE key IN ('sync_audit_pushed', 'restored_unenrolled')",
                [],
            )?;
        }
        // The changes not yet pushed go out under the new device id.
        let renamed = exec(
            &tx,
            "UPDATE change_log SET device_id = ?1, id = ?1 || substr(id, length(?2) + 1)
             WHERE local = 1 AND device_id = ?2 AND seq > ?3",
            params![device_id, &old, pushed_up_to(&tx)?],
        )?;
        for t in [
            "sync_versions",
            "sync_row_versions",
            "sync_tombstones",
            "sync_history",
        ] {
            exec(
                &tx,
                &format!(
                    "UPDATE {t} SET device = ?1, change_id = ?1 || substr(change_id, length(?2) + 1)
                     WHERE device = ?2"
                ),
                [device_id, &old],
            )?;
        }
        // Which org the desk works for decides what it may write, and the audit events written
        // before name the renamed changes by their old ids: both are recorded.
        let org_name = crate::orgs::get(&tx, org_id)
            .map(|o| o.name)
            .unwrap_or_else(|_| org_id.to_owned());
        let mut summary =
            format!("本机注册到同步服务器 {server}，属于“{org_name}”，设备 {device_id}");
        if renamed > 0 {
            summary.push_str(&format!(
                "；尚未上报的 {renamed} 条更改改用本设备编号（原 {old}-序号，现 {device_id}-序号，序号不变）"
            ));
        }
        crate::audit::append(
            &tx,
            &crate::audit::NewEvent {
                at: &now,
                actor: &self.actor,
                device_id,
                action: "同步注册",
                entity: "desk",
                entity_id: device_id,
                summary: &summary,
                change_ids: &[],
                case_id: None,
            },
        )?;
        tx.commit()?;
        self.device_id = device_id.to_owned();
        Ok(())
    }

    /// The server URL and token, if this desk is enrolled.
    pub fn sync_credentials(&self) -> Result<Option<(String, String)>> {
        Ok(
            match (
                meta_get(self.conn(), "sync_server")?,
                meta_get(self.conn(), "sync_token")?,
            ) {
                (Some(s), Some(t)) => Some((s, t)),
                _ => None,
            },
        )
    }

    pub fn sync_cursor(&self) -> Result<String> {
        Ok(meta_get(self.conn(), "sync_cursor")?.unwrap_or_else(|| "0".into()))
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let c = self.conn();
        let waiting: i64 = c.query_row(
            "SELECT count(*) FROM change_log WHERE local = 1 AND seq > ?1",
            [pushed_up_to(c)?],
            |r| r.get(0),
        )?;
        let conflicts: i64 = c.query_row(
            "SELECT count(*) FROM sync_conflicts WHERE settled_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        let last: Option<(Option<String>, Option<String>, Option<String>)> = c
            .query_row(
                "SELECT finished, error, error_code FROM sync_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let last_ok: Option<String> = c
            .query_row(
                "SELECT finished FROM sync_runs WHERE error IS NULL AND finished IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(SyncStatus {
            server: meta_get(c, "sync_server")?,
            enrolled: meta_get(c, "sync_token")?.is_some(),
            device_id: self.device_id().to_owned(),
            cursor: self.sync_cursor()?,
            waiting: waiting as u32,
            conflicts: conflicts as u32,
            last_sync: last_ok,
            last_attempt: last.as_ref().and_then(|(f, _, _)| f.clone()),
            last_error_code: last
                .as_ref()
                .and_then(|(_, _, code)| code.as_deref())
                .and_then(crate::ErrorCode::parse),
            last_error: last.and_then(|(_, e, _)| e),
            device_name: meta_get(c, "sync_device_name")?,
            restored_unenrolled: meta_get(c, "restored_unenrolled")?,
            search_pending: crate::search::pending(c)?,
        })
    }

    /// The most recent sync runs, newest first.
    pub fn sync_runs(&self, limit: u32) -> Result<Vec<SyncRun>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, started, finished, pushed, pulled, conflicts, error
             FROM sync_runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(SyncRun {
                    id: r.get(0)?,
                    started: r.get(1)?,
                    finished: r.get(2)?,
                    pushed: r.get(3)?,
                    pulled: r.get(4)?,
                    conflicts: r.get(5)?,
                    error: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Marks a conflict as settled by the store's actor (someone compared both values and acted
    /// on them); recorded in the audit trail. Settling a settled conflict changes nothing.
    pub fn sync_settle_conflict(&mut self, id: u32) -> Result<SyncConflict> {
        let now = crate::timestamp(crate::now());
        let actor = self.actor.clone();
        let device = self.device_id().to_owned();
        let found: Option<(String, String, String, bool)> = self
            .conn
            .query_row(
                "SELECT tbl, pk, col, settled_at IS NOT NULL FROM sync_conflicts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((table, pk, col, settled)) = found else {
            return Err(StoreError::not_found("同步冲突", &id.to_string()));
        };
        // Settling says someone compared both values and acted on them: it needs the right to
        // change what the conflict is about.
        self.require(settle_permission(&table))?;
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        if !settled {
            exec(
                &tx,
                "UPDATE sync_conflicts SET settled_at = ?2, settled_by = ?3 WHERE id = ?1",
                params![id, now, actor],
            )?;
            let subject = row_subject(&tx, &table, &pk)?;
            let summary = format!(
                "同步冲突 #{id} 已处理：{}{}的“{col}”",
                table_label(&table),
                if subject.is_empty() {
                    format!("（{pk}）")
                } else {
                    format!("“{subject}”")
                }
            );
            crate::audit::append(
                &tx,
                &crate::audit::NewEvent {
                    at: &now,
                    actor: &actor,
                    device_id: &device,
                    action: "处理同步冲突",
                    entity: "sync_conflict",
                    entity_id: &id.to_string(),
                    summary: &summary,
                    change_ids: &[],
                    case_id: None,
                },
            )?;
        }
        tx.commit()?;
        self.sync_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::not_found("同步冲突", &id.to_string()))
    }

    /// Records the outcome of a sync run.
    pub fn sync_record_run(
        &mut self,
        started: &str,
        pushed: usize,
        pulled: usize,
        conflicts: usize,
        error: Option<&StoreError>,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sync_runs (started, finished, pushed, pulled, conflicts, error, error_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                started,
                crate::timestamp(crate::now()),
                pushed as i64,
                pulled as i64,
                conflicts as i64,
                error.map(|e| e.to_string()),
                error.map(|e| e.code().as_str())
            ],
        )?;
        Ok(())
    }

    pub fn sync_conflicts(&self) -> Result<Vec<SyncConflict>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, change_id, tbl, pk, col, theirs, ours, reason, at, settled_at, settled_by
             FROM sync_conflicts ORDER BY id",
        )?;
        let mut rows = stmt
            .query_map([], |r| {
                Ok(SyncConflict {
                    id: r.get(0)?,
                    change_id: r.get(1)?,
                    table: r.get(2)?,
                    pk: r.get(3)?,
                    column: r.get(4)?,
                    theirs: r.get(5)?,
                    ours: r.get(6)?,
                    reason: r.get(7)?,
                    at: r.get(8)?,
                    settled_at: r.get(9)?,
                    settled_by: r.get(10)?,
                    subject: String::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for c in &mut rows {
            c.subject = row_subject(self.conn(), &c.table, &c.pk)?;
        }
        Ok(rows)
    }

    /// Applies a pulled page and stores `cursor`, in one transaction: after a crash either both
    /// happened or neither. `blobs` holds the bytes of the blobs the page refers to.
    ///
    /// Not through [`Store::write`], on purpose: what a pull writes is other desks' changes,
    /// already made and checked by their owners and the server — not this operator's step, so no
    /// role applies and the triggers (which would log them again as local work) are off. Each
    /// change is logged as received ([`log_pulled`]) and the page is one audit event.
    pub fn sync_apply_page(
        &mut self,
        changes: &[Change],
        cursor: &str,
        blobs: &HashMap<String, Vec<u8>>,
    ) -> Result<ApplyReport> {
        let mut cols_of: BTreeMap<String, Vec<Column>> = BTreeMap::new();
        for t in SYNCED_TABLES {
            cols_of.insert(t.to_owned(), columns(self.conn(), t)?);
        }
        let actor = self.actor.clone();
        let device = self.device_id().to_owned();
        // A page may bring a child whose parent is outside this desk's view: foreign keys are
        // off while applying (for all the pages of a pull, see `pull_all`).
        self.relax_foreign_keys()?;
        let result = (|| -> Result<ApplyReport> {
            let tx = self.conn.transaction()?;
            exec(&tx, "UPDATE sync_state SET applying = 1", [])?;
            // The page's records are indexed for search together at the end (migration 013).
            exec(&tx, "UPDATE search_state SET defer = 1", [])?;
            let mut report = ApplyReport::default();
            let hlc: Hlc = qrow(&tx, "SELECT hlc FROM sync_state", [], |r| {
                r.get::<_, String>(0)
            })?
            .parse()
            .unwrap_or_default();
            let mut ctx = Apply {
                cols_of: &cols_of,
                blobs,
                device: &device,
                actor: &actor,
                hlc,
                numbers: changes
                    .iter()
                    .filter(|c| c.table == "cases")
                    .filter_map(|c| c.cols.get("number")?.as_str().map(str::to_owned))
                    .collect(),
            };
            for c in changes {
                let fresh = log_pulled(&tx, c)?;
                if !fresh || c.device_id == device {
                    report.duplicates += 1;
                    continue;
                }
                match c.validate() {
                    Ok(remote) => ctx.hlc = ctx.hlc.receive(remote, wall_ms()),
                    Err(msg) => {
                        conflict(&tx, c, "*", "null", &msg)?;
                        report.conflicts += 1;
                        continue;
                    }
                }
                exec(&tx, "SAVEPOINT change", [])?;
                match apply_one(&tx, c, &mut ctx) {
                    Ok(n) => {
                        exec(&tx, "RELEASE change", [])?;
                        report.applied += 1;
                        report.conflicts += n;
                    }
                    Err(e) => {
                        exec(&tx, "ROLLBACK TO change", [])?;
                        exec(&tx, "RELEASE change", [])?;
                        conflict(&tx, c, "*", "null", &format!("无法应用：{e}"))?;
                        report.conflicts += 1;
                    }
                }
            }
            exec(
                &tx,
                "UPDATE sync_state SET applying = 0, hlc = ?1",
                [ctx.hlc.to_string()],
            )?;
            exec(&tx, "UPDATE search_state SET defer = 0", [])?;
            // A short backlog (the everyday pull) is searchable when the page is; a long one (a
            // large pull) is indexed after the run (see `run`).
            if crate::search::pending(&tx)? <= INDEX_WITH_PAGE {
                crate::search::index_backlog(&tx, None)?;
            }
            exec(
                &tx,
                "INSERT INTO desk_meta (key, value) VALUES ('sync_cursor', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [cursor],
            )?;
            if report.applied > 0 || report.conflicts > 0 {
                let now = crate::timestamp(crate::now());
                let summary = format!(
                    "从服务器接收更改 {} 条{}",
                    report.applied,
                    if report.conflicts > 0 {
                        format!("，待处理冲突 {} 条", report.conflicts)
                    } else {
                        String::new()
                    }
                );
                crate::audit::append(
                    &tx,
                    &crate::audit::NewEvent {
                        at: &now,
                        actor: &actor,
                        device_id: &device,
                        action: "同步接收",
                        entity: "sync",
                        entity_id: cursor,
                        summary: &summary,
                        change_ids: &[],
                        case_id: None,
                    },
                )?;
            }
            tx.commit()?;
            Ok(report)
        })();
        if !self.pulling {
            self.enforce_foreign_keys()?;
        }
        result
    }
}

/// The push cursor: the seq of the last local change the server acknowledged.
pub(crate) fn pushed_up_to(conn: &Connection) -> Result<i64> {
    Ok(meta_get(conn, "sync_pushed")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Appends a pulled change to the change log — its id, clock, org, device, table, row and the
/// names of the columns it sets (the values are in the rows) — unless the log has it already.
/// Returns whether it was new.
fn log_pulled(tx: &Connection, c: &Change) -> Result<bool> {
    let names = Value::Array(c.cols.keys().map(|k| Value::String(k.clone())).collect());
    let n = exec(
        tx,
        "INSERT INTO change_log (id, hlc, org_id, device_id, tbl, pk, op, cols, at, local)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0) ON CONFLICT (id) DO NOTHING",
        params![
            c.id,
            c.hlc,
            c.org_id,
            c.device_id,
            c.table,
            c.pk,
            match c.op {
                Op::Delete => "delete",
                Op::Upsert => "upsert",
            },
            names.to_string(),
            c.at
        ],
    )?;
    Ok(n > 0)
}

/// A synced table in words, for people.
/// Who may settle a conflict on `table`: whoever may change its rows.
fn settle_permission(table: &str) -> Permission {
    match table {
        "persons" => Permission::EditPersons,
        "hearings" | "participants" | "challenges" => Permission::PlanHearings,
        "testimony" | "evidence" => Permission::RecordHearing,
        "opinions" => Permission::Deliberate,
        "approvals" | "followups" => Permission::ApproveClosure,
        "documents" => Permission::ManageDocuments,
        "cases" | "petitioners" | "leader_assignments" | "supervision_slips" | "visit_reviews" => {
            Permission::EditCases
        }
        _ => Permission::ManageSettings,
    }
}

pub fn table_label(table: &str) -> &str {
    match table {
        "orgs" => "单位",
        "persons" => "人员",
        "cases" => "案件",
        "hearings" => "听证会",
        "documents" => "文书",
        "petitioners" => "信访人",
        "approvals" => "审批意见",
        "leader_assignments" => "包案领导",
        "supervision_slips" => "督办单",
        "visit_reviews" => "逢访必查",
        "followups" => "回访",
        "participants" => "听证参加人",
        "testimony" => "听证笔录",
        "evidence" => "证据",
        "opinions" => "评议意见",
        "challenges" => "质证意见",
        other => other,
    }
}

/// The row in words where it is easy: a document's kind, number (or person) and case, a
/// case's number and title, a hearing's case, a person's or an org's name. Empty otherwise.
fn row_subject(conn: &Connection, table: &str, pk: &str) -> Result<String> {
    let q = |sql: &str| -> Result<Option<String>> {
        Ok(conn.query_row(sql, [pk], |r| r.get(0)).optional()?)
    };
    let text = match table {
        "documents" => {
            let row: Option<(String, String, String, String)> = conn
                .query_row(
                    "SELECT d.kind, d.number, d.subject_name, COALESCE(c.title, '')
                     FROM documents d LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?1",
                    [pk],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            row.map(|(kind, number, person, case)| {
                let label = hearing_docs::DocKind::parse(&kind)
                    .map(|k| k.label().to_owned())
                    .unwrap_or(kind);
                let which = [number, person]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("，");
                let mut out = label;
                if !which.is_empty() {
                    out.push_str(&format!("（{which}）"));
                }
                if !case.is_empty() {
                    out.push_str(&format!("，{case}"));
                }
                out
            })
        }
        "cases" => q("SELECT trim(number || ' ' || title) FROM cases WHERE id = ?1")?,
        "hearings" => q("SELECT title FROM hearings WHERE id = ?1")?,
        "persons" => q("SELECT name FROM persons WHERE id = ?1")?,
        "orgs" => q("SELECT name FROM orgs WHERE id = ?1")?,
        // An entry not applied here is named from its history.
        "testimony" => q(
            "SELECT trim(COALESCE(h.title, '') || ' 笔录第 ' || t.seq || ' 条（' || t.speaker_name || '）')
             FROM testimony t LEFT JOIN hearings h ON h.id = t.hearing_id WHERE t.id = ?1",
        )?
        .or(q(
            "SELECT '笔录条目（' || json_extract(value, '$') || '）' FROM sync_history
             WHERE tbl = 'testimony' AND pk = ?1 AND col = 'speaker_name'
             ORDER BY hlc DESC, device DESC, change_id DESC LIMIT 1",
        )?),
        _ => None,
    };
    Ok(text.unwrap_or_default())
}

fn conflict(tx: &Connection, c: &Change, col: &str, ours: &str, reason: &str) -> Result<()> {
    let theirs = if col == "*" {
        Value::Object(c.cols.clone()).to_string()
    } else {
        c.cols.get(col).cloned().unwrap_or(Value::Null).to_string()
    };
    exec(
        tx,
        "INSERT OR IGNORE INTO sync_conflicts (change_id, tbl, pk, col, theirs, ours, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            c.id,
            c.table,
            c.pk,
            col,
            theirs,
            ours,
            reason,
            crate::timestamp(crate::now())
        ],
    )?;
    Ok(())
}

fn newer(tx: &Connection, sql: &str, table: &str, pk: &str, v: &Ver) -> Result<bool> {
    Ok(qrow(tx, sql, params![table, pk, v.0, v.1, v.2], |_| Ok(()))
        .optional()?
        .is_some())
}

/// What applying a page needs besides each change: the tables' columns, the blobs' bytes, and
/// this desk's identity and clock for a change it makes itself (renumbering its own case).
struct Apply<'a> {
    cols_of: &'a BTreeMap<String, Vec<Column>>,
    blobs: &'a HashMap<String, Vec<u8>>,
    device: &'a str,
    actor: &'a str,
    hlc: Hlc,
    /// The case numbers the page brings (a renumbered case takes none of them).
    numbers: Vec<String>,
}

/// The `WHERE` of a row by its primary key (`?1`…) and the key's values.
fn row_where(table: &str, pk: &str) -> Result<(String, Vec<SqlValue>)> {
    let (pk_cols, _) = spec(table);
    let pk_vals = pk_values(pk, pk_cols)
        .ok_or_else(|| StoreError::BadAnswer(format!("主键“{pk}”格式错误")))?;
    let where_pk = pk_cols
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ");
    Ok((where_pk, pk_vals))
}

/// Applies one change; returns the number of conflicts it made.
fn apply_one(tx: &Connection, c: &Change, ctx: &mut Apply) -> Result<usize> {
    let table = c.table.as_str();
    let cols = ctx
        .cols_of
        .get(table)
        .ok_or_else(|| StoreError::BadAnswer(format!("未知的数据表 {table}")))?;
    if let Some(seal) = sealed_by(table) {
        return apply_sealed(tx, c, seal, cols);
    }
    let mut conflicts = apply_row(tx, c, cols, ctx)?;
    if let Some(seal) = seals(c) {
        // A signature: kept whether or not its other columns win, and the rows it seals are
        // settled again (an edit that came first is taken back).
        let value = c
            .cols
            .get(seal.column)
            .map(Value::to_string)
            .unwrap_or_else(|| "null".into());
        insert_history(
            tx,
            seal.parent,
            &c.pk,
            seal.column,
            &ver_of(c),
            &value,
            true,
        )?;
        conflicts += settle_children(tx, seal, &c.pk, ctx.cols_of)?;
    }
    Ok(conflicts)
}

/// Applies one change to a row by the per-column rules (last writer wins, tombstones, frozen
/// documents, case numbers kept unique).
fn apply_row(tx: &Connection, c: &Change, cols: &[Column], ctx: &mut Apply) -> Result<usize> {
    let table = c.table.as_str();
    let blobs = ctx.blobs;
    let (where_pk, pk_vals) = row_where(table, &c.pk)?;
    let v = ver_of(c);
    let exists = row_exists(tx, table, &where_pk, &pk_vals)?;
    let tomb_newer = newer(
        tx,
        "SELECT 1 FROM sync_tombstones WHERE tbl = ?1 AND pk = ?2 AND (hlc, device, change_id) >= (?3, ?4, ?5)",
        table,
        &c.pk,
        &v,
    )?;

    if c.op == Op::Delete {
        if tomb_newer {
            return Ok(0);
        }
        exec(tx,
            "INSERT INTO sync_tombstones (tbl, pk, hlc, device, change_id) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
                 change_id = excluded.change_id",
            params![table, c.pk, v.0, v.1, v.2],
        )?;
        let kept = newer(
            tx,
            "SELECT 1 FROM sync_versions WHERE tbl = ?1 AND pk = ?2 AND (hlc, device, change_id) > (?3, ?4, ?5)
             UNION ALL SELECT 1 FROM sync_row_versions
                 WHERE tbl = ?1 AND pk = ?2 AND (hlc, device, change_id) > (?3, ?4, ?5)
             LIMIT 1",
            table,
            &c.pk,
            &v,
        )?;
        if exists && !kept {
            exec(
                tx,
                &format!("DELETE FROM {table} WHERE {where_pk}"),
                params_from_iter(pk_vals.iter()),
            )?;
        }
        return Ok(0);
    }
    if tomb_newer {
        return Ok(0);
    }

    let frozen: &[&str] = frozen_columns(table).map(|(_, f)| f).unwrap_or(&[]);
    if !exists && frozen.is_empty() {
        if let Some(mut set) = new_whole_row(tx, c, cols, ctx.blobs)? {
            if table == "cases" {
                settle_number(tx, c, &mut set, ctx)?;
            }
            write_row(tx, table, &where_pk, &pk_vals, false, set)?;
            set_row_version(tx, table, &c.pk, &v)?;
            return Ok(0);
        }
    }
    let by_freeze = hearing_sync::merge::freezes(c);
    let mut conflicts = 0;
    let mut set: Vec<(String, SqlValue)> = Vec::new();
    let mut frozen_touched = false;
    for (col, value) in &c.cols {
        if !cols.iter().any(|k| &k.name == col) {
            conflict(tx, c, col, "null", "本机数据库没有这个字段（版本不一致）")?;
            conflicts += 1;
            continue;
        }
        if frozen.contains(&col.as_str()) {
            exec(tx,
                "INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![table, c.pk, col, v.0, v.1, v.2, value.to_string(), by_freeze],
            )?;
            frozen_touched = true;
            continue;
        }
        let wins = !column_newer(tx, table, &c.pk, col, &v)?;
        if !wins {
            continue;
        }
        let Some(sql) = json_to_sql(value, blobs) else {
            conflict(tx, c, col, "null", "缺少附件内容或值无法识别")?;
            conflicts += 1;
            continue;
        };
        set.push((col.clone(), sql));
        set_version(tx, table, &c.pk, col, &v)?;
    }
    if frozen_touched {
        conflicts += settle_frozen(tx, c, table, frozen, blobs, &mut set)?;
    }
    if set.is_empty() {
        return Ok(conflicts);
    }
    if table == "cases" {
        settle_number(tx, c, &mut set, ctx)?;
    }
    write_row(tx, table, &where_pk, &pk_vals, exists, set)?;
    Ok(conflicts)
}

/// Writes `set` to a row: an update if it `exists`, else an insert.
fn write_row(
    tx: &Connection,
    table: &str,
    where_pk: &str,
    pk_vals: &[SqlValue],
    exists: bool,
    set: Vec<(String, SqlValue)>,
) -> Result<()> {
    let (pk_cols, _) = spec(table);
    if exists {
        let assigns = set
            .iter()
            .enumerate()
            .map(|(i, (k, _))| format!("{k} = ?{}", i + 1 + pk_vals.len()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut values: Vec<SqlValue> = pk_vals.to_vec();
        values.extend(set.into_iter().map(|(_, v)| v));
        exec(
            tx,
            &format!("UPDATE {table} SET {assigns} WHERE {where_pk}"),
            params_from_iter(values.iter()),
        )?;
    } else {
        let mut names: Vec<String> = pk_cols.iter().map(|s| (*s).to_owned()).collect();
        let mut values: Vec<SqlValue> = pk_vals.to_vec();
        for (k, v) in set {
            if !names.contains(&k) {
                names.push(k);
                values.push(v);
            }
        }
        let marks = (1..=values.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        exec(
            tx,
            &format!(
                "INSERT INTO {table} ({}) VALUES ({marks})",
                names.join(", ")
            ),
            params_from_iter(values.iter()),
        )?;
    }
    Ok(())
}

/// The columns of a row that a change brings here for the first time, whole (see migration 014):
/// `None` unless the change sets every column of the table, each value is readable, and nothing
/// is known here of the row — no version, no row version, no tombstone, no history (the caller
/// has seen that the row is not here).
fn new_whole_row(
    tx: &Connection,
    c: &Change,
    cols: &[Column],
    blobs: &HashMap<String, Vec<u8>>,
) -> Result<Option<Vec<(String, SqlValue)>>> {
    if c.op != Op::Upsert || c.cols.len() != cols.len() {
        return Ok(None);
    }
    let mut set = Vec::with_capacity(cols.len());
    for k in cols {
        let Some(sql) = c.cols.get(&k.name).and_then(|v| json_to_sql(v, blobs)) else {
            return Ok(None);
        };
        set.push((k.name.clone(), sql));
    }
    let unknown: bool = qrow(
        tx,
        "SELECT NOT EXISTS (SELECT 1 FROM sync_versions WHERE tbl = ?1 AND pk = ?2)
            AND NOT EXISTS (SELECT 1 FROM sync_row_versions WHERE tbl = ?1 AND pk = ?2)
            AND NOT EXISTS (SELECT 1 FROM sync_tombstones WHERE tbl = ?1 AND pk = ?2)
            AND NOT EXISTS (SELECT 1 FROM sync_history WHERE tbl = ?1 AND pk = ?2)",
        [&c.table, &c.pk],
        |r| r.get(0),
    )?;
    Ok(unknown.then_some(set))
}

/// Records one version for every column of a row (migration 014).
fn set_row_version(tx: &Connection, table: &str, pk: &str, v: &Ver) -> Result<()> {
    exec(
        tx,
        "INSERT INTO sync_row_versions (tbl, pk, hlc, device, change_id) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
             change_id = excluded.change_id",
        params![table, pk, v.0, v.1, v.2],
    )?;
    Ok(())
}

/// Whether the column's version (its own, or its row's) is `v` or newer.
fn column_newer(tx: &Connection, table: &str, pk: &str, col: &str, v: &Ver) -> Result<bool> {
    Ok(qrow(
        tx,
        "SELECT 1 FROM sync_versions WHERE tbl = ?1 AND pk = ?2 AND col = ?3
             AND (hlc, device, change_id) >= (?4, ?5, ?6)
         UNION ALL SELECT 1 FROM sync_row_versions WHERE tbl = ?1 AND pk = ?2
             AND (hlc, device, change_id) >= (?4, ?5, ?6)
         LIMIT 1",
        params![table, pk, col, v.0, v.1, v.2],
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

fn set_version(tx: &Connection, table: &str, pk: &str, col: &str, v: &Ver) -> Result<()> {
    exec(tx,
        "INSERT INTO sync_versions (tbl, pk, col, hlc, device, change_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
             change_id = excluded.change_id",
        params![table, pk, col, v.0, v.1, v.2],
    )?;
    Ok(())
}

/// Recomputes a frozen row's content from its history (the earliest freeze counts; content a
/// freeze carries always counts; a later ordinary edit is a conflict) and records new conflicts.
fn settle_frozen(
    tx: &Connection,
    c: &Change,
    table: &str,
    frozen: &[&str],
    blobs: &HashMap<String, Vec<u8>>,
    set: &mut Vec<(String, SqlValue)>,
) -> Result<usize> {
    let frozen_at: Option<Ver> = qrow(tx,
            "SELECT hlc, device, change_id FROM sync_history WHERE tbl = ?1 AND pk = ?2 AND by_freeze = 1
             ORDER BY hlc, device, change_id LIMIT 1",
            [table, &c.pk],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut conflicts = 0;
    for col in frozen {
        let mut stmt = tx.prepare_cached(
            "SELECT hlc, device, change_id, value, by_freeze FROM sync_history
             WHERE tbl = ?1 AND pk = ?2 AND col = ?3 ORDER BY hlc DESC, device DESC, change_id DESC",
        )?;
        let writes = stmt
            .query_map([table, &c.pk, col], |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ),
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if writes.is_empty() {
            continue;
        }
        let admits =
            |v: &Ver, by_freeze: bool| by_freeze || frozen_at.as_ref().is_none_or(|f| v <= f);
        let winner = writes.iter().find(|(v, _, f)| admits(v, *f));
        let ours = winner
            .map(|(_, val, _)| val.clone())
            .unwrap_or_else(|| "null".into());
        for (v, val, f) in &writes {
            if !admits(v, *f) {
                let n = exec(tx,
                    "INSERT OR IGNORE INTO sync_conflicts (change_id, tbl, pk, col, theirs, ours, reason, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        v.2,
                        table,
                        c.pk,
                        col,
                        val,
                        ours,
                        "文书已定稿，定稿后的修改未应用",
                        crate::timestamp(crate::now())
                    ],
                )?;
                conflicts += n;
            }
        }
        if let Some((v, val, _)) = winner {
            let value: Value = serde_json::from_str(val)?;
            if let Some(sql) = json_to_sql(&value, blobs) {
                set.push(((*col).to_owned(), sql));
                set_version(tx, table, &c.pk, col, v)?;
            } else if value.get("$blob").is_some() {
                // The blob is not here (the local PDF is kept if it has one).
            }
        }
    }
    Ok(conflicts)
}

/// The version of a value that was never synced (data made before the desk kept versions): it
/// is older than any change.
fn zero_ver() -> Ver {
    ("0000000000000-00000".into(), String::new(), String::new())
}

/// The version of a column's value: the newer of its own and its row's.
fn column_version(tx: &Connection, table: &str, pk: &str, col: &str) -> Result<Option<Ver>> {
    Ok(qrow(
        tx,
        "SELECT hlc, device, change_id FROM (
             SELECT hlc, device, change_id FROM sync_versions WHERE tbl = ?1 AND pk = ?2 AND col = ?3
             UNION ALL SELECT hlc, device, change_id FROM sync_row_versions WHERE tbl = ?1 AND pk = ?2)
         ORDER BY hlc DESC, device DESC, change_id DESC LIMIT 1",
        params![table, pk, col],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?)
}

fn insert_history(
    tx: &Connection,
    table: &str,
    pk: &str,
    col: &str,
    v: &Ver,
    value: &str,
    by_freeze: bool,
) -> Result<()> {
    exec(tx,
        "INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![table, pk, col, v.0, v.1, v.2, value, by_freeze],
    )?;
    Ok(())
}

/// Gives a sealed row that is here but has no history (made before the history was kept) its
/// current values as history, at the versions they have (or the zero version).
fn seed_history(tx: &Connection, table: &str, pk: &str, cols: &[Column]) -> Result<()> {
    let known = qrow(
        tx,
        "SELECT 1 FROM sync_history WHERE tbl = ?1 AND pk = ?2 LIMIT 1",
        [table, pk],
        |_| Ok(()),
    )
    .optional()?
    .is_some();
    if known || cols.is_empty() {
        return Ok(());
    }
    let (where_pk, pk_vals) = row_where(table, pk)?;
    let row: Option<String> = qrow(
        tx,
        &format!(
            "SELECT {} FROM {table} t WHERE {where_pk}",
            full_row_json("t", cols)
        ),
        params_from_iter(pk_vals.iter()),
        |r| r.get(0),
    )
    .optional()?;
    let Some(row) = row else {
        return Ok(());
    };
    let row: Map<String, Value> = serde_json::from_str(&row)?;
    for (col, value) in &row {
        let v = column_version(tx, table, pk, col)?.unwrap_or_else(zero_ver);
        insert_history(tx, table, pk, col, &v, &value.to_string(), false)?;
    }
    Ok(())
}

/// Applies a change of a sealed row (a testimony entry): it joins the row's history, and the row
/// is settled from that history.
fn apply_sealed(tx: &Connection, c: &Change, seal: &Seal, cols: &[Column]) -> Result<usize> {
    let table = c.table.as_str();
    // A new entry, whole, written before its transcript's signature (if one is here): written
    // with its row version and no history, which it gets when a change of it or of its
    // hearing's signature comes (seed_history).
    let (where_pk, pk_vals) = row_where(table, &c.pk)?;
    let parent = c.cols.get(seal.fk).and_then(Value::as_str);
    if let Some(parent) = parent {
        let v = ver_of(c);
        let signed_before = sealed_at(tx, seal, parent)?.is_some_and(|s| s < v);
        if !signed_before && !row_exists(tx, table, &where_pk, &pk_vals)? {
            let no_blobs = HashMap::new();
            if let Some(set) = new_whole_row(tx, c, cols, &no_blobs)? {
                write_row(tx, table, &where_pk, &pk_vals, false, set)?;
                set_row_version(tx, table, &c.pk, &v)?;
                return Ok(0);
            }
        }
    }
    seed_history(tx, table, &c.pk, cols)?;
    let v = ver_of(c);
    let mut conflicts = 0;
    match c.op {
        Op::Delete => insert_history(tx, table, &c.pk, DELETE_MARK, &v, "null", false)?,
        Op::Upsert => {
            for (col, value) in &c.cols {
                if !cols.iter().any(|k| &k.name == col) {
                    conflict(tx, c, col, "null", "本机数据库没有这个字段（版本不一致）")?;
                    conflicts += 1;
                    continue;
                }
                insert_history(tx, table, &c.pk, col, &v, &value.to_string(), false)?;
            }
        }
    }
    Ok(conflicts + settle_sealed(tx, seal, table, &c.pk, cols)?)
}

/// The version of the parent's earliest signature (what seals its rows), if it is signed here.
fn sealed_at(tx: &Connection, seal: &Seal, parent: &str) -> Result<Option<Ver>> {
    // The column is written out: bound, it would be compared with the partial index
    // sync_history_parent's condition, and SQLite prepares such a statement again whenever the
    // value is bound anew (every change).
    Ok(qrow(
        tx,
        &format!(
            "SELECT hlc, device, change_id FROM sync_history
                 WHERE tbl = ?1 AND pk = ?2 AND col = '{}' AND by_freeze = 1
                 ORDER BY hlc, device, change_id LIMIT 1",
            seal.column
        ),
        params![seal.parent, parent],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?)
}

/// Recomputes a sealed row from its history: the parent's earliest signature counts; what was
/// written (or deleted) before it applies by the usual rules, every change after it is kept as
/// a conflict next to the value kept. Returns the number of new conflicts.
fn settle_sealed(
    tx: &Connection,
    seal: &Seal,
    table: &str,
    pk: &str,
    cols: &[Column],
) -> Result<usize> {
    // The column written out, as in `sealed_at`.
    let parent: Option<String> = qrow(
        tx,
        &format!(
            "SELECT value FROM sync_history WHERE tbl = ?1 AND pk = ?2 AND col = '{}'
                 ORDER BY hlc, device, change_id LIMIT 1",
            seal.fk
        ),
        params![table, pk],
        |r| r.get::<_, String>(0),
    )
    .optional()?
    .and_then(|v| {
        serde_json::from_str::<Value>(&v)
            .ok()?
            .as_str()
            .map(str::to_owned)
    });
    let sealed_at: Option<Ver> = match &parent {
        Some(p) => sealed_at(tx, seal, p)?,
        None => None,
    };
    let before = |v: &Ver| sealed_at.as_ref().is_none_or(|s| v <= s);

    // The row's changes in version order: what each set (`None`: a delete).
    let mut stmt = tx.prepare_cached(
        "SELECT hlc, device, change_id, col, value FROM sync_history
         WHERE tbl = ?1 AND pk = ?2 ORDER BY hlc, device, change_id",
    )?;
    let writes = stmt
        .query_map([table, pk], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ),
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut changes: BTreeMap<Ver, Option<Map<String, Value>>> = BTreeMap::new();
    for (v, col, value) in writes {
        if col == DELETE_MARK {
            changes.insert(v, None);
            continue;
        }
        let value: Value = serde_json::from_str(&value)?;
        if let Some(m) = changes.entry(v).or_insert_with(|| Some(Map::new())) {
            m.insert(col, value);
        }
    }
    let tomb: Option<Ver> = changes
        .iter()
        .filter(|(v, set)| set.is_none() && before(v))
        .map(|(v, _)| v.clone())
        .max();
    let mut kept: BTreeMap<String, (Ver, Value)> = BTreeMap::new();
    for (v, set) in &changes {
        let Some(set) = set else {
            continue;
        };
        if !before(v) || tomb.as_ref().is_some_and(|t| v <= t) {
            continue;
        }
        for (k, value) in set {
            kept.insert(k.clone(), (v.clone(), value.clone()));
        }
    }

    let mut made = 0;
    let at = crate::timestamp(crate::now());
    for (v, set) in changes.iter().filter(|(v, _)| !before(v)) {
        let late = sealed_conflict(seal, set.as_ref());
        let value = |k: &str| kept.get(k).map(|(_, v)| v.clone()).unwrap_or(Value::Null);
        let ours = if kept.is_empty() {
            Value::Null
        } else if late.column != "*" {
            value(&late.column)
        } else if let Value::Object(theirs) = &late.theirs {
            Value::Object(theirs.keys().map(|k| (k.clone(), value(k))).collect())
        } else {
            Value::Object(
                kept.iter()
                    .map(|(k, (_, v))| (k.clone(), v.clone()))
                    .collect(),
            )
        };
        let known = qrow(
            tx,
            "SELECT 1 FROM sync_conflicts WHERE change_id = ?1 AND col = ?2",
            [&v.2, &late.column],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
        // The value kept may change as more changes arrive: an open conflict shows the latest.
        exec(
            tx,
            "INSERT INTO sync_conflicts (change_id, tbl, pk, col, theirs, ours, reason, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (change_id, col) DO UPDATE SET ours = excluded.ours
             WHERE settled_at IS NULL",
            params![
                v.2,
                table,
                pk,
                late.column,
                late.theirs.to_string(),
                ours.to_string(),
                late.reason,
                at
            ],
        )?;
        if !known {
            made += 1;
        }
    }

    let (where_pk, pk_vals) = row_where(table, pk)?;
    let exists = row_exists(tx, table, &where_pk, &pk_vals)?;
    if kept.is_empty() {
        if exists {
            exec(
                tx,
                &format!("DELETE FROM {table} WHERE {where_pk}"),
                params_from_iter(pk_vals.iter()),
            )?;
        }
        return Ok(made);
    }
    let no_blobs = HashMap::new();
    let mut set = Vec::new();
    for (col, (v, value)) in &kept {
        if !cols.iter().any(|k| &k.name == col) {
            continue;
        }
        let Some(sql) = json_to_sql(value, &no_blobs) else {
            continue;
        };
        set.push((col.clone(), sql));
        set_version(tx, table, pk, col, v)?;
    }
    write_row(tx, table, &where_pk, &pk_vals, exists, set)?;
    Ok(made)
}

/// Settles again every row a parent's signature seals (the entries of a hearing's transcript).
fn settle_children(
    tx: &Connection,
    seal: &Seal,
    parent: &str,
    cols_of: &BTreeMap<String, Vec<Column>>,
) -> Result<usize> {
    let cols = cols_of
        .get(seal.table)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut pks: BTreeSet<String> = BTreeSet::new();
    {
        // The column is written out so the partial index on it serves.
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT DISTINCT pk FROM sync_history WHERE tbl = ?1 AND col = '{}' AND value = ?2",
            seal.fk
        ))?;
        let found = stmt
            .query_map(
                [seal.table, &Value::String(parent.to_owned()).to_string()],
                |r| r.get::<_, String>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        pks.extend(found);
        let (pk_cols, _) = spec(seal.table);
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {} FROM {} t WHERE t.{} = ?1",
            pk_sql("t", pk_cols),
            seal.table,
            seal.fk
        ))?;
        let here = stmt
            .query_map([parent], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        pks.extend(here);
    }
    let mut made = 0;
    for pk in pks {
        seed_history(tx, seal.table, &pk, cols)?;
        made += settle_sealed(tx, seal, seal.table, &pk, cols)?;
    }
    Ok(made)
}

/// Who settled a note that sync settled by itself (a case renumbered or held under a stand-in).
const AUTO_SETTLED_BY: &str = "自动处理";

/// A note in the conflicts list, settled at once: what sync did by itself with a case number.
fn number_note(
    tx: &Connection,
    change_id: &str,
    case_id: &str,
    synced: &str,
    here: &str,
    reason: &str,
) -> Result<()> {
    let at = crate::timestamp(crate::now());
    exec(
        tx,
        "INSERT OR IGNORE INTO sync_conflicts
             (change_id, tbl, pk, col, theirs, ours, reason, at, settled_at, settled_by)
         VALUES (?1, 'cases', ?2, 'number', ?3, ?4, ?5, ?6, ?6, ?7)",
        params![
            change_id,
            case_id,
            Value::String(synced.to_owned()).to_string(),
            Value::String(here.to_owned()).to_string(),
            reason,
            at,
            AUTO_SETTLED_BY
        ],
    )?;
    Ok(())
}

/// A pulled case's number, if another case here has it, is resolved before it is written (the
/// number is unique): see [`place_number`]. A case that was waiting under a stand-in and now
/// gets a number of its own says so.
fn settle_number(
    tx: &Connection,
    c: &Change,
    set: &mut [(String, SqlValue)],
    ctx: &mut Apply,
) -> Result<()> {
    let Some(slot) = set.iter_mut().find(|(k, _)| k == "number") else {
        return Ok(());
    };
    let SqlValue::Text(number) = slot.1.clone() else {
        return Ok(());
    };
    let held: Option<String> = qrow(
        tx,
        "SELECT number FROM sync_number_holds WHERE case_id = ?1",
        [&c.pk],
        |r| r.get(0),
    )
    .optional()?;
    exec(
        tx,
        "DELETE FROM sync_number_holds WHERE case_id = ?1",
        [&c.pk],
    )?;
    let stored = place_number(tx, c, &number, ctx)?;
    if stored != number {
        slot.1 = SqlValue::Text(stored);
    } else if let Some(old) = held.filter(|old| *old != number) {
        number_note(
            tx,
            &c.id,
            &c.pk,
            &old,
            &number,
            &format!("案号 {old} 已被另一台电脑使用，本案改为 {number}"),
        )?;
    }
    Ok(())
}

/// Where a pulled case `c` with `number` goes when another case here has that number. Of the
/// two, the case whose number was written later (by `(hlc, device, change id)`) gives way; the
/// desk that wrote its number renumbers it to the next free number of its org and year, a normal
/// change that reaches every desk. Any other desk keeps the giving-way case under a stand-in
/// number until that change arrives. Returns the number to store for `c`'s case.
fn place_number(tx: &Connection, c: &Change, number: &str, ctx: &mut Apply) -> Result<String> {
    let holder: Option<String> = qrow(
        tx,
        "SELECT id FROM cases WHERE number = ?1 AND id <> ?2",
        [number, &c.pk],
        |r| r.get(0),
    )
    .optional()?;
    let Some(holder) = holder else {
        return Ok(number.to_owned());
    };
    let ours = column_version(tx, "cases", &holder, "number")?.unwrap_or_else(zero_ver);
    if ver_of(c) > ours {
        let stand_in = hold_number(tx, &c.pk, number)?;
        number_note(
            tx,
            &c.id,
            &c.pk,
            number,
            &stand_in,
            &held_reason(number, &stand_in),
        )?;
        return Ok(stand_in);
    }
    if ours.1 == ctx.device {
        renumber_own(tx, &holder, number, ctx)?;
    } else {
        let stand_in = hold_number(tx, &holder, number)?;
        exec(
            tx,
            "UPDATE cases SET number = ?2 WHERE id = ?1",
            params![holder, stand_in],
        )?;
        number_note(
            tx,
            &c.id,
            &holder,
            number,
            &stand_in,
            &held_reason(number, &stand_in),
        )?;
    }
    Ok(number.to_owned())
}

fn held_reason(number: &str, stand_in: &str) -> String {
    format!(
        "案号 {number} 与本机另一案件重复：登记该案的电脑将为其改号，在此之前本机暂记为 {stand_in}"
    )
}

/// Picks a free stand-in for a case whose number is `number` elsewhere and records the hold.
fn hold_number(tx: &Connection, case_id: &str, number: &str) -> Result<String> {
    let chars: Vec<char> = case_id.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(6)..].iter().collect();
    let mut candidates = vec![
        format!("{number}（重号·{tail}）"),
        format!("{number}（重号·{case_id}）"),
    ];
    candidates.push(format!(
        "{number}（重号·{case_id}·{}）",
        uuid::Uuid::now_v7()
    ));
    let mut stand_in = String::new();
    for candidate in candidates {
        let taken = qrow(
            tx,
            "SELECT 1 FROM cases WHERE number = ?1",
            [&candidate],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
        stand_in = candidate;
        if !taken {
            break;
        }
    }
    exec(
        tx,
        "INSERT INTO sync_number_holds (case_id, number, held) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id) DO UPDATE SET number = excluded.number, held = excluded.held",
        params![case_id, number, stand_in],
    )?;
    Ok(stand_in)
}

/// Renumbers a case whose number this desk wrote and another desk's case had first: the next
/// free number of its org and year, written as a local change (it syncs like any edit), in the
/// audit trail and the conflicts list (settled).
fn renumber_own(tx: &Connection, case_id: &str, taken: &str, ctx: &mut Apply) -> Result<String> {
    let (org_id, registered_on): (String, String) = qrow(
        tx,
        "SELECT org_id, registered_on FROM cases WHERE id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let code: String = qrow(tx, "SELECT code FROM orgs WHERE id = ?1", [&org_id], |r| {
        r.get(0)
    })
    .optional()?
    .unwrap_or_else(|| org_id.clone());
    let year = registered_on.get(..4).unwrap_or("0000");
    let new = crate::numbering::next_free_case_number(tx, &code, year, &ctx.numbers)?;
    ctx.hlc = ctx.hlc.tick(wall_ms());
    let now = crate::timestamp(crate::now());
    exec(
        tx,
        "UPDATE sync_state SET hlc = ?1, applying = 0",
        [ctx.hlc.to_string()],
    )?;
    let written = exec(
        tx,
        "UPDATE cases SET number = ?2, updated_at = ?3 WHERE id = ?1",
        params![case_id, new, now],
    );
    exec(tx, "UPDATE sync_state SET applying = 1", [])?;
    written?;
    let change_id: String = qrow(
        tx,
        "SELECT id FROM change_log WHERE local = 1 ORDER BY seq DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let summary = format!("案号 {taken} 已被另一台电脑使用，本案改为 {new}");
    crate::audit::append(
        tx,
        &crate::audit::NewEvent {
            at: &now,
            actor: ctx.actor,
            device_id: ctx.device,
            action: "同步改号",
            entity: "case",
            entity_id: case_id,
            summary: &summary,
            change_ids: std::slice::from_ref(&change_id),
            case_id: Some(case_id),
        },
    )?;
    number_note(tx, &change_id, case_id, taken, &new, &summary)?;
    Ok(new)
}

/// What one sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    pub pushed: u32,
    pub duplicates: u32,
    pub pulled: u32,
    pub conflicts: u32,
}

fn blob_refs(changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = changes
        .iter()
        .flat_map(|c| c.cols.values())
        .filter_map(|v| v.get("$blob").and_then(Value::as_str).map(str::to_owned))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Access to a store that others use too (the app keeps it behind a mutex). A sync run takes it
/// once per step (read an outbox page, acknowledge it, apply a pulled page with its cursor) and
/// never while it waits for the server, so the desk stays usable during a slow sync.
pub trait SyncAccess {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T>;
}

/// A store owned by the caller (the CLI, tests): every step simply uses it.
impl SyncAccess for std::cell::RefCell<&mut Store> {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        f(&mut self.borrow_mut())
    }
}

impl Store {
    /// Enrols this desk with a one-time code: the server's org tree comes in, the desk's existing
    /// rows are queued, and the credentials are kept.
    pub fn sync_enroll(&mut self, server: &str, code: &str, device_name: &str) -> Result<String> {
        enroll(&std::cell::RefCell::new(self), server, code, device_name)
    }

    /// One sync run (see [`run`]).
    pub fn sync_now(&mut self) -> Result<SyncOutcome> {
        run(&std::cell::RefCell::new(self))
    }
}

/// Enrols the desk with a one-time code. The server is asked without holding the store; the
/// answer (org tree, device id, token) is recorded and the desk's existing rows are queued.
pub fn enroll(
    access: &impl SyncAccess,
    server: &str,
    code: &str,
    device_name: &str,
) -> Result<String> {
    let form = hearing_core::enrolment::check(server, code, device_name)?;
    access.with_store(|s| s.require(hearing_core::access::Permission::ManageSettings))?;
    let client = hearing_sync::client::Client::new(&form.server, None);
    let e = client.enroll(&form.code, &form.device_name)?;
    access.with_store(|s| {
        s.sync_enrolled(&form.server, &e.device_id, &e.token, &e.org_id, &e.orgs)?;
        s.conn().execute(
            "INSERT INTO desk_meta (key, value) VALUES ('sync_device_name', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&form.device_name],
        )?;
        s.sync_snapshot()?;
        Ok(())
    })?;
    Ok(e.org_id)
}

/// One sync run: push the outbox page by page (blobs first), then pull until the server has
/// nothing more. Each pulled page is applied with its cursor in one transaction, so an
/// interrupted run repeats at most one page. The run is recorded, failed or not. The store is
/// taken per step, never across a request to the server.
pub fn run(access: &impl SyncAccess) -> Result<SyncOutcome> {
    let started = crate::timestamp(crate::now());
    let result = run_steps(access);
    let (pushed, pulled, conflicts, error) = match &result {
        Ok(o) => (
            o.pushed as usize,
            o.pulled as usize,
            o.conflicts as usize,
            None,
        ),
        Err(e) => (0, 0, 0, Some(e)),
    };
    access.with_store(|s| s.sync_record_run(&started, pushed, pulled, conflicts, error))?;
    result
}

/// What a desk restored from an enrolled backup is told until it is enrolled again.
pub const RESTORED_UNENROLLED: &str = "本机已从备份恢复，同步注册已解除：恢复后的修改编号可能与恢复前已上报服务器的修改相同，\
     必须作为新设备重新注册后才能同步。请向市委政法委索取新的注册码，在“同步”页面（或 hearingctl enroll）重新注册；\
     恢复前的设备可请管理员在服务器上吊销";

fn run_steps(access: &impl SyncAccess) -> Result<SyncOutcome> {
    if access
        .with_store(|s| meta_get(s.conn(), "restored_unenrolled"))?
        .is_some()
    {
        return Err(StoreError::refused(RESTORED_UNENROLLED));
    }
    let (server, token) = access
        .with_store(|s| s.sync_credentials())?
        .ok_or_else(|| {
            StoreError::refused("本机尚未注册到同步服务器；请先在“同步”页面输入服务器地址和注册码")
        })?;
    let client = hearing_sync::client::Client::new(&server, Some(&token));
    let mut out = SyncOutcome::default();
    push_outbox(access, &client, &mut out)?;
    let head = access.with_store(|s| s.sync_outbox_head())?;
    pull_all(access, &client, &mut out)?;
    // Pulling may have made changes here (a case renumbered because another desk had its
    // number first): they go out in the same run.
    if access.with_store(|s| s.sync_outbox_head())? != head {
        push_outbox(access, &client, &mut out)?;
    }
    push_audit(access, &client)?;
    if access.with_store(|s| s.search_pending())? <= INDEX_AFTER_RUN {
        crate::search::catch_up(access, |_| {})?;
    }
    Ok(out)
}

/// Pushes the audit events the server does not have yet, page by page; the server checks every
/// link of the chain and refuses a page that breaks it (the message names the first broken
/// link, and the run fails with it).
fn push_audit(access: &impl SyncAccess, client: &hearing_sync::client::Client) -> Result<()> {
    loop {
        let page = access.with_store(|s| s.sync_audit_page(hearing_sync::audit::MAX_PUSH_AUDIT))?;
        if page.is_empty() {
            return Ok(());
        }
        let ack = client.push_audit(&page).map_err(|e| {
            let mut e = StoreError::from(e);
            if let StoreError::ServerRefused { message, .. } = &mut e {
                *message = format!("上报审计记录被拒绝：{message}");
            }
            e
        })?;
        access.with_store(|s| s.sync_audit_ack(ack.seq))?;
    }
}

impl Store {
    /// The next audit events to report: those after the last one the server acknowledged.
    pub fn sync_audit_page(&self, limit: usize) -> Result<Vec<hearing_sync::audit::AuditEvent>> {
        let after: i64 = crate::meta_get(self.conn(), "sync_audit_pushed")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut stmt = self.conn().prepare(
            "SELECT seq, id, at, actor, device_id, action, entity, entity_id, summary,
                    change_ids, prev_hash, hash
             FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![after, limit as i64], |r| {
                Ok(hearing_sync::audit::AuditEvent {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    at: r.get(2)?,
                    actor: r.get(3)?,
                    device_id: r.get(4)?,
                    action: r.get(5)?,
                    entity: r.get(6)?,
                    entity_id: r.get(7)?,
                    summary: r.get(8)?,
                    change_ids: r.get(9)?,
                    prev_hash: r.get(10)?,
                    hash: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records that the server holds the audit chain up to `seq`.
    pub fn sync_audit_ack(&self, seq: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO desk_meta (key, value) VALUES ('sync_audit_pushed', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [seq.to_string()],
        )?;
        Ok(())
    }
}

/// Pushes the outbox page by page (each page's blobs first).
fn push_outbox(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
    out: &mut SyncOutcome,
) -> Result<()> {
    loop {
        // An outbox page and the bytes of the blobs it refers to, in one go.
        let (last, changes, blobs) = access.with_store(|s| {
            let page = s.sync_outbox_page(hearing_sync::MAX_PUSH_CHANGES)?;
            let last = page.last().map(|(seq, _)| *seq);
            let changes: Vec<Change> = page.into_iter().map(|(_, c)| c).collect();
            let mut blobs = Vec::new();
            for h in blob_refs(&changes) {
                if let Some(bytes) = s.sync_blob(&h)? {
                    blobs.push((h, bytes));
                }
            }
            Ok((last, changes, blobs))
        })?;
        let Some(last) = last else {
            break;
        };
        for (h, bytes) in &blobs {
            client.put_blob(h, bytes)?;
        }
        let resp = client.push(&changes)?;
        out.pushed += resp.accepted.len() as u32;
        out.duplicates += resp.duplicates.len() as u32;
        access.with_store(|s| s.sync_outbox_ack(last))?;
    }
    Ok(())
}

/// Pulls and applies pages until the server has nothing more. Foreign keys stay off from the
/// first page to the last (see `Store::relax_foreign_keys`), and are on again after.
fn pull_all(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
    out: &mut SyncOutcome,
) -> Result<()> {
    access.with_store(|s| {
        s.pulling = true;
        Ok(())
    })?;
    let pulled = pull_pages(access, client, out);
    let restored = access.with_store(|s| {
        s.pulling = false;
        s.enforce_foreign_keys()
    });
    pulled.and(restored)
}

fn pull_pages(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
    out: &mut SyncOutcome,
) -> Result<()> {
    let limit = hearing_sync::MAX_PULL_LIMIT;
    let cursor = access.with_store(|s| s.sync_cursor())?;
    let mut page = client.pull(&cursor, limit)?;
    std::thread::scope(|scope| loop {
        // The next page is fetched and read (on another core) while this one is applied; its
        // cursor is the one this page stores.
        let ahead = (page.more && !page.changes.is_empty()).then(|| {
            let after = page.cursor.clone();
            // A panic stays in the thread (it would otherwise end the scope with one).
            scope.spawn(move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    client.pull(&after, limit)
                }))
            })
        });
        let refs = blob_refs(&page.changes);
        let mut blobs: HashMap<String, Vec<u8>> = access.with_store(|s| {
            let mut held = HashMap::new();
            for h in &refs {
                if let Some(bytes) = s.sync_blob(h)? {
                    held.insert(h.clone(), bytes);
                }
            }
            Ok(held)
        })?;
        for h in refs {
            if blobs.contains_key(&h) {
                continue;
            }
            let bytes = client.get_blob(&h)?;
            if crate::sha256_hex(&bytes) != h {
                return Err(StoreError::BadAnswer(format!(
                    "从服务器取回的附件 {h} 校验不符，已停止同步"
                )));
            }
            blobs.insert(h, bytes);
        }
        let report =
            access.with_store(|s| s.sync_apply_page(&page.changes, &page.cursor, &blobs))?;
        out.pulled += report.applied as u32;
        out.conflicts += report.conflicts as u32;
        let Some(ahead) = ahead else {
            return Ok(());
        };
        page = ahead.join().ok().and_then(Result::ok).ok_or_else(|| {
            StoreError::Internal("接收同步数据时发生内部错误，已停止同步".into())
        })??;
    })
}

#[cfg(test)]
mod tests {
    use crate::{ErrorCode, StoreError};

    #[test]
    fn a_client_error_keeps_its_kind() {
        let offline = StoreError::from(hearing_sync::client::ClientError::Offline {
            url: "http://127.0.0.1:9".into(),
            detail: "connection refused".into(),
        });
        assert_eq!(offline.code(), ErrorCode::Offline);
        let refused = StoreError::from(hearing_sync::client::ClientError::Server {
            status: 401,
            code: "unauthorized".into(),
            message: "设备已停用".into(),
        });
        assert!(
            matches!(&refused, StoreError::ServerRefused { status: 401, code, .. } if code == "unauthorized"),
            "{refused:?}"
        );
        assert_eq!(refused.code(), ErrorCode::ServerRefused);
        let garbled = StoreError::from(hearing_sync::client::ClientError::Protocol("?".into()));
        assert_eq!(garbled.code(), ErrorCode::BadAnswer);
    }
}
