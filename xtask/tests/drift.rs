//! `cargo xtask drift` and `cargo xtask sync-wsdl`, run as processes: every exit status, text,
//! JSON and Markdown output, files and a live `?WSDL` served over loopback HTTP.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The xtask binary, with no proxy from the environment between it and loopback servers.
fn xtask() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    for var in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        command.env_remove(var);
    }
    command
}

fn golden(case: &str) -> String {
    root().join("engageip-api/tests/golden").join(case).join("service.wsdl").display().to_string()
}

/// Runs `xtask drift` comparing against `against`, from today's EngageIP snapshot.
fn drift(against: &str, extra: &[&str]) -> Output {
    xtask()
        .args(["drift", "--from", &golden("engageip"), "--against", against])
        .args(extra)
        .output()
        .expect("xtask runs")
}

fn status(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn files_give_each_exit_status() {
    let same = drift(&golden("engageip"), &[]);
    assert_eq!(status(&same), 0, "{}", stdout(&same));
    assert!(stdout(&same).contains("no drift"));

    for case in ["engageip_new_field", "engageip_new_operation", "engageip_enum"] {
        let out = drift(&golden(case), &[]);
        assert_eq!(status(&out), 1, "{case}: {}", stdout(&out));
        assert!(stdout(&out).contains("compatible changes:"), "{case}");
    }
    for case in ["engageip_removed_operation", "engageip_changed_type"] {
        let out = drift(&golden(case), &[]);
        assert_eq!(status(&out), 2, "{case}: {}", stdout(&out));
        assert!(stdout(&out).contains("breaking changes:"), "{case}");
    }
    let removed = stdout(&drift(&golden("engageip_removed_operation"), &[]));
    assert!(removed.contains("operation UpgradeUserPackage: removed"), "{removed}");
    let changed = stdout(&drift(&golden("engageip_changed_type"), &[]));
    assert!(
        changed.contains("Package.Frequency: type changed from xs:int to xs:string (in the response)"),
        "{changed}"
    );
}

#[test]
fn json_and_markdown() {
    let out = xtask()
        .args(["drift", "--json", "--from", &golden("engageip_enum"), "--against", &golden("engageip_enum_value")])
        .output()
        .expect("xtask runs");
    assert_eq!(status(&out), 1);
    assert_eq!(
        stdout(&out).trim(),
        r#"{"status":"compatible","breaking":0,"compatible":1,"changes":[{"severity":"compatible","kind":"enum-value-added","subject":"PackageStatus","path":"operation GetPackages / response GetPackagesResponse / GetPackagesResponse.GetPackagesResult / Package.Status / PackageStatus","detail":"new value `Retired` (in the response)","why":"this client keeps a value it does not know as `Unknown`"}]}"#
    );
    let bad = drift("/nonexistent/service.wsdl", &["--json"]);
    assert_eq!(status(&bad), 3);
    assert!(
        stdout(&bad).starts_with(
            r#"{"status":"error","error":{"kind":"read","message":"cannot read /nonexistent/service.wsdl"#
        ),
        "{}",
        stdout(&bad)
    );
    let md = drift(&golden("engageip_removed_operation"), &["--markdown"]);
    assert_eq!(status(&md), 2);
    assert!(
        stdout(&md).contains("| **breaking** | `operation UpgradeUserPackage` | removed | calls to it fail"),
        "{}",
        stdout(&md)
    );
}

#[test]
fn malformed_or_missing_input_cannot_be_compared() {
    let dir = std::env::temp_dir().join(format!("xtask-drift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let broken = dir.join("broken.wsdl");
    std::fs::write(
        &broken,
        "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n  <oops>\n</wsdl:definitions>",
    )
    .expect("write");
    let out = drift(&broken.display().to_string(), &[]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("could not compare") && stderr(&out).contains("broken.wsdl:3:"), "{}", stderr(&out));
    let usage = xtask().args(["drift"]).output().expect("xtask runs");
    assert_eq!(status(&usage), 3);
    let _ = std::fs::remove_dir_all(dir);
}

/// Serves `responses` (one per connection, in order) on loopback; returns the base URL and
/// a handle yielding the request lines received.
fn serve(responses: Vec<Vec<u8>>) -> (String, thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = thread::spawn(move || {
        let mut lines = Vec::new();
        for response in responses {
            let Ok((mut stream, _)) = listener.accept() else { break };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            lines.push(String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_owned());
            let _ = stream.write_all(&response);
        }
        lines
    });
    (url, handle)
}

fn ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
        .into_bytes()
}

fn chunked(body: &str) -> Vec<u8> {
    let mut out =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for piece in body.as_bytes().chunks(700) {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

#[test]
fn live_wsdl_over_http() {
    let removed = std::fs::read_to_string(golden("engageip_removed_operation")).expect("fixture");
    let same = std::fs::read_to_string(golden("engageip")).expect("fixture");
    let (url, server) = serve(vec![
        ok(&removed),
        chunked(&same),
        b"HTTP/1.1 302 Found\r\nLocation: /moved/webservice.asmx?WSDL\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec(),
        ok(&same),
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
        ok("<html><body>Service unavailable</body></html>"),
    ]);
    let endpoint = format!("{url}/adminportal/webservice.asmx?WSDL");

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("operation UpgradeUserPackage: removed"), "{}", stdout(&out));

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 0, "chunked: {}{}", stdout(&out), stderr(&out));

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 0, "redirect: {}{}", stdout(&out), stderr(&out));

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("HTTP 404 from"), "{}", stderr(&out));

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 3, "not a WSDL");
    assert!(
        stderr(&out).contains("not a WSDL") && stderr(&out).contains("`html`, not wsdl:definitions"),
        "{}",
        stderr(&out)
    );

    let lines = server.join().expect("server");
    assert_eq!(lines[0], "GET /adminportal/webservice.asmx?WSDL HTTP/1.1");
    assert_eq!(lines[2], "GET /adminportal/webservice.asmx?WSDL HTTP/1.1");
    assert_eq!(lines[3], "GET /moved/webservice.asmx?WSDL HTTP/1.1");
}

#[test]
fn unreachable_service_cannot_be_compared() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port");
    let out = drift(&format!("http://127.0.0.1:{port}/webservice.asmx?WSDL"), &[]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("could not compare: unreachable:"), "{}", stderr(&out));
}

/// `text` with every documentation line removed, as a live `?WSDL` serves it.
fn without_documentation(text: &str) -> String {
    text.split('\n')
        .filter(|l| {
            !["<s:annotation>", "<s:documentation>", "</s:annotation>", "<wsdl:documentation"]
                .iter()
                .any(|m| l.contains(m))
        })
        .filter(|l| !l.starts_with("<!--"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sync_wsdl_keeps_the_prose_and_lists_what_is_new() {
    let dir = std::env::temp_dir().join(format!("xtask-sync-wsdl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let target = dir.join("engageip.wsdl");
    let committed = std::fs::read(root().join("wsdl/engageip.wsdl")).expect("committed WSDL");
    std::fs::write(&target, &committed).expect("copy");
    let sync = |from: &str| {
        xtask()
            .args(["sync-wsdl", "--from", from, "--wsdl", &target.display().to_string()])
            .output()
            .expect("xtask runs")
    };

    // Against the committed file itself: not a byte changes.
    let out = sync(&root().join("wsdl/engageip.wsdl").display().to_string());
    assert_eq!(status(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("no drift") && stdout(&out).contains("unchanged"), "{}", stdout(&out));
    assert!(std::fs::read(&target).expect("read") == committed);

    // A later EngageIP served without prose: its TaxCode is new, everything else keeps its prose.
    let later = std::fs::read_to_string(golden("engageip_new_field")).expect("fixture");
    let (url, server) = serve(vec![ok(&without_documentation(&later))]);
    let out = sync(&format!("{url}/adminportal/webservice.asmx?WSDL"));
    assert_eq!(status(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let printed = stdout(&out);
    assert!(printed.contains("Package.TaxCode: added to the response"), "{printed}");
    assert!(
        printed.contains(
            "new items without documentation (add their prose):\n  - complexType Package / element TaxCode\n"
        ),
        "{printed}"
    );
    let written = std::fs::read_to_string(&target).expect("read");
    let expected = without_documentation(&later);
    // Every documentation element of the committed file is there, in place.
    let committed = String::from_utf8(committed).expect("UTF-8");
    for line in committed.split('\n').filter(|l| l.contains("documentation>")) {
        assert!(written.contains(line), "lost: {line}");
    }
    assert_eq!(without_documentation(&written), expected);
    assert!(!written.contains("Added in a later release"));
    server.join().expect("server");

    // What is not a WSDL is refused, and the file is left alone.
    let (url, server) = serve(vec![ok("<html><body>Service unavailable</body></html>")]);
    let before = std::fs::read(&target).expect("read");
    let out = sync(&format!("{url}/adminportal/webservice.asmx?WSDL"));
    assert_eq!(status(&out), 1);
    assert!(stderr(&out).contains("not a WSDL"), "{}", stderr(&out));
    assert!(std::fs::read(&target).expect("read") == before);
    server.join().expect("server");
    let _ = std::fs::remove_dir_all(dir);
}

/// The CLI's drift needs only the reading half of the generator: none of the code-writing
/// dependencies reach `engageip-api --features cli` (proc-macro dependencies aside).
#[test]
fn the_cli_does_not_pull_in_the_code_writing_half() {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(root())
        .args(["tree", "--offline", "-p", "engageip-api", "--features", "cli", "-e", "normal,no-proc-macro"])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = stdout(&out);
    assert!(tree.lines().any(|l| l.starts_with("engageip-codegen ")), "drift reads through the generator: {tree}");
    for heavy in ["syn ", "quote ", "prettyplease ", "proc-macro2 "] {
        assert!(!tree.lines().any(|l| l.starts_with(heavy)), "{heavy}in the CLI's tree:\n{tree}");
    }
}
