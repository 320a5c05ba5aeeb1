//! Contract run against Prism (<https://github.com/stoplightio/prism>) serving
//! `spec/hubspot-custom-channels.yaml`.
//!
//! Prism checks every request the generated client sends against the spec (with `--errors` it
//! answers an invalid request with a 4xx/5xx problem document) and, in dynamic mode (`-d`),
//! answers valid requests with a freshly invented schema-valid response each time: other
//! attachment variants, optional fields present or not, extra properties. The test sends every
//! operation of both API versions many times with varied valid inputs and fails when Prism
//! rejects a request or when the client cannot decode a response.
//!
//! Ignored by default; `.ci/prism-contract` installs and starts Prism and runs it with
//! `PRISM_URL` set. Set `PRISM_REQUESTS_PER_OPERATION` to change how often each operation of
//! each version is sent (default 20).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{StreamExt, stream};
use hubspot_custom_channels::runtime::{Call, Operation};
use hubspot_custom_channels::{Api, ApiVersion, Client, models, security};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

type ClientError = hubspot_custom_channels::Error;

const BEARER_TOKEN: &str = "prism-contract-token";
const DEVELOPER_KEY: &str = "prism-contract-developer-key";
/// How many requests are in flight at once.
const CONCURRENCY: usize = 8;
/// How many failures of each kind are printed in full.
const SHOWN_FAILURES: usize = 5;

fn model<T: DeserializeOwned>(json: Value) -> T {
    let type_name = std::any::type_name::<T>();
    serde_json::from_value(json)
        .unwrap_or_else(|e| panic!("request fixture is not a valid {type_name}: {e}"))
}

/// What happened to one request.
enum Outcome {
    /// Decoded; the `type` tags of the attachments in the decoded value.
    Decoded(Vec<String>),
    /// A non-2xx answer: Prism found the request invalid.
    Rejected(String),
    /// A 2xx answer the client could not decode.
    NotDecoded(String),
    /// No answer (connection error, timeout) or a request the client refused to build.
    Failed(String),
}

struct Exercised {
    operation: &'static str,
    version: ApiVersion,
    outcome: Outcome,
}

fn one_line(text: &str, max: usize) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > max {
        format!("{}…", text.chars().take(max).collect::<String>())
    } else {
        text
    }
}

/// The `type` tags of the attachments of a decoded message, as the client serialises them back.
fn attachment_tags(value: &impl Serialize) -> Vec<String> {
    let value = serde_json::to_value(value).expect("outputs serialise");
    value["attachments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["type"].as_str().unwrap_or("<none>").to_owned())
        .collect()
}

fn exercise<O>(version: ApiVersion, call: Call<O>) -> BoxFuture<'static, Exercised>
where
    O: Operation<Error = models::Error>,
    O::Output: Serialize,
{
    let operation = call.operation_id();
    Box::pin(async move {
        let outcome = match call.send_with_response().await {
            // Without `--errors` Prism would answer 2xx and only list the violations here.
            Ok(response) => match response.header("sl-violations") {
                Some(violations) => Outcome::Rejected(format!(
                    "HTTP {} with sl-violations: {violations}",
                    response.status()
                )),
                None => Outcome::Decoded(attachment_tags(response.value())),
            },
            Err(ClientError::Api(e)) => Outcome::Rejected(format!(
                "HTTP {}; sl-violations: {}; body: {}",
                e.status(),
                e.header("sl-violations").unwrap_or("-"),
                one_line(&e.body_text(), 600)
            )),
            Err(ClientError::Decode(e)) => Outcome::NotDecoded(format!(
                "HTTP {}: {}\n      body: {}",
                e.status(),
                e.source_error(),
                one_line(&e.body_text(), 4000)
            )),
            Err(other) => Outcome::Failed(other.to_string()),
        };
        Exercised {
            operation,
            version,
            outcome,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Valid, varied inputs. `i` is the iteration number: each operation gets different parameters
// and bodies across iterations (optional parameters present or not, every attachment variant,
// the three states of a patch field).
// ---------------------------------------------------------------------------------------------

const DELIVERY_TYPES: [&str; 4] = [
    "HS_PHONE_NUMBER",
    "HS_EMAIL_ADDRESS",
    "CHANNEL_SPECIFIC_OPAQUE_ID",
    "HS_SHORT_CODE",
];

fn channel_id(i: usize) -> i32 {
    1000 + i32::try_from(i).unwrap() * 37
}

fn delivery_identifier(i: usize) -> Value {
    let kind = DELIVERY_TYPES[i % DELIVERY_TYPES.len()];
    let value = match kind {
        "HS_PHONE_NUMBER" => format!("+1555000{i:04}"),
        "HS_EMAIL_ADDRESS" => format!("user{i}@example.com"),
        "HS_SHORT_CODE" => format!("{}", 20000 + i),
        _ => format!("opaque/{i}?x=y"),
    };
    json!({ "type": kind, "value": value })
}

fn capabilities(i: usize) -> Value {
    let mut caps = json!({
        "deliveryIdentifierTypes": [DELIVERY_TYPES[i % 4]],
        "threadingModel": if i % 2 == 0 { "DELIVERY_IDENTIFIER" } else { "INTEGRATION_THREAD_ID" },
        "allowOutgoingMessages": i % 3 != 0
    });
    if i % 2 == 1 {
        caps["richText"] = json!(["HYPERLINK", "BOLD", "ITALIC"]);
        caps["allowedFileAttachmentMimeTypes"] = json!(["image/png", "application/pdf"]);
        caps["maxFileAttachmentCount"] = json!(i);
        caps["maxFileAttachmentSizeBytes"] = json!(1_500_000);
    }
    caps
}

fn channel_create(i: usize) -> Value {
    let mut body = json!({ "name": format!("Channel {i}"), "capabilities": capabilities(i) });
    if i % 2 == 0 {
        body["webhookUrl"] = json!(format!("https://example.com/webhook/{i}"));
        body["channelDescription"] = json!("A test channel");
    }
    if i % 3 == 0 {
        body["channelLogoUrl"] = json!("https://example.com/logo.png");
        body["channelAccountConnectionRedirectUrl"] = json!("https://example.com/connect");
    }
    body
}

/// Cycles each field through absent, `null` and a value.
fn channel_patch(i: usize) -> Value {
    let mut body = serde_json::Map::new();
    let fields = [
        "name",
        "webhookUrl",
        "channelDescription",
        "channelLogoUrl",
        "channelAccountConnectionRedirectUrl",
    ];
    for (n, field) in fields.iter().enumerate() {
        match (i + n) % 3 {
            0 => {}
            1 => {
                body.insert((*field).to_owned(), Value::Null);
            }
            _ => {
                body.insert(
                    (*field).to_owned(),
                    json!(format!("https://example.com/{field}/{i}")),
                );
            }
        }
    }
    if i % 2 == 0 {
        body.insert("capabilities".to_owned(), capabilities(i));
    }
    Value::Object(body)
}

fn contact_profile(i: usize) -> Value {
    if i % 2 == 0 {
        return json!({ "addresses": [], "emails": [], "phones": [], "urls": [] });
    }
    json!({
        "name": { "firstName": "Ada", "lastName": "Lovelace", "prefix": "Dr." },
        "org": { "company": "Analytical Engines", "title": "Programmer" },
        "addresses": [{ "street": "1 Main St", "city": "London", "countryCode": "GB", "type": "WORK" }],
        "emails": [{ "email": "ada@example.com", "type": "HOME" }, { "email": "a@example.org" }],
        "phones": [{ "phone": "+441234567", "type": "CELL" }],
        "urls": [{ "url": "https://example.com/ada", "type": "WORK" }]
    })
}

fn attachment(i: usize) -> Value {
    match i % 7 {
        0 => json!({ "type": "FILE", "fileId": format!("file-{i}"), "fileUsageType": "IMAGE" }),
        1 => {
            json!({ "type": "LOCATION", "latitude": 52.52, "longitude": -13.4, "name": "Somewhere", "address": "1 Main St", "url": "https://maps.example.com" })
        }
        2 => json!({ "type": "CONTACT", "contactProfile": contact_profile(i) }),
        3 => json!({ "type": "UNSUPPORTED_CONTENT" }),
        4 => {
            json!({ "type": "MESSAGE_HEADER", "fileId": 9_007_199_254_740_000_i64 + i as i64, "text": "Header" })
        }
        5 => json!({ "type": "QUICK_REPLIES", "quickReplies": [
            { "value": "yes", "valueType": "TEXT", "label": "Yes" },
            { "value": "https://example.com", "valueType": "URL" }
        ] }),
        _ => json!({ "type": "SOCIAL_MEDIA_METADATA", "socialMetadata": {
            "mediaType": "PHOTO", "id": "post-1", "mediaUrl": "https://example.com/p.jpg", "description": "A photo"
        } }),
    }
}

fn publish(i: usize) -> Value {
    let participant = |n: usize| json!({ "deliveryIdentifier": delivery_identifier(n), "name": format!("Person {n}") });
    let mut body = json!({
        "channelAccountId": format!("{}", 2000 + i),
        "messageDirection": if i % 2 == 0 { "INCOMING" } else { "OUTGOING" },
        "text": format!("Message {i}"),
        "timestamp": "2026-03-02T10:20:00Z",
        "senders": [participant(i)],
        "recipients": [participant(i + 1)],
        "attachments": (0..i % 3).map(|k| attachment(i + k)).collect::<Vec<_>>()
    });
    if i % 2 == 1 {
        body["integrationIdempotencyId"] = json!(format!("idem-{i}"));
        body["integrationThreadId"] = json!(format!("thread-{i}"));
        body["richText"] = json!(format!("<p>Message {i}</p>"));
        body["inReplyToId"] = json!("msg-1");
        body["associateWithContactId"] = json!(5_000_000_000_i64 + i as i64);
        body["preResolvedContacts"] = json!({ "contacts": [
            { "contactVid": 5_000_000_000_i64 + i as i64, "contactPropertiesLeadingToMatch": ["phone", "email"] }
        ] });
    }
    // Every attachment variant is sent at least once per run.
    if i < 7 {
        body["attachments"] = json!([attachment(i)]);
    }
    body
}

fn message_status(i: usize) -> Value {
    match i % 4 {
        0 => json!({ "statusType": "SENT" }),
        1 => json!({ "statusType": "FAILED", "errorMessage": "Carrier rejected the message" }),
        2 => json!({ "statusType": "FAILED" }),
        _ => json!({ "statusType": "READ" }),
    }
}

fn message_id(i: usize) -> String {
    match i % 3 {
        0 => format!("msg-{i}"),
        1 => format!("{}", 10_000_000 + i),
        _ => format!("message {i}"),
    }
}

/// Every operation of `api`, once, for iteration `i`.
fn calls(api: &Api, i: usize) -> Vec<BoxFuture<'static, Exercised>> {
    let v = api.version();
    let channels = api.channels();
    let accounts = api.channel_accounts();
    let staging = api.staging_tokens();
    let messages = api.messages();
    let channel = channel_id(i);
    let account_id = 9_007_199_254_740_000_i64 + i as i64;

    let mut list_channels = channels.list();
    if i % 2 == 1 {
        list_channels = list_channels.after(format!("cursor-{i}")).limit(10);
    }
    if i % 3 == 1 {
        list_channels = list_channels
            .default_page_length(25)
            .sort(vec!["name".to_owned(), "-createdAt".to_owned()]);
    }

    let mut list_accounts = accounts.list(channel);
    if i % 2 == 0 {
        list_accounts = list_accounts.archived(i % 4 == 0).limit(5);
    }
    if i % 3 == 2 {
        list_accounts = list_accounts
            .after(format!("cursor-{i}"))
            .default_page_length(50)
            .sort(vec!["createdAt".to_owned()])
            .delivery_identifier_type(vec![
                models::DeliveryIdentifierType::HsPhoneNumber,
                models::DeliveryIdentifierType::HsEmailAddress,
            ])
            .delivery_identifier_value(vec!["+15550001".to_owned(), "a b@example.com".to_owned()]);
    }

    let mut get_account = accounts.get(channel, account_id);
    if i % 2 == 1 {
        get_account = get_account.archived(true);
    }

    let account_egg = {
        let mut egg = json!({ "name": format!("Account {i}"), "inboxId": format!("{}", 300 + i), "authorized": i % 2 == 0 });
        if i % 3 != 0 {
            egg["deliveryIdentifier"] = delivery_identifier(i);
        }
        egg
    };
    let account_update = match i % 3 {
        0 => json!({ "name": format!("Renamed {i}") }),
        1 => json!({ "authorized": false }),
        _ => json!({}),
    };
    let staging_update = match i % 3 {
        0 => {
            json!({ "accountName": format!("Account {i}"), "deliveryIdentifier": delivery_identifier(i) })
        }
        1 => json!({ "accountName": format!("Account {i}") }),
        _ => json!({}),
    };

    vec![
        exercise(v, list_channels),
        exercise(
            v,
            channels
                .create(&model(channel_create(i)))
                .query("appId", 100 + i),
        ),
        exercise(v, channels.get(channel)),
        exercise(v, channels.update(channel, &model(channel_patch(i)))),
        exercise(v, channels.archive(channel)),
        exercise(v, list_accounts),
        exercise(v, accounts.create(channel, &model(account_egg))),
        exercise(v, get_account),
        exercise(
            v,
            accounts.update(channel, account_id, &model(account_update)),
        ),
        exercise(
            v,
            staging.update(channel, format!("token-{i}"), &model(staging_update)),
        ),
        exercise(v, messages.publish(channel, &model(publish(i)))),
        exercise(v, messages.get(channel, message_id(i))),
        exercise(
            v,
            messages.update_status(channel, message_id(i), &model(message_status(i))),
        ),
    ]
}

/// Prism really validates: requests without credentials or with an invalid body are refused
/// (with a non-2xx status and the reasons in the `sl-violations` header).
async fn check_prism_rejects_invalid_requests(base: &str) {
    // A plain reqwest client: building the generated client first installs the TLS crypto
    // provider (ring) that reqwest, built without one of its own, needs.
    Client::builder().base_url(base).build().unwrap();
    let http = reqwest::Client::new();
    let invalid = [
        (
            "a channel request without `hapikey`",
            http.get(format!("{base}/conversations/v3/custom-channels/1")),
        ),
        (
            "a message request without a bearer token",
            http.get(format!(
                "{base}/conversations/custom-channels/2026-03/1/messages/m"
            )),
        ),
        (
            "a publish request with an invalid body",
            http.post(format!(
                "{base}/conversations/v3/custom-channels/1/messages"
            ))
            .bearer_auth(BEARER_TOKEN)
            .json(&json!({ "text": "required fields missing" })),
        ),
        (
            "a request with a non-integer channel id",
            http.get(format!(
                "{base}/conversations/v3/custom-channels/abc?hapikey={DEVELOPER_KEY}"
            )),
        ),
    ];
    for (what, request) in invalid {
        let response = request.send().await.expect("Prism answers");
        assert!(
            !response.status().is_success() && response.headers().contains_key("sl-violations"),
            "Prism did not reject {what} (HTTP {}): is it running with --errors?",
            response.status()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Prism mock server: run .ci/prism-contract (sets PRISM_URL)"]
async fn every_operation_against_prism() {
    let Ok(base) = std::env::var("PRISM_URL") else {
        panic!(
            "PRISM_URL is not set: run .ci/prism-contract, or start `prism mock -d --errors spec/hubspot-custom-channels.yaml` and set PRISM_URL=http://127.0.0.1:4010"
        );
    };
    let base = base.trim_end_matches('/').to_owned();
    let per_operation: usize = std::env::var("PRISM_REQUESTS_PER_OPERATION")
        .ok()
        .map(|n| n.parse().expect("PRISM_REQUESTS_PER_OPERATION is a number"))
        .unwrap_or(20);

    check_prism_rejects_invalid_requests(&base).await;

    let client = Client::builder()
        .base_url(&base)
        .bearer_token(BEARER_TOKEN)
        .api_key(security::DEVELOPER_HAPIKEY, DEVELOPER_KEY)
        // One request per call: a rejected request must not be retried.
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a valid client configuration");

    let mut futures = Vec::new();
    for version in ApiVersion::ALL {
        let api = client.api(version);
        for i in 0..per_operation {
            futures.extend(calls(&api, i));
        }
    }
    let results: Vec<Exercised> = stream::iter(futures)
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;

    let mut operations = BTreeSet::new();
    let mut attachment_variants: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_op: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let (mut rejected, mut not_decoded, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for result in &results {
        let name = format!("{} ({})", result.operation, result.version);
        operations.insert(name.clone());
        let (kind, list) = match &result.outcome {
            Outcome::Decoded(tags) => {
                for tag in tags {
                    *attachment_variants.entry(tag.clone()).or_default() += 1;
                }
                ("decoded", None)
            }
            Outcome::Rejected(detail) => ("rejected", Some((&mut rejected, detail))),
            Outcome::NotDecoded(detail) => ("not decoded", Some((&mut not_decoded, detail))),
            Outcome::Failed(detail) => ("failed", Some((&mut failed, detail))),
        };
        *per_op.entry((name.clone(), kind)).or_default() += 1;
        if let Some((list, detail)) = list {
            list.push(format!("{name}: {detail}"));
        }
    }

    let mut report = String::new();
    for (kind, list) in [
        ("rejected", &rejected),
        ("not decoded", &not_decoded),
        ("failed", &failed),
    ] {
        if list.is_empty() {
            continue;
        }
        let counts: BTreeMap<&str, usize> = per_op
            .iter()
            .filter(|((_, k), _)| *k == kind)
            .map(|((name, _), n)| (name.as_str(), *n))
            .collect();
        writeln!(report, "{} {kind}, by operation: {counts:?}", list.len()).unwrap();
        for line in list.iter().take(SHOWN_FAILURES) {
            writeln!(report, "  - {line}").unwrap();
        }
    }
    if !report.is_empty() {
        eprintln!("{report}");
    }
    println!("attachments decoded in message responses, by type: {attachment_variants:?}");
    println!(
        "prism contract: {} operations exercised, {} requests sent, {} requests rejected, {} responses not decoded",
        operations.len(),
        results.len(),
        rejected.len(),
        not_decoded.len()
    );

    assert_eq!(operations.len(), 26, "every operation of both versions ran");
    assert!(
        rejected.is_empty() && not_decoded.is_empty() && failed.is_empty(),
        "the client does not hold up against the spec:\n{report}"
    );
}
