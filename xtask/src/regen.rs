//! `cargo xtask regen`: wsdl/ → engageip-api/src/generated/. The bytes are the generator's
//! alone (prettyplease), never rustfmt's, so any toolchain writes the same files; `cargo fmt`
//! leaves them alone (`#[rustfmt::skip]` on `mod generated`).

use std::fs;
use std::path::{Path, PathBuf};

use codegen::{GeneratedFile, Input, Options, SourceFile};

/// Write the files, or only check that the committed ones are current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed.
    Write,
    /// Fail with a diff when anything would change.
    Check,
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

const WSDL: &str = "wsdl/engageip.wsdl";
const ANNOTATIONS: &str = "wsdl/engageip.annotations";
const OUT_DIR: &str = "engageip-api/src/generated";

fn read(root: &Path, rel: &str) -> Result<SourceFile, String> {
    let text = fs::read_to_string(root.join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))?;
    Ok(SourceFile { path: rel.to_owned(), text })
}

/// Runs the generator on the committed WSDL.
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let mut input = Input::new(WSDL, read(root, WSDL)?.text);
    input.annotations = Some(read(root, ANNOTATIONS)?);
    let mut schemas: Vec<String> = fs::read_dir(root.join("wsdl"))
        .map_err(|e| format!("cannot list wsdl/: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xsd"))
        .collect();
    schemas.sort();
    for name in schemas {
        input.schemas.push(read(root, &format!("wsdl/{name}"))?);
    }
    let options = Options {
        runtime_path: "crate::runtime".to_owned(),
        client_type: Some("crate::Client".to_owned()),
        error_type: "crate::Error".to_owned(),
        source_name: WSDL.to_owned(),
        regen_command: "cargo xtask regen".to_owned(),
        blocking_client_type: Some("crate::blocking::Client".to_owned()),
        blocking_feature: Some("blocking".to_owned()),
        server: true,
        server_feature: Some("server".to_owned()),
    };
    let files = codegen::generate(&input, &options).map_err(|d| {
        format!("{d}\n\ngeneration failed: fix {WSDL} (or {ANNOTATIONS}) and run `cargo xtask regen` again")
    })?;
    let mut out = files;
    // A copy of the contract inside the crate, so the published package can serve `?WSDL`
    // without reaching outside its own directory.
    out.push(GeneratedFile { path: "engageip.wsdl".to_owned(), text: input.wsdl.text.clone() });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// One file that differs: its path, the committed text (if any) and the new text (`None`
/// when the file should no longer exist).
pub type Change = (String, Option<String>, Option<String>);

/// Compares `files` with the directory's contents: a [`Change`] for each difference.
pub fn stale(root: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, String> {
    let dir = root.join(OUT_DIR);
    let mut out = Vec::new();
    for f in files {
        let old = fs::read_to_string(dir.join(&f.path)).ok();
        if old.as_deref() != Some(f.text.as_str()) {
            out.push((format!("{OUT_DIR}/{}", f.path), old, Some(f.text.clone())));
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
            out.push((format!("{OUT_DIR}/{name}"), old, None));
        }
    }
    Ok(out)
}

pub(crate) fn diff(path: &str, old: Option<&str>, new: Option<&str>) -> String {
    let text = similar::TextDiff::from_lines(old.unwrap_or(""), new.unwrap_or(""));
    text.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let files = generate(&root)?;
    let changes = stale(&root, &files)?;
    match mode {
        Mode::Check => {
            if changes.is_empty() {
                println!("{OUT_DIR} is up to date with {WSDL}");
                return Ok(());
            }
            let mut report = String::new();
            for (path, old, new) in &changes {
                report.push_str(&diff(path, old.as_deref(), new.as_deref()));
            }
            let names: Vec<&str> = changes.iter().map(|(p, _, _)| p.as_str()).collect();
            Err(format!(
                "{report}\nerror: the generated code is stale ({} file(s): {}).\nrun `cargo xtask regen` and commit the result.",
                changes.len(),
                names.join(", ")
            ))
        }
        Mode::Write => {
            let dir = root.join(OUT_DIR);
            fs::create_dir_all(&dir).map_err(|e| format!("cannot create {OUT_DIR}: {e}"))?;
            for (path, _, new) in &changes {
                let full = root.join(path);
                match new {
                    Some(text) => fs::write(&full, text).map_err(|e| format!("cannot write {path}: {e}"))?,
                    None => fs::remove_file(&full).map_err(|e| format!("cannot remove stale {path}: {e}"))?,
                }
                println!("wrote {path}");
            }
            if changes.is_empty() {
                println!("{OUT_DIR} is already up to date");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    /// The committed generated code matches the WSDL: `cargo test` catches a stale checkout.
    #[test]
    fn generated_code_is_fresh() {
        let root = super::workspace_root();
        let files = super::generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let stale = super::stale(&root, &files).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = stale.iter().map(|(p, _, _)| p.as_str()).collect();
        assert!(stale.is_empty(), "generated code is stale: {}. Run `cargo xtask regen`.", names.join(", "));
    }

    /// Same input, same bytes.
    #[test]
    fn generation_is_deterministic() {
        let root = super::workspace_root();
        let a = super::generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let b = super::generate(&root).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
    }
}
