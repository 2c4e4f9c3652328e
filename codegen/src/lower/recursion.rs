//! The recursion pass: boxes the fields and variants that would give a type infinite size.

use std::collections::BTreeMap;

use crate::graph::TypeGraph;
use crate::ir::{Api, TypeKind, TypeRef};

/// The named type a value of `ty` holds inline (not behind a `Vec` or a map), if any.
fn held_inline(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        TypeRef::Option(inner) => held_inline(inner),
        _ => None,
    }
}

/// Marks as boxed every field or variant that holds, inline, a type of its own strongly
/// connected component: exactly the edges that make a cycle of inline values; and bounds how
/// deep values nest (`Api::type_depth`).
pub fn box_recursive_fields(api: &mut Api) {
    api.type_depth = TypeGraph::of(api).depth_bound();
    let graph = TypeGraph::new(
        api,
        |_| true,
        |ty, out| {
            if let Some(n) = held_inline(ty) {
                out(n);
            }
        },
    );
    let component = graph.components();
    let comp_of: BTreeMap<String, usize> = component
        .iter()
        .enumerate()
        .map(|(node, c)| (graph.name(node).to_owned(), *c))
        .collect();

    for def in api.types.values_mut() {
        let own = comp_of[&def.name];
        let same = |ty: &TypeRef| held_inline(ty).is_some_and(|n| comp_of.get(n) == Some(&own));
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.boxed = same(&f.ty)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.boxed = same(&v.ty)),
            _ => {}
        }
    }
}
