//! Where the pieces of a rewritten document came from.
//!
//! Takes: the places that [`super::openapi31`] moved (a keyword renamed, a member of a union
//! merged into its parent, a `$ref` wrapped in `allOf`, a path item inlined), recorded as "the
//! subtree now at pointer A was written at pointer B in the user's document". Gives: for any
//! pointer into the rewritten document, the pointer into the user's document (the longest
//! recorded prefix is replaced; a pointer under no recorded prefix is the same in both).
//!
//! Every diagnostic and every pointer that leaves the pipeline (the IR's, which the generated
//! docs quote) goes through [`Origins::original`], so that users are always pointed at their own
//! document, never at the rewritten one. For a 3.0 document without quirks the map is empty.

use crate::diagnostics::Diagnostics;
use std::collections::BTreeMap;

/// Rewritten pointer prefixes and the pointers they were written at in the user's document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    /// Rewritten pointer (`#/...`) -> original pointer (`#/...`).
    moved: BTreeMap<String, String>,
}

impl Origins {
    /// Records that the subtree now at `now` was written at `was` (both `#/...` pointers).
    /// Nothing is recorded when they are the same.
    pub fn record(&mut self, now: impl Into<String>, was: impl Into<String>) {
        let (now, was) = (now.into(), was.into());
        if now != was {
            self.moved.insert(now, was);
        }
    }

    /// True when nothing was moved.
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }

    /// The pointer in the user's document of the place `pointer` names in the rewritten one.
    pub fn original(&self, pointer: &str) -> String {
        if self.moved.is_empty() {
            return pointer.to_owned();
        }
        // The longest recorded prefix that ends at a segment boundary.
        let mut end = pointer.len();
        loop {
            let prefix = &pointer[..end];
            if let Some(was) = self.moved.get(prefix) {
                return format!("{was}{}", &pointer[end..]);
            }
            match prefix.rfind('/') {
                Some(i) => end = i,
                None => return pointer.to_owned(),
            }
        }
    }

    /// `diagnostics` with every pointer mapped to the user's document.
    pub fn map_diagnostics(&self, diagnostics: Diagnostics) -> Diagnostics {
        if self.moved.is_empty() {
            return diagnostics;
        }
        diagnostics.map_pointers(|p| self.original(p))
    }

    /// Maps every spec pointer the IR holds (models' origins and uses, operations' origins).
    pub fn map_api(&self, api: &mut crate::ir::Api) {
        if self.moved.is_empty() {
            return;
        }
        for t in &mut api.types {
            t.pointer = self.original(&t.pointer);
            for u in &mut t.uses {
                *u = self.original(u);
            }
        }
        for op in api.groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
            op.def.pointer = self.original(&op.def.pointer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_at_a_segment_boundary_is_replaced() {
        let mut o = Origins::default();
        o.record("#/a/allOf/0", "#/a/anyOf/1");
        o.record("#/a/allOf/0/items", "#/a/anyOf/1/prefixItems");
        o.record("#/same", "#/same");
        assert_eq!(o.original("#/a/allOf/0"), "#/a/anyOf/1");
        assert_eq!(o.original("#/a/allOf/0/type"), "#/a/anyOf/1/type");
        assert_eq!(
            o.original("#/a/allOf/0/items/oneOf"),
            "#/a/anyOf/1/prefixItems/oneOf"
        );
        // `#/a/allOf/01` is not under `#/a/allOf/0`.
        assert_eq!(o.original("#/a/allOf/01"), "#/a/allOf/01");
        assert_eq!(o.original("#/b"), "#/b");
        assert_eq!(o.original("#"), "#");
        assert_eq!(o.moved.len(), 2, "an unmoved place is not recorded");
    }
}
