//! Facts a WSDL cannot carry, in a small line-based file next to it.
//!
//! ASMX WSDLs declare no `wsdl:fault`, nothing about which operations are safe to retry, and
//! nothing about secrets, yet a client needs all three. Keeping them in a file beside the WSDL
//! (rather than in hand-written code) keeps them regenerable: one command rebuilds everything.
//!
//! ```text
//! # comment
//! idempotent GetPackages GetPackageUpgrades
//! secret AuthHeader.Password
//! fault "INVALID PACKAGE ID" UpgradeUserPackage: The user package ID cannot be found.
//! ```

use std::collections::BTreeMap;

use crate::SourceFile;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};

/// A documented fault message.
#[derive(Debug, Clone)]
pub struct FaultAnnotation {
    /// The exception text the service sends, such as `INVALID PACKAGE ID`.
    pub message: String,
    /// Operations that document it.
    pub operations: Vec<String>,
    /// What it means.
    pub doc: Option<String>,
}

/// The parsed annotations file.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// Operations that are safe to retry.
    pub idempotent: Vec<String>,
    /// (schema type local name, element local name) of fields redacted in `Debug`.
    pub secrets: Vec<(String, String)>,
    /// Documented faults, in file order.
    pub faults: Vec<FaultAnnotation>,
    spans: BTreeMap<String, Span>,
    file: String,
}

impl Annotations {
    /// Where a name was written (for diagnostics about it).
    pub fn span_of(&self, name: &str) -> Span {
        self.spans.get(name).cloned().unwrap_or_else(|| Span { file: self.file.clone(), line: 1, column: 1 })
    }

    /// Parses an annotations file.
    pub fn parse(file: &SourceFile) -> Result<Annotations, Diagnostics> {
        let mut out = Annotations { file: file.path.clone(), ..Annotations::default() };
        let mut diags = Diagnostics::default();
        for (index, raw) in file.text.lines().enumerate() {
            let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let indent = raw.len() - raw.trim_start().len();
            let span = |offset: usize| Span {
                file: file.path.clone(),
                line: line_no,
                column: u32::try_from(raw[..offset.min(raw.len())].chars().count() + 1).unwrap_or(u32::MAX),
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let rest_offset =
                indent + keyword.len() + (line[keyword.len()..].len() - line[keyword.len()..].trim_start().len());
            let rest = rest.trim();
            match keyword {
                "idempotent" => {
                    for name in rest.split_whitespace() {
                        let at = raw.find(name).unwrap_or(rest_offset);
                        out.spans.insert(name.to_owned(), span(at));
                        out.idempotent.push(name.to_owned());
                    }
                }
                "secret" => match rest.split_once('.') {
                    Some((t, f)) if !t.is_empty() && !f.is_empty() && !f.contains(char::is_whitespace) => {
                        out.secrets.push((t.to_owned(), f.to_owned()));
                    }
                    _ => diags.push(Diagnostic::new(
                        span(rest_offset),
                        "secret",
                        format!("expected `Type.Element`, found `{rest}`"),
                    )),
                },
                "fault" => {
                    let Some(after_quote) = rest.strip_prefix('"') else {
                        diags.push(
                            Diagnostic::new(span(rest_offset), "fault", "expected the fault text in double quotes")
                                .help("fault \"INVALID PACKAGE ID\" Operation: meaning"),
                        );
                        continue;
                    };
                    let Some((message, tail)) = after_quote.split_once('"') else {
                        diags.push(Diagnostic::new(span(rest_offset), "fault", "unterminated quoted fault text"));
                        continue;
                    };
                    let (ops, doc) = match tail.split_once(':') {
                        Some((ops, doc)) => (ops, Some(doc.trim().to_owned()).filter(|d| !d.is_empty())),
                        None => (tail, None),
                    };
                    if message.trim().is_empty() || !message.chars().any(char::is_alphanumeric) {
                        diags.push(Diagnostic::new(
                            span(rest_offset),
                            "fault",
                            "the fault text must hold a letter or digit",
                        ));
                        continue;
                    }
                    out.faults.push(FaultAnnotation {
                        message: message.to_owned(),
                        operations: ops.split_whitespace().map(str::to_owned).collect(),
                        doc,
                    });
                }
                other => diags.push(
                    Diagnostic::new(span(indent), "annotation", format!("unknown keyword `{other}`"))
                        .help("known keywords: idempotent, secret, fault"),
                ),
            }
        }
        diags.into_result(out)
    }
}
