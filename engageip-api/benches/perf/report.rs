//! The harness: interleaved rounds with medians ([`measure`]), the rows and targets of one run
//! ([`Report`]), and the Markdown table it prints with the machine and its load average.

use std::time::{Duration, Instant};

use crate::thread_cpu::{CallClocks, CallCpu};

/// What the command line asked for.
pub struct Config {
    /// Rounds per group (each contender once per round).
    pub samples: usize,
    /// Time one contender runs in one round.
    pub sample_time: Duration,
    /// Sections to run; empty runs them all.
    pub sections: Vec<String>,
    /// The WAN group's link.
    pub link: crate::relay::Link,
    /// The gzip level of the WAN group's server (0–9).
    pub gzip_level: u32,
}

impl Config {
    /// Whether `section` runs.
    pub fn wants(&self, section: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == section)
    }
}

/// One line of the table.
pub struct Row {
    pub name: String,
    /// Median time of one iteration.
    pub time: Duration,
    pub bytes: Option<usize>,
    pub records: Option<usize>,
    pub ratio: String,
}

impl Row {
    /// A row with a time, bytes and records per iteration, and a ratio column.
    pub fn new(name: impl Into<String>, time: Duration, bytes: usize, records: usize, ratio: impl Into<String>) -> Row {
        Row { name: name.into(), time, bytes: Some(bytes), records: Some(records), ratio: ratio.into() }
    }
}

/// A target and whether the run met it.
pub struct Target {
    pub what: String,
    pub required: String,
    pub measured: String,
    pub met: bool,
}

/// Everything one run found.
#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
    pub targets: Vec<Target>,
    pub notes: Vec<String>,
    /// The 1-minute load average when each section started.
    pub loads: Vec<(String, f64)>,
}

impl Report {
    /// Starts a section: a bold title row, and the load average at its start.
    pub fn section(&mut self, title: &str) {
        self.loads.push((title.split([' ', ':', '(']).next().unwrap_or(title).to_owned(), load1()));
        self.rows.push(Row {
            name: format!("**{title}**"),
            time: Duration::ZERO,
            bytes: None,
            records: None,
            ratio: String::new(),
        });
    }

    /// Adds a target.
    pub fn target(
        &mut self,
        what: impl Into<String>,
        required: impl Into<String>,
        measured: impl Into<String>,
        met: bool,
    ) {
        self.targets.push(Target { what: what.into(), required: required.into(), measured: measured.into(), met });
    }
}

/// One iteration of a contender.
pub type Job<'a> = Box<dyn FnMut() + 'a>;

/// Runs the jobs in interleaved rounds and returns each one's median time per iteration.
pub fn measure(cfg: &Config, jobs: &mut [(&str, Job<'_>)]) -> Vec<Duration> {
    measure_rounds(cfg, jobs, None).medians
}

/// What [`measure_rounds`] found.
pub struct Measured {
    /// Each job's median time per iteration.
    pub medians: Vec<Duration>,
    /// Each round's time per iteration, `rounds[round][job]`: the jobs of one round ran
    /// within a few hundred milliseconds of each other, so comparing them round by round
    /// cancels the machine's slower drifts.
    pub rounds: Vec<Vec<Duration>>,
    /// With clocks, each job's CPU time per iteration on the client's thread and the
    /// server's, summed over the rounds (`None` where a clock could not be read).
    pub cpu: Vec<Option<CallCpu>>,
}

/// [`measure`], keeping every round, and, with `clocks`, each job's CPU time per iteration
/// on the client's thread and the server's (both clocks read around every round).
pub fn measure_rounds(cfg: &Config, jobs: &mut [(&str, Job<'_>)], clocks: Option<&CallClocks>) -> Measured {
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
    let mut rounds: Vec<Vec<Duration>> = Vec::with_capacity(cfg.samples);
    let mut cpu: Vec<Option<[Duration; 2]>> = vec![clocks.map(|_| [Duration::ZERO; 2]); jobs.len()];
    for _ in 0..cfg.samples {
        let mut round = Vec::with_capacity(jobs.len());
        for (i, (_, job)) in jobs.iter_mut().enumerate() {
            let before = clocks.and_then(CallClocks::read);
            let start = Instant::now();
            for _ in 0..iters[i] {
                job();
            }
            round.push(start.elapsed() / iters[i]);
            let after = clocks.and_then(CallClocks::read);
            cpu[i] = match (cpu[i], before, after) {
                (Some(sum), Some(b), Some(a)) => {
                    Some([sum[0] + a[0].saturating_sub(b[0]), sum[1] + a[1].saturating_sub(b[1])])
                }
                _ => None,
            };
        }
        rounds.push(round);
    }
    let calls = |i: usize| iters[i].saturating_mul(u32::try_from(cfg.samples).unwrap_or(u32::MAX).max(1));
    let cpu = cpu
        .iter()
        .enumerate()
        .map(|(i, sum)| sum.map(|[client, server]| CallCpu { client: client / calls(i), server: server / calls(i) }))
        .collect();
    let medians = (0..jobs.len()).map(|i| median(rounds.iter().map(|r| r[i]).collect())).collect();
    Measured { medians, rounds, cpu }
}

/// The median of some times or ratios (the upper one of an even count; the default for none).
pub fn median<T: Copy + Default + PartialOrd>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// `a / b` of two durations.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

pub fn human_bytes(n: usize) -> String {
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

pub fn human_time(t: Duration) -> String {
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

/// The three load averages, as `/proc/loadavg` has them.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

/// The 1-minute load average (NaN where `/proc/loadavg` cannot be read).
pub fn load1() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// Prints the run: machine and load average, the table, the targets, the notes.
pub fn print(report: &Report, started_load: &str) {
    println!();
    println!("Machine: {}", machine());
    let per_section: Vec<String> = report.loads.iter().map(|(s, l)| format!("{s} {l:.2}")).collect();
    println!(
        "Load average (1, 5, 15 min): at start {started_load}, at end {}; 1-min at each section's start: {}",
        load(),
        per_section.join(", ")
    );
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
            Some(b) if !row.time.is_zero() => format!("{:.1}", b as f64 / row.time.as_secs_f64() / 1e6),
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
