//! The HTTP transport: a reqwest client with explicit timeouts, SOAP 1.1/1.2 framing, a
//! streamed size limit (after decompression), strict UTF-8, classified retries of read-only
//! calls, and an [`Error::OutcomeUnknown`] whenever a sent non-idempotent call has no
//! trustworthy answer.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument as _;

use crate::auth::Credentials;
use crate::body::BodyError;
use crate::config::Config;
use crate::error::{Error, TransportError};
use crate::generated::faults::DocumentedFault;
use crate::generated::types::AuthHeader;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::runtime::{self, Body, Operation, RequestHead, SoapVersion, XmlElement, XmlWriter};

/// An async EngageIP client. Cheap to clone; clones share one connection pool.
///
/// One method per operation is generated from the WSDL (see the crate root for an example).
/// Every failed call's [`Error::outcome`] says whether the service performed it.
#[derive(Debug, Clone)]
pub struct Client {
    shared: Arc<Shared>,
    /// The deadline of one call, retries included.
    timeout: Duration,
}

#[derive(Debug)]
struct Shared {
    http: reqwest::Client,
    endpoint: reqwest::Url,
    credentials: Credentials,
    /// The request envelope up to its body, encoded once, with the `AuthHeader` and without
    /// (for an operation that takes no header); each call encodes only its body. `None` when
    /// the credentials cannot be written as XML (a control character in the password): each
    /// call then encodes the whole envelope and reports that as its encode error.
    auth_head: Option<RequestHead>,
    bare_head: Option<RequestHead>,
    version: SoapVersion,
    max_response_bytes: usize,
    retry: RetryPolicy,
    user_agent: reqwest::header::HeaderValue,
}

/// One attempt's result, and how long the response asked the client to wait before another.
struct Attempt<T> {
    result: Result<T, Error>,
    retry_after: Option<Duration>,
}

/// Warns when a non-idempotent call's future is dropped (cancelled, or cut by an outer
/// timeout) after its request may have been sent: nothing else would report it. Armed from
/// the moment the request starts going out until its answer has been read.
struct InFlight<'a> {
    operation: &'static str,
    endpoint: &'a reqwest::Url,
    armed: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.armed {
            tracing::warn!(
                operation = self.operation,
                endpoint = %self.endpoint,
                "{}: the call was dropped after its request was sent (or while it was being sent); whether the service performed it is unknown",
                self.operation
            );
        }
    }
}

impl Client {
    /// A builder for the service at `url` (such as `https://billing.example.com`; the
    /// documented `/adminportal/webservice.asmx` is used when the URL has no path).
    pub fn builder(url: impl Into<String>) -> crate::ClientBuilder {
        crate::ClientBuilder::new(url.into())
    }

    pub(crate) fn from_config(config: Config) -> Result<Client, Error> {
        let built = config.build_parts()?;
        Ok(Client {
            shared: Arc::new(Shared {
                http: built.http,
                endpoint: built.endpoint,
                auth_head: RequestHead::new(config.version, Some(&built.credentials.to_header())).ok(),
                bare_head: RequestHead::new(config.version, None::<&AuthHeader>).ok(),
                credentials: built.credentials,
                version: config.version,
                max_response_bytes: config.max_response_bytes,
                retry: config.retry,
                user_agent: built.user_agent,
            }),
            timeout: config.timeout,
        })
    }

    /// The endpoint URL calls go to.
    pub fn endpoint(&self) -> &str {
        self.shared.endpoint.as_str()
    }

    /// The SOAP version in use.
    pub fn soap_version(&self) -> SoapVersion {
        self.shared.version
    }

    /// The deadline of one call (retries included).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// This client with another per-call deadline: the same connection pool and settings,
    /// for the calls made through the returned handle only. When the deadline passes after a
    /// non-idempotent request was sent, the call ends in [`Error::OutcomeUnknown`] (prefer
    /// this to wrapping the future in `tokio::time::timeout`, which drops the call silently).
    ///
    /// ```no_run
    /// # async fn f(client: &engageip_api::Client) -> Result<(), engageip_api::Error> {
    /// let quick = client.with_timeout(std::time::Duration::from_secs(5));
    /// let packages = quick.get_packages("demo-isp").await?;
    /// # Ok(()) }
    /// ```
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { shared: self.shared.clone(), timeout }
    }

    // Also the server's recorder (feature `server`) forwards through a client.
    #[cfg(any(feature = "drift", feature = "server"))]
    pub(crate) fn endpoint_url(&self) -> &reqwest::Url {
        &self.shared.endpoint
    }

    // Also the server's recorder (feature `server`) forwards through a client.
    #[cfg(any(feature = "drift", feature = "server"))]
    pub(crate) fn http_client(&self) -> &reqwest::Client {
        &self.shared.http
    }

    #[cfg(feature = "drift")]
    pub(crate) fn max_response_bytes(&self) -> usize {
        self.shared.max_response_bytes
    }

    /// Calls operation `O`: the generated methods are thin wrappers around this.
    ///
    /// Each call runs in a `tracing` span `engageip.call` (debug level) whose fields follow
    /// OpenTelemetry's RPC conventions: `rpc.system = "soap"`, `rpc.service` (the WSDL
    /// service), `rpc.method` (the operation), `server.address` and `server.port` (the
    /// endpoint's host and port), `http.response.status_code` (of the last attempt), and this
    /// crate's `url.full` (the endpoint), `soap.version`, `engageip.attempts` and
    /// `engageip.duration_ms`; the request envelope and the response body are logged at trace
    /// level with the password replaced by `<redacted>`.
    /// Dropping the future of a non-idempotent call after its request was sent logs a warning.
    pub async fn call<O: Operation>(&self, request: &O::Request) -> Result<O::Response, Error> {
        let endpoint = &self.shared.endpoint;
        let span = tracing::debug_span!(
            "engageip.call",
            rpc.system = "soap",
            rpc.service = O::SERVICE,
            rpc.method = O::NAME,
            server.address = endpoint.host_str().unwrap_or_default(),
            server.port = endpoint.port_or_known_default(),
            http.response.status_code = tracing::field::Empty,
            url.full = %endpoint,
            soap.version = %self.shared.version,
            engageip.attempts = tracing::field::Empty,
            engageip.duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.call_in_span::<O>(request, &span, started).instrument(span.clone()).await;
        span.record("engageip.duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        let result = result.map_err(|e| e.for_operation(O::IDEMPOTENT));
        if let Err(e) = &result {
            span.in_scope(|| tracing::debug!(error = %crate::error::chain(e), outcome = %e.outcome(), "call failed"));
        }
        result
    }

    async fn call_in_span<O: Operation>(
        &self,
        request: &O::Request,
        span: &tracing::Span,
        started: Instant,
    ) -> Result<O::Response, Error> {
        let shared = &self.shared;
        let with_auth = O::HEADERS.contains(&(AuthHeader::NAMESPACE, AuthHeader::NAME));
        let body = match if with_auth { &shared.auth_head } else { &shared.bare_head } {
            Some(head) => head.encode(request),
            None => {
                let header = with_auth.then(|| shared.credentials.to_header());
                runtime::encode_request(shared.version, header.as_ref(), request)
            }
        }
        .map_err(|source| Error::Encode { operation: O::NAME, source })?;
        tracing::trace!(envelope = %redact(&body, shared.credentials.password()), "request envelope");
        // Encoded once: every attempt sends these bytes without copying them.
        let body = bytes::Bytes::from(body);
        let deadline = started + self.timeout;
        let mut attempt = 0;
        loop {
            span.record("engageip.attempts", attempt + 1);
            let remaining = deadline.saturating_duration_since(Instant::now());
            let Attempt { result, retry_after } = self.attempt::<O>(&body, span, remaining).await;
            let error = match result {
                Ok(response) => return Ok(response),
                // Whatever the service or a proxy sent back may echo the request: the
                // password never leaves in an error, nor in a log line about one.
                Err(error) => error.redact(shared.credentials.password()),
            };
            // Non-idempotent operations are never repeated, whatever the policy says.
            if !O::IDEMPOTENT || !error.is_retryable() {
                return Err(error);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            let Some(delay) = shared.retry.next_delay(attempt, started.elapsed(), remaining, retry_after) else {
                return Err(error);
            };
            tracing::debug!(
                endpoint = %shared.endpoint,
                attempt = attempt + 1,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %crate::error::chain(&error),
                "a failure that is safe to repeat for a read; retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt<O: Operation>(
        &self,
        body: &bytes::Bytes,
        span: &tracing::Span,
        remaining: Duration,
    ) -> Attempt<O::Response> {
        let shared = &self.shared;
        let mut request = shared
            .http
            .post(shared.endpoint.clone())
            .timeout(remaining)
            .header(reqwest::header::USER_AGENT, shared.user_agent.clone());
        request = match shared.version {
            SoapVersion::Soap11 => request
                .header(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static(SOAP11_CONTENT_TYPE))
                .header(SOAP_ACTION_HEADER, quoted(O::SOAP_ACTION)),
            // .NET rejects a SOAPAction header under SOAP 1.2: the action goes in the type.
            SoapVersion::Soap12 => {
                request.header(reqwest::header::CONTENT_TYPE, SoapVersion::Soap12.content_type(Some(O::SOAP12_ACTION)))
            }
        };
        let mut in_flight = InFlight { operation: O::NAME, endpoint: &shared.endpoint, armed: !O::IDEMPOTENT };
        let outcome = match request.body(body.clone()).send().await {
            Ok(response) => {
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
                Attempt { result: self.read::<O>(response, span).await, retry_after }
            }
            Err(e) if e.is_connect() => Attempt {
                result: Err(Error::Connect { operation: O::NAME, source: TransportError::sending(e) }),
                retry_after: None,
            },
            Err(e) => Attempt {
                result: Err(Error::Transport { operation: O::NAME, source: TransportError::sending(e) }),
                retry_after: None,
            },
        };
        in_flight.armed = false;
        outcome
    }

    async fn read<O: Operation>(
        &self,
        mut response: reqwest::Response,
        span: &tracing::Span,
    ) -> Result<O::Response, Error> {
        let shared = &self.shared;
        let secret = shared.credentials.password();
        let status = response.status().as_u16();
        span.record("http.response.status_code", status);
        if response.url() != &shared.endpoint {
            // Only a caller-supplied client follows redirects: the answer is not the
            // endpoint's, and the request went elsewhere too.
            return Err(Error::Redirected { operation: O::NAME, url: response.url().to_string() });
        }
        // A clone of the header value shares its bytes: no copy, and `response` stays free
        // for reading the body.
        let content_type_header = response.headers().get(reqwest::header::CONTENT_TYPE).cloned();
        let content_type = content_type_header.as_ref().and_then(|v| v.to_str().ok()).unwrap_or("");
        let limit = shared.max_response_bytes;
        let too_large = || Error::ResponseTooLarge { operation: O::NAME, limit, status };
        // Without compression this is the body's size; a decompressed body has no length
        // and is counted as it inflates.
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let bytes = match crate::body::read_limited(&mut response, limit).await {
            Ok(bytes) => bytes,
            Err(BodyError::TooLarge) => return Err(too_large()),
            Err(BodyError::Read(e)) => {
                return Err(Error::Transport { operation: O::NAME, source: TransportError::reading(e) });
            }
        };
        if let Some(charset) = charset(content_type) {
            if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("utf8") {
                return Err(Error::UnsupportedCharset { operation: O::NAME, charset: charset.to_owned(), status });
            }
        }
        tracing::trace!(
            status,
            content_type = %content_type,
            body = %redact(&String::from_utf8_lossy(&bytes), secret),
            "response body"
        );
        let xml_media = is_xml_media(content_type);
        let text = match runtime::utf8_text(&bytes) {
            Ok(t) => t,
            Err(e) if xml_media => {
                return Err(Error::InvalidUtf8 { operation: O::NAME, offset: e.valid_up_to(), status });
            }
            Err(_) => return Err(http_error::<O>(status, content_type, secret, &String::from_utf8_lossy(&bytes))),
        };
        // A one-way operation is done once the service accepted the request: 200 or 202,
        // usually with no body at all (an envelope, if one comes, is read as usual).
        let accepted = O::ONE_WAY && matches!(status, 200 | 202);
        if accepted && text.trim().is_empty() {
            return runtime::empty_message::<O::Response>()
                .map_err(|source| Error::Decode { operation: O::NAME, source });
        }
        if !xml_media || text.trim().is_empty() || !(accepted || matches!(status, 200 | 500)) {
            return Err(http_error::<O>(status, content_type, secret, text));
        }
        match runtime::decode_response::<O::Response>(text) {
            Ok(Body::Response(r)) if status == 200 || accepted => Ok(r),
            Ok(Body::Response(_)) => Err(http_error::<O>(status, content_type, secret, text)),
            Ok(Body::Fault(fault)) => Err(Error::Fault {
                operation: O::NAME,
                documented: DocumentedFault::from_reason(&fault.reason),
                fault: Box::new(fault),
                status,
            }),
            Err(source) if status == 200 => Err(Error::Decode { operation: O::NAME, source }),
            Err(_) => Err(http_error::<O>(status, content_type, secret, text)),
        }
    }
}

/// `Content-Type` of SOAP 1.1 requests.
const SOAP11_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// The `SOAPAction` header's name, built once: named by a string, a header that `http` does
/// not know is parsed, lower-cased and allocated on every request. (HTTP/1.1 names are
/// case-insensitive; hyper writes them lower-case either way.) With [`quoted`], this took the
/// client's own work per call from about 2 000 instructions to 550 (callgrind, BENCHMARKS.md).
const SOAP_ACTION_HEADER: reqwest::header::HeaderName = reqwest::header::HeaderName::from_static("soapaction");

/// `"action"`, the form `SOAPAction` takes on the wire, without `format!`'s machinery.
fn quoted(action: &str) -> String {
    let mut value = String::with_capacity(action.len() + 2);
    value.push('"');
    value.push_str(action);
    value.push('"');
    value
}

/// Whether a response's media type is XML (`*/xml`, `*+xml`) or absent; case-insensitive,
/// without building a lower-case copy.
fn is_xml_media(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim().as_bytes();
    let ends_with =
        |suffix: &[u8]| media.len() >= suffix.len() && media[media.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
    media.is_empty() || ends_with(b"/xml") || ends_with(b"+xml")
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
    fn request_content_type_is_the_runtimes_and_xml_media_ignores_case() {
        assert_eq!(SOAP11_CONTENT_TYPE, SoapVersion::Soap11.content_type(None));
        for xml in
            ["", "text/xml; charset=utf-8", "Application/SOAP+XML; action=\"a\"", " TEXT/XML ", "application/xml"]
        {
            assert!(is_xml_media(xml), "{xml}");
        }
        for other in ["text/html; charset=utf-8", "application/json", "xml", "text/xmlx"] {
            assert!(!is_xml_media(other), "{other}");
        }
    }

    #[test]
    fn soap_action_is_quoted_under_its_name() {
        assert_eq!(quoted("Logisense_EngageIP/GetPackages"), "\"Logisense_EngageIP/GetPackages\"");
        assert_eq!(quoted(""), "\"\"");
        assert_eq!(SOAP_ACTION_HEADER, reqwest::header::HeaderName::from_bytes(b"SOAPAction").expect("a header name"));
    }

    #[test]
    fn redaction_replaces_the_escaped_and_the_raw_password() {
        let envelope = "<Password>p&lt;w&amp;d</Password> echoed: p<w&d";
        assert_eq!(redact(envelope, "p<w&d"), "<Password><redacted></Password> echoed: <redacted>");
        assert!(matches!(redact("nothing here", "p<w&d"), Cow::Borrowed(_)));
        assert_eq!(redact("an empty password redacts nothing", ""), "an empty password redacts nothing");
    }
}
