//! [`DateTime`] <-> [`std::time::SystemTime`]: an instant, so only a value with an offset
//! converts to it, and one converts back as UTC (`Z`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Civil, ConversionError};
use crate::{DateTime, Offset};

impl TryFrom<DateTime> for SystemTime {
    type Error = ConversionError;

    /// The instant `value` names. Fails with [`ConversionError::NoOffset`] for an offset-less
    /// value: state its offset with [`DateTime::with_offset`] first.
    fn try_from(value: DateTime) -> Result<Self, ConversionError> {
        let (secs, nanos) = value.unix_timestamp().ok_or(ConversionError::NoOffset(value))?;
        let instant = if secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(secs.unsigned_abs(), nanos))
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(secs.unsigned_abs()))
                .and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos))))
        };
        instant.ok_or_else(|| super::refused(&value, "SystemTime", "outside the platform's range"))
    }
}

impl TryFrom<SystemTime> for DateTime {
    type Error = ConversionError;

    /// The instant in UTC (`Z`). Fails with [`ConversionError::SubTick`] when the time has
    /// nanoseconds finer than 100 ns (round it first), and outside years 1..=9999.
    fn try_from(value: SystemTime) -> Result<Self, ConversionError> {
        let (secs, nanos) = match value.duration_since(UNIX_EPOCH) {
            Ok(d) => (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos()),
            Err(before) => {
                let d = before.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 { (-secs, 0) } else { (-secs - 1, 1_000_000_000 - d.subsec_nanos()) }
            }
        };
        from_unix(secs, nanos)
    }
}

/// The UTC date-time `secs` seconds and `nanos` nanoseconds after the Unix epoch.
pub(crate) fn from_unix(secs: i64, nanos: u32) -> Result<DateTime, ConversionError> {
    // 10 000 years of seconds: anything beyond is outside 1..=9999 anyway.
    const LIMIT: i64 = 10_000 * 366 * 86_400;
    if !(-LIMIT..=LIMIT).contains(&secs) {
        return Err(ConversionError::YearOutOfRange(1970 + secs / (365 * 86_400)));
    }
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = crate::datetime::civil_from_days(days);
    Civil {
        year: i64::from(year),
        month,
        day,
        hour: (rem / 3600) as u8,
        minute: (rem % 3600 / 60) as u8,
        second: (rem % 60) as u8,
        nanosecond: nanos,
    }
    .into_datetime(Offset::Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_round_trips() {
        let dt: DateTime = "2026-01-15T10:30:00.1234567-05:00".parse().unwrap();
        let t = SystemTime::try_from(dt).unwrap();
        let back = DateTime::try_from(t).unwrap();
        assert_eq!(back.to_string(), "2026-01-15T15:30:00.1234567Z");
        let old: DateTime = "1900-03-01T00:00:00.5Z".parse().unwrap();
        assert_eq!(DateTime::try_from(SystemTime::try_from(old).unwrap()).unwrap(), old);
    }

    #[test]
    fn offset_less_and_sub_tick_values_are_refused() {
        let dt: DateTime = "2026-01-15T10:30:00".parse().unwrap();
        assert_eq!(SystemTime::try_from(dt), Err(ConversionError::NoOffset(dt)));
        let t = UNIX_EPOCH + Duration::new(1, 150);
        assert_eq!(DateTime::try_from(t), Err(ConversionError::SubTick { nanoseconds: 50 }));
        let msg = ConversionError::NoOffset(dt).to_string();
        assert!(msg.contains("no offset") && msg.contains("with_offset"), "{msg}");
    }
}
