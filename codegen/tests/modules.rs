//! The generator's top-level modules (`load`, `lower`, `ir`, `plan`, `emit`, `surface`…) import
//! one another without a cycle, so that each can be read knowing only what it imports. An
//! import is a `crate::<module>` path in a module's code outside its comments and its unit tests
//! (a test may build its input with a higher layer).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules: `src/<name>.rs` and `src/<name>/`.
fn modules() -> BTreeSet<String> {
    std::fs::read_dir(source())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .filter(|m| m != "lib")
        .collect()
}

/// A file's code without its comments and its `#[cfg(test)] mod tests`.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which top-level modules each one imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut files = Vec::new();
    rust_files(&source(), &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(source()).unwrap();
        let from = relative.iter().next().unwrap().to_string_lossy();
        let from = from.trim_end_matches(".rs").to_owned();
        if !modules.contains(&from) {
            continue;
        }
        let text = code(&std::fs::read_to_string(&file).unwrap());
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) && name != from {
                edges.entry(from.clone()).or_default().insert(name);
            }
        }
    }
    edges
}

/// A cycle through `at`, as the modules on it, when there is one.
fn cycle_from(
    at: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|m| m == at) {
        let mut cycle = path[start..].to_vec();
        cycle.push(at.to_owned());
        return Some(cycle);
    }
    if done.contains(at) {
        return None;
    }
    path.push(at.to_owned());
    for next in edges.get(at).into_iter().flatten() {
        if let Some(cycle) = cycle_from(next, edges, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(at.to_owned());
    None
}

#[test]
fn the_top_level_modules_import_one_another_without_a_cycle() {
    let edges = imports();
    assert!(
        edges["emit"].contains("ir"),
        "the scan reads imports: {edges:?}"
    );
    let mut done = BTreeSet::new();
    for module in edges.keys() {
        let cycle = cycle_from(module, &edges, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "an import cycle: {}",
            cycle.unwrap().join(" -> ")
        );
    }
}

#[test]
fn a_cycle_is_found() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("lower", &["plan", "ir"][..]),
        ("plan", &["ir", "lower"]),
        ("ir", &[]),
    ]
    .into_iter()
    .map(|(m, to)| (m.to_owned(), to.iter().map(|t| t.to_string()).collect()))
    .collect();
    let cycle = cycle_from("lower", &edges, &mut Vec::new(), &mut BTreeSet::new());
    assert_eq!(cycle.unwrap(), ["lower", "plan", "lower"]);
}
