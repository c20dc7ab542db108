//! Simple (text-only) XML Schema values and their lexical forms.

use super::datetime::DateTime;
use super::error::{DecodeError, DecodeErrorKind, EncodeError, ValueError};
use super::reader::{Element, XmlReader};
use super::writer::XmlWriter;
use super::XmlContent;

/// A value written as the text of an element (`xs:int`, `xs:string`, an enumeration, ...).
pub trait XmlText: Sized {
    /// The XML Schema type name, for error messages (`xs:int`).
    const XSD_TYPE: &'static str;
    /// Parses the element's text. Types whose whitespace facet is `collapse` trim it here.
    fn parse_text(text: &str) -> Result<Self, ValueError>;
    /// Writes the value's lexical form.
    fn write_text(&self, w: &mut XmlWriter, element: &str) -> Result<(), EncodeError>;
}

fn trim_xml(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Decodes an element's text as `T`, reporting the text and schema type on failure.
pub fn decode_text<'a, T: XmlText>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<T, DecodeError> {
    let text = r.read_text(element)?;
    T::parse_text(&text).map_err(|e| {
        let value: String = text.chars().take(64).collect();
        r.error(DecodeErrorKind::InvalidValue {
            expected: T::XSD_TYPE,
            value,
            message: e.0,
        })
    })
}

macro_rules! content_via_text {
    ($($t:ty),*) => {$(
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

macro_rules! integer {
    ($($t:ty => $xsd:literal),*) => {$(
        impl XmlText for $t {
            const XSD_TYPE: &'static str = $xsd;
            fn parse_text(text: &str) -> Result<Self, ValueError> {
                let t = trim_xml(text);
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
