//! Workspace automation: `cargo xtask regen [--check]`.

use std::process::ExitCode;

mod bench;
mod build_rs_check;
mod corpus;
mod drift;
mod golden;
mod regen;
mod sync;
mod sync_wsdl;
mod synth;

const USAGE: &str = "usage: cargo xtask regen [--check]

  regen           regenerate engageip-api/src/generated/ from wsdl/
  regen --check   fail with a diff when the committed generated files are stale
  bench [ARGS]    run the benchmarks in release and print one table (ARGS go to the bench:
                  --quick; section names: decode encode e2e wan concurrency codegen memory;
                  --wan-bandwidth MBIT_PER_S (default 50) and --wan-rtt MS (default 20) for
                  the WAN group's shaping relay, --wan-gzip-level N (default 4) for its
                  server; --profile WHAT, see BENCHMARKS.md)
  drift --against URL_OR_FILE [--json | --markdown] [--from WSDL]
                  compare wsdl/ with a live ...asmx?WSDL or a file, by meaning; exit 0 no drift,
                  1 compatible, 2 breaking, 3 could not compare
  sync-wsdl --from URL_OR_FILE [--wsdl PATH]
                  write the live description into wsdl/engageip.wsdl, keeping the committed
                  documentation of every item that still exists; prints the drift report and
                  the new undocumented items (then run `cargo xtask regen`)
  golden [--check] regenerate (or check) the compiled golden modules of
                  engageip-api/tests/golden/ (construct coverage and schema evolution)
  corpus [--dir DIR] [--no-compile]
                  run the generator over every WSDL of codegen/tests/fixtures/wsdl-corpus/, check that the
                  generated code compiles, and print the generality table of docs/generality.md
  build-rs-check [--dir DIR]
                  write a crate outside the workspace (default $TMPDIR/engageip-build-rs-check)
                  whose build.rs generates from the EngageIP WSDL and every generating corpus
                  WSDL with engageip_codegen::Builder, and cargo check it
  synth-wsdl OUT  write the synthetic 1 000-operation, 2 000-type WSDL the codegen benchmark uses";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["regen"] => regen::run(regen::Mode::Write),
        ["regen", "--check"] => regen::run(regen::Mode::Check),
        ["bench", rest @ ..] => bench::run(rest),
        ["synth-wsdl", out] => bench::synth_wsdl(out),
        ["corpus", rest @ ..] => corpus::run(rest),
        ["build-rs-check", rest @ ..] => build_rs_check::run(rest),
        ["drift", rest @ ..] => return drift::main(rest),
        ["sync-wsdl", rest @ ..] => sync_wsdl::run(rest),
        ["golden"] => golden::run(regen::Mode::Write),
        ["golden", "--check"] => golden::run(regen::Mode::Check),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
