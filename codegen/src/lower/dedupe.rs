//! The dedupe pass: inline schemas that lower to the same type become aliases of the first one.
//!
//! Large specs repeat inline shapes (GitHub's has the same `state` enum in dozens of places);
//! one definition and a one-line alias per repetition keeps every name and cuts the code to
//! compile.

use std::collections::HashMap;

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

/// Renames what `map` renames in `ty`; whether anything changed.
fn rename(ty: &mut TypeRef, map: &HashMap<String, String>) -> bool {
    let mut changed = false;
    ty.names_mut(&mut |n| {
        if let Some(to) = map.get(n) {
            *n = to.clone();
            changed = true;
        }
    });
    changed
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

/// The shape of every type that is not an alias, as a number: types of one number are
/// interchangeable. A shape is hashed when it is first seen and again only when a rename
/// changes it.
#[derive(Default)]
struct Shapes {
    ids: HashMap<TypeKind, usize>,
    of: HashMap<String, usize>,
}

impl Shapes {
    fn set(&mut self, def: &TypeDef) {
        let next = self.ids.len();
        let id = *self.ids.entry(key(&def.kind)).or_insert(next);
        self.of.insert(def.name.clone(), id);
    }
}

/// Replaces each inline type that repeats another with an alias of the best ranked one, and
/// points every use at it; repeats until nothing changes, since merging children can make
/// parents equal.
pub fn dedupe_inline_types(api: &mut Api) {
    let mut shapes = Shapes::default();
    api.types
        .values()
        .filter(|def| !matches!(def.kind, TypeKind::Alias(_)))
        .for_each(|def| shapes.set(def));
    loop {
        let map = repeats(api, &shapes);
        if map.is_empty() {
            return;
        }
        for (name, def) in &mut api.types {
            if let Some(to) = map.get(name) {
                def.kind = TypeKind::Alias(TypeRef::Named(to.clone()));
                shapes.of.remove(name);
                continue;
            }
            let mut touched = false;
            for t in def.kind.type_refs_mut() {
                touched |= rename(t, &map);
            }
            if touched && shapes.of.contains_key(name) {
                shapes.set(def);
            }
        }
        api.use_sites_mut().into_iter().for_each(|t| {
            rename(t, &map);
        });
    }
}

/// Each inline type whose shape a type of a better rank shares, with that type's name.
fn repeats(api: &Api, shapes: &Shapes) -> HashMap<String, String> {
    let mut best: HashMap<usize, &TypeDef> = HashMap::new();
    for def in api.types.values() {
        let Some(&id) = shapes.of.get(&def.name) else {
            continue;
        };
        best.entry(id)
            .and_modify(|b| {
                if rank(def) < rank(b) {
                    *b = def;
                }
            })
            .or_insert(def);
    }
    api.types
        .values()
        .filter(|def| is_inline(def))
        .filter_map(|def| {
            let to = &best[shapes.of.get(&def.name)?].name;
            (*to != def.name).then(|| (def.name.clone(), to.clone()))
        })
        .collect()
}
