//! Emits `src/webhooks.rs`: the receiving side of the API's webhooks.
//!
//! Takes: the IR's [`Webhooks`]. Gives: an event enum with one variant per webhook (and two
//! that keep whole an event of an unknown type and one that does not fit its payload), a parser
//! for request bodies holding one event or a list of them, each decoded on its own, and, when
//! the spec has `x-webhook-signature`, the signature schemes as data, an enum naming them (to
//! accept a replayable one) and a verifier constructor. The verification itself is the runtime's (`webhook.rs`).

use super::{Types, doc_attrs, inner_doc_attrs};
use crate::ir::{
    Api, SignatureAlgorithm, SignatureDef, SignatureEncoding, SignatureSchemeDef, SignedPart,
    Webhooks,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The items the module defines or re-exports itself: a payload type of one of these names
/// stays in `models` only.
const MODULE_ITEMS: &[&str] = &[
    "WebhookEvent",
    "MalformedEvent",
    "WebhookBodyError",
    "Scheme",
    "SchemeId",
    "SignatureError",
    "Verified",
    "WebhookRequest",
    "WebhookSecret",
    "WebhookVerifier",
];

/// The file's chunks.
pub fn webhooks<'a>(api: &'a Api, hooks: &'a Webhooks) -> Vec<super::Chunk<'a>> {
    let mut chunks = vec![super::chunk(move || module_doc(api, hooks))];
    if hooks.event_tag().is_some() {
        chunks.push(super::chunk(move || event_enum(api, hooks)));
    }
    if let Some(signature) = &hooks.signature {
        chunks.push(super::chunk(move || signature_schemes(signature)));
    }
    chunks
}

fn module_doc(api: &Api, hooks: &Webhooks) -> TokenStream {
    let mut doc = String::from("The webhooks this API sends: ");
    let mut parts = Vec::new();
    if hooks.event_tag().is_some() {
        parts.push(
            "[`WebhookEvent`] and [`parse`] decode a request's body into events, each on its own (an event of a type this crate does not know, or one that does not fit its type, is kept whole: one odd event never loses the others)",
        );
    }
    if hooks.signature.is_some() {
        parts.push(
            "[`verifier`] checks that a request was signed with your secret, before you trust its body",
        );
    }
    if parts.is_empty() {
        parts.push("their payload types are in [`crate::models`]");
    }
    doc.push_str(&parts.join("; "));
    doc.push('.');
    if hooks.signature.is_some() {
        doc.push_str(
            "\n\nVerify first, with the exact bytes received and the public URL that was called, then parse.",
        );
    }
    let doc = inner_doc_attrs(&doc);
    let exports = hooks.signature.as_ref().map(|_| {
        quote! {
            pub use crate::runtime::{SchemeId, SignatureError, Verified, WebhookRequest, WebhookSecret, WebhookVerifier};
        }
    });
    let body_error = hooks.event_tag().is_some().then(|| {
        quote!(
            pub use crate::runtime::{MalformedEvent, WebhookBodyError};
        )
    });
    // The payload types, also reachable from here (they are defined in `models`).
    let mut payloads: Vec<&crate::naming::Name> = hooks
        .events
        .iter()
        .filter_map(|e| e.payload.named())
        .map(|id| &api.type_def(id).name)
        .filter(|name| !MODULE_ITEMS.contains(&name.as_str()))
        .collect();
    payloads.sort();
    payloads.dedup();
    let payloads = (!payloads.is_empty()).then(|| {
        quote! {
            pub use crate::models::{#(#payloads),*};
        }
    });
    quote! {
        #doc
        #exports
        #body_error
        #payloads
    }
}

/// The event enum holds its payloads unboxed (clippy's `large_enum_variant` is allowed): events
/// are handled one at a time, and patterns can then reach into a payload's fields.
fn event_enum(api: &Api, hooks: &Webhooks) -> TokenStream {
    let types = Types::of(api);
    let Some(tag) = hooks.event_tag() else {
        return TokenStream::new();
    };
    let unknown = &hooks.unknown_variant;
    let malformed = &hooks.malformed_variant;
    let variants = hooks.events.iter().map(|e| {
        let variant = &e.variant;
        let ty = types.rust(&e.payload);
        let key = &e.key;
        let doc = doc_attrs(Some(
            &match e.doc.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(d) => format!("`{key}`: {d}"),
                None => format!("`{key}`."),
            },
        ));
        quote! {
            #doc
            #variant(#ty),
        }
    });
    let decode_arms = hooks.events.iter().map(|e| {
        let (variant, key) = (&e.variant, &e.key);
        quote! {
            ::core::option::Option::Some(#key) => match crate::runtime::codegen::decode_event(value, #key) {
                ::core::result::Result::Ok(payload) => Self::#variant(payload),
                ::core::result::Result::Err(malformed) => Self::#malformed(malformed),
            },
        }
    });
    let type_arms = hooks.events.iter().map(|e| {
        let (variant, key) = (&e.variant, &e.key);
        quote!(Self::#variant(_) => ::core::option::Option::Some(#key),)
    });
    let serialize_arms = hooks.events.iter().map(|e| {
        let variant = &e.variant;
        quote!(Self::#variant(payload) => ::serde::Serialize::serialize(payload, serializer),)
    });
    let enum_doc = doc_attrs(Some(&format!(
        "One event, chosen by its `{tag}` property. An event of a type this crate does not list is [`WebhookEvent::{unknown}`], and one of a listed type that does not fit its payload is [`WebhookEvent::{malformed}`], both kept whole, so that neither a new event type nor an odd payload breaks a receiver or loses an event."
    )));
    let parse_doc = doc_attrs(Some(&format!(
        "Decodes a webhook request's raw body: one event object, or a list of them (some senders batch events). Pass the exact bytes received, after verifying them.\n\nEvery element gives one event, decoded on its own: an event that does not fit its type is kept as [`WebhookEvent::{malformed}`] and the others are unaffected. It fails only when the body is not JSON, or neither an object nor a list."
    )));
    let malformed_doc = doc_attrs(Some(
        "An event of a type listed above whose payload does not fit that type, kept whole: its JSON as received, and where and why it does not fit. Store it; nothing of it is lost.",
    ));
    let unknown_doc = doc_attrs(Some(&format!(
        "An event whose `{tag}` is none of the above (or missing), as received."
    )));
    let type_doc = doc_attrs(Some(&format!(
        "The event's type, as its `{tag}` property says (`None` for an unknown event without one)."
    )));
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum WebhookEvent {
            #(#variants)*
            #unknown_doc
            #unknown(::serde_json::Value),
            #malformed_doc
            #malformed(crate::runtime::MalformedEvent),
        }

        impl WebhookEvent {
            /// Decodes one event from its JSON. It never fails: an event of an unknown type is
            /// kept whole, and so is an event of a known type that does not match its schema.
            pub fn from_value(value: ::serde_json::Value) -> Self {
                match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #(#decode_arms)*
                    _ => Self::#unknown(value),
                }
            }

            #type_doc
            pub fn event_type(&self) -> ::core::option::Option<&str> {
                match self {
                    #(#type_arms)*
                    Self::#unknown(value) => value.get(#tag).and_then(::serde_json::Value::as_str),
                    Self::#malformed(event) => ::core::option::Option::Some(event.event_type()),
                }
            }
        }

        impl ::serde::Serialize for WebhookEvent {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                    Self::#malformed(event) => ::serde::Serialize::serialize(event, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for WebhookEvent {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok(Self::from_value(value))
            }
        }

        #parse_doc
        pub fn parse(body: &[u8]) -> ::core::result::Result<::std::vec::Vec<WebhookEvent>, crate::runtime::WebhookBodyError> {
            crate::runtime::codegen::parse_events(body, WebhookEvent::from_value)
        }
    }
}

fn signature_schemes(signature: &SignatureDef) -> TokenStream {
    let version_header = option_str(signature.version_header.as_deref());
    let schemes = signature.schemes.iter().map(scheme);
    let names: Vec<String> = signature
        .schemes
        .iter()
        .map(|s| format!("`{}`", s.name))
        .collect();
    let doc = format!(
        "How the API signs its webhook requests (the spec's `x-webhook-signature`): {}, in order of preference{}.",
        names.join(", "),
        match &signature.version_header {
            Some(h) => format!(", selected by the `{h}` header"),
            None => String::new(),
        }
    );
    let doc = doc_attrs(Some(&doc));
    let replayable: Vec<String> = signature
        .schemes
        .iter()
        .filter(|s| s.replayable)
        .map(|s| format!("[`Scheme::{}`]", s.variant))
        .collect();
    let verifier_doc = doc_attrs(Some(&if replayable.is_empty() {
        "A verifier of this API's webhook signatures, keyed with your secret. It accepts every scheme (none is replayable); restrict it with `accept_only`.".to_owned()
    } else {
        format!(
            "A verifier of this API's webhook signatures, keyed with your secret. It refuses the replayable schemes ({}: no signed timestamp, so a captured request verifies forever) until you accept one with `.accept_replayable(Scheme::..)`; `accept_only` names exactly the schemes to accept.",
            replayable.join(", ")
        )
    }));
    let scheme_enum = scheme_enum(signature);
    quote! {
        #doc
        pub static SIGNATURE_SCHEMES: crate::runtime::SignatureSchemes = crate::runtime::SignatureSchemes {
            version_header: #version_header,
            schemes: &[#(#schemes),*],
        };

        #scheme_enum

        #verifier_doc
        pub fn verifier(secret: impl ::std::convert::Into<crate::runtime::WebhookSecret>) -> crate::runtime::WebhookVerifier {
            crate::runtime::WebhookVerifier::new(&SIGNATURE_SCHEMES, secret)
        }
    }
}

/// `Scheme`: one variant per signature scheme, the typed value that `accept_replayable` and
/// `accept_only` take (a misspelt scheme is a compile error).
fn scheme_enum(signature: &SignatureDef) -> TokenStream {
    let variants = signature.schemes.iter().map(|s| {
        let variant = &s.variant;
        let doc = doc_attrs(Some(&if s.replayable {
            format!(
                "`{}`: replayable (no signed timestamp), refused unless accepted with `accept_replayable`.",
                s.name
            )
        } else {
            format!("`{}`: accepted by default.", s.name)
        }));
        quote!(#doc #variant,)
    });
    let arms = signature.schemes.iter().map(|s| {
        let (variant, name) = (&s.variant, &s.name);
        quote!(Self::#variant => #name,)
    });
    quote! {
        /// The signature schemes of [`SIGNATURE_SCHEMES`], by name: what
        /// `WebhookVerifier::accept_replayable` and `accept_only` take.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Scheme {
            #(#variants)*
        }

        impl crate::runtime::SchemeId for Scheme {
            fn scheme_name(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn scheme(s: &SignatureSchemeDef) -> TokenStream {
    let name = &s.name;
    let version = option_str(s.version.as_deref());
    let algorithm = match s.algorithm {
        SignatureAlgorithm::HmacSha256 => quote!(HmacSha256),
        SignatureAlgorithm::Sha256 => quote!(Sha256),
    };
    let encoding = match s.encoding {
        SignatureEncoding::Base64 => quote!(Base64),
        SignatureEncoding::Hex => quote!(Hex),
    };
    let header = &s.signature_header;
    let prefix = option_str(s.prefix.as_deref());
    let replayable = s.replayable;
    let content = s.content.iter().map(|p| match p {
        SignedPart::Method => quote!(crate::runtime::SignedPart::Method),
        SignedPart::Uri => quote!(crate::runtime::SignedPart::Uri),
        SignedPart::Body => quote!(crate::runtime::SignedPart::Body),
        SignedPart::Secret => quote!(crate::runtime::SignedPart::Secret),
        SignedPart::Header(h) => quote!(crate::runtime::SignedPart::Header(#h)),
        SignedPart::Literal(text) => quote!(crate::runtime::SignedPart::Literal(#text)),
    });
    let timestamp = match &s.timestamp {
        None => quote!(::core::option::Option::None),
        Some(t) => {
            let header = &t.header;
            let unit = if t.milliseconds {
                quote!(Milliseconds)
            } else {
                quote!(Seconds)
            };
            let tolerance = t.tolerance_seconds;
            quote! {
                ::core::option::Option::Some(crate::runtime::TimestampCheck {
                    header: #header,
                    unit: crate::runtime::TimestampUnit::#unit,
                    tolerance: ::core::time::Duration::from_secs(#tolerance),
                })
            }
        }
    };
    quote! {
        crate::runtime::SignatureScheme {
            name: #name,
            version: #version,
            algorithm: crate::runtime::SignatureAlgorithm::#algorithm,
            encoding: crate::runtime::SignatureEncoding::#encoding,
            signature_header: #header,
            prefix: #prefix,
            content: &[#(#content),*],
            timestamp: #timestamp,
            replayable: #replayable,
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
