//! Webhook receiver: the other half of a custom channel.
//!
//! ```text
//! cargo run --example webhook_receiver
//! ```
//!
//! When an agent replies in HubSpot's inbox, HubSpot `POST`s an `OUTGOING_CHANNEL_MESSAGE_CREATED`
//! event to the channel's `webhookUrl`; the integration delivers the message through its own
//! channel and reports `SENT` (or `FAILED`) with the update-message operation. This example runs
//! that loop on loopback, with no HubSpot account:
//!
//! 1. a receiver (plain `hyper`; any framework works the same way: it needs the method, the
//!    public URL that was called, the headers and the exact body bytes) verifies the signature,
//!    decodes the events, answers `200` at once and hands the events to a worker;
//! 2. the example signs an event the way HubSpot does (v3: HMAC-SHA256 of method, URL, body and
//!    timestamp, base64) and sends it, then sends a forged one, which gets `401`;
//! 3. the worker "delivers" the reply and marks it `SENT` against a local mock of HubSpot.

use base64::Engine as _;
use hmac::Mac as _;
use http_body_util::{BodyExt as _, Full};
use hubspot_custom_channels::models::{MessageStatusUpdate, NumberOrStringId, StatusType};
use hubspot_custom_channels::webhooks::{self, WebhookEvent, WebhookRequest};
use hubspot_custom_channels::{Client, Error};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Your app's client secret: HubSpot signs webhook requests with it.
const CLIENT_SECRET: &str = "demo-app-client-secret";
const ACCESS_TOKEN: &str = "demo-oauth-access-token";
const CHANNEL_ID: i32 = 1001;
const MESSAGE_ID: &str = "m-9";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local stand-in for https://api.hubapi.com that accepts the status update.
    let hubspot = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/conversations/v3/custom-channels/{CHANNEL_ID}/messages/{MESSAGE_ID}"
        )))
        .and(body_partial_json(json!({"statusType": "SENT"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(sent_message()))
        .expect(1)
        .mount(&hubspot)
        .await;
    let client = Client::builder()
        .base_url(hubspot.uri())
        .bearer_token(ACCESS_TOKEN)
        .build()?;

    // The receiver, on a loopback port. Behind a proxy or load balancer, the public URL
    // (what HubSpot called, and signed) differs from what the server sees: configure it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let public_base = format!("http://{}", listener.local_addr()?);
    let webhook_url = format!("{public_base}/hubspot/webhook?channel=acme");
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let receiver = Arc::new(Receiver {
        public_base,
        events: events_tx,
    });
    tokio::spawn(serve(listener, receiver));
    let worker = tokio::spawn(deliver(client, events_rx));
    println!("1. Receiver listening at {webhook_url}");

    // What HubSpot sends when an agent replies: one event (some integrations get a list).
    let event = json!({
        "type": "OUTGOING_CHANNEL_MESSAGE_CREATED",
        "portalId": 12345678,
        "channelId": CHANNEL_ID,
        "channelAccountId": 4242,
        "eventId": "ev-1",
        "eventTimestamp": "2026-12-02T10:00:00.000Z",
        "channelIntegrationThreadIds": ["thread-7"],
        "message": {
            "archived": false, "attachments": [], "channelAccountId": "4242",
            "channelId": CHANNEL_ID.to_string(), "client": {"clientType": "HUBSPOT"},
            "conversationsThreadId": "777", "createdAt": "2026-12-02T10:00:00.000Z",
            "createdBy": "A-12", "direction": "OUTGOING", "id": MESSAGE_ID,
            "recipients": [{"deliveryIdentifier": {"type": "HS_PHONE_NUMBER", "value": "+15550100"}}],
            "senders": [{"actorId": "A-12", "name": "Agent Émilie"}],
            "text": "Merci, à bientôt !", "truncationStatus": "NOT_TRUNCATED", "type": "MESSAGE"
        }
    })
    .to_string();

    let http = reqwest::Client::new();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)?
        .as_millis()
        .to_string();
    let signature = sign_v3("POST", &webhook_url, &event, &timestamp);
    let answer = http
        .post(&webhook_url)
        .header("Content-Type", "application/json")
        .header("X-HubSpot-Signature-v3", &signature)
        .header("X-HubSpot-Request-Timestamp", &timestamp)
        .body(event.clone())
        .send()
        .await?;
    println!(
        "2. Sent a signed OUTGOING_CHANNEL_MESSAGE_CREATED: HTTP {}",
        answer.status()
    );

    let forged = event.replace("+15550100", "+15550666");
    let answer = http
        .post(&webhook_url)
        .header("X-HubSpot-Signature-v3", &signature)
        .header("X-HubSpot-Request-Timestamp", &timestamp)
        .body(forged)
        .send()
        .await?;
    println!(
        "3. Sent the same signature with a changed body: HTTP {}",
        answer.status()
    );

    // The worker handles the one event that was queued (it may well have already).
    worker.await??;
    hubspot.verify().await;
    println!("4. Done: the mock HubSpot received exactly one SENT update");
    Ok(())
}

/// Signs a request as HubSpot does (v3).
fn sign_v3(method: &str, uri: &str, body: &str, timestamp: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(CLIENT_SECRET.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(format!("{method}{uri}{body}{timestamp}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The receiver's state.
struct Receiver {
    public_base: String,
    events: mpsc::UnboundedSender<WebhookEvent>,
}

async fn serve(listener: tokio::net::TcpListener, receiver: Arc<Receiver>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let receiver = receiver.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let receiver = receiver.clone();
                async move { Ok::<_, Infallible>(receiver.handle(request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

impl Receiver {
    /// Verifies, decodes, queues, and answers at once: HubSpot retries slow receivers.
    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
            return answer(StatusCode::BAD_REQUEST, "unreadable body");
        };
        let public_uri = format!(
            "{}{}",
            self.public_base,
            parts.uri.path_and_query().map_or("/", |p| p.as_str())
        );
        let signed = WebhookRequest {
            method: &parts.method,
            uri: &public_uri,
            headers: &parts.headers,
            body: &body,
        };
        match webhooks::verifier(CLIENT_SECRET).verify(&signed, SystemTime::now()) {
            Ok(verified) => println!("   receiver: signature {} verified", verified.scheme),
            Err(e) => {
                println!("   receiver: rejected ({e})");
                return answer(StatusCode::UNAUTHORIZED, "bad signature");
            }
        }
        // The request is HubSpot's: from here on, answer 200 whatever it holds. HubSpot does not
        // retry a 4xx, so an error answer would lose every event of the delivery. Each event is
        // decoded on its own; one that does not fit its type (`WebhookEvent::Malformed`) is
        // kept whole, like an unknown one, and queued with the rest.
        match webhooks::parse(&body) {
            Ok(events) => {
                for event in events {
                    if let WebhookEvent::Malformed(odd) = &event {
                        println!("   receiver: kept an odd event for later: {odd}");
                    }
                    println!("   receiver: queued {:?}", event.event_type());
                    let _ = self.events.send(event);
                }
            }
            // Signed, but not JSON events: keep the bytes (a dead-letter store) and look later.
            Err(e) => println!(
                "   receiver: kept an undecodable body of {} bytes ({e})",
                body.len()
            ),
        }
        answer(StatusCode::OK, "")
    }
}

fn answer(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response
}

/// The worker: delivers each outgoing message through "the channel", then reports SENT.
async fn deliver(
    client: Client,
    mut events: mpsc::UnboundedReceiver<WebhookEvent>,
) -> Result<(), Error> {
    // One event is expected in this example; a real worker loops until shutdown.
    let Some(event) = events.recv().await else {
        return Ok(());
    };
    let WebhookEvent::OutgoingChannelMessageCreated(event) = event else {
        println!("   worker: ignoring {:?}", event.event_type());
        return Ok(());
    };
    // Webhook payloads are lenient: every field is optional, since HubSpot leaves some out.
    let Some(message_id) = event.message.as_ref().and_then(|m| m.id.clone()) else {
        return Ok(());
    };
    let Some(message) = event.message else {
        return Ok(());
    };
    for recipient in message.recipients.iter().flatten() {
        let Some(to) = &recipient.delivery_identifier else {
            continue;
        };
        println!(
            "   worker: delivering {:?} to {} {} through the channel",
            message.text.as_deref().unwrap_or_default(),
            to.r#type
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            to.value.as_deref().unwrap_or_default()
        );
    }
    let channel_id = match &event.channel_id {
        Some(NumberOrStringId::Integer(id)) => i32::try_from(*id).unwrap_or(CHANNEL_ID),
        Some(NumberOrStringId::String(id)) => id.parse().unwrap_or(CHANNEL_ID),
        _ => CHANNEL_ID,
    };
    let sent = MessageStatusUpdate::new(StatusType::Sent);
    let updated = client
        .v3()
        .messages()
        .update_status(channel_id, &message_id, &sent)
        .await?;
    println!(
        "   worker: marked message {} as {}",
        updated.id,
        updated
            .status
            .as_ref()
            .map_or("-".to_owned(), |s| s.status_type.to_string())
    );
    Ok(())
}

/// The message as HubSpot returns it after the update.
fn sent_message() -> serde_json::Value {
    json!({
        "archived": false, "attachments": [], "channelAccountId": "4242",
        "channelId": CHANNEL_ID.to_string(), "client": {"clientType": "INTEGRATION"},
        "conversationsThreadId": "777", "createdAt": "2026-12-02T10:00:00Z",
        "createdBy": "A-12", "direction": "OUTGOING", "id": MESSAGE_ID,
        "recipients": [], "senders": [], "text": "Merci, à bientôt !",
        "truncationStatus": "NOT_TRUNCATED", "type": "MESSAGE",
        "status": {"statusType": "SENT"}
    })
}
