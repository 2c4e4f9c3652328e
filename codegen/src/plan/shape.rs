//! What a field, a struct or an operation looks like in Rust, decided from the IR once, for the
//! emitters that print it and the surface that records it. Questions lowering asks too
//! (`Operation::has_success_enum`, `Api::sends_read_only`) are the IR's own methods: `lower`
//! does not ask `plan`.

use crate::ir::{
    Api, BodyKind, Content, Field, Operation, Param, ParamLocation, PartKind, Struct, TypeKind,
    TypeRef,
};

/// How a field is present on the wire, which decides its Rust type and serde attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`.
    Required,
    /// `Option<T>`, always sent, `null` as `None`.
    RequiredNullable,
    /// `Option<T>`, left out when `None`.
    Optional,
    /// `Option<Option<T>>`: absent, `null`, or a value.
    OptionalNullable,
    /// `Option<serde_json::Value>`: absent, or any value, `null` included (`Some(Value::Null)`).
    OptionalJson,
}

pub fn presence(f: &Field) -> Presence {
    // Any JSON value includes `null`: the value itself says it.
    let json = f.ty == TypeRef::Json && !f.boxed;
    match (f.required, f.nullable) {
        (true, _) if json => Presence::Required,
        (false, _) if json => Presence::OptionalJson,
        (true, false) => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, false) => Presence::Optional,
        (false, true) => Presence::OptionalNullable,
    }
}

/// Whether a struct derives `Default`: only what the client sends and only where every field may
/// be absent, so that it cannot hide a required field (or one the constructor asks for), and a
/// received type's new required field (which clients survive) takes nothing away.
pub fn derives_default(s: &Struct, sent: bool) -> bool {
    sent && s
        .fields
        .iter()
        .all(|f| !f.asked && (!f.required || f.nullable))
}

/// Required parameters in spec order (path first), and the optional ones.
pub fn split_params(op: &Operation) -> (Vec<&Param>, Vec<&Param>) {
    let path = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path);
    let other = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && p.required);
    let optional = op.params.iter().filter(|p| !p.required).collect();
    (path.chain(other).collect(), optional)
}

/// The operation as its streaming method sees it, when a success offers a stream beside its
/// other content (JSON, say): that answer is the stream, the other successes are left to the
/// plain method, and the names are the streaming method's (`<op>_stream`).
pub fn streaming_twin(op: &Operation) -> Option<Operation> {
    let status = op
        .responses
        .iter()
        .find(|r| r.is_success() && r.stream.is_some())?
        .status;
    let mut twin = op.clone();
    twin.rust.clone_from(&op.items.stream);
    twin.items.with.clone_from(&op.items.stream_with);
    // A stream is not a page.
    twin.pagination = None;
    twin.responses
        .retain(|r| !r.is_success() || r.status == status);
    for r in &mut twin.responses {
        let stream = r.stream.take();
        if let Some(stream) = stream.filter(|_| r.status == status) {
            r.media_types = vec![stream.media_type.clone()];
            r.content = Some(Content::Stream(stream));
        }
    }
    Some(twin)
}

/// The wire name of the body's boolean property that asks for a stream (`stream`), when the
/// body has one: a JSON or form body's property, or a multipart body's part.
pub fn stream_flag<'a>(api: &'a Api, op: &'a Operation) -> Option<&'a str> {
    let flags = |wire: &str, ty: &TypeRef| {
        let ty = match api.unalias(ty) {
            TypeRef::Option(inner) => api.unalias(inner),
            ty => ty,
        };
        wire == "stream" && *ty == TypeRef::Bool
    };
    op.body.as_ref()?.media.iter().find_map(|m| match &m.kind {
        BodyKind::Json(TypeRef::Named(n))
        | BodyKind::Form {
            ty: TypeRef::Named(n),
            ..
        } => match &api.types.get(n)?.kind {
            TypeKind::Struct(s) => s.fields.iter().find(|f| flags(&f.wire, &f.ty)),
            _ => None,
        }
        .map(|f| f.wire.as_str()),
        BodyKind::Multipart(parts) => parts
            .iter()
            .find(|p| matches!(&p.part, PartKind::Value(ty) if flags(&p.wire, ty)))
            .map(|p| p.wire.as_str()),
        _ => None,
    })
}
