//! The transport's retry policy, proven over loopback: read operations are retried when the
//! connection was refused or closed before any response; `UpgradeUserPackage` and
//! `UpdatePackage` never are; a connection lost after the request went out is
//! `Error::OutcomeUnknown` for them, and the server saw the request exactly once.
//! Every test also checks that the password shows in no error and no log line.

mod common;

use std::time::Duration;

use common::{Capture, NS, PASSWORD, Reply, Responder, USERNAME, get_packages_response, leaks_password, package_with};
use engageip_api::types::UpdatePackage;
use engageip_api::{Client, Error, RetryPolicy};

/// A hang guard, not a timing assertion.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn eager_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 40,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(150),
        budget: Duration::from_secs(60),
    }
}

fn client(url: &str) -> Client {
    Client::builder(url)
        .credentials(USERNAME, PASSWORD)
        .retry_policy(eager_retries())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// A loopback port with nothing listening (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

fn retry_lines(capture: &Capture, port: u16) -> usize {
    capture.lines().iter().filter(|l| l.contains("retrying") && l.contains(&format!("127.0.0.1:{port}/"))).count()
}

fn assert_no_leak(capture: &Capture, error: &Error) {
    assert!(!leaks_password(&error.to_string()), "{error}");
    assert!(!leaks_password(&format!("{error:?}")), "{error:?}");
    for line in capture.lines() {
        assert!(!leaks_password(&line), "a log line shows the password: {line}");
    }
}

fn update_request() -> UpdatePackage {
    UpdatePackage {
        package_name: Some("Basic".to_owned()),
        new_package_name: Some("Basic".to_owned()),
        sku: None,
        description: None,
        start_date: None,
        expiry_date: None,
        frequency: 1,
        base_time_unit_type_name: Some("Month".to_owned()),
        in_active_override: false,
        show_to_user_portal: true,
        invoice_identifier: None,
    }
}

#[tokio::test]
async fn a_read_is_retried_after_connection_refused_until_the_port_accepts() {
    let capture = common::capture();
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let call = tokio::spawn({
        let client = client(&url);
        async move { client.get_packages("demo-isp").await }
    });
    // Wait until the client has been refused at least once and decided to retry...
    tokio::time::timeout(HANG_GUARD, async {
        while retry_lines(&capture, port) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the client never retried");
    // ...then start accepting on that port.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("rebind the port");
    let body = get_packages_response(&package_with("", ""));
    let server = Responder::on(listener, move |_, _| Reply::xml(200, body.clone()));
    let packages =
        tokio::time::timeout(HANG_GUARD, call).await.expect("hang").expect("no panic").expect("call succeeds");
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0].id, 7);
    assert_eq!(server.request_count(), 1, "the request reached the server once");
    assert!(retry_lines(&capture, port) >= 1);
    for line in capture.lines() {
        assert!(!leaks_password(&line), "a log line shows the password: {line}");
    }
}

#[tokio::test]
async fn a_read_gives_up_after_max_retries_with_a_connect_error() {
    let capture = common::capture();
    let port = closed_port();
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            budget: Duration::from_secs(60),
        })
        .build()
        .expect("client");
    let error = tokio::time::timeout(HANG_GUARD, client.get_package_services("Basic", "demo-isp"))
        .await
        .expect("hang")
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Connect { operation: "GetPackageServices", .. }), "{error:?}");
    assert!(error.to_string().contains("could not connect"), "{error}");
    assert_eq!(retry_lines(&capture, port), 3, "three retries, then the error");
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn upgrade_and_update_are_never_retried_after_connection_refused() {
    let capture = common::capture();
    let port = closed_port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let error = tokio::time::timeout(HANG_GUARD, client.upgrade_user_package(1, 2, true))
        .await
        .expect("hang")
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Connect { operation: "UpgradeUserPackage", .. }), "{error:?}");
    assert_no_leak(&capture, &error);
    let error = tokio::time::timeout(HANG_GUARD, client.update_package(&update_request()))
        .await
        .expect("hang")
        .expect_err("refused");
    assert!(matches!(error, Error::Connect { operation: "UpdatePackage", .. }), "{error:?}");
    assert_eq!(retry_lines(&capture, port), 0, "a non-idempotent operation was retried");
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn upgrade_dropped_after_sending_is_outcome_unknown_and_reaches_the_server_once() {
    let capture = common::capture();
    let server = Responder::start(Reply::Close).await;
    let client = client(&server.url());
    let error = tokio::time::timeout(HANG_GUARD, client.upgrade_user_package(41, 42, true))
        .await
        .expect("hang")
        .expect_err("the connection drops");
    assert!(matches!(error, Error::OutcomeUnknown { operation: "UpgradeUserPackage", .. }), "{error:?}");
    assert!(error.to_string().contains("whether the service performed it is unknown"), "{error}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the server received {} UpgradeUserPackage requests", requests.len());
    let body = requests[0].body_text();
    assert!(body.contains(&format!("<UpgradeUserPackage xmlns=\"{NS}\"><userPackageID>41</userPackageID>")), "{body}");
    assert_eq!(server.connection_count(), 1);
    assert_eq!(retry_lines(&capture, server.addr().port()), 0);
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn upgrade_cut_off_mid_response_is_outcome_unknown_and_sent_once() {
    let capture = common::capture();
    let server = Responder::start(Reply::Raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 500\r\n\r\n<soap:Envelope"
            .to_vec(),
    ))
    .await;
    let client = client(&server.url());
    let error = tokio::time::timeout(HANG_GUARD, client.upgrade_user_package(1, 2, false))
        .await
        .expect("hang")
        .expect_err("the body is cut off");
    assert!(matches!(error, Error::OutcomeUnknown { operation: "UpgradeUserPackage", .. }), "{error:?}");
    assert_eq!(server.request_count(), 1);
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn update_dropped_after_sending_is_outcome_unknown_and_sent_once() {
    let capture = common::capture();
    let server = Responder::start(Reply::Close).await;
    let client = client(&server.url());
    let error = tokio::time::timeout(HANG_GUARD, client.update_package(&update_request()))
        .await
        .expect("hang")
        .expect_err("drops");
    assert!(matches!(error, Error::OutcomeUnknown { operation: "UpdatePackage", .. }), "{error:?}");
    assert_eq!(server.request_count(), 1);
    assert!(server.requests()[0].body_text().contains("<UpdatePackage xmlns=\"Logisense_EngageIP\">"));
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn a_read_closed_before_any_response_is_retried() {
    // Nothing came back: repeating a read is harmless, so the client tries again.
    let capture = common::capture();
    let body = get_packages_response(&package_with("", ""));
    let server =
        Responder::start_with(move |_, index| if index == 0 { Reply::Close } else { Reply::xml(200, body.clone()) })
            .await;
    let client = client(&server.url());
    let packages =
        tokio::time::timeout(HANG_GUARD, client.get_packages("demo-isp")).await.expect("hang").expect("retried");
    assert_eq!(packages.len(), 1);
    assert_eq!(server.request_count(), 2, "one closed attempt, one answered");
    assert_eq!(retry_lines(&capture, server.addr().port()), 1);
}

#[tokio::test]
async fn a_read_cut_off_mid_response_is_not_retried() {
    // A response had started: not one of the failures the policy repeats.
    let capture = common::capture();
    let server = Responder::start(Reply::Raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 500\r\n\r\n<soap:Envelope"
            .to_vec(),
    ))
    .await;
    let client = client(&server.url());
    let error =
        tokio::time::timeout(HANG_GUARD, client.get_packages("demo-isp")).await.expect("hang").expect_err("cut off");
    assert!(matches!(error, Error::Transport { operation: "GetPackages", .. }), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(server.request_count(), 1);
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn a_tls_handshake_failure_means_not_sent() {
    // HTTPS (rustls) against a plain-HTTP peer: the handshake fails before any request byte
    // is sent, so even `UpgradeUserPackage` gets `Connect`, not `OutcomeUnknown`.
    let capture = common::capture();
    let server = Responder::start(Reply::Raw(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".to_vec())).await;
    let client = Client::builder(format!("https://{}", server.addr()))
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let error = tokio::time::timeout(HANG_GUARD, client.upgrade_user_package(1, 2, true))
        .await
        .expect("hang")
        .expect_err("not TLS");
    assert!(matches!(error, Error::Connect { operation: "UpgradeUserPackage", .. }), "{error:?}");
    assert_eq!(server.request_count(), 0, "no HTTP request reached the peer");
    assert_no_leak(&capture, &error);
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() {
    // Following it would send the envelope, password included, to another host.
    let capture = common::capture();
    let elsewhere = Responder::start(Reply::xml(200, get_packages_response(&package_with("", "")))).await;
    let location = format!("{}/adminportal/webservice.asmx", elsewhere.url());
    let server = Responder::start(Reply::Fixed {
        status: 307,
        headers: vec![("Location".to_owned(), location)],
        body: Vec::new(),
    })
    .await;
    let client = client(&server.url());
    let error =
        tokio::time::timeout(HANG_GUARD, client.get_packages("demo-isp")).await.expect("hang").expect_err("307");
    assert!(matches!(error, Error::Http { status: 307, .. }), "{error:?}");
    assert_eq!(elsewhere.request_count(), 0, "the redirect was followed");
    assert_no_leak(&capture, &error);
}

#[test]
fn credentials_never_show_in_debug_or_display() {
    let client = Client::builder("http://127.0.0.1:1").credentials(USERNAME, PASSWORD).build().expect("client");
    assert!(!leaks_password(&format!("{client:?}")));
    let builder = Client::builder("http://127.0.0.1:1").credentials(USERNAME, PASSWORD);
    assert!(!leaks_password(&format!("{builder:?}")));
    let credentials = engageip_api::Credentials::new(USERNAME, PASSWORD);
    assert!(!leaks_password(&format!("{credentials:?} {credentials}")));
    assert!(format!("{credentials}").contains(USERNAME));
    assert!(!leaks_password(&format!("{:?}", credentials.to_header())));
}
