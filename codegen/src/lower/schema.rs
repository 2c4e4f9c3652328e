//! Lowers schemas into named types and type references.

use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    EnumVariant, Extra, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::naming::{field_name, type_name, unique};

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// What a schema is, whichever of `openapiv3`'s representations it was parsed into.
enum Shape<'a> {
    Str {
        format: Option<&'a str>,
        values: Vec<String>,
    },
    Int {
        format: Option<&'a str>,
        values: Vec<i64>,
    },
    Num,
    Bool,
    Array(Option<SchemaRef<'a>>),
    Object(Object<'a>),
    OneOf(Vec<SchemaRef<'a>>),
    AllOf(Vec<SchemaRef<'a>>, Option<Object<'a>>),
    Not,
    Any,
}

struct Object<'a> {
    properties: PropertyList<'a>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
}

/// The properties of an object, whether from `ObjectType` or `AnySchema`, in spec order.
type PropertyList<'a> = Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>;

fn string_format(f: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(_) | VariantOrUnknownOrEmpty::Empty => None,
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
    }
}

fn int_format(f: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
        VariantOrUnknownOrEmpty::Empty => None,
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
    }
}

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::Str {
            format: string_format(&s.format),
            values: s.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Int {
            format: int_format(&i.format),
            values: i.enumeration.iter().flatten().copied().collect(),
        },
        SchemaKind::Type(Type::Number(_)) => Shape::Num,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Bool,
        SchemaKind::Type(Type::Array(a)) => Shape::Array(a.items.as_ref().map(SchemaRef::from)),
        SchemaKind::Type(Type::Object(o)) => Shape::Object(Object {
            properties: o.properties.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }),
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of.iter().map(SchemaRef::from).collect()),
        SchemaKind::AnyOf { any_of } => Shape::OneOf(any_of.iter().map(SchemaRef::from).collect()),
        SchemaKind::AllOf { all_of } => {
            Shape::AllOf(all_of.iter().map(SchemaRef::from).collect(), None)
        }
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(a) => {
            let object = || Object {
                properties: a.properties.iter().map(|(k, v)| (k.as_str(), v)).collect(),
                required: &a.required,
                additional: a.additional_properties.as_ref(),
            };
            let has_object = !a.properties.is_empty() || a.additional_properties.is_some();
            if !a.all_of.is_empty() {
                Shape::AllOf(
                    a.all_of.iter().map(SchemaRef::from).collect(),
                    has_object.then(object),
                )
            } else if !a.one_of.is_empty() {
                Shape::OneOf(a.one_of.iter().map(SchemaRef::from).collect())
            } else if !a.any_of.is_empty() {
                Shape::OneOf(a.any_of.iter().map(SchemaRef::from).collect())
            } else if a.not.is_some() {
                Shape::Not
            } else if has_object || a.typ.as_deref() == Some("object") {
                Shape::Object(object())
            } else if a.items.is_some() || a.typ.as_deref() == Some("array") {
                Shape::Array(a.items.as_ref().map(SchemaRef::from))
            } else {
                let strings: Vec<String> = a
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                let ints: Vec<i64> = a.enumeration.iter().filter_map(|v| v.as_i64()).collect();
                match a.typ.as_deref() {
                    Some("string") => Shape::Str {
                        format: a.format.as_deref(),
                        values: strings,
                    },
                    Some("integer") => Shape::Int {
                        format: a.format.as_deref(),
                        values: ints,
                    },
                    Some("number") => Shape::Num,
                    Some("boolean") => Shape::Bool,
                    None if !strings.is_empty()
                        && strings.len()
                            == a.enumeration.iter().filter(|v| !v.is_null()).count() =>
                    {
                        Shape::Str {
                            format: None,
                            values: strings,
                        }
                    }
                    _ => Shape::Any,
                }
            }
        }
    }
}

/// The fields of an object being assembled, possibly from several `allOf` members.
#[derive(Default)]
struct ObjectParts<'a> {
    /// Property name, schema and the pointer of the schema, in first-seen order.
    properties: Vec<(&'a str, SchemaRef<'a>, String, Option<String>)>,
    required: Vec<&'a str>,
    extra: Option<(&'a AdditionalProperties, String, String)>,
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
                self.degrade(e, "typed as a JSON value")?;
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
                let (name, target) = self.resolve_schema(r, ptr)?;
                let nullable = match target {
                    SchemaRef::Item(s) => s.schema_data.nullable,
                    SchemaRef::Ref(_) => false,
                };
                Ok((TypeRef::Named(name), nullable))
            }
            SchemaRef::Item(s) => {
                let nullable = s.schema_data.nullable;
                Ok((self.inline(s, hint, ptr)?, nullable))
            }
        }
    }

    /// Resolves `#/components/schemas/X` to its Rust name and its schema.
    pub(crate) fn resolve_schema(
        &self,
        reference: &str,
        ptr: &str,
    ) -> Result<(String, SchemaRef<'a>), Error> {
        let Some(key) = reference.strip_prefix("#/components/schemas/") else {
            return Err(Error::new(
                ErrorKind::Unsupported(format!(
                    "reference {reference:?}: only references to #/components/schemas/ are supported for schemas"
                )),
                format!("{ptr}/$ref"),
            ));
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        match (
            self.component_names.get(&key),
            self.schemas.get(key.as_str()),
        ) {
            (Some(name), Some(schema)) => Ok((name.clone(), SchemaRef::from(*schema))),
            _ => Err(Error::new(
                ErrorKind::BadReference(format!("{reference:?} names no schema in components")),
                format!("{ptr}/$ref"),
            )),
        }
    }

    /// Lowers a component schema under its reserved name.
    pub(crate) fn define_component(&mut self, key: &str) -> Result<(), Error> {
        let name = self.component_names[key].clone();
        let ptr = format!("/components/schemas/{}", escape_token(key));
        let schema = SchemaRef::from(self.schemas[key]);
        match schema {
            SchemaRef::Ref(_) => {
                let (ty, _) = self.type_of(schema, &name, &ptr)?;
                self.insert(TypeDef {
                    name,
                    doc: None,
                    origin: ptr,
                    kind: TypeKind::Alias(ty),
                });
            }
            SchemaRef::Item(s) => {
                let lowered = match self.named_kind(s, &name, &ptr) {
                    Ok(Some(kind)) => Ok(kind),
                    Ok(None) => self.inline_unnamed(s, &name, &ptr).map(TypeKind::Alias),
                    Err(e) => Err(e),
                };
                let kind = match lowered {
                    Ok(kind) => kind,
                    Err(e) => {
                        self.degrade(e, "typed as a JSON value")?;
                        TypeKind::Alias(TypeRef::Json)
                    }
                };
                let doc = schema_doc(s);
                self.insert(TypeDef {
                    name,
                    doc,
                    origin: ptr,
                    kind,
                });
            }
        }
        Ok(())
    }

    fn insert(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// The type of an inline schema: a named type when it needs one, named after `hint`.
    fn inline(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> Result<TypeRef, Error> {
        if let Some(name) = self.inline_names.get(ptr) {
            return Ok(TypeRef::Named(name.clone()));
        }
        // Reserve the name before lowering the body so that recursion and nested inline types
        // see it, then fill the definition in.
        if needs_name(s) {
            let name = unique(&mut self.taken, type_name(hint), "");
            self.inline_names.insert(ptr.to_owned(), name.clone());
            let kind = match self.named_kind(s, &name, ptr) {
                Ok(Some(kind)) => kind,
                Ok(None) => {
                    self.inline_names.remove(ptr);
                    return self.inline_unnamed(s, hint, ptr);
                }
                Err(e) => {
                    // Nothing may refer to a name whose definition failed.
                    self.inline_names.remove(ptr);
                    return Err(e);
                }
            };
            let doc = schema_doc(s);
            self.insert(TypeDef {
                name: name.clone(),
                doc,
                origin: ptr.to_owned(),
                kind,
            });
            return Ok(TypeRef::Named(name));
        }
        self.inline_unnamed(s, hint, ptr)
    }

    /// The type of a schema that needs no name of its own (primitives, arrays, maps).
    fn inline_unnamed(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> Result<TypeRef, Error> {
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
            Shape::OneOf(members) if members.len() == 1 => {
                self.type_of(members[0], hint, &format!("{ptr}/{}/0", union_key(s)))?
                    .0
            }
            Shape::AllOf(members, None) if members.len() == 1 => {
                self.type_of(members[0], hint, &format!("{ptr}/allOf/0"))?.0
            }
            Shape::Not => {
                return Err(Error::new(
                    ErrorKind::Unsupported(
                        "`not` schemas cannot be expressed as a Rust type".into(),
                    ),
                    format!("{ptr}/not"),
                ));
            }
            // Empty `oneOf`/`allOf` lists constrain nothing; longer ones are named types.
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

    /// The definition of a schema that is a named type: structs, enums, unions. `None` for
    /// schemas that are only a reference to another type.
    fn named_kind(
        &mut self,
        s: &'a Schema,
        name: &str,
        ptr: &str,
    ) -> Result<Option<TypeKind>, Error> {
        Ok(Some(match shape(s) {
            Shape::Str { values, .. } if !values.is_empty() => {
                TypeKind::StringEnum(string_variants(s, values))
            }
            Shape::Int { values, .. } if !values.is_empty() => {
                TypeKind::IntEnum(int_variants(s, values))
            }
            Shape::Object(o) if !o.properties.is_empty() => {
                let mut parts = ObjectParts::default();
                add_object(&mut parts, o, ptr);
                TypeKind::Struct(self.build_struct(parts, name)?)
            }
            Shape::AllOf(members, own) if members.len() > 1 || own.is_some() => {
                let mut parts = ObjectParts::default();
                for (i, m) in members.iter().enumerate() {
                    self.collect_all_of(&mut parts, *m, &format!("{ptr}/allOf/{i}"), 0)?;
                }
                if let Some(o) = own {
                    add_object(&mut parts, o, ptr);
                }
                TypeKind::Struct(self.build_struct(parts, name)?)
            }
            Shape::OneOf(members) if members.len() > 1 => {
                TypeKind::Union(self.build_union(s, &members, name, ptr)?)
            }
            _ => return Ok(None),
        }))
    }

    /// Adds the properties of one `allOf` member, following references and nested `allOf`s.
    fn collect_all_of(
        &mut self,
        parts: &mut ObjectParts<'a>,
        member: SchemaRef<'a>,
        ptr: &str,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 32 {
            return Err(Error::new(
                ErrorKind::Invalid("`allOf` members refer to each other in a cycle".into()),
                ptr,
            ));
        }
        let (schema, ptr) = match member {
            SchemaRef::Ref(r) => {
                let (_, target) = self.resolve_schema(r, ptr)?;
                let key = r.trim_start_matches("#/components/schemas/");
                return self.collect_all_of(
                    parts,
                    target,
                    &format!("/components/schemas/{key}"),
                    depth + 1,
                );
            }
            SchemaRef::Item(s) => (s, ptr.to_owned()),
        };
        match shape(schema) {
            Shape::Object(o) => add_object(parts, o, &ptr),
            Shape::AllOf(members, own) => {
                for (i, m) in members.iter().enumerate() {
                    self.collect_all_of(parts, *m, &format!("{ptr}/allOf/{i}"), depth + 1)?;
                }
                if let Some(o) = own {
                    add_object(parts, o, &ptr);
                }
            }
            // A member that only documents or marks nullability adds no property.
            Shape::Any => {}
            _ => {
                return Err(Error::new(
                    ErrorKind::Unsupported(
                        "an `allOf` member that is not an object cannot be merged into a struct"
                            .into(),
                    ),
                    ptr,
                ));
            }
        }
        Ok(())
    }

    fn build_struct(&mut self, parts: ObjectParts<'a>, name: &str) -> Result<Struct, Error> {
        let mut taken = Default::default();
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire, schema, ptr, owner) in parts.properties {
            // Inline types under a referenced component are named after that component.
            let parent = owner.as_deref().unwrap_or(name);
            let hint = format!("{parent}{}", type_name(wire));
            let (ty, nullable) = self.type_of(schema, &hint, &ptr)?;
            let doc = match schema {
                SchemaRef::Item(s) => s.schema_data.description.clone(),
                SchemaRef::Ref(_) => None,
            };
            fields.push(Field {
                rust: unique(&mut taken, field_name(wire), "_"),
                wire: wire.to_owned(),
                ty,
                required: parts.required.contains(&wire),
                nullable,
                doc,
                boxed: false,
            });
        }
        let extra = match parts.extra {
            None => Extra::Ignore,
            Some((AdditionalProperties::Any(false), ..)) => Extra::Deny,
            Some((AdditionalProperties::Any(true), ..)) => Extra::Keep(TypeRef::Json),
            Some((AdditionalProperties::Schema(s), ptr, owner)) => {
                let owner = if owner.is_empty() {
                    name
                } else {
                    owner.as_str()
                };
                let (ty, nullable) = self.type_of(
                    SchemaRef::from(&**s),
                    &format!("{owner}Value"),
                    &format!("{ptr}/additionalProperties"),
                )?;
                Extra::Keep(wrap_nullable(ty, nullable))
            }
        };
        Ok(Struct { fields, extra })
    }

    fn build_union(
        &mut self,
        s: &'a Schema,
        members: &[SchemaRef<'a>],
        name: &str,
        ptr: &str,
    ) -> Result<Union, Error> {
        let key = union_key(s);
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut taken = Default::default();
        let mut variants = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            let member_ptr = format!("{ptr}/{key}/{i}");
            let (ty, nullable) = self.type_of(*m, &format!("{name}{i}"), &member_ptr)?;
            let ty = wrap_nullable(ty, nullable);
            let mut tags = Vec::new();
            if let Some(d) = discriminator {
                let SchemaRef::Ref(r) = m else {
                    return Err(Error::new(
                        ErrorKind::Unsupported(
                            "a discriminated union whose member is not a `$ref`".into(),
                        ),
                        member_ptr,
                    ));
                };
                tags = d
                    .mapping
                    .iter()
                    .filter(|(_, v)| v == r)
                    .map(|(k, _)| k.clone())
                    .collect();
                if tags.is_empty() {
                    tags.push(r.rsplit('/').next().unwrap_or(r).to_owned());
                }
            }
            variants.push(UnionVariant {
                rust: unique(&mut taken, variant_name(&ty), ""),
                ty,
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

/// A named type's documentation: the schema's description, else its title.
fn schema_doc(s: &Schema) -> Option<String> {
    s.schema_data
        .description
        .clone()
        .or_else(|| s.schema_data.title.clone())
}

fn add_object<'a>(parts: &mut ObjectParts<'a>, o: Object<'a>, ptr: &str) {
    let owner = ptr
        .strip_prefix("/components/schemas/")
        .filter(|rest| !rest.contains('/'))
        .map(|key| key.replace("~1", "/").replace("~0", "~"));
    let owner = owner.map(|k| type_name(&k));
    for (name, schema) in o.properties {
        let prop_ptr = format!("{ptr}/properties/{}", escape_token(name));
        if !parts.properties.iter().any(|(n, ..)| *n == name) {
            parts
                .properties
                .push((name, SchemaRef::from(schema), prop_ptr, owner.clone()));
        }
    }
    parts.required.extend(o.required.iter().map(String::as_str));
    if let Some(a) = o.additional {
        // `true` or a schema wins over absence; the last member that says something decides.
        parts.extra = Some((a, ptr.to_owned(), owner.unwrap_or_default()));
    }
}

fn union_key(s: &Schema) -> &'static str {
    match &s.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(a) if a.one_of.is_empty() && !a.any_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}

fn needs_name(s: &Schema) -> bool {
    match shape(s) {
        Shape::Str { values, .. } => !values.is_empty(),
        Shape::Int { values, .. } => !values.is_empty(),
        Shape::Object(o) => !o.properties.is_empty(),
        Shape::AllOf(members, own) => members.len() > 1 || own.is_some(),
        Shape::OneOf(members) => members.len() > 1,
        _ => false,
    }
}

pub(crate) fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable {
        TypeRef::Option(Box::new(ty))
    } else {
        ty
    }
}

fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Option(inner) => format!("Nullable{}", variant_name(inner)),
    }
}

/// `x-enum-varnames` and `x-enum-descriptions` (OpenAPI Generator's extensions) name and
/// document enum values when present and of the right length.
fn enum_extension(s: &Schema, key: &str, len: usize) -> Option<Vec<String>> {
    let list = s.schema_data.extensions.get(key)?.as_array()?;
    let names: Vec<String> = list
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (names.len() == len && list.len() == len).then_some(names)
}

fn variants<V: Clone>(
    s: &Schema,
    values: Vec<V>,
    label: impl Fn(&V) -> String,
) -> Vec<EnumVariant<V>> {
    let names = enum_extension(s, "x-enum-varnames", values.len());
    let docs = enum_extension(s, "x-enum-descriptions", values.len());
    let mut taken = Default::default();
    // The catch-all variant's name is reserved first so that no value can take it.
    unique(&mut taken, "Unknown".to_owned(), "");
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let raw = names
                .as_ref()
                .map_or_else(|| label(&value), |n| n[i].clone());
            EnumVariant {
                rust: unique(&mut taken, type_name(&raw), ""),
                value,
                doc: docs.as_ref().map(|d| d[i].clone()),
            }
        })
        .collect()
}

fn string_variants(s: &Schema, values: Vec<String>) -> Vec<EnumVariant<String>> {
    let mut seen = std::collections::BTreeSet::new();
    let values = values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect();
    variants(s, values, |v| v.clone())
}

fn int_variants(s: &Schema, values: Vec<i64>) -> Vec<EnumVariant<i64>> {
    let mut seen = std::collections::BTreeSet::new();
    let values = values.into_iter().filter(|v| seen.insert(*v)).collect();
    variants(s, values, |v| v.to_string())
}
