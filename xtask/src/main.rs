//! The project's task runner, reached as `cargo xtask <task>`.
//!
//! - `generate`: regenerate every crate under `generated/` from `specs/`.
//! - `check`: fail with a diff when `generated/` is not what `generate` would write.
//! - `test`: every check CI runs (spec validator, drift, fmt, clippy, tests).

mod files;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  generate   regenerate generated/ from specs/
  check      exit non-zero, with a diff, if generated/ differs from what generate writes
  test       run every test and check that CI runs";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate"] => files::generate(&root),
        ["check"] => files::check(&root),
        ["test"] => test::run(&root),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments {args:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's folder.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}
