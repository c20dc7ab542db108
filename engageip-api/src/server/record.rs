//! A recording proxy ([`Recorder`], `engageip record --upstream URL --out DIR`): forwards every
//! request unchanged to an upstream EngageIP (http or https), returns its answer unchanged,
//! and writes each exchange into a directory in the layout of [`super::Recording`], which
//! [`super::Replay`] serves back.
//!
//! What is forwarded: the method, the query, `Content-Type`, `SOAPAction` and the body. What
//! comes back: the upstream's status, `Content-Type` and body; for `GET ?WSDL` the addresses
//! in the WSDL are set to the recorder's own URL (as ASMX sets them to the URL it was asked
//! at), so a client that follows the WSDL keeps going through the recorder. No stored file
//! holds the password: the `AuthHeader`'s is replaced by `REDACTED` in the stored request,
//! and that password (and any given with [`Recorder::scrub`]) wherever else it appears.
//! Each exchange is on disk before its answer is returned.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::endpoint::{Endpoint, EndpointRequest, Reply};
use super::http::ServeOptions;
use super::recording::{Recording, redact_password, scrub};
use crate::Client;
use crate::error::TransportError;
use crate::runtime::server::{HttpResponse, request_meaning, wsdl_for_endpoint};

/// Largest upstream answer the recorder reads (64 MiB).
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Why a recorder could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecorderError {
    /// The upstream URL is not usable (not http or https, credentials in it, ...).
    #[error("invalid upstream URL `{url}`: {reason}")]
    Url {
        /// The URL given.
        url: String,
        /// Why.
        reason: String,
    },
    /// The output directory could not be created.
    #[error("cannot create {}: {source}", dir.display())]
    Dir {
        /// The directory.
        dir: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A recording proxy in front of an upstream EngageIP (see the module documentation). Serve
/// it with [`super::ServerHandle::start`] or [`super::serve`].
#[derive(Debug)]
pub struct Recorder {
    upstream: reqwest::Url,
    dir: PathBuf,
    http: reqwest::Client,
    next: AtomicUsize,
    /// Secrets replaced wherever they appear in a stored file.
    secrets: Mutex<Vec<String>>,
}

impl Recorder {
    /// A recorder forwarding to `upstream`'s endpoint through `upstream`'s own HTTP client, so
    /// with the TLS settings (extra roots, client certificate), proxy and timeouts it was
    /// built with, and writing into `dir` (created when missing). The client's credentials
    /// are not used: each request goes upstream as the caller sent it. Exchanges are numbered
    /// after those already in `dir`.
    pub fn new(upstream: &Client, dir: impl Into<PathBuf>) -> Result<Self, RecorderError> {
        let mut url = upstream.endpoint_url().clone();
        url.set_query(None);
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| RecorderError::Dir { dir: dir.clone(), source })?;
        let next = AtomicUsize::new(existing(&dir) + 1);
        Ok(Recorder { upstream: url, dir, http: upstream.http_client().clone(), next, secrets: Mutex::new(Vec::new()) })
    }

    /// [`Self::new`] with a client of default settings for `upstream` (the documented path
    /// `/adminportal/webservice.asmx` when the URL has none).
    pub fn to_url(upstream: &str, dir: impl Into<PathBuf>) -> Result<Self, RecorderError> {
        let client = Client::builder(upstream)
            .credentials("engageip-record", "")
            .build()
            .map_err(|e| RecorderError::Url { url: upstream.to_owned(), reason: e.to_string() })?;
        Recorder::new(&client, dir)
    }

    /// Uses `http` for the upstream calls (for example one with a private CA or a proxy).
    /// Give it no redirect policy: a redirect would re-send the password elsewhere.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Also replaces `secret` (as is and XML-escaped) wherever it appears in a stored file.
    pub fn scrub(self, secret: impl Into<String>) -> Self {
        let secret = secret.into();
        if !secret.is_empty() {
            self.secrets.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(secret);
        }
        self
    }

    /// The directory the exchanges are written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The upstream endpoint URL.
    pub fn upstream(&self) -> &str {
        self.upstream.as_str()
    }

    async fn forward(&self, request: &EndpointRequest<'_>) -> Result<HttpResponse, String> {
        let mut url = self.upstream.clone();
        url.set_query(Some(request.query).filter(|q| !q.is_empty()));
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut out = self.http.request(method, url);
        if let Some(ct) = request.content_type {
            out = out.header(reqwest::header::CONTENT_TYPE, ct);
        }
        if let Some(action) = request.soap_action {
            out = out.header("SOAPAction", action);
        }
        if !request.body.is_empty() || request.method.eq_ignore_ascii_case("POST") {
            out = out.body(request.body.to_vec());
        }
        let mut response = out.send().await.map_err(|e| TransportError::sending(e).to_string())?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| TransportError::reading(e).to_string())? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(format!("the upstream's answer exceeds {MAX_RESPONSE_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, content_type, body })
    }

    /// Writes one exchange; the stored request has its password replaced.
    fn store(&self, request: &EndpointRequest<'_>, answer: &HttpResponse) -> std::io::Result<String> {
        let (request_body, password) = redact_password(request.body);
        let mut secrets = self.secrets.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        secrets.extend(password);
        let clean = |bytes: &[u8]| secrets.iter().fold(bytes.to_vec(), |b, s| scrub(&b, s));
        let label = if request.method.eq_ignore_ascii_case("POST") {
            std::str::from_utf8(request.body).ok().and_then(request_meaning).map(|m| m.operation)
        } else {
            Some(format!("{}{}", request.method, if request.query.is_empty() { "" } else { "-" }) + request.query)
        };
        let label: String = label
            .unwrap_or_else(|| "request".to_owned())
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .take(60)
            .collect();
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let target = if request.query.is_empty() {
            request.path.to_owned()
        } else {
            format!("{}?{}", request.path, request.query)
        };
        let mut request_headers = Vec::new();
        if let Some(ct) = request.content_type {
            request_headers
                .push(("Content-Type".to_owned(), String::from_utf8_lossy(&clean(ct.as_bytes())).into_owned()));
        }
        if let Some(action) = request.soap_action {
            request_headers
                .push(("SOAPAction".to_owned(), String::from_utf8_lossy(&clean(action.as_bytes())).into_owned()));
        }
        let recording = Recording {
            name: format!("{n:04}-{label}"),
            method: request.method.to_owned(),
            target,
            request_headers,
            request_body: clean(&request_body),
            status: answer.status,
            response_headers: vec![("Content-Type".to_owned(), answer.content_type.clone())],
            response_body: clean(&answer.body),
        };
        recording.write(&self.dir)?;
        Ok(recording.name)
    }
}

/// The highest exchange number among `NNNN-*.http.txt` files already in `dir` (0 if none).
fn existing(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            name.strip_suffix(".http.txt")?.split('-').next()?.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
}

impl Endpoint for Recorder {
    async fn reply<'a>(&'a self, request: &'a EndpointRequest<'a>, _options: &'a ServeOptions) -> Reply {
        let answer = match self.forward(request).await {
            Ok(answer) => answer,
            Err(e) => {
                let body = format!("engageip record: the upstream {} did not answer: {e}\n", self.upstream);
                return Reply::Send(HttpResponse {
                    status: 502,
                    content_type: "text/plain; charset=utf-8".to_owned(),
                    body: body.into_bytes(),
                });
            }
        };
        if let Err(e) = self.store(request, &answer) {
            tracing::error!(dir = %self.dir.display(), error = %e, "engageip record: cannot write the exchange");
        }
        let mut answer = answer;
        if request.method.eq_ignore_ascii_case("GET") && request.has_query("wsdl") && answer.status == 200 {
            answer.body = wsdl_for_endpoint(&String::from_utf8_lossy(&answer.body), request.url).into_bytes();
        }
        Reply::Send(answer)
    }
}
