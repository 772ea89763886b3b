//! Dates as the 2008 API shows them (RFC 2822) and as its list filter takes them
//! (`YYYY-MM-DD`).
//!
//! Times are kept as milliseconds since the Unix epoch, UTC: that is what the store holds and
//! what the list filter compares. The calendar arithmetic is Howard Hinnant's
//! `days_from_civil`/`civil_from_days` (proleptic Gregorian), small enough that a date crate
//! would cost more than it saves.

use std::time::{SystemTime, UNIX_EPOCH};

const MS_PER_DAY: i64 = 86_400_000;
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Milliseconds since the Unix epoch, now (0 if the system clock is before 1970).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month 1–12, day 1–31) of a day number since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Formats epoch milliseconds as RFC 2822 in UTC: `Thu, 03 Apr 2008 08:36:33 +0000`.
///
/// The 2008 service printed its own zone (`-0400`); any zone is valid RFC 2822, and UTC
/// keeps the simulator's output independent of the machine it runs on.
pub fn rfc2822(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let secs = ms.rem_euclid(MS_PER_DAY) / 1000;
    let (y, m, d) = civil_from_days(days);
    let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(m - 1) as usize];
    format!(
        "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} +0000",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Parses a `YYYY-MM-DD` date (the list filter's format) into the epoch milliseconds of
/// its first instant, UTC. `None` for anything else, including impossible dates.
pub fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(i64::from(y), m, d);
    // Reject 2009-02-30 and friends: the day must survive the round trip.
    if civil_from_days(days) != (i64::from(y), m, d) {
        return None;
    }
    Some(days * MS_PER_DAY)
}

/// The length of a day in milliseconds, for `StartTime=` day ranges.
pub const DAY_MS: i64 = MS_PER_DAY;

/// Epoch ms of an ISO 8601 UTC time as the 2010 API's filters take it: `YYYY-MM-DD`
/// (midnight) or `YYYY-MM-DDTHH:MM:SSZ` (what the helper libraries send for a datetime).
/// Returns the time and whether only a day was given.
pub fn parse_day_or_time(s: &str) -> Option<(i64, bool)> {
    let (day, time) = match s.split_once('T') {
        None => return parse_day(s).map(|d| (d, true)),
        Some(parts) => parts,
    };
    let day = parse_day(day)?;
    let time = time.strip_suffix('Z').unwrap_or(time);
    let mut parts = time.split(':');
    let mut next = |max: i64| -> Option<i64> {
        let p = parts.next()?;
        if p.len() != 2 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        p.parse::<i64>().ok().filter(|v| *v <= max)
    };
    let (h, m, sec) = (next(23)?, next(59)?, next(59)?);
    if parts.next().is_some() {
        return None;
    }
    Some((day + ((h * 60 + m) * 60 + sec) * 1000, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_seed_instant() {
        // Thu, 03 Apr 2008 04:36:33 -0400 is 08:36:33 UTC.
        assert_eq!(
            rfc2822(1_207_211_793_000),
            "Thu, 03 Apr 2008 08:36:33 +0000"
        );
        assert_eq!(rfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc2822(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 +0000");
    }

    #[test]
    fn parses_days() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2008-04-03"), Some(1_207_180_800_000));
        assert_eq!(parse_day("2000-02-29"), Some(951_782_400_000));
        for bad in [
            "2009-02-29",
            "2008-13-01",
            "2008-00-10",
            "2008-4-03",
            "20080403",
            "2008-04-0x",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_many_days() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
