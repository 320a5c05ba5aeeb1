//! Multipart bodies (part of the operations phase).
//!
//! Takes: a `multipart/form-data` media type object (its schema and `encoding`) and the schema
//! lowerer. Gives: a [`MultipartForm`], one field per property: a file (`format: binary`), a
//! list of files, or a value sent as text or JSON, with the part's declared content type and
//! headers. A schema that is not an object with properties gives nothing: the caller falls
//! back to raw bytes, with a warning.

use super::schemas::SchemaLowerer;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::resolve::{Resolver, SchemaRef};
use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// The form of a multipart media type, or `None` when its schema has no properties to make
/// parts of.
pub fn form<'a>(
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    diags: &mut Diagnostics,
    mt: &'a openapiv3::MediaType,
    hint: &str,
    media_ptr: &Pointer,
) -> Option<MultipartForm> {
    let schema = mt.schema.as_ref()?;
    let schema_ptr = media_ptr.push("schema");
    let resolved = resolver
        .schema(SchemaRef::from(schema), schema_ptr.as_str())
        .ok()?;
    let (properties, required) = match &resolved.schema.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => (&obj.properties, &obj.required),
        SchemaKind::Any(any) if !any.properties.is_empty() => (&any.properties, &any.required),
        _ => return None,
    };
    if properties.is_empty() {
        return None;
    }
    let base = if resolved.pointer.is_empty() {
        schema_ptr
    } else {
        Pointer::from_fragment(&resolved.pointer)
    };
    let mut names = Scope::default();
    let mut fields = Vec::new();
    for (wire, property) in properties {
        let at = base.push("properties").push(wire);
        let target = resolver.schema(SchemaRef::from(property), at.as_str()).ok();
        let kind = match target.as_ref().map(|t| part_kind(resolver, t.schema, &at)) {
            Some(PartKind::File) => FormFieldKind::File,
            Some(PartKind::Files) => FormFieldKind::Files,
            _ => FormFieldKind::Value(schemas.type_ref(
                SchemaRef::from(property),
                &format!("{hint} {wire}"),
                &at,
                2,
            )),
        };
        let encoding = mt.encoding.get(wire);
        let content_type = encoding
            .and_then(|e| e.content_type.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.contains(',') && !c.contains('*'))
            .map(str::to_owned);
        let part_headers = encoding
            .map(|e| e.headers.keys().cloned().collect())
            .unwrap_or_default();
        let doc = target
            .as_ref()
            .and_then(|t| super::docs::schema_doc(t.schema));
        if encoding.is_some_and(|e| e.style.is_some()) {
            diags.warning(
                media_ptr.push("encoding").push(wire),
                "`style` applies to `application/x-www-form-urlencoded` bodies: ignored for this multipart part",
            );
        }
        fields.push(FormField {
            name: names.claim(&naming::field_name(wire)),
            wire: wire.clone(),
            kind,
            required: required.iter().any(|r| r == wire),
            content_type,
            part_headers,
            doc,
        });
    }
    Some(MultipartForm { fields })
}

enum PartKind {
    File,
    Files,
    Other,
}

/// Whether a property's schema is a file (a binary string), a list of files, or a value.
fn part_kind(resolver: &Resolver<'_>, schema: &openapiv3::Schema, at: &Pointer) -> PartKind {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if is_binary(&s.format) => PartKind::File,
        SchemaKind::Type(Type::Array(a)) => {
            let item = a
                .items
                .as_ref()
                .and_then(|i| resolver.schema(SchemaRef::from(i), at.as_str()).ok());
            match item.map(|i| &i.schema.schema_kind) {
                Some(SchemaKind::Type(Type::String(s))) if is_binary(&s.format) => PartKind::Files,
                _ => PartKind::Other,
            }
        }
        _ => PartKind::Other,
    }
}

fn is_binary(format: &VariantOrUnknownOrEmpty<StringFormat>) -> bool {
    matches!(format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
}
