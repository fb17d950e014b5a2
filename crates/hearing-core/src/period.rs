//! Report periods (通报期间): a year `2026`, a quarter `2026Q3`, a month `2026-07`, or any span
//! `2026-07-01..2026-09-30`; each with the period before it of the same kind, to compare with.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PeriodKind {
    Year,
    Quarter,
    Month,
    Custom,
}

/// A period of days, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub kind: PeriodKind,
    /// As it is written on the command line: 2026, 2026Q3, 2026-07, 2026-07-01..2026-09-30.
    pub key: String,
    /// In words: 2026年, 2026年第三季度, 2026年7月, 2026年7月1日至9月30日.
    pub label: String,
    /// YYYY-MM-DD
    pub from: String,
    pub to: String,
}

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn refuse(raw: &str) -> ValidationErrors {
    let mut e = ValidationErrors::default();
    e.push(
        "period",
        "period.format",
        format!(
            "通报期间“{raw}”无法识别：请写年份（2026）、季度（2026Q3）、月份（2026-07）或起止日期（2026-07-01..2026-09-30）"
        ),
    );
    e
}

impl Period {
    fn year(y: i32) -> Option<Period> {
        Some(Period {
            kind: PeriodKind::Year,
            key: y.to_string(),
            label: format!("{y}年"),
            from: ymd(NaiveDate::from_ymd_opt(y, 1, 1)?),
            to: ymd(NaiveDate::from_ymd_opt(y, 12, 31)?),
        })
    }

    fn quarter(y: i32, q: u32) -> Option<Period> {
        let first = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1)?;
        let last = first.checked_add_months(Months::new(3))? - Duration::days(1);
        Some(Period {
            kind: PeriodKind::Quarter,
            key: format!("{y}Q{q}"),
            label: format!("{y}年第{}季度", QUARTERS.get(q as usize - 1)?),
            from: ymd(first),
            to: ymd(last),
        })
    }

    fn month(y: i32, m: u32) -> Option<Period> {
        let first = NaiveDate::from_ymd_opt(y, m, 1)?;
        let last = first.checked_add_months(Months::new(1))? - Duration::days(1);
        Some(Period {
            kind: PeriodKind::Month,
            key: format!("{y}-{m:02}"),
            label: format!("{y}年{m}月"),
            from: ymd(first),
            to: ymd(last),
        })
    }

    fn custom(a: NaiveDate, b: NaiveDate) -> Period {
        let label = if a.year() == b.year() {
            format!("{}至{}月{}日", cn(a), b.month(), b.day())
        } else {
            format!("{}至{}", cn(a), cn(b))
        };
        Period {
            kind: PeriodKind::Custom,
            key: format!("{}..{}", ymd(a), ymd(b)),
            label,
            from: ymd(a),
            to: ymd(b),
        }
    }

    /// Reads `2026`, `2026Q3` (or `2026q3`, `2026-Q3`), `2026-07`, `2026-07-01..2026-09-30`.
    pub fn parse(raw: &str) -> Result<Period, ValidationErrors> {
        let s = crate::text::clean(raw)
            .to_ascii_uppercase()
            .replace('—', "-");
        let bad = || refuse(raw.trim());
        if let Some((a, b)) = s.split_once("..") {
            let in_range = |d: &NaiveDate| (1949..=9999).contains(&d.year());
            let (Some(a), Some(b)) = (
                validate::date(a.trim()).filter(in_range),
                validate::date(b.trim()).filter(in_range),
            ) else {
                return Err(bad());
            };
            if a > b {
                let mut e = ValidationErrors::default();
                e.push(
                    "period",
                    "date.order",
                    format!("通报期间的截止日期 {} 早于起始日期 {}", ymd(b), ymd(a)),
                );
                return Err(e);
            }
            return Ok(Period::custom(a, b));
        }
        let year = |t: &str| -> Option<i32> {
            (t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()))
                .then(|| t.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1949..=9999).contains(y))
        };
        if let Some(y) = year(&s) {
            return Period::year(y).ok_or_else(bad);
        }
        if let Some((y, q)) = s.split_once('Q') {
            let y = year(y.trim_end_matches('-')).ok_or_else(bad)?;
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            return Period::quarter(y, q).ok_or_else(bad);
        }
        if let Some((y, m)) = s.split_once('-') {
            let y = year(y).ok_or_else(bad)?;
            let m: u32 = m.parse().map_err(|_| bad())?;
            return Period::month(y, m).ok_or_else(bad);
        }
        Err(bad())
    }

    pub fn from_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.from, "%Y-%m-%d").unwrap_or_default()
    }

    pub fn to_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.to, "%Y-%m-%d").unwrap_or_default()
    }

    /// The period before, of the same kind: the year, quarter or month before; a span of the
    /// same number of days ending the day before.
    pub fn previous(&self) -> Period {
        let from = self.from_date();
        let prev = match self.kind {
            PeriodKind::Year => Period::year(from.year() - 1),
            PeriodKind::Quarter => {
                let q = (from.month() - 1) / 3 + 1;
                if q == 1 {
                    Period::quarter(from.year() - 1, 4)
                } else {
                    Period::quarter(from.year(), q - 1)
                }
            }
            PeriodKind::Month => from
                .checked_sub_months(Months::new(1))
                .and_then(|d| Period::month(d.year(), d.month())),
            // Whole months (2026-07-01..2026-09-30): as many months before.
            PeriodKind::Custom => whole_months(from, self.to_date()).and_then(|n| {
                let start = from.checked_sub_months(Months::new(n))?;
                Some(Period::custom(start, from.pred_opt()?))
            }),
        };
        prev.unwrap_or_else(|| {
            let days = (self.to_date() - from).num_days();
            let end = from.pred_opt().unwrap_or(from);
            Period::custom(
                end.checked_sub_signed(Duration::days(days)).unwrap_or(end),
                end,
            )
        })
    }
}

/// How many whole months `from..=to` spans, when it starts on a month's first day and ends on a
/// month's last.
fn whole_months(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    if from.day() != 1 || to.succ_opt()?.day() != 1 {
        return None;
    }
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    u32::try_from(months).ok().filter(|m| *m > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads_and_has_a_period_before() {
        let q = Period::parse("2026Q3").expect("quarter");
        assert_eq!(
            (q.from.as_str(), q.to.as_str()),
            ("2026-07-01", "2026-09-30")
        );
        assert_eq!(q.label, "2026年第三季度");
        assert_eq!(q.previous().key, "2026Q2");
        assert_eq!(
            Period::parse("2026q1").expect("q1").previous().key,
            "2025Q4"
        );
        let y = Period::parse(" 2026 ").expect("year");
        assert_eq!(
            (y.from.as_str(), y.to.as_str()),
            ("2026-01-01", "2026-12-31")
        );
        assert_eq!(y.previous().label, "2025年");
        let m = Period::parse("2026-02").expect("month");
        assert_eq!(m.to, "2026-02-28");
        assert_eq!(
            Period::parse("2026-01").expect("jan").previous().key,
            "2025-12"
        );
        let m = Period::parse("2026-07-01..2026-07-31").expect("a month as a span");
        let p = m.previous();
        assert_eq!(
            (p.from.as_str(), p.to.as_str()),
            ("2026-06-01", "2026-06-30")
        );
        let q = Period::parse("2026-01-01..2026-03-31").expect("a quarter as a span");
        assert_eq!(q.previous().from, "2025-10-01");
        assert!(
            Period::parse("0001-01-01..0001-01-05").is_err(),
            "out of range"
        );
        let c = Period::parse("2026-07-01..2026-07-10").expect("span");
        assert_eq!(c.label, "2026年7月1日至7月10日");
        let p = c.previous();
        assert_eq!(
            (p.from.as_str(), p.to.as_str()),
            ("2026-06-21", "2026-06-30")
        );
        for bad in [
            "",
            "26",
            "2026Q5",
            "2026-13",
            "2026-09-30..2026-07-01",
            "上季度",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
