//! Credentials never show up in `Debug` output, error messages or logs.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::RequestOptions;
use crate::support::*;

const PASSWORD: &str = "basic-PASSWORD-secret";

fn assert_no_secret(text: &str) {
    for secret in [BEARER, HAPIKEY, PASSWORD, "SECRET"] {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked in: {text}"
        );
    }
}

#[test]
fn debug_output_redacts_credentials() {
    let builder = ClientBuilder::new()
        .base_url("https://api.hubapi.com")
        .bearer_token(BEARER)
        .api_key(HAPIKEY_SCHEME, HAPIKEY)
        .basic_auth("user", PASSWORD);
    let builder_debug = format!("{builder:?}");
    assert_no_secret(&builder_debug);
    assert!(builder_debug.contains("<redacted>"), "{builder_debug}");
    assert!(
        builder_debug.contains(HAPIKEY_SCHEME),
        "scheme names are shown: {builder_debug}"
    );

    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");
    assert_no_secret(&client_debug);
    assert!(
        client_debug.contains("https://api.hubapi.com"),
        "{client_debug}"
    );

    let options = RequestOptions::new()
        .bearer_token("per-call-SECRET")
        .header("X-Api-Key", "header-SECRET")
        .query("hapikey", "query-SECRET");
    let options_debug = format!("{options:?}");
    assert_no_secret(&options_debug);
    assert!(options_debug.contains("X-Api-Key"), "{options_debug}");

    let call = list_channels(&client).options(options).limit(3);
    let call_debug = format!("{call:?}");
    assert_no_secret(&call_debug);
    assert!(call_debug.contains("listChannels"), "{call_debug}");
}

#[test]
fn token_provider_builders_do_not_show_tokens() {
    let builder = ClientBuilder::new()
        .base_url("https://api.hubapi.com")
        .token_provider(|| async { Ok::<_, BoxError>("provider-SECRET".to_owned()) });
    assert_no_secret(&format!("{builder:?}"));
}

#[tokio::test]
async fn connection_errors_do_not_contain_the_url_or_api_key() {
    let client = ClientBuilder::new()
        .base_url(closed_port_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(1))
        .bearer_token(BEARER)
        .api_key(HAPIKEY_SCHEME, HAPIKEY)
        .build()
        .unwrap();
    let error = list_channels(&client)
        .query("appId", "SECRET-app")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert_no_secret(&display);
    assert_no_secret(&debug);
    assert!(!display.contains("hapikey"), "{display}");
    assert!(!debug.contains("hapikey"), "{debug}");
    assert!(
        display.starts_with("operation `listChannels`: could not connect"),
        "{display}"
    );
    // The chain is kept for the source.
    let source = std::error::Error::source(&error).expect("source");
    assert_no_secret(&format!("{source} {source:?}"));
}

#[tokio::test]
async fn api_errors_do_not_contain_credentials() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status": "error", "message": "Authentication credentials not found.",
            "category": "INVALID_AUTHENTICATION"
        })))
        .mount(&server)
        .await;
    let error = list_channels(&client(&server)).await.unwrap_err();
    assert_no_secret(&error.to_string());
    assert_no_secret(&format!("{error:?}"));
    assert_eq!(
        error.to_string(),
        "operation `listChannels` failed with HTTP 401 Unauthorized: Authentication credentials \
         not found. (category INVALID_AUTHENTICATION)"
    );
}

#[test]
fn builder_errors_do_not_echo_secrets() {
    let error = ClientBuilder::new()
        .base_url("https://user:url-SECRET@api.hubapi.com/")
        .build()
        .unwrap_err();
    assert_no_secret(&error.to_string());
    assert!(
        error.to_string().contains("must not contain credentials"),
        "{error}"
    );

    let error = ClientBuilder::new()
        .base_url("https://api.hubapi.com/?hapikey=SECRET")
        .build()
        .unwrap_err();
    assert_no_secret(&error.to_string());
    assert!(error.to_string().contains("query string"), "{error}");

    let error = ClientBuilder::new()
        .base_url("https://api.hubapi.com")
        .bearer_token("line\nbreak-SECRET")
        .build()
        .unwrap_err();
    assert_no_secret(&error.to_string());
    assert_eq!(
        error.to_string(),
        "the bearer token (ClientBuilder::bearer_token) contains characters that cannot be sent \
         in an HTTP header (value not shown)"
    );
}

#[tokio::test]
async fn logs_contain_request_fields_but_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": []})))
        .mount(&server)
        .await;
    let client = client(&server);

    let (logs, guard) = capture_logs();
    list_channels(&client)
        .query("appId", "app-SECRET")
        .header("X-Api-Key", "header-SECRET")
        .await
        .unwrap();
    get_message(&client, 1, "m1")
        .max_retries(0)
        .await
        .unwrap_err();
    drop(guard);

    let text = logs.text();
    assert_no_secret(&text);
    assert!(!text.contains("hapikey"), "{text}");
    assert!(
        !text.contains("appId"),
        "the query string is never logged: {text}"
    );
    for expected in [
        "http_request",
        "operation=\"listChannels\"",
        "method=GET",
        &format!("path_template={PREFIX}"),
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        "latency_ms=",
        "retrying",
        "path_template=/conversations/v3/custom-channels/{channelId}/messages/{messageId}",
    ] {
        assert!(
            text.contains(expected),
            "missing {expected:?} in logs:\n{text}"
        );
    }
}
