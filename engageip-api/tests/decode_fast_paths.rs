//! The generated decoders read the same values, and fail with the same errors at the same
//! places, with the reader's fast paths (leaves read whole, fields expected in schema order)
//! and without them (every child read through quick-xml's events): on every recorded ASMX
//! response, on packages written every way the leaf path must see through (namespaces, order,
//! repeats, references, odd names), and on every one-byte change of the success responses to
//! a byte that matters to a fast path.

use engageip_api::runtime::{self, Body, DecodeError, XmlElement};
use engageip_api::types::{
    GetPackageServicesResponse, GetPackageUpgradesResponse, GetPackagesResponse, UpdatePackageResponse,
    UpgradeUserPackageResponse,
};

const CAPTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/asmx-captures");

/// What a decode gave, as text: the value, or the error with its location.
fn outcome<B: XmlElement + std::fmt::Debug>(result: Result<Body<B>, DecodeError>) -> String {
    match result {
        Ok(body) => format!("{body:?}"),
        Err(e) => format!("error {e} at {:?}", e.location()),
    }
}

/// Decodes `xml` as `B` both ways; the two outcomes, for comparison.
fn both<B: XmlElement + std::fmt::Debug>(xml: &str) -> (String, String) {
    (
        outcome(runtime::decode_response::<B>(xml)),
        outcome(runtime::decode_response_without_fast_paths::<B>(xml, runtime::DEFAULT_MAX_DEPTH)),
    )
}

/// Every response type, both ways: the outcomes that differ, named.
fn differences(xml: &str) -> Vec<String> {
    let pairs = [
        ("GetPackages", both::<GetPackagesResponse>(xml)),
        ("GetPackageUpgrades", both::<GetPackageUpgradesResponse>(xml)),
        ("GetPackageServices", both::<GetPackageServicesResponse>(xml)),
        ("UpgradeUserPackage", both::<UpgradeUserPackageResponse>(xml)),
        ("UpdatePackage", both::<UpdatePackageResponse>(xml)),
    ];
    pairs
        .into_iter()
        .filter(|(_, (fast, reference))| fast != reference)
        .map(|(op, (fast, reference))| format!("{op}:\n  fast:      {fast}\n  reference: {reference}"))
        .collect()
}

/// [`both`] for one response type.
type Both = fn(&str) -> (String, String);

fn responses() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(CAPTURES)
        .expect("the captures directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".resp.xml"))
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).expect("a capture")).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), text))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_capture_decodes_the_same_with_and_without_the_fast_paths() {
    let responses = responses();
    assert!(responses.len() >= 20, "the captures are there: {}", responses.len());
    for (name, xml) in &responses {
        let diff = differences(xml);
        assert!(diff.is_empty(), "{name}:\n{}", diff.join("\n"));
    }
    // The fast paths are taken: a success response decodes to packages.
    let (_, packages) = responses.iter().find(|(n, _)| n == "soap11-GetPackages-ok.resp.xml").expect("the capture");
    assert!(matches!(runtime::decode_response::<GetPackagesResponse>(packages), Ok(Body::Response(r))
        if !r.get_packages_result.as_deref().unwrap_or_default().is_empty()));
}

#[test]
fn every_one_byte_change_decodes_the_same_with_and_without_the_fast_paths() {
    // Bytes that start, end or break markup, names, references, numbers and dates.
    const REPLACEMENTS: &[u8] = b"<>/&: \n\"=x1-.TZ";
    // A response of each shape of record, SOAP 1.1 and 1.2, each read as its own operation's.
    let documents: [(&str, Both); 3] = [
        ("soap11-GetPackages-ok.resp.xml", both::<GetPackagesResponse>),
        ("soap11-GetPackageServices-ok.resp.xml", both::<GetPackageServicesResponse>),
        ("soap12-GetPackageUpgrades-ok.resp.xml", both::<GetPackageUpgradesResponse>),
    ];
    let responses = responses();
    let mut checked = 0usize;
    for (name, decode) in documents {
        let (_, xml) = responses.iter().find(|(n, _)| n == name).expect("the capture");
        let bytes = xml.as_bytes();
        for at in 0..bytes.len() {
            let mut variants: Vec<Vec<u8>> = REPLACEMENTS
                .iter()
                .filter(|&&b| b != bytes[at])
                .map(|&b| {
                    let mut v = bytes.to_vec();
                    v[at] = b;
                    v
                })
                .collect();
            let mut deleted = bytes.to_vec();
            deleted.remove(at);
            variants.push(deleted);
            for variant in variants {
                let Ok(text) = String::from_utf8(variant) else { continue };
                let (fast, reference) = decode(&text);
                assert_eq!(fast, reference, "{name}, byte {at} changed:\n{text}");
                checked += 1;
            }
        }
    }
    assert!(checked > 40_000, "{checked} documents");
}

/// A GetPackages response whose one package has `fields` inside `<package_tag>`.
fn package_response(package_tag: &str, fields: &str) -> String {
    let close = package_tag.split([' ', '>']).next().unwrap_or_default().trim_start_matches('<');
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soap:Body><GetPackagesResponse xmlns=\"Logisense_EngageIP\">\
         <GetPackagesResult>{package_tag}{fields}</{close}></GetPackagesResult></GetPackagesResponse></soap:Body></soap:Envelope>"
    )
}

#[test]
fn packages_written_every_way_decode_the_same_with_and_without_the_fast_paths() {
    const REST: &str = "<OwnerID>7</OwnerID><Frequency>1</Frequency><BaseTimeUnitTypeID>3</BaseTimeUnitTypeID>\
        <Amount>19.99</Amount><CreatedDate>2024-02-29T12:00:00.1234567</CreatedDate><OneTimeAmount>0</OneTimeAmount>\
        <InactiveOverride>false</InactiveOverride><StartDate>2024-03-01T00:00:00Z</StartDate>\
        <ExpiryDate xsi:nil=\"true\" /><InvoiceIdentifierID>4</InvoiceIdentifierID><ShowToUserPortal>true</ShowToUserPortal>";
    let plain = "<Package>";
    // The fields in another default namespace than the package's, or in none.
    let prefixed = "<p:Package xmlns:p=\"Logisense_EngageIP\" xmlns=\"urn:other\">";
    let undeclared = "<p:Package xmlns:p=\"Logisense_EngageIP\" xmlns=\"\">";
    let redeclared = "<p:Package xmlns:p=\"Logisense_EngageIP\" xmlns=\"Logisense_EngageIP\">";
    let cases: Vec<(&str, String)> = vec![
        (plain, format!("<Validate /><ID>1</ID><Name>Basic</Name><SKU>B-1</SKU>{REST}")),
        // (`<p:Validate />`, read by name, has the decoder expect `ID` next.)
        (prefixed, format!("<p:Validate /><ID>1</ID><Name>Basic</Name>{REST}")),
        (prefixed, format!("<p:Validate /><p:ID>1</p:ID><ID>2</ID><Name>Basic</Name>{REST}")),
        (undeclared, format!("<p:Validate /><ID>1</ID><p:ID>2</p:ID>{REST}")),
        (redeclared, format!("<p:Validate /><ID>1</ID><Name>Basic</Name>{REST}")),
        // Out of order, repeated, missing.
        (plain, format!("{REST}<Name>Basic</Name><ID>1</ID>")),
        (plain, format!("<ID>1</ID><ID>2</ID>{REST}")),
        (plain, format!("<ID>1</ID><Name>a</Name><Name>b</Name>{REST}")),
        (plain, format!("<Name>Basic</Name>{REST}")),
        (plain, format!("<ID>1</ID><Name>Basic</Name><Name xsi:nil=\"true\" />{REST}")),
        // Texts the leaf path leaves to quick-xml, or checks itself.
        (plain, format!("<ID>1</ID><Name>a &amp; b</Name>{REST}")),
        (plain, format!("<ID>1</ID><Name><![CDATA[a < b]]></Name>{REST}")),
        (plain, format!("<ID>1</ID><Name>a<!-- c -->b</Name>{REST}")),
        (plain, format!("<ID>1</ID><Name>a\r\nb</Name>{REST}")),
        (plain, format!("<ID>1</ID><Name>a\u{1}b</Name>{REST}")),
        (plain, format!("<ID>1</ID><Name></Name><SKU/>{REST}")),
        (plain, format!("<ID> 1 </ID>{REST}")),
        (plain, format!("<ID>x</ID>{REST}")),
        (plain, format!("<ID>99999999999</ID>{REST}")),
        (plain, format!("\n  <ID>1</ID>\n  <Name>Basic</Name>\n  {REST}\n")),
        // Names near the expected one, and broken end tags.
        (plain, format!("<IDx>1</IDx><I>2</I><id>3</id><ID>4</ID>{REST}")),
        (plain, format!("<ID>1</IDx>{REST}")),
        (plain, format!("<ID>1</ID >{REST}")),
        (plain, format!("<ID>1</I>{REST}")),
        (plain, format!("<ID >1</ID>{REST}")),
        (plain, format!("<ID a=\"1\">1</ID>{REST}")),
        (plain, format!("<ID>1<ID>{REST}")),
        (plain, "<ID>1".to_owned()),
        (plain, format!("<ID><ID>1</ID></ID>{REST}")),
        (plain, format!("<Validate><ID>1</ID></Validate><ID>2</ID>{REST}")),
    ];
    for (tag, fields) in &cases {
        let xml = package_response(tag, fields);
        let (fast, reference) = both::<GetPackagesResponse>(&xml);
        assert_eq!(fast, reference, "{xml}");
    }
}
