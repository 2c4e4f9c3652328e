//! No input makes the generator panic: mutated and random specs, for a bounded time, each end in
//! generated files or an error. Deterministic: the generator is seeded, so a failure reproduces.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// The time budget per test; CI stays well inside its limit.
const BUDGET: Duration = Duration::from_secs(20);

fn seeds() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [root.join("fixtures"), root.join("../specs")] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        {
            let text = std::fs::read_to_string(&p).unwrap();
            if let Ok(v) = serde_yaml::from_str::<Value>(&text) {
                out.push(v);
            }
        }
    }
    assert!(out.len() > 10, "the seeds are the fixtures and the specs");
    out
}

/// Runs the whole pipeline, lenient and strict. Returns whether files were generated, or the
/// spec that made it panic.
fn survives(doc: &Value) -> Result<bool, String> {
    let text = serde_json::to_string(doc).unwrap();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut generated = false;
        for strict in [false, true] {
            let spec = match codegen::Spec::parse(Path::new("mutant.json"), text.clone()) {
                Ok(spec) => spec,
                Err(e) => {
                    if std::env::var_os("ROBUST_DEBUG").is_some() {
                        eprintln!("{e}");
                    }
                    return false;
                }
            };
            if let Ok(api) = codegen::lower::lower(&spec, "mutant", "mutant.json", strict) {
                generated |= codegen::Config::new().emit(&api).is_ok();
            }
        }
        generated
    }));
    result.map_err(|_| text)
}

const FORMATS: &[&str] = &["int32", "int64", "int8", "date-time", ""];
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null",
];
const NAMES: &[&str] = &[
    "Pet", "pet", "Self", "type", "String", "+1", "-1", "", "a/b", "Option", "1st",
];

fn name(rng: &mut fastrand::Rng) -> &'static str {
    NAMES[rng.usize(0..NAMES.len())]
}

/// A schema, valid or not in ways a vendor's spec can be: odd names, refs that miss, cycles.
fn random_schema(rng: &mut fastrand::Rng, depth: usize) -> Value {
    let leaf = depth > 3;
    let mut schema = match rng.usize(0..if leaf { 5 } else { 13 }) {
        0 => json!({"type": TYPES[rng.usize(0..TYPES.len())]}),
        1 => json!({"$ref": format!("#/components/schemas/{}", name(rng))}),
        2 => json!({"type": "string", "enum": [name(rng), name(rng), null]}),
        3 => {
            json!({"type": "integer", "format": FORMATS[rng.usize(0..FORMATS.len())], "enum": [1, -1, 1]})
        }
        4 => json!({}),
        5 => {
            json!({"type": "object", "required": [name(rng)], "properties": {name(rng): random_schema(rng, depth + 1), name(rng): random_schema(rng, depth + 1)}})
        }
        6 => json!({"oneOf": [random_schema(rng, depth + 1), random_schema(rng, depth + 1)]}),
        7 => json!({"anyOf": [random_schema(rng, depth + 1)]}),
        8 => json!({"allOf": [random_schema(rng, depth + 1), random_schema(rng, depth + 1)]}),
        9 => json!({"type": "array", "items": random_schema(rng, depth + 1)}),
        10 => {
            json!({"type": "object", "additionalProperties": if rng.bool() { random_schema(rng, depth + 1) } else { json!(rng.bool()) }})
        }
        11 => json!({"not": random_schema(rng, depth + 1)}),
        _ => {
            json!({"oneOf": [{"$ref": format!("#/components/schemas/{}", name(rng))}, {"$ref": format!("#/components/schemas/{}", name(rng))}], "discriminator": {"propertyName": name(rng), "mapping": {name(rng): format!("#/components/schemas/{}", name(rng))}}})
        }
    };
    if rng.usize(0..4) == 0 {
        schema["nullable"] = json!(true);
    }
    schema
}

/// Any JSON value, for places that take anything (examples) or to break a schema.
fn random_value(rng: &mut fastrand::Rng) -> Value {
    match rng.usize(0..6) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(-1000..1000)),
        3 => json!(name(rng)),
        4 => json!([name(rng), rng.f64()]),
        _ => json!({name(rng): name(rng)}),
    }
}

/// Applies one random change at a random place of `doc`.
fn mutate(doc: &mut Value, rng: &mut fastrand::Rng) {
    // Pick a random path through objects and arrays first, then change the container at its
    // end: replacing a leaf such as a description only exercises the parser.
    let mut pointer = String::new();
    let mut node = &*doc;
    for _ in 0..rng.usize(0..12) {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(m) => m
                .iter()
                .filter(|(_, v)| v.is_object() || v.is_array())
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
                .collect(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_object() || v.is_array())
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        if children.is_empty() {
            break;
        }
        let (token, child) = &children[rng.usize(0..children.len())];
        pointer.push('/');
        pointer.push_str(token);
        node = child;
    }
    let node = doc.pointer_mut(&pointer).expect("the path was just walked");
    match node {
        Value::Object(m) => match rng.usize(0..7) {
            0 if !m.is_empty() => {
                let key = m.keys().nth(rng.usize(0..m.len())).unwrap().clone();
                m.remove(&key);
            }
            1 if !m.is_empty() => {
                // Rename a key, often to one that collides after case conversion.
                let key = m.keys().nth(rng.usize(0..m.len())).unwrap().clone();
                let value = m.remove(&key).unwrap();
                m.insert(name(rng).to_owned(), value);
            }
            2 => *node = random_schema(rng, 0),
            _ => {
                let key = SCHEMA_KEYS[rng.usize(0..SCHEMA_KEYS.len())];
                let value = match key {
                    "type" => json!(TYPES[rng.usize(0..TYPES.len())]),
                    "nullable" => json!(rng.bool()),
                    "format" => json!(FORMATS[rng.usize(0..FORMATS.len())]),
                    "$ref" => json!(format!("#/components/schemas/{}", name(rng))),
                    "required" | "enum" | "x-enum-varnames" => json!([name(rng), name(rng)]),
                    "example" => random_value(rng),
                    "properties" => json!({name(rng): random_schema(rng, 1)}),
                    "oneOf" | "allOf" | "anyOf" => {
                        json!([random_schema(rng, 1), random_schema(rng, 1)])
                    }
                    "additionalProperties" => {
                        if rng.bool() {
                            json!(rng.bool())
                        } else {
                            random_schema(rng, 1)
                        }
                    }
                    _ => random_schema(rng, 1),
                };
                m.insert(key.to_owned(), value);
            }
        },
        Value::Array(a) if !a.is_empty() => {
            let i = rng.usize(0..a.len());
            match rng.usize(0..3) {
                0 => {
                    a.remove(i);
                }
                1 => a.push(a[i].clone()),
                _ => a[i] = random_schema(rng, 0),
            }
        }
        other => *other = random_schema(rng, 0),
    }
}

const SCHEMA_KEYS: &[&str] = &[
    "type",
    "nullable",
    "format",
    "$ref",
    "required",
    "enum",
    "x-enum-varnames",
    "example",
    "properties",
    "items",
    "oneOf",
    "allOf",
    "anyOf",
    "additionalProperties",
    "not",
];

/// Feeds documents from `next` to the generator until the budget is spent; fails on a panic, and
/// when too few documents get through parsing to exercise the rest of the generator.
fn run_for_budget(mut next: impl FnMut() -> Value) {
    let start = Instant::now();
    let (mut runs, mut generated) = (0, 0);
    while start.elapsed() < BUDGET {
        match survives(&next()) {
            Err(text) => panic!("the generator panicked on this spec:\n{text}"),
            Ok(g) => generated += usize::from(g),
        }
        runs += 1;
    }
    assert!(
        runs > 50 && generated * 4 > runs,
        "{generated} of {runs} runs generated"
    );
    eprintln!("{generated} of {runs} runs generated");
}

#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    run_for_budget(|| {
        let mut doc = seeds[rng.usize(0..seeds.len())].clone();
        for _ in 0..rng.usize(1..6) {
            mutate(&mut doc, &mut rng);
        }
        doc
    });
}

#[test]
fn random_documents_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0xd0c5);
    run_for_budget(|| {
        let mut schemas = Map::new();
        for _ in 0..rng.usize(0..6) {
            schemas.insert(name(&mut rng).to_owned(), random_schema(&mut rng, 0));
        }
        let location = ["path", "query", "header", "cookie"][rng.usize(0..4)];
        let op = json!({
            "operationId": name(&mut rng),
            "parameters": [{"name": name(&mut rng), "in": location, "schema": random_schema(&mut rng, 0)}],
            "requestBody": {"content": {"application/json": {"schema": random_schema(&mut rng, 0), "example": random_value(&mut rng)}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": random_schema(&mut rng, 0)}}}, "default": {"description": "e"}}
        });
        json!({
            "openapi": "3.0.3",
            "info": {"title": "random", "version": "1"},
            "paths": {format!("/{}/{{{}}}", name(&mut rng), name(&mut rng)): {"get": op}},
            "components": {"schemas": schemas}
        })
    });
}
