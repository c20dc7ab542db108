//! Construct coverage on small schemas: what each ASMX/WCF XmlSerializer construct becomes,
//! and the diagnostics (file, line, column, construct) for what is still not supported.
//! The same constructs are compiled and round-tripped through XML by
//! `engageip-api/tests/golden.rs`.

use engageip_codegen::{GeneratedFile, Input, Options, SourceFile, generate};

fn wsdl(schema: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:t" xmlns:o="urn:other" targetNamespace="urn:t" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="urn:t">
{schema}
    </s:schema>
  </wsdl:types>
  <wsdl:message name="OpSoapIn"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>
  <wsdl:message name="OpSoapOut"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:OpSoapIn" /><wsdl:output message="tns:OpSoapOut" /></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation></wsdl:binding>
</wsdl:definitions>"#
    )
}

/// `Op` carries one element `v` of type `ty`; the response is empty.
fn with_field(ty: &str, extra: &str) -> String {
    wsdl(&format!(
        r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="1" maxOccurs="1" name="v" type="{ty}" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>
{extra}"#
    ))
}

fn files(input: &Input) -> Vec<GeneratedFile> {
    generate(input, &Options::default()).unwrap_or_else(|d| panic!("{d}"))
}

fn types(wsdl: &str) -> String {
    files(&Input::new("svc.wsdl", wsdl)).into_iter().find(|f| f.path == "types.rs").map(|f| f.text).unwrap_or_default()
}

fn diagnose(wsdl: &str) -> String {
    match generate(&Input::new("svc.wsdl", wsdl), &Options::default()) {
        Ok(_) => panic!("expected a diagnostic"),
        Err(d) => d.to_string(),
    }
}

fn contains_all(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "missing `{n}` in:\n{text}");
    }
}

#[test]
fn primitives_map_to_exact_types() {
    for (xsd, rust) in [
        ("s:long", "pub v: i64,"),
        ("s:short", "pub v: i16,"),
        ("s:unsignedByte", "pub v: u8,"),
        ("s:decimal", "pub v: rt::Decimal,"),
        ("s:base64Binary", "pub v: Vec<u8>,"),
        ("s:hexBinary", "pub v: rt::HexBinary,"),
        ("s:date", "pub v: rt::Date,"),
        ("s:time", "pub v: rt::Time,"),
        ("s:duration", "pub v: rt::Duration,"),
        ("s:anyType", "pub v: rt::RawXml,"),
        ("s:NMTOKENS", "pub v: rt::List<String>,"),
    ] {
        contains_all(&types(&with_field(xsd, "")), &[rust]);
    }
    // .NET's guid and char, as ASMX and WCF declare them.
    for ns in ["http://microsoft.com/wsdl/types/", "http://schemas.microsoft.com/2003/10/Serialization/"] {
        let text = wsdl(&format!(
            r#"<s:element name="Op"><s:complexType><s:sequence><s:element name="g" xmlns:m="{ns}" type="m:guid" /><s:element name="c" xmlns:m="{ns}" type="m:char" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>"#
        ))
        .replace(
            "    </s:schema>",
            &format!(
                r#"    </s:schema><s:schema targetNamespace="{ns}"><s:simpleType name="guid"><s:restriction base="s:string"><s:pattern value="[0-9a-f-]+" /></s:restriction></s:simpleType><s:simpleType name="char"><s:restriction base="s:int" /></s:simpleType></s:schema>"#
            ),
        );
        contains_all(&types(&text), &["pub g: rt::Guid,", "pub c: char,"]);
    }
}

#[test]
fn choice_becomes_an_enum_field() {
    let text = types(&with_field(
        "tns:Pay",
        r#"<s:complexType name="Pay"><s:sequence><s:choice><s:element name="Card" type="s:string" /><s:element name="Cash" nillable="true" type="s:decimal" /></s:choice></s:sequence></s:complexType>"#,
    ));
    contains_all(
        &text,
        &[
            "pub card_or_cash: PayChoice,",
            "pub enum PayChoice {",
            "Card(String),",
            "Cash(Option<rt::Decimal>),",
            "decode_choice_once(",
            "PayChoice::Card,",
        ],
    );
    // A repeated choice keeps the order of its alternatives.
    let text = types(&with_field(
        "tns:Log",
        r###"<s:complexType name="Log"><s:choice minOccurs="0" maxOccurs="unbounded"><s:element name="Info" type="s:string" /><s:element name="Warn" type="s:string" /><s:any namespace="##other" /></s:choice></s:complexType>"###,
    ));
    contains_all(
        &text,
        &["pub choice: Vec<LogChoice>,", "Any(rt::RawXml),", "LogChoice::Any(", "RawXml::capture_element("],
    );
}

#[test]
fn inheritance_with_derived_types_becomes_an_xsi_type_enum() {
    let text = types(&with_field(
        "tns:Shape",
        r#"<s:complexType name="Shape" abstract="true"><s:sequence><s:element minOccurs="0" name="Name" type="s:string" /></s:sequence></s:complexType>
<s:complexType name="Circle"><s:complexContent mixed="false"><s:extension base="tns:Shape"><s:sequence><s:element name="R" type="s:double" /></s:sequence></s:extension></s:complexContent></s:complexType>"#,
    ));
    contains_all(
        &text,
        &[
            "pub v: AnyShape,",
            "pub enum AnyShape {",
            "Circle(Circle),",
            "Unknown {",
            r#"Some(("urn:t", "Circle")) =>"#,
            r#"w.xsi_type("urn:t", "Circle");"#,
            "Abstract: on the wire a derived type",
        ],
    );
}

#[test]
fn attributes_simple_content_groups_and_lists() {
    let text = types(&with_field(
        "tns:M",
        r#"<s:complexType name="M"><s:simpleContent><s:extension base="s:decimal"><s:attribute name="unit" type="s:string" use="required" /><s:attributeGroup ref="tns:Ag" /></s:extension></s:simpleContent></s:complexType>
<s:attributeGroup name="Ag"><s:attribute name="approx" type="s:boolean" default="false" /></s:attributeGroup>"#,
    ));
    contains_all(
        &text,
        &[
            "pub value: rt::Decimal,",
            "pub unit: String,",
            "pub approx: Option<bool>,",
            "Default: `false`.",
            "fn encode_attributes(",
            "decode_attribute(",
            "required_attribute(",
        ],
    );
    let text = types(&with_field(
        "tns:D",
        r#"<s:complexType name="D"><s:sequence><s:group ref="tns:G" minOccurs="0" /></s:sequence></s:complexType>
<s:group name="G"><s:sequence><s:element name="A" type="s:int" /><s:element name="B" type="tns:Days" /></s:sequence></s:group>
<s:simpleType name="Days"><s:list><s:simpleType><s:restriction base="s:string"><s:enumeration value="Mon" /></s:restriction></s:simpleType></s:list></s:simpleType>"#,
    ));
    contains_all(&text, &["pub a: Option<i32>,", "pub b: Option<rt::List<"]);
}

#[test]
fn wildcards_mixed_content_and_substitution_groups() {
    let text = types(&with_field(
        "tns:E",
        r#"<s:complexType name="E"><s:sequence><s:element minOccurs="0" name="K" type="s:string" /><s:any minOccurs="0" maxOccurs="unbounded" /></s:sequence></s:complexType>
<s:complexType name="N" mixed="true"><s:sequence><s:element name="b" type="s:string" /></s:sequence></s:complexType>"#,
    ));
    contains_all(&text, &["pub any: Vec<rt::RawXml>,", "decode_any_item(r, &mut f_any, &child)?"]);
    let text = types(&with_field(
        "tns:N",
        r#"<s:complexType name="N" mixed="true"><s:sequence><s:element name="b" type="s:string" /></s:sequence></s:complexType>"#,
    ));
    contains_all(&text, &["pub content: rt::RawXml,"]);
    let text = types(&with_field(
        "tns:Holder",
        r#"<s:complexType name="Holder"><s:sequence><s:element ref="tns:Scope" maxOccurs="unbounded" /></s:sequence></s:complexType>
<s:element name="Scope" abstract="true" />
<s:element name="Corr" type="s:string" substitutionGroup="tns:Scope" />
<s:element name="Auth" type="s:int" substitutionGroup="tns:Scope" />"#,
    ));
    contains_all(&text, &["pub auth_or_corr: Vec<HolderChoice>,", "Auth(i32),", "Corr(String),"]);
}

#[test]
fn imports_includes_and_several_namespaces() {
    let main = wsdl(
        r#"<s:import namespace="urn:other" schemaLocation="xsd/other.xsd" />
<s:element name="Op"><s:complexType><s:sequence><s:element name="m" type="o:Money" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>"#,
    );
    let mut input = Input::new("svc.wsdl", main);
    input.schemas.push(SourceFile {
        path: "xsd/other.xsd".into(),
        text: r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:other" targetNamespace="urn:other" elementFormDefault="qualified"><xs:include schemaLocation="../common/units.xsd" /><xs:complexType name="Money"><xs:sequence><xs:element name="Unit" type="o:Unit" /></xs:sequence></xs:complexType></xs:schema>"#.into(),
    });
    input.schemas.push(SourceFile {
        path: "common/units.xsd".into(),
        text: r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:simpleType name="Unit"><xs:restriction base="xs:string"><xs:enumeration value="kg" /></xs:restriction></xs:simpleType></xs:schema>"#.into(),
    });
    let text = files(&input).into_iter().find(|f| f.path == "types.rs").map(|f| f.text).unwrap_or_default();
    contains_all(
        &text,
        &["pub struct Money", "pub unit: Unit,", "pub enum Unit", r#"if r.is_in(&child, "urn:other")"#],
    );
}

#[test]
fn message_elements_of_simple_or_shared_types_get_their_own_structs() {
    let text = types(&wsdl(
        r#"<s:element name="Op" type="s:string" />
<s:element name="OpResponse" type="tns:R" />
<s:element name="Other" type="tns:R" />
<s:complexType name="R"><s:sequence><s:element name="X" type="s:int" /></s:sequence></s:complexType>"#,
    ));
    contains_all(&text, &["pub struct Op {", "pub value: String,", "const NAME: &'static str = \"Op\";"]);
}

#[test]
fn unused_unsupported_types_do_not_block_generation() {
    let text = types(&with_field(
        "s:int",
        r#"<s:simpleType name="Unused"><s:union memberTypes="s:int s:string" /></s:simpleType>"#,
    ));
    contains_all(&text, &["pub v: i32,"]);
}

#[test]
fn unsupported_constructs_are_diagnosed_with_positions() {
    // Line numbers: the schema starts on line 5 of the generated WSDL.
    let repeated_sequence = diagnose(&with_field(
        "tns:S",
        "<s:complexType name=\"S\"><s:sequence maxOccurs=\"unbounded\"><s:element name=\"a\" type=\"s:int\" /><s:element name=\"b\" type=\"s:int\" /></s:sequence></s:complexType>",
    ));
    assert!(
        repeated_sequence.contains(
            "svc.wsdl:7:25: error: xs:sequence: a repeated sequence of several particles is not supported (in S)"
        ),
        "{repeated_sequence}"
    );
    assert!(repeated_sequence.contains("help:"), "{repeated_sequence}");
    let repeated_choice = diagnose(&with_field(
        "tns:C",
        "<s:complexType name=\"C\"><s:choice maxOccurs=\"unbounded\"><s:sequence><s:element name=\"a\" type=\"s:int\" /><s:element name=\"b\" type=\"s:int\" /></s:sequence><s:element name=\"c\" type=\"s:int\" /></s:choice></s:complexType>",
    ));
    assert!(repeated_choice.contains("svc.wsdl:7:25: error: xs:choice:"), "{repeated_choice}");
    let soap_array = diagnose(&with_field(
        "tns:A",
        r#"<s:complexType name="A"><s:complexContent><s:restriction base="soapenc:Array" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" /></s:complexContent></s:complexType>"#,
    ));
    assert!(soap_array.contains("svc.wsdl:7:1: error: xs:extension: base type `{http://schemas.xmlsoap.org/soap/encoding/}Array` is not declared"), "{soap_array}");
    assert!(soap_array.contains("SOAP-encoded arrays"), "{soap_array}");
    let redefine = diagnose(&with_field("s:int", r#"<s:redefine schemaLocation="x.xsd" />"#));
    assert!(
        redefine.contains("svc.wsdl:7:1: error: xs:redefine: this top-level schema construct is not supported"),
        "{redefine}"
    );
    let no_member = diagnose(&with_field(
        "tns:H",
        r#"<s:complexType name="H"><s:sequence><s:element ref="tns:Head" /></s:sequence></s:complexType><s:element name="Head" abstract="true" />"#,
    ));
    assert!(no_member.contains("is abstract and no element substitutes for it (in H)"), "{no_member}");
}

/// Runs the generator on a thread with an ordinary 2 MiB stack.
fn on_small_stack(text: String) -> Result<Vec<GeneratedFile>, String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || generate(&Input::new("svc.wsdl", text), &Options::default()).map_err(|d| d.to_string()))
        .expect("spawn")
        .join()
        .unwrap_or_else(|_| Err("panicked".to_owned()))
}

/// `n` named types, each holding the next by value (a chain), reached from the operation.
fn chain(n: usize, extension: bool) -> String {
    let mut types = String::new();
    for i in 0..n {
        let next = if i + 1 < n { format!("tns:T{}", i + 1) } else { "s:string".to_owned() };
        if extension && i + 1 < n {
            types.push_str(&format!(r#"<s:complexType name="T{i}"><s:complexContent><s:extension base="{next}"><s:sequence><s:element name="f{i}" type="s:int" /></s:sequence></s:extension></s:complexContent></s:complexType>"#));
        } else if extension {
            types.push_str(&format!(r#"<s:complexType name="T{i}"><s:sequence><s:element name="last" type="s:int" /></s:sequence></s:complexType>"#));
        } else {
            types.push_str(&format!(r#"<s:complexType name="T{i}"><s:sequence><s:element name="next" type="{next}" /></s:sequence></s:complexType>"#));
        }
    }
    with_field("tns:T0", &types)
}

#[test]
fn long_chains_of_named_types_are_diagnosed_not_a_stack_overflow() {
    for extension in [false, true] {
        assert!(on_small_stack(chain(90, extension)).is_ok(), "a chain of 90 generates (extension: {extension})");
        let long = on_small_stack(chain(5_000, extension)).expect_err("too deep");
        assert!(long.contains("levels") && long.contains("svc.wsdl:"), "{long}");
    }
}

/// Letters of any script stay in the identifier (Rust accepts Unicode identifiers); characters
/// no identifier may hold (`²`, `½`) separate words, as punctuation does. The XML name is kept.
#[test]
fn non_ascii_names_keep_their_meaning() {
    let text = types(&with_field(
        "tns:Straße",
        r#"<s:complexType name="Straße"><s:sequence><s:element name="n²" type="s:int" /><s:element name="データ" type="s:string" /><s:element name="größe" type="tns:Maß" /></s:sequence></s:complexType>
<s:simpleType name="Maß"><s:restriction base="s:string"><s:enumeration value="m²" /><s:enumeration value="½" /></s:restriction></s:simpleType>"#,
    ));
    contains_all(
        &text,
        &[
            "pub struct Straße {",
            "pub n: i32,",
            "pub データ: String,",
            "pub größe: Maß,",
            "pub enum Maß {",
            "Maß::M => \"m²\"",
            "Maß::Value => \"½\"",
            "\"n²\"",
            "\"データ\"",
        ],
    );
}

#[test]
fn a_group_that_contains_itself_is_diagnosed_with_its_position() {
    let text = diagnose(&with_field(
        "tns:T",
        r#"<s:complexType name="T"><s:sequence><s:group ref="tns:G" /></s:sequence></s:complexType>
<s:group name="G"><s:sequence><s:element name="a" type="s:int" minOccurs="0" /><s:group ref="tns:G" minOccurs="0" /></s:sequence></s:group>"#,
    ));
    assert!(text.contains("svc.wsdl:8:") && text.contains("model groups nest too deeply"), "{text}");
}
