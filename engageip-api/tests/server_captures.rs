//! The generated dispatcher answers every request recorded from a real ASMX stack
//! (`tests/fixtures/asmx-captures/`) with the status, content type and body bytes ASMX sent.
//!
//! A `Recorded` service plays the recording's data (owner `owner1`, packages `Basic` and
//! `Plus & <More>`, ...), so what is compared is the generated dispatcher and the runtime's
//! server module: routing, decoding, envelopes, faults and protocol errors.

use std::path::PathBuf;

use engageip_api::server::{HttpRequest, RequestHeaders, ServerFault, WebService, dispatch};
use engageip_api::types::{
    GetPackageServices, GetPackageUpgrades, GetPackages, Package, Service, UpdatePackage, UpgradeUserPackage, Validate,
};
use engageip_api::{Credentials, DateTime, DocumentedFault};

fn captures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asmx-captures")
}

fn dt(s: &str) -> DateTime {
    s.parse().expect("date")
}

fn basic() -> Package {
    Package::builder()
        .validate(Validate::new())
        .id(1)
        .name("Basic")
        .sku("BAS-001")
        .owner_id(7)
        .frequency(1)
        .base_time_unit_type_id(3)
        .amount(19.99)
        .created_date(dt("2024-02-29T12:00:00.1234567"))
        .description("Entry plan")
        .one_time_amount(0.0)
        .inactive_override(false)
        .start_date(dt("2024-03-01T00:00:00Z"))
        .expiry_date(None)
        .invoice_identifier_id(4)
        .show_to_user_portal(true)
        .build()
        .expect("every required field is set")
}

fn plus() -> Package {
    Package::builder()
        .validate(Validate::new())
        .id(2)
        .name("Plus & <More>")
        .sku("PLUS-002")
        .owner_id(7)
        .frequency(12)
        .base_time_unit_type_id(3)
        .amount(1234.5)
        .created_date(dt("2024-06-15T09:30:00.25-04:00"))
        .description("Everything in Basic & more <unlimited> – café")
        .one_time_amount(0.1 + 0.2)
        .inactive_override(true)
        .start_date(dt("2024-07-01T00:00:00"))
        .expiry_date(Some(dt("2030-12-31T23:59:59Z")))
        .invoice_identifier_id(0)
        .show_to_user_portal(false)
        .build()
        .expect("every required field is set")
}

fn email() -> Service {
    Service::builder()
        .validate(Validate::new())
        .id(50)
        .service_type_id(2)
        .name("Email")
        .owner_id(7)
        .base_time_unit_type_id(3)
        .base_time_unit(1)
        .created_date(dt("2024-01-01T08:15:30.5Z"))
        .base_fee(2.25)
        .description(None)
        .invoice_identifier_id(4)
        .inactive(false)
        .billing_period_type_id(1)
        .show_on_ticket_transaction(true)
        .sku("EML")
        .build()
        .expect("every required field is set")
}

/// The recording service's behaviour. `plain` reports documented faults as plain exceptions
/// (ASMX's `Server was unable to process request. ---> ...` wrapping), as the `plain-*`
/// recordings were made.
struct Recorded {
    credentials: Credentials,
    plain: bool,
}

impl Recorded {
    fn fail(&self, f: DocumentedFault) -> ServerFault {
        if self.plain { ServerFault::unhandled(f.message()) } else { ServerFault::Documented(f) }
    }
}

impl WebService for Recorded {
    async fn authenticate(&self, _: &'static str, headers: &RequestHeaders) -> Result<(), ServerFault> {
        match &headers.auth_header {
            Some(h) if self.credentials.matches(h) => Ok(()),
            _ => Err(ServerFault::sender("INVALID CREDENTIALS")),
        }
    }

    async fn get_packages(&self, r: GetPackages) -> Result<Vec<Package>, ServerFault> {
        match r.username.as_deref() {
            Some("owner1") => Ok(vec![basic(), plus()]),
            Some("owner2") => Ok(vec![]),
            _ => Err(self.fail(DocumentedFault::InvalidUsername)),
        }
    }

    async fn get_package_upgrades(&self, r: GetPackageUpgrades) -> Result<Vec<Package>, ServerFault> {
        match r.packagename.as_deref() {
            Some("Basic") => Ok(vec![plus()]),
            Some("Plus & <More>") => Ok(vec![]),
            _ => Err(self.fail(DocumentedFault::InvalidPackage)),
        }
    }

    async fn get_package_services(&self, r: GetPackageServices) -> Result<Vec<Service>, ServerFault> {
        match r.package_name.as_deref() {
            Some("Basic") => Ok(vec![email()]),
            Some("Plus & <More>") => Ok(vec![]),
            _ => Err(self.fail(DocumentedFault::InvalidPackageName)),
        }
    }

    async fn upgrade_user_package(&self, r: UpgradeUserPackage) -> Result<(), ServerFault> {
        match (r.user_package_id, r.target_package_id) {
            (11, 2) => Ok(()),
            (11, _) => Err(self.fail(DocumentedFault::InvalidTargetPackageId)),
            _ => Err(self.fail(DocumentedFault::InvalidPackageId)),
        }
    }

    async fn update_package(&self, r: UpdatePackage) -> Result<(), ServerFault> {
        let name = r.package_name.clone().unwrap_or_default();
        if name != "Basic" {
            return Err(self.fail(DocumentedFault::InvalidPackage));
        }
        if r.new_package_name.as_deref() == Some("boom") {
            return Err(ServerFault::unhandled(format!("Simulated internal failure for '{name}' (boom) <&>")));
        }
        if let (Some(s), Some(e)) = (r.start_date, r.expiry_date) {
            if e.year() < s.year() {
                return Err(self.fail(DocumentedFault::InvalidDatetime));
            }
        }
        if r.base_time_unit_type_name.as_deref() != Some("Month") {
            return Err(self.fail(DocumentedFault::InvalidBaseUnitTypeName));
        }
        if r.invoice_identifier.as_deref().is_some_and(|i| i != "Standard") {
            return Err(self.fail(DocumentedFault::InvalidInvoiceIdentifier));
        }
        Ok(())
    }
}

struct Exchange {
    content_type: Option<String>,
    soap_action: Option<String>,
    body: Vec<u8>,
    status: u16,
    response_content_type: String,
    response_body: Vec<u8>,
}

fn load(name: &str) -> Exchange {
    let dir = captures_dir();
    let read =
        |ext: &str| std::fs::read(dir.join(format!("{name}.{ext}"))).unwrap_or_else(|e| panic!("{name}.{ext}: {e}"));
    let http = String::from_utf8(read("http.txt")).expect("UTF-8");
    let (req, resp) = http.split_once("# response").expect("response section");
    let header = |section: &str, wanted: &str| {
        section
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(wanted))
            .map(|(_, v)| v.trim().to_owned())
    };
    let status_line = resp.lines().find(|l| l.starts_with("HTTP/")).expect("status line");
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
    Exchange {
        content_type: header(req, "content-type"),
        soap_action: header(req, "soapaction"),
        body: read("req.xml"),
        status,
        response_content_type: header(resp, "content-type").unwrap_or_default(),
        response_body: read("resp.xml"),
    }
}

/// Every `POST` recording whose answer does not depend on where the caller sits (`local-*`
/// hold a server-side stack trace).
fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(captures_dir())
        .expect("tests/fixtures/asmx-captures is in the repository")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".req.xml")).map(str::to_owned))
        .filter(|n| !n.starts_with("local-"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn dispatcher_answers_like_asmx_byte_for_byte() {
    let names = names();
    assert!(names.len() > 40, "expected the recorded exchanges, found {}", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let x = load(name);
        let service = Recorded { credentials: Credentials::new("admin", "secret"), plain: name.starts_with("plain-") };
        let request = HttpRequest::post(x.content_type.as_deref(), x.soap_action.as_deref(), &x.body);
        let answer = dispatch(&service, &request).await;
        if name == "soap11-UpdatePackage-ok-dates-omitted" {
            // Known difference: .NET's XmlSerializer takes a missing required element as its
            // default (here a null `DateTime?`); the generated decoders insist on required
            // elements, so the dispatcher answers with a `soap:Client` fault naming it.
            let text = answer.body_text();
            assert_eq!(answer.status, 500, "{name}");
            assert!(
                text.contains("<faultcode>soap:Client</faultcode>") && text.contains("`startDate`"),
                "{name}: {text}"
            );
            continue;
        }
        let mut expected = x.response_body.clone();
        if name == "soap11-fault-unknown-action" {
            // Mono leaves .NET's format placeholders unfilled; .NET (and we) fill them in.
            let text = String::from_utf8(expected).expect("UTF-8");
            expected = text.replace("{0}: {1}", "SOAPAction: Logisense_EngageIP/NoSuchOperation").into_bytes();
        }
        if answer.status != x.status {
            failures.push(format!("{name}: status {} (ASMX: {})", answer.status, x.status));
        }
        if answer.content_type != x.response_content_type {
            failures
                .push(format!("{name}: content type {:?} (ASMX: {:?})", answer.content_type, x.response_content_type));
        }
        // ASP.NET's HTML error page for an unusable content type is not reproduced.
        if name != "soap11-wrong-content-type" && answer.body != expected {
            failures.push(format!(
                "{name}: body differs\n  ours: {}\n  ASMX: {}",
                answer.body_text(),
                String::from_utf8_lossy(&expected)
            ));
        }
    }
    assert!(failures.is_empty(), "{} difference(s):\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn html_error_page_names_the_content_type() {
    let x = load("soap11-wrong-content-type");
    let service = Recorded { credentials: Credentials::new("admin", "secret"), plain: false };
    let answer =
        dispatch(&service, &HttpRequest::post(x.content_type.as_deref(), x.soap_action.as_deref(), &x.body)).await;
    assert_eq!((answer.status, answer.content_type.as_str()), (500, "text/html"));
    assert!(answer.body_text().contains("Request format is invalid: application/json."), "{}", answer.body_text());
}

/// Truncated and corrupted recordings never make the dispatcher panic, and every answer is
/// one ASMX gives.
#[tokio::test]
async fn damaged_requests_get_protocol_answers() {
    let service = Recorded { credentials: Credentials::new("admin", "secret"), plain: false };
    let mut answered = 0;
    for name in names() {
        let x = load(&name);
        let len = x.body.len();
        let mut variants: Vec<Vec<u8>> = (0..len).step_by(7).map(|cut| x.body[..cut].to_vec()).collect();
        for at in (0..len).step_by(11) {
            for byte in [b'<', b'>', b'&', b'"', 0xff, b'x', 0] {
                let mut v = x.body.clone();
                v[at] = byte;
                variants.push(v);
            }
        }
        for body in variants {
            let answer =
                dispatch(&service, &HttpRequest::post(x.content_type.as_deref(), x.soap_action.as_deref(), &body))
                    .await;
            assert!(matches!(answer.status, 200 | 400 | 415 | 500), "{name}: status {}", answer.status);
            if answer.status == 500 && answer.content_type != "text/html" {
                assert!(
                    answer.body_text().contains(":Fault>"),
                    "{name}: a 500 carries a fault: {}",
                    answer.body_text()
                );
            }
            answered += 1;
        }
    }
    assert!(answered > 1000, "{answered}");
}
