//! Emits unions: an enum of the variants and an `Unknown` that keeps what no variant takes,
//! `From` each variant's type, and a decoder that picks the variant by what the value holds
//! (`support/unions.rs`, copied into the crate), from shapes read off the IR here.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::models::ModelContext;
use super::{doc_attrs, ident};
use crate::docs::code;
use crate::ir::{Api, Extra, Struct, TypeKind, TypeRef, UNKNOWN_VARIANT, Union, UnionVariant};

/// The decoder of unions, as the source of a module.
const SUPPORT: &str = include_str!("support/unions.rs");

/// The `unions` module of a crate's `serde_support`.
pub(crate) fn support_module() -> TokenStream {
    let file = syn::parse_file(SUPPORT).expect("support/unions.rs is Rust");
    let (attrs, items) = (&file.attrs, &file.items);
    quote! {
        #[allow(dead_code)]
        pub mod unions {
            #( #attrs )*
            #( #items )*
        }
    }
}

impl ModelContext<'_> {
    pub(crate) fn emit_union(&mut self, name: &Ident, doc: TokenStream, u: &Union) -> TokenStream {
        self.needs.serde_json = true;
        let boxed = self.std.boxed.clone();
        let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.rust)).collect();
        let types: Vec<TokenStream> = u
            .variants
            .iter()
            .map(|v| {
                let ty = self.ty(&v.ty);
                if v.boxed { quote!(#boxed<#ty>) } else { ty }
            })
            .collect();
        let docs = u.variants.iter().map(|v| variant_doc(v, u));
        let table = u
            .variants
            .iter()
            .zip(&variants)
            .map(|(v, variant)| self.decoder(v, variant, u, name))
            .collect::<Vec<_>>();
        let label = name.to_string();
        let unknown = ident(UNKNOWN_VARIANT);
        let picks = doc_attrs(Some(&picks_doc(u)));
        let paragraph = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
        let conversions = self.conversions(name, u);
        let gate = &self.gate;
        quote! {
            #doc
            #paragraph
            #picks
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            #[non_exhaustive]
            pub enum #name {
                #( #docs #variants(#types), )*
                /// A value of a kind or with a tag that no variant takes (a variant the API added
                /// later), kept as received and encoded back unchanged.
                #unknown(serde_json::Value),
            }

            #gate
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    serde_support::unions::deserialize(deserializer, &[#( #table ),*], #label, Self::#unknown)
                }
            }

            #( #conversions )*
        }
    }
}

fn variant_doc(v: &UnionVariant, u: &Union) -> TokenStream {
    match (&u.discriminator, v.tags.as_slice()) {
        (Some(property), [_, ..]) => {
            let tags: Vec<String> = v.tags.iter().map(|t| code(&format!("{t:?}"))).collect();
            doc_attrs(Some(&format!("{}: {}.", code(property), tags.join(", "))))
        }
        _ => doc_attrs(Some(&super::value_phrase(&v.ty))),
    }
}

/// How the variant is picked, for the enum's docs.
fn picks_doc(u: &Union) -> String {
    match &u.discriminator {
        Some(property) => format!(
            "The {} property picks the variant; a value whose {} no variant\nhas decodes into `Unknown`.",
            code(property),
            code(property)
        ),
        None => "Decoding picks the variant by what the value holds (its kind, its tags and properties),\nkeeping the one that holds all of it (else the one that loses least); a value of a kind or\nwith a tag no variant takes decodes into `Unknown`.".to_owned(),
    }
}

/// `From` the type of each variant that no other variant shares (and that is not the union).
/// Types are compared as Rust sees them: through aliases (`type Ipv4 = String` and `type Ipv6 =
/// String` are one type, which converts into neither variant).
impl ModelContext<'_> {
    fn conversions(&mut self, name: &Ident, u: &Union) -> Vec<TokenStream> {
        let api = self.api;
        let rust = |ty: &TypeRef| resolved(api, ty);
        let mut seen = BTreeSet::new();
        let shared: BTreeSet<TypeRef> = u
            .variants
            .iter()
            .map(|v| rust(&v.ty))
            .filter(|ty| !seen.insert(ty.clone()))
            .collect();
        let own = TypeRef::Named(name.to_string());
        let converted = u
            .variants
            .iter()
            .filter(|v| !shared.contains(&rust(&v.ty)) && rust(&v.ty) != own);
        let mut out = Vec::new();
        for v in converted {
            let variant = ident(&v.rust);
            let ty = self.ty(&v.ty);
            let boxed = &self.std.boxed;
            let value = if v.boxed {
                quote!(#boxed::new(value))
            } else {
                quote!(value)
            };
            let gate = &self.gate;
            out.push(quote! {
                #gate
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(#value)
                    }
                }
            });
        }
        out
    }

    /// One entry of the decoder's table: the variant's name, shape and decoding.
    fn decoder(
        &mut self,
        v: &UnionVariant,
        variant: &Ident,
        u: &Union,
        union: &Ident,
    ) -> TokenStream {
        let ty = self.ty(&v.ty);
        let wrap = if v.boxed {
            let boxed = &self.std.boxed;
            quote!(|v| Self::#variant(#boxed::new(v)))
        } else {
            quote!(Self::#variant)
        };
        let shape = shape_tokens(&variant_shape(self.api, v, u, union));
        let label = v.rust.as_str();
        quote! {
            serde_support::unions::Variant {
                name: #label,
                shape: #shape,
                decode: |json| serde_json::from_str::<#ty>(json).map(#wrap),
            }
        }
    }
}

/// A type with every alias in it replaced by what it stands for.
fn resolved(api: &Api, ty: &TypeRef) -> TypeRef {
    match api.unalias(ty) {
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(resolved(api, inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(resolved(api, inner))),
        TypeRef::Option(inner) => TypeRef::Option(Box::new(resolved(api, inner))),
        other => other.clone(),
    }
}

/// A variant's shape as the generator knows it.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    kinds: Vec<&'static str>,
    required: BTreeSet<String>,
    properties: BTreeSet<String>,
    /// `None` for a shape that is not an object with properties.
    extra: Option<&'static str>,
    tags: Vec<(String, Vec<String>)>,
    strings: Vec<String>,
    integers: Vec<i64>,
}

/// How deep unions inside unions are looked into for the kinds they take.
const MAX_DEPTH: usize = 8;

fn variant_shape(api: &Api, v: &UnionVariant, u: &Union, union: &Ident) -> Shape {
    let mut shape = shape_of(api, &v.ty, &union.to_string(), 0);
    if let (Some(property), false) = (&u.discriminator, v.tags.is_empty()) {
        shape.tags.retain(|(p, _)| p != property);
        shape.tags.insert(0, (property.clone(), v.tags.clone()));
        shape.required.insert(property.clone());
        shape.properties.insert(property.clone());
        shape.extra.get_or_insert("Kept");
    }
    shape
}

fn shape_of(api: &Api, ty: &TypeRef, union: &str, depth: usize) -> Shape {
    let kinds = |k: &[&'static str]| Shape {
        kinds: k.to_vec(),
        ..Shape::default()
    };
    match api.unalias(ty) {
        TypeRef::String | TypeRef::DateTime | TypeRef::Date => kinds(&["STRING"]),
        TypeRef::I32 | TypeRef::I64 => kinds(&["INTEGER"]),
        TypeRef::F64 => kinds(&["FRACTION"]),
        TypeRef::Bool => kinds(&["BOOLEAN"]),
        TypeRef::Json => kinds(&["ANY"]),
        TypeRef::Vec(_) => kinds(&["ARRAY"]),
        TypeRef::Map(_) => kinds(&["OBJECT"]),
        TypeRef::Option(inner) => {
            let mut shape = shape_of(api, inner, union, depth);
            shape.kinds.push("NULL");
            shape
        }
        TypeRef::Named(n) => match api.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => struct_shape(s),
            Some(TypeKind::StringEnum(values)) => Shape {
                strings: values.iter().map(|v| v.value.clone()).collect(),
                ..kinds(&["STRING"])
            },
            Some(TypeKind::IntEnum(values)) => Shape {
                integers: values.iter().map(|v| v.value).collect(),
                ..kinds(&["INTEGER"])
            },
            Some(TypeKind::Newtype(inner)) => shape_of(api, inner, union, depth),
            Some(TypeKind::Union(inner)) if depth < MAX_DEPTH && n != union => {
                let mut all: Vec<&'static str> = inner
                    .variants
                    .iter()
                    .flat_map(|v| shape_of(api, &v.ty, union, depth + 1).kinds)
                    .collect();
                all.sort_unstable();
                all.dedup();
                kinds(&all)
            }
            _ => kinds(&["ANY"]),
        },
    }
}

/// An object variant: what it requires and declares, what it does with the rest, and the
/// properties whose value it fixes, which tell it apart.
fn struct_shape(s: &Struct) -> Shape {
    let fixed = s.fields.iter().filter_map(|f| {
        let value = f.fixed.as_ref()?.value.clone();
        Some((f.wire.clone(), vec![value]))
    });
    Shape {
        kinds: vec!["OBJECT"],
        required: s
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire.clone())
            .collect(),
        properties: s.fields.iter().map(|f| f.wire.clone()).collect(),
        extra: Some(match s.extra {
            Extra::Keep(_) => "Kept",
            Extra::Deny => "Refused",
        }),
        tags: fixed.collect(),
        ..Shape::default()
    }
}

fn shape_tokens(shape: &Shape) -> TokenStream {
    let path = quote!(serde_support::unions);
    let kinds: Vec<Ident> = shape.kinds.iter().map(|k| ident(k)).collect();
    let kinds = if kinds.is_empty() {
        quote!(0)
    } else {
        quote!(#( #path::#kinds )|*)
    };
    if let Some(extra) = shape.extra {
        let (required, properties) = (&shape.required, &shape.properties);
        let extra = ident(extra);
        let tags = shape
            .tags
            .iter()
            .map(|(p, values)| quote!((#p, &[#( #values ),*])));
        let object = quote! {
            #path::Shape::object(&[#( #required ),*], &[#( #properties ),*], #path::Extra::#extra, &[#( #tags ),*])
        };
        if shape.kinds == ["OBJECT"] {
            return object;
        }
        return quote!(#path::Shape { kinds: #kinds, ..#object });
    }
    if !shape.strings.is_empty() {
        let values = &shape.strings;
        return quote!(#path::Shape::listing(#kinds, #path::Values::Strings(&[#( #values ),*])));
    }
    if !shape.integers.is_empty() {
        let values = shape.integers.iter().map(|i| Literal::i64_unsuffixed(*i));
        return quote!(#path::Shape::listing(#kinds, #path::Values::Integers(&[#( #values ),*])));
    }
    quote!(#path::Shape::of(#kinds))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};

    use crate::emit::unions_support::{
        Extra, INTEGER, OBJECT, STRING, Shape, Values, Variant, decode,
    };

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Message {
        r#type: String,
        text: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Call {
        r#type: String,
        name: String,
        #[serde(default)]
        arguments: Option<String>,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Item {
        Message(Message),
        Call(Call),
        Unknown(Value),
    }

    fn items() -> [Variant<Item>; 2] {
        [
            Variant {
                name: "Message",
                shape: Shape::object(
                    &["text", "type"],
                    &["text", "type"],
                    Extra::Kept,
                    &[("type", &["message"])],
                ),
                decode: |j| serde_json::from_str::<Message>(j).map(Item::Message),
            },
            Variant {
                name: "Call",
                shape: Shape::object(
                    &["name", "type"],
                    &["arguments", "name", "type"],
                    Extra::Kept,
                    &[("type", &["function_call"])],
                ),
                decode: |j| serde_json::from_str::<Call>(j).map(Item::Call),
            },
        ]
    }

    fn item(value: Value) -> Result<Item, String> {
        decode(&value.to_string(), &items(), "Item", Item::Unknown)
    }

    #[test]
    fn a_tag_picks_the_variant() {
        let call = item(json!({"type": "function_call", "name": "f"})).unwrap();
        assert!(matches!(call, Item::Call(c) if c.name == "f"));
        let message = item(json!({"type": "message", "text": "hi"})).unwrap();
        assert!(matches!(message, Item::Message(_)));
    }

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::emit::unions_support::deserialize(deserializer, &items(), "Item", Item::Unknown)
        }
    }

    /// A union is read from JSON text in memory (borrowed), from a reader (copied), from a
    /// `Value`, and from what serde buffers for a flattened or untagged container.
    #[test]
    fn a_union_decodes_from_every_kind_of_deserializer() {
        #[derive(Debug, Deserialize)]
        struct Holder {
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, Item>,
        }
        #[derive(Debug, Deserialize)]
        #[serde(untagged)]
        enum Either {
            Item(Item),
        }
        let text = r#"{"type": "message", "text": "hi \u00e9"}"#;
        let is_message = |i: &Item| matches!(i, Item::Message(m) if m.text == "hi \u{e9}");
        assert!(is_message(&serde_json::from_str(text).unwrap()));
        assert!(is_message(
            &serde_json::from_reader(text.as_bytes()).unwrap()
        ));
        let value: Value = serde_json::from_str(text).unwrap();
        assert!(is_message(&serde_json::from_value(value.clone()).unwrap()));
        assert!(is_message(&Item::deserialize(&value).unwrap()));
        let held: Holder = serde_json::from_value(json!({ "a": value })).unwrap();
        assert!(is_message(&held.rest["a"]), "{held:?}");
        let Either::Item(untagged) = serde_json::from_str(text).unwrap();
        assert!(is_message(&untagged));
        let bad = serde_json::from_str::<Item>(r#"{"type": "message"}"#).unwrap_err();
        assert!(bad.to_string().contains("missing property `text`"), "{bad}");
    }

    #[test]
    fn a_tag_no_variant_has_is_kept_as_unknown() {
        let new = json!({"type": "reasoning", "summary": []});
        assert_eq!(item(new.clone()).unwrap(), Item::Unknown(new.clone()));
        assert_eq!(item(json!("text")).unwrap(), Item::Unknown(json!("text")));
    }

    /// The value is read from its text as JSON reads it: whitespace, escapes in keys and tags,
    /// nested containers with brackets inside strings.
    #[test]
    fn tags_are_read_from_any_json_text() {
        let text = "{ \"na\\u006de\" : \"f\",\n  \"args\": {\"a\": [\"]}\", {\"b\": 1}]},\t\"t\\u0079pe\" :\"function_call\" }";
        let call = decode(text, &items(), "Item", Item::Unknown).unwrap();
        assert!(matches!(call, Item::Call(c) if c.name == "f"), "{text}");
        let message = decode(
            " {\"text\":\"a \\\" b\",\"type\":\"message\"} ",
            &items(),
            "Item",
            Item::Unknown,
        );
        assert!(matches!(message.unwrap(), Item::Message(m) if m.text == "a \" b"));
    }

    #[test]
    fn a_known_tag_with_a_bad_body_says_why_per_variant() {
        let e = item(json!({"type": "function_call"})).unwrap_err();
        assert!(e.contains("`Call` missing property `name`"), "{e}");
        assert!(e.contains("`Message` `type` is \"function_call\""), "{e}");
        let e = item(json!({"type": "message", "text": 3})).unwrap_err();
        assert!(e.contains("`Message` invalid type: integer `3`"), "{e}");
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Scalar {
        Number(i64),
        Known(String),
        Text(String),
        Unknown(Value),
    }

    fn scalar(value: Value) -> Result<Scalar, String> {
        decode(&value.to_string(), &scalars(), "Scalar", Scalar::Unknown)
    }

    fn scalars() -> [Variant<Scalar>; 3] {
        [
            Variant {
                name: "Number",
                shape: Shape::of(INTEGER),
                decode: |j| serde_json::from_str::<i64>(j).map(Scalar::Number),
            },
            Variant {
                name: "Text",
                shape: Shape::of(STRING),
                decode: |j| serde_json::from_str::<String>(j).map(Scalar::Text),
            },
            Variant {
                name: "Known",
                shape: Shape::listing(STRING, Values::Strings(&["auto"])),
                decode: |j| serde_json::from_str::<String>(j).map(Scalar::Known),
            },
        ]
    }

    #[test]
    fn kinds_and_listed_values_pick_scalars() {
        assert_eq!(scalar(json!(3)).unwrap(), Scalar::Number(3));
        assert_eq!(
            decode(" -12 ", &scalars(), "Scalar", Scalar::Unknown).unwrap(),
            Scalar::Number(-12)
        );
        assert_eq!(
            decode("1e3", &scalars(), "Scalar", Scalar::Unknown).unwrap(),
            Scalar::Unknown(json!(1000.0))
        );
        assert_eq!(scalar(json!("auto")).unwrap(), Scalar::Known("auto".into()));
        assert_eq!(
            scalar(json!("other")).unwrap(),
            Scalar::Text("other".into())
        );
        assert_eq!(scalar(json!(1.5)).unwrap(), Scalar::Unknown(json!(1.5)));
        assert_eq!(scalar(json!([1])).unwrap(), Scalar::Unknown(json!([1])));
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Small {
        data: Inner,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        x: i64,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Large {
        data: Value,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Either {
        Small(Small),
        Large(Large),
        Unknown(Value),
    }

    /// Variants that look alike at the top are each decoded, and the one that keeps all of
    /// the value wins; where both keep it, the first.
    #[test]
    fn look_alikes_are_decoded_and_the_one_that_keeps_all_wins() {
        let variants = [
            Variant {
                name: "Small",
                shape: Shape::object(&["data"], &["data"], Extra::Kept, &[]),
                decode: |j| serde_json::from_str::<Small>(j).map(Either::Small),
            },
            Variant {
                name: "Large",
                shape: Shape::object(&["data"], &["data"], Extra::Kept, &[]),
                decode: |j| serde_json::from_str::<Large>(j).map(Either::Large),
            },
        ];
        let both = decode(
            r#"{"data": {"x": 1, "y": 2}}"#,
            &variants,
            "E",
            Either::Unknown,
        );
        assert!(matches!(both.unwrap(), Either::Large(_)));
        let small = decode(r#"{"data": {"x": 1}}"#, &variants, "E", Either::Unknown);
        assert!(matches!(small.unwrap(), Either::Small(_)));
        let missing = decode(r#"{"other": 1}"#, &variants, "E", Either::Unknown).unwrap_err();
        assert!(
            missing.contains("`Small` missing property `data`"),
            "{missing}"
        );
        let kinds = Shape::object(&[], &["data"], Extra::Refused, &[]);
        let closed = [Variant {
            name: "Closed",
            shape: Shape {
                kinds: OBJECT,
                ..kinds
            },
            decode: |j| serde_json::from_str::<Large>(j).map(Either::Large),
        }];
        let refused = decode(r#"{"data": 1, "more": 2}"#, &closed, "E", Either::Unknown);
        assert!(refused.unwrap_err().contains("unknown property `more`"));
    }
}
