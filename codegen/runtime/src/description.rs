//! What an ASMX endpoint publishes on `GET`: its WSDL (`?WSDL`) and its discovery document
//! (`?disco`), both naming the address the request itself used.
//!
//! ASP.NET writes `scheme://Host/path` of the request into `soap:address` and
//! `soap12:address` (so a client that takes the address from the WSDL reaches the server it
//! fetched it from, whatever host and port that is), and the discovery document points at
//! `?wsdl` and lists one `soap` address per SOAP binding. Service-independent: the WSDL is
//! the caller's.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::name::{QName, ResolveResult};
use quick_xml::reader::NsReader;

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const SOAP11_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";

/// The endpoint URL ASMX writes for a request: `scheme://host/path`, with `host` as the
/// request's `Host` header gave it (port included) and `path` as requested.
pub fn endpoint_url(scheme: &str, host: &str, path: &str) -> String {
    let path = if path.starts_with('/') { Cow::Borrowed(path) } else { Cow::Owned(format!("/{path}")) };
    format!("{scheme}://{host}{path}")
}

/// One `wsdl:port` with a SOAP address: where its `location` value lies in the WSDL, and
/// the binding it names, resolved.
struct Port {
    /// Byte range of the `location` attribute's value (between the quotes).
    location: std::ops::Range<usize>,
    /// The binding's namespace and local name.
    binding: Option<(String, String)>,
}

/// Every SOAP 1.1 and 1.2 `address` of the WSDL's ports, in document order. `None` when the
/// WSDL is not well-formed.
fn ports(wsdl: &str) -> Option<Vec<Port>> {
    let mut reader = NsReader::from_str(wsdl);
    let mut ports = Vec::new();
    let mut binding: Option<(String, String)> = None;
    loop {
        let (ns, event) = reader.read_resolved_event().ok()?;
        let ns = match ns {
            ResolveResult::Bound(ns) => ns.0.to_owned(),
            _ => String::new(),
        };
        let start = match &event {
            Event::Start(e) | Event::Empty(e) => e.clone(),
            Event::End(e) => {
                if e.local_name().as_ref() == "port" {
                    binding = None;
                }
                continue;
            }
            Event::Eof => return Some(ports),
            _ => continue,
        };
        let local = start.local_name();
        if ns == WSDL_NS && local.as_ref() == "port" {
            binding = None;
            for attr in start.attributes().flatten() {
                if attr.key.as_ref() == "binding" {
                    let (bns, blocal) = reader.resolver().resolve(QName(&attr.value), true);
                    if let ResolveResult::Bound(bns) = bns {
                        binding = Some((bns.0.to_owned(), blocal.as_ref().to_owned()));
                    }
                }
            }
        } else if (ns == SOAP11_BINDING_NS || ns == SOAP12_BINDING_NS) && local.as_ref() == "address" {
            for attr in start.attributes().flatten() {
                if attr.key.as_ref() == "location" {
                    if let Cow::Borrowed(value) = attr.value {
                        let begin = (value.as_ptr() as usize).checked_sub(wsdl.as_ptr() as usize)?;
                        ports.push(Port { location: begin..begin + value.len(), binding: binding.clone() });
                    }
                }
            }
        }
    }
}

fn escape_attribute(value: &str) -> Cow<'_, str> {
    if !value.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The WSDL with the `location` of every SOAP 1.1 and 1.2 `address` replaced by `url`
/// (escaped for an attribute); every other byte as given. A WSDL that is not well-formed is
/// returned unchanged.
pub fn wsdl_for_endpoint(wsdl: &str, url: &str) -> String {
    let Some(ports) = ports(wsdl) else { return wsdl.to_owned() };
    let url = escape_attribute(url);
    let mut out = String::with_capacity(wsdl.len() + ports.len() * url.len());
    let mut at = 0;
    for port in &ports {
        out.push_str(&wsdl[at..port.location.start]);
        out.push_str(&url);
        at = port.location.end;
    }
    out.push_str(&wsdl[at..]);
    out
}

/// The discovery document ASMX answers `?disco` with: a `contractRef` to `url?wsdl` and one
/// `soap` element per SOAP port of the WSDL, naming its binding (`q1`, `q2`, ... prefixes as
/// .NET's serializer numbers them).
pub fn discovery_document(wsdl: &str, url: &str) -> String {
    let url = escape_attribute(url);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<discovery xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.xmlsoap.org/disco/\">\r\n",
    );
    out.push_str(&format!(
        "  <contractRef ref=\"{url}?wsdl\" docRef=\"{url}\" xmlns=\"http://schemas.xmlsoap.org/disco/scl/\" />\r\n"
    ));
    let bindings = ports(wsdl).unwrap_or_default().into_iter().filter_map(|p| p.binding);
    for (i, (ns, local)) in bindings.enumerate() {
        let q = i + 1;
        out.push_str(&format!(
            "  <soap address=\"{url}\" xmlns:q{q}=\"{ns}\" binding=\"q{q}:{local}\" xmlns=\"http://schemas.xmlsoap.org/disco/soap/\" />\r\n",
            ns = escape_attribute(&ns),
            local = escape_attribute(&local),
        ));
    }
    out.push_str("</discovery>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WSDL: &str = "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" \
        xmlns:s1=\"http://schemas.xmlsoap.org/wsdl/soap/\" xmlns:tns=\"urn:svc\"><wsdl:service name=\"S\">\
        <wsdl:port name=\"P\" binding=\"tns:SSoap\"><s1:address location=\"http://localhost/x.asmx\" /></wsdl:port>\
        <wsdl:port name=\"P12\" binding=\"tns:SSoap12\"><a:address xmlns:a=\"http://schemas.xmlsoap.org/wsdl/soap12/\" location='http://localhost/x.asmx'/></wsdl:port>\
        <wsdl:port name=\"H\" binding=\"tns:SHttp\"><address xmlns=\"http://schemas.xmlsoap.org/wsdl/http/\" location=\"http://localhost/x.asmx\"/></wsdl:port>\
        </wsdl:service></wsdl:definitions>";

    #[test]
    fn addresses_are_found_by_namespace_not_prefix() {
        let out = wsdl_for_endpoint(WSDL, "https://h:1/a&b");
        assert_eq!(out.matches("location=\"https://h:1/a&amp;b\"").count(), 1, "{out}");
        assert_eq!(out.matches("location='https://h:1/a&amp;b'").count(), 1, "{out}");
        assert_eq!(out.matches("http://localhost/x.asmx").count(), 1, "the HTTP binding's address stays: {out}");
        assert_eq!(wsdl_for_endpoint("<a", "u"), "<a");
    }

    #[test]
    fn discovery_names_each_soap_binding() {
        let disco = discovery_document(WSDL, "http://h/x.asmx");
        assert!(disco.contains("<contractRef ref=\"http://h/x.asmx?wsdl\" docRef=\"http://h/x.asmx\""), "{disco}");
        assert!(disco.contains("xmlns:q1=\"urn:svc\" binding=\"q1:SSoap\""), "{disco}");
        assert!(disco.contains("xmlns:q2=\"urn:svc\" binding=\"q2:SSoap12\""), "{disco}");
        assert!(!disco.contains("SHttp"), "{disco}");
        assert_eq!(endpoint_url("http", "h:8", "/p"), "http://h:8/p");
    }
}
