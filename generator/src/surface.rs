//! The public API of a generated crate, one line per item: what a reviewer reads to see what a
//! spec change does to the crate's users.
//!
//! Takes: the IR ([`Api`]). Gives: a sorted listing (made from the IR, not by parsing the
//! output): API versions, namespaces and their methods (required arguments, optional
//! parameters, output, whether they page), models (every field with its type and whether it is
//! required), enums with their values, unions with their variants, webhook events, signature
//! schemes and security schemes. Rust types are written short (`Vec<PublicSender>`,
//! `Option<String>`), so that a line changes exactly when the API a user touches does.

use crate::ir::{Api, Field, Operation, Presence, ResponseBody, TypeDef, TypeKind, TypeRef};

/// The API surface of `api`, one sorted line per item.
pub fn surface(api: &Api) -> String {
    let mut lines = Vec::new();
    for v in &api.versions {
        lines.push(format!(
            "version {} `{}` prefix {}",
            v.method, v.name, v.prefix
        ));
    }
    for s in &api.security_schemes {
        lines.push(format!("security {} `{}`", s.const_name, s.name));
    }
    for g in &api.groups {
        let at = g.namespace.as_ref().map_or_else(
            || "client".to_owned(),
            |ns| format!("client.{}()", ns.accessor),
        );
        if let Some(ns) = &g.namespace {
            lines.push(format!("namespace {at} -> {}", ns.type_name));
        }
        for op in &g.operations {
            lines.push(method(api, &at, op));
        }
    }
    for t in &api.types {
        model(api, t, &mut lines);
    }
    if let Some(hooks) = &api.webhooks {
        for e in &hooks.events {
            lines.push(format!(
                "webhook event `{}` -> {}",
                e.key,
                short(api, &e.payload)
            ));
        }
        for s in hooks.signature.iter().flat_map(|s| &s.schemes) {
            let replayable = if s.replayable { " (replayable)" } else { "" };
            lines.push(format!(
                "webhook scheme {} `{}`{replayable}",
                s.variant, s.name
            ));
        }
    }
    lines.sort();
    lines.dedup();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// `method client.messages().publish(channel_id: i32, body: &ChannelIntegrationMessageEgg) ->
/// PublicConversationsMessage [v3, 2026-03] optional(..) paged(..) deprecated`.
fn method(api: &Api, at: &str, op: &Operation) -> String {
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
        let body = format!("body: &{}", short(api, &b.ty));
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
        ResponseBody::Bytes => "Bytes".to_owned(),
    };
    let mut line = format!(
        "method {at}.{}({}) -> {output}",
        op.method_name,
        args.join(", ")
    );
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
    if def.deprecated {
        line.push_str(" deprecated");
    }
    line
}

/// The lines of one model: the type, then one per field, variant or value.
fn model(api: &Api, t: &TypeDef, lines: &mut Vec<String>) {
    let name = &t.name;
    match &t.kind {
        TypeKind::Struct(s) => {
            let builder = t
                .builder
                .as_ref()
                .filter(|_| s.fields.iter().any(required))
                .map_or(String::new(), |b| format!(" builder {b}"));
            lines.push(format!("struct {name}{builder}"));
            for f in &s.fields {
                lines.push(format!("struct {name}.{}: {}", f.name, field_type(api, f)));
            }
            if let Some(a) = &s.additional {
                lines.push(format!(
                    "struct {name}.{}: Map<{}> (additional properties)",
                    a.name,
                    short(api, &a.ty)
                ));
            }
            if let Some((tag, value)) = &s.constant {
                lines.push(format!("struct {name} tag `{tag}` = `{value}`"));
            }
        }
        TypeKind::Enum(e) => {
            lines.push(format!(
                "enum {name} (unknown values: {})",
                e.unknown_variant
            ));
            for v in &e.variants {
                lines.push(format!("enum {name}::{} = `{}`", v.name, v.wire));
            }
        }
        TypeKind::Union(u) => {
            let how = match &u.tag {
                Some(tag) => format!("tagged by `{tag}`"),
                None => "untagged".to_owned(),
            };
            lines.push(format!(
                "union {name} {how} (other JSON: {})",
                u.unknown_variant
            ));
            for v in &u.variants {
                let tag = v
                    .tag_value
                    .as_ref()
                    .map_or(String::new(), |t| format!(" `{t}`"));
                lines.push(format!(
                    "union {name}::{}({}){tag}",
                    v.name,
                    short(api, &v.ty)
                ));
            }
        }
        TypeKind::Alias(target) => lines.push(format!("alias {name} = {}", short(api, target))),
    }
}

fn required(f: &Field) -> bool {
    matches!(f.presence, Presence::Required | Presence::RequiredNullable)
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
