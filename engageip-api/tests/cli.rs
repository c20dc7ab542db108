//! The `engageip` binary: every command against `engageip serve`, the exit statuses, and
//! that the password appears in no output.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_engageip");
const PASSWORD: &str = "pw-Zq7!unique-cli-secret";

/// A running `engageip serve`, killed (by its own handle) when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Served {
    fn start(extra: &[&str]) -> Served {
        let mut child = Command::new(BIN)
            .args(["--username", "admin", "serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env("ENGAGEIP_PASSWORD", PASSWORD)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("engageip serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout")).read_line(&mut line).expect("first line");
        let url = line.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with("/adminportal/webservice.asmx"),
            "first line: {url:?}"
        );
        Served { child, url }
    }

    /// Stops the server and returns everything it wrote to stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_remove("ENGAGEIP_PASSWORD");
    if let Some(p) = password {
        cmd.env("ENGAGEIP_PASSWORD", p);
    }
    let out = cmd.output().expect("engageip runs");
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(PASSWORD), "the password leaked in the output of {args:?}: {text}");
    }
    out
}

fn client_args<'a>(url: &'a str, version: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--url", url, "--username", "admin", "--soap-version", version];
    args.extend_from_slice(rest);
    args
}

/// Runs a command that must succeed and returns its JSON.
fn ok(url: &str, version: &str, rest: &[&str]) -> Value {
    let out = run(&client_args(url, version, rest), Some(PASSWORD));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{rest:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{rest:?}: stdout is not JSON ({e})"))
}

/// Runs a command that must fail with status 1 and returns its one stderr line.
fn fails(url: &str, version: &str, rest: &[&str], password: &str) -> String {
    let out = run(&client_args(url, version, rest), Some(password));
    assert_eq!(out.status.code(), Some(1), "{rest:?}");
    assert!(out.stdout.is_empty(), "{rest:?}: nothing on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{rest:?}: one line on stderr: {stderr}");
    stderr
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array().expect("array").iter().filter_map(|p| p["Name"].as_str()).collect()
}

#[test]
fn every_command_against_serve() {
    for version in ["1.1", "1.2"] {
        let served = Served::start(&[]);
        let url = served.url.as_str();

        let packages = ok(url, version, &["get-packages", "demo-isp"]);
        assert!(names(&packages).contains(&"Basic Internet"), "{packages}");
        assert_eq!(packages[0]["ID"], 101);
        assert_eq!(packages[0]["ExpiryDate"], Value::Null);
        assert_eq!(packages[0]["StartDate"], "2024-02-01T00:00:00Z");

        let upgrades = ok(url, version, &["get-package-upgrades", "alice", "Basic Internet"]);
        assert_eq!(names(&upgrades), ["Fiber 500", "Fiber 1000"]);

        let services = ok(url, version, &["get-package-services", "Basic Internet", "--owner", "demo-isp"]);
        assert_eq!(services.as_array().map(Vec::len), Some(2));
        assert_eq!(services[0]["SKU"], "SVC-NET-25");
        let none = ok(url, version, &["get-package-services", "Static IP Add-on"]);
        assert_eq!(none, Value::Array(vec![]));

        let upgraded = ok(url, version, &["upgrade-user-package", "5001", "102", "--charge-credit-card"]);
        assert_eq!(upgraded["ok"], true);
        assert_eq!(upgraded["chargeCreditCard"], true);

        let updated = ok(
            url,
            version,
            &[
                "update-package",
                "Fiber 1000",
                "--new-name",
                "Fiber 1G",
                "--sku",
                "NET-F1G",
                "--frequency",
                "1",
                "--base-unit",
                "Year",
                "--description",
                "renamed",
                "--start-date",
                "2025-03-01T00:00:00Z",
                "--expiry-date",
                "2031-01-01T00:00:00",
                "--show-to-user-portal",
                "--invoice-identifier",
                "Internet",
            ],
        );
        assert_eq!(updated["ok"], true);
        let after = ok(url, version, &["get-packages", "demo-isp"]);
        let renamed = after.as_array().expect("array").iter().find(|p| p["ID"] == 106).expect("package 106");
        assert_eq!(renamed["Name"], "Fiber 1G");
        assert_eq!(renamed["ExpiryDate"], "2031-01-01T00:00:00");
        ok(
            url,
            version,
            &[
                "update-package",
                "Fiber 1G",
                "--new-name",
                "Fiber 1G",
                "--sku",
                "X",
                "--frequency",
                "2",
                "--base-unit",
                "Month",
                "--inactive-override",
            ],
        );
        let again = ok(url, version, &["get-packages", "demo-isp"]);
        let p = again.as_array().expect("array").iter().find(|p| p["ID"] == 106).expect("package 106");
        assert_eq!(
            (p["InactiveOverride"].as_bool(), p["ExpiryDate"].is_null(), p["Description"].is_null()),
            (Some(true), true, true)
        );

        // Faults: exit 1, one line naming the fault.
        let e = fails(url, version, &["get-packages", "nobody"], PASSWORD);
        assert!(e.contains("INVALID USERNAME") && e.contains("GetPackages"), "{e}");
        let e = fails(url, version, &["get-package-upgrades", "alice", "Nope"], PASSWORD);
        assert!(e.contains("INVALID PACKAGE"), "{e}");
        let e = fails(url, version, &["get-package-services", "Nope"], PASSWORD);
        assert!(e.contains("INVALID PACKAGE NAME"), "{e}");
        let e = fails(url, version, &["upgrade-user-package", "5002", "102", "--charge-credit-card"], PASSWORD);
        assert!(e.contains("CREDIT CARD CHARGE FAILED"), "{e}");
        let e = fails(url, version, &["upgrade-user-package", "9999", "102"], PASSWORD);
        assert!(e.contains("INVALID PACKAGE ID"), "{e}");
        let e = fails(
            url,
            version,
            &[
                "update-package",
                "Fiber 500",
                "--new-name",
                "x",
                "--sku",
                "s",
                "--frequency",
                "1",
                "--base-unit",
                "Fortnight",
            ],
            PASSWORD,
        );
        assert!(e.contains("INVALID BASE UNIT TYPE NAME"), "{e}");
        let e = fails(url, version, &["get-packages", "demo-isp"], "wrong-password");
        assert!(e.contains("INVALID CREDENTIALS"), "{e}");

        let server_log = served.stop();
        assert!(!server_log.contains(PASSWORD), "the password leaked in serve's stderr: {server_log}");
    }
}

#[test]
fn exit_statuses() {
    let served = Served::start(&[]);
    let url = served.url.as_str();
    // Bad usage: 2.
    let usage: [(&[&str], Option<&str>); 8] = [
        (&["--url", url, "--username", "admin", "get-packages", "demo-isp"], None),
        (&["--username", "admin", "get-packages", "demo-isp"], Some(PASSWORD)),
        (&["--url", url, "get-packages", "demo-isp"], Some(PASSWORD)),
        (&["--url", url, "--username", "admin", "get-packages"], Some(PASSWORD)),
        (&["--url", url, "--username", "admin", "--soap-version", "2.0", "get-packages", "x"], Some(PASSWORD)),
        (&["--url", url, "--username", "admin", "upgrade-user-package", "abc", "1"], Some(PASSWORD)),
        (
            &[
                "--url",
                url,
                "--username",
                "admin",
                "update-package",
                "P",
                "--new-name",
                "N",
                "--sku",
                "S",
                "--frequency",
                "1",
                "--base-unit",
                "Month",
                "--start-date",
                "2024-13-45",
            ],
            Some(PASSWORD),
        ),
        (&["--url", "ftp://example.invalid", "--username", "admin", "get-packages", "x"], Some(PASSWORD)),
    ];
    for (args, password) in usage {
        let out = run(args, password);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty());
    }
    assert_eq!(run(&["--help"], None).status.code(), Some(0));
    assert_eq!(
        run(&["--password", PASSWORD, "--url", url, "--username", "admin", "get-packages", "x"], Some(PASSWORD))
            .status
            .code(),
        Some(2),
        "there is no password flag"
    );

    // A transport error: 1, one line.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = l.local_addr().expect("addr");
        drop(l);
        format!("http://{addr}/adminportal/webservice.asmx")
    };
    let e = fails(&closed, "1.1", &["get-packages", "demo-isp"], PASSWORD);
    assert!(e.contains("connect"), "{e}");
    drop(served);

    // serve: a bad fixture is bad usage.
    let dir = std::env::temp_dir().join(format!("engageip-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ \"owners\": 3 }").expect("write");
    let out = run(&["--username", "admin", "serve", "--data", bad.to_str().expect("path")], Some(PASSWORD));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.owners"), "names the path");
    let out = run(&["--username", "admin", "serve"], None);
    assert_eq!(out.status.code(), Some(2), "serve needs ENGAGEIP_PASSWORD too");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_loads_a_fixture() {
    let dir = std::env::temp_dir().join(format!("engageip-cli-fixture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fixture = dir.join("data.json");
    std::fs::write(
        &fixture,
        r#"{
          "owners": [{ "id": 1, "username": "tiny-isp" }],
          "users": [{ "id": 2, "username": "zoe", "owner": "tiny-isp" }],
          "base_time_unit_types": [{ "id": 1, "name": "Day" }],
          "packages": [
            { "id": 10, "owner": "tiny-isp", "name": "Daily", "frequency": 1, "base_time_unit": "Day", "amount": 1, "upgrades": [11] },
            { "id": 11, "owner": "tiny-isp", "name": "Daily+", "frequency": 1, "base_time_unit": "Day", "amount": 2 }
          ],
          "user_packages": [{ "id": 100, "user": "zoe", "package": 10 }]
        }"#,
    )
    .expect("write");
    let served = Served::start(&["--data", fixture.to_str().expect("path")]);
    let url = served.url.clone();
    assert_eq!(names(&ok(&url, "1.2", &["get-packages", "tiny-isp"])), ["Daily", "Daily+"]);
    assert_eq!(names(&ok(&url, "1.1", &["get-package-upgrades", "zoe", "Daily"])), ["Daily+"]);
    ok(&url, "1.1", &["upgrade-user-package", "100", "11"]);
    let e = fails(&url, "1.1", &["upgrade-user-package", "100", "11"], PASSWORD);
    assert!(e.contains("INVALID TARGET PACKAGE ID"), "already upgraded: {e}");
    drop(served);
    let _ = std::fs::remove_dir_all(&dir);
}
