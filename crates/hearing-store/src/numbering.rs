//! Case register numbers (`DHQ-2026-007`), below both the case repository and sync: a case
//! registered here and a pulled case whose number another case here has (sync renumbers the
//! later one) take the next free number the same way.

use rusqlite::Connection;

use crate::Result;

/// The next register number for an org and year after every number held here and every one in
/// `also_taken` (numbers on their way in, e.g. the rest of a pulled page).
pub(crate) fn next_free_case_number(
    conn: &Connection,
    org_code: &str,
    year: &str,
    also_taken: &[String],
) -> Result<String> {
    let prefix = format!("{org_code}-{year}-");
    let mut stmt = conn.prepare("SELECT number FROM cases WHERE number LIKE ?1 ESCAPE '\\'")?;
    let held = stmt
        .query_map([format!("{}%", prefix.replace('_', "\\_"))], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let max = held
        .iter()
        .chain(also_taken)
        .filter_map(|n| n.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("{prefix}{:03}", max + 1))
}
