//! `xs:date`, `xs:time` and `xs:duration`, validated and kept exactly as written (the same
//! promise [`super::DateTime`] makes): an offset-less value stays offset-less.

use std::fmt;
use std::str::FromStr;

use super::XmlContent;
use super::datetime::Offset;
use super::decimal::Decimal;
use super::error::{DecodeError, EncodeError, ValueError};
use super::reader::{Element, XmlReader};
use super::value::{XmlText, decode_text};
use super::writer::XmlWriter;

fn trim_xml(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Exactly `n` ASCII digits at the start of `s`, as a number.
fn digits(s: &str, n: usize) -> Result<u32, ValueError> {
    let part = s.get(..n).ok_or_else(|| ValueError::new("too short"))?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(format!("expected {n} digits, found `{part}`")));
    }
    part.parse().map_err(|_| ValueError::new("number out of range"))
}

/// Parses a trailing time-zone designator: nothing, `Z` or `±hh:mm`.
pub(crate) fn offset(s: &str) -> Result<Offset, ValueError> {
    match s.as_bytes().first() {
        None => Ok(Offset::Unspecified),
        Some(b'Z') if s.len() == 1 => Ok(Offset::Utc),
        Some(&sign @ (b'+' | b'-')) if s.len() == 6 && s.as_bytes()[3] == b':' => {
            let h = digits(&s[1..], 2)?;
            let m = digits(&s[4..], 2)?;
            if h > 14 || m > 59 || (h == 14 && m > 0) {
                return Err(ValueError::new("offset out of range -14:00..=+14:00"));
            }
            let total = i16::try_from(h * 60 + m).map_err(|_| ValueError::new("offset out of range"))?;
            Ok(Offset::Minutes(if sign == b'-' { -total } else { total }))
        }
        Some(_) => Err(ValueError::new(format!("`{s}` is not a time zone (expected Z or ±hh:mm)"))),
    }
}

fn write_offset(f: &mut fmt::Formatter<'_>, offset: Offset) -> fmt::Result {
    match offset {
        Offset::Unspecified => Ok(()),
        Offset::Utc => f.write_str("Z"),
        Offset::Minutes(m) => {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
        }
    }
}

macro_rules! text_content {
    ($($t:ty => $xsd:literal),*) => {$(
        impl XmlText for $t {
            const XSD_TYPE: &'static str = $xsd;
            fn parse_text(text: &str) -> Result<Self, ValueError> {
                text.parse()
            }
            fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
                w.display(self);
                Ok(())
            }
        }

        impl XmlContent for $t {
            fn decode_content<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                decode_text(r, element)
            }
            fn encode_content(&self, w: &mut XmlWriter, element: &str) -> Result<(), EncodeError> {
                self.write_text(w, element)
            }
        }
    )*};
}

text_content!(Date => "xs:date", Time => "xs:time", Duration => "xs:duration");

/// An `xs:date`: `2026-01-15`, `2026-01-15Z` or `2026-01-15-05:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
    offset: Offset,
}

impl Date {
    /// Builds a date, checking that the day exists. Years 1..=9999, as .NET allows.
    pub fn new(year: i32, month: u8, day: u8, offset: Offset) -> Result<Self, ValueError> {
        crate::datetime::check_date(year, month, day)?;
        Ok(Date { year, month, day, offset })
    }
    /// Year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Month (1..=12).
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of month.
    pub fn day(&self) -> u8 {
        self.day
    }
    /// The time zone as written.
    pub fn offset(&self) -> Offset {
        self.offset
    }
}

impl FromStr for Date {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = trim_xml(s);
        if t.len() < 10 || t.as_bytes()[4] != b'-' || t.as_bytes()[7] != b'-' {
            return Err(ValueError::new("expected a date such as 2026-01-15"));
        }
        let year = digits(t, 4)?;
        let month = digits(&t[5..], 2)?;
        let day = digits(&t[8..], 2)?;
        let year = i32::try_from(year).map_err(|_| ValueError::new("year out of range"))?;
        Date::new(year, month as u8, day as u8, offset(&t[10..])?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        write_offset(f, self.offset)
    }
}

/// An `xs:time`: `10:30:00`, `10:30:00.1234567Z`, `23:59:59+02:00`. The fraction keeps its
/// digits as written (up to 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    hour: u8,
    minute: u8,
    second: u8,
    /// Fraction in nanoseconds.
    nanos: u32,
    /// Fraction digits as written (0..=9).
    digits: u8,
    offset: Offset,
}

impl Time {
    /// Builds a time of day. `nanosecond` below 1e9.
    pub fn new(hour: u8, minute: u8, second: u8, nanosecond: u32, offset: Offset) -> Result<Self, ValueError> {
        if hour > 23 || minute > 59 || second > 59 || nanosecond >= 1_000_000_000 {
            return Err(ValueError::new("time of day out of range"));
        }
        let mut digits = if nanosecond == 0 { 0 } else { 9 };
        let mut n = nanosecond;
        while digits > 0 && n % 10 == 0 {
            n /= 10;
            digits -= 1;
        }
        Ok(Time { hour, minute, second, nanos: nanosecond, digits, offset })
    }
    /// Hour (0..=23).
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// Minute.
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// Second.
    pub fn second(&self) -> u8 {
        self.second
    }
    /// Nanoseconds of the second.
    pub fn nanosecond(&self) -> u32 {
        self.nanos
    }
    /// The time zone as written.
    pub fn offset(&self) -> Offset {
        self.offset
    }
}

impl FromStr for Time {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = trim_xml(s);
        let b = t.as_bytes();
        if b.len() < 8 || b[2] != b':' || b[5] != b':' {
            return Err(ValueError::new("expected a time such as 10:30:00"));
        }
        let (hour, minute, second) = (digits(t, 2)?, digits(&t[3..], 2)?, digits(&t[6..], 2)?);
        let mut i = 8;
        let mut nanos = 0u32;
        let mut count = 0u8;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = crate::datetime::digits_end(b, start);
            if i == start {
                return Err(ValueError::new("expected fraction digits after `.`"));
            }
            if i - start > 9 {
                return Err(ValueError::new("more than 9 fraction digits"));
            }
            count = (i - start) as u8;
            nanos = digits(&t[start..], i - start)? * 10u32.pow(9 - u32::from(count));
        }
        let offset = offset(&t[i..])?;
        if hour == 24 && minute == 0 && second == 0 && nanos == 0 {
            return Err(ValueError::new("24:00:00 is not supported; write 00:00:00"));
        }
        let mut time = Time::new(hour as u8, minute as u8, second as u8, nanos, offset)?;
        time.digits = count;
        Ok(time)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        if self.digits > 0 {
            let scaled = self.nanos / 10u32.pow(9 - u32::from(self.digits));
            write!(f, ".{:0width$}", scaled, width = usize::from(self.digits))?;
        }
        write_offset(f, self.offset)
    }
}

/// An `xs:duration` (.NET `TimeSpan` in WCF): `P1Y2M3DT4H5M6.5S`, `-PT30M`, `PT0S`. Written
/// back exactly as read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Duration {
    text: String,
    negative: bool,
    years: u64,
    months: u64,
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: Decimal,
}

impl Duration {
    /// Whether the duration is negative (`-P...`).
    pub fn is_negative(&self) -> bool {
        self.negative
    }
    /// The `Y` component.
    pub fn years(&self) -> u64 {
        self.years
    }
    /// The `M` component before `T`.
    pub fn months(&self) -> u64 {
        self.months
    }
    /// The `D` component.
    pub fn days(&self) -> u64 {
        self.days
    }
    /// The `H` component.
    pub fn hours(&self) -> u64 {
        self.hours
    }
    /// The `M` component after `T`.
    pub fn minutes(&self) -> u64 {
        self.minutes
    }
    /// The `S` component, exactly (`6.5`).
    pub fn seconds(&self) -> &Decimal {
        &self.seconds
    }

    /// The duration as a `std::time::Duration` when it is not negative and has no years or
    /// months (whose length in seconds depends on the calendar).
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.negative || self.years != 0 || self.months != 0 {
            return None;
        }
        let text = self.seconds.canonical();
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        let whole: u64 = whole.parse().ok()?;
        let frac = frac.get(..frac.len().min(9)).unwrap_or("");
        let nanos: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
        let secs = self
            .days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(whole)?;
        Some(std::time::Duration::new(secs, nanos))
    }

    /// Builds a duration of whole seconds and nanoseconds, written as .NET writes a
    /// `TimeSpan` (`PT1H30M`, `P2DT5.25S`, `PT0S`).
    pub fn from_std(d: std::time::Duration) -> Self {
        let total = d.as_secs();
        let (days, rest) = (total / 86_400, total % 86_400);
        let (hours, minutes, secs) = (rest / 3600, rest % 3600 / 60, rest % 60);
        let mut text = String::from("P");
        if days > 0 {
            text.push_str(&format!("{days}D"));
        }
        let nanos = d.subsec_nanos();
        let seconds =
            if nanos == 0 { secs.to_string() } else { format!("{secs}.{:09}", nanos).trim_end_matches('0').to_owned() };
        if hours > 0 || minutes > 0 || secs > 0 || nanos > 0 || days == 0 {
            text.push('T');
            if hours > 0 {
                text.push_str(&format!("{hours}H"));
            }
            if minutes > 0 {
                text.push_str(&format!("{minutes}M"));
            }
            if secs > 0 || nanos > 0 || (hours == 0 && minutes == 0) {
                text.push_str(&format!("{seconds}S"));
            }
        }
        // Built from valid parts: parsing cannot fail.
        text.parse().unwrap_or(Duration {
            text: "PT0S".to_owned(),
            negative: false,
            years: 0,
            months: 0,
            days: 0,
            hours: 0,
            minutes: 0,
            seconds: Decimal::from(0u8),
        })
    }
}

impl FromStr for Duration {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = trim_xml(s);
        let err = |m: &str| ValueError::new(format!("{m} (expected a duration such as P1DT2H30M or PT0.5S)"));
        let (negative, rest) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let rest = rest.strip_prefix('P').ok_or_else(|| err("missing `P`"))?;
        let (date_part, time_part) = match rest.split_once('T') {
            Some((d, tp)) => {
                if tp.is_empty() {
                    return Err(err("`T` must be followed by hours, minutes or seconds"));
                }
                (d, Some(tp))
            }
            None => (rest, None),
        };
        let mut out = Duration {
            text: t.to_owned(),
            negative,
            years: 0,
            months: 0,
            days: 0,
            hours: 0,
            minutes: 0,
            seconds: Decimal::from(0u8),
        };
        let mut any = false;
        let number = |n: &str| -> Result<u64, ValueError> {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("expected digits before a designator"));
            }
            n.parse().map_err(|_| err("component out of range"))
        };
        let mut order = 0;
        let mut start = 0;
        for (i, c) in date_part.char_indices() {
            let slot = match c {
                'Y' => 1,
                'M' => 2,
                'D' => 3,
                '0'..='9' => continue,
                _ => return Err(err(&format!("unexpected `{c}`"))),
            };
            if slot <= order {
                return Err(err("designators out of order or repeated"));
            }
            order = slot;
            let v = number(&date_part[start..i])?;
            match slot {
                1 => out.years = v,
                2 => out.months = v,
                _ => out.days = v,
            }
            start = i + 1;
            any = true;
        }
        if start != date_part.len() {
            return Err(err("digits without a designator"));
        }
        if let Some(tp) = time_part {
            let mut order = 0;
            let mut start = 0;
            for (i, c) in tp.char_indices() {
                let slot = match c {
                    'H' => 1,
                    'M' => 2,
                    'S' => 3,
                    '0'..='9' | '.' => continue,
                    _ => return Err(err(&format!("unexpected `{c}`"))),
                };
                if slot <= order {
                    return Err(err("designators out of order or repeated"));
                }
                order = slot;
                let n = &tp[start..i];
                match slot {
                    1 => out.hours = number(n)?,
                    2 => out.minutes = number(n)?,
                    _ => {
                        if n.starts_with(['+', '-']) || n.is_empty() {
                            return Err(err("expected seconds before `S`"));
                        }
                        out.seconds = n.parse().map_err(|_| err("seconds are not a decimal number"))?;
                    }
                }
                start = i + 1;
                any = true;
            }
            if start != tp.len() {
                return Err(err("digits without a designator"));
            }
        }
        if !any {
            return Err(err("no component"));
        }
        Ok(out)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for s in ["2026-01-15", "2024-02-29Z", "2026-01-15-05:00", "0001-01-01+14:00"] {
            assert_eq!(s.parse::<Date>().unwrap().to_string(), s);
        }
        for bad in ["2026-02-29", "2026-13-01", "26-01-01", "2026-01-15T00:00:00", "2026-01-15+15:00", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn times_round_trip() {
        for s in ["10:30:00", "23:59:59.1234567Z", "00:00:00.5-03:30", "12:00:00.000"] {
            assert_eq!(s.parse::<Time>().unwrap().to_string(), s);
        }
        assert_eq!("10:30:00.25".parse::<Time>().unwrap().nanosecond(), 250_000_000);
        for bad in ["24:00:01", "10:60:00", "10:30", "10:30:00.", "10:30:00.1234567891", "1:30:00"] {
            assert!(bad.parse::<Time>().is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_round_trip_and_convert() {
        for s in ["P1Y2M3DT4H5M6.5S", "-PT30M", "PT0S", "P1D", "PT1.000S"] {
            assert_eq!(s.parse::<Duration>().unwrap().to_string(), s);
        }
        let d: Duration = "P1DT2H3M4.25S".parse().unwrap();
        assert_eq!(d.to_std(), Some(std::time::Duration::new(86_400 + 7200 + 180 + 4, 250_000_000)));
        assert_eq!("P1M".parse::<Duration>().unwrap().to_std(), None);
        for bad in ["P", "PT", "1D", "P1H", "PT1D", "P1M1Y", "P-1D", "PT1.5.5S", "P1.5D"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad}");
        }
        assert_eq!(Duration::from_std(std::time::Duration::new(5400, 0)).to_string(), "PT1H30M");
        assert_eq!(Duration::from_std(std::time::Duration::new(0, 0)).to_string(), "PT0S");
        assert_eq!(Duration::from_std(std::time::Duration::new(2 * 86_400 + 5, 250_000_000)).to_string(), "P2DT5.25S");
    }
}
