//! `xs:decimal` kept exactly as written: no binary floating point anywhere.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use super::error::{EncodeError, ValueError};
use super::value::XmlText;
use super::writer::XmlWriter;

/// Longest lexical form accepted, in bytes. .NET's `decimal` has 29 significant digits; this
/// leaves room for any other stack while refusing megabyte-long "numbers".
const MAX_LEN: usize = 1024;

/// An `xs:decimal` value (.NET `decimal`, Java `BigDecimal`), held as its validated lexical
/// form so that it writes back exactly as read: `12.50` stays `12.50`.
///
/// Equality, hashing and ordering compare numeric values: `12.5 == 12.50 == +12.500`.
/// Convert with [`Decimal::to_f64_lossy`] only where a rounding error is acceptable.
#[derive(Clone)]
pub struct Decimal {
    text: String,
}

impl Decimal {
    /// The lexical form, as read or built.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The canonical form: no `+`, no leading zeros, no trailing fraction zeros, `0` for zero.
    pub fn canonical(&self) -> String {
        let (negative, int, frac) = self.parts();
        let mut out = String::with_capacity(self.text.len());
        if negative && !(int.is_empty() && frac.is_empty()) {
            out.push('-');
        }
        out.push_str(if int.is_empty() { "0" } else { int });
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        out
    }

    /// Sign, integer digits without leading zeros, fraction digits without trailing zeros.
    fn parts(&self) -> (bool, &str, &str) {
        let t = self.text.as_str();
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        (negative, int.trim_start_matches('0'), frac.trim_end_matches('0'))
    }

    /// Whether the value is below zero (`-0` is not).
    pub fn is_negative(&self) -> bool {
        let (negative, int, frac) = self.parts();
        negative && !(int.is_empty() && frac.is_empty())
    }

    /// Whether the value is zero (`0`, `-0.00`, `.0`, ...).
    pub fn is_zero(&self) -> bool {
        let (_, int, frac) = self.parts();
        int.is_empty() && frac.is_empty()
    }

    /// The nearest `f64`. Lossy: `0.1` has no exact binary form. Use for display or
    /// statistics, never to compute money.
    pub fn to_f64_lossy(&self) -> f64 {
        // The lexical form is a valid Rust float literal once a bare `.5` or `5.` is allowed,
        // which `str::parse::<f64>` does.
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// The value as an integer when it has no fraction and fits.
    pub fn to_i64(&self) -> Option<i64> {
        let (negative, int, frac) = self.parts();
        if !frac.is_empty() {
            return None;
        }
        if int.is_empty() {
            return Some(0);
        }
        let magnitude: i128 = int.parse().ok()?;
        i64::try_from(if negative { -magnitude } else { magnitude }).ok()
    }
}

impl FromStr for Decimal {
    type Err = ValueError;

    /// Accepts the `xs:decimal` lexical space: `[+-]?(digits[.digits?]|.digits)`, with
    /// surrounding XML whitespace collapsed. No exponent, no `NaN` or `INF`.
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        if t.len() > MAX_LEN {
            return Err(ValueError::new(format!("longer than {MAX_LEN} characters")));
        }
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        let ok = digits(int) && frac.is_none_or(digits) && !(int.is_empty() && frac.is_none_or(str::is_empty));
        if !ok {
            return Err(ValueError::new(
                "expected a decimal number such as 12.50 (digits, an optional sign and point, no exponent)",
            ));
        }
        Ok(Decimal { text: t.to_owned() })
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Decimal {
            fn from(v: $t) -> Self {
                Decimal { text: v.to_string() }
            }
        }
    )*};
}

from_int!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128);

impl fmt::Display for Decimal {
    /// The lexical form, as read or built.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({})", self.text)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical().hash(state);
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let magnitude = |(_, int, frac): (bool, &str, &str), (_, oint, ofrac): (bool, &str, &str)| {
            int.len().cmp(&oint.len()).then_with(|| int.cmp(oint)).then_with(|| frac.cmp(ofrac))
        };
        match (self.is_negative(), other.is_negative()) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude(self.parts(), other.parts()),
            (true, true) => magnitude(other.parts(), self.parts()),
        }
    }
}

impl XmlText for Decimal {
    const XSD_TYPE: &'static str = "xs:decimal";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        text.parse()
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.plain(&self.text);
        Ok(())
    }
}

super::value::content_via_text!(Decimal);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn keeps_the_lexical_form() {
        for s in [
            "12.50",
            "+1",
            "-0.000",
            ".5",
            "5.",
            "0",
            "79228162514264337593543950335",
            "-1.0000000000000000000000000001",
        ] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d(" 7.10\n").as_str(), "7.10");
    }

    #[test]
    fn rejects_what_is_not_a_decimal() {
        for s in ["", ".", "+", "-.", "1e5", "NaN", "INF", "1.2.3", "1,5", "++1", "0x10", " 1 2"] {
            assert!(s.parse::<Decimal>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn compares_by_value() {
        assert_eq!(d("12.5"), d("+012.500"));
        assert_eq!(d("-0"), d("0.0"));
        assert!(d("-1") < d("0"));
        assert!(d("-2.5") < d("-2.4"));
        assert!(d("10") > d("9.99"));
        assert!(d("0.01") < d("0.1"));
        assert_eq!(d("-012.50").canonical(), "-12.5");
        assert_eq!(d("-0.0").canonical(), "0");
        assert_eq!(d("12.50").to_i64(), None);
        assert_eq!(d("-12.00").to_i64(), Some(-12));
        assert_eq!(Decimal::from(42u8).as_str(), "42");
    }
}
