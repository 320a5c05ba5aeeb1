//! Stage 1, load: reads a spec file and parses it.
//!
//! Takes: a path (or text already in memory). Gives: a [`Document`], the parsed
//! `openapiv3::OpenAPI` beside the raw JSON value it came from, or diagnostics that name the
//! place of the problem (line and column for syntax errors, a JSON pointer for structural ones).
//! JSON and YAML are both accepted, OpenAPI 3.0.x and 3.1.x documents. A 3.1 document is
//! rewritten into the 3.0 shape first ([`openapi31`]), which also smooths two quirks of 3.0
//! documents; what that loses is in [`Document::warnings`], and [`Document::origins`] maps
//! pointers into the rewritten document back to the user's.

pub mod openapi31;
mod origins;

pub use origins::Origins;

use crate::diagnostics::{Diagnostics, Pointer};
use std::path::Path;

/// A parsed OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// The same document as plain JSON, for lookups the typed model does not keep (in the 3.0
    /// shape: a 3.1 document as rewritten).
    pub raw: serde_json::Value,
    /// What reading the document lost (3.1 keywords with no 3.0 counterpart, ...), at pointers
    /// into the user's document.
    pub warnings: Diagnostics,
    /// Where the parts the rewrite moved were in the user's document; pointers into `raw` and
    /// `api` go through [`Origins::original`] before they are shown.
    pub origins: Origins,
}

impl Document {
    /// `diagnostics` (found in this document's `raw`/`api`) pointing into the user's document.
    pub fn user_diagnostics(&self, diagnostics: Diagnostics) -> Diagnostics {
        self.origins.map_diagnostics(diagnostics)
    }
}

/// Reads a spec file from disk. This and `write` are the only stages that touch the disk.
pub fn read_spec(path: &Path) -> Result<String, Diagnostics> {
    std::fs::read(path)
        .map_err(|e| {
            let mut d = Diagnostics::default();
            d.error("#", format!("cannot read `{}`: {e}", path.display()));
            d
        })
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| {
                let mut d = Diagnostics::default();
                d.error("#", format!("`{}` is not UTF-8 text: {e}", path.display()));
                d
            })
        })
}

/// Parses spec text (JSON or YAML) into a [`Document`].
pub fn parse(text: &str) -> Result<Document, Diagnostics> {
    let mut diags = Diagnostics::default();
    let raw = match parse_value(text) {
        Ok(v) => v,
        Err(message) => {
            diags.error("#", message);
            return Err(diags);
        }
    };
    let v31 = check_version(&raw, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let openapi31::Rewritten {
        value: raw,
        warnings,
        origins,
    } = openapi31::rewrite(raw, v31);
    let mut tracker = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(&raw, &mut tracker);
    match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(de) {
        Ok(api) => Ok(Document {
            api,
            raw,
            warnings,
            origins,
        }),
        Err(e) => {
            // serde stops at the first problem, often high up (`#/paths`) because of the
            // document model's custom deserialisers. Check each path item and component on
            // its own to report every problem at its own place.
            narrow_errors(&raw, &mut diags);
            if !diags.has_errors() {
                let pointer = path_to_pointer(&tracker.path());
                diags.error(
                    pointer,
                    format!("not a valid OpenAPI 3.0 document here: {e}"),
                );
            }
            let mut diags = origins.map_diagnostics(diags);
            diags.extend(warnings);
            Err(diags)
        }
    }
}

/// Deserialises `value` as `T`, recording an error at the deepest place serde can name.
fn check_part<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    at: &Pointer,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut tracker = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(value, &mut tracker);
    if let Err(e) = T::deserialize(de) {
        // The document model's custom deserialisers hide the inner path of schemas and
        // parameters; a keyword-by-keyword check names the exact place where it can.
        let before = diags.errors().len();
        if what.starts_with("Schema") || what.starts_with("Parameter") {
            keyword_errors(value, at, what, diags);
        }
        if diags.errors().len() == before {
            diags.error(
                extend_pointer(at, &tracker.path()),
                format!("not a valid {what}: {e}"),
            );
        }
    }
}

/// What a keyword's value must be, in words, and the check for it.
type KeywordKind = (&'static str, fn(&serde_json::Value) -> bool);

/// The expected JSON type of well-known keywords of Schema and Parameter objects.
fn keyword_kind(key: &str) -> Option<KeywordKind> {
    use serde_json::Value;
    Some(match key {
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" | "required_bool" | "allowEmptyValue"
        | "explode" | "allowReserved" => ("a boolean", Value::is_boolean),
        "minimum" | "maximum" | "multipleOf" => ("a number", Value::is_number),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            ("a non-negative integer", Value::is_u64)
        }
        "format" | "pattern" | "title" | "description" | "$ref" | "name" | "in" | "style" => {
            ("a string", Value::is_string)
        }
        "enum" | "allOf" | "oneOf" | "anyOf" => ("a list", Value::is_array),
        "properties" | "items" | "not" | "discriminator" | "schema" | "content" => {
            ("an object", Value::is_object)
        }
        "additionalProperties" => ("`true`, `false` or a schema object", |v| {
            v.is_boolean() || v.is_object()
        }),
        _ => return None,
    })
}

/// Checks the keywords of a Schema or Parameter object (and nested schemas) for their JSON
/// types, recording an error at each wrong one.
fn keyword_errors(value: &serde_json::Value, at: &Pointer, what: &str, diags: &mut Diagnostics) {
    let Some(obj) = value.as_object() else {
        diags.error(at, format!("a {what} must be an object"));
        return;
    };
    let is_parameter = what.starts_with("Parameter");
    for (key, v) in obj {
        let here = at.push(key);
        let lookup = if key == "required" && is_parameter {
            "required_bool"
        } else {
            key.as_str()
        };
        if key == "required" && !is_parameter {
            if !v
                .as_array()
                .is_some_and(|items| items.iter().all(|i| i.is_string()))
            {
                diags.error(here, "`required` must be a list of property names");
            }
            continue;
        }
        if key == "type" && !is_parameter {
            let known = ["string", "number", "integer", "boolean", "array", "object"];
            if !v.as_str().is_some_and(|t| known.contains(&t)) {
                diags.error(
                    here,
                    format!(
                        "`type` must be one of {}; OpenAPI 3.0 allows no lists or `null` here",
                        known.join(", ")
                    ),
                );
            }
            continue;
        }
        if let Some((expected, ok)) = keyword_kind(lookup) {
            if !ok(v) {
                diags.error(here, format!("`{key}` must be {expected}"));
                continue;
            }
        }
        match key.as_str() {
            "properties" => {
                for (name, s) in v.as_object().into_iter().flatten() {
                    keyword_errors(s, &here.push(name), "Schema object", diags);
                }
            }
            "items" | "not" | "schema" => keyword_errors(v, &here, "Schema object", diags),
            "additionalProperties" if v.is_object() => {
                keyword_errors(v, &here, "Schema object", diags)
            }
            "allOf" | "oneOf" | "anyOf" => {
                for (i, s) in v.as_array().into_iter().flatten().enumerate() {
                    keyword_errors(s, &here.push(i.to_string()), "Schema object", diags);
                }
            }
            _ => {}
        }
    }
}

fn narrow_errors(raw: &serde_json::Value, diags: &mut Diagnostics) {
    let root = Pointer::root();
    check_part::<openapiv3::Info>(
        raw.get("info").unwrap_or(&serde_json::Value::Null),
        &root.push("info"),
        "Info object",
        diags,
    );
    match raw.get("paths") {
        Some(serde_json::Value::Object(paths)) => {
            for (path, item) in paths {
                let at = root.push("paths").push(path);
                let Some(item_obj) = item.as_object() else {
                    diags.error(at, "a path item must be an object");
                    continue;
                };
                for (key, value) in item_obj {
                    let here = at.push(key);
                    match key.as_str() {
                        "get" | "put" | "post" | "delete" | "options" | "head" | "patch"
                        | "trace" => check_operation(value, &here, diags),
                        "parameters" => check_part::<
                            Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>,
                        >(
                            value, &here, "parameter list", diags
                        ),
                        "servers" => {
                            check_part::<Vec<openapiv3::Server>>(value, &here, "server list", diags)
                        }
                        _ => {}
                    }
                }
            }
        }
        Some(_) => diags.error(root.push("paths"), "`paths` must be an object"),
        None => diags.error(root.clone(), "missing the `paths` field"),
    }
    if let Some(components) = raw.get("components").and_then(|c| c.as_object()) {
        let at = root.push("components");
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                if !kind.starts_with("x-") {
                    diags.error(at.push(kind), "must be an object");
                }
                continue;
            };
            for (name, value) in entries {
                let here = at.push(kind).push(name);
                match kind.as_str() {
                    "schemas" => check_part::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                        value,
                        &here,
                        "Schema object",
                        diags,
                    ),
                    "responses" => check_part::<openapiv3::ReferenceOr<openapiv3::Response>>(
                        value,
                        &here,
                        "Response object",
                        diags,
                    ),
                    "parameters" => check_part::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                        value,
                        &here,
                        "Parameter object",
                        diags,
                    ),
                    "requestBodies" => {
                        check_part::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(
                            value,
                            &here,
                            "Request Body object",
                            diags,
                        )
                    }
                    "headers" => check_part::<openapiv3::ReferenceOr<openapiv3::Header>>(
                        value,
                        &here,
                        "Header object",
                        diags,
                    ),
                    "securitySchemes" => check_part::<
                        openapiv3::ReferenceOr<openapiv3::SecurityScheme>,
                    >(
                        value, &here, "Security Scheme object", diags
                    ),
                    _ => {}
                }
            }
        }
    }
}

fn check_operation(value: &serde_json::Value, at: &Pointer, diags: &mut Diagnostics) {
    let before = diags.errors().len();
    if let Some(obj) = value.as_object() {
        for (key, v) in obj {
            let here = at.push(key);
            match key.as_str() {
                "parameters" => {
                    if let Some(list) = v.as_array() {
                        for (i, p) in list.iter().enumerate() {
                            check_part::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                                p,
                                &here.push(i.to_string()),
                                "Parameter object",
                                diags,
                            );
                        }
                    } else {
                        diags.error(here, "`parameters` must be a list");
                    }
                }
                "requestBody" => check_part::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(
                    v,
                    &here,
                    "Request Body object",
                    diags,
                ),
                "responses" => match v.as_object() {
                    Some(responses) => {
                        for (code, r) in responses {
                            if code.starts_with("x-") {
                                continue;
                            }
                            check_part::<openapiv3::ReferenceOr<openapiv3::Response>>(
                                r,
                                &here.push(code),
                                "Response object",
                                diags,
                            );
                        }
                    }
                    None => diags.error(here, "`responses` must be an object of status codes"),
                },
                _ => {}
            }
        }
    }
    if diags.errors().len() == before {
        check_part::<openapiv3::Operation>(value, at, "Operation object", diags);
    }
}

/// The plain JSON of a document's text (JSON or YAML), as [`parse`] reads it before anything
/// else: an integer too large for 64 bits becomes a float. (Tests transform documents in this
/// form.)
pub fn parse_value(text: &str) -> Result<serde_json::Value, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err("the document is empty".to_owned());
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // serde's message ends with the line and column.
        serde_json::from_str::<serde_json::Value>(trimmed)
            .map_err(|e| format!("JSON syntax error: {e}"))
    } else {
        serde_yaml::from_str::<YamlValue>(trimmed)
            .map(|v| v.0)
            .map_err(|e| match e.location() {
                Some(_) => format!("YAML syntax error: {e}"),
                None => format!("YAML error: {e}"),
            })
    }
}

/// A JSON value read from YAML, where an integer too large for 64 bits (YAML has no limit,
/// and a widely used spec writes `minimum: -9223372036854776000`) becomes a floating-point
/// number, as a JSON parser makes it, instead of failing the whole document.
struct YamlValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for YamlValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(YamlValue)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value that JSON can hold")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(v.into()),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Self::Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(v.into()),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} cannot be represented in JSON")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let YamlValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// Checks the version fields; gives whether the document is an OpenAPI 3.1 one.
fn check_version(raw: &serde_json::Value, diags: &mut Diagnostics) -> bool {
    let Some(root) = raw.as_object() else {
        diags.error(
            "#",
            "the document must be a mapping (a JSON object) at the top level",
        );
        return false;
    };
    if let Some(swagger) = root.get("swagger") {
        diags.error(
            "#/swagger",
            format!(
                "Swagger/OpenAPI {} is not supported; convert the document to OpenAPI 3.0 first (for example with swagger2openapi)",
                swagger.as_str().unwrap_or("2.x")
            ),
        );
        return false;
    }
    match root.get("openapi") {
        None => diags.error(
            "#",
            "missing the `openapi` field: this is not an OpenAPI 3.0 or 3.1 document",
        ),
        Some(serde_json::Value::String(v)) => {
            if v.starts_with("3.1") {
                return true;
            }
            if !v.starts_with("3.0") {
                diags.error(
                    "#/openapi",
                    format!(
                        "unsupported version `{v}`: only OpenAPI 3.0.x and 3.1.x documents are supported"
                    ),
                );
            }
        }
        Some(other) => diags.error(
            "#/openapi",
            format!("`openapi` must be a string such as \"3.0.3\", found {other}"),
        ),
    }
    false
}

/// Turns a serde path (`paths./pets.get.responses`) into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    extend_pointer(&Pointer::root(), path).into()
}

/// `base` followed by the segments of a serde path.
fn extend_pointer(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = base.clone();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer.push(index.to_string()),
            Segment::Map { key } => pointer = pointer.push(key),
            Segment::Enum { variant } => pointer = pointer.push(variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_has_line_and_column() {
        let err = parse("openapi: 3.0.0\ninfo: [\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("YAML syntax error: ") && text.contains(" line "),
            "{text}"
        );
    }

    #[test]
    fn swagger_two_is_rejected_with_pointer() {
        let err = parse("swagger: '2.0'\n").unwrap_err();
        assert!(err.to_string().starts_with("error: #/swagger:"), "{err}");
    }

    #[test]
    fn openapi_three_one_is_read_and_three_two_is_rejected() {
        let doc = parse(r#"{"openapi":"3.1.0","info":{"title":"t","version":"1"}}"#).unwrap();
        assert_eq!(doc.api.openapi, "3.0.3");
        assert!(doc.api.paths.paths.is_empty());
        let err = parse(r#"{"openapi":"3.2.0","info":{"title":"t","version":"1"},"paths":{}}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "error: #/openapi: unsupported version `3.2.0`: only OpenAPI 3.0.x and 3.1.x documents are supported\n"
        );
    }

    #[test]
    fn yaml_integers_beyond_64_bits_read_as_json_reads_them() {
        let doc = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    N: {type: number, minimum: -9223372036854776000, maximum: 18446744073709551615}\n    I: {type: integer, format: int64, minimum: -9223372036854776000}\n",
        )
        .unwrap();
        let n = &doc.raw["components"]["schemas"]["N"];
        assert_eq!(n["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(n["maximum"].as_u64(), Some(u64::MAX));
        assert_eq!(
            doc.warnings.to_string(),
            "warning: #/components/schemas/I/minimum: `minimum: -9223372036854776000` is not a 64-bit integer: removed, the bound is not checked\n"
        );
    }

    #[test]
    fn errors_in_a_rewritten_document_point_into_the_users_document() {
        // The member merged out of `anyOf` keeps its own pointer in the message.
        let err = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      anyOf:\n        - {type: object, required: 5}\n        - {type: 'null'}\n")
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("error: #/components/schemas/A/anyOf/0/required:"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_names_the_pointer() {
        let err = parse("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n")
            .unwrap_err();
        assert!(
            err.to_string().contains("#/paths/~1a/get/responses"),
            "{err}"
        );
    }
}
