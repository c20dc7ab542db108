//! The client's error type, what each error says about whether the call was performed
//! ([`Outcome`]), and which failures are safe to repeat ([`Error::is_retryable`]).
//!
//! Each `Display` states its own level only; the cause is in `source()` (the Rust API
//! guidelines' error chain convention), so printing the chain (`{:#}` with anyhow, or a loop
//! over `source()`) shows every cause once.

use std::fmt;

use crate::generated::faults::DocumentedFault;
use crate::runtime::{DecodeError, DecodeErrorKind, EncodeError, Fault, FaultCode};

/// A transport failure (connection, TLS, timeout, I/O). Opaque so that no HTTP library's type
/// is matched on in this crate's API; [`source()`](std::error::Error::source) is the
/// underlying [`reqwest::Error`] (re-exported as [`crate::reqwest`]), whose own chain reaches
/// the I/O error.
#[derive(Debug)]
pub struct TransportError {
    inner: reqwest::Error,
    /// Whether the failure came before any response header arrived.
    before_response: bool,
}

impl TransportError {
    /// A failure while sending the request or waiting for the response's head.
    pub(crate) fn sending(inner: reqwest::Error) -> Self {
        TransportError { inner, before_response: true }
    }

    /// A failure while reading the response body.
    pub(crate) fn reading(inner: reqwest::Error) -> Self {
        TransportError { inner, before_response: false }
    }

    /// Whether a timeout (connect, per-call or per-client) ended the call.
    pub fn is_timeout(&self) -> bool {
        self.inner.is_timeout() || self.io_kind() == Some(std::io::ErrorKind::TimedOut)
    }

    /// Whether the connection (TCP, proxy or TLS handshake) could not be established, so no
    /// request byte was sent.
    pub fn is_connect(&self) -> bool {
        self.inner.is_connect()
    }

    /// Whether the failure happened before any part of a response arrived.
    pub fn is_before_response(&self) -> bool {
        self.before_response
    }

    /// The first I/O error kind in the cause chain, if any.
    fn io_kind(&self) -> Option<std::io::ErrorKind> {
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&self.inner);
        while let Some(e) = next {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return Some(io.kind());
            }
            next = e.source();
        }
        None
    }

    /// Whether the peer refused the TCP connection (nothing listens there).
    fn is_refused(&self) -> bool {
        self.io_kind() == Some(std::io::ErrorKind::ConnectionRefused)
    }

    /// Whether the connection closed or was reset before any response arrived.
    fn is_closed_before_response(&self) -> bool {
        if !self.before_response || self.is_timeout() || self.is_connect() {
            return false;
        }
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&self.inner);
        while let Some(e) = next {
            if e.downcast_ref::<hyper::Error>().is_some_and(|h| h.is_incomplete_message()) {
                return true;
            }
            next = e.source();
        }
        use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
        matches!(self.io_kind(), Some(ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // This level names the kind of failure; reqwest's error (the source) names the URL
        // (never credentials: the builder refuses them in URLs) and its own causes.
        if self.inner.is_decode() {
            return f.write_str("the response body could not be decompressed");
        }
        f.write_str(match (self.is_timeout(), self.is_connect(), self.before_response) {
            (true, _, _) => "timed out",
            (false, true, _) => "the connection could not be established",
            (false, false, true) => "the exchange failed before a response arrived",
            (false, false, false) => "the connection failed while the response was read",
        })
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

/// What a failed call says about whether the service performed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Not performed: nothing was sent, or the service refused before acting (a SOAP fault,
    /// such as a documented exception or `INVALID CREDENTIALS`; an HTTP 4xx). Safe to correct
    /// and call again.
    NotPerformed,
    /// Performed: the service answered HTTP 200, but the answer could not be read (it does
    /// not decode, is too large, or is not UTF-8). Do not call again to "retry".
    Performed,
    /// Unknown: the request was sent and no trustworthy answer came back (a timeout or a lost
    /// connection after sending, HTTP 502/503/504 or another 5xx without a SOAP envelope, a
    /// redirect). For a non-idempotent operation this is always [`Error::OutcomeUnknown`]:
    /// find out whether it happened before calling again. None of the service's operations can
    /// confirm an `UpgradeUserPackage` (`GetPackages` lists an owner's catalogue,
    /// `GetPackageUpgrades` what a user could move to): check in EngageIP itself, for example
    /// the user's packages and charges in the admin portal.
    Unknown,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::NotPerformed => "not performed",
            Outcome::Performed => "performed",
            Outcome::Unknown => "unknown",
        })
    }
}

/// Why a call failed.
///
/// Ask [`Error::outcome`] whether the call was performed, and [`Error::is_retryable`]
/// whether repeating it is safe for a read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a SOAP fault. `documented` names it when it is one of the
    /// exceptions the API reference documents. The outcome is [`Outcome::NotPerformed`].
    #[error("{operation}: the service returned a fault: {fault}")]
    Fault {
        /// The operation called.
        operation: &'static str,
        /// The documented exception, when the fault is one.
        documented: Option<DocumentedFault>,
        /// The fault as received, raw XML included.
        fault: Box<Fault>,
        /// The HTTP status it came with (ASMX uses 500).
        status: u16,
    },
    /// The connection could not be made (refused, unreachable, proxy or TLS handshake
    /// failure, connect timeout): the request was not sent.
    #[error("{operation}: could not connect to the service")]
    Connect {
        /// The operation called.
        operation: &'static str,
        /// The cause.
        source: TransportError,
    },
    /// A non-idempotent request was sent and no trustworthy answer came back: it may or may
    /// not have been performed. `source` is what went wrong (a timeout, a lost connection, an
    /// HTTP 502/503/504, a non-SOAP 5xx, a redirect). Never retried automatically. Find out
    /// before calling again; see [`Outcome::Unknown`] for what can and cannot tell.
    #[error("{operation}: the request was sent, and whether the service performed it is unknown")]
    OutcomeUnknown {
        /// The operation called.
        operation: &'static str,
        /// What went wrong after the request was sent.
        source: Box<Error>,
    },
    /// A read-only call failed in transit after the request was sent (after any retries).
    #[error("{operation}: the request failed in transit")]
    Transport {
        /// The operation called.
        operation: &'static str,
        /// The cause.
        source: TransportError,
    },
    /// The HTTP response is not a SOAP envelope (for example a 404, a 415, a 502 from a
    /// proxy, a redirect, or an HTML error page).
    #[error("{operation}: HTTP {status} with content type `{content_type}` and no SOAP envelope: {excerpt:?}")]
    Http {
        /// The operation called.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: String,
        /// The start of the body (at most 200 characters).
        excerpt: String,
    },
    /// The answer came from another URL than the endpoint: a caller-supplied HTTP client
    /// followed a redirect (the request, password included, went there too).
    #[error("{operation}: the HTTP client followed a redirect to {url}; the answer is not the endpoint's")]
    Redirected {
        /// The operation called.
        operation: &'static str,
        /// Where the answer came from.
        url: String,
    },
    /// The response body exceeds the configured limit (counted after decompression); reading
    /// stopped there.
    #[error("{operation}: the response exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation called.
        operation: &'static str,
        /// The configured limit.
        limit: usize,
        /// The HTTP status of the response.
        status: u16,
    },
    /// The response body is not valid UTF-8.
    #[error("{operation}: the response is not valid UTF-8 (at byte {offset})")]
    InvalidUtf8 {
        /// The operation called.
        operation: &'static str,
        /// Offset of the first invalid byte.
        offset: usize,
        /// The HTTP status of the response.
        status: u16,
    },
    /// The response declares a charset other than UTF-8.
    #[error("{operation}: the response uses charset `{charset}`; only UTF-8 is supported")]
    UnsupportedCharset {
        /// The operation called.
        operation: &'static str,
        /// The declared charset.
        charset: String,
        /// The HTTP status of the response.
        status: u16,
    },
    /// The service answered HTTP 200 with a SOAP envelope that does not match the schema.
    #[error("{operation}: could not decode the response")]
    Decode {
        /// The operation called.
        operation: &'static str,
        /// What and where.
        source: DecodeError,
    },
    /// An argument cannot be sent as XML; nothing was sent.
    #[error("{operation}: could not encode the request")]
    Encode {
        /// The operation called.
        operation: &'static str,
        /// Which value.
        source: EncodeError,
    },
    /// The client configuration is invalid.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

// Errors cross threads and live in `Box<dyn Error + Send + Sync>` / anyhow.
const _: fn() = || {
    fn assert<T: Send + Sync + 'static>() {}
    assert::<Error>();
    assert::<TransportError>();
};

/// `error` and its causes on one line, `: `-separated (for messages built from another
/// library's error, whose `Display` shows one level).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        text.push_str(": ");
        text.push_str(&e.to_string());
        next = e.source();
    }
    text
}

/// HTTP statuses after which the request's fate is unknown: a proxy or gateway gave up
/// (502, 504), the service is unavailable (503, which some gateways send after forwarding).
fn status_outcome(status: u16) -> Outcome {
    match status {
        200 => Outcome::Performed,
        400..=499 => Outcome::NotPerformed,
        // 3xx (a redirect), 5xx without a SOAP envelope, any other 2xx: no trustworthy answer.
        _ => Outcome::Unknown,
    }
}

/// The failures that are safe to repeat for a read: the request was refused before it was
/// sent, the connection closed before any response, or a gateway or the service said
/// 502/503/504. The one place the retry policy is decided; [`Error::is_retryable`] exposes it.
fn retryable(error: &Error) -> bool {
    match error {
        Error::Connect { source, .. } => source.is_refused(),
        Error::Transport { source, .. } => source.is_closed_before_response(),
        Error::Http { status, .. } => matches!(status, 502..=504),
        // A non-idempotent call is never repeated, whatever went wrong.
        Error::OutcomeUnknown { .. } => false,
        _ => false,
    }
}

impl Error {
    /// Whether the service performed the call: see [`Outcome`] for what each answer means
    /// and what to do.
    pub fn outcome(&self) -> Outcome {
        match self {
            Error::Fault { .. } | Error::Connect { .. } | Error::Encode { .. } | Error::Config(_) => {
                Outcome::NotPerformed
            }
            Error::OutcomeUnknown { .. } | Error::Transport { .. } | Error::Redirected { .. } => Outcome::Unknown,
            Error::Http { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::InvalidUtf8 { status, .. }
            | Error::UnsupportedCharset { status, .. } => status_outcome(*status),
            Error::Decode { .. } => Outcome::Performed,
        }
    }

    /// Whether the failure is safe to repeat for a read-only operation: connection refused,
    /// connection closed before any response, HTTP 502/503/504. The client retries read-only
    /// operations after exactly these (see [`crate::RetryPolicy`]); it never retries
    /// non-idempotent ones, and [`Error::OutcomeUnknown`] is never retryable.
    pub fn is_retryable(&self) -> bool {
        retryable(self)
    }

    /// The operation that failed (`None` for a configuration error).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Fault { operation, .. }
            | Error::Connect { operation, .. }
            | Error::OutcomeUnknown { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Http { operation, .. }
            | Error::Redirected { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::InvalidUtf8 { operation, .. }
            | Error::UnsupportedCharset { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Encode { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }

    /// The HTTP status of the response, when one arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Fault { status, .. }
            | Error::Http { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::InvalidUtf8 { status, .. }
            | Error::UnsupportedCharset { status, .. } => Some(*status),
            Error::Decode { .. } => Some(200),
            Error::OutcomeUnknown { source, .. } => source.http_status(),
            _ => None,
        }
    }

    /// The transport failure, when one ended the call.
    pub fn transport_error(&self) -> Option<&TransportError> {
        match self {
            Error::Connect { source, .. } | Error::Transport { source, .. } => Some(source),
            Error::OutcomeUnknown { source, .. } => source.transport_error(),
            _ => None,
        }
    }

    /// Whether a timeout ended the call.
    pub fn is_timeout(&self) -> bool {
        self.transport_error().is_some_and(TransportError::is_timeout)
    }

    /// The documented exception this error carries, if any.
    pub fn documented_fault(&self) -> Option<DocumentedFault> {
        match self {
            Error::Fault { documented, .. } => *documented,
            _ => None,
        }
    }

    /// The SOAP fault this error carries, if any.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// The SOAP fault's code (`soap:Client`/`Sender`, `soap:Server`/`Receiver`, ...), if the
    /// service answered with a fault.
    pub fn fault_code(&self) -> Option<&FaultCode> {
        self.fault().map(|f| &f.code)
    }

    /// `self`, or [`Error::OutcomeUnknown`] around it when a non-idempotent call's outcome is
    /// unknown: the one place that rule is applied.
    pub(crate) fn for_operation(self, idempotent: bool) -> Self {
        if idempotent || self.outcome() != Outcome::Unknown || matches!(self, Error::OutcomeUnknown { .. }) {
            return self;
        }
        match self.operation() {
            Some(operation) => Error::OutcomeUnknown { operation, source: Box::new(self) },
            None => self,
        }
    }

    /// Replaces `secret` (as is and as escaped in XML text) in every text this error carries
    /// from the peer, so that a server or proxy echoing the request cannot make an error
    /// show the password.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let clean = |s: &mut String| {
            if let std::borrow::Cow::Owned(r) = crate::client::redact(s, secret) {
                *s = r;
            }
        };
        match &mut self {
            Error::Fault { fault, .. } => {
                let Fault { code, subcodes, reason, actor, node, detail, raw, not_understood, .. } = &mut **fault;
                if let FaultCode::Other(c) = code {
                    clean(c);
                }
                subcodes.iter_mut().for_each(clean);
                not_understood.iter_mut().for_each(clean);
                [reason, raw].into_iter().for_each(clean);
                [actor, node, detail].into_iter().flatten().for_each(clean);
            }
            Error::OutcomeUnknown { source, .. } => {
                let inner = std::mem::replace(&mut **source, Error::Config(String::new()));
                **source = inner.redact(secret);
            }
            Error::Http { content_type, excerpt, .. } => {
                clean(content_type);
                clean(excerpt);
            }
            Error::Redirected { url, .. } => clean(url),
            Error::UnsupportedCharset { charset, .. } => clean(charset),
            Error::Decode { source, .. } => {
                let (kind, location) = source.parts_mut();
                clean(&mut location.path);
                match kind {
                    DecodeErrorKind::Malformed(s)
                    | DecodeErrorKind::UnknownEntity(s)
                    | DecodeErrorKind::InvalidCharRef(s)
                    | DecodeErrorKind::UnsupportedEncoding(s)
                    | DecodeErrorKind::UnexpectedText(s)
                    | DecodeErrorKind::UnexpectedChild(s)
                    | DecodeErrorKind::UnexpectedNil(s) => clean(s),
                    DecodeErrorKind::UnexpectedElement { expected, found } => {
                        clean(expected);
                        clean(found);
                    }
                    DecodeErrorKind::InvalidValue { value, message, .. } => {
                        clean(value);
                        clean(message);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reqwest client with the crate's own TLS configuration (reqwest has no provider).
    fn test_http() -> reqwest::Client {
        let tls = crate::tls::TlsSettings::default().client_config(false).expect("TLS config");
        reqwest::Client::builder().no_proxy().tls_backend_preconfigured(tls).build().expect("client")
    }

    fn http(status: u16) -> Error {
        Error::Http { operation: "GetPackages", status, content_type: "text/html".into(), excerpt: String::new() }
    }

    #[test]
    fn statuses_classify_into_outcomes_and_retries() {
        for (status, outcome, retry) in [
            (200, Outcome::Performed, false),
            (204, Outcome::Unknown, false),
            (301, Outcome::Unknown, false),
            (307, Outcome::Unknown, false),
            (400, Outcome::NotPerformed, false),
            (404, Outcome::NotPerformed, false),
            (415, Outcome::NotPerformed, false),
            (500, Outcome::Unknown, false),
            (501, Outcome::Unknown, false),
            (502, Outcome::Unknown, true),
            (503, Outcome::Unknown, true),
            (504, Outcome::Unknown, true),
            (505, Outcome::Unknown, false),
        ] {
            let e = http(status);
            assert_eq!((e.outcome(), e.is_retryable(), e.http_status()), (outcome, retry, Some(status)), "{status}");
            let wrapped = http(status).for_operation(false);
            if outcome == Outcome::Unknown {
                assert!(matches!(&wrapped, Error::OutcomeUnknown { operation: "GetPackages", .. }), "{status}");
                assert!(!wrapped.is_retryable(), "{status}: a non-idempotent call was classed retryable");
                assert_eq!(wrapped.http_status(), Some(status));
            } else {
                assert!(matches!(wrapped, Error::Http { .. }), "{status}");
            }
            assert!(matches!(http(status).for_operation(true), Error::Http { .. }));
        }
    }

    #[test]
    fn other_errors_have_fixed_outcomes() {
        let too_large = |status| Error::ResponseTooLarge { operation: "GetPackages", limit: 1, status };
        assert_eq!(too_large(200).outcome(), Outcome::Performed);
        assert_eq!(too_large(502).outcome(), Outcome::Unknown);
        assert!(!too_large(502).is_retryable());
        assert_eq!(Error::Config("x".into()).outcome(), Outcome::NotPerformed);
        assert_eq!(Error::Config("x".into()).operation(), None);
        let redirected = Error::Redirected { operation: "UpgradeUserPackage", url: "http://elsewhere/".into() };
        assert_eq!(redirected.outcome(), Outcome::Unknown);
        assert!(matches!(redirected.for_operation(false), Error::OutcomeUnknown { .. }));
        let utf8 = Error::InvalidUtf8 { operation: "GetPackages", offset: 3, status: 200 };
        assert!(matches!(utf8.for_operation(false), Error::InvalidUtf8 { .. }), "performed stays as it is");
    }

    /// Real failures from a loopback peer: refused (retryable, nothing sent), closed before
    /// any response (retryable for a read, unknown for a charge).
    #[tokio::test]
    async fn transport_failures_classify_by_what_reached_the_peer() {
        let client = test_http();
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let refused = client.get(format!("http://127.0.0.1:{port}/")).send().await.expect_err("refused");
        let e = Error::Connect { operation: "GetPackages", source: TransportError::sending(refused) };
        assert!(e.is_retryable());
        assert_eq!(e.outcome(), Outcome::NotPerformed);
        assert!(e.transport_error().is_some_and(TransportError::is_connect));

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            use tokio::io::AsyncReadExt as _;
            let (mut stream, _) = listener.accept().await.expect("accept");
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            // Dropped: closed with no response.
        });
        let closed = client.get(format!("http://{addr}/")).send().await.expect_err("closed");
        server.await.expect("server");
        let source = TransportError::sending(closed);
        assert!(!source.is_connect() && !source.is_timeout() && source.is_closed_before_response(), "{source:?}");
        let e = Error::Transport { operation: "GetPackages", source };
        assert!(e.is_retryable());
        assert_eq!(e.outcome(), Outcome::Unknown);
        let e = e.for_operation(false);
        assert!(matches!(e, Error::OutcomeUnknown { .. }) && !e.is_retryable());
    }

    /// Each level of the chain says its own thing: no level repeats the text of its cause.
    #[tokio::test]
    async fn the_error_chain_shows_each_cause_once() {
        let client = test_http();
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let refused = client.get(format!("http://127.0.0.1:{port}/")).send().await.expect_err("refused");
        let e = Error::Transport { operation: "UpgradeUserPackage", source: TransportError::sending(refused) }
            .for_operation(false);
        let mut levels = vec![e.to_string()];
        let mut next = std::error::Error::source(&e);
        while let Some(s) = next {
            levels.push(s.to_string());
            next = s.source();
        }
        assert!(levels.len() >= 4, "outcome, transport, kind, reqwest, io: {levels:?}");
        for pair in levels.windows(2) {
            assert!(!pair[0].contains(&pair[1]), "{:?} repeats its cause {:?}", pair[0], pair[1]);
        }
        let chain = levels.join(": ");
        // The I/O error's text (the root cause) appears once in the whole chain.
        let root = levels.last().expect("a root");
        assert_eq!(chain.matches(root.as_str()).count(), 1, "{chain}");
    }
}
