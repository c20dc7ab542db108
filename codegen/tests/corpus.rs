//! The generator over every WSDL of `../shared/wsdl-corpus/`: it generates or diagnoses, and
//! never panics.

use std::path::{Path, PathBuf};

use codegen::{Input, Options, SourceFile};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wsdl-corpus")
}

/// The input for one corpus WSDL: every `.xsd` of the directory is offered as a schema file.
fn input_for(dir: &Path, wsdl: &str) -> Input {
    let text = std::fs::read_to_string(dir.join(wsdl)).unwrap_or_default();
    let mut input = Input::new(wsdl, text);
    let mut xsds: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    xsds.retain(|n| n.ends_with(".xsd"));
    xsds.sort();
    for name in xsds {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap_or_default();
        input.schemas.push(SourceFile { path: name, text });
    }
    input
}

#[test]
fn corpus_never_panics() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no corpus at {}; skipped", dir.display());
        return;
    };
    let mut names: Vec<String> =
        entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".wsdl")).collect();
    names.sort();
    let mut panics = Vec::new();
    for name in &names {
        let input = input_for(&dir, name);
        let result = std::panic::catch_unwind(|| codegen::generate(&input, &Options::default()));
        match result {
            Ok(Ok(files)) => eprintln!("{name}: generated {} files", files.len()),
            Ok(Err(d)) => { let mut c = std::collections::BTreeMap::new(); for x in &d.0 { *c.entry(format!("{} / {}", x.construct, x.message.chars().take(70).collect::<String>())).or_insert(0) += 1; } eprintln!("{name}: {} diagnostics: {c:#?}", d.0.len()) }
            Err(_) => panics.push(name.clone()),
        }
    }
    assert!(panics.is_empty(), "the generator panicked on: {panics:?}");
}
