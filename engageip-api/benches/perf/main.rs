//! `cargo bench -p engageip-api` (or `cargo xtask bench`): decode, encode, end-to-end, codegen
//! and memory figures side by side with the floor and the usual alternative, in one table.
//!
//! A hand-rolled harness (`harness = false`): nothing to compile beyond the crates measured.
//! Each contender of a group runs in the same rounds, interleaved, so machine noise hits them
//! alike; a figure is the median of the rounds. Arguments: `--quick` (fewer, shorter rounds),
//! and section names (`decode encode e2e codegen memory`) to run only those.
//!
//! Targets are reported, never asserted: a benchmark is not a test.

mod alloc;
mod alt;
mod fixtures;
#[cfg(not(feature = "server"))]
mod server;
#[path = "../../../xtask/src/synth.rs"]
mod synth;

use std::hint::black_box;
use std::time::{Duration, Instant};

use engageip_api::runtime::{self, Body, SoapVersion};
use engageip_api::types::{GetPackageServicesResponse, GetPackagesResponse};
use engageip_api::{AuthHeader, DateTime, Package, UpdatePackage};

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

struct Config {
    samples: usize,
    sample_time: Duration,
    sections: Vec<String>,
}

impl Config {
    fn wants(&self, section: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == section)
    }
}

/// One line of the table.
struct Row {
    name: String,
    /// Median time of one iteration.
    time: Duration,
    bytes: Option<usize>,
    records: Option<usize>,
    ratio: String,
}

/// A target and whether the run met it.
struct Target {
    what: &'static str,
    required: String,
    measured: String,
    met: bool,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    targets: Vec<Target>,
    notes: Vec<String>,
}

impl Report {
    fn section(&mut self, title: &str) {
        self.rows.push(Row {
            name: format!("**{title}**"),
            time: Duration::ZERO,
            bytes: None,
            records: None,
            ratio: String::new(),
        });
    }
}

type Job<'a> = Box<dyn FnMut() + 'a>;

/// Runs the jobs in interleaved rounds and returns each one's median time per iteration.
fn measure(cfg: &Config, jobs: &mut [(&str, Job<'_>)]) -> Vec<Duration> {
    let mut iters = Vec::with_capacity(jobs.len());
    for (name, job) in jobs.iter_mut() {
        // Warm up and calibrate: enough iterations per round to fill `sample_time`.
        let start = Instant::now();
        let mut n = 0u32;
        while n < 2 || (start.elapsed() < cfg.sample_time / 2 && n < 1_000_000) {
            job();
            n += 1;
        }
        let per = start.elapsed() / n;
        let k = (cfg.sample_time.as_nanos() / per.as_nanos().max(1)).clamp(1, 10_000_000) as u32;
        eprintln!("  {name}: ~{per:?}/iter, {k} per round");
        iters.push(k);
    }
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(cfg.samples); jobs.len()];
    for _ in 0..cfg.samples {
        for (i, (_, job)) in jobs.iter_mut().enumerate() {
            let start = Instant::now();
            for _ in 0..iters[i] {
                job();
            }
            samples[i].push(start.elapsed() / iters[i]);
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect()
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e6
}

/// The floor: quick-xml's own reader over the same bytes, touching every event, allocating
/// nothing.
fn floor(xml: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return events,
            Ok(event) => {
                black_box(&event);
                events += 1;
            }
            Err(e) => panic!("floor: {e}"),
        }
    }
}

/// Not a parser: finds every `<` and the next `>` with memchr and touches each tag and text.
/// The least any tokenizer over these bytes must do, to show how far below quick-xml's event
/// loop (the floor) a purpose-built one could go.
fn scan(xml: &str) -> usize {
    let bytes = xml.as_bytes();
    let mut at = 0;
    let mut tokens = 0usize;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + lt;
        tokens += usize::from(start > at);
        let Some(gt) = memchr::memchr(b'>', &bytes[start..]) else { break };
        black_box(&bytes[start..=start + gt]);
        tokens += 1;
        at = start + gt + 1;
    }
    tokens
}

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

const SIZES: [usize; 4] = [1, 100, 10_000, 100_000];

fn decode_section(cfg: &Config, report: &mut Report) {
    report.section("decode (SOAP 1.1 response → Vec<T>)");
    for (what, n) in SIZES.iter().map(|&n| ("GetPackages", n)).chain(SIZES.iter().map(|&n| ("GetPackageServices", n))) {
        eprintln!("decode {what} ×{n}");
        let xml = if what == "GetPackages" {
            fixtures::get_packages_response(n)
        } else {
            fixtures::get_package_services_response(n)
        };
        // Both decoders read the same values (checked once, outside the timing).
        if what == "GetPackages" {
            let ours = decode_packages(&xml);
            let theirs = alt::decode_packages(&xml);
            assert_eq!(ours.len(), n);
            assert!(ours.iter().zip(&theirs).all(|(a, b)| *a == alt::to_generated(b)), "serde and generated disagree");
        } else {
            let ours = decode_services(&xml);
            let theirs = alt::decode_services(&xml);
            assert_eq!(ours.len(), n);
            assert!(
                ours.iter().zip(&theirs).all(|(a, b)| *a == alt::to_generated_service(b)),
                "serde and generated disagree"
            );
        }
        let packages = what == "GetPackages";
        let mut jobs: Vec<(&str, Job<'_>)> = vec![
            (
                "floor",
                Box::new(|| {
                    black_box(floor(black_box(&xml)));
                }),
            ),
            (
                "engageip-api",
                Box::new(|| {
                    if packages {
                        black_box(decode_packages(black_box(&xml)));
                    } else {
                        black_box(decode_services(black_box(&xml)));
                    }
                }),
            ),
            (
                "scan",
                Box::new(|| {
                    black_box(scan(black_box(&xml)));
                }),
            ),
            (
                "serde",
                Box::new(|| {
                    if packages {
                        black_box(alt::decode_packages(black_box(&xml)));
                    } else {
                        black_box(alt::decode_services(black_box(&xml)));
                    }
                }),
            ),
        ];
        let t = measure(cfg, &mut jobs);
        let (floor_t, ours_t, scan_t, serde_t) = (t[0], t[1], t[2], t[3]);
        let vs_floor = floor_t.as_secs_f64() / ours_t.as_secs_f64();
        let vs_serde = serde_t.as_secs_f64() / ours_t.as_secs_f64();
        let label = format!("{what} ×{n} ({})", human_bytes(xml.len()));
        report.rows.push(Row {
            name: format!("{label}: floor (quick-xml events)"),
            time: floor_t,
            bytes: Some(xml.len()),
            records: Some(n),
            ratio: "1.00× floor".into(),
        });
        report.rows.push(Row {
            name: format!("{label}: engageip-api"),
            time: ours_t,
            bytes: Some(xml.len()),
            records: Some(n),
            ratio: format!("{vs_floor:.2}× floor, {vs_serde:.2}× serde"),
        });
        if n >= 10_000 {
            report.rows.push(Row {
                name: format!("{label}: tag scan, not a parser (memchr `<` `>`)"),
                time: scan_t,
                bytes: Some(xml.len()),
                records: Some(n),
                ratio: format!("{:.2}× floor", floor_t.as_secs_f64() / scan_t.as_secs_f64()),
            });
        }
        report.rows.push(Row {
            name: format!("{label}: serde (quick-xml de)"),
            time: serde_t,
            bytes: Some(xml.len()),
            records: Some(n),
            ratio: format!("{:.2}× floor", floor_t.as_secs_f64() / serde_t.as_secs_f64()),
        });
        if packages && n == 10_000 {
            report.targets.push(Target {
                what: "decode 10 000 packages vs floor",
                required: "≥ 0.60× floor throughput".into(),
                measured: format!("{vs_floor:.2}×"),
                met: vs_floor >= 0.6,
            });
            report.targets.push(Target {
                what: "decode 10 000 packages vs serde",
                required: "≥ 2.5× serde throughput".into(),
                measured: format!("{vs_serde:.2}×"),
                met: vs_serde >= 2.5,
            });
        }
    }
}

fn update_package() -> UpdatePackage {
    UpdatePackage {
        package_name: Some("Basic".into()),
        new_package_name: Some("Basic & <More>".into()),
        sku: Some("BAS-001".into()),
        description: Some("Entry plan – café".into()),
        start_date: Some("2024-02-29T12:00:00.1234567".parse::<DateTime>().expect("date")),
        expiry_date: None,
        frequency: 1,
        base_time_unit_type_name: Some("Month".into()),
        in_active_override: false,
        show_to_user_portal: true,
        invoice_identifier: None,
    }
}

fn encode_section(cfg: &Config, report: &mut Report) {
    report.section("encode");
    eprintln!("encode UpdatePackage request");
    let header = AuthHeader { username: Some("admin".into()), password: Some("secret".into()) };
    let request = update_package();
    let sample = runtime::encode_request(SoapVersion::Soap11, Some(&header), &request).expect("encode");
    let mut jobs: Vec<(&str, Job<'_>)> = vec![(
        "UpdatePackage request",
        Box::new(|| {
            black_box(runtime::encode_request(SoapVersion::Soap11, Some(black_box(&header)), black_box(&request)).ok());
        }),
    )];
    let t = measure(cfg, &mut jobs);
    report.rows.push(Row {
        name: format!("UpdatePackage request with AuthHeader ({})", human_bytes(sample.len())),
        time: t[0],
        bytes: Some(sample.len()),
        records: Some(1),
        ratio: String::new(),
    });

    let n = 10_000;
    eprintln!("encode GetPackagesResponse ×{n}");
    let xml = fixtures::get_packages_response(n);
    let items = decode_packages(&xml);
    let serde_items = alt::decode_packages(&xml);
    let response = GetPackagesResponse { get_packages_result: Some(items) };
    let ours = runtime::encode_response(SoapVersion::Soap11, &response).expect("encode");
    // What we write reads back as what we wrote it from.
    assert_eq!(decode_packages(&ours), response.get_packages_result.clone().unwrap_or_default());
    let theirs = alt::encode_packages(&serde_items);
    let mut jobs: Vec<(&str, Job<'_>)> = vec![
        (
            "engageip-api encode_response",
            Box::new(|| {
                black_box(runtime::encode_response(SoapVersion::Soap11, black_box(&response)).ok());
            }),
        ),
        (
            "serde (quick-xml se)",
            Box::new(|| {
                black_box(alt::encode_packages(black_box(&serde_items)));
            }),
        ),
    ];
    let t = measure(cfg, &mut jobs);
    report.rows.push(Row {
        name: format!("GetPackagesResponse ×{n} ({}): engageip-api", human_bytes(ours.len())),
        time: t[0],
        bytes: Some(ours.len()),
        records: Some(n),
        ratio: format!("{:.2}× serde", t[1].as_secs_f64() / t[0].as_secs_f64()),
    });
    report.rows.push(Row {
        name: format!("GetPackagesResponse ×{n} ({}): serde (quick-xml se)", human_bytes(theirs.len())),
        time: t[1],
        bytes: Some(theirs.len()),
        records: Some(n),
        ratio: String::new(),
    });
}

/// The server the end-to-end benchmark calls: the generated one (`--features server`, as
/// `cargo xtask bench` builds) serving `n` packages, or else a minimal fixed-response server.
#[cfg(feature = "server")]
fn start_server(rt: &tokio::runtime::Runtime, n: usize) -> (String, &'static str, Box<dyn std::any::Any>) {
    let packages = decode_packages(&fixtures::get_packages_response(n));
    let service = std::sync::Arc::new(generated_server::Fixed(packages));
    let handle = rt
        .block_on(engageip_api::server::ServerHandle::start("127.0.0.1:0", service))
        .expect("start the generated server");
    (handle.url(), "the generated server (engageip_api::server, hyper)", Box::new(handle))
}

#[cfg(not(feature = "server"))]
fn start_server(_: &tokio::runtime::Runtime, n: usize) -> (String, &'static str, Box<dyn std::any::Any>) {
    let addr = server::spawn(fixtures::get_packages_response(n));
    let url = format!("http://{addr}/adminportal/webservice.asmx");
    (url, "a fixed-response HTTP/1.1 server (build with --features server for the generated one)", Box::new(()))
}

#[cfg(feature = "server")]
mod generated_server {
    use engageip_api::server::{RequestHeaders, ServerFault, WebService};
    use engageip_api::types;

    /// Answers `GetPackages` with the same packages every time; nothing else.
    pub struct Fixed(pub Vec<engageip_api::Package>);

    impl WebService for Fixed {
        async fn authenticate(&self, _: &'static str, _: &RequestHeaders) -> Result<(), ServerFault> {
            Ok(())
        }
        async fn get_packages(&self, _: types::GetPackages) -> Result<Vec<engageip_api::Package>, ServerFault> {
            Ok(self.0.clone())
        }
        async fn get_package_upgrades(
            &self,
            _: types::GetPackageUpgrades,
        ) -> Result<Vec<engageip_api::Package>, ServerFault> {
            Err(ServerFault::sender("not served by the benchmark"))
        }
        async fn get_package_services(
            &self,
            _: types::GetPackageServices,
        ) -> Result<Vec<engageip_api::Service>, ServerFault> {
            Err(ServerFault::sender("not served by the benchmark"))
        }
        async fn upgrade_user_package(&self, _: types::UpgradeUserPackage) -> Result<(), ServerFault> {
            Err(ServerFault::sender("not served by the benchmark"))
        }
        async fn update_package(&self, _: types::UpdatePackage) -> Result<(), ServerFault> {
            Err(ServerFault::sender("not served by the benchmark"))
        }
    }
}

fn e2e_section(cfg: &Config, report: &mut Report) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // The client side runs on this thread; the server on its own runtime's worker threads.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let server_rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let mut titled = false;
    for n in [1usize, 100, 10_000] {
        eprintln!("e2e GetPackages ×{n}");
        let (url, server_name, guard) = start_server(&server_rt, n);
        if !titled {
            report.section(&format!(
                "end to end: GetPackages over loopback HTTP/1.1, one connection reused, against {server_name}"
            ));
            titled = true;
        }
        // One reqwest client, with the timeouts `Client::builder` sets, shared by all sides:
        // the differences are the typed client's own work (encode, headers, decode).
        let http = reqwest::Client::builder()
            .connect_timeout(engageip_api::DEFAULT_CONNECT_TIMEOUT)
            .timeout(engageip_api::DEFAULT_TIMEOUT)
            .build()
            .expect("reqwest client");
        let client = engageip_api::Client::builder(url.clone())
            .credentials("bench", "secret")
            .http_client(http.clone())
            .retry_policy(engageip_api::RetryPolicy::none())
            .build()
            .expect("client");
        let request = engageip_api::types::GetPackages { username: Some("owner".into()) };
        let header = AuthHeader { username: Some("bench".into()), password: Some("secret".into()) };
        let prebuilt: &'static str = Box::leak(
            runtime::encode_request(SoapVersion::Soap11, Some(&header), &request).expect("encode").into_boxed_str(),
        );
        let raw_post = || async {
            http.post(&url)
                .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
                .header("SOAPAction", "\"Logisense_EngageIP/GetPackages\"")
                .body(prebuilt)
                .send()
                .await?
                .bytes()
                .await
        };
        let check = rt.block_on(client.get_packages("owner")).expect("client call");
        assert_eq!(check.len(), n);
        let size = rt.block_on(raw_post()).expect("post").len();
        let mut jobs: Vec<(&str, Job<'_>)> = vec![
            (
                "client.get_packages",
                Box::new(|| {
                    let r = rt.block_on(client.get_packages("owner")).expect("call");
                    black_box(r);
                }),
            ),
            (
                "raw reqwest POST",
                Box::new(|| {
                    black_box(rt.block_on(raw_post()).expect("post"));
                }),
            ),
            (
                "raw reqwest POST + serde",
                Box::new(|| {
                    let body = rt.block_on(raw_post()).expect("post");
                    let text = std::str::from_utf8(&body).expect("UTF-8");
                    black_box(alt::decode_packages(text));
                }),
            ),
        ];
        let t = measure(cfg, &mut jobs);
        drop(guard);
        let ratio = t[0].as_secs_f64() / t[1].as_secs_f64();
        let vs_serde = t[2].as_secs_f64() / t[0].as_secs_f64();
        report.rows.push(Row {
            name: format!("GetPackages ×{n} ({}): engageip-api client", human_bytes(size)),
            time: t[0],
            bytes: Some(size),
            records: Some(n),
            ratio: format!(
                "{ratio:.2}× raw POST time, {vs_serde:.2}× POST+serde speed ({:.0} calls/s)",
                1.0 / t[0].as_secs_f64()
            ),
        });
        report.rows.push(Row {
            name: format!("GetPackages ×{n} ({}): raw reqwest POST of a pre-built body", human_bytes(size)),
            time: t[1],
            bytes: Some(size),
            records: Some(n),
            ratio: format!("({:.0} calls/s)", 1.0 / t[1].as_secs_f64()),
        });
        report.rows.push(Row {
            name: format!("GetPackages ×{n} ({}): raw POST + serde decode", human_bytes(size)),
            time: t[2],
            bytes: Some(size),
            records: Some(n),
            ratio: format!("({:.0} calls/s)", 1.0 / t[2].as_secs_f64()),
        });
        report.targets.push(Target {
            what: match n {
                1 => "end to end, 1 package: client / raw POST",
                100 => "end to end, 100 packages: client / raw POST",
                _ => "end to end, 10 000 packages: client / raw POST",
            },
            required: "≤ 1.15× per-call time".into(),
            measured: format!("{ratio:.2}×"),
            met: ratio <= 1.15,
        });
    }
}

fn codegen_section(cfg: &Config, report: &mut Report) {
    report.section("codegen (engageip_codegen::generate: parse → IR → quote! → prettyplease; rustfmt not included)");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let root_dir = std::path::Path::new(root);
    let engageip =
        engageip_codegen::load(root_dir.join("wsdl/engageip.wsdl"), Some(&root_dir.join("wsdl/engageip.annotations")))
            .unwrap_or_else(|e| panic!("{e}"))
            .input;
    // What `cargo xtask regen` asks for: types, client, blocking client, server.
    let options = engageip_codegen::Options::default()
        .runtime_path("crate::runtime")
        .client_type("crate::Client")
        .client_trait(false)
        .error_type("crate::Error")
        .blocking_client_type("crate::blocking::Client")
        .blocking_feature("blocking")
        .server(true)
        .server_feature("server");
    let synthetic_text = synth::wsdl(synth::OPERATIONS, synth::TYPES);
    let synthetic = engageip_codegen::Input::new("synthetic.wsdl", synthetic_text.clone());
    let out_size = |input: &engageip_codegen::Input| -> usize {
        engageip_codegen::generate(input, &options).unwrap_or_else(|d| panic!("{d}")).iter().map(|f| f.text.len()).sum()
    };
    let engageip_out = out_size(&engageip);
    let synthetic_out = out_size(&synthetic);
    eprintln!("codegen");
    let mut jobs: Vec<(&str, Job<'_>)> = vec![(
        "engageip.wsdl",
        Box::new(|| {
            black_box(engageip_codegen::generate(black_box(&engageip), &options).ok());
        }),
    )];
    let t = measure(cfg, &mut jobs);
    let quick = Config { samples: cfg.samples.min(5), sample_time: Duration::ZERO, sections: Vec::new() };
    let mut jobs: Vec<(&str, Job<'_>)> = vec![(
        "synthetic",
        Box::new(|| {
            black_box(engageip_codegen::generate(black_box(&synthetic), &options).ok());
        }),
    )];
    let s = measure(&quick, &mut jobs);
    report.rows.push(Row {
        name: format!(
            "wsdl/engageip.wsdl: 5 operations ({} in, {} out)",
            human_bytes(engageip.wsdl.text.len()),
            human_bytes(engageip_out)
        ),
        time: t[0],
        bytes: Some(engageip.wsdl.text.len()),
        records: None,
        ratio: format!("{:.0}% of the 50 ms budget", t[0].as_secs_f64() / 0.050 * 100.0),
    });
    report.rows.push(Row {
        name: format!(
            "synthetic: {} operations, {} types ({} in, {} out)",
            synth::OPERATIONS,
            synth::TYPES,
            human_bytes(synthetic_text.len()),
            human_bytes(synthetic_out)
        ),
        time: s[0],
        bytes: Some(synthetic_text.len()),
        records: None,
        ratio: format!("{:.0}% of the 2 s budget", s[0].as_secs_f64() / 2.0 * 100.0),
    });
    report.targets.push(Target {
        what: "codegen, wsdl/engageip.wsdl",
        required: "< 50 ms".into(),
        measured: format!("{:.1} ms", t[0].as_secs_f64() * 1e3),
        met: t[0] < Duration::from_millis(50),
    });
    report.targets.push(Target {
        what: "codegen, 1 000 operations / 2 000 types",
        required: "< 2 s".into(),
        measured: format!("{:.2} s", s[0].as_secs_f64()),
        met: s[0] < Duration::from_secs(2),
    });
}

/// Heap bytes a decoded package holds beyond its `Vec` slot.
fn package_heap(p: &Package) -> usize {
    [&p.name, &p.sku, &p.description].iter().map(|s| s.as_ref().map_or(0, String::capacity)).sum()
}

fn memory_section(report: &mut Report) {
    report.section("memory (counting global allocator)");
    let n = 100_000;
    eprintln!("memory GetPackages ×{n}");
    let xml = fixtures::get_packages_response(n);
    let (items, live, peak) = alloc::measure(|| decode_packages(&xml));
    let tight = items.len() * size_of::<Package>() + items.iter().map(package_heap).sum::<usize>();
    let ratio = peak as f64 / live as f64;
    report.rows.push(Row {
        name: format!(
            "decode GetPackages ×{n} ({} in): peak heap {}, result holds {} ({} without Vec slack)",
            human_bytes(xml.len()),
            human_bytes(peak),
            human_bytes(live),
            human_bytes(tight)
        ),
        time: Duration::ZERO,
        bytes: None,
        records: None,
        ratio: format!("{ratio:.2}× result"),
    });
    report.targets.push(Target {
        what: "peak heap decoding 100 000 packages",
        required: "≤ 2× the result's size".into(),
        measured: format!("{ratio:.2}× ({} / {})", human_bytes(peak), human_bytes(live)),
        met: ratio <= 2.0,
    });
    drop(items);
}

fn human_bytes(n: usize) -> String {
    if n >= 10 * 1024 * 1024 {
        format!("{:.0} MiB", n as f64 / 1_048_576.0)
    } else if n >= 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / 1_048_576.0)
    } else if n >= 10 * 1024 {
        format!("{:.0} KiB", n as f64 / 1024.0)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

fn human_time(t: Duration) -> String {
    let ns = t.as_secs_f64() * 1e9;
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn human_rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.2} M", per_s / 1e6)
    } else if per_s >= 1e3 {
        format!("{:.1} k", per_s / 1e3)
    } else {
        format!("{per_s:.0}")
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    format!("{cpu}, {cores} cores (nproc)")
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

fn print(report: &Report, started_load: &str) {
    println!();
    println!("Machine: {}; load average at start {started_load}, at end {}", machine(), load());
    println!();
    println!("| Benchmark | Time/iter | MB/s | Records/s | Ratio |");
    println!("|---|---:|---:|---:|---|");
    for row in &report.rows {
        if row.time.is_zero() && row.bytes.is_none() && row.ratio.is_empty() {
            println!("| {} | | | | |", row.name);
            continue;
        }
        let time = if row.time.is_zero() { String::new() } else { human_time(row.time) };
        let mbs = match row.bytes {
            Some(b) if !row.time.is_zero() => format!("{:.1}", mb_per_s(b, row.time)),
            _ => String::new(),
        };
        let rps = match row.records {
            Some(r) if !row.time.is_zero() => human_rate(r as f64 / row.time.as_secs_f64()),
            _ => String::new(),
        };
        println!("| {} | {time} | {mbs} | {rps} | {} |", row.name, row.ratio);
    }
    if !report.targets.is_empty() {
        println!();
        println!("| Target | Required | Measured | |");
        println!("|---|---|---|---|");
        for t in &report.targets {
            println!("| {} | {} | {} | {} |", t.what, t.required, t.measured, if t.met { "met" } else { "**missed**" });
        }
    }
    for note in &report.notes {
        println!();
        println!("{note}");
    }
}

/// `--profile WHAT`: runs one piece of work, untimed, for a profiler
/// (`valgrind --tool=callgrind target/release/deps/perf-* --profile decode`): `floor`, `decode`,
/// `serde`, `encode` (the 10 000-package response, three times), `decode1` (the 1-package
/// response, 20 000 times), `client1` / `post1` (3 000 calls over loopback; `client10k` /
/// `post10k`: 50 calls for 10 000 packages), `codegen` (the
/// synthetic WSDL; `SYNTH_OPS=N` scales it, `SYNTH_DUMP=DIR` writes the generated files).
fn profile(what: &str) {
    if matches!(what, "client1" | "post1" | "client10k" | "post10k") {
        // One package over loopback, 3 000 calls, or 10 000 packages, 50 calls: the typed
        // client, or the raw POST.
        let (packages, calls) = if what.ends_with("10k") { (10_000, 50) } else { (1, 3_000) };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let server_rt =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
        let (url, _, _guard) = start_server(&server_rt, packages);
        let http = reqwest::Client::new();
        let client = engageip_api::Client::builder(url.clone())
            .credentials("bench", "secret")
            .http_client(http.clone())
            .build()
            .expect("client");
        let header = AuthHeader { username: Some("bench".into()), password: Some("secret".into()) };
        let request = engageip_api::types::GetPackages { username: Some("owner".into()) };
        let body = runtime::encode_request(SoapVersion::Soap11, Some(&header), &request).expect("encode");
        for _ in 0..calls {
            if what.starts_with("client") {
                black_box(rt.block_on(client.get_packages("owner")).expect("call"));
            } else {
                let post = http.post(&url).header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8");
                let r = rt.block_on(async { post.body(body.clone()).send().await?.bytes().await });
                black_box(r.expect("post"));
            }
        }
        return;
    }
    if what == "decode1" {
        let xml = fixtures::get_packages_response(1);
        for _ in 0..20_000 {
            black_box(decode_packages(black_box(&xml)));
        }
        return;
    }
    let xml = fixtures::get_packages_response(10_000);
    for _ in 0..3 {
        match what {
            "floor" => drop(black_box(floor(&xml))),
            "decode" => drop(black_box(decode_packages(&xml))),
            "serde" => drop(black_box(alt::decode_packages(&xml))),
            "codegen" => {
                let ops: usize =
                    std::env::var("SYNTH_OPS").ok().and_then(|v| v.parse().ok()).unwrap_or(synth::OPERATIONS);
                let input = engageip_codegen::Input::new("synthetic.wsdl", synth::wsdl(ops, ops * 2));
                let options = engageip_codegen::Options::default()
                    .client_type("crate::Client")
                    .client_trait(false)
                    .blocking_client_type("crate::blocking::Client")
                    .server(true);
                let files = engageip_codegen::generate(&input, &options).unwrap_or_else(|d| panic!("{d}"));
                for f in &files {
                    eprintln!("{}: {} bytes", f.path, f.text.len());
                    if let Ok(dir) = std::env::var("SYNTH_DUMP") {
                        std::fs::write(format!("{dir}/{}", f.path), &f.text).expect("write");
                    }
                }
                return;
            }
            "encode" => {
                let response = GetPackagesResponse { get_packages_result: Some(decode_packages(&xml)) };
                drop(black_box(runtime::encode_response(SoapVersion::Soap11, &response)));
            }
            other => panic!("--profile takes floor, decode, decode1, serde, encode or codegen, not {other}"),
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
    let cfg = Config {
        samples: if quick { 3 } else { 9 },
        sample_time: Duration::from_millis(if quick { 20 } else { 60 }),
        sections: args.into_iter().filter(|a| !a.starts_with("--")).collect(),
    };
    let started_load = load();
    let mut report = Report::default();
    if cfg.wants("decode") {
        decode_section(&cfg, &mut report);
    }
    if cfg.wants("encode") {
        encode_section(&cfg, &mut report);
    }
    if cfg.wants("e2e") {
        e2e_section(&cfg, &mut report);
    }
    if cfg.wants("codegen") {
        codegen_section(&cfg, &mut report);
    }
    if cfg.wants("memory") {
        memory_section(&mut report);
    }
    print(&report, &started_load);
}
