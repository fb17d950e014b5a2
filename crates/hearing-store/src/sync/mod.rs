//! The desk side of sync (docs/sync-protocol.md), along its jobs:
//!
//! - [`triggers`]: the synced tables' triggers record every local row change into the change
//!   log (`change_log`, migration 015) in the writing transaction, with its versions and, for
//!   frozen and sealed rows, its history;
//! - [`log`]: the change log as sync reads it — the local changes after the push cursor become
//!   protocol changes, pulled changes are logged as received, existing rows are queued once;
//! - [`enrol`]: an enrolment (the server's org tree, the desk's credentials and device id);
//! - [`apply`]: a pulled page merged per column (last writer wins by `(hlc, device, change
//!   id)`, tombstones) with its cursor, in one transaction;
//! - [`seal`]: frozen documents and sealed rows (the testimony of a signed transcript) settled
//!   from their history;
//! - [`numbers`]: a pulled case whose number another case here already has;
//! - [`run`]: a run — push, pull, audit chain — talking to the server;
//! - [`status`]: what the desk knows about its sync, its runs and its conflicts;
//! - [`decide`]: the decisions of all of the above that need no database, as plain functions.

use std::collections::HashMap;

pub use hearing_sync::SYNCED_TABLES;
use hearing_sync::{Change, Hlc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde_json::Value;

use crate::Result;

mod apply;
pub mod decide;
mod enrol;
mod log;
mod numbers;
mod run;
mod seal;
mod status;
mod triggers;

pub use apply::ApplyReport;
pub use enrol::enroll;
pub(crate) use log::pushed_up_to;
pub use run::{
    run, wait_for_changes, SyncAccess, SyncOutcome, LOCAL_CHANGE_POLL, LOCAL_CHANGE_PUSH_DELAY,
    NOTICE_WAIT_SECS, RESTORED_UNENROLLED,
};
pub use status::{table_label, SyncConflict, SyncRun, SyncStatus};
pub(crate) use triggers::install_triggers;

/// Primary-key columns and the SQL giving the owning org of a row (`{R}` is NEW, OLD or the
/// table itself).
pub(super) fn spec(table: &str) -> (&'static [&'static str], &'static str) {
    const CASE: &str = "(SELECT org_id FROM cases WHERE id = {R}.case_id)";
    const HEARING: &str = "(SELECT org_id FROM hearings WHERE id = {R}.hearing_id)";
    match table {
        "orgs" => (&["id"], "COALESCE({R}.parent_id, {R}.id)"),
        "petitioners" => (&["case_id", "seq"], CASE),
        "leader_assignments" => (&["case_id"], CASE),
        // A decision made on the deciding org's own desk is that org's record (about the case's
        // org: `scope`); a 代录 entry and a handling organ's own levels are the case's.
        "approvals" => (
            &["id"],
            "CASE WHEN {R}.proxy = 0 AND {R}.org_id IS NOT NULL THEN {R}.org_id \
             ELSE (SELECT org_id FROM cases WHERE id = {R}.case_id) END",
        ),
        // A slip is its issuer's record, its 反馈 the answering org's; entered as 代录 on a desk
        // working alone, or from before slips named their orgs, they are the case's.
        "supervision_slips" => (
            &["id"],
            "CASE WHEN {R}.proxy = 0 AND {R}.issuer_org_id IS NOT NULL THEN {R}.issuer_org_id \
             ELSE (SELECT org_id FROM cases WHERE id = {R}.case_id) END",
        ),
        "slip_feedback" => (
            &["id"],
            "CASE WHEN {R}.proxy = 0 AND {R}.org_id IS NOT NULL THEN {R}.org_id \
             ELSE (SELECT org_id FROM cases WHERE id = {R}.case_id) END",
        ),
        "visit_reviews" | "followups" => (&["id"], CASE),
        // A meeting and its agenda are the holding org's; entered as 代录 on a desk working
        // alone, they are the record of that desk's org (when it had one).
        "meetings" | "meeting_items" => (
            &["id"],
            "CASE WHEN {R}.proxy = 1 AND {R}.entered_by IS NOT NULL THEN {R}.entered_by \
             ELSE {R}.org_id END",
        ),
        "participants" | "testimony" | "evidence" | "opinions" => (&["id"], HEARING),
        "challenges" => (
            &["id"],
            "(SELECT h.org_id FROM evidence e JOIN hearings h ON h.id = e.hearing_id \
             WHERE e.id = {R}.evidence_id)",
        ),
        // persons, cases, hearings, documents; a 通报 is the issuing org's
        _ => (&["id"], "{R}.org_id"),
    }
}

/// The org a row of `table` is about when it may differ from its owning org (see
/// [`hearing_sync::Change::scope_org`]), as SQL over the row `{R}`; `None`: always the owner.
pub(super) fn scope(table: &str) -> Option<&'static str> {
    match table {
        "approvals" | "supervision_slips" | "slip_feedback" | "meeting_items" => {
            Some("(SELECT org_id FROM cases WHERE id = {R}.case_id)")
        }
        _ => None,
    }
}

/// The change log's `scope_org` of a row `r` of `table`: NULL when it is the owning org.
pub(super) fn scope_sql(table: &str, r: &str) -> String {
    let (_, org) = spec(table);
    match scope(table) {
        Some(s) => format!(
            "NULLIF({}, COALESCE({}, ''))",
            s.replace("{R}", r),
            org.replace("{R}", r)
        ),
        None => "NULL".to_owned(),
    }
}

#[derive(Debug, Clone)]
pub(super) struct Column {
    name: String,
    blob: bool,
}

pub(super) fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
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
pub(super) fn value_sql(r: &str, c: &Column) -> String {
    if c.blob {
        format!(
            "CASE WHEN {r}.{n} IS NULL THEN NULL ELSE json_object('$blob', {r}.{n}_sha256) END",
            n = c.name
        )
    } else {
        format!("{r}.{}", c.name)
    }
}

pub(super) fn pk_sql(r: &str, pk: &[&str]) -> String {
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

pub(super) fn full_row_json(r: &str, cols: &[Column]) -> String {
    format!(
        "json_object({})",
        cols.iter()
            .map(|c| format!("'{}', {}", c.name, value_sql(r, c)))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Moves the desk's HLC on for a local write (called at the start of every write).
/// Advances the desk's clock; returns the new value.
pub(crate) fn tick(conn: &Connection, wall_ms: u64) -> Result<String> {
    let current: String = qrow(conn, "SELECT hlc FROM sync_state", [], |r| r.get(0))?;
    let hlc = current.parse::<Hlc>().unwrap_or_default();
    let next = hlc.tick(wall_ms).to_string();
    exec(conn, "UPDATE sync_state SET hlc = ?1", [&next])?;
    Ok(next)
}

/// `Connection::execute` through the connection's statement cache: the apply path runs the
/// same few statements for every change of a page, and preparing one again also compiles the
/// triggers of its table (search index, tallies), the larger part of applying a change.
pub(super) fn exec(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// Whether `table` has the row `where_pk` (from [`row_where`]) names.
pub(super) fn row_exists(
    tx: &Connection,
    table: &str,
    where_pk: &str,
    pk_vals: &[SqlValue],
) -> Result<bool> {
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
pub(super) fn qrow<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

pub(super) fn json_to_sql(v: &Value, blobs: &HashMap<String, Vec<u8>>) -> Option<SqlValue> {
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

pub(super) fn pk_values(pk: &str, pk_cols: &[&str]) -> Option<Vec<SqlValue>> {
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

use decide::Ver;

pub(super) fn ver_of(c: &Change) -> Ver {
    (c.hlc.clone(), c.device_id.clone(), c.id.clone())
}
