//! `cargo xtask corpus`: the generator over every WSDL of `codegen/tests/fixtures/wsdl-corpus/` (or
//! `--dir DIR`), each either generating code that really compiles or stopping with a
//! diagnostic; never a panic. Prints the Markdown table that docs/generality.md
//! holds.
//!
//! "Compiles" is checked, not assumed: every generated module goes into one scratch crate
//! under `target/corpus-check/` that depends on `engageip-runtime` only, with their client
//! traits (async and blocking) as well as their types and operations, and one
//! `cargo check` builds them all; errors are attributed to modules by file path.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use engageip_codegen::{GeneratedFile, Input, Options};

use crate::regen::workspace_root;

/// What happened to one WSDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated; `errors` holds the compiler's first error when it does not compile.
    Generated {
        /// Operations generated.
        operations: usize,
        /// Types generated (structs and enums).
        types: usize,
        /// Rust module name in the scratch crate.
        module: String,
        /// The generated files.
        files: Vec<GeneratedFile>,
        /// First compile error, once checked.
        compile_error: Option<String>,
        /// Whether `cargo check` ran.
        checked: bool,
    },
    /// Stopped with diagnostics: how many, and the first.
    Diagnosed {
        /// Number of diagnostics.
        count: usize,
        /// The first one, on one line.
        first: String,
    },
    /// The generator panicked (a bug: the test suite forbids it).
    Panicked(String),
}

/// The corpus directory next to the checkout.
pub fn default_dir() -> PathBuf {
    workspace_root().join("codegen/tests/fixtures/wsdl-corpus")
}

/// The WSDL files of `dir`, sorted.
pub fn wsdl_files(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wsdl"))
        .collect();
    names.sort();
    Ok(names)
}

/// The generator's input for `wsdl`: the `.xsd` files of the directory are offered, so
/// relative `schemaLocation`s resolve; files are named relative to `dir`.
pub fn input_for(dir: &Path, wsdl: &str) -> Result<Input, String> {
    engageip_codegen::load(dir.join(wsdl), None).map(|l| l.named_relative_to(dir).input).map_err(|e| e.to_string())
}

fn module_name(wsdl: &str) -> String {
    let stem = wsdl.trim_end_matches(".wsdl");
    let mut m: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if m.starts_with(|c: char| c.is_ascii_digit()) {
        m.insert(0, '_');
    }
    m
}

/// Runs the generator on one file, catching any panic.
pub fn generate_one(dir: &Path, wsdl: &str) -> Outcome {
    let input = match input_for(dir, wsdl) {
        Ok(i) => i,
        Err(e) => return Outcome::Diagnosed { count: 1, first: e },
    };
    // The client traits (async and blocking) as well as the types and operations: the
    // corpus proves that the client code compiles, not only the schema types.
    let options = Options::default()
        .blocking_client_trait(true)
        .source_name(format!("codegen/tests/fixtures/wsdl-corpus/{wsdl}"))
        .regen_command("cargo xtask corpus");
    let result = std::panic::catch_unwind(|| engageip_codegen::generate(&input, &options));
    match result {
        Ok(Ok(files)) => {
            let operations = files
                .iter()
                .find(|f| f.path == "operations.rs")
                .map_or(0, |f| f.text.matches("const SOAP_ACTION: &'static str").count());
            let types = files.iter().find(|f| f.path == "types.rs").map_or(0, |f| {
                f.text.lines().filter(|l| l.starts_with("pub struct ") || l.starts_with("pub enum ")).count()
            });
            Outcome::Generated {
                operations,
                types,
                module: module_name(wsdl),
                files,
                compile_error: None,
                checked: false,
            }
        }
        Ok(Err(d)) => Outcome::Diagnosed {
            count: d.0.len(),
            first: d.0.first().map(|d| d.to_string().lines().next().unwrap_or_default().to_owned()).unwrap_or_default(),
        },
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic".to_owned());
            Outcome::Panicked(message)
        }
    }
}

/// Writes every generated module into the scratch crate and runs `cargo check` once;
/// records the first error of each module that does not compile.
fn compile_check(outcomes: &mut [(String, Outcome)]) -> Result<(), String> {
    let root = workspace_root();
    let krate = root.join("target/corpus-check");
    let src = krate.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).map_err(|e| format!("cannot clear {}: {e}", src.display()))?;
    }
    fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let runtime = root.join("codegen/runtime");
    let manifest = format!(
        "[package]\nname = \"corpus-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\nengageip-runtime = {{ path = {:?} }}\n\n[workspace]\n",
        runtime.display().to_string()
    );
    fs::write(krate.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the scratch manifest: {e}"))?;
    let mut lib = String::from(
        "//! Every generated corpus module, compiled together by `cargo xtask corpus`.\n#![allow(warnings)]\n\n",
    );
    for (_, outcome) in outcomes.iter() {
        if let Outcome::Generated { module, files, .. } = outcome {
            let dir = src.join(module);
            fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            for f in files {
                fs::write(dir.join(&f.path), &f.text).map_err(|e| format!("cannot write {module}/{}: {e}", f.path))?;
            }
            let _ = writeln!(lib, "pub mod {module};");
        }
    }
    fs::write(src.join("lib.rs"), lib).map_err(|e| format!("cannot write the scratch lib.rs: {e}"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--message-format", "short", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    fs::write(krate.join("check.log"), stderr.as_bytes()).map_err(|e| format!("cannot write check.log: {e}"))?;
    // `src/<module>/types.rs:12:5: error[E0412]: ...`
    let mut first_error: BTreeMap<String, String> = BTreeMap::new();
    for line in stderr.lines() {
        let Some(rest) = line.split("src/").nth(1) else { continue };
        if !line.contains(": error") {
            continue;
        }
        let Some((module, _)) = rest.split_once('/') else { continue };
        first_error.entry(module.to_owned()).or_insert_with(|| line.trim().to_owned());
    }
    let failed_without_location = !out.status.success() && first_error.is_empty();
    for (_, outcome) in outcomes.iter_mut() {
        if let Outcome::Generated { module, compile_error, checked, .. } = outcome {
            *checked = true;
            *compile_error = first_error.get(module.as_str()).cloned();
            if failed_without_location {
                *compile_error = Some(format!("cargo check failed: {}", stderr.lines().next().unwrap_or_default()));
            }
        }
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn cell(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = one_line.chars().take(220).collect();
    let short = if short.len() < one_line.len() { format!("{short}…") } else { short };
    short.replace('|', "\\|")
}

/// The Markdown table.
pub fn table(outcomes: &[(String, Outcome)]) -> String {
    let mut out = String::from("| file | result | why |\n|---|---|---|\n");
    for (file, outcome) in outcomes {
        let (result, why) = match outcome {
            Outcome::Generated { operations, types, compile_error: None, checked: true, .. } => (
                "generated + compiled".to_owned(),
                format!("{}, {}", plural(*operations, "operation"), plural(*types, "type")),
            ),
            Outcome::Generated { operations, types, compile_error: None, checked: false, .. } => (
                "generated (not compiled)".to_owned(),
                format!("{}, {}", plural(*operations, "operation"), plural(*types, "type")),
            ),
            Outcome::Generated { compile_error: Some(e), .. } => {
                ("generated, **does not compile**".to_owned(), cell(e))
            }
            Outcome::Diagnosed { count, first } => {
                let more = if *count > 1 { format!(" (+{} more)", count - 1) } else { String::new() };
                ("diagnosed".to_owned(), format!("`{}`{more}", cell(first).replace('`', "'")))
            }
            Outcome::Panicked(m) => ("**panicked**".to_owned(), cell(m)),
        };
        let _ = writeln!(out, "| `{file}` | {result} | {why} |");
    }
    let count = |f: &dyn Fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    let compiled = count(&|o| matches!(o, Outcome::Generated { compile_error: None, checked: true, .. }));
    let unchecked = count(&|o| matches!(o, Outcome::Generated { compile_error: None, checked: false, .. }));
    let diagnosed = count(&|o| matches!(o, Outcome::Diagnosed { .. }));
    let broken = outcomes.len() - compiled - unchecked - diagnosed;
    let _ = write!(out, "\n{} WSDLs: {compiled} generated and compiled", outcomes.len());
    if unchecked > 0 {
        let _ = write!(out, ", {unchecked} generated (compilation not checked)");
    }
    let _ = writeln!(out, ", {diagnosed} stopped with a diagnostic, {broken} panicked or did not compile.");
    out
}

/// `cargo xtask corpus [--dir DIR] [--no-compile]`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let mut dir = default_dir();
    let mut compile = true;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--dir" => dir = PathBuf::from(it.next().ok_or("--dir needs a directory")?),
            "--no-compile" => compile = false,
            other => {
                return Err(format!(
                    "unknown argument `{other}`; usage: cargo xtask corpus [--dir DIR] [--no-compile]"
                ));
            }
        }
    }
    let files = wsdl_files(&dir)?;
    if files.is_empty() {
        return Err(format!("no .wsdl files in {}", dir.display()));
    }
    // Panics are caught and reported in the table; keep the default hook from printing them.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut outcomes: Vec<(String, Outcome)> = files.iter().map(|f| (f.clone(), generate_one(&dir, f))).collect();
    std::panic::set_hook(hook);
    if compile {
        eprintln!("checking that the generated modules compile (one `cargo check` of target/corpus-check)...");
        compile_check(&mut outcomes)?;
    }
    print!("{}", table(&outcomes));
    let bad = outcomes
        .iter()
        .any(|(_, o)| matches!(o, Outcome::Panicked(_) | Outcome::Generated { compile_error: Some(_), .. }));
    if bad {
        Err("some WSDLs panicked the generator or generated code that does not compile".to_owned())
    } else {
        Ok(())
    }
}
