//! Cursor pagination streams.

use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn page(ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let results: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    match next {
        Some(after) => json!({
            "total": 5,
            "results": results,
            "paging": { "next": { "after": after, "link": "?after=..." } }
        }),
        None => json!({ "total": 5, "results": results }),
    }
}

/// Three pages: [a, b] -> c2 -> [c, d] -> c3 -> [e].
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a", "b"], Some("c2"))))
        .mount(&server)
        .await;
    Mock::given(query_param("after", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["c", "d"], Some("c3"))))
        .mount(&server)
        .await;
    Mock::given(query_param("after", "c3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["e"], None)))
        .mount(&server)
        .await;
    server
}

fn ids(channels: &[Channel]) -> Vec<&str> {
    channels.iter().map(|c| c.id.as_str()).collect()
}

#[tokio::test]
async fn into_stream_follows_the_cursor_over_three_pages() {
    let server = three_pages().await;
    let channels: Vec<Channel> = list_channels(&client(&server))
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&channels), ["a", "b", "c", "d", "e"]);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let queries: Vec<_> = requests.iter().map(|r| r.url.query().unwrap()).collect();
    assert_eq!(
        queries,
        [
            format!("limit=2&hapikey={HAPIKEY}"),
            format!("after=c2&limit=2&hapikey={HAPIKEY}"),
            format!("after=c3&limit=2&hapikey={HAPIKEY}"),
        ]
    );
}

#[tokio::test]
async fn taking_a_few_items_stops_fetching_pages() {
    let server = three_pages().await;
    let channels: Vec<Channel> = list_channels(&client(&server))
        .into_stream()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&channels), ["a", "b", "c"]);
    assert_eq!(
        received(&server).await.len(),
        2,
        "the third page was never requested"
    );

    let server2 = three_pages().await;
    let mut stream = list_channels(&client(&server2)).into_stream();
    assert_eq!(stream.next().await.unwrap().unwrap().id, "a");
    drop(stream);
    assert_eq!(received(&server2).await.len(), 1);
}

#[tokio::test]
async fn pages_yields_each_response() {
    let server = three_pages().await;
    let pages: Vec<_> = list_channels(&client(&server))
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(|p| p.status() == StatusCode::OK));
    assert_eq!(ids(&pages[0].results), ["a", "b"]);
    assert_eq!(ids(&pages[2].results), ["e"]);
    assert!(pages[2].paging.is_none());
}

#[tokio::test]
async fn a_repeated_cursor_stops_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a"], Some("same"))))
        .mount(&server)
        .await;
    Mock::given(query_param("after", "same"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["b"], Some("same"))))
        .mount(&server)
        .await;

    let results: Vec<_> = list_channels(&client(&server))
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, "a");
    assert_eq!(results[1].as_ref().unwrap().id, "b");
    let error = results[2].as_ref().unwrap_err();
    assert!(
        matches!(error, Error::Pagination { operation: "listChannels", cursor } if cursor == "same"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "operation `listChannels`: the server returned the pagination cursor \"same\" a second \
         time; stopping to avoid an endless loop"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_being_yielded() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a"], Some("c2"))))
        .mount(&server)
        .await;
    Mock::given(query_param("after", "c2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "gone"})))
        .mount(&server)
        .await;

    let results: Vec<_> = list_channels(&client(&server))
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "a");
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn items_that_do_not_decode_are_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": [{"id": 1}]})))
        .mount(&server)
        .await;
    let results: Vec<_> = list_channels(&client(&server))
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let error = results[0].as_ref().unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&br#"{"results":[{"id":1}]}"#[..])
    );
}
