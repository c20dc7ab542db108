//! The generator on hostile and pathological input: malformed WSDLs, cyclic and recursive
//! types, DTDs, very deep nesting and a 50 MB schema. Each gives a diagnostic or works; none
//! panics, overflows the stack or loops. Every case runs on its own thread under a generous
//! hang guard (a guard against loops, not a timing assertion).
//!
//! Also replays the WSDL fuzz target's committed seeds and regressions (`fuzz/seeds/wsdl`,
//! `fuzz/regressions/wsdl`) through the same harness the fuzzer runs.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use engageip_codegen::{Diagnostics, GeneratedFile, Input, Options, generate};

#[path = "../../fuzz/src/wsdl.rs"]
mod fuzz_wsdl;

const HANG_GUARD: Duration = Duration::from_secs(300);

/// Runs `generate` on its own thread (default 2 MiB stack, like any caller's thread would
/// have): a panic or a hang is reported as `Err(why)`.
fn outcome(text: String) -> Result<Result<Vec<GeneratedFile>, Diagnostics>, String> {
    outcome_within(text, HANG_GUARD)
}

/// [`outcome`] with its own hang guard.
fn outcome_within(text: String, guard: Duration) -> Result<Result<Vec<GeneratedFile>, Diagnostics>, String> {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let result = generate(&Input::new("svc.wsdl", text), &Options::default());
            let _ = tx.send(result);
        })
        .expect("spawn");
    match rx.recv_timeout(guard) {
        Ok(result) => {
            let _ = handle.join();
            Ok(result)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(match handle.join() {
            Err(panic) => format!(
                "panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default()
            ),
            Ok(()) => "the thread ended without a result".to_owned(),
        }),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("no result within {guard:?} (loop?)")),
    }
}

fn diagnostics(text: String) -> String {
    match outcome(text) {
        Ok(Err(d)) => {
            assert!(!d.is_empty());
            for diag in &d.0 {
                assert!(diag.span.line >= 1 && diag.span.column >= 1, "{diag}");
                assert_eq!(diag.span.file, "svc.wsdl");
            }
            d.to_string()
        }
        Ok(Ok(_)) => panic!("expected a diagnostic, generation succeeded"),
        Err(why) => panic!("{why}"),
    }
}

fn generated(text: String) -> String {
    match outcome(text) {
        Ok(Ok(files)) => files.into_iter().map(|f| f.text).collect::<Vec<_>>().join("\n"),
        Ok(Err(d)) => panic!("expected generation to work:\n{d}"),
        Err(why) => panic!("{why}"),
    }
}

/// A document/literal WSDL around `schema` with one operation `Op` (elements `Op` and
/// `OpResponse`, which `schema` declares).
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

/// `Op` takes one optional element of `ty`; `OpResponse` is empty.
fn op_taking(ty: &str, types: &str) -> String {
    wsdl(&format!(
        r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="0" name="v" type="{ty}" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>
{types}"#
    ))
}

#[test]
fn malformed_wsdls_give_diagnostics() {
    let valid = op_taking("s:string", "");
    let cases: Vec<(&str, String)> = vec![
        ("empty input", String::new()),
        ("not XML", "this is not a WSDL".to_owned()),
        ("truncated", valid[..valid.len() / 2].to_owned()),
        ("unclosed element", valid.replace("</wsdl:types>", "")),
        ("mismatched end tag", valid.replace("</wsdl:portType>", "</wsdl:porttype>")),
        ("two root elements", format!("{valid}<x/>")),
        ("wrong root", "<definitions xmlns=\"urn:not-wsdl\"/>".to_owned()),
        ("unknown entity", valid.replace("urn:t/Op", "urn:t/&op;")),
        ("unbound prefix", valid.replace("type=\"s:string\"", "type=\"q:string\"")),
        ("undeclared type", valid.replace("type=\"s:string\"", "type=\"tns:Missing\"")),
        ("undeclared element", valid.replace("element=\"tns:Op\"", "element=\"tns:Nope\"")),
        ("undeclared message", valid.replace("message=\"tns:OpSoapIn\"", "message=\"tns:Gone\"")),
        ("undeclared portType", valid.replace("type=\"tns:P\"", "type=\"tns:Q\"")),
        ("negative minOccurs", valid.replace("minOccurs=\"0\"", "minOccurs=\"-1\"")),
        ("maxOccurs many", valid.replace("minOccurs=\"0\"", "minOccurs=\"0\" maxOccurs=\"many\"")),
        ("huge minOccurs", valid.replace("minOccurs=\"0\"", "minOccurs=\"99999999999999999999\"")),
        ("invalid character reference", valid.replace("urn:t/Op", "urn:t/&#0;")),
    ];
    let mut failures = Vec::new();
    for (name, text) in cases {
        match outcome(text) {
            Ok(Err(d)) if !d.is_empty() => {}
            Ok(Err(_)) => failures.push(format!("{name}: an empty list of diagnostics")),
            Ok(Ok(_)) => failures.push(format!("{name}: generation succeeded")),
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    // One that is fine after all: the baseline must work, or the cases above prove nothing.
    assert!(matches!(outcome(valid), Ok(Ok(_))), "the baseline WSDL does not generate");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dtds_are_refused_with_a_position() {
    let laughs = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE wsdl:definitions [<!ENTITY a \"aaaaaaaaaa\">{}]>\n{}",
        (1..10)
            .map(|i| format!("<!ENTITY a{i} \"{}\">", format!("&a{};", i - 1).replace("&a0;", "&a;").repeat(10)))
            .collect::<String>(),
        op_taking("s:string", "")
            .replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", "")
            .replace("urn:t/Op\"", "urn:t/&a9;\"")
    );
    let text = diagnostics(laughs);
    assert!(text.contains("svc.wsdl:2:1") && text.contains("DTD"), "{text}");

    let external = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n{}",
        op_taking("s:string", "")
            .replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", "")
            .replace("urn:t/Op\"", "urn:t/&xxe;\"")
    );
    let text = diagnostics(external);
    assert!(text.contains("DTD") && !text.contains("root:"), "{text}");
}

#[test]
fn recursive_types_generate_with_indirection() {
    let types = r#"<s:complexType name="Node"><s:sequence>
  <s:element minOccurs="0" name="Next" type="tns:Node" />
  <s:element minOccurs="0" maxOccurs="unbounded" name="Child" type="tns:Node" />
  <s:element minOccurs="0" name="Other" type="tns:Other" />
</s:sequence></s:complexType>
<s:complexType name="Other"><s:sequence><s:element minOccurs="0" name="Back" type="tns:Node" /></s:sequence></s:complexType>"#;
    let text = generated(op_taking("tns:Node", types));
    assert!(text.contains("pub struct Node") && text.contains("pub struct Other"), "{text}");
    // A struct cannot hold itself by value: the optional self-reference needs a Box.
    assert!(text.contains("Box<Node>") || text.contains("Box<Other>"), "no indirection breaks the cycle:\n{text}");
}

#[test]
fn cyclic_type_references_terminate() {
    let mut failures = Vec::new();
    let cases: Vec<(&str, String)> = vec![
        (
            "mutual element references",
            op_taking(
                "tns:A",
                r#"<s:complexType name="A"><s:sequence><s:element minOccurs="0" name="b" type="tns:B" /></s:sequence></s:complexType>
<s:complexType name="B"><s:sequence><s:element minOccurs="0" name="a" type="tns:A" /></s:sequence></s:complexType>"#,
            ),
        ),
        (
            "required mutual references",
            op_taking(
                "tns:A",
                r#"<s:complexType name="A"><s:sequence><s:element name="b" type="tns:B" /></s:sequence></s:complexType>
<s:complexType name="B"><s:sequence><s:element name="a" type="tns:A" /></s:sequence></s:complexType>"#,
            ),
        ),
        (
            "a type extending itself",
            op_taking(
                "tns:A",
                r#"<s:complexType name="A"><s:complexContent><s:extension base="tns:A"><s:sequence><s:element name="x" type="s:int" /></s:sequence></s:extension></s:complexContent></s:complexType>"#,
            ),
        ),
        (
            "two types extending each other",
            op_taking(
                "tns:A",
                r#"<s:complexType name="A"><s:complexContent><s:extension base="tns:B"><s:sequence><s:element name="x" type="s:int" /></s:sequence></s:extension></s:complexContent></s:complexType>
<s:complexType name="B"><s:complexContent><s:extension base="tns:A"><s:sequence><s:element name="y" type="s:int" /></s:sequence></s:extension></s:complexContent></s:complexType>"#,
            ),
        ),
        (
            "simple types restricting each other",
            op_taking(
                "tns:S1",
                r#"<s:simpleType name="S1"><s:restriction base="tns:S2" /></s:simpleType>
<s:simpleType name="S2"><s:restriction base="tns:S1" /></s:simpleType>"#,
            ),
        ),
        (
            "a simple type restricting itself",
            op_taking(
                "tns:S",
                r#"<s:simpleType name="S"><s:restriction base="tns:S"><s:enumeration value="a" /></s:restriction></s:simpleType>"#,
            ),
        ),
        (
            "element references in a cycle",
            wsdl(
                r#"<s:element name="Op"><s:complexType><s:sequence><s:element minOccurs="0" ref="tns:E" /></s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>
<s:element name="E" type="tns:T" />
<s:complexType name="T"><s:sequence><s:element minOccurs="0" ref="tns:E" /></s:sequence></s:complexType>"#,
            ),
        ),
        (
            "an array wrapper of itself",
            op_taking(
                "tns:ArrayOfA",
                r#"<s:complexType name="ArrayOfA"><s:sequence><s:element minOccurs="0" maxOccurs="unbounded" name="A" nillable="true" type="tns:ArrayOfA" /></s:sequence></s:complexType>"#,
            ),
        ),
    ];
    for (name, text) in cases {
        match outcome(text) {
            Ok(Ok(_)) => {}
            Ok(Err(d)) if !d.is_empty() => {}
            Ok(Err(_)) => failures.push(format!("{name}: an empty list of diagnostics")),
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deeply_nested_anonymous_types_do_not_overflow_the_stack() {
    // 5,000 levels of anonymous complex types, on a thread with an ordinary 2 MiB stack.
    let depth = 5_000;
    let mut inner = String::from(r#"<s:element minOccurs="0" name="leaf" type="s:string" />"#);
    for i in 0..depth {
        inner = format!(
            r#"<s:element minOccurs="0" name="n{i}"><s:complexType><s:sequence>{inner}</s:sequence></s:complexType></s:element>"#
        );
    }
    let text = wsdl(&format!(
        r#"<s:element name="Op"><s:complexType><s:sequence>{inner}</s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>"#
    ));
    let text = diagnostics(text);
    assert!(text.contains("nest deeper than"), "{text}");
    // Just inside the limit still works, on the same small stack.
    let mut inner = String::from(r#"<s:element minOccurs="0" name="leaf" type="s:string" />"#);
    for i in 0..80 {
        inner = format!(
            r#"<s:element minOccurs="0" name="n{i}"><s:complexType><s:sequence>{inner}</s:sequence></s:complexType></s:element>"#
        );
    }
    generated(wsdl(&format!(
        r#"<s:element name="Op"><s:complexType><s:sequence>{inner}</s:sequence></s:complexType></s:element>
<s:element name="OpResponse"><s:complexType /></s:element>"#
    )));
}

#[test]
fn a_long_chain_of_named_types_does_not_overflow_the_stack() {
    // T0 holds a T1, which holds a T2, ... 5,000 named types deep, on a 2 MiB stack.
    let count = 5_000;
    let types: String = (0..count)
        .map(|i| {
            let next = if i + 1 < count { format!("tns:T{}", i + 1) } else { "s:string".to_owned() };
            format!(r#"<s:complexType name="T{i}"><s:sequence><s:element minOccurs="0" name="Next" type="{next}" /></s:sequence></s:complexType>"#)
        })
        .collect();
    match outcome(op_taking("tns:T0", &types)) {
        Ok(Ok(_)) => {}
        Ok(Err(d)) => assert!(!d.is_empty()),
        Err(why) => panic!("{why}"),
    }
}

/// About 50 MB: 55,000 complex types of eight fields each, all reachable from the operation
/// through a balanced tree of references (type `i` refers to `2i+1` and `2i+2`), so nothing
/// nests more than 16 levels deep.
fn fifty_megabytes() -> String {
    let count = 55_000;
    let child = |n: usize| if n < count { format!("tns:T{n}") } else { "s:string".to_owned() };
    let mut types = String::with_capacity(52 * 1024 * 1024);
    for i in 0..count {
        let (left, right) = (child(2 * i + 1), child(2 * i + 2));
        types.push_str(&format!(
            r#"<s:complexType name="T{i}"><s:annotation><s:documentation>Type number {i} of a very large generated schema, documented at some length so that the file reaches its size with realistic content rather than with whitespace alone; the generator must either turn it into Rust or explain why not.</s:documentation></s:annotation><s:sequence>
<s:element minOccurs="1" maxOccurs="1" name="Id" type="s:int" />
<s:element minOccurs="0" maxOccurs="1" name="Name" type="s:string" />
<s:element minOccurs="1" maxOccurs="1" name="Amount" type="s:double" />
<s:element minOccurs="1" maxOccurs="1" name="Created" type="s:dateTime" />
<s:element minOccurs="1" maxOccurs="1" name="Flag" type="s:boolean" />
<s:element minOccurs="0" maxOccurs="unbounded" name="Items" type="s:long" />
<s:element minOccurs="0" maxOccurs="1" name="Left" type="{left}" />
<s:element minOccurs="0" maxOccurs="1" name="Right" type="{right}" />
</s:sequence></s:complexType>
"#
        ));
    }
    op_taking("tns:T0", &types)
}

#[test]
#[ignore = "50 MB through the whole generator takes minutes even in release; run with --release --ignored (FUZZING.md)"]
fn a_fifty_megabyte_schema_generates_or_is_diagnosed() {
    let text = fifty_megabytes();
    assert!(text.len() >= 50 * 1000 * 1000, "only {} bytes", text.len());
    let started = std::time::Instant::now();
    let result = outcome_within(text, Duration::from_secs(3600));
    match &result {
        Ok(Ok(files)) => println!(
            "50 MB schema: generated {} bytes of Rust in {:?}",
            files.iter().map(|f| f.text.len()).sum::<usize>(),
            started.elapsed()
        ),
        Ok(Err(d)) => println!("50 MB schema: {} diagnostics in {:?}, first: {}", d.0.len(), started.elapsed(), d.0[0]),
        Err(_) => {}
    }
    match result {
        Ok(Ok(files)) => assert!(files.iter().any(|f| f.text.contains("pub struct T54999"))),
        Ok(Err(d)) => assert!(!d.is_empty()),
        Err(why) => panic!("{why}"),
    }
}

#[test]
fn a_fifty_megabyte_document_is_parsed_or_refused_quickly_enough_to_finish() {
    // The same size, mostly documentation: parsing and the model scale with the bytes, and
    // the run is short enough for every `cargo test`.
    let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(900_000);
    let text = op_taking(
        "tns:Big",
        &format!(
            r#"<s:complexType name="Big"><s:annotation><s:documentation>{filler}</s:documentation></s:annotation><s:sequence><s:element name="x" type="s:int" /></s:sequence></s:complexType>"#
        ),
    );
    assert!(text.len() >= 50 * 1000 * 1000, "only {} bytes", text.len());
    match outcome(text) {
        Ok(_) => {}
        Err(why) => panic!("{why}"),
    }
}

fn replay(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.retain(|p| p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')));
    files.sort();
    for file in &files {
        let data = std::fs::read(file).expect("read seed");
        let (tx, rx) = mpsc::channel();
        let name = file.display().to_string();
        std::thread::Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(move || {
                fuzz_wsdl::wsdl(&data);
                let _ = tx.send(());
            })
            .expect("spawn");
        match rx.recv_timeout(HANG_GUARD) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the harness panicked"),
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no result within {HANG_GUARD:?}"),
        }
    }
    files.len()
}

#[test]
fn fuzz_seeds_and_regressions_replay() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let seeds = replay(&fuzz.join("seeds/wsdl"));
    assert!(seeds >= 3, "expected the committed WSDL seeds, found {seeds}");
    replay(&fuzz.join("regressions/wsdl"));
    // The separator the harness understands really splits a seed: the EngageIP seed carries
    // its annotations file.
    let with_annotations =
        std::fs::read_to_string(fuzz.join("seeds/wsdl/engageip-with-annotations.wsdl")).expect("seed");
    assert!(with_annotations.contains(fuzz_wsdl::ANNOTATIONS_SEPARATOR));
}
