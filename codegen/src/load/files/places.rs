//! Where a reference stands and the kind of object its place expects, by OpenAPI's structure:
//! the value of `responses` maps names to responses, a response's `content` maps media types
//! to media type objects, whose `schema` is a schema, and so on.

use serde_json::{Map, Value};

use crate::error::escape_token;
use crate::load::walk::{SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_ONE, each_object};

/// The kinds of object a reference may stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
    /// Anything else outside data (a tag, `info`, a description): a reference there is out of
    /// OpenAPI's rules, but tools resolve it (a tag's description from a Markdown file's text).
    Other,
}

/// What a place holds: one object, a map of them by name, a list of them, or (a discriminator's
/// `mapping` value) the text of a reference to a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Object(Kind),
    Map(Kind),
    List(Kind),
    Mapping,
}

/// A reference: the pointer of the object that holds `$ref` (of the text, for a mapping), its
/// text, and what its place expects.
#[derive(Debug, Clone)]
pub struct Found {
    pub pointer: String,
    pub reference: String,
    pub place: Place,
}

impl Found {
    /// The pointer of the reference's text.
    pub fn text_pointer(&self) -> String {
        match self.place {
            Place::Mapping => self.pointer.clone(),
            _ => format!("{}/$ref", self.pointer),
        }
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

impl Kind {
    /// The component section objects of this kind are gathered into; path items, operations,
    /// media types and callbacks (which `openapiv3` reads only in place) are copied where they
    /// are referenced instead.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    /// What the value of `key` in an object of this kind holds.
    fn child(self, key: &str) -> Option<Place> {
        use Kind::*;
        use Place::{List, Map, Object};
        Some(match (self, key) {
            (Document, "paths" | "webhooks") => Map(PathItem),
            (Document, "components") => Object(Components),
            (Document, "$defs") => Map(Schema),
            (Components, "pathItems") => Map(PathItem),
            (Components, "mediaTypes") => Map(MediaType),
            (Components, "callbacks") => Map(Callback),
            (Components, section) => Map(Kind::of_section(section)?),
            (PathItem | Operation, "parameters") => List(Parameter),
            (PathItem, "additionalOperations") => Map(Operation),
            (PathItem, method) if METHODS.contains(&method) => Object(Operation),
            (Operation, "requestBody") => Object(RequestBody),
            (Operation, "responses") => Map(Response),
            (Operation, "callbacks") => Map(Callback),
            (Parameter | Header, "schema") | (MediaType, "schema" | "itemSchema") => Object(Schema),
            (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
            (Parameter | Header | MediaType, "examples") => Map(Example),
            (Response | Encoding, "headers") => Map(Header),
            (Response, "links") => Map(Link),
            (MediaType, "encoding") => Map(Encoding),
            (MediaType, "itemEncoding") => Object(Encoding),
            (MediaType, "prefixEncoding") => List(Encoding),
            // A link's parameters and body are runtime expressions or data.
            (Link, _) => return None,
            (Schema, k) if SCHEMA_MAPS.contains(&k) => Map(Schema),
            (Schema, k) if SCHEMA_ONE.contains(&k) => Object(Schema),
            (Schema, k) if SCHEMA_LISTS.contains(&k) => List(Schema),
            (Schema, _) => return None,
            (_, k) if is_data(k) => return None,
            _ => Object(Other),
        })
    }

    fn of_section(section: &str) -> Option<Kind> {
        [
            Kind::Schema,
            Kind::Parameter,
            Kind::Header,
            Kind::RequestBody,
            Kind::Response,
            Kind::Example,
            Kind::Link,
            Kind::SecurityScheme,
        ]
        .into_iter()
        .find(|k| k.section() == Some(section))
    }
}

impl Place {
    /// Whether the place holds a map or list, which OpenAPI never allows a reference for.
    pub fn is_map(self) -> bool {
        matches!(self, Place::Map(_) | Place::List(_))
    }

    /// The kind of component a reference at this place is gathered as, if it is one.
    pub fn gathered(self) -> Option<Kind> {
        match self {
            Place::Object(kind) => kind.section().map(|_| kind),
            Place::Mapping => Some(Kind::Schema),
            _ => None,
        }
    }

    /// The place in words, for messages.
    pub fn describe(self) -> String {
        match self {
            Place::Map(Kind::MediaType) => "a `content` map".to_owned(),
            Place::Map(Kind::Header) => "a `headers` map".to_owned(),
            Place::Map(Kind::Response) => "a `responses` map".to_owned(),
            Place::Map(Kind::Schema) => "a map of schemas".to_owned(),
            Place::List(Kind::Parameter) => "a `parameters` list".to_owned(),
            Place::List(kind) => format!("a list of {kind:?} objects"),
            Place::Map(kind) => format!("a map of {kind:?} objects"),
            Place::Object(Kind::Other) => "a value".to_owned(),
            Place::Object(kind) => format!("a {kind:?} object"),
            Place::Mapping => "a discriminator mapping".to_owned(),
        }
    }
}

/// Every reference in `value`, which stands at a place of the kind `place`, in document order.
pub fn refs(value: &Value, place: Place) -> Vec<Found> {
    let mut out = Vec::new();
    let mut at = String::new();
    walk(value, place, &mut at, &mut out);
    out
}

fn walk(value: &Value, place: Place, at: &mut String, out: &mut Vec<Found>) {
    let kind = match place {
        Place::Object(kind) => return object(value, kind, at, out),
        Place::Map(kind) | Place::List(kind) => kind,
        Place::Mapping => return,
    };
    if let Some(reference) = reference(value) {
        out.push(Found {
            pointer: at.clone(),
            reference: reference.to_owned(),
            place,
        });
        return;
    }
    match value {
        Value::Object(map) => {
            for (name, child) in map {
                // A path or response map's extensions are not entries.
                if name.starts_with("x-") && matches!(kind, Kind::PathItem | Kind::Response) {
                    continue;
                }
                within(at, name, |at| object(child, kind, at, out));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                within(at, &i.to_string(), |at| object(item, kind, at, out));
            }
        }
        _ => {}
    }
}

fn object(value: &Value, kind: Kind, at: &mut String, out: &mut Vec<Found>) {
    if let (Kind::Other, Value::Array(items)) = (kind, value) {
        for (i, item) in items.iter().enumerate() {
            within(at, &i.to_string(), |at| object(item, kind, at, out));
        }
        return;
    }
    let Value::Object(map) = value else {
        return;
    };
    if let Some(reference) = reference(value) {
        out.push(Found {
            pointer: at.clone(),
            reference: reference.to_owned(),
            place: Place::Object(kind),
        });
        // A 3.1 schema may say more beside its reference; other objects may not.
        if kind != Kind::Schema {
            return;
        }
    }
    if kind == Kind::Callback {
        for (expression, item) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
            within(at, expression, |at| object(item, Kind::PathItem, at, out));
        }
        return;
    }
    if kind == Kind::Schema {
        mapping(map, at, out);
    }
    for (key, child) in map {
        if let Some(place) = kind.child(key) {
            within(at, key, |at| walk(child, place, at, out));
        }
    }
}

/// The values of a discriminator's `mapping` that are references (not schema names).
fn mapping(schema: &Map<String, Value>, at: &str, out: &mut Vec<Found>) {
    let Some(Value::Object(mapping)) = schema.get("discriminator").and_then(|d| d.get("mapping"))
    else {
        return;
    };
    for (name, value) in mapping {
        let Some(text) = value.as_str() else {
            continue;
        };
        let is_reference = text.contains(['#', '/'])
            || [".yaml", ".yml", ".json"].iter().any(|e| text.ends_with(e));
        if is_reference {
            out.push(Found {
                pointer: format!("{at}/discriminator/mapping/{}", escape_token(name)),
                reference: text.to_owned(),
                place: Place::Mapping,
            });
        }
    }
}

/// Whether the value of `key` outside a schema is data, never walked for references.
fn is_data(key: &str) -> bool {
    matches!(
        key,
        "example" | "default" | "enum" | "const" | "value" | "dataValue" | "serializedValue"
    ) || key.starts_with("x-")
}

fn reference(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()
}

fn within(at: &mut String, token: &str, f: impl FnOnce(&mut String)) {
    let len = at.len();
    at.push('/');
    at.push_str(&escape_token(token));
    f(at);
    at.truncate(len);
}

/// The pointer of the first schema whose `$anchor` (or `$dynamicAnchor`) is `name`, in `value`.
pub fn anchor(value: &Value, name: &str) -> Option<String> {
    let mut found = None;
    each_object(value, &mut |map, at| {
        let named = |k: &str| map.get(k).and_then(Value::as_str) == Some(name);
        if found.is_none() && (named("$anchor") || named("$dynamicAnchor")) {
            found = Some(at.to_owned());
        }
    });
    found
}
