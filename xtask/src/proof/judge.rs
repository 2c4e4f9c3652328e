//! cargo-semver-checks, the independent judge of whether a generated crate's change breaks the
//! crates that use it. It is installed from the crate registry at a pinned version into
//! `.cache/`, and compares rustdoc JSON built in scratch workspaces under `target/judge/`, so
//! that two states of a crate (a git revision and the working tree, or a spec before and after
//! an edit) are judged without checking anything out.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Files;

/// The pinned version of cargo-semver-checks.
pub const VERSION: &str = "0.51.0";

/// Where `cargo install --root` puts the pinned cargo-semver-checks.
fn install_root(root: &Path) -> PathBuf {
    root.join(".cache/cargo-semver-checks")
}

/// The installed binary, when it is the pinned version.
pub fn installed(root: &Path) -> Option<PathBuf> {
    let bin = install_root(root).join("bin/cargo-semver-checks");
    let out = Command::new(&bin)
        .args(["semver-checks", "--version"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .contains(VERSION)
        .then_some(bin)
}

/// The pinned cargo-semver-checks, installed first when it is missing (a build of about four
/// minutes on two cores, once per machine: `.cache/` survives until it is deleted). The same
/// locked sources are built without the crate's fat LTO and single codegen unit, which take
/// three times as long for a tool that runs for seconds, and at `opt-level = 1` (245 s instead
/// of 302 s on a fresh clone here; a check of the seeds' crates takes the same 0.06 s).
pub fn install(root: &Path) -> Result<PathBuf, String> {
    if let Some(bin) = installed(root) {
        return Ok(bin);
    }
    println!("\n==> cargo install --locked cargo-semver-checks@{VERSION}");
    let status = Command::new("cargo")
        .args(["install", "--locked", "--quiet", "--root"])
        .arg(install_root(root))
        .arg(format!("cargo-semver-checks@{VERSION}"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cannot install cargo-semver-checks {VERSION} ({status})"
        ));
    }
    installed(root).ok_or_else(|| "cargo-semver-checks was installed but does not run".to_owned())
}

/// What cargo-semver-checks said of one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Some lint that calls for a major version failed.
    pub breaking: bool,
    /// The lints that failed, by name.
    pub lints: Vec<String>,
    pub output: String,
}

/// Two scratch workspaces, `base` and `current`, sharing one target folder, in which generated
/// crates are built into rustdoc JSON. Their clients use this project's `runtime/` and
/// `Cargo.lock`, whatever folder the crates were generated in.
pub struct Scratch {
    root: PathBuf,
    dir: PathBuf,
}

impl Scratch {
    /// Scratch workspaces under this project's `target/judge/<name>`.
    pub fn new(name: &str) -> Scratch {
        let root = crate::proof::tools::project_root();
        Scratch {
            dir: root.join("target/judge").join(name),
            root,
        }
    }

    /// Makes `files` (crate folders by relative path, as generation gives them) the contents of
    /// the workspace `side`, writing only what changed so that builds stay incremental.
    pub fn write(&self, side: &str, files: &Files) -> Result<(), String> {
        let runtime = self.root.join("runtime");
        let mut all = Files::new();
        let mut members = std::collections::BTreeSet::new();
        for (path, text) in files {
            let krate = path
                .components()
                .next()
                .expect("a file is in a crate folder");
            members.insert(krate.as_os_str().to_string_lossy().into_owned());
            let text = if path.ends_with("Cargo.toml") {
                text.replace(
                    "path = \"../../runtime\"",
                    &format!("path = {:?}", runtime.to_string_lossy()),
                )
            } else {
                text.clone()
            };
            all.insert(path.clone(), text);
        }
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        all.insert(
            PathBuf::from("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
        if let Ok(lock) = fs::read_to_string(self.root.join("Cargo.lock")) {
            all.insert(PathBuf::from("Cargo.lock"), lock);
        }
        crate::repo::files::write_tree(&self.dir.join(side), &all, None).map(|_| ())
    }

    /// Builds the rustdoc JSON of `package` in workspace `side`; returns where it was kept.
    pub fn rustdoc(&self, side: &str, package: &str) -> Result<PathBuf, String> {
        let target = self.dir.join("target");
        let status = Command::new("cargo")
            .args(["rustdoc", "--quiet", "--all-features", "-p", package, "--"])
            .args(["-Z", "unstable-options", "--output-format", "json"])
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(self.dir.join(side))
            .status()
            .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
        if !status.success() {
            return Err(format!("cannot document {package} ({side}): {status}"));
        }
        let built = target
            .join("doc")
            .join(format!("{}.json", package.replace('-', "_")));
        let kept = self.dir.join(format!("{side}-{package}.json"));
        fs::copy(&built, &kept).map_err(|e| format!("cannot keep {}: {e}", built.display()))?;
        Ok(kept)
    }
}

/// Judges the change from the rustdoc JSON `baseline` to `current`, as a minor release: a
/// failure means the change needs a major version (a minor one before 1.0).
pub fn judge(bin: &Path, baseline: &Path, current: &Path) -> Result<Verdict, String> {
    let out = Command::new(bin)
        .args([
            "semver-checks",
            "--color",
            "never",
            "--release-type",
            "minor",
        ])
        .arg("--baseline-rustdoc")
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let lints: Vec<String> = output
        .lines()
        .filter_map(|l| l.strip_prefix("--- failure "))
        .map(|l| l.split(':').next().unwrap_or(l).to_owned())
        .collect();
    if !out.status.success() && lints.is_empty() {
        return Err(format!("cargo-semver-checks failed:\n{output}"));
    }
    Ok(Verdict {
        breaking: !lints.is_empty(),
        lints,
        output,
    })
}
