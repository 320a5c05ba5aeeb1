//! Stage 2, resolve: follows `$ref`s.
//!
//! Takes: a parsed document. Gives: lookups from a reference (or an inline item) to the object
//! it denotes together with the JSON pointer of that object, so that later stages can name
//! places precisely. Only local references (`#/...`) are supported; chains of references are
//! followed, and a chain that loops without reaching any content is an error.
//!
//! A schema `$ref` may point anywhere in the document, not only at `#/components/schemas/Name`:
//! into a schema nested inside a component (`#/components/schemas/A/properties/b/items`), into
//! a response's or a request body's schema, or at a `$defs` entry (which the typed document
//! model does not keep). Such targets are found once, when the resolver is made, and parsed
//! from the plain JSON; they resolve like any other schema, with their own pointer, and are
//! not component schemas (`Resolved::component` is `None`).

use crate::diagnostics::Pointer;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::collections::BTreeMap;

/// Longest chain of `$ref` to `$ref` followed before giving up.
const MAX_REF_CHAIN: usize = 64;

/// A schema position: either a reference or an inline schema.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    /// `$ref` text.
    Ref(&'a str),
    /// An inline schema.
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// A schema found by following references.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The schema.
    pub schema: &'a Schema,
    /// Where it lives (empty for an inline schema reached without a reference).
    pub pointer: String,
    /// The component key when it is a named component schema.
    pub component: Option<&'a str>,
}

/// Reference lookups over one document.
pub struct Resolver<'a> {
    api: &'a OpenAPI,
    raw: &'a serde_json::Value,
    /// Pointers of the component schemas, computed once.
    schema_pointers: indexmap::IndexMap<&'a str, String>,
    /// The targets of `$ref`s that point elsewhere than `#/components/<kind>/<name>`, by their
    /// JSON pointer (`/components/schemas/A/$defs/B`), parsed as schemas; `None` for a place
    /// that exists but is not a schema.
    nested: BTreeMap<String, Option<ReferenceOr<Schema>>>,
}

impl<'a> Resolver<'a> {
    /// Prepares lookups for `api`, whose plain JSON form is `raw`.
    pub fn new(api: &'a OpenAPI, raw: &'a serde_json::Value) -> Self {
        let schema_pointers = api
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|k| {
                let p = Pointer::root().push("components").push("schemas").push(k);
                (k.as_str(), String::from(p))
            })
            .collect();
        let mut nested = BTreeMap::new();
        nested_targets(raw, raw, &mut nested);
        Resolver {
            api,
            raw,
            schema_pointers,
            nested,
        }
    }

    /// The plain JSON at `pointer` (`#/...`), for what the typed model drops: keys beside a
    /// `$ref`, and keys in places the OpenAPI 3.0 schema does not allow.
    pub fn raw_at(&self, pointer: &str) -> Option<&'a serde_json::Value> {
        self.raw
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    }

    /// The document.
    pub fn api(&self) -> &'a OpenAPI {
        self.api
    }

    /// Component schema keys in spec order.
    pub fn component_schema_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.schema_pointers.keys().copied()
    }

    /// The component key a schema `$ref` points at, if it is a local component reference.
    pub fn schema_ref_name(reference: &str) -> Option<String> {
        let rest = reference.strip_prefix("#/components/schemas/")?;
        if rest.contains('/') {
            return None;
        }
        Some(unescape(rest))
    }

    /// Follows `r` to a schema. `at` is the pointer of `r` itself, for messages.
    pub fn schema(&'a self, r: SchemaRef<'a>, _at: &str) -> Result<Resolved<'a>, String> {
        let mut current = r;
        let mut seen: Vec<String> = Vec::new();
        let mut component: Option<&'a str> = None;
        let mut pointer: Option<String> = None;
        loop {
            match current {
                SchemaRef::Inline(schema) => {
                    return Ok(Resolved {
                        schema,
                        pointer: pointer.unwrap_or_default(),
                        component,
                    });
                }
                SchemaRef::Ref(reference) => {
                    if seen.iter().any(|s| s == reference) || seen.len() >= MAX_REF_CHAIN {
                        seen.push(reference.to_owned());
                        return Err(format!(
                            "`$ref` cycle with no content: {}",
                            seen.join(" -> ")
                        ));
                    }
                    seen.push(reference.to_owned());
                    let Some(name) = Self::schema_ref_name(reference) else {
                        // A schema somewhere else in the document.
                        let path = local_pointer(reference)
                            .filter(|p| !p.is_empty() && !is_component_ref(p))
                            .ok_or_else(|| unsupported_ref(reference, "#/components/schemas/"))?;
                        let target = match self.nested.get(&path) {
                            Some(Some(target)) => target,
                            Some(None) => {
                                return Err(format!(
                                    "`$ref` to `{reference}`, which is not a schema"
                                ));
                            }
                            None => {
                                return Err(format!(
                                    "`$ref` to `{reference}`, which does not exist in this document"
                                ));
                            }
                        };
                        component = None;
                        pointer = Some(format!("#{path}"));
                        current = SchemaRef::from(target);
                        continue;
                    };
                    let (key, target) = self
                        .api
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get_key_value(name.as_str()))
                        .ok_or_else(|| {
                            format!(
                                "`$ref` to `{reference}`, which does not exist in this document"
                            )
                        })?;
                    component = Some(key.as_str());
                    pointer = self.schema_pointers.get(key.as_str()).cloned();
                    current = SchemaRef::from(target);
                }
            }
        }
    }

    /// Follows a reference to another component kind (`parameters`, `requestBodies`,
    /// `responses`, `headers`), returning the item and its pointer.
    pub fn component<T>(
        &self,
        r: &'a ReferenceOr<T>,
        at: &Pointer,
        kind: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, Pointer), String> {
        let mut current = r;
        let mut pointer = at.clone();
        for _ in 0..MAX_REF_CHAIN {
            match current {
                ReferenceOr::Item(item) => return Ok((item, pointer)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{kind}/");
                    let name = reference
                        .strip_prefix(&prefix)
                        .filter(|n| !n.contains('/'))
                        .map(unescape)
                        .ok_or_else(|| unsupported_ref(reference, &prefix))?;
                    let target = self
                        .api
                        .components
                        .as_ref()
                        .map(&map)
                        .and_then(|m| m.get(name.as_str()))
                        .ok_or_else(|| {
                            format!(
                                "`$ref` to `{reference}`, which does not exist in this document"
                            )
                        })?;
                    pointer = Pointer::root().push("components").push(kind).push(&name);
                    current = target;
                }
            }
        }
        Err(format!(
            "`$ref` chain longer than {MAX_REF_CHAIN} or cyclic, starting at {at}"
        ))
    }
}

/// The JSON pointer (`/a/b~1c`, escapes kept) of a local reference (`#/a/b~1c`, possibly
/// percent-encoded); `None` for a reference to another file or URL.
pub fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_decode(fragment);
    (decoded.is_empty() || decoded.starts_with('/')).then_some(decoded)
}

/// Whether a local reference's pointer names a whole component (`/components/<kind>/<name>`),
/// which the typed document model holds.
pub fn is_component_ref(pointer: &str) -> bool {
    let mut segments = pointer.split('/').skip(1);
    segments.next() == Some("components")
        && segments.next().is_some()
        && segments.next().is_some()
        && segments.next().is_none()
}

/// Collects, from every `$ref` string in `value`, the local targets that are not whole
/// components, parsed as schemas (`None` where the place exists but is not one). Places that do
/// not exist are left out (the lookup then says so).
fn nested_targets(
    root: &serde_json::Value,
    value: &serde_json::Value,
    found: &mut BTreeMap<String, Option<ReferenceOr<Schema>>>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref" {
                    if let Some(path) = v.as_str().and_then(local_pointer) {
                        if !path.is_empty()
                            && !is_component_ref(&path)
                            && !found.contains_key(&path)
                        {
                            if let Some(target) = root.pointer(&path) {
                                let parsed = serde_json::from_value(target.clone()).ok();
                                found.insert(path, parsed);
                            }
                        }
                    }
                } else {
                    nested_targets(root, v, found);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                nested_targets(root, v, found);
            }
        }
        _ => {}
    }
}

fn unsupported_ref(reference: &str, expected: &str) -> String {
    if reference.starts_with('#') {
        format!(
            "unsupported `$ref` `{reference}`: expected a reference of the form `{expected}Name`{}",
            if expected.ends_with("schemas/") {
                " or a pointer to a schema elsewhere in the document"
            } else {
                ""
            }
        )
    } else {
        format!(
            "unsupported `$ref` `{reference}`: references to other files or URLs are not supported; bundle the document into one file first"
        )
    }
}

/// Undoes JSON pointer escaping (`~1` -> `/`, `~0` -> `~`) and percent-encoding.
fn unescape(segment: &str) -> String {
    let decoded = percent_decode(segment);
    decoded.replace("~1", "/").replace("~0", "~")
}

/// A reference's text with `%XX` escapes decoded (invalid UTF-8 replaced).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_names_unescape() {
        assert_eq!(
            Resolver::schema_ref_name("#/components/schemas/Pet").as_deref(),
            Some("Pet")
        );
        assert_eq!(
            Resolver::schema_ref_name("#/components/schemas/a~1b").as_deref(),
            Some("a/b")
        );
        assert_eq!(
            Resolver::schema_ref_name("#/components/schemas/a%20b").as_deref(),
            Some("a b")
        );
        assert_eq!(Resolver::schema_ref_name("other.yaml#/Pet"), None);
    }

    #[test]
    fn refs_into_nested_schemas_and_defs_resolve() {
        let doc = crate::load::parse(
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  responses:\n    R:\n      description: r\n      content:\n        application/json:\n          schema: {properties: {y: {type: string, format: uuid}}}\n  schemas:\n    A:\n      properties:\n        b: {type: array, items: {$ref: '#/components/schemas/O'}}\n        c: {$ref: '#/components/responses/R/content/application~1json/schema/properties/y'}\n        d: {$ref: '#/components/schemas/A/properties/b/items'}\n        e: {$ref: '#/components/schemas/A/$defs/E'}\n        f: {$ref: '#/components/schemas/A/properties/nope'}\n        g: {$ref: '#/components/responses/R'}\n      $defs:\n        E: {type: integer}\n    O: {type: object}\n",
        )
        .expect("parses");
        let r = Resolver::new(&doc.api, &doc.raw);
        let found = |reference: &'static str| r.schema(SchemaRef::Ref(reference), "#");
        let c = found("#/components/responses/R/content/application~1json/schema/properties/y")
            .unwrap();
        assert_eq!(
            c.pointer,
            "#/components/responses/R/content/application~1json/schema/properties/y"
        );
        assert_eq!(c.component, None);
        assert!(matches!(
            c.schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        ));
        // Through a nested `$ref` to a component: the component.
        let d = found("#/components/schemas/A/properties/b/items").unwrap();
        assert_eq!(d.component, Some("O"));
        assert_eq!(d.pointer, "#/components/schemas/O");
        // `$defs`, which the typed model does not hold.
        let e = found("#/components/schemas/A/$defs/E").unwrap();
        assert_eq!(e.pointer, "#/components/schemas/A/$defs/E");
        assert!(matches!(
            e.schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::Integer(_))
        ));
        let missing = found("#/components/schemas/A/properties/nope").unwrap_err();
        assert!(missing.contains("does not exist"), "{missing}");
        let not_a_schema = found("#/components/responses/R").unwrap_err();
        assert!(not_a_schema.contains("unsupported"), "{not_a_schema}");
    }

    #[test]
    fn ref_cycle_is_reported() {
        let doc = crate::load::parse(
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        )
        .expect("the document parses; the cycle is found later");
        let r = Resolver::new(&doc.api, &doc.raw);
        let err = r
            .schema(SchemaRef::Ref("#/components/schemas/A"), "#")
            .unwrap_err();
        assert!(err.contains("cycle"), "{err}");
    }
}
