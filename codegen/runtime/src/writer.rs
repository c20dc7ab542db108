//! Writes XML into a string: escaping, default-namespace bookkeeping and the `<x />` form for
//! empty elements, which is how .NET writes them.

use super::error::EncodeError;
use super::reader::{XSI_NS, is_xml_char};

/// Builds an XML document or fragment.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
    /// Default namespace in scope for each open element.
    default_ns: Vec<&'static str>,
    /// Whether an enclosing element declared `xmlns:xsi`.
    xsi_declared: bool,
    /// Prefixes declared on the start tag being written (`q1`, `q2`, ...).
    tag_prefixes: u32,
}

impl XmlWriter {
    /// Creates an empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        XmlWriter { buf: String::with_capacity(capacity), ..Self::default() }
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// Consumes the writer and returns its text.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// Appends markup as is. The caller guarantees it is well-formed.
    pub fn raw(&mut self, markup: &str) {
        self.buf.push_str(markup);
    }

    /// Records that `xmlns:xsi` is declared by markup written with [`Self::raw`].
    pub fn set_xsi_declared(&mut self, declared: bool) {
        self.xsi_declared = declared;
    }

    /// Records the default namespace in scope for markup written with [`Self::raw`].
    pub fn push_default_namespace(&mut self, ns: &'static str) {
        self.default_ns.push(ns);
    }

    /// Pops what [`Self::push_default_namespace`] pushed.
    pub fn pop_default_namespace(&mut self) {
        self.default_ns.pop();
    }

    fn current_ns(&self) -> &'static str {
        self.default_ns.last().copied().unwrap_or("")
    }

    /// Writes `<name xmlns="ns">` (the declaration only when `ns` is not already the default).
    /// Returns the position used by [`Self::end`] to collapse an empty element to `<name />`.
    pub fn start(&mut self, ns: &'static str, name: &str) -> usize {
        self.open_tag(ns, name);
        self.close_tag()
    }

    /// Writes `<name xmlns="ns"` and leaves the start tag open for [`Self::attribute_with`]
    /// and [`Self::xsi_type`]; [`Self::close_tag`] finishes it.
    pub fn open_tag(&mut self, ns: &'static str, name: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        if ns != self.current_ns() {
            self.buf.push_str(" xmlns=\"");
            escape_into(&mut self.buf, ns, true);
            self.buf.push('"');
        }
        self.default_ns.push(ns);
        self.tag_prefixes = 0;
    }

    /// Finishes a start tag opened by [`Self::open_tag`]; returns the mark for [`Self::end`].
    pub fn close_tag(&mut self) -> usize {
        self.buf.push('>');
        self.buf.len()
    }

    /// Declares a fresh prefix for `ns` on the open start tag and returns it.
    fn declare_prefix(&mut self, ns: &str) -> String {
        if ns == super::reader::XML_NS {
            // Bound in every document; declaring it is an error.
            return "xml".to_owned();
        }
        self.tag_prefixes += 1;
        let prefix = format!("q{}", self.tag_prefixes);
        self.buf.push_str(" xmlns:");
        self.buf.push_str(&prefix);
        self.buf.push_str("=\"");
        escape_into(&mut self.buf, ns, true);
        self.buf.push('"');
        prefix
    }

    /// Writes attribute `{ns}name` on the open start tag; `write` writes its value as element
    /// text (for example through `XmlText::write_text`), which is then escaped for an
    /// attribute. An attribute in a namespace gets a prefix declared on the same tag.
    pub fn attribute_with(
        &mut self,
        ns: &str,
        name: &str,
        write: impl FnOnce(&mut XmlWriter) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        let prefix = if ns.is_empty() { None } else { Some(self.declare_prefix(ns)) };
        self.buf.push(' ');
        if let Some(p) = &prefix {
            self.buf.push_str(p);
            self.buf.push(':');
        }
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        let at = self.buf.len();
        write(self)?;
        // Element text escaping left `"`, tabs and line feeds alone; an attribute needs them
        // escaped too, or normalisation would turn them into spaces.
        if self.buf[at..].contains(['"', '\n', '\t']) {
            let value = self.buf.split_off(at);
            for c in value.chars() {
                match c {
                    '"' => self.buf.push_str("&quot;"),
                    '\n' => self.buf.push_str("&#xA;"),
                    '\t' => self.buf.push_str("&#x9;"),
                    c => self.buf.push(c),
                }
            }
        }
        self.buf.push('"');
        Ok(())
    }

    /// Writes `xsi:type="p:local"` on the open start tag: the derived type of a value written
    /// where its base type is declared. The prefix is declared on the same tag unless `ns` is
    /// the element's own (default) namespace.
    pub fn xsi_type(&mut self, ns: &str, local: &str) {
        let qualified =
            if ns == self.current_ns() { local.to_owned() } else { format!("{}:{local}", self.declare_prefix(ns)) };
        if !self.xsi_declared {
            self.buf.push_str(" xmlns:xsi=\"");
            self.buf.push_str(XSI_NS);
            self.buf.push('"');
        }
        self.buf.push_str(" xsi:type=\"");
        escape_into(&mut self.buf, &qualified, true);
        self.buf.push('"');
    }

    /// Closes what [`Self::start`] opened: `</name>`, or turns the element into `<name />`
    /// when nothing was written inside.
    pub fn end(&mut self, name: &str, mark: usize) {
        self.default_ns.pop();
        if self.buf.len() == mark {
            self.buf.pop();
            self.buf.push_str(" />");
        } else {
            self.buf.push_str("</");
            self.buf.push_str(name);
            self.buf.push('>');
        }
    }

    /// Writes `<name xsi:nil="true" />`.
    pub fn nil(&mut self, ns: &'static str, name: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        if ns != self.current_ns() {
            self.buf.push_str(" xmlns=\"");
            escape_into(&mut self.buf, ns, true);
            self.buf.push('"');
        }
        if self.xsi_declared {
            self.buf.push_str(" xsi:nil=\"true\" />");
        } else {
            self.buf.push_str(" xsi:nil=\"true\" xmlns:xsi=\"");
            self.buf.push_str(XSI_NS);
            self.buf.push_str("\" />");
        }
    }

    /// Writes escaped character data. Characters XML 1.0 cannot carry are refused, naming
    /// `element`. `\r` is written as `&#xD;` so that it survives end-of-line normalisation.
    pub fn text(&mut self, element: &str, value: &str) -> Result<(), EncodeError> {
        if let Some((index, c)) = value.chars().enumerate().find(|(_, c)| !is_xml_char(*c)) {
            return Err(EncodeError::InvalidChar { element: element.to_owned(), code: u32::from(c), index });
        }
        escape_into(&mut self.buf, value, false);
        Ok(())
    }

    /// Writes text that needs no escaping (numbers, booleans, dates).
    pub fn plain(&mut self, value: &str) {
        self.buf.push_str(value);
    }

    /// Writes a value's `Display` form, which must need no escaping.
    pub fn display(&mut self, value: &dyn std::fmt::Display) {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.buf, "{value}");
    }

    /// Writes one element holding `value`.
    pub fn element<T: super::XmlContent>(
        &mut self,
        ns: &'static str,
        name: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.open_tag(ns, name);
        value.encode_attributes(self)?;
        let mark = self.close_tag();
        value.encode_content(self, name)?;
        self.end(name, mark);
        Ok(())
    }

    /// Writes `value` as an element, or `xsi:nil="true"` for `None`.
    pub fn nillable<T: super::XmlContent>(
        &mut self,
        ns: &'static str,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<(), EncodeError> {
        match value {
            Some(v) => self.element(ns, name, v),
            None => {
                self.nil(ns, name);
                Ok(())
            }
        }
    }
}

fn escape_into(buf: &mut String, value: &str, attribute: bool) {
    let bytes = value.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#xD;",
            b'"' if attribute => "&quot;",
            b'\n' if attribute => "&#xA;",
            b'\t' if attribute => "&#x9;",
            _ => continue,
        };
        buf.push_str(&value[last..i]);
        buf.push_str(replacement);
        last = i + 1;
    }
    buf.push_str(&value[last..]);
}
