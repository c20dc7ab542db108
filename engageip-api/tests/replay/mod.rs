//! A loopback HTTP server that replays exchanges recorded from a real ASMX stack
//! (`../shared/asmx-captures/`) and records what the client sent.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One recorded exchange.
#[derive(Debug, Clone)]
pub struct Capture {
    pub name: String,
    /// The request body the .NET client sent.
    pub request_body: String,
    /// Request headers as recorded (name lower-cased).
    pub request_headers: Vec<(String, String)>,
    pub status: u16,
    pub reason: String,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Vec<u8>,
}

pub fn captures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/asmx-captures")
}

fn headers(lines: &[&str]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect()
}

/// Loads `NAME.http.txt`, `NAME.req.xml` and `NAME.resp.xml`.
pub fn load(name: &str) -> Capture {
    let dir = captures_dir();
    let read = |ext: &str| {
        std::fs::read(dir.join(format!("{name}.{ext}"))).unwrap_or_else(|e| panic!("fixture {name}.{ext}: {e}"))
    };
    let http = String::from_utf8(read("http.txt")).expect("http.txt is UTF-8");
    let (req, resp) = http.split_once("# response").expect("http.txt has a response section");
    let req_lines: Vec<&str> = req.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let resp_lines: Vec<&str> = resp.lines().filter(|l| !l.is_empty()).collect();
    let status_line = resp_lines[0];
    let mut parts = status_line.splitn(3, ' ');
    parts.next();
    let status: u16 = parts.next().and_then(|s| s.parse().ok()).expect("status code");
    let reason = parts.next().unwrap_or("").to_owned();
    Capture {
        name: name.to_owned(),
        request_body: String::from_utf8(read("req.xml")).expect("req.xml is UTF-8"),
        request_headers: headers(&req_lines[1..]),
        status,
        reason,
        response_headers: headers(&resp_lines[1..]),
        response_body: read("resp.xml"),
    }
}

impl Capture {
    pub fn request_header(&self, name: &str) -> Option<&str> {
        self.request_headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// What the client sent.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A canned HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub reason: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl From<&Capture> for Reply {
    fn from(c: &Capture) -> Self {
        Reply {
            status: c.status,
            reason: c.reason.clone(),
            content_type: c.response_header("content-type").map(str::to_owned),
            body: c.response_body.clone(),
        }
    }
}

/// Serves `reply` to every request on a loopback port; returns the base URL and the log of
/// requests received.
pub async fn serve(reply: Reply) -> (String, Arc<Mutex<Vec<Recorded>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let log = Arc::new(Mutex::new(Vec::new()));
    let log2 = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let reply = reply.clone();
            let log = Arc::clone(&log2);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let header_end = loop {
                    let Ok(n) = stream.read(&mut chunk).await else { return };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
                let mut lines = head.split("\r\n");
                let request_line = lines.next().unwrap_or("");
                let mut rl = request_line.split(' ');
                let method = rl.next().unwrap_or("").to_owned();
                let path = rl.next().unwrap_or("").to_owned();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                let length: usize =
                    headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
                let mut body = buf[header_end + 4..].to_vec();
                while body.len() < length {
                    let Ok(n) = stream.read(&mut chunk).await else { return };
                    if n == 0 {
                        break;
                    }
                    body.extend_from_slice(&chunk[..n]);
                }
                log.lock().expect("log lock").push(Recorded {
                    method,
                    path,
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reply.reason);
                if let Some(ct) = &reply.content_type {
                    out.push_str(&format!("Content-Type: {ct}\r\n"));
                }
                out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", reply.body.len()));
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&reply.body);
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), log)
}
