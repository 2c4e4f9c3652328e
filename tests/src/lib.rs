//! Integration tests of the generator and of the generated crates.
//!
//! The library part holds the models generated from every valid spec in `fixtures/` (by
//! `build.rs`), so that the generator's output for each feature is compiled, linted and
//! exercised by the tests in `tests/`.

/// One module per fixture spec, named after the file.
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}
