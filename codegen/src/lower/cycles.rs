//! The cycles pass: aliases that name each other are not Rust types (`type A = B; type B = A;`
//! is rustc's "cycle detected"). A cycle that goes through a list or a map holds real data, and
//! its alias of the list or map becomes a newtype struct; a cycle of references alone never
//! reaches a schema, and is an error (a JSON value, when lowering is lenient).

use super::{Cost, Lowerer};
use crate::error::{Error, ErrorKind};
use crate::graph::TypeGraph;
use crate::ir::{Api, TypeKind, TypeRef};

/// The aliases of `api` that belong to a cycle of aliases, by cycle.
fn alias_cycles(api: &Api) -> Vec<Vec<String>> {
    let aliases = TypeGraph::new(
        api,
        |d| matches!(d.kind, TypeKind::Alias(_)),
        |ty, out| ty.names(&mut |n| out(n)),
    );
    let cycles = aliases.cycles();
    cycles
        .into_iter()
        .map(|c| c.into_iter().map(str::to_owned).collect())
        .collect()
}

/// Turns the aliases of a list or a map inside alias cycles into newtypes, and reports cycles
/// that no list or map breaks.
pub(crate) fn resolve_alias_cycles(api: &mut Api, lowerer: &mut Lowerer) -> Result<(), Error> {
    for cycle in alias_cycles(api) {
        for name in &cycle {
            let def = api.types.get_mut(name).expect("cycle members are types");
            if let TypeKind::Alias(t @ (TypeRef::Vec(_) | TypeRef::Map(_))) = &def.kind {
                def.kind = TypeKind::Newtype(t.clone());
            }
        }
    }
    for cycle in alias_cycles(api) {
        let first = &api.types[&cycle[0]];
        let names: Vec<String> = cycle.iter().map(|n| format!("`{n}`")).collect();
        let e = Error::new(
            ErrorKind::Invalid(format!(
                "{} only refer to each other and never reach a schema (a `$ref` cycle)",
                names.join(", ")
            )),
            first.origin.clone(),
        );
        lowerer.degrade(e, Cost::Json)?;
        for name in &cycle {
            if let Some(def) = api.types.get_mut(name) {
                def.kind = TypeKind::Alias(TypeRef::Json);
            }
        }
    }
    Ok(())
}
