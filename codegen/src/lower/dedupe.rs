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
        TypeKind::Union(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
    }
    kind
}

fn rename(ty: &mut TypeRef, map: &BTreeMap<String, String>) {
    ty.names_mut(&mut |n| {
        if let Some(to) = map.get(n) {
            *n = to.clone();
        }
    });
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
            def.kind
                .type_refs_mut()
                .into_iter()
                .for_each(|t| rename(t, &map));
        }
        api.use_sites_mut()
            .into_iter()
            .for_each(|t| rename(t, &map));
    }
}
