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

/// Sends one `styled` call and returns the query string the server saw.
async fn styled_query(
    params: Vec<(&'static str, serde_json::Value, QueryStyle)>,
) -> Option<String> {
    let server = ok_server().await;
    styled(&client(&server), params).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    requests[0].url.query().map(str::to_owned)
}

const EXPLODE: QueryStyle = QueryStyle::Form { explode: true };
const FORM: QueryStyle = QueryStyle::Form { explode: false };

#[tokio::test]
async fn query_styles_write_arrays_as_openapi_says() {
    // Keys in alphabetical order, so the wire order does not depend on serde_json's map type.
    let ids = json!([1, "a b", null, true]);
    let cases = [
        (EXPLODE, "ids=1&ids=a%20b&ids=true"),
        (FORM, "ids=1,a%20b,true"),
        (QueryStyle::SpaceDelimited, "ids=1%20a%20b%20true"),
        (QueryStyle::PipeDelimited, "ids=1%7Ca%20b%7Ctrue"),
    ];
    for (style, expected) in cases {
        assert_eq!(
            styled_query(vec![("ids", ids.clone(), style)])
                .await
                .as_deref(),
            Some(expected),
            "{style:?}"
        );
    }
    // A delimiter inside a value is encoded, the delimiter itself is not (form) or is `%7C`.
    assert_eq!(
        styled_query(vec![("tags", json!(["a,b", "c|d", "e"]), FORM)])
            .await
            .as_deref(),
        Some("tags=a%2Cb,c%7Cd,e")
    );
    assert_eq!(
        styled_query(vec![(
            "tags",
            json!(["a,b", "c|d"]),
            QueryStyle::PipeDelimited
        )])
        .await
        .as_deref(),
        Some("tags=a%2Cb%7Cc%7Cd")
    );
}

#[tokio::test]
async fn query_styles_write_objects_as_openapi_says() {
    let color = json!({"B": 150, "G": "x&y", "R": null});
    let cases = [
        (EXPLODE, "B=150&G=x%26y"),
        (FORM, "color=B,150,G,x%26y"),
        (QueryStyle::SpaceDelimited, "color=B%20150%20G%20x%26y"),
        (QueryStyle::PipeDelimited, "color=B%7C150%7CG%7Cx%26y"),
        (
            QueryStyle::DeepObject,
            "color%5BB%5D=150&color%5BG%5D=x%26y",
        ),
    ];
    for (style, expected) in cases {
        assert_eq!(
            styled_query(vec![("color", color.clone(), style)])
                .await
                .as_deref(),
            Some(expected),
            "{style:?}"
        );
    }
    // Property keys are encoded like values; the brackets stay `%5B`/`%5D`.
    assert_eq!(
        styled_query(vec![(
            "filter",
            json!({"a b": "1", "c[d]": "2"}),
            QueryStyle::DeepObject
        )])
        .await
        .as_deref(),
        Some("filter%5Ba%20b%5D=1&filter%5Bc%5Bd%5D%5D=2")
    );
}

#[tokio::test]
async fn query_styles_leave_scalars_alone_and_skip_nothing_values() {
    let styles = [
        EXPLODE,
        FORM,
        QueryStyle::SpaceDelimited,
        QueryStyle::PipeDelimited,
        QueryStyle::DeepObject,
    ];
    for style in styles {
        let query = styled_query(vec![
            ("n", json!(5), style),
            ("s", json!("x y,z"), style),
            ("b", json!(false), style),
            ("null", json!(null), style),
            ("empty_object", json!({}), style),
            ("null_property", json!({"k": null}), style),
        ])
        .await;
        assert_eq!(
            query.as_deref(),
            Some("n=5&s=x%20y%2Cz&b=false"),
            "{style:?}"
        );
        if style != QueryStyle::DeepObject {
            let query = styled_query(vec![
                ("empty", json!([]), style),
                ("nulls", json!([null, null]), style),
            ])
            .await;
            assert_eq!(query, None, "{style:?}");
        }
    }
}

#[tokio::test]
async fn query_is_form_explode_and_the_default_style() {
    assert_eq!(QueryStyle::default(), QueryStyle::Form { explode: true });
    let server = ok_server().await;
    let mut filter = BTreeMap::new();
    filter.insert("color".to_owned(), "red".to_owned());
    let op = Search {
        term: Some("t".into()),
        q: vec!["a".into(), "b".into()],
        filter: Some(filter),
        ..Search::default()
    };
    search(&client(&server), op).await.unwrap();
    let via_query = received(&server).await[0].url.query().map(str::to_owned);
    let via_styled = styled_query(vec![
        ("q", json!(["a", "b"]), QueryStyle::default()),
        ("filter", json!({"color": "red"}), QueryStyle::default()),
    ])
    .await;
    assert_eq!(via_query.as_deref(), Some("q=a&q=b&color=red"));
    assert_eq!(via_query, via_styled);
}

#[tokio::test]
async fn unrepresentable_styled_values_are_invalid_requests() {
    let server = ok_server().await;
    let client = client(&server);
    let cases = [
        (
            json!([1, 2]),
            QueryStyle::DeepObject,
            "query parameter `p` is an array, which the deepObject style cannot represent",
        ),
        (
            json!([[1], 2]),
            FORM,
            "query parameter `p` contains arrays or objects that cannot be represented there",
        ),
        (
            json!({"k": {"nested": 1}}),
            QueryStyle::DeepObject,
            "query parameter `p` contains arrays or objects that cannot be represented there",
        ),
        (
            json!({"k": [1]}),
            QueryStyle::PipeDelimited,
            "query parameter `p` contains arrays or objects that cannot be represented there",
        ),
    ];
    for (value, style, expected) in cases {
        let error = styled(&client, vec![("p", value, style)])
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("invalid request: operation `styled`: {expected}"),
            "{style:?}"
        );
    }
    assert!(received(&server).await.is_empty());
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
