//! The public API of a generated crate, one line per item: what a reviewer reads to see what a
//! spec change does to the crate's users.
//!
//! Takes: the IR ([`Api`]). Gives: a sorted listing (made from the IR, not by parsing the
//! output): API versions, namespaces and their methods (required arguments, optional
//! parameters, output, whether they page), models (every field with its type and whether it is
//! required), enums with their values, unions with their variants, webhook events, signature
//! schemes and security schemes. Rust types are written short (`Vec<PublicSender>`,
//! `Option<String>`), so that a line changes exactly when the API a user touches does.

use crate::ir::{
    Api, Field, FormFieldKind, MultipartForm, Operation, Presence, ResponseBody, TypeDef, TypeKind,
    TypeRef,
};

/// What kind of item a line of the surface is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    /// A Cargo feature of the crate.
    Feature,
    /// An API version namespace (`client.v3()`).
    Version,
    /// A security scheme's constant.
    Security,
    /// A resource namespace (`client.messages()`).
    Namespace,
    /// An operation's method.
    Method,
    /// A model: struct, enum, union or alias.
    Type,
    /// A struct's field (or its fixed tag).
    Field,
    /// An enum's value.
    EnumValue,
    /// A union's variant.
    UnionVariant,
    /// A webhook event (a variant of `webhooks::WebhookEvent`).
    WebhookEvent,
    /// A webhook signature scheme (a variant of `webhooks::Scheme`).
    WebhookScheme,
}

/// One item of the public API: `key` names it (unique in a crate), `detail` says what it is
/// (its type, arguments, output, value); the line is the two joined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// The line up to what may change (`struct PublicSender.name`).
    pub key: String,
    /// The rest of the line (`: Option<String>`).
    pub detail: String,
    /// What it is.
    pub kind: ItemKind,
    /// The model or namespace it belongs to, for grouping a report (`PublicSender`,
    /// `client.messages()`).
    pub group: String,
}

fn item(kind: ItemKind, group: impl Into<String>, key: String, detail: String) -> Item {
    Item {
        key,
        detail,
        kind,
        group: group.into(),
    }
}

/// The API surface of `api`, one sorted line per item.
pub fn surface(api: &Api) -> String {
    let mut lines: Vec<String> = items(api)
        .into_iter()
        .map(|i| format!("{}{}", i.key, i.detail))
        .collect();
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The items of `api`'s public API, sorted by key, one per key.
pub fn items(api: &Api) -> Vec<Item> {
    let mut items = vec![item(
        ItemKind::Feature,
        "crate",
        "feature client".to_owned(),
        " (default): the HTTP client; without it, models and webhooks only".to_owned(),
    )];
    for f in &api.features {
        items.push(item(
            ItemKind::Feature,
            "crate",
            format!("feature {}", f.name),
            format!(
                " (default, enables client): the `{}` namespace, its operations and the models only they use",
                f.namespace
            ),
        ));
    }
    for v in &api.versions {
        let key = format!("version {}", v.method);
        let detail = format!(" `{}` prefix {}", v.name, v.prefix);
        items.push(item(ItemKind::Version, "client", key, detail));
    }
    for s in &api.security_schemes {
        let key = format!("security {}", s.const_name);
        items.push(item(
            ItemKind::Security,
            "client",
            key,
            format!(" `{}`", s.name),
        ));
    }
    for g in &api.groups {
        let at = g.namespace.as_ref().map_or_else(
            || "client".to_owned(),
            |ns| format!("client.{}()", ns.accessor),
        );
        if let Some(ns) = &g.namespace {
            let key = format!("namespace {at}");
            items.push(item(
                ItemKind::Namespace,
                &at,
                key,
                format!(" -> {}", ns.type_name),
            ));
        }
        for op in &g.operations {
            items.push(method(api, &at, op));
        }
    }
    for t in &api.types {
        model(api, t, &mut items);
    }
    for (op, _, form) in crate::emit::forms::forms_of(api) {
        multipart_form(api, op, form, &mut items);
    }
    if let Some(hooks) = &api.webhooks {
        for e in &hooks.events {
            let key = format!("webhook event `{}`", e.key);
            let detail = format!(" -> {}", short(api, &e.payload));
            items.push(item(ItemKind::WebhookEvent, "webhooks", key, detail));
        }
        for s in hooks.signature.iter().flat_map(|s| &s.schemes) {
            let replayable = if s.replayable { " (replayable)" } else { "" };
            let key = format!("webhook scheme {}", s.variant);
            let detail = format!(" `{}`{replayable}", s.name);
            items.push(item(ItemKind::WebhookScheme, "webhooks", key, detail));
        }
    }
    items.sort();
    items.dedup_by(|a, b| a.key == b.key);
    items
}

/// `method client.messages().publish(channel_id: i32, body: &ChannelIntegrationMessageEgg) ->
/// PublicConversationsMessage [v3, 2026-03] optional(..) paged(..) deprecated`.
fn method(api: &Api, at: &str, op: &Operation) -> Item {
    let def = &op.def;
    let mut args: Vec<String> = def
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("{}: {}", p.name, short(api, &p.ty)))
        .collect();
    let mut optional: Vec<String> = def
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("{}: {}", p.name, short(api, &p.ty)))
        .collect();
    if let Some(b) = &def.body {
        let body = match &b.form {
            Some(_) => format!(
                "body: {} ({})",
                crate::emit::forms::form_name(&op.struct_name),
                b.media_type
            ),
            None => format!("body: &{}", short(api, &b.ty)),
        };
        if b.required {
            args.push(body);
        } else {
            optional.push(body);
        }
    }
    let output = match &def.success {
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Json(t) => short(api, t),
        ResponseBody::JsonOrEmpty(t) => format!("Option<{}>", short(api, t)),
        ResponseBody::Text => "String".to_owned(),
        ResponseBody::ByteStream => "ByteStream".to_owned(),
        ResponseBody::Events(None) => "EventStream<String>".to_owned(),
        ResponseBody::Events(Some(t)) => format!("EventStream<{}>", short(api, t)),
    };
    let key = format!("method {at}.{}", op.method_name);
    let mut line = format!("({}) -> {output}", args.join(", "));
    if !op.versions.is_empty() {
        let versions: Vec<&str> = op
            .versions
            .iter()
            .map(|&i| api.versions[i].name.as_str())
            .collect();
        line.push_str(&format!(" [{}]", versions.join(", ")));
    }
    if !optional.is_empty() {
        line.push_str(&format!(" optional({})", optional.join(", ")));
    }
    if let Some(p) = &def.pagination {
        line.push_str(&format!(" paged({})", short(api, &p.item_type)));
    }
    if let Some(e) = &def.error_type {
        line.push_str(&format!(" error({})", short(api, e)));
    }
    // The credentials it takes: alternatives separated by `|`, schemes needed together by `+`.
    if !def.security.is_empty() {
        let alternatives: Vec<String> = def
            .security
            .iter()
            .map(|all| {
                if all.is_empty() {
                    "none".to_owned()
                } else {
                    let names: Vec<&str> = all.iter().map(|s| s.scheme.as_str()).collect();
                    names.join("+")
                }
            })
            .collect();
        line.push_str(&format!(" auth({})", alternatives.join(" | ")));
    }
    if def.deprecated {
        line.push_str(" deprecated");
    }
    item(ItemKind::Method, at, key, line)
}

/// The lines of a multipart body's form: the struct, then one per part.
fn multipart_form(api: &Api, op: &Operation, form: &MultipartForm, items: &mut Vec<Item>) {
    let name = crate::emit::forms::form_name(&op.struct_name).to_string();
    items.push(item(
        ItemKind::Type,
        &name,
        format!("form {name}"),
        String::new(),
    ));
    for f in &form.fields {
        let ty = match &f.kind {
            FormFieldKind::File => "FilePart".to_owned(),
            FormFieldKind::Files => "Vec<FilePart>".to_owned(),
            FormFieldKind::Value(t) => short(api, t),
        };
        let ty = match (f.required, &f.kind) {
            (true, _) => format!("{ty} (required)"),
            (false, FormFieldKind::Files) => ty,
            (false, _) => format!("Option<{ty}>"),
        };
        let declared = f
            .content_type
            .as_ref()
            .map_or(String::new(), |c| format!(" as `{c}`"));
        items.push(item(
            ItemKind::Field,
            &name,
            format!("form {name}.{}", f.name),
            format!(": {ty} part `{}`{declared}", f.wire),
        ));
    }
}

/// The lines of one model: the type, then one per field, variant or value.
fn model(api: &Api, t: &TypeDef, items: &mut Vec<Item>) {
    use ItemKind::{EnumValue, Field, Type, UnionVariant};
    let name = &t.name;
    let group = name.to_string();
    let mut push = |kind: ItemKind, key: String, detail: String| {
        items.push(item(kind, group.clone(), key, detail));
    };
    // A derive the configuration added is API: one line each, so that adding one is additive
    // and removing one breaking.
    for d in &t.derives {
        push(
            Type,
            format!("derive {name}: {}", d.as_str()),
            " (configured)".to_owned(),
        );
    }
    match &t.kind {
        TypeKind::Struct(s) => {
            let builder = t
                .builder
                .as_ref()
                .map_or(String::new(), |b| format!(" builder {b}"));
            push(Type, format!("struct {name}"), builder);
            for f in &s.fields {
                let key = format!("struct {name}.{}", f.name);
                push(Field, key, format!(": {}", field_type(api, f)));
            }
            if let Some(a) = &s.additional {
                let key = format!("struct {name}.{}", a.name);
                let detail = format!(": Map<{}> (additional properties)", short(api, &a.ty));
                push(Field, key, detail);
            }
            if let Some((tag, value)) = &s.constant {
                push(
                    Field,
                    format!("struct {name} tag"),
                    format!(" `{tag}` = `{value}`"),
                );
            }
        }
        TypeKind::Enum(e) => {
            let detail = format!(" (unknown values: {})", e.unknown_variant);
            push(Type, format!("enum {name}"), detail);
            for v in &e.variants {
                push(
                    EnumValue,
                    format!("enum {name}::{}", v.name),
                    format!(" = `{}`", v.wire),
                );
            }
        }
        TypeKind::Union(u) => {
            let how = match &u.tag {
                Some(tag) => format!("tagged by `{tag}`"),
                None => "untagged".to_owned(),
            };
            let detail = format!(" {how} (other JSON: {})", u.unknown_variant);
            push(Type, format!("union {name}"), detail);
            for v in &u.variants {
                let tag = v
                    .tag_value
                    .as_ref()
                    .map_or(String::new(), |t| format!(" `{t}`"));
                let key = format!("union {name}::{}", v.name);
                push(UnionVariant, key, format!("({}){tag}", short(api, &v.ty)));
            }
        }
        TypeKind::Alias(target) => push(
            Type,
            format!("alias {name}"),
            format!(" = {}", short(api, target)),
        ),
        TypeKind::External(e) => push(
            Type,
            format!("alias {name}"),
            format!(" = {} (replaced by the configuration)", e.path),
        ),
    }
}

/// A field's type as a user sees it, and whether it must be given.
fn field_type(api: &Api, f: &Field) -> String {
    let ty = short(api, &f.ty);
    let typed = match &f.presence {
        Presence::Required => format!("{ty} (required)"),
        Presence::RequiredNullable => format!("Option<{ty}> (required, nullable)"),
        Presence::Optional => format!("Option<{ty}>"),
        Presence::Defaulted(_) => format!("{ty} (default)"),
        Presence::OptionalNullable => format!("Nullable<{ty}>"),
    };
    if f.deprecated {
        format!("{typed} deprecated")
    } else {
        typed
    }
}

/// A type, short: model names without their module, standard types without their paths.
fn short(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Base64 => "String (base64)".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::Named(id) | TypeRef::Indirect(id) => api.type_def(*id).name.to_string(),
        TypeRef::Vec(inner) => format!("Vec<{}>", short(api, inner)),
        TypeRef::Map(inner) => format!("Map<{}>", short(api, inner)),
        TypeRef::Option(inner) => format!("Option<{}>", short(api, inner)),
    }
}

impl ItemKind {
    /// The kind's name in the surface record (`api-surface.tsv`).
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Feature => "feature",
            ItemKind::Version => "version",
            ItemKind::Security => "security",
            ItemKind::Namespace => "namespace",
            ItemKind::Method => "method",
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::EnumValue => "enum-value",
            ItemKind::UnionVariant => "union-variant",
            ItemKind::WebhookEvent => "webhook-event",
            ItemKind::WebhookScheme => "webhook-scheme",
        }
    }

    fn parse(text: &str) -> Option<ItemKind> {
        ALL_KINDS.iter().copied().find(|k| k.as_str() == text)
    }
}

const ALL_KINDS: &[ItemKind] = &[
    ItemKind::Feature,
    ItemKind::Version,
    ItemKind::Security,
    ItemKind::Namespace,
    ItemKind::Method,
    ItemKind::Type,
    ItemKind::Field,
    ItemKind::EnumValue,
    ItemKind::UnionVariant,
    ItemKind::WebhookEvent,
    ItemKind::WebhookScheme,
];

/// The items as a record a later regeneration reads back ([`from_record`]): one line per item,
/// `kind`, `group`, `key` and `detail` separated by tabs (none of them holds one).
pub fn to_record(items: &[Item]) -> String {
    let mut out = String::new();
    for i in items {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            i.kind.as_str(),
            i.group,
            i.key,
            i.detail
        ));
    }
    out
}

/// Reads a record written by [`to_record`]; lines that are comments (`#`), empty or malformed
/// are skipped.
pub fn from_record(text: &str) -> Vec<Item> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let mut parts = l.splitn(4, '\t');
            let kind = ItemKind::parse(parts.next()?)?;
            let group = parts.next()?.to_owned();
            let key = parts.next()?.to_owned();
            let detail = parts.next()?.to_owned();
            Some(Item {
                key,
                detail,
                kind,
                group,
            })
        })
        .collect()
}
