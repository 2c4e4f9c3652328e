//! The types of an API as a graph: each type and the types its definition names. One graph
//! serves every pass that follows references: alias cycles, recursive fields, the direction a
//! type travels, the features that reach a type.

use std::collections::BTreeMap;

use crate::ir::{Api, TypeDef, TypeRef};

/// Types as nodes by index, in name order, and the edges from each to the types it names.
pub struct TypeGraph<'a> {
    names: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
    edges: Vec<Vec<usize>>,
}

impl<'a> TypeGraph<'a> {
    /// Every type, with an edge to every type its definition names.
    pub fn of(api: &'a Api) -> TypeGraph<'a> {
        TypeGraph::new(api, |_| true, |ty, out| ty.names(&mut |n| out(n)))
    }

    /// The types `keep` keeps, with an edge to each of them that `names` gives for a reference
    /// of a definition.
    pub fn new(
        api: &'a Api,
        keep: impl Fn(&TypeDef) -> bool,
        names: impl Fn(&'a TypeRef, &mut dyn FnMut(&'a str)),
    ) -> TypeGraph<'a> {
        let defs: Vec<(&str, &TypeDef)> = api
            .types
            .iter()
            .filter(|(_, d)| keep(d))
            .map(|(n, d)| (n.as_str(), d))
            .collect();
        let index: BTreeMap<&str, usize> =
            defs.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
        let edges = defs
            .iter()
            .map(|(_, d)| {
                let mut out = Vec::new();
                for ty in d.kind.type_refs() {
                    names(ty, &mut |n| out.extend(index.get(n).copied()));
                }
                out
            })
            .collect();
        TypeGraph {
            names: defs.iter().map(|(n, _)| *n).collect(),
            index,
            edges,
        }
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn name(&self, node: usize) -> &'a str {
        self.names[node]
    }

    pub fn node(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The nodes `node`'s definition names.
    pub fn edges(&self, node: usize) -> &[usize] {
        &self.edges[node]
    }

    /// The types that `roots` name, as nodes.
    pub fn roots<'r>(&self, roots: impl IntoIterator<Item = &'r TypeRef>) -> Vec<usize> {
        let mut out = Vec::new();
        for ty in roots {
            ty.names(&mut |n| out.extend(self.node(n)));
        }
        out
    }

    /// Follows the edges from `roots`: `enter` is called on each node reached, and the walk goes
    /// on through the node when it returns `true` (return `false` for a node already seen).
    pub fn walk(&self, roots: Vec<usize>, mut enter: impl FnMut(usize) -> bool) {
        let mut stack = roots;
        while let Some(node) = stack.pop() {
            if enter(node) {
                stack.extend(&self.edges[node]);
            }
        }
    }

    /// Every node that `roots` reach, roots included.
    pub fn reached(&self, roots: Vec<usize>) -> Vec<bool> {
        let mut seen = vec![false; self.names.len()];
        self.walk(roots, |n| !std::mem::replace(&mut seen[n], true));
        seen
    }

    /// Every node from which one of `targets` is reached, targets included.
    pub fn reaching(&self, targets: Vec<usize>) -> Vec<bool> {
        let mut back: Vec<Vec<usize>> = vec![Vec::new(); self.len()];
        for (node, edges) in self.edges.iter().enumerate() {
            edges.iter().for_each(|&to| back[to].push(node));
        }
        let mut seen = vec![false; self.len()];
        let mut stack = targets;
        while let Some(node) = stack.pop() {
            if !std::mem::replace(&mut seen[node], true) {
                stack.extend(&back[node]);
            }
        }
        seen
    }

    /// The strongly connected component of each node, by an id.
    pub fn components(&self) -> Vec<usize> {
        strongly_connected(&self.edges)
    }

    /// A bound on how many types deep a chain of definitions goes without naming a type twice:
    /// the longest path through the components, each counting its size (a chain can pass
    /// through every type of a cycle).
    pub fn depth_bound(&self) -> usize {
        let components = self.components();
        let count = components.iter().max().map_or(0, |c| c + 1);
        let mut size = vec![0; count];
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (node, &c) in components.iter().enumerate() {
            size[c] += 1;
            next[c].extend(
                self.edges[node]
                    .iter()
                    .map(|&w| components[w])
                    .filter(|&d| d != c),
            );
        }
        // Tarjan's algorithm numbers a component after every component it reaches.
        let mut depth = vec![0; count];
        for c in 0..count {
            depth[c] = size[c] + next[c].iter().map(|&d| depth[d]).max().unwrap_or(0);
        }
        depth.into_iter().max().unwrap_or(0)
    }

    /// The cycles: components of several nodes, or of one that names itself; each in name order.
    pub fn cycles(&self) -> Vec<Vec<&'a str>> {
        let mut by_component: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (node, c) in self.components().into_iter().enumerate() {
            by_component.entry(c).or_default().push(node);
        }
        by_component
            .into_values()
            .filter(|nodes| nodes.len() > 1 || self.edges[nodes[0]].contains(&nodes[0]))
            .map(|nodes| nodes.into_iter().map(|n| self.names[n]).collect())
            .collect()
    }
}

/// Tarjan's algorithm, iterative; returns the component id of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
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
    use super::{TypeGraph, strongly_connected};

    #[test]
    fn the_depth_bound_counts_a_chain_and_every_type_of_a_cycle_on_it() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {type: object, properties: {c: {$ref: '#/components/schemas/C'}, d: {$ref: '#/components/schemas/D'}}}\n    C: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, e: {$ref: '#/components/schemas/E'}}}\n    D: {type: string}\n    E: {type: object, properties: {x: {type: string}}}\n";
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), yaml.to_owned()).unwrap();
        let api = crate::lower::lower(&spec, "t", "t.yaml", true).unwrap();
        // A, then B and C (a cycle), then E.
        assert_eq!(TypeGraph::of(&api).depth_bound(), 4);
    }

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
