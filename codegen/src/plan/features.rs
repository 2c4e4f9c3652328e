//! Cargo features per tag for large APIs: each operation is compiled only with its tag's
//! feature, and each type only with the features of the operations that reach it, so that a
//! user of GitHub's `repos` compiles the repos part and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use crate::ir::{Api, TypeRef};

/// APIs smaller than this are not split: a handful of `cfg`s would only make them harder to read.
const MIN_OPERATIONS: usize = 50;

/// The feature of types that no operation reaches (webhook payloads, say).
pub const UNREFERENCED: &str = "unreferenced-schemas";

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Every tag feature, sorted.
    pub features: BTreeSet<String>,
    /// The feature of each operation, by index.
    pub operation: Vec<String>,
    /// The features under which each type is compiled.
    pub types: BTreeMap<String, BTreeSet<String>>,
}

fn feature_name(tag: &str) -> String {
    let name: String = tag
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    match name.as_str() {
        "" => "untagged".to_owned(),
        "default" | "full" | UNREFERENCED => format!("tag-{name}"),
        _ => name,
    }
}

fn named(ty: &TypeRef, out: &mut Vec<String>) {
    ty.names(&mut |n| out.push(n.to_owned()));
}

/// The plan for `api`, or `None` when it is too small to split or has fewer than two tags.
pub fn plan(api: &Api) -> Option<Plan> {
    let operation: Vec<String> = api
        .operations
        .iter()
        .map(|op| feature_name(op.tags.first().map_or("untagged", String::as_str)))
        .collect();
    let features: BTreeSet<String> = operation.iter().cloned().collect();
    if api.operations.len() < MIN_OPERATIONS || features.len() < 2 {
        return None;
    }
    let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (op, feature) in api.operations.iter().zip(&operation) {
        let mut roots = Vec::new();
        op.type_refs()
            .into_iter()
            .for_each(|t| named(t, &mut roots));
        reach(api, roots, feature, &mut types);
    }
    // What no operation reaches goes under one feature, with everything it refers to.
    let unreferenced: Vec<String> = api
        .types
        .keys()
        .filter(|name| !types.contains_key(*name))
        .cloned()
        .collect();
    reach(api, unreferenced, UNREFERENCED, &mut types);
    Some(Plan {
        features,
        operation,
        types,
    })
}

/// Adds `feature` to the types named in `roots` and every type they refer to.
fn reach(
    api: &Api,
    mut stack: Vec<String>,
    feature: &str,
    types: &mut BTreeMap<String, BTreeSet<String>>,
) {
    while let Some(name) = stack.pop() {
        if !types
            .entry(name.clone())
            .or_default()
            .insert(feature.to_owned())
        {
            continue;
        }
        if let Some(def) = api.types.get(&name) {
            def.kind
                .type_refs()
                .into_iter()
                .for_each(|t| named(t, &mut stack));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 60 operations over two tags: `pets` reaches `Pet` and `Owner`, `stores` reaches `Store`
    /// and `Owner`; `Audit`, which holds a `Store`, is reached by nothing.
    fn api(operations: usize) -> Api {
        let mut paths = String::new();
        for i in 0..operations {
            let (tag, schema) = if i % 2 == 0 {
                ("pets", "Pet")
            } else {
                ("Stores", "Store")
            };
            paths.push_str(&format!(
                "  /op{i}:\n    get:\n      operationId: op{i}\n      tags: [{tag}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n"
            ));
        }
        let source = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    Owner: {{type: object, properties: {{name: {{type: string}}}}}}\n    Pet: {{type: object, properties: {{owner: {{$ref: '#/components/schemas/Owner'}}}}}}\n    Store: {{type: object, properties: {{owners: {{type: array, items: {{$ref: '#/components/schemas/Owner'}}}}}}}}\n    Audit: {{type: object, properties: {{at: {{type: string}}, store: {{$ref: '#/components/schemas/Store'}}}}}}\n"
        );
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), source).unwrap();
        crate::lower::lower(&spec, "t", "t.yaml", true).unwrap()
    }

    #[test]
    fn types_follow_the_operations_that_reach_them() {
        let plan = plan(&api(60)).expect("60 operations over two tags are split");
        assert_eq!(
            plan.features,
            BTreeSet::from(["pets".to_owned(), "stores".to_owned()])
        );
        assert_eq!(
            (plan.operation[0].as_str(), plan.operation[1].as_str()),
            ("pets", "stores")
        );
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(plan.types["Pet"], set(&["pets"]));
        assert_eq!(plan.types["Owner"], set(&["pets", "stores", UNREFERENCED]));
        assert_eq!(plan.types["Store"], set(&["stores", UNREFERENCED]));
        assert_eq!(plan.types["Audit"], set(&[UNREFERENCED]));
    }

    #[test]
    fn small_apis_are_not_split_and_large_ones_are_split_by_tag() {
        assert_eq!(plan(&api(10)), None);
        let files = crate::Config::new().emit(&api(60)).unwrap();
        let file = |p: &str| {
            files
                .get(std::path::Path::new(p))
                .unwrap_or_else(|| panic!("no {p}"))
                .as_str()
        };
        let client = file("t-client/Cargo.toml");
        assert!(
            client.contains("stores = [\"t-models/stores\", \"dep:t-client-tag-stores\"]"),
            "{client}"
        );
        // `Owner` is shared, compiled under the features of the tags that reach it.
        let shared = file("t-models-shared/src/lib.rs");
        assert!(
            shared.contains(
                "#[cfg(any(feature = \"pets\", feature = \"stores\", feature = \"unreferenced-schemas\"))]\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n#[non_exhaustive]\npub struct Owner"
            ),
            "{shared}"
        );
        // `Store`, which the tag `stores` and the unreferenced `Audit` use, is shared too: no
        // part depends on another.
        assert!(shared.contains(
            "#[cfg(any(feature = \"stores\", feature = \"unreferenced-schemas\"))]\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n#[non_exhaustive]\npub struct Store {"
        ));
        assert!(file("t-models-tag-pets/src/lib.rs").contains("pub struct Pet {"));
        let audit = file("t-models-tag-unreferenced-schemas/Cargo.toml");
        assert!(audit.contains("t-models-shared = { path"), "{audit}");
        assert!(!audit.contains("t-models-tag-stores"), "{audit}");
        assert!(
            file("t-models-tag-unreferenced-schemas/src/lib.rs").contains("pub struct Audit {")
        );
        let pets = file("t-client-tag-pets/src/lib.rs");
        assert!(pets.contains("pub trait PetsOperations {"), "{pets}");
        assert!(pets.contains("impl PetsOperations for Client {"), "{pets}");
    }
}
