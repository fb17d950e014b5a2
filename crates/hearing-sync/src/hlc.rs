//! A hybrid logical clock: wall milliseconds plus a counter, so that every change a desk makes
//! or hears of orders after what it has seen, even when its wall clock is behind (or a desk a
//! day ahead has spoken). Written as `"{ms:013}-{counter:05}"`, which sorts as it compares.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    pub ms: u64,
    pub counter: u32,
}

/// The largest counter the text form holds; beyond it the clock moves one millisecond on.
const MAX_COUNTER: u32 = 99_999;

impl Hlc {
    pub const ZERO: Hlc = Hlc { ms: 0, counter: 0 };

    /// The next timestamp for a local event, given the current wall time in ms.
    pub fn tick(self, wall_ms: u64) -> Hlc {
        if wall_ms > self.ms {
            Hlc {
                ms: wall_ms,
                counter: 0,
            }
        } else {
            self.bump()
        }
    }

    /// The clock after receiving `remote`, given the current wall time.
    pub fn receive(self, remote: Hlc, wall_ms: u64) -> Hlc {
        let ms = wall_ms.max(self.ms).max(remote.ms);
        if ms == self.ms && ms == remote.ms {
            Hlc {
                ms,
                counter: self.counter.max(remote.counter),
            }
            .bump()
        } else if ms == self.ms {
            self.bump()
        } else if ms == remote.ms {
            remote.bump()
        } else {
            Hlc { ms, counter: 0 }
        }
    }

    fn bump(self) -> Hlc {
        if self.counter >= MAX_COUNTER {
            Hlc {
                ms: self.ms + 1,
                counter: 0,
            }
        } else {
            Hlc {
                ms: self.ms,
                counter: self.counter + 1,
            }
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:05}", self.ms, self.counter)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("时钟值“{0}”格式错误，应为“13位毫秒-5位计数”")]
pub struct BadHlc(pub String);

impl FromStr for Hlc {
    type Err = BadHlc;
    fn from_str(s: &str) -> Result<Hlc, BadHlc> {
        let bad = || BadHlc(s.chars().take(40).collect());
        let (ms, counter) = s.split_once('-').ok_or_else(bad)?;
        // Digits only: `u64::from_str` also takes a sign ("+764201600000"), a second spelling
        // of a clock whose text would then not sort as it compares.
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(ms, 13) || !digits(counter, 5) {
            return Err(bad());
        }
        Ok(Hlc {
            ms: ms.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_form_round_trips_and_sorts() {
        let a = Hlc {
            ms: 1_764_201_600_000,
            counter: 3,
        };
        assert_eq!(a.to_string(), "1764201600000-00003");
        assert_eq!("1764201600000-00003".parse::<Hlc>().unwrap(), a);
        for bad in [
            "",
            "1-2",
            "1764201600000_00003",
            "176420160000x-00003",
            "x".repeat(10_000).as_str(),
            // Found by fuzzing: a sign was accepted, so two texts meant one clock.
            "+764201600000-00003",
            "1764201600000-+0003",
        ] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad:.20}");
        }
    }

    #[test]
    fn a_desk_behind_still_orders_after_what_it_heard() {
        // Desk B's clock is a day ahead; desk A hears from it and its next edit comes later.
        let day = 86_400_000;
        let a = Hlc::ZERO.tick(1_000_000);
        let b = Hlc::ZERO.tick(1_000_000 + day);
        let a2 = a.receive(b, 1_000_500);
        assert!(a2 > b);
        let a3 = a2.tick(1_000_600);
        assert!(a3 > a2);
    }

    proptest! {
        #[test]
        fn monotone_and_text_order_matches(walls in proptest::collection::vec(0u64..2_000_000_000_000, 1..50),
                                           remotes in proptest::collection::vec((0u64..2_000_000_000_000, 0u32..MAX_COUNTER), 1..50)) {
            let mut c = Hlc::ZERO;
            for (i, w) in walls.iter().enumerate() {
                let next = if i % 2 == 0 { c.tick(*w) } else {
                    let (ms, counter) = remotes[i % remotes.len()];
                    let r = Hlc { ms, counter };
                    let n = c.receive(r, *w);
                    prop_assert!(n > r);
                    n
                };
                prop_assert!(next > c);
                prop_assert_eq!(next > c, next.to_string() > c.to_string());
                c = next;
            }
        }
    }
}
