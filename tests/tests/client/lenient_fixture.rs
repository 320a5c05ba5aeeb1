//! The lenient fixture (`tests/fixtures/lenient.yaml`, crate `fixture-lenient`): a document with
//! broken references still gives a working client. A response `$ref` into `requestBodies` and
//! a request body `$ref` into `responses` are used as what they stand for, a property typed by
//! a schema that does not exist takes any JSON, a parameter that does not exist is left out,
//! and a response that does not exist has no body. (That `--strict` rejects the document is
//! tested in `tests/tests/generation/fixtures.rs`.)

use fixture_lenient::{Client, models};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_response_ref_into_request_bodies_decodes_as_the_body_it_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"name": "Rex", "kind": "dog", "tag": {"any": ["json", 1]}},
            {"name": "Tom", "owner": {"name": "Ann"}}
        ])))
        .mount(&server)
        .await;
    let pets: Vec<models::Pet> = client(&server).await.pets().list().limit(2).await.unwrap();
    assert_eq!(pets.len(), 2);
    assert_eq!(pets[0].kind, Some(models::Kind::Dog));
    // `Tag` does not exist: the field takes whatever JSON comes.
    assert_eq!(pets[0].tag, Some(json!({"any": ["json", 1]})));
    assert_eq!(
        pets[1].owner.as_ref().and_then(|o| o.name.as_deref()),
        Some("Ann")
    );
}

#[tokio::test]
async fn a_request_body_ref_into_responses_sends_the_body_it_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(json!({"name": "Rex", "tag": "t"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"name": "Rex"})))
        .mount(&server)
        .await;
    let pet = models::Pet::new("Rex").with_tag(json!("t"));
    let created: models::Pet = client(&server)
        .await
        .pets()
        .create()
        .body(&pet)
        .await
        .unwrap();
    assert_eq!(created.name, "Rex");
}
