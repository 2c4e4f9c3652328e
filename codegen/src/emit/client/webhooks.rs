//! The client's `webhooks` module: the requests the API sends (webhooks and callbacks) as one
//! enum of events, a pair of functions per webhook (verified, and unverified by name), and
//! `Event::receive` where something on the wire tells the events apart.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{Std, doc_attrs, ident, inner_doc_attrs, type_tokens};
use crate::docs::code;
use crate::ir::{Api, HmacSigning, Operation, Signing, SigningScheme};
use crate::lower::events::{Payload, Tag, event_tags};
use crate::plan::Plan;

/// The `#[cfg]` of a split client's `webhooks` module: the events' feature, when their
/// payloads have types to gate.
pub(crate) fn webhooks_gate(plan: &Plan) -> TokenStream {
    let events = crate::plan::features::WEBHOOKS;
    let parts = plan.placement.parts.iter();
    match parts.flat_map(|p| &p.features).any(|f| f == events) {
        true => quote!(#[cfg(feature = #events)]),
        false => TokenStream::new(),
    }
}

/// The `webhooks` module under `gate`, or nothing when the API sends nothing.
pub(crate) fn emit_webhooks(api: &Api, gate: TokenStream) -> TokenStream {
    if api.webhooks.is_empty() {
        return TokenStream::new();
    }
    let std = Std::new(|_| false);
    let tags = event_tags(api);
    let event = event_enum(api, &std);
    let receive = tags.as_ref().map(|tags| receive(api, tags));
    let functions = api.webhooks.iter().map(|op| {
        let answer = answer_enum(op, &std);
        let functions = functions(op, &std);
        let url = url_function(op);
        quote!(#functions #url #answer)
    });
    let verifier = api.signing.as_ref().map(verifier);
    let doc = inner_doc_attrs(&module_doc(api, tags.is_some()));
    quote! {
        #gate
        pub mod webhooks {
            #doc
            // A payload's type is the spec's, however nested or large.
            #![allow(clippy::type_complexity, clippy::large_enum_variant)]
            #[doc(no_inline)]
            pub use client_runtime::http::HeaderMap;
            // The runtime's whole `webhook` module: with the `axum` feature, its extractors.
            #[doc(no_inline)]
            pub use client_runtime::webhook::*;

            #verifier
            #event
            #receive
            #( #functions )*
        }
    }
}

fn module_doc(api: &Api, told_apart: bool) -> String {
    let how = if told_apart {
        "[`Event::receive`] verifies a request and decodes whichever event it holds."
    } else {
        "Nothing on the wire tells these events apart (no property or header the spec gives\n\
         them has a value of its own): decode a request with the function of the one webhook its\n\
         endpoint receives."
    };
    let count = api.webhooks.len();
    format!(
        "The requests the API sends to your server (its webhooks and callbacks): {count}\n\
         event{s}, as [`Event`]s.\n\n\
         Each has a function that verifies a request with a [`Verifier`] and then decodes it\n\
         ([`Verified`] holds the delivery's id, to drop a delivery already handled), and one that\n\
         decodes without verifying, which says so in its name. {how}",
        s = if count == 1 { "" } else { "s" },
    )
}

fn event_enum(api: &Api, std: &Std) -> TokenStream {
    let variants = api.webhooks.iter().map(|op| {
        let name = ident(&op.items.event);
        let doc = doc_attrs(Some(&event_doc(op)));
        match payload_type(op, std) {
            Some(ty) => quote!(#doc #name(#ty),),
            None => quote!(#doc #name,),
        }
    });
    quote! {
        /// An event the API sends: a webhook's or a callback's payload, by event. A new event of
        /// the spec is a new variant, which a `match` meets in its wildcard arm.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #( #variants )*
            /// An event the spec does not list, kept whole.
            Unknown(UnknownEvent),
        }
    }
}

/// What the docs say an event is: its name, method and summary.
fn event_doc(op: &Operation) -> String {
    let what = match &op.callback {
        Some((operation, name)) => format!(
            "The callback {} of {} (`{}` to {})",
            code(name),
            code(operation),
            op.method,
            code(&op.path)
        ),
        None => format!("The webhook {} (`{}`)", code(&op.path), op.method),
    };
    let summary = op
        .summary
        .as_deref()
        .map(|s| format!(": {}", s.trim().trim_end_matches('.')))
        .unwrap_or_default();
    format!("{what}{summary}")
}

fn payload_type(op: &Operation, std: &Std) -> Option<TokenStream> {
    match Payload::of(op) {
        Payload::None => None,
        Payload::Json(ty) => Some(type_tokens(&ty, &quote!(super::models::), std)),
        Payload::Text => Some(std.string.clone()),
        Payload::Bytes => Some(quote!(client_runtime::Bytes)),
    }
}

/// `<callback>_url()`: where the API sends a callback, as its key's expression says.
fn url_function(op: &Operation) -> TokenStream {
    use crate::lower::events::UrlPart;
    let Some((operation, name)) = &op.callback else {
        return TokenStream::new();
    };
    let parts = crate::lower::events::url_parts(&op.path)
        .into_iter()
        .map(|part| match part {
            UrlPart::Text(t) => quote!(UrlPart::Text(#t)),
            UrlPart::Url => quote!(UrlPart::Url),
            UrlPart::Method => quote!(UrlPart::Method),
            UrlPart::StatusCode => quote!(UrlPart::StatusCode),
            UrlPart::RequestPath(n) => quote!(UrlPart::RequestPath(#n)),
            UrlPart::RequestQuery(n) => quote!(UrlPart::RequestQuery(#n)),
            UrlPart::RequestHeader(n) => quote!(UrlPart::RequestHeader(#n)),
            UrlPart::RequestBody(p) => quote!(UrlPart::RequestBody(#p)),
            UrlPart::ResponseHeader(n) => quote!(UrlPart::ResponseHeader(#n)),
            UrlPart::ResponseBody(p) => quote!(UrlPart::ResponseBody(#p)),
        });
    let function = ident(&op.items.url);
    let doc = doc_attrs(Some(&format!(
        "Where the API sends the callback {} of {}: {}, its values taken from that call\n([`UrlExpression::from_request_body`] expands one that reads the request's body).",
        code(name),
        code(operation),
        code(&op.path)
    )));
    quote! {
        #doc
        pub fn #function() -> UrlExpression {
            UrlExpression(&[ #( #parts ),* ])
        }
    }
}

/// `<Webhook>Answer`: what the receiving server answers, as the spec documents it, with its
/// conversion into the runtime's `Answer`; nothing when it documents none.
fn answer_enum(op: &Operation, std: &Std) -> TokenStream {
    if op.responses.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&op.items.answer);
    let (variants, arms): (Vec<_>, Vec<_>) = op
        .responses
        .iter()
        .map(|r| answer_variant(&name, r, std))
        .unzip();
    let doc = doc_attrs(Some(&format!(
        "What your server answers the event {}, as the spec documents it: `.into()` makes the\n[`Answer`] any server sends (with the `axum` feature, a response).",
        code(&op.id)
    )));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }

        impl From<#name> for Answer {
            fn from(answer: #name) -> Answer {
                match answer {
                    #( #arms )*
                }
            }
        }
    }
}

/// A variant of an answer enum and its arm of the conversion.
fn answer_variant(
    name: &proc_macro2::Ident,
    r: &crate::ir::Response,
    std: &Std,
) -> (TokenStream, TokenStream) {
    use crate::ir::{Content, Status};
    let variant = ident(&r.variant);
    let label = match r.status {
        Status::Code(c) => c.to_string(),
        Status::Range(c) => format!("{c}XX"),
        Status::Default => "default".to_owned(),
    };
    let said = crate::docs::labelled(&format!("`{label}`"), &crate::docs::prose(&r.description));
    let doc = doc_attrs(Some(&said));
    let status = match r.status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        _ => quote!(status),
    };
    let (ty, make) = match &r.content {
        None => (None, quote!(Answer::empty(#status))),
        Some(Content::Text) => (
            Some(std.string.clone()),
            quote!(Answer::text(#status, body)),
        ),
        Some(Content::Binary | Content::Stream(_)) => (
            Some(quote!(client_runtime::Bytes)),
            quote!(Answer::bytes(#status, body)),
        ),
        Some(Content::Json(t) | Content::JsonOrText(t) | Content::JsonOrBinary(t)) => (
            Some(type_tokens(t, &quote!(super::models::), std)),
            quote!(Answer::json(#status, &body)),
        ),
    };
    let fixed = matches!(r.status, Status::Code(_));
    match (fixed, ty) {
        (true, None) => (quote!(#doc #variant,), quote!(#name::#variant => #make,)),
        (true, Some(ty)) => (
            quote!(#doc #variant(#ty),),
            quote!(#name::#variant(body) => #make,),
        ),
        (false, None) => (
            quote!(#doc #variant {
                /// The status.
                status: u16,
            },),
            quote!(#name::#variant { status } => #make,),
        ),
        (false, Some(ty)) => (
            quote!(#doc #variant {
                /// The status.
                status: u16,
                /// The body.
                body: #ty,
            },),
            quote!(#name::#variant { status, body } => #make,),
        ),
    }
}

/// `verifier(secrets)`: a [`Verifier`] of the configured scheme.
fn verifier(signing: &Signing) -> TokenStream {
    let tolerance = signing.tolerance.map(|s| {
        let s = proc_macro2::Literal::u64_unsuffixed(s);
        quote!(.tolerance(std::time::Duration::from_secs(#s)))
    });
    let (build, said) = match &signing.scheme {
        SigningScheme::StandardWebhooks => (
            quote!(Verifier::standard_webhooks(secrets)?),
            "Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): each\nsecret a `whsec_…` symmetric one or a `whpk_…` public key".to_owned(),
        ),
        SigningScheme::Hmac(h) => (
            hmac_verifier(h),
            format!("HMAC, the signature in the header {}: each secret's bytes the key", code(&h.header)),
        ),
    };
    let doc = doc_attrs(Some(&format!(
        "A [`Verifier`] of the scheme the API signs with, as this crate's generation was\nconfigured: {said}, tried in turn (several during a rotation).\n\n# Errors\n\nA secret that cannot be used."
    )));
    quote! {
        #doc
        pub fn verifier<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Result<Verifier, SetupError> {
            Ok(#build #tolerance)
        }
    }
}

/// The expression that builds the verifier of an HMAC scheme from `secrets`.
fn hmac_verifier(h: &HmacSigning) -> TokenStream {
    let header = &h.header;
    let mut scheme = quote!(HmacScheme::new(#header));
    if let Some(prefix) = &h.prefix {
        scheme = quote!(#scheme.prefix(#prefix));
    }
    if let Some((timestamp, signature)) = &h.pairs {
        scheme = quote!(#scheme.pairs(#timestamp, #signature));
    }
    if let Some(name) = &h.timestamp_header {
        scheme = quote!(#scheme.timestamp_header(#name));
    }
    if let Some(name) = &h.id_header {
        scheme = quote!(#scheme.id_header(#name));
    }
    if let Some(template) = &h.signed {
        scheme = quote!(#scheme.signed(#template)?);
    }
    if h.encoding.as_deref() == Some("base64") {
        scheme = quote!(#scheme.encoding(Encoding::Base64));
    }
    if h.algorithm.as_deref() == Some("sha512") {
        scheme = quote!(#scheme.algorithm(Algorithm::Sha512));
    }
    quote!(Verifier::hmac(#scheme, secrets.into_iter().map(|s| s.as_ref().to_owned()))?)
}

/// The two functions of event `op`: verified, and unverified by name.
fn functions(op: &Operation, std: &Std) -> TokenStream {
    let (verified, unverified) = (ident(&op.rust), ident(&op.items.unverified));
    let event = &op.id;
    let ty = payload_type(op, std).unwrap_or_else(|| quote!(()));
    let read = match Payload::of(op) {
        Payload::None => quote!({
            let _ = request;
            Ok(())
        }),
        Payload::Json(_) => quote!(request.json(#event)),
        Payload::Text => quote!(request.text(#event)),
        Payload::Bytes => quote!(Ok(request.bytes())),
    };
    let doc = doc_attrs(Some(&format!(
        "{}.\n\nVerifies `request` with `verifier`, then decodes its payload.",
        event_doc(op)
    )));
    let unverified_doc = doc_attrs(Some(&format!(
        "Decodes `request` as the event {} without verifying it: only for a request checked\nanother way.",
        code(event)
    )));
    quote! {
        #doc
        pub fn #verified(verifier: &Verifier, request: &Request) -> Result<Verified<#ty>, WebhookError> {
            let verified = verifier.verify(request)?;
            Ok(verified.with(#unverified(request)?))
        }

        #unverified_doc
        pub fn #unverified(request: &Request) -> Result<#ty, WebhookError> {
            #read
        }
    }
}

/// `Event::receive` and `Event::decode_unverified`, which read the tags to pick the event.
fn receive(api: &Api, tags: &[Option<Tag>]) -> TokenStream {
    let mut keys: Vec<(&str, &str)> = tags.iter().flatten().map(Tag::key).collect();
    keys.sort_unstable();
    keys.dedup();
    let local = |key: (&str, &str)| {
        let i = keys.iter().position(|k| *k == key).unwrap_or_default();
        ident(&format!("tag_{i}"))
    };
    let reads = keys.iter().map(|&key| {
        let name = local(key);
        match key {
            ("header", header) => {
                quote!(let #name = request.header(#header).unwrap_or_default().map(str::to_owned);)
            }
            (_, field) => quote!(let #name = request.field(#field);),
        }
    });
    let arms = api.webhooks.iter().zip(tags).map(|(op, tag)| {
        let (unverified, variant) = (ident(&op.items.unverified), ident(&op.items.event));
        let wrap = match Payload::of(op) {
            Payload::None => quote!(.map(|()| Event::#variant)),
            _ => quote!(.map(Event::#variant)),
        };
        let decode = quote!(#unverified(request) #wrap);
        match tag {
            Some(tag) => {
                let (name, value) = (local(tag.key()), tag.value());
                quote!(if #name.as_deref() == Some(#value) { return #decode; })
            }
            None => decode,
        }
    });
    // One event without a tag is decoded whatever the request holds.
    let unknown = match keys.first() {
        _ if tags.iter().any(Option::is_none) => TokenStream::new(),
        Some(&key) => {
            let name = local(key);
            quote!(Ok(Event::Unknown(request.unknown(#name))))
        }
        None => quote!(Ok(Event::Unknown(request.unknown(None)))),
    };
    let told = tags
        .iter()
        .zip(&api.webhooks)
        .filter_map(|(tag, op)| {
            Some(format!(
                "- {}: {}",
                code(&op.items.event),
                tag.as_ref()?.describe()
            ))
        })
        .collect::<Vec<_>>();
    let how = if told.is_empty() {
        "The API sends one event.".to_owned()
    } else {
        format!(
            "The event is the one whose tag the request holds:\n\n{}\n\nAnother value is an [`Event::Unknown`], kept whole.",
            told.join("\n")
        )
    };
    let receive_doc = doc_attrs(Some(&format!(
        "Verifies `request` with `verifier`, then decodes its event.\n\n{how}"
    )));
    quote! {
        impl Receive for Event {
            fn receive(verifier: &Verifier, request: &Request) -> Result<Verified<Event>, WebhookError> {
                Event::receive(verifier, request)
            }
        }

        impl Event {
            #receive_doc
            pub fn receive(verifier: &Verifier, request: &Request) -> Result<Verified<Event>, WebhookError> {
                let verified = verifier.verify(request)?;
                Ok(verified.with(Event::decode_unverified(request)?))
            }

            /// Decodes `request`'s event without verifying it: only for a request checked another
            /// way.
            pub fn decode_unverified(request: &Request) -> Result<Event, WebhookError> {
                #( #reads )*
                #( #arms )*
                #unknown
            }
        }
    }
}
