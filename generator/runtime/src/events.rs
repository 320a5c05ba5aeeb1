//! Webhook request bodies: one event, or a list of events, each decoded on its own.
//!
//! Takes: a webhook request's raw body and the generated decoder of one event. Gives: one
//! event per element of the body, or a [`WebhookBodyError`] when the body is not JSON or holds
//! neither an event nor a list of them. An event that does not fit its schema never fails the
//! others: the generated decoder keeps it whole as a [`MalformedEvent`] (made by
//! [`decode_event`]), with the reason and where in the event it went wrong.

use std::fmt;

use serde::de::DeserializeOwned;

/// Why a webhook request's body could not be read as events at all. (An event that does not
/// match its schema is not an error of the body: it is kept as a [`MalformedEvent`].)
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookBodyError {
    /// The body is not JSON.
    #[error("the webhook body is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The body is JSON, but neither an event (an object) nor a list of events.
    #[error("the webhook body is neither an event object nor a list of events (it is {found})")]
    NotEvents {
        /// What it is instead (`a string`, `a number`, ...).
        found: &'static str,
    },
}

/// An event of a known type whose payload does not match that type's schema, kept whole: its
/// JSON as received, the type it claims and why it does not fit. Nothing of it is lost; store
/// it, and handle it by hand or once the crate knows its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedEvent(Box<Malformed>);

/// What a [`MalformedEvent`] holds (boxed: events are moved around in lists and results).
#[derive(Debug, Clone, PartialEq)]
struct Malformed {
    event_type: String,
    path: String,
    message: String,
    raw: serde_json::Value,
}

impl MalformedEvent {
    /// The event type it claims (its tag property's value).
    pub fn event_type(&self) -> &str {
        &self.0.event_type
    }

    /// Where in the event decoding failed, as a path of fields and indexes
    /// (`message.senders[0]`; `.` for the event itself).
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What did not fit there (`missing field `archived``, `invalid type: ...`).
    pub fn reason(&self) -> &str {
        &self.0.message
    }

    /// The event's JSON, as received.
    pub fn raw(&self) -> &serde_json::Value {
        &self.0.raw
    }

    /// Takes the event's JSON.
    pub fn into_raw(self) -> serde_json::Value {
        self.0.raw
    }
}

impl fmt::Display for MalformedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the webhook event of type `{}` does not match its schema at `{}`: {}",
            self.0.event_type, self.0.path, self.0.message
        )
    }
}

impl serde::Serialize for MalformedEvent {
    /// Re-encodes the event as received.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.raw.serialize(serializer)
    }
}

/// Decodes one event of type `event_type` into its payload type, or keeps it whole as a
/// [`MalformedEvent`] saying where and why it does not fit.
pub fn decode_event<T: DeserializeOwned>(
    value: serde_json::Value,
    event_type: &str,
) -> Result<T, MalformedEvent> {
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(payload) => Ok(payload),
        Err(error) => {
            let path = error.path().to_string();
            let message = error.into_inner().to_string();
            Err(MalformedEvent(Box::new(Malformed {
                event_type: event_type.to_owned(),
                path,
                message,
                raw: value,
            })))
        }
    }
}

/// Decodes a body holding one event object or a list of them, each with `decode`, which
/// decides for every element on its own (an element that is not an object is handed to it too,
/// and kept as an unknown event).
pub fn parse_events<E>(
    body: &[u8],
    decode: impl Fn(serde_json::Value) -> E,
) -> Result<Vec<E>, WebhookBodyError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(WebhookBodyError::NotJson)?;
    match value {
        serde_json::Value::Array(items) => Ok(items.into_iter().map(decode).collect()),
        object @ serde_json::Value::Object(_) => Ok(vec![decode(object)]),
        other => Err(WebhookBodyError::NotEvents {
            found: json_kind(&other),
        }),
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}
