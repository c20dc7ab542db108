//! Bringing a live service description into the repository without losing its prose.
//!
//! A live `...asmx?WSDL` carries no documentation, while the committed description carries
//! the API reference's prose as `wsdl:documentation` and `xs:annotation` elements. This module
//! takes the live text as it is (only its line endings, byte order mark and final newline
//! follow the committed file) and puts every documentation element of the committed file back
//! on the item that still exists in the live one: the same operation, type, element or
//! enumeration value, found by its position among named ancestors, not by line numbers.
//!
//! The committed `soap:address` locations stay as they are (a production host name does not
//! belong in the repository; the client takes its URL from the caller).
//!
//! Items are keyed by their path of element names and `name` (or `value`) attributes, such as
//! `schema / complexType Package / sequence / element Frequency`, so prefixes, order of
//! unrelated items and whitespace do not matter. Synchronising a file with itself gives back
//! the same bytes.
//!
//! ```
//! let committed = engageip_codegen::SourceFile {
//!     path: "committed.wsdl".into(),
//!     text: r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
//!   <wsdl:portType name="P">
//!     <wsdl:operation name="Op">
//!       <wsdl:documentation>Does the thing.</wsdl:documentation>
//!       <wsdl:input message="In" />
//!     </wsdl:operation>
//!   </wsdl:portType>
//! </wsdl:definitions>"#.into(),
//! };
//! let live = engageip_codegen::SourceFile {
//!     path: "live.wsdl".into(),
//!     text: committed.text.replace("\n      <wsdl:documentation>Does the thing.</wsdl:documentation>", ""),
//! };
//! let synced = engageip_codegen::sync::carry_documentation(&committed, &live).expect("both parse");
//! assert_eq!(synced.text, committed.text);
//! assert!(synced.undocumented.is_empty() && synced.dropped.is_empty());
//! ```

use std::collections::BTreeMap;

use roxmltree::{Document, Node, ParsingOptions};

use crate::SourceFile;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The live description with the committed documentation carried over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    /// The text to write: the live description, documented.
    pub text: String,
    /// Items new in the live description that have no documentation (operations, types,
    /// elements, attributes, enumeration values), such as
    /// `schema Logisense_EngageIP / complexType Package / element TaxCode`: a maintainer adds
    /// their prose.
    pub undocumented: Vec<String>,
    /// Items the committed description documents that the live one no longer has: their prose
    /// is not carried anywhere.
    pub dropped: Vec<String>,
    /// Items whose prose was carried over although their declaration changed (another type,
    /// occurrence ...): check the prose still holds.
    pub changed: Vec<String>,
}

/// Carries every `wsdl:documentation` and `xs:annotation` of `committed` over to the items
/// of `live` that still exist, and returns `live` in the committed file's text conventions.
/// Documentation the live file has on items the committed one leaves undocumented is kept.
pub fn carry_documentation(committed: &SourceFile, live: &SourceFile) -> Result<Synced, Diagnostics> {
    let live_text = conventions(&live.text, &committed.text);
    let options = || ParsingOptions { allow_dtd: false, ..ParsingOptions::default() };
    let old_doc = Document::parse_with_options(&committed.text, options()).map_err(|e| xml_error(committed, &e))?;
    let new_doc = Document::parse_with_options(&live_text, options()).map_err(|e| xml_error(live, &e))?;

    let mut old_items = BTreeMap::new();
    collect(old_doc.root_element(), &mut Vec::new(), &mut old_items);
    let mut new_items = BTreeMap::new();
    collect(new_doc.root_element(), &mut Vec::new(), &mut new_items);

    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut synced = Synced { text: String::new(), undocumented: Vec::new(), dropped: Vec::new(), changed: Vec::new() };
    // Document order, so that lists read like the file.
    let mut in_order: Vec<(&Vec<String>, &Item)> = new_items.iter().collect();
    in_order.sort_by_key(|(_, item)| item.range.start);
    for (key, item) in in_order {
        let old = old_items.get(key);
        // The committed endpoint addresses stay (`http://localhost/...`): a production host name
        // does not belong in the repository, and the client takes its URL from the caller.
        if let (Some(Item { location: Some(committed_at), .. }), Some(live_at)) = (old, &item.location) {
            if committed.text[committed_at.clone()] != live_text[live_at.clone()] {
                edits.push((live_at.start, live_at.end, committed.text[committed_at.clone()].to_owned()));
            }
        }
        match old {
            Some(old) if !old.docs.is_empty() => {
                edits.push(document(&committed.text, old, &live_text, item));
                if old.attributes != item.attributes {
                    synced.changed.push(display(key));
                }
            }
            Some(_) => {}
            None if item.docs.is_empty() && documentable(key) => synced.undocumented.push(display(key)),
            None => {}
        }
    }
    let mut in_order: Vec<(&Vec<String>, &Item)> = old_items.iter().collect();
    in_order.sort_by_key(|(_, item)| item.range.start);
    for (key, item) in in_order {
        if !item.docs.is_empty() && !new_items.contains_key(key) {
            synced.dropped.push(display(key));
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut text = live_text.clone();
    for (start, end, replacement) in edits {
        text.replace_range(start..end, &replacement);
    }
    synced.text = text;
    Ok(synced)
}

/// `live` with the committed file's byte order mark (none), line endings and final newline.
fn conventions(live: &str, committed: &str) -> String {
    let mut text = live.strip_prefix('\u{feff}').unwrap_or(live).to_owned();
    if !committed.contains("\r\n") {
        text = text.replace("\r\n", "\n");
    }
    let trimmed_len = text.trim_end_matches(['\n', '\r']).len();
    text.truncate(trimmed_len);
    if committed.ends_with('\n') {
        text.push_str(if committed.ends_with("\r\n") { "\r\n" } else { "\n" });
    }
    text
}

fn xml_error(file: &SourceFile, e: &roxmltree::Error) -> Diagnostics {
    let pos = e.pos();
    Diagnostic::new(Span { file: file.path.clone(), line: pos.row, column: pos.col }, "XML", e.to_string()).into()
}

/// One element of a description that documentation can hang on.
struct Item {
    /// Byte range of the whole element.
    range: std::ops::Range<usize>,
    /// Byte ranges of its documentation children, in order.
    docs: Vec<std::ops::Range<usize>>,
    /// Its attributes (namespace declarations aside), sorted: what "changed" compares.
    attributes: Vec<(String, String)>,
    /// For a port's `soap:address` / `soap12:address`: the byte range of its `location` value.
    location: Option<std::ops::Range<usize>>,
}

fn is_doc(n: Node<'_, '_>) -> bool {
    let name = n.tag_name();
    (name.namespace() == Some(WSDL_NS) && name.name() == "documentation")
        || (name.namespace() == Some(XSD_NS) && name.name() == "annotation")
}

/// One step of an item's key: `complexType Package`, `sequence`, `enumeration Day`, with
/// `#n` when earlier siblings have the same step.
fn step(n: Node<'_, '_>) -> String {
    let local = n.tag_name().name();
    let ns = match n.tag_name().namespace() {
        Some(WSDL_NS) => "wsdl:",
        Some(XSD_NS) => "xs:",
        Some(_) | None => "",
    };
    let id = n
        .attribute("name")
        .or_else(|| n.attribute("value"))
        .or_else(|| (local == "schema").then(|| n.attribute("targetNamespace")).flatten());
    match id {
        Some(id) => format!("{ns}{local} {id}"),
        None => format!("{ns}{local}"),
    }
}

fn collect(n: Node<'_, '_>, path: &mut Vec<String>, items: &mut BTreeMap<Vec<String>, Item>) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut this = step(n);
    if let Some(parent) = n.parent_element() {
        for sibling in parent.children().filter(|c| c.is_element() && !is_doc(*c)) {
            if sibling == n {
                break;
            }
            *counts.entry(step(sibling)).or_default() += 1;
        }
        if let Some(k) = counts.get(&this).filter(|k| **k > 0) {
            this = format!("{this} #{k}");
        }
    }
    path.push(this);
    let mut attributes: Vec<(String, String)> =
        n.attributes().map(|a| (a.name().to_owned(), a.value().to_owned())).collect();
    attributes.sort();
    let docs = n.children().filter(|c| c.is_element() && is_doc(*c)).map(|c| c.range()).collect();
    let in_port =
        n.parent_element().is_some_and(|p| p.tag_name().namespace() == Some(WSDL_NS) && p.tag_name().name() == "port");
    let location = (in_port && n.tag_name().name() == "address")
        .then(|| n.attributes().find(|a| a.name() == "location" && a.namespace().is_none()).map(|a| a.range_value()))
        .flatten();
    items.insert(path.clone(), Item { range: n.range(), docs, attributes, location });
    for child in n.children().filter(|c| c.is_element() && !is_doc(*c)) {
        collect(child, path, items);
    }
    path.pop();
}

/// Items a maintainer documents: schema declarations and enumeration values, portType
/// operations and the service.
fn documentable(key: &[String]) -> bool {
    let Some(last) = key.last() else { return false };
    let kind = last.split(' ').next().unwrap_or_default();
    let named = last.contains(' ');
    let in_port_type = key.len() >= 2 && key[key.len() - 2].starts_with("wsdl:portType");
    named
        && match kind {
            "xs:element" | "xs:complexType" | "xs:simpleType" | "xs:attribute" | "xs:attributeGroup" | "xs:group"
            | "xs:enumeration" | "wsdl:service" => true,
            "wsdl:operation" => in_port_type,
            _ => false,
        }
}

/// `schema Logisense_EngageIP / complexType Package / element TaxCode`: the named steps.
fn display(key: &[String]) -> String {
    key.iter()
        .skip(1)
        .filter(|s| s.contains(' ') && !s.starts_with("xs:schema"))
        .map(|s| s.strip_prefix("xs:").or_else(|| s.strip_prefix("wsdl:")).unwrap_or(s))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The whitespace before byte `at` on its line.
fn indent_at(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    if before.chars().all(char::is_whitespace) { before } else { "" }
}

/// The qualified tag name of the element starting at `at`, and the end of its start tag:
/// (name, offset just past `>`, whether it ends in `/>`).
fn start_tag(text: &str, at: usize) -> (&str, usize, bool) {
    let bytes = text.as_bytes();
    let name_end =
        text[at + 1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(text.len(), |i| at + 1 + i);
    let mut quote = None;
    let mut i = name_end;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return (&text[at + 1..name_end], i + 1, i > 0 && bytes[i - 1] == b'/'),
            _ => {}
        }
        i += 1;
    }
    (&text[at + 1..name_end], text.len(), false)
}

fn prefix(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

/// The edit that gives `item` (in `live`) the documentation of `old` (in `committed`).
fn document(committed: &str, old: &Item, live: &str, item: &Item) -> (usize, usize, String) {
    let (Some(first), Some(last)) = (old.docs.first(), old.docs.last()) else {
        return (item.range.start, item.range.start, String::new());
    };
    let old_indent = indent_at(committed, old.range.start);
    let old_doc_indent = indent_at(committed, first.start);
    let new_indent = indent_at(live, item.range.start);
    let child_indent = format!("{new_indent}{}", old_doc_indent.strip_prefix(old_indent).unwrap_or("  "));
    // The documentation as written, re-indented to where it goes.
    let mut docs = String::new();
    for (i, line) in committed[first.start..last.end].split('\n').enumerate() {
        if i > 0 {
            docs.push('\n');
            docs.push_str(&child_indent);
            docs.push_str(line.strip_prefix(old_doc_indent).unwrap_or(line.trim_start()));
        } else {
            docs.push_str(line);
        }
    }
    // The live file may spell the namespace with another prefix.
    let (old_prefix, new_prefix) =
        (prefix(start_tag(committed, old.range.start).0), prefix(start_tag(live, item.range.start).0));
    if old_prefix != new_prefix {
        let colon = |p: &str| if p.is_empty() { String::new() } else { format!("{p}:") };
        for (from, to) in [("<", "<"), ("</", "</")] {
            docs = docs.replace(&format!("{from}{}", colon(old_prefix)), &format!("{to}{}", colon(new_prefix)));
        }
    }
    if let (Some(first), Some(last)) = (item.docs.first(), item.docs.last()) {
        return (first.start, last.end, docs);
    }
    let (name, tag_end, self_closing) = start_tag(live, item.range.start);
    if self_closing {
        // `<s:element ... />` becomes `<s:element ...>` + documentation + `</s:element>`.
        let attrs_end = live[..tag_end - 2].trim_end().len();
        (attrs_end, tag_end, format!(">\n{child_indent}{docs}\n{new_indent}</{name}>"))
    } else {
        (tag_end, tag_end, format!("\n{child_indent}{docs}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile { path: "f.wsdl".into(), text: text.into() }
    }

    const DOCUMENTED: &str = r#"<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema targetNamespace="urn:t">
      <s:complexType name="Item">
        <s:annotation>
          <s:documentation>An item.</s:documentation>
        </s:annotation>
        <s:sequence>
          <s:element minOccurs="1" maxOccurs="1" name="Id" type="s:int">
            <s:annotation>
              <s:documentation>Its id.</s:documentation>
            </s:annotation>
          </s:element>
        </s:sequence>
      </s:complexType>
    </s:schema>
  </wsdl:types>
</wsdl:definitions>"#;

    #[test]
    fn self_closing_elements_open_for_their_documentation() {
        let live = "<wsdl:definitions xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\r\n  <wsdl:types>\r\n    <xs:schema targetNamespace=\"urn:t\">\r\n      <xs:complexType name=\"Item\">\r\n        <xs:sequence>\r\n          <xs:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Id\" type=\"xs:long\" />\r\n          <xs:element name=\"New\" type=\"xs:string\" />\r\n        </xs:sequence>\r\n      </xs:complexType>\r\n    </xs:schema>\r\n  </wsdl:types>\r\n</wsdl:definitions>\r\n";
        let synced = carry_documentation(&file(DOCUMENTED), &file(live)).expect("parses");
        let expected = DOCUMENTED
            .replace("xmlns:s=", "xmlns:xs=")
            .replace("<s:", "<xs:")
            .replace("</s:", "</xs:")
            .replace("s:int", "xs:long")
            .replace(r#"minOccurs="1" maxOccurs="1" name="Id""#, r#"minOccurs="0" maxOccurs="1" name="Id""#)
            .replace(
                "          </xs:element>\n",
                "          </xs:element>\n          <xs:element name=\"New\" type=\"xs:string\" />\n",
            );
        assert_eq!(synced.text, expected);
        assert_eq!(synced.undocumented, ["complexType Item / element New"]);
        assert_eq!(synced.changed, ["complexType Item / element Id"]);
        assert!(synced.dropped.is_empty());
    }

    #[test]
    fn removed_items_drop_their_prose_and_malformed_input_is_a_diagnostic() {
        let live = DOCUMENTED.replace(
            "          <s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"Id\" type=\"s:int\">\n            <s:annotation>\n              <s:documentation>Its id.</s:documentation>\n            </s:annotation>\n          </s:element>\n",
            "",
        );
        let synced = carry_documentation(&file(DOCUMENTED), &file(&live)).expect("parses");
        assert_eq!(synced.text, live);
        assert_eq!(synced.dropped, ["complexType Item / element Id"]);
        let err = carry_documentation(&file(DOCUMENTED), &file("<a><b></a>")).expect_err("malformed");
        assert!(err.to_string().starts_with("f.wsdl:1:"), "{err}");
    }
}
