//! The verdict table: edits of the seed specs, each applied to a copy, with the wire verdict,
//! the Rust verdict and the versions the generator must give, and what cargo-semver-checks is
//! expected to say. One test checks the generator's classification and changelogs; a slower
//! one builds every edited crate and asks cargo-semver-checks.

use std::path::{Path, PathBuf};

use codegen::Files;
use codegen::release::Release;
use codegen::surface::{Level, Wire};
use serde_json::{Value, json};

use crate::proof::judge::{self, Scratch};

/// What cargo-semver-checks is expected to say of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judge {
    /// The same as the generator: breaking exactly when the Rust verdict is breaking.
    Agrees,
    /// Not breaking, though the change breaks code: why it cannot see it.
    Misses(&'static str),
}

pub struct Row {
    pub name: &'static str,
    /// The seed spec under `specs/`.
    pub spec: &'static str,
    pub edit: fn(&mut Value),
    pub wire: Wire,
    pub rust: Level,
    /// The versions of the models and client crates after the edit (both start at 0.1.0).
    pub models: &'static str,
    pub client: &'static str,
    pub judge: Judge,
}

const TYPES: Judge = Judge::Misses("no lint compares the type of a field or an argument");

const IMI_OP: &str = "/paths/~1users~1{user_id}/put";
const REQ: &str = "/components/schemas/UpdateUserRequest";
const USER: &str = "/components/schemas/User";
const ENVELOPE: &str = "/components/schemas/UserEnvelope";
const NEW_CAT: &str = "/components/schemas/NewCat";
const ADOPTION: &str = "/components/schemas/Adoption";

fn at<'v>(v: &'v mut Value, pointer: &str) -> &'v mut Value {
    v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the seed has {pointer}"))
}

/// Sets member `key` of the object at `pointer`.
fn set(v: &mut Value, pointer: &str, key: &str, value: Value) {
    at(v, pointer)
        .as_object_mut()
        .expect("an object")
        .insert(key.to_owned(), value);
}

fn remove(v: &mut Value, pointer: &str, key: &str) {
    at(v, pointer)
        .as_object_mut()
        .expect("an object")
        .shift_remove(key);
}

fn push(v: &mut Value, pointer: &str, item: Value) {
    at(v, pointer).as_array_mut().expect("an array").push(item);
}

fn rename(v: &mut Value, pointer: &str, from: &str, to: &str) {
    let object = at(v, pointer).as_object_mut().expect("an object");
    let value = object.shift_remove(from).expect("the member exists");
    object.insert(to.to_owned(), value);
}

/// A webhook whose request body is `schema`.
fn webhook(schema: Value) -> Value {
    json!({"post": {
        "requestBody": {"required": true, "content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "Received"}}}})
}

fn require(v: &mut Value, schema: &str, field: &str) {
    let s = at(v, schema).as_object_mut().expect("an object");
    let list = s.entry("required").or_insert_with(|| json!([]));
    list.as_array_mut().expect("a list").push(json!(field));
}

fn unrequire(v: &mut Value, schema: &str, field: &str) {
    let list = at(v, &format!("{schema}/required"));
    list.as_array_mut().expect("a list").retain(|f| f != field);
}

pub fn rows() -> Vec<Row> {
    use Judge::Agrees;
    use Level::{Additive, Breaking, Compatible, Documentation};
    use Wire::{Breaking as WireBreaks, Compatible as WireOk, None as NoWire};
    let row = |name, spec, edit: fn(&mut Value), wire, rust, (models, client), judge| Row {
        name,
        spec,
        edit,
        wire,
        rust,
        models,
        client,
        judge,
    };
    let (imichat, shelter) = ("imichat.yaml", "shelter.json");
    vec![
        row(
            "new operation",
            imichat,
            |v| {
                set(
                    v,
                    "/paths",
                    "/users/{user_id}/deactivate",
                    json!({"post": {
                "operationId": "deactivateUser",
                "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "Deactivated"}}}}),
                );
            },
            WireOk,
            Additive,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "removed operation",
            "shelter.json",
            |v| remove(v, "/paths", "/stats"),
            WireBreaks,
            Breaking,
            ("0.1.1", "0.2.0"),
            Agrees,
        ),
        row(
            "renamed operation (operationId)",
            imichat,
            |v| {
                set(v, IMI_OP, "operationId", json!("modifyUser"));
            },
            NoWire,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "operation moved to another path",
            imichat,
            |v| {
                rename(v, "/paths", "/users/{user_id}", "/people/{user_id}");
            },
            WireBreaks,
            Compatible,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "new optional parameter",
            imichat,
            |v| {
                push(
                    v,
                    &format!("{IMI_OP}/parameters"),
                    json!({"name": "locale", "in": "query", "schema": {"type": "string"}}),
                );
            },
            WireOk,
            Additive,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "new required parameter",
            imichat,
            |v| {
                push(
                    v,
                    &format!("{IMI_OP}/parameters"),
                    json!({"name": "fields", "in": "query", "required": true, "schema": {"type": "string"}}),
                );
            },
            WireBreaks,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "removed required parameter",
            imichat,
            |v| {
                at(v, &format!("{IMI_OP}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .remove(1);
            },
            WireOk,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "required parameter becomes optional",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{IMI_OP}/parameters/1"),
                    "required",
                    json!(false),
                );
            },
            WireOk,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "optional parameter becomes required",
            "iw-erp.yaml",
            |v| {
                set(
                    v,
                    "/paths/~1api~1chat~1chatroom_participant~1{identifier}/put/parameters/1",
                    "required",
                    json!(true),
                );
            },
            WireBreaks,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "parameter type changes",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{IMI_OP}/parameters/1"),
                    "schema",
                    json!({"type": "string"}),
                );
            },
            WireBreaks,
            Breaking,
            ("0.1.0", "0.2.0"),
            TYPES,
        ),
        row(
            "new optional request field",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{REQ}/properties"),
                    "locale",
                    json!({"type": "string"}),
                );
            },
            WireOk,
            Additive,
            ("0.1.1", "0.1.1"),
            Agrees,
        ),
        row(
            "new required request field",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{REQ}/properties"),
                    "team_name",
                    json!({"type": "string"}),
                );
                require(v, REQ, "team_name");
            },
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            Agrees,
        ),
        row(
            "new optional response field",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{USER}/properties"),
                    "timezone",
                    json!({"type": "string"}),
                );
            },
            WireOk,
            Additive,
            ("0.1.1", "0.1.1"),
            Agrees,
        ),
        row(
            "new required response field",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{ENVELOPE}/properties"),
                    "request_id",
                    json!({"type": "string"}),
                );
                require(v, ENVELOPE, "request_id");
            },
            WireOk,
            Additive,
            ("0.1.1", "0.1.1"),
            Agrees,
        ),
        row(
            "removed optional response field",
            imichat,
            |v| {
                remove(v, &format!("{USER}/properties"), "id");
            },
            WireOk,
            Breaking,
            ("0.2.0", "0.2.0"),
            Agrees,
        ),
        row(
            "removed required response field",
            imichat,
            |v| {
                remove(v, &format!("{ENVELOPE}/properties"), "description");
                unrequire(v, ENVELOPE, "description");
            },
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            Agrees,
        ),
        row(
            "request field becomes required",
            imichat,
            |v| require(v, REQ, "first_name"),
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            Agrees,
        ),
        row(
            "response field becomes optional",
            imichat,
            |v| unrequire(v, ENVELOPE, "description"),
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            TYPES,
        ),
        row(
            "response field becomes nullable",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{USER}/properties/first_name"),
                    "nullable",
                    json!(true),
                );
            },
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            TYPES,
        ),
        row(
            "request field becomes nullable",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{REQ}/properties/job_description"),
                    "nullable",
                    json!(true),
                );
            },
            WireOk,
            Breaking,
            ("0.2.0", "0.2.0"),
            TYPES,
        ),
        row(
            "field type changes",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{USER}/properties/active_chats"),
                    "type",
                    json!("string"),
                );
            },
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            TYPES,
        ),
        row(
            "field format changes (date-time to string)",
            imichat,
            |v| {
                remove(v, &format!("{USER}/properties/created_at"), "format");
            },
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            TYPES,
        ),
        row(
            "new enum value",
            imichat,
            |v| {
                push(v, "/components/schemas/UserStatus/enum", json!("suspended"));
            },
            WireBreaks,
            Additive,
            ("0.1.1", "0.1.1"),
            Agrees,
        ),
        row(
            "removed enum value",
            imichat,
            |v| {
                set(
                    v,
                    "/components/schemas/RoleType",
                    "enum",
                    json!(["Customer Care"]),
                );
            },
            WireOk,
            Breaking,
            ("0.2.0", "0.2.0"),
            Agrees,
        ),
        row(
            "new error status",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{IMI_OP}/responses"),
                    "409",
                    json!({"description": "Conflict",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}),
                );
            },
            WireOk,
            Additive,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "removed error status",
            imichat,
            |v| remove(v, &format!("{IMI_OP}/responses"), "405"),
            WireOk,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "new success status",
            imichat,
            |v| {
                let ok = at(v, &format!("{IMI_OP}/responses/200")).clone();
                set(v, &format!("{IMI_OP}/responses"), "202", ok);
            },
            WireOk,
            Compatible,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "new request media type",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{IMI_OP}/requestBody/content"),
                    "application/x-www-form-urlencoded",
                    json!({"schema": {"$ref": "#/components/schemas/UpdateUserRequest"}}),
                );
            },
            WireOk,
            Additive,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "request media type changes",
            imichat,
            |v| {
                rename(
                    v,
                    &format!("{IMI_OP}/requestBody/content"),
                    "application/json",
                    "application/merge-patch+json",
                );
            },
            WireBreaks,
            Breaking,
            ("0.1.0", "0.2.0"),
            Agrees,
        ),
        row(
            "request body becomes optional",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{IMI_OP}/requestBody"),
                    "required",
                    json!(false),
                );
            },
            WireOk,
            Breaking,
            ("0.1.0", "0.2.0"),
            TYPES,
        ),
        row(
            "server changes",
            imichat,
            |v| {
                set(
                    v,
                    "/servers/0",
                    "url",
                    json!("https://{subdomain}.imichat.io/v3.1"),
                );
            },
            WireBreaks,
            Compatible,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "security scheme changes its header",
            imichat,
            |v| {
                set(
                    v,
                    "/components/securitySchemes/accessToken",
                    "name",
                    json!("x-access-token"),
                );
            },
            WireBreaks,
            Compatible,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "new security alternative",
            imichat,
            |v| {
                set(
                    v,
                    "/components/securitySchemes",
                    "bearer",
                    json!({"type": "http", "scheme": "bearer"}),
                );
                push(v, "/security", json!({"bearer": []}));
            },
            WireOk,
            Additive,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "operation summary edited",
            imichat,
            |v| {
                set(v, IMI_OP, "summary", json!("Update a user"));
            },
            NoWire,
            Documentation,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        row(
            "field description edited",
            imichat,
            |v| {
                set(
                    v,
                    &format!("{USER}/properties/first_name"),
                    "description",
                    json!("Given name"),
                );
            },
            NoWire,
            Documentation,
            ("0.1.1", "0.1.0"),
            Agrees,
        ),
        row(
            "answer becomes a stream of events",
            imichat,
            |v| {
                let content = format!("{IMI_OP}/responses/200/content");
                rename(v, &content, "application/json", "text/event-stream");
            },
            WireBreaks,
            Breaking,
            ("0.1.0", "0.2.0"),
            // The method's type changes, which no lint compares; the mock's `ok_in_turn` of
            // the JSON answer goes (`inherent_method_missing`).
            Agrees,
        ),
        row(
            "stream offered beside the JSON answer",
            imichat,
            |v| {
                let content = format!("{IMI_OP}/responses/200/content");
                let schema = json!({"schema": {"$ref": "#/components/schemas/UserEnvelope"}});
                set(v, &content, "application/x-ndjson", schema);
            },
            WireOk,
            Additive,
            ("0.1.0", "0.1.1"),
            Agrees,
        ),
        // A request no longer sends what the server now owns: `new` loses the argument.
        row(
            "required request field becomes read-only",
            shelter,
            |v| {
                set(
                    v,
                    &format!("{NEW_CAT}/properties/name"),
                    "readOnly",
                    json!(true),
                )
            },
            WireOk,
            Breaking,
            ("0.2.0", "0.2.0"),
            Agrees,
        ),
        // Answers may now leave it out: the field becomes an `Option`.
        row(
            "required response field becomes write-only",
            shelter,
            |v| {
                set(
                    v,
                    &format!("{ADOPTION}/properties/at"),
                    "writeOnly",
                    json!(true),
                )
            },
            WireBreaks,
            Breaking,
            ("0.2.0", "0.2.0"),
            TYPES,
        ),
        // Answers hold it as before; the surface records it.
        row(
            "response field becomes read-only",
            shelter,
            |v| {
                set(
                    v,
                    &format!("{ADOPTION}/properties/status"),
                    "readOnly",
                    json!(true),
                )
            },
            WireOk,
            Compatible,
            ("0.1.1", "0.1.1"),
            Agrees,
        ),
        // A new event told apart by its `type`, as the others are.
        row(
            "new webhook",
            shelter,
            |v| {
                let payload = json!({"type": "object", "required": ["type", "adoption"],
                    "properties": {"type": {"const": "animal.adopted"},
                        "adoption": {"$ref": "#/components/schemas/Adoption"}}});
                set(v, "/webhooks", "animalAdopted", webhook(payload));
            },
            WireOk,
            Additive,
            ("0.1.1", "0.1.1"),
            Agrees,
        ),
        // An event nothing tells apart from the others: `Event::receive` goes.
        row(
            "webhook that nothing tells apart",
            shelter,
            |v| {
                let payload = json!({"$ref": "#/components/schemas/Adoption"});
                set(v, "/webhooks", "animalAdopted", webhook(payload));
            },
            WireOk,
            Breaking,
            ("0.1.1", "0.2.0"),
            Agrees,
        ),
    ]
}

/// A seed spec as JSON.
fn load(root: &Path, spec: &str) -> Value {
    let text = std::fs::read_to_string(root.join("specs").join(spec)).expect("a seed spec");
    serde_yaml::from_str(&text).expect("the seed is YAML or JSON")
}

/// The crates of `spec` as generation writes them, settled against `previous`.
fn generate(spec: &str, doc: &Value, previous: &Files) -> (Files, Vec<Release>) {
    let api = codegen::api_name(Path::new(spec));
    let dir = std::env::temp_dir().join(format!("verdict-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{api}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let shown = format!("specs/{spec}");
    let how = crate::repo::files::how(Some(&api));
    let (files, releases, _) =
        crate::repo::files::crates_of(&path, &shown, how, &|_| previous.clone())
            .unwrap_or_else(|e| panic!("{spec}: {e}"));
    (files, releases)
}

/// What the generator says of one row: the wire verdict, the level and the two versions.
struct Outcome {
    wire: Wire,
    rust: Option<Level>,
    versions: (String, String),
    releases: Vec<Release>,
    files: Files,
}

fn outcome(root: &Path, row: &Row, base: &Files) -> Outcome {
    let mut doc = load(root, row.spec);
    (row.edit)(&mut doc);
    let (files, releases) = generate(row.spec, &doc, base);
    let wire = releases
        .iter()
        .flat_map(|r| &r.changes)
        .map(|c| c.wire)
        .max()
        .unwrap_or(Wire::None);
    let rust = releases.iter().filter_map(|r| r.level).max();
    let version = |i: usize| {
        releases
            .get(i)
            .map_or("-".to_owned(), |r| r.version.clone())
    };
    Outcome {
        wire,
        rust,
        versions: (version(0), version(1)),
        releases,
        files,
    }
}

fn root() -> PathBuf {
    crate::proof::tools::project_root()
}

/// The seed's crates at 0.1.0, as the first generation writes them.
fn base(root: &Path, spec: &str) -> Files {
    generate(spec, &load(root, spec), &Files::new()).0
}

#[test]
fn the_table_has_every_kind_of_edit() {
    assert!(rows().len() >= 25);
}

#[test]
fn the_generator_classifies_every_edit_as_the_table_says() {
    let root = root();
    let mut wrong = Vec::new();
    for row in rows() {
        let base = base(&root, row.spec);
        let got = outcome(&root, &row, &base);
        let want = (
            row.wire,
            Some(row.rust),
            (row.models.to_owned(), row.client.to_owned()),
        );
        if (got.wire, got.rust, got.versions.clone()) != want {
            let changes: Vec<String> = got
                .releases
                .iter()
                .flat_map(|r| &r.changes)
                .map(|c| format!("    {:?} {:?} {}", c.wire, c.rust, c.words))
                .collect();
            wrong.push(format!(
                "{}: got {:?}, want {want:?}\n{}",
                row.name,
                (got.wire, got.rust, got.versions),
                changes.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn generating_again_changes_nothing() {
    let root = root();
    for row in rows().iter().filter(|r| r.rust == Level::Breaking).take(3) {
        let base = base(&root, row.spec);
        let first = outcome(&root, row, &base);
        let mut doc = load(&root, row.spec);
        (row.edit)(&mut doc);
        // The second run starts from what the first wrote: nothing moves.
        let (again, releases) = generate(row.spec, &doc, &first.files);
        assert_eq!(again, first.files, "{}", row.name);
        assert!(releases.iter().all(|r| r.level.is_none()), "{}", row.name);
    }
}

#[test]
fn changelogs_say_what_changed() {
    let root = root();
    for name in [
        "new optional parameter",
        "new required request field",
        "removed optional response field",
        "new enum value",
        "field description edited",
        "answer becomes a stream of events",
    ] {
        let row = rows().into_iter().find(|r| r.name == name).unwrap();
        let base = base(&root, row.spec);
        let got = outcome(&root, &row, &base);
        let logs: Vec<String> = got
            .files
            .iter()
            .filter(|(p, _)| p.ends_with("CHANGELOG.md"))
            .map(|(p, text)| format!("==> {}\n{text}", p.display()))
            .collect();
        insta::assert_snapshot!(name.replace(' ', "_"), logs.join("\n"));
    }
}

/// The crates of a row that changed, by name.
fn changed(o: &Outcome) -> Vec<String> {
    o.releases
        .iter()
        .filter(|r| r.level.is_some())
        .map(|r| r.name.clone())
        .collect()
}

#[test]
fn cargo_semver_checks_agrees_with_the_table() {
    let root = root();
    let bin = judge::installed(&root).unwrap_or_else(|| {
        panic!(
            "cargo-semver-checks {} is not installed: `cargo xtask test` installs it",
            judge::VERSION
        )
    });
    let scratch = Scratch::new("table");
    let mut wrong = Vec::new();
    let mut rows = rows();
    rows.sort_by_key(|r| r.spec);
    let mut seed = None;
    for row in &rows {
        let base = base(&root, row.spec);
        if seed != Some(row.spec) {
            scratch.write("base", &base).unwrap();
            seed = Some(row.spec);
        }
        let got = outcome(&root, row, &base);
        scratch.write("current", &got.files).unwrap();
        let mut lints = Vec::new();
        for name in changed(&got) {
            let baseline = scratch.rustdoc("base", &name).unwrap();
            let current = scratch.rustdoc("current", &name).unwrap();
            lints.extend(judge::judge(&bin, &baseline, &current).unwrap().lints);
        }
        let expected = match row.judge {
            Judge::Agrees => row.rust == Level::Breaking,
            Judge::Misses(_) => false,
        };
        println!("{:<45} {:?} {lints:?}", row.name, row.judge);
        if lints.is_empty() == expected {
            wrong.push(format!(
                "{}: cargo-semver-checks says {lints:?}, the table expects {:?}",
                row.name, row.judge
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
