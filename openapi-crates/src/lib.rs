//! The generator as a tool of its own: the crates of one OpenAPI spec or several generated into
//! any folder as one workspace (`generate`), compared with what the folder holds (`check`), and
//! a spec in many files written as one document (`bundle`), from the command line or from a
//! project's `openapi-crates.toml` (`config`, `init`). The `openapi-crates` binary is its
//! command line; this repository's xtask calls the same functions.

pub mod config;
mod folder;
mod generate;
mod report;

pub use folder::{
    crate_dirs, diff, existing, generated_crates, normalize, on_disk, rustfmt, write_tree,
};
pub use generate::{
    Generated, Job, OneSpec, bundle, check_jobs, check_many, generate_jobs, generate_many,
    generate_one,
};
pub use report::{level_word, release_line, report};
