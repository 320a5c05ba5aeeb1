//! Stage 3, lower: turns the resolved document into the IR.
//!
//! Takes: a [`Document`]. Gives: an [`Api`] (plus warnings), or every error found, each with
//! its JSON pointer. All checks happen here, so that emitting cannot fail.
//!
//! Lowering runs in phases, each taking data and giving data (with its own diagnostics):
//!
//! 1. [`extensions`]: the top-level spec extensions (API versions, client conventions);
//! 2. [`schemas`]: component schemas into a table of models, by [`TypeId`];
//! 3. [`operations`]: paths into operations (their inline schemas join the table), with
//!    [`bodies`] and [`security`]; then [`webhooks`], the events the API sends;
//! 4. [`grouping`]: operations paired across versions and grouped by tag; then
//!    [`webhook_views`], the lenient form of the models webhook payloads carry;
//! 5. [`graph`]: the type graph (recursion groups, alias loops, error-only models);
//! 6. [`names`]: every model, namespace, method and struct named, once;
//!
//! and `assemble` puts the results together into the IR.

pub mod bodies;
pub mod configure;
pub mod docs;
pub mod extensions;
pub mod graph;
pub mod grouping;
pub mod multipart;
pub mod names;
pub mod operations;
pub mod schemas;
pub mod security;
pub mod shape;
pub mod webhook_views;
pub mod webhooks;

use crate::config::Config;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::*;
use crate::load::Document;
use crate::resolve::Resolver;
use schemas::SchemaLowerer;
use std::collections::BTreeSet;

/// Lowers a document into the IR, as the configuration says (`Config::default()` for none).
pub fn lower(doc: &Document, config: &Config) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let declared_webhooks = diags.keep(webhooks::read(&doc.raw));
    let resolver = Resolver::new(&doc.api, &doc.raw);
    let extensions = diags.keep(extensions::read(&doc.raw));
    let schemas = SchemaLowerer::lower_components(&resolver);
    let (found, schemas, op_diags) = operations::lower(&resolver, schemas, &extensions.versions);
    let found = diags.keep((found, op_diags));
    let (mut found, mut dropped) = diags.keep(configure::select(config, &doc.api.tags, found));
    let (webhooks, schemas, webhook_diags) =
        webhooks::lower(&resolver, &declared_webhooks, schemas);
    let mut webhooks = diags.keep((webhooks, webhook_diags));
    let mut table = diags.keep(schemas.finish());
    let mut targets = diags.keep(configure::targets(config, &table));
    let replaced = diags.keep(configure::replace(config, &targets, &mut table));
    if !dropped.is_empty() || !replaced.is_empty() {
        let renumbered;
        (table, renumbered) = configure::prune(
            table,
            &mut found,
            &mut dropped,
            &replaced,
            &mut webhooks.events,
        );
        diags.extend(targets.renumber(config, &renumbered));
    }
    diags.extend(configure::rename_fields(config, &targets, &mut table));
    let type_renames = diags.keep(configure::type_renames(config, &targets, &table));
    let groups = diags.keep(grouping::group(&doc.api.tags, found));
    let method_renames = diags.keep(configure::method_renames(config, &groups, &dropped));
    let tag = webhooks.tag.clone();
    webhook_views::make_lenient(&mut table, &mut webhooks.events, tag.as_deref(), &groups);
    let payloads: Vec<&TypeRef> = webhooks.events.iter().map(|e| &e.payload).collect();
    let graph = diags.keep(graph::analyse(&table, &groups, &payloads));
    let names = diags.keep(names::assign(
        &table,
        &groups,
        &extensions.versions,
        names::Renames {
            types: &type_renames,
            methods: &method_renames,
        },
    ));
    let default_base_url = diags.keep(default_base_url(&doc.api));
    let mut api = assemble(Parts {
        info: &doc.api.info,
        default_base_url,
        security_schemes: security::schemes(&doc.api),
        extensions,
        table,
        groups,
        graph,
        names,
        webhooks,
    });
    diags.extend(configure::model_traits(config, &targets, &mut api));
    if config.features.per_tag {
        configure::features(&mut api);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((api, diags))
    }
}

/// What the phases give, to be put together.
struct Parts<'a> {
    info: &'a openapiv3::Info,
    default_base_url: Option<String>,
    security_schemes: Vec<SecuritySchemeDef>,
    extensions: extensions::Extensions,
    table: schemas::TypeTable,
    groups: Vec<grouping::GroupDraft>,
    graph: graph::GraphFacts,
    names: names::Names,
    webhooks: webhooks::Found,
}

/// Builds the IR from the phases' results: models get their names and recursion groups (and
/// the lenient form when only error responses use them), operations their names.
fn assemble(parts: Parts<'_>) -> Api {
    let Parts {
        info,
        default_base_url,
        security_schemes,
        extensions,
        table,
        groups,
        graph,
        names,
        webhooks,
    } = parts;
    let types = table
        .types
        .into_iter()
        .zip(names.types.into_iter().zip(names.builders))
        .enumerate()
        .map(|(i, (draft, (name, builder)))| {
            let id = TypeId(u32::try_from(i).expect("fewer than 2^32 models"));
            let kind = if graph.alias_cycles.contains(&id) {
                TypeKind::Alias(TypeRef::Json)
            } else {
                let mut kind = without_variants(id, draft.kind, &graph.looping_variants);
                kind.for_each_member_type_mut(|ty| {
                    ty.for_each_model_mut(&mut |model| {
                        if let TypeRef::Named(target) = *model {
                            if graph.indirect.contains(&(id, target)) {
                                *model = TypeRef::Indirect(target);
                            }
                        }
                    })
                });
                if graph.error_only.contains(&id) {
                    lenient(kind)
                } else {
                    kind
                }
            };
            // Named for every struct with required fields; kept where they still are (an
            // error-only model's are all relaxed).
            let builder =
                builder.filter(|_| matches!(&kind, TypeKind::Struct(s) if s.has_required_fields()));
            TypeDef {
                name,
                pointer: draft.pointer,
                doc: draft.doc,
                kind,
                cycle: graph.cycles[i],
                uses: draft.uses,
                builder,
                derives: Vec::new(),
                attributes: Vec::new(),
                feature: None,
            }
        })
        .collect();
    let groups = groups
        .into_iter()
        .zip(names.groups)
        .map(|(group, group_names)| Group {
            namespace: group_names.namespace,
            doc: group.doc,
            operations: group
                .operations
                .into_iter()
                .zip(group_names.operations)
                .map(|(op, op_names)| Operation {
                    method_name: op_names.method,
                    struct_name: op_names.struct_name,
                    versions: op.versions,
                    def: op.def,
                })
                .collect(),
            feature: None,
        })
        .collect();
    Api {
        title: info.title.clone(),
        doc: docs::summary_and_description(None, info.description.as_deref()),
        default_base_url,
        types,
        versions: extensions.versions,
        groups,
        security_schemes,
        conventions: extensions.conventions,
        recursion_limit: graph.recursion_limit,
        webhooks: if webhooks.events.is_empty() && extensions.signature.is_none() {
            None
        } else {
            Some(Webhooks {
                events: webhooks.events,
                tag: webhooks.tag,
                unknown_variant: webhooks.unknown_variant,
                malformed_variant: webhooks.malformed_variant,
                signature: extensions.signature,
            })
        },
        features: Vec::new(),
    }
}

/// A union without the variants the type graph found looping back to it.
fn without_variants(id: TypeId, kind: TypeKind, drop: &BTreeSet<(TypeId, usize)>) -> TypeKind {
    let TypeKind::Union(mut u) = kind else {
        return kind;
    };
    let mut index = 0;
    u.variants.retain(|_| {
        let keep = !drop.contains(&(id, index));
        index += 1;
        keep
    });
    TypeKind::Union(u)
}

/// The form of a model that only error responses use: every field optional, and ids and dates
/// kept as text, so that a malformed or partial error body stays typed.
fn lenient(kind: TypeKind) -> TypeKind {
    let TypeKind::Struct(mut s) = kind else {
        return kind;
    };
    for f in &mut s.fields {
        if f.presence.is_required() {
            f.presence = Presence::Optional;
        }
        if matches!(f.ty, TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date) {
            f.ty = TypeRef::String;
            f.doc = Some(docs::append(
                f.doc.take(),
                "Kept as text: error bodies are decoded leniently.",
            ));
        }
    }
    TypeKind::Struct(s)
}

/// The first server's URL with its variables set to their defaults, when that is an absolute
/// http(s) URL; otherwise none (the user sets the base URL) and a warning.
fn default_base_url(api: &openapiv3::OpenAPI) -> (Option<String>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some(server) = api.servers.first() else {
        return (None, diags);
    };
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    let at = Pointer::root().push("servers").push("0").push("url");
    if url.contains('{') || url.contains('}') {
        diags.warning(at, format!("server URL `{url}` has variables without a declared default; the client has no default base URL"));
        return (None, diags);
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        diags.warning(at, format!("server URL `{url}` is not an absolute http(s) URL; the client has no default base URL"));
        return (None, diags);
    }
    (Some(url), diags)
}
