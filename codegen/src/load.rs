//! Loads a spec file (YAML or JSON) into `openapiv3` types, with errors that say where.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;

use crate::error::{Error, ErrorKind, Location, escape_token};
use crate::locate::locate;

/// A parsed spec and the text it came from (kept to locate later errors).
pub struct Spec {
    /// The path used in messages and in generated headers.
    pub file: PathBuf,
    pub source: String,
    pub doc: OpenAPI,
}

impl Spec {
    /// Reads and parses `file`; the path is shown as given in every message.
    pub fn load(file: &Path) -> Result<Spec, Error> {
        let source = std::fs::read_to_string(file).map_err(|e| Error {
            file: file.to_owned(),
            location: None,
            pointer: String::new(),
            kind: ErrorKind::Io(e.to_string()),
        })?;
        Spec::parse(file, source)
    }

    /// Parses `source` as the content of `file`.
    pub fn parse(file: &Path, source: String) -> Result<Spec, Error> {
        let is_json =
            file.extension().is_some_and(|e| e == "json") || source.trim_start().starts_with('{');
        let parsed = if is_json {
            parse_json(&source)
        } else {
            parse_yaml(&source)
        };
        let doc = parsed.map_err(|e| Spec::attach_to(file, &source, e))?;
        if !doc.openapi.starts_with("3.0") {
            return Err(Spec::attach_to(
                file,
                &source,
                Error::new(
                    ErrorKind::Unsupported(format!(
                        "OpenAPI version {:?}: only 3.0.x documents are supported",
                        doc.openapi
                    )),
                    "/openapi",
                ),
            ));
        }
        Ok(Spec {
            file: file.to_owned(),
            source,
            doc,
        })
    }

    /// Fills in the file and, where the error has none, the location of its pointer.
    pub fn attach(&self, error: Error) -> Error {
        Spec::attach_to(&self.file, &self.source, error)
    }

    /// Fills in the file and locations of many errors with one pass over the source.
    pub fn attach_all(&self, errors: &mut [Error]) {
        let pointers: Vec<&str> = errors
            .iter()
            .filter(|e| e.location.is_none())
            .map(|e| e.pointer.as_str())
            .collect();
        let mut found = crate::locate::locate_all(&self.source, &pointers).into_iter();
        for e in errors.iter_mut() {
            e.file = self.file.clone();
            if e.location.is_none() {
                e.location = found.next().flatten();
            }
        }
    }

    fn attach_to(file: &Path, source: &str, mut error: Error) -> Error {
        error.file = file.to_owned();
        if error.location.is_none() && !matches!(error.kind, ErrorKind::Io(_)) {
            error.location = locate(source, &error.pointer);
        }
        error
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Rewords serde's messages about `openapiv3`'s internal enums into what a spec author can act on.
fn shape_message(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    if message.contains("did not match any variant of untagged enum ReferenceOr") {
        "expected a `$ref` or an inline object of the right shape here".to_owned()
    } else {
        message.to_owned()
    }
}

fn parse_json(source: &str) -> Result<OpenAPI, Error> {
    // The fast path; only a failure pays for tracking the path to the error.
    if let Ok(doc) = serde_json::from_str(source) {
        return Ok(doc);
    }
    let mut de = serde_json::Deserializer::from_str(source);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.inner();
        let location = Some(Location {
            line: inner.line(),
            column: inner.column(),
        });
        let kind = if inner.is_syntax() || inner.is_eof() {
            ErrorKind::Syntax(shape_message(&inner.to_string()))
        } else {
            ErrorKind::Shape(shape_message(&inner.to_string()))
        };
        let mut error = Error::new(kind, pointer);
        // serde_json reports data errors at the end of the value; the pointer's start is better.
        if matches!(error.kind, ErrorKind::Syntax(_)) {
            error.location = location;
        }
        error
    })
}

fn parse_yaml(source: &str) -> Result<OpenAPI, Error> {
    if let Ok(doc) = serde_yaml::from_str(source) {
        return Ok(doc);
    }
    let de = serde_yaml::Deserializer::from_str(source);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.inner();
        let message = shape_message(&inner.to_string());
        // serde's data errors say what they expected; anything else comes from the YAML scanner
        // and has the exact location of the bad character.
        let data = DATA_ERRORS.iter().any(|p| message.contains(p));
        let mut error = Error::new(
            if data {
                ErrorKind::Shape(message)
            } else {
                ErrorKind::Syntax(message)
            },
            pointer,
        );
        if !data {
            error.location = inner.location().map(|l| Location {
                line: l.line(),
                column: l.column(),
            });
        }
        error
    })
}

/// How serde's own data errors begin (as opposed to YAML syntax errors).
const DATA_ERRORS: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "missing field",
    "unknown field",
    "unknown variant",
    "duplicate field",
    "expected a `$ref`",
    "did not match any variant",
];
