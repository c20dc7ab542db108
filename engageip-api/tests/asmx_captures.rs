//! Every operation in both SOAP versions against exchanges recorded from a real ASMX stack:
//! the client must send the very bytes a .NET client sent (method, path, content type,
//! action, AuthHeader, body namespace and element order) and read what ASMX answered.

mod common;
mod replay;

use engageip_api::{Client, DateTime, DocumentedFault, Error, FaultCode, Offset, SoapVersion, UpdatePackage};
use replay::{Capture, Recorded, Reply, load, serve};

fn version_of(name: &str) -> SoapVersion {
    if name.contains("soap12") { SoapVersion::Soap12 } else { SoapVersion::Soap11 }
}

fn client(url: &str, version: SoapVersion, password: &str) -> Client {
    Client::builder(url).credentials("admin", password).soap_version(version).build().expect("client builds")
}

/// Replays `name`, runs `call` against it, and checks the request against the recording.
async fn exchange<T, F, Fut>(name: &str, password: &str, call: F) -> (Result<T, Error>, Capture, Recorded)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let capture = load(name);
    let (url, log) = serve(Reply::from(&capture)).await;
    let result = call(client(&url, version_of(name), password)).await;
    let recorded = {
        let log = log.recorded();
        assert_eq!(log.len(), 1, "{name}: exactly one request");
        log[0].clone()
    };
    assert_eq!(recorded.method, "POST", "{name}");
    assert_eq!(recorded.path, "/adminportal/webservice.asmx", "{name}");
    assert_eq!(recorded.header("content-type"), capture.request_header("content-type"), "{name}: content type");
    assert_eq!(recorded.header("soapaction"), capture.request_header("soapaction"), "{name}: SOAPAction header");
    (result, capture, recorded)
}

/// The exchange, plus: the body is byte for byte what the .NET client sent.
async fn exact<T, F, Fut>(name: &str, call: F) -> T
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let (result, capture, recorded) = exchange(name, "secret", call).await;
    assert_eq!(recorded.body, capture.request_body, "{name}: request body differs from the recording");
    result.unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn dt(s: &str) -> DateTime {
    s.parse().expect("valid date-time")
}

async fn check_get_packages(name: &str) {
    let packages = exact(name, |c| async move { c.get_packages("owner1").await }).await;
    assert_eq!(packages.len(), 2);
    let basic = &packages[0];
    assert_eq!(basic.id, 1);
    assert_eq!(basic.name.as_deref(), Some("Basic"));
    assert_eq!(basic.sku.as_deref(), Some("BAS-001"));
    assert_eq!(basic.owner_id, 7);
    assert_eq!(basic.frequency, 1);
    assert_eq!(basic.base_time_unit_type_id, 3);
    assert_eq!(basic.amount, 19.99);
    // Seven fractional digits, no offset: kept as written, not taken as UTC.
    assert_eq!(basic.created_date.to_string(), "2024-02-29T12:00:00.1234567");
    assert_eq!(basic.created_date.offset(), Offset::Unspecified);
    assert_eq!(basic.start_date.to_string(), "2024-03-01T00:00:00Z");
    assert_eq!(basic.expiry_date, None, "xsi:nil reads as None");
    assert!(basic.validate.is_some(), "<Validate /> is kept");
    assert!(basic.show_to_user_portal);
    let plus = &packages[1];
    assert_eq!(plus.name.as_deref(), Some("Plus & <More>"));
    assert_eq!(plus.description.as_deref(), Some("Everything in Basic & more <unlimited> – café"));
    assert_eq!(plus.amount, 1234.5);
    assert_eq!(plus.one_time_amount, 0.30000000000000004);
    assert_eq!(plus.created_date, dt("2024-06-15T09:30:00.25-04:00"));
    assert_eq!(plus.created_date.offset(), Offset::Minutes(-240));
    assert_eq!(plus.start_date.offset(), Offset::Unspecified);
    assert_eq!(plus.expiry_date, Some(dt("2030-12-31T23:59:59Z")));
    assert!(plus.inactive_override);
    assert_eq!(plus.invoice_identifier_id, 0);
}

#[tokio::test]
async fn get_packages_soap11() {
    check_get_packages("soap11-GetPackages-ok").await;
}

#[tokio::test]
async fn get_packages_soap12() {
    check_get_packages("soap12-GetPackages-ok").await;
}

#[tokio::test]
async fn get_packages_empty_array() {
    let packages = exact("soap11-GetPackages-empty-array", |c| async move { c.get_packages("owner2").await }).await;
    assert!(packages.is_empty());
}

async fn check_upgrades(name: &str) {
    let (result, capture, recorded) =
        exchange(name, "secret", |c| async move { c.get_package_upgrades("owner1", "Basic").await }).await;
    assert_eq!(recorded.body, capture.request_body);
    let upgrades = result.expect("upgrades");
    assert!(!upgrades.is_empty());
    for p in &upgrades {
        assert!(p.name.is_some());
    }
}

#[tokio::test]
async fn get_package_upgrades_soap11() {
    check_upgrades("soap11-GetPackageUpgrades-ok").await;
}

#[tokio::test]
async fn get_package_upgrades_soap12() {
    check_upgrades("soap12-GetPackageUpgrades-ok").await;
}

#[tokio::test]
async fn get_package_upgrades_escapes_markup_once() {
    let upgrades = exact("soap11-GetPackageUpgrades-escaped-name-empty", |c| async move {
        c.get_package_upgrades("owner1", "Plus & <More>").await
    })
    .await;
    assert!(upgrades.is_empty());
}

async fn check_services(name: &str, package: &'static str) -> Vec<engageip_api::Service> {
    let (result, capture, recorded) =
        exchange(name, "secret", |c| async move { c.get_package_services(package, Some("owner1")).await }).await;
    assert_eq!(recorded.body, capture.request_body, "{name}");
    result.expect("services")
}

#[tokio::test]
async fn get_package_services_soap11() {
    let services = check_services("soap11-GetPackageServices-ok", "Basic").await;
    assert_eq!(services.len(), 1);
    let email = &services[0];
    assert_eq!(email.id, 50);
    assert_eq!(email.name.as_deref(), Some("Email"));
    assert_eq!(email.base_fee, 2.25);
    assert_eq!(email.description, None, "a null string is omitted on the wire");
    assert_eq!(email.created_date.to_string(), "2024-01-01T08:15:30.5Z");
    assert_eq!(email.sku.as_deref(), Some("EML"));
    assert!(email.show_on_ticket_transaction);
}

#[tokio::test]
async fn get_package_services_soap12() {
    let services = check_services("soap12-GetPackageServices-ok", "Basic").await;
    assert_eq!(services.len(), 1);
}

#[tokio::test]
async fn get_package_services_soap12_empty() {
    let services = check_services("soap12-GetPackageServices-empty-array", "Plus & <More>").await;
    assert!(services.is_empty());
}

#[tokio::test]
async fn upgrade_user_package_soap11() {
    exact("soap11-UpgradeUserPackage-ok", |c| async move { c.upgrade_user_package(11, 2, false).await }).await;
}

#[tokio::test]
async fn upgrade_user_package_soap12() {
    let (result, capture, recorded) =
        exchange(
            "soap12-UpgradeUserPackage-ok",
            "secret",
            |c| async move { c.upgrade_user_package(11, 2, true).await },
        )
        .await;
    // The recording charged the card or not: compare what we sent with what it says.
    let expected = capture.request_body.replace("<chargeCreditCard>false<", "<chargeCreditCard>true<");
    assert_eq!(recorded.body, expected);
    result.expect("upgrade");
}

fn basic_update(start: Option<&str>, expiry: Option<&str>, invoice: Option<&str>) -> UpdatePackage {
    UpdatePackage {
        package_name: Some("Basic".into()),
        new_package_name: Some("Basic".into()),
        sku: Some("BAS-001".into()),
        description: Some("Entry plan".into()),
        start_date: start.map(dt),
        expiry_date: expiry.map(dt),
        frequency: 1,
        base_time_unit_type_name: Some("Month".into()),
        in_active_override: false,
        show_to_user_portal: true,
        invoice_identifier: invoice.map(str::to_owned),
    }
}

#[tokio::test]
async fn update_package_nil_dates_soap11() {
    let request = basic_update(None, None, None);
    exact("soap11-UpdatePackage-ok-nil-dates", |c| async move { c.update_package(&request).await }).await;
}

#[tokio::test]
async fn update_package_nil_dates_soap12() {
    let request = basic_update(None, None, None);
    let (result, capture, recorded) =
        exchange("soap12-UpdatePackage-ok-nil-dates", "secret", |c| async move { c.update_package(&request).await })
            .await;
    assert_eq!(recorded.body, capture.request_body);
    result.expect("update");
}

#[tokio::test]
async fn update_package_z_and_offset_dates() {
    let request =
        basic_update(Some("2025-01-15T10:30:00Z"), Some("2026-01-15T10:30:00.1234567+02:00"), Some("Standard"));
    exact("soap11-UpdatePackage-ok-dates-z-offset-none", |c| async move { c.update_package(&request).await }).await;
}

#[tokio::test]
async fn update_package_unspecified_and_date_only() {
    let request = basic_update(Some("2025-01-15T10:30:00"), Some("2025-06-30"), None);
    exact("soap12-UpdatePackage-ok-dates-unspecified", |c| async move { c.update_package(&request).await }).await;
}

/// Replays a fault and checks the typed error.
async fn fault(name: &str, call_kind: &str) -> (Option<DocumentedFault>, engageip_api::Fault, u16) {
    let capture = load(name);
    let (url, _log) = serve(Reply::from(&capture)).await;
    let c = client(&url, version_of(name), "secret");
    let result = match call_kind {
        "GetPackages" => c.get_packages("owner1").await.map(|_| ()),
        "GetPackageUpgrades" => c.get_package_upgrades("owner1", "Nope").await.map(|_| ()),
        "GetPackageServices" => c.get_package_services("Nope", None::<String>).await.map(|_| ()),
        "UpgradeUserPackage" => c.upgrade_user_package(999, 2, false).await,
        "UpdatePackage" => c.update_package(&basic_update(None, None, None)).await,
        other => panic!("unknown operation {other}"),
    };
    match result {
        Err(Error::Fault { documented, fault, status, operation }) => {
            assert_eq!(operation, call_kind);
            assert_eq!(fault.version, version_of(name));
            assert!(fault.raw.contains("Fault>"), "raw fault kept: {}", fault.raw);
            (documented, *fault, status)
        }
        other => panic!("{name}: expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn every_documented_fault_maps_to_its_variant() {
    let cases = [
        ("soap11-fault-GetPackages-INVALID_USERNAME", "GetPackages", DocumentedFault::InvalidUsername),
        ("soap12-fault-GetPackages-INVALID_USERNAME", "GetPackages", DocumentedFault::InvalidUsername),
        ("plain-soap11-fault-GetPackages-INVALID_USERNAME", "GetPackages", DocumentedFault::InvalidUsername),
        ("plain-soap12-fault-GetPackages-INVALID_USERNAME", "GetPackages", DocumentedFault::InvalidUsername),
        ("local-soap11-fault-GetPackages-INVALID_USERNAME", "GetPackages", DocumentedFault::InvalidUsername),
        ("local-soap12-fault-GetPackages-INVALID_USERNAME", "GetPackages", DocumentedFault::InvalidUsername),
        ("soap11-fault-GetPackageUpgrades-INVALID_PACKAGE", "GetPackageUpgrades", DocumentedFault::InvalidPackage),
        (
            "soap12-fault-GetPackageServices-INVALID_PACKAGE_NAME",
            "GetPackageServices",
            DocumentedFault::InvalidPackageName,
        ),
        ("soap11-fault-UpgradeUserPackage-INVALID_PACKAGE_ID", "UpgradeUserPackage", DocumentedFault::InvalidPackageId),
        (
            "plain-soap11-fault-UpgradeUserPackage-INVALID_PACKAGE_ID",
            "UpgradeUserPackage",
            DocumentedFault::InvalidPackageId,
        ),
        (
            "soap12-fault-UpgradeUserPackage-INVALID_TARGET_PACKAGE_ID",
            "UpgradeUserPackage",
            DocumentedFault::InvalidTargetPackageId,
        ),
        ("soap11-fault-UpdatePackage-INVALID_PACKAGE", "UpdatePackage", DocumentedFault::InvalidPackage),
        ("soap12-fault-UpdatePackage-INVALID_DATETIME", "UpdatePackage", DocumentedFault::InvalidDatetime),
        (
            "soap11-fault-UpdatePackage-INVALID_BASE_UNIT_TYPE_NAME",
            "UpdatePackage",
            DocumentedFault::InvalidBaseUnitTypeName,
        ),
        (
            "soap11-fault-UpdatePackage-INVALID_INVOICE_IDENTIFIER",
            "UpdatePackage",
            DocumentedFault::InvalidInvoiceIdentifier,
        ),
        ("soap11-fault-bad-password", "GetPackages", DocumentedFault::InvalidCredentials),
        ("soap12-fault-bad-password", "GetPackages", DocumentedFault::InvalidCredentials),
        ("soap11-fault-no-auth-header", "GetPackages", DocumentedFault::InvalidCredentials),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, op, expected) in cases {
        let (documented, fault, status) = fault(name, op).await;
        assert_eq!(documented, Some(expected), "{name}: {}", fault.reason);
        assert_eq!(status, 500, "{name}");
        seen.insert(expected.message());
    }
    for f in DocumentedFault::ALL {
        assert!(seen.contains(f.message()), "no test covers {f}");
    }
}

#[tokio::test]
async fn fault_codes_and_versions() {
    let (_, f, _) = fault("soap11-fault-GetPackages-INVALID_USERNAME", "GetPackages").await;
    assert_eq!(f.code, FaultCode::Receiver);
    assert_eq!(f.reason, "INVALID USERNAME");
    assert_eq!(f.detail.as_deref(), Some(""));
    let (_, f, _) = fault("soap12-fault-bad-password", "GetPackages").await;
    assert_eq!(f.code, FaultCode::Sender);
    let (_, f, _) = fault("soap11-fault-bad-password", "GetPackages").await;
    assert_eq!(f.code, FaultCode::Sender);
}

#[tokio::test]
async fn undocumented_faults_keep_their_text() {
    for (name, op, code, message) in [
        (
            "soap11-fault-UpdatePackage-plain-exception",
            "UpdatePackage",
            FaultCode::Receiver,
            "Simulated internal failure for 'Basic' (boom) <&>",
        ),
        (
            "soap12-fault-UpdatePackage-plain-exception",
            "UpdatePackage",
            FaultCode::Receiver,
            "Simulated internal failure for 'Basic' (boom) <&>",
        ),
        (
            "local-soap11-fault-UpdatePackage-plain-exception",
            "UpdatePackage",
            FaultCode::Receiver,
            "Simulated internal failure for 'Basic' (boom) <&>",
        ),
        (
            "soap11-fault-bad-datetime-lexical",
            "UpdatePackage",
            FaultCode::Sender,
            "The string '2024-13-45T99:00:00' is not a valid AllXsd value.",
        ),
        (
            "soap12-fault-bad-datetime-lexical",
            "UpdatePackage",
            FaultCode::Sender,
            "The string '2024-13-45T99:00:00' is not a valid AllXsd value.",
        ),
        (
            "soap11-fault-int-overflow",
            "UpdatePackage",
            FaultCode::Sender,
            "Value was either too large or too small for an Int32.",
        ),
        (
            "soap11-fault-unknown-action",
            "GetPackages",
            FaultCode::Sender,
            "Server did not recognize the value of HTTP Header {0}: {1}.",
        ),
    ] {
        let (documented, f, _) = fault(name, op).await;
        assert_eq!(documented, None, "{name}");
        assert_eq!(f.code, code, "{name}");
        assert_eq!(f.message(), message, "{name}");
    }
}

#[tokio::test]
async fn non_soap_responses_are_http_errors() {
    for (name, status) in [
        ("soap11-fault-malformed-xml", 400),
        ("soap12-fault-malformed-xml", 400),
        ("soap11-envelope-sent-as-soap12-content-type", 415),
        ("soap11-wrong-content-type", 500),
    ] {
        let capture = load(name);
        let (url, _log) = serve(Reply::from(&capture)).await;
        let err = client(&url, SoapVersion::Soap11, "secret").get_packages("owner1").await.expect_err(name);
        match &err {
            Error::Http { status: s, .. } => assert_eq!(*s, status, "{name}: {err}"),
            other => panic!("{name}: expected an HTTP error, got {other:?}"),
        }
        assert!(err.to_string().contains(&status.to_string()), "{err}");
    }
}

fn patched(name: &str, from: &str, to: &str) -> Reply {
    let capture = load(name);
    let text = String::from_utf8(capture.response_body.clone()).expect("utf-8");
    assert!(text.contains(from), "{name} contains {from}");
    Reply { body: text.replacen(from, to, 1).into_bytes(), ..Reply::from(&capture) }
}

#[tokio::test]
async fn unknown_elements_are_skipped() {
    // A later server version adds elements at several levels: an old client still reads.
    let reply = patched(
        "soap11-GetPackages-ok",
        "<SKU>BAS-001</SKU>",
        "<SKU>BAS-001</SKU><LoyaltyTier><Level>3</Level><Name>gold</Name></LoyaltyTier><Region xmlns=\"urn:other\">EU</Region>",
    );
    let (url, _log) = serve(reply).await;
    let packages = client(&url, SoapVersion::Soap11, "secret").get_packages("owner1").await.expect("decodes");
    assert_eq!(packages.len(), 2);
    assert_eq!(packages[0].sku.as_deref(), Some("BAS-001"));
    assert_eq!(packages[0].owner_id, 7);
}

#[tokio::test]
async fn same_name_in_another_namespace_is_not_taken() {
    let reply = patched(
        "soap11-GetPackages-ok",
        "<Name>Basic</Name>",
        "<Name xmlns=\"urn:other\">Impostor</Name><Name>Basic</Name>",
    );
    let (url, _log) = serve(reply).await;
    let packages = client(&url, SoapVersion::Soap11, "secret").get_packages("owner1").await.expect("decodes");
    assert_eq!(packages[0].name.as_deref(), Some("Basic"));
}

#[tokio::test]
async fn missing_required_element_names_it_and_its_path() {
    let reply = patched("soap11-GetPackages-ok", "<OwnerID>7</OwnerID>", "");
    let (url, _log) = serve(reply).await;
    let err = client(&url, SoapVersion::Soap11, "secret").get_packages("owner1").await.expect_err("missing OwnerID");
    let text = common::error_chain(&err);
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(text.contains("`OwnerID`") && text.contains("`Package`"), "{text}");
    assert!(text.contains("GetPackagesResult/Package"), "{text}");
}

#[tokio::test]
async fn invalid_value_names_type_and_position() {
    let reply = patched("soap11-GetPackages-ok", "<Frequency>12</Frequency>", "<Frequency>twelve</Frequency>");
    let (url, _log) = serve(reply).await;
    let err = client(&url, SoapVersion::Soap11, "secret").get_packages("owner1").await.expect_err("bad int");
    let text = common::error_chain(&err);
    assert!(text.contains("xs:int") && text.contains("twelve") && text.contains("Package[2]/Frequency"), "{text}");
    assert!(text.contains("line 1, column"), "{text}");
}

#[tokio::test]
async fn soap12_sends_action_in_content_type_only() {
    let capture = load("soap12-GetPackages-ok");
    let (url, log) = serve(Reply::from(&capture)).await;
    client(&url, SoapVersion::Soap12, "secret").get_packages("owner1").await.expect("ok");
    let recorded = log.recorded()[0].clone();
    assert_eq!(recorded.header("soapaction"), None, ".NET rejects SOAPAction under SOAP 1.2");
    assert_eq!(
        recorded.header("content-type"),
        Some("application/soap+xml; charset=utf-8; action=\"Logisense_EngageIP/GetPackages\"")
    );
}

#[tokio::test]
async fn endpoint_path_is_configurable() {
    let capture = load("soap11-GetPackages-ok");
    let (url, log) = serve(Reply::from(&capture)).await;
    let c = Client::builder(&url).path("/BOSS/WebService.asmx").credentials("admin", "secret").build().expect("client");
    c.get_packages("owner1").await.expect("ok");
    assert_eq!(log.recorded()[0].path, "/BOSS/WebService.asmx");
}
