//! Reads what OpenAPI 3.2 adds to 3.1 into the model the rest of the generator reads, before
//! the 3.1 rewrite (`v31.rs`) runs on the same document. What the model can hold is moved
//! there (a response `summary` where the `description` is left out, media types shared under
//! `components/mediaTypes`, an example's `dataValue`, a form `querystring` parameter as the
//! query parameter that sends the same query, a tag's `parent` under [`TAG_PARENT`], what only
//! documents in front of a `description`; after the 3.1 rewrite, the operations of `query` and
//! `additionalOperations` under [`MORE_OPERATIONS`]); what it cannot is a located loss (a
//! `querystring` parameter of another media type), and what it reads only in part is a located
//! warning (a tag's `kind`, `itemEncoding`; `$self` is the base of references, `files.rs`). The stream's `itemSchema` is read for
//! every version, by `items.rs`.

use serde_json::{Map, Value, json};

use super::v31::{ADDITIONAL, Notes, QUERY, operations_mut};
use crate::error::escape_token;

/// Rewrites a 3.2 document in place into what the 3.1 reading takes.
pub fn normalize(doc: &mut Value, notes: &mut Notes) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    tags(root, notes);
    described(root);
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

/// What 3.2 says of tags, servers and security schemes that the 3.0 model has only a
/// `description` for, put in front of it: a tag's `summary`, a server's `name`, a security
/// scheme's `oauth2MetadataUrl`, device authorization flow and `deprecated`.
fn described(root: &mut Map<String, Value>) {
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        for tag in tags.iter_mut() {
            let summary = text_of(tag, "summary");
            in_front(tag, summary);
        }
    }
    servers_in(root.get_mut("servers"));
    for key in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = root.get_mut(key) else {
            continue;
        };
        for item in items.values_mut() {
            servers_in(item.get_mut("servers"));
            for (_, op) in operations_mut(item) {
                servers_in(op.get_mut("servers"));
            }
        }
    }
    let schemes = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"));
    if let Some(Value::Object(schemes)) = schemes {
        schemes.values_mut().for_each(scheme);
    }
}

fn servers_in(servers: Option<&mut Value>) {
    if let Some(Value::Array(servers)) = servers {
        for server in servers.iter_mut() {
            let name = text_of(server, "name").map(|name| format!("`{name}`"));
            in_front(server, name);
        }
    }
}

fn scheme(scheme: &mut Value) {
    let metadata = text_of(scheme, "oauth2MetadataUrl")
        .map(|url| format!("Its authorization server's metadata: <{url}>."));
    let device = scheme
        .pointer("/flows/deviceAuthorization/deviceAuthorizationUrl")
        .and_then(Value::as_str)
        .map(|url| {
            format!(
                "Its tokens may come from the device authorization flow (RFC 8628) at <{url}>: \
                 the client takes them from the token source it is given."
            )
        });
    let deprecated = (scheme.get("deprecated") == Some(&Value::Bool(true)))
        .then(|| "**Deprecated.**".to_owned());
    for front in [device, metadata, deprecated] {
        in_front(scheme, front);
    }
}

/// The text of the string member `key`.
fn text_of(object: &Value, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Puts `front` in front of the object's `description`.
fn in_front(object: &mut Value, front: Option<String>) {
    let (Some(object), Some(front)) = (object.as_object_mut(), front) else {
        return;
    };
    let description = match object.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{front}\n\n{d}"),
        _ => front,
    };
    object.insert("description".to_owned(), Value::String(description));
}

/// A tag's `parent` kept where the 3.0 model keeps it ([`TAG_PARENT`]), unless it names no
/// tag or makes a cycle; its `kind` is a warning.
fn tags(root: &mut Map<String, Value>, notes: &mut Notes) {
    let Some(Value::Array(tags)) = root.get_mut("tags") else {
        return;
    };
    let parents: Vec<(String, Option<String>)> = tags
        .iter()
        .map(|t| (text_of(t, "name").unwrap_or_default(), text_of(t, "parent")))
        .collect();
    let parent_of = |name: &str| parents.iter().find(|(n, _)| n == name)?.1.clone();
    for (i, tag) in tags.iter_mut().enumerate() {
        if tag.get("kind").is_some() {
            notes.warn(
                &format!("/tags/{i}/kind"),
                "a tag's `kind` (so it says nothing of the tag's place in the docs)".to_owned(),
            );
        }
        let Some(parent) = text_of(tag, "parent") else {
            continue;
        };
        let name = text_of(tag, "name").unwrap_or_default();
        let mut seen = vec![name.clone()];
        let mut up = Some(parent.clone());
        let mut why = None;
        while let Some(p) = up {
            if seen.contains(&p) {
                why = Some("makes a cycle of parents");
                break;
            }
            if !parents.iter().any(|(n, _)| *n == p) {
                why = Some("names no tag");
                break;
            }
            up = parent_of(&p);
            seen.push(p);
        }
        match why {
            Some(why) => notes.warn(
                &format!("/tags/{i}/parent"),
                format!("tag `{name}`'s `parent` {why} (so the tag stands alone)"),
            ),
            None => {
                if let Some(tag) = tag.as_object_mut() {
                    tag.insert(TAG_PARENT.to_owned(), Value::String(parent));
                }
            }
        }
    }
}

/// Where a tag keeps its `parent`.
pub const TAG_PARENT: &str = "x-codegen-parent";

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
}

fn path_item(item: &mut Value, at: &str, media_types: &Value, notes: &mut Notes) {
    if let Some(item) = item.as_object_mut() {
        parameters(item, at, notes);
    }
    for (method, op) in operations_mut(item) {
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

/// Reads the `querystring` parameters of `holder` given as forms the way 3.0 writes the same
/// query, and leaves out the others, recording where the parameters kept moved.
fn parameters(holder: &mut Map<String, Value>, at: &str, notes: &mut Notes) {
    let Some(Value::Array(params)) = holder.get_mut("parameters") else {
        return;
    };
    for (i, p) in params.iter_mut().enumerate() {
        form_query(p, &format!("{at}/parameters/{i}"), notes);
    }
    let querystring = |p: &Value| p.get("in").and_then(Value::as_str) == Some("querystring");
    // A parameter left out has no place in the rewritten document: its loss stands at a
    // pointer of its own that only the source's maps back to (recorded before the moves of
    // the others, so that theirs never take it).
    for (i, _) in params.iter().enumerate().filter(|(_, p)| querystring(p)) {
        let gone = format!("{at}/parameters/querystring-{i}");
        notes.moved(gone.clone(), format!("{at}/parameters/{i}"));
        notes.lose(
            &gone,
            "a `querystring` parameter whose media type is not a form, the whole query in one \
             encoding (so it is left out)"
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

/// A `querystring` parameter of `application/x-www-form-urlencoded`, as the query parameter
/// that sends the same query: its schema's properties as fields, form style, exploded.
fn form_query(p: &mut Value, at: &str, notes: &mut Notes) {
    let Some(p) = p.as_object_mut() else {
        return;
    };
    if p.get("in").and_then(Value::as_str) != Some("querystring") {
        return;
    }
    let Some(Value::Object(content)) = p.get("content") else {
        return;
    };
    let Some((media, m)) = content.iter().next() else {
        return;
    };
    if !media.starts_with("application/x-www-form-urlencoded") {
        return;
    }
    let schema = m.get("schema").cloned();
    let was = format!("{at}/content/{}/schema", escape_token(media));
    p.remove("content");
    p.insert("in".to_owned(), json!("query"));
    p.insert("style".to_owned(), json!("form"));
    p.insert("explode".to_owned(), json!(true));
    p.insert(
        "schema".to_owned(),
        schema.unwrap_or_else(|| json!({"type": "object"})),
    );
    notes.moved(format!("{at}/schema"), was);
}

/// Moves the operations of a path item that the 3.0 model has no field for (`query`,
/// `additionalOperations`) under [`MORE_OPERATIONS`], where the model keeps them.
pub fn lift_operations(item: &mut Value) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    let mut more = Map::new();
    for key in [QUERY, ADDITIONAL] {
        if let Some(value @ Value::Object(_)) = item.remove(key) {
            more.insert(key.to_owned(), value);
        }
    }
    if !more.is_empty() {
        item.insert(MORE_OPERATIONS.to_owned(), Value::Object(more));
    }
}

/// [`lift_operations`] for every path item of a document.
pub fn lift_all_operations(doc: &mut Value) {
    for key in ["/paths", "/webhooks", "/components/pathItems"] {
        if let Some(Value::Object(items)) = doc.pointer_mut(key) {
            items.values_mut().for_each(lift_operations);
        }
    }
}

/// Where a path item keeps the operations of 3.2's `query` and `additionalOperations`, as
/// the source has them.
pub const MORE_OPERATIONS: &str = "x-codegen-operations";

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
    fn a_form_querystring_is_read_as_its_query_and_another_is_a_located_loss() {
        let doc = json!({"paths": {"/a": {
            "get": {
                "parameters": [
                    {"name": "j", "in": "querystring", "content": {"application/json": {}}},
                    {"name": "q", "in": "querystring", "content": {
                        "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
                    }},
                    {"name": "x", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"summary": "Fine."}, "204": {}}
            }
        }}});
        let (doc, notes) = read(doc);
        let losses = messages(&notes.losses);
        assert_eq!(losses.len(), 1, "{losses:?}");
        assert!(
            losses[0].starts_with("/paths/~1a/get/parameters/querystring-0 "),
            "{losses:?}"
        );
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"],
            json!([
                {"name": "q", "in": "query", "style": "form", "explode": true,
                 "schema": {"type": "object"}},
                {"name": "x", "in": "query", "schema": {"type": "string"}}
            ])
        );
        let source = |p: &str| super::super::original_pointer(&notes.rewrites, p);
        assert_eq!(
            source(&notes.losses[0].pointer),
            "/paths/~1a/get/parameters/0"
        );
        assert_eq!(
            source("/paths/~1a/get/parameters/0/schema/type"),
            "/paths/~1a/get/parameters/1/content/application~1x-www-form-urlencoded/schema/type"
        );
        assert_eq!(
            source("/paths/~1a/get/parameters/1/schema"),
            "/paths/~1a/get/parameters/2/schema"
        );
        assert_eq!(get["responses"]["200"]["description"], "Fine.");
        assert_eq!(get["responses"]["204"]["description"], "");
    }

    #[test]
    fn operations_without_a_fixed_field_are_kept_where_the_model_keeps_them() {
        let mut doc = json!({"paths": {"/a": {
            "query": {"responses": {}},
            "additionalOperations": {"LINK": {"responses": {}}},
            "get": {"responses": {}}
        }}});
        lift_all_operations(&mut doc);
        let item = &doc["paths"]["/a"];
        assert!(item.get("query").is_none() && item.get("additionalOperations").is_none());
        assert_eq!(
            item[MORE_OPERATIONS],
            json!({"query": {"responses": {}}, "additionalOperations": {"LINK": {"responses": {}}}})
        );
        assert_eq!(item["get"], json!({"responses": {}}));
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
        // `$self` is a base URI of references (`files.rs`), not a loss.
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
