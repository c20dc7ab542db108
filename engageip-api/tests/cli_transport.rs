//! The `engageip` binary's transport flags and exit statuses, against servers the test starts
//! on loopback: `--ca-cert` (TLS server with a CA made here), `--client-cert`/`--client-key`
//! (a server requiring a client certificate), `--proxy`, proxies from the environment
//! (`HTTP_PROXY`, `HTTPS_PROXY`: plain forwarding and `CONNECT`) and `--no-proxy`,
//! `--timeout`; exit 3 when a charge may or may not have been performed, 1 for other
//! failures, 2 for bad usage. The password shows in no output.

mod common;
#[path = "common/pki.rs"]
mod pki;
#[path = "common/proxy.rs"]
mod proxy;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{PASSWORD, Reply, Responder, get_packages_response, leaks_password, package_with};

const BIN: &str = env!("CARGO_BIN_EXE_engageip");

/// The proxy variables a test may set; every run starts without them.
const PROXY_VARS: &[&str] =
    &["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

/// Runs `engageip` (blocking, on a thread of its own) with `args` and `env`.
async fn engageip(args: Vec<String>, env: Vec<(&'static str, String)>) -> Output {
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        cmd.args(&args).env("ENGAGEIP_PASSWORD", PASSWORD);
        for var in PROXY_VARS {
            cmd.env_remove(var);
        }
        cmd.envs(env);
        cmd.output().expect("engageip runs")
    })
    .await
    .expect("no panic");
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!leaks_password(&text), "the password shows in the output: {text}");
    }
    out
}

fn args(url: &str, extra: &[&str], command: &[&str]) -> Vec<String> {
    let mut all = vec!["--url".to_owned(), url.to_owned(), "--username".to_owned(), "admin".to_owned()];
    all.extend(extra.iter().map(|s| (*s).to_owned()));
    all.extend(command.iter().map(|s| (*s).to_owned()));
    all
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok_reply() -> Reply {
    Reply::xml(200, get_packages_response(&package_with("", "")))
}

/// A directory of PEM files for one test, removed when dropped.
struct Files(PathBuf);

impl Files {
    fn new(name: &str, pki: &pki::Pki) -> Files {
        let dir = std::env::temp_dir().join(format!("engageip-cli-transport-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for (file, text) in [
            ("ca.pem", &pki.ca_pem),
            ("client.pem", &pki.client_pem),
            ("client.key", &pki.client_key_pem),
            ("server.pem", &pki.server_pem),
        ] {
            std::fs::write(dir.join(file), text).expect("write PEM");
        }
        Files(dir)
    }

    fn path(&self, file: &str) -> String {
        self.0.join(file).to_str().expect("UTF-8 path").to_owned()
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn https(server: &Responder) -> String {
    format!("https://127.0.0.1:{}", server.addr().port())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_cert_and_client_certificate_flags() {
    let pki = pki::Pki::new("engageip CLI CA");
    let files = Files::new("tls", &pki);
    let server = Responder::start_tls(pki.acceptor(false), |_, _| ok_reply()).await;
    let url = https(&server);
    let refused = engageip(args(&url, &["--no-proxy"], &["get-packages", "demo-isp"]), vec![]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("could not connect"), "{}", stderr(&refused));
    let ca = files.path("ca.pem");
    let trusted = engageip(args(&url, &["--ca-cert", &ca], &["get-packages", "demo-isp"]), vec![]).await;
    assert_eq!(trusted.status.code(), Some(0), "{}", stderr(&trusted));
    assert!(String::from_utf8_lossy(&trusted.stdout).contains("\"ID\": 7"));
    // Repeatable: an unrelated PEM certificate beside the CA changes nothing.
    let server_pem = files.path("server.pem");
    let two = engageip(args(&url, &["--ca-cert", &server_pem, "--ca-cert", &ca], &["get-packages", "x"]), vec![]).await;
    assert_eq!(two.status.code(), Some(0), "{}", stderr(&two));

    let mutual = Responder::start_tls(pki.acceptor(true), |_, _| ok_reply()).await;
    let murl = https(&mutual);
    let without = engageip(args(&murl, &["--ca-cert", &ca], &["get-packages", "x"]), vec![]).await;
    assert_eq!(without.status.code(), Some(1), "{}", stderr(&without));
    assert_eq!(mutual.request_count(), 0);
    let (cert, key) = (files.path("client.pem"), files.path("client.key"));
    let with = engageip(
        args(&murl, &["--ca-cert", &ca, "--client-cert", &cert, "--client-key", &key], &["get-packages", "x"]),
        vec![],
    )
    .await;
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    assert_eq!(mutual.request_count(), 1);

    // Bad usage: 2.
    for bad in [
        vec!["--client-cert", cert.as_str()],
        vec!["--ca-cert", "/nonexistent/ca.pem"],
        vec!["--ca-cert", key.as_str()],
        vec!["--client-cert", cert.as_str(), "--client-key", cert.as_str()],
        vec!["--timeout", "soon"],
        vec!["--connect-timeout", "0"],
        vec!["--proxy", "http://127.0.0.1:9", "--no-proxy"],
    ] {
        let out = engageip(args(&url, &bad, &["get-packages", "x"]), vec![]).await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxies_from_flags_and_the_environment() {
    let proxy = proxy::Proxy::start().await;
    let plain = Responder::start(ok_reply()).await;
    let url = plain.url();
    let out = engageip(args(&url, &["--proxy", &proxy.url()], &["get-packages", "x"]), vec![]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.seen().len(), 1, "--proxy");
    let out = engageip(args(&url, &[], &["get-packages", "x"]), vec![("HTTP_PROXY", proxy.url())]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.seen().len(), 2, "HTTP_PROXY is honoured by default");
    assert!(proxy.seen()[1].starts_with("POST http://127.0.0.1:"), "{:?}", proxy.seen());
    let out = engageip(args(&url, &["--no-proxy"], &["get-packages", "x"]), vec![("HTTP_PROXY", proxy.url())]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.seen().len(), 2, "--no-proxy went through the proxy");
    let out = engageip(
        args(&url, &[], &["get-packages", "x"]),
        vec![("HTTP_PROXY", proxy.url()), ("NO_PROXY", "127.0.0.1".to_owned())],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.seen().len(), 2, "NO_PROXY is honoured");
    assert_eq!(plain.request_count(), 4);

    // HTTPS through the environment's proxy: a CONNECT tunnel.
    let pki = pki::Pki::new("engageip CLI proxy CA");
    let files = Files::new("proxy", &pki);
    let tls = Responder::start_tls(pki.acceptor(false), |_, _| ok_reply()).await;
    let ca = files.path("ca.pem");
    let out =
        engageip(args(&https(&tls), &["--ca-cert", &ca], &["get-packages", "x"]), vec![("HTTPS_PROXY", proxy.url())])
            .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.seen().len(), 3);
    assert!(proxy.seen()[2].starts_with(&format!("CONNECT 127.0.0.1:{} ", tls.addr().port())), "{:?}", proxy.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_three_when_a_charge_may_or_may_not_have_been_performed() {
    let gateway = Responder::start(Reply::with_type(502, "text/html", "<html>Bad Gateway</html>")).await;
    let upgrade = ["upgrade-user-package", "5001", "102", "--charge-credit-card"];
    let out = engageip(args(&gateway.url(), &["--no-proxy"], &upgrade), vec![]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("may or may not have been performed") && err.contains("before running it again"), "{err}");
    assert!(err.contains("HTTP 502"), "the cause is shown: {err}");
    assert!(out.stdout.is_empty());
    assert_eq!(gateway.request_count(), 1, "sent once");
    // The same gateway on a read: an ordinary failure (after its retries), exit 1.
    let out = engageip(args(&gateway.url(), &["--no-proxy"], &["get-packages", "x"]), vec![]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(gateway.request_count() > 2, "the read was retried");

    // --timeout after sending: 3 too.
    let silent = Responder::start(Reply::Hang).await;
    let out = engageip(args(&silent.url(), &["--no-proxy", "--timeout", "0.5"], &upgrade), vec![]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    // A refused connection: nothing was sent, exit 1.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let out = engageip(args(&format!("http://127.0.0.1:{port}"), &["--no-proxy"], &upgrade), vec![]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // A gateway echoing the request (password and all) in its 502 page: still exit 3, and
    // the password shows nowhere (checked by `engageip` for every run).
    let echo = Responder::start_with(|req, _| {
        let body = req.body_text();
        let from = body.find("<Password>").expect("the envelope carries the password");
        Reply::with_type(502, "text/html", format!("you sent {}", &body[from..]))
    })
    .await;
    let out = engageip(args(&echo.url(), &["--no-proxy"], &upgrade), vec![]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("<redacted>"), "{}", stderr(&out));
}
