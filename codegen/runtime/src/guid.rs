//! .NET's `guid` (`Guid`, `System.Guid`): ASMX declares it as a pattern-restricted string in
//! `http://microsoft.com/wsdl/types/`, WCF in `http://schemas.microsoft.com/2003/10/Serialization/`.

use std::fmt;
use std::str::FromStr;

use super::error::{EncodeError, ValueError};
use super::value::XmlText;
use super::writer::XmlWriter;

/// A GUID, validated on read and written the way .NET writes it:
/// `6f9619ff-8b86-d011-b42d-00c04fc964ff` (lower-case, hyphenated, no braces).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Guid([u8; 16]);

impl Guid {
    /// The all-zero GUID (`Guid.Empty`).
    pub const NIL: Guid = Guid([0; 16]);

    /// A GUID from its 16 bytes in text order (the first byte is the first two hex digits).
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Guid(bytes)
    }

    /// The 16 bytes in text order. Note that .NET's `Guid.ToByteArray()` swaps the first three
    /// groups to little-endian; this does not.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl FromStr for Guid {
    type Err = ValueError;

    /// Accepts `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in either case, as the schemas'
    /// pattern facet does; surrounding XML whitespace is collapsed.
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let t = s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')).as_bytes();
        let err = || ValueError::new("expected a GUID such as 6f9619ff-8b86-d011-b42d-00c04fc964ff");
        if t.len() != 36 {
            return Err(err());
        }
        let mut out = [0u8; 16];
        let mut nibbles = 0usize;
        for (i, &b) in t.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if b != b'-' {
                    return Err(err());
                }
                continue;
            }
            let v = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(err()),
            };
            let byte = &mut out[nibbles / 2];
            *byte = (*byte << 4) | v;
            nibbles += 1;
        }
        Ok(Guid(out))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

impl XmlText for Guid {
    const XSD_TYPE: &'static str = "guid";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        text.parse()
    }
    fn write_text(&self, w: &mut XmlWriter, _: &str) -> Result<(), EncodeError> {
        w.display(self);
        Ok(())
    }
}

super::value::content_via_text!(Guid);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_validates() {
        let g: Guid = "6F9619FF-8B86-D011-B42D-00C04FC964FF".parse().unwrap();
        assert_eq!(g.to_string(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert_eq!(g.as_bytes()[0], 0x6f);
        assert_eq!(Guid::NIL.to_string(), "00000000-0000-0000-0000-000000000000");
        for bad in [
            "",
            "6f9619ff8b86d011b42d00c04fc964ff",
            "{6f9619ff-8b86-d011-b42d-00c04fc964ff}",
            "6f9619ff-8b86-d011-b42d-00c04fc964fg",
            "6f9619ff-8b86-d011-b42d_00c04fc964ff",
        ] {
            assert!(bad.parse::<Guid>().is_err(), "{bad}");
        }
    }
}
