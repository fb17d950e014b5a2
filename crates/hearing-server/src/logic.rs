//! The rules of the protocol that do not depend on the store: the org tree and its scoping,
//! checking a pushed page, enrolment codes and tokens.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use hearing_sync::{Change, Hlc, Op, Org};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::storage::{OrgRecord, Stamp};

/// The device id of changes the server itself makes (the admin CLI's org edits).
pub const SERVER_DEVICE: &str = "server";

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The org tree in memory, with the stamps of its rows (for last-writer-wins on org changes).
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    orgs: BTreeMap<String, OrgRecord>,
    /// Rows changed since loading, to be written with the page.
    touched: BTreeSet<String>,
}

impl OrgTree {
    pub fn new(records: Vec<OrgRecord>) -> OrgTree {
        OrgTree {
            orgs: records.into_iter().map(|r| (r.org.id.clone(), r)).collect(),
            touched: BTreeSet::new(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&OrgRecord> {
        self.orgs.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.orgs.contains_key(id)
    }

    /// `id` and every org below it, `id` first. An unknown id gives just itself.
    pub fn subtree(&self, id: &str) -> Vec<String> {
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in self.orgs.values() {
            if let Some(p) = &r.org.parent_id {
                children
                    .entry(p.as_str())
                    .or_default()
                    .push(r.org.id.as_str());
            }
        }
        let mut out = vec![id.to_owned()];
        let mut seen: BTreeSet<String> = out.iter().cloned().collect();
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = children.get(out[i].as_str()) {
                for k in kids {
                    if seen.insert((*k).to_owned()) {
                        out.push((*k).to_owned());
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// The orgs above `id`, nearest first (none for a root or an unknown id).
    pub fn ancestors(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = self.orgs.get(id).and_then(|r| r.org.parent_id.clone());
        while let Some(c) = cur {
            if out.contains(&c) || out.len() > self.orgs.len() {
                break; // a cycle: the tree check at admission keeps them out
            }
            cur = self.orgs.get(&c).and_then(|r| r.org.parent_id.clone());
            out.push(c);
        }
        out
    }

    /// Whether `id` is `root` or below it.
    pub fn is_within(&self, id: &str, root: &str) -> bool {
        let mut cur = Some(id.to_owned());
        let mut steps = 0;
        while let Some(c) = cur {
            if c == root {
                return true;
            }
            steps += 1;
            if steps > self.orgs.len() + 1 {
                return false;
            }
            cur = self.orgs.get(&c).and_then(|r| r.org.parent_id.clone());
        }
        false
    }

    /// The whole tree, parents before children (roots first, then by name of path).
    pub fn ordered(&self) -> Vec<Org> {
        let mut out = Vec::new();
        let mut roots: Vec<&OrgRecord> = self
            .orgs
            .values()
            .filter(|r| {
                r.org
                    .parent_id
                    .as_ref()
                    .is_none_or(|p| !self.orgs.contains_key(p))
            })
            .collect();
        roots.sort_by(|a, b| a.org.id.cmp(&b.org.id));
        for r in roots {
            for id in self.subtree(&r.org.id) {
                if let Some(rec) = self.orgs.get(&id) {
                    out.push(rec.org.clone());
                }
            }
        }
        out
    }

    /// Sets a row (the stamp decides nothing here: the caller checked it).
    pub fn set(&mut self, rec: OrgRecord) {
        self.touched.insert(rec.org.id.clone());
        self.orgs.insert(rec.org.id.clone(), rec);
    }

    /// The rows changed since loading.
    pub fn touched(&self) -> Vec<OrgRecord> {
        self.touched
            .iter()
            .filter_map(|id| self.orgs.get(id).cloned())
            .collect()
    }
}

/// Whether a change of `table` owned by `org` (about `scope`) is visible to a device whose org
/// subtree is `subtree` and whose ancestors are `pools`: as its pull selects (every `orgs` row,
/// the changes of or about its subtree, the person pools of the orgs above it).
pub fn visible(
    table: &str,
    org: &str,
    scope: Option<&str>,
    subtree: &[String],
    pools: &[String],
) -> bool {
    let within = |o: &str| subtree.iter().any(|s| s == o);
    table == "orgs"
        || within(org)
        || scope.is_some_and(within)
        || (table == "persons" && pools.iter().any(|p| p == org))
}

/// Why a page is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 400 bad_request.
    Invalid(String),
    /// 403 forbidden.
    Forbidden(String),
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

/// Checks that a device of `caller_org` owns the row a change of its page writes, as the server
/// holds it (`owners`: see [`crate::storage::Storage::row_owners`]): a row the server holds
/// already is changed only by a device of its owning org — a county cannot overwrite the city's
/// decision by claiming it for itself. A row new to the server may be any org's of the caller's
/// subtree ([`admit`]: a desk brings what it kept before it enrolled), and a change the server
/// holds already is a harmless resend.
pub fn admit_owner(
    tree: &OrgTree,
    owners: &crate::storage::RowOwners,
    caller_org: &str,
    change: &Change,
) -> Result<(), Refusal> {
    if change.table == "orgs" || owners.held.contains(&change.id) {
        return Ok(());
    }
    let Some(owner) = owners
        .owners
        .get(&(change.table.clone(), change.pk.clone()))
    else {
        return Ok(());
    };
    if owner == caller_org {
        return Ok(());
    }
    let name = tree
        .get(owner)
        .map(|r| r.org.name.clone())
        .unwrap_or_else(|| owner.clone());
    Err(Refusal::Forbidden(format!(
        "更改 {} 修改的记录属于“{name}”，只能由该单位的设备修改，整批未保存",
        change.id
    )))
}

/// Checks one change of a page pushed by a device of org `caller_org` against the tree (as
/// changed by the earlier changes of the page), and applies an `orgs` upsert to the tree when it
/// is newer than the row's stamp. `change.validate()` has already passed.
pub fn admit(tree: &mut OrgTree, caller_org: &str, change: &Change) -> Result<(), Refusal> {
    let id = &change.id;
    if !tree.is_within(&change.org_id, caller_org) {
        return Err(Refusal::Forbidden(format!(
            "更改 {id} 属于单位“{}”，不在本设备所属单位“{caller_org}”及其下级范围内，整批未保存",
            change.org_id
        )));
    }
    // A record is addressed only to orgs at or below the writer's: a county cannot make its
    // records visible to another county.
    if let Some(scope) = &change.scope_org {
        if !tree.is_within(scope, caller_org) {
            return Err(Refusal::Forbidden(format!(
                "更改 {id} 涉及单位“{scope}”，不在本设备所属单位“{caller_org}”及其下级范围内，整批未保存"
            )));
        }
    }
    if change.table != "orgs" {
        return Ok(());
    }
    // An org row: its orgId is its parent, or itself for a root.
    let org_id = &change.pk;
    let parent = if change.org_id == *org_id {
        None
    } else {
        Some(change.org_id.clone())
    };
    if change.op == Op::Upsert {
        if let Some(v) = change.cols.get("parent_id") {
            let col_parent = match v {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                _ => return Err(Refusal::Invalid(format!("更改 {id} 的上级单位字段无效"))),
            };
            if col_parent != parent {
                return Err(Refusal::Invalid(format!(
                    "更改 {id} 的上级单位（parent_id）与其归属单位（orgId）不一致"
                )));
            }
        }
    }
    let existing = tree.get(org_id).cloned();
    if let Some(old) = &existing {
        if !tree.is_within(org_id, caller_org) {
            return Err(Refusal::Forbidden(format!(
                "更改 {id} 修改单位“{org_id}”，该单位不在本设备的管辖范围内，整批未保存"
            )));
        }
        if parent.is_none() && old.org.parent_id.is_some() {
            return Err(Refusal::Forbidden(format!(
                "更改 {id} 试图把下级单位“{org_id}”改为根单位，整批未保存"
            )));
        }
    }
    if let Some(p) = &parent {
        if tree.is_within(p, org_id) {
            return Err(Refusal::Invalid(format!(
                "更改 {id} 会让单位“{org_id}”成为自己的下级，整批未保存"
            )));
        }
    }
    if change.op == Op::Delete {
        // The server's tree keeps a deleted org: stored changes of it stay scoped by it.
        return Ok(());
    }
    let stamp = Stamp::of(change);
    if existing.as_ref().is_some_and(|old| old.stamp >= stamp) {
        return Ok(());
    }
    let base = existing.map(|r| r.org).unwrap_or(Org {
        id: org_id.clone(),
        parent_id: None,
        name: org_id.clone(),
        short_name: String::new(),
        kind: String::new(),
        code: String::new(),
    });
    let cols = &change.cols;
    let org = Org {
        id: org_id.clone(),
        parent_id: parent,
        name: text(cols.get("name")).unwrap_or(base.name),
        short_name: text(cols.get("short_name")).unwrap_or(base.short_name),
        kind: text(cols.get("kind")).unwrap_or(base.kind),
        code: text(cols.get("code")).unwrap_or(base.code),
    };
    tree.set(OrgRecord { org, stamp });
    Ok(())
}

/// The `orgs` change the server makes for an org the admin added or changed, so desks hear of it
/// through `pull`. `created` adds the desk's `created_at`.
pub fn org_change(org: &Org, previous: Option<&Stamp>, created: bool) -> Change {
    let wall = u64::try_from(now_ms()).unwrap_or(0);
    let prev_hlc = previous
        .and_then(|s| s.hlc.parse::<Hlc>().ok())
        .unwrap_or(Hlc::ZERO);
    let hlc = prev_hlc.tick(wall);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut cols = Map::new();
    cols.insert(
        "parent_id".into(),
        org.parent_id.clone().map_or(Value::Null, Value::String),
    );
    cols.insert("name".into(), Value::String(org.name.clone()));
    cols.insert("short_name".into(), Value::String(org.short_name.clone()));
    cols.insert("kind".into(), Value::String(org.kind.clone()));
    cols.insert("code".into(), Value::String(org.code.clone()));
    if created {
        cols.insert("created_at".into(), Value::String(now.clone()));
    }
    cols.insert("updated_at".into(), Value::String(now.clone()));
    Change {
        id: uuid::Uuid::now_v7().to_string(),
        org_id: org.parent_id.clone().unwrap_or_else(|| org.id.clone()),
        device_id: SERVER_DEVICE.to_owned(),
        hlc: hlc.to_string(),
        table: "orgs".into(),
        pk: org.id.clone(),
        op: Op::Upsert,
        cols,
        at: now,
        scope_org: None,
    }
}

/// The alphabet of enrolment codes: no 0/O, 1/I/L, U/V.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
const CODE_LEN: usize = 12;

pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| format!("无法取得随机数：{e}"))?;
    Ok(b)
}

/// A new enrolment code, e.g. `K7QM-2XPD-9WTA` (12 characters of a 29-letter alphabet, ~58
/// bits).
pub fn new_code() -> Result<String, String> {
    let n = CODE_ALPHABET.len();
    let limit = 256 - 256 % n; // reject bytes that would bias the choice
    let mut chars = Vec::with_capacity(CODE_LEN);
    while chars.len() < CODE_LEN {
        for b in random_bytes::<32>()? {
            if usize::from(b) < limit && chars.len() < CODE_LEN {
                chars.push(char::from(CODE_ALPHABET[usize::from(b) % n]));
            }
        }
    }
    let s: String = chars.into_iter().collect();
    Ok(format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12]))
}

/// The stored form of a code: SHA-256 of its letters, upper case, without dashes or spaces, so a
/// clerk may type it in lower case or without dashes.
pub fn code_hash(code: &str) -> [u8; 32] {
    let norm: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    Sha256::digest(norm.as_bytes()).into()
}

/// A new device token (32 random bytes, base64url without padding) and the hash to store.
pub fn new_token() -> Result<(String, [u8; 32]), String> {
    let raw = random_bytes::<32>()?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

pub fn new_device_id() -> String {
    format!("dev-{}", uuid::Uuid::now_v7())
}

/// The blobs a change refers to: the hashes of its `{"$blob": "<sha256>"}` values (a BLOB column
/// such as `documents.pdf`), each once, sorted.
pub fn blob_refs(change: &Change) -> Vec<String> {
    let refs: BTreeSet<String> = change
        .cols
        .values()
        .filter_map(|v| v.get("$blob").and_then(Value::as_str).map(str::to_owned))
        .collect();
    refs.into_iter().collect()
}

/// The start of a blob name, to name it in a message.
pub fn short_hash(sha256: &str) -> String {
    let head: String = sha256.chars().take(12).collect();
    if head.len() < sha256.len() {
        format!("{head}…")
    } else {
        head
    }
}

/// Whether `s` is a blob name: 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(id: &str, parent: Option<&str>) -> OrgRecord {
        OrgRecord {
            org: Org {
                id: id.into(),
                parent_id: parent.map(Into::into),
                name: id.into(),
                short_name: String::new(),
                kind: String::new(),
                code: String::new(),
            },
            stamp: Stamp::default(),
        }
    }

    fn tree() -> OrgTree {
        OrgTree::new(vec![
            rec("city", None),
            rec("a", Some("city")),
            rec("b", Some("city")),
            rec("a1", Some("a")),
        ])
    }

    fn org_change(pk: &str, org_id: &str, hlc: &str, cols: Value) -> Change {
        serde_json::from_value(json!({
            "id": format!("c-{pk}-{hlc}"), "orgId": org_id, "deviceId": "dev-1", "hlc": hlc,
            "table": "orgs", "pk": pk, "op": "upsert", "cols": cols, "at": ""
        }))
        .unwrap()
    }

    #[test]
    fn subtrees_and_order() {
        let t = tree();
        assert_eq!(t.subtree("a"), vec!["a", "a1"]);
        assert_eq!(t.subtree("city").len(), 4);
        assert!(t.is_within("a1", "city") && !t.is_within("a1", "b"));
        let ids: Vec<_> = t.ordered().into_iter().map(|o| o.id).collect();
        assert_eq!(ids[0], "city");
        assert!(ids.iter().position(|i| i == "a") < ids.iter().position(|i| i == "a1"));
    }

    #[test]
    fn org_changes_are_scoped_and_cannot_hijack() {
        let mut t = tree();
        let hlc = "1764201600000-00000";
        // A county adds an organ below itself.
        admit(
            &mut t,
            "a",
            &org_change("a2", "a", hlc, json!({"name": "法院"})),
        )
        .unwrap();
        assert_eq!(t.get("a2").unwrap().org.parent_id.as_deref(), Some("a"));
        // It cannot move county b under itself, nor edit itself (its parent is the city).
        assert!(matches!(
            admit(&mut t, "a", &org_change("b", "a", hlc, json!({}))),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            admit(&mut t, "a", &org_change("a", "city", hlc, json!({}))),
            Err(Refusal::Forbidden(_))
        ));
        // Nor make its organ a root, nor a cycle.
        assert!(matches!(
            admit(&mut t, "a", &org_change("a1", "a1", hlc, json!({}))),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            admit(&mut t, "city", &org_change("a", "a1", hlc, json!({}))),
            Err(Refusal::Invalid(_))
        ));
        // parent_id must agree with orgId.
        assert!(matches!(
            admit(
                &mut t,
                "a",
                &org_change("a3", "a", hlc, json!({"parent_id": "b"}))
            ),
            Err(Refusal::Invalid(_))
        ));
    }

    #[test]
    fn older_org_changes_do_not_win() {
        let mut t = tree();
        admit(
            &mut t,
            "a",
            &org_change("a1", "a", "1764201600005-00000", json!({"name": "新"})),
        )
        .unwrap();
        admit(
            &mut t,
            "a",
            &org_change("a1", "a", "1764201600001-00000", json!({"name": "旧"})),
        )
        .unwrap();
        assert_eq!(t.get("a1").unwrap().org.name, "新");
    }

    #[test]
    fn blob_refs_are_the_blob_values_of_a_change() {
        let h1 = "ab".repeat(32);
        let h2 = "cd".repeat(32);
        let c: Change = serde_json::from_value(json!({
            "id": "c1", "orgId": "a", "deviceId": "dev-1", "hlc": "1764201600000-00000",
            "table": "documents", "pk": "doc-1", "op": "upsert", "at": "",
            "cols": {"pdf": {"$blob": h2}, "scan": {"$blob": h1}, "again": {"$blob": h2},
                     "pdf_sha256": h1, "title": "告知书", "n": 3, "none": null}
        }))
        .unwrap();
        assert_eq!(blob_refs(&c), vec![h1.clone(), h2]);
        assert_eq!(short_hash(&h1), format!("{}…", &h1[..12]));
        assert_eq!(short_hash("abc"), "abc");
    }

    #[test]
    fn codes_look_right_and_normalise() {
        let c = new_code().unwrap();
        assert_eq!(c.len(), 14);
        assert!(c
            .chars()
            .all(|ch| ch == '-' || CODE_ALPHABET.contains(&(ch as u8))));
        assert_eq!(
            code_hash(&c),
            code_hash(&c.to_lowercase().replace('-', " "))
        );
        assert_ne!(new_code().unwrap(), c);
        let (t, h) = new_token().unwrap();
        assert_eq!(t.len(), 43);
        assert_eq!(token_hash(&t), h);
    }
}
