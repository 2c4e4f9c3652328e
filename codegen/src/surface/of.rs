//! The surfaces of an API's two crates, read off the IR with the names and the decisions the
//! emitters use (which fields the constructor takes, which successes are an enum...).

use std::collections::BTreeSet;

use super::{Attr, Entry, Flag, Kind, Mark, Surface, quoted};
use crate::ir::{
    Access, Api, Body, BodyKind, Content, Direction, Events, Extra, Field, Operation, PageNext,
    Pagination, Param, ParamLocation, ParamStyle, PartKind, Response, SecurityKind, StreamFormat,
    StreamItem, StyleKind, TypeDef, TypeKind, TypeRef, UNKNOWN_VARIANT,
};
use crate::plan::shape::{Presence, derives_default, presence, split_params, streaming_twin};
use crate::plan::{Plan, UNREFERENCED};

/// A type as the crates write it, without paths: `Vec<Pet>`, `DateTime<FixedOffset>`.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::DateTime => "DateTime<FixedOffset>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner)),
    }
}

fn entry(ty: Option<String>, value: Option<String>, flags: Vec<Flag>) -> Entry {
    Entry { ty, value, flags }
}

fn direction_flags(d: Direction) -> Vec<Flag> {
    let mut flags = Vec::new();
    if d.sent {
        flags.push(Flag::Is(Mark::Sent));
    }
    if d.received {
        flags.push(Flag::Is(Mark::Received));
    }
    flags
}

/// The models crate's surface: its types, with their fields, values and variants.
pub fn models_surface(api: &Api, plan: Option<&Plan>) -> Surface {
    let mut s = Surface::default();
    features(&mut s, plan, false);
    for def in api.types.values() {
        let mut flags = direction_flags(def.direction);
        if let Some(features) = plan.and_then(|p| p.types.get(&def.name)) {
            let list: Vec<&str> = features.iter().map(String::as_str).collect();
            flags.push(Flag::Has(Attr::Features, quoted(&list.join(", "))));
        }
        type_entries(&mut s, def, flags);
    }
    s
}

fn type_entries(s: &mut Surface, def: &TypeDef, mut flags: Vec<Flag>) {
    let name = &def.name;
    match &def.kind {
        TypeKind::Struct(st) => {
            if derives_default(st, def.direction.sent) {
                flags.push(Flag::Is(Mark::Default));
            }
            if st.extra == Extra::Deny {
                flags.push(Flag::Is(Mark::Closed));
            }
            s.add(Kind::Struct, name, entry(None, None, flags));
            for f in &st.fields {
                s.add(Kind::Field, format!("{name}.{}", f.rust), field(f));
            }
            if let Extra::Keep(ty) = &st.extra {
                let ty = type_text(&TypeRef::Map(Box::new(ty.clone())));
                let key = format!("{name}.{}", st.extra_field);
                s.add(
                    Kind::Field,
                    key,
                    entry(Some(ty), None, vec![Flag::Is(Mark::Extra)]),
                );
            }
        }
        TypeKind::StringEnum(values) => {
            flags.insert(0, Flag::Is(Mark::String));
            s.add(Kind::Enum, name, entry(None, None, flags));
            for v in values {
                let key = format!("{name}::{}", v.rust);
                s.add(
                    Kind::Value,
                    key,
                    entry(None, Some(quoted(&v.value)), vec![]),
                );
            }
        }
        TypeKind::IntEnum(values) => {
            flags.insert(0, Flag::Is(Mark::Integer));
            s.add(Kind::Enum, name, entry(None, None, flags));
            for v in values {
                let key = format!("{name}::{}", v.rust);
                s.add(
                    Kind::Value,
                    key,
                    entry(None, Some(v.value.to_string()), vec![]),
                );
            }
        }
        TypeKind::Union(u) => {
            if let Some(tag) = &u.discriminator {
                flags.push(Flag::Has(Attr::Tag, quoted(tag)));
            }
            s.add(Kind::Union, name, entry(None, None, flags));
            for v in &u.variants {
                let tags = v.tags.iter().map(|t| Flag::Selector(quoted(t))).collect();
                let ty = Some(type_text(&v.ty));
                s.add(
                    Kind::Variant,
                    format!("{name}::{}", v.rust),
                    entry(ty, None, tags),
                );
            }
            s.add(
                Kind::Variant,
                format!("{name}::{UNKNOWN_VARIANT}"),
                entry(
                    Some(type_text(&TypeRef::Json)),
                    None,
                    vec![Flag::Is(Mark::Unknown)],
                ),
            );
        }
        TypeKind::Alias(ty) => s.add(Kind::Alias, name, entry(Some(type_text(ty)), None, flags)),
        TypeKind::Newtype(ty) => {
            s.add(Kind::Newtype, name, entry(Some(type_text(ty)), None, flags))
        }
    }
}

fn field(f: &Field) -> Entry {
    let mut ty = type_text(&f.ty);
    if f.boxed {
        ty = format!("Box<{ty}>");
    }
    let presence = presence(f);
    let ty = match presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional | Presence::OptionalJson => {
            format!("Option<{ty}>")
        }
        Presence::OptionalNullable => format!("Option<Option<{ty}>>"),
    };
    let mut flags = vec![Flag::Is(Mark::required(f.required))];
    if f.nullable {
        flags.push(Flag::Is(Mark::Nullable));
    }
    if f.rust != f.wire {
        flags.push(Flag::Has(Attr::Wire, quoted(&f.wire)));
    }
    if f.tolerated {
        flags.push(Flag::Is(Mark::Tolerated));
    }
    match f.access {
        Access::ReadOnly => flags.push(Flag::Is(Mark::ReadOnly)),
        Access::WriteOnly => flags.push(Flag::Is(Mark::WriteOnly)),
        Access::ReadWrite => {}
    }
    if f.asked {
        flags.push(Flag::Is(Mark::Asked));
    }
    // A required field whose value the schema fixes is not an argument of `new`.
    if let (Some(fixed), true) = (&f.fixed, f.required) {
        flags.push(Flag::Has(Attr::Fixed, quoted(&fixed.value)));
    }
    entry(Some(ty), None, flags)
}

fn features(s: &mut Surface, plan: Option<&Plan>, client: bool) {
    let Some(plan) = plan else {
        return;
    };
    let mut all: Vec<&str> = plan.features.iter().map(String::as_str).collect();
    all.push(UNREFERENCED);
    s.add(
        Kind::Feature,
        "default",
        entry(None, Some(quoted("full")), vec![]),
    );
    s.add(
        Kind::Feature,
        "full",
        entry(None, Some(quoted(&all.join(", "))), vec![]),
    );
    for f in all {
        let flags = if client {
            vec![Flag::Is(Mark::Models)]
        } else {
            vec![]
        };
        // A feature that enables its child tags' features says which.
        let enables = plan.children.get(f).map(|c| quoted(&c.join(", ")));
        s.add(Kind::Feature, f, entry(None, enables, flags));
    }
}

/// The client crate's surface: its settings, operations, parameters, bodies and answers.
pub fn client_surface(api: &Api, plan: Option<&Plan>) -> Surface {
    let mut s = Surface::default();
    // The runtime's types are the client's (`Response`, `Error`): a change of them is one of
    // the client's.
    let runtime = crate::ir::runtime_version().to_owned();
    s.add(
        Kind::Runtime,
        "client-runtime",
        entry(None, Some(runtime), vec![]),
    );
    features(&mut s, plan, true);
    let mock = quoted("client-runtime/mock");
    s.add(Kind::Feature, "mock", entry(None, Some(mock), vec![]));
    for feature in crate::ir::RUNTIME_FEATURES {
        let passed = quoted(&format!("client-runtime/{feature}"));
        s.add(Kind::Feature, feature, entry(None, Some(passed), vec![]));
    }
    if let Some(first) = api.servers.first() {
        s.add(
            Kind::Const,
            "DEFAULT_BASE_URL",
            entry(None, Some(quoted(&first.default_url())), vec![]),
        );
        if !first.variables.is_empty() {
            s.add(
                Kind::Const,
                "BASE_URL_TEMPLATE",
                entry(None, Some(quoted(&first.url)), vec![]),
            );
        }
        for v in &first.variables {
            s.add(
                Kind::Variable,
                &v.rust,
                entry(None, Some(quoted(&v.default)), vec![]),
            );
        }
    }
    for server in &api.servers {
        s.add(Kind::Server, &server.url, Entry::default());
    }
    for c in &api.security {
        let kind = match &c.kind {
            SecurityKind::Bearer => "bearer".to_owned(),
            SecurityKind::Basic => "basic".to_owned(),
            SecurityKind::ApiKeyHeader(h) => format!("header({h})"),
            SecurityKind::ApiKeyQuery(q) => format!("query({q})"),
            SecurityKind::ApiKeyCookie(c) => format!("cookie({c})"),
        };
        let flags = vec![Flag::Has(Attr::Scheme, quoted(&c.scheme))];
        s.add(Kind::Credential, &c.rust, entry(Some(kind), None, flags));
    }
    for (i, op) in api.operations.iter().enumerate() {
        let feature = plan.map(|p| p.operation[i].as_str());
        operation(&mut s, op, feature);
        if let Some(twin) = streaming_twin(op) {
            operation(&mut s, &twin, feature);
        }
    }
    webhooks(&mut s, api);
    s
}

/// A line per event the API sends: its function, payload type, request line, variant and tag.
fn webhooks(s: &mut Surface, api: &Api) {
    use crate::lower::events::Payload;
    if !api.webhooks.is_empty() {
        let passed = quoted("client-runtime/axum");
        s.add(Kind::Feature, "axum", entry(None, Some(passed), vec![]));
    }
    if let Some(signing) = &api.signing {
        let said = quoted(&signing.describe());
        s.add(Kind::Signing, "verifier", entry(None, Some(said), vec![]));
    }
    let tags = crate::lower::events::event_tags(api);
    for (i, op) in api.webhooks.iter().enumerate() {
        let line = match &op.callback {
            Some((operation, name)) => {
                format!("{} {name} of {operation} to {}", op.method, op.path)
            }
            None => format!("{} {}", op.method, op.path),
        };
        let mut flags = vec![Flag::Has(Attr::Variant, op.items.event.clone())];
        let tag = tags.as_ref().and_then(|t| t[i].as_ref());
        if let Some(tag) = tag {
            flags.push(Flag::Has(Attr::Tag, quoted(&tag.to_string())));
        }
        let ty = match crate::lower::events::Payload::of(op) {
            Payload::None => "()".to_owned(),
            Payload::Json(ty) => type_text(&ty),
            Payload::Text => "String".to_owned(),
            Payload::Bytes => "Bytes".to_owned(),
        };
        s.add(
            Kind::Webhook,
            &op.rust,
            entry(Some(ty), Some(quoted(&line)), flags),
        );
    }
}

fn operation(s: &mut Surface, op: &Operation, feature: Option<&str>) {
    let name = &op.rust;
    let line = format!("{} {}", op.method, op.path);
    let mut flags = Vec::new();
    if let Some(f) = feature {
        flags.push(Flag::Has(Attr::Feature, f.to_owned()));
    }
    s.add(
        Kind::Operation,
        name,
        entry(None, Some(quoted(&line)), flags),
    );
    let (required, optional) = split_params(op);
    for (i, p) in required.iter().enumerate() {
        let mut flags = vec![Flag::Position(i + 1)];
        flags.extend(param_flags(p));
        let key = format!("{name}.{}", p.rust);
        s.add(
            Kind::Argument,
            key,
            entry(Some(type_text(&p.ty)), None, flags),
        );
    }
    for p in optional {
        let key = format!("{name}.{}", p.rust);
        let ty = Some(format!("Option<{}>", type_text(&p.ty)));
        s.add(Kind::Parameter, key, entry(ty, None, param_flags(p)));
    }
    if let Some(body) = &op.body {
        body_entries(s, op, body);
    }
    answers(s, op);
    let security = match &op.security {
        None => "any configured".to_owned(),
        Some(alternatives) if alternatives.is_empty() => "none".to_owned(),
        Some(alternatives) => alternatives
            .iter()
            .map(|all| match all.as_slice() {
                [] => "none".to_owned(),
                _ => all.join(" & "),
            })
            .collect::<Vec<_>>()
            .join(" | "),
    };
    s.add(
        Kind::Security,
        name,
        entry(None, Some(quoted(&security)), vec![]),
    );
    if let Some(p) = &op.pagination {
        let ty = Some(type_text(&p.item));
        let names = &op.items;
        let walks = format!(
            "{}: {}, {}: {}",
            names.pages, names.pages_type, names.each, names.items_type
        );
        let flags = vec![Flag::Has(Attr::Walks, quoted(&walks))];
        s.add(
            Kind::Pagination,
            name,
            entry(ty, Some(quoted(&paging_text(p))), flags),
        );
    }
}

/// How a list pages, in words: `last-item; starting_after <- last item.id; items body.data;
/// while body.has_more`.
fn paging_text(p: &Pagination) -> String {
    let body = |path: &[String]| {
        let mut text = "body".to_owned();
        for name in path {
            text.push('.');
            text.push_str(name);
        }
        text
    };
    let next = match &p.next {
        PageNext::Field(path) => body(path),
        PageNext::LastItem(field) => format!("last item.{field}"),
        PageNext::LinkHeader => "header Link rel=next".to_owned(),
        PageNext::PageCount(None) => "page + 1".to_owned(),
        PageNext::PageCount(Some(count)) => format!("page + 1 up to {}", body(count)),
        PageNext::Total(None) => "offset + items".to_owned(),
        PageNext::Total(Some(total)) => format!("offset + items up to {}", body(total)),
    };
    let param = p.param.as_deref().unwrap_or("url");
    let mut text = format!(
        "{}; {param} <- {next}; items {}",
        p.style.word(),
        body(&p.items)
    );
    if let Some(more) = &p.more {
        text.push_str(&format!("; while {}", body(more)));
    }
    if p.by != "detected" {
        text.push_str(&format!("; by {}", p.by));
    }
    text
}

fn param_flags(p: &Param) -> Vec<Flag> {
    let place = match p.location {
        ParamLocation::Path => Attr::Path,
        ParamLocation::Query => Attr::Query,
        ParamLocation::Header => Attr::Header,
        ParamLocation::Cookie => Attr::Cookie,
    };
    let mut flags = vec![Flag::Has(place, quoted(&p.wire))];
    if p.style != ParamStyle::default_for(p.location) {
        flags.push(Flag::Has(Attr::Style, style_text(&p.style)));
    }
    flags
}

fn style_text(style: &ParamStyle) -> String {
    let kind = match style.kind {
        StyleKind::Simple => "simple",
        StyleKind::Label => "label",
        StyleKind::Matrix => "matrix",
        StyleKind::Form => "form",
        StyleKind::SpaceDelimited => "spaceDelimited",
        StyleKind::PipeDelimited => "pipeDelimited",
        StyleKind::DeepObject => "deepObject",
        StyleKind::Json => "json",
    };
    let explode = if style.explode { " exploded" } else { "" };
    let reserved = if style.allow_reserved {
        " reserved"
    } else {
        ""
    };
    format!("{kind}{explode}{reserved}")
}

fn body_entries(s: &mut Surface, op: &Operation, body: &Body) {
    let name = &op.rust;
    let required = Flag::Is(Mark::required(body.required));
    let ty = Some(op.items.body.clone());
    s.add(Kind::Body, name, entry(ty, None, vec![required]));
    let mut converted = BTreeSet::new();
    for m in &body.media {
        let ty = match &m.kind {
            BodyKind::Json(t) => type_text(t),
            BodyKind::Form { ty, .. } => type_text(ty),
            BodyKind::Text => "String".to_owned(),
            BodyKind::Binary => "Upload".to_owned(),
            BodyKind::Multipart(_) => m.parts.clone(),
        };
        let mut flags = vec![Flag::Is(kind_mark(&m.kind))];
        if converted.insert(ty.clone()) {
            flags.push(Flag::Is(Mark::Into));
        }
        let key = format!("{name}.{}", m.variant);
        s.add(
            Kind::Media,
            key,
            entry(Some(ty.clone()), Some(quoted(&m.media_type)), flags),
        );
        if let BodyKind::Multipart(fields) = &m.kind {
            for f in fields {
                let part = match &f.part {
                    PartKind::File => "Upload".to_owned(),
                    PartKind::Files => "Vec<Upload>".to_owned(),
                    PartKind::Value(t) => type_text(t),
                };
                let part = if f.required || f.part == PartKind::Files {
                    part
                } else {
                    format!("Option<{part}>")
                };
                let mut flags = vec![Flag::Is(Mark::required(f.required))];
                if f.rust != f.wire {
                    flags.push(Flag::Has(Attr::Wire, quoted(&f.wire)));
                }
                if let Some(ct) = &f.content_type {
                    flags.push(Flag::Has(Attr::ContentType, quoted(ct)));
                }
                let key = format!("{ty}.{}", f.rust);
                s.add(Kind::Field, key, entry(Some(part), None, flags));
            }
        }
    }
}

fn kind_mark(kind: &BodyKind) -> Mark {
    match kind {
        BodyKind::Json(_) => Mark::Json,
        BodyKind::Text => Mark::Text,
        BodyKind::Binary => Mark::Binary,
        BodyKind::Form { .. } => Mark::Form,
        BodyKind::Multipart(_) => Mark::Multipart,
    }
}

fn content_text(content: &Option<Content>) -> (String, Mark) {
    match content {
        None => ("()".to_owned(), Mark::Empty),
        Some(Content::Json(t)) => (type_text(t), Mark::Json),
        Some(Content::JsonOrText(t)) => (format!("JsonOrText<{}>", type_text(t)), Mark::JsonOrText),
        Some(Content::JsonOrBinary(t)) => (
            format!("JsonOrBinary<{}>", type_text(t)),
            Mark::JsonOrBinary,
        ),
        Some(Content::Text) => ("String".to_owned(), Mark::Text),
        Some(Content::Binary) => ("Download".to_owned(), Mark::Binary),
        Some(Content::Stream(stream)) => {
            let mark = match stream.format {
                StreamFormat::Sse => Mark::Sse,
                StreamFormat::JsonLines => Mark::JsonLines,
                StreamFormat::JsonSeq => Mark::JsonSeq,
            };
            let item = match &stream.item {
                StreamItem::Json(t) | StreamItem::Text(t) => type_text(t),
                StreamItem::Events(events) => events.name.clone(),
            };
            (format!("{}<{item}>", stream.format.rust_type()), mark)
        }
    }
}

/// The enum of a stream's named events, as a union received whose variants the events' names
/// select: the fallback variant marked `default`, the one of undocumented events `unknown`.
fn events_entries(s: &mut Surface, events: &Events) {
    let flags = vec![
        Flag::Is(Mark::Received),
        Flag::Has(Attr::Tag, quoted("event")),
    ];
    s.add(Kind::Union, &events.name, entry(None, None, flags));
    for (i, v) in events.variants.iter().enumerate() {
        let mut flags = vec![Flag::Is(if v.json { Mark::Json } else { Mark::Text })];
        flags.extend(v.names.iter().map(|n| Flag::Selector(quoted(n))));
        if events.fallback == Some(i) {
            flags.push(Flag::Is(Mark::Default));
        }
        let key = format!("{}::{}", events.name, v.rust);
        s.add(
            Kind::Variant,
            key,
            entry(Some(type_text(&v.data)), None, flags),
        );
    }
    if events.fallback.is_none() {
        let key = format!("{}::{}", events.name, events.other);
        let flags = vec![Flag::Is(Mark::Unknown)];
        s.add(
            Kind::Variant,
            key,
            entry(Some("String".to_owned()), None, flags),
        );
    }
}

fn answers(s: &mut Surface, op: &Operation) {
    let name = &op.rust;
    let enumerated = op.has_success_enum();
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.is_success()).collect();
    let returns = if enumerated {
        op.items.success.clone()
    } else {
        successes
            .first()
            .map_or_else(|| "()".to_owned(), |r| content_text(&r.content).0)
    };
    s.add(Kind::Returns, name, entry(Some(returns), None, vec![]));
    for r in &op.responses {
        let (ty, how) = content_text(&r.content);
        let mut flags = vec![Flag::Is(how)];
        if enumerated || !r.is_success() {
            flags.push(Flag::Has(Attr::Variant, r.variant.clone()));
        }
        let kind = if r.is_success() {
            Kind::Success
        } else {
            Kind::Error
        };
        s.add(
            kind,
            format!("{name}.{}", r.status),
            entry(Some(ty), None, flags),
        );
        for stream in r.streams() {
            if let StreamItem::Events(events) = &stream.item {
                events_entries(s, events);
            }
        }
    }
}
