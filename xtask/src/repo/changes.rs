//! `cargo xtask changes [--base REV] [--format markdown] [--deny breaking]`: what the spec
//! changes since a git revision mean for the crates in `generated/` (the tool's `changes`,
//! `openapi_crates::changes`), with cargo-semver-checks' verdict on each changed crate beside
//! the generator's.

use std::path::Path;

use codegen::Files;
use openapi_crates::changes::{ApiReport, Base, ChangesArgs, Judged, commit, denied, git, render};

use crate::proof::judge::{self, Scratch};

/// What `cargo xtask changes` reports, against what, and when it fails.
#[derive(clap::Args)]
pub struct Options {
    /// `--base` defaults to the merge base with main here.
    #[command(flatten)]
    args: ChangesArgs,
    /// Leave out cargo-semver-checks' verdicts.
    #[arg(long)]
    without_semver_checks: bool,
}

pub fn run(root: &Path, o: &Options) -> Result<(), String> {
    let (text, denied) = report_text(root, o)?;
    print!("{text}");
    denied.map_or(Ok(()), Err)
}

/// The report, and the error `--deny breaking` makes of it.
fn report_text(root: &Path, o: &Options) -> Result<(String, Option<String>), String> {
    let (rev, label) = base(root, o.args.base.as_deref())?;
    let (now, _, _) = crate::repo::files::wanted_and_releases(root)?;
    let generated = root.join("generated");
    let at_base = Base::Git(&generated, rev);
    let folders = at_base.folders().unwrap_or_default();
    let mut apis = openapi_crates::changes::reports(&now, folders, |name| at_base.files(name))?;
    if !o.without_semver_checks && apis.iter().any(|a| a.crates.iter().any(|c| c.judged())) {
        let bin = judge::install(&crate::proof::tools::project_root())?;
        for api in &mut apis {
            judge_api(&bin, &at_base, &now, api)?;
        }
    }
    let text = render(&label, &apis, o.args.format);
    Ok((text, denied(&label, &apis, o.args.deny)))
}

/// The revision to compare with: `--base`, else the merge base with `main`, else `HEAD`; and how
/// to name it.
fn base(root: &Path, given: Option<&str>) -> Result<(String, String), String> {
    if let Some(rev) = given {
        return commit(root, rev);
    }
    let merge_base = |main: &str| git(root, &["merge-base", "HEAD", main]);
    let rev = merge_base("main")
        .or_else(|_| merge_base("origin/main"))
        .unwrap_or_else(|_| "HEAD".to_owned());
    let (commit, _) = commit(root, rev.trim())?;
    let label = commit[..commit.len().min(10)].to_owned();
    Ok((commit, label))
}

/// cargo-semver-checks' verdict on each crate of `api` that was there and changed.
fn judge_api(bin: &Path, at_base: &Base, now: &Files, api: &mut ApiReport) -> Result<(), String> {
    if !api.crates.iter().any(|c| c.judged()) {
        return Ok(());
    }
    let names: Vec<String> = api.crates.iter().map(|c| c.release.name.clone()).collect();
    let mut then = Files::new();
    let mut current = Files::new();
    for name in &names {
        then.extend(at_base.files(name)?);
        current.extend(
            now.iter()
                .filter(|(p, _)| p.starts_with(name))
                .map(|(p, t)| (p.clone(), t.clone())),
        );
    }
    let scratch = Scratch::new("changes");
    scratch.write("base", &then)?;
    scratch.write("current", &current)?;
    for c in api.crates.iter_mut().filter(|c| c.judged()) {
        let name = c.release.name.clone();
        let verdict = scratch
            .rustdoc("base", &name)
            .and_then(|b| Ok((b, scratch.rustdoc("current", &name)?)))
            .and_then(|(b, n)| judge::judge(bin, &b, &n));
        c.judged = Some(verdict.map(|v| Judged {
            breaking: v.breaking,
            lints: v.lints,
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use openapi_crates::changes::{Deny, Format};
    use std::path::PathBuf;

    /// A repository of its own with one spec and its generated crates, committed.
    fn repository(name: &str) -> PathBuf {
        let dir = crate::repo::files::scratch_project(&format!("changes-{name}"), "imichat.yaml");
        crate::repo::files::generate(&dir).unwrap();
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
        crate::repo::files::generate(dir).unwrap();
    }

    fn options(semver_checks: bool) -> Options {
        Options {
            args: ChangesArgs {
                deny: Some(Deny::Breaking),
                ..ChangesArgs::default()
            },
            without_semver_checks: !semver_checks,
        }
    }

    #[test]
    fn a_breaking_edit_fails_the_gate_with_a_report_that_names_it() {
        let bin = judge::installed(&crate::proof::tools::project_root());
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
        o.args.format = Format::Markdown;
        let (text, denied) = report_text(&dir, &o).unwrap();
        assert_eq!(denied, None, "{text}");
        assert!(
            text.contains("| `imichat-models` | 0.1.0 -> 0.1.1 | additive |\n"),
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
