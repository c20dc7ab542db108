//! One test per row of the dispatcher's table of request shapes and answers
//! (`engageip_api::runtime::server`), each over HTTP on loopback against the hyper adapter and
//! the simulator: status, content type, fault code and text, as ASMX answers.

use std::sync::Arc;

use engageip_api::runtime::{Body, FaultCode, SoapVersion, decode_response};
use engageip_api::server::ServerHandle;
use engageip_api::simulator::{BUILTIN_JSON, DataSet, Simulator};
use engageip_api::types::GetPackagesResponse;
use engageip_api::{Client, Credentials, Error};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const AUTH: &str =
    "<AuthHeader xmlns=\"Logisense_EngageIP\"><Username>admin</Username><Password>secret</Password></AuthHeader>";
const TEXT_XML: &str = "text/xml; charset=utf-8";
const SOAP_XML: &str = "application/soap+xml; charset=utf-8";

async fn start() -> (ServerHandle, Arc<Simulator>) {
    start_with(DataSet::builtin()).await
}

async fn start_with(data: DataSet) -> (ServerHandle, Arc<Simulator>) {
    let simulator = Arc::new(Simulator::new(data, Credentials::new("admin", "secret")));
    let server = ServerHandle::start("127.0.0.1:0", simulator.clone()).await.expect("server starts");
    (server, simulator)
}

/// An envelope of `version` with `headers` (the AuthHeader first) and `body`.
fn envelope(version: SoapVersion, headers: &str, body: &str) -> String {
    let ns = match version {
        SoapVersion::Soap11 => SOAP11,
        _ => SOAP12,
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{ns}\"><s:Header>{AUTH}{headers}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    )
}

fn get_packages(owner: &str) -> String {
    format!("<GetPackages xmlns=\"Logisense_EngageIP\"><username>{owner}</username></GetPackages>")
}

/// What came back: status, content type (empty when none) and body.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The fault the body holds: code (as written in the envelope's version) and reason.
    fn fault(&self) -> engageip_api::runtime::Fault {
        match decode_response::<GetPackagesResponse>(&self.text()) {
            Ok(Body::Fault(f)) => f,
            other => panic!("expected a fault, got {other:?}: {}", self.text()),
        }
    }

    /// The names of the packages a `GetPackages` answer lists.
    fn package_names(&self) -> Vec<String> {
        match decode_response::<GetPackagesResponse>(&self.text()) {
            Ok(Body::Response(r)) => {
                r.get_packages_result.unwrap_or_default().into_iter().filter_map(|p| p.name).collect()
            }
            other => panic!("expected packages, got {other:?}: {}", self.text()),
        }
    }
}

/// A plain HTTP client (the ring provider installed, as the crate's client does).
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let r = request.send().await.expect("the server answers");
    let status = r.status().as_u16();
    let content_type = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = r.bytes().await.expect("body").to_vec();
    Answer { status, content_type, body }
}

async fn post(url: &str, content_type: Option<&str>, soap_action: Option<&str>, body: impl Into<Vec<u8>>) -> Answer {
    let mut request = http().post(url).body(body.into());
    if let Some(ct) = content_type {
        request = request.header("Content-Type", ct);
    }
    if let Some(action) = soap_action {
        request = request.header("SOAPAction", action);
    }
    send(request).await
}

const ACTION: &str = "\"Logisense_EngageIP/GetPackages\"";

#[tokio::test]
async fn head_and_other_methods_get_405() {
    let (server, _) = start().await;
    let http = http();
    let head = send(http.head(server.url())).await;
    assert_eq!(head.status, 405);
    assert!(head.body.is_empty());
    let put = send(http.put(server.url()).header("Content-Type", TEXT_XML).body("<a/>")).await;
    assert_eq!((put.status, put.content_type.as_str()), (405, "text/plain; charset=utf-8"));
}

#[tokio::test]
async fn no_content_type_gets_415_and_no_body() {
    let (server, _) = start().await;
    let a = post(&server.url(), None, Some(ACTION), envelope(SoapVersion::Soap11, "", &get_packages("demo-isp"))).await;
    assert_eq!((a.status, a.content_type.as_str()), (415, TEXT_XML));
    assert!(a.body.is_empty());
}

#[tokio::test]
async fn other_content_types_get_an_html_error_page() {
    let (server, _) = start().await;
    let a = post(&server.url(), Some("application/json"), None, "{}").await;
    assert_eq!((a.status, a.content_type.as_str()), (500, "text/html"));
    assert!(a.text().contains("Request format is invalid: application/json."), "{}", a.text());
}

#[tokio::test]
async fn utf16_and_latin1_requests_are_decoded_by_their_charset() {
    // A package with a non-ASCII name, so that the charset matters.
    let data = DataSet::from_json(&BUILTIN_JSON.replace("\"Basic Internet\"", "\"Básico Internet\"")).expect("data");
    let (server, _) = start_with(data).await;
    let body11 = envelope(SoapVersion::Soap11, "", &get_packages("demo-isp"));

    // UTF-16 with a byte order mark, as .NET's StreamReader and many Windows tools write it.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(body11.replace("utf-8", "utf-16").encode_utf16().flat_map(u16::to_le_bytes));
    let a = post(&server.url(), Some("text/xml; charset=utf-16"), Some(ACTION), utf16).await;
    assert_eq!((a.status, a.content_type.as_str()), (200, TEXT_XML), "{}", a.text());
    assert!(a.package_names().contains(&"Básico Internet".to_owned()));

    // ISO-8859-1 as PHP's SoapClient sends with `encoding => ISO-8859-1`: the charset and a
    // matching declaration; the answer is UTF-8. Then a declaration that disagrees (it says
    // UTF-8): the charset wins.
    let services = envelope(
        SoapVersion::Soap11,
        "",
        "<GetPackageServices xmlns=\"Logisense_EngageIP\"><packageName>Básico Internet</packageName></GetPackageServices>",
    );
    let latin1 =
        |text: &str| -> Vec<u8> { text.chars().map(|c| u8::try_from(u32::from(c)).expect("Latin-1")).collect() };
    for body in [latin1(&services.replace("utf-8", "ISO-8859-1")), latin1(&services)] {
        let a = post(
            &server.url(),
            Some("text/xml; charset=ISO-8859-1"),
            Some("\"Logisense_EngageIP/GetPackageServices\""),
            body,
        )
        .await;
        assert_eq!((a.status, a.content_type.as_str()), (200, TEXT_XML), "{}", a.text());
        assert!(a.text().contains("Internet access 25 Mbps"), "{}", a.text());
    }

    // SOAP 1.2 in UTF-16 big-endian, declared as such.
    let body12 = envelope(SoapVersion::Soap12, "", &get_packages("demo-isp")).replace("utf-8", "utf-16");
    let utf16be: Vec<u8> = body12.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let a = post(&server.url(), Some("application/soap+xml; charset=utf-16BE"), None, utf16be).await;
    assert_eq!((a.status, a.content_type.as_str()), (200, SOAP_XML), "{}", a.text());
    assert!(a.package_names().contains(&"Básico Internet".to_owned()));
}

#[tokio::test]
async fn bodies_that_are_not_well_formed_get_400_and_no_body() {
    let (server, _) = start().await;
    for (ct, body) in [
        (TEXT_XML, b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>".to_vec()),
        (TEXT_XML, b"<a>\xff</a>".to_vec()),
        ("text/xml; charset=utf-16", vec![b'<', 0, b'a']),
        ("text/xml", b"<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>".to_vec()),
    ] {
        let a = post(&server.url(), Some(ct), Some(ACTION), body).await;
        assert_eq!((a.status, a.content_type.as_str()), (400, TEXT_XML), "{ct}");
        assert!(a.body.is_empty());
    }
}

#[tokio::test]
async fn soap11_envelope_as_soap12_content_type_gets_415() {
    let (server, _) = start().await;
    let a =
        post(&server.url(), Some(SOAP_XML), None, envelope(SoapVersion::Soap11, "", &get_packages("demo-isp"))).await;
    assert_eq!((a.status, a.content_type.as_str()), (415, TEXT_XML));
    assert!(a.body.is_empty());
}

#[tokio::test]
async fn soap12_envelope_as_text_xml_is_answered_in_soap12() {
    let (server, _) = start().await;
    let a =
        post(&server.url(), Some(TEXT_XML), Some(ACTION), envelope(SoapVersion::Soap12, "", &get_packages("demo-isp")))
            .await;
    assert_eq!((a.status, a.content_type.as_str()), (200, SOAP_XML), "{}", a.text());
    assert!(!a.package_names().is_empty());
}

#[tokio::test]
async fn a_root_that_is_no_envelope_gets_version_mismatch_with_upgrade() {
    let (server, _) = start().await;
    for (ct, version) in [(TEXT_XML, SoapVersion::Soap11), (SOAP_XML, SoapVersion::Soap12)] {
        let a = post(&server.url(), Some(ct), None, "<Envelope xmlns=\"urn:not-soap\"><Body/></Envelope>").await;
        assert_eq!((a.status, a.content_type.as_str()), (500, ct));
        let fault = a.fault();
        assert_eq!((fault.version, fault.code.clone()), (version, FaultCode::VersionMismatch));
        assert_eq!(
            fault.reason,
            format!(
                "Possible SOAP version mismatch: Envelope namespace urn:not-soap was unexpected. Expecting {}.",
                version.namespace()
            )
        );
        assert_eq!(fault.upgrade, [SoapVersion::Soap11, SoapVersion::Soap12], "{}", a.text());
    }
}

#[tokio::test]
async fn unknown_or_empty_soapaction_is_a_client_fault() {
    let (server, _) = start().await;
    let body = envelope(SoapVersion::Soap11, "", &get_packages("demo-isp"));
    for (sent, named) in [("\"Logisense_EngageIP/NoSuch\"", "Logisense_EngageIP/NoSuch"), ("\"\"", ""), ("", "")] {
        let a = post(&server.url(), Some(TEXT_XML), Some(sent), body.clone()).await;
        assert_eq!((a.status, a.content_type.as_str()), (500, TEXT_XML), "{sent}");
        let fault = a.fault();
        assert_eq!(fault.code, FaultCode::Sender);
        assert!(a.text().contains("<faultcode>soap:Client</faultcode>"));
        assert_eq!(fault.reason, format!("Server did not recognize the value of HTTP Header SOAPAction: {named}."));
    }
    // URL-encoded, as ASMX decodes it.
    let a = post(&server.url(), Some(TEXT_XML), Some("\"Logisense%5FEngageIP/GetPackages\""), body).await;
    assert_eq!(a.status, 200, "{}", a.text());
}

#[tokio::test]
async fn no_action_routes_by_the_body_element() {
    let (server, _) = start().await;
    let a =
        post(&server.url(), Some(TEXT_XML), None, envelope(SoapVersion::Soap11, "", &get_packages("demo-isp"))).await;
    assert_eq!(a.status, 200, "{}", a.text());
    for ct in [SOAP_XML, "application/soap+xml; charset=utf-8; action=\"\""] {
        let a = post(&server.url(), Some(ct), None, envelope(SoapVersion::Soap12, "", &get_packages("demo-isp"))).await;
        assert_eq!((a.status, a.content_type.as_str()), (200, SOAP_XML), "{ct}: {}", a.text());
    }
}

#[tokio::test]
async fn unknown_soap12_action_routes_by_the_body_element() {
    let (server, _) = start().await;
    let ct = "application/soap+xml; charset=utf-8; action=\"Logisense_EngageIP/NoSuch\"";
    let a = post(&server.url(), Some(ct), None, envelope(SoapVersion::Soap12, "", &get_packages("demo-isp"))).await;
    assert_eq!(a.status, 200, "{}", a.text());
}

#[tokio::test]
async fn an_action_reads_any_body_element_as_its_request() {
    let (server, _) = start().await;
    // The action names GetPackages; the body element is in another namespace, so its child
    // is not the `username` parameter, which stays unset.
    let body = envelope(
        SoapVersion::Soap11,
        "",
        "<GetPackages xmlns=\"http://tempuri.org/\"><username>demo-isp</username></GetPackages>",
    );
    let a = post(&server.url(), Some(TEXT_XML), Some(ACTION), body).await;
    assert_eq!(a.status, 500);
    let fault = a.fault();
    assert_eq!((fault.code, fault.reason.as_str()), (FaultCode::Receiver, "INVALID USERNAME"));
}

#[tokio::test]
async fn unknown_body_elements_get_asmx_texts() {
    let (server, _) = start().await;
    let unknown = "<NoSuchOperation xmlns=\"Logisense_EngageIP\" />";
    let required = "Unable to handle request without a valid action parameter. Please supply a valid soap action.";
    let cases = [
        (TEXT_XML, SoapVersion::Soap11, required.to_owned(), "<faultcode>soap:Client</faultcode>"),
        (SOAP_XML, SoapVersion::Soap12, required.to_owned(), "<soap:Value>soap:Sender</soap:Value>"),
        (
            "application/soap+xml; charset=utf-8; action=\"urn:x\"",
            SoapVersion::Soap12,
            "Unable to handle request. The action 'urn:x' was not recognized.".to_owned(),
            "<soap:Value>soap:Sender</soap:Value>",
        ),
    ];
    for (ct, version, reason, code) in cases {
        let a = post(&server.url(), Some(ct), None, envelope(version, "", unknown)).await;
        assert_eq!(a.status, 500, "{ct}");
        assert_eq!(a.content_type, version.content_type(None));
        assert!(a.text().contains(code), "{}", a.text());
        assert_eq!(a.fault().reason, reason);
    }
}

#[tokio::test]
async fn must_understand_headers_nobody_reads_get_a_must_understand_fault() {
    let (server, simulator) = start().await;
    let custom = |version: SoapVersion, value: &str| {
        let prefix_ns = version.namespace();
        format!(
            "<x:Tracking xmlns:x=\"urn:tracking\" xmlns:e=\"{prefix_ns}\" e:mustUnderstand=\"{value}\">7</x:Tracking>"
        )
    };
    let rename = |from: &str, to: &str| {
        format!(
            "<UpdatePackage xmlns=\"Logisense_EngageIP\"><packageName>{from}</packageName><newPackageName>{to}</newPackageName>\
             <sku>NET-1</sku><startDate xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>\
             <expiryDate xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/><frequency>1</frequency>\
             <baseTimeUnitTypeName>Month</baseTimeUnitTypeName><inActiveOverride>false</inActiveOverride>\
             <showToUserPortal>true</showToUserPortal><invoiceIdentifier>Internet</invoiceIdentifier></UpdatePackage>"
        )
    };
    for (ct, action, version, value) in [
        (TEXT_XML, Some("\"Logisense_EngageIP/UpdatePackage\""), SoapVersion::Soap11, "1"),
        (
            "application/soap+xml; charset=utf-8; action=\"Logisense_EngageIP/UpdatePackage\"",
            None,
            SoapVersion::Soap12,
            "true",
        ),
    ] {
        let before = simulator.package(101).and_then(|p| p.name).expect("package 101");
        let after = format!("{before}+");
        let a =
            post(&server.url(), Some(ct), action, envelope(version, &custom(version, value), &rename(&before, &after)))
                .await;
        assert_eq!((a.status, a.content_type.as_str()), (500, version.content_type(None).as_str()), "{}", a.text());
        let fault = a.fault();
        assert_eq!(fault.code, FaultCode::MustUnderstand);
        assert_eq!(fault.reason, "SOAP header Tracking was not understood.");
        assert_eq!(fault.not_understood_header(), Some("Tracking"));
        assert_eq!(fault.detail, None, "a header fault has no detail: {}", a.text());
        // As in ASMX, which checks after the method returned: the operation ran.
        assert_eq!(simulator.package(101).and_then(|p| p.name), Some(after), "{version}");
    }
    // Not marked, or marked "0": ignored. The AuthHeader marked is understood.
    for headers in [custom(SoapVersion::Soap11, "0"), "<x:Tracking xmlns:x=\"urn:tracking\">7</x:Tracking>".to_owned()]
    {
        let a = post(
            &server.url(),
            Some(TEXT_XML),
            Some(ACTION),
            envelope(SoapVersion::Soap11, &headers, &get_packages("demo-isp")),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.text());
    }
    let marked_auth = envelope(SoapVersion::Soap11, "", &get_packages("demo-isp")).replace(
        "<AuthHeader xmlns=\"Logisense_EngageIP\">",
        &format!("<AuthHeader xmlns=\"Logisense_EngageIP\" xmlns:e=\"{SOAP11}\" e:mustUnderstand=\"1\">"),
    );
    let a = post(&server.url(), Some(TEXT_XML), Some(ACTION), marked_auth).await;
    assert_eq!(a.status, 200, "{}", a.text());
    // An operation's own fault comes first.
    let a = post(
        &server.url(),
        Some(TEXT_XML),
        Some(ACTION),
        envelope(SoapVersion::Soap11, &custom(SoapVersion::Soap11, "1"), &get_packages("nobody")),
    )
    .await;
    assert_eq!(a.fault().reason, "INVALID USERNAME");
}

#[tokio::test]
async fn values_that_do_not_match_the_schema_get_a_read_fault() {
    let (server, _) = start().await;
    let body = envelope(
        SoapVersion::Soap11,
        "",
        "<UpgradeUserPackage xmlns=\"Logisense_EngageIP\"><userPackageID>x</userPackageID><targetPackageID>1</targetPackageID><chargeCreditCard>false</chargeCreditCard></UpgradeUserPackage>",
    );
    let a = post(&server.url(), Some(TEXT_XML), Some("\"Logisense_EngageIP/UpgradeUserPackage\""), body).await;
    assert_eq!((a.status, a.content_type.as_str()), (500, TEXT_XML));
    let fault = a.fault();
    assert_eq!(fault.code, FaultCode::Sender);
    assert!(
        fault.reason.starts_with("Server was unable to read request. ---> There is an error in XML document (1, ")
            && fault.reason.ends_with("---> Input string was not in a correct format."),
        "{}",
        fault.reason
    );
}

#[tokio::test]
async fn a_parameter_sent_twice_keeps_its_first_value() {
    let (server, _) = start().await;
    let body = envelope(
        SoapVersion::Soap11,
        "",
        "<GetPackages xmlns=\"Logisense_EngageIP\"><username>demo-isp</username><username>nobody</username></GetPackages>",
    );
    let a = post(&server.url(), Some(TEXT_XML), Some(ACTION), body).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert!(a.package_names().contains(&"Basic Internet".to_owned()));
}

#[tokio::test]
async fn unknown_parameters_are_ignored() {
    let (server, _) = start().await;
    let body = envelope(
        SoapVersion::Soap11,
        "",
        "<GetPackages xmlns=\"Logisense_EngageIP\"><extra>1</extra><username>demo-isp</username></GetPackages>",
    );
    let a = post(&server.url(), Some(TEXT_XML), Some(ACTION), body).await;
    assert_eq!(a.status, 200, "{}", a.text());
}

/// The WSDL the server publishes, with `url` where the committed one has its addresses.
fn committed_wsdl_at(url: &str) -> String {
    include_str!("../../wsdl/engageip.wsdl").replace("http://localhost/adminportal/webservice.asmx", url)
}

#[tokio::test]
async fn wsdl_addresses_are_the_requests_own() {
    let (server, _) = start().await;
    let http = http();
    for query in ["WSDL", "wsdl"] {
        for host in ["billing.example.com:8443", "127.0.0.1:9"] {
            let a = send(http.get(format!("{}?{query}", server.url())).header("Host", host)).await;
            assert_eq!((a.status, a.content_type.as_str()), (200, TEXT_XML));
            let url = format!("http://{host}/adminportal/webservice.asmx");
            assert_eq!(a.text(), committed_wsdl_at(&url), "{query} {host}");
            assert_eq!(a.text().matches(&format!("location=\"{url}\"")).count(), 2);
        }
    }
    // The path as requested (IIS compares paths case-insensitively).
    let a = send(http.get(format!("http://{}/AdminPortal/WebService.asmx?wsdl", server.local_addr()))).await;
    assert_eq!(a.text(), committed_wsdl_at(&format!("http://{}/AdminPortal/WebService.asmx", server.local_addr())));
}

#[tokio::test]
async fn wsdl_on_another_path_names_that_path() {
    let simulator = Arc::new(Simulator::new(DataSet::builtin(), Credentials::new("admin", "secret")));
    let options = engageip_api::server::ServeOptions { path: "/billing/api.asmx".into(), ..Default::default() };
    let server = ServerHandle::start_with("127.0.0.1:0", simulator, options).await.expect("server starts");
    let a = send(http().get(format!("{}?WSDL", server.url()))).await;
    assert_eq!(a.text(), committed_wsdl_at(&server.url()));
    // A client that takes the address from the WSDL reaches this server.
    let address =
        a.text().split("soap12:address location=\"").nth(1).and_then(|s| s.split('"').next()).map(str::to_owned);
    let client = Client::builder(address.expect("an address")).credentials("admin", "secret").build().expect("client");
    assert!(!client.get_packages("demo-isp").await.expect("GetPackages").is_empty());
}

#[tokio::test]
async fn disco_lists_the_wsdl_and_both_soap_addresses() {
    let (server, _) = start().await;
    let a = send(http().get(format!("{}?disco", server.url())).header("Host", "h.example")).await;
    assert_eq!((a.status, a.content_type.as_str()), (200, TEXT_XML));
    let url = "http://h.example/adminportal/webservice.asmx";
    assert_eq!(
        a.text(),
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<discovery xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.xmlsoap.org/disco/\">\r\n\
             \x20 <contractRef ref=\"{url}?wsdl\" docRef=\"{url}\" xmlns=\"http://schemas.xmlsoap.org/disco/scl/\" />\r\n\
             \x20 <soap address=\"{url}\" xmlns:q1=\"Logisense_EngageIP\" binding=\"q1:WebServiceSoap\" xmlns=\"http://schemas.xmlsoap.org/disco/soap/\" />\r\n\
             \x20 <soap address=\"{url}\" xmlns:q2=\"Logisense_EngageIP\" binding=\"q2:WebServiceSoap12\" xmlns=\"http://schemas.xmlsoap.org/disco/soap/\" />\r\n\
             </discovery>"
        )
    );
}

#[tokio::test]
async fn other_gets_get_the_help_page() {
    let (server, _) = start().await;
    let a = send(http().get(server.url())).await;
    assert_eq!((a.status, a.content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert!(a.text().contains("UpgradeUserPackage") && a.text().contains("?disco"), "{}", a.text());
}

#[tokio::test]
async fn other_paths_get_404_and_large_bodies_413() {
    let (server, _) = start().await;
    let a = post(&format!("http://{}/other.asmx", server.local_addr()), Some(TEXT_XML), None, "x").await;
    assert_eq!(a.status, 404);
    let a = post(&server.url(), Some(TEXT_XML), None, vec![b' '; engageip_api::server::DEFAULT_MAX_REQUEST_BYTES + 1])
        .await;
    assert_eq!(a.status, 413);
}

/// The client reads the protocol faults as typed faults: code, the header not understood,
/// the versions an `Upgrade` header offers.
#[tokio::test]
async fn the_client_reads_must_understand_and_version_mismatch_faults() {
    let must = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soap:Header><soap:NotUnderstood qname=\"t:Tracking\" xmlns:t=\"urn:tracking\" /></soap:Header><soap:Body><soap:Fault><soap:Code><soap:Value>soap:MustUnderstand</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">SOAP header Tracking was not understood.</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>";
    let mismatch = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soap:Header><soap12:Upgrade xmlns:soap12=\"http://www.w3.org/2003/05/soap-envelope\"><soap12:SupportedEnvelope qname=\"soap:Envelope\" xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" /><soap12:SupportedEnvelope qname=\"soap12:Envelope\" xmlns:soap12=\"http://www.w3.org/2003/05/soap-envelope\" /></soap12:Upgrade></soap:Header><soap:Body><soap:Fault><faultcode>soap:VersionMismatch</faultcode><faultstring>Possible SOAP version mismatch: Envelope namespace urn:x was unexpected. Expecting http://schemas.xmlsoap.org/soap/envelope/.</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>";
    for (body, version, ct) in [(must, SoapVersion::Soap12, SOAP_XML), (mismatch, SoapVersion::Soap11, TEXT_XML)] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let reply = format!(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let responder = tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let (mut stream, _) = listener.accept().await.expect("accept");
            let mut buf = vec![0u8; 65536];
            let mut seen = Vec::new();
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).await.expect("read");
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
            }
            stream.write_all(reply.as_bytes()).await.expect("write");
        });
        let client = Client::builder(format!("http://{addr}/adminportal/webservice.asmx"))
            .credentials("admin", "secret")
            .soap_version(version)
            .build()
            .expect("client");
        let err = client.get_packages("demo-isp").await.expect_err("a fault");
        let Error::Fault { fault, status, .. } = &err else { panic!("expected a fault, got {err}") };
        assert_eq!(*status, 500);
        if version == SoapVersion::Soap12 {
            assert_eq!(fault.code, FaultCode::MustUnderstand);
            assert_eq!(fault.not_understood, ["t:Tracking"]);
            assert_eq!(fault.not_understood_header(), Some("t:Tracking"));
        } else {
            assert_eq!(fault.code, FaultCode::VersionMismatch);
            assert_eq!(fault.upgrade, [SoapVersion::Soap11, SoapVersion::Soap12]);
        }
        responder.abort();
    }
}
