//! A WSDL 1.1 + XML Schema to Rust compiler.
//!
//! Reads a document/literal SOAP service description and writes Rust: one struct per complex
//! type with quick-xml codecs, enums with an `Unknown` arm, one descriptor per operation, a
//! client trait with one method per operation (implemented for every `Transport` of the
//! runtime, such as `engageip_api::Client`), optionally a server trait and dispatcher, and
//! the documented faults. The code builds on the `engageip-runtime` crate.
//!
//! In a build script, [`Builder`] reads the WSDL (and the `.xsd` files beside it) and writes
//! one module to `$OUT_DIR`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     engageip_codegen::Builder::new("wsdl/calculator.wsdl")
//!         .type_attribute(".", "#[derive(serde::Serialize)]") // optional
//!         .generate()?; // $OUT_DIR/calculator.rs
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod calculator {
//!     include!(concat!(env!("OUT_DIR"), "/calculator.rs"));
//! }
//! use calculator::client::CalculatorClient as _;
//! # async fn demo(client: &engageip_api::Client) -> Result<(), engageip_api::Error> {
//! let sum = client.add(2, 40).await?;
//! # Ok(()) }
//! ```
//!
//! The generator itself does no I/O ([`generate`] returns files, [`generate_module`] one
//! self-contained module; [`load`] is the file-reading layer):
//!
//! ```
//! let input = engageip_codegen::Input::new("service.wsdl", include_str!("../tests/fixtures/minimal.wsdl"));
//! let files = engageip_codegen::generate(&input, &engageip_codegen::Options::default()).expect("valid WSDL");
//! assert!(files.iter().any(|f| f.path == "types.rs"));
//! ```
//!
//! Pipeline (internal): `parse` (roxmltree → `model`, namespaces resolved) → `ir` (schema
//! semantics and Rust names) → `emit` (`syn` trees → `prettyplease`).
//!
//! The default feature `emit` is the writing half (`generate`, `generate_module`, `Builder`:
//! syn, quote and prettyplease). Without it the crate still reads ([`load`]), resolves and
//! compares descriptions: [`drift`] (what changed, breaking or compatible) and [`sync`]
//! (carrying documentation over to a newer description), which is what a client's `drift`
//! command needs at run time.

// docs.rs (`--cfg docsrs`): a badge on every item a feature gates.
#![cfg_attr(docsrs, feature(doc_cfg))]
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
// The pipeline's stages are implementation, not API: public only so that the workspace's
// tools and tests can reach them, hidden from the documentation, and free to change.
#[doc(hidden)]
pub mod ir;
mod load;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod parse;

#[cfg(feature = "emit")]
pub use builder::{BuildError, Builder};
pub use diagnostics::{Diagnostic, Diagnostics, Span};
pub use load::{LoadError, Loaded, load};
#[doc(inline)]
pub use parse::sync;

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
    /// Files the WSDL may import, named by path the way its locations resolve (relative to the
    /// WSDL's directory): schemas (`xs:import`, `xs:include`) and WSDL documents
    /// (`wsdl:import`). Only those it imports are read.
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

/// How to generate: start from [`Options::default`] and change what you need with the
/// setters (`Options::default().server(true).type_attribute(".", "#[derive(Hash)]")`).
///
/// The default suits a crate that depends on `engageip-runtime`: types, operation
/// descriptors, documented faults, and a client trait implemented for every
/// [`Transport`](https://docs.rs/engageip-runtime/latest/engageip_runtime/trait.Transport.html)
/// (such as `engageip_api::Client`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    pub(crate) runtime_path: String,
    pub(crate) client_type: Option<String>,
    pub(crate) client_trait: bool,
    pub(crate) error_type: String,
    pub(crate) source_name: String,
    pub(crate) regen_command: Option<String>,
    pub(crate) server: bool,
    pub(crate) server_feature: Option<String>,
    pub(crate) blocking_client_type: Option<String>,
    pub(crate) blocking_client_trait: bool,
    pub(crate) blocking_feature: Option<String>,
    pub(crate) type_attributes: Vec<(String, String)>,
    pub(crate) field_attributes: Vec<(String, String)>,
    pub(crate) serde_feature: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_path: "::engageip_runtime".to_owned(),
            client_type: None,
            client_trait: true,
            error_type: "crate::Error".to_owned(),
            source_name: "a WSDL".to_owned(),
            regen_command: None,
            server: false,
            server_feature: None,
            blocking_client_type: None,
            blocking_client_trait: false,
            blocking_feature: None,
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            serde_feature: None,
        }
    }
}

impl Options {
    /// Rust path of the runtime the generated code uses (default `::engageip_runtime`;
    /// `::engageip_api::runtime` is the same crate, re-exported).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// Adds one inherent async method per operation to this client type, which must be
    /// defined in the crate that includes the generated code and have a
    /// `call::<O>(&O::Request)` method (as `engageip_api::Client` does). Written to the
    /// `client` module.
    pub fn client_type(mut self, path: impl Into<String>) -> Self {
        self.client_type = Some(path.into());
        self
    }

    /// Whether to generate the client trait (default yes): `client::<Service>Client`, one
    /// async method per operation, implemented for every runtime `Transport` (such as
    /// `engageip_api::Client`), so a crate calls the operations through a client it does not
    /// own, without a newtype.
    pub fn client_trait(mut self, generate: bool) -> Self {
        self.client_trait = generate;
        self
    }

    /// Rust path of the error type the inherent client methods return (default
    /// `crate::Error`); the client traits return their transport's error.
    pub fn error_type(mut self, path: impl Into<String>) -> Self {
        self.error_type = path.into();
        self
    }

    /// Name of the input shown in the generated header.
    pub fn source_name(mut self, name: impl Into<String>) -> Self {
        self.source_name = name.into();
        self
    }

    /// The command that regenerates the files, named in the generated header (such as
    /// `cargo xtask regen`); without one the header says the build script writes them.
    pub fn regen_command(mut self, command: impl Into<String>) -> Self {
        self.regen_command = Some(command.into());
        self
    }

    /// Whether to generate the `server` module: a trait with one async method per operation
    /// and a dispatcher serving it over SOAP 1.1 and 1.2 (built on the runtime's `server`
    /// feature).
    pub fn server(mut self, generate: bool) -> Self {
        self.server = generate;
        self
    }

    /// The cargo feature that gates the generated server module (`#[cfg(feature = "...")]`).
    pub fn server_feature(mut self, feature: impl Into<String>) -> Self {
        self.server_feature = Some(feature.into());
        self
    }

    /// Adds the same methods, synchronous, to this blocking client type (defined in the
    /// including crate, with a blocking `call` method). Written to the `blocking` module.
    pub fn blocking_client_type(mut self, path: impl Into<String>) -> Self {
        self.blocking_client_type = Some(path.into());
        self
    }

    /// Whether to generate the blocking client trait (default no):
    /// `blocking::<Service>BlockingClient`, implemented for every runtime
    /// `BlockingTransport` (such as `engageip_api::blocking::Client`).
    pub fn blocking_client_trait(mut self, generate: bool) -> Self {
        self.blocking_client_trait = generate;
        self
    }

    /// The cargo feature that gates the `blocking` module.
    pub fn blocking_feature(mut self, feature: impl Into<String>) -> Self {
        self.blocking_feature = Some(feature.into());
        self
    }

    /// Adds `attribute` (such as `#[derive(serde::Serialize)]`, one or more outer
    /// attributes) to the generated schema types `path` names: `.` for every struct and enum
    /// of the `types` module, or one type's Rust name (`Package`). Like `prost-build`'s
    /// `type_attribute`; repeated calls add up, in order.
    pub fn type_attribute(mut self, path: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.type_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Adds `attribute` to the fields of generated structs `path` names: `.` for every field,
    /// a type's Rust name (`Package`) for its fields, or `Type.field` (`Package.name`, Rust
    /// names) for one.
    pub fn field_attribute(mut self, path: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.field_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Derives `serde::Serialize` and `serde::Deserialize` on every generated schema type
    /// under this cargo feature (`#[cfg_attr(feature = "...", derive(...))]`): keys are the
    /// XML names, an enumeration is its XML value (an unknown one its text), a `Nillable`
    /// field is left out when absent, a secret field is never written. The including crate
    /// depends on `serde` (with `derive`) and enables the runtime's `serde` feature under it.
    pub fn serde_feature(mut self, feature: impl Into<String>) -> Self {
        self.serde_feature = Some(feature.into());
        self
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
    apart(defs, ir, |ir| emit::emit(ir, options), emit::Emitted::into_files)
}

/// Emits from `ir`, then `finish`es what was emitted, freeing the inputs on a second thread
/// while the first works: the model while the workers emit, the IR while the files are
/// joined. On a large WSDL both are tens of thousands of allocations, which would otherwise
/// be freed on the critical path, one core idle.
#[cfg(feature = "emit")]
fn apart<E, T>(
    defs: model::Definitions,
    ir: ir::Ir,
    emit: impl FnOnce(&ir::Ir) -> Result<E, Diagnostics>,
    finish: impl FnOnce(E) -> Result<T, Diagnostics>,
) -> Result<T, Diagnostics> {
    std::thread::scope(|scope| {
        scope.spawn(move || drop(defs));
        let emitted = emit(&ir)?;
        scope.spawn(move || drop(ir));
        finish(emitted)
    })
}

/// Generates one self-contained Rust file from a WSDL: every module inline
/// (`pub mod types { ... }`) and no inner attributes, so that it compiles when included as
/// `pub mod x { include!(concat!(env!("OUT_DIR"), "/x.rs")); }` ([`Builder`] writes it).
/// Deterministic, like [`generate`].
#[cfg(feature = "emit")]
pub fn generate_module(input: &Input, options: &Options) -> Result<String, Diagnostics> {
    let annotations = match &input.annotations {
        Some(file) => annotations::Annotations::parse(file)?,
        None => annotations::Annotations::default(),
    };
    let defs = parse::parse_definitions(input)?;
    let ir = ir::build(&defs, &annotations, options)?;
    apart(defs, ir, |ir| emit::emit(ir, options), |emitted| Ok(emitted.into_single_file()))
}
