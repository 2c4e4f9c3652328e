//! Emits a client crate's `src/lib.rs`: a builder preset from the spec's servers and security
//! schemes (`builder`), one async method per operation (`operation`) with its body
//! (`body`) and its answers (`answers`).

pub(crate) mod answers;
mod body;
mod builder;
pub(crate) mod mock;
pub(crate) mod operation;
mod pages;
pub(crate) mod webhooks;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Needs, Std, ident, inner_doc_attrs};
use crate::ir::{Api, Operation, RUNTIME_REEXPORTS};
use builder::emit_builder;
use operation::{Method, OpContext};

/// What a client's own code names from outside `std` (types of parameters, bodies, answers).
pub fn client_needs(api: &Api) -> Needs {
    let mut needs = Needs::default();
    api.operations
        .iter()
        .chain(&api.webhooks)
        .flat_map(Operation::type_refs)
        .for_each(|t| needs.add(t));
    needs
}

/// Operations per `impl Client` block. Fixed, so that the output does not depend on the
/// machine's number of cores; large APIs are emitted and formatted a block per thread.
const OPS_PER_BLOCK: usize = 100;

/// The client crate's `src/lib.rs` as tokens.
pub fn emit_client(api: &Api) -> TokenStream {
    let prelude = client_prelude(api);
    let ops: Vec<&Operation> = api.operations.iter().collect();
    let blocks = ops
        .chunks(OPS_PER_BLOCK)
        .map(|ops| operations_block(api, ops));
    quote! { #prelude #( #blocks )* }
}

/// The client crate's `src/lib.rs` as formatted text with `header` on top: the same text as
/// [`emit_client`] formatted whole, produced a block per thread.
pub fn emit_client_text(api: &Api, header: &str) -> Result<String, String> {
    let ops: Vec<&Operation> = api.operations.iter().collect();
    let blocks: Vec<&[&Operation]> = ops.chunks(OPS_PER_BLOCK).collect();
    let texts = super::in_parallel(&blocks, |block| {
        super::format_file("", operations_block(api, block))
    })?;
    let mut out = super::format_file(header, client_prelude(api))?;
    out.extend(texts);
    Ok(out)
}

/// One `impl Client` block of methods, followed by their error, success and parameter types.
fn operations_block(api: &Api, ops: &[&Operation]) -> TokenStream {
    let (std, none) = (Std::new(|_| false), TokenStream::new());
    let (methods, items): (Vec<_>, Vec<_>) = ops
        .iter()
        .map(|op| {
            let (methods, items) = OpContext::new(api, op, &std, &none, false).emit();
            let methods = methods.iter().map(Method::inherent);
            (quote!(#( #methods )*), items)
        })
        .unzip();
    quote! {
        impl Client {
            #( #methods )*
        }

        #( #items )*
    }
}

/// Every method of the client as its code declares it, `name(args) -> returns` on one line (an
/// `async` one marked so), with the operation it calls: the README's list.
pub(crate) fn method_lines(api: &Api) -> Result<Vec<(&Operation, String)>, String> {
    let (std, none) = (Std::new(|_| false), TokenStream::new());
    let mut owners = Vec::new();
    let decls = api.operations.iter().flat_map(|op| {
        let (methods, _) = OpContext::new(api, op, &std, &none, false).emit();
        owners.extend(methods.iter().map(|_| op));
        methods.iter().map(Method::declaration).collect::<Vec<_>>()
    });
    let decls: Vec<TokenStream> = decls.collect();
    let text = super::format_file("", quote!(trait Methods { #( #decls )* }))?;
    let lines = declarations(&text);
    Ok(owners.into_iter().zip(lines).collect())
}

/// The declarations of a formatted trait, each joined onto one line without `fn`, `&self` and
/// the trailing `;`.
fn declarations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("trait ") || line == "}" || line.is_empty() {
            continue;
        }
        if !current.is_empty() && !current.ends_with('(') && !line.starts_with(')') {
            current.push(' ');
        }
        current.push_str(line);
        if let Some(done) = current.strip_suffix(';') {
            let done = done
                .replace(",)", ")")
                .replace("< ", "<")
                .replace(", >", ">")
                .replacen("fn ", "", 1);
            out.push(
                done.replacen("(&self, ", "(", 1)
                    .replacen("(&self)", "()", 1),
            );
            current.clear();
        }
    }
    out
}

/// The docs of a client crate: what it is, and how it is used.
pub(crate) fn client_doc(api: &Api) -> String {
    format!(
        "An async client of the {}, generated from {}.\n\nBuild a [`Client`] with [`Client::builder`], then call one method per operation. Every\nmethod returns the decoded answer with its status and headers ([`Response`]), or an\n[`Error`] whose `Status` variant holds the operation's documented error, decoded by HTTP\nstatus.\n\n# Errors\n\nEach method's docs list the errors its operation documents ([`Error::Status`]). Any\nmethod may also fail with [`Error::UnexpectedStatus`] for a status its operation does not\ndocument, [`Error::Decode`] when a body does not fit its type, [`Error::InvalidParameter`]\nfor a value that cannot be sent, [`Error::Encode`] for a body that cannot be encoded,\n[`Error::MissingCredentials`] when the client lacks a credential the operation needs,\n[`Error::Credentials`] when a token source fails, [`Error::TimedOut`] and\n[`Error::Transport`] when the request fails or takes too long.",
        api.doc_name(),
        crate::docs::code(&api.source)
    )
}

/// The crate's lints ([`super::crate_lints`]) and those generated operations allow.
fn allows(api: &Api) -> TokenStream {
    let lints = super::crate_lints(api);
    quote! {
        // Errors and answers carry decoded bodies, as large as the API makes them; statuses are
        // matched exact first, then by range (`200`, then `2XX`); arguments have the spec's names.
        #lints
        #![allow(
            clippy::result_large_err,
            clippy::large_enum_variant,
            clippy::match_overlapping_arm,
            clippy::disallowed_names
        )]
    }
}

fn client_prelude(api: &Api) -> TokenStream {
    let models = ident(&api.crates.models_lib());
    let crate_doc = inner_doc_attrs(&client_doc(api));
    let client = client_items(api, quote!(), quote!(pub use #models as models;));
    let webhooks = webhooks::emit_webhooks(api, TokenStream::new());
    quote! {
        #crate_doc
        #client
        #webhooks

        #[cfg(feature = "mock")]
        pub mod mock;
    }
}

/// The crate every part of a split client depends on: the builder and the `Client`, whose
/// runtime the parts' operations use (hidden, not for callers).
pub(crate) fn client_shared(api: &Api, facade: &str) -> TokenStream {
    let crate_doc = inner_doc_attrs(&format!(
        "The [`Client`] of the {} and its builder.\n\nA part of `{facade}`, which re-exports them: depend on that crate.",
        api.doc_title()
    ));
    let client = client_items(api, quote!(#[doc(hidden)] pub), quote!());
    quote! {
        #crate_doc
        #client
    }
}

/// The operations of one tag of a split client: a trait of methods on the shared `Client`,
/// implemented in the part, with the operations' items, after the part's inner attributes and
/// its `use`s.
pub(crate) fn client_part(
    api: &Api,
    traits: &[Trait],
    (inner, uses): (TokenStream, TokenStream),
) -> TokenStream {
    let std = Std::new(|_| false);
    let traits = traits.iter().map(|t| operations_trait(api, t, &std));
    let allows = allows(api);
    quote! {
        #inner
        #allows
        #uses
        #( #traits )*
    }
}

/// A trait of operations in a part of a split client, implemented for `Client`.
pub(crate) struct Trait<'a> {
    pub name: &'a str,
    pub doc: String,
    pub operations: &'a [&'a Operation],
    /// The `#[cfg]` of every item, or nothing.
    pub gate: TokenStream,
}

fn operations_trait(api: &Api, t: &Trait, std: &Std) -> TokenStream {
    let (mut decls, mut impls, mut items) = (Vec::new(), Vec::new(), Vec::new());
    for op in t.operations {
        let (methods, item) = OpContext::new(api, op, std, &t.gate, true).emit();
        for method in methods {
            let (decl, body) = method.in_trait();
            decls.push(decl);
            impls.push(body);
        }
        items.push(item);
    }
    let (name, doc, gate) = (ident(t.name), super::doc_attrs(Some(&t.doc)), &t.gate);
    quote! {
        #doc
        #gate
        pub trait #name {
            #( #decls )*
        }

        #gate
        impl #name for Client {
            #( #impls )*
        }

        #( #items )*
    }
}

/// The builder and the `Client`, whose runtime field has `visibility`, after the crate's `uses`.
fn client_items(api: &Api, visibility: TokenStream, uses: TokenStream) -> TokenStream {
    let builder = emit_builder(api);
    let allows = allows(api);
    let reexports = RUNTIME_REEXPORTS.iter().map(|n| ident(n));
    quote! {
        #allows
        #uses
        #[doc(no_inline)]
        pub use client_runtime::{ #( #reexports ),* };

        #builder

        /// A configured client of the API; cheap to clone.
        #[derive(Debug, Clone)]
        pub struct Client {
            #visibility runtime: client_runtime::Client,
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

            /// This client with `options` for the calls made through it: another timeout,
            /// retry policy or extra headers, without building a second client
            /// (`client.with(CallOptions::new().no_retries()).some_call().await`).
            pub fn with(&self, options: CallOptions) -> Client {
                Client { runtime: self.runtime.with(options) }
            }
        }
    }
}
