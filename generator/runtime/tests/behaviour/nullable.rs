//! The three-state `Nullable` type.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::runtime::Nullable;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Patch {
    name: String,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    webhook_url: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    limit: Nullable<i32>,
}

#[test]
fn all_three_states_round_trip_inside_a_struct() {
    let patch = Patch {
        name: "n".into(),
        webhook_url: Nullable::Null,
        limit: Nullable::Value(3),
    };
    let value = serde_json::to_value(&patch).unwrap();
    assert_eq!(value, json!({"name": "n", "webhook_url": null, "limit": 3}));
    assert_eq!(serde_json::from_value::<Patch>(value).unwrap(), patch);

    let absent = Patch {
        name: "n".into(),
        webhook_url: Nullable::Absent,
        limit: Nullable::Absent,
    };
    let value = serde_json::to_value(&absent).unwrap();
    assert_eq!(value, json!({"name": "n"}));
    assert_eq!(serde_json::from_value::<Patch>(value).unwrap(), absent);

    let value_state = Patch {
        name: "n".into(),
        webhook_url: "https://example.com/hook".to_owned().into(),
        limit: Nullable::Null,
    };
    let text = serde_json::to_string(&value_state).unwrap();
    assert_eq!(
        text,
        r#"{"name":"n","webhook_url":"https://example.com/hook","limit":null}"#
    );
    assert_eq!(serde_json::from_str::<Patch>(&text).unwrap(), value_state);
}

#[test]
fn helpers_and_conversions() {
    let absent: Nullable<i32> = Nullable::default();
    assert!(absent.is_absent() && !absent.is_null() && !absent.is_value());
    let null: Nullable<i32> = Nullable::Null;
    assert!(null.is_null());
    let value: Nullable<i32> = 5.into();
    assert_eq!(value, Nullable::Value(5));
    assert_eq!(Nullable::from(7), Nullable::Value(7));
    // An `Option` goes in explicitly; `None` stays absent rather than clearing the field.
    let from_option = |o: Option<i32>| o.map_or(Nullable::Absent, Nullable::Value);
    assert_eq!(from_option(None), Nullable::Absent);
    assert_eq!(from_option(Some(5)), Nullable::Value(5));
    assert_eq!(value.value(), Some(&5));
    assert_eq!(null.value(), None);
    assert_eq!(value.as_ref(), Nullable::Value(&5));
    assert_eq!(value.map(|v| v * 2), Nullable::Value(10));
    assert_eq!(absent.into_option(), None);
    assert_eq!(null.into_option(), Some(None));
    assert_eq!(value.into_option(), Some(Some(5)));
    assert_eq!(value.into_value(), Some(5));
    let mut mutable = Nullable::Value(1);
    if let Nullable::Value(v) = mutable.as_mut() {
        *v = 2;
    }
    assert_eq!(mutable, Nullable::Value(2));
    assert!(serde_json::from_str::<Nullable<i32>>("\"x\"").is_err());
}

/// Autoref probe: `(&Probe::<T>).converts()` picks `Converts` (on `Probe<T>`) when
/// `T: Into<Nullable<i32>>`, otherwise falls back to `DoesNotConvert` (on `&Probe<T>`, one
/// autoref further).
struct Probe<T>(std::marker::PhantomData<T>);

trait Converts {
    fn converts(&self) -> bool {
        true
    }
}
impl<T: Into<Nullable<i32>>> Converts for Probe<T> {}

trait DoesNotConvert {
    fn converts(&self) -> bool {
        false
    }
}
impl<T> DoesNotConvert for &Probe<T> {}

#[test]
fn an_option_does_not_convert_so_none_cannot_clear_a_field_by_accident() {
    let value = &Probe::<i32>(std::marker::PhantomData);
    let option = &Probe::<Option<i32>>(std::marker::PhantomData);
    assert!(value.converts());
    assert!(!option.converts());
    // A `Nullable<Option<T>>` still takes an `Option` as its value, as `From<T>` says.
    assert_eq!(
        Nullable::<Option<i32>>::from(None),
        Nullable::Value(None::<i32>)
    );
}
