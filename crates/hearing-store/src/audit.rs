//! The audit hash chain: every write appends one event whose hash covers its content and the
//! previous event's hash, and the chain's head is kept in `desk_meta`, so a deleted, edited or
//! reordered row — including the last — is found by [`verify`].

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::Result;

/// The `prev_hash` of the first event.
pub use hearing_sync::audit::GENESIS;

pub(crate) struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub device_id: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub summary: &'a str,
    pub change_ids: &'a [String],
    /// The case whose timeline shows this event (not part of the hash: it is derived).
    pub case_id: Option<&'a str>,
}

/// The hash of one event: defined in `hearing_sync::audit`, shared with the server that checks
/// every desk's chain on receipt.
use hearing_sync::audit::event_hash;

fn head(conn: &Connection) -> Result<(i64, String)> {
    let head = crate::meta_get(conn, "audit_head")?;
    Ok(head
        .and_then(|h| {
            let (seq, hash) = h.split_once(':')?;
            Some((seq.parse().ok()?, hash.to_owned()))
        })
        .unwrap_or((0, GENESIS.to_owned())))
}

pub(crate) fn append(conn: &Connection, e: &NewEvent) -> Result<()> {
    let (prev_seq, prev_hash) = head(conn)?;
    let seq = prev_seq + 1;
    let id = uuid::Uuid::now_v7().to_string();
    let change_ids = serde_json::to_string(e.change_ids)?;
    let hash = event_hash(
        &prev_hash,
        seq,
        &id,
        e.at,
        e.actor,
        e.device_id,
        e.action,
        e.entity,
        e.entity_id,
        e.summary,
        &change_ids,
    );
    conn.prepare_cached(
        "INSERT INTO audit_events (seq, id, at, actor, device_id, action, entity, entity_id, summary, change_ids, prev_hash, hash, case_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?.execute(
        params![seq, id, e.at, e.actor, e.device_id, e.action, e.entity, e.entity_id, e.summary, change_ids, prev_hash, hash, e.case_id],
    )?;
    conn.prepare_cached(
        "INSERT INTO desk_meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([format!("{seq}:{hash}")])?;
    Ok(())
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    pub ok: bool,
    /// Events checked.
    pub events: u32,
    /// The sequence number of the first broken link, if any.
    pub broken_at: Option<u32>,
    /// What was found, in Chinese.
    pub message: String,
}

/// Walks the chain from the first event and names the first broken link.
pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, id, at, actor, device_id, action, entity, entity_id, summary, change_ids, prev_hash, hash
         FROM audit_events ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_owned();
    let mut count = 0u32;
    let broken = |seq: i64, count: u32, why: String| AuditReport {
        ok: false,
        events: count,
        broken_at: u32::try_from(seq).ok(),
        message: format!("审计链在第 {seq} 条事件处断开：{why}"),
    };
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let get = |i: usize| -> rusqlite::Result<String> { r.get(i) };
        let (
            id,
            at,
            actor,
            device,
            action,
            entity,
            entity_id,
            summary,
            change_ids,
            prev_hash,
            hash,
        ) = (
            get(1)?,
            get(2)?,
            get(3)?,
            get(4)?,
            get(5)?,
            get(6)?,
            get(7)?,
            get(8)?,
            get(9)?,
            get(10)?,
            get(11)?,
        );
        if seq != expected_seq {
            return Ok(broken(
                expected_seq,
                count,
                format!("该事件缺失（其后的事件编号为 {seq}），审计记录被删除"),
            ));
        }
        if prev_hash != prev {
            return Ok(broken(
                seq,
                count,
                "前一事件的哈希不符，链条被改动".to_owned(),
            ));
        }
        let computed = event_hash(
            &prev_hash,
            seq,
            &id,
            &at,
            &actor,
            &device,
            &action,
            &entity,
            &entity_id,
            &summary,
            &change_ids,
        );
        if computed != hash {
            return Ok(broken(
                seq,
                count,
                format!("内容与哈希不符，事件“{action}”被篡改"),
            ));
        }
        prev = hash;
        expected_seq += 1;
        count += 1;
    }
    let (head_seq, head_hash) = head(conn)?;
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Ok(broken(
            expected_seq,
            count,
            format!(
                "链尾应为第 {head_seq} 条事件，实际只到第 {} 条，末尾的审计记录被删除",
                expected_seq - 1
            ),
        ));
    }
    Ok(AuditReport {
        ok: true,
        events: count,
        broken_at: None,
        message: format!("审计链完整：共 {count} 条事件，逐条校验无误"),
    })
}

/// One event of the audit trail, for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub seq: u32,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
}

/// Reads `seq, at, actor, action, entity, entity_id, summary`.
fn event_from_row(r: &rusqlite::Row) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        summary: r.get(6)?,
    })
}

/// The events about one entity, oldest first.
pub fn events_for(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, summary FROM audit_events
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![entity, entity_id], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The timeline of a case: every audited write about it or its hearings, oldest first; and the
/// 会商研判 that discussed it on another org's desk (received by sync, so not in this desk's
/// audit trail), at their last change, with seq 0.
pub fn case_timeline(conn: &Connection, case_id: &str) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, summary FROM audit_events
         WHERE case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([case_id], event_from_row)?;
    let mut out: Vec<AuditEvent> = rows.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT i.updated_at, COALESCE(o.name, i.org_id), i.id, i.meeting_title, i.held_on,
                i.conclusion, i.conclusion_text
         FROM meeting_items i LEFT JOIN orgs o ON o.id = i.org_id
         WHERE i.case_id = ?1 AND NOT EXISTS (
             SELECT 1 FROM audit_events a WHERE a.entity = 'meeting_item' AND a.entity_id = i.id)",
    )?;
    let synced = stmt
        .query_map([case_id], |r| {
            let (title, held_on): (String, String) = (r.get(3)?, r.get(4)?);
            let conclusion: String = r.get(5)?;
            let words: String = r.get(6)?;
            let what = match hearing_core::meeting::Conclusion::parse(&conclusion) {
                None => "列入议题".to_owned(),
                Some(c) if words.is_empty() => format!("研判结论 {}", c.label()),
                Some(c) => format!("研判结论 {}，{words}", c.label()),
            };
            Ok(AuditEvent {
                seq: 0,
                at: r.get(0)?,
                actor: r.get(1)?,
                action: "会商研判".to_owned(),
                entity: "meeting_item".to_owned(),
                entity_id: r.get(2)?,
                summary: format!("{title}（{held_on}）：{what}"),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if !synced.is_empty() {
        out.extend(synced);
        // Stable: this desk's own events keep their order.
        out.sort_by(|a, b| a.at.cmp(&b.at));
    }
    Ok(out)
}

/// The number of events, for a quick status line.
pub fn count(conn: &Connection) -> Result<u32> {
    Ok(conn
        .query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}
