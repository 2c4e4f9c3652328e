//! `cargo xtask bench`: generation time against progenitor (`cargo bench`), the decoding of
//! unions nested in unions against plain structs (`tests/benches/unions.rs`), the decoding of
//! server-sent events against `eventsource-stream` (`tests/benches/sse.rs`), one call through
//! a generated client against reqwest + serde by hand (`tests/downstream/benches/calls.rs`),
//! pages of nexus.json decoded against progenitor's types (`tests/decode/`), generation of
//! GitHub's description as a whole process, then the cost of the generated crates: lines of
//! code, cold `cargo check` time and peak memory, and the re-check after one optional property
//! is added to a leaf schema and then to the most referenced one, for GitHub's description and
//! nexus.json, beside progenitor's output for nexus.json.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::proof::tools::npm_ci;
use crate::repo::files::generate_one;

/// Who generated a measured workspace.
#[derive(Clone, PartialEq)]
enum Generator {
    /// This generator, as built now.
    Ours,
    /// This generator's release binary built from another revision, for before-and-after.
    Baseline(String, PathBuf),
    Progenitor,
}

impl Generator {
    fn label(&self) -> String {
        match self {
            Generator::Ours => "this project".to_owned(),
            Generator::Baseline(rev, _) => format!("this project at `{rev}`"),
            Generator::Progenitor => "progenitor 0.15".to_owned(),
        }
    }
}

struct Subject {
    spec: &'static str,
    path: PathBuf,
    generator: Generator,
    /// A component schema that one operation reaches and no other type refers to (checked by
    /// [`check_leaf`]), which gets one more property for the first re-check.
    leaf: &'static str,
    /// The most referenced component schema with properties, which gets one more property for
    /// the second.
    hub: &'static str,
    /// Check only the client crate with only this feature (a tag), instead of everything.
    feature: Option<&'static str>,
}

impl Subject {
    fn label(&self) -> String {
        let scope = match self.feature {
            Some(f) => format!(", `{f}` feature only"),
            None if self.generator == Generator::Progenitor => String::new(),
            None => ", all tags".to_owned(),
        };
        format!("{}, {}{scope}", self.spec, self.generator.label())
    }
}

fn cargo_bench(root: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let args: Vec<&str> = std::iter::once("bench")
        .chain(args.iter().copied())
        .collect();
    crate::proof::tools::exec(root, "cargo", &args, envs)
}

/// What `cargo xtask bench` measures.
#[derive(clap::Args)]
pub struct Options {
    /// Leave out generation time against progenitor.
    #[arg(long)]
    no_generation: bool,
    /// Measure the generator at git revision REV too, in the same run.
    #[arg(long, value_name = "REV")]
    baseline: Option<String>,
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    npm_ci(root, "tools/corpus")?;
    if !options.no_generation {
        cargo_bench(
            root,
            &["-p", "openapi-crates-codegen", "--bench", "generate"],
            &[],
        )?;
    }
    // Decoding: unions in unions against plain structs of the same shape; server-sent events
    // against eventsource-stream with serde_json.
    cargo_bench(root, &["-p", "tests", "--bench", "unions"], &[])?;
    cargo_bench(root, &["-p", "tests", "--bench", "sse"], &[])?;
    // One call through a generated client against reqwest + serde by hand, without the
    // `tracing` feature and with it (and a subscriber).
    cargo_bench(root, &["-p", "downstream", "--bench", "calls"], &[])?;
    cargo_bench(
        root,
        &[
            "-p",
            "downstream",
            "--bench",
            "calls",
            "--features",
            "tracing",
        ],
        &[],
    )?;
    let nexus = root.join("../shared/corpus/progenitor-samples/nexus.json");
    decode_against_progenitor(root, &nexus)?;
    let baseline = match &options.baseline {
        Some(rev) => Some(Generator::Baseline(rev.clone(), build_baseline(root, rev)?)),
        None => None,
    };
    let github =
        root.join("tools/corpus/node_modules/@octokit/openapi/generated/api.github.com.json");
    let current = release_binary(root, root)?;
    println!("\n{}", generation_process(root, &github, &current, "now")?);
    if let Some(Generator::Baseline(rev, binary)) = &baseline {
        println!("{}", generation_process(root, &github, binary, rev)?);
    }
    let mut subjects = vec![
        Subject {
            spec: "nexus.json",
            path: nexus.clone(),
            generator: Generator::Ours,
            leaf: "CertificateCreate",
            hub: "Instance",
            feature: None,
        },
        Subject {
            spec: "nexus.json",
            path: nexus,
            generator: Generator::Progenitor,
            leaf: "CertificateCreate",
            hub: "Instance",
            feature: None,
        },
    ];
    let stripe = as_json(root, "tests/vendors/specs/stripe/spec3.yaml", "stripe.json")?;
    let openai = root.join("tests/vendors/specs/openai/openapi.json");
    for generator in baseline.into_iter().chain([Generator::Ours]) {
        for feature in [None, Some("repos")] {
            subjects.push(Subject {
                spec: "GitHub",
                path: github.clone(),
                generator: generator.clone(),
                leaf: "installation-token",
                hub: "simple-user",
                feature,
            });
        }
        // Without tags, 468 operations; every operation refers to `error`.
        subjects.push(Subject {
            spec: "Stripe",
            path: stripe.clone(),
            generator: generator.clone(),
            leaf: "deleted_plan",
            hub: "error",
            feature: None,
        });
        // Finely tagged: 37 tags for 288 operations, 18 of them with fewer than five.
        subjects.push(Subject {
            spec: "OpenAI",
            path: openai.clone(),
            generator,
            leaf: "CompleteUploadRequest",
            hub: "BetaAgentTag",
            feature: None,
        });
    }
    for s in &subjects {
        check_leaf(&s.path, s.leaf)?;
    }
    let mut table = String::from(
        "| generated for | crates | lines of Rust | cold `cargo check` (s) | peak memory (MB) | re-check after a leaf change (s) | re-check after a hub change (s) |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for s in &subjects {
        // A generator whose output does not build gets a row that says so.
        let row = measure(root, s).unwrap_or_else(|e| {
            eprintln!("{e}");
            format!("| {} | does not build | | | | | |\n", s.label())
        });
        table.push_str(&row);
        println!("{row}");
    }
    println!("\n{table}");
    Ok(())
}

/// The release build of the xtask of the workspace at `dir`.
fn release_binary(root: &Path, dir: &Path) -> Result<PathBuf, String> {
    let target = if dir == root {
        root.join("target")
    } else {
        root.join("target/bench-baseline-target")
    };
    let status = Command::new("cargo")
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo build --release -p xtask failed in {}",
            dir.display()
        ));
    }
    Ok(target.join("release/xtask"))
}

/// The generator at git revision `rev`, built from its sources under `target/`.
fn build_baseline(root: &Path, rev: &str) -> Result<PathBuf, String> {
    let dir = root.join("target/bench-baseline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "git archive --format=tar {rev} | tar -x -C {}",
            dir.display()
        ))
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    if !status.success() {
        return Err(format!("cannot extract revision {rev}"));
    }
    release_binary(root, &dir)
}

/// Runs `command`, called `what` in its errors.
fn run_command(command: &mut Command, what: &str) -> Result<(), String> {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{what} failed ({status})")),
        Err(e) => Err(format!("cannot run {what}: {e}")),
    }
}

fn generate(root: &Path, s: &Subject, spec: &Path, out: &Path) -> Result<(), String> {
    match &s.generator {
        Generator::Ours => generate_one(spec, out, Default::default()).map(|_| ()),
        Generator::Baseline(rev, binary) => run_command(
            Command::new(binary)
                .args(["generate", "--spec"])
                .arg(spec)
                .arg("--out")
                .arg(out)
                .stdout(std::process::Stdio::null()),
            &format!("the generator at {rev}"),
        ),
        Generator::Progenitor => progenitor_crate(root, spec, out),
    }
}

/// Progenitor's client for `spec`, written as a crate into `out` (`examples/progenitor_gen.rs`
/// of the library).
fn progenitor_crate(root: &Path, spec: &Path, out: &Path) -> Result<(), String> {
    let mut command = Command::new("cargo");
    command
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "openapi-crates-codegen",
        ])
        .args(["--example", "progenitor_gen", "--"])
        .arg(spec)
        .arg(out)
        .current_dir(root);
    run_command(&mut command, "progenitor_gen")
}

/// Decoding of nexus.json's pages into this generator's models against progenitor's types
/// (`tests/decode/benches/nexus.rs`, which fails below its guard), both crates generated into
/// `target/decode/` first.
fn decode_against_progenitor(root: &Path, nexus: &Path) -> Result<(), String> {
    let dir = root.join("target/decode");
    let _ = std::fs::remove_dir_all(&dir);
    generate_one(nexus, &dir.join("ours"), Default::default())?;
    progenitor_crate(root, nexus, &dir.join("progenitor"))?;
    // The workspace's pins, for the crates both share.
    std::fs::copy(
        root.join("Cargo.lock"),
        root.join("tests/decode/Cargo.lock"),
    )
    .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let target = root.join("target").to_string_lossy().into_owned();
    let manifest = root.join("tests/decode/Cargo.toml");
    cargo_bench(
        root,
        &["--manifest-path", &manifest.to_string_lossy()],
        &[("CARGO_TARGET_DIR", &target)],
    )
}

/// `cargo check` of the workspace in `dir`, under `/usr/bin/time`: seconds and peak RSS in MB
/// (the largest of cargo and the rustc processes it waited for).
fn timed_check(dir: &Path, target: &Path, feature: Option<&str>) -> Result<(f64, f64), String> {
    let mut command = Command::new("/usr/bin/time");
    command
        .args([
            "-f",
            "%e %M",
            "cargo",
            "check",
            "--quiet",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    match feature {
        None => command.arg("--workspace"),
        Some(f) => {
            // Only the client crate, which pulls in the models it needs.
            let client = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.ends_with("-client"))
                .unwrap_or_default();
            command.args(["-p", &client, "--no-default-features", "--features", f])
        }
    };
    let output = command
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time (apt-get install time): {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "cargo check failed in {}:\n{stderr}",
            dir.display()
        ));
    }
    let last = stderr.lines().last().unwrap_or_default();
    let mut it = last.split_whitespace();
    let secs = it
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(format!("cannot read time from {last:?}"))?;
    let kb: f64 = it
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(format!("cannot read memory from {last:?}"))?;
    Ok((secs, kb / 1024.0))
}

/// The crates of the workspace at `dir`: its members, or the one crate it is.
fn crate_count(dir: &Path) -> usize {
    let members = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .count();
    members.max(1)
}

fn rust_lines(dir: &Path) -> usize {
    fn walk(dir: &Path, total: &mut usize) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, total);
            } else if p.extension().is_some_and(|e| e == "rs") {
                *total += std::fs::read_to_string(&p)
                    .map(|t| t.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    let mut total = 0;
    walk(dir, &mut total);
    total
}

/// Generation of `spec` by `binary` (a release build of `cargo xtask`, `generate --spec`), as a
/// whole process: wall and cpu seconds, best of three.
fn generation_process(
    root: &Path,
    spec: &Path,
    binary: &Path,
    label: &str,
) -> Result<String, String> {
    // Each run writes a folder of its own: a folder just removed makes the file system's
    // work for the next one depend on what it still has to reclaim.
    let outs = root.join("target/crate-cost/generation");
    let _ = std::fs::remove_dir_all(&outs);
    let mut best = (f64::MAX, 0.0);
    for run in 0..3 {
        let out = outs.join(run.to_string());
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%e %U %S"])
            .arg(binary)
            .args(["generate", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .output()
            .map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let figures: Vec<f64> = stderr
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let [wall, user, system] = figures[..] else {
            return Err(format!("generation failed: {stderr}"));
        };
        if wall < best.0 {
            best = (wall, user + system);
        }
    }
    let _ = std::fs::remove_dir_all(&outs);
    Ok(format!(
        "Generation of GitHub's description ({label}), `xtask generate --spec` (release) as a whole process, best of three: {:.2} s wall, {:.2} s cpu",
        best.0, best.1
    ))
}

/// The description at `spec` (relative to the root) as JSON under `target/crate-cost/`, for
/// [`add_property`].
fn as_json(root: &Path, spec: &str, name: &str) -> Result<PathBuf, String> {
    let path = root.join(spec);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{spec}: {e}"))?;
    let doc = codegen::load::document(&path, &text).map_err(|e| e.to_string())?;
    let to = root.join("target/crate-cost").join(name);
    std::fs::create_dir_all(to.parent().expect("a folder")).map_err(|e| e.to_string())?;
    std::fs::write(&to, doc.to_string()).map_err(|e| e.to_string())?;
    Ok(to)
}

/// `spec` with one more optional property in component schema `schema`, written to `to`.
fn add_property(spec: &Path, schema: &str, to: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let mut doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let props = doc
        .pointer_mut(&format!("/components/schemas/{schema}/properties"))
        .and_then(|p| p.as_object_mut())
        .ok_or(format!("no schema {schema} with properties"))?;
    props.insert(
        format!("cost_probe_{}", schema.replace('-', "_")),
        serde_json::json!({"type": "string"}),
    );
    std::fs::write(to, serde_json::to_string(&doc).unwrap()).map_err(|e| e.to_string())
}

/// Fails unless component schema `schema` of `spec` is a leaf: a type that no other type refers
/// to and exactly one operation reaches, so that its re-check measures the layout and not a hub.
fn check_leaf(spec: &Path, schema: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let spec = codegen::Spec::parse(spec, text).map_err(|e| e.to_string())?;
    let api = codegen::lower::lower(&spec, "leaf", "leaf", false).map_err(|e| e.to_string())?;
    let graph = codegen::graph::TypeGraph::of(&api);
    let origin = format!(
        "/components/schemas/{}",
        schema.replace('~', "~0").replace('/', "~1")
    );
    let leaf = (0..graph.len())
        .find(|n| api.types[graph.name(*n)].origin == origin)
        .ok_or(format!("{schema} is no type"))?;
    let referrers = (0..graph.len())
        .filter(|n| *n != leaf && graph.edges(*n).contains(&leaf))
        .count();
    let operations = api
        .operations
        .iter()
        .filter(|op| graph.reached(graph.roots(op.type_refs()))[leaf])
        .count();
    match (referrers, operations) {
        (0, 1) => Ok(()),
        _ => Err(format!(
            "{schema} is no leaf: {referrers} types refer to it and {operations} operations reach it"
        )),
    }
}

fn measure(root: &Path, s: &Subject) -> Result<String, String> {
    let label = s.label();
    let name = label.replace([',', '.', ' ', '`'], "-");
    let base = root.join("target/crate-cost").join(&name);
    let (out, target) = (base.join("crates"), base.join("target"));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    generate(root, s, &s.path, &out)?;
    let (crates, lines) = (crate_count(&out), rust_lines(&out));
    eprintln!("{label}: {crates} crates, {lines} lines; cold check...");
    let (cold, peak) = timed_check(&out, &target, s.feature)?;

    // One more property in the leaf, regenerated into the same folder, checked again; then one
    // more in the hub as well.
    let changed = base.join(s.path.file_name().unwrap_or_default());
    let mut rechecks = Vec::new();
    for (from, schema) in [(&s.path, s.leaf), (&changed, s.hub)] {
        add_property(from, schema, &changed)?;
        generate(root, s, &changed, &out)?;
        eprintln!("{label}: re-check after {schema} changed...");
        rechecks.push(timed_check(&out, &target, s.feature)?.0);
    }
    let mut row = String::new();
    writeln!(
        row,
        "| {label} | {crates} | {lines} | {cold:.1} | {peak:.0} | {:.1} | {:.1} |",
        rechecks[0], rechecks[1]
    )
    .unwrap();
    Ok(row)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_leaf_is_a_schema_one_operation_reaches_and_no_type_refers_to() {
        let shelter = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/shelter.json");
        assert_eq!(super::check_leaf(&shelter, "Visit"), Ok(()));
        let hub = super::check_leaf(&shelter, "Cat").unwrap_err();
        assert!(hub.starts_with("Cat is no leaf: "), "{hub}");
        assert!(!hub.contains(" 0 types refer"), "{hub}");
        let missing = super::check_leaf(&shelter, "NoSuchSchema").unwrap_err();
        assert_eq!(missing, "NoSuchSchema is no type");
    }
}
