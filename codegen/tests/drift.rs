//! `engageip_codegen::drift`: every kind of change, classified by the direction it travels in.

use engageip_codegen::Input;
use engageip_codegen::drift::{DriftError, Report, Severity, compare};

const BASE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:t" targetNamespace="urn:t" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="urn:t">
      <s:element name="Op">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="1" maxOccurs="1" name="count" type="s:int" />
            <s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="mode" type="tns:Mode" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="OpResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="OpResult" type="tns:Item" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="Session" type="tns:Session" />
      <s:complexType name="Session"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="Token" type="s:string" /></s:sequence></s:complexType>
      <s:complexType name="Item">
        <s:sequence>
          <s:element minOccurs="1" maxOccurs="1" name="Id" type="s:int" />
          <s:element minOccurs="0" maxOccurs="1" name="Name" type="s:string" />
          <s:element minOccurs="1" maxOccurs="1" name="Kind" type="tns:Kind" />
          <s:element minOccurs="0" maxOccurs="1" name="Shape" type="tns:Shape" />
        </s:sequence>
      </s:complexType>
      <s:complexType name="Shape" abstract="true"><s:sequence><s:element minOccurs="0" maxOccurs="1" name="Label" type="s:string" /></s:sequence></s:complexType>
      <s:complexType name="Circle"><s:complexContent mixed="false"><s:extension base="tns:Shape"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="Radius" type="s:double" /></s:sequence></s:extension></s:complexContent></s:complexType>
      <s:simpleType name="Mode"><s:restriction base="s:string"><s:enumeration value="Fast" /><s:enumeration value="Slow" /></s:restriction></s:simpleType>
      <s:simpleType name="Kind"><s:restriction base="s:string"><s:enumeration value="A" /><s:enumeration value="B" /></s:restriction></s:simpleType>
    </s:schema>
  </wsdl:types>
  <wsdl:message name="OpSoapIn"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message>
  <wsdl:message name="OpSoapOut"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message>
  <wsdl:message name="OpSession"><wsdl:part name="Session" element="tns:Session" /></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:OpSoapIn" /><wsdl:output message="tns:OpSoapOut" /></wsdl:operation><!--more ops--></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /><!--header--></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation><!--more bindings--></wsdl:binding>
</wsdl:definitions>"#;

fn drift(new: &str) -> Report {
    compare(&Input::new("old.wsdl", BASE), &Input::new("new.wsdl", new)).unwrap_or_else(|e| panic!("{e}"))
}

fn changed(old: &str, new: &str) -> Report {
    assert!(BASE.contains(old), "the base has no `{old}`");
    drift(&BASE.replacen(old, new, 1))
}

/// The one change of `report`, as (severity, kind, subject).
fn only(report: &Report) -> (Severity, &'static str, String) {
    assert_eq!(report.changes.len(), 1, "{report}");
    let c = &report.changes[0];
    (c.severity, c.kind, c.subject.clone())
}

fn has(report: &Report, severity: Severity, kind: &str, subject: &str) -> bool {
    report.changes.iter().any(|c| c.severity == severity && c.kind == kind && c.subject == subject)
}

use Severity::{Breaking, Compatible};

#[test]
fn identical_and_cosmetic_changes_are_no_drift() {
    assert!(drift(BASE).changes.is_empty());
    // Reordered declarations, another prefix, added documentation: the same meaning.
    let cosmetic = BASE
        .replace("xmlns:tns=\"urn:t\"", "xmlns:tns=\"urn:t\" xmlns:other=\"urn:t\"")
        .replace("type=\"tns:Item\"", "type=\"other:Item\"")
        .replace(
            "<s:complexType name=\"Item\">",
            "<s:complexType name=\"Item\"><s:annotation><s:documentation>Docs.</s:documentation></s:annotation>",
        );
    let report = drift(&cosmetic);
    assert!(report.changes.is_empty(), "{report}");
    assert_eq!(report.exit_code(), 0);
    assert_eq!(report.status(), "none");
}

#[test]
fn operations_added_and_removed() {
    let added = BASE
        .replace("<!--more ops-->", r#"<wsdl:operation name="Op2"><wsdl:input message="tns:OpSoapIn" /><wsdl:output message="tns:OpSoapOut" /></wsdl:operation>"#)
        .replace(
            "<!--more bindings-->",
            r#"<wsdl:operation name="Op2"><soap:operation soapAction="urn:t/Op2" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>"#,
        );
    let report = drift(&added);
    assert_eq!(only(&report), (Compatible, "operation-added", "operation Op2".into()));
    assert_eq!(report.exit_code(), 1);
    // Removing it again, seen from the newer side.
    let back = compare(&Input::new("old.wsdl", added), &Input::new("new.wsdl", BASE)).expect("loads");
    assert_eq!(only(&back), (Breaking, "operation-removed", "operation Op2".into()));
    assert_eq!(back.exit_code(), 2);
}

#[test]
fn soap_action_and_headers() {
    let report = changed(r#"soapAction="urn:t/Op""#, r#"soapAction="urn:t/v2/Op""#);
    assert_eq!(only(&report), (Breaking, "action-changed", "operation Op".into()));
    let header = changed("<!--header-->", r#"<soap:header message="tns:OpSession" part="Session" use="literal" />"#);
    assert_eq!(only(&header), (Breaking, "header-added", "operation Op".into()));
}

#[test]
fn fields_by_direction() {
    // A required request parameter: existing callers do not send it.
    let r = changed(
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" />"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" /><s:element minOccurs="1" maxOccurs="1" name="limit" type="s:int" />"#,
    );
    assert_eq!(only(&r), (Breaking, "field-added", "Op.limit".into()));
    // An optional one is fine.
    let r = changed(
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" />"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" /><s:element minOccurs="0" maxOccurs="1" name="tag" type="s:string" />"#,
    );
    assert_eq!(only(&r), (Compatible, "field-added", "Op.tag".into()));
    // A response field: old clients skip it, required or not.
    let r = changed(
        r#"<s:element minOccurs="0" maxOccurs="1" name="Name" type="s:string" />"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="Name" type="s:string" /><s:element minOccurs="1" maxOccurs="1" name="Size" type="s:long" />"#,
    );
    assert_eq!(only(&r), (Compatible, "field-added", "Item.Size".into()));
    // A required response field removed: old clients fail.
    let r = changed(r#"<s:element minOccurs="1" maxOccurs="1" name="Id" type="s:int" />"#, "");
    assert_eq!(only(&r), (Breaking, "field-removed", "Item.Id".into()));
    // An optional one removed: old clients see it absent.
    let r = changed(r#"<s:element minOccurs="0" maxOccurs="1" name="Name" type="s:string" />"#, "");
    assert_eq!(only(&r), (Compatible, "field-removed", "Item.Name".into()));
    // A request parameter removed: the service ignores what callers send.
    let r = changed(r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" />"#, "");
    assert_eq!(only(&r), (Breaking, "field-removed", "Op.note".into()));
}

#[test]
fn types_widen_one_way() {
    // int → long in a request: every old value still fits.
    let r = changed(r#"name="count" type="s:int""#, r#"name="count" type="s:long""#);
    assert_eq!(only(&r), (Compatible, "field-type-changed", "Op.count".into()));
    // int → long in a response: old clients cannot hold the new values.
    let r = changed(r#"name="Id" type="s:int""#, r#"name="Id" type="s:long""#);
    assert_eq!(only(&r), (Breaking, "field-type-changed", "Item.Id".into()));
    assert!(r.changes[0].detail.contains("xs:int") && r.changes[0].detail.contains("xs:long"), "{r}");
    // int → string in a response: breaking.
    let r = changed(r#"name="Id" type="s:int""#, r#"name="Id" type="s:string""#);
    assert_eq!(only(&r), (Breaking, "field-type-changed", "Item.Id".into()));
}

#[test]
fn occurrence_and_nillability() {
    // A response field that may now be missing: old clients require it.
    let r = changed(
        r#"<s:element minOccurs="1" maxOccurs="1" name="Id" type="s:int" />"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="Id" type="s:int" />"#,
    );
    assert_eq!(only(&r), (Breaking, "field-occurrence-changed", "Item.Id".into()));
    // ... or nil.
    let r = changed(
        r#"<s:element minOccurs="1" maxOccurs="1" name="Id" type="s:int" />"#,
        r#"<s:element minOccurs="1" maxOccurs="1" name="Id" nillable="true" type="s:int" />"#,
    );
    assert_eq!(only(&r), (Breaking, "field-occurrence-changed", "Item.Id".into()));
    // A request parameter that becomes optional: callers still send a valid request.
    let r = changed(
        r#"<s:element minOccurs="1" maxOccurs="1" name="count" type="s:int" />"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="count" type="s:int" />"#,
    );
    assert_eq!(only(&r), (Compatible, "field-occurrence-changed", "Op.count".into()));
    // A request parameter that becomes required: callers that leave it out fail.
    let r = changed(
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" />"#,
        r#"<s:element minOccurs="1" maxOccurs="1" name="note" type="s:string" />"#,
    );
    assert_eq!(only(&r), (Breaking, "field-occurrence-changed", "Op.note".into()));
    // A response field that may now repeat.
    let r = changed(
        r#"<s:element minOccurs="0" maxOccurs="1" name="Name" type="s:string" />"#,
        r#"<s:element minOccurs="0" maxOccurs="unbounded" name="Name" type="s:string" />"#,
    );
    assert_eq!(only(&r), (Breaking, "field-occurrence-changed", "Item.Name".into()));
}

#[test]
fn enumeration_values() {
    let r = changed(r#"<s:enumeration value="B" />"#, r#"<s:enumeration value="B" /><s:enumeration value="C" />"#);
    assert_eq!(only(&r), (Compatible, "enum-value-added", "Kind".into()));
    let r = changed(r#"<s:enumeration value="B" />"#, "");
    assert_eq!(
        only(&r),
        (Compatible, "enum-value-removed", "Kind".into()),
        "a response value the service stopped sending"
    );
    let r = changed(r#"<s:enumeration value="Slow" />"#, "");
    assert_eq!(only(&r), (Breaking, "enum-value-removed", "Mode".into()), "a request value callers may still send");
}

#[test]
fn derived_types() {
    let square = r#"<s:complexType name="Square"><s:complexContent mixed="false"><s:extension base="tns:Shape"><s:sequence><s:element minOccurs="1" maxOccurs="1" name="Side" type="s:double" /></s:sequence></s:extension></s:complexContent></s:complexType>"#;
    let r = changed(r#"<s:simpleType name="Mode">"#, &format!(r#"{square}<s:simpleType name="Mode">"#));
    assert!(has(&r, Compatible, "derived-type-added", "Shape"), "{r}");
    assert!(has(&r, Compatible, "type-added", "type Square"), "{r}");
    assert_eq!(r.exit_code(), 1);
    let r = changed(
        r#"<s:element minOccurs="1" maxOccurs="1" name="Radius" type="s:double" />"#,
        r#"<s:element minOccurs="1" maxOccurs="1" name="Radius" type="s:double" /><s:element minOccurs="0" maxOccurs="1" name="Centre" type="s:string" />"#,
    );
    assert_eq!(only(&r), (Compatible, "field-added", "Circle.Centre".into()));
}

#[test]
fn reports_render_as_text_and_json() {
    let r = changed(r#"soapAction="urn:t/Op""#, r#"soapAction="urn:t/v2/Op""#);
    let text = r.to_string();
    assert!(text.contains("breaking changes:") && text.contains("operation Op: SOAP 1.1 action changed"), "{text}");
    assert!(text.contains("breaking: the service dispatches on the action"), "{text}");
    let json = r.to_json();
    assert_eq!(
        json,
        r#"{"status":"breaking","breaking":1,"compatible":0,"changes":[{"severity":"breaking","kind":"action-changed","subject":"operation Op","path":"operation Op","detail":"SOAP 1.1 action changed from `urn:t/Op` to `urn:t/v2/Op`","why":"the service dispatches on the action: calls sending the old one fail"}]}"#
    );
    let md = r.to_markdown("Schema drift | test");
    assert!(
        md.starts_with("### Schema drift \\| test\n\n**Breaking drift**: 1 breaking and 0 compatible change(s)."),
        "{md}"
    );
    assert!(md.contains("| **breaking** | `operation Op` | SOAP 1.1 action changed"), "{md}");
}

#[test]
fn changes_carry_the_path_that_reaches_them() {
    // Item is reached from Op's response through OpResult.
    let r = changed(r#"name="Id" type="s:int""#, r#"name="Id" type="s:long""#);
    assert_eq!(r.changes[0].path, "operation Op / response OpResponse / OpResponse.OpResult / Item.Id", "{r}");
    assert_eq!(r.changes[0].why, "this client cannot read every value of the new type");
    let r = changed(
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" />"#,
        r#"<s:element minOccurs="0" maxOccurs="1" name="note" type="s:string" /><s:element minOccurs="1" maxOccurs="1" name="limit" type="s:int" />"#,
    );
    assert_eq!(r.changes[0].path, "operation Op / request Op / Op.limit", "{r}");
    assert_eq!(r.changes[0].why, "it is required, and existing callers do not send it");
    assert!(r.to_string().contains("      at: operation Op / request Op / Op.limit\n"), "{r}");
}

#[test]
fn malformed_descriptions_cannot_be_compared() {
    let err = compare(&Input::new("old.wsdl", BASE), &Input::new("new.wsdl", "<definitions>")).expect_err("malformed");
    assert!(matches!(&err, DriftError::New(d) if d.to_string().contains("new.wsdl:1:")), "{err}");
    let err = compare(&Input::new("old.wsdl", "not xml"), &Input::new("new.wsdl", BASE)).expect_err("malformed");
    assert!(matches!(err, DriftError::Old(_)));
}

#[test]
fn pages_that_are_not_descriptions_are_told_apart() {
    assert_eq!(engageip_codegen::drift::not_a_wsdl(BASE), None);
    let html =
        engageip_codegen::drift::not_a_wsdl("<html><body>Service unavailable</body></html>").expect("not a WSDL");
    assert_eq!(html, "the root element is `html`, not wsdl:definitions");
    let text = engageip_codegen::drift::not_a_wsdl("Service Unavailable").expect("not a WSDL");
    assert!(text.starts_with("not XML (") && text.ends_with("it starts with \"Service Unavailable\""), "{text}");
    let xsd = engageip_codegen::drift::not_a_wsdl(r#"<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" />"#)
        .expect("a schema");
    assert!(xsd.contains("`schema` in namespace `http://www.w3.org/2001/XMLSchema`"), "{xsd}");
    // A broken WSDL is still a WSDL: `compare` says where it breaks.
    assert_eq!(
        engageip_codegen::drift::not_a_wsdl("<?xml version=\"1.0\"?><wsdl:definitions><oops></wsdl:definitions>"),
        None
    );
}

#[test]
fn imported_locations_are_listed_once_in_order() {
    let wsdl = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema">
  <wsdl:import namespace="urn:a" location="more.wsdl" />
  <wsdl:types><s:schema><s:import namespace="urn:t" schemaLocation="types.xsd" /><s:include schemaLocation="common.xsd" /><s:import namespace="urn:t" schemaLocation="types.xsd" /><s:import namespace="urn:x" /></s:schema></wsdl:types>
</wsdl:definitions>"#;
    assert_eq!(engageip_codegen::drift::imported_locations(wsdl), ["more.wsdl", "types.xsd", "common.xsd"]);
    assert!(engageip_codegen::drift::imported_locations("not xml").is_empty());
}
