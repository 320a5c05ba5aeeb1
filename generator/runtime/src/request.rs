//! Turning an operation's parameters and a call's options into a ready-to-send request.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use serde::Serialize;
use serde_json::Value;

use super::auth::{self, ApiKeyLocation, BearerSource, CallCredentials, SchemeKind, TokenProvider};
use super::call::{IdempotencyKey, OperationInfo, RequestOptions};
use super::client::{Client, MAX_RETRIES_LIMIT};
use super::error::BuildError;
use super::multipart::MultipartBody;

/// Characters left as they are in path segments and query components: RFC 3986 "unreserved".
/// Everything else, including `/`, `?`, `&`, `=`, `+` and `#`, is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a query parameter's arrays and objects are written: OpenAPI 3.0 `style` (and `explode`).
///
/// With `ids = [1, 2]` and `color = {"B": 1, "G": 2}` (scalars are always `name=value`;
/// properties come in the order of the serialised `serde_json` map):
///
/// | style                     | array         | object                              |
/// |---------------------------|---------------|-------------------------------------|
/// | `Form { explode: true }`  | `ids=1&ids=2` | `B=1&G=2`                           |
/// | `Form { explode: false }` | `ids=1,2`     | `color=B,1,G,2`                     |
/// | `SpaceDelimited`          | `ids=1%202`   | `color=B%201%20G%202`               |
/// | `PipeDelimited`           | `ids=1%7C2`   | `color=B%7C1%7CG%7C2`               |
/// | `DeepObject`              | (error)       | `color%5BB%5D=1&color%5BG%5D=2`     |
///
/// (`color%5BB%5D=1` is `color[B]=1` percent-encoded.)
///
/// The default is `Form { explode: true }`, OpenAPI's default for query parameters and what
/// [`RequestParts::query`] uses. `SpaceDelimited` and `PipeDelimited` are the non-exploded forms
/// (with `explode: true` OpenAPI writes them like `Form { explode: true }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// `style: form`: arrays and objects as repeated parameters (`explode: true`) or as one
    /// comma-separated value (`explode: false`).
    Form {
        /// Whether each element or property becomes its own parameter.
        explode: bool,
    },
    /// `style: spaceDelimited`: one value, elements separated by `%20`.
    SpaceDelimited,
    /// `style: pipeDelimited`: one value, elements separated by `|` (sent as `%7C`).
    PipeDelimited,
    /// `style: deepObject`: one parameter per property, named `name[key]` (brackets sent
    /// percent-encoded, as `%5B` and `%5D`). Objects only.
    DeepObject,
}

impl Default for QueryStyle {
    fn default() -> Self {
        QueryStyle::Form { explode: true }
    }
}

/// The parts of a request that an operation fills in: path parameters, query parameters,
/// headers and body.
///
/// Values are serialised with serde: strings as they are, numbers and booleans as text,
/// `null`/`None` omitted, arrays as repeated query keys (`sort=a&sort=b`, or as
/// [`QueryStyle`] says) or comma-separated in paths and headers, date-times in the RFC 3339
/// form their serde implementation produces.
#[derive(Default)]
pub struct RequestParts {
    path_params: Vec<(&'static str, String)>,
    /// Query parameters, name and value already percent-encoded.
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Body>,
}

enum Body {
    Json(Result<Value, String>),
    Raw {
        content_type: &'static str,
        data: Bytes,
    },
    Multipart(MultipartBody),
}

/// A request body ready to be sent, and sent again on a retry.
#[derive(Clone)]
pub(crate) enum PreparedBody {
    /// No body.
    None,
    /// Serialised bytes (`Content-Type` already among the headers).
    Bytes(Bytes),
    /// A multipart form, made anew for each attempt (its boundary goes in `Content-Type`).
    Multipart(MultipartBody),
}

impl PreparedBody {
    /// Whether the body can be sent more than once (a multipart stream part cannot).
    pub(crate) fn is_replayable(&self) -> bool {
        match self {
            PreparedBody::None | PreparedBody::Bytes(_) => true,
            PreparedBody::Multipart(form) => form.is_replayable(),
        }
    }
}

impl fmt::Debug for RequestParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path: Vec<&str> = self.path_params.iter().map(|(n, _)| *n).collect();
        let query: Vec<&str> = self.query.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestParts")
            .field("path_params", &path)
            .field("query", &query)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("has_body", &self.body.is_some())
            .finish()
    }
}

impl RequestParts {
    /// Sets the value of the `{name}` placeholder of the path template. The value is
    /// percent-encoded so that it stays one path segment.
    pub fn path_param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        let text = match to_json(value, "path parameter", name)? {
            Value::Null => {
                return Err(BuildError::new(format!(
                    "path parameter `{name}` is missing (null)"
                )));
            }
            Value::Array(items) => join_scalars(&items, "path parameter", name)?,
            Value::Object(_) => return Err(nested_error("path parameter", name)),
            scalar => scalar_text(&scalar).unwrap_or_default(),
        };
        self.path_params.retain(|(n, _)| *n != name);
        self.path_params.push((name, text));
        Ok(())
    }

    /// Adds a query parameter in the default style (OpenAPI `form` with `explode: true`):
    /// `None`/`null` adds nothing; an array adds the key once per element (`sort=a&sort=b`);
    /// an object adds one parameter per property (`color=red&size=2`).
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        self.query_styled(name, value, QueryStyle::default())
    }

    /// Adds a query parameter serialised in the given OpenAPI 3.0 `style`.
    ///
    /// Scalars are always `name=value` and `None`/`null` adds nothing, whatever the style; so
    /// do empty arrays and objects, and `null` elements and properties are left out. Names,
    /// values and property keys are percent-encoded (everything but RFC 3986 unreserved), so a
    /// delimiter inside a value (`,` as `%2C`) stays distinguishable from a literal `,`
    /// delimiter; `%20` and `%7C` delimiters cannot be told apart from a space or `|` inside a
    /// value, as in the OpenAPI specification itself. See [`QueryStyle`] for the wire forms.
    /// Nested arrays or objects are a [`BuildError`], and so is an array in `deepObject` style.
    pub fn query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) -> Result<(), BuildError> {
        let scalar = |item: &Value| match scalar_text(item) {
            Some(text) => Ok(Some(encode(&text))),
            None if item.is_null() => Ok(None),
            None => Err(nested_error("query parameter", name)),
        };
        let delimiter = match style {
            QueryStyle::Form { explode: true } | QueryStyle::DeepObject => None,
            QueryStyle::Form { explode: false } => Some(","),
            QueryStyle::SpaceDelimited => Some("%20"),
            QueryStyle::PipeDelimited => Some("%7C"),
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        match to_json(value, "query parameter", name)? {
            Value::Array(_) if style == QueryStyle::DeepObject => {
                return Err(BuildError::new(format!(
                    "query parameter `{name}` is an array, which the deepObject style cannot represent"
                )));
            }
            Value::Array(items) => {
                let texts: Vec<String> = items
                    .iter()
                    .filter_map(|item| scalar(item).transpose())
                    .collect::<Result<_, _>>()?;
                match delimiter {
                    None => pairs.extend(texts.into_iter().map(|text| (encode(name), text))),
                    Some(_) if texts.is_empty() => {}
                    Some(delimiter) => pairs.push((encode(name), texts.join(delimiter))),
                }
            }
            Value::Object(properties) => {
                let mut texts: Vec<(String, String)> = Vec::with_capacity(properties.len());
                for (key, item) in &properties {
                    if let Some(text) = scalar(item)? {
                        texts.push((encode(key), text));
                    }
                }
                match (style, delimiter) {
                    (QueryStyle::DeepObject, _) => pairs.extend(
                        texts
                            .into_iter()
                            .map(|(key, text)| (format!("{}%5B{key}%5D", encode(name)), text)),
                    ),
                    (_, None) => pairs.extend(texts),
                    (_, Some(_)) if texts.is_empty() => {}
                    (_, Some(delimiter)) => {
                        let joined: Vec<String> = texts
                            .into_iter()
                            .flat_map(|(key, text)| [key, text])
                            .collect();
                        pairs.push((encode(name), joined.join(delimiter)));
                    }
                }
            }
            item => pairs.extend(scalar(&item)?.map(|text| (encode(name), text))),
        }
        self.query.extend(pairs);
        Ok(())
    }

    /// Adds a request header. `None`/`null` adds nothing; an array is sent comma-separated.
    pub fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        let text = match to_json(value, "header", name)? {
            Value::Null => return Ok(()),
            Value::Array(items) => join_scalars(&items, "header", name)?,
            Value::Object(_) => return Err(nested_error("header", name)),
            scalar => scalar_text(&scalar).unwrap_or_default(),
        };
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| BuildError::new(format!("`{name}` is not a valid HTTP header name")))?;
        let header_value = HeaderValue::from_str(&text).map_err(|_| {
            BuildError::new(format!(
                "the value of header `{name}` contains characters that are not allowed in HTTP headers"
            ))
        })?;
        self.headers.append(header_name, header_value);
        Ok(())
    }

    /// Sets a JSON request body (sent with `Content-Type: application/json`).
    pub fn json_body(&mut self, body: &JsonBody) {
        self.body = Some(Body::Json(body.0.clone()));
    }

    /// Adds a cookie parameter (sent in the `Cookie` header as `name=value`). `None`/`null`
    /// adds nothing; an array is sent comma-separated.
    pub fn cookie<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        let text = match to_json(value, "cookie", name)? {
            Value::Null => return Ok(()),
            Value::Array(items) => join_scalars(&items, "cookie", name)?,
            Value::Object(_) => return Err(nested_error("cookie", name)),
            scalar => scalar_text(&scalar).unwrap_or_default(),
        };
        let pair = format!("{name}={text}");
        let combined = match self.headers.get(reqwest::header::COOKIE) {
            Some(existing) => format!("{}; {pair}", existing.to_str().unwrap_or_default()),
            None => pair,
        };
        let value = HeaderValue::from_str(&combined).map_err(|_| {
            BuildError::new(format!(
                "the value of cookie `{name}` contains characters that are not allowed in HTTP headers"
            ))
        })?;
        self.headers.insert(reqwest::header::COOKIE, value);
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from a JSON object: one field per
    /// property, arrays as repeated fields, nested objects as JSON text.
    pub fn form_body(&mut self, body: &JsonBody) -> Result<(), BuildError> {
        let value = body.0.clone().map_err(BuildError::new)?;
        let Value::Object(properties) = value else {
            return Err(BuildError::new(
                "a form-encoded body must be an object with one property per field",
            ));
        };
        let mut pairs: Vec<String> = Vec::new();
        for (key, item) in &properties {
            let items: Vec<&Value> = match item {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                let text = match item {
                    Value::Null => continue,
                    Value::Object(_) | Value::Array(_) => item.to_string(),
                    scalar => scalar_text(scalar).unwrap_or_default(),
                };
                pairs.push(format!("{}={}", encode(key), encode(&text)));
            }
        }
        self.body = Some(Body::Raw {
            content_type: "application/x-www-form-urlencoded",
            data: Bytes::from(pairs.join("&")),
        });
        Ok(())
    }

    /// Sets the `Accept` header (the runtime sends `application/json` otherwise).
    pub fn accept(&mut self, media: &'static str) {
        self.headers.insert(ACCEPT, HeaderValue::from_static(media));
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, body: MultipartBody) {
        self.body = Some(Body::Multipart(body));
    }

    /// Sets a non-JSON request body with the given content type.
    pub fn bytes_body(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Some(Body::Raw {
            content_type,
            data: body,
        });
    }
}

/// Percent-encodes a query name or value (everything but RFC 3986 unreserved).
fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

fn to_json<T: Serialize + ?Sized>(value: &T, what: &str, name: &str) -> Result<Value, BuildError> {
    serde_json::to_value(value)
        .map_err(|e| BuildError::new(format!("{what} `{name}` could not be serialised: {e}")))
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn join_scalars(items: &[Value], what: &str, name: &str) -> Result<String, BuildError> {
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        match scalar_text(item) {
            Some(text) => texts.push(text),
            None if item.is_null() => {}
            None => return Err(nested_error(what, name)),
        }
    }
    Ok(texts.join(","))
}

fn nested_error(what: &str, name: &str) -> BuildError {
    BuildError::new(format!(
        "{what} `{name}` contains arrays or objects that cannot be represented there"
    ))
}

/// A request body already serialised to JSON. A serialisation failure is kept and reported as
/// `Error::InvalidRequest` when the call is sent.
#[derive(Clone, PartialEq)]
pub struct JsonBody(Result<Value, String>);

impl JsonBody {
    /// Serialises `value` to JSON.
    pub fn new<T: Serialize + ?Sized>(value: &T) -> Self {
        JsonBody(serde_json::to_value(value).map_err(|e| e.to_string()))
    }

    /// Wraps an existing JSON value.
    pub fn from_value(value: Value) -> Self {
        JsonBody(Ok(value))
    }

    /// The JSON value, or `None` when serialisation failed.
    pub fn value(&self) -> Option<&Value> {
        self.0.as_ref().ok()
    }
}

impl fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(value) => fmt::Debug::fmt(value, f),
            Err(error) => write!(f, "<not serialisable: {error}>"),
        }
    }
}

/// A request ready to be sent, and re-sent on retries.
#[derive(Clone)]
pub(crate) struct Prepared {
    pub(crate) client: Client,
    pub(crate) info: &'static OperationInfo,
    /// Prefix and path template, for logs (never the filled path or the query).
    pub(crate) path_template: String,
    pub(crate) url: reqwest::Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: PreparedBody,
    /// Asked for a bearer token before each attempt.
    pub(crate) provider: Option<Arc<dyn TokenProvider>>,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    /// The largest response body to read.
    pub(crate) max_body_size: u64,
    /// Idempotent, or carries an idempotency key: any transient failure may be retried.
    pub(crate) retry_unsafe_ok: bool,
    /// The body can be sent again: without it nothing is retried.
    pub(crate) replayable: bool,
}

impl Prepared {
    /// Validates the call's options, fills the path, selects credentials, assembles headers,
    /// body and URL, and fills in the idempotency key. Errors are complete messages for
    /// `Error::InvalidRequest`.
    pub(crate) fn new(
        client: &Client,
        prefix: &'static str,
        info: &'static OperationInfo,
        parts: RequestParts,
        options: &RequestOptions,
    ) -> Result<Prepared, String> {
        let id = info.operation_id;
        let invalid = |message: String| format!("operation `{id}`: {message}");
        let config = client.inner();

        let timeout = options.timeout.unwrap_or(config.timeout);
        if timeout.is_zero() {
            return Err(invalid(
                "the per-call timeout must be greater than zero (got 0s)".to_owned(),
            ));
        }
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        if max_retries > MAX_RETRIES_LIMIT {
            return Err(invalid(format!(
                "max_retries must be at most {MAX_RETRIES_LIMIT} (got {max_retries})"
            )));
        }

        let path = fill_path(info.path, &parts.path_params).map_err(|e| invalid(e.to_string()))?;
        let mut query = parts.query;
        for (name, value) in &options.query {
            if name.is_empty() {
                return Err(invalid(
                    "a per-call query parameter has an empty name".to_owned(),
                ));
            }
            query.push((encode(name), encode(value)));
        }

        let mut headers = parts.headers;
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers
            .entry(ACCEPT)
            .or_insert_with(|| HeaderValue::from_static("application/json"));

        let (body, mut has_key) =
            prepare_body(parts.body, info.idempotency_key, &mut headers).map_err(invalid)?;
        let mut provider = apply_auth(client, info, options, &mut headers, &mut query)?;
        if apply_call_headers(options, &mut headers).map_err(invalid)? {
            // The caller set `Authorization` themselves.
            provider = None;
        }
        if let Some(IdempotencyKey::Header(name)) = info.idempotency_key {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("idempotency header `{name}` is not valid")))?;
            if !headers.contains_key(&header_name) {
                let key = HeaderValue::try_from(new_idempotency_key())
                    .map_err(|e| invalid(e.to_string()))?;
                headers.insert(header_name, key);
            }
            has_key = true;
        }

        let url = build_url(&config.base_url, prefix, &path, &query).map_err(invalid)?;
        Ok(Prepared {
            client: client.clone(),
            info,
            path_template: format!("{prefix}{}", info.path),
            url,
            headers,
            provider,
            timeout,
            max_retries,
            max_body_size: options.max_body_size.unwrap_or(config.max_body_size),
            retry_unsafe_ok: info.idempotent || has_key,
            replayable: body.is_replayable(),
            body,
        })
    }
}

/// Serialises the body (filling a body idempotency key first) and sets its content type.
/// Returns the body and whether it carries an idempotency key.
fn prepare_body(
    body: Option<Body>,
    key: Option<IdempotencyKey>,
    headers: &mut HeaderMap,
) -> Result<(PreparedBody, bool), String> {
    match body {
        None => Ok((PreparedBody::None, false)),
        Some(Body::Json(Err(error))) => Err(format!(
            "the request body could not be serialised to JSON: {error}"
        )),
        Some(Body::Json(Ok(mut value))) => {
            let has_key = match key {
                Some(IdempotencyKey::BodyPointer(pointer)) => ensure_body_key(&mut value, pointer),
                _ => false,
            };
            let bytes = serde_json::to_vec(&value)
                .map_err(|e| format!("the request body could not be serialised to JSON: {e}"))?;
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Ok((PreparedBody::Bytes(Bytes::from(bytes)), has_key))
        }
        Some(Body::Raw { content_type, data }) => {
            let value = HeaderValue::from_str(content_type).map_err(|_| {
                format!("content type {content_type:?} is not a valid header value")
            })?;
            headers.insert(CONTENT_TYPE, value);
            Ok((PreparedBody::Bytes(data), false))
        }
        // `Content-Type` (with the boundary) is set for each attempt.
        Some(Body::Multipart(form)) => Ok((PreparedBody::Multipart(form), false)),
    }
}

/// Selects the credentials for the operation and adds them to the headers or query. Returns the
/// token provider to ask before each attempt, if the bearer token comes from one.
fn apply_auth(
    client: &Client,
    info: &'static OperationInfo,
    options: &RequestOptions,
    headers: &mut HeaderMap,
    query: &mut Vec<(String, String)>,
) -> Result<Option<Arc<dyn TokenProvider>>, String> {
    let id = info.operation_id;
    let credentials = &client.inner().credentials;
    let call_bearer = options.bearer_token.as_ref();
    let call = CallCredentials {
        bearer: call_bearer.is_some(),
        authorization: options
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization")),
    };
    let chosen = credentials.select(id, info.security, call)?;
    let unsendable = |what: &str| {
        format!("operation `{id}`: {what} cannot be sent in an HTTP header (value not shown)")
    };

    let mut provider = None;
    for requirement in chosen {
        let scheme = requirement.scheme;
        match requirement.kind {
            SchemeKind::Bearer => {
                let token = match (call_bearer, &credentials.bearer) {
                    (Some(token), _) | (None, Some(BearerSource::Static(token))) => token,
                    (None, Some(BearerSource::Provider(p))) => {
                        provider = Some(Arc::clone(p));
                        continue;
                    }
                    (None, None) => continue,
                };
                let value = auth::bearer_header(token.expose())
                    .ok_or_else(|| unsendable("the bearer token"))?;
                headers.insert(AUTHORIZATION, value);
            }
            SchemeKind::Basic => {
                if let Some((user, password)) = &credentials.basic {
                    let value = auth::basic_header(user.expose(), password.expose())
                        .ok_or_else(|| unsendable("the basic-auth credentials"))?;
                    headers.insert(AUTHORIZATION, value);
                }
            }
            SchemeKind::ApiKey { location, name } => {
                let Some(key) = credentials.api_keys.get(scheme) else {
                    continue;
                };
                let what = format!("the API key for security scheme `{scheme}`");
                match location {
                    ApiKeyLocation::Query => query.push((encode(name), encode(key.expose()))),
                    ApiKeyLocation::Header => {
                        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                            format!(
                                "operation `{id}`: security scheme `{scheme}` names an invalid header `{name}`"
                            )
                        })?;
                        let value = auth::sensitive_header(key.expose())
                            .ok_or_else(|| unsendable(&what))?;
                        headers.insert(header_name, value);
                    }
                    ApiKeyLocation::Cookie => {
                        let value = auth::sensitive_header(&format!("{name}={}", key.expose()))
                            .ok_or_else(|| unsendable(&what))?;
                        headers.append(COOKIE, value);
                    }
                }
            }
        }
    }
    Ok(provider)
}

/// Adds the per-call headers, replacing headers of the same name. Returns whether
/// `Authorization` was among them.
fn apply_call_headers(options: &RequestOptions, headers: &mut HeaderMap) -> Result<bool, String> {
    let mut replaced: Vec<HeaderName> = Vec::new();
    for (name, value) in &options.headers {
        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            format!("per-call header name {name:?} is not a valid HTTP header name")
        })?;
        let mut header_value = HeaderValue::from_str(value).map_err(|_| {
            format!(
                "the value of per-call header `{name}` contains characters that are not allowed in HTTP headers (value not shown)"
            )
        })?;
        if is_sensitive_header(&header_name) {
            header_value.set_sensitive(true);
        }
        if replaced.contains(&header_name) {
            headers.append(header_name, header_value);
        } else {
            headers.insert(header_name.clone(), header_value);
            replaced.push(header_name);
        }
    }
    Ok(replaced.contains(&AUTHORIZATION))
}

/// Header names whose values are credentials.
fn is_sensitive_header(name: &HeaderName) -> bool {
    let name = name.as_str();
    matches!(name, "authorization" | "proxy-authorization" | "cookie")
        || name.contains("key")
        || name.contains("token")
        || name.contains("secret")
}

/// Base URL + prefix + filled path + query (`query` is already percent-encoded).
fn build_url(
    base_url: &str,
    prefix: &str,
    path: &str,
    query: &[(String, String)],
) -> Result<reqwest::Url, String> {
    let mut url = String::with_capacity(base_url.len() + prefix.len() + path.len() + 64);
    url.push_str(base_url);
    url.push_str(prefix);
    url.push_str(path);
    let without_query = url.len();
    for (i, (name, value)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(name);
        url.push('=');
        url.push_str(value);
    }
    reqwest::Url::parse(&url).map_err(|e| {
        // The query is left out of the message: it can hold an API key.
        format!(
            "could not form a valid URL from {:?}: {e}",
            &url[..without_query]
        )
    })
}

/// Replaces `{name}` placeholders with percent-encoded parameter values.
pub(crate) fn fill_path(
    template: &str,
    params: &[(&'static str, String)],
) -> Result<String, BuildError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            BuildError::new(format!("path template {template:?} has an unclosed `{{`"))
        })?;
        let name = &after[..close];
        let value = params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| BuildError::new(format!("path parameter `{name}` was not set")))?;
        if value.is_empty() {
            return Err(BuildError::new(format!(
                "path parameter `{name}` is empty, which would change the path"
            )));
        }
        if value == "." || value == ".." {
            return Err(BuildError::new(format!(
                "path parameter `{name}` must not be {value:?}, which would change the path"
            )));
        }
        out.extend(utf8_percent_encode(value, COMPONENT));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Makes sure the body has a non-empty idempotency key at `pointer`, generating a UUID v4 when
/// it is missing, `null` or empty. Returns whether the body carries a key afterwards (`false`
/// when the parent object does not exist).
pub(crate) fn ensure_body_key(body: &mut Value, pointer: &str) -> bool {
    let Some(slash) = pointer.rfind('/') else {
        return false;
    };
    let (parent, last) = (&pointer[..slash], &pointer[slash + 1..]);
    let key = last.replace("~1", "/").replace("~0", "~");
    let Some(Value::Object(object)) = body.pointer_mut(parent) else {
        return false;
    };
    match object.get(&key) {
        Some(Value::String(existing)) if !existing.is_empty() => true,
        None | Some(Value::Null) | Some(Value::String(_)) => {
            object.insert(key, Value::String(new_idempotency_key()));
            true
        }
        // A caller-provided non-string key (for example a number) is kept as it is.
        Some(_) => true,
    }
}

/// A fresh idempotency key: a random (version 4) UUID.
fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    fastrand::fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}
