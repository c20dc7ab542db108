//! Harnesses over `engageip_api`: response decoding (every operation), fault parsing and
//! request decoding. Shared by the fuzz targets and by `engageip-api/tests/fuzz_corpus.rs`,
//! which replays the committed seeds and regressions under `cargo test`.
//!
//! Each harness checks more than "no panic": whatever decodes must encode again, and the
//! encoded form must be a fixpoint (encode ∘ decode ∘ encode = encode), so the decoder can
//! never accept a value the encoder would refuse or write differently.

use engageip_api::operations::{self, OPERATIONS};
use engageip_api::runtime::{
    self, Body, DecodeError, DecodeErrorKind, Element, Operation, SoapVersion, XmlContent, XmlElement, XmlReader,
};
use engageip_api::types::AuthHeader;
use engageip_api::{DocumentedFault, Fault};

/// Calls `$m!(Operation)` for every generated operation.
macro_rules! for_each_operation {
    ($m:ident) => {
        $m!(operations::GetPackages);
        $m!(operations::GetPackageUpgrades);
        $m!(operations::GetPackageServices);
        $m!(operations::UpgradeUserPackage);
        $m!(operations::UpdatePackage);
    };
}

/// How many operations the harnesses cover; the replay test compares it with
/// [`OPERATIONS`] so that a new operation cannot be left out silently.
pub fn covered_operations() -> usize {
    let mut n = 0;
    macro_rules! count {
        ($op:ty) => {
            n += 1;
        };
    }
    for_each_operation!(count);
    debug_assert!(n <= OPERATIONS.len());
    n
}

/// Decodes `data` as the response of every operation.
pub fn response(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    macro_rules! one {
        ($op:ty) => {
            response_as::<<$op as Operation>::Response>(text);
        };
    }
    for_each_operation!(one);
}

/// Decodes `data` (after its first byte, which picks the SOAP version) as the content of a
/// `Fault` element, and on its own as a whole response document.
pub fn fault(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(content) = std::str::from_utf8(rest) else { return };
    let version = if selector & 1 == 0 { SoapVersion::Soap11 } else { SoapVersion::Soap12 };
    let document = format!(
        "<soap:Envelope xmlns:soap=\"{}\"><soap:Body><soap:Fault>{content}</soap:Fault></soap:Body></soap:Envelope>",
        version.namespace()
    );
    response_as::<<operations::UpgradeUserPackage as Operation>::Response>(&document);
    response_as::<<operations::GetPackages as Operation>::Response>(content);
}

fn response_as<B: XmlElement>(text: &str) {
    match runtime::decode_response::<B>(text) {
        Ok(Body::Response(body)) => {
            let once = runtime::encode_response(SoapVersion::Soap11, &body)
                .unwrap_or_else(|e| panic!("a decoded {} does not encode: {e}", B::NAME));
            let again = match runtime::decode_response::<B>(&once) {
                Ok(Body::Response(b)) => b,
                Ok(Body::Fault(f)) => panic!("our encoding of {} decodes as a fault: {f}\n{once}", B::NAME),
                Err(e) => panic!("our encoding of {} does not decode: {e}\n{once}", B::NAME),
            };
            let twice = runtime::encode_response(SoapVersion::Soap11, &again).expect("re-encode");
            assert_eq!(once, twice, "{} does not survive a round trip", B::NAME);
        }
        Ok(Body::Fault(fault)) => check_fault(&fault, text),
        Err(e) => check_error(&e, text),
    }
}

fn check_fault(fault: &Fault, text: &str) {
    let _ = fault.to_string();
    let _ = DocumentedFault::from_reason(&fault.reason);
    assert!(text.contains(&fault.raw), "Fault::raw is not a slice of the input");
    let encoded = runtime::encode_fault(fault).unwrap_or_else(|e| panic!("a decoded fault does not encode: {e}"));
    match runtime::decode_response::<<operations::GetPackages as Operation>::Response>(&encoded) {
        Ok(Body::Fault(again)) => {
            assert_eq!(again.reason, fault.reason, "fault reason changed in a round trip");
            assert_eq!(again.version, fault.version);
        }
        other => panic!("our fault encoding does not decode as a fault: {other:?}\n{encoded}"),
    }
}

fn check_error(e: &DecodeError, text: &str) {
    let message = e.to_string();
    assert!(!message.is_empty());
    let lines = text.split('\n').count();
    assert!(e.location().line as usize <= lines, "error line {} past the end ({lines} lines)", e.location().line);
}

/// The request of any operation, decoded by element name as a server would.
#[derive(Debug)]
enum AnyRequest {
    GetPackages(<operations::GetPackages as Operation>::Request),
    GetPackageUpgrades(<operations::GetPackageUpgrades as Operation>::Request),
    GetPackageServices(<operations::GetPackageServices as Operation>::Request),
    UpgradeUserPackage(<operations::UpgradeUserPackage as Operation>::Request),
    UpdatePackage(<operations::UpdatePackage as Operation>::Request),
}

impl AnyRequest {
    fn decode<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        macro_rules! try_op {
            ($op:ident) => {
                type Req = <operations::$op as Operation>::Request;
                if r.is(element, Req::NAMESPACE, Req::NAME) {
                    return Req::decode_content(r, element).map(AnyRequest::$op);
                }
            };
        }
        {
            try_op!(GetPackages);
        }
        {
            try_op!(GetPackageUpgrades);
        }
        {
            try_op!(GetPackageServices);
        }
        {
            try_op!(UpgradeUserPackage);
        }
        {
            try_op!(UpdatePackage);
        }
        Err(r.error(DecodeErrorKind::UnexpectedElement {
            expected: "an operation's request element".to_owned(),
            found: r.expanded_name(element),
        }))
    }

    fn encode(&self, version: SoapVersion, header: Option<&AuthHeader>) -> String {
        let encoded = match self {
            AnyRequest::GetPackages(b) => runtime::encode_request(version, header, b),
            AnyRequest::GetPackageUpgrades(b) => runtime::encode_request(version, header, b),
            AnyRequest::GetPackageServices(b) => runtime::encode_request(version, header, b),
            AnyRequest::UpgradeUserPackage(b) => runtime::encode_request(version, header, b),
            AnyRequest::UpdatePackage(b) => runtime::encode_request(version, header, b),
        };
        encoded.unwrap_or_else(|e| panic!("a decoded request does not encode: {e}"))
    }
}

fn decode_any_request(text: &str) -> Result<(SoapVersion, Option<AuthHeader>, AnyRequest), DecodeError> {
    let mut header = None;
    let (version, body) = runtime::decode_request(
        text,
        |r, h| {
            if header.is_none() && r.is(h, AuthHeader::NAMESPACE, AuthHeader::NAME) {
                header = Some(AuthHeader::decode_content(r, h)?);
                Ok(true)
            } else {
                Ok(false)
            }
        },
        AnyRequest::decode,
    )?;
    Ok((version, header, body))
}

/// Decodes `data` as a request envelope of any operation, as the server does.
pub fn request(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match decode_any_request(text) {
        Ok((version, header, body)) => {
            let once = body.encode(version, header.as_ref());
            let (v2, h2, b2) = decode_any_request(&once)
                .unwrap_or_else(|e| panic!("our request encoding does not decode: {e}\n{once}"));
            assert_eq!(v2, version);
            assert!(h2 == header, "AuthHeader changed in a round trip");
            let twice = b2.encode(v2, h2.as_ref());
            assert_eq!(once, twice, "request does not survive a round trip");
        }
        Err(e) => check_error(&e, text),
    }
}
