//! The generator over every WSDL of `tests/fixtures/wsdl-corpus/` (public WSDLs of other
//! services, copied byte for byte with their MANIFEST): each generates or stops with a diagnostic that has a position; none
//! panics. `cargo xtask corpus` also compiles what is generated and prints the table of docs/generality.md.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use engageip_codegen::{Input, Options};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wsdl-corpus")
}

/// The input for one corpus WSDL, read as `Builder` reads it: the `.xsd` files of the
/// directory are offered as schema files.
fn input_for(dir: &Path, wsdl: &str) -> Input {
    engageip_codegen::load(dir.join(wsdl), None).unwrap_or_else(|e| panic!("{e}")).named_relative_to(dir).input
}

/// Files that are expected to stop with a diagnostic, and why: everything else must generate.
/// The two rpc/encoded services: SOAP encoding is not generated (rpc/literal is).
const DIAGNOSED: &[(&str, &str)] = &[
    ("java-axis1-jira-soapservice-v2.wsdl", "use `encoded` is not supported"),
    ("other-noaa-ndfdxml.wsdl", "use `encoded` is not supported"),
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
                    // The client traits too (the async one is on by default): `cargo xtask corpus`
                    // compiles all of it.
                    let options = Options::default().blocking_client_trait(true);
                    let outcome = std::panic::catch_unwind(|| engageip_codegen::generate(&input, &options));
                    let expected = DIAGNOSED.iter().find(|(n, _)| *n == name).map(|(_, why)| *why);
                    let problem = match (outcome, expected) {
                        (Err(_), _) => Some(format!("{name}: the generator panicked")),
                        (Ok(Ok(files)), None) => ["types.rs", "client.rs", "blocking.rs"]
                            .iter()
                            .find(|p| !files.iter().any(|f| f.path == **p))
                            .map(|p| format!("{name}: no {p}")),
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
