//! The HTTP transport: a reqwest client with explicit timeouts, SOAP 1.1/1.2 framing, a
//! streamed size limit, strict UTF-8, and retries only where they cannot repeat a charge.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tracing::Instrument as _;

use crate::auth::Credentials;
use crate::error::{Error, TransportError};
use crate::generated::faults::DocumentedFault;
use crate::generated::types::AuthHeader;
use crate::runtime::{self, Body, Operation, SoapVersion, XmlElement, XmlWriter};

/// The ASMX endpoint path the API reference documents; used when the URL has no path.
pub const DEFAULT_PATH: &str = "/adminportal/webservice.asmx";
/// Default limit on a response body: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole call (request and response).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// When read-only calls are retried: only after failures where the request cannot have
/// reached the service (the connection could not be made), with jittered exponential backoff.
/// Non-idempotent operations (`UpgradeUserPackage`, `UpdatePackage`) are never retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retries).
    pub max_retries: u32,
    /// Delay before the first retry; doubled each time, with ±50% jitter.
    pub base_delay: Duration,
    /// Upper bound of a delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 2, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(2) }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    fn delay(&self, attempt: u32) -> Duration {
        static SEED: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let base = self.base_delay.saturating_mul(1u32 << attempt.min(16)).min(self.max_delay);
        // xorshift: jitter needs no cryptographic quality, only spread.
        let mut x = SEED.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let factor = 0.5 + (x % 1000) as f64 / 1000.0;
        base.mul_f64(factor)
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    url: String,
    path: Option<String>,
    credentials: Option<Credentials>,
    version: SoapVersion,
    connect_timeout: Duration,
    timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    danger_accept_invalid_certs: bool,
}

impl ClientBuilder {
    /// The endpoint path, such as `/BOSS/WebService.asmx` (the reference shows both that and
    /// `/adminportal/webservice.asmx`). Replaces any path in the base URL.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The credentials sent in the `AuthHeader` of every call.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    /// SOAP 1.1 (the default) or SOAP 1.2.
    pub fn soap_version(mut self, version: SoapVersion) -> Self {
        self.version = version;
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time for a whole call, response body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest response body accepted, enforced while reading (default 64 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Retry policy for read-only operations.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Uses a caller-built reqwest client (its own timeouts, proxies and TLS settings apply;
    /// [`Self::timeout`] and [`Self::connect_timeout`] are then ignored).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Accepts any TLS certificate, even expired or self-signed ones. Dangerous: only for
    /// test servers, never in production.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.danger_accept_invalid_certs = accept;
        self
    }

    /// The HTTP client these settings describe, and the response size limit: what calls
    /// and the drift check (`crate::drift`) share.
    pub(crate) fn transport(&self) -> Result<(reqwest::Client, usize), Error> {
        let http = match &self.http {
            Some(c) => c.clone(),
            None => {
                // The ring provider; ignore the error when the program installed one already.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    // A redirect would re-send the body, password included, to wherever the
                    // Location header points (and repeat a charge): report it instead.
                    .redirect(reqwest::redirect::Policy::none())
                    .tls_danger_accept_invalid_certs(self.danger_accept_invalid_certs)
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", TransportError(e))))?
            }
        };
        Ok((http, self.max_response_bytes))
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let mut url =
            reqwest::Url::parse(&self.url).map_err(|e| Error::Config(format!("invalid URL `{}`: {e}", self.url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!("URL scheme `{}` is not http or https", url.scheme())));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config("put credentials in `credentials(..)`, not in the URL".to_owned()));
        }
        match &self.path {
            Some(p) => url.set_path(p),
            None if url.path() == "/" || url.path().is_empty() => url.set_path(DEFAULT_PATH),
            None => {}
        }
        let (http, _) = self.transport()?;
        let credentials = self.credentials.ok_or_else(|| Error::Config("credentials are required".to_owned()))?;
        Ok(Client {
            http,
            endpoint: url,
            credentials,
            version: self.version,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry,
        })
    }
}

/// An async EngageIP client. Cheap to clone; clones share one connection pool.
///
/// One method per operation is generated from the WSDL (see the crate root for an example).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: reqwest::Url,
    credentials: Credentials,
    version: SoapVersion,
    max_response_bytes: usize,
    retry: RetryPolicy,
}

enum Attempt<T> {
    Done(T),
    /// The request was not sent (connection failed): safe to send again.
    NotSent(Error),
}

impl Client {
    /// A builder for the service at `url` (such as `https://billing.example.com`; the
    /// documented `/adminportal/webservice.asmx` is used when the URL has no path).
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            url: url.into(),
            path: None,
            credentials: None,
            version: SoapVersion::Soap11,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            http: None,
            danger_accept_invalid_certs: false,
        }
    }

    /// The endpoint URL calls go to.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// The SOAP version in use.
    pub fn soap_version(&self) -> SoapVersion {
        self.version
    }

    #[cfg(feature = "drift")]
    pub(crate) fn endpoint_url(&self) -> &reqwest::Url {
        &self.endpoint
    }

    #[cfg(feature = "drift")]
    pub(crate) fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    #[cfg(feature = "drift")]
    pub(crate) fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// Calls operation `O`: the generated methods are thin wrappers around this.
    ///
    /// Each call runs in a `tracing` span `engageip.call` (debug level) with the operation,
    /// endpoint, SOAP version, HTTP status and duration; the request envelope and the response
    /// body are logged at trace level with the password replaced by `<redacted>`.
    pub async fn call<O: Operation>(&self, request: &O::Request) -> Result<O::Response, Error> {
        let span = tracing::debug_span!(
            "engageip.call",
            operation = O::NAME,
            endpoint = %self.endpoint,
            soap_version = %self.version,
            http_status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.call_in_span::<O>(request, &span).instrument(span.clone()).await;
        span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        // Whatever the service or a proxy sent back may echo the request: the password
        // never leaves in an error.
        let result = result.map_err(|e| e.redact(self.credentials.password()));
        if let Err(e) = &result {
            span.in_scope(|| tracing::debug!(error = %e, "call failed"));
        }
        result
    }

    async fn call_in_span<O: Operation>(
        &self,
        request: &O::Request,
        span: &tracing::Span,
    ) -> Result<O::Response, Error> {
        let header =
            O::HEADERS.contains(&(AuthHeader::NAMESPACE, AuthHeader::NAME)).then(|| self.credentials.to_header());
        let body = runtime::encode_request(self.version, header.as_ref(), request)
            .map_err(|source| Error::Encode { operation: O::NAME, source })?;
        tracing::trace!(envelope = %redact(&body, self.credentials.password()), "request envelope");
        let mut attempt = 0;
        loop {
            span.record("attempts", attempt + 1);
            match self.attempt::<O>(&body, span).await {
                Attempt::Done(result) => return result,
                Attempt::NotSent(error) => {
                    if !O::IDEMPOTENT || attempt >= self.retry.max_retries {
                        return Err(error);
                    }
                    let delay = self.retry.delay(attempt);
                    tracing::debug!(
                        attempt = attempt + 1,
                        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        error = %error,
                        "the request was not sent; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn attempt<O: Operation>(&self, body: &str, span: &tracing::Span) -> Attempt<Result<O::Response, Error>> {
        let mut request = self.http.post(self.endpoint.clone());
        request = match self.version {
            SoapVersion::Soap11 => request
                .header(reqwest::header::CONTENT_TYPE, SoapVersion::Soap11.content_type(None))
                .header("SOAPAction", format!("\"{}\"", O::SOAP_ACTION)),
            // .NET rejects a SOAPAction header under SOAP 1.2: the action goes in the type.
            SoapVersion::Soap12 => {
                request.header(reqwest::header::CONTENT_TYPE, SoapVersion::Soap12.content_type(Some(O::SOAP12_ACTION)))
            }
        };
        let response = match request.body(body.to_owned()).send().await {
            Ok(r) => r,
            Err(e) if e.is_connect() => {
                return Attempt::NotSent(Error::Connect { operation: O::NAME, source: TransportError(e) });
            }
            Err(e) => return Attempt::Done(Err(self.in_transit::<O>(e))),
        };
        Attempt::Done(self.read::<O>(response, span).await)
    }

    fn in_transit<O: Operation>(&self, e: reqwest::Error) -> Error {
        if O::IDEMPOTENT {
            Error::Transport { operation: O::NAME, source: TransportError(e) }
        } else {
            Error::OutcomeUnknown { operation: O::NAME, source: TransportError(e) }
        }
    }

    async fn read<O: Operation>(
        &self,
        mut response: reqwest::Response,
        span: &tracing::Span,
    ) -> Result<O::Response, Error> {
        let status = response.status().as_u16();
        span.record("http_status", status);
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let limit = self.max_response_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::ResponseTooLarge { operation: O::NAME, limit });
        }
        // Sized from Content-Length (already checked against the limit): no regrowth, which
        // would copy the body and briefly hold it twice.
        let mut bytes: Vec<u8> = Vec::with_capacity(response.content_length().map_or(0, |n| n as usize));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(Error::ResponseTooLarge { operation: O::NAME, limit });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.in_transit::<O>(e)),
            }
        }
        if let Some(charset) = charset(&content_type) {
            if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("utf8") {
                return Err(Error::UnsupportedCharset { operation: O::NAME, charset: charset.to_owned() });
            }
        }
        tracing::trace!(
            status,
            content_type = %content_type,
            body = %redact(&String::from_utf8_lossy(&bytes), self.credentials.password()),
            "response body"
        );
        let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let xml_media = media.is_empty() || media.ends_with("/xml") || media.ends_with("+xml");
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            Err(e) if xml_media => return Err(Error::InvalidUtf8 { operation: O::NAME, offset: e.valid_up_to() }),
            Err(_) => {
                return Err(http_error::<O>(
                    status,
                    &content_type,
                    self.credentials.password(),
                    &String::from_utf8_lossy(&bytes),
                ));
            }
        };
        if !xml_media || text.trim().is_empty() || !matches!(status, 200 | 500) {
            return Err(http_error::<O>(status, &content_type, self.credentials.password(), text));
        }
        match runtime::decode_response::<O::Response>(text) {
            Ok(Body::Response(r)) if status == 200 => Ok(r),
            Ok(Body::Response(_)) => Err(http_error::<O>(status, &content_type, self.credentials.password(), text)),
            Ok(Body::Fault(fault)) => Err(Error::Fault {
                operation: O::NAME,
                documented: DocumentedFault::from_reason(&fault.reason),
                fault: Box::new(fault),
                status,
            }),
            Err(source) if status == 200 => Err(Error::Decode { operation: O::NAME, source }),
            Err(_) => Err(http_error::<O>(status, &content_type, self.credentials.password(), text)),
        }
    }
}

fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"'))
    })
}

fn http_error<O: Operation>(status: u16, content_type: &str, secret: &str, body: &str) -> Error {
    Error::Http {
        operation: O::NAME,
        status,
        content_type: content_type.to_owned(),
        // Redacted before it is cut, so that no prefix of an echoed password survives.
        excerpt: redact(body, secret).chars().take(200).collect(),
    }
}

/// `text` with every occurrence of `secret` replaced by `<redacted>`: as XML text escapes it
/// (how it travels in an envelope) and as is (how a peer may echo it). Borrows when there is
/// nothing to replace.
pub(crate) fn redact<'t>(text: &'t str, secret: &str) -> Cow<'t, str> {
    if secret.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut escaped = XmlWriter::new();
    let escaped = match escaped.text("Password", secret) {
        Ok(()) => escaped.into_string(),
        Err(_) => secret.to_owned(),
    };
    let mut out = Cow::Borrowed(text);
    for form in [escaped.as_str(), secret] {
        if out.contains(form) {
            out = Cow::Owned(out.replace(form, "<redacted>"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stays_bounded() {
        let policy =
            RetryPolicy { max_retries: 10, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1) };
        let mut seen = std::collections::BTreeSet::new();
        for attempt in 0..40 {
            let nominal = Duration::from_millis(100).saturating_mul(1 << attempt.min(16)).min(Duration::from_secs(1));
            let delay = policy.delay(attempt);
            assert!(delay >= nominal.mul_f64(0.5) && delay <= nominal.mul_f64(1.5), "attempt {attempt}: {delay:?}");
            seen.insert(delay);
        }
        assert!(seen.len() > 20, "no jitter: {seen:?}");
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }

    #[test]
    fn redaction_replaces_the_escaped_and_the_raw_password() {
        let envelope = "<Password>p&lt;w&amp;d</Password> echoed: p<w&d";
        assert_eq!(redact(envelope, "p<w&d"), "<Password><redacted></Password> echoed: <redacted>");
        assert!(matches!(redact("nothing here", "p<w&d"), Cow::Borrowed(_)));
        assert_eq!(redact("an empty password redacts nothing", ""), "an empty password redacts nothing");
    }
}
