//! The component names of objects gathered from other files. A name comes from where the object
//! lives: a file that holds one object is named after the file (`schemas/Book.yaml` → `Book`), an
//! object under a pointer after the pointer's last name (`common.yaml#/components/schemas/Error`
//! → `Error`). The entry document's own components keep their names; a gathered object whose
//! name is taken is qualified by its place (its folders, nearest first, then its file), so that
//! the one that keeps the plain name is decided by where each lives, never by the order the
//! references were met: the object nearest the entry's folder first, then by path and pointer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::{File, Target};
use crate::naming::type_name;

/// Tokens of a pointer that name OpenAPI's structure, not the author's objects.
const STRUCTURE: &[&str] = &[
    "components",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
    "properties",
    "items",
    "content",
    "schema",
    "paths",
    "$defs",
    "definitions",
];

/// The names of taken components of one section, as keys and as the type names they become.
#[derive(Default)]
struct Taken {
    keys: BTreeSet<String>,
    types: BTreeSet<String>,
}

impl Taken {
    fn free(&self, key: &str) -> bool {
        !self.keys.contains(key) && !self.types.contains(&type_name(key))
    }

    fn take(&mut self, key: &str) {
        self.keys.insert(key.to_owned());
        self.types.insert(type_name(key));
    }
}

/// A component key for each target, by index.
pub(super) fn settle(entry: &Value, targets: &[Target], files: &[File]) -> Vec<String> {
    let mut taken: BTreeMap<&str, Taken> = BTreeMap::new();
    let sections = entry.get("components").and_then(Value::as_object);
    for (section, names) in sections.into_iter().flatten() {
        let of_section = taken.entry(section.as_str()).or_default();
        for key in names.as_object().into_iter().flatten().map(|(k, _)| k) {
            of_section.take(key);
        }
    }
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|&i| {
        let t = &targets[i];
        let relative = &files[t.file].relative;
        (
            relative.components().count(),
            relative.clone(),
            t.pointer.clone(),
        )
    });
    let mut names = vec![String::new(); targets.len()];
    for i in order {
        let target = &targets[i];
        let section = taken
            .entry(target.kind.section().unwrap_or("schemas"))
            .or_default();
        let candidates = candidates(&files[target.file].relative, &target.pointer);
        let own = candidates[0].clone();
        let numbered = (2..).map(|n| format!("{own}{n}"));
        let name = candidates
            .into_iter()
            .chain(numbered)
            .find(|c| section.free(c))
            .unwrap_or(own);
        section.take(&name);
        names[i] = name;
    }
    names
}

/// The names a target may take before it is numbered, in order: its own name, then qualified by
/// its folders (nearest first) and its file.
pub(crate) fn candidates(relative: &Path, pointer: &str) -> Vec<String> {
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let own = own_name(&stem, pointer);
    let mut places: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "..")
        .collect();
    if !pointer.is_empty() {
        places.push(stem);
    }
    let mut out = vec![own.clone()];
    let mut qualifier = String::new();
    for place in places.iter().rev() {
        qualifier = format!("{}{qualifier}", type_name(place));
        out.push(key(&format!("{qualifier}{}", type_name(&own))));
    }
    out
}

/// A target's name from where it lives: the file's stem, or the pointer's last author-chosen
/// names.
fn own_name(stem: &str, pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let last = tokens.last().map(String::as_str).unwrap_or("");
    let plain =
        !last.is_empty() && !STRUCTURE.contains(&last) && !last.chars().all(|c| c.is_ascii_digit());
    if pointer.is_empty() {
        return key(stem);
    }
    if plain {
        return key(last);
    }
    let words: Vec<&str> = std::iter::once(stem)
        .chain(tokens.iter().map(String::as_str))
        .filter(|t| !STRUCTURE.contains(t))
        .collect();
    key(&type_name(&words.join(" ")))
}

/// `text` as a component key (`^[a-zA-Z0-9._-]+$`): other characters become `_`.
fn key(text: &str) -> String {
    let key: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if key.is_empty() {
        "Unnamed".to_owned()
    } else {
        key
    }
}
