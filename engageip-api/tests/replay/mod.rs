//! Exchanges recorded from a real ASMX stack (`tests/fixtures/asmx-captures/`, copied byte for byte from the recording), replayed through
//! the shared loopback responder of `tests/common`, with what the client sent.

#![allow(dead_code)]

use std::path::PathBuf;

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
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asmx-captures")
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

/// What the replay server received; the server stops when this is dropped.
pub struct Log(super::common::Responder);

impl Log {
    /// Every request received so far.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.0
            .requests()
            .into_iter()
            .map(|r| {
                let mut lines = r.head.lines();
                let mut request_line = lines.next().unwrap_or("").split(' ');
                let method = request_line.next().unwrap_or("").to_owned();
                let path = request_line.next().unwrap_or("").to_owned();
                let headers = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                Recorded { method, path, headers, body: r.body_text() }
            })
            .collect()
    }
}

/// Serves `reply` to every request on a loopback port (through the shared test responder);
/// returns the base URL and the log of requests received.
pub async fn serve(reply: Reply) -> (String, Log) {
    let headers = reply.content_type.iter().map(|ct| ("Content-Type".to_owned(), ct.clone())).collect();
    let responder = super::common::Responder::start(super::common::Reply::Fixed {
        status: reply.status,
        headers,
        body: reply.body,
    })
    .await;
    (responder.url(), Log(responder))
}
