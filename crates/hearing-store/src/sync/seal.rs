use std::collections::{BTreeMap, BTreeSet};

use hearing_sync::merge::{Seal, DELETE_MARK};
use hearing_sync::Op;
use rusqlite::params;
use serde_json::Map;

use super::apply::{conflict, new_whole_row, row_where, set_row_version, set_version, write_row};
use super::decide::{self, zero_ver, HistoryEntry};
use super::*;
use crate::StoreError;

/// A row's history as the merge model's row (see [`decide::history_row`]).
fn history_row(tx: &Connection, table: &str, pk: &str) -> Result<hearing_sync::merge::Row> {
    let mut stmt = tx.prepare_cached(
        "SELECT hlc, device, change_id, col, value, by_freeze FROM sync_history
         WHERE tbl = ?1 AND pk = ?2",
    )?;
    let entries = stmt
        .query_map([table, pk], |r| {
            Ok(HistoryEntry {
                ver: (r.get(0)?, r.get(1)?, r.get(2)?),
                col: r.get(3)?,
                value: r.get(4)?,
                by_freeze: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    decide::history_row(&entries)
        .map_err(|e| StoreError::Damaged(format!("{}“{pk}”的同步记录：{e}", table_label(table))))
}

/// Recomputes a frozen row's content from its history (the earliest freeze counts; content a
/// freeze carries always counts; a later ordinary edit is a conflict: [`decide::settle_frozen`])
/// and records new conflicts.
pub(super) fn settle_frozen(
    tx: &Connection,
    c: &Change,
    table: &str,
    frozen: &[&str],
    blobs: &HashMap<String, Vec<u8>>,
    set: &mut Vec<(String, SqlValue)>,
    at: &str,
) -> Result<usize> {
    let row = history_row(tx, table, &c.pk)?;
    let settled = decide::settle_frozen(&row, frozen);
    let mut conflicts = 0;
    for (col, v, theirs) in &settled.refused {
        let ours = settled
            .kept
            .get(col)
            .map(|(_, value)| value.clone())
            .unwrap_or(Value::Null);
        conflicts += exec(
            tx,
            "INSERT OR IGNORE INTO sync_conflicts (change_id, tbl, pk, col, theirs, ours, reason, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                v.2,
                table,
                c.pk,
                col,
                theirs.to_string(),
                ours.to_string(),
                "文书已定稿，定稿后的修改未应用",
                at
            ],
        )?;
    }
    for (col, (v, value)) in &settled.kept {
        // A blob that is not here is not written (the local PDF is kept if it has one).
        if let Some(sql) = json_to_sql(value, blobs) {
            set.push((col.clone(), sql));
            set_version(tx, table, &c.pk, col, v)?;
        }
    }
    Ok(conflicts)
}

/// The version of a column's value: the newer of its own and its row's.
pub(super) fn column_version(
    tx: &Connection,
    table: &str,
    pk: &str,
    col: &str,
) -> Result<Option<Ver>> {
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

pub(super) fn insert_history(
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
pub(super) fn seed_history(tx: &Connection, table: &str, pk: &str, cols: &[Column]) -> Result<()> {
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
pub(super) fn apply_sealed(
    tx: &Connection,
    c: &Change,
    seal: &Seal,
    cols: &[Column],
    at: &str,
) -> Result<usize> {
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
                    conflict(
                        tx,
                        c,
                        col,
                        "null",
                        "本机数据库没有这个字段（版本不一致）",
                        at,
                    )?;
                    conflicts += 1;
                    continue;
                }
                insert_history(tx, table, &c.pk, col, &v, &value.to_string(), false)?;
            }
        }
    }
    Ok(conflicts + settle_sealed(tx, seal, table, &c.pk, cols, at)?)
}

/// The version of the parent's earliest signature (what seals its rows), if it is signed here.
pub(super) fn sealed_at(tx: &Connection, seal: &Seal, parent: &str) -> Result<Option<Ver>> {
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
pub(super) fn settle_sealed(
    tx: &Connection,
    seal: &Seal,
    table: &str,
    pk: &str,
    cols: &[Column],
    at: &str,
) -> Result<usize> {
    let row = history_row(tx, table, pk)?;
    // The entry belongs to the parent its earliest write of the parent's column names.
    let parent = row
        .history
        .get(seal.fk)
        .and_then(|writes| writes.values().next())
        .and_then(|w| w.value.as_str());
    let sealed_at = match parent {
        Some(p) => sealed_at(tx, seal, p)?,
        None => None,
    };
    let sealed_at = match sealed_at {
        Some(v) => Some(decide::version(&v).ok_or_else(|| {
            StoreError::Damaged(format!(
                "{}“{pk}”的签名时钟“{}”格式错误",
                table_label(seal.parent),
                v.0
            ))
        })?),
        None => None,
    };
    let settled = decide::settle_sealed(&row, seal, sealed_at.as_ref());

    let mut made = 0;
    for late in &settled.late {
        let known = qrow(
            tx,
            "SELECT 1 FROM sync_conflicts WHERE change_id = ?1 AND col = ?2",
            [&late.change_id, &late.column],
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
                late.change_id,
                table,
                pk,
                late.column,
                late.theirs.to_string(),
                late.ours.to_string(),
                late.reason,
                at
            ],
        )?;
        if !known {
            made += 1;
        }
    }
    let kept = settled.kept;

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
pub(super) fn settle_children(
    tx: &Connection,
    seal: &Seal,
    parent: &str,
    cols_of: &BTreeMap<String, Vec<Column>>,
    at: &str,
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
        made += settle_sealed(tx, seal, seal.table, &pk, cols, at)?;
    }
    Ok(made)
}
