//! What a request envelope means, apart from how it is written: for matching a request
//! against recorded ones (a replay server), whatever client formatted it.
//!
//! The meaning is the envelope's SOAP version and a canonical text of the body's first
//! element: expanded names (`{namespace}local`, whatever the prefixes), attributes sorted by
//! expanded name (namespace declarations left out), entity and character references
//! resolved, whitespace-only text between elements dropped, `<a/>` the same as `<a></a>`,
//! comments and processing instructions left out. SOAP headers (the `AuthHeader` with its
//! credentials among them) are not part of it.

use std::fmt::Write;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::SoapVersion;

/// The meaning of a request envelope (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestMeaning {
    /// The envelope's SOAP version.
    pub version: SoapVersion,
    /// The namespace of the body's first element.
    pub namespace: String,
    /// The local name of the body's first element: for document/literal services such as
    /// ASMX's, the operation's name.
    pub operation: String,
    /// The canonical text of that element.
    pub canonical: String,
}

/// The meaning of `text`, a SOAP 1.1 or 1.2 request envelope; `None` when it is not a
/// well-formed envelope with a body element.
pub fn request_meaning(text: &str) -> Option<RequestMeaning> {
    let mut r = NsReader::from_str(text);
    // Root: the envelope.
    let (version, envelope_empty) = loop {
        let (ns, event) = r.read_resolved_event().ok()?;
        let ns = bound(&ns);
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Envelope" => {
                break (SoapVersion::from_namespace(&ns)?, empty);
            }
            Event::Start(_) | Event::Empty(_) | Event::Eof => return None,
            _ => {}
        }
    };
    if envelope_empty {
        return None;
    }
    // Children of the envelope until the body; then the body's first element.
    let mut depth = 0usize;
    let mut in_body = false;
    loop {
        let (ns, event) = r.read_resolved_event().ok()?;
        let ns = bound(&ns);
        let env = ns == version.namespace();
        match event {
            Event::Start(e) => {
                if in_body && depth == 1 {
                    let namespace = ns;
                    let operation = e.local_name().as_ref().to_owned();
                    let mut canonical = String::new();
                    open(&r, &e, &namespace, &mut canonical)?;
                    element(&mut r, &mut canonical)?;
                    return Some(RequestMeaning { version, namespace, operation, canonical });
                }
                if depth == 0 && env && e.local_name().as_ref() == "Body" {
                    in_body = true;
                }
                depth += 1;
            }
            Event::Empty(e) if in_body && depth == 1 => {
                let namespace = ns;
                let operation = e.local_name().as_ref().to_owned();
                let mut canonical = String::new();
                open(&r, &e, &namespace, &mut canonical)?;
                canonical.push_str("</>");
                return Some(RequestMeaning { version, namespace, operation, canonical });
            }
            Event::End(_) => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
                if depth == 0 {
                    in_body = false;
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn bound(ns: &ResolveResult<'_>) -> String {
    match ns {
        ResolveResult::Bound(n) => n.0.to_owned(),
        _ => String::new(),
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Writes `<{ns}local {ans}name="value"...>` with the attributes sorted.
fn open(r: &NsReader<&[u8]>, e: &BytesStart<'_>, namespace: &str, out: &mut String) -> Option<()> {
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.ok()?;
        let key = attr.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let (ns, local) = r.resolver().resolve(attr.key, false);
        let value = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
        attrs.push((bound(&ns), local.as_ref().to_owned(), value.into_owned()));
    }
    attrs.sort();
    let _ = write!(out, "<{{{namespace}}}{}", e.local_name().as_ref());
    for (ns, local, value) in attrs {
        let _ = write!(out, " {{{ns}}}{local}=\"");
        escape(&value, out);
        out.push('"');
    }
    out.push('>');
    Some(())
}

/// The content of the element just opened, up to and including its end.
fn element(r: &mut NsReader<&[u8]>, out: &mut String) -> Option<()> {
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut String| {
        if !text.trim().is_empty() {
            escape(text, out);
        }
        text.clear();
    };
    loop {
        let (ns, event) = r.read_resolved_event().ok()?;
        let ns = bound(&ns);
        match event {
            Event::Start(e) => {
                flush(&mut text, out);
                open(r, &e, &ns, out)?;
                element(r, out)?;
            }
            Event::Empty(e) => {
                flush(&mut text, out);
                open(r, &e, &ns, out)?;
                out.push_str("</>");
            }
            Event::End(_) => {
                flush(&mut text, out);
                out.push_str("</>");
                return Some(());
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::GeneralRef(g) => {
                let name: &str = &g;
                let c = if g.is_char_ref() {
                    g.resolve_char_ref().ok()??
                } else {
                    match name {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        _ => return None,
                    }
                };
                text.push(c);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header><AuthHeader xmlns=\"L\"><Password>one</Password></AuthHeader></soap:Header><soap:Body><Op xmlns=\"L\"><a>x &amp; y</a><b xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/></Op></soap:Body></soap:Envelope>";
    const B: &str = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\">\n  <e:Body>\n    <l:Op xmlns:l=\"L\">\n      <l:a>x &#38; y</l:a>\n      <l:b i:nil=\"true\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"></l:b>\n    </l:Op>\n  </e:Body>\n</e:Envelope>";

    #[test]
    fn formatting_prefixes_and_headers_do_not_matter() {
        let a = request_meaning(A).expect("meaning");
        let b = request_meaning(B).expect("meaning");
        assert_eq!(a, b);
        assert_eq!((a.version, a.operation.as_str(), a.namespace.as_str()), (SoapVersion::Soap11, "Op", "L"));
        let c = request_meaning(&A.replace("x &amp; y", "x &amp; z")).expect("meaning");
        assert_ne!(a.canonical, c.canonical);
        let d = request_meaning(
            &A.replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"),
        )
        .expect("meaning");
        assert_eq!(d.version, SoapVersion::Soap12);
        assert_eq!(d.canonical, a.canonical);
        assert_eq!(request_meaning("<a/>"), None);
        assert_eq!(
            request_meaning("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"),
            None
        );
    }
}
