//! 待审批: the closure approvals waiting for this desk's org, read by org from
//! `approval_waits` (migration 023) however many cases the desk holds (100 orgs × 1,000 open
//! requests: BENCHMARKS.md, `make bench-inbox`).
//!
//! Which org a request waits for depends on the case's chain, the configuration and the org
//! tree, as the case's 终结审批 card reads them (`closure::waiting_levels`). The triggers of
//! migration 023 note every case whose decisions, state or tree changed — by this desk or by
//! sync — in `approval_dirty`; [`refresh_waits`] works those out again before the inbox reads.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::{Result, Store};

/// A closure approval waiting for this desk's org (待审批).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InboxItem {
    pub case_id: String,
    pub case_number: String,
    pub case_title: String,
    pub handling_organ_name: String,
    /// The level this org decides, and its title.
    pub level_key: String,
    pub level_title: String,
    /// The last decision below it: when the case became ready for this level.
    pub ready_since: Option<String>,
}

/// A page of the inbox: its first items, oldest first, and how many wait in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InboxPage {
    pub total: u32,
    pub items: Vec<InboxItem>,
}

/// Works out again what the cases noted in `approval_dirty` wait for, in one transaction.
/// Returns how many cases it looked at.
pub(crate) fn refresh_waits(conn: &Connection) -> Result<usize> {
    let dirty: Vec<String> = {
        let mut stmt = conn.prepare_cached("SELECT case_id FROM approval_dirty")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if dirty.is_empty() {
        return Ok(0);
    }
    let tx = conn.unchecked_transaction()?;
    {
        let mut clear = tx.prepare_cached("DELETE FROM approval_waits WHERE case_id = ?1")?;
        let mut add = tx.prepare_cached(
            "INSERT INTO approval_waits (case_id, position, org_id, level_key, level_title, ready_since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut status = tx.prepare_cached("SELECT status FROM cases WHERE id = ?1")?;
        for id in &dirty {
            clear.execute([id])?;
            let in_approval = status
                .query_row([id], |r| r.get::<_, String>(0))
                .ok()
                .is_some_and(|s| s == hearing_core::CaseStatus::ClosureApproval.as_str());
            if !in_approval {
                continue;
            }
            let case = crate::cases::get(&tx, id)?;
            // An org deciding two ready levels (the first optional) waits at the first, as the
            // chain reads: one row per case and org.
            let mut orgs = std::collections::HashSet::new();
            for w in crate::closure::waiting_levels(&tx, &case)? {
                if !orgs.insert(w.org_id.clone()) {
                    continue;
                }
                add.execute(params![
                    id,
                    w.position as i64,
                    w.org_id,
                    w.level.key,
                    w.level.title,
                    w.since
                ])?;
            }
        }
    }
    tx.execute("DELETE FROM approval_dirty", [])?;
    tx.commit()?;
    Ok(dirty.len())
}

impl Store {
    /// 待审批: every closure approval waiting for this desk's org — a level of a case's chain in
    /// 终结审批 that the org decides, undecided in the current request, every required level
    /// before it approved — from every org below it whose cases reach this desk, oldest first.
    pub fn approval_inbox(&self) -> Result<Vec<InboxItem>> {
        Ok(self.approval_inbox_page(u32::MAX)?.items)
    }

    /// The first `limit` items of [`Store::approval_inbox`] and how many there are in all (the
    /// 工作台 shows a page).
    pub fn approval_inbox_page(&self, limit: u32) -> Result<InboxPage> {
        let conn = self.conn();
        let Some(me) = crate::meta_get(conn, "org_id")? else {
            return Ok(InboxPage {
                total: 0,
                items: Vec::new(),
            });
        };
        refresh_waits(conn)?;
        // One row per case and org (`refresh_waits`).
        let total: u32 = conn.query_row(
            "SELECT count(*) FROM approval_waits WHERE org_id = ?1",
            [&me],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare_cached(
            "SELECT w.case_id, c.number, c.title, COALESCE(o.name, ''), w.level_key,
                    w.level_title, w.ready_since
             FROM approval_waits w
             JOIN cases c ON c.id = w.case_id
             LEFT JOIN orgs o ON o.id = c.handling_organ_id
             WHERE w.org_id = ?1
             ORDER BY w.ready_since, c.number
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![me, i64::from(limit)], |r| {
            Ok(InboxItem {
                case_id: r.get(0)?,
                case_number: r.get(1)?,
                case_title: r.get(2)?,
                handling_organ_name: r.get(3)?,
                level_key: r.get(4)?,
                level_title: r.get(5)?,
                ready_since: r.get(6)?,
            })
        })?;
        Ok(InboxPage {
            total,
            items: rows.collect::<rusqlite::Result<_>>()?,
        })
    }
}
