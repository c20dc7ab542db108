//! [`DateTime`] <-> [`chrono::DateTime<FixedOffset>`] and [`chrono::DateTime<Utc>`] (values
//! with an offset) and [`chrono::NaiveDateTime`] (a value without one). Feature `chrono`.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

use super::{Civil, ConversionError};
use crate::DateTime;

fn naive(value: &DateTime) -> Result<NaiveDateTime, ConversionError> {
    let date = NaiveDate::from_ymd_opt(value.year(), u32::from(value.month()), u32::from(value.day()))
        .ok_or_else(|| super::refused(value, "chrono::NaiveDate", "no such date"))?;
    let clock = NaiveTime::from_hms_nano_opt(
        u32::from(value.hour()),
        u32::from(value.minute()),
        u32::from(value.second()),
        value.nanosecond(),
    )
    .ok_or_else(|| super::refused(value, "chrono::NaiveTime", "no such time"))?;
    Ok(NaiveDateTime::new(date, clock))
}

fn civil(value: NaiveDateTime) -> Civil {
    Civil {
        year: i64::from(value.year()),
        month: value.month() as u8,
        day: value.day() as u8,
        hour: value.hour() as u8,
        minute: value.minute() as u8,
        second: value.second() as u8,
        nanosecond: value.nanosecond(),
    }
}

impl TryFrom<DateTime> for chrono::DateTime<FixedOffset> {
    type Error = ConversionError;

    /// The same wall-clock time and offset (`Z` becomes `+00:00`). Fails with
    /// [`ConversionError::NoOffset`] for an offset-less value: use [`NaiveDateTime`], or state
    /// the offset with [`DateTime::with_offset`].
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        let seconds = super::offset_seconds(&value)?;
        let offset =
            FixedOffset::east_opt(seconds).ok_or_else(|| super::refused(&value, "chrono::FixedOffset", "offset"))?;
        offset
            .from_local_datetime(&naive(&value)?)
            .single()
            .ok_or_else(|| super::refused(&value, "chrono::DateTime", "no single instant"))
    }
}

impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = ConversionError;

    /// The same wall-clock time and offset; a zero offset is written `Z`. Fails on
    /// nanoseconds finer than 100 ns, leap seconds, years outside 1..=9999 and offsets with
    /// seconds.
    fn try_from(value: chrono::DateTime<FixedOffset>) -> Result<Self, ConversionError> {
        let offset = super::offset_from_seconds(value.offset().local_minus_utc())?;
        civil(value.naive_local()).into_datetime(offset)
    }
}

impl TryFrom<DateTime> for chrono::DateTime<Utc> {
    type Error = ConversionError;

    /// The instant the value names, in UTC. Fails with [`ConversionError::NoOffset`] for an
    /// offset-less value.
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        chrono::DateTime::<FixedOffset>::try_from(value).map(|t| t.with_timezone(&Utc))
    }
}

impl TryFrom<chrono::DateTime<Utc>> for DateTime {
    type Error = ConversionError;

    /// The instant in UTC (`Z`). Fails on nanoseconds finer than 100 ns, leap seconds and
    /// years outside 1..=9999.
    fn try_from(value: chrono::DateTime<Utc>) -> Result<Self, ConversionError> {
        civil(value.naive_utc()).into_datetime(crate::Offset::Utc)
    }
}

impl TryFrom<DateTime> for NaiveDateTime {
    type Error = ConversionError;

    /// The wall-clock time of an offset-less value. Fails with [`ConversionError::HasOffset`]
    /// for a value with an offset, which this type would drop.
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        super::require_unspecified(&value)?;
        naive(&value)
    }
}

impl TryFrom<NaiveDateTime> for DateTime {
    type Error = ConversionError;

    /// An offset-less value ([`crate::Offset::Unspecified`]). Fails on nanoseconds finer than
    /// 100 ns, leap seconds and years outside 1..=9999.
    fn try_from(value: NaiveDateTime) -> Result<Self, ConversionError> {
        civil(value).into_datetime(crate::Offset::Unspecified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Offset;

    #[test]
    fn offsets_and_ticks_survive() {
        let dt: DateTime = "2026-01-15T10:30:00.1234567+05:30".parse().unwrap();
        let c = chrono::DateTime::<FixedOffset>::try_from(dt).unwrap();
        assert_eq!((c.hour(), c.nanosecond(), c.offset().local_minus_utc()), (10, 123_456_700, 5 * 3600 + 1800));
        assert_eq!(DateTime::try_from(c).unwrap(), dt);
        let utc = chrono::DateTime::<Utc>::try_from(dt).unwrap();
        assert_eq!(DateTime::try_from(utc).unwrap().to_string(), "2026-01-15T05:00:00.1234567Z");
        let local: DateTime = "2026-01-15T10:30:00".parse().unwrap();
        assert_eq!(DateTime::try_from(NaiveDateTime::try_from(local).unwrap()).unwrap(), local);
    }

    #[test]
    fn lossy_conversions_are_refused() {
        let local: DateTime = "2026-01-15T10:30:00".parse().unwrap();
        assert_eq!(chrono::DateTime::<Utc>::try_from(local), Err(ConversionError::NoOffset(local)));
        let z = local.with_offset(Offset::Utc);
        assert_eq!(NaiveDateTime::try_from(z), Err(ConversionError::HasOffset(z)));
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(23, 59, 59, 1_000_000_000).unwrap();
        assert_eq!(DateTime::try_from(leap), Err(ConversionError::LeapSecond));
        let fine = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(1, 2, 3, 7).unwrap();
        assert_eq!(DateTime::try_from(fine), Err(ConversionError::SubTick { nanoseconds: 7 }));
    }
}
