//! What a schema is, whichever of `openapiv3`'s representations it was parsed into.

use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

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

pub(crate) enum Shape<'a> {
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
    /// No type: any JSON value, or only annotations and constraints.
    Any,
}

pub(crate) struct Object<'a> {
    pub properties: PropertyList<'a>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
}

/// The properties of an object, whether from `ObjectType` or `AnySchema`, in spec order.
pub(crate) type PropertyList<'a> = Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>;

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

pub(crate) fn shape(schema: &Schema) -> Shape<'_> {
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
        SchemaKind::Any(a) => any_shape(a),
    }
}

fn any_shape(a: &openapiv3::AnySchema) -> Shape<'_> {
    let object = || Object {
        properties: a.properties.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        required: &a.required,
        additional: a.additional_properties.as_ref(),
    };
    // Object keywords beside another type (`type: string, additionalProperties: true`, as
    // GitHub writes a payload) constrain nothing a value of that type has.
    let typed_otherwise = a.typ.as_deref().is_some_and(|t| t != "object");
    let has_object =
        !typed_otherwise && (!a.properties.is_empty() || a.additional_properties.is_some());
    if !a.all_of.is_empty() {
        return Shape::AllOf(
            a.all_of.iter().map(SchemaRef::from).collect(),
            has_object.then(object),
        );
    }
    if !a.one_of.is_empty() {
        return Shape::OneOf(a.one_of.iter().map(SchemaRef::from).collect());
    }
    if !a.any_of.is_empty() {
        return Shape::OneOf(a.any_of.iter().map(SchemaRef::from).collect());
    }
    if a.not.is_some() {
        return Shape::Not;
    }
    if has_object || a.typ.as_deref() == Some("object") {
        return Shape::Object(object());
    }
    if a.items.is_some() || a.typ.as_deref() == Some("array") {
        return Shape::Array(a.items.as_ref().map(SchemaRef::from));
    }
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
            && strings.len() == a.enumeration.iter().filter(|v| !v.is_null()).count() =>
        {
            Shape::Str {
                format: None,
                values: strings,
            }
        }
        _ => Shape::Any,
    }
}

/// Whether `s` only annotates or constrains a value without giving it a type of its own
/// (`{description: ..}`, `{nullable: true}`, `{maximum: 900}`, `{type: object}`): as an `allOf`
/// member it changes nothing about the Rust type.
pub(crate) fn only_annotates(s: &Schema) -> bool {
    match (&s.schema_kind, shape(s)) {
        (SchemaKind::Any(a), Shape::Any) => a.enumeration.is_empty(),
        (_, Shape::Object(o)) => o.properties.is_empty() && o.additional.is_none(),
        _ => false,
    }
}

/// The JSON kind of a shape, to tell whether `allOf` members describe the same kind of value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Int,
    Num,
    Bool,
    Array,
    Object,
    Other,
}

pub(crate) fn kind(shape: &Shape) -> Kind {
    match shape {
        Shape::Str { .. } => Kind::Str,
        Shape::Int { .. } => Kind::Int,
        Shape::Num => Kind::Num,
        Shape::Bool => Kind::Bool,
        Shape::Array(_) => Kind::Array,
        Shape::Object(_) | Shape::AllOf(..) => Kind::Object,
        Shape::OneOf(_) | Shape::Not | Shape::Any => Kind::Other,
    }
}

/// Whether a shape says more than its kind: enum values, or the items of a list.
pub(crate) fn is_specific(shape: &Shape) -> bool {
    match shape {
        Shape::Str { values, format } => !values.is_empty() || format.is_some(),
        Shape::Int { values, .. } => !values.is_empty(),
        Shape::Array(items) => items.is_some(),
        _ => false,
    }
}
