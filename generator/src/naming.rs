//! Naming: the one place that makes the Rust identifiers the generator emits.
//!
//! Takes: names from the spec (schema keys, property names, enum values, operationIds, tags).
//! Gives: [`Name`]s, valid and readable Rust identifiers (heck for case; punctuation dropped; a
//! leading digit prefixed; keywords as raw identifiers, or with a trailing `_` where Rust allows
//! no raw form), and names unique within a [`Scope`], chosen deterministically. A `Name` can only
//! be made here, so the emitter never builds an identifier from unchecked text.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;
use std::collections::BTreeSet;

/// A Rust identifier: ASCII letters, digits and `_`, not starting with a digit, never empty, and
/// never a keyword that has no raw form. Keywords that have one are emitted raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    /// Wraps text that the functions of this module made.
    fn new(text: String) -> Name {
        debug_assert!(
            is_identifier(&text),
            "naming made an invalid identifier: {text:?}"
        );
        Name(text)
    }

    /// The identifier as text (without `r#`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier as a token: a raw identifier when it is a keyword.
    pub fn ident(&self) -> proc_macro2::Ident {
        ident(&self.0)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl quote::ToTokens for Name {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        tokens.extend([proc_macro2::TokenTree::Ident(self.ident())]);
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// True for text that [`Name`] accepts.
fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text != "_"
        && !NO_RAW.contains(&text)
}

/// Words Rust reserves in edition 2024 (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is not allowed).
const NO_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Runtime items the generated crate root re-exports under their own names.
pub const ROOT_RUNTIME_EXPORTS: &[&str] = &[
    "BodyTooLargeError",
    "BoxError",
    "Call",
    "Client",
    "ClientBuilder",
    "DecodeError",
    "Indirect",
    "Nullable",
    "RateLimit",
    "RequestOptions",
    "Response",
    "ResponseBodyError",
    "Stream",
    "StreamExt",
    "TokenProvider",
    "TryStreamExt",
];

/// The runtime items of [`ROOT_RUNTIME_EXPORTS`] that a crate built without its `client` feature
/// re-exports too (models use them); the others are the HTTP client's.
pub const ROOT_EXPORTS_WITHOUT_CLIENT: &[&str] = &["Indirect", "Nullable"];

/// Items the generated crate root defines itself, besides the runtime's re-exports and the
/// resource namespaces: the error aliases, the version types, constants and modules.
const GENERATED_ROOT_ITEMS: &[&str] = &[
    "ApiError",
    "Error",
    "Api",
    "ApiVersion",
    "UnknownApiVersion",
    "CONVENTIONS",
    "DEFAULT_BASE_URL",
    "chrono",
    "client",
    "models",
    "operations",
    "runtime",
    "security",
    "serde_json",
    "uuid",
];

/// Every name the generated crate root defines besides the resource namespaces (runtime
/// re-exports and the crate's own items); a namespace type may not take one.
pub fn root_items() -> Vec<&'static str> {
    let mut names = ROOT_RUNTIME_EXPORTS.to_vec();
    names.extend(GENERATED_ROOT_ITEMS);
    names
}

/// Methods the generated code itself defines on the client and on a version namespace (`Api`):
/// `Client::builder`, `Client::api`, `Api::version`. Namespace accessors and untagged
/// operations may not take these names, nor `new`, which reads as a constructor.
const GENERATED_ROOT_METHODS: &[&str] = &["builder", "api", "version", "new"];

/// Method names a generated method on the client (accessors, operations without a tag) may not
/// take: the runtime's own (and those of its traits) and those the generated code adds.
pub fn reserved_client_methods() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = crate::runtime_source::RUNTIME_CLIENT_METHODS.to_vec();
    names.extend(GENERATED_ROOT_METHODS);
    names
}

/// Method names a generated setter on a call may not take: the runtime's own (and those of its
/// traits), and `body`, the setter of an optional request body.
pub fn reserved_call_methods() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = crate::runtime_source::RUNTIME_CALL_METHODS.to_vec();
    names.push("body");
    names
}

/// Method names a generated method on a resource namespace may not take: those of the traits
/// the namespace struct derives (`Clone`, `Debug`).
pub const RESERVED_NAMESPACE_METHODS: &[&str] = &["clone", "fmt"];

/// True when `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Keeps letters, digits and separators; everything else becomes a word break, and a few
/// symbols that carry meaning in enum values get a word of their own.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        match ch {
            c if c.is_ascii_alphanumeric() => out.push(c),
            '+' => out.push_str(" plus "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '*' => out.push_str(" star "),
            '@' => out.push_str(" at "),
            '#' => out.push_str(" hash "),
            '%' => out.push_str(" percent "),
            '&' => out.push_str(" and "),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn upper_first(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => s,
    }
}

fn non_ascii_free(s: String) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// An `UpperCamelCase` type name for `raw`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> Name {
    let mut name = upper_first(non_ascii_free(words(raw).to_upper_camel_case()));
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("T{name}");
    }
    if name == "Self" {
        name = "Self_".to_owned();
    }
    Name::new(name)
}

/// An enum variant name for a wire value (`"in-progress"` -> `InProgress`, `"2xx"` -> `V2xx`).
pub fn variant_name(raw: &str) -> Name {
    let mut name = upper_first(non_ascii_free(words(raw).to_upper_camel_case()));
    if name.is_empty() {
        name = if raw.is_empty() {
            "Empty".to_owned()
        } else {
            "Value".to_owned()
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if name == "Self" {
        name = "Self_".to_owned();
    }
    Name::new(name)
}

/// A `snake_case` field, parameter or method name. Keywords are kept (the emitter writes them
/// as raw identifiers), except those with no raw form, which get a trailing underscore.
pub fn field_name(raw: &str) -> Name {
    Name::new(snake(raw))
}

fn snake(raw: &str) -> String {
    let mut name = non_ascii_free(words(raw).to_snake_case());
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("_{name}");
    }
    if NO_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A `SCREAMING_SNAKE_CASE` constant name (`developer_hapikey` -> `DEVELOPER_HAPIKEY`).
pub fn const_name(raw: &str) -> Name {
    let snake = snake(raw);
    let trimmed = snake.trim_end_matches('_');
    let base = if trimmed.is_empty() { "VALUE" } else { trimmed };
    Name::new(base.to_uppercase())
}

/// The `snake_case` words of `raw`, for comparing names word by word.
pub fn snake_words(raw: &str) -> Vec<String> {
    non_ascii_free(words(raw).to_snake_case())
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A parameter's name: its `snake_case` form, with `_param` appended when that is a method the
/// call already has (`timeout` -> `timeout_param`).
pub fn param_name(raw: &str, reserved: &[&str]) -> Name {
    let mut name = snake(raw);
    if reserved.contains(&name.as_str()) {
        name.push_str("_param");
    }
    Name::new(name)
}

/// A getter's name: its `snake_case` form, with `_value` appended when that is a method the type
/// already has (`get` -> `get_value`), which reads better than a number.
pub fn getter_name(raw: &str, reserved: &[&str]) -> Name {
    let mut name = snake(raw);
    if reserved.contains(&name.as_str()) {
        name.push_str("_value");
    }
    Name::new(name)
}

/// The builder method that sets a field: `with_type` for `r#type`, `with_self` for `self_`,
/// `with_1st` for `_1st`.
pub fn setter_name(field: &Name) -> Name {
    Name::new(format!("with_{}", field.as_str().trim_matches('_')))
}

/// The private function that gives a field's default from the spec (`default_size`).
pub fn default_fn_name(field: &Name) -> Name {
    Name::new(format!("default_{}", field.as_str().trim_matches('_')))
}

/// A method for one version's own variant of an operation that other versions declare
/// differently: the method's name followed by the version's (`create` in `v2` -> `create_v2`).
pub fn versioned_method(method: &Name, version: &Name) -> Name {
    Name::new(format!(
        "{}_{}",
        method.as_str().trim_end_matches('_'),
        version.as_str()
    ))
}

/// Names tried, in order, for the catch-all variant of enums and unions.
const CATCH_ALL_NAMES: &[&str] = &["Unknown", "Other", "Unrecognized", "UnknownValue"];

/// The catch-all variant of an enum or union whose other variants are `taken`: the first free
/// name of a short list.
pub fn catch_all(taken: &Scope) -> Name {
    let name = CATCH_ALL_NAMES
        .iter()
        .find(|n| !taken.contains(n))
        .copied()
        .unwrap_or("UnknownValue2");
    Name::new(name.to_owned())
}

/// A module-style name for an API version (`"2026-03"` -> `v2026_03`, `"v3"` -> `v3`).
pub fn version_method_name(raw: &str) -> Name {
    let snake = snake_words(raw).join("_");
    if snake.starts_with(|c: char| c.is_ascii_alphabetic()) {
        field_name(&snake)
    } else {
        Name::new(format!("v{snake}"))
    }
}

/// The enum variant for an API version (`"2026-03"` -> `V2026_03`, `"v3"` -> `V3`).
pub fn version_variant_name(raw: &str) -> Name {
    let method = version_method_name(raw);
    let mut out = String::new();
    let mut upper_next = true;
    let mut prev_digit = false;
    for ch in method.as_str().chars() {
        if ch == '_' {
            upper_next = true;
            continue;
        }
        if upper_next && !out.is_empty() && prev_digit && ch.is_ascii_digit() {
            out.push('_');
        }
        if upper_next {
            out.extend(ch.to_uppercase());
        } else {
            out.push(ch);
        }
        upper_next = false;
        prev_digit = ch.is_ascii_digit();
    }
    Name::new(out)
}

/// A name fixed by the generator itself (a runtime item, a catch-all variant, a field the
/// generator adds), checked like any other.
pub fn fixed(name: &'static str) -> Name {
    Name::new(name.to_owned())
}

/// Builds an identifier, as a raw identifier when `name` is a keyword.
fn ident(name: &str) -> proc_macro2::Ident {
    if is_keyword(name) && !NO_RAW.contains(&name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// Hands out names that are unique within one scope: the first claim of a name gets it as is,
/// later claims get `2`, `3`, ... appended (with `_` before the number for snake_case names).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// True when `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Marks `name` as taken without handing it out.
    pub fn reserve(&mut self, name: &Name) {
        self.taken.insert(name.0.clone());
    }

    /// Claims `name`, or the first free numbered form of it.
    pub fn claim(&mut self, name: &Name) -> Name {
        let name = name.as_str();
        if self.taken.insert(name.to_owned()) {
            return Name::new(name.to_owned());
        }
        let snake = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
        // A trailing `_` (from `self_`, `Self_`) is dropped before numbering: `Self_2` is not
        // camel case and `self__2` is not snake case.
        let stem = match name.trim_end_matches('_') {
            "" => name,
            stem => stem,
        };
        let ends_digit = stem.ends_with(|c: char| c.is_ascii_digit());
        let mut n: u64 = 2;
        loop {
            let candidate = if snake || ends_digit {
                format!("{stem}_{n}")
            } else {
                format!("{stem}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return Name::new(candidate);
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("PublicChannelAccount", "PublicChannelAccount"),
            ("public_channel-account", "PublicChannelAccount"),
            ("2fa", "T2fa"),
            ("Self", "Self_"),
            ("Option", "Option"),
            ("", "Unnamed"),
            ("!!!", "Unnamed"),
            ("Ünïcode", "Ncode"),
        ];
        for (raw, want) in cases {
            assert_eq!(type_name(raw), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("channelId", "channel_id"),
            ("type", "type"),
            ("self", "self_"),
            ("super", "super_"),
            ("1st", "_1st"),
            ("", "value"),
            ("x-hubspot-thing", "x_hubspot_thing"),
            ("$ref", "ref"),
        ];
        for (raw, want) in cases {
            assert_eq!(field_name(raw), want, "field_name({raw:?})");
        }
        assert_eq!(field_name("type").ident().to_string(), "r#type");
        assert_eq!(field_name("self").ident().to_string(), "self_");
        assert_eq!(const_name("developer_hapikey"), "DEVELOPER_HAPIKEY");
        assert_eq!(const_name("self"), "SELF");
        assert_eq!(const_name("2fa"), "_2FA");
        assert_eq!(setter_name(&field_name("type")), "with_type");
        assert_eq!(setter_name(&field_name("1st")), "with_1st");
        assert_eq!(param_name("timeout", &["timeout"]), "timeout_param");
        assert_eq!(getter_name("get", &["get"]), "get_value");
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("HS_EMAIL_ADDRESS", "HsEmailAddress"),
            ("in-progress", "InProgress"),
            ("+1", "Plus1"),
            ("2xx", "V2xx"),
            ("", "Empty"),
            ("-", "Value"),
            ("Self", "Self_"),
        ];
        for (raw, want) in cases {
            assert_eq!(variant_name(raw), want, "variant_name({raw:?})");
        }
    }

    #[test]
    fn version_names() {
        assert_eq!(version_method_name("v3"), "v3");
        assert_eq!(version_method_name("2026-03"), "v2026_03");
        assert_eq!(version_variant_name("v3"), "V3");
        assert_eq!(version_variant_name("2026-03"), "V2026_03");
        assert_eq!(version_variant_name("beta"), "Beta");
    }

    #[test]
    fn scope_numbers_collisions() {
        let mut s = Scope::with_reserved(&["Client"]);
        let mut claim = |raw: &str| {
            let name = if raw.starts_with(char::is_uppercase) {
                type_name(raw)
            } else {
                field_name(raw)
            };
            s.claim(&name)
        };
        assert_eq!(claim("Client"), "Client2");
        assert_eq!(claim("Pet"), "Pet");
        assert_eq!(claim("Pet"), "Pet2");
        assert_eq!(claim("name"), "name");
        assert_eq!(claim("name"), "name_2");
        assert_eq!(claim("V2"), "V2");
        assert_eq!(claim("V2"), "V2_2");
        assert_eq!(claim("Self"), "Self_");
        assert_eq!(claim("Self"), "Self2");
        assert_eq!(claim("self"), "self_");
        assert_eq!(claim("self"), "self_2");
    }
}
