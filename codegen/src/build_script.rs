//! The generator in a crate's `build.rs`: one spec's models and client as one module tree,
//! written into `OUT_DIR` for the crate to `include!`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Config;
use crate::error::{Error, ErrorKind};
use crate::files::{Files, Runtime};

/// One spec's module tree for a build script: settings, then [`Build::generate`].
///
/// ```no_run
/// // build.rs, with `openapi-crates-codegen` among the [build-dependencies]
/// fn main() {
///     openapi_crates_codegen::Build::new("specs/billing.yaml")
///         .generate()
///         .unwrap_or_else(|e| panic!("{e}"));
/// }
/// ```
///
/// ```ignore
/// // src/lib.rs: the modules `billing::models` and `billing::client`
/// pub mod billing {
///     include!(concat!(env!("OUT_DIR"), "/billing.rs"));
/// }
/// ```
///
/// The crate depends on what the code uses, as [`ModuleTree::dependencies`] lists it:
/// `client-runtime` by version, `serde` with `derive`, and `serde_json` or `chrono` when the
/// spec needs them. Nothing is split by tag and no formatter runs beyond `prettyplease`;
/// cargo reruns the script when the spec or any file its references name changes.
// A build script's `main` is what the first example shows.
#[allow(clippy::needless_doctest_main)]
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    config: Config,
}

/// What [`Build::module_tree`] makes.
#[derive(Debug, Clone)]
pub struct ModuleTree {
    /// The API's name, which names the file (`<name>.rs`).
    pub name: String,
    /// `pub mod models { … }` and `pub mod client { … }`, formatted.
    pub text: String,
    /// Whether there is a `client` module: the spec has operations.
    pub client: bool,
    /// The files read: the spec, then each file its references name.
    pub inputs: Vec<PathBuf>,
    /// The dependencies the code uses, by crate, as a manifest's `[dependencies]` holds them
    /// (`serde = { version = "1.0.200", features = ["derive"] }`).
    pub dependencies: BTreeMap<String, String>,
    /// What the generator could not express and left out, one line each.
    pub warnings: Vec<String>,
}

impl Build {
    /// The spec at `spec` (relative to the crate's folder, where cargo runs build scripts),
    /// generated leniently: what cannot be expressed is left out with a warning.
    pub fn new(spec: impl Into<PathBuf>) -> Build {
        let mut config = Config::new();
        config
            .strict(false)
            .runtime(Runtime::Version)
            .split(false)
            .commands(
                "a build script (openapi_crates_codegen::Build)",
                "cargo build",
            );
        Build {
            spec: spec.into(),
            config,
        }
    }

    /// The generator's settings (strictness, tolerance, the API's name, type names…).
    pub fn config(&mut self) -> &mut Config {
        &mut self.config
    }

    /// Writes the module tree to `$OUT_DIR/<name>.rs` and tells cargo to rerun the script when
    /// an input changes (`cargo:rerun-if-changed`) and what was left out (`cargo:warning`).
    /// Returns the file written.
    pub fn generate(&self) -> Result<PathBuf, Error> {
        let out = std::env::var_os("OUT_DIR").ok_or_else(|| {
            internal("OUT_DIR is not set: Build::generate runs in a build script".to_owned())
        })?;
        self.generate_into(Path::new(&out))
    }

    /// [`Build::generate`] into the folder `out`.
    pub fn generate_into(&self, out: &Path) -> Result<PathBuf, Error> {
        let tree = self.module_tree()?;
        for input in &tree.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        for warning in &tree.warnings {
            println!("cargo:warning={}", warning.replace(['\r', '\n'], " "));
        }
        let path = out.join(format!("{}.rs", tree.name));
        std::fs::write(&path, &tree.text)
            .map_err(|e| internal(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }

    /// The module tree, without writing or printing anything.
    pub fn module_tree(&self) -> Result<ModuleTree, Error> {
        let shown = self.spec.display().to_string().replace('\\', "/");
        let api = self.config.load(&self.spec, &shown)?;
        let files = self.config.emit(&api)?;
        let crates = &api.crates;
        let lib = |krate: &str| files.get(&Path::new(krate).join("src/lib.rs"));
        let models = lib(&crates.models).ok_or_else(|| internal("no models crate".into()))?;
        let mut items = vec![module("models", models)?];
        let client = lib(&crates.client);
        if let Some(client) = client {
            let mut client = module("client", client)?;
            let models_crate = crates.models.replace('-', "_");
            point_models_at_sibling(&mut client, &models_crate);
            items.push(client);
        }
        let file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items,
        };
        let header = crate::emit::crate_files::header("//", &api);
        let text = format!("{header}{}", prettyplease::unparse(&file));
        Ok(ModuleTree {
            name: api.name.replace('-', "_"),
            text: crate::emit::space_items(&text),
            client: client.is_some(),
            inputs: api.inputs.clone(),
            dependencies: dependencies(&files, crates)?,
            warnings: api.warnings.iter().map(ToString::to_string).collect(),
        })
    }
}

fn internal(message: String) -> Error {
    Error::new(ErrorKind::Internal(message), "")
}

/// A crate's `lib.rs` as the module `name`: its inner attributes and docs stay inner.
/// A crate's `lib.rs` as the module `name`, without the modules it keeps in files of their
/// own (the client's `mock`, a crate feature of its own crate).
fn module(name: &str, lib: &str) -> Result<syn::Item, Error> {
    let file = syn::parse_file(lib).map_err(|e| internal(format!("{name}: {e}")))?;
    let inline = |item: &syn::Item| !matches!(item, syn::Item::Mod(m) if m.content.is_none());
    Ok(syn::Item::Mod(syn::ItemMod {
        attrs: file.attrs,
        vis: syn::parse_quote!(pub),
        unsafety: None,
        mod_token: Default::default(),
        ident: syn::Ident::new(name, proc_macro2::Span::call_site()),
        content: Some((
            Default::default(),
            file.items.into_iter().filter(inline).collect(),
        )),
        semi: None,
    }))
}

/// The client's `pub use <api>_models as models;` becomes `pub use super::models;`.
fn point_models_at_sibling(client: &mut syn::Item, models_crate: &str) {
    let syn::Item::Mod(module) = client else {
        return;
    };
    let items = module.content.iter_mut().flat_map(|(_, items)| items);
    for item in items {
        let syn::Item::Use(used) = item else {
            continue;
        };
        if matches!(&used.tree, syn::UseTree::Rename(r) if r.ident == models_crate && r.rename == "models")
        {
            used.tree = syn::parse_quote!(super::models);
        }
    }
}

/// The dependencies of the models and client crates, but one another.
fn dependencies(
    files: &Files,
    crates: &crate::ir::Crates,
) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for krate in [&crates.models, &crates.client] {
        let Some(manifest) = files.get(&Path::new(krate).join("Cargo.toml")) else {
            continue;
        };
        let doc: toml_edit::DocumentMut = manifest
            .parse()
            .map_err(|e| internal(format!("the manifest of {krate}: {e}")))?;
        let table = doc.get("dependencies").and_then(|d| d.as_table());
        for (name, value) in table.into_iter().flatten() {
            if name != crates.models {
                let value = value.to_string();
                out.insert(name.to_owned(), value.trim().to_owned());
            }
        }
    }
    Ok(out)
}
