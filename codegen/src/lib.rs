//! A WSDL 1.1 + XML Schema to Rust compiler.
//!
//! Reads a document/literal SOAP service description and writes Rust modules: one struct per
//! complex type with quick-xml codecs, enums with an `Unknown` arm, one descriptor per
//! operation, the client's methods, and the documented faults. It does no file or network I/O:
//! the caller passes the text in and writes the files out (see the workspace's `xtask`).
//!
//! ```
//! let input = codegen::Input::new("service.wsdl", include_str!("../tests/fixtures/minimal.wsdl"));
//! let files = codegen::generate(&input, &codegen::Options::default()).expect("valid WSDL");
//! assert!(files.iter().any(|f| f.path == "types.rs"));
//! ```
//!
//! Pipeline: [`parse`] (roxmltree → [`model`], namespaces resolved) → [`ir`] (schema semantics
//! and Rust names) → `emit` (`quote!` → `syn::File` → `prettyplease`).
//!
//! The default feature `emit` is the writing half (`generate`, `Builder`: syn, quote and
//! prettyplease). Without it the crate still reads, resolves and compares descriptions:
//! [`drift`] (what changed, breaking or compatible) and [`sync`] (carrying documentation over
//! to a newer description), which is what a client's `drift` command needs at run time.

#![warn(missing_docs)]
// Diagnostics travel on the error path only, where their size costs nothing measurable;
// boxing each one would only add noise to every parser function.
#![allow(clippy::result_large_err)]

pub mod annotations;
#[cfg(feature = "emit")]
mod builder;
pub mod diagnostics;
pub mod drift;
#[cfg(feature = "emit")]
mod emit;
pub mod ir;
pub mod model;
pub mod parse;
pub mod sync;

#[cfg(feature = "emit")]
pub use builder::{BuildError, Builder};
pub use diagnostics::{Diagnostic, Diagnostics, Span};

/// A source file: a name for diagnostics and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path used in diagnostics and to resolve `schemaLocation`s (use `/` separators).
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// What to generate from.
#[derive(Debug, Clone)]
pub struct Input {
    /// The WSDL.
    pub wsdl: SourceFile,
    /// Schema files the WSDL imports, named relative to the WSDL's directory.
    pub schemas: Vec<SourceFile>,
    /// The annotations file (faults, idempotent operations, secrets), if any.
    pub annotations: Option<SourceFile>,
}

impl Input {
    /// Input from a WSDL alone.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Input { wsdl: SourceFile { path: path.into(), text: text.into() }, schemas: Vec::new(), annotations: None }
    }
}

/// How to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rust path of the runtime module the generated code uses.
    pub runtime_path: String,
    /// Rust path of the hand-written client type to add one method per operation to; `None`
    /// generates no client methods.
    pub client_type: Option<String>,
    /// Rust path of the client's error type.
    pub error_type: String,
    /// Name of the input shown in the generated header.
    pub source_name: String,
    /// The command that regenerates the files, shown in the generated header.
    pub regen_command: String,
    /// Whether to generate `server.rs`: a trait with one async method per operation and a
    /// dispatcher serving it over SOAP 1.1 and 1.2 (built on the runtime's `server` module).
    pub server: bool,
    /// The cargo feature that gates the generated server module (`#[cfg(feature = "...")]`);
    /// `None` leaves it ungated.
    pub server_feature: Option<String>,
    /// Rust path of a blocking client type to add the same methods to (synchronous, calling
    /// its `call` method); `None` generates none.
    pub blocking_client_type: Option<String>,
    /// The cargo feature that gates the blocking client's methods; `None` leaves them ungated.
    pub blocking_feature: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_path: "::engageip_runtime".to_owned(),
            client_type: None,
            error_type: "crate::Error".to_owned(),
            source_name: "a WSDL".to_owned(),
            regen_command: "cargo xtask regen".to_owned(),
            server: false,
            server_feature: None,
            blocking_client_type: None,
            blocking_feature: None,
        }
    }
}

/// A generated file: a path relative to the output directory, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, such as `types.rs`.
    pub path: String,
    /// Rust source.
    pub text: String,
}

/// Generates Rust modules from a WSDL. Deterministic: the same input gives the same bytes.
#[cfg(feature = "emit")]
pub fn generate(input: &Input, options: &Options) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let annotations = match &input.annotations {
        Some(file) => annotations::Annotations::parse(file)?,
        None => annotations::Annotations::default(),
    };
    let defs = parse::parse_definitions(input)?;
    let ir = ir::build(&defs, &annotations, options)?;
    emit::emit(&ir, options)
}
