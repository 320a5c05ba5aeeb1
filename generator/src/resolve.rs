//! Stage 2, resolve: follows `$ref`s.
//!
//! Takes: a parsed document. Gives: lookups from a reference (or an inline item) to the object
//! it denotes together with the JSON pointer of that object, so that later stages can name
//! places precisely. Only local references into `#/components/...` are supported; chains of
//! references are followed, and a chain that loops without reaching any content is an error.

use crate::diagnostics::Pointer;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

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
        Resolver {
            api,
            raw,
            schema_pointers,
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
    pub fn schema(&self, r: SchemaRef<'a>, _at: &str) -> Result<Resolved<'a>, String> {
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
                    let name = Self::schema_ref_name(reference)
                        .ok_or_else(|| unsupported_ref(reference, "#/components/schemas/"))?;
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

fn unsupported_ref(reference: &str, expected: &str) -> String {
    if reference.starts_with('#') {
        format!(
            "unsupported `$ref` `{reference}`: expected a reference of the form `{expected}Name`"
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
