//! Error types.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::conventions::{Conventions, NoRetryRule};
use super::response::{self, RateLimit};
use super::retry;

/// A boxed error that can cross threads; used for decoding failures and token-provider failures.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when sending a request.
///
/// `E` is the type the operation's error responses decode into (a `serde_json::Value` when the
/// API does not describe them). Match on the variants to handle specific failures, or use the
/// helper methods ([`Self::status`], [`Self::is_retryable`], [`Self::correlation_id`], …) that
/// work across variants.
///
/// Messages are one line, name the operation and never contain credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with a status outside 2xx. The status, headers and raw body are
    /// kept, and the body is decoded into `E` when it can be.
    #[error("{0}")]
    Api(Box<ApiError<E>>),

    /// The server answered with a 2xx status, but the body could not be decoded into the
    /// operation's output type. The raw body and the decoding error are kept.
    #[error("{0}")]
    Decode(Box<DecodeError>),

    /// An attempt did not complete (response headers and body) within the configured timeout,
    /// and no retry was left or allowed.
    #[error("operation `{operation}` timed out after {timeout:?}")]
    Timeout {
        /// The operation id, for example `publishMessage`.
        operation: &'static str,
        /// The per-attempt timeout that expired.
        timeout: Duration,
    },

    /// The request could not be sent or no response arrived (DNS failure, refused connection,
    /// TLS failure, a connection reset before the status line, …). The URL is removed from the
    /// source error because it can contain an API key. A connection that fails later, while the
    /// body is read, is [`Error::ResponseBody`].
    #[error("operation `{operation}`: {}", describe_reqwest(source))]
    Connection {
        /// The operation id.
        operation: &'static str,
        /// The underlying transport error (without the request URL).
        source: reqwest::Error,
    },

    /// The status and headers arrived, but the body did not arrive whole: the connection was
    /// reset or closed before its end (short of its `Content-Length`, say), or the HTTP/2 stream
    /// was reset. A transport failure like [`Error::Connection`], retried under the same rules;
    /// the status, headers and the bytes received are kept.
    #[error("{0}")]
    ResponseBody(Box<ResponseBodyError>),

    /// The response body is larger than the limit (`max_body_size` of the client or the call):
    /// its `Content-Length` said so, or more bytes arrived. Reading stopped at the limit; the
    /// status and headers are kept. Not retried: the next answer would be as large.
    #[error("{0}")]
    BodyTooLarge(Box<BodyTooLargeError>),

    /// The request was not sent because it is invalid: a bad client configuration, missing
    /// credentials, a parameter that cannot be put in a URL or header, or a body that could not
    /// be serialised. The message says what is wrong.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong, in one sentence.
        message: String,
    },

    /// The token provider configured with `ClientBuilder::token_provider` failed.
    #[error("operation `{operation}`: the token provider failed: {source}")]
    Auth {
        /// The operation id.
        operation: &'static str,
        /// The error returned by the token provider.
        source: BoxError,
    },

    /// A paginated stream stopped because the server returned a cursor it had already returned,
    /// which would otherwise loop forever.
    #[error(
        "operation `{operation}`: the server returned the pagination cursor {cursor:?} a second time; stopping to avoid an endless loop"
    )]
    Pagination {
        /// The operation id.
        operation: &'static str,
        /// The repeated cursor.
        cursor: String,
    },
}

/// Describes a transport error with its whole source chain on one line.
pub(crate) fn describe_reqwest(error: &reqwest::Error) -> String {
    let kind = if error.is_connect() {
        "could not connect"
    } else if error.is_timeout() {
        "the HTTP client timed out"
    } else if error.is_body() || error.is_decode() {
        "failed while reading the response"
    } else if error.is_redirect() {
        "too many redirects"
    } else if error.is_builder() {
        "could not build the request"
    } else {
        "failed while sending the request"
    };
    let mut text = format!("{kind}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl<E> Error<E> {
    /// The HTTP status, for the errors that got a response: [`Error::Api`], [`Error::Decode`],
    /// [`Error::ResponseBody`] and [`Error::BodyTooLarge`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::ResponseBody(e) => Some(e.head.status),
            Error::BodyTooLarge(e) => Some(e.head.status),
            _ => None,
        }
    }

    /// The operation id the error belongs to (`None` for [`Error::InvalidRequest`]).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.operation()),
            Error::Decode(e) => Some(e.operation()),
            Error::ResponseBody(e) => Some(e.head.operation),
            Error::BodyTooLarge(e) => Some(e.head.operation),
            Error::Timeout { operation, .. }
            | Error::Connection { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Pagination { operation, .. } => Some(operation),
            Error::InvalidRequest { .. } => None,
        }
    }

    /// Whether the failure is transient, so that trying again later may succeed: timeouts,
    /// connection failures (before the response or while its body was read) and the statuses 408, 429 and 5xx (except 501 and 505), unless the
    /// response matches one of the API's do-not-retry rules ([`ApiError::retry_blocked_by`]).
    ///
    /// The runtime has already retried such failures as configured, except for requests that
    /// are not idempotent and carry no idempotency key: those are retried only after a failed
    /// connection, so this can be `true` for a `POST` that was sent once. Resending such a
    /// request may record it twice.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => {
                retry::is_retryable_status(e.status()) && e.retry_blocked_by().is_none()
            }
            Error::Timeout { .. } => true,
            Error::Connection { source, .. } => retry::is_retryable_transport(source),
            Error::ResponseBody(_) => true,
            _ => false,
        }
    }

    /// Whether the connection failed: before a response arrived ([`Error::Connection`]) or
    /// while its body was read ([`Error::ResponseBody`]).
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection { .. } | Error::ResponseBody(_))
    }

    /// Whether this is an [`Error::Timeout`] (or a transport error reporting a timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Connection { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// The request's correlation id, for [`Error::Api`] and [`Error::Decode`]: from the first
    /// correlation-id response header of the API's conventions that is present, or else (for an
    /// API error) from the conventions' field of a JSON error body. `None` when the spec declares
    /// no such conventions. Quote it when contacting the API's support.
    pub fn correlation_id(&self) -> Option<String> {
        match self {
            Error::Api(e) => e.correlation_id(),
            Error::Decode(e) => e.correlation_id().map(str::to_owned),
            Error::ResponseBody(e) => e.head.correlation_id().map(str::to_owned),
            Error::BodyTooLarge(e) => e.head.correlation_id().map(str::to_owned),
            _ => None,
        }
    }

    /// The rate-limit values of the response, for [`Error::Api`] and [`Error::Decode`] (see
    /// [`RateLimit`]).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::Api(e) => Some(e.rate_limit()),
            Error::Decode(e) => Some(e.rate_limit()),
            Error::ResponseBody(e) => Some(e.head.rate_limit()),
            Error::BodyTooLarge(e) => Some(e.head.rate_limit()),
            _ => None,
        }
    }

    /// The response headers, for the errors that got a response: [`Error::Api`],
    /// [`Error::Decode`], [`Error::ResponseBody`] and [`Error::BodyTooLarge`].
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(e.headers()),
            Error::Decode(e) => Some(e.headers()),
            Error::ResponseBody(e) => Some(&e.head.headers),
            Error::BodyTooLarge(e) => Some(&e.head.headers),
            _ => None,
        }
    }

    /// The raw response body, for [`Error::Api`] and [`Error::Decode`] (the part that arrived
    /// of a body cut off is [`ResponseBodyError::partial_body`]).
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Api(e) => Some(e.body()),
            Error::Decode(e) => Some(e.body()),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-2xx status.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The decoded error body, when the server answered with a non-2xx status whose body
    /// decoded into `E`.
    pub fn parsed(&self) -> Option<&E> {
        self.api_error().and_then(ApiError::parsed)
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(error: BuildError) -> Self {
        Error::InvalidRequest {
            message: error.message,
        }
    }
}

/// A non-2xx response.
///
/// Keeps everything the server sent: status, headers, the raw body (even when it is HTML from a
/// proxy or empty) and, when the body decodes into `E`, the decoded error.
pub struct ApiError<E = serde_json::Value> {
    head: ResponseHead,
    body: Bytes,
    parsed: Option<E>,
}

impl<E> ApiError<E> {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        parsed: Option<E>,
        conventions: &'static Conventions,
    ) -> Self {
        ApiError {
            head: ResponseHead {
                operation,
                status,
                headers,
                conventions,
            },
            body,
            parsed,
        }
    }

    /// The operation id, for example `publishMessage`.
    pub fn operation(&self) -> &'static str {
        self.head.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The value of a response header, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        response::header_str(&self.head.headers, name)
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The response body as text (invalid UTF-8 sequences replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded into `E`, or `None` when it is not valid JSON of that shape.
    pub fn parsed(&self) -> Option<&E> {
        self.parsed.as_ref()
    }

    /// Takes the decoded body out of the error.
    pub fn into_parsed(self) -> Option<E> {
        self.parsed
    }

    /// The body's `message` field, when the body is a JSON object that has one.
    pub fn message(&self) -> Option<String> {
        self.body_field("message")
    }

    /// A top-level string field of the body, when the body is a JSON object that has one (for
    /// example HubSpot's `policyName` or `category`).
    pub fn body_field(&self, name: &str) -> Option<String> {
        response::json_string_field(&self.body, name)
    }

    /// The request's correlation id: from the first correlation-id response header of the
    /// API's conventions that is present, or else from the conventions' field of a JSON body
    /// (for HubSpot: `X-HubSpot-Correlation-Id`, else `correlationId`). `None` when the spec
    /// declares no such conventions.
    pub fn correlation_id(&self) -> Option<String> {
        self.head
            .conventions
            .correlation_id(&self.head.headers, &self.body)
    }

    /// The API's do-not-retry rule this response matches, if any (for HubSpot: a 429 with
    /// `"policyName": "DAILY"`, the daily limit, which resets at midnight in the account's time
    /// zone). Such a response was not retried, and retrying it soon is pointless; the rule's
    /// `reason` says why.
    pub fn retry_blocked_by(&self) -> Option<&'static NoRetryRule> {
        self.head
            .conventions
            .no_retry_rule(self.head.status, &self.body)
    }

    /// The rate-limit values of the response (see [`RateLimit`]).
    pub fn rate_limit(&self) -> RateLimit {
        self.head.rate_limit()
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.head.operation)
            .field("status", &self.head.status)
            .field("headers", &self.head.headers)
            .field("body", &self.body_text())
            .field("parsed", &self.parsed)
            .finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation `{}` failed with HTTP {}",
            self.head.operation, self.head.status
        )?;
        match response::json_object(&self.body) {
            Some(object) => {
                if let Some(message) = object.get("message").and_then(|m| m.as_str()) {
                    write!(f, ": {}", one_line(message, 300))?;
                }
                let mut details = Vec::new();
                for field in ["category", "subCategory", "policyName"] {
                    if let Some(value) = object.get(field).and_then(|v| v.as_str()) {
                        details.push(format!("{field} {}", one_line(value, 100)));
                    }
                }
                if let Some(id) = self.correlation_id() {
                    details.push(format!("correlation id {}", one_line(&id, 100)));
                }
                if !details.is_empty() {
                    write!(f, " ({})", details.join(", "))?;
                }
            }
            None if self.body.is_empty() => f.write_str(" (empty body)")?,
            None => write!(f, " (non-JSON body of {} bytes)", self.body.len())?,
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// Collapses whitespace (including line breaks) and truncates, so that messages stay on one line.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max_chars {
        out = out.chars().take(max_chars).collect();
        out.push('…');
    }
    out
}

/// A 2xx response whose body could not be decoded into the operation's output type.
///
/// The raw body is kept, and the decoding error is available through [`Self::source_error`] and
/// `std::error::Error::source` (it can be downcast to `serde_json::Error` for JSON bodies).
pub struct DecodeError {
    head: ResponseHead,
    body: Bytes,
    source: BoxError,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.head.operation)
            .field("status", &self.head.status)
            .field("headers", &self.head.headers)
            .field("body", &self.body)
            .field("source", &self.source)
            .finish()
    }
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        source: BoxError,
        conventions: &'static Conventions,
    ) -> Self {
        DecodeError {
            head: ResponseHead {
                operation,
                status,
                headers,
                conventions,
            },
            body,
            source,
        }
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.head.operation
    }

    /// The HTTP status (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The response body as text (invalid UTF-8 sequences replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The decoding error, for example a `serde_json::Error`.
    pub fn source_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.source
    }

    /// The request's correlation id, from the first correlation-id response header of the
    /// API's conventions that is present (`None` when the spec declares none).
    pub fn correlation_id(&self) -> Option<&str> {
        self.head.correlation_id()
    }

    /// The rate-limit values of the response (see [`RateLimit`]).
    pub fn rate_limit(&self) -> RateLimit {
        self.head.rate_limit()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation `{}`: could not decode the HTTP {} response body: {}",
            self.head.operation,
            self.head.status,
            one_line(&self.source.to_string(), 300)
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The status line and headers of a response, with the operation it answers and the API
/// conventions to read it by: what every error that got a response keeps.
#[derive(Debug)]
struct ResponseHead {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    conventions: &'static Conventions,
}

impl ResponseHead {
    fn correlation_id(&self) -> Option<&str> {
        self.conventions.correlation_id_header(&self.headers)
    }

    fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers, self.conventions)
    }
}

/// A response whose body was cut off: the connection was reset or closed before the body's
/// end, or its HTTP/2 stream was reset. The status, headers and the bytes that arrived are
/// kept; the transport error is the [`std::error::Error::source`] (without the request URL).
pub struct ResponseBodyError {
    head: ResponseHead,
    partial: Bytes,
    source: reqwest::Error,
}

impl ResponseBodyError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        partial: Bytes,
        source: reqwest::Error,
        conventions: &'static Conventions,
    ) -> Self {
        ResponseBodyError {
            head: ResponseHead {
                operation,
                status,
                headers,
                conventions,
            },
            partial,
            source,
        }
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.head.operation
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The part of the body that arrived before the failure.
    pub fn partial_body(&self) -> &Bytes {
        &self.partial
    }

    /// The body length the server declared (`Content-Length`), if it did.
    pub fn declared_length(&self) -> Option<u64> {
        content_length(&self.head.headers)
    }

    /// The transport error (without the request URL).
    pub fn transport_error(&self) -> &reqwest::Error {
        &self.source
    }

    /// The request's correlation id, from the first correlation-id response header of the
    /// API's conventions that is present (`None` when the spec declares none).
    pub fn correlation_id(&self) -> Option<&str> {
        self.head.correlation_id()
    }
}

impl fmt::Debug for ResponseBodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBodyError")
            .field("operation", &self.head.operation)
            .field("status", &self.head.status)
            .field("headers", &self.head.headers)
            .field("partial_body_len", &self.partial.len())
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for ResponseBodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation `{}`: the body of the HTTP {} response was cut off after {} bytes",
            self.head.operation,
            self.head.status,
            self.partial.len()
        )?;
        if let Some(length) = self.declared_length() {
            write!(f, " of {length}")?;
        }
        write!(f, ": {}", describe_reqwest(&self.source))
    }
}

impl std::error::Error for ResponseBodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A response whose body is larger than the limit the client (or the call) accepts. Reading
/// stopped at the limit, and what was read is dropped; status and headers are kept.
#[derive(Debug)]
pub struct BodyTooLargeError {
    head: ResponseHead,
    limit: u64,
    declared: Option<u64>,
}

impl BodyTooLargeError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        limit: u64,
        declared: Option<u64>,
        conventions: &'static Conventions,
    ) -> Self {
        BodyTooLargeError {
            head: ResponseHead {
                operation,
                status,
                headers,
                conventions,
            },
            limit,
            declared,
        }
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.head.operation
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The limit, in bytes, that the body exceeded.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The body length the server declared (`Content-Length`), when it did; `None` for a body
    /// sent without one, which was read until it passed the limit.
    pub fn declared_length(&self) -> Option<u64> {
        self.declared
    }

    /// The request's correlation id, from the first correlation-id response header of the
    /// API's conventions that is present (`None` when the spec declares none).
    pub fn correlation_id(&self) -> Option<&str> {
        self.head.correlation_id()
    }
}

impl fmt::Display for BodyTooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation `{}`: the body of the HTTP {} response ",
            self.head.operation, self.head.status
        )?;
        match self.declared {
            Some(length) => write!(f, "declares {length} bytes")?,
            None => f.write_str("is longer")?,
        }
        write!(
            f,
            ", more than the limit of {} bytes (raise it with `max_body_size`)",
            self.limit
        )
    }
}

impl std::error::Error for BodyTooLargeError {}

/// The `Content-Length` header, when present and a number.
fn content_length(headers: &HeaderMap) -> Option<u64> {
    response::header_str(headers, "content-length")?
        .trim()
        .parse()
        .ok()
}

/// A request or client configuration that cannot be built. The message says what is wrong and,
/// when it is not a secret, what was given.
///
/// Converts into [`Error::InvalidRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// Creates an error with the given message.
    pub fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}
