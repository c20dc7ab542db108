//! `xs:base64Binary` (as `Vec<u8>`, .NET's `byte[]`, through the `base64` crate) and
//! `xs:hexBinary` ([`HexBinary`]).

use std::fmt;

use base64::Engine as _;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};

use super::error::{EncodeError, ValueError};
use super::value::XmlText;
use super::writer::XmlWriter;

/// Standard alphabet, `=` padding written and required. Stray bits in the last symbol are
/// accepted, as .NET's `Convert.FromBase64String` accepts them.
const BASE64: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true));

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Encodes bytes as standard base64 with padding and no line breaks, as .NET writes `byte[]`.
#[doc(hidden)]
pub fn base64_encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// Decodes standard base64. XML whitespace anywhere is ignored (XML Schema allows it and
/// MIME-style encoders insert line breaks); padding is required, as XML Schema says.
#[doc(hidden)]
pub fn base64_decode(text: &str) -> Result<Vec<u8>, ValueError> {
    let bytes = text.as_bytes();
    let result = if bytes.iter().any(|&b| is_xml_space(b)) {
        let packed: Vec<u8> = bytes.iter().copied().filter(|&b| !is_xml_space(b)).collect();
        BASE64.decode(&packed)
    } else {
        BASE64.decode(bytes)
    };
    result.map_err(|e| base64_error(bytes, &e))
}

/// The decoder's error, with offsets counted in the original text (whitespace included).
fn base64_error(text: &[u8], e: &base64::DecodeError) -> ValueError {
    // The decoder saw the text without whitespace: its `packed`-th byte is this text's `i`-th.
    let position = |packed: usize| {
        text.iter().enumerate().filter(|(_, b)| !is_xml_space(**b)).nth(packed).map_or(text.len(), |(i, _)| i) + 1
    };
    match *e {
        base64::DecodeError::InvalidByte(at, b'=') => {
            ValueError::new(format!("base64 data after `=` padding at byte {}", position(at)))
        }
        base64::DecodeError::InvalidByte(at, b) => ValueError::new(format!(
            "`{}` at byte {} is not a base64 character",
            char::from(b).escape_default(),
            position(at)
        )),
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
            ValueError::new("base64 length is not a multiple of 4 (missing or extra `=` padding)")
        }
        base64::DecodeError::InvalidLastSymbol { offset, .. } => {
            ValueError::new(format!("base64 symbol at byte {} encodes stray bits", position(offset)))
        }
    }
}

impl XmlText for Vec<u8> {
    const XSD_TYPE: &'static str = "xs:base64Binary";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        base64_decode(text)
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.plain(&base64_encode(self));
        Ok(())
    }
}

super::value::content_via_text!(Vec<u8>);

/// `xs:hexBinary`: bytes written as upper-case hex digit pairs.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct HexBinary(pub Vec<u8>);

impl fmt::Debug for HexBinary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexBinary({self})")
    }
}

impl fmt::Display for HexBinary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

impl XmlText for HexBinary {
    const XSD_TYPE: &'static str = "xs:hexBinary";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let t = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')).as_bytes();
        if t.len() % 2 != 0 {
            return Err(ValueError::new("an odd number of hex digits"));
        }
        let digit = |b: u8| match b {
            b'0'..=b'9' => Ok(b - b'0'),
            b'a'..=b'f' => Ok(b - b'a' + 10),
            b'A'..=b'F' => Ok(b - b'A' + 10),
            _ => Err(ValueError::new("not a hex digit")),
        };
        t.chunks(2)
            .map(|p| Ok((digit(p[0])? << 4) | digit(p[1])?))
            .collect::<Result<Vec<u8>, ValueError>>()
            .map(HexBinary)
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.display(self);
        Ok(())
    }
}

super::value::content_via_text!(HexBinary);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for (raw, b64) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(raw.as_bytes()), b64);
            assert_eq!(base64_decode(b64).unwrap(), raw.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_encode(&all)).unwrap(), all);
        assert_eq!(base64_decode("Zm9v\r\n YmFy").unwrap(), b"foobar");
        assert_eq!(base64_decode(" Zm 9v YmE= ").unwrap(), b"fooba");
    }

    /// Errors name the offending byte as it sits in the text, whitespace counted.
    #[test]
    fn base64_errors_point_into_the_text() {
        let e = base64_decode("Zm9v\n Ym!y").unwrap_err().to_string();
        assert!(e.contains("`!` at byte 9"), "{e}");
        let e = base64_decode("Zg==Zg==").unwrap_err().to_string();
        assert!(e.contains("padding"), "{e}");
    }

    #[test]
    fn base64_rejects_garbage() {
        for bad in ["Zg", "Zg=", "Zg===", "Z===", "Zm9v!", "Zg==Zg==", "=Zg="] {
            assert!(base64_decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hex_round_trips() {
        let h = HexBinary::parse_text("0fA0").unwrap();
        assert_eq!(h.0, [0x0f, 0xa0]);
        assert_eq!(h.to_string(), "0FA0");
        assert!(HexBinary::parse_text("abc").is_err());
        assert!(HexBinary::parse_text("zz").is_err());
    }
}
