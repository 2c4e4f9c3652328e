//! Lowers schemas into named types and type references.

mod enums;
mod object;
mod shape;
mod union;

use openapiv3::{AdditionalProperties, Schema};

use super::refs::{self, MAX_HOPS};
use super::{Cost, Lowerer};
use crate::error::{Error, ErrorKind};
use crate::ir::{Access, Example, TypeDef, TypeKind, TypeRef};
use crate::naming::type_name;
pub(crate) use shape::SchemaRef;
use shape::{Kind, Object, Shape, is_specific, kind, only_annotates, shape};

/// What an `allOf` amounts to.
enum AllOf<'a> {
    /// One member gives the type; the others only annotate or constrain it. With its index.
    One(SchemaRef<'a>, usize),
    /// Nothing but annotations: any JSON value.
    Untyped,
    /// Objects whose properties merge into one struct.
    Merge,
}

impl<'a> Lowerer<'a> {
    /// Returns the type of `schema` and whether it is nullable, defining named types on the way.
    /// `hint` names any inline type that needs a name; `ptr` is the schema's JSON pointer.
    pub(crate) fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        hint: &str,
        ptr: &str,
    ) -> Result<(TypeRef, bool), Error> {
        match self.type_of_strict(schema, hint, ptr) {
            Ok(t) => Ok(t),
            // A schema the generator cannot express costs only itself: it becomes a JSON value.
            Err(e) => {
                self.degrade(e, Cost::Json)?;
                Ok((TypeRef::Json, false))
            }
        }
    }

    fn type_of_strict(
        &mut self,
        schema: SchemaRef<'a>,
        hint: &str,
        ptr: &str,
    ) -> Result<(TypeRef, bool), Error> {
        match schema {
            SchemaRef::Ref(r) => {
                let (name, target, _) = self.resolve_schema(r, ptr)?;
                Ok((TypeRef::Named(name), self.referenced_nullable(target)))
            }
            SchemaRef::Item(s) => {
                let nullable = self.nullable(s);
                if !self.inline_names.contains_key(ptr)
                    && let Some((member, at)) = self.single_member(s, ptr)
                {
                    let (ty, member_nullable) = self.type_of(member, hint, &at)?;
                    return Ok((ty, nullable || member_nullable));
                }
                Ok((self.inline(s, hint, ptr)?, nullable))
            }
        }
    }

    /// The member that gives a composition its whole type (`allOf` of one schema and
    /// annotations, `oneOf` of one schema), with its pointer.
    fn single_member(&self, s: &'a Schema, ptr: &str) -> Option<(SchemaRef<'a>, String)> {
        match shape(s) {
            Shape::AllOf(members, own) => match self.all_of(&members, own.as_ref()) {
                AllOf::One(member, i) => Some((member, format!("{ptr}/allOf/{i}"))),
                AllOf::Untyped | AllOf::Merge => None,
            },
            Shape::OneOf(members) if members.len() == 1 => {
                Some((members[0], format!("{ptr}/{}/0", union::key(s))))
            }
            _ => None,
        }
    }

    /// Classifies an `allOf`: members that only annotate do not count; members of one kind of
    /// value (all strings, say) are that value, typed by the most specific of them.
    fn all_of(&self, members: &[SchemaRef<'a>], own: Option<&Object>) -> AllOf<'a> {
        if own.is_some() {
            return AllOf::Merge;
        }
        let typed: Vec<(usize, SchemaRef<'a>, Kind, bool)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !matches!(m, SchemaRef::Item(s) if only_annotates(s)))
            .map(|(i, m)| {
                let (kind, specific) = self
                    .peek(*m)
                    .map(|s| {
                        let shape = shape(s);
                        (kind(&shape), is_specific(&shape))
                    })
                    .unwrap_or((Kind::Other, false));
                (i, *m, kind, specific)
            })
            .collect();
        let Some(&(first, member, first_kind, _)) = typed.first() else {
            return AllOf::Untyped;
        };
        if typed.len() == 1 {
            return AllOf::One(member, first);
        }
        let same = typed.iter().all(|t| t.2 == first_kind);
        if !same || matches!(first_kind, Kind::Object | Kind::Other) {
            return AllOf::Merge;
        }
        let best = typed
            .iter()
            .find(|t| matches!(t.1, SchemaRef::Ref(_)))
            .or_else(|| typed.iter().find(|t| t.3))
            .unwrap_or(&typed[0]);
        AllOf::One(best.1, best.0)
    }

    /// The schema a reference names, without naming or defining anything.
    fn follow(&self, reference: &str) -> Option<SchemaRef<'a>> {
        let pointer = crate::load::refs::local_pointer(reference)?;
        self.schema_at(&pointer).map(SchemaRef::from)
    }

    /// The schema a member stands for, following references; `None` when one does not resolve.
    fn peek(&self, member: SchemaRef<'a>) -> Option<&'a Schema> {
        let mut current = member;
        for _ in 0..MAX_HOPS {
            match current {
                SchemaRef::Item(s) => return Some(s),
                SchemaRef::Ref(r) => current = self.follow(r)?,
            }
        }
        None
    }

    /// The string format of a schema (`binary`, `uuid`), through references and compositions
    /// of one member.
    pub(crate) fn string_format(&self, schema: SchemaRef<'a>) -> Option<String> {
        let s = self.peek(schema)?;
        match self.single_member(s, "") {
            Some((member, _)) => self.string_format(member),
            None => super::media::format_of(s),
        }
    }

    /// The members of a union schema (through references), with the keyword they stand under.
    pub(crate) fn union_members(
        &self,
        schema: SchemaRef<'a>,
    ) -> Option<Vec<(SchemaRef<'a>, &'static str)>> {
        let s = self.peek(schema)?;
        match shape(s) {
            Shape::OneOf(members) if members.len() > 1 => {
                let key = union::key(s);
                Some(members.into_iter().map(|m| (m, key)).collect())
            }
            _ => None,
        }
    }

    /// What names a schema: the schema a reference names, else its title.
    pub(crate) fn schema_label(&self, schema: SchemaRef<'a>) -> Option<String> {
        match schema {
            SchemaRef::Ref(r) => Some(refs::unescape(r.rsplit('/').next()?)),
            SchemaRef::Item(s) => s.schema_data.title.clone().filter(|t| !t.trim().is_empty()),
        }
    }

    /// Which way a property of schema `schema` travels: its own `readOnly` or `writeOnly`, else
    /// that of the schema it references, else that of a member of its `allOf` (the members
    /// beside a reference that annotate it). Both marks at once say nothing.
    pub(crate) fn access(&self, schema: SchemaRef<'a>) -> Access {
        self.access_within(schema, 0)
    }

    fn access_within(&self, schema: SchemaRef<'a>, depth: usize) -> Access {
        let Some(s) = self.peek(schema).filter(|_| depth < 16) else {
            return Access::ReadWrite;
        };
        match (s.schema_data.read_only, s.schema_data.write_only) {
            (true, false) => return Access::ReadOnly,
            (false, true) => return Access::WriteOnly,
            (true, true) => return Access::ReadWrite,
            (false, false) => {}
        }
        let members = match shape(s) {
            Shape::AllOf(members, _) => members,
            _ => return Access::ReadWrite,
        };
        members
            .into_iter()
            .map(|m| self.access_within(m, depth + 1))
            .find(|a| *a != Access::ReadWrite)
            .unwrap_or_default()
    }

    /// The description of a schema, through references.
    pub(crate) fn peek_description(&self, schema: SchemaRef<'a>) -> Option<String> {
        self.peek(schema).and_then(description)
    }

    /// The items of a list schema, through references.
    pub(crate) fn array_items(&self, schema: SchemaRef<'a>) -> Option<SchemaRef<'a>> {
        match shape(self.peek(schema)?) {
            Shape::Array(items) => items,
            _ => None,
        }
    }

    /// Whether a referenced schema allows `null`, looking through the references and the
    /// compositions of one member (`allOf: [{$ref: Nullable}]`) it stands for.
    fn referenced_nullable(&self, target: SchemaRef<'a>) -> bool {
        let mut current = target;
        for _ in 0..MAX_HOPS {
            let next = match current {
                SchemaRef::Ref(r) => self.follow(r),
                SchemaRef::Item(s) if self.nullable(s) => return true,
                SchemaRef::Item(s) => self.single_member(s, "").map(|(m, _)| m),
            };
            match next {
                Some(next) => current = next,
                None => return false,
            }
        }
        false
    }

    /// Whether a schema allows `null`: `nullable: true` on it or on an `allOf` member that
    /// only annotates it.
    fn nullable(&self, s: &Schema) -> bool {
        s.schema_data.nullable
            || matches!(shape(s), Shape::AllOf(members, _) if members.iter().any(
                |m| matches!(m, SchemaRef::Item(m) if only_annotates(m) && m.schema_data.nullable)
            ))
    }

    /// Lowers every component schema under its reserved name, then what they reference.
    pub(crate) fn define_schemas(&mut self) -> Result<(), Error> {
        let pointers: Vec<String> = self.schema_names.keys().cloned().collect();
        for pointer in pointers {
            self.define_schema(&pointer)?;
        }
        self.define_referenced()
    }

    pub(crate) fn define_schema(&mut self, pointer: &str) -> Result<(), Error> {
        let name = self.schema_names[pointer].clone();
        let schema = SchemaRef::from(self.schemas[pointer]);
        let (kind, doc) = match schema {
            SchemaRef::Ref(_) => (
                TypeKind::Alias(self.type_of(schema, &name, pointer)?.0),
                None,
            ),
            SchemaRef::Item(s) => {
                // An `allOf` of one inline type and annotations is that type, under this name.
                let (own, at) = match self.single_member(s, pointer) {
                    Some((SchemaRef::Item(m), at)) if self.needs_name(m) => (m, at),
                    _ => (s, pointer.to_owned()),
                };
                let lowered = match self.named_kind(own, &name, &at) {
                    Ok(Some(kind)) => Ok(kind),
                    Ok(None) => self.inline_unnamed(s, &name, pointer).map(TypeKind::Alias),
                    Err(e) => Err(e),
                };
                let kind = lowered.or_else(|e| {
                    self.degrade(e, Cost::Json)?;
                    Ok::<_, Error>(TypeKind::Alias(TypeRef::Json))
                })?;
                (kind, type_doc(s))
            }
        };
        self.insert(TypeDef {
            name,
            doc,
            origin: pointer.to_owned(),
            place: String::new(),
            title: None,
            role: None,
            kind,
            direction: Default::default(),
            twin_of: None,
        });
        Ok(())
    }

    /// The `example` of each component schema, to be checked against its type.
    pub(crate) fn component_examples(&self) -> Vec<Example> {
        self.schemas
            .iter()
            .filter(|(pointer, _)| crate::load::refs::is_component(pointer))
            .filter_map(|(pointer, schema)| {
                let openapiv3::ReferenceOr::Item(s) = schema else {
                    return None;
                };
                let value = s.schema_data.example.clone()?;
                let key = super::refs::unescape(pointer.rsplit('/').next().unwrap_or_default());
                Some(Example {
                    name: format!("schema {key}"),
                    pointer: format!("{pointer}/example"),
                    ty: TypeRef::Named(self.schema_names[pointer].clone()),
                    value,
                    sent: false,
                })
            })
            .collect()
    }

    fn insert(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// The type of an inline schema: a named type when it needs one, named after `hint`.
    fn inline(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> Result<TypeRef, Error> {
        if let Some(name) = self.inline_names.get(ptr) {
            return Ok(TypeRef::Named(name.clone()));
        }
        if !self.needs_name(s) {
            return self.inline_unnamed(s, hint, ptr);
        }
        // Reserve the name before lowering the body so that recursion and nested inline types
        // see it, then fill the definition in.
        let name = self.names.propose(type_name(hint));
        self.inline_names.insert(ptr.to_owned(), name.clone());
        let kind = match self.named_kind(s, &name, ptr) {
            Ok(Some(kind)) => kind,
            // A name the schema turns out not to need is given back (nothing was lowered yet).
            Ok(None) => {
                self.inline_names.remove(ptr);
                self.names.give_back(&name);
                return self.inline_unnamed(s, hint, ptr);
            }
            // Nothing may refer to a name whose definition failed; what its parts lowered may
            // have, so the name stays taken.
            Err(e) => {
                self.inline_names.remove(ptr);
                return Err(e);
            }
        };
        self.insert(TypeDef {
            name: name.clone(),
            doc: type_doc(s),
            origin: ptr.to_owned(),
            place: String::new(),
            title: s.schema_data.title.clone(),
            role: self.roles.get(ptr).cloned(),
            kind,
            direction: Default::default(),
            twin_of: None,
        });
        Ok(TypeRef::Named(name))
    }

    /// The type of a schema that needs no name of its own (primitives, arrays, maps).
    fn inline_unnamed(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> Result<TypeRef, Error> {
        if let Some((member, at)) = self.single_member(s, ptr) {
            return Ok(self.type_of(member, hint, &at)?.0);
        }
        Ok(match shape(s) {
            Shape::Str { format, .. } => match format {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                _ => TypeRef::String,
            },
            Shape::Int {
                format: Some("int32"),
                ..
            } => TypeRef::I32,
            Shape::Int { .. } => TypeRef::I64,
            Shape::Num => TypeRef::F64,
            Shape::Bool => TypeRef::Bool,
            Shape::Any => TypeRef::Json,
            Shape::Array(None) => TypeRef::Vec(Box::new(TypeRef::Json)),
            Shape::Array(Some(items)) => {
                let (ty, nullable) =
                    self.type_of(items, &format!("{hint}Item"), &format!("{ptr}/items"))?;
                TypeRef::Vec(Box::new(wrap_nullable(ty, nullable)))
            }
            Shape::Object(o) => self.map_of(o.additional, hint, ptr)?,
            Shape::Not => {
                return Err(Error::new(
                    ErrorKind::Unsupported(
                        "`not` schemas cannot be expressed as a Rust type".into(),
                    ),
                    format!("{ptr}/not"),
                ));
            }
            // Empty `oneOf` lists and annotation-only `allOf`s constrain nothing; the others
            // are named types.
            Shape::OneOf(_) | Shape::AllOf(..) => TypeRef::Json,
        })
    }

    /// A property-less object: a map of its additional properties.
    fn map_of(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        ptr: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (ty, nullable) = self.type_of(
                    SchemaRef::from(&**s),
                    &format!("{hint}Value"),
                    &format!("{ptr}/additionalProperties"),
                )?;
                TypeRef::Map(Box::new(wrap_nullable(ty, nullable)))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        })
    }

    /// Whether an inline schema is a type of its own: an enum, a struct, a union.
    fn needs_name(&self, s: &'a Schema) -> bool {
        match shape(s) {
            Shape::Str { values, .. } => !values.is_empty(),
            Shape::Int { values, .. } => !values.is_empty(),
            Shape::Object(o) => !o.properties.is_empty(),
            Shape::AllOf(members, own) => {
                matches!(self.all_of(&members, own.as_ref()), AllOf::Merge)
            }
            Shape::OneOf(members) => members.len() > 1,
            _ => false,
        }
    }

    /// The definition of a schema that is a named type: structs, enums, unions. `None` for
    /// schemas whose type is another one's (primitives, lists, references).
    fn named_kind(
        &mut self,
        s: &'a Schema,
        name: &str,
        ptr: &str,
    ) -> Result<Option<TypeKind>, Error> {
        if !self.needs_name(s) {
            return Ok(None);
        }
        Ok(Some(match shape(s) {
            Shape::Str { values, .. } => TypeKind::StringEnum(enums::string_variants(s, values)),
            Shape::Int { values, .. } => TypeKind::IntEnum(enums::int_variants(s, values)),
            Shape::Object(o) => TypeKind::Struct(self.object(o, name, ptr)?),
            Shape::AllOf(members, own) => {
                TypeKind::Struct(self.merged_all_of(&members, own, name, ptr)?)
            }
            Shape::OneOf(members) => TypeKind::Union(self.union(s, &members, name, ptr)?),
            _ => return Ok(None),
        }))
    }
}

/// A type's documentation: its schema's description, else its title.
fn type_doc(s: &Schema) -> Option<String> {
    description(s).or_else(|| crate::docs::prose_of(&s.schema_data.title))
}

/// A schema's description, else that of an inline `allOf` member (the members beside a
/// reference that document it), as [`crate::docs::prose`].
pub(crate) fn description(s: &Schema) -> Option<String> {
    let from_member = || match shape(s) {
        Shape::AllOf(members, _) => members.iter().find_map(|m| match m {
            SchemaRef::Item(m) => m.schema_data.description.clone(),
            SchemaRef::Ref(_) => None,
        }),
        _ => None,
    };
    let text = s.schema_data.description.clone().or_else(from_member);
    crate::docs::prose_of(&text)
}

pub(crate) fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable {
        TypeRef::Option(Box::new(ty))
    } else {
        ty
    }
}
