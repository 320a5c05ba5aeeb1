//! Security schemes and requirements.
//!
//! Takes: `components.securitySchemes` and an operation's (or the document's) `security`.
//! Gives: the schemes the generated crate names as constants, and per operation the
//! alternatives of schemes the runtime chooses from. A requirement naming a scheme that is
//! missing or unsupported is skipped with a warning at its pointer.

use super::docs;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{SchemeKind, SecuritySchemeDef, SecurityUse};
use crate::naming::{self, Scope};
use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

/// What the scheme `name` puts on the wire.
fn scheme_kind(api: &OpenAPI, name: &str) -> Result<SchemeKind, String> {
    let scheme = api
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(name))
        .ok_or_else(|| {
            format!("security scheme `{name}` is not declared in `components.securitySchemes`")
        })?;
    let ReferenceOr::Item(scheme) = scheme else {
        return Err(format!(
            "security scheme `{name}` is a `$ref`, which is not supported"
        ));
    };
    use openapiv3::APIKeyLocation;
    Ok(match scheme {
        SecurityScheme::APIKey { location, name, .. } => match location {
            APIKeyLocation::Query => SchemeKind::ApiKeyQuery(name.clone()),
            APIKeyLocation::Header => SchemeKind::ApiKeyHeader(name.clone()),
            APIKeyLocation::Cookie => SchemeKind::ApiKeyCookie(name.clone()),
        },
        SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => SchemeKind::Bearer,
            "basic" => SchemeKind::Basic,
            other => {
                return Err(format!(
                    "HTTP authentication scheme `{other}` is not supported (bearer and basic are)"
                ));
            }
        },
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
    })
}

/// The supported security schemes declared in the document, sorted by name, each with the
/// constant that names it.
pub fn schemes(api: &OpenAPI) -> Vec<SecuritySchemeDef> {
    let mut found: Vec<(&String, SchemeKind, Option<String>)> = api
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
        .filter_map(|(name, s)| {
            let kind = scheme_kind(api, name).ok()?;
            let doc = match s {
                ReferenceOr::Item(
                    SecurityScheme::APIKey { description, .. }
                    | SecurityScheme::HTTP { description, .. }
                    | SecurityScheme::OAuth2 { description, .. }
                    | SecurityScheme::OpenIDConnect { description, .. },
                ) => docs::prose(description.as_deref()),
                ReferenceOr::Reference { .. } => None,
            };
            Some((name, kind, doc))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    let mut scope = Scope::default();
    found
        .into_iter()
        .map(|(name, kind, doc)| SecuritySchemeDef {
            name: name.clone(),
            const_name: scope.claim(&naming::const_name(name)),
            kind,
            doc,
        })
        .collect()
}

/// The alternatives of schemes an operation accepts: its own `security`, else the document's.
pub fn requirements(
    api: &OpenAPI,
    op: &openapiv3::Operation,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Vec<Vec<SecurityUse>> {
    let (reqs, reqs_ptr) = match &op.security {
        Some(s) => (s.as_slice(), at.push("security")),
        None => (
            api.security.as_deref().unwrap_or(&[]),
            Pointer::root().push("security"),
        ),
    };
    let mut out = Vec::new();
    'alternatives: for (i, req) in reqs.iter().enumerate() {
        let mut set = Vec::new();
        for scheme in req.keys() {
            match scheme_kind(api, scheme) {
                Ok(kind) => set.push(SecurityUse {
                    scheme: scheme.clone(),
                    kind,
                }),
                Err(e) => {
                    diags.warning(
                        reqs_ptr.push(i.to_string()).push(scheme),
                        format!("{e}; this alternative is skipped"),
                    );
                    continue 'alternatives;
                }
            }
        }
        out.push(set);
    }
    out
}
