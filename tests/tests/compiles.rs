//! Whatever the generator writes compiles: random small specs whose names collide (with each
//! other, with Rust keywords, with std types and with the names the generated crates define or
//! re-export) are generated into one scratch workspace, which one `cargo clippy -D warnings`
//! builds. Their operations take and give every kind of body, parameters in every style, and
//! security requirements. The specs are random but seeded, so a failure reproduces. Some are
//! large enough (50 operations or more, over several tags) to be split into a crate per tag.
//! Every feature is on: the clients' typed mocks compile for all of it as well.

use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value, json};

/// How many specs; each gives a models and a client crate.
const SPECS: usize = 24;

/// Names that collide after case conversion, are keywords, shadow std or prelude names, or are
/// names the generated crates define or re-export.
const NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "client",
    "Error",
    "error",
    "BuildError",
    "build",
    "builder",
    "Response",
    "response",
    "Auth",
    "Secret",
    "RetryPolicy",
    "models",
    "Option",
    "String",
    "Vec",
    "Box",
    "Result",
    "BTreeMap",
    "Self",
    "self",
    "type",
    "Type",
    "TYPE",
    "async",
    "crate",
    "super",
    "foo",
    "foo2",
    "foo_2",
    "Foo",
    "FOO",
    "1st",
    "+1",
    "-1",
    "",
    "a b",
    "a-b",
    "a_b",
    "unknown",
    "Unknown",
    "additional_properties",
    "request",
    "raw",
    "body",
    "params",
    "serde",
    "std",
    "chrono",
    "DEFAULT_BASE_URL",
    "new",
    "default",
    "timeout",
    "base_url",
    "value",
    "Value",
    "r#",
    "prelude",
    "shared",
    "full",
    "unreferenced-schemas",
    "FooOperations",
    "runtime",
];

/// Which of the specs are large.
fn large(i: usize) -> bool {
    i % 8 < 2
}

struct Gen {
    rng: fastrand::Rng,
    v31: bool,
    /// Over 50 operations in three tags, so that the crates are split.
    large: bool,
}

impl Gen {
    fn name(&mut self) -> &'static str {
        NAMES[self.rng.usize(0..NAMES.len())]
    }

    fn reference(&mut self, schemas: &[&str]) -> Value {
        let target = schemas[self.rng.usize(0..schemas.len())];
        json!({"$ref": format!("#/components/schemas/{}", target.replace('~', "~0").replace('/', "~1"))})
    }

    fn nullable(&mut self, mut schema: Value) -> Value {
        if self.rng.usize(0..3) == 0 {
            if self.v31 {
                schema = json!({"anyOf": [schema, {"type": "null"}]});
            } else if schema.get("$ref").is_some() {
                schema = json!({"allOf": [schema], "nullable": true});
            } else {
                schema["nullable"] = json!(true);
            }
        }
        schema
    }

    fn schema(&mut self, schemas: &[&str], depth: usize) -> Value {
        let schema = match self.rng.usize(0..if depth > 1 { 4 } else { 11 }) {
            0 => json!({"type": "string"}),
            1 => json!({"type": "integer", "format": "int32"}),
            2 => self.reference(schemas),
            3 => json!({"type": "string", "enum": [self.name(), self.name(), self.name()]}),
            4 => json!({"type": "array", "items": self.schema(schemas, depth + 1)}),
            5 => json!({"allOf": [self.reference(schemas), {"description": "annotated"}]}),
            6 => json!({"oneOf": [self.reference(schemas), self.reference(schemas)]}),
            7 => json!({"type": "object", "additionalProperties": self.schema(schemas, depth + 1)}),
            8 if self.v31 => json!({"type": ["string", "integer", "null"]}),
            8 => json!({"type": "integer", "enum": [1, -1, 0]}),
            9 => self.object(schemas, depth + 1),
            _ => json!({"allOf": [self.reference(schemas), self.object(schemas, depth + 1)]}),
        };
        self.nullable(schema)
    }

    fn object(&mut self, schemas: &[&str], depth: usize) -> Value {
        let mut properties = Map::new();
        for _ in 0..self.rng.usize(1..5) {
            properties.insert(self.name().to_owned(), self.schema(schemas, depth));
        }
        let required: Vec<&String> = properties.keys().filter(|_| self.rng.bool()).collect();
        let mut object = json!({"type": "object", "properties": properties, "required": required});
        if self.rng.usize(0..4) == 0 {
            object["additionalProperties"] = json!(true);
        }
        object
    }

    fn operation(&mut self, schemas: &[&str], path_params: &[&str]) -> Value {
        let mut parameters: Vec<Value> = path_params
            .iter()
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        for _ in 0..self.rng.usize(0..4) {
            let place = ["query", "header", "cookie"][self.rng.usize(0..3)];
            let style = match place {
                "query" => {
                    ["form", "deepObject", "pipeDelimited", "spaceDelimited"][self.rng.usize(0..4)]
                }
                "header" => "simple",
                _ => "form",
            };
            parameters.push(json!({"name": self.name(), "in": place, "required": self.rng.bool(), "style": style, "explode": self.rng.bool(), "schema": self.schema(schemas, 2)}));
        }
        let mut op = json!({
            "operationId": self.name(),
            "parameters": parameters,
            "responses": {
                "200": {"description": "ok", "content": self.answer(schemas)},
                "2XX": {"description": "also ok", "content": self.answer(schemas)},
                "404": {"description": "missing", "content": self.answer(schemas)},
                "default": {"description": "other"}
            }
        });
        if self.rng.usize(0..3) == 0 {
            op["security"] = json!([{self.name(): []}, {}]);
        }
        if self.rng.bool() {
            let mut content = Map::new();
            for _ in 0..self.rng.usize(1..4) {
                let (media, schema) = self.request_media(schemas);
                content.insert(media.to_owned(), json!({"schema": schema}));
            }
            op["requestBody"] = json!({"required": self.rng.bool(), "content": content});
        }
        op
    }

    /// A request media type and its schema: JSON, a form, multipart with files, bytes, text.
    fn request_media(&mut self, schemas: &[&str]) -> (&'static str, Value) {
        let binary = json!({"type": "string", "format": "binary"});
        match self.rng.usize(0..6) {
            0 => ("application/json", self.schema(schemas, 1)),
            1 => ("application/merge-patch+json", self.reference(schemas)),
            2 => ("application/x-www-form-urlencoded", self.object(schemas, 2)),
            3 => {
                let mut form = self.object(schemas, 2);
                form["properties"][self.name()] = binary.clone();
                form["properties"][self.name()] = json!({"type": "array", "items": binary});
                ("multipart/form-data", form)
            }
            4 => ("application/octet-stream", binary),
            _ => ("text/plain", json!({"type": "string"})),
        }
    }

    /// The content of an answer: JSON, JSON or text, text, bytes, or none.
    fn answer(&mut self, schemas: &[&str]) -> Value {
        let json = json!({"schema": self.schema(schemas, 1)});
        let text = json!({"schema": {"type": "string"}});
        let binary = json!({"schema": {"type": "string", "format": "binary"}});
        match self.rng.usize(0..5) {
            0 => json!({"application/json": json}),
            1 => json!({"application/json": json, "text/plain": text}),
            2 => json!({"text/plain": text}),
            3 => json!({"application/octet-stream": binary}),
            _ => json!({}),
        }
    }

    fn spec(&mut self) -> Value {
        let names: Vec<&'static str> = (0..self.rng.usize(2..6)).map(|_| self.name()).collect();
        let mut schemas = Map::new();
        for n in &names {
            let schema = self.object(&names, 1);
            schemas.insert((*n).to_owned(), schema);
        }
        let mut paths = Map::new();
        let tags = [self.name(), self.name(), self.name()];
        let (count, methods) = if self.large {
            (18..19, 3..4)
        } else {
            (1..4, 1..4)
        };
        for i in 0..self.rng.usize(count) {
            let param = self.name();
            let mut item = Map::new();
            for method in ["get", "post", "put"]
                .iter()
                .take(self.rng.usize(methods.clone()))
            {
                let mut op = self.operation(&names, &[param]);
                op["tags"] = json!([tags[self.rng.usize(0..3)]]);
                item.insert((*method).to_owned(), op);
            }
            paths.insert(format!("/p{i}/{{{param}}}"), Value::Object(item));
        }
        let scheme = json!({"type": "apiKey", "in": "header", "name": "X-Key"});
        let mut schemes = Map::new();
        schemes.insert(self.name().to_owned(), scheme);
        schemes.insert(
            self.name().to_owned(),
            json!({"type": "http", "scheme": "bearer"}),
        );
        let mut spec = json!({
            "openapi": if self.v31 { "3.1.0" } else { "3.0.3" },
            "info": {"title": "random", "version": "1"},
            "servers": [{"url": "https://{v}.example.com", "variables": {self.name(): {"default": "a"}, "v": {"default": "b"}}}],
            "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": schemes}
        });
        self.add_hooks(&mut spec, &names);
        spec
    }

    /// Requests the API sends, under colliding names: 3.1 `webhooks`, or a 3.0 spec's
    /// `x-webhooks` and callbacks of its first operation.
    fn add_hooks(&mut self, spec: &mut Value, schemas: &[&str]) {
        let hooks = self.hooks(schemas);
        if self.v31 {
            spec["webhooks"] = hooks;
            return;
        }
        let callbacks = json!({self.name(): {"{$request.query.url}": hooks.as_object().unwrap().values().next().unwrap()}});
        spec["x-webhooks"] = hooks;
        let first_item = spec["paths"].as_object_mut().unwrap().values_mut().next();
        if let Some(op) = first_item.and_then(|item| item.as_object_mut()?.values_mut().next()) {
            op["callbacks"] = callbacks;
        }
    }

    fn hooks(&mut self, schemas: &[&str]) -> Value {
        let mut hooks = Map::new();
        for _ in 0..self.rng.usize(1..4) {
            let mut item = Map::new();
            for method in ["post", "put"].iter().take(self.rng.usize(1..3)) {
                let answers = json!({
                    "200": {"description": "received", "content": self.answer(schemas)},
                    "4XX": {"description": "refused", "content": self.answer(schemas)}
                });
                let mut op = json!({"responses": answers});
                if self.rng.bool() {
                    op["operationId"] = json!(self.name());
                }
                if self.rng.bool() {
                    let tag = json!({"type": "string", "enum": [self.name()]});
                    op["parameters"] = json!([{"name": self.name(), "in": "header", "required": true, "schema": tag}]);
                }
                if self.rng.usize(0..4) > 0 {
                    let (media, schema) = self.request_media(schemas);
                    op["requestBody"] =
                        json!({"required": true, "content": {media: {"schema": schema}}});
                }
                item.insert((*method).to_owned(), op);
            }
            hooks.insert(self.name().to_owned(), Value::Object(item));
        }
        Value::Object(hooks)
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn random_specs_with_colliding_names_compile() {
    let dir = std::env::temp_dir().join(format!("compiles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = codegen::Config::new();
    let runtime = root().join("runtime").display().to_string();
    config
        .strict(false)
        .runtime(codegen::Runtime::Path(runtime));
    let mut gen_ = Gen {
        // `COMPILES_SEED` explores other specs; CI uses the fixed one.
        rng: fastrand::Rng::with_seed(
            std::env::var("COMPILES_SEED")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0xc0de),
        ),
        v31: false,
        large: false,
    };
    let mut members = std::collections::BTreeSet::new();
    for i in 0..SPECS {
        gen_.v31 = i % 2 == 1;
        gen_.large = large(i);
        let spec = dir.join(format!("specs/random-{i}.json"));
        std::fs::create_dir_all(spec.parent().unwrap()).unwrap();
        std::fs::write(&spec, serde_json::to_string_pretty(&gen_.spec()).unwrap()).unwrap();
        let files = config
            .generate(&spec, &format!("random-{i}.json"), &codegen::nothing_before)
            .unwrap_or_else(|e| panic!("{e}\n{}", spec.display()))
            .files;
        for (path, text) in files {
            if let Some(krate) = path.components().next() {
                members.insert(format!("{:?}", krate.as_os_str().to_string_lossy()));
            }
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    let split = members
        .iter()
        .filter(|m| m.ends_with("-client-shared\""))
        .count();
    assert_eq!(
        split,
        (0..SPECS).filter(|i| large(*i)).count(),
        "{members:?}"
    );
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.into_iter().collect::<Vec<_>>().join(", ")
        ),
    )
    .unwrap();
    let output = Command::new("cargo")
        .args([
            "clippy",
            "--offline",
            "--workspace",
            "--all-targets",
            // The mocks, the spans and every tag too.
            "--all-features",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .unwrap();
    // Warnings count too: what users build with `-D warnings` must pass.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": error") || (l.contains(": warning") && l.contains("random-")))
        .collect();
    assert!(
        output.status.success() && problems.is_empty(),
        "the generated crates in {} do not compile cleanly:\n{}",
        dir.display(),
        if problems.is_empty() {
            stderr.to_string()
        } else {
            problems.join("\n")
        }
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
