//! `engageip drift --against URL_OR_FILE [--json | --markdown]`: compares the contract this
//! build was generated from (`engageip_api::WSDL`) with a live `...asmx?WSDL` or a file, by
//! meaning, with the client's transport flags (`transport_flags`). No credentials needed.
//!
//! Exit status: 0 no drift, 1 compatible changes only, 2 breaking changes, 3 could not compare
//! (unreachable, TLS failure, HTTP error, not a WSDL: the message says which).

use std::io::Write;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use engageip_api::Client;
pub use engageip_api::drift::CANNOT_COMPARE;
use engageip_api::drift::{DriftChecker, DriftError, Format, render};

use crate::transport_flags;

/// Whether the command line names the `drift` subcommand (asked when it does not parse).
pub fn invoked() -> bool {
    let lenient = crate::cli().ignore_errors(true).try_get_matches();
    lenient.is_ok_and(|m| m.subcommand_name() == Some("drift"))
}

/// The `drift` subcommand's arguments.
pub fn command() -> Command {
    Command::new("drift")
        .about("Compare the contract this client was generated from with a live ?WSDL (or a file), by meaning")
        .after_help(
            "Exit status: 0 no drift, 1 compatible changes only, 2 breaking changes, 3 could not compare \
             (unreachable, TLS failure, HTTP error, not a WSDL). No credentials are needed.",
        )
        .arg(
            Arg::new("against")
                .long("against")
                .value_name("URL_OR_FILE")
                .required(true)
                .help("The live description (https://host/adminportal/webservice.asmx?WSDL) or a WSDL file"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .conflicts_with("markdown")
                .help("Print one JSON object (fields: status, breaking, compatible, changes[severity, kind, subject, path, detail, why])"),
        )
        .arg(
            Arg::new("markdown")
                .long("markdown")
                .action(ArgAction::SetTrue)
                .help("Print a Markdown report (for a CI job summary)"),
        )
}

/// Runs `drift` with the transport flags in `m` (`--ca-cert`, `--client-cert`/`--client-key`,
/// `--proxy`, `--no-proxy`, `--timeout`, `--connect-timeout`).
pub fn main(m: &ArgMatches) -> ExitCode {
    let against = m.get_one::<String>("against").map(String::as_str).unwrap_or_default();
    let format = if m.get_flag("json") {
        Format::Json
    } else if m.get_flag("markdown") {
        Format::Markdown
    } else {
        Format::Text
    };
    let result = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(async {
            let builder = transport_flags::configure(Client::builder(against), m)
                .map_err(|message| DriftError::Config(engageip_api::Error::Config(message)))?;
            DriftChecker::new(&builder)?.check(against).await
        }),
        Err(e) => {
            eprintln!("engageip drift: cannot start the async runtime: {e}");
            return ExitCode::from(CANNOT_COMPARE);
        }
    };
    let rendered = render(against, &result, format);
    let _ = std::io::stdout().lock().write_all(rendered.stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(rendered.stderr.as_bytes());
    ExitCode::from(rendered.exit_code)
}
