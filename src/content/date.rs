//! Dates as editors write them: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or a full date with a time, as
//! Obsidian writes date-time properties), compared and written out unambiguously.

use std::fmt;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date, possibly only a year or a year and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteDate {
    /// The year.
    pub year: u16,
    /// 1–12, if known.
    pub month: Option<u8>,
    /// 1–31, if known.
    pub day: Option<u8>,
}

impl SiteDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (checking the day exists in that month).
    pub fn parse(s: &str) -> Option<SiteDate> {
        let s = s.trim();
        let mut parts = s.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse::<u16>().ok()?;
        let month = match parts.next() {
            Some(m) if m.len() == 2 => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            Some(_) => return None,
            None => None,
        };
        let day = match parts.next() {
            Some(d) if d.len() == 2 => {
                let d = d.parse::<u8>().ok()?;
                (d >= 1 && d <= days_in_month(year, month?)).then_some(d)?;
                Some(d)
            }
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(SiteDate { year, month, day })
    }

    /// Like `parse`, and also a full date followed by a time of day, as Obsidian writes date-time
    /// properties: `2025-07-26T17:18`, `2025-07-26 17:18:00`, `2025-07-26T17:18:00.5+02:00`.
    /// The time is checked, then dropped: pages show and compare dates by day.
    pub fn parse_with_time(s: &str) -> Option<SiteDate> {
        let s = s.trim();
        let Some(time) = s.get(10..) else {
            return SiteDate::parse(s);
        };
        if time.is_empty() {
            return SiteDate::parse(s);
        }
        let time = time.strip_prefix(['T', 't', ' '])?;
        if is_time(time) {
            SiteDate::parse(&s[..10])
        } else {
            None
        }
    }

    /// True when year, month and day are all known.
    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// Written out for readers: `2 October 2023`, `July 2014` or `2019`.
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// Written out briefly, for axis labels: `23 Sep 2023`, `Sep 2023` or `2023`.
    pub fn short(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", &MONTHS[m as usize - 1][..3], self.year),
            (Some(m), None) => format!("{} {}", &MONTHS[m as usize - 1][..3], self.year),
            _ => self.year.to_string(),
        }
    }

    /// The first day of the period it names (a year's 1 January, a month's first), as days
    /// since 1970-01-01: where a timeline places it.
    pub fn first_day(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
        )
    }

    /// RFC 3339 timestamp at midnight UTC (missing parts become the first), for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

impl fmt::Display for SiteDate {
    /// The ISO form as written: `2023`, `2023-10` or `2023-10-02`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// `HH:MM`, `HH:MM:SS` or with fractions of a second, then an optional `Z` or `±HH:MM` offset.
fn is_time(t: &str) -> bool {
    let (clock, zone) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let two = |p: &str, max: u8| p.len() == 2 && p.parse::<u8>().is_ok_and(|n| n <= max);
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        z => z[1..]
            .split_once(':')
            .is_some_and(|(h, m)| two(h, 23) && two(m, 59)),
    };
    let mut parts = clock.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let seconds_ok = match parts.next() {
        None => true,
        Some(sec) => {
            let (whole, fraction) = sec.split_once('.').unwrap_or((sec, "0"));
            two(whole, 60) && !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit())
        }
    };
    zone_ok && two(h, 23) && two(m, 59) && seconds_ok && parts.next().is_none()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day counted from 1970-01-01: `(year, month, day)`, the inverse of
/// `days_from_civil`.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The short name of month `m` (1–12): `Sep`.
pub fn month_abbr(m: u8) -> &'static str {
    MONTHS
        .get(usize::from(m.clamp(1, 12)) - 1)
        .map_or("", |name| &name[..3])
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates_and_orders_them() {
        let y = SiteDate::parse("2019").unwrap();
        let m = SiteDate::parse("2014-07").unwrap();
        let d = SiteDate::parse("2023-09-23").unwrap();
        assert!(m < y && y < d);
        assert_eq!(d.display(), "23 September 2023");
        assert_eq!(m.display(), "July 2014");
        assert_eq!(d.to_string(), "2023-09-23");
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            SiteDate::parse("2023-10").unwrap().first_day(),
            days_from_civil(2023, 10, 1)
        );
        for d in [-800_000, -1, 0, 59, 11_016, 19_631, 2_000_000] {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d, "{d}");
        }
        assert_eq!(
            SiteDate::parse("2023-09-23").unwrap().short(),
            "23 Sep 2023"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "soon",
            "2023-13-01",
            "2023-02-30",
            "23-01-01",
            "2023-1-1",
            "2023-01-01-01",
        ] {
            assert!(SiteDate::parse(bad).is_none(), "{bad}");
        }
        assert!(SiteDate::parse("2024-02-29").is_some());
    }

    #[test]
    fn date_times_keep_their_day() {
        let day = SiteDate::parse("2025-07-26");
        for ok in [
            "2025-07-26T17:18",
            "2025-07-26 17:18:00",
            "2025-07-26T17:18:00.250Z",
            "2025-07-26T17:18:00+02:00",
            "2025-07-26t00:00-05:30",
            "2025-07-26",
        ] {
            assert_eq!(SiteDate::parse_with_time(ok), day, "{ok}");
        }
        assert_eq!(
            SiteDate::parse_with_time("2014-07"),
            SiteDate::parse("2014-07")
        );
        for bad in [
            "2025-07-26T",
            "2025-07-26T25:00",
            "2025-07-26 17",
            "2025-07-26T17:18:00+2",
            "2025-07-26x17:18",
            "2025-07-26T17:18:00.",
            "2025-02-30T10:00",
            "2025-07T10:00",
            "2025-07-2é",
        ] {
            assert_eq!(SiteDate::parse_with_time(bad), None, "{bad}");
        }
    }
}
