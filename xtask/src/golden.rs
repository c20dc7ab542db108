//! `cargo xtask golden [--check]`: the golden modules of `engageip-api/tests/golden/`.
//!
//! Each directory there holding a `service.wsdl` is one case: the WSDL, any `.xsd` files
//! beside or below it (imports resolve relative to the WSDL), an optional
//! `service.annotations`, and the code generated from them in `generated/`. The test crate
//! `engageip-api/tests/golden.rs` compiles every case as a module and round-trips XML
//! through it, so golden files are compiled, not only compared as text; the `xtask` test
//! `golden_files_are_fresh` fails when they are stale.

use std::fs;
use std::path::Path;

use engageip_codegen::{GeneratedFile, Input, Options};

use crate::regen::workspace_root;
use crate::sync::{Change, Mode, changes, ensure};

const GOLDEN_DIR: &str = "engageip-api/tests/golden";

/// The case directories, sorted.
pub fn cases(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join(GOLDEN_DIR);
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot list {GOLDEN_DIR}: {e}"))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("service.wsdl").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// The generator's input for one case: its `service.wsdl`, the `.xsd` files beside and below
/// it, and `service.annotations` when there is one.
pub fn case_input(root: &Path, case: &str) -> Result<Input, String> {
    let dir = root.join(GOLDEN_DIR).join(case);
    let annotations = dir.join("service.annotations");
    let annotations = annotations.is_file().then_some(annotations.as_path());
    engageip_codegen::load(dir.join("service.wsdl"), annotations)
        .map(|l| l.named_relative_to(&dir).input)
        .map_err(|e| e.to_string())
}

/// The golden files of one case. A case whose directory holds a file `options` may ask, one
/// word a line, for the `server` module (`server`, gated by engageip-api's feature `server`).
pub fn generate_case(root: &Path, case: &str) -> Result<Vec<GeneratedFile>, String> {
    let input = case_input(root, case)?;
    let mut options =
        Options::default().source_name(format!("{GOLDEN_DIR}/{case}/service.wsdl")).regen_command("cargo xtask golden");
    if let Ok(text) = std::fs::read_to_string(root.join(GOLDEN_DIR).join(case).join("options")) {
        for word in text.split_whitespace() {
            match word {
                "server" => options = options.server(true).server_feature("server"),
                other => return Err(format!("{GOLDEN_DIR}/{case}/options: unknown option `{other}` (known: server)")),
            }
        }
    }
    engageip_codegen::generate(&input, &options).map_err(|d| format!("{d}\n\ngolden case `{case}` does not generate"))
}

/// Every golden file that differs from what the generator writes now.
pub fn stale(root: &Path) -> Result<Vec<Change>, String> {
    let mut out = Vec::new();
    for case in cases(root)? {
        let files = generate_case(root, &case)?;
        out.extend(changes(root, &format!("{GOLDEN_DIR}/{case}/generated"), &files));
    }
    Ok(out)
}

/// Writes the golden files, or in check mode fails with a diff when they are stale.
pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    ensure(&root, &stale(&root)?, mode, GOLDEN_DIR, "cargo xtask golden")
}

#[cfg(test)]
mod tests {
    /// The committed golden modules match the generator: `cargo test` catches stale ones.
    #[test]
    fn golden_files_are_fresh() {
        let root = super::workspace_root();
        let stale = super::stale(&root).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = stale.iter().map(|c| c.path.as_str()).collect();
        assert!(stale.is_empty(), "golden files are stale: {}. Run `cargo xtask golden`.", names.join(", "));
    }
}
