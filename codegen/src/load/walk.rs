//! Walks a document held as a JSON value: its `$ref`s, and its schemas with their pointers.
//!
//! Object keys are either keywords (`type`, `schema`, `paths`) or names chosen by the spec's
//! author (a property called `default`, a path called `/example`). The walk tells them apart
//! by the keyword whose value it is in, and never walks into data (`example`, `default`,
//! `enum`, `const`, extensions).

use serde_json::{Map, Value};

use crate::error::escape_token;

/// Keywords whose value maps author-chosen names to objects.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "paths",
    "webhooks",
    "responses",
    "content",
    "headers",
    "encoding",
    "callbacks",
    "links",
    "variables",
    "securitySchemes",
    "requestBodies",
    "parameters",
    "pathItems",
    "mapping",
];

/// Keywords of schemas whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords of schemas whose value is one schema.
const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
];

/// Keywords of schemas whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Whether the value of keyword `key` is data rather than part of the document's structure.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Calls `f` with every `$ref` string of the document (not those inside data).
pub fn refs<'v>(value: &'v Value, f: &mut impl FnMut(&'v str)) {
    refs_in(value, false, f);
}

fn refs_in<'v>(value: &'v Value, in_names: bool, f: &mut impl FnMut(&'v str)) {
    match value {
        Value::Object(map) => {
            if !in_names && let Some(Value::String(r)) = map.get("$ref") {
                f(r);
            }
            for (key, child) in map {
                if !in_names && is_data(key) {
                    continue;
                }
                refs_in(child, !in_names && NAME_MAPS.contains(&key.as_str()), f);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs_in(item, false, f)),
        _ => {}
    }
}

/// Keywords whose value is text wherever they stand outside data.
const TEXT_KEYWORDS: &[&str] = &[
    "description",
    "summary",
    "title",
    "operationId",
    "name",
    "version",
    "url",
    "termsOfService",
    "email",
    "format",
    "pattern",
    "propertyName",
    "in",
    "style",
    "scheme",
    "bearerFormat",
    "openIdConnectUrl",
    "authorizationUrl",
    "tokenUrl",
    "refreshUrl",
    "contentType",
    "externalValue",
    "operationRef",
    "$ref",
    "identifier",
    "openapi",
];

/// Keywords whose value is a list of texts (tags of an operation, required property names).
const TEXT_LISTS: &[&str] = &["tags", "required"];

/// Calls `f` on every value that OpenAPI says is text: YAML reads `description: 404` as a
/// number, where its author meant the text.
pub fn texts_mut(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    texts_in(value, false, f);
}

fn texts_in(value: &mut Value, in_names: bool, f: &mut impl FnMut(&mut Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if in_names {
                    texts_in(child, false, f);
                } else if is_data(key) {
                } else if TEXT_KEYWORDS.contains(&key.as_str()) {
                    f(child);
                } else if let (true, Value::Array(items)) =
                    (TEXT_LISTS.contains(&key.as_str()), &mut *child)
                {
                    items.iter_mut().for_each(&mut *f);
                } else {
                    texts_in(child, NAME_MAPS.contains(&key.as_str()), f);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| texts_in(item, false, f)),
        _ => {}
    }
}

/// Calls `f` on every schema of the document with its JSON pointer, a parent before its
/// children, so that `f` may reshape a schema and its children are then walked as reshaped.
/// Boolean schemas (`true`, `false`) are turned into `{}` and `{"not": {}}` first.
pub fn schemas_mut(doc: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>, &str)) {
    structure(doc, false, "", f);
}

/// Calls `f` on `value` as a schema at `pointer` and on every schema inside it.
pub fn schema_mut(
    value: &mut Value,
    pointer: &str,
    f: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    schema(value, pointer, f);
}

fn structure(
    value: &mut Value,
    in_names: bool,
    pointer: &str,
    f: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let at = format!("{pointer}/{}", escape_token(key));
                if in_names {
                    structure(child, false, &at, f);
                } else if is_data(key) {
                } else if key == "schema" {
                    schema(child, &at, f);
                } else if (key == "schemas" && pointer == "/components")
                    || (matches!(key.as_str(), "$defs" | "definitions") && pointer.is_empty())
                {
                    each_entry(child, &at, f);
                } else {
                    structure(child, NAME_MAPS.contains(&key.as_str()), &at, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                structure(item, false, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn each_entry(value: &mut Value, pointer: &str, f: &mut impl FnMut(&mut Map<String, Value>, &str)) {
    if let Value::Object(map) = value {
        for (name, child) in map.iter_mut() {
            schema(child, &format!("{pointer}/{}", escape_token(name)), f);
        }
    }
}

fn schema(value: &mut Value, pointer: &str, f: &mut impl FnMut(&mut Map<String, Value>, &str)) {
    if let Value::Bool(b) = value {
        *value = if *b {
            Value::Object(Map::new())
        } else {
            serde_json::json!({"not": {}})
        };
    }
    let Value::Object(map) = value else {
        return;
    };
    f(map, pointer);
    for (key, child) in map.iter_mut() {
        let at = format!("{pointer}/{}", escape_token(key));
        if SCHEMA_MAPS.contains(&key.as_str()) {
            each_entry(child, &at, f);
        } else if SCHEMA_ONE.contains(&key.as_str()) {
            // `additionalProperties: false` and its kind keep their boolean meaning.
            let boolean_keyword = matches!(
                key.as_str(),
                "additionalProperties" | "unevaluatedProperties"
            );
            if child.is_object() || (child.is_boolean() && !boolean_keyword) {
                schema(child, &at, f);
            }
        } else if SCHEMA_LISTS.contains(&key.as_str())
            && let Value::Array(items) = child
        {
            for (i, item) in items.iter_mut().enumerate() {
                schema(item, &format!("{at}/{i}"), f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_skip_data_but_not_names_that_look_like_data() {
        let doc = json!({
            "paths": {"/example": {"$ref": "#/a"}},
            "components": {"schemas": {"S": {"properties": {
                "default": {"$ref": "#/b"},
                "x-tra": {"$ref": "#/c"},
            }, "example": {"$ref": "#/not-a-ref"}, "x-ext": {"$ref": "#/nor-this"}}}}
        });
        let mut found = Vec::new();
        refs(&doc, &mut |r| found.push(r));
        found.sort();
        assert_eq!(found, ["#/a", "#/b", "#/c"]);
    }

    #[test]
    fn schemas_are_visited_with_their_pointers() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "p", "schema": {"type": "string"}}]}}},
            "components": {"schemas": {"S": {
                "properties": {"enum": {"items": true}},
                "anyOf": [{"type": "string"}],
                "additionalProperties": false,
            }}}
        });
        let mut seen = Vec::new();
        schemas_mut(&mut doc, &mut |_, p| seen.push(p.to_owned()));
        seen.sort();
        assert_eq!(
            seen,
            [
                "/components/schemas/S",
                "/components/schemas/S/anyOf/0",
                "/components/schemas/S/properties/enum",
                "/components/schemas/S/properties/enum/items",
                "/paths/~1a/get/parameters/0/schema",
            ]
        );
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"]["enum"]["items"],
            json!({})
        );
        assert_eq!(
            doc["components"]["schemas"]["S"]["additionalProperties"],
            json!(false)
        );
    }
}
