//! `xs:dateTime` as .NET writes it, kept exactly: an offset-less value stays offset-less.

use std::fmt;
use std::str::FromStr;

use super::error::ValueError;

/// The time-zone part of a [`DateTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Offset {
    /// No offset was written (.NET `DateTimeKind.Unspecified`): local to some unstated zone.
    /// Never silently taken as UTC.
    Unspecified,
    /// `Z`.
    Utc,
    /// `+hh:mm` or `-hh:mm`, in minutes east of UTC (`+00:00` is kept distinct from `Z`).
    Minutes(i16),
}

impl fmt::Display for Offset {
    /// Nothing for [`Offset::Unspecified`], `Z`, or `+hh:mm` / `-hh:mm`: what follows a
    /// date-time's clock time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Offset::Unspecified => Ok(()),
            Offset::Utc => f.write_str("Z"),
            Offset::Minutes(m) => {
                let sign = if m < 0 { '-' } else { '+' };
                let m = m.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
            }
        }
    }
}

impl FromStr for Offset {
    type Err = ValueError;

    /// Parses what [`Display`](fmt::Display) writes: ``, `Z` or `±hh:mm` (-14:00..=+14:00).
    fn from_str(s: &str) -> Result<Self, ValueError> {
        crate::temporal::offset(s)
    }
}

/// An `xs:dateTime` value with up to seven fractional digits (.NET's 100 ns ticks), that
/// writes back exactly as it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// Fraction of a second in 100 ns ticks (0..=9_999_999).
    ticks: u32,
    /// How many fraction digits to write (0..=7); kept so the value writes back as read.
    digits: u8,
    /// Written as a date alone (`2025-06-30`), which .NET also accepts for `xs:dateTime`.
    date_only: bool,
    offset: Offset,
}

impl DateTime {
    /// Builds a date-time, checking every field. `fraction_ticks` is in 100 ns units.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        fraction_ticks: u32,
        offset: Offset,
    ) -> Result<Self, ValueError> {
        check_fields(year, month, day, hour, minute, second, fraction_ticks, offset)?;
        let digits = if fraction_ticks == 0 {
            0
        } else {
            let mut d = 7u8;
            let mut t = fraction_ticks;
            while t % 10 == 0 {
                t /= 10;
                d -= 1;
            }
            d
        };
        Ok(DateTime { year, month, day, hour, minute, second, ticks: fraction_ticks, digits, date_only: false, offset })
    }

    /// Year (1..=9999).
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Month (1..=12).
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of month (1..=31).
    pub fn day(&self) -> u8 {
        self.day
    }
    /// Hour (0..=23).
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// Minute (0..=59).
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// Second (0..=59).
    pub fn second(&self) -> u8 {
        self.second
    }
    /// Fraction of the second in 100 ns ticks (0..=9_999_999).
    pub fn fraction_ticks(&self) -> u32 {
        self.ticks
    }
    /// Nanoseconds of the second.
    pub fn nanosecond(&self) -> u32 {
        self.ticks * 100
    }
    /// The offset as written.
    pub fn offset(&self) -> Offset {
        self.offset
    }
    /// Whether the value was written as a date alone (`2025-06-30`, midnight).
    pub fn is_date_only(&self) -> bool {
        self.date_only
    }

    /// Seconds since 1970-01-01T00:00:00 of the wall-clock fields (offset not applied).
    fn local_seconds(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        days * 86_400 + i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }

    /// Seconds and nanoseconds since the Unix epoch, when the value names an instant
    /// (`Z` or an explicit offset); `None` for [`Offset::Unspecified`].
    pub fn unix_timestamp(&self) -> Option<(i64, u32)> {
        let offset_minutes = match self.offset {
            Offset::Unspecified => return None,
            Offset::Utc => 0,
            Offset::Minutes(m) => i64::from(m),
        };
        Some((self.local_seconds() - offset_minutes * 60, self.nanosecond()))
    }

    /// The value in UTC (`Z`) when it names an instant; `None` for [`Offset::Unspecified`].
    pub fn to_utc(&self) -> Option<DateTime> {
        let (secs, _) = self.unix_timestamp()?;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let mut out = DateTime::new(
            year,
            month,
            day,
            u8::try_from(rem / 3600).ok()?,
            u8::try_from(rem % 3600 / 60).ok()?,
            u8::try_from(rem % 60).ok()?,
            self.ticks,
            Offset::Utc,
        )
        .ok()?;
        out.digits = self.digits;
        Some(out)
    }

    /// The same wall-clock time with another offset (no conversion).
    pub fn with_offset(mut self, offset: Offset) -> DateTime {
        self.offset = offset;
        self
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// What [`DateTime::new`] checks: every field in range, the day in its month, the offset
/// within ±14:00.
#[allow(clippy::too_many_arguments)]
fn check_fields(
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    fraction_ticks: u32,
    offset: Offset,
) -> Result<(), ValueError> {
    check_date(year, month, day)?;
    if hour > 23 || minute > 59 || second > 59 {
        return Err(ValueError::new("time of day out of range"));
    }
    if fraction_ticks > 9_999_999 {
        return Err(ValueError::new("fraction out of range (at most 7 digits)"));
    }
    if let Offset::Minutes(m) = offset {
        if m.unsigned_abs() > 14 * 60 {
            return Err(ValueError::new("offset out of range -14:00..=+14:00"));
        }
    }
    Ok(())
}

/// Where the run of ASCII digits starting at `from` ends (`from` when there is none): the
/// fraction of a time, after its `.`.
pub(crate) fn digits_end(b: &[u8], from: usize) -> usize {
    from + b.get(from..).map_or(0, |rest| rest.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// A calendar date .NET accepts: years 1..=9999, the day in its month.
pub(crate) fn check_date(year: i32, month: u8, day: u8) -> Result<(), ValueError> {
    if !(1..=9999).contains(&year) {
        return Err(ValueError::new("year out of range 1..=9999"));
    }
    if !(1..=12).contains(&month) {
        return Err(ValueError::new("month out of range 1..=12"));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(ValueError::new(format!("day {day} does not exist in {year:04}-{month:02}")));
    }
    Ok(())
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil-date algorithms.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y as i32, m as u8, d as u8)
}

impl FromStr for DateTime {
    type Err = ValueError;

    /// Parses `YYYY-MM-DDThh:mm:ss[.f{1,7}][Z|±hh:mm]`, the lexical forms .NET writes and
    /// reads. Surrounding whitespace is collapsed as XML Schema says.
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let s = crate::value::trim_xml(s);
        match parse_common(s.as_bytes()) {
            Some(dt) => dt,
            None => parse_general(s),
        }
    }
}

/// Every lexical form [`DateTime::from_str`] accepts, with a precise message for the others.
fn parse_general(s: &str) -> Result<DateTime, ValueError> {
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Result<u32, ValueError> {
        let part = b.get(range).ok_or_else(|| ValueError::new("too short"))?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return Err(ValueError::new("expected digits"));
        }
        Ok(part.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let expect = |i: usize, c: u8| -> Result<(), ValueError> {
        if b.get(i) == Some(&c) {
            Ok(())
        } else {
            Err(ValueError::new(format!("expected `{}` at position {}", c as char, i + 1)))
        }
    };
    if b.first() == Some(&b'-') {
        return Err(ValueError::new("negative years are not supported"));
    }
    let year = num(0..4)?;
    if b.get(4).is_some_and(u8::is_ascii_digit) {
        return Err(ValueError::new("years beyond 9999 are not supported"));
    }
    expect(4, b'-')?;
    let month = num(5..7)?;
    expect(7, b'-')?;
    let day = num(8..10)?;
    if b.get(10) != Some(&b'T') {
        // A date alone: .NET's reader accepts it for xs:dateTime (midnight).
        let offset = parse_offset(b, 10, &num, &expect)?;
        // Two digits each: month and day fit in u8.
        let mut dt = DateTime::new(year as i32, month as u8, day as u8, 0, 0, 0, 0, offset)?;
        dt.date_only = true;
        return Ok(dt);
    }
    expect(10, b'T')?;
    let hour = num(11..13)?;
    expect(13, b':')?;
    let minute = num(14..16)?;
    expect(16, b':')?;
    let second = num(17..19)?;
    let mut i = 19;
    let mut ticks = 0u32;
    let mut digits = 0u8;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = digits_end(b, start);
        let n = i - start;
        if n == 0 {
            return Err(ValueError::new("expected fraction digits after `.`"));
        }
        if n > 7 {
            return Err(ValueError::new("more than 7 fraction digits"));
        }
        ticks = num(start..i)? * 10u32.pow(7 - n as u32);
        digits = n as u8;
    }
    let offset = parse_offset(b, i, &num, &expect)?;
    let (hour, minute, second) = if hour == 24 && minute == 0 && second == 0 && ticks == 0 {
        return Err(ValueError::new("24:00:00 is not supported; write 00:00:00 of the next day"));
    } else {
        (hour, minute, second)
    };
    let mut dt = DateTime::new(
        year as i32,
        u8::try_from(month).map_err(|_| ValueError::new("month out of range"))?,
        u8::try_from(day).map_err(|_| ValueError::new("day out of range"))?,
        u8::try_from(hour).map_err(|_| ValueError::new("hour out of range"))?,
        u8::try_from(minute).map_err(|_| ValueError::new("minute out of range"))?,
        u8::try_from(second).map_err(|_| ValueError::new("second out of range"))?,
        ticks,
        offset,
    )?;
    dt.digits = digits;
    Ok(dt)
}

/// The forms .NET writes, `YYYY-MM-DDThh:mm:ss[.f{1,7}][Z|±hh:mm]`, with fixed-position
/// arithmetic and no closures; `None` for anything else (a date alone, a malformed value), which
/// the general parser then reads or rejects with a precise message.
#[inline]
fn parse_common(b: &[u8]) -> Option<Result<DateTime, ValueError>> {
    let p: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    if p[4] != b'-' || p[7] != b'-' || p[10] != b'T' || p[13] != b':' || p[16] != b':' {
        return None;
    }
    // The fourteen digits of `YYYY-MM-DDThh:mm:ss`, at fixed places of a fixed-size array (no
    // bounds checks), checked together: one test for all of them instead of a branch each.
    let d = [p[0], p[1], p[2], p[3], p[5], p[6], p[8], p[9], p[11], p[12], p[14], p[15], p[17], p[18]]
        .map(|c| c.wrapping_sub(b'0'));
    if d.iter().fold(0u8, |bad, &v| bad | u8::from(v > 9)) != 0 {
        return None;
    }
    let two = |k: usize| u32::from(d[k]) * 10 + u32::from(d[k + 1]);
    let year = two(0) * 100 + two(2);
    let (month, day, hour, minute, second) = (two(4), two(6), two(8), two(10), two(12));
    let digit = |i: usize| b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&v| v < 10);
    let mut i = 19;
    let mut ticks = 0u32;
    let mut digits = 0u8;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while digits < 7 {
            let Some(v) = digit(i) else { break };
            ticks = ticks * 10 + u32::from(v);
            digits += 1;
            i += 1;
        }
        if digits == 0 || digit(i).is_some() {
            return None;
        }
        const SCALE: [u32; 8] = [10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
        ticks *= SCALE[usize::from(digits)];
    }
    let offset = match &b[i..] {
        [] => Offset::Unspecified,
        [b'Z'] => Offset::Utc,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = match (digit(i + 1), digit(i + 2), digit(i + 4), digit(i + 5)) {
                (Some(h1), Some(h2), Some(m1), Some(m2)) => {
                    (u32::from(h1) * 10 + u32::from(h2), u32::from(m1) * 10 + u32::from(m2))
                }
                _ => return None,
            };
            if h > 14 || m > 59 || (h == 14 && m > 0) {
                return None;
            }
            let total = (h * 60 + m) as i16;
            Offset::Minutes(if *sign == b'-' { -total } else { total })
        }
        _ => return None,
    };
    if hour == 24 {
        return None;
    }
    // Every field has two digits (four for the year): the casts cannot truncate. The digits
    // written are those read, so the value writes back as it came.
    let (year, month, day, hour, minute, second) =
        (year as i32, month as u8, day as u8, hour as u8, minute as u8, second as u8);
    Some(check_fields(year, month, day, hour, minute, second, ticks, offset).map(|()| DateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        ticks,
        digits,
        date_only: false,
        offset,
    }))
}

/// Parses `Z`, `±hh:mm` or nothing at `b[i..]`, which must then end.
fn parse_offset(
    b: &[u8],
    i: usize,
    num: &dyn Fn(std::ops::Range<usize>) -> Result<u32, ValueError>,
    expect: &dyn Fn(usize, u8) -> Result<(), ValueError>,
) -> Result<Offset, ValueError> {
    Ok(match b.get(i) {
        None => Offset::Unspecified,
        Some(b'Z') if i + 1 == b.len() => Offset::Utc,
        Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 => {
            let h = num(i + 1..i + 3)?;
            expect(i + 3, b':')?;
            let m = num(i + 4..i + 6)?;
            if h > 14 || m > 59 || (h == 14 && m > 0) {
                return Err(ValueError::new("offset out of range -14:00..=+14:00"));
            }
            let total = (h * 60 + m) as i16;
            Offset::Minutes(if sign == b'-' { -total } else { total })
        }
        Some(_) => return Err(ValueError::new("unexpected characters after the date or time")),
    })
}

impl fmt::Display for DateTime {
    /// Writes the value as it was read (or as .NET writes it: trailing fraction zeros cut).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if !self.date_only {
            write!(f, "T{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        }
        if self.digits > 0 && !self.date_only {
            let scaled = self.ticks / 10u32.pow(7 - u32::from(self.digits));
            write!(f, ".{:0width$}", scaled, width = usize::from(self.digits))?;
        }
        match self.offset {
            Offset::Unspecified => Ok(()),
            Offset::Utc => f.write_str("Z"),
            Offset::Minutes(m) => {
                let sign = if m < 0 { '-' } else { '+' };
                let m = m.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dotnet_forms() {
        for s in [
            "2024-02-29T12:00:00.1234567",
            "2024-03-01T00:00:00Z",
            "2024-06-15T09:30:00.25-04:00",
            "2030-12-31T23:59:59Z",
            "2024-07-01T00:00:00",
            "2024-01-01T08:15:30.5Z",
            "2024-01-01T08:15:30.500Z",
            "2024-01-01T08:15:30+00:00",
            "0001-01-01T00:00:00",
            "9999-12-31T23:59:59.9999999+14:00",
            "2025-06-30",
            "2025-06-30Z",
        ] {
            let dt: DateTime = s.parse().unwrap();
            assert_eq!(dt.to_string(), s);
        }
    }

    #[test]
    fn keeps_offsets_apart() {
        let none: DateTime = "2024-03-01T00:00:00".parse().unwrap();
        let z: DateTime = "2024-03-01T00:00:00Z".parse().unwrap();
        let plus0: DateTime = "2024-03-01T00:00:00+00:00".parse().unwrap();
        assert_eq!(none.offset(), Offset::Unspecified);
        assert_eq!(z.offset(), Offset::Utc);
        assert_eq!(plus0.offset(), Offset::Minutes(0));
        assert_ne!(none, z);
        assert_eq!(none.unix_timestamp(), None);
        assert_eq!(z.unix_timestamp(), plus0.unix_timestamp());
    }

    #[test]
    fn rejects_invalid() {
        for s in [
            "2024-13-45T99:00:00",
            "2023-02-29T00:00:00",
            "2023-02-29",
            "2024-02-29T00:00",
            "2024-02-29T00:00:00.12345678",
            "2024-02-29T00:00:00+15:00",
            "2024-02-29T00:00:00ZZ",
            "2024-02-29T00:00:00.",
            "２０２４-01-01T00:00:00",
            "",
        ] {
            assert!(s.parse::<DateTime>().is_err(), "{s} should be rejected");
        }
    }

    /// The fixed-position parser of the forms .NET writes reads exactly what the general one
    /// reads (the same value, or an error), for every one-byte change of those forms.
    #[test]
    fn common_forms_parse_as_the_general_parser_does() {
        let mut taken = 0;
        for base in [
            "2024-02-29T12:00:00.1234567",
            "2024-06-15T09:30:00.25-04:00",
            "2030-12-31T23:59:59Z",
            "0001-01-01T00:00:00+14:00",
            "2023-02-28T00:00:00.1234567-00:30",
        ] {
            let mut bytes = base.as_bytes().to_vec();
            for i in 0..bytes.len() {
                let original = bytes[i];
                for b in
                    [b'0', b'1', b'2', b'3', b'4', b'5', b'9', b'/', b':', b'-', b'+', b'.', b'T', b'Z', b' ', 0xC3]
                {
                    bytes[i] = b;
                    if let Ok(text) = std::str::from_utf8(&bytes) {
                        if let Some(fast) = parse_common(text.as_bytes()) {
                            taken += 1;
                            let general = parse_general(text);
                            assert_eq!(fast.as_ref().ok(), general.as_ref().ok(), "{text}");
                            assert_eq!(fast.is_err(), general.is_err(), "{text}");
                        }
                    }
                }
                bytes[i] = original;
            }
        }
        assert!(taken > 500, "the fast path read only {taken} of the changed forms");
    }

    #[test]
    fn converts_to_utc() {
        let dt: DateTime = "2024-06-15T21:30:00.25-04:00".parse().unwrap();
        assert_eq!(dt.to_utc().unwrap().to_string(), "2024-06-16T01:30:00.25Z");
        let (secs, nanos) = dt.unix_timestamp().unwrap();
        assert_eq!(secs, 1_718_501_400);
        assert_eq!(nanos, 250_000_000);
    }
}
