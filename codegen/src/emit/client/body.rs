//! Request bodies: how a method takes its body, how it puts it on the request, and the items
//! a body needs (the enum of its media types, the struct of its multipart parts).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::operation::arg_type;
use crate::emit::{Std, doc_attrs, ident, type_tokens};
use crate::ir::{Api, Body, BodyKind, BodyMedia, MultipartField, Operation, PartKind, TypeRef};

/// The name of the struct of a multipart media type's parts: `<Op>Multipart`, then one per
/// further multipart media type (`<Op>MultipartMixed`).
fn multipart_name(op: &Operation, media: &BodyMedia) -> Ident {
    let body = op
        .body
        .as_ref()
        .expect("a multipart media type is in a body");
    let first = body
        .media
        .iter()
        .position(|m| matches!(m.kind, BodyKind::Multipart(_)));
    let own = body.media.iter().position(|m| m == media);
    if first == own {
        ident(&op.items.multipart)
    } else {
        format_ident!("{}{}", op.items.multipart, media.variant)
    }
}

/// The owned type a media type's body has (in the body enum, and for multipart, the argument).
fn owned_type(op: &Operation, media: &BodyMedia, std: &Std) -> TokenStream {
    let models = quote!(models::);
    match &media.kind {
        BodyKind::Json(t) | BodyKind::Form { ty: t, .. } => type_tokens(t, &models, std),
        BodyKind::Text => quote!(String),
        BodyKind::Binary => quote!(Upload),
        BodyKind::Multipart(_) => {
            let name = multipart_name(op, media);
            quote!(#name)
        }
    }
}

/// How the method takes its body: by reference for one JSON, form or text media type, an
/// `Upload` or the multipart struct by value, and `impl Into<<Op>Body>` for several.
pub(super) fn body_arg(op: &Operation, body: &Body, api: &Api, std: &Std) -> TokenStream {
    let ty = match body.media.as_slice() {
        [one] => match &one.kind {
            BodyKind::Json(t) | BodyKind::Form { ty: t, .. } => arg_type(t, api, std),
            BodyKind::Text => quote!(&str),
            BodyKind::Binary | BodyKind::Multipart(_) => owned_type(op, one, std),
        },
        _ => {
            let name = ident(&op.items.body);
            if body.required {
                return quote!(impl Into<#name>);
            }
            quote!(#name)
        }
    };
    if body.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The statement that puts `value` (the body as one media type) on the request. `by_ref`: the
/// value is a reference already (a single JSON, form or text argument).
fn put(media: &BodyMedia, value: &TokenStream, scalar: bool, by_ref: bool) -> TokenStream {
    let media_type = &media.media_type;
    let reference = if by_ref && !scalar {
        quote!(#value)
    } else {
        quote!(&#value)
    };
    // A range (`*/*`, `text/*`) names no type to send: the kind's own is sent.
    let wildcard = media_type.contains('*');
    match &media.kind {
        BodyKind::Json(_) if wildcard || media_type.eq_ignore_ascii_case("application/json") => {
            quote!(request.json(#reference)?;)
        }
        BodyKind::Json(_) => quote!(request.json_as(#reference, #media_type)?;),
        BodyKind::Text if wildcard => quote!(request.text(#reference, "text/plain");),
        BodyKind::Text => quote!(request.text(#reference, #media_type);),
        BodyKind::Binary => quote!(request.upload(#value, #media_type);),
        BodyKind::Form { styles, .. } => {
            let styles = styles.iter().map(|(name, style)| {
                let style = super::operation::style_tokens(style);
                quote!((#name, #style))
            });
            quote!(request.form(#reference, &[#( #styles ),*])?;)
        }
        BodyKind::Multipart(_) => {
            quote!(request.multipart(#value.into_multipart()?, #media_type);)
        }
    }
}

/// The statements that put the body on the request.
pub(super) fn body_setup(op: &Operation, body: &Body, api: &Api) -> TokenStream {
    let arg = ident(&op.items.body_arg);
    // A required body is the argument itself; an optional one is bound by `if let`.
    let value = if body.required {
        quote!(#arg)
    } else {
        quote!(body)
    };
    let put_body = match body.media.as_slice() {
        [one] => {
            let scalar = match &one.kind {
                BodyKind::Json(t) => matches!(
                    api.unalias(t),
                    TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool
                ),
                _ => false,
            };
            put(one, &value, scalar, true)
        }
        several => {
            let name = ident(&op.items.body);
            let arms = several.iter().map(|m| {
                let variant = ident(&m.variant);
                let put = put(m, &quote!(body), false, false);
                quote!(#name::#variant(body) => { #put })
            });
            let into = if body.required {
                quote!(#value.into())
            } else {
                value.clone()
            };
            quote!(match #into { #( #arms )* })
        }
    };
    if body.required {
        put_body
    } else {
        quote! { if let Some(body) = #arg { #put_body } }
    }
}

/// The items a body needs: the enum of its media types when there are several, the structs of
/// its multipart parts.
pub(super) fn body_items(
    op: &Operation,
    body: &Body,
    std: &Std,
    gate: &TokenStream,
) -> TokenStream {
    let multipart = body.media.iter().filter_map(|m| match &m.kind {
        BodyKind::Multipart(fields) => Some(multipart_struct(op, m, fields, std, gate)),
        _ => None,
    });
    let multipart: Vec<TokenStream> = multipart.collect();
    let enum_item = (body.media.len() > 1).then(|| body_enum(op, body, std, gate));
    quote!(#enum_item #( #multipart )*)
}

fn body_enum(op: &Operation, body: &Body, std: &Std, gate: &TokenStream) -> TokenStream {
    let name = ident(&op.items.body);
    let variants = body.media.iter().map(|m| {
        let (variant, ty) = (ident(&m.variant), owned_type(op, m, std));
        let doc = format!(" Sent as `{}`.", m.media_type);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    // The first media type is the default: its value converts into the enum.
    let first = &body.media[0];
    let (variant, ty) = (ident(&first.variant), owned_type(op, first, std));
    let doc = format!(
        " The request body of [`Client::{}`], in one of the media types it accepts.",
        op.rust
    );
    quote! {
        #gate
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #( #variants )* }

        #gate
        impl From<#ty> for #name {
            fn from(body: #ty) -> Self {
                #name::#variant(body)
            }
        }
    }
}

fn part_type(f: &MultipartField, std: &Std) -> TokenStream {
    let ty = match &f.part {
        PartKind::File => quote!(Upload),
        PartKind::Files => return quote!(Vec<Upload>),
        PartKind::Value(t) => type_tokens(t, &quote!(models::), std),
    };
    if f.required { ty } else { quote!(Option<#ty>) }
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

fn multipart_struct(
    op: &Operation,
    media: &BodyMedia,
    fields: &[MultipartField],
    std: &Std,
    gate: &TokenStream,
) -> TokenStream {
    let name = multipart_name(op, media);
    let members = fields.iter().map(|f| {
        let (rust, ty) = (ident(&f.rust), part_type(f, std));
        let doc = doc_attrs(Some(&format!(
            "Part `{}`{}",
            f.wire,
            f.doc
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        )));
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
    let doc = format!(
        " The parts of the `{}` body of [`Client::{}`].",
        media.media_type, op.rust
    );
    quote! {
        #gate
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #( #members )* }

        #gate
        impl #name {
            fn into_multipart<E>(self) -> Result<client_runtime::Multipart, Error<E>> {
                #build
            }
        }
    }
}
