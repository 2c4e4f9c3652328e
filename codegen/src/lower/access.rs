//! The access pass: `readOnly` and `writeOnly` decide what each direction requires.
//!
//! OpenAPI says a required `readOnly` property is required in answers only, and a required
//! `writeOnly` one in requests only. A type only received requires its read-only properties and
//! may lack its write-only ones; a type only sent the reverse. A type that travels both ways is
//! one type where the difference is only what answers may leave out: a required write-only
//! property is an `Option` that the constructor still asks for ([`Field::asked`]). Where a
//! caller would otherwise have to set what the server owns (a required read-only property, in
//! the type or in one it holds), the type has an input twin, named `<Type>Input`
//! (asked of `lower/type_names.rs`), which every request uses: the same fields, the read-only
//! ones optional, and its fields typed with the input twins of what it holds. The original
//! is then only received. Read-only fields of sent types are left out of requests on the way
//! out (`serde_support::read_only`), not by the type.

use std::collections::BTreeMap;

use super::type_names::TypeNames;

use crate::graph::TypeGraph;
use crate::ir::{Access, AccessCounts, Api, Direction, Field, TypeDef, TypeKind, TypeRef};
use crate::naming::INPUT_SUFFIX;
use crate::pins::{Place, Role};

/// Gives types that travel both ways and hold a required read-only property their input twins,
/// then sets what each field requires by the way its type travels.
pub(crate) fn apply(api: &mut Api, names: &mut TypeNames, place_of: &dyn Fn(&str) -> String) {
    let (counts, twins) = {
        let graph = TypeGraph::of(api);
        let owners: Vec<bool> = (0..graph.len())
            .map(|n| owns_required_read_only(&api.types[graph.name(n)]))
            .collect();
        let twins = twins(api, &graph, &owners);
        let claims: Vec<(Place, String)> = twins
            .iter()
            .map(|name| {
                let place = (Role::Input, place_of(&api.types[name].origin));
                (place, format!("{name}{INPUT_SUFFIX}"))
            })
            .collect();
        let named: BTreeMap<String, String> =
            twins.into_iter().zip(names.claim_all(&claims)).collect();
        (counts(api, &graph, &owners), named)
    };
    api.access = AccessCounts {
        twins: twins.len(),
        ..counts
    };
    if !twins.is_empty() {
        make_twins(api, &twins);
        super::direction::mark(api);
    }
    for def in api.types.values_mut() {
        let direction = def.direction;
        if let TypeKind::Struct(s) = &mut def.kind {
            s.fields.iter_mut().for_each(|f| require(f, direction));
        }
    }
}

/// What a field requires in a type that travels `direction`: a type only sent does not
/// require what the server owns; one received (or reached by nothing: answers may hold it)
/// does not require what only clients send, which the constructor of a type also sent asks for.
fn require(f: &mut Field, direction: Direction) {
    let only_sent = direction.sent && !direction.received;
    match f.access {
        Access::ReadOnly if only_sent => f.required = false,
        Access::WriteOnly if f.required && !only_sent => {
            f.required = false;
            f.asked = direction.sent;
        }
        _ => {}
    }
}

/// Every type that travels both ways and holds, itself or through what it holds, a required
/// read-only property (the `owners`, by node of `graph`): those that need an input twin.
fn twins(api: &Api, graph: &TypeGraph, owners: &[bool]) -> Vec<String> {
    let reaching = graph.reaching((0..graph.len()).filter(|&n| owners[n]).collect());
    (0..graph.len())
        .filter(|&n| reaching[n])
        .map(|n| graph.name(n))
        .filter(|name| {
            let direction = api.types[*name].direction;
            direction.sent && direction.received
        })
        .map(str::to_owned)
        .collect()
}

/// What `cargo xtask generate` says of the pass: what the spec marks, and the input twins.
pub fn summary(api: &Api) -> Option<String> {
    let c = api.access;
    if c.read_only + c.write_only == 0 {
        return None;
    }
    let mut out = format!(
        "readOnly/writeOnly: {} read-only properties ({} required), {} write-only; {} request \
         bodies would require what the server owns",
        c.read_only, c.required_read_only, c.write_only, c.bodies
    );
    let twins: Vec<String> = api
        .types
        .values()
        .filter_map(|def| Some(format!("{} -> {}", def.twin_of.as_deref()?, def.name)))
        .collect();
    if !twins.is_empty() {
        out.push_str(&format!(
            "\n  input twins, which requests send (read-only fields optional): {}",
            twins.join(", ")
        ));
    }
    Some(out)
}

/// What `readOnly` and `writeOnly` mark, before the pass acts on it; `owners` are the types of
/// `graph` that hold a required read-only property.
fn counts(api: &Api, graph: &TypeGraph, owners: &[bool]) -> AccessCounts {
    let mut counts = AccessCounts::default();
    let fields = api.types.values().flat_map(|def| match &def.kind {
        TypeKind::Struct(s) => s.fields.as_slice(),
        _ => &[],
    });
    for f in fields {
        match f.access {
            Access::ReadOnly => counts.read_only += 1,
            Access::WriteOnly => counts.write_only += 1,
            Access::ReadWrite => {}
        }
        counts.required_read_only += usize::from(f.required && f.access == Access::ReadOnly);
    }
    counts.bodies = api
        .operations
        .iter()
        .filter(|op| {
            let body = op
                .body
                .iter()
                .flat_map(|b| &b.media)
                .flat_map(|m| m.kind.type_refs());
            let reached = graph.reached(graph.roots(body));
            reached.iter().zip(owners).any(|(r, o)| *r && *o)
        })
        .count();
    counts
}

fn owns_required_read_only(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|f| f.required && f.access == Access::ReadOnly),
        _ => false,
    }
}

/// Adds the twins, and points what requests send (parameters, bodies, their examples, and the
/// types only sent) at them.
fn make_twins(api: &mut Api, twins: &BTreeMap<String, String>) {
    let retype = |ty: &mut TypeRef| {
        ty.names_mut(&mut |n| {
            if let Some(twin) = twins.get(n) {
                n.clone_from(twin);
            }
        });
    };
    let mut made = Vec::with_capacity(twins.len());
    for (name, twin) in twins {
        let mut def = api.types[name].clone();
        def.name.clone_from(twin);
        def.twin_of = Some(name.clone());
        def.direction = Direction::default();
        // A union's variants keep their names (`AnimalInput::Cat` holds a `CatInput`).
        if let TypeKind::Union(u) = &mut def.kind {
            for v in u.variants.iter_mut().filter(|v| v.label.is_none()) {
                if let TypeRef::Named(n) = &v.ty {
                    v.label = Some(n.clone());
                }
            }
        }
        def.kind.type_refs_mut().into_iter().for_each(retype);
        let said = format!(
            "The schema {} as requests send it: what the server owns (read-only) may be left \
             out, and is, unless the client is built to send it.",
            crate::docs::code(name)
        );
        def.doc = Some(match def.doc.take() {
            Some(doc) => format!("{doc}\n\n{said}"),
            None => said,
        });
        made.push(def);
    }
    for def in api.types.values_mut() {
        if def.direction.sent && !def.direction.received {
            def.kind.type_refs_mut().into_iter().for_each(retype);
        }
        def.direction = Direction::default();
    }
    for op in &mut api.operations {
        op.request_refs_mut().into_iter().for_each(retype);
    }
    for example in api.examples.iter_mut().filter(|e| e.sent) {
        retype(&mut example.ty);
    }
    api.types
        .extend(made.into_iter().map(|def| (def.name.clone(), def)));
}
