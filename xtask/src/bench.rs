//! `cargo xtask bench`: runs `engageip-api`'s `perf` benchmark in release and passes its table
//! through; `cargo xtask synth-wsdl OUT` writes the synthetic WSDL the codegen benchmark uses.

use std::process::Command;

use crate::regen::workspace_root;
use crate::synth;

/// Runs the benchmark binary (built with the `bench` profile, i.e. release) and lets it print
/// its table (progress goes to stderr).
pub fn run(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(workspace_root())
        // `server`: the end-to-end figures are taken against the generated server; `blocking`:
        // the concurrency group includes the blocking client.
        .args(["bench", "--quiet", "-p", "engageip-api", "--features", "server,blocking", "--bench", "perf", "--"])
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo bench failed ({status})")) }
}

/// Writes the synthetic WSDL (1 000 operations, 2 000 named types) to `out`.
pub fn synth_wsdl(out: &str) -> Result<(), String> {
    let text = synth::wsdl(synth::OPERATIONS, synth::TYPES);
    std::fs::write(out, &text).map_err(|e| format!("cannot write {out}: {e}"))?;
    println!("wrote {out}: {} operations, {} named types, {} bytes", synth::OPERATIONS, synth::TYPES, text.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The synthetic WSDL is one the generator accepts (the codegen benchmark relies on it).
    #[test]
    fn synthetic_wsdl_generates() {
        let text = crate::synth::wsdl(30, 60);
        let input = engageip_codegen::Input::new("synthetic.wsdl", text);
        let files =
            engageip_codegen::generate(&input, &engageip_codegen::Options::default()).unwrap_or_else(|d| panic!("{d}"));
        let types = files.iter().find(|f| f.path == "types.rs").map(|f| f.text.as_str()).unwrap_or_default();
        assert!(types.contains("pub struct Record59"), "types.rs lacks the last record");
        assert!(types.contains("pub enum Kind49"), "types.rs lacks an enumeration");
    }
}
