//! Request bodies as text, decoded the way ASMX decodes them: by the charset of the
//! `Content-Type`, a byte order mark overriding it, and the XML declaration only when the
//! content type names no charset it knows.
//!
//! ASMX (`SoapServerProtocol.GetReaderForMessage`) wraps the request stream in a
//! `StreamReader` with the content type's encoding and byte-order-mark detection, so the
//! declaration's `encoding` is ignored whenever a charset is given: a PHP `SoapClient` with
//! `encoding => ISO-8859-1` sends `charset=iso-8859-1` with a matching declaration, and a
//! declaration that disagrees with the charset is not an error. Without a known charset the
//! XML reader decides from the byte order mark, then the declaration, then UTF-8.

use std::borrow::Cow;

/// A character encoding a request body may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// ISO-8859-1: every byte is the code point of the same value.
    Latin1,
    /// Windows-1252: Latin-1 with printable characters in 0x80..=0x9F.
    Windows1252,
    /// US-ASCII: bytes above 0x7F become `?`, as .NET's `ASCIIEncoding` reads them.
    Ascii,
}

impl Charset {
    /// The encoding a charset name (IANA names and the aliases .NET accepts, any case)
    /// stands for; `None` for one this reader does not know.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Some(match name.as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" | "unicode-2-0-utf-8" | "x-unicode20utf8" => Charset::Utf8,
            "utf-16" | "utf-16le" | "unicode" | "ucs-2" | "iso-10646-ucs-2" | "csunicode" => Charset::Utf16Le,
            "utf-16be" | "unicodefffe" => Charset::Utf16Be,
            "iso-8859-1" | "iso_8859-1" | "latin1" | "l1" | "iso-ir-100" | "cp819" | "ibm819" | "csisolatin1"
            | "iso_8859-1:1987" => Charset::Latin1,
            "windows-1252" | "cp1252" | "x-ansi" => Charset::Windows1252,
            "us-ascii" | "ascii" | "us" | "iso646-us" | "ansi_x3.4-1968" | "ansi_x3.4-1986" | "cp367" | "ibm367"
            | "csascii" | "iso-ir-6" => Charset::Ascii,
            _ => return None,
        })
    }

    /// Decodes `bytes`; `None` when they are not valid in this encoding.
    fn decode(self, bytes: &[u8]) -> Option<Cow<'_, str>> {
        match self {
            Charset::Utf8 => crate::utf8_text(bytes).ok().map(Cow::Borrowed),
            Charset::Utf16Le | Charset::Utf16Be => {
                if bytes.len() % 2 != 0 {
                    return None;
                }
                let units = bytes.chunks_exact(2).map(|pair| {
                    let pair = [pair[0], pair[1]];
                    if self == Charset::Utf16Le { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
                });
                char::decode_utf16(units).collect::<Result<String, _>>().ok().map(Cow::Owned)
            }
            Charset::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect::<String>().into()),
            Charset::Windows1252 => Some(bytes.iter().map(|&b| windows_1252(b)).collect::<String>().into()),
            Charset::Ascii => {
                if bytes.is_ascii() {
                    std::str::from_utf8(bytes).ok().map(Cow::Borrowed)
                } else {
                    Some(
                        bytes
                            .iter()
                            .map(|&b| if b.is_ascii() { char::from(b) } else { '?' })
                            .collect::<String>()
                            .into(),
                    )
                }
            }
        }
    }
}

/// Windows-1252's characters for 0x80..=0x9F (five code points are unassigned and read as
/// the C1 control of the same value, as .NET's best-fit decoder does).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}',
        '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}',
        '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}',
        '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The body as text: by its byte order mark, else by `charset` (the content type's) when it
/// names a known encoding, else by the XML declaration, else as UTF-8. `None` when the bytes
/// are not valid in the encoding chosen, or when the declaration names an encoding the bytes
/// cannot be in (UTF-16 without a byte order mark, or one this reader does not know) and no
/// charset overrides it: ASMX answers both with 400.
pub(crate) fn decode_body<'a>(bytes: &'a [u8], charset: Option<&str>) -> Option<Cow<'a, str>> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        // The reader skips a UTF-8 byte order mark itself; keep the text borrowed.
        return Charset::Utf8.decode(bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Charset::Utf16Le.decode(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Charset::Utf16Be.decode(rest);
    }
    if let Some(charset) = charset.and_then(Charset::from_name) {
        return charset.decode(bytes);
    }
    // No charset: what an XML parser reading bytes does (XML 1.0 appendix F).
    if bytes.starts_with(&[b'<', 0, b'?', 0]) {
        return Charset::Utf16Le.decode(bytes);
    }
    if bytes.starts_with(&[0, b'<', 0, b'?']) {
        return Charset::Utf16Be.decode(bytes);
    }
    match declared_encoding(bytes) {
        None => Charset::Utf8.decode(bytes),
        Some(name) => match Charset::from_name(&name) {
            // A declaration cannot switch ASCII-compatible bytes to UTF-16.
            Some(Charset::Utf16Le | Charset::Utf16Be) | None => None,
            Some(charset) => charset.decode(bytes),
        },
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the very start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let decl = bytes.strip_prefix(b"<?xml")?;
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&decl[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_wins_over_the_declaration() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>caf\xe9</a>";
        assert_eq!(
            decode_body(latin1, Some("ISO-8859-1")).as_deref(),
            Some("<?xml version=\"1.0\" encoding=\"utf-8\"?><a>caf\u{e9}</a>")
        );
        assert_eq!(decode_body(latin1, None), None, "not UTF-8, and no charset says otherwise");
        let declared = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9</a>";
        assert_eq!(
            decode_body(declared, None).as_deref(),
            Some("<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\u{e9}</a>")
        );
        assert_eq!(decode_body(b"<a>\x80</a>", Some("windows-1252")).as_deref(), Some("<a>\u{20AC}</a>"));
        assert_eq!(decode_body(b"<a>\xe9</a>", Some("us-ascii")).as_deref(), Some("<a>?</a>"));
    }

    #[test]
    fn utf16_by_bom_charset_or_sniffing() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\u{e9}\u{1d11e}</a>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = |bom: &[u8], body: &[u8]| [bom, body].concat();
        assert_eq!(decode_body(&with_bom(&[0xFF, 0xFE], &le), Some("utf-8")).as_deref(), Some(text), "the BOM wins");
        assert_eq!(decode_body(&with_bom(&[0xFE, 0xFF], &be), None).as_deref(), Some(text));
        assert_eq!(decode_body(&le, Some("utf-16")).as_deref(), Some(text));
        assert_eq!(decode_body(&be, Some("UTF-16BE")).as_deref(), Some(text));
        assert_eq!(decode_body(&le, None).as_deref(), Some(text), "sniffed from `<?`");
        assert_eq!(decode_body(&le[..le.len() - 1], Some("utf-16")), None, "odd length");
        assert_eq!(decode_body(b"<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>", None), None);
    }

    #[test]
    fn utf8_stays_borrowed() {
        let body = "\u{feff}<a>caf\u{e9}</a>".as_bytes();
        assert!(matches!(decode_body(body, Some("utf-8")), Some(Cow::Borrowed(_))));
        assert!(matches!(decode_body(b"<a/>", None), Some(Cow::Borrowed("<a/>"))));
        assert_eq!(decode_body(b"<a>\xff</a>", Some("utf-8")), None);
        assert_eq!(decode_body(b"<a/>", Some("x-unknown")).as_deref(), Some("<a/>"));
    }
}
