//! The generator's own model of an API. Lowering fills it from `openapiv3`; emitters read only
//! this. Every collection that reaches output is ordered (`BTreeMap` or a `Vec` in spec order).

use std::collections::BTreeMap;

/// One API: everything the emitters need to write its crates.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's file stem in kebab case, e.g. `ambassador`; crates are `<name>-models`.
    pub name: String,
    /// The spec path as shown in generated headers, e.g. `specs/ambassador.yaml`.
    pub source: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Named types by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    pub operations: Vec<Operation>,
    /// Every example found in the spec, with the type it must decode into.
    pub examples: Vec<Example>,
    /// The spec's servers, in order; the first is the client's default.
    pub servers: Vec<Server>,
    /// The security schemes a client can be configured with, sorted by scheme name.
    pub security: Vec<Security>,
    /// What lowering left out or weakened (empty when strict).
    pub warnings: Vec<crate::error::Error>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    pub name: String,
    /// The builder setter's name.
    pub rust: String,
    pub default: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Security {
    /// The scheme's key under `components/securitySchemes`.
    pub scheme: String,
    /// The builder setter's name.
    pub rust: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// An API key in the named header.
    ApiKeyHeader(String),
    /// An API key in the named query parameter.
    ApiKeyQuery(String),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// The JSON pointer of the schema the type comes from.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; values outside the list decode into a catch-all variant.
    StringEnum(Vec<EnumVariant<String>>),
    /// An integer enum; values outside the list decode into a catch-all variant.
    IntEnum(Vec<EnumVariant<i64>>),
    Union(Union),
    /// A named alias of another type, e.g. a component schema that is an array.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub extra: Extra,
}

/// What an object does with properties it does not declare.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Extra {
    /// `additionalProperties` absent: unknown properties are ignored.
    Ignore,
    /// `additionalProperties: false`: unknown properties are an error.
    Deny,
    /// `additionalProperties: true` or a schema: unknown properties are kept in a map.
    Keep(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The Rust identifier (without `r#`).
    pub rust: String,
    /// The property name on the wire.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    /// Set by the recursion pass when the field must be boxed to give the type a finite size.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant<V> {
    pub rust: String,
    pub value: V,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property whose value picks the variant, when the spec gives a discriminator.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
    pub boxed: bool,
}

/// A reference to a type, as it appears in a field or a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// RFC 3339 date-time, keeping its offset.
    DateTime,
    /// RFC 3339 full-date.
    Date,
    /// Any JSON value.
    Json,
    Named(String),
    Vec(Box<TypeRef>),
    /// A JSON object used as a map from property name to value.
    Map(Box<TypeRef>),
    /// A nullable value where nullability is not carried by a field (array items, map values).
    Option(Box<TypeRef>),
}

/// An HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// snake_case method name.
    pub rust: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The spec's tags, in order; the first picks the cargo feature of large APIs.
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub rust: String,
    pub wire: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `"200"`, `"4XX"` or `"default"`.
    pub status: String,
    pub description: String,
    /// The JSON body's type, `None` when the response has no body.
    pub ty: Option<TypeRef>,
}

/// An example value from the spec and the type it must round-trip through.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// A unique snake_case name, used for the generated test.
    pub name: String,
    pub pointer: String,
    pub ty: TypeRef,
    pub value: serde_json::Value,
}
