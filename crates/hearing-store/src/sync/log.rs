use hearing_sync::merge::sealed_by;
use hearing_sync::Op;
use rusqlite::params;
use serde_json::Map;

use super::triggers::{history_sql, ID_OF_SEQ, LOG_COLUMNS, NOW_SQL, STAND_IN_ID};
use super::*;
use crate::{meta_get, Store};

impl Store {
    /// Local changes waiting for the server (after the push cursor), oldest first, each with
    /// its seq in the change log.
    pub fn sync_outbox_page(&self, limit: usize) -> Result<Vec<(i64, Change)>> {
        let after = pushed_up_to(self.conn())?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, id, device_id, tbl, pk, op, cols, org_id, hlc, at, scope_org FROM change_log
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
                    r.get::<_, Option<String>>(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (seq, [id, device_id, table, pk, op, cols, org_id, hlc, at], scope_org) in rows {
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
                    scope_org,
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
            let hlc = tick(&tx, self.clock.wall_ms())?;
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
                     '{table}', {pk_expr}, 'upsert', {row}, COALESCE({org}, ''), ?1, {NOW_SQL},
                     {scope}
                 FROM {table} t
                 WHERE NOT EXISTS (SELECT 1 FROM sync_versions v WHERE v.tbl = '{table}' AND v.pk = {pk_expr})
                   AND NOT EXISTS (SELECT 1 FROM sync_row_versions v
                                   WHERE v.tbl = '{table}' AND v.pk = {pk_expr})",
                row = full_row_json(t, &cols),
                org = org.replace("{R}", t),
                scope = scope_sql(table, t),
            );
            self.enforce_foreign_keys()?;
            let tx = self.conn.transaction()?;
            let ticked = tick(&tx, self.clock.wall_ms())?;
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
pub(super) fn log_pulled(tx: &Connection, c: &Change) -> Result<bool> {
    let names = Value::Array(c.cols.keys().map(|k| Value::String(k.clone())).collect());
    let n = exec(
        tx,
        "INSERT INTO change_log (id, hlc, org_id, device_id, tbl, pk, op, cols, at, local, scope_org)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10) ON CONFLICT (id) DO NOTHING",
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
            c.at,
            c.scope_org
        ],
    )?;
    Ok(n > 0)
}
