//! `oneOf` and `anyOf` lists into unions, tagged by a discriminator when the spec gives one.
//! Each member is named for what it is: a referenced schema after itself, an inline one after
//! its title, the value it fixes, or its kind.

use openapiv3::{Discriminator, Schema, SchemaKind};

use super::enums::value_label;
use super::shape::{SchemaRef, Shape, shape};
use super::wrap_nullable;
use crate::error::Error;
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
            let label = self.member_label(*m, discriminator, &member_ptr);
            let hint = match &label {
                Some(label) => format!("{name}{label}"),
                None => format!("{name}{i}"),
            };
            let (ty, nullable) = self.type_of(*m, &hint, &member_ptr)?;
            let tags = match discriminator {
                Some(d) => self.tags(d, *m, &member_ptr),
                None => Vec::new(),
            };
            variants.push(UnionVariant {
                rust: String::new(),
                label,
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

    /// The discriminator values that select a member: those the mapping gives it, else the
    /// values its schema allows for the property (a one-value `enum` or `const`), else the
    /// name of the schema it references (the specification's implicit mapping). An inline
    /// member that fixes no value has none: it is told apart by its shape.
    fn tags(&mut self, d: &Discriminator, member: SchemaRef<'a>, ptr: &str) -> Vec<String> {
        let reference = self.member_reference(member, ptr);
        let schema_name = reference.map(|r| r.rsplit('/').next().unwrap_or(r));
        let mapped: Vec<String> = d
            .mapping
            .iter()
            .filter(|(_, v)| reference.is_some_and(|r| *v == r) || schema_name == Some(v.as_str()))
            .map(|(k, _)| k.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        let fixed = self.property_values(member, &d.property_name, ptr);
        if !fixed.is_empty() {
            return fixed;
        }
        schema_name.map(str::to_owned).into_iter().collect()
    }

    /// The string values a member's schema allows for `property`, through references and
    /// `allOf`; empty when it allows any.
    fn property_values(&mut self, member: SchemaRef<'a>, property: &str, ptr: &str) -> Vec<String> {
        let Ok((properties, _)) = self.properties_of(member, ptr) else {
            return Vec::new();
        };
        let Some((_, schema, _)) = properties.into_iter().find(|(wire, ..)| *wire == property)
        else {
            return Vec::new();
        };
        match self.peek(schema).map(shape) {
            Some(Shape::Str { values, .. }) => values,
            _ => Vec::new(),
        }
    }

    /// What an inline member is, to name its variant and type: its title, the value it fixes,
    /// the tag its object fixes, or its kind. `None` for a reference, and for a member that
    /// needs no type of its own and is named after the type it has (`String`, `PetList`).
    fn member_label(
        &mut self,
        member: SchemaRef<'a>,
        discriminator: Option<&Discriminator>,
        ptr: &str,
    ) -> Option<String> {
        let SchemaRef::Item(s) = member else {
            return None;
        };
        if let Some(title) = s
            .schema_data
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            return Some(title.to_owned());
        }
        if !self.needs_name(s) {
            return None;
        }
        match shape(s) {
            Shape::Str { values, .. } if values.len() == 1 => Some(value_label(&values[0])),
            Shape::Str { .. } | Shape::Int { .. } => Some("Known".to_owned()),
            Shape::Object(_) | Shape::AllOf(..) => {
                Some(self.object_label(member, discriminator, ptr))
            }
            Shape::OneOf(_) => Some("Union".to_owned()),
            _ => None,
        }
    }

    /// An inline object member is named after the value its tag property fixes (the
    /// discriminator's, else the first property fixed to one value), else `Object`.
    fn object_label(
        &mut self,
        member: SchemaRef<'a>,
        discriminator: Option<&Discriminator>,
        ptr: &str,
    ) -> String {
        if let Some(d) = discriminator
            && let [one] = self
                .property_values(member, &d.property_name, ptr)
                .as_slice()
        {
            return value_label(one);
        }
        let Ok((properties, _)) = self.properties_of(member, ptr) else {
            return "Object".to_owned();
        };
        let fixed =
            properties
                .into_iter()
                .find_map(|(_, schema, _)| match self.peek(schema).map(shape) {
                    Some(Shape::Str { values, .. }) if values.len() == 1 => {
                        Some(value_label(&values[0]))
                    }
                    _ => None,
                });
        fixed.unwrap_or_else(|| "Object".to_owned())
    }
}

/// The keyword that holds a union's members, for pointers.
pub(super) fn key(s: &Schema) -> &'static str {
    match &s.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(a) if a.one_of.is_empty() && !a.any_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}
