//! A team's own type for a weight, which the configured fixture's `generator.toml` puts in
//! place of the spec's `Weight` schema (`replace`), as a real user would a money or unit type.

use serde::{Deserialize, Serialize};

/// A weight in grams, with the team's own helpers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Weight {
    /// Grams.
    pub grams: u64,
}

impl Weight {
    /// The weight in kilograms.
    pub fn kilograms(self) -> f64 {
        self.grams as f64 / 1000.0
    }
}
