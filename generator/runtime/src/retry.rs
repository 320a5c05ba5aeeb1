//! Retry classification, server-requested delays and exponential backoff.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::response;

/// Retry settings of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Initial backoff delay.
    pub(crate) initial: Duration,
    /// Largest backoff delay.
    pub(crate) max: Duration,
    /// Largest server-requested delay the client is willing to wait.
    pub(crate) max_retry_after: Duration,
}

/// Statuses worth retrying: 408, 429 and 5xx except 501 (Not Implemented) and 505 (HTTP Version
/// Not Supported), which will not change on a second attempt.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    match status.as_u16() {
        408 | 429 => true,
        501 | 505 => false,
        code => (500..600).contains(&code),
    }
}

/// Whether a transport error is worth retrying (connection, timeout, send or read failures; not
/// request-building or redirect errors).
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    if error.is_builder() || error.is_redirect() {
        return false;
    }
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body()
}

/// The delay the server asked for: `retry-after-ms` (milliseconds) takes precedence over
/// `Retry-After` (delta seconds, possibly fractional, or an HTTP date). `None` when neither
/// header is present and valid.
pub(crate) fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = response::header_str(headers, "retry-after-ms").and_then(parse_retry_after_ms)
    {
        return Some(ms);
    }
    response::header_str(headers, "retry-after").and_then(|v| parse_retry_after(v, now))
}

/// Parses a `retry-after-ms` value (non-negative milliseconds, possibly fractional).
pub(crate) fn parse_retry_after_ms(value: &str) -> Option<Duration> {
    parse_non_negative(value).and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok())
}

/// Parses a `Retry-After` value: delta seconds (possibly fractional) or an HTTP date. A date in
/// the past means "now".
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(seconds) = parse_non_negative(value) {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

fn parse_non_negative(value: &str) -> Option<f64> {
    let value = value.trim();
    // Only plain decimal numbers: reject "inf", "NaN", signs and exponents.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let number: f64 = value.parse().ok()?;
    (number.is_finite() && number >= 0.0).then_some(number)
}

/// Exponential backoff for the retry with index `retry` (0 for the first retry):
/// `min(initial × 2^retry, max)`, minus a jitter fraction in `[0, 0.25)`.
pub(crate) fn backoff(policy: &RetryPolicy, retry: u32, jitter: f64) -> Duration {
    let factor = 2f64.powi(retry.min(62) as i32);
    let base = (policy.initial.as_secs_f64() * factor).min(policy.max.as_secs_f64());
    let jitter = jitter.clamp(0.0, 0.25);
    Duration::try_from_secs_f64(base * (1.0 - jitter)).unwrap_or(policy.max)
}

/// A random jitter fraction in `[0, 0.25)`.
pub(crate) fn random_jitter() -> f64 {
    fastrand::f64() * 0.25
}
