//! Errors of the XML layer: decoding what a peer sent and encoding what we send.

use std::fmt;

/// Where in a document a decode error happened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, counted in characters.
    pub column: u32,
    /// Element path from the document root, such as
    /// `Envelope/Body/GetPackagesResponse/GetPackagesResult/Package[2]/ID`.
    pub path: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "line {}, column {}", self.line, self.column)
        } else {
            write!(f, "{} (line {}, column {})", self.path, self.line, self.column)
        }
    }
}

/// A document could not be decoded into the expected types: [`kind`](Self::kind) says what
/// went wrong, [`location`](Self::location) where.
///
/// One pointer wide: every step of a decode returns a `Result` with this error, and a
/// kind and location held inline would make each of those results several times larger.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} at {}", .0.kind, .0.location)]
pub struct DecodeError(Box<DecodeErrorParts>);

#[derive(Debug, Clone, PartialEq)]
struct DecodeErrorParts {
    kind: DecodeErrorKind,
    location: Location,
}

impl DecodeError {
    /// An error of `kind` at `location`.
    pub fn new(kind: DecodeErrorKind, location: Location) -> Self {
        DecodeError(Box::new(DecodeErrorParts { kind, location }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// Where it went wrong.
    pub fn location(&self) -> &Location {
        &self.0.location
    }

    /// The kind and the location, for changing them (such as redacting a secret they quote).
    pub fn parts_mut(&mut self) -> (&mut DecodeErrorKind, &mut Location) {
        let parts = &mut *self.0;
        (&mut parts.kind, &mut parts.location)
    }
}

/// The kinds of [`DecodeError`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input is not well-formed XML.
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// A document type declaration was found; DTDs are refused (entity expansion attacks).
    #[error("a document type declaration (DTD) is not accepted")]
    Dtd,
    /// An entity reference other than the five predefined ones.
    #[error("unknown entity reference `&{0};`")]
    UnknownEntity(String),
    /// A character reference to a character XML 1.0 does not allow.
    #[error("character reference `&{0};` is not an XML 1.0 character")]
    InvalidCharRef(String),
    /// The XML declaration names an encoding other than UTF-8.
    #[error("unsupported document encoding `{0}` (only UTF-8 is accepted)")]
    UnsupportedEncoding(String),
    /// The document ended before the element was closed.
    #[error("unexpected end of document")]
    UnexpectedEof,
    /// Elements nest deeper than the configured limit.
    #[error("elements nest deeper than the limit of {0}")]
    TooDeep(usize),
    /// A different element was found where a specific one was expected.
    #[error("expected element `{expected}`, found `{found}`")]
    UnexpectedElement {
        /// The expected element, as `{namespace}name`.
        expected: String,
        /// The element found, as `{namespace}name`.
        found: String,
    },
    /// Text was found inside an element that only holds elements.
    #[error("unexpected text {0:?} in element-only content")]
    UnexpectedText(String),
    /// A child element was found inside an element that holds a simple value.
    #[error("unexpected child element `{0}` inside a simple value")]
    UnexpectedChild(String),
    /// A required element is missing.
    #[error("missing required element `{element}` in `{parent}`")]
    MissingElement {
        /// XML name of the missing element.
        element: &'static str,
        /// Schema type of the enclosing element.
        parent: &'static str,
    },
    /// A required attribute (`use="required"`) is missing.
    #[error("missing required attribute `{attribute}` of `{parent}`")]
    MissingAttribute {
        /// XML name of the missing attribute.
        attribute: &'static str,
        /// Schema type of the element that should carry it.
        parent: &'static str,
    },
    /// A single-valued element appears more than once.
    #[error("element `{element}` appears more than once in `{parent}`")]
    DuplicateElement {
        /// XML name of the repeated element.
        element: &'static str,
        /// Schema type of the enclosing element.
        parent: &'static str,
    },
    /// `xsi:nil="true"` on an element the schema does not declare nillable.
    #[error("element `{0}` is nil but is not nillable")]
    UnexpectedNil(String),
    /// A simple value does not parse as its schema type.
    #[error("invalid {expected} value {value:?}: {message}")]
    InvalidValue {
        /// The schema type, such as `xs:int`.
        expected: &'static str,
        /// The offending text (cut to 64 characters).
        value: String,
        /// Why it is invalid.
        message: String,
    },
}

/// A value cannot be written as XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A string holds a character that XML 1.0 cannot carry (U+0000 and most C0 controls,
    /// U+FFFE, U+FFFF). Nothing was sent.
    #[error("element `{element}` contains the character U+{code:04X} at character {index}, which XML 1.0 cannot carry")]
    InvalidChar {
        /// XML name of the element whose value holds the character.
        element: String,
        /// The character's code point.
        code: u32,
        /// Index of the character in the value (in characters).
        index: usize,
    },
    /// A floating-point value that XML Schema cannot represent in this type.
    #[error("element `{element}`: {message}")]
    InvalidValue {
        /// XML name of the element.
        element: String,
        /// Why the value cannot be written.
        message: String,
    },
}

/// Why a simple value's text does not parse: the message of [`DecodeErrorKind::InvalidValue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

impl ValueError {
    /// Creates a value error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        ValueError(message.into())
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}
