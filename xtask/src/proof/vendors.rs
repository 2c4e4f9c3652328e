//! `cargo xtask vendors`: what two of the most used APIs send, through the crates generated from
//! their own descriptions (`tests/vendors/specs/`, copies of `../shared/corpus/vendors/` kept in
//! the repository so that the test command needs nothing outside it).
//!
//! The bodies each vendor publishes (the answers in OpenAI's `x-oaiMeta`, Stripe's fixtures)
//! become OpenAPI examples of the answers and schemas they belong to, in a copy of the
//! description under `target/vendors/`. openapi-schema-validator, an independent reader, says
//! which of them fit their own schema; the generated models crate's examples test decodes each
//! and encodes it back. Then `tests/vendors/` calls the generated clients against servers on
//! loopback that answer as those vendors do.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::repo::files::generate_one;

/// A vendor's description and how its published bodies become examples in it.
pub struct Vendor {
    pub name: &'static str,
    /// The description, under `tests/vendors/specs/`.
    pub spec: &'static str,
    /// Adds the published bodies to the description (read as a JSON value, its folder given).
    publish: fn(&Path, &mut Value) -> Result<Published, String>,
}

/// The bodies a vendor publishes, as examples in its description.
#[derive(Default)]
struct Published {
    bodies: Vec<Example>,
    /// Published bodies that are not JSON.
    not_json: usize,
}

pub const VENDORS: &[Vendor] = &[
    Vendor {
        name: "openai",
        spec: "openai/openapi.json",
        publish: openai_answers,
    },
    Vendor {
        name: "stripe",
        spec: "stripe/spec3.yaml",
        publish: stripe_fixtures,
    },
];

/// Where a published body stands as an example, and its schema.
struct Example {
    pointer: String,
    /// Empty when the description has no place for the body.
    schema: String,
    /// What answers it: an operation, or a resource.
    of: String,
    /// Why the description has no place for it.
    unplaced: Option<&'static str>,
}

/// One published body and what became of it.
pub struct Body {
    /// The JSON pointer of the example it became.
    pub pointer: String,
    /// What answers it: an operation, or a resource.
    pub of: String,
    /// The validator's complaints when the body breaks its own schema.
    pub breaks: Vec<String>,
    /// Whether it decoded and encoded back to the same JSON; why not otherwise.
    pub decoded: Result<(), String>,
    /// The same with the crates generated tolerant (`generate --tolerant`).
    pub tolerated: Result<(), String>,
}

/// A vendor's run: its bodies and its crates.
pub struct Outcome {
    pub vendor: &'static str,
    pub bodies: Vec<Body>,
    /// Published bodies that are not JSON (event streams, audio), which no model decodes.
    pub not_json: usize,
}

/// Where the vendors' copies, crates and builds go.
pub fn dir(root: &Path) -> PathBuf {
    root.join("target/vendors")
}

/// The published bodies through the generated models (every one that fits its own schema must
/// decode and encode back), then the tests of `tests/vendors/`: how many tests passed and
/// failed.
pub fn check(root: &Path) -> Result<(usize, usize), String> {
    println!("\n==> cargo xtask vendors");
    // `qs`, for the form bodies.
    crate::proof::tools::npm_ci(root, "tools")?;
    let outcomes = bodies(root)?;
    let report = report(&outcomes);
    std::fs::write(dir(root).join("REPORT.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    require_fitting_bodies(&outcomes)?;
    client_tests(root)
}

/// Every vendor's published bodies through its generated models crate.
pub fn bodies(root: &Path) -> Result<Vec<Outcome>, String> {
    VENDORS.iter().map(|v| vendor_bodies(root, v)).collect()
}

fn vendor_bodies(root: &Path, vendor: &Vendor) -> Result<Outcome, String> {
    let source = root.join("tests/vendors/specs").join(vendor.spec);
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let mut doc = codegen::load::document(&source, &text).map_err(|e| e.to_string())?;
    let folder = source.parent().unwrap_or(root);
    let published = (vendor.publish)(folder, &mut doc)?;
    let base = dir(root);
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    let spec = base.join(format!("{}.json", vendor.name));
    let json = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    std::fs::write(&spec, json).map_err(|e| e.to_string())?;
    // The published bodies are answers.
    let pairs: Vec<Judged> = published
        .bodies
        .iter()
        .filter(|e| !e.schema.is_empty())
        .map(|e| (e.pointer.as_str(), e.schema.as_str(), Some("read")))
        .collect();
    let complaints = validate(root, &spec, &pairs)?;
    let strict = examples(root, vendor, &spec, false)?;
    let tolerant = examples(root, vendor, &spec, true)?;
    let bodies = published
        .bodies
        .into_iter()
        .map(|e| {
            let outcome = |results: &BTreeMap<String, Result<(), String>>| match e.unplaced {
                Some(why) => Err(why.to_owned()),
                None => results
                    .get(&e.pointer)
                    .cloned()
                    .unwrap_or_else(|| Err("not an example of the generated crates".to_owned())),
            };
            let mut breaks = complaints.get(&e.pointer).cloned().unwrap_or_default();
            breaks.extend(e.unplaced.map(str::to_owned));
            Body {
                breaks,
                decoded: outcome(&strict),
                tolerated: outcome(&tolerant),
                pointer: e.pointer,
                of: e.of,
            }
        })
        .collect();
    Ok(Outcome {
        vendor: vendor.name,
        bodies,
        not_json: published.not_json,
    })
}

/// Generates a vendor's crates from its description with the published bodies (tolerant or
/// not, each into a folder of its own) and runs their examples test: each example's outcome
/// by its pointer.
fn examples(
    root: &Path,
    vendor: &Vendor,
    spec: &Path,
    tolerant: bool,
) -> Result<BTreeMap<String, Result<(), String>>, String> {
    // The tolerant crates have names of their own: cargo gives packages of one name, version
    // and place in their workspace the same builds, which two workspaces would overwrite in
    // the target folder they share.
    let name = crates_name(vendor.name, tolerant);
    let out = dir(root).join(&name);
    eprintln!("generating {name}");
    // One runtime for every vendor, so that a program can use several vendors' clients.
    let how = crate::repo::files::OneSpec {
        strict: false,
        tolerant,
        name: Some(&name),
        runtime: Some("../../../../runtime"),
        ..Default::default()
    };
    let generated = generate_one(spec, &out, how)?;
    copy_lock(root, &out)?;
    let results = examples_test(root, &out, &format!("{name}-models"))?;
    if !tolerant {
        document_types(root, &out, &name)?;
    }
    Ok(generated
        .examples
        .into_iter()
        .filter_map(|(test, pointer, _)| Some((pointer, results.get(&test)?.clone())))
        .collect())
}

/// Documents the crate of a vendor's types (of a split API its shared part, which holds most of
/// the description's text and needs no other part built) with rustdoc's warnings as errors.
fn document_types(root: &Path, out: &Path, name: &str) -> Result<(), String> {
    let shared = format!("{name}-models-shared");
    let krate = if out.join(&shared).is_dir() {
        shared
    } else {
        format!("{name}-models")
    };
    eprintln!("documenting {krate} with RUSTDOCFLAGS=\"-D warnings\"");
    let output = Command::new("cargo")
        .args(["doc", "--no-deps", "-p", &krate, "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target(root))
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .take(10)
        .collect();
    Err(format!(
        "the docs of {krate} do not build:\n{}",
        errors.join("\n")
    ))
}

/// The name of a vendor's crates, which is also their folder under `target/vendors/`:
/// `<vendor>`, or `<vendor>-tolerant`.
fn crates_name(vendor: &str, tolerant: bool) -> String {
    if tolerant {
        format!("{vendor}-tolerant")
    } else {
        vendor.to_owned()
    }
}

/// OpenAI's answers: each JSON `response` of an operation's `x-oaiMeta.examples` becomes an
/// example of the operation's first successful JSON answer.
fn openai_answers(_: &Path, doc: &mut Value) -> Result<Published, String> {
    let mut published = Published::default();
    let components = doc.pointer("/components/responses").cloned();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return Err("the OpenAI description has no paths".to_owned());
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let answers = meta_answers(op);
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or(method)
                .to_owned();
            for (i, text) in answers.iter().enumerate() {
                let Ok(body) = serde_json::from_str::<Value>(text) else {
                    published.not_json += 1;
                    continue;
                };
                let Some((code, media_type)) = json_success(op, components.as_ref()) else {
                    published.bodies.push(Example {
                        pointer: format!("{method} {path}"),
                        schema: String::new(),
                        of: id.clone(),
                        unplaced: Some("the operation documents no JSON answer"),
                    });
                    continue;
                };
                let key = format!("published-{}", i + 1);
                let media = inline_response(op, &code, components.as_ref())
                    .and_then(|r| r.pointer_mut(&format!("/content/{}", escape(&media_type))));
                let Some(media) = media.and_then(Value::as_object_mut) else {
                    continue;
                };
                let examples = media.entry("examples").or_insert_with(|| json!({}));
                examples[&key] = json!({ "value": body });
                let at = format!(
                    "/paths/{}/{method}/responses/{code}/content/{}",
                    escape(path),
                    escape(&media_type)
                );
                published.bodies.push(Example {
                    pointer: format!("{at}/examples/{key}/value"),
                    schema: format!("{at}/schema"),
                    of: id.clone(),
                    unplaced: None,
                });
            }
        }
    }
    Ok(published)
}

/// The `response` texts of an operation's `x-oaiMeta.examples` (one object or a list).
fn meta_answers(op: &Value) -> Vec<String> {
    let examples = match op.pointer("/x-oaiMeta/examples") {
        Some(Value::Array(list)) => list.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    examples
        .iter()
        .filter_map(|e| e.get("response").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// The status and media type of an operation's first successful JSON answer.
fn json_success(op: &Value, components: Option<&Value>) -> Option<(String, String)> {
    let responses = op.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .find_map(|(code, r)| {
            let r = resolved(r, components)?;
            let content = r.get("content")?.as_object()?;
            let media = content.keys().find(|m| m.contains("json"))?.to_owned();
            Some((code.clone(), media))
        })
}

fn resolved<'a>(r: &'a Value, components: Option<&'a Value>) -> Option<&'a Value> {
    match r.get("$ref").and_then(Value::as_str) {
        Some(reference) => components?.get(reference.rsplit('/').next()?),
        None => Some(r),
    }
}

/// The operation's answer `code`, made inline where it was a reference, so that an example
/// added to it is the operation's own.
fn inline_response<'a>(
    op: &'a mut Value,
    code: &str,
    components: Option<&Value>,
) -> Option<&'a mut Value> {
    let r = op.get_mut("responses")?.get_mut(code)?;
    if let Some(target) = resolved(r, components).cloned()
        && r.get("$ref").is_some()
    {
        *r = target;
    }
    Some(r)
}

/// Stripe's fixtures: one object per resource, each an example of the schema of that name.
fn stripe_fixtures(folder: &Path, doc: &mut Value) -> Result<Published, String> {
    let path = folder.join("fixtures3.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let fixtures: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let resources = fixtures
        .get("resources")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_else(Map::new);
    let mut published = Published::default();
    for (name, body) in resources {
        let pointer = format!("/components/schemas/{}", escape(&name));
        let Some(schema) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            published.bodies.push(Example {
                pointer,
                schema: String::new(),
                of: name,
                unplaced: Some("the description has no schema of that name"),
            });
            continue;
        };
        schema.insert("example".to_owned(), body);
        published.bodies.push(Example {
            pointer: format!("{pointer}/example"),
            schema: pointer,
            of: name,
            unplaced: None,
        });
    }
    Ok(published)
}

/// A JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// An example to judge: its pointer, its schema's, and the way it travels (`"read"` for an
/// answer, `"write"` for a request, `None` for neither: `tools/validate_examples.py`).
pub type Judged<'a> = (&'a str, &'a str, Option<&'static str>);

/// What openapi-schema-validator says of each example that breaks its schema, by pointer.
/// `spec` is a JSON document.
pub fn validate(
    root: &Path,
    spec: &Path,
    pairs: &[Judged],
) -> Result<BTreeMap<String, Vec<String>>, String> {
    use std::io::Write as _;
    use std::process::Stdio;
    let python = crate::proof::tools::python_tools(root)?.join("python");
    let mut child = Command::new(&python)
        .arg(root.join("tools/validate_examples.py"))
        .arg(spec)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let input = serde_json::to_vec(pairs).map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(&input)
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "tools/validate_examples.py failed ({})",
            output.status
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cannot read the validator's report: {e}"))
}

/// The workspace's `Cargo.lock` beside a generated workspace, so that it builds with the same
/// versions (and shares their builds).
fn copy_lock(root: &Path, out: &Path) -> Result<(), String> {
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map(|_| ())
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))
}

/// The target folder every vendor build shares.
fn target(root: &Path) -> PathBuf {
    dir(root).join("target")
}

/// Runs the examples test of `krate` in the workspace `out`; each test's outcome by name.
fn examples_test(
    root: &Path,
    out: &Path,
    krate: &str,
) -> Result<BTreeMap<String, Result<(), String>>, String> {
    eprintln!("building and running the examples test of {krate}");
    let output = Command::new("cargo")
        .args(["test", "-p", krate, "--test", "examples", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target(root))
        // Built once each: incremental caches of crates this size would take GBs.
        .env("CARGO_INCREMENTAL", "0")
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = test_results(&stdout);
    if results.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("no test ran");
        return Err(format!("the examples test of {krate} did not run: {first}"));
    }
    Ok(results)
}

/// Each test's outcome from libtest's output: passed, or the panic message of a failure.
pub fn test_results(stdout: &str) -> BTreeMap<String, Result<(), String>> {
    let mut results = BTreeMap::new();
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("---- ") {
            let name = rest.trim_end_matches(" stdout ----").to_owned();
            let mut message = String::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("---- ") || next.trim().is_empty() && !message.is_empty() {
                    break;
                }
                let next = lines.next().unwrap_or_default();
                let noise = next.starts_with("thread ") || next.starts_with("note: ");
                if !noise && !next.trim().is_empty() {
                    message.push_str(next.trim());
                    message.push(' ');
                }
            }
            results.insert(name, Err(message.trim().to_owned()));
        }
    }
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("test ")
            .and_then(|l| l.strip_suffix(" ... ok"))
        {
            results.insert(name.to_owned(), Ok(()));
        }
    }
    results
}

/// Fails unless every published body that fits its own schema decodes and encodes back.
fn require_fitting_bodies(outcomes: &[Outcome]) -> Result<(), String> {
    let failures: Vec<String> = outcomes
        .iter()
        .flat_map(|o| {
            o.bodies
                .iter()
                .filter(|b| b.breaks.is_empty())
                .filter_map(move |b| match &b.decoded {
                    Ok(()) => None,
                    Err(e) => Some(format!("{} {} ({}): {e}", o.vendor, b.of, b.pointer)),
                })
        })
        .collect();
    if failures.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} published bodies that fit their own schema do not decode:\n{}",
        failures.len(),
        failures.join("\n")
    ))
}

/// The tests of `tests/vendors/`, which call the generated clients.
fn client_tests(root: &Path) -> Result<(usize, usize), String> {
    let manifest = root.join("tests/vendors/Cargo.toml");
    copy_lock(root, manifest.parent().unwrap_or(root))?;
    let manifest_arg = manifest.to_string_lossy().into_owned();
    let target = target(root);
    crate::proof::tools::cargo_test(
        root,
        &["--manifest-path", &manifest_arg],
        &[
            ("CARGO_TARGET_DIR", target.as_os_str()),
            ("CARGO_INCREMENTAL", std::ffi::OsStr::new("0")),
        ],
    )
}

/// Figures of one vendor: published, fitting their schema, decoded of each.
pub struct Figures {
    pub published: usize,
    pub fitting: usize,
    pub fitting_decoded: usize,
    pub breaking: usize,
    pub breaking_decoded: usize,
    pub breaking_tolerated: usize,
    /// Of those, the bodies that decode tolerant but write back a `null` where the schema says
    /// the value cannot be one as absent.
    pub breaking_tolerated_decoded: usize,
}

pub fn figures(o: &Outcome) -> Figures {
    let count = |fits: bool, ok: fn(&Body) -> bool| {
        o.bodies
            .iter()
            .filter(|b| b.breaks.is_empty() == fits && ok(b))
            .count()
    };
    Figures {
        published: o.bodies.len(),
        fitting: count(true, |_| true),
        fitting_decoded: count(true, |b| b.decoded.is_ok()),
        breaking: count(false, |_| true),
        breaking_decoded: count(false, |b| b.decoded.is_ok()),
        breaking_tolerated: count(false, |b| b.tolerated.is_ok()),
        breaking_tolerated_decoded: count(false, |b| match &b.tolerated {
            Ok(()) => true,
            Err(e) => e.contains("encoding changed the example"),
        }),
    }
}

/// The markdown report: figures per vendor, then every body that does not decode, with the
/// rule it breaks.
pub fn report(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| vendor | published JSON bodies | fit their schema | of those, decode and encode back | break their schema | of those, decode and encode back | the same, generated `--tolerant` | decode `--tolerant` | not JSON (streams, audio) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for o in outcomes {
        let f = figures(o);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            o.vendor,
            f.published,
            f.fitting,
            f.fitting_decoded,
            f.breaking,
            f.breaking_decoded,
            f.breaking_tolerated,
            f.breaking_tolerated_decoded,
            o.not_json
        )
        .unwrap();
    }
    for o in outcomes {
        let failing: Vec<&Body> = o.bodies.iter().filter(|b| b.decoded.is_err()).collect();
        if failing.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n### {}: bodies that do not decode, with the rule each breaks\n",
            o.vendor
        )
        .unwrap();
        for b in failing {
            let rule = match b.breaks.first() {
                Some(rule) => format!("breaks its schema ({rule}{})", more(&b.breaks)),
                None => "fits its schema".to_owned(),
            };
            let error = b.decoded.as_ref().err().map(String::as_str).unwrap_or("");
            let tolerant = match &b.tolerated {
                Ok(()) => "decodes and encodes back tolerant".to_owned(),
                Err(e) => format!("tolerant: {}", cell(e)),
            };
            writeln!(
                out,
                "- `{}` `{}`: {rule}; {}; {tolerant}",
                b.of,
                b.pointer,
                cell(error)
            )
            .unwrap();
        }
    }
    out
}

fn more(list: &[String]) -> String {
    match list.len() {
        0 | 1 => String::new(),
        n => format!(", and {} more", n - 1),
    }
}

/// A test's failure in a line: without the example's pointer, which the row gives.
pub fn cell(text: &str) -> String {
    let text = match text.split_once(": ") {
        Some((pointer, rest)) if pointer.starts_with('#') => rest,
        _ => text,
    };
    crate::proof::tools::cell_of(text, 300)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_libtest_outcomes() {
        let out = "running 3 tests\ntest a ... ok\ntest b ... FAILED\n\nfailures:\n\n---- b stdout ----\n\nthread 'b' panicked at tests/examples.rs:5:9:\n#/x: the example does not decode: missing field `id`\nnote: run with `RUST_BACKTRACE=1`\n\n---- c stdout ----\nthread 'c' panicked at x:\nboom\n\nfailures:\n    b\n";
        let results = super::test_results(out);
        assert_eq!(results["a"], Ok(()));
        let b = results["b"].as_ref().unwrap_err();
        assert!(
            b.starts_with("#/x: the example does not decode: missing field `id`"),
            "{b}"
        );
        assert_eq!(results["c"], Err("boom".to_owned()));
    }
}
