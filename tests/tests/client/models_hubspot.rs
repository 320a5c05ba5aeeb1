//! The HubSpot models (`hubspot_custom_channels::models`) against realistic JSON: every
//! attachment variant, attachment types and enum values this client does not know, unknown
//! fields everywhere, `null` for optional fields, ids beyond 2^53, date-times (their values
//! round-trip exactly, offset included; their text is written the way chrono formats it, so a
//! zero fraction such as `.000Z` comes back as `Z` while `.123Z` and `.500+02:00` are kept), and
//! the three states of the channel PATCH body.

use hubspot_custom_channels::Nullable;
use hubspot_custom_channels::models::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}\n{value:#}"))
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Decodes from text (as the client does), so number handling is the real one.
fn decode_text<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn contact_profile() -> Value {
    json!({
        "addresses": [{"city": "Berlin", "country": "Germany", "countryCode": "DE",
                       "state": "BE", "street": "Unter den Linden 1", "type": "WORK", "zip": "10117"}],
        "emails": [{"email": "ada@example.com", "type": "HOME"}],
        "name": {"firstName": "Ada", "lastName": "Lovelace", "middleName": "King",
                 "prefix": "Dr.", "suffix": "Jr."},
        "org": {"company": "Analytical", "department": "Engines", "title": "Countess"},
        "phones": [{"phone": "+49 30 1234", "type": "CELL"}],
        "urls": [{"type": "WORK", "url": "https://example.com"}]
    })
}

/// A stored message with one attachment of every type HubSpot documents.
fn message_with_every_attachment() -> Value {
    json!({
        "archived": false,
        "attachments": [
            {"type": "FILE", "fileId": "1234", "fileUsageType": "IMAGE",
             "name": "cat.png", "url": "https://cdn.example.com/cat.png"},
            {"type": "LOCATION", "latitude": 52.520008, "longitude": 13.404954,
             "address": "Alexanderplatz", "name": "Berlin", "url": "https://maps.example.com/x"},
            {"type": "CONTACT", "contactProfile": contact_profile()},
            {"type": "UNSUPPORTED_CONTENT"},
            {"type": "MESSAGE_HEADER", "fileId": 9007199254740993_i64, "text": "Header"},
            {"type": "QUICK_REPLIES", "allowMultiSelect": true, "allowUserInput": false,
             "quickReplies": [{"label": "Yes", "value": "yes", "valueType": "TEXT"},
                              {"value": "https://example.com", "valueType": "URL"}]},
            {"type": "WHATSAPP_TEMPLATE_METADATA", "contentId": 77,
             "crmObjectIds": {"contact": 9007199254740993_i64, "deal": 12},
             "mappedTemplateId": 5, "parameters": {"1": "Ada"}, "rootMicId": 8},
            {"type": "SOCIAL_MEDIA_METADATA", "socialMetadata": {
                "description": "A post", "id": "p1", "mediaTitle": "T", "mediaType": "PHOTO",
                "mediaUrl": "https://m.example.com/1", "mediaUrlString": "https://m.example.com/1",
                "thumbnailUrl": "https://m.example.com/t"}}
        ],
        "channelAccountId": "4242",
        "channelId": "1001",
        "client": {"clientType": "INTEGRATION", "integrationAppId": 123456},
        "conversationsThreadId": "777",
        "createdAt": "2023-05-10T14:00:00.123Z",
        "createdBy": "I-123",
        "direction": "INCOMING",
        "id": "m-1",
        "inReplyToId": "m-0",
        "recipients": [{"actorId": "A-1", "deliveryIdentifier": {"type": "HS_PHONE_NUMBER", "value": "+1555"},
                        "name": "Agent", "recipientField": "TO"}],
        "richText": "<p>Hello</p>",
        "senders": [{"actorId": "V-2", "deliveryIdentifier": {"type": "CHANNEL_SPECIFIC_OPAQUE_ID", "value": "u-9"},
                     "name": "Visitor", "senderField": "FROM"}],
        "status": {"statusType": "FAILED", "failureDetails": {"errorMessage": "No route",
                   "errorMessageTokens": {"reason": "routing"}}},
        "subject": "Hi",
        "text": "Hello",
        "truncationStatus": "NOT_TRUNCATED",
        "type": "MESSAGE",
        "updatedAt": "2023-05-10T16:00:00.500+02:00"
    })
}

#[test]
fn a_message_with_every_attachment_type_decodes_and_reencodes_unchanged() {
    let json = message_with_every_attachment();
    let m: PublicConversationsMessage = decode_text(&json.to_string());
    let tags: Vec<Option<&str>> = m.attachments.iter().map(PublicAttachment::tag).collect();
    assert_eq!(
        tags,
        [
            Some("FILE"),
            Some("LOCATION"),
            Some("CONTACT"),
            Some("UNSUPPORTED_CONTENT"),
            Some("MESSAGE_HEADER"),
            Some("QUICK_REPLIES"),
            Some("WHATSAPP_TEMPLATE_METADATA"),
            Some("SOCIAL_MEDIA_METADATA"),
        ]
    );
    let [
        PublicAttachment::File(file),
        PublicAttachment::Location(location),
        PublicAttachment::Contact(contact),
        PublicAttachment::UnsupportedContent(_),
        PublicAttachment::MessageHeader(header),
        PublicAttachment::QuickReplies(quick),
        PublicAttachment::WhatsappTemplateMetadata(whatsapp),
        PublicAttachment::SocialMediaMetadata(social),
    ] = m.attachments.as_slice()
    else {
        panic!("variants out of order: {:#?}", m.attachments)
    };
    assert_eq!(file.file_usage_type, FileUsageType::Image);
    assert_eq!(location.latitude, 52.520008);
    assert_eq!(
        contact.contact_profile.phones[0].r#type,
        Some(ContactPhoneType::Cell)
    );
    assert_eq!(header.file_id, Some(9_007_199_254_740_993));
    assert_eq!(quick.quick_replies[1].value_type, ValueType::Url);
    assert_eq!(
        whatsapp.crm_object_ids["contact"], 9_007_199_254_740_993,
        "ids beyond 2^53 are exact"
    );
    assert_eq!(social.social_metadata.media_type, MediaType::Photo);
    assert_eq!(m.client.client_type, ClientType::Integration);
    assert_eq!(m.truncation_status, TruncationStatus::NotTruncated);
    assert_eq!(m.created_at.timestamp_millis(), 1_683_727_200_123);

    // Written back: the same document, including the `type` constant and both date-times
    // byte for byte.
    let out = encode(&m);
    assert_eq!(out, json);
    let text = serde_json::to_string(&m).unwrap();
    assert!(
        text.contains(r#""createdAt":"2023-05-10T14:00:00.123Z""#),
        "{text}"
    );
    assert!(
        text.contains(r#""updatedAt":"2023-05-10T16:00:00.500+02:00""#),
        "{text}"
    );
    assert!(text.contains("9007199254740993"), "{text}");
}

#[test]
fn an_unknown_attachment_type_is_kept_raw_and_reencodes_unchanged() {
    let voice = json!({
        "type": "VOICE_NOTE",
        "durationMs": 1200,
        "transcript": {"text": "hi", "confidence": 0.98, "words": [null, 1, "two"]},
        "fileId": 9007199254740993_i64
    });
    let mut json = message_with_every_attachment();
    json["attachments"] = json!([voice.clone(), {"no": "tag"}]);
    let m: PublicConversationsMessage = decode_text(&json.to_string());
    assert_eq!(m.attachments[0], PublicAttachment::Unknown(voice.clone()));
    assert_eq!(m.attachments[0].tag(), Some("VOICE_NOTE"));
    assert_eq!(m.attachments[1].tag(), None);
    assert_eq!(encode(&m)["attachments"], json!([voice, {"no": "tag"}]));
    let text = serde_json::to_string(&m.attachments[0]).unwrap();
    assert!(text.contains("9007199254740993"), "{text}");
}

#[test]
fn unknown_enum_values_in_every_enum_field_are_kept() {
    let mut json = message_with_every_attachment();
    json["direction"] = json!("SIDEWAYS");
    json["truncationStatus"] = json!("TRUNCATED_BY_AI");
    json["client"]["clientType"] = json!("ROBOT");
    json["status"]["statusType"] = json!("BOUNCED");
    json["senders"][0]["deliveryIdentifier"]["type"] = json!("HS_FAX_NUMBER");
    json["recipients"][0]["deliveryIdentifier"]["type"] = json!("HS_PAGER");
    let attachments = json["attachments"].as_array_mut().unwrap();
    attachments[0]["fileUsageType"] = json!("HOLOGRAM");
    let profile = &mut attachments[2]["contactProfile"];
    profile["addresses"][0]["type"] = json!("VACATION");
    profile["emails"][0]["type"] = json!("OTHER");
    profile["phones"][0]["type"] = json!("PAGER");
    profile["urls"][0]["type"] = json!("BLOG");
    attachments[5]["quickReplies"][0]["valueType"] = json!("PHONE_NUMBER");
    attachments[7]["socialMetadata"]["mediaType"] = json!("REEL");

    let m: PublicConversationsMessage = decode_text(&json.to_string());
    assert_eq!(m.direction, MessageDirection::Unknown("SIDEWAYS".into()));
    assert_eq!(m.truncation_status.as_str(), "TRUNCATED_BY_AI");
    assert!(m.truncation_status.is_unknown());
    assert!(m.client.client_type.is_unknown());
    assert_eq!(
        m.status.as_ref().map(|s| s.status_type.to_string()),
        Some("BOUNCED".to_owned())
    );
    assert_eq!(
        m.senders[0].delivery_identifier.as_ref().map(|d| &d.r#type),
        Some(&DeliveryIdentifierType::Unknown("HS_FAX_NUMBER".into()))
    );
    assert!(m.recipients[0].delivery_identifier.r#type.is_unknown());
    let PublicAttachment::File(file) = &m.attachments[0] else {
        panic!()
    };
    assert!(file.file_usage_type.is_unknown());
    let PublicAttachment::Contact(contact) = &m.attachments[2] else {
        panic!()
    };
    let p = &contact.contact_profile;
    for t in [
        p.addresses[0].r#type.as_ref(),
        p.emails[0].r#type.as_ref(),
        p.urls[0].r#type.as_ref(),
    ] {
        assert!(t.is_some_and(ContactAddressType::is_unknown), "{t:?}");
    }
    assert_eq!(
        p.phones[0].r#type,
        Some(ContactPhoneType::Unknown("PAGER".into()))
    );
    let PublicAttachment::QuickReplies(q) = &m.attachments[5] else {
        panic!()
    };
    assert!(q.quick_replies[0].value_type.is_unknown());
    let PublicAttachment::SocialMediaMetadata(s) = &m.attachments[7] else {
        panic!()
    };
    assert_eq!(s.social_metadata.media_type.as_str(), "REEL");
    assert_eq!(
        encode(&m),
        json,
        "unknown values are written back as they came"
    );
}

/// Typed maps (`additionalProperties` with a schema): their entries are data, not fields.
const MAPS: &[&str] = &["crmObjectIds", "parameters", "errorMessageTokens"];

/// Adds `"addedByHubSpotLater": {...}` to every object in `value` but the typed maps.
fn add_unknown_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if !MAPS.contains(&k.as_str()) {
                    add_unknown_fields(v);
                }
            }
            map.insert(
                "addedByHubSpotLater".to_owned(),
                json!({"nested": [1, {"deep": null}], "n": 9007199254740993_i64}),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(add_unknown_fields),
        _ => {}
    }
}

#[test]
fn unknown_fields_everywhere_are_ignored() {
    let mut json = message_with_every_attachment();
    let known: PublicConversationsMessage = decode(&json);
    add_unknown_fields(&mut json);
    assert!(json["attachments"][2]["contactProfile"]["name"]["addedByHubSpotLater"].is_object());
    let m: PublicConversationsMessage = decode_text(&json.to_string());
    assert_eq!(m, known, "nothing but the unknown fields differs");

    let account = json!({
        "active": true, "archived": false, "authorized": true, "channelId": "1001",
        "createdAt": "2024-01-01T00:00:00Z", "id": "1", "inboxId": "2", "name": "Support",
        "deliveryIdentifier": {"type": "HS_EMAIL_ADDRESS", "value": "a@b.c", "verified": true},
        "someNewFlag": true
    });
    let a: PublicChannelAccount = decode(&account);
    assert_eq!(a.name, "Support");
    assert_eq!(
        a.delivery_identifier.map(|d| d.r#type),
        Some(DeliveryIdentifierType::HsEmailAddress)
    );
}

#[test]
fn null_where_a_field_is_optional_reads_as_none() {
    let mut json = message_with_every_attachment();
    for key in ["inReplyToId", "richText", "status", "subject", "updatedAt"] {
        json[key] = Value::Null;
    }
    json["client"]["integrationAppId"] = Value::Null;
    json["senders"][0] =
        json!({"actorId": null, "deliveryIdentifier": null, "name": null, "senderField": null});
    json["recipients"][0]["name"] = Value::Null;
    let attachments = json["attachments"].as_array_mut().unwrap();
    attachments[0]["name"] = Value::Null;
    attachments[1]["address"] = Value::Null;
    attachments[2]["contactProfile"]["name"] = Value::Null;
    attachments[2]["contactProfile"]["addresses"][0]["type"] = Value::Null;
    attachments[4]["fileId"] = Value::Null;
    attachments[6]["rootMicId"] = Value::Null;
    attachments[7]["socialMetadata"]["thumbnailUrl"] = Value::Null;

    let m: PublicConversationsMessage = decode_text(&json.to_string());
    assert_eq!(m.in_reply_to_id, None);
    assert_eq!(m.status, None);
    assert_eq!(m.updated_at, None);
    assert_eq!(m.client.integration_app_id, None);
    assert_eq!(m.senders[0], PublicSender::new());
    assert!(matches!(&m.attachments[4], PublicAttachment::MessageHeader(h) if h.file_id.is_none()));
    // Written back, the nulls are simply left out.
    let out = encode(&m);
    assert!(out.get("status").is_none());
    assert_eq!(out["senders"][0], json!({}));

    // `null` for a required field is still an error: the spec promises a value.
    let mut bad = message_with_every_attachment();
    bad["text"] = Value::Null;
    assert!(serde_json::from_value::<PublicConversationsMessage>(bad).is_err());
}

#[test]
fn ids_beyond_2_pow_53_are_exact_both_ways() {
    let text = r#"{
        "attachments": [],
        "channelAccountId": "1",
        "messageDirection": "OUTGOING",
        "recipients": [],
        "senders": [],
        "text": "hi",
        "timestamp": "2023-05-10T14:00:00.123Z",
        "associateWithContactId": 9007199254740993,
        "preResolvedContacts": {"contacts": [
            {"contactVid": 9007199254740993, "contactPropertiesLeadingToMatch": ["email"]},
            {"contactVid": 9223372036854775807, "contactPropertiesLeadingToMatch": []}
        ]}
    }"#;
    let egg: ChannelIntegrationMessageEgg = decode_text(text);
    assert_eq!(egg.associate_with_contact_id, Some(9_007_199_254_740_993));
    let contacts = &egg.pre_resolved_contacts.as_ref().unwrap().contacts;
    assert_eq!(contacts[0].contact_vid, 9_007_199_254_740_993);
    assert_eq!(contacts[1].contact_vid, i64::MAX);
    let out = serde_json::to_string(&egg).unwrap();
    assert!(
        out.contains(r#""associateWithContactId":9007199254740993"#),
        "{out}"
    );
    assert!(out.contains(r#""contactVid":9007199254740993"#), "{out}");
    assert!(out.contains(r#""contactVid":9223372036854775807"#), "{out}");
    let again: ChannelIntegrationMessageEgg = decode_text(&out);
    assert_eq!(again, egg);
}

#[test]
fn a_publish_body_writes_every_attachment_with_its_tag() {
    let at = chrono::DateTime::parse_from_rfc3339("2023-05-10T14:00:00.123Z").unwrap();
    let participant = || {
        ChannelIntegrationParticipant::new(PublicDeliveryIdentifier::new(
            DeliveryIdentifierType::HsPhoneNumber,
            "+1555",
        ))
    };
    let attachments = vec![
        ChannelIntegrationAttachment::from(
            FileAttachment::new("f1").with_file_usage_type(FileUsageType::Sticker),
        ),
        LocationAttachment::new(1.5, -2.25).with_name("Here").into(),
        ContactAttachment::new(ContactProfile::new(vec![], vec![], vec![], vec![])).into(),
        UnsupportedContentAttachment::new().into(),
        MessageHeaderAttachment::new()
            .with_file_id(9_007_199_254_740_993)
            .into(),
        QuickRepliesAttachment::new(vec![QuickReply::new("y", ValueType::Text)]).into(),
        SocialMetadataIntegrationAttachment::new(SocialMetadata::new(MediaType::Video)).into(),
    ];
    let egg = ChannelIntegrationMessageEgg::new(
        attachments,
        "4242",
        MessageDirection::Outgoing,
        vec![participant()],
        vec![participant().with_name("Bot")],
        "Hello",
        at,
    )
    .with_integration_idempotency_id("idem-1")
    .with_associate_with_contact_id(9_007_199_254_740_993);
    let json = encode(&egg);
    assert_eq!(
        json["attachments"],
        json!([
            {"type": "FILE", "fileId": "f1", "fileUsageType": "STICKER"},
            {"type": "LOCATION", "latitude": 1.5, "longitude": -2.25, "name": "Here"},
            {"type": "CONTACT", "contactProfile": {"addresses": [], "emails": [], "phones": [], "urls": []}},
            {"type": "UNSUPPORTED_CONTENT"},
            {"type": "MESSAGE_HEADER", "fileId": 9007199254740993_i64},
            {"type": "QUICK_REPLIES", "quickReplies": [{"value": "y", "valueType": "TEXT"}]},
            {"type": "SOCIAL_MEDIA_METADATA", "socialMetadata": {"mediaType": "VIDEO"}}
        ])
    );
    assert_eq!(json["timestamp"], "2023-05-10T14:00:00.123Z");
    assert_eq!(json["messageDirection"], "OUTGOING");
    assert_eq!(json["senders"][0]["name"], "Bot");
    assert!(
        json.get("richText").is_none(),
        "unset optionals are left out"
    );
    let back: ChannelIntegrationMessageEgg = decode(&json);
    assert_eq!(back, egg);
    // Each attachment struct writes its tag even on its own.
    assert_eq!(
        encode(&UnsupportedContentAttachment::new()),
        json!({"type": "UNSUPPORTED_CONTENT"})
    );
}

#[test]
fn the_channel_patch_body_writes_absent_null_and_value_apart() {
    assert_eq!(
        encode(&PublicChannelIntegrationChannelPatch::new()),
        json!({})
    );
    let patch = PublicChannelIntegrationChannelPatch::new()
        .with_name("New name".to_owned())
        .with_channel_description(Nullable::Null)
        .with_channel_logo_url(Nullable::Null)
        .with_webhook_url("https://hooks.example.com/x".to_owned());
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"channelDescription":null,"channelLogoUrl":null,"name":"New name","webhookUrl":"https://hooks.example.com/x"}"#
    );
    assert!(patch.channel_account_connection_redirect_url.is_absent());
    let back: PublicChannelIntegrationChannelPatch = decode(&encode(&patch));
    assert_eq!(back, patch);
    let with_caps = PublicChannelIntegrationChannelPatch::new().with_capabilities(
        ChannelCapabilities::new()
            .with_delivery_identifier_types(vec![DeliveryIdentifierType::HsPhoneNumber]),
    );
    assert_eq!(
        encode(&with_caps),
        json!({"capabilities": {"deliveryIdentifierTypes": ["HS_PHONE_NUMBER"]}})
    );
    // Reading: absent, null and a value are three different things.
    let read: PublicChannelIntegrationChannelPatch =
        decode(&json!({"name": null, "webhookUrl": "https://w"}));
    assert_eq!(read.name, Nullable::Null);
    assert_eq!(read.webhook_url, Nullable::Value("https://w".to_owned()));
    assert_eq!(read.channel_description, Nullable::Absent);
}

#[test]
fn channels_keep_unknown_capabilities() {
    let json = json!({
        "capabilities": {
            "deliveryIdentifierTypes": ["HS_PHONE_NUMBER"], "threadingModel": "INTEGRATION_THREAD_ID",
            "allowInlineImages": true, "maxFileAttachmentCount": 10,
            "someCapabilityFrom2027": {"nested": [1, 2]}
        },
        "createdAt": "2024-03-01T09:30:00.000Z",
        "id": "1001",
        "name": "Carrier pigeon",
        "webhookUrl": "https://hooks.example.com/pigeon"
    });
    let c: PublicChannelIntegrationChannel = decode(&json);
    let caps = &c.capabilities;
    assert_eq!(
        caps.delivery_identifier_types,
        Some(vec![DeliveryIdentifierType::HsPhoneNumber])
    );
    assert_eq!(
        caps.threading_model,
        Some(ThreadingModel::IntegrationThreadId)
    );
    assert_eq!(caps.allow_inline_images, Some(true));
    assert_eq!(caps.max_file_attachment_count, Some(10));
    assert_eq!(caps.allow_outgoing_messages, None);
    assert_eq!(
        caps.additional_properties["someCapabilityFrom2027"],
        json!({"nested": [1, 2]})
    );
    assert_eq!(caps.additional_properties.len(), 1, "known keys are typed");
    let out = encode(&c);
    assert_eq!(out["capabilities"], json["capabilities"]);
    assert_eq!(out["createdAt"], "2024-03-01T09:30:00Z");
    let back: PublicChannelIntegrationChannel = decode(&out);
    assert_eq!(back, c);
}

#[test]
fn error_bodies_decode_leniently() {
    // A 429 body: no `category`, no `correlationId` in UUID form.
    let rate_limited = json!({
        "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT", "correlationId": "not-a-uuid",
        "policyName": "TEN_SECONDLY_ROLLING", "somethingNew": 1
    });
    let e: Error = decode(&rate_limited);
    assert_eq!(e.policy_name.as_deref(), Some("TEN_SECONDLY_ROLLING"));
    assert_eq!(e.category, None);
    let full = json!({
        "category": "VALIDATION_ERROR",
        "correlationId": "6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10",
        "message": "Invalid input",
        "context": {"field": ["name"]},
        "links": {"docs": "https://developers.hubspot.com"},
        "subCategory": "CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES",
        "errors": [{"message": "bad", "in": "name", "code": "INVALID", "context": {"x": ["y"]}}]
    });
    let e: Error = decode(&full);
    assert_eq!(
        e.errors.as_ref().map(|v| v[0].r#in.as_deref()),
        Some(Some("name"))
    );
    assert_eq!(encode(&e), full);
    let empty: Error = decode(&json!({}));
    assert_eq!(empty, Error::new());
}
