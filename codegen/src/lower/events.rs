//! What tells the events an API sends apart on the wire (a one-value property of their
//! payloads, a discriminator's mapping, a documented header), decided once for the client's
//! `webhooks` module, the public surface and what `generate` says.

use crate::docs::code;
use crate::ir::{Api, BodyKind, Operation, ParamLocation, TypeKind, TypeRef};

/// What tells one event apart on the wire: a value at a top-level property of its body or in a
/// header.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tag {
    Field { wire: String, value: String },
    Header { name: String, value: String },
}

impl Tag {
    pub(crate) fn key(&self) -> (&str, &str) {
        match self {
            Tag::Field { wire, .. } => ("field", wire),
            Tag::Header { name, .. } => ("header", name),
        }
    }

    pub(crate) fn value(&self) -> &str {
        match self {
            Tag::Field { value, .. } | Tag::Header { value, .. } => value,
        }
    }

    /// How the docs say it: ``the `type` property is `pet.created` ``.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tag::Field { wire, value } => {
                format!("the property {} is {}", code(wire), code(value))
            }
            Tag::Header { name, value } => format!("the header {} is {}", code(name), code(value)),
        }
    }
}

impl std::fmt::Display for Tag {
    /// `type = pet.created` for a property, `header x-event = ping`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tag::Field { wire, value } => write!(f, "{wire} = {value}"),
            Tag::Header { name, value } => write!(f, "header {name} = {value}"),
        }
    }
}

/// The tag of each event, in order, when every one has a tag no other event shares (a property
/// or header all events have with a distinct value each first, else the first of each event's
/// own that is unique); `None` when two or more events cannot be told apart. One event needs no
/// tag.
pub fn event_tags(api: &Api) -> Option<Vec<Option<Tag>>> {
    let candidates: Vec<Vec<Tag>> = api.webhooks.iter().map(|op| candidates(api, op)).collect();
    if candidates.len() == 1 {
        return Some(vec![candidates[0].first().cloned()]);
    }
    if let Some(tags) = shared_key(&candidates) {
        return Some(tags.into_iter().map(Some).collect());
    }
    let unique = |tag: &&Tag| candidates.iter().flatten().filter(|t| t == tag).count() == 1;
    candidates
        .iter()
        .map(|own| own.iter().find(unique).cloned().map(Some))
        .collect()
}

/// The tags of a key every event has, when their values differ.
fn shared_key(candidates: &[Vec<Tag>]) -> Option<Vec<Tag>> {
    let first = candidates.first()?;
    first.iter().find_map(|tag| {
        let tags: Vec<Tag> = candidates
            .iter()
            .map(|own| own.iter().find(|t| t.key() == tag.key()).cloned())
            .collect::<Option<_>>()?;
        let mut values: Vec<&str> = tags.iter().map(Tag::value).collect();
        values.sort_unstable();
        values.dedup();
        (values.len() == tags.len()).then_some(tags)
    })
}

/// What could tell event `op` apart: a required header with one allowed value, then each
/// required property of its JSON payload with one value (a one-value enum, `const`), then the
/// discriminator value of a union that has the payload's type as a variant.
fn candidates(api: &Api, op: &Operation) -> Vec<Tag> {
    let headers = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header && p.required);
    let mut out: Vec<Tag> = headers
        .filter_map(|p| {
            let value = crate::lower::fixed::one_value(api, &p.ty)?.value;
            Some(Tag::Header {
                name: p.wire.to_ascii_lowercase(),
                value,
            })
        })
        .collect();
    let Some(TypeRef::Named(name)) = payload(op).map(|ty| api.unalias(ty)) else {
        return out;
    };
    if let Some(TypeKind::Struct(s)) = api.types.get(name).map(|d| &d.kind) {
        let fixed = s.fields.iter().filter(|f| f.required);
        out.extend(fixed.filter_map(|f| {
            let value = f.fixed.as_ref()?.value.clone();
            Some(Tag::Field {
                wire: f.wire.clone(),
                value,
            })
        }));
    }
    for tag in discriminated(api, name) {
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// The discriminator values unions give type `name`.
fn discriminated(api: &Api, name: &str) -> Vec<Tag> {
    let unions = api.types.values().filter_map(|d| match &d.kind {
        TypeKind::Union(u) => Some(u),
        _ => None,
    });
    unions
        .filter_map(|u| {
            let wire = u.discriminator.as_ref()?;
            let variant = u
                .variants
                .iter()
                .find(|v| matches!(&v.ty, TypeRef::Named(n) if n == name))?;
            let value = variant.tags.first()?;
            Some(Tag::Field {
                wire: wire.clone(),
                value: value.clone(),
            })
        })
        .collect()
}

/// The JSON type of an event's payload, when it has one.
pub(crate) fn payload(op: &Operation) -> Option<&TypeRef> {
    op.body.as_ref()?.media.iter().find_map(|m| match &m.kind {
        BodyKind::Json(ty) => Some(ty),
        _ => None,
    })
}

/// A part of a callback's URL expression (OpenAPI's runtime expressions between literal text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlPart {
    Text(String),
    Url,
    Method,
    StatusCode,
    RequestPath(String),
    RequestQuery(String),
    RequestHeader(String),
    RequestBody(String),
    ResponseHeader(String),
    ResponseBody(String),
}

/// The parts of a callback's key: `{$…}` runtime expressions between literal text; a `{…}`
/// that is no runtime expression stays text.
pub fn url_parts(key: &str) -> Vec<UrlPart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = key;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        match expression(inner) {
            Some(part) => {
                if !text.is_empty() {
                    parts.push(UrlPart::Text(std::mem::take(&mut text)));
                }
                parts.push(part);
            }
            None => text.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(UrlPart::Text(text));
    }
    parts
}

/// One runtime expression, `$request.body#/url` and the like.
fn expression(text: &str) -> Option<UrlPart> {
    match text {
        "$url" => return Some(UrlPart::Url),
        "$method" => return Some(UrlPart::Method),
        "$statusCode" => return Some(UrlPart::StatusCode),
        _ => {}
    }
    let (request, source) = match text.strip_prefix("$request.") {
        Some(source) => (true, source),
        None => (false, text.strip_prefix("$response.")?),
    };
    if let Some(pointer) = source.strip_prefix("body") {
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer).to_owned();
        return Some(if request {
            UrlPart::RequestBody(pointer)
        } else {
            UrlPart::ResponseBody(pointer)
        });
    }
    let (place, name) = source.split_once('.')?;
    let name = name.to_owned();
    match (request, place) {
        (_, "header") if !request => Some(UrlPart::ResponseHeader(name)),
        (true, "header") => Some(UrlPart::RequestHeader(name)),
        (true, "query") => Some(UrlPart::RequestQuery(name)),
        (true, "path") => Some(UrlPart::RequestPath(name)),
        _ => None,
    }
}

/// How many events an API sends, and whether the wire tells them apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub webhooks: usize,
    pub callbacks: usize,
    /// Whether `Event::receive` picks the event: one event, or a tag of its own for each.
    pub told_apart: bool,
}

/// The events of `api`, counted.
pub fn counts(api: &Api) -> Counts {
    let callbacks = api.webhooks.iter().filter(|h| h.callback.is_some()).count();
    Counts {
        webhooks: api.webhooks.len() - callbacks,
        callbacks,
        told_apart: !api.webhooks.is_empty() && event_tags(api).is_some(),
    }
}

/// What an event's payload is read as.
pub enum Payload {
    None,
    Json(TypeRef),
    Text,
    /// Bytes: a binary body, or a form or multipart one, kept as sent.
    Bytes,
}

impl Payload {
    /// The payload of event `op`: its JSON type where it has one, else its first media type's.
    pub fn of(op: &Operation) -> Payload {
        let Some(body) = &op.body else {
            return Payload::None;
        };
        if let Some(ty) = payload(op) {
            return Payload::Json(ty.clone());
        }
        match body.media.first().map(|m| &m.kind) {
            Some(BodyKind::Text) => Payload::Text,
            None => Payload::None,
            Some(_) => Payload::Bytes,
        }
    }
}

/// What `generate` says of the events: how many, and what tells them apart.
pub fn summary(api: &Api) -> Option<String> {
    if api.webhooks.is_empty() {
        return None;
    }
    let c = counts(api);
    let count = format!(
        "events: {} ({} webhooks, {} callbacks)",
        api.webhooks.len(),
        c.webhooks,
        c.callbacks
    );
    let how = match event_tags(api) {
        None => {
            "nothing on the wire tells them apart: each is decoded by its own function".to_owned()
        }
        Some(tags) if tags.iter().all(Option::is_none) => {
            "one event, decoded whatever the request holds".to_owned()
        }
        Some(tags) => {
            let mut by: std::collections::BTreeMap<String, usize> = Default::default();
            for tag in tags.iter().flatten() {
                let (place, name) = tag.key();
                *by.entry(format!("{place} `{name}`")).or_default() += 1;
            }
            let by: Vec<String> = by.into_iter().map(|(k, n)| format!("{k} ({n})")).collect();
            format!("told apart by {}", by.join(", "))
        }
    };
    Some(format!("{count}: {how}{}", signing_proposal(api)))
}

/// What `generate` proposes when no signing scheme is configured: the one a documented
/// signature header suggests (`webhook-signature`: Standard Webhooks; another: HMAC).
fn signing_proposal(api: &Api) -> String {
    if api.signing.is_some() {
        return String::new();
    }
    let headers = api.webhooks.iter().flat_map(|op| &op.params);
    let mut signature = headers
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| p.wire.as_str())
        .filter(|name| name.to_ascii_lowercase().contains("signature"));
    let proposal = match signature.next() {
        Some(name) if name.eq_ignore_ascii_case("webhook-signature") => {
            " (the spec documents `webhook-signature`: scheme = \"standard-webhooks\")".to_owned()
        }
        Some(name) => {
            format!(" (the spec documents `{name}`: scheme = \"hmac\", header = {name:?})")
        }
        None => String::new(),
    };
    format!(
        "\n  no signing scheme is configured: `webhooks::verifier` is not generated; set one in [api.webhooks]{proposal}, or build a `Verifier`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(spec: &str) -> Api {
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), spec.to_owned()).unwrap();
        crate::lower::lower(&spec, "t", "t.yaml", true).unwrap()
    }

    fn hook(name: &str, ty: &str, header: &str) -> String {
        format!(
            "  {name}:\n    post:\n      parameters: [{{name: {header}, in: header, required: true, schema: {{type: string}}}}]\n      requestBody: {{content: {{application/json: {{schema: {{type: object, required: [type], properties: {{type: {{const: {ty}}}}}}}}}}}}}\n      responses: {{'200': {{description: ok}}}}\n"
        )
    }

    #[test]
    fn a_callback_key_is_text_and_runtime_expressions() {
        use UrlPart::*;
        assert_eq!(
            url_parts("{$request.body#/callbackUrl}"),
            [RequestBody("/callbackUrl".into())]
        );
        assert_eq!(
            url_parts(
                "https://x/{$request.query.queryUrl}/{$response.header.Location}?m={$method}"
            ),
            [
                Text("https://x/".into()),
                RequestQuery("queryUrl".into()),
                Text("/".into()),
                ResponseHeader("Location".into()),
                Text("?m=".into()),
                Method
            ]
        );
        assert_eq!(url_parts("https://x/{id}"), [Text("https://x/{id}".into())]);
        assert_eq!(url_parts("{$request.body}"), [RequestBody(String::new())]);
    }

    const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nwebhooks:\n";

    /// A property every event has, with a value of each one's, tells them apart; `generate`
    /// says so and proposes the scheme a documented signature header suggests.
    #[test]
    fn a_shared_property_tells_events_apart_and_a_signature_header_suggests_a_scheme() {
        let text = format!(
            "{HEAD}{}{}",
            hook("a", "x.a", "webhook-signature"),
            hook("b", "x.b", "webhook-signature")
        );
        let api = lowered(&text);
        let tags = event_tags(&api).unwrap();
        let values: Vec<String> = tags.iter().flatten().map(ToString::to_string).collect();
        assert_eq!(values, ["type = x.a", "type = x.b"]);
        let said = summary(&api).unwrap();
        assert!(
            said.starts_with("events: 2 (2 webhooks, 0 callbacks): told apart by field `type` (2)"),
            "{said}"
        );
        assert!(said.contains("scheme = \"standard-webhooks\""), "{said}");
        let text = format!(
            "{HEAD}{}{}",
            hook("a", "x.a", "X-Sig-Signature"),
            hook("b", "x.a", "X-Sig-Signature")
        );
        let api = lowered(&text);
        assert_eq!(event_tags(&api), None);
        let said = summary(&api).unwrap();
        assert!(
            said.contains("each is decoded by its own function"),
            "{said}"
        );
        assert!(
            said.contains("scheme = \"hmac\", header = \"X-Sig-Signature\""),
            "{said}"
        );
    }
}
