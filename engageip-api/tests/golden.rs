//! Golden modules, compiled and exercised: every schema construct ASMX and WCF publish,
//! round-tripped through XML, and EngageIP's schema evolution, where a client generated from
//! an older schema reads what a newer server sends.
//!
//! The modules under `golden/<case>/generated/` are written by `cargo xtask golden` from the
//! `service.wsdl` beside them (the `xtask` test `golden_files_are_fresh` keeps them current).

#[rustfmt::skip]
#[allow(clippy::all, missing_docs, dead_code)]
mod golden {
    #[path = "constructs/generated/mod.rs"]
    pub mod constructs;
    #[path = "engageip/generated/mod.rs"]
    pub mod engageip;
    #[path = "engageip_changed_type/generated/mod.rs"]
    pub mod engageip_changed_type;
    #[path = "engageip_enum/generated/mod.rs"]
    pub mod engageip_enum;
    #[path = "engageip_enum_value/generated/mod.rs"]
    pub mod engageip_enum_value;
    #[path = "engageip_new_field/generated/mod.rs"]
    pub mod engageip_new_field;
    #[path = "engageip_new_operation/generated/mod.rs"]
    pub mod engageip_new_operation;
    #[path = "engageip_removed_operation/generated/mod.rs"]
    pub mod engageip_removed_operation;
}

use engageip_api::DateTime;
use engageip_api::runtime::{
    self, Body, Date, Decimal, DecodeError, DecodeErrorKind, Duration, Guid, HexBinary, List, Nillable, RawXml,
    SoapVersion, XmlElement, XsiType,
};
use golden::constructs::types as g;

/// The body of a response envelope, or a panic naming the problem.
fn response<B: XmlElement + std::fmt::Debug>(xml: &str) -> B {
    match runtime::decode_response::<B>(xml) {
        Ok(Body::Response(b)) => b,
        other => panic!("expected a response body: {other:?}"),
    }
}

fn decode_error<B: XmlElement + std::fmt::Debug>(xml: &str) -> DecodeError {
    match runtime::decode_response::<B>(xml) {
        Err(e) => e,
        other => panic!("expected a decode error: {other:?}"),
    }
}

/// A response envelope the way ASMX writes one, around `body`.
fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{body}</soap:Body></soap:Envelope>"#
    )
}

const EVERYTHING: &str = r#"<EchoResponse xmlns="urn:golden"><EchoResult>
  <Numbers>
    <Long>-9223372036854775808</Long><Short>-32768</Short><Byte>255</Byte>
    <Decimal>79228162514264337593543950335.50</Decimal>
    <Guid>6F9619FF-8B86-D011-B42D-00C04FC964FF</Guid>
    <Bytes>AAEC/w==</Bytes><Hex>0fa0</Hex>
    <Date>2026-01-15</Date><Time>10:30:00.1234567Z</Time><Duration>P1DT2H30M</Duration>
    <Char>65</Char><When>2026-01-15T10:30:00-05:00</When>
    <MaybeInt xsi:nil="true" /><MaybeDecimal>12.50</MaybeDecimal>
    <Float>1.5</Float><Flag>true</Flag>
  </Numbers>
  <Shapes>
    <Shape xsi:type="Circle" id="1" label="wheel"><Name>c</Name><Radius>2.5</Radius></Shape>
    <Shape xsi:type="Square" id="2"><Side>3.10</Side></Shape>
    <Shape xsi:nil="true" />
    <Shape xmlns:q1="urn:future" xsi:type="q1:Hexagon" id="3"><Name>h</Name><Sides>6</Sides></Shape>
  </Shapes>
  <Favourite xsi:type="Square" id="7" label="a &quot;quoted&quot; label"><Side>1</Side></Favourite>
  <Tree><Value>1</Value><Next><Value>2</Value></Next><Children><Node><Value>3</Value></Node><Node><Value>4</Value><Children /></Node></Children></Tree>
  <Names><string>a</string><string xsi:nil="true" /><string>b &amp; c</string></Names>
  <Counts><int>1</int><int>2</int></Counts>
  <Colour>Green</Colour>
  <Days>Monday  Friday Sunday</Days>
  <Pay><Card><Number>4111</Number><Expiry>2027-12-31</Expiry></Card><Reference>r1</Reference></Pay>
  <Unordered><B>2</B><A>x</A></Unordered>
  <Open><Known>k</Known><ext:Note xmlns:ext="urn:ext" level="2">hello <ext:b>world</ext:b></ext:Note><ext2:Other xmlns:ext2="urn:ext2"/></Open>
  <Weight unit="kg" approximate="true">12.500</Weight>
  <Price><Amount xmlns="urn:golden:common">9.99</Amount><Currency xmlns="urn:golden:common">TRY</Currency></Price>
  <Doc version="3"><Title>t</Title><CreatedBy>me</CreatedBy><CreatedAt>2026-01-15T10:30:00</CreatedAt></Doc>
  <Remark>Hello <b>bold</b> world</Remark>
  <Anything><x:Free xmlns:x="urn:x">text</x:Free></Anything>
  <Address><Street>Main</Street><Geo><Lat>1.5</Lat><Lon>-2.25</Lon></Geo></Address>
  <Serialized><Id>00000000-0000-0000-0000-000000000001</Id><Initial>97</Initial><Timeout>PT30S</Timeout></Serialized>
</EchoResult></EchoResponse>"#;

fn everything() -> g::Everything {
    response::<g::EchoResponse>(&envelope(EVERYTHING)).echo_result.expect("EchoResult")
}

#[test]
fn primitives_keep_their_exact_values() {
    let n = everything().numbers.expect("Numbers");
    assert_eq!(n.long, i64::MIN);
    assert_eq!(n.short, i16::MIN);
    assert_eq!(n.byte, 255);
    assert_eq!(n.decimal.as_str(), "79228162514264337593543950335.50", "decimal is never a float");
    assert_eq!(n.guid, "6f9619ff-8b86-d011-b42d-00c04fc964ff".parse::<Guid>().unwrap());
    assert_eq!(n.bytes.as_deref(), Some(&[0u8, 1, 2, 255][..]));
    assert_eq!(n.hex, Some(HexBinary(vec![0x0f, 0xa0])));
    assert_eq!(n.date, "2026-01-15".parse::<Date>().unwrap());
    assert_eq!(n.time.to_string(), "10:30:00.1234567Z");
    assert_eq!(n.duration.to_std(), Some(std::time::Duration::from_secs(86_400 + 9_000)));
    assert_eq!(n.char, 'A');
    assert_eq!(n.when, "2026-01-15T10:30:00-05:00".parse::<DateTime>().unwrap());
    assert_eq!(n.maybe_int, None, "nullable value type: xsi:nil");
    assert_eq!(n.maybe_decimal, Some("12.5".parse::<Decimal>().unwrap()));
    assert_eq!(n.float, 1.5);
    assert!(n.flag);
    let wcf = everything().serialized.expect("Serialized");
    assert_eq!(wcf.id, Some("00000000-0000-0000-0000-000000000001".parse().unwrap()));
    assert_eq!(wcf.initial, Some('a'));
    assert_eq!(wcf.timeout, Some("PT30S".parse::<Duration>().unwrap()));
}

#[test]
fn inheritance_reads_xsi_type_and_keeps_unknown_types() {
    let e = everything();
    let shapes = e.shapes.expect("Shapes");
    assert_eq!(shapes.len(), 3, "the nil item carries no data");
    match &shapes[0] {
        g::AnyShape::Circle(c) => {
            assert_eq!((c.id, c.label.as_deref(), c.name.as_deref(), c.radius), (1, Some("wheel"), Some("c"), 2.5));
        }
        other => panic!("{other:?}"),
    }
    match &shapes[1] {
        g::AnyShape::Square(s) => assert_eq!((s.id, s.label.as_deref(), s.side.as_str()), (2, None, "3.10")),
        other => panic!("{other:?}"),
    }
    match &shapes[2] {
        g::AnyShape::Unknown { xsi_type, value } => {
            assert_eq!(xsi_type, &Some(XsiType { namespace: "urn:future".into(), name: "Hexagon".into() }));
            assert_eq!((value.id, value.name.as_deref()), (3, Some("h")));
        }
        other => panic!("{other:?}"),
    }
    match e.favourite.expect("Favourite") {
        g::AnyShape::Square(s) => assert_eq!(s.label.as_deref(), Some("a \"quoted\" label")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn awkward_names_do_not_collide() {
    // A derived type named `Unknown` is not the catch-all; `Known` and `KnownSeen` decode apart.
    let xml = envelope(
        r#"<GetShapesResponse xmlns="urn:golden"><GetShapesResult><Shape xsi:type="Unknown" id="1"><Mystery>m</Mystery></Shape></GetShapesResult></GetShapesResponse>"#,
    );
    let shapes = response::<g::GetShapesResponse>(&xml).get_shapes_result.expect("result");
    assert!(matches!(&shapes[..], [g::AnyShape::UnknownType(u)] if u.mystery.as_deref() == Some("m")), "{shapes:?}");
    let e = response::<g::EchoResponse>(&echo_with("<Open><KnownSeen>b</KnownSeen><Known>a</Known></Open>"))
        .echo_result
        .expect("result");
    let open = e.open.expect("Open");
    assert_eq!((open.known.as_deref(), open.known_seen.as_deref()), (Some("a"), Some("b")));
}

#[test]
fn abstract_base_without_xsi_type_is_kept_as_unknown() {
    let xml = envelope(
        r#"<GetShapesResponse xmlns="urn:golden"><GetShapesResult><Shape id="9"><Name>n</Name></Shape></GetShapesResult></GetShapesResponse>"#,
    );
    let shapes = response::<g::GetShapesResponse>(&xml).get_shapes_result.expect("result");
    assert!(matches!(&shapes[..], [g::AnyShape::Unknown { xsi_type: None, value }] if value.id == 9));
}

#[test]
fn recursion_arrays_enums_and_lists() {
    let e = everything();
    let tree = e.tree.expect("Tree");
    assert_eq!(tree.value, 1);
    assert_eq!(tree.next.as_ref().map(|n| n.value), Some(2));
    let children = tree.children.expect("Children");
    assert_eq!(children.iter().map(|c| c.value).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(children[1].children, Some(vec![]));
    assert_eq!(e.names, Some(vec!["a".to_owned(), "b & c".to_owned()]), "ArrayOfString: nil items skipped");
    assert_eq!(e.counts, Some(vec![1, 2]), "ArrayOfInt");
    assert_eq!(e.colour, g::Colour::Green);
    assert_eq!(e.days, Some(List(vec![g::Day::Monday, g::Day::Friday, g::Day::Unknown("Sunday".into())])));
}

#[test]
fn choice_all_any_attributes_groups_and_mixed_content() {
    let e = everything();
    let pay = e.pay.expect("Pay");
    match &pay.choice {
        g::PaymentChoice::Card(card) => {
            assert_eq!((card.number.as_str(), card.expiry.to_string().as_str()), ("4111", "2027-12-31"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pay.reference.as_deref(), Some("r1"));
    assert_eq!(e.unordered, Some(g::AllOf { a: "x".into(), b: 2 }), "xs:all: any order");
    let open = e.open.expect("Open");
    assert_eq!(open.known.as_deref(), Some("k"));
    let any: Vec<&str> = open.any.iter().map(RawXml::as_str).collect();
    assert_eq!(
        any,
        [
            r#"<ext:Note xmlns:ext="urn:ext" level="2">hello <ext:b>world</ext:b></ext:Note>"#,
            r#"<ext2:Other xmlns:ext2="urn:ext2"/>"#
        ]
    );
    let weight = e.weight.expect("Weight");
    assert_eq!((weight.value.as_str(), &weight.unit, weight.approximate), ("12.500", &g::Unit::Kg, Some(true)));
    let price = e.price.expect("Price");
    assert_eq!(
        (price.amount.as_str(), &price.currency),
        ("9.99", &g::CurrencyCode::Try),
        "imported namespace, chameleon include"
    );
    let doc = e.doc.expect("Doc");
    assert_eq!(
        (doc.version, doc.title.as_str(), doc.created_by.as_deref()),
        (3, "t", Some("me")),
        "attributeGroup and group"
    );
    assert_eq!(e.remark.expect("Remark").content.as_str(), "Hello <b>bold</b> world");
    assert_eq!(e.anything.expect("Anything").as_str(), r#"<x:Free xmlns:x="urn:x">text</x:Free>"#);
    let geo = e.address.expect("Address").geo.expect("Geo");
    assert_eq!((geo.lat, geo.lon), (1.5, -2.25), "nested anonymous types");
}

/// Every construct (choices, `xsi:type` hierarchies, enumerations with unknown values, lists,
/// raw XML, every XML Schema value) goes to JSON and back unchanged, and then writes the same
/// XML.
#[cfg(feature = "serde")]
#[test]
fn everything_round_trips_through_json() {
    let first = response::<g::EchoResponse>(&envelope(EVERYTHING));
    let json = serde_json::to_string(&first).expect("serializes");
    let back: g::EchoResponse = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, first, "{json}");
    assert!(json.contains(r#""When":"2026-01-15T10:30:00-05:00""#), "{json}");
    assert!(json.contains(r#""Decimal":"79228162514264337593543950335.50""#), "{json}");
    let xml = |v: &g::EchoResponse| runtime::encode_response(SoapVersion::Soap11, v).expect("encodes");
    assert_eq!(xml(&back), xml(&first));
}

#[test]
fn everything_round_trips() {
    let first = response::<g::EchoResponse>(&envelope(EVERYTHING));
    let written = runtime::encode_response(SoapVersion::Soap11, &first).expect("encodes");
    let second = response::<g::EchoResponse>(&written);
    assert_eq!(first, second, "decode → encode → decode is the identity\n{written}");
    for fragment in [
        "<Decimal>79228162514264337593543950335.50</Decimal>",
        "<Guid>6f9619ff-8b86-d011-b42d-00c04fc964ff</Guid>",
        "<Bytes>AAEC/w==</Bytes>",
        "<Hex>0FA0</Hex>",
        "<Time>10:30:00.1234567Z</Time>",
        "<Duration>P1DT2H30M</Duration>",
        "<Char>65</Char>",
        r#"<MaybeInt xsi:nil="true" />"#,
        r#"<Shape xsi:type="Circle" id="1" label="wheel"><Name>c</Name><Radius>2.5</Radius></Shape>"#,
        r#"<Shape xmlns:q1="urn:future" xsi:type="q1:Hexagon" id="3"><Name>h</Name></Shape>"#,
        r#"label="a &quot;quoted&quot; label""#,
        "<Days>Monday Friday Sunday</Days>",
        "<Unordered><A>x</A><B>2</B></Unordered>",
        r#"<Weight unit="kg" approximate="true">12.500</Weight>"#,
        r#"<Price><Amount xmlns="urn:golden:common">9.99</Amount><Currency xmlns="urn:golden:common">TRY</Currency></Price>"#,
        r#"<Doc version="3"><Title>t</Title><CreatedBy>me</CreatedBy>"#,
        "<Remark>Hello <b>bold</b> world</Remark>",
        r#"<Known>k</Known><ext:Note xmlns:ext="urn:ext" level="2">hello <ext:b>world</ext:b></ext:Note>"#,
    ] {
        assert!(written.contains(fragment), "missing {fragment}\n{written}");
    }
}

#[test]
fn requests_write_schema_order_headers_and_xsi_type() {
    let value = g::Everything {
        favourite: Some(g::AnyShape::Circle(g::Circle { id: 5, label: None, name: None, radius: 1.0 })),
        colour: g::Colour::Unknown("Purple".into()),
        pay: Some(g::Payment { choice: g::PaymentChoice::Cash(None), reference: None }),
        ..empty_everything()
    };
    let session = g::Session { token: Guid::from_bytes([1; 16]) };
    let text = runtime::encode_request(SoapVersion::Soap12, Some(&session), &g::Echo { value: Some(value.clone()) })
        .expect("encodes");
    assert!(
        text.contains(r#"<Session xmlns="urn:golden"><Token>01010101-0101-0101-0101-010101010101</Token></Session>"#),
        "{text}"
    );
    assert!(
        text.contains(r#"<Favourite xsi:type="Circle" id="5"><Radius>1</Radius></Favourite><Colour>Purple</Colour>"#),
        "{text}"
    );
    assert!(text.contains(r#"<Pay><Cash xsi:nil="true" /></Pay>"#), "{text}");
    let mut header = None;
    let decoded = runtime::decode_request(
        &text,
        |r, h| {
            header = Some(runtime::XmlContent::decode_content(r, h)?);
            Ok(true)
        },
        |r, body| <g::Echo as runtime::XmlContent>::decode_content(r, body),
    );
    let (version, back) = decoded.unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(version, SoapVersion::Soap12);
    assert_eq!(header, Some(session));
    assert_eq!(back.value, Some(value), "the request reads back as written");
}

fn empty_everything() -> g::Everything {
    g::Everything {
        numbers: None,
        shapes: None,
        favourite: None,
        tree: None,
        names: None,
        counts: None,
        colour: g::Colour::Red,
        days: None,
        pay: None,
        unordered: None,
        open: None,
        weight: None,
        price: None,
        doc: None,
        remark: None,
        anything: None,
        address: None,
        serialized: None,
    }
}

fn echo_with(inner: &str) -> String {
    envelope(&format!(
        r#"<EchoResponse xmlns="urn:golden"><EchoResult>{inner}<Colour>Red</Colour></EchoResult></EchoResponse>"#
    ))
}

#[test]
fn invalid_input_is_refused_with_its_location() {
    let two_choices = decode_error::<g::EchoResponse>(&echo_with("<Pay><Iban>x</Iban><Cash>1</Cash></Pay>"));
    assert!(
        matches!(*two_choices.kind(), DecodeErrorKind::DuplicateElement { element: "Cash", parent: "Payment" }),
        "{two_choices}"
    );
    let no_choice = decode_error::<g::EchoResponse>(&echo_with("<Pay><Reference>r</Reference></Pay>"));
    assert!(
        matches!(*no_choice.kind(), DecodeErrorKind::MissingElement { element: "Card | Iban | Cash", .. }),
        "{no_choice}"
    );
    let no_id =
        decode_error::<g::EchoResponse>(&echo_with(r#"<Favourite xsi:type="Circle"><Radius>1</Radius></Favourite>"#));
    assert!(
        matches!(*no_id.kind(), DecodeErrorKind::MissingAttribute { attribute: "id", parent: "Circle" }),
        "{no_id}"
    );
    let bad_attr = decode_error::<g::EchoResponse>(&echo_with(r#"<Weight unit="kg" approximate="maybe">1</Weight>"#));
    assert!(matches!(*bad_attr.kind(), DecodeErrorKind::InvalidValue { expected: "xs:boolean", .. }), "{bad_attr}");
    let float_decimal = decode_error::<g::EchoResponse>(&echo_with("<Weight unit=\"kg\">1e3</Weight>"));
    assert!(
        matches!(*float_decimal.kind(), DecodeErrorKind::InvalidValue { expected: "xs:decimal", .. }),
        "{float_decimal}"
    );
    assert!(float_decimal.location().path.ends_with("EchoResult/Weight"), "{float_decimal}");
    let bad_base64 = decode_error::<g::EchoResponse>(&echo_with(
        "<Numbers><Long>1</Long><Short>1</Short><Byte>1</Byte><Decimal>1</Decimal><Guid>00000000-0000-0000-0000-000000000000</Guid><Bytes>@@</Bytes></Numbers>",
    ));
    assert!(
        matches!(*bad_base64.kind(), DecodeErrorKind::InvalidValue { expected: "xs:base64Binary", .. }),
        "{bad_base64}"
    );
    let byte_overflow = decode_error::<g::EchoResponse>(&echo_with(
        "<Numbers><Long>1</Long><Short>1</Short><Byte>256</Byte></Numbers>",
    ));
    assert!(
        matches!(*byte_overflow.kind(), DecodeErrorKind::InvalidValue { expected: "xs:unsignedByte", .. }),
        "{byte_overflow}"
    );
}

const NUMBERS_PREFIX: &str = "<Long>1</Long><Short>1</Short><Byte>1</Byte><Decimal>1</Decimal><Guid>00000000-0000-0000-0000-000000000000</Guid><Date>2026-01-01</Date><Time>00:00:00</Time><Duration>PT0S</Duration><Char>65</Char><When>2026-01-01T00:00:00</When><MaybeInt>1</MaybeInt><MaybeDecimal xsi:nil=\"true\" />";

fn maybe_long(element: &str) -> Nillable<i64> {
    let xml = echo_with(&format!("<Numbers>{NUMBERS_PREFIX}{element}<Float>0</Float><Flag>0</Flag></Numbers>"));
    response::<g::EchoResponse>(&xml).echo_result.and_then(|e| e.numbers).expect("Numbers").maybe_long
}

#[test]
fn optional_nillable_keeps_absent_nil_and_value_apart() {
    assert_eq!(maybe_long(""), Nillable::Absent);
    assert_eq!(maybe_long(r#"<MaybeLong xsi:nil="true" />"#), Nillable::Nil);
    assert_eq!(maybe_long("<MaybeLong>5</MaybeLong>"), Nillable::Value(5));
    let e = response::<g::EchoResponse>(&echo_with("<Names />")).echo_result.expect("result");
    assert_eq!(e.names, Some(vec![]), "an empty array is not an absent one");
    assert_eq!(e.numbers, None);
}

// ---------------------------------------------------------------------------------------
// Schema evolution: a client generated from an older schema reads a newer server's
// responses. The newer server's responses are encoded with the newer schema's generated
// types, exactly as its generated server would send them.
// ---------------------------------------------------------------------------------------

mod evolution {
    use super::*;
    use golden::{
        engageip as v1, engageip_changed_type as changed, engageip_enum as enum1, engageip_enum_value as enum2,
        engageip_new_field as new_field, engageip_new_operation as new_op, engageip_removed_operation as removed,
    };

    fn when() -> DateTime {
        "2026-01-15T10:30:00".parse().expect("date")
    }

    /// A `Package` of module `$m` with the fields every version shares, plus `$extra`.
    macro_rules! package {
        ($m:ident { $($extra:tt)* }) => {
            $m::types::Package {
                validate: Some($m::types::Validate {}),
                id: 42,
                name: Some("Gold".into()),
                sku: Some("G-1".into()),
                owner_id: 7,
                base_time_unit_type_id: 3,
                amount: 19.99,
                created_date: when(),
                description: Some("gold plan".into()),
                one_time_amount: 5.0,
                inactive_override: false,
                start_date: when(),
                expiry_date: None,
                invoice_identifier_id: 11,
                show_to_user_portal: true,
                $($extra)*
            }
        };
    }

    fn packages_response<B: runtime::XmlElement>(body: &B) -> String {
        runtime::encode_response(SoapVersion::Soap11, body).expect("the newer server encodes")
    }

    fn assert_shared_fields(old: &v1::types::Package) {
        assert_eq!((old.id, old.name.as_deref(), old.owner_id, old.amount), (42, Some("Gold"), 7, 19.99));
        assert_eq!((old.created_date, old.expiry_date, old.show_to_user_portal), (when(), None, true));
    }

    #[test]
    fn new_optional_field_is_skipped_by_old_clients() {
        let newer = new_field::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(new_field { frequency: 1, tax_code: Some("VAT20".into()) })]),
        };
        let xml = packages_response(&newer);
        assert!(xml.contains("<TaxCode>VAT20</TaxCode>"), "{xml}");
        let old = response::<v1::types::GetPackagesResponse>(&xml).get_packages_result.expect("result");
        assert_eq!(old.len(), 1);
        assert_shared_fields(&old[0]);
    }

    #[test]
    fn new_operation_leaves_old_operations_working() {
        assert!(new_op::operations::OPERATIONS.contains(&"GetPackageByID"));
        assert!(!v1::operations::OPERATIONS.contains(&"GetPackageByID"));
        use runtime::Operation;
        assert_eq!(<new_op::operations::GetPackageById as Operation>::SOAP_ACTION, "Logisense_EngageIP/GetPackageByID");
        let newer =
            new_op::types::GetPackageByIdResponse { get_package_by_id_result: Some(package!(new_op { frequency: 1 })) };
        let xml = packages_response(&newer);
        let again = response::<new_op::types::GetPackageByIdResponse>(&xml);
        assert_eq!(again, newer);
        // The old client's operations are unchanged on the newer server.
        let old = response::<v1::types::GetPackagesResponse>(&packages_response(&new_op::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(new_op { frequency: 1 })]),
        }));
        assert_shared_fields(&old.get_packages_result.expect("result")[0]);
    }

    #[test]
    fn removed_operation_fails_with_the_servers_fault() {
        assert!(v1::operations::OPERATIONS.contains(&"UpgradeUserPackage"));
        assert!(!removed::operations::OPERATIONS.contains(&"UpgradeUserPackage"));
        // What an ASMX server answers an action it no longer has.
        let fault = envelope(
            r#"<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of HTTP Header SOAPAction: Logisense_EngageIP/UpgradeUserPackage.</faultstring><detail /></soap:Fault>"#,
        );
        match runtime::decode_response::<v1::types::UpgradeUserPackageResponse>(&fault) {
            Ok(Body::Fault(f)) => assert!(f.reason.contains("UpgradeUserPackage"), "{f:?}"),
            other => panic!("expected the fault: {other:?}"),
        }
        let xml = packages_response(&removed::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(removed { frequency: 1 })]),
        });
        assert_shared_fields(&response::<v1::types::GetPackagesResponse>(&xml).get_packages_result.expect("result")[0]);
    }

    #[test]
    fn changed_field_type_is_a_clear_error_for_old_clients() {
        let monthly = changed::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(changed { frequency: Some("Monthly".into()) })]),
        };
        let err = decode_error::<v1::types::GetPackagesResponse>(&packages_response(&monthly));
        assert!(
            matches!(err.kind(), DecodeErrorKind::InvalidValue { expected: "xs:int", value, .. } if value == "Monthly"),
            "{err}"
        );
        assert!(err.location().path.ends_with("GetPackagesResult/Package/Frequency"), "{err}");
        let absent = changed::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(changed { frequency: None })]),
        };
        let err = decode_error::<v1::types::GetPackagesResponse>(&packages_response(&absent));
        assert!(
            matches!(*err.kind(), DecodeErrorKind::MissingElement { element: "Frequency", parent: "Package" }),
            "{err}"
        );
        // A value the old type can still read is read.
        let numeric = changed::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(changed { frequency: Some("3".into()) })]),
        };
        let old = response::<v1::types::GetPackagesResponse>(&packages_response(&numeric));
        assert_eq!(old.get_packages_result.expect("result")[0].frequency, 3);
    }

    #[test]
    fn new_enumeration_value_is_kept_by_old_clients() {
        let newer = enum2::types::GetPackagesResponse {
            get_packages_result: Some(vec![package!(enum2 {
                frequency: 1,
                status: enum2::types::PackageStatus::Retired
            })]),
        };
        let xml = packages_response(&newer);
        assert!(xml.contains("<Status>Retired</Status>"), "{xml}");
        // A client that knows PackageStatus but not `Retired` keeps the value.
        let middle = response::<enum1::types::GetPackagesResponse>(&xml).get_packages_result.expect("result");
        assert_eq!(middle[0].status, enum1::types::PackageStatus::Unknown("Retired".into()));
        // ... and sends it back unchanged.
        let echoed = packages_response(&enum1::types::GetPackagesResponse { get_packages_result: Some(middle) });
        assert!(echoed.contains("<Status>Retired</Status>"), "{echoed}");
        // Today's client, which has no Status at all, skips it.
        let old = response::<v1::types::GetPackagesResponse>(&xml).get_packages_result.expect("result");
        assert_shared_fields(&old[0]);
    }

    #[test]
    fn every_version_reads_its_own_responses() {
        let p = package!(v1 { frequency: 1 });
        let xml = packages_response(&v1::types::GetPackagesResponse { get_packages_result: Some(vec![p.clone()]) });
        assert_eq!(response::<v1::types::GetPackagesResponse>(&xml).get_packages_result, Some(vec![p]));
        let e = package!(enum1 { frequency: 1, status: enum1::types::PackageStatus::Inactive });
        let xml = packages_response(&enum1::types::GetPackagesResponse { get_packages_result: Some(vec![e.clone()]) });
        assert_eq!(response::<enum1::types::GetPackagesResponse>(&xml).get_packages_result, Some(vec![e]));
    }
}
