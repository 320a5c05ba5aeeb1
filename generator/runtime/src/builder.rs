//! The marker of a builder's required field that is not set yet.
//!
//! Generated models with required fields have a builder whose type parameters record which
//! required fields are set: each starts as [`Unset`] and becomes the field's type when its
//! setter is called, and `build()` exists only once none is `Unset`. So a forgotten required
//! field does not compile, and neither does a field set twice.

/// A required field of a builder that is not set yet. A builder whose type still has an
/// `Unset` parameter has no `build()`: set the field that parameter is named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Unset;
