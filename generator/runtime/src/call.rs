//! Operations and calls: what generated code describes and what users send.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::auth::{BoxFuture, Secret, SecurityRequirement};
use super::client::Client;
use super::error::{BoxError, BuildError, Error};
use super::execute::RawResponse;
use super::request::{Prepared, RequestParts};
use super::response::Response;
use super::stream::{Reopen, Streamed};

/// One API operation: its static description, how to turn its parameters into a request and how
/// to decode a successful response. Implemented by generated code.
pub trait Operation: Send + 'static {
    /// The decoded type of a successful response (`()` when there is no body).
    type Output: Send + 'static;
    /// The type error bodies are decoded into (`serde_json::Value` when the API does not say).
    type Error: DeserializeOwned + fmt::Debug + Send + Sync + 'static;
    /// The operation's static description.
    const INFO: &'static OperationInfo;

    /// Adds the operation's parameters and body to `req`.
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError>;

    /// Whether a 2xx response's body is handed to [`Self::decode_stream`] unread (downloads,
    /// server-sent events) instead of read whole and given to [`Self::decode`].
    const STREAMED: bool = false;

    /// Decodes the body of a 2xx response, read whole.
    fn decode(status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        let _ = (status, body);
        Err("this operation's responses are streamed: `decode_stream` reads them".into())
    }

    /// Turns the unread body of a 2xx response into the output, for a [`Self::STREAMED`]
    /// operation.
    fn decode_stream(body: Streamed) -> Result<Self::Output, BoxError> {
        let _ = body;
        Err("this operation's responses are read whole: `decode` reads them".into())
    }
}

/// The static description of an operation.
#[derive(Debug, Clone)]
pub struct OperationInfo {
    /// The operation id, for example `publishMessage`; used in errors and logs.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the API version's prefix, with `{name}` placeholders.
    pub path: &'static str,
    /// Whether sending the request twice has the same effect as sending it once. Requests that
    /// are not idempotent are retried only after a failed connection (the request never
    /// reached the server), unless they carry an [`IdempotencyKey`].
    pub idempotent: bool,
    /// Alternative sets of security requirements: the outer slice lists alternatives (any one
    /// suffices), each inner slice lists requirements that must all be met. An empty outer
    /// slice means no authentication; an empty inner slice means anonymous access is allowed.
    pub security: &'static [&'static [SecurityRequirement]],
    /// A de-duplication key that makes retrying a non-idempotent request safe.
    pub idempotency_key: Option<IdempotencyKey>,
}

/// Where an operation carries a de-duplication key.
///
/// When the caller did not provide a key, the runtime generates a UUID v4 once per send
/// ([`Call::send`], [`Call::send_with_response`] or `.await`), before the first attempt, and
/// every retry of that send carries the same value, so the server can recognise repeats. The
/// generated key lives for that one send only: a caller that sends the request again on its own
/// (a new send after an error, or a clone of the call) gets a new key, which the server treats
/// as a new request. To keep de-duplication across such resends, set the key field (or header)
/// yourself and reuse the same value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdempotencyKey {
    /// A JSON pointer into the request body, for example `/integrationIdempotencyId`. The key is
    /// filled in when the value there is missing, `null` or an empty string (the parent object
    /// must exist).
    BodyPointer(&'static str),
    /// A request header, for example `Idempotency-Key`.
    Header(&'static str),
}

/// Per-call settings that can be prepared once and applied to many calls with
/// `Call::options`. Timeout, retries, body limit and bearer token override the client's;
/// headers and query parameters are added to the operation's.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) max_body_size: Option<u64>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) bearer_token: Option<Secret>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The number of retries after the first attempt (at most 10; 0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The largest response body to read, in bytes, instead of the client's limit.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// An extra request header. It replaces a header of the same name set by the operation or
    /// the runtime; giving the same name several times sends several values.
    pub fn header(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.headers.push((name.into(), value.to_string()));
        self
    }

    /// An extra query parameter (one the spec does not declare), added after the operation's
    /// own parameters.
    pub fn query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// A bearer token for this call only, used instead of the client's bearer credentials
    /// (useful when one application acts for many accounts).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(Secret::new(token));
        self
    }

    fn merge(&mut self, other: RequestOptions) {
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        if other.max_retries.is_some() {
            self.max_retries = other.max_retries;
        }
        if other.max_body_size.is_some() {
            self.max_body_size = other.max_body_size;
        }
        if other.bearer_token.is_some() {
            self.bearer_token = other.bearer_token;
        }
        self.headers.extend(other.headers);
        self.query.extend(other.query);
    }
}

impl fmt::Debug for RequestOptions {
    /// Shows header and query parameter names only: their values may be credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(name, _)| name.clone())
                .collect::<Vec<_>>()
        };
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_body_size", &self.max_body_size)
            .field("headers", &names(&self.headers))
            .field("query", &names(&self.query))
            .field("bearer_token", &self.bearer_token)
            .finish()
    }
}

/// A request for one operation that has not been sent yet.
///
/// Chain per-call settings, then `.await` it (or call [`Self::send`]) to get the decoded value,
/// or [`Self::send_with_response`] to also get the status and headers. Nothing is sent before.
///
/// A send retries transient failures on its own (which ones: see the [runtime module](super)). For
/// an operation with an [`IdempotencyKey`], a key the caller left empty is generated once per
/// send and reused by all of that send's retries, but not beyond: sending a clone of the call
/// again after an error generates a fresh key. A caller that resends on its own and wants the
/// server to de-duplicate must set the key field (or header) itself and keep the same value.
pub struct Call<O> {
    client: Client,
    prefix: &'static str,
    op: O,
    options: RequestOptions,
    unavailable: Option<&'static str>,
}

impl<O: Operation + fmt::Debug> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &O::INFO.operation_id)
            .field("prefix", &self.prefix)
            .field("params", &self.op)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<O: Clone> Clone for Call<O> {
    fn clone(&self) -> Self {
        Call {
            client: self.client.clone(),
            prefix: self.prefix,
            op: self.op.clone(),
            options: self.options.clone(),
            unavailable: self.unavailable,
        }
    }
}

impl<O: Operation> Call<O> {
    /// Creates a call of operation `op` on `client`, under the API version path `prefix`
    /// (for example `/v3`; empty when there is none).
    pub fn new(client: &Client, prefix: &'static str, op: O) -> Self {
        Call {
            client: client.clone(),
            prefix,
            op,
            options: RequestOptions::default(),
            unavailable: None,
        }
    }

    /// A call that fails with [`Error::InvalidRequest`] carrying `reason` when sent, for an
    /// operation the chosen API version does not have.
    #[doc(hidden)]
    pub fn unavailable(client: &Client, op: O, reason: &'static str) -> Self {
        Call {
            unavailable: Some(reason),
            ..Call::new(client, "", op)
        }
    }

    /// The operation's parameters, for generated setters.
    #[doc(hidden)]
    pub fn op_mut(&mut self) -> &mut O {
        &mut self.op
    }

    /// The operation id, for example `publishMessage`.
    pub fn operation_id(&self) -> &'static str {
        O::INFO.operation_id
    }

    /// The per-attempt timeout for this call, overriding the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The number of retries for this call (at most 10; 0 disables retries), overriding the
    /// client's.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// The largest response body to read for this call, in bytes, overriding the client's
    /// limit (default 32 MiB). A larger body fails the call with [`Error::BodyTooLarge`].
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.options.max_body_size = Some(bytes);
        self
    }

    /// An extra request header. It replaces a header of the same name set by the operation or
    /// the runtime.
    pub fn header(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.options.headers.push((name.into(), value.to_string()));
        self
    }

    /// An extra query parameter, for example one the spec does not declare.
    pub fn query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.options.query.push((name.into(), value.to_string()));
        self
    }

    /// A bearer token for this call only, used instead of the client's bearer credentials.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.options.bearer_token = Some(Secret::new(token));
        self
    }

    /// Applies prepared options: their timeout, retries, body limit and token override the
    /// call's; their headers and query parameters are added.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options.merge(options);
        self
    }

    /// Sends the request (with retries) and decodes the response. Awaiting the call directly
    /// does the same.
    pub fn send(self) -> impl Future<Output = Result<O::Output, Error<O::Error>>> + Send + 'static {
        let response = self.send_with_response();
        async move { response.await.map(Response::into_inner) }
    }

    /// Sends the request (with retries) and returns the decoded value together with the status
    /// and headers.
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<Response<O::Output>, Error<O::Error>>> + Send + 'static {
        let prepared = self.prepare();
        async move {
            let prepared = prepared?;
            if O::STREAMED {
                return open_stream::<O>(prepared).await;
            }
            let raw = prepared.execute::<O::Error>().await?;
            decode_output::<O>(raw)
        }
    }

    /// Builds the request: runs the operation's `build`, then validates and assembles
    /// everything else (the idempotency key is generated here, once).
    pub(crate) fn prepare(&self) -> Result<Prepared, Error<O::Error>> {
        let info = O::INFO;
        if let Some(reason) = self.unavailable {
            return Err(Error::InvalidRequest {
                message: format!("operation `{}`: {reason}", info.operation_id),
            });
        }
        let mut parts = RequestParts::default();
        let prepared = match self.op.build(&mut parts) {
            Ok(()) => Prepared::new(&self.client, self.prefix, info, parts, &self.options),
            Err(error) => Err(format!("operation `{}`: {error}", info.operation_id)),
        };
        prepared.map_err(|message| Error::InvalidRequest { message })
    }
}

impl<O: Operation> IntoFuture for Call<O> {
    type Output = Result<O::Output, Error<O::Error>>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Sends a streamed operation's request (retrying up to the response's head) and hands its
/// unread body to the operation's stream decoder, with a way to send the request again for
/// event streams that reconnect.
async fn open_stream<O: Operation>(
    prepared: Prepared,
) -> Result<Response<O::Output>, Error<O::Error>> {
    let opened = prepared.execute_streaming::<O::Error>().await?;
    let status = opened.status;
    let headers = opened.headers.clone();
    let conventions = prepared.client.inner().conventions;
    let idle_timeout = prepared.timeout;
    let again = prepared.clone();
    let reopen: Reopen = Arc::new(move |last_event_id: Option<String>| {
        let mut prepared = again.clone();
        Box::pin(async move {
            if let Some(id) = last_event_id {
                let value = HeaderValue::try_from(id)
                    .map_err(|_| "the last event id cannot be sent in a header")?;
                prepared.headers.insert(LAST_EVENT_ID, value);
            }
            prepared
                .execute_streaming::<O::Error>()
                .await
                .map_err(|e| Box::new(e) as BoxError)
        })
    });
    let streamed = Streamed {
        operation: O::INFO.operation_id,
        opened,
        idle_timeout,
        reopen,
    };
    match O::decode_stream(streamed) {
        Ok(value) => Ok(Response::new(status, headers, value, conventions)),
        Err(source) => Err(RawResponse {
            status,
            headers,
            body: Bytes::new(),
            conventions,
            stream: None,
        }
        .undecodable(O::INFO.operation_id, source)),
    }
}

/// The header a reconnecting event stream sends its last event id in.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// Decodes a 2xx response with the operation's decoder.
pub(crate) fn decode_output<O: Operation>(
    raw: RawResponse,
) -> Result<Response<O::Output>, Error<O::Error>> {
    match O::decode(raw.status, &raw.body) {
        Ok(value) => Ok(Response::new(
            raw.status,
            raw.headers,
            value,
            raw.conventions,
        )),
        Err(source) => Err(raw.undecodable(O::INFO.operation_id, source)),
    }
}
