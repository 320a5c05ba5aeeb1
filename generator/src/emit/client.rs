//! Emits `src/client.rs` (version and resource namespaces with one method per operation) and
//! `src/operations.rs` (one struct per operation carrying its parameters, with the facts the
//! runtime needs: method, path template, idempotency, security, pagination).

use super::{arg_type, doc_attrs, rust_type};
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The client namespaces file.
pub fn client(api: &Api) -> TokenStream {
    let versioned = !api.versions.is_empty();
    let mut items = Vec::new();
    if versioned {
        items.push(version_enum(api));
    }
    // Accessors for every tagged group, and untagged operations, on the root namespace.
    let mut root_methods = Vec::new();
    for g in &api.groups {
        match &g.accessor {
            Some(accessor) => {
                let acc = ident(accessor);
                let ty = ident(&g.type_name);
                let doc = format!(
                    " {}",
                    g.doc
                        .as_deref()
                        .and_then(|d| d.split("\n\n").next())
                        .map(str::to_owned)
                        .unwrap_or_else(|| format!("{} operations.", g.type_name))
                );
                let init = if versioned {
                    quote!(#ty { client: self.client.clone(), version: self.version })
                } else {
                    quote!(#ty { client: self.clone() })
                };
                root_methods.push(quote! {
                    #[doc = #doc]
                    pub fn #acc(&self) -> #ty {
                        #init
                    }
                });
                items.push(group_struct(api, g, versioned));
            }
            None => {
                for op in &g.operations {
                    root_methods.push(op_method(api, op, versioned, !versioned));
                }
            }
        }
    }
    if versioned {
        let accessors: Vec<TokenStream> = api
            .versions
            .iter()
            .map(|v| {
                let m = ident(&v.method);
                let variant = ident(&v.variant);
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
            })
            .collect();
        items.push(quote! {
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
        });
    } else {
        items.push(quote! {
            impl crate::Client {
                #(#root_methods)*
            }
        });
    }
    quote! {
        //! Resource namespaces: one method per operation.
        #(#items)*
    }
}

fn version_enum(api: &Api) -> TokenStream {
    let variants: Vec<_> = api.versions.iter().map(|v| ident(&v.variant)).collect();
    let names: Vec<_> = api.versions.iter().map(|v| v.name.as_str()).collect();
    let prefixes: Vec<_> = api.versions.iter().map(|v| v.prefix.as_str()).collect();
    let docs: Vec<TokenStream> = api
        .versions
        .iter()
        .map(|v| {
            let d = match &v.doc {
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

fn group_struct(api: &Api, g: &Group, versioned: bool) -> TokenStream {
    let ty = ident(&g.type_name);
    let doc = doc_attrs(Some(
        g.doc
            .as_deref()
            .unwrap_or(&format!("{} operations.", g.type_name)),
    ));
    let methods: Vec<_> = g
        .operations
        .iter()
        .map(|op| op_method(api, op, versioned, false))
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

/// The method that starts a call of `op`. On the client itself (`on_client`), `self` is the
/// client; elsewhere it holds one.
fn op_method(api: &Api, op: &Operation, versioned: bool, on_client: bool) -> TokenStream {
    let method = ident(&op.method_name);
    let op_ty = ident(&op.struct_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        if p.required {
            let (ty, conv) = arg_type(&p.ty, &name);
            args.push(quote!(#name: #ty));
            if name == conv.to_string() {
                inits.push(quote!(#name));
            } else {
                inits.push(quote!(#name: #conv));
            }
        } else {
            inits.push(quote!(#name: ::std::option::Option::None));
        }
    }
    if let Some(b) = &op.body {
        let (arg, value) = body_arg(b);
        if b.required {
            args.push(arg);
            inits.push(quote!(body: #value));
        } else {
            inits.push(quote!(body: ::std::option::Option::None));
        }
    }
    let client = if on_client {
        quote!(self)
    } else {
        quote!(&self.client)
    };
    let prefix = if versioned && !op.versions.is_empty() {
        quote!(self.version.path_prefix())
    } else {
        quote!("")
    };
    let mut doc = op.doc.clone().unwrap_or_default();
    let mut path_doc = if versioned && !op.versions.is_empty() {
        let sends: Vec<String> = op
            .versions
            .iter()
            .map(|&i| {
                let v = &api.versions[i];
                format!(
                    "`{} {}{}` in API version `{}`",
                    op.http_method, v.prefix, op.path, v.name
                )
            })
            .collect();
        format!("Sends {}.", sends.join(", "))
    } else {
        format!("Sends `{} {}`.", op.http_method, op.path)
    };
    if !op.success_statuses.is_empty() {
        let statuses: Vec<String> = op
            .success_statuses
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        path_doc.push_str(&format!(" Success: {}.", statuses.join(", ")));
    }
    doc = if doc.is_empty() {
        path_doc
    } else {
        format!("{doc}\n\n{path_doc}")
    };
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`.{}(..)`", p.name.trim_start_matches("r#")))
        .collect();
    if !optional.is_empty() {
        doc.push_str(&format!(
            "\n\nOptional parameters are set on the returned call: {}.",
            optional.join(", ")
        ));
    }
    if op.pagination.is_some() {
        doc.push_str("\n\nPaginated: `.into_stream()` yields every item across pages.");
    }
    let doc = doc_attrs(Some(&doc));
    let deprecated = if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let availability =
        if versioned && !op.versions.is_empty() && op.versions.len() < api.versions.len() {
            let allowed: Vec<_> = op
                .versions
                .iter()
                .map(|&i| ident(&api.versions[i].variant))
                .collect();
            let msg = format!("`{}` is not available in this API version", op.operation_id);
            quote! {
                if !matches!(self.version, #(ApiVersion::#allowed)|*) {
                    return crate::runtime::codegen::Call::unavailable(#client, op, #msg);
                }
            }
        } else {
            quote!()
        };
    let many = if args.len() > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        #doc
        #deprecated
        #many
        pub fn #method(&self, #(#args),*) -> crate::runtime::codegen::Call<crate::operations::#op_ty> {
            let op = crate::operations::#op_ty { #(#inits),* };
            #availability
            crate::runtime::codegen::Call::new(#client, #prefix, op)
        }
    }
}

/// The body argument of a method (`body: &Model`, `impl Into<String>`, `impl Into<Bytes>`) and
/// the expression that stores it in the operation struct (JSON is serialised right away).
fn body_arg(b: &RequestBody) -> (TokenStream, TokenStream) {
    let body_ty = rust_type(&b.ty);
    match b.encoding {
        BodyEncoding::Json | BodyEncoding::Form => (
            quote!(body: &#body_ty),
            quote!(crate::runtime::codegen::JsonBody::new(body)),
        ),
        BodyEncoding::Text => (
            quote!(body: impl ::std::convert::Into<::std::string::String>),
            quote!(crate::runtime::codegen::Bytes::from(
                ::std::convert::Into::<::std::string::String>::into(body)
            )),
        ),
        BodyEncoding::Bytes => (
            quote!(body: impl ::std::convert::Into<crate::runtime::codegen::Bytes>),
            quote!(::std::convert::Into::into(body)),
        ),
    }
}

/// The operations file.
pub fn operations(api: &Api) -> TokenStream {
    let mut items = Vec::new();
    for g in &api.groups {
        for op in &g.operations {
            items.push(operation(op));
        }
    }
    quote! {
        //! One struct per operation: its parameters, and the facts the runtime needs to send it.
        #(#items)*
    }
}

fn operation(op: &Operation) -> TokenStream {
    let name = ident(&op.struct_name);
    let path = if op.path.is_empty() {
        "/"
    } else {
        op.path.as_str()
    };
    let doc = format!(
        " Parameters of `{}` (`{} {}`, relative to the API version's path prefix if it has one).",
        op.operation_id, op.http_method, path
    );
    let mut fields = Vec::new();
    let mut build = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let fname = ident(&p.name);
        let ty = rust_type(&p.ty);
        let wire = p.wire.as_str();
        if p.required {
            fields.push(quote!(pub(crate) #fname: #ty,));
        } else {
            fields.push(quote!(pub(crate) #fname: ::std::option::Option<#ty>,));
            let (arg_ty, conv) = arg_type(&p.ty, &fname);
            let mut sdoc = p.doc.clone().unwrap_or_else(|| format!("Sets `{wire}`."));
            sdoc.push_str(&format!(
                "\n\nSent as the {} parameter `{wire}`.",
                location_word(p.location)
            ));
            let sdoc = doc_attrs(Some(&sdoc));
            setters.push(quote! {
                #sdoc
                pub fn #fname(mut self, #fname: #arg_ty) -> Self {
                    self.op_mut().#fname = ::std::option::Option::Some(#conv);
                    self
                }
            });
        }
        let value = quote!(&self.#fname);
        build.push(match p.location {
            ParamLocation::Path => quote!(req.path_param(#wire, #value)?;),
            ParamLocation::Query => match p.query_style {
                None => quote!(req.query(#wire, #value)?;),
                Some(style) => {
                    let style = match style {
                        QueryStyle::FormUnexploded => quote!(Form { explode: false }),
                        QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                        QueryStyle::PipeDelimited => quote!(PipeDelimited),
                        QueryStyle::DeepObject => quote!(DeepObject),
                    };
                    quote!(req.query_styled(#wire, #value, crate::runtime::codegen::QueryStyle::#style)?;)
                }
            },
            ParamLocation::Header => quote!(req.header(#wire, #value)?;),
            ParamLocation::Cookie => quote!(req.cookie(#wire, #value)?;),
        });
    }
    if let Some(b) = &op.body {
        let (ty, set) = match b.encoding {
            BodyEncoding::Json => (
                quote!(crate::runtime::codegen::JsonBody),
                quote!(req.json_body(body);),
            ),
            BodyEncoding::Form => (
                quote!(crate::runtime::codegen::JsonBody),
                quote!(req.form_body(body)?;),
            ),
            BodyEncoding::Text | BodyEncoding::Bytes => {
                let media = b.media_type.as_str();
                (
                    quote!(crate::runtime::codegen::Bytes),
                    quote!(req.bytes_body(#media, ::std::clone::Clone::clone(body));),
                )
            }
        };
        if b.required {
            fields.push(quote!(pub(crate) body: #ty,));
            build.push(quote! { let body = &self.body; #set });
        } else {
            fields.push(quote!(pub(crate) body: ::std::option::Option<#ty>,));
            build.push(quote! { if let ::std::option::Option::Some(body) = &self.body { #set } });
            let (arg, value) = body_arg(b);
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(mut self, #arg) -> Self {
                    self.op_mut().body = ::std::option::Option::Some(#value);
                    self
                }
            });
        }
    }
    let output = match &op.success {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(t) => rust_type(t),
        ResponseBody::JsonOrEmpty(t) => {
            let t = rust_type(t);
            quote!(::std::option::Option<#t>)
        }
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Bytes => quote!(crate::runtime::codegen::Bytes),
    };
    let decode = match &op.success {
        ResponseBody::Empty => quote!(crate::runtime::codegen::decode_empty(body)),
        ResponseBody::Json(_) => quote!(crate::runtime::codegen::decode_json(body)),
        ResponseBody::JsonOrEmpty(_) => quote! {
            if body.is_empty() {
                ::std::result::Result::Ok(::std::option::Option::None)
            } else {
                crate::runtime::codegen::decode_json(body).map(::std::option::Option::Some)
            }
        },
        ResponseBody::Text => quote!(crate::runtime::codegen::decode_text(body)),
        ResponseBody::Bytes => quote!(crate::runtime::codegen::decode_bytes(body)),
    };
    let error = match &op.error_type {
        Some(t) => rust_type(t),
        None => quote!(::serde_json::Value),
    };
    let operation_id = op.operation_id.as_str();
    let method = format_ident!("{}", op.http_method);
    let path = op.path.as_str();
    let idempotent = op.idempotent;
    let security: Vec<TokenStream> = op
        .security
        .iter()
        .map(|set| {
            let reqs: Vec<TokenStream> = set
                .iter()
                .map(|s| {
                    let scheme = s.scheme.as_str();
                    let kind = scheme_kind(&s.kind);
                    quote!(crate::runtime::codegen::SecurityRequirement { scheme: #scheme, kind: #kind })
                })
                .collect();
            quote!(&[#(#reqs),*])
        })
        .collect();
    let idem_key = match &op.idempotency_key {
        Some(IdempotencyKey::BodyPointer(p)) => {
            quote!(::std::option::Option::Some(crate::runtime::codegen::IdempotencyKey::BodyPointer(#p)))
        }
        Some(IdempotencyKey::Header(h)) => {
            quote!(::std::option::Option::Some(crate::runtime::codegen::IdempotencyKey::Header(#h)))
        }
        None => quote!(::std::option::Option::None),
    };
    let uses_self = !build.is_empty();
    let req_arg = if uses_self { quote!(req) } else { quote!(_req) };
    let paginated = op.pagination.as_ref().map(|p| {
        let item = rust_type(&p.item_type);
        let cursor_ptr = p.cursor_pointer.as_str();
        let items_ptr = p.items_pointer.as_str();
        let cursor = ident(&p.cursor_param);
        let set = match p.cursor_type {
            TypeRef::String => quote!(self.#cursor = ::std::option::Option::Some(cursor);),
            _ => quote!(self.#cursor = cursor.parse().ok();),
        };
        quote! {
            impl crate::runtime::codegen::Paginated for #name {
                type Item = #item;
                const CURSOR_POINTER: &'static str = #cursor_ptr;
                const ITEMS_POINTER: &'static str = #items_ptr;
                fn set_cursor(&mut self, cursor: ::std::string::String) {
                    #set
                }
            }
        }
    });
    let setters_impl = if setters.is_empty() {
        quote!()
    } else {
        quote! {
            impl crate::runtime::codegen::Call<#name> {
                #(#setters)*
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }

        impl crate::runtime::codegen::Operation for #name {
            type Output = #output;
            type Error = #error;
            const INFO: &'static crate::runtime::codegen::OperationInfo = &crate::runtime::codegen::OperationInfo {
                operation_id: #operation_id,
                method: crate::runtime::codegen::Method::#method,
                path: #path,
                idempotent: #idempotent,
                security: &[#(#security),*],
                idempotency_key: #idem_key,
            };

            fn build(&self, #req_arg: &mut crate::runtime::codegen::RequestParts) -> ::std::result::Result<(), crate::runtime::codegen::BuildError> {
                #(#build)*
                ::std::result::Result::Ok(())
            }

            fn decode(
                _status: crate::runtime::codegen::StatusCode,
                body: &crate::runtime::codegen::Bytes,
            ) -> ::std::result::Result<Self::Output, crate::runtime::codegen::BoxError> {
                #decode
            }
        }

        #paginated
        #setters_impl
    }
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn scheme_kind(k: &SchemeKind) -> TokenStream {
    let loc = |l: &str, name: &str| {
        let l = format_ident!("{}", l);
        quote!(crate::runtime::codegen::SchemeKind::ApiKey {
            location: crate::runtime::codegen::ApiKeyLocation::#l,
            name: #name,
        })
    };
    match k {
        SchemeKind::Bearer => quote!(crate::runtime::codegen::SchemeKind::Bearer),
        SchemeKind::Basic => quote!(crate::runtime::codegen::SchemeKind::Basic),
        SchemeKind::ApiKeyQuery(n) => loc("Query", n),
        SchemeKind::ApiKeyHeader(n) => loc("Header", n),
        SchemeKind::ApiKeyCookie(n) => loc("Cookie", n),
    }
}
