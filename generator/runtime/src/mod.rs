//! The HTTP client runtime shared by every operation of this crate.
//!
//! Everything the generated operations need at run time lives here: the [`Client`] and its
//! builder, authentication, URL building, retries with backoff, timeouts, typed errors, raw
//! response access, cursor pagination and the three-state [`Nullable`] type.
//!
//! # Overview
//!
//! * [`ClientBuilder`] validates the configuration once and produces a [`Client`], which is
//!   cheap to clone (it is a reference-counted handle) and safe to share between tasks.
//! * Every operation method hands out a [`Call`]: a request that has not been sent yet. Per-call
//!   settings (timeout, retries, extra headers and query parameters, a per-call bearer token)
//!   are chained on it, and `.await` sends it. [`Call::send_with_response`] also returns the
//!   status and headers, and paginated calls can be turned into a stream of items or pages.
//! * Failures are reported as [`Error`], whose variants tell apart API errors (with the status,
//!   headers, raw body and the decoded error body), undecodable success bodies, timeouts,
//!   connection failures, invalid requests and token-provider failures.
//!
//! # Retries
//!
//! Connection failures (before the response, or while its body is read), timeouts and the
//! statuses 408, 429 and 5xx (except 501 and 505) are retried, by default twice. The delay
//! comes from the `retry-after-ms` or `Retry-After` response header when the server sends one,
//! otherwise from exponential backoff with jitter. An error response matching one of the API's
//! do-not-retry rules (see [`Conventions`]) is never retried. Requests that are not idempotent
//! (such as `POST`) are only retried when that cannot record them twice: when the connection
//! could not be established (the request never reached the server), or when the operation
//! carries an idempotency key that the runtime fills in once per send and repeats on every
//! attempt. Any other failure of such a request, including a 429, a 5xx, a timeout or a body
//! cut off, is returned to the caller after the first attempt.
//!
//! # Response bodies
//!
//! A body is read whole, up to a limit (32 MiB by default: [`ClientBuilder::max_body_size`],
//! [`Call::max_body_size`]), into one buffer of its declared length, and decoded from there; a
//! larger one fails with [`Error::BodyTooLarge`] before it is read, or as soon as it passes the
//! limit.
//!
//! # API conventions
//!
//! What the runtime knows about a particular API comes from its spec's `x-client-conventions`
//! extension, held in a [`Conventions`] value that the generated `Client::builder()` installs:
//! the response headers that carry a correlation id (and the error-body field to fall back on),
//! the rate-limit headers read into a [`RateLimit`], and the do-not-retry rules. Without it
//! there is no correlation id, no rate-limit value and no such rule.
//!
//! # Webhooks
//!
//! [`WebhookVerifier`] checks the signature of a request the API sends to the application (a
//! webhook) with the secret the two share, following the API's [`SignatureSchemes`]: which
//! headers carry the signature and its version, which parts of the request are signed, the
//! algorithm and encoding, and how recent a timestamp must be. It takes the method, the URL
//! that was called, the headers and the raw body, and says which scheme verified the request
//! or why it is rejected ([`SignatureError`]).
//!
//! # Secrets
//!
//! Tokens, API keys, passwords and webhook secrets never appear in `Debug` output, error
//! messages or log events.
//!
//! # Requirements
//!
//! Calls run on Tokio with timers enabled (the default of `#[tokio::main]`). Each attempt is
//! traced in an `http_request` span (operation, method, path template, attempt, status,
//! latency); install a `tracing` subscriber to see them.

// With the `client` feature (on by default): the HTTP client. Without it, what a webhook
// receiver needs (signatures, events) and what models use (`Nullable`, `Indirect`, ...): no
// reqwest, TLS or Tokio.
#[cfg(feature = "client")]
pub(crate) mod auth;
mod builder;
#[cfg(feature = "client")]
mod call;
#[cfg(feature = "client")]
mod client;
#[doc(hidden)]
pub mod codegen;
#[cfg(feature = "client")]
mod conventions;
#[cfg(feature = "client")]
mod error;
mod events;
#[cfg(feature = "client")]
mod execute;
mod ids;
mod indirect;
#[cfg(feature = "client")]
mod multipart;
mod nullable;
#[cfg(feature = "client")]
mod pagination;
#[cfg(feature = "client")]
pub(crate) mod request;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "client")]
pub(crate) mod retry;
#[cfg(feature = "client")]
mod stream;
#[cfg(feature = "client")]
pub(crate) mod transport;
mod webhook;

#[cfg(feature = "client")]
pub use self::auth::{BoxFuture, TokenProvider};
pub use self::builder::Unset;
#[cfg(feature = "client")]
pub use self::call::{Call, Operation, OperationInfo, RequestOptions};
#[cfg(feature = "client")]
pub use self::client::{Client, ClientBuilder, DEFAULT_MAX_BODY_SIZE};
#[cfg(feature = "client")]
pub use self::conventions::{Conventions, NoRetryRule};
#[cfg(feature = "client")]
pub use self::error::{
    ApiError, BodyTooLargeError, BoxError, BuildError, DecodeError, Error, ResponseBodyError,
};
pub use self::events::{MalformedEvent, WebhookBodyError};
pub use self::ids::NotAnInteger;
pub use self::indirect::{Indirect, IndirectValue};
#[cfg(feature = "client")]
pub use self::multipart::FilePart;
pub use self::nullable::Nullable;
#[cfg(feature = "client")]
pub use self::pagination::Paginated;
#[cfg(feature = "client")]
pub use self::response::{RateLimit, Response};
#[cfg(feature = "client")]
pub use self::stream::{ByteStream, EventStream, ServerEvent, StreamError, UndecodableEvent};
pub use self::webhook::{
    SchemeId, SignatureError, SignatureScheme, SignatureSchemes, Verified, WebhookRequest,
    WebhookSecret, WebhookVerifier,
};
// The parts of a signature scheme, which generated code writes as data: public, but not what
// a receiver reads about.
#[doc(hidden)]
pub use self::webhook::{
    SignatureAlgorithm, SignatureEncoding, SignedPart, TimestampCheck, TimestampUnit,
};

/// A byte buffer holding a raw response body.
#[cfg(feature = "client")]
pub use bytes::Bytes;
/// The stream traits that paginated calls' streams are used with (`.next()`, `.try_next()`,
/// `.try_collect()`, ...), re-exported so that no extra dependency is needed.
#[cfg(feature = "client")]
pub use futures_util::{Stream, StreamExt, TryStreamExt};
/// An HTTP header map.
pub use http::HeaderMap;
/// An HTTP method (the `http` crate's, which reqwest and most server frameworks use).
pub use http::Method;
/// An HTTP status code.
pub use http::StatusCode;
/// The `reqwest` crate this runtime is built on, re-exported so that a custom
/// `reqwest::Client` can be passed to [`ClientBuilder::http_client`] without a version mismatch.
#[cfg(feature = "client")]
pub use reqwest;
