//! [`DateTime`] <-> [`time::OffsetDateTime`] (a value with an offset) and
//! [`time::PrimitiveDateTime`] (a value without one). Feature `time`.

use time::{Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::{Civil, ConversionError};
use crate::DateTime;

fn primitive(value: &DateTime) -> Result<PrimitiveDateTime, ConversionError> {
    let month = Month::try_from(value.month()).map_err(|e| super::refused(value, "time::Month", e))?;
    let date = time::Date::from_calendar_date(value.year(), month, value.day())
        .map_err(|e| super::refused(value, "time::Date", e))?;
    let clock = time::Time::from_hms_nano(value.hour(), value.minute(), value.second(), value.nanosecond())
        .map_err(|e| super::refused(value, "time::Time", e))?;
    Ok(PrimitiveDateTime::new(date, clock))
}

fn civil(value: PrimitiveDateTime) -> Civil {
    Civil {
        year: i64::from(value.year()),
        month: u8::from(value.month()),
        day: value.day(),
        hour: value.hour(),
        minute: value.minute(),
        second: value.second(),
        nanosecond: value.nanosecond(),
    }
}

impl TryFrom<DateTime> for OffsetDateTime {
    type Error = ConversionError;

    /// The same wall-clock time and offset (`Z` becomes `+00:00`). Fails with
    /// [`ConversionError::NoOffset`] for an offset-less value: use [`PrimitiveDateTime`], or
    /// state the offset with [`DateTime::with_offset`].
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        let seconds = super::offset_seconds(&value)?;
        let offset =
            UtcOffset::from_whole_seconds(seconds).map_err(|e| super::refused(&value, "time::UtcOffset", e))?;
        Ok(primitive(&value)?.assume_offset(offset))
    }
}

impl TryFrom<OffsetDateTime> for DateTime {
    type Error = ConversionError;

    /// The same wall-clock time and offset; a zero offset is written `Z`. Fails on
    /// nanoseconds finer than 100 ns, years outside 1..=9999 and offsets with seconds.
    fn try_from(value: OffsetDateTime) -> Result<Self, ConversionError> {
        let offset = super::offset_from_seconds(value.offset().whole_seconds())?;
        civil(PrimitiveDateTime::new(value.date(), value.time())).into_datetime(offset)
    }
}

impl TryFrom<DateTime> for PrimitiveDateTime {
    type Error = ConversionError;

    /// The wall-clock time of an offset-less value. Fails with [`ConversionError::HasOffset`]
    /// for a value with an offset, which this type would drop: use [`OffsetDateTime`].
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        super::require_unspecified(&value)?;
        primitive(&value)
    }
}

impl TryFrom<PrimitiveDateTime> for DateTime {
    type Error = ConversionError;

    /// An offset-less value ([`crate::Offset::Unspecified`]). Fails on nanoseconds finer than
    /// 100 ns and years outside 1..=9999.
    fn try_from(value: PrimitiveDateTime) -> Result<Self, ConversionError> {
        civil(value).into_datetime(crate::Offset::Unspecified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Offset;

    #[test]
    fn offsets_and_ticks_survive() {
        for text in ["2026-01-15T10:30:00.1234567-05:00", "2026-01-15T10:30:00Z", "0001-01-01T00:00:00+14:00"] {
            let dt: DateTime = text.parse().unwrap();
            let t = OffsetDateTime::try_from(dt).unwrap();
            assert_eq!(DateTime::try_from(t).unwrap(), dt, "{text}");
        }
        let dt: DateTime = "2026-01-15T10:30:00.5".parse().unwrap();
        let p = PrimitiveDateTime::try_from(dt).unwrap();
        assert_eq!(p.nanosecond(), 500_000_000);
        assert_eq!(DateTime::try_from(p).unwrap(), dt);
    }

    #[test]
    fn lossy_conversions_are_refused() {
        let local: DateTime = "2026-01-15T10:30:00".parse().unwrap();
        assert_eq!(OffsetDateTime::try_from(local), Err(ConversionError::NoOffset(local)));
        let utc = local.with_offset(Offset::Utc);
        assert_eq!(PrimitiveDateTime::try_from(utc), Err(ConversionError::HasOffset(utc)));
        let fine = OffsetDateTime::UNIX_EPOCH.replace_nanosecond(123_456_789).unwrap();
        assert_eq!(DateTime::try_from(fine), Err(ConversionError::SubTick { nanoseconds: 89 }));
        let odd = OffsetDateTime::UNIX_EPOCH.to_offset(UtcOffset::from_hms(1, 0, 30).unwrap());
        assert_eq!(DateTime::try_from(odd), Err(ConversionError::Offset { seconds: 3630 }));
        let far = time::Date::from_calendar_date(-5, Month::January, 1).unwrap().midnight();
        assert_eq!(DateTime::try_from(far), Err(ConversionError::YearOutOfRange(-5)));
    }
}
