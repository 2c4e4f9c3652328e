//! Loads a spec file (YAML or JSON) into `openapiv3` types, with errors that say where.
//!
//! The text is parsed into a JSON value first. OpenAPI 3.1 documents are rewritten there into
//! the 3.0 model (`v31`), so that one lowering path reads both versions; the targets of `$ref`s
//! that point anywhere but a component are parsed there too (`refs`). Only then is the value
//! read into `openapiv3`'s types.

mod dynamic;
mod files;
mod items;
mod kinds;
pub(crate) mod refs;
mod v31;
mod v32;
mod walk;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Location, escape_token};
use crate::locate::locate;
use refs::Reading;

pub(crate) use files::names_of_file;
pub use files::{CACHE, Fetch, Gathered, Reach, Source};
pub(crate) use items::{EVENTS, TEXT_DATA};
pub use refs::Targets;

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_1,
    /// Read as 3.1 once what 3.2 adds is moved into place (`v32.rs`).
    V3_2,
}

/// A parsed spec and the text it came from (kept to locate later errors).
pub struct Spec {
    /// The path used in messages and in generated headers.
    pub file: PathBuf,
    pub source: String,
    pub version: Version,
    pub doc: OpenAPI,
    /// OpenAPI 3.1 `webhooks` (or the `x-webhooks` of a 3.0 spec): requests the API sends, by
    /// name.
    pub webhooks: IndexMap<String, ReferenceOr<PathItem>>,
    /// Where the document keeps them: `webhooks` or `x-webhooks`.
    pub webhooks_key: &'static str,
    /// What `$ref`s point at outside `#/components/<kind>/<name>`, by JSON pointer.
    pub targets: Targets,
    /// What OpenAPI 3.1 added to `info`, which the 3.0 model has no place for.
    pub info: InfoExtra,
    /// Where reading the document into the 3.0 model said less than it; located when lowered.
    pub warnings: Vec<Error>,
    /// What reading the document into the 3.0 model left out: errors when lowering is strict.
    pub losses: Vec<Error>,
    /// The files besides `file` that references led to, and where what came from them stands.
    pub gathered: Gathered,
    /// Pointers that reading a 3.1 document introduced, and the source pointers they stand for.
    rewrites: Vec<(String, String)>,
    /// The operations of OpenAPI 3.2's `query` and `additionalOperations`, which the 3.0
    /// model has no field for, by the pointer of their path item.
    pub more_operations: BTreeMap<String, Vec<MoreOperation>>,
}

/// An operation of a method the 3.0 path item has no field for.
pub struct MoreOperation {
    /// Where it stands in its path item: `query`, `additionalOperations/LINK`.
    pub key: String,
    /// The method as it is sent: `QUERY`, `LINK`.
    pub method: String,
    pub op: openapiv3::Operation,
}

impl Spec {
    /// Reads and parses `file` and the files its references name, inside `file`'s folder; the
    /// path is shown as given in every message.
    pub fn load(file: &Path) -> Result<Spec, Error> {
        Spec::load_within(file, &Reach::default())
    }

    /// [`Spec::load`] with references allowed as far as `reach` says.
    pub fn load_within(file: &Path, reach: &Reach) -> Result<Spec, Error> {
        let source = std::fs::read_to_string(file).map_err(|e| Error {
            file: file.to_owned(),
            location: None,
            pointer: String::new(),
            kind: ErrorKind::Io(e.to_string()),
        })?;
        Spec::parse_within(file, source, reach)
    }

    /// Parses `source` as the content of `file`; the files its references name are read
    /// relative to `file`.
    pub fn parse(file: &Path, source: String) -> Result<Spec, Error> {
        Spec::parse_within(file, source, &Reach::default())
    }

    /// [`Spec::parse`] with the files references name read as `reach` says.
    pub fn parse_within(file: &Path, source: String, reach: &Reach) -> Result<Spec, Error> {
        Spec::read(file, &source, reach).map_err(|e| Spec::attach_to(file, &source, &[], e))
    }

    fn read(file: &Path, source: &str, reach: &Reach) -> Result<Spec, Error> {
        let mut value = read_value(file, source)?;
        let version = version(&value)?;
        let info = InfoExtra::read(&value);
        let mut notes = v31::Notes::default();
        for said in dynamic::as_references(&mut value) {
            let kind = ErrorKind::Unsupported(said.message);
            notes.warnings.push(Error::new(kind, said.pointer));
        }
        let bundle = files::gather(file, source, value, reach)?;
        let mut value = bundle.value;
        notes.warnings.extend(bundle.warnings);
        // Targets are read from the source's value, so that references name what the source
        // has where it has it; a 3.1 target is rewritten on its own.
        // (Its notes are not kept: where it stands in the document, the document's say the same.)
        let json_schema = matches!(version, Version::V3_1 | Version::V3_2);
        let targets = Targets::collect(&mut value, &mut |target, pointer, reading| {
            if json_schema {
                let mut own = v31::Notes::default();
                v31::normalize_target(target, pointer, reading == Reading::Schema, &mut own);
            }
            if version == Version::V3_2 && reading == Reading::Other {
                v32::lift_operations(target);
            }
            if version == Version::V3_0 {
                v31::access_beside_references_in(target, pointer, reading == Reading::Schema);
            }
        });
        if version == Version::V3_2 {
            v32::normalize(&mut value, &mut notes);
        }
        items::item_schemas(&mut value, &mut notes);
        if json_schema {
            v31::normalize(&mut value, &mut notes);
        } else {
            v31::access_beside_references(&mut value, &mut notes);
        }
        if version == Version::V3_2 {
            v32::lift_all_operations(&mut value);
        }
        kinds::cross_kind_references(&mut value, &mut notes);
        let gathered = &bundle.gathered;
        let in_source = |mut e: Error| {
            e.pointer = original_pointer(&notes.rewrites, &e.pointer);
            gathered.place(&mut e);
            e
        };
        let webhooks_key = webhooks_key(&value, version);
        let webhooks = match value.as_object_mut().and_then(|o| o.remove(webhooks_key)) {
            Some(w) => typed(w).map_err(|mut e: Error| {
                e.pointer.insert_str(0, &format!("/{webhooks_key}"));
                in_source(e)
            })?,
            None => IndexMap::new(),
        };
        let doc = typed_document(value).map_err(in_source)?;
        let more_operations =
            more_operations(&doc, (webhooks_key, &webhooks), &targets).map_err(in_source)?;
        Ok(Spec {
            file: file.to_owned(),
            source: source.to_owned(),
            version,
            doc,
            webhooks,
            webhooks_key,
            targets,
            info,
            warnings: notes.warnings,
            losses: notes.losses,
            rewrites: notes.rewrites,
            more_operations,
            gathered: bundle.gathered,
        })
    }

    /// Where the schema or object at `pointer` of the document lives, as a [`crate::pins`]
    /// place: `<file>#<pointer>`, the file relative to the entry's folder (`/` between folders)
    /// and empty for the entry.
    pub fn place_of(&self, pointer: &str) -> String {
        let pointer = original_pointer(&self.rewrites, pointer);
        let (source, pointer) = self.gathered.origin(&pointer);
        let folder = self.file.parent().unwrap_or(Path::new(""));
        let file = source.map(|s| {
            let relative = s.file.strip_prefix(folder).unwrap_or(&s.file);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.join("/")
        });
        format!("{}#{pointer}", file.unwrap_or_default())
    }

    /// Fills in the file and, where the error has none, the location of its pointer.
    pub fn attach(&self, mut error: Error) -> Error {
        error.pointer = original_pointer(&self.rewrites, &error.pointer);
        self.gathered.place(&mut error);
        Spec::attach_to(&self.file, &self.source, &[], error)
    }

    /// Fills in the file and locations of many errors with one pass over the source.
    pub fn attach_all(&self, errors: &mut [Error]) {
        let mut in_entry = Vec::new();
        // An error placed in another file of the spec is located there already.
        let unplaced = errors.iter_mut().filter(|e| e.file.as_os_str().is_empty());
        for e in unplaced {
            e.pointer = original_pointer(&self.rewrites, &e.pointer);
            if !self.gathered.place(e) {
                e.file = self.file.clone();
                in_entry.push(e);
            }
        }
        let pointers: Vec<&str> = in_entry
            .iter()
            .filter(|e| e.location.is_none())
            .map(|e| e.pointer.as_str())
            .collect();
        let found: Vec<Option<Location>> = crate::locate::locate_all(&self.source, &pointers);
        let mut found = found.into_iter();
        for e in in_entry.into_iter().filter(|e| e.location.is_none()) {
            e.location = found.next().flatten();
        }
    }

    fn attach_to(
        file: &Path,
        source: &str,
        rewrites: &[(String, String)],
        mut error: Error,
    ) -> Error {
        // An error placed in another file of the spec is located there already.
        if !error.file.as_os_str().is_empty() {
            return error;
        }
        error.file = file.to_owned();
        error.pointer = original_pointer(rewrites, &error.pointer);
        if error.location.is_none() && !matches!(error.kind, ErrorKind::Io(_)) {
            error.location = locate(source, &error.pointer);
        }
        error
    }
}

/// OpenAPI 3.1's additions to the `info` object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InfoExtra {
    /// `info.summary`.
    pub summary: Option<String>,
    /// `info.license.identifier`, an SPDX expression.
    pub license_identifier: Option<String>,
}

impl InfoExtra {
    fn read(doc: &Value) -> InfoExtra {
        let text = |p: &str| doc.pointer(p).and_then(Value::as_str).map(str::to_owned);
        InfoExtra {
            summary: text("/info/summary"),
            license_identifier: text("/info/license/identifier"),
        }
    }
}

/// `pointer` as the source has it: the rewrites that moved it are undone, the last first, each
/// once.
fn original_pointer(rewrites: &[(String, String)], pointer: &str) -> String {
    let mut pointer = pointer.to_owned();
    for (from, to) in rewrites.iter().rev() {
        if let Some(rest) = pointer.strip_prefix(from.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            pointer = format!("{to}{rest}");
        }
    }
    pointer
}

/// The version the document declares, or an error that names the versions read here.
fn version(value: &Value) -> Result<Version, Error> {
    let unsupported =
        |message: String, pointer: &str| Err(Error::new(ErrorKind::Unsupported(message), pointer));
    if let Some(swagger) = value.get("swagger") {
        return unsupported(
            format!(
                "Swagger {} documents are not read here: this generator reads OpenAPI 3.0.x, 3.1.x and 3.2.x. Convert the document first, for example with `npx swagger2openapi spec.yaml -o spec-v3.yaml` (the converter of the Mermade project), then generate from the converted file",
                swagger
                    .as_str()
                    .map_or_else(|| swagger.to_string(), str::to_owned)
            ),
            "/swagger",
        );
    }
    let Some(declared) = value.get("openapi") else {
        return Err(Error::new(
            ErrorKind::Shape(
                "missing field `openapi`: an OpenAPI document starts with `openapi: 3.0.3` or `openapi: 3.1.0`".into(),
            ),
            "",
        ));
    };
    let text = declared
        .as_str()
        .map_or_else(|| declared.to_string(), str::to_owned);
    let mut parts = text.split('.');
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Ok(Version::V3_0),
        (Some("3"), Some("1")) => Ok(Version::V3_1),
        (Some("3"), Some("2")) => Ok(Version::V3_2),
        _ => unsupported(
            format!(
                "OpenAPI version {text:?}: this generator reads OpenAPI 3.0.x, 3.1.x and 3.2.x documents"
            ),
            "/openapi",
        ),
    }
}

/// The one-document form of the spec `file` (with the files its references name read as `reach`
/// says): what they name gathered into it, as the generator reads it, in YAML or JSON; and the
/// warnings of gathering.
pub fn bundle(file: &Path, reach: &Reach, yaml: bool) -> Result<(String, Vec<Error>), Error> {
    let io = |e: std::io::Error| Error {
        file: file.to_owned(),
        location: None,
        pointer: String::new(),
        kind: ErrorKind::Io(e.to_string()),
    };
    let source = std::fs::read_to_string(file).map_err(io)?;
    let in_entry = |e| Spec::attach_to(file, &source, &[], e);
    let value = read_value(file, &source).map_err(in_entry)?;
    let bundle = files::gather(file, &source, value, reach).map_err(in_entry)?;
    let text = if yaml {
        serde_yaml::to_string(&bundle.value)
            .map_err(|e| Error::new(ErrorKind::Internal(e.to_string()), ""))?
    } else {
        let mut text = serde_json::to_string_pretty(&bundle.value)
            .map_err(|e| Error::new(ErrorKind::Internal(e.to_string()), ""))?;
        text.push('\n');
        text
    };
    let warnings = bundle.warnings.into_iter().map(in_entry).collect();
    Ok((text, warnings))
}

/// The typed document. Its `paths` are read on a thread of their own beside the rest (mostly
/// `components`), the two halves of a large document; when both fail, the error of `paths`.
/// Each tag's parent (OpenAPI 3.2's `parent`, checked to name a tag without a cycle), by the
/// tag's name.
pub(crate) fn tag_parents(doc: &OpenAPI) -> BTreeMap<String, String> {
    doc.tags
        .iter()
        .filter_map(|t| {
            let parent = t.extensions.get(v32::TAG_PARENT)?.as_str()?;
            Some((t.name.clone(), parent.to_owned()))
        })
        .collect()
}

/// Where the document keeps its webhooks: 3.1's `webhooks`, else in a 3.0 document the
/// `x-webhooks` extension that says the same (a 3.1 document's extension is left alone: its
/// schemas were not read as 3.1's).
fn webhooks_key(value: &Value, version: Version) -> &'static str {
    match value.get("webhooks") {
        None if version == Version::V3_0 && value.get("x-webhooks").is_some() => "x-webhooks",
        _ => "webhooks",
    }
}

/// The operations each path item keeps under [`v32::MORE_OPERATIONS`], read as operations.
fn more_operations(
    doc: &OpenAPI,
    (webhooks_key, webhooks): (&str, &IndexMap<String, ReferenceOr<PathItem>>),
    targets: &Targets,
) -> Result<BTreeMap<String, Vec<MoreOperation>>, Error> {
    let mut items: Vec<(String, &ReferenceOr<PathItem>)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        items.push((format!("/paths/{}", escape_token(path)), item));
    }
    for (name, item) in webhooks {
        items.push((format!("/{webhooks_key}/{}", escape_token(name)), item));
    }
    items.extend(targets.path_items.iter().map(|(p, item)| (p.clone(), item)));
    let mut out = BTreeMap::new();
    for (at, item) in items {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let Some(more) = item.extensions.get(v32::MORE_OPERATIONS) else {
            continue;
        };
        let mut ops = Vec::new();
        let additional = more.get(v31::ADDITIONAL).and_then(Value::as_object);
        let listed = more
            .get(v31::QUERY)
            .map(|op| (v31::QUERY.to_owned(), "QUERY".to_owned(), op))
            .into_iter()
            .chain(additional.into_iter().flatten().map(|(method, op)| {
                let key = format!("{}/{}", v31::ADDITIONAL, escape_token(method));
                (key, method.clone(), op)
            }));
        for (key, method, op) in listed {
            let op = typed(op.clone()).map_err(|mut e| {
                e.pointer.insert_str(0, &format!("{at}/{key}"));
                e
            })?;
            ops.push(MoreOperation { key, method, op });
        }
        out.insert(at, ops);
    }
    Ok(out)
}

fn typed_document(mut value: Value) -> Result<OpenAPI, Error> {
    let paths = value
        .as_object_mut()
        .and_then(|o| o.get_mut("paths"))
        .map(|p| std::mem::replace(p, Value::Object(Default::default())));
    let Some(paths) = paths else {
        return typed(value);
    };
    let (doc, paths) = std::thread::scope(|scope| {
        let paths = scope.spawn(|| typed::<openapiv3::Paths>(paths));
        let doc = typed::<OpenAPI>(value);
        let paths = paths.join().unwrap_or_else(|_| {
            Err(Error::new(
                ErrorKind::Internal("the thread reading `paths` panicked".to_owned()),
                "",
            ))
        });
        (doc, paths)
    });
    let paths = paths.map_err(|mut e| {
        e.pointer.insert_str(0, "/paths");
        e
    })?;
    Ok(OpenAPI { paths, ..doc? })
}

/// Reads a JSON value into a typed `openapiv3` value; on failure, the error has the pointer of
/// the part that did not fit.
fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Error> {
    // The fast path; only a failure pays for tracking the path to the error.
    if let Ok(t) = T::deserialize(&value) {
        return Ok(t);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let message = shape_message(&e.inner().to_string());
        Error::new(ErrorKind::Shape(message), pointer_of(e.path()))
    })
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

/// A document as the generator reads it, before it is typed: JSON or YAML (by the file's
/// extension, else its first character) into a JSON value, with YAML scalars where OpenAPI
/// means text read as written (`version: 1.10`). A syntax error names the file and its line.
pub fn document(file: &Path, source: &str) -> Result<Value, Error> {
    read_value(file, source).map_err(|e| Spec::attach_to(file, source, &[], e))
}

fn read_value(file: &Path, source: &str) -> Result<Value, Error> {
    let is_json =
        file.extension().is_some_and(|e| e == "json") || source.trim_start().starts_with('{');
    if is_json {
        return parse_json(source);
    }
    let mut value = parse_yaml(source)?;
    yaml_strings(source, &mut value);
    walk::texts_mut(&mut value, &mut |v| {
        if v.is_number() || v.is_boolean() {
            *v = Value::String(v.to_string());
        }
    });
    Ok(value)
}

fn parse_json(source: &str) -> Result<Value, Error> {
    if let Ok(value) = serde_json::from_str(source) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(source);
    let e = match serde_path_to_error::deserialize::<_, Value>(&mut de) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut error = Error::new(
        ErrorKind::Syntax(shape_message(&e.inner().to_string())),
        pointer_of(e.path()),
    );
    error.location = Some(Location {
        line: e.inner().line(),
        column: e.inner().column(),
    });
    Err(error)
}

fn parse_yaml(source: &str) -> Result<Value, Error> {
    refuse_deep_flows(source)?;
    if let Ok(yaml::Json(value)) = serde_yaml::from_str(source) {
        return Ok(value);
    }
    let de = serde_yaml::Deserializer::from_str(source);
    let e = match serde_path_to_error::deserialize::<_, yaml::Json>(de) {
        Ok(yaml::Json(value)) => return Ok(value),
        Err(e) => e,
    };
    let mut error = Error::new(
        ErrorKind::Syntax(shape_message(&e.inner().to_string())),
        pointer_of(e.path()),
    );
    error.location = e.inner().location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    });
    Err(error)
}

/// YAML whose brackets nest deeper than serde reads (128), checked by a parser that stops at its
/// limit, so that a document of nested flow collections is an error at once, not a wait
/// ([`crate::locate::too_deep`]). Brackets in text can make the count too high: the parser
/// decides.
fn refuse_deep_flows(source: &str) -> Result<(), Error> {
    let mut depth = 0usize;
    let mut deepest = 0;
    for b in source.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest <= 128 {
        return Ok(());
    }
    let Some((location, pointer)) = crate::locate::too_deep(source) else {
        return Ok(());
    };
    let kind = ErrorKind::Syntax("recursion limit exceeded".to_owned());
    let mut error = Error::new(kind, pointer);
    error.location = Some(location);
    Err(error)
}

/// YAML reads `version: 1.0` as a number where OpenAPI means the text. serde_yaml reads such a
/// scalar as written when asked for a string, so where the top-level objects hold a number or a
/// boolean in place of a string, they are read again that way.
fn yaml_strings(source: &str, value: &mut Value) {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Top {
        openapi: Option<String>,
        info: Option<openapiv3::Info>,
        servers: Option<Vec<openapiv3::Server>>,
        tags: Option<Vec<openapiv3::Tag>>,
        external_docs: Option<openapiv3::ExternalDocumentation>,
    }
    fn not_text(v: &Value) -> bool {
        match v {
            Value::Number(_) | Value::Bool(_) => true,
            Value::Array(items) => items.iter().any(not_text),
            Value::Object(map) => map.iter().any(|(k, v)| !k.starts_with("x-") && not_text(v)),
            _ => false,
        }
    }
    const KEYS: [&str; 5] = ["openapi", "info", "servers", "tags", "externalDocs"];
    let Some(root) = value.as_object_mut() else {
        return;
    };
    if !KEYS.iter().any(|k| root.get(*k).is_some_and(not_text)) {
        return;
    }
    let Ok(top) = serde_yaml::from_str::<Top>(source) else {
        return;
    };
    let values = [
        top.openapi.map(Value::String),
        top.info.and_then(|v| serde_json::to_value(v).ok()),
        top.servers.and_then(|v| serde_json::to_value(v).ok()),
        top.tags.and_then(|v| serde_json::to_value(v).ok()),
        top.external_docs.and_then(|v| serde_json::to_value(v).ok()),
    ];
    for (key, lenient) in KEYS.iter().zip(values) {
        if let (Some(lenient), Some(value)) = (lenient, root.get_mut(*key)) {
            as_text(value, &lenient);
        }
    }
}

/// Replaces each number or boolean of `value` with the text `lenient` has at the same place.
/// What `lenient` does not have (3.1's `info.summary`, say) stays as it is.
fn as_text(value: &mut Value, lenient: &Value) {
    match (value, lenient) {
        (value @ (Value::Number(_) | Value::Bool(_)), Value::String(text)) => {
            *value = Value::String(text.clone());
        }
        (Value::Object(map), Value::Object(other)) => {
            for (k, v) in map.iter_mut() {
                if let Some(o) = other.get(k) {
                    as_text(v, o);
                }
            }
        }
        (Value::Array(items), Value::Array(other)) => {
            items.iter_mut().zip(other).for_each(|(v, o)| as_text(v, o));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Spec, Error> {
        Spec::parse(Path::new("t.yaml"), text.to_owned())
    }

    #[test]
    fn versions() {
        let doc =
            |v: &str| format!("openapi: {v}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n");
        assert_eq!(parse(&doc("3.0.3")).unwrap().version, Version::V3_0);
        assert_eq!(parse(&doc("'3.0'")).unwrap().version, Version::V3_0);
        assert_eq!(parse(&doc("3.1.0")).unwrap().version, Version::V3_1);
        assert_eq!(parse(&doc("3.2.0")).unwrap().version, Version::V3_2);
        let e = parse(&doc("3.3.0")).err().unwrap().to_string();
        assert!(e.contains("reads OpenAPI 3.0.x, 3.1.x and 3.2.x"), "{e}");
        assert!(e.starts_with("t.yaml:1:1: unsupported"), "{e}");
        let e = parse("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("Swagger 2.0") && e.contains("swagger2openapi"),
            "{e}"
        );
    }

    #[test]
    fn yaml_keys_that_look_like_numbers_are_strings() {
        let spec = parse(
            "openapi: 3.0\ninfo: {title: t, version: 1.10, summary: s}\nservers: [{url: /, variables: {port: {default: 8443}}}]\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .unwrap();
        assert_eq!(spec.doc.info.version, "1.10");
        assert_eq!(spec.info.summary.as_deref(), Some("s"));
        assert_eq!(
            spec.doc.servers[0].variables.as_ref().unwrap()["port"].default,
            "8443"
        );
        assert_eq!(spec.doc.paths.paths.len(), 1);
    }

    #[test]
    fn server_variables_below_the_top_level_are_text_too() {
        let spec = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    servers: [{url: 'http://h:{port}', variables: {port: {default: 8080, enum: [8080, 9090]}}}]\n    get: {responses: {'200': {description: ok}}}\n",
        )
        .unwrap();
        let openapiv3::ReferenceOr::Item(item) = &spec.doc.paths.paths["/a"] else {
            panic!("an item");
        };
        let port = &item.servers[0].variables.as_ref().unwrap()["port"];
        assert_eq!((port.default.as_str(), port.enumeration.len()), ("8080", 2));
    }

    #[test]
    fn rewritten_pointers_map_back_to_the_source() {
        // `/b/anyOf` lost its first member: the others moved up by one, in one step.
        let rewrites = vec![
            ("/a/allOf/0".to_owned(), "/a".to_owned()),
            ("/b/anyOf/0".to_owned(), "/b/anyOf/1".to_owned()),
            ("/b/anyOf/1".to_owned(), "/b/anyOf/2".to_owned()),
        ];
        assert_eq!(original_pointer(&rewrites, "/a/allOf/0/$ref"), "/a/$ref");
        assert_eq!(original_pointer(&rewrites, "/a/allOf/01"), "/a/allOf/01");
        assert_eq!(
            original_pointer(&rewrites, "/b/anyOf/0/$ref"),
            "/b/anyOf/1/$ref"
        );
        assert_eq!(original_pointer(&rewrites, "/b/anyOf/1"), "/b/anyOf/2");
        assert_eq!(original_pointer(&rewrites, "/c"), "/c");
    }
}
