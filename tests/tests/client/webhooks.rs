//! The receiving side of the HubSpot client (`hubspot_custom_channels::webhooks`): requests
//! signed as HubSpot signs them are verified with the schemes the spec declares
//! (`x-webhook-signature`) and decoded into typed events (`x-webhooks`), leniently where real
//! payloads vary: one event or a list, ids as numbers or strings, unknown event types and
//! fields kept. The runtime's own signature tests (every scheme, every failure, a property test)
//! are in generator/runtime/tests/behaviour/webhook.rs.

use hubspot_custom_channels::models::{
    ChannelAccountEvent, DeliveryIdentifierType, NumberOrStringId,
    OutgoingChannelMessageCreatedEvent,
};
use hubspot_custom_channels::webhooks::{
    self, SignatureError, WebhookBodyError, WebhookEvent, WebhookRequest,
};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "hubspot-client-secret";
const URI: &str = "https://example.com/hubspot/webhook?channel=acme";
const TIMESTAMP: &str = "1764669600000";

/// An `OUTGOING_CHANNEL_MESSAGE_CREATED` event as HubSpot sends it (`portalId` and the top-level
/// `channelAccountId` as numbers), with non-ASCII text.
const BODY: &str = r#"{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED","portalId":12345678,"channelId":"1001","channelAccountId":4242,"eventId":"ev-1","eventTimestamp":"2026-12-02T10:00:00.000Z","channelIntegrationThreadIds":["thread-7"],"message":{"archived":false,"attachments":[],"channelAccountId":"4242","channelId":"1001","client":{"clientType":"HUBSPOT"},"conversationsThreadId":"777","createdAt":"2026-12-02T10:00:00.000Z","createdBy":"A-12","direction":"OUTGOING","id":"m-9","recipients":[{"deliveryIdentifier":{"type":"HS_PHONE_NUMBER","value":"+15550100"}}],"senders":[{"actorId":"A-12","name":"Agent Émilie"}],"text":"Merci, à bientôt !","truncationStatus":"NOT_TRUNCATED","type":"MESSAGE"}}"#;

/// v3 signature of `POST` + [`URI`] + [`BODY`] + [`TIMESTAMP`], computed independently:
/// `( printf '%s' 'POSThttps://example.com/hubspot/webhook?channel=acme'; printf '%s' "$BODY";
/// printf '%s' '1764669600000' ) | openssl dgst -sha256 -hmac 'hubspot-client-secret' -binary |
/// base64` (and the same with Python's `hmac.new(secret, message, hashlib.sha256)`).
const V3_SIGNATURE: &str = "lkkTxFCi0RGX5NXLee7znY6AuIrsj0v3VKmMbLaxOLU=";

/// v1 signature of the same body: `printf '%s' "hubspot-client-secret$BODY" | openssl dgst
/// -sha256` (Python: `hashlib.sha256(secret + body).hexdigest()`).
const V1_SIGNATURE: &str = "1234748d1b3e83926e4795ddae2887aa4cc745fe6a6fce26c0af69cfcfc2bfd0";

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

/// A minute after the request's timestamp.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(TIMESTAMP.parse::<u64>().unwrap()) + Duration::from_secs(60)
}

fn v3_headers() -> HeaderMap {
    headers(&[
        ("X-HubSpot-Signature-v3", V3_SIGNATURE),
        ("X-HubSpot-Request-Timestamp", TIMESTAMP),
    ])
}

fn verify(headers: &HeaderMap, body: &[u8]) -> Result<&'static str, SignatureError> {
    let request = WebhookRequest {
        method: &Method::POST,
        uri: URI,
        headers,
        body,
    };
    webhooks::verifier(SECRET)
        .verify(&request, now())
        .map(|v| v.scheme)
}

#[test]
fn a_signed_outgoing_message_is_verified_then_decoded() {
    assert_eq!(verify(&v3_headers(), BODY.as_bytes()).unwrap(), "v3");
    let events = webhooks::parse(BODY.as_bytes()).unwrap();
    let [WebhookEvent::OutgoingChannelMessageCreated(event)] = events.as_slice() else {
        panic!("one outgoing message: {events:?}");
    };
    assert_eq!(event.portal_id, Some(NumberOrStringId::Integer(12_345_678)));
    assert_eq!(
        event.channel_id,
        Some(NumberOrStringId::String("1001".into()))
    );
    assert_eq!(
        event.channel_account_id,
        Some(NumberOrStringId::Integer(4242))
    );
    assert_eq!(event.event_id.as_deref(), Some("ev-1"));
    assert_eq!(
        event.channel_integration_thread_ids,
        Some(vec!["thread-7".to_owned()])
    );
    let message = event.message.as_ref().expect("the message");
    assert_eq!(message.text.as_deref(), Some("Merci, à bientôt !"));
    let recipients = message.recipients.as_deref().unwrap_or_default();
    let to = recipients[0]
        .delivery_identifier
        .as_ref()
        .expect("an address");
    assert_eq!(to.r#type, Some(DeliveryIdentifierType::HsPhoneNumber));
    assert_eq!(to.value.as_deref(), Some("+15550100"));
    assert_eq!(
        events[0].event_type(),
        Some("OUTGOING_CHANNEL_MESSAGE_CREATED")
    );
}

#[test]
fn the_older_v1_signature_is_selected_by_the_version_header() {
    let v1 = headers(&[
        ("X-HubSpot-Signature", V1_SIGNATURE),
        ("X-HubSpot-Signature-Version", "v1"),
    ]);
    // v1 has no timestamp, so a captured request could be replayed forever: the spec marks it
    // `replayable`, and the verifier refuses it until the application accepts it by name.
    let refused = verify(&v1, BODY.as_bytes()).unwrap_err();
    assert_eq!(refused, SignatureError::ReplayableScheme { scheme: "v1" });
    assert!(
        refused.to_string().contains("accept_replayable"),
        "{refused}"
    );
    let request = WebhookRequest {
        method: &Method::POST,
        uri: URI,
        headers: &v1,
        body: BODY.as_bytes(),
    };
    let with_v1 = webhooks::verifier(SECRET).accept_replayable(webhooks::Scheme::V1);
    assert_eq!(with_v1.verify(&request, now()).unwrap().scheme, "v1");
    let only_v3 = webhooks::verifier(SECRET).accept_only([webhooks::Scheme::V3]);
    assert!(matches!(
        only_v3.verify(&request, now()),
        Err(SignatureError::SchemeNotAccepted { scheme: "v1" })
    ));
}

#[test]
fn a_tampered_body_or_another_secret_is_rejected() {
    let tampered = BODY.replace("+15550100", "+15550199");
    assert!(matches!(
        verify(&v3_headers(), tampered.as_bytes()),
        Err(SignatureError::Mismatch { scheme: "v3" })
    ));
    let request = WebhookRequest {
        method: &Method::POST,
        uri: URI,
        headers: &v3_headers(),
        body: BODY.as_bytes(),
    };
    assert!(matches!(
        webhooks::verifier("another-secret").verify(&request, now()),
        Err(SignatureError::Mismatch { .. })
    ));
    let stale = UNIX_EPOCH + Duration::from_millis(1_764_669_600_000 + 301_000);
    assert!(matches!(
        webhooks::verifier(SECRET).verify(&request, stale),
        Err(SignatureError::StaleTimestamp { .. })
    ));
}

#[test]
fn a_body_may_hold_a_list_of_events_of_every_kind() {
    let body = json!([
        {"type": "CHANNEL_ACCOUNT_CREATED", "portalId": "12345678", "id": 555, "channelId": "1001",
         "name": "Support line", "active": true, "authorized": true, "inboxId": 99,
         "deliveryIdentifier": {"type": "HS_PHONE_NUMBER", "value": "+15550100"},
         "createdAt": "2026-12-02T10:00:00Z"},
        {"type": "CHANNEL_ACCOUNT_UPDATED", "portalId": 12345678, "id": "555", "active": false},
        {"type": "CHANNEL_ACCOUNT_PURGED", "portalId": 12345678, "id": "555", "purgedBy": {"userId": 7}},
        {"type": "OUTGOING_CHANNEL_MESSAGE_CREATED"}
    ]);
    let events = webhooks::parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(events.len(), 4);
    let WebhookEvent::ChannelAccountCreated(created) = &events[0] else {
        panic!("{:?}", events[0]);
    };
    assert_eq!(
        created.portal_id,
        Some(NumberOrStringId::String("12345678".into()))
    );
    assert_eq!(created.id, Some(NumberOrStringId::Integer(555)));
    assert_eq!(created.name.as_deref(), Some("Support line"));
    assert_eq!(created.inbox_id, Some(NumberOrStringId::Integer(99)));
    let WebhookEvent::ChannelAccountUpdated(updated) = &events[1] else {
        panic!("{:?}", events[1]);
    };
    assert_eq!(updated.active, Some(false));
    assert_eq!(updated.name, None, "every field but the type is optional");
    // An event type this crate does not know is kept whole, and written back unchanged.
    let WebhookEvent::Unknown(purged) = &events[2] else {
        panic!("{:?}", events[2]);
    };
    assert_eq!(purged, &body[2]);
    assert_eq!(events[2].event_type(), Some("CHANNEL_ACCOUNT_PURGED"));
    assert_eq!(serde_json::to_value(&events[2]).unwrap(), body[2]);
    assert!(matches!(
        &events[3],
        WebhookEvent::OutgoingChannelMessageCreated(OutgoingChannelMessageCreatedEvent {
            message: None,
            ..
        })
    ));
}

#[test]
fn unknown_fields_are_kept_and_events_round_trip() {
    let event = json!({"type": "CHANNEL_ACCOUNT_UPDATED", "portalId": 1, "id": "555",
                       "newFieldFrom2027": {"a": [1, 2]}});
    let decoded: WebhookEvent = serde_json::from_value(event.clone()).unwrap();
    let WebhookEvent::ChannelAccountUpdated(ChannelAccountEvent {
        additional_properties,
        ..
    }) = &decoded
    else {
        panic!("{decoded:?}");
    };
    assert_eq!(
        additional_properties["newFieldFrom2027"],
        json!({"a": [1, 2]})
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), event);
}

/// One delivery holding a good event, a known event that does not fit its type, an unknown event
/// and a message without the fields HubSpot sometimes leaves out: four events come out, none is
/// lost, and the odd one keeps its JSON and says where it does not fit.
#[test]
fn a_batch_with_odd_events_yields_every_event() {
    let odd = json!({"type": "OUTGOING_CHANNEL_MESSAGE_CREATED", "eventId": "ev-2",
        "message": {"id": "m-10", "recipients": "not a list"}});
    let sparse = json!({"type": "OUTGOING_CHANNEL_MESSAGE_CREATED", "eventId": "ev-3",
        "message": {"id": "m-11", "text": "Hi", "recipients": [{"deliveryIdentifier": {"value": "+1555"}}]}});
    let unknown = json!({"type": "CHANNEL_ACCOUNT_PURGED", "id": 7});
    let good: serde_json::Value = serde_json::from_str(BODY).unwrap();
    let batch = json!([good, odd, unknown, sparse]);
    let events = webhooks::parse(batch.to_string().as_bytes()).unwrap();
    assert_eq!(events.len(), 4);
    assert!(
        matches!(&events[0], WebhookEvent::OutgoingChannelMessageCreated(e) if e.event_id.as_deref() == Some("ev-1"))
    );
    let WebhookEvent::Malformed(malformed) = &events[1] else {
        panic!("the odd event is kept: {:?}", events[1]);
    };
    assert_eq!(malformed.event_type(), "OUTGOING_CHANNEL_MESSAGE_CREATED");
    assert_eq!(malformed.path(), "message.recipients");
    assert!(malformed.reason().contains("invalid type"), "{malformed}");
    assert_eq!(malformed.raw(), &odd);
    assert_eq!(
        events[1].event_type(),
        Some("OUTGOING_CHANNEL_MESSAGE_CREATED")
    );
    assert!(matches!(&events[2], WebhookEvent::Unknown(v) if v == &unknown));
    // HubSpot's message without `archived`, `createdAt`, `senders`, ...: decoded with what is there.
    let WebhookEvent::OutgoingChannelMessageCreated(e) = &events[3] else {
        panic!("a sparse message decodes: {:?}", events[3]);
    };
    let message = e.message.as_ref().unwrap();
    assert_eq!(
        (message.id.as_deref(), message.archived),
        (Some("m-11"), None)
    );
    // The odd and the unknown event re-encode exactly as received.
    assert_eq!(serde_json::to_value(&events[1]).unwrap(), odd);
    assert_eq!(serde_json::to_value(&events[2]).unwrap(), unknown);
}

#[test]
fn bodies_that_are_not_events_are_typed_errors() {
    assert!(matches!(
        webhooks::parse(b"<html>"),
        Err(WebhookBodyError::NotJson(_))
    ));
    let err = webhooks::parse(b"\"hello\"").unwrap_err();
    assert!(matches!(
        err,
        WebhookBodyError::NotEvents { found: "a string" }
    ));
    assert!(
        err.to_string()
            .contains("neither an event object nor a list"),
        "{err}"
    );
    // An element without a type is kept as an unknown event, not an error.
    let events = webhooks::parse(b"[{\"portalId\": 1}, 7]").unwrap();
    assert!(matches!(
        events.as_slice(),
        [WebhookEvent::Unknown(_), WebhookEvent::Unknown(_)]
    ));
    assert_eq!(events[1].event_type(), None);
}

#[test]
fn the_spec_declares_hubspots_three_signature_schemes() {
    let schemes = &webhooks::SIGNATURE_SCHEMES;
    assert_eq!(schemes.version_header, Some("X-HubSpot-Signature-Version"));
    let names: Vec<_> = schemes.schemes.iter().map(|s| s.name).collect();
    assert_eq!(names, ["v3", "v2", "v1"]);
    let v3 = &schemes.schemes[0];
    let timestamp = v3.timestamp.as_ref().expect("v3 has a timestamp");
    assert_eq!(timestamp.tolerance, Duration::from_secs(300));
    assert_eq!(timestamp.header, "X-HubSpot-Request-Timestamp");
}

/// The same generated module for another API's shape (`tests/fixtures/webhooks.yaml`): the
/// event name in an `event` property from a shared enum, an inline payload, and a prefixed hex
/// HMAC of the body as the signature.
mod other_shape {
    use fixture_webhooks::models::{EventName, PingEvent};
    use fixture_webhooks::webhooks::{self, SignatureError, WebhookEvent, WebhookRequest};
    use reqwest::Method;
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::time::SystemTime;

    const BODY: &str =
        r#"{"event":"repo.created","repo":{"name":"gen","private":false},"sender":"octo"}"#;
    /// `printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'fixture-secret' -r`
    const SIGNATURE: &str =
        "sha256=d87a2b1ad456aae47872e9bc0ca7980f154044d8f5d5c12e18b8221a57286e48";

    fn verify(signature: &str, body: &str) -> Result<&'static str, SignatureError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            "X-Hub-Signature-256",
            HeaderValue::from_str(signature).unwrap(),
        );
        let request = WebhookRequest {
            method: &Method::POST,
            uri: "https://ci.example/hook",
            headers: &headers,
            body: body.as_bytes(),
        };
        // The scheme has no timestamp (replayable), so it is accepted by name.
        webhooks::verifier("fixture-secret")
            .accept_replayable(webhooks::Scheme::Sha256)
            .verify(&request, SystemTime::now())
            .map(|v| v.scheme)
    }

    #[test]
    fn events_of_another_shape_are_verified_and_decoded() {
        assert_eq!(verify(SIGNATURE, BODY).unwrap(), "sha256");
        assert!(matches!(
            verify(SIGNATURE, &BODY.replace("octo", "mallory")),
            Err(SignatureError::Mismatch { .. })
        ));
        assert!(matches!(
            verify(SIGNATURE.trim_start_matches("sha256="), BODY),
            Err(SignatureError::MalformedHeader { .. })
        ));
        let events = webhooks::parse(BODY.as_bytes()).unwrap();
        let [WebhookEvent::RepoCreated(created)] = events.as_slice() else {
            panic!("{events:?}");
        };
        assert_eq!(created.event, EventName::RepoCreated);
        assert_eq!(
            created.repo.as_ref().and_then(|r| r.name.as_deref()),
            Some("gen")
        );
        let batch =
            r#"[{"event":"ping","zen":"Keep it logically awesome."},{"event":"repo.archived"}]"#;
        let events = webhooks::parse(batch.as_bytes()).unwrap();
        assert!(matches!(
            &events[0],
            WebhookEvent::Ping(PingEvent { zen: Some(z), .. }) if z == "Keep it logically awesome."
        ));
        assert_eq!(events[1].event_type(), Some("repo.archived"));
    }
}

/// Through the real stack: a hyper server on loopback receives real signed requests (reqwest)
/// and handles them as the README's receiver does. A v3-signed batch with a good, a malformed
/// and an unknown event is answered 200 with all three kept; the same batch signed with the
/// replayable v1 scheme is refused with 401, and so is a v3 signature sent with another
/// timestamp.
#[tokio::test]
async fn signed_requests_over_http_keep_every_event_and_refuse_replayable_schemes() {
    use base64::Engine as _;
    use hmac::Mac as _;
    use http_body_util::BodyExt;
    use sha2::Digest as _;
    use std::sync::{Arc, Mutex};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/hooks?channel=acme",
        listener.local_addr().unwrap()
    );
    let kept: Arc<Mutex<Vec<WebhookEvent>>> = Arc::default();
    let (public_url, store) = (url.clone(), kept.clone());
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let (public_url, store) = (public_url.clone(), store.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
                    let (public_url, store) = (public_url.clone(), store.clone());
                    async move {
                        let (parts, body) = request.into_parts();
                        let body: hyper::body::Bytes = BodyExt::collect(body)
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let request = WebhookRequest {
                            method: &parts.method,
                            uri: &public_url,
                            headers: &parts.headers,
                            body: &body,
                        };
                        let status =
                            match webhooks::verifier(SECRET).verify(&request, SystemTime::now()) {
                                Err(_) => 401,
                                Ok(_) => {
                                    if let Ok(events) = webhooks::parse(&body) {
                                        store.lock().unwrap().extend(events);
                                    }
                                    200
                                }
                            };
                        let mut response = hyper::Response::new(http_body_util::Full::new(
                            hyper::body::Bytes::new(),
                        ));
                        *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                    .await;
            });
        }
    });

    let good: serde_json::Value = serde_json::from_str(BODY).unwrap();
    let batch = json!([
        good,
        {"type": "OUTGOING_CHANNEL_MESSAGE_CREATED", "message": {"recipients": "odd"}},
        {"type": "CHANNEL_ACCOUNT_PURGED", "id": 7}
    ])
    .to_string();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("POST{url}{batch}{timestamp}").as_bytes());
    let v3 = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let v1: String = sha2::Sha256::digest(format!("{SECRET}{batch}"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    // Building the crate's client installs the TLS provider that a plain reqwest client needs.
    hubspot_custom_channels::Client::builder().build().unwrap();
    let http = reqwest::Client::new();
    let send = |headers: Vec<(&'static str, String)>| {
        let mut request = http.post(&url).body(batch.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let signed = send(vec![
        ("X-HubSpot-Signature-v3", v3.clone()),
        ("X-HubSpot-Request-Timestamp", timestamp.clone()),
    ])
    .await
    .unwrap();
    assert_eq!(signed.status(), 200);
    {
        let kept = kept.lock().unwrap();
        assert_eq!(kept.len(), 3, "every event of the delivery is kept");
        assert!(matches!(
            kept[0],
            WebhookEvent::OutgoingChannelMessageCreated(_)
        ));
        assert!(matches!(kept[1], WebhookEvent::Malformed(_)));
        assert!(matches!(kept[2], WebhookEvent::Unknown(_)));
    }

    let replayable = send(vec![
        ("X-HubSpot-Signature", v1),
        ("X-HubSpot-Signature-Version", "v1".to_owned()),
    ])
    .await
    .unwrap();
    assert_eq!(
        replayable.status(),
        401,
        "v1 has no timestamp: refused by default"
    );

    // The v3 signature with another (recent) timestamp: it no longer matches.
    let other_timestamp = (timestamp.parse::<u64>().unwrap() - 1).to_string();
    let forged = send(vec![
        ("X-HubSpot-Signature-v3", v3),
        ("X-HubSpot-Request-Timestamp", other_timestamp),
    ])
    .await
    .unwrap();
    assert_eq!(forged.status(), 401);
    assert_eq!(kept.lock().unwrap().len(), 3, "nothing refused was kept");
}
