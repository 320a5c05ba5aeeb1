//! Credentials go to the operations that declare them, in the declared place.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::auth::base64;
use crate::support::*;

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "m1", "results": [], "text": null
        })))
        .mount(&server)
        .await;
    server
}

fn authorization(request: &wiremock::Request) -> Option<String> {
    request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

fn query_value(request: &wiremock::Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn bearer_operations_get_the_bearer_header_and_no_api_key() {
    let server = ok_server().await;
    get_message(&client(&server), 1, "m1").await.unwrap();
    let request = &received(&server).await[0];
    assert_eq!(authorization(request), Some(format!("Bearer {BEARER}")));
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn api_key_operations_get_the_query_key_and_no_bearer_header() {
    let server = ok_server().await;
    list_channels(&client(&server)).limit(5).await.unwrap();
    let request = &received(&server).await[0];
    assert_eq!(authorization(request), None);
    assert_eq!(query_value(request, "hapikey").as_deref(), Some(HAPIKEY));
    assert_eq!(
        request.url.query(),
        Some(&*format!("limit=5&hapikey={HAPIKEY}"))
    );
}

#[tokio::test]
async fn missing_api_key_is_a_clear_invalid_request() {
    let server = ok_server().await;
    let client = ClientBuilder::new()
        .base_url(server.uri())
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let error = create_channel(&client).await.unwrap_err();
    let Error::InvalidRequest { message } = &error else {
        panic!("expected InvalidRequest, got {error:?}");
    };
    assert_eq!(
        message,
        "operation `createChannel` requires credentials that are not configured: an API key for \
         security scheme `developer_hapikey`, sent as query parameter `hapikey` (set it with \
         ClientBuilder::api_key(\"developer_hapikey\", key))"
    );
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn missing_bearer_token_names_the_builder_methods() {
    let server = ok_server().await;
    let client = ClientBuilder::new().base_url(server.uri()).build().unwrap();
    let error = get_message(&client, 1, "m1").await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("operation `getMessage`"), "{text}");
    assert!(
        text.contains("bearer token for security scheme `oauth2`"),
        "{text}"
    );
    assert!(text.contains("ClientBuilder::bearer_token"), "{text}");
    assert!(text.contains("ClientBuilder::token_provider"), "{text}");

    let error = probe(&client, ProbeEither).await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("one of: a bearer token"), "{text}");
    assert!(
        text.contains("; or an API key for security scheme `developer_hapikey`"),
        "{text}"
    );
}

#[tokio::test]
async fn and_requirements_need_every_credential() {
    let server = ok_server().await;
    let only_bearer = ClientBuilder::new()
        .base_url(server.uri())
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let error = probe(&only_bearer, ProbeBoth).await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("developer_hapikey"), "{text}");
    assert!(
        !text.contains("oauth2"),
        "only the missing one is named: {text}"
    );

    probe(&client(&server), ProbeBoth).await.unwrap();
    let request = &received(&server).await[0];
    assert_eq!(authorization(request), Some(format!("Bearer {BEARER}")));
    assert_eq!(query_value(request, "hapikey").as_deref(), Some(HAPIKEY));
}

#[tokio::test]
async fn first_satisfiable_alternative_is_used() {
    let server = ok_server().await;
    let only_key = ClientBuilder::new()
        .base_url(server.uri())
        .api_key(HAPIKEY_SCHEME, HAPIKEY)
        .build()
        .unwrap();
    probe(&only_key, ProbeEither).await.unwrap();
    probe(&client(&server), ProbeEither).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(authorization(&requests[0]), None);
    assert_eq!(
        query_value(&requests[0], "hapikey").as_deref(),
        Some(HAPIKEY)
    );
    assert_eq!(
        authorization(&requests[1]),
        Some(format!("Bearer {BEARER}"))
    );
    assert_eq!(query_value(&requests[1], "hapikey"), None);
}

#[tokio::test]
async fn anonymous_and_unsecured_operations() {
    let server = ok_server().await;
    let anonymous = ClientBuilder::new().base_url(server.uri()).build().unwrap();
    // Optional security without credentials: sent without any.
    probe(&anonymous, ProbeOptional).await.unwrap();
    // Optional security with credentials: they are used.
    probe(&client(&server), ProbeOptional).await.unwrap();
    // No security at all: credentials are never sent.
    probe(&client(&server), ProbeNoSecurity).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(authorization(&requests[0]), None);
    assert_eq!(
        authorization(&requests[1]),
        Some(format!("Bearer {BEARER}"))
    );
    assert_eq!(authorization(&requests[2]), None);
    assert_eq!(requests[2].url.query(), None);
}

#[tokio::test]
async fn token_provider_is_asked_before_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "m1"})))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = ClientBuilder::new()
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(1))
        .token_provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, BoxError>(format!("token-{n}")) }
        })
        .build()
        .unwrap();

    get_message(&client, 1, "m1").await.unwrap();
    let requests = received(&server).await;
    assert_eq!(
        authorization(&requests[0]).as_deref(),
        Some("Bearer token-0")
    );
    assert_eq!(
        authorization(&requests[1]).as_deref(),
        Some("Bearer token-1")
    );
}

struct FailingProvider;

impl crate::runtime::TokenProvider for FailingProvider {
    fn token(&self) -> crate::runtime::BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(async { Err::<String, BoxError>("refresh token revoked".into()) })
    }
}

#[tokio::test]
async fn failing_token_provider_is_an_auth_error() {
    let server = ok_server().await;
    let client = ClientBuilder::new()
        .base_url(server.uri())
        .token_provider(FailingProvider)
        .build()
        .unwrap();
    let error = get_message(&client, 1, "m1").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                operation: "getMessage",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "operation `getMessage`: the token provider failed: refresh token revoked"
    );
    assert!(!error.is_retryable());
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn per_call_bearer_token_replaces_the_clients() {
    let server = ok_server().await;
    let client = client(&server);
    get_message(&client, 1, "m1")
        .bearer_token("account-42-token")
        .await
        .unwrap();
    // Works without client credentials too.
    let anonymous = ClientBuilder::new().base_url(server.uri()).build().unwrap();
    get_message(&anonymous, 1, "m1")
        .options(crate::runtime::RequestOptions::new().bearer_token("account-7-token"))
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        authorization(&requests[0]).as_deref(),
        Some("Bearer account-42-token")
    );
    assert_eq!(
        authorization(&requests[1]).as_deref(),
        Some("Bearer account-7-token")
    );
}

#[tokio::test]
async fn per_call_authorization_header_stands_in_for_credentials() {
    let server = ok_server().await;
    let anonymous = ClientBuilder::new().base_url(server.uri()).build().unwrap();
    get_message(&anonymous, 1, "m1")
        .header("Authorization", "Bearer from-header")
        .await
        .unwrap();
    probe(&anonymous, ProbeBasic)
        .header("authorization", "Basic dTpw")
        .await
        .unwrap();
    // It also replaces the client's credentials.
    get_message(&client(&server), 1, "m1")
        .header("Authorization", "Bearer override")
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        authorization(&requests[0]).as_deref(),
        Some("Bearer from-header")
    );
    assert_eq!(authorization(&requests[1]).as_deref(), Some("Basic dTpw"));
    assert_eq!(
        authorization(&requests[2]).as_deref(),
        Some("Bearer override")
    );
    assert_eq!(
        requests[2].headers.get_all("authorization").iter().count(),
        1
    );
}

#[tokio::test]
async fn basic_header_and_cookie_credentials() {
    let server = ok_server().await;
    let client = ClientBuilder::new()
        .base_url(server.uri())
        .basic_auth("user", "pa ss:wörd")
        .api_key("header_key", "header-SECRET")
        .api_key("cookie_key", "cookie-SECRET")
        .build()
        .unwrap();
    probe(&client, ProbeBasic).await.unwrap();
    probe(&client, ProbeHeaderKey).await.unwrap();
    probe(&client, ProbeCookieKey).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(
        authorization(&requests[0]),
        Some(format!("Basic {}", base64("user:pa ss:wörd".as_bytes())))
    );
    assert_eq!(requests[1].headers["x-api-key"], "header-SECRET");
    assert_eq!(authorization(&requests[1]), None);
    assert_eq!(requests[2].headers["cookie"], "session=cookie-SECRET");
}

#[test]
fn base64_matches_rfc_4648_vectors() {
    for (input, expected) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
        ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
    ] {
        assert_eq!(base64(input.as_bytes()), expected);
    }
    assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
}
