//! Lowering with the configuration ([`Config`]): every part of it is checked against the spec
//! here, and every problem is an error at the configuration's file and key, with the reason.
//!
//! Takes: the configuration and, phase by phase, what lowering found. Gives:
//! - [`select`]: the operations kept and those left out (`[select]`);
//! - [`prune`]: the type table without the models only left-out operations use;
//! - [`Targets`]: which model each `[schemas.X]` entry names;
//! - [`rename_fields`]: fields renamed in the table (before the webhook side copies models);
//! - [`type_renames`] and [`method_renames`]: the names the configuration gives, checked;
//! - [`model_traits`]: derives and attributes on the assembled models, each derive checked
//!   against what the model holds.

use super::graph::reachable;
use super::grouping::GroupDraft;
use super::operations::FoundOperation;
use super::schemas::{TypeNaming, TypeTable};
use crate::config::{Config, Derive};
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{Api, OperationDef, TypeId, TypeKind, TypeRef, WebhookEvent};
use crate::naming::{self, Name};
use std::collections::{BTreeMap, BTreeSet};

/// The path an operation is declared under, as written in the spec (`/items/{id}`), read back
/// from its pointer.
fn full_path(def: &OperationDef) -> String {
    let rest = def.pointer.strip_prefix("#/paths/").unwrap_or(&def.pointer);
    let escaped = rest.rsplit_once('/').map_or(rest, |(path, _method)| path);
    escaped.replace("~1", "/").replace("~0", "~")
}

/// Whether an entry of the configuration names this operation: its operationId, or
/// `"METHOD /path"`.
fn names_operation(key: &str, def: &OperationDef) -> bool {
    key == def.operation_id
        || key.split_once(' ').is_some_and(|(method, path)| {
            method.eq_ignore_ascii_case(def.http_method.as_str()) && path == full_path(def)
        })
}

/// Splits the operations into those kept and those left out by `[select]`. Every tag,
/// operation and path it lists must be in the spec.
pub fn select(
    config: &Config,
    tags: &[openapiv3::Tag],
    found: Vec<FoundOperation>,
) -> ((Vec<FoundOperation>, Vec<FoundOperation>), Diagnostics) {
    let mut diags = Diagnostics::default();
    let s = &config.select;
    let known_tag = |tag: &str| {
        tags.iter().any(|t| t.name == tag) || found.iter().any(|f| f.tag.as_deref() == Some(tag))
    };
    let lists = [
        ("tags", &s.tags),
        ("operations", &s.operations),
        ("paths", &s.paths),
        ("exclude_tags", &s.exclude_tags),
        ("exclude_operations", &s.exclude_operations),
        ("exclude_paths", &s.exclude_paths),
    ];
    for (key, list) in lists {
        for (i, entry) in list.iter().enumerate() {
            let at = config.at(&format!("select.{key}[{i}]"));
            let exists = match key {
                "tags" | "exclude_tags" => known_tag(entry),
                "operations" | "exclude_operations" => {
                    found.iter().any(|f| names_operation(entry, &f.def))
                }
                _ => found.iter().any(|f| full_path(&f.def) == *entry),
            };
            if !exists {
                let what = match key {
                    "tags" | "exclude_tags" => {
                        format!("no operation or tag declaration of the spec has the tag `{entry}`")
                    }
                    "operations" | "exclude_operations" => format!(
                        "no operation of the spec has the operationId `{entry}` (or is `METHOD /path` for it)"
                    ),
                    _ => format!(
                        "the spec has no operation under the path `{entry}` (paths are written as in the spec's `paths`)"
                    ),
                };
                diags.error(at, what);
            }
        }
    }
    let matches = |f: &FoundOperation, tags: &[String], ops: &[String], paths: &[String]| {
        f.tag.as_ref().is_some_and(|t| tags.contains(t))
            || ops.iter().any(|k| names_operation(k, &f.def))
            || paths.contains(&full_path(&f.def))
    };
    let include_all = s.tags.is_empty() && s.operations.is_empty() && s.paths.is_empty();
    let (kept, dropped) = found.into_iter().partition(|f| {
        (include_all || matches(f, &s.tags, &s.operations, &s.paths))
            && !matches(f, &s.exclude_tags, &s.exclude_operations, &s.exclude_paths)
    });
    ((kept, dropped), diags)
}

/// Removes the models that only left-out operations (or the schemas replaced by existing types)
/// use: those they reach and nothing else does (kept operations, webhook payloads, and the
/// models no operation reaches, which are generated as before). Gives the table with the
/// remaining models renumbered (every reference follows), and each old id's new one.
pub fn prune(
    table: TypeTable,
    kept: &mut [FoundOperation],
    dropped: &mut [FoundOperation],
    replaced_members: &[TypeRef],
    events: &mut [WebhookEvent],
) -> (TypeTable, Vec<Option<TypeId>>) {
    let roots_of = |ops: &mut [FoundOperation]| {
        let mut roots = Vec::new();
        for op in ops {
            roots.extend(op.def.types());
        }
        roots
    };
    let mut dropped_roots = roots_of(dropped);
    dropped_roots.extend(replaced_members.iter().cloned());
    let from_dropped = reachable(&table, dropped_roots.iter());
    let mut used_roots = roots_of(kept);
    used_roots.extend(events.iter().map(|e| e.payload.clone()));
    used_roots.extend(
        table
            .iter()
            .filter(|(id, _)| !from_dropped.contains(id))
            .map(|(id, _)| TypeRef::Named(id)),
    );
    let used = reachable(&table, used_roots.iter());
    let mut renumbered: Vec<Option<TypeId>> = Vec::with_capacity(table.types.len());
    let mut next = 0u32;
    for (id, _) in table.iter() {
        if used.contains(&id) {
            renumbered.push(Some(TypeId(next)));
            next += 1;
        } else {
            renumbered.push(None);
        }
    }
    let remap = |t: &mut TypeRef| {
        t.for_each_model_mut(&mut |model| match model {
            TypeRef::Named(id) | TypeRef::Indirect(id) => {
                // A kept place only reaches kept models.
                if let Some(new) = renumbered[id.index()] {
                    *id = new;
                }
            }
            _ => {}
        })
    };
    let mut types = Vec::new();
    for (i, mut t) in table.types.into_iter().enumerate() {
        if renumbered[i].is_none() {
            continue;
        }
        t.kind.for_each_member_type_mut(remap);
        if let TypeNaming::WebhookTwin(original) = &mut t.naming {
            if let Some(new) = renumbered[original.index()] {
                *original = new;
            }
        }
        types.push(t);
    }
    for op in kept {
        op.def.for_each_type_mut(&mut |t| remap(t));
    }
    for e in events {
        remap(&mut e.payload);
    }
    (TypeTable { types }, renumbered)
}

/// Which model each `[schemas.KEY]` entry names, by key.
pub struct Targets {
    /// Key -> model.
    pub by_key: BTreeMap<String, TypeId>,
    /// Key -> the pointer it names.
    pointers: BTreeMap<String, String>,
}

impl Targets {
    /// Follows [`prune`]'s renumbering; an entry whose model was removed is an error.
    pub fn renumber(&mut self, config: &Config, renumbered: &[Option<TypeId>]) -> Diagnostics {
        let mut diags = Diagnostics::default();
        self.by_key.retain(|key, id| match renumbered[id.index()] {
            Some(new) => {
                *id = new;
                true
            }
            None => {
                diags.error(
                    config.at(&format!("schemas.{}", toml_key(key))),
                    format!(
                        "`{}` is not generated: only operations that `[select]` leaves out (or schemas replaced by existing types) use it",
                        self.pointers[key]
                    ),
                );
                false
            }
        });
        diags
    }
}

/// Finds the model of every `[schemas.KEY]` entry: a component schema's key, or a JSON pointer
/// to a schema that is a model (a component, or an inline object, enum or union).
pub fn targets(config: &Config, table: &TypeTable) -> (Targets, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut by_key = BTreeMap::new();
    let mut pointers = BTreeMap::new();
    for key in config.schemas.keys() {
        let pointer = if key.starts_with('#') {
            key.clone()
        } else {
            Pointer::root()
                .push("components")
                .push("schemas")
                .push(key)
                .into()
        };
        let found = table.iter().find(|(_, t)| {
            !matches!(t.naming, TypeNaming::WebhookTwin(_))
                && (t.pointer == pointer || t.uses.contains(&pointer))
        });
        match found {
            Some((id, _)) => {
                by_key.insert(key.clone(), id);
                pointers.insert(key.clone(), pointer);
            }
            None if key.starts_with('#') => diags.error(
                config.at(&format!("schemas.{}", toml_key(key))),
                format!("no model is generated for `{pointer}`: a key names a component schema or the pointer of one that is an object, enum or union"),
            ),
            None => diags.error(
                config.at(&format!("schemas.{}", toml_key(key))),
                format!("the spec has no schema `{key}` under `#/components/schemas`"),
            ),
        }
    }
    (Targets { by_key, pointers }, diags)
}

/// The crates every generated crate depends on, besides those of `[dependencies]`: a
/// replacement's path may start with them.
const KNOWN_CRATES: &[&str] = &["std", "core", "alloc", "serde_json", "chrono", "uuid"];

/// Replaces the schemas `[schemas.X] replace` names by their existing Rust types, and checks
/// `[dependencies]`. Gives what the replaced models held (the models only they reach are
/// pruned).
pub fn replace(
    config: &Config,
    targets: &Targets,
    table: &mut TypeTable,
) -> (Vec<TypeRef>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let runtime: BTreeSet<String> = runtime_dependencies();
    for name in config.dependencies.keys() {
        if runtime.contains(name) {
            diags.error(
                config.at(&format!("dependencies.{}", toml_key(name))),
                format!("`{name}` is a dependency of every generated crate already (the runtime's); it cannot be given again"),
            );
        }
    }
    let crates: BTreeSet<String> = config
        .dependencies
        .keys()
        // The name code uses, also for a renamed package (`package = ".."`).
        .map(|name| name.replace('-', "_"))
        .chain(KNOWN_CRATES.iter().map(|c| (*c).to_owned()))
        .collect();
    let mut former = Vec::new();
    for (key, entry) in &config.schemas {
        let (Some(replacement), Some(&id)) = (&entry.replace, targets.by_key.get(key)) else {
            continue;
        };
        let at = config.at(&format!("schemas.{}.replace", toml_key(key)));
        for (what, given) in [
            ("fields", !entry.fields.is_empty()),
            ("derive", !entry.derive.is_empty()),
            ("attributes", !entry.attributes.is_empty()),
        ] {
            if given {
                diags.error(
                    config.at(&format!("schemas.{}.{what}", toml_key(key))),
                    format!(
                        "the schema is replaced by `{}`: there is no generated type to change",
                        replacement.path
                    ),
                );
            }
        }
        let path = match syn::parse_str::<syn::Path>(&replacement.path) {
            Ok(path) => path,
            Err(_) => {
                diags.error(
                    format!("{at}.type"),
                    format!("`{}` is not a Rust path", replacement.path),
                );
                continue;
            }
        };
        let first = path
            .segments
            .first()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if path.segments.len() < 2 || !crates.contains(&first) {
            diags.error(
                format!("{at}.type"),
                format!(
                    "`{}` must start with a crate the generated crate depends on: add `{first}` under `[dependencies]` (or use one of {})",
                    replacement.path,
                    KNOWN_CRATES.join(", ")
                ),
            );
            continue;
        }
        let draft = &mut table.types[id.index()];
        former.extend(draft.kind.referenced().into_iter().map(TypeRef::Named));
        let mut implements = replacement.implements.clone();
        implements.sort();
        implements.dedup();
        draft.kind = TypeKind::External(crate::ir::ExternalType {
            path: format!("::{}", replacement.path.trim_start_matches("::")),
            implements,
        });
    }
    (former, diags)
}

/// The names of the runtime's dependencies, which every generated crate has.
fn runtime_dependencies() -> BTreeSet<String> {
    toml::from_str::<toml::Table>(crate::runtime_source::RUNTIME_DEPENDENCIES)
        .ok()
        .and_then(|t| t.get("dependencies").and_then(|d| d.as_table()).cloned())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

/// A key as TOML writes it in a dotted key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

/// Renames fields as `[schemas.X] fields = { wire = "rust" }` says. A name must be a snake_case
/// Rust identifier and unique in its struct.
pub fn rename_fields(config: &Config, targets: &Targets, table: &mut TypeTable) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (key, entry) in &config.schemas {
        let Some(&id) = targets.by_key.get(key) else {
            continue;
        };
        if entry.fields.is_empty() {
            continue;
        }
        let draft = &mut table.types[id.index()];
        let TypeKind::Struct(s) = &mut draft.kind else {
            diags.error(
                config.at(&format!("schemas.{}.fields", toml_key(key))),
                format!(
                    "`{}` is not an object: it has no fields to rename",
                    draft.pointer
                ),
            );
            continue;
        };
        for (wire, rust) in &entry.fields {
            let at = config.at(&format!(
                "schemas.{}.fields.{}",
                toml_key(key),
                toml_key(wire)
            ));
            let name = naming::field_name(rust);
            if name.as_str() != rust {
                diags.error(
                    at,
                    format!("`{rust}` is not a snake_case Rust identifier (`{name}` would be)"),
                );
                continue;
            }
            let Some(index) = s.fields.iter().position(|f| f.wire == *wire) else {
                let known: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
                diags.error(
                    at,
                    format!(
                        "`{}` has no property `{wire}` (it has: {})",
                        draft.pointer,
                        known.join(", ")
                    ),
                );
                continue;
            };
            let clash = s
                .fields
                .iter()
                .enumerate()
                .find(|(i, f)| *i != index && f.name == name)
                .map(|(_, f)| format!("the field of `{}`", f.wire))
                .or_else(|| {
                    s.additional
                        .as_ref()
                        .filter(|a| a.name == name)
                        .map(|_| "the field that keeps additional properties".to_owned())
                });
            if let Some(clash) = clash {
                diags.error(at, format!("`{rust}` is already {clash} in `{}`; rename that one too, or choose another name", draft.pointer));
                continue;
            }
            s.fields[index].setter = naming::setter_name(&name);
            s.fields[index].name = name;
        }
        // Setters follow their fields; two renamed fields could still meet there.
        let mut setters = BTreeSet::new();
        for f in &s.fields {
            if !setters.insert(f.setter.clone()) {
                diags.error(
                    config.at(&format!("schemas.{}.fields", toml_key(key))),
                    format!(
                        "two fields of `{}` would have the setter `{}`",
                        draft.pointer, f.setter
                    ),
                );
            }
        }
    }
    diags
}

/// The type names `[schemas.X] rename` gives, checked: an UpperCamelCase identifier, not the
/// name of another component schema (or of another rename).
pub fn type_renames(
    config: &Config,
    targets: &Targets,
    table: &TypeTable,
) -> (BTreeMap<TypeId, Name>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut renames = BTreeMap::new();
    for (key, entry) in &config.schemas {
        let (Some(rename), Some(&id)) = (&entry.rename, targets.by_key.get(key)) else {
            continue;
        };
        let at = config.at(&format!("schemas.{}.rename", toml_key(key)));
        let name = naming::type_name(rename);
        if name.as_str() != rename {
            diags.error(
                at,
                format!("`{rename}` is not an UpperCamelCase Rust identifier (`{name}` would be)"),
            );
            continue;
        }
        renames.insert(id, (name, at));
    }
    // Every component keeps its key's name unless renamed: a rename must not meet one of them,
    // nor another rename.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (id, t) in table.iter() {
        if let (TypeNaming::Component(name), false) = (&t.naming, renames.contains_key(&id)) {
            taken.insert(
                name.as_str().to_owned(),
                format!("the name of `{}`", t.pointer),
            );
        }
    }
    let mut out = BTreeMap::new();
    for (id, (name, at)) in renames {
        match taken.get(name.as_str()) {
            Some(other) => diags.error(
                at,
                format!("`{name}` is already {other}; rename that one too, or choose another name"),
            ),
            None => {
                taken.insert(
                    name.as_str().to_owned(),
                    format!("the new name of `{}`", table.get(id).pointer),
                );
                out.insert(id, name);
            }
        }
    }
    (out, diags)
}

/// New method names by (group, operation) index, each with the configuration's key it came from.
pub type MethodRenames = BTreeMap<(usize, usize), (Name, String)>;

/// The methods `[operations.X] rename` gives, by (group, operation) index, checked: a
/// snake_case identifier naming an operation that is generated. (Whether it meets another
/// method of its namespace is checked where methods are named, in `names`.)
pub fn method_renames(
    config: &Config,
    groups: &[GroupDraft],
    dropped: &[FoundOperation],
) -> (MethodRenames, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut out = BTreeMap::new();
    for (key, entry) in &config.operations {
        let at = config.at(&format!("operations.{}", toml_key(key)));
        let found = groups.iter().enumerate().find_map(|(g, group)| {
            group
                .operations
                .iter()
                .position(|op| names_operation(key, &op.def))
                .map(|o| (g, o))
        });
        let Some(place) = found else {
            if dropped.iter().any(|f| names_operation(key, &f.def)) {
                diags.error(
                    at,
                    format!("`{key}` is not generated: `[select]` leaves it out"),
                );
            } else {
                diags.error(at, format!("no operation of the spec has the operationId `{key}` (or is `METHOD /path` for it)"));
            }
            continue;
        };
        let Some(rename) = &entry.rename else {
            continue;
        };
        let at = format!("{at}.rename");
        let name = naming::field_name(rename);
        if name.as_str() != rename || rename.starts_with('_') {
            diags.error(
                at,
                format!("`{rename}` is not a snake_case Rust identifier (`{name}` would be)"),
            );
            continue;
        }
        // The same operation sent with another media type of its body (`create_form`) follows
        // the rename (`add_form`).
        let (g, o) = place;
        let primary = &groups[g].operations[o];
        for (other, op) in groups[g].operations.iter().enumerate() {
            let extra = op
                .method_words
                .strip_prefix(primary.method_words.as_slice());
            if let (true, Some(extra)) =
                (other != o && op.def.pointer == primary.def.pointer, extra)
            {
                let words = std::iter::once(rename.clone()).chain(extra.iter().cloned());
                let alternative = naming::field_name(&words.collect::<Vec<_>>().join("_"));
                out.insert((g, other), (alternative, at.clone()));
            }
        }
        out.insert(place, (name, at));
    }
    (out, diags)
}

/// What a member holds that keeps a trait from holding for its model.
enum Blocker {
    /// A type with no such trait: what it is and why it has none ("a float (`f64`), which has
    /// no `Eq`").
    Leaf(String),
    /// A model where the trait cannot hold.
    Model(TypeId),
}

/// The members of a model, with how a message names each.
fn members(kind: &TypeKind) -> Vec<(String, &TypeRef)> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (format!("field `{}`", f.name), &f.ty))
            .chain(
                s.additional
                    .iter()
                    .map(|a| ("additional-property value".to_owned(), &a.ty)),
            )
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .map(|v| (format!("variant `{}`", v.name), &v.ty))
            .collect(),
        TypeKind::Alias(a) => vec![("aliased type".to_owned(), a)],
        TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
    }
}

/// Why `d` cannot hold for a value of `ty`, when `can` says which models it holds for.
fn blocker(d: Derive, ty: &TypeRef, can: &[bool]) -> Option<Blocker> {
    match ty {
        TypeRef::F32 if matches!(d, Derive::Eq | Derive::Hash | Derive::Ord) => Some(
            Blocker::Leaf(format!("a float (`f32`), which has no `{}`", d.as_str())),
        ),
        TypeRef::F64 if matches!(d, Derive::Eq | Derive::Hash | Derive::Ord) => Some(
            Blocker::Leaf(format!("a float (`f64`), which has no `{}`", d.as_str())),
        ),
        TypeRef::Json if matches!(d, Derive::PartialOrd | Derive::Ord) => {
            Some(Blocker::Leaf(format!(
                "any JSON (`serde_json::Value`), which has no `{}`",
                d.as_str()
            )))
        }
        TypeRef::Named(id) | TypeRef::Indirect(id) => {
            (!can[id.index()]).then_some(Blocker::Model(*id))
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            blocker(d, inner, can)
        }
        _ => None,
    }
}

/// The first reason of a model that `d` cannot hold for it.
fn own_blocker(d: Derive, kind: &TypeKind, can: &[bool]) -> Option<(String, Blocker)> {
    if let TypeKind::Union(u) = kind {
        if matches!(d, Derive::PartialOrd | Derive::Ord) {
            return Some((
                format!("catch-all variant `{}`", u.unknown_variant),
                Blocker::Leaf(format!(
                    "any JSON (`serde_json::Value`), which has no `{}`",
                    d.as_str()
                )),
            ));
        }
    }
    if let TypeKind::External(e) = kind {
        if !e.implements.contains(&d) {
            return Some((
                "replacement".to_owned(),
                Blocker::Leaf(format!(
                    "`{}`, which the configuration does not list as implementing `{}` (its `implements`)",
                    e.path,
                    d.as_str()
                )),
            ));
        }
    }
    members(kind)
        .into_iter()
        .find_map(|(label, ty)| blocker(d, ty, can).map(|b| (label, b)))
}

/// For each model, whether `d` can hold for it: the largest set of models where every member
/// has it (so recursive models can).
fn holds(api: &Api, d: Derive) -> Vec<bool> {
    let mut can = vec![true; api.types.len()];
    loop {
        let mut changed = false;
        for (i, t) in api.types.iter().enumerate() {
            if can[i] && own_blocker(d, &t.kind, &can).is_some() {
                can[i] = false;
                changed = true;
            }
        }
        if !changed {
            return can;
        }
    }
}

/// Why `d` cannot hold for model `id`, following models down to the member that has no such
/// trait: "field `items` holds `Item`, whose field `price` is a float (`f64`)"; and the model
/// that member belongs to.
fn why_not(api: &Api, d: Derive, id: TypeId, can: &[bool]) -> (String, TypeId) {
    let mut out = String::new();
    let mut at = id;
    let mut seen = BTreeSet::new();
    while seen.insert(at) {
        let Some((label, b)) = own_blocker(d, &api.type_def(at).kind, can) else {
            break;
        };
        if !out.is_empty() {
            out.push_str(", whose ");
        }
        out.push_str(&label);
        match b {
            Blocker::Leaf(what) => {
                out.push_str(&format!(" is {what}"));
                break;
            }
            Blocker::Model(next) => {
                out.push_str(&format!(" holds `{}`", api.type_def(next).name));
                at = next;
            }
        }
    }
    (out, at)
}

/// Whether derives and attributes go on this kind of model: structs and unions take both;
/// enums derive every checked trait already and take attributes; aliases take neither (their
/// target does).
fn derives_apply(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Struct(_) | TypeKind::Union(_))
}

/// Puts on the assembled models the derives and attributes the configuration asks for, and
/// refuses (with the reason, at the model) a derive that cannot hold.
pub fn model_traits(config: &Config, targets: &Targets, api: &mut Api) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let n = api.types.len();
    let mut derives: Vec<BTreeSet<Derive>> = vec![BTreeSet::new(); n];
    let mut attributes: Vec<Vec<String>> = vec![Vec::new(); n];
    let wanted: BTreeSet<Derive> = config
        .models
        .derive
        .iter()
        .chain(config.schemas.values().flat_map(|s| &s.derive))
        .flat_map(|d| d.with_prerequisites().iter().copied())
        .collect();
    let can: BTreeMap<Derive, Vec<bool>> = wanted.iter().map(|&d| (d, holds(api, d))).collect();
    let all: BTreeSet<Derive> = config
        .models
        .derive
        .iter()
        .flat_map(|d| d.with_prerequisites().iter().copied())
        .collect();
    // Refused for every model: said once, at each model whose own member makes it impossible,
    // with the models that fail through it.
    let mut refused: BTreeMap<(Derive, TypeId), Vec<String>> = BTreeMap::new();
    for (i, t) in api.types.iter().enumerate() {
        if !derives_apply(&t.kind) {
            continue;
        }
        for &d in &all {
            if can[&d][i] {
                derives[i].insert(d);
            } else if !config.models.derive_where_possible {
                let (_, cause) = why_not(api, d, TypeId(i as u32), &can[&d]);
                let through = refused.entry((d, cause)).or_default();
                if cause.index() != i {
                    through.push(format!("`{}`", t.name));
                }
            }
        }
    }
    for ((d, cause), through) in refused {
        let t = api.type_def(cause);
        let (why, _) = why_not(api, d, cause, &can[&d]);
        let also = if through.is_empty() {
            String::new()
        } else {
            format!(
                " (and so on every model that holds it: {})",
                through.join(", ")
            )
        };
        diags.error(
            config.at("models.derive"),
            format!(
                "`{}` cannot be derived on `{}` ({}): {why}{also}; set `derive_where_possible = true` to derive it only where it can hold",
                d.as_str(),
                t.name,
                t.pointer,
            ),
        );
    }
    for (key, entry) in &config.schemas {
        let Some(&id) = targets.by_key.get(key) else {
            continue;
        };
        let requested: BTreeSet<Derive> = entry
            .derive
            .iter()
            .flat_map(|d| d.with_prerequisites().iter().copied())
            .collect();
        let closure = reachable_models(api, id);
        for d in requested {
            if !can[&d][id.index()] {
                diags.error(
                    config.at(&format!("schemas.{}.derive", toml_key(key))),
                    format!(
                        "`{}` cannot be derived on `{}`: {}",
                        d.as_str(),
                        api.type_def(id).name,
                        why_not(api, d, id, &can[&d]).0
                    ),
                );
                continue;
            }
            // The models it holds need the trait too.
            for m in &closure {
                if derives_apply(&api.type_def(*m).kind) {
                    derives[m.index()].insert(d);
                }
            }
        }
    }
    let check_attribute = |at: String, text: &str, diags: &mut Diagnostics| -> bool {
        use syn::parse::Parser;
        match syn::Attribute::parse_outer.parse_str(text) {
            Ok(attrs) if attrs.len() == 1 => true,
            _ => {
                diags.error(
                    at,
                    format!("`{text}` is not one outer attribute (`#[...]`)"),
                );
                false
            }
        }
    };
    let mut common = Vec::new();
    for (i, a) in config.models.attributes.iter().enumerate() {
        if check_attribute(config.at(&format!("models.attributes[{i}]")), a, &mut diags) {
            common.push(a.clone());
        }
    }
    for (i, t) in api.types.iter().enumerate() {
        if !matches!(t.kind, TypeKind::Alias(_) | TypeKind::External(_)) {
            attributes[i].extend(common.iter().cloned());
        }
    }
    for (key, entry) in &config.schemas {
        let Some(&id) = targets.by_key.get(key) else {
            continue;
        };
        for (i, a) in entry.attributes.iter().enumerate() {
            let at = config.at(&format!("schemas.{}.attributes[{i}]", toml_key(key)));
            if matches!(
                api.type_def(id).kind,
                TypeKind::Alias(_) | TypeKind::External(_)
            ) {
                diags.error(
                    at,
                    format!(
                        "`{}` is generated as a type alias, which takes no attributes",
                        api.type_def(id).name
                    ),
                );
                continue;
            }
            if check_attribute(at, a, &mut diags) {
                attributes[id.index()].push(a.clone());
            }
        }
    }
    for ((t, d), a) in api.types.iter_mut().zip(derives).zip(attributes) {
        t.derives = d.into_iter().collect();
        t.attributes = a;
    }
    diags
}

/// `id` and every model it holds, at any depth.
fn reachable_models(api: &Api, id: TypeId) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![id];
    while let Some(at) = stack.pop() {
        if seen.insert(at) {
            stack.extend(api.type_def(at).kind.referenced());
        }
    }
    seen
}

/// Puts each tagged group, and the models only it uses, behind a Cargo feature of its own.
///
/// A model is gated when exactly one tagged group reaches it and nothing always built does:
/// not a webhook payload, an untagged operation, the crate's common error type, nor a model
/// no operation reaches (all generated as before). Everything such a model holds is then
/// reached by that group alone too, or is always built, so a crate built with any set of
/// features compiles. Models shared by several groups are always built rather than gated by
/// `any(..)` of them: a model's presence never depends on a combination of features, and the
/// compile time that matters, a resource's operations and its own models, is still saved.
pub fn features(api: &mut Api) {
    let mut scope = naming::Scope::with_reserved(&["client", "default"]);
    let roots = OperationDef::types;
    let reach = |roots: &[TypeRef]| -> BTreeSet<TypeId> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<TypeId> = roots.iter().flat_map(TypeRef::models).collect();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(api.type_def(id).kind.referenced());
            }
        }
        seen
    };
    let mut always_roots: Vec<TypeRef> = Vec::new();
    if let Some(w) = &api.webhooks {
        always_roots.extend(w.events.iter().map(|e| e.payload.clone()));
    }
    always_roots.extend(api.common_error_type());
    let mut owners: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    let mut reached_by_ops = BTreeSet::new();
    for (g, group) in api.groups.iter().enumerate() {
        let roots: Vec<TypeRef> = group
            .operations
            .iter()
            .flat_map(|op| roots(&op.def))
            .collect();
        let reached = reach(&roots);
        reached_by_ops.extend(reached.iter().copied());
        if group.namespace.is_none() {
            always_roots.extend(roots);
            continue;
        }
        for id in reached {
            owners[id.index()].insert(g);
        }
    }
    always_roots.extend(
        (0..api.types.len())
            .map(|i| TypeId(i as u32))
            .filter(|id| owners[id.index()].len() != 1 || !reached_by_ops.contains(id))
            .map(TypeRef::Named),
    );
    let always = reach(&always_roots);
    let mut names: Vec<Option<String>> = vec![None; api.groups.len()];
    for (g, group) in api.groups.iter_mut().enumerate() {
        let Some(ns) = &group.namespace else {
            continue;
        };
        let name = scope.claim(&ns.accessor).as_str().to_owned();
        group.feature = Some(name.clone());
        names[g] = Some(name);
    }
    api.features = api
        .groups
        .iter()
        .zip(&names)
        .filter_map(|(group, name)| {
            let ns = group.namespace.as_ref()?;
            Some(crate::ir::Feature {
                name: name.clone()?,
                namespace: ns.type_name.as_str().to_owned(),
            })
        })
        .collect();
    for (i, t) in api.types.iter_mut().enumerate() {
        if always.contains(&TypeId(i as u32)) {
            continue;
        }
        if let [g] = owners[i].iter().copied().collect::<Vec<_>>()[..] {
            t.feature = names[g].clone();
        }
    }
}
