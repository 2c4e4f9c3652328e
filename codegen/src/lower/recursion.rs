//! The recursion pass: boxes the fields and variants that would give a type infinite size.

use std::collections::BTreeMap;

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
/// connected component: exactly the edges that make a cycle of inline values.
pub fn box_recursive_fields(api: &mut Api) {
    let names: Vec<&String> = api.types.keys().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = api
        .types
        .values()
        .map(|def| {
            def.kind
                .type_refs()
                .into_iter()
                .filter_map(held_inline)
                .filter_map(|n| index.get(n).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let comp_of: BTreeMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| ((*n).clone(), component[i]))
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

/// Tarjan's algorithm, iterative; returns the component id of each node.
pub(crate) fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut comp) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next_index, mut next_comp) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame is a node and the position of the next edge to follow.
        let mut frames = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = frames.last_mut() {
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 3 a self loop; 4 alone.
        let c = strongly_connected(&[vec![1], vec![2], vec![0, 3], vec![3], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
        assert_ne!(c[3], c[4]);
    }
}
