//! Codegen: the generator on `wsdl/engageip.wsdl` and on the synthetic 1 000-operation WSDL,
//! against prettyplease alone printing the same output (parsed into `syn` once, outside the
//! timing, and printed in chunks on as many threads as the generator uses), so that the
//! targets are ratios to work measured in the same run rather than wall-clock budgets.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::report::{Config, Job, Report, Row, human_bytes, human_time, measure, ratio};
use crate::synth;

/// The options `cargo xtask regen` uses: types, client, blocking client, server.
pub fn regen_options() -> engageip_codegen::Options {
    engageip_codegen::Options::default()
        .runtime_path("crate::runtime")
        .client_type("crate::Client")
        .client_trait(false)
        .error_type("crate::Error")
        .blocking_client_type("crate::blocking::Client")
        .blocking_feature("blocking")
        .server(true)
        .server_feature("server")
}

/// Worker threads: as many as the generator starts.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).min(8)
}

/// The generated files cut into pieces of about equal item count (64 per thread, as the
/// generator cuts its types module), each printed back to text: what the printer threads parse
/// (syn's trees are not `Send`, so each thread parses its own share once).
fn pieces(files: &[engageip_codegen::GeneratedFile]) -> Vec<String> {
    let mut items: Vec<syn::Item> = Vec::new();
    for f in files {
        let file: syn::File = syn::parse_file(&f.text).unwrap_or_else(|e| panic!("{}: {e}", f.path));
        items.extend(file.items);
    }
    let per = items.len().div_ceil(threads() * 64).max(1);
    let mut out = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let mut file = syn::parse_file("").expect("an empty file parses");
        file.items = items.by_ref().take(per).collect();
        out.push(prettyplease::unparse(&file));
    }
    out
}

/// prettyplease alone: one thread per core, each holding its share of the pieces as `syn`
/// trees (pieces dealt in turn, so every share has small and large ones), printing all of them
/// once per [`Printers::print`].
struct Printers {
    start: Arc<Barrier>,
    done: Arc<Barrier>,
    stop: Arc<AtomicBool>,
    bytes: Arc<AtomicUsize>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

impl Printers {
    fn new(pieces: Vec<String>) -> Printers {
        let n = threads();
        let start = Arc::new(Barrier::new(n + 1));
        let done = Arc::new(Barrier::new(n + 1));
        let stop = Arc::new(AtomicBool::new(false));
        let bytes = Arc::new(AtomicUsize::new(0));
        let mut shares: Vec<Vec<String>> = vec![Vec::new(); n];
        for (i, p) in pieces.into_iter().enumerate() {
            shares[i % n].push(p);
        }
        let handles = shares
            .into_iter()
            .map(|share| {
                let (start, done, stop, bytes) =
                    (Arc::clone(&start), Arc::clone(&done), Arc::clone(&stop), Arc::clone(&bytes));
                std::thread::spawn(move || {
                    let files: Vec<syn::File> =
                        share.iter().map(|t| syn::parse_file(t).expect("printed code parses")).collect();
                    drop(share);
                    loop {
                        start.wait();
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let printed: usize = files.iter().map(|f| prettyplease::unparse(f).len()).sum();
                        bytes.fetch_add(printed, Ordering::Relaxed);
                        done.wait();
                    }
                })
            })
            .collect();
        Printers { start, done, stop, bytes, handles }
    }

    /// Prints every piece once; returns the bytes printed.
    fn print(&self) -> usize {
        self.bytes.store(0, Ordering::Relaxed);
        self.start.wait();
        self.done.wait();
        self.bytes.load(Ordering::Relaxed)
    }
}

impl Drop for Printers {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.start.wait();
        for h in self.handles.drain(..) {
            let _ = h.join();
        }
    }
}

pub fn section(cfg: &Config, report: &mut Report) {
    report.section(&format!(
        "codegen (engageip_codegen::generate: parse → IR → syn trees → prettyplease, {} threads; rustfmt not included)",
        threads()
    ));
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let root = std::path::Path::new(root);
    let engageip =
        engageip_codegen::load(root.join("wsdl/engageip.wsdl"), Some(&root.join("wsdl/engageip.annotations")))
            .unwrap_or_else(|e| panic!("{e}"))
            .input;
    let options = regen_options();
    let synthetic_text = synth::wsdl(synth::OPERATIONS, synth::TYPES);
    let synthetic = engageip_codegen::Input::new("synthetic.wsdl", synthetic_text.clone());
    let generate =
        |input: &engageip_codegen::Input| engageip_codegen::generate(input, &options).unwrap_or_else(|d| panic!("{d}"));
    let engageip_out: usize = generate(&engageip).iter().map(|f| f.text.len()).sum();
    let synthetic_files = generate(&synthetic);
    let synthetic_out: usize = synthetic_files.iter().map(|f| f.text.len()).sum();
    eprintln!("codegen: parsing the synthetic output for prettyplease alone");
    let printers = Printers::new(pieces(&synthetic_files));
    drop(synthetic_files);
    eprintln!("codegen");
    let mut jobs: Vec<(&str, Job<'_>)> = vec![(
        "engageip.wsdl",
        Box::new(|| drop(black_box(engageip_codegen::generate(black_box(&engageip), &options)))),
    )];
    let e = measure(cfg, &mut jobs)[0];
    // One iteration per round: a whole generation is over a second.
    let rounds = Config {
        samples: cfg.samples.min(5),
        sample_time: Duration::ZERO,
        sections: Vec::new(),
        link: cfg.link,
        gzip_level: cfg.gzip_level,
    };
    let mut jobs: Vec<(&str, Job<'_>)> = vec![
        ("synthetic", Box::new(|| drop(black_box(engageip_codegen::generate(black_box(&synthetic), &options))))),
        (
            "prettyplease alone",
            Box::new(|| {
                black_box(printers.print());
            }),
        ),
    ];
    let t = measure(&rounds, &mut jobs);
    let (s, pp) = (t[0], t[1]);
    let per_op = |t: Duration, ops: usize| human_time(t / ops as u32);
    report.rows.push(Row::new(
        format!(
            "wsdl/engageip.wsdl: 5 operations ({} in, {} out)",
            human_bytes(engageip.wsdl.text.len()),
            human_bytes(engageip_out)
        ),
        e,
        engageip.wsdl.text.len(),
        5,
        format!("{:.4}× the synthetic WSDL (1/{:.0}); {} per operation", ratio(e, s), ratio(s, e), per_op(e, 5)),
    ));
    report.rows.push(Row::new(
        format!(
            "synthetic: {} operations, {} types ({} in, {} out)",
            synth::OPERATIONS,
            synth::TYPES,
            human_bytes(synthetic_text.len()),
            human_bytes(synthetic_out)
        ),
        s,
        synthetic_text.len(),
        synth::OPERATIONS,
        format!("{:.2}× prettyplease alone; {} per operation", ratio(s, pp), per_op(s, synth::OPERATIONS)),
    ));
    report.rows.push(Row::new(
        format!(
            "synthetic: prettyplease alone printing the same {} (from syn, same threads)",
            human_bytes(synthetic_out)
        ),
        pp,
        synthetic_out,
        synth::OPERATIONS,
        "",
    ));
    let r = ratio(s, pp);
    report.target(
        "codegen, 1 000 operations: whole generation / prettyplease alone on its output",
        "≤ 3×",
        format!("{r:.2}× ({} / {})", human_time(s), human_time(pp)),
        r <= 3.0,
    );
    let r = ratio(e, s);
    report.target(
        "codegen, wsdl/engageip.wsdl (5 operations) / the 1 000-operation WSDL",
        "≤ 1/20 (0.050×)",
        format!("{r:.4}× = 1/{:.0} ({} / {})", 1.0 / r, human_time(e), human_time(s)),
        r <= 0.05,
    );
}
