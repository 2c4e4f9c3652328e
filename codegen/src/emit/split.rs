//! The crates of a large API (one with a feature plan), split so that cargo builds them in
//! parallel and a spec change re-checks only what depends on it. A user still depends on the
//! two crates small APIs have, `<api>-models` and `<api>-client`, which re-export their parts:
//!
//! - `<api>-models-shared`: the types that operations of several tags reach, each under the
//!   features of those tags, with the serde helpers and enum macros every part uses;
//! - `<api>-models-tag-<tag>`: the types only that tag's operations reach (one crate per tag,
//!   and one for what only the schemas no operation reaches use);
//! - `<api>-client-shared`: the builder and the `Client`;
//! - `<api>-client-tag-<tag>`: the tag's operations, as a trait implemented for `Client`, with
//!   their parameter, body, success and error types.
//!
//! A type a single tag reaches only refers to types that tag reaches, so a part depends on the
//! shared crate and never on another part, and the shared crate depends on no part: a change to
//! a part's type re-checks that part and what re-exports it. The schemas no operation reaches
//! count as a tag of their own here, so a type they share with one tag is shared.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::crate_files::{header, manifest_head, needs_deps};
use super::models::{Helpers, emit_support, enum_macros, types_text};
use super::{Needs, client, ident, inner_doc_attrs};
use crate::Files;
use crate::ir::{Api, Operation, TypeDef, TypeKind};
use crate::plan::{PartNames as Names, Plan, UNREFERENCED};

/// Types formatted together, so that a large part is spread over the cores.
const TYPES_PER_UNIT: usize = 150;

/// The crates of one tag (or of the unreferenced schemas).
struct Tag<'a> {
    feature: &'a str,
    types: Vec<&'a TypeDef>,
    operations: Vec<&'a Operation>,
    /// The trait of the tag's operations.
    operations_trait: String,
}

/// The tag whose part holds a type: the one tag whose operations reach it, or the unreferenced
/// schemas when they alone do; `None` for the shared crate.
fn home<'a>(plan: &'a Plan, name: &str) -> Option<&'a str> {
    let features = plan.types.get(name)?;
    let mut reached_by = features.iter();
    match (reached_by.next(), reached_by.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Where each type and operation of a split API goes.
struct Layout<'a> {
    shared: Vec<&'a TypeDef>,
    tags: Vec<Tag<'a>>,
}

impl<'a> Layout<'a> {
    fn new(api: &'a Api, plan: &'a Plan) -> Layout<'a> {
        let mut tags: BTreeMap<&str, Tag> = plan
            .features
            .iter()
            .map(String::as_str)
            .chain([UNREFERENCED])
            .map(|feature| {
                let tag = Tag {
                    feature,
                    types: Vec::new(),
                    operations: Vec::new(),
                    operations_trait: String::new(),
                };
                (feature, tag)
            })
            .collect();
        let mut shared = Vec::new();
        for def in api.types.values() {
            match home(plan, &def.name) {
                Some(feature) => tags
                    .get_mut(feature)
                    .expect("every feature has a tag")
                    .types
                    .push(def),
                None => shared.push(def),
            }
        }
        for (op, feature) in api.operations.iter().zip(&plan.operation) {
            tags.get_mut(feature.as_str())
                .expect("every feature has a tag")
                .operations
                .push(op);
        }
        let mut traits = BTreeSet::new();
        let mut tags: Vec<Tag> = tags
            .into_values()
            .filter(|t| !t.types.is_empty() || !t.operations.is_empty())
            .collect();
        for tag in &mut tags {
            let name = format!("{}Operations", crate::naming::type_name(tag.feature));
            tag.operations_trait = crate::naming::unique(&mut traits, name, "");
        }
        Layout { shared, tags }
    }
}

fn lib(package: &str) -> proc_macro2::Ident {
    ident(&package.replace('-', "_"))
}

/// A piece of formatting work: some types of the shared crate (`None`) or of a tag's part, or
/// one tag's client.
enum Unit<'a> {
    Types(Option<usize>, &'a [&'a TypeDef]),
    Client(usize),
}

/// The crate a unit's text goes to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Models(Option<usize>),
    Client(usize),
}

impl Unit<'_> {
    /// About how much text the unit makes: an operation makes some three times what a type
    /// does.
    fn cost(&self, layout: &Layout) -> usize {
        match self {
            Unit::Types(_, defs) => defs.len(),
            Unit::Client(tag) => 3 * layout.tags[*tag].operations.len(),
        }
    }

    fn part(&self) -> Part {
        match self {
            Unit::Types(tag, _) => Part::Models(*tag),
            Unit::Client(tag) => Part::Client(*tag),
        }
    }
}

/// What a unit produced: formatted text and what it needs.
#[derive(Default)]
struct Done {
    text: String,
    needs: Needs,
    helpers: Helpers,
}

/// The files of a split API: the facades (`<api>-models`, `<api>-client`, with `lib.rs` and
/// manifest only; the caller adds the rest) and every part.
pub(crate) fn emit(api: &Api, plan: &Plan, runtime: &str, files: &mut Files) -> Result<(), String> {
    let layout = Layout::new(api, plan);
    let names = Names { api };
    let texts = format_units(api, plan, &names, &layout)?;
    for (krate, text, needs) in part_crates(api, &names, &layout, texts)? {
        let manifest = part_manifest(api, &names, &layout, (&krate, needs), runtime);
        super::insert_crate(files, &krate, manifest, text);
    }
    models_facade(api, &names, &layout, files)?;
    if api.operations.is_empty() {
        return Ok(());
    }
    client_facade(api, &names, &layout, files)
}

/// The code of every part, formatted on every core, without the parts' heads.
fn format_units(
    api: &Api,
    plan: &Plan,
    names: &Names,
    layout: &Layout,
) -> Result<BTreeMap<Part, Done>, String> {
    let mut units: Vec<Unit> = layout
        .shared
        .chunks(TYPES_PER_UNIT)
        .map(|c| Unit::Types(None, c))
        .collect();
    for (i, tag) in layout.tags.iter().enumerate() {
        units.extend(
            tag.types
                .chunks(TYPES_PER_UNIT)
                .map(|c| Unit::Types(Some(i), c)),
        );
        if !tag.operations.is_empty() {
            units.push(Unit::Client(i));
        }
    }
    // The largest first, so that the cores finish together; a part's chunks keep their order
    // (all but the last are the same size, and the last is no larger).
    units.sort_by_key(|u| std::cmp::Reverse(u.cost(layout)));
    let done = super::in_parallel(&units, |unit| match unit {
        Unit::Types(None, defs) => types_done(api, defs, Some(plan)),
        Unit::Types(Some(_), defs) => types_done(api, defs, None),
        Unit::Client(i) => client_done(api, names, &layout.tags[*i]),
    })?;
    let mut texts: BTreeMap<Part, Done> = BTreeMap::new();
    for (unit, d) in units.iter().zip(done) {
        let entry = texts.entry(unit.part()).or_default();
        entry.text.push_str(&d.text);
        entry.needs.merge(d.needs);
        entry.helpers.merge(&d.helpers);
    }
    Ok(texts)
}

/// Every part's name, `lib.rs` and needs, in a fixed order.
fn part_crates(
    api: &Api,
    names: &Names,
    layout: &Layout,
    mut texts: BTreeMap<Part, Done>,
) -> Result<Vec<(String, String, Needs)>, String> {
    let header = header("//", api);
    let mut helpers = Helpers::default();
    texts.values().for_each(|d| helpers.merge(&d.helpers));
    let shared = texts.remove(&Part::Models(None)).unwrap_or_default();
    let mut crates = vec![shared_models(api, names, &helpers, shared)?];
    for (i, tag) in layout.tags.iter().enumerate() {
        if let Some(d) = texts.remove(&Part::Models(Some(i))) {
            let top = super::format_file(&header, tag_models_head(api, names, tag))?;
            crates.push((names.models_tag(tag.feature), top + &d.text, d.needs));
        }
    }
    for (i, tag) in layout.tags.iter().enumerate() {
        if let Some(d) = texts.remove(&Part::Client(i)) {
            crates.push((names.client_tag(tag.feature), d.text, d.needs));
        }
    }
    let shared_client = client::client_shared(api, &api.crates.client);
    crates.push((
        names.client_shared(),
        super::format_file(&header, shared_client)?,
        Needs::default(),
    ));
    Ok(crates)
}

fn types_done(api: &Api, defs: &[&TypeDef], plan: Option<&Plan>) -> Result<Done, String> {
    let (text, needs, helpers) = types_text(api, defs, plan)?;
    Ok(Done {
        text,
        needs,
        helpers,
    })
}

fn client_done(api: &Api, names: &Names, tag: &Tag) -> Result<Done, String> {
    let mut needs = Needs::default();
    tag.operations
        .iter()
        .flat_map(|op| op.type_refs())
        .for_each(|t| needs.add(t));
    let facade = api.crates.client_lib();
    let doc = format!(
        "The operations tagged `{}`, as methods of [`Client`].\n\n`use {facade}::prelude::*;` brings them into scope.",
        tag.feature
    );
    let head = tag_client_head(api, names, tag);
    let tokens = client::client_part(api, &tag.operations, (&tag.operations_trait, &doc), head);
    Ok(Done {
        text: super::format_file(&header("//", api), tokens)?,
        needs,
        helpers: Helpers::default(),
    })
}

/// The shared models crate: the helpers and macros every part uses, and the shared types.
fn shared_models(
    api: &Api,
    names: &Names,
    helpers: &Helpers,
    done: Done,
) -> Result<(String, String, Needs), String> {
    let doc = inner_doc_attrs(&format!(
        "The types of the {} that operations of several tags use, each compiled under the\nfeatures of those tags.\n\nA part of `{}`, which re-exports them: depend on that crate.",
        api.title, api.crates.models
    ));
    let support = emit_support(helpers, true);
    let any = |f: fn(&TypeKind) -> bool| api.types.values().any(|t| f(&t.kind));
    let macros = enum_macros(
        any(|k| matches!(k, TypeKind::StringEnum(_))),
        any(|k| matches!(k, TypeKind::IntEnum(_))),
        true,
    );
    let mut needs = done.needs;
    needs.serde_json |= helpers.unions;
    let reexports = super::models::reexports(needs);
    let top = quote! {
        #doc
        #![allow(dead_code, unused_macros, clippy::disallowed_names, clippy::self_named_constructors)]
        #reexports
        #support
    };
    let text = super::format_file(&header("//", api), top)? + &macros + &done.text;
    Ok((names.models_shared(), text, needs))
}

fn tag_models_head(api: &Api, names: &Names, tag: &Tag) -> TokenStream {
    let doc = inner_doc_attrs(&format!(
        "The types of the {} that only operations tagged `{}` use.\n\nA part of `{}`, which re-exports them: depend on that crate.",
        api.title, tag.feature, api.crates.models
    ));
    let shared = lib(&names.models_shared());
    quote! {
        #doc
        #![allow(unused_imports, clippy::disallowed_names, clippy::self_named_constructors)]
        use #shared::*;
    }
}

fn tag_client_head(api: &Api, names: &Names, tag: &Tag) -> (TokenStream, TokenStream) {
    let doc = inner_doc_attrs(&format!(
        "The operations of the {} tagged `{}`.\n\nA part of `{}`, which re-exports them: depend on that crate.",
        api.title, tag.feature, api.crates.client
    ));
    let (client, shared) = (lib(&names.client_shared()), lib(&names.models_shared()));
    let own = (!tag.types.is_empty()).then(|| {
        let own = lib(&names.models_tag(tag.feature));
        quote!(pub use #own::*;)
    });
    let inner = quote! {
        #doc
        #![allow(unused_imports)]
    };
    let uses = quote! {
        use #client::*;

        /// The types these operations use.
        mod models {
            pub use #shared::*;
            #own
        }
    };
    (inner, uses)
}

/// A path dependency on a sibling crate, with `extra` TOML (features, optional).
fn sibling(package: &str, extra: &str) -> String {
    format!("{package} = {{ path = \"../{package}\"{extra} }}\n")
}

/// The manifest of a part: `[package]`, and what it depends on.
fn part_manifest(
    api: &Api,
    names: &Names,
    layout: &Layout,
    (krate, needs): (&str, Needs),
    runtime: &str,
) -> String {
    let serde = "serde = { version = \"1.0.200\", features = [\"derive\"] }\n";
    let shared_for = |feature: &str| {
        sibling(
            &names.models_shared(),
            &format!(", default-features = false, features = [\"{feature}\"]"),
        )
    };
    let (description, deps, features) = if krate == names.models_shared() {
        let mut features = String::from("\n[features]\n");
        for tag in &layout.tags {
            features.push_str(&format!("{} = []\n", tag.feature));
        }
        ("shared types", serde.to_owned(), features)
    } else if krate == names.client_shared() {
        let deps = format!("client-runtime = {runtime}\n");
        ("client", deps, String::new())
    } else if let Some(tag) = layout
        .tags
        .iter()
        .find(|t| krate == names.models_tag(t.feature))
    {
        let deps = format!("{serde}{}", shared_for(tag.feature));
        ("types of one tag", deps, String::new())
    } else {
        let tag = layout
            .tags
            .iter()
            .find(|t| krate == names.client_tag(t.feature))
            .expect("every part is a models or client part");
        let mut deps = format!(
            "client-runtime = {runtime}\n{}{}",
            sibling(&names.client_shared(), ""),
            shared_for(tag.feature)
        );
        if !tag.types.is_empty() {
            deps.push_str(&sibling(&names.models_tag(tag.feature), ""));
        }
        ("operations of one tag", deps, String::new())
    };
    let description = format!(
        "Part of the generated crates of the {} (version {}): {description}",
        api.title, api.version
    );
    format!(
        "{head}{deps}{needs}{features}",
        head = manifest_head(api, krate, &description),
        needs = needs_deps(needs),
    )
}

/// `<api>-models`: the shared types, and each tag's part under the tag's feature.
fn models_facade(
    api: &Api,
    names: &Names,
    layout: &Layout,
    files: &mut Files,
) -> Result<(), String> {
    let doc = inner_doc_attrs(&super::models::crate_doc(api));
    let shared = lib(&names.models_shared());
    let parts = layout.tags.iter().filter(|t| !t.types.is_empty()).map(|t| {
        let (feature, part) = (t.feature, lib(&names.models_tag(t.feature)));
        quote!(#[cfg(feature = #feature)] pub use #part::*;)
    });
    let lib_rs = quote! {
        #doc
        pub use #shared::*;
        #( #parts )*
    };
    let manifest = facade_manifest(api, names, layout, false);
    let lib_rs = super::format_file(&header("//", api), lib_rs)?;
    super::insert_crate(files, &api.crates.models, manifest, lib_rs);
    Ok(())
}

/// `<api>-client`: the `Client`, each tag's operations under the tag's feature, and a prelude
/// of their traits.
fn client_facade(
    api: &Api,
    names: &Names,
    layout: &Layout,
    files: &mut Files,
) -> Result<(), String> {
    let doc = inner_doc_attrs(&format!(
        "{}\n\nThe operations are methods of one trait per tag (`ReposOperations` for the tag\n`repos`), implemented for [`Client`]: `use {}::prelude::*;` brings them all into scope.",
        client::client_doc(api),
        api.crates.client_lib()
    ));
    let (models, shared) = (lib(&api.crates.models), lib(&names.client_shared()));
    let with_ops: Vec<&Tag> = layout
        .tags
        .iter()
        .filter(|t| !t.operations.is_empty())
        .collect();
    let parts = with_ops.iter().map(|t| {
        let (feature, part) = (t.feature, lib(&names.client_tag(t.feature)));
        quote!(#[cfg(feature = #feature)] pub use #part::*;)
    });
    let traits = with_ops.iter().map(|t| {
        let (feature, part) = (t.feature, lib(&names.client_tag(t.feature)));
        let name = ident(&t.operations_trait);
        quote!(#[cfg(feature = #feature)] pub use #part::#name;)
    });
    let lib_rs = quote! {
        #doc
        pub use #models as models;
        pub use #shared::*;
        #( #parts )*

        /// The traits of every enabled tag's operations.
        pub mod prelude {
            #( #traits )*
        }
    };
    let manifest = facade_manifest(api, names, layout, true);
    let lib_rs = super::format_file(&header("//", api), lib_rs)?;
    super::insert_crate(files, &api.crates.client, manifest, lib_rs);
    Ok(())
}

/// A facade's manifest: its parts as dependencies, one feature per tag enabling them.
fn facade_manifest(api: &Api, names: &Names, layout: &Layout, client: bool) -> String {
    let mut deps = String::new();
    let mut features = String::new();
    let mut all = Vec::new();
    if client {
        deps.push_str(&format!(
            "{} = {{ path = \"../{}\", version = \"{}\", default-features = false }}\n",
            api.crates.models,
            api.crates.models,
            crate::ir::FIRST_VERSION
        ));
        deps.push_str(&sibling(&names.client_shared(), ""));
    } else {
        deps.push_str(&sibling(
            &names.models_shared(),
            ", default-features = false",
        ));
    }
    for tag in &layout.tags {
        let f = tag.feature;
        let mut enables = Vec::new();
        let part = if client {
            enables.push(format!("{}/{f}", api.crates.models));
            (!tag.operations.is_empty()).then(|| names.client_tag(f))
        } else {
            enables.push(format!("{}/{f}", names.models_shared()));
            (!tag.types.is_empty()).then(|| names.models_tag(f))
        };
        if let Some(part) = part {
            deps.push_str(&sibling(&part, ", optional = true"));
            enables.push(format!("dep:{part}"));
        }
        let quoted: Vec<String> = enables.iter().map(|e| format!("{e:?}")).collect();
        features.push_str(&format!("{f} = [{}]\n", quoted.join(", ")));
        all.push(format!("{f:?}"));
    }
    let (name, description) = if client {
        (&api.crates.client, "Async client")
    } else {
        (&api.crates.models, "Models")
    };
    let description = format!(
        "{description} of the {} (version {})",
        api.title, api.version
    );
    // The examples test is the facade's: it depends on nothing its parts depend on.
    let dev = if client {
        String::new()
    } else {
        super::crate_files::examples_dev_deps(api, Needs::default(), false)
    };
    format!(
        "{head}{deps}{dev}\n# One feature per tag; `default-features = false` and a list of tags compiles only those.\n[features]\ndefault = [\"full\"]\nfull = [{all}]\n{features}",
        head = manifest_head(api, name, &description),
        all = all.join(", "),
    )
}

/// The README's account of the layout, for users of a split API.
pub fn readme_section(api: &Api) -> String {
    format!(
        "\n## Layout\n\n\
         The API is large, so its code is split into crates that cargo builds in parallel and a\n\
         spec change re-checks only in part: `{models}-shared` (types several tags use),\n\
         `{models}-tag-<tag>` (types of one tag), `{client}-shared` (the `Client`) and\n\
         `{client}-tag-<tag>` (one tag's operations). Depend on `{models}` and `{client}` only:\n\
         they re-export every part, one cargo feature per tag (`default-features = false` and a\n\
         list of tags compiles only those). Operations are methods of one trait per tag,\n\
         implemented for `Client`; `use {client_lib}::prelude::*;` brings them into scope.\n",
        models = api.crates.models,
        client = api.crates.client,
        client_lib = api.crates.client_lib(),
    )
}
