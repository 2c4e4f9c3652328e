//! The dedupe pass: inline schemas that lower to the same type become aliases of the first one.
//!
//! Large specs repeat inline shapes (GitHub's has the same `state` enum in dozens of places);
//! one definition and a one-line alias per repetition keeps every name and cuts the code to
//! compile.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Api, TypeDef, TypeKind, TypeRef};

/// Whether `def` comes from an inline schema rather than a component, which keeps its own
/// definition whatever it looks like.
fn is_inline(def: &TypeDef) -> bool {
    def.origin
        .strip_prefix("/components/schemas/")
        .is_none_or(|rest| rest.contains('/'))
}

/// The shape of a type without its documentation: equal keys mean interchangeable types.
fn key(kind: &TypeKind) -> TypeKind {
    let mut kind = kind.clone();
    match &mut kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.doc = None),
        TypeKind::StringEnum(v) => v.iter_mut().for_each(|v| v.doc = None),
        TypeKind::IntEnum(v) => v.iter_mut().for_each(|v| v.doc = None),
        TypeKind::Union(_) | TypeKind::Alias(_) => {}
    }
    kind
}

fn rename(ty: &mut TypeRef, map: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(n) => {
            if let Some(to) = map.get(n) {
                *n = to.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => rename(inner, map),
        _ => {}
    }
}

/// Replaces each inline type that repeats an earlier type (in name order) with an alias of it,
/// and points every use at the earlier one; repeats until nothing changes, since merging
/// children can make parents equal.
pub fn dedupe_inline_types(api: &mut Api) {
    loop {
        let mut first: HashMap<TypeKind, String> = HashMap::new();
        let mut map = BTreeMap::new();
        for (name, def) in &api.types {
            if matches!(def.kind, TypeKind::Alias(_)) {
                continue;
            }
            match first.entry(key(&def.kind)) {
                std::collections::hash_map::Entry::Occupied(e) if is_inline(def) => {
                    map.insert(name.clone(), e.get().clone());
                }
                std::collections::hash_map::Entry::Occupied(_) => {}
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(name.clone());
                }
            }
        }
        if map.is_empty() {
            return;
        }
        for (name, def) in &mut api.types {
            if let Some(to) = map.get(name) {
                def.kind = TypeKind::Alias(TypeRef::Named(to.clone()));
                continue;
            }
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|f| rename(&mut f.ty, &map));
                    if let crate::ir::Extra::Keep(t) = &mut s.extra {
                        rename(t, &map);
                    }
                }
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| rename(&mut v.ty, &map)),
                TypeKind::Alias(t) => rename(t, &map),
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
            }
        }
        for op in &mut api.operations {
            op.params.iter_mut().for_each(|p| rename(&mut p.ty, &map));
            op.body.iter_mut().for_each(|b| rename(&mut b.ty, &map));
            op.responses
                .iter_mut()
                .filter_map(|r| r.ty.as_mut())
                .for_each(|t| rename(t, &map));
        }
        api.examples
            .iter_mut()
            .for_each(|e| rename(&mut e.ty, &map));
    }
}
