//! Lowering: a loaded spec (`openapiv3` types) into the generator's IR.
//!
//! The order is fixed, so that names are the same on every run: component schemas (their names
//! proposed first, in sorted order), then operations, then webhooks; a schema outside the
//! components is named when a reference first reaches it and defined once those are done. Named
//! passes then rewrite the IR: `dedupe`, `type_names`, which settles every type name once (the
//! previous generation's first, see there), `cycles`, `recursion`, `pages`, `direction`, which
//! marks the types sent and received, `access`, `names`, which decides every other Rust
//! identifier, and `fixed`, which marks the fields whose value the schema fixes.

mod access;
mod cycles;
mod dedupe;
mod direction;
pub mod events;
pub(crate) mod fixed;
mod media;
mod names;
mod operation;
pub(crate) mod overrides;
pub mod pages;
mod recursion;
mod refs;
mod schema;
mod servers;
mod type_names;

pub(crate) use type_names::record as type_names_of;

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema};

use crate::error::{Error, ErrorKind};
use crate::ir::{Api, Degradations, TypeDef};
use crate::load::Spec;
use crate::pins::Pins;

/// State shared by the lowering of one document.
pub(crate) struct Lowerer<'a> {
    spec: &'a Spec,
    /// Every schema a `$ref` can name, by JSON pointer: the components and the other targets.
    schemas: BTreeMap<String, &'a ReferenceOr<Schema>>,
    /// The Rust name reserved for each schema of `schemas`, by pointer.
    schema_names: BTreeMap<String, String>,
    /// Referenced schemas outside the components that are named but not yet defined.
    undefined: Vec<String>,
    /// Inline schemas already named, by JSON pointer.
    inline_names: BTreeMap<String, String>,
    /// The wire name of the property or parameter each schema stands under, by its pointer.
    roles: BTreeMap<String, String>,
    /// The one authority over type names.
    names: type_names::TypeNames,
    types: BTreeMap<String, TypeDef>,
    /// Fail on the first construct that cannot be expressed instead of degrading it.
    strict: bool,
    /// Whether any operation declares security requirements (then one that declares none needs
    /// no credential).
    declares_security: bool,
    /// What was left out or weakened, with where.
    warnings: Vec<Error>,
    degradations: Degradations,
}

/// What a construct the generator cannot express costs when lowering is lenient.
pub(crate) enum Cost<'c> {
    /// The schema is typed as a JSON value.
    Json,
    /// The operation with this id is left out of the client.
    Operation(&'c str),
    /// The operations of a path item are left out.
    PathItem,
    /// One media type of an operation's body is left out; the operation keeps the others.
    Media(&'c str, &'c str),
    /// Something reading a 3.1 document left out; its message says what.
    Reading,
}

impl Cost<'_> {
    fn text(&self) -> String {
        match self {
            Cost::Json => "typed as a JSON value".to_owned(),
            Cost::Operation(id) => format!("operation `{id}` is left out"),
            Cost::PathItem => "its operations are left out".to_owned(),
            Cost::Media(id, media) => {
                format!(
                    "`{media}` is left out of operation `{id}`, which keeps its other media types"
                )
            }
            Cost::Reading => "it is left out".to_owned(),
        }
    }

    fn count(&self, d: &mut Degradations) {
        match self {
            Cost::Json => d.json_values += 1,
            Cost::Operation(_) | Cost::PathItem => d.operations_left_out += 1,
            Cost::Media(..) => d.media_left_out += 1,
            Cost::Reading => d.other += 1,
        }
    }
}

impl Lowerer<'_> {
    /// Turns an error about one construct into a warning that says what it cost, unless the
    /// lowering is strict or the error is not about one construct.
    pub(crate) fn degrade(&mut self, mut e: Error, cost: Cost) -> Result<(), Error> {
        let local = matches!(
            e.kind,
            ErrorKind::Unsupported(_) | ErrorKind::BadReference(_) | ErrorKind::Invalid(_)
        );
        if self.strict || !local {
            return Err(e);
        }
        if let ErrorKind::Unsupported(m) | ErrorKind::BadReference(m) | ErrorKind::Invalid(m) =
            &mut e.kind
            && !m.contains(" (so ")
        {
            m.push_str(&format!(" (so {})", cost.text()));
        }
        cost.count(&mut self.degradations);
        self.warnings.push(e);
        Ok(())
    }
}

/// What `cargo xtask generate` says it decided for `api`, beside its warnings: which operations
/// page, and what `readOnly` and `writeOnly` made of the types.
pub fn decisions(api: &Api) -> Option<String> {
    let said: Vec<String> = [
        pages::summary(api),
        access::summary(api),
        events::summary(api),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!said.is_empty()).then(|| said.join("\n"))
}

/// The tolerant pass, for APIs whose servers leave out what their description requires: every
/// field the spec marks required in a type that answers may hold (received, or reached by
/// nothing) may be absent, marked [`crate::ir::Field::tolerated`]; a type also sent takes such
/// a field by its setter instead of `new`. Returns how many fields it loosened.
pub fn tolerate_answers(api: &mut Api) -> usize {
    let mut loosened = 0;
    for def in api.types.values_mut() {
        let sent_only = def.direction.sent && !def.direction.received;
        if let (crate::ir::TypeKind::Struct(s), false) = (&mut def.kind, sent_only) {
            for f in s.fields.iter_mut().filter(|f| f.required) {
                f.required = false;
                f.tolerated = true;
                loosened += 1;
            }
        }
    }
    api.tolerated = loosened;
    loosened
}

/// Lowers a loaded spec into the IR. `name` is the API's kebab-case name and `source` the spec's
/// path as generated files show it. Unless `strict`, a construct the generator cannot express
/// costs only what it touches (a schema becomes a JSON value, an operation or a parameter is
/// left out) and is reported in [`Api::warnings`]; strict, it is an error.
pub fn lower(spec: &Spec, name: &str, source: &str, strict: bool) -> Result<Api, Error> {
    lower_pinned(spec, name, source, strict, Pins::default())
}

/// [`lower`], keeping the names `pins` (what the previous generation recorded) give the types
/// whose schemas still live where they did (`lower/type_names.rs`).
pub fn lower_pinned(
    spec: &Spec,
    name: &str,
    source: &str,
    strict: bool,
    pins: Pins,
) -> Result<Api, Error> {
    let mut api = lower_doc(spec, name, source, strict, pins).map_err(|e| spec.attach(e))?;
    spec.attach_all(&mut api.warnings);
    Ok(api)
}

/// Whether any operation of the document declares security requirements, in a path item of
/// `paths` or in one a `$ref` names.
fn declares_security(spec: &Spec) -> bool {
    let inline = spec.doc.paths.iter().map(|(_, item)| item);
    let referenced = spec.targets.path_items.values();
    inline.chain(referenced).any(|item| match item {
        ReferenceOr::Item(item) => item.iter().any(|(_, op)| op.security.is_some()),
        ReferenceOr::Reference { .. } => false,
    })
}

fn lower_doc(
    spec: &Spec,
    name: &str,
    source: &str,
    strict: bool,
    pins: Pins,
) -> Result<Api, Error> {
    let mut lowerer = Lowerer {
        spec,
        schemas: BTreeMap::new(),
        schema_names: BTreeMap::new(),
        undefined: Vec::new(),
        inline_names: BTreeMap::new(),
        roles: BTreeMap::new(),
        names: type_names::TypeNames::new(pins),
        types: BTreeMap::new(),
        strict,
        declares_security: declares_security(spec),
        warnings: spec.warnings.clone(),
        degradations: Degradations::default(),
    };
    for loss in &spec.losses {
        lowerer.degrade(loss.clone(), Cost::Reading)?;
    }
    lowerer.reserve_schema_names();
    lowerer.define_schemas()?;
    let mut examples = lowerer.component_examples();
    let operations = lowerer.operations(&mut examples)?;
    let webhooks = lowerer.webhooks(&mut examples)?;
    lowerer.define_referenced()?;
    let mut api = Api {
        name: name.to_owned(),
        source: source.to_owned(),
        inputs: std::iter::once(&spec.file)
            .chain(spec.gathered.sources.iter().map(|s| &s.file))
            .cloned()
            .collect(),
        title: spec.doc.info.title.clone(),
        version: spec.doc.info.version.clone(),
        summary: crate::docs::prose_of(&spec.info.summary),
        description: crate::docs::prose_of(&spec.doc.info.description),
        license: spec
            .info
            .license_identifier
            .clone()
            .or_else(|| spec.doc.info.license.as_ref().map(|l| l.name.clone())),
        crates: Default::default(),
        types: std::mem::take(&mut lowerer.types),
        operations,
        webhooks,
        examples,
        servers: servers::servers(&spec.doc),
        tag_parents: crate::load::tag_parents(&spec.doc),
        security: servers::security_schemes(&spec.doc),
        warnings: Vec::new(),
        degradations: Degradations::default(),
        tolerated: 0,
        unpaged: Vec::new(),
        type_depth: 0,
        access: Default::default(),
        commands: Default::default(),
        overrides: Default::default(),
        dependencies: Default::default(),
        default_features: None,
        signing: None,
    };
    let place_of = |pointer: &str| spec.place_of(pointer);
    dedupe::dedupe_inline_types(&mut api, &|pointer| {
        lowerer.names.recorded(&place_of(pointer))
    });
    lowerer
        .names
        .settle(&mut api, &place_of)
        .map_err(|m| Error::new(ErrorKind::Invalid(m), ""))?;
    cycles::resolve_alias_cycles(&mut api, &mut lowerer)?;
    recursion::box_recursive_fields(&mut api);
    pages::detect(&mut api);
    direction::mark(&mut api);
    access::apply(&mut api, &mut lowerer.names, &place_of);
    names::assign(&mut api);
    fixed::mark(&mut api);
    api.warnings = lowerer.warnings;
    api.degradations = lowerer.degradations;
    Ok(api)
}
