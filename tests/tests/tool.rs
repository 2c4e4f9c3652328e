//! The generator as a tool of its own: `openapi-crates`, installed with `cargo install --path`
//! into a scratch root and run from a folder outside the checkout. `generate --spec A --spec B
//! --out DIR` writes one workspace in which both clients share one copy of the runtime; a spec
//! in many files generated into the same folder later joins it; `check` passes, then fails with
//! a diff once a file that spec references is edited; the folder's crates build and their tests
//! pass there; and a program outside the workspace that depends on both clients builds (two
//! copies of `client-runtime` would collide in its lockfile) and calls each on loopback. Then a
//! configured project: `init`, type names, `changes`, and overrides of types.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use tests::copy_tree;
use tests::server::root;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Installs the tool into `scratch/root` (a debug build into the workspace's target folder, as
/// the tests' own builds) and returns its path.
fn install(scratch: &Path) -> PathBuf {
    let installed = Command::new("cargo")
        .args([
            "install",
            "--debug",
            "--offline",
            "--locked",
            "--quiet",
            "--path",
        ])
        .arg(root().join("openapi-crates"))
        .arg("--root")
        .arg(scratch.join("root"))
        .env("CARGO_TARGET_DIR", root().join("target"))
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "{}",
        String::from_utf8_lossy(&installed.stderr)
    );
    scratch.join("root/bin/openapi-crates")
}

/// Runs the tool in `dir` with `args`.
fn run(tool: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `cargo ARGS` on the crate or workspace in `dir`, offline, into the target folder the tests
/// of generated code share; it must succeed.
fn cargo(args: &[&str], dir: &Path) {
    let done = Command::new("cargo")
        .args(args)
        .args(["--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "cargo {args:?} in {}: {}{}",
        dir.display(),
        String::from_utf8_lossy(&done.stdout),
        String::from_utf8_lossy(&done.stderr)
    );
}

fn members(dir: &Path) -> String {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .unwrap()
        .to_owned()
}

const PROGRAM: &str = r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    let chat = imichat_client::Client::builder()
        .base_url(&url)
        .access_token("acc")
        .no_retries()
        .build()
        .unwrap();
    let body = imichat_client::models::UpdateUserRequest::new();
    let user = chat.update_user(7, 3, &body).await.unwrap();
    println!("imichat {}", user.description);
    let erp = iw_erp_client::Client::builder()
        .base_url(&url)
        .session_token("sess")
        .no_retries()
        .build()
        .unwrap();
    let body = iw_erp_client::models::ChatroomParticipantUpdate::new(
        iw_erp_client::models::ChatroomParticipant::new(),
    );
    let participant = erp.update_chatroom_participant("1", &body).await.unwrap();
    println!("erp {:?}", participant.id);
}
"#;

/// A program of its own, outside the generated workspace, depending on both clients.
fn program(dir: &Path, generated: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"two-apis\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nimichat-client = {{ path = {:?} }}\niw-erp-client = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n",
        generated.join("imichat-client"),
        generated.join("iw-erp-client"),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), PROGRAM).unwrap();
}

#[tokio::test]
async fn the_installed_tool_generates_checks_and_two_apis_serve_one_program() {
    let scratch = tempfile::tempdir().unwrap();
    let tool = install(scratch.path());
    // A project of one's own: its specs, outside the checkout.
    let work = scratch.path().join("work");
    std::fs::create_dir_all(work.join("specs")).unwrap();
    for spec in ["imichat.yaml", "iw-erp.yaml"] {
        std::fs::copy(
            root().join("specs").join(spec),
            work.join("specs").join(spec),
        )
        .unwrap();
    }
    copy_tree(
        &root().join("specs/ambassador"),
        &work.join("specs/ambassador"),
    );
    let generated = work.join("generated");
    let two = [
        "--spec",
        "specs/imichat.yaml",
        "--spec",
        "specs/iw-erp.yaml",
        "--out",
        "generated",
    ];
    let ran = run(&tool, &work, &[&["generate"][..], &two].concat());
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_eq!(
        members(&generated),
        r#"members = ["client-runtime", "imichat-client", "imichat-models", "iw-erp-client", "iw-erp-models"]"#
    );
    // A spec in many files generated into the folder later joins the workspace, named after
    // its folder; the others stay.
    let ambassador = [
        "--spec",
        "specs/ambassador/openapi.yaml",
        "--out",
        "generated",
    ];
    let ran = run(&tool, &work, &[&["generate"][..], &ambassador].concat());
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(
        members(&generated).contains(
            r#"["ambassador-client", "ambassador-models", "client-runtime", "imichat-client""#
        ),
        "{}",
        members(&generated)
    );
    let checked = run(&tool, &work, &[&["check"][..], &ambassador].concat());
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    // The folder builds and its crates' tests (the examples round-trips) pass, there.
    cargo(&["test", "--workspace"], &generated);
    let part = work.join("specs/ambassador/schemas/AddressGeocode.yaml");
    let text = std::fs::read_to_string(&part).unwrap();
    std::fs::write(
        &part,
        text.replace("A geocoded postal address.", "An address."),
    )
    .unwrap();
    let checked = run(&tool, &work, &[&["check"][..], &ambassador].concat());
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(!checked.status.success());
    assert!(said.contains("-/// A geocoded postal address."), "{said}");
    assert!(said.contains("+/// An address."), "{said}");
    // One name for the crates of two specs is refused.
    let ran = run(
        &tool,
        &work,
        &[&["generate", "--name", "x"][..], &two].concat(),
    );
    assert!(!ran.status.success());

    let app = scratch.path().join("app");
    program(&app, &generated);
    cargo(&["build"], &app);

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/users/7"))
        .and(header("access-token", "acc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status_code": 4309, "description": "User updated successfully",
            "response": {"id": 7}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/chat/chatroom_participant/1"))
        .and(header("x-session-token", "sess"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5})))
        .expect(1)
        .mount(&server)
        .await;
    let binary = root().join("target/generated-check/debug/two-apis");
    let uri = server.uri();
    let ran = tokio::task::spawn_blocking(move || Command::new(binary).arg(uri).output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["imichat User updated successfully", "erp Some(5)"]
    );
}

#[test]
fn a_project_configured_in_a_file_generates_and_checks_without_arguments() {
    let scratch = tempfile::tempdir().unwrap();
    let tool = install(scratch.path());
    let work = scratch.path().join("project");
    std::fs::create_dir_all(work.join("specs")).unwrap();
    copy_tree(
        &root().join("specs/ambassador"),
        &work.join("specs/ambassador"),
    );
    std::fs::copy(
        root().join("specs/imichat.yaml"),
        work.join("specs/imichat.yaml"),
    )
    .unwrap();
    let started = run(&tool, &work, &["init"]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let template = std::fs::read_to_string(work.join("openapi-crates.toml")).unwrap();
    assert!(template.contains("[[api]]"), "{template}");
    assert!(
        !run(&tool, &work, &["init"]).status.success(),
        "init overwrote the file"
    );
    let config = "out = \"crates\"\n\n[[api]]\nspec = \"specs/ambassador/openapi.yaml\"\n\n[api.types]\nRole = \"AmbassadorRole\"\n\n[[api]]\nspec = \"specs/imichat.yaml\"\nname = \"chat\"\n";
    std::fs::write(work.join("openapi-crates.toml"), config).unwrap();
    let generated = run(&tool, &work, &["generate"]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let names =
        std::fs::read_to_string(work.join("crates/ambassador-models/type-names.txt")).unwrap();
    assert!(names.contains("\nAmbassadorRole type "), "{names}");
    // The files name the tool as what generates and checks them.
    let lib = std::fs::read_to_string(work.join("crates/chat-client/src/lib.rs")).unwrap();
    assert!(
        lib.starts_with("// @generated by `openapi-crates generate` from specs/imichat.yaml."),
        "{}",
        &lib[..200]
    );
    let readme = std::fs::read_to_string(work.join("crates/chat-models/README.md")).unwrap();
    assert!(
        readme.contains("Regenerate with `openapi-crates generate`"),
        "{readme}"
    );
    assert!(readme.contains("`openapi-crates check` fails"), "{readme}");
    let checked = run(&tool, &work, &["check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    // A key the configuration does not have names its line; a type it cannot find, its key.
    std::fs::write(
        work.join("openapi-crates.toml"),
        config.replace("name = ", "nmae = "),
    )
    .unwrap();
    let refused = run(&tool, &work, &["generate"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(said.contains("line 11") && said.contains("nmae"), "{said}");
    std::fs::write(
        work.join("openapi-crates.toml"),
        config.replace("Role =", "Rolle ="),
    )
    .unwrap();
    let refused = run(&tool, &work, &["check"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(said.contains("\"Rolle\""), "{said}");
}

/// `git` in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) {
    let done = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

#[test]
fn changes_reports_what_a_spec_edit_means_for_the_crates_users() {
    let scratch = tempfile::tempdir().unwrap();
    let tool = install(scratch.path());
    let work = scratch.path().join("project");
    std::fs::create_dir_all(work.join("specs")).unwrap();
    let spec = work.join("specs/imichat.yaml");
    std::fs::copy(root().join("specs/imichat.yaml"), &spec).unwrap();
    let config = "out = \"crates\"\n\n[[api]]\nspec = \"specs/imichat.yaml\"\nname = \"chat\"\n";
    std::fs::write(work.join("openapi-crates.toml"), config).unwrap();
    assert!(run(&tool, &work, &["generate"]).status.success());
    let unchanged = run(&tool, &work, &["changes", "--deny", "breaking"]);
    let said = String::from_utf8_lossy(&unchanged.stdout);
    assert!(unchanged.status.success(), "{said}");
    assert_eq!(
        said,
        "No change to the generated crates since the crates in crates.\n"
    );
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-qm", "chat"]);
    let text = std::fs::read_to_string(&spec).unwrap();
    let field = "        id:\n          type: integer\n          description: Unique identifier of a user\n";
    assert!(text.contains(field));
    std::fs::write(&spec, text.replacen(field, "", 1)).unwrap();
    // Before generating: what generating would change, refused as breaking.
    let refused = run(&tool, &work, &["changes", "--deny", "breaking"]);
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(!refused.status.success(), "{said}");
    assert!(
        said.contains("chat-models 0.1.0 -> 0.2.0: breaking"),
        "{said}"
    );
    assert!(
        said.contains("compatible  breaking    removed field `User::id`"),
        "{said}"
    );
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(
        error.contains("chat-models (removed field `User::id`)"),
        "{error}"
    );
    // After generating: nothing more against the folder, the same against the commit.
    assert!(run(&tool, &work, &["generate"]).status.success());
    let now = run(&tool, &work, &["changes"]);
    assert!(String::from_utf8_lossy(&now.stdout).starts_with("No change"));
    let since = run(
        &tool,
        &work.join("crates"),
        &[
            "changes",
            "--config",
            "../openapi-crates.toml",
            "--base",
            "HEAD",
            "--format",
            "markdown",
        ],
    );
    let said = String::from_utf8_lossy(&since.stdout);
    assert!(
        since.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&since.stderr)
    );
    assert!(
        said.contains("| `chat-models` | 0.1.0 -> 0.2.0 | breaking |\n"),
        "{said}"
    );
    assert!(
        said.contains("| `chat-models` | removed field `User::id` | compatible | breaking |"),
        "{said}"
    );
}

const SHOP: &str = r##"openapi: 3.0.3
info: { title: shop, version: "1" }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200":
          description: The item.
          content: { application/json: { schema: { $ref: "#/components/schemas/Item" } } }
components:
  schemas:
    Item:
      type: object
      additionalProperties: false
      required: [sku, price]
      properties:
        sku: { type: string }
        label: { type: string }
        price: { $ref: "#/components/schemas/Money" }
    Money:
      type: object
      required: [cents]
      properties: { cents: { type: integer } }
"##;

/// Derives, a field's attribute and another crate's type for a schema, by the spec's keys.
const SHOP_CONFIG: &str = r##"out = "crates"

[[api]]
spec = "shop.yaml"

[api.dependencies]
money = { path = "../../money" }

[api.types.Item]
derives = ["Eq", "Hash"]
fields.label.attributes = ['#[serde(alias = "name")]']

[api.types.Money]
extern = "money::Money"
"##;

const SHOP_PROGRAM: &str = r##"fn main() {
    let body = r#"{"sku": "p1", "name": "Pen", "price": {"cents": 250}}"#;
    let item: shop_models::Item = serde_json::from_str(body).unwrap();
    let price: money::Money = item.price.clone();
    let set: std::collections::HashSet<shop_models::Item> = [item.clone(), item.clone()].into();
    println!("{} {:?} {} {}", item.sku, item.label, price.cents, set.len());
}
"##;

/// Writes a crate `name` under `dir` with `manifest`'s dependencies and `main` or `lib`.
fn small_crate(dir: &Path, name: &str, dependencies: &str, (file, code): (&str, &str)) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src").join(file), code).unwrap();
}

#[test]
fn types_take_derives_attributes_and_other_crates_types_from_the_configuration() {
    let scratch = tempfile::tempdir().unwrap();
    let tool = install(scratch.path());
    let work = scratch.path().join("shop");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("shop.yaml"), SHOP).unwrap();
    std::fs::write(work.join("openapi-crates.toml"), SHOP_CONFIG).unwrap();
    let money = "#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\npub struct Money {\n    pub cents: i64,\n}\n";
    let serde = "serde = { version = \"1\", features = [\"derive\"] }\n";
    small_crate(&work.join("money"), "money", serde, ("lib.rs", money));
    let generated = run(&tool, &work, &["generate"]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let manifest = std::fs::read_to_string(work.join("crates/shop-models/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("money = { path = \"../../money\" }"),
        "{manifest}"
    );
    let dependencies = "shop-models = { path = \"../crates/shop-models\" }\nmoney = { path = \"../money\" }\nserde_json = \"1\"\n";
    small_crate(
        &work.join("app"),
        "shop-app",
        dependencies,
        ("main.rs", SHOP_PROGRAM),
    );
    std::fs::copy(root().join("Cargo.lock"), work.join("app/Cargo.lock")).unwrap();
    cargo(&["build"], &work.join("app"));
    let ran = Command::new(root().join("target/generated-check/debug/shop-app"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert_eq!(
        stdout,
        "p1 Some(\"Pen\") 250 1\n",
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    // An override of a key that names no type, or of a field the type does not have, is an
    // error that names it.
    for (from, to, said) in [
        (
            "[api.types.Money]",
            "[api.types.Mony]",
            "\"Mony\", which names no type",
        ),
        (
            "fields.label",
            "fields.lable",
            "Item has no property \"lable\"",
        ),
        (
            "\"Eq\", \"Hash\"",
            "\"Eq(\"",
            "\"Eq(\" is not a derive's path",
        ),
    ] {
        std::fs::write(
            work.join("openapi-crates.toml"),
            SHOP_CONFIG.replace(from, to),
        )
        .unwrap();
        let refused = run(&tool, &work, &["check"]);
        let error = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success());
        assert!(error.contains(said), "{error}");
    }
}
