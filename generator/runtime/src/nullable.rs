//! A three-state value for fields that are both optional and nullable.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that can be absent, explicitly `null`, or hold a value.
///
/// `Option<T>` cannot tell "leave unchanged" (field omitted) from "clear it" (field set to
/// `null`); this type can. Use it with
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]` so that an absent field is
/// neither required when reading nor written when sending.
///
/// A value converts into `Nullable` with `From`/`Into` (`"x".to_owned().into()` is
/// `Value("x")`). There is deliberately no conversion from `Option<T>`: mapping `None` to
/// `Null` would turn "I have no new value" into "clear the field" in a PATCH body. Clearing a
/// field takes an explicit [`Nullable::Null`]; to send an `Option` only when it is `Some`, use
/// `option.map_or(Nullable::Absent, Nullable::Value)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Nullable<T> {
    /// The field is not present.
    #[default]
    Absent,
    /// The field is present and `null`.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is present and `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the field holds a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// Borrows the contents.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Mutably borrows the contents.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// Takes the value, if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// `None` when absent, `Some(None)` when `null`, `Some(Some(value))` otherwise.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(value) => Some(Some(value)),
        }
    }

    /// Transforms the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// `Value(value)`.
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// Writes the value, or `null` for both `Null` and `Absent` (skip absent fields with
    /// `skip_serializing_if = "Nullable::is_absent"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// Reads `null` as `Null` and anything else as `Value`; a missing field becomes `Absent`
    /// through `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}
