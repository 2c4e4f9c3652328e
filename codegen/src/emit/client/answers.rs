//! Answers: the success type and how each success is decoded or streamed, and the enum of
//! documented errors.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operation::OpContext;
use crate::docs::{code, labelled};
use crate::emit::{doc_attrs, ident};
use crate::ir::{
    Content, DEFAULT_EVENT, EventVariant, Events, Response, Status, Stream, StreamFormat,
    StreamItem, TypeRef,
};

/// A `match` arm and its rank (exact statuses first).
pub(super) type Arm = (u8, TokenStream);

impl OpContext<'_> {
    /// The Rust type of a response body; `None` when there is none.
    fn body_type(&self, content: &Option<Content>) -> Option<TokenStream> {
        Some(match content.as_ref()? {
            Content::Json(t) => self.ty(t),
            Content::JsonOrText(t) => {
                let t = self.ty(t);
                quote!(JsonOrText<#t>)
            }
            Content::JsonOrBinary(t) => {
                let t = self.ty(t);
                quote!(JsonOrBinary<#t>)
            }
            Content::Text => quote!(String),
            Content::Binary => quote!(Download),
            Content::Stream(stream) => {
                let kind = ident(stream.format.rust_type());
                let item = match &stream.item {
                    StreamItem::Json(t) | StreamItem::Text(t) => self.ty(t),
                    StreamItem::Events(events) => {
                        let name = ident(&events.name);
                        quote!(#name)
                    }
                };
                quote!(#kind<#item>)
            }
        })
    }

    /// The function that makes a streamed answer's `Download` its stream: server-sent events
    /// of text or JSON data, JSON Lines, JSON texts.
    fn stream_constructor(&self, stream: &Stream) -> TokenStream {
        let kind = ident(stream.format.rust_type());
        match &stream.item {
            StreamItem::Text(TypeRef::String) => quote!(#kind::text),
            StreamItem::Text(_) => quote!(#kind::parsed),
            StreamItem::Events(_) => quote!(#kind::named),
            StreamItem::Json(_) => quote!(#kind::new),
        }
    }

    /// The enums of the operation's named events, each decoding an event as its name says.
    pub(super) fn event_enums(&self) -> TokenStream {
        let streams = self.op.responses.iter().flat_map(Response::streams);
        let enums = streams.filter_map(|s| match &s.item {
            StreamItem::Events(events) => Some(self.event_enum(events)),
            _ => None,
        });
        quote!(#( #enums )*)
    }

    fn event_enum(&self, events: &Events) -> TokenStream {
        let (name, gate) = (ident(&events.name), self.gate);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        for v in &events.variants {
            let (rust, data) = (ident(&v.rust), self.ty(&v.data));
            let said = match v.names.as_slice() {
                [] => "Events of the names no other variant has.".to_owned(),
                names => {
                    let names: Vec<String> = names.iter().map(|n| code(n)).collect();
                    format!("Events named {}.", names.join(", "))
                }
            };
            let doc = doc_attrs(Some(&match &v.doc {
                Some(d) => format!("{said}\n\n{d}"),
                None => said,
            }));
            variants.push(quote!(#doc #rust(#data),));
            let (names, decoded) = (v.names.iter(), decoded(v));
            if !v.names.is_empty() {
                arms.push(quote!(#( #names )|* => #decoded,));
            }
        }
        let rest = match events.fallback.map(|i| &events.variants[i]) {
            Some(v) => {
                let decoded = decoded(v);
                quote!(_ => #decoded,)
            }
            None => {
                let other = ident(&events.other);
                variants.push(quote! {
                    /// An event of a name the spec does not document, kept as it came.
                    #other {
                        /// Its name; `None` for the default, `message`.
                        name: Option<String>,
                        /// Its data.
                        data: String,
                    },
                });
                quote!(_ => Self::#other { name: name.map(str::to_owned), data: data.to_owned() },)
            }
        };
        let doc = doc_attrs(Some(&format!(
            "The events of [`Client::{}`]'s stream, told apart by name (`event:`).",
            self.op.rust
        )));
        quote! {
            #gate
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name { #( #variants )* }

            #gate
            impl client_runtime::NamedEvents for #name {
                fn decode(name: Option<&str>, data: &str) -> Result<Self, client_runtime::JsonError> {
                    Ok(match name.unwrap_or(#DEFAULT_EVENT) {
                        #( #arms )*
                        #rest
                    })
                }
            }
        }
    }

    /// The stream opened from the `Download` `d`, ended by the sentinel the spec names; events
    /// reconnect as the method's `reconnect` says.
    fn opened(&self, stream: &Stream, d: TokenStream) -> TokenStream {
        let open = self.stream_constructor(stream);
        let sentinel = stream
            .sentinel
            .as_ref()
            .map(|end| quote!(.sentinel(Some(#end))));
        let reconnect = (stream.format == StreamFormat::Sse).then(|| quote!(.reconnect(reconnect)));
        quote!(#open(#d) #sentinel #reconnect)
    }

    /// How a success read whole is decoded, as a `Response` of its body type.
    fn read(&self, content: &Option<Content>) -> TokenStream {
        match content {
            Some(Content::Json(_)) => quote!(raw.ok()),
            Some(Content::JsonOrText(_)) => quote!(raw.ok_json_or_text()),
            // Bytes are streamed; what is read here is the JSON.
            Some(Content::JsonOrBinary(t)) => {
                let t = self.ty(t);
                quote!(raw.ok::<#t, _>().map(|r| r.map(JsonOrBinary::Json)))
            }
            Some(Content::Text) => quote!(raw.ok_text()),
            // Binary successes and streams are streamed and never read here.
            Some(Content::Binary | Content::Stream(_)) | None => quote!(raw.ok_empty()),
        }
    }

    /// The success type (one type when every documented 2xx agrees, else an enum by status) and
    /// how each success is decoded or streamed.
    pub(super) fn successes(&self) -> Successes {
        let op = self.op;
        let successes: Vec<&Response> = op.responses.iter().filter(|r| r.is_success()).collect();
        let streamed = streamed(&successes);
        if !op.has_success_enum() {
            let content = successes.first().and_then(|r| r.content.clone());
            let decode = self.read(&content);
            // Events answered as JSON were not streamed: an error that says so.
            let mut arms: Vec<Arm> = successes
                .iter()
                .filter(|r| !only_binary(r) || is_sse(r))
                .map(|r| {
                    let pattern = status_pattern(r.status);
                    let read = if is_sse(r) {
                        quote!(raw.not_streamed())
                    } else {
                        decode.clone()
                    };
                    (r.status.rank(), quote!(#pattern => #read,))
                })
                .collect();
            if successes.is_empty() {
                arms.push((1, quote!(200..=299 => raw.ok_empty(),)));
            }
            let ty = self.body_type(&content).unwrap_or_else(|| quote!(()));
            let download = match &content {
                Some(Content::JsonOrBinary(_)) => quote!(download.map(JsonOrBinary::Binary)),
                Some(Content::Stream(stream)) if stream.format != StreamFormat::Sse => {
                    let open = self.stream_constructor(stream);
                    quote!(download.map(#open))
                }
                Some(Content::Stream(stream)) => {
                    let opened = self.opened(stream, quote!(d));
                    quote!(download.map(|d| #opened))
                }
                _ => quote!(download),
            };
            return Successes {
                ty,
                item: TokenStream::new(),
                arms,
                streamed,
                download,
            };
        }
        self.success_enum(&successes, streamed)
    }

    fn success_enum(&self, successes: &[&Response], streamed: Option<TokenStream>) -> Successes {
        let (op, gate) = (self.op, self.gate);
        let name = ident(&op.items.success);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        let mut downloads: Vec<(u8, TokenStream, TokenStream)> = Vec::new();
        for r in successes {
            let variant = ident(&r.variant);
            let doc = doc_attrs(Some(&labelled(&r.status.to_string(), &r.description)));
            let pattern = status_pattern(r.status);
            match self.body_type(&r.content) {
                Some(t) => variants.push(quote!(#doc #variant(#t),)),
                None => variants.push(quote!(#doc #variant,)),
            }
            match &r.content {
                Some(Content::Binary) => downloads.push((
                    r.status.rank(),
                    pattern,
                    quote!(download.map(#name::#variant)),
                )),
                Some(Content::Stream(stream)) => {
                    let opened = self.opened(stream, quote!(d));
                    downloads.push((
                        r.status.rank(),
                        pattern,
                        quote!(download.map(|d| #name::#variant(#opened))),
                    ));
                }
                Some(content) => {
                    if let Content::JsonOrBinary(_) = content {
                        downloads.push((
                            r.status.rank(),
                            pattern.clone(),
                            quote!(download.map(|d| #name::#variant(JsonOrBinary::Binary(d)))),
                        ));
                    }
                    let decode = match content {
                        Content::Json(t) => {
                            let t = self.ty(t);
                            quote!(raw.ok::<#t, _>())
                        }
                        Content::JsonOrText(t) => {
                            let t = self.ty(t);
                            quote!(raw.ok_json_or_text::<#t, _>())
                        }
                        Content::JsonOrBinary(t) => {
                            let t = self.ty(t);
                            quote!(raw.ok::<#t, _>().map(|r| r.map(JsonOrBinary::Json)))
                        }
                        _ => self.read(&r.content),
                    };
                    arms.push((
                        r.status.rank(),
                        quote!(#pattern => #decode.map(|r| r.map(#name::#variant)),),
                    ));
                }
                None => arms.push((
                    r.status.rank(),
                    quote!(#pattern => raw.ok_empty().map(|r| r.map(|()| #name::#variant)),),
                )),
            }
        }
        let download = download_arms(downloads);
        // A download is read once: it is neither cloned nor compared.
        let derives = if successes.iter().any(|r| is_binary(r)) {
            quote!(#[derive(Debug)])
        } else {
            quote!(#[derive(Debug, Clone, PartialEq)])
        };
        let doc = doc_attrs(Some(&format!(
            "The documented successful answers of [`Client::{}`].",
            op.rust
        )));
        let item = quote! {
            #gate
            #doc
            #derives
            #[non_exhaustive]
            pub enum #name { #( #variants )* }
        };
        Successes {
            ty: quote!(#name),
            item,
            arms,
            streamed,
            download,
        }
    }

    pub(super) fn errors(&self) -> Errors {
        let (op, gate) = (self.op, self.gate);
        let error_name = ident(&op.items.error);
        let mut variants = Vec::new();
        let mut docs = Vec::new();
        let mut arms = Vec::new();
        let mut default = quote!(raw.unexpected());
        for r in op.responses.iter().filter(|r| !r.is_success()) {
            let variant = ident(&r.variant);
            let doc = doc_attrs(Some(&labelled(&r.status.to_string(), &r.description)));
            let label = format!("[`{error_name}::{variant}`] ({})", r.status);
            docs.push(crate::docs::list_item(&label, &r.description));
            let make = match &r.content {
                Some(Content::Json(t)) => {
                    let t = self.ty(t);
                    variants.push(quote!(#doc #variant(#t),));
                    quote!(raw.err(|r| r.json().map(#error_name::#variant)))
                }
                Some(Content::JsonOrText(t)) => {
                    let t = self.ty(t);
                    variants.push(quote!(#doc #variant(JsonOrText<#t>),));
                    quote!(raw.err(|r| r.json_or_text().map(#error_name::#variant)))
                }
                // An error answer is read whole: its JSON is decoded, and a body that is not JSON
                // is a decode error that keeps its bytes.
                Some(Content::JsonOrBinary(t)) => {
                    let t = self.ty(t);
                    variants.push(quote!(#doc #variant(#t),));
                    quote!(raw.err(|r| r.json().map(#error_name::#variant)))
                }
                Some(Content::Text) => {
                    variants.push(quote!(#doc #variant(String),));
                    quote!(raw.err(|r| r.text().map(#error_name::#variant)))
                }
                // A stream documented as an error is read whole, as bytes.
                Some(Content::Binary | Content::Stream(_)) => {
                    variants.push(quote!(#doc #variant(Vec<u8>),));
                    quote!(raw.err(|r| Ok(#error_name::#variant(r.body.clone()))))
                }
                None => {
                    variants.push(quote!(#doc #variant,));
                    quote!(raw.err(|_| Ok(#error_name::#variant)))
                }
            };
            if r.status == Status::Default {
                default = make;
            } else {
                let pattern = status_pattern(r.status);
                arms.push((r.status.rank(), quote!(#pattern => #make,)));
            }
        }
        let mut doc = format!(
            "The documented error answers of [`Client::{}`], by HTTP status.",
            op.rust
        );
        if variants.is_empty() {
            doc.push_str(
                "\n\nThe spec documents none yet, so it has no variant: it is here so that a first\n\
                 documented error is a new variant, not a change of the method's signature.",
            );
        }
        let doc = doc_attrs(Some(&doc));
        let item = quote! {
            #gate
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #error_name { #( #variants )* }
        };
        Errors {
            item,
            arms,
            default,
            docs,
        }
    }
}

/// Whether a success is streamed when it comes as bytes (every time, or when it is not JSON).
fn is_binary(r: &Response) -> bool {
    r.content.as_ref().is_some_and(Content::may_be_binary)
}

/// Whether a success is server-sent events.
fn is_sse(r: &Response) -> bool {
    matches!(&r.content, Some(Content::Stream(s)) if s.format == StreamFormat::Sse)
}

/// Whether a success is only ever bytes or a stream, never read here.
fn only_binary(r: &Response) -> bool {
    r.content.as_ref().is_some_and(Content::is_streamed)
}

/// Whether a streamed success is taken only when the server does not say JSON: one that may be
/// JSON too, and server-sent events (JSON there means the server did not stream, which the
/// method reports as `Error::NotStreamed` rather than as no events).
fn checks_media(r: &Response) -> bool {
    matches!(r.content, Some(Content::JsonOrBinary(_))) || is_sse(r)
}

/// What the method does with its successful answers.
pub(super) struct Successes {
    /// The type of `Response<_>`.
    pub ty: TokenStream,
    /// The success enum, when the successes disagree.
    pub item: TokenStream,
    pub arms: Vec<Arm>,
    /// Which statuses are streamed (binary successes): a predicate on `status`, or `None`.
    pub streamed: Option<TokenStream>,
    /// How a streamed `download` becomes the success type.
    pub download: TokenStream,
}

/// The predicate of the streamed answers, on `status` and `media` (the `Content-Type`): the
/// statuses of binary successes (when they are not JSON, for a success that may be either),
/// but for exact statuses that a binary range (`2XX`) would take from another kind of answer.
fn streamed(successes: &[&Response]) -> Option<TokenStream> {
    let binary: Vec<TokenStream> = successes
        .iter()
        .filter(|r| is_binary(r))
        .map(|r| {
            let pattern = status_pattern(r.status);
            if checks_media(r) {
                quote!((matches!(status, #pattern) && !media.is_some_and(client_runtime::is_json)))
            } else {
                quote!(matches!(status, #pattern))
            }
        })
        .collect();
    if binary.is_empty() {
        return None;
    }
    let others: Vec<TokenStream> = successes
        .iter()
        .filter(|r| !is_binary(r) && matches!(r.status, Status::Code(_)))
        .map(|r| status_pattern(r.status))
        .collect();
    let media = if successes.iter().any(|r| is_binary(r) && checks_media(r)) {
        quote!(media)
    } else {
        quote!(_)
    };
    let taken = quote!(#( #binary )||*);
    Some(if others.is_empty() {
        quote!(|status, #media| #taken)
    } else {
        quote!(|status, #media| (#taken) && !matches!(status, #( #others )|*))
    })
}

/// How a download becomes its success variant, by status, exact statuses first; the last arm
/// takes the rest (only streamed statuses reach it).
fn download_arms(mut downloads: Vec<(u8, TokenStream, TokenStream)>) -> TokenStream {
    downloads.sort_by_key(|(rank, ..)| *rank);
    let Some((_, _, last)) = downloads.pop() else {
        return quote!(download);
    };
    if downloads.is_empty() {
        return last;
    }
    let arms = downloads
        .iter()
        .map(|(_, pattern, map)| quote!(#pattern => #map,));
    quote!(match download.status.as_u16() { #( #arms )* _ => #last, })
}

/// An operation's error enum and how answers become it.
pub(super) struct Errors {
    pub item: TokenStream,
    pub arms: Vec<Arm>,
    /// What statuses nothing else matches give: the `default` answer, or unexpected.
    pub default: TokenStream,
    /// One line per variant, for the method's docs.
    pub docs: Vec<String>,
}

/// The `match` pattern of a status: `401`, or a range for `4XX`.
pub(super) fn status_pattern(status: Status) -> TokenStream {
    match status.codes() {
        Some(codes) if codes.start() == codes.end() => {
            let code = Literal::u16_unsuffixed(*codes.start());
            quote!(#code)
        }
        Some(codes) => {
            let (lo, hi) = (
                Literal::u16_unsuffixed(*codes.start()),
                Literal::u16_unsuffixed(*codes.end()),
            );
            quote!(#lo..=#hi)
        }
        None => quote!(_),
    }
}

/// The variant `v` of an enum of events, holding the `data` of an event read as `v` says.
fn decoded(v: &EventVariant) -> TokenStream {
    let rust = ident(&v.rust);
    if v.json {
        quote!(Self::#rust(client_runtime::json_data(data)?))
    } else {
        quote!(Self::#rust(client_runtime::text_data(data)?))
    }
}
