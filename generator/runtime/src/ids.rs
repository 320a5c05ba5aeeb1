//! Ids that an API writes either as a number or as a string of digits.
//!
//! Generated code gives such a union (an untagged `oneOf` of an integer and a string)
//! `as_i64()`, `Display`, comparisons with integers and text, and `TryFrom` into `i64` and
//! `i32`; a conversion that finds no integer fails with [`NotAnInteger`].

/// A number-or-string id that holds no integer that fits: a string that is not a base-10
/// integer, a number out of range, or other JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the id {value} is not an integer that fits in {target}")]
pub struct NotAnInteger {
    value: String,
    target: &'static str,
}

impl NotAnInteger {
    /// An error for `value` (as written), converted into `target` (`i64`, `i32`).
    pub fn new(value: impl Into<String>, target: &'static str) -> Self {
        NotAnInteger {
            value: value.into(),
            target,
        }
    }

    /// The id as it was written.
    pub fn value(&self) -> &str {
        &self.value
    }
}
