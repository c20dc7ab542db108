//! End to end: the generated client → HTTP on loopback → the hyper adapter → the generated
//! dispatcher → the simulator, in both SOAP versions.

use std::sync::Arc;

use engageip_api::server::ServerHandle;
use engageip_api::simulator::{CHARGE_FAILED, DataSet, Simulator};
use engageip_api::{Client, Credentials, DateTime, DocumentedFault, Error, FaultCode, SoapVersion, UpdatePackage};

const VERSIONS: [SoapVersion; 2] = [SoapVersion::Soap11, SoapVersion::Soap12];

fn now() -> DateTime {
    "2026-06-01T00:00:00Z".parse().expect("date")
}

async fn start(data: DataSet) -> (ServerHandle, Arc<Simulator>) {
    let simulator = Arc::new(Simulator::new(data, Credentials::new("admin", "secret")).with_now(now()));
    let server = ServerHandle::start("127.0.0.1:0", simulator.clone()).await.expect("server starts");
    (server, simulator)
}

fn client(server: &ServerHandle, version: SoapVersion, password: &str) -> Client {
    Client::builder(server.url()).credentials("admin", password).soap_version(version).build().expect("client")
}

fn names(packages: &[engageip_api::Package]) -> Vec<&str> {
    packages.iter().filter_map(|p| p.name.as_deref()).collect()
}

fn update(name: &str, new_name: &str) -> UpdatePackage {
    UpdatePackage {
        package_name: Some(name.into()),
        new_package_name: Some(new_name.into()),
        sku: Some("SKU-1".into()),
        description: Some("described".into()),
        start_date: None,
        expiry_date: None,
        frequency: 1,
        base_time_unit_type_name: Some("Month".into()),
        in_active_override: false,
        show_to_user_portal: true,
        invoice_identifier: Some("Internet".into()),
    }
}

/// The fault an error carries, with its documented variant, code and HTTP status.
fn fault_of(e: &Error) -> (Option<DocumentedFault>, FaultCode, String, u16) {
    match e {
        Error::Fault { documented, fault, status, .. } => {
            (*documented, fault.code.clone(), fault.message().to_owned(), *status)
        }
        other => panic!("expected a fault, got {other}"),
    }
}

#[tokio::test]
async fn every_operation_in_both_versions() {
    for version in VERSIONS {
        let (server, simulator) = start(DataSet::builtin()).await;
        let c = client(&server, version, "secret");

        let packages = c.get_packages("demo-isp").await.expect("GetPackages");
        assert_eq!(
            names(&packages),
            ["Basic Internet", "Fiber 500", "Legacy DSL", "Gigabit Pro", "Static IP Add-on", "Fiber 1000", "Fiber 10G"],
            "{version}"
        );
        assert!(c.get_packages("alice").await.expect("a customer owns no packages").is_empty());

        // Legacy DSL expired, Gigabit Pro has InactiveOverride, Fiber 10G starts in 2099.
        let upgrades = c.get_package_upgrades("alice", "Basic Internet").await.expect("GetPackageUpgrades");
        assert_eq!(names(&upgrades), ["Fiber 500", "Fiber 1000"], "{version}");

        let services = c.get_package_services("Basic Internet", "demo-isp").await.expect("GetPackageServices");
        assert_eq!(
            services.iter().filter_map(|s| s.name.as_deref()).collect::<Vec<_>>(),
            ["Internet access 25 Mbps", "Email"]
        );
        let acme = c.get_package_services("Basic Internet", "acme-telecom").await.expect("scoped by owner");
        assert_eq!(acme.iter().map(|s| s.id).collect::<Vec<_>>(), [601]);
        assert!(c.get_package_services("Static IP Add-on", None::<String>).await.expect("no services").is_empty());

        c.upgrade_user_package(5001, 102, true).await.expect("UpgradeUserPackage");
        assert_eq!(simulator.user_package(5001).map(|u| u.package_id), Some(102));
        let charges = simulator.charges();
        assert_eq!(charges.len(), 1);
        assert_eq!((charges[0].user_package_id, charges[0].amount), (5001, 59.99 + 99.0));
        c.upgrade_user_package(5003, 106, false).await.expect("upgrade without a charge");
        assert_eq!(simulator.charges().len(), 1);

        let mut request = update("Fiber 1000", "Fiber 1G");
        request.start_date = Some("2025-03-01T00:00:00".parse().expect("date"));
        request.expiry_date = Some("2030-12-31T23:59:59.1234567+02:00".parse().expect("date"));
        request.base_time_unit_type_name = Some("year".into());
        c.update_package(&request).await.expect("UpdatePackage");
        let after = c.get_packages("demo-isp").await.expect("GetPackages");
        let renamed = after.iter().find(|p| p.id == 106).expect("package 106");
        assert_eq!(renamed.name.as_deref(), Some("Fiber 1G"), "the rename is visible at once");
        assert_eq!(renamed.sku.as_deref(), Some("SKU-1"));
        assert_eq!(renamed.base_time_unit_type_id, 4);
        assert_eq!(renamed.start_date, request.start_date.expect("set"));
        assert_eq!(renamed.expiry_date, request.expiry_date, "dates round-trip exactly");
        assert!(!after.iter().any(|p| p.name.as_deref() == Some("Fiber 1000")));
        server.shutdown();
    }
}

#[tokio::test]
async fn every_documented_fault_end_to_end() {
    use DocumentedFault::*;
    for version in VERSIONS {
        let (server, simulator) = start(DataSet::builtin()).await;
        let c = client(&server, version, "secret");
        let mut seen = Vec::new();
        let mut check = |result: Result<(), Error>, expected: DocumentedFault| {
            let e = result.expect_err("a fault");
            let (documented, code, message, status) = fault_of(&e);
            assert_eq!(documented, Some(expected), "{version}: {e}");
            assert_eq!((code, message.as_str(), status), (FaultCode::Receiver, expected.message(), 500), "{version}");
            seen.push(expected);
        };
        check(c.get_packages("nobody").await.map(drop), InvalidUsername);
        check(c.get_packages(None::<String>).await.map(drop), InvalidUsername);
        check(c.get_package_upgrades("nobody", "Basic Internet").await.map(drop), InvalidUsername);
        check(c.get_package_upgrades("alice", "Nope").await.map(drop), InvalidPackage);
        check(c.get_package_upgrades("dave", "Fiber 500").await.map(drop), InvalidPackage);
        check(c.get_package_services("Nope", None::<String>).await.map(drop), InvalidPackageName);
        check(c.get_package_services("Fiber 500", "acme-telecom").await.map(drop), InvalidPackageName);
        check(c.get_package_services("Fiber 500", "nobody").await.map(drop), InvalidUsername);
        check(c.upgrade_user_package(9999, 102, false).await, InvalidPackageId);
        for target in [9999, 101, 103, 104, 107, 201] {
            // Missing, the current package, expired, InactiveOverride, not started, another owner's.
            check(c.upgrade_user_package(5001, target, false).await, InvalidTargetPackageId);
        }
        check(c.update_package(&update("Nope", "x")).await, InvalidPackage);
        check(c.update_package(&update("Fiber 500", "Basic Internet")).await, InvalidPackageName);
        check(c.update_package(&update("Fiber 500", "  ")).await, InvalidPackageName);
        let mut r = update("Fiber 500", "Fiber 500");
        r.start_date = Some("2026-01-01T00:00:00".parse().expect("date"));
        r.expiry_date = Some("2025-01-01T00:00:00".parse().expect("date"));
        check(c.update_package(&r).await, InvalidDatetime);
        r.start_date = Some("1700-01-01T00:00:00Z".parse().expect("date"));
        r.expiry_date = None;
        check(c.update_package(&r).await, InvalidDatetime);
        let mut r = update("Fiber 500", "Fiber 500");
        r.base_time_unit_type_name = Some("Fortnight".into());
        check(c.update_package(&r).await, InvalidBaseUnitTypeName);
        r.base_time_unit_type_name = None;
        check(c.update_package(&r).await, InvalidBaseUnitTypeName);
        let mut r = update("Fiber 500", "Fiber 500");
        r.invoice_identifier = Some("Nope".into());
        check(c.update_package(&r).await, InvalidInvoiceIdentifier);

        for f in DocumentedFault::ALL.iter().filter(|f| **f != InvalidCredentials) {
            assert!(seen.contains(f), "{version}: {f} not exercised");
        }
        // None of the rejected calls changed anything.
        assert_eq!(simulator.user_package(5001).map(|u| u.package_id), Some(101));
        assert_eq!(simulator.package(102).and_then(|p| p.name), Some("Fiber 500".to_owned()));
        assert_eq!(simulator.package(102).and_then(|p| p.sku), Some("NET-F500".to_owned()));
        server.shutdown();
    }
}

#[tokio::test]
async fn wrong_credentials_are_a_client_fault() {
    for version in VERSIONS {
        let (server, simulator) = start(DataSet::builtin()).await;
        let c = client(&server, version, "not-the-password");
        let e = c.upgrade_user_package(5001, 102, true).await.expect_err("rejected");
        let (documented, code, message, status) = fault_of(&e);
        assert_eq!(
            (documented, code, message.as_str(), status),
            (Some(DocumentedFault::InvalidCredentials), FaultCode::Sender, "INVALID CREDENTIALS", 500)
        );
        assert!(!e.to_string().contains("not-the-password"));
        assert_eq!(simulator.user_package(5001).map(|u| u.package_id), Some(101), "nothing ran");
        let other_user =
            Client::builder(server.url()).credentials("root", "secret").soap_version(version).build().expect("client");
        let e = other_user.get_packages("demo-isp").await.expect_err("rejected");
        assert_eq!(e.documented_fault(), Some(DocumentedFault::InvalidCredentials));
        server.shutdown();
    }
}

#[tokio::test]
async fn failed_charge_leaves_the_user_package_unchanged() {
    for version in VERSIONS {
        let (server, simulator) = start(DataSet::builtin()).await;
        let c = client(&server, version, "secret");
        // bob's card is declined in the built-in data.
        let e = c.upgrade_user_package(5002, 102, true).await.expect_err("declined");
        let (documented, code, message, _) = fault_of(&e);
        assert_eq!((documented, code, message.as_str()), (None, FaultCode::Receiver, CHARGE_FAILED));
        assert_eq!(simulator.user_package(5002).map(|u| u.package_id), Some(101));
        assert!(simulator.charges().is_empty());

        simulator.set_all_charges_fail(true);
        assert!(c.upgrade_user_package(5001, 102, true).await.is_err());
        assert_eq!(simulator.user_package(5001).map(|u| u.package_id), Some(101));
        simulator.set_all_charges_fail(false);
        assert!(simulator.set_card_declined("bob", false));
        c.upgrade_user_package(5002, 102, true).await.expect("accepted now");
        assert_eq!(simulator.user_package(5002).map(|u| u.package_id), Some(102));
        assert_eq!(simulator.charges().len(), 1);
        server.shutdown();
    }
}

fn many_user_packages(n: usize) -> DataSet {
    let users: Vec<String> =
        (0..n).map(|i| format!(r#"{{ "id": {}, "username": "user{i}", "owner": "isp" }}"#, 3000 + i)).collect();
    let ups: Vec<String> =
        (0..n).map(|i| format!(r#"{{ "id": {}, "user": "user{i}", "package": 1 }}"#, 7000 + i)).collect();
    let json = format!(
        r#"{{
          "owners": [{{ "id": 1, "username": "isp" }}],
          "users": [{}],
          "base_time_unit_types": [{{ "id": 3, "name": "Month" }}],
          "packages": [
            {{ "id": 1, "owner": "isp", "name": "Small", "frequency": 1, "base_time_unit": "Month", "amount": 10,
               "start_date": "2020-01-01T00:00:00Z", "upgrades": [2] }},
            {{ "id": 2, "owner": "isp", "name": "Large", "frequency": 1, "base_time_unit": "Month", "amount": 20,
               "one_time_amount": 5, "start_date": "2020-01-01T00:00:00Z" }}
          ],
          "user_packages": [{}]
        }}"#,
        users.join(","),
        ups.join(",")
    );
    DataSet::from_json(&json).expect("fixture")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_upgrades_lose_no_update() {
    for version in VERSIONS {
        let (server, simulator) = start(many_user_packages(32)).await;
        let c = client(&server, version, "secret");
        let tasks: Vec<_> = (0..32)
            .map(|i| {
                let c = c.clone();
                tokio::spawn(async move { c.upgrade_user_package(7000 + i, 2, true).await })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            task.await.expect("task").unwrap_or_else(|e| panic!("{version}: upgrade {i}: {e}"));
        }
        for i in 0..32 {
            assert_eq!(simulator.user_package(7000 + i).map(|u| u.package_id), Some(2), "{version}: user package {i}");
        }
        let mut charged: Vec<i32> = simulator.charges().iter().map(|c| c.user_package_id).collect();
        charged.sort_unstable();
        assert_eq!(charged, (7000..7032).collect::<Vec<_>>(), "{version}: one charge per upgrade");
        assert!(simulator.charges().iter().all(|c| c.amount == 25.0));
        server.shutdown();
    }
}

#[tokio::test]
async fn http_adapter_serves_the_wsdl_and_protocol_errors() {
    let (server, _) = start(DataSet::builtin()).await;
    // reqwest is built without a default TLS provider, and the crate installs none: this
    // plain-HTTP client gets one explicitly.
    let tls =
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
    let http = reqwest::Client::builder().tls_backend_preconfigured(tls).build().expect("client");
    let wsdl = http.get(format!("{}?WSDL", server.url())).send().await.expect("GET ?WSDL");
    assert_eq!(wsdl.status(), 200);
    assert_eq!(wsdl.headers()["content-type"], "text/xml; charset=utf-8");
    // The committed WSDL, its two addresses the one the request used.
    let committed =
        include_str!("../../wsdl/engageip.wsdl").replace("http://localhost/adminportal/webservice.asmx", &server.url());
    assert_eq!(wsdl.text().await.expect("body"), committed);

    let help = http.get(server.url()).send().await.expect("GET");
    assert_eq!(help.status(), 200);
    assert!(help.text().await.expect("body").contains("UpgradeUserPackage"));

    let malformed = http
        .post(server.url())
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"Logisense_EngageIP/GetPackages\"")
        .body("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>")
        .send()
        .await
        .expect("POST");
    assert_eq!(malformed.status(), 400);
    assert!(malformed.bytes().await.expect("body").is_empty());

    let soap11_as_12 = http
        .post(server.url())
        .header("Content-Type", "application/soap+xml; charset=utf-8")
        .body("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>")
        .send()
        .await
        .expect("POST");
    assert_eq!(soap11_as_12.status(), 415);

    let elsewhere =
        http.post(format!("http://{}/other.asmx", server.local_addr())).body("x").send().await.expect("POST");
    assert_eq!(elsewhere.status(), 404);

    let too_big = http
        .post(server.url())
        .header("Content-Type", "text/xml")
        .body(vec![b' '; engageip_api::server::DEFAULT_MAX_REQUEST_BYTES + 1])
        .send()
        .await
        .expect("POST");
    assert_eq!(too_big.status(), 413);
    server.shutdown();
}
