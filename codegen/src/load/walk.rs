//! Walks a document held as a JSON value: its keywords, and its schemas, with their pointers.
//!
//! Object keys are either keywords (`type`, `schema`, `paths`) or names chosen by the spec's
//! author (a property called `default`, a path called `/example`). The walk tells them apart by
//! the keyword whose value a map is, and never walks into data (`example`, `default`, `enum`,
//! `const`, an example's `value`, extensions).

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
    "examples",
];

/// Keywords of schemas whose value maps names to schemas.
pub(super) const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords of schemas whose value is one schema.
pub(super) const SCHEMA_ONE: &[&str] = &[
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
pub(super) const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

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

/// Whether the value of keyword `key` is data rather than part of the document's structure.
/// (`examples` is data in a schema, a list; elsewhere it names example objects.)
fn is_data(key: &str, value: &Value) -> bool {
    matches!(key, "example" | "default" | "enum" | "const" | "value")
        || (key == "examples" && value.is_array())
        || key.starts_with("x-")
}

/// What a visitor wants after seeing a keyword's value.
pub enum Step {
    /// Walk on into the value.
    Descend,
    /// The visitor handled the value: do not walk into it.
    Skip,
}

/// Calls `f(keyword, value, pointer)` for every object member that stands for a keyword (not a
/// name, not inside data), outermost first. The pointer is the value's.
pub fn keywords_mut(value: &mut Value, f: &mut impl FnMut(&str, &mut Value, &str) -> Step) {
    keywords_at(value, "", f);
}

/// [`keywords_mut`] for a part of a document that stands at `base`.
fn keywords_at(value: &mut Value, base: &str, f: &mut impl FnMut(&str, &mut Value, &str) -> Step) {
    let mut pointer = base.to_owned();
    keywords_in(value, false, &mut pointer, f);
}

fn keywords_in(
    value: &mut Value,
    in_names: bool,
    pointer: &mut String,
    f: &mut impl FnMut(&str, &mut Value, &str) -> Step,
) {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                if in_names {
                    keywords_in(child, false, pointer, f);
                } else if !is_data(key, child) && matches!(f(key, child, pointer), Step::Descend) {
                    keywords_in(child, NAME_MAPS.contains(&key.as_str()), pointer, f);
                }
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                keywords_in(item, false, pointer, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The `$ref` strings of the document (not those inside data).
pub fn refs(value: &mut Value) -> Vec<String> {
    let mut found = Vec::new();
    keywords_mut(value, &mut |key, v, _| {
        if let ("$ref", Value::String(r)) = (key, &*v) {
            found.push(r.clone());
        }
        Step::Descend
    });
    found
}

/// Calls `f` on every value that OpenAPI says is text: YAML reads `description: 404` as a
/// number, where its author meant the text.
pub fn texts_mut(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    keywords_mut(value, &mut |key, v, _| {
        if TEXT_KEYWORDS.contains(&key) {
            f(v);
            return Step::Skip;
        }
        if let (true, Value::Array(items)) = (TEXT_LISTS.contains(&key), &mut *v) {
            items.iter_mut().for_each(&mut *f);
            return Step::Skip;
        }
        // A server variable's `default` and `enum` are text, not data.
        if let ("variables", Value::Object(variables)) = (key, &mut *v) {
            for variable in variables.values_mut().filter_map(Value::as_object_mut) {
                variable.get_mut("default").into_iter().for_each(&mut *f);
                if let Some(Value::Array(values)) = variable.get_mut("enum") {
                    values.iter_mut().for_each(&mut *f);
                }
            }
        }
        Step::Descend
    });
}

/// Calls `f` on every schema of the document with its JSON pointer, a parent before its
/// children, so that `f` may reshape a schema and its children are then walked as reshaped.
/// Boolean schemas (`true`, `false`) are turned into `{}` and `{"not": {}}` first.
pub fn schemas_mut(doc: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>, &str)) {
    schemas_mut_at(doc, "", f);
}

/// [`schemas_mut`] for a part of a document that stands at `base`.
pub fn schemas_mut_at(
    value: &mut Value,
    base: &str,
    f: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    keywords_at(value, base, &mut |key, value, pointer| {
        let maps_schemas = matches!(pointer, "/components/schemas" | "/$defs" | "/definitions");
        if maps_schemas {
            each_entry(value, pointer, f);
            Step::Skip
        } else if key == "schema" {
            schema(value, pointer, f);
            Step::Skip
        } else {
            Step::Descend
        }
    });
}

/// Calls `f` on `value` as a schema at `pointer` and on every schema inside it.
pub fn schema_mut(
    value: &mut Value,
    pointer: &str,
    f: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    schema(value, pointer, f);
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

/// Calls `f` with every object in `value` (not under an extension) and its pointer, outermost
/// first, in document order.
pub fn each_object(value: &Value, f: &mut impl FnMut(&Map<String, Value>, &str)) {
    fn walk(value: &Value, at: &mut String, f: &mut impl FnMut(&Map<String, Value>, &str)) {
        match value {
            Value::Object(map) => {
                f(map, at);
                for (key, child) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&escape_token(key));
                    walk(child, at, f);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    walk(item, at, f);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    walk(value, &mut String::new(), f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_skip_data_but_not_names_that_look_like_data() {
        let mut doc = json!({
            "paths": {"/example": {"$ref": "#/a"}},
            "components": {"schemas": {"S": {"properties": {
                "default": {"$ref": "#/b"},
                "x-tra": {"$ref": "#/c"},
                "value": {"$ref": "#/d"},
            }, "example": {"$ref": "#/not-a-ref"}, "x-ext": {"$ref": "#/nor-this"},
               "examples": [{"$ref": "#/nor-that"}]}}},
            "x-media": {"content": {"application/json": {"examples": {
                "one": {"$ref": "#/e"}, "two": {"value": {"$ref": "#/data"}}
            }}}}
        });
        let mut found = refs(&mut doc);
        found.sort();
        assert_eq!(found, ["#/a", "#/b", "#/c", "#/d"]);
        let mut media = doc["x-media"].clone();
        assert_eq!(refs(&mut media), ["#/e"]);
    }

    #[test]
    fn texts_include_server_variables() {
        let mut doc = json!({
            "paths": {"/a": {"servers": [{"url": "h", "variables": {"port": {"default": 8080, "enum": [8080, 9090]}}}]}},
            "components": {"schemas": {"S": {"description": 404, "default": 1}}}
        });
        texts_mut(&mut doc, &mut |v| {
            if v.is_number() {
                *v = Value::String(v.to_string());
            }
        });
        let variable = &doc["paths"]["/a"]["servers"][0]["variables"]["port"];
        assert_eq!(variable["default"], "8080");
        assert_eq!(variable["enum"], json!(["8080", "9090"]));
        assert_eq!(doc["components"]["schemas"]["S"]["description"], "404");
        assert_eq!(doc["components"]["schemas"]["S"]["default"], 1);
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
