//! Successful responses, rate-limit headers and small helpers for reading responses.

use std::ops::Deref;

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::conventions::Conventions;

/// A decoded response together with its status and headers.
///
/// Returned by `Call::send_with_response`. It dereferences to the decoded value.
#[derive(Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
    conventions: &'static Conventions,
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("value", &self.value)
            .finish()
    }
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        value: T,
        conventions: &'static Conventions,
    ) -> Self {
        Response {
            status,
            headers,
            value,
            conventions,
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

    /// The rate-limit values of the response, read from the headers the API's conventions name
    /// (empty when the spec declares none).
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers, self.conventions)
    }

    /// The request's correlation id, from the first correlation-id header of the API's
    /// conventions that is present (`None` when the spec declares none). Quote it when
    /// contacting the API's support.
    pub fn correlation_id(&self) -> Option<&str> {
        self.conventions.correlation_id_header(&self.headers)
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
            conventions: self.conventions,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Rate-limit values of a response: the response headers the API's conventions name
/// (`x-client-conventions.rateLimitHeaders` in the spec), read as non-negative integers and
/// kept under their names, in declared order. A header that is absent or not a non-negative
/// integer gives no value.
///
/// Generated crates add a typed getter per declared value (for example `daily_remaining()`);
/// [`Self::get`] looks a value up by its name in the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RateLimit {
    values: Vec<(&'static str, u64)>,
}

impl RateLimit {
    /// Reads the rate-limit headers that `conventions` name from a header map.
    pub fn from_headers(headers: &HeaderMap, conventions: &Conventions) -> Self {
        let values = conventions
            .rate_limit_headers
            .iter()
            .filter_map(|&(name, header)| {
                let value = header_str(headers, header)?.trim().parse::<u64>().ok()?;
                Some((name, value))
            })
            .collect();
        RateLimit { values }
    }

    /// The value declared under `name` in the spec (for example `dailyRemaining`), when its
    /// header was present and valid.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, value)| value)
    }

    /// The values found, as `(name, value)`, in the order the spec declares them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'static str, u64)> + '_ {
        self.values.iter().copied()
    }

    /// Whether no rate-limit value was found.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
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
