//! Stage 3, lower: turns the resolved document into the IR.
//!
//! Takes: a [`Document`]. Gives: an [`Api`] (plus warnings), or every error found, each with
//! its JSON pointer. All checks happen here, so that emitting cannot fail.

pub mod docs;
pub mod operations;
pub mod types;

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::load::Document;
use crate::naming::{self, Scope};
use crate::resolve::Resolver;
use operations::{FoundOperation, OperationLowerer};
use std::collections::{BTreeMap, BTreeSet};
use types::TypeLowerer;

/// Lowers a document into the IR.
pub fn lower(doc: &Document) -> Result<(Api, Diagnostics), Diagnostics> {
    let resolver = Resolver::new(&doc.api, &doc.raw);
    let mut diags = Diagnostics::default();
    let versions = parse_versions(&doc.raw, &mut diags);

    let mut types = TypeLowerer::new(&resolver);
    types.lower_components();
    let found = OperationLowerer {
        resolver: &resolver,
        types: &mut types,
        versions: &versions,
    }
    .lower_all();
    let (mut type_defs, renames, type_diags) = types.into_types();
    diags.extend(type_diags);
    let mut found = found;
    for f in &mut found {
        let op = &mut f.op;
        for p in &mut op.params {
            types::rename_in_ref(&mut p.ty, &renames);
        }
        if let Some(b) = &mut op.body {
            types::rename_in_ref(&mut b.ty, &renames);
        }
        if let ResponseBody::Json(t) | ResponseBody::JsonOrEmpty(t) = &mut op.success {
            types::rename_in_ref(t, &renames);
        }
        if let Some(t) = &mut op.error_type {
            types::rename_in_ref(t, &renames);
        }
        if let Some(p) = &mut op.pagination {
            types::rename_in_ref(&mut p.cursor_type, &renames);
        }
    }

    let groups = group_operations(&doc.api, found, &versions, &mut diags);
    let mut api = Api {
        title: doc.api.info.title.clone(),
        doc: docs::summary_and_description(None, doc.api.info.description.as_deref()),
        default_base_url: default_base_url(&doc.api, &mut diags),
        types: Vec::new(),
        versions,
        groups,
        security_schemes: operations::security_schemes(&doc.api),
        conventions: parse_conventions(&doc.raw, &mut diags),
    };
    finish_types(&mut type_defs, &mut api, &mut diags);
    api.types = type_defs;
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((api, diags))
    }
}

/// The first server's URL with its variables set to their defaults, when that is an absolute
/// http(s) URL; otherwise none (the user sets the base URL) and a warning.
fn default_base_url(api: &openapiv3::OpenAPI, diags: &mut Diagnostics) -> Option<String> {
    let server = api.servers.first()?;
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    let at = Pointer::root().push("servers").push("0").push("url");
    if url.contains('{') || url.contains('}') {
        diags.warning(at, format!("server URL `{url}` has variables without a declared default; the client has no default base URL"));
        return None;
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        diags.warning(at, format!("server URL `{url}` is not an absolute http(s) URL; the client has no default base URL"));
        return None;
    }
    Some(url)
}

fn parse_versions(raw: &serde_json::Value, diags: &mut Diagnostics) -> Vec<ApiVersion> {
    let Some(list) = raw.get("x-api-versions") else {
        return Vec::new();
    };
    let at = Pointer::root().push("x-api-versions");
    let Some(items) = list.as_array() else {
        diags.error(
            &at,
            "`x-api-versions` must be a list of `{name, pathPrefix}` entries",
        );
        return Vec::new();
    };
    let mut out: Vec<ApiVersion> = Vec::new();
    let root_methods = naming::reserved_client_methods();
    let mut methods = Scope::with_reserved(&root_methods);
    let mut variants = Scope::default();
    for (i, item) in items.iter().enumerate() {
        let here = at.push(i.to_string());
        let name = item.get("name").and_then(|v| v.as_str());
        let prefix = item.get("pathPrefix").and_then(|v| v.as_str());
        let (Some(name), Some(prefix)) = (name, prefix) else {
            diags.error(
                &here,
                "each `x-api-versions` entry needs a string `name` and a string `pathPrefix`",
            );
            continue;
        };
        if !prefix.starts_with('/') || prefix.ends_with('/') {
            diags.error(
                here.push("pathPrefix"),
                format!("`{prefix}` must start with `/` and must not end with `/`"),
            );
            continue;
        }
        if out.iter().any(|v| v.name == name || v.prefix == prefix) {
            diags.error(
                &here,
                format!("version `{name}` (prefix `{prefix}`) is declared twice"),
            );
            continue;
        }
        out.push(ApiVersion {
            name: name.to_owned(),
            method: methods.claim(&naming::version_method_name(name)),
            variant: variants.claim(&naming::version_variant_name(name)),
            prefix: prefix.to_owned(),
            doc: item
                .get("description")
                .and_then(|d| d.as_str())
                .map(docs::clean),
        });
    }
    out
}

/// Reads the top-level `x-client-conventions` (correlation-id headers and body field,
/// rate-limit headers, do-not-retry rules). Absent: no conventions. Every malformed part is an
/// error at its own pointer; nothing is silently ignored, unknown keys included.
fn parse_conventions(raw: &serde_json::Value, diags: &mut Diagnostics) -> ClientConventions {
    const KEYS: &[&str] = &[
        "correlationIdHeaders",
        "correlationIdBodyField",
        "rateLimitHeaders",
        "doNotRetry",
    ];
    const RULE_KEYS: &[&str] = &["status", "bodyField", "equals", "reason"];
    let mut out = ClientConventions::default();
    let Some(value) = raw.get("x-client-conventions") else {
        return out;
    };
    let at = Pointer::root().push("x-client-conventions");
    let Some(object) = value.as_object() else {
        diags.error(
            &at,
            "`x-client-conventions` must be an object with any of `correlationIdHeaders`, `correlationIdBodyField`, `rateLimitHeaders` and `doNotRetry`",
        );
        return out;
    };
    let unknown_keys = |object: &serde_json::Map<String, serde_json::Value>,
                        at: &Pointer,
                        known: &[&str],
                        diags: &mut Diagnostics| {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            diags.error(
                at.push(key),
                format!(
                    "unknown key `{key}`; expected one of {}",
                    expected.join(", ")
                ),
            );
        }
    };
    unknown_keys(object, &at, KEYS, diags);
    // A header name the runtime can look up: an RFC 9110 token.
    let header_name = |value: &serde_json::Value| -> Option<String> {
        let name = value.as_str()?;
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        token.then(|| name.to_owned())
    };
    let non_empty_string = |value: &serde_json::Value| -> Option<String> {
        value
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    };

    if let Some(list) = object.get("correlationIdHeaders") {
        let here = at.push("correlationIdHeaders");
        match list.as_array() {
            None => diags.error(
                &here,
                "`correlationIdHeaders` must be a list of response header names",
            ),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    match header_name(item) {
                        Some(name)
                            if out
                                .correlation_id_headers
                                .iter()
                                .any(|h| h.eq_ignore_ascii_case(&name)) =>
                        {
                            diags.error(
                                here.push(i.to_string()),
                                format!("header `{name}` is listed twice"),
                            );
                        }
                        Some(name) => out.correlation_id_headers.push(name),
                        None => diags.error(
                            here.push(i.to_string()),
                            format!("{item} is not an HTTP header name"),
                        ),
                    }
                }
            }
        }
    }

    if let Some(field) = object.get("correlationIdBodyField") {
        match non_empty_string(field) {
            Some(name) => out.correlation_id_body_field = Some(name),
            None => diags.error(
                at.push("correlationIdBodyField"),
                format!(
                    "`correlationIdBodyField` must be the name of a top-level field of the JSON error body (got {field})"
                ),
            ),
        }
    }

    if let Some(map) = object.get("rateLimitHeaders") {
        let here = at.push("rateLimitHeaders");
        match map.as_object() {
            None => diags.error(
                &here,
                "`rateLimitHeaders` must be an object mapping each rate-limit value's name to its response header",
            ),
            Some(entries) => {
                let mut getters = Scope::with_reserved(crate::runtime_source::RUNTIME_RATELIMIT_METHODS);
                for (name, header) in entries {
                    let entry_at = here.push(name);
                    if name.trim().is_empty() {
                        diags.error(&entry_at, "a rate-limit value needs a non-empty name");
                        continue;
                    }
                    let Some(header) = header_name(header) else {
                        diags.error(
                            &entry_at,
                            format!("{header} is not an HTTP header name"),
                        );
                        continue;
                    };
                    // A name the runtime already uses (`get`, `iter`, ...) reads better with a
                    // `_value` suffix than with a number.
                    let mut getter = naming::field_name(name);
                    if crate::runtime_source::RUNTIME_RATELIMIT_METHODS.contains(&getter.as_str()) {
                        getter.push_str("_value");
                    }
                    out.rate_limit_headers.push(RateLimitHeader {
                        name: name.clone(),
                        header,
                        getter: getters.claim(&getter),
                    });
                }
            }
        }
    }

    if let Some(list) = object.get("doNotRetry") {
        let here = at.push("doNotRetry");
        let Some(items) = list.as_array() else {
            diags.error(
                &here,
                "`doNotRetry` must be a list of `{status, bodyField, equals, reason}` rules",
            );
            return out;
        };
        for (i, item) in items.iter().enumerate() {
            let rule_at = here.push(i.to_string());
            let Some(rule) = item.as_object() else {
                diags.error(
                    &rule_at,
                    "a `doNotRetry` rule must be an object `{status, bodyField, equals, reason}`",
                );
                continue;
            };
            unknown_keys(rule, &rule_at, RULE_KEYS, diags);
            let given = |key: &str| match rule.get(key) {
                Some(value) => format!("got {value}"),
                None => "missing".to_owned(),
            };
            let status = rule
                .get("status")
                .and_then(serde_json::Value::as_u64)
                .filter(|s| (100..=599).contains(s))
                .and_then(|s| u16::try_from(s).ok());
            if status.is_none() {
                diags.error(
                    rule_at.push("status"),
                    format!(
                        "`status` must be an HTTP status code, an integer from 100 to 599 ({})",
                        given("status")
                    ),
                );
            }
            let body_field = rule.get("bodyField").and_then(non_empty_string);
            if body_field.is_none() {
                diags.error(
                    rule_at.push("bodyField"),
                    format!(
                        "`bodyField` must be the name of a top-level field of the JSON error body ({})",
                        given("bodyField")
                    ),
                );
            }
            let equals = rule
                .get("equals")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned);
            if equals.is_none() {
                diags.error(
                    rule_at.push("equals"),
                    format!(
                        "`equals` must be a string: the rule matches when `bodyField` is this string, ignoring ASCII case ({})",
                        given("equals")
                    ),
                );
            }
            let reason = match rule.get("reason") {
                None => None,
                Some(reason) => match non_empty_string(reason) {
                    Some(reason) => Some(reason),
                    None => {
                        diags.error(
                            rule_at.push("reason"),
                            format!("`reason` must be a non-empty string ({})", given("reason")),
                        );
                        None
                    }
                },
            };
            if let (Some(status), Some(body_field), Some(equals)) = (status, body_field, equals) {
                out.do_not_retry.push(NoRetryRule {
                    status,
                    body_field,
                    equals,
                    // Shown in messages and logs: one line.
                    reason: reason.map(|r| r.split_whitespace().collect::<Vec<_>>().join(" ")),
                });
            }
        }
    }
    out
}

/// Merges operations that versions share, groups them by tag and names them.
fn group_operations(
    api: &openapiv3::OpenAPI,
    found: Vec<FoundOperation>,
    versions: &[ApiVersion],
    diags: &mut Diagnostics,
) -> Vec<Group> {
    // Tag order: declared tags first, then tags in order of first use; untagged last.
    let mut tag_order: Vec<String> = api.tags.iter().map(|t| t.name.clone()).collect();
    for f in &found {
        if let Some(t) = &f.tag {
            if !tag_order.contains(t) {
                tag_order.push(t.clone());
            }
        }
    }
    // Merge: same tag, method and relative path, identical otherwise.
    type Names = (Vec<String>, Vec<String>);
    let mut merged: Vec<(Option<String>, Names, Operation)> = Vec::new();
    for f in found {
        let same = merged.iter_mut().find(|(tag, _, op)| {
            *tag == f.tag
                && op.http_method == f.op.http_method
                && op.path == f.op.path
                && !op.versions.is_empty()
                && !f.op.versions.is_empty()
                && !op.versions.contains(&f.op.versions[0])
        });
        match same {
            Some((_, _, op)) if same_signature(op, &f.op) => {
                op.versions.extend(f.op.versions.iter().copied());
            }
            Some((_, _, op)) => {
                diags.warning(
                    &f.op.pointer,
                    format!(
                        "differs from `{}` in another version (parameters, body, responses or security); it gets a method of its own, named after its version",
                        op.operation_id
                    ),
                );
                merged.push((f.tag, (f.base_name, f.struct_words), f.op));
            }
            None => merged.push((f.tag, (f.base_name, f.struct_words), f.op)),
        }
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut type_scope = Scope::with_reserved(naming::ROOT_ITEMS);
    let root_methods = naming::reserved_client_methods();
    let mut accessor_scope = Scope::with_reserved(&root_methods);
    for v in versions {
        let _ = accessor_scope.claim(&v.method);
    }
    let tag_docs: BTreeMap<&str, Option<&str>> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_deref()))
        .collect();
    let keys: Vec<Option<String>> = tag_order.into_iter().map(Some).chain([None]).collect();
    let mut struct_scope = Scope::default();
    for key in keys {
        let ops: Vec<(Names, Operation)> = merged
            .iter()
            .filter(|(t, _, _)| *t == key)
            .map(|(_, n, o)| (n.clone(), o.clone()))
            .collect();
        if ops.is_empty() {
            continue;
        }
        let (accessor, type_name) = match &key {
            Some(tag) => (
                Some(accessor_scope.claim(&naming::field_name(tag))),
                type_scope.claim(&naming::type_name(tag)),
            ),
            None => (None, String::new()),
        };
        let tag_words = key.as_deref().map(naming::snake_words).unwrap_or_default();
        let mut method_scope = Scope::with_reserved(if key.is_none() {
            &root_methods
        } else {
            &["clone", "fmt"]
        });
        if key.is_none() {
            for v in versions {
                let _ = method_scope.claim(&v.method);
            }
            for g in &groups {
                if let Some(a) = &g.accessor {
                    let _ = method_scope.claim(a);
                }
            }
        }
        let mut operations = Vec::new();
        for ((base, struct_words), mut op) in ops {
            let mut words = base.clone();
            let singular = operations::singular(&tag_words);
            if !operations::remove_run(&mut words, &tag_words) {
                operations::remove_run(&mut words, &singular);
            }
            if words.is_empty() {
                words = base.clone();
            }
            let mut method = naming::field_name(&words.join("_"));
            let mut struct_words = struct_words;
            if let [only] = op.versions[..] {
                // A version's own variant of an operation another version also has: name it
                // after its version (`create_v2`) rather than with a number.
                if method_scope.contains(&method) {
                    let v = &versions[only];
                    method = format!("{}_{}", method.trim_end_matches('_'), v.method);
                    struct_words.extend(naming::snake_words(&v.method));
                }
            }
            op.method_name = method_scope.claim(&method);
            op.struct_name = struct_scope.claim(&naming::type_name(&struct_words.join("_")));
            operations.push(op);
        }
        let doc = key
            .as_deref()
            .and_then(|k| tag_docs.get(k).copied().flatten())
            .map(docs::clean);
        groups.push(Group {
            accessor,
            type_name,
            doc,
            operations,
        });
    }
    groups
}

fn same_signature(a: &Operation, b: &Operation) -> bool {
    a.params == b.params
        && a.body == b.body
        && a.success == b.success
        && a.error_type == b.error_type
        && a.idempotent == b.idempotent
        && a.security == b.security
        && a.idempotency_key == b.idempotency_key
        && a.pagination == b.pagination
}

/// Final passes over the model types: box the edges of containment cycles, relax error-only
/// models, check defaults and pagination item types.
fn finish_types(types: &mut [TypeDef], api: &mut Api, diags: &mut Diagnostics) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();

    // Defaults on named types are honoured only for enums.
    for i in 0..types.len() {
        let TypeKind::Struct(s) = &types[i].kind else {
            continue;
        };
        let fixes: Vec<usize> = s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.default.is_some()
                    && matches!(&f.ty, TypeRef::Named(n) if !index.get(n).is_some_and(|&j| matches!(types[j].kind, TypeKind::Enum(_))))
            })
            .map(|(k, _)| k)
            .collect();
        if let TypeKind::Struct(s) = &mut types[i].kind {
            for k in fixes {
                s.fields[k].default = None;
                s.fields[k].presence = Presence::Optional;
            }
        }
    }

    // Containment edges: a field or variant that holds a named type inline (not behind Vec or
    // a map). Aliases are followed.
    let direct = |t: &TypeRef| -> Option<String> {
        match t {
            TypeRef::Named(n) => Some(n.clone()),
            _ => None,
        }
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in types.iter() {
        let targets: Vec<String> = match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
            TypeKind::Alias(a) => direct(a).into_iter().collect(),
            TypeKind::Enum(_) => Vec::new(),
        };
        edges.insert(t.name.clone(), targets.into_iter().collect());
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(next) = edges.get(&n) {
                stack.extend(next.iter().cloned());
            }
        }
        false
    };
    let mut alias_cycles = Vec::new();
    for t in types.iter_mut() {
        let name = t.name.clone();
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    if let Some(target) = direct(&f.ty) {
                        f.boxed = reaches(&target, &name);
                    }
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    if let Some(target) = direct(&v.ty) {
                        v.boxed = reaches(&target, &name);
                    }
                }
            }
            TypeKind::Alias(a) => {
                if let Some(target) = direct(a) {
                    if reaches(&target, &name) {
                        alias_cycles.push((t.pointer.clone(), name.clone()));
                    }
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    for (pointer, name) in alias_cycles {
        // `type A = B; type B = A;` cannot compile; break the cycle with JSON.
        diags.warning(&pointer, format!("`{name}` is only a reference to itself through other references; represented as `serde_json::Value`"));
        if let Some(&i) = index.get(&name) {
            types[i].kind = TypeKind::Alias(TypeRef::Json);
        }
    }

    // Models reachable only from error responses are decoded leniently: servers' error paths
    // are the least disciplined, and a missing field must not lose the whole typed body.
    let mut from_errors = BTreeSet::new();
    let mut from_rest = BTreeSet::new();
    let reach_all = |roots: Vec<&TypeRef>, out: &mut BTreeSet<String>| {
        let mut stack: Vec<TypeRef> = roots.into_iter().cloned().collect();
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Named(n) if out.insert(n.clone()) => {
                    if let Some(&i) = index.get(&n) {
                        match &types[i].kind {
                            TypeKind::Struct(s) => {
                                stack.extend(s.fields.iter().map(|f| f.ty.clone()));
                                stack.extend(s.additional.iter().map(|(_, t)| t.clone()));
                            }
                            TypeKind::Union(u) => {
                                stack.extend(u.variants.iter().map(|v| v.ty.clone()))
                            }
                            TypeKind::Alias(a) => stack.push(a.clone()),
                            TypeKind::Enum(_) => {}
                        }
                    }
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
                    stack.push(*inner)
                }
                _ => {}
            }
        }
    };
    let mut error_roots = Vec::new();
    let mut other_roots = Vec::new();
    for g in &api.groups {
        for op in &g.operations {
            error_roots.extend(op.error_type.iter());
            other_roots.extend(op.params.iter().map(|p| &p.ty));
            other_roots.extend(op.body.iter().map(|b| &b.ty));
            if let ResponseBody::Json(t) | ResponseBody::JsonOrEmpty(t) = &op.success {
                other_roots.push(t);
            }
        }
    }
    reach_all(error_roots, &mut from_errors);
    reach_all(other_roots, &mut from_rest);
    for name in from_errors.difference(&from_rest) {
        if let Some(&i) = index.get(name) {
            if let TypeKind::Struct(s) = &mut types[i].kind {
                for f in &mut s.fields {
                    f.presence = match f.presence {
                        Presence::Required => Presence::Optional,
                        Presence::RequiredNullable => Presence::Optional,
                        p => p,
                    };
                    // A malformed id or date must not lose the whole error body either.
                    if matches!(f.ty, TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date) {
                        f.ty = TypeRef::String;
                        f.doc = Some(docs::append(
                            f.doc.take(),
                            "Kept as text: error bodies are decoded leniently.",
                        ));
                    }
                }
            }
        }
    }

    // An idempotency key in the body must be a string field of the body.
    for g in &api.groups {
        for op in &g.operations {
            let Some(IdempotencyKey::BodyPointer(pointer)) = &op.idempotency_key else {
                continue;
            };
            let body = op
                .body
                .as_ref()
                .filter(|b| b.encoding == BodyEncoding::Json);
            let found = body.and_then(|b| type_at_pointer(types, &index, &b.ty, pointer));
            if found != Some(TypeRef::String) {
                diags.error(
                    Pointer::from_fragment(&op.pointer)
                        .push("x-idempotency-key")
                        .push("pointer"),
                    format!(
                        "`{pointer}` does not point at a string property of the JSON request body"
                    ),
                );
            }
        }
    }

    // Pagination item types.
    for g in &mut api.groups {
        for op in &mut g.operations {
            let Some(p) = &mut op.pagination else {
                continue;
            };
            let page = match &op.success {
                ResponseBody::Json(t) => t.clone(),
                _ => {
                    diags.error(
                        Pointer::from_fragment(&op.pointer).push("x-pagination"),
                        "a paginated operation needs a JSON body in every success response",
                    );
                    continue;
                }
            };
            match type_at_pointer(types, &index, &page, &p.items_pointer) {
                Some(TypeRef::Vec(item)) => p.item_type = *item,
                _ => {
                    diags.error(
                        Pointer::from_fragment(&op.pointer)
                            .push("x-pagination")
                            .push("itemsPointer"),
                        format!(
                            "`{}` does not point at an array in the success response",
                            p.items_pointer
                        ),
                    );
                }
            }
        }
    }
}

/// The type of the value at a JSON pointer inside a value of type `root`.
fn type_at_pointer(
    types: &[TypeDef],
    index: &BTreeMap<String, usize>,
    root: &TypeRef,
    pointer: &str,
) -> Option<TypeRef> {
    let mut current = root.clone();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let mut guard = 0;
        while let TypeRef::Named(n) = &current {
            let def = &types[*index.get(n)?];
            match &def.kind {
                TypeKind::Alias(a) if guard < 64 => {
                    current = a.clone();
                    guard += 1;
                }
                _ => break,
            }
        }
        current = match &current {
            TypeRef::Named(n) => match &types[*index.get(n)?].kind {
                TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire == seg)?.ty.clone(),
                _ => return None,
            },
            TypeRef::Map(inner) => (**inner).clone(),
            _ => return None,
        };
    }
    Some(current)
}
