//! End to end over loopback: the typed client against a raw reqwest POST of a pre-built body,
//! with the decode of the same response timed in the same rounds, so that the client's own cost
//! (client − raw POST − decode) is measured rather than inferred. Two rows show why that sum
//! is not what a call costs: the raw POST followed by the decode of its body (the decode timed
//! on its own inside it, so the row splits into the decode right after a network wait and the
//! round trip right after a decode), and the raw POST after a busy pause as long as the decode
//! (the round trip when requests are spaced as the client spaces them, without the decode's
//! memory traffic). Each contender's CPU time per call is split between the client's thread
//! and the server's, and the targets are also compared round by round.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::clients::{self, Gzip};
use crate::report::{Config, Job, Report, Row, human_bytes, human_time, measure_rounds, median, ratio};
use crate::thread_cpu::{CallClocks, CallCpu, ThreadClock};
use crate::{alt, decode_packages, fixtures};

/// The server the end-to-end benchmark calls: the generated one (`--features server`, as
/// `cargo xtask bench` builds) serving `n` packages, or else the fixed-response server.
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
    let addr = crate::server::spawn(fixtures::get_packages_response(n), crate::server::Compression::Off);
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

/// The runtimes and server `--profile client1|post1|client10k|post10k` and the group share.
pub struct Setup {
    pub rt: tokio::runtime::Runtime,
    _server_rt: tokio::runtime::Runtime,
    _guard: Box<dyn std::any::Any>,
    pub server_name: &'static str,
    pub url: String,
    pub client: engageip_api::Client,
    pub http: reqwest::Client,
    pub body: &'static str,
    /// The client's thread and the generated server's worker thread, where both can be read.
    pub clocks: Option<CallClocks>,
}

impl Setup {
    /// The client side on this thread; the server on its own runtime's worker thread.
    pub fn new(packages: usize) -> Setup {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let server_rt =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
        let (url, server_name, guard) = start_server(&server_rt, packages);
        // The server runtime's one worker runs every server task; the client's runtime runs on
        // this thread. The fixed-response server's thread is not reachable from here.
        let server_clock = if cfg!(feature = "server") {
            server_rt.block_on(async { tokio::spawn(async { ThreadClock::current() }).await.ok().flatten() })
        } else {
            None
        };
        let clocks = ThreadClock::current().zip(server_clock).map(|(client, server)| CallClocks { client, server });
        let client = clients::engageip(&url, Gzip::On);
        Setup {
            rt,
            _server_rt: server_rt,
            _guard: guard,
            server_name,
            client,
            http: clients::raw(),
            body: clients::get_packages_body(),
            url,
            clocks,
        }
    }

    pub fn client_call(&self) -> Vec<engageip_api::Package> {
        self.rt.block_on(self.client.get_packages("owner")).expect("call")
    }

    pub fn raw_post(&self) -> bytes::Bytes {
        self.rt.block_on(clients::raw_post(&self.http, &self.url, self.body)).expect("post")
    }
}

pub fn section(cfg: &Config, report: &mut Report) {
    let mut titled = false;
    for n in [1usize, 100, 10_000] {
        eprintln!("e2e GetPackages ×{n}");
        let setup = Setup::new(n);
        if !titled {
            report.section(&format!(
                "end to end: GetPackages over loopback HTTP/1.1, one connection reused, against {}",
                setup.server_name
            ));
            titled = true;
        }
        assert_eq!(setup.client_call().len(), n);
        let response = setup.raw_post();
        let text = std::str::from_utf8(&response).expect("UTF-8").to_owned();
        assert_eq!(decode_packages(&text).len(), n);
        let size = text.len();
        // How long the client spends between a response and its next request: the decode.
        let pause = typical(|| drop(black_box(decode_packages(black_box(&text)))));
        // The decode inside "raw POST, then this crate's decode", timed on its own: how much
        // of that row is the decode and how much the round trip around it.
        let inside = std::cell::RefCell::new(Vec::new());
        let mut jobs: Vec<(&str, Job<'_>)> = vec![
            ("client.get_packages", Box::new(|| drop(black_box(setup.client_call())))),
            ("raw reqwest POST", Box::new(|| drop(black_box(setup.raw_post())))),
            ("decode alone", Box::new(|| drop(black_box(decode_packages(black_box(&text)))))),
            (
                "raw reqwest POST + serde",
                Box::new(|| {
                    let body = setup.raw_post();
                    let text = std::str::from_utf8(&body).expect("UTF-8");
                    black_box(alt::decode_packages(text));
                }),
            ),
            (
                "raw reqwest POST + this crate's decode",
                Box::new(|| {
                    let body = setup.raw_post();
                    let started = Instant::now();
                    let text = engageip_api::runtime::utf8_text(&body).expect("UTF-8");
                    drop(black_box(decode_packages(text)));
                    inside.borrow_mut().push(started.elapsed());
                }),
            ),
            (
                "raw reqwest POST after a pause as long as the decode",
                Box::new(|| {
                    spin(pause);
                    drop(black_box(setup.raw_post()));
                }),
            ),
        ];
        let measured = measure_rounds(cfg, &mut jobs, setup.clocks.as_ref());
        let (t, cpu) = (&measured.medians, &measured.cpu);
        drop(jobs);
        let decode_inside = median(inside.into_inner());
        let (client_t, raw_t, decode_t, serde_t, raw_decode_t) = (t[0], t[1], t[2], t[3], t[4]);
        let paused_t = t[5].saturating_sub(pause);
        let bound = raw_t + decode_t + raw_t / 10;
        // What the client adds beyond the raw POST and the decode, as a share of the raw POST.
        let own = (client_t.as_secs_f64() - raw_t.as_secs_f64() - decode_t.as_secs_f64()) / raw_t.as_secs_f64();
        let label = format!("GetPackages ×{n} ({})", human_bytes(size));
        report.rows.push(Row::new(
            format!("{label}: engageip-api client"),
            client_t,
            size,
            n,
            format!(
                "{:.2}× raw POST time; own cost {:+.0}% of raw POST; {:.2}× POST+serde speed ({:.0} calls/s)",
                ratio(client_t, raw_t),
                own * 100.0,
                ratio(serde_t, client_t),
                1.0 / client_t.as_secs_f64()
            ),
        ));
        report.rows.push(Row::new(
            format!("{label}: raw reqwest POST of a pre-built body"),
            raw_t,
            size,
            n,
            format!("({:.0} calls/s)", 1.0 / raw_t.as_secs_f64()),
        ));
        report.rows.push(Row::new(
            format!("{label}: decode alone (the same response, from &str)"),
            decode_t,
            size,
            n,
            format!("raw POST + decode + 10% = {}", human_time(bound)),
        ));
        report.rows.push(Row::new(
            format!("{label}: raw POST, then this crate's decode of its body"),
            raw_decode_t,
            size,
            n,
            format!(
                "its UTF-8 check and decode, timed: {} ({} over decode alone); the rest, the round trip \
                 after the previous decode: {} ({} over back-to-back raw POSTs)",
                human_time(decode_inside),
                signed_time(decode_inside, decode_t),
                human_time(raw_decode_t.saturating_sub(decode_inside)),
                signed_time(raw_decode_t.saturating_sub(decode_inside), raw_t)
            ),
        ));
        report.rows.push(Row::new(
            format!(
                "{label}: raw POST after a busy pause as long as the decode ({}), pause excluded",
                human_time(pause)
            ),
            paused_t,
            size,
            n,
            format!(
                "{} against back-to-back raw POSTs: what the gap between calls costs the round trip",
                signed_time(paused_t, raw_t)
            ),
        ));
        // Where each contender's CPU time goes: the client's thread and the server's.
        let server_after_decode = match cpu[..] {
            [Some(client), Some(raw), _, _, Some(raw_decode), Some(paused)] => {
                report.rows.push(Row {
                    name: format!("{label}: CPU per call, the client's thread + the server's"),
                    time: Duration::ZERO,
                    bytes: None,
                    records: None,
                    ratio: format!(
                        "raw POST {}; raw POST then decode {}; after the busy pause (its spin included) {}; client {}. \
                         The client's thread in a call, against raw POST then decode: {}; the server's thread \
                         after a decode, against back to back: {}",
                        split(raw),
                        split(raw_decode),
                        split(paused),
                        split(client),
                        signed_time(client.client, raw_decode.client),
                        signed_time(raw_decode.server, raw.server)
                    ),
                });
                format!(
                    "; the server's thread after a decode: {} CPU per call",
                    signed_time(raw_decode.server, raw.server)
                )
            }
            _ => String::new(),
        };
        report.rows.push(Row::new(
            format!("{label}: raw POST + serde decode"),
            serde_t,
            size,
            n,
            format!("({:.0} calls/s)", 1.0 / serde_t.as_secs_f64()),
        ));
        // The same comparison round by round, which cancels the machine's slower drifts: each
        // round's client time over the bound from that round's raw POST and decode.
        let paired: Vec<f64> = measured.rounds.iter().map(|r| ratio(r[0], r[1] + r[2] + r[1] / 10)).collect();
        let paired_note = format!(
            "; round by round, client / bound: median {:.3}, within the bound in {} of {} rounds",
            median(paired.clone()),
            paired.iter().filter(|&&q| q <= 1.0).count(),
            paired.len()
        );
        if n <= 100 {
            report.target(
                format!("loopback, {n} package{}: client time", if n == 1 { "" } else { "s" }),
                "≤ raw POST + decode + 10% of raw POST",
                format!(
                    "{} vs {} (own cost {:+.0}% of raw POST); raw POST then decode: {} ({}); client − that: {}",
                    human_time(client_t),
                    human_time(bound),
                    own * 100.0,
                    human_time(raw_decode_t),
                    if raw_decode_t <= bound { "within the bound" } else { "itself over the bound" },
                    signed_time(client_t, raw_decode_t)
                ) + &paired_note
                    + &server_after_decode,
                client_t <= bound,
            );
        }
    }
}

/// The median of a few dozen runs of `job`, after as many untimed ones (the first runs of a
/// decode fault in its memory): a quick estimate, for sizing a pause.
fn typical(mut job: impl FnMut()) -> Duration {
    for _ in 0..31 {
        job();
    }
    median(
        (0..31)
            .map(|_| {
                let start = Instant::now();
                job();
                start.elapsed()
            })
            .collect(),
    )
}

/// Waits `d` without sleeping, so that this thread stays on its core as it does while decoding.
fn spin(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

/// `a − b` with its sign, as "+1.20 µs" or "−3.40 µs".
fn signed_time(a: Duration, b: Duration) -> String {
    if a >= b { format!("+{}", human_time(a - b)) } else { format!("−{}", human_time(b - a)) }
}

/// One call's CPU time as "client + server", as "61.20 + 224.10 µs".
fn split(cpu: CallCpu) -> String {
    format!("{} + {}", human_time(cpu.client), human_time(cpu.server))
}
