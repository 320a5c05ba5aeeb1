//! Naming: the one place that decides every Rust identifier the generator emits.
//!
//! Takes: names from the spec (schema keys, property names, enum values, operationIds, tags).
//! Gives: valid, readable Rust identifiers (heck for case; punctuation dropped; a leading digit
//! prefixed; keywords as raw identifiers, or with a trailing `_` where Rust allows no raw form),
//! and unique names within a scope, chosen deterministically.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

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
    "BoxError",
    "Call",
    "Client",
    "ClientBuilder",
    "DecodeError",
    "Nullable",
    "RateLimit",
    "RequestOptions",
    "Response",
    "TokenProvider",
];

/// Every name the generated crate root defines besides the resource namespaces (re-exports,
/// aliases, modules, the version types); a namespace type may not take one.
pub const ROOT_ITEMS: &[&str] = &[
    "ApiError",
    "BoxError",
    "Call",
    "Client",
    "ClientBuilder",
    "DecodeError",
    "Error",
    "Nullable",
    "RateLimit",
    "RequestOptions",
    "Response",
    "TokenProvider",
    "Api",
    "ApiVersion",
    "UnknownApiVersion",
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

/// Method names a generated method on the client (accessors, operations without a tag) may not
/// take: the runtime's own, those the generated code adds, and common trait methods.
pub fn reserved_client_methods() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = crate::runtime_source::RUNTIME_CLIENT_METHODS.to_vec();
    names.extend([
        "builder", "api", "version", "new", "clone", "fmt", "eq", "hash",
    ]);
    names
}

/// Method names a generated setter on a call may not take: the runtime's own and common trait
/// methods.
pub fn reserved_call_methods() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = crate::runtime_source::RUNTIME_CALL_METHODS.to_vec();
    names.extend(["into_future", "new", "clone", "fmt", "body"]);
    names
}

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

/// An `UpperCamelCase` type or variant name for `raw`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
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
    name
}

/// An enum variant name for a wire value (`"in-progress"` -> `InProgress`, `"2xx"` -> `V2xx`).
pub fn variant_name(raw: &str) -> String {
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
    name
}

/// A `snake_case` field, parameter or method name. Keywords are returned as they are
/// (emitting them as raw identifiers is [`ident`]'s job), except those with no raw form,
/// which get a trailing underscore.
pub fn field_name(raw: &str) -> String {
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

/// The `snake_case` words of `raw`, for comparing names word by word.
pub fn snake_words(raw: &str) -> Vec<String> {
    non_ascii_free(words(raw).to_snake_case())
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A module-style name for an API version (`"2026-03"` -> `v2026_03`, `"v3"` -> `v3`).
pub fn version_method_name(raw: &str) -> String {
    let snake = snake_words(raw).join("_");
    if snake.starts_with(|c: char| c.is_ascii_alphabetic()) {
        field_name(&snake)
    } else {
        format!("v{snake}")
    }
}

/// The enum variant for an API version (`"2026-03"` -> `V2026_03`, `"v3"` -> `V3`).
pub fn version_variant_name(raw: &str) -> String {
    let method = version_method_name(raw);
    let mut out = String::new();
    let mut upper_next = true;
    let mut prev_digit = false;
    for ch in method.chars() {
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
    out
}

/// Builds an identifier, as a raw identifier when `name` is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
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

    /// Claims `name`, or the first free numbered form of it.
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
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
        for n in 2.. {
            let candidate = if snake || ends_digit {
                format!("{stem}_{n}")
            } else {
                format!("{stem}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
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
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self_").to_string(), "self_");
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
        assert_eq!(s.claim("Client"), "Client2");
        assert_eq!(s.claim("Pet"), "Pet");
        assert_eq!(s.claim("Pet"), "Pet2");
        assert_eq!(s.claim("name"), "name");
        assert_eq!(s.claim("name"), "name_2");
        assert_eq!(s.claim("V2"), "V2");
        assert_eq!(s.claim("V2"), "V2_2");
        assert_eq!(s.claim("Self_"), "Self_");
        assert_eq!(s.claim("Self_"), "Self2");
        assert_eq!(s.claim("self_"), "self_");
        assert_eq!(s.claim("self_"), "self_2");
    }
}
