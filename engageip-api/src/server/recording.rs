//! The on-disk form of recorded exchanges, shared by [`super::Recorder`] (which writes it)
//! and [`super::Replay`] (which reads it): the layout of the ASMX captures in
//! `engageip-api/tests/fixtures/asmx-captures/`, so those read as a replay directory as they are.
//!
//! One exchange is three files with a common name, plain text and diff-friendly:
//!
//! - `NAME.http.txt`: a `# request` section (request line, then headers, one per line), a
//!   blank line, and a `# response` section (status line, then headers);
//! - `NAME.req.xml`: the request body exactly as sent, except the `AuthHeader`'s password,
//!   replaced by `REDACTED` (absent for a request without a body, such as `GET ?WSDL`);
//! - `NAME.resp.xml`: the response body exactly as received.
//!
//! The recorder names exchanges `0001-GetPackages`, `0002-UpgradeUserPackage`, ...: the order
//! of the names is the order of the exchanges.
//!
//! ```text
//! # request
//! POST /adminportal/webservice.asmx HTTP/1.1
//! Content-Type: text/xml; charset=utf-8
//! SOAPAction: "Logisense_EngageIP/GetPackages"
//!
//! # response
//! HTTP/1.1 200 OK
//! Content-Type: text/xml; charset=utf-8
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::runtime::XmlReader;

/// What replaces the `AuthHeader`'s password in a stored request.
pub const REDACTED: &str = "REDACTED";

/// One recorded exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// The common name of its files (`0001-GetPackages`).
    pub name: String,
    /// The request method.
    pub method: String,
    /// The request target as sent (path and query).
    pub target: String,
    /// The request's headers, as (name, value), in order.
    pub request_headers: Vec<(String, String)>,
    /// The request body (empty when there was none).
    pub request_body: Vec<u8>,
    /// The response status.
    pub status: u16,
    /// The response's headers, as (name, value), in order.
    pub response_headers: Vec<(String, String)>,
    /// The response body.
    pub response_body: Vec<u8>,
}

/// Why a recording directory could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordingError {
    /// A file could not be read or listed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// An `.http.txt` file is not in the documented form.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

impl Recording {
    /// The request's header `name` (case-insensitive), if any.
    pub fn request_header(&self, name: &str) -> Option<&str> {
        header(&self.request_headers, name)
    }

    /// The response's header `name` (case-insensitive), if any.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        header(&self.response_headers, name)
    }

    /// The `.http.txt` text.
    pub fn http_text(&self) -> String {
        let mut out = format!("# request\n{} {} HTTP/1.1\n", self.method, self.target);
        for (k, v) in &self.request_headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        out.push_str(&format!("\n# response\nHTTP/1.1 {} {}\n", self.status, reason(self.status)));
        for (k, v) in &self.response_headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        out
    }

    /// Writes the exchange's files into `dir`.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        if !self.request_body.is_empty() {
            fs::write(dir.join(format!("{}.req.xml", self.name)), &self.request_body)?;
        }
        fs::write(dir.join(format!("{}.resp.xml", self.name)), &self.response_body)?;
        // Last: an exchange is complete once its `.http.txt` exists.
        fs::write(dir.join(format!("{}.http.txt", self.name)), self.http_text())
    }
}

/// The reason phrase of a status, for the `.http.txt` status line.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Reads every exchange of `dir` (each `NAME.http.txt` with its `NAME.resp.xml` and, when
/// present, `NAME.req.xml`), sorted by name.
pub fn read_dir(dir: &Path) -> Result<Vec<Recording>, RecordingError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RecordingError::Io { path, source }
    };
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".http.txt")).map(str::to_owned))
        .collect();
    names.sort();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let http_path = dir.join(format!("{name}.http.txt"));
        let http = fs::read(&http_path).map_err(io_err(&http_path))?;
        let http = String::from_utf8_lossy(&http);
        let resp_path = dir.join(format!("{name}.resp.xml"));
        let response_body = fs::read(&resp_path).map_err(io_err(&resp_path))?;
        let req_path = dir.join(format!("{name}.req.xml"));
        let request_body = match fs::read(&req_path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(RecordingError::Io { path: req_path, source: e }),
        };
        out.push(parse_http(&http_path, &http, name, request_body, response_body)?);
    }
    Ok(out)
}

fn parse_http(
    path: &Path,
    text: &str,
    name: String,
    request_body: Vec<u8>,
    response_body: Vec<u8>,
) -> Result<Recording, RecordingError> {
    let bad = |line: usize, message: &str| RecordingError::Format {
        path: path.to_path_buf(),
        line,
        message: message.to_owned(),
    };
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let request_at = lines.iter().position(|l| l.trim() == "# request").ok_or_else(|| bad(1, "no `# request` line"))?;
    let response_at =
        lines.iter().position(|l| l.trim() == "# response").ok_or_else(|| bad(lines.len(), "no `# response` line"))?;
    if response_at < request_at {
        return Err(bad(response_at + 1, "`# response` before `# request`"));
    }
    let section = |from: usize, to: usize| -> Vec<(usize, &str)> {
        (from + 1..to).map(|i| (i, lines[i])).filter(|(_, l)| !l.trim().is_empty()).collect()
    };
    let request = section(request_at, response_at);
    let response = section(response_at, lines.len());
    let (&(req_line_at, request_line), request_headers) =
        request.split_first().ok_or_else(|| bad(request_at + 2, "no request line"))?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().ok_or_else(|| bad(req_line_at + 1, "no method"))?.to_owned();
    let target = parts.next().ok_or_else(|| bad(req_line_at + 1, "no request target"))?.to_owned();
    let (&(status_at, status_line), response_headers) =
        response.split_first().ok_or_else(|| bad(response_at + 2, "no status line"))?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad(status_at + 1, "no HTTP status in the status line"))?;
    let headers = |lines: &[(usize, &str)]| -> Result<Vec<(String, String)>, RecordingError> {
        lines
            .iter()
            .map(|(i, l)| {
                let (k, v) = l.split_once(':').ok_or_else(|| bad(i + 1, "a header line without `:`"))?;
                Ok((k.trim().to_owned(), v.trim().to_owned()))
            })
            .collect()
    };
    Ok(Recording {
        name,
        method,
        target,
        request_headers: headers(request_headers)?,
        request_body,
        status,
        response_headers: headers(response_headers)?,
        response_body,
    })
}

/// The request body with the text of the `AuthHeader`'s `Password` element (in the SOAP
/// header, any namespace) replaced by [`REDACTED`], and the password found there, if any.
/// A body that is not a readable envelope is returned as is.
pub fn redact_password(body: &[u8]) -> (Vec<u8>, Option<String>) {
    let Ok(text) = std::str::from_utf8(body) else { return (body.to_vec(), None) };
    match password_span(text) {
        Some((range, secret)) => {
            let redacted = format!("{}{REDACTED}{}", &text[..range.start], &text[range.end..]);
            (redacted.into_bytes(), Some(secret).filter(|s| !s.is_empty()))
        }
        None => (body.to_vec(), None),
    }
}

/// Where the `AuthHeader`'s password text lies, and its value.
fn password_span(text: &str) -> Option<(std::ops::Range<usize>, String)> {
    let mut r = XmlReader::new(text).decoded_text();
    let envelope = r.root().ok()?;
    while let Some(part) = r.next_child(&envelope).ok()? {
        if part.local_name() != "Header" {
            r.skip(&part).ok()?;
            continue;
        }
        while let Some(header) = r.next_child(&part).ok()? {
            if header.local_name() != "AuthHeader" {
                r.skip(&header).ok()?;
                continue;
            }
            while let Some(field) = r.next_child(&header).ok()? {
                if field.local_name() != "Password" {
                    r.skip(&field).ok()?;
                    continue;
                }
                let raw = r.read_raw_content(&field).ok()?;
                let start = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
                // The value, entity references resolved, read from the raw content alone.
                let wrapped = format!("<p>{raw}</p>");
                let mut p = XmlReader::new(&wrapped);
                let root = p.root().ok()?;
                let secret = p.read_text(&root).ok()?.into_owned();
                return Some((start..start + raw.len(), secret));
            }
        }
    }
    None
}

/// `text` with `secret` (as is, and XML-escaped) replaced by [`REDACTED`].
pub fn scrub(text: &[u8], secret: &str) -> Vec<u8> {
    if secret.is_empty() {
        return text.to_vec();
    }
    let mut out = String::from_utf8_lossy(text).into_owned();
    let mut escaped = String::with_capacity(secret.len());
    for c in secret.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    for needle in [secret, escaped.as_str()] {
        out = out.replace(needle, REDACTED);
    }
    if out.as_bytes() == text { text.to_vec() } else { out.into_bytes() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_in_the_auth_header_only() {
        let body = b"<s:Envelope xmlns:s=\"urn:s\"><s:Header><AuthHeader xmlns=\"L\"><Username>u</Username><Password>p&amp;w</Password></AuthHeader></s:Header><s:Body><X><Password>keep</Password></X></s:Body></s:Envelope>";
        let (redacted, secret) = redact_password(body);
        let text = String::from_utf8(redacted).expect("UTF-8");
        assert!(text.contains("<Password>REDACTED</Password></AuthHeader>"), "{text}");
        assert!(text.contains("<Password>keep</Password>"), "{text}");
        assert_eq!(secret.as_deref(), Some("p&w"));
        assert_eq!(scrub(b"a p&amp;w p&w b", "p&w"), b"a REDACTED REDACTED b");
    }

    #[test]
    fn http_text_round_trips() {
        let r = Recording {
            name: "0001-GetPackages".into(),
            method: "POST".into(),
            target: "/adminportal/webservice.asmx".into(),
            request_headers: vec![("Content-Type".into(), "text/xml; charset=utf-8".into())],
            request_body: b"<a/>".to_vec(),
            status: 500,
            response_headers: vec![("Content-Type".into(), "text/xml; charset=utf-8".into())],
            response_body: b"<b/>".to_vec(),
        };
        let parsed =
            parse_http(Path::new("x"), &r.http_text(), r.name.clone(), r.request_body.clone(), r.response_body.clone())
                .expect("parses");
        assert_eq!(parsed, r);
        let e =
            parse_http(Path::new("x.http.txt"), "# request\n\n# response\nHTTP/1.1 x\n", "n".into(), vec![], vec![])
                .expect_err("no request line");
        assert!(e.to_string().starts_with("x.http.txt:"), "{e}");
    }
}
