//! Test helpers shared by the integration tests: a raw HTTP/1.1 responder on loopback that
//! answers with canned bytes (so a test can send what no well-behaved server would), a
//! `tracing` subscriber that captures every line, and an allocator that counts live bytes.
//!
//! Each test file that needs them says `mod common;`; not every file uses every helper.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The password every test client uses: tests assert it never shows up where it should not.
/// It holds markup characters so that its escaped form (as it travels) differs from it.
pub const PASSWORD: &str = "Pa55<w0rd&s3cr3t";
/// [`PASSWORD`] as XML text escapes it in an envelope.
pub const PASSWORD_ESCAPED: &str = "Pa55&lt;w0rd&amp;s3cr3t";

/// Whether `text` shows the password in any form.
pub fn leaks_password(text: &str) -> bool {
    text.contains(PASSWORD) || text.contains(PASSWORD_ESCAPED) || text.contains("w0rd&s3cr3t")
}
/// The error and its causes on one line, as `{:#}` with anyhow prints them.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        text = format!("{text}: {e}");
        next = e.source();
    }
    text
}

/// The username every test client uses.
pub const USERNAME: &str = "api-user";
/// The body namespace of every EngageIP element.
pub const NS: &str = "Logisense_EngageIP";
/// SOAP 1.1 envelope namespace.
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace.
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// A request as the responder received it.
#[derive(Debug, Clone)]
pub struct Request {
    /// Request line and headers, as sent.
    pub head: String,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// The body as text (lossy: only for assertions).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// What the responder does once it has read a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status, headers and a body; `Content-Length` and `Connection: close` are added.
    Fixed {
        /// HTTP status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body bytes.
        body: Vec<u8>,
    },
    /// These bytes exactly (status line and all), then the connection closes.
    Raw(Vec<u8>),
    /// A chunked response without `Content-Length`: `head` bytes first, then `chunk` repeated
    /// `count` times (`None`: until the client hangs up).
    Chunked {
        /// HTTP status code.
        status: u16,
        /// The `Content-Type`.
        content_type: String,
        /// Sent before the repeated chunks.
        head: Vec<u8>,
        /// The repeated piece.
        chunk: Vec<u8>,
        /// How many times; `None` forever.
        count: Option<usize>,
    },
    /// The connection closes without a reply, after the whole request was read.
    Close,
    /// The connection is reset (TCP RST) without a reply, after the whole request was read.
    Reset,
    /// No reply at all: the connection stays open and silent until the client gives up.
    Hang,
    /// Headers, then a chunked body one byte at a time with `interval` between bytes, forever.
    Trickle {
        /// Time between two bytes.
        interval: Duration,
    },
}

impl Reply {
    /// A `text/xml; charset=utf-8` reply.
    pub fn xml(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::with_type(status, "text/xml; charset=utf-8", body)
    }

    /// A reply with a given content type.
    pub fn with_type(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Fixed { status, headers: vec![("Content-Type".to_owned(), content_type.to_owned())], body: body.into() }
    }
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// A loopback HTTP/1.1 server that answers every request through a handler.
pub struct Responder {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    connections: Arc<AtomicUsize>,
    tls_failures: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Responder {
    /// Serves `reply` to every request.
    pub async fn start(reply: Reply) -> Responder {
        Self::start_with(move |_, _| reply.clone()).await
    }

    /// Serves `handler(request, index)`'s reply, `index` counting requests from 0.
    pub async fn start_with(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Responder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        Self::on(listener, handler)
    }

    /// Serves on a listener the test bound itself (for example to a port chosen earlier).
    pub fn on(listener: TcpListener, handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Responder {
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, conns) = (requests.clone(), connections.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                conns.fetch_add(1, Ordering::SeqCst);
                let (reqs, handler) = (reqs.clone(), handler.clone());
                tokio::spawn(async move {
                    let _ = serve_connection(stream, reqs, handler).await;
                });
            }
        });
        Responder { addr, requests, connections, tls_failures: Arc::new(AtomicUsize::new(0)), task }
    }

    /// Serves over TLS on a new loopback port: each connection is accepted through
    /// `acceptor` (a failed handshake is counted in [`Self::tls_failures`] and dropped).
    pub async fn start_tls(
        acceptor: tokio_rustls::TlsAcceptor,
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> Responder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let failures = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, conns, fails) = (requests.clone(), connections.clone(), failures.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                conns.fetch_add(1, Ordering::SeqCst);
                let (reqs, handler, acceptor, fails) = (reqs.clone(), handler.clone(), acceptor.clone(), fails.clone());
                tokio::spawn(async move {
                    match acceptor.accept(stream).await {
                        Ok(tls) => {
                            let _ = serve_stream(tls, reqs, handler, |_| {}).await;
                        }
                        Err(_) => {
                            fails.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        Responder { addr, requests, connections, tls_failures: failures, task }
    }

    /// How many TLS handshakes failed (a TLS responder only).
    pub fn tls_failures(&self) -> usize {
        self.tls_failures.load(Ordering::SeqCst)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// How many connections were accepted so far.
    pub fn connection_count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection(
    stream: TcpStream,
    requests: Arc<Mutex<Vec<Request>>>,
    handler: Arc<Handler>,
) -> std::io::Result<()> {
    serve_stream(stream, requests, handler, |stream| {
        // A zero linger time makes the close an RST instead of a FIN.
        let _ = stream.set_zero_linger();
    })
    .await
}

/// Reads one request from `stream` and answers it; `reset` closes the stream abruptly for
/// [`Reply::Reset`].
async fn serve_stream<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    requests: Arc<Mutex<Vec<Request>>>,
    handler: Arc<Handler>,
    reset: impl FnOnce(&S),
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else { return Ok(()) };
    let index = {
        let mut all = requests.lock().unwrap();
        all.push(request.clone());
        all.len() - 1
    };
    match handler(&request, index) {
        Reply::Fixed { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (k, v) in &headers {
                let _ = write!(head, "{k}: {v}\r\n");
            }
            let _ = write!(head, "Content-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Reply::Raw(bytes) => stream.write_all(&bytes).await?,
        Reply::Chunked { status, content_type, head, chunk, count } => {
            let start = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                reason(status)
            );
            stream.write_all(start.as_bytes()).await?;
            if !head.is_empty() {
                write_chunk(&mut stream, &head).await?;
            }
            let mut sent = 0usize;
            while count.is_none_or(|c| sent < c) {
                write_chunk(&mut stream, &chunk).await?;
                sent += 1;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        Reply::Close => {}
        Reply::Reset => {
            reset(&stream);
            drop(stream);
            return Ok(());
        }
        Reply::Hang => {
            // Hold the connection until the client closes it.
            let mut buf = [0u8; 64];
            while stream.read(&mut buf).await? > 0 {}
        }
        Reply::Trickle { interval } => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n",
                )
                .await?;
            loop {
                stream.write_all(b"1\r\n \r\n").await?;
                tokio::time::sleep(interval).await;
            }
        }
    }
    stream.shutdown().await
}

async fn write_chunk<S: AsyncWrite + Unpin>(stream: &mut S, data: &[u8]) -> std::io::Result<()> {
    stream.write_all(format!("{:x}\r\n", data.len()).as_bytes()).await?;
    stream.write_all(data).await?;
    stream.write_all(b"\r\n").await
}

async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Request { head: head.trim_end().to_owned(), body }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Whatever",
    }
}

/// A SOAP 1.1 envelope around `body` (the inside of `soap:Body`).
pub fn soap11(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"{SOAP11}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
         <soap:Body>{body}</soap:Body></soap:Envelope>"
    )
}

/// A `GetPackagesResponse` holding one `Package` whose children are `package` (the inside of
/// `<Package>`).
pub fn get_packages_response(package: &str) -> String {
    soap11(&format!(
        "<GetPackagesResponse xmlns=\"{NS}\"><GetPackagesResult><Package>{package}</Package></GetPackagesResult></GetPackagesResponse>"
    ))
}

/// The children of a valid `Package`, with `field`'s element replaced by `replacement`
/// (for example `("ID", "<ID>NaN</ID>")`).
pub fn package_with(field: &str, replacement: &str) -> String {
    let fields = [
        ("ID", "<ID>7</ID>"),
        ("Name", "<Name>Basic</Name>"),
        ("OwnerID", "<OwnerID>1</OwnerID>"),
        ("Frequency", "<Frequency>1</Frequency>"),
        ("BaseTimeUnitTypeID", "<BaseTimeUnitTypeID>3</BaseTimeUnitTypeID>"),
        ("Amount", "<Amount>19.99</Amount>"),
        ("CreatedDate", "<CreatedDate>2024-02-29T12:00:00.1234567</CreatedDate>"),
        ("OneTimeAmount", "<OneTimeAmount>0</OneTimeAmount>"),
        ("InactiveOverride", "<InactiveOverride>false</InactiveOverride>"),
        ("StartDate", "<StartDate>2024-03-01T00:00:00Z</StartDate>"),
        ("ExpiryDate", "<ExpiryDate xsi:nil=\"true\" />"),
        ("InvoiceIdentifierID", "<InvoiceIdentifierID>0</InvoiceIdentifierID>"),
        ("ShowToUserPortal", "<ShowToUserPortal>true</ShowToUserPortal>"),
    ];
    assert!(field.is_empty() || fields.iter().any(|(f, _)| *f == field), "no field {field}");
    fields.iter().map(|(f, xml)| if *f == field { replacement } else { xml }).collect()
}

/// A SOAP 1.1 fault as ASMX writes it, with HTTP 500.
pub fn fault11(code: &str, reason: &str) -> String {
    soap11(&format!(
        "<soap:Fault><faultcode>soap:{code}</faultcode><faultstring>{reason}</faultstring><detail /></soap:Fault>"
    ))
}

// ---------------------------------------------------------------------------------------
// Log capture

/// A `tracing` subscriber that formats every span, span record and event (all levels) as a
/// line and keeps the lines.
#[derive(Clone, Default)]
pub struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    /// Every line captured so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Lines containing `needle`.
    pub fn lines_containing(&self, needle: &str) -> Vec<String> {
        self.lines().into_iter().filter(|l| l.contains(needle)).collect()
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields(format!("span#{id} {} {}:", span.metadata().level(), span.metadata().name()));
        span.record(&mut fields);
        self.push(fields.0);
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields(format!("span#{} record:", span.into_u64()));
        values.record(&mut fields);
        self.push(fields.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("{} {}:", event.metadata().level(), event.metadata().target()));
        event.record(&mut fields);
        self.push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Installs one [`Capture`] as the global subscriber of this test binary (once) and returns it.
pub fn capture() -> Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            tracing::subscriber::set_global_default(capture.clone()).expect("no other global subscriber");
            capture
        })
        .clone()
}

// ---------------------------------------------------------------------------------------
// Memory accounting

/// The system allocator, counting live and peak bytes. A test binary opts in with
/// `#[global_allocator] static A: common::CountingAlloc = common::CountingAlloc;`.
pub struct CountingAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates to `System`, only adding counters.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// Resets the peak to the current live size and returns that size.
pub fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

/// The peak of live bytes since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
