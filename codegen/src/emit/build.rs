//! How users build what they send: a constructor that takes the required members and one
//! setter per member, on structs marked `#[non_exhaustive]`. A new optional member is then a new
//! setter, which breaks no caller; only a new required member changes the constructor.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Std, doc_attrs, ident};

/// How a member holds the value its setter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    /// The member is an `Option` the setter fills (an optional member).
    pub optional: bool,
    /// The value is boxed (inside the `Option` of a nullable value, when there is one).
    pub boxed: bool,
    /// The setter takes an `Option` itself: `None` sends `null`.
    pub nullable: bool,
}

/// One member of a struct users build.
pub struct Member {
    pub field: Ident,
    pub setter: Ident,
    /// `T` of the setter's `impl Into<T>`.
    pub takes: TokenStream,
    pub holding: Holding,
    /// In the constructor's arguments.
    pub required: bool,
    /// The value the constructor fills in, for a member whose value the schema fixes.
    pub fixed: Option<TokenStream>,
    pub doc: String,
}

impl Member {
    pub fn new(field: &str, setter: &str, takes: TokenStream, holding: Holding) -> Member {
        Member {
            field: ident(field),
            setter: ident(setter),
            takes,
            holding,
            required: false,
            fixed: None,
            doc: format!("Sets `{field}`."),
        }
    }

    /// The member's value from `value` (what the caller gave, converted with `into`).
    fn store(&self, value: TokenStream, std: &Std) -> TokenStream {
        let (some, box_) = (&std.some, &std.boxed);
        let Holding {
            optional,
            boxed,
            nullable,
        } = self.holding;
        let mut v = quote!(#value.into());
        if boxed && nullable {
            v = quote!(#v.map(#box_::new));
        } else if boxed {
            v = quote!(#box_::new(#v));
        }
        if optional {
            v = quote!(#some(#v));
        }
        v
    }
}

/// `new(required…)` and the setters of a struct. The other members start empty: `None`, or
/// their type's default (a map of extra properties).
pub fn constructor_and_setters(name: &Ident, members: &[Member], std: &Std) -> TokenStream {
    let Std {
        none,
        into,
        default,
        ..
    } = std;
    let args = members.iter().filter(|m| m.required).map(|m| {
        let (arg, takes) = (&m.field, &m.takes);
        quote!(#arg: impl #into<#takes>)
    });
    let inits = members.iter().map(|m| {
        let field = &m.field;
        if let Some(fixed) = &m.fixed {
            let boxed = &std.boxed;
            let value = if m.holding.boxed {
                quote!(#boxed::new(#fixed))
            } else {
                quote!(#fixed)
            };
            quote!(#field: #value)
        } else if m.required {
            let value = m.store(quote!(#field), std);
            quote!(#field: #value)
        } else if m.holding.optional {
            quote!(#field: #none)
        } else {
            quote!(#field: #default::default())
        }
    });
    let count = members.iter().filter(|m| m.required).count();
    let allow = (count > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = if count == 0 {
        "With every field left out; set them with the methods below."
    } else {
        "With the required fields; set the others with the methods below."
    };
    let doc = doc_attrs(Some(doc));
    let setters = members.iter().map(|m| setter(m, std));
    quote! {
        impl #name {
            #doc
            #allow
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits, )* }
            }
            #( #setters )*
        }
    }
}

/// The setters of a struct built from `Default` (parameters), with no constructor.
pub fn setters_only(name: &Ident, members: &[Member], std: &Std) -> TokenStream {
    let setters = members.iter().map(|m| setter(m, std));
    quote! {
        impl #name {
            #( #setters )*
        }
    }
}

fn setter(m: &Member, std: &Std) -> TokenStream {
    let (field, name, takes, into) = (&m.field, &m.setter, &m.takes, &std.into);
    let value = m.store(quote!(value), std);
    let doc = doc_attrs(Some(&m.doc));
    quote! {
        #doc
        #[must_use]
        pub fn #name(mut self, value: impl #into<#takes>) -> Self {
            self.#field = #value;
            self
        }
    }
}
