//! Errors and warnings that name the spec file, the line and column where known, and the JSON
//! pointer of the offending node.

use std::fmt;
use std::path::PathBuf;

/// A 1-based line and column in a spec file, as an editor shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// What went wrong, without where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io(String),
    /// The file is not valid YAML or JSON.
    Syntax(String),
    /// The document is YAML or JSON but not an OpenAPI 3.0 document.
    Shape(String),
    /// A `$ref` that does not resolve.
    BadReference(String),
    /// A construct the generator does not support.
    Unsupported(String),
    /// The spec is valid OpenAPI but contradicts itself.
    Invalid(String),
    /// A bug in the generator: its own output did not parse.
    Internal(String),
}

/// An error in one spec: its file, the location where the parser knows it, and the JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: PathBuf,
    pub location: Option<Location>,
    /// A JSON pointer (RFC 6901) into the document, `""` for the whole document.
    pub pointer: String,
    pub kind: ErrorKind,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, pointer: impl Into<String>) -> Self {
        Error {
            file: PathBuf::new(),
            location: None,
            pointer: pointer.into(),
            kind,
        }
    }

    /// A short word for the kind, used in messages.
    fn label(&self) -> &'static str {
        match self.kind {
            ErrorKind::Io(_) => "cannot read spec",
            ErrorKind::Syntax(_) => "syntax error",
            ErrorKind::Shape(_) => "not an OpenAPI 3.0 document",
            ErrorKind::BadReference(_) => "unresolved reference",
            ErrorKind::Unsupported(_) => "unsupported",
            ErrorKind::Invalid(_) => "invalid spec",
            ErrorKind::Internal(_) => "internal error (please report)",
        }
    }

    fn detail(&self) -> &str {
        match &self.kind {
            ErrorKind::Io(m)
            | ErrorKind::Syntax(m)
            | ErrorKind::Shape(m)
            | ErrorKind::BadReference(m)
            | ErrorKind::Unsupported(m)
            | ErrorKind::Invalid(m)
            | ErrorKind::Internal(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        write!(f, ": {}: {}", self.label(), self.detail())?;
        if !matches!(self.kind, ErrorKind::Io(_) | ErrorKind::Syntax(_)) || !self.pointer.is_empty()
        {
            write!(f, "\n  at #{}", self.pointer)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins reference tokens into a JSON pointer.
pub fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}
