//! Request and response bodies of every media type: JSON (and `+json`), forms, multipart,
//! text and binary. Every media type is one of these kinds, so no operation is left out for
//! its body.

use indexmap::IndexMap;
use openapiv3::{Encoding, MediaType, QueryStyle, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use super::Lowerer;
use super::schema::{SchemaRef, wrap_nullable};
use crate::error::{Error, escape_token};
use crate::ir::{
    BodyKind, BodyMedia, Content, EventVariant, Events, Example, MultipartField, ParamStyle,
    PartKind, Stream, StreamFormat, StreamItem, StyleKind, TypeRef,
};
use crate::load::{EVENTS, TEXT_DATA};
use crate::naming::type_name;

/// The media type without parameters, in lower case.
fn base(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or(media_type)
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type carries JSON: `application/json`, any `+json`, or `*/*`.
pub(crate) fn is_json(media_type: &str) -> bool {
    let base = base(media_type);
    base == "application/json" || base.ends_with("+json") || base == "*/*"
}

/// Whether a media type carries text a caller reads as a string.
fn is_text(media_type: &str) -> bool {
    let base = base(media_type);
    base.starts_with("text/") || base.ends_with("/xml") || base.ends_with("+xml")
}

/// The style of a form field from its `encoding`: form, exploded, unless it says otherwise.
pub(crate) fn query_style(style: Option<&QueryStyle>, explode: Option<bool>) -> ParamStyle {
    let kind = match style {
        None | Some(QueryStyle::Form) => StyleKind::Form,
        Some(QueryStyle::SpaceDelimited) => StyleKind::SpaceDelimited,
        Some(QueryStyle::PipeDelimited) => StyleKind::PipeDelimited,
        Some(QueryStyle::DeepObject) => StyleKind::DeepObject,
    };
    ParamStyle {
        kind,
        explode: explode.unwrap_or(kind == StyleKind::Form || kind == StyleKind::DeepObject),
        allow_reserved: false,
    }
}

impl<'a> Lowerer<'a> {
    /// Whether a schema is a binary string (`format: binary`), through references.
    fn is_binary(&self, schema: SchemaRef<'a>) -> bool {
        self.string_format(schema).as_deref() == Some("binary")
    }

    /// A list of binary strings.
    fn is_binary_list(&self, schema: SchemaRef<'a>) -> bool {
        match self.array_items(schema) {
            Some(items) => self.is_binary(items),
            None => false,
        }
    }

    /// One media type of a request body: one variant of the body, or one per member of a union
    /// of multipart parts.
    pub(crate) fn body_media(
        &mut self,
        media_type: &str,
        m: &'a MediaType,
        hint: &str,
        ptr: &str,
    ) -> Result<Vec<BodyMedia>, Error> {
        let base = base(media_type);
        let schema = m.schema.as_ref().map(SchemaRef::from);
        let one = |kind: BodyKind, label: Option<String>| BodyMedia {
            media_type: media_type.to_owned(),
            kind,
            variant: String::new(),
            parts: String::new(),
            label,
        };
        let kind = if base.starts_with("multipart/") {
            return self
                .multipart_media(schema, &m.encoding, hint, ptr)
                .map(|variants| {
                    variants
                        .into_iter()
                        .map(|(label, fields)| one(BodyKind::Multipart(fields), label))
                        .collect()
                });
        } else if is_form(&base) {
            BodyKind::Form {
                ty: self.media_schema(m, &format!("{hint}Form"), ptr)?,
                styles: form_styles(&m.encoding),
            }
        } else if schema.is_some_and(|s| self.is_binary(s)) {
            BodyKind::Binary
        } else if is_json(media_type) {
            BodyKind::Json(self.media_schema(m, &format!("{hint}Request"), ptr)?)
        } else if is_text(media_type) {
            BodyKind::Text
        } else {
            BodyKind::Binary
        };
        Ok(vec![one(kind, None)])
    }

    /// The parts of a multipart body: of its object schema; of each member of a union, the
    /// caller picking one (labelled by the member); or one file, `file`, for a schema that is a
    /// binary string.
    fn multipart_media(
        &mut self,
        schema: Option<SchemaRef<'a>>,
        encoding: &IndexMap<String, Encoding>,
        hint: &str,
        ptr: &str,
    ) -> Result<Vec<Parts>, Error> {
        let at = format!("{ptr}/schema");
        if let Some(s) = schema.filter(|s| self.is_binary(*s)) {
            let file = MultipartField {
                wire: "file".to_owned(),
                rust: String::new(),
                setter: String::new(),
                doc: self.peek_description(s),
                required: true,
                part: PartKind::File,
                content_type: encoding.get("file").and_then(|e| e.content_type.clone()),
            };
            return Ok(vec![(None, vec![file])]);
        }
        let Some(members) = schema.and_then(|s| self.union_members(s)) else {
            return Ok(vec![(None, self.multipart(schema, encoding, hint, &at)?)]);
        };
        let mut variants = Vec::with_capacity(members.len());
        for (i, (member, key)) in members.into_iter().enumerate() {
            let member_ptr = format!("{at}/{key}/{i}");
            let label = self
                .schema_label(member)
                .unwrap_or_else(|| format!("{}", i + 1));
            let fields = self.multipart(
                Some(member),
                encoding,
                &format!("{hint}{label}"),
                &member_ptr,
            )?;
            variants.push((Some(label), fields));
        }
        Ok(variants)
    }
    /// The type of a media type's schema, nullable where it says so; any JSON without one.
    pub(crate) fn media_schema(
        &mut self,
        m: &'a MediaType,
        hint: &str,
        ptr: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match &m.schema {
            None => TypeRef::Json,
            Some(s) => {
                let (ty, nullable) =
                    self.type_of(SchemaRef::from(s), hint, &format!("{ptr}/schema"))?;
                wrap_nullable(ty, nullable)
            }
        })
    }

    /// The parts of a multipart body: one per property of its object schema (at `ptr`).
    fn multipart(
        &mut self,
        schema: Option<SchemaRef<'a>>,
        encoding: &IndexMap<String, Encoding>,
        hint: &str,
        ptr: &str,
    ) -> Result<Vec<MultipartField>, Error> {
        let Some(schema) = schema else {
            return Ok(Vec::new());
        };
        let (properties, required) = self.properties_of(schema, ptr)?;
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, prop, prop_ptr) in properties {
            let part = if self.is_binary(prop) {
                PartKind::File
            } else if self.is_binary_list(prop) {
                PartKind::Files
            } else {
                let part_hint = format!("{hint}Multipart{}", type_name(wire));
                let (ty, nullable) = self.type_of(prop, &part_hint, &prop_ptr)?;
                PartKind::Value(wrap_nullable(ty, nullable))
            };
            fields.push(MultipartField {
                wire: wire.to_owned(),
                rust: String::new(),
                setter: String::new(),
                doc: match prop {
                    SchemaRef::Item(s) => super::schema::description(s),
                    SchemaRef::Ref(_) => None,
                },
                required: required.contains(&wire),
                part,
                content_type: encoding.get(wire).and_then(|e| e.content_type.clone()),
            });
        }
        Ok(fields)
    }

    /// A response's body from the media types it offers, and the stream it offers beside it:
    /// JSON where it offers JSON (its examples recorded under `label`), told apart from text or
    /// bytes by the server's `Content-Type` where it offers those too; else text; else bytes.
    /// A stream (server-sent events, JSON Lines, JSON text sequences) offered alone is the body.
    pub(crate) fn response_content(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        (hint, label): (&str, &str),
        ptr: &str,
        examples: &mut Vec<Example>,
    ) -> Result<(Option<Content>, Option<Stream>), Error> {
        let at = |media: &str| format!("{ptr}/content/{}", escape_token(media));
        let kinds: Vec<(&String, &'a MediaType, Answer)> = content
            .iter()
            .map(|(k, m)| (k, m, self.answer_kind(k, m)))
            .collect();
        let stream = match kinds.iter().find(|(_, _, k)| *k == Answer::Stream) {
            Some((media, m, _)) => Some(self.stream(media, m, hint, &at(media))?),
            None => None,
        };
        let has = |kind: Answer| kinds.iter().any(|(_, _, k)| *k == kind);
        let plain = if let Some((media, m, _)) = kinds.iter().find(|(_, _, k)| *k == Answer::Json) {
            let ty = self.media_schema(m, hint, &at(media))?;
            self.examples(m, &ty, label, &at(media), examples)?;
            Some(if has(Answer::Binary) {
                Content::JsonOrBinary(ty)
            } else if has(Answer::Text) || content.keys().any(|k| base(k) == "*/*") {
                // `*/*` may be anything: JSON when the server says so, text otherwise.
                Content::JsonOrText(ty)
            } else {
                Content::Json(ty)
            })
        } else if has(Answer::Binary) {
            Some(Content::Binary)
        } else {
            has(Answer::Text).then_some(Content::Text)
        };
        Ok(match (plain, stream) {
            (None, Some(stream)) => (Some(Content::Stream(stream)), None),
            both => both,
        })
    }

    /// A stream's items: the schema under its media type is one item's (the data of one event),
    /// the way vendors' specs mean it; server-sent events without a schema are text, and so is
    /// data the schema says is a string.
    fn stream(
        &mut self,
        media_type: &str,
        m: &'a MediaType,
        hint: &str,
        ptr: &str,
    ) -> Result<Stream, Error> {
        let format = StreamFormat::of(media_type).expect("a stream's media type");
        let item = match (&m.schema, format, m.extensions.get(EVENTS)) {
            (None, StreamFormat::Sse, _) => StreamItem::Text(TypeRef::String),
            (Some(ReferenceOr::Item(schema)), StreamFormat::Sse, Some(events)) => {
                StreamItem::Events(self.events(schema, events, hint, ptr)?)
            }
            (_, StreamFormat::Sse, _) => {
                let ty = self.media_schema(m, &format!("{hint}Item"), ptr)?;
                if m.extensions.contains_key(TEXT_DATA) || ty == TypeRef::String {
                    StreamItem::Text(ty)
                } else {
                    StreamItem::Json(ty)
                }
            }
            _ => StreamItem::Json(self.media_schema(m, &format!("{hint}Item"), ptr)?),
        };
        let sentinel = m.extensions.get("x-speakeasy-sse-sentinel");
        Ok(Stream {
            format,
            item,
            media_type: media_type.to_owned(),
            sentinel: sentinel.and_then(|s| s.as_str()).map(str::to_owned),
        })
    }

    /// Events told apart by name, as the loader wrote them: the data of each in the `oneOf` of
    /// `schema`, their names and kinds in the `x-codegen-events` extension.
    fn events(
        &mut self,
        schema: &'a Schema,
        events: &Value,
        hint: &str,
        ptr: &str,
    ) -> Result<Events, Error> {
        let SchemaKind::OneOf { one_of } = &schema.schema_kind else {
            unreachable!("the loader writes the data of named events as a `oneOf`")
        };
        let listed = events["variants"].as_array().into_iter().flatten();
        let mut variants = Vec::new();
        for (i, (data, spec)) in one_of.iter().zip(listed).enumerate() {
            let names: Vec<String> = spec["names"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            let label = spec["label"].as_str().map(str::to_owned);
            let label_hint = names.first().map_or("Default", String::as_str);
            let data_hint = format!("{hint}{}Event", type_name(label_hint));
            let data_ptr = format!("{ptr}/schema/oneOf/{i}");
            let (ty, nullable) = self.type_of(SchemaRef::from(data), &data_hint, &data_ptr)?;
            variants.push(EventVariant {
                names,
                rust: String::new(),
                data: wrap_nullable(ty, nullable),
                json: spec["json"].as_bool().unwrap_or(true),
                doc: spec["description"].as_str().map(crate::docs::prose),
                label,
            });
        }
        let fallback = events["fallback"].as_u64().map(|i| i as usize);
        Ok(Events {
            name: String::new(),
            variants,
            fallback,
            other: String::new(),
        })
    }

    /// What one media type of an answer carries.
    fn answer_kind(&self, media_type: &str, m: &'a MediaType) -> Answer {
        let binary = m
            .schema
            .as_ref()
            .is_some_and(|s| self.is_binary(SchemaRef::from(s)));
        if is_stream(media_type) {
            Answer::Stream
        } else if is_json(media_type) && !binary {
            Answer::Json
        } else if is_text(media_type) && !binary {
            Answer::Text
        } else {
            Answer::Binary
        }
    }
}

/// The parts of one multipart variant, with what names it among several.
type Parts = (Option<String>, Vec<MultipartField>);

/// What one media type of an answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Json,
    Text,
    Binary,
    /// Items sent one after another: server-sent events, JSON Lines, JSON text sequences.
    Stream,
}

/// Whether a media type is a stream of items.
fn is_stream(media_type: &str) -> bool {
    StreamFormat::of(media_type).is_some()
}

/// Whether a media type is a form (`application/x-www-form-urlencoded`).
pub(crate) fn is_form(media_type: &str) -> bool {
    base(media_type) == "application/x-www-form-urlencoded"
}

/// The styles the `encoding` of a form body gives its fields.
pub(crate) fn form_styles(encoding: &IndexMap<String, Encoding>) -> Vec<(String, ParamStyle)> {
    encoding
        .iter()
        .filter(|(_, e)| e.style.is_some() || e.allow_reserved)
        .map(|(name, e)| {
            // `openapiv3` reads an absent `explode` as `false`, where OpenAPI means `true` for
            // `form`: `form` fields are exploded, as they are by default.
            let explode = e.explode || matches!(e.style, None | Some(QueryStyle::Form));
            let mut style = query_style(e.style.as_ref(), Some(explode));
            style.allow_reserved = e.allow_reserved;
            (name.clone(), style)
        })
        .collect()
}

/// A schema's string format, for binary detection.
pub(crate) fn format_of(s: &Schema) -> Option<String> {
    match &s.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(t)) => match &t.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => {
                Some("binary".to_owned())
            }
            openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
            _ => None,
        },
        openapiv3::SchemaKind::Any(a) if a.typ.as_deref() != Some("object") => a.format.clone(),
        _ => None,
    }
}
