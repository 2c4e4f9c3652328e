//! The generator: OpenAPI 3.0 and 3.1 specs in, the files of Rust crates out.
//!
//! The pipeline is load ([`Spec`]) → lower ([`lower::lower`], into [`ir::Api`]) → emit
//! ([`emit`], with `quote`, formatted by `prettyplease`) → [`Files`], an in-memory set of files
//! that the caller writes or compares. Nothing here touches the file system except
//! [`Spec::load`].

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod naming;
pub mod release;
pub mod surface;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{Error, ErrorKind, Location};
pub use load::Spec;

/// Generated files by path relative to the output folder, sorted.
pub type Files = BTreeMap<PathBuf, String>;

/// The API name of a spec file, which names its crates: its stem as [`naming::crate_name`]
/// makes it (`specs/iw-erp.yaml` → `iw-erp`).
pub fn api_name(spec: &Path) -> String {
    naming::crate_name(&spec.file_stem().unwrap_or_default().to_string_lossy())
}

/// The settings of a generation, in the style of `prost_build::Config`: set what differs from
/// the defaults, then load, emit or generate.
///
/// ```no_run
/// let files = codegen::Config::new()
///     .strict(false)
///     .runtime(codegen::Runtime::Bundled)
///     .generate(std::path::Path::new("specs/pets.yaml"), "specs/pets.yaml")?;
/// # Ok::<(), codegen::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    strict: bool,
    tolerant: bool,
    runtime: Runtime,
    name: Option<String>,
}

/// Where a client crate finds `client-runtime`, the code every generated client runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// A path dependency, relative to the client crate (`generated/` uses `../../runtime`).
    Path(String),
    /// A copy of the runtime written beside the crates as `client-runtime/`, so that the output
    /// folder builds on any machine.
    Bundled,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Strict lowering; the runtime at `../../runtime` (the layout of this workspace).
    pub fn new() -> Config {
        Config {
            strict: true,
            tolerant: false,
            runtime: Runtime::Path("../../runtime".to_owned()),
            name: None,
        }
    }

    /// Strict (the default): a construct the generator cannot express is an error. Lenient:
    /// it costs only what it touches and becomes a warning in [`ir::Api::warnings`].
    pub fn strict(&mut self, strict: bool) -> &mut Self {
        self.strict = strict;
        self
    }

    /// Tolerant answers (off by default): a field the spec marks required in a type that
    /// answers may hold may be absent, for APIs whose servers leave out what their description
    /// requires. Each such field says so in its docs and in the public surface.
    pub fn tolerant(&mut self, tolerant: bool) -> &mut Self {
        self.tolerant = tolerant;
        self
    }

    /// The API's name, which names its crates (`<name>-models`, `<name>-client`); by default
    /// the spec's file stem.
    pub fn name(&mut self, name: impl Into<String>) -> &mut Self {
        self.name = Some(naming::crate_name(&name.into()));
        self
    }

    /// Where client crates find the runtime.
    pub fn runtime(&mut self, runtime: Runtime) -> &mut Self {
        self.runtime = runtime;
        self
    }

    /// Loads and lowers one spec. Messages name `spec` as given; `shown_as` is the path written
    /// into generated headers.
    pub fn load(&self, spec: &Path, shown_as: &str) -> Result<ir::Api, Error> {
        let loaded = Spec::load(spec)?;
        let name = self.name.clone().unwrap_or_else(|| api_name(spec));
        let mut api = lower::lower(&loaded, &name, shown_as, self.strict)?;
        if self.tolerant {
            lower::tolerate_answers(&mut api);
        }
        Ok(api)
    }

    /// The files of every crate generated from `api`, relative to the output folder.
    pub fn emit(&self, api: &ir::Api) -> Result<Files, Error> {
        emit::emit_api(api, &self.runtime).map_err(|mut e| {
            e.file = PathBuf::from(&api.source);
            e
        })
    }

    /// Loads, lowers and emits one spec.
    pub fn generate(&self, spec: &Path, shown_as: &str) -> Result<Files, Error> {
        self.emit(&self.load(spec, shown_as)?)
    }
}
