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

/// Which of several equal types the others become aliases of: a component schema, else an
/// inline schema of a component (`Adoption.animal`) before one of an operation
/// (`addAnimal`'s response), else the first by name.
fn rank(def: &TypeDef) -> (u8, &str) {
    let place = if !is_inline(def) {
        0
    } else if def.origin.starts_with("/components/") {
        1
    } else {
        2
    };
    (place, &def.name)
}

/// Replaces each inline type that repeats another with an alias of the best ranked one, and
/// points every use at it; repeats until nothing changes, since merging children can make
/// parents equal.
pub fn dedupe_inline_types(api: &mut Api) {
    loop {
        let mut best: HashMap<TypeKind, &TypeDef> = HashMap::new();
        for def in api.types.values() {
            if matches!(def.kind, TypeKind::Alias(_)) {
                continue;
            }
            best.entry(key(&def.kind))
                .and_modify(|b| {
                    if rank(def) < rank(b) {
                        *b = def;
                    }
                })
                .or_insert(def);
        }
        let map: BTreeMap<String, String> = api
            .types
            .values()
            .filter(|def| is_inline(def) && !matches!(def.kind, TypeKind::Alias(_)))
            .filter_map(|def| {
                let to = &best[&key(&def.kind)].name;
                (*to != def.name).then(|| (def.name.clone(), to.clone()))
            })
            .collect();
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
