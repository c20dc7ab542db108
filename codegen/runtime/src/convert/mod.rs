//! Conversions between the runtime's values and the types of other crates, each behind the
//! cargo feature named after that crate (`time`, `chrono`, `jiff`, `rust_decimal`, `uuid`),
//! and [`std::time::SystemTime`] (no dependency, always there).
//!
//! The rule for [`DateTime`] everywhere: a value without an offset (.NET's
//! `DateTimeKind.Unspecified`, written `2026-01-15T10:30:00`) names no instant, so it converts
//! only to an offset-less ("civil", "naive", "primitive") type, and a value with an offset
//! converts only to a type that keeps it or names an instant. Nothing is taken as UTC
//! silently: to treat an offset-less value as UTC, say so with
//! [`DateTime::with_offset`]`(`[`Offset::Utc`]`)`. A conversion that would lose something (a
//! nanosecond finer than .NET's 100 ns tick, a year outside 1..=9999, an offset in seconds)
//! fails with a [`ConversionError`] saying what.

#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "rust_decimal")]
mod rust_decimal;
mod system_time;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "uuid")]
mod uuid;

use crate::{DateTime, Offset};

/// Why a value cannot be converted without losing something.
///
/// The rule for [`DateTime`] everywhere: a value without an offset (.NET's
/// `DateTimeKind.Unspecified`, written `2026-01-15T10:30:00`) names no instant, so it converts
/// only to an offset-less type (`time::PrimitiveDateTime`, `chrono::NaiveDateTime`,
/// `jiff::civil::DateTime`), and a value with an offset only to a type that keeps it or names
/// an instant (`time::OffsetDateTime`, `chrono::DateTime`, `jiff::Zoned`, `jiff::Timestamp`,
/// [`std::time::SystemTime`]). Nothing is taken as UTC silently: to treat an offset-less value
/// as UTC, say so with [`DateTime::with_offset`]. Coming back, a zero offset is written `Z`.
///
/// ```
/// use engageip_runtime::{ConversionError, DateTime, Offset};
///
/// let local: DateTime = "2026-01-15T10:30:00".parse()?;
/// assert_eq!(std::time::SystemTime::try_from(local), Err(ConversionError::NoOffset(local)));
/// let utc = std::time::SystemTime::try_from(local.with_offset(Offset::Utc))?;
/// assert_eq!(DateTime::try_from(utc)?.to_string(), "2026-01-15T10:30:00Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConversionError {
    /// The [`DateTime`] has no offset (.NET `DateTimeKind.Unspecified`), and the target names
    /// an instant.
    #[error(
        "the date-time {0} has no offset (.NET DateTimeKind.Unspecified), so it names no instant: convert it to an \
         offset-less type, or state its offset first with DateTime::with_offset"
    )]
    NoOffset(DateTime),
    /// The [`DateTime`] has an offset, and the target is offset-less: the offset would be lost.
    #[error(
        "the date-time {0} has an offset, which an offset-less type would drop: convert it to an offset-aware type, \
         or drop the offset explicitly with DateTime::with_offset(Offset::Unspecified)"
    )]
    HasOffset(DateTime),
    /// The value is finer than .NET's 100 ns tick (`xs:dateTime` has at most 7 fraction digits).
    #[error(
        "{nanoseconds} ns past the last 100 ns tick would be lost (xs:dateTime as .NET writes it has at most 7 fraction digits)"
    )]
    SubTick {
        /// The nanoseconds that do not fit (`0..100`).
        nanoseconds: u32,
    },
    /// A leap second (`:60`), which .NET's `DateTime` cannot hold.
    #[error("a leap second cannot be held by an xs:dateTime as .NET writes it")]
    LeapSecond,
    /// The year is outside 1..=9999, the range of .NET's `DateTime`.
    #[error("year {0} is outside 1..=9999, the range of .NET's DateTime")]
    YearOutOfRange(i64),
    /// The offset is not a whole number of minutes, or outside -14:00..=+14:00.
    #[error("an offset of {seconds} s is not a whole number of minutes within -14:00..=+14:00")]
    Offset {
        /// The offset east of UTC, in seconds.
        seconds: i32,
    },
    /// The target type cannot hold the value.
    #[error("{value} cannot be held by {target}: {reason}")]
    OutOfRange {
        /// The value, as text.
        value: String,
        /// The target type.
        target: &'static str,
        /// Why it does not fit.
        reason: String,
    },
}

/// The fields of a date-time of another crate, checked into a [`DateTime`].
pub(crate) struct Civil {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
}

impl Civil {
    /// The [`DateTime`] of these fields at `offset`, refusing what it cannot hold exactly.
    pub fn into_datetime(self, offset: Offset) -> Result<DateTime, ConversionError> {
        if self.nanosecond >= 1_000_000_000 || self.second > 59 {
            return Err(ConversionError::LeapSecond);
        }
        if self.nanosecond % 100 != 0 {
            return Err(ConversionError::SubTick { nanoseconds: self.nanosecond % 100 });
        }
        let year = i32::try_from(self.year)
            .ok()
            .filter(|y| (1..=9999).contains(y))
            .ok_or(ConversionError::YearOutOfRange(self.year))?;
        DateTime::new(year, self.month, self.day, self.hour, self.minute, self.second, self.nanosecond / 100, offset)
            .map_err(|e| ConversionError::OutOfRange {
                value: format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
                target: "DateTime",
                reason: e.to_string(),
            })
    }
}

/// The [`Offset`] of an offset in seconds east of UTC: zero is [`Offset::Utc`] (`Z`).
#[cfg_attr(not(any(feature = "time", feature = "chrono", feature = "jiff")), allow(dead_code))]
pub(crate) fn offset_from_seconds(seconds: i32) -> Result<Offset, ConversionError> {
    if seconds == 0 {
        return Ok(Offset::Utc);
    }
    if seconds % 60 != 0 || seconds.unsigned_abs() > 14 * 3600 {
        return Err(ConversionError::Offset { seconds });
    }
    i16::try_from(seconds / 60).map(Offset::Minutes).map_err(|_| ConversionError::Offset { seconds })
}

/// The offset of `dt` in seconds east of UTC, or [`ConversionError::NoOffset`].
#[cfg_attr(not(any(feature = "time", feature = "chrono", feature = "jiff")), allow(dead_code))]
pub(crate) fn offset_seconds(dt: &DateTime) -> Result<i32, ConversionError> {
    match dt.offset() {
        Offset::Unspecified => Err(ConversionError::NoOffset(*dt)),
        Offset::Utc => Ok(0),
        Offset::Minutes(m) => Ok(i32::from(m) * 60),
    }
}

/// `dt`, which must have no offset (else [`ConversionError::HasOffset`]).
#[cfg_attr(not(any(feature = "time", feature = "chrono", feature = "jiff")), allow(dead_code))]
pub(crate) fn require_unspecified(dt: &DateTime) -> Result<(), ConversionError> {
    match dt.offset() {
        Offset::Unspecified => Ok(()),
        _ => Err(ConversionError::HasOffset(*dt)),
    }
}

/// The error of a conversion into a type of another crate that refused a value in range.
pub(crate) fn refused(dt: &DateTime, target: &'static str, reason: impl std::fmt::Display) -> ConversionError {
    ConversionError::OutOfRange { value: dt.to_string(), target, reason: reason.to_string() }
}
