//! Test support shared by the crates' tests; a dev-dependency only, never in what ships.
//!
//! Some tests need what a developer's machine may lack: the CJK fonts, poppler's tools, the
//! shipped Fandol faces, a PostgreSQL server. `make test` installs all of them, so under CI a
//! missing one is a broken setup and fails the test; elsewhere the test is skipped, saying so on
//! a line that starts with `SKIP:` and names what to install.

/// Whether the tests run under CI: `CI` set to anything but empty, `0` or `false` (`.ci/run`
/// sets `CI=true`). The one definition every crate's tests use.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// A prerequisite of the calling test is missing. Under CI this fails the test with `reason`;
/// elsewhere it prints `SKIP: <reason>` and the caller returns.
#[track_caller]
pub fn skip(reason: impl std::fmt::Display) {
    if in_ci() {
        panic!("under CI this test must run, but: {reason}");
    }
    eprintln!("SKIP: {reason}");
}

/// `Some(value)`, or — when `found` is an error — a [`skip`] naming `what` and `None`.
#[track_caller]
pub fn require<T, E: std::fmt::Display>(found: Result<T, E>, what: &str) -> Option<T> {
    match found {
        Ok(v) => Some(v),
        Err(e) => {
            skip(format!("{what}: {e}"));
            None
        }
    }
}
