//! The hyper adapter: HTTP/1.1 on a `TcpListener`, one task per connection, the dispatcher
//! for `POST` (and every other method but `GET`: ASMX answers `HEAD` with 405), the WSDL for
//! `GET ...?WSDL` and the discovery document for `GET ...?disco`, both naming the address the
//! request used, and the help page for any other `GET`.

use std::convert::Infallible;
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

use crate::config::DEFAULT_PATH;
use crate::generated::operations::OPERATIONS;
use crate::generated::server::{WebService, dispatch};
use crate::runtime::server::{HttpRequest, discovery_document, endpoint_url, wsdl_for_endpoint};

/// The committed WSDL (`wsdl/engageip.wsdl`). `GET ...asmx?WSDL` serves it with its
/// `soap:address` and `soap12:address` set to the request's own URL
/// ([`crate::runtime::server::wsdl_for_endpoint`]).
pub const WSDL: &str = include_str!("../generated/engageip.wsdl");

/// Default limit on a request body: 16 MiB (larger requests get 413).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// How [`serve`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The endpoint path (compared case-insensitively, as IIS does); other paths get 404.
    pub path: String,
    /// Largest request body accepted.
    pub max_request_bytes: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { path: DEFAULT_PATH.to_owned(), max_request_bytes: DEFAULT_MAX_REQUEST_BYTES }
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

fn help_page(path: &str) -> String {
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

async fn handle<S: WebService + ?Sized>(
    service: &S,
    options: &ServeOptions,
    local: SocketAddr,
    request: Request<Incoming>,
) -> Response<Body> {
    if !request.uri().path().eq_ignore_ascii_case(&options.path) {
        return response(404, "text/html", "<html><body><h1>404 Not Found</h1></body></html>\n");
    }
    if request.method() == hyper::Method::GET {
        let query = request.uri().query().unwrap_or_default();
        let has =
            |key: &str| query.split('&').any(|p| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case(key)));
        let url = request_url(&request, local);
        return if has("wsdl") {
            response(200, "text/xml; charset=utf-8", wsdl_for_endpoint(WSDL, &url))
        } else if has("disco") {
            response(200, "text/xml; charset=utf-8", discovery_document(WSDL, &url))
        } else {
            response(200, "text/html; charset=utf-8", help_page(request.uri().path()))
        };
    }
    let header = |name| request.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
    let content_type = header(CONTENT_TYPE.as_str());
    let soap_action = header("soapaction");
    let method = request.method().as_str().to_owned();
    let declared = header(CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > options.max_request_bytes as u64) {
        return response(413, "text/plain; charset=utf-8", "413 Request Entity Too Large\n");
    }
    let body = match Limited::new(request.into_body(), options.max_request_bytes).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return response(413, "text/plain; charset=utf-8", "413 Request Entity Too Large\n");
        }
        Err(_) => return response(400, "text/plain; charset=utf-8", "400 Bad Request\n"),
    };
    let request = HttpRequest {
        method: &method,
        content_type: content_type.as_deref(),
        soap_action: soap_action.as_deref(),
        body: &body,
    };
    let answer = dispatch(service, &request).await;
    response(answer.status, &answer.content_type, answer.body)
}

/// Serves `service` on `listener` until the returned future is dropped (or the task running
/// it is aborted): HTTP/1.1 with keep-alive, one task per connection. `POST`s to
/// `options.path` go to [`dispatch`]; `GET ?WSDL` returns [`WSDL`].
pub async fn serve<S: WebService + 'static>(
    listener: TcpListener,
    service: Arc<S>,
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
                async move { Ok::<_, Infallible>(handle(&*service, &options, local, request).await) }
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
    /// Binds `addr` (such as `127.0.0.1:0` for any free port) and serves `service` with the
    /// default [`ServeOptions`]. Must be called within a tokio runtime.
    pub async fn start<S: WebService + 'static>(addr: impl ToSocketAddrs, service: Arc<S>) -> io::Result<Self> {
        Self::start_with(addr, service, ServeOptions::default()).await
    }

    /// [`Self::start`] with explicit options.
    pub async fn start_with<S: WebService + 'static>(
        addr: impl ToSocketAddrs,
        service: Arc<S>,
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
