//! Lowering of paths and operations.
//!
//! Takes: the document's paths, the API versions declared with `x-api-versions`, and the type
//! lowerer (for parameter, body and response types). Gives: [`Operation`]s with their
//! parameters, body, success and error types, security, idempotency and pagination facts, and
//! readable method names. Operations that two versions declare identically (same method, same
//! path after the version prefix, same types) become one operation available in both.

use super::docs;
use super::types::TypeLowerer;
use crate::diagnostics::Pointer;
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::resolve::{Resolver, SchemaRef};
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

/// An operation as found in the spec, before pairing across versions.
pub struct FoundOperation {
    /// Index of the group key (first tag) or `None`.
    pub tag: Option<String>,
    /// The lowered operation (its `versions` holds at most one index).
    pub op: Operation,
    /// Words the method is named from: a sensible operationId without version words, or the
    /// HTTP method and the path.
    pub base_name: Vec<String>,
    /// Words the operation struct is named from (unique across the crate, so never reduced to
    /// a bare verb).
    pub struct_words: Vec<String>,
}

/// Lowers operations.
pub struct OperationLowerer<'a, 'b> {
    /// Reference lookups.
    pub resolver: &'a Resolver<'a>,
    /// Type lowering (shared with components).
    pub types: &'b mut TypeLowerer<'a>,
    /// Declared API versions.
    pub versions: &'b [ApiVersion],
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a, 'b> OperationLowerer<'a, 'b> {
    /// Lowers every operation in spec order.
    pub fn lower_all(&mut self) -> Vec<FoundOperation> {
        let api = self.resolver.api();
        let mut out = Vec::new();
        for (path, item) in api.paths.paths.iter() {
            let path_ptr = Pointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    self.types.diags.error(
                        &path_ptr,
                        format!("path item `$ref` (`{reference}`) is not supported; inline the path item"),
                    );
                    continue;
                }
            };
            for method in METHODS {
                let op = match *method {
                    "get" => item.get.as_ref(),
                    "put" => item.put.as_ref(),
                    "post" => item.post.as_ref(),
                    "delete" => item.delete.as_ref(),
                    "options" => item.options.as_ref(),
                    "head" => item.head.as_ref(),
                    "patch" => item.patch.as_ref(),
                    "trace" => item.trace.as_ref(),
                    _ => None,
                };
                let Some(op) = op else { continue };
                let op_ptr = path_ptr.push(method);
                if let Some(found) =
                    self.lower_operation(path, method, &item.parameters, op, &op_ptr)
                {
                    out.push(found);
                }
            }
        }
        out
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        path_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        ptr: &Pointer,
    ) -> Option<FoundOperation> {
        // Version and relative path.
        let (version, rel_path) = match self
            .versions
            .iter()
            .enumerate()
            .filter(|(_, v)| path == v.prefix || path.starts_with(&format!("{}/", v.prefix)))
            .max_by_key(|(_, v)| v.prefix.len())
        {
            Some((i, v)) => (Some(i), path[v.prefix.len()..].to_owned()),
            None => {
                if !self.versions.is_empty() {
                    self.types.diags.warning(
                        ptr,
                        "path is under none of the `x-api-versions` prefixes; it is available in every version namespace with its full path",
                    );
                }
                (None, path.to_owned())
            }
        };
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {}", method.to_uppercase(), path));
        let tag = op.tags.first().cloned();
        let (base_name, struct_words) = self.base_name(
            op.operation_id.as_deref(),
            method,
            &rel_path,
            tag.as_deref(),
        );
        let struct_hint = naming::type_name(&struct_words.join("_"));

        // Parameters: path-level ones, overridden by operation-level ones with the same name and
        // location.
        let mut params: Vec<(Pointer, &'a Parameter)> = Vec::new();
        let lists = [
            (
                path_params,
                Pointer::root().push("paths").push(path).push("parameters"),
            ),
            (op.parameters.as_slice(), ptr.push("parameters")),
        ];
        for (list, list_ptr) in lists {
            for (i, p) in list.iter().enumerate() {
                let at = list_ptr.push(i.to_string());
                match self
                    .resolver
                    .component(p, &at, "parameters", |c| &c.parameters)
                {
                    Ok((param, _)) => {
                        let data = param.parameter_data_ref();
                        let loc = location(param);
                        params.retain(|(_, existing)| {
                            !(existing.parameter_data_ref().name == data.name
                                && location(existing) == loc)
                        });
                        params.push((at, param));
                    }
                    Err(e) => self.types.diags.error(&at, e),
                }
            }
        }
        let reserved = naming::reserved_call_methods();
        let mut scope = Scope::with_reserved(&reserved);
        let mut lowered_params = Vec::new();
        let mut ignored_authorization = false;
        let placeholders = placeholders(path);
        for (at, param) in params {
            let data = param.parameter_data_ref();
            let loc = location(param);
            if loc == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                let is_auth = data.name.eq_ignore_ascii_case("authorization");
                ignored_authorization |= is_auth;
                let how = if is_auth {
                    "the client sends its bearer credentials (`ClientBuilder::bearer_token`, or `.bearer_token(..)` / `.header(\"Authorization\", ..)` per call)"
                } else {
                    "the client sets it"
                };
                self.types.diags.warning(
                    &at,
                    format!(
                        "header parameter `{}` is ignored, as OpenAPI says: {how}",
                        data.name
                    ),
                );
                continue;
            }
            if loc == ParamLocation::Path && !placeholders.contains(&data.name) {
                self.types.diags.warning(
                    &at,
                    format!(
                        "path parameter `{}` does not appear in the path template; ignored",
                        data.name
                    ),
                );
                continue;
            }
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => self.types.type_ref(
                    SchemaRef::from(s),
                    &format!("{struct_hint} {}", data.name),
                    &at.push("schema"),
                    1,
                ),
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((media, m)) => match &m.schema {
                        Some(s) => self.types.type_ref(
                            SchemaRef::from(s),
                            &format!("{struct_hint} {}", data.name),
                            &at.push("content").push(media).push("schema"),
                            1,
                        ),
                        None => TypeRef::String,
                    },
                    None => TypeRef::String,
                },
            };
            let mut name = naming::field_name(&data.name);
            if reserved.contains(&name.as_str()) {
                name.push_str("_param");
            }
            let query_style = match param {
                Parameter::Query { style, .. } => {
                    let explode = data
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
                    self.types.diags.warning(
                        at.push("style"),
                        "path parameter styles `label` and `matrix` are not supported; the value is sent in the `simple` style",
                    );
                    None
                }
                _ => None,
            };
            lowered_params.push(Param {
                wire: data.name.clone(),
                name: scope.claim(&name),
                location: loc,
                required: data.required || loc == ParamLocation::Path,
                ty,
                query_style,
                doc: data.description.as_deref().map(docs::clean),
            });
        }
        for ph in &placeholders {
            if !lowered_params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire == ph)
            {
                self.types.diags.warning(
                    ptr,
                    format!("path template placeholder `{{{ph}}}` has no path parameter; it is taken as a required string"),
                );
                let name = scope.claim(&naming::field_name(ph));
                lowered_params.push(Param {
                    wire: ph.clone(),
                    name,
                    location: ParamLocation::Path,
                    required: true,
                    ty: TypeRef::String,
                    query_style: None,
                    doc: None,
                });
            }
        }
        // Path parameters first, in template order.
        lowered_params.sort_by_key(|p| match p.location {
            ParamLocation::Path => placeholders.iter().position(|x| x == &p.wire).unwrap_or(0),
            _ => usize::MAX,
        });

        let body = op
            .request_body
            .as_ref()
            .and_then(|rb| self.lower_body(rb, &struct_hint, &ptr.push("requestBody")));
        let (success, success_statuses, error_type) =
            self.lower_responses(op, &struct_hint, &ptr.push("responses"));
        let mut security = self.lower_security(op, ptr);
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
        let idempotent = match op.extensions.get("x-idempotent") {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(_) => {
                self.types.diags.error(
                    ptr.push("x-idempotent"),
                    "`x-idempotent` must be `true` or `false`",
                );
                false
            }
            None => !matches!(method, "post" | "patch"),
        };
        let idempotency_key = self.lower_idempotency_key(op, ptr);
        let pagination = self.lower_pagination(op, ptr, &lowered_params);

        Some(FoundOperation {
            tag,
            base_name,
            struct_words,
            op: Operation {
                pointer: ptr.into(),
                operation_id,
                method_name: String::new(),
                struct_name: String::new(),
                http_method: method.to_uppercase(),
                path: rel_path,
                versions: version.into_iter().collect(),
                doc: docs::summary_and_description(
                    op.summary.as_deref(),
                    op.description.as_deref(),
                ),
                deprecated: op.deprecated,
                params: lowered_params,
                body,
                success,
                success_statuses,
                error_type,
                idempotent,
                security,
                idempotency_key,
                pagination,
            },
        })
    }

    /// The words an operation is named from: a sensible operationId without version words, or
    /// the HTTP method and the path.
    /// The words of the method name and of the struct name. A sensible operationId (without
    /// version words) gives both. Otherwise (HubSpot's own documents use operationIds such as
    /// `get-/conversations/v3/custom-channels/{channelId}`) they come from the HTTP method, the
    /// path and the tag: `GET` on a collection is `list`, on an item `get`; `POST` is `create`,
    /// `PUT` `replace`, `PATCH` `update`, `DELETE` `delete`; the static path segments follow,
    /// unless the last one names the tag's resource, which the namespace already says.
    fn base_name(
        &self,
        operation_id: Option<&str>,
        method: &str,
        rel_path: &str,
        tag: Option<&str>,
    ) -> (Vec<String>, Vec<String>) {
        if let Some(id) = operation_id.filter(|id| sensible(id)) {
            let mut words = naming::snake_words(id);
            for v in self.versions {
                let vw = naming::snake_words(&v.name);
                remove_run(&mut words, &vw);
            }
            if !words.is_empty() {
                return (words.clone(), words);
            }
        }
        let segments: Vec<&str> = rel_path.split('/').filter(|s| !s.is_empty()).collect();
        let is_item = segments.last().is_some_and(|s| s.starts_with('{'));
        let verb = match method {
            "get" if is_item || rel_path == "/" => "get",
            "get" => "list",
            "post" => "create",
            "put" => "replace",
            "patch" => "update",
            "delete" => "delete",
            other => other,
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

    fn lower_body(
        &mut self,
        rb: &'a ReferenceOr<openapiv3::RequestBody>,
        struct_hint: &str,
        ptr: &Pointer,
    ) -> Option<RequestBody> {
        let (body, body_ptr) = match self
            .resolver
            .component(rb, ptr, "requestBodies", |c| &c.request_bodies)
        {
            Ok(x) => x,
            Err(e) => {
                self.types.diags.error(ptr, e);
                return None;
            }
        };
        let (media, mt) = pick_media(body.content.iter().map(|(k, v)| (k.as_str(), v)))?;
        let encoding = encoding_of(media);
        let schema_ptr = body_ptr.push("content").push(media).push("schema");
        let ty = match (&mt.schema, encoding) {
            (Some(s), BodyEncoding::Json | BodyEncoding::Form) => self.types.type_ref(
                SchemaRef::from(s),
                &format!("{struct_hint} Body"),
                &schema_ptr,
                1,
            ),
            (None, BodyEncoding::Json | BodyEncoding::Form) => TypeRef::Json,
            (_, BodyEncoding::Text) => TypeRef::String,
            (_, BodyEncoding::Bytes) => TypeRef::Bytes,
        };
        if media.starts_with("multipart/") {
            self.types.diags.warning(
                body_ptr.push("content").push(media),
                "multipart bodies are sent as raw bytes: build the multipart payload yourself",
            );
        }
        Some(RequestBody {
            media_type: media.to_owned(),
            encoding,
            ty,
            required: body.required,
            doc: body.description.as_deref().map(docs::clean),
        })
    }

    fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        struct_hint: &str,
        ptr: &Pointer,
    ) -> (ResponseBody, Vec<String>, Option<TypeRef>) {
        let mut successes: Vec<(String, ResponseBody)> = Vec::new();
        let mut errors: Vec<Option<TypeRef>> = Vec::new();
        let mut default_body: Option<ResponseBody> = None;
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (status_key(code), Some(code), r))
            .chain(
                op.responses
                    .default
                    .as_ref()
                    .map(|r| ("default".to_owned(), None, r)),
            );
        let entries: Vec<_> = entries.collect();
        for (key, code, r) in entries {
            let at = ptr.push(&key);
            let (resp, resp_ptr) = match self
                .resolver
                .component(r, &at, "responses", |c| &c.responses)
            {
                Ok(x) => x,
                Err(e) => {
                    self.types.diags.error(&at, e);
                    continue;
                }
            };
            if let Some(raw) = self.resolver.raw_at(resp_ptr.as_str()) {
                for key in ["type", "schema"] {
                    if raw.get(key).is_some() {
                        self.types.diags.warning(
                            resp_ptr.push(key),
                            format!("`{key}` directly on a response is not OpenAPI 3.0 (it is Swagger 2.0); ignored: put the schema under `content`"),
                        );
                    }
                }
            }
            let is_success = match code {
                Some(StatusCode::Code(c)) => (200..300).contains(c),
                Some(StatusCode::Range(r)) => *r == 2,
                None => false,
            };
            let hint = if is_success {
                format!("{struct_hint} Response")
            } else {
                format!("{struct_hint} Error")
            };
            let body = match pick_media(resp.content.iter().map(|(k, v)| (k.as_str(), v))) {
                None => ResponseBody::Empty,
                Some((media, mt)) => match encoding_of(media) {
                    BodyEncoding::Json | BodyEncoding::Form => match &mt.schema {
                        Some(s) => ResponseBody::Json(self.types.type_ref(
                            SchemaRef::from(s),
                            &hint,
                            &resp_ptr.push("content").push(media).push("schema"),
                            1,
                        )),
                        None => ResponseBody::Json(TypeRef::Json),
                    },
                    BodyEncoding::Text => ResponseBody::Text,
                    BodyEncoding::Bytes => ResponseBody::Bytes,
                },
            };
            if is_success {
                successes.push((key, body));
            } else {
                if code.is_none() {
                    default_body = Some(body.clone());
                }
                errors.push(match body {
                    ResponseBody::Json(t) => Some(t),
                    _ => None,
                });
            }
        }
        let statuses: Vec<String> = successes.iter().map(|(k, _)| k.clone()).collect();
        let success = if successes.is_empty() {
            // Only `default` (or nothing): a success is whatever `default` describes.
            default_body.unwrap_or(ResponseBody::Empty)
        } else {
            let first = successes[0].1.clone();
            let some_empty = successes.iter().any(|(_, b)| *b == ResponseBody::Empty);
            let with_body: Vec<&ResponseBody> = successes
                .iter()
                .map(|(_, b)| b)
                .filter(|b| **b != ResponseBody::Empty)
                .collect();
            if successes.iter().all(|(_, b)| *b == first) {
                first
            } else if !with_body.is_empty() && with_body.windows(2).all(|w| w[0] == w[1]) {
                // Some success statuses (say 204) have no body: `Option<T>`, `None` when empty.
                // Text and bytes decode an empty body as empty already.
                match with_body[0] {
                    ResponseBody::Json(t) => ResponseBody::JsonOrEmpty(t.clone()),
                    other => other.clone(),
                }
            } else {
                self.types.diags.warning(
                    ptr,
                    "success responses have different bodies; the body is decoded as `serde_json::Value`",
                );
                if some_empty {
                    ResponseBody::JsonOrEmpty(TypeRef::Json)
                } else {
                    ResponseBody::Json(TypeRef::Json)
                }
            }
        };
        let error_type = match errors.first() {
            Some(Some(first)) if errors.iter().all(|e| e.as_ref() == Some(first)) => {
                Some(first.clone())
            }
            _ => None,
        };
        (success, statuses, error_type)
    }

    fn lower_security(
        &mut self,
        op: &'a openapiv3::Operation,
        ptr: &Pointer,
    ) -> Vec<Vec<SecurityUse>> {
        let api = self.resolver.api();
        let (reqs, reqs_ptr) = match &op.security {
            Some(s) => (s.as_slice(), ptr.push("security")),
            None => (
                api.security.as_deref().unwrap_or(&[]),
                Pointer::root().push("security"),
            ),
        };
        let mut out = Vec::new();
        'alternatives: for (i, req) in reqs.iter().enumerate() {
            let mut set = Vec::new();
            for scheme in req.keys() {
                let at = reqs_ptr.push(i.to_string()).push(scheme);
                match scheme_kind(api, scheme) {
                    Ok(kind) => set.push(SecurityUse {
                        scheme: scheme.clone(),
                        kind,
                    }),
                    Err(e) => {
                        self.types
                            .diags
                            .warning(&at, format!("{e}; this alternative is skipped"));
                        continue 'alternatives;
                    }
                }
            }
            out.push(set);
        }
        out
    }

    fn lower_idempotency_key(
        &mut self,
        op: &'a openapiv3::Operation,
        ptr: &Pointer,
    ) -> Option<IdempotencyKey> {
        let v = op.extensions.get("x-idempotency-key")?;
        let at = ptr.push("x-idempotency-key");
        let place = v.get("in").and_then(|x| x.as_str());
        match place {
            Some("body") => match v.get("pointer").and_then(|x| x.as_str()) {
                Some(p) if p.starts_with('/') => Some(IdempotencyKey::BodyPointer(p.to_owned())),
                _ => {
                    self.types.diags.error(at, "`x-idempotency-key` with `in: body` needs `pointer`, a JSON pointer such as `/idempotencyId`");
                    None
                }
            },
            Some("header") => match v.get("name").and_then(|x| x.as_str()) {
                Some(n) if !n.is_empty() => Some(IdempotencyKey::Header(n.to_owned())),
                _ => {
                    self.types
                        .diags
                        .error(at, "`x-idempotency-key` with `in: header` needs `name`");
                    None
                }
            },
            _ => {
                self.types.diags.error(at, "`x-idempotency-key` needs `in: body` (with `pointer`) or `in: header` (with `name`)");
                None
            }
        }
    }

    fn lower_pagination(
        &mut self,
        op: &'a openapiv3::Operation,
        ptr: &Pointer,
        params: &[Param],
    ) -> Option<Pagination> {
        let v = op.extensions.get("x-pagination")?;
        let at = ptr.push("x-pagination");
        let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        let (Some(cursor), Some(cursor_pointer), Some(items_pointer)) = (
            get("cursorParam"),
            get("cursorPointer"),
            get("itemsPointer"),
        ) else {
            self.types.diags.error(
                at,
                "`x-pagination` needs `cursorParam`, `cursorPointer` and `itemsPointer`",
            );
            return None;
        };
        let Some(param) = params
            .iter()
            .find(|p| p.wire == cursor && p.location == ParamLocation::Query && !p.required)
        else {
            self.types.diags.error(
                at.push("cursorParam"),
                format!("`{cursor}` is not an optional query parameter of this operation"),
            );
            return None;
        };
        Some(Pagination {
            cursor_param: param.name.clone(),
            cursor_type: param.ty.clone(),
            cursor_pointer,
            items_pointer,
            // Filled in once every type is known.
            item_type: TypeRef::Json,
        })
    }
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

fn status_key(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
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

/// Chooses the media type to generate for: JSON first, then form, text, anything else.
fn pick_media<'m, T>(media: impl Iterator<Item = (&'m str, T)>) -> Option<(&'m str, T)> {
    let mut all: Vec<(&'m str, T)> = media.collect();
    let rank = |m: &str| {
        let m = m.to_ascii_lowercase();
        let base = m.split(';').next().unwrap_or("").trim().to_owned();
        if base == "application/json" {
            0
        } else if base.ends_with("+json") || base.ends_with("/json") {
            1
        } else if base == "*/*" || base == "application/*" {
            2
        } else if base == "application/x-www-form-urlencoded" {
            3
        } else if base.starts_with("text/") {
            4
        } else {
            5
        }
    };
    all.sort_by_key(|(m, _)| rank(m));
    all.into_iter().next()
}

fn encoding_of(media: &str) -> BodyEncoding {
    let base = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if base == "application/json"
        || base.ends_with("+json")
        || base.ends_with("/json")
        || base == "*/*"
    {
        BodyEncoding::Json
    } else if base == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if base.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

fn scheme_kind(api: &openapiv3::OpenAPI, name: &str) -> Result<SchemeKind, String> {
    let scheme = api
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(name))
        .ok_or_else(|| {
            format!("security scheme `{name}` is not declared in `components.securitySchemes`")
        })?;
    let scheme = match scheme {
        ReferenceOr::Item(s) => s,
        ReferenceOr::Reference { .. } => {
            return Err(format!(
                "security scheme `{name}` is a `$ref`, which is not supported"
            ));
        }
    };
    use openapiv3::{APIKeyLocation, SecurityScheme};
    Ok(match scheme {
        SecurityScheme::APIKey { location, name, .. } => match location {
            APIKeyLocation::Query => SchemeKind::ApiKeyQuery(name.clone()),
            APIKeyLocation::Header => SchemeKind::ApiKeyHeader(name.clone()),
            APIKeyLocation::Cookie => SchemeKind::ApiKeyCookie(name.clone()),
        },
        SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => SchemeKind::Bearer,
            "basic" => SchemeKind::Basic,
            other => {
                return Err(format!(
                    "HTTP authentication scheme `{other}` is not supported (bearer and basic are)"
                ));
            }
        },
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
    })
}

/// The security schemes declared in the document, for the client's docs and constants.
pub fn security_schemes(api: &openapiv3::OpenAPI) -> Vec<SecuritySchemeDef> {
    let mut out: Vec<SecuritySchemeDef> = api
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
        .filter_map(|(name, s)| {
            let kind = scheme_kind(api, name).ok()?;
            let doc = match s {
                ReferenceOr::Item(openapiv3::SecurityScheme::APIKey { description, .. })
                | ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { description, .. })
                | ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { description, .. })
                | ReferenceOr::Item(openapiv3::SecurityScheme::OpenIDConnect {
                    description, ..
                }) => description.as_deref().map(docs::clean),
                ReferenceOr::Reference { .. } => None,
            };
            Some(SecuritySchemeDef {
                name: name.clone(),
                const_name: String::new(),
                kind,
                doc,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    let mut scope = Scope::default();
    for s in &mut out {
        s.const_name = scope.claim(
            &naming::field_name(&s.name)
                .trim_end_matches('_')
                .to_uppercase(),
        );
    }
    out
}
