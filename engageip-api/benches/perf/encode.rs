//! Encode: a request with the `AuthHeader`, and a 10 000-package response against serde's.

use std::hint::black_box;

use engageip_api::runtime::{self, SoapVersion};
use engageip_api::types::GetPackagesResponse;
use engageip_api::{AuthHeader, DateTime, UpdatePackage};

use crate::report::{Config, Job, Report, Row, human_bytes, measure};
use crate::{alt, decode_packages, fixtures};

fn update_package() -> UpdatePackage {
    UpdatePackage::builder()
        .package_name("Basic")
        .new_package_name("Basic & <More>")
        .sku("BAS-001")
        .description("Entry plan – café")
        .start_date(Some("2024-02-29T12:00:00.1234567".parse::<DateTime>().expect("date")))
        .expiry_date(None)
        .frequency(1)
        .base_time_unit_type_name("Month")
        .in_active_override(false)
        .show_to_user_portal(true)
        .invoice_identifier(None)
        .build()
        .expect("every required field is set")
}

pub fn section(cfg: &Config, report: &mut Report) {
    report.section("encode");
    eprintln!("encode UpdatePackage request");
    let header = AuthHeader::new().with_username("admin").with_password("secret");
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
    let response = GetPackagesResponse::new().with_get_packages_result(Some(items));
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
