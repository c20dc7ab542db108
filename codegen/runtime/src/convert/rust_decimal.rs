//! [`Decimal`] <-> [`rust_decimal::Decimal`] (96-bit mantissa, scale up to 28). Feature
//! `rust_decimal`.

use super::ConversionError;
use crate::Decimal;

impl TryFrom<&Decimal> for rust_decimal::Decimal {
    type Error = ConversionError;

    /// The same number with the same scale (`12.50` stays `12.50`). Fails when it has more
    /// digits than `rust_decimal` holds (at most 28 after the point, about 29 in all) instead
    /// of rounding.
    fn try_from(value: &Decimal) -> Result<Self, ConversionError> {
        let text = value.as_str();
        let (sign, digits) = match text.as_bytes().first() {
            Some(b'-') => ("-", &text[1..]),
            Some(b'+') => ("", &text[1..]),
            _ => ("", text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let normal = if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") };
        rust_decimal::Decimal::from_str_exact(&normal).map_err(|e| ConversionError::OutOfRange {
            value: text.to_owned(),
            target: "rust_decimal::Decimal",
            reason: e.to_string(),
        })
    }
}

impl TryFrom<Decimal> for rust_decimal::Decimal {
    type Error = ConversionError;

    /// See the conversion from `&Decimal`.
    fn try_from(value: Decimal) -> Result<Self, ConversionError> {
        rust_decimal::Decimal::try_from(&value)
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    /// The same number with the same scale; always exact.
    fn from(value: rust_decimal::Decimal) -> Self {
        // rust_decimal writes `[-]digits[.digits]`, which is always a valid xs:decimal.
        Decimal::from_validated(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_survives_both_ways() {
        for text in ["12.50", "-0.001", "+7", ".5", "79228162514264337593543950335"] {
            let d: Decimal = text.parse().unwrap();
            let r = rust_decimal::Decimal::try_from(&d).unwrap();
            let back = Decimal::from(r);
            assert_eq!(back, d, "{text}");
        }
        let d: Decimal = "12.50".parse().unwrap();
        assert_eq!(Decimal::from(rust_decimal::Decimal::try_from(&d).unwrap()).as_str(), "12.50");
    }

    #[test]
    fn too_many_digits_are_refused_not_rounded() {
        let d: Decimal = "79228162514264337593543950335.50".parse().unwrap();
        let err = rust_decimal::Decimal::try_from(&d).unwrap_err();
        assert!(matches!(err, ConversionError::OutOfRange { target: "rust_decimal::Decimal", .. }), "{err}");
        let d: Decimal = "0.00000000000000000000000000001".parse().unwrap();
        assert!(rust_decimal::Decimal::try_from(&d).is_err(), "29 fraction digits");
    }
}
