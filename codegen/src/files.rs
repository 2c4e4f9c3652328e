//! What a generation writes, and where a client finds its runtime: the types every stage that
//! produces output shares (emit, surfaces, releases, pins, build scripts).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Generated files by path relative to the output folder, sorted.
pub type Files = BTreeMap<PathBuf, String>;

/// Where a client crate finds `client-runtime`, the code every generated client runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// A path dependency, relative to the client crate (`generated/` uses `../../runtime`).
    Path(String),
    /// A copy of the runtime written beside the crates as `client-runtime/`, so that the output
    /// folder builds on any machine.
    Bundled,
    /// The registry's `client-runtime` at the version this generator bundles
    /// ([`crate::ir::runtime_version`]): for crates that are published, and for build scripts.
    Version,
}
