//! The transport flags every client command takes (`--ca-cert`, `--client-cert`,
//! `--client-key`, `--proxy`, `--no-proxy`, `--timeout`, `--connect-timeout`), and how a
//! failed call becomes an exit status. Any subcommand that calls a service reuses them:
//! [`add`] puts the flags on a `clap::Command`, [`configure`] applies them to a builder.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use engageip_api::{Certificate, ClientBuilder, Error, Identity, Outcome};

/// Adds the transport flags to `command`, as global flags (valid before or after the
/// subcommand).
pub fn add(command: Command) -> Command {
    let seconds = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .and_then(|v| Duration::try_from_secs_f64(v).ok())
            .ok_or_else(|| format!("`{s}` is not a positive number of seconds"))
    };
    command
        .arg(
            Arg::new("ca-cert")
                .long("ca-cert")
                .value_name("PATH")
                .action(ArgAction::Append)
                .global(true)
                .help("Also trust the CA certificates in this PEM file (repeatable)"),
        )
        .arg(
            Arg::new("client-cert")
                .long("client-cert")
                .value_name("PATH")
                .requires("client-key")
                .global(true)
                .help("Client certificate (PEM, chain after it) for mutual TLS; needs --client-key"),
        )
        .arg(
            Arg::new("client-key")
                .long("client-key")
                .value_name("PATH")
                .requires("client-cert")
                .global(true)
                .help("The client certificate's private key (PEM)"),
        )
        .arg(
            Arg::new("proxy")
                .long("proxy")
                .value_name("URL")
                .conflicts_with("no-proxy")
                .global(true)
                .help("Send calls through this HTTP proxy (default: HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY)"),
        )
        .arg(
            Arg::new("no-proxy")
                .long("no-proxy")
                .action(ArgAction::SetTrue)
                .global(true)
                .help("Connect directly, ignoring proxies named in the environment"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECS")
                .value_parser(seconds)
                .global(true)
                .help("Deadline of the whole call, retries included (default 60)"),
        )
        .arg(
            Arg::new("connect-timeout")
                .long("connect-timeout")
                .value_name("SECS")
                .value_parser(seconds)
                .global(true)
                .help("Time to establish the connection: TCP, proxy, TLS (default 10)"),
        )
}

fn read(path: &str, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {what} {path}: {e}"))
}

/// Applies the transport flags in `m` to `builder`. An error (a file that cannot be read or
/// parsed) is bad usage.
pub fn configure<Mode>(mut builder: ClientBuilder<Mode>, m: &ArgMatches) -> Result<ClientBuilder<Mode>, String> {
    for path in m.get_many::<String>("ca-cert").into_iter().flatten() {
        let certs =
            Certificate::from_pem_bundle(&read(path, "--ca-cert")?).map_err(|e| format!("--ca-cert {path}: {e}"))?;
        builder = builder.add_root_certificates(certs);
    }
    if let (Some(cert), Some(key)) = (m.get_one::<String>("client-cert"), m.get_one::<String>("client-key")) {
        let identity = Identity::from_pem(&read(cert, "--client-cert")?, &read(key, "--client-key")?)
            .map_err(|e| format!("--client-cert {cert} / --client-key {key}: {e}"))?;
        builder = builder.identity(identity);
    }
    if let Some(proxy) = m.get_one::<String>("proxy") {
        builder = builder.proxy(proxy.as_str());
    } else if m.get_flag("no-proxy") {
        builder = builder.no_proxy();
    }
    if let Some(t) = m.get_one::<Duration>("timeout") {
        builder = builder.timeout(*t);
    }
    if let Some(t) = m.get_one::<Duration>("connect-timeout") {
        builder = builder.connect_timeout(*t);
    }
    Ok(builder)
}

/// How a failed call ends the program.
pub struct CallFailure {
    /// 3 when a non-idempotent call may or may not have been performed, else 1.
    pub exit_status: u8,
    /// What to print on stderr (one line per entry).
    pub lines: Vec<String>,
}

/// The exit status and message for a failed call: the error with its causes on one line,
/// and, when the outcome is unknown, what to check before calling again.
pub fn failure(error: &Error) -> CallFailure {
    let mut text = error.to_string();
    let mut next = std::error::Error::source(error);
    while let Some(e) = next {
        text.push_str(": ");
        text.push_str(&e.to_string());
        next = e.source();
    }
    let mut lines = vec![text];
    let exit_status = match error {
        Error::OutcomeUnknown { operation, .. } => {
            lines.push(match *operation {
                "UpgradeUserPackage" => {
                    "UpgradeUserPackage may or may not have been performed (and the card charged): \
                    no API operation can confirm an upgrade (GetPackages lists an owner's catalogue, not a user's \
                    packages); check the user's packages and charges in EngageIP before running it again"
                        .to_owned()
                }
                "UpdatePackage" => "UpdatePackage may or may not have been performed: get-packages for the \
                    package's owner shows its current name and fields; compare them before running it again"
                    .to_owned(),
                other => {
                    format!("{other} may or may not have been performed: check in EngageIP before running it again")
                }
            });
            3
        }
        e if e.outcome() == Outcome::Performed => {
            lines
                .push("the service answered HTTP 200: the call was most likely performed; do not repeat it".to_owned());
            1
        }
        _ => 1,
    };
    CallFailure { exit_status, lines }
}
