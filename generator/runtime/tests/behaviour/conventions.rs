//! API conventions (`x-client-conventions`): correlation ids, rate-limit values and do-not-retry
//! rules come from the configured `Conventions`, and without them the runtime assumes nothing.

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn message_json() -> serde_json::Value {
    json!({ "id": "m1", "text": "hi" })
}

fn daily_limit_body() -> serde_json::Value {
    json!({
        "status": "error",
        "message": "You have reached your daily limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "body-corr",
        "policyName": "DAILY"
    })
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// A 400 with the given headers and a body carrying `correlationId`.
async fn correlation_of_error(headers: &[(&str, &str)]) -> Option<String> {
    let mut template = ResponseTemplate::new(400)
        .set_body_json(json!({"message": "bad", "correlationId": "from-body"}));
    for (name, value) in headers {
        template = template.insert_header(*name, *value);
    }
    let server = server_answering(template).await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    let from_api_error = error.api_error().unwrap().correlation_id();
    assert_eq!(error.correlation_id(), from_api_error);
    from_api_error
}

#[tokio::test]
async fn correlation_id_comes_from_the_declared_headers_in_order_then_the_body_field() {
    assert_eq!(
        correlation_of_error(&[
            ("X-Request-Id", "second"),
            ("X-HubSpot-Correlation-Id", "first")
        ])
        .await
        .as_deref(),
        Some("first"),
        "the first declared header wins"
    );
    assert_eq!(
        correlation_of_error(&[("x-request-id", "second")])
            .await
            .as_deref(),
        Some("second"),
        "else the next declared header (names are case-insensitive)"
    );
    assert_eq!(
        correlation_of_error(&[
            ("X-HubSpot-Correlation-Id", " "),
            ("X-Request-Id", "second")
        ])
        .await
        .as_deref(),
        Some("second"),
        "an empty header does not count"
    );
    assert_eq!(
        correlation_of_error(&[("X-Trace-Id", "undeclared")])
            .await
            .as_deref(),
        Some("from-body"),
        "else the declared body field"
    );
}

#[tokio::test]
async fn responses_and_decode_errors_take_the_correlation_id_from_the_declared_headers() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .insert_header("X-Request-Id", "ok-corr")
            .set_body_json(message_json()),
    )
    .await;
    let response = get_message(&client(&server), 1, "m1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.correlation_id(), Some("ok-corr"));
    assert_eq!(response.map(|m| m.id).correlation_id(), Some("ok-corr"));

    // A 2xx body that does not decode: headers only (the body is not an error body).
    let server = server_answering(
        ResponseTemplate::new(200)
            .insert_header("X-Request-Id", "decode-corr")
            .set_body_json(json!({"id": 5, "correlationId": "from-body"})),
    )
    .await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.correlation_id(), Some("decode-corr"));
    assert_eq!(error.correlation_id().as_deref(), Some("decode-corr"));
}

#[tokio::test]
async fn rate_limit_values_are_read_by_name() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .insert_header("x-hubspot-ratelimit-remaining", " 7 ")
            .insert_header("X-HubSpot-RateLimit-Daily-Remaining", "-1")
            .insert_header("X-HubSpot-RateLimit-Secondly", "19")
            .set_body_json(message_json()),
    )
    .await;
    let response = get_message(&client(&server), 1, "m1")
        .send_with_response()
        .await
        .unwrap();
    let limits = response.rate_limit();
    assert_eq!(limits.get("remaining"), Some(7));
    assert_eq!(
        limits.get("dailyRemaining"),
        None,
        "negative is not a value"
    );
    assert_eq!(limits.get("daily"), None, "absent");
    assert_eq!(limits.get("unknown"), None);
    // Declared order, not header order.
    assert_eq!(
        limits.iter().collect::<Vec<_>>(),
        [("secondly", 19), ("remaining", 7)]
    );
    assert_eq!(limits.iter().len(), 2);
}

#[tokio::test]
async fn a_do_not_retry_rule_blocks_the_retry_and_the_trace_says_so() {
    let server =
        server_answering(ResponseTemplate::new(429).set_body_json(daily_limit_body())).await;
    let client = client(&server);

    let (logs, guard) = capture_logs();
    let error = get_message(&client, 1, "m1").await.unwrap_err();
    drop(guard);

    assert_eq!(received(&server).await.len(), 1, "not retried");
    let api = error.api_error().expect("API error");
    let rule = api.retry_blocked_by().expect("the DAILY rule matches");
    assert_eq!(
        (rule.status, rule.body_field, rule.equals),
        (429, "policyName", "DAILY")
    );
    assert_eq!(
        rule.reason,
        Some("the daily limit resets at midnight in the account's time zone")
    );
    assert!(!error.is_retryable());
    assert_eq!(error.correlation_id().as_deref(), Some("body-corr"));

    let text = logs.text();
    assert!(text.contains("do-not-retry rule"), "{text}");
    assert!(
        text.contains(
            r#"no_retry_rule=HTTP 429 with policyName "DAILY": the daily limit resets at midnight"#
        ),
        "{text}"
    );
    assert!(text.contains("retryable=false"), "{text}");
    assert!(!text.contains("retrying"), "{text}");
}

#[tokio::test]
async fn a_429_without_the_rule_s_body_field_value_is_retried() {
    let bodies = [
        Some(json!({"message": "slow down", "policyName": "TEN_SECONDLY_ROLLING"})),
        Some(json!({"message": "slow down", "category": "DAILY"})),
        Some(json!({"message": "slow down", "policyName": ["DAILY"]})),
        None,
    ];
    for body in bodies {
        let server = MockServer::start().await;
        let mut first = ResponseTemplate::new(429);
        if let Some(body) = &body {
            first = first.set_body_json(body);
        }
        Mock::given(any())
            .respond_with(first)
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(message_json()))
            .mount(&server)
            .await;

        let message = get_message(&client(&server), 1, "m1").await.unwrap();
        assert_eq!(message.id, "m1", "{body:?}");
        assert_eq!(received(&server).await.len(), 2, "retried: {body:?}");
    }
}

#[tokio::test]
async fn a_rule_applies_to_its_status_only() {
    // `policyName: DAILY` on a 503 is not the rule's 429: retried like any 503.
    let server =
        server_answering(ResponseTemplate::new(503).set_body_json(daily_limit_body())).await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    assert_eq!(received(&server).await.len(), 3, "1 attempt + 2 retries");
    assert_eq!(error.api_error().unwrap().retry_blocked_by(), None);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn without_conventions_nothing_is_assumed() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .insert_header("X-HubSpot-Correlation-Id", "corr")
            .insert_header("X-HubSpot-RateLimit-Max", "100")
            .insert_header("X-HubSpot-RateLimit-Remaining", "99")
            .set_body_json(message_json()),
    )
    .await;
    let client = builder(&server)
        .conventions(&Conventions::NONE)
        .build()
        .unwrap();
    assert_eq!(client.conventions(), &Conventions::NONE);
    let response = get_message(&client, 1, "m1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.correlation_id(), None, "no header is assumed");
    assert!(
        response.rate_limit().is_empty(),
        "no rate-limit header is assumed"
    );
    assert_eq!(response.header("X-HubSpot-RateLimit-Max"), Some("100"));

    // A DAILY 429 is a 429 like any other: retried, and no rule blocks it.
    let server = server_answering(
        ResponseTemplate::new(429)
            .insert_header("X-HubSpot-Correlation-Id", "corr")
            .insert_header("X-HubSpot-RateLimit-Remaining", "0")
            .set_body_json(daily_limit_body()),
    )
    .await;
    let client = builder(&server)
        .conventions(&Conventions::NONE)
        .build()
        .unwrap();
    let error = get_message(&client, 1, "m1").await.unwrap_err();
    assert_eq!(received(&server).await.len(), 3, "1 attempt + 2 retries");
    let api = error.api_error().unwrap();
    assert_eq!(api.retry_blocked_by(), None);
    assert!(error.is_retryable());
    assert_eq!(
        error.correlation_id(),
        None,
        "neither header nor body field"
    );
    assert!(error.rate_limit().unwrap().is_empty());
    // The body is still there for whoever knows what to look for.
    assert_eq!(api.body_field("policyName").as_deref(), Some("DAILY"));
    assert_eq!(
        api.body_field("correlationId").as_deref(),
        Some("body-corr")
    );
}

#[test]
fn a_bare_builder_has_no_conventions() {
    let client = ClientBuilder::new()
        .base_url("https://api.example.com")
        .build()
        .unwrap();
    assert_eq!(client.conventions(), &Conventions::NONE);
    assert_eq!(Conventions::default(), Conventions::NONE);
}

#[test]
fn no_retry_rules_match_status_and_string_field_ignoring_ascii_case() {
    let rule = &TEST_CONVENTIONS.do_not_retry[0];
    let too_many = StatusCode::TOO_MANY_REQUESTS;
    assert!(rule.matches(too_many, br#"{"policyName": "DAILY"}"#));
    assert!(rule.matches(too_many, br#"{"policyName": "daily"}"#));
    assert!(!rule.matches(too_many, br#"{"policyName": "DAILY_ROLLING"}"#));
    assert!(!rule.matches(too_many, br#"{"nested": {"policyName": "DAILY"}}"#));
    assert!(!rule.matches(too_many, b"policyName: DAILY"));
    assert!(!rule.matches(
        StatusCode::SERVICE_UNAVAILABLE,
        br#"{"policyName": "DAILY"}"#
    ));
    assert_eq!(
        rule.to_string(),
        "HTTP 429 with policyName \"DAILY\": the daily limit resets at midnight in the account's time zone"
    );
}
