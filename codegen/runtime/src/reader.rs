//! A pull reader over a UTF-8 document: namespace resolution, nil detection, depth limits and
//! error locations on top of quick-xml's borrowing reader.
//!
//! Generated decoders call [`XmlReader::next_child`] in a loop and dispatch on the child's
//! namespace and local name. Nothing is copied unless an entity reference forces it.
//!
//! Most of a SOAP response is read without quick-xml's events (the fast path):
//!
//! - three shapes of child element, read whole: exactly `<name>text</name>` (a name of ASCII
//!   letters, digits and `_-.:`, no attributes, text with no `&` and no markup, the end tag
//!   byte for byte the start tag's name), `<name/>` or `<name />`, and ASMX's null
//!   `<name p:nil="true" />` with `p` bound to the schema-instance namespace. They are almost
//!   every field of a SOAP response, and quick-xml spends up to three events on each (start,
//!   text and end, each re-checking UTF-8 the `&str` input already guarantees);
//! - the start tag of an element with content, `<name>` or `<name attributes>` when every
//!   attribute is a plain `name="value"` (the envelope's namespace declarations, `xmlns="…"`
//!   on the body's element), and its end tag `</name>` when it follows a tag (white space
//!   allowed);
//! - the attributes of any start tag quick-xml did read, when they are that plain.
//!
//! A fast-path element is recognised only where quick-xml itself would next read text (just
//! after markup), and is stepped over, so quick-xml's state is as if it had read it. Because
//! quick-xml's stack of open names then lacks the start tags stepped over, the reader checks
//! end tags itself against its own stack (with quick-xml's messages) and quick-xml is
//! configured not to. Anything else, or anything in doubt, is left to quick-xml, whose checks
//! and errors therefore apply unchanged. A test reads thousands of documents (a sample, edge
//! cases, every one-byte change of the sample) both ways and requires the same elements,
//! values and errors at the same places.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};

use super::error::{DecodeError, DecodeErrorKind, Location};

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The namespace of the `xml` prefix (`xml:lang`), bound in every document without a
/// declaration.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Default maximum element depth accepted by [`XmlReader`].
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// Most namespace declarations in scope at once. Every element name is resolved by a scan of
/// the declarations in scope, so without a bound a document declaring thousands of prefixes
/// on its root and holding millions of elements costs hours; real SOAP uses a handful.
pub const MAX_NAMESPACE_BINDINGS: usize = 128;

/// An element whose start tag was just read.
#[derive(Debug)]
pub struct Element<'a> {
    start: BytesStart<'a>,
    ns: Option<usize>,
    nil: bool,
    empty: bool,
    depth: usize,
    /// Where the local name starts in the qualified name (after `prefix:`, or 0).
    local_start: usize,
    /// The text of a `<name>text</name>` element read whole by the fast path (its end tag
    /// is already behind the reader); `None` for an element read through quick-xml.
    text: Option<&'a str>,
}

impl Element<'_> {
    /// The element's local name (without prefix).
    #[inline]
    pub fn local_name(&self) -> &str {
        self.start.name().0.get(self.local_start..).unwrap_or_default()
    }

    /// Whether the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        self.nil
    }

    /// Whether the element was written as `<x/>` (no content, no end tag).
    pub fn is_empty(&self) -> bool {
        self.empty
    }
}

struct Binding<'a> {
    prefix: Option<Cow<'a, str>>,
    uri: Cow<'a, str>,
    depth: usize,
}

/// Pull reader used by generated decoders.
pub struct XmlReader<'a> {
    input: &'a str,
    reader: Reader<&'a [u8]>,
    bindings: Vec<Binding<'a>>,
    depth: usize,
    max_depth: usize,
    /// Byte offset of the start of the last event read.
    last_event_start: usize,
    /// Bytes stepped over by the fast path, which quick-xml's own offsets do not count.
    skipped: usize,
    /// Whether quick-xml's last event was markup (a tag, comment, CDATA section, processing
    /// instruction or declaration), after which it reads text next: the only place the fast
    /// path may step over input.
    after_tag: bool,
    /// Whether the fast path is used (always, except in the test comparing it with quick-xml).
    /// With it, end tags are checked against [`Self::open_names`] rather than by quick-xml,
    /// whose stack of open names does not hold the start tags the fast path stepped over.
    fast_path: bool,
    /// The names of the elements open, innermost last, each with whether the fast path read
    /// its start tag (its end tag is then the fast path's to read too, see
    /// [`Self::fast_end_tag`]). Leaf elements read whole never appear.
    open_names: Vec<(Cow<'a, str>, bool)>,
    /// The last namespace [`Self::is_in`] found equal to a binding's URI: (binding index,
    /// address and length of the namespace string). Generated decoders ask with the same
    /// `&'static str` for every child, so a repeat costs two comparisons instead of comparing
    /// the URI; cleared whenever a binding is pushed (an index is reused only then).
    ns_match: std::cell::Cell<(usize, usize, usize)>,
    /// Whether the text was decoded from bytes by the caller, so that the XML declaration's
    /// `encoding` says nothing about it (see [`Self::decoded_text`]).
    decoded_text: bool,
    /// Whether a second occurrence of a single-valued child is skipped instead of refused
    /// (see [`Self::first_occurrence_wins`]).
    first_wins: bool,
}

impl<'a> XmlReader<'a> {
    /// Creates a reader over a whole document.
    pub fn new(input: &'a str) -> Self {
        Self::with_max_depth(input, DEFAULT_MAX_DEPTH)
    }

    /// Creates a reader that refuses elements nested deeper than `max_depth`.
    pub fn with_max_depth(input: &'a str, max_depth: usize) -> Self {
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        // End tags are checked against `open_names` (see the field), so quick-xml must accept
        // an end tag its own stack does not expect.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        XmlReader {
            input,
            reader,
            bindings: {
                // Room for a SOAP envelope's usual declarations without regrowth.
                let mut b = Vec::with_capacity(8);
                b.push(Binding { prefix: Some(Cow::Borrowed("xml")), uri: Cow::Borrowed(XML_NS), depth: 0 });
                b
            },
            depth: 0,
            max_depth,
            last_event_start: 0,
            skipped: 0,
            after_tag: false,
            fast_path: true,
            open_names: Vec::with_capacity(8),
            ns_match: std::cell::Cell::new((usize::MAX, 0, 0)),
            decoded_text: false,
            first_wins: false,
        }
    }

    /// Marks the input as text its caller decoded from bytes by some other rule (a server
    /// reading a request by the charset of its `Content-Type`, as ASMX does): the XML
    /// declaration's `encoding` is then ignored instead of refused when it is not UTF-8.
    pub fn decoded_text(mut self) -> Self {
        self.decoded_text = true;
        self
    }

    /// Turns the fast paths off (see the module doc): every child is read through quick-xml's
    /// events, with its checks. The reference the fast paths are tested against; slower, and
    /// otherwise the same.
    #[doc(hidden)]
    pub fn without_fast_paths(mut self) -> Self {
        self.fast_path = false;
        let config = self.reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        self
    }

    /// Has a second occurrence of a single-valued child skipped, keeping the first, instead
    /// of failing with [`DecodeErrorKind::DuplicateElement`]: what .NET's `XmlSerializer`
    /// does with a request parameter sent twice. Alternatives of an `xs:choice` still fail.
    pub fn first_occurrence_wins(mut self) -> Self {
        self.first_wins = true;
        self
    }

    /// The whole input.
    pub fn input(&self) -> &'a str {
        self.input
    }

    /// Byte offset of the start of the last event read.
    pub fn last_event_offset(&self) -> usize {
        self.last_event_start
    }

    /// Byte offset just past the last event read.
    pub fn offset(&self) -> usize {
        // quick-xml reads from a slice of the input that it advances: what is left says where.
        self.input.len() - self.reader.get_ref().len()
    }

    // Inlined into the hot loops (`next_child`, `read_text`): returning the large event and
    // error through a call costs more than the call's work.
    #[inline(always)]
    fn read_event(&mut self) -> Result<Event<'a>, DecodeError> {
        self.last_event_start = self.offset();
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(self.error(DecodeErrorKind::Dtd)),
            Ok(event) => {
                // Every markup event leaves quick-xml reading text; text and references do not.
                self.after_tag = !matches!(event, Event::Text(_) | Event::GeneralRef(_) | Event::Eof);
                if self.fast_path {
                    match &event {
                        Event::Start(start) => {
                            let name = self.in_input(start.name().0);
                            self.open_names.push((name, false));
                        }
                        Event::End(end) => self.check_end_name(end.name().0)?,
                        _ => {}
                    }
                }
                Ok(event)
            }
            Err(e) => {
                self.after_tag = false;
                let at = usize::try_from(self.reader.error_position()).unwrap_or(0).saturating_add(self.skipped);
                Err(self.error_at(at, DecodeErrorKind::Malformed(e.to_string())))
            }
        }
    }

    /// Checks an end tag quick-xml just read against the innermost open element, failing as
    /// quick-xml's own check would (same message, at the end tag's `<`).
    fn check_end_name(&mut self, found: &str) -> Result<(), DecodeError> {
        let error = match self.open_names.pop() {
            Some((expected, _)) if *expected == *found => return Ok(()),
            Some((expected, _)) => {
                IllFormedError::MismatchedEndTag { expected: expected.into_owned(), found: found.to_owned() }
            }
            None => IllFormedError::UnmatchedEndTag(found.to_owned()),
        };
        self.after_tag = false;
        // The end tag's `<`: quick-xml never consumes it with the text before it.
        Err(self.error(DecodeErrorKind::Malformed(quick_xml::Error::IllFormed(error).to_string())))
    }

    /// The fast path for the end tag of an element whose start tag it read: white space, then
    /// `</name>` (white space allowed before the `>`), stepped over. `false` (nothing consumed)
    /// for anything else, which quick-xml then reads and [`Self::check_end_name`] checks.
    fn fast_end_tag(&mut self) -> bool {
        if !(self.after_tag && self.fast_path) {
            return false;
        }
        let Some((name, true)) = self.open_names.last() else { return false };
        let at = self.offset();
        let rest = &self.input.as_bytes()[at..];
        let Some(lt) = rest.iter().position(|&b| !is_xml_space(b)) else { return false };
        let after_name = lt + 2 + name.len();
        if rest.get(lt..lt + 2) != Some(b"</") || rest.get(lt + 2..after_name) != Some(name.as_bytes()) {
            return false;
        }
        let Some(gt) = rest[after_name..].iter().position(|&b| !is_xml_space(b)) else { return false };
        if rest[after_name + gt] != b'>' {
            return false;
        }
        let end = at + after_name + gt + 1;
        self.open_names.pop();
        *self.reader.get_mut() = &self.input.as_bytes()[end..];
        self.skipped += end - at;
        self.last_event_start = at + lt;
        true
    }

    /// Builds an error located at the start of the last event read.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        self.error_at(self.last_event_offset(), kind)
    }

    /// Builds an error located at a byte offset of the input.
    pub fn error_at(&self, offset: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, locate(self.input, offset))
    }

    /// Reads up to the document element and returns it. Declarations, comments and
    /// processing instructions before it are skipped; a DTD is refused.
    pub fn root(&mut self) -> Result<Element<'a>, DecodeError> {
        loop {
            // After the XML declaration, the fast path may read the document element.
            if let Some(root) = self.simple_element() {
                return Ok(root);
            }
            match self.read_event()? {
                Event::Decl(_) if self.declares_plain_utf8() => {}
                Event::Decl(decl) => {
                    if let Some(Ok(enc)) = decl.encoding().filter(|_| !self.decoded_text) {
                        let enc = enc.trim();
                        if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") {
                            return Err(self.error(DecodeErrorKind::UnsupportedEncoding(enc.to_owned())));
                        }
                    }
                }
                Event::Start(start) => return self.open(start, false),
                Event::Empty(start) => return self.open(start, true),
                Event::Text(text) if !text.trim().is_empty() => {
                    return Err(self.error(DecodeErrorKind::UnexpectedText(cut(&text))));
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Event::GeneralRef(r) => {
                    return Err(self.error(DecodeErrorKind::UnexpectedText(format!("&{};", &*r))));
                }
                _ => {}
            }
        }
    }

    fn open(&mut self, start: BytesStart<'a>, empty: bool) -> Result<Element<'a>, DecodeError> {
        let depth = self.depth + 1;
        if depth > self.max_depth {
            return Err(self.error(DecodeErrorKind::TooDeep(self.max_depth)));
        }
        let mut nil_attr: Option<(Option<String>, bool)> = None;
        // Most start tags have no attributes: skip the iterator for them.
        if start.len() > start.name().0.len() {
            let mut simple = [("", ""); SIMPLE_ATTRIBUTES];
            let simple_count = (self.fast_path)
                .then(|| self.input_slice(start.attributes_raw()))
                .flatten()
                .and_then(|raw| simple_attributes(raw, &mut simple));
            if let Some(count) = simple_count {
                for &(key, value) in &simple[..count] {
                    self.take_attribute(key, Cow::Borrowed(value), depth, &mut nil_attr)?;
                }
            } else {
                let mut attrs = start.attributes();
                attrs.with_checks(true);
                for attr in attrs {
                    let attr = attr.map_err(|e| self.error(DecodeErrorKind::Malformed(e.to_string())))?;
                    let key = attr.key.0;
                    // A namespace is bound by its normalised value; `nil` is read as written.
                    let value = if is_namespace_declaration(key) {
                        attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|e| self.error(DecodeErrorKind::Malformed(e.to_string())))?
                    } else {
                        attr.value
                    };
                    self.take_attribute(key, value, depth, &mut nil_attr)?;
                }
            }
        }
        let nil = match nil_attr {
            Some((Some(prefix), is_true)) => is_true && self.resolve(Some(&prefix)) == Some(XSI_NS),
            _ => false,
        };
        let qname = start.name().0;
        // A byte loop: names are short, and `str::find` sets up a memchr search per call.
        let colon = qname.bytes().position(|b| b == b':');
        let prefix = colon.map(|i| &qname[..i]);
        let local_start = colon.map_or(0, |i| i + 1);
        let ns = self.resolve_index(prefix);
        if prefix.is_some() && ns.is_none() {
            let p = prefix.unwrap_or_default().to_owned();
            self.pop_bindings(depth);
            return Err(self.error(DecodeErrorKind::Malformed(format!("undeclared namespace prefix `{p}`"))));
        }
        self.depth = depth;
        Ok(Element { start, ns, nil, empty, depth, local_start, text: None })
    }

    /// What one attribute of the start tag of an element at `depth` means to the reader: a
    /// namespace declaration is bound (`value` normalised), a `nil` is kept in `nil_attr` for
    /// [`Self::open`] to resolve; anything else is the decoder's to ask for.
    fn take_attribute(
        &mut self,
        key: &str,
        value: Cow<'_, str>,
        depth: usize,
        nil_attr: &mut Option<(Option<String>, bool)>,
    ) -> Result<(), DecodeError> {
        if is_namespace_declaration(key) {
            let prefix = key.strip_prefix("xmlns:").map(|p| self.in_input(p));
            // One more than the limit: the `xml` prefix is always bound.
            if self.bindings.len() > MAX_NAMESPACE_BINDINGS {
                self.pop_bindings(depth);
                return Err(self.error(DecodeErrorKind::Malformed(format!(
                    "more than {MAX_NAMESPACE_BINDINGS} namespace declarations in scope"
                ))));
            }
            let uri = match value {
                Cow::Borrowed(u) => self.in_input(u),
                Cow::Owned(u) => Cow::Owned(u),
            };
            self.bindings.push(Binding { prefix, uri, depth });
            self.ns_match.set((usize::MAX, 0, 0));
        } else if key == "nil" || key.ends_with(":nil") {
            let value = value.trim();
            let is_true = value == "true" || value == "1";
            let prefix = key.strip_suffix(":nil").map(str::to_owned);
            *nil_attr = Some((prefix, is_true));
        }
        Ok(())
    }

    /// Whether the XML declaration just read is exactly what ASMX writes (or names no
    /// encoding), so that quick-xml's attribute iterator need not look for its encoding.
    fn declares_plain_utf8(&self) -> bool {
        matches!(
            self.input.get(self.last_event_start..self.offset()),
            Some(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                    | "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    | "<?xml version=\"1.0\"?>"
            )
        )
    }

    /// `s` as a slice of the input with the input's lifetime, when it is one.
    fn input_slice(&self, s: &str) -> Option<&'a str> {
        let start = (s.as_ptr() as usize).checked_sub(self.input.as_ptr() as usize)?;
        self.input.get(start..start.checked_add(s.len())?).filter(|slice| slice.as_ptr() == s.as_ptr())
    }

    /// The fast path (see the module doc): the next child, when it is `<name>text</name>`,
    /// read whole and stepped over; `None` (nothing consumed) for anything else.
    #[inline]
    fn simple_element(&mut self) -> Option<Element<'a>> {
        if !(self.after_tag && self.fast_path) {
            return None;
        }
        let at = self.offset();
        let rest = self.input.as_bytes().get(at..)?;
        // Whitespace between elements, as quick-xml's text event would hold it.
        let lt = rest.iter().position(|&b| !is_xml_space(b))?;
        if rest[lt] != b'<' {
            return None;
        }
        let name_start = lt + 1;
        if !rest.get(name_start).is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_') {
            return None;
        }
        let name_len = rest[name_start..].iter().position(|&b| !NAME_BYTE[usize::from(b)])?;
        let name_end = name_start + name_len;
        if rest[name_end] != b'>' {
            return self.simple_empty_element(at, lt, name_start, name_end);
        }
        let text_start = name_end + 1;
        let name = &rest[name_start..name_end];
        // A leaf's text runs to `</name>`, byte for byte; anything else has content.
        let text_end = match memchr::memchr2(b'<', b'&', &rest[text_start..]) {
            Some(n) => text_start + n,
            None => return None,
        };
        let close = &rest[text_end..];
        if !(close.get(..2) == Some(b"</")
            && close.get(2..2 + name.len()) == Some(name)
            && close.get(2 + name.len()) == Some(&b'>'))
        {
            // Not a leaf: an element with content, whose start tag alone is stepped over.
            return self.fast_start_tag(at, lt, name_start, name_end, name_end);
        }
        let text = self.input.get(at + text_start..at + text_end)?;
        self.step_over(at, lt, name_start, name_end, at + text_end + 3 + name.len(), Some(text))
    }

    /// The fast path for the child a generated decoder expects next (the next field in schema
    /// order): when the next child of `parent` is exactly `<local>text</local>`, unprefixed
    /// and so in the default namespace, which must be `ns` (`""`: none declared), steps over
    /// it and returns its text, for [`Self::leaf_value`]; `None`, with nothing consumed, for
    /// anything else, which [`Self::next_child`] then reads.
    ///
    /// It accepts exactly what [`Self::next_child`] would read whole as a leaf (see the module
    /// doc) and leaves the reader as that and [`Self::read_text`] would, so a decoder that
    /// tries it first and falls back to `next_child` reads the same values and fails with the
    /// same errors at the same places. What it saves is the generic path's work of naming the
    /// child: scanning its name, resolving its prefix, building the element and dispatching
    /// on it.
    pub fn next_leaf(&mut self, parent: &Element<'a>, ns: &str, local: LeafName) -> Option<Leaf<'a>> {
        if !(self.after_tag && self.fast_path) || parent.empty || parent.text.is_some() || self.depth >= self.max_depth
        {
            return None;
        }
        let at = self.offset();
        let rest = self.input.as_bytes().get(at..)?;
        let lt = rest.iter().position(|&b| !is_xml_space(b))?;
        let name = local.0.as_bytes();
        // `<local>`: `local` is a name the generic fast path reads whole ([`LeafName`]), and
        // `>` ends it as that path's scan would.
        let text_start = lt + name.len() + 2;
        if rest[lt] != b'<'
            || rest.get(text_start - 1) != Some(&b'>')
            || !same_bytes(&rest[lt + 1..text_start - 1], name)
        {
            return None;
        }
        let (text_len, may_need_care) = text_end(&rest[text_start..])?;
        let close = text_start + text_len;
        let end = close + name.len() + 3;
        if rest.get(close..close + 2) != Some(b"</")
            || rest.get(end - 1) != Some(&b'>')
            || !same_bytes(&rest[close + 2..end - 1], name)
        {
            return None;
        }
        // The default namespace, as `next_child` then `is_in` would resolve and compare it.
        let in_ns = match self.resolve_index(None) {
            None => ns.is_empty(),
            Some(i) => self.binding_is(i, ns),
        };
        if !in_ns {
            return None;
        }
        let text = self.input.get(at + text_start..at + close)?;
        *self.reader.get_mut() = self.input.as_bytes().get(at + end..)?;
        self.skipped += end;
        self.last_event_start = at + lt;
        Some(Leaf { text, may_need_care })
    }

    /// The value of a leaf [`Self::next_leaf`] returned: its text checked and parsed as
    /// [`Self::read_text`] and [`super::decode_text`] would (line ends normalised, characters
    /// XML forbids refused), with errors at the same places.
    pub fn leaf_value<T: super::XmlText>(&mut self, leaf: Leaf<'a>) -> Result<T, DecodeError> {
        let text_start = self.offset_of(leaf.text);
        if !leaf.may_need_care {
            // The scan that found the leaf's end saw no byte `text_content` acts on.
            self.last_event_start = text_start + leaf.text.len();
            return super::value::parse_value(self, leaf.text);
        }
        self.last_event_start = text_start;
        let content = self.text_content(BytesText::from_escaped(leaf.text))?;
        self.last_event_start = text_start + leaf.text.len();
        super::value::parse_value(self, &content)
    }

    /// The fast path's other shapes: an empty element, `<name/>` or `<name />` (`<Validate />`
    /// in every ASMX package), or with the one attribute ASMX writes for a null,
    /// `<name p:nil="true" />` where `p` is bound to the schema-instance namespace. quick-xml
    /// keeps no state for an empty element, so stepping over it leaves it as if it had read
    /// it.
    fn simple_empty_element(
        &mut self,
        at: usize,
        lt: usize,
        name_start: usize,
        name_end: usize,
    ) -> Option<Element<'a>> {
        let rest = &self.input.as_bytes()[at..];
        if let Some(gt) = memchr::memchr(b'>', &rest[name_end..]).map(|n| name_end + n) {
            if rest[gt - 1] != b'/' {
                // `<name attributes>`: a start tag.
                return self.fast_start_tag(at, lt, name_start, name_end, gt);
            }
        }
        let mut i = name_end + rest[name_end..].iter().position(|&b| !is_xml_space(b))?;
        let mut nil = false;
        if i > name_end && rest[i] != b'/' {
            // `p:nil="true"` (or with single quotes), then optional space.
            let attr_len = rest[i..].iter().position(|&b| !NAME_BYTE[usize::from(b)])?;
            let attr = self.input.get(at + i..at + i + attr_len)?;
            let prefix = attr.strip_suffix(":nil").filter(|p| !p.is_empty() && !p.contains(':'))?;
            let value = rest.get(i + attr_len..i + attr_len + 7)?;
            if value != b"=\"true\"" && value != b"='true'" {
                return None;
            }
            if self.resolve(Some(prefix)) != Some(XSI_NS) {
                return None;
            }
            i += attr_len + 7;
            i += rest[i..].iter().position(|&b| !is_xml_space(b))?;
            nil = true;
        }
        if rest.get(i..i + 2) != Some(b"/>") {
            return None;
        }
        let mut element = self.step_over(at, lt, name_start, name_end, at + i + 2, None)?;
        element.nil = nil;
        Some(element)
    }

    /// Ends the fast path: resolves the name's prefix, checks the depth, and moves quick-xml's
    /// input to `end` (an offset in the input). `None` (nothing consumed) when the name or
    /// depth is one quick-xml should report on.
    #[inline]
    fn step_over(
        &mut self,
        at: usize,
        lt: usize,
        name_start: usize,
        name_end: usize,
        end: usize,
        text: Option<&'a str>,
    ) -> Option<Element<'a>> {
        let depth = self.depth + 1;
        if depth > self.max_depth {
            return None;
        }
        let qname = self.input.get(at + name_start..at + name_end)?;
        let colon = qname.bytes().position(|b| b == b':');
        let prefix = match colon {
            // `a:b`; `:b`, `a:` and `a:b:c` are quick-xml's to judge.
            Some(i) if i > 0 && i + 1 < qname.len() && !qname[i + 1..].contains(':') => Some(&qname[..i]),
            Some(_) => return None,
            None => None,
        };
        let ns = self.resolve_index(prefix);
        if prefix.is_some() && ns.is_none() {
            return None;
        }
        *self.reader.get_mut() = self.input.as_bytes().get(end..)?;
        self.skipped += end - at;
        self.last_event_start = at + lt;
        self.depth = depth;
        Some(Element {
            start: BytesStart::from_content(qname, qname.len()),
            ns,
            nil: false,
            empty: text.is_none(),
            depth,
            local_start: colon.map_or(0, |i| i + 1),
            text,
        })
    }

    /// The fast path for the start tag of an element with content, `<name>` or `<name
    /// attributes>` with attributes [`simple_attributes`] reads, `gt` its `>` (offsets from
    /// `at`, as in [`Self::simple_element`]): what [`Self::open`] does, without quick-xml's
    /// event. The end tag is then read by [`Self::fast_end_tag`], or by quick-xml and checked
    /// by [`Self::check_end_name`]. `None` (nothing consumed) for anything quick-xml or
    /// [`Self::open`] should report on.
    fn fast_start_tag(
        &mut self,
        at: usize,
        lt: usize,
        name_start: usize,
        name_end: usize,
        gt: usize,
    ) -> Option<Element<'a>> {
        let depth = self.depth + 1;
        if depth > self.max_depth {
            return None;
        }
        let content = self.input.get(at + name_start..at + gt)?;
        let qname = &content[..name_end - name_start];
        let colon = qname.bytes().position(|b| b == b':');
        let prefix = match colon {
            Some(i) if i > 0 && i + 1 < qname.len() && !qname[i + 1..].contains(':') => Some(&qname[..i]),
            Some(_) => return None,
            None => None,
        };
        let mut nil_attr = None;
        let raw = &content[qname.len()..];
        if !raw.is_empty() {
            let mut simple = [("", ""); SIMPLE_ATTRIBUTES];
            let count = simple_attributes(raw, &mut simple)?;
            for &(key, value) in &simple[..count] {
                if self.take_attribute(key, Cow::Borrowed(value), depth, &mut nil_attr).is_err() {
                    self.pop_bindings(depth);
                    return None;
                }
            }
        }
        let ns = self.resolve_index(prefix);
        if prefix.is_some() && ns.is_none() {
            self.pop_bindings(depth);
            return None;
        }
        let nil = match nil_attr {
            Some((Some(p), is_true)) => is_true && self.resolve(Some(&p)) == Some(XSI_NS),
            _ => false,
        };
        let end = at + gt + 1;
        *self.reader.get_mut() = &self.input.as_bytes()[end..];
        self.skipped += end - at;
        self.last_event_start = at + lt;
        self.depth = depth;
        self.open_names.push((Cow::Borrowed(qname), true));
        Some(Element {
            start: BytesStart::from_content(content, qname.len()),
            ns,
            nil,
            empty: false,
            depth,
            local_start: colon.map_or(0, |i| i + 1),
            text: None,
        })
    }

    /// `s` borrowed for the input's lifetime when it is a slice of the input (attribute text
    /// is), so namespace declarations cost no allocation; copied otherwise.
    fn in_input(&self, s: &str) -> Cow<'a, str> {
        self.input_slice(s).map_or_else(|| Cow::Owned(s.to_owned()), Cow::Borrowed)
    }

    /// Byte offset in the input of `s`, a slice of it.
    fn offset_of(&self, s: &str) -> usize {
        (s.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize).min(self.input.len())
    }

    /// `element`'s content exactly as written between its tags (markup and references
    /// included), moving past its end tag.
    pub fn read_raw_content(&mut self, element: &Element<'a>) -> Result<&'a str, DecodeError> {
        if element.empty {
            self.settle_empty(element);
            return Ok("");
        }
        if let Some(text) = element.text {
            self.close();
            return Ok(text);
        }
        let start = self.offset();
        self.skip(element)?;
        let end = self.last_event_offset();
        self.input
            .get(start..end)
            .ok_or_else(|| self.error(DecodeErrorKind::Malformed("cannot capture the element's content".to_owned())))
    }

    fn pop_bindings(&mut self, depth: usize) {
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.bindings.pop();
        }
    }

    /// Closes an empty element (`<x/>`): it has no end tag, so its scope ends when its
    /// consumer is done with it.
    fn settle_empty(&mut self, element: &Element<'a>) {
        if element.empty {
            self.pop_bindings(element.depth);
            self.depth -= 1;
        }
    }

    fn resolve_index(&self, prefix: Option<&str>) -> Option<usize> {
        self.bindings
            .iter()
            .rposition(|b| b.prefix.as_deref() == prefix)
            .filter(|&i| !(prefix.is_none() && self.bindings[i].uri.is_empty()))
    }

    fn resolve(&self, prefix: Option<&str>) -> Option<&str> {
        self.resolve_index(prefix).map(|i| &*self.bindings[i].uri)
    }

    /// The namespace URI of an element just returned (`""` when it has none).
    pub fn namespace(&self, element: &Element<'_>) -> &str {
        element.ns.and_then(|i| self.bindings.get(i)).map_or("", |b| &*b.uri)
    }

    /// The namespace URI bound to `prefix` (`None`: the default namespace) where the element
    /// just returned stands; used to resolve QName-valued attributes such as `xsi:type`.
    pub fn resolve_prefix(&self, prefix: Option<&str>) -> Option<&str> {
        self.resolve(prefix)
    }

    /// The value of attribute `{ns}local` of an element just returned (an unprefixed
    /// attribute has no namespace), entity references resolved and whitespace normalised as
    /// XML 1.0 says for attribute values. `None` when absent.
    pub fn attribute(&self, element: &Element<'_>, ns: &str, local: &str) -> Result<Option<String>, DecodeError> {
        let mut attrs = element.start.attributes();
        attrs.with_checks(true);
        for attr in attrs {
            let attr = attr.map_err(|e| self.error(DecodeErrorKind::Malformed(e.to_string())))?;
            let key = attr.key.0;
            if is_namespace_declaration(key) {
                continue;
            }
            let (prefix, name) = match key.split_once(':') {
                Some((p, n)) => (Some(p), n),
                None => (None, key),
            };
            if name != local {
                continue;
            }
            let attr_ns = match prefix {
                None => "",
                Some(p) => self.resolve(Some(p)).unwrap_or(""),
            };
            if attr_ns == ns {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| self.error(DecodeErrorKind::Malformed(e.to_string())))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    /// Whether an element just returned is in namespace `ns`.
    #[inline]
    pub fn is_in(&self, element: &Element<'_>, ns: &str) -> bool {
        match element.ns {
            Some(i) => self.binding_is(i, ns),
            None => ns.is_empty(),
        }
    }

    /// Whether binding `i` is to `ns`, remembering the last match (see [`Self::ns_match`]).
    #[inline]
    fn binding_is(&self, i: usize, ns: &str) -> bool {
        let key = (i, ns.as_ptr() as usize, ns.len());
        if self.ns_match.get() == key {
            return true;
        }
        let equal = self.bindings.get(i).is_some_and(|b| *b.uri == *ns);
        if equal {
            self.ns_match.set(key);
        }
        equal
    }

    /// Whether an element just returned is `{ns}local`.
    pub fn is(&self, element: &Element<'_>, ns: &str, local: &str) -> bool {
        element.local_name() == local && self.is_in(element, ns)
    }

    /// `{namespace}local` of an element, for messages.
    pub fn expanded_name(&self, element: &Element<'_>) -> String {
        let ns = self.namespace(element);
        if ns.is_empty() { element.local_name().to_owned() } else { format!("{{{ns}}}{}", element.local_name()) }
    }

    /// Reads the next child element of `parent`, or `None` once `parent`'s end tag is read.
    /// Comments and processing instructions are skipped; whitespace between elements is
    /// skipped; other text is an error.
    pub fn next_child(&mut self, parent: &Element<'a>) -> Result<Option<Element<'a>>, DecodeError> {
        if parent.empty {
            self.settle_empty(parent);
            return Ok(None);
        }
        if let Some(text) = parent.text {
            // Read by the fast path: no children, and its text must be whitespace.
            if !text.trim().is_empty() {
                self.last_event_start = self.offset_of(text);
                return Err(self.error(DecodeErrorKind::UnexpectedText(cut(text))));
            }
            self.close();
            return Ok(None);
        }
        if let Some(child) = self.simple_element() {
            return Ok(Some(child));
        }
        if self.fast_end_tag() {
            self.close();
            return Ok(None);
        }
        loop {
            match self.read_event()? {
                Event::Start(start) => return self.open(start, false).map(Some),
                Event::Empty(start) => return self.open(start, true).map(Some),
                Event::End(_) => {
                    self.close();
                    return Ok(None);
                }
                Event::Text(text) => {
                    if !text.trim().is_empty() {
                        return Err(self.error(DecodeErrorKind::UnexpectedText(cut(&text))));
                    }
                }
                Event::CData(c) => {
                    if !c.trim().is_empty() {
                        return Err(self.error(DecodeErrorKind::UnexpectedText(cut(&c))));
                    }
                }
                Event::GeneralRef(r) => {
                    return Err(self.error(DecodeErrorKind::UnexpectedText(format!("&{};", &*r))));
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    fn close(&mut self) {
        self.pop_bindings(self.depth);
        self.depth = self.depth.saturating_sub(1);
    }

    /// Reads the text content of `element` up to its end tag, resolving entity and character
    /// references. Borrowed from the input when no reference needs resolving.
    pub fn read_text(&mut self, element: &Element<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if element.empty {
            self.settle_empty(element);
            return Ok(Cow::Borrowed(""));
        }
        if let Some(text) = element.text {
            // Errors are placed where quick-xml's events would place them: at the text, then
            // (for the caller's value errors) at the end tag.
            let text_start = self.offset_of(text);
            self.last_event_start = text_start;
            let content = self.text_content(BytesText::from_escaped(text))?;
            self.last_event_start = text_start + text.len();
            // No attributes, so no namespace bindings of its own to pop.
            self.depth -= 1;
            return Ok(content);
        }
        // The common case, `<x>text</x>`: one text event, then the end tag.
        let mut out: Option<Cow<'a, str>> = None;
        let mut pending = Some(self.read_event()?);
        if let Some(Event::Text(text)) = pending {
            let content = self.text_content(text)?;
            match self.read_event()? {
                Event::End(_) => {
                    self.close();
                    return Ok(content);
                }
                next => pending = Some(next),
            }
            out = Some(content);
        }
        loop {
            let event = match pending.take() {
                Some(event) => event,
                None => self.read_event()?,
            };
            match event {
                Event::Text(text) => append(&mut out, self.text_content(text)?),
                Event::CData(c) => append(&mut out, self.xml_chars(c.xml10_content())?),
                Event::GeneralRef(r) => {
                    let c = self.resolve_ref(&r)?;
                    let mut buf = [0u8; 4];
                    append(&mut out, Cow::Owned(c.encode_utf8(&mut buf).to_owned()));
                }
                Event::End(_) => {
                    self.close();
                    return Ok(out.unwrap_or(Cow::Borrowed("")));
                }
                Event::Start(start) | Event::Empty(start) => {
                    let name = start.name().0.to_owned();
                    return Err(self.error(DecodeErrorKind::UnexpectedChild(name)));
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    /// A text event's content, line ends normalised (`\r\n` and `\r` to `\n`) and checked by
    /// [`Self::xml_chars`]. One scan ([`needs_care`]) decides whether either can apply: a byte below 0x20
    /// other than tab and line feed (a CR or a control character), or 0xEF (the lead byte of
    /// U+FFFE and U+FFFF). Most texts have none and are handed out borrowed, without the
    /// per-text memchr setup of `xml10_content` and the per-character decoding of the check.
    #[inline]
    fn text_content(&self, text: BytesText<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if needs_care(text.as_bytes()) { self.xml_chars(text.xml10_content()) } else { Ok(text.into_inner()) }
    }

    /// Refuses text holding a character XML 1.0 does not allow (raw U+0000..U+001F other than
    /// tab, CR and LF; U+FFFE; U+FFFF): the encoder refuses to send them, so the decoder does
    /// not hand them out either.
    fn xml_chars<'t>(&self, text: Cow<'t, str>) -> Result<Cow<'t, str>, DecodeError> {
        match text.chars().find(|c| !is_xml_char(*c)) {
            None => Ok(text),
            Some(c) => Err(self.error(DecodeErrorKind::Malformed(format!(
                "character U+{:04X} is not allowed in XML 1.0",
                u32::from(c)
            )))),
        }
    }

    fn resolve_ref(&self, r: &BytesRef<'_>) -> Result<char, DecodeError> {
        let name: &str = r;
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) if is_xml_char(c) => Ok(c),
                _ => Err(self.error(DecodeErrorKind::InvalidCharRef(name.to_owned()))),
            };
        }
        match name {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            _ => Err(self.error(DecodeErrorKind::UnknownEntity(cut(name)))),
        }
    }

    /// Skips `element` and everything inside it.
    pub fn skip(&mut self, element: &Element<'a>) -> Result<(), DecodeError> {
        if element.empty {
            self.settle_empty(element);
            return Ok(());
        }
        if element.text.is_some() {
            self.close();
            return Ok(());
        }
        let mut nested = 0usize;
        loop {
            match self.read_event()? {
                Event::Start(_) => {
                    nested += 1;
                    if self.depth + nested > self.max_depth {
                        return Err(self.error(DecodeErrorKind::TooDeep(self.max_depth)));
                    }
                }
                Event::End(_) => {
                    if nested == 0 {
                        self.close();
                        return Ok(());
                    }
                    nested -= 1;
                }
                Event::GeneralRef(r) => {
                    self.resolve_ref(&r)?;
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                _ => {}
            }
        }
    }

    /// Reads the rest of the document after the root element closed: only comments,
    /// processing instructions and whitespace may follow.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        loop {
            match self.read_event()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(s) | Event::Empty(s) => {
                    let name = s.name().0.to_owned();
                    return Err(self
                        .error(DecodeErrorKind::Malformed(format!("content after the document element: `<{name}>`"))));
                }
                _ => {
                    return Err(self.error(DecodeErrorKind::Malformed("content after the document element".to_owned())));
                }
            }
        }
    }

    /// Decodes `element`'s content as `T`.
    pub fn decode<T: super::XmlContent>(&mut self, element: &Element<'a>) -> Result<T, DecodeError> {
        T::decode_content(self, element)
    }

    /// Decodes a single-valued child into `slot`, failing if it was already set.
    pub fn decode_once<T: super::XmlContent>(
        &mut self,
        slot: &mut Option<T>,
        element: &Element<'a>,
        name: &'static str,
        parent: &'static str,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            if self.first_wins {
                return self.skip(element);
            }
            return Err(self.error(DecodeErrorKind::DuplicateElement { element: name, parent }));
        }
        if element.nil {
            return Err(self.error(DecodeErrorKind::UnexpectedNil(name.to_owned())));
        }
        *slot = Some(T::decode_content(self, element)?);
        Ok(())
    }

    /// Decodes an optional (not nillable) child: a stray `xsi:nil="true"` reads as absent.
    pub fn decode_optional_once<T: super::XmlContent>(
        &mut self,
        slot: &mut Option<T>,
        seen: &mut bool,
        element: &Element<'a>,
        name: &'static str,
        parent: &'static str,
    ) -> Result<(), DecodeError> {
        if *seen {
            if self.first_wins {
                return self.skip(element);
            }
            return Err(self.error(DecodeErrorKind::DuplicateElement { element: name, parent }));
        }
        *seen = true;
        if element.nil {
            return self.skip(element);
        }
        *slot = Some(T::decode_content(self, element)?);
        Ok(())
    }

    /// Decodes a nillable single-valued child into `slot` (`Some(None)` for nil).
    pub fn decode_nillable_once<T: super::XmlContent>(
        &mut self,
        slot: &mut Option<Option<T>>,
        element: &Element<'a>,
        name: &'static str,
        parent: &'static str,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            if self.first_wins {
                return self.skip(element);
            }
            return Err(self.error(DecodeErrorKind::DuplicateElement { element: name, parent }));
        }
        if element.nil {
            self.skip(element)?;
            *slot = Some(None);
        } else {
            *slot = Some(Some(T::decode_content(self, element)?));
        }
        Ok(())
    }

    /// Decodes one item of a repeated child into `items`. A nil item carries no data: it is
    /// skipped when the element is nillable and an error otherwise.
    pub fn decode_item<T: super::XmlContent>(
        &mut self,
        items: &mut Vec<T>,
        element: &Element<'a>,
        name: &'static str,
        nillable: bool,
    ) -> Result<(), DecodeError> {
        if element.nil {
            if nillable {
                return self.skip(element);
            }
            return Err(self.error(DecodeErrorKind::UnexpectedNil(name.to_owned())));
        }
        items.push(T::decode_content(self, element)?);
        Ok(())
    }

    /// Decodes an array wrapper child into `slot` (`Some(None)` when nil), failing if it was
    /// already set.
    #[allow(clippy::too_many_arguments)]
    pub fn decode_array_once<T: super::XmlContent>(
        &mut self,
        slot: &mut Option<Option<Vec<T>>>,
        element: &Element<'a>,
        item_ns: &str,
        item_name: &str,
        name: &'static str,
        parent: &'static str,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            if self.first_wins {
                return self.skip(element);
            }
            return Err(self.error(DecodeErrorKind::DuplicateElement { element: name, parent }));
        }
        if element.nil {
            self.skip(element)?;
            *slot = Some(None);
        } else {
            *slot = Some(Some(super::decode_array(self, element, item_ns, item_name)?));
        }
        Ok(())
    }

    /// Unwraps a required field after the child loop, or fails naming it.
    pub fn required<T>(&self, slot: Option<T>, name: &'static str, parent: &'static str) -> Result<T, DecodeError> {
        slot.ok_or_else(|| self.error(DecodeErrorKind::MissingElement { element: name, parent }))
    }
}

/// A leaf [`XmlReader::next_leaf`] found, for [`XmlReader::leaf_value`]: its text as written
/// (no references, no markup), and whether the scan that found its end saw a byte that line-end
/// normalisation or the XML character check may act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf<'a> {
    text: &'a str,
    may_need_care: bool,
}

impl<'a> Leaf<'a> {
    /// The text between the leaf's tags, as written.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// An element name [`XmlReader::next_leaf`] looks for: one the generic fast path reads whole
/// (a letter or `_`, then ASCII letters, digits and `_-.`), with no prefix. Checked when
/// built, so generated code builds it in a `const` and a bad name fails to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeafName(&'static str);

impl LeafName {
    /// `name`, checked. Panics (at compile time, in a `const`) for any other name.
    pub const fn new(name: &'static str) -> LeafName {
        let bytes = name.as_bytes();
        assert!(
            !bytes.is_empty() && (bytes[0].is_ascii_alphabetic() || bytes[0] == b'_'),
            "a leaf name starts with an ASCII letter or `_`"
        );
        let mut i = 0;
        while i < bytes.len() {
            assert!(
                NAME_BYTE[bytes[i] as usize] && bytes[i] != b':',
                "a leaf name holds only ASCII letters, digits and `_-.`"
            );
            i += 1;
        }
        LeafName(name)
    }

    /// The name.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// `a == b` for the short slices of names: two overlapping words, or bytes below four, instead
/// of a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let half = |s: &[u8], at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_le_bytes(w)
    };
    match n {
        0..4 => a == b,
        4..8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// Whether an attribute name declares a namespace (`xmlns` or `xmlns:p`).
fn is_namespace_declaration(key: &str) -> bool {
    key == "xmlns" || key.starts_with("xmlns:")
}

/// Most attributes [`simple_attributes`] reads from one start tag; a tag with more is read
/// through quick-xml's iterator.
const SIMPLE_ATTRIBUTES: usize = 8;

/// The attributes of a start tag (`raw`, the text after its name) without quick-xml's iterator,
/// when every one is `name="value"` or `name='value'` after white space: a name of the fast
/// path's bytes starting with a letter or `_`, no space around `=`, a value with no `<`, `&`,
/// tab, line feed or carriage return (so that it is its own normalised value), no name twice,
/// at most [`SIMPLE_ATTRIBUTES`] of them. The count put in `out`, or `None` for anything
/// else, which quick-xml then reads with its checks and errors: the start tags of a SOAP
/// envelope (`xmlns:soap="…"`, `xmlns="…"`, `xsi:nil="true"`) are read here, once per
/// document, where quick-xml's iterator would allocate and check each one.
fn simple_attributes<'a>(raw: &'a str, out: &mut [(&'a str, &'a str); SIMPLE_ATTRIBUTES]) -> Option<usize> {
    let bytes = raw.as_bytes();
    let mut at = 0;
    let mut count = 0;
    loop {
        let space = bytes[at..].iter().position(|&b| !is_xml_space(b)).unwrap_or(bytes.len() - at);
        at += space;
        if at == bytes.len() {
            return Some(count);
        }
        if space == 0 || count == SIMPLE_ATTRIBUTES || !(bytes[at].is_ascii_alphabetic() || bytes[at] == b'_') {
            return None;
        }
        let name_len = bytes[at..].iter().position(|&b| !NAME_BYTE[usize::from(b)])?;
        let key = raw.get(at..at + name_len)?;
        at += name_len;
        let quote = match bytes.get(at..at + 2)? {
            [b'=', q @ (b'"' | b'\'')] => *q,
            _ => return None,
        };
        at += 2;
        // The closing quote, unless a reference or markup comes first; then no white space
        // that normalisation would change.
        let value_len = memchr::memchr3(quote, b'&', b'<', &bytes[at..]).filter(|&n| bytes[at + n] == quote)?;
        let value = raw.get(at..at + value_len)?;
        if memchr::memchr3(b'\t', b'\n', b'\r', value.as_bytes()).is_some()
            || out[..count].iter().any(|(k, _)| *k == key)
        {
            return None;
        }
        out[count] = (key, value);
        count += 1;
        at += value_len + 1;
    }
}

/// XML's white space: space, tab, line feed, carriage return.
#[inline]
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The bytes the fast path accepts in a name: ASCII letters, digits, `_`, `-`, `.` and `:`.
/// Other names (XML allows many more characters) are read through quick-xml.
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':');
        b += 1;
    }
    table
};

/// Whether text holds a byte [`XmlReader::text_content`] must look at: below 0x20 other than
/// tab and line feed, or 0xEF. Eight bytes at a time (the "has a byte less than n" and "has a
/// zero byte" word tricks, both exact for whether any byte matches); a word that may hold one
/// is checked byte by byte, so tabs and line feeds cost only their own word. The tail is one
/// more word overlapping the last full one, and a text of 4 to 7 bytes is two overlapping
/// halves: most values are short, and a byte loop over them costs more than the words.
#[inline]
fn needs_care(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let care = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0xEF;
    let may_care = |x: u64| {
        let below_0x20 = x.wrapping_sub(0x20 * ONES) & !x & HIGHS;
        let y = x ^ (0xEF * ONES);
        let is_0xef = y.wrapping_sub(ONES) & !y & HIGHS;
        (below_0x20 | is_0xef) != 0
    };
    let word = |chunk: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        u64::from_le_bytes(w)
    };
    let half = |chunk: &[u8]| {
        let mut w = [0u8; 4];
        w.copy_from_slice(chunk);
        u64::from(u32::from_le_bytes(w))
    };
    let n = bytes.len();
    if n < 4 {
        return bytes.iter().any(|&b| care(b));
    }
    if n < 8 {
        // First and last four bytes (they overlap when n < 8): every byte is in one of them.
        let (head, tail) = (&bytes[..4], &bytes[n - 4..]);
        let x = half(head) | (half(tail) << 32);
        return may_care(x) && bytes.iter().any(|&b| care(b));
    }
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        if may_care(word(chunk)) && chunk.iter().any(|&b| care(b)) {
            return true;
        }
    }
    if words.remainder().is_empty() {
        return false;
    }
    let last = &bytes[n - 8..];
    may_care(word(last)) && last.iter().any(|&b| care(b))
}

/// Where the text at the start of `bytes` ends: the offset of its first `<` or `&` (`None`
/// when it has neither), and whether a byte before that may need [`needs_care`]'s attention
/// (`false` is exact; `true` may also be a tab or a line feed, which [`needs_care`] then
/// clears). One pass, eight bytes at a time, instead of a `memchr2` (whose setup costs more
/// than the short texts of most values) followed by [`needs_care`]. The word tricks are those of
/// [`needs_care`]: a flagged byte may be wrong only above a truly flagged one, so the lowest
/// `<` or `&` is exact, and a care flag below it means a byte that may need care is there.
#[inline]
fn text_end(bytes: &[u8]) -> Option<(usize, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |y: u64| y.wrapping_sub(ONES) & !y & HIGHS;
    let mut care = false;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        let stops = zero_bytes(x ^ (u64::from(b'<') * ONES)) | zero_bytes(x ^ (u64::from(b'&') * ONES));
        let cares = (x.wrapping_sub(0x20 * ONES) & !x & HIGHS) | zero_bytes(x ^ (0xEF * ONES));
        if stops != 0 {
            let first = stops.trailing_zeros();
            // The care flags of the bytes before the first stop: the bits below its byte.
            let before = cares & ((1u64 << first) - 1);
            return Some((at + first as usize / 8, care || before != 0));
        }
        care |= cares != 0;
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b'<' || b == b'&' {
            return Some((at + i, care));
        }
        care |= b < 0x20 || b == 0xEF;
    }
    None
}

fn append<'a>(out: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match out {
        None => *out = Some(piece),
        Some(existing) => existing.to_mut().push_str(&piece),
    }
}

fn cut(s: &str) -> String {
    let mut out: String = s.chars().take(64).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Whether `c` is allowed in an XML 1.0 document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Line, column and element path of a byte offset. Only called when building an error, so
/// the hot path keeps no path stack: the document is re-read up to the offset instead.
pub fn locate(input: &str, offset: usize) -> Location {
    let offset = offset.min(input.len());
    let offset = (0..=offset).rev().find(|&i| input.is_char_boundary(i)).unwrap_or(0);
    let before = &input[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Location {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        path: path_at(input, offset),
    }
}

fn path_at(input: &str, offset: usize) -> String {
    // (local name, index among same-named siblings) for each open element, plus, per level,
    // the counts of child names seen so far.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut counts: Vec<HashMap<String, usize>> = vec![HashMap::new()];
    let mut reader = Reader::from_str(input);
    reader.config_mut().check_end_names = false;
    let mut last_closed: Option<(String, usize)> = None;
    while usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX) <= offset {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => break,
        };
        if usize::try_from(before).unwrap_or(usize::MAX) >= offset {
            // The event at the offset itself: name it if it opens an element; an end tag there
            // still belongs to the element it closes, so nothing is popped.
            if let Event::Start(s) | Event::Empty(s) = &event {
                let local = local_of(s.name().0);
                let index = count_sibling(counts.last_mut(), &local);
                stack.push((local, index));
            }
            break;
        }
        match event {
            Event::Start(s) => {
                let local = local_of(s.name().0);
                let index = count_sibling(counts.last_mut(), &local);
                stack.push((local, index));
                counts.push(HashMap::new());
                last_closed = None;
            }
            Event::Empty(s) => {
                let local = local_of(s.name().0);
                let index = count_sibling(counts.last_mut(), &local);
                last_closed = Some((local, index));
            }
            Event::End(_) => {
                last_closed = stack.pop();
                counts.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        if stack.len() > 1024 {
            break;
        }
    }
    let _ = last_closed;
    let mut path = String::new();
    for (i, (name, index)) in stack.iter().enumerate() {
        if i > 0 {
            path.push('/');
        }
        path.push_str(name);
        if *index > 1 {
            path.push_str(&format!("[{index}]"));
        }
    }
    path
}

fn local_of(qname: &str) -> String {
    match qname.find(':') {
        Some(i) => qname[i + 1..].to_owned(),
        None => qname.to_owned(),
    }
}

fn count_sibling(level: Option<&mut HashMap<String, usize>>, local: &str) -> usize {
    // A map, not a list: a document with a million distinct sibling names must not make
    // locating an error quadratic.
    let Some(level) = level else { return 1 };
    match level.get_mut(local) {
        Some(n) => {
            *n += 1;
            *n
        }
        None => {
            level.insert(local.to_owned(), 1);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LeafName, XmlReader, needs_care, same_bytes, text_end};

    /// Reads a whole document the way generated decoders do and records what it saw: names
    /// with their namespaces, texts, raw contents, or the error (kind and location). Leaves
    /// are read as text, `S…` elements skipped, `R…` elements captured raw, the rest walked.
    fn walk(input: &str, fast_path: bool) -> (Vec<String>, usize) {
        fn children<'a>(
            r: &mut XmlReader<'a>,
            parent: &super::Element<'a>,
            out: &mut Vec<String>,
        ) -> Result<(), super::DecodeError> {
            while let Some(child) = r.next_child(parent)? {
                let name = child.local_name().to_owned();
                let nil = if child.is_nil() { " nil" } else { "" };
                out.push(format!("<{{{}}}{name}{nil} at {}>", r.namespace(&child), r.last_event_offset()));
                if name.starts_with('S') {
                    r.skip(&child)?;
                } else if name.starts_with('R') {
                    out.push(format!("raw {:?}", r.read_raw_content(&child)?));
                } else if name.starts_with(|c: char| c.is_ascii_lowercase()) || name == "ID" || name == "Name" {
                    out.push(format!("text {:?}", r.read_text(&child)?));
                } else {
                    children(r, &child, out)?;
                }
                out.push(format!("</{name} at {}>", r.offset()));
            }
            Ok(())
        }
        let mut r = if fast_path { XmlReader::new(input) } else { XmlReader::new(input).without_fast_paths() };
        let mut out = Vec::new();
        let result = r.root().and_then(|root| children(&mut r, &root, &mut out)).and_then(|()| r.finish());
        if let Err(e) = result {
            out.push(format!("error {e}"));
        }
        (out, r.skipped)
    }

    const DOCUMENT: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soap:Body><Out xmlns=\"urn:t\"><List><Item><ID>7</ID><Name>Entry &amp; plan</Name><when>2024-01-31T10:00:00.1234567-05:00</when><note xsi:nil=\"true\" /><empty></empty><Validate /><v/><w  /><Skip><x>1</x></Skip><Raw>a<b>c</b>d</Raw><Rtext>plain</Rtext><code>caf\u{e9} \u{1d11e}</code></Item>\r\n  <Item><ID>8</ID><Name>Two</Name><soap:qual>q</soap:qual><line>a\r\nb</line><Stext>s</Stext></Item></List></Out></soap:Body></soap:Envelope>";

    /// The fast path reads what quick-xml's events read, and fails where and how they fail:
    /// on a sample response, on edge cases, and on every single-byte change of the sample
    /// to a byte that matters to the fast path.
    #[test]
    fn fast_path_matches_quick_xml_events() {
        let mut inputs: Vec<String> = vec![
            DOCUMENT.to_owned(),
            "<a><b>x</c></a>".to_owned(),
            "<a><b>x</b ></a>".to_owned(),
            "<a><b>x</bb></a>".to_owned(),
            "<a><b>x</b></a>trailing".to_owned(),
            "<a> <b>x</b> text <c>y</c></a>".to_owned(),
            "<a><p:b>x</p:b></a>".to_owned(),
            "<a xmlns:p=\"urn:p\"><p:b>x</p:b><:b>y</:b><p:>z</p:><p:b:c>w</p:b:c></a>".to_owned(),
            "<a><ID>1<!-- c --></ID><ID><![CDATA[2]]></ID><ID>3&#x41;</ID></a>".to_owned(),
            "<a><ID>\u{1}</ID></a>".to_owned(),
            "<a><ID>\u{FFFE}</ID></a>".to_owned(),
            "<a><List>  not whitespace </List></a>".to_owned(),
            "<a><List>\u{a0}</List></a>".to_owned(),
            "<a><ID>x</ID>".to_owned(),
            "<a><ID>x</ID".to_owned(),
            "<a><ID>x".to_owned(),
            "<a><1ID>x</1ID></a>".to_owned(),
            "<a><ID>></ID></a>".to_owned(),
            "<a><V/><V /><V a=\"1\"/><V/ ><V//><p:V/><:V/><V/></a>".to_owned(),
            "<a xmlns:p=\"urn:p\"><p:V/><p:V\t/></a>".to_owned(),
            concat!(
                "<a xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:p=\"urn:p\">",
                "<n i:nil=\"true\" /><n i:nil='true'/><n i:nil=\"true\"/><n i:nil=\"1\" /><n i:nil=\"false\" />",
                "<n p:nil=\"true\" /><n q:nil=\"true\" /><n nil=\"true\" /><n i:nil=\"true\" x=\"1\" />",
                "<n i:nil=\"true\" i:nil=\"true\" /><n i:nil=\"true\"><n i:nil=\"true\" / ><n :nil=\"true\" /></a>",
            )
            .to_owned(),
        ];
        // Document elements after a declaration, a comment or a processing instruction, and
        // children after comments and CDATA sections (quick-xml reads text after any markup).
        for document in [
            "<?xml version=\"1.0\"?>\n<!-- c --><a><ID>1</ID></a>",
            "<?xml version=\"1.0\"?><?pi x?><a><!--c--><ID>1</ID><![CDATA[ ]]><ID>2</ID><![CDATA[x]]></a>",
            "<?xml version=\"1.0\"?><a>text</a>",
            "<?xml version=\"1.0\"?><a>text</a><!-- after --><b/>",
            "<?xml version=\"1.0\"?><a/>",
            "<?xml version=\"1.0\"?>  <a xmlns=\"urn:a\" xmlns:p=\"urn:p\"><p:b/><ID>x</ID></a>",
            "<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>",
            "<!-- c --><a><ID>1</ID></a>",
        ] {
            inputs.push(document.to_owned());
        }
        // End tags of elements whose start tag the fast path read: after white space, a
        // comment, text or a reference, with space before `>`, mismatched, unmatched.
        for content in [
            "<List>\n  <Item>\n    <ID>1</ID>\n  </Item>\n</List>",
            "<List><Item><ID>1</ID><!-- c --></Item><?pi x?></List>",
            "<List><Item><ID>1</ID>text</Item>&amp;</List>",
            "<List><Item><ID>1</ID></Item ></List\t>",
            "<List><Item><ID>1</ID></Itemx></List>",
            "<List><Item><ID>1</ID></Item></List></List>",
            "<List><Item><ID>1</ID></List></Item>",
            "<List><Skip><Item><b>1</b></Item>x</Skip><Raw><Item><b>1</b></Item> </Raw><Rtext><x/>t</Rtext></List>",
            "<List><Item a='1' b=\"2\"><ID>1</ID></Item><Item a=\"x>y\"><ID>2</ID></Item></List>",
            "<List><p:Item xmlns:p=\"urn:p\"><p:ID>1</p:ID></p:Item><q:Item><ID>1</ID></q:Item></List>",
        ] {
            inputs.push(format!("<a>{content}</a>"));
            inputs.push(format!("<a>{content}</a></b>"));
        }
        // Start tags whose attributes the reader reads itself, and those it leaves to quick-xml.
        for attrs in [
            r#" xmlns="urn:a" xmlns:p='urn:p'"#,
            " xmlns=\"urn:a\"  \t\r\n xmlns:p=\"urn:p\" \n",
            r#" xmlns = "urn:a""#,
            r#" xmlns="urn:a"xmlns:p="urn:p""#,
            r#" xmlns="urn:a" xmlns="urn:b""#,
            r#" xmlns:p="urn:p" xmlns:p="urn:q""#,
            r#" xmlns="urn:&amp;a" xmlns:p="urn:&#x70;""#,
            " xmlns=\"urn:\ta\" xmlns:p=\"urn:\r\np\"",
            r#" xmlns="urn:<a""#,
            r#" xmlns="urn:a"#,
            r#" xmlns=urn:a"#,
            r#" xmlns:="urn:a""#,
            r#" xmlns:p="" xmlns:q="urn:q""#,
            r#" x1="1" x2="2" x3="3" x4="4" x5="5" x6="6" x7="7" x8="8" xmlns:p="urn:p""#,
            r#" x1="1" x2="2" x3="3" x4="4" x5="5" x6="6" x7="7" xmlns:p="urn:p""#,
            r#" é="1" xmlns:p="urn:p""#,
            r#" 1x="1" xmlns:p="urn:p""#,
        ] {
            inputs.push(format!(
                "<a{attrs}><p:b>x</p:b><c>y</c><d xmlns:i=\"{XSI}\"><e i:nil=\"true\"></e></d></a>",
                XSI = super::XSI_NS
            ));
            inputs.push(format!("<a{attrs}/>"));
        }
        let nested: String = (0..130).map(|_| "<L>").collect::<String>() + "<ID>x</ID>";
        inputs.push(nested);
        let bytes = DOCUMENT.as_bytes();
        for at in 0..bytes.len() {
            for b in [b'<', b'>', b'/', b'&', b' ', b':', b'x', b'\r', 0x01] {
                let mut changed = bytes.to_vec();
                changed[at] = b;
                if let Ok(text) = String::from_utf8(changed) {
                    inputs.push(text);
                }
            }
            let mut removed = bytes.to_vec();
            removed.remove(at);
            if let Ok(text) = String::from_utf8(removed) {
                inputs.push(text);
            }
        }
        assert!(inputs.len() > 5_000);
        for input in &inputs {
            let ((fast, _), (events, skipped)) = (walk(input, true), walk(input, false));
            assert_eq!(fast, events, "input: {input:?}");
            assert_eq!(skipped, 0);
        }
        // The sample is read, and mostly by the fast path.
        let (seen, skipped) = walk(DOCUMENT, true);
        assert!(!seen.iter().any(|l| l.starts_with("error")), "{seen:?}");
        assert!(seen.contains(&"text \"Entry & plan\"".to_owned()), "{seen:?}");
        assert!(seen.contains(&"raw \"a<b>c</b>d\"".to_owned()), "{seen:?}");
        assert!(seen.contains(&"text \"a\\nb\"".to_owned()), "{seen:?}");
        assert!(skipped > DOCUMENT.len() / 5, "the fast path stepped over only {skipped} bytes");
    }

    /// `is_in` remembers its last match by binding index: a binding popped and another pushed
    /// at the same index must not inherit the answer.
    #[test]
    fn namespace_match_cache_follows_rebinding() {
        const NS1: &str = "urn:1";
        const NS2: &str = "urn:2";
        let doc =
            r#"<r><a xmlns="urn:1"><b>x</b><c/></a><a xmlns="urn:2"><b>y</b></a><p:a xmlns:p="urn:1"><p:b/></p:a></r>"#;
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap_or_else(|e| panic!("{e}"));
        let mut seen = Vec::new();
        while let Some(a) = r.next_child(&root).unwrap_or_else(|e| panic!("{e}")) {
            while let Some(b) = r.next_child(&a).unwrap_or_else(|e| panic!("{e}")) {
                seen.push((b.local_name().to_owned(), r.is_in(&b, NS1), r.is_in(&b, NS2), r.is_in(&b, "")));
                r.skip(&b).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let expected = [
            ("b", true, false, false),
            ("c", true, false, false),
            ("b", false, true, false),
            ("b", true, false, false),
        ];
        let expected: Vec<_> = expected.iter().map(|&(n, x, y, z)| (n.to_owned(), x, y, z)).collect();
        assert_eq!(seen, expected);
        assert!(r.is_in(&root, ""), "an unqualified element is in no namespace");
    }

    /// Reads the children of a document's root as a generated decoder expecting `ns:ID`
    /// then `ns:Name` does: the leaf path first (when `fast`), then by name. What it saw,
    /// with offsets, or the error.
    fn expect_leaves(input: &str, ns: &str, max_depth: usize, fast: bool) -> Vec<String> {
        let mut r = XmlReader::with_max_depth(input, max_depth);
        if !fast {
            r = r.without_fast_paths();
        }
        let mut out = Vec::new();
        let names = [LeafName::new("ID"), LeafName::new("Name")];
        let result = (|| -> Result<(), super::DecodeError> {
            let root = r.root()?;
            let mut next = 0;
            loop {
                if let Some(text) = names.get(next).and_then(|&name| r.next_leaf(&root, ns, name)) {
                    let value: String = r.leaf_value(text)?;
                    out.push(format!("leaf {value:?} at {} to {}", r.last_event_offset(), r.offset()));
                    next += 1;
                    continue;
                }
                let Some(child) = r.next_child(&root)? else { break };
                let name = child.local_name().to_owned();
                match names.iter().position(|n| n.as_str() == name) {
                    Some(i) if r.is_in(&child, ns) => {
                        let value = r.read_text(&child)?;
                        out.push(format!("child {value:?} at {} to {}", r.last_event_offset(), r.offset()));
                        next = i + 1;
                    }
                    _ => {
                        r.skip(&child)?;
                        out.push(format!("skipped {name} to {}", r.offset()));
                    }
                }
            }
            r.finish()
        })();
        if let Err(e) = result {
            out.push(format!("error {e}"));
        }
        // What the two paths may differ in: how the value was found.
        out.iter().map(|line| line.replacen("leaf ", "", 1).replacen("child ", "", 1)).collect()
    }

    /// The leaf path reads what the generic path reads, leaves the reader where it would, and
    /// fails as it would: namespaces, names near the expected one, texts it must leave to
    /// quick-xml, broken end tags, and the depth limit.
    #[test]
    fn next_leaf_matches_the_generic_path() {
        let documents = [
            "<a xmlns=\"urn:t\"><ID>1</ID><Name>x</Name></a>",
            "<a xmlns=\"urn:t\">\n  <ID>1</ID>\n  <Name>x</Name>\n</a>",
            "<p:a xmlns:p=\"urn:t\"><ID>1</ID><p:ID>2</p:ID><Name>x</Name></p:a>",
            "<p:a xmlns:p=\"urn:t\" xmlns=\"urn:t\"><ID>1</ID></p:a>",
            "<a xmlns=\"urn:t\"><b xmlns=\"\"><ID>1</ID></b><ID>2</ID></a>",
            "<a><ID>1</ID><Name>x</Name></a>",
            "<a xmlns=\"urn:t\"><IDx>1</IDx><I>1</I><id>1</id><ID>2</ID></a>",
            "<a xmlns=\"urn:t\"><ID>a &amp; b</ID><Name><![CDATA[c]]></Name></a>",
            "<a xmlns=\"urn:t\"><ID>a\r\nb</ID><Name>\u{1}</Name></a>",
            "<a xmlns=\"urn:t\"><ID></ID><Name/></a>",
            "<a xmlns=\"urn:t\"><ID>1</IDx></a>",
            "<a xmlns=\"urn:t\"><ID>1</ID ></a>",
            "<a xmlns=\"urn:t\"><ID >1</ID></a>",
            "<a xmlns=\"urn:t\"><ID x=\"1\">1</ID></a>",
            "<a xmlns=\"urn:t\"><ID>1<ID></a>",
            "<a xmlns=\"urn:t\"><ID>1",
            "<a xmlns=\"urn:t\"><ID>1</ID",
            "<a xmlns=\"urn:t\"><ID>1</ID><Name>x</Name></a>trailing",
            "<a xmlns=\"urn:t\" />",
            "<a xmlns=\"urn:t\">text<ID>1</ID></a>",
        ];
        for document in documents {
            for ns in ["urn:t", "", "urn:other"] {
                for max_depth in [1, 2, 128] {
                    assert_eq!(
                        expect_leaves(document, ns, max_depth, true),
                        expect_leaves(document, ns, max_depth, false),
                        "{document} expecting {{{ns}}}ID, max depth {max_depth}"
                    );
                }
            }
        }
        // The leaf path is taken where it can be.
        let mut r = XmlReader::new("<a xmlns=\"urn:t\"><ID>1</ID></a>");
        let root = r.root().expect("root");
        assert_eq!(r.next_leaf(&root, "urn:t", LeafName::new("ID")).map(|l| l.text()), Some("1"));
    }

    #[test]
    fn same_bytes_is_slice_equality() {
        let text = b"abcdefghijklmnopqrstuvwxyz";
        for n in 0..=20 {
            for change in 0..n {
                let a = &text[..n];
                let mut b = a.to_vec();
                assert!(same_bytes(a, &b));
                b[change] ^= 1;
                assert!(!same_bytes(a, &b), "{n} {change}");
            }
            assert!(!same_bytes(&text[..n], &text[..n + 1]));
        }
    }

    #[test]
    fn text_end_matches_bytewise() {
        let bytewise = |bytes: &[u8]| {
            let end = bytes.iter().position(|&b| b == b'<' || b == b'&')?;
            Some((end, needs_care(&bytes[..end])))
        };
        // Every byte value at every place of texts up to three words long, with the stop
        // before, at or after it, or none.
        for len in 0..26usize {
            for at in 0..len {
                for stop in [None, Some(0), Some(at / 2), Some(at + 1), Some(len - 1)] {
                    for b in 0..=255u8 {
                        let mut text = vec![b'a'; len];
                        if let Some(s) = stop.filter(|&s| s < len && s != at) {
                            text[s] = if s % 2 == 0 { b'<' } else { b'&' };
                        }
                        text[at] = b;
                        let ours = text_end(&text);
                        let exact = bytewise(&text);
                        assert_eq!(ours.map(|(end, _)| end), exact.map(|(end, _)| end), "{text:?}");
                        if let (Some((_, may)), Some((_, must))) = (ours, exact) {
                            // A byte that needs care is never missed; a tab or line feed may
                            // only ask for the exact check.
                            assert!(may || !must, "{text:?}");
                            let only_plain =
                                text[..exact.map_or(0, |(end, _)| end)].iter().all(|&c| c >= 0x20 && c != 0xEF);
                            assert!(!may || !only_plain, "{text:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn needs_care_matches_bytewise() {
        let care = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0xEF;
        for len in 0..20usize {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    assert_eq!(needs_care(&text), care(b), "byte {b:#x} at {at} of {len}");
                }
            }
        }
        assert!(!needs_care("Entry plan – café\tline\nnext ñandú 𝄞".as_bytes()));
        assert!(needs_care("a\r\nb".as_bytes()));
        assert!(needs_care("\u{FFFE}".as_bytes()));
    }
}
