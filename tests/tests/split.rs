//! A large API's crates are split by tag (see `codegen::emit::split`), and a user still depends
//! on one client crate: a program that enables one tag calls its operations through the
//! prelude against a server on loopback and against its typed mocks, and cannot name another
//! tag's.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// 102 operations over the tags `pets` (67, just enough for a part of its own), `stores` (30)
/// and `users` (5); `Owner` is shared by the first two, so compiled only with their features.
fn spec_text() -> String {
    let mut paths = String::new();
    for i in 0..67 {
        paths.push_str(&format!(
            "  /pets{i}/{{id}}:\n    get:\n      operationId: getPet{i}\n      tags: [pets]\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: verbose, in: query, schema: {{type: boolean}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}}}\n        '404': {{description: missing, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Missing'}}}}}}}}\n"
        ));
    }
    for i in 0..30 {
        paths.push_str(&format!(
            "  /stores{i}:\n    post:\n      operationId: addStore{i}\n      tags: [stores]\n      requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Store'}}}}}}}}\n      responses:\n        '201': {{description: made, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Store'}}}}}}}}\n"
        ));
    }
    for i in 0..5 {
        paths.push_str(&format!(
            "  /users{i}:\n    get:\n      operationId: getUser{i}\n      tags: [users]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{login: {{type: string}}}}}}}}}}}}\n"
        ));
    }
    // Events told apart by their names (OpenAPI 3.2), mocked in their enum.
    paths.push_str("  /pets-events:\n    get:\n      operationId: watchPets\n      tags: [pets]\n      responses:\n        '200':\n          description: events\n          content:\n            text/event-stream:\n              itemSchema:\n                type: object\n                required: [event]\n                properties: {data: {type: string}, event: {type: string}}\n                oneOf:\n                  - properties: {event: {const: born}, data: {contentMediaType: application/json, contentSchema: {$ref: '#/components/schemas/Pet'}}}\n                  - properties: {event: {enum: [note, memo]}}\n");
    format!(
        "openapi: 3.2.0\ninfo: {{title: split, version: '1'}}\nservers: [{{url: 'https://example.com'}}]\npaths:\n{paths}webhooks:\n  petBorn:\n    post:\n      requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}}}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  schemas:\n    Owner: {{type: object, properties: {{name: {{type: string}}}}}}\n    Pet: {{type: object, required: [id], properties: {{id: {{type: integer}}, born: {{type: string, format: date-time}}, owner: {{$ref: '#/components/schemas/Owner'}}, kind: {{type: string, enum: [dog, cat]}}}}}}\n    Missing: {{type: object, properties: {{message: {{type: string}}}}}}\n    Store: {{type: object, properties: {{owners: {{type: array, items: {{$ref: '#/components/schemas/Owner'}}}}}}}}\n"
    )
}

/// Calls the server at its argument, or with the argument `mock` the split client's typed
/// mocks (under the tag features the program turns on).
const PROGRAM: &str = r##"
use split_client::prelude::*;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    if url == "mock" {
        return mocked().await;
    }
    let client = split_client::Client::builder().base_url(url).build().unwrap();
    let pet = client.get_pet3("7").await.unwrap().into_body();
    println!("pet {} {:?} {:?}", pet.id, pet.kind, pet.owner.and_then(|o| o.name));
    let params = split_client::GetPet4Params::default().verbose(true);
    match client.get_pet4_with("8", &params).await {
        Err(split_client::Error::Status { error, .. }) => println!("missing {error:?}"),
        other => println!("unexpected {other:?}"),
    }
}

async fn mocked() {
    let server = split_client::mock::MockServer::start().await;
    // An answer's model, built from JSON: received-only types have no constructor.
    let pet: split_client::models::Pet = serde_json::from_str(r#"{"id": 7}"#).unwrap();
    server.get_pet3().matching("7").times(1).ok(pet).await;
    let params = split_client::GetPet4Params::default().verbose(true);
    let missing = serde_json::from_str(r#"{"message": "no pet 8"}"#).unwrap();
    let missing = split_client::GetPet4Error::NotFound(missing);
    server.get_pet4().matching_with("8", &params).error(missing).await;
    let client = server.client();
    let pet = client.get_pet3("7").await.unwrap().into_body();
    println!("pet {}", pet.id);
    match client.get_pet4_with("8", &params).await {
        Err(split_client::Error::Status { error, .. }) => println!("missing {error:?}"),
        other => println!("unexpected {other:?}"),
    }
    let unmatched = client.get_pet4("8").await.unwrap_err();
    println!("{}", unmatched.status().unwrap());
    let born = serde_json::from_str(r#"{"id": 9}"#).unwrap();
    let odd = split_client::WatchPetsEvent::Other { name: Some("odd".into()), data: "x\ny".into() };
    let events = vec![split_client::WatchPetsEvent::Born(born), split_client::WatchPetsEvent::Note("fed".into()), odd];
    server.watch_pets().times(1).ok(events.clone()).await;
    let mut stream = client.watch_pets().await.unwrap().into_body();
    let mut received = Vec::new();
    while let Some(event) = stream.next().await {
        received.push(event.unwrap().data);
    }
    println!("events {}", received == events);
    server.verify().await;
    // The webhooks module is the facade's, under the events' feature.
    use split_client::webhooks::{Event, HeaderMap, Request};
    let headers = HeaderMap::new();
    let event = Event::decode_unverified(&Request::new(&headers, br#"{"id": 5}"#)).unwrap();
    println!("webhook {}", matches!(event, Event::PetBorn(p) if p.id == 5));
}
"##;

/// Generates the crates of [`spec_text`] with a program that uses them with the features
/// `features`, in a workspace of its own.
fn workspace(name: &str, features: &str, program: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("split-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("split.yaml");
    std::fs::write(&spec, spec_text()).unwrap();
    let mut config = codegen::Config::new();
    let runtime = root().join("runtime").display().to_string();
    config.runtime(codegen::Runtime::Path(runtime));
    let mut members = vec!["\"program\"".to_owned()];
    for (path, text) in config
        .generate(&spec, "split.yaml", &codegen::nothing_before)
        .unwrap()
        .files
    {
        let krate = path.components().next().unwrap().as_os_str();
        let member = format!("{:?}", krate.to_string_lossy());
        if !members.contains(&member) {
            members.push(member);
        }
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("program/src")).unwrap();
    std::fs::write(
        dir.join("program/Cargo.toml"),
        format!(
            "[package]\nname = \"program\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsplit-client = {{ path = \"../split-client\", default-features = false, features = [{features}] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\nserde_json = \"1\"\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("program/src/main.rs"), program).unwrap();
    dir
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new("cargo")
        .args(args)
        .args(["--offline", "--quiet", "-p", "program", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .unwrap()
}

/// A server on loopback that answers two requests: a pet, then a 404; it returns the request
/// lines it saw.
fn serve() -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answers = [
        (
            "200 OK",
            r#"{"id": 7, "kind": "dog", "owner": {"name": "Ann"}}"#,
        ),
        ("404 Not Found", r#"{"message": "no pet 8"}"#),
    ];
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (status, body) in answers {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            seen.push(line.trim_end().to_owned());
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if header.trim().is_empty() {
                    break;
                }
            }
            let mut body_in = vec![0; length];
            reader.read_exact(&mut body_in).unwrap();
            write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
        seen
    });
    (url, handle)
}

#[test]
fn one_tag_of_a_split_client_is_called_through_the_prelude_and_mocked() {
    let dir = workspace("call", "\"pets\", \"mock\", \"webhooks\"", PROGRAM);
    let built = cargo(&dir, &["build"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let (url, server) = serve();
    let run = Command::new(root().join("target/generated-check/debug/program"))
        .arg(&url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "pet 7 Some(Dog) Some(\"Ann\")",
            "missing NotFound(Missing { message: Some(\"no pet 8\"), additional_properties: {} })"
        ]
    );
    assert_eq!(
        server.join().unwrap(),
        [
            "GET /pets3/7 HTTP/1.1",
            "GET /pets4/8?verbose=true HTTP/1.1"
        ]
    );
    let run = Command::new(root().join("target/generated-check/debug/program"))
        .arg("mock")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "pet 7",
            "missing NotFound(Missing { message: Some(\"no pet 8\"), additional_properties: {} })",
            "501 Not Implemented",
            "events true",
            "webhook true",
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_tag_that_is_not_enabled_is_not_compiled() {
    let program = "use split_client::prelude::*;\n\nfn main() {\n    let client = split_client::Client::builder().build().unwrap();\n    let _ = client.add_store1(());\n}\n";
    let dir = workspace("gated", "\"pets\"", program);
    let checked = cargo(&dir, &["check"]);
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(!checked.status.success(), "{stderr}");
    assert!(stderr.contains("no method named `add_store1`"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The packages of the workspace `dir` but `program`, as its manifest lists them.
fn members(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let list = manifest.split_once("members = [").unwrap().1;
    let list = list.split_once(']').unwrap().0;
    list.split(", ")
        .map(|m| m.trim_matches('"').to_owned())
        .filter(|m| m != "program")
        .collect()
}

/// The features `package`'s manifest declares but `default`.
fn declared_features(dir: &Path, package: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join(package).join("Cargo.toml")).unwrap();
    let Some((_, table)) = manifest.split_once("\n[features]\n") else {
        return Vec::new();
    };
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| Some(l.split_once(" = ")?.0.trim().to_owned()))
        .filter(|f| f != "default")
        .collect()
}

/// `cargo check` of one package of the workspace `dir` alone, with `args` after it.
fn check_alone(dir: &Path, package: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new("cargo")
        .args(["check", "--offline", "--quiet", "--lib", "-p", package])
        .args(args)
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .unwrap();
    match output.status.success() {
        true => Ok(()),
        false => Err(format!(
            "{package} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// Every crate of a split API builds alone, as `cargo package` or a user depending on that one
/// crate builds it: with its default features, and the facades with no feature and with each
/// one alone.
#[test]
fn every_crate_builds_alone_with_default_features_and_the_facades_with_each_feature() {
    let dir = workspace("alone", "", "fn main() {}\n");
    let packages = members(&dir);
    assert!(packages.len() > 4, "not split: {packages:?}");
    let mut failures = Vec::new();
    for package in &packages {
        failures.extend(check_alone(&dir, package, &[]).err());
    }
    // The client facade's features turn on the models facade's, so checking it with no feature
    // and with each one checks both facades so.
    let facade = "split-client";
    failures.extend(check_alone(&dir, facade, &["--no-default-features"]).err());
    let features = declared_features(&dir, facade);
    assert!(features.contains(&"pets".to_owned()), "{features:?}");
    // The runtime's features pass through to `client-runtime`, which the workspace's clippy
    // and docs build with all of them; `mock` is the facade's own code.
    let runtime = ["tracing", "opentelemetry", "reqwest-middleware"];
    let own = |f: &&String| *f != "full" && !runtime.contains(&f.as_str());
    for feature in features.iter().filter(own) {
        let args = ["--no-default-features", "--features", feature];
        failures.extend(check_alone(&dir, facade, &args).err());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if std::env::var_os("KEEP").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The generation of [`spec_text`] with `configure`'s settings, or its error.
fn generated_with(configure: impl Fn(&mut codegen::Config)) -> Result<codegen::Files, String> {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("split.yaml");
    std::fs::write(&spec, spec_text()).unwrap();
    let mut config = codegen::Config::new();
    configure(&mut config);
    config
        .generate(&spec, "split.yaml", &codegen::nothing_before)
        .map(|g| g.files)
        .map_err(|e| e.to_string())
}

#[test]
fn default_features_the_runtime_by_version_and_no_split_are_settings() {
    let files = generated_with(|c| {
        c.default_features(vec!["pets".into()])
            .runtime(codegen::Runtime::Version);
    })
    .unwrap();
    let manifest = &files[Path::new("split-client/Cargo.toml")];
    assert!(manifest.contains("\ndefault = [\"pets\"]\n"), "{manifest}");
    let shared = &files[Path::new("split-client-shared/Cargo.toml")];
    let version = codegen::ir::runtime_version();
    assert!(
        shared.contains(&format!("client-runtime = \"{version}\"")),
        "{shared}"
    );
    let refused = generated_with(|c| {
        c.default_features(vec!["pests".into()]);
    });
    let message = refused.unwrap_err();
    assert!(
        message.contains("\"pests\" is none of the API's features: pets, stores, users"),
        "{message}"
    );
    let whole = generated_with(|c| {
        c.split(false);
    })
    .unwrap();
    let crates: std::collections::BTreeSet<_> =
        whole.keys().filter_map(|p| p.iter().next()).collect();
    assert_eq!(crates.len(), 2, "{crates:?}");
    let refused = generated_with(|c| {
        c.split(false).default_features(vec!["pets".into()]);
    });
    assert!(refused.unwrap_err().contains("not split"));
}
