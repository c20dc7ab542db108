//! The build.rs path: one call writes `$OUT_DIR/calculator.rs` and prints the
//! `cargo:rerun-if-changed` lines for what it read.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    engageip_codegen::Builder::new("wsdl/calculator.wsdl")
        .server(true)
        .type_attribute(".", "#[derive(serde::Serialize)]")
        .generate()?;
    Ok(())
}
