//! The one write path. [`Store::write`] opens a transaction, lets the caller change the tables
//! and record what it changed, then — in the same transaction — appends those changes to the
//! change log and one event to the audit hash chain, and commits. A caller that returns an error
//! leaves nothing behind.

use rusqlite::{params, Transaction};
use serde_json::{Map, Value};

use crate::audit;
use crate::{timestamp, Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOp {
    Create,
    Update,
}

impl ChangeOp {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
        }
    }
}

struct PendingChange {
    id: String,
    org_id: String,
    entity: &'static str,
    entity_id: String,
    op: ChangeOp,
    fields: Map<String, Value>,
}

/// A write in progress: the open transaction and what it has changed so far.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    now: String,
    changes: Vec<PendingChange>,
    subject: Option<(&'static str, String, String)>,
    case_id: Option<String>,
}

impl<'a> Writer<'a> {
    /// The transaction, for the table changes themselves.
    pub fn tx(&self) -> &Transaction<'a> {
        &self.tx
    }

    /// The time of this write (UTC, RFC 3339), the same for every row it touches.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// Records that `fields` of one entity were set. An update that set nothing is not recorded.
    pub fn change(
        &mut self,
        org_id: &str,
        entity: &'static str,
        entity_id: &str,
        op: ChangeOp,
        fields: Map<String, Value>,
    ) {
        if op == ChangeOp::Update && fields.is_empty() {
            return;
        }
        self.changes.push(PendingChange {
            id: uuid::Uuid::now_v7().to_string(),
            org_id: org_id.to_owned(),
            entity,
            entity_id: entity_id.to_owned(),
            op,
            fields,
        });
    }

    /// Puts this write on the timeline of a case.
    pub fn for_case(&mut self, case_id: &str) {
        self.case_id = Some(case_id.to_owned());
    }

    /// Says what the audit event of this write is about, in words for the audit trail.
    pub fn describe(&mut self, entity: &'static str, entity_id: &str, summary: String) {
        self.subject = Some((entity, entity_id.to_owned(), summary));
    }
}

/// The fields of `new` whose values differ from `old` (keys missing in `old` count as changed).
pub(crate) fn changed_fields(
    old: &Map<String, Value>,
    new: Map<String, Value>,
) -> Map<String, Value> {
    new.into_iter()
        .filter(|(k, v)| old.get(k) != Some(v))
        .collect()
}

/// On an enrolled desk, records of other orgs (a county's cases on the city's desk, received by
/// sync) are read-only: a write touching one is refused and leaves nothing behind. The org
/// directory, the desk's own configuration and templates are not case data and stay writable.
fn check_scope(tx: &Transaction, changes: &[PendingChange]) -> Result<()> {
    if changes.is_empty() || crate::meta_get(tx, "sync_token")?.is_none() {
        return Ok(());
    }
    let Some(own) = crate::meta_get(tx, "org_id")? else {
        return Ok(());
    };
    let Some(foreign) = changes
        .iter()
        .find(|c| !matches!(c.entity, "org" | "config" | "template") && c.org_id != own)
    else {
        return Ok(());
    };
    let name = |id: &str| {
        crate::orgs::get(tx, id)
            .map(|o| o.name)
            .unwrap_or_else(|_| id.to_owned())
    };
    Err(crate::StoreError::ReadOnly(format!(
        "这条记录属于“{}”，由该单位办理；本机（{}）经同步只能查看，不能修改",
        name(&foreign.org_id),
        name(&own)
    )))
}

impl Store {
    /// Runs `f` in one transaction and, if it succeeds, appends its changes to the change log and
    /// one event (named `action`) to the audit chain before committing. Returns only after the
    /// commit: what the caller reports as saved is on disk.
    ///
    /// `perm` is what the step needs: a logged-in operator whose role lacks it is refused before
    /// anything is read or written.
    pub fn write<T>(
        &mut self,
        perm: hearing_core::access::Permission,
        action: &str,
        f: impl FnOnce(&mut Writer) -> Result<T>,
    ) -> Result<T> {
        self.require(perm)?;
        self.enforce_foreign_keys()?;
        let tx = self.conn.transaction()?;
        crate::sync::tick(&tx)?;
        let mut w = Writer {
            tx,
            now: timestamp(crate::now()),
            changes: Vec::new(),
            subject: None,
            case_id: None,
        };
        let out = f(&mut w)?;
        check_scope(&w.tx, &w.changes)?;
        if !w.changes.is_empty() {
            let mut ids = Vec::with_capacity(w.changes.len());
            for c in &w.changes {
                w.tx.prepare_cached(
                    "INSERT INTO changes (id, org_id, device_id, entity, entity_id, op, fields, device_time)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?.execute(
                    params![
                        c.id,
                        c.org_id,
                        self.device_id,
                        c.entity,
                        c.entity_id,
                        c.op.as_str(),
                        Value::Object(c.fields.clone()).to_string(),
                        w.now
                    ],
                )?;
                ids.push(c.id.clone());
            }
            let (entity, entity_id, summary) = w.subject.take().unwrap_or_else(|| {
                let first = &w.changes[0];
                (first.entity, first.entity_id.clone(), action.to_owned())
            });
            audit::append(
                &w.tx,
                &audit::NewEvent {
                    at: &w.now,
                    actor: &self.actor,
                    device_id: &self.device_id,
                    action,
                    entity,
                    entity_id: &entity_id,
                    summary: &summary,
                    change_ids: &ids,
                    case_id: w.case_id.as_deref(),
                },
            )?;
        }
        w.tx.commit()?;
        Ok(out)
    }
}
