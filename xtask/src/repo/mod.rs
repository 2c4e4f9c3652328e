//! This repository's own specs and crates: `specs/` generated into `generated/` (and the
//! runtime's copy into `codegen/runtime/`), checked, and their changes reported.

pub mod changes;
pub mod files;
