//! Errors that point into the schema: file, line, column, construct, enclosing type and help.

use std::fmt;

/// A position in a source file (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    /// The file, as given in the [`crate::Input`].
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One problem found in the input. `Debug` prints the same as `Display`
/// (`file:line:col: error: construct: message`, then `help:`), so a build script's `unwrap()`
/// reads like a compiler error.
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the offending node starts.
    pub span: Span,
    /// The construct, such as `xs:choice` or `wsdl:part`.
    pub construct: String,
    /// The enclosing named type, element or operation, when there is one.
    pub context: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do instead.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `span` about `construct`.
    pub fn new(span: Span, construct: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { span, construct: construct.into(), context: None, message: message.into(), help: None }
    }

    /// Names the enclosing type or operation.
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    /// Adds what to do instead.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: error: {}: {}", self.span, self.construct, self.message)?;
        if let Some(context) = &self.context {
            write!(f, " (in {context})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found; generation stops when there is at least one. `Debug` prints the same
/// as `Display`: one diagnostic after the other.
#[derive(Clone, PartialEq, Eq, Default, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Diagnostics {
    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// `Err(self)` when anything was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}
