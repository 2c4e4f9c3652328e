//! Emitters: IR to Rust source with `quote`, formatted by `prettyplease`. Nothing here sees
//! `openapiv3` types.

mod build;
pub mod client;
pub mod crate_files;
pub mod manifest;
pub mod models;
mod runtime;
mod spacing;
pub mod split;
mod tokens;
mod unions;

use std::path::PathBuf;

pub(crate) use spacing::space_items;
pub use tokens::{
    Needs, Std, crate_lints, doc_attrs, doc_or, format_file, ident, inner_doc_attrs, type_fallback,
    type_tokens, value_phrase,
};
pub(crate) use tokens::{cfg, in_parallel};

use crate::error::{Error, ErrorKind};
use crate::files::{Files, Runtime};
use crate::ir::Api;
use crate::plan::Plan;

/// The files of every crate generated from `api` under its feature `plan`, relative to the
/// output folder (the public surfaces aside: [`crate::surface::files`] writes them).
pub(crate) fn emit_api(api: &Api, plan: Option<&Plan>, runtime: &Runtime) -> Result<Files, Error> {
    let internal = |message: String| Error::new(ErrorKind::Internal(message), "");
    let header = crate_files::header("//", api);
    let mut files = Files::new();
    let runtime = match runtime {
        Runtime::Path(path) => manifest::Dep::path(path),
        Runtime::Version => manifest::Dep::version(crate::ir::runtime_version()),
        Runtime::Bundled => {
            if api.has_client() {
                files.extend(runtime::files(&api.commands.generate));
            }
            manifest::Dep::sibling(runtime::CRATE)
        }
    };
    // The READMEs, surfaces and examples test are made beside the code, on a thread of their
    // own for a large API.
    let around = std::thread::scope(|scope| {
        let around = plan.map(|_| scope.spawn(|| around_code(api, plan)));
        match plan {
            Some(plan) => split::emit(api, plan, &runtime, &mut files)?,
            None => whole(api, &header, &runtime, &mut files)?,
        }
        match around {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err("the thread of the READMEs panicked".to_owned())),
            None => around_code(api, plan),
        }
    })
    .map_err(internal)?;
    files.extend(around);
    for (path, text) in files.iter_mut() {
        let copied = path.starts_with(runtime::CRATE);
        if !copied && path.extension().is_some_and(|e| e == "rs") {
            *text = spacing::space_items(text);
        }
    }
    Ok(files)
}

/// The code and manifests of an API's two crates, each in one `lib.rs`.
fn whole(
    api: &Api,
    header: &str,
    runtime: &manifest::Dep,
    files: &mut Files,
) -> Result<(), String> {
    use crate_files::{client_manifest, models_manifest};
    let (models, client) = emit_code(api, header);
    let (lib, needs) = models?;
    insert_crate(files, &api.crates.models, models_manifest(api, needs)?, lib);
    let Some(client) = client else {
        return Ok(());
    };
    let needs = client::client_needs(api);
    insert_crate(
        files,
        &api.crates.client,
        client_manifest(api, runtime, needs)?,
        client?,
    );
    let ops = client::mock::whole(api);
    let mock = format_file(
        header,
        client::mock::emit_mock(api, &ops, proc_macro2::TokenStream::new()),
    )?;
    files.insert(
        PathBuf::from(&api.crates.client).join(client::mock::FILE),
        mock,
    );
    Ok(())
}

/// A crate's manifest and `src/lib.rs`, under the folder named after the crate.
fn insert_crate(files: &mut Files, krate: &str, manifest: String, lib: String) {
    let dir = PathBuf::from(krate);
    files.insert(dir.join("Cargo.toml"), manifest);
    files.insert(dir.join("src/lib.rs"), lib);
}

/// What the two crates users depend on carry beside their code: READMEs, the examples test,
/// the test of the names the client re-exports.
fn around_code(api: &Api, plan: Option<&Plan>) -> Result<Files, String> {
    use crate_files::{client_readme, examples_test, models_readme};
    let mut files = Files::new();
    let layout = plan.map(|_| split::readme_section(api)).unwrap_or_default();
    let dir = PathBuf::from(&api.crates.models);
    files.insert(dir.join("README.md"), models_readme(api) + &layout);
    if !api.examples.is_empty() {
        let header = crate_files::header("//", api);
        let test = examples_test(api, &header)?;
        files.insert(dir.join("tests/examples.rs"), test);
    }
    if !api.has_client() {
        return Ok(files);
    }
    let dir = PathBuf::from(&api.crates.client);
    files.insert(dir.join("README.md"), client_readme(api)? + &layout);
    let header = crate_files::header("//", api);
    files.insert(
        dir.join("tests/names.rs"),
        crate_files::names_test(api, &header)?,
    );
    Ok(files)
}

/// The formatted `lib.rs` of the models crate with what it needs, and of the client crate when
/// the API has operations.
type Code = (
    Result<(String, Needs), String>,
    Option<Result<String, String>>,
);

/// The formatted `lib.rs` of the models crate (with what it needs) and of the client crate,
/// when the API has operations. Large APIs emit the client on a thread of its own while the
/// models use the others; small ones are done faster on this thread.
fn emit_code(api: &Api, header: &str) -> Code {
    let large = api.types.len() >= 200 || api.operations.len() >= 100;
    if !large {
        let models = models::emit_models_text(api, header);
        let client = (api.has_client()).then(|| format_file(header, client::emit_client(api)));
        return (models, client);
    }
    std::thread::scope(|scope| {
        let client =
            (api.has_client()).then(|| scope.spawn(|| client::emit_client_text(api, header)));
        let models = models::emit_models_text(api, header);
        let client = client.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("the client thread panicked".to_owned()))
        });
        (models, client)
    })
}

/// The union decoder copied into models crates, compiled here for its tests.
#[cfg(test)]
#[allow(dead_code)]
#[path = "support/unions.rs"]
mod unions_support;

/// The open-enum macros copied into models crates, compiled and used here for their tests.
#[cfg(test)]
mod enum_support {
    include!("support/open_string_enum.rs");
    include!("support/open_int_enum.rs");

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Color {
        Red,
        Unknown(String),
    }
    open_string_enum!(Color, [(Red, "red")]);

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Code {
        Created,
        Unknown(i64),
    }
    open_int_enum!(Code, [(Created, 201)]);

    #[test]
    fn listed_values_are_variants_and_others_are_kept() {
        assert_eq!(Color::from("red"), Color::Red);
        assert_eq!(Color::VALUES, ["red"]);
        let teal: Color = serde_json::from_str("\"teal\"").unwrap();
        assert_eq!(teal, Color::Unknown("teal".into()));
        assert_eq!(serde_json::to_string(&teal).unwrap(), "\"teal\"");
        assert!(Color::Red < teal, "ordered by value");
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        assert_eq!(Code::from(201), Code::Created);
        assert_eq!(
            serde_json::from_str::<Code>("418").unwrap(),
            Code::Unknown(418)
        );
        assert_eq!(Code::Created.to_string(), "201");
        assert_eq!((Code::VALUES, Code::Created.value()), (&[201][..], 201));
    }
}
