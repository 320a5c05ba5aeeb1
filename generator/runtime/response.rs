//! Successful responses, rate-limit headers and small helpers for reading responses.

use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// The header carrying HubSpot's correlation id.
pub(crate) const CORRELATION_ID_HEADER: &str = "x-hubspot-correlation-id";

/// A decoded response together with its status and headers.
///
/// Returned by `Call::send_with_response`. It dereferences to the decoded value.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Response {
            status,
            headers,
            value,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of a response header (case-insensitive name), if present and valid text.
    /// When the header is repeated, the first value is returned.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_str(&self.headers, name)
    }

    /// The `Location` header, which create operations use to point at the new resource.
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// The rate-limit headers of the response.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// HubSpot's correlation id from the `X-HubSpot-Correlation-Id` header.
    pub fn correlation_id(&self) -> Option<&str> {
        self.header(CORRELATION_ID_HEADER)
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Takes the decoded value, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Splits the response into status, headers and decoded value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// Transforms the decoded value, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            value: f(self.value),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// HubSpot's rate-limit response headers. Each field is `None` when its header is absent or not
/// a non-negative integer. OAuth calls get no daily headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-HubSpot-RateLimit-Daily`: requests allowed per day.
    pub daily: Option<u64>,
    /// `X-HubSpot-RateLimit-Daily-Remaining`: requests left today.
    pub daily_remaining: Option<u64>,
    /// `X-HubSpot-RateLimit-Secondly`: requests allowed per second.
    pub secondly: Option<u64>,
    /// `X-HubSpot-RateLimit-Secondly-Remaining`: requests left this second.
    pub secondly_remaining: Option<u64>,
    /// `X-HubSpot-RateLimit-Interval-Milliseconds`: length of the rolling window.
    pub interval_milliseconds: Option<u64>,
    /// `X-HubSpot-RateLimit-Max`: requests allowed per rolling window.
    pub max: Option<u64>,
    /// `X-HubSpot-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// Reads the rate-limit headers from a header map.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let get = |name: &str| header_str(headers, name).and_then(|v| v.trim().parse::<u64>().ok());
        RateLimit {
            daily: get("x-hubspot-ratelimit-daily"),
            daily_remaining: get("x-hubspot-ratelimit-daily-remaining"),
            secondly: get("x-hubspot-ratelimit-secondly"),
            secondly_remaining: get("x-hubspot-ratelimit-secondly-remaining"),
            interval_milliseconds: get("x-hubspot-ratelimit-interval-milliseconds"),
            max: get("x-hubspot-ratelimit-max"),
            remaining: get("x-hubspot-ratelimit-remaining"),
        }
    }

    /// Whether none of the headers was present.
    pub fn is_empty(&self) -> bool {
        *self == RateLimit::default()
    }
}

/// The first value of a header as text, if present and visible ASCII.
pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Parses a body as a JSON object.
pub(crate) fn json_object(body: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A top-level string field of a JSON object body.
pub(crate) fn json_string_field(body: &[u8], field: &str) -> Option<String> {
    let mut object = json_object(body)?;
    match object.remove(field)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}
