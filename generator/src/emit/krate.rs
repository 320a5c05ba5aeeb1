//! Emits the files that make the output a crate of its own: `Cargo.toml`, `rustfmt.toml`,
//! `src/lib.rs`, and the hand-written runtime (from `generator/runtime/`), copied verbatim.

use super::{EmittedFile, doc_attrs};
use crate::ir::{Api, ClientConventions, SchemeKind, SecuritySchemeDef};
use crate::naming;
use crate::{Runtime, Settings};
use quote::quote;

/// The `[lib]` table of a generated crate.
const LIB_TABLE: &str = "[lib]
# Generated code has no tests or doc examples of its own: `cargo test` in a workspace that holds
# this crate need not build it a second time as a test harness, nor run rustdoc on it.
test = false
doctest = false
";

/// The `[lib]` table of a crate generated with `--doctests`.
const LIB_TABLE_DOCTESTS: &str = "[lib]
# No unit tests of its own; `cargo test` compiles the doc examples (the guide's and each
# operation's), so that none can rot.
test = false
";

/// `Cargo.toml`, `rustfmt.toml`, `src/lib.rs` and `src/runtime/*`.
pub fn crate_files<'a>(api: &'a Api, settings: &'a Settings) -> Vec<EmittedFile<'a>> {
    let mut files = Vec::new();
    let description = format!(
        "Client for {}, generated from its OpenAPI document.",
        api.title
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"");
    let release = release(api, settings);
    files.push(EmittedFile::Text {
        path: "CHANGELOG.md".to_owned(),
        contents: format!(
            "<!-- {} -->\n\n{}",
            crate::render::header(settings),
            release.changelog
        ),
        comment: None,
    });
    files.push(EmittedFile::Text {
        path: "api-surface.tsv".to_owned(),
        contents: format!(
            "# The crate's public API, one item a line (kind, group, key, detail), as the next\n# regeneration compares it to write CHANGELOG.md and the version.\n{}",
            release.record
        ),
        comment: Some("#"),
    });
    files.push(EmittedFile::Text {
        path: "Cargo.toml".to_owned(),
        contents: format!(
            "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2024\"\nrust-version = \"1.85\"\ndescription = \"{description}\"\npublish = false\n\n{LIB_TABLE}\n{}",
            settings.crate_name,
            release.version,
            dependencies(api, settings),
            LIB_TABLE = if settings.doctests { LIB_TABLE_DOCTESTS } else { LIB_TABLE },
        ),
        comment: Some("#"),
    });
    files.push(EmittedFile::Text {
        path: "rustfmt.toml".to_owned(),
        contents: "# Generated code is laid out by prettyplease; rustfmt leaves it alone.\ndisable_all_formatting = true\n".to_owned(),
        comment: Some("#"),
    });
    if settings.runtime == Runtime::Vendored {
        for (name, contents) in crate::runtime_source::RUNTIME_FILES {
            files.push(EmittedFile::Text {
                path: format!("src/runtime/{name}"),
                contents: (*contents).to_owned(),
                comment: Some("//"),
            });
        }
    }
    files.push(EmittedFile::Rust {
        path: "src/lib.rs".to_owned(),
        chunks: vec![super::chunk(move || lib_rs(api, settings))],
    });
    files
}

/// The runtime's `default` features, which a crate with a feature per resource extends.
const RUNTIME_DEFAULT_FEATURES: &str = "default = [\"client\"]\n";

/// The `[features]` and `[dependencies]` tables: the runtime's, a feature per resource when
/// there are (each enabling `client`, all in `default`), and the configuration's dependencies
/// (for the types that replace schemas) at the end of `[dependencies]`.
fn dependencies(api: &Api, settings: &Settings) -> String {
    let mut out = crate::runtime_source::RUNTIME_DEPENDENCIES.to_owned();
    if !api.features.is_empty() {
        let names: Vec<String> = api
            .features
            .iter()
            .map(|f| format!("\"{}\"", f.name))
            .collect();
        let default = format!("default = [\"client\", {}]\n", names.join(", "));
        out = out.replacen(RUNTIME_DEFAULT_FEATURES, &default, 1);
        let mut own = String::from(
            "# One feature per resource: its operations and the models only it uses.\n",
        );
        for f in &api.features {
            own.push_str(&format!("{} = [\"client\"]\n", f.name));
        }
        own.push('\n');
        out = out.replacen("[dependencies]", &format!("{own}[dependencies]"), 1);
    }
    if !settings.config.dependencies.is_empty() {
        out.push_str(&format!(
            "# From the configuration ({}), for the types that replace schemas.\n",
            settings.config.name()
        ));
        for (name, value) in &settings.config.dependencies {
            out.push_str(&format!("{name} = {value}\n"));
        }
    }
    out
}

fn lib_rs(api: &Api, settings: &Settings) -> proc_macro2::TokenStream {
    let runtime = &settings.runtime;
    let krate = settings.crate_name.replace('-', "_");
    let doc = super::inner_doc_attrs(&format!("{}{}", crate_doc(api), guide(api, &krate)));
    let group_types: Vec<_> = api
        .groups
        .iter()
        .filter_map(|g| g.namespace.as_ref())
        .map(|ns| &ns.type_name)
        .collect();
    let group_exports = if group_types.is_empty() {
        quote!()
    } else if api.features.is_empty() {
        quote!(#[cfg(feature = "client")] pub use client::{#(#group_types),*};)
    } else {
        // One `use` a namespace, each behind its resource's feature (which enables `client`).
        let exports = api
            .groups
            .iter()
            .filter_map(|g| Some((g.namespace.as_ref()?, g.feature.as_deref()?)))
            .map(|(ns, feature)| {
                let ty = &ns.type_name;
                quote!(#[cfg(feature = #feature)] pub use client::#ty;)
            });
        quote!(#(#exports)*)
    };
    let version_exports = if api.versions.is_empty() {
        quote!()
    } else {
        quote!(
            #[cfg(feature = "client")]
            pub use client::{Api, ApiVersion, UnknownApiVersion};
        )
    };
    let (always, client_only): (Vec<&str>, Vec<&str>) = naming::ROOT_RUNTIME_EXPORTS
        .iter()
        .partition(|n| naming::ROOT_EXPORTS_WITHOUT_CLIENT.contains(n));
    let always = always.iter().map(|n| naming::fixed(n));
    let client_only = client_only.iter().map(|n| naming::fixed(n));
    let runtime_path = match runtime {
        Runtime::Vendored => quote!(),
        Runtime::Shared { mod_rs } => quote!(#[path = #mod_rs]),
    };
    let error_types = error_types(api);
    let builder = builder(api.default_base_url.as_deref());
    let conventions = conventions(&api.conventions);
    let security_mod = security_module(&api.security_schemes);
    let webhooks_mod = api.webhooks.as_ref().map(|_| {
        quote! {
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    let forms_mod = super::forms::forms_of(api).next().map(|_| {
        quote! {
            #[cfg(feature = "client")]
            #[rustfmt::skip]
            pub mod forms;
        }
    });
    let recursion_limit = api.recursion_limit.map(|limit| {
        let limit = limit.to_string();
        quote! {
            #![recursion_limit = #limit]
        }
    });
    quote! {
        #doc
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #recursion_limit

        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        #forms_mod
        #[rustfmt::skip]
        pub mod models;
        // The operations' parameter structs: what `Call<..>` carries, not what users name.
        #[cfg(feature = "client")]
        #[doc(hidden)]
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        #runtime_path
        pub mod runtime;
        #webhooks_mod

        pub use runtime::{#(#always),*};
        #[cfg(feature = "client")]
        pub use runtime::{#(#client_only),*};
        #error_types
        pub use chrono;
        pub use serde_json;
        pub use uuid;
        #group_exports
        #version_exports

        #builder
        #conventions
        #security_mod
    }
}

/// The crate's documentation: the API's title and description, and a map of the crate.
fn crate_doc(api: &Api) -> String {
    let mut doc = format!("Client for {}.", api.title);
    if let Some(d) = &api.doc {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    doc.push_str(
        "\n\n# Layout\n\n\
         - [`Client`] (built with [`Client::builder`]) sends requests; its methods hand out \
         resource namespaces whose methods return a [`runtime::Call`]: `.await` it for the decoded \
         value, or call `.send_with_response()` for status and headers too.\n\
         - [`models`] holds one type per schema.\n\
         - [`Error`] is the one error type; API errors keep status, headers and the raw body.",
    );
    if !api.versions.is_empty() {
        doc.push_str("\n- [`ApiVersion`] lists the API versions; `client.api(version)` picks one at run time.");
    }
    if api.webhooks.is_some() {
        doc.push_str(
            "\n- [`webhooks`] receives what the API sends: event types, and signature checks.",
        );
    }
    if !api.features.is_empty() {
        doc.push_str("\n\n# Features\n\nEach resource is a Cargo feature, all on by default: build only the ones you call with `default-features = false, features = [..]` and the rest is not compiled. A feature builds its namespace, its operations and the models only it uses; models several resources share (and webhook payloads, and error bodies every operation has) are always built.\n");
        for f in &api.features {
            doc.push_str(&format!(
                "\n- `{}`: the `{}` namespace",
                f.name, f.namespace
            ));
        }
        doc.push_str("\n- `client` (enabled by each of them): the HTTP client; without it, models and webhooks only.");
    }
    if let Some(limit) = api.recursion_limit {
        doc.push_str(&format!(
            "\n\nThis crate raises the compiler's recursion limit to {limit}: its models form chains \
             of many distinct models, and the compiler nests its instantiation of their \
             (de)serialisation once per model along a chain."
        ));
    }
    doc
}

/// The crate's version, changelog and API record: what changed since the last generation
/// ([`Settings::previous`]) decides the version bump and the changelog's new section.
struct Release {
    version: String,
    changelog: String,
    record: String,
}

const CHANGELOG_INTRO: &str = "# Changelog\n\nWhat each regeneration changed in this crate's public API, newest first: written by the\ngenerator, with the rules of `generator diff` (breaking or additive, and the version bump).\n";

fn release(api: &Api, settings: &Settings) -> Release {
    let items = crate::surface::items(api);
    let record = crate::surface::to_record(&items);
    let Some(previous) = &settings.previous else {
        return Release {
            version: "0.1.0".to_owned(),
            changelog: format!("{CHANGELOG_INTRO}\n## 0.1.0\n\nFirst generated version.\n"),
            record,
        };
    };
    let report = crate::diff::diff_items(crate::surface::from_record(&previous.surface), items);
    if report.changes.is_empty() {
        return Release {
            version: previous.version.clone(),
            changelog: previous.changelog.clone(),
            record,
        };
    }
    let version = bumped(&previous.version, report.bump());
    let body = report.markdown();
    let body = body.strip_prefix("## API changes\n\n").unwrap_or(&body);
    let section = format!("## {version}\n\n{body}\n");
    let changelog = match previous.changelog.find("\n## ") {
        Some(at) => format!(
            "{}{section}{}",
            &previous.changelog[..at + 1],
            &previous.changelog[at + 1..]
        ),
        None => format!("{}\n{section}", previous.changelog.trim_end()),
    };
    Release {
        version,
        changelog,
        record,
    }
}

/// `version` raised as `bump` says: before 1.0 a breaking change raises the minor number and an
/// addition the patch number; from 1.0 on, the major and the minor.
fn bumped(version: &str, bump: crate::diff::Bump) -> String {
    use crate::diff::Bump;
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .chain(std::iter::repeat(0))
        .take(3)
        .collect();
    let (major, minor, patch) = (parts[0], parts[1], parts[2]);
    match (bump, major) {
        (Bump::None, _) => version.to_owned(),
        (Bump::Major, 0) => format!("0.{}.0", minor + 1),
        (Bump::Minor, 0) => format!("0.{minor}.{}", patch + 1),
        (Bump::Major, _) => format!("{}.0.0", major + 1),
        (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
    }
}

/// The crate guide, generated from the spec: build a client with the spec's credentials, make a
/// call, handle errors, page, and receive webhooks, each with an example (`no_run`: they talk to
/// the API) that `cargo test` compiles when the crate has doctests.
fn guide(api: &Api, krate: &str) -> String {
    let mut credentials = String::new();
    for s in &api.security_schemes {
        let constant = format!("{krate}::security::{}", s.const_name);
        let env = s
            .name
            .to_uppercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        credentials.push_str(&match &s.kind {
            SchemeKind::Bearer => format!("    .bearer_token(std::env::var(\"{env}\")?) // or .token_provider(..) for tokens that expire\n"),
            SchemeKind::Basic => format!("    .basic_auth(std::env::var(\"{env}_USER\")?, std::env::var(\"{env}_PASSWORD\")?)\n"),
            SchemeKind::ApiKeyQuery(_) | SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyCookie(_) => {
                format!("    .api_key({constant}, std::env::var(\"{env}\")?)\n")
            }
        });
    }
    let base_url = if api.default_base_url.is_some() {
        "    // .base_url(\"http://localhost:8080\") // another server; the spec's by default\n"
    } else {
        "    .base_url(\"https://api.example.com\") // the spec declares no server\n"
    };
    let mut doc = format!(
        "\n\n# Getting started\n\nBuild one [`Client`] and share it (clones share the connection pool); `Client::builder()` starts from the spec's server and conventions, and takes the credentials its operations need. Each operation is a method that returns a call: `.await` it for the decoded value, or set per-call options first (`.timeout(..)`, `.max_retries(..)`, optional parameters); every method's documentation has an example.\n\n```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {krate}::Client::builder()\n{credentials}{base_url}    .build()?;\n# let _ = client;\n# Ok(())\n# }}\n```\n\n\
         Failures are one type, [`runtime::Error`]: a non-2xx answer is `Error::Api` (status, headers, raw body, and the spec's error body decoded when it fits); a body that is not what the spec says is `Error::Decode` (raw body kept); timeouts, connection failures, a body cut off or over the size limit have variants of their own. Transient failures are retried (see [`runtime`]); `error.is_retryable()` tells the rest.\n\n\
         ```no_run\n# async fn example(call: impl std::future::IntoFuture<Output = Result<(), {krate}::runtime::Error>>) {{\nmatch call.await {{\n    Ok(value) => println!(\"{{value:?}}\"),\n    Err({krate}::runtime::Error::Api(error)) => eprintln!(\"HTTP {{}}: {{}}\", error.status(), error.body_text()),\n    Err(error) if error.is_retryable() => eprintln!(\"try again later: {{error}}\"),\n    Err(error) => eprintln!(\"{{error}}\"),\n}}\n# }}\n```"
    );
    if api.operations().any(|op| op.def.pagination.is_some()) {
        doc.push_str("\n\nList operations that page (`x-pagination`) follow the cursor for you: `.into_stream()` gives every item across pages (with the re-exported [`TryStreamExt`]: `while let Some(item) = stream.try_next().await? {..}`), and `.collect_all().await?` gathers them.");
    }
    if let Some(hooks) = &api.webhooks {
        if hooks.event_tag().is_some() && hooks.signature.is_some() {
            let unknown = &hooks.unknown_variant;
            let malformed = &hooks.malformed_variant;
            doc.push_str(&format!(
                "\n\n# Receiving webhooks\n\nVerify a request's signature with the exact bytes received and the public URL that was called, then decode its events, each on its own (an unknown or odd one is kept whole). Built without the default `client` feature, the crate has only its models and [`webhooks`].\n\n\
                 ```no_run\n# fn example(method: &{krate}::runtime::Method, url: &str, headers: &{krate}::runtime::HeaderMap, body: &[u8], secret: &str) -> Result<(), Box<dyn std::error::Error>> {{\nuse {krate}::webhooks::{{self, WebhookEvent, WebhookRequest}};\nlet request = WebhookRequest {{ method, uri: url, headers, body }};\nwebhooks::verifier(secret).verify(&request, std::time::SystemTime::now())?;\nfor event in webhooks::parse(body)? {{\n    match event {{\n        WebhookEvent::{unknown}(raw) => println!(\"an event type this crate does not know: {{raw}}\"),\n        WebhookEvent::{malformed}(odd) => println!(\"kept whole: {{odd}}\"),\n        known => println!(\"{{:?}}\", known.event_type()),\n    }}\n}}\n# Ok(())\n# }}\n```"
            ));
        }
    }
    doc
}

/// `Client::builder()`, starting from the spec's server when it declares one.
fn builder(default_base_url: Option<&str>) -> proc_macro2::TokenStream {
    match default_base_url {
        Some(url) => quote! {
            /// The server URL the spec declares; [`Client::builder`] starts from it.
            #[cfg(feature = "client")]
            pub const DEFAULT_BASE_URL: &str = #url;

            #[cfg(feature = "client")]
            impl Client {
                /// A builder that starts from [`DEFAULT_BASE_URL`] and the API's conventions.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new().conventions(&CONVENTIONS).base_url(DEFAULT_BASE_URL)
                }
            }
        },
        None => quote! {
            #[cfg(feature = "client")]
            impl Client {
                /// A builder with the API's conventions; the spec declares no server, so set one
                /// with [`ClientBuilder::base_url`].
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new().conventions(&CONVENTIONS)
                }
            }
        },
    }
}

/// `Error` and `ApiError`: with the spec's error body type when every operation shares one.
fn error_types(api: &Api) -> proc_macro2::TokenStream {
    match common_error_type(api) {
        Some(t) => {
            let e = super::Types::of(api).rust(&t);
            quote! {
                /// The error every operation returns: [`runtime::Error`] with the spec's error
                /// body type.
                #[cfg(feature = "client")]
                pub type Error = runtime::Error<#e>;
                /// An error response, with the spec's error body type.
                #[cfg(feature = "client")]
                pub type ApiError = runtime::ApiError<#e>;
            }
        }
        None => quote! {
            #[cfg(feature = "client")]
            pub use runtime::{ApiError, Error};
        },
    }
}

/// The `security` module: a constant naming each security scheme, documented with how to set
/// its credentials.
fn security_module(schemes: &[SecuritySchemeDef]) -> proc_macro2::TokenStream {
    if schemes.is_empty() {
        return quote!();
    }
    let constants = schemes.iter().map(|s| {
        let name = &s.const_name;
        let value = s.name.as_str();
        let how = match &s.kind {
            SchemeKind::Bearer => "a bearer token: set it with `ClientBuilder::bearer_token` or `ClientBuilder::token_provider`".to_owned(),
            SchemeKind::Basic => "HTTP basic authentication: set it with `ClientBuilder::basic_auth`".to_owned(),
            SchemeKind::ApiKeyQuery(n) => format!("an API key sent as the query parameter `{n}`: set it with `ClientBuilder::api_key`"),
            SchemeKind::ApiKeyHeader(n) => format!("an API key sent in the header `{n}`: set it with `ClientBuilder::api_key`"),
            SchemeKind::ApiKeyCookie(n) => format!("an API key sent as the cookie `{n}`: set it with `ClientBuilder::api_key`"),
        };
        let d = match s.doc.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => format!("`{value}`: {how}.\n\n{d}"),
            None => format!("`{value}`: {how}."),
        };
        let d = doc_attrs(Some(&d));
        quote!( #d pub const #name: &str = #value; )
    });
    quote! {
        /// Names of the spec's security schemes, for [`ClientBuilder::api_key`].
        #[cfg(feature = "client")]
        pub mod security {
            #(#constants)*
        }
    }
}

/// The `CONVENTIONS` static that `Client::builder()` installs, and a typed getter on
/// `RateLimit` per declared rate-limit value.
fn conventions(c: &ClientConventions) -> proc_macro2::TokenStream {
    let doc = doc_attrs(Some(
        "The API's conventions (the spec's `x-client-conventions`), which [`Client::builder`] installs.",
    ));
    let value = if *c == ClientConventions::default() {
        quote!(runtime::codegen::Conventions::NONE)
    } else {
        let headers = &c.correlation_id_headers;
        let body_field = match &c.correlation_id_body_field {
            Some(f) => quote!(::core::option::Option::Some(#f)),
            None => quote!(::core::option::Option::None),
        };
        let rate_limits = c.rate_limit_headers.iter().map(|r| {
            let (name, header) = (&r.name, &r.header);
            quote!((#name, #header))
        });
        let rules = c.do_not_retry.iter().map(|r| {
            let status = proc_macro2::Literal::u16_unsuffixed(r.status);
            let (field, equals) = (&r.body_field, &r.equals);
            let reason = match &r.reason {
                Some(reason) => quote!(::core::option::Option::Some(#reason)),
                None => quote!(::core::option::Option::None),
            };
            quote! {
                runtime::codegen::NoRetryRule {
                    status: #status,
                    body_field: #field,
                    equals: #equals,
                    reason: #reason,
                }
            }
        });
        quote! {
            runtime::codegen::Conventions {
                correlation_id_headers: &[#(#headers),*],
                correlation_id_body_field: #body_field,
                rate_limit_headers: &[#(#rate_limits),*],
                do_not_retry: &[#(#rules),*],
            }
        }
    };
    let getters: Vec<_> = c
        .rate_limit_headers
        .iter()
        .map(|r| {
            let getter = &r.getter;
            let name = r.name.as_str();
            let d = doc_attrs(Some(&format!(
                "The rate-limit value `{}`: the `{}` response header, when present and a non-negative integer.",
                name.replace('`', ""),
                r.header.replace('`', "")
            )));
            quote! {
                #d
                pub fn #getter(&self) -> ::core::option::Option<u64> {
                    self.get(#name)
                }
            }
        })
        .collect();
    let getters = if getters.is_empty() {
        quote!()
    } else {
        quote! {
            /// Typed getters for the rate-limit values the spec declares.
            #[cfg(feature = "client")]
            impl runtime::RateLimit {
                #(#getters)*
            }
        }
    };
    quote! {
        #doc
        #[doc(hidden)]
        #[cfg(feature = "client")]
        pub static CONVENTIONS: runtime::codegen::Conventions = #value;
        #getters
    }
}

/// The error body type when every operation has the same one.
fn common_error_type(api: &Api) -> Option<crate::ir::TypeRef> {
    api.common_error_type()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtime_declares_the_default_features_a_crate_with_resources_extends() {
        let table = crate::runtime_source::RUNTIME_DEPENDENCIES;
        assert_eq!(
            table.matches(super::RUNTIME_DEFAULT_FEATURES).count(),
            1,
            "{table}"
        );
        assert_eq!(table.matches("[dependencies]").count(), 1, "{table}");
    }
}
