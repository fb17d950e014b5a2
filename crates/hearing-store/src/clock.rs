//! Where a store reads the time: the system clock, or (in tests) a clock that moves only when
//! told. Every write's time (`updated_at`, the audit event), the desk's HLC ticks and "today" in
//! the checks of a form come from the store's clock, so a test orders two desks' writes by
//! moving a shared clock on instead of sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// `None`: the system clock.
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock standing at `start` until it is moved ([`Clock::advance`], [`Clock::set`]).
    /// Clones share it: the stores of two desks given one clock see one time.
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            None => Utc::now(),
            Some(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Today's date in China (UTC+8, no daylight saving), which is what users mean by "today".
    pub fn today(&self) -> NaiveDate {
        china_date(self.now())
    }

    /// Milliseconds since the epoch (the wall part of the HLC).
    pub fn wall_ms(&self) -> u64 {
        self.now().timestamp_millis().max(0) as u64
    }

    /// Moves a manual clock on by `by`; the system clock moves by itself and is left alone.
    pub fn advance(&self, by: chrono::Duration) {
        if let Some(t) = &self.manual {
            let mut t = t.lock().unwrap_or_else(|p| p.into_inner());
            *t += by;
        }
    }

    /// Sets a manual clock to `at`; the system clock is left alone.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(t) = &self.manual {
            *t.lock().unwrap_or_else(|p| p.into_inner()) = at;
        }
    }
}

/// Makes `hd_now()` on `conn` answer `clock`'s time as the store keeps times (UTC, milliseconds):
/// the time the sync triggers give a logged change.
pub(crate) fn register(conn: &rusqlite::Connection, clock: &Clock) -> crate::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let clock = clock.clone();
    conn.create_scalar_function(
        "hd_now",
        0,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS,
        move |_| Ok(crate::timestamp(clock.now())),
    )?;
    Ok(())
}

pub(crate) fn china_date(t: DateTime<Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(8)).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_is_shared_by_its_clones() {
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 15, 59, 0).unwrap();
        let a = Clock::manual(start);
        let b = a.clone();
        assert_eq!(a.now(), start);
        // 15:59 UTC is 23:59 in China: still 1 March there.
        assert_eq!(a.today(), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        b.advance(chrono::Duration::minutes(1));
        assert_eq!(a.now(), start + chrono::Duration::minutes(1));
        assert_eq!(a.today(), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(a.wall_ms(), a.now().timestamp_millis() as u64);
    }

    #[test]
    fn the_system_clock_is_not_moved() {
        let c = Clock::system();
        let before = Utc::now();
        c.advance(chrono::Duration::days(400));
        assert!(c.now() - before < chrono::Duration::days(1));
    }
}
