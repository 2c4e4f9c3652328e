//! `changes`: what regenerating means for the crates of a folder, against the folder as it is or
//! as a git revision had it. Per API: each change with its wire verdict and Rust verdict, and
//! each crate's version move; `--deny breaking` makes a breaking one an error (a CI gate).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Files;
use codegen::release::{Release, assess, package_version};
use codegen::surface::{Level, Rust, Wire};

use crate::folder::{existing, normalize};
use crate::level_word;

/// How `changes` reports and when it fails; both command lines take these.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ChangesArgs {
    /// The git revision whose copy of the folder is compared with (default: the folder as it
    /// is now, so the report says what `generate` would change).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// How the report is written.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit non-zero when a change breaks the crates' users.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Markdown,
}

/// What `--deny` refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Breaking,
}

/// A second opinion on a crate's change (this repository's xtask asks cargo-semver-checks).
#[derive(Debug, Clone)]
pub struct Judged {
    /// Some lint that calls for a major version failed.
    pub breaking: bool,
    /// The lints that failed, by name.
    pub lints: Vec<String>,
}

/// One crate's report.
pub struct CrateReport {
    pub release: Release,
    /// The version now, `None` when the crate is gone.
    pub now: Option<String>,
    pub judged: Option<Result<Judged, String>>,
}

impl CrateReport {
    fn breaking(&self) -> bool {
        self.release.level == Some(Level::Breaking)
            || self.now.is_none()
            || matches!(&self.judged, Some(Ok(v)) if v.breaking)
    }

    /// Whether a second opinion has something to judge: a crate that was there and changed.
    pub fn judged(&self) -> bool {
        self.release.from.is_some() && self.now.is_some() && self.release.level.is_some()
    }
}

/// One API's crates, models first.
pub struct ApiReport {
    /// The spec the crates come from, as their manifest names it.
    pub source: String,
    pub crates: Vec<CrateReport>,
}

/// The reports of the APIs whose crates differ between `now` and the base: `then` gives the
/// base's files of a crate folder, `before` names the base's folders.
pub fn reports(
    now: &Files,
    before: impl IntoIterator<Item = String>,
    then: impl Fn(&str) -> Result<Files, String>,
) -> Result<Vec<ApiReport>, String> {
    let mut out = Vec::new();
    for (models, client) in apis(now, before) {
        let mut base = then(&models)?;
        base.extend(then(&client)?);
        let m = report(&models, now, &base, None);
        let has_client = now
            .keys()
            .chain(base.keys())
            .any(|p| p.starts_with(&client));
        let c = has_client.then(|| report(&client, now, &base, Some(&m.release)));
        let crates: Vec<CrateReport> = std::iter::once(m).chain(c).collect();
        let changed = |c: &CrateReport| {
            c.release.level.is_some() || c.now.is_none() || c.release.from.is_none()
        };
        if crates.iter().any(changed) {
            let manifest = Path::new(&models).join("Cargo.toml");
            let source = now
                .get(&manifest)
                .or_else(|| base.get(&manifest))
                .and_then(|m| m.split(" from ").nth(1))
                .and_then(|s| s.split(". Do not edit").next())
                .unwrap_or_default()
                .to_owned();
            out.push(ApiReport { source, crates });
        }
    }
    Ok(out)
}

/// The crate folders of the base and of now, paired by API: `(models, client)`.
fn apis(now: &Files, before: impl IntoIterator<Item = String>) -> Vec<(String, String)> {
    let mut names: BTreeSet<String> = before.into_iter().collect();
    names.extend(
        now.keys()
            .filter_map(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    names
        .iter()
        .filter_map(|n| n.strip_suffix("-models"))
        .map(|api| (format!("{api}-models"), format!("{api}-client")))
        .collect()
}

fn report(name: &str, now: &Files, then: &Files, models: Option<&Release>) -> CrateReport {
    let now_version = now
        .get(&Path::new(name).join("Cargo.toml"))
        .and_then(|m| package_version(m));
    let mut release = assess(name, now, then, models);
    if let Some(v) = &now_version {
        release.version = v.clone();
    }
    CrateReport {
        release,
        now: now_version,
        judged: None,
    }
}

/// `changes`: the report of what `generate` with `jobs` would change in `out`, against
/// `args.base` (the folder as it is, or a git revision's copy of it), and the error `--deny`
/// makes of it.
pub fn changes_jobs(
    jobs: &[crate::Job],
    out: &Path,
    args: &ChangesArgs,
) -> Result<(String, Option<String>), String> {
    let now = crate::generate::wanted_files(jobs, out)?;
    let (base, label) = match &args.base {
        None => (
            Base::Folder(out),
            format!("the crates in {}", out.display()),
        ),
        Some(rev) => {
            let (commit, label) = commit(out, rev)?;
            (Base::Git(out, commit), label)
        }
    };
    let apis = reports(&now, base.folders()?, |name| base.files(name))?;
    Ok((
        render(&label, &apis, args.format),
        denied(&label, &apis, args.deny),
    ))
}

/// Where the base of a comparison is: a folder as it is on disk, or as a git revision has it.
pub enum Base<'a> {
    Folder(&'a Path),
    /// The folder (inside a git work tree) and the commit.
    Git(&'a Path, String),
}

impl Base<'_> {
    /// The base's top folders (its crates).
    pub fn folders(&self) -> Result<Vec<String>, String> {
        let paths: Vec<PathBuf> = match self {
            Base::Folder(dir) => existing(dir).into_iter().collect(),
            Base::Git(dir, rev) => git(dir, &["ls-tree", "-r", "--name-only", rev])?
                .lines()
                .map(PathBuf::from)
                .collect(),
        };
        let tops = paths
            .iter()
            .filter(|p| p.components().count() > 1)
            .filter_map(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        Ok(tops.collect::<BTreeSet<_>>().into_iter().collect())
    }

    /// The base's files of the folder `name`, by paths relative to the compared folder.
    pub fn files(&self, name: &str) -> Result<Files, String> {
        let mut files = Files::new();
        match self {
            Base::Folder(dir) => {
                for rel in existing(&dir.join(name)) {
                    let rel = Path::new(name).join(rel);
                    if let Ok(text) = std::fs::read_to_string(dir.join(&rel)) {
                        files.insert(rel, normalize(&text));
                    }
                }
            }
            Base::Git(dir, rev) => {
                let listing = git(dir, &["ls-tree", "-r", "--name-only", rev, "--", name])?;
                for path in listing.lines() {
                    let text = git(dir, &["show", &format!("{rev}:./{path}")])?;
                    files.insert(PathBuf::from(path), normalize(&text));
                }
            }
        }
        Ok(files)
    }
}

/// The commit `rev` names, seen from `dir`, and a label for it: the name given and the short
/// commit.
pub fn commit(dir: &Path, rev: &str) -> Result<(String, String), String> {
    let commit = git(
        dir,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .map_err(|e| format!("no revision {rev}: {e}"))?;
    let commit = commit.trim().to_owned();
    let label = format!("{rev} ({})", &commit[..commit.len().min(10)]);
    Ok((commit, label))
}

/// Git's output in `dir`, as it is.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The report in `format`, against the base named `label`.
pub fn render(label: &str, apis: &[ApiReport], format: Format) -> String {
    match format {
        Format::Text => plain(label, apis),
        Format::Markdown => markdown(label, apis),
    }
}

/// The error `--deny breaking` makes of the reports, when a change breaks a crate's users.
pub fn denied(label: &str, apis: &[ApiReport], deny: Option<Deny>) -> Option<String> {
    let breaking: Vec<String> = apis
        .iter()
        .flat_map(|a| &a.crates)
        .filter(|c| c.breaking())
        .map(|c| {
            let what: Vec<&str> = c
                .release
                .changes
                .iter()
                .filter(|ch| ch.rust == Rust::Breaking)
                .map(|ch| ch.words.as_str())
                .collect();
            format!("{} ({})", c.release.name, what.join("; "))
        })
        .collect();
    (deny == Some(Deny::Breaking) && !breaking.is_empty()).then(|| {
        format!(
            "changes since {label} break the users of {}",
            breaking.join(", ")
        )
    })
}

fn wire_word(w: Wire) -> &'static str {
    match w {
        Wire::Breaking => "breaking",
        Wire::Compatible => "compatible",
        Wire::None => "none",
    }
}

fn rust_word(r: Rust) -> &'static str {
    match r {
        Rust::Breaking => "breaking",
        Rust::Additive => "additive",
        Rust::Compatible => "compatible",
    }
}

/// The version move of a crate: `0.1.0 -> 0.2.0`, `new at 0.1.0`, `removed`.
fn versions(c: &CrateReport) -> String {
    match (&c.release.from, &c.now) {
        (Some(a), Some(b)) if a == b => format!("{a} (unchanged)"),
        (Some(a), Some(b)) => format!("{a} -> {b}"),
        (None, Some(b)) => format!("new at {b}"),
        (_, None) => "removed".to_owned(),
    }
}

fn judged_words(c: &CrateReport) -> String {
    match &c.judged {
        None => "not run".to_owned(),
        Some(Err(e)) => format!("failed: {}", e.lines().next().unwrap_or_default()),
        Some(Ok(v)) => {
            // cargo-semver-checks judges a crate's own items: a re-exported models crate is
            // not looked through.
            let ours = c.release.own == Some(Level::Breaking);
            let verdict = if v.breaking {
                format!("breaking ({})", v.lints.join(", "))
            } else {
                "not breaking".to_owned()
            };
            let agreement = if v.breaking == ours {
                "agrees"
            } else {
                "disagrees"
            };
            format!("{verdict}; {agreement}")
        }
    }
}

fn plain(label: &str, apis: &[ApiReport]) -> String {
    if apis.is_empty() {
        return format!("No change to the generated crates since {label}.\n");
    }
    let mut out = format!("Changes since {label}:\n");
    for api in apis {
        out.push_str(&format!("\n{}\n", api.source));
        for c in &api.crates {
            out.push_str(&format!(
                "  {} {}: {}\n",
                c.release.name,
                versions(c),
                level_word(c.release.level)
            ));
            if !c.release.changes.is_empty() {
                out.push_str(&format!("    {:<11} {:<11} change\n", "wire", "rust"));
            }
            for ch in &c.release.changes {
                out.push_str(&format!(
                    "    {:<11} {:<11} {}\n",
                    wire_word(ch.wire),
                    rust_word(ch.rust),
                    ch.words
                ));
            }
            if c.judged.is_some() {
                out.push_str(&format!("    cargo-semver-checks: {}\n", judged_words(c)));
            }
        }
    }
    out
}

fn markdown(label: &str, apis: &[ApiReport]) -> String {
    if apis.is_empty() {
        return format!("No change to the generated crates since `{label}`.\n");
    }
    let judged = apis
        .iter()
        .flat_map(|a| &a.crates)
        .any(|c| c.judged.is_some());
    let (head, rule) = match judged {
        true => (
            "| crate | version | generator | cargo-semver-checks |",
            "|---|---|---|---|",
        ),
        false => ("| crate | version | generator |", "|---|---|---|"),
    };
    let mut out = format!("## Changes to the generated crates since `{label}`\n");
    for api in apis {
        out.push_str(&format!("\n### `{}`\n\n{head}\n{rule}\n", api.source));
        for c in &api.crates {
            let second = match judged {
                true => format!(" {} |", judged_words(c)),
                false => String::new(),
            };
            out.push_str(&format!(
                "| `{}` | {} | {} |{second}\n",
                c.release.name,
                versions(c),
                level_word(c.release.level),
            ));
        }
        let changes: Vec<String> = api
            .crates
            .iter()
            .flat_map(|c| c.release.changes.iter().map(move |ch| (c, ch)))
            .map(|(c, ch)| {
                format!(
                    "| `{}` | {} | {} | {} |",
                    c.release.name,
                    ch.words.replace('|', "\\|"),
                    wire_word(ch.wire),
                    rust_word(ch.rust)
                )
            })
            .collect();
        if !changes.is_empty() {
            out.push_str(&format!(
                "\n| crate | change | wire | Rust |\n|---|---|---|---|\n{}\n",
                changes.join("\n")
            ));
        }
    }
    out
}
