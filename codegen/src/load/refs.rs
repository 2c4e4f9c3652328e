//! The targets of `$ref`s that point anywhere in the document but a component
//! (`#/components/schemas/Base/properties/id`, `#/paths/~1pets/get/parameters/0`, `#/$defs/X`,
//! `#/components/pathItems/P`), parsed as each kind of object they fit.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Example, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The component kinds `openapiv3` reads into `Components`; a reference to one of these by
/// name is resolved there, not here.
const COMPONENT_KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Referenced objects by the JSON pointer of where they stand.
#[derive(Debug, Default)]
pub struct Targets {
    pub schemas: BTreeMap<String, ReferenceOr<Schema>>,
    pub path_items: BTreeMap<String, ReferenceOr<PathItem>>,
    pub parameters: BTreeMap<String, ReferenceOr<Parameter>>,
    pub request_bodies: BTreeMap<String, ReferenceOr<RequestBody>>,
    pub responses: BTreeMap<String, ReferenceOr<Response>>,
    pub examples: BTreeMap<String, ReferenceOr<Example>>,
}

/// The JSON pointer a local `$ref` names (`#/a~1b/%7Bid%7D` → `/a~1b/{id}`), or `None` for a
/// reference into another document.
pub fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_decode(fragment))
}

/// Whether `pointer` names a component that `openapiv3` holds (`/components/schemas/Pet`).
pub fn is_component(pointer: &str) -> bool {
    let mut tokens = pointer.split('/').skip(1);
    matches!(
        (tokens.next(), tokens.next(), tokens.next(), tokens.next()),
        (Some("components"), Some(kind), Some(_), None) if COMPONENT_KINDS.contains(&kind)
    )
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// How a target is read: as a schema, or as any other object (path item, parameter, body,
/// response, example).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Schema,
    Other,
}

/// The local, non-component pointers among `refs`.
fn target_pointers(refs: Vec<String>) -> impl Iterator<Item = String> {
    refs.into_iter()
        .filter_map(|r| local_pointer(&r))
        .filter(|p| !is_component(p) && !p.is_empty())
}

impl Targets {
    /// Parses the target of every local `$ref` of `doc` that does not name a component, as the
    /// source has it (pointers are the source's). `prepare` rewrites a copy of a target before it
    /// is read (a 3.1 schema into the 3.0 model).
    pub fn collect(doc: &mut Value, prepare: &mut dyn FnMut(&mut Value, &str, Reading)) -> Targets {
        let mut pending: Vec<String> = target_pointers(super::walk::refs(doc)).collect();
        let mut seen = BTreeSet::new();
        let mut targets = Targets::default();
        // A target may stand where the walk does not go (under an extension): its own
        // references are followed from it.
        while let Some(pointer) = pending.pop() {
            if !seen.insert(pointer.clone()) {
                continue;
            }
            let Some(mut raw) = doc.pointer(&pointer).cloned() else {
                continue;
            };
            pending.extend(target_pointers(super::walk::refs(&mut raw)));
            let mut schema = raw.clone();
            prepare(&mut schema, &pointer, Reading::Schema);
            add(&mut targets.schemas, &pointer, &schema);
            prepare(&mut raw, &pointer, Reading::Other);
            add(&mut targets.path_items, &pointer, &raw);
            add(&mut targets.parameters, &pointer, &raw);
            add(&mut targets.request_bodies, &pointer, &raw);
            add(&mut targets.responses, &pointer, &raw);
            add(&mut targets.examples, &pointer, &raw);
        }
        targets
    }
}

fn add<T: DeserializeOwned>(map: &mut BTreeMap<String, T>, pointer: &str, value: &Value) {
    if let Ok(t) = T::deserialize(value) {
        map.insert(pointer.to_owned(), t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers() {
        assert_eq!(
            local_pointer("#/a~1b/%7Bid%7D").as_deref(),
            Some("/a~1b/{id}")
        );
        assert_eq!(local_pointer("other.yaml#/a"), None);
        assert!(is_component("/components/schemas/Pet"));
        assert!(!is_component("/components/schemas/Pet/properties/id"));
        assert!(!is_component("/components/pathItems/P"));
        assert!(!is_component("/$defs/X"));
    }
}
