//! References to a component of another kind than their place expects: a response given by
//! `#/components/requestBodies/X`, a request body by `#/components/responses/X`. The two objects
//! share `description` and `content`, and vendors write such references meaning them; each is
//! read as the kind its place expects, through a component of that kind made from the one it
//! names (same key), with a located warning.

use serde_json::{Map, Value, json};

use super::v31::{Notes, operations_mut};
use crate::error::escape_token;

const RESPONSES: &str = "/components/responses/";
const BODIES: &str = "/components/requestBodies/";

/// Points every response given by a request-body component, and every request body given by a
/// response component, at a component of the kind its place expects.
pub fn cross_kind_references(doc: &mut Value, notes: &mut Notes) {
    let mut found = Vec::new();
    for group in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = doc.get_mut(group) else {
            continue;
        };
        for (path, item) in items.iter_mut() {
            let at = format!("/{group}/{}", escape_token(path));
            for (method, op) in operations_mut(item) {
                found.extend(misplaced(op, &format!("{at}/{method}")));
            }
        }
    }
    for (pointer, target, wanted) in found {
        repoint(doc, &pointer, &target, wanted, notes);
    }
}

/// The references of an operation's request body and responses that name a component of the
/// other kind: each reference's pointer, what it names, and the kind its place wants.
fn misplaced(op: &Map<String, Value>, at: &str) -> Vec<(String, String, &'static str)> {
    let target = |v: &Value| {
        v.get("$ref")?
            .as_str()?
            .strip_prefix('#')
            .map(str::to_owned)
    };
    let mut out = Vec::new();
    if let Some(t) = op
        .get("requestBody")
        .and_then(target)
        .filter(|t| t.starts_with(RESPONSES))
    {
        out.push((format!("{at}/requestBody"), t, BODIES));
    }
    for (status, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(t) = target(response).filter(|t| t.starts_with(BODIES)) {
            let pointer = format!("{at}/responses/{}", escape_token(status));
            out.push((pointer, t, RESPONSES));
        }
    }
    out
}

/// Points the reference at `pointer` (to `target`) at the component of the kind `wanted` under
/// the same key, made from the target's description and content when there is none.
fn repoint(doc: &mut Value, pointer: &str, target: &str, wanted: &str, notes: &mut Notes) {
    let key = &target[target.rfind('/').map_or(0, |i| i + 1)..];
    let Some(named) = doc.pointer(target).and_then(Value::as_object) else {
        return;
    };
    let made = json!({
        "description": named.get("description").cloned().unwrap_or_else(|| json!("")),
        "content": named.get("content").cloned().unwrap_or_else(|| json!({})),
    });
    let kind = &wanted["/components/".len()..wanted.len() - 1];
    let components = doc
        .as_object_mut()
        .map(|root| root.entry("components").or_insert_with(|| json!({})));
    let Some(Value::Object(components)) = components else {
        return;
    };
    let Value::Object(of_kind) = components.entry(kind).or_insert_with(|| json!({})) else {
        return;
    };
    let unescaped = key.replace("~1", "/").replace("~0", "~");
    if of_kind.get(&unescaped).is_some_and(|there| *there != made) {
        return;
    }
    of_kind.insert(unescaped, made);
    if let Some(reference) = doc.pointer_mut(&format!("{pointer}/$ref")) {
        *reference = json!(format!("#{wanted}{key}"));
    }
    let (place, named_kind) = match wanted {
        RESPONSES => ("a response", "request body"),
        _ => ("a request body", "response"),
    };
    notes.warn(
        &format!("{pointer}/$ref"),
        format!(
            "{place} given by the {named_kind} component `#{target}` (so it is read as {place}: \
             its description and content)"
        ),
    );
}
