//! `cargo xtask drift --against URL_OR_FILE [--json | --markdown] [--from WSDL]`: the same
//! comparison and output as `engageip drift` (`engageip_api::drift`), against the workspace's
//! `wsdl/` instead of the contract compiled into the crate.
//!
//! Exit status: 0 no drift, 1 compatible drift only, 2 breaking drift, 3 could not compare.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use engageip_api::Client;
use engageip_api::drift::{CANNOT_COMPARE, DriftChecker, DriftError, Format, Report, load_file, render};

use crate::regen::workspace_root;

const USAGE: &str = "usage: cargo xtask drift --against URL_OR_FILE [--json | --markdown] [--from WSDL]

  --against URL_OR_FILE  the live service's description (https://host/path.asmx?WSDL) or a file
  --json                 print one JSON object instead of text
  --markdown             print a Markdown report
  --from WSDL            the description callers were built against (default wsdl/engageip.wsdl)

exit status: 0 no drift, 1 compatible drift, 2 breaking drift, 3 could not compare";

/// Runs the command; returns the process exit status.
pub fn main(args: &[&str]) -> ExitCode {
    let mut against = None;
    let mut format = Format::Text;
    let mut from = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--against" => against = it.next().copied(),
            "--json" => format = Format::Json,
            "--markdown" => format = Format::Markdown,
            "--from" => from = it.next().copied(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(CANNOT_COMPARE);
            }
        }
    }
    let Some(against) = against else {
        eprintln!("--against is required\n{USAGE}");
        return ExitCode::from(CANNOT_COMPARE);
    };
    let from = from.map_or_else(|| workspace_root().join("wsdl/engageip.wsdl"), PathBuf::from);
    let result = run(&from, against);
    let rendered = render(against, &result, format);
    let _ = std::io::stdout().lock().write_all(rendered.stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(rendered.stderr.as_bytes());
    ExitCode::from(rendered.exit_code)
}

/// A checker with the client's default transport, comparing against the WSDL at `from`.
pub fn checker(from: &Path) -> Result<DriftChecker, DriftError> {
    Ok(DriftChecker::new(&Client::builder("http://localhost"))?.contract(load_file(from)?))
}

/// Runs `future` to completion on a single-threaded runtime.
pub fn block_on<T>(future: impl std::future::Future<Output = Result<T, DriftError>>) -> Result<T, DriftError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DriftError::Config(engageip_api::Error::Config(format!("cannot start the async runtime: {e}"))))?;
    runtime.block_on(future)
}

/// Loads `from` and compares it with `against`.
pub fn run(from: &Path, against: &str) -> Result<Report, DriftError> {
    let checker = checker(from)?;
    block_on(checker.check(against))
}
