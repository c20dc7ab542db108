//! The contenders' clients, built the same way for every group: the typed client (with gzip on
//! or off), a plain reqwest client for the raw POST, and the raw POST itself.

use engageip_api::AuthHeader;
use engageip_api::runtime::{self, SoapVersion};

/// The typed client's response compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gzip {
    On,
    Off,
}

/// The typed client for `url`, with the library's default timeouts, no retries (a benchmark
/// call that fails should fail), and gzip as asked.
pub fn engageip(url: &str, gzip: Gzip) -> engageip_api::Client {
    let http = reqwest::Client::builder()
        .connect_timeout(engageip_api::DEFAULT_CONNECT_TIMEOUT)
        .timeout(engageip_api::DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .gzip(gzip == Gzip::On)
        .build()
        .expect("reqwest client");
    engageip_api::Client::builder(url)
        .credentials("bench", "secret")
        .http_client(http)
        .retry_policy(engageip_api::RetryPolicy::none())
        .build()
        .expect("client")
}

/// What a caller without this crate would use: reqwest with the same timeouts, no compression.
pub fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(engageip_api::DEFAULT_CONNECT_TIMEOUT)
        .timeout(engageip_api::DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .build()
        .expect("reqwest client")
}

/// The GetPackages request the typed client sends, encoded once: the raw POST's body.
pub fn get_packages_body() -> &'static str {
    let request = engageip_api::types::GetPackages { username: Some("owner".into()) };
    let header = AuthHeader { username: Some("bench".into()), password: Some("secret".into()) };
    let body = runtime::encode_request(SoapVersion::Soap11, Some(&header), &request).expect("encode");
    Box::leak(body.into_boxed_str())
}

/// A raw reqwest POST of a pre-built body; the response body as bytes.
pub async fn raw_post(http: &reqwest::Client, url: &str, body: &'static str) -> reqwest::Result<bytes::Bytes> {
    http.post(url)
        .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
        .header("SOAPAction", "\"Logisense_EngageIP/GetPackages\"")
        .body(body)
        .send()
        .await?
        .bytes()
        .await
}
