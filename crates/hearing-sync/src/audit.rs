//! Audit events on the wire: each desk's hash chain is pushed to the server, which checks every
//! link on receipt (docs/sync-protocol.md, "Audit chain"). The hash is defined here once, for the
//! desk that makes the chain and the server that checks it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prevHash` of a desk's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Most events in one pushed page.
pub const MAX_PUSH_AUDIT: usize = 500;

/// One event of a desk's audit chain, exactly as the desk stored and hashed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub seq: i64,
    pub id: String,
    pub at: String,
    pub actor: String,
    pub device_id: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    /// The JSON text of the change ids, as hashed.
    pub change_ids: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this event should have, given its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        event_hash(
            &self.prev_hash,
            self.seq,
            &self.id,
            &self.at,
            &self.actor,
            &self.device_id,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.summary,
            &self.change_ids,
        )
    }
}

/// `POST /v1/audit`: the next events of the pushing desk's chain, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPushRequest {
    pub events: Vec<AuditEvent>,
}

/// The head of the desk's chain as the server now holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPushResponse {
    pub seq: i64,
    pub hash: String,
}

/// SHA-256 over the parts, each followed by the unit separator 0x1F, as lowercase hex.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    id: &str,
    at: &str,
    actor: &str,
    device_id: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    summary: &str,
    change_ids: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        id,
        at,
        actor,
        device_id,
        action,
        entity,
        entity_id,
        summary,
        change_ids,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Why a pushed page does not continue the chain the server holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// An event whose hash does not match its content: it was altered after being written.
    Altered { seq: i64 },
    /// An event whose `prevHash` is not the hash of the event before it.
    Unlinked { seq: i64 },
    /// The page skips events.
    Gap { expected: i64, got: i64 },
    /// An event the server already holds, with different content (the chain was rewritten).
    Rewritten { seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq } => write!(
                f,
                "审计链在第 {seq} 条断开：该条内容与其校验值不符，写入后被改动过"
            ),
            Self::Unlinked { seq } => write!(
                f,
                "审计链在第 {seq} 条断开：它没有接在第 {} 条之后（前一条被改动、删除或调换）",
                seq - 1
            ),
            Self::Gap { expected, got } => write!(
                f,
                "审计链缺少记录：服务器应收到第 {expected} 条，实际从第 {got} 条开始"
            ),
            Self::Rewritten { seq } => write!(
                f,
                "审计链第 {seq} 条与服务器已收到的不同：本机的审计记录被改写或恢复了旧备份"
            ),
        }
    }
}

/// Checks `events` against the chain head `(seq, hash)` the server holds; `held` answers the hash
/// the server holds for an earlier seq (a resent event must be identical). Returns the events
/// that extend the chain, in order, or the first break.
pub fn check_chain(
    head: (i64, &str),
    events: &[AuditEvent],
    held: impl Fn(i64) -> Option<String>,
) -> Result<Vec<AuditEvent>, ChainBreak> {
    let (mut seq, mut hash) = (head.0, head.1.to_owned());
    let mut new = Vec::new();
    for e in events {
        if e.hash != e.expected_hash() {
            return Err(ChainBreak::Altered { seq: e.seq });
        }
        if e.seq <= seq {
            if held(e.seq).as_deref() != Some(e.hash.as_str()) {
                return Err(ChainBreak::Rewritten { seq: e.seq });
            }
            continue;
        }
        if e.seq != seq + 1 {
            return Err(ChainBreak::Gap {
                expected: seq + 1,
                got: e.seq,
            });
        }
        if e.prev_hash != hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        seq = e.seq;
        hash = e.hash.clone();
        new.push(e.clone());
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEvent {
                    seq,
                    id: format!("e{seq}"),
                    at: "2026-11-27T10:00:00Z".into(),
                    actor: "李记录".into(),
                    device_id: "d1".into(),
                    action: "记录笔录".into(),
                    entity: "testimony".into(),
                    entity_id: format!("t{seq}"),
                    summary: format!("第 {seq} 条"),
                    change_ids: "[]".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.expected_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn a_whole_chain_is_accepted_and_a_resend_is_harmless() {
        let c = chain(5);
        let new = check_chain((0, GENESIS), &c, |_| None).unwrap();
        assert_eq!(new.len(), 5);
        let held = |s: i64| c.iter().find(|e| e.seq == s).map(|e| e.hash.clone());
        let again = check_chain((5, &c[4].hash), &c, held).unwrap();
        assert!(again.is_empty());
        let tail = check_chain((3, &c[2].hash), &c, held).unwrap();
        assert_eq!(tail.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![4, 5]);
    }

    #[test]
    fn every_kind_of_break_names_its_link() {
        let c = chain(4);
        let mut altered = c.clone();
        altered[2].summary = "改过".into();
        assert_eq!(
            check_chain((0, GENESIS), &altered, |_| None),
            Err(ChainBreak::Altered { seq: 3 })
        );
        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(
            check_chain((0, GENESIS), &removed, |_| None),
            Err(ChainBreak::Gap {
                expected: 2,
                got: 3
            })
        );
        // Rehashed after an edit, but the next link still points at the old hash.
        let mut rehashed = c.clone();
        rehashed[1].summary = "改过".into();
        rehashed[1].hash = rehashed[1].expected_hash();
        assert_eq!(
            check_chain((0, GENESIS), &rehashed, |_| None),
            Err(ChainBreak::Unlinked { seq: 3 })
        );
        // The server already holds 1..=2; a different event 2 is a rewrite.
        let held = |s: i64| c.iter().find(|e| e.seq == s).map(|e| e.hash.clone());
        let other = chain(2);
        let mut other2 = other[1].clone();
        other2.summary = "另一条".into();
        other2.hash = other2.expected_hash();
        assert_eq!(
            check_chain((2, &c[1].hash), &[other2], held),
            Err(ChainBreak::Rewritten { seq: 2 })
        );
        assert!(ChainBreak::Unlinked { seq: 3 }
            .to_string()
            .contains("第 3 条"));
    }
}
