//! Building the generated (`#[non_exhaustive]`) types from outside the crate: a builder with
//! only what the schema requires, the error naming a required field left unset, `new()` for a
//! type the schema requires nothing of, and `with_*` setters taking a value, `Some` or `None`.

use engageip_api::runtime::{self, BuildError, SoapVersion};
use engageip_api::types::{AuthHeader, GetPackageServices};
use engageip_api::{DateTime, UpdatePackage};

#[test]
fn update_package_with_only_what_is_required() {
    let request = UpdatePackage::builder()
        .frequency(1)
        .in_active_override(false)
        .show_to_user_portal(true)
        .build()
        .expect("the three required fields are set");
    assert_eq!((request.frequency, request.in_active_override, request.show_to_user_portal), (1, false, true));
    assert_eq!(request.package_name, None);
    assert_eq!(request.start_date, None);
    // On the wire: the required elements, nil for the nillable date-times (what .NET calls "no
    // value"), and the optional strings left out.
    let xml = runtime::encode_request::<AuthHeader, _>(SoapVersion::Soap11, None, &request).expect("encodes");
    let body = xml.split("<soap:Body>").nth(1).unwrap_or_default();
    assert!(
        body.starts_with(
            r#"<UpdatePackage xmlns="Logisense_EngageIP"><startDate xsi:nil="true" /><expiryDate xsi:nil="true" /><frequency>1</frequency><inActiveOverride>false</inActiveOverride><showToUserPortal>true</showToUserPortal></UpdatePackage>"#
        ),
        "{body}"
    );
}

#[test]
fn a_required_field_left_unset_is_named() {
    let error = UpdatePackage::builder().frequency(1).show_to_user_portal(true).build().expect_err("one is missing");
    assert_eq!(error, BuildError { type_name: "UpdatePackage", field: "in_active_override" });
    assert_eq!(error.to_string(), "`UpdatePackage` requires `in_active_override`, which was not set");
}

#[test]
fn optional_setters_take_a_value_some_or_a_bare_none() {
    let start: DateTime = "2025-03-01T00:00:00Z".parse().expect("date");
    let request = UpdatePackage::builder()
        .package_name("Fiber 1000")
        .new_package_name(Some("Fiber 1G".to_owned()))
        .sku(None)
        .start_date(start)
        .frequency(12)
        .in_active_override(false)
        .show_to_user_portal(true)
        .build()
        .expect("required fields set")
        .with_description("renamed")
        .with_package_name(None);
    assert_eq!(request.package_name, None);
    assert_eq!(request.new_package_name.as_deref(), Some("Fiber 1G"));
    assert_eq!(request.description.as_deref(), Some("renamed"));
    assert_eq!(request.start_date, Some(start));
    let services = GetPackageServices::new().with_package_name("Basic Internet").with_owner_username(None);
    assert_eq!(services, GetPackageServices::default().with_package_name("Basic Internet"));
}
