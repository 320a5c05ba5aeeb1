//! Behaviour of the operations fixture (`tests/fixtures/operations.yaml`, checked in as the crate
//! `fixture-operations`): every parameter location and query style, optional, text, binary and
//! form bodies, a 200-or-204 response, problem+json errors, an `Authorization` header parameter,
//! server variables, and operations without a tag, all against a local mock server.

use fixture_operations::{Client, DEFAULT_BASE_URL, models};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "exactly one request");
    received.remove(0)
}

fn query_pairs(r: &Request) -> Vec<(String, String)> {
    r.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn server_variables_take_their_defaults() {
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.test/v1");
}

#[tokio::test]
async fn every_parameter_location_and_query_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t%2F1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "t/1", "name": "Thing"})),
        )
        .mount(&server)
        .await;
    let thing = client(&server)
        .await
        .things()
        .get("t/1")
        .ids(vec![1, 2])
        .csv(vec!["a".into(), "b".into()])
        .spaced(vec!["a".into(), "b".into()])
        .piped(vec!["a".into(), "b".into()])
        .filter(models::GetThingFilter::new().with_color("red").with_size(3))
        .x_request_tag("tag-1")
        .session("abc")
        .r#type("x")
        .timeout_param(5)
        .await
        .unwrap();
    assert_eq!(thing, models::Thing::new("t/1").with_name("Thing"));

    let r = only_request(&server).await;
    let pairs = query_pairs(&r);
    let expect = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        pairs,
        vec![
            expect("ids", "1"),
            expect("ids", "2"),
            expect("csv", "a,b"),
            expect("spaced", "a b"),
            expect("piped", "a|b"),
            expect("filter[color]", "red"),
            expect("filter[size]", "3"),
            expect("type", "x"),
            expect("timeout", "5"),
        ]
    );
    assert_eq!(r.headers.get("x-request-tag").unwrap(), "tag-1");
    assert_eq!(r.headers.get("cookie").unwrap(), "session=abc");
    assert!(r.headers.get("authorization").is_none());
}

#[tokio::test]
async fn problem_json_errors_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("content-type", "application/problem+json")
                .set_body_string(r#"{"title":"No such thing","status":404}"#),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .await
        .things()
        .get("nope")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let problem = error.parsed().expect("typed problem body");
    assert_eq!(problem.title.as_deref(), Some("No such thing"));
    assert_eq!(problem.status, Some(404));
}

#[tokio::test]
async fn two_hundred_or_no_content() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let things = client(&server).await.things();
    let replaced = things
        .replace("a")
        .body(&models::Thing::new("a"))
        .await
        .unwrap();
    assert_eq!(replaced, Some(models::Thing::new("a")));
    let unchanged = things.replace("a").await.unwrap();
    assert_eq!(unchanged, None, "204 decodes as None");

    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].body_json::<serde_json::Value>().unwrap(),
        json!({"id": "a"})
    );
    assert!(
        received[1].body.is_empty(),
        "the optional body was left out"
    );
    assert!(received[1].headers.get("content-type").is_none());
}

#[tokio::test]
#[allow(deprecated)]
async fn an_authorization_header_parameter_uses_the_bearer_token_when_there_is_one() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let anonymous = client(&server).await;
    anonymous.things().delete("a").await.unwrap();
    let with_token = Client::builder()
        .base_url(server.uri())
        .bearer_token("t0k3n")
        .build()
        .unwrap();
    with_token.things().delete("a").await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
    assert_eq!(
        received[1].headers.get("authorization").unwrap(),
        "Bearer t0k3n"
    );
}

#[tokio::test]
async fn text_bodies_both_ways() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things/a/notes"))
        .respond_with(ResponseTemplate::new(201).set_body_string("noted: hello"))
        .mount(&server)
        .await;
    let echoed = client(&server)
        .await
        .things()
        .add_note("a", "hello")
        .await
        .unwrap();
    assert_eq!(echoed, "noted: hello");
    let r = only_request(&server).await;
    assert_eq!(r.headers.get("content-type").unwrap(), "text/plain");
    assert_eq!(r.body, b"hello");
}

#[tokio::test]
async fn binary_bodies_both_ways() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8, 255, 7]))
        .mount(&server)
        .await;
    // A binary response is handed over as a stream; `collect_bytes` gathers a small one.
    let back = client(&server).await.upload(vec![1u8, 2, 3]).await.unwrap();
    assert_eq!(&back.collect_bytes(1024).await.unwrap()[..], &[0u8, 255, 7]);
    let r = only_request(&server).await;
    assert_eq!(
        r.headers.get("content-type").unwrap(),
        "application/octet-stream"
    );
    assert_eq!(r.body, vec![1u8, 2, 3]);
}

#[tokio::test]
async fn form_bodies_and_an_idempotent_post_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "abc"})))
        .mount(&server)
        .await;
    let body =
        models::LoginBody::new("alice smith").with_scopes(vec!["read".into(), "write".into()]);
    let out = client(&server).await.login(&body).await.unwrap();
    assert_eq!(out.token.as_deref(), Some("abc"));

    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received.len(),
        2,
        "x-idempotent: true makes the POST safe to retry"
    );
    let r = &received[1];
    assert_eq!(
        r.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&r.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("user".to_owned(), "alice smith".to_owned()),
            ("scopes".to_owned(), "read".to_owned()),
            ("scopes".to_owned(), "write".to_owned()),
        ]
    );
}

#[tokio::test]
async fn operations_without_a_tag_sit_on_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"anything": [1, 2]})))
        .mount(&server)
        .await;
    let root = client(&server).await.get().await.unwrap();
    assert_eq!(root, json!({"anything": [1, 2]}));
}

/// `tests/fixtures/versions.yaml`: one operation shared by two versions, sent under the prefix
/// of the version it is called through.
#[tokio::test]
async fn a_shared_operation_is_sent_under_each_version_s_prefix() {
    use fixture_versions::{ApiVersion, Client};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "i1", "name": "widget"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let body = fixture_versions::models::CreateItemBody::new("widget");
    for version in ApiVersion::ALL {
        client.api(version).items().create(&body).await.unwrap();
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/api/v1/items", "/api/2025-01/items"]);
}

/// `tests/fixtures/versions_differ.yaml`: a method that only one version has refuses the other
/// version with a clear error, without sending anything.
#[tokio::test]
async fn a_version_specific_operation_refuses_other_versions() {
    use fixture_versions_differ::{Client, Error, models};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let error = client
        .v1()
        .items()
        .create_v2(&models::CreateItemBody2::new().with_b(1))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { message } if message.contains("not available in this API version")),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    client
        .v2()
        .items()
        .create_v2(&models::CreateItemBody2::new().with_b(1))
        .await
        .unwrap();
    assert_eq!(
        server.received_requests().await.unwrap()[0].url.path(),
        "/v2/items"
    );
}
