//! JSON Schema 2020-12's `$dynamicRef` (OpenAPI 3.1 and 3.2), read as the reference it is where
//! no dynamic scope overrides its anchor: `{$dynamicRef: "#node"}` names the schema whose
//! `$dynamicAnchor` is `node`, as `{$ref: "#node"}` would. Dynamic scopes (a generic schema whose
//! anchor an including schema redefines) are not followed: where the document defines the
//! anchor more than once, the reference names the first, with a warning.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::walk::each_object;
use crate::error::escape_token;

/// A `$dynamicRef` the document redefines the anchor of: the pointer of the object that holds
/// it, and what was read.
pub struct Overridden {
    pub pointer: String,
    pub message: String,
}

/// Renames every `$dynamicRef` of `value` (beside which there is no `$ref`) to `$ref`; returns
/// those whose anchor `value` defines more than once.
pub fn as_references(value: &mut Value) -> Vec<Overridden> {
    let mut anchors: BTreeMap<String, usize> = BTreeMap::new();
    each_object(value, &mut |map, _| {
        if let Some(name) = map.get("$dynamicAnchor").and_then(Value::as_str) {
            *anchors.entry(name.to_owned()).or_default() += 1;
        }
    });
    let mut out = Vec::new();
    rename(value, &mut String::new(), &anchors, &mut out);
    out
}

fn rename(
    value: &mut Value,
    at: &mut String,
    anchors: &BTreeMap<String, usize>,
    out: &mut Vec<Overridden>,
) {
    match value {
        Value::Object(map) => {
            read_one(map, at, anchors, out);
            for (key, child) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(key));
                rename(child, at, anchors, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                rename(item, at, anchors, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn read_one(
    map: &mut Map<String, Value>,
    at: &str,
    anchors: &BTreeMap<String, usize>,
    out: &mut Vec<Overridden>,
) {
    if map.contains_key("$ref") {
        return;
    }
    let Some(reference) = map.remove("$dynamicRef") else {
        return;
    };
    let name = reference
        .as_str()
        .and_then(|r| r.split_once('#'))
        .map(|(_, fragment)| fragment);
    if let Some(times) = name.and_then(|n| anchors.get(n)).filter(|&&n| n > 1) {
        out.push(Overridden {
            pointer: format!("{at}/$dynamicRef"),
            message: format!(
                "`$dynamicRef` {reference}: the document defines the anchor {times} times; read as a reference to the first (dynamic scopes are not followed)"
            ),
        });
    }
    map.insert("$ref".to_owned(), reference);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_dynamic_reference_is_read_as_a_reference_and_an_overridden_anchor_is_said() {
        let mut value = json!({
            "Tree": {"$dynamicAnchor": "node", "properties": {"children": {"items": {"$dynamicRef": "#node"}}}},
            "List": {"$dynamicAnchor": "item", "items": {"$dynamicRef": "#item"}},
            "Strings": {"$dynamicAnchor": "item", "$ref": "#/List"},
        });
        let said = super::as_references(&mut value);
        assert_eq!(
            value["Tree"]["properties"]["children"]["items"],
            json!({"$ref": "#node"})
        );
        assert_eq!(value["List"]["items"], json!({"$ref": "#item"}));
        assert_eq!(said.len(), 1);
        assert_eq!(said[0].pointer, "/List/items/$dynamicRef");
        assert!(said[0].message.contains("2 times"), "{}", said[0].message);
    }

    #[test]
    fn a_recursive_schema_by_dynamic_reference_holds_itself() {
        let yaml = r##"
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Tree:
      $dynamicAnchor: node
      type: object
      properties:
        children:
          type: array
          items: {$dynamicRef: '#node'}
"##;
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), yaml.to_owned()).unwrap();
        let api = crate::lower::lower(&spec, "t", "t.yaml", true).unwrap();
        let crate::ir::TypeKind::Struct(tree) = &api.types["Tree"].kind else {
            panic!("Tree is a struct");
        };
        let children = format!("{:?}", tree.fields[0].ty);
        assert!(children.contains("Named(\"Tree\")"), "{children}");
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }
}
