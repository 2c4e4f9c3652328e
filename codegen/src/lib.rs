//! The generator: OpenAPI 3.0 specs in, the files of Rust crates out.
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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heck::ToKebabCase;

pub use error::{Error, ErrorKind, Location};
pub use load::Spec;

/// Generated files by path relative to the output folder, sorted.
pub type Files = BTreeMap<PathBuf, String>;

/// The API name of a spec file: its stem in kebab case (`specs/iw-erp.yaml` → `iw-erp`).
pub fn api_name(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().to_kebab_case())
        .unwrap_or_default()
}

/// Loads and lowers one spec. `shown_as` is the path written into generated headers.
pub fn load_api(spec: &Path, shown_as: &str) -> Result<ir::Api, Error> {
    load_api_with(spec, shown_as, true)
}

/// Loads and lowers one spec; unless `strict`, unsupported constructs become
/// [`ir::Api::warnings`] instead of errors (see [`lower::lower_with`]).
pub fn load_api_with(spec: &Path, shown_as: &str, strict: bool) -> Result<ir::Api, Error> {
    let loaded = Spec::load(spec)?;
    let mut api = lower::lower_with(&loaded, &api_name(spec), shown_as, strict)?;
    for w in &mut api.warnings {
        w.file = PathBuf::from(shown_as);
    }
    Ok(api)
}

/// The files of every crate generated from `api`, relative to the output folder, for a client
/// crate that sits beside the workspace's `runtime/` (as `generated/` does).
pub fn emit_api(api: &ir::Api) -> Result<Files, Error> {
    let runtime = "{ path = \"../../runtime\" }".to_owned();
    emit_api_with(api, &emit::crate_files::ClientDeps { runtime })
}

/// The files of every crate generated from `api`, with the client's runtime dependency as given.
pub fn emit_api_with(api: &ir::Api, deps: &emit::crate_files::ClientDeps) -> Result<Files, Error> {
    use emit::crate_files::{
        client_crate_name, client_manifest, client_readme, examples_test, header,
        models_crate_name, models_manifest, models_readme,
    };
    let internal = |message: String| Error::new(ErrorKind::Internal(message), "");
    let dir = PathBuf::from(models_crate_name(api));
    let header = header("//", api);
    // Which cargo feature each operation and type belongs to, decided once for both crates.
    let plan = emit::features::plan(api);
    let plan = plan.as_ref();
    // Threads pay off only for large APIs; small ones are done faster on this thread. For large
    // ones the client is emitted on its own thread while the models use the others.
    let large = api.types.len() >= 200 || api.operations.len() >= 100;
    let (models, client) = if !large {
        let models = emit::models::emit_models_text(api, &header, plan);
        let client = (!api.operations.is_empty())
            .then(|| emit::format_file(&header, emit::client::emit_client(api, plan)));
        (models, client)
    } else {
        std::thread::scope(|scope| {
            let client = (!api.operations.is_empty())
                .then(|| scope.spawn(|| emit::client::emit_client_text(api, &header, plan)));
            let models = emit::models::emit_models_text(api, &header, plan);
            let client = client.map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("the client thread panicked".to_owned()))
            });
            (models, client)
        })
    };
    let (lib, needs) = models.map_err(internal)?;
    let mut files = Files::new();
    files.insert(dir.join("Cargo.toml"), models_manifest(api, needs, plan));
    files.insert(dir.join("README.md"), models_readme(api));
    files.insert(dir.join("src/lib.rs"), lib);
    if !api.examples.is_empty() {
        let test = emit::format_file(&header, examples_test(api)).map_err(internal)?;
        files.insert(dir.join("tests/examples.rs"), test);
    }
    if let Some(client) = client {
        let dir = PathBuf::from(client_crate_name(api));
        files.insert(
            dir.join("Cargo.toml"),
            client_manifest(api, deps, emit::client::client_needs(api), plan),
        );
        files.insert(dir.join("README.md"), client_readme(api));
        files.insert(dir.join("src/lib.rs"), client.map_err(internal)?);
    }
    Ok(files)
}

/// Loads, lowers and emits one spec.
pub fn generate(spec: &Path, shown_as: &str) -> Result<Files, Error> {
    let api = load_api(spec, shown_as)?;
    emit_api(&api).map_err(|mut e| {
        e.file = spec.to_owned();
        e
    })
}
