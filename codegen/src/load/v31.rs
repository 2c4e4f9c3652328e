//! Reads an OpenAPI 3.1 document into the 3.0 model, as JSON, before `openapiv3` parses it.
//!
//! Each rewrite keeps the schema's meaning where the 3.0 model can say it (`type: [string,
//! "null"]` is `type: string, nullable: true`; `const: x` is `enum: [x]`; a `$ref` with
//! siblings is an `allOf` of the reference and the siblings) and leaves a located warning where
//! it cannot. Pointers that a rewrite moves are recorded, so that errors still name the
//! source's own pointer.

use serde_json::{Map, Value, json};

use super::walk;
use crate::error::{Error, ErrorKind, escape_token};

/// The OpenAPI 3.1 base dialect; any other `jsonSchemaDialect` is read as this one.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords that `$ref` may stand beside without changing what the reference means.
const INERT_BESIDE_REF: &[&str] = &[
    "$comment",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "summary",
];

/// What a normalization noted: approximations, losses, and the pointers it moved.
#[derive(Debug, Default)]
pub struct Notes {
    /// Where the 3.0 model says less than the document, without losing data.
    pub warnings: Vec<Error>,
    /// What the 3.0 model cannot hold at all: left out, an error when lowering is strict.
    pub losses: Vec<Error>,
    /// Pointers a rewrite introduced, with the source pointers they stand for, in order.
    pub rewrites: Vec<(String, String)>,
}

impl Notes {
    pub(super) fn warn(&mut self, pointer: &str, message: String) {
        self.warnings
            .push(Error::new(ErrorKind::Unsupported(message), pointer));
    }

    pub(super) fn lose(&mut self, pointer: &str, message: String) {
        self.losses
            .push(Error::new(ErrorKind::Unsupported(message), pointer));
    }

    /// Records that what is now at `now` stood at `was` in the source.
    pub(super) fn moved(&mut self, now: String, was: String) {
        if now != was {
            self.rewrites.push((now, was));
        }
    }
}

/// Rewrites a 3.1 document in place into the 3.0 model.
pub fn normalize(doc: &mut Value, notes: &mut Notes) {
    document(doc, notes);
    walk::schemas_mut(doc, &mut |s, pointer| schema(s, pointer, notes));
}

/// `readOnly` or `writeOnly` beside a `$ref` in a 3.0 document, which 3.0 says to ignore and
/// vendors write meaning it: read as 3.1 reads siblings (an `allOf` of the reference, with the
/// siblings beside it), with a located warning.
pub fn access_beside_references(doc: &mut Value, notes: &mut Notes) {
    walk::schemas_mut(doc, &mut |s, pointer| {
        access_beside_reference(s, pointer, notes)
    });
}

/// [`access_beside_references`] of a copy of what a `$ref` names, read as a schema or not.
pub fn access_beside_references_in(value: &mut Value, pointer: &str, as_schema: bool) {
    let mut notes = Notes::default();
    let mut each = |s: &mut Map<String, Value>, p: &str| access_beside_reference(s, p, &mut notes);
    if as_schema {
        walk::schema_mut(value, pointer, &mut each);
    } else {
        walk::schemas_mut_at(value, pointer, &mut each);
    }
}

fn access_beside_reference(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    let marked = ["readOnly", "writeOnly"]
        .into_iter()
        .find(|k| s.get(*k) == Some(&Value::Bool(true)));
    if let (true, Some(keyword)) = (s.contains_key("$ref"), marked) {
        notes.warn(
            &format!("{pointer}/{keyword}"),
            format!(
                "`{keyword}` beside a `$ref`, which OpenAPI 3.0 ignores (so it is read as 3.1 \
                 reads it: the property is {})",
                if keyword == "readOnly" {
                    "read-only"
                } else {
                    "write-only"
                }
            ),
        );
        reference_with_siblings(s, pointer, notes);
    }
}

/// Rewrites a copy of what a `$ref` names at `pointer`, read as a schema or as another object
/// (a path item, say), the way [`normalize`] rewrites the whole document.
pub fn normalize_target(value: &mut Value, pointer: &str, as_schema: bool, notes: &mut Notes) {
    if as_schema {
        walk::schema_mut(value, pointer, &mut |s, p| schema(s, p, notes));
    } else {
        path_item(value);
        walk::schemas_mut_at(value, pointer, &mut |s, p| schema(s, p, notes));
    }
}

/// What 3.1 changed outside schemas: `paths` and `responses` became optional, mutual TLS.
fn document(doc: &mut Value, notes: &mut Notes) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(dialect) = root.get("jsonSchemaDialect").and_then(Value::as_str)
        && dialect != OAS_DIALECT
    {
        notes.warn(
            "/jsonSchemaDialect",
            format!("schema dialect {dialect:?} (so schemas are read as the OpenAPI 3.1 dialect)"),
        );
    }
    root.entry("paths").or_insert_with(|| json!({}));
    for key in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(key) {
            items.values_mut().for_each(path_item);
        }
    }
    let components = root.get_mut("components").and_then(Value::as_object_mut);
    let Some(components) = components else {
        return;
    };
    if let Some(Value::Object(items)) = components.get_mut("pathItems") {
        items.values_mut().for_each(path_item);
    }
    if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect();
        for key in mutual {
            schemes.remove(&key);
            notes.lose(
                &format!("/components/securitySchemes/{}", escape_token(&key)),
                format!("security scheme `{key}` is mutual TLS (so it is left out: give the client a `reqwest::Client` with the certificate)"),
            );
        }
    }
}

/// The operations of a path item, each with where it stands in the item (`get`, `query`,
/// `additionalOperations/LINK`).
pub(super) fn operations_mut(item: &mut Value) -> Vec<(String, &mut Map<String, Value>)> {
    let mut out = Vec::new();
    let Some(item) = item.as_object_mut() else {
        return out;
    };
    for (key, value) in item.iter_mut() {
        match (key.as_str(), value) {
            (ADDITIONAL, Value::Object(more)) => {
                for (method, op) in more.iter_mut() {
                    if let Value::Object(op) = op {
                        out.push((format!("{ADDITIONAL}/{}", escape_token(method)), op));
                    }
                }
            }
            (key, Value::Object(op)) if METHODS.contains(&key) || key == QUERY => {
                out.push((key.to_owned(), op));
            }
            _ => {}
        }
    }
    out
}

/// OpenAPI 3.2's path item keys of the operations its fixed fields leave out.
pub(super) const QUERY: &str = "query";
pub(super) const ADDITIONAL: &str = "additionalOperations";

/// Gives every operation of a path item (and of its callbacks) the `responses` 3.0 requires.
fn path_item(item: &mut Value) {
    for (_, op) in operations_mut(item) {
        op.entry("responses").or_insert_with(|| json!({}));
        if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
            for callback in callbacks.values_mut() {
                if let Value::Object(items) = callback {
                    items.values_mut().for_each(path_item);
                }
            }
        }
    }
}

/// Rewrites one schema object; the walk then visits its children as rewritten.
fn schema(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    reference_with_siblings(s, pointer, notes);
    constant(s);
    type_list(s, pointer, notes);
    examples(s);
    exclusive_bounds(s);
    content_encoding(s);
    boolean_subschemas(s);
    null_members(s, pointer, notes);
    prefix_items(s, pointer, notes);
    unevaluated_properties(s, pointer, notes);
    pattern_properties(s, pointer, notes);
    conditionals(s, pointer, notes);
    default_mapping(s, pointer, notes);
}

/// OpenAPI 3.2's `defaultMapping` outside a union of events (where it names the fallback
/// event): a value of no mapped name is the union's `Unknown`, not the schema it names.
fn default_mapping(s: &Map<String, Value>, pointer: &str, notes: &mut Notes) {
    if s.get("discriminator")
        .and_then(|d| d.get("defaultMapping"))
        .is_some()
    {
        notes.warn(
            &format!("{pointer}/discriminator/defaultMapping"),
            "a discriminator's `defaultMapping` (so a value of another name decodes as the union's \
             `Unknown` variant, whole, not as the schema it names)"
                .to_owned(),
        );
    }
}

/// `{$ref: X, description: d}` applies both in 3.1: it becomes `{allOf: [{$ref: X}], description: d}`.
fn reference_with_siblings(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    if !s.contains_key("$ref")
        || s.keys()
            .all(|k| k == "$ref" || INERT_BESIDE_REF.contains(&k.as_str()))
    {
        return;
    }
    if s.get("allOf").is_some_and(|a| !a.is_array()) {
        return;
    }
    let reference = s.remove("$ref").unwrap_or_default();
    let all = s.entry("allOf").or_insert_with(|| json!([]));
    if let Value::Array(list) = all {
        list.push(json!({ "$ref": reference }));
        notes.moved(
            format!("{pointer}/allOf/{}", list.len() - 1),
            pointer.to_owned(),
        );
    }
}

/// `const: x` is `enum: [x]`, typed after `x` when the schema gives no type.
fn constant(s: &mut Map<String, Value>) {
    let Some(value) = s.remove("const") else {
        return;
    };
    if !s.contains_key("type") {
        let ty = match &value {
            Value::String(_) => Some("string"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            Value::Bool(_) => Some("boolean"),
            Value::Null => {
                s.insert("nullable".into(), Value::Bool(true));
                None
            }
            Value::Array(_) | Value::Object(_) => None,
        };
        if let Some(ty) = ty {
            s.insert("type".into(), json!(ty));
        }
    }
    s.entry("enum").or_insert_with(|| json!([value]));
}

/// The keywords that only apply to values of JSON type `ty`.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "contentMediaType",
            "contentEncoding",
        ],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "unevaluatedItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "unevaluatedProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
        ],
        _ => &[],
    }
}

/// Whether an enum value can be a value of JSON type `ty`.
fn fits(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// `type: [t, "null"]` is `type: t, nullable: true`; several types are an `anyOf` of one schema
/// per type, each with the keywords that apply to it.
fn type_list(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    let types: Vec<String> = match s.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return,
    };
    if types.iter().any(|t| t == "null") {
        s.insert("nullable".into(), Value::Bool(true));
    }
    let mut rest: Vec<String> = Vec::new();
    for t in types.into_iter().filter(|t| t != "null") {
        if !rest.contains(&t) {
            rest.push(t);
        }
    }
    // An integer is a number: `[integer, number]` is a number.
    if rest.iter().any(|t| t == "number") {
        rest.retain(|t| t != "integer");
    }
    match rest.len() {
        0 => {
            s.remove("type");
        }
        1 => {
            s.insert("type".into(), json!(rest[0]));
        }
        _ if ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| s.contains_key(*k)) =>
        {
            s.remove("type");
            notes.warn(
                &format!("{pointer}/type"),
                "a list of types beside `allOf`, `anyOf` or `oneOf` (so the types are not checked)"
                    .into(),
            );
        }
        _ => split_types(s, &rest, pointer, notes),
    }
}

fn split_types(s: &mut Map<String, Value>, types: &[String], pointer: &str, notes: &mut Notes) {
    s.remove("type");
    let values = s.remove("enum");
    let format = s.remove("format");
    let mut members = Vec::new();
    for ty in types {
        let mut member = Map::new();
        member.insert("type".into(), json!(ty));
        for key in keywords_of(ty) {
            if let Some(v) = s.get(*key) {
                member.insert((*key).into(), v.clone());
            }
        }
        if let Some(f) = &format {
            let numeric = matches!(f.as_str(), Some("int32" | "int64" | "float" | "double"));
            if numeric == matches!(ty.as_str(), "integer" | "number") {
                member.insert("format".into(), f.clone());
            }
        }
        if let Some(Value::Array(values)) = &values {
            let own: Vec<Value> = values.iter().filter(|v| fits(ty, v)).cloned().collect();
            if own.is_empty() {
                continue;
            }
            member.insert("enum".into(), Value::Array(own));
        }
        notes.moved(
            format!("{pointer}/anyOf/{}", members.len()),
            pointer.to_owned(),
        );
        members.push(Value::Object(member));
    }
    for ty in types {
        for key in keywords_of(ty) {
            s.remove(*key);
        }
    }
    s.insert("anyOf".into(), Value::Array(members));
}

/// A schema's `examples` list: its first value is the 3.0 `example`.
fn examples(s: &mut Map<String, Value>) {
    if !matches!(s.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(list)) = s.remove("examples")
        && !s.contains_key("example")
        && let Some(first) = list.into_iter().next()
    {
        s.insert("example".into(), first);
    }
}

/// Numeric `exclusiveMinimum: n` is `minimum: n, exclusiveMinimum: true`.
fn exclusive_bounds(s: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = s.get(exclusive).cloned() {
            s.insert(exclusive.into(), Value::Bool(true));
            s.insert(bound.into(), Value::Number(n));
        }
    }
}

/// `contentEncoding: base64` is `format: byte`; other encoded content is `format: binary`.
fn content_encoding(s: &mut Map<String, Value>) {
    let encoding = s.remove("contentEncoding");
    let media = s.remove("contentMediaType");
    s.remove("contentSchema");
    if encoding.is_none() && media.is_none() {
        return;
    }
    if s.get("type").is_some_and(|t| t != "string") || s.contains_key("format") {
        return;
    }
    s.insert("type".into(), json!("string"));
    let base64 = encoding
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|e| e.starts_with("base64"));
    let text = media
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|m| m.starts_with("text/") || m.contains("json") || m.contains("xml"));
    if base64 {
        s.insert("format".into(), json!("byte"));
    } else if !text {
        s.insert("format".into(), json!("binary"));
    }
}

/// A property whose schema is `false` may not appear: it is no field. `items: false` only
/// closes a tuple, which `prefix_items` reads.
fn boolean_subschemas(s: &mut Map<String, Value>) {
    if let Some(Value::Object(properties)) = s.get_mut("properties") {
        properties.retain(|_, v| *v != Value::Bool(false));
    }
}

/// Whether `v` is a schema that allows only `null`.
fn only_null(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => list.iter().all(|t| t == "null") && !list.is_empty(),
        _ => v.get("enum") == Some(&json!([null])) || v.get("const") == Some(&Value::Null),
    }
}

/// `anyOf: [X, {type: "null"}]` (FastAPI's `Optional[X]`) is `anyOf: [X], nullable: true`.
fn null_members(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(list)) = s.get_mut(key) else {
            continue;
        };
        if !list.iter().any(only_null) {
            continue;
        }
        let kept: Vec<(usize, Value)> = std::mem::take(list)
            .into_iter()
            .enumerate()
            .filter(|(_, v)| !only_null(v))
            .collect();
        for (now, (was, _)) in kept.iter().enumerate() {
            notes.moved(
                format!("{pointer}/{key}/{now}"),
                format!("{pointer}/{key}/{was}"),
            );
        }
        *list = kept.into_iter().map(|(_, v)| v).collect();
        if list.is_empty() {
            s.remove(key);
        }
        s.insert("nullable".into(), Value::Bool(true));
    }
}

/// A tuple (`prefixItems`) is read as a list whose items may be any of its positions.
fn prefix_items(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    if !matches!(s.get("prefixItems"), Some(Value::Array(_))) {
        if s.get("items") == Some(&Value::Bool(false)) {
            s.remove("items");
        }
        return;
    }
    let Some(Value::Array(mut members)) = s.remove("prefixItems") else {
        return;
    };
    let mut origins: Vec<String> = (0..members.len())
        .map(|i| format!("{pointer}/prefixItems/{i}"))
        .collect();
    match s.remove("items") {
        None | Some(Value::Bool(_)) => {}
        Some(rest) => {
            members.push(rest);
            origins.push(format!("{pointer}/items"));
        }
    }
    if members.is_empty() {
        return;
    }
    notes.warn(
        &format!("{pointer}/prefixItems"),
        "a tuple (`prefixItems`) (so it is a list whose items may be any of its positions)".into(),
    );
    if members.iter().all(|m| *m == members[0]) {
        notes.moved(format!("{pointer}/items"), origins.swap_remove(0));
        s.insert("items".into(), members.swap_remove(0));
        return;
    }
    for (i, was) in origins.into_iter().enumerate() {
        notes.moved(format!("{pointer}/items/anyOf/{i}"), was);
    }
    s.insert("items".into(), json!({ "anyOf": members }));
}

/// `unevaluatedProperties` is what `additionalProperties` says of the merged object.
fn unevaluated_properties(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    s.remove("unevaluatedItems");
    let Some(value) = s.remove("unevaluatedProperties") else {
        return;
    };
    if !s.contains_key("additionalProperties") {
        notes.moved(
            format!("{pointer}/additionalProperties"),
            format!("{pointer}/unevaluatedProperties"),
        );
        s.insert("additionalProperties".into(), value);
    }
}

/// Properties matched by pattern are, for a Rust type, extra properties of the pattern's schema.
fn pattern_properties(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    let Some(Value::Object(patterns)) = s.remove("patternProperties") else {
        return;
    };
    if s.contains_key("additionalProperties") || patterns.is_empty() {
        return;
    }
    let origins: Vec<String> = patterns
        .keys()
        .map(|k| format!("{pointer}/patternProperties/{}", escape_token(k)))
        .collect();
    let mut schemas: Vec<Value> = patterns.into_iter().map(|(_, v)| v).collect();
    if schemas.len() == 1 {
        notes.moved(
            format!("{pointer}/additionalProperties"),
            origins[0].clone(),
        );
        s.insert("additionalProperties".into(), schemas.swap_remove(0));
        return;
    }
    for (i, was) in origins.into_iter().enumerate() {
        notes.moved(format!("{pointer}/additionalProperties/anyOf/{i}"), was);
    }
    s.insert("additionalProperties".into(), json!({ "anyOf": schemas }));
}

/// `if`/`then`/`else` and `dependentSchemas` only validate, unless they add properties, which
/// the generated type cannot have.
fn conditionals(s: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    for key in ["if", "then", "else", "dependentSchemas"] {
        let Some(value) = s.remove(key) else {
            continue;
        };
        let adds = match key {
            "dependentSchemas" => value
                .as_object()
                .is_some_and(|m| m.values().any(|v| v.get("properties").is_some())),
            _ => value.get("properties").is_some(),
        };
        if adds && key != "if" {
            notes.lose(
                &format!("{pointer}/{key}"),
                format!(
                    "properties added by `{key}` (so they are not fields of the generated type)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Normalizes `doc` in place; its warnings and losses, and its pointer rewrites.
    fn run(doc: &mut Value) -> (Vec<Error>, Vec<(String, String)>) {
        let mut notes = Notes::default();
        normalize(doc, &mut notes);
        notes.warnings.extend(notes.losses);
        (notes.warnings, notes.rewrites)
    }

    fn normalized(schema: Value) -> (Value, Vec<String>, Vec<(String, String)>) {
        let mut doc = json!({"components": {"schemas": {"S": schema}}});
        let (warnings, rewrites) = run(&mut doc);
        let messages = warnings.iter().map(|w| w.to_string()).collect();
        (
            doc["components"]["schemas"]["S"].clone(),
            messages,
            rewrites,
        )
    }

    #[test]
    fn type_lists() {
        let (s, ..) = normalized(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        let (s, _, moved) = normalized(json!({
            "type": ["integer", "string", "array"], "items": {"type": "integer"},
            "enum": [1, "a", null], "description": "d"
        }));
        assert_eq!(
            s,
            json!({
                "description": "d",
                "anyOf": [{"type": "integer", "enum": [1]}, {"type": "string", "enum": ["a"]}]
            })
        );
        assert!(moved.contains(&(
            "/components/schemas/S/anyOf/1".into(),
            "/components/schemas/S".into()
        )));
        let (s, ..) =
            normalized(json!({"type": ["array", "object"], "items": {"type": "integer"}}));
        assert_eq!(
            s["anyOf"][0],
            json!({"type": "array", "items": {"type": "integer"}})
        );
        assert_eq!(s["anyOf"][1], json!({"type": "object"}));
    }

    #[test]
    fn null_members_make_the_schema_nullable() {
        let (s, _, moved) = normalized(json!({
            "anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}], "default": null
        }));
        assert_eq!(
            s,
            json!({"anyOf": [{"$ref": "#/components/schemas/T"}], "nullable": true, "default": null})
        );
        assert_eq!(
            moved,
            [(
                "/components/schemas/S/anyOf/0".to_owned(),
                "/components/schemas/S/anyOf/1".to_owned()
            )]
        );
    }

    #[test]
    fn references_with_siblings_become_all_of() {
        let (s, _, moved) =
            normalized(json!({"$ref": "#/components/schemas/T", "description": "d"}));
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d"})
        );
        assert_eq!(
            moved,
            [(
                "/components/schemas/S/allOf/0".to_owned(),
                "/components/schemas/S".to_owned()
            )]
        );
        let (s, ..) = normalized(json!({"$ref": "#/components/schemas/T", "$comment": "c"}));
        assert_eq!(s["$ref"], "#/components/schemas/T");
    }

    #[test]
    fn constants_examples_bounds_and_content() {
        let (s, ..) = normalized(json!({"const": "cat"}));
        assert_eq!(s, json!({"type": "string", "enum": ["cat"]}));
        let (s, ..) =
            normalized(json!({"type": "integer", "examples": [7, 8], "exclusiveMinimum": 0}));
        assert_eq!(
            s,
            json!({"type": "integer", "example": 7, "exclusiveMinimum": true, "minimum": 0})
        );
        let (s, ..) = normalized(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, ..) = normalized(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
    }

    #[test]
    fn tuples_patterns_and_unevaluated_properties() {
        let (s, warnings, _) = normalized(json!({
            "type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false
        }));
        assert_eq!(
            s,
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
        );
        assert!(warnings[0].contains("prefixItems"), "{warnings:?}");
        let (s, ..) =
            normalized(json!({"type": "object", "patternProperties": {"^x": {"type": "integer"}}}));
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "integer"}})
        );
        let (s, ..) = normalized(json!({"type": "object", "unevaluatedProperties": false}));
        assert_eq!(s, json!({"type": "object", "additionalProperties": false}));
        let (s, ..) = normalized(json!({"properties": {"a": true, "b": false}}));
        assert_eq!(s, json!({"properties": {"a": {}}}));
    }

    #[test]
    fn document_level_rewrites() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "webhooks": {"w": {"post": {"requestBody": {"content": {}}}}},
            "components": {"securitySchemes": {"m": {"type": "mutualTLS"}}}
        });
        let (warnings, _) = run(&mut doc);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["webhooks"]["w"]["post"]["responses"], json!({}));
        assert_eq!(doc["components"]["securitySchemes"], json!({}));
        assert_eq!(warnings[0].pointer, "/components/securitySchemes/m");
    }
}
