//! Reads what OpenAPI 3.2 adds to 3.1 into the model the rest of the generator reads, before
//! the 3.1 rewrite (`v31.rs`) runs on the same document. What the model can hold is moved
//! there (a response `summary` where the `description` is left out, media types shared under
//! `components/mediaTypes`, an example's `dataValue`); what it cannot is a located loss (an
//! operation of the `query` method or of `additionalOperations`, a `querystring` parameter),
//! and what only documents is a located warning (`$self`, tag `parent` and `kind`, the
//! discriminator's `defaultMapping`, the `deviceAuthorization` flow, `itemEncoding`). The
//! stream's `itemSchema` is read for every version, by `items.rs`.

use serde_json::{Map, Value};

use super::v31::Notes;
use crate::error::escape_token;

/// Rewrites a 3.2 document in place into what the 3.1 reading takes.
pub fn normalize(doc: &mut Value, notes: &mut Notes) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if root.contains_key("$self") {
        notes.warn(
            "/$self",
            "`$self` (so references resolve against the document's own location, not this URI)"
                .to_owned(),
        );
    }
    tags(root, notes);
    let media_types = root
        .get("components")
        .and_then(|c| c.get("mediaTypes"))
        .cloned()
        .unwrap_or(Value::Null);
    for key in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(key) {
            for (path, item) in items.iter_mut() {
                let at = format!("/{key}/{}", escape_token(path));
                path_item(item, &at, &media_types, notes);
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.remove("mediaTypes");
        shared(components, &media_types, notes);
    }
}

fn tags(root: &Map<String, Value>, notes: &mut Notes) {
    let Some(Value::Array(tags)) = root.get("tags") else {
        return;
    };
    for (i, tag) in tags.iter().enumerate() {
        for key in ["parent", "kind"] {
            if tag.get(key).is_some() {
                notes.warn(
                    &format!("/tags/{i}/{key}"),
                    format!(
                        "a tag's `{key}` (so each tag is a feature of its own, whatever its place)"
                    ),
                );
            }
        }
    }
}

/// The components that hold what path items hold: responses, parameters, path items.
fn shared(components: &mut Map<String, Value>, media_types: &Value, notes: &mut Notes) {
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, r) in responses.iter_mut() {
            let at = format!("/components/responses/{}", escape_token(name));
            response(r, &at, media_types, notes);
        }
    }
    if let Some(Value::Object(items)) = components.get_mut("pathItems") {
        for (name, item) in items.iter_mut() {
            let at = format!("/components/pathItems/{}", escape_token(name));
            path_item(item, &at, media_types, notes);
        }
    }
    if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
        for (name, scheme) in schemes.iter() {
            if scheme.pointer("/flows/deviceAuthorization").is_some() {
                let at = format!(
                    "/components/securitySchemes/{}/flows/deviceAuthorization",
                    escape_token(name)
                );
                notes.warn(&at, "the device authorization flow (so its tokens come from a token source the client is given)".to_owned());
            }
        }
    }
}

fn path_item(item: &mut Value, at: &str, media_types: &Value, notes: &mut Notes) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    if item.remove("query").is_some() {
        notes.lose(
            &format!("{at}/query"),
            "an operation of the QUERY method (so it is left out)".to_owned(),
        );
    }
    if let Some(Value::Object(more)) = item.remove("additionalOperations") {
        for method in more.keys() {
            notes.lose(
                &format!("{at}/additionalOperations/{}", escape_token(method)),
                format!("an operation of the {method} method (so it is left out)"),
            );
        }
    }
    parameters(item, at, notes);
    for (method, op) in item.iter_mut() {
        let Value::Object(op) = op else {
            continue;
        };
        let at = format!("{at}/{method}");
        parameters(op, &at, notes);
        if let Some(Value::Object(body)) = op.get_mut("requestBody") {
            content(body, &format!("{at}/requestBody"), media_types, notes);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, r) in responses.iter_mut() {
                let at = format!("{at}/responses/{}", escape_token(status));
                response(r, &at, media_types, notes);
            }
        }
    }
}

/// Leaves out the `querystring` parameters of `holder`, recording where the others moved.
fn parameters(holder: &mut Map<String, Value>, at: &str, notes: &mut Notes) {
    let Some(Value::Array(params)) = holder.get_mut("parameters") else {
        return;
    };
    let querystring = |p: &Value| p.get("in").and_then(Value::as_str) == Some("querystring");
    // A parameter left out has no place in the rewritten document: its loss stands at a
    // pointer of its own that only the source's maps back to (recorded before the moves of
    // the others, so that theirs never take it).
    for (i, _) in params.iter().enumerate().filter(|(_, p)| querystring(p)) {
        let gone = format!("{at}/parameters/querystring-{i}");
        notes.moved(gone.clone(), format!("{at}/parameters/{i}"));
        notes.lose(
            &gone,
            "a `querystring` parameter, the whole query from one schema (so it is left out)"
                .to_owned(),
        );
    }
    let mut kept = Vec::with_capacity(params.len());
    for (i, p) in std::mem::take(params).into_iter().enumerate() {
        if !querystring(&p) {
            notes.moved(
                format!("{at}/parameters/{}", kept.len()),
                format!("{at}/parameters/{i}"),
            );
            kept.push(p);
        }
    }
    *params = kept;
}

/// A response: its `summary` as the `description` 3.1 requires, when that is left out.
fn response(r: &mut Value, at: &str, media_types: &Value, notes: &mut Notes) {
    let Some(r) = r.as_object_mut() else {
        return;
    };
    if r.contains_key("$ref") {
        return;
    }
    if !r.contains_key("description") {
        let summary = r.get("summary").cloned().unwrap_or_else(|| Value::from(""));
        r.insert("description".to_owned(), summary);
    }
    content(r, at, media_types, notes);
}

/// The media types of a body or a response: shared ones (`$ref` to `components/mediaTypes`)
/// in their place, examples' `dataValue` as their `value`.
fn content(holder: &mut Map<String, Value>, at: &str, media_types: &Value, notes: &mut Notes) {
    let Some(Value::Object(content)) = holder.get_mut("content") else {
        return;
    };
    for (key, media) in content.iter_mut() {
        let at = format!("{at}/content/{}", escape_token(key));
        let shared = media
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/mediaTypes/"))
            .map(str::to_owned);
        if let Some(name) = shared {
            let Some(target) = media_types.get(&name) else {
                continue;
            };
            *media = target.clone();
            notes.moved(
                at.clone(),
                format!("/components/mediaTypes/{}", escape_token(&name)),
            );
        }
        let Value::Object(media) = media else {
            continue;
        };
        for key in ["itemEncoding", "prefixEncoding"] {
            if media.remove(key).is_some() {
                notes.warn(
                    &format!("{at}/{key}"),
                    format!("`{key}` (so the parts of the sequence are not typed one by one)"),
                );
            }
        }
        if let Some(Value::Object(examples)) = media.get_mut("examples") {
            examples.values_mut().for_each(data_value);
        }
    }
}

/// An example's `dataValue` (the data, before serialization) as the `value` earlier versions
/// give.
fn data_value(example: &mut Value) {
    let Some(example) = example.as_object_mut() else {
        return;
    };
    if let Some(data) = example.remove("dataValue") {
        example.entry("value").or_insert(data);
    }
    example.remove("serializedValue");
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(mut doc: Value) -> (Value, Notes) {
        let mut notes = Notes::default();
        normalize(&mut doc, &mut notes);
        (doc, notes)
    }

    fn messages(errors: &[crate::Error]) -> Vec<String> {
        errors
            .iter()
            .map(|e| format!("{} {:?}", e.pointer, e.kind))
            .collect()
    }

    #[test]
    fn what_the_model_cannot_hold_is_a_located_loss() {
        let doc = json!({"paths": {"/a": {
            "query": {"responses": {}},
            "additionalOperations": {"LINK": {"responses": {}}},
            "get": {
                "parameters": [
                    {"name": "q", "in": "querystring", "content": {"application/x-www-form-urlencoded": {}}},
                    {"name": "x", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"summary": "Fine."}, "204": {}}
            }
        }}});
        let (doc, notes) = read(doc);
        let losses = messages(&notes.losses);
        assert_eq!(losses.len(), 3, "{losses:?}");
        assert!(losses[0].starts_with("/paths/~1a/query "), "{losses:?}");
        assert!(
            losses[1].starts_with("/paths/~1a/additionalOperations/LINK "),
            "{losses:?}"
        );
        assert!(
            losses[2].starts_with("/paths/~1a/get/parameters/querystring-0 "),
            "{losses:?}"
        );
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"],
            json!([{"name": "x", "in": "query", "schema": {"type": "string"}}])
        );
        let source = |p: &str| super::super::original_pointer(&notes.rewrites, p);
        assert_eq!(
            source(&notes.losses[2].pointer),
            "/paths/~1a/get/parameters/0"
        );
        assert_eq!(
            source("/paths/~1a/get/parameters/0/schema"),
            "/paths/~1a/get/parameters/1/schema"
        );
        assert_eq!(get["responses"]["200"]["description"], "Fine.");
        assert_eq!(get["responses"]["204"]["description"], "");
        assert!(doc["paths"]["/a"].get("query").is_none());
    }

    #[test]
    fn shared_media_types_and_data_values_are_read_in_place() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"$ref": "#/components/mediaTypes/Pet"}
            }}}}}},
            "components": {"mediaTypes": {"Pet": {
                "schema": {"type": "object"},
                "examples": {"one": {"dataValue": {"name": "Rex"}, "serializedValue": "{\"name\":\"Rex\"}"}}
            }}},
            "tags": [{"name": "pets", "parent": "animals", "kind": "nav"}],
            "$self": "https://example.com/openapi"
        });
        let (doc, notes) = read(doc);
        let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"], json!({"type": "object"}));
        assert_eq!(media["examples"]["one"], json!({"value": {"name": "Rex"}}));
        assert!(doc["components"].get("mediaTypes").is_none());
        let warnings = messages(&notes.warnings);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("/$self "), "{warnings:?}");
    }
}
