//! `cargo xtask sync-wsdl --from URL_OR_FILE [--wsdl PATH]`: writes the live service
//! description into `wsdl/engageip.wsdl`, carrying the committed file's documentation over to
//! every item that still exists (`engageip_codegen::sync`), and prints the drift report and the new
//! items that have no documentation yet. Then `cargo xtask regen` regenerates the client.
//!
//! Run against the committed file itself, it changes no byte.

use std::path::{Path, PathBuf};

use engageip_api::drift::{DriftError, Format, load_file, render};
use engageip_codegen::SourceFile;
use engageip_codegen::sync::carry_documentation;

use crate::drift::{block_on, checker};
use crate::regen::workspace_root;

const USAGE: &str = "usage: cargo xtask sync-wsdl --from URL_OR_FILE [--wsdl PATH]

  --from URL_OR_FILE  the live description (https://host/path.asmx?WSDL) or a file
  --wsdl PATH         the committed description to update (default wsdl/engageip.wsdl)";

/// Runs the command.
pub fn run(args: &[&str]) -> Result<(), String> {
    let mut from = None;
    let mut target = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--from" => from = it.next().copied(),
            "--wsdl" => target = it.next().copied().map(PathBuf::from),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let from = from.ok_or_else(|| format!("--from is required\n{USAGE}"))?;
    let target = target.unwrap_or_else(|| workspace_root().join("wsdl/engageip.wsdl"));
    sync(&target, from)
}

fn could_not(from: &str, e: DriftError) -> String {
    render(from, &Err(e), Format::Text).stderr.trim_end().replace("engageip drift: could not compare", "could not sync")
}

/// Brings `from` into `target`.
pub fn sync(target: &Path, from: &str) -> Result<(), String> {
    let checker = checker(target).map_err(|e| could_not(from, e))?;
    let live = if from.starts_with("http://") || from.starts_with("https://") {
        block_on(checker.fetch(from)).map_err(|e| could_not(from, e))?
    } else {
        load_file(Path::new(from)).map_err(|e| could_not(from, e))?.wsdl.text
    };
    // The drift report first: it also refuses what is not a WSDL, or does not load.
    let report = checker.compare(&engageip_codegen::Input::new(from, live.clone())).map_err(|e| could_not(from, e))?;
    print!("{}", render(from, &Ok(report), Format::Text).stdout);

    let committed_text =
        std::fs::read_to_string(target).map_err(|e| format!("cannot read {}: {e}", target.display()))?;
    let committed = SourceFile { path: target.display().to_string(), text: committed_text };
    let synced = carry_documentation(&committed, &SourceFile { path: from.to_owned(), text: live })
        .map_err(|d| format!("{d}\ncould not sync {from}"))?;
    if synced.text == committed.text {
        println!("{}: unchanged", target.display());
    } else {
        std::fs::write(target, &synced.text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        println!("{}: written; now run `cargo xtask regen`", target.display());
    }
    for (title, items) in [
        ("new items without documentation (add their prose):", &synced.undocumented),
        ("documentation kept on items whose declaration changed (check it still holds):", &synced.changed),
        ("documentation dropped with items the service no longer has:", &synced.dropped),
    ] {
        if !items.is_empty() {
            println!("{title}");
            for item in items {
                println!("  - {item}");
            }
        }
    }
    Ok(())
}
