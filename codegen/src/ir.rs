//! The generator's own model of an API. Lowering fills it from `openapiv3`; emitters read only
//! this. Every collection that reaches output is ordered (`BTreeMap` or a `Vec` in spec order).

use crate::error::escape_token;
use std::collections::BTreeMap;

/// One API: everything the emitters need to write its crates.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's file stem in kebab case, e.g. `ambassador`; crates are `<name>-models`.
    pub name: String,
    /// The spec path as shown in generated headers, e.g. `specs/ambassador/openapi.yaml`.
    pub source: String,
    /// The files the spec was read from, as the loader was given them: the entry, then each
    /// file its references name. Every one is an input of the generated crates.
    pub inputs: Vec<std::path::PathBuf>,
    pub title: String,
    pub version: String,
    /// OpenAPI 3.1's one-line `info.summary`.
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The API's license: an SPDX identifier (3.1) or the license's name.
    pub license: Option<String>,
    /// The crates generated from the API, named once for every file that mentions them.
    pub crates: Crates,
    /// Named types by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    pub operations: Vec<Operation>,
    /// Requests the API sends: webhooks (3.1 `webhooks`, 3.0 `x-webhooks`) and callbacks
    /// ([`Operation::callback`]). Only their types reach the crates.
    pub webhooks: Vec<Operation>,
    /// Every example found in the spec, with the type it must decode into.
    pub examples: Vec<Example>,
    /// The spec's servers, in order; the first is the client's default.
    pub servers: Vec<Server>,
    /// Each tag's parent (OpenAPI 3.2's `parent`), by the tag's name.
    pub tag_parents: BTreeMap<String, String>,
    /// The security schemes a client can be configured with, sorted by scheme name.
    pub security: Vec<Security>,
    /// What lowering left out or weakened, and where reading the spec lost meaning.
    pub warnings: Vec<crate::error::Error>,
    /// How many constructs lenient lowering left out or weakened, by what it cost.
    pub degradations: Degradations,
    /// How many required fields of answers the tolerant pass let be absent.
    pub tolerated: usize,
    /// Operations that take a parameter lists page by but were not found to page, with why.
    pub unpaged: Vec<(String, String)>,
    /// What `readOnly` and `writeOnly` mark in the spec, as the access pass found it.
    pub access: AccessCounts,
    /// A bound on how many types deep a value nests ([`crate::graph::TypeGraph::depth_bound`]),
    /// which sizes the crates' `recursion_limit`.
    pub type_depth: usize,
    /// The commands that generate and check the crates, as generated files name them.
    pub commands: Commands,
    /// What the user adds to or changes in types, by type name (`Config::type_override`).
    pub overrides: BTreeMap<String, TypeOverride>,
    /// Dependencies the user gives the models crates, by crate, as a manifest writes them
    /// (`Config::models_dependency`): the crates of the types that replace generated ones.
    pub dependencies: BTreeMap<String, String>,
    /// The tag features a split API's crates turn on by default, when not all
    /// (`Config::default_features`).
    pub default_features: Option<Vec<String>>,
    /// How the API signs the requests it sends, as the configuration says (a spec never does):
    /// the `webhooks::verifier` preset (`Config::webhook_signing`).
    pub signing: Option<Signing>,
}

/// How an API signs its webhooks and callbacks: a scheme and the tolerance of its timestamps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signing {
    pub scheme: SigningScheme,
    /// Seconds a timestamp may be from now; the runtime's default (300) when `None`.
    pub tolerance: Option<u64>,
}

/// The schemes of [`Signing`]; one per API, so its size does not matter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[allow(clippy::large_enum_variant)]
pub enum SigningScheme {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    #[default]
    StandardWebhooks,
    Hmac(HmacSigning),
}

/// An HMAC scheme as `client_runtime::webhook::HmacScheme` builds it; unset parts keep its
/// defaults (the body, SHA-256, hex, no prefix).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HmacSigning {
    /// The header of the signature.
    pub header: String,
    /// What comes before each signature (`sha256=`).
    pub prefix: Option<String>,
    /// The keys of the timestamp and of each signature in a header of `key=value` pairs.
    pub pairs: Option<(String, String)>,
    /// What is signed: a template of `{body}`, `{timestamp}`, `{url}`, `{id}`.
    pub signed: Option<String>,
    /// `hex` or `base64`.
    pub encoding: Option<String>,
    /// `sha256` or `sha512`.
    pub algorithm: Option<String>,
    pub timestamp_header: Option<String>,
    pub id_header: Option<String>,
}

impl Signing {
    /// The scheme in words, as the public surface records it: `standard-webhooks`, or `hmac`
    /// with its parts; the tolerance after.
    pub fn describe(&self) -> String {
        let mut out = match &self.scheme {
            SigningScheme::StandardWebhooks => "standard-webhooks".to_owned(),
            SigningScheme::Hmac(h) => {
                let mut parts = vec![format!("hmac {}", h.header)];
                let named = [
                    ("prefix", h.prefix.clone()),
                    ("pairs", h.pairs.as_ref().map(|(t, s)| format!("{t},{s}"))),
                    ("signed", h.signed.clone()),
                    ("encoding", h.encoding.clone()),
                    ("algorithm", h.algorithm.clone()),
                    ("timestamp-header", h.timestamp_header.clone()),
                    ("id-header", h.id_header.clone()),
                ];
                for (name, value) in named {
                    parts.extend(value.map(|v| format!("{name} {v}")));
                }
                parts.join(", ")
            }
        };
        if let Some(seconds) = self.tolerance {
            out.push_str(&format!("; tolerance {seconds} s"));
        }
        out
    }

    /// Whether the runtime can build this scheme: known words, a template of known names that
    /// signs the body and has a source for what it names, a header to read.
    pub fn check(&self) -> Result<(), String> {
        let SigningScheme::Hmac(h) = &self.scheme else {
            return Ok(());
        };
        if h.header.trim().is_empty() {
            return Err("an hmac scheme needs the header of its signature".to_owned());
        }
        if h.prefix.is_some() && h.pairs.is_some() {
            return Err("an hmac scheme has a prefix or pairs, not both".to_owned());
        }
        let word = |value: &Option<String>, words: [&str; 2], what: &str| match value {
            Some(v) if !words.contains(&v.as_str()) => Err(format!(
                "the {what} {v:?} is neither {:?} nor {:?}",
                words[0], words[1]
            )),
            _ => Ok(()),
        };
        word(&h.encoding, ["hex", "base64"], "encoding")?;
        word(&h.algorithm, ["sha256", "sha512"], "algorithm")?;
        let Some(template) = &h.signed else {
            return Ok(());
        };
        let names: Vec<&str> = template
            .split('{')
            .skip(1)
            .map(|rest| rest.split('}').next().unwrap_or(rest))
            .collect();
        if let Some(other) = names
            .iter()
            .find(|n| !["body", "timestamp", "url", "id"].contains(n))
        {
            return Err(format!(
                "the template {template:?} names {{{other}}}: it may name {{body}}, {{timestamp}}, {{url}} and {{id}}"
            ));
        }
        let has = |name: &str| names.contains(&name);
        if !has("body") {
            return Err(format!(
                "the template {template:?} does not sign the {{body}}"
            ));
        }
        if has("timestamp") && h.pairs.is_none() && h.timestamp_header.is_none() {
            return Err(format!(
                "the template {template:?} signs the {{timestamp}}, which neither pairs nor a timestamp header give"
            ));
        }
        if has("id") && h.id_header.is_none() {
            return Err(format!(
                "the template {template:?} signs the {{id}}, which no id header gives"
            ));
        }
        Ok(())
    }
}

/// What the user adds to or changes in one generated type, chosen by the spec's key for it
/// (a component's key, or the JSON pointer of an inline schema), never by a generated name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeOverride {
    /// Derives beside the generator's (`Hash`, `schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Outer attributes, each as written (`#[serde(deny_unknown_fields)]`).
    pub attributes: Vec<String>,
    /// Outer attributes of fields, by the property's name in the spec.
    pub fields: BTreeMap<String, Vec<String>>,
    /// A type of another crate used instead (`money::Money`): the generated type is an alias
    /// of it, so everything that refers to the schema uses it.
    pub replace_with: Option<String>,
}

/// The commands that generate and check crates, named in their headers, READMEs and changelogs:
/// this repository's xtask by default, `openapi-crates` for the tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commands {
    pub generate: String,
    pub check: String,
}

impl Default for Commands {
    fn default() -> Self {
        Commands {
            generate: "cargo xtask generate".to_owned(),
            check: "cargo xtask check".to_owned(),
        }
    }
}

/// Tallies of what lenient lowering gave up, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Degradations {
    /// Schemas typed as a JSON value because they could not be expressed.
    pub json_values: usize,
    /// Operations left out of the client (one per path item for a path item left out).
    pub operations_left_out: usize,
    /// Media types of request bodies left out, their operations kept.
    pub media_left_out: usize,
    /// Other constructs left out (a mutual TLS scheme, properties added by `then`).
    pub other: usize,
}

/// The package and library names of an API's crates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Crates {
    /// `<api>-models`.
    pub models: String,
    /// `<api>-client`.
    pub client: String,
}

impl Crates {
    /// The crates of the API named `api` (kebab case).
    pub fn of(api: &str) -> Crates {
        Crates {
            models: format!("{api}-models"),
            client: format!("{api}-client"),
        }
    }

    /// The models crate as Rust code names it (`<api>_models`).
    pub fn models_lib(&self) -> String {
        self.models.replace('-', "_")
    }

    /// The client crate as Rust code names it (`<api>_client`).
    pub fn client_lib(&self) -> String {
        self.client.replace('-', "_")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// The URL with each variable's default in its place.
    pub fn default_url(&self) -> String {
        self.variables.iter().fold(self.url.clone(), |url, v| {
            url.replace(&format!("{{{}}}", v.name), &v.default)
        })
    }
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
    /// The setter of a token source, for schemes whose tokens change (OAuth 2, OpenID Connect,
    /// HTTP bearer).
    pub tokens_rust: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// HTTP basic: a username and a password.
    Basic,
    /// An API key in the named header.
    ApiKeyHeader(String),
    /// An API key in the named query parameter.
    ApiKeyQuery(String),
    /// An API key in the named cookie.
    ApiKeyCookie(String),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// The JSON pointer of the schema the type comes from.
    pub origin: String,
    /// Where that schema lives in the spec's files, `<file>#<pointer>` ([`crate::pins::Place`]),
    /// the file empty for the entry; set when type names settle.
    pub place: String,
    /// The schema's `title`.
    pub title: Option<String>,
    /// The wire name of the property or parameter an inline schema stands under directly.
    pub role: Option<String>,
    pub kind: TypeKind,
    /// Which way the type travels, through every operation that reaches it.
    pub direction: Direction,
    /// The type this one is the input twin of (`lower/access.rs`): the same schema as
    /// requests send it.
    pub twin_of: Option<String>,
}

/// Which way a type travels: in requests the client sends (parameters, bodies), in answers it
/// receives (responses, webhook payloads), both, or neither (a schema nothing uses).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Direction {
    pub sent: bool,
    pub received: bool,
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
    /// A struct that wraps one value, for a schema that holds itself through a list or a map
    /// (`type A = Vec<A>` is not a Rust type; `struct A(Vec<A>)` is).
    Newtype(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub extra: Extra,
    /// The name of the field that keeps extra properties, when `extra` keeps them.
    pub extra_field: String,
}

/// What an object does with properties it does not declare.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Extra {
    /// `additionalProperties: false`: unknown properties are an error.
    Deny,
    /// `additionalProperties` absent, `true` or a schema: unknown properties are kept in a map.
    Keep(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The Rust identifier (without `r#`).
    pub rust: String,
    /// The method that sets the field on a type the client sends.
    pub setter: String,
    /// The property name on the wire.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    /// Set by the recursion pass when the field must be boxed to give the type a finite size.
    pub boxed: bool,
    /// Set by the tolerant pass: the spec marks the field required, and it may be absent.
    pub tolerated: bool,
    /// Set by the fixed pass when the field's type allows one value (a one-value enum, 3.1's
    /// `const`) and it is not nullable: that value, which constructors fill in.
    pub fixed: Option<Fixed>,
    /// Which way the property travels: `readOnly` (answers only) or `writeOnly` (requests only).
    pub access: Access,
    /// Set by the access pass: the spec requires the property in requests, which the type's
    /// constructor asks for, though answers leave it out (a required `writeOnly` property of
    /// a type that travels both ways, an `Option` in the struct).
    pub asked: bool,
}

/// The properties `readOnly` and `writeOnly` mark, and the request bodies that, read without
/// them, would require what the server owns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccessCounts {
    pub read_only: usize,
    pub write_only: usize,
    /// Read-only properties that the spec marks required.
    pub required_read_only: usize,
    /// Operations whose request body holds, at any depth, a required read-only property.
    pub bodies: usize,
    /// Types given an input twin.
    pub twins: usize,
}

/// Which way a property travels, as its schema's `readOnly` and `writeOnly` say (on the
/// property, on the schema it references, or on a member of its `allOf`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Access {
    /// Both ways.
    #[default]
    ReadWrite,
    /// `readOnly`: the server owns it; answers hold it, requests leave it out.
    ReadOnly,
    /// `writeOnly`: only clients send it (a password); answers leave it out.
    WriteOnly,
}

/// The one value a field can hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fixed {
    /// The enum variant that holds it.
    pub variant: String,
    /// The value on the wire.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant<V> {
    pub rust: String,
    /// What the variant is named after: the value, or the spec's `x-enum-varnames` entry.
    pub label: String,
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
    /// What an inline member is (`Empty`, `Object`, its title), which names its variant; `None`
    /// for a referenced schema or a type of its own, named after the type.
    pub label: Option<String>,
    pub ty: TypeRef,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
    pub boxed: bool,
}

/// The version a crate gets when it is first generated.
pub const FIRST_VERSION: &str = "0.1.0";

/// The manifest of the runtime crate client crates are built on, as the generator's package
/// keeps it (`codegen/runtime/`, a copy of `runtime/Cargo.toml`).
pub const RUNTIME_MANIFEST: &str = include_str!("../runtime/manifest.toml");

/// The version of the runtime crate client crates are built on, as its manifest says.
pub fn runtime_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let doc: Option<toml_edit::DocumentMut> = RUNTIME_MANIFEST.parse().ok();
        let version = doc
            .as_ref()
            .and_then(|d| d.get("package")?.get("version")?.as_str());
        version.unwrap_or_default().to_owned()
    })
}

/// What a client crate re-exports from `client-runtime` at its root: every runtime type its
/// public signatures name, so that callers name them through the crate they depend on.
pub const RUNTIME_REEXPORTS: &[&str] = &[
    "Attempt",
    "Auth",
    "BoxError",
    "BoxFuture",
    "BuildError",
    "Bytes",
    "CallOptions",
    "DecodeError",
    "Download",
    "Error",
    "Event",
    "EventStream",
    "Items",
    "ItemsAt",
    "JsonLines",
    "JsonOrBinary",
    "JsonOrText",
    "JsonSeq",
    "Layered",
    "Middleware",
    "Next",
    "Operation",
    "OptionalBody",
    "PageAt",
    "Pages",
    "Response",
    "RetryPolicy",
    "Secret",
    "StreamError",
    "TokenFuture",
    "TokenSource",
    "Upload",
    "http",
    "reqwest",
];

/// The features of every client crate that turn on the runtime's of the same name, off by
/// default: tag features do not take these names.
pub const RUNTIME_FEATURES: [&str; 3] = ["tracing", "opentelemetry", "reqwest-middleware"];

/// The catch-all variant of every open enum and union.
pub const UNKNOWN_VARIANT: &str = "Unknown";

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
    /// The spec's `operationId`, or `method path` when it has none.
    pub id: String,
    /// The client method's name.
    pub rust: String,
    /// The names of the items and locals generated for the operation.
    pub items: OperationNames,
    pub method: Method,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The spec's tags, in order; the first picks the cargo feature of large APIs.
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// The security requirements: alternatives, each the schemes that go together; empty when
    /// the operation needs no credential. `None` when the spec declares none anywhere, so that
    /// every configured credential is sent.
    pub security: Option<Vec<Vec<String>>>,
    /// What a pagination extension of the operation says, read before detection.
    pub paging_hint: Option<PagingHint>,
    /// How its list continues from page to page, when it pages (`lower/pages.rs`).
    pub pagination: Option<Pagination>,
    /// For a callback (a request the API sends, in `webhooks`): the id of the operation that
    /// declares it and the callback's name; its `path` is the expression of its URL.
    pub callback: Option<(String, String)>,
}

/// How an operation's list continues from one page to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub style: PageStyle,
    /// The query parameter (wire name) each next request sets; `None` where the next request
    /// is a URL the server gives.
    pub param: Option<String>,
    /// Where the next request's value comes from.
    pub next: PageNext,
    /// The path of properties to the items' array in the answer's body; empty when the body
    /// is the array.
    pub items: Vec<String>,
    pub item: TypeRef,
    /// A boolean property of the body that says whether more pages follow (`has_more`).
    pub more: Option<Vec<String>>,
    /// What decided: `detected`, or the extension that said so.
    pub by: String,
}

/// The ways a list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageStyle {
    /// A token or cursor from the body goes in a parameter of the next request.
    Cursor,
    /// The last item's id goes in a parameter of the next request (`starting_after`) while
    /// the body says more follow (`has_more`).
    LastItem,
    /// The body gives the next page's URL.
    NextUrl,
    /// The `Link` header's `rel="next"` URL (RFC 8288).
    LinkHeader,
    /// A page number, counted up to a page count or while pages are full.
    Page,
    /// An offset, moved on by each page's items up to a total.
    Offset,
}

impl PageStyle {
    /// The word reports and the surface name it by.
    pub fn word(self) -> &'static str {
        match self {
            PageStyle::Cursor => "cursor",
            PageStyle::LastItem => "last-item",
            PageStyle::NextUrl => "next-url",
            PageStyle::LinkHeader => "link-header",
            PageStyle::Page => "page",
            PageStyle::Offset => "offset",
        }
    }

    /// The style of a word, as [`PageStyle::word`] writes it.
    pub fn of_word(word: &str) -> Option<PageStyle> {
        [
            PageStyle::Cursor,
            PageStyle::LastItem,
            PageStyle::NextUrl,
            PageStyle::LinkHeader,
            PageStyle::Page,
            PageStyle::Offset,
        ]
        .into_iter()
        .find(|s| s.word() == word)
    }
}

/// Where the value of the next request comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageNext {
    /// A property of the body, by its path (`next_cursor`, `meta.next`).
    Field(Vec<String>),
    /// A property of the last item (`id`).
    LastItem(String),
    /// The `Link` header.
    LinkHeader,
    /// The page number counted up, until the page count at this path when there is one.
    PageCount(Option<Vec<String>>),
    /// The offset moved on by each page's items, until the total at this path when there is
    /// one.
    Total(Option<Vec<String>>),
}

/// What a pagination extension says of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingHint {
    /// It does not page, whatever detection would say (`x-codegen-pagination: false`).
    Off,
    /// It pages as given; what is left out is detected.
    Given(PagingGiven),
}

/// The parts of a pagination an extension gives (wire names and paths of properties).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagingGiven {
    pub style: Option<PageStyle>,
    pub param: Option<String>,
    pub next: Option<Vec<String>>,
    pub items: Option<Vec<String>>,
    pub more: Option<Vec<String>>,
    pub total: Option<Vec<String>>,
    /// The extension's name.
    pub by: String,
}

/// The names of what the client generates for one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationNames {
    /// The enum of documented error answers, `<Op>Error`.
    pub error: String,
    /// The struct of optional parameters, `<Op>Params`.
    pub params: String,
    /// The method that takes the optional parameters, `<op>_with`.
    pub with: String,
    /// The enum of successful answers when they disagree, `<Op>Success`.
    pub success: String,
    /// The method's argument holding the body.
    pub body_arg: String,
    /// The method's argument holding the optional parameters.
    pub params_arg: String,
    /// The enum of request media types, `<Op>Body`.
    pub body: String,
    /// The method that asks for the stream a success offers beside its JSON, `<op>_stream`
    /// (empty when none does).
    pub stream: String,
    /// That method with the optional parameters, `<op>_stream_with`.
    pub stream_with: String,
    /// The method that walks a paged list page by page, `<op>_pages` (empty when the
    /// operation does not page).
    pub pages: String,
    /// The method that walks it item by item, `<op>_items`.
    pub each: String,
    /// The type of the stream of pages, `<Op>Pages`.
    pub pages_type: String,
    /// The type of the stream of items, `<Op>Items`.
    pub items_type: String,
    /// The operation's mock in the `mock` module, `<Op>Mock`.
    pub mock: String,
    /// The `MockServer` method that starts it: the client method's name, unless the server's
    /// own methods take it.
    pub mock_start: String,
    /// A webhook's variant of the `webhooks::Event` enum (empty for an operation).
    pub event: String,
    /// A webhook's function that decodes without verifying, `<webhook>_unverified`.
    pub unverified: String,
    /// A webhook's enum of the answers it documents, `<Webhook>Answer`.
    pub answer: String,
    /// A callback's function that gives the expression of its URL, `<callback>_url`.
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter is serialized: OpenAPI's `style`, `explode` and `allowReserved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamStyle {
    pub kind: StyleKind,
    pub explode: bool,
    pub allow_reserved: bool,
}

/// OpenAPI's `style` values, and `Json` for a parameter given as JSON text (`content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StyleKind {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Json,
}

impl ParamStyle {
    /// The style OpenAPI gives a parameter in `location` when the spec names none.
    pub fn default_for(location: ParamLocation) -> ParamStyle {
        let kind = match location {
            ParamLocation::Path | ParamLocation::Header => StyleKind::Simple,
            ParamLocation::Query | ParamLocation::Cookie => StyleKind::Form,
        };
        ParamStyle {
            kind,
            explode: kind == StyleKind::Form,
            allow_reserved: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The method argument's name (required parameters) or the field's (optional ones).
    pub rust: String,
    /// The method that sets an optional parameter.
    pub setter: String,
    pub wire: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    pub style: ParamStyle,
    /// The schema's `default`: what the server takes when the parameter is left out (the
    /// first page of a list numbered from 0 says so here).
    pub default: Option<serde_json::Value>,
}

/// A request body: one or more media types the caller picks among (JSON first, the default).
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media: Vec<BodyMedia>,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyMedia {
    /// As the spec writes it, e.g. `application/merge-patch+json`; the `Content-Type` sent.
    pub media_type: String,
    pub kind: BodyKind,
    /// The variant of the operation's body enum.
    pub variant: String,
    /// The struct of a multipart media type's parts (`<Op>Multipart`, then
    /// `<Op>Multipart<Variant>`); empty for other kinds.
    pub parts: String,
    /// What names the variant beside its media type: the member of a union of parts
    /// (`Multipart` + `Message`).
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON of this type.
    Json(TypeRef),
    /// Text (`text/*`, XML): a string.
    Text,
    /// Bytes or a stream (`application/octet-stream`, images, `format: binary`).
    Binary,
    /// `application/x-www-form-urlencoded`: the properties of this type as form fields, each in
    /// the style the spec's `encoding` gives (form, exploded, by default).
    Form {
        ty: TypeRef,
        styles: Vec<(String, ParamStyle)>,
    },
    /// `multipart/form-data`: one part per property.
    Multipart(Vec<MultipartField>),
}

/// A property of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartField {
    pub wire: String,
    pub rust: String,
    /// The method that sets the part.
    pub setter: String,
    pub doc: Option<String>,
    pub required: bool,
    pub part: PartKind,
    /// The part's content type from the spec's `encoding`, when it gives one.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A file (`format: binary`).
    File,
    /// Several files under one name.
    Files,
    /// A value: text for a scalar, a part per item for a list, JSON for an object.
    Value(TypeRef),
}

/// What a response's body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// JSON of this type.
    Json(TypeRef),
    /// JSON of this type or text, as the server's `Content-Type` says (a response documented
    /// with both).
    JsonOrText(TypeRef),
    /// JSON of this type or bytes, as the server's `Content-Type` says (a response documented
    /// with JSON and a binary media type: a file, a diff, audio).
    JsonOrBinary(TypeRef),
    /// Text.
    Text,
    /// Bytes, read as the caller wants (a stream for large downloads).
    Binary,
    /// Items one after another, each handed over as it arrives.
    Stream(Stream),
}

/// An answer of items that follow one another: their format and the type of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub format: StreamFormat,
    /// One item: for server-sent events, each event's data.
    pub item: StreamItem,
    /// The media type as the spec writes it, which a request for the stream accepts.
    pub media_type: String,
    /// The event data that ends a stream of server-sent events, when the spec names one
    /// (`x-speakeasy-sse-sentinel`, `x-fern-streaming`'s `terminator`); else `[DONE]` does.
    pub sentinel: Option<String>,
}

/// What one item of a stream is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamItem {
    /// JSON of this type (for server-sent events, each event's data).
    Json(TypeRef),
    /// Each event's data as text, of this type (`String`, or one a string deserializes into).
    Text(TypeRef),
    /// Server-sent events whose names (`event:`) say what their data is.
    Events(Events),
}

impl StreamItem {
    /// The types the items may hold.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            StreamItem::Json(t) | StreamItem::Text(t) => vec![t],
            StreamItem::Events(e) => e.variants.iter().map(|v| &v.data).collect(),
        }
    }

    /// [`StreamItem::type_refs`], to change them.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            StreamItem::Json(t) | StreamItem::Text(t) => vec![t],
            StreamItem::Events(e) => e.variants.iter_mut().map(|v| &mut v.data).collect(),
        }
    }
}

/// The events of a stream told apart by name: the client's enum of them, a variant per
/// documented event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Events {
    /// The enum, `<Op>Event`.
    pub name: String,
    pub variants: Vec<EventVariant>,
    /// The variant an event of a name no variant has is (OpenAPI 3.2's `defaultMapping`);
    /// without one, such an event is kept as it came, in the variant named `other`.
    pub fallback: Option<usize>,
    /// The variant of events nobody documented, when there is no fallback.
    pub other: String,
}

/// One documented event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventVariant {
    /// The names it is sent under (`message` for events without one).
    pub names: Vec<String>,
    pub rust: String,
    pub data: TypeRef,
    /// Whether the data is JSON; else text.
    pub json: bool,
    pub doc: Option<String>,
    /// The name of the schema of a variant without event names (the `defaultMapping` one),
    /// which names the variant.
    pub label: Option<String>,
}

/// The name the server-sent events standard gives an event that has none.
pub const DEFAULT_EVENT: &str = "message";

/// How the items of a stream follow one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// Server-sent events (`text/event-stream`).
    Sse,
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`).
    JsonLines,
    /// JSON texts after an RS each (`application/json-seq`, RFC 7464).
    JsonSeq,
}

impl StreamFormat {
    /// The format of a media type (parameters and case aside), if it is a stream.
    pub fn of(media_type: &str) -> Option<StreamFormat> {
        let base = media_type.split(';').next().unwrap_or_default().trim();
        match base.to_ascii_lowercase().as_str() {
            "text/event-stream" => Some(StreamFormat::Sse),
            "application/jsonl"
            | "application/x-jsonl"
            | "application/x-ndjson"
            | "application/jsonlines"
            | "application/x-jsonlines" => Some(StreamFormat::JsonLines),
            "application/json-seq" => Some(StreamFormat::JsonSeq),
            _ => None,
        }
    }

    /// The runtime's type of such a stream.
    pub fn rust_type(self) -> &'static str {
        match self {
            StreamFormat::Sse => "EventStream",
            StreamFormat::JsonLines => "JsonLines",
            StreamFormat::JsonSeq => "JsonSeq",
        }
    }

    /// Its word in the public surface.
    pub fn word(self) -> &'static str {
        match self {
            StreamFormat::Sse => "sse",
            StreamFormat::JsonLines => "jsonl",
            StreamFormat::JsonSeq => "json-seq",
        }
    }
}

impl Content {
    /// The types the content may decode into.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            Content::Json(t) | Content::JsonOrText(t) | Content::JsonOrBinary(t) => vec![t],
            Content::Stream(s) => s.item.type_refs(),
            Content::Text | Content::Binary => Vec::new(),
        }
    }

    fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            Content::Json(t) | Content::JsonOrText(t) | Content::JsonOrBinary(t) => vec![t],
            Content::Stream(s) => s.item.type_refs_mut(),
            Content::Text | Content::Binary => Vec::new(),
        }
    }

    /// Whether the answer may be bytes the caller reads as they come (or items of a stream).
    pub fn may_be_binary(&self) -> bool {
        matches!(
            self,
            Content::Binary | Content::JsonOrBinary(_) | Content::Stream(_)
        )
    }

    /// Whether the answer is never read whole: bytes or a stream of items.
    pub fn is_streamed(&self) -> bool {
        matches!(self, Content::Binary | Content::Stream(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// The variant of the operation's success or error enum that holds this answer.
    pub variant: String,
    pub description: String,
    /// The body, `None` when the response has none.
    pub content: Option<Content>,
    /// A stream the answer offers beside its other content (JSON, say), which the client asks
    /// for with a method of its own; a stream alone is the `content`.
    pub stream: Option<Stream>,
    /// Every media type the answer is documented in, as the spec writes them, in its order.
    pub media_types: Vec<String>,
    /// The names of the headers the answer documents, as the spec writes them.
    pub headers: Vec<String>,
}

/// An example value from the spec and the type it must round-trip through.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Where it comes from in words until the naming pass, then the generated test's unique
    /// snake_case name.
    pub name: String,
    pub pointer: String,
    pub ty: TypeRef,
    pub value: serde_json::Value,
    /// An example of what requests send (a request body, a parameter), typed as they send it.
    pub sent: bool,
}

impl TypeRef {
    /// Calls `f` on this reference and every reference inside it, outermost first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a TypeRef)) {
        f(self);
        if let TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) = self {
            inner.walk(f);
        }
    }

    /// Calls `f` on the name of every named type this reference mentions.
    pub fn names<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        self.walk(&mut |t| {
            if let TypeRef::Named(n) = t {
                f(n);
            }
        });
    }

    /// Calls `f` on every named type's name this reference mentions, to change it.
    pub fn names_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        match self {
            TypeRef::Named(n) => f(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
                inner.names_mut(f)
            }
            _ => {}
        }
    }
}

impl TypeKind {
    /// The type references a type's definition holds directly: fields, extra properties,
    /// variants, the aliased type.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => {
                let mut out: Vec<&TypeRef> = s.fields.iter().map(|f| &f.ty).collect();
                if let Extra::Keep(t) = &s.extra {
                    out.push(t);
                }
                out
            }
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }

    /// [`TypeKind::type_refs`], to change them.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => {
                let mut out: Vec<&mut TypeRef> = s.fields.iter_mut().map(|f| &mut f.ty).collect();
                if let Extra::Keep(t) = &mut s.extra {
                    out.push(t);
                }
                out
            }
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }
}

impl BodyKind {
    /// The type references of a body.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            BodyKind::Json(t) | BodyKind::Form { ty: t, .. } => vec![t],
            BodyKind::Multipart(fields) => fields
                .iter()
                .filter_map(|f| match &f.part {
                    PartKind::Value(t) => Some(t),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            BodyKind::Text | BodyKind::Binary => Vec::new(),
        }
    }

    /// [`BodyKind::type_refs`], to change them.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            BodyKind::Json(t) | BodyKind::Form { ty: t, .. } => vec![t],
            BodyKind::Multipart(fields) => fields
                .iter_mut()
                .filter_map(|f| match &mut f.part {
                    PartKind::Value(t) => Some(t),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            BodyKind::Text | BodyKind::Binary => Vec::new(),
        }
    }
}

impl Response {
    /// Whether the status is a success (2xx).
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The types the answer may hold: its JSON and its stream's items.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let content = self.content.iter().flat_map(Content::type_refs);
        content.chain(self.stream.iter().flat_map(|s| s.item.type_refs()))
    }

    /// [`Response::type_refs`], to change them.
    pub fn type_refs_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        let content = self.content.iter_mut().flat_map(Content::type_refs_mut);
        content.chain(self.stream.iter_mut().flat_map(|s| s.item.type_refs_mut()))
    }

    /// The streams the answer offers: its content when that is a stream, and the one beside.
    pub fn streams(&self) -> impl Iterator<Item = &Stream> {
        let content = match &self.content {
            Some(Content::Stream(s)) => Some(s),
            _ => None,
        };
        content.into_iter().chain(self.stream.as_ref())
    }

    /// [`Response::streams`], to change them.
    pub fn streams_mut(&mut self) -> impl Iterator<Item = &mut Stream> {
        let content = match &mut self.content {
            Some(Content::Stream(s)) => Some(s),
            _ => None,
        };
        content.into_iter().chain(self.stream.as_mut())
    }

    /// The media types a request accepts for this answer: all it is documented in but the
    /// stream offered beside other content, which a method of its own asks for.
    pub fn accepted(&self) -> impl Iterator<Item = &str> {
        let beside = self.stream.as_ref().map(|s| s.media_type.as_str());
        let media = self.media_types.iter().map(String::as_str);
        media.filter(move |m| Some(*m) != beside)
    }
}

/// The HTTP status a response is keyed by in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// One status, `404`.
    Code(u16),
    /// A class of statuses by its first digit, `4XX`.
    Range(u16),
    /// `default`: every status the others leave.
    Default,
}

impl Status {
    /// Whether it is a success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => code / 100 == 2,
            Status::Range(class) => class == 2,
            Status::Default => false,
        }
    }

    /// The order in which answers are matched: exact statuses, then ranges, then the rest, so
    /// that a range never hides an exact status.
    pub fn rank(self) -> u8 {
        match self {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        }
    }

    /// The statuses it takes, `400..=499` for `4XX`; `None` for `default`.
    pub fn codes(self) -> Option<std::ops::RangeInclusive<u16>> {
        match self {
            Status::Code(code) => Some(code..=code),
            Status::Range(class) => Some(class * 100..=class * 100 + 99),
            Status::Default => None,
        }
    }
}

impl std::fmt::Display for Status {
    /// As the spec writes it: `200`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// An HTTP method of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`: a safe, idempotent request whose body says what to find.
    Query,
    /// A method of 3.2's `additionalOperations`, by its token as it is sent (`LINK`).
    Other(String),
}

impl Method {
    /// Each method of a path item's fixed fields, its key and its name on the wire.
    const WORDS: [(Method, &'static str, &'static str); 9] = [
        (Method::Get, "get", "GET"),
        (Method::Put, "put", "PUT"),
        (Method::Post, "post", "POST"),
        (Method::Delete, "delete", "DELETE"),
        (Method::Options, "options", "OPTIONS"),
        (Method::Head, "head", "HEAD"),
        (Method::Patch, "patch", "PATCH"),
        (Method::Trace, "trace", "TRACE"),
        (Method::Query, "query", "QUERY"),
    ];

    /// The method of a path item's key (`get`), as OpenAPI spells them.
    pub fn from_key(key: &str) -> Option<Method> {
        Self::WORDS
            .iter()
            .find(|(_, w, _)| *w == key)
            .map(|(m, _, _)| m.clone())
    }

    /// Where the operation stands in its path item: `get`, `additionalOperations/LINK`.
    pub fn key(&self) -> String {
        match self {
            Method::Other(token) => format!("additionalOperations/{}", escape_token(token)),
            fixed => fixed.words().1.to_owned(),
        }
    }

    fn words(&self) -> (Method, &'static str, &'static str) {
        Self::WORDS
            .iter()
            .find(|(m, _, _)| m == self)
            .cloned()
            .expect("every method of a fixed field is in WORDS")
    }

    /// The name on the wire, `GET`.
    pub fn upper(&self) -> &str {
        match self {
            Method::Other(token) => token,
            fixed => fixed.words().2,
        }
    }

    /// Whether `reqwest::Method` has a constant of it (`GET`), not only a name.
    pub fn is_constant(&self) -> bool {
        !matches!(self, Method::Query | Method::Other(_))
    }

    /// Whether its requests carry no body that servers read, so that a form goes in the query.
    pub fn sends_query(&self) -> bool {
        matches!(self, Method::Get | Method::Head | Method::Delete)
    }
}

impl std::fmt::Display for Method {
    /// As HTTP writes it: `GET`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.upper())
    }
}

impl Operation {
    /// Whether the successes disagree on their body, so that they are an enum by status.
    pub fn has_success_enum(&self) -> bool {
        let mut bodies = self
            .responses
            .iter()
            .filter(|r| r.is_success())
            .map(|r| &r.content);
        let first = bodies.next();
        bodies.any(|b| Some(b) != first)
    }

    /// The type references of an operation: parameters, body, answers.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let answers = self.responses.iter().flat_map(Response::type_refs);
        self.request_refs().into_iter().chain(answers).collect()
    }

    /// [`Operation::type_refs`], to change them.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let (request, responses) = self.request_and_answers_mut();
        let answers = responses.iter_mut().flat_map(Response::type_refs_mut);
        request.into_iter().chain(answers).collect()
    }

    /// The type references of what a request sends: parameters and body.
    pub fn request_refs(&self) -> Vec<&TypeRef> {
        let params = self.params.iter().map(|p| &p.ty);
        let body = self
            .body
            .iter()
            .flat_map(|b| &b.media)
            .flat_map(|m| m.kind.type_refs());
        params.chain(body).collect()
    }

    /// [`Operation::request_refs`], to change them.
    pub fn request_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        self.request_and_answers_mut().0
    }

    fn request_and_answers_mut(&mut self) -> (Vec<&mut TypeRef>, &mut Vec<Response>) {
        let params = self.params.iter_mut().map(|p| &mut p.ty);
        let body = self
            .body
            .iter_mut()
            .flat_map(|b| &mut b.media)
            .flat_map(|m| m.kind.type_refs_mut());
        (params.chain(body).collect(), &mut self.responses)
    }

    /// The `Accept` header of a request for the operation's answers: every media type they
    /// are documented in, once each, in the spec's order; `None` when no answer has a body.
    pub fn accept(&self) -> Option<String> {
        let mut listed: Vec<&str> = Vec::new();
        for media in self.responses.iter().flat_map(Response::accepted) {
            if !listed.contains(&media) {
                listed.push(media);
            }
        }
        (!listed.is_empty()).then(|| listed.join(", "))
    }
}

impl Field {
    /// Whether requests leave the field out (unless the client is built to send them), in a
    /// struct that travels as `sent` says: a read-only field of a sent type, which holds it as
    /// an `Option` (the access pass made it optional).
    pub fn left_out_of_requests(&self, sent: bool) -> bool {
        sent && self.access == Access::ReadOnly && !self.required
    }
}

impl Api {
    /// Whether any type the client sends has a field requests leave out, so that the models
    /// crate has `serde_support::sending` and the client encodes bodies through it.
    pub fn sends_read_only(&self) -> bool {
        self.types.values().any(|def| match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .any(|f| f.left_out_of_requests(def.direction.sent)),
            _ => false,
        })
    }

    /// The API's title as a part of a sentence of docs ([`crate::docs::inline`]).
    pub fn doc_title(&self) -> String {
        crate::docs::inline(&self.title)
    }

    /// Whether the API gets a client crate: it has operations to call, or sends requests
    /// (webhooks, callbacks) to receive.
    pub fn has_client(&self) -> bool {
        !self.operations.is_empty() || !self.webhooks.is_empty()
    }

    /// The API's title and version as a part of a sentence of docs: `Pets (version 1.0)`.
    pub fn doc_name(&self) -> String {
        crate::docs::inline(&format!("{} (version {})", self.title, self.version))
    }

    /// `ty`, or what the aliases it names stand for (`type PetId = String` → `String`).
    pub fn unalias<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut current = ty;
        for _ in 0..self.types.len() {
            match current {
                TypeRef::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                    Some(TypeKind::Alias(to)) => current = to,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// Every type reference of the API outside type definitions: operations, webhooks and
    /// examples, to change them.
    pub fn use_sites_mut(&mut self) -> Vec<&mut TypeRef> {
        let ops = self
            .operations
            .iter_mut()
            .chain(self.webhooks.iter_mut())
            .flat_map(Operation::type_refs_mut);
        let examples = self.examples.iter_mut().map(|e| &mut e.ty);
        ops.chain(examples).collect()
    }

    /// Renames types, `renames` giving each old name its new one, and every reference to them.
    pub fn rename_types(&mut self, renames: &BTreeMap<String, String>) {
        if renames.is_empty() {
            return;
        }
        let rename = |n: &mut String| {
            if let Some(to) = renames.get(n.as_str()) {
                n.clone_from(to);
            }
        };
        let moved: Vec<TypeDef> = renames
            .keys()
            .filter_map(|from| self.types.remove(from))
            .collect();
        for mut def in moved {
            rename(&mut def.name);
            self.types.insert(def.name.clone(), def);
        }
        for def in self.types.values_mut() {
            def.twin_of.iter_mut().for_each(rename);
            for t in def.kind.type_refs_mut() {
                t.names_mut(&mut |n| rename(n));
            }
        }
        for t in self.use_sites_mut() {
            t.names_mut(&mut |n| rename(n));
        }
    }
}
