//! The dedupe pass: inline schemas that lower to the same type become aliases of the first one.
//!
//! Large specs repeat inline shapes (GitHub's has the same `state` enum in dozens of places);
//! one definition and a one-line alias per repetition keeps every name and cuts the code to
//! compile.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use crate::naming::type_name;

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
/// interchangeable. A shape is hashed with the names it refers to resolved to the types they
/// merged into, when it is first seen and again when one of those names merges.
#[derive(Default)]
struct Shapes {
    ids: HashMap<TypeKind, usize>,
    of: HashMap<String, usize>,
    /// Each merged type, with the type it became an alias of.
    merged: HashMap<String, String>,
}

impl Shapes {
    fn set(&mut self, def: &TypeDef) {
        let mut kind = key(&def.kind);
        for t in kind.type_refs_mut() {
            t.names_mut(&mut |n| *n = self.resolve(n).to_owned());
        }
        let next = self.ids.len();
        let id = *self.ids.entry(kind).or_insert(next);
        self.of.insert(def.name.clone(), id);
    }

    /// Whether the merges from `name` on pass through one of `map`'s.
    fn merges_through<'n>(&'n self, mut name: &'n str, map: &HashMap<String, String>) -> bool {
        loop {
            if map.contains_key(name) {
                return true;
            }
            match self.merged.get(name) {
                Some(to) => name = to,
                None => return false,
            }
        }
    }

    /// The type `name` merged into, through every merge since.
    fn resolve<'n>(&'n self, mut name: &'n str) -> &'n str {
        while let Some(to) = self.merged.get(name) {
            name = to;
        }
        name
    }
}

/// The name the previous generation recorded for the type of the schema at a pointer, if any
/// (`lower/type_names.rs`).
pub(crate) type Recorded<'r> = &'r dyn Fn(&str) -> Option<String>;

/// Replaces each inline type that repeats another with an alias of the best ranked one, then
/// names what is shared ([`name_shared`]). Repeats until nothing changes, since merging children
/// can make parents equal. Uses keep the names they had until then.
pub(crate) fn dedupe_inline_types(api: &mut Api, recorded: Recorded) {
    let mut shapes = Shapes::default();
    api.types
        .values()
        .filter(|def| !matches!(def.kind, TypeKind::Alias(_)))
        .for_each(|def| shapes.set(def));
    loop {
        let map = repeats(api, &shapes);
        if map.is_empty() {
            break;
        }
        for (name, to) in &map {
            shapes.of.remove(name);
            shapes.merged.insert(name.clone(), to.clone());
            if let Some(def) = api.types.get_mut(name) {
                def.kind = TypeKind::Alias(TypeRef::Named(to.clone()));
            }
        }
        let changed: HashSet<&str> = shapes
            .merged
            .keys()
            .filter(|n| shapes.merges_through(n, &map))
            .map(String::as_str)
            .collect();
        let touched: Vec<String> = api
            .types
            .values()
            .filter(|def| shapes.of.contains_key(&def.name) && refers_to(def, &changed))
            .map(|def| def.name.clone())
            .collect();
        touched.iter().for_each(|name| shapes.set(&api.types[name]));
    }
    name_shared(api, &shapes, recorded);
}

fn refers_to(def: &TypeDef, names: &HashSet<&str>) -> bool {
    let mut found = false;
    for t in def.kind.type_refs() {
        t.names(&mut |n| found |= names.contains(n));
    }
    found
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

/// The components that operations share: each kind, with the word for one of them.
const SHARED_COMPONENTS: [(&str, &str); 4] = [
    ("parameters", "Parameter"),
    ("responses", "Response"),
    ("requestBodies", "Body"),
    ("headers", "Header"),
];

/// The word for the component a schema at `origin` stands in when operations share it (a
/// parameter, a response, a request body, a header), not a schema's.
fn shared_component(origin: &str) -> Option<&'static str> {
    let rest = origin.strip_prefix("/components/")?;
    SHARED_COMPONENTS
        .iter()
        .find(|(kind, _)| rest.strip_prefix(kind).is_some_and(|r| r.starts_with('/')))
        .map(|(_, word)| *word)
}

fn in_shared_component(origin: &str) -> bool {
    shared_component(origin).is_some()
}

/// A merged type's group: the type the others became aliases of, and those others.
struct Group {
    winner: String,
    members: Vec<String>,
}

impl Group {
    fn contains(&self, name: &str) -> bool {
        self.winner == name || self.members.iter().any(|m| m == name)
    }
}

/// The groups of merged types, and the inline types that shared components hold alone.
fn groups(api: &Api, shapes: &Shapes) -> Vec<Group> {
    let mut by_winner: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for member in shapes.merged.keys() {
        let winner = shapes.resolve(member);
        by_winner.entry(winner).or_default().push(member.clone());
    }
    let alone = api.types.values().filter(|def| {
        in_shared_component(&def.origin)
            && !shapes.merged.contains_key(&def.name)
            && !matches!(def.kind, TypeKind::Alias(_))
    });
    for def in alone {
        by_winner.entry(&def.name).or_default();
    }
    by_winner
        .into_iter()
        .map(|(winner, mut members)| {
            members.sort();
            Group {
                winner: winner.to_owned(),
                members,
            }
        })
        .collect()
}

/// The name a group's type is known by wherever it stands: its title (the best ranked
/// schema's, else the one the others agree on), else the property or parameter name every use
/// stands under, else (for a shared component's schema) its pointer's words, alone and then with
/// the component's kind (`StatusParameter`); the first that no other type has. `None` when there is none: each use keeps its own
/// alias.
fn shared_name(api: &Api, group: &Group, chosen: &BTreeSet<String>) -> Option<String> {
    let defs: Vec<&TypeDef> = std::iter::once(&group.winner)
        .chain(&group.members)
        .filter_map(|n| api.types.get(n))
        .collect();
    let agreed = |of: &dyn Fn(&TypeDef) -> Option<String>| {
        let all: BTreeSet<Option<String>> = defs.iter().map(|d| of(d)).collect();
        let named: BTreeSet<&String> = all.iter().flatten().collect();
        (named.len() == 1).then(|| named.into_iter().next().cloned())?
    };
    let winner = api.types.get(&group.winner)?;
    // A one-value enum is a tag of its parent (`kind: cat`): a title or a role alone (`Kind`)
    // would not say which.
    let fixed = matches!(&winner.kind, TypeKind::StringEnum(v) if v.len() == 1)
        || matches!(&winner.kind, TypeKind::IntEnum(v) if v.len() == 1);
    // The best ranked schema's title is its author's name for the shape.
    let title = winner
        .title
        .clone()
        .or_else(|| agreed(&|d| d.title.clone()));
    // A role names the type only where every use stands under it.
    let role = agreed(&|d| d.role.clone()).filter(|_| defs.iter().all(|d| d.role.is_some()));
    let (title, role) = if fixed { (None, None) } else { (title, role) };
    let named = [title.map(|t| type_name(&t)), role.map(|r| type_name(&r))];
    named
        .into_iter()
        .flatten()
        .chain(pointer_names(&winner.origin).into_iter().flatten())
        .find(|n| free(api, n, chosen) || (!chosen.contains(n) && group.contains(n)))
}

/// The names of a shared component's schema at `origin` (`/components/parameters/status/schema`):
/// its pointer's words, alone and with the component's kind (`Status`, `StatusParameter`).
fn pointer_names(origin: &str) -> Option<[String; 2]> {
    let word = shared_component(origin)?;
    let words = super::refs::pointer_hint(origin);
    Some([words.clone(), format!("{words}{word}")])
}

/// Whether no type has `name` and no group chose it.
fn free(api: &Api, name: &str, chosen: &BTreeSet<String>) -> bool {
    !api.types.contains_key(name) && !chosen.contains(name)
}

/// Names what several uses share (see [`shared_name`]) and points every use at that name, but
/// the uses of a type the previous generation named otherwise, which keeps its name as an alias
/// of the shared type (a shape that a new use shares renames nothing); a group without a shared
/// name keeps each use's own name, an alias of the shared type. A component schema keeps the
/// name its author gave, and its repeats' uses take it.
fn name_shared(api: &mut Api, shapes: &Shapes, recorded: Recorded) {
    let mut chosen = BTreeSet::new();
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut moves = Vec::new();
    for group in groups(api, shapes) {
        let component = api.types.get(&group.winner).is_some_and(|d| !is_inline(d));
        let name = if component {
            Some(group.winner.clone())
        } else {
            shared_name(api, &group, &chosen)
        };
        let Some(name) = name else {
            for member in &group.members {
                let def = api.types.get_mut(member).expect("a member is a type");
                def.kind = TypeKind::Alias(TypeRef::Named(group.winner.clone()));
                // A shared component's alias is named for the component, not its first user.
                let own = pointer_names(&def.origin)
                    .into_iter()
                    .flatten()
                    .find(|n| free(api, n, &chosen));
                if let Some(own) = own {
                    chosen.insert(own.clone());
                    renames.insert(member.clone(), own.clone());
                    moves.push((member.clone(), own));
                }
            }
            continue;
        };
        chosen.insert(name.clone());
        let named_before = |member: &String| {
            recorded(&api.types[member].origin).is_some_and(|before| before != name)
        };
        for member in &group.members {
            if *member != name && !named_before(member) {
                renames.insert(member.clone(), name.clone());
            }
        }
        if group.winner != name {
            renames.insert(group.winner.clone(), name.clone());
        }
        if group.winner != name {
            moves.push((group.winner, name));
        }
    }
    let winners = moves.clone();
    for (from, to) in &winners {
        moves.extend(children(api, from, to, &mut renames, &mut chosen));
    }
    for (from, to) in moves {
        let mut def = api.types.remove(&from).expect("a renamed type is a type");
        def.name = to.clone();
        api.types.insert(to, def);
    }
    rename_everywhere(api, &renames);
    remove_unused_aliases(api, recorded);
}

/// The inline types under a renamed type's schema that are named after it (`<from>Item`), renamed
/// after its new name where that is free; each is added to `renames`.
fn children(
    api: &Api,
    from: &str,
    to: &str,
    renames: &mut HashMap<String, String>,
    chosen: &mut BTreeSet<String>,
) -> Vec<(String, String)> {
    let under = format!("{}/", api.types[from].origin);
    let mut moves = Vec::new();
    for def in api.types.values().filter(|d| d.origin.starts_with(&under)) {
        let Some(rest) = def.name.strip_prefix(from) else {
            continue;
        };
        let new = format!("{to}{rest}");
        let upper = rest.starts_with(|c: char| c.is_ascii_uppercase());
        if upper && free(api, &new, chosen) && !renames.contains_key(&def.name) {
            renames.insert(def.name.clone(), new.clone());
            chosen.insert(new.clone());
            moves.push((def.name.clone(), new));
        }
    }
    moves
}

fn rename_everywhere(api: &mut Api, renames: &HashMap<String, String>) {
    let mut rename = |t: &mut TypeRef| {
        t.names_mut(&mut |n| {
            if let Some(to) = renames.get(n) {
                *n = to.clone();
            }
        })
    };
    for def in api.types.values_mut() {
        def.kind.type_refs_mut().into_iter().for_each(&mut rename);
    }
    api.use_sites_mut().into_iter().for_each(rename);
}

/// Removes the aliases of inline schemas that nothing refers to any more (every use of a repeat
/// now names the type it repeats), until none is left; an alias the previous generation named
/// stays, so that no type users may name disappears when a shape becomes shared.
fn remove_unused_aliases(api: &mut Api, recorded: Recorded) {
    loop {
        let mut used = HashSet::new();
        let mut note = |t: &TypeRef| {
            t.names(&mut |n| {
                used.insert(n.to_owned());
            })
        };
        api.types
            .values()
            .flat_map(|d| d.kind.type_refs())
            .for_each(&mut note);
        api.use_sites_mut().into_iter().for_each(|t| note(t));
        let unused: Vec<String> = api
            .types
            .values()
            .filter(|d| {
                matches!(d.kind, TypeKind::Alias(_))
                    && is_inline(d)
                    && !used.contains(&d.name)
                    && recorded(&d.origin).is_none()
            })
            .map(|d| d.name.clone())
            .collect();
        if unused.is_empty() {
            return;
        }
        unused.iter().for_each(|n| {
            api.types.remove(n);
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeRef};

    fn lower(yaml: &str) -> Api {
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), yaml.to_owned()).unwrap();
        crate::lower::lower(&spec, "t", "t.yaml", true).unwrap()
    }

    /// The type of `op`'s parameter `name`.
    fn param(api: &Api, op: &str, name: &str) -> TypeRef {
        let op = api.operations.iter().find(|o| o.id == op).unwrap();
        op.params
            .iter()
            .find(|p| p.wire == name)
            .unwrap()
            .ty
            .clone()
    }

    const SPEC: &str = r"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: listA
      parameters:
        - {name: direction, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: state, in: query, schema: {type: string, enum: [open, closed]}}
        - {$ref: '#/components/parameters/status'}
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: listB
      parameters:
        - {name: direction, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: status, in: query, schema: {type: string, enum: [open, closed]}}
        - {$ref: '#/components/parameters/status'}
      responses: {'204': {description: ok}}
components:
  parameters:
    status: {name: progress, in: query, schema: {type: string, enum: [queued, done]}}
  schemas:
    Status: {type: object}
";

    #[test]
    fn shared_shapes_are_named_for_what_they_are_never_for_another_operation() {
        let api = lower(SPEC);
        let named = |n: &str| TypeRef::Named(n.to_owned());
        // Every use stands under `direction`.
        assert_eq!(param(&api, "listA", "direction"), named("Direction"));
        assert_eq!(param(&api, "listB", "direction"), named("Direction"));
        // `state` and `status` disagree: each operation keeps its own alias.
        assert_eq!(param(&api, "listA", "state"), named("ListAState"));
        assert_eq!(param(&api, "listB", "status"), named("ListBStatus"));
        assert_eq!(
            api.types["ListBStatus"].kind,
            crate::ir::TypeKind::Alias(named("ListAState"))
        );
        // A shared parameter's schema: its role `progress` is free.
        assert_eq!(param(&api, "listB", "progress"), named("Progress"));
        // The aliases nothing uses are gone.
        assert!(
            !api.types.contains_key("ListBDirection"),
            "{:?}",
            api.types.keys()
        );
        assert!(!api.types.contains_key("ListADirection"));
    }
}
