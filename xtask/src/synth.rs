//! A synthetic ASMX-style WSDL of any size, for measuring the generator: `cargo xtask
//! synth-wsdl OUT` writes one, and the `perf` benchmark of `engageip-api` builds the same text
//! in memory (it includes this file).
//!
//! The shape is what ASP.NET ASMX publishes, scaled up: one schema, `elementFormDefault`
//! qualified; named complex types with documented fields of every primitive the generator maps
//! (`minOccurs="0"` strings, `nillable` dates, value types), references between types, `ArrayOf`
//! wrappers, `complexContent/extension` (class inheritance) and enumerations; per operation a
//! request and a response wrapper element, three messages (in, out, `AuthHeader`), a portType
//! operation and SOAP 1.1 and 1.2 binding operations. Deterministic: the same counts give the
//! same bytes.

use std::fmt::Write;

/// Operation count of the benchmark's synthetic WSDL.
pub const OPERATIONS: usize = 1000;
/// Named type count (complex and simple) of the benchmark's synthetic WSDL.
pub const TYPES: usize = 2000;

const NS: &str = "Synthetic_Service";

/// Whether named type `i` is an enumeration (every 25th).
fn is_enum(i: usize) -> bool {
    i % 25 == 24
}

/// Whether named type `i` extends the record before it (every 10th, where that one is a record).
fn extends(i: usize) -> Option<usize> {
    (i % 10 == 5 && !is_enum(i - 1)).then(|| i - 1)
}

fn type_name(i: usize) -> String {
    if is_enum(i) { format!("Kind{i}") } else { format!("Record{i}") }
}

/// The record operation `op` returns an array of: type `2 op + 1`, or the record below it.
fn response_record(op: usize, types: usize) -> Option<usize> {
    (types > 0).then(|| (2 * op + 1) % types).and_then(|i| if is_enum(i) { record_below(i) } else { Some(i) })
}

/// The record type nearest below `i` (so references point backwards and resolve).
fn record_below(i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| !is_enum(j))
}

fn doc(out: &mut String, indent: &str, text: &str) {
    let _ = write!(
        out,
        "\n{indent}  <s:annotation>\n{indent}    <s:documentation>{text}</s:documentation>\n{indent}  </s:annotation>\n{indent}"
    );
}

fn field(out: &mut String, min: u32, max: &str, name: &str, ty: &str, nillable: bool, text: &str) {
    let nil = if nillable { " nillable=\"true\"" } else { "" };
    let _ =
        write!(out, "          <s:element minOccurs=\"{min}\" maxOccurs=\"{max}\" name=\"{name}\"{nil} type=\"{ty}\">");
    doc(out, "          ", text);
    out.push_str("</s:element>\n");
}

fn record_fields(out: &mut String, i: usize) {
    field(out, 1, "1", "ID", "s:int", false, &format!("The unique ID of record {i} (Integer)."));
    field(out, 0, "1", "Name", "s:string", false, "The name of the record (String).");
    field(out, 0, "1", "Code", "s:string", false, "A short code (String).");
    field(out, 1, "1", "OwnerID", "s:int", false, "The ID of the owner (Integer).");
    field(out, 1, "1", "Total", "s:long", false, "A running total (Long).");
    field(out, 1, "1", "Amount", "s:double", false, "The amount (Double).");
    field(out, 1, "1", "CreatedDate", "s:dateTime", false, "When the record was created (DateTime).");
    field(out, 1, "1", "ExpiryDate", "s:dateTime", true, "When the record expires, otherwise null (DateTime).");
    field(out, 1, "1", "Active", "s:boolean", false, "Whether the record is active (Boolean).");
    field(out, 0, "1", "Description", "s:string", false, "A description (String).");
    if let Some(j) = (i > 0).then(|| i - 1).filter(|&j| is_enum(j)) {
        field(out, 1, "1", "Kind", &format!("tns:{}", type_name(j)), false, "The kind of record.");
    }
    if let Some(j) = record_below(i.saturating_sub(3)).filter(|_| i >= 3) {
        field(out, 0, "1", "Parent", &format!("tns:{}", type_name(j)), false, "A related record.");
    }
    if i % 4 == 0 {
        if let Some(j) = record_below(i) {
            field(out, 0, "1", "Children", &format!("tns:ArrayOf{}", type_name(j)), false, "Related records.");
        }
    }
}

/// The synthetic WSDL with `operations` operations and `types` named schema types.
pub fn wsdl(operations: usize, types: usize) -> String {
    let mut out = String::with_capacity(operations * 4000 + types * 3000);
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:tns="{NS}" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" targetNamespace="{NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="{NS}">
      <s:element name="AuthHeader" type="tns:AuthHeader" />
      <s:complexType name="AuthHeader">
        <s:sequence>
          <s:element minOccurs="0" maxOccurs="1" name="Username" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="Password" type="s:string" />
        </s:sequence>
      </s:complexType>
"#
    );
    // Which records need an ArrayOf wrapper: those some response or `Children` field lists.
    let mut arrays = vec![false; types];
    for op in 0..operations {
        if let Some(j) = response_record(op, types) {
            arrays[j] = true;
        }
    }
    for i in (0..types).filter(|i| i % 4 == 0) {
        if let Some(j) = record_below(i) {
            arrays[j] = true;
        }
    }
    for (i, &has_array) in arrays.iter().enumerate() {
        let name = type_name(i);
        if is_enum(i) {
            let _ = write!(out, "      <s:simpleType name=\"{name}\">");
            doc(&mut out, "      ", &format!("An enumeration, number {i}."));
            out.push_str("  <s:restriction base=\"s:string\">\n");
            for v in ["None", "Monthly", "Yearly", "OneTime", "Usage"] {
                let _ = writeln!(out, "          <s:enumeration value=\"{v}\" />");
            }
            out.push_str("        </s:restriction>\n      </s:simpleType>\n");
            continue;
        }
        let _ = write!(out, "      <s:complexType name=\"{name}\">");
        doc(&mut out, "      ", &format!("A record type, number {i}."));
        match extends(i) {
            Some(base) => {
                let _ = writeln!(
                    out,
                    "  <s:complexContent mixed=\"false\">\n          <s:extension base=\"tns:{}\">\n            <s:sequence>",
                    type_name(base)
                );
                field(&mut out, 0, "1", "Extra", "s:string", false, "A field the derived type adds (String).");
                field(&mut out, 1, "1", "Level", "s:int", false, "Another one (Integer).");
                out.push_str("            </s:sequence>\n          </s:extension>\n        </s:complexContent>\n");
            }
            None => {
                out.push_str("  <s:sequence>\n");
                record_fields(&mut out, i);
                out.push_str("        </s:sequence>\n");
            }
        }
        out.push_str("      </s:complexType>\n");
        if has_array {
            let _ = write!(
                out,
                "      <s:complexType name=\"ArrayOf{name}\">\n        <s:sequence>\n          <s:element minOccurs=\"0\" maxOccurs=\"unbounded\" name=\"{name}\" nillable=\"true\" type=\"tns:{name}\" />\n        </s:sequence>\n      </s:complexType>\n"
            );
        }
    }
    for op in 0..operations {
        let result = response_record(op, types).map(type_name);
        let _ =
            write!(out, "      <s:element name=\"Operation{op}\">\n        <s:complexType>\n          <s:sequence>\n");
        field(&mut out, 0, "1", "username", "s:string", false, "The owner's username (String).");
        field(&mut out, 1, "1", "id", "s:int", false, "The ID to look up (Integer).");
        field(&mut out, 1, "1", "since", "s:dateTime", true, "Only records changed since then, or null (DateTime).");
        field(&mut out, 1, "1", "includeInactive", "s:boolean", false, "Whether to include inactive records.");
        if types > 0 {
            // Every named type is used by some operation (generators prune unused ones).
            let criteria = format!("tns:{}", type_name((2 * op) % types));
            field(&mut out, 0, "1", "criteria", &criteria, false, "What to look for.");
        }
        out.push_str("          </s:sequence>\n        </s:complexType>\n      </s:element>\n");
        let _ = write!(out, "      <s:element name=\"Operation{op}Response\">\n        <s:complexType>\n");
        if let Some(r) = result {
            let _ = write!(
                out,
                "          <s:sequence>\n            <s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Operation{op}Result\" type=\"tns:ArrayOf{r}\" />\n          </s:sequence>\n"
            );
        }
        out.push_str("        </s:complexType>\n      </s:element>\n");
    }
    out.push_str("    </s:schema>\n  </wsdl:types>\n");
    for op in 0..operations {
        let _ = write!(
            out,
            "  <wsdl:message name=\"Operation{op}SoapIn\">\n    <wsdl:part name=\"parameters\" element=\"tns:Operation{op}\" />\n  </wsdl:message>\n  <wsdl:message name=\"Operation{op}SoapOut\">\n    <wsdl:part name=\"parameters\" element=\"tns:Operation{op}Response\" />\n  </wsdl:message>\n  <wsdl:message name=\"Operation{op}AuthHeader\">\n    <wsdl:part name=\"AuthHeader\" element=\"tns:AuthHeader\" />\n  </wsdl:message>\n"
        );
    }
    out.push_str("  <wsdl:portType name=\"SyntheticSoap\">\n");
    for op in 0..operations {
        let _ = write!(
            out,
            "    <wsdl:operation name=\"Operation{op}\">\n      <wsdl:documentation xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">Synthetic operation number {op}.</wsdl:documentation>\n      <wsdl:input message=\"tns:Operation{op}SoapIn\" />\n      <wsdl:output message=\"tns:Operation{op}SoapOut\" />\n    </wsdl:operation>\n"
        );
    }
    out.push_str("  </wsdl:portType>\n");
    for (binding, soap) in [("SyntheticSoap", "soap"), ("SyntheticSoap12", "soap12")] {
        let _ = writeln!(
            out,
            "  <wsdl:binding name=\"{binding}\" type=\"tns:SyntheticSoap\">\n    <{soap}:binding transport=\"http://schemas.xmlsoap.org/soap/http\" />"
        );
        for op in 0..operations {
            let _ = write!(
                out,
                "    <wsdl:operation name=\"Operation{op}\">\n      <{soap}:operation soapAction=\"{NS}/Operation{op}\" style=\"document\" />\n      <wsdl:input>\n        <{soap}:body use=\"literal\" />\n        <{soap}:header message=\"tns:Operation{op}AuthHeader\" part=\"AuthHeader\" use=\"literal\" />\n      </wsdl:input>\n      <wsdl:output>\n        <{soap}:body use=\"literal\" />\n      </wsdl:output>\n    </wsdl:operation>\n"
            );
        }
        out.push_str("  </wsdl:binding>\n");
    }
    let _ = write!(
        out,
        "  <wsdl:service name=\"Synthetic\">\n    <wsdl:port name=\"SyntheticSoap\" binding=\"tns:SyntheticSoap\">\n      <soap:address location=\"http://localhost/Synthetic.asmx\" />\n    </wsdl:port>\n    <wsdl:port name=\"SyntheticSoap12\" binding=\"tns:SyntheticSoap12\">\n      <soap12:address location=\"http://localhost/Synthetic.asmx\" />\n    </wsdl:port>\n  </wsdl:service>\n</wsdl:definitions>\n"
    );
    out
}
