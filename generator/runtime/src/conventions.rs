//! API conventions the spec declares (`x-client-conventions`) rather than the runtime assuming
//! them: which response headers carry a correlation id and rate-limit values, and which error
//! responses must never be retried.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::response;

/// The conventions of one API, as declared by its spec's `x-client-conventions` extension.
///
/// A generated crate holds its API's conventions in a static that `Client::builder()`
/// installs; [`Conventions::NONE`] (the default of a bare `ClientBuilder::new()`) has no
/// correlation-id headers, no rate-limit headers and no do-not-retry rules. They decide what
/// `correlation_id()` and `rate_limit()` of responses and errors find, and which otherwise
/// retryable error responses are not retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Conventions {
    /// Response headers that may hold a request (correlation) id, in order of preference: the
    /// first one present with a non-empty value wins. Matched case-insensitively.
    pub correlation_id_headers: &'static [&'static str],
    /// A top-level string field of a JSON error body that holds the correlation id, used when
    /// none of [`Self::correlation_id_headers`] is present.
    pub correlation_id_body_field: Option<&'static str>,
    /// Rate-limit values: `(name, response header)` pairs, in declared order. The header values
    /// are read as non-negative integers into a `RateLimit`, under their names.
    pub rate_limit_headers: &'static [(&'static str, &'static str)],
    /// Error responses that are never retried, even when their status is retryable.
    pub do_not_retry: &'static [NoRetryRule],
}

impl Conventions {
    /// No conventions: no correlation id, no rate-limit values, no do-not-retry rules.
    pub const NONE: Conventions = Conventions {
        correlation_id_headers: &[],
        correlation_id_body_field: None,
        rate_limit_headers: &[],
        do_not_retry: &[],
    };

    /// The first correlation-id header present with a non-empty value.
    pub(crate) fn correlation_id_header<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        self.correlation_id_headers
            .iter()
            .filter_map(|name| response::header_str(headers, name))
            .find(|value| !value.trim().is_empty())
    }

    /// The correlation id of an error response: from a header, else from the body field.
    pub(crate) fn correlation_id(&self, headers: &HeaderMap, body: &[u8]) -> Option<String> {
        if let Some(id) = self.correlation_id_header(headers) {
            return Some(id.to_owned());
        }
        let field = self.correlation_id_body_field?;
        response::json_string_field(body, field).filter(|id| !id.trim().is_empty())
    }

    /// The first do-not-retry rule an error response matches.
    pub(crate) fn no_retry_rule(
        &self,
        status: StatusCode,
        body: &[u8],
    ) -> Option<&'static NoRetryRule> {
        let rules: &'static [NoRetryRule] = self.do_not_retry;
        if !rules.iter().any(|rule| rule.status == status.as_u16()) {
            return None;
        }
        let object = response::json_object(body)?;
        rules
            .iter()
            .find(|rule| rule.matches_object(status, &object))
    }
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions::NONE
    }
}

/// An error response that must not be retried although its status is retryable: one with
/// status [`Self::status`] whose JSON body has the top-level string field [`Self::body_field`]
/// equal to [`Self::equals`] (compared ignoring ASCII case). For example HubSpot's daily rate
/// limit: a 429 with `"policyName": "DAILY"`, which resets only at midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct NoRetryRule {
    /// The HTTP status the rule applies to.
    pub status: u16,
    /// The top-level field of the JSON error body to look at.
    pub body_field: &'static str,
    /// The value (a JSON string) that makes the response final.
    pub equals: &'static str,
    /// Why such a response is not worth retrying, from the spec.
    pub reason: Option<&'static str>,
}

impl NoRetryRule {
    /// Whether a response with this status and body matches the rule.
    pub fn matches(&self, status: StatusCode, body: &[u8]) -> bool {
        self.status == status.as_u16()
            && response::json_object(body)
                .is_some_and(|object| self.matches_object(status, &object))
    }

    fn matches_object(
        &self,
        status: StatusCode,
        object: &serde_json::Map<String, serde_json::Value>,
    ) -> bool {
        self.status == status.as_u16()
            && object
                .get(self.body_field)
                .and_then(serde_json::Value::as_str)
                .is_some_and(|value| value.eq_ignore_ascii_case(self.equals))
    }
}

impl fmt::Display for NoRetryRule {
    /// `HTTP 429 with policyName "DAILY"`, followed by `: <reason>` when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} with {} {:?}",
            self.status, self.body_field, self.equals
        )?;
        if let Some(reason) = self.reason {
            write!(f, ": {reason}")?;
        }
        Ok(())
    }
}
