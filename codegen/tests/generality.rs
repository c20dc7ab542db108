//! Valid WSDL constructs that real services publish and the generator used to refuse, one
//! small fixture each: the diagnostic it used to give is gone, and the generated code has the
//! shape other toolkits (svcutil, wsimport, zeep) give it. What stays refused (rpc/encoded, an
//! inherited element declared again with another type, a `wsdl:import` of a file that is not
//! there) is a diagnostic naming it.

use engageip_codegen::{Input, Options, SourceFile, generate};

const SOAP: &str = "http://schemas.xmlsoap.org/wsdl/soap/";

/// A WSDL in namespace `urn:t` around `schema`, messages, port type operations and binding
/// operations (each written in full by the test).
fn wsdl(schema: &str, messages: &str, port_ops: &str, binding_ops: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="{SOAP}" xmlns:tns="urn:t" targetNamespace="urn:t" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="urn:t">
{schema}
    </s:schema>
  </wsdl:types>
{messages}
  <wsdl:portType name="P">{port_ops}</wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
{binding_ops}
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://localhost/" /></wsdl:port></wsdl:service>
</wsdl:definitions>"#
    )
}

/// A document/literal operation `Op` with elements `Op` and `OpResponse` (declared by the
/// test's schema).
fn document_op(schema: &str) -> String {
    wsdl(
        schema,
        r#"  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>"#,
        r#"<wsdl:operation name="Op"><wsdl:input message="tns:In" /><wsdl:output message="tns:Out" /></wsdl:operation>"#,
        r#"    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>"#,
    )
}

fn options() -> Options {
    Options::default().server(true).client_type("crate::Client").client_trait(false)
}

/// The generated files of `input`, or a panic with its diagnostics.
fn files(input: &Input) -> Vec<engageip_codegen::GeneratedFile> {
    generate(input, &options()).unwrap_or_else(|d| panic!("expected it to generate, got:\n{d}"))
}

/// One generated file's text, whitespace removed (so the checks do not depend on line breaks).
fn flat(input: &Input, path: &str) -> String {
    let files = files(input);
    let text = files.iter().find(|f| f.path == path).map(|f| f.text.clone()).unwrap_or_default();
    text.split_whitespace().collect()
}

fn diagnostics(input: &Input) -> String {
    match generate(input, &options()) {
        Ok(_) => panic!("expected a diagnostic"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn xml_prefixed_references_are_bound_by_definition() {
    // No xmlns:xml anywhere: the prefix is bound in every document. The import of xml.xsd
    // (remote) is not needed either.
    let schema = r#"      <s:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="http://www.w3.org/2001/xml.xsd" />
      <s:element name="Op"><s:complexType><s:sequence><s:element name="Text" type="s:string" /></s:sequence><s:attributeGroup ref="xml:specialAttrs" /></s:complexType></s:element>
      <s:element name="OpResponse"><s:complexType><s:simpleContent><s:extension base="s:string"><s:attribute ref="xml:lang" use="required" /></s:extension></s:simpleContent></s:complexType></s:element>"#;
    let input = Input::new("xml.wsdl", document_op(schema));
    let types = flat(&input, "types.rs");
    for local in ["lang", "space", "base", "id"] {
        let needle = format!(r#"rt::decode_attribute(r,element,"http://www.w3.org/XML/1998/namespace","{local}",)"#);
        assert!(types.contains(&needle), "missing `{needle}` in {types}");
    }
    assert!(types.contains("pubstructOpResponse{"), "{types}");
    assert!(types.contains(r#"w.attribute_with("http://www.w3.org/XML/1998/namespace","lang","#), "{types}");
}

#[test]
fn one_way_operations_send_and_return_unit() {
    let schema = r#"      <s:element name="Op"><s:complexType><s:sequence><s:element name="Text" type="s:string" /></s:sequence></s:complexType></s:element>"#;
    let input = Input::new(
        "oneway.wsdl",
        wsdl(
            schema,
            r#"  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>"#,
            r#"<wsdl:operation name="Op"><wsdl:input message="tns:In" /></wsdl:operation>"#,
            r#"    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input></wsdl:operation>"#,
        ),
    );
    let ops = flat(&input, "operations.rs");
    assert!(
        ops.contains("constONE_WAY:bool=true;typeRequest=super::types::Op;typeResponse=super::types::OpResponse;"),
        "{ops}"
    );
    assert!(ops.contains("constIDEMPOTENT:bool=false;"), "one-way is not idempotent unless annotated: {ops}");
    let client = flat(&input, "client.rs");
    assert!(client.contains("pubasyncfnop(&self,text:impl::core::convert::Into<::std::string::String>,)->::core::result::Result<(),crate::Error>"), "{client}");
    let server = flat(&input, "server.rs");
    assert!(server.contains("incoming.accepted()"), "{server}");
    // Annotated idempotent, it is.
    let mut annotated = input.clone();
    annotated.annotations = Some(SourceFile { path: "oneway.annotations".into(), text: "idempotent Op\n".into() });
    assert!(flat(&annotated, "operations.rs").contains("constIDEMPOTENT:bool=true;"));
}

#[test]
fn messages_without_parts_are_no_arguments_and_unit() {
    let schema = r#"      <s:element name="OpResponse"><s:complexType><s:sequence><s:element name="N" type="s:int" /></s:sequence></s:complexType></s:element>
      <s:element name="Clear"><s:complexType /></s:element>"#;
    let input = Input::new(
        "empty.wsdl",
        wsdl(
            schema,
            r#"  <wsdl:message name="Nothing" />
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>
  <wsdl:message name="ClearIn"><wsdl:part name="parameters" element="tns:Clear" /></wsdl:message>"#,
            r#"<wsdl:operation name="Op"><wsdl:input message="tns:Nothing" /><wsdl:output message="tns:Out" /></wsdl:operation><wsdl:operation name="Clear"><wsdl:input message="tns:ClearIn" /><wsdl:output message="tns:Nothing" /></wsdl:operation>"#,
            r#"    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>
    <wsdl:operation name="Clear"><soap:operation soapAction="urn:t/Clear" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>"#,
        ),
    );
    let client = flat(&input, "client.rs");
    assert!(client.contains("pubasyncfnop(&self)->::core::result::Result<i32,crate::Error>"), "{client}");
    assert!(client.contains("pubasyncfnclear(&self)->::core::result::Result<(),crate::Error>"), "{client}");
    let types = flat(&input, "types.rs");
    // The empty message's struct is the Body's own content.
    assert!(types.contains(r#"pubstructNothing{}"#), "{types}");
    assert!(
        types.contains(r#"implrt::XmlElementforNothing{constNAMESPACE:&'staticstr="";constNAME:&'staticstr="";}"#),
        "{types}"
    );
    let server = flat(&input, "server.rs");
    assert!(
        server.contains("require_body_element(r,body,matches!(op,::core::option::Option::Some(Op::Op)),)"),
        "{server}"
    );
    assert!(!server.contains(r#"(Op::Op,"urn:t","#), "nothing to route Op by element: {server}");
}

/// A base type with `Name` and a derived type declaring it again with `name_type`.
fn redeclared(name_type: &str) -> Input {
    let schema = format!(
        r#"      <s:complexType name="Base"><s:sequence><s:element minOccurs="0" name="Name" type="s:string" /></s:sequence></s:complexType>
      <s:complexType name="Derived"><s:complexContent><s:extension base="tns:Base"><s:sequence><s:element minOccurs="0" name="Name" type="{name_type}" /><s:element name="More" type="s:int" /></s:sequence></s:extension></s:complexContent></s:complexType>
      <s:element name="Op"><s:complexType><s:sequence><s:element name="D" type="tns:Derived" /></s:sequence></s:complexType></s:element>
      <s:element name="OpResponse"><s:complexType /></s:element>"#
    );
    Input::new("redeclared.wsdl", document_op(&schema))
}

#[test]
fn an_inherited_element_declared_again_with_its_type_is_one_field() {
    let types = flat(&redeclared("s:string"), "types.rs");
    let start = types.find("pubstructDerived{").unwrap_or_else(|| panic!("{types}"));
    let derived = &types[start..start + types[start..].find('}').unwrap_or(0)];
    assert_eq!(derived.matches("pubname:").count(), 1, "{derived}");
    assert!(derived.contains("pubmore:i32"), "{derived}");
    assert!(!types.contains("name2"), "{types}");
}

#[test]
fn an_inherited_element_declared_again_with_another_type_names_both() {
    let text = diagnostics(&redeclared("s:int"));
    assert!(
        text.contains("redeclared.wsdl:6:")
            && text.contains("element `Name` is declared again with type `xs:int`, but base type `Base` declares it with type `xs:string`")
            && text.contains("(in Derived)"),
        "{text}"
    );
}

/// WCF's shape: service.wsdl binds a port type that contract.wsdl declares with the types.
fn imported(location: &str) -> Input {
    let contract = wsdl(
        r#"      <s:element name="Op"><s:complexType><s:sequence><s:element name="A" type="s:int" /></s:sequence></s:complexType></s:element>
      <s:element name="OpResponse"><s:complexType><s:sequence><s:element name="B" type="s:string" /></s:sequence></s:complexType></s:element>"#,
        r#"  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>"#,
        r#"<wsdl:operation name="Op"><wsdl:input message="tns:In" /><wsdl:output message="tns:Out" /></wsdl:operation>"#,
        "",
    )
    // The contract has a port type but no binding or service of its own.
    .replace(r#"  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />

  </wsdl:binding>
"#, "")
    .replace(r#"  <wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://localhost/" /></wsdl:port></wsdl:service>
"#, "");
    let service = format!(
        r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="{SOAP}" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:import namespace="urn:t" location="{location}" />
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://localhost/" /></wsdl:port></wsdl:service>
</wsdl:definitions>"#
    );
    let mut input = Input::new("wcf/service.wsdl", service);
    input.schemas.push(SourceFile { path: "wcf/parts/contract.wsdl".into(), text: contract });
    input
}

#[test]
fn wsdl_import_resolves_files_beside_the_importing_wsdl() {
    let client = flat(&imported("parts/contract.wsdl"), "client.rs");
    assert!(client.contains("pubasyncfnop(&self,a:i32)->::core::result::Result<String,crate::Error>"), "{client}");
}

#[test]
fn a_missing_or_remote_wsdl_import_is_named() {
    let text = diagnostics(&imported("parts/other.wsdl"));
    assert!(
        text.contains("wcf/service.wsdl:2:3: error: wsdl:import: WSDL file `wcf/parts/other.wsdl` was not provided"),
        "{text}"
    );
    let text = diagnostics(&imported("http://example.com/Service.svc?wsdl=wsdl0"));
    assert!(text.contains("is a remote document; the generator does no network I/O"), "{text}");
}

#[test]
fn rpc_literal_wraps_parts_in_an_element_named_after_the_operation() {
    let schema = r#"      <s:complexType name="Pair"><s:sequence><s:element name="Key" type="s:string" /></s:sequence></s:complexType>"#;
    let input = Input::new(
        "rpc.wsdl",
        wsdl(
            schema,
            r#"  <wsdl:message name="In"><wsdl:part name="id" type="s:int" /><wsdl:part name="pair" type="tns:Pair" /></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="return" type="s:string" /></wsdl:message>"#,
            r#"<wsdl:operation name="getThing"><wsdl:input message="tns:In" /><wsdl:output message="tns:Out" /></wsdl:operation>"#,
            r#"    <wsdl:operation name="getThing"><soap:operation soapAction="" style="rpc" /><wsdl:input><soap:body use="literal" namespace="urn:rpc" /></wsdl:input><wsdl:output><soap:body use="literal" namespace="urn:rpc" /></wsdl:output></wsdl:operation>"#,
        ),
    );
    let types = flat(&input, "types.rs");
    for needle in [
        // The wrappers: the operation's name and its name + Response, in the body's namespace.
        r#"implrt::XmlElementforGetThing{constNAMESPACE:&'staticstr="urn:rpc";constNAME:&'staticstr="getThing";}"#,
        r#"implrt::XmlElementforGetThingResponse{constNAMESPACE:&'staticstr="urn:rpc";constNAME:&'staticstr="getThingResponse";}"#,
        // The parts: unqualified children.
        r#"w.element("","id",&self.id)?;w.element("","pair",&self.pair)?;"#,
        r#"w.element("","return",&self.r#return)?;"#,
    ] {
        assert!(types.contains(needle), "missing `{needle}` in {types}");
    }
    let client = flat(&input, "client.rs");
    assert!(
        client.contains(
            "pubasyncfnget_thing(&self,id:i32,pair:types::Pair,)->::core::result::Result<String,crate::Error>"
        ),
        "{client}"
    );
    let server = flat(&input, "server.rs");
    assert!(server.contains(r#"(Op::GetThing,"urn:rpc","getThing")"#), "routed by its wrapper: {server}");
}

#[test]
fn non_ascii_names_are_unicode_identifiers_with_the_xml_name_in_the_docs() {
    let schema = r#"      <s:simpleType name="Статус"><s:restriction base="s:string"><s:enumeration value="Активный" /><s:enumeration value="Geschlossen-für-immer" /><s:enumeration value="Ünïcödé" /></s:restriction></s:simpleType>
      <s:element name="Op"><s:complexType><s:sequence><s:element name="Größe" type="s:int" /><s:element name="Состояние" type="tns:Статус" /></s:sequence></s:complexType></s:element>
      <s:element name="OpResponse"><s:complexType /></s:element>"#;
    let input = Input::new("unicode.wsdl", document_op(schema));
    let files = files(&input);
    let types = files.iter().find(|f| f.path == "types.rs").map(|f| f.text.as_str()).unwrap_or_default();
    for needle in [
        "pub enum Статус {",
        "    Активный,",
        "    GeschlossenFürImmer,",
        "    Ünïcödé,",
        "pub größe: i32,",
        "pub состояние: Статус,",
        "/// XML element `Größe` (`xs:int`",
        "/// `Geschlossen-für-immer`",
    ] {
        assert!(types.contains(needle), "missing `{needle}` in {types}");
    }
    assert!(!types.contains("Value2") && !types.contains("value2"), "{types}");
}

#[test]
fn diagnostics_debug_reads_like_display() {
    let err =
        generate(&Input::new("bad.wsdl", "<wsdl:definitions xmlns:wsdl=\"urn:not-wsdl\" />"), &Options::default())
            .expect_err("not a WSDL");
    assert_eq!(format!("{err:?}"), err.to_string());
    assert!(format!("{err:?}").starts_with("bad.wsdl:1:1: error: "), "{err:?}");
    assert_eq!(format!("{:?}", err.0[0]), err.0[0].to_string());
    let build = engageip_codegen::BuildError::from(err.clone());
    assert_eq!(format!("{build:?}"), build.to_string());
    assert_eq!(format!("{build:?}"), err.to_string());
}
