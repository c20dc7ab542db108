//! Decode: SOAP 1.1 responses of 1 to 100 000 records into `Vec<T>`, against the floor
//! (quick-xml's own event loop), a tag scan and the serde alternative, at every size.

use std::hint::black_box;

use crate::report::{Config, Job, Report, Row, human_bytes, measure};
use crate::{alt, decode_packages, decode_services, fixtures};

/// The floor: quick-xml's own reader over the same bytes, touching every event, allocating
/// nothing.
pub fn floor(xml: &str) -> usize {
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

const SIZES: [usize; 4] = [1, 100, 10_000, 100_000];

pub fn section(cfg: &Config, report: &mut Report) {
    report.section("decode (SOAP 1.1 response → Vec<T>)");
    // The lowest ratio to the floor and to serde over all sizes, and where.
    let mut worst_floor = (f64::INFINITY, String::new());
    let mut worst_serde = (f64::INFINITY, String::new());
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
        report.rows.push(Row::new(format!("{label}: floor (quick-xml events)"), floor_t, xml.len(), n, "1.00× floor"));
        report.rows.push(Row::new(
            format!("{label}: engageip-api"),
            ours_t,
            xml.len(),
            n,
            format!("{vs_floor:.2}× floor, {vs_serde:.2}× serde"),
        ));
        if n >= 10_000 {
            report.rows.push(Row::new(
                format!("{label}: tag scan, not a parser (memchr `<` `>`)"),
                scan_t,
                xml.len(),
                n,
                format!("{:.2}× floor", floor_t.as_secs_f64() / scan_t.as_secs_f64()),
            ));
        }
        report.rows.push(Row::new(
            format!("{label}: serde (quick-xml de)"),
            serde_t,
            xml.len(),
            n,
            format!("{:.2}× floor", floor_t.as_secs_f64() / serde_t.as_secs_f64()),
        ));
        if vs_floor < worst_floor.0 {
            worst_floor = (vs_floor, format!("{what} ×{n}"));
        }
        if vs_serde < worst_serde.0 {
            worst_serde = (vs_serde, format!("{what} ×{n}"));
        }
    }
    utf8_checks(cfg, report);
    report.target(
        "decode vs floor, every size (1 to 100 000 records, both operations)",
        "≥ 0.80× floor throughput",
        format!("lowest {:.2}× ({})", worst_floor.0, worst_floor.1),
        worst_floor.0 >= 0.8,
    );
    report.target(
        "decode vs serde, every size",
        "≥ 2.5× serde throughput",
        format!("lowest {:.2}× ({})", worst_serde.0, worst_serde.1),
        worst_serde.0 >= 2.5,
    );
}

/// The UTF-8 check the client runs on a whole body before decoding it: `std::str::from_utf8`
/// against `runtime::utf8_text` (simdutf8), on the same responses (a few non-ASCII characters
/// per record, as a catalogue has).
fn utf8_checks(cfg: &Config, report: &mut Report) {
    for n in [100usize, 10_000] {
        eprintln!("UTF-8 check ×{n}");
        let xml = fixtures::get_packages_response(n);
        let bytes = xml.as_bytes();
        let mut jobs: Vec<(&str, Job<'_>)> = vec![
            (
                "std",
                Box::new(|| {
                    black_box(std::str::from_utf8(black_box(bytes)).is_ok());
                }),
            ),
            (
                "utf8_text",
                Box::new(|| {
                    black_box(engageip_api::runtime::utf8_text(black_box(bytes)).is_ok());
                }),
            ),
        ];
        let t = measure(cfg, &mut jobs);
        let label = format!("GetPackages ×{n} ({}): whole-body UTF-8 check", human_bytes(xml.len()));
        report.rows.push(Row::new(format!("{label}, std::str::from_utf8"), t[0], xml.len(), n, "1.00×"));
        report.rows.push(Row::new(
            format!("{label}, runtime::utf8_text (the client's)"),
            t[1],
            xml.len(),
            n,
            format!("{:.2}× std's speed", t[0].as_secs_f64() / t[1].as_secs_f64()),
        ));
    }
}
