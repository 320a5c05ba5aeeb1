//! Lowering phase 1: the spec extensions the generator reads.
//!
//! Takes: the document's JSON (top level: `x-api-versions`, `x-client-conventions`,
//! `x-webhook-signature`) or an
//! operation's extensions (`x-idempotent`, `x-idempotency-key`, `x-pagination`). Gives: their
//! typed form, and an error at the exact pointer of every malformed part. Absent extensions
//! give the plain default (no versions, no conventions, the HTTP method's idempotency).

use super::docs;
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{
    ApiVersion, ClientConventions, IdempotencyKey, NoRetryRule, RateLimitHeader,
    SignatureAlgorithm, SignatureDef, SignatureEncoding, SignatureSchemeDef, SignedPart,
    TimestampDef,
};
use crate::naming::{self, Scope};
use serde_json::{Map, Value};

/// The top-level extensions.
pub struct Extensions {
    /// `x-api-versions`.
    pub versions: Vec<ApiVersion>,
    /// `x-client-conventions`.
    pub conventions: ClientConventions,
    /// `x-webhook-signature`.
    pub signature: Option<SignatureDef>,
}

/// Reads the top-level extensions of `raw`.
pub fn read(raw: &Value) -> (Extensions, Diagnostics) {
    let mut diags = Diagnostics::default();
    let versions = versions(raw, &mut diags);
    let conventions = conventions(raw, &mut diags);
    let signature = webhook_signature(raw, &mut diags);
    (
        Extensions {
            versions,
            conventions,
            signature,
        },
        diags,
    )
}

/// `x-api-versions: [{name, pathPrefix, description}]`.
fn versions(raw: &Value, diags: &mut Diagnostics) -> Vec<ApiVersion> {
    let Some(list) = raw.get("x-api-versions") else {
        return Vec::new();
    };
    let at = Pointer::root().push("x-api-versions");
    let Some(items) = list.as_array() else {
        diags.error(
            &at,
            "`x-api-versions` must be a list of `{name, pathPrefix}` entries",
        );
        return Vec::new();
    };
    let mut out: Vec<ApiVersion> = Vec::new();
    let mut methods = Scope::with_reserved(&naming::reserved_client_methods());
    let mut variants = Scope::default();
    for (i, item) in items.iter().enumerate() {
        let here = at.push(i.to_string());
        let name = item.get("name").and_then(Value::as_str);
        let prefix = item.get("pathPrefix").and_then(Value::as_str);
        let (Some(name), Some(prefix)) = (name, prefix) else {
            diags.error(
                &here,
                "each `x-api-versions` entry needs a string `name` and a string `pathPrefix`",
            );
            continue;
        };
        if !prefix.starts_with('/') || prefix.ends_with('/') {
            diags.error(
                here.push("pathPrefix"),
                format!("`{prefix}` must start with `/` and must not end with `/`"),
            );
            continue;
        }
        if out.iter().any(|v| v.name == name || v.prefix == prefix) {
            diags.error(
                &here,
                format!("version `{name}` (prefix `{prefix}`) is declared twice"),
            );
            continue;
        }
        out.push(ApiVersion {
            name: name.to_owned(),
            method: methods.claim(&naming::version_method_name(name)),
            variant: variants.claim(&naming::version_variant_name(name)),
            prefix: prefix.to_owned(),
            doc: docs::prose(item.get("description").and_then(Value::as_str)),
        });
    }
    out
}

const SIGNATURE_KEYS: &[&str] = &["versionHeader", "schemes"];
const SCHEME_KEYS: &[&str] = &[
    "name",
    "version",
    "algorithm",
    "encoding",
    "signatureHeader",
    "prefix",
    "content",
    "timestamp",
    "replayable",
];
const TIMESTAMP_KEYS: &[&str] = &["header", "unit", "toleranceSeconds"];

/// `x-webhook-signature: {versionHeader, schemes: [{name, version, algorithm, encoding,
/// signatureHeader, content, timestamp, replayable}]}`: how the API signs the webhook requests it sends.
/// Absent: none. Every part is checked, and unknown keys are errors.
fn webhook_signature(raw: &Value, diags: &mut Diagnostics) -> Option<SignatureDef> {
    let value = raw.get("x-webhook-signature")?;
    let at = Pointer::root().push("x-webhook-signature");
    let Some(object) = value.as_object() else {
        diags.error(
            &at,
            "`x-webhook-signature` must be an object with `schemes` (and, to select among them, `versionHeader`)",
        );
        return None;
    };
    unknown_keys(object, &at, SIGNATURE_KEYS, diags);
    let version_header = object.get("versionHeader").and_then(|v| {
        let name = header_name(v);
        if name.is_none() {
            diags.error(
                at.push("versionHeader"),
                format!("`versionHeader` must be an HTTP header name (got {v})"),
            );
        }
        name
    });
    let Some(list) = object.get("schemes").and_then(Value::as_array) else {
        diags.error(
            at.push("schemes"),
            "`schemes` must be a list of signature schemes",
        );
        return None;
    };
    if list.is_empty() {
        diags.error(
            at.push("schemes"),
            "`schemes` must list at least one scheme",
        );
    }
    let mut schemes: Vec<SignatureSchemeDef> = Vec::new();
    let mut variants = Scope::default();
    for (i, item) in list.iter().enumerate() {
        let here = at.push("schemes").push(i.to_string());
        let Some(mut scheme) = signature_scheme(item, &here, version_header.is_some(), diags)
        else {
            continue;
        };
        if schemes.iter().any(|s| s.name == scheme.name) {
            diags.error(
                here.push("name"),
                format!("scheme `{}` is declared twice", scheme.name),
            );
            continue;
        }
        if let Some(version) = &scheme.version {
            if schemes.iter().any(|s| {
                s.version
                    .as_ref()
                    .is_some_and(|v| v.eq_ignore_ascii_case(version))
            }) {
                diags.error(
                    here.push("version"),
                    format!("version `{version}` selects two schemes"),
                );
            }
        }
        scheme.variant = variants.claim(&naming::variant_name(&scheme.name));
        schemes.push(scheme);
    }
    Some(SignatureDef {
        version_header,
        schemes,
    })
}

/// One entry of `x-webhook-signature.schemes`.
fn signature_scheme(
    item: &Value,
    at: &Pointer,
    has_version_header: bool,
    diags: &mut Diagnostics,
) -> Option<SignatureSchemeDef> {
    let Some(object) = item.as_object() else {
        diags.error(
            at,
            "a signature scheme must be an object with `name`, `algorithm`, `encoding`, `signatureHeader` and `content`",
        );
        return None;
    };
    unknown_keys(object, at, SCHEME_KEYS, diags);
    let before = diags.errors().len();
    let name = object.get("name").and_then(non_empty_string);
    if name.is_none() {
        diags.error(at.push("name"), "`name` must be a non-empty string");
    }
    let version = object.get("version").and_then(|v| {
        let version = non_empty_string(v);
        if version.is_none() {
            diags.error(
                at.push("version"),
                "`version` must be the non-empty value of the version header that selects this scheme",
            );
        } else if !has_version_header {
            diags.error(
                at.push("version"),
                "a scheme selected by `version` needs `versionHeader` beside `schemes`",
            );
        }
        version
    });
    let algorithm = match object.get("algorithm").and_then(Value::as_str) {
        Some("hmac-sha256") => Some(SignatureAlgorithm::HmacSha256),
        Some("sha256") => Some(SignatureAlgorithm::Sha256),
        _ => {
            diags.error(
                at.push("algorithm"),
                "`algorithm` must be `hmac-sha256` (keyed with the secret) or `sha256` (a plain digest, with the secret among the signed parts)",
            );
            None
        }
    };
    let encoding = match object.get("encoding").and_then(Value::as_str) {
        Some("base64") => Some(SignatureEncoding::Base64),
        Some("hex") => Some(SignatureEncoding::Hex),
        _ => {
            diags.error(at.push("encoding"), "`encoding` must be `base64` or `hex`");
            None
        }
    };
    let signature_header = object.get("signatureHeader").and_then(header_name);
    if signature_header.is_none() {
        diags.error(
            at.push("signatureHeader"),
            "`signatureHeader` must be an HTTP header name",
        );
    }
    let prefix = object.get("prefix").and_then(|p| {
        let prefix = non_empty_string(p);
        if prefix.is_none() {
            diags.error(
                at.push("prefix"),
                "`prefix` must be the non-empty text before the signature in the header (`sha256=`)",
            );
        }
        prefix
    });
    let content = signed_content(object.get("content"), &at.push("content"), diags);
    let timestamp = object
        .get("timestamp")
        .and_then(|t| timestamp(t, &at.push("timestamp"), diags));
    if algorithm == Some(SignatureAlgorithm::Sha256) && !content.contains(&SignedPart::Secret) {
        diags.error(
            at.push("content"),
            "a `sha256` signature without `secret` among its parts proves nothing: anyone can compute it",
        );
    }
    // Whether the timestamp checked is one of the signed parts (else a captured request can be
    // replayed with a fresh one).
    let signed_timestamp = timestamp.as_ref().is_some_and(|t| {
        content
            .iter()
            .any(|p| matches!(p, SignedPart::Header(h) if h.eq_ignore_ascii_case(&t.header)))
    });
    if let Some(t) = timestamp.as_ref().filter(|_| !signed_timestamp) {
        diags.warning(
            at.push("timestamp"),
            format!(
                "the timestamp header `{}` is not among the signed parts, so a captured request can be replayed with a fresh timestamp",
                t.header
            ),
        );
    }
    let replayable = replayable(object, at, signed_timestamp, diags);
    if diags.errors().len() > before {
        return None;
    }
    Some(SignatureSchemeDef {
        variant: naming::fixed("Unnamed"),
        replayable,
        name: name?,
        version,
        algorithm: algorithm?,
        encoding: encoding?,
        signature_header: signature_header?,
        prefix,
        content,
        timestamp,
    })
}

/// Whether a scheme is replayable: as `replayable` says, else when it has no timestamp check on
/// a signed timestamp header. A scheme declared not replayable without one is taken at the
/// spec's word, with a warning.
fn replayable(
    object: &Map<String, Value>,
    at: &Pointer,
    signed_timestamp: bool,
    diags: &mut Diagnostics,
) -> bool {
    match object.get("replayable") {
        None => !signed_timestamp,
        Some(Value::Bool(false)) if !signed_timestamp => {
            diags.warning(
                at.push("replayable"),
                "declared not replayable, but the scheme checks no signed timestamp: verifiers accept it by default on the spec's word",
            );
            false
        }
        Some(Value::Bool(declared)) => *declared,
        Some(other) => {
            diags.error(
                at.push("replayable"),
                format!("`replayable` must be `true` or `false` (got {other})"),
            );
            false
        }
    }
}

/// `content: [method | uri | body | secret | {header: NAME} | {literal: TEXT}, ...]`.
fn signed_content(value: Option<&Value>, at: &Pointer, diags: &mut Diagnostics) -> Vec<SignedPart> {
    let Some(items) = value.and_then(Value::as_array).filter(|l| !l.is_empty()) else {
        diags.error(
            at,
            "`content` must list the signed parts, in order: `method`, `uri`, `body`, `secret`, `{header: NAME}` or `{literal: TEXT}`",
        );
        return Vec::new();
    };
    let mut parts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let part = match item {
            Value::String(s) if s == "method" => Some(SignedPart::Method),
            Value::String(s) if s == "uri" => Some(SignedPart::Uri),
            Value::String(s) if s == "body" => Some(SignedPart::Body),
            Value::String(s) if s == "secret" => Some(SignedPart::Secret),
            Value::Object(o) if o.len() == 1 => match o.iter().next() {
                Some((key, value)) if key == "header" => header_name(value).map(SignedPart::Header),
                Some((key, Value::String(text))) if key == "literal" && !text.is_empty() => {
                    Some(SignedPart::Literal(text.clone()))
                }
                _ => None,
            },
            _ => None,
        };
        match part {
            Some(p) => parts.push(p),
            None => diags.error(
                at.push(i.to_string()),
                format!("unknown signed part {item}; expected `method`, `uri`, `body`, `secret`, `{{header: NAME}}` or `{{literal: TEXT}}`"),
            ),
        }
    }
    parts
}

/// `timestamp: {header, unit: milliseconds | seconds, toleranceSeconds}`.
fn timestamp(value: &Value, at: &Pointer, diags: &mut Diagnostics) -> Option<TimestampDef> {
    let Some(object) = value.as_object() else {
        diags.error(
            at,
            "`timestamp` must be an object with `header`, `unit` and `toleranceSeconds`",
        );
        return None;
    };
    unknown_keys(object, at, TIMESTAMP_KEYS, diags);
    let header = object.get("header").and_then(header_name);
    if header.is_none() {
        diags.error(at.push("header"), "`header` must be an HTTP header name");
    }
    let milliseconds = match object.get("unit").and_then(Value::as_str) {
        Some("milliseconds") => Some(true),
        Some("seconds") => Some(false),
        _ => {
            diags.error(
                at.push("unit"),
                "`unit` must be `milliseconds` or `seconds` (since the Unix epoch)",
            );
            None
        }
    };
    let tolerance = object
        .get("toleranceSeconds")
        .and_then(Value::as_u64)
        .filter(|t| (1..=86_400 * 365).contains(t));
    if tolerance.is_none() {
        diags.error(
            at.push("toleranceSeconds"),
            "`toleranceSeconds` must be a whole number of seconds between 1 and one year",
        );
    }
    Some(TimestampDef {
        header: header?,
        milliseconds: milliseconds?,
        tolerance_seconds: tolerance?,
    })
}

const CONVENTION_KEYS: &[&str] = &[
    "correlationIdHeaders",
    "correlationIdBodyField",
    "rateLimitHeaders",
    "doNotRetry",
];
const RULE_KEYS: &[&str] = &["status", "bodyField", "equals", "reason"];

/// `x-client-conventions`: correlation-id headers and body field, rate-limit headers,
/// do-not-retry rules. Absent: no conventions. Unknown keys are errors too: nothing is silently
/// ignored.
fn conventions(raw: &Value, diags: &mut Diagnostics) -> ClientConventions {
    let mut out = ClientConventions::default();
    let Some(value) = raw.get("x-client-conventions") else {
        return out;
    };
    let at = Pointer::root().push("x-client-conventions");
    let Some(object) = value.as_object() else {
        diags.error(
            &at,
            "`x-client-conventions` must be an object with any of `correlationIdHeaders`, `correlationIdBodyField`, `rateLimitHeaders` and `doNotRetry`",
        );
        return out;
    };
    unknown_keys(object, &at, CONVENTION_KEYS, diags);
    if let Some(list) = object.get("correlationIdHeaders") {
        out.correlation_id_headers =
            correlation_id_headers(list, &at.push("correlationIdHeaders"), diags);
    }
    if let Some(field) = object.get("correlationIdBodyField") {
        match non_empty_string(field) {
            Some(name) => out.correlation_id_body_field = Some(name),
            None => diags.error(
                at.push("correlationIdBodyField"),
                format!(
                    "`correlationIdBodyField` must be the name of a top-level field of the JSON error body (got {field})"
                ),
            ),
        }
    }
    if let Some(map) = object.get("rateLimitHeaders") {
        out.rate_limit_headers = rate_limit_headers(map, &at.push("rateLimitHeaders"), diags);
    }
    if let Some(list) = object.get("doNotRetry") {
        out.do_not_retry = do_not_retry(list, &at.push("doNotRetry"), diags);
    }
    out
}

fn correlation_id_headers(list: &Value, at: &Pointer, diags: &mut Diagnostics) -> Vec<String> {
    let Some(items) = list.as_array() else {
        diags.error(
            at,
            "`correlationIdHeaders` must be a list of response header names",
        );
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match header_name(item) {
            Some(name) if out.iter().any(|h| h.eq_ignore_ascii_case(&name)) => diags.error(
                at.push(i.to_string()),
                format!("header `{name}` is listed twice"),
            ),
            Some(name) => out.push(name),
            None => diags.error(
                at.push(i.to_string()),
                format!("{item} is not an HTTP header name"),
            ),
        }
    }
    out
}

/// `rateLimitHeaders: {name: header}`; each gets a typed getter on `RateLimit`, whose name
/// avoids the methods `RateLimit` already has.
fn rate_limit_headers(map: &Value, at: &Pointer, diags: &mut Diagnostics) -> Vec<RateLimitHeader> {
    let Some(entries) = map.as_object() else {
        diags.error(
            at,
            "`rateLimitHeaders` must be an object mapping each rate-limit value's name to its response header",
        );
        return Vec::new();
    };
    let reserved = crate::runtime_source::RUNTIME_RATELIMIT_METHODS;
    let mut getters = Scope::with_reserved(reserved);
    let mut out = Vec::new();
    for (name, header) in entries {
        let entry_at = at.push(name);
        if name.trim().is_empty() {
            diags.error(&entry_at, "a rate-limit value needs a non-empty name");
            continue;
        }
        let Some(header) = header_name(header) else {
            diags.error(&entry_at, format!("{header} is not an HTTP header name"));
            continue;
        };
        out.push(RateLimitHeader {
            name: name.clone(),
            header,
            getter: getters.claim(&naming::getter_name(name, reserved)),
        });
    }
    out
}

fn do_not_retry(list: &Value, at: &Pointer, diags: &mut Diagnostics) -> Vec<NoRetryRule> {
    let Some(items) = list.as_array() else {
        diags.error(
            at,
            "`doNotRetry` must be a list of `{status, bodyField, equals, reason}` rules",
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| no_retry_rule(item, &at.push(i.to_string()), diags))
        .collect()
}

/// One `doNotRetry` rule; every missing or malformed key is reported.
fn no_retry_rule(item: &Value, at: &Pointer, diags: &mut Diagnostics) -> Option<NoRetryRule> {
    let Some(rule) = item.as_object() else {
        diags.error(
            at,
            "a `doNotRetry` rule must be an object `{status, bodyField, equals, reason}`",
        );
        return None;
    };
    unknown_keys(rule, at, RULE_KEYS, diags);
    let given = |key: &str| match rule.get(key) {
        Some(value) => format!("got {value}"),
        None => "missing".to_owned(),
    };
    let status = rule
        .get("status")
        .and_then(Value::as_u64)
        .filter(|s| (100..=599).contains(s))
        .and_then(|s| u16::try_from(s).ok());
    if status.is_none() {
        diags.error(
            at.push("status"),
            format!(
                "`status` must be an HTTP status code, an integer from 100 to 599 ({})",
                given("status")
            ),
        );
    }
    let body_field = rule.get("bodyField").and_then(non_empty_string);
    if body_field.is_none() {
        diags.error(
            at.push("bodyField"),
            format!(
                "`bodyField` must be the name of a top-level field of the JSON error body ({})",
                given("bodyField")
            ),
        );
    }
    let equals = rule
        .get("equals")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if equals.is_none() {
        diags.error(
            at.push("equals"),
            format!(
                "`equals` must be a string: the rule matches when `bodyField` is this string, ignoring ASCII case ({})",
                given("equals")
            ),
        );
    }
    let reason = match rule.get("reason") {
        None => None,
        Some(reason) => match non_empty_string(reason) {
            // Shown in messages and logs: one line.
            Some(reason) => Some(reason.split_whitespace().collect::<Vec<_>>().join(" ")),
            None => {
                diags.error(
                    at.push("reason"),
                    format!("`reason` must be a non-empty string ({})", given("reason")),
                );
                None
            }
        },
    };
    Some(NoRetryRule {
        status: status?,
        body_field: body_field?,
        equals: equals?,
        reason,
    })
}

/// An error at each key of `object` that is not one of `known`.
fn unknown_keys(
    object: &Map<String, Value>,
    at: &Pointer,
    known: &[&str],
    diags: &mut Diagnostics,
) {
    for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
        let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        diags.error(
            at.push(key),
            format!(
                "unknown key `{key}`; expected one of {}",
                expected.join(", ")
            ),
        );
    }
}

/// A header name the runtime can look up: an RFC 9110 token.
fn header_name(value: &Value) -> Option<String> {
    let name = value.as_str()?;
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    token.then(|| name.to_owned())
}

fn non_empty_string(value: &Value) -> Option<String> {
    value
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// `x-idempotent: true | false` on an operation; `None` when absent.
pub fn idempotent(value: Option<&Value>, at: &Pointer, diags: &mut Diagnostics) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        _ => {
            diags.error(
                at.push("x-idempotent"),
                "`x-idempotent` must be `true` or `false`",
            );
            Some(false)
        }
    }
}

/// `x-idempotency-key: {in: body, pointer}` or `{in: header, name}` on an operation.
pub fn idempotency_key(
    value: Option<&Value>,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<IdempotencyKey> {
    let v = value?;
    let at = at.push("x-idempotency-key");
    match v.get("in").and_then(Value::as_str) {
        Some("body") => match v.get("pointer").and_then(Value::as_str) {
            Some(p) if p.starts_with('/') => Some(IdempotencyKey::BodyPointer(p.to_owned())),
            _ => {
                diags.error(at, "`x-idempotency-key` with `in: body` needs `pointer`, a JSON pointer such as `/idempotencyId`");
                None
            }
        },
        Some("header") => match v.get("name").and_then(Value::as_str) {
            Some(n) if !n.is_empty() => Some(IdempotencyKey::Header(n.to_owned())),
            _ => {
                diags.error(at, "`x-idempotency-key` with `in: header` needs `name`");
                None
            }
        },
        _ => {
            diags.error(at, "`x-idempotency-key` needs `in: body` (with `pointer`) or `in: header` (with `name`)");
            None
        }
    }
}

/// `x-pagination: {cursorParam, cursorPointer, itemsPointer}` on an operation, as written.
pub struct PaginationDecl {
    /// The cursor's query parameter, by wire name.
    pub cursor_param: String,
    /// JSON pointer to the next cursor in a page.
    pub cursor_pointer: String,
    /// JSON pointer to the items array in a page.
    pub items_pointer: String,
}

/// Reads `x-pagination`; its fit with the operation is checked by the operations phase.
pub fn pagination(
    value: Option<&Value>,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<PaginationDecl> {
    let v = value?;
    let get = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    match (
        get("cursorParam"),
        get("cursorPointer"),
        get("itemsPointer"),
    ) {
        (Some(cursor_param), Some(cursor_pointer), Some(items_pointer)) => Some(PaginationDecl {
            cursor_param,
            cursor_pointer,
            items_pointer,
        }),
        _ => {
            diags.error(
                at.push("x-pagination"),
                "`x-pagination` needs `cursorParam`, `cursorPointer` and `itemsPointer`",
            );
            None
        }
    }
}
