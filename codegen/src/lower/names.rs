//! The naming pass: decides every Rust identifier the crates define, once, and stores it in the
//! IR, so that emitters only print names. Each scope reserves up front the names the generated
//! code defines or re-exports there, so that no name from the spec can take them.
//!
//! Type names are the one exception: lowering proposes them (a type must be named before its
//! recursive parts are lowered) and `lower/type_names.rs` settles them, with the same `naming`
//! functions. The per-operation items named here live in the client crate's root, beside its
//! own items, not among the models' types.

use std::collections::BTreeSet;

use crate::ir::{
    Api, Body, BodyKind, Crates, Events, Operation, RUNTIME_REEXPORTS, StreamItem, Struct,
    TypeKind, TypeRef, UNKNOWN_VARIANT, Union,
};
use crate::naming::{field_name, status_name, type_name, unique};

/// Names the client crate defines at its root, beside the operations' items and the runtime's
/// re-exports ([`RUNTIME_REEXPORTS`]).
pub const CLIENT_ITEMS: &[&str] = &[
    "BASE_URL_TEMPLATE",
    "Client",
    "ClientBuilder",
    "DEFAULT_BASE_URL",
    "models",
    "mock",
];

/// Methods of the generated `Client` that operations must not take.
/// Its `Clone` and `Debug` methods are among them: an inherent `clone` would hide `Clone::clone`.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "default",
    "builder",
    "base_url",
    "runtime",
    "with",
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
];

/// Methods of the generated `ClientBuilder` that settings must not take.
pub const BUILDER_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "new",
    "default",
    "base_url",
    "default_header",
    "http_client",
    "user_agent",
    "timeout",
    "connect_timeout",
    "send_read_only",
    "retry",
    "no_retries",
    "build",
    "auth",
    "middleware",
    "middleware_client",
];

/// Methods a setter must not take: the constructor, what the derives and the common traits
/// define (an inherent `clone` would hide `Clone::clone`), and what clippy expects a trait to
/// provide. A setter named after such a field is `with_<field>`.
const NOT_SETTERS: &[&str] = &[
    "new",
    "into_multipart",
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "deserialize",
    "div",
    "drop",
    "eq",
    "fmt",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into",
    "into_iter",
    "mul",
    "ne",
    "neg",
    "next",
    "not",
    "partial_cmp",
    "rem",
    "serialize",
    "shl",
    "shr",
    "sub",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Locals of every generated client method, which no argument may shadow.
const METHOD_LOCALS: &[&str] = &["request", "raw", "reconnect"];

/// Methods of the `mock` module's `MockServer` that operations' mocks must not take.
const MOCK_SERVER_METHODS: &[&str] = &[
    "start",
    "uri",
    "client",
    "client_builder",
    "received",
    "verify",
    "fmt",
];

/// The variant of the event a union's events of other names are, when it has no name.
const DEFAULT_EVENT_VARIANT: &str = "Default";

/// Functions of the generated examples test, which no example's test may take.
const EXAMPLE_HELPERS: &[&str] = &["round_trip", "same_json"];

fn reserved(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// Names everything in `api`.
pub fn assign(api: &mut Api) {
    api.crates = Crates::of(&api.name);
    for def in api.types.values_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => name_fields(s),
            TypeKind::StringEnum(v) => name_variants(v.iter_mut().map(|v| (&mut v.rust, &v.label))),
            TypeKind::IntEnum(v) => name_variants(v.iter_mut().map(|v| (&mut v.rust, &v.label))),
            TypeKind::Union(u) => name_union(u),
            TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
        }
    }
    let mut methods = reserved(CLIENT_METHODS);
    let mut items = reserved(CLIENT_ITEMS);
    items.extend(reserved(RUNTIME_REEXPORTS));
    // The `mock` module's server, beside the operations' mocks that take names from this set.
    items.insert("MockServer".to_owned());
    for op in &mut api.operations {
        name_operation(op, &mut methods, &mut items);
    }
    let mut mock_methods = reserved(MOCK_SERVER_METHODS);
    for op in &mut api.operations {
        op.items.mock_start = unique(&mut mock_methods, op.rust.clone(), "_");
    }
    // After every operation's own name, so that a `_with` method never takes one.
    for op in &mut api.operations {
        op.items.with = unique(
            &mut methods,
            format!("{}_with", op.rust.trim_end_matches('_')),
            "_",
        );
    }
    for op in &mut api.operations {
        if op
            .responses
            .iter()
            .any(|r| r.is_success() && r.stream.is_some())
        {
            let stem = op.rust.trim_end_matches('_').to_owned();
            op.items.stream = unique(&mut methods, format!("{stem}_stream"), "_");
            op.items.stream_with = unique(&mut methods, format!("{stem}_stream_with"), "_");
        }
    }
    for op in &mut api.operations {
        if op.pagination.is_some() {
            let stem = op.rust.trim_end_matches('_').to_owned();
            op.items.pages = unique(&mut methods, format!("{stem}_pages"), "_");
            op.items.each = unique(&mut methods, format!("{stem}_items"), "_");
            let pascal = type_name(&op.rust);
            op.items.pages_type = unique(&mut items, format!("{pascal}Pages"), "");
            op.items.items_type = unique(&mut items, format!("{pascal}Items"), "");
        }
    }
    // Webhooks are functions and variants of the client's `webhooks` module, beside its
    // preset `verifier`.
    let (mut methods, mut items) = (reserved(&["verifier"]), reserved(&["Event", "HeaderMap"]));
    for op in &mut api.webhooks {
        name_operation(op, &mut methods, &mut items);
    }
    let mut variants = reserved(&[UNKNOWN_VARIANT]);
    for op in &mut api.webhooks {
        let stem = op.rust.trim_end_matches('_');
        op.items.unverified = unique(&mut methods, format!("{stem}_unverified"), "_");
        op.items.event = unique(&mut variants, type_name(&op.rust), "");
        let pascal = type_name(&op.rust);
        op.items.answer = unique(&mut items, format!("{pascal}Answer"), "");
        if op.callback.is_some() {
            op.items.url = unique(&mut methods, format!("{stem}_url"), "_");
        }
    }
    name_settings(api);
    let mut tests = reserved(EXAMPLE_HELPERS);
    for e in &mut api.examples {
        e.name = unique(&mut tests, field_name(&e.name), "_");
    }
}

fn name_fields(s: &mut Struct) {
    let mut taken = BTreeSet::new();
    for f in &mut s.fields {
        f.rust = unique(&mut taken, field_name(&f.wire), "_");
    }
    s.extra_field = unique(&mut taken, "additional_properties".to_owned(), "_");
    let mut setters = reserved(NOT_SETTERS);
    for f in &mut s.fields {
        f.setter = setter(&mut setters, &f.rust);
    }
}

/// The setter of a field: its name, or `with_<name>` where the name is not free.
fn setter(taken: &mut BTreeSet<String>, field: &str) -> String {
    let name = if taken.contains(field) {
        format!("with_{field}")
    } else {
        field.to_owned()
    };
    unique(taken, name, "_")
}

fn name_variants<'a>(variants: impl Iterator<Item = (&'a mut String, &'a String)>) {
    let mut taken = reserved(&[UNKNOWN_VARIANT]);
    for (rust, label) in variants {
        *rust = unique(&mut taken, type_name(label), "");
    }
}

fn name_union(u: &mut Union) {
    let mut taken = reserved(&[UNKNOWN_VARIANT]);
    for v in &mut u.variants {
        let name = match &v.label {
            Some(label) => type_name(label),
            None => variant_name(&v.ty),
        };
        v.rust = unique(&mut taken, name, "");
    }
}

/// A union variant's name, after the type it holds.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Option(inner) => format!("Nullable{}", variant_name(inner)),
    }
}

/// The method, its arguments, and the items of one operation. `methods` and `items` are the
/// names already taken in the client's `impl` and at its root.
fn name_operation(
    op: &mut Operation,
    methods: &mut BTreeSet<String>,
    items: &mut BTreeSet<String>,
) {
    op.rust = unique(methods, field_name(&op.id), "_");
    let pascal = type_name(&op.rust);
    op.items.error = unique(items, format!("{pascal}Error"), "");
    op.items.params = unique(items, format!("{pascal}Params"), "");
    op.items.success = unique(items, format!("{pascal}Success"), "");
    op.items.mock = unique(items, format!("{pascal}Mock"), "");
    // Required parameters are the method's arguments; optional ones are fields of its
    // parameters struct.
    let (mut locals, mut fields) = (reserved(METHOD_LOCALS), BTreeSet::new());
    for p in &mut op.params {
        let taken = if p.required { &mut locals } else { &mut fields };
        p.rust = unique(taken, field_name(&p.wire), "_");
    }
    let mut setters = reserved(NOT_SETTERS);
    for p in op.params.iter_mut().filter(|p| !p.required) {
        p.setter = setter(&mut setters, &p.rust);
    }
    op.items.body_arg = unique(&mut locals, "body".to_owned(), "_");
    op.items.params_arg = unique(&mut locals, "params".to_owned(), "_");
    op.items.body = unique(items, format!("{pascal}Body"), "");
    if let Some(body) = &mut op.body {
        name_body(body);
        let multipart = body
            .media
            .iter_mut()
            .filter(|m| matches!(m.kind, BodyKind::Multipart(_)));
        for (i, media) in multipart.enumerate() {
            let name = match (&media.label, i) {
                (Some(label), _) => format!("{pascal}Multipart{}", type_name(label)),
                (None, 0) => format!("{pascal}Multipart"),
                (None, _) => format!("{pascal}Multipart{}", media.variant),
            };
            media.parts = unique(items, name, "");
        }
    }
    let (mut successes, mut errors) = (BTreeSet::new(), BTreeSet::new());
    for r in &mut op.responses {
        let taken = if r.is_success() {
            &mut successes
        } else {
            &mut errors
        };
        r.variant = unique(taken, status_name(r.status), "");
        for stream in r.streams_mut() {
            if let StreamItem::Events(events) = &mut stream.item {
                name_events(events, &pascal, items);
            }
        }
    }
}

/// The enum of a stream's named events, `<Op>Event`, and its variants, after the events' names.
fn name_events(events: &mut Events, pascal: &str, items: &mut BTreeSet<String>) {
    events.name = unique(items, format!("{pascal}Event"), "");
    let mut taken = BTreeSet::new();
    for v in &mut events.variants {
        let label = v
            .names
            .first()
            .or(v.label.as_ref())
            .map_or(DEFAULT_EVENT_VARIANT, String::as_str);
        v.rust = unique(&mut taken, type_name(label), "");
    }
    events.other = unique(&mut taken, "Other".to_owned(), "");
}

/// The variants of a body's media types, and the fields of its multipart parts.
fn name_body(body: &mut Body) {
    let mut variants = BTreeSet::new();
    for media in &mut body.media {
        let label = media.label.as_deref().map(type_name).unwrap_or_default();
        let name = format!("{}{label}", media_variant(&media.media_type));
        media.variant = unique(&mut variants, name, "");
        if let BodyKind::Multipart(fields) = &mut media.kind {
            let mut taken = BTreeSet::new();
            for f in fields.iter_mut() {
                f.rust = unique(&mut taken, field_name(&f.wire), "_");
            }
            let mut setters = reserved(NOT_SETTERS);
            for f in fields {
                f.setter = setter(&mut setters, &f.rust);
            }
        }
    }
}

/// A body enum's variant for a media type: `Json`, `Form`, `Multipart`, `Text`, `Binary`, or
/// the media type's own name (`MergePatchJson`, `Xml`, `Png`).
fn media_variant(media_type: &str) -> String {
    let base = media_type.split(';').next().unwrap_or(media_type).trim();
    match base.to_ascii_lowercase().as_str() {
        "application/json" => "Json".to_owned(),
        "application/x-www-form-urlencoded" => "Form".to_owned(),
        "multipart/form-data" => "Multipart".to_owned(),
        "text/plain" => "Text".to_owned(),
        "application/octet-stream" => "Binary".to_owned(),
        other => type_name(other.rsplit('/').next().unwrap_or(other)),
    }
}

/// The builder's setters: one per variable of the first server, one per security scheme.
fn name_settings(api: &mut Api) {
    let mut setters = reserved(BUILDER_METHODS);
    for (i, server) in api.servers.iter_mut().enumerate() {
        let mut own = BTreeSet::new();
        let taken = if i == 0 { &mut setters } else { &mut own };
        for v in &mut server.variables {
            v.rust = qualified(taken, field_name(&v.name), "variable");
        }
    }
    for s in &mut api.security {
        let base = match &s.kind {
            crate::ir::SecurityKind::Bearer => format!("{}_token", s.scheme),
            _ => s.scheme.clone(),
        };
        let mut rust = field_name(&base);
        if rust.ends_with("_auth_token") {
            rust = rust.replace("_auth_token", "_token");
        }
        s.rust = qualified(&mut setters, rust, "key");
        if s.kind == crate::ir::SecurityKind::Bearer {
            let source = format!("{}_source", s.rust.trim_end_matches('_'));
            s.tokens_rust = qualified(&mut setters, source, "key");
        }
    }
}

/// `name`, else `name_<qualifier>` when `name` is taken, else the first free numbered one.
fn qualified(taken: &mut BTreeSet<String>, name: String, qualifier: &str) -> String {
    let name = if taken.contains(&name) {
        format!("{}_{qualifier}", name.trim_end_matches('_'))
    } else {
        name
    };
    unique(taken, name, "_")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{BUILDER_METHODS, CLIENT_ITEMS, CLIENT_METHODS, METHOD_LOCALS, RUNTIME_REEXPORTS};

    /// An operation with every kind of argument, under a server variable and a credential of
    /// each kind, so that the client prints everything it can.
    const SPEC: &str = r"
openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://{region}.example.com', variables: {region: {default: eu}}}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
security: [{key: []}, {bearer: []}, {basic: []}]
paths:
  /a/{id}:
    post:
      operationId: op
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
";

    fn names_in(items: &[syn::Item], out: &mut BTreeSet<String>) {
        for item in items {
            let name = match item {
                syn::Item::Struct(i) => i.ident.to_string(),
                syn::Item::Enum(i) => i.ident.to_string(),
                syn::Item::Const(i) => i.ident.to_string(),
                syn::Item::Type(i) => i.ident.to_string(),
                syn::Item::Trait(i) => i.ident.to_string(),
                syn::Item::Fn(i) => i.sig.ident.to_string(),
                syn::Item::Mod(i) => i.ident.to_string(),
                syn::Item::Use(u) => {
                    use_names(&u.tree, out);
                    continue;
                }
                _ => continue,
            };
            out.insert(name);
        }
    }

    fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(p) => use_names(&p.tree, out),
            syn::UseTree::Name(n) => drop(out.insert(n.ident.to_string())),
            syn::UseTree::Rename(r) => drop(out.insert(r.rename.to_string())),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
            syn::UseTree::Glob(_) => {}
        }
    }

    /// The methods of the `impl` blocks of `ty` (inherent ones only).
    fn methods_of(items: &[syn::Item], ty: &str) -> BTreeSet<String> {
        let inherent = items.iter().filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() => Some(i),
            _ => None,
        });
        inherent
            .filter(|i| matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident(ty)))
            .flat_map(|i| &i.items)
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Reserved methods that derives and trait impls give, not inherent ones.
    const FROM_TRAITS: &[&str] = &["clone", "clone_from", "fmt", "to_owned", "default"];

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    /// The names the naming pass keeps from the spec are the ones the client prints: every
    /// name of the client's root, of `Client` and of `ClientBuilder` that is not the spec's is
    /// reserved, and every local its methods bind before the arguments are read is too.
    #[test]
    fn the_reserved_names_are_the_ones_the_client_prints() {
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), SPEC.to_owned()).unwrap();
        let api = crate::lower::lower(&spec, "t", "t.yaml", true).unwrap();
        let files = crate::Config::new().emit(&api).unwrap();
        let text = &files[std::path::Path::new("t-client/src/lib.rs")];
        let file = syn::parse_file(text).unwrap();
        let op = &api.operations[0];

        let mut root = BTreeSet::new();
        names_in(&file.items, &mut root);
        let own = [&op.items.error, &op.items.params, &op.items.body];
        own.iter().for_each(|n| assert!(root.remove(*n), "{n}"));
        let reserved = &set(CLIENT_ITEMS) | &set(RUNTIME_REEXPORTS);
        assert_eq!(root, reserved, "the client's root names");

        let mut client = methods_of(&file.items, "Client");
        [&op.rust, &op.items.with]
            .iter()
            .for_each(|n| assert!(client.remove(*n), "{n}"));
        let unreserved = &client - &set(CLIENT_METHODS);
        assert!(unreserved.is_empty(), "not reserved: {unreserved:?}");

        let mut builder = methods_of(&file.items, "ClientBuilder");
        let variables = api.servers[0].variables.iter().map(|v| &v.rust);
        let credentials = api.security.iter().flat_map(|s| [&s.rust, &s.tokens_rust]);
        for setting in variables.chain(credentials).filter(|n| !n.is_empty()) {
            assert!(builder.remove(setting), "{setting}");
        }
        let mut printed = &set(BUILDER_METHODS) - &set(FROM_TRAITS);
        // Only an API that sends read-only fields has the setting.
        if !api.sends_read_only() {
            printed.remove("send_read_only");
        }
        assert_eq!(builder, printed, "ClientBuilder's own methods");

        // Arguments are read after the request is begun: its local must not shadow one.
        let locals = ["let mut request", "let raw"];
        for (local, reserved) in locals.iter().zip(METHOD_LOCALS) {
            assert!(text.contains(local) && local.ends_with(reserved), "{local}");
        }
    }
}
