//! The invariants of decoding what crosses the wire or comes from a file, as checks over raw
//! bytes: the fuzz targets (`fuzz/`) run them on generated input, and
//! `tests/fuzz_regressions.rs` replays the committed corpus through the same functions, so the
//! two cannot drift. A check panics when an invariant fails. Not an API: hidden from the docs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::protocol::{Change, Op, Org, PullResponse, PushRequest};
use crate::{Hlc, MAX_BODY_BYTES, SYNCED_TABLES};

/// A pushed page as the server reads it: refused unread above [`MAX_BODY_BYTES`], then the
/// `changes` array item by item, each decoded into a [`Change`] and validated. Decoding the
/// whole body at once as a [`PushRequest`] (as a desk writes it) must agree with that.
pub fn push_page(data: &[u8]) {
    if data.len() > MAX_BODY_BYTES {
        return;
    }
    let whole: Option<PushRequest> = serde_json::from_slice(data).ok();
    let items: Option<Vec<Value>> = serde_json::from_slice::<Value>(data)
        .ok()
        .and_then(|v| v.get("changes")?.as_array().cloned());
    // Not JSON with a changes array: the server refuses the page. (Decoding it whole can still
    // succeed: serde_json skips the string of an unknown field without checking its UTF-8.)
    let Some(items) = items else {
        return;
    };
    let decoded: Vec<Option<Change>> = items
        .into_iter()
        .map(|v| serde_json::from_value(v).ok())
        .collect();
    if let Some(page) = &whole {
        let one_by_one: Vec<Change> = decoded.iter().flatten().cloned().collect();
        assert_eq!(
            page.changes, one_by_one,
            "whole and item-wise decoding differ"
        );
    }
    let mut all_valid = true;
    for c in decoded.iter().flatten() {
        all_valid &= change(c);
    }
    if let (Some(page), true) = (whole, all_valid) {
        let bytes = serde_json::to_vec(&page).unwrap_or_default();
        let back: Result<PushRequest, _> = serde_json::from_slice(&bytes);
        assert_eq!(back.ok(), Some(page), "a valid page does not round-trip");
    }
}

/// A pulled page as a desk reads it: the body decoded as a [`PullResponse`], each change
/// validated before it is applied; a page whose changes all validate round-trips.
pub fn pull_page(data: &[u8]) {
    let Ok(page) = serde_json::from_slice::<PullResponse>(data) else {
        return;
    };
    let mut all_valid = true;
    for c in &page.changes {
        all_valid &= change(c);
    }
    if all_valid {
        let bytes = serde_json::to_vec(&page).unwrap_or_default();
        let back: Result<PullResponse, _> = serde_json::from_slice(&bytes);
        assert_eq!(back.ok(), Some(page), "a valid page does not round-trip");
    }
}

/// One decoded change: `validate` is deterministic and never panics; what it accepts has the
/// properties the server's SQL and the desk's merge rely on, its clock in the one text form that
/// sorts as it compares, and it round-trips through JSON and validates again the same.
/// Returns whether it validated.
fn change(c: &Change) -> bool {
    let verdict = c.validate();
    assert_eq!(verdict, c.validate(), "validate is not deterministic");
    let hlc = match verdict {
        Ok(hlc) => hlc,
        Err(message) => {
            assert!(!message.is_empty(), "a refusal without a message");
            return false;
        }
    };
    assert_eq!(hlc.to_string(), c.hlc, "the clock text is not canonical");
    assert_eq!(c.hlc.parse::<Hlc>().ok(), Some(hlc));
    assert!(!c.id.is_empty() && c.id.len() <= 64, "{:?}", c.id);
    assert!(!c.org_id.is_empty() && !c.device_id.is_empty() && !c.pk.is_empty());
    assert!(SYNCED_TABLES.contains(&c.table.as_str()), "{:?}", c.table);
    assert!(
        c.op == Op::Upsert || c.cols.is_empty(),
        "a delete with columns"
    );
    for (k, v) in &c.cols {
        assert!(
            !k.is_empty()
                && k.len() <= 64
                && k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "column name {k:?}"
        );
        let blob = v
            .as_object()
            .is_some_and(|o| o.len() == 1 && o.get("$blob").is_some_and(Value::is_string));
        assert!(
            matches!(v, Value::Null | Value::String(_) | Value::Number(_)) || blob,
            "{k}: {v}"
        );
    }
    let bytes = serde_json::to_vec(c).unwrap_or_default();
    let back: Option<Change> = serde_json::from_slice(&bytes).ok();
    assert_eq!(back.as_ref(), Some(c), "a valid change does not round-trip");
    assert_eq!(back.map(|b| b.validate()), Some(Ok(hlc)));
    true
}

/// An org file (`hearing-server org import`): `parse` is the server's parser, which returns
/// the orgs parents first. Checked against an independent reading of the same text: it accepts
/// exactly the arrays of orgs with distinct ids whose parent links inside the file have no
/// cycle, returns each of them once, and puts a parent named in the file before its children.
pub fn org_file(data: &[u8], parse: impl Fn(&str) -> Result<Vec<Org>, String>) {
    // The server reads the file as UTF-8 text and stops before parsing when it is not.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verdict = parse(text);
    assert_eq!(verdict, parse(text), "the parser is not deterministic");
    let Ok(listed) = serde_json::from_str::<Vec<Org>>(text) else {
        let message = verdict.err().unwrap_or_default();
        assert!(
            !message.is_empty(),
            "accepted a file that is not an org array"
        );
        return;
    };
    let mut by_id: BTreeMap<&str, &Org> = BTreeMap::new();
    let distinct = listed.iter().all(|o| by_id.insert(&o.id, o).is_none());
    // A cycle: following parents inside the file from some org comes back to an org seen.
    let cyclic = by_id.keys().any(|start| {
        let mut seen = BTreeSet::new();
        let mut at = Some(*start);
        while let Some(id) = at {
            if !seen.insert(id) {
                return true;
            }
            at = by_id
                .get(id)
                .and_then(|o| o.parent_id.as_deref())
                .filter(|p| by_id.contains_key(p));
        }
        false
    });
    let ordered = match verdict {
        Ok(ordered) => ordered,
        Err(message) => {
            assert!(!message.is_empty());
            assert!(!distinct || cyclic, "refused a good file: {message}");
            return;
        }
    };
    assert!(distinct && !cyclic, "accepted a repeated id or a cycle");
    let mut want = listed.clone();
    let mut got = ordered.clone();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want, "not the orgs of the file, each once");
    let mut placed = BTreeSet::new();
    for o in &ordered {
        if let Some(p) = o.parent_id.as_deref().filter(|p| by_id.contains_key(p)) {
            assert!(placed.contains(p), "{} comes before its parent {p}", o.id);
        }
        placed.insert(o.id.as_str());
    }
}
