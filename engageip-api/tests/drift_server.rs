//! Schema drift against the generated server: its `GET ...asmx?WSDL` means the same as the
//! committed `wsdl/`, and a later EngageIP version compared with it is classified. (The CLI
//! side, `cargo xtask drift`, is tested with modified WSDLs served over loopback in
//! `xtask/tests/drift.rs`.)
#![cfg(feature = "server")]

use std::sync::Arc;

use engageip_api::Credentials;
use engageip_api::server::ServerHandle;
use engageip_api::simulator::Simulator;
use engageip_codegen::Input;
use engageip_codegen::drift::{Severity, compare};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `GET url` over plain HTTP/1.1; the body of a 200 response.
async fn get(url: &str) -> String {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, path) = rest.split_at(rest.find('/').expect("path"));
    let mut stream = TcpStream::connect(authority).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8(raw).expect("UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
    body.to_owned()
}

#[tokio::test]
async fn the_generated_server_serves_the_committed_description() {
    let simulator = Arc::new(Simulator::builtin(Credentials::new("admin", "secret")));
    let server = ServerHandle::start("127.0.0.1:0", simulator).await.expect("server starts");
    let served = get(&format!("{}?WSDL", server.url())).await;
    let live = Input::new("live.wsdl", served);
    let committed = Input::new("engageip.wsdl", include_str!("../../wsdl/engageip.wsdl"));
    let report = compare(&committed, &live).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.changes.is_empty(), "{report}");
    assert_eq!(report.exit_code(), 0);

    // A later EngageIP without UpgradeUserPackage, against what the server publishes now.
    let later = Input::new("later.wsdl", include_str!("golden/engageip_removed_operation/service.wsdl"));
    let report = compare(&live, &later).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.exit_code(), 2, "{report}");
    assert!(
        report.changes.iter().any(|c| c.severity == Severity::Breaking
            && c.kind == "operation-removed"
            && c.subject == "operation UpgradeUserPackage"),
        "{report}"
    );
    server.shutdown();
}

/// The library door: a client checks its own service with its own transport.
#[cfg(feature = "drift")]
#[tokio::test]
async fn a_client_checks_its_own_service_for_drift() {
    use engageip_api::Client;
    use engageip_api::drift::{DriftChecker, DriftError};

    let simulator = Arc::new(Simulator::builtin(Credentials::new("admin", "secret")));
    let server = ServerHandle::start("127.0.0.1:0", simulator).await.expect("server starts");
    let client = Client::builder(server.url()).credentials("admin", "secret").build().expect("client");
    let report = client.check_drift().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.changes.is_empty(), "{report}");
    assert_eq!(engageip_api::WSDL, include_str!("../../wsdl/engageip.wsdl"));

    // Any URL or file, with the transport a builder describes and no credentials.
    let checker = DriftChecker::new(&Client::builder(server.url())).expect("checker");
    let report = checker.check(&format!("{}?WSDL", server.url())).await.expect("compares");
    assert_eq!(report.exit_code(), 0);
    let later = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/engageip_new_field/service.wsdl");
    let report = checker.check(later).await.expect("compares");
    assert_eq!(report.exit_code(), 1, "{report}");
    assert_eq!(report.changes[0].subject, "Package.TaxCode");
    assert_eq!(report.changes[0].why, "this client skips elements it does not know");
    server.shutdown();

    // The server is gone: unreachable, not a panic.
    let err = client.check_drift().await.expect_err("nothing listens");
    assert!(matches!(err, DriftError::Unreachable { .. }), "{err}");
    assert_eq!(err.kind(), "unreachable");
}
