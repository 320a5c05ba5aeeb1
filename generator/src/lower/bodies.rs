//! Request bodies and responses of an operation (part of the operations phase).
//!
//! Takes: a Request Body object or an operation's Responses object, and the schema lowerer for
//! their types. Gives: the [`RequestBody`], and what a success decodes into, with the error
//! body type. The media type generated for is chosen in one place: JSON first, then form, text,
//! anything else.

use super::schemas::SchemaLowerer;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::resolve::{RefError, Resolver, SchemaRef};
use openapiv3::{ReferenceOr, StatusCode};

/// Lowers a request body, or gives `None` when its `$ref` cannot be followed (an error; or a
/// broken-document warning when it names nothing, and the operation goes without a body), or
/// when it declares no media type.
pub fn request_body<'a>(
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    diags: &mut Diagnostics,
    rb: &'a ReferenceOr<openapiv3::RequestBody>,
    struct_hint: &str,
    at: &Pointer,
) -> Option<RequestBody> {
    let (body, body_ptr) = match resolver.component(rb, at, diags) {
        Ok(x) => x,
        Err(RefError::Dangling(e)) => {
            diags.broken(
                at,
                format!("{e}; the operation is generated without a request body"),
            );
            return None;
        }
        Err(e) => {
            diags.error(at, e);
            return None;
        }
    };
    let (media, mt) = pick_media(body.content.iter().map(|(k, v)| (k.as_str(), v)))?;
    let encoding = encoding_of(media);
    let schema_ptr = body_ptr.push("content").push(media).push("schema");
    let ty = match (&mt.schema, encoding) {
        (Some(s), BodyEncoding::Json | BodyEncoding::Form) => schemas.type_ref(
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
        diags.warning(
            body_ptr.push("content").push(media),
            "multipart bodies are sent as raw bytes: build the multipart payload yourself",
        );
    }
    Some(RequestBody {
        media_type: media.to_owned(),
        encoding,
        ty,
        required: body.required,
        doc: super::docs::prose(body.description.as_deref()),
    })
}

/// What an operation's responses say.
pub struct Responses {
    /// What a success decodes into.
    pub success: ResponseBody,
    /// The success statuses, for docs.
    pub success_statuses: Vec<String>,
    /// The type every error body decodes into, when they all have the same JSON type.
    pub error_type: Option<TypeRef>,
}

/// Lowers an operation's responses: the success body (several success statuses must agree, a
/// bodiless one making it optional) and the error body type.
pub fn responses<'a>(
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    diags: &mut Diagnostics,
    responses: &'a openapiv3::Responses,
    struct_hint: &str,
    at: &Pointer,
) -> Responses {
    let mut successes: Vec<(String, ResponseBody)> = Vec::new();
    let mut errors: Vec<Option<TypeRef>> = Vec::new();
    let mut default_body: Option<ResponseBody> = None;
    let entries = responses
        .responses
        .iter()
        .map(|(code, r)| (status_key(code), Some(code), r))
        .chain(
            responses
                .default
                .as_ref()
                .map(|r| ("default".to_owned(), None, r)),
        );
    for (key, code, r) in entries {
        let here = at.push(&key);
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
        let body = match resolver.component(r, &here, diags) {
            Ok((resp, resp_ptr)) => {
                warn_swagger_keys(resolver, &resp_ptr, diags);
                response_body(schemas, resp, &hint, &resp_ptr)
            }
            Err(RefError::Dangling(e)) => {
                diags.broken(&here, format!("{e}; taken as a response without a body"));
                ResponseBody::Empty
            }
            Err(e) => {
                diags.error(&here, e);
                continue;
            }
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
    let success_statuses = successes.iter().map(|(k, _)| k.clone()).collect();
    let success = if successes.is_empty() {
        // Only `default` (or nothing): a success is whatever `default` describes.
        default_body.unwrap_or(ResponseBody::Empty)
    } else {
        combine_successes(successes, at, diags)
    };
    let error_type = match errors.first() {
        Some(Some(first)) if errors.iter().all(|e| e.as_ref() == Some(first)) => {
            Some(first.clone())
        }
        _ => None,
    };
    Responses {
        success,
        success_statuses,
        error_type,
    }
}

/// `type` or `schema` directly on a response is Swagger 2.0; say so instead of ignoring it.
fn warn_swagger_keys(resolver: &Resolver<'_>, at: &Pointer, diags: &mut Diagnostics) {
    let Some(raw) = resolver.raw_at(at.as_str()) else {
        return;
    };
    for key in ["type", "schema"] {
        if raw.get(key).is_some() {
            diags.warning(
                at.push(key),
                format!("`{key}` directly on a response is not OpenAPI 3.0 (it is Swagger 2.0); ignored: put the schema under `content`"),
            );
        }
    }
}

/// The body of one response.
fn response_body<'a>(
    schemas: &mut SchemaLowerer<'a>,
    resp: &'a openapiv3::Response,
    hint: &str,
    at: &Pointer,
) -> ResponseBody {
    let Some((media, mt)) = pick_media(resp.content.iter().map(|(k, v)| (k.as_str(), v))) else {
        return ResponseBody::Empty;
    };
    match encoding_of(media) {
        BodyEncoding::Json | BodyEncoding::Form => match &mt.schema {
            Some(s) => ResponseBody::Json(schemas.type_ref(
                SchemaRef::from(s),
                hint,
                &at.push("content").push(media).push("schema"),
                1,
            )),
            None => ResponseBody::Json(TypeRef::Json),
        },
        BodyEncoding::Text => ResponseBody::Text,
        BodyEncoding::Bytes => ResponseBody::Bytes,
    }
}

/// One success body for several success statuses: the same body everywhere; or one body where
/// some statuses (a 204, say) have none, decoded as `Option<T>`; or, when they disagree, any
/// JSON, with a warning.
fn combine_successes(
    successes: Vec<(String, ResponseBody)>,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> ResponseBody {
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
        // Text and bytes decode an empty body as empty already.
        match with_body[0] {
            ResponseBody::Json(t) => ResponseBody::JsonOrEmpty(t.clone()),
            other => other.clone(),
        }
    } else {
        diags.warning(
            at,
            "success responses have different bodies; the body is decoded as `serde_json::Value`",
        );
        if some_empty {
            ResponseBody::JsonOrEmpty(TypeRef::Json)
        } else {
            ResponseBody::Json(TypeRef::Json)
        }
    }
}

fn status_key(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

/// Chooses the media type to generate for: JSON first, then form, text, anything else.
pub(super) fn pick_media<'m, T>(media: impl Iterator<Item = (&'m str, T)>) -> Option<(&'m str, T)> {
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

/// How a body of this media type is encoded.
pub(super) fn encoding_of(media: &str) -> BodyEncoding {
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
