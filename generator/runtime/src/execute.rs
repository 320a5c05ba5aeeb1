//! Sending a prepared request: attempts, timeouts, retries and their tracing.

use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth;
use super::conventions::Conventions;
use super::error::{
    ApiError, BodyTooLargeError, BoxError, DecodeError, Error, ResponseBodyError, describe_reqwest,
};
use super::request::{Prepared, PreparedBody};
use super::retry;
use super::stream::{Opened, WireStream};
use super::transport::ExchangeError;

/// A response as received: status, headers and the whole body, with the API conventions to
/// read them by.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) conventions: &'static Conventions,
    /// The unread body of a 2xx response to a streamed operation (`body` is then empty).
    pub(crate) stream: Option<WireStream>,
}

impl RawResponse {
    /// The error for a 2xx response whose body could not be decoded: everything is kept.
    pub(crate) fn undecodable<E>(self, operation: &'static str, source: BoxError) -> Error<E> {
        Error::Decode(Box::new(DecodeError::new(
            operation,
            self.status,
            self.headers,
            self.body,
            source,
            self.conventions,
        )))
    }
}

/// Why one attempt failed.
enum Failure {
    /// A response outside 2xx.
    Status(RawResponse),
    /// The attempt's timeout expired (before the response or its whole body arrived).
    Timeout,
    /// No response: sending failed or the connection failed before the status line.
    Transport(reqwest::Error),
    /// The status and headers arrived, but not the whole body: `ExchangeError::Body` (cut off)
    /// or `ExchangeError::TooLarge`, never `Send` (that is `Transport`).
    Read(ExchangeError),
    /// The token provider failed.
    Auth(BoxError),
    /// The body could not be made for this attempt (a file part that cannot be opened, a
    /// stream part already sent).
    Body(String),
}

/// Puts a multipart form in `request`: its `Content-Type` with the boundary, its body, and,
/// when every part's length is known, its `Content-Length` (reqwest's own framing, through
/// `client`); otherwise (a stream part, or a transport that is not reqwest) the body is sent
/// chunked.
fn with_multipart(
    mut request: reqwest::Request,
    form: reqwest::multipart::Form,
    client: Option<&reqwest::Client>,
) -> Result<reqwest::Request, String> {
    if let Some(client) = client {
        return reqwest::RequestBuilder::from_parts(client.clone(), request)
            .multipart(form)
            .build()
            .map_err(|e| format!("the multipart body could not be made: {e}"));
    }
    let content_type = format!("multipart/form-data; boundary={}", form.boundary());
    let value =
        HeaderValue::try_from(content_type).map_err(|e| format!("multipart boundary: {e}"))?;
    request.headers_mut().insert(CONTENT_TYPE, value);
    *request.body_mut() = Some(reqwest::Body::wrap_stream(form.into_stream()));
    Ok(request)
}

/// How an attempt reads a 2xx response's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Whole, before the call returns.
    Whole,
    /// Not at all: the body is handed over as a stream.
    Streamed,
}

/// The body of an error response to a streamed operation, up to `limit` bytes (what arrived
/// before a failure or the limit): the `ApiError` keeps it.
async fn read_error_body(mut body: WireStream, limit: u64) -> Bytes {
    use futures_util::StreamExt as _;
    let mut read = BytesMut::new();
    while let Some(Ok(chunk)) = body.next().await {
        let room = usize::try_from(limit.saturating_sub(read.len() as u64)).unwrap_or(usize::MAX);
        read.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if read.len() as u64 >= limit {
            break;
        }
    }
    read.freeze()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl Prepared {
    /// Sends the request, retrying transient failures as configured, and returns the first 2xx
    /// response or the last failure.
    ///
    /// Each attempt runs in a `http_request` span (fields `operation`, `method`,
    /// `path_template`, `attempt`, `status`, `latency_ms`); the URL, query and headers are
    /// never recorded, since they can hold credentials. An error response that matches one of
    /// the API's do-not-retry rules is not retried, and its event names the rule.
    pub(crate) async fn execute<E: DeserializeOwned + Send>(self) -> Result<RawResponse, Error<E>> {
        self.execute_as(Reading::Whole).await
    }

    /// Like [`Self::execute`], but a 2xx response's body is left unread (an error response's
    /// body is read, for its `ApiError`): retries cover the request up to the response's head.
    pub(crate) async fn execute_streaming<E: DeserializeOwned + Send>(
        &self,
    ) -> Result<Opened, Error<E>> {
        let raw = self.execute_as(Reading::Streamed).await?;
        let body = match raw.stream {
            Some(stream) => stream,
            None => Box::pin(futures_util::stream::once(async move { Ok(raw.body) })),
        };
        Ok(Opened {
            status: raw.status,
            headers: raw.headers,
            body,
        })
    }

    async fn execute_as<E: DeserializeOwned + Send>(
        &self,
        reading: Reading,
    ) -> Result<RawResponse, Error<E>> {
        let policy = self.client.inner().retry;
        let conventions = self.client.inner().conventions;
        let mut attempt: u32 = 1;
        loop {
            let span = tracing::debug_span!(
                "http_request",
                operation = self.info.operation_id,
                method = %self.info.method,
                path_template = %self.path_template,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = self.attempt(reading).instrument(span.clone()).await;
            let latency_ms = millis(started.elapsed());
            span.record("latency_ms", latency_ms);

            let failure = match outcome {
                Ok(raw) if raw.status.is_success() => {
                    span.record("status", raw.status.as_u16());
                    span.in_scope(|| tracing::debug!("response received"));
                    return Ok(raw);
                }
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    Failure::Status(raw)
                }
                Err(failure) => failure,
            };

            let blocked_by = match &failure {
                Failure::Status(raw) => conventions.no_retry_rule(raw.status, &raw.body),
                _ => None,
            };
            let retryable = blocked_by.is_none() && self.is_retryable(&failure);
            span.in_scope(|| match (&failure, blocked_by) {
                (Failure::Status(_), Some(rule)) => tracing::info!(
                    retryable,
                    no_retry_rule = %rule,
                    "error response received; not retried: it matches a do-not-retry rule of the API"
                ),
                (Failure::Status(_), None) => {
                    tracing::debug!(retryable, "error response received")
                }
                (Failure::Timeout, _) => tracing::debug!(
                    retryable,
                    timeout_ms = millis(self.timeout),
                    "attempt timed out"
                ),
                (Failure::Transport(error), _) => {
                    tracing::debug!(retryable, error = %describe_reqwest(error), "transport error")
                }
                (Failure::Read(ExchangeError::Body { partial, source, .. }), _) => {
                    tracing::debug!(
                        retryable,
                        received_bytes = partial.len(),
                        error = %describe_reqwest(source),
                        "the response body was cut off"
                    )
                }
                (Failure::Read(ExchangeError::TooLarge { declared, .. }), _) => tracing::info!(
                    max_body_size = self.max_body_size,
                    declared_length = declared,
                    "the response body is larger than the limit; not read"
                ),
                (Failure::Read(ExchangeError::Send(_)), _) => {}
                (Failure::Auth(_), _) => tracing::debug!("token provider failed"),
                (Failure::Body(_), _) => {}
            });
            if !retryable || attempt > self.max_retries {
                return Err(self.error_from(failure));
            }

            let requested = match &failure {
                Failure::Status(raw) => retry::server_delay(&raw.headers, SystemTime::now()),
                _ => None,
            };
            let delay = match requested {
                Some(delay) if delay <= policy.max_retry_after => delay,
                Some(delay) => {
                    span.in_scope(|| {
                        tracing::info!(
                            requested_delay_ms = millis(delay),
                            max_retry_after_ms = millis(policy.max_retry_after),
                            "server asked to wait longer than max_retry_after; using backoff"
                        )
                    });
                    retry::backoff(&policy, attempt - 1, retry::random_jitter())
                }
                None => retry::backoff(&policy, attempt - 1, retry::random_jitter()),
            };
            span.in_scope(|| tracing::info!(delay_ms = millis(delay), "retrying"));
            drop(span);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Whether a failure may be retried: it must be transient, and a request that is not
    /// idempotent (and carries no idempotency key) is retried only when it never reached the
    /// server (the connection was never established). A body cut off is a transport failure
    /// after the server got the request: retried when the request may be repeated. Do-not-retry
    /// rules are checked by the caller.
    fn is_retryable(&self, failure: &Failure) -> bool {
        if !self.replayable {
            return false;
        }
        match failure {
            Failure::Status(raw) => retry::is_retryable_status(raw.status) && self.retry_unsafe_ok,
            Failure::Timeout | Failure::Read(ExchangeError::Body { .. }) => self.retry_unsafe_ok,
            Failure::Transport(error) => {
                retry::is_retryable_transport(error) && (self.retry_unsafe_ok || error.is_connect())
            }
            Failure::Read(_) | Failure::Auth(_) | Failure::Body(_) => false,
        }
    }

    /// One attempt: fetch a token if needed, make the body, then send and read the whole body
    /// (up to the body limit) within the timeout; a streamed 2xx body is left unread.
    async fn attempt(&self, reading: Reading) -> Result<RawResponse, Failure> {
        let mut headers = self.headers.clone();
        if let Some(provider) = &self.provider {
            let token = provider.token().await.map_err(Failure::Auth)?;
            let value = auth::bearer_header(&token).ok_or_else(|| {
                Failure::Auth(
                    "the token provider returned a token that cannot be sent in an HTTP header"
                        .into(),
                )
            })?;
            headers.insert(AUTHORIZATION, value);
        }
        let transport = &self.client.inner().transport;
        let mut request = reqwest::Request::new(self.info.method.clone(), self.url.clone());
        *request.headers_mut() = headers;
        match &self.body {
            PreparedBody::None => {}
            PreparedBody::Bytes(bytes) => {
                *request.body_mut() = Some(reqwest::Body::from(bytes.clone()));
            }
            PreparedBody::Multipart(form) => {
                let form = form.to_form().await.map_err(Failure::Body)?;
                request = with_multipart(request, form, transport.http_client())
                    .map_err(Failure::Body)?;
            }
        }
        let conventions = self.client.inner().conventions;
        let exchange = async {
            if reading == Reading::Streamed {
                let opened = transport.open(request).await?;
                if opened.status.is_success() {
                    return Ok(RawResponse {
                        status: opened.status,
                        headers: opened.headers,
                        body: Bytes::new(),
                        conventions,
                        stream: Some(opened.body),
                    });
                }
                let body = read_error_body(opened.body, self.max_body_size).await;
                return Ok(RawResponse {
                    status: opened.status,
                    headers: opened.headers,
                    body,
                    conventions,
                    stream: None,
                });
            }
            let response = transport.exchange(request, self.max_body_size).await?;
            Ok::<_, ExchangeError>(RawResponse {
                status: response.status,
                headers: response.headers,
                body: response.body,
                conventions,
                stream: None,
            })
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok(raw)) => Ok(raw),
            // The URL can contain an API key: never keep it in an error.
            Ok(Err(ExchangeError::Send(error))) => Err(Failure::Transport(error.without_url())),
            Ok(Err(ExchangeError::Body {
                status,
                headers,
                partial,
                source,
            })) => Err(Failure::Read(ExchangeError::Body {
                status,
                headers,
                partial,
                source: source.without_url(),
            })),
            Ok(Err(other)) => Err(Failure::Read(other)),
            Err(_) => Err(Failure::Timeout),
        }
    }

    fn error_from<E: DeserializeOwned>(&self, failure: Failure) -> Error<E> {
        let operation = self.info.operation_id;
        match failure {
            Failure::Status(raw) => {
                let parsed = serde_json::from_slice::<E>(&raw.body).ok();
                Error::Api(Box::new(ApiError::new(
                    operation,
                    raw.status,
                    raw.headers,
                    raw.body,
                    parsed,
                    raw.conventions,
                )))
            }
            Failure::Timeout => Error::Timeout {
                operation,
                timeout: self.timeout,
            },
            Failure::Transport(source) => Error::Connection { operation, source },
            Failure::Read(ExchangeError::Send(source)) => Error::Connection { operation, source },
            Failure::Read(ExchangeError::Body {
                status,
                headers,
                partial,
                source,
            }) => Error::ResponseBody(Box::new(ResponseBodyError::new(
                operation,
                status,
                headers,
                partial,
                source,
                self.client.inner().conventions,
            ))),
            Failure::Read(ExchangeError::TooLarge {
                status,
                headers,
                declared,
            }) => Error::BodyTooLarge(Box::new(BodyTooLargeError::new(
                operation,
                status,
                headers,
                self.max_body_size,
                declared,
                self.client.inner().conventions,
            ))),
            Failure::Auth(source) => Error::Auth { operation, source },
            Failure::Body(message) => Error::InvalidRequest {
                message: format!("operation `{operation}`: {message}"),
            },
        }
    }
}
