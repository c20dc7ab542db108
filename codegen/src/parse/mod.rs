//! roxmltree documents to the [`crate::model`]: knows XML and namespaces, nothing of Rust.

mod wsdl;
mod xsd;

use roxmltree::Node;

use crate::diagnostics::{Diagnostic, Span};
use crate::model::QName;

pub use wsdl::parse_definitions;

pub(crate) const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";
pub(crate) const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
pub(crate) const SOAP11_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
pub(crate) const SOAP12_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// The namespace the `xml` prefix is bound to in every document (`xml:lang`, `xml:space`).
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A parsed file: its name (for spans) and document.
pub(crate) struct Source<'a, 'input> {
    pub file: &'a str,
    pub doc: &'a roxmltree::Document<'input>,
    /// Byte offset of the start of each line. Every node gets a span, and roxmltree's
    /// `text_pos_at` rescans the document from its start each time: quadratic in the file's
    /// size (85 s instead of 4 for a WSDL of 1 000 operations).
    line_starts: Vec<usize>,
}

impl<'a, 'input> Source<'a, 'input> {
    pub fn new(file: &'a str, doc: &'a roxmltree::Document<'input>) -> Self {
        let text = doc.input_text();
        let breaks = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1);
        let line_starts = std::iter::once(0).chain(breaks).collect();
        Source { file, doc, line_starts }
    }

    /// The 1-based line and column (in characters) of a node, as roxmltree's `text_pos_at`
    /// counts them, in O(log lines + line length).
    pub fn span(&self, node: Node<'_, '_>) -> Span {
        let text = self.doc.input_text();
        let mut pos = node.range().start.min(text.len());
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= pos);
        let start = self.line_starts[line - 1];
        let column = text[start..pos].chars().count() + 1;
        Span {
            file: self.file.to_owned(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// Resolves a `prefix:local` attribute value against the node's in-scope namespaces.
    pub fn qname(&self, node: Node<'_, '_>, attr: &str) -> Result<Option<QName>, Diagnostic> {
        let Some(value) = node.attribute(attr) else { return Ok(None) };
        let value = value.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        // `xml` is bound by definition (Namespaces in XML 1.0, section 3), declared or not.
        let ns = if prefix == Some("xml") { Some(XML_NS) } else { node.lookup_namespace_uri(prefix) };
        match ns {
            Some(ns) => Ok(Some(QName::new(ns, local))),
            None if prefix.is_none() => Ok(Some(QName::new("", local))),
            None => Err(Diagnostic::new(
                self.span(node),
                format!("{}/@{attr}", tag(node)),
                format!("prefix `{}` of `{value}` is not bound to a namespace", prefix.unwrap_or_default()),
            )
            .help("declare the prefix with xmlns:prefix=\"...\" on this element or an ancestor")),
        }
    }
}

/// `prefix:local`-style tag name for messages, using conventional prefixes.
pub(crate) fn tag(node: Node<'_, '_>) -> String {
    let name = node.tag_name();
    let prefix = match name.namespace() {
        Some(XS_NS) => "xs:",
        Some(WSDL_NS) => "wsdl:",
        Some(SOAP11_BINDING_NS) => "soap:",
        Some(SOAP12_BINDING_NS) => "soap12:",
        _ => "",
    };
    format!("{prefix}{}", name.name())
}

pub(crate) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

pub(crate) fn children<'a, 'input: 'a>(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(Node::is_element)
}

/// Collapsed text of `wsdl:documentation` / `xs:annotation/xs:documentation` children.
pub(crate) fn documentation(node: Node<'_, '_>) -> Option<String> {
    let mut parts = Vec::new();
    for child in children(node) {
        if is(child, WSDL_NS, "documentation") {
            parts.push(text_of(child));
        } else if is(child, XS_NS, "annotation") {
            for d in children(child).filter(|d| is(*d, XS_NS, "documentation")) {
                parts.push(text_of(d));
            }
        }
    }
    let text = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n");
    if text.is_empty() { None } else { Some(text) }
}

fn text_of(node: Node<'_, '_>) -> String {
    let raw: String = node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
    // Keep paragraph breaks, fold other whitespace.
    raw.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub(crate) fn parse_occurs(
    source: &Source<'_, '_>,
    node: Node<'_, '_>,
) -> Result<(u32, crate::model::MaxOccurs), Diagnostic> {
    use crate::model::MaxOccurs;
    let min = match node.attribute("minOccurs") {
        None => 1,
        Some(v) => v.trim().parse().map_err(|_| {
            Diagnostic::new(
                source.span(node),
                format!("{}/@minOccurs", tag(node)),
                format!("`{v}` is not a non-negative integer"),
            )
        })?,
    };
    let max = match node.attribute("maxOccurs").map(str::trim) {
        None => MaxOccurs::Bounded(1),
        Some("unbounded") => MaxOccurs::Unbounded,
        Some(v) => MaxOccurs::Bounded(v.parse().map_err(|_| {
            Diagnostic::new(
                source.span(node),
                format!("{}/@maxOccurs", tag(node)),
                format!("`{v}` is neither a non-negative integer nor `unbounded`"),
            )
        })?),
    };
    Ok((min, max))
}
