//! Lowering of schemas into model types.
//!
//! Takes: schemas (component and inline) through the resolver. Gives: [`TypeDef`]s and
//! [`TypeRef`]s. Every component schema gets its name before any is lowered, so forward and
//! circular references just work; inline schemas that need a type are named from their parent
//! and property, and an inline shape that comes out identical under the same name is one type.

use super::docs;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::resolve::{Resolver, SchemaRef};
use openapiv3::{AdditionalProperties, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

/// Deepest nesting of inline schemas lowered before giving up with an error.
const MAX_DEPTH: usize = 48;

/// Names tried, in order, for the catch-all variant of enums and unions.
const CATCH_ALL_NAMES: &[&str] = &["Unknown", "Other", "Unrecognized", "UnknownValue"];

/// A schema, seen through the cases that matter for Rust types.
enum Shape<'a> {
    String {
        format: Option<String>,
        values: Vec<String>,
    },
    Integer {
        format: Option<String>,
    },
    Number {
        format: Option<String>,
    },
    Boolean,
    Array {
        items: Option<SchemaRef<'a>>,
    },
    Object,
    OneOf(Vec<SchemaRef<'a>>),
    AnyOf(Vec<SchemaRef<'a>>),
    AllOf(Vec<SchemaRef<'a>>),
    Any,
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

/// An object's members, gathered through `allOf`.
#[derive(Default)]
struct ObjectView<'a> {
    properties: Vec<(String, SchemaRef<'a>, Pointer)>,
    required: BTreeSet<String>,
    additional: Option<(Option<SchemaRef<'a>>, Pointer)>,
    saw_object: bool,
}

fn object_parts(schema: &Schema) -> Option<ObjectPartsRef<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(ObjectPartsRef {
            properties: o
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), SchemaRef::from(v)))
                .collect(),
            required: o.required.iter().map(String::as_str).collect(),
            additional: o.additional_properties.as_ref(),
            typed_object: true,
        }),
        SchemaKind::Any(a) => Some(ObjectPartsRef {
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

struct ObjectPartsRef<'a> {
    properties: Vec<(&'a str, SchemaRef<'a>)>,
    required: Vec<&'a str>,
    additional: Option<&'a AdditionalProperties>,
    typed_object: bool,
}

fn shape(schema: &Schema) -> Shape<'_> {
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
        SchemaKind::Any(a) => {
            if !a.all_of.is_empty() {
                Shape::AllOf(a.all_of.iter().map(SchemaRef::from).collect())
            } else if !a.one_of.is_empty() {
                Shape::OneOf(a.one_of.iter().map(SchemaRef::from).collect())
            } else if !a.any_of.is_empty() {
                Shape::AnyOf(a.any_of.iter().map(SchemaRef::from).collect())
            } else if !a.properties.is_empty()
                || a.additional_properties.is_some()
                || a.typ.as_deref() == Some("object")
            {
                Shape::Object
            } else if a.typ.as_deref() == Some("array") || a.items.is_some() {
                Shape::Array {
                    items: a.items.as_ref().map(SchemaRef::from),
                }
            } else {
                match a.typ.as_deref() {
                    Some("string") => Shape::String {
                        format: a.format.clone(),
                        values: a
                            .enumeration
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect(),
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
                            values: a
                                .enumeration
                                .iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect(),
                        }
                    }
                    _ => Shape::Any,
                }
            }
        }
    }
}

/// The one value a string schema allows, if it allows exactly one.
fn constant_value(schema: &Schema) -> Option<String> {
    match shape(schema) {
        Shape::String { values, .. } if values.len() == 1 => values.into_iter().next(),
        _ => None,
    }
}

/// Lowers schemas into model types.
pub struct TypeLowerer<'a> {
    resolver: &'a Resolver<'a>,
    /// Problems found so far.
    pub diags: Diagnostics,
    types: BTreeMap<String, TypeDef>,
    component_names: BTreeMap<String, String>,
    scope: Scope,
    in_progress: BTreeSet<String>,
    /// Component structs (by Rust name) that a discriminated union lists as a variant, with the
    /// discriminator property and the one tag value it gives them: `(property, value)`.
    implied_tags: BTreeMap<String, (String, String)>,
    /// The component being lowered, until its own struct (if it is one) is lowered.
    lowering_component: Option<String>,
    /// The property whose schema is being lowered, for naming shared inline enums.
    current_prop: Option<String>,
    /// Inline enums: the property each was first defined for.
    enum_props: BTreeMap<String, String>,
    /// Inline enums reused by a second parent.
    shared_enums: BTreeSet<String>,
}

impl<'a> TypeLowerer<'a> {
    /// Names every component schema (in spec order) so that references resolve.
    pub fn new(resolver: &'a Resolver<'a>) -> Self {
        let mut scope = Scope::default();
        let mut component_names = BTreeMap::new();
        for key in resolver.component_schema_names() {
            let name = scope.claim(&naming::type_name(key));
            component_names.insert(key.to_owned(), name);
        }
        let implied_tags = implied_tags(resolver, &component_names);
        TypeLowerer {
            resolver,
            diags: Diagnostics::default(),
            types: BTreeMap::new(),
            component_names,
            scope,
            in_progress: BTreeSet::new(),
            current_prop: None,
            enum_props: BTreeMap::new(),
            shared_enums: BTreeSet::new(),
            implied_tags,
            lowering_component: None,
        }
    }

    /// Lowers every component schema.
    pub fn lower_components(&mut self) {
        let keys: Vec<&str> = self.resolver.component_schema_names().collect();
        for key in keys {
            let name = self.component_names[key].clone();
            let pointer = Pointer::root().push("components").push("schemas").push(key);
            let Some(r) = self
                .resolver
                .api()
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(key))
            else {
                continue;
            };
            let r = SchemaRef::from(r);
            let kind = match r {
                SchemaRef::Ref(_) => match self.resolver.schema(r, pointer.as_str()) {
                    Ok(resolved) => match resolved.component {
                        Some(target) => {
                            TypeKind::Alias(TypeRef::Named(self.component_names[target].clone()))
                        }
                        None => TypeKind::Alias(TypeRef::Json),
                    },
                    Err(e) => {
                        self.diags.error(&pointer, e);
                        TypeKind::Alias(TypeRef::Json)
                    }
                },
                SchemaRef::Inline(schema) => {
                    self.lowering_component = Some(name.clone());
                    let kind = self.lower_named(&name, schema, &pointer, 0);
                    self.lowering_component = None;
                    kind
                }
            };
            let doc = match r {
                SchemaRef::Inline(s) => docs::schema_doc(s),
                SchemaRef::Ref(_) => None,
            };
            self.types.insert(
                name.clone(),
                TypeDef {
                    name,
                    pointer: pointer.into(),
                    doc,
                    kind,
                },
            );
        }
    }

    /// Everything lowered so far, sorted by name.
    ///
    /// An inline enum shared by several parents is renamed after its property when that name
    /// has two or more words and is free (`messageDirection` -> `MessageDirection`, rather than
    /// the name of its first parent); the map of renames is returned so that references
    /// elsewhere follow.
    pub fn into_types(mut self) -> (Vec<TypeDef>, BTreeMap<String, String>, Diagnostics) {
        let mut renames = BTreeMap::new();
        for name in &self.shared_enums {
            let Some(prop) = self.enum_props.get(name) else {
                continue;
            };
            if naming::snake_words(prop).len() < 2 {
                continue;
            }
            let candidate = naming::type_name(prop);
            if candidate != *name && !self.scope.contains(&candidate) {
                renames.insert(name.clone(), self.scope.claim(&candidate));
            }
        }
        let mut types: Vec<TypeDef> = self.types.into_values().collect();
        for t in &mut types {
            if let Some(new) = renames.get(&t.name) {
                t.name = new.clone();
            }
            rename_in_kind(&mut t.kind, &renames);
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        (types, renames, self.diags)
    }

    /// The type for a schema position. `hint` names an inline type if one is needed.
    pub fn type_ref(
        &mut self,
        r: SchemaRef<'a>,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        if depth > MAX_DEPTH {
            self.diags.error(
                pointer,
                format!("schema nesting deeper than {MAX_DEPTH} levels; flatten it with named components"),
            );
            return TypeRef::Json;
        }
        match r {
            SchemaRef::Ref(reference) => match self.resolver.schema(r, pointer.as_str()) {
                Ok(resolved) => match resolved.component {
                    Some(key) => TypeRef::Named(self.component_names[key].clone()),
                    None => TypeRef::Json,
                },
                Err(e) => {
                    self.diags.error(pointer, e);
                    let _ = reference;
                    TypeRef::Json
                }
            },
            SchemaRef::Inline(schema) => self.inline_type(schema, hint, pointer, depth),
        }
    }

    fn inline_type(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        match shape(schema) {
            Shape::String { format, values } => {
                if values.is_empty() {
                    string_type(format.as_deref())
                } else {
                    self.define(hint, pointer, schema, depth)
                }
            }
            Shape::Integer { format } => integer_type(format.as_deref()),
            Shape::Number { format } => number_type(format.as_deref()),
            Shape::Boolean => TypeRef::Bool,
            Shape::Array { items } => match items {
                Some(items) => TypeRef::Vec(Box::new(self.element_type(
                    items,
                    &format!("{hint} Item"),
                    &pointer.push("items"),
                    depth + 1,
                ))),
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            Shape::Object => {
                let parts = object_parts(schema);
                let has_props = parts.as_ref().is_some_and(|p| !p.properties.is_empty());
                if has_props {
                    self.define(hint, pointer, schema, depth)
                } else {
                    let additional = parts.and_then(|p| p.additional);
                    self.map_type(additional, hint, pointer, depth)
                }
            }
            Shape::AllOf(parts)
                if parts.len() == 1
                    && object_parts(schema).is_none_or(|p| p.properties.is_empty()) =>
            {
                self.type_ref(parts[0], hint, &pointer.push("allOf").push("0"), depth + 1)
            }
            Shape::OneOf(_) | Shape::AnyOf(_) | Shape::AllOf(_) => {
                self.define(hint, pointer, schema, depth)
            }
            Shape::Any => TypeRef::Json,
        }
    }

    fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value = self.element_type(
                    SchemaRef::from(&**s),
                    &format!("{hint} Value"),
                    &pointer.push("additionalProperties"),
                    depth + 1,
                );
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        }
    }

    /// The type of an array item or a map value: `Option<T>` when the schema is nullable, so
    /// that a `null` in the list or map decodes.
    fn element_type(
        &mut self,
        r: SchemaRef<'a>,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        let nullable = match r {
            SchemaRef::Inline(s) => s.schema_data.nullable,
            SchemaRef::Ref(_) => false,
        } || self
            .resolver
            .schema(r, pointer.as_str())
            .is_ok_and(|res| res.schema.schema_data.nullable);
        match self.type_ref(r, hint, pointer, depth) {
            TypeRef::Json => TypeRef::Json,
            ty if nullable => TypeRef::Option(Box::new(ty)),
            ty => ty,
        }
    }

    /// Defines a named inline type, reusing an identical one of the same name.
    fn define(
        &mut self,
        hint: &str,
        pointer: &Pointer,
        schema: &'a Schema,
        depth: usize,
    ) -> TypeRef {
        let base = naming::type_name(hint);
        let key = String::from(pointer);
        if !self.in_progress.insert(key.clone()) {
            self.diags.error(pointer, "inline schema contains itself");
            return TypeRef::Json;
        }
        let kind = self.lower_named(&base, schema, pointer, depth);
        self.in_progress.remove(&key);
        let doc = docs::schema_doc(schema);
        if let Some(existing) = self.types.get(&base) {
            if existing.kind == kind {
                return TypeRef::Named(base);
            }
        }
        // The same inline enum in many places (say `HOME`/`WORK` on every contact detail) is
        // one type, named after its first appearance.
        if matches!(kind, TypeKind::Enum(_)) {
            if let Some(existing) = self
                .types
                .values()
                .find(|t| t.kind == kind && !self.component_names.values().any(|c| c == &t.name))
            {
                let existing = existing.name.clone();
                self.shared_enums.insert(existing.clone());
                return TypeRef::Named(existing);
            }
        }
        // Try numbered names: reuse an identical earlier definition, or claim a new name.
        let name = if !self.scope.contains(&base) {
            self.scope.claim(&base)
        } else {
            let mut found = None;
            let stem = match base.trim_end_matches('_') {
                "" => base.as_str(),
                stem => stem,
            };
            for n in 2..10_000 {
                let candidate = if stem.ends_with(|c: char| c.is_ascii_digit()) {
                    format!("{stem}_{n}")
                } else {
                    format!("{stem}{n}")
                };
                match self.types.get(&candidate) {
                    Some(existing) if existing.kind == kind => {
                        found = Some(candidate);
                        break;
                    }
                    Some(_) => continue,
                    None if self.scope.contains(&candidate) => continue,
                    None => {
                        found = Some(self.scope.claim(&candidate));
                        break;
                    }
                }
            }
            match found {
                Some(n) => n,
                None => self.scope.claim(&base),
            }
        };
        if !self.types.contains_key(&name) {
            if let (TypeKind::Enum(_), Some(prop)) = (&kind, &self.current_prop) {
                self.enum_props.insert(name.clone(), prop.clone());
            }
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    pointer: key,
                    doc,
                    kind,
                },
            );
        }
        TypeRef::Named(name)
    }

    /// Lowers a schema that gets a type of its own named `name`.
    fn lower_named(
        &mut self,
        name: &str,
        schema: &'a Schema,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeKind {
        match shape(schema) {
            Shape::String { values, format } if !values.is_empty() => {
                let _ = format;
                TypeKind::Enum(self.lower_enum(&values))
            }
            Shape::Object => {
                let parts = object_parts(schema);
                if parts.as_ref().is_some_and(|p| !p.properties.is_empty()) {
                    let mut view = ObjectView::default();
                    let mut visited = BTreeSet::new();
                    self.collect_object(
                        SchemaRef::Inline(schema),
                        pointer,
                        &mut view,
                        &mut visited,
                        depth,
                    );
                    TypeKind::Struct(self.lower_struct(name, view, depth))
                } else {
                    TypeKind::Alias(self.map_type(
                        parts.and_then(|p| p.additional),
                        name,
                        pointer,
                        depth,
                    ))
                }
            }
            Shape::OneOf(variants) | Shape::AnyOf(variants) => {
                let keyword = if matches!(shape(schema), Shape::OneOf(_)) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let disc = schema.schema_data.discriminator.as_ref();
                TypeKind::Union(self.lower_union(
                    name,
                    &variants,
                    disc,
                    &pointer.push(keyword),
                    depth,
                ))
            }
            Shape::AllOf(parts) => {
                let own_props = object_parts(schema).is_some_and(|p| !p.properties.is_empty());
                if parts.len() == 1 && !own_props {
                    return TypeKind::Alias(self.type_ref(
                        parts[0],
                        name,
                        &pointer.push("allOf").push("0"),
                        depth + 1,
                    ));
                }
                let mut view = ObjectView::default();
                let mut visited = BTreeSet::new();
                self.collect_object(
                    SchemaRef::Inline(schema),
                    pointer,
                    &mut view,
                    &mut visited,
                    depth,
                );
                if view.saw_object || !view.properties.is_empty() {
                    TypeKind::Struct(self.lower_struct(name, view, depth))
                } else {
                    self.diags.warning(
                        pointer,
                        "`allOf` of schemas that are not objects: represented as `serde_json::Value`",
                    );
                    TypeKind::Alias(TypeRef::Json)
                }
            }
            _ => TypeKind::Alias(self.inline_type_no_define(schema, name, pointer, depth)),
        }
    }

    /// Like `inline_type`, for schemas that never need a definition of their own.
    fn inline_type_no_define(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        match shape(schema) {
            Shape::Object | Shape::OneOf(_) | Shape::AnyOf(_) | Shape::AllOf(_) => TypeRef::Json,
            Shape::String { values, format } if !values.is_empty() => {
                string_type(format.as_deref())
            }
            _ => self.inline_type(schema, hint, pointer, depth),
        }
    }

    /// Gathers properties through `allOf` chains; each schema is visited once, so cycles that
    /// run through `allOf`/`oneOf` stop.
    fn collect_object(
        &mut self,
        r: SchemaRef<'a>,
        pointer: &Pointer,
        view: &mut ObjectView<'a>,
        visited: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            self.diags.error(
                pointer,
                format!("`allOf` nesting deeper than {MAX_DEPTH} levels"),
            );
            return;
        }
        let (schema, here) = match r {
            SchemaRef::Inline(s) => (s, pointer.clone()),
            SchemaRef::Ref(_) => match self.resolver.schema(r, pointer.as_str()) {
                Ok(res) => (res.schema, Pointer::from_fragment(&res.pointer)),
                Err(e) => {
                    self.diags.error(pointer, e);
                    return;
                }
            },
        };
        if !visited.insert(here.as_str().to_owned()) {
            return;
        }
        if let Some(parts) = object_parts(schema) {
            view.saw_object |= parts.typed_object || !parts.properties.is_empty();
            for (wire, prop) in parts.properties {
                if let Some(existing) = view.properties.iter_mut().find(|(w, _, _)| w == wire) {
                    // A later allOf part refines the property: keep the later definition.
                    existing.1 = prop;
                    existing.2 = here.push("properties").push(wire);
                } else {
                    view.properties.push((
                        wire.to_owned(),
                        prop,
                        here.push("properties").push(wire),
                    ));
                }
            }
            view.required
                .extend(parts.required.iter().map(|s| (*s).to_owned()));
            if let Some(ap) = parts.additional {
                match ap {
                    AdditionalProperties::Any(true) => {
                        view.additional = Some((None, here.push("additionalProperties")))
                    }
                    AdditionalProperties::Any(false) => {}
                    AdditionalProperties::Schema(s) => {
                        view.additional = Some((
                            Some(SchemaRef::from(&**s)),
                            here.push("additionalProperties"),
                        ))
                    }
                }
            }
        }
        if let Shape::AllOf(parts) = shape(schema) {
            let base = if matches!(schema.schema_kind, SchemaKind::AllOf { .. })
                || matches!(schema.schema_kind, SchemaKind::Any(_))
            {
                here.push("allOf")
            } else {
                here.clone()
            };
            for (i, part) in parts.into_iter().enumerate() {
                self.collect_object(part, &base.push(i.to_string()), view, visited, depth + 1);
            }
        }
    }

    fn lower_struct(&mut self, name: &str, view: ObjectView<'a>, depth: usize) -> StructDef {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        let mut constant = None;
        let has_additional = view.additional.is_some();
        // A variant of a discriminated union carries its tag value as a constant when its
        // discriminator property is a plain string: a field there could only disagree with the
        // tag the union writes.
        let is_component = self.lowering_component.take().is_some_and(|c| c == name);
        if let Some((prop, value)) = self.implied_tags.get(name).filter(|_| is_component) {
            let accepts = view
                .properties
                .iter()
                .find(|(w, _, _)| w == prop)
                .and_then(|(_, r, ptr)| self.resolver.schema(*r, ptr.as_str()).ok())
                .is_some_and(|r| match shape(r.schema) {
                    Shape::String { values, .. } => {
                        values.is_empty() || values.iter().all(|v| v == value)
                    }
                    _ => false,
                });
            if accepts && !has_additional {
                constant = Some((prop.clone(), value.clone()));
            }
        }
        for (wire, prop, prop_ptr) in view.properties {
            if constant.as_ref().is_some_and(|(c, _)| *c == wire) {
                continue;
            }
            let required = view.required.contains(&wire);
            let resolved = match self.resolver.schema(prop, prop_ptr.as_str()) {
                Ok(r) => Some(r.schema),
                Err(e) => {
                    self.diags.error(&prop_ptr, e);
                    None
                }
            };
            if required && constant.is_none() && !has_additional {
                if let Some(value) = resolved.and_then(constant_value) {
                    constant = Some((wire.clone(), value));
                    continue;
                }
            }
            let data = resolved.map(|s| &s.schema_data);
            let inline_data = match prop {
                SchemaRef::Inline(s) => Some(&s.schema_data),
                SchemaRef::Ref(_) => None,
            };
            let nullable =
                data.is_some_and(|d| d.nullable) || inline_data.is_some_and(|d| d.nullable);
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            let deprecated = data.is_some_and(|d| d.deprecated);
            let outer_prop = self.current_prop.replace(wire.clone());
            let ty = self.type_ref(prop, &format!("{name} {wire}"), &prop_ptr, depth + 1);
            self.current_prop = outer_prop;
            let default = data
                .and_then(|d| d.default.clone())
                .filter(|v| default_supported(&ty, v));
            // readOnly values are absent from requests and writeOnly ones from responses, so
            // neither can be required of both directions.
            let required = required && !read_only && !write_only;
            let presence = match (required, nullable, default.is_some()) {
                (true, false, _) => Presence::Required,
                (true, true, _) => Presence::RequiredNullable,
                (false, true, _) => Presence::OptionalNullable,
                (false, false, true) => Presence::Defaulted,
                (false, false, false) => Presence::Optional,
            };
            // A description beside a `$ref` describes this use of the referenced schema.
            let sibling_doc = match prop {
                SchemaRef::Ref(_) => self
                    .resolver
                    .raw_at(prop_ptr.as_str())
                    .and_then(|v| v.get("description"))
                    .and_then(|d| d.as_str())
                    .map(str::to_owned),
                SchemaRef::Inline(_) => None,
            };
            let mut doc = sibling_doc
                .or_else(|| inline_data.and_then(|d| d.description.clone()))
                .or_else(|| data.and_then(|d| d.description.clone()));
            if let Some(note) = resolved.and_then(format_note) {
                doc = Some(docs::append(doc, note));
            }
            if read_only {
                doc = Some(docs::append(
                    doc,
                    "Read-only: set by the server, ignored in requests.",
                ));
            }
            if write_only {
                doc = Some(docs::append(
                    doc,
                    "Write-only: sent in requests, never returned.",
                ));
            }
            fields.push(Field {
                name: scope.claim(&naming::field_name(&wire)),
                wire,
                doc: doc.map(|d| docs::clean(&d)),
                ty,
                presence,
                boxed: false,
                default: if presence == Presence::Defaulted {
                    default
                } else {
                    None
                },
                deprecated,
            });
        }
        let additional = view.additional.map(|(schema, ptr)| {
            let ty = match schema {
                Some(s) => self.element_type(s, &format!("{name} Additional"), &ptr, depth + 1),
                None => TypeRef::Json,
            };
            (scope.claim("additional_properties"), ty)
        });
        StructDef {
            fields,
            constant,
            additional,
        }
    }

    fn lower_enum(&mut self, values: &[String]) -> EnumDef {
        let mut scope = Scope::default();
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for v in values {
            if !seen.insert(v.clone()) {
                continue;
            }
            variants.push(EnumVariant {
                name: scope.claim(&naming::variant_name(v)),
                wire: v.clone(),
            });
        }
        let unknown_variant = catch_all(&scope);
        EnumDef {
            variants,
            unknown_variant,
        }
    }

    fn lower_union(
        &mut self,
        name: &str,
        variants: &[SchemaRef<'a>],
        discriminator: Option<&'a openapiv3::Discriminator>,
        pointer: &Pointer,
        depth: usize,
    ) -> UnionDef {
        // Find the tag property: the declared discriminator, or a required single-value property
        // shared by every variant.
        let mut tag_values: Vec<Option<String>> = Vec::new();
        let mut views = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let mut view = ObjectView::default();
            let mut visited = BTreeSet::new();
            self.collect_object(
                *v,
                &pointer.push(i.to_string()),
                &mut view,
                &mut visited,
                depth + 1,
            );
            views.push(view);
        }
        let const_of =
            |this: &Self, view: &ObjectView<'a>, prop: &str, ptr: &Pointer| -> Option<String> {
                view.properties
                    .iter()
                    .find(|(w, _, _)| w == prop)
                    .and_then(|(_, r, _)| this.resolver.schema(*r, ptr.as_str()).ok())
                    .and_then(|r| constant_value(r.schema))
            };
        let tag = match discriminator {
            Some(d) => Some(d.property_name.clone()),
            None => {
                let first = views.first();
                first.and_then(|first| {
                    first
                        .properties
                        .iter()
                        .map(|(w, _, _)| w.clone())
                        .find(|prop| {
                            variants.len() > 1
                                && views.iter().all(|v| {
                                    v.required.contains(prop)
                                        && const_of(self, v, prop, pointer).is_some()
                                })
                        })
                })
            }
        };
        if let Some(prop) = &tag {
            for (i, (v, view)) in variants.iter().zip(&views).enumerate() {
                let from_mapping = match (discriminator, v) {
                    (Some(d), SchemaRef::Ref(reference)) => mapping_value(d, reference),
                    _ => None,
                };
                let value = from_mapping
                    .or_else(|| const_of(self, view, prop, &pointer.push(i.to_string())))
                    .or_else(|| match v {
                        SchemaRef::Ref(r) => Resolver::schema_ref_name(r),
                        SchemaRef::Inline(_) => None,
                    });
                tag_values.push(value);
            }
            if tag_values.iter().any(Option::is_none) {
                self.diags.warning(
                    pointer,
                    format!("cannot tell the tag value of every variant by `{prop}`; the union is decoded untagged"),
                );
            }
        }
        let tagged = tag.is_some() && tag_values.iter().all(Option::is_some);
        let mut scope = Scope::default();
        let mut out = Vec::new();
        let mut seen_tags = BTreeSet::new();
        for (i, v) in variants.iter().enumerate() {
            let tag_value = if tagged { tag_values[i].clone() } else { None };
            if let Some(t) = &tag_value {
                if !seen_tags.insert(t.clone()) {
                    self.diags.warning(
                        pointer.push(i.to_string()),
                        format!("tag value `{t}` is used by an earlier variant; this variant is never chosen when decoding"),
                    );
                }
            }
            let label = match (&tag_value, v) {
                (Some(t), _) => naming::variant_name(t),
                (None, SchemaRef::Ref(r)) => Resolver::schema_ref_name(r)
                    .map(|n| naming::type_name(&n))
                    .unwrap_or_else(|| format!("Variant{i}")),
                (None, SchemaRef::Inline(s)) => match s.schema_data.title.as_deref() {
                    Some(t) => naming::type_name(t),
                    None => primitive_label(s).unwrap_or_else(|| format!("Variant{i}")),
                },
            };
            let ty = self.type_ref(
                *v,
                &format!("{name} {label}"),
                &pointer.push(i.to_string()),
                depth + 1,
            );
            out.push(UnionVariant {
                name: scope.claim(&label),
                tag_value,
                ty,
                boxed: false,
            });
        }
        UnionDef {
            tag: if tagged { tag } else { None },
            variants: out,
            unknown_variant: catch_all(&scope),
        }
    }
}

/// The tag value a discriminator's `mapping` gives the variant `reference`.
fn mapping_value(d: &openapiv3::Discriminator, reference: &str) -> Option<String> {
    d.mapping
        .iter()
        .find(|(_, target)| {
            target.as_str() == reference
                || Resolver::schema_ref_name(reference).as_deref() == Some(target.as_str())
        })
        .map(|(k, _)| k.clone())
}

/// Finds the component schemas listed (by `$ref`) as variants of a component `oneOf`/`anyOf`
/// with a discriminator, and the tag value each gets: from the mapping, else its schema name.
/// A schema given different values by different unions gets none.
fn implied_tags(
    resolver: &Resolver<'_>,
    component_names: &BTreeMap<String, String>,
) -> BTreeMap<String, (String, String)> {
    let mut found: BTreeMap<String, Option<(String, String)>> = BTreeMap::new();
    let Some(components) = resolver.api().components.as_ref() else {
        return BTreeMap::new();
    };
    for schema in components.schemas.values() {
        let openapiv3::ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let Some(d) = schema.schema_data.discriminator.as_ref() else {
            continue;
        };
        let variants = match shape(schema) {
            Shape::OneOf(v) | Shape::AnyOf(v) => v,
            _ => continue,
        };
        for v in variants {
            let SchemaRef::Ref(reference) = v else {
                continue;
            };
            let Some(key) = Resolver::schema_ref_name(reference) else {
                continue;
            };
            let Some(rust) = component_names.get(&key) else {
                continue;
            };
            let value = mapping_value(d, reference).unwrap_or(key);
            let tag = (d.property_name.clone(), value);
            found
                .entry(rust.clone())
                .and_modify(|t| {
                    if t.as_ref() != Some(&tag) {
                        *t = None;
                    }
                })
                .or_insert(Some(tag));
        }
    }
    found
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

/// Applies type renames to every reference in `t`.
pub fn rename_in_ref(t: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match t {
        TypeRef::Named(n) => {
            if let Some(new) = renames.get(n) {
                *n = new.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            rename_in_ref(inner, renames)
        }
        _ => {}
    }
}

fn rename_in_kind(kind: &mut TypeKind, renames: &BTreeMap<String, String>) {
    match kind {
        TypeKind::Struct(s) => {
            for f in &mut s.fields {
                rename_in_ref(&mut f.ty, renames);
            }
            if let Some((_, t)) = &mut s.additional {
                rename_in_ref(t, renames);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                rename_in_ref(&mut v.ty, renames);
            }
        }
        TypeKind::Alias(t) => rename_in_ref(t, renames),
        TypeKind::Enum(_) => {}
    }
}

fn catch_all(scope: &Scope) -> String {
    CATCH_ALL_NAMES
        .iter()
        .find(|n| !scope.contains(n))
        .map(|s| (*s).to_owned())
        .unwrap_or_else(|| "UnknownValue2".to_owned())
}

fn primitive_label(s: &Schema) -> Option<String> {
    Some(
        match shape(s) {
            Shape::String { .. } => "String",
            Shape::Integer { .. } => "Integer",
            Shape::Number { .. } => "Number",
            Shape::Boolean => "Boolean",
            Shape::Array { .. } => "Array",
            Shape::Object => "Object",
            _ => return None,
        }
        .to_owned(),
    )
}

/// What a `String` field holds when its format says more than "text".
fn format_note(schema: &Schema) -> Option<&'static str> {
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

fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("uuid") => TypeRef::Uuid,
        Some("byte") => TypeRef::Base64,
        _ => TypeRef::String,
    }
}

fn integer_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("int32") => TypeRef::I32,
        _ => TypeRef::I64,
    }
}

fn number_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("float") => TypeRef::F32,
        Some("int32") => TypeRef::I32,
        Some("int64") => TypeRef::I64,
        _ => TypeRef::F64,
    }
}

/// Defaults are honoured for scalars and enums, where the value fits the type.
fn default_supported(ty: &TypeRef, v: &serde_json::Value) -> bool {
    match ty {
        TypeRef::String => v.is_string(),
        TypeRef::Bool => v.is_boolean(),
        TypeRef::I32 => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        TypeRef::I64 => v.is_i64(),
        TypeRef::F32 | TypeRef::F64 => v.is_number(),
        TypeRef::Named(_) => v.is_string(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Presence, TypeDef, TypeKind, TypeRef};

    fn types(components: &str) -> Vec<TypeDef> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{components}"
        );
        let settings = crate::Settings::new("t", "-");
        match crate::generate_from_str(&spec, &settings) {
            Ok(g) => g.api.types,
            Err(d) => panic!("{d}"),
        }
    }

    fn find<'t>(types: &'t [TypeDef], name: &str) -> &'t TypeKind {
        &types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }

    fn struct_of(kind: &TypeKind) -> &crate::ir::StructDef {
        match kind {
            TypeKind::Struct(s) => s,
            other => panic!("not a struct: {other:?}"),
        }
    }

    fn field_names(kind: &TypeKind) -> Vec<&str> {
        struct_of(kind)
            .fields
            .iter()
            .map(|f| f.wire.as_str())
            .collect()
    }

    #[test]
    fn all_of_cycles_terminate() {
        let t = types(
            "    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - properties: {a: {type: string}}\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - properties: {b: {type: string}}\n    Self:\n      allOf:\n        - $ref: '#/components/schemas/Self'\n",
        );
        assert_eq!(field_names(find(&t, "A")), ["b", "a"]);
        assert_eq!(field_names(find(&t, "B")), ["a", "b"]);
        assert!(matches!(find(&t, "Self_"), TypeKind::Alias(TypeRef::Json)));
    }

    #[test]
    fn a_variant_listed_with_two_tag_values_keeps_its_field() {
        let t = types(
            "    U1:\n      oneOf: [{$ref: '#/components/schemas/V'}, {$ref: '#/components/schemas/W'}]\n      discriminator: {propertyName: kind, mapping: {one: '#/components/schemas/V'}}\n    U2:\n      oneOf: [{$ref: '#/components/schemas/V'}, {$ref: '#/components/schemas/W'}]\n      discriminator: {propertyName: kind, mapping: {two: '#/components/schemas/V'}}\n    V:\n      type: object\n      required: [kind]\n      properties: {kind: {type: string}}\n    W:\n      type: object\n      required: [kind]\n      properties: {kind: {type: string}}\n",
        );
        // `V` is `one` in U1 and `two` in U2: it keeps `kind` as a field.
        assert_eq!(field_names(find(&t, "V")), ["kind"]);
        // `W` is `W` in both (its schema name): a constant.
        let w = struct_of(find(&t, "W"));
        assert_eq!(w.constant, Some(("kind".to_owned(), "W".to_owned())));
        assert!(w.fields.is_empty());
    }

    #[test]
    fn nullable_items_and_values_are_options_and_presence_follows_nullable() {
        let t = types(
            "    N:\n      type: object\n      required: [r]\n      properties:\n        r: {type: string, nullable: true}\n        o: {type: string, nullable: true}\n        l: {type: array, items: {type: integer, nullable: true}}\n        m: {type: object, additionalProperties: {type: string, nullable: true}}\n",
        );
        let s = struct_of(find(&t, "N"));
        let presence: Vec<Presence> = s.fields.iter().map(|f| f.presence).collect();
        assert_eq!(
            presence,
            [
                Presence::RequiredNullable,
                Presence::OptionalNullable,
                Presence::Optional,
                Presence::Optional
            ]
        );
        assert_eq!(
            s.fields[2].ty,
            TypeRef::Vec(Box::new(TypeRef::Option(Box::new(TypeRef::I64))))
        );
        assert_eq!(
            s.fields[3].ty,
            TypeRef::Map(Box::new(TypeRef::Option(Box::new(TypeRef::String))))
        );
    }

    #[test]
    fn inline_types_are_named_from_parent_and_property_and_shared_enums_are_one_type() {
        let t = types(
            "    P:\n      type: object\n      properties:\n        x: {type: object, properties: {a: {type: string}}}\n    Q:\n      type: object\n      properties:\n        x: {type: object, properties: {a: {type: string}}}\n        y: {type: string, enum: [a, b]}\n        z: {type: string, enum: [a, b]}\n",
        );
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        // Objects are named per position (`PX`, `QX`), even when they look alike.
        assert_eq!(names, ["P", "PX", "Q", "QX", "QY"]);
        let q = struct_of(find(&t, "Q"));
        assert_eq!(
            q.fields[2].ty,
            TypeRef::Named("QY".to_owned()),
            "same enum, one type"
        );
    }
}
