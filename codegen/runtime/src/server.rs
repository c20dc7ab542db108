//! The service-independent half of a SOAP server, answering the way ASP.NET ASMX answers.
//!
//! Generated dispatchers (`dispatch` in a generated `server` module) build on this: they
//! [`Incoming::open`] a transport-neutral [`HttpRequest`], route it with
//! [`Incoming::route_by_action`] and [`route_by_element`], [`Incoming::decode`] it, and answer
//! with [`Incoming::respond`] or [`Incoming::fault`]. What comes back is a transport-neutral
//! [`HttpResponse`] that any HTTP stack can send.
//!
//! The answers follow recorded ASMX exchanges and .NET Framework's `System.Web.Services`
//! (whose texts the faults carry, placeholders filled in). Each row has a test over HTTP on
//! loopback in `engageip-api/tests/server_protocol.rs`; the rows marked *adapter* are the hyper
//! adapter's (`engageip_api::server`), built on [`wsdl_for_endpoint`] and
//! [`discovery_document`] here.
//!
//! | request | answer |
//! | --- | --- |
//! | `HEAD`, `PUT`, ...: not a `POST` (`GET` is the adapter's) | 405, `text/plain` |
//! | no `Content-Type` | 415, empty body |
//! | a content type that is neither `text/xml` nor `application/soap+xml` | 500, an HTML error page |
//! | a body in UTF-16, ISO-8859-1, Windows-1252, US-ASCII or UTF-8 | decoded by its byte order mark, else the content type's `charset`, else its XML declaration, else as UTF-8; a declaration that disagrees with the charset is ignored |
//! | a body that is not well-formed XML in that encoding | 400, empty body |
//! | a SOAP 1.1 envelope sent as `application/soap+xml` | 415, empty body |
//! | a SOAP 1.2 envelope sent as `text/xml` | answered in SOAP 1.2 |
//! | a root that is no SOAP envelope | 500, `VersionMismatch` fault `Possible SOAP version mismatch: ...` with an `Upgrade` header naming both versions |
//! | an unknown `SOAPAction`, or `SOAPAction: ""` (SOAP 1.1; quotes removed, URL-decoded) | 500, `soap:Client` fault `Server did not recognize the value of HTTP Header SOAPAction: X.` |
//! | no `SOAPAction` (1.1), no or an empty `action=` (1.2) | routed by the body's element |
//! | an unknown `action=` (SOAP 1.2) | routed by the body's element |
//! | a known action with a body element of another name or namespace | read as the action's request: children it does not know are skipped |
//! | a body element no operation has, no action having routed it | 500, `soap:Client` / `soap:Sender` fault `Unable to handle request without a valid action parameter. Please supply a valid soap action.`, or with a SOAP 1.2 action `Unable to handle request. The action 'X' was not recognized.` |
//! | a header marked `mustUnderstand="1"` (or `"true"`) that no handler reads | the operation runs, then 500, `MustUnderstand` fault `SOAP header X was not understood.` without a detail (an operation's own fault is sent instead) |
//! | well-formed XML that does not match the schema | 500, `soap:Client` / `soap:Sender` fault `Server was unable to read request. ---> There is an error in XML document (line, column). ---> ...` |
//! | a parameter element twice | the first wins, the others are skipped |
//! | a parameter element the operation does not have | skipped |
//! | *adapter*: `GET ...?WSDL` or `?wsdl` | 200, `text/xml`, the WSDL with `soap:address` and `soap12:address` set to `http://Host/path` of the request |
//! | *adapter*: `GET ...?disco` | 200, `text/xml`, the discovery document: `contractRef` to `?wsdl`, one `soap` address per binding |
//! | *adapter*: any other `GET` | 200, the HTML help page |
//! | *adapter*: another path | 404 |
//! | *adapter*: a body over the size limit | 413 |
//!
//! Where .NET does otherwise, deliberately:
//! - ASMX checks `mustUnderstand` only after the operation returned
//!   (`SoapServerProtocol.WriteReturns` calls `SoapHeaderHandling.EnsureHeadersUnderstood`), so
//!   the operation runs and its effects stay; the dispatcher does the same, so a test double
//!   does not hide a charge EngageIP would make.
//! - Bytes that are not valid in the chosen encoding (bad UTF-8 or UTF-16) get 400: .NET's
//!   `StreamReader` would read them as U+FFFD, silently changing the request.
//! - `text/xml` without a charset is read as its declaration or UTF-8 says; .NET reads it as
//!   US-ASCII (RFC 3023's default), turning every non-ASCII byte into `?`.

use std::borrow::Cow;
use std::cell::RefCell;

use super::charset::decode_body;
pub use super::description::{discovery_document, endpoint_url, wsdl_for_endpoint};
pub use super::meaning::{RequestMeaning, request_meaning};
use super::{
    DecodeError, DecodeErrorKind, Element, Fault, FaultCode, Location, SoapVersion, XmlElement, XmlReader,
    decode_request, encode_fault, encode_response, is_xml_char,
};

/// An HTTP request as the dispatcher needs it: independent of any HTTP library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    /// The method (`POST` for SOAP).
    pub method: &'a str,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The `SOAPAction` header, if any, as sent (quotes included).
    pub soap_action: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> HttpRequest<'a> {
    /// A `POST` with these headers and body.
    pub fn post(content_type: Option<&'a str>, soap_action: Option<&'a str>, body: &'a [u8]) -> Self {
        HttpRequest { method: "POST", content_type, soap_action, body }
    }
}

/// An HTTP response as the dispatcher produces it: independent of any HTTP library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The body (empty for 400 and 415, as ASMX sends them).
    pub body: Vec<u8>,
}

impl HttpResponse {
    fn empty(status: u16, content_type: String) -> Self {
        HttpResponse { status, content_type, body: Vec::new() }
    }

    /// An HTML page, the way ASP.NET reports errors that are not SOAP faults.
    fn html(status: u16, title: &str, message: &str) -> Self {
        let body = format!(
            "<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n<h1>Server Error</h1>\n<h2>{message}</h2>\n</body>\n</html>\n",
            title = escape_html(title),
            message = escape_html(message)
        );
        HttpResponse { status, content_type: "text/html".to_owned(), body: body.into_bytes() }
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The media type (lower case, no parameters) and the parameters of a content type.
fn parse_content_type(content_type: &str) -> (String, Vec<(String, String)>) {
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let params = parts
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), unquote(v).to_owned()))
        })
        .collect();
    (media, params)
}

fn unquote(value: &str) -> &str {
    let v = value.trim();
    v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v).trim()
}

/// A `POST`ed SOAP message whose envelope was recognised, ready to be routed and decoded.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    /// The body as text, decoded by its charset (borrowed when it was UTF-8).
    text: Cow<'a, str>,
    /// The envelope's SOAP version: the version of the answer.
    version: SoapVersion,
    /// The protocol the content type selects (`text/xml`: 1.1, `application/soap+xml`: 1.2).
    media: SoapVersion,
    /// The action as sent, unquoted and URL-decoded: the `SOAPAction` header under `text/xml`
    /// (`Some("")` for `SOAPAction: ""`), the `action` parameter under `application/soap+xml`
    /// (`None` when absent or empty: ASMX does not tell them apart there).
    action: Option<String>,
    /// The first header the request marked `mustUnderstand` that no handler consumed (its
    /// local name, as ASMX names it).
    not_understood: RefCell<Option<String>>,
}

impl<'a> Incoming<'a> {
    /// Checks the method, content type, encoding and envelope of a request. `Err` is the
    /// answer to send instead (see the module documentation).
    pub fn open(request: &HttpRequest<'a>) -> Result<Self, HttpResponse> {
        if !request.method.eq_ignore_ascii_case("POST") {
            return Err(HttpResponse {
                status: 405,
                content_type: "text/plain; charset=utf-8".to_owned(),
                body: b"405 Method Not Allowed: SOAP requests are HTTP POSTs\n".to_vec(),
            });
        }
        let Some(content_type) = request.content_type else {
            return Err(HttpResponse::empty(415, SoapVersion::Soap11.content_type(None)));
        };
        let (media_type, params) = parse_content_type(content_type);
        let media = match media_type.as_str() {
            "text/xml" => SoapVersion::Soap11,
            "application/soap+xml" => SoapVersion::Soap12,
            _ => {
                let message = format!("Request format is invalid: {content_type}.");
                return Err(HttpResponse::html(500, "Runtime Error", &message));
            }
        };
        let bad_request = || HttpResponse::empty(400, media.content_type(None));
        let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let text = decode_body(request.body, param("charset")).ok_or_else(bad_request)?;
        let mut reader = XmlReader::new(&text).decoded_text();
        let root = reader.root().map_err(|_| bad_request())?;
        let root_ns = reader.namespace(&root).to_owned();
        let version = match SoapVersion::from_namespace(&root_ns) {
            Some(v) if root.local_name() == "Envelope" => v,
            _ => {
                if !well_formed(&text) {
                    return Err(bad_request());
                }
                let reason = format!(
                    "Possible SOAP version mismatch: Envelope namespace {root_ns} was unexpected. Expecting {}.",
                    media.namespace()
                );
                let mut fault = Fault::new(media, FaultCode::VersionMismatch, reason);
                fault.upgrade = vec![SoapVersion::Soap11, SoapVersion::Soap12];
                return Err(encode_fault_response(&fault));
            }
        };
        if media == SoapVersion::Soap12 && version == SoapVersion::Soap11 {
            return Err(HttpResponse::empty(415, SoapVersion::Soap11.content_type(None)));
        }
        let action = match media {
            SoapVersion::Soap11 => request.soap_action.map(|a| url_decode(unquote_once(a))),
            SoapVersion::Soap12 => param("action").filter(|a| !a.is_empty()).map(url_decode),
        };
        Ok(Incoming { text, version, media, action, not_understood: RefCell::new(None) })
    }

    /// The SOAP version of the envelope, and so of the answer.
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The protocol the content type selected (SOAP 1.1 for `text/xml`, 1.2 for
    /// `application/soap+xml`).
    pub fn media(&self) -> SoapVersion {
        self.media
    }

    /// The action the request names, unquoted and URL-decoded: the `SOAPAction` header under
    /// `text/xml`, the `action` parameter under `application/soap+xml`; `None` when absent or
    /// empty.
    pub fn action(&self) -> Option<&str> {
        self.action.as_deref().filter(|a| !a.is_empty())
    }

    /// The operation whose action the request names, from a table of (operation, SOAP 1.1
    /// action, SOAP 1.2 action). Empty actions in the table never match.
    pub fn route_by_action<T: Copy>(&self, table: &[(T, &str, &str)]) -> Option<T> {
        let action = self.action()?;
        table
            .iter()
            .find(|(_, a11, a12)| {
                let a = match self.media {
                    SoapVersion::Soap11 => a11,
                    SoapVersion::Soap12 => a12,
                };
                !a.is_empty() && *a == action
            })
            .map(|(t, _, _)| *t)
    }

    /// Whether an action that names no operation is an error rather than a reason to route by
    /// the body's element: under `text/xml` a `SOAPAction` header, even `SOAPAction: ""`, is
    /// the route ASMX takes (SOAP 1.2 falls back to the element).
    pub fn action_is_binding(&self) -> bool {
        self.media == SoapVersion::Soap11 && self.action.is_some()
    }

    /// The fault for an action no operation has (ASMX's `WebHttpHeader` text).
    pub fn unknown_action(&self) -> HttpResponse {
        let reason = format!(
            "Server did not recognize the value of HTTP Header SOAPAction: {}.",
            self.action.as_deref().unwrap_or_default()
        );
        self.fault(FaultCode::Sender, &reason)
    }

    /// The fault for a body element no operation has, when no action routed the request:
    /// ASMX's `UnableToHandleRequestActionRequired` text without an action, and
    /// `UnableToHandleRequestActionNotRecognized` for a SOAP 1.2 action that named no
    /// operation. The element's name is not part of either text.
    pub fn unknown_element(&self, ns: &str, local: &str) -> HttpResponse {
        let _ = (ns, local);
        let reason = match (self.media, self.action()) {
            (SoapVersion::Soap12, Some(action)) => {
                format!("Unable to handle request. The action '{action}' was not recognized.")
            }
            _ => "Unable to handle request without a valid action parameter. Please supply a valid soap action."
                .to_owned(),
        };
        self.fault(FaultCode::Sender, &reason)
    }

    /// Decodes the envelope: each header element goes to `on_header` (`Ok(true)` when it
    /// consumed it), the body's first element to `on_body`. A document that is not well-formed
    /// is answered with 400; one that does not match the schema with a `soap:Client` fault
    /// naming the position and the problem as .NET does. A header marked `mustUnderstand`
    /// that `on_header` does not consume is remembered: [`Self::respond`] then answers with a
    /// `MustUnderstand` fault, after the operation ran, as ASMX does.
    pub fn decode<'s, R>(
        &'s self,
        mut on_header: impl FnMut(&mut XmlReader<'s>, &Element<'s>) -> Result<bool, DecodeError>,
        on_body: impl FnOnce(&mut XmlReader<'s>, &Element<'s>) -> Result<R, DecodeError>,
    ) -> Result<R, HttpResponse> {
        let envelope_ns = self.version.namespace();
        let on_header = |r: &mut XmlReader<'s>, h: &Element<'s>| {
            let must = r.attribute(h, envelope_ns, "mustUnderstand")?;
            let consumed = on_header(r, h)?;
            if !consumed && must.as_deref().is_some_and(|m| matches!(m.trim(), "1" | "true")) {
                let mut slot = self.not_understood.borrow_mut();
                if slot.is_none() {
                    *slot = Some(h.local_name().to_owned());
                }
            }
            Ok(consumed)
        };
        match decode_request(&self.text, on_header, on_body) {
            Ok((_, r)) => Ok(r),
            Err(e) => Err(self.read_error(&e)),
        }
    }

    /// The header marked `mustUnderstand` that the request carried and no handler consumed.
    pub fn not_understood(&self) -> Option<String> {
        self.not_understood.borrow().clone()
    }

    fn read_error(&self, error: &DecodeError) -> HttpResponse {
        if is_syntax_error(error.kind()) || !well_formed(&self.text) {
            return HttpResponse::empty(400, self.media.content_type(None));
        }
        let (line, column) = dotnet_position(&self.text, error.location());
        let reason = format!(
            "Server was unable to read request. ---> There is an error in XML document ({line}, {column}). ---> {}",
            dotnet_message(error.kind())
        );
        self.fault(FaultCode::Sender, &reason)
    }

    /// The answer carrying `body`: 200 and the envelope, in the request's SOAP version; or,
    /// when the request carried a `mustUnderstand` header nobody consumed, ASMX's
    /// `MustUnderstand` fault (`SOAP header X was not understood.`, no detail), which .NET
    /// raises while writing the return value.
    pub fn respond<B: XmlElement>(&self, body: &B) -> HttpResponse {
        if let Some(header) = self.not_understood() {
            let mut fault = Fault::new(
                self.version,
                FaultCode::MustUnderstand,
                format!("SOAP header {header} was not understood."),
            );
            fault.detail = None;
            return encode_fault_response(&fault);
        }
        match encode_response(self.version, body) {
            Ok(text) => HttpResponse { status: 200, content_type: self.version.content_type(None), body: text.into_bytes() },
            Err(e) => self.fault(
                FaultCode::Receiver,
                &format!("Server was unable to process request. ---> There was an error generating the XML document. ---> {e}"),
            ),
        }
    }

    /// The answer to a one-way operation's request: HTTP 202 (Accepted) and no body.
    pub fn accepted(&self) -> HttpResponse {
        HttpResponse::empty(202, self.version.content_type(None))
    }

    /// A fault answer: HTTP 500 and the envelope ASMX writes (empty detail; `xml:lang="en"`
    /// in SOAP 1.2). Characters XML cannot carry in `reason` become U+FFFD.
    pub fn fault(&self, code: FaultCode, reason: &str) -> HttpResponse {
        fault_response(self.version, code, reason)
    }
}

fn fault_response(version: SoapVersion, code: FaultCode, reason: &str) -> HttpResponse {
    encode_fault_response(&Fault::new(version, code, reason))
}

fn encode_fault_response(fault: &Fault) -> HttpResponse {
    let mut fault = fault.clone();
    fault.reason = fault.reason.chars().map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' }).collect();
    let version = fault.version;
    match encode_fault(&fault) {
        Ok(text) => HttpResponse { status: 500, content_type: version.content_type(None), body: text.into_bytes() },
        Err(_) => HttpResponse::empty(500, version.content_type(None)),
    }
}

/// Checks what `on_body` of [`Incoming::decode`] got: the request's element, or, for a body
/// that holds none, the envelope's `Body` itself, which only an operation whose input message
/// has no body parts (`allow_empty`) accepts.
pub fn require_body_element(r: &XmlReader<'_>, body: &Element<'_>, allow_empty: bool) -> Result<(), DecodeError> {
    let is_body = body.local_name() == "Body" && SoapVersion::from_namespace(r.namespace(body)).is_some();
    if is_body && !allow_empty {
        return Err(r.error(DecodeErrorKind::MissingElement { element: "operation element", parent: "Body" }));
    }
    Ok(())
}

/// `SOAPAction` with its surrounding quotes removed, as ASMX does (only when both are there).
fn unquote_once(value: &str) -> &str {
    value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value)
}

/// `HttpUtility.UrlDecode`: `%XX` escapes (as UTF-8) and `+` as a space; a malformed escape
/// stays as written.
fn url_decode(value: &str) -> String {
    if !value.contains(['%', '+']) {
        return value.to_owned();
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The operation whose request element `element` is, from a table of (operation, namespace,
/// local name).
pub fn route_by_element<T: Copy>(r: &XmlReader<'_>, element: &Element<'_>, table: &[(T, &str, &str)]) -> Option<T> {
    table.iter().find(|(_, ns, local)| r.is(element, ns, local)).map(|(t, _, _)| *t)
}

fn is_syntax_error(kind: &DecodeErrorKind) -> bool {
    matches!(
        kind,
        DecodeErrorKind::Malformed(_)
            | DecodeErrorKind::Dtd
            | DecodeErrorKind::UnknownEntity(_)
            | DecodeErrorKind::InvalidCharRef(_)
            | DecodeErrorKind::UnsupportedEncoding(_)
            | DecodeErrorKind::UnexpectedEof
            | DecodeErrorKind::TooDeep(_)
    )
}

/// Whether the whole document is well-formed (within the reader's depth limit).
fn well_formed(text: &str) -> bool {
    let mut r = XmlReader::new(text).decoded_text();
    let Ok(root) = r.root() else { return false };
    r.skip(&root).is_ok() && r.finish().is_ok()
}

/// The byte offset of a 1-based (line, column-in-characters) position.
fn offset_of(text: &str, location: &Location) -> usize {
    let mut offset = 0;
    for _ in 1..location.line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let col = usize::try_from(location.column.saturating_sub(1)).unwrap_or(0);
    text[offset..].char_indices().nth(col).map_or(text.len(), |(i, _)| offset + i)
}

/// Where .NET's reader stands when the serializer reports a bad value: on the name of the
/// node after the offending element's closing tag. The runtime locates the closing tag
/// itself; this steps to the next tag's name.
fn dotnet_position(text: &str, location: &Location) -> (u32, u32) {
    let start = offset_of(text, location);
    let next = text[start..]
        .find('>')
        .map(|gt| start + gt + 1)
        .and_then(|after| text[after..].find('<').map(|lt| after + lt + 1));
    let Some(pos) = next else { return (location.line, location.column) };
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
}

/// The inner exception message .NET's XmlSerializer gives for a decode error.
fn dotnet_message(kind: &DecodeErrorKind) -> String {
    let DecodeErrorKind::InvalidValue { expected, value, message } = kind else {
        return kind.to_string();
    };
    let clr = match *expected {
        "xs:int" => Some("an Int32"),
        "xs:long" => Some("an Int64"),
        "xs:short" => Some("an Int16"),
        "xs:byte" => Some("a signed byte"),
        "xs:unsignedByte" => Some("an unsigned byte"),
        "xs:unsignedShort" => Some("a UInt16"),
        "xs:unsignedInt" => Some("a UInt32"),
        "xs:unsignedLong" => Some("a UInt64"),
        _ => None,
    };
    match (*expected, clr) {
        (_, Some(clr)) if message.starts_with("out of range") => {
            format!("Value was either too large or too small for {clr}.")
        }
        (_, Some(_)) | ("xs:double" | "xs:float", _) => "Input string was not in a correct format.".to_owned(),
        ("xs:dateTime", _) => format!("The string '{value}' is not a valid AllXsd value."),
        ("xs:boolean", _) => format!("The string '{value}' is not a valid Boolean value."),
        _ => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parameters() {
        let (media, params) = parse_content_type("Application/SOAP+XML; charset=utf-8; action=\"urn:a;b\"");
        assert_eq!(media, "application/soap+xml");
        assert_eq!(params[0], ("charset".to_owned(), "utf-8".to_owned()));
        assert_eq!(unquote(" \"x\" "), "x");
    }

    #[test]
    fn positions_step_to_the_next_tag_name() {
        let text = "<a>\n<b>x</b><c/></a>";
        // `</b>` is at line 2, column 5.
        let loc = Location { line: 2, column: 5, path: String::new() };
        assert_eq!(dotnet_position(text, &loc), (2, 10));
    }

    #[test]
    fn method_and_media_checks() {
        let get = HttpRequest { method: "GET", content_type: None, soap_action: None, body: b"" };
        assert_eq!(Incoming::open(&get).map(|_| ()).unwrap_err().status, 405);
        let json = HttpRequest::post(Some("application/json"), None, b"{}");
        let r = Incoming::open(&json).map(|_| ()).unwrap_err();
        assert_eq!((r.status, r.content_type.as_str()), (500, "text/html"));
        let bad = HttpRequest::post(Some("text/xml; charset=utf-8"), None, b"<a><b></a>");
        assert_eq!(Incoming::open(&bad).map(|_| ()).unwrap_err().status, 400);
        let not_utf8 = HttpRequest::post(Some("text/xml"), None, b"<a>\xff</a>");
        assert_eq!(Incoming::open(&not_utf8).map(|_| ()).unwrap_err().status, 400);
        let not_soap = HttpRequest::post(Some("text/xml"), None, b"<a/>");
        let r = Incoming::open(&not_soap).map(|_| ()).unwrap_err();
        assert_eq!(r.status, 500);
        assert!(r.body_text().contains("soap:VersionMismatch"), "{}", r.body_text());
    }
}
