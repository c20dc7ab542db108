//! [`DateTime`] <-> [`jiff::Zoned`] (with a fixed offset), [`jiff::Timestamp`] (an instant)
//! and [`jiff::civil::DateTime`] (a value without an offset). Feature `jiff`.

use jiff::tz::{self, TimeZone};
use jiff::{Timestamp, Zoned};

use super::{Civil, ConversionError};
use crate::DateTime;

fn civil_of(value: &DateTime) -> Result<jiff::civil::DateTime, ConversionError> {
    let narrow = |v: u8| v as i8;
    jiff::civil::DateTime::new(
        i16::try_from(value.year()).map_err(|e| super::refused(value, "jiff::civil::DateTime", e))?,
        narrow(value.month()),
        narrow(value.day()),
        narrow(value.hour()),
        narrow(value.minute()),
        narrow(value.second()),
        value.nanosecond() as i32,
    )
    .map_err(|e| super::refused(value, "jiff::civil::DateTime", e))
}

fn fields(value: jiff::civil::DateTime) -> Civil {
    Civil {
        year: i64::from(value.year()),
        month: value.month() as u8,
        day: value.day() as u8,
        hour: value.hour() as u8,
        minute: value.minute() as u8,
        second: value.second() as u8,
        nanosecond: value.subsec_nanosecond() as u32,
    }
}

impl TryFrom<DateTime> for Zoned {
    type Error = ConversionError;

    /// The same wall-clock time in a fixed-offset time zone (`Z` becomes `+00:00`). Fails
    /// with [`ConversionError::NoOffset`] for an offset-less value: use
    /// [`jiff::civil::DateTime`], or state the offset with [`DateTime::with_offset`].
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        let seconds = super::offset_seconds(&value)?;
        let offset = tz::Offset::from_seconds(seconds).map_err(|e| super::refused(&value, "jiff::tz::Offset", e))?;
        civil_of(&value)?.to_zoned(TimeZone::fixed(offset)).map_err(|e| super::refused(&value, "jiff::Zoned", e))
    }
}

impl TryFrom<Zoned> for DateTime {
    type Error = ConversionError;

    /// The wall-clock time and the offset in force at that instant; a zero offset is written
    /// `Z` (the time zone's name is not kept). Fails on nanoseconds finer than 100 ns, years
    /// outside 1..=9999 and offsets with seconds.
    fn try_from(value: Zoned) -> Result<Self, ConversionError> {
        let offset = super::offset_from_seconds(value.offset().seconds())?;
        fields(value.datetime()).into_datetime(offset)
    }
}

impl TryFrom<DateTime> for Timestamp {
    type Error = ConversionError;

    /// The instant the value names (its offset is applied, then not kept). Fails with
    /// [`ConversionError::NoOffset`] for an offset-less value.
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        let (secs, nanos) = value.unix_timestamp().ok_or(ConversionError::NoOffset(value))?;
        Timestamp::new(secs, nanos as i32).map_err(|e| super::refused(&value, "jiff::Timestamp", e))
    }
}

impl TryFrom<Timestamp> for DateTime {
    type Error = ConversionError;

    /// The instant in UTC (`Z`). Fails on nanoseconds finer than 100 ns and years outside
    /// 1..=9999.
    fn try_from(value: Timestamp) -> Result<Self, ConversionError> {
        fields(value.to_zoned(TimeZone::UTC).datetime()).into_datetime(crate::Offset::Utc)
    }
}

impl TryFrom<DateTime> for jiff::civil::DateTime {
    type Error = ConversionError;

    /// The wall-clock time of an offset-less value. Fails with [`ConversionError::HasOffset`]
    /// for a value with an offset, which this type would drop: use [`Zoned`].
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        super::require_unspecified(&value)?;
        civil_of(&value)
    }
}

impl TryFrom<jiff::civil::DateTime> for DateTime {
    type Error = ConversionError;

    /// An offset-less value ([`crate::Offset::Unspecified`]). Fails on nanoseconds finer than
    /// 100 ns and years outside 1..=9999.
    fn try_from(value: jiff::civil::DateTime) -> Result<Self, ConversionError> {
        fields(value).into_datetime(crate::Offset::Unspecified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Offset;

    #[test]
    fn offsets_and_ticks_survive() {
        let dt: DateTime = "2026-01-15T10:30:00.1234567-05:00".parse().unwrap();
        let z = Zoned::try_from(dt).unwrap();
        assert_eq!(DateTime::try_from(z).unwrap(), dt);
        let ts = Timestamp::try_from(dt).unwrap();
        assert_eq!(DateTime::try_from(ts).unwrap().to_string(), "2026-01-15T15:30:00.1234567Z");
        let local: DateTime = "2026-01-15T10:30:00.25".parse().unwrap();
        assert_eq!(DateTime::try_from(jiff::civil::DateTime::try_from(local).unwrap()).unwrap(), local);
    }

    #[test]
    fn lossy_conversions_are_refused() {
        let local: DateTime = "2026-01-15T10:30:00".parse().unwrap();
        assert_eq!(Timestamp::try_from(local), Err(ConversionError::NoOffset(local)));
        assert!(matches!(Zoned::try_from(local), Err(ConversionError::NoOffset(_))));
        let z = local.with_offset(Offset::Minutes(60));
        assert_eq!(jiff::civil::DateTime::try_from(z), Err(ConversionError::HasOffset(z)));
        let fine = Timestamp::new(0, 42).unwrap();
        assert_eq!(DateTime::try_from(fine), Err(ConversionError::SubTick { nanoseconds: 42 }));
        let far = jiff::civil::date(-3, 1, 1).at(0, 0, 0, 0);
        assert_eq!(DateTime::try_from(far), Err(ConversionError::YearOutOfRange(-3)));
    }
}
