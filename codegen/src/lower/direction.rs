//! The direction pass: marks each type with the way it travels. A type in a parameter or a
//! request body (or a webhook's answer) is sent; one in a response or a webhook payload is
//! received; what it holds
//! travels with it. The emitters give sent types what building one takes (a constructor and
//! setters), and the public surface records both directions, which decide what a change to the
//! type means for clients.

use crate::graph::TypeGraph;
use crate::ir::{Api, Direction, Operation, TypeRef};

/// Sets [`crate::ir::TypeDef::direction`] of every type of `api`.
pub fn mark(api: &mut Api) {
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in &api.operations {
        sent.extend(op.request_refs().into_iter().cloned());
        received.extend(answer_refs(op));
    }
    // A webhook's payload is what the API sends: the client's user receives it, and sends
    // the answer back.
    for hook in &api.webhooks {
        received.extend(hook.request_refs().into_iter().cloned());
        sent.extend(answer_refs(hook));
    }
    let (sent, received) = {
        let graph = TypeGraph::of(api);
        let names = |roots: &[TypeRef]| -> Vec<String> {
            let reached = graph.reached(graph.roots(roots));
            (0..reached.len())
                .filter(|n| reached[*n])
                .map(|n| graph.name(n).to_owned())
                .collect()
        };
        (names(&sent), names(&received))
    };
    set(api, &sent, |d| &mut d.sent);
    set(api, &received, |d| &mut d.received);
}

fn answer_refs(op: &Operation) -> Vec<TypeRef> {
    op.responses
        .iter()
        .flat_map(|r| r.type_refs().cloned())
        .collect()
}

/// Sets the flag `which` picks on the types `names`.
fn set(api: &mut Api, names: &[String], which: impl Fn(&mut Direction) -> &mut bool) {
    for name in names {
        if let Some(def) = api.types.get_mut(name) {
            *which(&mut def.direction) = true;
        }
    }
}
