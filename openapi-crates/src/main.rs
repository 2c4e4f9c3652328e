//! `openapi-crates`: typed Rust crates from OpenAPI specs, kept in step with them.

use std::path::{Path, PathBuf};

use openapi_crates::OneSpec;
use openapi_crates::config::{self, Project};
use std::process::ExitCode;

use clap::Parser;

/// Typed Rust crates (models and an HTTP client) from OpenAPI specs, kept in step with them.
#[derive(Parser)]
#[command(name = "openapi-crates", version)]
enum Command {
    /// Generate the crates of one spec or several into a folder: one workspace in which every
    /// client shares one copy of the runtime. A folder generated into before keeps its other
    /// APIs' crates and the names of its types. Without --spec, the APIs of
    /// openapi-crates.toml.
    Generate(Specs),
    /// Exit non-zero, with a diff, when the folder does not hold what `generate` with the same
    /// arguments would write.
    Check(Specs),
    /// Report what `generate` with the same arguments changes for the crates' users: each
    /// change with its verdict on the wire and in Rust, and each crate's version move, against
    /// the folder as it is or (--base) as a git revision has it.
    Changes {
        #[command(flatten)]
        specs: Specs,
        #[command(flatten)]
        args: openapi_crates::changes::ChangesArgs,
    },
    /// Write the one-document form of a spec in many files.
    Bundle(openapi_crates::BundleArgs),
    /// Write a commented openapi-crates.toml to start from, in the current folder.
    Init,
}

/// The specs and the folder their crates go to, given or read from a configuration file.
#[derive(clap::Args)]
struct Specs {
    /// A spec's entry file (YAML or JSON); give several for several APIs in one folder.
    #[arg(long, requires = "out")]
    spec: Vec<PathBuf>,
    /// The folder the crates are written to.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// The configuration to read instead of ./openapi-crates.toml.
    #[arg(long, conflicts_with = "spec")]
    config: Option<PathBuf>,
    /// Constructs the generator cannot express are errors, not warnings.
    #[arg(long, requires = "spec")]
    strict: bool,
    /// Answers may leave out fields the spec marks required (each says so in its docs).
    #[arg(long, requires = "spec")]
    tolerant: bool,
    /// Names one spec's crates NAME-models and NAME-client (by default the spec's file stem, or
    /// its folder's name for `openapi.yaml`).
    #[arg(long, requires = "spec")]
    name: Option<String>,
    /// The folder references may lead up to, when above the spec's own (`../common/…`).
    #[arg(long, requires = "spec")]
    root: Option<PathBuf>,
}

impl Specs {
    fn how(&self) -> OneSpec<'_> {
        OneSpec {
            strict: self.strict,
            tolerant: self.tolerant,
            name: self.name.as_deref(),
            root: self.root.as_deref(),
            commands: Some(openapi_crates::commands()),
            ..OneSpec::default()
        }
    }

    /// The configuration, when no spec is given: --config's, else the current folder's.
    fn project(&self) -> Result<Option<Project>, String> {
        if !self.spec.is_empty() {
            return Ok(None);
        }
        let path = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from(config::FILE));
        if self.config.is_none() && !path.exists() {
            return Err(format!(
                "no --spec given and no {} here: run `openapi-crates init`, or give --spec and --out",
                config::FILE
            ));
        }
        Project::read(&path).map(Some)
    }

    /// Each spec with how it is generated, and the folder its crates go to.
    fn run<T>(
        &self,
        work: impl FnOnce(&[openapi_crates::Job], &Path) -> Result<T, String>,
    ) -> Result<(T, Vec<PathBuf>, PathBuf), String> {
        match self.project()? {
            Some(project) => {
                let jobs = project.jobs();
                let out = project.out();
                let done = work(&jobs, &out)?;
                Ok((done, jobs.into_iter().map(|j| j.0).collect(), out))
            }
            None => {
                let out = self.out.clone().unwrap_or_default();
                if self.spec.len() > 1 && self.name.is_some() {
                    return Err(
                        "--name names the crates of one spec: generate the others without it"
                            .into(),
                    );
                }
                let jobs: Vec<openapi_crates::Job> =
                    self.spec.iter().map(|s| (s.clone(), self.how())).collect();
                let done = work(&jobs, &out)?;
                Ok((done, self.spec.clone(), out))
            }
        }
    }
}

fn main() -> ExitCode {
    let result = match Command::parse() {
        Command::Generate(specs) => generate(&specs),
        Command::Check(specs) => specs
            .run(openapi_crates::check_jobs)
            .map(|((), _, out)| println!("{} is up to date", out.display())),
        Command::Changes { specs, args } => changes(&specs, &args),
        Command::Bundle(b) => b.run(),
        Command::Init => config::init(Path::new("")).map(|path| {
            println!(
                "wrote {}: set its spec and out, then run `openapi-crates generate`",
                path.display()
            );
        }),
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
    let (generated, specs, out) = specs.run(openapi_crates::generate_jobs)?;
    for (spec, g) in specs.iter().zip(&generated) {
        g.warnings.iter().for_each(|w| eprintln!("{w}"));
        println!("{}", openapi_crates::report(spec, &out, g));
    }
    Ok(())
}

fn changes(specs: &Specs, args: &openapi_crates::changes::ChangesArgs) -> Result<(), String> {
    let run = |jobs: &[openapi_crates::Job], out: &Path| {
        openapi_crates::changes::changes_jobs(jobs, out, args)
    };
    let ((text, denied), _, _) = specs.run(run)?;
    print!("{text}");
    denied.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Command::command().debug_assert();
    }
}
