//! `engageip drift` over the client's transport, against servers the test starts on loopback:
//! https with a test CA (refused without it, exit 3 with a certificate message; accepted with
//! `--ca-cert`), mutual TLS (`--client-cert`, `--client-key`), through an HTTP proxy (`--proxy`,
//! plain and `CONNECT`), `--no-proxy` and a proxy that is not there; and
//! the CI recipe's drift step with its `ENGAGEIP_CA_CERT` secret.

mod common;
#[path = "common/pki.rs"]
mod pki;
#[path = "common/proxy.rs"]
mod proxy;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Reply, Responder};
use pki::Pki;
use proxy::Proxy;

const BIN: &str = env!("CARGO_BIN_EXE_engageip");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn fixture(case: &str) -> String {
    std::fs::read_to_string(root().join("engageip-api/tests/golden").join(case).join("service.wsdl")).expect("fixture")
}

/// Runs `engageip drift --against against ARGS` off the async runtime's threads.
async fn drift(against: String, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(BIN)
            .args(["drift", "--against", &against])
            .args(&args)
            // The environment's proxies must not interfere with loopback servers.
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .output()
            .expect("engageip runs")
    })
    .await
    .expect("joined")
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

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("engageip-drift-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_test_ca_is_refused_without_it_and_accepted_with_ca_cert() {
    let pki = Pki::new("engageip drift test CA");
    let wsdl = fixture("engageip_removed_operation");
    let server = Responder::start_tls(pki.acceptor(false), move |_, _| Reply::xml(200, wsdl.clone())).await;
    let url = format!("https://127.0.0.1:{}/adminportal/webservice.asmx?WSDL", server.addr().port());
    let dir = temp_dir("tls");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).expect("write the CA");

    let out = drift(url.clone(), &["--no-proxy"]).await;
    assert_eq!(status(&out), 3, "{}{}", stdout(&out), stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("could not compare: TLS failure: "), "{message}");
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    assert!(message.contains("--ca-cert"), "the hint names the flag: {message}");
    let out = drift(url.clone(), &["--no-proxy", "--json"]).await;
    assert_eq!(status(&out), 3);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["error"]["kind"], "tls");
    assert_eq!(server.request_count(), 0, "nothing was asked before the handshake failed");

    let out = drift(url.clone(), &["--no-proxy", "--ca-cert", &ca.display().to_string()]).await;
    assert_eq!(status(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("operation UpgradeUserPackage: removed"), "{}", stdout(&out));
    let out = drift(url, &["--ca-cert", &ca.display().to_string(), "--markdown", "--no-proxy"]).await;
    assert_eq!(status(&out), 2);
    assert!(stdout(&out).contains("**Breaking drift**"), "{}", stdout(&out));
    assert_eq!(server.request_count(), 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_a_proxy() {
    let wsdl = fixture("engageip_new_field");
    let server = Responder::start_with(move |_, _| Reply::xml(200, wsdl.clone())).await;
    let proxy = Proxy::start().await;
    let url = format!("{}/adminportal/webservice.asmx?WSDL", server.url());

    let out = drift(url.clone(), &["--proxy", &proxy.url()]).await;
    assert_eq!(status(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("Package.TaxCode: added to the response"), "{}", stdout(&out));
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.seen());
    assert!(proxy.seen()[0].contains("/adminportal/webservice.asmx?WSDL"), "{:?}", proxy.seen());

    let out = drift(url, &["--no-proxy"]).await;
    assert_eq!(status(&out), 1);
    assert_eq!(proxy.seen().len(), 1, "--no-proxy goes direct");
    assert_eq!(server.request_count(), 2);

    // https through the proxy's CONNECT tunnel.
    let pki = Pki::new("engageip drift proxy CA");
    let wsdl = fixture("engageip");
    let tls = Responder::start_tls(pki.acceptor(false), move |_, _| Reply::xml(200, wsdl.clone())).await;
    let dir = temp_dir("proxy");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).expect("write the CA");
    let url = format!("https://127.0.0.1:{}/adminportal/webservice.asmx?WSDL", tls.addr().port());
    let out = drift(url, &["--proxy", &proxy.url(), "--ca-cert", &ca.display().to_string()]).await;
    assert_eq!(status(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(proxy.seen().iter().any(|s| s.starts_with("CONNECT 127.0.0.1:")), "{:?}", proxy.seen());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_is_not_there_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let out = drift(
        "http://127.0.0.1:9/adminportal/webservice.asmx?WSDL".to_owned(),
        &["--proxy", &format!("http://127.0.0.1:{port}")],
    )
    .await;
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("could not compare: unreachable: "), "{}", stderr(&out));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ci_recipe_trusts_the_ca_of_its_secret() {
    let yml = std::fs::read_to_string(root().join("docs/ci/engageip-drift.yml")).expect("the recipe");
    let script = workflow_step(&yml);
    let pki = Pki::new("engageip CI recipe CA");
    let wsdl = fixture("engageip");
    let server = Responder::start_tls(pki.acceptor(false), move |_, _| Reply::xml(200, wsdl.clone())).await;
    let url = format!("https://127.0.0.1:{}/adminportal/webservice.asmx?WSDL", server.addr().port());
    let bin_dir = Path::new(BIN).parent().expect("the binary's directory").to_path_buf();
    let dir = temp_dir("ci-ca");
    let run = |ca: String| {
        let (script, dir, bin_dir, url) = (script.clone(), dir.clone(), bin_dir.clone(), url.clone());
        tokio::task::spawn_blocking(move || {
            let _ = std::fs::remove_file(dir.join("summary.md"));
            let out = std::process::Command::new("bash")
                .args(["-e", "-o", "pipefail", "-c", &script])
                .current_dir(&dir)
                .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
                .env("ENGAGEIP_WSDL_URL", url)
                .env("ENGAGEIP_CA_CERT", ca)
                .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
                .env("RUNNER_TEMP", &dir)
                .env_remove("HTTP_PROXY")
                .env_remove("http_proxy")
                .env_remove("HTTPS_PROXY")
                .env_remove("https_proxy")
                .env_remove("ALL_PROXY")
                .env_remove("all_proxy")
                .output()
                .expect("bash runs");
            (out, std::fs::read_to_string(dir.join("summary.md")).unwrap_or_default())
        })
    };
    let (out, summary) = run(String::new()).await.expect("joined");
    assert_eq!(status(&out), 1, "without the CA: {}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("::error::could not compare"), "{}", stdout(&out));
    assert!(summary.contains("**Could not compare** (tls)"), "{summary}");
    let (out, summary) = run(pki.ca_pem.clone()).await.expect("joined");
    assert_eq!(status(&out), 0, "with the CA: {}{}", stdout(&out), stderr(&out));
    assert!(summary.contains("**No drift**"), "{summary}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_requiring_a_client_certificate_gets_the_identity_of_the_flags() {
    let pki = Pki::new("engageip drift mTLS CA");
    let wsdl = fixture("engageip");
    let server = Responder::start_tls(pki.acceptor(true), move |_, _| Reply::xml(200, wsdl.clone())).await;
    let url = format!("https://127.0.0.1:{}/adminportal/webservice.asmx?WSDL", server.addr().port());
    let dir = temp_dir("mtls");
    let (ca, cert, key) = (dir.join("ca.pem"), dir.join("client.pem"), dir.join("client.key"));
    std::fs::write(&ca, &pki.ca_pem).expect("write");
    std::fs::write(&cert, &pki.client_pem).expect("write");
    std::fs::write(&key, &pki.client_key_pem).expect("write");
    let ca_arg = ca.display().to_string();

    let out = drift(url.clone(), &["--no-proxy", "--ca-cert", &ca_arg]).await;
    assert_eq!(status(&out), 3, "without the identity: {}{}", stdout(&out), stderr(&out));
    assert_eq!(server.request_count(), 0);

    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let out = drift(url, &["--no-proxy", "--ca-cert", &ca_arg, "--client-cert", &cert, "--client-key", &key]).await;
    assert_eq!(status(&out), 0, "with it: {}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("no drift"), "{}", stdout(&out));
    assert_eq!(server.request_count(), 1);

    // A flag naming a file that is not there: could not compare (3), never "breaking" (2).
    let out = drift("https://127.0.0.1:1/x?WSDL".to_owned(), &["--ca-cert", "/nonexistent/ca.pem"]).await;
    assert_eq!(status(&out), 3);
    assert!(stderr(&out).contains("/nonexistent/ca.pem"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}
