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
//!
//! Broken references are told apart from the rest ([`RefError::Dangling`]), so that lowering
//! can go on without what they name. A reference to a component of the wrong kind (a response
//! `$ref` into `#/components/requestBodies`) is followed when the target's shape fits the kind
//! expected (see [`Component`]), with a warning of the broken-document kind.

use crate::diagnostics::{Diagnostics, Pointer};
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Longest chain of `$ref` to `$ref` followed before giving up.
const MAX_REF_CHAIN: usize = 64;

/// Why a reference could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// It names a place that does not exist in the document: the document is broken there,
    /// and lowering may go on without what the reference stood for. The text says which.
    Dangling(String),
    /// Anything else (another file, a cycle, a place that is not of the kind expected and
    /// does not fit it): an error.
    Invalid(String),
}

impl RefError {
    fn dangling(reference: &str) -> RefError {
        RefError::Dangling(format!(
            "`$ref` to `{reference}`, which does not exist in this document"
        ))
    }
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::Dangling(m) | RefError::Invalid(m) => f.write_str(m),
        }
    }
}

impl From<RefError> for String {
    fn from(e: RefError) -> String {
        e.to_string()
    }
}

/// A kind of component that operations refer to, and how to build one from a component of
/// another kind whose shape fits: a request body and a response both carry `content`, so
/// either stands for the other; a parameter is a parameter wherever it sits.
pub trait Component: Sized + serde::de::DeserializeOwned + 'static {
    /// Its key under `#/components` (`responses`).
    const KIND: &'static str;
    /// What one is called in messages (`response`).
    const WHAT: &'static str;
    /// The components of this kind.
    fn components(c: &openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>>;
    /// The ones built from components of other kinds, by pointer.
    fn built<'r>(r: &'r Resolver<'_>) -> &'r BTreeMap<String, Self>;
    /// The plain JSON of one of these built from `other`, a component of another kind, or
    /// `None` when its shape does not fit.
    fn build(other: &Value) -> Option<Value>;
}

/// `{description, content}` of a request body or response that has `content`, with the
/// description a response requires.
fn with_content(other: &Value) -> Option<Value> {
    let content = other.get("content").filter(|c| c.is_object())?;
    let description = other
        .get("description")
        .cloned()
        .unwrap_or_else(|| Value::String(String::new()));
    Some(serde_json::json!({"description": description, "content": content}))
}

impl Component for Response {
    const KIND: &'static str = "responses";
    const WHAT: &'static str = "response";
    fn components(c: &openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
        &c.responses
    }
    fn built<'r>(r: &'r Resolver<'_>) -> &'r BTreeMap<String, Self> {
        &r.built_responses
    }
    fn build(other: &Value) -> Option<Value> {
        with_content(other)
    }
}

impl Component for RequestBody {
    const KIND: &'static str = "requestBodies";
    const WHAT: &'static str = "request body";
    fn components(c: &openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
        &c.request_bodies
    }
    fn built<'r>(r: &'r Resolver<'_>) -> &'r BTreeMap<String, Self> {
        &r.built_request_bodies
    }
    fn build(other: &Value) -> Option<Value> {
        with_content(other)
    }
}

impl Component for Parameter {
    const KIND: &'static str = "parameters";
    const WHAT: &'static str = "parameter";
    fn components(c: &openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
        &c.parameters
    }
    fn built<'r>(r: &'r Resolver<'_>) -> &'r BTreeMap<String, Self> {
        &r.built_parameters
    }
    fn build(other: &Value) -> Option<Value> {
        let fits = other.get("name").is_some_and(Value::is_string)
            && other.get("in").is_some_and(Value::is_string);
        fits.then(|| other.clone())
    }
}

/// The kind (`requestBodies`) and name of a reference of the form `#/components/<kind>/<name>`.
fn component_ref(reference: &str) -> Option<(&str, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, name) = rest.split_once('/')?;
    (!name.contains('/')).then(|| (kind, unescape(name)))
}

/// What a component of the kind `kind` is called in messages.
fn what_of(kind: &str) -> String {
    match kind {
        "schemas" => "a schema".to_owned(),
        "responses" => "a response".to_owned(),
        "parameters" => "a parameter".to_owned(),
        "requestBodies" => "a request body".to_owned(),
        "headers" => "a header".to_owned(),
        other => format!("a component of `{other}`"),
    }
}

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
    /// Components that references of another kind point at, built as that kind (see
    /// [`Component::build`]), by the target's pointer (`#/components/requestBodies/Pets`).
    built_responses: BTreeMap<String, Response>,
    built_request_bodies: BTreeMap<String, RequestBody>,
    built_parameters: BTreeMap<String, Parameter>,
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
        let mut targets = std::collections::BTreeSet::new();
        component_targets(raw, &mut targets);
        Resolver {
            api,
            raw,
            schema_pointers,
            nested,
            built_responses: build_all::<Response>(raw, &targets),
            built_request_bodies: build_all::<RequestBody>(raw, &targets),
            built_parameters: build_all::<Parameter>(raw, &targets),
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
    pub fn schema(&'a self, r: SchemaRef<'a>, _at: &str) -> Result<Resolved<'a>, RefError> {
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
                        return Err(RefError::Invalid(format!(
                            "`$ref` cycle with no content: {}",
                            seen.join(" -> ")
                        )));
                    }
                    seen.push(reference.to_owned());
                    let Some(name) = Self::schema_ref_name(reference) else {
                        // A schema somewhere else in the document.
                        let path = local_pointer(reference)
                            .filter(|p| !p.is_empty() && !is_component_ref(p))
                            .ok_or_else(|| {
                                RefError::Invalid(unsupported_ref(
                                    reference,
                                    "#/components/schemas/",
                                ))
                            })?;
                        let target = match self.nested.get(&path) {
                            Some(Some(target)) => target,
                            Some(None) => {
                                return Err(RefError::Invalid(format!(
                                    "`$ref` to `{reference}`, which is not a schema"
                                )));
                            }
                            None if self.raw.pointer(&path).is_none() => {
                                return Err(RefError::dangling(reference));
                            }
                            None => {
                                return Err(RefError::Invalid(format!(
                                    "`$ref` to `{reference}`, which is not a schema"
                                )));
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
                        .ok_or_else(|| RefError::dangling(reference))?;
                    component = Some(key.as_str());
                    pointer = self.schema_pointers.get(key.as_str()).cloned();
                    current = SchemaRef::from(target);
                }
            }
        }
    }

    /// Follows a reference to a parameter, request body or response (`T`), returning the item
    /// and its pointer. A reference to a component of another kind is followed when that
    /// component's shape fits `T` (a request body for a response, say), with a broken-document
    /// warning at `at` in `diags`; one that does not fit is an error.
    pub fn component<T: Component>(
        &'a self,
        r: &'a ReferenceOr<T>,
        at: &Pointer,
        diags: &mut Diagnostics,
    ) -> Result<(&'a T, Pointer), RefError> {
        let mut reference: &'a str = match r {
            ReferenceOr::Item(item) => return Ok((item, at.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let expected = format!("#/components/{}/", T::KIND);
        let wrong_kind = |reference: &str, kind: &str| {
            format!(
                "`$ref` to `{reference}`, {}, where {} {} is expected",
                what_of(kind),
                article(T::WHAT),
                T::WHAT
            )
        };
        for _ in 0..MAX_REF_CHAIN {
            let Some((kind, name)) = component_ref(reference) else {
                return Err(RefError::Invalid(unsupported_ref(reference, &expected)));
            };
            let target_ptr = Pointer::root().push("components").push(kind).push(&name);
            if kind == T::KIND {
                let target = self
                    .api
                    .components
                    .as_ref()
                    .map(T::components)
                    .and_then(|m| m.get(name.as_str()))
                    .ok_or_else(|| RefError::dangling(reference))?;
                match target {
                    ReferenceOr::Item(item) => return Ok((item, target_ptr)),
                    ReferenceOr::Reference { reference: next } => {
                        reference = next;
                        continue;
                    }
                }
            }
            let Some(raw) = self.raw_at(target_ptr.as_str()) else {
                return Err(RefError::dangling(reference));
            };
            // A component of another kind that is itself a reference: followed on.
            if let Some(next) = raw.get("$ref").and_then(Value::as_str) {
                diags.broken(at, format!("{}; followed on", wrong_kind(reference, kind)));
                reference = next;
                continue;
            }
            return match T::built(self).get(target_ptr.as_str()) {
                Some(built) => {
                    diags.broken(
                        at,
                        format!(
                            "{}; its shape fits, so it is used as one",
                            wrong_kind(reference, kind)
                        ),
                    );
                    Ok((built, target_ptr))
                }
                None => Err(RefError::Invalid(format!(
                    "{}, and its shape does not fit one: point it at `{expected}Name`",
                    wrong_kind(reference, kind)
                ))),
            };
        }
        Err(RefError::Invalid(format!(
            "`$ref` chain longer than {MAX_REF_CHAIN} or cyclic, starting at {at}"
        )))
    }
}

/// "a" or "an" before `word`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Every `#/components/<kind>/<name>` pointer that a `$ref` in `value` names, for building
/// components of one kind from another ([`Component::build`]).
fn component_targets(value: &Value, found: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v.as_str()) {
                    ("$ref", Some(reference)) => {
                        if let Some((kind, name)) = component_ref(reference) {
                            let p = Pointer::root().push("components").push(kind).push(name);
                            found.insert(String::from(p));
                        }
                    }
                    _ => component_targets(v, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| component_targets(v, found)),
        _ => {}
    }
}

/// The components among `targets` that are not of `T`'s kind but whose shape fits it, built
/// as `T`, by pointer.
fn build_all<T: Component>(
    raw: &Value,
    targets: &std::collections::BTreeSet<String>,
) -> BTreeMap<String, T> {
    let own = format!("#/components/{}/", T::KIND);
    targets
        .iter()
        .filter(|p| !p.starts_with(&own))
        .filter_map(|p| {
            let target = raw.pointer(p.strip_prefix('#').unwrap_or(p))?;
            let built = serde_json::from_value(T::build(target)?).ok()?;
            Some((p.clone(), built))
        })
        .collect()
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
        assert!(
            matches!(&missing, RefError::Dangling(m) if m.contains("does not exist")),
            "{missing:?}"
        );
        let not_a_schema = found("#/components/responses/R").unwrap_err();
        assert!(
            matches!(&not_a_schema, RefError::Invalid(m) if m.contains("unsupported")),
            "{not_a_schema:?}"
        );
        let missing_component = found("#/components/schemas/Nope").unwrap_err();
        assert!(
            matches!(missing_component, RefError::Dangling(_)),
            "{missing_component:?}"
        );
    }

    /// A reference to a component of the wrong kind is followed when its shape fits (with a
    /// broken-document warning), and is an error when it does not; one to nothing is dangling.
    #[test]
    fn component_refs_of_the_wrong_kind() {
        let doc = crate::load::parse(
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  requestBodies:\n    B: {content: {application/json: {schema: {type: string}}}}\n  responses:\n    R: {description: r, content: {text/plain: {schema: {type: string}}}}\n    Empty: {description: no content}\n    ToB: {$ref: '#/components/requestBodies/B'}\n  parameters:\n    P: {name: p, in: query, schema: {type: string}}\n  schemas:\n    S: {type: string}\n",
        )
        .expect("parses");
        let names = [
            "#/components/responses/R",
            "#/components/requestBodies/B",
            "#/components/responses/ToB",
            "#/components/parameters/P",
            "#/components/schemas/S",
            "#/components/responses/Gone",
            "#/components/requestBodies/Gone",
        ];
        let references: Vec<ReferenceOr<Response>> = names
            .iter()
            .map(|s| ReferenceOr::Reference {
                reference: (*s).to_owned(),
            })
            .collect();
        let p = ReferenceOr::<Parameter>::Reference {
            reference: "#/components/responses/R".to_owned(),
        };
        let r = Resolver::new(&doc.api, &doc.raw);
        let at = Pointer::root().push("here");
        let follow = |s: &str| {
            let mut diags = Diagnostics::default();
            let i = names.iter().position(|n| *n == s).expect("listed");
            let found = r
                .component(&references[i], &at, &mut diags)
                .map(|(item, ptr)| (item.content.keys().cloned().collect::<Vec<_>>(), ptr));
            (found, diags)
        };
        // The right kind: no warning.
        let (found, diags) = follow("#/components/responses/R");
        assert_eq!(found.unwrap().0, ["text/plain"]);
        assert!(diags.is_empty(), "{diags}");
        // A request body used as a response: built from it, with a warning at the reference.
        let (found, diags) = follow("#/components/requestBodies/B");
        let (media, ptr) = found.unwrap();
        assert_eq!(media, ["application/json"]);
        assert_eq!(ptr.as_str(), "#/components/requestBodies/B");
        let warnings = diags.warnings();
        assert_eq!(warnings.len(), 1, "{diags}");
        assert_eq!(warnings[0].pointer, "#/here");
        assert_eq!(warnings[0].category, crate::Category::BrokenDocument);
        // Through a response that is itself a reference to a request body.
        let (found, diags) = follow("#/components/responses/ToB");
        assert_eq!(found.unwrap().0, ["application/json"]);
        assert_eq!(diags.warnings().len(), 1, "{diags}");
        // A parameter or a schema does not fit a response.
        for s in ["#/components/parameters/P", "#/components/schemas/S"] {
            let (found, _) = follow(s);
            assert!(
                matches!(&found, Err(RefError::Invalid(m)) if m.contains("does not fit")),
                "{s}: {found:?}"
            );
        }
        // Nothing there, of either kind.
        for s in [
            "#/components/responses/Gone",
            "#/components/requestBodies/Gone",
        ] {
            let (found, _) = follow(s);
            assert!(
                matches!(found, Err(RefError::Dangling(_))),
                "{s}: {found:?}"
            );
        }
        // A response is not a parameter.
        let mut diags = Diagnostics::default();
        assert!(matches!(
            r.component(&p, &at, &mut diags),
            Err(RefError::Invalid(_))
        ));
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
        assert!(
            matches!(&err, RefError::Invalid(m) if m.contains("cycle")),
            "{err}"
        );
    }
}
