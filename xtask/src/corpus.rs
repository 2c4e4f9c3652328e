//! `cargo xtask corpus`: runs the generator over third-party specs and reports, spec by spec,
//! whether it generated (with the first error) and whether the generated crates pass
//! `cargo check`.
//!
//! Inputs: `../shared/corpus/progenitor-samples/*.json`, the OpenAPI 3.0 and 3.1 documents of
//! `@readme/oas-examples` 8.2.2 and GitHub's `api.github.com.json` from `@octokit/openapi`
//! 23.0.2, fetched by `npm ci` into `tools/corpus/node_modules` (git-ignored).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::files::generate_one;
use crate::test::npm_ci;

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
    Ok(out)
}

struct Row {
    name: String,
    generated: Result<crate::files::Generated, String>,
    millis: u128,
    checks: Vec<(String, Result<(), String>)>,
}

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let (mut check, mut only) = (true, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--no-check" => check = false,
            "--only" => only = it.next().copied(),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
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
        let generated = generate_one(&input.path, &out, false, Some(&input.name));
        let millis = start.elapsed().as_millis();
        let mut checks = Vec::new();
        if let (true, Ok(g)) = (check, &generated) {
            for krate in &g.crates {
                eprintln!("checking {} {krate}", input.name);
                checks.push((krate.clone(), cargo_check(&out, krate, &target)));
            }
        }
        eprintln!(
            "{}: {}",
            input.name,
            if generated.is_ok() {
                "generated"
            } else {
                "failed"
            }
        );
        rows.push(Row {
            name: input.name,
            generated,
            millis,
            checks,
        });
    }
    // Paths in messages are shown relative to the project.
    let report = report(&rows, check).replace(&format!("{}/", root.display()), "");
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    std::fs::write(base.join("REPORT.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

/// `cargo check` of one generated crate; the first error line when it fails.
fn cargo_check(dir: &Path, krate: &str, target: &Path) -> Result<(), String> {
    let output = Command::new("cargo")
        .args([
            "check",
            "--quiet",
            "--message-format",
            "short",
            "-p",
            krate,
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|l| l.contains("error"))
        .unwrap_or("cargo check failed");
    Err(first.trim().to_owned())
}

fn cell(text: &str) -> String {
    let one_line = text.lines().next().unwrap_or("").replace('|', "\\|");
    if one_line.len() > 160 {
        format!("{}…", &one_line[..one_line.floor_char_boundary(160)])
    } else {
        one_line
    }
}

/// Sums over the rows of the report.
#[derive(Default)]
struct Totals {
    generated: usize,
    operations: usize,
    left_out: usize,
    json_values: usize,
    models_ok: usize,
    clients_ok: usize,
    clients: usize,
}

fn report(rows: &[Row], checked: bool) -> String {
    let mut out = String::from(
        "| spec | generated | ms | operations | left out | types | typed as JSON value | warnings | models check | client check | first problem |\n|---|---|---:|---:|---:|---:|---:|---:|---|---|---|\n",
    );
    let mut t = Totals::default();
    for row in rows {
        let status = |suffix: &str| -> (String, Option<String>) {
            match row.checks.iter().find(|(k, _)| k.ends_with(suffix)) {
                None if !checked => ("not run".into(), None),
                None => ("—".into(), None),
                Some((_, Ok(()))) => ("pass".into(), None),
                Some((_, Err(e))) => ("**fail**".into(), Some(e.clone())),
            }
        };
        let g = match &row.generated {
            Ok(g) => g,
            Err(e) => {
                writeln!(
                    out,
                    "| {} | **no** | {} | | | | | | | | {} |",
                    row.name,
                    row.millis,
                    cell(e)
                )
                .unwrap();
                continue;
            }
        };
        let (m, m_err) = status("-models");
        let (c, c_err) = status("-client");
        let d = g.degradations;
        t.generated += 1;
        t.operations += g.operations;
        t.left_out += d.operations_left_out;
        t.json_values += d.json_values;
        t.models_ok += usize::from(m == "pass");
        t.clients_ok += usize::from(c == "pass");
        t.clients += usize::from(g.crates.iter().any(|k| k.ends_with("-client")));
        let problem = m_err
            .or(c_err)
            .or_else(|| g.warnings.first().cloned())
            .unwrap_or_default();
        writeln!(
            out,
            "| {} | yes | {} | {} | {} | {} | {} | {} | {m} | {c} | {} |",
            row.name,
            row.millis,
            g.operations,
            d.operations_left_out,
            g.types,
            d.json_values,
            g.warnings.len(),
            cell(&problem)
        )
        .unwrap();
    }
    writeln!(
        out,
        "| **total** | {} of {} | | {} | {} | | {} | | {} | {} of {} | |",
        t.generated,
        rows.len(),
        t.operations,
        t.left_out,
        t.json_values,
        t.models_ok,
        t.clients_ok,
        t.clients
    )
    .unwrap();
    writeln!(
        out,
        "\n{} specs: {} generated; {} operations kept, {} left out; {} schemas typed as a JSON value by a degradation; {} models crates and {} of {} client crates pass `cargo check`{}.",
        rows.len(),
        t.generated,
        t.operations,
        t.left_out,
        t.json_values,
        t.models_ok,
        t.clients_ok,
        t.clients,
        if checked { "" } else { " (not checked: --no-check)" }
    )
    .unwrap();
    out
}
