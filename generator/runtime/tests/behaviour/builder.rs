//! Client configuration and its validation messages.

use std::time::Duration;

use crate::support::*;

fn build_error(builder: ClientBuilder) -> String {
    builder.build().unwrap_err().to_string()
}

fn base() -> ClientBuilder {
    ClientBuilder::new().base_url("https://api.hubapi.com")
}

#[test]
fn defaults() {
    let client = base().build().unwrap();
    assert_eq!(client.base_url(), "https://api.hubapi.com");
    assert_eq!(client.timeout(), Duration::from_secs(60));
    assert_eq!(client.max_retries(), 2);
    let debug = format!("{client:?}");
    assert!(
        debug.contains("500ms") && debug.contains("8s") && debug.contains("60s"),
        "{debug}"
    );
    // Cheap clones share the configuration.
    let clone = client.clone();
    assert_eq!(clone.base_url(), client.base_url());
}

#[test]
fn base_url_is_required_and_validated() {
    assert_eq!(
        build_error(ClientBuilder::new()),
        "no base URL configured: call ClientBuilder::base_url, for example with \"https://api.example.com\""
    );
    assert_eq!(
        build_error(ClientBuilder::new().base_url("api.hubapi.com")),
        "base URL \"api.hubapi.com\" is not a valid absolute URL: relative URL without a base"
    );
    assert_eq!(
        build_error(ClientBuilder::new().base_url("ftp://api.hubapi.com")),
        "base URL \"ftp://api.hubapi.com\" must use http or https, not `ftp`"
    );
    assert_eq!(
        build_error(ClientBuilder::new().base_url("https://api.hubapi.com/v3?x=1")),
        "base URL \"https://api.hubapi.com/v3?<redacted>\" must not contain a query string (\"?...\"); add per-call query parameters with Call::query"
    );
    assert_eq!(
        build_error(ClientBuilder::new().base_url("https://api.hubapi.com/#top")),
        "base URL \"https://api.hubapi.com/#<redacted>\" must not contain a fragment (\"#...\")"
    );
    assert_eq!(
        build_error(ClientBuilder::new().base_url("https://me:pw@api.hubapi.com")),
        "base URL \"https://<redacted>@api.hubapi.com\" must not contain credentials; use ClientBuilder::basic_auth, bearer_token or api_key"
    );
    for (given, normalised) in [
        ("https://api.hubapi.com/", "https://api.hubapi.com"),
        (
            "http://localhost:8080/prefix/",
            "http://localhost:8080/prefix",
        ),
        (
            "  https://API.hubapi.com/a/b  ",
            "https://api.hubapi.com/a/b",
        ),
    ] {
        let client = ClientBuilder::new().base_url(given).build().unwrap();
        assert_eq!(client.base_url(), normalised);
    }
}

#[test]
fn other_settings_are_validated() {
    assert_eq!(
        build_error(base().user_agent("bad\r\nagent")),
        "user agent \"bad\\r\\nagent\" is not a valid HTTP header value (it contains line breaks or other control characters)"
    );
    assert_eq!(
        build_error(base().timeout(Duration::ZERO)),
        "timeout must be greater than zero (got 0s)"
    );
    assert_eq!(
        build_error(base().max_retries(11)),
        "max_retries must be at most 10 (got 11)"
    );
    assert!(base().max_retries(10).build().is_ok());
    assert_eq!(
        build_error(base().retry_backoff(Duration::from_secs(2), Duration::from_secs(1))),
        "retry_backoff: the initial delay (2s) must not exceed the maximum delay (1s)"
    );
    assert_eq!(
        build_error(base().bearer_token("")),
        "the bearer token (ClientBuilder::bearer_token) is empty"
    );
    assert_eq!(
        build_error(base().api_key(HAPIKEY_SCHEME, "")),
        "the API key for security scheme `developer_hapikey` is empty"
    );
    assert_eq!(
        build_error(base().api_key("", "key")),
        "ClientBuilder::api_key was given an empty security scheme name"
    );
    assert_eq!(
        build_error(base().basic_auth("a:b", "pw")),
        "the basic-auth user name (ClientBuilder::basic_auth) must not contain ':'"
    );
}

#[test]
fn build_errors_convert_into_invalid_request() {
    let error: Error = base().timeout(Duration::ZERO).build().unwrap_err().into();
    assert!(matches!(error, Error::InvalidRequest { .. }));
    assert_eq!(
        error.to_string(),
        "invalid request: timeout must be greater than zero (got 0s)"
    );
}

#[test]
fn custom_http_client_is_accepted() {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let client = base().http_client(http).build().unwrap();
    assert_eq!(client.base_url(), "https://api.hubapi.com");
}
