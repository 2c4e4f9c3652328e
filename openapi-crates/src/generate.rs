//! `generate`, `check` and `bundle` on any folder: the crates of one spec or several, one
//! workspace in which the clients of every API share one runtime.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::Files;

use crate::folder::{crate_dirs, diff, existing, generated_crates, normalize, on_disk, write_tree};

/// What `generate_one` produced.
pub struct Generated {
    pub warnings: Vec<String>,
    /// What lenient generation gave up, by cost.
    pub degradations: codegen::ir::Degradations,
    pub operations: usize,
    pub types: usize,
    /// The version each crate got, and why.
    pub releases: Vec<codegen::release::Release>,
    /// How many required fields of answers were generated tolerant.
    pub tolerated: usize,
    /// The account of the paged operations, by style.
    pub paging: Option<String>,
    /// How many operations page, by style.
    pub paged: std::collections::BTreeMap<&'static str, usize>,
    /// The operations that take a paging parameter and do not page, with why.
    pub unpaged: Vec<(String, String)>,
    /// The examples the models crate's `tests/examples.rs` round-trips: each test's name, the
    /// example's JSON pointer, and whether requests send it.
    pub examples: Vec<(String, String, bool)>,
    /// What `readOnly` and `writeOnly` mark in the spec.
    pub access: codegen::ir::AccessCounts,
    /// How many files the spec was read from.
    pub files: usize,
    /// The webhooks and callbacks, and whether the wire tells them apart.
    pub events: codegen::lower::events::Counts,
}

/// How specs are generated: strictly (warnings are errors), tolerantly (see
/// `codegen::Config::tolerant`), under which name, with which runtime, and how far references
/// may reach.
#[derive(Debug, Clone, Copy, Default)]
pub struct OneSpec<'a> {
    pub strict: bool,
    pub tolerant: bool,
    pub name: Option<&'a str>,
    /// The runtime as a path from each client crate, instead of a copy beside the crates.
    pub runtime: Option<&'a str>,
    /// The folder references may lead up to, when above the spec's own.
    pub root: Option<&'a Path>,
    /// The settings of a configuration's API beyond these (type names and overrides, split,
    /// default features, runtime, dependencies).
    pub configured: Option<&'a crate::config::Api>,
    /// The commands generated files name (`codegen::Config::commands`); by default this
    /// repository's xtask.
    pub commands: Option<&'a codegen::ir::Commands>,
    /// The path headers name the spec by, when not the one it is read from (a configuration's
    /// path, relative to its file, so that the output does not depend on where it runs).
    pub shown: Option<&'a Path>,
    /// How Rust files are formatted after `prettyplease` (this repository's `generated/`:
    /// rustfmt); by default they are not.
    pub format: Option<codegen::Format>,
}

impl OneSpec<'_> {
    /// The generator's settings these make.
    pub fn config(&self) -> codegen::Config {
        let mut config = codegen::Config::new();
        let runtime = match self.runtime {
            Some(path) => codegen::Runtime::Path(path.to_owned()),
            None => codegen::Runtime::Bundled,
        };
        config
            .strict(self.strict)
            .tolerant(self.tolerant)
            .runtime(runtime);
        if let Some(name) = self.name {
            config.name(name);
        }
        if let Some(root) = self.root {
            config.reference_root(root);
        }
        if let Some(api) = self.configured {
            api.apply(&mut config);
        }
        if let Some(commands) = self.commands {
            config.commands(&commands.generate, &commands.check);
        }
        if let Some(format) = self.format {
            config.format(format);
        }
        config
    }
}

/// One API to generate: its spec's entry file, and how.
pub type Job<'a> = (PathBuf, OneSpec<'a>);

/// `generate --spec PATH --out DIR`: the crates of one spec anywhere, for trying a vendor's spec
/// before adopting it (see [`generate_many`]).
pub fn generate_one(spec: &Path, out: &Path, how: OneSpec) -> Result<Generated, String> {
    let mut generated = generate_many(&[spec.to_owned()], out, how)?;
    Ok(generated.remove(0))
}

/// `generate --spec A --spec B --out DIR`: the crates of several specs into one folder, one
/// workspace in which every API's client crates share one copy of the runtime. Unless
/// `strict`, what the generator cannot express is left out with a warning. The folder's
/// `Cargo.toml` lists every crate generated into it, by this run or an earlier one, so that
/// generating the APIs one at a time into the same folder works too; removing an API is
/// removing its folders. `how.name` names the crates of one spec only.
pub fn generate_many(
    specs: &[PathBuf],
    out: &Path,
    how: OneSpec,
) -> Result<Vec<Generated>, String> {
    generate_jobs(&jobs(specs, how)?, out)
}

/// [`generate_many`] with settings of each spec's own (a configuration file's APIs).
pub fn generate_jobs(jobs: &[Job], out: &Path) -> Result<Vec<Generated>, String> {
    let wanted = wanted(jobs, out)?;
    write_tree(out, &wanted.files, Some(&wanted.scope))?;
    Ok(wanted.generated)
}

/// Each spec with the same settings; `--name` names the crates of one spec only.
fn jobs<'a>(specs: &[PathBuf], how: OneSpec<'a>) -> Result<Vec<Job<'a>>, String> {
    if specs.len() > 1 && how.name.is_some() {
        return Err("--name names the crates of one spec: generate the others without it".into());
    }
    Ok(specs.iter().map(|s| (s.clone(), how)).collect())
}

/// `check --spec … --out DIR`: whether `DIR` holds what [`generate_many`] would write, the
/// difference as a diff when it does not.
pub fn check_many(specs: &[PathBuf], out: &Path, how: OneSpec) -> Result<(), String> {
    check_jobs(&jobs(specs, how)?, out)
}

/// [`check_many`] with settings of each spec's own.
pub fn check_jobs(jobs: &[Job], out: &Path) -> Result<(), String> {
    let wanted = wanted(jobs, out)?;
    let mut report = String::new();
    for (rel, contents) in &wanted.files {
        let shown = out.join(rel).display().to_string();
        match fs::read_to_string(out.join(rel)) {
            Ok(old) if normalize(&old) == *contents => {}
            Ok(old) => report.push_str(&diff(&shown, &normalize(&old), contents)),
            Err(_) => report.push_str(&format!("missing: {shown}\n")),
        }
    }
    let strays = existing(out)
        .into_iter()
        .filter(|p| !wanted.files.contains_key(p) && wanted.scope.iter().any(|d| p.starts_with(d)));
    for stray in strays {
        let shown = out.join(stray).display().to_string();
        report.push_str(&format!("stray: {shown} (no spec produces it)\n"));
    }
    if report.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} is out of date with its specs:\n\n{report}\nrun `generate` with the same arguments to update it",
        out.display()
    ))
}

/// The files [`generate_jobs`] would write into `out`, by paths relative to it.
pub(crate) fn wanted_files(jobs: &[Job], out: &Path) -> Result<Files, String> {
    Ok(wanted(jobs, out)?.files)
}

/// What a generation of `specs` into `out` writes: the files, the folders it owns (what is not
/// among the files there is stray), and each spec's account.
struct Wanted {
    files: Files,
    scope: BTreeSet<PathBuf>,
    generated: Vec<Generated>,
}

fn wanted(jobs: &[Job], out: &Path) -> Result<Wanted, String> {
    let (mut all, mut scope, mut generated) = (Files::new(), BTreeSet::new(), Vec::new());
    let mut apis: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (spec, how) in jobs {
        let (api, files, releases) = generation_into(spec, out, *how)?;
        if let Some(other) = apis.insert(api.name.clone(), spec.clone()) {
            return Err(format!(
                "{} and {} would both be the crates {}-models and {}-client: rename one's folder or file",
                other.display(),
                spec.display(),
                api.name,
                api.name
            ));
        }
        scope.extend(crate_dirs(out, &api.crates).into_iter().map(PathBuf::from));
        for (path, text) in files {
            scope.extend(top_folder(&path));
            if all.get(&path).is_some_and(|other| *other != text) {
                return Err(format!("two specs write {} differently", path.display()));
            }
            all.insert(path, text);
        }
        generated.push(summary(&api, releases));
    }
    // This run's crates, and those of the other APIs generated into the folder before.
    let members: BTreeSet<String> = all
        .keys()
        .filter_map(|p| top_folder(p))
        .map(|c| c.to_string_lossy().into_owned())
        .chain(
            generated_crates(out)
                .into_iter()
                .filter(|c| !scope.contains(Path::new(c))),
        )
        .collect();
    let members: Vec<String> = members.into_iter().collect();
    let generate = jobs
        .first()
        .and_then(|(_, how)| how.commands)
        .map_or("cargo xtask generate", |c| c.generate.as_str());
    let comment = format!("# @generated by `{generate}`: every crate generated into this folder.");
    all.insert(
        PathBuf::from("Cargo.toml"),
        codegen::emit::crate_files::workspace_manifest(&comment, &members),
    );
    // Parts of the crates that the specs no longer have are removed with their files.
    scope.insert(PathBuf::from("Cargo.toml"));
    Ok(Wanted {
        files: all,
        scope,
        generated,
    })
}

/// The folder of the output a path relative to it is in.
fn top_folder(path: &Path) -> Option<PathBuf> {
    path.components()
        .next()
        .map(|c| PathBuf::from(c.as_os_str()))
}

/// One spec's API and crates, settled against what `out` holds.
fn generation_into(
    spec: &Path,
    out: &Path,
    how: OneSpec,
) -> Result<(codegen::ir::Api, Files, Vec<codegen::release::Release>), String> {
    // Headers name the spec as given, but never by an absolute path: the folder must read the
    // same on every machine.
    let named = how.shown.unwrap_or(spec);
    let shown = if named.is_absolute() {
        named
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    } else {
        named.display().to_string().replace('\\', "/")
    };
    let config = how.config();
    let codegen::Generation {
        api,
        files,
        releases,
    } = config
        .generate(spec, &shown, &on_disk(out))
        .map_err(|e| e.to_string())?;
    Ok((api, files, releases))
}

/// What `generate --spec` reports of one spec.
fn summary(api: &codegen::ir::Api, releases: Vec<codegen::release::Release>) -> Generated {
    Generated {
        warnings: api
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect(),
        degradations: api.degradations,
        files: api.inputs.len(),
        operations: api.operations.len(),
        types: api.types.len(),
        releases,
        tolerated: api.tolerated,
        paging: codegen::lower::decisions(api),
        paged: codegen::lower::pages::styles(api),
        unpaged: api.unpaged.clone(),
        examples: api
            .examples
            .iter()
            .map(|e| (e.name.clone(), e.pointer.clone(), e.sent))
            .collect(),
        access: api.access,
        events: codegen::lower::events::counts(api),
    }
}

/// `bundle`: the one-document form of `spec` written to `out` (YAML, or JSON when `out` ends in
/// `.json`), with the warnings of gathering it.
pub fn bundle(spec: &Path, out: &Path, root: Option<&Path>) -> Result<Vec<String>, String> {
    let reach = codegen::load::Reach {
        folder: None,
        root: root.map(Path::to_owned),
        ..Default::default()
    };
    let yaml = out.extension().is_none_or(|e| e != "json");
    let (text, warnings) = codegen::load::bundle(spec, &reach, yaml).map_err(|e| e.to_string())?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(warnings.iter().map(ToString::to_string).collect())
}

/// What `bundle` reads and writes, as the command lines of the tool and the xtask take it.
#[derive(clap::Args)]
pub struct BundleArgs {
    /// The spec's entry file.
    #[arg(long)]
    pub spec: PathBuf,
    /// The file written: YAML, or JSON when its name ends in `.json`.
    #[arg(long)]
    pub out: PathBuf,
    /// The folder references may lead up to, when above the spec's own.
    #[arg(long)]
    pub root: Option<PathBuf>,
}

impl BundleArgs {
    /// Writes the bundle, its warnings to standard error and a line of what it did.
    pub fn run(&self) -> Result<(), String> {
        let warnings = bundle(&self.spec, &self.out, self.root.as_deref())?;
        warnings.iter().for_each(|w| eprintln!("warning: {w}"));
        println!(
            "bundled {} into {}",
            self.spec.display(),
            self.out.display()
        );
        Ok(())
    }
}
