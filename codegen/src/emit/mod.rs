//! Emitters: IR to Rust source with `quote`, formatted by `prettyplease`. Nothing here sees
//! `openapiv3` types.

pub mod client;
pub mod crate_files;
pub mod features;
pub mod models;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TypeRef;
use crate::naming::needs_raw;

/// An identifier token, raw when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if needs_raw(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// One `#[doc = " line"]` per line of `text`, so prettyplease prints `/// line`.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim_end).filter(|t| !t.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines = text.lines().map(|l| {
        let l = l.trim_end();
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// The same as [`doc_attrs`] for inner (`//!`) docs.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = l.trim_end();
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// How emitted code names the standard types: by their prelude names, short and readable,
/// unless the API defines a type of the same name, which would shadow them.
#[derive(Debug, Clone)]
pub struct Std {
    pub option: TokenStream,
    pub string: TokenStream,
    pub vec: TokenStream,
    pub boxed: TokenStream,
    pub map: TokenStream,
    /// The path of `Option::is_none` as a string for serde attributes.
    pub is_none: String,
}

impl Std {
    pub fn new<'a>(type_names: impl IntoIterator<Item = &'a String>) -> Std {
        let names: std::collections::BTreeSet<&str> =
            type_names.into_iter().map(String::as_str).collect();
        let pick = |short: &str, long: TokenStream| {
            if names.contains(short) {
                long
            } else {
                let id = Ident::new(short, Span::call_site());
                quote!(#id)
            }
        };
        Std {
            option: pick("Option", quote!(::std::option::Option)),
            string: pick("String", quote!(::std::string::String)),
            vec: pick("Vec", quote!(::std::vec::Vec)),
            boxed: pick("Box", quote!(::std::boxed::Box)),
            map: if names.contains("BTreeMap") {
                quote!(::std::collections::BTreeMap)
            } else {
                quote!(std::collections::BTreeMap)
            },
            is_none: if names.contains("Option") {
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
    pub fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::DateTime | TypeRef::Date => self.chrono = true,
            TypeRef::Json => self.serde_json = true,
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) => self.add(i),
            _ => {}
        }
    }
}
