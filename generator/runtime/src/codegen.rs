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
#[cfg(feature = "client")]
pub use super::multipart::{FilePart, MultipartBody};
pub use super::nullable::Nullable;
#[cfg(feature = "client")]
pub use super::pagination::Paginated;
#[cfg(feature = "client")]
pub use super::request::{JsonBody, QueryStyle, RequestParts};
#[cfg(feature = "client")]
pub use super::stream::{ByteStream, EventStream, Streamed};
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

/// Decodes the data of a server-sent event as JSON.
#[cfg(feature = "client")]
pub fn decode_event_json<T: DeserializeOwned>(data: &str) -> Result<T, BoxError> {
    serde_json::from_str(data).map_err(|e| Box::new(e) as BoxError)
}

/// Keeps the data of a server-sent event as text.
#[cfg(feature = "client")]
pub fn decode_event_text(data: &str) -> Result<String, BoxError> {
    Ok(data.to_owned())
}

/// Returns the raw response body.
#[cfg(feature = "client")]
pub fn decode_bytes(body: &Bytes) -> Result<Bytes, BoxError> {
    Ok(body.clone())
}

/// The setters of a generated builder (`XBuilder<P1, .., Pn>`, a type parameter per required
/// field): one `impl` per field, for the states where that field is [`Unset`](super::Unset),
/// that sets it and keeps the others. Generated code lists each field once, as `(field, Param,
/// method, stored type, argument type, stored value, doc)`; the macro writes the `impl`s, whose text is
/// quadratic in the number of fields (each names every field's state), so that the generator
/// does not have to. (Unused in a crate whose models have no required fields.)
#[allow(unused_macros)]
macro_rules! typestate_setters {
    ($builder:ident; $($fields:tt)*) => {
        $crate::runtime::codegen::typestate_setters!(@each $builder [] [$($fields)*]);
    };
    (@each $builder:ident [$(($done:ident, $done_param:ident))*] []) => {};
    (@each $builder:ident [$(($done:ident, $done_param:ident))*]
        [($field:ident, $param:ident, $method:ident, $stored:ty, $arg:ty, $value:expr, $doc:expr)
         $(($rest:ident, $rest_param:ident, $rest_method:ident, $rest_stored:ty, $rest_arg:ty, $rest_value:expr, $rest_doc:expr))*]) => {
        #[allow(clippy::type_complexity)]
        impl<$($done_param,)* $($rest_param,)*>
            $builder<$($done_param,)* $crate::runtime::Unset, $($rest_param,)*>
        {
            #[doc = $doc]
            #[inline]
            pub fn $method(self, $field: $arg) -> $builder<$($done_param,)* $stored, $($rest_param,)*> {
                $builder { $($done: self.$done,)* $field: $value, $($rest: self.$rest,)* }
            }
        }
        $crate::runtime::codegen::typestate_setters!(@each $builder
            [$(($done, $done_param))* ($field, $param)]
            [$(($rest, $rest_param, $rest_method, $rest_stored, $rest_arg, $rest_value, $rest_doc))*]);
    };
}
#[allow(unused_imports)]
pub(crate) use typestate_setters;
