//! Request bodies and responses of an operation (part of the operations phase).
//!
//! Takes: a Request Body object or an operation's Responses object, and the schema lowerer for
//! their types. Gives: the [`RequestBody`], and what a success decodes into, with the error
//! body type. The media types generated for are ranked in one place: JSON first, then form,
//! multipart, text, anything else; a request body's other media types become methods of their
//! own. `text/event-stream` responses are typed event streams, binary ones byte streams.

use super::schemas::SchemaLowerer;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::resolve::{RefError, Resolver, SchemaRef};
use openapiv3::{ReferenceOr, StatusCode};

/// One way to send an operation's body: the first is the method's own, each other one (another
/// media type the caller may pick) becomes a method of its own, named with `words` added.
pub struct BodyChoice {
    /// Words added to the method and struct names; empty for the first.
    pub words: Vec<String>,
    /// The body.
    pub body: RequestBody,
}

/// Lowers a request body: one choice per media type worth a method of its own, the preferred
/// first (JSON, then form, multipart, text, anything else). Gives nothing when its `$ref`
/// cannot be followed (an error; or a broken-document warning when it names nothing, and the
/// operation goes without a body), or when it declares no media type.
pub fn request_body<'a>(
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    diags: &mut Diagnostics,
    rb: &'a ReferenceOr<openapiv3::RequestBody>,
    struct_hint: &str,
    at: &Pointer,
) -> Vec<BodyChoice> {
    let (body, body_ptr) = match resolver.component(rb, at, diags) {
        Ok(x) => x,
        Err(RefError::Dangling(e)) => {
            diags.broken(
                at,
                format!("{e}; the operation is generated without a request body"),
            );
            return Vec::new();
        }
        Err(e) => {
            diags.error(at, e);
            return Vec::new();
        }
    };
    let mut choices: Vec<BodyChoice> = Vec::new();
    let mut seen_media: Vec<String> = Vec::new();
    for (media, mt) in ranked_media(body.content.iter().map(|(k, v)| (k.as_str(), v))) {
        let base = base_media(media);
        if seen_media.contains(&base) {
            continue;
        }
        seen_media.push(base);
        let media_ptr = body_ptr.push("content").push(media);
        let hint = if choices.is_empty() {
            format!("{struct_hint} Body")
        } else {
            format!("{struct_hint} {} Body", media_words(media).join(" "))
        };
        let (encoding, ty, form) =
            body_content(resolver, schemas, diags, media, mt, &hint, &media_ptr);
        let body = RequestBody {
            media_type: media.to_owned(),
            encoding,
            ty,
            required: body.required,
            doc: super::docs::prose(body.description.as_deref()),
            form,
        };
        // Another media type taking the same argument adds nothing the caller can pick by type.
        if choices
            .iter()
            .any(|c| c.body.form.is_none() && c.body.encoding == encoding && c.body.ty == body.ty)
        {
            continue;
        }
        let words = if choices.is_empty() {
            Vec::new()
        } else {
            media_words(media)
        };
        choices.push(BodyChoice { words, body });
    }
    choices
}

/// The encoding, argument type and (for multipart) form of one media type of a request body.
fn body_content<'a>(
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    diags: &mut Diagnostics,
    media: &str,
    mt: &'a openapiv3::MediaType,
    hint: &str,
    media_ptr: &Pointer,
) -> (BodyEncoding, TypeRef, Option<MultipartForm>) {
    let schema_ptr = media_ptr.push("schema");
    match (encoding_of(media), &mt.schema) {
        (BodyEncoding::Json | BodyEncoding::Form, Some(s)) => {
            let encoding = encoding_of(media);
            (
                encoding,
                schemas.type_ref(SchemaRef::from(s), hint, &schema_ptr, 1),
                None,
            )
        }
        (BodyEncoding::Json | BodyEncoding::Form, None) => {
            (encoding_of(media), TypeRef::Json, None)
        }
        (BodyEncoding::Multipart, _) => {
            match super::multipart::form(resolver, schemas, diags, mt, hint, media_ptr) {
                Some(form) => (BodyEncoding::Multipart, TypeRef::Json, Some(form)),
                None => {
                    diags.warning(
                        media_ptr,
                        "this multipart body has no object schema with properties to make parts of: it is sent as raw bytes the caller builds (boundary included in the content type they set)",
                    );
                    (BodyEncoding::Bytes, TypeRef::Bytes, None)
                }
            }
        }
        (BodyEncoding::Text, _) => (BodyEncoding::Text, TypeRef::String, None),
        (BodyEncoding::Bytes, _) => {
            if media.to_ascii_lowercase().starts_with("multipart/") {
                diags.warning(
                    media_ptr,
                    "only `multipart/form-data` bodies are typed: this one is sent as raw bytes the caller builds",
                );
            }
            (BodyEncoding::Bytes, TypeRef::Bytes, None)
        }
    }
}

/// The media type without parameters, lower-case.
fn base_media(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The words a media type adds to the name of the method that sends it: `multipart`, `form`,
/// `json`, `text`, `bytes`, or its subtype's words (`xml`, `vnd api json`).
fn media_words(media: &str) -> Vec<String> {
    let base = base_media(media);
    let word = match base.as_str() {
        "multipart/form-data" => "multipart",
        "application/x-www-form-urlencoded" => "form",
        "application/json" => "json",
        "text/plain" => "text",
        "application/octet-stream" => "bytes",
        _ => {
            let subtype = base.rsplit('/').next().unwrap_or("body");
            let words = crate::naming::snake_words(subtype);
            return if words.is_empty() {
                vec!["body".to_owned()]
            } else {
                words
            };
        }
    };
    vec![word.to_owned()]
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
                response_body(resolver, schemas, resp, &hint, &resp_ptr)
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
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    resp: &'a openapiv3::Response,
    hint: &str,
    at: &Pointer,
) -> ResponseBody {
    let Some((media, mt)) = pick_media(resp.content.iter().map(|(k, v)| (k.as_str(), v))) else {
        return ResponseBody::Empty;
    };
    if base_media(media) == "text/event-stream" {
        return ResponseBody::Events(event_data(
            resolver,
            schemas,
            mt,
            hint,
            &at.push("content").push(media).push("schema"),
        ));
    }
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
        // XML, YAML, JavaScript: text documents, read whole.
        BodyEncoding::Bytes | BodyEncoding::Multipart
            if crate::load::openapi31::textual_media_type(media) =>
        {
            ResponseBody::Text
        }
        BodyEncoding::Bytes | BodyEncoding::Multipart => ResponseBody::ByteStream,
    }
}

/// The JSON type of each event's data in an event stream, or `None` to keep the data as text.
///
/// The schema (or OpenAPI 3.2's `itemSchema`, read as the schema by the load stage) describes
/// either the whole event, as an object whose properties are among the event's fields
/// (`data`, `event`, `id`, `retry`), `data` among them; then `data`'s schema is the data's. Or
/// it describes the data itself. A string (or no schema) is text.
fn event_data<'a>(
    resolver: &'a Resolver<'a>,
    schemas: &mut SchemaLowerer<'a>,
    mt: &'a openapiv3::MediaType,
    hint: &str,
    at: &Pointer,
) -> Option<TypeRef> {
    let s = mt.schema.as_ref()?;
    let resolved = resolver.schema(SchemaRef::from(s), at.as_str()).ok()?;
    let is_string = |schema: &openapiv3::Schema| {
        matches!(
            schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        )
    };
    if is_string(resolved.schema) {
        return None;
    }
    if let openapiv3::SchemaKind::Type(openapiv3::Type::Object(obj)) = &resolved.schema.schema_kind
    {
        let envelope = obj.properties.contains_key("data")
            && obj
                .properties
                .keys()
                .all(|k| matches!(k.as_str(), "data" | "event" | "id" | "retry"));
        if envelope {
            let data = &obj.properties["data"];
            let base = if resolved.pointer.is_empty() {
                at.clone()
            } else {
                Pointer::from_fragment(&resolved.pointer)
            };
            let data_ptr = base.push("properties").push("data");
            let data_schema = resolver
                .schema(SchemaRef::from(data), data_ptr.as_str())
                .ok()?;
            if is_string(data_schema.schema) {
                return None;
            }
            return Some(schemas.type_ref(
                SchemaRef::from(data),
                &format!("{hint} Data"),
                &data_ptr,
                2,
            ));
        }
    }
    Some(schemas.type_ref(SchemaRef::from(s), hint, at, 1))
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
    ranked_media(media).into_iter().next()
}

/// The media types in the order they are generated for: JSON first, then form, multipart,
/// text, anything else (spec order among equals).
fn ranked_media<'m, T>(media: impl Iterator<Item = (&'m str, T)>) -> Vec<(&'m str, T)> {
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
        } else if base == "multipart/form-data" {
            4
        } else if base.starts_with("text/") {
            5
        } else {
            6
        }
    };
    all.sort_by_key(|(m, _)| rank(m));
    all
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
    } else if base == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if base.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}
