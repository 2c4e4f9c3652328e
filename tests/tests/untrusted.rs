//! A stranger's spec runs nothing and breaks nothing. `tests/fixtures/untrusted_text.yaml`
//! holds code blocks of every kind (each would write a `PWNED-<where>` file beside the crates if
//! it ran), raw HTML, brackets and bare URLs in every place spec text reaches docs, and a title
//! and version that break a manifest pasted together as text. Its crates are built with their
//! doctests turned on and run, tested, documented with `-D warnings` and read by
//! `cargo metadata`; a crate written by hand with a doctest that writes a file proves that the
//! doctests do run. Hostile documents (an alias bomb, deep nesting, names that climb out of the
//! output folder) are located errors or stay inside it.

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

const FIXTURE: &str = "tests/fixtures/untrusted_text.yaml";

/// Where each code block of the fixture would write if it ran.
const VECTORS: &[&str] = &[
    "info",
    "security",
    "schema",
    "property",
    "list",
    "enum",
    "operation",
    "parameter",
    "query",
    "body",
    "response",
    "error",
];

/// The fixture's crates in a workspace of their own with doctests on, beside a `control` crate
/// whose doctest writes `PWNED-control`.
fn workspace() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("untrusted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = codegen::Config::new();
    let runtime = root().join("runtime").display().to_string();
    config.runtime(codegen::Runtime::Path(runtime));
    let generation = config
        .generate(&root().join(FIXTURE), FIXTURE, &codegen::nothing_before)
        .unwrap();
    let mut members = vec!["\"control\"".to_owned()];
    for (path, text) in generation.files {
        let krate = path.components().next().unwrap().as_os_str();
        let member = format!("{:?}", krate.to_string_lossy());
        if !members.contains(&member) {
            members.push(member);
        }
        // `doctest = false` must not be what keeps the spec's code from running.
        let text = if path.ends_with("Cargo.toml") {
            assert!(text.contains("doctest = false"), "{text}");
            text.replace("doctest = false", "doctest = true")
        } else {
            text
        };
        write(&dir.join(path), &text);
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    write(&dir.join("Cargo.toml"), &manifest);
    write(
        &dir.join("control/Cargo.toml"),
        "[package]\nname = \"control\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    write(
        &dir.join("control/src/lib.rs"),
        "//! A doctest that runs.\n//!\n//! ```\n//! std::fs::write(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../PWNED-control\"), \"x\").unwrap();\n//! ```\n",
    );
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let output = Command::new("cargo")
        .args(args)
        .args(["--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The `PWNED-*` files in `dir`, sorted.
fn written(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("PWNED"))
        .collect();
    names.sort();
    names
}

#[test]
fn spec_text_runs_nothing_and_documents_clean() {
    let dir = workspace();
    let lib = std::fs::read_to_string(dir.join("untrusted-text-models/src/lib.rs")).unwrap();
    let client = std::fs::read_to_string(dir.join("untrusted-text-client/src/lib.rs")).unwrap();
    // The text of every code block is still in the docs.
    for vector in VECTORS {
        let line = format!("/../PWNED-{vector}\"), \"x\").unwrap();");
        assert!(
            lib.contains(&line) || client.contains(&line),
            "the docs lost the code of {vector}"
        );
    }
    assert!(client.contains("\\<script>alert(1)\\</script>"), "{client}");
    assert!(
        lib.contains("a bare URL <https://example.com/bare>"),
        "{lib}"
    );

    cargo(&dir, &["test", "--doc", "--workspace"], &[]);
    assert_eq!(written(&dir), ["PWNED-control"], "the doctests that ran");
    cargo(&dir, &["test", "--workspace", "--exclude", "control"], &[]);
    assert_eq!(written(&dir), ["PWNED-control"], "after the tests");

    let doc = ["doc", "--no-deps", "--workspace", "--exclude", "control"];
    cargo(&dir, &doc, &[("RUSTDOCFLAGS", "-D warnings")]);
    let html = root().join("target/generated-check/doc/untrusted_text_models/struct.Pet.html");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(
        html.contains("PWNED-schema"),
        "the rendered docs hold the code as text"
    );
    assert!(
        !html.contains("<div onclick"),
        "the rendered docs hold markup of the spec"
    );
    assert!(
        html.contains("&lt;div onclick"),
        "the rendered docs lost the HTML's text"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn any_title_and_version_give_manifests_cargo_reads() {
    let dir = workspace();
    let output = cargo(
        &dir,
        &["metadata", "--format-version", "1", "--no-deps"],
        &[],
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let title = "Hostile \"API\" \\ title\n[package]\nname = \"evil\" (version 1.0\" \\ \n2)";
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        if name.starts_with("untrusted-text") {
            let description = package["description"].as_str().unwrap();
            assert!(description.ends_with(title), "{name}: {description:?}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The error of reading `text` as the spec `name`.
fn parse_error(name: &str, text: String) -> String {
    match codegen::Spec::parse(Path::new(name), text) {
        Ok(_) => panic!("{name} was read"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_alias_bomb_is_a_located_error() {
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: bomb, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i", "j"]
        .iter()
        .enumerate()
    {
        let before = ["a", "b", "c", "d", "e", "f", "g", "h", "i"][i];
        let items = vec![format!("*{before}"); 9].join(", ");
        yaml.push_str(&format!("    {name}: &{name} [{items}]\n"));
    }
    let message = parse_error("bomb.yaml", yaml);
    assert!(message.starts_with("bomb.yaml:"), "{message}");
    assert!(message.contains("repetition limit exceeded"), "{message}");
    assert!(message.contains("at #/components/schemas/"), "{message}");
}

#[test]
fn deeply_nested_documents_are_located_errors() {
    let depth = 100_000;
    let json = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"deep\",\"version\":\"1\"}},\"paths\":{{}},\"components\":{{\"schemas\":{{\"A\":{}{{}}{}}}}}}}",
        "{\"items\":".repeat(depth),
        "}".repeat(depth)
    );
    let yaml = format!(
        "openapi: 3.0.3\ninfo: {{title: deep, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for (name, text) in [("deep.json", json), ("deep.yaml", yaml)] {
        let message = parse_error(name, text);
        let line = if name.ends_with("json") { 1 } else { 6 };
        assert!(message.starts_with(&format!("{name}:{line}:")), "{message}");
        assert!(message.contains("recursion limit exceeded"), "{message}");
        assert!(message.contains("at #/components/schemas/A"), "{message}");
    }
}

#[test]
fn names_from_the_spec_stay_inside_the_output_folder() {
    let yaml = "openapi: 3.0.3\ninfo: {title: '../../x', version: '1'}\ntags: [{name: '../../../escaped'}]\npaths:\n  /a:\n    get:\n      operationId: '../../a'\n      tags: ['../../../escaped']\n      responses: {'200': {description: ok}}\n  /b/../../c:\n    get:\n      operationId: '/etc/passwd'\n      responses: {'200': {description: ok}}\n";
    let dir = std::env::temp_dir().join(format!("escape-{}", std::process::id()));
    let spec = dir.join("x.yaml");
    write(&spec, yaml);
    for name in [None, Some("../../x"), Some("/etc")] {
        let mut config = codegen::Config::new();
        if let Some(name) = name {
            config.name(name);
        }
        let files = config
            .generate(&spec, "x.yaml", &codegen::nothing_before)
            .unwrap()
            .files;
        assert!(files.len() > 4, "{name:?}: {:?}", files.keys());
        for path in files.keys() {
            let normal = path.components().all(|c| matches!(c, Component::Normal(_)));
            assert!(
                normal,
                "{name:?}: {} leaves the output folder",
                path.display()
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
