//! API errors, decode errors and response metadata.

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::RateLimit;
use crate::support::*;

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn typed_error_body_is_decoded() {
    let server = server_answering(ResponseTemplate::new(404).set_body_json(json!({
        "status": "error",
        "message": "Message m1 was not found",
        "correlationId": "aaaabbbb-cccc-dddd-eeee-ffff00001111",
        "category": "OBJECT_NOT_FOUND",
        "subCategory": "CustomChannelsError.MESSAGE_NOT_FOUND"
    })))
    .await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.operation(), "getMessage");
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        api.parsed(),
        Some(&TestError {
            category: Some("OBJECT_NOT_FOUND".into()),
            message: "Message m1 was not found".into(),
            correlation_id: Some("aaaabbbb-cccc-dddd-eeee-ffff00001111".into()),
        })
    );
    assert_eq!(api.message().as_deref(), Some("Message m1 was not found"));
    assert_eq!(
        error.correlation_id().as_deref(),
        Some("aaaabbbb-cccc-dddd-eeee-ffff00001111")
    );
    assert_eq!(
        error.parsed().map(|e| e.message.as_str()),
        Some("Message m1 was not found")
    );
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.operation(), Some("getMessage"));
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "operation `getMessage` failed with HTTP 404 Not Found: Message m1 was not found \
         (category OBJECT_NOT_FOUND, subCategory CustomChannelsError.MESSAGE_NOT_FOUND, \
         correlation id aaaabbbb-cccc-dddd-eeee-ffff00001111)"
    );
}

#[tokio::test]
async fn correlation_id_header_wins_over_the_body() {
    let server = server_answering(
        ResponseTemplate::new(400)
            .insert_header("X-HubSpot-Correlation-Id", "from-header")
            .set_body_json(json!({"message": "bad", "correlationId": "from-body"})),
    )
    .await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    assert_eq!(error.correlation_id().as_deref(), Some("from-header"));
}

#[tokio::test]
async fn body_that_does_not_fit_the_error_type_is_kept_raw() {
    // JSON, but not the declared error shape (no `message`).
    let server =
        server_answering(ResponseTemplate::new(400).set_body_json(json!({"oops": true}))).await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    let api = error.api_error().unwrap();
    assert_eq!(api.parsed(), None);
    assert_eq!(api.body_text(), r#"{"oops":true}"#);
    assert_eq!(
        error.to_string(),
        "operation `getMessage` failed with HTTP 400 Bad Request"
    );
}

#[tokio::test]
async fn html_error_body_is_kept_as_text() {
    let html = "<html><body><h1>502 Bad Gateway</h1>\n</body></html>";
    let server = server_answering(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let error = get_message(&client(&server), 1, "m1")
        .max_retries(0)
        .await
        .unwrap_err();
    let api = error.api_error().expect("API error");
    assert_eq!(api.parsed(), None);
    assert_eq!(api.body_text(), html);
    assert_eq!(error.raw_body().map(|b| b.len()), Some(html.len()));
    assert_eq!(api.header("content-type"), Some("text/html"));
    assert_eq!(api.correlation_id(), None);
    assert_eq!(
        error.to_string(),
        format!(
            "operation `getMessage` failed with HTTP 502 Bad Gateway (non-JSON body of {} bytes)",
            html.len()
        )
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn empty_error_body_is_kept() {
    let server = server_answering(ResponseTemplate::new(500)).await;
    let error = create_note(&client(&server)).await.unwrap_err();
    let api = error.api_error().expect("API error");
    assert!(api.body().is_empty());
    assert_eq!(api.body_text(), "");
    assert_eq!(api.parsed(), None);
    assert_eq!(
        error.to_string(),
        "operation `createNote` failed with HTTP 500 Internal Server Error (empty body)"
    );
}

#[tokio::test]
async fn undecodable_success_body_is_a_decode_error_with_the_raw_body() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .insert_header("X-HubSpot-Correlation-Id", "corr-1")
            .set_body_json(json!({"id": 5})),
    )
    .await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status(), StatusCode::OK);
    assert_eq!(decode.operation(), "getMessage");
    assert_eq!(decode.body_text(), r#"{"id":5}"#);
    assert_eq!(decode.correlation_id(), Some("corr-1"));
    let serde_error = decode
        .source_error()
        .downcast_ref::<serde_json::Error>()
        .expect("a serde_json error");
    assert!(serde_error.is_data());
    let source = std::error::Error::source(&**decode).expect("source");
    assert!(source.downcast_ref::<serde_json::Error>().is_some());
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&b"{\"id\":5}"[..])
    );
    assert_eq!(error.correlation_id().as_deref(), Some("corr-1"));
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(
        text.starts_with("operation `getMessage`: could not decode the HTTP 200 OK response body: invalid type: integer `5`, expected a string"),
        "{text}"
    );
}

#[tokio::test]
async fn response_exposes_status_headers_location_and_rate_limits() {
    let server = server_answering(
        ResponseTemplate::new(201)
            .insert_header("Location", "https://api.hubapi.com/x/123")
            .insert_header("X-HubSpot-RateLimit-Daily", "500000")
            .insert_header("X-HubSpot-RateLimit-Daily-Remaining", "499999")
            .insert_header("X-HubSpot-RateLimit-Secondly", "19")
            .insert_header("X-HubSpot-RateLimit-Secondly-Remaining", "18")
            .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
            .insert_header("X-HubSpot-RateLimit-Max", "100")
            .insert_header("X-HubSpot-RateLimit-Remaining", "not-a-number")
            .insert_header("X-HubSpot-Correlation-Id", "corr-2")
            .set_body_json(json!({"id": "m9", "text": "created"})),
    )
    .await;
    let response = get_message(&client(&server), 1, "m9")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.location(), Some("https://api.hubapi.com/x/123"));
    assert_eq!(response.header("x-hubspot-ratelimit-max"), Some("100"));
    assert_eq!(response.header("X-HUBSPOT-RATELIMIT-MAX"), Some("100"));
    assert_eq!(response.correlation_id(), Some("corr-2"));
    assert!(response.headers().contains_key("content-type"));
    let limits = response.rate_limit();
    assert_eq!(limits.get("daily"), Some(500_000));
    assert_eq!(limits.get("dailyRemaining"), Some(499_999));
    assert_eq!(limits.get("secondly"), Some(19));
    assert_eq!(limits.get("secondlyRemaining"), Some(18));
    assert_eq!(limits.get("intervalMilliseconds"), Some(10_000));
    assert_eq!(limits.get("max"), Some(100));
    assert_eq!(limits.get("remaining"), None, "garbage is None");
    assert_eq!(
        limits.get("X-HubSpot-RateLimit-Max"),
        None,
        "names, not headers"
    );
    assert!(!limits.is_empty());
    // The values found, in declared order.
    assert_eq!(
        limits.iter().collect::<Vec<_>>(),
        [
            ("daily", 500_000),
            ("dailyRemaining", 499_999),
            ("secondly", 19),
            ("secondlyRemaining", 18),
            ("intervalMilliseconds", 10_000),
            ("max", 100),
        ]
    );
    // Deref and accessors.
    assert_eq!(response.id, "m9");
    assert_eq!(response.value().text.as_deref(), Some("created"));
    let message = response.into_inner();
    assert_eq!(message.id, "m9");
}

#[tokio::test]
async fn api_error_exposes_rate_limits_and_headers() {
    let server = server_answering(
        ResponseTemplate::new(429)
            .insert_header("X-HubSpot-RateLimit-Remaining", "0")
            .insert_header("X-HubSpot-RateLimit-Max", "100")
            .set_body_json(
                json!({"status": "error", "message": "slow down", "policyName": "DAILY"}),
            ),
    )
    .await;
    let error = get_message(&client(&server), 1, "m1").await.unwrap_err();
    let limits = error.rate_limit().expect("headers");
    assert_eq!(limits.get("remaining"), Some(0));
    assert_eq!(limits.get("max"), Some(100));
    assert_eq!(error.api_error().unwrap().rate_limit(), limits);
    assert!(
        error
            .headers()
            .unwrap()
            .contains_key("x-hubspot-ratelimit-max")
    );
    assert!(RateLimit::from_headers(&Default::default(), &TEST_CONVENTIONS).is_empty());
    assert!(RateLimit::from_headers(error.headers().unwrap(), &Conventions::NONE).is_empty());
}

#[tokio::test]
async fn bodiless_and_text_responses() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let response = archive_channel(&client(&server), 3)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.into_inner(), ());
    let request = &received(&server).await[0];
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), format!("{PREFIX}/3"));

    let server = server_answering(ResponseTemplate::new(200).set_body_string("plain text")).await;
    let text = search(
        &client(&server),
        Search {
            term: Some("x".into()),
            ..Search::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(text, "plain text");
}

#[test]
fn errors_are_send_sync_and_box_into_std_errors() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error<TestError>>();
    assert_send_sync::<Error>();
    assert_send_sync::<crate::runtime::Response<Message>>();
    assert_send_sync::<Client>();

    let error: Error<TestError> = BuildError::new("broken").into();
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert_eq!(boxed.to_string(), "invalid request: broken");
}
