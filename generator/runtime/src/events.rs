//! Webhook request bodies: one event, or a list of events.
//!
//! Takes: a webhook request's raw body, the name of the property that gives an event's type,
//! and the generated decoder of one event. Gives: the events, or a [`WebhookBodyError`] that
//! says what is wrong and, for an event that does not match its schema, which one.

/// Why a webhook request's body could not be read as events.
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
    /// An event of a known type does not match that type's schema.
    #[error(
        "event {index} of the webhook body, of type `{event_type}`, does not match its schema: {source}"
    )]
    Event {
        /// Its position in the body (0 when the body is a single event).
        index: usize,
        /// Its type.
        event_type: String,
        /// What serde found wrong.
        #[source]
        source: serde_json::Error,
    },
}

/// Decodes a body holding one event object or a list of them, each with `decode`. An element
/// that is not an object is handed to `decode` too (which keeps it as an unknown event).
pub fn parse_events<E>(
    body: &[u8],
    tag: &str,
    decode: impl Fn(serde_json::Value) -> Result<E, serde_json::Error>,
) -> Result<Vec<E>, WebhookBodyError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(WebhookBodyError::NotJson)?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        object @ serde_json::Value::Object(_) => vec![object],
        other => {
            return Err(WebhookBodyError::NotEvents {
                found: json_kind(&other),
            });
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let event_type = item
                .get(tag)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned();
            decode(item).map_err(|source| WebhookBodyError::Event {
                index,
                event_type,
                source,
            })
        })
        .collect()
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
