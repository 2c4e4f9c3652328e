//! `cargo xtask changes [--base REV] [--format markdown] [--deny breaking]`: what the spec
//! changes since a git revision mean for the generated crates. Per API: each change with its
//! wire verdict and Rust verdict, the version bump, and cargo-semver-checks' verdict on each
//! changed crate beside the generator's.

use openapi_crates::level_word;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Files;
use codegen::release::{Release, assess, package_version};
use codegen::surface::{Level, Rust, Wire};

use crate::judge::{self, Scratch, Verdict};

/// What `cargo xtask changes` reports, against what, and when it fails.
#[derive(clap::Args)]
pub struct Options {
    /// The revision compared with (default: the merge base with main).
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// How the report is written.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit non-zero when a change breaks the crates' users.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Leave out cargo-semver-checks' verdicts.
    #[arg(long)]
    without_semver_checks: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
}

/// What `--deny` refuses.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Breaking,
}

/// One crate's report.
struct CrateReport {
    release: Release,
    /// The version now, `None` when the crate is gone.
    now: Option<String>,
    judged: Option<Result<Verdict, String>>,
}

impl CrateReport {
    fn breaking(&self) -> bool {
        self.release.level == Some(Level::Breaking)
            || self.now.is_none()
            || matches!(&self.judged, Some(Ok(v)) if v.breaking)
    }
}

/// One API's crates, models first.
struct ApiReport {
    source: String,
    crates: Vec<CrateReport>,
}

pub fn run(root: &Path, o: &Options) -> Result<(), String> {
    let (text, denied) = report_text(root, o)?;
    print!("{text}");
    denied.map_or(Ok(()), Err)
}

/// The report, and the error `--deny breaking` makes of it.
fn report_text(root: &Path, o: &Options) -> Result<(String, Option<String>), String> {
    let (rev, label) = base(root, o.base.as_deref())?;
    let (now, _, _) = crate::files::wanted_and_releases(root)?;
    let mut apis = reports(root, &rev, &now)?;
    if !o.without_semver_checks && apis.iter().any(|a| a.crates.iter().any(judged)) {
        let bin = judge::install(&crate::tools::project_root())?;
        for api in &mut apis {
            judge_api(root, &bin, &rev, &now, api)?;
        }
    }
    let text = if o.format == Format::Markdown {
        markdown(&label, &apis)
    } else {
        plain(&label, &apis)
    };
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
    let denied = (o.deny == Some(Deny::Breaking) && !breaking.is_empty()).then(|| {
        format!(
            "changes since {label} break the users of {}",
            breaking.join(", ")
        )
    });
    Ok((text, denied))
}

/// The revision to compare with: `--base`, else the merge base with `main`, else `HEAD`; and how
/// to name it.
fn base(root: &Path, given: Option<&str>) -> Result<(String, String), String> {
    let rev = match given {
        Some(rev) => rev.to_owned(),
        None => git(root, &["merge-base", "HEAD", "main"])
            .or_else(|_| git(root, &["merge-base", "HEAD", "origin/main"]))
            .unwrap_or_else(|_| "HEAD".to_owned()),
    };
    let commit = git(
        root,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .map_err(|e| format!("no revision {rev}: {e}"))?;
    let label = match given {
        Some(given) => format!("{given} ({})", &commit[..commit.len().min(10)]),
        None => commit[..commit.len().min(10)].to_owned(),
    };
    Ok((commit, label))
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    git_raw(root, args).map(|s| s.trim().to_owned())
}

/// Git's output as it is, for file contents.
fn git_raw(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

/// The files of `generated/<name>/` at `rev`, by paths relative to `generated/`.
fn files_at(root: &Path, rev: &str, name: &str) -> Result<Files, String> {
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "--name-only",
            rev,
            "--",
            &format!("generated/{name}/"),
        ],
    )?;
    let mut files = Files::new();
    for path in listing.lines() {
        let text = git_raw(root, &["show", &format!("{rev}:{path}")])?;
        let rel = path.strip_prefix("generated/").unwrap_or(path);
        files.insert(PathBuf::from(rel), text);
    }
    Ok(files)
}

/// The crate folders under `generated/` at `rev` and now, paired by API: `(models, client)`.
fn apis(root: &Path, rev: &str, now: &Files) -> Result<Vec<(String, String)>, String> {
    let then = git(root, &["ls-tree", "--name-only", rev, "--", "generated/"]).unwrap_or_default();
    let mut names: std::collections::BTreeSet<String> = then
        .lines()
        .filter_map(|p| p.strip_prefix("generated/"))
        .map(str::to_owned)
        .collect();
    names.extend(
        now.keys()
            .filter_map(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(names
        .iter()
        .filter_map(|n| n.strip_suffix("-models"))
        .map(|api| (format!("{api}-models"), format!("{api}-client")))
        .collect())
}

fn reports(root: &Path, rev: &str, now: &Files) -> Result<Vec<ApiReport>, String> {
    let mut out = Vec::new();
    for (models, client) in apis(root, rev, now)? {
        let mut then = files_at(root, rev, &models)?;
        then.extend(files_at(root, rev, &client)?);
        let mut crates = Vec::new();
        let m = report(&models, now, &then, None);
        let has_client = now
            .keys()
            .chain(then.keys())
            .any(|p| p.starts_with(&client));
        let c = has_client.then(|| report(&client, now, &then, Some(&m.release)));
        crates.push(m);
        crates.extend(c);
        if crates
            .iter()
            .any(|c| c.release.level.is_some() || c.now.is_none() || c.release.from.is_none())
        {
            let source = now
                .get(&Path::new(&models).join("Cargo.toml"))
                .or_else(|| then.get(&Path::new(&models).join("Cargo.toml")))
                .and_then(|m| m.split(" from ").nth(1))
                .and_then(|s| s.split(". Do not edit").next())
                .unwrap_or_default()
                .to_owned();
            out.push(ApiReport { source, crates });
        }
    }
    Ok(out)
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

/// Whether cargo-semver-checks has something to judge: a crate that was there and changed.
fn judged(c: &CrateReport) -> bool {
    c.release.from.is_some() && c.now.is_some() && c.release.level.is_some()
}

fn judge_api(
    root: &Path,
    bin: &Path,
    rev: &str,
    now: &Files,
    api: &mut ApiReport,
) -> Result<(), String> {
    if !api.crates.iter().any(judged) {
        return Ok(());
    }
    let names: Vec<String> = api.crates.iter().map(|c| c.release.name.clone()).collect();
    let mut then = Files::new();
    let mut current = Files::new();
    for name in &names {
        then.extend(files_at(root, rev, name)?);
        current.extend(
            now.iter()
                .filter(|(p, _)| p.starts_with(name))
                .map(|(p, t)| (p.clone(), t.clone())),
        );
    }
    let scratch = Scratch::new("changes");
    scratch.write("base", &then)?;
    scratch.write("current", &current)?;
    for c in api.crates.iter_mut().filter(|c| judged(c)) {
        let name = c.release.name.clone();
        let verdict = scratch
            .rustdoc("base", &name)
            .and_then(|b| Ok((b, scratch.rustdoc("current", &name)?)))
            .and_then(|(b, n)| judge::judge(bin, &b, &n));
        c.judged = Some(verdict);
    }
    Ok(())
}

pub fn wire_word(w: Wire) -> &'static str {
    match w {
        Wire::Breaking => "breaking",
        Wire::Compatible => "compatible",
        Wire::None => "none",
    }
}

pub fn rust_word(r: Rust) -> &'static str {
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
    let mut out = format!("## Changes to the generated crates since `{label}`\n");
    for api in apis {
        out.push_str(&format!(
            "\n### `{}`\n\n| crate | version | generator | cargo-semver-checks |\n|---|---|---|---|\n",
            api.source
        ));
        for c in &api.crates {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.release.name,
                versions(c),
                level_word(c.release.level),
                judged_words(c)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository of its own with one spec and its generated crates, committed.
    fn repository(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("changes-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("specs")).unwrap();
        let spec = crate::tools::project_root().join("specs/imichat.yaml");
        std::fs::copy(spec, dir.join("specs/imichat.yaml")).unwrap();
        crate::files::generate(&dir).unwrap();
        for args in [
            &["init", "-q", "-b", "main"][..],
            &["add", "-A"],
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "-qm",
                "specs",
            ],
        ] {
            git(&dir, args).unwrap();
        }
        dir
    }

    fn edit(dir: &Path, from: &str, to: &str) {
        let path = dir.join("specs/imichat.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        crate::files::generate(dir).unwrap();
    }

    fn options(semver_checks: bool) -> Options {
        Options {
            base: None,
            format: Format::Text,
            deny: Some(Deny::Breaking),
            without_semver_checks: !semver_checks,
        }
    }

    #[test]
    fn a_breaking_edit_fails_the_gate_with_a_report_that_names_it() {
        let bin = judge::installed(&crate::tools::project_root());
        assert!(
            bin.is_some(),
            "`cargo xtask test` installs cargo-semver-checks"
        );
        let dir = repository("breaking");
        let (text, denied) = report_text(&dir, &options(true)).unwrap();
        assert!(text.starts_with("No change"), "{text}");
        assert_eq!(denied, None);
        edit(
            &dir,
            "        id:\n          type: integer\n          description: Unique identifier of a user\n",
            "",
        );
        let (text, denied) = report_text(&dir, &options(true)).unwrap();
        assert!(
            text.contains("imichat-models 0.1.0 -> 0.2.0: breaking"),
            "{text}"
        );
        assert!(
            text.contains("compatible  breaking    removed field `User::id`"),
            "{text}"
        );
        assert!(
            text.contains("cargo-semver-checks: breaking (struct_pub_field_missing); agrees"),
            "{text}"
        );
        let denied = denied.expect("a breaking change is denied");
        assert!(
            denied.contains("imichat-models (removed field `User::id`)"),
            "{denied}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_additive_edit_passes_the_gate_and_reports_markdown() {
        let dir = repository("additive");
        edit(
            &dir,
            "    User:\n      type: object\n      description: The page's \"User List View\" object.\n      properties:\n",
            "    User:\n      type: object\n      description: The page's \"User List View\" object.\n      properties:\n        timezone:\n          type: string\n",
        );
        let mut o = options(false);
        o.format = Format::Markdown;
        let (text, denied) = report_text(&dir, &o).unwrap();
        assert_eq!(denied, None, "{text}");
        assert!(
            text.contains("| `imichat-models` | 0.1.0 -> 0.1.1 | additive | not run |"),
            "{text}"
        );
        assert!(
            text.contains(
                "| `imichat-models` | new optional field `User::timezone` | compatible | additive |"
            ),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
