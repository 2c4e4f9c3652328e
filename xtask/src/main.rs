//! The project's task runner, reached as `cargo xtask <task>`.
//!
//! - `generate`: regenerate every crate under `generated/` from `specs/`.
//! - `check`: fail with a diff when `generated/` is not what `generate` would write.
//! - `changes`: what the spec changes since a revision mean for the generated crates.
//! - `test`: every check CI runs (spec validator, drift, fmt, clippy, tests).

mod bench;
mod changes;
mod corpus;
mod files;
mod judge;
#[cfg(test)]
mod table;
mod test;
mod vendors;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  generate   regenerate generated/ from specs/
  generate --spec PATH --out DIR [--strict] [--tolerant] [--name NAME]
             generate the crates of one spec into DIR (unsupported constructs are left out
             with a warning, or are errors with --strict); NAME names the crates
             (NAME-models, NAME-client; by default the spec's file stem); --tolerant lets
             answers leave out fields the spec marks required (each says so in its docs)
  bench [--no-generation] [--baseline REV]
             generation time against progenitor (cargo bench), then the cost of the
             generated crates for GitHub's description and nexus.json (see BENCHMARKS.md);
             --baseline REV measures the generator at git revision REV in the same run
  corpus [--no-check] [--only NAME]
             generate and `cargo check` the third-party corpus; writes target/corpus/REPORT.md
  changes [--base REV] [--format text|markdown] [--deny breaking] [--without-semver-checks]
             what the spec changes since REV (default: the merge base with main) mean for
             the generated crates: each change's wire and Rust verdicts, the version bumps,
             and cargo-semver-checks' verdict on each changed crate; --deny breaking exits
             non-zero when a change breaks the crates' users
  vendors    the bodies OpenAI and Stripe publish through the crates generated from their
             descriptions, and the generated clients against servers that answer as they do
             (writes target/vendors/REPORT.md)
  check      exit non-zero, with a diff, if generated/ differs from what generate writes
  test       run every test and check that CI runs";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate"] => files::generate(&root),
        ["generate", rest @ ..] => generate_one(rest),
        ["corpus", rest @ ..] => corpus::run(&root, rest),
        ["vendors", rest @ ..] => vendors::run(&root, rest),
        ["bench", rest @ ..] => bench::run(&root, rest),
        ["check"] => files::check(&root),
        ["changes", rest @ ..] => changes::run(&root, rest),
        ["test"] => test::run(&root),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments {args:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate_one(args: &[&str]) -> Result<(), String> {
    let (mut spec, mut out, mut how) = (None, None, files::OneSpec::default());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--spec" => spec = it.next().map(PathBuf::from),
            "--out" => out = it.next().map(PathBuf::from),
            "--strict" => how.strict = true,
            "--tolerant" => how.tolerant = true,
            "--name" => how.name = it.next().copied(),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err(format!("generate needs both --spec and --out\n\n{USAGE}"));
    };
    let generated = files::generate_one(&spec, &out, how)?;
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    println!(
        "generated {} into {} ({} warnings)",
        spec.display(),
        out.display(),
        generated.warnings.len()
    );
    if generated.tolerated > 0 {
        println!(
            "tolerant: {} fields the spec marks required in types answers may hold are Options",
            generated.tolerated
        );
    }
    for r in &generated.releases {
        println!("{}", changes::release_line(r));
    }
    Ok(())
}

/// The workspace root: the parent of this crate's folder.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}
