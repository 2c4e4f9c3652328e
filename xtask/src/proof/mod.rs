//! What proves the generator: CI's run (`test`), the tools it starts (`tools`,
//! cargo-semver-checks in `judge`), the verdict table of spec edits (`table`), the vendors'
//! published bodies (`vendors`) and the third-party corpus (`corpus`).

pub mod corpus;
pub mod judge;
#[cfg(test)]
mod table;
pub mod test;
pub mod tools;
pub mod vendors;
