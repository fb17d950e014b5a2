//! WAL checkpoints on a background thread with its own connection.
//!
//! SQLite's automatic checkpoint runs inside the commit that takes the write-ahead log past
//! its threshold (1000 pages): that save copies the log into the database and syncs it. At
//! 100k cases this made the slowest 1 % of testimony saves take 30–200 ms instead of 2 ms. Here a
//! thread checkpoints every [`EVERY`] (PASSIVE: it never waits for, nor blocks, a writer), and
//! the store's own connection checkpoints itself only past [`SAFETY_PAGES`], should the thread
//! fall behind or fail.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the thread checkpoints.
pub const EVERY: Duration = Duration::from_secs(1);

/// The store's connection checkpoints itself only when the log holds this many pages (32 MiB).
pub const SAFETY_PAGES: i64 = 8192;

/// The running thread; stopped (and joined) when dropped, with the store.
pub(crate) struct Checkpointer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing through `conn` (a second connection to the store's database).
    pub(crate) fn start(conn: Connection) -> std::io::Result<Checkpointer> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(&conn, &flag))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

fn run(conn: &Connection, stop: &(Mutex<bool>, Condvar)) {
    let (lock, wake) = stop;
    loop {
        let Ok(stopped) = lock.lock() else {
            return;
        };
        let Ok((stopped, _)) = wake.wait_timeout_while(stopped, EVERY, |s| !*s) else {
            return;
        };
        if *stopped {
            return;
        }
        drop(stopped);
        // A failed checkpoint (the database busy in a TRUNCATE checkpoint, say) is retried on
        // the next round; the store's connection remains the safety net.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (lock, wake) = &*self.stop;
        if let Ok(mut s) = lock.lock() {
            *s = true;
        }
        wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
