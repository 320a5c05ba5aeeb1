//! Runs the models generated from `tests/fixtures/names.yaml` (the checked-in crate
//! `fixture-names`): schemas named `Option`, `Result`, `String`, `Box`, `Vec`, `Error`,
//! `Client`, `Self`, keywords and punctuation as property names, and names that differ only in
//! case or punctuation. That the crate compiles (warnings denied, clippy-clean) is most of the
//! proof; these tests check that every wire name still maps to its own field.

use fixture_names::models;
use serde_json::{Value, json};

fn round_trip<T>(value: &T) -> Value
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, value, "{json}");
    json
}

#[test]
fn keyword_and_punctuation_properties_keep_their_wire_names() {
    let wire = json!({
        "type": "t", "self": "s", "async": true, "r#": "r", "r#type": "rt", "Self": "S",
        "super": "sup", "crate": "c", "fn": "f", "match": 7, "mod": "m", "impl": "i",
        "dyn": "d", "gen": "g", "try": "tr", "_": "u", "__": "uu", "new": "n",
        "default": "def", "123abc": "digits", "$ref": "ref", "@type": "at", "x.y": "dot",
        "": "empty", "additional_properties": "declared", "surplus": "kept"
    });
    let k: models::Keywords = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(k.r#type, "t");
    assert_eq!(k.self_, "s");
    assert!(k.r#async);
    assert_eq!(k.r_hash.as_deref(), Some("r"));
    assert_eq!(k.r_hash_type.as_deref(), Some("rt"));
    assert_eq!(k.self_2.as_deref(), Some("S"));
    assert_eq!(k.super_.as_deref(), Some("sup"));
    assert_eq!(k.crate_.as_deref(), Some("c"));
    assert_eq!(k.r#fn.as_deref(), Some("f"));
    assert_eq!(k.r#match, Some(7));
    assert_eq!(k.r#mod.as_deref(), Some("m"));
    assert_eq!(k.r#impl.as_deref(), Some("i"));
    assert_eq!(k.r#dyn.as_deref(), Some("d"));
    assert_eq!(k.r#gen.as_deref(), Some("g"));
    assert_eq!(k.r#try.as_deref(), Some("tr"));
    assert_eq!(k.value.as_deref(), Some("u"));
    assert_eq!(k.value_2.as_deref(), Some("uu"));
    assert_eq!(k.new.as_deref(), Some("n"));
    assert_eq!(k.default.as_deref(), Some("def"));
    assert_eq!(k._123abc.as_deref(), Some("digits"));
    assert_eq!(k.r#ref.as_deref(), Some("ref"));
    assert_eq!(k.at_type.as_deref(), Some("at"));
    assert_eq!(k.x_y.as_deref(), Some("dot"));
    assert_eq!(k.value_3.as_deref(), Some("empty"));
    assert_eq!(k.additional_properties.as_deref(), Some("declared"));
    assert_eq!(
        k.additional_properties_2,
        [("surplus".to_owned(), "kept".to_owned())].into()
    );
    assert_eq!(
        round_trip(&k),
        wire,
        "every name goes back out as it came in"
    );
}

#[test]
fn keyword_setters_and_constructor() {
    let k = models::Keywords::new("t", "s", false)
        .with_r_hash("r")
        .with_self_2("S")
        .with_super("sup")
        .with_crate("c")
        .with_fn("f")
        .with_match(1)
        .with_123abc("d")
        .with_ref("ref")
        .with_value("u")
        .with_new("n")
        .with_default("def")
        .with_additional_properties("declared")
        .with_additional_properties_2("extra", "x");
    assert_eq!(
        round_trip(&k),
        json!({
            "type": "t", "self": "s", "async": false, "r#": "r", "Self": "S", "super": "sup",
            "crate": "c", "fn": "f", "match": 1, "_": "u", "new": "n", "default": "def",
            "123abc": "d", "$ref": "ref", "additional_properties": "declared", "extra": "x"
        })
    );
}

#[test]
fn lookalike_properties_get_a_field_each() {
    let wire = json!({
        "fooBar": "1", "foo_bar": "2", "foo-bar": "3", "FooBar": "4", "FOO_BAR": "5",
        "foo_bar_2": "6"
    });
    let l: models::Lookalikes = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        [
            l.foo_bar.as_deref(),
            l.foo_bar_2.as_deref(),
            l.foo_bar_3.as_deref(),
            l.foo_bar_4.as_deref(),
            l.foo_bar_5.as_deref(),
            l.foo_bar_2_2.as_deref(),
        ],
        [
            Some("1"),
            Some("2"),
            Some("3"),
            Some("4"),
            Some("5"),
            Some("6")
        ]
    );
    assert_eq!(round_trip(&l), wire);
}

#[test]
fn schemas_named_like_prelude_types_live_beside_them() {
    // Each of these is the generated model, not the std type of the same name.
    let option: models::Option = models::Option::new().with_some("x").with_none(true);
    let result: models::Result = models::Result::new(false).with_err(models::Error::new("boom"));
    let string: models::String = "Self".parse().unwrap();
    let boxed = models::Box::new().with_inner(models::Box::new());
    let vec: models::Vec = vec![models::String::Str, models::String::Self2];
    let this = models::Self_::new().with_self("a").with_self_2("b");
    let client = models::Client::new(option.clone(), result.clone())
        .with_string(string.clone())
        .with_box(boxed.clone())
        .with_vec(vec)
        .with_self(this);
    let json = round_trip(&client);
    assert_eq!(
        json,
        json!({
            "option": {"some": "x", "none": true},
            "result": {"ok": false, "err": {"message": "boom"}},
            "string": "Self",
            "box": {"inner": {}},
            "vec": ["str", "self"],
            "self": {"self": "a", "Self": "b"}
        })
    );
    // And std's types still work in the same scope.
    let std_option: Option<models::Option> = Some(option);
    assert!(std_option.is_some());
    let std_result: Result<models::Result, String> = Ok(result);
    assert!(std_result.is_ok());
    assert_eq!(string, models::String::Self_);
    assert_eq!(models::String::None.as_str(), "None");
    assert_eq!(models::String::Some.as_str(), "Some");
}

#[test]
fn the_http_client_and_error_are_not_the_models_of_the_same_name() {
    fn is_runtime_client(_: &fixture_names::Client) {}
    let client = fixture_names::Client::builder().build().expect("builds");
    is_runtime_client(&client);
    let _ = client.things();
    // `fixture_names::Error` is the runtime's error; the model is `models::Error`.
    let model = models::Error::new("m").with_source("s");
    assert_eq!(round_trip(&model), json!({"message": "m", "source": "s"}));
    fn is_std_error<E: std::error::Error>() {}
    is_std_error::<fixture_names::Error>();
}

#[test]
fn awkward_names_from_digits_punctuation_and_collisions() {
    let digits = models::T2faSettings::new().with_enabled(true);
    assert_eq!(round_trip(&digits), json!({"enabled": true}));
    let weird: models::WeirdName = serde_json::from_value(json!({"!!!": "bang"})).unwrap();
    assert_eq!(weird.value.as_deref(), Some("bang"));
    assert_eq!(round_trip(&weird), json!({"!!!": "bang"}));
    // `foo-bar`, `foo_bar` and `FooBar` are three schemas, numbered in spec order.
    let c = models::Client::new(models::Option::new(), models::Result::new(true))
        .with_foo_bar(models::FooBar::new().with_a("a"))
        .with_foo_bar_2(models::FooBar2::new().with_b("b"))
        .with_foo_bar_3(models::FooBar3::new().with_c("c"));
    let json = round_trip(&c);
    assert_eq!(json["fooBar"], json!({"a": "a"}));
    assert_eq!(json["foo_bar"], json!({"b": "b"}));
    assert_eq!(json["FooBar"], json!({"c": "c"}));
}

#[test]
fn awkward_enum_values_round_trip() {
    use models::Variants;
    let all = [
        (Variants::Self_, "Self"),
        (Variants::Empty, ""),
        (Variants::Value, "-"),
        (Variants::Plus1, "+1"),
        (Variants::V2xx, "2xx"),
        (Variants::AB, "a b"),
        (Variants::AB2, "A_B"),
        (Variants::AB3, "a-b"),
        (Variants::Unknown, "Unknown"),
        (Variants::Other, "Other"),
    ];
    for (variant, wire) in all {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(round_trip(&variant), json!(wire));
        assert!(!variant.is_unknown());
    }
    // `Unknown` and `Other` are spec values here, so the catch-all is `Unrecognized`.
    let new: Variants = serde_json::from_value(json!("brand-new")).unwrap();
    assert_eq!(new, Variants::Unrecognized("brand-new".to_owned()));
    assert!(new.is_unknown());
}

#[test]
fn union_of_prelude_named_models_and_the_nullable_model() {
    let u: models::Union = serde_json::from_value(json!({"ok": true})).unwrap();
    // `Option` has no required properties, so it matches first: an untagged union is tried in
    // spec order.
    assert!(matches!(u, models::Union::Option(_)), "{u:?}");
    assert_eq!(round_trip(&u), json!({}));
    // `models::Nullable` is the spec's schema; clearing its field takes the runtime's
    // `Nullable::Null` (there is no conversion from `Option`).
    let n = models::Nullable::new().with_value(fixture_names::runtime::Nullable::Null);
    assert_eq!(round_trip(&n), json!({"value": null}));
    let n = models::Nullable::new().with_value("v".to_owned());
    assert_eq!(round_trip(&n), json!({"value": "v"}));
    assert_eq!(round_trip(&models::Nullable::default()), json!({}));
    let s = models::Serde::new().with_std("std");
    assert_eq!(round_trip(&s), json!({"std": "std"}));
}

#[test]
fn default_functions_with_colliding_names_stay_apart() {
    let d: models::DefaultsClash = serde_json::from_value(json!({"inner": {}})).unwrap();
    assert_eq!(d.bar_baz, 1);
    assert_eq!(d.inner.map(|i| i.baz), Some(2));
}

/// Rate-limit values named like `RateLimit`'s own methods, keywords or each other get getters
/// that shadow nothing: `get` stays the runtime's lookup by name.
#[test]
fn rate_limit_getters_with_hostile_names() {
    use fixture_names::runtime::HeaderMap;
    let mut headers = HeaderMap::new();
    for (i, header) in [
        "X-Get",
        "X-Iter",
        "X-Is-Empty",
        "X-Clone",
        "X-Type",
        "X-Self",
        "X-Get-Value",
        "X-Remaining",
        "X-Remaining-Lower",
        "X-Digits",
    ]
    .into_iter()
    .enumerate()
    {
        headers.insert(header, i.to_string().parse().unwrap());
    }
    let limits = fixture_names::RateLimit::from_headers(&headers, &fixture_names::CONVENTIONS);
    assert_eq!(limits.get_value(), Some(0));
    assert_eq!(limits.iter_value(), Some(1));
    assert_eq!(limits.is_empty_value(), Some(2));
    assert_eq!(limits.clone_value(), Some(3));
    assert_eq!(limits.r#type(), Some(4));
    assert_eq!(limits.self_(), Some(5));
    assert_eq!(limits.get_value_2(), Some(6));
    assert_eq!(limits.remaining(), Some(7));
    assert_eq!(limits.remaining_2(), Some(8));
    assert_eq!(limits._123(), Some(9));
    // The runtime's own methods are untouched.
    assert_eq!(limits.get("get"), Some(0));
    assert_eq!(limits.get("remaining"), Some(8));
    assert!(!limits.is_empty());
    assert_eq!(limits.iter().count(), 10);
    assert_eq!(limits.clone(), limits);
}
