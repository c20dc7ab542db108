//! Generation on small schemas: naming, occurrence, arrays, inheritance, enums, determinism.

use engageip_codegen::{GeneratedFile, Input, Options, generate};

fn files(wsdl: &str) -> Vec<GeneratedFile> {
    generate(&Input::new("svc.wsdl", wsdl), &Options::default()).unwrap_or_else(|d| panic!("{d}"))
}

fn types(wsdl: &str) -> String {
    files(wsdl).into_iter().find(|f| f.path == "types.rs").map(|f| f.text).unwrap_or_default()
}

fn wsdl(schema: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:tns="urn:t" targetNamespace="urn:t" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="urn:t">{schema}</s:schema></wsdl:types>
  <wsdl:message name="OpSoapIn"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>
  <wsdl:message name="OpSoapOut"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:OpSoapIn" /><wsdl:output message="tns:OpSoapOut" /></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation></wsdl:binding>
  <wsdl:binding name="B12" type="tns:P"><soap12:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Op"><soap12:operation soapAction="urn:t/Op12" style="document" /><wsdl:input><soap12:body use="literal" /></wsdl:input><wsdl:output><soap12:body use="literal" /></wsdl:output></wsdl:operation></wsdl:binding>
  <wsdl:binding name="BGet" type="tns:PGet"><http:binding xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" verb="GET" /></wsdl:binding>
</wsdl:definitions>"#
    )
}

const RESPONSE: &str = r#"<s:element name="OpResponse"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="OpResult" type="tns:ArrayOfItem" /></s:sequence></s:complexType></s:element>
<s:complexType name="ArrayOfItem"><s:sequence><s:element minOccurs="0" maxOccurs="unbounded" name="Item" nillable="true" type="tns:Item" /></s:sequence></s:complexType>"#;

#[test]
fn occurrence_maps_to_option_nillable_and_vec() {
    let schema = format!(
        r#"<s:element name="Op"><s:complexType><s:sequence>
  <s:element minOccurs="1" maxOccurs="1" name="req" type="s:int" />
  <s:element minOccurs="0" maxOccurs="1" name="opt" type="s:string" />
  <s:element minOccurs="1" maxOccurs="1" name="nil" nillable="true" type="s:dateTime" />
  <s:element minOccurs="0" maxOccurs="1" name="both" nillable="true" type="s:int" />
  <s:element minOccurs="0" maxOccurs="unbounded" name="many" type="s:long" />
</s:sequence></s:complexType></s:element>
{RESPONSE}
<s:complexType name="Item"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="ID" type="s:int" /></s:sequence></s:complexType>"#
    );
    let text = types(&wsdl(&schema));
    assert!(text.contains("pub req: i32,"), "{text}");
    assert!(text.contains("pub opt: Option<String>,"), "{text}");
    assert!(text.contains("pub nil: Option<rt::DateTime>,"), "{text}");
    assert!(text.contains("use ::engageip_runtime as rt;"), "{text}");
    assert!(text.contains("pub both: rt::Nillable<i32>,"), "{text}");
    assert!(text.contains("pub many: Vec<i64>,"), "{text}");
    // The ArrayOf wrapper is a Vec, not a struct.
    assert!(text.contains("pub op_result: Option<Vec<Item>>,"), "{text}");
    assert!(!text.contains("pub struct ArrayOfItem"), "{text}");
}

#[test]
fn extension_flattens_base_fields_first() {
    let schema = format!(
        r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="d" type="tns:Derived" /></s:sequence></s:complexType></s:element>
{RESPONSE}
<s:complexType name="Item"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="ID" type="s:int" /></s:sequence></s:complexType>
<s:complexType name="Base" abstract="true"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="BaseField" type="s:int" /></s:sequence></s:complexType>
<s:complexType name="Derived"><s:complexContent mixed="false"><s:extension base="tns:Base"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="Own" type="s:string" /></s:sequence></s:extension></s:complexContent></s:complexType>"#
    );
    let text = types(&wsdl(&schema));
    let derived = &text[text.find("pub struct Derived").expect("Derived")..];
    let base_at = derived.find("pub base_field: i32").expect("base field");
    let own_at = derived.find("pub own:").expect("own field");
    assert!(base_at < own_at, "{derived}");
}

#[test]
fn enumerations_keep_unknown_values() {
    let schema = format!(
        r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="1" maxOccurs="1" name="unit" type="tns:Unit" /></s:sequence></s:complexType></s:element>
{RESPONSE}
<s:complexType name="Item"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="ID" type="s:int" /></s:sequence></s:complexType>
<s:simpleType name="Unit"><s:restriction base="s:string"><s:enumeration value="Day" /><s:enumeration value="in-progress" /><s:enumeration value="USD" /></s:restriction></s:simpleType>"#
    );
    let text = types(&wsdl(&schema));
    for needle in
        ["pub enum Unit", "Day,", "InProgress,", "Usd,", "Unknown(String)", "\"in-progress\" => Unit::InProgress"]
    {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
}

#[test]
fn keywords_and_awkward_names_become_valid_identifiers() {
    let schema = format!(
        r#"<s:element name="Op"><s:complexType><s:sequence>
  <s:element minOccurs="1" maxOccurs="1" name="type" type="s:int" />
  <s:element minOccurs="1" maxOccurs="1" name="self" type="s:int" />
  <s:element minOccurs="1" maxOccurs="1" name="match" type="s:int" />
  <s:element minOccurs="1" maxOccurs="1" name="Type" type="s:int" />
  <s:element minOccurs="1" maxOccurs="1" name="3d" type="s:int" />
</s:sequence></s:complexType></s:element>
{RESPONSE}
<s:complexType name="Item"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="ID" type="s:int" /></s:sequence></s:complexType>"#
    );
    let text = types(&wsdl(&schema));
    for needle in ["pub r#type: i32", "pub self_: i32", "pub r#match: i32", "pub type2: i32", "pub _3d: i32"] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
}

#[test]
fn types_named_like_std_items_do_not_shadow_them() {
    let schema = r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="o" type="tns:Option" /><s:element minOccurs="0" maxOccurs="1" name="s" type="tns:String" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="v" type="tns:Vec" /></s:sequence></s:complexType></s:element>
<s:complexType name="Option"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="x" type="s:string" /></s:sequence></s:complexType>
<s:complexType name="String"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="x" type="s:string" /></s:sequence></s:complexType>
<s:complexType name="Vec"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="x" type="s:string" /></s:sequence></s:complexType>"#;
    let text = types(&wsdl(schema));
    // The generated code names prelude items unqualified, so these types take a suffix.
    for name in ["OptionType", "StringType", "VecType"] {
        assert!(text.contains(&format!("pub struct {name} {{")), "missing {name}:\n{text}");
    }
    for name in ["Option", "String", "Vec"] {
        assert!(!text.contains(&format!("pub struct {name} {{")), "{name} shadows the prelude:\n{text}");
    }
    assert!(text.contains("pub o: Option<OptionType>,"), "{text}");
    assert!(text.contains("XML complex type `String`"), "{text}");
}

#[test]
fn recursive_types_are_boxed() {
    let schema = r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="n" type="tns:Node" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>
<s:complexType name="Node"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="Next" type="tns:Node" /><s:element minOccurs="0" maxOccurs="unbounded" name="Kids" type="tns:Node" /></s:sequence></s:complexType>"#;
    let text = types(&wsdl(schema));
    assert!(text.contains("pub next: Option<Box<Node>>"), "{text}");
    assert!(text.contains("pub kids: Vec<Node>"), "{text}");
}

#[test]
fn operations_take_actions_from_both_bindings_and_skip_http() {
    let schema = format!(
        r#"<s:element name="Op"><s:complexType /></s:element>{RESPONSE}<s:complexType name="Item"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="ID" type="s:int" /></s:sequence></s:complexType>"#
    );
    let ops = files(&wsdl(&schema)).into_iter().find(|f| f.path == "operations.rs").expect("operations.rs").text;
    assert!(ops.contains("const SOAP_ACTION: &'static str = \"urn:t/Op\";"), "{ops}");
    assert!(ops.contains("const SOAP12_ACTION: &'static str = \"urn:t/Op12\";"), "{ops}");
    assert!(ops.contains("const IDEMPOTENT: bool = false;"), "{ops}");
}

#[test]
fn output_is_deterministic_and_marked_generated() {
    let input = Input::new("minimal.wsdl", include_str!("fixtures/minimal.wsdl"));
    let a = generate(&input, &Options::default()).expect("generates");
    let b = generate(&input, &Options::default()).expect("generates");
    assert_eq!(a, b);
    for f in &a {
        assert!(f.text.starts_with("// @generated by engageip-codegen"), "{}", f.path);
        assert!(f.text.lines().next().is_some_and(|l| l.contains("the build script writes it again")), "{}", f.path);
    }
    // A regeneration command, when given, is what the header names.
    let named = generate(&input, &Options::default().regen_command("cargo xtask regen")).expect("generates");
    assert!(named.iter().all(|f| f.text.lines().next().is_some_and(|l| l.ends_with("run `cargo xtask regen`."))));
    // The single-file form holds the same modules.
    let one = engageip_codegen::generate_module(&input, &Options::default()).expect("generates");
    assert_eq!(one, engageip_codegen::generate_module(&input, &Options::default()).expect("generates"));
    for f in a.iter().filter(|f| f.path != "mod.rs") {
        let module = f.path.trim_end_matches(".rs");
        assert!(one.contains(&format!("\npub mod {module} {{\n")), "{module}");
    }
}
