//! A spec in many files (`tests/fixtures/many_files.yaml` and `many_files/`), generated as one
//! API: its client sends and reads what the pieces in other files describe, against wiremock on
//! loopback.

use serde_json::json;
use tests::fixtures::{many_files as models, many_files_client as client};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn book() -> serde_json::Value {
    json!({
        "id": "b1",
        "title": "Leaves of Grass",
        "price": { "amount": 1250, "currency": "USD" },
        "genre": "poetry",
        "author": { "name": "Walt Whitman", "books": [] }
    })
}

async fn client(server: &MockServer) -> client::Client {
    client::Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .no_retries()
        .build()
        .unwrap()
}

#[tokio::test]
async fn parameters_schemas_and_schemes_from_other_files_send_and_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/books"))
        .and(query_param("limit", "5"))
        .and(query_param("genre", "poetry"))
        .and(header("x-api-key", "k3y"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "books": [book()] })))
        .mount(&server)
        .await;
    let params = client::ListBooksParams::default()
        .limit(5)
        .genre(models::Genre::Poetry);
    let page = client(&server)
        .await
        .list_books_with(&params)
        .await
        .unwrap();
    let books = page.into_body().books;
    assert_eq!(books.len(), 1);
    assert_eq!(books[0].price, models::Money::new(1250, "USD"));
    let author = books[0].author.as_ref().unwrap();
    assert_eq!(author.name, "Walt Whitman");
    assert_eq!(author.books.as_deref(), Some(&[][..]));
}

#[tokio::test]
async fn a_body_from_a_json_file_and_content_by_reference_round_trip() {
    let server = MockServer::start().await;
    let sent =
        json!({ "title": "Leaves of Grass", "price": { "amount": 1250, "currency": "USD" } });
    Mock::given(method("POST"))
        .and(path("/books"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(201).set_body_json(book()))
        .mount(&server)
        .await;
    let new = models::NewBook::new("Leaves of Grass", models::Money::new(1250, "USD"));
    let stored = client(&server)
        .await
        .add_book(new)
        .await
        .unwrap()
        .into_body();
    assert_eq!(
        (stored.id.as_str(), stored.genre),
        ("b1", Some(models::Genre::Poetry))
    );
}

#[tokio::test]
async fn responses_from_another_file_are_typed_errors_of_the_error_schema_that_file_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "code": 404, "detail": "no such" })),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    let Err(client_runtime::Error::Status { error, .. }) = client.get_book("b9").await else {
        panic!("a documented 404");
    };
    let client::GetBookError::NotFound(e) = error else {
        panic!("the 404 of common/responses.yaml");
    };
    assert_eq!((e.code, e.detail.as_str()), (404, "no such"));
    let Err(client_runtime::Error::Status { error, .. }) = client.get_author("a9").await else {
        panic!("a documented 404");
    };
    let client::GetAuthorError::NotFound(e) = error else {
        panic!("the 404 of common/responses.yaml");
    };
    assert_eq!(e.code, 404);
}

/// The spec's files, the bundle `codegen::load::bundle` writes of them, and a scratch folder.
fn bundled(yaml: bool) -> (std::path::PathBuf, tempfile::TempDir) {
    let spec = tests::server::root().join("tests/fixtures/many_files.yaml");
    let (text, warnings) =
        codegen::load::bundle(&spec, &codegen::load::Reach::default(), yaml).unwrap();
    assert_eq!(
        warnings.len(),
        1,
        "the `content` map by reference: {warnings:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir
        .path()
        .join(if yaml { "bundle.yaml" } else { "bundle.json" });
    std::fs::write(&bundle, text).unwrap();
    (spec, dir)
}

/// The files of a generation, with `type-names.txt` reduced to its names: it records where each
/// type's schema lives, which is a file of the spec for the one and the bundle for the other.
fn crates(mut files: codegen::Files) -> codegen::Files {
    for (path, text) in files.iter_mut() {
        if path.ends_with(codegen::pins::Pins::FILE) {
            let names: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split(' ').next())
                .collect();
            *text = names.join("\n");
        }
    }
    files
}

#[test]
fn the_bundle_generates_the_crates_the_files_generate() {
    for yaml in [true, false] {
        let (spec, dir) = bundled(yaml);
        let bundle = dir
            .path()
            .join(if yaml { "bundle.yaml" } else { "bundle.json" });
        let generate = |path: &std::path::Path| {
            let mut config = codegen::Config::new();
            config.name("many-files");
            let files = config
                .generate(path, "many_files.yaml", &codegen::nothing_before)
                .unwrap()
                .files;
            crates(files)
        };
        let (from_files, from_bundle) = (generate(&spec), generate(&bundle));
        assert_eq!(
            from_files.keys().collect::<Vec<_>>(),
            from_bundle.keys().collect::<Vec<_>>()
        );
        for (path, text) in &from_files {
            assert!(from_bundle[path] == *text, "{} differs", path.display());
        }
    }
}

#[test]
fn the_bundle_is_one_valid_document() {
    let (_, dir) = bundled(true);
    let bundle = dir.path().join("bundle.yaml");
    let text = std::fs::read_to_string(&bundle).unwrap();
    assert!(
        !text.contains("many_files/"),
        "a reference to a file is left:\n{text}"
    );
    let validator = tests::server::tool(
        "OPENAPI_SPEC_VALIDATOR",
        ".cache/venv/bin/openapi-spec-validator",
        "run `cargo xtask test`, which installs it from tools/requirements.lock",
    );
    let out = std::process::Command::new(validator)
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// DigitalOcean's spec as the vendor keeps it: 2,907 files referenced by relative paths.
fn digitalocean() -> std::path::PathBuf {
    tests::server::root()
        .join("tests/vendors/specs/digitalocean/specification/DigitalOcean-public.v2.yaml")
}

#[test]
fn a_vendor_spec_in_thousands_of_files_generates_as_its_bundle_does() {
    let spec = digitalocean();
    let generate = |path: &std::path::Path| {
        let mut config = codegen::Config::new();
        config.strict(false).name("digitalocean");
        config
            .generate(path, "digitalocean", &codegen::nothing_before)
            .unwrap()
    };
    let from_files = generate(&spec);
    // Every file the spec was read from is inside its folder, each once.
    let inputs = &from_files.api.inputs;
    let unique: std::collections::BTreeSet<_> = inputs.iter().collect();
    assert!(inputs.len() > 1000, "{} files read", inputs.len());
    assert_eq!(unique.len(), inputs.len());
    assert_eq!(from_files.api.operations.len(), 659);
    let (text, _) = codegen::load::bundle(&spec, &Default::default(), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("digitalocean.json");
    std::fs::write(&bundle, text).unwrap();
    let from_bundle = generate(&bundle);
    assert!(
        crates(from_files.files) == crates(from_bundle.files),
        "the bundle gives other crates"
    );
    // (openapi-spec-validator refuses the vendor's files and the bundle alike: a tag's
    // description given by `$ref`, a `default: null` its schema does not allow.)
}

/// The body of an HTTP GET of `url` (`http://host:port/path`), over a plain connection: the
/// fetcher a caller of `Config::fetch` gives, here without a client library.
fn get(url: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").ok_or("not http")?;
    let (host, path) = rest.split_once('/').ok_or("no path")?;
    let mut stream = std::net::TcpStream::connect(host).map_err(|e| e.to_string())?;
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no body")?;
    match head.starts_with("HTTP/1.1 200") {
        true => Ok(body.to_owned()),
        false => Err(head.lines().next().unwrap_or_default().to_owned()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn urls_are_read_from_copies_beside_the_spec_fetched_once_when_allowed() {
    let server = MockServer::start().await;
    let pet = "type: object\nrequired: [name]\nproperties:\n  name: { type: string }\n  tag: { $ref: \"./tag.yaml\" }\n";
    let tag = "type: string\nenum: [cat, dog]\n";
    for (at, text) in [("/schemas/pet.yaml", pet), ("/schemas/tag.yaml", tag)] {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_string(text))
            .expect(1)
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    let url = format!("{}/schemas/pet.yaml", server.uri());
    let doc = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{ type: array, items: {{ $ref: '{url}' }} }}\n"
    );
    std::fs::write(&spec, doc).unwrap();
    let generate = move |fetch: bool| {
        let mut config = codegen::Config::new();
        config.name("pets");
        if fetch {
            config.fetch(get);
        }
        config.generate(&spec, "openapi.yaml", &codegen::nothing_before)
    };
    let refused = tokio::task::spawn_blocking({
        let generate = generate.clone();
        move || generate(false)
    });
    let e = refused.await.unwrap().unwrap_err().to_string();
    assert!(
        e.contains("fetched-refs/http/127.0.0.1+") && e.contains("Config::fetch"),
        "{e}"
    );
    let fetched = tokio::task::spawn_blocking({
        let generate = generate.clone();
        move || generate(true)
    });
    let first = fetched.await.unwrap().unwrap();
    let port = server.address().port();
    let copies = dir
        .path()
        .join(format!("fetched-refs/http/127.0.0.1+{port}/schemas"));
    assert_eq!(
        std::fs::read_to_string(copies.join("pet.yaml")).unwrap(),
        pet
    );
    assert_eq!(
        std::fs::read_to_string(copies.join("tag.yaml")).unwrap(),
        tag
    );
    let lib = &first.files[std::path::Path::new("pets-models/src/lib.rs")];
    assert!(
        lib.contains("pub struct Pet") && lib.contains("pub enum Tag"),
        "{lib}"
    );
    // The copies are what later generations read, offline: the server is asked nothing more.
    let again = tokio::task::spawn_blocking(move || generate(false));
    assert!(again.await.unwrap().unwrap().files == first.files);
    server.verify().await;
}
