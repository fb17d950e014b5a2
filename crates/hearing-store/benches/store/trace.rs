//! SQLite's profile callback (`sqlite3_trace_v2` with `SQLITE_TRACE_PROFILE`) for one call: the
//! statements a store function ran, with their bound values and times, and their query plans.
//! The store's connection is only lent (`&Connection`), so this goes through the raw handle.

use std::ffi::{c_int, c_uint, c_void, CStr};
use std::sync::Mutex;

use rusqlite::{ffi, Connection};

/// Statements seen while profiling: expanded SQL and seconds.
static SEEN: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

unsafe extern "C" fn on_profile(
    mask: c_uint,
    _ctx: *mut c_void,
    p: *mut c_void,
    x: *mut c_void,
) -> c_int {
    if mask != ffi::SQLITE_TRACE_PROFILE || p.is_null() || x.is_null() {
        return 0;
    }
    let stmt = p.cast::<ffi::sqlite3_stmt>();
    // SAFETY: for SQLITE_TRACE_PROFILE, P is the statement and X points to its run time in
    // nanoseconds (an sqlite3_int64), both valid for the duration of the callback.
    let nanos = unsafe { *x.cast::<i64>() };
    // SAFETY: `stmt` is a live statement; the expanded text is ours to free.
    let text = unsafe {
        let expanded = ffi::sqlite3_expanded_sql(stmt);
        if expanded.is_null() {
            let plain = ffi::sqlite3_sql(stmt);
            if plain.is_null() {
                String::new()
            } else {
                CStr::from_ptr(plain).to_string_lossy().into_owned()
            }
        } else {
            let s = CStr::from_ptr(expanded).to_string_lossy().into_owned();
            ffi::sqlite3_free(expanded.cast());
            s
        }
    };
    if let Ok(mut seen) = SEEN.lock() {
        seen.push((text, nanos as f64 / 1e9));
    }
    0
}

/// Runs `f` with the profile callback on `conn` and returns the statements it ran.
pub fn profiled(conn: &Connection, f: impl FnOnce()) -> Vec<(String, f64)> {
    if let Ok(mut seen) = SEEN.lock() {
        seen.clear();
    }
    // SAFETY: the handle is the open connection `conn` borrows; the callback only reads what
    // SQLite passes and is removed again before returning.
    unsafe {
        ffi::sqlite3_trace_v2(
            conn.handle(),
            ffi::SQLITE_TRACE_PROFILE,
            Some(on_profile),
            std::ptr::null_mut(),
        );
    }
    f();
    // SAFETY: as above; a zero mask removes the callback.
    unsafe {
        ffi::sqlite3_trace_v2(conn.handle(), 0, None, std::ptr::null_mut());
    }
    SEEN.lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default()
}

/// EXPLAIN QUERY PLAN of `sql` as an indented tree (empty if it cannot be explained).
pub fn query_plan(conn: &Connection, sql: &str) -> String {
    let Ok(mut stmt) = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) else {
        return String::new();
    };
    let Ok(rows) = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(3)?,
        ))
    }) else {
        return String::new();
    };
    let mut depth: Vec<(i64, usize)> = Vec::new();
    let mut out = String::new();
    for (id, parent, detail) in rows.flatten() {
        let level = depth
            .iter()
            .find(|(i, _)| *i == parent)
            .map(|(_, d)| d + 1)
            .unwrap_or(0);
        depth.push((id, level));
        out.push_str(&"  ".repeat(level));
        out.push_str(&detail);
        out.push('\n');
    }
    out
}
