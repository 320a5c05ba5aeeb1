//! Hand-written operations (as the generator would emit them) and test helpers.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wiremock::MockServer;

pub use crate::runtime::codegen::{
    ApiKeyLocation, BoxError, BuildError, Bytes, Call, IdempotencyKey, JsonBody, Method, Operation,
    OperationInfo, Paginated, QueryStyle, RequestParts, SchemeKind, SecurityRequirement,
    StatusCode, decode_empty, decode_json, decode_text,
};
pub use crate::runtime::{Client, ClientBuilder, Conventions, Error, NoRetryRule};

pub const PREFIX: &str = "/conversations/v3/custom-channels";
pub const BEARER: &str = "bearer-SECRET-token-1234";
pub const HAPIKEY: &str = "hapikey-SECRET-5678";
pub const HAPIKEY_SCHEME: &str = "developer_hapikey";

const OAUTH2: SecurityRequirement = SecurityRequirement {
    scheme: "oauth2",
    kind: SchemeKind::Bearer,
};
const DEVELOPER_HAPIKEY: SecurityRequirement = SecurityRequirement {
    scheme: HAPIKEY_SCHEME,
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Query,
        name: "hapikey",
    },
};
const BEARER_ONLY: &[&[SecurityRequirement]] = &[&[OAUTH2]];
const HAPIKEY_ONLY: &[&[SecurityRequirement]] = &[&[DEVELOPER_HAPIKEY]];

/// HubSpot-like conventions, as a generated crate declares them from `x-client-conventions`
/// (plus a second correlation-id header, to test the order).
pub static TEST_CONVENTIONS: Conventions = Conventions {
    correlation_id_headers: &["X-HubSpot-Correlation-Id", "X-Request-Id"],
    correlation_id_body_field: Some("correlationId"),
    rate_limit_headers: &[
        ("daily", "X-HubSpot-RateLimit-Daily"),
        ("dailyRemaining", "X-HubSpot-RateLimit-Daily-Remaining"),
        ("secondly", "X-HubSpot-RateLimit-Secondly"),
        (
            "secondlyRemaining",
            "X-HubSpot-RateLimit-Secondly-Remaining",
        ),
        (
            "intervalMilliseconds",
            "X-HubSpot-RateLimit-Interval-Milliseconds",
        ),
        ("max", "X-HubSpot-RateLimit-Max"),
        ("remaining", "X-HubSpot-RateLimit-Remaining"),
    ],
    do_not_retry: &[NoRetryRule {
        status: 429,
        body_field: "policyName",
        equals: "DAILY",
        reason: Some("the daily limit resets at midnight in the account's time zone"),
    }],
};

/// A typed error body, like HubSpot's `Error` schema (all fields but `message` optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestError {
    pub category: Option<String>,
    pub message: String,
    pub correlation_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Message {
    pub id: String,
    pub text: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// GET /{channelId}/messages/{messageId}: bearer, idempotent, typed output and error.

#[derive(Debug, Clone)]
pub struct GetMessage {
    pub channel_id: i32,
    pub message_id: String,
}

impl Operation for GetMessage {
    type Output = Message;
    type Error = TestError;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "getMessage",
        method: Method::GET,
        path: "/{channelId}/messages/{messageId}",
        idempotent: true,
        security: BEARER_ONLY,
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.path_param("channelId", &self.channel_id)?;
        req.path_param("messageId", &self.message_id)?;
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_json(body)
    }
}

pub fn get_message(client: &Client, channel_id: i32, message_id: &str) -> Call<GetMessage> {
    Call::new(
        client,
        PREFIX,
        GetMessage {
            channel_id,
            message_id: message_id.to_owned(),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// POST /{channelId}/messages: bearer, not idempotent, idempotency key in the body.

#[derive(Debug, Clone)]
pub struct PublishMessage {
    pub channel_id: i32,
    pub body: JsonBody,
}

impl Operation for PublishMessage {
    type Output = serde_json::Value;
    type Error = TestError;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "publishMessage",
        method: Method::POST,
        path: "/{channelId}/messages",
        idempotent: false,
        security: BEARER_ONLY,
        idempotency_key: Some(IdempotencyKey::BodyPointer("/integrationIdempotencyId")),
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.path_param("channelId", &self.channel_id)?;
        req.json_body(&self.body);
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_json(body)
    }
}

pub fn publish_message(
    client: &Client,
    channel_id: i32,
    body: &serde_json::Value,
) -> Call<PublishMessage> {
    Call::new(
        client,
        PREFIX,
        PublishMessage {
            channel_id,
            body: JsonBody::new(body),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// POST /notes: bearer, not idempotent, no idempotency key.

#[derive(Debug, Clone)]
pub struct CreateNote {
    pub body: JsonBody,
}

impl Operation for CreateNote {
    type Output = serde_json::Value;
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "createNote",
        method: Method::POST,
        path: "/notes",
        idempotent: false,
        security: BEARER_ONLY,
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.json_body(&self.body);
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_json(body)
    }
}

pub fn create_note(client: &Client) -> Call<CreateNote> {
    Call::new(
        client,
        PREFIX,
        CreateNote {
            body: JsonBody::new(&serde_json::json!({ "text": "hello" })),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// POST (prefix only): developer API key in the query, not idempotent.

#[derive(Debug, Clone)]
pub struct CreateChannel {
    pub body: JsonBody,
}

impl Operation for CreateChannel {
    type Output = serde_json::Value;
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "createChannel",
        method: Method::POST,
        path: "",
        idempotent: false,
        security: HAPIKEY_ONLY,
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.json_body(&self.body);
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_json(body)
    }
}

pub fn create_channel(client: &Client) -> Call<CreateChannel> {
    Call::new(
        client,
        PREFIX,
        CreateChannel {
            body: JsonBody::new(&serde_json::json!({ "name": "My channel" })),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// GET (prefix only): developer API key, paginated over `/paging/next/after`.

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Channel {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChannelPage {
    pub results: Vec<Channel>,
    pub paging: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default)]
pub struct ListChannels {
    pub after: Option<String>,
    pub limit: Option<i32>,
    pub sort: Option<Vec<String>>,
}

impl Operation for ListChannels {
    type Output = ChannelPage;
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "listChannels",
        method: Method::GET,
        path: "",
        idempotent: true,
        security: HAPIKEY_ONLY,
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.query("after", &self.after)?;
        req.query("limit", &self.limit)?;
        req.query("sort", &self.sort)?;
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_json(body)
    }
}

impl Paginated for ListChannels {
    type Item = Channel;
    const CURSOR_POINTER: &'static str = "/paging/next/after";
    const ITEMS_POINTER: &'static str = "/results";
    fn set_cursor(&mut self, cursor: String) {
        self.after = Some(cursor);
    }
}

pub fn list_channels(client: &Client) -> Call<ListChannels> {
    Call::new(client, PREFIX, ListChannels::default())
}

// Generated optional-parameter setters look like this.
impl Call<ListChannels> {
    pub fn limit(mut self, value: i32) -> Self {
        self.op_mut().limit = Some(value);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// DELETE /{channelId}: developer API key, 204 without body.

#[derive(Debug, Clone)]
pub struct ArchiveChannel {
    pub channel_id: i32,
}

impl Operation for ArchiveChannel {
    type Output = ();
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "archiveChannel",
        method: Method::DELETE,
        path: "/{channelId}",
        idempotent: true,
        security: HAPIKEY_ONLY,
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.path_param("channelId", &self.channel_id)
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_empty(body)
    }
}

pub fn archive_channel(client: &Client, channel_id: i32) -> Call<ArchiveChannel> {
    Call::new(client, PREFIX, ArchiveChannel { channel_id })
}

// ---------------------------------------------------------------------------------------------
// POST /things: no security, idempotency key in a header.

#[derive(Debug, Clone)]
pub struct CreateThing {
    pub body: JsonBody,
}

impl Operation for CreateThing {
    type Output = serde_json::Value;
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "createThing",
        method: Method::POST,
        path: "/things",
        idempotent: false,
        security: &[],
        idempotency_key: Some(IdempotencyKey::Header("Idempotency-Key")),
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.json_body(&self.body);
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_json(body)
    }
}

pub fn create_thing(client: &Client, body: serde_json::Value) -> Call<CreateThing> {
    Call::new(
        client,
        "",
        CreateThing {
            body: JsonBody::from_value(body),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// GET /search/{term}: anonymous allowed, every kind of parameter, text output.

#[derive(Debug, Clone, Default)]
pub struct Search {
    pub term: Option<String>,
    pub q: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    pub flag: Option<bool>,
    pub missing: Option<i32>,
    pub ratio: Option<f64>,
    pub filter: Option<std::collections::BTreeMap<String, String>>,
    pub x_trace: Option<String>,
    pub ids: Option<Vec<i64>>,
}

impl Operation for Search {
    type Output = String;
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "search",
        method: Method::GET,
        path: "/search/{term}",
        idempotent: true,
        security: &[&[]],
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.path_param("term", &self.term)?;
        req.query("q", &self.q)?;
        req.query("since", &self.since)?;
        req.query("flag", &self.flag)?;
        req.query("missing", &self.missing)?;
        req.query("ratio", &self.ratio)?;
        req.query("filter", &self.filter)?;
        req.header("X-Trace", &self.x_trace)?;
        req.header("X-Ids", &self.ids)?;
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_text(body)
    }
}

pub fn search(client: &Client, op: Search) -> Call<Search> {
    Call::new(client, "", op)
}

// ---------------------------------------------------------------------------------------------
// GET /styled: query parameters in explicit OpenAPI styles.

#[derive(Debug, Clone, Default)]
pub struct Styled {
    /// `(name, value, style)`, added in this order.
    pub params: Vec<(&'static str, serde_json::Value, QueryStyle)>,
}

impl Operation for Styled {
    type Output = ();
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "styled",
        method: Method::GET,
        path: "/styled",
        idempotent: true,
        security: &[],
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        for (name, value, style) in &self.params {
            req.query_styled(name, value, *style)?;
        }
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_empty(body)
    }
}

pub fn styled(
    client: &Client,
    params: Vec<(&'static str, serde_json::Value, QueryStyle)>,
) -> Call<Styled> {
    Call::new(client, "", Styled { params })
}

// ---------------------------------------------------------------------------------------------
// POST /bad: a body that cannot be serialised to JSON (map with non-string keys).

#[derive(Debug, Clone)]
pub struct BadBody {
    pub body: JsonBody,
}

impl Operation for BadBody {
    type Output = ();
    type Error = serde_json::Value;
    const INFO: &'static OperationInfo = &OperationInfo {
        operation_id: "badBody",
        method: Method::POST,
        path: "/bad",
        idempotent: false,
        security: &[],
        idempotency_key: None,
    };
    fn build(&self, req: &mut RequestParts) -> Result<(), BuildError> {
        req.json_body(&self.body);
        Ok(())
    }
    fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
        decode_empty(body)
    }
}

// ---------------------------------------------------------------------------------------------
// GET /probe with various security declarations, to test credential selection.

macro_rules! probe_operation {
    ($name:ident, $id:literal, $security:expr) => {
        #[derive(Debug, Clone)]
        pub struct $name;

        impl Operation for $name {
            type Output = ();
            type Error = serde_json::Value;
            const INFO: &'static OperationInfo = &OperationInfo {
                operation_id: $id,
                method: Method::GET,
                path: "/probe",
                idempotent: true,
                security: $security,
                idempotency_key: None,
            };
            fn build(&self, _req: &mut RequestParts) -> Result<(), BuildError> {
                Ok(())
            }
            fn decode(_status: StatusCode, body: &Bytes) -> Result<Self::Output, BoxError> {
                decode_empty(body)
            }
        }
    };
}

probe_operation!(ProbeNoSecurity, "probeNoSecurity", &[]);
probe_operation!(ProbeOptional, "probeOptional", &[&[], &[OAUTH2]]);
probe_operation!(
    ProbeEither,
    "probeEither",
    &[&[OAUTH2], &[DEVELOPER_HAPIKEY]]
);
probe_operation!(ProbeBoth, "probeBoth", &[&[OAUTH2, DEVELOPER_HAPIKEY]]);
probe_operation!(
    ProbeBasic,
    "probeBasic",
    &[&[SecurityRequirement {
        scheme: "basic",
        kind: SchemeKind::Basic
    }]]
);
probe_operation!(
    ProbeHeaderKey,
    "probeHeaderKey",
    &[&[SecurityRequirement {
        scheme: "header_key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "X-Api-Key"
        }
    }]]
);
probe_operation!(
    ProbeCookieKey,
    "probeCookieKey",
    &[&[SecurityRequirement {
        scheme: "cookie_key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: "session"
        }
    }]]
);

pub fn probe<O: Operation>(client: &Client, op: O) -> Call<O> {
    Call::new(client, "", op)
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A builder pointed at `server` with fast retries, both kinds of credentials and the
/// HubSpot-like [`TEST_CONVENTIONS`].
pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_at(server.uri())
}

/// The test client's settings, for a server at `base_url`.
pub fn builder_at(base_url: String) -> ClientBuilder {
    ClientBuilder::new()
        .conventions(&TEST_CONVENTIONS)
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .bearer_token(BEARER)
        .api_key(HAPIKEY_SCHEME, HAPIKEY)
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("valid test client")
}

/// A base URL on which nothing listens (connection refused).
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs a subscriber recording every span and event (all levels, span fields on close)
/// for the current thread; keep the guard alive while the code under test runs.
pub fn capture_logs() -> (CapturedLogs, tracing::subscriber::DefaultGuard) {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}
