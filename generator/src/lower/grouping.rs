//! Lowering phase 4: operations paired across API versions and grouped by resource.
//!
//! Takes: the operations found, in spec order, and the document's tags. Gives: one group per
//! tag (declared tags first, then tags in order of first use, untagged operations last), each
//! holding its operations; an operation that two versions declare alike (same tag, HTTP method
//! and relative path, same signature) is one operation available in both. One that differs
//! between versions stays one per version, with a warning.

use super::docs;
use super::operations::FoundOperation;
use crate::diagnostics::Diagnostics;
use crate::ir::OperationDef;

/// The operations of one resource.
pub struct GroupDraft {
    /// The tag (`None`: operations without one).
    pub tag: Option<String>,
    /// The tag's description, else a line naming the tag (`None` for operations without one).
    pub doc: Option<String>,
    /// Its operations, in spec order.
    pub operations: Vec<MergedOperation>,
}

/// An operation with every version that declares it alike.
pub struct MergedOperation {
    /// What the spec says of it (from the first version that declares it).
    pub def: OperationDef,
    /// Indices of the versions that declare it.
    pub versions: Vec<usize>,
    /// Words its method is named from.
    pub method_words: Vec<String>,
    /// Words its struct is named from.
    pub struct_words: Vec<String>,
}

/// Pairs and groups `found`.
pub fn group(
    tags: &[openapiv3::Tag],
    found: Vec<FoundOperation>,
) -> (Vec<GroupDraft>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut tag_order: Vec<String> = tags.iter().map(|t| t.name.clone()).collect();
    for f in &found {
        if let Some(t) = &f.tag {
            if !tag_order.contains(t) {
                tag_order.push(t.clone());
            }
        }
    }
    let mut merged: Vec<(Option<String>, MergedOperation)> = Vec::new();
    for f in found {
        let same = f.version.and_then(|version| {
            merged.iter_mut().find(|(tag, m)| {
                *tag == f.tag
                    && m.def.http_method == f.def.http_method
                    && m.def.path == f.def.path
                    && !m.versions.is_empty()
                    && !m.versions.contains(&version)
            })
        });
        match same {
            Some((_, m)) if m.def.same_signature(&f.def) => m.versions.extend(f.version),
            other => {
                if let Some((_, m)) = other {
                    diags.warning(
                        &f.def.pointer,
                        format!(
                            "differs from `{}` in another version (parameters, body, responses or security); it gets a method of its own, named after its version",
                            m.def.operation_id
                        ),
                    );
                }
                merged.push((
                    f.tag,
                    MergedOperation {
                        def: f.def,
                        versions: f.version.into_iter().collect(),
                        method_words: f.method_words,
                        struct_words: f.struct_words,
                    },
                ));
            }
        }
    }
    let keys = tag_order.into_iter().map(Some).chain([None]);
    let mut groups: Vec<GroupDraft> = Vec::new();
    for key in keys {
        let operations: Vec<MergedOperation> = {
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut merged)
                .into_iter()
                .partition(|(t, _)| *t == key);
            merged = rest;
            mine.into_iter().map(|(_, m)| m).collect()
        };
        if operations.is_empty() {
            continue;
        }
        // A tag declared without a description, or used without being declared, still names
        // a documented namespace.
        let doc = key.as_deref().map(|k| {
            tags.iter()
                .find(|t| t.name == k)
                .and_then(|t| docs::prose(t.description.as_deref()))
                .unwrap_or_else(|| format!("Operations tagged `{}`.", k.replace('`', "'")))
        });
        groups.push(GroupDraft {
            tag: key,
            doc,
            operations,
        });
    }
    (groups, diags)
}
