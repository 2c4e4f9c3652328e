//! Emits a models crate's `src/lib.rs`: one Rust type per named IR type.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::build::{self, Holding, Member};
use super::{Needs, Std, doc_attrs, ident, inner_doc_attrs, type_tokens};
use crate::docs::code;
use crate::ir::{Api, BodyKind, EnumVariant, Extra, Field, Struct, TypeDef, TypeKind, TypeRef};
use crate::plan::Plan;
use crate::plan::shape::{Presence, derives_default, presence};

/// Which `serde_support` helpers the emitted derives refer to.
#[derive(Default)]
pub(crate) struct Helpers {
    nullable: bool,
    present: bool,
    required_nullable: bool,
    pub(crate) unions: bool,
    /// Read-only fields of sent types, left out of requests (`read_only`, `sending`).
    read_only: bool,
    /// The readers of `date_time` that date-time fields name: `required`, `option`, `nullable`.
    date_time: std::collections::BTreeSet<&'static str>,
}

impl Helpers {
    pub(crate) fn merge(&mut self, other: &Helpers) {
        self.nullable |= other.nullable;
        self.present |= other.present;
        self.required_nullable |= other.required_nullable;
        self.unions |= other.unions;
        self.read_only |= other.read_only;
        self.date_time.extend(&other.date_time);
    }

    /// Whether a date-time reader is used.
    fn reads_dates(&self) -> bool {
        !self.date_time.is_empty()
    }

    /// Adds what the helpers' code needs to `needs` of the crate that holds them.
    pub(crate) fn add_needs(&self, needs: &mut Needs) {
        needs.serde_json |= self.unions;
        needs.chrono |= self.reads_dates();
    }
}

/// What emitting types reads and records: the API, how standard types are named, the `#[cfg]`
/// of the type being emitted, and what the types emitted so far need.
pub(crate) struct ModelContext<'a> {
    pub api: &'a Api,
    pub std: Std,
    /// The `#[cfg]` of every item of the type being emitted, or nothing.
    pub gate: TokenStream,
    pub needs: Needs,
    pub helpers: Helpers,
}

impl<'a> ModelContext<'a> {
    pub fn new(api: &'a Api) -> ModelContext<'a> {
        ModelContext {
            api,
            std: Std::new(|n| api.types.contains_key(n)),
            gate: TokenStream::new(),
            needs: Needs::default(),
            helpers: Helpers::default(),
        }
    }

    /// The Rust type of `ty` inside the models crate, recording what it needs.
    pub fn ty(&mut self, ty: &TypeRef) -> TokenStream {
        self.needs.add(ty);
        type_tokens(ty, &TokenStream::new(), &self.std)
    }
}

/// The models crate's `src/lib.rs` as formatted text, with `header` on top, and what the crate
/// depends on. Large APIs are emitted and formatted in chunks on all cores; the text is the same
/// as formatted whole, since a file's items are printed one after another.
pub fn emit_models_text(api: &Api, header: &str) -> Result<(String, Needs), String> {
    let defs: Vec<&TypeDef> = api.types.values().collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let size = match defs.len() {
        ..200 => defs.len().max(1),
        n => n.div_ceil(threads),
    };
    let chunks: Vec<&[&TypeDef]> = defs.chunks(size).collect();
    let parts = super::in_parallel(&chunks, |chunk| types_text(api, chunk, None))?;
    let (mut needs, mut helpers) = (Needs::default(), Helpers::default());
    let mut body = String::new();
    for (text, n, h) in parts {
        body.push_str(&text);
        needs.merge(n);
        helpers.merge(&h);
    }
    let head = super::format_file(header, prelude(api, &helpers, needs))?;
    let any = |f: fn(&TypeKind) -> bool| api.types.values().any(|t| f(&t.kind));
    let macros = enum_macros(
        any(|k| matches!(k, TypeKind::StringEnum(_))),
        any(|k| matches!(k, TypeKind::IntEnum(_))),
        false,
    );
    Ok((head + &macros + &body, needs))
}

/// The formatted items of `defs`, each under the `#[cfg]` of its features in `plan`, and what
/// they need.
pub(crate) fn types_text(
    api: &Api,
    defs: &[&TypeDef],
    plan: Option<&Plan>,
) -> Result<(String, Needs, Helpers), String> {
    let mut cx = ModelContext::new(api);
    let items: Vec<TokenStream> = defs
        .iter()
        .map(|def| {
            cx.gate = gate(plan, &def.name);
            cx.emit_type(def)
        })
        .collect();
    let text = super::format_file("", quote! { #( #items )* })?;
    Ok((text, cx.needs, cx.helpers))
}

/// The `#[cfg]` of a type under a feature plan; nothing without one.
fn gate(plan: Option<&Plan>, name: &str) -> TokenStream {
    match plan.and_then(|p| p.gate_of(name)) {
        Some(features) => super::cfg(features),
        None => TokenStream::new(),
    }
}

/// The crate docs and the serde helpers the types below use.
fn prelude(api: &Api, helpers: &Helpers, needs: Needs) -> TokenStream {
    let crate_doc = inner_doc_attrs(&crate_doc(api));
    let reexports = reexports(needs);
    let support = emit_support(helpers, false);
    // Constructor arguments are named after the spec's fields, and constructors are `new`,
    // whatever the spec names them and their types.
    let names = api
        .types
        .values()
        .any(|t| t.direction.sent && matches!(t.kind, TypeKind::Struct(_)))
        .then(|| quote!(#![allow(clippy::disallowed_names, clippy::self_named_constructors)]));
    let lints = super::crate_lints(api);
    quote! {
        #crate_doc
        #lints
        #names
        #reexports
        #support
    }
}

/// The crates whose types the models' fields name (`serde_json::Value`, chrono's dates),
/// re-exported so that callers name them at the versions the models use.
pub(crate) fn reexports(needs: Needs) -> TokenStream {
    let json = needs.serde_json.then(|| {
        quote!(
            #[doc(no_inline)]
            pub use serde_json;
        )
    });
    let chrono = needs.chrono.then(|| {
        quote!(
            #[doc(no_inline)]
            pub use chrono;
        )
    });
    quote!(#json #chrono)
}

/// The crate's docs: what the API is, where the code comes from, and its webhooks.
pub(crate) fn crate_doc(api: &Api) -> String {
    let mut doc = format!("Models of the {}.\n", api.doc_name());
    for text in [&api.summary, &api.description].into_iter().flatten() {
        doc.push('\n');
        doc.push_str(text.trim_end());
        doc.push('\n');
    }
    if let Some(license) = &api.license {
        let license = crate::docs::inline(license);
        doc.push_str(&format!("\nThe API's license: {license}.\n"));
    }
    if api.tolerated > 0 {
        doc.push_str(&format!(
            "\nGenerated tolerant: {} fields the spec marks required in types that answers may hold\nare `Option`s, `None` when a server leaves them out.\n",
            api.tolerated
        ));
    }
    doc.push_str(&format!(
        "\nGenerated from {}: every schema is a type, with serde derives.\n",
        code(&api.source)
    ));
    let (callbacks, webhooks): (Vec<_>, Vec<_>) =
        api.webhooks.iter().partition(|h| h.callback.is_some());
    for (hooks, said) in [
        (webhooks, "Webhooks, the requests the API sends"),
        (
            callbacks,
            "Callbacks, the requests the API sends to a URL an operation gives it",
        ),
    ] {
        let lines: Vec<String> = hooks.into_iter().map(webhook_line).collect();
        if !lines.is_empty() {
            doc.push_str(&format!("\n{said}:\n{}\n", lines.join("\n")));
        }
    }
    doc
}

/// `- `newPet` (`POST`): [`Pet`]`, the body a webhook sends; a callback's line names the
/// operation that declares it and the expression of its URL.
fn webhook_line(hook: &crate::ir::Operation) -> String {
    let kind = hook
        .body
        .as_ref()
        .and_then(|b| b.media.first())
        .map(|m| &m.kind);
    let body = match kind {
        Some(BodyKind::Json(TypeRef::Named(n))) => format!(": [`{n}`]"),
        Some(_) => format!(
            ": a {} body",
            code(
                hook.body
                    .as_ref()
                    .map_or("", |b| b.media[0].media_type.as_str())
            )
        ),
        None => String::new(),
    };
    let summary = hook
        .summary
        .as_deref()
        .map(|s| format!(" {}", s.trim()))
        .unwrap_or_default();
    match &hook.callback {
        Some((op, name)) => format!(
            "- {} of {} (`{}` to {}){body}{summary}",
            code(name),
            code(op),
            hook.method,
            code(&hook.path)
        ),
        None => format!("- {} (`{}`){body}{summary}", code(&hook.path), hook.method),
    }
}

/// The `serde_support` module of the helpers `h` says are used; `public` for the shared crate of
/// a split API, whose parts use them too.
pub(crate) fn emit_support(h: &Helpers, public: bool) -> TokenStream {
    if !h.nullable
        && !h.required_nullable
        && !h.unions
        && !h.present
        && !h.read_only
        && !h.reads_dates()
    {
        return TokenStream::new();
    }
    let read_only = h.read_only.then(read_only_support);
    let date_time = h.reads_dates().then(|| date_time_support(&h.date_time));
    let present = h.present.then(|| {
        quote! {
            /// Decodes an optional field that is present, `null` included: a JSON value holds
            /// `null` itself, so a `null` field is `Some(Value::Null)`, never `None`.
            pub fn present<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de>,
            {
                T::deserialize(deserializer).map(::std::option::Option::Some)
            }
        }
    });
    let unions = h.unions.then(super::unions::support_module);
    let nullable = h.nullable.then(|| {
        quote! {
            /// Decodes an optional nullable field that is present: `null` is `Some(None)`.
            /// An absent field never reaches this function and stays `None`.
            pub fn nullable<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de>,
            {
                <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
            }
        }
    });
    let required = h.required_nullable.then(|| {
        quote! {
            /// Decodes a required nullable field. Naming a function here also makes serde
            /// reject a missing field instead of reading it as `None`.
            pub fn required_nullable<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de>,
            {
                <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)
            }
        }
    });
    // The client encodes its bodies through `sending`.
    let public = (public || h.read_only).then(|| quote!(#[doc(hidden)] pub));
    quote! {
        /// Field codecs that the derives below name.
        #public mod serde_support {
            #nullable
            #required
            #present
            #unions
            #read_only
            #date_time
        }
    }
}

/// Date-time fields read by RFC 3339's own parser, some five times as fast as the relaxed one
/// chrono's `Deserialize` uses, which still reads what only it accepts (with its errors).
fn date_time_support(used: &std::collections::BTreeSet<&'static str>) -> TokenStream {
    let required = used.contains("required").then(|| {
        quote! {
            /// A date and time that is there.
            pub fn required<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<DateTime, D::Error> {
                deserializer.deserialize_str(Rfc3339)
            }
        }
    });
    // `nullable` reads through `option`.
    let option = used.iter().any(|r| *r != "required").then(|| {
        quote! {
            /// A date and time or `null` (`None`).
            pub fn option<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<::std::option::Option<DateTime>, D::Error> {
                <::std::option::Option<Read> as ::serde::Deserialize>::deserialize(deserializer)
                    .map(|read| read.map(|r| r.0))
            }
        }
    });
    let nullable = used.contains("nullable").then(|| {
        quote! {
            /// An optional nullable date and time that is present: `null` is `Some(None)`.
            pub fn nullable<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::option::Option<DateTime>>, D::Error> {
                option(deserializer).map(::std::option::Option::Some)
            }
        }
    });
    // `Read` is how `option` reads an `Option`.
    let read = option.is_some().then(|| {
        quote! {
            struct Read(DateTime);

            impl<'de> ::serde::Deserialize<'de> for Read {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    deserializer.deserialize_str(Rfc3339).map(Read)
                }
            }
        }
    });
    quote! {
        /// Dates and times read as RFC 3339 first, then as chrono reads them.
        pub mod date_time {
            type DateTime = ::chrono::DateTime<::chrono::FixedOffset>;

            struct Rfc3339;

            impl<'de> ::serde::de::Visitor<'de> for Rfc3339 {
                type Value = DateTime;

                fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                    f.write_str("an RFC 3339 date and time")
                }

                fn visit_str<E: ::serde::de::Error>(self, text: &str) -> ::std::result::Result<DateTime, E> {
                    ::chrono::DateTime::parse_from_rfc3339(text)
                        .or_else(|_| text.parse())
                        .map_err(E::custom)
                }
            }

            #read
            #required
            #option
            #nullable
        }
    }
}

/// What leaves read-only fields out of requests: the client encodes a body inside `sending`,
/// and each such field's `skip_serializing_if` asks whether it is being sent. A value encoded
/// anywhere else (a cache, a log, a round trip) keeps them.
fn read_only_support() -> TokenStream {
    quote! {
        ::std::thread_local! {
            static SENDING: ::std::cell::Cell<bool> = const { ::std::cell::Cell::new(false) };
        }

        /// Runs `encode`, which encodes what a request sends, with the read-only fields of every
        /// type left out when `leave_out` is true (the client's default).
        pub fn sending<R>(leave_out: bool, encode: impl FnOnce() -> R) -> R {
            struct Restore(bool);
            impl Drop for Restore {
                fn drop(&mut self) {
                    SENDING.with(|s| s.set(self.0));
                }
            }
            let _restore = Restore(SENDING.with(|s| s.replace(leave_out)));
            encode()
        }

        /// Whether a read-only field is left out of what is encoded: when it is absent, and
        /// in a request.
        pub fn read_only<T>(value: &::std::option::Option<T>) -> bool {
            value.is_none() || SENDING.with(|s| s.get())
        }
    }
}

impl ModelContext<'_> {
    /// One type's items, each under the gate, so that the type exists only under the features of
    /// the operations that use it.
    pub(crate) fn emit_type(&mut self, def: &TypeDef) -> TokenStream {
        let gate = self.gate.clone();
        let doc = super::doc_or(def.doc.as_deref(), || super::type_fallback(def));
        let name = ident(&def.name);
        let overridden = self.api.overrides.get(&def.name);
        if let Some(other) = overridden.and_then(|o| o.replace_with.as_deref()) {
            let other = parsed::<syn::Type>(other);
            return quote! { #doc #gate pub type #name = #other; };
        }
        let added = overridden.map(added_attributes).unwrap_or_default();
        let doc = quote!(#doc #gate #added);
        match &def.kind {
            TypeKind::Struct(s) => {
                let fields = overridden.map(|o| &o.fields);
                self.emit_struct(&name, doc, s, (def.direction.sent, fields))
            }
            TypeKind::StringEnum(v) => {
                let doc = open_enum_doc(def);
                emit_string_enum(&name, quote!(#doc #gate #added), v, &gate)
            }
            TypeKind::IntEnum(v) => {
                let doc = open_enum_doc(def);
                emit_int_enum(&name, quote!(#doc #gate #added), v, &gate)
            }
            TypeKind::Union(u) => {
                self.helpers.unions = true;
                self.emit_union(&name, doc, u)
            }
            TypeKind::Alias(ty) => {
                let ty = self.ty(ty);
                quote! { #doc pub type #name = #ty; }
            }
            TypeKind::Newtype(ty) => {
                let ty = self.ty(ty);
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #ty);
                }
            }
        }
    }

    fn field_type(&mut self, f: &Field) -> TokenStream {
        let mut ty = self.ty(&f.ty);
        let Std { option, boxed, .. } = &self.std;
        if f.boxed {
            ty = quote!(#boxed<#ty>);
        }
        match presence(f) {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalJson => {
                quote!(#option<#ty>)
            }
            Presence::OptionalNullable => quote!(#option<#option<#ty>>),
        }
    }

    /// A struct; `sent` when requests carry it, with the attributes the user adds to fields.
    fn emit_struct(
        &mut self,
        name: &proc_macro2::Ident,
        doc: TokenStream,
        s: &Struct,
        (sent, added): (bool, Option<&BTreeMap<String, Vec<String>>>),
    ) -> TokenStream {
        let fields: Vec<TokenStream> = s
            .fields
            .iter()
            .map(|f| {
                let added = added.and_then(|a| a.get(&f.wire)).map(|a| attributes(a));
                let field = self.emit_field(f, sent, added.is_some());
                quote!(#added #field)
            })
            .collect();
        let (extra_field, container_attr) = match &s.extra {
            Extra::Deny => (None, Some(quote!(#[serde(deny_unknown_fields)]))),
            Extra::Keep(ty) => {
                let map = self.ty(&TypeRef::Map(Box::new(ty.clone())));
                let field = ident(&s.extra_field);
                (
                    Some(quote! {
                        /// Properties the spec does not list, kept so that they survive a round trip.
                        #[serde(flatten)]
                        pub #field: #map,
                    }),
                    None,
                )
            }
        };
        let default = derives_default(s, sent).then(|| quote!(Default,));
        let building = sent.then(|| self.building(name, s));
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
            #container_attr
            #[non_exhaustive]
            pub struct #name {
                #( #fields )*
                #extra_field
            }
            #building
        }
    }

    /// The docs of a field the spec says nothing of: only what its name and type do not say
    /// (its wire name when renamed, the format of a date, who owns it, what `None` means), or
    /// `None` where that is nothing, and the field is left undocumented.
    fn undocumented_field(&self, f: &Field) -> Option<String> {
        let mut said = Vec::new();
        if f.rust != f.wire {
            said.push(format!("{} on the wire.", code(&f.wire)));
        }
        let inner = match self.api.unalias(&f.ty) {
            TypeRef::Option(inner) | TypeRef::Vec(inner) => self.api.unalias(inner),
            ty => ty,
        };
        match inner {
            TypeRef::DateTime => {
                said.push("A date and time with its UTC offset (RFC 3339).".into())
            }
            TypeRef::Date => said.push("A calendar date (`YYYY-MM-DD`).".into()),
            _ => {}
        }
        match f.access {
            crate::ir::Access::ReadOnly => {
                said.push("Set by the server: requests leave it out.".into())
            }
            crate::ir::Access::WriteOnly => said.push("Sent only: answers leave it out.".into()),
            crate::ir::Access::ReadWrite => {}
        }
        // An `Option` of a property that may be left out says so itself; `null` needs words.
        let none = match presence(f) {
            Presence::Required | Presence::Optional | Presence::OptionalJson => None,
            Presence::RequiredNullable => Some("Always present; `None` where it is `null`."),
            Presence::OptionalNullable => {
                Some("`None` where it is left out, `Some(None)` where it is `null`.")
            }
        };
        said.extend(none.map(str::to_owned));
        (!said.is_empty()).then(|| said.join(" "))
    }

    /// A field; `customized` when the user adds attributes to it.
    fn emit_field(&mut self, f: &Field, sent: bool, customized: bool) -> TokenStream {
        let mut is_none = self.std.is_none.clone();
        if f.left_out_of_requests(sent) {
            self.helpers.read_only = true;
            is_none = "serde_support::read_only".to_owned();
        }
        let doc = match (&f.doc, f.tolerated) {
            (doc, true) => Some(format!(
                "{}{TOLERATED}",
                doc.as_deref()
                    .map(|d| format!("{}\n\n", d.trim_end()))
                    .unwrap_or_default()
            )),
            (doc, false) => doc.clone(),
        };
        let field_doc = match doc.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(text) => super::doc_attrs(Some(text)),
            None => match self.undocumented_field(f) {
                Some(text) => super::doc_attrs(Some(&text)),
                None => quote!(#[allow(missing_docs)]),
            },
        };
        let rust = ident(&f.rust);
        let ty = self.field_type(f);
        let mut serde = Vec::new();
        if f.rust != f.wire {
            let wire = &f.wire;
            serde.push(quote!(rename = #wire));
        }
        let date_time = self.date_time_reader(f, customized);
        match presence(f) {
            Presence::Required => {
                serde.extend(date_time.map(|with| quote!(deserialize_with = #with)));
            }
            Presence::RequiredNullable => {
                let with = date_time.unwrap_or_else(|| {
                    self.helpers.required_nullable = true;
                    "serde_support::required_nullable"
                });
                serde.push(quote!(deserialize_with = #with));
            }
            Presence::Optional => {
                serde.push(quote!(default, skip_serializing_if = #is_none));
                serde.extend(date_time.map(|with| quote!(deserialize_with = #with)));
            }
            Presence::OptionalNullable => {
                let with = date_time.unwrap_or_else(|| {
                    self.helpers.nullable = true;
                    "serde_support::nullable"
                });
                serde.push(quote!(
                    default,
                    skip_serializing_if = #is_none,
                    deserialize_with = #with
                ));
            }
            Presence::OptionalJson => {
                self.helpers.present = true;
                serde.push(quote!(
                    default,
                    skip_serializing_if = #is_none,
                    deserialize_with = "serde_support::present"
                ));
            }
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote! { #field_doc #serde pub #rust: #ty, }
    }

    /// The `date_time` reader of a date-time field the user's attributes leave alone, by its
    /// presence, recorded as used.
    fn date_time_reader(&mut self, f: &Field, customized: bool) -> Option<&'static str> {
        if f.ty != TypeRef::DateTime || f.boxed || customized {
            return None;
        }
        let (name, path) = match presence(f) {
            Presence::Required => ("required", "serde_support::date_time::required"),
            Presence::RequiredNullable | Presence::Optional => {
                ("option", "serde_support::date_time::option")
            }
            Presence::OptionalNullable => ("nullable", "serde_support::date_time::nullable"),
            Presence::OptionalJson => return None,
        };
        self.helpers.date_time.insert(name);
        Some(path)
    }

    /// The constructor and setters of a struct the client sends.
    fn building(&mut self, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
        let mut members: Vec<Member> = s.fields.iter().map(|f| self.member(f)).collect();
        if let Extra::Keep(ty) = &s.extra {
            let map = self.ty(&TypeRef::Map(Box::new(ty.clone())));
            let whole = Holding {
                optional: false,
                boxed: false,
                nullable: false,
            };
            let mut m = Member::new(&s.extra_field, &s.extra_field, map, whole);
            m.doc = "Sets the properties the spec does not list.".to_owned();
            members.push(m);
        }
        let item = build::constructor_and_setters(name, &members, &self.std);
        let gate = &self.gate;
        quote!(#gate #item)
    }

    /// A field as a member of its struct's constructor and setters.
    fn member(&mut self, f: &Field) -> Member {
        let inner = self.ty(&f.ty);
        let option = &self.std.option;
        let presence = presence(f);
        let nullable = matches!(
            presence,
            Presence::RequiredNullable | Presence::OptionalNullable
        );
        let takes = if nullable {
            quote!(#option<#inner>)
        } else {
            inner
        };
        let holding = Holding {
            optional: matches!(
                presence,
                Presence::Optional | Presence::OptionalNullable | Presence::OptionalJson
            ),
            boxed: f.boxed,
            nullable,
        };
        let mut m = Member::new(&f.rust, &f.setter, takes.clone(), holding);
        m.required = !holding.optional || f.asked;
        // A required value the schema fixes is filled in, not asked for.
        if let (Some(fixed), true) = (&f.fixed, m.required) {
            let variant = ident(&fixed.variant);
            m.required = false;
            m.fixed = Some(quote!(#takes::#variant));
        }
        m
    }
}

/// An enum's doc: the spec's description, then what being open means.
/// Text the user gave and the generator checked (`lower/overrides.rs`) as tokens.
fn parsed<T: syn::parse::Parse + quote::ToTokens>(text: &str) -> TokenStream {
    let item: T = syn::parse_str(text).expect("overrides are checked when the API is loaded");
    quote!(#item)
}

/// Outer attributes the user gave, each checked to be one.
fn attributes(texts: &[String]) -> TokenStream {
    let parse = syn::Attribute::parse_outer;
    texts
        .iter()
        .flat_map(|t| syn::parse::Parser::parse_str(parse, t).expect("checked when loaded"))
        .map(|a| quote!(#a))
        .collect()
}

/// The derives and attributes the user adds to a type.
fn added_attributes(o: &crate::ir::TypeOverride) -> TokenStream {
    let derives: Vec<TokenStream> = o.derives.iter().map(|d| parsed::<syn::Path>(d)).collect();
    let derive = (!derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]));
    let attributes = attributes(&o.attributes);
    quote!(#derive #attributes)
}

fn open_enum_doc(def: &TypeDef) -> TokenStream {
    let open = "The enum is open: a value the spec does not list decodes into `Unknown` and\nencodes back unchanged.";
    let text = match def.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{d}\n\n{open}"),
        None => open.to_owned(),
    };
    doc_attrs(Some(&text))
}

/// What the docs of a field the tolerant pass loosened say.
const TOLERATED: &str =
    "The spec marks it required; generated tolerant, it is `None` when a server leaves it out.";

fn variant_doc<V>(v: &EnumVariant<V>, wire: &str) -> TokenStream {
    let text = match &v.doc {
        Some(d) => crate::docs::labelled(&code(wire), d),
        None => code(wire),
    };
    doc_attrs(Some(&text))
}

fn emit_string_enum(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    vs: &[EnumVariant<String>],
    gate: &TokenStream,
) -> TokenStream {
    let docs = vs.iter().map(|v| variant_doc(v, &v.value));
    let variants: Vec<_> = vs.iter().map(|v| ident(&v.rust)).collect();
    let values: Vec<_> = vs.iter().map(|v| v.value.as_str()).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants, )*
            /// A value the spec does not list, kept as received.
            Unknown(::std::string::String),
        }

        #gate
        open_string_enum!(#name, [#( (#variants, #values) ),*]);
    }
}

fn emit_int_enum(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    vs: &[EnumVariant<i64>],
    gate: &TokenStream,
) -> TokenStream {
    let docs = vs.iter().map(|v| variant_doc(v, &v.value.to_string()));
    let variants: Vec<_> = vs.iter().map(|v| ident(&v.rust)).collect();
    let values: Vec<_> = vs
        .iter()
        .map(|v| Literal::i64_unsuffixed(v.value))
        .collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants, )*
            /// A value the spec does not list, kept as received.
            Unknown(i64),
        }

        #gate
        open_int_enum!(#name, [#( (#variants, #values) ),*]);
    }
}

/// The impls every open enum shares, written once per crate as `macro_rules!` so that a large
/// API does not repeat them a thousand times (`support/open_*_enum.rs`, written for people to
/// read), as text: `string` and `int` say which the crate uses; `exported` for the shared crate
/// of a split API, whose parts use them too.
pub(crate) fn enum_macros(string: bool, int: bool, exported: bool) -> String {
    const STRING: &str = include_str!("support/open_string_enum.rs");
    const INT: &str = include_str!("support/open_int_enum.rs");
    let export = |text: &str| match exported {
        true => text.replacen(
            "macro_rules!",
            "#[macro_export]\n#[doc(hidden)]\nmacro_rules!",
            1,
        ),
        false => text.to_owned(),
    };
    let used = [(string, STRING), (int, INT)];
    let texts: Vec<String> = used
        .iter()
        .filter(|(u, _)| *u)
        .map(|(_, t)| export(t))
        .collect();
    texts.join("\n")
}
