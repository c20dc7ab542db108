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

/// The dependency names a manifest's `[dependencies]` and `[build-dependencies]` sections
/// declare (target-specific ones included; dev-dependencies are the tests' business).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            let header = line.trim_matches(|c| c == '[' || c == ']');
            in_deps = header.ends_with("dependencies") && !header.ends_with("dev-dependencies");
            continue;
        }
        if !in_deps || line.starts_with('#') || line.is_empty() {
            continue;
        }
        let key = line.split(['=', '.']).next().unwrap_or_default().trim();
        if !key.is_empty() {
            names.push(key.trim_matches('"').to_owned());
        }
    }
    names
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(workspace_root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// The `.rs` files under `dir` (relative to the root), with their code lines: comment lines
/// (`//`, `///`, `//!`) are not code, so prose may name any crate.
fn code_lines(dir: &str) -> Vec<(String, usize, String)> {
    let root = workspace_root();
    let base = root.join(dir);
    let mut out = Vec::new();
    for path in
        repository_files().into_iter().filter(|p| p.starts_with(&base) && p.extension().is_some_and(|e| e == "rs"))
    {
        let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") {
                out.push((rel.clone(), n + 1, line.to_owned()));
            }
        }
    }
    out
}

/// The lines of `dir`'s code outside `allowed` (a directory prefix) that name any of `names`.
fn uses_outside(dir: &str, allowed: &str, names: &[&str]) -> Vec<String> {
    code_lines(dir)
        .into_iter()
        .filter(|(rel, _, line)| !rel.starts_with(allowed) && names.iter().any(|n| line.contains(n)))
        .map(|(rel, n, line)| format!("{rel}:{n}: {}", line.trim()))
        .collect()
}

/// The runtime (`codegen/runtime`, crate `engageip-runtime`) is what every generated crate
/// depends on, like `prost` is to `prost-build`: it has no HTTP stack, no TLS and no async
/// runtime, so generated code for any service can use any transport. Its `Transport` traits
/// are implemented elsewhere (`engageip-api` implements them with reqwest).
#[test]
fn the_runtime_has_no_http_dependency() {
    const NOT_IN_THE_RUNTIME: &[&str] = &[
        "reqwest",
        "hyper",
        "hyper-util",
        "http",
        "http-body",
        "http-body-util",
        "h2",
        "ureq",
        "isahc",
        "surf",
        "tokio",
        "async-std",
        "smol",
        "rustls",
        "native-tls",
        "tokio-rustls",
    ];
    let offenders: Vec<String> = dependencies(&read("codegen/runtime/Cargo.toml"))
        .into_iter()
        .filter(|d| NOT_IN_THE_RUNTIME.contains(&d.as_str()))
        .collect();
    assert!(
        offenders.is_empty(),
        "codegen/runtime/Cargo.toml depends on {offenders:?}: the runtime stays free of HTTP, TLS and async \
         runtimes (put transport code in engageip-api, behind the runtime's Transport traits)"
    );
    let named = uses_outside("codegen/runtime/src", "-", &["reqwest::", "hyper::", "tokio::", "rustls::"]);
    assert!(named.is_empty(), "the runtime's code names an HTTP or async crate:\n{}", named.join("\n"));
}

/// In the generator, only `parse` reads XML (roxmltree → `model`): `ir` works on the model,
/// `emit` on the IR, and `drift`, `sync` and `load` go through `parse`.
#[test]
fn only_codegen_parse_uses_roxmltree() {
    let offenders = uses_outside("codegen/src", "codegen/src/parse/", &["roxmltree"]);
    assert!(
        offenders.is_empty(),
        "these lines use roxmltree outside codegen/src/parse/ (add a function to `parse` and call it):\n{}",
        offenders.join("\n")
    );
}

/// In the generator, only `emit` writes Rust tokens (`quote!` → `syn::File` → prettyplease):
/// `parse`, `model` and `ir` decide, `emit` prints.
#[test]
fn only_codegen_emit_uses_quote() {
    let offenders = uses_outside(
        "codegen/src",
        "codegen/src/emit/",
        &["quote!", "quote::", "use quote", "proc_macro2", "syn::", "prettyplease"],
    );
    assert!(
        offenders.is_empty(),
        "these lines build Rust tokens outside codegen/src/emit/ (decide in the IR, print in emit):\n{}",
        offenders.join("\n")
    );
}

/// `xtask` is thin I/O: it reads files, calls `engageip_codegen`'s public API (`load`,
/// `generate`, `drift`, `sync`) and writes or checks files. Schema logic (XML parsing, the
/// model, the IR, tokens) lives in the generator, where it is tested on strings.
#[test]
fn xtask_holds_no_schema_logic() {
    const SCHEMA_CRATES: &[&str] = &["roxmltree", "quick-xml", "syn", "quote", "proc-macro2", "prettyplease"];
    let offenders: Vec<String> =
        dependencies(&read("xtask/Cargo.toml")).into_iter().filter(|d| SCHEMA_CRATES.contains(&d.as_str())).collect();
    assert!(offenders.is_empty(), "xtask/Cargo.toml depends on {offenders:?}: schema logic belongs in codegen/");
    let named = uses_outside(
        "xtask/src",
        "-",
        &[
            "roxmltree",
            "quick_xml",
            "quote!",
            "syn::",
            "engageip_codegen::parse",
            "engageip_codegen::ir",
            "engageip_codegen::model",
        ],
    );
    assert!(
        named.is_empty(),
        "xtask reaches into XML or the generator's internals (use engageip_codegen's public API):\n{}",
        named.join("\n")
    );
}

/// The manifest reader the rules above rely on.
#[test]
fn dependencies_are_read_from_the_manifest_sections() {
    let manifest = "[package]\nname = \"x\"\n[dependencies]\na.workspace = true\nb = { version = \"1\" }\n# c\n\"d\" = \"1\"\n[dev-dependencies]\ne = \"1\"\n[target.'cfg(unix)'.dependencies]\nf = \"1\"\n";
    assert_eq!(dependencies(manifest), ["a", "b", "d", "f"]);
}
