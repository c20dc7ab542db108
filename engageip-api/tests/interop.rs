//! Interop with independent stacks.
//!
//! - Python's zeep loads `wsdl/engageip.wsdl` and calls all five operations of `engageip serve`
//!   on loopback, in SOAP 1.1 and 1.2, checking results and faults
//!   (`tests/interop/zeep_interop.py`); and again with the WSDL fetched from the server
//!   (`?WSDL`) and the endpoint taken from its addresses. Runs when `ENGAGEIP_ZEEP_PYTHON`
//!   names a Python with zeep installed.
//! - The client's request envelopes (captured on the wire) and the server's response
//!   envelopes validate with `xmllint --schema` against the WSDL's own schema. Runs when
//!   `xmllint` is on the `PATH`.
//!
//! Each test prints a note and passes when its tool is missing, unless
//! `ENGAGEIP_REQUIRE_INTEROP` is set (as `.ci/run-interop` does): then it fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use engageip_api::server::{HttpRequest, dispatch};
use engageip_api::simulator::Simulator;
use engageip_api::{Client, Credentials, SoapVersion, UpdatePackage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_engageip");
const PASSWORD: &str = "interop-secret";
const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Skips (with a note) or, under `ENGAGEIP_REQUIRE_INTEROP`, fails.
fn missing(what: &str) {
    if std::env::var_os("ENGAGEIP_REQUIRE_INTEROP").is_some() {
        panic!("ENGAGEIP_REQUIRE_INTEROP is set but {what}");
    }
    eprintln!("note: interop test skipped: {what} (run .ci/run-interop to set it up)");
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn zeep_calls_every_operation_in_both_versions() {
    let Some(python) = std::env::var_os("ENGAGEIP_ZEEP_PYTHON") else {
        missing("ENGAGEIP_ZEEP_PYTHON (a Python with zeep) is not set");
        return;
    };
    let mut child = Command::new(BIN)
        .args(["--username", "admin", "serve", "--addr", "127.0.0.1:0"])
        .env("ENGAGEIP_PASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("engageip serve starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut url).expect("URL line");
    let _served = Served(child);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/zeep_interop.py");
    let wsdl = workspace().join("wsdl/engageip.wsdl");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&wsdl)
        .arg(url.trim())
        .arg("admin")
        .env("ENGAGEIP_PASSWORD", PASSWORD)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "zeep interop failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("zeep interop: all checks passed"), "{stdout}");
}

/// zeep reads the WSDL from the server itself (`?WSDL`) and calls the addresses it gives,
/// without being told the endpoint: the served WSDL names the address it was fetched from.
#[test]
fn zeep_uses_the_address_the_served_wsdl_gives() {
    let Some(python) = std::env::var_os("ENGAGEIP_ZEEP_PYTHON") else {
        missing("ENGAGEIP_ZEEP_PYTHON (a Python with zeep) is not set");
        return;
    };
    let mut child = Command::new(BIN)
        .args(["--username", "admin", "serve", "--addr", "127.0.0.1:0"])
        .env("ENGAGEIP_PASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("engageip serve starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut url).expect("URL line");
    let _served = Served(child);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/zeep_interop.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(format!("{}?WSDL", url.trim()))
        .arg("-")
        .arg("admin")
        .env("ENGAGEIP_PASSWORD", PASSWORD)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "zeep interop failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("at {} (from the WSDL)", url.trim())), "{stdout}");
    assert!(stdout.contains("zeep interop: all checks passed"), "{stdout}");
}

/// The WSDL's `s:schema`, as a standalone XSD (the WSDL root's namespace declarations copied
/// onto it).
fn extract_schema(wsdl: &str) -> String {
    let root_start = wsdl.find("<wsdl:definitions").expect("wsdl:definitions");
    let root_end = root_start + wsdl[root_start..].find('>').expect("root tag end");
    let root_tag = &wsdl[root_start..root_end];
    let mut decls = String::new();
    let mut rest = root_tag;
    while let Some(i) = rest.find("xmlns:") {
        let after = &rest[i..];
        let end = after.find('"').and_then(|q| after[q + 1..].find('"').map(|e| q + 1 + e + 1)).expect("quoted value");
        decls.push(' ');
        decls.push_str(&after[..end]);
        rest = &after[end..];
    }
    let start = wsdl.find("<s:schema").expect("s:schema");
    let end = wsdl.find("</s:schema>").expect("end of s:schema") + "</s:schema>".len();
    let schema = &wsdl[start..end];
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<s:schema{decls}{}", &schema["<s:schema".len()..])
}

fn envelope_schema(ns: &str) -> String {
    let any = r###"<xs:complexType><xs:sequence><xs:any namespace="##other" processContents="strict" minOccurs="0" maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute namespace="##other" processContents="lax"/></xs:complexType>"###;
    format!(
        r###"<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{ns}" elementFormDefault="qualified">
  <xs:import namespace="Logisense_EngageIP" schemaLocation="engageip.xsd"/>
  <xs:element name="Envelope">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Header" minOccurs="0">{any}</xs:element>
        <xs:element name="Body">{any}</xs:element>
      </xs:sequence>
      <xs:anyAttribute namespace="##other" processContents="lax"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"###
    )
}

/// Accepts HTTP requests on loopback, records their bodies and answers each with a fault.
async fn recorder() -> (String, Arc<Mutex<Vec<(String, Vec<u8>)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/adminportal/webservice.asmx", listener.local_addr().expect("addr"));
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let (head_end, length) = loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (i + 4, length);
                    }
                };
                while buf.len() < head_end + length {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                sink.lock().expect("log").push((head, buf[head_end..].to_vec()));
                let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>recorded</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>";
                let reply = format!(
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    (url, log)
}

fn full_update() -> UpdatePackage {
    UpdatePackage {
        package_name: Some("Basic Internet".into()),
        new_package_name: Some("Basic & <Better> – café".into()),
        sku: Some("NET-BASIC".into()),
        description: None,
        start_date: Some("2025-01-15T10:30:00.1234567".parse().expect("date")),
        expiry_date: Some("2026-01-15T10:30:00+02:00".parse().expect("date")),
        frequency: 3,
        base_time_unit_type_name: Some("Month".into()),
        in_active_override: true,
        show_to_user_portal: false,
        invoice_identifier: Some("Internet".into()),
    }
}

fn xmllint(dir: &Path, schema: &str, file: &Path) -> Result<(), String> {
    let out = Command::new("xmllint")
        .current_dir(dir)
        .args(["--noout", "--schema", schema])
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run xmllint: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

#[tokio::test]
async fn envelopes_validate_against_the_wsdl_schema() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        missing("xmllint is not installed (Debian: libxml2-utils)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("engageip-xsd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let wsdl = std::fs::read_to_string(workspace().join("wsdl/engageip.wsdl")).expect("WSDL");
    std::fs::write(dir.join("engageip.xsd"), extract_schema(&wsdl)).expect("write");
    std::fs::write(dir.join("soap11.xsd"), envelope_schema(SOAP11)).expect("write");
    std::fs::write(dir.join("soap12.xsd"), envelope_schema(SOAP12)).expect("write");

    // Our client's requests, as sent on the wire.
    let mut documents: Vec<(String, SoapVersion, Vec<u8>)> = Vec::new();
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let (url, log) = recorder().await;
        let c = Client::builder(&url).credentials("admin", "p&ss<word>").soap_version(version).build().expect("client");
        let _ = c.get_packages("demo-isp").await;
        let _ = c.get_packages(None::<String>).await;
        let _ = c.get_package_upgrades("alice & <bob>", "Basic Internet").await;
        let _ = c.get_package_services("Basic Internet", None::<String>).await;
        let _ = c.get_package_services("Fiber 500", "demo-isp").await;
        let _ = c.upgrade_user_package(5001, 102, true).await;
        let _ = c.update_package(&full_update()).await;
        let mut nil_dates = full_update();
        nil_dates.start_date = None;
        nil_dates.expiry_date = None;
        nil_dates.invoice_identifier = None;
        let _ = c.update_package(&nil_dates).await;
        let bodies = log.lock().expect("log").clone();
        assert_eq!(bodies.len(), 8, "{version}: every call reached the recorder");
        for (i, (_, body)) in bodies.into_iter().enumerate() {
            documents.push((format!("request-{version}-{i}"), version, body));
        }
    }

    // Our server's responses.
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let simulator = Simulator::builtin(Credentials::new("admin", "secret"));
        let calls: [(&str, &str); 5] = [
            ("GetPackages", "<username>demo-isp</username>"),
            ("GetPackageUpgrades", "<username>alice</username><packagename>Basic Internet</packagename>"),
            ("GetPackageServices", "<packageName>Basic Internet</packageName>"),
            (
                "UpgradeUserPackage",
                "<userPackageID>5003</userPackageID><targetPackageID>106</targetPackageID><chargeCreditCard>true</chargeCreditCard>",
            ),
            (
                "UpdatePackage",
                "<packageName>Fiber 500</packageName><newPackageName>Fiber 500</newPackageName><sku>S</sku><startDate xsi:nil=\"true\" /><expiryDate xsi:nil=\"true\" /><frequency>1</frequency><baseTimeUnitTypeName>Month</baseTimeUnitTypeName><inActiveOverride>false</inActiveOverride><showToUserPortal>true</showToUserPortal>",
            ),
        ];
        for (op, content) in calls {
            let env = version.namespace();
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><e:Envelope xmlns:e=\"{env}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><e:Header><AuthHeader xmlns=\"Logisense_EngageIP\"><Username>admin</Username><Password>secret</Password></AuthHeader></e:Header><e:Body><{op} xmlns=\"Logisense_EngageIP\">{content}</{op}></e:Body></e:Envelope>"
            );
            let content_type = version.content_type(Some(&format!("Logisense_EngageIP/{op}")));
            let action = format!("\"Logisense_EngageIP/{op}\"");
            let answer =
                dispatch(&simulator, &HttpRequest::post(Some(&content_type), Some(&action), body.as_bytes())).await;
            assert_eq!(answer.status, 200, "{op}: {}", answer.body_text());
            documents.push((format!("response-{version}-{op}"), version, answer.body));
        }
    }

    let mut failures = Vec::new();
    for (name, version, body) in &documents {
        let file = dir.join(format!("{}.xml", name.replace([' ', '.'], "")));
        std::fs::write(&file, body).expect("write");
        let schema = match version {
            SoapVersion::Soap11 => "soap11.xsd",
            _ => "soap12.xsd",
        };
        if let Err(e) = xmllint(&dir, schema, &file) {
            failures.push(format!("{name}: {e}\n{}", String::from_utf8_lossy(body)));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{} envelope(s) do not validate:\n{}", failures.len(), failures.join("\n\n"));
    println!("{} envelopes validate against the WSDL's schema", documents.len());
}
