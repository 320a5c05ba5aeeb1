//! Rewrites an OpenAPI 3.1 document into the 3.0 shape the rest of the pipeline reads, and
//! smooths two quirks of 3.0 documents.
//!
//! Takes: the document as plain JSON and whether it is a 3.1 one. Gives: the rewritten JSON,
//! the warnings for what the rewrite loses (each at its pointer in the user's document), and
//! the [`Origins`] of what it moved. Pure: a function of the value, no I/O. `lower` sees only
//! 3.0 constructs, so it has one code path per construct.
//!
//! Pointers keep pointing at the user's document. Keywords are rewritten in place, inside the
//! schema object that holds them; no schema is moved to another place. Where a keyword or a
//! subschema does change place (`const` becomes `enum`, a `$ref` with siblings is wrapped in
//! `allOf`, the non-null member of `anyOf: [X, {type: "null"}]` is merged into its parent, a
//! `$ref`'d path item is copied into `paths`), the new place is recorded in [`Origins`] with
//! the old one, and every diagnostic and IR pointer is mapped back through it.
//!
//! | 3.1 | 3.0 shape | loss (warning) |
//! |---|---|---|
//! | `type: [T, "null"]`, `type: "null"` | `type: T, nullable: true` | |
//! | `type: [T, U, ...]` | `oneOf` of one schema per type, each with the keywords of its type | |
//! | `anyOf`/`oneOf` with `{type: "null"}` members | the rest, `nullable: true`; one inline member merged into the parent, one `$ref` member as `allOf: [{$ref}]` | |
//! | `const: v` | `enum: [v]` (and `type` from `v` when there is none) | |
//! | `examples: [a, ...]` | `example: a` | |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (same for max) | |
//! | `$ref` with siblings | plain `$ref` when the siblings are prose (`description`, `title`, ...); else `allOf: [{$ref}]` beside them | |
//! | `$ref: "#/$defs/X"` with no `$defs` at the root | the nearest enclosing schema's `$defs/X` | |
//! | `contentEncoding: base64` | `format: byte` | other encodings: kept as text |
//! | `contentMediaType` (not text) | `format: binary` | |
//! | `prefixItems` | `items` that is any of the item schemas (`oneOf`) | positions not checked |
//! | `patternProperties`, `unevaluatedProperties` | `additionalProperties` | key patterns not checked |
//! | `if`/`then`/`else`, `dependent*`, `contains`, `propertyNames`, `$dynamicRef`, ... | removed | not checked |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` | |
//! | `components/pathItems`, path item `$ref` | the path item copied into place | |
//! | no `paths`; an operation with no `responses` | `paths: {}`; `responses: {}` | |
//! | security scheme `mutualTLS` | removed | skipped |
//! | `openapi: 3.1.x` | `3.0.3` | |
//!
//! `webhooks`, `jsonSchemaDialect`, `$schema`, `info.summary` and `license.identifier` stay
//! (the typed model ignores them; `webhooks` is read from the raw document, so the schemas in
//! it are rewritten too). `$defs` stay where they are; `resolve` follows `$ref`s into them.
//!
//! For every document, 3.0 ones too: path item `$ref`s are resolved the same way; a bound of
//! an integer schema that is not a 64-bit integer (`minimum: -9223372036854776000`) is removed
//! with a warning; a schema `$ref` into another schema (not a component) is followed by
//! `resolve`, and `lower` makes that schema a type of its own, at its own place.

use super::origins::Origins;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::resolve::local_pointer;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// A rewritten document.
#[derive(Debug, Clone)]
pub struct Rewritten {
    /// The document in the 3.0 shape.
    pub value: Value,
    /// What the rewrite lost, at pointers into the user's document.
    pub warnings: Diagnostics,
    /// Where moved parts were in the user's document.
    pub origins: Origins,
}

/// Rewrites `doc` (a 3.1 document when `v31`, else a 3.0 one) into the 3.0 shape.
pub fn rewrite(mut doc: Value, v31: bool) -> Rewritten {
    let mut w = Walker {
        v31,
        warnings: Diagnostics::default(),
        origins: Origins::default(),
        root_defs: BTreeSet::new(),
        removed_schemes: BTreeSet::new(),
    };
    let root = Pointer::root();
    if let Some(defs) = doc.get("$defs").and_then(Value::as_object) {
        w.root_defs = defs.keys().cloned().collect();
    }
    let path_items = path_item_targets(&doc);
    let Some(obj) = doc.as_object_mut() else {
        return w.finish(doc);
    };
    if v31 {
        obj.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
        obj.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    for (at, content) in path_items {
        w.inline_path_item(obj, &at, content);
    }
    for key in ["paths", "webhooks", "x-webhooks"] {
        if let Some(Value::Object(items)) = obj.get_mut(key) {
            let at = root.push(key);
            for (name, item) in items.iter_mut() {
                w.path_item(item, &at.push(name));
            }
        }
    }
    if let Some(Value::Object(components)) = obj.get_mut("components") {
        w.components(components, &root.push("components"));
    }
    if !w.removed_schemes.is_empty() {
        let removed = std::mem::take(&mut w.removed_schemes);
        strip_requirements(obj, &removed);
    }
    w.finish(doc)
}

/// Takes the removed security schemes out of every security requirement (the document's and
/// each operation's). An alternative left empty needs no credentials from the client, which is
/// right for `mutualTLS`: the certificate is the TLS layer's business.
fn strip_requirements(doc: &mut Map<String, Value>, removed: &BTreeSet<String>) {
    let strip = |security: Option<&mut Value>| {
        for alternative in security.and_then(Value::as_array_mut).into_iter().flatten() {
            if let Value::Object(names) = alternative {
                names.retain(|name, _| !removed.contains(name));
            }
        }
    };
    strip(doc.get_mut("security"));
    for key in ["paths", "webhooks", "x-webhooks"] {
        let Some(Value::Object(items)) = doc.get_mut(key) else {
            continue;
        };
        for item in items.values_mut() {
            for op in item
                .as_object_mut()
                .into_iter()
                .flat_map(|i| i.values_mut())
            {
                strip(op.get_mut("security"));
            }
        }
    }
}

/// The places path items can be, as (container key path, is under `components`).
const PATH_ITEM_MAPS: [&[&str]; 4] = [
    &["paths"],
    &["webhooks"],
    &["x-webhooks"],
    &["components", "pathItems"],
];

/// A path item's content copied from the targets of its `$ref` chain: each key with its
/// value and the place it was written at.
type PathItemContent = Vec<(String, Value, Pointer)>;

/// Every path item that is a local `$ref`, with what its chain of references leads to (the
/// nearest target's keys first): (its place, the content to copy).
fn path_item_targets(doc: &Value) -> Vec<(Vec<String>, PathItemContent)> {
    let mut found = Vec::new();
    for keys in PATH_ITEM_MAPS {
        let mut map = Some(doc);
        for k in keys {
            map = map.and_then(|m| m.get(*k));
        }
        let Some(map) = map.and_then(Value::as_object) else {
            continue;
        };
        for (name, item) in map {
            let mut content: PathItemContent = Vec::new();
            let mut current = item;
            let mut resolved = false;
            let mut followed = false;
            for _ in 0..MAX_CHAIN {
                let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                    resolved = true;
                    break;
                };
                let Some(path) = local_pointer(reference) else {
                    break;
                };
                let Some(target_value) = doc.pointer(&path) else {
                    break;
                };
                let Some(target) = target_value.as_object() else {
                    break;
                };
                let target_at = Pointer::from_fragment(&format!("#{path}"));
                for (k, v) in target {
                    if k != "$ref" && !content.iter().any(|(c, _, _)| c == k) {
                        content.push((k.clone(), v.clone(), target_at.push(k)));
                    }
                }
                current = target_value;
                followed = true;
            }
            // A reference to another file, or one that leads nowhere, stays: `lower` says so.
            if resolved && followed {
                let mut at: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
                at.push(name.clone());
                found.push((at, content));
            }
        }
    }
    found
}

/// Longest chain of `$ref` to `$ref` followed.
const MAX_CHAIN: usize = 64;

/// Keywords beside a `$ref` that only describe it: a `$ref` with only these stays a plain
/// `$ref` (`lower` reads the description beside it).
const PROSE: [&str; 6] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "$comment",
];

/// Keywords of a member that its parent's own value replaces when the member is merged into
/// the parent (the parent's description describes the whole).
const PARENT_WINS: [&str; 10] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "$comment",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// JSON Schema keywords with no 3.0 counterpart: removed, with what that means.
const UNMAPPED: [(&str, &str); 18] = [
    (
        "if",
        "conditional schemas (`if`/`then`/`else`) are not supported: removed, the condition is not checked",
    ),
    (
        "then",
        "conditional schemas (`if`/`then`/`else`) are not supported: removed, the condition is not checked",
    ),
    (
        "else",
        "conditional schemas (`if`/`then`/`else`) are not supported: removed, the condition is not checked",
    ),
    (
        "dependentSchemas",
        "`dependentSchemas` is not supported: removed, the schemas that apply when a property is present are not checked",
    ),
    (
        "dependentRequired",
        "`dependentRequired` is not supported: removed, properties it makes required stay optional",
    ),
    (
        "dependencies",
        "`dependencies` is not supported: removed, the schemas and properties that apply when a property is present are not checked",
    ),
    (
        "unevaluatedItems",
        "`unevaluatedItems` is not supported: removed, extra items are not checked",
    ),
    (
        "additionalItems",
        "`additionalItems` is not supported: removed, extra items are not checked",
    ),
    (
        "contains",
        "`contains` is not supported: removed, the constraint on some items is not checked",
    ),
    (
        "minContains",
        "`minContains` is not supported: removed, the constraint on some items is not checked",
    ),
    (
        "maxContains",
        "`maxContains` is not supported: removed, the constraint on some items is not checked",
    ),
    (
        "propertyNames",
        "`propertyNames` is not supported: removed, property names are not checked",
    ),
    (
        "$dynamicRef",
        "`$dynamicRef` is not supported: removed, the schema it names is not applied",
    ),
    (
        "$recursiveRef",
        "`$recursiveRef` is not supported: removed, the schema it names is not applied",
    ),
    (
        "$dynamicAnchor",
        "anchors are not supported: `$dynamicAnchor` removed; refer to schemas by JSON pointer",
    ),
    (
        "$anchor",
        "anchors are not supported: `$anchor` removed; refer to schemas by JSON pointer",
    ),
    (
        "$id",
        "`$id` is not supported: removed; `$ref`s are resolved against the document, not against this id",
    ),
    (
        "contentSchema",
        "`contentSchema` is not supported: removed, the decoded content is not typed",
    ),
];

/// Keywords removed without a word: they change nothing the generator reads.
const SILENT: [&str; 3] = ["$schema", "$vocabulary", "$recursiveAnchor"];

/// The keywords that apply to one JSON type, moved into its member when a list of types
/// becomes a `oneOf`.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &[
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
            "propertyNames",
            "unevaluatedProperties",
            "dependentRequired",
            "dependentSchemas",
        ],
        _ => &[],
    }
}

/// Whether a value of `enum` belongs to the JSON type `ty`.
fn value_has_type(v: &Value, ty: &str) -> bool {
    match ty {
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Whether a `format` belongs to numbers rather than strings.
fn numeric_format(format: &str) -> bool {
    matches!(format, "int32" | "int64" | "float" | "double")
}

/// A member of `anyOf`/`oneOf` that only allows `null`.
fn is_null_schema(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let null_type = match obj.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    };
    let null_value = obj.get("const").is_some_and(Value::is_null)
        || obj
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null));
    (null_type || null_value)
        && obj
            .keys()
            .all(|k| PROSE.contains(&k.as_str()) || matches!(k.as_str(), "type" | "const" | "enum"))
}

/// Whether a media type is text (a string that holds it needs no format; a response of it is
/// read whole as text, not handed over as a stream of bytes).
pub(crate) fn textual_media_type(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || [
            "/json",
            "+json",
            "/xml",
            "+xml",
            "/yaml",
            "+yaml",
            "/x-yaml",
            "/x-www-form-urlencoded",
            "/javascript",
        ]
        .iter()
        .any(|suffix| media.ends_with(suffix))
}

/// A `$defs` scope: an enclosing schema (its place in the rewritten document) and the names
/// its `$defs` holds.
type DefsScope = (Pointer, BTreeSet<String>);

struct Walker {
    v31: bool,
    warnings: Diagnostics,
    origins: Origins,
    /// The names under the document's own `$defs`.
    root_defs: BTreeSet<String>,
    /// Security schemes removed (`mutualTLS`), to be taken out of security requirements.
    removed_schemes: BTreeSet<String>,
}

impl Walker {
    /// Warns at `at` (a place in the rewritten document), named in the user's document.
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        let original = self.origins.original(at.as_str());
        self.warnings.warning(original, message);
    }

    /// Records that what is now at `now` was at `was` (a place in the rewritten document
    /// before the move).
    fn moved(&mut self, now: &Pointer, was: &Pointer) {
        let original = self.origins.original(was.as_str());
        self.origins.record(now.as_str(), original);
    }

    fn finish(self, doc: Value) -> Rewritten {
        Rewritten {
            value: doc,
            warnings: self.warnings,
            origins: self.origins,
        }
    }

    /// Copies the content of a `$ref`'d path item into its place (siblings written beside the
    /// `$ref` win), recording where each copied key came from.
    fn inline_path_item(
        &mut self,
        root: &mut Map<String, Value>,
        keys: &[String],
        content: PathItemContent,
    ) {
        let Some((first, rest)) = keys.split_first() else {
            return;
        };
        let mut at = Pointer::root().push(first);
        let mut here = root.get_mut(first.as_str());
        for k in rest {
            at = at.push(k);
            here = here.and_then(|v| v.get_mut(k.as_str()));
        }
        let Some(Value::Object(item)) = here else {
            return;
        };
        item.shift_remove("$ref");
        for (k, v, was) in content {
            if !item.contains_key(&k) {
                self.origins.record(at.push(&k).as_str(), was.as_str());
                item.insert(k, v);
            }
        }
    }

    fn components(&mut self, components: &mut Map<String, Value>, at: &Pointer) {
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            let at = at.push(kind);
            if kind == "securitySchemes" && self.v31 {
                let tls: Vec<String> = entries
                    .iter()
                    .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                    .map(|(k, _)| k.clone())
                    .collect();
                for name in tls {
                    self.warn(&at.push(&name), "security scheme type `mutualTLS` is not supported: the scheme is skipped, and security requirements that name it need nothing else from the client (configure the client certificate on a `reqwest::Client` given to `ClientBuilder::http_client`)");
                    entries.shift_remove(&name);
                    self.removed_schemes.insert(name);
                }
                continue;
            }
            for (name, entry) in entries.iter_mut() {
                let here = at.push(name);
                match kind.as_str() {
                    "schemas" => self.schema(entry, &here, &mut Vec::new()),
                    "responses" => self.response(entry, &here),
                    "parameters" | "headers" => self.parameter(entry, &here),
                    "requestBodies" => self.content_holder(entry, &here),
                    "callbacks" => self.callback(entry, &here),
                    "pathItems" => self.path_item(entry, &here),
                    _ => {}
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        let Value::Object(item) = item else {
            return;
        };
        for (key, value) in item.iter_mut() {
            let here = at.push(key);
            match key.as_str() {
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                    self.operation(value, &here)
                }
                "parameters" => {
                    for (i, p) in value.as_array_mut().into_iter().flatten().enumerate() {
                        self.parameter(p, &here.push(i.to_string()));
                    }
                }
                _ => {}
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &Pointer) {
        let Value::Object(op) = op else {
            return;
        };
        if self.v31 && !op.contains_key("responses") {
            op.insert("responses".to_owned(), Value::Object(Map::new()));
        }
        for (key, value) in op.iter_mut() {
            let here = at.push(key);
            match key.as_str() {
                "parameters" => {
                    for (i, p) in value.as_array_mut().into_iter().flatten().enumerate() {
                        self.parameter(p, &here.push(i.to_string()));
                    }
                }
                "requestBody" => self.content_holder(value, &here),
                "responses" => {
                    for (code, r) in value.as_object_mut().into_iter().flatten() {
                        self.response(r, &here.push(code));
                    }
                }
                "callbacks" => {
                    for (name, c) in value.as_object_mut().into_iter().flatten() {
                        self.callback(c, &here.push(name));
                    }
                }
                _ => {}
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &Pointer) {
        for (expression, item) in callback.as_object_mut().into_iter().flatten() {
            self.path_item(item, &at.push(expression));
        }
    }

    fn response(&mut self, response: &mut Value, at: &Pointer) {
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
            let here = at.push("headers");
            for (name, h) in headers.iter_mut() {
                self.parameter(h, &here.push(name));
            }
        }
        self.content_holder(response, at);
    }

    /// A parameter or a header: `schema`, or `content`.
    fn parameter(&mut self, p: &mut Value, at: &Pointer) {
        if let Some(schema) = p.get_mut("schema") {
            self.schema(schema, &at.push("schema"), &mut Vec::new());
        }
        self.content_holder(p, at);
    }

    /// An object with `content` (a request body, a response, a parameter).
    fn content_holder(&mut self, holder: &mut Value, at: &Pointer) {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        let at = at.push("content");
        for (media, mt) in content.iter_mut() {
            // OpenAPI 3.2's schema of each item of a sequential media type (the events of
            // `text/event-stream`), written early into 3.0 and 3.1 documents: read as the
            // schema, which the body lowering reads the same way.
            if let Some(obj) = mt.as_object_mut() {
                if !obj.contains_key("schema") {
                    if let Some(item) = obj.shift_remove("itemSchema") {
                        obj.insert("schema".to_owned(), item);
                        let here = at.push(media);
                        self.moved(&here.push("schema"), &here.push("itemSchema"));
                    }
                }
            }
            if let Some(schema) = mt.get_mut("schema") {
                self.schema(schema, &at.push(media).push("schema"), &mut Vec::new());
            }
        }
    }

    /// Rewrites one schema and, after it, the schemas inside it.
    fn schema(&mut self, schema: &mut Value, at: &Pointer, scopes: &mut Vec<DefsScope>) {
        if self.v31 {
            if let Value::Bool(b) = schema {
                let mut obj = Map::new();
                if !*b {
                    obj.insert("not".to_owned(), Value::Object(Map::new()));
                }
                *schema = Value::Object(obj);
            }
        }
        let Value::Object(obj) = schema else {
            return;
        };
        if !self.reference(obj, at, scopes) {
            return;
        }
        if self.v31 {
            self.rewrite_keywords(obj, at);
        }
        self.integer_bounds(obj, at);
        self.children(obj, at, scopes);
    }

    /// A schema's `$ref`: recorded, pointed at the right `$defs`, and in a 3.1 document given
    /// its siblings. Gives whether the rest of the schema is to be rewritten (there is more
    /// than the `$ref`).
    fn reference(
        &mut self,
        obj: &mut Map<String, Value>,
        at: &Pointer,
        scopes: &[DefsScope],
    ) -> bool {
        let Some(Value::String(reference)) = obj.get_mut("$ref") else {
            return true;
        };
        if self.v31 {
            if let Some(name) = reference.strip_prefix("#/$defs/") {
                // A schema written for JSON Schema tools (Pydantic, say) names its `$defs` from
                // its own root; with no `$defs` at the document's root, the nearest enclosing
                // schema that has one is meant.
                let unescaped = name.replace("~1", "/").replace("~0", "~");
                if !self.root_defs.contains(&unescaped) {
                    if let Some((scope, _)) = scopes
                        .iter()
                        .rev()
                        .find(|(_, names)| names.contains(&unescaped))
                    {
                        *reference = format!("{}/$defs/{name}", scope.as_str());
                    }
                }
            }
        }
        let siblings: Vec<String> = obj.keys().filter(|k| *k != "$ref").cloned().collect();
        if !self.v31 || siblings.iter().all(|k| PROSE.contains(&k.as_str())) {
            // 3.0 ignores a `$ref`'s siblings; prose beside it describes this use.
            return false;
        }
        // Other keywords beside a `$ref` (3.1 applies both): the reference becomes a member of
        // `allOf`, which `lower` merges with them, and stays the type when nothing else adds
        // members. The new member maps back to the object that held the `$ref`.
        let Some(r) = obj.shift_remove("$ref") else {
            return true;
        };
        let mut member = Map::new();
        member.insert("$ref".to_owned(), r);
        self.push_all_of(obj, at, Value::Object(member), at);
        true
    }

    /// Appends `member` to the schema's `allOf` (made when absent), recording that it was at
    /// `was`.
    fn push_all_of(
        &mut self,
        obj: &mut Map<String, Value>,
        at: &Pointer,
        member: Value,
        was: &Pointer,
    ) {
        if !matches!(obj.get("allOf"), Some(Value::Array(_))) {
            obj.insert("allOf".to_owned(), Value::Array(Vec::new()));
        }
        let Some(Value::Array(list)) = obj.get_mut("allOf") else {
            return;
        };
        let now = at.push("allOf").push(list.len().to_string());
        list.push(member);
        self.moved(&now, was);
    }

    /// The 3.1 keywords of one schema, rewritten in place.
    fn rewrite_keywords(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        for keyword in ["anyOf", "oneOf"] {
            if self.null_members(obj, at, keyword) {
                // A member was merged into this schema: its keywords get rewritten too.
                return self.rewrite_keywords(obj, at);
            }
        }
        self.constant(obj, at);
        self.type_list(obj, at);
        if let Some(examples) = obj.shift_remove("examples") {
            if let Some(first) = examples.as_array().and_then(|e| e.first()) {
                if !obj.contains_key("example") {
                    obj.insert("example".to_owned(), first.clone());
                    self.moved(&at.push("example"), &at.push("examples").push("0"));
                }
            }
        }
        self.exclusive_bounds(obj, at);
        self.content(obj, at);
        self.tuple(obj, at);
        self.extra_keys(obj, at);
        for (keyword, message) in UNMAPPED {
            if obj.contains_key(keyword) {
                self.warn(&at.push(keyword), message);
                obj.shift_remove(keyword);
            }
        }
        for keyword in SILENT {
            obj.shift_remove(keyword);
        }
    }

    /// `anyOf`/`oneOf` members that only allow `null` become `nullable: true`. Gives whether
    /// the one member left was merged into this schema.
    fn null_members(&mut self, obj: &mut Map<String, Value>, at: &Pointer, keyword: &str) -> bool {
        let Some(Value::Array(members)) = obj.get(keyword) else {
            return false;
        };
        if !members.iter().any(is_null_schema) {
            return false;
        }
        let Some(Value::Array(members)) = obj.shift_remove(keyword) else {
            return false;
        };
        obj.insert("nullable".to_owned(), Value::Bool(true));
        let kept: Vec<(usize, Value)> = members
            .into_iter()
            .enumerate()
            .filter(|(_, m)| !is_null_schema(m))
            .collect();
        let list_at = at.push(keyword);
        match kept.len() {
            0 => false,
            1 => {
                let Some((i, member)) = kept.into_iter().next() else {
                    return false;
                };
                let was = list_at.push(i.to_string());
                match member {
                    Value::Object(m) if !m.contains_key("$ref") && mergeable(obj, &m) => {
                        // `anyOf: [{type: string}, {type: "null"}]`: the member's keywords
                        // join this schema (which keeps its own prose and default).
                        for (k, v) in m {
                            if !obj.contains_key(&k) {
                                self.moved(&at.push(&k), &was.push(&k));
                                obj.insert(k, v);
                            }
                        }
                        true
                    }
                    // A `$ref` (or a member that cannot merge): `allOf: [member]`, which keeps
                    // the member's type.
                    member => {
                        self.push_all_of(obj, at, member, &was);
                        false
                    }
                }
            }
            _ => {
                let mut list = Vec::new();
                for (j, (i, member)) in kept.into_iter().enumerate() {
                    if i != j {
                        self.moved(&list_at.push(j.to_string()), &list_at.push(i.to_string()));
                    }
                    list.push(member);
                }
                obj.insert(keyword.to_owned(), Value::Array(list));
                false
            }
        }
    }

    /// `const: v` becomes `enum: [v]` (with the type of `v` when the schema has none).
    fn constant(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let Some(value) = obj.shift_remove("const") else {
            return;
        };
        if value.is_null() {
            obj.insert("nullable".to_owned(), Value::Bool(true));
            return;
        }
        if !obj.contains_key("type") {
            let ty = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(ty) = ty {
                obj.insert("type".to_owned(), Value::String(ty.to_owned()));
                self.moved(&at.push("type"), &at.push("const"));
            }
        }
        obj.insert("enum".to_owned(), Value::Array(vec![value]));
        self.moved(&at.push("enum"), &at.push("const"));
    }

    /// `type: [T, "null"]` becomes `type: T, nullable: true`; several types, a `oneOf` of one
    /// schema per type.
    fn type_list(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let types: Vec<String> = match obj.get("type") {
            // A list that is not of type names is left for the parser to report.
            Some(Value::Array(list)) if list.iter().all(Value::is_string) => {
                let mut seen = Vec::new();
                for t in list.iter().filter_map(Value::as_str) {
                    if !seen.iter().any(|s| s == t) {
                        seen.push(t.to_owned());
                    }
                }
                seen
            }
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            _ => return,
        };
        let original_index = |t: &str| match obj.get("type") {
            Some(Value::Array(list)) => list.iter().position(|v| v == t),
            _ => None,
        };
        let positions: Vec<Option<usize>> = types.iter().map(|t| original_index(t)).collect();
        if types.iter().any(|t| t == "null") {
            obj.insert("nullable".to_owned(), Value::Bool(true));
        }
        let rest: Vec<(String, Option<usize>)> = types
            .into_iter()
            .zip(positions)
            .filter(|(t, _)| t != "null")
            .collect();
        match rest.len() {
            0 => {
                obj.shift_remove("type");
            }
            1 => {
                obj.insert("type".to_owned(), Value::String(rest[0].0.clone()));
            }
            _ if obj.contains_key("oneOf") || obj.contains_key("anyOf") => {
                let listed: Vec<&str> = rest.iter().map(|(t, _)| t.as_str()).collect();
                self.warn(
                    &at.push("type"),
                    format!(
                        "a list of types ({}) beside `oneOf`/`anyOf` is not supported: the type is not checked",
                        listed.join(", ")
                    ),
                );
                obj.shift_remove("type");
            }
            _ => self.split_types(obj, at, rest),
        }
    }

    /// `type: [string, integer]` (with their keywords) becomes `oneOf: [{type: string, ...},
    /// {type: integer, ...}]`; each member maps back to its entry in the list of types, and
    /// each keyword to where it was written.
    fn split_types(
        &mut self,
        obj: &mut Map<String, Value>,
        at: &Pointer,
        types: Vec<(String, Option<usize>)>,
    ) {
        obj.shift_remove("type");
        let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
        let values = obj.get("enum").and_then(Value::as_array).cloned();
        let mut moved_keys: BTreeSet<String> = BTreeSet::new();
        let mut members = Vec::new();
        for (ty, position) in &types {
            let mut member = Map::new();
            member.insert("type".to_owned(), Value::String(ty.clone()));
            let member_at = at.push("oneOf").push(members.len().to_string());
            if let Some(values) = &values {
                let own: Vec<Value> = values
                    .iter()
                    .filter(|v| value_has_type(v, ty))
                    .cloned()
                    .collect();
                if own.is_empty() {
                    // No allowed value of this type: no member for it.
                    continue;
                }
                member.insert("enum".to_owned(), Value::Array(own));
                self.moved(&member_at.push("enum"), &at.push("enum"));
                moved_keys.insert("enum".to_owned());
            }
            if let Some(f) = &format {
                let numeric = matches!(ty.as_str(), "integer" | "number");
                if numeric == numeric_format(f)
                    && matches!(ty.as_str(), "string" | "integer" | "number")
                {
                    member.insert("format".to_owned(), Value::String(f.clone()));
                    self.moved(&member_at.push("format"), &at.push("format"));
                    moved_keys.insert("format".to_owned());
                }
            }
            for k in keywords_of(ty) {
                if let Some(v) = obj.get(*k) {
                    member.insert((*k).to_owned(), v.clone());
                    self.moved(&member_at.push(k), &at.push(k));
                    moved_keys.insert((*k).to_owned());
                }
            }
            match position {
                Some(p) => self.moved(&member_at, &at.push("type").push(p.to_string())),
                None => self.moved(&member_at, &at.push("type")),
            }
            members.push(Value::Object(member));
        }
        for k in moved_keys {
            obj.shift_remove(&k);
        }
        obj.insert("oneOf".to_owned(), Value::Array(members));
    }

    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` become the 3.0 bound and flag.
    fn exclusive_bounds(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        for (exclusive, bound, lower) in [
            ("exclusiveMinimum", "minimum", true),
            ("exclusiveMaximum", "maximum", false),
        ] {
            let Some(Value::Number(n)) = obj.get(exclusive).cloned() else {
                continue;
            };
            let tighter = match obj.get(bound).and_then(Value::as_f64) {
                None => true,
                Some(b) => {
                    let x = n.as_f64().unwrap_or_default();
                    if lower { x >= b } else { x <= b }
                }
            };
            if tighter {
                obj.insert(bound.to_owned(), Value::Number(n));
                obj.insert(exclusive.to_owned(), Value::Bool(true));
                self.moved(&at.push(bound), &at.push(exclusive));
            } else {
                obj.shift_remove(exclusive);
            }
        }
    }

    /// `contentEncoding: base64` becomes `format: byte`; a `contentMediaType` that is not
    /// text, `format: binary`.
    fn content(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let encoding = obj.shift_remove("contentEncoding");
        let media = obj.shift_remove("contentMediaType");
        let format = match (&encoding, &media) {
            (Some(Value::String(e)), _) => {
                if matches!(e.to_ascii_lowercase().as_str(), "base64" | "base64url") {
                    Some(("byte", "contentEncoding"))
                } else {
                    self.warn(
                        &at.push("contentEncoding"),
                        format!("`contentEncoding: {e}` is not supported: the value is kept as the encoded text"),
                    );
                    None
                }
            }
            (None, Some(Value::String(m))) if !textual_media_type(m) => {
                Some(("binary", "contentMediaType"))
            }
            _ => None,
        };
        if let Some((format, from)) = format {
            if !obj.contains_key("format") {
                obj.insert("format".to_owned(), Value::String(format.to_owned()));
                self.moved(&at.push("format"), &at.push(from));
            }
        }
    }

    /// `prefixItems` (a tuple) becomes `items` that is any of the item schemas.
    fn tuple(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let Some(prefix) = obj.shift_remove("prefixItems") else {
            return;
        };
        let Value::Array(prefix) = prefix else {
            return;
        };
        let prefix_at = at.push("prefixItems");
        let mut members: Vec<(Value, Pointer)> = Vec::new();
        for (i, item) in prefix.into_iter().enumerate() {
            if !members.iter().any(|(m, _)| *m == item) {
                members.push((item, prefix_at.push(i.to_string())));
            }
        }
        // The schema of the items after the tuple, if it has one.
        if let Some(rest @ Value::Object(_)) = obj.shift_remove("items") {
            if !members.iter().any(|(m, _)| *m == rest) {
                members.push((rest, at.push("items")));
            }
        }
        let items_at = at.push("items");
        let message = match members.len() {
            0 => return,
            1 => {
                let Some((item, was)) = members.pop() else {
                    return;
                };
                obj.insert("items".to_owned(), item);
                self.moved(&items_at, &was);
                "a tuple (`prefixItems`) is read as a list of its one item schema: the number of items is not checked"
            }
            _ => {
                let mut list = Vec::new();
                self.moved(&items_at, &prefix_at);
                for (j, (item, was)) in members.into_iter().enumerate() {
                    self.moved(&items_at.push("oneOf").push(j.to_string()), &was);
                    list.push(item);
                }
                let mut items = Map::new();
                items.insert("oneOf".to_owned(), Value::Array(list));
                obj.insert("items".to_owned(), Value::Object(items));
                "a tuple (`prefixItems`) is read as a list whose items are any of its item schemas (`oneOf`): the position of each item is not checked"
            }
        };
        self.warn(&prefix_at, message);
    }

    /// `patternProperties` and `unevaluatedProperties` become `additionalProperties` where
    /// there is none (the extra keys are kept as a map).
    fn extra_keys(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        if let Some(patterns) = obj.shift_remove("patternProperties") {
            let here = at.push("patternProperties");
            let open = match obj.get("additionalProperties") {
                None | Some(Value::Bool(false)) => true,
                Some(_) => false,
            };
            let schemas: Vec<(&String, &Value)> =
                patterns.as_object().into_iter().flatten().collect();
            if open && !schemas.is_empty() {
                let first = schemas[0].1;
                if schemas.iter().all(|(_, s)| *s == first) {
                    obj.insert("additionalProperties".to_owned(), first.clone());
                    self.moved(&at.push("additionalProperties"), &here.push(schemas[0].0));
                } else {
                    obj.insert("additionalProperties".to_owned(), Value::Bool(true));
                    self.moved(&at.push("additionalProperties"), &here);
                }
                self.warn(&here, "`patternProperties` is read as `additionalProperties`: the extra keys are kept as a map, their pattern is not checked");
            } else {
                self.warn(&here, "`patternProperties` is not supported beside `additionalProperties`: removed, the keys it names are read by `additionalProperties`");
            }
        }
        if let Some(unevaluated) = obj.shift_remove("unevaluatedProperties") {
            let here = at.push("unevaluatedProperties");
            if unevaluated == Value::Bool(false) {
                self.warn(&here, "`unevaluatedProperties: false` is not supported: removed, unknown properties are ignored when decoding");
            } else if obj.contains_key("additionalProperties") {
                self.warn(&here, "`unevaluatedProperties` is not supported beside `additionalProperties`: removed, the extra keys are read by `additionalProperties`");
            } else {
                obj.insert("additionalProperties".to_owned(), unevaluated);
                self.moved(&at.push("additionalProperties"), &here);
                self.warn(&here, "`unevaluatedProperties` is read as `additionalProperties`: the extra keys are kept as a map");
            }
        }
    }

    /// A bound of an integer schema that is not a 64-bit integer (the document model cannot
    /// hold it) is removed.
    fn integer_bounds(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        if obj.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for keyword in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(n)) = obj.get(keyword) else {
                continue;
            };
            if n.is_i64() {
                continue;
            }
            // A whole number written out in full, as the user wrote it (not `-9.2e+18`).
            let written = match n.as_f64() {
                Some(f) if f.fract() == 0.0 && !n.is_u64() => format!("{f}"),
                _ => n.to_string(),
            };
            let message = format!(
                "`{keyword}: {written}` is not a 64-bit integer: removed, the bound is not checked"
            );
            self.warn(&at.push(keyword), message);
            obj.shift_remove(keyword);
        }
    }

    /// The schemas inside a schema.
    fn children(
        &mut self,
        obj: &mut Map<String, Value>,
        at: &Pointer,
        scopes: &mut Vec<DefsScope>,
    ) {
        let defs: Option<BTreeSet<String>> = obj
            .get("$defs")
            .and_then(Value::as_object)
            .map(|d| d.keys().cloned().collect());
        let pushed = defs.is_some();
        if let Some(names) = defs {
            scopes.push((at.clone(), names));
        }
        for (key, value) in obj.iter_mut() {
            let here = at.push(key);
            match key.as_str() {
                "properties" | "$defs" | "definitions" | "patternProperties" => {
                    for (name, s) in value.as_object_mut().into_iter().flatten() {
                        self.schema(s, &here.push(name), scopes);
                    }
                }
                "items" | "not" => self.schema(value, &here, scopes),
                "additionalProperties" if value.is_object() => self.schema(value, &here, scopes),
                "allOf" | "anyOf" | "oneOf" => {
                    for (i, s) in value.as_array_mut().into_iter().flatten().enumerate() {
                        self.schema(s, &here.push(i.to_string()), scopes);
                    }
                }
                _ => {}
            }
        }
        if pushed {
            scopes.pop();
        }
    }
}

/// Whether the member of a union can be merged into its parent: no keyword of both, other
/// than the parent's prose and default.
fn mergeable(parent: &Map<String, Value>, member: &Map<String, Value>) -> bool {
    member
        .keys()
        .all(|k| !parent.contains_key(k) || PARENT_WINS.contains(&k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Rewrites a 3.1 document whose `components.schemas.S` is `schema`; gives the rewritten
    /// schema, the warnings (one a line) and the origins.
    fn schema31(schema: Value) -> (Value, String, Origins) {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": schema}},
        });
        let out = rewrite(doc, true);
        (
            out.value["components"]["schemas"]["S"].clone(),
            out.warnings.to_string(),
            out.origins,
        )
    }

    const S: &str = "#/components/schemas/S";

    #[test]
    fn document_level_fields() {
        let doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"made": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}},
            "security": [{"tls": [], "bearer": []}],
            "components": {"securitySchemes": {
                "tls": {"type": "mutualTLS"},
                "bearer": {"type": "http", "scheme": "bearer"},
            }},
        });
        let out = rewrite(doc, true);
        let v = &out.value;
        assert_eq!(v["openapi"], "3.0.3");
        assert_eq!(v["paths"], json!({}));
        assert_eq!(
            v["info"]["summary"], "s",
            "kept; the typed model ignores it"
        );
        assert_eq!(
            v["jsonSchemaDialect"],
            "https://spec.openapis.org/oas/3.1/dialect/base"
        );
        let webhook = &v["webhooks"]["made"]["post"];
        assert_eq!(
            webhook["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true}),
            "webhooks stay, rewritten"
        );
        assert_eq!(
            webhook["responses"],
            json!({}),
            "3.1 operations may omit responses"
        );
        assert_eq!(
            v["components"]["securitySchemes"],
            json!({"bearer": {"type": "http", "scheme": "bearer"}})
        );
        assert_eq!(
            out.warnings.to_string(),
            "warning: #/components/securitySchemes/tls: security scheme type `mutualTLS` is not supported: the scheme is skipped, and security requirements that name it need nothing else from the client (configure the client certificate on a `reqwest::Client` given to `ClientBuilder::http_client`)\n"
        );
        assert_eq!(
            v["security"],
            json!([{"bearer": []}]),
            "requirements no longer name the removed scheme"
        );
        assert!(out.origins.is_empty());
    }

    #[test]
    fn type_lists() {
        let (s, w, _) = schema31(json!({"type": ["string", "null"], "format": "date"}));
        assert_eq!(
            s,
            json!({"type": "string", "format": "date", "nullable": true})
        );
        assert_eq!(w, "");
        let (s, _, _) = schema31(json!({"type": ["null"]}));
        assert_eq!(s, json!({"nullable": true}));
        let (s, _, _) = schema31(json!({"type": "null", "description": "nothing"}));
        assert_eq!(s, json!({"description": "nothing", "nullable": true}));
    }

    #[test]
    fn several_types_become_a_one_of_with_their_keywords() {
        let (s, w, o) = schema31(json!({
            "type": ["string", "integer", "array", "null"],
            "maxLength": 3,
            "minimum": 1,
            "format": "int64",
            "items": {"type": "boolean"},
            "description": "d",
        }));
        assert_eq!(
            s,
            json!({
                "description": "d",
                "nullable": true,
                "oneOf": [
                    {"type": "string", "maxLength": 3},
                    {"type": "integer", "format": "int64", "minimum": 1},
                    {"type": "array", "items": {"type": "boolean"}},
                ],
            })
        );
        assert_eq!(w, "");
        assert_eq!(o.original(&format!("{S}/oneOf/1")), format!("{S}/type/1"));
        assert_eq!(
            o.original(&format!("{S}/oneOf/2/items/type")),
            format!("{S}/items/type")
        );
        assert_eq!(
            o.original(&format!("{S}/oneOf/1/format")),
            format!("{S}/format")
        );
    }

    #[test]
    fn a_type_list_beside_one_of_is_dropped_with_a_warning() {
        let (s, w, _) = schema31(
            json!({"type": ["string", "integer"], "oneOf": [{"minLength": 1}, {"minimum": 1}]}),
        );
        assert_eq!(s, json!({"oneOf": [{"minLength": 1}, {"minimum": 1}]}));
        assert_eq!(
            w,
            format!(
                "warning: {S}/type: a list of types (string, integer) beside `oneOf`/`anyOf` is not supported: the type is not checked\n"
            )
        );
    }

    #[test]
    fn fastapi_optional_members_become_nullable() {
        // Optional[str] with a default: the member merges into its parent.
        let (s, w, o) = schema31(
            json!({"anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}], "title": "Name", "default": null}),
        );
        assert_eq!(
            s,
            json!({"title": "Name", "default": null, "nullable": true, "type": "string", "maxLength": 5})
        );
        assert_eq!(w, "");
        assert_eq!(
            o.original(&format!("{S}/maxLength")),
            format!("{S}/anyOf/0/maxLength")
        );
        // Optional[Item]: `allOf: [{$ref}]`, which keeps the type `Item`.
        let (s, _, o) = schema31(
            json!({"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}], "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Item"}]})
        );
        assert_eq!(o.original(&format!("{S}/allOf/0")), format!("{S}/anyOf/0"));
        // `null` first, in `oneOf`, with two members left: the list stays, without it.
        let (s, _, o) =
            schema31(json!({"oneOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}]}));
        assert_eq!(
            s,
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            o.original(&format!("{S}/oneOf/1/type")),
            format!("{S}/oneOf/2/type")
        );
        // The merged member's own 3.1 keywords are rewritten too.
        let (s, _, _) = schema31(json!({"anyOf": [{"const": "on"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"nullable": true, "type": "string", "enum": ["on"]})
        );
        // A member that cannot merge (both have `properties`) is wrapped.
        let (s, _, _) = schema31(
            json!({"properties": {"a": {}}, "anyOf": [{"properties": {"b": {}}}, {"type": "null"}]}),
        );
        assert_eq!(
            s,
            json!({"properties": {"a": {}}, "nullable": true, "allOf": [{"properties": {"b": {}}}]})
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds() {
        let (s, w, o) = schema31(json!({"const": "cat", "examples": ["cat", "dog"]}));
        assert_eq!(
            s,
            json!({"type": "string", "enum": ["cat"], "example": "cat"})
        );
        assert_eq!(w, "");
        assert_eq!(o.original(&format!("{S}/enum/0")), format!("{S}/const/0"));
        let (s, _, _) = schema31(json!({"type": "integer", "const": 3}));
        assert_eq!(s, json!({"type": "integer", "enum": [3]}));
        let (s, _, o) = schema31(
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 10, "exclusiveMaximum": 20}),
        );
        assert_eq!(
            s,
            json!({"type": "number", "exclusiveMinimum": true, "maximum": 10, "minimum": 0})
        );
        assert_eq!(
            o.original(&format!("{S}/minimum")),
            format!("{S}/exclusiveMinimum")
        );
    }

    #[test]
    fn ref_siblings() {
        // Prose only: the plain `$ref` stays (`lower` reads the description beside it).
        let (s, w, o) = schema31(json!({"$ref": "#/components/schemas/T", "description": "d"}));
        assert_eq!(
            s,
            json!({"$ref": "#/components/schemas/T", "description": "d"})
        );
        assert_eq!(w, "");
        assert!(o.is_empty());
        // Other keywords: `allOf: [{$ref}]` beside them; the member maps to the object.
        let (s, _, o) = schema31(
            json!({"$ref": "#/components/schemas/T", "readOnly": true, "type": ["object", "null"]}),
        );
        assert_eq!(
            s,
            json!({"readOnly": true, "type": "object", "allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(o.original(&format!("{S}/allOf/0")), S);
        assert_eq!(
            o.original(&format!("{S}/allOf/0/$ref")),
            format!("{S}/$ref")
        );
    }

    #[test]
    fn defs_stay_in_place_and_root_relative_refs_find_them() {
        let (s, w, _) = schema31(json!({
            "type": "object",
            "properties": {"p": {"$ref": "#/$defs/P"}},
            "$defs": {"P": {"type": ["string", "null"]}},
        }));
        assert_eq!(
            s["properties"]["p"],
            json!({"$ref": "#/components/schemas/S/$defs/P"})
        );
        assert_eq!(s["$defs"]["P"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            w, "",
            "a reference into `$defs` is followed by `resolve`, no warning"
        );
    }

    #[test]
    fn tuples_content_and_boolean_schemas() {
        let (s, w, o) = schema31(
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}, {"type": "string"}], "items": false}),
        );
        assert_eq!(
            s,
            json!({"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}})
        );
        assert_eq!(
            w,
            format!(
                "warning: {S}/prefixItems: a tuple (`prefixItems`) is read as a list whose items are any of its item schemas (`oneOf`): the position of each item is not checked\n"
            )
        );
        assert_eq!(
            o.original(&format!("{S}/items/oneOf/1")),
            format!("{S}/prefixItems/1")
        );
        let (s, _, _) = schema31(
            json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}),
        );
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _, _) =
            schema31(json!({"type": "string", "contentMediaType": "application/octet-stream"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _, _) = schema31(json!({"type": "string", "contentMediaType": "application/json"}));
        assert_eq!(s, json!({"type": "string"}));
        let (s, _, _) =
            schema31(json!({"type": "object", "properties": {"any": true, "none": false}}));
        assert_eq!(s["properties"], json!({"any": {}, "none": {"not": {}}}));
    }

    #[test]
    fn unmapped_keywords_are_removed_with_a_warning_each() {
        let (s, w, _) = schema31(json!({
            "type": "object",
            "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "dependentRequired": {"a": ["b"]},
            "patternProperties": {"^x-": {"type": "string"}},
            "unevaluatedProperties": false,
            "propertyNames": {"maxLength": 3},
            "$schema": "https://json-schema.org/draft/2020-12/schema",
        }));
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        let lines: Vec<&str> = w.lines().collect();
        assert_eq!(
            lines,
            [
                format!(
                    "warning: {S}/dependentRequired: `dependentRequired` is not supported: removed, properties it makes required stay optional"
                ),
                format!(
                    "warning: {S}/if: conditional schemas (`if`/`then`/`else`) are not supported: removed, the condition is not checked"
                ),
                format!(
                    "warning: {S}/patternProperties: `patternProperties` is read as `additionalProperties`: the extra keys are kept as a map, their pattern is not checked"
                ),
                format!(
                    "warning: {S}/propertyNames: `propertyNames` is not supported: removed, property names are not checked"
                ),
                format!(
                    "warning: {S}/then: conditional schemas (`if`/`then`/`else`) are not supported: removed, the condition is not checked"
                ),
                format!(
                    "warning: {S}/unevaluatedProperties: `unevaluatedProperties: false` is not supported: removed, unknown properties are ignored when decoding"
                ),
            ]
        );
    }

    #[test]
    fn path_item_refs_are_copied_into_place() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "mine"}},
            "components": {"pathItems": {"A": {"summary": "theirs", "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"const": 1}}}}}}}}},
        });
        let out = rewrite(doc, true);
        assert_eq!(out.value["paths"]["/a"]["summary"], "mine");
        assert_eq!(
            out.value["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "integer", "enum": [1]})
        );
        assert_eq!(
            out.origins.original("#/paths/~1a/get/responses/200"),
            "#/components/pathItems/A/get/responses/200"
        );
    }

    #[test]
    fn three_oh_documents_only_get_their_quirks_fixed() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/b": {"$ref": "#/paths/~1a"}, "/a": {"get": {"responses": {}}}},
            "components": {"schemas": {
                "S": {"type": "integer", "minimum": -9223372036854776000.0, "maximum": 5},
                "T": {"type": ["string", "null"], "const": 1},
                "R": {"$ref": "#/components/schemas/S", "nullable": true},
                "N": {"$ref": "#/components/responses/X/content/application~1json/schema/properties/y"},
            }, "responses": {"X": {"description": "x", "content": {"application/json": {"schema": {"properties": {"y": {"type": "string"}}}}}}}},
        });
        let before = doc.clone();
        let out = rewrite(doc, false);
        assert_eq!(out.value["paths"]["/b"], before["paths"]["/a"]);
        assert_eq!(
            out.value["components"]["schemas"]["S"],
            json!({"type": "integer", "maximum": 5})
        );
        for untouched in ["T", "R", "N"] {
            assert_eq!(
                out.value["components"]["schemas"][untouched],
                before["components"]["schemas"][untouched]
            );
        }
        assert_eq!(
            out.warnings.to_string(),
            "warning: #/components/schemas/S/minimum: `minimum: -9223372036854776000` is not a 64-bit integer: removed, the bound is not checked\n"
        );
    }
}
