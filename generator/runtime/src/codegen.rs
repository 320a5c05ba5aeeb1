//! What generated code uses from the runtime. Not part of the public API: it may change with
//! any regeneration.

#[cfg(feature = "client")]
pub use super::auth::{ApiKeyLocation, SchemeKind, SecurityRequirement};
#[cfg(feature = "client")]
pub use super::call::{Call, IdempotencyKey, Operation, OperationInfo};
#[cfg(feature = "client")]
pub use super::conventions::{Conventions, NoRetryRule};
#[cfg(feature = "client")]
pub use super::error::{BoxError, BuildError};
pub use super::events::{decode_event, parse_events};
pub use super::indirect::Indirect;
pub use super::nullable::Nullable;
#[cfg(feature = "client")]
pub use super::pagination::Paginated;
#[cfg(feature = "client")]
pub use super::request::{JsonBody, QueryStyle, RequestParts};
pub use super::webhook::SchemeId;
#[cfg(feature = "client")]
pub use bytes::Bytes;
pub use http::{Method, StatusCode};

#[cfg(feature = "client")]
use serde::de::DeserializeOwned;

/// Decodes a JSON response body.
#[cfg(feature = "client")]
pub fn decode_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, BoxError> {
    serde_json::from_slice(body).map_err(|e| Box::new(e) as BoxError)
}

/// Accepts any body, for responses without content (such as 204).
#[cfg(feature = "client")]
pub fn decode_empty(body: &Bytes) -> Result<(), BoxError> {
    let _ = body;
    Ok(())
}

/// Decodes a UTF-8 text response body.
#[cfg(feature = "client")]
pub fn decode_text(body: &Bytes) -> Result<String, BoxError> {
    String::from_utf8(body.to_vec()).map_err(|e| Box::new(e) as BoxError)
}

/// Returns the raw response body.
#[cfg(feature = "client")]
pub fn decode_bytes(body: &Bytes) -> Result<Bytes, BoxError> {
    Ok(body.clone())
}
