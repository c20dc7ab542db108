//! The file-level front end: reads a WSDL with its schema files, writes only what changed.

use std::fs;
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn writes_modules_then_nothing_when_unchanged() {
    let dir = scratch("builder-basic");
    fs::write(dir.join("service.wsdl"), include_str!("fixtures/minimal.wsdl")).expect("write wsdl");
    let out = dir.join("out");
    let written = codegen::Builder::new(dir.join("service.wsdl"))
        .out_dir(&out)
        .client_type("crate::Client")
        .generate()
        .expect("generates");
    let mut names: Vec<String> =
        written.iter().map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["client.rs", "faults.rs", "mod.rs", "operations.rs", "types.rs"]);
    let types = fs::read_to_string(out.join("types.rs")).expect("types.rs");
    assert!(types.contains("from service.wsdl"), "header names the input");
    let again = codegen::Builder::new(dir.join("service.wsdl"))
        .out_dir(&out)
        .client_type("crate::Client")
        .generate()
        .expect("generates");
    assert!(again.is_empty(), "unchanged files are not rewritten: {again:?}");
}

#[test]
fn resolves_imported_schema_files_next_to_the_wsdl() {
    let dir = scratch("builder-import");
    let wsdl = include_str!("fixtures/minimal.wsdl");
    // Move the Validate type into an imported file of the same namespace.
    let moved = wsdl.replace(r#"<s:complexType name="Validate" />"#, r#"<s:include schemaLocation="validate.xsd" />"#);
    assert_ne!(moved, wsdl);
    fs::write(dir.join("service.wsdl"), moved).expect("write wsdl");
    fs::write(
        dir.join("validate.xsd"),
        r#"<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" targetNamespace="Logisense_EngageIP"><s:complexType name="Validate" /></s:schema>"#,
    )
    .expect("write xsd");
    codegen::Builder::new(dir.join("service.wsdl"))
        .out_dir(dir.join("out"))
        .generate()
        .expect("generates with the include");
    let types = fs::read_to_string(dir.join("out/types.rs")).expect("types.rs");
    assert!(types.contains("pub struct Validate"), "{types}");
}

#[test]
fn reports_missing_files_by_path() {
    let err = codegen::Builder::new("/nonexistent/dir/service.wsdl")
        .out_dir(scratch("builder-missing"))
        .generate()
        .expect_err("missing");
    assert!(err.to_string().starts_with("/nonexistent/dir/service.wsdl: "), "{err}");
}

#[test]
fn resolves_imported_wsdl_documents_next_to_the_wsdl() {
    let dir = scratch("builder-wsdl-import");
    // The golden case whose service.wsdl binds the port type of contract.wsdl (wsdl:import).
    let case = concat!(env!("CARGO_MANIFEST_DIR"), "/../engageip-api/tests/golden/generality");
    for name in ["service.wsdl", "contract.wsdl"] {
        let text = fs::read_to_string(format!("{case}/{name}")).expect("golden case file");
        fs::write(dir.join(name), text).expect("write");
    }
    codegen::Builder::new(dir.join("service.wsdl"))
        .out_dir(dir.join("out"))
        .generate()
        .expect("generates with the imported WSDL");
    let ops = fs::read_to_string(dir.join("out/operations.rs")).expect("operations.rs");
    assert!(ops.contains("pub struct Lookup;"), "{ops}");
    fs::remove_file(dir.join("contract.wsdl")).expect("remove");
    let err = codegen::Builder::new(dir.join("service.wsdl")).out_dir(dir.join("out")).generate().expect_err("missing");
    assert!(format!("{err:?}").contains("wsdl:import: WSDL file"), "{err:?}");
}
