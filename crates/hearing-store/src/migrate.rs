//! Versioned schema migrations kept in code. `PRAGMA user_version` holds the version applied;
//! each step runs in its own transaction. A database newer than [`LATEST_VERSION`] is refused
//! by `Store::open` before this runs.

use rusqlite::Connection;

use crate::Result;

/// Migrations in order; the version after applying `MIGRATIONS[i]` is `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_foundation.sql"),
    include_str!("migrations/002_hearing_workflow.sql"),
    include_str!("migrations/003_documents.sql"),
    include_str!("migrations/004_document_subject.sql"),
    include_str!("migrations/005_sync.sql"),
    include_str!("migrations/006_sync_seals.sql"),
    include_str!("migrations/007_operators.sql"),
    include_str!("migrations/008_search.sql"),
    include_str!("migrations/009_stats.sql"),
    include_str!("migrations/010_case_register.sql"),
    include_str!("migrations/011_repeat_entries.sql"),
    include_str!("migrations/012_hearing_tallies.sql"),
    include_str!("migrations/013_search_backlog.sql"),
    include_str!("migrations/014_sync_row_versions.sql"),
    include_str!("migrations/015_change_log.sql"),
    include_str!("migrations/016_sync_error_code.sql"),
    include_str!("migrations/017_search_bigrams.sql"),
    include_str!("migrations/018_search_one_index.sql"),
    include_str!("migrations/019_approval_decider.sql"),
    include_str!("migrations/020_change_scope.sql"),
    include_str!("migrations/021_approval_rounds.sql"),
    include_str!("migrations/022_slips_across_desks.sql"),
    include_str!("migrations/023_approval_waits.sql"),
    include_str!("migrations/024_meetings_bulletins.sql"),
    include_str!("migrations/025_status_since.sql"),
];

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn run(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
