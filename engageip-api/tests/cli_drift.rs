//! `engageip drift`, run as a process: the evolution fixtures give each exit status in text,
//! `--json` and `--markdown`; a live `?WSDL` over loopback HTTP; what cannot be compared
//! (unreachable, not a WSDL, HTTP errors) ends in exit 3 with a message saying which. The CI
//! recipe users copy (`docs/ci/engageip-drift.yml`) runs its own step against a local server.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_engageip");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn golden(case: &str) -> String {
    root().join("engageip-api/tests/golden").join(case).join("service.wsdl").display().to_string()
}

/// The environment's proxies must not stand between a test and its loopback server.
const PROXY_VARS: &[&str] = &["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

fn drift(against: &str, extra: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.args(["drift", "--against", against]).args(extra);
    for var in PROXY_VARS {
        command.env_remove(var);
    }
    command.output().expect("engageip runs")
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

/// Each evolution case, the exit status it gives, and one change it must name.
const CASES: &[(&str, i32, &str, &str)] = &[
    ("engageip", 0, "", ""),
    ("engageip_new_field", 1, "field-added", "Package.TaxCode"),
    ("engageip_new_operation", 1, "operation-added", "operation GetPackageByID"),
    ("engageip_changed_type", 2, "field-type-changed", "Package.Frequency"),
    ("engageip_removed_operation", 2, "operation-removed", "operation UpgradeUserPackage"),
];

#[test]
fn evolution_fixtures_give_each_exit_status_as_text() {
    for (case, code, _, subject) in CASES {
        let out = drift(&golden(case), &[]);
        assert_eq!(status(&out), *code, "{case}: {}{}", stdout(&out), stderr(&out));
        assert!(stderr(&out).is_empty(), "{case}: {}", stderr(&out));
        let text = stdout(&out);
        match code {
            0 => assert!(text.contains("no drift: the descriptions mean the same"), "{text}"),
            1 => assert!(text.contains("compatible changes:") && !text.contains("breaking changes:"), "{text}"),
            _ => assert!(text.contains("breaking changes:"), "{text}"),
        }
        if !subject.is_empty() {
            assert!(text.contains(&format!("  - {subject}: ")), "{case}: {text}");
        }
    }
    // Why, for this client, in words.
    let text = stdout(&drift(&golden("engageip_new_field"), &[]));
    assert!(text.contains("compatible: this client skips elements it does not know"), "{text}");
    let text = stdout(&drift(&golden("engageip_changed_type"), &[]));
    assert!(text.contains("breaking: this client cannot read every value of the new type"), "{text}");
    assert!(text.contains("at: operation GetPackages / response GetPackagesResponse / "), "{text}");
    let text = stdout(&drift(&golden("engageip_removed_operation"), &[]));
    assert!(text.contains("breaking: calls to it fail: the service no longer has it"), "{text}");
}

#[test]
fn evolution_fixtures_as_json() {
    for (case, code, kind, subject) in CASES {
        let out = drift(&golden(case), &["--json"]);
        assert_eq!(status(&out), *code, "{case}");
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{case}: {e}: {}", stdout(&out)));
        let expected_status = ["none", "compatible", "breaking"][*code as usize];
        assert_eq!(v["status"], expected_status, "{case}");
        let changes = v["changes"].as_array().expect("changes");
        let count = |s: &str| changes.iter().filter(|c| c["severity"] == s).count() as u64;
        assert_eq!(v["breaking"], count("breaking"), "{case}");
        assert_eq!(v["compatible"], count("compatible"), "{case}");
        for c in changes {
            for field in ["severity", "kind", "subject", "path", "detail", "why"] {
                assert!(c[field].as_str().is_some_and(|s| !s.is_empty()), "{case}: {field} in {c}");
            }
        }
        if !kind.is_empty() {
            assert!(changes.iter().any(|c| c["kind"] == *kind && c["subject"] == *subject), "{case}: {v}");
        }
    }
}

#[test]
fn evolution_fixtures_as_markdown() {
    for (case, code, _, subject) in CASES {
        let out = drift(&golden(case), &["--markdown"]);
        assert_eq!(status(&out), *code, "{case}");
        let md = stdout(&out);
        assert!(md.starts_with("### EngageIP schema drift: "), "{md}");
        let verdict = ["**No drift**", "**Compatible drift**", "**Breaking drift**"][*code as usize];
        assert!(md.contains(verdict), "{case}: {md}");
        if !subject.is_empty() {
            assert!(md.contains("| Severity | What | Change | Why | Where |"), "{md}");
            assert!(md.contains(&format!("| `{subject}` |")), "{case}: {md}");
        }
    }
    let out = drift("/nonexistent/service.wsdl", &["--markdown"]);
    assert_eq!(status(&out), 3);
    assert!(
        stdout(&out).contains("**Could not compare** (read): cannot read /nonexistent/service.wsdl"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn json_and_markdown_are_exclusive() {
    let out = drift(&golden("engageip"), &["--json", "--markdown"]);
    assert_eq!(status(&out), 3, "a usage error of drift is `could not compare`, not breaking drift");
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
}

/// Serves `responses` on loopback, one per connection, in order; returns the base URL and a
/// handle that yields the request heads received.
pub fn serve(responses: Vec<Vec<u8>>) -> (String, thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = thread::spawn(move || {
        let mut heads = Vec::new();
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
            heads.push(String::from_utf8_lossy(&request).into_owned());
            let _ = stream.write_all(&response);
        }
        heads
    });
    (url, handle)
}

pub fn ok(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn fixture(case: &str) -> String {
    std::fs::read_to_string(golden(case)).expect("fixture")
}

#[test]
fn a_live_wsdl_over_http_and_what_cannot_be_compared() {
    let (url, server) = serve(vec![
        ok("text/xml; charset=utf-8", &fixture("engageip_removed_operation")),
        b"HTTP/1.1 301 Moved\r\nLocation: /BOSS/WebService.asmx?WSDL\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec(),
        ok("text/xml; charset=utf-8", &fixture("engageip")),
        ok("text/html", "<html><body><h1>Service Unavailable</h1></body></html>"),
        ok("text/plain", "Service Unavailable"),
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    ]);
    let endpoint = format!("{url}/adminportal/webservice.asmx?WSDL");

    let out = drift(&endpoint, &["--json"]);
    assert_eq!(status(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains(r#""subject":"operation UpgradeUserPackage""#), "{}", stdout(&out));

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 0, "after a redirect: {}{}", stdout(&out), stderr(&out));

    let out = drift(&endpoint, &["--json"]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("could not compare: not a WSDL: "), "{}", stderr(&out));
    assert!(stderr(&out).contains("the root element is `html`, not wsdl:definitions"), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["status"], "error");
    assert_eq!(v["error"]["kind"], "not-wsdl");

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("not a WSDL") && stderr(&out).contains("not XML"), "{}", stderr(&out));

    let out = drift(&endpoint, &[]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("could not compare: HTTP 503 from "), "{}", stderr(&out));

    let heads = server.join().expect("server");
    assert!(heads[0].starts_with("GET /adminportal/webservice.asmx?WSDL HTTP/1.1\r\n"), "{}", heads[0]);
    assert!(heads[2].starts_with("GET /BOSS/WebService.asmx?WSDL HTTP/1.1\r\n"), "{}", heads[2]);
    assert!(!heads.iter().any(|h| h.to_ascii_lowercase().contains("authorization")), "no credentials are sent");
}

#[test]
fn an_unreachable_host_cannot_be_compared() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port");
    let out = drift(&format!("http://127.0.0.1:{port}/adminportal/webservice.asmx?WSDL"), &["--json"]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("could not compare: unreachable: "), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["error"]["kind"], "unreachable");
}

/// The `run: |` block of the step with `id: drift` in the workflow file.
fn workflow_step(yml: &str) -> String {
    let lines: Vec<&str> = yml.lines().collect();
    let id = lines.iter().position(|l| l.trim() == "id: drift").expect("a step with id: drift");
    let run = lines[id..].iter().position(|l| l.trim() == "run: |").map(|i| id + i).expect("its run: | block");
    let indent = lines[run].len() - lines[run].trim_start().len() + 2;
    lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_ci_recipe_runs_against_a_local_server() {
    let yml = std::fs::read_to_string(root().join("docs/ci/engageip-drift.yml")).expect("the recipe");
    assert!(yml.contains("cargo install engageip-api") && yml.contains("--features cli"), "it installs the CLI");
    assert!(yml.contains("schedule:") && yml.contains("workflow_dispatch:"), "nightly and on demand");
    let script = workflow_step(&yml);
    assert!(script.contains("engageip drift --against \"$ENGAGEIP_WSDL_URL\" --markdown"), "{script}");
    let bin_dir = Path::new(BIN).parent().expect("the binary's directory");
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let dir = std::env::temp_dir().join(format!("engageip-ci-recipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    let (url, server) = serve(vec![
        ok("text/xml; charset=utf-8", &fixture("engageip")),
        ok("text/xml; charset=utf-8", &fixture("engageip_new_field")),
        ok("text/xml; charset=utf-8", &fixture("engageip_changed_type")),
    ]);
    let run = |expected: i32| -> (String, String) {
        let summary = dir.join("summary.md");
        let _ = std::fs::remove_file(&summary);
        let mut bash = Command::new("bash");
        for var in PROXY_VARS {
            bash.env_remove(var);
        }
        let out = bash
            .args(["-e", "-o", "pipefail", "-c", &script])
            .current_dir(&dir)
            .env("PATH", &path)
            .env("ENGAGEIP_WSDL_URL", format!("{url}/adminportal/webservice.asmx?WSDL"))
            .env("ENGAGEIP_CA_CERT", "")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("RUNNER_TEMP", &dir)
            .output()
            .expect("bash runs");
        assert_eq!(status(&out), expected, "{}{}", stdout(&out), stderr(&out));
        (std::fs::read_to_string(&summary).unwrap_or_default(), stdout(&out))
    };
    let (summary, _) = run(0);
    assert!(summary.contains("**No drift**"), "{summary}");
    let (summary, log) = run(0);
    assert!(summary.contains("**Compatible drift**") && summary.contains("`Package.TaxCode`"), "{summary}");
    assert!(log.contains("::warning::"), "{log}");
    let (summary, log) = run(1);
    assert!(summary.contains("**Breaking drift**") && summary.contains("`Package.Frequency`"), "{summary}");
    assert!(log.contains("::error::breaking drift"), "{log}");
    server.join().expect("server");

    // Nothing listening: the job fails, and says it could not compare.
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port");
    let mut bash = Command::new("bash");
    for var in PROXY_VARS {
        bash.env_remove(var);
    }
    let out = bash
        .args(["-e", "-o", "pipefail", "-c", &script])
        .current_dir(&dir)
        .env("PATH", &path)
        .env("ENGAGEIP_WSDL_URL", format!("http://127.0.0.1:{port}/adminportal/webservice.asmx?WSDL"))
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("RUNNER_TEMP", &dir)
        .output()
        .expect("bash runs");
    assert_eq!(status(&out), 1);
    assert!(stdout(&out).contains("::error::could not compare"), "{}", stdout(&out));
    assert!(stderr(&out).contains("unreachable"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_redirect_loop_cannot_be_compared() {
    let redirect =
        b"HTTP/1.1 302 Found\r\nLocation: /again?WSDL\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec();
    let (url, server) = serve(vec![redirect; 6]);
    let out = drift(&format!("{url}/adminportal/webservice.asmx?WSDL"), &[]);
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("more than 5 redirects"), "{}", stderr(&out));
    assert_eq!(server.join().expect("server").len(), 6);
}

/// The committed description split in two: the WSDL imports its schema from `types.xsd`.
fn split() -> (String, String) {
    let wsdl = fixture("engageip");
    let start = wsdl.find("    <s:schema ").expect("the schema");
    let end = wsdl.find("</s:schema>").expect("its end") + "</s:schema>".len();
    let schema = wsdl[start..end].replacen(
        "<s:schema ",
        "<s:schema xmlns:s=\"http://www.w3.org/2001/XMLSchema\" xmlns:tns=\"Logisense_EngageIP\" ",
        1,
    );
    let importing = format!(
        "{}<s:schema xmlns:s=\"http://www.w3.org/2001/XMLSchema\"><s:import namespace=\"Logisense_EngageIP\" schemaLocation=\"types.xsd\" /></s:schema>{}",
        &wsdl[..start],
        &wsdl[end..]
    );
    (importing, format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{schema}"))
}

#[test]
fn imported_schemas_are_read_from_files_and_fetched_over_http() {
    let (wsdl, xsd) = split();
    let dir = std::env::temp_dir().join(format!("engageip-drift-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("service.wsdl"), &wsdl).expect("write");
    std::fs::write(dir.join("types.xsd"), &xsd).expect("write");
    let out = drift(&dir.join("service.wsdl").display().to_string(), &[]);
    assert_eq!(status(&out), 0, "{}{}", stdout(&out), stderr(&out));

    let without_sku = xsd.replacen(
        r#"<s:element minOccurs="0" maxOccurs="1" name="SKU" type="s:string">"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="Sku" type="s:string">"#,
        1,
    );
    assert_ne!(without_sku, xsd);
    let (url, server) = serve(vec![ok("text/xml", &wsdl), ok("text/xml", &without_sku)]);
    let out = drift(&format!("{url}/adminportal/webservice.asmx?WSDL"), &[]);
    assert_eq!(status(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("Package.SKU: removed from the response"), "{}", stdout(&out));
    let heads = server.join().expect("server");
    assert!(heads[1].starts_with("GET /adminportal/types.xsd HTTP/1.1\r\n"), "{}", heads[1]);
    let _ = std::fs::remove_dir_all(dir);
}
