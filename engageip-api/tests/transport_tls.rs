//! Production transport over loopback, against servers the tests start: a TLS server with a
//! CA made in the test (refused without the CA, accepted with it, or with only it), one that
//! requires a client certificate (refused without the identity, accepted with it), the same
//! through the blocking client; an HTTP proxy (plain forwarding and `CONNECT`) used when
//! configured and not with `no_proxy`; the `User-Agent` and `Accept-Encoding` headers; a
//! caller-supplied reqwest client that follows a redirect; no process-wide rustls provider.

mod common;
#[path = "common/pki.rs"]
mod pki;
#[path = "common/proxy.rs"]
mod proxy;

use std::sync::Arc;
use std::time::Duration;

use common::{PASSWORD, Reply, Responder, USERNAME, get_packages_response, leaks_password, package_with};
use engageip_api::{Certificate, Client, ClientBuilder, Error, Identity, Outcome, RetryPolicy};
use pki::Pki;

const HANG_GUARD: Duration = Duration::from_secs(120);

fn ok_reply() -> Reply {
    Reply::xml(200, get_packages_response(&package_with("", "")))
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder(url)
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(30))
        .no_proxy()
}

fn https(server: &Responder) -> String {
    format!("https://127.0.0.1:{}", server.addr().port())
}

fn ca(pki: &Pki) -> Vec<Certificate> {
    Certificate::from_pem_bundle(pki.ca_pem.as_bytes()).expect("CA PEM")
}

fn identity(pki: &Pki) -> Identity {
    Identity::from_pem(pki.client_pem.as_bytes(), pki.client_key_pem.as_bytes()).expect("identity")
}

async fn packages(client: &Client) -> Result<usize, Error> {
    tokio::time::timeout(HANG_GUARD, client.get_packages("demo-isp")).await.expect("hang").map(|p| p.len())
}

#[tokio::test]
async fn a_server_of_an_internal_ca_is_refused_without_the_ca_and_accepted_with_it() {
    let pki = Pki::new("engageip test CA");
    let server = Responder::start_tls(pki.acceptor(false), |_, _| ok_reply()).await;
    let url = https(&server);

    let error = packages(&builder(&url).build().expect("client")).await.expect_err("unknown CA");
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert_eq!(error.outcome(), Outcome::NotPerformed);
    assert!(!error.is_retryable(), "a certificate error is not transient");
    assert!(common::error_chain(&error).to_lowercase().contains("certificate"), "{}", common::error_chain(&error));
    assert_eq!(server.request_count(), 0);

    let with_ca = builder(&url).add_root_certificates(ca(&pki)).build().expect("client");
    assert_eq!(packages(&with_ca).await.expect("trusted"), 1);
    let only_ca = builder(&url).add_root_certificates(ca(&pki)).trust_only_added_roots(true).build().expect("client");
    assert_eq!(packages(&only_ca).await.expect("trusted"), 1);
    let der = Certificate::from_der(ca(&pki)[0].as_der().to_vec());
    let with_der = builder(&url).add_root_certificate(der).trust_only_added_roots(true).build().expect("client");
    assert_eq!(packages(&with_der).await.expect("DER root"), 1);

    let other = Pki::new("another CA");
    let wrong = builder(&url).add_root_certificates(ca(&other)).trust_only_added_roots(true).build().expect("client");
    assert!(matches!(packages(&wrong).await, Err(Error::Connect { .. })));
    let danger = builder(&url).danger_accept_invalid_certs(true).build().expect("client");
    assert_eq!(packages(&danger).await.expect("accepted for tests"), 1);
    assert_eq!(server.request_count(), 4);

    // Trusting only added roots with none added is a configuration error, not a client that
    // trusts nothing.
    assert!(matches!(builder(&url).trust_only_added_roots(true).build(), Err(Error::Config(_))));
    assert!(matches!(Certificate::from_pem_bundle(b"not a certificate"), Err(Error::Config(_))));
    // No process-wide side effect: nothing installed a default rustls provider.
    assert!(rustls::crypto::CryptoProvider::get_default().is_none(), "a process-wide provider was installed");
}

#[tokio::test]
async fn a_server_requiring_a_client_certificate_is_refused_without_the_identity_and_accepted_with_it() {
    let pki = Pki::new("engageip mTLS CA");
    let server = Responder::start_tls(pki.acceptor(true), |_, _| ok_reply()).await;
    let url = https(&server);
    let without = builder(&url).add_root_certificates(ca(&pki)).build().expect("client");
    let error = packages(&without).await.expect_err("no client certificate");
    assert!(common::error_chain(&error).to_lowercase().contains("certificate"), "{}", common::error_chain(&error));
    assert_eq!(server.request_count(), 0, "no request got through");
    assert!(server.tls_failures() >= 1);

    let with = builder(&url).add_root_certificates(ca(&pki)).identity(identity(&pki)).build().expect("client");
    assert_eq!(packages(&with).await.expect("mutual TLS"), 1);
    assert_eq!(server.request_count(), 1);

    // Neither the key nor the password shows in Debug.
    let b = builder(&url).identity(identity(&pki)).proxy("http://proxy-user:proxy-secret@127.0.0.1:9");
    let debug = format!("{b:?}");
    assert!(!debug.contains("PRIVATE KEY") && !debug.contains("proxy-secret") && !leaks_password(&debug), "{debug}");
    assert!(matches!(Identity::from_pem(pki.client_pem.as_bytes(), b"no key here"), Err(Error::Config(_))));
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_takes_the_same_tls_settings() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let pki = Pki::new("engageip blocking CA");
    let plain = runtime.block_on(Responder::start_tls(pki.acceptor(false), |_, _| ok_reply()));
    let mutual = runtime.block_on(Responder::start_tls(pki.acceptor(true), |_, _| ok_reply()));
    let blocking = |url: String| {
        engageip_api::blocking::Client::builder(url)
            .credentials(USERNAME, PASSWORD)
            .retry_policy(RetryPolicy::none())
            .no_proxy()
    };
    let error = blocking(https(&plain)).build().expect("client").get_packages("x").expect_err("unknown CA");
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    let trusted = blocking(https(&plain)).add_root_certificates(ca(&pki)).build().expect("client");
    assert_eq!(trusted.get_packages("x").expect("trusted").len(), 1);
    assert_eq!(trusted.with_timeout(Duration::from_secs(5)).get_packages("x").expect("per-call timeout").len(), 1);

    let no_identity = blocking(https(&mutual)).add_root_certificates(ca(&pki)).build().expect("client");
    assert!(no_identity.get_packages("x").is_err());
    assert_eq!(mutual.request_count(), 0);
    let with_identity =
        blocking(https(&mutual)).add_root_certificates(ca(&pki)).identity(identity(&pki)).build().expect("client");
    assert_eq!(with_identity.get_packages("x").expect("mutual TLS").len(), 1);
    assert_eq!(mutual.request_count(), 1);
}

#[tokio::test]
async fn calls_go_through_an_explicit_proxy_plain_and_connect_and_not_with_no_proxy() {
    let proxy = proxy::Proxy::start().await;
    let plain = Responder::start(ok_reply()).await;
    let through = builder(&plain.url()).proxy(proxy.url()).build().expect("client");
    assert_eq!(packages(&through).await.expect("via the proxy"), 1);
    let port = plain.addr().port();
    assert_eq!(proxy.seen(), [format!("POST http://127.0.0.1:{port}/adminportal/webservice.asmx HTTP/1.1")]);
    assert_eq!(plain.request_count(), 1);

    let pki = Pki::new("engageip proxy CA");
    let tls = Responder::start_tls(pki.acceptor(false), |_, _| ok_reply()).await;
    let tunnel = builder(&https(&tls)).proxy(proxy.url()).add_root_certificates(ca(&pki)).build().expect("client");
    assert_eq!(packages(&tunnel).await.expect("via CONNECT"), 1);
    let tls_port = tls.addr().port();
    assert_eq!(proxy.seen().len(), 2);
    assert!(proxy.seen()[1].starts_with(&format!("CONNECT 127.0.0.1:{tls_port} ")), "{:?}", proxy.seen());

    let direct = builder(&plain.url()).no_proxy().build().expect("client");
    assert_eq!(packages(&direct).await.expect("direct"), 1);
    assert_eq!(proxy.seen().len(), 2, "no_proxy went through the proxy");
    assert_eq!(plain.request_count(), 2);

    // A proxy that is not there: the request was not sent.
    let gone = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr");
    let error = builder(&plain.url()).proxy(format!("http://{gone}")).build().expect("client");
    let error = error.upgrade_user_package(1, 2, true).await.expect_err("no proxy there");
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(matches!(builder(&plain.url()).proxy("::not a url").build(), Err(Error::Config(_))));
}

#[tokio::test]
async fn user_agent_and_accept_encoding_are_sent() {
    let server = Responder::start(ok_reply()).await;
    packages(&builder(&server.url()).build().expect("client")).await.expect("call");
    packages(&builder(&server.url()).user_agent("billing-sync/2.1").build().expect("client")).await.expect("call");
    let requests = server.requests();
    assert_eq!(requests[0].header("user-agent").as_deref(), Some(engageip_api::DEFAULT_USER_AGENT));
    assert_eq!(engageip_api::DEFAULT_USER_AGENT, concat!("engageip-api/", env!("CARGO_PKG_VERSION")));
    assert_eq!(requests[1].header("user-agent").as_deref(), Some("billing-sync/2.1"));
    #[cfg(feature = "gzip")]
    assert_eq!(requests[0].header("accept-encoding").as_deref(), Some("gzip"));
    assert!(matches!(builder(&server.url()).user_agent("bad\nagent").build(), Err(Error::Config(_))));
}

/// A reqwest client built by the caller, following redirects as reqwest does by default:
/// the crate cannot stop it, but it never uses an answer from elsewhere.
#[tokio::test]
async fn a_caller_supplied_client_keeps_the_endpoint_check_and_the_limits() {
    let elsewhere = Responder::start(ok_reply()).await;
    let location = format!("{}/adminportal/webservice.asmx", elsewhere.url());
    let server = Responder::start(Reply::Fixed {
        status: 307,
        headers: vec![("Location".to_owned(), location.clone())],
        body: Vec::new(),
    })
    .await;
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    let http =
        engageip_api::reqwest::Client::builder().tls_backend_preconfigured(tls).no_proxy().build().expect("reqwest");
    let client = builder(&server.url()).http_client(http).max_response_bytes(100).build().expect("client");
    let error = packages(&client).await.expect_err("redirected");
    assert!(matches!(&error, Error::Redirected { url, .. } if *url == location), "{error:?}");
    assert_eq!(error.outcome(), Outcome::Unknown);
    let error = client.upgrade_user_package(1, 2, true).await.expect_err("redirected");
    let Error::OutcomeUnknown { source, .. } = &error else { panic!("{error:?}") };
    assert!(matches!(**source, Error::Redirected { .. }));
    // The size limit still applies to what the caller's client returns.
    let direct = builder(&elsewhere.url())
        .http_client(
            engageip_api::reqwest::Client::builder()
                .no_proxy()
                .tls_backend_preconfigured(
                    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                        .with_safe_default_protocol_versions()
                        .expect("versions")
                        .with_root_certificates(rustls::RootCertStore::empty())
                        .with_no_client_auth(),
                )
                .build()
                .expect("reqwest"),
        )
        .max_response_bytes(100)
        .build()
        .expect("client");
    assert!(matches!(packages(&direct).await, Err(Error::ResponseTooLarge { limit: 100, status: 200, .. })));
}
