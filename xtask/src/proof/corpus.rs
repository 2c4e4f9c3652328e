//! `cargo xtask corpus`: runs the generator over third-party specs and reports, spec by spec,
//! whether it generated (with the first error), and whether every target of the generated
//! crates builds (libraries, the examples test and the names test, split layouts included) and
//! their tests pass; then the vendors' published bodies (`vendors.rs`).
//!
//! Inputs: `../shared/corpus/progenitor-samples/*.json`, the vendors' descriptions in
//! `../shared/corpus/vendors/` (OpenAI's in JSON and in YAML, Stripe's), the OpenAPI 3.0 and
//! 3.1 documents of `@readme/oas-examples` 8.2.2 and GitHub's `api.github.com.json` from
//! `@octokit/openapi` 23.0.2, fetched by `npm ci` into `tools/corpus/node_modules` (git-ignored).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::proof::tools::npm_ci;
use crate::repo::files::generate_one;

/// One spec of the corpus: a name for the report and its file.
pub struct Input {
    pub name: String,
    pub path: PathBuf,
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every corpus spec, fetching the npm packages first.
pub fn inputs(root: &Path) -> Result<Vec<Input>, String> {
    npm_ci(root, "tools/corpus")?;
    let samples = root.join("../shared/corpus/progenitor-samples");
    if !samples.is_dir() {
        return Err(format!("{} is missing", samples.display()));
    }
    let mut out = Vec::new();
    let mut add = |group: &str, path: PathBuf| {
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.push(Input {
            name: format!("{group}/{stem}"),
            path,
        });
    };
    for p in json_files(&samples) {
        add("progenitor", p);
    }
    let modules = root.join("tools/corpus/node_modules");
    for version in ["3.0", "3.1"] {
        let dir = modules.join(format!("@readme/oas-examples/{version}/json"));
        for p in json_files(&dir) {
            add(&format!("oas-examples-{version}"), p);
        }
    }
    add(
        "github",
        modules.join("@octokit/openapi/generated/api.github.com.json"),
    );
    let vendors = root.join("../shared/corpus/vendors");
    // Named by vendor (and the form of OpenAI's, which it publishes in both).
    // DigitalOcean's, a spec in many files, is kept in the repository.
    let in_repository = root.join("tests/vendors/specs");
    for (group, folder, spec) in [
        ("vendors", &vendors, "openai/openapi.json"),
        ("vendors-yaml", &vendors, "openai/openapi.yaml"),
        ("vendors", &vendors, "stripe/spec3.yaml"),
        (
            "vendors",
            &in_repository,
            "digitalocean/specification/DigitalOcean-public.v2.yaml",
        ),
    ] {
        let name = spec.split('/').next().unwrap_or(spec);
        out.push(Input {
            name: format!("{group}/{name}"),
            path: folder.join(spec),
        });
    }
    Ok(out)
}

struct Row {
    name: String,
    generated: Result<crate::repo::files::Generated, String>,
    millis: u128,
    /// Every target built and the tests run: how many passed, or the first problem.
    built: Option<Result<Tests, String>>,
    /// For a spec that marks properties `readOnly` or `writeOnly`: how many of its examples
    /// break their schema judged without a direction, and those that do judged with one.
    access: Option<(usize, Complaints)>,
}

/// The validator's complaints, by example pointer.
type Complaints = std::collections::BTreeMap<String, Vec<String>>;

/// What the tests of a spec's crates gave.
struct Tests {
    passed: usize,
    failed: usize,
    /// The first failing test's name and why, when one failed.
    first_failure: Option<String>,
    /// The examples whose test fails, by pointer.
    failing_examples: Vec<String>,
    /// Of those, how many break their own schema (openapi-schema-validator's verdict).
    breaking_examples: usize,
}

/// Which specs `cargo xtask corpus` takes and whether it builds their crates.
#[derive(clap::Args)]
pub struct Options {
    /// Generate only, without building the crates or running their tests.
    #[arg(long)]
    no_check: bool,
    /// Only the specs whose name holds NAME.
    #[arg(long, value_name = "NAME")]
    only: Option<String>,
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let (check, only) = (!options.no_check, options.only.as_deref());
    let base = root.join("target/corpus");
    let target = root.join("target/corpus-target");
    let mut rows = Vec::new();
    for input in inputs(root)? {
        if only.is_some_and(|o| !input.name.contains(o)) {
            continue;
        }
        let out = base.join(input.name.replace('/', "--"));
        let start = Instant::now();
        // Crates named after the group too: two groups' `schema-types` must not share a name in
        // the one target folder of the checks.
        let how = crate::repo::files::OneSpec {
            name: Some(&input.name),
            ..Default::default()
        };
        let generated = generate_one(&input.path, &out, how);
        let millis = start.elapsed().as_millis();
        let built = match (check, &generated) {
            (true, Ok(_)) => {
                eprintln!("building and testing {}", input.name);
                let mut tests = build_and_test(&out, &target);
                if let Ok(t) = &mut tests {
                    let failing = &t.failing_examples;
                    t.breaking_examples = judge_examples(root, &input.path, &base, failing)?;
                }
                Some(tests)
            }
            _ => None,
        };
        eprintln!(
            "{}: {}",
            input.name,
            if generated.is_ok() {
                "generated"
            } else {
                "failed"
            }
        );
        let access = match &generated {
            Ok(g) if g.access.read_only + g.access.write_only > 0 => {
                Some(judge_by_direction(root, &input.path, &base, &g.examples)?)
            }
            _ => None,
        };
        rows.push(Row {
            name: input.name,
            generated,
            millis,
            built,
            access,
        });
    }
    let mut report = report(&rows, check);
    if only.is_none() {
        let outcomes = crate::proof::vendors::bodies(root)?;
        report.push_str("\n## What the vendors publish\n\n");
        report.push_str(&crate::proof::vendors::report(&outcomes));
    }
    // Paths in messages are shown relative to the project.
    let report = report.replace(&format!("{}/", root.display()), "");
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    std::fs::write(base.join("REPORT.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

/// Every target of every crate of the workspace `dir` built, and their tests run (`cargo test
/// --workspace`), then each crate alone: the tests' counts, or the first error line when
/// something does not build.
fn build_and_test(dir: &Path, target: &Path) -> Result<Tests, String> {
    let output = Command::new("cargo")
        .args([
            "test",
            "--workspace",
            "--no-fail-fast",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        // Built once each: incremental caches of crates this size would take tens of GB.
        .env("CARGO_INCREMENTAL", "0")
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (mut passed, mut failed) = (0, 0);
    for (p, f) in stdout.lines().filter_map(crate::proof::tools::parse_result) {
        (passed, failed) = (passed + p, failed + f);
    }
    let failures: Vec<(String, String)> = crate::proof::vendors::test_results(&stdout)
        .into_iter()
        .filter_map(|(name, result)| Some((name, result.err()?)))
        .collect();
    let first_failure = failures
        .first()
        .map(|(name, e)| format!("`{name}`: {}", crate::proof::vendors::cell(e)));
    // An examples test's failure starts with the example's pointer.
    let failing_examples = failures
        .iter()
        .filter_map(|(_, e)| Some(e.split_once(": ")?.0.strip_prefix('#')?.to_owned()))
        .collect();
    if output.status.success() {
        each_alone(dir, target)?;
    }
    if output.status.success() || passed + failed > 0 {
        return Ok(Tests {
            passed,
            failed,
            first_failure,
            failing_examples,
            breaking_examples: 0,
        });
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|l| l.contains("error"))
        .unwrap_or("cargo test failed");
    Err(first.trim().to_owned())
}

/// Every crate of the workspace `dir` checked alone with its default features, as `cargo
/// package` or a user depending on that one crate builds it (features unified across the whole
/// workspace can hide one a crate forgets to turn on): the first error, when one fails.
fn each_alone(dir: &Path, target: &Path) -> Result<(), String> {
    let mut crates: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    crates.sort();
    for krate in crates {
        let output = Command::new("cargo")
            .args(["check", "--lib", "--message-format", "short", "-p", &krate])
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| l.contains("error")).unwrap_or("");
            return Err(format!("`{krate}` alone: {}", first.trim()));
        }
    }
    Ok(())
}

/// The spec at `path` as the JSON document the validator reads, written under `base`.
fn judged_document(path: &Path, base: &Path) -> Result<PathBuf, String> {
    // One document, whose pointers are the generated crates' (a spec in many files is bundled).
    let reach = codegen::load::Reach::default();
    let (text, _) = codegen::load::bundle(path, &reach, false).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(base).map_err(|e| e.to_string())?;
    let json = base.join("judged.json");
    std::fs::write(&json, text).map_err(|e| e.to_string())?;
    Ok(json)
}

/// Every example of a spec judged twice: without a direction (how many break their schema),
/// then with the one it travels in (which break it): openapi-schema-validator's write
/// validator for what requests send, its read validator for answers and webhooks.
fn judge_by_direction(
    root: &Path,
    path: &Path,
    base: &Path,
    examples: &[(String, String, bool)],
) -> Result<(usize, Complaints), String> {
    let json = judged_document(path, base)?;
    let schemas: Vec<String> = examples.iter().map(|(_, p, _)| schema_of(p)).collect();
    let direction = |pointer: &str, sent: bool| match sent {
        true => Some("write"),
        false if pointer.contains("/responses/") || pointer.starts_with("/webhooks/") => {
            Some("read")
        }
        false => None,
    };
    let blind: Vec<crate::proof::vendors::Judged> = examples
        .iter()
        .zip(&schemas)
        .map(|((_, p, _), s)| (p.as_str(), s.as_str(), None))
        .collect();
    let directed: Vec<crate::proof::vendors::Judged> = examples
        .iter()
        .zip(&schemas)
        .map(|((_, p, sent), s)| (p.as_str(), s.as_str(), direction(p, *sent)))
        .collect();
    let blind = crate::proof::vendors::validate(root, &json, &blind)?.len();
    Ok((
        blind,
        crate::proof::vendors::validate(root, &json, &directed)?,
    ))
}

/// How many of the examples at `pointers` break their own schema, as openapi-schema-validator
/// judges them in the spec at `path` (written as JSON under `base`).
fn judge_examples(
    root: &Path,
    path: &Path,
    base: &Path,
    pointers: &[String],
) -> Result<usize, String> {
    if pointers.is_empty() {
        return Ok(0);
    }
    let json = judged_document(path, base)?;
    let schemas: Vec<String> = pointers.iter().map(|p| schema_of(p)).collect();
    let pairs: Vec<crate::proof::vendors::Judged> = pointers
        .iter()
        .zip(&schemas)
        .map(|(p, s)| (p.as_str(), s.as_str(), None))
        .collect();
    Ok(crate::proof::vendors::validate(root, &json, &pairs)?.len())
}

/// The schema an example's pointer stands for: a media type's
/// (`…/content/<type>/examples/<name>/value` → `…/content/<type>/schema`), else the schema it
/// is an example of.
fn schema_of(example: &str) -> String {
    let mut at = example;
    for suffix in ["/value", "/example"] {
        at = at.strip_suffix(suffix).unwrap_or(at);
    }
    if let Some((before, _)) = at.rsplit_once("/examples/") {
        at = before;
    }
    if at.rsplit('/').nth(1) == Some("content") {
        format!("{at}/schema")
    } else {
        at.to_owned()
    }
}

fn cell(text: &str) -> String {
    crate::proof::tools::cell_of(text, 160)
}

/// Sums over the rows of the report.
#[derive(Default)]
struct Totals {
    generated: usize,
    operations: usize,
    left_out: usize,
    media_left_out: usize,
    json_values: usize,
    built: usize,
    tests_passed: usize,
    tests_failed: usize,
    breaking_examples: usize,
    /// Paged operations, by style.
    paged: std::collections::BTreeMap<&'static str, usize>,
    webhooks: usize,
    callbacks: usize,
    /// Specs whose events `Event::receive` tells apart.
    told_apart: usize,
    /// Specs with events.
    with_events: usize,
}

/// `3 webhooks, 1 callback; told apart`, or nothing when the spec sends nothing.
fn events_cell(e: &codegen::lower::events::Counts) -> String {
    if e.webhooks + e.callbacks == 0 {
        return String::new();
    }
    let how = if e.told_apart {
        "told apart"
    } else {
        "by function"
    };
    format!("{} webhooks, {} callbacks; {how}", e.webhooks, e.callbacks)
}

/// `12 (cursor 5, link-header 7)`, or nothing when no operation pages.
fn paged_cell(paged: &std::collections::BTreeMap<&'static str, usize>) -> String {
    let total: usize = paged.values().sum();
    if total == 0 {
        return String::new();
    }
    let by: Vec<String> = paged.iter().map(|(s, n)| format!("{s} {n}")).collect();
    format!("{total} ({})", by.join(", "))
}

/// The operations of each spec that take a paging parameter and were not found to page.
fn unpaged_section(rows: &[Row]) -> String {
    let mut out = String::from(
        "\n## Operations that look paged and do not page\n\nEach takes a parameter lists page by, and was not found to page, with why.\n\n",
    );
    let mut any = false;
    for row in rows {
        let Ok(g) = &row.generated else { continue };
        for (id, why) in &g.unpaged {
            any = true;
            writeln!(out, "- {}: `{id}`: {}", row.name, cell(why)).unwrap();
        }
    }
    if any { out } else { String::new() }
}

fn report(rows: &[Row], checked: bool) -> String {
    let mut out = String::from(
        "| spec | generated | ms | operations | left out | media types left out | types | typed as JSON value | paged | events | warnings | every target builds | tests passed | first problem |\n|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|---:|---|\n",
    );
    let mut t = Totals::default();
    for row in rows {
        let line = match &row.generated {
            Ok(g) => generated_row(row, g, checked, &mut t),
            Err(e) => format!(
                "| {} | **no** | {} | | | | | | | | | | | {} |",
                row.name,
                row.millis,
                cell(e)
            ),
        };
        writeln!(out, "{line}").unwrap();
    }
    let totals = totals(&t, rows.len(), checked);
    format!(
        "{out}{totals}{}{}",
        unpaged_section(rows),
        access_section(rows)
    )
}

/// The specs that mark properties `readOnly` or `writeOnly`: what they mark, the request bodies
/// it changes, and their examples judged without and with a direction, with each example that
/// still breaks its schema.
fn access_section(rows: &[Row]) -> String {
    let mut table = String::from(
        "\n## readOnly and writeOnly\n\nEach spec that marks properties: the read-only properties of its types (those it marks required in brackets) and the write-only ones; the request bodies that hold a required read-only property at any depth, which, read without the keywords, would make a caller set what the server owns; the types given an input twin; and its examples that break their own schema as openapi-schema-validator judges them, without a direction (its plain validator, which for 3.0 lets both keywords excuse `required` and checks neither) and with the one each travels in (its write validator for request examples: a required read-only property may be absent and one present is a complaint; its read validator for answers: the same for write-only).\n\n| spec | read-only (required) | write-only | request bodies | input twins | examples | breaking: plain → by direction |\n|---|---:|---:|---:|---:|---:|---|\n",
    );
    let mut remaining = String::new();
    for row in rows {
        let (Ok(g), Some((blind, directed))) = (&row.generated, &row.access) else {
            continue;
        };
        let a = g.access;
        writeln!(
            table,
            "| {} | {} ({}) | {} | {} | {} | {} | {blind} → {} |",
            row.name,
            a.read_only,
            a.required_read_only,
            a.write_only,
            a.bodies,
            a.twins,
            g.examples.len(),
            directed.len()
        )
        .unwrap();
        for (pointer, complaints) in directed {
            let first = complaints.first().map(String::as_str).unwrap_or_default();
            writeln!(remaining, "- {}: `{pointer}`: {}", row.name, cell(first)).unwrap();
        }
    }
    if !rows.iter().any(|r| r.access.is_some()) {
        return String::new();
    }
    if !remaining.is_empty() {
        table.push_str("\nThe examples that break their schema judged by direction, each with the validator's first complaint:\n\n");
        table.push_str(&remaining);
    }
    table
}

/// The row of a spec that generated, its figures added to `t`.
fn generated_row(
    row: &Row,
    g: &crate::repo::files::Generated,
    checked: bool,
    t: &mut Totals,
) -> String {
    let (built, tests, problem) = built_cells(row.built.as_ref(), checked, t);
    let d = g.degradations;
    t.generated += 1;
    t.operations += g.operations;
    t.left_out += d.operations_left_out;
    t.media_left_out += d.media_left_out;
    t.json_values += d.json_values;
    let problem = problem
        .or_else(|| g.warnings.first().cloned())
        .unwrap_or_default();
    for (style, n) in &g.paged {
        *t.paged.entry(style).or_default() += n;
    }
    let e = &g.events;
    t.webhooks += e.webhooks;
    t.callbacks += e.callbacks;
    t.with_events += usize::from(e.webhooks + e.callbacks > 0);
    t.told_apart += usize::from(e.told_apart);
    format!(
        "| {} | yes | {} | {} | {} | {} | {} | {} | {} | {} | {} | {built} | {tests} | {} |",
        row.name,
        row.millis,
        g.operations,
        d.operations_left_out,
        d.media_left_out,
        g.types,
        d.json_values,
        paged_cell(&g.paged),
        events_cell(e),
        g.warnings.len(),
        cell(&problem)
    )
}

/// The "every target builds" and "tests passed" cells, and the first problem of the build or
/// the tests; their figures added to `t`.
fn built_cells(
    built: Option<&Result<Tests, String>>,
    checked: bool,
    t: &mut Totals,
) -> (String, String, Option<String>) {
    let tests = match built {
        None if !checked => return ("not run".to_owned(), String::new(), None),
        None => return ("—".to_owned(), String::new(), None),
        Some(Err(e)) => return ("**fail**".to_owned(), String::new(), Some(e.clone())),
        Some(Ok(tests)) => tests,
    };
    t.built += 1;
    t.tests_passed += tests.passed;
    t.tests_failed += tests.failed;
    t.breaking_examples += tests.breaking_examples;
    let failing = tests.first_failure.as_ref().map(|f| format!("test {f}"));
    let count = match tests.failed {
        0 => tests.passed.to_string(),
        failed => format!(
            "{} of {} ({} failing examples break their own schema)",
            tests.passed,
            tests.passed + failed,
            tests.breaking_examples
        ),
    };
    ("pass".to_owned(), count, failing)
}

/// The totals row and the one-line summary of `specs` specs.
fn totals(t: &Totals, specs: usize, checked: bool) -> String {
    let tests = t.tests_passed + t.tests_failed;
    format!(
        "| **total** | {} of {specs} | | {} | {} | {} | | {} | {} | {} webhooks, {} callbacks | | {} of {} | {} of {tests} | |\n\n{specs} specs: {} generated; {} operations kept, {} left out, {} media types left out; {} schemas typed as a JSON value by a degradation; {} operations page; {} webhooks and {} callbacks became events in {} specs, told apart on the wire in {} of them; every target of the crates of {} of {} builds, and {} of {tests} of their tests pass ({} of the failing tests are of examples that break their own schema, as openapi-schema-validator judges them){}.\n",
        t.generated,
        t.operations,
        t.left_out,
        t.media_left_out,
        t.json_values,
        paged_cell(&t.paged),
        t.webhooks,
        t.callbacks,
        t.built,
        t.generated,
        t.tests_passed,
        t.generated,
        t.operations,
        t.left_out,
        t.media_left_out,
        t.json_values,
        t.paged.values().sum::<usize>(),
        t.webhooks,
        t.callbacks,
        t.with_events,
        t.told_apart,
        t.built,
        t.generated,
        t.tests_passed,
        t.breaking_examples,
        if checked {
            ""
        } else {
            " (not built: --no-check)"
        }
    )
}
