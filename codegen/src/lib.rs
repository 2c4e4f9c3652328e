//! The generator: OpenAPI 3.0 and 3.1 specs in, the files of Rust crates out.
//!
//! The pipeline is load ([`Spec`]) → lower ([`lower::lower`], into [`ir::Api`]) → emit
//! ([`emit`], with `quote`, formatted by `prettyplease`) → [`Files`], an in-memory set of files
//! that the caller writes or compares. Nothing here touches the file system except
//! [`Spec::load`].

mod build_script;
pub mod docs;
pub mod emit;
pub mod error;
mod files;
pub mod graph;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod naming;
pub mod pins;
pub mod plan;
pub mod release;
pub mod surface;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use build_script::{Build, ModuleTree};
pub use error::{Error, ErrorKind, Location};
pub use files::{Files, Runtime};
pub use load::Spec;

/// The API name of a spec file, which names its crates, as [`naming::crate_name`] makes it: its
/// stem (`specs/iw-erp.yaml` → `iw-erp`), or its folder's name when the file is named as most
/// vendors name theirs (`specs/shop/openapi.yaml` → `shop`).
pub fn api_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
    let generic = ["openapi", "swagger"]
        .iter()
        .any(|g| stem.eq_ignore_ascii_case(g));
    let folder = spec
        .parent()
        .and_then(Path::file_name)
        .map(|f| f.to_string_lossy())
        .filter(|_| generic);
    naming::crate_name(folder.as_deref().unwrap_or(&stem))
}

/// The settings of a generation, in the style of `prost_build::Config`: set what differs from
/// the defaults, then load, emit or generate.
///
/// ```no_run
/// let generation = openapi_crates_codegen::Config::new()
///     .strict(false)
///     .runtime(openapi_crates_codegen::Runtime::Bundled)
///     .generate(
///         std::path::Path::new("specs/pets.yaml"),
///         "specs/pets.yaml",
///         &openapi_crates_codegen::nothing_before,
///     )?;
/// for release in &generation.releases {
///     println!("{} {}", release.name, release.version);
/// }
/// # Ok::<(), openapi_crates_codegen::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    strict: bool,
    tolerant: bool,
    runtime: Runtime,
    name: Option<String>,
    format: Option<Format>,
    reach: load::Reach,
    /// Type names the user chose, by a component's key or a place.
    chosen: std::collections::BTreeMap<String, String>,
    commands: ir::Commands,
    /// Whether a large API is split into crates by tag, with a feature per tag.
    split: bool,
    /// The user's overrides of types, by the spec's key for each.
    overrides: BTreeMap<String, ir::TypeOverride>,
    /// Dependencies of the models crates, by crate, as a manifest writes them.
    dependencies: BTreeMap<String, String>,
    default_features: Option<Vec<String>>,
    signing: Option<ir::Signing>,
}

/// A formatter of generated Rust source (the xtask's runs `rustfmt`).
pub type Format = fn(&str) -> Result<String, String>;

/// The files a crate had before a generation, by the names of the API's crates: what versions
/// and changelogs are settled against.
pub type Previous<'a> = dyn Fn(&ir::Crates) -> Files + 'a;

/// No files before: every crate is new, at [`ir::FIRST_VERSION`].
pub fn nothing_before(_: &ir::Crates) -> Files {
    Files::new()
}

/// What [`Config::generate`] gives.
#[derive(Debug)]
pub struct Generation {
    /// The API the crates come from: its warnings, degradations, operations and examples.
    pub api: ir::Api,
    /// The files of every crate, formatted, versions and changelogs settled.
    pub files: Files,
    /// What happened to each crate, the models crate first.
    pub releases: Vec<release::Release>,
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
            format: None,
            reach: load::Reach::default(),
            chosen: Default::default(),
            commands: Default::default(),
            split: true,
            overrides: BTreeMap::new(),
            dependencies: BTreeMap::new(),
            default_features: None,
            signing: None,
        }
    }

    /// The tag features a split API's `<api>-models` and `<api>-client` turn on by default,
    /// instead of all of them (`full`); each must be one of the API's features.
    pub fn default_features(&mut self, features: Vec<String>) -> &mut Self {
        self.default_features = Some(features);
        self
    }

    /// How the API signs the webhooks and callbacks it sends, which the spec never says: the
    /// client's `webhooks::verifier(secrets)` is preset with it. A scheme the runtime cannot
    /// build, or one set for an API that sends nothing, is an error when the spec is loaded.
    pub fn webhook_signing(&mut self, signing: ir::Signing) -> &mut Self {
        self.signing = Some(signing);
        self
    }

    /// Adds derives and attributes to the type `key` names (a component's key, or the
    /// `#/json/pointer` of an inline schema, `file.yaml#/pointer` in another file) and its
    /// fields, or has another crate's type used instead of it ([`ir::TypeOverride`]). A key
    /// that names no type, a derive that is not a path, an attribute that is not one outer
    /// attribute, or a field the struct does not have is an error.
    pub fn type_override(&mut self, key: impl Into<String>, what: ir::TypeOverride) -> &mut Self {
        self.overrides.insert(key.into(), what);
        self
    }

    /// A dependency of the models crates, as a manifest writes it (`"1"`, `{ path = "…" }`):
    /// the crate of a type that replaces a generated one, or of a derive.
    pub fn models_dependency(
        &mut self,
        name: impl Into<String>,
        dep: impl Into<String>,
    ) -> &mut Self {
        self.dependencies.insert(name.into(), dep.into());
        self
    }

    /// Whether a large API (50 operations or more, in two tags or more) is split into crates by
    /// tag, each tag a cargo feature; on by default. Off, every API is one models crate and one
    /// client crate without features.
    pub fn split(&mut self, split: bool) -> &mut Self {
        self.split = split;
        self
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

    /// Names the type of the schema `key` names `name`, whatever the generator would name it:
    /// `key` is a component's key (`Pet`), the JSON pointer of a schema in the entry
    /// (`#/paths/~1pets/get/responses/200/content/application~1json/schema`), or its place in
    /// another file (`schemas/pet.yaml#`). A key that names no type, or a name that is not a
    /// Rust type name, is an error when the spec is loaded.
    pub fn type_name(&mut self, key: impl Into<String>, name: impl Into<String>) -> &mut Self {
        self.chosen.insert(key.into(), name.into());
        self
    }

    /// The commands generated files name as the ones that generate and check them (headers,
    /// READMEs, changelogs); by default `cargo xtask generate` and `cargo xtask check`.
    pub fn commands(&mut self, generate: impl Into<String>, check: impl Into<String>) -> &mut Self {
        self.commands = ir::Commands {
            generate: generate.into(),
            check: check.into(),
        };
        self
    }

    /// The folder references may lead up to (by default the spec's own folder): a spec whose
    /// files reach `../common/…` is read with a root above its folder.
    pub fn reference_root(&mut self, root: impl Into<PathBuf>) -> &mut Self {
        self.reach.root = Some(root.into());
        self
    }

    /// Allows references to URLs: each is read from its copy beside the spec
    /// (`fetched-refs/https/<host>/<path>`, see [`load::CACHE`]), which `fetch` downloads once
    /// where it is missing. Without it a missing copy is an error; generation never reads the
    /// network on its own.
    pub fn fetch(
        &mut self,
        fetch: impl Fn(&str) -> Result<String, String> + Send + Sync + 'static,
    ) -> &mut Self {
        self.reach.fetch = Some(load::Fetch(std::sync::Arc::new(fetch)));
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
        self.load_pinned(spec, shown_as, pins::Pins::default())
    }

    /// [`Config::load`], keeping the type names `pins` record for the types whose schemas still
    /// live where they did (see [`pins`]).
    pub fn load_pinned(
        &self,
        spec: &Path,
        shown_as: &str,
        pins: pins::Pins,
    ) -> Result<ir::Api, Error> {
        let loaded = Spec::load_within(spec, &self.reach)?;
        let name = self.api_name(spec);
        let mut pins = pins;
        for (key, chosen) in &self.chosen {
            pins.choose(key.clone(), chosen.clone());
        }
        let mut api = lower::lower_pinned(&loaded, &name, shown_as, self.strict, pins)?;
        api.commands = self.commands.clone();
        api.dependencies = self.dependencies.clone();
        api.default_features = self.default_features.clone();
        api.signing = self.checked_signing(&api).map_err(|m| {
            let mut e = Error::new(ErrorKind::Invalid(m), "");
            e.file = spec.to_owned();
            e
        })?;
        api.overrides = lower::overrides::resolve(&api, &self.overrides).map_err(|m| {
            let mut e = Error::new(ErrorKind::Invalid(m), "");
            e.file = spec.to_owned();
            e
        })?;
        if self.tolerant {
            lower::tolerate_answers(&mut api);
        }
        Ok(api)
    }

    /// The files of every crate generated from `api`, relative to the output folder.
    pub fn emit(&self, api: &ir::Api) -> Result<Files, Error> {
        // Which cargo feature each operation and type belongs to, decided once for all crates.
        let plan = self.split.then(|| plan::plan(api)).flatten();
        if let Some(chosen) = &api.default_features {
            plan::check_default_features(chosen, plan.as_ref()).map_err(|m| {
                let mut e = Error::new(ErrorKind::Invalid(m), "");
                e.file = PathBuf::from(&api.source);
                e
            })?;
        }
        let mut files = emit::emit_api(api, plan.as_ref(), &self.runtime).map_err(|mut e| {
            e.file = PathBuf::from(&api.source);
            e
        })?;
        files.extend(surface::files(api, plan.as_ref()));
        Ok(files)
    }

    /// How generated Rust is formatted after `prettyplease`; by default it is not.
    pub fn format(&mut self, format: Format) -> &mut Self {
        self.format = Some(format);
        self
    }

    /// The configured signing of `api`'s events, when it can be built and `api` sends any.
    fn checked_signing(&self, api: &ir::Api) -> Result<Option<ir::Signing>, String> {
        let Some(signing) = &self.signing else {
            return Ok(None);
        };
        if api.webhooks.is_empty() {
            return Err(
                "webhook signing is set, but the API sends no webhooks or callbacks".to_owned(),
            );
        }
        signing
            .check()
            .map_err(|m| format!("webhook signing: {m}"))?;
        Ok(Some(signing.clone()))
    }

    /// The API's name: the one given, else the spec's.
    fn api_name(&self, spec: &Path) -> String {
        self.name.clone().unwrap_or_else(|| api_name(spec))
    }

    /// Loads, lowers and emits one spec, formats its Rust, and settles each crate's version and
    /// changelog against the files `previous` gives for the API's crates. The type names those
    /// files record ([`pins::Pins::FILE`]) are kept.
    pub fn generate(
        &self,
        spec: &Path,
        shown_as: &str,
        previous: &Previous,
    ) -> Result<Generation, Error> {
        let crates = ir::Crates::of(&self.api_name(spec));
        let before = previous(&crates);
        let api = self.load_pinned(
            spec,
            shown_as,
            pins::Pins::recorded(&before, &crates.models),
        )?;
        let mut files = self.emit(&api)?;
        if let Some(format) = self.format {
            format_rust(format, &mut files)?;
        }
        let origin = release::Origin {
            generate: &api.commands.generate,
            source: &api.source,
            api_version: &api.version,
        };
        let releases = release::settle(&api.crates, &origin, &mut files, &before);
        Ok(Generation {
            api,
            files,
            releases,
        })
    }
}

fn format_rust(format: Format, files: &mut Files) -> Result<(), Error> {
    let rust = files
        .iter_mut()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"));
    for (path, text) in rust {
        *text = format(text).map_err(|e| {
            let message = format!("{}: {e}", path.display());
            Error::new(ErrorKind::Internal(message), "")
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn an_api_is_named_after_its_file_or_the_folder_of_an_openapi_file() {
        let name = |p: &str| super::api_name(Path::new(p));
        assert_eq!(name("specs/iw-erp.yaml"), "iw-erp");
        assert_eq!(name("specs/bookshop/openapi.yaml"), "bookshop");
        assert_eq!(name("vendor/Payments_API/OpenAPI.json"), "payments-api");
        assert_eq!(name("specs/swagger.yml"), "specs");
        assert_eq!(name("openapi.yaml"), "openapi");
    }
}
