//! XML the schema leaves open (`xs:any`, `xs:anyType`, mixed content), kept as its exact text.

use std::fmt;

use super::XmlContent;
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::reader::{Element, XmlReader};
use super::writer::XmlWriter;

/// A fragment of XML kept exactly as the peer wrote it, byte for byte.
///
/// - For an `xs:any` wildcard it holds one whole element, tags included:
///   `<ext:Note xmlns:ext="urn:x">hi</ext:Note>`.
/// - For an element of type `xs:anyType`, or a complex type with mixed content, it holds the
///   element's content: the text between its start and end tags.
///
/// Namespace prefixes declared on enclosing elements (such as the envelope's) are not
/// copied in; a captured fragment that uses one writes it back unchanged, so it stays valid
/// only where the same prefix is in scope. Build one with [`RawXml::new`], which checks that
/// the text is well-formed.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct RawXml(String);

impl RawXml {
    /// Wraps `text` after checking that it is a well-formed fragment: balanced tags, only the
    /// predefined entities, no DTD, every namespace prefix declared inside it.
    pub fn new(text: impl Into<String>) -> Result<Self, DecodeError> {
        let text = text.into();
        let wrapped = format!("<r>{text}</r>");
        let mut r = XmlReader::new(&wrapped);
        let root = r.root()?;
        r.skip(&root)?;
        r.finish()?;
        Ok(RawXml(text))
    }

    /// The fragment's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The fragment's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Captures the whole of `element` (whose start tag was just read), tags included, and
    /// moves past it.
    pub fn capture_element<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let start = r.last_event_offset();
        r.skip(element)?;
        let end = r.offset();
        slice(r, start, end)
    }
}

fn slice(r: &XmlReader<'_>, start: usize, end: usize) -> Result<RawXml, DecodeError> {
    r.input()
        .get(start..end)
        .map(|s| RawXml(s.to_owned()))
        .ok_or_else(|| r.error(DecodeErrorKind::Malformed("cannot capture the element's text".to_owned())))
}

impl fmt::Debug for RawXml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawXml({:?})", self.0)
    }
}

impl fmt::Display for RawXml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl XmlContent for RawXml {
    /// The element's content, exactly: everything between its start and end tags.
    fn decode_content<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        r.read_raw_content(element).map(|content| RawXml(content.to_owned()))
    }

    fn encode_content(&self, w: &mut XmlWriter, _element: &str) -> Result<(), EncodeError> {
        w.raw(&self.0);
        Ok(())
    }
}

/// Decodes one element matched by an `xs:any` wildcard into `items`.
pub fn decode_any_item<'a>(
    r: &mut XmlReader<'a>,
    items: &mut Vec<RawXml>,
    element: &Element<'a>,
) -> Result<(), DecodeError> {
    items.push(RawXml::capture_element(r, element)?);
    Ok(())
}

/// Decodes the element matched by a single-valued `xs:any` wildcard into `slot`; a second
/// one is an error naming `parent`.
pub fn decode_any_once<'a>(
    r: &mut XmlReader<'a>,
    slot: &mut Option<RawXml>,
    element: &Element<'a>,
    parent: &'static str,
) -> Result<(), DecodeError> {
    if slot.is_some() {
        return Err(r.error(DecodeErrorKind::DuplicateElement { element: "(xs:any)", parent }));
    }
    *slot = Some(RawXml::capture_element(r, element)?);
    Ok(())
}

/// Writes an element kept by an `xs:any` wildcard, as it was read.
pub fn encode_any(w: &mut XmlWriter, item: &RawXml) {
    w.raw(&item.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_exact_text() {
        let doc = "<a xmlns:x=\"urn:x\"><x:b k='1'>t&amp;<c/></x:b><d/><e>  text <f>g</f> </e></a>";
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        let b = r.next_child(&root).unwrap().unwrap();
        assert_eq!(RawXml::capture_element(&mut r, &b).unwrap().as_str(), "<x:b k='1'>t&amp;<c/></x:b>");
        let d = r.next_child(&root).unwrap().unwrap();
        assert_eq!(RawXml::capture_element(&mut r, &d).unwrap().as_str(), "<d/>");
        let e = r.next_child(&root).unwrap().unwrap();
        assert_eq!(RawXml::decode_content(&mut r, &e).unwrap().as_str(), "  text <f>g</f> ");
        assert!(r.next_child(&root).unwrap().is_none());
    }

    #[test]
    fn new_checks_well_formedness() {
        assert!(RawXml::new("<a>x</a><b/>").is_ok());
        assert!(RawXml::new("text only").is_ok());
        assert!(RawXml::new("<a>").is_err());
        assert!(RawXml::new("<a></b>").is_err());
        assert!(RawXml::new("&bogus;").is_err());
    }
}
