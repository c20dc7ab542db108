//! The test-double commands: `serve --inject OPERATION=ACTION[*N]`, `serve --replay DIR` and
//! `record --upstream URL --out DIR [--addr ADDR]`.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::task::Poll;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use engageip_api::server::{Endpoint, FaultInjector, Injection, Recorder, Replay, ServeOptions, serve};

use super::Failure;

/// Adds `--inject` and `--replay` to the `serve` command.
pub fn serve_args(serve: Command) -> Command {
    serve
        .arg(
            Arg::new("inject")
                .long("inject")
                .value_name("OPERATION=ACTION[*N]")
                .action(ArgAction::Append)
                .value_parser(|s: &str| s.parse::<Injection>().map_err(|e| e.to_string()))
                .help(
                    "Inject a fault into OPERATION's calls (repeatable): drop-after, drop-before, delay:MS or \
                     status:CODE; *N for the next N calls only",
                ),
        )
        .arg(
            Arg::new("replay")
                .long("replay")
                .value_name("DIR")
                .conflicts_with_all(["data", "inject"])
                .help("Answer from the exchanges recorded in DIR (by `engageip record`) instead of the simulator"),
        )
}

/// The `record` command.
pub fn record_command() -> Command {
    Command::new("record")
        .about("Forward to an upstream EngageIP and record every exchange into DIR; prints its URL first")
        .arg(
            Arg::new("upstream")
                .long("upstream")
                .value_name("URL")
                .required(true)
                .help("The EngageIP to forward to (http or https; default path /adminportal/webservice.asmx)"),
        )
        .arg(Arg::new("out").long("out").value_name("DIR").required(true).help("Where to write the exchanges"))
        .arg(
            Arg::new("addr")
                .long("addr")
                .value_name("ADDR")
                .default_value("127.0.0.1:0")
                .value_parser(value_parser!(SocketAddr)),
        )
}

/// The serve options `serve`'s flags ask for.
pub fn serve_options(m: &ArgMatches) -> ServeOptions {
    let rules = m.get_many::<Injection>("inject").into_iter().flatten().cloned();
    ServeOptions { inject: FaultInjector::new(rules), ..ServeOptions::default() }
}

/// Runs the commands that need no credentials (`record`, `serve --replay`); `None` for the
/// others.
pub fn run_standalone(command: &str, m: &ArgMatches) -> Option<Result<(), Failure>> {
    match command {
        "record" => Some(with_runtime(run_record(m))),
        "serve" if m.get_one::<String>("replay").is_some() => Some(with_runtime(run_replay(m))),
        _ => None,
    }
}

fn with_runtime(work: impl std::future::Future<Output = Result<(), Failure>>) -> Result<(), Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Failed(format!("cannot start the async runtime: {e}")))?
        .block_on(work)
}

async fn listen(m: &ArgMatches, path: &str) -> Result<tokio::net::TcpListener, Failure> {
    let addr = m.get_one::<SocketAddr>("addr").copied().unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Failed(format!("cannot listen on {addr}: {e}")))?;
    let local =
        listener.local_addr().map_err(|e| Failure::Failed(format!("cannot read the listening address: {e}")))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "http://{local}{path}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Failed(format!("cannot write to stdout: {e}")))?;
    Ok(listener)
}

/// Serves `endpoint` until SIGINT or SIGTERM.
async fn serve_until_signal<E: Endpoint + 'static>(
    listener: tokio::net::TcpListener,
    endpoint: Arc<E>,
    options: ServeOptions,
) -> Result<(), Failure> {
    let mut server = std::pin::pin!(serve(listener, endpoint, options));
    let mut stop = std::pin::pin!(stop_signal());
    std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = server.as_mut().poll(cx) {
            return Poll::Ready(result.map_err(|e| Failure::Failed(format!("the server stopped: {e}"))));
        }
        stop.as_mut().poll(cx).map(Ok)
    })
    .await
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn stop_signal() {
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    std::future::poll_fn(|cx| {
        if ctrl_c.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        #[cfg(unix)]
        if let Some(term) = term.as_mut() {
            if term.poll_recv(cx).is_ready() {
                return Poll::Ready(());
            }
        }
        Poll::Pending
    })
    .await
}

async fn run_record(m: &ArgMatches) -> Result<(), Failure> {
    let upstream = m.get_one::<String>("upstream").map(String::as_str).unwrap_or_default();
    let out = m.get_one::<String>("out").map(String::as_str).unwrap_or_default();
    // The client's transport flags (--ca-cert, --client-cert/--client-key, --proxy, timeouts)
    // make the upstream connection; the credentials are never used (requests go as sent).
    let builder = engageip_api::Client::builder(upstream).credentials("engageip-record", "");
    let client = super::transport_flags::configure(builder, m)
        .map_err(Failure::Usage)?
        .build()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let mut recorder = Recorder::new(&client, out).map_err(|e| Failure::Usage(e.to_string()))?;
    if let Ok(password) = std::env::var(super::PASSWORD_VAR) {
        recorder = recorder.scrub(password);
    }
    let path = reqwest_path(recorder.upstream());
    let listener = listen(m, &path).await?;
    eprintln!("engageip: recording the exchanges with {} into {out}; stop with Ctrl-C", recorder.upstream());
    let options = ServeOptions { path, ..ServeOptions::default() };
    serve_until_signal(listener, Arc::new(recorder), options).await?;
    eprintln!("engageip: stopped; every exchange answered is in {out}");
    Ok(())
}

/// The path of an endpoint URL.
fn reqwest_path(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .map(|p| p.split(['?', '#']).next().unwrap_or_default().to_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| engageip_api::DEFAULT_PATH.to_owned())
}

async fn run_replay(m: &ArgMatches) -> Result<(), Failure> {
    let dir = m.get_one::<String>("replay").map(String::as_str).unwrap_or_default();
    let replay = Replay::from_dir(dir).map_err(|e| Failure::Usage(format!("cannot read the recordings: {e}")))?;
    if replay.recordings().is_empty() {
        return Err(Failure::Usage(format!("no recordings in {dir} (expected NAME.http.txt files)")));
    }
    let listener = listen(m, engageip_api::DEFAULT_PATH).await?;
    eprintln!("engageip: replaying {} exchanges from {dir}; stop with Ctrl-C", replay.recordings().len());
    serve_until_signal(listener, Arc::new(replay), ServeOptions::default()).await
}
