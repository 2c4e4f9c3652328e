//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;

/// Runs one command from the workspace root; fails with its name when it fails.
pub fn exec(
    root: &Path,
    program: &str,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Result<(), String> {
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
pub fn python_tools(root: &Path) -> Result<std::path::PathBuf, String> {
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

/// `npm ci` in `dir` (relative to the root) when its lock changed since the last install.
pub fn npm_ci(root: &Path, dir: &str) -> Result<(), String> {
    let lock = std::fs::read_to_string(root.join(dir).join("package-lock.json"))
        .map_err(|e| format!("cannot read {dir}/package-lock.json: {e}"))?;
    let stamp = root.join(dir).join("node_modules/.package-lock.stamp");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
        exec(
            root,
            "npm",
            &[
                "ci",
                "--prefix",
                dir,
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ],
            &[],
        )?;
        std::fs::write(&stamp, lock)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(())
}

pub fn run(root: &Path) -> Result<(), String> {
    // Prism, for the contract tests.
    npm_ci(root, "tools")?;
    let bin = python_tools(root)?;
    // cargo-semver-checks, for the verdict table.
    crate::judge::install(root)?;
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
    // An independent check of every example against its schema (openapi-examples-validator).
    let examples = root.join("tools/node_modules/.bin/openapi-examples-validator");
    let examples = examples.to_string_lossy();
    for spec in &spec_args {
        exec(root, &examples, &[spec], &[])?;
    }

    println!("\n==> cargo xtask check");
    crate::files::check(root)?;
    println!("generated/ is up to date");

    exec(root, "cargo", &["fmt", "--all", "--", "--check"], &[])?;
    // The vendor tests' manifest names crates generated later in the run, so cargo fmt
    // cannot load it yet: rustfmt reads the files themselves.
    let mut vendor_tests = vec!["--check", "--edition", "2024"];
    let files = vendor_test_files(root)?;
    vendor_tests.extend(files.iter().map(String::as_str));
    exec(root, "rustfmt", &vendor_tests, &[])?;
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
    let (mut passed, mut failed) = cargo_test(root, &["--workspace"], &[])?;
    // The vendors' published bodies and their clients, against crates generated for them.
    let (p, f) = crate::vendors::check(root)?;
    (passed, failed) = (passed + p, failed + f);
    // One closing line for the whole run, so that CI reads the total, not the last crate's.
    println!("\ntests: {passed} passed, {failed} failed");
    if passed == 0 {
        return Err("cargo test ran no test".to_owned());
    }
    Ok(())
}

/// The Rust files of `tests/vendors/tests`, relative to `root`, sorted.
fn vendor_test_files(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("tests/vendors/tests");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<String> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            format!(
                "tests/vendors/tests/{}",
                path.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Runs `cargo test` with `args`, echoing its output, and adds up its `test result:` lines.
pub fn cargo_test(
    root: &Path,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
) -> Result<(usize, usize), String> {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    println!("\n==> cargo test {}", args.join(" "));
    let mut child = Command::new("cargo")
        .arg("test")
        .args(args)
        .envs(envs.iter().copied())
        .env("INSTA_UPDATE", "no")
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines() {
        let line = line.map_err(|e| format!("cannot read cargo's output: {e}"))?;
        println!("{line}");
        if let Some((p, f)) = parse_result(&line) {
            passed += p;
            failed += f;
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo test failed: {e}"))?;
    if !status.success() {
        println!("\ntests: {passed} passed, {failed} failed");
        return Err(format!("`cargo test {}` failed ({status})", args.join(" ")));
    }
    Ok((passed, failed))
}

/// The passed and failed counts of a libtest `test result:` line.
pub fn parse_result(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("test result: ")?;
    let count = |word: &str| {
        rest.split(['.', ';'])
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|n| n.trim().parse::<usize>().ok())
    };
    Some((count(" passed")?, count(" failed")?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_libtest_summaries() {
        let ok = "test result: ok. 14 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(super::parse_result(ok), Some((14, 0)));
        let bad = "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(super::parse_result(bad), Some((1, 2)));
        assert_eq!(super::parse_result("running 3 tests"), None);
    }
}
