//! Emits `src/client.rs`: the version enum and namespaces (when the spec declares versions),
//! one namespace struct per resource, and one method per operation that starts a call.

use super::{Types, doc_attrs, doc_or};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The client namespaces file. `crate_name` (the package's) is how the doc examples name the
/// crate.
pub fn client(api: &Api, crate_name: &str) -> TokenStream {
    let krate = crate_name.replace('-', "_");
    let versioned = !api.versions.is_empty();
    let mut items = Vec::new();
    if versioned {
        items.push(version_enum(api));
    }
    // Accessors for every tagged group, and untagged operations, on the root namespace.
    let mut root_methods = Vec::new();
    for g in &api.groups {
        match &g.namespace {
            Some(ns) => {
                let cfg = g.feature.as_deref().map(|f| quote!(#[cfg(feature = #f)]));
                let accessor = accessor(g, ns, versioned);
                root_methods.push(quote!(#cfg #accessor));
                items.push(super::gated(
                    g.feature.as_deref(),
                    group_struct(api, g, ns, versioned, &krate),
                ));
            }
            None => {
                for op in &g.operations {
                    let at = Place {
                        versioned,
                        on_client: !versioned,
                        namespace: None,
                        krate: &krate,
                    };
                    root_methods.push(op_method(api, op, &at));
                }
            }
        }
    }
    items.push(if versioned {
        version_namespace(api, &root_methods)
    } else {
        quote! {
            impl crate::Client {
                #(#root_methods)*
            }
        }
    });
    quote! {
        //! Resource namespaces: one method per operation.
        #(#items)*
    }
}

/// The method that hands out a resource namespace.
fn accessor(g: &Group, ns: &Namespace, versioned: bool) -> TokenStream {
    let (acc, ty) = (&ns.accessor, &ns.type_name);
    let doc = doc_or(g.doc.as_deref(), || format!("{ty} operations."));
    let doc = format!(" {}", crate::lower::docs::first_paragraph(&doc));
    let init = if versioned {
        quote!(#ty { client: self.client.clone(), version: self.version })
    } else {
        quote!(#ty { client: self.clone() })
    };
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #acc(&self) -> #ty {
            #init
        }
    }
}

/// The `Api` namespace of one version, and the client's methods that choose a version.
fn version_namespace(api: &Api, root_methods: &[TokenStream]) -> TokenStream {
    let accessors = api.versions.iter().map(|v| {
        let (m, variant) = (&v.method, &v.variant);
        let doc = format!(
            " Operations of API version `{}` (paths under `{}`).",
            v.name, v.prefix
        );
        quote! {
            #[doc = #doc]
            pub fn #m(&self) -> Api {
                self.api(ApiVersion::#variant)
            }
        }
    });
    quote! {
        /// The operations of one API version. Every version shares the same models.
        #[derive(Debug, Clone)]
        pub struct Api {
            client: crate::Client,
            version: ApiVersion,
        }

        impl Api {
            /// The version these operations belong to.
            pub fn version(&self) -> ApiVersion {
                self.version
            }
            #(#root_methods)*
        }

        impl crate::Client {
            /// Operations of `version`, chosen at run time.
            pub fn api(&self, version: ApiVersion) -> Api {
                Api { client: self.clone(), version }
            }
            #(#accessors)*
        }
    }
}

fn version_enum(api: &Api) -> TokenStream {
    let variants: Vec<_> = api.versions.iter().map(|v| &v.variant).collect();
    let names: Vec<_> = api.versions.iter().map(|v| v.name.as_str()).collect();
    let prefixes: Vec<_> = api.versions.iter().map(|v| v.prefix.as_str()).collect();
    let docs: Vec<TokenStream> = api
        .versions
        .iter()
        .map(|v| {
            let d = match v.doc.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(d) => format!("`{}`: {d}", v.name),
                None => format!("`{}`, under `{}`.", v.name, v.prefix),
            };
            doc_attrs(Some(&d))
        })
        .collect();
    let n = variants.len();
    quote! {
        /// The API versions this client speaks. Pick one with `Client::api`, or with the
        /// accessor named after it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ApiVersion {
            #( #docs #variants, )*
        }

        impl ApiVersion {
            /// Every version, in the order the spec declares them.
            pub const ALL: [ApiVersion; #n] = [#(ApiVersion::#variants),*];

            /// The version's name in the spec.
            pub fn name(self) -> &'static str {
                match self { #( ApiVersion::#variants => #names, )* }
            }

            /// The path prefix of the version's operations.
            pub fn path_prefix(self) -> &'static str {
                match self { #( ApiVersion::#variants => #prefixes, )* }
            }
        }

        impl ::std::fmt::Display for ApiVersion {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        /// The error of parsing an [`ApiVersion`] from a name it does not have.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownApiVersion(pub ::std::string::String);

        impl ::std::fmt::Display for UnknownApiVersion {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "unknown API version `{}`; known versions: {}", self.0, [#(#names),*].join(", "))
            }
        }

        impl ::std::error::Error for UnknownApiVersion {}

        impl ::std::str::FromStr for ApiVersion {
            type Err = UnknownApiVersion;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                match value {
                    #( #names => ::std::result::Result::Ok(ApiVersion::#variants), )*
                    other => ::std::result::Result::Err(UnknownApiVersion(::std::borrow::ToOwned::to_owned(other))),
                }
            }
        }
    }
}

fn group_struct(api: &Api, g: &Group, ns: &Namespace, versioned: bool, krate: &str) -> TokenStream {
    let ty = &ns.type_name;
    let doc = doc_attrs(Some(&doc_or(g.doc.as_deref(), || {
        format!("{ty} operations.")
    })));
    let methods: Vec<_> = g
        .operations
        .iter()
        .map(|op| {
            let at = Place {
                versioned,
                on_client: false,
                namespace: Some(ns),
                krate,
            };
            op_method(api, op, &at)
        })
        .collect();
    let fields = if versioned {
        quote!(client: crate::Client, version: ApiVersion,)
    } else {
        quote!(client: crate::Client,)
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #ty {
            #fields
        }

        impl #ty {
            #(#methods)*
        }
    }
}

/// Where an operation's method is: what its code and its doc example need to know.
struct Place<'a> {
    /// The spec declares API versions (the method is on a version's namespace).
    versioned: bool,
    /// The method is on the client itself: `self` is the client; elsewhere it holds one.
    on_client: bool,
    /// The resource namespace it is on, if any.
    namespace: Option<&'a Namespace>,
    /// The crate, as a path (`hubspot_custom_channels`).
    krate: &'a str,
}

/// A `no_run` example of calling `op`: the call as a user writes it, its arguments the
/// parameters of a hidden function with the method's own types.
fn example(
    api: &Api,
    op: &Operation,
    at: &Place<'_>,
    args: &[TokenStream],
    names: &[String],
) -> String {
    let krate = at.krate;
    let mut path = "client".to_owned();
    if at.versioned {
        let version = op.versions.first().map_or_else(
            || api.versions[0].method.to_string(),
            |&i| api.versions[i].method.to_string(),
        );
        path.push_str(&format!(".{version}()"));
    }
    if let Some(ns) = at.namespace {
        path.push_str(&format!(".{}()", ns.accessor));
    }
    let params: Vec<String> = std::iter::once(format!("client: {krate}::Client"))
        .chain(
            args.iter()
                .map(|a| a.to_string().replace("crate ::", &format!("{krate} ::"))),
        )
        .collect();
    let call = format!("{path}.{}({})", op.method_name, names.join(", "));
    let paged = op.def.pagination.is_some();
    let mut text = format!(
        "```no_run\n# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{\n",
        params.join(", ")
    );
    let streamed = matches!(
        op.def.success,
        ResponseBody::ByteStream | ResponseBody::Events(_)
    );
    if paged {
        text.push_str(&format!(
            "use {krate}::TryStreamExt as _;\nlet mut items = {call}.into_stream();\nwhile let Some(item) = items.try_next().await? {{\n    # let _ = item;\n}}\n"
        ));
    } else if streamed {
        let (name, item) = match op.def.success {
            ResponseBody::Events(_) => ("events", "event"),
            _ => ("chunks", "chunk"),
        };
        text.push_str(&format!(
            "use {krate}::StreamExt as _;\nlet mut {name} = {call}.await?;\nwhile let Some({item}) = {name}.next().await {{\n    let {item} = {item}?;\n    # let _ = {item};\n}}\n"
        ));
    } else {
        text.push_str(&format!(
            "let response = {call}.await?;\n# let _ = response;\n"
        ));
    }
    text.push_str("# Ok(())\n# }\n```");
    text
}

/// The method that starts a call of `op`.
fn op_method(api: &Api, op: &Operation, at: &Place<'_>) -> TokenStream {
    let (versioned, on_client) = (at.versioned, at.on_client);
    let types = Types::of(api);
    let def = &op.def;
    let method = &op.method_name;
    let op_ty = &op.struct_name;
    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    let mut inits = Vec::new();
    for p in &def.params {
        let name = &p.name;
        if p.required {
            let (ty, conv) = types.arg(&p.ty, name);
            args.push(quote!(#name: #ty));
            arg_names.push(quote!(#name).to_string());
            inits.push(match conv {
                Some(conv) => quote!(#name: #conv),
                None => quote!(#name),
            });
        } else {
            inits.push(quote!(#name: ::std::option::Option::None));
        }
    }
    if let Some(b) = &def.body {
        let (arg, value) = super::operations::body_arg(types, op_ty, b);
        if b.required {
            args.push(arg);
            arg_names.push("body".to_owned());
            inits.push(if b.form.is_some() {
                quote!(body)
            } else {
                quote!(body: #value)
            });
        } else {
            inits.push(quote!(body: ::std::option::Option::None));
        }
    }
    let client = if on_client {
        quote!(self)
    } else {
        quote!(&self.client)
    };
    let in_version = versioned && !op.versions.is_empty();
    let prefix = if in_version {
        quote!(self.version.path_prefix())
    } else {
        quote!("")
    };
    let doc = doc_attrs(Some(&format!(
        "{}\n\n# Example\n\n{}",
        method_doc(api, op, in_version),
        example(api, op, at, &args, &arg_names)
    )));
    let deprecated = if def.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let availability = if in_version && op.versions.len() < api.versions.len() {
        let allowed = op.versions.iter().map(|&i| &api.versions[i].variant);
        let msg = format!(
            "`{}` is not available in this API version",
            def.operation_id
        );
        quote! {
            if !matches!(self.version, #(ApiVersion::#allowed)|*) {
                return crate::runtime::codegen::Call::unavailable(#client, op, #msg);
            }
        }
    } else {
        quote!()
    };
    let many = super::allow_many_arguments(args.len() + 1);
    quote! {
        #doc
        #deprecated
        #many
        #[inline]
        pub fn #method(&self, #(#args),*) -> crate::runtime::codegen::Call<crate::operations::#op_ty> {
            let op = crate::operations::#op_ty { #(#inits),* };
            #availability
            crate::runtime::codegen::Call::new(#client, #prefix, op)
        }
    }
}

/// An operation method's doc: the spec's words, what it sends (per version), its success
/// statuses, its optional parameters and whether it pages.
fn method_doc(api: &Api, op: &Operation, in_version: bool) -> String {
    let def = &op.def;
    let mut path_doc = if in_version {
        let sends: Vec<String> = op
            .versions
            .iter()
            .map(|&i| {
                let v = &api.versions[i];
                format!(
                    "`{} {}{}` in API version `{}`",
                    def.http_method, v.prefix, def.path, v.name
                )
            })
            .collect();
        format!("Sends {}.", sends.join(", "))
    } else {
        format!("Sends `{} {}`.", def.http_method, def.path)
    };
    if !def.success_statuses.is_empty() {
        let statuses: Vec<String> = def
            .success_statuses
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        path_doc.push_str(&format!(" Success: {}.", statuses.join(", ")));
    }
    let mut doc = match &def.doc {
        Some(d) if !d.is_empty() => format!("{d}\n\n{path_doc}"),
        _ => path_doc,
    };
    let optional: Vec<String> = def
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`.{}(..)`", p.name))
        .collect();
    if !optional.is_empty() {
        doc.push_str(&format!(
            "\n\nOptional parameters are set on the returned call: {}.",
            optional.join(", ")
        ));
    }
    match &def.success {
        ResponseBody::ByteStream => doc.push_str("\n\nThe body is handed over as it arrives: a [`ByteStream`](crate::runtime::ByteStream) of chunks (`.collect_bytes(limit)` gathers a small one)."),
        ResponseBody::Events(_) => doc.push_str("\n\nThe body is a stream of server-sent events: an [`EventStream`](crate::runtime::EventStream), each item an event with its data decoded; `.reconnect(n)` resumes it with `Last-Event-ID` when the connection ends."),
        _ => {}
    }
    if let Some(b) = &def.body {
        if b.form.is_some() {
            doc.push_str(&format!(
                "\n\nSends a multipart body (`{}`): one part per field of the form.",
                b.media_type
            ));
        } else if b.encoding != BodyEncoding::Json {
            doc.push_str(&format!("\n\nSends the body as `{}`.", b.media_type));
        }
    }
    if def.pagination.is_some() {
        doc.push_str("\n\nPaginated: `.into_stream()` yields every item across pages (use it with the crate's re-exported `StreamExt` or `TryStreamExt`: `while let Some(item) = stream.try_next().await? {..}`), and `.collect_all().await?` gathers them all.");
    }
    doc
}
