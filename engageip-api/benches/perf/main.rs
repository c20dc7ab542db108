//! `cargo bench -p engageip-api` (or `cargo xtask bench`): decode, encode, end-to-end (loopback
//! and WAN-shaped), concurrency, codegen and memory figures side by side with the floor and the
//! usual alternative, in one table with a targets table under it.
//!
//! A hand-rolled harness (`harness = false`): nothing to compile beyond the crates measured.
//! Each contender of a group runs in the same rounds, interleaved, so machine noise hits them
//! alike; a figure is the median of the rounds, and every target is a ratio to work measured in
//! the same run. Arguments: `--quick` (fewer, shorter rounds), section names (`decode encode
//! e2e wan concurrency codegen memory`) to run only those, `--wan-bandwidth MBIT_PER_S` and
//! `--wan-rtt MS` (the WAN group's link; 50 and 20 by default), `--wan-gzip-level N` (its
//! server's gzip level, 4 by default), `--keep-cores-awake` (the loopback group with one
//! `SCHED_IDLE` spinner per core, so that waiting cores do not halt: see [`awake`]),
//! `--profile WHAT` (see [`profile`]).
//!
//! Targets are reported, never asserted: a benchmark is not a test.

mod alloc;
mod alt;
mod awake;
mod clients;
mod codegen_speed;
mod concurrency;
mod decode;
mod e2e;
mod encode;
mod fixtures;
mod memory;
#[cfg_attr(not(feature = "gzip"), allow(dead_code))]
mod relay;
mod report;
mod server;
#[path = "../../../xtask/src/synth.rs"]
mod synth;
mod thread_cpu;
#[cfg(feature = "gzip")]
mod wan;

use std::hint::black_box;
use std::time::Duration;

use engageip_api::Package;
use engageip_api::runtime::{self, Body, SoapVersion};
use engageip_api::types::{GetPackageServicesResponse, GetPackagesResponse};

use report::{Config, Report};

/// The WAN group server's gzip level: level 1 leaves 1.1 MiB of the 5.7 MiB response (5×),
/// level 6 leaves 0.7 MiB but compresses slower than the link sends on two shared cores; 4
/// leaves 0.8 MiB (7×) and keeps up with 50 Mbit/s.
const DEFAULT_GZIP_LEVEL: u32 = 4;

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

fn decode_packages(xml: &str) -> Vec<Package> {
    match runtime::decode_response::<GetPackagesResponse>(xml) {
        Ok(Body::Response(r)) => r.get_packages_result.unwrap_or_default(),
        other => panic!("decode: {other:?}"),
    }
}

fn decode_services(xml: &str) -> Vec<engageip_api::Service> {
    match runtime::decode_response::<GetPackageServicesResponse>(xml) {
        Ok(Body::Response(r)) => r.get_package_services_result.unwrap_or_default(),
        other => panic!("decode: {other:?}"),
    }
}

/// `--profile WHAT`: runs one piece of work, untimed, for a profiler (`perf record -g` or
/// `valgrind --tool=callgrind target/release/deps/perf-* --profile decode`):
///
/// - `floor`, `decode`, `serde`, `encode`: the 10 000-package response, three times;
///   `decode1`: the 1-package response, 20 000 times;
/// - `client1` / `post1`: 3 000 loopback calls for 1 package (`client100` / `post100`: 1 000
///   calls for 100; `client10k` / `post10k`: 50 calls for 10 000), the typed client or the raw
///   POST (`postdecode1` / `postdecode100` / `postdecode10k`: the raw POST, then the decode of
///   its body);
/// - `concurrent` / `concurrent-blocking` / `concurrent-raw`: 200 batches of 64 calls at once
///   for 100 packages, over the shared async client, the blocking client from 64 threads, or
///   raw reqwest + serde;
/// - `codegen`: the synthetic WSDL (`SYNTH_OPS=N` scales it, `SYNTH_DUMP=DIR` writes the
///   generated files).
fn profile(what: &str) {
    let calls = |packages: usize| match packages {
        1 => 3_000,
        100 => 1_000,
        _ => 50,
    };
    match what {
        "client1" | "client100" | "client10k" | "post1" | "post100" | "post10k" | "postdecode1" | "postdecode100"
        | "postdecode10k" => {
            let packages = match what.trim_start_matches(char::is_alphabetic) {
                "1" => 1,
                "100" => 100,
                _ => 10_000,
            };
            let setup = e2e::Setup::new(packages);
            for _ in 0..calls(packages) {
                if what.starts_with("client") {
                    drop(black_box(setup.client_call()));
                } else if what.starts_with("postdecode") {
                    let body = setup.raw_post();
                    drop(black_box(decode_packages(engageip_api::runtime::utf8_text(&body).expect("UTF-8"))));
                } else {
                    drop(black_box(setup.raw_post()));
                }
            }
        }
        "concurrent" | "concurrent-raw" => {
            let setup = concurrency::Setup::new();
            for _ in 0..200 {
                if what == "concurrent" { setup.client_batch(64) } else { setup.raw_batch(64) }
            }
        }
        #[cfg(feature = "blocking")]
        "concurrent-blocking" => {
            let setup = concurrency::Setup::new();
            let client = concurrency::blocking::Client::new(&setup.url);
            let threads = concurrency::blocking::Threads::new(&client, 64);
            for _ in 0..200 {
                threads.batch();
            }
        }
        "decode1" => {
            let xml = fixtures::get_packages_response(1);
            for _ in 0..20_000 {
                black_box(decode_packages(black_box(&xml)));
            }
        }
        "codegen" => {
            let ops: usize = std::env::var("SYNTH_OPS").ok().and_then(|v| v.parse().ok()).unwrap_or(synth::OPERATIONS);
            let input = engageip_codegen::Input::new("synthetic.wsdl", synth::wsdl(ops, ops * 2));
            let files =
                engageip_codegen::generate(&input, &codegen_speed::regen_options()).unwrap_or_else(|d| panic!("{d}"));
            for f in &files {
                eprintln!("{}: {} bytes", f.path, f.text.len());
                if let Ok(dir) = std::env::var("SYNTH_DUMP") {
                    std::fs::write(format!("{dir}/{}", f.path), &f.text).expect("write");
                }
            }
        }
        "floor" | "decode" | "serde" | "encode" => {
            let xml = fixtures::get_packages_response(10_000);
            for _ in 0..3 {
                match what {
                    "floor" => drop(black_box(decode::floor(&xml))),
                    "decode" => drop(black_box(decode_packages(&xml))),
                    "serde" => drop(black_box(alt::decode_packages(&xml))),
                    _ => {
                        let response = GetPackagesResponse::new().with_get_packages_result(Some(decode_packages(&xml)));
                        drop(black_box(runtime::encode_response(SoapVersion::Soap11, &response)));
                    }
                }
            }
        }
        other => panic!(
            "--profile takes floor, decode, decode1, serde, encode, client1, client100, client10k, post1, post100, \
             post10k, postdecode1, postdecode100, postdecode10k, concurrent, concurrent-blocking, concurrent-raw or codegen, not {other}"
        ),
    }
}

/// The value after flag `name`, parsed; exits with a message when it does not parse.
fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    let i = args.iter().position(|a| a == name)?;
    match args.get(i + 1).and_then(|v| v.parse().ok()) {
        Some(v) => Some(v),
        None => {
            eprintln!("{name} takes a number");
            std::process::exit(2);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let Some(i) = args.iter().position(|a| a == "--profile") {
        profile(args.get(i + 1).map_or("decode", String::as_str));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let mut link = relay::Link::default();
    if let Some(mbit) = flag::<f64>(&args, "--wan-bandwidth") {
        link.mbit_per_s = mbit;
    }
    if let Some(ms) = flag::<f64>(&args, "--wan-rtt") {
        link.rtt = Duration::from_secs_f64(ms / 1e3);
    }
    // Section names: the arguments that are neither flags nor a flag's value.
    let mut sections = Vec::new();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        if a == "--wan-bandwidth" || a == "--wan-rtt" || a == "--wan-gzip-level" {
            rest.next();
        } else if !a.starts_with("--") {
            sections.push(a.clone());
        }
    }
    let cfg = Config {
        samples: if quick { 3 } else { 9 },
        sample_time: Duration::from_millis(if quick { 20 } else { 60 }),
        sections,
        link,
        gzip_level: flag::<u32>(&args, "--wan-gzip-level").unwrap_or(DEFAULT_GZIP_LEVEL).min(9),
    };
    let started_load = report::load();
    let mut report = Report::default();
    if cfg.wants("decode") {
        decode::section(&cfg, &mut report);
    }
    if cfg.wants("encode") {
        encode::section(&cfg, &mut report);
    }
    if cfg.wants("e2e") {
        // Started here and dropped after the group: the other groups keep the host's idle.
        let awake = if args.iter().any(|a| a == "--keep-cores-awake") {
            match awake::KeepAwake::start() {
                Ok(awake) => Some(awake),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(2);
                }
            }
        } else {
            None
        };
        e2e::section(&cfg, &mut report);
        if awake.is_some() {
            report.notes.push(
                "The loopback group ran with its cores kept awake (`--keep-cores-awake`: one SCHED_IDLE spinner per \
                 core)."
                    .to_owned(),
            );
        }
        drop(awake);
    }
    if cfg.wants("wan") {
        #[cfg(feature = "gzip")]
        wan::section(&cfg, &mut report);
        #[cfg(not(feature = "gzip"))]
        report.notes.push("The WAN group needs the `gzip` feature (on by default).".to_owned());
    }
    if cfg.wants("concurrency") {
        concurrency::section(&cfg, &mut report);
    }
    if cfg.wants("codegen") {
        codegen_speed::section(&cfg, &mut report);
    }
    if cfg.wants("memory") {
        memory::section(&mut report);
    }
    report::print(&report, &started_load);
}
