//! Runs the models generated from `tests/fixtures/mapping.yaml` (the checked-in crate
//! `fixture-mapping`): one test group per case of the OpenAPI 3.0 schema mapping.

use fixture_mapping::Nullable;
use fixture_mapping::models::*;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `value` as `T`, panicking with serde's message.
fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("models always serialise")
}

/// Encodes, decodes and compares; returns the JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Value {
    let json = encode(value);
    let back: T = decode(json.clone());
    assert_eq!(&back, value, "{json}");
    json
}

// ------------------------------------------------------------------------------------ objects

#[test]
fn required_fields_are_plain_optional_ones_are_left_out_in_spec_order() {
    let w = Widget::new("w1", "Gadget", Color::DarkGreen);
    let text = serde_json::to_string(&w).unwrap();
    assert_eq!(
        text,
        r#"{"id":"w1","displayName":"Gadget","kind":"dark-green"}"#
    );
    let w = w
        .with_size(3)
        .with_note("n")
        .with_dimensions(WidgetDimensions::new(2.5).with_unit(WidgetDimensionsUnit::Cm));
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        r#"{"id":"w1","displayName":"Gadget","kind":"dark-green","note":"n","size":3,"dimensions":{"width":2.5,"unit":"cm"}}"#,
        "fields are written in spec order, whatever order the setters ran in"
    );
    round_trip(&w);
}

#[test]
fn missing_required_field_is_an_error_and_unknown_fields_are_ignored() {
    let err = serde_json::from_value::<Widget>(json!({"id": "w1", "kind": "red"})).unwrap_err();
    assert!(err.to_string().contains("displayName"), "{err}");

    let w: Widget = decode(json!({
        "id": "w1",
        "displayName": "Gadget",
        "kind": "red",
        "brandNew": {"nested": [1, 2, 3]},
        "dimensions": {"width": 1, "depth": 9, "unit": "in"},
        "parts": [{"partNo": "p1", "options": {"enabled": true, "colour": "red"}, "x": null}]
    }));
    assert_eq!(w.dimensions.as_ref().map(|d| d.width), Some(1.0));
    let parts = w.parts.expect("parts");
    assert_eq!(parts[0].part_no.as_deref(), Some("p1"));
    assert_eq!(
        parts[0].options.as_ref().and_then(|o| o.enabled),
        Some(true)
    );
}

#[test]
fn nested_inline_schemas_get_readable_names() {
    // The names are the API: these lines only compile if they are stable.
    let part = WidgetPartsItem::new()
        .with_part_no("p")
        .with_options(WidgetPartsItemOptions::new().with_enabled(false));
    let dims = WidgetDimensions::new(1.0).with_unit(WidgetDimensionsUnit::In);
    let w = Widget::new("w", "W", Color::Red)
        .with_parts(vec![part])
        .with_dimensions(dims);
    round_trip(&w);
}

// -------------------------------------------------------------------------- presence and null

#[test]
fn optional_nullable_fields_keep_absent_null_and_value_apart() {
    let base = Presence::new("r", Some("x".to_owned()));
    let absent = encode(&base);
    assert!(absent.get("optNullable").is_none(), "{absent}");

    let null = encode(&base.clone().with_opt_nullable(Nullable::Null));
    assert_eq!(null["optNullable"], Value::Null);
    assert!(null.as_object().unwrap().contains_key("optNullable"));

    let value = encode(&base.clone().with_opt_nullable("v".to_owned()));
    assert_eq!(value["optNullable"], "v");

    let r: Presence = decode(json!({"req": "r", "reqNullable": null}));
    assert_eq!(r.opt_nullable, Nullable::Absent);
    let r: Presence = decode(json!({"req": "r", "reqNullable": null, "optNullable": null}));
    assert_eq!(r.opt_nullable, Nullable::Null);
    let r: Presence = decode(json!({"req": "r", "reqNullable": null, "optNullable": "v"}));
    assert_eq!(r.opt_nullable, Nullable::Value("v".to_owned()));

    // A nullable reference (`allOf: [$ref]` + `nullable`) and a nullable integer too.
    let r: Presence = decode(json!({
        "req": "r", "reqNullable": null,
        "optNullableRef": {"name": "leaf"}, "optNullableInt": null
    }));
    assert_eq!(r.opt_nullable_ref, Nullable::Value(Leaf::new("leaf")));
    assert_eq!(r.opt_nullable_int, Nullable::Null);
    round_trip(&r);
}

#[test]
fn required_nullable_fields_are_options_written_as_null() {
    let p = Presence::new("r", None);
    let json = encode(&p);
    assert_eq!(json["reqNullable"], Value::Null);
    assert!(json.as_object().unwrap().contains_key("reqNullable"));
    let p = Presence::new("r", Some("x".to_owned()));
    assert_eq!(encode(&p)["reqNullable"], "x");
    let back: Presence = decode(json!({"req": "r", "reqNullable": null}));
    assert_eq!(back.req_nullable, None);
}

#[test]
fn defaults_are_used_when_decoding_absent_fields() {
    let p: Presence = decode(json!({"req": "r", "reqNullable": null}));
    assert_eq!(p.with_default, 10);
    assert_eq!(p.string_default, "hello");
    assert!(p.flag_default);
    assert_eq!(p.ratio_default, 0.5);
    assert_eq!(p.color_default, ColorWithDefault::Green);
    // `new` starts from the same defaults, and they are sent.
    assert_eq!(Presence::new("r", None), p);
    let json = encode(&p);
    assert_eq!(json["withDefault"], 10);
    assert_eq!(json["colorDefault"], "green");
    // Values on the wire win.
    let p: Presence = decode(json!({
        "req": "r", "reqNullable": null, "withDefault": 3, "colorDefault": "mauve"
    }));
    assert_eq!(p.with_default, 3);
    assert_eq!(
        p.color_default,
        ColorWithDefault::Unknown("mauve".to_owned())
    );
}

#[test]
fn required_read_only_and_write_only_fields_are_not_required() {
    // A response leaves out writeOnly fields; a request leaves out readOnly ones.
    let p: Presence = decode(json!({"req": "r", "reqNullable": null, "readOnlyRequired": "id"}));
    assert_eq!(p.read_only_required.as_deref(), Some("id"));
    assert_eq!(p.write_only_required, None);
    let request = Presence::new("r", None).with_write_only_required("secret");
    let json = encode(&request);
    assert!(json.get("readOnlyRequired").is_none());
    assert_eq!(json["writeOnlyRequired"], "secret");
}

fn nullable_string() -> impl Strategy<Value = Nullable<String>> {
    prop_oneof![
        Just(Nullable::Absent),
        Just(Nullable::Null),
        ".{0,8}".prop_map(Nullable::Value),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn presence_round_trips_in_every_state(
        req in ".{0,8}",
        req_nullable in proptest::option::of(".{0,8}"),
        opt in proptest::option::of(".{0,8}"),
        opt_nullable in nullable_string(),
        opt_nullable_int in prop_oneof![
            Just(Nullable::Absent), Just(Nullable::Null), any::<i64>().prop_map(Nullable::Value)
        ],
        with_default in any::<i32>(),
    ) {
        let mut p = Presence::new(req, req_nullable)
            .with_opt_nullable(opt_nullable.clone())
            .with_opt_nullable_int(opt_nullable_int)
            .with_with_default(with_default);
        if let Some(opt) = opt {
            p = p.with_opt(opt);
        }
        let json = encode(&p);
        prop_assert_eq!(json.get("optNullable").is_some(), !opt_nullable.is_absent());
        let back: Presence = decode(json);
        prop_assert_eq!(back, p);
    }
}

// ------------------------------------------------------------------------------------- enums

#[test]
fn enum_values_round_trip_and_unknown_values_are_kept() {
    for (value, wire) in [
        (Color::Red, "red"),
        (Color::DarkGreen, "dark-green"),
        (Color::LightBlue, "LIGHT_BLUE"),
        (Color::V2x, "2x"),
        (Color::Empty, ""),
        (Color::Unknown, "Unknown"),
    ] {
        assert_eq!(value.as_str(), wire);
        assert_eq!(value.to_string(), wire);
        assert_eq!(wire.parse::<Color>().unwrap(), value);
        assert_eq!(encode(&value), json!(wire));
        assert!(!value.is_unknown());
    }
    assert_eq!(Color::KNOWN_VALUES.len(), 6);
    // `Unknown` is a known value here, so the catch-all is `Other`.
    let purple: Color = decode(json!("purple"));
    assert_eq!(purple, Color::Other("purple".to_owned()));
    assert!(purple.is_unknown());
    assert_eq!(purple.to_string(), "purple");
    assert_eq!(encode(&purple), json!("purple"));
    // Values that take every usual catch-all name push it further.
    let clash: CatchAllClash = decode(json!("new"));
    assert_eq!(clash, CatchAllClash::UnknownValue("new".to_owned()));
    assert_eq!(
        decode::<CatchAllClash>(json!("other")),
        CatchAllClash::Other
    );
    // Not a string at all: an error, not a silent catch-all.
    assert!(serde_json::from_value::<Color>(json!(3)).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_enum_string_round_trips(s in ".{0,12}") {
        let c: Color = s.parse().unwrap();
        prop_assert_eq!(c.as_str(), s.as_str());
        prop_assert_eq!(c.is_unknown(), !Color::KNOWN_VALUES.contains(&s.as_str()));
        let back: Color = decode(encode(&c));
        prop_assert_eq!(back, c);
    }
}

// ------------------------------------------------------------------------------------ unions

#[test]
fn discriminator_with_mapping_is_a_tagged_enum() {
    let pet: Pet = decode(json!({"petType": "cat", "name": "Tom", "indoor": true}));
    let Pet::Cat(cat) = &pet else {
        panic!("{pet:?}")
    };
    assert_eq!(cat.name, "Tom");
    assert_eq!(pet.tag(), Some("cat"));
    assert_eq!(
        encode(&pet),
        json!({"petType": "cat", "name": "Tom", "indoor": true})
    );
    // A variant's discriminator property is a constant of its struct, written even outside
    // the union.
    let dog = Dog::new("Rex");
    assert_eq!(encode(&dog), json!({"petType": "dog", "name": "Rex"}));
    let dog = Pet::from(dog);
    assert_eq!(encode(&dog)["petType"], "dog");
    assert_eq!(round_trip(&dog)["petType"], "dog");
}

#[test]
fn unknown_union_variants_keep_the_raw_json() {
    let raw = json!({"petType": "parrot", "name": "Polly", "words": ["hello", 42], "n": 9007199254740993_u64});
    let pet: Pet = decode(raw.clone());
    assert_eq!(pet, Pet::Unknown(raw.clone()));
    assert_eq!(pet.tag(), Some("parrot"));
    assert_eq!(encode(&pet), raw, "re-encodes unchanged");
    // No tag at all, or a tag that is not a string: kept too.
    let untagged = json!({"name": "?"});
    assert_eq!(decode::<Pet>(untagged.clone()), Pet::Unknown(untagged));
    let odd = json!({"petType": 7});
    assert_eq!(decode::<Pet>(odd.clone()), Pet::Unknown(odd));
}

#[test]
fn known_tag_with_a_broken_payload_is_an_error() {
    let err = serde_json::from_value::<Pet>(json!({"petType": "cat"})).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    let shape: Shape = decode(json!({"shapeType": "Circle", "radius": 2.0}));
    assert!(matches!(&shape, Shape::Circle(c) if c.radius == 2.0));
    let square = Shape::from(Square::new(3.0));
    assert_eq!(encode(&square), json!({"shapeType": "Square", "side": 3.0}));
    round_trip(&square);
    let other: Shape = decode(json!({"shapeType": "Triangle"}));
    assert!(matches!(other, Shape::Unknown(_)));
}

#[test]
fn one_of_tagged_by_a_shared_single_value_property() {
    // The variant structs carry their constant themselves...
    let created = Created::new("e1");
    assert_eq!(encode(&created), json!({"event": "created", "id": "e1"}));
    assert_eq!(
        encode(&Deleted::new("e2")),
        json!({"event": "deleted", "id": "e2"})
    );
    // ...and the union dispatches on it.
    let event: Event = decode(json!({"event": "deleted", "id": "e2", "by": "someone"}));
    assert_eq!(event, Event::Deleted(Deleted::new("e2")));
    assert_eq!(event.tag(), Some("deleted"));
    let json = round_trip(&Event::from(created));
    assert_eq!(json["event"], "created");
    let future: Event = decode(json!({"event": "archived", "id": "e3"}));
    assert_eq!(future.tag(), Some("archived"));
    assert!(matches!(future, Event::Unknown(_)));
}

#[test]
fn untagged_one_of_tries_variants_in_spec_order_with_a_catch_all() {
    assert_eq!(decode::<Scalar>(json!("s")), Scalar::String("s".to_owned()));
    assert_eq!(
        decode::<Scalar>(json!(9007199254740993_i64)),
        Scalar::Integer(9_007_199_254_740_993)
    );
    assert_eq!(
        decode::<Scalar>(json!(["a", "b"])),
        Scalar::Array(vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(
        decode::<Scalar>(json!({"name": "leaf"})),
        Scalar::Leaf(Leaf::new("leaf"))
    );
    assert_eq!(
        decode::<Scalar>(json!({"x": 1, "y": 2})),
        Scalar::Point(ScalarPoint::new(1.0, 2.0))
    );
    for other in [json!(true), json!(null), json!(1.5), json!({"z": 1})] {
        let s: Scalar = decode(other.clone());
        assert_eq!(s, Scalar::Unknown(other.clone()));
        assert_eq!(encode(&s), other);
    }
    for s in [
        Scalar::from("x".to_owned()),
        Scalar::from(5_i64),
        Scalar::from(vec!["v".to_owned()]),
        Scalar::from(Leaf::new("l")),
        Scalar::from(ScalarPoint::new(0.5, -1.0)),
    ] {
        round_trip(&s);
    }
}

#[test]
fn any_of_is_an_untagged_union() {
    let c: ContactMethod = decode(json!({"phone": "+1"}));
    assert_eq!(c, ContactMethod::PhoneContact(PhoneContact::new("+1")));
    let c: ContactMethod = decode(json!({"email": "a@b", "phone": "+1"}));
    assert!(
        matches!(c, ContactMethod::EmailContact(_)),
        "first match wins"
    );
    round_trip(&c);
}

// ------------------------------------------------------------------------------------- allOf

#[test]
fn all_of_is_merged_into_one_struct() {
    let id = "6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10".parse().unwrap();
    let e = Extended::new(id, "label");
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"id":"6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10","label":"label"}"#
    );
    let e: Extended = decode(json!({
        "id": "6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10",
        "createdAt": "2024-01-02T03:04:05Z",
        "label": "x"
    }));
    assert!(e.created_at.is_some());
    round_trip(&e);
    // Properties beside `allOf` come first, then the parts'.
    let m = MixedAllOf::new("own", id);
    assert_eq!(
        serde_json::to_string(&m).unwrap(),
        r#"{"own":"own","id":"6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10"}"#
    );
}

// --------------------------------------------------------------------------------- recursion

#[test]
fn recursive_schemas_are_boxed_and_decode_deeply() {
    let mut json = json!({"value": "leaf"});
    for i in 0..50 {
        json = json!({"value": format!("n{i}"), "parent": json, "children": [{"value": "c"}]});
    }
    let tree: TreeNode = decode(json.clone());
    let mut depth = 0;
    let mut node = &tree;
    while let Some(parent) = &node.parent {
        depth += 1;
        node = parent;
    }
    assert_eq!(depth, 50);
    assert_eq!(encode(&tree), json);

    let t = TreeNode::new("root")
        .with_parent(TreeNode::new("up"))
        .with_children(vec![TreeNode::new("kid")])
        .with_by_name([("k".to_owned(), TreeNode::new("v"))].into());
    round_trip(&t);

    let ping = Ping::new().with_pong(Pong::new().with_ping(Ping::new()));
    assert_eq!(encode(&ping), json!({"pong": {"ping": {}}}));
    round_trip(&ping);
}

#[test]
fn cycles_through_one_of_and_all_of_terminate() {
    // `Animal` is a oneOf of `Lion`/`Tiger`, which `allOf` `Animal` back.
    let json = json!({
        "kind": "lion", "name": "Leo", "maneLength": 1.5,
        "rival": {"kind": "tiger", "stripes": 40, "rival": "ignored"}
    });
    let animal: Animal = decode(json.clone());
    let Animal::Lion(lion) = &animal else {
        panic!("{animal:?}")
    };
    assert_eq!(lion.name.as_deref(), Some("Leo"));
    assert!(matches!(lion.rival.as_deref(), Some(Animal::Tiger(t)) if t.stripes == Some(40)));
    let back = encode(&animal);
    assert_eq!(back["rival"], json!({"kind": "tiger", "stripes": 40}));
    round_trip(&animal);
    let built = Animal::from(Lion::new().with_rival(Animal::from(Tiger::new())));
    assert_eq!(
        round_trip(&built),
        json!({"kind": "lion", "rival": {"kind": "tiger"}})
    );
}

// ------------------------------------------------------------------------ additionalProperties

#[test]
fn additional_properties_map_to_maps_and_kept_extras() {
    let labels: Labels = decode(json!({"a": "1", "b": "2"}));
    assert_eq!(labels.len(), 2);
    let free: FreeForm = decode(json!({"a": [1, {"b": null}]}));
    assert_eq!(free["a"][1]["b"], Value::Null);
    let any: AnyValue = decode(json!([1, "two", null]));
    assert_eq!(any, json!([1, "two", null]));

    let bag: OpenBag = decode(json!({"name": "n", "x": 1, "y": {"z": [true]}}));
    assert_eq!(bag.name, "n");
    assert_eq!(bag.additional_properties.len(), 2);
    assert_eq!(bag.additional_properties["y"], json!({"z": [true]}));
    assert_eq!(
        encode(&bag),
        json!({"name": "n", "x": 1, "y": {"z": [true]}}),
        "extras are written back"
    );
    let built = OpenBag::new("n").with_additional_properties("k", json!(1));
    assert_eq!(encode(&built), json!({"name": "n", "k": 1}));

    let counters: Counters = decode(json!({"total": 3, "a": 1, "b": 9007199254740993_i64}));
    assert_eq!(counters.total, Some(3));
    assert_eq!(counters.additional_properties["b"], 9_007_199_254_740_993);
    round_trip(&counters);

    let closed: Closed = decode(json!({"name": "n", "surprise": 1}));
    assert_eq!(closed, Closed::new().with_name("n"));
}

#[test]
fn nullable_array_items_and_map_values_are_options() {
    let wire = json!({
        "list": ["a", null],
        "counts": {"x": null, "y": 9007199254740993_i64},
        "leaves": [null, {"name": "n"}],
        "anything": [null, 1]
    });
    let n: NullableItems = decode(wire.clone());
    assert_eq!(n.list, Some(vec![Some("a".to_owned()), None]));
    assert_eq!(
        n.counts,
        Some(
            [
                ("x".to_owned(), None),
                ("y".to_owned(), Some(9_007_199_254_740_993))
            ]
            .into()
        )
    );
    assert_eq!(n.leaves, Some(vec![None, Some(NullableLeaf::new("n"))]));
    assert_eq!(round_trip(&n), wire, "nulls are written back");
}

// ----------------------------------------------------------------------------------- formats

#[test]
fn integer_and_number_formats() {
    let f: Formats = decode(json!({
        "int32": 2147483647, "int64": 9007199254740993_i64, "integer": -9007199254740993_i64,
        "float": 1.5, "double": 0.1, "number": 1e300
    }));
    assert_eq!(f.int32, i32::MAX);
    assert_eq!(f.int64, 9_007_199_254_740_993);
    assert_eq!(f.integer, -9_007_199_254_740_993);
    assert_eq!(f.float, 1.5_f32);
    assert_eq!(f.double, 0.1);
    assert_eq!(f.number, 1e300);
    let json = encode(&f);
    assert_eq!(
        json["int64"],
        json!(9007199254740993_i64),
        "no precision lost"
    );
    round_trip(&f);
    let too_big = json!({
        "int32": 2147483648_i64, "int64": 0, "integer": 0, "float": 0, "double": 0, "number": 0
    });
    assert!(serde_json::from_value::<Formats>(too_big).is_err());
}

#[test]
fn date_time_round_trips_losslessly() {
    let f: Formats = decode(json!({
        "int32": 0, "int64": 0, "integer": 0, "float": 0, "double": 0, "number": 0,
        "dateTime": "2023-05-10T14:00:00.123Z",
        "date": "2024-02-29",
        "uuid": "6F1C1F1E-8D1A-4B8A-9A51-0F6D8C2C2A10",
        "byte": "aGVsbG8=",
        "binary": "raw",
        "anything": {"any": ["thing"]}
    }));
    let dt = f.date_time.expect("dateTime");
    assert_eq!(dt.timestamp_millis(), 1_683_727_200_123);
    assert_eq!(dt.offset().local_minus_utc(), 0);
    // Written back byte for byte: instant, offset (`Z`) and milliseconds.
    let json = encode(&f);
    assert_eq!(json["dateTime"], "2023-05-10T14:00:00.123Z");
    assert_eq!(json["date"], "2024-02-29");
    assert_eq!(json["uuid"], "6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10");
    assert_eq!(json["byte"], "aGVsbG8=", "format byte stays base64 text");
    let back: Formats = decode(json);
    assert_eq!(back, f);
    assert!(
        serde_json::from_value::<Formats>(json!({
            "int32": 0, "int64": 0, "integer": 0, "float": 0, "double": 0, "number": 0,
            "date": "2024-02-30"
        }))
        .is_err(),
        "an impossible date is an error"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn date_times_round_trip_with_any_offset_and_precision(
        secs in -62_000_000_000_i64..250_000_000_000,
        nanos in prop_oneof![Just(0_u32), (0_u32..1000).prop_map(|m| m * 1_000_000), 0_u32..1_000_000_000],
        offset_minutes in -(23 * 60 + 59)..(23 * 60 + 59),
    ) {
        let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).unwrap();
        let utc = chrono::DateTime::from_timestamp(secs, nanos).unwrap();
        let dt = utc.with_timezone(&offset);
        let f = Formats::new(0, 0, 0, 0.0, 0.0, 0.0).with_date_time(dt);
        let back: Formats = decode(encode(&f));
        let got = back.date_time.expect("dateTime");
        prop_assert_eq!(got, dt);
        prop_assert_eq!(got.offset(), dt.offset());
    }
}

// ------------------------------------------------------------------- error-only and ergonomics

#[test]
fn error_only_models_decode_leniently() {
    let p: Problem = decode(json!({}));
    assert_eq!(p, Problem::default());
    let p: Problem = decode(json!({"message": "boom", "extra": 1}));
    assert_eq!(p.message.as_deref(), Some("boom"));
}

#[test]
fn models_derive_debug_clone_partial_eq_and_default_when_nothing_is_required() {
    fn traits<T: std::fmt::Debug + Clone + PartialEq + Serialize + DeserializeOwned>() {}
    fn with_default<T: Default>() {}
    traits::<Widget>();
    traits::<Presence>();
    traits::<Color>();
    traits::<Pet>();
    traits::<Scalar>();
    traits::<Animal>();
    traits::<TreeNode>();
    traits::<Everything>();
    with_default::<Everything>();
    with_default::<Closed>();
    with_default::<Ping>();
    let e = Everything::default()
        .with_color(Color::Red)
        .with_scalar(Scalar::from(1_i64));
    assert_eq!(e.clone(), e);
    assert_eq!(encode(&e), json!({"color": "red", "scalar": 1}));
    assert!(format!("{e:?}").contains("Red"));
}

#[test]
fn everything_decodes_from_one_realistic_document() {
    let doc = json!({
        "widget": {"id": "w", "displayName": "W", "kind": "teal", "future": true},
        "presence": {"req": "r", "reqNullable": "n", "optNullable": null},
        "color": "red",
        "catchAll": "unknown",
        "pet": {"petType": "dog", "name": "Rex", "goodBoy": true},
        "shape": {"shapeType": "Hexagon", "sides": 6},
        "event": {"event": "created", "id": "1", "at": "2023-05-10T14:00:00.123Z"},
        "scalar": [],
        "contact": {"email": "e"},
        "extended": {"id": "6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10", "label": "l"},
        "mixed": {"own": "o", "id": "6f1c1f1e-8d1a-4b8a-9a51-0f6d8c2c2a10"},
        "tree": {"value": "t", "children": []},
        "ping": {},
        "animal": {"kind": "tiger"},
        "labels": {},
        "freeForm": {"k": 1},
        "any": null,
        "bag": {"name": "b", "more": 1},
        "counters": {"x": 1},
        "closed": {},
        "formats": {"int32": 1, "int64": 2, "integer": 3, "float": 4, "double": 5, "number": 6},
        "addedNextYear": {"whatever": []}
    });
    let e: Everything = decode(doc);
    assert_eq!(
        e.widget.as_ref().map(|w| &w.kind),
        Some(&Color::Other("teal".to_owned()))
    );
    assert!(matches!(e.shape, Some(Shape::Unknown(_))));
    assert_eq!(e.catch_all, Some(CatchAllClash::Unknown));
    // `"any": null` is present-but-null, which an `Option<Value>` reads as `None`.
    assert_eq!(e.any, None);
    let again: Everything = decode(encode(&e));
    assert_eq!(again, e);
}
