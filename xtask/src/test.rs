//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;

/// Runs one command from the workspace root; fails with its name when it fails.
fn exec(root: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    println!("\n==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Creates `.cache/venv` with the pinned tools of `tools/requirements.lock` when the lock changed.
fn python_tools(root: &Path) -> Result<std::path::PathBuf, String> {
    let venv = root.join(".cache/venv");
    let lock = std::fs::read_to_string(root.join("tools/requirements.lock"))
        .map_err(|e| format!("cannot read tools/requirements.lock: {e}"))?;
    let stamp = venv.join("requirements.lock");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
        let venv_s = venv.to_string_lossy().into_owned();
        exec(root, "python3", &["-m", "venv", "--clear", &venv_s], &[])?;
        let pip = venv.join("bin/pip").to_string_lossy().into_owned();
        exec(
            root,
            &pip,
            &[
                "install",
                "--quiet",
                "--require-hashes",
                "-r",
                "tools/requirements.lock",
            ],
            &[],
        )?;
        std::fs::write(&stamp, lock)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(venv.join("bin"))
}

pub fn run(root: &Path) -> Result<(), String> {
    let bin = python_tools(root)?;
    let specs: Vec<String> = crate::files::spec_files(root)?
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let validator = bin
        .join("openapi-spec-validator")
        .to_string_lossy()
        .into_owned();
    let spec_args: Vec<&str> = specs.iter().map(String::as_str).collect();
    exec(root, &validator, &spec_args, &[])?;

    println!("\n==> cargo xtask check");
    crate::files::check(root)?;
    println!("generated/ is up to date");

    exec(root, "cargo", &["fmt", "--all", "--", "--check"], &[])?;
    exec(
        root,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    exec(
        root,
        "cargo",
        &["test", "--workspace"],
        &[("INSTA_UPDATE", "no")],
    )?;
    Ok(())
}
