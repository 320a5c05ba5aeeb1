//! Lowering phase 2: schemas into model types.
//!
//! Takes: schemas (every component schema, then the inline ones operations use) through the
//! resolver. Gives: a [`TypeTable`] of models by [`TypeId`], each with what its name is made
//! from. Every component schema gets its id before any is lowered, so forward and circular
//! references just work. Inline schemas that need a type of their own are interned: the same
//! shape (after resolution, prose aside) is one type wherever it appears, named after the first
//! place it is found and documented with every place that uses it. Nothing is named here;
//! names are decided once lowering ends.

use super::docs;
use super::shape::{self, Shape, object_parts};
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::naming::{self, Name, Scope};
use crate::resolve::{RefError, Resolver, SchemaRef};
use openapiv3::{Schema, SchemaKind};
use std::collections::{BTreeMap, BTreeSet};

/// Deepest nesting of inline schemas lowered before giving up with an error.
const MAX_DEPTH: usize = 48;

/// A model as lowering found it, before its name is decided.
#[derive(Debug, Clone)]
pub struct DraftType {
    /// Where it came from.
    pub pointer: String,
    /// Description.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// What its name is made from.
    pub naming: TypeNaming,
    /// Every place in the spec that uses it, the first one being `pointer` (inline schemas).
    pub uses: Vec<String>,
}

/// What a model's name is made from.
#[derive(Debug, Clone)]
pub enum TypeNaming {
    /// A component schema: the name of its key, claimed before any other name, in spec order.
    Component(Name),
    /// An inline schema, named after its place.
    Inline {
        /// The name made from its parent and property (`PublicFile fileUsageType` ->
        /// `PublicFileFileUsageType`).
        base: Name,
        /// For an enum, the property it was first found under.
        property: Option<String>,
        /// Used in more than one place.
        shared: bool,
    },
    /// The lenient form of another model that webhook payloads carry (see
    /// [`super::webhook_views`]): named after that model.
    WebhookTwin(TypeId),
}

/// Every model, by id.
#[derive(Debug, Clone, Default)]
pub struct TypeTable {
    /// The models; a [`TypeId`] indexes this list.
    pub types: Vec<DraftType>,
}

impl TypeTable {
    /// The model `id` refers to.
    pub fn get(&self, id: TypeId) -> &DraftType {
        &self.types[id.index()]
    }

    /// Adds a model, giving its id.
    pub fn push(&mut self, draft: DraftType) -> TypeId {
        self.types.push(draft);
        id_of(self.types.len() - 1)
    }

    /// Every model with its id.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &DraftType)> {
        self.types.iter().enumerate().map(|(i, t)| (id_of(i), t))
    }
}

fn id_of(index: usize) -> TypeId {
    TypeId(u32::try_from(index).expect("fewer than 2^32 models"))
}

/// Which type a schema is lowered for: a component's own, or one made for an inline schema.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Component(TypeId),
    Inline,
}

/// The key inline types are interned by: their shape, without the prose of their members.
type InternKey = TypeKind;

/// An object's members, gathered through `allOf`.
#[derive(Default)]
struct ObjectView<'a> {
    properties: Vec<(String, SchemaRef<'a>, Pointer)>,
    required: BTreeSet<String>,
    additional: Option<(Option<SchemaRef<'a>>, Pointer)>,
    saw_object: bool,
}

/// Lowers schemas into a [`TypeTable`].
pub struct SchemaLowerer<'a> {
    resolver: &'a Resolver<'a>,
    diags: Diagnostics,
    /// Models by id; a component's slot is empty until it is lowered.
    slots: Vec<Option<DraftType>>,
    /// Component schema keys and the ids of their types.
    component_ids: BTreeMap<&'a str, TypeId>,
    /// Inline types by shape.
    interned: BTreeMap<InternKey, TypeId>,
    /// Pointers of the inline schemas being lowered, to stop one that contains itself.
    in_progress: BTreeSet<String>,
    /// Component structs that a discriminated union lists as a variant, with the discriminator
    /// property and the one tag value it gives them: `(property, value)`.
    implied_tags: BTreeMap<TypeId, (String, String)>,
    /// The property whose schema is being lowered, for naming shared inline enums.
    current_prop: Option<String>,
}

impl<'a> SchemaLowerer<'a> {
    /// Gives every component schema an id and its name (in spec order), and lowers them all.
    pub fn lower_components(resolver: &'a Resolver<'a>) -> Self {
        let mut scope = Scope::default();
        let mut component_ids = BTreeMap::new();
        let mut names = Vec::new();
        for (i, key) in resolver.component_schema_names().enumerate() {
            component_ids.insert(key, id_of(i));
            names.push(scope.claim(&naming::type_name(key)));
        }
        let implied_tags = implied_tags(resolver, &component_ids);
        let mut lowerer = SchemaLowerer {
            resolver,
            diags: Diagnostics::default(),
            slots: vec![None; names.len()],
            component_ids,
            interned: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            implied_tags,
            current_prop: None,
        };
        let keys: Vec<&'a str> = resolver.component_schema_names().collect();
        for ((i, key), name) in keys.into_iter().enumerate().zip(names) {
            lowerer.lower_component(id_of(i), key, name);
        }
        lowerer
    }

    fn lower_component(&mut self, id: TypeId, key: &'a str, name: Name) {
        let pointer = Pointer::root().push("components").push("schemas").push(key);
        let Some(r) = self
            .resolver
            .api()
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(key))
        else {
            return;
        };
        let r = SchemaRef::from(r);
        let (kind, doc) = match r {
            SchemaRef::Ref(_) => {
                let kind = match self.resolver.schema(r, pointer.as_str()) {
                    Ok(resolved) => TypeKind::Alias(self.component_ref(resolved.component)),
                    Err(RefError::Dangling(e)) => {
                        self.diags
                            .broken(&pointer, format!("{e}; typed as `serde_json::Value`"));
                        TypeKind::Alias(TypeRef::Json)
                    }
                    Err(e) => {
                        self.diags.error(&pointer, e);
                        TypeKind::Alias(TypeRef::Json)
                    }
                };
                (kind, None)
            }
            SchemaRef::Inline(schema) => (
                self.lower_named(Owner::Component(id), name.as_str(), schema, &pointer, 0),
                docs::schema_doc(schema),
            ),
        };
        self.slots[id.index()] = Some(DraftType {
            pointer: pointer.into(),
            doc,
            kind,
            naming: TypeNaming::Component(name),
            uses: Vec::new(),
        });
    }

    /// The finished table, and the problems found.
    pub fn finish(self) -> (TypeTable, Diagnostics) {
        let mut diags = self.diags;
        let types = self
            .slots
            .into_iter()
            .enumerate()
            .map(|(i, slot)| {
                slot.unwrap_or_else(|| {
                    diags.internal("#", format!("model {i} was given an id but never lowered"));
                    DraftType {
                        pointer: "#".to_owned(),
                        doc: None,
                        kind: TypeKind::Alias(TypeRef::Json),
                        naming: TypeNaming::Inline {
                            base: naming::type_name("Unlowered"),
                            property: None,
                            shared: false,
                        },
                        uses: Vec::new(),
                    }
                })
            })
            .collect();
        (TypeTable { types }, diags)
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
                Ok(resolved) if resolved.component.is_some() || resolved.pointer.is_empty() => {
                    self.component_ref(resolved.component)
                }
                Ok(resolved) => {
                    // A schema nested inside another one (`.../properties/y`, `$defs`, a
                    // response's schema): lowered at its own place, so that every reference to
                    // it is the same (interned) type, as the place itself uses.
                    let at = Pointer::from_fragment(&resolved.pointer);
                    if self.in_progress.contains(at.as_str()) {
                        self.diags.warning(
                            pointer,
                            format!("`$ref` to `{reference}`, a schema inside another one that contains this reference: only schemas under `#/components/schemas` can be recursive types, so this one is `serde_json::Value`"),
                        );
                        return TypeRef::Json;
                    }
                    self.inline_type(resolved.schema, hint, &at, depth + 1)
                }
                Err(RefError::Dangling(e)) => {
                    self.diags
                        .broken(pointer, format!("{e}; typed as `serde_json::Value`"));
                    TypeRef::Json
                }
                Err(e) => {
                    self.diags.error(pointer, e);
                    TypeRef::Json
                }
            },
            SchemaRef::Inline(schema) => self.inline_type(schema, hint, pointer, depth),
        }
    }

    /// The type of a component schema reached through references.
    fn component_ref(&self, component: Option<&str>) -> TypeRef {
        component
            .and_then(|key| self.component_ids.get(key))
            .map_or(TypeRef::Json, |id| TypeRef::Named(*id))
    }

    /// The type of the value at a JSON pointer inside a value of type `root` (following aliases),
    /// once `root` is lowered.
    pub fn type_at_pointer(&self, root: &TypeRef, pointer: &str) -> Option<TypeRef> {
        let kind = |id: TypeId| self.slots[id.index()].as_ref().map(|t| &t.kind);
        let mut current = root.clone();
        for seg in pointer.split('/').skip(1) {
            let seg = seg.replace("~1", "/").replace("~0", "~");
            let mut guard = 0;
            while let TypeRef::Named(id) = current {
                match kind(id)? {
                    TypeKind::Alias(a) if guard < 64 => {
                        current = a.clone();
                        guard += 1;
                    }
                    _ => break,
                }
            }
            current = match &current {
                TypeRef::Named(id) => match kind(*id)? {
                    TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire == seg)?.ty.clone(),
                    _ => return None,
                },
                TypeRef::Map(inner) => (**inner).clone(),
                _ => return None,
            };
        }
        Some(current)
    }

    fn inline_type(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        match shape::shape(schema) {
            Shape::String { format, values } => {
                if values.is_empty() {
                    shape::string_type(format.as_deref())
                } else {
                    self.define(hint, pointer, schema, depth)
                }
            }
            Shape::Integer { format } => shape::integer_type(format.as_deref()),
            Shape::Number { format } => shape::number_type(format.as_deref()),
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
                if shape::has_properties(schema) {
                    self.define(hint, pointer, schema, depth)
                } else {
                    let additional = object_parts(schema).and_then(|p| p.additional);
                    self.map_type(additional, hint, pointer, depth)
                }
            }
            Shape::AllOf(parts) if parts.len() == 1 && !shape::has_properties(schema) => {
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
        additional: Option<&'a openapiv3::AdditionalProperties>,
        hint: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        match additional {
            Some(openapiv3::AdditionalProperties::Schema(s)) => {
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

    /// A model for an inline schema: an identical one found before, or a new one.
    fn define(
        &mut self,
        hint: &str,
        pointer: &Pointer,
        schema: &'a Schema,
        depth: usize,
    ) -> TypeRef {
        let base = naming::type_name(hint);
        let at = String::from(pointer);
        if !self.in_progress.insert(at.clone()) {
            self.diags.error(pointer, "inline schema contains itself");
            return TypeRef::Json;
        }
        let kind = self.lower_named(Owner::Inline, base.as_str(), schema, pointer, depth);
        self.in_progress.remove(&at);
        let is_enum = matches!(kind, TypeKind::Enum(_));
        // The same inline shape in many places (say `HOME`/`WORK` on every contact detail, or
        // one big union repeated in many schemas) is one type.
        let key = kind.without_prose();
        if let Some(&id) = self.interned.get(&key) {
            if let Some(found) = self.slots[id.index()].as_mut() {
                found.uses.push(at);
                // Used again from another place (a name hint of its own).
                if let TypeNaming::Inline {
                    base: first,
                    shared,
                    ..
                } = &mut found.naming
                {
                    *shared |= *first != base;
                }
            }
            return TypeRef::Named(id);
        }
        let id = id_of(self.slots.len());
        self.slots.push(Some(DraftType {
            uses: vec![at.clone()],
            pointer: at,
            doc: docs::schema_doc(schema),
            kind,
            naming: TypeNaming::Inline {
                base,
                property: if is_enum {
                    self.current_prop.clone()
                } else {
                    None
                },
                shared: false,
            },
        }));
        self.interned.insert(key, id);
        TypeRef::Named(id)
    }

    /// Lowers a schema that gets a type of its own; `name` is its name or name hint, which
    /// the names of its inline members start with.
    fn lower_named(
        &mut self,
        owner: Owner,
        name: &str,
        schema: &'a Schema,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeKind {
        let shape = shape::shape(schema);
        match shape {
            Shape::String { values, .. } if !values.is_empty() => {
                TypeKind::Enum(lower_enum(&values))
            }
            Shape::Object if shape::has_properties(schema) => {
                let view = self.object_view(schema, pointer, depth);
                TypeKind::Struct(self.lower_struct(owner, name, view, depth))
            }
            Shape::Object => TypeKind::Alias(self.map_type(
                object_parts(schema).and_then(|p| p.additional),
                name,
                pointer,
                depth,
            )),
            Shape::OneOf(ref variants) | Shape::AnyOf(ref variants) => {
                let keyword = shape.union_keyword().unwrap_or("oneOf");
                let disc = schema.schema_data.discriminator.as_ref();
                TypeKind::Union(self.lower_union(
                    name,
                    variants,
                    disc,
                    &pointer.push(keyword),
                    depth,
                ))
            }
            Shape::AllOf(parts) if parts.len() == 1 && !shape::has_properties(schema) => {
                TypeKind::Alias(self.type_ref(
                    parts[0],
                    name,
                    &pointer.push("allOf").push("0"),
                    depth + 1,
                ))
            }
            Shape::AllOf(_) => {
                let view = self.object_view(schema, pointer, depth);
                if view.saw_object || !view.properties.is_empty() {
                    TypeKind::Struct(self.lower_struct(owner, name, view, depth))
                } else {
                    self.diags.warning(
                        pointer,
                        "`allOf` of schemas that are not objects: represented as `serde_json::Value`",
                    );
                    TypeKind::Alias(TypeRef::Json)
                }
            }
            // An enum's format (`Shape::String`) and plain scalars: an alias of the Rust type.
            Shape::String { format, .. } => TypeKind::Alias(shape::string_type(format.as_deref())),
            Shape::Integer { format } => TypeKind::Alias(shape::integer_type(format.as_deref())),
            Shape::Number { format } => TypeKind::Alias(shape::number_type(format.as_deref())),
            Shape::Boolean => TypeKind::Alias(TypeRef::Bool),
            Shape::Array { .. } => TypeKind::Alias(self.inline_type(schema, name, pointer, depth)),
            Shape::Any => TypeKind::Alias(TypeRef::Json),
        }
    }

    /// The members of an object schema, gathered through its `allOf` parts.
    fn object_view(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        depth: usize,
    ) -> ObjectView<'a> {
        let mut view = ObjectView::default();
        let mut visited = BTreeSet::new();
        self.collect_object(
            SchemaRef::Inline(schema),
            pointer,
            &mut view,
            &mut visited,
            depth,
        );
        view
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
                Err(RefError::Dangling(e)) => {
                    self.diags.broken(
                        pointer,
                        format!("{e}; the object is generated without the properties it would add"),
                    );
                    return;
                }
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
                let at = here.push("properties").push(wire);
                match view.properties.iter_mut().find(|(w, _, _)| w == wire) {
                    // A later allOf part refines the property: keep the later definition.
                    Some(existing) => {
                        existing.1 = prop;
                        existing.2 = at;
                    }
                    None => view.properties.push((wire.to_owned(), prop, at)),
                }
            }
            view.required
                .extend(parts.required.iter().map(|s| (*s).to_owned()));
            match parts.additional {
                Some(openapiv3::AdditionalProperties::Any(true)) => {
                    view.additional = Some((None, here.push("additionalProperties")))
                }
                Some(openapiv3::AdditionalProperties::Schema(s)) => {
                    view.additional = Some((
                        Some(SchemaRef::from(&**s)),
                        here.push("additionalProperties"),
                    ))
                }
                Some(openapiv3::AdditionalProperties::Any(false)) | None => {}
            }
        }
        if let Shape::AllOf(parts) = shape::shape(schema) {
            let base = if matches!(
                schema.schema_kind,
                SchemaKind::AllOf { .. } | SchemaKind::Any(_)
            ) {
                here.push("allOf")
            } else {
                here.clone()
            };
            for (i, part) in parts.into_iter().enumerate() {
                self.collect_object(part, &base.push(i.to_string()), view, visited, depth + 1);
            }
        }
    }

    fn lower_struct(
        &mut self,
        owner: Owner,
        name: &str,
        view: ObjectView<'a>,
        depth: usize,
    ) -> StructDef {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        let mut default_fns = Scope::default();
        let has_additional = view.additional.is_some();
        let mut constant = self.implied_constant(owner, &view);
        for (wire, prop, prop_ptr) in view.properties {
            if constant.as_ref().is_some_and(|(c, _)| *c == wire) {
                continue;
            }
            let required = view.required.contains(&wire);
            let resolved = match self.resolver.schema(prop, prop_ptr.as_str()) {
                Ok(r) => Some(r.schema),
                // Reported where the property's type is made (`type_ref`).
                Err(RefError::Dangling(_)) => None,
                Err(e) => {
                    self.diags.error(&prop_ptr, e);
                    None
                }
            };
            if required && constant.is_none() && !has_additional {
                if let Some(value) = resolved.and_then(shape::constant_value) {
                    constant = Some((wire.clone(), value));
                    continue;
                }
            }
            let outer_prop = self.current_prop.replace(wire.clone());
            let ty = self.type_ref(prop, &format!("{name} {wire}"), &prop_ptr, depth + 1);
            self.current_prop = outer_prop;
            let name = scope.claim(&naming::field_name(&wire));
            fields.push(self.field(
                name,
                wire,
                ty,
                required,
                prop,
                &prop_ptr,
                resolved,
                &mut default_fns,
            ));
        }
        let additional = view.additional.map(|(schema, ptr)| {
            let ty = match schema {
                Some(s) => self.element_type(s, &format!("{name} Additional"), &ptr, depth + 1),
                None => TypeRef::Json,
            };
            let name = scope.claim(&naming::fixed("additional_properties"));
            AdditionalProperties {
                setter: naming::setter_name(&name),
                name,
                ty,
            }
        });
        StructDef {
            fields,
            constant,
            additional,
        }
    }

    /// The constant tag of a component struct that a discriminated union lists as a variant,
    /// when its discriminator property is a plain string: a field there could only disagree
    /// with the tag the union writes.
    fn implied_constant(&self, owner: Owner, view: &ObjectView<'a>) -> Option<(String, String)> {
        let Owner::Component(id) = owner else {
            return None;
        };
        let (prop, value) = self.implied_tags.get(&id)?;
        let accepts = view
            .properties
            .iter()
            .find(|(w, _, _)| w == prop)
            .and_then(|(_, r, ptr)| self.resolver.schema(*r, ptr.as_str()).ok())
            .is_some_and(|r| match shape::shape(r.schema) {
                Shape::String { values, .. } => {
                    values.is_empty() || values.iter().all(|v| v == value)
                }
                _ => false,
            });
        (accepts && view.additional.is_none()).then(|| (prop.clone(), value.clone()))
    }

    /// One struct field: presence from `required`, `nullable`, `readOnly`, `writeOnly` and the
    /// default; the doc from the property (or a description beside its `$ref`).
    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        name: Name,
        wire: String,
        ty: TypeRef,
        required: bool,
        prop: SchemaRef<'a>,
        prop_ptr: &Pointer,
        resolved: Option<&'a Schema>,
        default_fns: &mut Scope,
    ) -> Field {
        let data = resolved.map(|s| &s.schema_data);
        let inline_data = match prop {
            SchemaRef::Inline(s) => Some(&s.schema_data),
            SchemaRef::Ref(_) => None,
        };
        let nullable = data.is_some_and(|d| d.nullable) || inline_data.is_some_and(|d| d.nullable);
        let read_only = data.is_some_and(|d| d.read_only);
        let write_only = data.is_some_and(|d| d.write_only);
        // readOnly values are absent from requests and writeOnly ones from responses, so
        // neither can be required of both directions.
        let required = required && !read_only && !write_only;
        let default = data
            .and_then(|d| d.default.as_ref())
            .and_then(|v| self.default_value(&ty, v));
        let presence = match (required, nullable, default) {
            (true, false, _) => Presence::Required,
            (true, true, _) => Presence::RequiredNullable,
            (false, true, _) => Presence::OptionalNullable,
            (false, false, Some(value)) => Presence::Defaulted(Default {
                value,
                function: default_fns.claim(&naming::default_fn_name(&name)),
            }),
            (false, false, None) => Presence::Optional,
        };
        let mut doc = match prop {
            // A description beside a `$ref` describes this use of the referenced schema; a
            // bare `$ref` borrows the first paragraph of the schema's description. With
            // neither, the emitter names the field's place. (A `title` is not used: generators
            // of specs set it to the property's or schema's name, which says nothing more.)
            SchemaRef::Ref(_) => docs::prose(
                self.resolver
                    .raw_at(prop_ptr.as_str())
                    .and_then(|v| v.get("description"))
                    .and_then(|d| d.as_str()),
            )
            .or_else(|| {
                data.and_then(|d| docs::prose(d.description.as_deref()))
                    .map(|d| docs::first_paragraph(&d))
            }),
            SchemaRef::Inline(s) => docs::prose(s.schema_data.description.as_deref()),
        };
        if let Some(note) = resolved.and_then(shape::format_note) {
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
        Field {
            setter: naming::setter_name(&name),
            name,
            wire,
            doc,
            ty,
            presence,
            deprecated: data.is_some_and(|d| d.deprecated),
        }
    }

    /// A spec default the field can start from: for scalars, where the value fits the type,
    /// and for enums (by their wire value).
    fn default_value(&self, ty: &TypeRef, v: &serde_json::Value) -> Option<DefaultValue> {
        Some(match ty {
            TypeRef::String => DefaultValue::String(v.as_str()?.to_owned()),
            TypeRef::Bool => DefaultValue::Bool(v.as_bool()?),
            TypeRef::I32 => DefaultValue::Integer(i32::try_from(v.as_i64()?).ok()?.into()),
            TypeRef::I64 => DefaultValue::Integer(v.as_i64()?),
            TypeRef::F32 | TypeRef::F64 => DefaultValue::Float(v.as_f64()?),
            TypeRef::Named(id) if self.is_enum(*id) => DefaultValue::String(v.as_str()?.to_owned()),
            _ => return None,
        })
    }

    /// Whether the model `id` is (or will be, once lowered) an open enum.
    fn is_enum(&self, id: TypeId) -> bool {
        match &self.slots[id.index()] {
            Some(t) => matches!(t.kind, TypeKind::Enum(_)),
            // A component not lowered yet: an enum exactly when its own schema is one.
            None => self
                .resolver
                .api()
                .components
                .iter()
                .flat_map(|c| c.schemas.iter())
                .nth(id.index())
                .is_some_and(|(_, s)| matches!(s, openapiv3::ReferenceOr::Item(s) if shape::is_string_enum(s))),
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
        let views: Vec<ObjectView<'a>> = variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut view = ObjectView::default();
                let at = pointer.push(i.to_string());
                if let Err(RefError::Dangling(_)) = self.resolver.schema(*v, at.as_str()) {
                    // No members to read; the variant's type says why (`type_ref`).
                    return view;
                }
                let mut visited = BTreeSet::new();
                self.collect_object(
                    *v,
                    &pointer.push(i.to_string()),
                    &mut view,
                    &mut visited,
                    depth + 1,
                );
                view
            })
            .collect();
        let tag = match discriminator {
            Some(d) => Some(d.property_name.clone()),
            None => self.inferred_tag(variants.len(), &views, pointer),
        };
        let tag_values = match &tag {
            Some(prop) => self.tag_values(prop, variants, &views, discriminator, pointer),
            None => Vec::new(),
        };
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
                (None, SchemaRef::Ref(r)) => match Resolver::schema_ref_name(r) {
                    Some(n) => naming::type_name(&n),
                    None => naming::type_name(&format!("Variant{i}")),
                },
                (None, SchemaRef::Inline(s)) => match s.schema_data.title.as_deref() {
                    Some(t) => naming::type_name(t),
                    None => naming::type_name(
                        shape::primitive_label(s).unwrap_or(&format!("Variant{i}")),
                    ),
                },
            };
            let ty = self.type_ref(
                *v,
                &format!("{name} {}", label.as_str()),
                &pointer.push(i.to_string()),
                depth + 1,
            );
            out.push(UnionVariant {
                name: scope.claim(&label),
                tag_value,
                ty,
            });
        }
        UnionDef {
            tag: if tagged { tag } else { None },
            variants: out,
            unknown_variant: naming::catch_all(&scope),
        }
    }

    /// A tag property every variant shares: required, with one allowed value.
    fn inferred_tag(
        &self,
        count: usize,
        views: &[ObjectView<'a>],
        pointer: &Pointer,
    ) -> Option<String> {
        let first = views.first()?;
        first
            .properties
            .iter()
            .map(|(w, _, _)| w.clone())
            .find(|prop| {
                count > 1
                    && views.iter().all(|v| {
                        v.required.contains(prop) && self.const_of(v, prop, pointer).is_some()
                    })
            })
    }

    /// Each variant's tag value: from the discriminator's mapping, the variant's one allowed
    /// value of the tag property, or its schema name. Warns when one cannot be told.
    fn tag_values(
        &mut self,
        prop: &str,
        variants: &[SchemaRef<'a>],
        views: &[ObjectView<'a>],
        discriminator: Option<&'a openapiv3::Discriminator>,
        pointer: &Pointer,
    ) -> Vec<Option<String>> {
        let values: Vec<Option<String>> = variants
            .iter()
            .zip(views)
            .enumerate()
            .map(|(i, (v, view))| {
                let from_mapping = match (discriminator, v) {
                    (Some(d), SchemaRef::Ref(reference)) => mapping_value(d, reference),
                    _ => None,
                };
                from_mapping
                    .or_else(|| self.const_of(view, prop, &pointer.push(i.to_string())))
                    .or_else(|| match v {
                        SchemaRef::Ref(r) => Resolver::schema_ref_name(r),
                        SchemaRef::Inline(_) => None,
                    })
            })
            .collect();
        if values.iter().any(Option::is_none) {
            self.diags.warning(
                pointer,
                format!("cannot tell the tag value of every variant by `{prop}`; the union is decoded untagged"),
            );
        }
        values
    }

    /// The one value a variant allows for `prop`.
    fn const_of(&self, view: &ObjectView<'a>, prop: &str, ptr: &Pointer) -> Option<String> {
        view.properties
            .iter()
            .find(|(w, _, _)| w == prop)
            .and_then(|(_, r, _)| self.resolver.schema(*r, ptr.as_str()).ok())
            .and_then(|r| shape::constant_value(r.schema))
    }
}

fn lower_enum(values: &[String]) -> EnumDef {
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
    EnumDef {
        variants,
        unknown_variant: naming::catch_all(&scope),
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
    component_ids: &BTreeMap<&str, TypeId>,
) -> BTreeMap<TypeId, (String, String)> {
    let mut found: BTreeMap<TypeId, Option<(String, String)>> = BTreeMap::new();
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
        let variants = match shape::shape(schema) {
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
            let Some(&id) = component_ids.get(key.as_str()) else {
                continue;
            };
            let value = mapping_value(d, reference).unwrap_or(key);
            let tag = (d.property_name.clone(), value);
            found
                .entry(id)
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

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Presence, StructDef, TypeKind, TypeRef};

    fn api(components: &str) -> Api {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{components}"
        );
        match crate::generate_from_str(&spec, &crate::Settings::new("t", "-")) {
            Ok(g) => g.api,
            Err(d) => panic!("{d}"),
        }
    }

    fn find<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
        &api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }

    fn struct_of(kind: &TypeKind) -> &StructDef {
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

    /// The name of the model a type reference points at.
    fn named<'a>(api: &'a Api, ty: &TypeRef) -> &'a str {
        match ty {
            TypeRef::Named(id) => api.type_def(*id).name.as_str(),
            other => panic!("not a model: {other:?}"),
        }
    }

    #[test]
    fn all_of_cycles_terminate() {
        let t = api(
            "    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - properties: {a: {type: string}}\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - properties: {b: {type: string}}\n    Self:\n      allOf:\n        - $ref: '#/components/schemas/Self'\n",
        );
        assert_eq!(field_names(find(&t, "A")), ["b", "a"]);
        assert_eq!(field_names(find(&t, "B")), ["a", "b"]);
        assert!(matches!(find(&t, "Self_"), TypeKind::Alias(TypeRef::Json)));
    }

    #[test]
    fn a_variant_listed_with_two_tag_values_keeps_its_field() {
        let t = api(
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
        let t = api(
            "    N:\n      type: object\n      required: [r]\n      properties:\n        r: {type: string, nullable: true}\n        o: {type: string, nullable: true}\n        l: {type: array, items: {type: integer, nullable: true}}\n        m: {type: object, additionalProperties: {type: string, nullable: true}}\n",
        );
        let s = struct_of(find(&t, "N"));
        let presence: Vec<Presence> = s.fields.iter().map(|f| f.presence.clone()).collect();
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
    fn identical_inline_shapes_are_one_type_named_after_their_first_place() {
        let t = api(
            "    P:\n      type: object\n      properties:\n        x: {type: object, description: first, properties: {a: {type: string, description: one}}}\n    Q:\n      type: object\n      properties:\n        x: {type: object, description: second, properties: {a: {type: string, description: other prose}}}\n        y: {type: string, enum: [a, b]}\n        z: {type: string, enum: [a, b]}\n        w: {type: object, properties: {a: {type: integer}}}\n",
        );
        let mut names: Vec<&str> = t.types.iter().map(|t| t.name.as_str()).collect();
        names.sort();
        // `P.x` and `Q.x` differ in prose only: one type, named after the first place; `Q.w`
        // differs in shape: a type of its own.
        assert_eq!(names, ["P", "PX", "Q", "QW", "QY"]);
        let q = struct_of(find(&t, "Q"));
        assert_eq!(named(&t, &q.fields[0].ty), "PX", "same shape, one type");
        assert_eq!(named(&t, &q.fields[2].ty), "QY", "same enum, one type");
        let px = t.types.iter().find(|d| d.name == "PX").unwrap();
        assert_eq!(
            px.uses,
            [
                "#/components/schemas/P/properties/x",
                "#/components/schemas/Q/properties/x"
            ],
            "documented with the places that use it"
        );
        assert_eq!(px.doc.as_deref(), Some("first"), "the first place's prose");
    }

    #[test]
    fn a_default_is_kept_for_scalars_and_enums_only() {
        let t = api(
            "    D:\n      type: object\n      properties:\n        size: {type: integer, format: int32, default: 3}\n        big: {type: integer, format: int32, default: 9999999999}\n        color: {$ref: '#/components/schemas/Color'}\n        shape: {allOf: [{$ref: '#/components/schemas/Shape'}], default: {a: 1}}\n    Color: {type: string, enum: [red, blue], default: red}\n    Shape: {type: object, properties: {a: {type: integer}}}\n",
        );
        let d = struct_of(find(&t, "D"));
        let defaulted: Vec<&str> = d
            .fields
            .iter()
            .filter(|f| matches!(f.presence, Presence::Defaulted(_)))
            .map(|f| f.wire.as_str())
            .collect();
        // `big` does not fit an i32; `shape` is an object, which has no literal default.
        assert_eq!(defaulted, ["size", "color"]);
    }
}
