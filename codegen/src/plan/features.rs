//! Cargo features per tag for large APIs: each operation is compiled only with its tag's
//! feature, and each type only with the features of the operations that reach it, so that a
//! user of GitHub's `repos` compiles the repos part and nothing else. An API without two tags
//! is grouped by the first word of its paths instead (`/v1/customers/{id}` → `customers`).
//! The features are then packed into parts, the crates of a split API: a large feature is a
//! part of its own, small ones share one, so that crates are sized by what they hold.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use crate::graph::TypeGraph;
use crate::ir::Api;

/// APIs smaller than this are not split: a handful of `cfg`s would only make them harder to read.
const MIN_OPERATIONS: usize = 50;

/// The feature of types that no operation and no event reaches.
pub const UNREFERENCED: &str = "unreferenced-schemas";

/// The feature of the events the API sends (webhooks, callbacks): their payloads' types and
/// the client's `webhooks` module.
pub const WEBHOOKS: &str = "webhooks";

/// About how much code a part holds before small features stop joining it, counted as types
/// plus three per operation (an operation makes some three times the code of a type).
const PART_WEIGHT: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Every tag feature, sorted.
    pub features: BTreeSet<String>,
    /// The feature of each operation, by index.
    pub operation: Vec<String>,
    /// The features under which each type is compiled.
    pub types: BTreeMap<String, BTreeSet<String>>,
    /// The features each part holds, sorted, [`UNREFERENCED`] among them; parts in order of
    /// their first feature.
    pub parts: Vec<Vec<String>>,
    /// The features of each tag's child tags (OpenAPI 3.2's `parent`), which its feature
    /// enables, by the parent's feature.
    pub children: BTreeMap<String, Vec<String>>,
    /// Which crate each type and operation goes to, decided from the above.
    pub placement: super::placement::Placement,
}

fn feature_name(tag: &str) -> String {
    let name: String = tag
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    match name.as_str() {
        "" => "untagged".to_owned(),
        "default" | "full" | "mock" | "axum" | UNREFERENCED | WEBHOOKS => format!("tag-{name}"),
        _ if crate::ir::RUNTIME_FEATURES.contains(&name.as_str()) => format!("tag-{name}"),
        _ => name,
    }
}

/// The first word of a path that says what it holds: not a version (`v1`), not a parameter.
fn path_word(path: &str) -> &str {
    let version = |s: &str| {
        s.strip_prefix(['v', 'V'])
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !version(s) && *s != "api")
        .unwrap_or("root")
}

/// Each operation's group: its first tag when the API has two or more, else its path's word.
fn groups(api: &Api) -> Vec<String> {
    let by_tag: Vec<String> = api
        .operations
        .iter()
        .map(|op| feature_name(op.tags.first().map_or("untagged", String::as_str)))
        .collect();
    if by_tag.iter().collect::<BTreeSet<_>>().len() >= 2 {
        return by_tag;
    }
    api.operations
        .iter()
        .map(|op| feature_name(path_word(&op.path)))
        .collect()
}

impl Plan {
    /// The features a type is compiled under, or `None` when it is compiled whatever the
    /// features: more than half of them reach it, so that gating it would save little and
    /// cost a long `cfg` on every item. What such a type refers to is reached by as many.
    pub fn gate_of(&self, name: &str) -> Option<&BTreeSet<String>> {
        let features = self.types.get(name)?;
        (features.len() * 2 <= self.features.len() + 1).then_some(features)
    }
}

/// Whether `chosen` may be a split API's default features under `plan`: each one of its
/// features, and the API split.
pub fn check_default_features(chosen: &[String], plan: Option<&Plan>) -> Result<(), String> {
    let Some(plan) = plan else {
        return Err(
            "default features are chosen, but the API is not split into features (it has fewer than 50 operations, or they fall in fewer than two groups, or splitting is off)"
                .to_owned(),
        );
    };
    match chosen.iter().find(|f| !plan.features.contains(*f)) {
        Some(unknown) => Err(format!(
            "the default feature {unknown:?} is none of the API's features: {}",
            plan.features.iter().cloned().collect::<Vec<_>>().join(", ")
        )),
        None => Ok(()),
    }
}

/// The plan for `api`, or `None` when it is too small to split or its operations fall in
/// fewer than two groups.
pub fn plan(api: &Api) -> Option<Plan> {
    let operation = groups(api);
    let features: BTreeSet<String> = operation.iter().cloned().collect();
    if api.operations.len() < MIN_OPERATIONS || features.len() < 2 {
        return None;
    }
    let types = reached_by(api, &operation);
    let parts = parts(&features, &operation, &types);
    let children = children(api, &features);
    let mut plan = Plan {
        features,
        operation,
        types,
        parts,
        children,
        placement: super::placement::Placement::default(),
    };
    plan.placement = super::placement::place(api, &plan);
    Some(plan)
}

/// The features of the child tags of each tag that is a feature, among `features`.
fn children(api: &Api, features: &BTreeSet<String>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (tag, parent) in &api.tag_parents {
        let (child, parent) = (feature_name(tag), feature_name(parent));
        if child != parent && features.contains(&child) && features.contains(&parent) {
            out.entry(parent).or_default().push(child);
        }
    }
    for children in out.values_mut() {
        children.sort();
        children.dedup();
    }
    out
}

/// The features packed into parts: in name order, one reaching [`PART_WEIGHT`] alone stays
/// alone, and the others join the open part until it does.
fn parts(
    features: &BTreeSet<String>,
    operation: &[String],
    types: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Vec<String>> {
    let mut weight: BTreeMap<&str, usize> = features.iter().map(|f| (f.as_str(), 0)).collect();
    weight.insert(UNREFERENCED, 0);
    weight.insert(WEBHOOKS, 0);
    operation
        .iter()
        .for_each(|f| *weight.get_mut(f.as_str()).expect("a feature") += 3);
    for reached_by in types.values().filter(|fs| fs.len() == 1) {
        let only = reached_by.first().expect("one feature");
        *weight.get_mut(only.as_str()).expect("a feature") += 1;
    }
    // The events' feature holds their module, even when operations reach their types too.
    if types.values().any(|fs| fs.contains(WEBHOOKS)) {
        let events = weight.get_mut(WEBHOOKS).expect("a feature");
        *events = (*events).max(1);
    }
    let (mut parts, mut open, mut held) = (Vec::new(), Vec::new(), 0);
    for (feature, w) in weight.into_iter().filter(|(_, w)| *w > 0) {
        if w >= PART_WEIGHT {
            parts.push(vec![feature.to_owned()]);
            continue;
        }
        open.push(feature.to_owned());
        held += w;
        if held >= PART_WEIGHT {
            parts.push(std::mem::take(&mut open));
            held = 0;
        }
    }
    if !open.is_empty() {
        parts.push(open);
    }
    parts.sort();
    parts
}

/// The features under which each type is compiled: those of the operations that reach it,
/// [`WEBHOOKS`] for what events carry; what nothing reaches goes under [`UNREFERENCED`], with
/// everything it refers to.
fn reached_by(api: &Api, operation: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let graph = TypeGraph::of(api);
    let mut reached: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); graph.len()];
    for (op, feature) in api.operations.iter().zip(operation) {
        graph.walk(graph.roots(op.type_refs()), |n| reached[n].insert(feature));
    }
    for hook in &api.webhooks {
        graph.walk(graph.roots(hook.type_refs()), |n| {
            reached[n].insert(WEBHOOKS)
        });
    }
    let unreferenced = (0..graph.len())
        .filter(|n| reached[*n].is_empty())
        .collect();
    graph.walk(unreferenced, |n| reached[n].insert(UNREFERENCED));
    reached
        .into_iter()
        .enumerate()
        .map(|(n, features)| {
            let features = features.into_iter().map(str::to_owned).collect();
            (graph.name(n).to_owned(), features)
        })
        .collect()
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

    /// What the events carry is under their own feature, beside the operations' that reach it.
    #[test]
    fn the_events_payloads_are_under_the_webhooks_feature() {
        let mut api = api(60);
        let mut hook = api.operations[0].clone();
        let audit = crate::ir::TypeRef::Named("Audit".to_owned());
        hook.body = Some(crate::ir::Body {
            media: vec![crate::ir::BodyMedia {
                media_type: "application/json".to_owned(),
                kind: crate::ir::BodyKind::Json(audit),
                variant: "Json".to_owned(),
                parts: String::new(),
                label: None,
            }],
            required: true,
            doc: None,
        });
        hook.responses.clear();
        api.webhooks.push(hook);
        let plan = plan(&api).unwrap();
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(plan.types["Audit"], set(&[WEBHOOKS]));
        assert_eq!(plan.types["Store"], set(&["stores", WEBHOOKS]));
        assert!(
            plan.parts.iter().flatten().any(|f| f == WEBHOOKS),
            "{:?}",
            plan.parts
        );
        assert!(!plan.types.values().flatten().any(|f| f == UNREFERENCED));
    }

    /// The placement is data the emitters read: a type one part's features reach is that
    /// part's, one several parts reach is shared, each operation is in its tag's trait.
    #[test]
    fn the_placement_says_where_each_type_and_operation_goes() {
        let plan = plan(&api(420)).unwrap();
        let placed = &plan.placement;
        assert_eq!(placed.shared, ["Owner", "Store"]);
        let holds: Vec<(&str, &[String])> = placed
            .parts
            .iter()
            .map(|p| (p.features[0].as_str(), p.types.as_slice()))
            .collect();
        assert_eq!(
            holds,
            [
                ("pets", &["Pet".to_owned()][..]),
                ("stores", &[]),
                (UNREFERENCED, &["Audit".to_owned()]),
            ]
        );
        let pets = &placed.parts[0].tags[0];
        assert_eq!(pets.operations_trait, "PetsOperations");
        assert_eq!(pets.operations.len(), 210);
        assert!(pets.operations.iter().all(|&i| plan.operation[i] == "pets"));
    }

    const DERIVES: &str = "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n#[non_exhaustive]\n";

    fn files_of(operations: usize) -> impl Fn(&str) -> String {
        let files = crate::Config::new().emit(&api(operations)).unwrap();
        move |p: &str| {
            files
                .get(std::path::Path::new(p))
                .unwrap_or_else(|| panic!("no {p} in {:?}", files.keys()))
                .clone()
        }
    }

    #[test]
    fn small_apis_are_not_split_and_large_tags_are_parts_of_their_own() {
        assert_eq!(plan(&api(10)), None);
        let plan = plan(&api(420)).unwrap();
        let parts: Vec<&[String]> = plan.parts.iter().map(Vec::as_slice).collect();
        assert_eq!(
            parts,
            [
                &["pets".to_owned()][..],
                &["stores".to_owned()],
                &[UNREFERENCED.to_owned()]
            ]
        );
        let file = files_of(420);
        let client = file("t-client/Cargo.toml");
        assert!(
            client.contains("stores = [\"t-models/stores\", \"dep:t-client-tag-stores\", \"t-client-tag-stores/stores\"]"),
            "{client}"
        );
        // `Owner` is shared; every tag reaches it, so it is compiled whatever the features.
        let shared = file("t-models-shared/src/lib.rs");
        let owner = shared.find("pub struct Owner").expect("Owner is shared");
        let above = shared[..owner]
            .strip_suffix(DERIVES)
            .and_then(|s| s.lines().last())
            .expect("Owner derives right below its docs");
        assert!(above.starts_with("///"), "not gated: {above}\n{shared}");
        // `Store`, which the tag `stores` and the unreferenced `Audit` use, is shared too: no
        // part depends on another.
        assert!(shared.contains("pub struct Store {"), "{shared}");
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

    #[test]
    fn small_tags_share_a_part_with_their_items_under_each_tag() {
        let plan = plan(&api(60)).unwrap();
        let all = vec![
            "pets".to_owned(),
            "stores".to_owned(),
            UNREFERENCED.to_owned(),
        ];
        assert_eq!(plan.parts, [all]);
        let file = files_of(60);
        // What only the part's tags reach is the part's, each item under its tags' features.
        let models = file("t-models-tags-pets/src/lib.rs");
        assert!(
            models.contains("/// The schema `Pet`.\n#[cfg(feature = \"pets\")]\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n#[non_exhaustive]\npub struct Pet {"),
            "{models}"
        );
        assert!(models.contains("pub struct Owner {"), "{models}");
        let client = file("t-client-tags-pets/src/lib.rs");
        assert!(
            client.contains("#[cfg(feature = \"stores\")]\npub trait StoresOperations {"),
            "{client}"
        );
        let manifest = file("t-client-tags-pets/Cargo.toml");
        assert!(
            manifest.contains("pets = [\"t-models-shared/pets\", \"t-models-tags-pets/pets\"]"),
            "{manifest}"
        );
        let facade = file("t-models/Cargo.toml");
        assert!(
            facade.contains("pets = [\"t-models-shared/pets\", \"dep:t-models-tags-pets\", \"t-models-tags-pets/pets\"]"),
            "{facade}"
        );
    }

    #[test]
    fn an_api_without_tags_is_grouped_by_the_first_word_of_its_paths() {
        assert_eq!(path_word("/v1/customers/{customer}/sources"), "customers");
        assert_eq!(path_word("/api/v2.1/{org}/repos"), "repos");
        assert_eq!(path_word("/"), "root");
    }

    /// OpenAPI 3.2's tag `parent`: the parent's feature enables its children's.
    #[test]
    fn a_parent_tags_feature_enables_its_childrens() {
        let mut paths = String::new();
        for i in 0..60 {
            let tag = ["pets", "dogs", "stores"][i % 3];
            paths.push_str(&format!(
                "  /op{i}:\n    get:\n      operationId: op{i}\n      tags: [{tag}]\n      responses:\n        '204': {{description: ok}}\n"
            ));
        }
        let source = format!(
            "openapi: 3.2.0\ninfo: {{title: t, version: '1'}}\ntags:\n  - {{name: pets}}\n  - {{name: dogs, parent: pets}}\n  - {{name: stores}}\npaths:\n{paths}"
        );
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), source).unwrap();
        let api = crate::lower::lower(&spec, "t", "t.yaml", true).unwrap();
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
        let plan = plan(&api).unwrap();
        assert_eq!(
            plan.children,
            BTreeMap::from([("pets".to_owned(), vec!["dogs".to_owned()])])
        );
        let files = crate::Config::new().emit(&api).unwrap();
        for facade in ["t-client/Cargo.toml", "t-models/Cargo.toml"] {
            let manifest = &files[std::path::Path::new(facade)];
            let pets = manifest.lines().find(|l| l.starts_with("pets = ")).unwrap();
            assert!(pets.ends_with(", \"dogs\"]"), "{pets}");
            let dogs = manifest.lines().find(|l| l.starts_with("dogs = ")).unwrap();
            assert!(!dogs.contains("\"pets\""), "{dogs}");
        }
    }
}
