//! The call span's fields follow OpenTelemetry's RPC conventions (`rpc.system`,
//! `rpc.service`, `rpc.method`, `server.address`, `server.port`,
//! `http.response.status_code`), and the password appears in none of them.

mod common;

use common::{PASSWORD, Reply, Responder, USERNAME, leaks_password};
use engageip_api::{Client, RetryPolicy};

#[tokio::test]
async fn the_call_span_carries_the_rpc_conventions() {
    let capture = common::capture();
    let server = Responder::start(Reply::xml(
        200,
        common::soap11(
            "<GetPackageServicesResponse xmlns=\"Logisense_EngageIP\"><GetPackageServicesResult /></GetPackageServicesResponse>",
        ),
    ))
    .await;
    let client = Client::builder(server.url())
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let services = client.get_package_services("Basic Internet", None).await.expect("call");
    assert!(services.is_empty());

    let port = server.url().split(':').nth(2).and_then(|rest| rest.split('/').next()).unwrap_or_default().to_owned();
    let spans = capture.lines_containing("engageip.call:");
    let span = spans.iter().find(|l| l.contains("rpc.method=GetPackageServices")).expect("a call span");
    for field in [
        "rpc.system=soap",
        "rpc.service=WebService",
        "rpc.method=GetPackageServices",
        "server.address=127.0.0.1",
        &format!("server.port={port}"),
        "soap.version=SOAP 1.1",
    ] {
        assert!(span.contains(field), "the span lacks {field}: {span}");
    }
    let id = span.split_whitespace().next().unwrap_or_default().to_owned();
    let records = capture.lines_containing(&format!("{id} record:"));
    assert!(
        records.iter().any(|r| r.contains("http.response.status_code=200")),
        "no status code recorded on {id}: {records:?}"
    );
    assert!(records.iter().any(|r| r.contains("engageip.attempts=1")), "{records:?}");
    for line in capture.lines() {
        assert!(!leaks_password(&line), "a trace line shows the password: {line}");
    }
}
