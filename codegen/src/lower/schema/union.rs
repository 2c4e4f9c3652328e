//! `oneOf` and `anyOf` lists into unions, tagged by a discriminator when the spec gives one.

use openapiv3::{Schema, SchemaKind};

use super::shape::SchemaRef;
use super::wrap_nullable;
use crate::error::{Error, ErrorKind};
use crate::ir::{Union, UnionVariant};
use crate::lower::Lowerer;

impl<'a> Lowerer<'a> {
    pub(super) fn union(
        &mut self,
        s: &'a Schema,
        members: &[SchemaRef<'a>],
        name: &str,
        ptr: &str,
    ) -> Result<Union, Error> {
        let key = key(s);
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut variants = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            let member_ptr = format!("{ptr}/{key}/{i}");
            let (ty, nullable) = self.type_of(*m, &format!("{name}{i}"), &member_ptr)?;
            let tags = match discriminator {
                Some(d) => tags(d, self.member_reference(*m, &member_ptr), &member_ptr)?,
                None => Vec::new(),
            };
            variants.push(UnionVariant {
                rust: String::new(),
                ty: wrap_nullable(ty, nullable),
                tags,
                boxed: false,
            });
        }
        Ok(Union {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
        })
    }
}

impl<'a> Lowerer<'a> {
    /// The reference a union member is: itself, or the one schema of a composition around it
    /// (3.1's `{$ref: Cat, description: ..}` is read as an `allOf` of the reference).
    fn member_reference(&self, member: SchemaRef<'a>, ptr: &str) -> Option<&'a str> {
        match member {
            SchemaRef::Ref(r) => Some(r),
            SchemaRef::Item(s) => match self.single_member(s, ptr)? {
                (SchemaRef::Ref(r), _) => Some(r),
                (SchemaRef::Item(_), _) => None,
            },
        }
    }
}

/// The discriminator values that select a member referencing `reference`: those the mapping
/// gives, else the name of the schema it references.
fn tags(
    d: &openapiv3::Discriminator,
    reference: Option<&str>,
    member_ptr: &str,
) -> Result<Vec<String>, Error> {
    let Some(r) = reference else {
        return Err(Error::new(
            ErrorKind::Unsupported("a discriminated union whose member is not a `$ref`".into()),
            member_ptr,
        ));
    };
    let mut tags: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, v)| *v == r)
        .map(|(k, _)| k.clone())
        .collect();
    if tags.is_empty() {
        tags.push(r.rsplit('/').next().unwrap_or(r).to_owned());
    }
    Ok(tags)
}

/// The keyword that holds a union's members, for pointers.
pub(super) fn key(s: &Schema) -> &'static str {
    match &s.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(a) if a.one_of.is_empty() && !a.any_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}
