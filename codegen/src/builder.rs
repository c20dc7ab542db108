//! A `prost-build`-style front end for `build.rs` scripts: reads the WSDL, the schema files
//! beside it and an optional annotations file ([`crate::load`]), generates one self-contained
//! module file, writes it to `$OUT_DIR` (only when its text changed) and tells cargo which
//! files to watch. The generator itself ([`crate::generate_module`]) does no I/O.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Options;

/// Why [`Builder::generate`] failed. `Debug` prints the same as `Display` (for a schema error,
/// the diagnostics with file, line, column and help), so `generate().unwrap()` or `?` from a
/// build script's `main` shows what to fix.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The output could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An input file could not be read.
    #[error(transparent)]
    Load(#[from] crate::LoadError),
    /// The WSDL or a schema is invalid or unsupported.
    #[error("{0}")]
    Schema(#[from] crate::Diagnostics),
    /// No output directory: neither [`Builder::out_dir`] nor `OUT_DIR` is set.
    #[error("no output directory: call Builder::out_dir or run from a build script (OUT_DIR)")]
    NoOutDir,
    /// The module name is not a Rust identifier.
    #[error("`{0}` is not a module name: use letters, digits and `_`, not starting with a digit")]
    ModuleName(String),
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Schema(d) => std::fmt::Debug::fmt(d, f),
            other => std::fmt::Display::fmt(other, f),
        }
    }
}

/// Generates a Rust module from a WSDL file, in a build script.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     engageip_codegen::Builder::new("wsdl/calculator.wsdl").generate()?; // writes $OUT_DIR/calculator.rs
///     Ok(())
/// }
/// ```
///
/// and in the crate (which depends on `engageip-runtime`, or on `engageip-api` with
/// [`runtime_path`](Builder::runtime_path)`("::engageip_api::runtime")`):
///
/// ```ignore
/// pub mod calculator {
///     include!(concat!(env!("OUT_DIR"), "/calculator.rs"));
/// }
/// use calculator::client::CalculatorClient as _; // the operations, on any runtime Transport
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    wsdl: PathBuf,
    annotations: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    module_name: Option<String>,
    rerun_if_changed: bool,
    options: Options,
}

impl Builder {
    /// Generates from the WSDL at `wsdl`; the `.xsd` and `.wsdl` files in its directory (and
    /// below) are available to its `xs:import`s, `xs:include`s and `wsdl:import`s (a missing
    /// one is a diagnostic naming it).
    pub fn new(wsdl: impl Into<PathBuf>) -> Self {
        Builder {
            wsdl: wsdl.into(),
            annotations: None,
            out_dir: None,
            module_name: None,
            rerun_if_changed: true,
            options: Options::default(),
        }
    }

    /// An annotations file (documented faults, idempotent operations, secrets); see
    /// [`crate::annotations`].
    pub fn annotations(mut self, path: impl Into<PathBuf>) -> Self {
        self.annotations = Some(path.into());
        self
    }

    /// Where to write the module (default: `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The module's file name without `.rs` (default: the WSDL's file stem with `-` and `.`
    /// turned into `_`: `wsdl/my-service.v2.wsdl` → `my_service_v2.rs`).
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module_name = Some(name.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every file read and directory listed
    /// (default yes; turn it off outside build scripts).
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.rerun_if_changed = emit;
        self
    }

    /// Rust path of the runtime (default `::engageip_runtime`; `::engageip_api::runtime` is
    /// the same crate, re-exported, for a crate that depends on `engageip-api` only).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.options = self.options.runtime_path(path);
        self
    }

    /// Adds inherent async methods to this client type of the including crate; see
    /// [`Options::client_type`]. The client trait is generated either way (see
    /// [`Options::client_trait`]).
    pub fn client_type(mut self, path: impl Into<String>) -> Self {
        self.options = self.options.client_type(path);
        self
    }

    /// Whether to generate the async client trait (default yes; see [`Options::client_trait`]).
    pub fn client_trait(mut self, generate: bool) -> Self {
        self.options = self.options.client_trait(generate);
        self
    }

    /// Whether to generate the blocking client trait (default no; see
    /// [`Options::blocking_client_trait`]).
    pub fn blocking_client_trait(mut self, generate: bool) -> Self {
        self.options = self.options.blocking_client_trait(generate);
        self
    }

    /// The error type the inherent client methods return (default `crate::Error`).
    pub fn error_type(mut self, path: impl Into<String>) -> Self {
        self.options = self.options.error_type(path);
        self
    }

    /// Whether to generate the server module (see [`Options::server`]).
    pub fn server(mut self, generate: bool) -> Self {
        self.options = self.options.server(generate);
        self
    }

    /// Adds an attribute to generated types (see [`Options::type_attribute`]).
    pub fn type_attribute(mut self, path: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.options = self.options.type_attribute(path, attribute);
        self
    }

    /// Adds an attribute to generated struct fields (see [`Options::field_attribute`]).
    pub fn field_attribute(mut self, path: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.options = self.options.field_attribute(path, attribute);
        self
    }

    /// All options at once (replacing what the setters above set).
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The module name: the override, or the WSDL's sanitized file stem.
    fn module(&self) -> Result<String, BuildError> {
        let name = match &self.module_name {
            Some(n) => n.clone(),
            None => self.wsdl.file_stem().map(|s| s.to_string_lossy().replace(['-', '.'], "_")).unwrap_or_default(),
        };
        let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        if valid { Ok(name) } else { Err(BuildError::ModuleName(name)) }
    }

    /// Reads, generates and writes `<out_dir>/<module>.rs`; returns its path. An unchanged
    /// file is not rewritten, so its timestamp does not trigger rebuilds.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or(BuildError::NoOutDir)?,
        };
        let module = self.module()?;
        let loaded = crate::load(&self.wsdl, self.annotations.as_deref());
        if self.rerun_if_changed {
            // Printed before any error, so that fixing the WSDL reruns the build script.
            let mut watched = vec![self.wsdl.clone()];
            watched.extend(self.annotations.iter().cloned());
            if let Ok(l) = &loaded {
                watched.extend(l.read.iter().cloned());
            }
            watched.sort();
            watched.dedup();
            for path in watched {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let loaded = loaded?;
        let mut options = self.options;
        if options.source_name == Options::default().source_name {
            options.source_name = file_name(&self.wsdl);
        }
        let text = crate::generate_module(&loaded.input, &options)?;
        fs::create_dir_all(&out_dir).map_err(|source| BuildError::Io { path: out_dir.clone(), source })?;
        let path = out_dir.join(format!("{module}.rs"));
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::write(&path, &text).map_err(|source| BuildError::Io { path: path.clone(), source })?;
        }
        Ok(path)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
