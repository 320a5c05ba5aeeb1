//! Retries: what is retried, how long the client waits, and idempotency keys.
//!
//! Every test that sends requests (but the one of a refused connection) runs with a paused clock
//! against a scripted transport (`scripted.rs`): backoff, `Retry-After`, slow responses and
//! timeouts pass in virtual time, so the waits are exact and cost no wall-clock time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use serde_json::json;
use tokio::time::Instant;

use crate::runtime::retry::{self, RetryPolicy};
use crate::scripted::{Reply, ScriptedServer};
use crate::support::*;

fn message_json() -> serde_json::Value {
    json!({ "id": "m1", "text": "hi" })
}

fn client_for(server: &ScriptedServer) -> Client {
    server.builder().build().expect("valid test client")
}

// A real refused connection (the scripted transport cannot fake one), so a real clock: a paused
// one would jump to the attempt's timeout while the connection attempt is under way.
#[tokio::test]
async fn connect_error_on_post_is_retried() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    // The token provider is asked once per attempt, which counts the attempts.
    let client = ClientBuilder::new()
        .base_url(closed_port_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .token_provider(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok::<_, BoxError>("provided-token".to_owned())
            }
        })
        .build()
        .unwrap();

    let error = create_note(&client).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Connection {
                operation: "createNote",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3, "1 attempt + 2 retries");
    assert!(error.is_retryable());
    assert!(error.to_string().contains("could not connect"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn get_503_then_200_is_retried() {
    let server = ScriptedServer::new(vec![
        Reply::status(503),
        Reply::status(200).json(message_json()),
    ]);

    let message = get_message(&client_for(&server), 1, "m1").await.unwrap();
    assert_eq!(message.id, "m1");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn post_500_without_idempotency_key_is_not_retried() {
    let server = ScriptedServer::new(vec![Reply::status(500).json(json!({"message": "boom"}))]);

    let error = create_note(&client_for(&server)).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(server.received().len(), 1);
    // Transient in general, but this request was not retried because it is not idempotent.
    assert!(error.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn post_timeout_without_idempotency_key_is_not_retried() {
    let server = ScriptedServer::new(vec![
        Reply::status(200)
            .json(json!({}))
            .delay(Duration::from_millis(500)),
    ]);

    let error = create_note(&client_for(&server))
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn post_429_without_idempotency_key_is_not_retried() {
    let server = ScriptedServer::new(vec![
        Reply::status(429).json(json!({
            "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
            "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"
        })),
        Reply::status(201).json(json!({"ok": true})),
    ]);

    // The request reached the server; without an idempotency key a second send could be
    // recorded twice, so the 429 comes back to the caller with its rate-limit details.
    let error = create_note(&client_for(&server)).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(server.received().len(), 1);
}

/// Answers a 429 with the given header, then a 200, and returns the (virtual) time the call
/// took.
async fn time_retry_after(header: &str, value: &str) -> Duration {
    let server = ScriptedServer::new(vec![
        Reply::status(429).header(header, value),
        Reply::status(200).json(message_json()),
    ]);
    let started = Instant::now();
    get_message(&client_for(&server), 1, "m1").await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(server.received().len(), 2);
    elapsed
}

/// `elapsed` is `expected`, give or take the timer's millisecond resolution.
fn assert_about(elapsed: Duration, expected: Duration) {
    let slack = Duration::from_millis(1);
    assert!(
        elapsed + slack >= expected && elapsed <= expected + slack,
        "waited {elapsed:?}, expected {expected:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured() {
    // The backoff is 1-5 ms, so a longer wait comes from the header.
    let elapsed = time_retry_after("Retry-After", "0.3").await;
    assert!(elapsed >= Duration::from_millis(299), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_about(elapsed, Duration::from_millis(300));
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    // The date is read against the wall clock (`SystemTime`), which a paused Tokio clock does
    // not stop; the wait itself passes in virtual time.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    // HTTP dates have one-second resolution: the wait is between 1 and 2 seconds.
    let elapsed = time_retry_after("Retry-After", &date).await;
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed <= Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_is_honoured() {
    let elapsed = time_retry_after("retry-after-ms", "250").await;
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_about(elapsed, Duration::from_millis(250));
}

#[tokio::test(start_paused = true)]
async fn retry_after_above_the_cap_falls_back_to_backoff() {
    let server = ScriptedServer::new(vec![Reply::status(429).header("Retry-After", "120")]);
    let client = server
        .builder()
        .max_retry_after(Duration::from_secs(60))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = get_message(&client, 1, "m1").await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(20),
        "the 120 s request was not honoured: backoff of 1 ms, then 2 ms ({:?})",
        started.elapsed()
    );
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(server.received().len(), 3, "retried with backoff instead");
}

#[tokio::test(start_paused = true)]
async fn backoff_waits_grow_between_attempts() {
    // 1 ms then 2 ms (minus up to 25% jitter): the waits of exponential backoff, in order.
    let server = ScriptedServer::new(vec![Reply::status(503)]);
    let client = server
        .builder()
        .retry_backoff(Duration::from_millis(100), Duration::from_secs(8))
        .max_retries(3)
        .build()
        .unwrap();
    let started = Instant::now();
    get_message(&client, 1, "m1").await.unwrap_err();
    let elapsed = started.elapsed();
    // 100 + 200 + 400 ms, each minus at most 25%.
    assert!(
        elapsed >= Duration::from_millis(525) && elapsed <= Duration::from_millis(701),
        "{elapsed:?}"
    );
    assert_eq!(server.received().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn daily_limit_429_is_not_retried() {
    let server = ScriptedServer::new(vec![Reply::status(429).json(json!({
        "status": "error",
        "message": "You have reached your daily limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "4c3f1f4e-2a9f-4b0a-9d3c-1d2e3f4a5b6c",
        "policyName": "DAILY"
    }))]);

    let error = get_message(&client_for(&server), 1, "m1")
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 1);
    let api = error.api_error().expect("API error");
    assert_eq!(api.body_field("policyName").as_deref(), Some("DAILY"));
    assert_eq!(
        api.retry_blocked_by(),
        Some(&TEST_CONVENTIONS.do_not_retry[0])
    );
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("policyName DAILY"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn exhausted_retries_return_the_last_api_error() {
    let server = ScriptedServer::new(vec![
        Reply::status(503).text("first"),
        Reply::status(503).text("first"),
        Reply::status(502).text("last"),
    ]);

    let error = get_message(&client_for(&server), 1, "m1")
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 3, "1 attempt + 2 retries");
    let api = error.api_error().expect("API error");
    assert_eq!(api.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(api.body_text(), "last");
}

#[tokio::test(start_paused = true)]
async fn per_call_max_retries_overrides_the_client() {
    let server = ScriptedServer::new(vec![Reply::status(503)]);
    get_message(&client_for(&server), 1, "m1")
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 1);

    let server = ScriptedServer::new(vec![Reply::status(503)]);
    get_message(&client_for(&server), 1, "m1")
        .max_retries(4)
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 5);
}

#[tokio::test(start_paused = true)]
async fn non_retryable_statuses_are_not_retried() {
    for status in [400u16, 401, 404, 409, 501] {
        let server = ScriptedServer::new(vec![Reply::status(status)]);
        let error = get_message(&client_for(&server), 1, "m1")
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.received().len(), 1, "status {status}");
    }
}

#[tokio::test(start_paused = true)]
async fn timeout_returns_timeout_error() {
    let server = ScriptedServer::new(vec![
        Reply::status(200)
            .json(message_json())
            .delay(Duration::from_millis(800)),
    ]);

    let started = Instant::now();
    let error = get_message(&client_for(&server), 1, "m1")
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(600));
    assert_about(started.elapsed(), Duration::from_millis(50));
    match &error {
        Error::Timeout { operation, timeout } => {
            assert_eq!(*operation, "getMessage");
            assert_eq!(*timeout, Duration::from_millis(50));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(error.is_timeout());
    assert_eq!(
        error.to_string(),
        "operation `getMessage` timed out after 50ms"
    );
}

#[tokio::test(start_paused = true)]
async fn idempotent_request_is_retried_after_a_timeout() {
    let server = ScriptedServer::new(vec![
        Reply::status(200)
            .json(message_json())
            .delay(Duration::from_millis(800)),
        Reply::status(200).json(message_json()),
    ]);

    let client = server
        .builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let message = get_message(&client, 1, "m1").await.unwrap();
    assert_eq!(message.id, "m1");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn body_idempotency_key_is_generated_once_and_repeated_on_retries() {
    let server = ScriptedServer::new(vec![
        Reply::status(503),
        Reply::status(201).json(json!({"id": "m1"})),
    ]);

    let body = json!({ "text": "hello", "messageDirection": "INCOMING" });
    publish_message(&client_for(&server), 7, &body)
        .await
        .unwrap();

    let requests = server.received();
    assert_eq!(requests.len(), 2, "the 503 was retried thanks to the key");
    let first = requests[0].json();
    let second = requests[1].json();
    let key = first["integrationIdempotencyId"]
        .as_str()
        .expect("a generated key");
    let parsed = uuid::Uuid::parse_str(key).expect("a UUID");
    assert_eq!(parsed.get_version_num(), 4);
    assert_eq!(first, second, "every attempt sends the same body");
    assert_eq!(first["text"], "hello");
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].target, format!("{PREFIX}/7/messages"));
}

#[tokio::test(start_paused = true)]
async fn caller_provided_body_idempotency_key_is_kept() {
    let server = ScriptedServer::new(vec![
        Reply::status(500),
        Reply::status(201).json(json!({"id": "m1"})),
    ]);

    let body = json!({ "text": "hello", "integrationIdempotencyId": "my-own-id" });
    publish_message(&client_for(&server), 7, &body)
        .await
        .unwrap();
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.json()["integrationIdempotencyId"], "my-own-id");
    }
}

#[tokio::test(start_paused = true)]
async fn empty_or_null_body_idempotency_key_is_replaced() {
    for body in [
        json!({ "integrationIdempotencyId": "" }),
        json!({ "integrationIdempotencyId": null }),
    ] {
        let server = ScriptedServer::new(vec![Reply::status(201).json(json!({}))]);
        publish_message(&client_for(&server), 7, &body)
            .await
            .unwrap();
        let sent = server.received()[0].json();
        let key = sent["integrationIdempotencyId"].as_str().unwrap();
        assert!(uuid::Uuid::parse_str(key).is_ok(), "{key}");
    }
}

#[tokio::test(start_paused = true)]
async fn header_idempotency_key_is_generated_once_and_repeated() {
    let server = ScriptedServer::new(vec![Reply::status(502), Reply::status(201).json(json!({}))]);

    create_thing(&client_for(&server), json!({"a": 1}))
        .await
        .unwrap();
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    let keys: Vec<&str> = requests
        .iter()
        .map(|r| r.header("idempotency-key").expect("the key header"))
        .collect();
    assert_eq!(keys[0], keys[1]);
    assert!(uuid::Uuid::parse_str(keys[0]).is_ok());

    // A caller-provided header wins.
    let server = ScriptedServer::new(vec![Reply::status(201).json(json!({}))]);
    create_thing(&client_for(&server), json!({}))
        .header("Idempotency-Key", "mine")
        .await
        .unwrap();
    assert_eq!(server.received()[0].header("idempotency-key"), Some("mine"));
}

#[test]
fn backoff_doubles_up_to_the_maximum_minus_jitter() {
    let policy = RetryPolicy {
        initial: Duration::from_millis(500),
        max: Duration::from_secs(8),
        max_retry_after: Duration::from_secs(60),
    };
    let ms = |retry, jitter| retry::backoff(&policy, retry, jitter).as_millis();
    assert_eq!(ms(0, 0.0), 500);
    assert_eq!(ms(1, 0.0), 1000);
    assert_eq!(ms(2, 0.0), 2000);
    assert_eq!(ms(4, 0.0), 8000);
    assert_eq!(ms(9, 0.0), 8000);
    assert_eq!(ms(0, 0.25), 375);
    assert_eq!(ms(10, 0.25), 6000);
    for _ in 0..100 {
        let jitter = retry::random_jitter();
        assert!((0.0..0.25).contains(&jitter));
    }
}

#[test]
fn retry_after_values_are_parsed() {
    let now = SystemTime::now();
    assert_eq!(
        retry::parse_retry_after("3", now),
        Some(Duration::from_secs(3))
    );
    assert_eq!(
        retry::parse_retry_after(" 1.5 ", now),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(retry::parse_retry_after("-1", now), None);
    assert_eq!(retry::parse_retry_after("soon", now), None);
    assert_eq!(retry::parse_retry_after("inf", now), None);
    assert_eq!(retry::parse_retry_after("NaN", now), None);
    let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
    assert_eq!(retry::parse_retry_after(&past, now), Some(Duration::ZERO));
    let future = httpdate::fmt_http_date(now + Duration::from_secs(30));
    let delay = retry::parse_retry_after(&future, now).unwrap();
    assert!(delay > Duration::from_secs(28) && delay <= Duration::from_secs(30));
    // RFC 850 and asctime forms are valid HTTP dates too.
    assert!(retry::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now).is_some());
    assert!(retry::parse_retry_after("Sun Nov  6 08:49:37 1994", now).is_some());

    assert_eq!(
        retry::parse_retry_after_ms("250"),
        Some(Duration::from_millis(250))
    );
    assert_eq!(
        retry::parse_retry_after_ms("0.5"),
        Some(Duration::from_micros(500))
    );
    assert_eq!(retry::parse_retry_after_ms(""), None);
    assert_eq!(retry::parse_retry_after_ms("1e3"), None);
}

#[test]
fn retryable_statuses() {
    let retryable: Vec<u16> = (100..600)
        .filter(|code| retry::is_retryable_status(StatusCode::from_u16(*code).unwrap()))
        .collect();
    let mut expected = vec![408, 429];
    expected.extend((500..600).filter(|c| *c != 501 && *c != 505));
    assert_eq!(retryable, expected);
}
