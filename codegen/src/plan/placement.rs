//! Where each type and operation of a split API goes: the shared crate or a part, and in a
//! part, the trait of its tag. Decided here, as data, from the feature plan, before anything
//! is emitted; `emit/split.rs` renders each crate from it.

use std::collections::{BTreeMap, BTreeSet};

use super::Plan;
use crate::ir::Api;

/// The crates of a split API and what each holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// The types of the shared crate, by name, in the API's order.
    pub shared: Vec<String>,
    /// The parts that hold anything (or the events' feature), in the plan's order.
    pub parts: Vec<Part>,
}

/// One part of the plan: a large tag alone, or several small ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's features, sorted; the first names its crates.
    pub features: Vec<String>,
    /// Its types, by name, in the API's order.
    pub types: Vec<String>,
    /// The features that have operations, in order, each with its operations and trait.
    pub tags: Vec<Tag>,
}

/// One feature's operations in a client part: a trait implemented for `Client`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub feature: String,
    /// The operations, by index in `Api::operations`.
    pub operations: Vec<usize>,
    /// The trait of the tag's operations, `<Feature>Operations`.
    pub operations_trait: String,
}

impl Part {
    /// Whether the part holds several features, so that its items carry their `cfg`s.
    pub fn grouped(&self) -> bool {
        self.features.len() > 1
    }
}

/// Where everything of `api` goes under `plan`.
pub fn place(api: &Api, plan: &Plan) -> Placement {
    let part_of: BTreeMap<&str, usize> = plan
        .parts
        .iter()
        .enumerate()
        .flat_map(|(i, fs)| fs.iter().map(move |f| (f.as_str(), i)))
        .collect();
    let mut parts: Vec<Part> = plan
        .parts
        .iter()
        .map(|features| Part {
            features: features.clone(),
            types: Vec::new(),
            tags: Vec::new(),
        })
        .collect();
    let mut shared = Vec::new();
    for name in api.types.keys() {
        match home(plan, &part_of, name) {
            Some(i) => parts[i].types.push(name.clone()),
            None => shared.push(name.clone()),
        }
    }
    let mut by_feature: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, feature) in plan.operation.iter().enumerate() {
        by_feature.entry(feature).or_default().push(i);
    }
    let mut traits = BTreeSet::new();
    for (feature, operations) in by_feature {
        let name = format!("{}Operations", crate::naming::type_name(feature));
        parts[part_of[feature]].tags.push(Tag {
            feature: feature.to_owned(),
            operations,
            operations_trait: crate::naming::unique(&mut traits, name, ""),
        });
    }
    // The events' feature stays when others' parts hold all its types: the `webhooks` module
    // and the gates of those types name it.
    let events = |p: &Part| p.features.iter().any(|f| f == super::features::WEBHOOKS);
    parts.retain(|p| !p.types.is_empty() || !p.tags.is_empty() || events(p));
    Placement { shared, parts }
}

/// The part that holds a type: the one whose features include every feature that reaches it;
/// `None` for the shared crate.
fn home(plan: &Plan, part_of: &BTreeMap<&str, usize>, name: &str) -> Option<usize> {
    let mut parts = plan
        .types
        .get(name)?
        .iter()
        .map(|f| part_of.get(f.as_str()));
    let first = parts.next()??;
    parts.all(|p| p == Some(first)).then_some(*first)
}
