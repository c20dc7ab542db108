//! `cargo xtask golden [--check]`: the golden modules of `engageip-api/tests/golden/`.
//!
//! Each directory there holding a `service.wsdl` is one case: the WSDL, any `.xsd` files
//! beside or below it (imports resolve relative to the WSDL), an optional
//! `service.annotations`, and the code generated from them in `generated/`. The test crate
//! `engageip-api/tests/golden.rs` compiles every case as a module and round-trips XML
//! through it, so golden files are compiled, not only compared as text; the `xtask` test
//! `golden_files_are_fresh` fails when they are stale.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::{GeneratedFile, Input, Options, SourceFile};

use crate::regen::{Mode, diff, workspace_root};

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

fn xsd_files(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() && entry.file_name() != "generated" {
            xsd_files(base, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "xsd") {
            out.push(path.strip_prefix(base).map(Path::to_path_buf).unwrap_or(path));
        }
    }
    Ok(())
}

/// The generator's input for one case.
pub fn case_input(root: &Path, case: &str) -> Result<Input, String> {
    let dir = root.join(GOLDEN_DIR).join(case);
    let read = |rel: &Path| {
        fs::read_to_string(dir.join(rel)).map_err(|e| format!("cannot read {GOLDEN_DIR}/{case}/{}: {e}", rel.display()))
    };
    let mut input = Input::new("service.wsdl", read(Path::new("service.wsdl"))?);
    let mut xsds = Vec::new();
    xsd_files(&dir, &dir, &mut xsds)?;
    xsds.sort();
    for rel in xsds {
        let path = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
        input.schemas.push(SourceFile { text: read(&rel)?, path });
    }
    if dir.join("service.annotations").is_file() {
        input.annotations =
            Some(SourceFile { path: "service.annotations".to_owned(), text: read(Path::new("service.annotations"))? });
    }
    Ok(input)
}

/// The golden files of one case.
pub fn generate_case(root: &Path, case: &str) -> Result<Vec<GeneratedFile>, String> {
    let input = case_input(root, case)?;
    let options = Options {
        source_name: format!("{GOLDEN_DIR}/{case}/service.wsdl"),
        regen_command: "cargo xtask golden".to_owned(),
        ..Options::default()
    };
    codegen::generate(&input, &options).map_err(|d| format!("{d}\n\ngolden case `{case}` does not generate"))
}

/// A file that differs: (path, committed text, generated text); `None` for a missing file.
pub type Difference = (String, Option<String>, Option<String>);

/// Every golden file that differs from what the generator writes now.
pub fn stale(root: &Path) -> Result<Vec<Difference>, String> {
    let mut out = Vec::new();
    for case in cases(root)? {
        let files = generate_case(root, &case)?;
        let dir = root.join(GOLDEN_DIR).join(&case).join("generated");
        for f in &files {
            let old = fs::read_to_string(dir.join(&f.path)).ok();
            if old.as_deref() != Some(f.text.as_str()) {
                out.push((format!("{GOLDEN_DIR}/{case}/generated/{}", f.path), old, Some(f.text.clone())));
            }
        }
        if let Ok(entries) = fs::read_dir(&dir) {
            let mut extra: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".rs") && !files.iter().any(|f| &f.path == n))
                .collect();
            extra.sort();
            for name in extra {
                let old = fs::read_to_string(dir.join(&name)).ok();
                out.push((format!("{GOLDEN_DIR}/{case}/generated/{name}"), old, None));
            }
        }
    }
    Ok(out)
}

/// Writes the golden files, or in check mode fails with a diff when they are stale.
pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let changes = stale(&root)?;
    match mode {
        Mode::Check => {
            if changes.is_empty() {
                println!("{GOLDEN_DIR} is up to date");
                return Ok(());
            }
            let report: String = changes.iter().map(|(p, old, new)| diff(p, old.as_deref(), new.as_deref())).collect();
            Err(format!(
                "{report}\nerror: {} golden file(s) are stale.\nrun `cargo xtask golden` and commit the result.",
                changes.len()
            ))
        }
        Mode::Write => {
            for (path, _, new) in &changes {
                let full = root.join(path);
                match new {
                    Some(text) => {
                        if let Some(parent) = full.parent() {
                            fs::create_dir_all(parent)
                                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                        }
                        fs::write(&full, text).map_err(|e| format!("cannot write {path}: {e}"))?;
                    }
                    None => fs::remove_file(&full).map_err(|e| format!("cannot remove stale {path}: {e}"))?,
                }
                println!("wrote {path}");
            }
            if changes.is_empty() {
                println!("{GOLDEN_DIR} is already up to date");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    /// The committed golden modules match the generator: `cargo test` catches stale ones.
    #[test]
    fn golden_files_are_fresh() {
        let root = super::workspace_root();
        let stale = super::stale(&root).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = stale.iter().map(|(p, _, _)| p.as_str()).collect();
        assert!(stale.is_empty(), "golden files are stale: {}. Run `cargo xtask golden`.", names.join(", "));
    }
}
