use serde::{Deserialize, Serialize};

use super::*;
use crate::{meta_get, Store, StoreError};

/// At the end of a run the backlog is indexed when it is at most this long (a few seconds of
/// work); a longer one (a desk's first pull) is left to the background (`search::catch_up`),
/// and searches say meanwhile that records are still being indexed.
pub(super) const INDEX_AFTER_RUN: u32 = 20_000;

/// What one sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    pub pushed: u32,
    pub duplicates: u32,
    pub pulled: u32,
    pub conflicts: u32,
}

pub(super) fn blob_refs(changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = changes
        .iter()
        .flat_map(|c| c.cols.values())
        .filter_map(|v| v.get("$blob").and_then(Value::as_str).map(str::to_owned))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Access to a store that others use too (the app keeps it behind a mutex). A sync run takes it
/// once per step (read an outbox page, acknowledge it, apply a pulled page with its cursor) and
/// never while it waits for the server, so the desk stays usable during a slow sync.
pub trait SyncAccess {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T>;
}

/// A store owned by the caller (the CLI, tests): every step simply uses it.
impl SyncAccess for std::cell::RefCell<&mut Store> {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        f(&mut self.borrow_mut())
    }
}

impl Store {
    /// Enrols this desk with a one-time code: the server's org tree comes in, the desk's existing
    /// rows are queued, and the credentials are kept.
    pub fn sync_enroll(&mut self, server: &str, code: &str, device_name: &str) -> Result<String> {
        enroll(&std::cell::RefCell::new(self), server, code, device_name)
    }

    /// One sync run (see [`run`]).
    pub fn sync_now(&mut self) -> Result<SyncOutcome> {
        run(&std::cell::RefCell::new(self))
    }
}

/// One sync run: push the outbox page by page (blobs first), then pull until the server has
/// nothing more. Each pulled page is applied with its cursor in one transaction, so an
/// interrupted run repeats at most one page. The run is recorded, failed or not. The store is
/// taken per step, never across a request to the server.
pub fn run(access: &impl SyncAccess) -> Result<SyncOutcome> {
    let started = access.with_store(|s| Ok(s.now_text()))?;
    let result = run_steps(access);
    let (pushed, pulled, conflicts, error) = match &result {
        Ok(o) => (
            o.pushed as usize,
            o.pulled as usize,
            o.conflicts as usize,
            None,
        ),
        Err(e) => (0, 0, 0, Some(e)),
    };
    access.with_store(|s| s.sync_record_run(&started, pushed, pulled, conflicts, error))?;
    result
}

/// How an app notices its own changes to push them: it looks for new local changes every
/// `LOCAL_CHANGE_POLL` and pushes `LOCAL_CHANGE_PUSH_DELAY` after the first it sees (edits in a
/// burst go together). The round-trip benchmark adds the same to each hop.
pub const LOCAL_CHANGE_POLL: std::time::Duration = std::time::Duration::from_millis(500);
pub const LOCAL_CHANGE_PUSH_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// How long one wait for the server's notice lasts (`GET /v1/wait`).
pub const NOTICE_WAIT_SECS: u64 = 25;

/// Waits up to `secs` for the server to hold changes for this desk after its pull cursor
/// (`GET /v1/wait`), taking the store only to read the credentials and the cursor, never during
/// the wait: `Ok(true)` when there are some (sync then), `Ok(false)` when the wait ended without.
pub fn wait_for_changes(access: &impl SyncAccess, secs: u64) -> Result<bool> {
    let (credentials, cursor) =
        access.with_store(|s| Ok((s.sync_credentials()?, s.sync_cursor()?)))?;
    let Some((server, token)) = credentials else {
        return Err(StoreError::refused("本机尚未注册到同步服务器"));
    };
    let client = hearing_sync::client::Client::new(&server, Some(&token));
    Ok(client.wait(&cursor, secs)?)
}

/// What a desk restored from an enrolled backup is told until it is enrolled again.
pub const RESTORED_UNENROLLED: &str = "本机已从备份恢复，同步注册已解除：恢复后的修改编号可能与恢复前已上报服务器的修改相同，\
     必须作为新设备重新注册后才能同步。请向市委政法委索取新的注册码，在“同步”页面（或 hearingctl enroll）重新注册；\
     恢复前的设备可请管理员在服务器上吊销";

pub(super) fn run_steps(access: &impl SyncAccess) -> Result<SyncOutcome> {
    if access
        .with_store(|s| meta_get(s.conn(), "restored_unenrolled"))?
        .is_some()
    {
        return Err(StoreError::refused(RESTORED_UNENROLLED));
    }
    let (server, token) = access
        .with_store(|s| s.sync_credentials())?
        .ok_or_else(|| {
            StoreError::refused("本机尚未注册到同步服务器；请先在“同步”页面输入服务器地址和注册码")
        })?;
    let client = hearing_sync::client::Client::new(&server, Some(&token));
    let mut out = SyncOutcome::default();
    push_outbox(access, &client, &mut out)?;
    let head = access.with_store(|s| s.sync_outbox_head())?;
    pull_all(access, &client, &mut out)?;
    // Pulling may have made changes here (a case renumbered because another desk had its
    // number first): they go out in the same run.
    if access.with_store(|s| s.sync_outbox_head())? != head {
        push_outbox(access, &client, &mut out)?;
    }
    push_audit(access, &client)?;
    if access.with_store(|s| s.search_pending())? <= INDEX_AFTER_RUN {
        crate::search::catch_up(access, |_| {})?;
    }
    Ok(out)
}

/// Pushes the audit events the server does not have yet, page by page; the server checks every
/// link of the chain and refuses a page that breaks it (the message names the first broken
/// link, and the run fails with it).
pub(super) fn push_audit(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
) -> Result<()> {
    loop {
        let page = access.with_store(|s| s.sync_audit_page(hearing_sync::audit::MAX_PUSH_AUDIT))?;
        if page.is_empty() {
            return Ok(());
        }
        let ack = client.push_audit(&page).map_err(|e| {
            let mut e = StoreError::from(e);
            if let StoreError::ServerRefused { message, .. } = &mut e {
                *message = format!("上报审计记录被拒绝：{message}");
            }
            e
        })?;
        access.with_store(|s| s.sync_audit_ack(ack.seq))?;
    }
}

impl Store {
    /// The next audit events to report: those after the last one the server acknowledged.
    pub fn sync_audit_page(&self, limit: usize) -> Result<Vec<hearing_sync::audit::AuditEvent>> {
        let after: i64 = crate::meta_get(self.conn(), "sync_audit_pushed")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut stmt = self.conn().prepare(
            "SELECT seq, id, at, actor, device_id, action, entity, entity_id, summary,
                    change_ids, prev_hash, hash
             FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![after, limit as i64], |r| {
                Ok(hearing_sync::audit::AuditEvent {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    at: r.get(2)?,
                    actor: r.get(3)?,
                    device_id: r.get(4)?,
                    action: r.get(5)?,
                    entity: r.get(6)?,
                    entity_id: r.get(7)?,
                    summary: r.get(8)?,
                    change_ids: r.get(9)?,
                    prev_hash: r.get(10)?,
                    hash: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records that the server holds the audit chain up to `seq`.
    pub fn sync_audit_ack(&self, seq: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO desk_meta (key, value) VALUES ('sync_audit_pushed', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [seq.to_string()],
        )?;
        Ok(())
    }
}

/// Pushes the outbox page by page (each page's blobs first).
pub(super) fn push_outbox(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
    out: &mut SyncOutcome,
) -> Result<()> {
    loop {
        // An outbox page and the bytes of the blobs it refers to, in one go.
        let (last, changes, blobs) = access.with_store(|s| {
            let page = s.sync_outbox_page(hearing_sync::MAX_PUSH_CHANGES)?;
            let last = page.last().map(|(seq, _)| *seq);
            let changes: Vec<Change> = page.into_iter().map(|(_, c)| c).collect();
            let mut blobs = Vec::new();
            for h in blob_refs(&changes) {
                if let Some(bytes) = s.sync_blob(&h)? {
                    blobs.push((h, bytes));
                }
            }
            Ok((last, changes, blobs))
        })?;
        let Some(last) = last else {
            break;
        };
        for (h, bytes) in &blobs {
            client.put_blob(h, bytes)?;
        }
        let resp = client.push(&changes)?;
        out.pushed += resp.accepted.len() as u32;
        out.duplicates += resp.duplicates.len() as u32;
        access.with_store(|s| s.sync_outbox_ack(last))?;
    }
    Ok(())
}

/// Pulls and applies pages until the server has nothing more. Foreign keys stay off from the
/// first page to the last (see `Store::relax_foreign_keys`), and are on again after.
pub(super) fn pull_all(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
    out: &mut SyncOutcome,
) -> Result<()> {
    access.with_store(|s| {
        s.pulling = true;
        Ok(())
    })?;
    let pulled = pull_pages(access, client, out);
    let restored = access.with_store(|s| {
        s.pulling = false;
        s.enforce_foreign_keys()
    });
    pulled.and(restored)
}

pub(super) fn pull_pages(
    access: &impl SyncAccess,
    client: &hearing_sync::client::Client,
    out: &mut SyncOutcome,
) -> Result<()> {
    let limit = hearing_sync::MAX_PULL_LIMIT;
    let cursor = access.with_store(|s| s.sync_cursor())?;
    let mut page = client.pull(&cursor, limit)?;
    std::thread::scope(|scope| loop {
        // The next page is fetched and read (on another core) while this one is applied; its
        // cursor is the one this page stores.
        let ahead = (page.more && !page.changes.is_empty()).then(|| {
            let after = page.cursor.clone();
            // A panic stays in the thread (it would otherwise end the scope with one).
            scope.spawn(move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    client.pull(&after, limit)
                }))
            })
        });
        let refs = blob_refs(&page.changes);
        let mut blobs: HashMap<String, Vec<u8>> = access.with_store(|s| {
            let mut held = HashMap::new();
            for h in &refs {
                if let Some(bytes) = s.sync_blob(h)? {
                    held.insert(h.clone(), bytes);
                }
            }
            Ok(held)
        })?;
        for h in refs {
            if blobs.contains_key(&h) {
                continue;
            }
            let bytes = client.get_blob(&h)?;
            if crate::sha256_hex(&bytes) != h {
                return Err(StoreError::BadAnswer(format!(
                    "从服务器取回的附件 {h} 校验不符，已停止同步"
                )));
            }
            blobs.insert(h, bytes);
        }
        let report =
            access.with_store(|s| s.sync_apply_page(&page.changes, &page.cursor, &blobs))?;
        out.pulled += report.applied as u32;
        out.conflicts += report.conflicts as u32;
        let Some(ahead) = ahead else {
            return Ok(());
        };
        page = ahead.join().ok().and_then(Result::ok).ok_or_else(|| {
            StoreError::Internal("接收同步数据时发生内部错误，已停止同步".into())
        })??;
    })
}

#[cfg(test)]
mod tests {
    use crate::{ErrorCode, StoreError};

    #[test]
    fn a_client_error_keeps_its_kind() {
        let offline = StoreError::from(hearing_sync::client::ClientError::Offline {
            url: "http://127.0.0.1:9".into(),
            detail: "connection refused".into(),
        });
        assert_eq!(offline.code(), ErrorCode::Offline);
        let refused = StoreError::from(hearing_sync::client::ClientError::Server {
            status: 401,
            code: "unauthorized".into(),
            message: "设备已停用".into(),
        });
        assert!(
            matches!(&refused, StoreError::ServerRefused { status: 401, code, .. } if code == "unauthorized"),
            "{refused:?}"
        );
        assert_eq!(refused.code(), ErrorCode::ServerRefused);
        let garbled = StoreError::from(hearing_sync::client::ClientError::Protocol("?".into()));
        assert_eq!(garbled.code(), ErrorCode::BadAnswer);
    }
}
