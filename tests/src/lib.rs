//! Integration tests of the generator and of the generated crates.
