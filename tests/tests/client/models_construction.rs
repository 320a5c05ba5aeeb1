//! Building models by name (`X::builder()`: a required field left out, set twice or swapped
//! does not compile: see the `compile_fail` doctests in `tests/readme/lib.rs`) and ids that
//! HubSpot writes as numbers or strings (`NumberOrStringId`).

use hubspot_custom_channels::models::{
    ChannelIntegrationMessageEgg, ChannelIntegrationParticipant, DeliveryIdentifierType,
    MessageDirection, NumberOrStringId, PublicChannelAccountEgg, PublicDeliveryIdentifier,
};
use hubspot_custom_channels::runtime::NotAnInteger;
use serde_json::json;

fn participant(number: &str) -> ChannelIntegrationParticipant {
    ChannelIntegrationParticipant::new(PublicDeliveryIdentifier::new(
        DeliveryIdentifierType::HsPhoneNumber,
        number,
    ))
}

#[test]
fn a_builder_sets_required_fields_by_name_in_any_order() {
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").unwrap();
    let built = ChannelIntegrationMessageEgg::builder()
        .text("Hello")
        .timestamp(at)
        .senders(vec![participant("+15557654321")])
        .recipients(vec![participant("+15551234567")])
        .message_direction(MessageDirection::Incoming)
        .channel_account_id("4242")
        .attachments(vec![])
        .build()
        .with_integration_thread_id("thread-1");
    let positional = ChannelIntegrationMessageEgg::new(
        vec![],
        "4242",
        MessageDirection::Incoming,
        vec![participant("+15551234567")],
        vec![participant("+15557654321")],
        "Hello",
        at,
    )
    .with_integration_thread_id("thread-1");
    assert_eq!(built, positional);
    let json = serde_json::to_value(&built).unwrap();
    assert_eq!(
        json["senders"][0]["deliveryIdentifier"]["value"],
        "+15557654321"
    );
    assert_eq!(
        json["recipients"][0]["deliveryIdentifier"]["value"],
        "+15551234567"
    );
    assert_eq!(json["integrationThreadId"], "thread-1");

    // A builder can be kept half-set and finished twice in different ways.
    let half = PublicChannelAccountEgg::builder()
        .inbox_id("3003")
        .authorized(true);
    let a = half.clone().name("Support line").build();
    let b = half.name("Sales line").build();
    assert_eq!(
        (a.inbox_id.as_str(), a.name.as_str()),
        ("3003", "Support line")
    );
    assert_eq!(b.name, "Sales line");
}

#[test]
fn number_or_string_ids_meet_integers_and_text() {
    let number: NumberOrStringId = serde_json::from_value(json!(1001)).unwrap();
    let text: NumberOrStringId = serde_json::from_value(json!("1001")).unwrap();
    assert_ne!(number, text, "the two forms stay what was received");
    assert_eq!((number.as_i64(), text.as_i64()), (Some(1001), Some(1001)));
    assert!(number == 1001_i64 && text == 1001_i64 && text == 1001_i32);
    assert!(number == "1001" && text == "1001" && number != "1002");
    // As the API's bodies carry the same id: a string.
    let body_id: String = serde_json::from_value(json!("1001")).unwrap();
    assert!(number == body_id);
    assert_eq!(
        (number.to_string(), text.to_string()),
        ("1001".into(), "1001".into())
    );
    assert_eq!(i32::try_from(&text), Ok(1001));
    assert_eq!(i64::try_from(&number), Ok(1001));

    let opaque = NumberOrStringId::from("acct-7");
    assert_eq!(opaque.as_i64(), None);
    assert!(opaque == "acct-7" && opaque != 7_i64);
    let error: NotAnInteger = i64::try_from(&opaque).unwrap_err();
    assert_eq!(error.value(), "acct-7");
    assert!(error.to_string().contains("acct-7"), "{error}");
    let too_big = NumberOrStringId::from(i64::MAX);
    assert!(i32::try_from(&too_big).is_err());
    assert_eq!(i64::try_from(&too_big), Ok(i64::MAX));
}
