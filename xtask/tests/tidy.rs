//! Repository rules checked in `cargo test` (rust-analyzer's `tidy.rs` style): a failing
//! test here names the file and the rule, so a newcomer learns the rule from it.

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Every text file of the repository, skipping build outputs, git's own files and what a fuzz
/// run grows.
fn repository_files() -> Vec<PathBuf> {
    const SKIP: &[&str] = &["target", ".git", "corpus", "artifacts"];
    let root = workspace_root();
    let mut stack = vec![root];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                let fuzz_output = dir.ends_with("fuzz") && SKIP[2..].contains(&name.as_str());
                if !SKIP[..2].contains(&name.as_str()) && !fuzz_output {
                    stack.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A clone is self-contained: nothing in the repository reads `../shared` (the fixtures the
/// tests need are copied into `engageip-api/tests/fixtures/` and `codegen/tests/fixtures/`).
/// The changelog may mention it as history, and `.ci/run` names it to check that a lone clone
/// has none.
#[test]
fn nothing_reads_outside_the_repository() {
    let root = workspace_root();
    let mut offenders = Vec::new();
    for path in repository_files() {
        let rel = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
        const EXEMPT: &[&str] = &["CHANGELOG.md", "xtask/tests/tidy.rs", ".ci/run"];
        if EXEMPT.iter().any(|e| rel == Path::new(e)) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (n, line) in text.lines().enumerate() {
            if line.contains("../shared") {
                offenders.push(format!("{}:{}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "these lines name `../shared`, which a lone clone does not have; copy the fixture into the \
         repository and name the copy:\n{}",
        offenders.join("\n")
    );
}
