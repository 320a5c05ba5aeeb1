//! Quickstart: connect a custom channel to HubSpot's conversations inbox.
//!
//! ```text
//! cargo run -p tests --example quickstart
//! ```
//!
//! No HubSpot account is needed: a local mock server stands in for `https://api.hubapi.com`
//! and answers the calls used here the way HubSpot does (see `fake_hubspot` at the end of this
//! file). In a real application, leave out `.base_url(..)` and pass real credentials:
//!
//! - the developer API key (sent as the `hapikey` query parameter) authenticates the channel
//!   operations (`client.v2026_03().channels()`);
//! - an OAuth access token (or a private-app token), sent as `Authorization: Bearer ...`,
//!   authenticates everything else.
//!
//! The steps: register a channel, create a channel account, publish an incoming message with a
//! file attachment, list the channel's accounts across pages, mark the message as read, and
//! look at what an API error carries.

use hubspot_custom_channels::models::{
    ChannelCapabilities, ChannelIntegrationMessageEgg, ChannelIntegrationParticipant,
    DeliveryIdentifierType, FileAttachment, FileUsageType, MessageDirection, MessageStatusUpdate,
    PublicAttachment, PublicChannelAccountEgg, PublicChannelIntegrationChannelCreate,
    PublicDeliveryIdentifier, StatusType, ThreadingModel,
};
use hubspot_custom_channels::{Client, Error, TryStreamExt, security};

/// Your HubSpot app's id; HubSpot's setup guide passes it when registering a channel.
const APP_ID: u32 = 424_242;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let hubspot = fake_hubspot::start().await;
    println!("A fake HubSpot API is listening on {}\n", hubspot.uri());

    let client = Client::builder()
        .base_url(hubspot.uri()) // leave out to talk to https://api.hubapi.com
        .api_key(security::DEVELOPER_HAPIKEY, fake_hubspot::DEVELOPER_API_KEY)
        .bearer_token(fake_hubspot::ACCESS_TOKEN)
        .build()?;
    // The operations of the date-versioned API (`client.v3()` has the same ones under the
    // legacy paths).
    let api = client.v2026_03();

    // 1. Register the channel: its name, what it can do, and where HubSpot sends the messages
    //    that agents write. `appId` is not in HubSpot's schema, so it goes in as an extra query
    //    parameter. `send_with_response()` also returns the status and headers.
    let capabilities = ChannelCapabilities::new()
        .with_delivery_identifier_types(vec![DeliveryIdentifierType::HsPhoneNumber])
        .with_threading_model(ThreadingModel::DeliveryIdentifier)
        .with_allow_outgoing_messages(true)
        .with_outgoing_attachment_types(vec!["FILE".to_owned()])
        .with_max_file_attachment_count(5);
    let new_channel = PublicChannelIntegrationChannelCreate::new(capabilities, "Acme SMS")
        .with_webhook_url("https://acme.example/hubspot/webhook")
        .with_channel_description("Text messages through Acme");
    let created = api
        .channels()
        .create(&new_channel)
        .query("appId", APP_ID)
        .send_with_response()
        .await?;
    println!(
        "1. Registered channel {:?} with id {} (HTTP {}, Location: {})",
        created.name,
        created.id,
        created.status(),
        created.location().unwrap_or("-"),
    );
    // HubSpot's rate-limit headers, typed: requests left today and in the rolling window.
    let limits = created.rate_limit();
    println!(
        "   rate limit: {} of {} requests left today, {} of {} in this {} ms window",
        limits.daily_remaining().unwrap_or_default(),
        limits.daily().unwrap_or_default(),
        limits.remaining().unwrap_or_default(),
        limits.max().unwrap_or_default(),
        limits.interval_milliseconds().unwrap_or_default(),
    );
    // Ids are strings in response bodies but integers in paths.
    let channel_id: i32 = created.id.parse()?;

    // 2. Connect an account to the channel; its conversations go to the given inbox.
    let phone_number =
        PublicDeliveryIdentifier::new(DeliveryIdentifierType::HsPhoneNumber, "+15551234567");
    let new_account = PublicChannelAccountEgg::builder()
        .authorized(true)
        .inbox_id("3003")
        .name("Support line")
        .build()
        .with_delivery_identifier(phone_number.clone());
    let account = api
        .channel_accounts()
        .create(channel_id, &new_account)
        .await?;
    println!(
        "2. Created channel account {:?} with id {} (inbox {})",
        account.name, account.id, account.inbox_id
    );

    // 3. Record a message a customer sent to that account, with a photo attached. The
    //    idempotency id makes a retried publish safe: HubSpot records the message only once.
    let customer =
        PublicDeliveryIdentifier::new(DeliveryIdentifierType::HsPhoneNumber, "+15557654321");
    let senders = vec![ChannelIntegrationParticipant::new(customer).with_name("Ada Lovelace")];
    let recipients =
        vec![ChannelIntegrationParticipant::new(phone_number).with_name("Support line")];
    let photo = FileAttachment::new("184467440737").with_file_usage_type(FileUsageType::Image);
    let attachments = vec![photo.into()];
    let sent_at: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    // The builder takes each required field by name (one left out does not compile); optional
    // fields are set on the built value.
    let incoming = ChannelIntegrationMessageEgg::builder()
        .channel_account_id(account.id.clone())
        .message_direction(MessageDirection::Incoming)
        .senders(senders)
        .recipients(recipients)
        .text("Hello! My parcel arrived damaged, photo attached.")
        .timestamp(sent_at.fixed_offset())
        .attachments(attachments)
        .build()
        .with_integration_idempotency_id("acme-sms-000123");
    let message = api.messages().publish(channel_id, &incoming).await?;
    println!(
        "3. Published message {} in thread {}: {:?}",
        message.id, message.conversations_thread_id, message.text
    );
    for attachment in &message.attachments {
        match attachment {
            PublicAttachment::File(file) => println!(
                "   attachment: file {} ({}) at {}",
                file.file_id,
                file.file_usage_type,
                file.url.as_deref().unwrap_or("-")
            ),
            other => println!("   attachment of type {:?}", other.tag()),
        }
    }

    // 4. List the channel's accounts. `into_stream()` follows `paging.next.after` and fetches
    //    the next page when the previous one is used up; `limit` is the page size.
    println!("4. Channel accounts, two per page:");
    let mut accounts = api
        .channel_accounts()
        .list(channel_id)
        .limit(2)
        .into_stream();
    while let Some(account) = accounts.try_next().await? {
        let address = account
            .delivery_identifier
            .as_ref()
            .map_or("-", |d| d.value.as_str());
        println!("   - {} {:?} ({address})", account.id, account.name);
    }
    println!(
        "   ({} list requests were sent)",
        fake_hubspot::list_requests(&hubspot).await
    );

    // 5. Tell HubSpot the customer's message has been read.
    let read = MessageStatusUpdate::new(StatusType::Read);
    let updated = api
        .messages()
        .update_status(channel_id, &message.id, &read)
        .await?;
    println!(
        "5. Message {} is now {}",
        updated.id,
        updated
            .status
            .as_ref()
            .map_or("-".to_owned(), |s| s.status_type.to_string())
    );

    // 6. Errors: a non-2xx answer is `Error::Api`, which keeps the status, headers and raw body,
    //    and HubSpot's error body decoded (category, correlation id, ...).
    match api.messages().get(channel_id, "no-such-message").await {
        Err(Error::Api(error)) => {
            let body = error.parsed();
            println!(
                "6. Getting an unknown message fails with HTTP {}: {} (category {}, correlation id {})",
                error.status(),
                body.and_then(|b| b.message.as_deref()).unwrap_or("-"),
                body.and_then(|b| b.category.as_deref()).unwrap_or("-"),
                error.correlation_id().unwrap_or_default(),
            );
        }
        other => return Err(format!("expected an API error, got {other:?}").into()),
    }
    Ok(())
}

/// A stand-in for HubSpot's API, good enough for the calls above: it checks the credentials,
/// echoes what it is sent, pages the account list and answers unknown messages with a 404.
mod fake_hubspot {
    use hubspot_custom_channels::ApiVersion;
    use serde_json::{Value, json};
    use wiremock::matchers::{any, header, method, path, path_regex, query_param};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    pub const DEVELOPER_API_KEY: &str = "demo-developer-api-key";
    pub const ACCESS_TOKEN: &str = "demo-oauth-access-token";
    const NOW: &str = "2026-03-02T10:15:30Z";
    const CHANNEL_ID: &str = "1001";
    const MESSAGE_ID: &str = "msg-7b1c";

    fn prefix() -> &'static str {
        ApiVersion::V2026_03.path_prefix()
    }

    fn body(request: &Request) -> Value {
        serde_json::from_slice(&request.body).unwrap_or(Value::Null)
    }

    fn not_found(message: &str) -> ResponseTemplate {
        ResponseTemplate::new(404)
            .insert_header(
                "X-HubSpot-Correlation-Id",
                "3c1e7a52-8d4b-4c1e-9a7f-2b6d5e4f3a21",
            )
            .set_body_json(json!({
                "status": "error",
                "message": message,
                "correlationId": "3c1e7a52-8d4b-4c1e-9a7f-2b6d5e4f3a21",
                "category": "OBJECT_NOT_FOUND"
            }))
    }

    fn account(id: usize) -> Value {
        json!({
            "id": id.to_string(),
            "channelId": CHANNEL_ID,
            "name": format!("Account {id}"),
            "inboxId": "3003",
            "active": true,
            "archived": false,
            "authorized": true,
            "createdAt": NOW,
            "deliveryIdentifier": { "type": "HS_PHONE_NUMBER", "value": format!("+1555000{id:04}") }
        })
    }

    fn message(status: &str, egg: &Value) -> Value {
        let attachments: Vec<Value> = egg["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                let mut a = a.clone();
                if a["type"] == "FILE" {
                    a["fileUsageType"] = a.get("fileUsageType").cloned().unwrap_or(json!("OTHER"));
                    a["name"] = json!("photo.jpg");
                    a["url"] = json!(format!(
                        "https://files.example/{}",
                        a["fileId"].as_str().unwrap_or("")
                    ));
                }
                a
            })
            .collect();
        let participant =
            |p: &Value| json!({ "name": p["name"], "deliveryIdentifier": p["deliveryIdentifier"] });
        json!({
            "id": MESSAGE_ID,
            "type": "MESSAGE",
            "archived": false,
            "channelId": CHANNEL_ID,
            "channelAccountId": egg["channelAccountId"],
            "conversationsThreadId": "8812345",
            "createdAt": NOW,
            "createdBy": "I-424242",
            "client": { "clientType": "INTEGRATION", "integrationAppId": 424242 },
            "direction": egg["messageDirection"],
            "text": egg["text"],
            "truncationStatus": "NOT_TRUNCATED",
            "status": { "statusType": status },
            "senders": egg["senders"].as_array().into_iter().flatten().map(participant).collect::<Vec<_>>(),
            "recipients": egg["recipients"].as_array().into_iter().flatten().map(participant).collect::<Vec<_>>(),
            "attachments": attachments
        })
    }

    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        let p = prefix();
        let channel = format!("{p}/{CHANNEL_ID}");
        let bearer = format!("Bearer {ACCESS_TOKEN}");

        // Channel operations need the developer API key.
        Mock::given(method("POST"))
            .and(path(p))
            .and(query_param("hapikey", DEVELOPER_API_KEY))
            .respond_with(move |request: &Request| {
                let mut channel = body(request);
                channel["id"] = json!(CHANNEL_ID);
                channel["createdAt"] = json!(NOW);
                ResponseTemplate::new(201)
                    .insert_header(
                        "Location",
                        format!("https://api.hubapi.com{p}/{CHANNEL_ID}").as_str(),
                    )
                    .insert_header("X-HubSpot-RateLimit-Daily", "250000")
                    .insert_header("X-HubSpot-RateLimit-Daily-Remaining", "249999")
                    .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                    .insert_header("X-HubSpot-RateLimit-Max", "100")
                    .insert_header("X-HubSpot-RateLimit-Remaining", "99")
                    .set_body_json(channel)
            })
            .mount(&server)
            .await;

        // Everything else needs the access token.
        Mock::given(method("POST"))
            .and(path(format!("{channel}/channel-accounts")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(|request: &Request| {
                let mut account = account(2002);
                let egg = body(request);
                for field in ["name", "inboxId", "authorized", "deliveryIdentifier"] {
                    account[field] = egg[field].clone();
                }
                ResponseTemplate::new(201).set_body_json(account)
            })
            .mount(&server)
            .await;

        // Five accounts, `limit` per page, the cursor being the offset of the next page.
        Mock::given(method("GET"))
            .and(path(format!("{channel}/channel-accounts")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(|request: &Request| {
                let param = |name: &str| {
                    request
                        .url
                        .query_pairs()
                        .find(|(k, _)| k == name)
                        .and_then(|(_, v)| v.parse::<usize>().ok())
                };
                let (total, start, limit) = (
                    5,
                    param("after").unwrap_or(0),
                    param("limit").unwrap_or(100),
                );
                let end = (start + limit).min(total);
                let mut page = json!({
                    "total": total,
                    "results": (start..end).map(|i| account(2002 + i)).collect::<Vec<_>>()
                });
                if end < total {
                    page["paging"] = json!({ "next": { "after": end.to_string() } });
                }
                ResponseTemplate::new(200).set_body_json(page)
            })
            .mount(&server)
            .await;

        Mock::given(method("POST"))
            .and(path(format!("{channel}/messages")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(|request: &Request| {
                ResponseTemplate::new(201).set_body_json(message("RECEIVED", &body(request)))
            })
            .mount(&server)
            .await;

        Mock::given(method("PATCH"))
            .and(path(format!("{channel}/messages/{MESSAGE_ID}")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(|request: &Request| {
                let egg = json!({
                    "channelAccountId": "2002",
                    "messageDirection": "INCOMING",
                    "text": "Hello! My parcel arrived damaged, photo attached.",
                    "attachments": [], "senders": [], "recipients": []
                });
                let status = body(request)["statusType"]
                    .as_str()
                    .unwrap_or("SENT")
                    .to_owned();
                ResponseTemplate::new(200).set_body_json(message(&status, &egg))
            })
            .mount(&server)
            .await;

        Mock::given(method("GET"))
            .and(path_regex(format!("^{channel}/messages/[^/]+$")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(not_found("The message does not exist."))
            .mount(&server)
            .await;

        // Anything else, including a request without the right credentials.
        Mock::given(any())
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({
                "status": "error",
                "message": "Authentication credentials not found.",
                "correlationId": "7d2f4c1a-6b3e-4f5d-8a9c-1e2b3c4d5e6f",
                "category": "INVALID_AUTHENTICATION"
            })))
            .with_priority(u8::MAX)
            .mount(&server)
            .await;

        server
    }

    /// How many times the account list was requested.
    pub async fn list_requests(server: &MockServer) -> usize {
        let requests = server.received_requests().await.unwrap_or_default();
        requests
            .iter()
            .filter(|r| r.method.as_str() == "GET" && r.url.path().ends_with("/channel-accounts"))
            .count()
    }
}
