//! `cargo xtask regen`: wsdl/ → engageip-api/src/generated/. The bytes are the generator's
//! alone (prettyplease), never rustfmt's, so any toolchain writes the same files; `cargo fmt`
//! leaves them alone (`#[rustfmt::skip]` on `mod generated`).

use std::path::{Path, PathBuf};

use engageip_codegen::{GeneratedFile, Options};

pub use crate::sync::Mode;
use crate::sync::{Change, changes, ensure};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

const WSDL: &str = "wsdl/engageip.wsdl";
const ANNOTATIONS: &str = "wsdl/engageip.annotations";
const OUT_DIR: &str = "engageip-api/src/generated";

/// Runs the generator on the committed WSDL.
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let loaded = engageip_codegen::load(root.join(WSDL), Some(&root.join(ANNOTATIONS)))
        .map_err(|e| e.to_string())?
        .named_relative_to(root);
    let options = Options::default()
        .runtime_path("crate::runtime")
        .client_type("crate::Client")
        .client_trait(false)
        .error_type("crate::Error")
        .source_name(WSDL)
        .regen_command("cargo xtask regen")
        .blocking_client_type("crate::blocking::Client")
        .blocking_feature("blocking")
        .server(true)
        .server_feature("server");
    let mut out = engageip_codegen::generate(&loaded.input, &options).map_err(|d| {
        format!("{d}\n\ngeneration failed: fix {WSDL} (or {ANNOTATIONS}) and run `cargo xtask regen` again")
    })?;
    // A copy of the contract inside the crate, so the published package can serve `?WSDL`
    // without reaching outside its own directory.
    out.push(GeneratedFile { path: "engageip.wsdl".to_owned(), text: loaded.input.wsdl.text.clone() });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Every file of the generated directory that differs from what the generator writes now.
pub fn stale(root: &Path, files: &[GeneratedFile]) -> Vec<Change> {
    changes(root, OUT_DIR, files)
}

pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let files = generate(&root)?;
    ensure(&root, &stale(&root, &files), mode, &format!("{OUT_DIR} (from {WSDL})"), "cargo xtask regen")
}

#[cfg(test)]
mod tests {
    /// The committed generated code matches the WSDL: `cargo test` catches a stale checkout.
    #[test]
    fn generated_code_is_fresh() {
        let root = super::workspace_root();
        let files = super::generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let stale = super::stale(&root, &files);
        let names: Vec<&str> = stale.iter().map(|c| c.path.as_str()).collect();
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
