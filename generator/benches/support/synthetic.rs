//! Synthetic OpenAPI documents for the benchmarks, built deterministically (no randomness, so
//! every run measures the same document).
//!
//! - [`large_spec`]: a multi-megabyte API shaped like big real ones: many components with prose
//!   descriptions and examples, formats, inline enums drawn from a few value sets, the same
//!   inline object in many schemas, references that form cycles, paged list operations, and a
//!   wide discriminated union repeated inline in many schemas.
//! - [`large_spec_grouped`]: the same, with each resource's models referring only to its own
//!   tag's (for Cargo features per tag).
//! - [`wide_unions`]: only that last pattern, the one that made crates blow up: an inline
//!   `oneOf` of `variants` references with a discriminator, as the `items` of a property in
//!   `holders` schemas.

use serde_json::{Map, Value, json};

const WORDS: &[&str] = &[
    "account", "record", "state", "value", "remote", "request", "field", "change", "owner",
    "service", "message", "channel", "thread", "window", "limit", "region", "policy", "token",
    "session", "result", "object", "entry", "handler", "stream",
];

/// A sentence of `n` words that depends on `seed`.
fn prose(seed: usize, n: usize) -> String {
    let mut words: Vec<&str> = (0..n)
        .map(|k| WORDS[(seed * 31 + k * 7 + k * k) % WORDS.len()])
        .collect();
    words[0] = "The";
    format!("{}.", words.join(" "))
}

const ENUM_SETS: &[&[&str]] = &[
    &["ACTIVE", "INACTIVE", "PENDING", "ARCHIVED"],
    &["LOW", "MEDIUM", "HIGH", "CRITICAL"],
    &["DRAFT", "PUBLISHED", "RETRACTED"],
    &["EMAIL", "SMS", "PUSH", "WEBHOOK", "NONE"],
    &["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"],
    &["READ", "WRITE", "ADMIN"],
    &["OPEN", "CLOSED", "MERGED", "STALE"],
    &["INBOUND", "OUTBOUND"],
];

/// The inline address object many schemas repeat word for word.
fn address() -> Value {
    json!({
        "type": "object",
        "description": "A postal address.",
        "required": ["city", "country"],
        "properties": {
            "street": {"type": "string", "description": "Street and number."},
            "city": {"type": "string", "description": "City or town."},
            "zip": {"type": "string", "description": "Postal code."},
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2 country code.", "example": "DE"},
        },
    })
}

/// The variants of the wide union and its inline use.
fn union_parts(variants: usize) -> (Map<String, Value>, Value) {
    let mut schemas = Map::new();
    let mut refs = Vec::new();
    for k in 0..variants {
        let name = format!("Input{k}");
        let tag = format!("INPUT_{k}");
        schemas.insert(
            name.clone(),
            json!({
                "type": "object",
                "description": prose(k + 1000, 14),
                "required": ["type", "value"],
                "properties": {
                    "type": {"type": "string", "enum": [tag]},
                    "value": {"type": if k % 3 == 0 { "integer" } else { "string" }, "description": prose(k + 2000, 8)},
                    "label": {"type": "string"},
                    "weight": {"type": "number", "format": "double"},
                },
            }),
        );
        refs.push(json!({"$ref": format!("#/components/schemas/{name}")}));
    }
    let inline = json!({
        "type": "array",
        "description": "The inputs, of any kind.",
        "items": {"oneOf": refs, "discriminator": {"propertyName": "type"}},
    });
    (schemas, inline)
}

/// A document with only the wide-union pattern: `variants` variant schemas, and `holders`
/// schemas each with a property whose items are the whole union, written out inline.
pub fn wide_unions(variants: usize, holders: usize) -> Value {
    let (mut schemas, inline) = union_parts(variants);
    for h in 0..holders {
        schemas.insert(
            format!("Holder{h}"),
            json!({
                "type": "object",
                "description": prose(h, 10),
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "inputs": inline,
                },
            }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Wide unions", "version": "1"},
        "paths": {
            "/holders/{id}": {"get": {
                "operationId": "getHolder",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "A holder.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Holder0"}}}}},
            }},
        },
        "components": {"schemas": schemas},
    })
}

/// A large API of `entities` resources (about 7 KB of JSON each), whose models all refer to
/// each other across tags (an entity's owner and children are entities of other tags).
pub fn large_spec(entities: usize) -> Value {
    large_spec_with(entities, false)
}

/// [`large_spec`] with each entity referring only to entities of its own tag (one of 20): the
/// shape of APIs whose resources have models of their own and share a few common types (here
/// the wide union's variants and `Problem`). With a Cargo feature per tag, one resource's
/// crate leaves the other resources' models out.
pub fn large_spec_grouped(entities: usize) -> Value {
    large_spec_with(entities, true)
}

fn large_spec_with(entities: usize, grouped: bool) -> Value {
    const TAGS: usize = 20;
    // Entity `i` refers to these: anywhere, or within its tag (`i % TAGS`).
    let owner_of = |i: usize| {
        if grouped {
            let per_tag = entities.div_ceil(TAGS);
            let j = ((i / TAGS) * 7 + 3) % per_tag * TAGS + i % TAGS;
            if j < entities { j } else { i }
        } else {
            (i * 7 + 3) % entities
        }
    };
    let child_of = |i: usize| {
        if grouped {
            if i + TAGS < entities {
                i + TAGS
            } else {
                i % TAGS
            }
        } else {
            (i + 1) % entities
        }
    };
    let (mut schemas, union) = union_parts(80);
    let mut paths = Map::new();
    for i in 0..entities {
        let name = format!("Entity{i}");
        let set = ENUM_SETS[i % ENUM_SETS.len()];
        let mut properties = json!({
            "id": {"type": "string", "format": "uuid", "description": "Unique identifier.", "readOnly": true},
            "name": {"type": "string", "description": prose(i, 18), "example": format!("{} {i}", WORDS[i % WORDS.len()])},
            "createdAt": {"type": "string", "format": "date-time", "description": prose(i + 1, 12)},
            "count": {"type": "integer", "format": "int32", "description": prose(i + 2, 10), "minimum": 0, "example": 42},
            "ratio": {"type": "number", "format": "double", "description": prose(i + 3, 9)},
            "active": {"type": "boolean", "default": true, "description": prose(i + 4, 7)},
            "status": {"type": "string", "enum": set, "description": prose(i + 5, 11)},
            "tags": {"type": "array", "items": {"type": "string"}, "description": prose(i + 6, 8)},
            "owner": {"$ref": format!("#/components/schemas/Entity{}", owner_of(i))},
            "children": {"type": "array", "items": {"$ref": format!("#/components/schemas/Entity{}", child_of(i))}},
            "address": address(),
            "settings": {"type": "object", "additionalProperties": {"type": "string"}, "description": prose(i + 7, 9)},
            "note": {"type": "string", "nullable": true, "description": prose(i + 8, 20)},
        });
        if i % 4 == 0 {
            properties["inputs"] = union.clone();
        }
        schemas.insert(
            name.clone(),
            json!({
                "type": "object",
                "description": format!("{} {}", prose(i + 9, 30), prose(i + 10, 25)),
                "required": ["id", "name", "status"],
                "properties": properties,
                "example": {"id": "00000000-0000-0000-0000-000000000000", "name": format!("example {i}"), "status": set[0]},
            }),
        );
        let tag = format!("Group{}", i % TAGS);
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        paths.insert(
            format!("/entities{i}"),
            json!({
                "get": {
                    "tags": [tag], "operationId": format!("list{name}s"), "summary": prose(i + 11, 6),
                    "description": prose(i + 12, 24),
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "maximum": 100}, "description": "Page size."},
                        {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "Cursor of the next page."},
                        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["name", "-name", "createdAt", "-createdAt"]}},
                    ],
                    "responses": {
                        "200": {"description": "A page.", "content": {"application/json": {"schema": {
                            "type": "object", "required": ["results"],
                            "properties": {"results": {"type": "array", "items": reference}, "next": {"type": "string", "nullable": true}},
                        }}}},
                        "default": {"description": "An error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                    },
                },
                "post": {
                    "tags": [tag], "operationId": format!("create{name}"), "summary": prose(i + 13, 6),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": reference}}},
                    "responses": {
                        "201": {"description": "Created.", "content": {"application/json": {"schema": reference}}},
                        "default": {"description": "An error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                    },
                },
            }),
        );
        paths.insert(
            format!("/entities{i}/{{id}}"),
            json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
                "get": {
                    "tags": [tag], "operationId": format!("get{name}"), "summary": prose(i + 14, 6),
                    "responses": {"200": {"description": "Found.", "content": {"application/json": {"schema": reference}}}},
                },
                "patch": {
                    "tags": [tag], "operationId": format!("update{name}"), "summary": prose(i + 15, 6),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "nullable": true},
                            "status": {"type": "string", "enum": set},
                            "address": address(),
                        },
                    }}}},
                    "responses": {"200": {"description": "Updated.", "content": {"application/json": {"schema": reference}}}},
                },
                "delete": {
                    "tags": [tag], "operationId": format!("delete{name}"),
                    "responses": {"204": {"description": "Deleted."}},
                },
            }),
        );
    }
    schemas.insert(
        "Problem".to_owned(),
        json!({
            "type": "object", "required": ["title"],
            "properties": {"title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}},
        }),
    );
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic large API", "version": "1", "description": prose(0, 40)},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
}
