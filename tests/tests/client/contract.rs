//! Contract tests: every operation of the spec, in both path versions, sent through the generated
//! client to a local `wiremock` server.
//!
//! For each of the 13 operations × 2 API versions (26 in all; the list of what must be covered is
//! taken from the generator's IR of the spec, see `the_cases_cover_every_operation_of_the_spec`)
//! the tests check what goes on the wire (method, path with the version's prefix, query string,
//! authentication, `accept` and `content-type` headers, JSON body) and what comes back: the documented success response
//! decodes into the documented type with its status and headers, and an error response (the
//! spec's `default` response, HubSpot's `Error` body) decodes into the typed error.
//!
//! Request bodies are written as JSON and decoded into the generated model types before being
//! sent, so every check also proves that the models carry exactly that JSON to the wire.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use hubspot_custom_channels::runtime::{Call, Operation};
use hubspot_custom_channels::{Api, ApiVersion, Client, models, security};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::matchers::{any, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The error type of every operation of this API.
type ClientError = hubspot_custom_channels::Error;

const BEARER_TOKEN: &str = "test-oauth-access-token";
const DEVELOPER_KEY: &str = "test-developer-api-key";
const CORRELATION_ID: &str = "0f0e2b7c-3f3a-4d4e-9c1b-8a7d6e5f4a3b";

/// The path prefix of each version, as the API facts give them (not taken from the client).
fn expected_prefix(version: ApiVersion) -> &'static str {
    match version {
        ApiVersion::V3 => "/conversations/v3/custom-channels",
        ApiVersion::V2026_03 => "/conversations/custom-channels/2026-03",
    }
}

/// A client for `server` with both credentials and no retries (every test sees one request per
/// call; the error responses below include retryable statuses such as 429 and 503).
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(BEARER_TOKEN)
        .api_key(security::DEVELOPER_HAPIKEY, DEVELOPER_KEY)
        .max_retries(0)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("a valid client configuration")
}

/// The generator's IR of the spec: what the contract cases must cover, built once.
fn spec_api() -> &'static generator::ir::Api {
    static API: OnceLock<generator::ir::Api> = OnceLock::new();
    API.get_or_init(|| tests::generate_default().api)
}

/// Whether a filled, percent-encoded path (`/1001/messages/msg-7b1c`) fits a template
/// (`/{channelId}/messages/{messageId}`): same segments, a placeholder matching any one.
fn path_fits_template(path: &str, template: &str) -> bool {
    let (path, template): (Vec<&str>, Vec<&str>) =
        (path.split('/').collect(), template.split('/').collect());
    path.len() == template.len()
        && path.iter().zip(&template).all(|(segment, pattern)| {
            (pattern.starts_with('{') && pattern.ends_with('}') && !segment.is_empty())
                || segment == pattern
        })
}

/// The operation of the IR a case calls in `version`, found by method and path (not by its
/// id, so that the id the client reports is checked against the spec, not against the case).
fn spec_operation(case: &Case, version: ApiVersion) -> &'static generator::ir::Operation {
    let api = spec_api();
    let matching: Vec<&generator::ir::Operation> = api
        .groups
        .iter()
        .flat_map(|group| &group.operations)
        .filter(|op| {
            op.def.http_method.as_str() == case.method
                && path_fits_template(case.path, &op.def.path)
                && op
                    .versions
                    .iter()
                    .any(|&i| api.versions[i].name == version.name())
        })
        .collect();
    match matching[..] {
        [op] => op,
        _ => panic!(
            "{} ({version}): expected one operation of the spec for {} {}, found {}",
            case.operation_id,
            case.method,
            case.path,
            matching.len()
        ),
    }
}

/// Decodes a JSON fixture into a generated model type.
fn model<T: DeserializeOwned>(json: Value) -> T {
    let type_name = std::any::type_name::<T>();
    serde_json::from_value(json)
        .unwrap_or_else(|e| panic!("fixture is not a valid {type_name}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Fixtures: request bodies and documented success responses.
// ---------------------------------------------------------------------------------------------

const CHANNEL_ID: i32 = 1001;
const CHANNEL_ACCOUNT_ID: i64 = 9_007_199_254_740_993; // above 2^53: must not pass through f64
const MESSAGE_ID: &str = "msg-7b1c";
const ACCOUNT_TOKEN: &str = "staging-4f2a";

fn capabilities() -> Value {
    json!({
        "deliveryIdentifierTypes": ["HS_PHONE_NUMBER"],
        "threadingModel": "DELIVERY_IDENTIFIER",
        "richText": ["HYPERLINK", "BOLD"],
        "allowInlineImages": false,
        "allowOutgoingMessages": true,
        "outgoingAttachmentTypes": ["FILE"],
        "allowedFileAttachmentMimeTypes": ["image/png", "application/pdf"],
        "maxFileAttachmentCount": 5,
        "maxFileAttachmentSizeBytes": 1_500_000
    })
}

fn channel_create_body() -> Value {
    json!({
        "name": "Acme SMS",
        "webhookUrl": "https://acme.example/hubspot/webhook",
        "channelDescription": "Text messages through Acme",
        "channelLogoUrl": "https://acme.example/logo.png",
        "channelAccountConnectionRedirectUrl": "https://acme.example/connect",
        "capabilities": capabilities()
    })
}

/// Absent, `null` and a value are three different requests: `name` and `channelLogoUrl` are left
/// out (unchanged), `channelDescription` is cleared, `webhookUrl` gets a new value.
fn channel_patch_body() -> Value {
    json!({
        "webhookUrl": "https://acme.example/hubspot/webhook-v2",
        "channelDescription": null,
        "channelAccountConnectionRedirectUrl": "https://acme.example/connect-v2",
        "capabilities": { "allowOutgoingMessages": false, "maxFileAttachmentCount": 3 }
    })
}

fn channel(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Acme SMS",
        "createdAt": "2026-03-02T10:15:30.123Z",
        "webhookUrl": "https://acme.example/hubspot/webhook",
        "channelDescription": "Text messages through Acme",
        "channelLogoUrl": "https://acme.example/logo.png",
        "channelAccountConnectionRedirectUrl": "https://acme.example/connect",
        "capabilities": capabilities()
    })
}

fn channel_page() -> Value {
    json!({
        "total": 3,
        "results": [channel("1001"), channel("1002")],
        "paging": {
            "next": { "after": "MTAwMg==", "link": "https://api.hubapi.com/next" }
        }
    })
}

fn channel_account_create_body() -> Value {
    json!({
        "name": "Support line",
        "inboxId": "3003",
        "authorized": true,
        "deliveryIdentifier": { "type": "HS_PHONE_NUMBER", "value": "+15551234567" }
    })
}

fn channel_account_update_body() -> Value {
    json!({ "name": "Support line (EU)", "authorized": false })
}

fn channel_account(id: &str) -> Value {
    json!({
        "id": id,
        "channelId": "1001",
        "name": "Support line",
        "inboxId": "3003",
        "active": true,
        "archived": false,
        "authorized": true,
        "createdAt": "2026-03-02T10:16:00Z",
        "deliveryIdentifier": { "type": "HS_PHONE_NUMBER", "value": "+15551234567" }
    })
}

fn archived_channel_account(id: &str) -> Value {
    let mut account = channel_account(id);
    account["archived"] = json!(true);
    account["active"] = json!(false);
    account["archivedAt"] = json!("2026-03-05T08:00:00Z");
    account
}

fn channel_account_page() -> Value {
    json!({
        "total": 2,
        "results": [channel_account("2002"), archived_channel_account("2003")],
        "paging": { "prev": { "before": "MjAwMQ==" } }
    })
}

fn staging_token_update_body() -> Value {
    json!({
        "accountName": "Support line",
        "deliveryIdentifier": { "type": "HS_EMAIL_ADDRESS", "value": "support@acme.example" }
    })
}

fn staging_token() -> Value {
    json!({
        "accountToken": ACCOUNT_TOKEN,
        "accountName": "Support line",
        "createdAt": "2026-03-02T10:17:00Z",
        "genericChannelId": 1001,
        "inboxId": 3003,
        "userId": 4004,
        "deliveryIdentifier": { "type": "HS_EMAIL_ADDRESS", "value": "support@acme.example" }
    })
}

fn publish_body() -> Value {
    json!({
        "channelAccountId": "2002",
        "integrationIdempotencyId": "acme-msg-000123",
        "integrationThreadId": "acme-thread-77",
        "inReplyToId": "msg-7b1b",
        "messageDirection": "INCOMING",
        "text": "Hello, is my order on its way?",
        "richText": "<p>Hello, is my order on its way?</p>",
        "timestamp": "2026-03-02T10:20:00Z",
        "associateWithContactId": 5_000_000_001_i64,
        "senders": [{
            "name": "Ada Lovelace",
            "deliveryIdentifier": { "type": "HS_PHONE_NUMBER", "value": "+15557654321" }
        }],
        "recipients": [{
            "name": "Support line",
            "senderActorId": "A-1",
            "deliveryIdentifier": { "type": "CHANNEL_SPECIFIC_OPAQUE_ID", "value": "acct-2002" }
        }],
        "attachments": [
            { "type": "FILE", "fileId": "184467440737", "fileUsageType": "IMAGE" },
            { "type": "LOCATION", "latitude": 52.520008, "longitude": 13.404954, "name": "Berlin" },
            { "type": "MESSAGE_HEADER", "fileId": 9_007_199_254_740_993_i64, "text": "Order 42" },
            { "type": "QUICK_REPLIES", "quickReplies": [
                { "label": "Yes", "value": "yes", "valueType": "TEXT" },
                { "value": "https://acme.example/help", "valueType": "URL" }
            ] },
            { "type": "UNSUPPORTED_CONTENT" }
        ],
        "preResolvedContacts": {
            "contacts": [{ "contactVid": 5_000_000_001_i64, "contactPropertiesLeadingToMatch": ["phone", "mobilephone"] }]
        }
    })
}

fn message_status_body() -> Value {
    json!({ "statusType": "FAILED", "errorMessage": "The carrier rejected the message." })
}

fn message() -> Value {
    json!({
        "id": MESSAGE_ID,
        "type": "MESSAGE",
        "archived": false,
        "channelId": "1001",
        "channelAccountId": "2002",
        "conversationsThreadId": "8812345",
        "createdAt": "2026-03-02T10:20:01.500Z",
        "updatedAt": "2026-03-02T10:21:00Z",
        "createdBy": "V-5000000001",
        "client": { "clientType": "INTEGRATION", "integrationAppId": 777 },
        "direction": "INCOMING",
        "text": "Hello, is my order on its way?",
        "richText": "<p>Hello, is my order on its way?</p>",
        "subject": "Order 42",
        "inReplyToId": "msg-7b1b",
        "truncationStatus": "NOT_TRUNCATED",
        "status": {
            "statusType": "FAILED",
            "failureDetails": {
                "errorMessage": "The carrier rejected the message.",
                "errorMessageTokens": { "carrier": "Acme" }
            }
        },
        "senders": [{
            "actorId": "V-5000000001",
            "name": "Ada Lovelace",
            "senderField": "FROM",
            "deliveryIdentifier": { "type": "HS_PHONE_NUMBER", "value": "+15557654321" }
        }],
        "recipients": [{
            "actorId": "I-777",
            "recipientField": "TO",
            "deliveryIdentifier": { "type": "CHANNEL_SPECIFIC_OPAQUE_ID", "value": "acct-2002" }
        }],
        "attachments": [
            { "type": "FILE", "fileId": "184467440737", "fileUsageType": "IMAGE", "name": "photo.png", "url": "https://files.example/photo.png" },
            { "type": "QUICK_REPLIES", "allowMultiSelect": false, "allowUserInput": true, "quickReplies": [
                { "label": "Yes", "value": "yes", "valueType": "TEXT" }
            ] },
            { "type": "WHATSAPP_TEMPLATE_METADATA", "crmObjectIds": { "contact": 5_000_000_001_i64 }, "parameters": { "1": "Ada" }, "mappedTemplateId": 12 },
            { "type": "SOCIAL_MEDIA_METADATA", "socialMetadata": { "mediaType": "PHOTO", "mediaUrl": "https://files.example/p.jpg" } }
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// The operations: what each call sends and what it gets back.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// `hapikey` query parameter, no `Authorization` header.
    DeveloperKey,
    /// `Authorization: Bearer`, no `hapikey`.
    Bearer,
}

/// What a successful call returned, with the decoded value turned back into JSON.
struct Sent {
    status: u16,
    location: Option<String>,
    correlation_id: Option<String>,
    rate_limit: hubspot_custom_channels::RateLimit,
    output_type: &'static str,
    value: Value,
}

type Outcome = Result<Sent, ClientError>;

/// Sends a call with `send_with_response()` and keeps what the checks need.
fn send<O>(call: Call<O>) -> BoxFuture<'static, Outcome>
where
    O: Operation<Error = models::Error>,
    O::Output: Serialize,
{
    Box::pin(async move {
        let response = call.send_with_response().await?;
        let output_type = std::any::type_name::<O::Output>();
        Ok(Sent {
            status: response.status().as_u16(),
            location: response.location().map(str::to_owned),
            correlation_id: response.correlation_id().map(str::to_owned),
            rate_limit: response.rate_limit(),
            output_type: output_type.rsplit("::").next().unwrap_or(output_type),
            value: serde_json::to_value(response.value()).expect("outputs serialise"),
        })
    })
}

/// One operation: how to call it, the request it must produce, the response it must decode.
struct Case {
    operation_id: &'static str,
    method: &'static str,
    /// The path after the version prefix, exactly as sent (percent-encoded).
    path: &'static str,
    /// Query parameters besides the `hapikey`, in order for repeated keys.
    query: Vec<(&'static str, &'static str)>,
    auth: Auth,
    request_body: Option<Value>,
    /// Documented success: status, body (`None` for 204), output type.
    status: u16,
    response_body: Option<Value>,
    output_type: &'static str,
    /// The status of the error response this operation is tested with.
    error_status: u16,
    call: fn(Api) -> BoxFuture<'static, Outcome>,
}

fn list_channels() -> Case {
    Case {
        operation_id: "listChannels",
        method: "GET",
        path: "",
        query: vec![
            ("after", "MTAwMA=="),
            ("limit", "2"),
            ("defaultPageLength", "50"),
            ("sort", "name"),
            ("sort", "-createdAt"),
        ],
        auth: Auth::DeveloperKey,
        request_body: None,
        status: 200,
        response_body: Some(channel_page()),
        output_type: "ChannelPage",
        error_status: 401,
        call: |api| {
            send(
                api.channels()
                    .list()
                    .after("MTAwMA==")
                    .limit(2)
                    .default_page_length(50)
                    .sort(vec!["name".to_owned(), "-createdAt".to_owned()]),
            )
        },
    }
}

fn create_channel() -> Case {
    Case {
        operation_id: "createChannel",
        method: "POST",
        path: "",
        query: vec![("appId", "424242")],
        auth: Auth::DeveloperKey,
        request_body: Some(channel_create_body()),
        status: 201,
        response_body: Some(channel("1001")),
        output_type: "PublicChannelIntegrationChannel",
        error_status: 400,
        call: |api| {
            let body = model(channel_create_body());
            send(api.channels().create(&body).query("appId", 424242))
        },
    }
}

fn get_channel() -> Case {
    Case {
        operation_id: "getChannel",
        method: "GET",
        path: "/1001",
        query: vec![],
        auth: Auth::DeveloperKey,
        request_body: None,
        status: 200,
        response_body: Some(channel("1001")),
        output_type: "PublicChannelIntegrationChannel",
        error_status: 404,
        call: |api| send(api.channels().get(CHANNEL_ID)),
    }
}

fn update_channel() -> Case {
    Case {
        operation_id: "updateChannel",
        method: "PATCH",
        path: "/1001",
        query: vec![],
        auth: Auth::DeveloperKey,
        request_body: Some(channel_patch_body()),
        status: 200,
        response_body: Some(channel("1001")),
        output_type: "PublicChannelIntegrationChannel",
        error_status: 400,
        call: |api| {
            let body = model(channel_patch_body());
            send(api.channels().update(CHANNEL_ID, &body))
        },
    }
}

fn archive_channel() -> Case {
    Case {
        operation_id: "archiveChannel",
        method: "DELETE",
        path: "/1001",
        query: vec![],
        auth: Auth::DeveloperKey,
        request_body: None,
        status: 204,
        response_body: None,
        output_type: "()",
        error_status: 403,
        call: |api| send(api.channels().archive(CHANNEL_ID)),
    }
}

fn list_channel_accounts() -> Case {
    Case {
        operation_id: "listChannelAccounts",
        method: "GET",
        path: "/1001/channel-accounts",
        query: vec![
            ("after", "MjAwMQ=="),
            ("archived", "true"),
            ("limit", "10"),
            ("defaultPageLength", "25"),
            ("sort", "name"),
            ("sort", "createdAt"),
            ("deliveryIdentifierType", "HS_PHONE_NUMBER"),
            ("deliveryIdentifierType", "HS_EMAIL_ADDRESS"),
            ("deliveryIdentifierValue", "+1 555 123"),
            ("deliveryIdentifierValue", "a&b=c"),
        ],
        auth: Auth::Bearer,
        request_body: None,
        status: 200,
        response_body: Some(channel_account_page()),
        output_type: "ChannelAccountPage",
        error_status: 429,
        call: |api| {
            send(
                api.channel_accounts()
                    .list(CHANNEL_ID)
                    .after("MjAwMQ==")
                    .archived(true)
                    .limit(10)
                    .default_page_length(25)
                    .sort(vec!["name".to_owned(), "createdAt".to_owned()])
                    .delivery_identifier_type(vec![
                        models::DeliveryIdentifierType::HsPhoneNumber,
                        models::DeliveryIdentifierType::HsEmailAddress,
                    ])
                    .delivery_identifier_value(vec!["+1 555 123".to_owned(), "a&b=c".to_owned()]),
            )
        },
    }
}

fn create_channel_account() -> Case {
    Case {
        operation_id: "createChannelAccount",
        method: "POST",
        path: "/1001/channel-accounts",
        query: vec![],
        auth: Auth::Bearer,
        request_body: Some(channel_account_create_body()),
        status: 201,
        response_body: Some(channel_account("2002")),
        output_type: "PublicChannelAccount",
        error_status: 409,
        call: |api| {
            let body = model(channel_account_create_body());
            send(api.channel_accounts().create(CHANNEL_ID, &body))
        },
    }
}

fn get_channel_account() -> Case {
    Case {
        operation_id: "getChannelAccount",
        method: "GET",
        path: "/1001/channel-accounts/9007199254740993",
        query: vec![("archived", "true")],
        auth: Auth::Bearer,
        request_body: None,
        status: 200,
        response_body: Some(archived_channel_account("9007199254740993")),
        output_type: "PublicChannelAccount",
        error_status: 404,
        call: |api| {
            send(
                api.channel_accounts()
                    .get(CHANNEL_ID, CHANNEL_ACCOUNT_ID)
                    .archived(true),
            )
        },
    }
}

fn update_channel_account() -> Case {
    Case {
        operation_id: "updateChannelAccount",
        method: "PATCH",
        path: "/1001/channel-accounts/9007199254740993",
        query: vec![],
        auth: Auth::Bearer,
        request_body: Some(channel_account_update_body()),
        status: 200,
        response_body: Some(channel_account("9007199254740993")),
        output_type: "PublicChannelAccount",
        error_status: 422,
        call: |api| {
            let body = model(channel_account_update_body());
            send(
                api.channel_accounts()
                    .update(CHANNEL_ID, CHANNEL_ACCOUNT_ID, &body),
            )
        },
    }
}

fn update_staging_token() -> Case {
    Case {
        operation_id: "updateStagingToken",
        method: "PATCH",
        path: "/1001/channel-account-staging-tokens/staging-4f2a",
        query: vec![],
        auth: Auth::Bearer,
        request_body: Some(staging_token_update_body()),
        status: 200,
        response_body: Some(staging_token()),
        output_type: "PublicChannelAccountStagingToken",
        error_status: 404,
        call: |api| {
            let body = model(staging_token_update_body());
            send(
                api.staging_tokens()
                    .update(CHANNEL_ID, ACCOUNT_TOKEN, &body),
            )
        },
    }
}

fn publish_message() -> Case {
    Case {
        operation_id: "publishMessage",
        method: "POST",
        path: "/1001/messages",
        query: vec![],
        auth: Auth::Bearer,
        request_body: Some(publish_body()),
        status: 201,
        response_body: Some(message()),
        output_type: "PublicConversationsMessage",
        error_status: 400,
        call: |api| {
            let body = model(publish_body());
            send(api.messages().publish(CHANNEL_ID, &body))
        },
    }
}

fn get_message() -> Case {
    Case {
        operation_id: "getMessage",
        method: "GET",
        path: "/1001/messages/msg-7b1c",
        query: vec![],
        auth: Auth::Bearer,
        request_body: None,
        status: 200,
        response_body: Some(message()),
        output_type: "PublicConversationsMessage",
        error_status: 500,
        call: |api| send(api.messages().get(CHANNEL_ID, MESSAGE_ID)),
    }
}

fn update_message_status() -> Case {
    Case {
        operation_id: "updateMessageStatus",
        method: "PATCH",
        path: "/1001/messages/msg-7b1c",
        query: vec![],
        auth: Auth::Bearer,
        request_body: Some(message_status_body()),
        status: 200,
        response_body: Some(message()),
        output_type: "PublicConversationsMessage",
        error_status: 503,
        call: |api| {
            let body = model(message_status_body());
            send(api.messages().update_status(CHANNEL_ID, MESSAGE_ID, &body))
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------------------------

/// The query string as decoded pairs, sorted by name only (a stable sort: repeated keys keep
/// their order, `sort=a&sort=b` stays `a`, `b`).
fn sorted_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

fn header<'r>(request: &'r Request, name: &str) -> Vec<&'r str> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("visible ASCII header"))
        .collect()
}

/// Checks the one request the server received for `case` in `version`.
fn assert_request(case: &Case, version: ApiVersion, requests: &[Request]) {
    let what = format!("{} ({version})", case.operation_id);
    assert_eq!(requests.len(), 1, "{what}: number of requests sent");
    let request = &requests[0];

    assert_eq!(request.method.as_str(), case.method, "{what}: method");
    assert_eq!(
        request.url.path(),
        format!("{}{}", expected_prefix(version), case.path),
        "{what}: path"
    );

    let mut expected_query: Vec<(String, String)> = case
        .query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if case.auth == Auth::DeveloperKey {
        expected_query.push(("hapikey".to_owned(), DEVELOPER_KEY.to_owned()));
    }
    let sent_query = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()));
    assert_eq!(
        sorted_pairs(sent_query),
        sorted_pairs(expected_query),
        "{what}: query string {:?}",
        request.url.query()
    );

    match case.auth {
        Auth::Bearer => assert_eq!(
            header(request, "authorization"),
            [format!("Bearer {BEARER_TOKEN}")],
            "{what}: authorization header"
        ),
        Auth::DeveloperKey => assert_eq!(
            header(request, "authorization"),
            Vec::<&str>::new(),
            "{what}: no authorization header on developer-key operations"
        ),
    }
    assert_eq!(
        header(request, "accept"),
        ["application/json"],
        "{what}: accept"
    );
    let user_agent = header(request, "user-agent");
    assert!(
        user_agent.len() == 1 && user_agent[0].starts_with("hubspot-custom-channels/"),
        "{what}: user-agent {user_agent:?}"
    );

    match &case.request_body {
        Some(expected) => {
            assert_eq!(
                header(request, "content-type"),
                ["application/json"],
                "{what}: content-type"
            );
            let sent: Value = serde_json::from_slice(&request.body)
                .unwrap_or_else(|e| panic!("{what}: the body is not JSON: {e}"));
            assert_eq!(&sent, expected, "{what}: JSON body");
        }
        None => {
            assert!(
                header(request, "content-type").is_empty(),
                "{what}: no content-type without a body"
            );
            assert!(request.body.is_empty(), "{what}: no body");
        }
    }
}

fn location_of(case: &Case, version: ApiVersion) -> String {
    format!(
        "https://api.hubapi.com{}{}/{}",
        expected_prefix(version),
        case.path,
        case.response_body
            .as_ref()
            .and_then(|b| b["id"].as_str())
            .unwrap_or("new")
    )
}

/// The documented success response decodes, with status and headers.
async fn check_success(server: &MockServer, case: &Case, version: ApiVersion) {
    let what = format!("{} ({version})", case.operation_id);
    server.reset().await;
    let mut response = ResponseTemplate::new(case.status)
        .insert_header("X-HubSpot-Correlation-Id", CORRELATION_ID)
        .insert_header("X-HubSpot-RateLimit-Max", "100")
        .insert_header("X-HubSpot-RateLimit-Remaining", "99");
    if case.status == 201 {
        response = response.insert_header("Location", location_of(case, version).as_str());
    }
    if let Some(body) = &case.response_body {
        response = response.set_body_json(body);
    }
    Mock::given(any())
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;

    let client = client_for(server);
    let sent = (case.call)(client.api(version))
        .await
        .unwrap_or_else(|e| panic!("{what}: expected success, got {e} ({e:?})"));

    assert_request(case, version, &server.received_requests().await.unwrap());
    assert_eq!(sent.status, case.status, "{what}: status");
    assert_eq!(sent.output_type, case.output_type, "{what}: output type");
    assert_eq!(
        sent.value,
        case.response_body.clone().unwrap_or(Value::Null),
        "{what}: decoded value, serialised back"
    );
    assert_eq!(
        sent.correlation_id.as_deref(),
        Some(CORRELATION_ID),
        "{what}: response headers"
    );
    assert_eq!(sent.rate_limit.max(), Some(100), "{what}: rate limit");
    assert_eq!(sent.rate_limit.remaining(), Some(99), "{what}: rate limit");
    assert_eq!(sent.rate_limit.daily(), None, "{what}: rate limit");
    let expected_location = (case.status == 201).then(|| location_of(case, version));
    assert_eq!(sent.location, expected_location, "{what}: Location header");
}

/// A HubSpot error body for `status` (the rate-limit shape for 429).
fn error_body(status: u16) -> Value {
    if status == 429 {
        return json!({
            "status": "error",
            "message": "You have reached your ten_secondly_rolling limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": CORRELATION_ID,
            "policyName": "TEN_SECONDLY_ROLLING"
        });
    }
    let (category, sub_category) = match status {
        400 | 422 => (
            "VALIDATION_ERROR",
            "CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES",
        ),
        401 => ("INVALID_AUTHENTICATION", "AuthError.INVALID_API_KEY"),
        403 => ("MISSING_SCOPES", "AuthError.MISSING_SCOPES"),
        404 => ("OBJECT_NOT_FOUND", "CustomChannelsError.CHANNEL_NOT_FOUND"),
        409 => (
            "CONFLICT",
            "CustomChannelsError.DUPLICATE_DELIVERY_IDENTIFIER",
        ),
        _ => ("INTERNAL_ERROR", "Internal.UNEXPECTED"),
    };
    json!({
        "status": "error",
        "message": format!("Request failed with {status}"),
        "correlationId": CORRELATION_ID,
        "category": category,
        "subCategory": sub_category,
        "context": { "channelId": ["1001"] },
        "links": { "knowledge-base": "https://developers.hubspot.com/docs" },
        "errors": [{
            "message": "maxFileAttachmentCount must be an integer",
            "code": "INVALID_INTEGER",
            "in": "capabilities.maxFileAttachmentCount",
            "subCategory": sub_category,
            "context": { "value": ["lots"] }
        }]
    })
}

/// The `default` response (HubSpot's `Error` body) decodes into the typed error.
async fn check_error(server: &MockServer, case: &Case, version: ApiVersion) {
    let what = format!(
        "{} ({version}, HTTP {})",
        case.operation_id, case.error_status
    );
    server.reset().await;
    let body = error_body(case.error_status);
    let mut response = ResponseTemplate::new(case.error_status)
        .insert_header("X-HubSpot-Correlation-Id", CORRELATION_ID)
        .set_body_json(&body);
    if case.error_status == 429 {
        response = response
            .insert_header("X-HubSpot-RateLimit-Max", "100")
            .insert_header("X-HubSpot-RateLimit-Remaining", "0")
            .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
    }
    Mock::given(any())
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;

    let client = client_for(server);
    let error = match (case.call)(client.api(version)).await {
        Ok(sent) => panic!("{what}: expected an error, got HTTP {}", sent.status),
        Err(error) => error,
    };
    assert_request(case, version, &server.received_requests().await.unwrap());

    let hubspot_custom_channels::Error::Api(api_error) = &error else {
        panic!("{what}: expected Error::Api, got {error:?}");
    };
    assert_eq!(
        api_error.status().as_u16(),
        case.error_status,
        "{what}: status"
    );
    // One generated operation serves every version that declares it with the same path, and
    // errors name it by the IR's id: the first version's `operationId`. So a 2026-03 call
    // reports `listChannels`, not the spec's `listChannels-2026-03`.
    let spec_op = spec_operation(case, version);
    assert_eq!(
        api_error.operation(),
        spec_op.def.operation_id,
        "{what}: operation (the IR's id for this operation)"
    );
    assert_eq!(
        spec_op.def.operation_id, case.operation_id,
        "{what}: the case is named after the IR's operation id"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(case.error_status));
    assert_eq!(
        api_error.correlation_id().as_deref(),
        Some(CORRELATION_ID),
        "{what}: correlation id"
    );
    assert_eq!(
        api_error.message().as_deref(),
        body["message"].as_str(),
        "{what}: message"
    );

    let parsed: &models::Error = error
        .parsed()
        .unwrap_or_else(|| panic!("{what}: the error body did not decode: {api_error:?}"));
    assert_eq!(
        parsed.correlation_id,
        Some(CORRELATION_ID.parse().unwrap()),
        "{what}: parsed correlationId"
    );
    assert_eq!(parsed.message.as_deref(), body["message"].as_str());
    assert_eq!(parsed.status.as_deref(), Some("error"));
    if case.error_status == 429 {
        assert_eq!(parsed.category, None);
        assert_eq!(parsed.error_type.as_deref(), Some("RATE_LIMIT"));
        assert_eq!(parsed.policy_name.as_deref(), Some("TEN_SECONDLY_ROLLING"));
        assert_eq!(
            api_error.retry_blocked_by(),
            None,
            "{what}: not the daily limit"
        );
        assert_eq!(api_error.rate_limit().remaining(), Some(0));
        assert_eq!(api_error.rate_limit().max(), Some(100));
        assert_eq!(api_error.rate_limit().interval_milliseconds(), Some(10_000));
        assert_eq!(api_error.rate_limit().daily_remaining(), None);
    } else {
        assert_eq!(parsed.category.as_deref(), body["category"].as_str());
        assert_eq!(parsed.sub_category.as_deref(), body["subCategory"].as_str());
        let details = parsed.errors.as_deref().unwrap_or_default();
        assert_eq!(details.len(), 1, "{what}: parsed errors");
        assert_eq!(
            details[0].r#in.as_deref(),
            Some("capabilities.maxFileAttachmentCount")
        );
        assert_eq!(details[0].code.as_deref(), Some("INVALID_INTEGER"));
    }
    assert_eq!(
        serde_json::to_value(parsed).unwrap(),
        body,
        "{what}: every field of the error body is kept"
    );
    let shown = error.to_string();
    assert!(
        shown.contains(case.operation_id) && shown.contains(&case.error_status.to_string()),
        "{what}: error message {shown:?}"
    );
}

async fn check_operation(case: Case) {
    let server = MockServer::start().await;
    for version in ApiVersion::ALL {
        check_success(&server, &case, version).await;
        check_error(&server, &case, version).await;
    }
}

/// One test per operation, each covering every API version; `ALL_OPERATIONS` lists them.
macro_rules! contract_tests {
    ($($operation:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $operation() {
                check_operation(super::$operation()).await;
            }
        )*
        const ALL_OPERATIONS: &[fn() -> Case] = &[$(super::$operation),*];
    };
}

mod operation {
    use super::*;

    contract_tests!(
        list_channels,
        create_channel,
        get_channel,
        update_channel,
        archive_channel,
        list_channel_accounts,
        create_channel_account,
        get_channel_account,
        update_channel_account,
        update_staging_token,
        publish_message,
        get_message,
        update_message_status,
    );

    /// Every (operation, version) the spec declares, from the generator's IR, must have a
    /// contract case, and every case must be an operation of the spec. `check_operation` runs
    /// each case in every `ApiVersion::ALL`.
    #[test]
    fn the_cases_cover_every_operation_of_the_spec() {
        let api = spec_api();
        let expected: BTreeSet<(String, String)> = api
            .groups
            .iter()
            .flat_map(|group| &group.operations)
            .flat_map(|op| {
                // An operation without versions would have no version accessor to test it
                // through: keep it, unmatched, so that it is reported as uncovered.
                let versions: Vec<String> = if op.versions.is_empty() {
                    vec!["<no version>".to_owned()]
                } else {
                    op.versions
                        .iter()
                        .map(|&i| api.versions[i].name.clone())
                        .collect()
                };
                versions
                    .into_iter()
                    .map(|version| (op.def.operation_id.clone(), version))
            })
            .collect();
        let covered: BTreeSet<(String, String)> = ALL_OPERATIONS
            .iter()
            .flat_map(|case| {
                let id = case().operation_id;
                ApiVersion::ALL
                    .iter()
                    .map(move |version| (id.to_owned(), version.name().to_owned()))
            })
            .collect();
        let uncovered: Vec<_> = expected.difference(&covered).collect();
        let unknown: Vec<_> = covered.difference(&expected).collect();
        assert!(
            uncovered.is_empty() && unknown.is_empty(),
            "operations of the spec without a contract case: {uncovered:?}; \
             cases for operations the spec does not have: {unknown:?}"
        );
        let spec_versions: Vec<&str> = api.versions.iter().map(|v| v.name.as_str()).collect();
        let client_versions: Vec<&str> = ApiVersion::ALL.iter().map(|v| v.name()).collect();
        assert_eq!(spec_versions, client_versions, "the client's versions");
        assert_eq!(
            ALL_OPERATIONS.len(),
            covered.len() / ApiVersion::ALL.len(),
            "one case per operation"
        );
        assert_eq!(expected.len(), 26, "the module documentation says 13 × 2");
        let developer_key_operations = ALL_OPERATIONS
            .iter()
            .filter(|case| case().auth == Auth::DeveloperKey)
            .count();
        assert_eq!(
            developer_key_operations, 5,
            "hapikey on the five channel operations only"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Details beyond the per-operation table.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn version_accessors_use_the_documented_prefixes() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(channel("1001")))
        .mount(&server)
        .await;
    let client = client_for(&server);

    assert_eq!(client.v3().version(), ApiVersion::V3);
    assert_eq!(client.v2026_03().version(), ApiVersion::V2026_03);
    assert_eq!("2026-03".parse::<ApiVersion>(), Ok(ApiVersion::V2026_03));
    assert_eq!("v3".parse::<ApiVersion>(), Ok(ApiVersion::V3));
    assert!("2025-09".parse::<ApiVersion>().is_err());

    client.v3().channels().get(7).await.unwrap();
    client.v2026_03().channels().get(7).await.unwrap();
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/conversations/v3/custom-channels/7",
            "/conversations/custom-channels/2026-03/7"
        ]
    );
}

#[tokio::test]
async fn create_channel_sends_app_id_as_an_extra_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(channel("1001")))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let body: models::PublicChannelIntegrationChannelCreate = model(channel_create_body());

    for version in ApiVersion::ALL {
        let channel = client
            .api(version)
            .channels()
            .create(&body)
            .query("appId", 424242)
            .await
            .unwrap();
        assert_eq!(channel.id, "1001");
    }
    // A call without `.query(..)` does not inherit it.
    client.v3().channels().create(&body).await.unwrap();

    let queries: Vec<Vec<(String, String)>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| sorted_pairs(r.url.query_pairs().map(|(k, v)| (k.into(), v.into()))))
        .collect();
    let with_app_id = vec![
        ("appId".to_owned(), "424242".to_owned()),
        ("hapikey".to_owned(), DEVELOPER_KEY.to_owned()),
    ];
    let without = vec![("hapikey".to_owned(), DEVELOPER_KEY.to_owned())];
    assert_eq!(queries, [with_app_id.clone(), with_app_id, without]);
}

#[tokio::test]
async fn query_values_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(channel_account_page()))
        .mount(&server)
        .await;
    let client = client_for(&server);
    client
        .v3()
        .channel_accounts()
        .list(CHANNEL_ID)
        .delivery_identifier_value(vec!["+1 555 123".to_owned(), "a&b=c#d".to_owned()])
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    // `+` must be encoded: servers read a bare `+` in a query as a space.
    assert_eq!(
        requests[0].url.query(),
        Some("deliveryIdentifierValue=%2B1%20555%20123&deliveryIdentifierValue=a%26b%3Dc%23d")
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(message()))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let status: models::MessageStatusUpdate = model(json!({ "statusType": "READ" }));

    for version in ApiVersion::ALL {
        let messages = client.api(version).messages();
        messages.get(CHANNEL_ID, "a/b?c").await.unwrap();
        messages
            .update_status(CHANNEL_ID, "a/b?c", &status)
            .await
            .unwrap();
        messages.get(CHANNEL_ID, "50% off #1 é").await.unwrap();
    }
    let staging: models::StagingTokenUpdate = model(json!({}));
    let _ = client
        .v3()
        .staging_tokens()
        .update(CHANNEL_ID, "tok/../x", &staging)
        .await;

    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        paths,
        [
            "GET /conversations/v3/custom-channels/1001/messages/a%2Fb%3Fc",
            "PATCH /conversations/v3/custom-channels/1001/messages/a%2Fb%3Fc",
            "GET /conversations/v3/custom-channels/1001/messages/50%25%20off%20%231%20%C3%A9",
            "GET /conversations/custom-channels/2026-03/1001/messages/a%2Fb%3Fc",
            "PATCH /conversations/custom-channels/2026-03/1001/messages/a%2Fb%3Fc",
            "GET /conversations/custom-channels/2026-03/1001/messages/50%25%20off%20%231%20%C3%A9",
            "PATCH /conversations/v3/custom-channels/1001/channel-account-staging-tokens/tok%2F..%2Fx",
        ]
    );
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_as_text() {
    let server = MockServer::start().await;
    let html = "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html; charset=utf-8"))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server);

    for version in ApiVersion::ALL {
        let error = client
            .api(version)
            .channel_accounts()
            .get(CHANNEL_ID, CHANNEL_ACCOUNT_ID)
            .await
            .unwrap_err();
        let hubspot_custom_channels::Error::Api(api_error) = &error else {
            panic!("expected Error::Api, got {error:?}");
        };
        assert_eq!(api_error.status().as_u16(), 502);
        assert!(api_error.parsed().is_none(), "HTML is not an Error body");
        assert!(error.parsed().is_none());
        assert_eq!(api_error.body_text(), html);
        assert_eq!(error.raw_body().map(|b| b.as_ref()), Some(html.as_bytes()));
        assert_eq!(api_error.message(), None);
        assert_eq!(
            api_error.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let shown = error.to_string();
        assert!(
            shown.contains("502") && !shown.contains('\n'),
            "one-line message: {shown:?}"
        );
    }
}

/// The spec's `x-client-conventions` reach the generated client: the daily limit is final, the
/// rolling limit is retried.
#[tokio::test]
async fn the_daily_limit_is_not_retried_but_the_rolling_limit_is() {
    let daily = json!({
        "status": "error",
        "message": "You have reached your daily limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": CORRELATION_ID,
        "policyName": "DAILY"
    });
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-HubSpot-RateLimit-Daily", "250000")
                .insert_header("X-HubSpot-RateLimit-Daily-Remaining", "0")
                .set_body_json(&daily),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let error = client
        .v2026_03()
        .messages()
        .get(CHANNEL_ID, MESSAGE_ID)
        .max_retries(2)
        .await
        .unwrap_err();
    let api_error = error.api_error().expect("an API error");
    let rule = api_error.retry_blocked_by().expect("the DAILY rule");
    assert_eq!(
        (rule.status, rule.body_field, rule.equals),
        (429, "policyName", "DAILY")
    );
    assert!(rule.reason.is_some_and(|r| r.contains("midnight")));
    assert!(!error.is_retryable());
    assert_eq!(api_error.body_field("policyName").as_deref(), Some("DAILY"));
    assert_eq!(api_error.rate_limit().daily(), Some(250_000));
    assert_eq!(api_error.rate_limit().daily_remaining(), Some(0));
    assert_eq!(error.correlation_id().as_deref(), Some(CORRELATION_ID));
    server.verify().await;

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).set_body_json(error_body(429)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(message()))
        .mount(&server)
        .await;
    client
        .v2026_03()
        .messages()
        .get(CHANNEL_ID, MESSAGE_ID)
        .max_retries(2)
        .await
        .expect("the rolling limit is retried");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_empty_error_body_is_an_api_error_without_parsed_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let error = client
        .v2026_03()
        .messages()
        .get(CHANNEL_ID, MESSAGE_ID)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(error.parsed().is_none());
    assert_eq!(error.raw_body().map(|b| b.len()), Some(0));
}

#[tokio::test]
async fn publish_fills_in_a_missing_idempotency_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(message()))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let mut expected = publish_body();
    expected
        .as_object_mut()
        .unwrap()
        .remove("integrationIdempotencyId");
    let body: models::ChannelIntegrationMessageEgg = model(expected.clone());

    client
        .v3()
        .messages()
        .publish(CHANNEL_ID, &body)
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let mut sent: Value = requests[0].body_json().unwrap();
    let key = sent
        .as_object_mut()
        .unwrap()
        .remove("integrationIdempotencyId")
        .expect("an idempotency id is filled in");
    let key = key.as_str().expect("a string");
    assert!(
        key.parse::<uuid::Uuid>()
            .is_ok_and(|u| u.get_version_num() == 4),
        "a UUID v4: {key}"
    );
    assert_eq!(sent, expected, "the rest of the body is unchanged");
}

#[tokio::test]
async fn list_operations_follow_the_cursor_across_pages() {
    let server = MockServer::start().await;
    for version in ApiVersion::ALL {
        let prefix = expected_prefix(version);
        let pages = [
            (None, Some("p2"), ["1", "2"]),
            (Some("p2"), Some("p3"), ["3", "4"]),
            (Some("p3"), None, ["5", "6"]),
        ];
        for (after, next, ids) in pages {
            let paging = next.map(|n| json!({ "next": { "after": n } }));
            let channels = json!({
                "total": 6,
                "results": ids.iter().map(|id| channel(id)).collect::<Vec<_>>(),
                "paging": paging
            });
            let accounts = json!({
                "total": 6,
                "results": ids.iter().map(|id| channel_account(id)).collect::<Vec<_>>(),
                "paging": paging
            });
            for (path, body) in [
                (prefix.to_owned(), channels),
                (format!("{prefix}/1001/channel-accounts"), accounts),
            ] {
                let mock = Mock::given(wiremock::matchers::path(path.as_str()));
                let mock = match after {
                    Some(after) => mock.and(query_param("after", after)),
                    None => mock.and(query_param_is_missing("after")),
                };
                mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
                    .expect(1)
                    .mount(&server)
                    .await;
            }
        }
    }
    let client = client_for(&server);

    for version in ApiVersion::ALL {
        let api = client.api(version);
        let channels: Vec<models::PublicChannelIntegrationChannel> = api
            .channels()
            .list()
            .limit(2)
            .into_stream()
            .map(|item| item.expect("every page decodes"))
            .collect()
            .await;
        let ids: Vec<&str> = channels.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5", "6"], "{version}: channels");

        let accounts: Vec<models::PublicChannelAccount> = api
            .channel_accounts()
            .list(CHANNEL_ID)
            .limit(2)
            .into_stream()
            .map(|item| item.expect("every page decodes"))
            .collect()
            .await;
        let ids: Vec<&str> = accounts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5", "6"], "{version}: accounts");
    }

    // Every page request keeps the other parameters and the credentials.
    for request in server.received_requests().await.unwrap() {
        let query = sorted_pairs(request.url.query_pairs().map(|(k, v)| (k.into(), v.into())));
        assert!(
            query.contains(&("limit".to_owned(), "2".to_owned())),
            "{query:?}"
        );
        let is_channel_list = !request.url.path().ends_with("/channel-accounts");
        assert_eq!(
            query
                .iter()
                .any(|(k, v)| k == "hapikey" && v == DEVELOPER_KEY),
            is_channel_list,
            "{query:?}"
        );
        assert_eq!(
            request.headers.contains_key("authorization"),
            !is_channel_list
        );
    }
}

#[tokio::test]
async fn responses_from_a_newer_api_still_decode() {
    let server = MockServer::start().await;
    let mut newer = message();
    newer["someNewField"] = json!({ "nested": [1, 2, 3] });
    newer["direction"] = json!("SIDEWAYS");
    newer["attachments"] = json!([
        { "type": "FILE", "fileId": "1", "fileUsageType": "HOLOGRAM", "sizeBytes": 10 },
        { "type": "VOICE_NOTE", "durationMs": 1200 }
    ]);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&newer))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let message = client
        .v3()
        .messages()
        .get(CHANNEL_ID, MESSAGE_ID)
        .await
        .unwrap();
    assert_eq!(message.direction.as_str(), "SIDEWAYS");
    assert_eq!(message.attachments.len(), 2);
    let models::PublicAttachment::File(file) = &message.attachments[0] else {
        panic!("a FILE attachment: {:?}", message.attachments[0]);
    };
    assert_eq!(file.file_usage_type.as_str(), "HOLOGRAM");
    assert_eq!(message.attachments[1].tag(), Some("VOICE_NOTE"));
    assert!(matches!(
        &message.attachments[1],
        models::PublicAttachment::Unknown(raw) if raw["durationMs"] == 1200
    ));
}
