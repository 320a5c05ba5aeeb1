//! URL building, parameter serialisation, headers and bodies.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::request::{ensure_body_key, fill_path};
use crate::support::*;

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "m1"})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = ok_server().await;
    let client = client(&server);
    get_message(&client, 12, "a/b?c").await.unwrap();
    get_message(&client, -1, "é x+y#z%").await.unwrap();
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        format!("{PREFIX}/12/messages/a%2Fb%3Fc")
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(
        requests[1].url.path(),
        format!("{PREFIX}/-1/messages/%C3%A9%20x%2By%23z%25")
    );
}

#[tokio::test]
async fn dangerous_or_missing_path_parameters_are_rejected() {
    let server = ok_server().await;
    let client = client(&server);
    for (value, expected) in [
        (
            "..",
            "operation `getMessage`: path parameter `messageId` must not be \"..\", which would change the path",
        ),
        (
            ".",
            "operation `getMessage`: path parameter `messageId` must not be \".\", which would change the path",
        ),
        (
            "",
            "operation `getMessage`: path parameter `messageId` is empty, which would change the path",
        ),
    ] {
        let error = get_message(&client, 1, value).await.unwrap_err();
        assert_eq!(error.to_string(), format!("invalid request: {expected}"));
    }
    let error = search(&client, Search::default()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: operation `search`: path parameter `term` is missing (null)"
    );
    assert!(received(&server).await.is_empty());

    assert_eq!(
        fill_path("/{a}/x/{b}", &[("a", "1".into())])
            .unwrap_err()
            .to_string(),
        "path parameter `b` was not set"
    );
    assert_eq!(
        fill_path("/{a}/{b}", &[("b", "2".into()), ("a", "1".into())]).unwrap(),
        "/1/2"
    );
    assert!(fill_path("/{a", &[("a", "1".into())]).is_err());
}

#[tokio::test]
async fn query_parameters_are_serialised_with_serde() {
    let server = ok_server().await;
    let since = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap();
    let mut filter = BTreeMap::new();
    filter.insert("color".to_owned(), "red & blue".to_owned());
    let op = Search {
        term: Some("t".into()),
        q: vec!["a b".into(), "c=d".into()],
        since: Some(since),
        flag: Some(false),
        missing: None,
        ratio: Some(0.5),
        filter: Some(filter),
        x_trace: Some("trace-1".into()),
        ids: Some(vec![1, 2, 3]),
    };
    search(&client(&server), op)
        .query("appId", 123)
        .query("sort", "-createdAt")
        .await
        .unwrap();
    let request = &received(&server).await[0];
    assert_eq!(request.url.path(), "/search/t");
    assert_eq!(
        request.url.query(),
        Some(
            "q=a%20b&q=c%3Dd&since=2024-05-06T07%3A08%3A09Z&flag=false&ratio=0.5&\
             color=red%20%26%20blue&appId=123&sort=-createdAt"
        )
    );
    assert_eq!(request.headers["x-trace"], "trace-1");
    assert_eq!(request.headers["x-ids"], "1,2,3");
}

#[tokio::test]
async fn array_query_parameters_repeat_the_key_and_none_is_skipped() {
    let server = ok_server().await;
    let client = client(&server);
    Call::new(
        &client,
        PREFIX,
        ListChannels {
            after: None,
            limit: Some(10),
            sort: Some(vec!["name".into(), "-id".into()]),
        },
    )
    .await
    .unwrap_err(); // the body is not a page; only the request matters here
    let request = &received(&server).await[0];
    assert_eq!(
        request.url.query(),
        Some(&*format!("limit=10&sort=name&sort=-id&hapikey={HAPIKEY}"))
    );
    assert_eq!(request.url.path(), PREFIX);
}

#[tokio::test]
async fn json_bodies_get_json_headers_and_the_default_user_agent() {
    let server = ok_server().await;
    create_note(&client(&server)).await.unwrap();
    get_message(&client(&server), 1, "m1").await.unwrap();
    let requests = received(&server).await;
    let post = &requests[0];
    assert_eq!(post.method.as_str(), "POST");
    assert_eq!(post.url.path(), format!("{PREFIX}/notes"));
    assert_eq!(post.headers["content-type"], "application/json");
    assert_eq!(post.headers["accept"], "application/json");
    assert_eq!(
        post.headers["user-agent"],
        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        post.body_json::<serde_json::Value>().unwrap(),
        json!({"text": "hello"})
    );
    let get = &requests[1];
    assert!(get.body.is_empty());
    assert!(!get.headers.contains_key("content-type"));
    assert_eq!(get.headers["accept"], "application/json");
}

#[tokio::test]
async fn per_call_headers_override_and_custom_user_agent() {
    let server = ok_server().await;
    let client = builder(&server)
        .user_agent("my-integration/2.0")
        .build()
        .unwrap();
    get_message(&client, 1, "m1")
        .header("Accept", "application/json; charset=utf-8")
        .header("X-Multi", "one")
        .header("X-Multi", "two")
        .await
        .unwrap();
    let request = &received(&server).await[0];
    assert_eq!(request.headers["user-agent"], "my-integration/2.0");
    assert_eq!(request.headers["accept"], "application/json; charset=utf-8");
    let multi: Vec<_> = request.headers.get_all("x-multi").iter().collect();
    assert_eq!(multi, ["one", "two"]);
}

#[tokio::test]
async fn invalid_per_call_settings_are_reported() {
    let server = ok_server().await;
    let client = client(&server);
    let error = get_message(&client, 1, "m1")
        .header("Bad Header", "x")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: operation `getMessage`: per-call header name \"Bad Header\" is not a valid HTTP header name"
    );
    let error = get_message(&client, 1, "m1")
        .header("X-Token", "line\nbreak")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("(value not shown)"), "{error}");
    assert!(!error.to_string().contains("break"), "{error}");
    let error = get_message(&client, 1, "m1")
        .timeout(Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: operation `getMessage`: the per-call timeout must be greater than zero (got 0s)"
    );
    let error = get_message(&client, 1, "m1")
        .max_retries(11)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: operation `getMessage`: max_retries must be at most 10 (got 11)"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn body_serialisation_failure_is_an_invalid_request() {
    let server = ok_server().await;
    let mut map = HashMap::new();
    map.insert((1, 2), "tuple keys are not JSON");
    let call = Call::new(
        &client(&server),
        "",
        BadBody {
            body: JsonBody::new(&map),
        },
    );
    let error = call.await.unwrap_err();
    let Error::InvalidRequest { message } = &error else {
        panic!("expected InvalidRequest, got {error:?}");
    };
    assert!(
        message
            .starts_with("operation `badBody`: the request body could not be serialised to JSON: "),
        "{message}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = ok_server().await;
    let client = ClientBuilder::new()
        .base_url(format!("{}/proxy/hubspot/", server.uri()))
        .bearer_token(BEARER)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("{}/proxy/hubspot", server.uri()));
    get_message(&client, 1, "m1").await.unwrap();
    assert_eq!(
        received(&server).await[0].url.path(),
        format!("/proxy/hubspot{PREFIX}/1/messages/m1")
    );
}

#[tokio::test]
async fn calls_can_be_awaited_sent_or_sent_with_response() {
    let server = ok_server().await;
    let client = client(&server);
    let call = get_message(&client, 1, "m1");
    assert_eq!(call.operation_id(), "getMessage");
    let via_await = call.clone().await.unwrap();
    let via_send = call.clone().send().await.unwrap();
    let via_response = call.send_with_response().await.unwrap();
    assert_eq!(via_await, via_send);
    assert_eq!(via_response.into_inner(), via_send);
    // Calls are Send futures that can be spawned.
    let handle = tokio::spawn(get_message(&client, 1, "m1").into_future());
    assert_eq!(handle.await.unwrap().unwrap().id, "m1");
    assert_eq!(received(&server).await.len(), 4);
}

#[test]
fn body_key_pointer_rules() {
    let mut body = json!({"a": 1});
    assert!(ensure_body_key(&mut body, "/id"));
    assert!(uuid::Uuid::parse_str(body["id"].as_str().unwrap()).is_ok());

    let mut nested = json!({"meta": {"key": "kept"}});
    assert!(ensure_body_key(&mut nested, "/meta/key"));
    assert_eq!(nested["meta"]["key"], "kept");

    let mut escaped = json!({"a/b": {}});
    assert!(ensure_body_key(&mut escaped, "/a~1b/k~0ey"));
    assert!(escaped["a/b"]["k~ey"].is_string());

    let mut no_parent = json!({"a": 1});
    assert!(!ensure_body_key(&mut no_parent, "/missing/key"));
    assert_eq!(no_parent, json!({"a": 1}));

    let mut not_object = json!([1, 2]);
    assert!(!ensure_body_key(&mut not_object, "/key"));
}
