//! Checking that a whole body is UTF-8 before it is decoded.
//!
//! A response or request body is checked once, whole, before the reader borrows it as text.
//! `std::str::from_utf8` leaves its ASCII fast path at every non-ASCII character, which a
//! billing catalogue has a few of per record (`Café`, `–`); `simdutf8` keeps its speed through
//! them, and reports the same offset for the same bad input.

/// `bytes` as text when they are UTF-8, as [`std::str::from_utf8`] would judge them.
///
/// # Errors
///
/// [`InvalidUtf8`], naming the offset of the first byte that does not begin a valid sequence.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, InvalidUtf8> {
    simdutf8::compat::from_utf8(bytes).map_err(|e| InvalidUtf8 { valid_up_to: e.valid_up_to() })
}

/// Bytes that are not UTF-8, and where they stop being so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not UTF-8 from byte {valid_up_to}")]
pub struct InvalidUtf8 {
    valid_up_to: usize,
}

impl InvalidUtf8 {
    /// How many bytes from the start are valid UTF-8: the offset of the first bad one.
    pub fn valid_up_to(&self) -> usize {
        self.valid_up_to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every one-byte change of a text with one-, two-, three- and four-byte characters is
    /// judged as std judges it, at the same offset; long enough that the SIMD path runs.
    #[test]
    fn agrees_with_std_on_every_one_byte_change() {
        let text = "<Name>Café – ñandú 𝄞 plus</Name>".repeat(8);
        let mut bytes = text.as_bytes().to_vec();
        assert_eq!(utf8_text(&bytes), Ok(text.as_str()));
        let mut refused = 0;
        for i in 0..bytes.len() {
            let original = bytes[i];
            for b in [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF] {
                bytes[i] = b;
                let ours = utf8_text(&bytes).map_err(|e| e.valid_up_to());
                let std = std::str::from_utf8(&bytes).map_err(|e| e.valid_up_to());
                assert_eq!(ours, std, "byte {i} set to {b:#04x}");
                refused += usize::from(ours.is_err());
            }
            bytes[i] = original;
        }
        assert!(refused > 1000, "only {refused} changes were refused");
    }

    #[test]
    fn the_error_names_the_offset() {
        let e = utf8_text(b"ok \xE2\x80 then").unwrap_err();
        assert_eq!(e.valid_up_to(), 3);
        assert_eq!(e.to_string(), "not UTF-8 from byte 3");
        assert_eq!(utf8_text(b""), Ok(""));
    }
}
