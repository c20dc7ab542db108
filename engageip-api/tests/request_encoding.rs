//! The request side: every Rust string XML 1.0 can carry round-trips through our encoder and
//! the server-side decoder (`runtime::decode_request` with the generated types' `XmlContent`,
//! the generated server's own code path) unchanged, so no argument can inject markup; the
//! characters XML 1.0 cannot carry are refused with `Error::Encode` before anything is sent.

mod common;

use common::{PASSWORD, Reply, Responder, USERNAME, leaks_password};
use engageip_api::runtime::{
    self, DecodeError, EncodeError, SoapVersion, XmlContent, XmlElement, decode_request, encode_request, is_xml_char,
};
use engageip_api::types::{AuthHeader, GetPackageServices, UpdatePackage};
use engageip_api::{Client, Error, RetryPolicy};
use proptest::prelude::*;

/// Strings rich in what breaks naive XML writers, plus arbitrary XML characters.
fn xml_string() -> impl Strategy<Value = String> {
    let tricky = prop_oneof![
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("&".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("]]>".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("\r".to_owned()),
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        Just("\t".to_owned()),
        Just(" ".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#0;".to_owned()),
        Just("</packageName><ownerUsername>evil</ownerUsername>".to_owned()),
        Just("<?xml version=\"1.0\"?>".to_owned()),
        Just("<!DOCTYPE x [<!ENTITY e \"e\">]>".to_owned()),
        Just("é€😀\u{85}\u{2028}\u{FEFF}\u{FFFD}\u{10FFFF}".to_owned()),
    ];
    let any_xml_char = any::<char>().prop_filter("an XML 1.0 character", |c| is_xml_char(*c)).prop_map(String::from);
    prop::collection::vec(prop_oneof![3 => tricky, 2 => any_xml_char], 0..24).prop_map(|parts| parts.concat())
}

fn version(soap12: bool) -> SoapVersion {
    if soap12 { SoapVersion::Soap12 } else { SoapVersion::Soap11 }
}

/// Decodes a request envelope the way the server does: header and body by element name.
fn decode<B: XmlElement>(envelope: &str) -> Result<(SoapVersion, Option<AuthHeader>, B), DecodeError> {
    let mut header = None;
    let (version, body) = decode_request(
        envelope,
        |r, h| {
            if r.is(h, AuthHeader::NAMESPACE, AuthHeader::NAME) {
                header = Some(AuthHeader::decode_content(r, h)?);
                Ok(true)
            } else {
                Ok(false)
            }
        },
        |r, b| {
            if r.is(b, B::NAMESPACE, B::NAME) {
                B::decode_content(r, b)
            } else {
                Err(r.error(runtime::DecodeErrorKind::UnexpectedElement {
                    expected: B::NAME.to_owned(),
                    found: r.expanded_name(b),
                }))
            }
        },
    )?;
    Ok((version, header, body))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_xml_string_round_trips_and_the_client_s_head_writes_the_same(
        package_name in xml_string(),
        owner in xml_string(),
        username in xml_string(),
        password in xml_string(),
        soap12 in any::<bool>(),
    ) {
        let header = AuthHeader::new().with_username(Some(username)).with_password(Some(password));
        let body = GetPackageServices::new().with_package_name(Some(package_name)).with_owner_username(Some(owner));
        let envelope = encode_request(version(soap12), Some(&header), &body).expect("XML characters encode");
        // What the client sends: the head encoded once, then each call's body.
        let head = runtime::RequestHead::new(version(soap12), Some(&header)).expect("the head encodes");
        prop_assert_eq!(&head.encode(&body).expect("the body encodes"), &envelope);
        let bare = runtime::RequestHead::new::<AuthHeader>(version(soap12), None).expect("the head encodes");
        prop_assert_eq!(
            bare.encode(&body).expect("the body encodes"),
            encode_request::<AuthHeader, _>(version(soap12), None, &body).expect("encodes")
        );
        let (v, h, b) = decode::<GetPackageServices>(&envelope).expect("our envelope decodes");
        prop_assert_eq!(v, version(soap12));
        prop_assert!(h.as_ref() == Some(&header), "header changed: {:?}", h.as_ref().map(|h| &h.username));
        prop_assert_eq!(b, body);
    }

    #[test]
    fn every_string_field_of_update_package_round_trips(
        strings in prop::collection::vec(xml_string(), 6),
        frequency in any::<i32>(),
        flags in any::<(bool, bool)>(),
        omitted in any::<bool>(),
    ) {
        let field = |i: usize| if omitted && i % 2 == 0 { None } else { Some(strings[i].clone()) };
        let body = UpdatePackage::builder()
            .package_name(field(0))
            .new_package_name(field(1))
            .sku(field(2))
            .description(field(3))
            .start_date(None)
            .expiry_date(None)
            .frequency(frequency)
            .base_time_unit_type_name(field(4))
            .in_active_override(flags.0)
            .show_to_user_portal(flags.1)
            .invoice_identifier(field(5))
            .build().expect("every required field is set");
        let envelope = encode_request::<AuthHeader, _>(SoapVersion::Soap11, None, &body).expect("encodes");
        let (_, h, b) = decode::<UpdatePackage>(&envelope).expect("decodes");
        prop_assert!(h.is_none());
        prop_assert_eq!(b, body);
    }

    #[test]
    fn a_character_xml_cannot_carry_is_refused(
        before in xml_string(),
        after in xml_string(),
        bad in prop_oneof![(0u32..0x20).prop_filter("not tab, LF or CR", |c| ![0x9, 0xA, 0xD].contains(c)), Just(0xFFFE), Just(0xFFFF)],
    ) {
        let bad = char::from_u32(bad).expect("a scalar value");
        let value = format!("{before}{bad}{after}");
        let body = GetPackageServices::new().with_package_name("Basic").with_owner_username(Some(value));
        let error = encode_request::<AuthHeader, _>(SoapVersion::Soap12, None, &body).expect_err("refused");
        prop_assert_eq!(
            error,
            EncodeError::InvalidChar { element: "ownerUsername".to_owned(), code: u32::from(bad), index: before.chars().count() }
        );
    }
}

#[test]
fn markup_in_arguments_stays_text() {
    let evil =
        "</username></GetPackages><UpgradeUserPackage xmlns=\"Logisense_EngageIP\"><userPackageID>1</userPackageID>";
    let body = GetPackageServices::new().with_package_name(Some(evil.to_owned())).with_owner_username("]]><x/>");
    let envelope = encode_request::<AuthHeader, _>(SoapVersion::Soap11, None, &body).expect("encodes");
    assert!(!envelope.contains("<UpgradeUserPackage"), "{envelope}");
    assert!(envelope.contains("&lt;/username&gt;&lt;/GetPackages&gt;&lt;UpgradeUserPackage"), "{envelope}");
    let (_, _, decoded) = decode::<GetPackageServices>(&envelope).expect("decodes");
    assert_eq!(decoded, body);
}

#[tokio::test]
async fn arguments_reach_the_server_unchanged() {
    let server = Responder::start(Reply::xml(
        200,
        common::soap11("<GetPackageServicesResponse xmlns=\"Logisense_EngageIP\"><GetPackageServicesResult /></GetPackageServicesResponse>"),
    ))
    .await;
    let client = Client::builder(server.url()).credentials(USERNAME, PASSWORD).build().expect("client");
    let name = "a<b>&c \"d\" 'e' ]]> \r\n\t é😀";
    let owner = "</ownerUsername><x>";
    let services = client.get_package_services(name, owner).await.expect("call");
    assert!(services.is_empty());
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let (version, header, body) =
        decode::<GetPackageServices>(&requests[0].body_text()).expect("the server decodes it");
    assert_eq!(version, SoapVersion::Soap11);
    assert_eq!(body.package_name.as_deref(), Some(name));
    assert_eq!(body.owner_username.as_deref(), Some(owner));
    let header = header.expect("AuthHeader");
    assert_eq!(header.username.as_deref(), Some(USERNAME));
    assert_eq!(header.password.as_deref(), Some(PASSWORD));
}

#[tokio::test]
async fn nothing_is_sent_when_an_argument_cannot_be_encoded() {
    let server = Responder::start(Reply::xml(500, "")).await;
    let client = Client::builder(server.url())
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let bad: Vec<char> = (0u32..0x20)
        .filter(|c| ![0x9, 0xA, 0xD].contains(c))
        .chain([0xFFFE, 0xFFFF])
        .map(|c| char::from_u32(c).expect("scalar"))
        .collect();
    assert_eq!(bad.len(), 31);
    for c in bad {
        let error = client.get_packages(format!("demo{c}isp")).await.expect_err("refused");
        match &error {
            Error::Encode { operation: "GetPackages", source: EncodeError::InvalidChar { element, code, index } } => {
                assert_eq!((element.as_str(), *code, *index), ("username", u32::from(c), 4));
            }
            other => panic!("U+{:04X}: expected Error::Encode, got {other:?}", u32::from(c)),
        }
        // The cause (which value, which character) is the error's source.
        let message = format!("{error}: {}", std::error::Error::source(&error).expect("a cause"));
        assert!(message.contains(&format!("U+{:04X}", u32::from(c))) && message.contains("`username`"), "{message}");
        let update = UpdatePackage::builder()
            .package_name("Basic")
            .new_package_name(None)
            .sku(None)
            .description(Some(format!("x{c}")))
            .start_date(None)
            .expiry_date(None)
            .frequency(1)
            .base_time_unit_type_name(None)
            .in_active_override(false)
            .show_to_user_portal(false)
            .invoice_identifier(None)
            .build()
            .expect("every required field is set");
        let error = client.update_package(&update).await.expect_err("refused");
        assert!(matches!(error, Error::Encode { operation: "UpdatePackage", .. }), "{error:?}");
    }
    assert_eq!(server.connection_count(), 0, "something reached the server");
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_password_xml_cannot_carry_is_refused_without_showing_it() {
    let capture = common::capture();
    let server = Responder::start(Reply::xml(500, "")).await;
    let password = format!("{PASSWORD}\u{0}");
    let client = Client::builder(server.url()).credentials(USERNAME, password).build().expect("client");
    let error = client.upgrade_user_package(1, 2, true).await.expect_err("refused");
    assert!(
        matches!(&error, Error::Encode { source: EncodeError::InvalidChar { element, code: 0, .. }, .. } if element == "Password"),
        "{error:?}"
    );
    assert!(!leaks_password(&format!("{error} {error:?}")));
    assert_eq!(server.connection_count(), 0);
    let lines = capture.lines();
    assert!(lines.iter().any(|l| l.contains("call failed")), "the failure was not logged: {lines:?}");
    assert!(lines.iter().all(|l| !leaks_password(l)), "{lines:?}");
}
