//! Write-or-check for generated files, shared by `regen` and `golden`: what a command
//! generates is compared with the directory it belongs in; `Write` updates the files whose
//! text changed (and removes `.rs` files it no longer generates), `Check` fails with a diff.

use std::fs;
use std::path::Path;

use engageip_codegen::GeneratedFile;

/// Write the files, or only check that the committed ones are current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed.
    Write,
    /// Fail with a diff when anything would change.
    Check,
}

/// One file that differs from what is generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path relative to the workspace root.
    pub path: String,
    /// The text on disk, if the file exists.
    pub old: Option<String>,
    /// The generated text; `None` when the file should no longer exist.
    pub new: Option<String>,
}

/// The differences between `files` (paths relative to `dir`, itself relative to `root`) and
/// the directory: each file whose text differs, then each `.rs` file of `dir` that is no
/// longer generated.
pub fn changes(root: &Path, dir: &str, files: &[GeneratedFile]) -> Vec<Change> {
    let full = root.join(dir);
    let mut out = Vec::new();
    for f in files {
        let old = fs::read_to_string(full.join(&f.path)).ok();
        if old.as_deref() != Some(f.text.as_str()) {
            out.push(Change { path: format!("{dir}/{}", f.path), old, new: Some(f.text.clone()) });
        }
    }
    if let Ok(entries) = fs::read_dir(&full) {
        let mut extra: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs") && !files.iter().any(|f| &f.path == n))
            .collect();
        extra.sort();
        for name in extra {
            let old = fs::read_to_string(full.join(&name)).ok();
            out.push(Change { path: format!("{dir}/{name}"), old, new: None });
        }
    }
    out
}

/// A unified diff of one change.
pub fn diff(change: &Change) -> String {
    let text = similar::TextDiff::from_lines(change.old.as_deref().unwrap_or(""), change.new.as_deref().unwrap_or(""));
    let path = &change.path;
    text.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

/// Applies `changes` (mode `Write`) or fails with their diff (mode `Check`). `what` names the
/// files in messages, `command` is what fixes stale ones.
pub fn ensure(root: &Path, changes: &[Change], mode: Mode, what: &str, command: &str) -> Result<(), String> {
    match mode {
        Mode::Check if changes.is_empty() => {
            println!("{what} is up to date");
            Ok(())
        }
        Mode::Check => {
            let report: String = changes.iter().map(diff).collect();
            let names: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
            Err(format!(
                "{report}\nerror: {what} is stale ({} file(s): {}).\nrun `{command}` and commit the result.",
                changes.len(),
                names.join(", ")
            ))
        }
        Mode::Write => {
            for change in changes {
                let full = root.join(&change.path);
                match &change.new {
                    Some(text) => {
                        if let Some(parent) = full.parent() {
                            fs::create_dir_all(parent)
                                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                        }
                        fs::write(&full, text).map_err(|e| format!("cannot write {}: {e}", change.path))?;
                        println!("wrote {}", change.path);
                    }
                    None => {
                        fs::remove_file(&full).map_err(|e| format!("cannot remove stale {}: {e}", change.path))?;
                        println!("removed {}", change.path);
                    }
                }
            }
            if changes.is_empty() {
                println!("{what} is already up to date");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Mode, changes, ensure};
    use engageip_codegen::GeneratedFile;

    fn file(path: &str, text: &str) -> GeneratedFile {
        GeneratedFile { path: path.to_owned(), text: text.to_owned() }
    }

    /// Check reports changed, new and no-longer-generated files; Write makes the directory
    /// match, after which nothing differs.
    #[test]
    fn check_reports_and_write_applies() {
        let root = super::super::regen::workspace_root().join("target/tmp/xtask-sync-test");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("out")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("out/same.rs"), "same\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("out/changed.rs"), "old\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("out/gone.rs"), "gone\n").unwrap_or_else(|e| panic!("{e}"));
        let files = [file("same.rs", "same\n"), file("changed.rs", "new\n"), file("added.rs", "added\n")];
        let found = changes(&root, "out", &files);
        let paths: Vec<&str> = found.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["out/changed.rs", "out/added.rs", "out/gone.rs"]);
        let err = ensure(&root, &found, Mode::Check, "out", "make it").expect_err("stale");
        assert!(err.contains("-old\n+new") && err.contains("run `make it`"), "{err}");
        ensure(&root, &found, Mode::Write, "out", "make it").unwrap_or_else(|e| panic!("{e}"));
        assert!(changes(&root, "out", &files).is_empty());
        assert!(!root.join("out/gone.rs").exists());
    }
}
