//! serde (feature `serde`): every generated type of the EngageIP schema goes to JSON and back
//! unchanged, over generated values; `DateTime` keeps its exact lexical form (offset kind and
//! fraction digits); JSON keys are the XML element names; the password is never written.

use engageip_api::DateTime;
use engageip_api::types::{
    AuthHeader, GetPackageServices, GetPackageServicesResponse, GetPackageUpgrades, GetPackageUpgradesResponse,
    GetPackages, GetPackagesResponse, Package, Service, UpdatePackage, UpdatePackageResponse, UpgradeUserPackage,
    UpgradeUserPackageResponse, Validate,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The lexical forms .NET writes: with or without a fraction of 1 to 7 digits (trailing zeros
/// kept), with `Z`, `±hh:mm` or no offset, and a date alone.
fn datetime_text() -> impl Strategy<Value = String> {
    let offset = prop_oneof![
        Just(String::new()),
        Just("Z".to_owned()),
        (any::<bool>(), 0u8..=13, 0u8..=59)
            .prop_map(|(neg, h, m)| format!("{}{h:02}:{m:02}", if neg { '-' } else { '+' })),
        Just("+14:00".to_owned()),
    ];
    let fraction = prop_oneof![Just(String::new()), "[0-9]{1,7}".prop_map(|d| format!(".{d}"))];
    let full = (1i32..=9999, 1u8..=12, 1u8..=28, 0u8..=23, 0u8..=59, 0u8..=59, fraction, offset)
        .prop_map(|(y, mo, d, h, mi, s, f, o)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}{o}"));
    let date_only = (1i32..=9999, 1u8..=12, 1u8..=28).prop_map(|(y, mo, d)| format!("{y:04}-{mo:02}-{d:02}"));
    prop_oneof![8 => full, 1 => date_only]
}

fn datetime() -> impl Strategy<Value = DateTime> {
    datetime_text().prop_map(|t| t.parse::<DateTime>().unwrap_or_else(|e| panic!("{t}: {e}")))
}

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[ -~\u{e9}\u{1F600}<>&\"']{0,12}")
}

fn amount() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>().prop_filter("finite", |f| f.is_finite()), Just(0.0), Just(-0.0), Just(19.99)]
}

fn validate() -> impl Strategy<Value = Option<Validate>> {
    proptest::option::of(Just(Validate::new()))
}

prop_compose! {
    fn package()(
        (validate, id, name, sku, owner_id, frequency, unit) in (validate(), any::<i32>(), text(), text(), any::<i32>(), any::<i32>(), any::<i32>()),
        (amount, created, description, one_time, inactive, start) in (amount(), datetime(), text(), amount(), any::<bool>(), datetime()),
        (expiry, invoice, show) in (proptest::option::of(datetime()), any::<i32>(), any::<bool>()),
    ) -> Package {
        Package::builder()
            .validate(validate)
            .id(id)
            .name(name)
            .sku(sku)
            .owner_id(owner_id)
            .frequency(frequency)
            .base_time_unit_type_id(unit)
            .amount(amount)
            .created_date(created)
            .description(description)
            .one_time_amount(one_time)
            .inactive_override(inactive)
            .start_date(start)
            .expiry_date(expiry)
            .invoice_identifier_id(invoice)
            .show_to_user_portal(show)
            .build()
            .expect("every required field is set")
    }
}

prop_compose! {
    fn service()(
        (validate, id, kind, name, owner_id, unit_type, unit) in (validate(), any::<i32>(), any::<i32>(), text(), any::<i32>(), any::<i32>(), any::<i32>()),
        (created, fee, description, invoice, inactive, period) in (datetime(), amount(), text(), any::<i32>(), any::<bool>(), any::<i32>()),
        (show, sku) in (any::<bool>(), text()),
    ) -> Service {
        Service::builder()
            .validate(validate)
            .id(id)
            .service_type_id(kind)
            .name(name)
            .owner_id(owner_id)
            .base_time_unit_type_id(unit_type)
            .base_time_unit(unit)
            .created_date(created)
            .base_fee(fee)
            .description(description)
            .invoice_identifier_id(invoice)
            .inactive(inactive)
            .billing_period_type_id(period)
            .show_on_ticket_transaction(show)
            .sku(sku)
            .build()
            .expect("every required field is set")
    }
}

prop_compose! {
    fn update_package()(
        (name, new_name, sku, description) in (text(), text(), text(), text()),
        (start, expiry, frequency, unit) in (proptest::option::of(datetime()), proptest::option::of(datetime()), any::<i32>(), text()),
        (inactive, show, invoice) in (any::<bool>(), any::<bool>(), text()),
    ) -> UpdatePackage {
        UpdatePackage::builder()
            .package_name(name)
            .new_package_name(new_name)
            .sku(sku)
            .description(description)
            .start_date(start)
            .expiry_date(expiry)
            .frequency(frequency)
            .base_time_unit_type_name(unit)
            .in_active_override(inactive)
            .show_to_user_portal(show)
            .invoice_identifier(invoice)
            .build()
            .expect("every required field is set")
    }
}

/// `value` to JSON and back is `value`, and the JSON written again is the same text.
fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<String, TestCaseError> {
    let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(format!("serialize: {e}")))?;
    let back: T = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("deserialize {json}: {e}")))?;
    prop_assert_eq!(&back, value, "{}", json);
    prop_assert_eq!(serde_json::to_string(&back).ok(), Some(json.clone()));
    Ok(json)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn packages_and_their_response_round_trip(items in proptest::collection::vec(package(), 0..4), some in any::<bool>()) {
        for p in &items {
            let json = round_trips(p)?;
            // DateTime is its exact lexical form: the text .NET wrote, byte for byte.
            let created = format!("\"CreatedDate\":\"{}\"", p.created_date);
            prop_assert!(json.contains(&created), "{} lacks {}", json, created);
        }
        let response = GetPackagesResponse::new().with_get_packages_result(some.then(|| items.clone()));
        round_trips(&response)?;
        round_trips(&GetPackageUpgradesResponse::new().with_get_package_upgrades_result(some.then_some(items)))?;
    }

    #[test]
    fn services_and_their_response_round_trip(items in proptest::collection::vec(service(), 0..4)) {
        for s in &items {
            round_trips(s)?;
        }
        round_trips(&GetPackageServicesResponse::new().with_get_package_services_result(items))?;
    }

    #[test]
    fn requests_round_trip(
        update in update_package(),
        (a, b) in (text(), text()),
        (id, target, charge) in any::<(i32, i32, bool)>(),
    ) {
        round_trips(&update)?;
        round_trips(&GetPackages::new().with_username(a.clone()))?;
        round_trips(&GetPackageUpgrades::new().with_username(a.clone()).with_packagename(b.clone()))?;
        round_trips(&GetPackageServices::new().with_package_name(a).with_owner_username(b))?;
        let upgrade = UpgradeUserPackage::builder()
            .user_package_id(id)
            .target_package_id(target)
            .charge_credit_card(charge)
            .build()
            .expect("every required field is set");
        round_trips(&upgrade)?;
        round_trips(&UpdatePackageResponse::new())?;
        round_trips(&UpgradeUserPackageResponse::new())?;
        round_trips(&Validate::new())?;
    }

    /// The header round-trips except its password, which is never written.
    #[test]
    fn the_auth_header_never_writes_its_password(user in text(), password in "[a-z]{8,16}") {
        let header = AuthHeader::new().with_username(user.clone()).with_password(password.clone());
        let json = serde_json::to_string(&header).expect("serializes");
        prop_assert!(!json.contains(&password) && !json.contains("Password"), "{}", json);
        let back: AuthHeader = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(back, AuthHeader::new().with_username(user));
    }
}

/// The CLI's JSON shape: keys are the XML element names, a null string is `null`, a date-time
/// is its text.
#[test]
fn json_keys_are_the_xml_element_names() {
    let package = Package::builder()
        .id(101)
        .name("Basic Internet")
        .owner_id(1)
        .frequency(1)
        .base_time_unit_type_id(3)
        .amount(29.99)
        .created_date("2020-01-01T00:00:00".parse().expect("date"))
        .one_time_amount(0.0)
        .inactive_override(false)
        .start_date("2020-01-01T00:00:00Z".parse().expect("date"))
        .invoice_identifier_id(1)
        .show_to_user_portal(true)
        .build()
        .expect("every required field is set");
    let json = serde_json::to_value(&package).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({
            "Validate": null, "ID": 101, "Name": "Basic Internet", "SKU": null, "OwnerID": 1, "Frequency": 1,
            "BaseTimeUnitTypeID": 3, "Amount": 29.99, "CreatedDate": "2020-01-01T00:00:00", "Description": null,
            "OneTimeAmount": 0.0, "InactiveOverride": false, "StartDate": "2020-01-01T00:00:00Z", "ExpiryDate": null,
            "InvoiceIdentifierID": 1, "ShowToUserPortal": true,
        })
    );
    let missing = serde_json::from_str::<Package>(r#"{"ID": 1}"#).expect_err("required fields are required");
    assert!(missing.to_string().contains("missing field `OwnerID`"), "{missing}");
}
