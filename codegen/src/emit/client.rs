//! Emits a client crate's `src/lib.rs`: a builder preset from the spec's servers and security
//! schemes, one async method per operation, and each operation's enum of documented errors.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::features::Plan;
use super::{Needs, Std, doc_attrs, ident, inner_doc_attrs, type_tokens};
use crate::ir::{Api, Operation, Param, ParamLocation, Response, SecurityKind, TypeRef};

/// What a client's own code names from outside `std` (types of parameters, bodies, answers).
pub fn client_needs(api: &Api) -> Needs {
    let mut needs = Needs::default();
    api.operations
        .iter()
        .flat_map(Operation::type_refs)
        .for_each(|t| needs.add(t));
    needs
}

/// Operations per `impl Client` block. Fixed, so that the output does not depend on the
/// machine's number of cores; large APIs are emitted and formatted a block per thread.
const OPS_PER_BLOCK: usize = 100;

/// The client crate's `src/lib.rs` as tokens.
pub fn emit_client(api: &Api, plan: Option<&Plan>) -> TokenStream {
    let prelude = client_prelude(api);
    let named = gated(api, plan);
    let blocks = named
        .chunks(OPS_PER_BLOCK)
        .map(|ops| operations_block(api, ops));
    quote! { #prelude #( #blocks )* }
}

/// The client crate's `src/lib.rs` as formatted text with `header` on top: the same text as
/// [`emit_client`] formatted whole, produced a block per thread.
pub fn emit_client_text(api: &Api, header: &str, plan: Option<&Plan>) -> Result<String, String> {
    let named = gated(api, plan);
    let blocks: Vec<&[Gated]> = named.chunks(OPS_PER_BLOCK).collect();
    let texts = super::in_parallel(&blocks, |block| {
        super::format_file("", operations_block(api, block))
    })?;
    let mut out = super::format_file(header, client_prelude(api))?;
    out.extend(texts);
    Ok(out)
}

/// An operation and the cargo feature it is compiled under (large APIs).
type Gated<'a> = (&'a Operation, Option<String>);

fn gated<'a>(api: &'a Api, plan: Option<&Plan>) -> Vec<Gated<'a>> {
    api.operations
        .iter()
        .enumerate()
        .map(|(i, op)| (op, plan.map(|p| p.operation[i].clone())))
        .collect()
}

/// One `impl Client` block of methods, followed by their error, success and parameter types.
fn operations_block(api: &Api, ops: &[Gated]) -> TokenStream {
    let std = Std::new(std::iter::empty());
    let (methods, items): (Vec<_>, Vec<_>) = ops
        .iter()
        .map(|(op, feature)| {
            let gate = feature
                .as_ref()
                .map(|f| quote!(#[cfg(feature = #f)]))
                .unwrap_or_default();
            let (method, items) = emit_operation(op, api, &std, &gate);
            (quote!(#gate #method), items)
        })
        .unzip();
    quote! {
        impl Client {
            #( #methods )*
        }

        #( #items )*
    }
}

fn client_prelude(api: &Api) -> TokenStream {
    let models = ident(&api.crates.models_lib());
    let crate_doc = inner_doc_attrs(&format!(
        "An async client of the {} (version {}), generated from `{}`.\n\nBuild a [`Client`] with [`Client::builder`], then call one method per operation. Every\nmethod returns the decoded answer with its status and headers ([`Response`]), or an\n[`Error`] whose `Status` variant holds the operation's documented error, decoded by HTTP\nstatus.",
        api.title, api.version, api.source
    ));
    let builder = emit_builder(api);
    quote! {
        #crate_doc
        // Errors carry the decoded error body, as large as the API makes it.
        #![allow(clippy::result_large_err)]

        pub use #models as models;
        pub use client_runtime::{Auth, BuildError, Error, Response, RetryPolicy, Secret};

        #builder

        /// A configured client of the API; cheap to clone.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: client_runtime::Client,
        }

        impl Client {
            /// Settings preset from the spec: its first server and variable defaults.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }
        }
    }
}

fn emit_builder(api: &Api) -> TokenStream {
    let server = api.servers.first();
    let default_url = server.map(|s| s.url.as_str()).unwrap_or("");
    let mut presets = Vec::new();
    let mut setters = Vec::new();
    for v in server.iter().flat_map(|s| &s.variables) {
        let name = &v.name;
        let default = &v.default;
        presets.push(quote!(.server_variable(#name, #default)));
        let setter = ident(&v.rust);
        let doc = doc_attrs(Some(&format!(
            "Sets the server variable `{{{name}}}` (default `{default}`).{}",
            v.description
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        )));
        setters.push(quote! {
            #doc
            pub fn #setter(self, value: impl Into<String>) -> Self {
                ClientBuilder(self.0.server_variable(#name, value))
            }
        });
    }
    for s in &api.security {
        let setter = ident(&s.rust);
        let (what, auth) = match &s.kind {
            SecurityKind::Bearer => (
                format!(
                    "Sends `Authorization: Bearer <token>` (security scheme `{}`).",
                    s.scheme
                ),
                quote!(Auth::Bearer(value.into())),
            ),
            SecurityKind::ApiKeyHeader(h) => (
                format!(
                    "Sends the API key in the `{h}` header (security scheme `{}`).",
                    s.scheme
                ),
                quote!(Auth::Header { name: #h.to_owned(), value: value.into() }),
            ),
            SecurityKind::ApiKeyQuery(q) => (
                format!(
                    "Sends the API key as the `{q}` query parameter (security scheme `{}`).",
                    s.scheme
                ),
                quote!(Auth::Query { name: #q.to_owned(), value: value.into() }),
            ),
        };
        let doc = doc_attrs(Some(&format!(
            "{what}{}",
            s.description
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        )));
        setters.push(quote! {
            #doc
            pub fn #setter(self, value: impl Into<Secret>) -> Self {
                ClientBuilder(self.0.auth(#auth))
            }
        });
    }
    let user_agent = format!("{}/0.1.0", api.crates.client);
    let url_doc = format!(" The spec's first server: `{default_url}`.");
    quote! {
        #[doc = #url_doc]
        pub const DEFAULT_BASE_URL: &str = #default_url;

        /// Settings of a [`Client`]: base URL, credentials, timeouts, retries.
        #[derive(Debug, Clone)]
        pub struct ClientBuilder(client_runtime::ClientBuilder);

        impl Default for ClientBuilder {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ClientBuilder {
            /// The spec's first server with its variables' defaults, no credentials, a 30 s
            /// timeout and the default [`RetryPolicy`].
            pub fn new() -> Self {
                ClientBuilder(
                    client_runtime::ClientBuilder::new(DEFAULT_BASE_URL)
                        #( #presets )*
                        .user_agent(#user_agent),
                )
            }

            /// Replaces the base URL (a test server, a proxy, another host).
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder(self.0.base_url(url))
            }

            #( #setters )*

            /// Adds a header to every request, e.g. credentials of a kind the spec does not declare.
            pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                ClientBuilder(self.0.default_header(name, value))
            }

            /// Sends through this `reqwest::Client` instead of one built here.
            pub fn http_client(self, client: client_runtime::reqwest::Client) -> Self {
                ClientBuilder(self.0.http_client(client))
            }

            pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
                ClientBuilder(self.0.user_agent(user_agent))
            }

            /// The limit for each attempt of a request; `None` for no limit.
            pub fn timeout(self, timeout: Option<std::time::Duration>) -> Self {
                ClientBuilder(self.0.timeout(timeout))
            }

            /// The connect limit of the `reqwest::Client` built here.
            pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder(self.0.connect_timeout(timeout))
            }

            pub fn retry(self, policy: RetryPolicy) -> Self {
                ClientBuilder(self.0.retry(policy))
            }

            /// Turns retries off.
            pub fn no_retries(self) -> Self {
                ClientBuilder(self.0.no_retries())
            }

            pub fn build(self) -> Result<Client, BuildError> {
                Ok(Client { runtime: self.0.build()? })
            }
        }
    }
}

/// How a parameter or body of type `ty` is taken by a method: `&str`, a `Copy` scalar, a slice
/// or a reference.
fn arg_type(ty: &TypeRef, api: &Api, std: &Std) -> TokenStream {
    let models = quote!(models::);
    match api.unalias(ty) {
        TypeRef::String => quote!(&str),
        t @ (TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool) => {
            type_tokens(t, &models, std)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, &models, std);
            quote!(&[#inner])
        }
        _ => {
            let t = type_tokens(ty, &models, std);
            quote!(&#t)
        }
    }
}

/// A method and its items, each under `gate` (a `#[cfg]`, or nothing).
fn emit_operation(
    op: &Operation,
    api: &Api,
    std: &Std,
    gate: &TokenStream,
) -> (TokenStream, TokenStream) {
    let (required, optional) = split_params(op);
    let args = arguments(op, api, &required, &optional, std);
    let setup = request_setup(op, api, &required, &optional);
    let (success_ty, success_item, mut arms) = successes(op, std, gate);
    let errors = errors(op, std, gate);
    arms.extend(errors.arms);
    // Exact statuses before ranges, whatever the spec's order.
    arms.sort_by_key(|(rank, _)| *rank);
    let arms: Vec<TokenStream> = arms.into_iter().map(|(_, arm)| arm).collect();
    let params_item = params_struct(op, &optional, std, gate);
    let doc = doc_attrs(Some(&method_doc(op, &required, &optional, &errors.docs)));
    let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let path = path_expr(op, &required);
    let method = Ident::new(
        &op.method.to_ascii_uppercase(),
        proc_macro2::Span::call_site(),
    );
    let mut_kw = (!setup.is_empty()).then(|| quote!(mut));
    let (fn_name, error_name, default_arm) =
        (ident(&op.rust), ident(&op.items.error), errors.default_arm);
    let error_item = errors.item;
    let method_tokens = quote! {
        #doc
        #allow
        pub async fn #fn_name(&self, #( #args ),*) -> Result<Response<#success_ty>, Error<#error_name>> {
            let #mut_kw request = self.runtime.request(client_runtime::reqwest::Method::#method, #path);
            #( #setup )*
            let raw = self.runtime.send(request).await?;
            match raw.status.as_u16() {
                #( #arms )*
                #default_arm
            }
        }
    };
    (
        method_tokens,
        quote!(#success_item #error_item #params_item),
    )
}

/// Required parameters in spec order (path first), and the optional ones.
fn split_params(op: &Operation) -> (Vec<&Param>, Vec<&Param>) {
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

/// The method's arguments: required parameters, the body, the optional parameters' struct.
fn arguments(
    op: &Operation,
    api: &Api,
    required: &[&Param],
    optional: &[&Param],
    std: &Std,
) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let (rust, ty) = (ident(&p.rust), arg_type(&p.ty, api, std));
            quote!(#rust: #ty)
        })
        .collect();
    if let Some(b) = &op.body {
        let (rust, ty) = (ident(&op.items.body_arg), arg_type(&b.ty, api, std));
        args.push(if b.required {
            quote!(#rust: #ty)
        } else {
            quote!(#rust: Option<#ty>)
        });
    }
    if !optional.is_empty() {
        let (rust, params) = (ident(&op.items.params_arg), ident(&op.items.params));
        args.push(quote!(#rust: &#params));
    }
    args
}

/// The request path, each path parameter encoded as one segment.
fn path_expr(op: &Operation, required: &[&Param]) -> TokenStream {
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
            Some(p) => {
                let rust = ident(&p.rust);
                format_args.push(quote!(client_runtime::encode_path(#wire, &#rust)?));
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

/// The statements that put parameters and the body into the request.
fn request_setup(
    op: &Operation,
    api: &Api,
    required: &[&Param],
    optional: &[&Param],
) -> Vec<TokenStream> {
    let mut setup = Vec::new();
    for p in required {
        let (wire, rust) = (&p.wire, ident(&p.rust));
        match p.location {
            ParamLocation::Path => {}
            ParamLocation::Query => setup.push(quote!(request.query(#wire, &#rust)?;)),
            ParamLocation::Header => setup.push(quote!(request.header(#wire, &#rust)?;)),
        }
    }
    let params = ident(&op.items.params_arg);
    for p in optional {
        let (wire, rust) = (&p.wire, ident(&p.rust));
        match p.location {
            ParamLocation::Query => setup.push(quote!(request.query(#wire, &#params.#rust)?;)),
            _ => setup.push(quote!(request.header(#wire, &#params.#rust)?;)),
        }
    }
    if let Some(b) = &op.body {
        let body = ident(&op.items.body_arg);
        // Scalars are taken by value; everything else is already a reference.
        let borrow = matches!(
            api.unalias(&b.ty),
            TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool
        )
        .then(|| quote!(&));
        if b.required {
            setup.push(quote!(request.json(#borrow #body)?;));
        } else {
            setup.push(quote!(if let Some(body) = #body { request.json(#borrow body)?; }));
        }
    }
    setup
}

/// A `match` arm and its rank (exact statuses first).
type Arm = (u8, TokenStream);

/// The success type (one type when every documented 2xx agrees, else an enum by status), the
/// enum's item when there is one, and the success arms.
fn successes(
    op: &Operation,
    std: &Std,
    gate: &TokenStream,
) -> (TokenStream, TokenStream, Vec<Arm>) {
    let models = quote!(models::);
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.is_success()).collect();
    if successes.windows(2).all(|w| w[0].ty == w[1].ty) {
        let ty = successes.first().and_then(|r| r.ty.as_ref());
        let decode = if ty.is_some() {
            quote!(raw.ok())
        } else {
            quote!(raw.ok_empty())
        };
        let mut arms: Vec<Arm> = successes
            .iter()
            .map(|r| {
                let pattern = status_pattern(&r.status);
                (rank(&r.status), quote!(#pattern => #decode,))
            })
            .collect();
        if successes.is_empty() {
            arms.push((1, quote!(200..=299 => raw.ok_empty(),)));
        }
        let ty = ty.map_or_else(|| quote!(()), |t| type_tokens(t, &models, std));
        return (ty, TokenStream::new(), arms);
    }
    let success_name = ident(&op.items.success);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in &successes {
        let variant = ident(&r.variant);
        let doc = doc_attrs(Some(&format!("{}: {}", r.status, r.description)));
        let pattern = status_pattern(&r.status);
        let arm = match &r.ty {
            Some(t) => {
                let t = type_tokens(t, &models, std);
                variants.push(quote!(#doc #variant(#t),));
                quote!(#pattern => raw.ok::<#t, _>().map(|r| r.map(#success_name::#variant)),)
            }
            None => {
                variants.push(quote!(#doc #variant,));
                quote!(#pattern => raw.ok_empty().map(|r| r.map(|()| #success_name::#variant)),)
            }
        };
        arms.push((rank(&r.status), arm));
    }
    let doc = format!(
        " The documented successful answers of [`Client::{}`].",
        op.rust
    );
    let item = quote! {
        #gate
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #success_name { #( #variants )* }
    };
    (quote!(#success_name), item, arms)
}

/// An operation's error enum and how answers become it.
struct Errors {
    item: TokenStream,
    arms: Vec<Arm>,
    /// The arm for statuses nothing else matches: the `default` answer, or unexpected.
    default_arm: TokenStream,
    /// One line per variant, for the method's docs.
    docs: Vec<String>,
}

fn errors(op: &Operation, std: &Std, gate: &TokenStream) -> Errors {
    let models = quote!(models::);
    let error_name = ident(&op.items.error);
    let mut variants = Vec::new();
    let mut docs = Vec::new();
    let mut arms = Vec::new();
    let mut default_arm = quote!(_ => raw.unexpected(),);
    for r in op.responses.iter().filter(|r| !r.is_success()) {
        let variant = ident(&r.variant);
        let first_line = r.description.lines().next().unwrap_or("").trim();
        let doc = doc_attrs(Some(&format!("{}: {}", r.status, r.description.trim())));
        docs.push(format!(
            "- [`{error_name}::{variant}`] ({}): {first_line}",
            r.status
        ));
        let make = match &r.ty {
            Some(t) => {
                let t = type_tokens(t, &models, std);
                variants.push(quote!(#doc #variant(#t),));
                quote!(raw.err(|r| r.json().map(#error_name::#variant)))
            }
            None => {
                variants.push(quote!(#doc #variant,));
                quote!(raw.err(|_| Ok(#error_name::#variant)))
            }
        };
        if r.status == "default" {
            default_arm = quote!(_ => #make,);
        } else {
            let pattern = status_pattern(&r.status);
            arms.push((rank(&r.status), quote!(#pattern => #make,)));
        }
    }
    let doc = format!(
        " The documented error answers of [`Client::{}`], by HTTP status.",
        op.rust
    );
    let item = quote! {
        #gate
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error_name { #( #variants )* }
    };
    Errors {
        item,
        arms,
        default_arm,
        docs,
    }
}

/// The struct of an operation's optional parameters, when it has any.
fn params_struct(
    op: &Operation,
    optional: &[&Param],
    std: &Std,
    gate: &TokenStream,
) -> TokenStream {
    if optional.is_empty() {
        return TokenStream::new();
    }
    let models = quote!(models::);
    let fields = optional.iter().map(|p| {
        let rust = ident(&p.rust);
        let ty = type_tokens(&p.ty, &models, std);
        let place = match p.location {
            ParamLocation::Query => "query",
            _ => "header",
        };
        let about = p
            .doc
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let doc = doc_attrs(Some(&format!("`{}` ({place}){about}", p.wire)));
        quote!(#doc pub #rust: Option<#ty>,)
    });
    let name = ident(&op.items.params);
    let doc = format!(
        " The optional parameters of [`Client::{}`]; `Default` leaves them all out.",
        op.rust
    );
    quote! {
        #gate
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name { #( #fields )* }
    }
}

/// The method's docs: summary, description, the request line, parameters and errors.
fn method_doc(
    op: &Operation,
    required: &[&Param],
    optional: &[&Param],
    error_docs: &[String],
) -> String {
    let mut doc = String::new();
    for text in [&op.summary, &op.description].into_iter().flatten() {
        doc.push_str(text.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}`\n",
        op.method.to_ascii_uppercase(),
        op.path
    ));
    let documented_params: Vec<String> = required
        .iter()
        .chain(optional)
        .filter_map(|p| {
            p.doc
                .as_ref()
                .map(|d| format!("- `{}`: {}", p.rust, d.lines().next().unwrap_or("")))
        })
        .collect();
    if !documented_params.is_empty() {
        doc.push_str(&format!(
            "\n# Parameters\n\n{}\n",
            documented_params.join("\n")
        ));
    }
    doc.push_str("\n# Errors\n\n");
    if !error_docs.is_empty() {
        doc.push_str(&format!(
            "[`Error::Status`] with one of:\n{}\n\n",
            error_docs.join("\n")
        ));
    }
    doc.push_str(
        "[`Error::UnexpectedStatus`] for any other status, [`Error::Decode`] when a body does not\nfit its type, [`Error::InvalidParameter`] for a value that cannot be sent, and\n[`Error::Transport`] when the request fails or times out.",
    );
    doc
}

/// Exact statuses sort before ranges so that a range never hides one.
fn rank(status: &str) -> u8 {
    u8::from(status.parse::<u16>().is_err())
}

/// The `match` pattern of a status: `401`, or a range for `4XX`.
fn status_pattern(status: &str) -> TokenStream {
    if let Some(class) = status
        .strip_suffix("XX")
        .and_then(|c| c.parse::<u16>().ok())
    {
        let (lo, hi) = (
            Literal::u16_unsuffixed(class * 100),
            Literal::u16_unsuffixed(class * 100 + 99),
        );
        return quote!(#lo..=#hi);
    }
    match status.parse::<u16>() {
        Ok(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Err(_) => quote!(_),
    }
}
