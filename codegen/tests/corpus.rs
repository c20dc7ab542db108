//! The generator over every WSDL of `tests/fixtures/wsdl-corpus/` (public WSDLs of other
//! services, copied byte for byte with their MANIFEST): each generates or stops with a diagnostic that has a position; none
//! panics. `cargo xtask corpus` also compiles what is generated and prints the table of docs/generality.md.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use codegen::{Input, Options, SourceFile};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wsdl-corpus")
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

/// Files that are expected to stop with a diagnostic, and why: everything else must generate.
const DIAGNOSED: &[(&str, &str)] = &[
    ("java-axis1-jira-soapservice-v2.wsdl", "style `rpc` is not supported"),
    ("java-axis1-rpclit-partner.wsdl", "style `rpc` is not supported"),
    ("other-noaa-ndfdxml.wsdl", "style `rpc` is not supported"),
];

#[test]
fn corpus_generates_or_diagnoses_and_never_panics() {
    let dir = corpus_dir();
    let entries =
        std::fs::read_dir(&dir).expect("the corpus is in the repository (codegen/tests/fixtures/wsdl-corpus)");
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wsdl"))
        .collect();
    names.sort();
    let queue = Mutex::new(names.clone());
    let problems = Mutex::new(Vec::new());
    // Two workers: the large WCF files dominate, and the machine has two cores.
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(name) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    let input = input_for(&dir, &name);
                    let outcome = std::panic::catch_unwind(|| codegen::generate(&input, &Options::default()));
                    let expected = DIAGNOSED.iter().find(|(n, _)| *n == name).map(|(_, why)| *why);
                    let problem = match (outcome, expected) {
                        (Err(_), _) => Some(format!("{name}: the generator panicked")),
                        (Ok(Ok(files)), None) => {
                            (!files.iter().any(|f| f.path == "types.rs")).then(|| format!("{name}: no types.rs"))
                        }
                        (Ok(Ok(_)), Some(_)) => Some(format!("{name}: generated, but was expected to be diagnosed")),
                        (Ok(Err(d)), Some(why)) => {
                            let first = d.0.first().map(ToString::to_string).unwrap_or_default();
                            let positioned = d.0.iter().all(|x| x.span.line > 0 && !x.span.file.is_empty());
                            (!first.contains(why) || !positioned)
                                .then(|| format!("{name}: unexpected diagnostic {first}"))
                        }
                        (Ok(Err(d)), None) => Some(format!("{name}: {} diagnostics, first: {}", d.0.len(), d.0[0])),
                    };
                    if let Some(p) = problem {
                        problems.lock().map(|mut v| v.push(p)).unwrap_or_default();
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap_or_default();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
