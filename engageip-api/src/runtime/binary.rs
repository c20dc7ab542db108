//! `xs:base64Binary` (as `Vec<u8>`, .NET's `byte[]`) and `xs:hexBinary` ([`HexBinary`]), with
//! their codecs written here rather than pulled in as a dependency.

use std::fmt;

use super::error::{EncodeError, ValueError};
use super::value::XmlText;
use super::writer::XmlWriter;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as standard base64 with padding and no line breaks, as .NET writes `byte[]`.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for (i, s) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[*s as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64. XML whitespace anywhere is ignored (XML Schema allows it and
/// MIME-style encoders insert line breaks); padding is required, as XML Schema says.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, ValueError> {
    let mut sextets = Vec::with_capacity(text.len());
    let mut padding = 0usize;
    for (i, b) in text.bytes().enumerate() {
        let v = match b {
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'=' => {
                padding += 1;
                continue;
            }
            _ if padding > 0 => return Err(ValueError::new("base64 data after `=` padding")),
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => {
                return Err(ValueError::new(format!(
                    "`{}` at byte {} is not a base64 character",
                    char::from(b).escape_default(),
                    i + 1
                )));
            }
        };
        sextets.push(v);
    }
    if padding > 2 || (sextets.len() + padding) % 4 != 0 || (padding > 0 && sextets.len() % 4 + padding != 4) {
        return Err(ValueError::new("base64 length is not a multiple of 4 (missing or extra `=` padding)"));
    }
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, s)| acc | (u32::from(*s) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Ok(out)
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
