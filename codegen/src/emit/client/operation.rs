//! One operation's method: its arguments, the request it assembles (path, parameters in their
//! styles, security, body), how it reads the answer, and the items it needs.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::answers::{Arm, Errors, Successes};
use crate::docs::{code, list_item};
use crate::emit::build::{self, Holding, Member};
use crate::emit::{Std, doc_attrs, ident, type_tokens};
use crate::ir::{
    Api, Content, Operation, Param, ParamLocation, ParamStyle, Stream, StreamFormat, StyleKind,
    TypeRef,
};
use crate::plan::shape::{split_params, stream_flag, streaming_twin};

/// One method of an operation, in pieces: an inherent method prints them as
/// `pub async fn`, a trait as a declaration returning a `Send` future and an `async fn` in its
/// impl.
pub(crate) struct Method {
    pub doc: TokenStream,
    pub allow: Option<TokenStream>,
    pub name: Ident,
    pub args: Vec<TokenStream>,
    pub returns: TokenStream,
    pub body: TokenStream,
    /// An `async fn`; else a plain one (a walk of pages, which returns a stream).
    pub asynchronous: bool,
}

impl Method {
    /// `name(&self, args…)`, as every form of the method writes it.
    fn call_shape(&self) -> TokenStream {
        let (name, args) = (&self.name, &self.args);
        quote!(#name(&self, #( #args ),*))
    }

    /// `fn name(&self, args…) -> returns;`, `async` where it is, without docs or body.
    pub fn declaration(&self) -> TokenStream {
        let (returns, shape) = (&self.returns, self.call_shape());
        let asynchronous = self.asynchronous.then(|| quote!(async));
        quote!(#asynchronous fn #shape -> #returns;)
    }

    pub fn inherent(&self) -> TokenStream {
        let (doc, allow, returns, body) = (&self.doc, &self.allow, &self.returns, &self.body);
        let shape = self.call_shape();
        let asynchronous = self.asynchronous.then(|| quote!(async));
        quote! {
            #doc
            #allow
            pub #asynchronous fn #shape -> #returns { #body }
        }
    }

    /// The trait's declaration and the impl's method.
    pub fn in_trait(&self) -> (TokenStream, TokenStream) {
        let (doc, allow, returns, body) = (&self.doc, &self.allow, &self.returns, &self.body);
        let shape = self.call_shape();
        if !self.asynchronous {
            return (
                quote!(#doc #allow fn #shape -> #returns;),
                quote!(#allow fn #shape -> #returns { #body }),
            );
        }
        (
            quote! {
                #doc
                #allow
                fn #shape -> impl ::std::future::Future<Output = #returns> + Send;
            },
            quote! {
                #allow
                async fn #shape -> #returns { #body }
            },
        )
    }
}

/// What emitting one operation reads: the API, the operation with its parameters split as its
/// method takes them, how standard types are named, the `#[cfg]` of its items (or nothing),
/// and whether its methods are a trait's.
pub(super) struct OpContext<'a> {
    pub api: &'a Api,
    pub op: &'a Operation,
    /// The parameters that are the method's arguments, in order.
    pub required: Vec<&'a Param>,
    /// The parameters of the `<Op>Params` struct.
    pub optional: Vec<&'a Param>,
    pub std: &'a Std,
    pub gate: &'a TokenStream,
    /// In a trait, arguments taken by value are `Send`, so that the futures are.
    pub in_trait: bool,
    /// For the streaming method of an answer that offers a stream beside its JSON, the plain
    /// method's name.
    pub twin_of: Option<&'a str>,
    /// For that streaming method, the boolean property of the body that asks for the stream.
    pub stream_flag: Option<&'a str>,
}

impl<'a> OpContext<'a> {
    pub fn new(
        api: &'a Api,
        op: &'a Operation,
        std: &'a Std,
        gate: &'a TokenStream,
        in_trait: bool,
    ) -> OpContext<'a> {
        let (required, optional) = split_params(op);
        OpContext {
            api,
            op,
            required,
            optional,
            std,
            gate,
            in_trait,
            twin_of: None,
            stream_flag: None,
        }
    }

    /// The Rust type of `ty` as the client names it, models under `models::`.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        type_tokens(ty, &quote!(models::), self.std)
    }

    /// The operation's methods and its items, each under the gate: with a streaming method
    /// where a success offers a stream beside its JSON.
    pub fn emit(&self) -> (Vec<Method>, TokenStream) {
        let (successes, errors) = (self.successes(), self.errors());
        let (success_item, error_item) = (&successes.item, &errors.item);
        let (params_item, events) = (self.params_struct(), self.event_enums());
        let body_items = self.op.body.as_ref().map(|b| self.body_items(b));
        let (walks, walk_types) = self.walks(&successes.ty);
        let items = quote!(#success_item #error_item #params_item #body_items #events #walk_types);
        let mut methods = self.methods(successes, errors);
        methods.extend(walks);
        if let Some(twin) = streaming_twin(self.op) {
            let mut streaming = OpContext::new(self.api, &twin, self.std, self.gate, self.in_trait);
            streaming.twin_of = Some(&self.op.rust);
            streaming.stream_flag = stream_flag(self.api, self.op);
            // Its parameters, body and errors are the plain method's items.
            methods.extend(streaming.methods(streaming.successes(), streaming.errors()));
        }
        (methods, items)
    }

    /// The stream the successful answer is, when it is one.
    fn stream(&self) -> Option<&'a Stream> {
        self.op
            .responses
            .iter()
            .filter(|r| r.is_success())
            .find_map(|r| match &r.content {
                Some(Content::Stream(stream)) => Some(stream),
                _ => None,
            })
    }

    /// The `reqwest::Method` of the operation's requests.
    pub(super) fn method_expr(&self) -> TokenStream {
        let method = &self.op.method;
        if method.is_constant() {
            let name = Ident::new(method.upper(), proc_macro2::Span::call_site());
            quote!(client_runtime::reqwest::Method::#name)
        } else {
            let name = Literal::string(method.upper());
            quote!(client_runtime::method(#name)?)
        }
    }

    /// The operation's methods (with and without its optional parameters), which answer as
    /// `successes` and `errors` say.
    fn methods(&self, successes: Successes, errors: Errors) -> Vec<Method> {
        let (op, optional) = (self.op, &self.optional);
        let args = self.arguments();
        let setup = self.request_setup();
        let mut arms: Vec<Arm> = successes.arms.into_iter().chain(errors.arms).collect();
        // Exact statuses before ranges, whatever the spec's order.
        arms.sort_by_key(|(rank, _)| *rank);
        let arms: Vec<TokenStream> = arms.into_iter().map(|(_, arm)| arm).collect();
        let doc = doc_attrs(Some(&self.method_doc(&errors.docs)));
        let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let (path, method) = (self.path_expr(), self.method_expr());
        let mut_kw = (!setup.is_empty()).then(|| quote!(mut));
        let reconnect = self
            .stream()
            .is_some_and(|s| s.format == StreamFormat::Sse)
            .then(|| quote!(let reconnect = self.runtime.reconnect(&request);));
        let send = send(successes.streamed.as_ref(), &successes.download);
        let error_name = ident(&op.items.error);
        let (success_ty, default) = (successes.ty, errors.default);
        // Without an arm of its own, every status gets the default: no `match` is needed.
        let answer = if arms.is_empty() {
            default
        } else {
            quote!(match raw.status.as_u16() { #( #arms )* _ => #default, })
        };
        let returns = quote!(Result<Response<#success_ty>, Error<#error_name>>);
        let name = ident(if optional.is_empty() {
            &op.rust
        } else {
            &op.items.with
        });
        let mut methods = vec![Method {
            doc,
            allow,
            name,
            args: args.clone(),
            returns: returns.clone(),
            body: quote! {
                let #mut_kw request = self.runtime.request(#method, #path);
                #( #setup )*
                #reconnect
                #send
                #answer
            },
            asynchronous: true,
        }];
        if !optional.is_empty() {
            methods.push(self.without_params(args, returns));
        }
        methods
    }

    /// The method without the optional parameters, which calls the one with them.
    /// `args` are the other method's, the parameters' struct last.
    fn without_params(&self, mut args: Vec<TokenStream>, returns: TokenStream) -> Method {
        let (op, required) = (self.op, &self.required);
        let (name, with, params) = (
            ident(&op.rust),
            ident(&op.items.with),
            ident(&op.items.params),
        );
        args.pop();
        let passed = required
            .iter()
            .map(|p| ident(&p.rust))
            .chain(op.body.as_ref().map(|_| ident(&op.items.body_arg)));
        let owner = if self.in_trait { "Self" } else { "Client" };
        let doc = doc_attrs(Some(&format!(
            "{} without optional parameters:\n[`{owner}::{}`] with [`{}::default()`].",
            code(&format!("{} {}", op.method, op.path)),
            op.items.with,
            op.items.params
        )));
        let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        Method {
            doc,
            allow,
            name,
            args,
            returns,
            body: quote!(self.#with(#( #passed, )* &#params::default()).await),
            asynchronous: true,
        }
    }

    /// How a parameter or body of type `ty` is taken by a method: `&str`, a `Copy` scalar, a slice
    /// or a reference.
    pub(super) fn arg_type(&self, ty: &TypeRef) -> TokenStream {
        match self.api.unalias(ty) {
            TypeRef::String => quote!(&str),
            t @ (TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool) => self.ty(t),
            TypeRef::Vec(inner) => {
                let inner = self.ty(inner);
                quote!(&[#inner])
            }
            _ => {
                let t = self.ty(ty);
                quote!(&#t)
            }
        }
    }

    /// The method's arguments: required parameters, the body, the optional parameters' struct.
    pub(super) fn arguments(&self) -> Vec<TokenStream> {
        let op = self.op;
        let mut args: Vec<TokenStream> = self
            .required
            .iter()
            .map(|p| {
                let (rust, ty) = (ident(&p.rust), self.arg_type(&p.ty));
                quote!(#rust: #ty)
            })
            .collect();
        if let Some(b) = &op.body {
            let (rust, ty) = (ident(&op.items.body_arg), self.body_arg(b));
            args.push(quote!(#rust: #ty));
        }
        if !self.optional.is_empty() {
            let (rust, params) = (ident(&op.items.params_arg), ident(&op.items.params));
            args.push(quote!(#rust: &#params));
        }
        args
    }

    /// The request path, each path parameter encoded as one segment in its style.
    pub(super) fn path_expr(&self) -> TokenStream {
        let (op, required) = (self.op, &self.required);
        let mut format = String::new();
        let mut format_args = Vec::new();
        let mut rest = op.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
            let wire = &rest[open + 1..open + close];
            format.push_str("{}");
            let arg = required
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire == wire);
            match arg {
                Some(p) if default_style(p) => {
                    let rust = ident(&p.rust);
                    format_args.push(quote!(client_runtime::encode_path(#wire, &#rust)?));
                }
                Some(p) => {
                    let (rust, style) = (ident(&p.rust), style_tokens(&p.style));
                    format_args.push(quote!(client_runtime::path_value(#wire, &#rust, #style)?));
                }
                // A template variable the spec does not declare is sent as written.
                None => format_args.push(quote!(#wire)),
            }
            rest = &rest[open + close + 1..];
        }
        format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        let format = Literal::string(&format);
        if format_args.is_empty() {
            quote!(#format.to_owned())
        } else {
            quote!(format!(#format, #( #format_args ),*))
        }
    }

    /// The statements that put parameters, security requirements and the body on the request.
    pub(super) fn request_setup(&self) -> Vec<TokenStream> {
        self.request_setup_with(true)
    }

    /// [`OpContext::request_setup`], the body's statements only where `body` says.
    pub(super) fn request_setup_with(&self, body: bool) -> Vec<TokenStream> {
        let (op, required, optional) = (self.op, &self.required, &self.optional);
        let (id, template) = (Literal::string(&op.id), Literal::string(&op.path));
        let named = quote!(request.operation(#id, #template););
        let mut setup: Vec<TokenStream> = std::iter::once(named)
            .chain(required.iter().map(|p| {
                let rust = ident(&p.rust);
                add_param(p, quote!(&#rust))
            }))
            .filter(|t| !t.is_empty())
            .collect();
        let params = ident(&op.items.params_arg);
        for p in optional {
            let rust = ident(&p.rust);
            setup.push(add_param(p, quote!(&#params.#rust)));
        }
        if let Some(security) = &op.security {
            let alternatives = security.iter().map(|schemes| quote!(&[#( #schemes ),*]));
            setup.push(quote!(request.security(&[#( #alternatives ),*]);));
        }
        if let Some(b) = op.body.as_ref().filter(|_| body) {
            setup.push(self.body_setup(b));
        }
        if let Some(accept) = op.accept() {
            let accept = Literal::string(&accept);
            setup.push(quote!(request.accept(#accept);));
        }
        if let Some(flag) = self.stream_flag {
            setup.push(quote!(request.stream_flag(#flag);));
        }
        setup
    }

    /// The struct of an operation's optional parameters, when it has any.
    fn params_struct(&self) -> TokenStream {
        let (op, optional, gate) = (self.op, &self.optional, self.gate);
        if optional.is_empty() {
            return TokenStream::new();
        }
        let fields = optional.iter().map(|p| {
            let rust = ident(&p.rust);
            let ty = self.ty(&p.ty);
            let place = match p.location {
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
                ParamLocation::Path => "path",
            };
            let said = format!("{} ({place})", code(&p.wire));
            let doc = doc_attrs(Some(&match &p.doc {
                Some(d) => crate::docs::labelled(&said, d),
                None => said,
            }));
            quote!(#doc pub #rust: Option<#ty>,)
        });
        let name = ident(&op.items.params);
        let doc = doc_attrs(Some(&format!(
            "The optional parameters of [`Client::{}`]; `Default` leaves them all out.",
            op.items.with
        )));
        let members: Vec<Member> = optional
            .iter()
            .map(|p| {
                let takes = self.ty(&p.ty);
                let mut m = Member::new(&p.rust, &p.setter, takes, OPTIONAL);
                m.doc = format!("Sets {}.", code(&p.wire));
                m
            })
            .collect();
        let setters = build::setters_only(&name, &members, self.std);
        quote! {
            #gate
            #doc
            #[derive(Debug, Clone, Default, PartialEq)]
            #[non_exhaustive]
            pub struct #name { #( #fields )* }

            #gate
            #setters
        }
    }

    /// The method's docs: summary, description, the request line, parameters, body, answers
    /// (unless their enum documents them) and errors, each section present when it says
    /// something.
    fn method_doc(&self, error_docs: &[String]) -> String {
        let op = self.op;
        let mut doc = String::new();
        for text in [&op.summary, &op.description].into_iter().flatten() {
            doc.push_str(text.trim());
            doc.push_str("\n\n");
        }
        doc.push_str(&code(&format!("{} {}", op.method, op.path)));
        doc.push('\n');
        let needs_none = |alts: &Vec<Vec<String>>| alts.iter().all(Vec::is_empty);
        if op.security.as_ref().is_some_and(needs_none) {
            doc.push_str(
                "\nSends no credentials: the spec says this operation needs none (`security: []`),\n\
                 so none the client holds leaves with it.\n",
            );
        }
        doc.push_str(&self.stream_doc());
        let sections = [
            ("Parameters", self.parameters_doc()),
            ("Body", self.body_doc()),
            ("Answers", self.answers_doc()),
        ];
        for (title, text) in sections.iter().filter(|(_, text)| !text.is_empty()) {
            doc.push_str(&format!("\n# {title}\n\n{text}\n"));
        }
        doc.push_str("\n# Errors\n\n");
        doc.push_str(&errors_doc(error_docs));
        doc
    }

    /// What a streaming twin asks for, and which method reads the answer whole.
    fn stream_doc(&self) -> String {
        let (Some(plain), Some(stream)) = (self.twin_of, self.stream()) else {
            return String::new();
        };
        let flag = self
            .stream_flag
            .map(|f| format!(" and {} in the body", code(&format!("{f}: true"))))
            .unwrap_or_default();
        format!(
            "\nThe answer as a stream, each item handed over as it arrives: this method asks for it\nwith {} in `Accept`{flag}.\n[`Client::{plain}`] reads the answer whole.\n",
            code(&stream.media_type)
        )
    }

    /// A list item per documented parameter, required ones first.
    fn parameters_doc(&self) -> String {
        let params = self.required.iter().chain(&self.optional);
        let items: Vec<String> = params
            .filter_map(|p| Some(list_item(&format!("`{}`", p.rust), p.doc.as_deref()?)))
            .collect();
        items.join("\n")
    }

    /// The body's description, after the argument that takes it.
    fn body_doc(&self) -> String {
        let op = self.op;
        match op.body.as_ref().and_then(|b| b.doc.as_deref()) {
            Some(text) => crate::docs::labelled(&format!("`{}`", op.items.body_arg), text),
            None => String::new(),
        }
    }

    /// A list item per successful answer, by status, where no enum of them documents them.
    fn answers_doc(&self) -> String {
        if self.op.has_success_enum() {
            return String::new();
        }
        let successes = self.op.responses.iter().filter(|r| r.is_success());
        let items: Vec<String> = successes
            .filter(|r| !r.description.trim().is_empty())
            .map(|r| list_item(&r.status.to_string(), &r.description))
            .collect();
        items.join("\n")
    }
}

/// The `# Errors` section: the documented error answers, else that there are none.
fn errors_doc(error_docs: &[String]) -> String {
    if error_docs.is_empty() {
        return "The spec documents no error answer: any failure is an [`Error`] of another kind."
            .to_owned();
    }
    format!(
        "[`Error::Status`] with one of:\n{}\n\nAny other failure is an [`Error`] of another kind.",
        error_docs.join("\n")
    )
}

/// Sending: the whole answer read, or binary successes streamed as they come.
fn send(streamed: Option<&TokenStream>, download: &TokenStream) -> TokenStream {
    let Some(streamed) = streamed else {
        return quote!(let raw = self.runtime.send(request).await?;);
    };
    quote! {
        let answer = self
            .runtime
            .send_streaming(request, #streamed)
            .await?;
        let raw = match answer {
            client_runtime::Answer::Download(download) => return Ok(#download),
            client_runtime::Answer::Read(raw) => raw,
        };
    }
}

/// A parameter's style as the runtime takes it.
pub(super) fn style_tokens(style: &ParamStyle) -> TokenStream {
    let kind = match style.kind {
        StyleKind::Simple => quote!(Simple),
        StyleKind::Label => quote!(Label),
        StyleKind::Matrix => quote!(Matrix),
        StyleKind::Form => quote!(Form),
        StyleKind::SpaceDelimited => quote!(SpaceDelimited),
        StyleKind::PipeDelimited => quote!(PipeDelimited),
        StyleKind::DeepObject => quote!(DeepObject),
        StyleKind::Json => quote!(Json),
    };
    let explode = style.explode;
    let reserved = style.allow_reserved.then(|| quote!(.allow_reserved()));
    quote!(client_runtime::Style::new(client_runtime::StyleKind::#kind, #explode) #reserved)
}

/// Whether a parameter is in the style its location has by default.
fn default_style(p: &Param) -> bool {
    p.style == ParamStyle::default_for(p.location)
}

/// The statement that adds `value` (a reference) as parameter `p`.
fn add_param(p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let style = style_tokens(&p.style);
    match (p.location, default_style(p)) {
        (ParamLocation::Path, _) => TokenStream::new(),
        (ParamLocation::Query, true) => quote!(request.query(#wire, #value)?;),
        (ParamLocation::Query, false) => quote!(request.query_with(#wire, #value, #style)?;),
        (ParamLocation::Header, true) => quote!(request.header(#wire, #value)?;),
        (ParamLocation::Header, false) => quote!(request.header_with(#wire, #value, #style)?;),
        (ParamLocation::Cookie, _) => quote!(request.cookie(#wire, #value, #style)?;),
    }
}

/// How a parameter's field holds what its setter takes.
const OPTIONAL: Holding = Holding {
    optional: true,
    boxed: false,
    nullable: false,
};
