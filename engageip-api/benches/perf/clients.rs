//! The contenders' clients, built the same way for every group: the typed client (with gzip on
//! or off), a plain reqwest client for the raw POST, and the raw POST itself.

use engageip_api::AuthHeader;
use engageip_api::runtime::{self, SoapVersion};

/// The typed client's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gzip {
    /// As `Client::builder` makes it: its own reqwest client, with `Accept-Encoding: gzip` and
    /// decompression (the crate's default `gzip` feature).
    On,
    /// A caller-supplied reqwest client with the builder's timeouts and redirect policy and
    /// decompression off: the only way to turn gzip off at run time.
    Off,
}

/// The typed client for `url`, with no retries (a benchmark call that fails should fail).
pub fn engageip(url: &str, gzip: Gzip) -> engageip_api::Client {
    let builder = engageip_api::Client::builder(url)
        .credentials("bench", "secret")
        .retry_policy(engageip_api::RetryPolicy::none());
    match gzip {
        Gzip::On => builder,
        Gzip::Off => builder.http_client(raw()),
    }
    .build()
    .expect("client")
}

/// What a caller without this crate would use: reqwest with the builder's timeouts and
/// redirect policy, no compression.
pub fn raw() -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .connect_timeout(engageip_api::DEFAULT_CONNECT_TIMEOUT)
        .timeout(engageip_api::DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    #[cfg(feature = "gzip")]
    let builder = builder.no_gzip();
    builder.build().expect("reqwest client")
}

/// The GetPackages request the typed client sends, encoded once: the raw POST's body.
pub fn get_packages_body() -> &'static str {
    let request = engageip_api::types::GetPackages::new().with_username("owner");
    let header = AuthHeader::new().with_username("bench").with_password("secret");
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
