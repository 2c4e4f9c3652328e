//! Request bodies: how a method takes its body, how it puts it on the request, and the items
//! a body needs (the enum of its media types, the struct of its multipart parts).

use proc_macro2::TokenStream;
use quote::quote;

use super::operation::OpContext;
use crate::docs::{code, labelled};
use crate::emit::build::{self, Holding, Member};
use crate::emit::{doc_attrs, ident};
use crate::ir::{Api, Body, BodyKind, BodyMedia, MultipartField, PartKind, TypeRef};

impl OpContext<'_> {
    /// The owned type a media type's body has (in the body enum, and for multipart, the argument).
    fn owned_type(&self, media: &BodyMedia) -> TokenStream {
        match &media.kind {
            BodyKind::Json(t) | BodyKind::Form { ty: t, .. } => self.ty(t),
            BodyKind::Text => quote!(String),
            BodyKind::Binary => quote!(Upload),
            BodyKind::Multipart(_) => {
                let name = ident(&media.parts);
                quote!(#name)
            }
        }
    }

    /// How the method takes its body: anything that converts into the operation's body enum, so
    /// that a media type the spec adds later is a new variant and no caller changes. An optional
    /// body is passed the same way (a model, a reference to it, a value of the enum) or as `None`.
    pub(super) fn body_arg(&self, body: &Body) -> TokenStream {
        let name = ident(&self.op.items.body);
        let send = self.in_trait.then(|| quote!(+ Send));
        if body.required {
            quote!(impl Into<#name> #send)
        } else {
            quote!(impl OptionalBody<#name> #send)
        }
    }

    /// The statements that put the body on the request.
    pub(super) fn body_setup(&self, body: &Body) -> TokenStream {
        let op = self.op;
        let (arg, name) = (ident(&op.items.body_arg), ident(&op.items.body));
        let put_body = match body.media.as_slice() {
            [one] => {
                let variant = ident(&one.variant);
                let put = put(one, &quote!(body));
                quote! { let #name::#variant(body) = body; #put }
            }
            several => {
                let arms = several.iter().map(|m| {
                    let variant = ident(&m.variant);
                    let put = put(m, &quote!(body));
                    quote!(#name::#variant(body) => { #put })
                });
                quote!(match body { #( #arms )* })
            }
        };
        let put_body = self.leaving_out_read_only(put_body);
        // A required body is the argument itself; an optional one is bound by `if let`.
        if body.required {
            quote! { let body: #name = #arg.into(); #put_body }
        } else {
            quote! {
                let body: Option<#name> = #arg.into_body();
                if let Some(body) = body { #put_body }
            }
        }
    }

    /// `put_body`, encoded through the models crate's `serde_support::sending` when the API
    /// sends types with read-only fields: left out unless the client is built to send them.
    fn leaving_out_read_only(&self, put_body: TokenStream) -> TokenStream {
        if !self.api.sends_read_only() {
            return put_body;
        }
        let error = ident(&self.op.items.error);
        quote! {
            models::serde_support::sending(!self.runtime.sends_read_only(), || -> ::std::result::Result<(), Error<#error>> {
                #put_body
                ::std::result::Result::Ok(())
            })?;
        }
    }

    /// The items a body needs: the enum of its media types and the structs of its multipart parts.
    pub(super) fn body_items(&self, body: &Body) -> TokenStream {
        let multipart = body.media.iter().filter_map(|m| match &m.kind {
            BodyKind::Multipart(fields) => Some(self.multipart_struct(m, fields)),
            _ => None,
        });
        let multipart: Vec<TokenStream> = multipart.collect();
        let enum_item = self.body_enum(body);
        quote!(#enum_item #( #multipart )*)
    }

    fn body_enum(&self, body: &Body) -> TokenStream {
        let (op, gate) = (self.op, self.gate);
        let name = ident(&op.items.body);
        let variants = body.media.iter().map(|m| {
            let (variant, ty) = (ident(&m.variant), self.owned_type(m));
            let doc = doc_attrs(Some(&format!("Sent as {}.", code(&m.media_type))));
            quote!(#doc #variant(#ty),)
        });
        let doc = doc_attrs(Some(&format!(
            "The request body of [`Client::{}`], in one of the media types it accepts.\n\n\
         A value of each media type's type converts into it (of the first media type, where\n\
         several share a type).",
            op.rust
        )));
        let conversions = self.conversions(body);
        quote! {
            #gate
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name { #( #variants )* }

            #( #conversions )*
        }
    }

    /// `From` a value of each media type's type, and from a reference to it where one can be
    /// cloned, into the body enum. Where two media types share a type, the first has it.
    fn conversions(&self, body: &Body) -> Vec<TokenStream> {
        let (op, gate) = (self.op, self.gate);
        let name = ident(&op.items.body);
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        if !body.required {
            out.push(quote! {
                #gate
                impl OptionalBody<#name> for #name {
                    fn into_body(self) -> Option<#name> {
                        Some(self)
                    }
                }
            });
        }
        for m in &body.media {
            if !seen.insert(conversion_key(m, self.api)) {
                continue;
            }
            let (variant, ty) = (ident(&m.variant), self.owned_type(m));
            out.push(quote! {
                #gate
                impl From<#ty> for #name {
                    fn from(body: #ty) -> Self {
                        #name::#variant(body)
                    }
                }
            });
            let borrowed = match &m.kind {
                BodyKind::Json(_) | BodyKind::Form { .. } => Some(quote!(&#ty)),
                BodyKind::Text => Some(quote!(&str)),
                BodyKind::Binary | BodyKind::Multipart(_) => None,
            };
            if let Some(borrowed) = &borrowed {
                out.push(quote! {
                    #gate
                    impl From<#borrowed> for #name {
                        fn from(body: #borrowed) -> Self {
                            #name::#variant(body.to_owned())
                        }
                    }
                });
            }
            // An optional body takes the same values, as `Some`.
            if !body.required {
                out.extend(
                    std::iter::once(ty)
                        .chain(borrowed)
                        .map(|from| optional(&name, &from, gate)),
                );
            }
        }
        out
    }

    /// A part as a member of its struct's constructor and setters: every part but a list of files
    /// is an argument of the constructor when it is required.
    fn part_member(&self, f: &MultipartField) -> Member {
        let takes = match &f.part {
            PartKind::File => quote!(Upload),
            PartKind::Files => quote!(Vec<Upload>),
            PartKind::Value(t) => self.ty(t),
        };
        let files = f.part == PartKind::Files;
        let holding = Holding {
            optional: !f.required && !files,
            boxed: false,
            nullable: false,
        };
        let mut m = Member::new(&f.rust, &f.setter, takes, holding);
        m.required = f.required && !files;
        m.doc = format!("Sets part {}.", code(&f.wire));
        m
    }

    fn part_type(&self, f: &MultipartField) -> TokenStream {
        let ty = match &f.part {
            PartKind::File => quote!(Upload),
            PartKind::Files => return quote!(Vec<Upload>),
            PartKind::Value(t) => self.ty(t),
        };
        if f.required { ty } else { quote!(Option<#ty>) }
    }

    fn multipart_struct(&self, media: &BodyMedia, fields: &[MultipartField]) -> TokenStream {
        let (op, gate) = (self.op, self.gate);
        let name = ident(&media.parts);
        let members = fields.iter().map(|f| {
            let (rust, ty) = (ident(&f.rust), self.part_type(f));
            let part = format!("Part {}", code(&f.wire));
            let doc = doc_attrs(Some(&match &f.doc {
                Some(d) => labelled(&part, d),
                None => part,
            }));
            quote!(#doc pub #rust: #ty,)
        });
        let parts: Vec<TokenStream> = fields.iter().map(add_part).collect();
        let build = if parts.is_empty() {
            quote!(Ok(client_runtime::Multipart::new()))
        } else {
            quote! {
                let mut form = client_runtime::Multipart::new();
                #( #parts )*
                Ok(form)
            }
        };
        // `Default` only where no part is required, so that it cannot hide one.
        let default = fields
            .iter()
            .all(|f| !f.required || f.part == PartKind::Files)
            .then(|| quote!(Default,));
        let doc = doc_attrs(Some(&format!(
            "The parts of the {} body of [`Client::{}`].",
            code(&media.media_type),
            op.rust
        )));
        let built: Vec<Member> = fields.iter().map(|f| self.part_member(f)).collect();
        let building = build::constructor_and_setters(&name, &built, self.std);
        quote! {
            #gate
            #doc
            #[derive(Debug, Clone, PartialEq, #default)]
            #[non_exhaustive]
            pub struct #name { #( #members )* }

            #gate
            #building

            #gate
            impl #name {
                fn into_multipart<E>(self) -> Result<client_runtime::Multipart, Error<E>> {
                    #build
                }
            }
        }
    }
}

/// The statement that puts `value` (the body, owned, as one media type) on the request.
fn put(media: &BodyMedia, value: &TokenStream) -> TokenStream {
    let media_type = &media.media_type;
    // A range (`*/*`, `text/*`) names no type to send: the kind's own is sent.
    let wildcard = media_type.contains('*');
    match &media.kind {
        BodyKind::Json(_) if wildcard || media_type.eq_ignore_ascii_case("application/json") => {
            quote!(request.json(&#value)?;)
        }
        BodyKind::Json(_) => quote!(request.json_as(&#value, #media_type)?;),
        BodyKind::Text if wildcard => quote!(request.text(&#value, "text/plain");),
        BodyKind::Text => quote!(request.text(&#value, #media_type);),
        BodyKind::Binary => quote!(request.upload(#value, #media_type);),
        BodyKind::Form { styles, .. } => {
            let styles = styles.iter().map(|(name, style)| {
                let style = super::operation::style_tokens(style);
                quote!((#name, #style))
            });
            quote!(request.form(&#value, &[#( #styles ),*])?;)
        }
        BodyKind::Multipart(_) => {
            quote!(request.multipart(#value.into_multipart()?, #media_type);)
        }
    }
}

/// `OptionalBody` of the body enum `name` for `from`, a value that converts into it.
fn optional(name: &proc_macro2::Ident, from: &TokenStream, gate: &TokenStream) -> TokenStream {
    quote! {
        #gate
        impl OptionalBody<#name> for #from {
            fn into_body(self) -> Option<#name> {
                Some(#name::from(self))
            }
        }
    }
}

/// What decides whether two media types convert from the same Rust type.
fn conversion_key(media: &BodyMedia, api: &Api) -> String {
    match &media.kind {
        BodyKind::Json(t) | BodyKind::Form { ty: t, .. } => format!("{:?}", api.unalias(t)),
        BodyKind::Text => format!("{:?}", TypeRef::String),
        BodyKind::Binary => "Upload".to_owned(),
        BodyKind::Multipart(_) => format!("multipart {}", media.variant),
    }
}

/// The statement that adds one field's parts to `form`.
fn add_part(f: &MultipartField) -> TokenStream {
    let (wire, rust) = (&f.wire, ident(&f.rust));
    let value = if f.required {
        quote!(self.#rust)
    } else {
        quote!(value)
    };
    let add = match (&f.part, &f.content_type) {
        (PartKind::File, Some(ct)) => quote!(form.file_as(#wire, #value, #ct);),
        (PartKind::File, None) => quote!(form.file(#wire, #value);),
        (PartKind::Files, Some(ct)) => return quote!(form.files_as(#wire, self.#rust, #ct);),
        (PartKind::Files, None) => return quote!(form.files(#wire, self.#rust);),
        (PartKind::Value(_), Some(ct)) => quote!(form.field_as(#wire, &#value, #ct)?;),
        (PartKind::Value(_), None) => quote!(form.field(#wire, &#value)?;),
    };
    if f.required {
        add
    } else {
        quote!(if let Some(value) = self.#rust { #add })
    }
}
