//! Schema drift: does a live EngageIP still match the contract this crate was generated from?
//!
//! [`crate::WSDL`] is that contract. [`Client::check_drift`] fetches the service's own
//! `...asmx?WSDL` with the client's transport (its TLS roots, identity, proxy and timeouts)
//! and compares it by meaning: operations, actions, types, fields, occurrence and enumeration
//! values, each change classified as breaking or compatible for this client, with why
//! ([`Report`], from `engageip_codegen::drift`). [`DriftChecker`] does the same for any URL
//! or file with the transport a [`ClientBuilder`] describes, no credentials needed; the
//! `engageip drift` command and `cargo xtask drift` are thin wrappers around it and
//! [`render`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use engageip_api::Client;
//!
//! let client = Client::builder("https://billing.example.com").credentials("api-user", "secret").build()?;
//! let report = client.check_drift().await?;
//! if report.exit_code() == 2 {
//!     eprintln!("breaking drift:\n{report}");
//! }
//! # Ok(())
//! # }
//! ```

use std::path::Path;

use engageip_codegen::Input;
pub use engageip_codegen::drift::{Change, Report, Severity};

use crate::client::Client;
use crate::config::ClientBuilder;
use crate::error::{Error, TransportError};

/// The exit status of `engageip drift` when the descriptions could not be compared
/// (0, 1 and 2 are [`Report::exit_code`]'s).
pub const CANNOT_COMPARE: u8 = 3;

/// Documents fetched for one description: the WSDL and what it imports, transitively.
const MAX_DOCUMENTS: usize = 64;

/// Redirects followed when fetching a description (a `GET` carries no body and no
/// credentials, so following them is safe, unlike for calls).
const MAX_REDIRECTS: usize = 5;

/// Why a live description could not be compared with the contract. Its `Display` names this
/// level only (what failed and where); `source()` has the causes, which [`render`] prints.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DriftError {
    /// The service could not be reached: name resolution, connection refused, proxy
    /// failure, timeout.
    #[error("unreachable: {url}")]
    Unreachable {
        /// The URL fetched.
        url: String,
        /// The cause.
        source: TransportError,
    },
    /// The TLS handshake failed, most often because the server's certificate is not signed by
    /// a trusted CA (add it to the builder's root certificates).
    #[error("TLS failure: {url}")]
    Tls {
        /// The URL fetched.
        url: String,
        /// The cause (the certificate verifier's message).
        source: TransportError,
    },
    /// The service answered with an HTTP status other than 200.
    #[error("HTTP {status} from {url}")]
    Http {
        /// The URL fetched.
        url: String,
        /// The status.
        status: u16,
    },
    /// More than five redirects, or a redirect without a usable `Location`.
    #[error("{url}: {reason}")]
    Redirect {
        /// The URL last fetched.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The body is larger than the builder's response size limit.
    #[error("{url}: the description exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The URL fetched.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// What was fetched or read is not a WSDL description (an HTML error page, a login form,
    /// a schema, not UTF-8).
    #[error("not a WSDL: {source_name}: {reason}")]
    NotWsdl {
        /// The URL or file.
        source_name: String,
        /// What it is instead.
        reason: String,
    },
    /// A WSDL that does not load (malformed, or a construct the generator does not support).
    #[error("the description does not load: {0}")]
    Invalid(engageip_codegen::Diagnostics),
    /// A file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The transport could not be configured.
    #[error(transparent)]
    Config(Error),
}

impl DriftError {
    /// A stable name for the kind of failure: `unreachable`, `tls`, `http`, `too-large`,
    /// `not-wsdl`, `invalid`, `read` or `config` (the `error.kind` of `--json`).
    pub fn kind(&self) -> &'static str {
        match self {
            DriftError::Unreachable { .. } => "unreachable",
            DriftError::Tls { .. } => "tls",
            DriftError::Http { .. } | DriftError::Redirect { .. } => "http",
            DriftError::TooLarge { .. } => "too-large",
            DriftError::NotWsdl { .. } => "not-wsdl",
            DriftError::Invalid(_) => "invalid",
            DriftError::Read { .. } => "read",
            DriftError::Config(_) => "config",
        }
    }

    fn transport(url: &str, e: reqwest::Error) -> DriftError {
        if is_tls(&e) {
            DriftError::Tls { url: url.to_owned(), source: TransportError::sending(e) }
        } else {
            DriftError::Unreachable { url: url.to_owned(), source: TransportError::sending(e) }
        }
    }
}

/// Whether a transport error is a failed TLS handshake (a certificate not trusted, a
/// protocol mismatch) rather than a network failure.
fn is_tls(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if is_rustls(s) {
            return true;
        }
        source = s.source();
    }
    false
}

/// Whether `e` is a rustls error, also when it travels inside `io::Error`s (whose `source()`
/// skips the error they wrap; the TLS stream wraps it more than once).
fn is_rustls(e: &(dyn std::error::Error + 'static)) -> bool {
    if e.is::<rustls::Error>() {
        return true;
    }
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return io.get_ref().is_some_and(|inner| is_rustls(inner));
    }
    false
}

/// Fetches and compares service descriptions with a client's transport settings.
#[derive(Debug, Clone)]
pub struct DriftChecker {
    http: reqwest::Client,
    max_bytes: usize,
    contract: Input,
}

impl DriftChecker {
    /// A checker using the transport `builder` describes: root certificates, client identity,
    /// proxy, timeouts and the response size limit (its URL and credentials are not used),
    /// comparing against [`crate::WSDL`].
    pub fn new(builder: &ClientBuilder) -> Result<Self, DriftError> {
        let (http, max_bytes) = builder.transport().map_err(DriftError::Config)?;
        Ok(DriftChecker { http, max_bytes, contract: Input::new("engageip.wsdl", crate::WSDL) })
    }

    /// Compares against another description than [`crate::WSDL`] (for example a WSDL file
    /// loaded with [`load_file`]).
    pub fn contract(mut self, contract: Input) -> Self {
        self.contract = contract;
        self
    }

    /// Compares the contract with `against`: an `http://` or `https://` URL (such as
    /// `https://billing.example.com/adminportal/webservice.asmx?WSDL`) or a file path.
    pub async fn check(&self, against: &str) -> Result<Report, DriftError> {
        let live =
            if is_url(against) { self.fetch_description(against).await? } else { load_file(Path::new(against))? };
        self.compare(&live)
    }

    /// Fetches the description at `url` and every document it imports by a relative
    /// location (`wsdl:import`, `xs:import`, `xs:include`, `xs:redefine`), transitively, as
    /// the generator reads them. Absolute import locations are not fetched.
    pub async fn fetch_description(&self, url: &str) -> Result<Input, DriftError> {
        let mut input = Input::new(url, self.fetch(url).await?);
        let mut pending: Vec<(String, String)> = engageip_codegen::drift::imported_locations(&input.wsdl.text)
            .into_iter()
            .map(|l| (url.to_owned(), l))
            .collect();
        while let Some((from, location)) = pending.pop() {
            if location.contains("://") {
                continue;
            }
            let name = resolve_location(&from, &location);
            if name == url || input.schemas.iter().any(|f| f.path == name) {
                continue;
            }
            if input.schemas.len() + 1 >= MAX_DOCUMENTS {
                return Err(DriftError::NotWsdl {
                    source_name: url.to_owned(),
                    reason: format!("it imports more than {MAX_DOCUMENTS} documents"),
                });
            }
            let target = reqwest::Url::parse(&from).and_then(|base| base.join(&location)).map_err(|e| {
                DriftError::NotWsdl { source_name: from.clone(), reason: format!("import location `{location}`: {e}") }
            })?;
            let text = self.fetch(target.as_str()).await?;
            pending.extend(engageip_codegen::drift::imported_locations(&text).into_iter().map(|l| (name.clone(), l)));
            input.schemas.push(engageip_codegen::SourceFile { path: name, text });
        }
        Ok(input)
    }

    /// Compares the contract with a description already in memory.
    pub fn compare(&self, live: &Input) -> Result<Report, DriftError> {
        if let Some(reason) = engageip_codegen::drift::not_a_wsdl(&live.wsdl.text) {
            return Err(DriftError::NotWsdl { source_name: live.wsdl.path.clone(), reason });
        }
        engageip_codegen::drift::compare(&self.contract, live).map_err(|e| match e {
            engageip_codegen::drift::DriftError::Old(d) | engageip_codegen::drift::DriftError::New(d) => {
                DriftError::Invalid(d)
            }
        })
    }

    /// `GET url`: the body of its 200 response as text, following up to five redirects.
    pub async fn fetch(&self, url: &str) -> Result<String, DriftError> {
        let mut current = reqwest::Url::parse(url)
            .map_err(|e| DriftError::Config(Error::Config(format!("invalid URL `{url}`: {e}"))))?;
        for _ in 0..=MAX_REDIRECTS {
            let shown = current.to_string();
            let mut response = self
                .http
                .get(current.clone())
                .header(reqwest::header::ACCEPT, "text/xml, application/xml, */*")
                .send()
                .await
                .map_err(|e| DriftError::transport(&shown, e))?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok());
                let next = location.and_then(|l| current.join(l).ok()).ok_or_else(|| DriftError::Redirect {
                    url: shown.clone(),
                    reason: format!("HTTP {status} without a usable Location ({location:?})"),
                })?;
                current = next;
                continue;
            }
            if status != 200 {
                return Err(DriftError::Http { url: shown, status });
            }
            if response.content_length().is_some_and(|n| n > self.max_bytes as u64) {
                return Err(DriftError::TooLarge { url: shown, limit: self.max_bytes });
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| DriftError::transport(&shown, e))? {
                if bytes.len() + chunk.len() > self.max_bytes {
                    return Err(DriftError::TooLarge { url: shown, limit: self.max_bytes });
                }
                bytes.extend_from_slice(&chunk);
            }
            return text(&shown, bytes);
        }
        Err(DriftError::Redirect { url: current.to_string(), reason: format!("more than {MAX_REDIRECTS} redirects") })
    }
}

/// `location` relative to the document named `from`, joined the way the generator resolves
/// import locations (by `/` segments, `..` going up), so that it finds the fetched document.
fn resolve_location(from: &str, location: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in location.split('/') {
        match piece {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// UTF-8 text without a byte order mark, or why not.
fn text(source_name: &str, bytes: Vec<u8>) -> Result<String, DriftError> {
    let mut text = String::from_utf8(bytes).map_err(|e| DriftError::NotWsdl {
        source_name: source_name.to_owned(),
        reason: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// A WSDL file and the `.xsd` files of its directory (where relative `schemaLocation`s
/// point), read by the generator's loader (`engageip_codegen::load`).
pub fn load_file(path: &Path) -> Result<Input, DriftError> {
    engageip_codegen::load(path, None).map(|loaded| loaded.input).map_err(|e| {
        let name = e.path.display().to_string();
        if e.source.kind() == std::io::ErrorKind::InvalidData {
            DriftError::NotWsdl { source_name: name, reason: e.source.to_string() }
        } else {
            DriftError::Read { path: name, source: e.source }
        }
    })
}

impl Client {
    /// Fetches this client's service description (`<endpoint>?WSDL`) with its own transport
    /// and compares it with [`crate::WSDL`], the contract this crate was generated from.
    pub async fn check_drift(&self) -> Result<Report, DriftError> {
        let mut url = self.endpoint_url().clone();
        url.set_query(Some("WSDL"));
        let checker = DriftChecker {
            http: self.http_client().clone(),
            max_bytes: self.max_response_bytes(),
            contract: Input::new("engageip.wsdl", crate::WSDL),
        };
        checker.check(url.as_str()).await
    }
}

/// How [`render`] writes a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Lines for a terminal: breaking changes, then compatible ones, each with why and where.
    #[default]
    Text,
    /// One JSON object (see [`Report::to_json`]; a failure is
    /// `{"status":"error","error":{"kind":..,"message":..}}`).
    Json,
    /// A Markdown heading, verdict and table, for a CI job summary.
    Markdown,
}

/// What a drift command prints and the exit status it ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// For standard output.
    pub stdout: String,
    /// For standard error (empty when the comparison succeeded).
    pub stderr: String,
    /// 0 no drift, 1 compatible drift only, 2 breaking drift, 3 could not compare.
    pub exit_code: u8,
}

/// Renders the outcome of comparing the contract with `against` as `engageip drift` prints
/// it. A failure says which it is (unreachable, TLS failure, not a WSDL, ...) on standard
/// error, and in `--json` and `--markdown` on standard output too.
pub fn render(against: &str, result: &Result<Report, DriftError>, format: Format) -> Rendered {
    let title = format!("EngageIP schema drift: {against}");
    match result {
        Ok(report) => {
            let stdout = match format {
                Format::Text => format!("schema drift against {against}:\n{report}"),
                Format::Json => format!("{}\n", report.to_json()),
                Format::Markdown => report.to_markdown(&title),
            };
            Rendered { stdout, stderr: String::new(), exit_code: report.exit_code() }
        }
        Err(e) => {
            let hint = match e {
                DriftError::Tls { .. } => {
                    "\nhint: is the server's certificate signed by a CA this machine trusts? Pass the CA with --ca-cert PATH (PEM)."
                }
                DriftError::Unreachable { .. } => "\nhint: check the URL, and the proxy (--proxy URL, --no-proxy).",
                _ => "",
            };
            // Each level once: this error, then its causes.
            let message = crate::error::chain(e);
            let stderr = format!("engageip drift: could not compare: {message}{hint}\n");
            let stdout = match format {
                Format::Text => String::new(),
                Format::Json => format!(
                    "{{\"status\":\"error\",\"error\":{{\"kind\":{},\"message\":{}}}}}\n",
                    engageip_codegen::drift::json_string(e.kind()),
                    engageip_codegen::drift::json_string(&message)
                ),
                Format::Markdown => format!(
                    "### {title}\n\n**Could not compare** ({}): {}\n",
                    e.kind(),
                    message.split_whitespace().collect::<Vec<_>>().join(" ")
                ),
            };
            Rendered { stdout, stderr, exit_code: CANNOT_COMPARE }
        }
    }
}
