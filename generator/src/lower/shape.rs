//! How a schema looks from the Rust side: read-only views of an `openapiv3` schema.
//!
//! Takes: a `Schema`. Gives: its [`Shape`] (the case that decides its Rust type), its object
//! members, its one allowed value, and the scalar types its formats map to.

use crate::ir::TypeRef;
use crate::resolve::SchemaRef;
use openapiv3::{AdditionalProperties, Schema, SchemaKind, Type};

/// A schema, seen through the cases that matter for Rust types.
pub enum Shape<'a> {
    /// A string; an enum when `values` is not empty.
    String {
        format: Option<String>,
        values: Vec<String>,
    },
    /// An integer.
    Integer { format: Option<String> },
    /// A number.
    Number { format: Option<String> },
    /// A boolean.
    Boolean,
    /// An array.
    Array { items: Option<SchemaRef<'a>> },
    /// An object (with or without declared properties).
    Object,
    /// `oneOf`.
    OneOf(Vec<SchemaRef<'a>>),
    /// `anyOf`.
    AnyOf(Vec<SchemaRef<'a>>),
    /// `allOf`.
    AllOf(Vec<SchemaRef<'a>>),
    /// Anything (`{}`, `not`, a type the generator cannot tell).
    Any,
}

impl Shape<'_> {
    /// The keyword of a union shape (`oneOf`, `anyOf`).
    pub fn union_keyword(&self) -> Option<&'static str> {
        match self {
            Shape::OneOf(_) => Some("oneOf"),
            Shape::AnyOf(_) => Some("anyOf"),
            _ => None,
        }
    }
}

fn format_of(f: &openapiv3::VariantOrUnknownOrEmpty<impl serde::Serialize>) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => serde_json::to_value(i)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The shape of `schema`.
pub fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: format_of(&s.format),
            values: s.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: format_of(&i.format),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number {
            format: format_of(&n.format),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(a)) => Shape::Array {
            items: a.items.as_ref().map(SchemaRef::from),
        },
        SchemaKind::Type(Type::Object(_)) => Shape::Object,
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of.iter().map(SchemaRef::from).collect()),
        SchemaKind::AnyOf { any_of } => Shape::AnyOf(any_of.iter().map(SchemaRef::from).collect()),
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of.iter().map(SchemaRef::from).collect()),
        SchemaKind::Not { .. } => Shape::Any,
        SchemaKind::Any(a) => any_shape(a),
    }
}

/// The shape of a schema that `openapiv3` could not type (keywords of several kinds, no `type`).
fn any_shape(a: &openapiv3::AnySchema) -> Shape<'_> {
    if !a.all_of.is_empty() {
        return Shape::AllOf(a.all_of.iter().map(SchemaRef::from).collect());
    }
    if !a.one_of.is_empty() {
        return Shape::OneOf(a.one_of.iter().map(SchemaRef::from).collect());
    }
    if !a.any_of.is_empty() {
        return Shape::AnyOf(a.any_of.iter().map(SchemaRef::from).collect());
    }
    if !a.properties.is_empty()
        || a.additional_properties.is_some()
        || a.typ.as_deref() == Some("object")
    {
        return Shape::Object;
    }
    if a.typ.as_deref() == Some("array") || a.items.is_some() {
        return Shape::Array {
            items: a.items.as_ref().map(SchemaRef::from),
        };
    }
    let strings = || -> Vec<String> {
        a.enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    match a.typ.as_deref() {
        Some("string") => Shape::String {
            format: a.format.clone(),
            values: strings(),
        },
        Some("integer") => Shape::Integer {
            format: a.format.clone(),
        },
        Some("number") => Shape::Number {
            format: a.format.clone(),
        },
        Some("boolean") => Shape::Boolean,
        None if !a.enumeration.is_empty()
            && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Shape::String {
                format: None,
                values: strings(),
            }
        }
        _ => Shape::Any,
    }
}

/// The object keywords of a schema (its own, not through `allOf`).
pub struct ObjectParts<'a> {
    /// `properties`, in spec order.
    pub properties: Vec<(&'a str, SchemaRef<'a>)>,
    /// `required`.
    pub required: Vec<&'a str>,
    /// `additionalProperties`.
    pub additional: Option<&'a AdditionalProperties>,
    /// `type: object` is written.
    pub typed_object: bool,
}

/// The object keywords of `schema`, if it can have any.
pub fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(ObjectParts {
            properties: o
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), SchemaRef::from(v)))
                .collect(),
            required: o.required.iter().map(String::as_str).collect(),
            additional: o.additional_properties.as_ref(),
            typed_object: true,
        }),
        SchemaKind::Any(a) => Some(ObjectParts {
            properties: a
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), SchemaRef::from(v)))
                .collect(),
            required: a.required.iter().map(String::as_str).collect(),
            additional: a.additional_properties.as_ref(),
            typed_object: a.typ.as_deref() == Some("object"),
        }),
        _ => None,
    }
}

/// True when `schema` declares properties of its own.
pub fn has_properties(schema: &Schema) -> bool {
    object_parts(schema).is_some_and(|p| !p.properties.is_empty())
}

/// The one value a string schema allows, if it allows exactly one.
pub fn constant_value(schema: &Schema) -> Option<String> {
    match shape(schema) {
        Shape::String { values, .. } if values.len() == 1 => values.into_iter().next(),
        _ => None,
    }
}

/// True when `schema` is a string enum (which lowers to an open enum type).
pub fn is_string_enum(schema: &Schema) -> bool {
    matches!(shape(schema), Shape::String { values, .. } if !values.is_empty())
}

/// A word for a variant of an untagged union that has no name of its own.
pub fn primitive_label(s: &Schema) -> Option<&'static str> {
    Some(match shape(s) {
        Shape::String { .. } => "String",
        Shape::Integer { .. } => "Integer",
        Shape::Number { .. } => "Number",
        Shape::Boolean => "Boolean",
        Shape::Array { .. } => "Array",
        Shape::Object => "Object",
        _ => return None,
    })
}

/// What a `String` field holds when its format says more than "text".
pub fn format_note(schema: &Schema) -> Option<&'static str> {
    match shape(schema) {
        Shape::String { format, values } if values.is_empty() => match format.as_deref() {
            Some("byte") => {
                Some("Base64-encoded bytes (`format: byte`), kept as the encoded text.")
            }
            Some("binary") => Some("Raw binary data (`format: binary`), kept as text."),
            _ => None,
        },
        _ => None,
    }
}

/// The Rust type of a string with this format.
pub fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("uuid") => TypeRef::Uuid,
        Some("byte") => TypeRef::Base64,
        _ => TypeRef::String,
    }
}

/// The Rust type of an integer with this format.
pub fn integer_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("int32") => TypeRef::I32,
        _ => TypeRef::I64,
    }
}

/// The Rust type of a number with this format.
pub fn number_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("float") => TypeRef::F32,
        Some("int32") => TypeRef::I32,
        Some("int64") => TypeRef::I64,
        _ => TypeRef::F64,
    }
}
