//! A `prost-build`-style front end for `build.rs` scripts and xtasks: reads the WSDL, the
//! schema files beside it and an optional annotations file, generates, and writes the modules
//! to a directory (only the files whose text changed). The generator itself ([`crate::generate`])
//! does no I/O; this is the thin layer that does.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{Input, Options, SourceFile};

/// Why [`Builder::generate`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The WSDL or a schema is invalid or unsupported.
    #[error("{0}")]
    Schema(#[from] crate::Diagnostics),
    /// No output directory: neither [`Builder::out_dir`] nor `OUT_DIR` is set.
    #[error("no output directory: call Builder::out_dir or run from a build script (OUT_DIR)")]
    NoOutDir,
}

/// Generates Rust modules from a WSDL file.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     codegen::Builder::new("wsdl/service.wsdl")
///         .annotations("wsdl/service.annotations")
///         .client_type("crate::Client")
///         .generate()?; // writes $OUT_DIR/{mod,types,operations,faults,client}.rs
///     println!("cargo:rerun-if-changed=wsdl");
///     Ok(())
/// }
/// // and in the crate: `mod generated { include!(concat!(env!("OUT_DIR"), "/mod.rs")); }`
/// // (or point `out_dir` at `src/generated` and commit the output, as engageip-api does).
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    wsdl: PathBuf,
    annotations: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    options: Options,
}

impl Builder {
    /// Generates from the WSDL at `wsdl`; `.xsd` files in its directory are available to its
    /// `xs:import`s and `xs:include`s.
    pub fn new(wsdl: impl Into<PathBuf>) -> Self {
        Builder { wsdl: wsdl.into(), annotations: None, out_dir: None, options: Options::default() }
    }

    /// An annotations file (documented faults, idempotent operations, secrets); see
    /// [`crate::annotations`].
    pub fn annotations(mut self, path: impl Into<PathBuf>) -> Self {
        self.annotations = Some(path.into());
        self
    }

    /// Where to write the modules (default: `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Rust path of the runtime (default `::engageip_runtime`; `::engageip_api::runtime` is the
    /// same crate, re-exported).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.options.runtime_path = path.into();
        self
    }

    /// Adds one async method per operation to this client type (it must have a
    /// `call::<O>(&O::Request)` method, as `engageip_api::Client` does).
    pub fn client_type(mut self, path: impl Into<String>) -> Self {
        self.options.client_type = Some(path.into());
        self
    }

    /// The error type the client methods return (default `crate::Error`).
    pub fn error_type(mut self, path: impl Into<String>) -> Self {
        self.options.error_type = path.into();
        self
    }

    /// All options at once.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    fn read(path: &Path) -> Result<SourceFile, BuildError> {
        let text = fs::read_to_string(path).map_err(|source| BuildError::Io { path: path.to_owned(), source })?;
        Ok(SourceFile { path: path.to_string_lossy().replace('\\', "/"), text })
    }

    /// Reads, generates and writes; returns the paths written (unchanged files are not
    /// rewritten, so their timestamps do not trigger rebuilds).
    pub fn generate(self) -> Result<Vec<PathBuf>, BuildError> {
        let out_dir = match self.out_dir {
            Some(d) => d,
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or(BuildError::NoOutDir)?,
        };
        let wsdl = Self::read(&self.wsdl)?;
        // Schema files are named the way `schemaLocation`s resolve against the WSDL's path.
        let prefix = match wsdl.path.rfind('/') {
            Some(i) => wsdl.path[..=i].to_owned(),
            None => String::new(),
        };
        let mut input = Input::new(wsdl.path.clone(), wsdl.text);
        let dir = match self.wsdl.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut xsds: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|source| BuildError::Io { path: dir.clone(), source })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "xsd"))
            .collect();
        xsds.sort();
        for path in xsds {
            let mut file = Self::read(&path)?;
            file.path = format!("{prefix}{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
            input.schemas.push(file);
        }
        if let Some(a) = &self.annotations {
            input.annotations = Some(Self::read(a)?);
        }
        let mut options = self.options;
        if options.source_name == Options::default().source_name {
            options.source_name = wsdl_name(&self.wsdl);
        }
        let files = crate::generate(&input, &options)?;
        fs::create_dir_all(&out_dir).map_err(|source| BuildError::Io { path: out_dir.clone(), source })?;
        let mut written = Vec::new();
        for f in files {
            let path = out_dir.join(&f.path);
            if fs::read_to_string(&path).ok().as_deref() != Some(f.text.as_str()) {
                fs::write(&path, &f.text).map_err(|source| BuildError::Io { path: path.clone(), source })?;
                written.push(path);
            }
        }
        Ok(written)
    }
}

fn wsdl_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
