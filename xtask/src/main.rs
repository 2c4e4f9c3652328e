//! The project's task runner, reached as `cargo xtask <task>`.
//!
//! - `generate`: regenerate every crate under `generated/` from `specs/`.
//! - `check`: fail with a diff when `generated/` is not what `generate` would write.
//! - `bundle`: the one-document form of a spec in many files.
//! - `changes`: what the spec changes since a revision mean for the generated crates.
//! - `test`: every check CI runs (spec validator, drift, fmt, clippy, tests).
//! - `vendors`, `corpus`, `bench`: the vendors' bodies, the third-party corpus, the benchmarks.
//!
//! `cargo xtask help <task>` says what each takes. What writes and checks this repository's
//! `generated/` is in `repo/`; what proves the generator (CI's run, the verdict table, the
//! vendors, the corpus) in `proof/`; the benchmarks in `bench.rs`. Generation itself is the
//! library the `openapi-crates` tool is (`openapi_crates`).

mod bench;
mod proof;
mod repo;

use proof::{corpus, test, tools, vendors};
use repo::{changes, files};

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The project's task runner.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
enum Task {
    /// Regenerate every crate under generated/ from specs/, or with --spec and --out the
    /// crates of one spec into a folder.
    Generate(Generate),
    /// Exit non-zero, with a diff, if generated/ differs from what generate writes.
    Check,
    /// Write the one-document form of a spec in many files: what its references name in other
    /// files gathered into it, components named as the generator names them.
    Bundle(openapi_crates::BundleArgs),
    /// What the spec changes since a revision mean for the generated crates: each change's
    /// wire and Rust verdicts, the version bumps, and cargo-semver-checks' verdict on each
    /// changed crate.
    Changes(changes::Options),
    /// Run every test and check that CI runs.
    Test,
    /// The bodies OpenAI and Stripe publish through the crates generated from their
    /// descriptions, and the generated clients against servers that answer as they do (writes
    /// target/vendors/REPORT.md).
    Vendors,
    /// Generate the third-party corpus, build every target of its crates and run their tests
    /// (writes target/corpus/REPORT.md).
    Corpus(corpus::Options),
    /// Generation time against progenitor (cargo bench), union decoding against plain
    /// structs, then the cost of the generated crates for GitHub's description and nexus.json
    /// (see BENCHMARKS.md).
    Bench(bench::Options),
}

/// Where `generate` takes one spec from and writes its crates to.
#[derive(clap::Args)]
struct Generate {
    /// The spec to generate (with --out); given several times, their crates share one
    /// workspace and one runtime. Without it, every spec under specs/.
    #[arg(long, requires = "out")]
    spec: Vec<PathBuf>,
    /// The folder the spec's crates are written to.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// Constructs the generator cannot express are errors, not warnings.
    #[arg(long, requires = "spec")]
    strict: bool,
    /// Answers may leave out fields the spec marks required (each says so in its docs).
    #[arg(long, requires = "spec")]
    tolerant: bool,
    /// Names the crates NAME-models and NAME-client (by default the spec's file stem, or its
    /// folder's name for `openapi.yaml`).
    #[arg(long, requires = "spec")]
    name: Option<String>,
    /// The folder references may lead up to, when above the spec's own (`../common/…`).
    #[arg(long, requires = "spec")]
    root: Option<PathBuf>,
}

fn main() -> ExitCode {
    let root = tools::project_root();
    let result = match Task::parse() {
        Task::Generate(Generate {
            spec,
            out: Some(out),
            strict,
            tolerant,
            name,
            root: reach,
        }) => generate_specs(
            &spec,
            &out,
            (strict, tolerant),
            name.as_deref(),
            reach.as_deref(),
        ),
        Task::Generate(_) => files::generate(&root).map(|releases| {
            for r in &releases {
                println!("{}", openapi_crates::release_line(r));
            }
        }),
        Task::Check => files::check(&root),
        Task::Bundle(b) => b.run(),
        Task::Changes(options) => changes::run(&root, &options),
        Task::Test => test::run(&root),
        Task::Vendors => vendors::check(&root).map(|_| ()),
        Task::Corpus(options) => corpus::run(&root, &options),
        Task::Bench(options) => bench::run(&root, &options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate_specs(
    specs: &[PathBuf],
    out: &Path,
    (strict, tolerant): (bool, bool),
    name: Option<&str>,
    root: Option<&Path>,
) -> Result<(), String> {
    let how = files::OneSpec {
        strict,
        tolerant,
        name,
        root,
        ..Default::default()
    };
    for (spec, generated) in specs.iter().zip(files::generate_many(specs, out, how)?) {
        generated.warnings.iter().for_each(|w| eprintln!("{w}"));
        println!("{}", openapi_crates::report(spec, out, &generated));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Generate, Task};

    fn parse(line: &str) -> Result<Task, clap::Error> {
        Task::try_parse_from(std::iter::once("xtask").chain(line.split(' ')))
    }

    #[test]
    fn the_command_line_is_consistent() {
        Task::command().debug_assert();
    }

    #[test]
    fn generate_takes_specs_only_with_an_out_folder() {
        let task = parse("generate --spec a.yaml --out out --strict --name a --root ..").unwrap();
        let Task::Generate(Generate {
            spec,
            out,
            strict,
            tolerant,
            name,
            root,
        }) = task
        else {
            panic!("not generate");
        };
        assert_eq!(spec, [std::path::PathBuf::from("a.yaml")]);
        assert_eq!(out.unwrap().to_str(), Some("out"));
        assert!(strict && !tolerant);
        assert_eq!(name.as_deref(), Some("a"));
        assert_eq!(root.unwrap().to_str(), Some(".."));
        for line in [
            "generate --spec a.yaml",
            "generate --strict",
            "generate --out o",
        ] {
            let error = parse(line).err().unwrap_or_else(|| panic!("{line} parsed"));
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::MissingRequiredArgument
            );
        }
        let Ok(Task::Generate(two)) = parse("generate --spec a.yaml --spec b/openapi.yaml --out o")
        else {
            panic!("two specs");
        };
        assert_eq!(two.spec.len(), 2);
    }

    #[test]
    fn unknown_tasks_and_values_are_refused_with_help_for_each_task() {
        assert!(parse("regenerate").is_err());
        assert!(parse("changes --format html").is_err());
        assert!(parse("changes --deny additive").is_err());
        assert!(parse("changes --base main --format markdown --deny breaking").is_ok());
        assert!(parse("corpus --only github --no-check").is_ok());
        for task in [
            "generate", "check", "changes", "test", "vendors", "corpus", "bench",
        ] {
            let help = parse(&format!("{task} --help")).err().unwrap();
            assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp, "{task}");
        }
    }
}
