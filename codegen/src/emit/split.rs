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
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::crate_files::header;
use super::manifest::{Dep, Manifest};
use super::models::{Helpers, emit_support, enum_macros, types_text};
use super::runtime;
use super::{Needs, client, ident, inner_doc_attrs};
use crate::files::Files;
use crate::ir::{Api, Operation, TypeDef, TypeKind};
use crate::plan::{PartNames as Names, Plan};

/// Types formatted together, so that a large part is spread over the cores.
const TYPES_PER_UNIT: usize = 150;

/// One feature's operations in a client part, as [`crate::plan::placement::Tag`] places them.
struct Tag<'a> {
    feature: &'a str,
    operations: Vec<&'a Operation>,
    /// The trait of the tag's operations.
    operations_trait: &'a str,
}

/// The crates of one part of the plan, its types and operations looked up from where the
/// plan's placement puts them.
struct PartCrates<'a> {
    /// The part's features, sorted; the first names its crates.
    features: &'a [String],
    types: Vec<&'a TypeDef>,
    /// The features that have operations, in order.
    tags: Vec<Tag<'a>>,
}

impl PartCrates<'_> {
    /// Whether the part holds several features, so that its items carry their `cfg`s.
    fn grouped(&self) -> bool {
        self.features.len() > 1
    }

    fn has_operations(&self) -> bool {
        !self.tags.is_empty()
    }

    fn features_list(&self) -> String {
        let quoted: Vec<String> = self.features.iter().map(|f| format!("`{f}`")).collect();
        quoted.join(", ")
    }
}

/// The plan's placement with its types and operations at hand.
struct Layout<'a> {
    shared: Vec<&'a TypeDef>,
    parts: Vec<PartCrates<'a>>,
    /// The features each feature enables beside its own: its child tags'.
    children: &'a BTreeMap<String, Vec<String>>,
}

impl<'a> Layout<'a> {
    fn new(api: &'a Api, plan: &'a Plan) -> Layout<'a> {
        let types = |names: &'a [String]| names.iter().map(|n| &api.types[n]).collect();
        let parts = plan
            .placement
            .parts
            .iter()
            .map(|part| PartCrates {
                features: &part.features,
                types: types(&part.types),
                tags: part
                    .tags
                    .iter()
                    .map(|tag| Tag {
                        feature: &tag.feature,
                        operations: tag.operations.iter().map(|&i| &api.operations[i]).collect(),
                        operations_trait: &tag.operations_trait,
                    })
                    .collect(),
            })
            .collect();
        Layout {
            shared: types(&plan.placement.shared),
            parts,
            children: &plan.children,
        }
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
            Unit::Client(part) => {
                let tags = &layout.parts[*part].tags;
                3 * tags.iter().map(|t| t.operations.len()).sum::<usize>()
            }
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
pub(crate) fn emit(api: &Api, plan: &Plan, runtime: &Dep, files: &mut Files) -> Result<(), String> {
    let layout = Layout::new(api, plan);
    let names = Names { api };
    let texts = format_units(api, plan, &names, &layout)?;
    for (krate, text, needs) in part_crates(api, &names, &layout, texts)? {
        let manifest = part_manifest(api, &names, &layout, (&krate, needs), runtime)?;
        super::insert_crate(files, &krate, manifest, text);
    }
    models_facade(api, &names, &layout, files)?;
    if !api.has_client() {
        return Ok(());
    }
    let webhooks = client::webhooks::emit_webhooks(api, client::webhooks::webhooks_gate(plan));
    client_facade(api, (&names, &layout), (runtime, webhooks), files)?;
    let mock = client_mock(api, &layout)?;
    files.insert(
        PathBuf::from(&api.crates.client).join(client::mock::FILE),
        mock,
    );
    Ok(())
}

/// The facade's `mock` module: each operation's mock under its tag's feature, its docs naming
/// the trait method the mock stands for.
fn client_mock(api: &Api, layout: &Layout) -> Result<String, String> {
    let mut ops = Vec::new();
    for tag in layout.parts.iter().flat_map(|p| &p.tags) {
        let feature = tag.feature;
        let owner = format!("prelude::{}", tag.operations_trait);
        ops.extend(tag.operations.iter().map(|op| client::mock::MockOp {
            op,
            gate: quote!(#[cfg(feature = #feature)]),
            owner: owner.clone(),
            body: false,
        }));
    }
    let uses = quote!(
        #[allow(unused_imports)]
        use super::prelude::*;
    );
    let tokens = client::mock::emit_mock(api, &ops, uses);
    super::format_file(&header("//", api), tokens)
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
    for (i, part) in layout.parts.iter().enumerate() {
        units.extend(
            part.types
                .chunks(TYPES_PER_UNIT)
                .map(|c| Unit::Types(Some(i), c)),
        );
        if part.has_operations() {
            units.push(Unit::Client(i));
        }
    }
    // The largest first, so that the cores finish together; a part's chunks keep their order
    // (all but the last are the same size, and the last is no larger).
    units.sort_by_key(|u| std::cmp::Reverse(u.cost(layout)));
    let done = super::in_parallel(&units, |unit| match unit {
        Unit::Types(None, defs) => types_done(api, defs, Some(plan)),
        Unit::Types(Some(i), defs) => {
            types_done(api, defs, layout.parts[*i].grouped().then_some(plan))
        }
        Unit::Client(i) => client_done(api, names, &layout.parts[*i]),
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
    for (i, part) in layout.parts.iter().enumerate() {
        if let Some(d) = texts.remove(&Part::Models(Some(i))) {
            let top = super::format_file(&header, tag_models_head(api, names, part))?;
            crates.push((names.models_part(part.features), top + &d.text, d.needs));
        }
    }
    for (i, part) in layout.parts.iter().enumerate() {
        if let Some(d) = texts.remove(&Part::Client(i)) {
            crates.push((names.client_part(part.features), d.text, d.needs));
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

fn client_done(api: &Api, names: &Names, part: &PartCrates) -> Result<Done, String> {
    let mut needs = Needs::default();
    part.tags
        .iter()
        .flat_map(|t| &t.operations)
        .flat_map(|op| op.type_refs())
        .for_each(|t| needs.add(t));
    let facade = api.crates.client_lib();
    let traits: Vec<client::Trait> = part
        .tags
        .iter()
        .map(|tag| client::Trait {
            name: tag.operations_trait,
            doc: format!(
                "The operations tagged `{}`, as methods of [`Client`].\n\n`use {facade}::prelude::*;` brings them into scope.",
                tag.feature
            ),
            operations: &tag.operations,
            gate: if part.grouped() {
                super::cfg(&BTreeSet::from([tag.feature.to_owned()]))
            } else {
                TokenStream::new()
            },
        })
        .collect();
    let head = tag_client_head(api, names, part);
    let tokens = client::client_part(api, &traits, head);
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
        api.doc_title(),
        api.crates.models
    ));
    let support = emit_support(helpers, true);
    let any = |f: fn(&TypeKind) -> bool| api.types.values().any(|t| f(&t.kind));
    let macros = enum_macros(
        any(|k| matches!(k, TypeKind::StringEnum(_))),
        any(|k| matches!(k, TypeKind::IntEnum(_))),
        true,
    );
    let mut needs = done.needs;
    helpers.add_needs(&mut needs);
    let reexports = super::models::reexports(needs);
    let lints = super::crate_lints(api);
    let top = quote! {
        #doc
        #lints
        #![allow(dead_code, unused_macros, clippy::disallowed_names, clippy::self_named_constructors)]
        #reexports
        #support
    };
    let text = super::format_file(&header("//", api), top)? + &macros + &done.text;
    Ok((names.models_shared(), text, needs))
}

fn tag_models_head(api: &Api, names: &Names, part: &PartCrates) -> TokenStream {
    let doc = inner_doc_attrs(&format!(
        "The types of the {} that only operations tagged {} use.\n\nA part of `{}`, which re-exports them: depend on that crate.",
        api.doc_title(),
        part.features_list(),
        api.crates.models
    ));
    let shared = lib(&names.models_shared());
    let lints = super::crate_lints(api);
    quote! {
        #doc
        #lints
        #![allow(unused_imports, clippy::disallowed_names, clippy::self_named_constructors)]
        use #shared::*;
    }
}

fn tag_client_head(api: &Api, names: &Names, part: &PartCrates) -> (TokenStream, TokenStream) {
    let doc = inner_doc_attrs(&format!(
        "The operations of the {} tagged {}.\n\nA part of `{}`, which re-exports them: depend on that crate.",
        api.doc_title(),
        part.features_list(),
        api.crates.client
    ));
    let (client, shared) = (lib(&names.client_shared()), lib(&names.models_shared()));
    let own = (!part.types.is_empty()).then(|| {
        let own = lib(&names.models_part(part.features));
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

/// The manifest of a part: `[package]`, what it depends on and its features.
fn part_manifest(
    api: &Api,
    names: &Names,
    layout: &Layout,
    (krate, needs): (&str, Needs),
    runtime: &Dep,
) -> Result<String, String> {
    let serde = || Dep::version("1.0.200").features(&["derive"]);
    let shared = names.models_shared();
    // A part of one feature compiles its items without a `cfg`, so it turns on that feature
    // of the crates it uses itself: alone, it builds as it does in the workspace.
    let sibling = |package: &str, part: &PartCrates| {
        let dep = Dep::sibling(package).no_default_features();
        match part.grouped() {
            true => dep,
            false => dep.features(&[part.features[0].as_str()]),
        }
    };
    let mut manifest = Manifest::new(krate, "");
    let description = if krate == shared {
        manifest
            .dependency("serde", serde())
            .user_dependencies(api)?;
        features(
            &mut manifest,
            layout.parts.iter().flat_map(|p| p.features),
            |_| vec![],
        );
        "shared types"
    } else if krate == names.client_shared() {
        manifest.dependency(runtime::CRATE, runtime.clone());
        super::crate_files::runtime_features(&mut manifest, runtime::CRATE, false);
        "client"
    } else if let Some(part) = layout
        .parts
        .iter()
        .find(|p| krate == names.models_part(p.features))
    {
        manifest
            .dependency("serde", serde())
            .dependency(&shared, sibling(&shared, part))
            .user_dependencies(api)?;
        part_features(&mut manifest, part, |f| vec![format!("{shared}/{f}")]);
        "types of its tags"
    } else {
        let part = layout
            .parts
            .iter()
            .find(|p| krate == names.client_part(p.features))
            .expect("every part is a models or client part");
        let client_shared = names.client_shared();
        manifest
            .dependency(runtime::CRATE, runtime.clone())
            .dependency(&client_shared, Dep::sibling(&client_shared))
            .dependency(&shared, sibling(&shared, part));
        let own = (!part.types.is_empty()).then(|| names.models_part(part.features));
        if let Some(own) = &own {
            manifest.dependency(own, sibling(own, part));
        }
        part_features(&mut manifest, part, |f| {
            let mut enables = vec![format!("{shared}/{f}")];
            enables.extend(own.iter().map(|own| format!("{own}/{f}")));
            enables
        });
        "operations of its tags"
    };
    let description = format!(
        "Part of the generated crates of the {} (version {}): {description}",
        api.title, api.version
    );
    manifest
        .describe(&description)
        .needs(needs)
        .text(&header("#", api))
}

/// Adds a part's features to `manifest`, with what `enables` says each enables; those of a
/// part of several are all on by default, so that a user of the part alone gets all of it.
fn part_features(
    manifest: &mut Manifest,
    part: &PartCrates,
    enables: impl Fn(&str) -> Vec<String>,
) {
    if part.grouped() {
        manifest.feature("default", part.features.iter().cloned(), None);
    }
    features(manifest, part.features, enables);
}

/// Adds each of `features` to `manifest`, with what `enables` says it enables.
fn features<'f>(
    manifest: &mut Manifest,
    features: impl IntoIterator<Item = &'f String>,
    enables: impl Fn(&str) -> Vec<String>,
) {
    for f in features {
        manifest.feature(f, enables(f), None);
    }
}

/// `#[cfg(any(feature = ...))]` of a part's features.
fn part_gate(part: &PartCrates) -> TokenStream {
    let features: BTreeSet<String> = part.features.iter().cloned().collect();
    super::cfg(&features)
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
    let parts = layout
        .parts
        .iter()
        .filter(|p| !p.types.is_empty())
        .map(|p| {
            let (gate, part) = (part_gate(p), lib(&names.models_part(p.features)));
            quote!(#gate pub use #part::*;)
        });
    let lints = super::crate_lints(api);
    let lib_rs = quote! {
        #doc
        #lints
        pub use #shared::*;
        #( #parts )*
    };
    let manifest = facade_manifest(api, names, layout, None)?;
    let lib_rs = super::format_file(&header("//", api), lib_rs)?;
    super::insert_crate(files, &api.crates.models, manifest, lib_rs);
    Ok(())
}

/// `<api>-client`: the `Client`, each tag's operations under the tag's feature, and a prelude
/// of their traits.
/// The client's facade crate: the parts' operations and the `webhooks` module.
fn client_facade(
    api: &Api,
    (names, layout): (&Names, &Layout),
    (runtime, webhooks): (&Dep, TokenStream),
    files: &mut Files,
) -> Result<(), String> {
    let doc = inner_doc_attrs(&format!(
        "{}\n\nThe operations are methods of one trait per tag (`ReposOperations` for the tag\n`repos`), implemented for [`Client`]: `use {}::prelude::*;` brings them all into scope.",
        client::client_doc(api),
        api.crates.client_lib()
    ));
    let (models, shared) = (lib(&api.crates.models), lib(&names.client_shared()));
    let with_ops: Vec<&PartCrates> = layout.parts.iter().filter(|p| p.has_operations()).collect();
    let parts = with_ops.iter().map(|p| {
        let (gate, part) = (part_gate(p), lib(&names.client_part(p.features)));
        quote!(#gate pub use #part::*;)
    });
    let traits = with_ops.iter().flat_map(|p| {
        let part = lib(&names.client_part(p.features));
        p.tags.iter().map(move |t| {
            let (feature, name) = (t.feature, ident(t.operations_trait));
            quote!(#[cfg(feature = #feature)] pub use #part::#name;)
        })
    });
    let lints = super::crate_lints(api);
    let lib_rs = quote! {
        #doc
        #lints
        // The mocks build requests as the client does, whose errors carry the whole answer.
        #![allow(clippy::result_large_err)]
        pub use #models as models;
        pub use #shared::*;
        #( #parts )*

        /// The traits of every enabled tag's operations.
        pub mod prelude {
            #( #traits )*
        }

        #webhooks

        #[cfg(feature = "mock")]
        pub mod mock;
    };
    let manifest = facade_manifest(api, names, layout, Some(runtime))?;
    let lib_rs = super::format_file(&header("//", api), lib_rs)?;
    super::insert_crate(files, &api.crates.client, manifest, lib_rs);
    Ok(())
}

/// A facade's manifest: its parts as dependencies, one feature per tag enabling them; the
/// client's (`runtime` given) has the runtime's features and `mock` too.
fn facade_manifest(
    api: &Api,
    names: &Names,
    layout: &Layout,
    runtime: Option<&Dep>,
) -> Result<String, String> {
    let client = runtime.is_some();
    let (name, description) = if client {
        (&api.crates.client, "Async client")
    } else {
        (&api.crates.models, "Models")
    };
    let description = format!(
        "{description} of the {} (version {})",
        api.title, api.version
    );
    let mut manifest = Manifest::new(name, &description);
    let without_defaults = |package: &str| Dep::sibling(package).no_default_features();
    if client {
        let models = &api.crates.models;
        let dep = without_defaults(models).with_version(crate::ir::FIRST_VERSION);
        let shared = names.client_shared();
        manifest
            .dependency(models, dep)
            .dependency(&shared, Dep::sibling(&shared));
    } else {
        let shared = names.models_shared();
        manifest.dependency(&shared, without_defaults(&shared));
    }
    let mut features = Vec::new();
    for part in &layout.parts {
        let crate_of_part = if client {
            part.has_operations()
                .then(|| names.client_part(part.features))
        } else {
            (!part.types.is_empty()).then(|| names.models_part(part.features))
        };
        if let Some(krate) = &crate_of_part {
            manifest.dependency(krate, without_defaults(krate).optional());
        }
        for f in part.features {
            let mut enables = vec![if client {
                format!("{}/{f}", api.crates.models)
            } else {
                format!("{}/{f}", names.models_shared())
            }];
            if let Some(krate) = &crate_of_part {
                enables.extend([format!("dep:{krate}"), format!("{krate}/{f}")]);
            }
            enables.extend(layout.children.get(f).into_iter().flatten().cloned());
            features.push((f, enables));
        }
    }
    // The examples test is the facade's: it depends on nothing its parts depend on.
    if !client {
        super::crate_files::examples_dev_deps(&mut manifest, api, Needs::default(), false);
    }
    let comment =
        "# One feature per tag; `default-features = false` and a list of tags compiles only those.";
    let all: Vec<String> = features.iter().map(|(f, _)| f.to_string()).collect();
    let default = default_features(api);
    manifest
        .feature("default", default, Some(comment))
        .feature("full", all, None);
    for (f, enables) in features {
        manifest.feature(f, enables, None);
    }
    if let Some(runtime) = runtime {
        super::crate_files::runtime_features(&mut manifest, &names.client_shared(), false);
        // The `webhooks` module names the runtime whatever the features; else only `mock` does.
        let crate_name = runtime::CRATE;
        let mut mock = vec![format!("{crate_name}/mock")];
        if api.webhooks.is_empty() {
            manifest.dependency(crate_name, runtime.clone().optional());
            mock.insert(0, format!("dep:{crate_name}"));
        } else {
            manifest.dependency(crate_name, super::crate_files::runtime_dep(api, runtime));
        }
        manifest.feature("mock", mock, None);
        super::crate_files::webhook_features(&mut manifest, api);
    }
    manifest.text(&header("#", api))
}

/// What a facade turns on by default: `full`, or the features the user chose (checked by
/// `Config::emit`).
fn default_features(api: &Api) -> Vec<String> {
    api.default_features
        .clone()
        .unwrap_or_else(|| vec!["full".to_owned()])
}

/// The README's account of the layout, for users of a split API.
pub fn readme_section(api: &Api) -> String {
    format!(
        "\n## Layout\n\n\
         The API is large, so its code is split into crates that cargo builds in parallel and a\n\
         spec change re-checks only in part: `{models}-shared` (types several parts use),\n\
         `{models}-tag-<tag>` (types of one large tag) or `{models}-tags-<first tag>` (of\n\
         several small ones), `{client}-shared` (the `Client`) and `{client}-tag-<tag>` or\n\
         `{client}-tags-<first tag>` (their operations). An API without tags is grouped by the\n\
         first word of its paths. Depend on `{models}` and `{client}` only:\n\
         they re-export every part, one cargo feature per tag (`default-features = false` and a\n\
         list of tags compiles only those). Operations are methods of one trait per tag,\n\
         implemented for `Client`; `use {client_lib}::prelude::*;` brings them into scope.\n",
        models = api.crates.models,
        client = api.crates.client,
        client_lib = api.crates.client_lib(),
    )
}
