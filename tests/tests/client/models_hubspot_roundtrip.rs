//! Property tests over the HubSpot models: for arbitrary values of the main models (every
//! attachment variant, unknown attachments, unknown enum values, all three states of each PATCH
//! field), serialising and deserialising gives the value back, and decoding JSON that carries
//! unknown fields, then encoding and decoding again, is stable.

use chrono::{DateTime, FixedOffset};
use hubspot_custom_channels::Nullable;
use hubspot_custom_channels::models::*;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Debug;

const CASES: u32 = 96;

// ------------------------------------------------------------------------------ building blocks

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _.-]{0,12}",
        "\\PC{0,8}",
        Just(String::new()),
        Just("\"quoted\\\\ \u{2028} \u{1F600}".to_owned()),
    ]
}

fn id() -> impl Strategy<Value = String> {
    "[0-9]{1,19}"
}

/// Finite floats (JSON has no NaN or infinity), from tidy coordinates to extreme exponents.
fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        -180.0..180.0_f64,
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        Just(-0.0),
    ]
}

/// Any 64-bit id, with the ones JavaScript cannot hold well represented.
fn int64() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        (1_i64 << 53)..(1_i64 << 53) + 16,
        Just(i64::MAX),
        Just(i64::MIN),
    ]
}

fn date_time() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (
        -30_000_000_000_i64..250_000_000_000,
        prop_oneof![
            Just(0_u32),
            (0_u32..1000).prop_map(|ms| ms * 1_000_000),
            0_u32..1_000_000_000
        ],
        prop_oneof![Just(0), -(23 * 60 + 59)..(23 * 60 + 59)],
    )
        .prop_map(|(secs, nanos, offset_minutes)| {
            let offset = FixedOffset::east_opt(offset_minutes * 60).expect("in range");
            DateTime::from_timestamp(secs, nanos)
                .expect("in range")
                .with_timezone(&offset)
        })
}

/// A value of an open enum: usually a known one, sometimes one this client has never heard of.
fn open_enum<E: From<String> + Debug + Clone>(
    known: &'static [&'static str],
) -> impl Strategy<Value = E> {
    prop_oneof![
        3 => select(known).prop_map(|s| E::from(s.to_owned())),
        1 => "[A-Z_]{1,16}".prop_map(E::from),
    ]
}

fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        int64().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        float().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map("[a-zA-Z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn string_map() -> impl Strategy<Value = BTreeMap<String, String>> {
    btree_map(text(), text(), 0..3)
}

fn nullable<T: Debug + Clone + 'static>(
    value: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Nullable<T>> {
    prop_oneof![
        Just(Nullable::Absent),
        Just(Nullable::Null),
        value.prop_map(Nullable::Value),
    ]
}

/// An attachment object whose `type` no version of this client knows.
fn unknown_attachment() -> BoxedStrategy<Value> {
    (
        "X_[A-Z_]{1,12}",
        btree_map("[a-z]{1,8}", json_value(), 0..4),
    )
        .prop_map(|(tag, fields)| {
            let mut object: serde_json::Map<String, Value> = fields.into_iter().collect();
            object.insert("type".to_owned(), Value::from(tag));
            Value::Object(object)
        })
        .boxed()
}

// --------------------------------------------------------------------------- shared models

fn delivery_identifier() -> BoxedStrategy<PublicDeliveryIdentifier> {
    (open_enum(DeliveryIdentifierType::KNOWN_VALUES), text())
        .prop_map(|(t, v)| PublicDeliveryIdentifier::new(t, v))
        .boxed()
}

fn quick_reply() -> BoxedStrategy<QuickReply> {
    (
        text(),
        open_enum(ValueType::KNOWN_VALUES),
        option::of(text()),
    )
        .prop_map(|(value, value_type, label)| {
            let mut q = QuickReply::new(value, value_type);
            q.label = label;
            q
        })
        .boxed()
}

fn social_metadata() -> BoxedStrategy<SocialMetadata> {
    (
        open_enum(MediaType::KNOWN_VALUES),
        option::of(text()),
        option::of(text()),
        option::of(text()),
        option::of(text()),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(media_type, a, b, c, d, e, f)| {
            let mut s = SocialMetadata::new(media_type);
            s.description = a;
            s.id = b;
            s.media_title = c;
            s.media_url = d;
            s.media_url_string = e;
            s.thumbnail_url = f;
            s
        })
        .boxed()
}

fn contact_profile() -> BoxedStrategy<ContactProfile> {
    let address_type = || {
        option::of(open_enum::<ContactAddressType>(
            ContactAddressType::KNOWN_VALUES,
        ))
    };
    let address = (
        option::of(text()),
        option::of(text()),
        option::of(text()),
        address_type(),
    )
        .prop_map(|(city, street, zip, t)| {
            let mut a = ContactAddress::new();
            a.city = city;
            a.street = street;
            a.zip = zip;
            a.r#type = t;
            a
        });
    let email = (text(), address_type()).prop_map(|(e, t)| {
        let mut c = ContactEmail::new(e);
        c.r#type = t;
        c
    });
    let phone = (
        text(),
        option::of(open_enum::<ContactPhoneType>(
            ContactPhoneType::KNOWN_VALUES,
        )),
    )
        .prop_map(|(p, t)| {
            let mut c = ContactPhone::new(p);
            c.r#type = t;
            c
        });
    let url = (text(), address_type()).prop_map(|(u, t)| {
        let mut c = ContactUrl::new(u);
        c.r#type = t;
        c
    });
    let name = option::of((option::of(text()), option::of(text())).prop_map(|(f, l)| {
        let mut n = ContactName::new();
        n.first_name = f;
        n.last_name = l;
        n
    }));
    let org = option::of(option::of(text()).prop_map(|c| {
        let mut o = ContactOrg::new();
        o.company = c;
        o
    }));
    (
        vec(address, 0..2),
        vec(email, 0..2),
        vec(phone, 0..2),
        vec(url, 0..2),
        name,
        org,
    )
        .prop_map(|(addresses, emails, phones, urls, name, org)| {
            let mut p = ContactProfile::new(addresses, emails, phones, urls);
            p.name = name;
            p.org = org;
            p
        })
        .boxed()
}

// ------------------------------------------------------------------- publish body (request)

fn integration_attachment() -> BoxedStrategy<ChannelIntegrationAttachment> {
    prop_oneof![
        (
            text(),
            option::of(open_enum::<FileUsageType>(FileUsageType::KNOWN_VALUES))
        )
            .prop_map(|(id, usage)| {
                let mut f = FileAttachment::new(id);
                f.file_usage_type = usage;
                f.into()
            }),
        (float(), float(), option::of(text()), option::of(text())).prop_map(
            |(lat, lon, name, address)| {
                let mut l = LocationAttachment::new(lat, lon);
                l.name = name;
                l.address = address;
                l.into()
            }
        ),
        contact_profile().prop_map(|p| ContactAttachment::new(p).into()),
        Just(UnsupportedContentAttachment::new().into()),
        (option::of(int64()), option::of(text())).prop_map(|(file_id, text)| {
            let mut h = MessageHeaderAttachment::new();
            h.file_id = file_id;
            h.text = text;
            h.into()
        }),
        vec(quick_reply(), 0..3).prop_map(|q| QuickRepliesAttachment::new(q).into()),
        social_metadata().prop_map(|s| SocialMetadataIntegrationAttachment::new(s).into()),
        unknown_attachment().prop_map(ChannelIntegrationAttachment::Unknown),
    ]
    .boxed()
}

fn participant() -> BoxedStrategy<ChannelIntegrationParticipant> {
    (
        delivery_identifier(),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(d, name, actor)| {
            let mut p = ChannelIntegrationParticipant::new(d);
            p.name = name;
            p.sender_actor_id = actor;
            p
        })
        .boxed()
}

fn message_egg() -> BoxedStrategy<ChannelIntegrationMessageEgg> {
    (
        vec(integration_attachment(), 0..4),
        id(),
        open_enum::<MessageDirection>(MessageDirection::KNOWN_VALUES),
        vec(participant(), 0..3),
        vec(participant(), 0..3),
        text(),
        date_time(),
        (
            option::of(int64()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(vec((vec(text(), 0..3), int64()), 0..3)),
        ),
    )
        .prop_map(
            |(attachments, account, direction, recipients, senders, body, at, optional)| {
                let (contact, reply_to, idem, thread, rich, pre_resolved) = optional;
                let mut egg = ChannelIntegrationMessageEgg::new(
                    attachments,
                    account,
                    direction,
                    recipients,
                    senders,
                    body,
                    at,
                );
                egg.associate_with_contact_id = contact;
                egg.in_reply_to_id = reply_to;
                egg.integration_idempotency_id = idem;
                egg.integration_thread_id = thread;
                egg.rich_text = rich;
                egg.pre_resolved_contacts = pre_resolved.map(|contacts| {
                    PreResolvedContacts::new(
                        contacts
                            .into_iter()
                            .map(|(props, vid)| PreResolvedContact::new(props, vid))
                            .collect(),
                    )
                });
                egg
            },
        )
        .boxed()
}

// ----------------------------------------------------------------- stored message (response)

fn public_attachment() -> BoxedStrategy<PublicAttachment> {
    let usage = || open_enum::<FileUsageType>(FileUsageType::KNOWN_VALUES);
    prop_oneof![
        (text(), usage(), option::of(text()), option::of(text())).prop_map(
            |(id, usage, name, url)| {
                let mut f = PublicFile::new(id, usage);
                f.name = name;
                f.url = url;
                f.into()
            }
        ),
        (float(), float(), option::of(text())).prop_map(|(lat, lon, url)| {
            let mut l = PublicLocation::new(lat, lon);
            l.url = url;
            l.into()
        }),
        contact_profile().prop_map(|p| PublicContact::new(p).into()),
        Just(PublicUnsupportedContent::new().into()),
        (option::of(int64()), option::of(text())).prop_map(|(file_id, text)| {
            let mut h = PublicMessageHeader::new();
            h.file_id = file_id;
            h.text = text;
            h.into()
        }),
        (any::<bool>(), any::<bool>(), vec(quick_reply(), 0..3))
            .prop_map(|(multi, input, q)| PublicQuickReplies::new(multi, input, q).into()),
        (
            btree_map(text(), int64(), 0..3),
            string_map(),
            option::of(int64()),
            option::of(int64()),
            option::of(int64())
        )
            .prop_map(|(ids, params, content, mapped, root)| {
                let mut w = PublicWhatsAppTemplateMetadata::new(ids, params);
                w.content_id = content;
                w.mapped_template_id = mapped;
                w.root_mic_id = root;
                w.into()
            }),
        social_metadata().prop_map(|s| PublicSocialMetadataAttachment::new(s).into()),
        unknown_attachment().prop_map(PublicAttachment::Unknown),
    ]
    .boxed()
}

fn conversations_message() -> BoxedStrategy<PublicConversationsMessage> {
    let client = (
        open_enum::<ClientType>(ClientType::KNOWN_VALUES),
        option::of(any::<i32>()),
    )
        .prop_map(|(t, app)| {
            let mut c = PublicClient::new(t);
            c.integration_app_id = app;
            c
        });
    let status = (
        open_enum::<PublicMessageStatusStatusType>(PublicMessageStatusStatusType::KNOWN_VALUES),
        option::of((string_map(), option::of(text()))),
    )
        .prop_map(|(t, failure)| {
            let mut s = PublicMessageStatus::new(t);
            s.failure_details = failure.map(|(tokens, message)| {
                let mut f = PublicMessageFailureDetails::new(tokens);
                f.error_message = message;
                f
            });
            s
        });
    let recipient = (
        delivery_identifier(),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(d, actor, field)| {
            let mut r = PublicRecipient::new(d);
            r.actor_id = actor;
            r.recipient_field = field;
            r
        });
    let sender = (option::of(delivery_identifier()), option::of(text())).prop_map(|(d, name)| {
        let mut s = PublicSender::new();
        s.delivery_identifier = d;
        s.name = name;
        s
    });
    (
        (
            any::<bool>(),
            vec(public_attachment(), 0..4),
            id(),
            id(),
            client,
            id(),
        ),
        (
            date_time(),
            text(),
            id(),
            vec(recipient, 0..3),
            vec(sender, 0..3),
            text(),
        ),
        (
            open_enum::<MessageDirection>(MessageDirection::KNOWN_VALUES),
            open_enum::<TruncationStatus>(TruncationStatus::KNOWN_VALUES),
            option::of(status),
            option::of(text()),
            option::of(text()),
            option::of(date_time()),
        ),
    )
        .prop_map(|(a, b, c)| {
            let (archived, attachments, account, channel, client, thread) = a;
            let (created_at, created_by, id, recipients, senders, body) = b;
            let (direction, truncation, status, subject, rich, updated) = c;
            let mut m = PublicConversationsMessage::new(
                archived,
                attachments,
                account,
                channel,
                client,
                thread,
                created_at,
                created_by,
                direction,
                id,
                recipients,
                senders,
                body,
                truncation,
            );
            m.status = status;
            m.subject = subject;
            m.rich_text = rich;
            m.updated_at = updated;
            m
        })
        .boxed()
}

// ---------------------------------------------------------------------- channels and accounts

/// Capabilities with every known key set or not (enum values known or not) and keys HubSpot
/// may add later (prefixed, so that none collides with a known key).
fn capabilities() -> BoxedStrategy<ChannelCapabilities> {
    let delivery_type = prop_oneof![
        Just(DeliveryIdentifierType::HsPhoneNumber),
        Just(DeliveryIdentifierType::ChannelSpecificOpaqueId),
        "unknown-[a-z]{1,5}".prop_map(DeliveryIdentifierType::Unknown),
    ];
    let threading = prop_oneof![
        Just(ThreadingModel::IntegrationThreadId),
        Just(ThreadingModel::DeliveryIdentifier),
        "unknown-[a-z]{1,5}".prop_map(ThreadingModel::Unknown),
    ];
    let rich_text = prop_oneof![
        Just(RichText::Hyperlink),
        Just(RichText::Lists),
        "unknown-[a-z]{1,5}".prop_map(RichText::Unknown),
    ];
    (
        (
            option::of(vec(delivery_type, 0..3)),
            option::of(threading),
            option::of(vec(rich_text, 0..3)),
        ),
        (
            option::of(any::<bool>()),
            option::of(any::<bool>()),
            option::of(any::<bool>()),
            option::of(any::<bool>()),
        ),
        (option::of(vec(text(), 0..3)), option::of(vec(text(), 0..3))),
        (
            option::of(any::<i64>()),
            option::of(any::<i64>()),
            option::of(any::<i64>()),
        ),
        btree_map("x-[a-zA-Z]{1,6}", json_value(), 0..3),
    )
        .prop_map(
            |(
                (types, threading, rich),
                (inline, outgoing, start, multiple),
                (attachments, mimes),
                (count, size, total),
                extra,
            )| {
                let mut c = ChannelCapabilities::new();
                c.delivery_identifier_types = types;
                c.threading_model = threading;
                c.rich_text = rich;
                c.allow_inline_images = inline;
                c.allow_outgoing_messages = outgoing;
                c.allow_conversation_start = start;
                c.allow_multiple_recipients = multiple;
                c.outgoing_attachment_types = attachments;
                c.allowed_file_attachment_mime_types = mimes;
                c.max_file_attachment_count = count;
                c.max_file_attachment_size_bytes = size;
                c.max_total_file_attachment_size_bytes = total;
                c.additional_properties = extra;
                c
            },
        )
        .boxed()
}

fn channel() -> BoxedStrategy<PublicChannelIntegrationChannel> {
    (
        capabilities(),
        date_time(),
        id(),
        text(),
        (
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
        ),
    )
        .prop_map(
            |(caps, at, id, name, (redirect, description, logo, webhook))| {
                let mut c = PublicChannelIntegrationChannel::new(caps, at, id, name);
                c.channel_account_connection_redirect_url = redirect;
                c.channel_description = description;
                c.channel_logo_url = logo;
                c.webhook_url = webhook;
                c
            },
        )
        .boxed()
}

fn channel_patch() -> BoxedStrategy<PublicChannelIntegrationChannelPatch> {
    (
        option::of(capabilities()),
        nullable(text()),
        nullable(text()),
        nullable(text()),
        nullable(text()),
        nullable(text()),
    )
        .prop_map(|(caps, redirect, description, logo, name, webhook)| {
            let mut p = PublicChannelIntegrationChannelPatch::new()
                .with_channel_account_connection_redirect_url(redirect)
                .with_channel_description(description)
                .with_channel_logo_url(logo)
                .with_name(name)
                .with_webhook_url(webhook);
            p.capabilities = caps;
            p
        })
        .boxed()
}

fn channel_account() -> BoxedStrategy<PublicChannelAccount> {
    (
        (any::<bool>(), any::<bool>(), any::<bool>()),
        id(),
        date_time(),
        id(),
        id(),
        text(),
        option::of(date_time()),
        option::of(delivery_identifier()),
    )
        .prop_map(
            |((active, archived, authorized), channel, at, id, inbox, name, archived_at, d)| {
                let mut a = PublicChannelAccount::new(
                    active, archived, authorized, channel, at, id, inbox, name,
                );
                a.archived_at = archived_at;
                a.delivery_identifier = d;
                a
            },
        )
        .boxed()
}

fn error() -> BoxedStrategy<Error> {
    let detail =
        (text(), option::of(text()), option::of(text())).prop_map(|(message, code, at)| {
            let mut d = ErrorDetail::new().with_message(message);
            d.code = code;
            d.r#in = at;
            d
        });
    (
        (
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
        ),
        (
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(vec(detail, 0..3)),
            option::of(btree_map(text(), vec(text(), 0..3), 0..3)),
            option::of(string_map()),
        ),
    )
        .prop_map(|(a, b)| {
            let (category, correlation, message, sub, status) = a;
            let (error_type, policy, _unused, errors, context, links) = b;
            let mut e = Error::new();
            e.category = category;
            e.correlation_id = correlation;
            e.message = message;
            e.sub_category = sub;
            e.status = status;
            e.error_type = error_type;
            e.policy_name = policy;
            e.errors = errors;
            e.context = context;
            e.links = links;
            e
        })
        .boxed()
}

// -------------------------------------------------------------------------------- properties

/// serialise -> deserialise gives the value back (through JSON text, as on the wire).
fn assert_round_trip<T>(value: &T) -> Result<String, TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let text = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T =
        serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    prop_assert_eq!(&back, value, "{}", text);
    Ok(text)
}

/// deserialise -> serialise -> deserialise is stable for JSON with fields this client does not
/// know: the unknown fields are dropped once, and nothing else changes.
fn assert_stable_with_unknown_fields<T>(
    value: &T,
    extra: &BTreeMap<String, Value>,
) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let mut json = serde_json::to_value(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    if let Value::Object(object) = &mut json {
        for (k, v) in extra {
            object.insert(format!("zzUnknown{k}"), v.clone());
        }
    }
    let text = json.to_string();
    let first: T =
        serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    let again = serde_json::to_string(&first).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let second: T =
        serde_json::from_str(&again).map_err(|e| TestCaseError::fail(format!("{e}\n{again}")))?;
    prop_assert_eq!(&second, &first);
    prop_assert_eq!(serde_json::to_string(&second).unwrap(), again);
    Ok(())
}

fn extras() -> impl Strategy<Value = BTreeMap<String, Value>> {
    btree_map("[a-zA-Z]{1,8}", json_value(), 0..3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn message_egg_round_trips(egg in message_egg(), extra in extras()) {
        let text = assert_round_trip(&egg)?;
        // Every known attachment is written with its tag.
        for (a, json) in egg.attachments.iter().zip(
            serde_json::from_str::<Value>(&text).unwrap()["attachments"].as_array().unwrap()
        ) {
            prop_assert_eq!(a.tag(), json["type"].as_str());
        }
        assert_stable_with_unknown_fields(&egg, &extra)?;
    }

    #[test]
    fn conversations_message_round_trips(m in conversations_message(), extra in extras()) {
        let text = assert_round_trip(&m)?;
        prop_assert!(text.contains(r#""type":"MESSAGE""#), "{}", text);
        assert_stable_with_unknown_fields(&m, &extra)?;
    }

    #[test]
    fn channel_round_trips(c in channel(), extra in extras()) {
        assert_round_trip(&c)?;
        assert_stable_with_unknown_fields(&c, &extra)?;
    }

    #[test]
    fn channel_patch_round_trips_in_all_three_states(p in channel_patch(), extra in extras()) {
        let text = assert_round_trip(&p)?;
        let json: Value = serde_json::from_str(&text).unwrap();
        for (wire, field) in [
            ("channelAccountConnectionRedirectUrl", &p.channel_account_connection_redirect_url),
            ("channelDescription", &p.channel_description),
            ("channelLogoUrl", &p.channel_logo_url),
            ("name", &p.name),
            ("webhookUrl", &p.webhook_url),
        ] {
            match field {
                Nullable::Absent => prop_assert!(json.get(wire).is_none()),
                Nullable::Null => prop_assert_eq!(&json[wire], &Value::Null),
                Nullable::Value(v) => prop_assert_eq!(json[wire].as_str(), Some(v.as_str())),
            }
        }
        assert_stable_with_unknown_fields(&p, &extra)?;
    }

    #[test]
    fn channel_account_round_trips(a in channel_account(), extra in extras()) {
        assert_round_trip(&a)?;
        assert_stable_with_unknown_fields(&a, &extra)?;
    }

    #[test]
    fn error_round_trips(e in error(), extra in extras()) {
        assert_round_trip(&e)?;
        assert_stable_with_unknown_fields(&e, &extra)?;
    }

    #[test]
    fn attachments_round_trip_alone(a in public_attachment(), b in integration_attachment()) {
        assert_round_trip(&a)?;
        assert_round_trip(&b)?;
    }
}
