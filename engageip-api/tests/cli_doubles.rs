//! The test-double commands of the `engageip` binary: `serve --inject`, `record` and
//! `serve --replay`, each a real process on loopback.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_engageip");
const PASSWORD: &str = "pw-Kd3!doubles-secret";

/// A running `engageip` server process (serve, record or replay), killed when dropped.
struct Running {
    child: Child,
    url: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .args(args)
            .env("ENGAGEIP_PASSWORD", PASSWORD)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("engageip starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout")).read_line(&mut line).expect("first line");
        let url = line.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{args:?}: first line {url:?}");
        Running { child, url }
    }

    /// Sends `signal` (`TERM`, `INT`) and waits: the exit status and stderr.
    #[cfg(unix)]
    fn signal(mut self, signal: &str) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([&format!("-{signal}"), &pid]).status().expect("kill runs");
        assert!(sent.success());
        let status = self.child.wait().expect("exits");
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        (status.code(), err)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str], password: &str) -> Output {
    Command::new(BIN).args(args).env("ENGAGEIP_PASSWORD", password).output().expect("engageip runs")
}

fn call(url: &str, version: &str, password: &str, rest: &[&str]) -> Output {
    let mut args = vec!["--url", url, "--username", "admin", "--soap-version", version];
    args.extend_from_slice(rest);
    run(&args, password)
}

fn serve(extra: &[&str]) -> Running {
    let mut args = vec!["--username", "admin", "serve", "--addr", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    Running::start(&args)
}

#[test]
fn drop_after_on_upgrade_user_package_exits_3_and_was_performed_once() {
    let server = serve(&["--inject", "UpgradeUserPackage=drop-after*1"]);
    let out = call(&server.url, "1.1", PASSWORD, &["upgrade-user-package", "5001", "102"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr: {stderr}");
    assert!(stderr.contains("UpgradeUserPackage"), "{stderr}");
    // It was performed: 5001 is on 102 now, which offers no upgrade to 102.
    let again = call(&server.url, "1.1", PASSWORD, &["upgrade-user-package", "5001", "102"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("INVALID TARGET PACKAGE ID"));
}

#[test]
fn drop_before_exits_3_and_performs_nothing() {
    let server = serve(&["--inject", "UpgradeUserPackage=drop-before*1", "--inject", "GetPackages=status:503"]);
    let out = call(&server.url, "1.2", PASSWORD, &["upgrade-user-package", "5001", "102"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    // Not performed: the same upgrade succeeds now that the rule ran out.
    let again = call(&server.url, "1.2", PASSWORD, &["upgrade-user-package", "5001", "102"]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    let unavailable = call(&server.url, "1.2", PASSWORD, &["get-packages", "demo-isp"]);
    assert_eq!(unavailable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unavailable.stderr).contains("HTTP 503"));
}

#[test]
fn bad_injection_rules_are_usage_errors() {
    for rule in ["NoSuchOperation=drop-after", "GetPackages=explode", "GetPackages=delay:soon"] {
        let out = run(&["--username", "admin", "serve", "--inject", rule], PASSWORD);
        assert_eq!(out.status.code(), Some(2), "{rule}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(rule.split('=').nth(1).unwrap_or(rule))
                || String::from_utf8_lossy(&out.stderr).contains("NoSuchOperation")
        );
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("engageip-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A session of commands: successes, documented faults, a wrong password, a repeated
/// request (the second upgrade of 5001 to 102 fails: it is there already). Each result is
/// (exit status, stdout, stderr).
fn session(url: &str, version: &str) -> Vec<(Option<i32>, String, String)> {
    let commands: Vec<(&str, Vec<&str>)> = vec![
        (PASSWORD, vec!["get-packages", "demo-isp"]),
        (PASSWORD, vec!["get-packages", "nobody"]),
        ("not-the-password", vec!["get-packages", "demo-isp"]),
        (PASSWORD, vec!["get-package-upgrades", "alice", "Basic Internet"]),
        (PASSWORD, vec!["get-package-services", "Basic Internet", "--owner", "demo-isp"]),
        (PASSWORD, vec!["upgrade-user-package", "5001", "102", "--charge-credit-card"]),
        (PASSWORD, vec!["upgrade-user-package", "5001", "102", "--charge-credit-card"]),
        (
            PASSWORD,
            vec!["update-package", "Nope", "--new-name", "X", "--sku", "S", "--frequency", "1", "--base-unit", "Month"],
        ),
    ];
    commands
        .into_iter()
        .map(|(password, rest)| {
            let out = call(url, version, password, &rest);
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .collect()
}

fn grep(dir: &Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("the recording directory")
        .filter_map(Result::ok)
        .filter(|e| String::from_utf8_lossy(&std::fs::read(e.path()).expect("a file")).contains(needle))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn record_then_replay_through_the_cli_gives_identical_output() {
    for (version, signal) in [("1.1", "TERM"), ("1.2", "INT")] {
        let dir = scratch(&format!("record-{version}"));
        let dir_arg = dir.to_str().expect("UTF-8 path");
        let upstream = serve(&[]);
        let recorder =
            Running::start(&["record", "--upstream", &upstream.url, "--out", dir_arg, "--addr", "127.0.0.1:0"]);
        assert!(recorder.url.ends_with("/adminportal/webservice.asmx"), "{}", recorder.url);
        let live = session(&recorder.url, version);
        let (status, stderr) = recorder.signal(signal);
        assert_eq!(status, Some(0), "record stops cleanly on SIG{signal}: {stderr}");
        drop(upstream);
        assert_eq!(live[0].0, Some(0), "{live:?}");
        assert_eq!((live[1].0, live[2].0, live[6].0, live[7].0), (Some(1), Some(1), Some(1), Some(1)), "{live:?}");
        assert!(live[2].2.contains("INVALID CREDENTIALS"), "{live:?}");
        assert!(live[6].2.contains("INVALID TARGET PACKAGE ID"), "the repeat failed: {live:?}");

        // Every exchange written, and no password in any file.
        let http_files = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".http.txt"))
            .count();
        assert_eq!(http_files, live.len());
        for secret in [PASSWORD, "not-the-password"] {
            assert!(grep(&dir, secret).is_empty(), "{secret} in {:?}", grep(&dir, secret));
        }

        let replay = serve(&["--replay", dir_arg]);
        let replayed = session(&replay.url, version);
        assert_eq!(replayed, live, "SOAP {version}");
        let unmatched = call(&replay.url, version, PASSWORD, &["get-packages", "carol"]);
        assert_eq!(unmatched.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&unmatched.stderr);
        assert!(stderr.contains("No recording matches this GetPackages request"), "{stderr}");
        drop(replay);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn replay_needs_no_credentials_and_reads_the_asmx_captures() {
    let captures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asmx-captures");
    let mut child = Command::new(BIN)
        .args(["serve", "--replay", captures.to_str().expect("UTF-8 path")])
        .env_remove("ENGAGEIP_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("stdout")).read_line(&mut line).expect("first line");
    let replay = Running { child, url: line.trim().to_owned() };
    let out = call(&replay.url, "1.1", "secret", &["get-packages", "owner1"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Plus & <More>"));
}
