//! The fixed pass: a field whose type allows one value (a one-value enum, OpenAPI 3.1's
//! `const`) and not `null` has that value, which constructors fill in instead of asking for it
//! and union decoding reads as a tag.

use crate::ir::{Api, Fixed, TypeKind, TypeRef};

/// Sets [`crate::ir::Field::fixed`] on every field of `api`'s structs.
pub fn mark(api: &mut Api) {
    let read: &Api = api;
    let fixed: Vec<(String, usize, Fixed)> = read
        .types
        .values()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(s) => Some((def, s)),
            _ => None,
        })
        .flat_map(|(def, s)| {
            s.fields.iter().enumerate().filter_map(move |(i, f)| {
                let value = (!f.nullable).then(|| one_value(read, &f.ty)).flatten()?;
                Some((def.name.clone(), i, value))
            })
        })
        .collect();
    for (name, i, value) in fixed {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(&name).map(|d| &mut d.kind) {
            s.fields[i].fixed = Some(value);
        }
    }
}

/// The one value a type allows, when it is a one-value string enum (through aliases).
pub(crate) fn one_value(api: &Api, ty: &TypeRef) -> Option<Fixed> {
    let TypeRef::Named(name) = api.unalias(ty) else {
        return None;
    };
    match &api.types.get(name)?.kind {
        TypeKind::StringEnum(values) if values.len() == 1 => Some(Fixed {
            variant: values[0].rust.clone(),
            value: values[0].value.clone(),
        }),
        _ => None,
    }
}
