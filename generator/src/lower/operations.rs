//! Lowering phase 3: paths and operations.
//!
//! Takes: the document's paths, the API versions, and the schema lowerer (for parameter, body
//! and response types). Gives: one [`FoundOperation`] per operation in spec order: its
//! [`OperationDef`] (parameters, body, success and error types, security, idempotency,
//! pagination), its version, and the words its names will be made from. The schema lowerer is
//! handed back with the inline types the operations added.

use super::bodies;
use super::docs;
use super::extensions;
use super::schemas::SchemaLowerer;
use super::security;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::resolve::{RefError, Resolver, SchemaRef};
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

/// An operation as found in the spec, before pairing across versions and naming.
pub struct FoundOperation {
    /// Its first tag, which decides its resource namespace.
    pub tag: Option<String>,
    /// Index of the version whose prefix its path has.
    pub version: Option<usize>,
    /// What the spec says of it.
    pub def: OperationDef,
    /// Words the method is named from: a sensible operationId without version words, or the
    /// HTTP method and the path.
    pub method_words: Vec<String>,
    /// Words the operation struct is named from (unique across the crate, so never reduced to
    /// a bare verb).
    pub struct_words: Vec<String>,
}

/// Lowers every operation of the document, in spec order.
pub fn lower<'a>(
    resolver: &'a Resolver<'a>,
    schemas: SchemaLowerer<'a>,
    versions: &[ApiVersion],
) -> (Vec<FoundOperation>, SchemaLowerer<'a>, Diagnostics) {
    let mut lowerer = OperationLowerer {
        resolver,
        schemas,
        versions,
        diags: Diagnostics::default(),
    };
    let mut found = Vec::new();
    for (path, item) in resolver.api().paths.paths.iter() {
        let path_ptr = Pointer::root().push("paths").push(path);
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                lowerer.diags.error(
                    &path_ptr,
                    format!(
                        "path item `$ref` (`{reference}`) is not supported; inline the path item"
                    ),
                );
                continue;
            }
        };
        for method in HttpMethod::ALL {
            let Some(op) = operation_of(item, method) else {
                continue;
            };
            let at = path_ptr.push(method.key());
            found.extend(lowerer.operation(path, method, &item.parameters, op, &at));
        }
    }
    (found, lowerer.schemas, lowerer.diags)
}

fn operation_of(item: &openapiv3::PathItem, method: HttpMethod) -> Option<&openapiv3::Operation> {
    match method {
        HttpMethod::Get => item.get.as_ref(),
        HttpMethod::Put => item.put.as_ref(),
        HttpMethod::Post => item.post.as_ref(),
        HttpMethod::Delete => item.delete.as_ref(),
        HttpMethod::Options => item.options.as_ref(),
        HttpMethod::Head => item.head.as_ref(),
        HttpMethod::Patch => item.patch.as_ref(),
        HttpMethod::Trace => item.trace.as_ref(),
    }
}

struct OperationLowerer<'a, 'v> {
    resolver: &'a Resolver<'a>,
    schemas: SchemaLowerer<'a>,
    versions: &'v [ApiVersion],
    diags: Diagnostics,
}

impl<'a> OperationLowerer<'a, '_> {
    fn operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        path_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        at: &Pointer,
    ) -> Vec<FoundOperation> {
        let (version, rel_path) = self.locate(path, at);
        let tag = op.tags.first().cloned();
        let (method_words, struct_words) = name_words(
            self.versions,
            op.operation_id.as_deref(),
            method,
            &rel_path,
            tag.as_deref(),
        );
        let struct_hint = naming::type_name(&struct_words.join("_"));
        let struct_hint = struct_hint.as_str();

        let declared = self.collect_params(path, path_params, &op.parameters, at);
        let (params, ignored_authorization) = self.lower_params(path, declared, struct_hint, at);
        let mut bodies = match &op.request_body {
            Some(rb) => bodies::request_body(
                self.resolver,
                &mut self.schemas,
                &mut self.diags,
                rb,
                struct_hint,
                &at.push("requestBody"),
            ),
            None => Vec::new(),
        };
        let other_bodies = if bodies.len() > 1 {
            bodies.split_off(1)
        } else {
            Vec::new()
        };
        let body = bodies.pop().map(|choice| choice.body);
        let responses = bodies::responses(
            self.resolver,
            &mut self.schemas,
            &mut self.diags,
            &op.responses,
            struct_hint,
            &at.push("responses"),
        );
        let mut security = security::requirements(self.resolver.api(), op, at, &mut self.diags);
        if ignored_authorization && security.is_empty() {
            // The spec asks for an `Authorization` header but declares no security scheme:
            // send the client's bearer token when it has one, and nothing otherwise.
            security = vec![
                vec![SecurityUse {
                    scheme: "Authorization".to_owned(),
                    kind: SchemeKind::Bearer,
                }],
                Vec::new(),
            ];
        }
        // POST and PATCH are not idempotent unless the spec says so; the other methods are,
        // unless the spec says otherwise.
        let idempotent =
            extensions::idempotent(op.extensions.get("x-idempotent"), at, &mut self.diags)
                .unwrap_or(method.idempotent());
        let idempotency_key = extensions::idempotency_key(
            op.extensions.get("x-idempotency-key"),
            at,
            &mut self.diags,
        );
        self.check_idempotency_key(idempotency_key.as_ref(), body.as_ref(), at);
        let pagination = self.pagination(op, at, &params, &responses.success);

        let first = FoundOperation {
            tag,
            version,
            method_words,
            struct_words,
            def: OperationDef {
                pointer: at.into(),
                operation_id: op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {}", method.as_str(), path)),
                http_method: method,
                path: rel_path,
                doc: docs::summary_and_description(
                    op.summary.as_deref(),
                    op.description.as_deref(),
                ),
                deprecated: op.deprecated,
                params,
                body,
                success: responses.success,
                success_statuses: responses.success_statuses,
                error_type: responses.error_type,
                idempotent,
                security,
                idempotency_key,
                pagination,
            },
        };
        // Each other media type of the body: the same operation, sent with that body by a
        // method of its own (`upload_multipart`).
        let others = other_bodies.into_iter().map(|choice| {
            let mut other = FoundOperation {
                tag: first.tag.clone(),
                version: first.version,
                method_words: first.method_words.clone(),
                struct_words: first.struct_words.clone(),
                def: first.def.clone(),
            };
            other.method_words.extend(choice.words.iter().cloned());
            other.struct_words.extend(choice.words);
            other.def.body = Some(choice.body);
            other
        });
        let mut all = vec![];
        all.extend(others);
        all.insert(0, first);
        all
    }

    /// The version whose prefix `path` has (the longest), and the path relative to it.
    fn locate(&mut self, path: &str, at: &Pointer) -> (Option<usize>, String) {
        let found = self
            .versions
            .iter()
            .enumerate()
            .filter(|(_, v)| path == v.prefix || path.starts_with(&format!("{}/", v.prefix)))
            .max_by_key(|(_, v)| v.prefix.len());
        match found {
            Some((i, v)) => (Some(i), path[v.prefix.len()..].to_owned()),
            None => {
                if !self.versions.is_empty() {
                    self.diags.warning(
                        at,
                        "path is under none of the `x-api-versions` prefixes; it is available in every version namespace with its full path",
                    );
                }
                (None, path.to_owned())
            }
        }
    }

    /// The parameters in force: path-level ones, overridden by operation-level ones with the
    /// same name and location; each with its pointer.
    fn collect_params(
        &mut self,
        path: &str,
        path_params: &'a [ReferenceOr<Parameter>],
        op_params: &'a [ReferenceOr<Parameter>],
        at: &Pointer,
    ) -> Vec<(Pointer, &'a Parameter)> {
        let mut params: Vec<(Pointer, &'a Parameter)> = Vec::new();
        let lists = [
            (
                path_params,
                Pointer::root().push("paths").push(path).push("parameters"),
            ),
            (op_params, at.push("parameters")),
        ];
        for (list, list_ptr) in lists {
            for (i, p) in list.iter().enumerate() {
                let here = list_ptr.push(i.to_string());
                match self.resolver.component(p, &here, &mut self.diags) {
                    Ok((param, _)) => {
                        let data = param.parameter_data_ref();
                        let loc = location(param);
                        params.retain(|(_, existing)| {
                            !(existing.parameter_data_ref().name == data.name
                                && location(existing) == loc)
                        });
                        params.push((here, param));
                    }
                    Err(RefError::Dangling(e)) => self.diags.broken(
                        &here,
                        format!("{e}; the parameter is left out of the operation"),
                    ),
                    Err(e) => self.diags.error(&here, e),
                }
            }
        }
        params
    }

    /// Lowers the parameters: path ones first, in template order; header parameters the client
    /// sets itself are left out (the flag says whether one was `Authorization`), and a
    /// placeholder without a parameter becomes a required string.
    fn lower_params(
        &mut self,
        path: &str,
        declared: Vec<(Pointer, &'a Parameter)>,
        struct_hint: &str,
        at: &Pointer,
    ) -> (Vec<Param>, bool) {
        let reserved = naming::reserved_call_methods();
        let mut scope = Scope::with_reserved(&reserved);
        let mut out = Vec::new();
        let mut ignored_authorization = false;
        let placeholders = placeholders(path);
        for (here, param) in declared {
            let data = param.parameter_data_ref();
            let loc = location(param);
            if loc == ParamLocation::Header && set_by_client(&data.name) {
                let is_auth = data.name.eq_ignore_ascii_case("authorization");
                ignored_authorization |= is_auth;
                let how = if is_auth {
                    "the client sends its bearer credentials (`ClientBuilder::bearer_token`, or `.bearer_token(..)` / `.header(\"Authorization\", ..)` per call)"
                } else {
                    "the client sets it"
                };
                self.diags.warning(
                    &here,
                    format!(
                        "header parameter `{}` is ignored, as OpenAPI says: {how}",
                        data.name
                    ),
                );
                continue;
            }
            if loc == ParamLocation::Path && !placeholders.contains(&data.name) {
                self.diags.warning(
                    &here,
                    format!(
                        "path parameter `{}` does not appear in the path template; ignored",
                        data.name
                    ),
                );
                continue;
            }
            let ty = self.param_type(data, struct_hint, &here);
            let name = scope.claim(&naming::param_name(&data.name, &reserved));
            out.push(Param {
                wire: data.name.clone(),
                name,
                location: loc,
                required: data.required || loc == ParamLocation::Path,
                ty,
                query_style: self.query_style(param, &here),
                doc: docs::prose(data.description.as_deref()),
            });
        }
        for ph in &placeholders {
            if !out
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire == ph)
            {
                self.diags.warning(
                    at,
                    format!("path template placeholder `{{{ph}}}` has no path parameter; it is taken as a required string"),
                );
                out.push(Param {
                    wire: ph.clone(),
                    name: scope.claim(&naming::field_name(ph)),
                    location: ParamLocation::Path,
                    required: true,
                    ty: TypeRef::String,
                    query_style: None,
                    doc: None,
                });
            }
        }
        out.sort_by_key(|p| match p.location {
            ParamLocation::Path => placeholders.iter().position(|x| x == &p.wire).unwrap_or(0),
            _ => usize::MAX,
        });
        (out, ignored_authorization)
    }

    /// A parameter's type, from its `schema` or the schema of its first `content` entry.
    fn param_type(
        &mut self,
        data: &'a openapiv3::ParameterData,
        struct_hint: &str,
        at: &Pointer,
    ) -> TypeRef {
        let hint = format!("{struct_hint} {}", data.name);
        match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.schemas
                    .type_ref(SchemaRef::from(s), &hint, &at.push("schema"), 1)
            }
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, m)) => match &m.schema {
                    Some(s) => self.schemas.type_ref(
                        SchemaRef::from(s),
                        &hint,
                        &at.push("content").push(media).push("schema"),
                        1,
                    ),
                    None => TypeRef::String,
                },
                None => TypeRef::String,
            },
        }
    }

    /// How a query parameter is serialised, when not the default exploded `form`; path styles
    /// other than `simple` fall back to it with a warning.
    fn query_style(&mut self, param: &Parameter, at: &Pointer) -> Option<QueryStyle> {
        match param {
            Parameter::Query {
                style,
                parameter_data,
                ..
            } => {
                let explode = parameter_data
                    .explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                match style {
                    openapiv3::QueryStyle::Form if explode => None,
                    openapiv3::QueryStyle::Form => Some(QueryStyle::FormUnexploded),
                    openapiv3::QueryStyle::SpaceDelimited => Some(QueryStyle::SpaceDelimited),
                    openapiv3::QueryStyle::PipeDelimited => Some(QueryStyle::PipeDelimited),
                    openapiv3::QueryStyle::DeepObject => Some(QueryStyle::DeepObject),
                }
            }
            Parameter::Path { style, .. } if !matches!(style, openapiv3::PathStyle::Simple) => {
                self.diags.warning(
                    at.push("style"),
                    "path parameter styles `label` and `matrix` are not supported; the value is sent in the `simple` style",
                );
                None
            }
            _ => None,
        }
    }

    /// An idempotency key in the body must be a string field of the JSON request body.
    fn check_idempotency_key(
        &mut self,
        key: Option<&IdempotencyKey>,
        body: Option<&RequestBody>,
        at: &Pointer,
    ) {
        let Some(IdempotencyKey::BodyPointer(pointer)) = key else {
            return;
        };
        let found = body
            .filter(|b| b.encoding == BodyEncoding::Json)
            .and_then(|b| self.schemas.type_at_pointer(&b.ty, pointer));
        if found != Some(TypeRef::String) {
            self.diags.error(
                at.push("x-idempotency-key").push("pointer"),
                format!("`{pointer}` does not point at a string property of the JSON request body"),
            );
        }
    }

    /// `x-pagination`, checked against the operation: the cursor is an optional query
    /// parameter, and the items pointer leads to an array of the success body.
    fn pagination(
        &mut self,
        op: &openapiv3::Operation,
        at: &Pointer,
        params: &[Param],
        success: &ResponseBody,
    ) -> Option<Pagination> {
        let decl = extensions::pagination(op.extensions.get("x-pagination"), at, &mut self.diags)?;
        let at = at.push("x-pagination");
        let Some(param) = params.iter().find(|p| {
            p.wire == decl.cursor_param && p.location == ParamLocation::Query && !p.required
        }) else {
            self.diags.error(
                at.push("cursorParam"),
                format!(
                    "`{}` is not an optional query parameter of this operation",
                    decl.cursor_param
                ),
            );
            return None;
        };
        let ResponseBody::Json(page) = success else {
            self.diags.error(
                &at,
                "a paginated operation needs a JSON body in every success response",
            );
            return None;
        };
        let Some(TypeRef::Vec(item)) = self.schemas.type_at_pointer(page, &decl.items_pointer)
        else {
            self.diags.error(
                at.push("itemsPointer"),
                format!(
                    "`{}` does not point at an array in the success response",
                    decl.items_pointer
                ),
            );
            return None;
        };
        Some(Pagination {
            cursor_param: param.name.clone(),
            cursor_type: param.ty.clone(),
            cursor_pointer: decl.cursor_pointer,
            items_pointer: decl.items_pointer,
            item_type: *item,
        })
    }
}

/// Header parameters the client sets itself, which OpenAPI says to ignore.
fn set_by_client(header: &str) -> bool {
    ["accept", "content-type", "authorization"].contains(&header.to_ascii_lowercase().as_str())
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn placeholders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

/// The words of the method name and of the struct name. A sensible operationId (without
/// version words) gives both. Otherwise (HubSpot's own documents use operationIds such as
/// `get-/conversations/v3/custom-channels/{channelId}`) they come from the HTTP method, the
/// path and the tag: `GET` on a collection is `list`, on an item `get`; `POST` is `create`,
/// `PUT` `replace`, `PATCH` `update`, `DELETE` `delete`; the static path segments follow,
/// unless the last one names the tag's resource, which the namespace already says.
fn name_words(
    versions: &[ApiVersion],
    operation_id: Option<&str>,
    method: HttpMethod,
    rel_path: &str,
    tag: Option<&str>,
) -> (Vec<String>, Vec<String>) {
    if let Some(id) = operation_id.filter(|id| sensible(id)) {
        let mut words = naming::snake_words(id);
        for v in versions {
            remove_run(&mut words, &naming::snake_words(&v.name));
        }
        if !words.is_empty() {
            return (words.clone(), words);
        }
    }
    let segments: Vec<&str> = rel_path.split('/').filter(|s| !s.is_empty()).collect();
    let is_item = segments.last().is_some_and(|s| s.starts_with('{'));
    let verb = match method {
        HttpMethod::Get if is_item || rel_path == "/" => "get",
        HttpMethod::Get => "list",
        HttpMethod::Post => "create",
        HttpMethod::Put => "replace",
        HttpMethod::Patch => "update",
        HttpMethod::Delete => "delete",
        other => other.key(),
    };
    let static_words: Vec<String> = segments
        .iter()
        .filter(|s| !s.starts_with('{'))
        .flat_map(|s| naming::snake_words(s))
        .collect();
    let tag_words = tag.map(naming::snake_words).unwrap_or_default();
    let last_static = segments
        .iter()
        .rev()
        .find(|s| !s.starts_with('{'))
        .map(|s| naming::snake_words(s))
        .unwrap_or_default();
    let names_the_tag = !tag_words.is_empty()
        && (contains_run(&last_static, &tag_words)
            || contains_run(&last_static, &singular(&tag_words)));
    let mut method_words = vec![verb.to_owned()];
    if !names_the_tag {
        method_words.extend(static_words.iter().cloned());
    }
    let mut struct_words = vec![verb.to_owned()];
    if static_words.is_empty() {
        struct_words.extend(tag_words);
    } else {
        struct_words.extend(static_words);
    }
    (method_words, struct_words)
}

/// A name made of identifier characters and separators, with at least one letter.
fn sensible(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.chars().any(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
}

/// True when `run` occurs in `words` as a contiguous run.
fn contains_run(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && words.windows(run.len()).any(|w| w == run)
}

/// The singular of a tag's words (`channel accounts` -> `channel account`).
pub fn singular(words: &[String]) -> Vec<String> {
    let mut out = words.to_vec();
    if let Some(last) = out.last_mut() {
        if let Some(stem) = last.strip_suffix("ies") {
            *last = format!("{stem}y");
        } else if let Some(stem) = last.strip_suffix('s') {
            if !stem.ends_with('s') {
                *last = stem.to_owned();
            }
        }
    }
    out
}

/// Removes the first contiguous run of `run` from `words`.
pub fn remove_run(words: &mut Vec<String>, run: &[String]) -> bool {
    if run.is_empty() || run.len() > words.len() {
        return false;
    }
    for i in 0..=words.len() - run.len() {
        if words[i..i + run.len()] == *run {
            words.drain(i..i + run.len());
            return true;
        }
    }
    false
}
