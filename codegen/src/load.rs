//! Reading a generator input from disk, in one place: a WSDL, the `.xsd` and other `.wsdl`
//! files beside it (and in the directories below it), where its relative `schemaLocation`s
//! and `wsdl:import` locations point, and an optional annotations file. [`Builder`](crate::Builder), the workspace's `xtask` commands
//! and its tests all read WSDLs through [`load`].

use std::fs;
use std::path::{Path, PathBuf};

use crate::{Input, SourceFile};

/// A file of the input could not be read (or a directory listed).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct LoadError {
    /// The file or directory.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// A WSDL read from disk: the generator's [`Input`], and every file and directory that was
/// read to make it (for `cargo:rerun-if-changed`).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The WSDL, its schema files and its annotations.
    pub input: Input,
    /// Every file read and directory listed, in the order they were.
    pub read: Vec<PathBuf>,
}

impl Loaded {
    /// The same input with its files named relative to `base` (`wsdl/service.wsdl` rather than
    /// `/home/me/project/wsdl/service.wsdl`), so diagnostics do not depend on where the
    /// checkout is. Files outside `base` keep their names.
    pub fn named_relative_to(mut self, base: &Path) -> Self {
        let prefix = format!("{}/", slashed(base).trim_end_matches('/'));
        let rename = |file: &mut SourceFile| {
            if let Some(rest) = file.path.strip_prefix(&prefix) {
                file.path = rest.to_owned();
            }
        };
        rename(&mut self.input.wsdl);
        self.input.schemas.iter_mut().for_each(rename);
        self.input.annotations.iter_mut().for_each(rename);
        self
    }
}

/// The text of `path`: UTF-8, a leading byte-order mark dropped (editors on Windows write
/// one). Other bytes are an `InvalidData` error naming the offset.
fn read(path: &Path, read: &mut Vec<PathBuf>) -> Result<String, LoadError> {
    let error = |source| LoadError { path: path.to_owned(), source };
    let bytes = fs::read(path).map_err(error)?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (invalid byte at offset {offset})"),
        ))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    read.push(path.to_owned());
    Ok(text)
}

/// `path` with `/` separators, as the generator names files.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The `.xsd` and `.wsdl` files in `dir` and the directories below it (hidden ones and
/// `target` skipped), as paths relative to `base`, sorted.
fn schema_files(base: &Path, dir: &Path, out: &mut Vec<PathBuf>, listed: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = fs::read_dir(dir).map_err(|source| LoadError { path: dir.to_owned(), source })?;
    listed.push(dir.to_owned());
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                schema_files(base, &path, out, listed)?;
            }
        } else if path.extension().is_some_and(|e| e == "xsd" || e == "wsdl") {
            out.push(path.strip_prefix(base).map_or_else(|_| path.clone(), Path::to_path_buf));
        }
    }
    Ok(())
}

/// Reads the WSDL at `wsdl`, every `.xsd` and other `.wsdl` file in its directory and below
/// (named relative to the WSDL's path, the way its `schemaLocation`s and `wsdl:import`
/// locations resolve; the generator parses only those the WSDL imports), and the annotations file, if any
/// (documented faults, idempotent operations, secrets; see [`crate::annotations`]). Files
/// are named in diagnostics by the paths given here.
pub fn load(wsdl: impl AsRef<Path>, annotations: Option<&Path>) -> Result<Loaded, LoadError> {
    let wsdl = wsdl.as_ref();
    let mut files = Vec::new();
    let text = read(wsdl, &mut files)?;
    let mut input = Input::new(slashed(wsdl), text);
    let dir = match wsdl.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = match wsdl.parent() {
        Some(p) if !p.as_os_str().is_empty() => format!("{}/", slashed(p)),
        _ => String::new(),
    };
    let mut schemas = Vec::new();
    let mut listed = Vec::new();
    schema_files(&dir, &dir, &mut schemas, &mut listed)?;
    files.extend(listed);
    for rel in schemas {
        if dir.join(&rel) == wsdl || rel.as_os_str() == wsdl.file_name().unwrap_or_default() {
            continue;
        }
        let text = read(&dir.join(&rel), &mut files)?;
        input.schemas.push(SourceFile { path: format!("{prefix}{}", slashed(&rel)), text });
    }
    if let Some(path) = annotations {
        let text = read(path, &mut files)?;
        input.annotations = Some(SourceFile { path: slashed(path), text });
    }
    Ok(Loaded { input, read: files })
}
