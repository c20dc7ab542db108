//! Whether a failed call was performed, over loopback: every way a sent `UpgradeUserPackage`
//! can end without a trustworthy answer (a timeout after sending, a reset, 502, 503, 504, a
//! non-SOAP 500, a redirect) is `Error::OutcomeUnknown` and reached the server exactly once,
//! whatever the retry policy says; read-only operations are retried after exactly the
//! failures item 5 of the transport issue lists (refused, closed or reset before any
//! response, 502/503/504, honouring `Retry-After` within a budget) and after nothing else;
//! dropping a sent charge's future logs a warning. The password shows in no error or log line.

mod common;

use std::time::Duration;

use common::{
    Capture, PASSWORD, Reply, Responder, USERNAME, fault11, get_packages_response, leaks_password, package_with,
};
use engageip_api::{Client, Error, Outcome, RetryPolicy};

/// A hang guard, not a timing assertion.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Retries as eager as can be: a non-idempotent call must still be sent once.
fn eager() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        budget: Duration::from_secs(60),
    }
}

fn client(url: &str) -> Client {
    Client::builder(url)
        .credentials(USERNAME, PASSWORD)
        .retry_policy(eager())
        .timeout(Duration::from_secs(60))
        .no_proxy()
        .build()
        .expect("client")
}

fn html(status: u16) -> Reply {
    Reply::with_type(status, "text/html", format!("<html><body>{status} from a gateway</body></html>"))
}

fn assert_no_leak(capture: &Capture, error: &Error) {
    assert!(!leaks_password(&common::error_chain(error)), "{error}");
    assert!(!leaks_password(&format!("{error:?}")), "{error:?}");
    for line in capture.lines() {
        assert!(!leaks_password(&line), "a log line shows the password: {line}");
    }
}

/// A case: its name, the server's reply, and a check on the error inside `OutcomeUnknown`.
type UnknownCase = (&'static str, Reply, fn(&Error) -> bool);

/// The cases where a sent request gets no trustworthy answer.
fn unknown_cases(elsewhere: &str) -> Vec<UnknownCase> {
    vec![
        ("timeout after sending", Reply::Hang, |e| e.is_timeout()),
        ("connection reset", Reply::Reset, |e| matches!(e, Error::Transport { .. })),
        ("connection closed", Reply::Close, |e| matches!(e, Error::Transport { .. })),
        ("502 from a gateway", html(502), |e| e.http_status() == Some(502)),
        ("503", html(503), |e| e.http_status() == Some(503)),
        ("504 from a gateway", html(504), |e| e.http_status() == Some(504)),
        ("non-SOAP 500", html(500), |e| e.http_status() == Some(500)),
        (
            "redirect",
            Reply::Fixed {
                status: 307,
                headers: vec![("Location".to_owned(), elsewhere.to_owned())],
                body: Vec::new(),
            },
            |e| e.http_status() == Some(307),
        ),
    ]
}

#[tokio::test]
async fn every_unknown_case_of_a_charge_is_outcome_unknown_and_sent_once() {
    let capture = common::capture();
    let elsewhere = Responder::start(Reply::xml(200, "<nothing/>")).await;
    let location = format!("{}/adminportal/webservice.asmx", elsewhere.url());
    for (name, reply, inner_check) in unknown_cases(&location) {
        let server = Responder::start(reply).await;
        // The timeout case needs a deadline that passes after the request went out.
        let client = client(&server.url()).with_timeout(Duration::from_millis(500));
        let error = tokio::time::timeout(HANG_GUARD, client.upgrade_user_package(5001, 102, true))
            .await
            .expect("hang")
            .expect_err(name);
        let Error::OutcomeUnknown { operation, source } = &error else { panic!("{name}: {error:?}") };
        assert_eq!(*operation, "UpgradeUserPackage", "{name}");
        assert!(inner_check(source), "{name}: {source:?}");
        assert_eq!(error.outcome(), Outcome::Unknown, "{name}");
        assert!(!error.is_retryable(), "{name}");
        assert_eq!(error.operation(), Some("UpgradeUserPackage"));
        assert!(common::error_chain(&error).contains("whether the service performed it is unknown"), "{name}: {error}");
        assert_eq!(server.request_count(), 1, "{name}: the charge was sent {} times", server.request_count());
        assert!(server.requests()[0].body_text().contains("<userPackageID>5001</userPackageID>"), "{name}");
        assert_no_leak(&capture, &error);
    }
    assert_eq!(elsewhere.request_count(), 0, "the redirect was followed");
}

#[tokio::test]
async fn the_builder_timeout_also_ends_a_sent_charge_in_outcome_unknown() {
    let server = Responder::start(Reply::Hang).await;
    let client = Client::builder(server.url())
        .credentials(USERNAME, PASSWORD)
        .timeout(Duration::from_millis(300))
        .no_proxy()
        .build()
        .expect("client");
    assert_eq!(client.timeout(), Duration::from_millis(300));
    let error = tokio::time::timeout(HANG_GUARD, client.update_package(&common_update())).await.expect("hang");
    let error = error.expect_err("times out");
    assert!(matches!(error, Error::OutcomeUnknown { operation: "UpdatePackage", .. }), "{error:?}");
    assert!(error.is_timeout(), "{error:?}");
    let transport = error.transport_error().expect("a transport error");
    assert!(transport.is_timeout() && !transport.is_connect());
    // The source reaches reqwest's own error, through the re-exported crate.
    let source = std::error::Error::source(transport).expect("source");
    assert!(source.downcast_ref::<engageip_api::reqwest::Error>().is_some_and(|e| e.is_timeout()));
    assert_eq!(server.request_count(), 1);
}

fn common_update() -> engageip_api::UpdatePackage {
    engageip_api::UpdatePackage {
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
async fn answers_that_are_not_unknown_keep_their_outcome() {
    // A documented fault: refused before acting.
    let server = Responder::start(Reply::xml(
        500,
        fault11("Server", "Server was unable to process request. ---> INVALID TARGET PACKAGE ID"),
    ))
    .await;
    let error = client(&server.url()).upgrade_user_package(5001, 999, true).await.expect_err("fault");
    assert!(matches!(error, Error::Fault { .. }), "{error:?}");
    assert_eq!(error.outcome(), Outcome::NotPerformed);
    assert_eq!(error.fault_code(), Some(&engageip_api::FaultCode::Receiver));
    assert_eq!(error.http_status(), Some(500));
    assert!(error.fault().is_some_and(|f| f.reason.contains("INVALID TARGET PACKAGE ID")));
    assert_eq!(server.request_count(), 1);
    // A 200 whose body does not decode: performed, and said so.
    let server = Responder::start(Reply::xml(200, "<soap:Envelope")).await;
    let error = client(&server.url()).upgrade_user_package(5001, 102, true).await.expect_err("undecodable");
    assert!(matches!(error, Error::Decode { operation: "UpgradeUserPackage", .. }), "{error:?}");
    assert_eq!(error.outcome(), Outcome::Performed);
    assert!(!error.is_retryable());
    // A 404: the endpoint is wrong, nothing happened.
    let server = Responder::start(html(404)).await;
    let error = client(&server.url()).upgrade_user_package(5001, 102, true).await.expect_err("404");
    assert!(matches!(error, Error::Http { status: 404, .. }), "{error:?}");
    assert_eq!(error.outcome(), Outcome::NotPerformed);
    // Refused: not sent at all.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let error =
        client(&format!("http://127.0.0.1:{port}")).upgrade_user_package(5001, 102, true).await.expect_err("refused");
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert_eq!(error.outcome(), Outcome::NotPerformed);
    assert!(error.transport_error().is_some_and(|t| t.is_connect()));
}

/// A read whose first attempt gets `first` and whose second gets a valid answer.
async fn read_after(first: Reply) -> (Result<usize, Error>, usize) {
    let ok = get_packages_response(&package_with("", ""));
    let server =
        Responder::start_with(move |_, index| if index == 0 { first.clone() } else { Reply::xml(200, ok.clone()) })
            .await;
    let client = client(&server.url()).with_timeout(Duration::from_secs(5));
    let result = tokio::time::timeout(HANG_GUARD, client.get_packages("demo-isp")).await.expect("hang");
    (result.map(|p| p.len()), server.request_count())
}

#[tokio::test]
async fn reads_are_retried_after_exactly_the_listed_failures() {
    for (name, first) in [
        ("closed before any response", Reply::Close),
        ("reset before any response", Reply::Reset),
        ("502", html(502)),
        ("503", html(503)),
        ("504", html(504)),
    ] {
        let (result, requests) = read_after(first).await;
        assert_eq!(result.expect(name), 1, "{name}");
        assert_eq!(requests, 2, "{name}: retried once");
    }
    for (name, first, check) in [
        ("non-SOAP 500", html(500), (|e| matches!(e, Error::Http { status: 500, .. })) as fn(&Error) -> bool),
        ("404", html(404), |e| matches!(e, Error::Http { status: 404, .. })),
        ("a documented fault", Reply::xml(500, fault11("Client", "INVALID USERNAME")), |e| {
            matches!(e, Error::Fault { .. })
        }),
        ("an undecodable 200", Reply::xml(200, "<soap:Envelope"), |e| matches!(e, Error::Decode { .. })),
        ("a redirect", html(307), |e| matches!(e, Error::Http { status: 307, .. })),
        (
            "cut off mid-response",
            Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 900\r\n\r\n<soap:Env".to_vec()),
            |e| matches!(e, Error::Transport { .. }),
        ),
        ("timeout", Reply::Hang, |e| e.is_timeout()),
    ] {
        let (result, requests) = read_after(first).await;
        let error = result.expect_err(name);
        assert!(check(&error), "{name}: {error:?}");
        assert!(!error.is_retryable(), "{name}");
        assert_eq!(requests, 1, "{name}: retried");
    }
}

#[tokio::test]
async fn retry_after_is_honoured_and_the_budget_bounds_retries() {
    let capture = common::capture();
    // Retry-After: 1 → the delay the client chose is at least a second (read from its log
    // line, not timed).
    let ok = get_packages_response(&package_with("", ""));
    let server = Responder::start_with(move |_, index| {
        if index == 0 {
            Reply::Fixed {
                status: 503,
                headers: vec![
                    ("Retry-After".to_owned(), "1".to_owned()),
                    ("Content-Type".to_owned(), "text/plain".to_owned()),
                ],
                body: b"busy".to_vec(),
            }
        } else {
            Reply::xml(200, ok.clone())
        }
    })
    .await;
    let packages = client(&server.url()).get_packages("demo-isp").await.expect("retried after Retry-After");
    assert_eq!(packages.len(), 1);
    let port = format!("127.0.0.1:{}", server.addr().port());
    let delays: Vec<u64> = capture
        .lines()
        .iter()
        .filter(|l| l.contains("retrying") && l.contains(&port))
        .filter_map(|l| l.split(" delay_ms=").nth(1)?.split(' ').next()?.parse().ok())
        .collect();
    assert_eq!(delays.len(), 1, "{:?}", capture.lines_containing(&port));
    assert!(delays[0] >= 1000, "Retry-After: 1 asked for a second, the client waited {} ms", delays[0]);

    // A Retry-After past the budget: the client gives up at once.
    let server = Responder::start(Reply::Fixed {
        status: 503,
        headers: vec![("Retry-After".to_owned(), "3600".to_owned())],
        body: Vec::new(),
    })
    .await;
    let error = client(&server.url()).get_packages("demo-isp").await.expect_err("503");
    assert!(matches!(error, Error::Http { status: 503, .. }), "{error:?}");
    assert_eq!(server.request_count(), 1);

    // Endless 502s and many allowed retries: the count stops them, and so does the budget.
    let server = Responder::start(html(502)).await;
    let count_bound = client(&server.url()).get_packages("demo-isp").await.expect_err("502");
    assert!(count_bound.is_retryable());
    assert_eq!(server.request_count(), 6, "one attempt and max_retries = 5 retries");
    let server = Responder::start(html(502)).await;
    let budgeted = Client::builder(server.url())
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy {
            max_retries: 1_000_000,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(40),
            budget: Duration::from_millis(400),
        })
        .no_proxy()
        .build()
        .expect("client");
    let error = tokio::time::timeout(HANG_GUARD, budgeted.get_packages("demo-isp")).await.expect("hang");
    assert!(matches!(error, Err(Error::Http { status: 502, .. })));
    // At least 10 ms per wait within 400 ms: at most 41 attempts, however fast the machine.
    let n = server.request_count();
    assert!((2..=41).contains(&n), "{n} attempts within a 400 ms budget");
}

#[tokio::test]
async fn dropping_a_sent_charge_logs_a_warning_and_a_read_does_not() {
    let capture = common::capture();
    let server = Responder::start(Reply::Hang).await;
    let port = format!("127.0.0.1:{}", server.addr().port());
    let client = client(&server.url());
    let charge = tokio::spawn({
        let client = client.clone();
        async move { client.upgrade_user_package(5001, 102, true).await }
    });
    let read = tokio::spawn(async move { client.get_packages("demo-isp").await });
    tokio::time::timeout(HANG_GUARD, async {
        while server.request_count() < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("both requests reach the server");
    charge.abort();
    read.abort();
    assert!(charge.await.expect_err("aborted").is_cancelled());
    assert!(read.await.expect_err("aborted").is_cancelled());
    let warnings: Vec<String> =
        capture.lines().into_iter().filter(|l| l.starts_with("WARN") && l.contains(&port)).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("operation=UpgradeUserPackage")
            && warnings[0].contains("dropped after its request was sent"),
        "{warnings:?}"
    );
    for line in capture.lines() {
        assert!(!leaks_password(&line), "{line}");
    }
}
