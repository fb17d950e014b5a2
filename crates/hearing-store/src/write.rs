//! The one write path. [`Store::write`] opens a transaction and lets the caller change the
//! tables; the synced tables' triggers append each row change to the change log as it happens.
//! Then — in the same transaction — it checks that every logged row is this desk's to write,
//! appends one event naming those changes to the audit hash chain, and commits. A caller that
//! returns an error leaves nothing behind.

use rusqlite::Transaction;

use crate::audit;
use crate::{Result, Store};

/// A write in progress: the open transaction and what it has said about itself.
///
/// What the write changed is not told by the caller: the synced tables' triggers append every
/// row change to the change log in this transaction (`sync::install_triggers`), and
/// [`Store::write`] reads back the rows logged since it began.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    now: String,
    today: chrono::NaiveDate,
    /// The change log's last seq before this write.
    head: i64,
    subject: Option<(&'static str, String, String)>,
    case_id: Option<String>,
    /// The write changes what the change log does not cover (see [`Writer::audit_unlogged`]).
    unlogged: bool,
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

    /// Today in China when this write is made (the store's clock).
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
    }

    /// Puts this write on the timeline of a case.
    pub fn for_case(&mut self, case_id: &str) {
        self.case_id = Some(case_id.to_owned());
    }

    /// Says what the audit event of this write is about, in words for the audit trail.
    pub fn describe(&mut self, entity: &'static str, entity_id: &str, summary: String) {
        self.subject = Some((entity, entity_id.to_owned(), summary));
    }

    /// The write changes something the change log does not cover — the desk's configuration,
    /// its templates, its org — and is audited all the same (a write of synced rows is audited
    /// when it logged a change, and an edit that changed nothing is not).
    pub fn audit_unlogged(&mut self) {
        self.unlogged = true;
    }

    /// The columns of row `pk` of `table` that this write has changed so far, as the change log
    /// recorded them (the row's times left out), in the order first changed: for an audit
    /// summary that names what an edit changed.
    pub fn logged_columns(&self, table: &str, pk: &str) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT j.key FROM change_log o, json_each(o.cols) j
             WHERE o.seq > ?1 AND o.local = 1 AND o.tbl = ?2 AND o.pk = ?3
               AND j.key NOT IN ('created_at', 'updated_at')
             ORDER BY o.seq, j.id",
        )?;
        let mut out: Vec<String> = Vec::new();
        for k in stmt.query_map(rusqlite::params![self.head, table, pk], |r| {
            r.get::<_, String>(0)
        })? {
            let k = k?;
            if !out.contains(&k) {
                out.push(k);
            }
        }
        Ok(out)
    }
}

/// A row change the current write appended to the change log.
struct Logged {
    id: String,
    org_id: String,
    table: String,
    pk: String,
}

/// The last seq of the change log (0 when empty).
fn log_head(tx: &Transaction) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT COALESCE(max(seq), 0) FROM change_log")?
        .query_row([], |r| r.get(0))?)
}

/// The changes logged after `head`, in order.
fn logged_since(tx: &Transaction, head: i64) -> Result<Vec<Logged>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, org_id, tbl, pk FROM change_log WHERE seq > ?1 AND local = 1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([head], |r| {
            Ok(Logged {
                id: r.get(0)?,
                org_id: r.get(1)?,
                table: r.get(2)?,
                pk: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The audit trail's name of a synced table's rows (its entity), for a write that did not
/// describe itself.
fn entity_of(table: &str) -> &'static str {
    match table {
        "orgs" => "org",
        "persons" => "person",
        "cases" => "case",
        "petitioners" => "petitioner",
        "leader_assignments" => "leader_assignment",
        "approvals" => "approval",
        "supervision_slips" => "supervision_slip",
        "slip_feedback" => "slip_feedback",
        "visit_reviews" => "visit_review",
        "followups" => "followup",
        "hearings" => "hearing",
        "participants" => "participant",
        "evidence" => "evidence",
        "challenges" => "challenge",
        "opinions" => "opinion",
        "testimony" => "testimony",
        "documents" => "document",
        "meetings" => "meeting",
        "meeting_items" => "meeting_item",
        "bulletins" => "bulletin",
        _ => "record",
    }
}

/// On an enrolled desk, records of other orgs (a county's cases on the city's desk, received by
/// sync) are read-only: a write touching one is refused and leaves nothing behind. The org
/// directory, the desk's own configuration and templates are not case data and stay writable.
fn check_scope(tx: &Transaction, changes: &[Logged]) -> Result<()> {
    if changes.is_empty() || crate::meta_get(tx, "sync_token")?.is_none() {
        return Ok(());
    }
    let Some(own) = crate::meta_get(tx, "org_id")? else {
        return Ok(());
    };
    let Some(foreign) = changes
        .iter()
        .find(|c| c.table != "orgs" && c.org_id != own)
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
        let now = self.now_text();
        let today = self.today();
        let wall_ms = self.clock.wall_ms();
        let tx = self.conn.transaction()?;
        crate::sync::tick(&tx, wall_ms)?;
        let head = log_head(&tx)?;
        let mut w = Writer {
            tx,
            now,
            today,
            head,
            subject: None,
            case_id: None,
            unlogged: false,
        };
        let out = f(&mut w)?;
        let logged = logged_since(&w.tx, head)?;
        check_scope(&w.tx, &logged)?;
        if !logged.is_empty() || w.unlogged {
            let ids: Vec<String> = logged.iter().map(|c| c.id.clone()).collect();
            let (entity, entity_id, summary) = match (w.subject.take(), logged.first()) {
                (Some(s), _) => s,
                (None, Some(first)) => {
                    (entity_of(&first.table), first.pk.clone(), action.to_owned())
                }
                (None, None) => ("desk", String::new(), action.to_owned()),
            };
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
