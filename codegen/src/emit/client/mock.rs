//! The client crate's `mock` module (feature `mock`): a `MockServer` with a mock per
//! operation, which matches the requests the operation's method sends (built by the very
//! statements the method runs) and answers in the operation's documented types only.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::operation::OpContext;
use crate::docs::code;
use crate::emit::{Std, doc_attrs, ident, inner_doc_attrs};
use crate::ir::{
    Api, BodyKind, Content, DEFAULT_EVENT, Events, Operation, Param, ParamLocation, Response,
    Status, Stream, StreamFormat, StreamItem, StyleKind, TypeKind, TypeRef,
};

/// The path of the module's file in the client crate (a build script's module tree leaves the
/// module out).
pub const FILE: &str = "src/mock.rs";

/// One operation of the module: its `#[cfg]` (a split client's tag feature, or nothing) and
/// the path of the type or trait whose method calls it (`Client`, `prelude::ReposOperations`).
pub struct MockOp<'a> {
    pub op: &'a Operation,
    pub gate: TokenStream,
    pub owner: String,
    /// Whether `matching` compares the body: not in a split client's facade, where the body
    /// types' conversions are their part's own.
    pub body: bool,
}

/// The operations of a crate that holds them all, as inherent methods of `Client`.
pub fn whole(api: &Api) -> Vec<MockOp<'_>> {
    let owner = "Client".to_owned();
    let gate = TokenStream::new();
    let op = |op| MockOp {
        op,
        gate: gate.clone(),
        owner: owner.clone(),
        body: true,
    };
    api.operations.iter().map(op).collect()
}

/// The `mock` module's tokens, with a mock of each of `ops`; `uses` brings what the crate's
/// root does not hold into scope (a split client's traits).
pub fn emit_mock(api: &Api, ops: &[MockOp], uses: TokenStream) -> TokenStream {
    let std = Std::new(|_| false);
    let contexts: Vec<(OpContext, &MockOp)> = ops
        .iter()
        .map(|m| (OpContext::new(api, m.op, &std, &m.gate, false), m))
        .collect();
    let starts = contexts.iter().map(|(cx, m)| start_method(cx, m));
    let mocks = contexts.iter().map(|(cx, m)| operation_mock(cx, m));
    let doc = inner_doc_attrs(&format!(
        "Typed mocks of the {} for tests of code that calls it (feature `mock`).\n\n\
         [`MockServer::start`] starts a server on loopback and [`MockServer::client`] gives a\n\
         [`Client`] pointed at it. Each operation has a mock, `server.get_pet()` for\n\
         `Client::get_pet`: `matching(...)` takes the method's own arguments and matches the\n\
         requests it sends with them, `times(n)` says how many must come, and its answers are\n\
         the operation's documented ones in their types (`ok(body)`, `error(error)`, the\n\
         pages of a list with `ok_in_turn`). A request that no mock matches is answered 501 with\n\
         a text naming the closest mock and what differed.",
        api.doc_name()
    ));
    quote! {
        #doc
        // Arguments have the spec's names.
        #![allow(clippy::disallowed_names)]

        use super::*;
        #uses
        #[allow(unused_imports)]
        use client_runtime::mock::{Answer, Event, Mocking, Received};

        /// A server on loopback that answers as its mocks say.
        #[derive(Debug)]
        pub struct MockServer(client_runtime::mock::MockServer);

        impl MockServer {
            /// Starts a server on a free port of 127.0.0.1.
            pub async fn start() -> MockServer {
                MockServer(client_runtime::mock::MockServer::start().await)
            }

            /// The server's base URL.
            pub fn uri(&self) -> String {
                self.0.uri()
            }

            /// A client of the API pointed at the server.
            pub fn client(&self) -> Client {
                self.client_builder().build().expect("a mock server's URL is a base URL")
            }

            /// A client builder pointed at the server, for credentials, retries, middleware.
            pub fn client_builder(&self) -> ClientBuilder {
                ClientBuilder::new().base_url(self.0.uri())
            }

            /// Every request the server received, in order, with the operation it fits.
            pub async fn received(&self) -> Vec<Received> {
                self.0.received().await
            }

            /// Panics when a mock did not receive the number of calls its `times` says (the
            /// server also checks when dropped).
            pub async fn verify(&self) {
                self.0.verify().await
            }

            #( #starts )*
        }

        #( #mocks )*
    }
}

/// `MockServer::<op>()`, which starts the operation's mock.
fn start_method(cx: &OpContext, m: &MockOp) -> TokenStream {
    let (op, gate, owner) = (cx.op, &m.gate, &m.owner);
    let (name, mock) = (ident(&op.items.mock_start), ident(&op.items.mock));
    let (id, template) = (Literal::string(&op.id), Literal::string(&op.path));
    let method = Literal::string(op.method.upper());
    let doc = doc_attrs(Some(&format!(
        "The mock of [`{owner}::{}`], {}: every such request until `matching` narrows it.",
        op.rust,
        code(&format!("{} {}", op.method, op.path))
    )));
    quote! {
        #doc
        #gate
        pub fn #name(&self) -> #mock<'_> {
            #mock(self.0.mocking(#method, client_runtime::Operation { id: #id, template: #template }))
        }
    }
}

/// The operation's mock: its matcher, settings and answers.
fn operation_mock(cx: &OpContext, m: &MockOp) -> TokenStream {
    let (op, gate, owner) = (cx.op, &m.gate, m.owner.as_str());
    let mock = ident(&op.items.mock);
    let doc = doc_attrs(Some(&format!(
        "The mock of [`{owner}::{}`] ({}), from [`MockServer::{}`].",
        op.rust,
        code(&format!("{} {}", op.method, op.path)),
        op.items.mock_start
    )));
    let plain = matching(cx, m.body, "matching", owner, (&op.rust, &op.items.with));
    let streaming = crate::plan::shape::streaming_twin(op).map(|twin| {
        let mut twin_cx = OpContext::new(cx.api, &twin, cx.std, cx.gate, false);
        twin_cx.stream_flag = crate::plan::shape::stream_flag(cx.api, op);
        let names = (op.items.stream.as_str(), op.items.stream_with.as_str());
        matching(&twin_cx, m.body, "matching_stream", owner, names)
    });
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.is_success()).collect();
    let oks = successes
        .iter()
        .enumerate()
        .map(|(i, r)| success_answer(cx, r, i == 0, owner));
    let error = error_answer(cx);
    let bodies = received_bodies(cx);
    let arguments = received_arguments(cx);
    let examples = example_answers(cx);
    quote! {
        #doc
        #gate
        #[derive(Debug)]
        #[must_use = "a mock answers nothing until an answer is given"]
        pub struct #mock<'a>(Mocking<'a>);

        #gate
        impl #mock<'_> {
            #plain
            #streaming

            /// The number of calls it must receive; the server panics when dropped (or at
            /// [`MockServer::verify`]) if it received another.
            pub fn times(self, times: u64) -> Self {
                Self(self.0.times(times))
            }

            /// A header sent with the answer (one the operation documents, say).
            pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                Self(self.0.header(name, value))
            }

            /// Answers the first `n` matching requests 503 with `Retry-After: 0`, as a server
            /// briefly down: the client retries them (an idempotent method, or a policy that
            /// retries any).
            pub fn unavailable_first(self, n: u64) -> Self {
                Self(self.0.unavailable_first(n))
            }

            /// The answer comes after `delay` (to test a timeout).
            pub fn delay(self, delay: std::time::Duration) -> Self {
                Self(self.0.delay(delay))
            }

            /// The requests received that fit the operation (its method and path template).
            pub async fn received(&self) -> Vec<Received> {
                self.0.received().await
            }

            #bodies
            #arguments
            #( #oks )*
            #error
            #( #examples )*
        }
    }
}

/// `matching(args)` with the arguments of `owner`'s method `plain`, and where the operation
/// has optional parameters `matching_with(args, &params)` with those of `with` (the names
/// `name` and `name_with`): the request their statements build. The client's methods come in
/// the same two forms, so that a new optional parameter adds a method here too.
fn matching(
    cx: &OpContext,
    body: bool,
    name: &str,
    owner: &str,
    (plain, with): (&str, &str),
) -> TokenStream {
    let mut args = cx.arguments();
    let mut setup = cx.request_setup_with(body);
    if cx.op.body.is_some() && !body {
        let arg = ident(&cx.op.items.body_arg);
        setup.push(quote!(let _ = #arg;));
    }
    let (method, path) = (cx.method_expr(), cx.path_expr());
    let compared = match (cx.op.body.is_some(), body) {
        (false, _) => "",
        (true, true) => " and its body (JSON compared as values)",
        (true, false) => " (the body is not compared: a split client's body types are its parts')",
    };
    let doc = |of: &str| {
        doc_attrs(Some(&format!(
            "Matches only the requests [`{owner}::{of}`] sends with these arguments: the same\n\
             path, its query and header parameters{compared}."
        )))
    };
    let allow = |n: usize| (n > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let fullest = |name: &str, of: &str, args: &[TokenStream]| {
        let (doc, allow, name) = (doc(of), allow(args.len()), ident(name));
        quote! {
            #doc
            #allow
            // The closure holds the method's statements, whose `?` it catches.
            #[allow(clippy::redundant_closure_call)]
            pub fn #name(self, #( #args ),*) -> Self {
                let expected = (|| -> Result<client_runtime::RequestParts, Error<()>> {
                    let mut request = self.0.client().request(#method, #path);
                    #( #setup )*
                    Ok(request)
                })();
                Self(self.0.expecting(expected))
            }
        }
    };
    if cx.optional.is_empty() {
        return fullest(name, plain, &args);
    }
    let with_name = format!("{name}_with");
    let mut out = fullest(&with_name, with, &args);
    args.pop();
    let op = cx.op;
    let passed = cx
        .required
        .iter()
        .map(|p| ident(&p.rust))
        .chain(op.body.as_ref().map(|_| ident(&op.items.body_arg)));
    let (doc, allow) = (doc(plain), allow(args.len()));
    let (name, with_name, params) = (ident(name), ident(&with_name), ident(&op.items.params));
    out.extend(quote! {
        #doc
        #allow
        pub fn #name(self, #( #args ),*) -> Self {
            self.#with_name(#( #passed, )* &#params::default())
        }
    });
    out
}

/// `received_bodies()`, for an operation whose body may be JSON.
fn received_bodies(cx: &OpContext) -> Option<TokenStream> {
    let body = cx.op.body.as_ref()?;
    let ty = body.media.iter().find_map(|m| match &m.kind {
        BodyKind::Json(t) => Some(cx.ty(t)),
        _ => None,
    })?;
    let doc = doc_attrs(Some(
        "The JSON bodies of the requests received that fit the operation, decoded; panics on\n\
         one that is not of the body's type.",
    ));
    Some(quote! {
        #doc
        pub async fn received_bodies(&self) -> Vec<#ty> {
            self.0
                .received()
                .await
                .iter()
                .map(|r| r.json().unwrap_or_else(|e| panic!("a body received is not the operation's: {e}")))
                .collect()
        }
    })
}

/// `received_arguments()`: the parameters of each request received, decoded into the
/// method's arguments (and its `<Op>Params`); `None` for an operation without parameters or
/// with one a mock cannot read back yet ([`readable`]).
fn received_arguments(cx: &OpContext) -> Option<TokenStream> {
    let op = cx.op;
    if op.params.is_empty() || !op.params.iter().all(|p| readable(cx.api, p)) {
        return None;
    }
    let read = |p: &Param| {
        let at = parameter(op, cx.api, p);
        quote!(request.parameter(#at).unwrap_or_else(|e| panic!("{e}")))
    };
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut reads = Vec::new();
    for p in &cx.required {
        let (name, ty, read, wire) = (ident(&p.rust), cx.ty(&p.ty), read(p), &p.wire);
        reads.push(quote! {
            let #name: #ty = #read.unwrap_or_else(|| panic!("no parameter `{}`", #wire));
        });
        names.push(name);
        types.push(ty);
    }
    if !cx.optional.is_empty() {
        // Named as the method's locals are: no parameter takes these names.
        let (params, local) = (ident(&op.items.params), ident(&op.items.params_arg));
        reads.push(quote!(let mut #local = #params::default();));
        for p in &cx.optional {
            let (setter, ty, read) = (ident(&p.setter), cx.ty(&p.ty), read(p));
            reads.push(quote! {
                if let Some(raw) = #read {
                    let raw: #ty = raw;
                    #local = #local.#setter(raw);
                }
            });
        }
        names.push(local);
        types.push(quote!(#params));
    }
    let (value, ty) = match (names.as_slice(), types.as_slice()) {
        ([name], [ty]) => (quote!(#name), quote!(#ty)),
        _ => (quote!((#( #names ),*)), quote!((#( #types ),*))),
    };
    let doc = doc_attrs(Some(
        "The parameters of the requests received that fit the operation, in order, decoded as\n\
         the method takes them; panics on one that does not decode.",
    ));
    Some(quote! {
        #doc
        pub async fn received_arguments(&self) -> Vec<#ty> {
            self.0
                .received()
                .await
                .iter()
                .map(|request| {
                    #( #reads )*
                    #value
                })
                .collect()
        }
    })
}

/// Whether a mock can read parameter `p` back: in the path, the query or a header, written
/// plainly or as a delimited list, of a scalar, an enum, a date, or a list of them.
fn readable(api: &Api, p: &Param) -> bool {
    let styled = matches!(
        p.style.kind,
        StyleKind::Simple | StyleKind::Form | StyleKind::SpaceDelimited | StyleKind::PipeDelimited
    );
    let ty = match api.unalias(&p.ty) {
        TypeRef::Vec(item) => api.unalias(item),
        ty => ty,
    };
    let scalar = match ty {
        TypeRef::Named(name) => matches!(
            api.types.get(name).map(|d| &d.kind),
            Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_))
        ),
        TypeRef::Json | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Option(_) => false,
        _ => true,
    };
    p.location != ParamLocation::Cookie && styled && scalar
}

/// The runtime's `Parameter` of `p`: its name, where it is, and what joins a list's values.
fn parameter(op: &Operation, api: &Api, p: &Param) -> TokenStream {
    let (name, template) = (Literal::string(&p.wire), Literal::string(&op.path));
    let location = match p.location {
        ParamLocation::Path => quote!(client_runtime::mock::Location::Path(#template)),
        ParamLocation::Header => quote!(client_runtime::mock::Location::Header),
        _ => quote!(client_runtime::mock::Location::Query),
    };
    let list = matches!(api.unalias(&p.ty), TypeRef::Vec(_));
    let separator = match (list, p.style.kind, p.style.explode) {
        (false, ..) | (true, StyleKind::Form, true) => quote!(None),
        (true, StyleKind::SpaceDelimited, _) => quote!(Some(' ')),
        (true, StyleKind::PipeDelimited, _) => quote!(Some('|')),
        (true, ..) => quote!(Some(',')),
    };
    quote! {
        client_runtime::mock::Parameter { name: #name, location: #location, separator: #separator }
    }
}

/// The answer method of one documented success: `ok` for the first (so that a success added
/// after it adds a method), `ok_<variant>` for the others; and `<that>_in_turn` for a JSON
/// body.
fn success_answer(cx: &OpContext, r: &Response, first: bool, owner: &str) -> TokenStream {
    let name = if first {
        "ok".to_owned()
    } else {
        format!("ok_{}", crate::naming::field_name(&r.variant))
    };
    let status = answer_status(cx.op, r);
    let said = match r.status {
        Status::Code(_) => status.to_string(),
        _ => format!("{} (sent as {status})", r.status),
    };
    let Some((arg, make)) = answer_of(cx, r, status) else {
        return TokenStream::new();
    };
    let method = ident(&name);
    let doc = doc_attrs(Some(&format!(
        "Answers {said}: {}",
        one_line(&r.description)
    )));
    let mut out = quote! {
        #doc
        pub async fn #method(self, #arg) {
            self.0.answer(#make).await
        }
    };
    if let Some((items, make)) = r
        .stream
        .as_ref()
        .and_then(|st| stream_answer(cx, st, status))
    {
        let method = ident(&format!("{name}_stream"));
        let doc = doc_attrs(Some(&format!(
            "Answers {said} with the stream the answer offers beside its JSON (what\n\
             [`{owner}::{}`] asks for), `items` in turn.",
            cx.op.items.stream
        )));
        out.extend(quote! {
            #doc
            pub async fn #method(self, #items) {
                self.0.answer(#make).await
            }
        });
    }
    if let Some(Content::Json(t)) = &r.content {
        let (ty, media) = (cx.ty(t), Literal::string(&media_of(r, true)));
        let in_turn = ident(&format!("{name}_in_turn"));
        let doc = doc_attrs(Some(&format!(
            "Answers {said} with `bodies` in turn, each once: the pages of a list, one request\n\
             each; a request after the last is unmatched."
        )));
        out.extend(quote! {
            #doc
            pub async fn #in_turn(self, bodies: Vec<#ty>) {
                let answers = bodies.iter().map(|b| Answer::json(#status, #media, b)).collect();
                self.0.answers_in_turn(answers).await
            }
        });
    }
    out
}

/// The argument an answer method takes and the `Answer` it makes, for `r` sent as `status`;
/// `None` for what a mock cannot write yet (see [`stream_answer`]).
fn answer_of(cx: &OpContext, r: &Response, status: u16) -> Option<(TokenStream, TokenStream)> {
    let (json, other) = (
        Literal::string(&media_of(r, true)),
        Literal::string(&media_of(r, false)),
    );
    Some(match &r.content {
        None => (TokenStream::new(), quote!(Answer::empty(#status))),
        Some(Content::Json(t) | Content::JsonOrBinary(t)) => {
            let ty = cx.ty(t);
            (
                quote!(body: #ty),
                quote!(Answer::json(#status, #json, &body)),
            )
        }
        Some(Content::JsonOrText(t)) => {
            let ty = cx.ty(t);
            let make = quote!(match body {
                JsonOrText::Json(body) => Answer::json(#status, #json, &body),
                JsonOrText::Text(text) => Answer::text(#status, #other, text),
            });
            (quote!(body: JsonOrText<#ty>), make)
        }
        Some(Content::Text) => (
            quote!(body: impl Into<String>),
            quote!(Answer::text(#status, #other, body)),
        ),
        Some(Content::Binary) => (
            quote!(body: impl Into<Vec<u8>>),
            quote!(Answer::bytes(#status, #other, body)),
        ),
        Some(Content::Stream(stream)) => stream_answer(cx, stream, status)?,
    })
}

/// The items of a stream an answer method takes, and the `Answer` they make; `None` for text
/// items of another type than `String` outside server-sent events.
fn stream_answer(
    cx: &OpContext,
    stream: &Stream,
    status: u16,
) -> Option<(TokenStream, TokenStream)> {
    let media = Literal::string(&stream.media_type);
    // JSON Lines, or a JSON text sequence.
    let separator = match stream.format {
        StreamFormat::JsonSeq => "\u{1e}",
        _ => "",
    };
    let lines = quote!(Answer::lines(#status, #media, &items, #separator));
    let (ty, make) = match (&stream.format, &stream.item) {
        (_, StreamItem::Events(events)) => (ident(&events.name).into_token_stream(), {
            let events = named_events(events);
            quote!(Answer::named_events(#status, #events))
        }),
        (StreamFormat::Sse, StreamItem::Json(t)) => {
            (cx.ty(t), quote!(Answer::json_events(#status, &items)))
        }
        (StreamFormat::Sse, StreamItem::Text(TypeRef::String)) => {
            (quote!(String), quote!(Answer::text_events(#status, &items)))
        }
        (StreamFormat::Sse, StreamItem::Text(t)) => (cx.ty(t), {
            let name = Literal::string(DEFAULT_EVENT);
            let events = quote!(items.iter().map(|item| Event::text(#name, item)).collect());
            quote!(Answer::named_events(#status, #events))
        }),
        (_, StreamItem::Text(TypeRef::String)) => (quote!(String), lines),
        (_, StreamItem::Text(_)) => return None,
        (_, StreamItem::Json(t)) => (cx.ty(t), lines),
    };
    Some((quote!(items: Vec<#ty>), make))
}

/// The events `items` (of the operation's event enum) as they are sent: each variant under
/// its first name (the fallback under a name no other variant has), its data as JSON or text.
fn named_events(events: &Events) -> TokenStream {
    let name = ident(&events.name);
    let taken: Vec<&str> = events
        .variants
        .iter()
        .flat_map(|v| v.names.iter().map(String::as_str))
        .collect();
    let arms = events.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let sent = match v.names.first() {
            Some(first) => first.clone(),
            None => unused_name(v.label.as_deref().unwrap_or(&v.rust), &taken),
        };
        let event = match v.json {
            true => quote!(Event::json(#sent, data)),
            false => quote!(Event::text(#sent, data)),
        };
        quote!(#name::#rust(data) => #event,)
    });
    let other = (events.fallback.is_none()).then(|| {
        let other = ident(&events.other);
        quote!(#name::#other { name, data } => Event::raw(name.as_deref(), data),)
    });
    quote! {
        items
            .iter()
            .map(|item| {
                // The enum is `#[non_exhaustive]`: another crate (a split client's) needs the `_`.
                #[allow(unreachable_patterns)]
                match item {
                    #( #arms )*
                    #other
                    _ => unreachable!("every event has an arm"),
                }
            })
            .collect()
    }
}

/// `name`, or `name` with underscores after it, that no variant of the events is sent under.
fn unused_name(name: &str, taken: &[&str]) -> String {
    let mut name = name.to_owned();
    while taken.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `error(error)`: any documented error, in the variant of its status.
fn error_answer(cx: &OpContext) -> Option<TokenStream> {
    let op = cx.op;
    let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.is_success()).collect();
    if errors.is_empty() {
        return None;
    }
    let error = ident(&op.items.error);
    let arms = errors.iter().map(|r| {
        let (variant, status) = (ident(&r.variant), answer_status(op, r));
        let json = Literal::string(&media_of(r, true));
        let other = Literal::string(&media_of(r, false));
        match &r.content {
            None => quote!(#error::#variant => Answer::empty(#status),),
            Some(Content::Json(_) | Content::JsonOrBinary(_)) => {
                quote!(#error::#variant(body) => Answer::json(#status, #json, &body),)
            }
            Some(Content::JsonOrText(_)) => quote! {
                #error::#variant(JsonOrText::Json(body)) => Answer::json(#status, #json, &body),
                #error::#variant(JsonOrText::Text(text)) => Answer::text(#status, #other, text),
            },
            Some(Content::Text) => {
                quote!(#error::#variant(text) => Answer::text(#status, #other, text),)
            }
            Some(Content::Binary | Content::Stream(_)) => {
                quote!(#error::#variant(bytes) => Answer::bytes(#status, #other, bytes),)
            }
        }
    });
    let statuses: Vec<String> = errors
        .iter()
        .filter(|r| r.status.codes().is_none_or(|c| c.start() != c.end()))
        .map(|r| format!("{} as {}", r.status, answer_status(op, r)))
        .collect();
    let mut said = "Answers a documented error, with the status of its variant.".to_owned();
    if !statuses.is_empty() {
        said.push_str(&format!("\nSent: {}.", statuses.join(", ")));
    }
    let doc = doc_attrs(Some(&said));
    Some(quote! {
        #doc
        pub async fn error(self, error: #error) {
            // The enum is `#[non_exhaustive]`: another crate (a split client's) needs the `_`.
            #[allow(unreachable_patterns)]
            let answer = match error {
                #( #arms )*
                _ => unreachable!("every documented error has an arm"),
            };
            self.0.answer(answer).await
        }
    })
}

/// `example_<status>[_<name>]()` for each example the spec gives an answer of the operation:
/// the example's JSON as it is (the models crate's examples test decodes each).
fn example_answers(cx: &OpContext) -> Vec<TokenStream> {
    let op = cx.op;
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    let prefix = format!(
        "/paths/{}/{}/responses/",
        escape(&op.path),
        op.method.upper().to_ascii_lowercase()
    );
    let mut taken = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for example in cx.api.examples.iter().filter(|e| !e.sent) {
        let Some(rest) = example.pointer.strip_prefix(&prefix) else {
            continue;
        };
        let parts: Vec<&str> = rest.split('/').collect();
        let (status, media, name) = match parts.as_slice() {
            [status, "content", media, "example"] => (*status, *media, None),
            [status, "content", media, "examples", name, "value"] => (*status, *media, Some(*name)),
            _ => continue,
        };
        let Some(r) = op
            .responses
            .iter()
            .find(|r| r.status.to_string().eq_ignore_ascii_case(status))
        else {
            continue;
        };
        let media = media.replace("~1", "/").replace("~0", "~");
        let label = match name {
            Some(name) => format!("example_{status}_{}", crate::naming::field_name(name)),
            None => format!("example_{status}"),
        };
        let label = crate::naming::field_name(&label);
        if !taken.insert(label.clone()) {
            continue;
        }
        let (method, code) = (ident(&label), answer_status(op, r));
        let json = Literal::string(&example.value.to_string());
        let media = Literal::string(&media);
        let doc = doc_attrs(Some(&format!(
            "Answers {} with the spec's example{}.",
            r.status,
            name.map(|n| format!(" {}", code_of(n))).unwrap_or_default()
        )));
        out.push(quote! {
            #doc
            pub async fn #method(self) {
                self.0.answer(Answer::bytes(#code, #media, #json)).await
            }
        });
    }
    out
}

fn code_of(name: &str) -> String {
    code(&name.replace("~1", "/").replace("~0", "~"))
}

/// The status a mock sends for `r`: its own, or for a range or `default` the first status
/// no other answer of the operation takes (`4XX` as 400 unless 400 is documented).
fn answer_status(op: &Operation, r: &Response) -> u16 {
    let taken = |code: u16| {
        op.responses.iter().any(|o| {
            o.status != r.status
                && o.status.rank() < r.status.rank()
                && o.status.codes().is_some_and(|c| c.contains(&code))
        })
    };
    let candidates: Vec<u16> = match r.status.codes() {
        Some(codes) => codes.collect(),
        None if r.is_success() => (200..=299).collect(),
        None => (500..=599).chain(400..=499).collect(),
    };
    let first = candidates.first().copied().unwrap_or(500);
    candidates.into_iter().find(|c| !taken(*c)).unwrap_or(first)
}

/// The media type an answer is sent in: its first JSON one (`json`), or its first other one.
fn media_of(r: &Response, json: bool) -> String {
    let is_json = |m: &&String| {
        let base = m
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        base == "application/json" || base.ends_with("+json")
    };
    let found = match json {
        true => r.media_types.iter().find(is_json),
        false => r.media_types.iter().find(|m| !is_json(m)),
    };
    let fallback = if json {
        "application/json"
    } else {
        "application/octet-stream"
    };
    found.map_or(fallback, String::as_str).to_owned()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_range_is_sent_as_its_first_status_no_exact_answer_takes() {
        let spec = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
          "paths": {"/p": {"get": {"operationId": "get_p", "responses": {
            "200": {"description": "ok"}, "400": {"description": "bad"},
            "4XX": {"description": "client"}, "default": {"description": "other"}}}}}}"#;
        let spec = crate::Spec::parse(std::path::Path::new("t.json"), spec.to_owned()).unwrap();
        let api = crate::lower::lower(&spec, "t", "t.json", false).unwrap();
        let op = &api.operations[0];
        let status = |s: crate::ir::Status| {
            let r = op.responses.iter().find(|r| r.status == s).unwrap();
            super::answer_status(op, r)
        };
        use crate::ir::Status;
        assert_eq!(status(Status::Code(400)), 400);
        assert_eq!(status(Status::Range(4)), 401);
        assert_eq!(status(Status::Default), 500);
    }
}
