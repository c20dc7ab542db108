//! Injected faults through the client, against the simulator over loopback: what the caller
//! sees, and what the simulator's call log says was performed.

use std::sync::Arc;
use std::time::Duration;

use engageip_api::server::{FaultAction, FaultInjector, Injection, ServeOptions, ServerHandle};
use engageip_api::simulator::{CallOutcome, CallRequest, Simulator};
use engageip_api::{Client, Credentials, Error, SoapVersion};

async fn start(rules: &[&str]) -> (ServerHandle, Arc<Simulator>, FaultInjector) {
    let simulator = Arc::new(Simulator::builtin(Credentials::new("admin", "secret")));
    let inject = FaultInjector::new(rules.iter().map(|r| r.parse::<Injection>().expect("rule")));
    let options = ServeOptions { inject: inject.clone(), ..ServeOptions::default() };
    let server = ServerHandle::start_with("127.0.0.1:0", simulator.clone(), options).await.expect("server starts");
    (server, simulator, inject)
}

fn client(server: &ServerHandle, version: SoapVersion) -> Client {
    Client::builder(server.url()).credentials("admin", "secret").soap_version(version).build().expect("client")
}

#[tokio::test]
async fn drop_after_performs_the_charge_and_the_caller_cannot_know() {
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let (server, simulator, _) = start(&["UpgradeUserPackage=drop-after"]).await;
        let err = client(&server, version).upgrade_user_package(5001, 102, true).await.expect_err("dropped");
        assert!(matches!(err, Error::OutcomeUnknown { operation: "UpgradeUserPackage", .. }), "{version}: {err}");
        // Performed exactly once: the upgrade and the charge happened.
        assert_eq!(simulator.performed("UpgradeUserPackage"), 1);
        assert_eq!(simulator.user_package(5001).map(|u| u.package_id), Some(102));
        assert_eq!(simulator.charges().len(), 1);
        let calls = simulator.calls();
        assert_eq!(calls.len(), 1);
        let Some(CallRequest::UpgradeUserPackage(r)) = &calls[0].request else { panic!("{calls:?}") };
        assert_eq!((r.user_package_id, r.target_package_id, r.charge_credit_card), (5001, 102, true));
    }
}

#[tokio::test]
async fn drop_before_performs_nothing() {
    let (server, simulator, _) = start(&["UpgradeUserPackage=drop-before"]).await;
    let err = client(&server, SoapVersion::Soap11).upgrade_user_package(5001, 102, true).await.expect_err("dropped");
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err}");
    assert_eq!(simulator.performed("UpgradeUserPackage"), 0);
    assert!(simulator.calls().is_empty(), "{:?}", simulator.calls());
    assert_eq!(simulator.user_package(5001).map(|u| u.package_id), Some(101));
    assert!(simulator.charges().is_empty());
}

#[tokio::test]
async fn status_answers_with_an_html_page_and_performs_nothing() {
    let (server, simulator, inject) = start(&["UpdatePackage=status:503", "GetPackages=status:502*1"]).await;
    let c = client(&server, SoapVersion::Soap12);
    // `*1`: only the next call. The client retries a read-only call after a 502, and the
    // retry gets through: performed once, by the retry.
    assert!(!c.get_packages("demo-isp").await.expect("the retry got past the one 502").is_empty());
    assert_eq!(simulator.performed("GetPackages"), 1);
    assert_eq!(inject.rules()[1].times, Some(0));
    let request = engageip_api::UpdatePackage {
        package_name: Some("Basic Internet".into()),
        new_package_name: Some("Renamed".into()),
        sku: Some("NET-1".into()),
        description: None,
        start_date: None,
        expiry_date: None,
        frequency: 1,
        base_time_unit_type_name: Some("Month".into()),
        in_active_override: false,
        show_to_user_portal: true,
        invoice_identifier: Some("Internet".into()),
    };
    for _ in 0..2 {
        // For a non-idempotent call the client cannot tell a down application from a proxy
        // that failed after forwarding: the outcome is unknown; the answer is underneath.
        match c.update_package(&request).await.expect_err("503") {
            Error::OutcomeUnknown { source, .. } => match *source {
                Error::Http { status, content_type, excerpt, .. } => {
                    assert_eq!((status, content_type.as_str()), (503, "text/html"));
                    assert!(excerpt.contains("503 - Service Unavailable"), "{excerpt}");
                }
                other => panic!("expected an HTTP error under OutcomeUnknown, got {other}"),
            },
            other => panic!("expected OutcomeUnknown, got {other}"),
        }
    }
    assert_eq!(simulator.performed("UpdatePackage"), 0);
    assert_eq!(simulator.package(101).and_then(|p| p.name).as_deref(), Some("Basic Internet"));
}

#[tokio::test]
async fn delay_answers_normally_later_and_performs_first() {
    let (server, simulator, inject) = start(&["GetPackages=delay:20"]).await;
    let c = client(&server, SoapVersion::Soap11);
    assert!(!c.get_packages("demo-isp").await.expect("answered after the delay").is_empty());
    // A caller that gives up first: the operation was still performed.
    inject.clear();
    inject.push(Injection::new("UpgradeUserPackage", FaultAction::Delay(Duration::from_secs(60))));
    let impatient = Client::builder(server.url())
        .credentials("admin", "secret")
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let err = impatient.upgrade_user_package(5001, 102, false).await.expect_err("timed out");
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err}");
    assert_eq!(simulator.performed("UpgradeUserPackage"), 1);
}

#[tokio::test]
async fn refused_credentials_are_answered_before_any_injection() {
    let (server, simulator, inject) = start(&["GetPackages=drop-before*1"]).await;
    let wrong = Client::builder(server.url()).credentials("admin", "nope").build().expect("client");
    let err = wrong.get_packages("demo-isp").await.expect_err("refused");
    assert_eq!(err.fault().map(|f| f.message()), Some("INVALID CREDENTIALS"), "{err}");
    assert_eq!(simulator.calls()[0].outcome, CallOutcome::Refused);
    assert_eq!(inject.rules()[0].times, Some(1), "the rule was not used up");
}
