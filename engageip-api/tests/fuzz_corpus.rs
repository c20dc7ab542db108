//! Replays the committed fuzz corpus (`fuzz/seeds/{response,fault,request}`) and every crash
//! turned regression (`fuzz/regressions/...`) through the very harness functions the fuzz
//! targets run, so CI exercises them under plain `cargo test`.

use std::path::{Path, PathBuf};

use engageip_api::runtime::{self, XmlContent};
use engageip_api::types::GetPackages;

#[path = "../../fuzz/src/api.rs"]
mod fuzz_api;

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files
}

fn replay(target: &str, harness: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let seeds = files(&fuzz.join("seeds").join(target));
    let regressions = files(&fuzz.join("regressions").join(target));
    for file in seeds.iter().chain(&regressions) {
        let data = std::fs::read(file).expect("read corpus file");
        if std::panic::catch_unwind(|| harness(&data)).is_err() {
            panic!("{}: the {target} harness panicked", file.display());
        }
    }
    seeds.len()
}

#[test]
fn response_seeds_replay() {
    assert!(replay("response", fuzz_api::response) >= 5);
}

#[test]
fn fault_seeds_replay() {
    assert!(replay("fault", fuzz_api::fault) >= 3);
}

#[test]
fn request_seeds_replay() {
    assert!(replay("request", fuzz_api::request) >= 5);
}

#[test]
fn the_harnesses_cover_every_operation() {
    assert_eq!(fuzz_api::covered_operations(), engageip_api::operations::OPERATIONS.len());
}

#[test]
fn the_harnesses_hold_the_decoder_to_the_encoder() {
    // Not only "no panic": the harnesses re-encode what decoded, so a decoder accepting what
    // the encoder refuses is a crash. A raw U+0001 (the first such bug the fuzzer would find)
    // must therefore be refused by the decoder, and the harness then passes.
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetPackages xmlns=\"Logisense_EngageIP\"><username>a\u{1}b</username></GetPackages></soap:Body></soap:Envelope>";
    let decoded = runtime::decode_request(body, |_, _| Ok(false), |r, e| GetPackages::decode_content(r, e));
    match decoded {
        Err(e) => assert!(e.to_string().contains("U+0001"), "{e}"),
        Ok(_) => panic!("a raw U+0001 was accepted"),
    }
    fuzz_api::request(body.as_bytes());
}
