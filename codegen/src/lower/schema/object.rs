//! Objects into structs, including `allOf` lists whose members merge into one struct.

use openapiv3::AdditionalProperties;

use super::shape::{Object, SchemaRef, Shape, shape};
use super::{description, wrap_nullable};
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{Extra, Field, Struct, TypeRef};
use crate::lower::Lowerer;
use crate::naming::type_name;

/// One property being assembled: its wire name, schema, pointer, and the name of the type that
/// declares it (inline types under a referenced schema are named after that schema).
struct Property<'a> {
    wire: &'a str,
    schema: SchemaRef<'a>,
    pointer: String,
    owner: Option<String>,
}

/// The fields of an object being assembled, possibly from several `allOf` members.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: Vec<Property<'a>>,
    required: Vec<&'a str>,
    /// `additionalProperties`, its pointer and the declaring type's name.
    extra: Option<(&'a AdditionalProperties, String, Option<String>)>,
}

/// Properties with their schemas and pointers.
pub(crate) type PropertyList<'a> = Vec<(&'a str, SchemaRef<'a>, String)>;

/// What properties are collected for, with how deep references and `allOf`s have led.
#[derive(Clone, Copy)]
enum Within {
    /// The members of an `allOf`, merged into a struct.
    AllOf(usize),
    /// The fields of a body (multipart parts, form fields).
    Fields(usize),
}

impl Within {
    fn depth(self) -> usize {
        match self {
            Within::AllOf(d) | Within::Fields(d) => d,
        }
    }

    fn deeper(self) -> Within {
        match self {
            Within::AllOf(d) => Within::AllOf(d + 1),
            Within::Fields(d) => Within::Fields(d + 1),
        }
    }
}

/// How deep `allOf` members may nest through references before they are called a cycle.
const MAX_DEPTH: usize = 32;

impl<'a> Lowerer<'a> {
    /// The struct of an object schema with properties.
    pub(super) fn object(&mut self, o: Object<'a>, name: &str, ptr: &str) -> Result<Struct, Error> {
        let mut parts = ObjectParts::default();
        let owner = self.owner(ptr);
        add_object(&mut parts, o, ptr, owner);
        self.build_struct(parts, name)
    }

    /// The struct of an `allOf` whose members are objects: their properties, merged.
    pub(super) fn merged_all_of(
        &mut self,
        members: &[SchemaRef<'a>],
        own: Option<Object<'a>>,
        name: &str,
        ptr: &str,
    ) -> Result<Struct, Error> {
        let mut parts = ObjectParts::default();
        for (i, m) in members.iter().enumerate() {
            let at = format!("{ptr}/allOf/{i}");
            self.collect_all_of(&mut parts, *m, &at, Within::AllOf(0))?;
        }
        if let Some(o) = own {
            let owner = self.owner(ptr);
            add_object(&mut parts, o, ptr, owner);
        }
        self.build_struct(parts, name)
    }

    /// The properties of an object schema (through references and `allOf`), each with its
    /// schema and pointer, and the names of those required.
    pub(crate) fn properties_of(
        &mut self,
        schema: SchemaRef<'a>,
        ptr: &str,
    ) -> Result<(PropertyList<'a>, Vec<&'a str>), Error> {
        let mut parts = ObjectParts::default();
        self.collect_all_of(&mut parts, schema, ptr, Within::Fields(0))?;
        let properties = parts
            .properties
            .into_iter()
            .map(|p| (p.wire, p.schema, p.pointer))
            .collect();
        Ok((properties, parts.required))
    }

    /// The reserved name of the schema at `ptr` when a reference can name it.
    fn owner(&self, ptr: &str) -> Option<String> {
        self.schema_names.get(ptr).cloned()
    }

    /// Adds the properties of one `allOf` member, following references and nested `allOf`s.
    fn collect_all_of(
        &mut self,
        parts: &mut ObjectParts<'a>,
        member: SchemaRef<'a>,
        ptr: &str,
        within: Within,
    ) -> Result<(), Error> {
        if within.depth() > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Invalid("`allOf` members refer to each other in a cycle".into()),
                ptr,
            ));
        }
        let schema = match member {
            SchemaRef::Ref(r) => {
                let (_, target, target_ptr) = self.resolve_schema(r, ptr)?;
                return self.collect_all_of(parts, target, &target_ptr, within.deeper());
            }
            SchemaRef::Item(s) => s,
        };
        match shape(schema) {
            Shape::Object(o) => add_object(parts, o, ptr, self.owner(ptr)),
            Shape::AllOf(members, own) => {
                for (i, m) in members.iter().enumerate() {
                    let at = format!("{ptr}/allOf/{i}");
                    self.collect_all_of(parts, *m, &at, Within::AllOf(within.depth() + 1))?;
                }
                if let Some(o) = own {
                    add_object(parts, o, ptr, self.owner(ptr));
                }
            }
            // A member that only documents or marks nullability adds no property.
            Shape::Any => {}
            other => {
                let found = match other {
                    Shape::OneOf(_) => format!("a union (`{}`)", super::union::key(schema)),
                    Shape::Not => "a `not` schema".to_owned(),
                    _ => "not an object".to_owned(),
                };
                let message = match within {
                    Within::AllOf(_) => {
                        format!("an `allOf` member that is {found} cannot be merged into a struct")
                    }
                    Within::Fields(_) => {
                        format!("a schema that is {found} has no properties to send as fields")
                    }
                };
                return Err(Error::new(ErrorKind::Unsupported(message), ptr));
            }
        }
        Ok(())
    }

    fn build_struct(&mut self, parts: ObjectParts<'a>, name: &str) -> Result<Struct, Error> {
        let mut fields = Vec::with_capacity(parts.properties.len());
        for p in parts.properties {
            let parent = p.owner.as_deref().unwrap_or(name);
            let hint = format!("{parent}{}", type_name(p.wire));
            self.roles.insert(p.pointer.clone(), p.wire.to_owned());
            let (ty, nullable) = self.type_of(p.schema, &hint, &p.pointer)?;
            let doc = match p.schema {
                SchemaRef::Item(s) => description(s),
                SchemaRef::Ref(_) => None,
            };
            let access = self.access(p.schema);
            fields.push(Field {
                rust: String::new(),
                setter: String::new(),
                wire: p.wire.to_owned(),
                ty,
                required: parts.required.contains(&p.wire),
                nullable,
                doc,
                boxed: false,
                tolerated: false,
                fixed: None,
                access,
                asked: false,
            });
        }
        let extra = match parts.extra {
            // Absent, it allows any: they are kept, so that nothing a server sends is dropped.
            None => Extra::Keep(TypeRef::Json),
            Some((AdditionalProperties::Any(false), ..)) => Extra::Deny,
            Some((AdditionalProperties::Any(true), ..)) => Extra::Keep(TypeRef::Json),
            Some((AdditionalProperties::Schema(s), ptr, owner)) => {
                let owner = owner.as_deref().unwrap_or(name);
                let (ty, nullable) = self.type_of(
                    SchemaRef::from(&**s),
                    &format!("{owner}Value"),
                    &format!("{ptr}/additionalProperties"),
                )?;
                Extra::Keep(wrap_nullable(ty, nullable))
            }
        };
        Ok(Struct {
            fields,
            extra,
            extra_field: String::new(),
        })
    }
}

fn add_object<'a>(parts: &mut ObjectParts<'a>, o: Object<'a>, ptr: &str, owner: Option<String>) {
    for (name, schema) in o.properties {
        if parts.properties.iter().any(|p| p.wire == name) {
            continue;
        }
        parts.properties.push(Property {
            wire: name,
            schema: SchemaRef::from(schema),
            pointer: format!("{ptr}/properties/{}", escape_token(name)),
            owner: owner.clone(),
        });
    }
    parts.required.extend(o.required.iter().map(String::as_str));
    if let Some(a) = o.additional {
        // `true` or a schema wins over absence; the last member that says something decides.
        parts.extra = Some((a, ptr.to_owned(), owner));
    }
}
