//! Simple (text-only) XML Schema values and their lexical forms.

use super::datetime::DateTime;
use super::error::{DecodeError, DecodeErrorKind, EncodeError, ValueError};
use super::reader::{Element, XmlReader};
use super::writer::XmlWriter;

/// A value written as the text of an element (`xs:int`, `xs:string`, an enumeration, ...).
pub trait XmlText: Sized {
    /// The XML Schema type name, for error messages (`xs:int`).
    const XSD_TYPE: &'static str;
    /// Parses the element's text. Types whose whitespace facet is `collapse` trim it here.
    fn parse_text(text: &str) -> Result<Self, ValueError>;
    /// Writes the value's lexical form.
    fn write_text(&self, w: &mut XmlWriter, element: &str) -> Result<(), EncodeError>;
}

/// Trims XML whitespace (space, tab, CR, LF). A byte loop: values are short and usually have
/// none, and `trim_matches` with a closure decodes characters from both ends.
#[inline]
pub(crate) fn trim_xml(s: &str) -> &str {
    let b = s.as_bytes();
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let start = b.iter().position(|&c| !is_ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|&c| !is_ws(c)).map_or(start, |i| i + 1);
    // Both ends are next to ASCII bytes, so on character boundaries.
    s.get(start..end).unwrap_or_default()
}

/// Decodes an element's text as `T`, reporting the text and schema type on failure.
pub fn decode_text<'a, T: XmlText>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<T, DecodeError> {
    let text = r.read_text(element)?;
    parse_value(r, &text)
}

/// Parses an element's text, read up to its end tag, as `T`; a failure is placed where the
/// reader stands (the end tag).
pub(crate) fn parse_value<T: XmlText>(r: &XmlReader<'_>, text: &str) -> Result<T, DecodeError> {
    T::parse_text(text).map_err(|e| {
        let value: String = text.chars().take(64).collect();
        r.error(DecodeErrorKind::InvalidValue { expected: T::XSD_TYPE, value, message: e.0 })
    })
}

/// Implements `XmlContent` for simple types through their `XmlText` impl: the element's
/// content is its text.
macro_rules! content_via_text {
    ($($t:ty),*) => {$(
        impl $crate::XmlContent for $t {
            fn decode_content<'a>(
                r: &mut $crate::XmlReader<'a>,
                element: &$crate::Element<'a>,
            ) -> Result<Self, $crate::DecodeError> {
                $crate::decode_text(r, element)
            }
            fn encode_content(
                &self,
                w: &mut $crate::XmlWriter,
                element: &str,
            ) -> Result<(), $crate::EncodeError> {
                <Self as $crate::XmlText>::write_text(self, w, element)
            }
        }
    )*};
}
pub(crate) use content_via_text;

content_via_text!(String, bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, DateTime, char);

impl XmlText for String {
    const XSD_TYPE: &'static str = "xs:string";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        Ok(text.to_owned())
    }
    fn write_text(&self, w: &mut XmlWriter, element: &str) -> Result<(), EncodeError> {
        w.text(element, self)
    }
}

impl XmlText for bool {
    const XSD_TYPE: &'static str = "xs:boolean";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        match trim_xml(text) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ValueError::new("expected true, false, 1 or 0")),
        }
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.plain(if *self { "true" } else { "false" });
        Ok(())
    }
}

/// `[+-]?[0-9]{1,18}` without overflow checks (18 digits fit in an `i64`); `None` for anything
/// else, which the caller hands to the standard parser for its precise error.
#[inline]
fn small_integer(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(if negative { -v } else { v })
}

/// Powers of ten that an `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `[+-]?[0-9]+(\.[0-9]+)?` with at most 15 significant digits, the way .NET writes most
/// amounts: the digits as an integer (exact, below 2^53) divided by an exact power of ten is
/// the correctly rounded value (Clinger's fast path), so this agrees with `str::parse` bit for
/// bit. `None` for anything else (exponents, long mantissas, INF, NaN).
#[inline]
fn simple_decimal(t: &str) -> Option<f64> {
    let b = t.as_bytes();
    let (negative, rest) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut fraction: Option<usize> = None;
    for &c in rest {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
                if digits > 15 {
                    return None;
                }
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    let scale = fraction.unwrap_or(0);
    if digits == 0 || fraction == Some(0) {
        return None;
    }
    let v = mantissa as f64 / EXACT_POWERS_OF_TEN[scale];
    Some(if negative { -v } else { v })
}

/// The fast path of a float type: [`simple_decimal`] is exact for `f64` only (through `f64`, an
/// `f32` would be rounded twice), so `f32` always takes the standard parser.
trait FastDecimal: Sized {
    fn fast(t: &str) -> Option<Self>;
}

impl FastDecimal for f64 {
    #[inline]
    fn fast(t: &str) -> Option<f64> {
        simple_decimal(t)
    }
}

impl FastDecimal for f32 {
    #[inline]
    fn fast(_: &str) -> Option<f32> {
        None
    }
}

macro_rules! integer {
    ($($t:ty => $xsd:literal),*) => {$(
        impl XmlText for $t {
            const XSD_TYPE: &'static str = $xsd;
            fn parse_text(text: &str) -> Result<Self, ValueError> {
                let t = trim_xml(text);
                // Unsigned types refuse a sign of `-` even on zero, as `str::parse` does.
                let signed_ok = <$t>::MIN != 0 || !t.starts_with('-');
                if let Some(v) = small_integer(t).filter(|_| signed_ok).and_then(|v| <$t>::try_from(v).ok()) {
                    return Ok(v);
                }
                let t = t.strip_prefix('+').filter(|rest| !rest.starts_with(['+', '-'])).unwrap_or(t);
                t.parse::<$t>().map_err(|e| match e.kind() {
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                        ValueError::new(format!("out of range for {} ({}..={})", $xsd, <$t>::MIN, <$t>::MAX))
                    }
                    _ => ValueError::new("not an integer"),
                })
            }
            fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
                w.display(self);
                Ok(())
            }
        }
    )*};
}

integer!(i8 => "xs:byte", i16 => "xs:short", i32 => "xs:int", i64 => "xs:long",
         u8 => "xs:unsignedByte", u16 => "xs:unsignedShort", u32 => "xs:unsignedInt", u64 => "xs:unsignedLong");

macro_rules! float {
    ($($t:ty => $xsd:literal),*) => {$(
        impl XmlText for $t {
            const XSD_TYPE: &'static str = $xsd;
            fn parse_text(text: &str) -> Result<Self, ValueError> {
                let t = trim_xml(text);
                if let Some(v) = <$t as FastDecimal>::fast(t) {
                    return Ok(v);
                }
                match t {
                    "INF" => return Ok(<$t>::INFINITY),
                    "-INF" => return Ok(<$t>::NEG_INFINITY),
                    "NaN" => return Ok(<$t>::NAN),
                    _ => {}
                }
                // Rust also accepts "inf", "infinity" and "nan": XML Schema does not.
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E')) {
                    return Err(ValueError::new("not a number"));
                }
                t.parse::<$t>().map_err(|_| ValueError::new("not a number"))
            }
            fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
                // Rust's shortest round-trip form, as .NET's "R" format; INF/NaN spelled the
                // XML Schema way.
                if self.is_nan() {
                    w.plain("NaN");
                } else if self.is_infinite() {
                    w.plain(if *self > 0.0 { "INF" } else { "-INF" });
                } else {
                    let a = self.abs();
                    if a != 0.0 && !(1e-5..1e15).contains(&a) {
                        w.plain(&exponent_form(&format!("{self:E}")));
                    } else {
                        w.display(self);
                    }
                }
                Ok(())
            }
        }
    )*};
}

/// Turns Rust's `1E20` / `1.5E-7` into .NET's `1E+20` / `1.5E-07`.
fn exponent_form(e: &str) -> String {
    match e.split_once('E') {
        Some((m, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            let pad = if digits.len() < 2 { "0" } else { "" };
            format!("{m}E{sign}{pad}{digits}")
        }
        None => e.to_owned(),
    }
}

float!(f32 => "xs:float", f64 => "xs:double");

impl XmlText for char {
    const XSD_TYPE: &'static str = "char";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        // .NET serialises `char` as its UTF-16 code unit number.
        let n: u32 = trim_xml(text).parse().map_err(|_| ValueError::new("expected a character code"))?;
        char::from_u32(n).ok_or_else(|| ValueError::new("not a Unicode scalar value"))
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.display(&u32::from(*self));
        Ok(())
    }
}

impl XmlText for DateTime {
    const XSD_TYPE: &'static str = "xs:dateTime";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        text.parse()
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.display(self);
        Ok(())
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// The fast paths agree with the standard parsers bit for bit, and leave what they do not
    /// handle to them.
    #[test]
    fn fast_paths_agree_with_std() {
        for t in [
            "0",
            "-0",
            "+0",
            "19.99",
            "1234.5",
            "0.1",
            "0.2",
            "0.3",
            "-7.25",
            "123456789012345",
            "0.000000000000001",
            "9007199254740.993",
            ".5",
            "5.",
            "1e5",
            "0.30000000000000004",
            "12345678901234567",
            "+1.5",
            "-.5",
            "",
            "-",
            ".",
            "1.2.3",
            "١٢",
        ] {
            if let Some(v) = simple_decimal(t) {
                assert_eq!(v.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{t}");
            }
            assert_eq!(
                f64::parse_text(t).map(f64::to_bits).ok(),
                {
                    let std = trim_xml(t);
                    if std.is_empty()
                        || !std.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
                    {
                        None
                    } else {
                        std.parse::<f64>().ok().map(f64::to_bits)
                    }
                },
                "{t}"
            );
        }
        for t in [
            "0",
            "-0",
            "+5",
            "2147483647",
            "-2147483648",
            "2147483648",
            "99999999999999999999",
            "1a",
            "",
            "+",
            "--1",
            "+-1",
            " 42 ",
        ] {
            let std = trim_xml(t);
            let std = std.strip_prefix('+').filter(|r| !r.starts_with(['+', '-'])).unwrap_or(std);
            assert_eq!(i32::parse_text(t).ok(), std.parse::<i32>().ok(), "{t}");
            assert_eq!(u8::parse_text(t).ok(), std.parse::<u8>().ok(), "{t}");
            assert_eq!(i64::parse_text(t).ok(), std.parse::<i64>().ok(), "{t}");
        }
    }
}
