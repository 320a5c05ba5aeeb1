//! [`Indirect<T>`]: a model held behind an indirection that the compiler does not look through
//! when it proves `Send`, `Sync` and the other auto traits.
//!
//! The compiler proves `Send` for a struct by proving it for every field's type, recursively,
//! until a type repeats. In APIs where many models refer to each other (one large recursive
//! group, or long chains of nested models), that proof goes deeper than the compiler's
//! recursion limit and the crate does not compile (`E0275: overflow evaluating the requirement
//! ... : Send`). Boxing does not help: `Box<T>` is `Send` only if `T` is. The generator reads
//! the type graph and holds as `Indirect<T>` exactly the members that would make such proofs too
//! deep; everywhere else a model holds its members directly (or boxed, to break a cycle).
//!
//! `Indirect<T>` owns its value on the heap and derefs to it; serialises, deserialises, compares,
//! clones and debug-prints as the value itself. It needs no unsafe code: the value is stored as a
//! `dyn` object that is declared `Send + Sync` (which is checked once, where an `Indirect` is
//! made), and `T` appears only in a `PhantomData<fn() -> T>`, which has every auto trait whatever
//! `T` is.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::panic::{RefUnwindSafe, UnwindSafe};

/// What an [`Indirect`] can hold: a value that is `Send`, `Sync` and unwind-safe, as every
/// generated model is.
pub trait IndirectValue: Any + Send + Sync + UnwindSafe + RefUnwindSafe {
    /// The value as `Any`, to downcast.
    fn as_any(&self) -> &dyn Any;
    /// The value as mutable `Any`, to downcast.
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// The boxed value as `Any`, to downcast.
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<T: Any + Send + Sync + UnwindSafe + RefUnwindSafe> IndirectValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// A model held on the heap, which the compiler does not look into when proving auto traits;
/// derefs to the model.
///
/// The generator holds a member this way only where the type graph would otherwise make the
/// compiler's proof that a model is `Send` (or `Sync`, ...) deeper than its recursion limit.
/// It serialises, deserialises, compares, orders, hashes, clones and debug-prints as the model
/// itself (the generator derives `Hash` and the orderings on a model only when asked to).
pub struct Indirect<T> {
    value: Box<dyn IndirectValue>,
    _type: PhantomData<fn() -> T>,
}

/// The message of a downcast that cannot fail: an `Indirect<T>` is only ever made from a `T`.
const HOLDS_ITS_TYPE: &str = "an Indirect<T> holds a T";

impl<T: IndirectValue> Indirect<T> {
    /// Holds `value`.
    pub fn new(value: T) -> Self {
        Indirect {
            value: Box::new(value),
            _type: PhantomData,
        }
    }

    /// The value, moved out.
    pub fn into_inner(self) -> T {
        *self.value.into_any().downcast::<T>().expect(HOLDS_ITS_TYPE)
    }
}

impl<T: 'static> Deref for Indirect<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // `(*self.value)`: the boxed value, not the box (which is `IndirectValue` itself).
        (*self.value)
            .as_any()
            .downcast_ref::<T>()
            .expect(HOLDS_ITS_TYPE)
    }
}

impl<T: 'static> DerefMut for Indirect<T> {
    fn deref_mut(&mut self) -> &mut T {
        (*self.value)
            .as_any_mut()
            .downcast_mut::<T>()
            .expect(HOLDS_ITS_TYPE)
    }
}

impl<T: IndirectValue> From<T> for Indirect<T> {
    fn from(value: T) -> Self {
        Indirect::new(value)
    }
}

impl<T: IndirectValue + Clone> Clone for Indirect<T> {
    fn clone(&self) -> Self {
        Indirect::new(T::clone(self))
    }
}

impl<T: 'static + fmt::Debug> fmt::Debug for Indirect<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: 'static + PartialEq> PartialEq for Indirect<T> {
    fn eq(&self, other: &Self) -> bool {
        T::eq(self, other)
    }
}

impl<T: 'static + Eq> Eq for Indirect<T> {}

impl<T: 'static + PartialOrd> PartialOrd for Indirect<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        T::partial_cmp(self, other)
    }
}

impl<T: 'static + Ord> Ord for Indirect<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        T::cmp(self, other)
    }
}

impl<T: 'static + std::hash::Hash> std::hash::Hash for Indirect<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        T::hash(self, state)
    }
}

impl<T: 'static + serde::Serialize> serde::Serialize for Indirect<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize(self, serializer)
    }
}

impl<'de, T: IndirectValue + serde::Deserialize<'de>> serde::Deserialize<'de> for Indirect<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Indirect::new)
    }
}
