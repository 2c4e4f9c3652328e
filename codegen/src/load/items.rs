//! The schema of one item of a streamed answer, as OpenAPI 3.2 gives it (`itemSchema`, which
//! FastAPI already writes into its 3.1 documents), read into the place earlier versions give
//! it: the `schema` under the stream's media type, the schema of one item (of one event's
//! data for server-sent events), the way vendors' 3.0 and 3.1 specs mean it.
//!
//! For server-sent events, `itemSchema` describes the whole event (`data`, `event`, `id`,
//! `retry`): the item is its `data`, JSON of the `contentSchema` where the data says
//! `contentMediaType: application/json`, else text.

use serde_json::{Map, Value, json};

use super::v31::{METHODS, Notes};
use crate::error::escape_token;

/// Moves every `itemSchema` of a response's media type to its `schema`.
pub fn item_schemas(doc: &mut Value, notes: &mut Notes) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let schemas = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut responses = Vec::new();
    for (key, value) in root.iter_mut() {
        let Value::Object(items) = value else {
            continue;
        };
        match key.as_str() {
            "paths" | "webhooks" => {
                for (path, item) in items.iter_mut() {
                    let at = format!("/{key}/{}", escape_token(path));
                    operations(item, &at, &mut responses);
                }
            }
            "components" => {
                if let Some(Value::Object(shared)) = items.get_mut("responses") {
                    for (name, response) in shared.iter_mut() {
                        let at = format!("/components/responses/{}", escape_token(name));
                        responses.push((at, response));
                    }
                }
            }
            _ => {}
        }
    }
    for (at, response) in responses {
        let Some(Value::Object(content)) = response.get_mut("content") else {
            continue;
        };
        for (media_type, media) in content.iter_mut() {
            let at = format!("{at}/content/{}", escape_token(media_type));
            if let Value::Object(media) = media {
                item_schema(media_type, media, &at, &schemas, notes);
            }
        }
    }
}

/// The responses of each operation of a path item, with their pointers.
fn operations<'v>(item: &'v mut Value, at: &str, out: &mut Vec<(String, &'v mut Value)>) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (method, op) in item.iter_mut() {
        if !METHODS.contains(&method.as_str()) {
            continue;
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                out.push((
                    format!("{at}/{method}/responses/{}", escape_token(status)),
                    response,
                ));
            }
        }
    }
}

fn item_schema(
    media_type: &str,
    media: &mut Map<String, Value>,
    at: &str,
    schemas: &Value,
    notes: &mut Notes,
) {
    let Some(item) = media.remove("itemSchema") else {
        return;
    };
    if media.contains_key("schema") {
        notes.warn(
            &format!("{at}/itemSchema"),
            "`itemSchema` beside `schema` (so `schema` is read: the answer as a whole)".to_owned(),
        );
        return;
    }
    let base = media_type.split(';').next().unwrap_or_default().trim();
    if !base.eq_ignore_ascii_case("text/event-stream") {
        media.insert("schema".to_owned(), item);
        notes.moved(format!("{at}/schema"), format!("{at}/itemSchema"));
        return;
    }
    let (data, was) = event_data(&item, schemas, at, notes);
    media.insert("schema".to_owned(), data);
    if let Some(was) = was {
        notes.moved(format!("{at}/schema"), was);
    }
}

/// The schema of an event's data: its `contentSchema` when the data is JSON, else text; with
/// the pointer it stands at in the source.
fn event_data(
    item: &Value,
    schemas: &Value,
    at: &str,
    notes: &mut Notes,
) -> (Value, Option<String>) {
    let (event, event_at) = match item.get("$ref").and_then(Value::as_str) {
        Some(r) => match r.strip_prefix("#/components/schemas/") {
            Some(name) => (
                schemas.get(name).cloned().unwrap_or(Value::Null),
                format!("/components/schemas/{}", escape_token(name)),
            ),
            None => (Value::Null, format!("{at}/itemSchema")),
        },
        None => (item.clone(), format!("{at}/itemSchema")),
    };
    let data = event.get("properties").and_then(|p| p.get("data"));
    let Some(data) = data else {
        notes.warn(
            &event_at,
            "an event schema without a `data` property, or a union of events (so each event's data is read as text)".to_owned(),
        );
        return (json!({"type": "string"}), None);
    };
    let data_at = format!("{event_at}/properties/data");
    let json = data
        .get("contentMediaType")
        .and_then(Value::as_str)
        .is_some_and(|m| {
            let m = m.to_ascii_lowercase();
            m == "application/json" || m.ends_with("+json")
        });
    match data.get("contentSchema") {
        Some(schema) if json => (schema.clone(), Some(format!("{data_at}/contentSchema"))),
        _ if json => (json!({}), None),
        _ => (data.clone(), Some(data_at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(doc: Value) -> (Value, Notes) {
        let mut doc = doc;
        let mut notes = Notes::default();
        item_schemas(&mut doc, &mut notes);
        (doc, notes)
    }

    fn answer(content: Value) -> Value {
        json!({"paths": {"/s": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}}})
    }

    const AT: &str = "/paths/~1s/get/responses/200/content";

    #[test]
    fn a_json_lines_item_schema_is_the_schema_of_an_item() {
        let (doc, notes) = read(answer(
            json!({"application/jsonl": {"itemSchema": {"type": "integer"}}}),
        ));
        assert_eq!(
            doc.pointer(&format!("{AT}/application~1jsonl")).unwrap(),
            &json!({"schema": {"type": "integer"}})
        );
        assert_eq!(
            notes.rewrites,
            [(
                format!("{AT}/application~1jsonl/schema"),
                format!("{AT}/application~1jsonl/itemSchema")
            )]
        );
    }

    /// As FastAPI writes it: the event, its data JSON of a schema.
    #[test]
    fn an_event_schema_gives_the_schema_of_its_data() {
        let event = json!({
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"$ref": "#/components/schemas/Item"}},
                "event": {"type": "string"},
                "id": {"type": "string"},
                "retry": {"type": "integer", "minimum": 0}
            }
        });
        let (doc, notes) = read(answer(json!({"text/event-stream": {"itemSchema": event}})));
        assert_eq!(
            doc.pointer(&format!("{AT}/text~1event-stream/schema"))
                .unwrap(),
            &json!({"$ref": "#/components/schemas/Item"})
        );
        assert_eq!(
            notes.rewrites[0].1,
            format!("{AT}/text~1event-stream/itemSchema/properties/data/contentSchema")
        );
        let text = json!({"properties": {"data": {"type": "string"}}});
        let (doc, _) = read(answer(json!({"text/event-stream": {"itemSchema": text}})));
        assert_eq!(
            doc.pointer(&format!("{AT}/text~1event-stream/schema"))
                .unwrap(),
            &json!({"type": "string"})
        );
    }

    #[test]
    fn an_event_schema_by_reference_and_a_union_of_events() {
        let mut doc = answer(
            json!({"text/event-stream": {"itemSchema": {"$ref": "#/components/schemas/Tick"}}}),
        );
        doc["components"] = json!({"schemas": {"Tick": {"properties": {"data": {"contentMediaType": "application/json", "contentSchema": {"type": "integer"}}}}}});
        let (doc, notes) = read(doc);
        assert_eq!(
            doc.pointer(&format!("{AT}/text~1event-stream/schema"))
                .unwrap(),
            &json!({"type": "integer"})
        );
        assert_eq!(
            notes.rewrites[0].1,
            "/components/schemas/Tick/properties/data/contentSchema"
        );
        let union = json!({"oneOf": [{"properties": {"event": {"const": "a"}}}]});
        let (doc, notes) = read(answer(json!({"text/event-stream": {"itemSchema": union}})));
        assert_eq!(
            doc.pointer(&format!("{AT}/text~1event-stream/schema"))
                .unwrap(),
            &json!({"type": "string"})
        );
        assert_eq!(notes.warnings.len(), 1);
    }
}
