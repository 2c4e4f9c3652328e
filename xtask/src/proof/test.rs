//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use crate::proof::tools::{cargo_test, exec, npm_ci, python_tools, timed};
use std::path::Path;

pub fn run(root: &Path) -> Result<(), String> {
    lean_builds();
    let result = steps(root);
    println!(
        "\nWhere the time went:\n{}",
        crate::proof::tools::time_table()
    );
    result
}

/// Every cargo this run starts, and every cargo its tests start in the workspaces they
/// generate, builds without incremental caches and with line tables only: a fresh run fills a
/// disk several times less (incremental caches alone were 22 GB of a 51 GB target folder).
fn lean_builds() {
    // SAFETY: `run` calls this first, while the process has no other thread to read the
    // environment.
    unsafe {
        std::env::set_var("CARGO_INCREMENTAL", "0");
        std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
    }
}

/// Every step of [`run`], in order.
fn steps(root: &Path) -> Result<(), String> {
    // Prism, for the contract tests.
    npm_ci(root, "tools")?;
    let bin = python_tools(root)?;
    // cargo-semver-checks, for the verdict table.
    timed("cargo install cargo-semver-checks", || {
        crate::proof::judge::install(root)
    })?;
    let specs: Vec<String> = crate::repo::files::spec_files(root)?
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
    timed("cargo xtask check", || crate::repo::files::check(root))?;
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
    // The docs of every crate, the generated ones and the fixtures' (modules of `tests`) among
    // them, build without a warning: spec text never breaks them (codegen::docs). Every feature
    // is on, so that the runtime's and the clients' `mock` modules are documented too.
    exec(
        root,
        "cargo",
        &["doc", "--workspace", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    let (mut passed, mut failed) = cargo_test(root, &["--workspace"], &[])?;
    package(root)?;
    // The vendors' published bodies and their clients, against crates generated for them.
    let (p, f) = timed("cargo xtask vendors", || crate::proof::vendors::check(root))?;
    (passed, failed) = (passed + p, failed + f);
    // One closing line for the whole run, so that CI reads the total, not the last crate's.
    println!("\ntests: {passed} passed, {failed} failed");
    if passed == 0 {
        return Err("cargo test ran no test".to_owned());
    }
    Ok(())
}

/// `cargo package` of what is published (the runtime, the library and the tool), each built
/// from its packaged files alone: nothing it needs may live outside its own folder.
fn package(root: &Path) -> Result<(), String> {
    let mut args = vec!["package", "--allow-dirty"];
    for name in PUBLISHED {
        args.extend(["-p", name]);
    }
    exec(root, "cargo", &args, &[])
}

/// The packages published to the registry, in the order they depend on each other.
const PUBLISHED: [&str; 3] = ["client-runtime", "openapi-crates-codegen", "openapi-crates"];

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
