//! What generated code uses from the runtime. Not part of the public API: it may change with
//! any regeneration.

pub use super::auth::{ApiKeyLocation, SchemeKind, SecurityRequirement};
pub use super::call::{Call, IdempotencyKey, Operation, OperationInfo};
pub use super::conventions::{Conventions, NoRetryRule};
pub use super::error::{BoxError, BuildError};
pub use super::events::{decode_event, parse_events};
pub use super::indirect::Indirect;
pub use super::nullable::Nullable;
pub use super::pagination::Paginated;
pub use super::request::{JsonBody, QueryStyle, RequestParts};
pub use super::webhook::SchemeId;
pub use bytes::Bytes;
pub use reqwest::{Method, StatusCode};

use serde::de::DeserializeOwned;

/// Decodes a JSON response body.
pub fn decode_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, BoxError> {
    serde_json::from_slice(body).map_err(|e| Box::new(e) as BoxError)
}

/// Accepts any body, for responses without content (such as 204).
pub fn decode_empty(body: &Bytes) -> Result<(), BoxError> {
    let _ = body;
    Ok(())
}

/// Decodes a UTF-8 text response body.
pub fn decode_text(body: &Bytes) -> Result<String, BoxError> {
    String::from_utf8(body.to_vec()).map_err(|e| Box::new(e) as BoxError)
}

/// Returns the raw response body.
pub fn decode_bytes(body: &Bytes) -> Result<Bytes, BoxError> {
    Ok(body.clone())
}
