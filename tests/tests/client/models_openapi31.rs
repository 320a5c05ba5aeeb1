//! Runs the models generated from `tests/fixtures/openapi31.yaml` (crate `fixture-openapi31`)
//! and `tests/fixtures/quirks30.yaml` (crate `fixture-quirks30`) on the JSON such APIs send:
//! the 3.1 constructs, rewritten into the 3.0 shape when the spec is read, decode and encode
//! as the 3.1 schemas say.

use fixture_openapi31::Nullable;
use fixture_openapi31::models::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

/// A FastAPI response: `anyOf [X, null]` fields null or set, `const` tag, `type: [number,
/// "null"]`, a `$ref` with a description, a tuple, a list of types, `patternProperties`.
#[test]
fn a_fastapi_item_decodes_and_encodes_unchanged() {
    let wire = json!({
        "id": 1,
        "name": "Hammer",
        "kind": "tool",
        "description": null,
        "price": null,
        "owner": {"name": "Ann", "email": null},
        "maker": {"name": "Bob", "email": "bob@example.test"},
        "location": [1.5, 2.5],
        "code": 7,
        "labels": {"colour": "red"},
    });
    let item: Item = decode(wire.clone());
    assert_eq!(item.description, None);
    assert_eq!(item.price, Nullable::Null);
    let Nullable::Value(owner) = &item.owner else {
        panic!("owner is set: {:?}", item.owner)
    };
    assert_eq!(owner.email, Nullable::Null);
    assert_eq!(
        item.maker.as_ref().map(|m| &m.email),
        Some(&Nullable::Value("bob@example.test".to_owned()))
    );
    assert_eq!(item.code, Some(ItemCode::Integer(7)));
    assert_eq!(item.location, Some(vec![1.5, 2.5]));
    assert_eq!(serde_json::to_value(&item).unwrap(), wire);
}

/// `kind` is `const: tool`: the field is fixed, and written on every value.
#[test]
fn a_const_property_is_a_fixed_tag() {
    let item = Item::new(2, "Saw", Some("Sharp".to_owned())).with_price(9.5);
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({"kind": "tool", "id": 2, "name": "Saw", "description": "Sharp", "price": 9.5})
    );
}

/// `anyOf [X, null]` with `default: null` on a request: absent, null and a value are three
/// different bodies.
#[test]
fn optional_nullable_request_fields_distinguish_absent_from_null() {
    let absent = ItemCreate::new("Nail");
    assert_eq!(
        serde_json::to_value(&absent).unwrap(),
        json!({"name": "Nail"})
    );
    let null = ItemCreate::new("Nail")
        .with_price(Nullable::Null)
        .with_currency(ItemCreateCurrency::Eur);
    assert_eq!(
        serde_json::to_value(&null).unwrap(),
        json!({"name": "Nail", "price": null, "currency": "EUR"})
    );
}

/// The 3.1 `webhooks` entry, whose payload tags itself with `const: item-created`.
#[test]
fn the_webhook_event_is_chosen_by_its_const_property() {
    let body = json!({
        "event": "item-created",
        "item": {"id": 3, "name": "Drill", "kind": "tool", "description": null},
    });
    let event = fixture_openapi31::webhooks::WebhookEvent::from_value(body);
    let fixture_openapi31::webhooks::WebhookEvent::ItemCreated(created) = event else {
        panic!("an item-created event: {event:?}")
    };
    assert_eq!(
        created.item.and_then(|item| item.name).as_deref(),
        Some("Drill")
    );
}

/// 3.0 quirks: an `int64` whose spec bounds do not fit 64 bits is a plain `i64`, and a `$ref`
/// into another component's property resolves (to that component when it is a `$ref` itself).
#[test]
fn the_quirks_fixture_decodes() {
    use fixture_quirks30::models::*;
    let counter: Counter = decode(json!({
        "value": i64::MIN,
        "history": [1, 2],
        "last": 2,
        "problem": {"field": "value"},
        "owner": {"name": "Ann"},
    }));
    assert_eq!(counter.value, i64::MIN);
    // `last` refers to `history/items`, an `int64` nested in another property: typed as such.
    assert_eq!(counter.last, Some(2_i64));
    assert_eq!(counter.owner.and_then(|o| o.name).as_deref(), Some("Ann"));
    // `problem` refers into the `Problem` response's schema: a struct of its own.
    assert_eq!(
        counter.problem.and_then(|p| p.field).as_deref(),
        Some("value")
    );
}
