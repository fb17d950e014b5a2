//! The admin commands, on the store directly (the server may be running: SQLite in WAL mode
//! lets both write, one at a time; PostgreSQL serialises their pushes on the log).

use std::collections::BTreeMap;

use hearing_sync::Org;

use crate::logic::{self, OrgTree};
use crate::storage::{DeviceRecord, NewCode, OrgRecord, PushPage, Stamp, Storage};

/// An admin command's failure, said in Chinese.
pub type AdminResult<T> = Result<T, String>;

fn check_org(org: &Org) -> AdminResult<()> {
    let ok_id = !org.id.is_empty()
        && org.id.len() <= 64
        && org
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if !ok_id {
        return Err(format!(
            "单位编号“{}”无效：只能用字母、数字、-、_、.，最长 64 个字符",
            org.id
        ));
    }
    if org.name.trim().is_empty() {
        return Err(format!("单位“{}”缺少名称", org.id));
    }
    if org.parent_id.as_deref() == Some(org.id.as_str()) {
        return Err(format!("单位“{}”不能是自己的上级", org.id));
    }
    Ok(())
}

/// Writes orgs (added or changed) to the tree and to the log, as changes the server makes, so
/// desks hear of them when they pull. Parents must exist or come earlier in `orgs`.
async fn write_orgs(store: &dyn Storage, orgs: Vec<Org>, must_be_new: bool) -> AdminResult<usize> {
    let mut tree = OrgTree::new(store.orgs().await.map_err(|e| e.to_string())?);
    let mut changes = Vec::new();
    for org in orgs {
        check_org(&org)?;
        let previous = tree.get(&org.id).cloned();
        if must_be_new && previous.is_some() {
            return Err(format!("单位“{}”已存在", org.id));
        }
        if let Some(p) = &org.parent_id {
            if !tree.contains(p) {
                return Err(format!(
                    "单位“{}”的上级单位“{p}”不存在，请先添加上级",
                    org.id
                ));
            }
            if tree.is_within(p, &org.id) {
                return Err(format!("单位“{}”不能成为自己下级“{p}”的下级", org.id));
            }
        }
        if previous.as_ref().is_some_and(|r| r.org == org) {
            continue;
        }
        let change = logic::org_change(
            &org,
            previous.as_ref().map(|r| &r.stamp),
            previous.is_none(),
        );
        tree.set(OrgRecord {
            org,
            stamp: Stamp::of(&change),
        });
        changes.push(change);
    }
    let n = changes.len();
    if n > 0 {
        store
            .push_page(PushPage {
                changes,
                orgs: tree.touched(),
                blob_orgs: Vec::new(),
                received_at: logic::now_ms(),
            })
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(n)
}

pub async fn org_add(store: &dyn Storage, org: Org) -> AdminResult<()> {
    write_orgs(store, vec![org], true).await.map(|_| ())
}

/// Imports an array of orgs (adds new ones, updates changed ones), parents first whatever the
/// order in the file. Returns how many were written.
pub async fn org_import(store: &dyn Storage, json: &str) -> AdminResult<usize> {
    write_orgs(store, parse_org_file(json)?, false).await
}

/// Reads an org file (a JSON array of orgs) and puts parents first whatever the order in the
/// file; refuses a repeated id or a cycle. No store: the `org_import` fuzz target runs it.
pub fn parse_org_file(json: &str) -> AdminResult<Vec<Org>> {
    let orgs: Vec<Org> =
        serde_json::from_str(json).map_err(|e| format!("单位文件不是有效的单位数组：{e}"))?;
    let mut by_id: BTreeMap<String, Org> = BTreeMap::new();
    for o in orgs {
        if by_id.insert(o.id.clone(), o.clone()).is_some() {
            return Err(format!("单位文件中“{}”出现了不止一次", o.id));
        }
    }
    // Parents first: repeatedly take the orgs whose parent is known or outside the file.
    let mut ordered = Vec::new();
    let mut placed = std::collections::BTreeSet::new();
    while !by_id.is_empty() {
        let ready: Vec<String> = by_id
            .values()
            .filter(|o| {
                o.parent_id
                    .as_ref()
                    .is_none_or(|p| placed.contains(p) || !by_id.contains_key(p))
            })
            .map(|o| o.id.clone())
            .collect();
        if ready.is_empty() {
            return Err("单位文件中的上下级关系有循环".into());
        }
        for id in ready {
            if let Some(o) = by_id.remove(&id) {
                placed.insert(id);
                ordered.push(o);
            }
        }
    }
    Ok(ordered)
}

pub async fn org_list(store: &dyn Storage) -> AdminResult<Vec<(usize, Org)>> {
    let tree = OrgTree::new(store.orgs().await.map_err(|e| e.to_string())?);
    let ordered = tree.ordered();
    let depth = |o: &Org| {
        let mut d = 0;
        let mut cur = o.parent_id.clone();
        while let Some(p) = cur {
            d += 1;
            if d > ordered.len() {
                break;
            }
            cur = tree.get(&p).and_then(|r| r.org.parent_id.clone());
        }
        d
    };
    Ok(ordered.iter().map(|o| (depth(o), o.clone())).collect())
}

/// Issues a one-time code for `org_id`, valid for `ttl_secs`; returns the code and its expiry.
pub async fn code_issue(
    store: &dyn Storage,
    org_id: &str,
    ttl_secs: u64,
) -> AdminResult<(String, i64)> {
    let tree = OrgTree::new(store.orgs().await.map_err(|e| e.to_string())?);
    if !tree.contains(org_id) {
        return Err(format!("单位“{org_id}”不存在，请先用 org add 添加"));
    }
    let code = logic::new_code()?;
    let now = logic::now_ms();
    let ttl_ms = i64::try_from(ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let expires_at = now.saturating_add(ttl_ms);
    store
        .create_code(NewCode {
            code_hash: logic::code_hash(&code),
            org_id: org_id.to_owned(),
            created_at: now,
            expires_at,
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok((code, expires_at))
}

/// The demo city's org tree (the single-desk demo's, each org's id its code: QSS, DHQ, DHQFY …),
/// added or brought back to the demo's names, and a one-time code for each org valid for
/// `ttl_secs`: `(org code, enrolment code)` in tree order, parents first.
pub async fn demo(store: &dyn Storage, ttl_secs: u64) -> AdminResult<Vec<(String, String)>> {
    let data = hearing_demo::demo_data();
    let code_of = |key: &str| {
        data.orgs
            .iter()
            .find(|o| o.key == key)
            .map(|o| o.input.code.clone())
            .ok_or_else(|| format!("演示数据引用了不存在的单位 {key}"))
    };
    let mut orgs = Vec::with_capacity(data.orgs.len());
    for o in &data.orgs {
        orgs.push(Org {
            id: o.input.code.clone(),
            parent_id: o.parent.map(code_of).transpose()?,
            name: o.input.name.clone(),
            short_name: o.input.short_name.clone(),
            kind: o.input.kind.as_str().to_owned(),
            code: o.input.code.clone(),
        });
    }
    write_orgs(store, orgs.clone(), false).await?;
    let mut out = Vec::with_capacity(orgs.len());
    for o in &orgs {
        let (code, _) = code_issue(store, &o.id, ttl_secs).await?;
        out.push((o.id.clone(), code));
    }
    Ok(out)
}

pub async fn device_list(store: &dyn Storage) -> AdminResult<Vec<DeviceRecord>> {
    store.devices().await.map_err(|e| e.to_string())
}

pub async fn device_revoke(store: &dyn Storage, id: &str) -> AdminResult<()> {
    if store
        .revoke_device(id, logic::now_ms())
        .await
        .map_err(|e| e.to_string())?
    {
        Ok(())
    } else {
        Err(format!("没有编号为“{id}”的设备"))
    }
}

/// Unix milliseconds as local time for people.
pub fn show_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| ms.to_string())
}
