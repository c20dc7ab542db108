//! Malformed or unsupported input gives a diagnostic with file, line, column, the construct
//! and what to do; never a panic.

use engageip_codegen::{Input, Options, generate};

fn diagnose(wsdl: &str) -> String {
    match generate(&Input::new("svc.wsdl", wsdl), &Options::default()) {
        Ok(_) => panic!("expected a diagnostic"),
        Err(d) => d.to_string(),
    }
}

/// A document/literal WSDL around `schema` with one operation `Op` using elements `Op` and
/// `OpResponse`.
fn wsdl(schema: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:t" targetNamespace="urn:t" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="urn:t">
{schema}
    </s:schema>
  </wsdl:types>
  <wsdl:message name="OpSoapIn"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>
  <wsdl:message name="OpSoapOut"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:OpSoapIn" /><wsdl:output message="tns:OpSoapOut" /></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#
    )
}

const RESPONSE: &str = r#"<s:element name="OpResponse"><s:complexType /></s:element>"#;

#[test]
fn malformed_xml_points_at_line_and_column() {
    let text = diagnose(
        "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n  <oops>\n</wsdl:definitions>",
    );
    assert!(text.starts_with("svc.wsdl:4:1: error: XML: the file is not well-formed XML"), "{text}");
}

#[test]
fn dtd_is_refused() {
    let text = diagnose("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<x>&a;</x>");
    assert!(text.contains("svc.wsdl:2:1") && text.contains("DTD"), "{text}");
}

#[test]
fn not_a_wsdl() {
    let text = diagnose("<root/>");
    assert!(text.contains("svc.wsdl:1:1") && text.contains("definitions"), "{text}");
}

#[test]
fn unsupported_construct_names_construct_type_and_help() {
    let schema = format!(
        r#"      <s:element name="Op"><s:complexType><s:sequence><s:element name="v" type="tns:Both" /></s:sequence></s:complexType></s:element>
      {RESPONSE}
      <s:simpleType name="Both"><s:union memberTypes="s:int s:string" /></s:simpleType>"#
    );
    let text = diagnose(&wsdl(&schema));
    assert!(text.contains("svc.wsdl:7:33: error: xs:union"), "{text}");
    assert!(text.contains("(in Both)") && text.contains("help:"), "{text}");
    assert_eq!(text.matches("error:").count(), 1, "one problem, one diagnostic: {text}");
}

#[test]
fn undeclared_type_is_named() {
    let schema = format!(
        r#"      <s:element name="Op"><s:complexType><s:sequence><s:element name="v" type="tns:Missing" /></s:sequence></s:complexType></s:element>
      {RESPONSE}"#
    );
    let text = diagnose(&wsdl(&schema));
    assert!(
        text.contains("svc.wsdl:5:55") && text.contains("`{urn:t}Missing` is not declared") && text.contains("(in Op)"),
        "{text}"
    );
}

#[test]
fn unbound_prefix_is_named() {
    let schema = format!(
        r#"      <s:element name="Op"><s:complexType><s:sequence><s:element name="v" type="nope:int" /></s:sequence></s:complexType></s:element>
      {RESPONSE}"#
    );
    let text = diagnose(&wsdl(&schema));
    assert!(text.contains("svc.wsdl:5:55") && text.contains("prefix `nope`"), "{text}");
}

#[test]
fn rpc_encoded_is_diagnosed() {
    let schema = format!(r#"      <s:element name="Op"><s:complexType /></s:element>{RESPONSE}"#);
    let rpc = wsdl(&schema).replace("style=\"document\"", "style=\"rpc\"");
    let text = diagnose(&rpc.replace("use=\"literal\"", "use=\"encoded\""));
    assert!(text.contains("use `encoded` is not supported") && text.contains("(in Op)"), "{text}");
    let text = diagnose(&wsdl(&schema).replace("style=\"document\"", "style=\"message\""));
    assert!(text.contains("style `message` is not supported"), "{text}");
}

#[test]
fn missing_schema_file_is_named() {
    let schema = format!(r#"      <s:import namespace="urn:x" schemaLocation="types/x.xsd" />{RESPONSE}"#);
    let text = diagnose(&wsdl(&schema));
    assert!(text.contains("schema file `types/x.xsd` was not provided"), "{text}");
}

#[test]
fn several_problems_are_all_reported() {
    let schema = format!(
        r#"      <s:element name="Op"><s:complexType><s:sequence><s:element name="a" type="tns:A" /><s:element name="b" type="tns:B" /></s:sequence></s:complexType></s:element>
      {RESPONSE}"#
    );
    let text = diagnose(&wsdl(&schema));
    assert!(text.contains("`{urn:t}A`") && text.contains("`{urn:t}B`"), "{text}");
}

#[test]
fn annotations_errors_have_positions() {
    let mut input =
        Input::new("svc.wsdl", wsdl(&format!(r#"<s:element name="Op"><s:complexType /></s:element>{RESPONSE}"#)));
    input.annotations = Some(engageip_codegen::SourceFile {
        path: "svc.annotations".into(),
        text: "# ok\nidempotent Op Nope\nfault INVALID\nbogus x\n".into(),
    });
    let text = generate(&input, &Options::default()).expect_err("bad annotations").to_string();
    assert!(text.contains("svc.annotations:3:7") && text.contains("double quotes"), "{text}");
    assert!(text.contains("svc.annotations:4:1") && text.contains("unknown keyword `bogus`"), "{text}");
}

#[test]
fn unknown_idempotent_operation_is_named() {
    let mut input =
        Input::new("svc.wsdl", wsdl(&format!(r#"<s:element name="Op"><s:complexType /></s:element>{RESPONSE}"#)));
    input.annotations =
        Some(engageip_codegen::SourceFile { path: "svc.annotations".into(), text: "idempotent Op Nope\n".into() });
    let text = generate(&input, &Options::default()).expect_err("unknown op").to_string();
    assert!(text.contains("svc.annotations:1:15") && text.contains("`Nope`"), "{text}");
}
