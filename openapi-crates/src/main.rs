//! `openapi-crates`: typed Rust crates from OpenAPI specs, kept in step with them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Typed Rust crates (models and an HTTP client) from OpenAPI specs, kept in step with them.
#[derive(Parser)]
#[command(name = "openapi-crates", version)]
enum Command {
    /// Generate the crates of one spec or several into a folder: one workspace in which every
    /// client shares one copy of the runtime. A folder generated into before keeps its other
    /// APIs' crates and the names of its types.
    Generate(Specs),
    /// Exit non-zero, with a diff, when the folder does not hold what `generate` with the same
    /// arguments would write.
    Check(Specs),
    /// Write the one-document form of a spec in many files.
    Bundle(Bundle),
}

/// The specs and the folder their crates go to.
#[derive(clap::Args)]
struct Specs {
    /// A spec's entry file (YAML or JSON); give several for several APIs in one folder.
    #[arg(long, required = true)]
    spec: Vec<PathBuf>,
    /// The folder the crates are written to.
    #[arg(long)]
    out: PathBuf,
    /// Constructs the generator cannot express are errors, not warnings.
    #[arg(long)]
    strict: bool,
    /// Answers may leave out fields the spec marks required (each says so in its docs).
    #[arg(long)]
    tolerant: bool,
    /// Names one spec's crates NAME-models and NAME-client (by default the spec's file stem, or
    /// its folder's name for `openapi.yaml`).
    #[arg(long)]
    name: Option<String>,
    /// The folder references may lead up to, when above the spec's own (`../common/…`).
    #[arg(long)]
    root: Option<PathBuf>,
}

impl Specs {
    fn how(&self) -> openapi_crates::OneSpec<'_> {
        openapi_crates::OneSpec {
            strict: self.strict,
            tolerant: self.tolerant,
            name: self.name.as_deref(),
            runtime: None,
            root: self.root.as_deref(),
        }
    }
}

/// What `bundle` reads and writes.
#[derive(clap::Args)]
struct Bundle {
    /// The spec's entry file.
    #[arg(long)]
    spec: PathBuf,
    /// The file written: YAML, or JSON when its name ends in `.json`.
    #[arg(long)]
    out: PathBuf,
    /// The folder references may lead up to, when above the spec's own.
    #[arg(long)]
    root: Option<PathBuf>,
}

fn main() -> ExitCode {
    let result = match Command::parse() {
        Command::Generate(specs) => generate(&specs),
        Command::Check(specs) => openapi_crates::check_many(&specs.spec, &specs.out, specs.how())
            .map(|()| println!("{} is up to date", specs.out.display())),
        Command::Bundle(b) => {
            openapi_crates::bundle(&b.spec, &b.out, b.root.as_deref()).map(|warnings| {
                warnings.iter().for_each(|w| eprintln!("warning: {w}"));
                println!("bundled {} into {}", b.spec.display(), b.out.display());
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(specs: &Specs) -> Result<(), String> {
    let generated = openapi_crates::generate_many(&specs.spec, &specs.out, specs.how())?;
    for (spec, g) in specs.spec.iter().zip(&generated) {
        g.warnings.iter().for_each(|w| eprintln!("{w}"));
        println!("{}", openapi_crates::report(spec, &specs.out, g));
    }
    Ok(())
}
