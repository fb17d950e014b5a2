use hearing_sync::merge::{frozen_columns, sealed_by, DELETE_MARK, SEALS};

use super::*;

/// Which columns of a table's changes `sync_history` keeps, and whether writing them freezes, as
/// SQL over a change log row `o` and one of its columns `j`: a document's frozen columns, every
/// column of a sealed table (testimony), and a parent's sealing column when set (a hearing's
/// signature).
pub(super) fn history_terms(table: &str) -> Option<(String, String)> {
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
pub(super) fn history_sql(table: &str, which: &str) -> Option<String> {
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
pub(super) fn bookkeeping_sql(table: &str) -> String {
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
pub(super) fn seed_history_sql(table: &str, cols: &[Column]) -> String {
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
pub(super) fn delete_history_sql(table: &str) -> String {
    if sealed_by(table).is_none() {
        return String::new();
    }
    format!(
        "INSERT OR IGNORE INTO sync_history (tbl, pk, col, hlc, device, change_id, value, by_freeze)
         SELECT o.tbl, o.pk, '{DELETE_MARK}', o.hlc, o.device_id, o.id, 'null', 0
         FROM change_log o WHERE o.seq = (SELECT max(seq) FROM change_log);"
    )
}

/// Now by the store's clock, in SQL (see `clock::register`): the time a change is logged at.
pub(super) const NOW_SQL: &str = "hd_now()";

/// The columns a local change fills in the change log: id, device, `local`, then table, row,
/// op, columns, org, clock, time, and the org it is about.
pub(super) const LOG_COLUMNS: &str =
    "id, device_id, local, tbl, pk, op, cols, org_id, hlc, at, scope_org";
/// The id a local change is inserted with: a unique stand-in until it is set to [`ID_OF_SEQ`].
/// The seq cannot be read before the insert: within one statement that changes many rows,
/// `sqlite_sequence` is only written at the statement's end.
pub(super) const STAND_IN_ID: &str = "'new-' || hex(randomblob(16))";
/// A local change's id over its change log row, "<device>-<seq, 12 digits>": unique (an
/// AUTOINCREMENT seq is never given twice, whatever is compacted) and ordered like the seqs (it
/// breaks ties between the changes of one write, which share the write's clock).
pub(super) const ID_OF_SEQ: &str = "device_id || '-' || printf('%012d', seq)";

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
                   COALESCE({org_new}, ''), s.hlc, {NOW_SQL}, {scope_new}
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
                 COALESCE({org_new}, ''), s.hlc, {NOW_SQL}, {scope_new}
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
                   COALESCE({org_old}, ''), s.hlc, {NOW_SQL}, {scope_old}
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
            scope_new = scope_sql(table, "NEW"),
            scope_old = scope_sql(table, "OLD"),
            row = full_row_json("NEW", &cols),
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}
