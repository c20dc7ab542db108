//! The hyper adapter: HTTP/1.1 on a `TcpListener`, one task per connection, the dispatcher
//! for `POST` (and every other method but `GET`: ASMX answers `HEAD` with 405), the WSDL for
//! `GET ...?WSDL` and the discovery document for `GET ...?disco`, both naming the address the
//! request used, and the help page for any other `GET`.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::task::{JoinHandle, JoinSet};

use super::endpoint::{Endpoint, EndpointRequest, Reply};
use super::inject::FaultInjector;
use crate::config::DEFAULT_PATH;
use crate::generated::operations::OPERATIONS;
#[cfg(doc)]
use crate::generated::server::WebService;
use crate::runtime::server::endpoint_url;

/// The committed WSDL (`wsdl/engageip.wsdl`). `GET ...asmx?WSDL` serves it with its
/// `soap:address` and `soap12:address` set to the request's own URL
/// ([`crate::runtime::server::wsdl_for_endpoint`]).
pub const WSDL: &str = include_str!("../generated/engageip.wsdl");

/// Default limit on a request body: 16 MiB (larger requests get 413).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// How [`serve`] answers.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The endpoint path (compared case-insensitively, as IIS does); other paths get 404.
    pub path: String,
    /// Largest request body accepted.
    pub max_request_bytes: usize,
    /// The faults injected into a [`WebService`]'s calls (none by default). Keep a clone to
    /// add or clear rules while the server runs.
    pub inject: FaultInjector,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            path: DEFAULT_PATH.to_owned(),
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            inject: FaultInjector::default(),
        }
    }
}

type Body = Full<Bytes>;

fn response(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r
}

/// ASMX's help page for `GET` without a query, in short: the operations and links to the
/// WSDL and the discovery document.
pub(crate) fn help_page(path: &str) -> String {
    let mut ops = String::new();
    for op in OPERATIONS {
        ops.push_str(&format!("<li>{op}</li>\n"));
    }
    format!(
        "<!DOCTYPE html>\n<html>\n<head><link rel=\"alternate\" type=\"text/xml\" href=\"{path}?disco\"/><title>WebService Web Service</title></head>\n<body>\n<h1>WebService</h1>\n\
         <p>The following operations are supported. For a formal definition, please review the \
         <a href=\"{path}?WSDL\">Service Description</a>.</p>\n<ul>\n{ops}</ul>\n</body>\n</html>\n"
    )
}

/// The endpoint URL the request itself used, as ASMX writes it into its WSDL: `http://`, the
/// `Host` header (the listening address when the request has none) and the path as requested.
fn request_url<B>(request: &Request<B>, local: SocketAddr) -> String {
    let host = request.headers().get(HOST).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let host = host.or_else(|| request.uri().authority().map(|a| a.to_string())).unwrap_or_else(|| local.to_string());
    endpoint_url("http", &host, request.uri().path())
}

/// The connection is closed without an answer (an injected drop).
#[derive(Debug)]
struct Closed;

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed without an answer")
    }
}

impl std::error::Error for Closed {}

async fn handle<E: Endpoint + ?Sized>(
    endpoint: &E,
    options: &ServeOptions,
    local: SocketAddr,
    request: Request<Incoming>,
) -> Result<Response<Body>, Closed> {
    if !request.uri().path().eq_ignore_ascii_case(&options.path) {
        return Ok(response(404, "text/html", "<html><body><h1>404 Not Found</h1></body></html>\n"));
    }
    let header = |name| request.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
    let content_type = header(CONTENT_TYPE.as_str());
    let soap_action = header("soapaction");
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let url = request_url(&request, local);
    let declared = header(CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > options.max_request_bytes as u64) {
        return Ok(response(413, "text/plain; charset=utf-8", "413 Request Entity Too Large\n"));
    }
    let body = match Limited::new(request.into_body(), options.max_request_bytes).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok(response(413, "text/plain; charset=utf-8", "413 Request Entity Too Large\n"));
        }
        Err(_) => return Ok(response(400, "text/plain; charset=utf-8", "400 Bad Request\n")),
    };
    let request = EndpointRequest {
        method: &method,
        path: &path,
        query: &query,
        url: &url,
        content_type: content_type.as_deref(),
        soap_action: soap_action.as_deref(),
        body: &body,
    };
    match endpoint.reply(&request, options).await {
        Reply::Send(answer) => Ok(response(answer.status, &answer.content_type, answer.body)),
        Reply::Close => Err(Closed),
    }
}

/// Serves `endpoint` (a [`WebService`] such as the simulator, a [`super::Replay`] or a
/// [`super::Recorder`]) on `listener` until the returned future is dropped (or the task
/// running it is aborted): HTTP/1.1 with keep-alive, one task per connection. A service's
/// `POST`s to `options.path` go to [`crate::server::dispatch`]; `GET ?WSDL` returns [`WSDL`]
/// with the request's own address.
pub async fn serve<E: Endpoint + 'static>(
    listener: TcpListener,
    service: Arc<E>,
    options: ServeOptions,
) -> io::Result<()> {
    let options = Arc::new(options);
    let local = listener.local_addr()?;
    // Dropping the set (when this future is dropped) aborts every connection.
    let mut connections = JoinSet::new();
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
                ) =>
            {
                continue;
            }
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let service = service.clone();
        let options = options.clone();
        connections.spawn(async move {
            let svc = hyper::service::service_fn(move |request| {
                let service = service.clone();
                let options = options.clone();
                async move { handle(&*service, &options, local, request).await }
            });
            // A connection error (the peer went away, a malformed request line) ends only
            // this connection.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
        });
    }
}

/// A server running in the background on a tokio runtime; stopped by [`Self::shutdown`] or
/// when dropped.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    path: String,
    task: JoinHandle<io::Result<()>>,
}

impl ServerHandle {
    /// Binds `addr` (such as `127.0.0.1:0` for any free port) and serves `service` (a
    /// [`WebService`] or another [`Endpoint`]) with the default [`ServeOptions`]. Must be called within a tokio runtime.
    pub async fn start<E: Endpoint + 'static>(addr: impl ToSocketAddrs, service: Arc<E>) -> io::Result<Self> {
        Self::start_with(addr, service, ServeOptions::default()).await
    }

    /// [`Self::start`] with explicit options.
    pub async fn start_with<E: Endpoint + 'static>(
        addr: impl ToSocketAddrs,
        service: Arc<E>,
        options: ServeOptions,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let path = options.path.clone();
        let task = tokio::spawn(serve(listener, service, options));
        Ok(ServerHandle { addr, path, task })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint URL, such as `http://127.0.0.1:41234/adminportal/webservice.asmx`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.path)
    }

    /// Stops accepting connections and closes the open ones.
    pub fn shutdown(self) {
        self.task.abort();
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}
