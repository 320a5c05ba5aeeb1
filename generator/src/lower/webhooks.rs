//! Lowering phase 3b: the webhooks the API sends.
//!
//! Takes: the document's `webhooks` (OpenAPI 3.1), or `x-webhooks` with the same shape in a
//! 3.0 document: a map from event type to a Path Item whose operation (normally `post`) has the
//! event as its JSON request body. Gives: one [`WebhookEvent`] per entry with its payload type
//! (inline payloads join the type table), and the payload property that names the event type,
//! when every payload has one.
//!
//! A body declared as "one event or a list of them" (`oneOf: [X, {type: array, items: X}]`,
//! as senders that batch events describe it) has the payload `X`: the generated parser accepts
//! either form for every webhook.

use super::bodies;
use super::docs;
use super::schemas::SchemaLowerer;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{BodyEncoding, WebhookEvent};
use crate::naming::{self, Name, Scope};
use crate::resolve::{RefError, Resolver, SchemaRef};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

/// One entry of `webhooks`, parsed.
pub struct WebhookItem {
    /// The event type (the entry's key).
    pub key: String,
    /// Where the entry is.
    pub at: Pointer,
    /// The entry.
    pub item: openapiv3::PathItem,
}

/// The webhooks a document declares.
pub struct Declared {
    /// Where the map of webhooks is (`#/webhooks` or `#/x-webhooks`).
    pub at: Pointer,
    /// Its entries, in document order.
    pub items: Vec<WebhookItem>,
}

/// Reads and parses the entries of `webhooks` (or `x-webhooks`), in document order.
pub fn read(raw: &Value) -> (Declared, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut items = Vec::new();
    let (key, map) = match (raw.get("webhooks"), raw.get("x-webhooks")) {
        (Some(map), None) => ("webhooks", map),
        (None, Some(map)) => ("x-webhooks", map),
        (None, None) => {
            let none = Declared {
                at: Pointer::root().push("webhooks"),
                items,
            };
            return (none, diags);
        }
        (Some(map), Some(_)) => {
            diags.warning(
                Pointer::root().push("x-webhooks"),
                "both `webhooks` and `x-webhooks` are present; `x-webhooks` is ignored",
            );
            ("webhooks", map)
        }
    };
    let at = Pointer::root().push(key);
    let Some(map) = map.as_object() else {
        diags.error(
            &at,
            format!("`{key}` must be a map from event type to a Path Item"),
        );
        return (Declared { at, items }, diags);
    };
    for (name, value) in map {
        let here = at.push(name);
        match serde_json::from_value::<openapiv3::PathItem>(value.clone()) {
            Ok(item) => items.push(WebhookItem {
                key: name.clone(),
                at: here,
                item,
            }),
            Err(e) => diags.error(&here, format!("not a valid Path Item: {e}")),
        }
    }
    (Declared { at, items }, diags)
}

/// What the webhooks lower into.
pub struct Found {
    /// One entry per webhook with a JSON payload, in spec order.
    pub events: Vec<WebhookEvent>,
    /// The payload property naming the event type.
    pub tag: Option<String>,
    /// The event enum's catch-all variant.
    pub unknown_variant: Name,
    /// The event enum's variant for events of a known type that do not fit their payload.
    pub malformed_variant: Name,
}

/// Lowers every webhook's payload.
pub fn lower<'a>(
    resolver: &'a Resolver<'a>,
    declared: &'a Declared,
    mut schemas: SchemaLowerer<'a>,
) -> (Found, SchemaLowerer<'a>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut variants = Scope::default();
    let mut events = Vec::new();
    let mut payload_schemas: Vec<Option<&'a Value>> = Vec::new();
    for w in &declared.items {
        let Some((method, op)) = w
            .item
            .iter()
            .find(|(m, _)| *m == "post")
            .or_else(|| w.item.iter().next())
        else {
            diags.warning(
                &w.at,
                "this webhook declares no operation, so it has no payload type",
            );
            continue;
        };
        let op_at = w.at.push(method);
        let Some(rb) = &op.request_body else {
            diags.warning(
                &op_at,
                "this webhook declares no request body, so it has no payload type",
            );
            continue;
        };
        let rb_at = op_at.push("requestBody");
        let (body, body_at) = match resolver.component(rb, &rb_at, &mut diags) {
            Ok(x) => x,
            Err(RefError::Dangling(e)) => {
                diags.broken(&rb_at, format!("{e}; this webhook has no payload type"));
                continue;
            }
            Err(e) => {
                diags.error(&rb_at, e);
                continue;
            }
        };
        // The media type is chosen as for request bodies: JSON first.
        let json = bodies::pick_media(body.content.iter().map(|(k, v)| (k.as_str(), v)))
            .filter(|(media, _)| bodies::encoding_of(media) == BodyEncoding::Json)
            .and_then(|(media, mt)| Some((media, mt.schema.as_ref()?)));
        let Some((media, schema)) = json else {
            diags.warning(
                body_at.push("content"),
                "this webhook's body has no JSON schema, so it has no payload type",
            );
            continue;
        };
        let schema_at = body_at.push("content").push(media).push("schema");
        let (payload, payload_at) = match one_or_many(schema) {
            Some((index, single)) => (single, schema_at.push("oneOf").push(index.to_string())),
            None => (schema, schema_at),
        };
        let hint = format!("{} Event", w.key);
        let ty = schemas.type_ref(SchemaRef::from(payload), &hint, &payload_at, 1);
        payload_schemas.push(raw_schema(resolver, &payload_at));
        events.push(WebhookEvent {
            key: w.key.clone(),
            variant: variants.claim(&naming::variant_name(&w.key)),
            payload: ty,
            doc: docs::summary_and_description(op.summary.as_deref(), op.description.as_deref()),
        });
    }
    let tag = tag_property(resolver, &events, &payload_schemas);
    if tag.is_none() && !events.is_empty() {
        diags.warning(
            &declared.at,
            "no required property of the payloads has the webhook's key among its values, so no event enum is generated: parse each payload type directly",
        );
    }
    let unknown_variant = naming::catch_all(&variants);
    variants.reserve(&unknown_variant);
    let malformed_variant = variants.claim(&naming::fixed("Malformed"));
    (
        Found {
            events,
            tag,
            unknown_variant,
            malformed_variant,
        },
        schemas,
        diags,
    )
}

/// `oneOf: [X, {type: array, items: X}]` (either order) with the same `$ref` `X`: the index of
/// `X` and `X`.
fn one_or_many(schema: &ReferenceOr<Schema>) -> Option<(usize, &ReferenceOr<Schema>)> {
    let ReferenceOr::Item(s) = schema else {
        return None;
    };
    let SchemaKind::OneOf { one_of } = &s.schema_kind else {
        return None;
    };
    let [a, b] = one_of.as_slice() else {
        return None;
    };
    let reference = |r: &ReferenceOr<Schema>| match r {
        ReferenceOr::Reference { reference } => Some(reference.clone()),
        ReferenceOr::Item(_) => None,
    };
    let array_of = |r: &ReferenceOr<Schema>| match r {
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Array(array)),
            ..
        }) => match &array.items {
            Some(ReferenceOr::Reference { reference }) => Some(reference.clone()),
            _ => None,
        },
        _ => None,
    };
    match (reference(a), array_of(b), array_of(a), reference(b)) {
        (Some(x), Some(y), _, _) if x == y => Some((0, a)),
        (_, _, Some(y), Some(x)) if x == y => Some((1, b)),
        _ => None,
    }
}

/// The schema at `at` as JSON, after following `$ref`s, for finding the tag property.
fn raw_schema<'a>(resolver: &Resolver<'a>, at: &Pointer) -> Option<&'a Value> {
    followed(resolver, resolver.raw_at(at.as_str())?)
}

/// A schema's JSON after following `$ref`s (at most 16).
fn followed<'a>(resolver: &Resolver<'a>, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => value = resolver.raw_at(r)?,
            None => return Some(value),
        }
    }
    None
}

/// The first required property of the first payload that, in every payload, is required and
/// lists the webhook's key among its `enum` values.
fn tag_property(
    resolver: &Resolver<'_>,
    events: &[WebhookEvent],
    schemas: &[Option<&Value>],
) -> Option<String> {
    let candidates = |event: &WebhookEvent, schema: Option<&Value>| -> Vec<String> {
        let Some(schema) = schema else {
            return Vec::new();
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = schema.get("properties").and_then(Value::as_object);
        required
            .into_iter()
            .filter(|p| {
                properties
                    .and_then(|props| props.get(*p))
                    .and_then(|prop| followed(resolver, prop))
                    .and_then(|prop| prop.get("enum"))
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.iter().any(|v| v.as_str() == Some(&event.key)))
            })
            .map(str::to_owned)
            .collect()
    };
    let (first, rest) = events.split_first()?;
    candidates(first, schemas[0]).into_iter().find(|p| {
        rest.iter()
            .zip(&schemas[1..])
            .all(|(e, s)| candidates(e, *s).contains(p))
    })
}
