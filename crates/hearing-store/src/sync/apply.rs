use std::collections::BTreeMap;

use hearing_sync::merge::{frozen_columns, sealed_by, seals};
use hearing_sync::Op;
use rusqlite::params;

use super::log::log_pulled;
use super::numbers::settle_number;
use super::seal::{apply_sealed, insert_history, settle_children, settle_frozen};
use super::*;
use crate::{Store, StoreError};

/// A pulled page indexes the search backlog before it commits while it is at most this long
/// (an everyday page); pages of a large pull leave it to the end of the run.
pub(super) const INDEX_WITH_PAGE: u32 = 200;

/// What applying one page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub applied: usize,
    pub duplicates: usize,
    pub conflicts: usize,
}

impl Store {
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
        let clock = self.clock().clone();
        let at = self.now_text();
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
                clock: &clock,
                at: &at,
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
                    Ok(remote) => ctx.hlc = ctx.hlc.receive(remote, ctx.clock.wall_ms()),
                    Err(msg) => {
                        conflict(&tx, c, "*", "null", &msg, &at)?;
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
                        conflict(&tx, c, "*", "null", &format!("无法应用：{e}"), &at)?;
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
                        at: &at,
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

pub(super) fn conflict(
    tx: &Connection,
    c: &Change,
    col: &str,
    ours: &str,
    reason: &str,
    at: &str,
) -> Result<()> {
    let theirs = if col == "*" {
        Value::Object(c.cols.clone()).to_string()
    } else {
        c.cols.get(col).cloned().unwrap_or(Value::Null).to_string()
    };
    exec(
        tx,
        "INSERT OR IGNORE INTO sync_conflicts (change_id, tbl, pk, col, theirs, ours, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![c.id, c.table, c.pk, col, theirs, ours, reason, at],
    )?;
    Ok(())
}

pub(super) fn newer(tx: &Connection, sql: &str, table: &str, pk: &str, v: &Ver) -> Result<bool> {
    Ok(qrow(tx, sql, params![table, pk, v.0, v.1, v.2], |_| Ok(()))
        .optional()?
        .is_some())
}

/// What applying a page needs besides each change: the tables' columns, the blobs' bytes, and
/// this desk's identity and clock for a change it makes itself (renumbering its own case).
pub(super) struct Apply<'a> {
    pub(super) cols_of: &'a BTreeMap<String, Vec<Column>>,
    pub(super) blobs: &'a HashMap<String, Vec<u8>>,
    pub(super) device: &'a str,
    pub(super) actor: &'a str,
    pub(super) hlc: Hlc,
    /// The store's clock, and the time the page is applied at (its conflicts and notes).
    pub(super) clock: &'a crate::clock::Clock,
    pub(super) at: &'a str,
    /// The case numbers the page brings (a renumbered case takes none of them).
    pub(super) numbers: Vec<String>,
}

/// The `WHERE` of a row by its primary key (`?1`…) and the key's values.
pub(super) fn row_where(table: &str, pk: &str) -> Result<(String, Vec<SqlValue>)> {
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
pub(super) fn apply_one(tx: &Connection, c: &Change, ctx: &mut Apply) -> Result<usize> {
    let table = c.table.as_str();
    let cols = ctx
        .cols_of
        .get(table)
        .ok_or_else(|| StoreError::BadAnswer(format!("未知的数据表 {table}")))?;
    if let Some(seal) = sealed_by(table) {
        return apply_sealed(tx, c, seal, cols, ctx.at);
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
        conflicts += settle_children(tx, seal, &c.pk, ctx.cols_of, ctx.at)?;
    }
    Ok(conflicts)
}

/// Applies one change to a row by the per-column rules (last writer wins, tombstones, frozen
/// documents, case numbers kept unique).
pub(super) fn apply_row(
    tx: &Connection,
    c: &Change,
    cols: &[Column],
    ctx: &mut Apply,
) -> Result<usize> {
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
            conflict(
                tx,
                c,
                col,
                "null",
                "本机数据库没有这个字段（版本不一致）",
                ctx.at,
            )?;
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
            conflict(tx, c, col, "null", "缺少附件内容或值无法识别", ctx.at)?;
            conflicts += 1;
            continue;
        };
        set.push((col.clone(), sql));
        set_version(tx, table, &c.pk, col, &v)?;
    }
    if frozen_touched {
        conflicts += settle_frozen(tx, c, table, frozen, blobs, &mut set, ctx.at)?;
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
pub(super) fn write_row(
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
pub(super) fn new_whole_row(
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
pub(super) fn set_row_version(tx: &Connection, table: &str, pk: &str, v: &Ver) -> Result<()> {
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
pub(super) fn column_newer(
    tx: &Connection,
    table: &str,
    pk: &str,
    col: &str,
    v: &Ver,
) -> Result<bool> {
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

pub(super) fn set_version(
    tx: &Connection,
    table: &str,
    pk: &str,
    col: &str,
    v: &Ver,
) -> Result<()> {
    exec(tx,
        "INSERT INTO sync_versions (tbl, pk, col, hlc, device, change_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
             change_id = excluded.change_id",
        params![table, pk, col, v.0, v.1, v.2],
    )?;
    Ok(())
}
