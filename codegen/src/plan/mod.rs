//! The decisions on a generation's shape that the emitters and the public surface both read:
//! the feature plan of a large API, the package names of its parts, and how fields, structs and
//! operations look in Rust ([`shape`]). Each is made here, once, from the IR alone.

pub mod features;
pub mod placement;
pub mod shape;

pub use features::{Plan, UNREFERENCED, check_default_features, plan};

use crate::ir::Api;

/// The package names of a split API's parts ([`is_part`] tells them back): a part of one
/// feature is `-tag-<feature>`, one of several `-tags-<first feature>`.
pub struct PartNames<'a> {
    pub api: &'a Api,
}

impl PartNames<'_> {
    pub fn models_shared(&self) -> String {
        format!("{}-shared", self.api.crates.models)
    }

    pub fn models_part(&self, features: &[String]) -> String {
        format!("{}{}", self.api.crates.models, part_suffix(features))
    }

    pub fn client_shared(&self) -> String {
        format!("{}-shared", self.api.crates.client)
    }

    pub fn client_part(&self, features: &[String]) -> String {
        format!("{}{}", self.api.crates.client, part_suffix(features))
    }
}

fn part_suffix(features: &[String]) -> String {
    match features {
        [one] => format!("-tag-{one}"),
        _ => format!("-tags-{}", features.first().map_or("", String::as_str)),
    }
}

/// Whether the crate folder `dir` is a part of the crate `facade`.
pub fn is_part(dir: &str, facade: &str) -> bool {
    dir.strip_prefix(facade).is_some_and(|rest| {
        rest == "-shared" || rest.starts_with("-tag-") || rest.starts_with("-tags-")
    })
}
