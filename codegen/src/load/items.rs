//! The schema of one item of a streamed answer, as OpenAPI 3.2 gives it (`itemSchema`, which
//! FastAPI already writes into its 3.1 documents), read into the place earlier versions give
//! it: the `schema` under the stream's media type, the schema of one item (of one event's
//! data for server-sent events), the way vendors' 3.0 and 3.1 specs mean it.
//!
//! For server-sent events, `itemSchema` describes the whole event (`data`, `event`, `id`,
//! `retry`): the item is its `data`, JSON of the `contentSchema` where the data says
//! `contentMediaType: application/json`, else text.

use serde_json::{Map, Value, json};

use super::v31::{Notes, operations_mut};
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
    for (method, op) in operations_mut(item) {
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
    let (event, event_at) = resolved(&item, schemas, &format!("{at}/itemSchema"));
    if let Some(union) = event_union(&event, &event_at, schemas, notes) {
        let (schema, extension) = union.written();
        media.insert("schema".to_owned(), schema);
        media.insert(EVENTS.to_owned(), extension);
        for (i, branch) in union.branches.into_iter().enumerate() {
            if let Some(was) = branch.data.was {
                notes.moved(format!("{at}/schema/oneOf/{i}"), was);
            }
        }
        return;
    }
    let Some(data) = event.get("properties").and_then(|p| p.get("data")) else {
        notes.warn(
            &event_at,
            "an event schema without a `data` property, or a union of events none of which is named (so each event's data is read as text)".to_owned(),
        );
        media.insert("schema".to_owned(), json!({"type": "string"}));
        return;
    };
    let data = Data::of(Some(data), &format!("{event_at}/properties/data"));
    if !data.json {
        media.insert(TEXT_DATA.to_owned(), Value::Bool(true));
    }
    media.insert("schema".to_owned(), data.schema);
    if let Some(was) = data.was {
        notes.moved(format!("{at}/schema"), was);
    }
}

/// The extension of a media type of server-sent events told apart by name, which lowering
/// reads: each event's names and whether its data is JSON (its schema the `schema`'s `oneOf`
/// at the same place), and which one events of other names are.
pub const EVENTS: &str = "x-codegen-events";

/// The extension of a media type of server-sent events whose data is text of its schema.
pub const TEXT_DATA: &str = "x-codegen-text-data";

/// A schema the source holds at `at`, or the component `$ref` names, with its pointer.
fn resolved(schema: &Value, schemas: &Value, at: &str) -> (Value, String) {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => match r.strip_prefix("#/components/schemas/") {
            Some(name) => (
                schemas.get(name).cloned().unwrap_or(Value::Null),
                format!("/components/schemas/{}", escape_token(name)),
            ),
            None => (Value::Null, at.to_owned()),
        },
        None => (schema.clone(), at.to_owned()),
    }
}

/// The schema of an event's data: its `contentSchema` when the data is JSON, else text; with
/// the pointer it stands at in the source.
struct Data {
    schema: Value,
    json: bool,
    was: Option<String>,
}

impl Data {
    fn of(data: Option<&Value>, at: &str) -> Data {
        let Some(data) = data.filter(|d| !d.is_null()) else {
            return Data {
                schema: json!({"type": "string"}),
                json: false,
                was: None,
            };
        };
        let json = data
            .get("contentMediaType")
            .and_then(Value::as_str)
            .is_some_and(|m| {
                let m = m.to_ascii_lowercase();
                m == "application/json" || m.ends_with("+json")
            });
        let (schema, was) = match data.get("contentSchema") {
            Some(schema) if json => (schema.clone(), Some(format!("{at}/contentSchema"))),
            _ if json => (json!({}), None),
            _ => (text_schema(data), Some(at.to_owned())),
        };
        Data { schema, json, was }
    }
}

/// The schema of text data: a string unless it says what else.
fn text_schema(data: &Value) -> Value {
    const SAYS: &[&str] = &["type", "$ref", "enum", "const", "oneOf", "anyOf", "allOf"];
    let mut schema = data.clone();
    if let Value::Object(map) = &mut schema
        && !SAYS.iter().any(|k| map.contains_key(*k))
    {
        map.insert("type".to_owned(), json!("string"));
    }
    schema
}

/// Events told apart by name (`event`): the union's branches, and the one events of other
/// names are.
struct EventUnion {
    branches: Vec<Branch>,
    fallback: Option<usize>,
}

struct Branch {
    names: Vec<String>,
    data: Data,
    description: Option<Value>,
    /// The name of the schema a reference names, for the fallback's variant.
    label: Option<String>,
}

impl EventUnion {
    /// The `schema` (a `oneOf` of the events' data) and the [`EVENTS`] extension.
    fn written(&self) -> (Value, Value) {
        let data: Vec<&Value> = self.branches.iter().map(|b| &b.data.schema).collect();
        let variants: Vec<Value> = self
            .branches
            .iter()
            .map(|b| {
                json!({"names": b.names, "json": b.data.json, "description": b.description, "label": b.label})
            })
            .collect();
        (
            json!({"oneOf": data}),
            json!({"variants": variants, "fallback": self.fallback}),
        )
    }
}

/// The events of a union (`oneOf` or `anyOf`) of event schemas, each named by its `event`'s
/// `const` or `enum`, or by a discriminator on `event` (whose `defaultMapping` is the fallback);
/// `None` when no branch is named.
fn event_union(
    event: &Value,
    event_at: &str,
    schemas: &Value,
    notes: &mut Notes,
) -> Option<EventUnion> {
    let (key, list) = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| Some((*k, event.get(*k)?.as_array()?)))?;
    let discriminator = event
        .get("discriminator")
        .filter(|d| d.get("propertyName").and_then(Value::as_str) == Some("event"));
    let mapping = discriminator
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object);
    let default = discriminator
        .and_then(|d| d.get("defaultMapping"))
        .and_then(Value::as_str);
    let common = event.get("properties").and_then(|p| p.get("data"));
    let mut union = EventUnion {
        branches: Vec::new(),
        fallback: None,
    };
    let listed = list
        .iter()
        .enumerate()
        .map(|(i, b)| (b.clone(), format!("{event_at}/{key}/{i}")));
    let extra = default
        .filter(|d| !list.iter().any(|b| targets(b, d)))
        .map(|d| {
            (
                json!({"$ref": d}),
                format!("{event_at}/discriminator/defaultMapping"),
            )
        });
    for (branch, at) in listed.chain(extra) {
        let reference = branch
            .get("$ref")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let (schema, schema_at) = resolved(&branch, schemas, &at);
        let mut names = const_names(&schema);
        if let (Some(r), true) = (&reference, names.is_empty()) {
            names = mapped_names(mapping, r, discriminator.is_some());
        }
        if default.is_some_and(|d| targets(&branch, d)) || names.is_empty() {
            if union.fallback.is_some() {
                notes.warn(
                    &at,
                    "a second event without a name (so events of no documented name are read as the first's)"
                        .to_owned(),
                );
                continue;
            }
            union.fallback = Some(union.branches.len());
            names.clear();
        }
        let data = match schema.get("properties").and_then(|p| p.get("data")) {
            Some(d) => Data::of(Some(d), &format!("{schema_at}/properties/data")),
            None => Data::of(common, &format!("{event_at}/properties/data")),
        };
        let description = schema.get("description").cloned();
        let label = reference
            .filter(|_| names.is_empty())
            .and_then(|r| r.rsplit('/').next().map(str::to_owned))
            .filter(|l| !l.is_empty());
        union.branches.push(Branch {
            names,
            data,
            description,
            label,
        });
    }
    union
        .branches
        .iter()
        .any(|b| !b.names.is_empty())
        .then_some(union)
}

/// The names an event schema's `event` property allows (`const`, `enum`).
fn const_names(schema: &Value) -> Vec<String> {
    let Some(event) = schema.get("properties").and_then(|p| p.get("event")) else {
        return Vec::new();
    };
    let values = match (event.get("const"), event.get("enum")) {
        (Some(one), _) => vec![one],
        (None, Some(Value::Array(many))) => many.iter().collect(),
        _ => Vec::new(),
    };
    values
        .into_iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The names a discriminator maps to the schema `reference` names; without a mapping entry,
/// the component's own name, as OpenAPI's implicit mapping has it.
fn mapped_names(
    mapping: Option<&Map<String, Value>>,
    reference: &str,
    discriminated: bool,
) -> Vec<String> {
    let branch = json!({"$ref": reference});
    let mapped: Vec<String> = mapping
        .into_iter()
        .flatten()
        .filter(|(_, target)| target.as_str().is_some_and(|t| targets(&branch, t)))
        .map(|(name, _)| name.clone())
        .collect();
    if !mapped.is_empty() || !discriminated {
        return mapped;
    }
    reference
        .strip_prefix("#/components/schemas/")
        .map(|n| vec![n.to_owned()])
        .unwrap_or_default()
}

/// Whether a branch is the schema a mapping value names (a reference, or a component's name).
fn targets(branch: &Value, target: &str) -> bool {
    let Some(r) = branch.get("$ref").and_then(Value::as_str) else {
        return false;
    };
    r == target || r.strip_prefix("#/components/schemas/") == Some(target)
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
        let union = json!({"oneOf": [{"properties": {"data": {"type": "integer"}}}]});
        let (doc, notes) = read(answer(json!({"text/event-stream": {"itemSchema": union}})));
        assert_eq!(
            doc.pointer(&format!("{AT}/text~1event-stream/schema"))
                .unwrap(),
            &json!({"type": "string"})
        );
        assert_eq!(notes.warnings.len(), 1);
    }

    /// Named by `const`, `enum` or a discriminator's mapping; the `defaultMapping`, or an
    /// event of no name, is the fallback; the data of each is its own, or the union's.
    #[test]
    fn a_union_of_events_names_each_and_keeps_the_data_of_each() {
        let mut doc = answer(json!({"text/event-stream": {"itemSchema": {
            "properties": {"data": {"contentMediaType": "application/json", "contentSchema": {"type": "integer"}}},
            "oneOf": [
                {"properties": {"event": {"const": "tick"}}},
                {"properties": {"event": {"enum": ["note", "memo"]}, "data": {"type": "string"}}},
                {"$ref": "#/components/schemas/Mapped"},
                {"$ref": "#/components/schemas/Rest"},
            ],
            "discriminator": {"propertyName": "event", "mapping": {"mapped": "Mapped"}, "defaultMapping": "#/components/schemas/Rest"}
        }}}));
        doc["components"] = json!({"schemas": {
            "Mapped": {"description": "By the mapping.", "properties": {"data": {"contentMediaType": "application/json"}}},
            "Rest": {"properties": {"data": {}}}
        }});
        let (doc, notes) = read(doc);
        let media = doc.pointer(&format!("{AT}/text~1event-stream")).unwrap();
        assert_eq!(
            media["schema"],
            json!({"oneOf": [{"type": "integer"}, {"type": "string"}, {}, {"type": "string"}]})
        );
        assert_eq!(
            media[EVENTS],
            json!({"variants": [
                {"names": ["tick"], "json": true, "description": null, "label": null},
                {"names": ["note", "memo"], "json": false, "description": null, "label": null},
                {"names": ["mapped"], "json": true, "description": "By the mapping.", "label": null},
                {"names": [], "json": false, "description": null, "label": "Rest"},
            ], "fallback": 3})
        );
        let at = format!("{AT}/text~1event-stream");
        assert_eq!(
            notes.rewrites,
            [
                (
                    format!("{at}/schema/oneOf/0"),
                    format!("{at}/itemSchema/properties/data/contentSchema")
                ),
                (
                    format!("{at}/schema/oneOf/1"),
                    format!("{at}/itemSchema/oneOf/1/properties/data")
                ),
                (
                    format!("{at}/schema/oneOf/3"),
                    "/components/schemas/Rest/properties/data".to_owned()
                ),
            ]
        );
        assert!(notes.warnings.is_empty());
    }
}
