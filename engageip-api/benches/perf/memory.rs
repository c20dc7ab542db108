//! Memory: the peak heap while decoding 100 000 packages, against what the result holds.

use std::time::Duration;

use engageip_api::Package;

use crate::report::{Report, Row, human_bytes};
use crate::{alloc, decode_packages, fixtures};

/// Heap bytes a decoded package holds beyond its `Vec` slot.
fn package_heap(p: &Package) -> usize {
    [&p.name, &p.sku, &p.description].iter().map(|s| s.as_ref().map_or(0, String::capacity)).sum()
}

pub fn section(report: &mut Report) {
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
    report.target(
        "peak heap decoding 100 000 packages",
        "≤ 2× the result's size",
        format!("{ratio:.2}× ({} / {})", human_bytes(peak), human_bytes(live)),
        ratio <= 2.0,
    );
    drop(items);
}
