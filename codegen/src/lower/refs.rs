//! Following `$ref`s: to components by name, and to any other place of the document by pointer.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    Components, Example, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
};

use super::Lowerer;
use super::schema::SchemaRef;
use crate::error::{Error, ErrorKind, escape_token};
use crate::load::{Targets, refs::is_component, refs::local_pointer};
use crate::naming::type_name;

/// An object that a `$ref` can name: where its components and other targets are kept.
pub(crate) trait Referable: Sized {
    /// The key of its kind under `components`, e.g. `parameters`.
    const KIND: &'static str;
    fn components(c: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>>;
    fn targets(t: &Targets) -> &BTreeMap<String, ReferenceOr<Self>>;
}

macro_rules! referable {
    ($t:ty, $kind:literal, $components:ident, $targets:ident) => {
        impl Referable for $t {
            const KIND: &'static str = $kind;
            fn components(c: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
                Some(&c.$components)
            }
            fn targets(t: &Targets) -> &BTreeMap<String, ReferenceOr<Self>> {
                &t.$targets
            }
        }
    };
}

referable!(Parameter, "parameters", parameters, parameters);
referable!(RequestBody, "requestBodies", request_bodies, request_bodies);
referable!(Response, "responses", responses, responses);
referable!(Example, "examples", examples, examples);

impl Referable for PathItem {
    const KIND: &'static str = "pathItems";
    fn components(_: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        None
    }
    fn targets(t: &Targets) -> &BTreeMap<String, ReferenceOr<Self>> {
        &t.path_items
    }
}

/// How many references in a row are followed before they are called a cycle.
pub(crate) const MAX_HOPS: usize = 32;

/// The pointer a reference names, or an error for a reference into another document.
pub(crate) fn target_pointer(reference: &str, at: &str) -> Result<String, Error> {
    local_pointer(reference).ok_or_else(|| {
        Error::new(
            ErrorKind::Unsupported(format!(
                "reference {reference:?} into another document: only references within the spec are followed (bundle the spec first, for example with `npx @redocly/cli bundle`)"
            )),
            format!("{at}/$ref"),
        )
    })
}

/// Unescapes one JSON pointer token.
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl<'a> Lowerer<'a> {
    /// Follows `item` through references to the object it names, with that object's pointer.
    pub(crate) fn resolve<T: Referable>(
        &self,
        item: &'a ReferenceOr<T>,
        at: &str,
    ) -> Result<(&'a T, String), Error> {
        let mut current = item;
        let mut pointer = at.to_owned();
        for _ in 0..MAX_HOPS {
            let reference = match current {
                ReferenceOr::Item(t) => return Ok((t, pointer)),
                ReferenceOr::Reference { reference } => reference,
            };
            let target = target_pointer(reference, &pointer)?;
            let found = self.lookup::<T>(&target).ok_or_else(|| {
                Error::new(
                    ErrorKind::BadReference(format!("{reference:?} names nothing in the spec")),
                    format!("{pointer}/$ref"),
                )
            })?;
            current = found;
            pointer = target;
        }
        Err(Error::new(
            ErrorKind::Invalid("references form a cycle".into()),
            format!("{at}/$ref"),
        ))
    }

    fn lookup<T: Referable>(&self, pointer: &str) -> Option<&'a ReferenceOr<T>> {
        let spec: &'a crate::load::Spec = self.spec;
        if is_component(pointer) {
            let mut tokens = pointer.split('/').skip(2);
            let (kind, key) = (tokens.next()?, unescape(tokens.next()?));
            return (kind == T::KIND)
                .then(|| spec.doc.components.as_ref().and_then(T::components))
                .flatten()
                .and_then(|c| c.get(&key));
        }
        T::targets(&spec.targets).get(pointer)
    }

    /// Component schemas get their names before anything is lowered, by key in sorted order,
    /// so that no inline schema can take a component's name.
    pub(crate) fn reserve_schema_names(&mut self) {
        let spec: &'a crate::load::Spec = self.spec;
        let mut components: Vec<(&String, &'a ReferenceOr<Schema>)> = spec
            .doc
            .components
            .iter()
            .flat_map(|c| c.schemas.iter())
            .collect();
        components.sort_by(|a, b| a.0.cmp(b.0));
        for (key, schema) in components {
            let pointer = format!("/components/schemas/{}", escape_token(key));
            let name = self.names.propose(type_name(key));
            self.schemas.insert(pointer.clone(), schema);
            self.schema_names.insert(pointer, name);
        }
    }

    /// The schema at `pointer`: a component, or another place a reference names.
    pub(crate) fn schema_at(&self, pointer: &str) -> Option<&'a ReferenceOr<Schema>> {
        let spec: &'a crate::load::Spec = self.spec;
        match self.schemas.get(pointer) {
            Some(schema) => Some(*schema),
            None if is_component(pointer) => None,
            None => spec.targets.schemas.get(pointer),
        }
    }

    /// Resolves a schema reference to the name of the type it names and its schema. A schema
    /// outside the components is named after its pointer when first referenced, and defined
    /// by [`Lowerer::define_referenced`].
    pub(crate) fn resolve_schema(
        &mut self,
        reference: &str,
        at: &str,
    ) -> Result<(String, SchemaRef<'a>, String), Error> {
        let pointer = target_pointer(reference, at)?;
        let Some(schema) = self.schema_at(&pointer) else {
            return Err(Error::new(
                ErrorKind::BadReference(format!("{reference:?} names no schema in the spec")),
                format!("{at}/$ref"),
            ));
        };
        if !self.schema_names.contains_key(&pointer) {
            // An inline schema already lowered under its own name is that type.
            if let Some(name) = self.inline_names.get(&pointer) {
                return Ok((name.clone(), SchemaRef::from(schema), pointer));
            }
            let name = self.names.propose(pointer_hint(&pointer));
            // Where the target is also an inline schema, its lowering finds this name.
            self.inline_names.insert(pointer.clone(), name.clone());
            self.schema_names.insert(pointer.clone(), name);
            self.schemas.insert(pointer.clone(), schema);
            self.undefined.push(pointer.clone());
        }
        let name = self.schema_names[&pointer].clone();
        Ok((name, SchemaRef::from(schema), pointer))
    }

    /// Defines the schemas outside the components that references named, and those their
    /// definitions name in turn.
    pub(crate) fn define_referenced(&mut self) -> Result<(), Error> {
        while let Some(pointer) = self.undefined.pop() {
            self.define_schema(&pointer)?;
        }
        Ok(())
    }
}

/// A type name for the schema at `pointer`, from the tokens that say what it is:
/// `/components/schemas/Base/properties/id` → `BaseId`, `/$defs/Tag` → `Tag`.
pub(super) fn pointer_hint(pointer: &str) -> String {
    const STRUCTURE: &[&str] = &[
        "components",
        "schemas",
        "properties",
        "content",
        "schema",
        "$defs",
        "definitions",
        "requestBody",
        "requestBodies",
        "responses",
        "parameters",
        "paths",
        "allOf",
        "anyOf",
        "oneOf",
        "pathItems",
        "webhooks",
    ];
    let words: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(unescape)
        .filter(|t| !STRUCTURE.contains(&t.as_str()) && !t.starts_with("x-"))
        // Media types (`application/json`) say nothing about the value.
        .filter(|t| t.starts_with('/') || !t.contains('/'))
        .map(|t| match t.as_str() {
            "items" => "Item".to_owned(),
            "additionalProperties" => "Value".to_owned(),
            _ => t,
        })
        .collect();
    type_name(&words.join(" "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointer_hints() {
        for (pointer, want) in [
            ("/components/schemas/Base/properties/id", "BaseId"),
            ("/$defs/Tag", "Tag"),
            ("/x-definitions/Owner", "Owner"),
            ("/components/schemas/A/properties/list/items", "AListItem"),
            (
                "/paths/~1pets/get/responses/200/content/application~1json/schema",
                "PetsGet200",
            ),
        ] {
            assert_eq!(super::pointer_hint(pointer), want, "{pointer}");
        }
    }
}
