//! The user's overrides of types (`Config::type_override`), checked and keyed by the names the
//! types settled on: each key must name a type, each derive be a path, each attribute one outer
//! attribute, each field a property of the struct, and a replacement a Rust type. A type's
//! input twin (`lower/access.rs`) gets what the type gets.

use std::collections::BTreeMap;

use crate::ir::{Api, TypeDef, TypeKind, TypeOverride};

/// The overrides of `api`'s types by their names, from the user's by key.
pub(crate) fn resolve(
    api: &Api,
    by_key: &BTreeMap<String, TypeOverride>,
) -> Result<BTreeMap<String, TypeOverride>, String> {
    let mut out = BTreeMap::new();
    for (key, wanted) in by_key {
        let def = api
            .types
            .values()
            .find(|d| d.twin_of.is_none() && super::type_names::chosen_for(key, d))
            .ok_or_else(|| {
                format!(
                    "an override is given for {key:?}, which names no type of the spec (give a component's key, or the `#/json/pointer` of an inline schema, `file.yaml#/pointer` in another file)"
                )
            })?;
        check(key, def, wanted)?;
        let twins = api
            .types
            .values()
            .filter(|d| d.twin_of.as_ref() == Some(&def.name));
        for name in std::iter::once(&def.name).chain(twins.map(|d| &d.name)) {
            out.insert(name.clone(), wanted.clone());
        }
    }
    Ok(out)
}

fn check(key: &str, def: &TypeDef, wanted: &TypeOverride) -> Result<(), String> {
    let fail = |what: String| Err(format!("the override of {key:?}: {what}"));
    for derive in &wanted.derives {
        if syn::parse_str::<syn::Path>(derive).is_err() {
            return fail(format!("{derive:?} is not a derive's path"));
        }
    }
    let attributes = wanted
        .attributes
        .iter()
        .chain(wanted.fields.values().flatten());
    for attribute in attributes {
        let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute);
        if !parsed.is_ok_and(|a| a.len() == 1) {
            return fail(format!("{attribute:?} is not one outer attribute (`#[…]`)"));
        }
    }
    if let Some(path) = &wanted.replace_with
        && syn::parse_str::<syn::Type>(path).is_err()
    {
        return fail(format!("{path:?} is not a Rust type"));
    }
    let derives_or_attributes = !wanted.derives.is_empty() || !wanted.attributes.is_empty();
    match &def.kind {
        TypeKind::Alias(_) if derives_or_attributes => fail(format!(
            "{} is an alias of another type, which derives and attributes cannot change",
            def.name
        )),
        TypeKind::Struct(s) => {
            let missing = wanted
                .fields
                .keys()
                .find(|wire| !s.fields.iter().any(|f| f.wire == **wire));
            match missing {
                Some(wire) => fail(format!("{} has no property {wire:?}", def.name)),
                None => Ok(()),
            }
        }
        _ if !wanted.fields.is_empty() => fail(format!("{} has no fields", def.name)),
        _ => Ok(()),
    }
}
