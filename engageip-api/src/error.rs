//! The client's error type.

use std::fmt;

use crate::generated::faults::DocumentedFault;
use crate::runtime::{DecodeError, DecodeErrorKind, EncodeError, Fault, FaultCode};

/// A transport failure (connection, TLS, I/O). Opaque so that no HTTP library's error type
/// becomes part of this crate's API; its `source()` chain has the details.
#[derive(Debug)]
pub struct TransportError(pub(crate) reqwest::Error);

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // reqwest's message names the URL (which never holds credentials: the builder refuses
        // them), never the body, where the password travels.
        write!(f, "{}", self.0)?;
        let mut source = std::error::Error::source(&self.0);
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a SOAP fault. `documented` names it when it is one of the
    /// exceptions the API reference documents.
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
    /// The connection could not be made: the request was not sent.
    #[error("{operation}: could not connect to the service: {source}")]
    Connect {
        /// The operation called.
        operation: &'static str,
        /// The cause.
        source: TransportError,
    },
    /// The connection failed after a non-idempotent request may have reached the service.
    /// It may or may not have been performed: reconcile (for example with `GetPackages`)
    /// before trying again.
    #[error(
        "{operation}: the connection failed after the request was sent; whether the service performed it is unknown: {source}"
    )]
    OutcomeUnknown {
        /// The operation called.
        operation: &'static str,
        /// The cause.
        source: TransportError,
    },
    /// A read-only call failed in transit (after any retries).
    #[error("{operation}: the request failed in transit: {source}")]
    Transport {
        /// The operation called.
        operation: &'static str,
        /// The cause.
        source: TransportError,
    },
    /// The HTTP response is not a SOAP envelope (for example a 404, a 415, or an HTML error
    /// page).
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
    /// The response body exceeds the configured limit; reading stopped there.
    #[error("{operation}: the response exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation called.
        operation: &'static str,
        /// The configured limit.
        limit: usize,
    },
    /// The response body is not valid UTF-8.
    #[error("{operation}: the response is not valid UTF-8 (at byte {offset})")]
    InvalidUtf8 {
        /// The operation called.
        operation: &'static str,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The response declares a charset other than UTF-8.
    #[error("{operation}: the response uses charset `{charset}`; only UTF-8 is supported")]
    UnsupportedCharset {
        /// The operation called.
        operation: &'static str,
        /// The declared charset.
        charset: String,
    },
    /// The response is a SOAP envelope that does not match the schema.
    #[error("{operation}: could not decode the response: {source}")]
    Decode {
        /// The operation called.
        operation: &'static str,
        /// What and where.
        source: DecodeError,
    },
    /// An argument cannot be sent as XML; nothing was sent.
    #[error("{operation}: could not encode the request: {source}")]
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

impl Error {
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
            Error::Http { content_type, excerpt, .. } => {
                clean(content_type);
                clean(excerpt);
            }
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
