use hearing_core::access::Permission;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::*;
use crate::{meta_get, Store, StoreError};

/// What the desk knows about its sync (shown in 同步 and by `hearingctl sync status`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub server: Option<String>,
    pub enrolled: bool,
    pub device_id: String,
    pub cursor: String,
    pub waiting: u32,
    pub conflicts: u32,
    /// When the last successful run finished.
    pub last_sync: Option<String>,
    /// The error of the last run, if it failed.
    pub last_error: Option<String>,
    /// What kind of error that was (`offline`: the server could not be reached).
    pub last_error_code: Option<crate::ErrorCode>,
    /// When the last run (successful or not) finished.
    pub last_attempt: Option<String>,
    /// The name this device was enrolled under.
    pub device_name: Option<String>,
    /// When the desk was restored from a backup that had been enrolled: it syncs again only
    /// after a new enrolment (see `backup::restore`).
    pub restored_unenrolled: Option<String>,
    /// Records received that are not in the search index yet (a large pull's, indexed in the
    /// background after it: see [`crate::search::catch_up`]).
    pub search_pending: u32,
}

/// A change that was not applied, for a person to settle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    pub id: u32,
    pub change_id: String,
    pub table: String,
    pub pk: String,
    pub column: String,
    pub theirs: String,
    pub ours: String,
    pub reason: String,
    pub at: String,
    pub settled_at: Option<String>,
    pub settled_by: Option<String>,
    /// The row in words where it is easy (a document's kind, number and case), else empty.
    pub subject: String,
}

/// One sync run, for the history in 同步.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncRun {
    pub id: u32,
    pub started: String,
    pub finished: Option<String>,
    pub pushed: u32,
    pub pulled: u32,
    pub conflicts: u32,
    pub error: Option<String>,
}

impl Store {
    pub fn sync_cursor(&self) -> Result<String> {
        Ok(meta_get(self.conn(), "sync_cursor")?.unwrap_or_else(|| "0".into()))
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let c = self.conn();
        let waiting: i64 = c.query_row(
            "SELECT count(*) FROM change_log WHERE local = 1 AND seq > ?1",
            [pushed_up_to(c)?],
            |r| r.get(0),
        )?;
        let conflicts: i64 = c.query_row(
            "SELECT count(*) FROM sync_conflicts WHERE settled_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        let last: Option<(Option<String>, Option<String>, Option<String>)> = c
            .query_row(
                "SELECT finished, error, error_code FROM sync_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let last_ok: Option<String> = c
            .query_row(
                "SELECT finished FROM sync_runs WHERE error IS NULL AND finished IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(SyncStatus {
            server: meta_get(c, "sync_server")?,
            enrolled: meta_get(c, "sync_token")?.is_some(),
            device_id: self.device_id().to_owned(),
            cursor: self.sync_cursor()?,
            waiting: waiting as u32,
            conflicts: conflicts as u32,
            last_sync: last_ok,
            last_attempt: last.as_ref().and_then(|(f, _, _)| f.clone()),
            last_error_code: last
                .as_ref()
                .and_then(|(_, _, code)| code.as_deref())
                .and_then(crate::ErrorCode::parse),
            last_error: last.and_then(|(_, e, _)| e),
            device_name: meta_get(c, "sync_device_name")?,
            restored_unenrolled: meta_get(c, "restored_unenrolled")?,
            search_pending: crate::search::pending(c)?,
        })
    }

    /// The most recent sync runs, newest first.
    pub fn sync_runs(&self, limit: u32) -> Result<Vec<SyncRun>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, started, finished, pushed, pulled, conflicts, error
             FROM sync_runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(SyncRun {
                    id: r.get(0)?,
                    started: r.get(1)?,
                    finished: r.get(2)?,
                    pushed: r.get(3)?,
                    pulled: r.get(4)?,
                    conflicts: r.get(5)?,
                    error: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Marks a conflict as settled by the store's actor (someone compared both values and acted
    /// on them); recorded in the audit trail. Settling a settled conflict changes nothing.
    pub fn sync_settle_conflict(&mut self, id: u32) -> Result<SyncConflict> {
        let now = self.now_text();
        let actor = self.actor.clone();
        let device = self.device_id().to_owned();
        let found: Option<(String, String, String, bool)> = self
            .conn
            .query_row(
                "SELECT tbl, pk, col, settled_at IS NOT NULL FROM sync_conflicts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((table, pk, col, settled)) = found else {
            return Err(StoreError::not_found("同步冲突", &id.to_string()));
        };
        // Settling says someone compared both values and acted on them: it needs the right to
        // change what the conflict is about.
        self.require(settle_permission(&table))?;
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        if !settled {
            exec(
                &tx,
                "UPDATE sync_conflicts SET settled_at = ?2, settled_by = ?3 WHERE id = ?1",
                params![id, now, actor],
            )?;
            let subject = row_subject(&tx, &table, &pk)?;
            let summary = format!(
                "同步冲突 #{id} 已处理：{}{}的“{col}”",
                table_label(&table),
                if subject.is_empty() {
                    format!("（{pk}）")
                } else {
                    format!("“{subject}”")
                }
            );
            crate::audit::append(
                &tx,
                &crate::audit::NewEvent {
                    at: &now,
                    actor: &actor,
                    device_id: &device,
                    action: "处理同步冲突",
                    entity: "sync_conflict",
                    entity_id: &id.to_string(),
                    summary: &summary,
                    change_ids: &[],
                    case_id: None,
                },
            )?;
        }
        tx.commit()?;
        self.sync_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::not_found("同步冲突", &id.to_string()))
    }

    /// Records the outcome of a sync run.
    pub fn sync_record_run(
        &mut self,
        started: &str,
        pushed: usize,
        pulled: usize,
        conflicts: usize,
        error: Option<&StoreError>,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sync_runs (started, finished, pushed, pulled, conflicts, error, error_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                started,
                self.now_text(),
                pushed as i64,
                pulled as i64,
                conflicts as i64,
                error.map(|e| e.to_string()),
                error.map(|e| e.code().as_str())
            ],
        )?;
        Ok(())
    }

    pub fn sync_conflicts(&self) -> Result<Vec<SyncConflict>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, change_id, tbl, pk, col, theirs, ours, reason, at, settled_at, settled_by
             FROM sync_conflicts ORDER BY id",
        )?;
        let mut rows = stmt
            .query_map([], |r| {
                Ok(SyncConflict {
                    id: r.get(0)?,
                    change_id: r.get(1)?,
                    table: r.get(2)?,
                    pk: r.get(3)?,
                    column: r.get(4)?,
                    theirs: r.get(5)?,
                    ours: r.get(6)?,
                    reason: r.get(7)?,
                    at: r.get(8)?,
                    settled_at: r.get(9)?,
                    settled_by: r.get(10)?,
                    subject: String::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for c in &mut rows {
            c.subject = row_subject(self.conn(), &c.table, &c.pk)?;
        }
        Ok(rows)
    }
}

/// Who may settle a conflict on `table`: whoever may change its rows.
pub(super) fn settle_permission(table: &str) -> Permission {
    match table {
        "persons" => Permission::EditPersons,
        "hearings" | "participants" | "challenges" => Permission::PlanHearings,
        "testimony" | "evidence" => Permission::RecordHearing,
        "opinions" => Permission::Deliberate,
        "approvals" | "followups" => Permission::ApproveClosure,
        "documents" => Permission::ManageDocuments,
        "cases" | "petitioners" | "leader_assignments" | "supervision_slips" | "slip_feedback"
        | "visit_reviews" | "meetings" | "meeting_items" => Permission::EditCases,
        "bulletins" => Permission::ManageDocuments,
        _ => Permission::ManageSettings,
    }
}

/// A synced table in words, for people.
pub fn table_label(table: &str) -> &str {
    match table {
        "orgs" => "单位",
        "persons" => "人员",
        "cases" => "案件",
        "hearings" => "听证会",
        "documents" => "文书",
        "petitioners" => "信访人",
        "approvals" => "审批意见",
        "leader_assignments" => "包案领导",
        "supervision_slips" => "交办督办单",
        "slip_feedback" => "反馈单",
        "visit_reviews" => "逢访必查",
        "followups" => "回访",
        "participants" => "听证参加人",
        "testimony" => "听证笔录",
        "evidence" => "证据",
        "opinions" => "评议意见",
        "challenges" => "质证意见",
        "meetings" => "会商研判",
        "meeting_items" => "会商议题",
        "bulletins" => "通报",
        other => other,
    }
}

/// The row in words where it is easy: a document's kind, number (or person) and case, a
/// case's number and title, a hearing's case, a person's or an org's name. Empty otherwise.
pub(super) fn row_subject(conn: &Connection, table: &str, pk: &str) -> Result<String> {
    let q = |sql: &str| -> Result<Option<String>> {
        Ok(conn.query_row(sql, [pk], |r| r.get(0)).optional()?)
    };
    let text = match table {
        "documents" => {
            let row: Option<(String, String, String, String)> = conn
                .query_row(
                    "SELECT d.kind, d.number, d.subject_name, COALESCE(c.title, '')
                     FROM documents d LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?1",
                    [pk],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            row.map(|(kind, number, person, case)| {
                let label = hearing_docs::DocKind::parse(&kind)
                    .map(|k| k.label().to_owned())
                    .unwrap_or(kind);
                let which = [number, person]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("，");
                let mut out = label;
                if !which.is_empty() {
                    out.push_str(&format!("（{which}）"));
                }
                if !case.is_empty() {
                    out.push_str(&format!("，{case}"));
                }
                out
            })
        }
        "cases" => q("SELECT trim(number || ' ' || title) FROM cases WHERE id = ?1")?,
        "hearings" => q("SELECT title FROM hearings WHERE id = ?1")?,
        "persons" => q("SELECT name FROM persons WHERE id = ?1")?,
        "orgs" => q("SELECT name FROM orgs WHERE id = ?1")?,
        // An entry not applied here is named from its history.
        "testimony" => q(
            "SELECT trim(COALESCE(h.title, '') || ' 笔录第 ' || t.seq || ' 条（' || t.speaker_name || '）')
             FROM testimony t LEFT JOIN hearings h ON h.id = t.hearing_id WHERE t.id = ?1",
        )?
        .or(q(
            "SELECT '笔录条目（' || json_extract(value, '$') || '）' FROM sync_history
             WHERE tbl = 'testimony' AND pk = ?1 AND col = 'speaker_name'
             ORDER BY hlc DESC, device DESC, change_id DESC LIMIT 1",
        )?),
        _ => None,
    };
    Ok(text.unwrap_or_default())
}
