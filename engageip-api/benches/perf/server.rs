//! A minimal HTTP/1.1 server on loopback that answers every POST with one fixed response, for
//! the groups that measure the client rather than a server. It costs the same for the client
//! and the raw-reqwest contenders, and as little as possible, so the difference between them is
//! the client's own work.
//!
//! It keeps connections open (HTTP/1.1 keep-alive), reads each request's head and
//! `Content-Length` body, and writes the pre-built response in one write. With
//! [`Compression::Gzip`] it answers a request that sends `Accept-Encoding: gzip` as IIS's
//! dynamic compression does: compressing that response as it sends it, in chunks
//! (`Transfer-Encoding: chunked`), so compressing overlaps the transfer.

use std::io::Write as _;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Whether the server compresses responses for clients that ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Never: as a server without compression configured.
    Off,
    /// gzip at this level (0–9), on the fly, where the request sends `Accept-Encoding: gzip`.
    Gzip(u32),
}

/// Input compressed between two chunks written: 64 KiB.
const GZIP_STEP: usize = 64 * 1024;

/// Starts the server on its own thread and runtime; it lives until the process exits.
pub fn spawn(body: String, compression: Compression) -> SocketAddr {
    let mut response =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n", body.len())
            .into_bytes();
    response.extend_from_slice(body.as_bytes());
    let response: &'static [u8] = Box::leak(response.into_boxed_slice());
    let body: &'static [u8] = Box::leak(body.into_bytes().into_boxed_slice());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
        rt.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
            tx.send(listener.local_addr().expect("local addr")).expect("report address");
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, response, body, compression));
            }
        });
    });
    rx.recv().expect("server started")
}

async fn serve(mut stream: TcpStream, response: &'static [u8], body: &'static [u8], compression: Compression) {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        // Read up to the end of the head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let length = header(&head, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + length);
        let asks = header(&head, "accept-encoding").is_some_and(|v| v.split(',').any(|c| c.trim().starts_with("gzip")));
        let written = match compression {
            Compression::Gzip(level) if asks => write_gzip(&mut stream, body, level).await,
            _ => stream.write_all(response).await,
        };
        if written.is_err() {
            return;
        }
    }
}

/// Writes `body` gzip-compressed, chunk by chunk as the compressor produces output.
async fn write_gzip(stream: &mut TcpStream, body: &[u8], level: u32) -> std::io::Result<()> {
    stream
        .write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        .await?;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(GZIP_STEP), flate2::Compression::new(level));
    for piece in body.chunks(GZIP_STEP) {
        encoder.write_all(piece)?;
        let out = encoder.get_mut();
        if !out.is_empty() {
            write_chunk(stream, out).await?;
            out.clear();
        }
    }
    let rest = encoder.finish()?;
    if !rest.is_empty() {
        write_chunk(stream, &rest).await?;
    }
    stream.write_all(b"0\r\n\r\n").await
}

async fn write_chunk(stream: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
    framed.extend_from_slice(data);
    framed.extend_from_slice(b"\r\n");
    stream.write_all(&framed).await
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value of header `name` (lower case) in a request head.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}
