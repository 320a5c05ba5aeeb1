//! The configured fixture (`tests/fixtures/config.yaml` with `tests/fixtures/config.toml`,
//! checked in as the crate `fixture-config`): renamed types, fields and methods at work against
//! a mock server, and the derives the configuration asked for, used as a user would.

use fixture_config::models::{Item, Note, Price};
use fixture_config::{Client, models};
use serde_json::json;
use std::collections::{BTreeSet, HashSet};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn price(amount: i64) -> Price {
    Price::builder().amount(amount).currency_code("EUR").build()
}

/// `Money` is `Price`, its `currency` is `currency_code` (still `currency` on the wire), and
/// `Item`'s `id` is `item_id`.
#[test]
fn renamed_types_and_fields_keep_their_wire_names() {
    let item = Item::builder()
        .item_id("i1")
        .name("Kettle")
        .price(price(2500))
        .build();
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({"id": "i1", "name": "Kettle", "price": {"amount": 2500, "currency": "EUR"}})
    );
    let back: Item = serde_json::from_value(serde_json::to_value(&item).unwrap()).unwrap();
    assert_eq!(back.price.currency_code, "EUR");
}

/// `Weight` is the team's own `shop_units::Weight`: its helpers work on what the client decodes.
#[test]
fn a_replaced_schema_is_the_existing_type() {
    let item: Item = serde_json::from_value(json!({
        "id": "i1", "name": "Kettle", "price": {"amount": 1, "currency": "EUR"},
        "weight": {"grams": 1500}
    }))
    .unwrap();
    let weight: shop_units::Weight = item.weight.unwrap();
    assert_eq!(weight.kilograms(), 1.5);
}

/// `Ord` on `Price` (which brings `Eq` and `PartialOrd`), `Eq` + `Hash` wherever they hold.
#[test]
fn configured_derives_can_be_used() {
    let prices: BTreeSet<Price> = [price(3), price(1), price(2)].into_iter().collect();
    let amounts: Vec<i64> = prices.iter().map(|p| p.amount).collect();
    assert_eq!(amounts, [1, 2, 3]);
    let notes: HashSet<Note> = [Note::new("a"), Note::new("a"), Note::new("b")]
        .into_iter()
        .collect();
    assert_eq!(notes.len(), 2);
    let _: HashSet<models::AuditEvent> = HashSet::new();
}

/// `createItem` is `add`, `DELETE /items/{id}` is `remove`; the left-out admin namespace does
/// not exist (a `client.admin()` would not compile).
#[tokio::test]
async fn renamed_methods_send_their_operations() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"id": "i9", "name": "Kettle", "price": {"amount": 1, "currency": "EUR"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/items/i9"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let item = Item::builder()
        .item_id("")
        .name("Kettle")
        .price(price(1))
        .build();
    let created = client.items().add(&item).await.unwrap();
    assert_eq!(created.item_id, "i9");
    client.items().remove(&created.item_id).await.unwrap();
}
