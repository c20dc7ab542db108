//! `cargo xtask drift --against URL_OR_FILE [--json] [--from WSDL]`: compares the committed
//! service description with a live `...asmx?WSDL` (or a file) by meaning, using
//! `codegen::drift`; this module only reads files and fetches URLs.
//!
//! Exit status: 0 no drift, 1 compatible drift only, 2 breaking drift, 3 could not compare
//! (unreachable URL, HTTP error, malformed or unsupported WSDL).

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use codegen::drift::{compare, json_string};
use codegen::{Input, SourceFile};

use crate::regen::workspace_root;

/// Exit status when the descriptions could not be compared.
pub const CANNOT_COMPARE: u8 = 3;

const USAGE: &str = "usage: cargo xtask drift --against URL_OR_FILE [--json] [--from WSDL]

  --against URL_OR_FILE  the live service's description (http://host/path.asmx?WSDL) or a file
  --json                 print one JSON object instead of text
  --from WSDL            the description callers were built against (default wsdl/engageip.wsdl)

exit status: 0 no drift, 1 compatible drift, 2 breaking drift, 3 could not compare";

/// Largest description fetched.
const MAX_BYTES: usize = 64 * 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const IO_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_REDIRECTS: usize = 5;

/// Runs the command; returns the process exit status.
pub fn main(args: &[&str]) -> ExitCode {
    let mut against = None;
    let mut json = false;
    let mut from = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--against" => against = it.next().copied(),
            "--json" => json = true,
            "--from" => from = it.next().copied(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(CANNOT_COMPARE);
            }
        }
    }
    let Some(against) = against else {
        eprintln!("--against is required\n{USAGE}");
        return ExitCode::from(CANNOT_COMPARE);
    };
    let root = workspace_root();
    let from = from.map_or_else(|| root.join("wsdl/engageip.wsdl"), PathBuf::from);
    match run(&from, against) {
        Ok(report) => {
            if json {
                println!("{}", report.to_json());
            } else {
                println!("schema drift: {} → {against}", from.display());
                print!("{report}");
            }
            ExitCode::from(report.exit_code())
        }
        Err(message) => {
            if json {
                println!("{{\"status\":\"error\",\"error\":{}}}", json_string(&message));
            }
            eprintln!("error: could not compare: {message}");
            ExitCode::from(CANNOT_COMPARE)
        }
    }
}

/// Loads both descriptions and compares them.
pub fn run(from: &Path, against: &str) -> Result<codegen::drift::Report, String> {
    let old = file_input(from)?;
    let new = if against.starts_with("http://") || against.starts_with("https://") {
        let text = fetch(against)?;
        Input::new(against, text)
    } else {
        file_input(Path::new(against))?
    };
    compare(&old, &new).map_err(|e| e.to_string())
}

/// A WSDL file and the `.xsd` and other `.wsdl` files of its directory (where relative imports
/// point).
fn file_input(path: &Path) -> Result<Input, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut input = Input::new(name.clone(), text);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(entries) = fs::read_dir(dir) {
        let mut xsds: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".xsd") || (n.ends_with(".wsdl") && *n != name))
            .collect();
        xsds.sort();
        for xsd in xsds {
            let text = fs::read_to_string(dir.join(&xsd)).map_err(|e| format!("cannot read {xsd}: {e}"))?;
            input.schemas.push(SourceFile { path: xsd, text });
        }
    }
    Ok(input)
}

/// `http://host[:port]/path?query` split into (host, port, path-and-query).
fn parse_http_url(url: &str) -> Result<(String, u16, String), String> {
    if url.starts_with("https://") {
        return Err(format!(
            "{url}: https is not fetched by this tool (xtask has no TLS stack); download the description with \
             `curl -o service.wsdl '{url}'` and pass the file to --against"
        ));
    }
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("{url}: not an http:// URL"))?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') { format!("/{path}") } else { path.to_owned() };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let port_of = |p: &str| p.parse::<u16>().map_err(|_| format!("{url}: `{p}` is not a port"));
    let (host, port) = if authority.starts_with('[') {
        match authority.split_once("]:") {
            Some((h, p)) => (format!("{h}]"), port_of(p)?),
            None => (authority.to_owned(), 80),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), port_of(p)?),
            None => (authority.to_owned(), 80),
        }
    };
    if host.is_empty() {
        return Err(format!("{url}: no host"));
    }
    Ok((host, port, path))
}

/// A tiny blocking HTTP/1.1 GET over `std::net`: enough to read a `?WSDL` page.
pub fn fetch(url: &str) -> Result<String, String> {
    let mut url = url.to_owned();
    for _ in 0..=MAX_REDIRECTS {
        let (host, port, path) = parse_http_url(&url)?;
        let addrs: Vec<_> = (host.trim_matches(['[', ']']), port)
            .to_socket_addrs()
            .map_err(|e| format!("{url}: cannot resolve {host}: {e}"))?
            .collect();
        let mut stream = None;
        let mut last_error = None;
        for addr in &addrs {
            match TcpStream::connect_timeout(addr, CONNECT_TIMEOUT) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last_error = Some(e),
            }
        }
        let mut stream = stream.ok_or_else(|| {
            format!(
                "{url}: cannot connect to {host}:{port}: {}",
                last_error.map_or_else(|| "no address".to_owned(), |e| e.to_string())
            )
        })?;
        stream.set_read_timeout(Some(IO_TIMEOUT)).map_err(|e| format!("{url}: {e}"))?;
        stream.set_write_timeout(Some(IO_TIMEOUT)).map_err(|e| format!("{url}: {e}"))?;
        let host_header = if port == 80 { host.clone() } else { format!("{host}:{port}") };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: engageip-rs-xtask-drift\r\nAccept: text/xml, application/xml, */*\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).map_err(|e| format!("{url}: cannot send the request: {e}"))?;
        let mut raw = Vec::new();
        stream
            .take(MAX_BYTES as u64 + 64 * 1024)
            .read_to_end(&mut raw)
            .map_err(|e| format!("{url}: cannot read the response: {e}"))?;
        let split =
            raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| format!("{url}: not an HTTP response"))?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let body = &raw[split + 4..];
        let mut lines = head.lines();
        let status_line = lines.next().unwrap_or_default();
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("{url}: malformed status line `{status_line}`"))?;
        let header = |name: &str| {
            head.lines().skip(1).find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
        };
        if (300..400).contains(&status) {
            let location = header("location").ok_or_else(|| format!("{url}: HTTP {status} without a Location"))?;
            url = if location.starts_with("http://") || location.starts_with("https://") {
                location
            } else if location.starts_with('/') {
                format!("http://{host_header}{location}")
            } else {
                return Err(format!("{url}: unsupported redirect to `{location}`"));
            };
            continue;
        }
        if status != 200 {
            return Err(format!("{url}: HTTP {status_line}"));
        }
        let body = if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            dechunk(body).ok_or_else(|| format!("{url}: malformed chunked response"))?
        } else {
            body.to_vec()
        };
        if body.len() > MAX_BYTES {
            return Err(format!("{url}: the description is larger than {MAX_BYTES} bytes"));
        }
        return String::from_utf8(body).map_err(|_| format!("{url}: the description is not UTF-8"));
    }
    Err(format!("{url}: more than {MAX_REDIRECTS} redirects"))
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split() {
        assert_eq!(parse_http_url("http://h/x.asmx?WSDL").unwrap(), ("h".into(), 80, "/x.asmx?WSDL".into()));
        assert_eq!(parse_http_url("http://h:8080?wsdl").unwrap(), ("h".into(), 8080, "/?wsdl".into()));
        assert_eq!(parse_http_url("http://[::1]:81/a").unwrap(), ("[::1]".into(), 81, "/a".into()));
        assert!(parse_http_url("https://h/x").unwrap_err().contains("curl"));
        assert!(parse_http_url("http://h:port/x").is_err());
    }

    #[test]
    fn chunked_bodies_join() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(), Some(&b"abcde"[..]));
        assert_eq!(dechunk(b"5\r\nab"), None);
    }
}
