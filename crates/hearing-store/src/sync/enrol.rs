use hearing_sync::Org;
use rusqlite::params;

use super::log::pushed_up_to;
use super::run::SyncAccess;
use super::*;
use crate::{meta_get, Store, StoreError};

impl Store {
    /// Records an enrolment: the server's org tree (applied without echo), this desk's org and
    /// the server's device id and token. Rows recorded under the desk's earlier device id are
    /// re-labelled, so its pending changes go out under the new one.
    pub fn sync_enrolled(
        &mut self,
        server: &str,
        device_id: &str,
        token: &str,
        org_id: &str,
        orgs: &[Org],
    ) -> Result<()> {
        if let Some(current) = self.desk_org_id()? {
            if current != org_id && orgs.iter().all(|o| o.id != current) {
                return Err(StoreError::refused(format!(
                    "本机所属单位（{current}）不在服务器的单位目录中，不能用此注册码注册；\
                     请向市委政法委索取本单位的注册码"
                )));
            }
        }
        let old = self.device_id().to_owned();
        let now = self.now_text();
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        exec(&tx, "UPDATE sync_state SET applying = 1", [])?;
        // Parents first, so the foreign key holds.
        let mut pending: Vec<&Org> = orgs.iter().collect();
        let mut guard = 0;
        while !pending.is_empty() && guard <= orgs.len() {
            guard += 1;
            let mut rest = Vec::new();
            for o in pending {
                let parent_ok = match &o.parent_id {
                    None => true,
                    Some(p) => qrow(&tx, "SELECT 1 FROM orgs WHERE id = ?1", [p], |_| Ok(()))
                        .optional()?
                        .is_some(),
                };
                if !parent_ok {
                    rest.push(o);
                    continue;
                }
                exec(&tx,
                    "INSERT INTO orgs (id, parent_id, name, short_name, kind, code, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
                     ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,
                         short_name = excluded.short_name, kind = excluded.kind, code = excluded.code",
                    params![
                        o.id,
                        o.parent_id,
                        o.name,
                        o.short_name,
                        if o.kind.is_empty() { "other" } else { &o.kind },
                        if o.code.is_empty() { &o.id } else { &o.code },
                        now
                    ],
                )
                .map_err(|e| {
                    StoreError::BadAnswer(format!("无法写入服务器的单位“{}”：{e}", o.name))
                })?;
                // The server's rows are known, not local work: never queued by the snapshot,
                // and any later change from the server wins over this zero version.
                for col in ["id", "parent_id", "name", "short_name", "kind", "code"] {
                    exec(
                        &tx,
                        "INSERT OR IGNORE INTO sync_versions (tbl, pk, col, hlc, device, change_id)
                         VALUES ('orgs', ?1, ?2, '0000000000000-00000', '', '')",
                        [&o.id, col],
                    )?;
                }
            }
            pending = rest;
        }
        exec(
            &tx,
            "UPDATE sync_state SET applying = 0, device = ?1",
            [device_id],
        )?;
        for (k, v) in [
            ("device_id", device_id),
            ("sync_server", server),
            ("sync_token", token),
            ("org_id", org_id),
            ("sync_cursor", "0"),
        ] {
            exec(
                &tx,
                "INSERT INTO desk_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [k, v],
            )?;
        }
        if old != device_id {
            // The server keeps each device's audit chain; a new device reports this desk's
            // chain from its first event. A restore's notice is done with.
            exec(
                &tx,
                "DELETE FROM desk_meta WHERE key IN ('sync_audit_pushed', 'restored_unenrolled')",
                [],
            )?;
        }
        // The changes not yet pushed go out under the new device id.
        let renamed = exec(
            &tx,
            "UPDATE change_log SET device_id = ?1, id = ?1 || substr(id, length(?2) + 1)
             WHERE local = 1 AND device_id = ?2 AND seq > ?3",
            params![device_id, &old, pushed_up_to(&tx)?],
        )?;
        for t in [
            "sync_versions",
            "sync_row_versions",
            "sync_tombstones",
            "sync_history",
        ] {
            exec(
                &tx,
                &format!(
                    "UPDATE {t} SET device = ?1, change_id = ?1 || substr(change_id, length(?2) + 1)
                     WHERE device = ?2"
                ),
                [device_id, &old],
            )?;
        }
        // Which org the desk works for decides what it may write, and the audit events written
        // before name the renamed changes by their old ids: both are recorded.
        let org_name = crate::orgs::get(&tx, org_id)
            .map(|o| o.name)
            .unwrap_or_else(|_| org_id.to_owned());
        let mut summary =
            format!("本机注册到同步服务器 {server}，属于“{org_name}”，设备 {device_id}");
        if renamed > 0 {
            summary.push_str(&format!(
                "；尚未上报的 {renamed} 条更改改用本设备编号（原 {old}-序号，现 {device_id}-序号，序号不变）"
            ));
        }
        crate::audit::append(
            &tx,
            &crate::audit::NewEvent {
                at: &now,
                actor: &self.actor,
                device_id,
                action: "同步注册",
                entity: "desk",
                entity_id: device_id,
                summary: &summary,
                change_ids: &[],
                case_id: None,
            },
        )?;
        tx.commit()?;
        self.device_id = device_id.to_owned();
        Ok(())
    }

    /// The server URL and token, if this desk is enrolled.
    pub fn sync_credentials(&self) -> Result<Option<(String, String)>> {
        Ok(
            match (
                meta_get(self.conn(), "sync_server")?,
                meta_get(self.conn(), "sync_token")?,
            ) {
                (Some(s), Some(t)) => Some((s, t)),
                _ => None,
            },
        )
    }
}

/// Enrols the desk with a one-time code. The server is asked without holding the store; the
/// answer (org tree, device id, token) is recorded and the desk's existing rows are queued.
pub fn enroll(
    access: &impl SyncAccess,
    server: &str,
    code: &str,
    device_name: &str,
) -> Result<String> {
    let form = hearing_core::enrolment::check(server, code, device_name)?;
    access.with_store(|s| s.require(hearing_core::access::Permission::ManageSettings))?;
    let client = hearing_sync::client::Client::new(&form.server, None);
    let e = client.enroll(&form.code, &form.device_name)?;
    access.with_store(|s| {
        s.sync_enrolled(&form.server, &e.device_id, &e.token, &e.org_id, &e.orgs)?;
        s.conn().execute(
            "INSERT INTO desk_meta (key, value) VALUES ('sync_device_name', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&form.device_name],
        )?;
        s.sync_snapshot()?;
        Ok(())
    })?;
    Ok(e.org_id)
}
