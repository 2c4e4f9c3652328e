//! The text of what the generator writes, over every fixture spec and this repository's
//! `generated/`: each client method is in its crate's README, and the docs fit 100 columns
//! without filler lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file generated from each fixture that generates (strict or not), by fixture.
fn fixture_outputs() -> BTreeMap<String, BTreeMap<PathBuf, String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".yaml") || name.starts_with("error_") {
            continue;
        }
        let Ok(api) = codegen::Config::new().load(&path, &name) else {
            continue;
        };
        out.insert(name, codegen::Config::new().emit(&api).unwrap());
    }
    assert!(out.len() > 20, "{} fixtures generate", out.len());
    out
}

/// The methods of a client's `impl Client` blocks, by name.
fn client_methods(lib: &str) -> Vec<String> {
    let mut inside = false;
    let mut names = Vec::new();
    for line in lib.lines() {
        if line.starts_with("impl Client {") {
            inside = true;
        } else if line == "}" {
            inside = false;
        } else if inside {
            let rest = line.strip_prefix("    pub ").unwrap_or_default();
            let rest = rest.strip_prefix("async ").unwrap_or(rest);
            if let Some(sig) = rest.strip_prefix("fn ") {
                names.push(sig.split(['(', '<']).next().unwrap().to_owned());
            }
        }
    }
    names
}

/// Every method a client has, walks of pages and stream twins among them, is a row of its
/// README with its arguments; the client's own (`builder`, `base_url`, `with`) are not
/// operations.
#[test]
fn every_client_method_is_in_its_readme_with_its_arguments() {
    let mut walks = 0;
    for (fixture, files) in fixture_outputs() {
        let libs = files.iter().filter(|(p, _)| p.ends_with("src/lib.rs"));
        for (path, lib) in libs.filter(|(p, _)| p.to_string_lossy().contains("-client/")) {
            let readme = &files[&path.parent().unwrap().parent().unwrap().join("README.md")];
            for name in client_methods(lib) {
                if ["builder", "base_url", "with"].contains(&name.as_str()) {
                    continue;
                }
                walks += usize::from(name.ends_with("_items"));
                let row = [format!("| `{name}("), format!("| `async {name}(")];
                assert!(
                    row.iter().any(|r| readme.contains(r.as_str())),
                    "{fixture}: `{name}` is not in {}",
                    path.display()
                );
            }
        }
    }
    assert!(walks >= 6, "the fixtures' walks: {walks}");
}

/// Doc lines fit 100 columns (but a word too long for any line), none is a `/** */` block,
/// and none is a filler that says only a field's name ("The property `x`.").
#[test]
fn docs_fit_100_columns_and_say_more_than_the_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let mut texts: Vec<(String, String)> = Vec::new();
    for (fixture, files) in fixture_outputs() {
        let rust = files
            .into_iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "rs"));
        texts.extend(rust.map(|(p, text)| (format!("{fixture}: {}", p.display()), text)));
    }
    for entry in walk(&root) {
        if entry.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&entry).unwrap();
            texts.push((entry.display().to_string(), text));
        }
    }
    let mut lines = 0;
    for (at, text) in &texts {
        for (i, line) in text.lines().enumerate() {
            let doc = line.trim_start();
            if !(doc.starts_with("///") || doc.starts_with("//!")) {
                assert!(!doc.starts_with("/**"), "{at}:{}: {line}", i + 1);
                continue;
            }
            lines += 1;
            // One word (a long URL or code span) cannot break.
            let one_word = !doc[3..].trim().contains(' ');
            assert!(
                line.chars().count() <= 100 || one_word,
                "{at}:{}: {line}",
                i + 1
            );
            assert!(
                !doc.starts_with("/// The property `"),
                "{at}:{}: {line}",
                i + 1
            );
        }
    }
    assert!(lines > 1000, "{lines} doc lines read");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
