//! Lowering phase 6: names, decided once.
//!
//! Takes: the type table, the grouped operations and the API versions. Gives: [`Names`], the
//! name of every model, resource namespace, method and operation struct. Which name each item
//! gets is decided here, in a fixed order; the identifiers themselves are made by
//! [`crate::naming`]:
//!
//! - models: component schemas first, in spec order, by their keys; then inline schemas in the
//!   order they were found, by their place (parent and property); then an inline enum takes the
//!   name of its property, when that name has two or more words and is free (`StatusType`
//!   rather than `PublicChannelIntegrationMessageUpdateRequestStatusType`, `MessageDirection`
//!   for one used in several places: the parent's name adds nothing there); last, the lenient forms
//!   webhook payloads carry of API models, as `Webhook` + the model's name; then the builders of
//!   structs with required fields, as the struct's name + `Builder`;
//! - namespaces: by tag, avoiding the crate root's items and the client's methods;
//! - methods: the operation's words without the tag's words (`publish` in `messages`); a
//!   version's own variant of an operation that other versions declare differently is named
//!   after its version (`create_v2`);
//! - operation structs: by all their words, unique in the crate.

use super::grouping::GroupDraft;
use super::operations::{remove_run, singular};
use super::schemas::{TypeNaming, TypeTable};
use crate::diagnostics::Diagnostics;
use crate::ir::{ApiVersion, Namespace, TypeId, TypeKind};
use crate::naming::{self, Name, Scope};
use std::collections::BTreeMap;

/// Every name lowering hands out at the end.
pub struct Names {
    /// Model names, by type id.
    pub types: Vec<Name>,
    /// Builder names, by type id: for structs with required fields.
    pub builders: Vec<Option<Name>>,
    /// The names of each group, in order.
    pub groups: Vec<GroupNames>,
}

/// The names of one group of operations.
pub struct GroupNames {
    /// Its namespace (`None` for untagged operations).
    pub namespace: Option<Namespace>,
    /// Per operation, in order: its method and its struct.
    pub operations: Vec<OperationNames>,
}

/// The names of one operation.
pub struct OperationNames {
    /// The method that starts a call (`publish`).
    pub method: Name,
    /// The struct that holds its parameters (`PublishMessage`).
    pub struct_name: Name,
}

/// The names the configuration gives (checked by `configure`).
pub struct Renames<'a> {
    /// Models, by id: they take these names before any other model is named.
    pub types: &'a BTreeMap<TypeId, Name>,
    /// Methods, by (group, operation) index, with the configuration's key for errors.
    pub methods: &'a super::configure::MethodRenames,
}

/// Names everything. Errors only where a method the configuration names meets another one.
pub fn assign(
    table: &TypeTable,
    groups: &[GroupDraft],
    versions: &[ApiVersion],
    renames: Renames<'_>,
) -> (Names, Diagnostics) {
    let (types, builders) = type_names(table, renames.types);
    let (groups, diags) = group_names(groups, versions, renames.methods);
    (
        Names {
            types,
            builders,
            groups,
        },
        diags,
    )
}

fn type_names(
    table: &TypeTable,
    renames: &BTreeMap<TypeId, Name>,
) -> (Vec<Name>, Vec<Option<Name>>) {
    let mut scope = Scope::default();
    let mut names: Vec<Option<Name>> = vec![None; table.types.len()];
    for (id, name) in renames {
        scope.reserve(name);
        names[id.index()] = Some(name.clone());
    }
    for (id, t) in table.iter() {
        if let (TypeNaming::Component(name), None) = (&t.naming, &names[id.index()]) {
            scope.reserve(name);
            names[id.index()] = Some(name.clone());
        }
    }
    for (id, t) in table.iter() {
        if let (TypeNaming::Inline { base, .. }, None) = (&t.naming, &names[id.index()]) {
            names[id.index()] = Some(scope.claim(base));
        }
    }
    let mut names: Vec<Name> = names
        .into_iter()
        .map(|n| n.unwrap_or_else(|| naming::fixed("Unnamed")))
        .collect();
    // Inline enums, in the order of the names they got above.
    let mut shared: Vec<(Name, usize, &str)> = table
        .iter()
        .filter_map(|(id, t)| match &t.naming {
            TypeNaming::Inline {
                property: Some(property),
                ..
            } if naming::snake_words(property).len() >= 2 && !renames.contains_key(&id) => {
                Some((names[id.index()].clone(), id.index(), property.as_str()))
            }
            _ => None,
        })
        .collect();
    shared.sort();
    for (current, index, property) in shared {
        let candidate = naming::type_name(property);
        if candidate != current && !scope.contains(candidate.as_str()) {
            names[index] = scope.claim(&candidate);
        }
    }
    for (id, t) in table.iter() {
        if let TypeNaming::WebhookTwin(original) = t.naming {
            let name = naming::type_name(&format!("Webhook {}", names[original.index()].as_str()));
            names[id.index()] = scope.claim(&name);
        }
    }
    // Builders last: a model keeps its name, and its builder takes the next free one.
    let builders = table
        .iter()
        .map(|(id, t)| {
            let required = matches!(&t.kind, TypeKind::Struct(s) if s.has_required_fields());
            required.then(|| {
                let name = naming::type_name(&format!("{} Builder", names[id.index()].as_str()));
                scope.claim(&name)
            })
        })
        .collect();
    (names, builders)
}

fn group_names(
    groups: &[GroupDraft],
    versions: &[ApiVersion],
    renames: &super::configure::MethodRenames,
) -> (Vec<GroupNames>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let root_methods = naming::reserved_client_methods();
    let mut type_scope = Scope::with_reserved(&naming::root_items());
    let mut accessor_scope = Scope::with_reserved(&root_methods);
    for v in versions {
        accessor_scope.reserve(&v.method);
    }
    let mut struct_scope = Scope::default();
    let mut out: Vec<GroupNames> = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let namespace = group.tag.as_deref().map(|tag| Namespace {
            accessor: accessor_scope.claim(&naming::field_name(tag)),
            type_name: type_scope.claim(&naming::type_name(tag)),
        });
        // Untagged operations are methods of the client (or version namespace) itself.
        let mut method_scope = match &namespace {
            Some(_) => Scope::with_reserved(naming::RESERVED_NAMESPACE_METHODS),
            None => {
                let mut scope = Scope::with_reserved(&root_methods);
                for v in versions {
                    scope.reserve(&v.method);
                }
                for ns in out.iter().filter_map(|g| g.namespace.as_ref()) {
                    scope.reserve(&ns.accessor);
                }
                scope
            }
        };
        let tag_words = group
            .tag
            .as_deref()
            .map(naming::snake_words)
            .unwrap_or_default();
        // The configuration's names first: the others are made around them. One that meets a
        // reserved method, another rename, or the name another method of the namespace would
        // have is an error (numbering either one would surprise).
        let natural: Vec<Name> = group
            .operations
            .iter()
            .map(|op| {
                let mut words = op.method_words.clone();
                if !remove_run(&mut words, &tag_words) {
                    remove_run(&mut words, &singular(&tag_words));
                }
                if words.is_empty() {
                    words = op.method_words.clone();
                }
                naming::field_name(&words.join("_"))
            })
            .collect();
        for (o, op) in group.operations.iter().enumerate() {
            let Some((name, at)) = renames.get(&(g, o)) else {
                continue;
            };
            let other = group.operations.iter().enumerate().find_map(|(p, other)| {
                if p == o {
                    return None;
                }
                match renames.get(&(g, p)) {
                    Some((theirs, _)) if theirs == name => {
                        Some(format!("the new name of `{}`", other.def.operation_id))
                    }
                    None if natural[p] == *name => {
                        Some(format!("the method of `{}`", other.def.operation_id))
                    }
                    _ => None,
                }
            });
            if method_scope.contains(name.as_str()) {
                diags.error(
                    at.clone(),
                    format!(
                        "`{name}` is a method every namespace (or the client) already has; choose another name for `{}`",
                        op.def.operation_id
                    ),
                );
            } else if let Some(other) = other {
                diags.error(
                    at.clone(),
                    format!(
                        "`{name}` is already {other} in the same namespace; rename that one too, or choose another name"
                    ),
                );
            }
        }
        for (o, _) in group.operations.iter().enumerate() {
            if let Some((name, _)) = renames.get(&(g, o)) {
                method_scope.reserve(name);
            }
        }
        let mut operations = Vec::new();
        for (o, op) in group.operations.iter().enumerate() {
            let mut words = op.method_words.clone();
            if !remove_run(&mut words, &tag_words) {
                remove_run(&mut words, &singular(&tag_words));
            }
            if words.is_empty() {
                words = op.method_words.clone();
            }
            let mut method = naming::field_name(&words.join("_"));
            let mut struct_words = op.struct_words.clone();
            if let [only] = op.versions[..] {
                // A version's own variant of an operation another version also has: name it
                // after its version (`create_v2`) rather than with a number.
                if method_scope.contains(method.as_str()) {
                    let v = &versions[only];
                    method = naming::versioned_method(&method, &v.method);
                    struct_words.extend(naming::snake_words(v.method.as_str()));
                }
            }
            let method = match renames.get(&(g, o)) {
                Some((name, _)) => name.clone(),
                None => method_scope.claim(&method),
            };
            operations.push(OperationNames {
                method,
                struct_name: struct_scope.claim(&naming::type_name(&struct_words.join("_"))),
            });
        }
        out.push(GroupNames {
            namespace,
            operations,
        });
    }
    (out, diags)
}
