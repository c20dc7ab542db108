//! SOAP 1.1 and 1.2 envelopes and faults, shaped the way ASP.NET ASMX writes them.

use std::fmt;

use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::reader::{Element, XmlReader};
use super::writer::XmlWriter;
use super::{XmlContent, XmlElement};

const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
const XMLNS_XSI_XSD: &str =
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"";

/// The SOAP version of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml` and a `SOAPAction` header.
    #[default]
    Soap11,
    /// SOAP 1.2: `application/soap+xml` with an `action` parameter.
    Soap12,
}

impl SoapVersion {
    /// The envelope namespace.
    pub const fn namespace(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => SOAP11_NS,
            SoapVersion::Soap12 => SOAP12_NS,
        }
    }

    /// The version whose envelope namespace is `ns`.
    pub fn from_namespace(ns: &str) -> Option<Self> {
        match ns {
            SOAP11_NS => Some(SoapVersion::Soap11),
            SOAP12_NS => Some(SoapVersion::Soap12),
            _ => None,
        }
    }

    /// The media type without parameters.
    pub const fn media_type(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => "text/xml",
            SoapVersion::Soap12 => "application/soap+xml",
        }
    }

    /// The `Content-Type` of a message: SOAP 1.2 carries the action in it.
    pub fn content_type(self, action: Option<&str>) -> String {
        match (self, action) {
            (SoapVersion::Soap12, Some(action)) => {
                format!("application/soap+xml; charset=utf-8; action=\"{action}\"")
            }
            (SoapVersion::Soap12, None) => "application/soap+xml; charset=utf-8".to_owned(),
            (SoapVersion::Soap11, _) => "text/xml; charset=utf-8".to_owned(),
        }
    }
}

impl fmt::Display for SoapVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SoapVersion::Soap11 => "SOAP 1.1",
            SoapVersion::Soap12 => "SOAP 1.2",
        })
    }
}

/// The class of a fault, named the SOAP 1.2 way (SOAP 1.1's `Client` is `Sender`, `Server`
/// is `Receiver`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultCode {
    /// The message was wrong (`soap:Client` / `soap:Sender`).
    Sender,
    /// The service failed to process a correct message (`soap:Server` / `soap:Receiver`).
    Receiver,
    /// The envelope namespace was not understood.
    VersionMismatch,
    /// A mandatory header was not understood.
    MustUnderstand,
    /// SOAP 1.2 `DataEncodingUnknown`.
    DataEncodingUnknown,
    /// Any other code, as written.
    Other(String),
}

impl FaultCode {
    fn from_qname(text: &str) -> Self {
        let local = text.trim().rsplit(':').next().unwrap_or_default();
        match local {
            "Client" | "Sender" => FaultCode::Sender,
            "Server" | "Receiver" => FaultCode::Receiver,
            "VersionMismatch" => FaultCode::VersionMismatch,
            "MustUnderstand" => FaultCode::MustUnderstand,
            "DataEncodingUnknown" => FaultCode::DataEncodingUnknown,
            _ => FaultCode::Other(text.trim().to_owned()),
        }
    }

    /// The local name of this code in a SOAP version (`Client` in 1.1, `Sender` in 1.2).
    pub fn local_name(&self, version: SoapVersion) -> &str {
        match (self, version) {
            (FaultCode::Sender, SoapVersion::Soap11) => "Client",
            (FaultCode::Sender, SoapVersion::Soap12) => "Sender",
            (FaultCode::Receiver, SoapVersion::Soap11) => "Server",
            (FaultCode::Receiver, SoapVersion::Soap12) => "Receiver",
            (FaultCode::VersionMismatch, _) => "VersionMismatch",
            (FaultCode::MustUnderstand, _) => "MustUnderstand",
            (FaultCode::DataEncodingUnknown, _) => "DataEncodingUnknown",
            (FaultCode::Other(s), _) => s,
        }
    }
}

/// A SOAP fault of either version, with everything the peer sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The SOAP version of the envelope that carried it.
    pub version: SoapVersion,
    /// `faultcode` (1.1) or `Code/Value` (1.2).
    pub code: FaultCode,
    /// SOAP 1.2 `Subcode/Value`s, outermost first, as written.
    pub subcodes: Vec<String>,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2), unescaped.
    pub reason: String,
    /// `faultactor` (1.1) or `Role` (1.2).
    pub actor: Option<String>,
    /// SOAP 1.2 `Node`.
    pub node: Option<String>,
    /// The inner XML of `detail`/`Detail` as written; `None` when there is no such element.
    pub detail: Option<String>,
    /// The whole `Fault` element exactly as received (empty for faults built locally).
    pub raw: String,
    /// The envelope versions the peer supports, in its order, from the `Upgrade` header a
    /// `VersionMismatch` fault carries (SOAP 1.2 section 5.4.7; ASMX sends it in both
    /// versions). Empty when the response had none. Also written by [`encode_fault`].
    pub upgrade: Vec<SoapVersion>,
    /// The `qname`s of the SOAP 1.2 `NotUnderstood` headers a `MustUnderstand` fault
    /// carries, as written (ASMX names the header in the reason instead: see
    /// [`Fault::not_understood_header`]).
    pub not_understood: Vec<String>,
}

impl Fault {
    /// A fault to send: `code` and `reason`, an empty detail.
    pub fn new(version: SoapVersion, code: FaultCode, reason: impl Into<String>) -> Self {
        Fault {
            version,
            code,
            subcodes: Vec::new(),
            reason: reason.into(),
            actor: None,
            node: None,
            detail: Some(String::new()),
            raw: String::new(),
            upgrade: Vec::new(),
            not_understood: Vec::new(),
        }
    }

    /// For a `MustUnderstand` fault, the header that was not understood: the first
    /// `NotUnderstood` header's `qname`, or the name in ASMX's reason
    /// (`SOAP header X was not understood.`).
    pub fn not_understood_header(&self) -> Option<&str> {
        if self.code != FaultCode::MustUnderstand {
            return None;
        }
        if let Some(first) = self.not_understood.first() {
            return Some(first);
        }
        let reason = self.reason.lines().next().unwrap_or_default();
        let reason = strip_exception_type(reason.rsplit(" ---> ").next().unwrap_or(reason));
        reason.strip_prefix("SOAP header ")?.strip_suffix(" was not understood.").filter(|h| !h.is_empty())
    }

    /// The service's own message inside `reason`; see [`fault_message`].
    pub fn message(&self) -> &str {
        fault_message(&self.reason)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} fault {}: {}", self.version, self.code.local_name(self.version), self.message())
    }
}

/// The service's own message inside a fault reason. ASMX wraps exceptions
/// (`Server was unable to process request. ---> INVALID PACKAGE ID`), prefixes exception type
/// names (`System.Web.Services.Protocols.SoapException: INVALID USERNAME`) and, for callers on
/// the server's machine, appends stack traces; this returns the innermost message's first line.
pub fn fault_message(reason: &str) -> &str {
    let first_line = reason.lines().next().unwrap_or_default();
    let innermost = first_line.rsplit(" ---> ").next().unwrap_or(first_line);
    strip_exception_type(innermost).trim()
}

fn strip_exception_type(s: &str) -> &str {
    if let Some((ty, rest)) = s.split_once(": ") {
        let is_type = !ty.is_empty()
            && (ty.ends_with("Exception") || ty.ends_with("Error"))
            && ty.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '`' | '+'));
        if is_type {
            return rest;
        }
    }
    s
}

/// What a response body held.
// Transient (matched and taken apart right after decoding), so a fault's size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Body<B> {
    /// The expected response element.
    Response(B),
    /// A SOAP fault.
    Fault(Fault),
}

fn write_envelope_start(w: &mut XmlWriter, version: SoapVersion, prefix: &str, request_style: bool) {
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    if request_style {
        // As .NET clients and the reference's samples write requests.
        w.raw("\n<");
        w.raw(prefix);
        w.raw(":Envelope ");
        w.raw(XMLNS_XSI_XSD);
        w.raw(" xmlns:");
        w.raw(prefix);
        w.raw("=\"");
        w.raw(version.namespace());
        w.raw("\">");
    } else {
        // As ASMX writes responses.
        w.raw("<soap:Envelope xmlns:soap=\"");
        w.raw(version.namespace());
        w.raw("\" ");
        w.raw(XMLNS_XSI_XSD);
        w.raw(">");
    }
    w.set_xsi_declared(true);
}

/// Writes a request envelope with an optional header element, the way .NET clients do.
pub fn encode_request<H: XmlElement, B: XmlElement>(
    version: SoapVersion,
    header: Option<&H>,
    body: &B,
) -> Result<String, EncodeError> {
    RequestHead::new(version, header)?.encode(body)
}

/// The start of a request envelope up to its `Body`: the XML declaration, the envelope's
/// start tag and the header element, encoded once. A client sending the same header (its
/// credentials) with every call keeps one and encodes only each call's body;
/// `head.encode(&body)` writes what [`encode_request`] writes.
#[derive(Clone)]
pub struct RequestHead {
    version: SoapVersion,
    /// Everything before the body's element, `<soap:Body>` included.
    text: String,
}

impl RequestHead {
    /// The head of every request of `version` with `header` (none when `None`).
    pub fn new<H: XmlElement>(version: SoapVersion, header: Option<&H>) -> Result<RequestHead, EncodeError> {
        let (prefix, header_start, header_end, body_start) = match version {
            SoapVersion::Soap11 => ("soap", "<soap:Header>", "</soap:Header>", "<soap:Body>"),
            SoapVersion::Soap12 => ("soap12", "<soap12:Header>", "</soap12:Header>", "<soap12:Body>"),
        };
        let mut w = XmlWriter::with_capacity(512);
        write_envelope_start(&mut w, version, prefix, true);
        if let Some(h) = header {
            w.raw(header_start);
            w.element(H::NAMESPACE, H::NAME, h)?;
            w.raw(header_end);
        }
        w.raw(body_start);
        Ok(RequestHead { version, text: w.into_string() })
    }

    /// The SOAP version of the envelope.
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The whole request envelope: this head, `body`'s element, the envelope's end.
    pub fn encode<B: XmlElement>(&self, body: &B) -> Result<String, EncodeError> {
        let mut w = XmlWriter::with_capacity(self.text.len() + 256);
        w.raw(&self.text);
        // As `write_envelope_start` declared it.
        w.set_xsi_declared(true);
        write_body(&mut w, body)?;
        w.raw(match self.version {
            SoapVersion::Soap11 => "</soap:Body></soap:Envelope>",
            SoapVersion::Soap12 => "</soap12:Body></soap12:Envelope>",
        });
        Ok(w.into_string())
    }
}

/// The head's text is the header's, credentials included: shown by length only.
impl std::fmt::Debug for RequestHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestHead").field("version", &self.version).field("bytes", &self.text.len()).finish()
    }
}

/// The body's element, or for an empty message (an empty [`XmlElement::NAME`]) its content
/// (nothing, for a message without parts).
fn write_body<B: XmlElement>(w: &mut XmlWriter, body: &B) -> Result<(), EncodeError> {
    if B::NAME.is_empty() { body.encode_content(w, "Body") } else { w.element(B::NAMESPACE, B::NAME, body) }
}

/// An empty `Body` element in the envelope namespace of `version`: what `on_body` of
/// [`decode_request`] gets for a body that holds no element.
fn empty_body(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::Soap11 => "<Body xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"/>",
        SoapVersion::Soap12 => "<Body xmlns=\"http://www.w3.org/2003/05/soap-envelope\"/>",
    }
}

/// The value of an empty message `B` (the missing response of a one-way operation, answered
/// with an empty HTTP body): `B` read from an element with no content.
pub fn empty_message<B: XmlContent>() -> Result<B, DecodeError> {
    let mut r = XmlReader::new("<Body/>");
    let root = r.root()?;
    B::decode_content(&mut r, &root)
}

/// Writes a response envelope the way ASMX does.
pub fn encode_response<B: XmlElement>(version: SoapVersion, body: &B) -> Result<String, EncodeError> {
    let mut w = XmlWriter::with_capacity(1024);
    write_envelope_start(&mut w, version, "soap", false);
    w.raw("<soap:Body>");
    write_body(&mut w, body)?;
    w.raw("</soap:Body></soap:Envelope>");
    Ok(w.into_string())
}

/// Writes a fault envelope the way ASMX does: `xml:lang="en"` in 1.2, an empty `detail` unless
/// [`Fault::detail`] is `None` (ASMX writes none for a header fault such as `MustUnderstand`;
/// the detail's content is not written), and an `Upgrade` header when [`Fault::upgrade`]
/// lists versions.
pub fn encode_fault(fault: &Fault) -> Result<String, EncodeError> {
    let mut w = XmlWriter::with_capacity(512);
    let version = fault.version;
    write_envelope_start(&mut w, version, "soap", false);
    if !fault.upgrade.is_empty() {
        write_upgrade_header(&mut w, &fault.upgrade);
    }
    w.raw("<soap:Body><soap:Fault>");
    let code = fault.code.local_name(version);
    match version {
        SoapVersion::Soap11 => {
            w.raw("<faultcode>soap:");
            w.text("faultcode", code)?;
            w.raw("</faultcode><faultstring>");
            w.text("faultstring", &fault.reason)?;
            w.raw("</faultstring>");
            if let Some(actor) = &fault.actor {
                w.raw("<faultactor>");
                w.text("faultactor", actor)?;
                w.raw("</faultactor>");
            }
            if fault.detail.is_some() {
                w.raw("<detail />");
            }
        }
        SoapVersion::Soap12 => {
            w.raw("<soap:Code><soap:Value>soap:");
            w.text("Value", code)?;
            w.raw("</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">");
            w.text("Text", &fault.reason)?;
            w.raw("</soap:Text></soap:Reason>");
            if let Some(node) = &fault.node {
                w.raw("<soap:Node>");
                w.text("Node", node)?;
                w.raw("</soap:Node>");
            }
            if let Some(actor) = &fault.actor {
                w.raw("<soap:Role>");
                w.text("Role", actor)?;
                w.raw("</soap:Role>");
            }
            if fault.detail.is_some() {
                w.raw("<soap:Detail />");
            }
        }
    }
    w.raw("</soap:Fault></soap:Body></soap:Envelope>");
    Ok(w.into_string())
}

fn open_envelope<'a>(r: &mut XmlReader<'a>) -> Result<(SoapVersion, Element<'a>), DecodeError> {
    let root = r.root()?;
    let ns = r.namespace(&root);
    match SoapVersion::from_namespace(ns) {
        Some(v) if root.local_name() == "Envelope" => Ok((v, root)),
        _ => Err(r.error(DecodeErrorKind::UnexpectedElement {
            expected: format!("{{{SOAP11_NS}}}Envelope or {{{SOAP12_NS}}}Envelope"),
            found: r.expanded_name(&root),
        })),
    }
}

/// Decodes a response envelope of either SOAP version: the body's `B` element or a fault.
/// Headers are skipped; an unexpected body element is an error naming both.
pub fn decode_response<B: XmlElement>(input: &str) -> Result<Body<B>, DecodeError> {
    decode_response_with_depth(input, super::DEFAULT_MAX_DEPTH)
}

/// [`decode_response`] with an explicit element depth limit.
pub fn decode_response_with_depth<B: XmlElement>(input: &str, max_depth: usize) -> Result<Body<B>, DecodeError> {
    decode_response_from(XmlReader::with_max_depth(input, max_depth))
}

/// [`decode_response_with_depth`] with the reader's fast paths off
/// ([`XmlReader::without_fast_paths`]): the reference the fast paths are tested against,
/// through the generated decoders.
#[doc(hidden)]
pub fn decode_response_without_fast_paths<B: XmlElement>(
    input: &str,
    max_depth: usize,
) -> Result<Body<B>, DecodeError> {
    decode_response_from(XmlReader::with_max_depth(input, max_depth).without_fast_paths())
}

fn decode_response_from<B: XmlElement>(mut r: XmlReader<'_>) -> Result<Body<B>, DecodeError> {
    let (version, envelope) = open_envelope(&mut r)?;
    let mut result = None;
    let mut protocol = ProtocolHeaders::default();
    while let Some(child) = r.next_child(&envelope)? {
        let env_ns = r.is_in(&child, version.namespace());
        match child.local_name() {
            "Header" if env_ns => protocol.read(&mut r, &child)?,
            "Body" if env_ns && result.is_none() => {
                let Some(first) = r.next_child(&child)? else {
                    if B::NAME.is_empty() {
                        // An empty message: the empty body is its content.
                        result = Some(Body::Response(empty_message::<B>()?));
                        continue;
                    }
                    return Err(r.error(DecodeErrorKind::MissingElement { element: B::NAME, parent: "Body" }));
                };
                if r.is(&first, version.namespace(), "Fault") {
                    let start = r.last_event_offset();
                    let mut fault = decode_fault(&mut r, &first, version)?;
                    fault.raw = r.input()[start..r.offset()].to_owned();
                    result = Some(Body::Fault(fault));
                } else if B::NAME.is_empty() {
                    // An empty message: whatever the body holds is skipped as unknown content.
                    let value = B::decode_content(&mut r, &first)?;
                    result = Some(Body::Response(value));
                } else if r.is(&first, B::NAMESPACE, B::NAME) {
                    result = Some(Body::Response(B::decode_content(&mut r, &first)?));
                } else {
                    return Err(r.error(DecodeErrorKind::UnexpectedElement {
                        expected: format!("{{{}}}{}", B::NAMESPACE, B::NAME),
                        found: r.expanded_name(&first),
                    }));
                }
                // Anything after the first body element is not ours to read.
                while let Some(extra) = r.next_child(&child)? {
                    r.skip(&extra)?;
                }
            }
            _ => r.skip(&child)?,
        }
    }
    r.finish()?;
    match result {
        Some(Body::Fault(mut fault)) => {
            fault.upgrade = protocol.upgrade;
            fault.not_understood = protocol.not_understood;
            Ok(Body::Fault(fault))
        }
        Some(body) => Ok(body),
        None => Err(r.error(DecodeErrorKind::MissingElement { element: "Body", parent: "Envelope" })),
    }
}

/// The SOAP 1.2 protocol headers a fault response may carry: `Upgrade` (with a
/// `VersionMismatch` fault) and `NotUnderstood` (with a `MustUnderstand` fault). Both are in
/// the SOAP 1.2 envelope namespace whatever the envelope's version.
#[derive(Default)]
struct ProtocolHeaders {
    upgrade: Vec<SoapVersion>,
    not_understood: Vec<String>,
}

impl ProtocolHeaders {
    fn read<'a>(&mut self, r: &mut XmlReader<'a>, header: &Element<'a>) -> Result<(), DecodeError> {
        while let Some(h) = r.next_child(header)? {
            if r.is(&h, SOAP12_NS, "Upgrade") {
                while let Some(supported) = r.next_child(&h)? {
                    if r.is(&supported, SOAP12_NS, "SupportedEnvelope") {
                        let qname = r.attribute(&supported, "", "qname")?.unwrap_or_default();
                        let (prefix, local) = match qname.trim().split_once(':') {
                            Some((p, l)) => (Some(p), l),
                            None => (None, qname.trim()),
                        };
                        let version = r.resolve_prefix(prefix).and_then(SoapVersion::from_namespace);
                        if let Some(v) = version.filter(|_| local == "Envelope") {
                            self.upgrade.push(v);
                        }
                    }
                    r.skip(&supported)?;
                }
            } else if r.is(&h, SOAP12_NS, "NotUnderstood") {
                if let Some(qname) = r.attribute(&h, "", "qname")? {
                    self.not_understood.push(qname.trim().to_owned());
                }
                r.skip(&h)?;
            } else {
                r.skip(&h)?;
            }
        }
        Ok(())
    }
}

/// The `Upgrade` header ASMX adds to a `VersionMismatch` fault (`CreateUpgradeHeader` in
/// System.Web.Services: both envelope versions it serves, SOAP 1.1 first).
fn write_upgrade_header(w: &mut XmlWriter, supported: &[SoapVersion]) {
    w.raw("<soap:Header><soap12:Upgrade xmlns:soap12=\"");
    w.raw(SOAP12_NS);
    w.raw("\">");
    for v in supported {
        let prefix = match v {
            SoapVersion::Soap11 => "soap",
            SoapVersion::Soap12 => "soap12",
        };
        w.raw("<soap12:SupportedEnvelope qname=\"");
        w.raw(prefix);
        w.raw(":Envelope\" xmlns:");
        w.raw(prefix);
        w.raw("=\"");
        w.raw(v.namespace());
        w.raw("\" />");
    }
    w.raw("</soap12:Upgrade></soap:Header>");
}

fn decode_fault<'a>(r: &mut XmlReader<'a>, fault: &Element<'a>, version: SoapVersion) -> Result<Fault, DecodeError> {
    let env = version.namespace();
    let mut out = Fault {
        version,
        code: FaultCode::Other(String::new()),
        subcodes: Vec::new(),
        reason: String::new(),
        actor: None,
        node: None,
        detail: None,
        raw: String::new(),
        upgrade: Vec::new(),
        not_understood: Vec::new(),
    };
    let mut saw_code = false;
    while let Some(child) = r.next_child(fault)? {
        let name = child.local_name();
        match version {
            // SOAP 1.1 fault children are unqualified.
            SoapVersion::Soap11 if r.namespace(&child).is_empty() => match name {
                "faultcode" => {
                    out.code = FaultCode::from_qname(&r.read_text(&child)?);
                    saw_code = true;
                }
                "faultstring" => out.reason = r.read_text(&child)?.into_owned(),
                "faultactor" => out.actor = Some(r.read_text(&child)?.into_owned()),
                "detail" => out.detail = Some(read_inner(r, &child)?),
                _ => r.skip(&child)?,
            },
            SoapVersion::Soap12 if r.is_in(&child, env) => match name {
                "Code" => {
                    decode_code12(r, &child, &mut out)?;
                    saw_code = true;
                }
                "Reason" => {
                    while let Some(text) = r.next_child(&child)? {
                        if r.is(&text, env, "Text") && out.reason.is_empty() {
                            out.reason = r.read_text(&text)?.into_owned();
                        } else {
                            r.skip(&text)?;
                        }
                    }
                }
                "Node" => out.node = Some(r.read_text(&child)?.into_owned()),
                "Role" => out.actor = Some(r.read_text(&child)?.into_owned()),
                "Detail" => out.detail = Some(read_inner(r, &child)?),
                _ => r.skip(&child)?,
            },
            _ => r.skip(&child)?,
        }
    }
    if !saw_code {
        let element = match version {
            SoapVersion::Soap11 => "faultcode",
            SoapVersion::Soap12 => "Code",
        };
        return Err(r.error(DecodeErrorKind::MissingElement { element, parent: "Fault" }));
    }
    Ok(out)
}

fn decode_code12<'a>(r: &mut XmlReader<'a>, code: &Element<'a>, out: &mut Fault) -> Result<(), DecodeError> {
    let env = out.version.namespace();
    while let Some(child) = r.next_child(code)? {
        if r.is(&child, env, "Value") {
            out.code = FaultCode::from_qname(&r.read_text(&child)?);
        } else if r.is(&child, env, "Subcode") {
            decode_subcode(r, &child, out)?;
        } else {
            r.skip(&child)?;
        }
    }
    Ok(())
}

/// `Subcode/Value`, `Subcode/Subcode/Value`, ...: recursion bounded by the reader's depth limit.
fn decode_subcode<'a>(r: &mut XmlReader<'a>, subcode: &Element<'a>, out: &mut Fault) -> Result<(), DecodeError> {
    let env = out.version.namespace();
    while let Some(child) = r.next_child(subcode)? {
        if r.is(&child, env, "Value") {
            out.subcodes.push(r.read_text(&child)?.trim().to_owned());
        } else if r.is(&child, env, "Subcode") {
            decode_subcode(r, &child, out)?;
        } else {
            r.skip(&child)?;
        }
    }
    Ok(())
}

fn read_inner<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<String, DecodeError> {
    r.read_raw_content(element).map(str::to_owned)
}

/// Decodes a request envelope for a server: each header element goes to `on_header` (return
/// `Ok(false)` to have it skipped), the first body element to `on_body`. A body that holds no
/// element goes to `on_body` itself, as the content of an empty message (see
/// [`XmlElement::NAME`]; `server::require_body_element` refuses it for other operations).
///
/// Read as ASMX reads a request: the text is taken as already decoded (the XML declaration's
/// `encoding` is not checked: [`XmlReader::decoded_text`]), and a parameter sent twice keeps
/// its first value ([`XmlReader::first_occurrence_wins`]).
pub fn decode_request<'a, R>(
    input: &'a str,
    mut on_header: impl FnMut(&mut XmlReader<'a>, &Element<'a>) -> Result<bool, DecodeError>,
    on_body: impl FnOnce(&mut XmlReader<'a>, &Element<'a>) -> Result<R, DecodeError>,
) -> Result<(SoapVersion, R), DecodeError> {
    let mut r = XmlReader::new(input).decoded_text().first_occurrence_wins();
    let (version, envelope) = open_envelope(&mut r)?;
    let mut on_body = Some(on_body);
    let mut result = None;
    while let Some(child) = r.next_child(&envelope)? {
        let env_ns = r.is_in(&child, version.namespace());
        match child.local_name() {
            "Header" if env_ns => {
                while let Some(h) = r.next_child(&child)? {
                    if !on_header(&mut r, &h)? {
                        r.skip(&h)?;
                    }
                }
            }
            "Body" if env_ns => {
                let Some(first) = r.next_child(&child)? else {
                    if let Some(f) = on_body.take() {
                        // The body's end tag is read: its (empty) content is read from a
                        // stand-in `Body`, and an error is reported where the real one ends.
                        let mut stand_in = XmlReader::new(empty_body(version));
                        let body = stand_in.root()?;
                        match f(&mut stand_in, &body) {
                            Ok(value) => result = Some(value),
                            Err(e) => return Err(r.error(e.kind().clone())),
                        }
                    }
                    continue;
                };
                if let Some(f) = on_body.take() {
                    result = Some(f(&mut r, &first)?);
                } else {
                    r.skip(&first)?;
                }
                while let Some(extra) = r.next_child(&child)? {
                    r.skip(&extra)?;
                }
            }
            _ => r.skip(&child)?,
        }
    }
    r.finish()?;
    match result {
        Some(v) => Ok((version, v)),
        None => Err(r.error(DecodeErrorKind::MissingElement { element: "Body", parent: "Envelope" })),
    }
}
