//! Concurrency on one client: 1, 16 and 64 GetPackages ×100 calls at once over one shared
//! async `Client` (tasks on a two-worker runtime) and over one blocking client (from as many
//! threads), against raw reqwest + serde decode at the same concurrency.
//!
//! The server is the fixed-response one, so that the figures are the clients' work. One
//! iteration is one batch: start all calls, wait for all; throughput is calls per second.

use std::sync::Arc;

use crate::clients::{self, Gzip};
use crate::report::{Config, Job, Report, Row, human_bytes, measure, ratio};
use crate::server::{self, Compression};
use crate::{alt, fixtures};

/// Packages per response.
const PACKAGES: usize = 100;
/// Calls in flight at once.
pub const LEVELS: [usize; 3] = [1, 16, 64];

/// What the group and `--profile concurrent` share: the server, the clients, a runtime.
pub struct Setup {
    pub rt: tokio::runtime::Runtime,
    pub client: Arc<engageip_api::Client>,
    pub http: reqwest::Client,
    pub url: Arc<str>,
    pub body: &'static str,
    pub size: usize,
}

impl Setup {
    pub fn new() -> Setup {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let response = fixtures::get_packages_response(PACKAGES);
        let size = response.len();
        let addr = server::spawn(response, Compression::Off);
        let url: Arc<str> = format!("http://{addr}/adminportal/webservice.asmx").into();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let client = Arc::new(clients::engageip(&url, Gzip::On));
        Setup { rt, client, http: clients::raw(), url, body: clients::get_packages_body(), size }
    }

    /// `calls` typed calls at once, each its own task; panics on a failed call.
    pub fn client_batch(&self, calls: usize) {
        self.rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..calls {
                let client = Arc::clone(&self.client);
                set.spawn(async move { client.get_packages("owner").await.map(|p| p.len()) });
            }
            while let Some(done) = set.join_next().await {
                assert_eq!(done.expect("task").expect("call"), PACKAGES);
            }
        });
    }

    /// `calls` raw POSTs + serde decodes at once, each its own task.
    pub fn raw_batch(&self, calls: usize) {
        self.rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..calls {
                let (http, url, body) = (self.http.clone(), Arc::clone(&self.url), self.body);
                set.spawn(async move {
                    let bytes = clients::raw_post(&http, &url, body).await.expect("post");
                    let text = std::str::from_utf8(&bytes).expect("UTF-8");
                    alt::decode_packages(text).len()
                });
            }
            while let Some(done) = set.join_next().await {
                assert_eq!(done.expect("task"), PACKAGES);
            }
        });
    }
}

pub fn section(cfg: &Config, report: &mut Report) {
    report.section(&format!(
        "concurrency: GetPackages ×{PACKAGES} calls at once over one shared client (async: tasks on a \
         2-worker runtime; blocking: one thread per call), fixed-response server on loopback"
    ));
    let setup = Setup::new();
    #[cfg(feature = "blocking")]
    let blocking = blocking::Client::new(&setup.url);
    for calls in LEVELS {
        eprintln!("concurrency ×{calls}");
        setup.client_batch(calls);
        setup.raw_batch(calls);
        #[cfg(feature = "blocking")]
        let threads = blocking::Threads::new(&blocking, calls);
        let mut jobs: Vec<(&str, Job<'_>)> = vec![
            ("async client", Box::new(|| setup.client_batch(calls))),
            ("raw reqwest + serde", Box::new(|| setup.raw_batch(calls))),
        ];
        #[cfg(feature = "blocking")]
        jobs.push(("blocking client", Box::new(|| threads.batch())));
        let t = measure(cfg, &mut jobs);
        let label = format!("{calls} at once ({} each)", human_bytes(setup.size));
        let rate = |t: std::time::Duration| calls as f64 / t.as_secs_f64();
        report.rows.push(Row::new(
            format!("{label}: engageip-api async client"),
            t[0],
            setup.size * calls,
            PACKAGES * calls,
            format!("{:.2}× raw+serde throughput ({:.0} calls/s)", ratio(t[1], t[0]), rate(t[0])),
        ));
        #[cfg(feature = "blocking")]
        report.rows.push(Row::new(
            format!("{label}: engageip-api blocking client, {calls} threads"),
            t[2],
            setup.size * calls,
            PACKAGES * calls,
            format!("{:.2}× raw+serde throughput ({:.0} calls/s)", ratio(t[1], t[2]), rate(t[2])),
        ));
        report.rows.push(Row::new(
            format!("{label}: raw reqwest POST + serde decode"),
            t[1],
            setup.size * calls,
            PACKAGES * calls,
            format!("({:.0} calls/s)", rate(t[1])),
        ));
        if calls == 64 {
            let r = ratio(t[1], t[0]);
            report.target(
                "64 calls at once, async client / raw reqwest + serde",
                "≥ 1.5× throughput",
                format!("{r:.2}×"),
                r >= 1.5,
            );
            #[cfg(feature = "blocking")]
            {
                let r = ratio(t[1], t[2]);
                report.target(
                    "64 calls at once, blocking client (64 threads) / raw reqwest + serde",
                    "≥ 1.5× throughput",
                    format!("{r:.2}×"),
                    r >= 1.5,
                );
            }
        }
    }
}

/// The blocking client, shared by a fixed set of threads that each make one call per batch.
#[cfg(feature = "blocking")]
pub mod blocking {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Barrier};

    use super::PACKAGES;

    /// One blocking client for the whole group.
    pub struct Client(Arc<engageip_api::blocking::Client>);

    impl Client {
        pub fn new(url: &str) -> Client {
            let client = engageip_api::blocking::Client::builder(url)
                .credentials("bench", "secret")
                .retry_policy(engageip_api::RetryPolicy::none())
                .build()
                .expect("blocking client");
            Client(Arc::new(client))
        }
    }

    /// `n` threads parked between batches, so a batch does not pay for starting threads.
    pub struct Threads {
        start: Arc<Barrier>,
        done: Arc<Barrier>,
        stop: Arc<AtomicBool>,
        handles: Vec<std::thread::JoinHandle<()>>,
    }

    impl Threads {
        pub fn new(client: &Client, n: usize) -> Threads {
            let start = Arc::new(Barrier::new(n + 1));
            let done = Arc::new(Barrier::new(n + 1));
            let stop = Arc::new(AtomicBool::new(false));
            let handles = (0..n)
                .map(|_| {
                    let (client, start, done, stop) =
                        (Arc::clone(&client.0), Arc::clone(&start), Arc::clone(&done), Arc::clone(&stop));
                    std::thread::spawn(move || {
                        loop {
                            start.wait();
                            if stop.load(Ordering::Relaxed) {
                                return;
                            }
                            // A failed call would leave the batch waiting at the barrier: end the run.
                            match client.get_packages("owner") {
                                Ok(p) if p.len() == PACKAGES => {}
                                other => {
                                    eprintln!("blocking call: {:?}", other.map(|p| p.len()));
                                    std::process::exit(1);
                                }
                            }
                            done.wait();
                        }
                    })
                })
                .collect();
            Threads { start, done, stop, handles }
        }

        /// One call on every thread; returns when all are done.
        pub fn batch(&self) {
            self.start.wait();
            self.done.wait();
        }
    }

    impl Drop for Threads {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::Relaxed);
            self.start.wait();
            for h in self.handles.drain(..) {
                let _ = h.join();
            }
        }
    }
}
