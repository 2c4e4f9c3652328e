//! The pieces every emitter writes with: identifiers, doc attributes, type names, lints,
//! formatting and the parallel map. A leaf of `emit`: it uses no emitter.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::docs::code;
use crate::ir::{Api, TypeRef};
use crate::naming::needs_raw;

/// The lints and limits at the top of every crate of `api`: docs on every public item, and a
/// `recursion_limit` for APIs whose types nest deeper than rustc's default (128) lets rustdoc
/// follow when it works out which auto traits a type has (Stripe's need more than 128). Each
/// type on a chain costs up to eight steps (`Option<Box<T>>`, `Vec<T>` and their insides).
pub fn crate_lints(api: &Api) -> TokenStream {
    let limit = (8 * api.type_depth).next_power_of_two();
    let recursion = (limit > 128).then(|| {
        let limit = limit.to_string();
        quote!(#![recursion_limit = #limit])
    });
    quote! {
        #![deny(missing_docs)]
        #recursion
    }
}

/// An identifier token, raw when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if needs_raw(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// One `#[doc = " line"]` per line of `text`, so prettyplease prints `/// line`; the text is
/// written by [`crate::docs::comment`].
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let lines = crate::docs::comment(text.unwrap_or_default());
    quote! { #( #[doc = #lines] )* }
}

/// [`doc_attrs`] of `text`, or of `fallback` when the spec says nothing, so that every public
/// item of a generated crate has docs (`#![deny(missing_docs)]`).
pub fn doc_or(text: Option<&str>, fallback: impl FnOnce() -> String) -> TokenStream {
    match text.filter(|t| !t.trim().is_empty()) {
        Some(text) => doc_attrs(Some(text)),
        None => doc_attrs(Some(&fallback())),
    }
}

/// What a type says of itself when its schema has no description: where it comes from.
pub fn type_fallback(def: &crate::ir::TypeDef) -> String {
    match def.origin.strip_prefix("/components/schemas/") {
        Some(name) if !name.contains('/') => format!("The schema {}.", code(name)),
        _ => format!("The schema at {}.", code(&format!("#{}", def.origin))),
    }
}

/// What a value of `ty` is, as a sentence of docs: ``"A [`Pet`]."``, `"A list."`.
pub fn value_phrase(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("A [`{name}`]."),
        TypeRef::String => "A string.".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "An integer.".to_owned(),
        TypeRef::F64 => "A number.".to_owned(),
        TypeRef::Bool => "A boolean.".to_owned(),
        TypeRef::DateTime => "A date and time.".to_owned(),
        TypeRef::Date => "A date.".to_owned(),
        TypeRef::Json => "Any JSON value.".to_owned(),
        TypeRef::Vec(_) => "A list.".to_owned(),
        TypeRef::Map(_) => "A map by string keys.".to_owned(),
        TypeRef::Option(inner) => value_phrase(inner),
    }
}

/// The same as [`doc_attrs`] for inner (`//!`) docs.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = crate::docs::comment(text);
    quote! { #( #![doc = #lines] )* }
}

/// How emitted code names the standard types: by their prelude names, short and readable,
/// unless the API defines a type of the same name, which would shadow them.
#[derive(Debug, Clone)]
pub struct Std {
    pub option: TokenStream,
    /// `Some` and `None`, unless the API shadows them.
    pub some: TokenStream,
    pub none: TokenStream,
    pub string: TokenStream,
    pub vec: TokenStream,
    pub boxed: TokenStream,
    pub map: TokenStream,
    pub into: TokenStream,
    pub default: TokenStream,
    /// The path of `Option::is_none` as a string for serde attributes.
    pub is_none: String,
}

impl Std {
    /// `defines` says whether the API defines a type of a name.
    pub fn new(defines: impl Fn(&str) -> bool) -> Std {
        let pick = |short: &str, long: TokenStream| {
            if defines(short) {
                long
            } else {
                let id = Ident::new(short, Span::call_site());
                quote!(#id)
            }
        };
        Std {
            option: pick("Option", quote!(::std::option::Option)),
            some: pick("Some", quote!(::std::option::Option::Some)),
            none: pick("None", quote!(::std::option::Option::None)),
            string: pick("String", quote!(::std::string::String)),
            vec: pick("Vec", quote!(::std::vec::Vec)),
            boxed: pick("Box", quote!(::std::boxed::Box)),
            into: pick("Into", quote!(::std::convert::Into)),
            default: pick("Default", quote!(::std::default::Default)),
            map: if defines("BTreeMap") {
                quote!(::std::collections::BTreeMap)
            } else {
                quote!(std::collections::BTreeMap)
            },
            is_none: if defines("Option") {
                "::std::option::Option::is_none".to_owned()
            } else {
                "Option::is_none".to_owned()
            },
        }
    }
}

/// The Rust type of `ty`; named types are prefixed with `models` (empty inside the models crate).
pub fn type_tokens(ty: &TypeRef, models: &TokenStream, std: &Std) -> TokenStream {
    let Std {
        option,
        string,
        vec,
        map,
        ..
    } = std;
    match ty {
        TypeRef::String => quote!(#string),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(n) => {
            let n = ident(n);
            quote!(#models #n)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, models, std);
            quote!(#vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, models, std);
            quote!(#map<#string, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(inner, models, std);
            quote!(#option<#inner>)
        }
    }
}

/// `work` done on each of `parts`, spread over the machine's cores (each thread takes the next
/// part not taken, so that a large part does not leave the other cores idle), with the results
/// in the order of `parts`: output never depends on the number of cores.
pub(crate) fn in_parallel<P: Sync, R: Send>(
    parts: &[P],
    work: impl Fn(&P) -> Result<R, String> + Sync,
) -> Result<Vec<R>, String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, parts.len().max(1));
    let work = &work;
    let next = &std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<R, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    std::iter::from_fn(|| {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        (i < parts.len()).then(|| (i, work(&parts[i])))
                    })
                    .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(usize::MAX, Err("a formatting thread panicked".to_owned()))]
                })
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `#[cfg(any(feature = "a", ...))]` for a set of features.
pub(crate) fn cfg(features: &std::collections::BTreeSet<String>) -> TokenStream {
    if let [one] = Vec::from_iter(features)[..] {
        return quote!(#[cfg(feature = #one)]);
    }
    let list = features.iter().map(|f| quote!(feature = #f));
    quote!(#[cfg(any(#( #list ),*))])
}

/// Formats a token stream as a Rust file, with `header` (comment lines) on top.
pub fn format_file(header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("emitted tokens do not parse: {e}"))?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}

/// What a type needs from outside `std` and `serde`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    pub chrono: bool,
    pub serde_json: bool,
}

impl Needs {
    pub fn merge(&mut self, other: Needs) {
        self.chrono |= other.chrono;
        self.serde_json |= other.serde_json;
    }

    pub fn add(&mut self, ty: &TypeRef) {
        ty.walk(&mut |t| match t {
            TypeRef::DateTime | TypeRef::Date => self.chrono = true,
            TypeRef::Json => self.serde_json = true,
            _ => {}
        });
    }
}
