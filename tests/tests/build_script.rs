//! The generator in a crate's `build.rs` (`codegen::Build`): a small crate outside this
//! workspace generates a spec in many files into `OUT_DIR`, includes the module tree, depends
//! on the runtime by version, and calls its client on loopback; editing a file the spec
//! references reruns the script, and the program sees the new field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use tests::copy_tree;
use tests::server::root;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BUILD: &str = r#"fn main() {
    openapi_crates_codegen::Build::new("spec/many_files.yaml")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}
"#;

const MAIN: &str = r#"mod bookshop {
    include!(concat!(env!("OUT_DIR"), "/many_files.rs"));
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    let client = bookshop::client::Client::builder()
        .base_url(url)
        .api_key("k3y")
        .build()
        .unwrap();
    let author: bookshop::models::Author = client.get_author("a1").await.unwrap().into_body();
    println!("{author:?}");
}
"#;

/// A crate of its own under `dir`: the fixture spec in many files, the build script and the
/// program, depending on the runtime by version (and, unpublished, by path).
fn project(dir: &Path) {
    let root = root();
    copy_tree(
        &root.join("tests/fixtures/many_files"),
        &dir.join("spec/many_files"),
    );
    std::fs::copy(
        root.join("tests/fixtures/many_files.yaml"),
        dir.join("spec/many_files.yaml"),
    )
    .unwrap();
    let runtime = codegen::ir::runtime_version();
    let manifest = format!(
        r#"[package]
name = "bookshop"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
client-runtime = {{ version = "{runtime}", path = {:?}, features = ["webhooks"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["raw_value"] }}
tokio = {{ version = "1", features = ["macros", "rt"] }}

[build-dependencies]
openapi-crates-codegen = {{ path = {:?} }}
"#,
        root.join("runtime").display().to_string(),
        root.join("codegen").display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("build.rs"), BUILD).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
}

/// The target folder the crate builds into: the workspace's, where the generator is already
/// compiled as the build dependency of this crate.
fn target() -> PathBuf {
    root().join("target")
}

fn build(dir: &Path) -> Output {
    Command::new("cargo")
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target())
        .output()
        .unwrap()
}

async fn run(dir: &Path, server: &MockServer) -> String {
    let built = build(dir);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let ran = Command::new(target().join("debug/bookshop"))
        .arg(server.uri())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ran.stdout).into_owned();
    assert!(
        ran.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    stdout
}

#[tokio::test]
async fn a_build_script_generates_a_module_tree_that_calls_its_client_and_follows_its_inputs() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    project(dir);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/authors/a1"))
        .and(header("x-api-key", "k3y"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "Walt Whitman", "born": 1819
        })))
        .mount(&server)
        .await;
    let said = run(dir, &server).await;
    assert!(
        said.starts_with("Author { name: \"Walt Whitman\""),
        "{said}"
    );
    assert!(!said.contains("born: Some"), "{said}");
    // The field appears once the referenced file says so: the script ran again.
    let author = dir.join("spec/many_files/schemas/Author.yaml");
    let text = std::fs::read_to_string(&author).unwrap();
    let edited = text.replace(
        "  name: { type: string }\n",
        "  name: { type: string }\n  born: { type: integer }\n",
    );
    assert_ne!(text, edited);
    std::fs::write(&author, edited).unwrap();
    let said = run(dir, &server).await;
    assert!(said.contains("born: Some(1819)"), "{said}");
}

/// What the module tree holds and needs, without a build script.
#[test]
fn the_module_tree_lists_its_inputs_and_dependencies() {
    let spec = root().join("tests/fixtures/many_files.yaml");
    let tree = codegen::Build::new(&spec).module_tree().unwrap();
    assert_eq!(tree.name, "many_files");
    assert!(
        tree.text.contains("pub mod models {"),
        "{}",
        &tree.text[..300]
    );
    assert!(tree.text.contains("pub mod client {"));
    assert!(tree.text.contains("pub use super::models;"));
    // The spec and every file its references name.
    assert!(tree.inputs.len() > 5, "{:?}", tree.inputs);
    assert!(
        tree.inputs
            .iter()
            .any(|p| p.ends_with("many_files/schemas/Author.yaml")),
        "{:?}",
        tree.inputs
    );
    // The spec has a callback: the runtime's `webhooks` feature receives it.
    let runtime = &tree.dependencies["client-runtime"];
    let version = format!("version = \"{}\"", codegen::ir::runtime_version());
    assert!(
        runtime.contains(&version) && runtime.contains("\"webhooks\""),
        "{runtime}"
    );
    assert!(tree.dependencies["serde"].contains("derive"));
    assert!(!tree.dependencies.contains_key("many-files-models"));
}
