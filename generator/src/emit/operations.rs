//! Emits `src/operations.rs`: one struct per operation, carrying its parameters, with the
//! facts the runtime needs to send it (method, path template, idempotency, security,
//! idempotency key), how it builds its request and decodes its response, its optional
//! parameters as setters on the call, and how it pages.
//!
//! The functions that instantiate (de)serialisation code are `#[inline]`: a library compiles
//! its non-generic functions whether or not anything calls them, while inlinable ones are
//! compiled where they are used. A crate using a few operations of a big API then compiles
//! the (de)serialisers of those only, and the generated crate itself builds about a third
//! faster (nexus: 10.0 s to 7.0 s in a debug build).

use super::{Types, doc_attrs};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The operations file: its doc, then a chunk per operation.
pub fn operations(api: &Api) -> Vec<super::Chunk<'_>> {
    let mut chunks = vec![super::chunk(|| {
        quote! {
            //! One struct per operation: its parameters, and the facts the runtime needs to send it.
        }
    })];
    chunks.extend(
        api.groups
            .iter()
            .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
            .map(|(g, op)| {
                super::chunk(move || super::gated(g.feature.as_deref(), operation(api, op)))
            }),
    );
    chunks
}

/// What a parameter or the body adds to an operation struct.
struct Member {
    /// The struct field.
    field: TokenStream,
    /// The statement that puts it into the request.
    build: TokenStream,
    /// The setter on the call, for an optional one.
    setter: Option<TokenStream>,
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let types = Types::of(api);
    let def = &op.def;
    let name = &op.struct_name;
    let path = if def.path.is_empty() {
        "/"
    } else {
        def.path.as_str()
    };
    let doc = format!(
        " Parameters of `{}` (`{} {}`, relative to the API version's path prefix if it has one).",
        def.operation_id, def.http_method, path
    );
    let members: Vec<Member> = def
        .params
        .iter()
        .map(|p| param_member(types, p))
        .chain(def.body.iter().map(|b| body_member(types, name, b)))
        .collect();
    let fields = members.iter().map(|m| &m.field);
    let accept = match &def.success {
        ResponseBody::Events(_) => Some(quote!(req.accept("text/event-stream");)),
        ResponseBody::ByteStream => Some(quote!(req.accept("*/*");)),
        _ => None,
    };
    let build = members.iter().map(|m| &m.build).chain(accept.as_ref());
    let req_arg = if members.is_empty() && accept.is_none() {
        quote!(_req)
    } else {
        quote!(req)
    };
    let setters: Vec<&TokenStream> = members.iter().filter_map(|m| m.setter.as_ref()).collect();
    let setters_impl = if setters.is_empty() {
        quote!()
    } else {
        quote! {
            impl crate::runtime::codegen::Call<#name> {
                #(#setters)*
            }
        }
    };
    let (output, decode) = match stream_output(types, &def.success) {
        Some((output, make)) => (
            output,
            quote! {
                const STREAMED: bool = true;

                #[inline]
                fn decode_stream(
                    body: crate::runtime::codegen::Streamed,
                ) -> ::std::result::Result<Self::Output, crate::runtime::codegen::BoxError> {
                    #make
                }
            },
        ),
        None => {
            let (output, decode) = output_and_decode(types, &def.success);
            (
                output,
                quote! {
                    #[inline]
                    fn decode(
                        _status: crate::runtime::codegen::StatusCode,
                        body: &crate::runtime::codegen::Bytes,
                    ) -> ::std::result::Result<Self::Output, crate::runtime::codegen::BoxError> {
                        #decode
                    }
                },
            )
        }
    };
    let error = match &def.error_type {
        Some(t) => types.rust(t),
        None => quote!(::serde_json::Value),
    };
    let info = operation_info(def);
    let paginated = def.pagination.as_ref().map(|p| paginated(types, name, p));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }

        impl crate::runtime::codegen::Operation for #name {
            type Output = #output;
            type Error = #error;
            const INFO: &'static crate::runtime::codegen::OperationInfo = #info;

            #[inline]
            fn build(&self, #req_arg: &mut crate::runtime::codegen::RequestParts) -> ::std::result::Result<(), crate::runtime::codegen::BuildError> {
                #(#build)*
                ::std::result::Result::Ok(())
            }

            #decode
        }

        #paginated
        #setters_impl
    }
}

fn param_member(types: Types<'_>, p: &Param) -> Member {
    let fname = &p.name;
    let ty = types.rust(&p.ty);
    let wire = p.wire.as_str();
    let value = quote!(&self.#fname);
    let build = match p.location {
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
    };
    if p.required {
        return Member {
            field: quote!(pub(crate) #fname: #ty,),
            build,
            setter: None,
        };
    }
    let (arg_ty, conv) = types.arg(&p.ty, fname);
    let conv = conv.unwrap_or_else(|| quote!(#fname));
    let mut doc = p.doc.clone().unwrap_or_else(|| format!("Sets `{wire}`."));
    doc.push_str(&format!(
        "\n\nSent as the {} parameter `{wire}`.",
        p.location.as_str()
    ));
    let doc = doc_attrs(Some(&doc));
    Member {
        field: quote!(pub(crate) #fname: ::std::option::Option<#ty>,),
        build,
        setter: Some(quote! {
            #doc
            #[inline]
            pub fn #fname(mut self, #fname: #arg_ty) -> Self {
                self.op_mut().#fname = ::std::option::Option::Some(#conv);
                self
            }
        }),
    }
}

fn body_member(types: Types<'_>, op_struct: &crate::naming::Name, b: &RequestBody) -> Member {
    let (ty, set) = match b.encoding {
        BodyEncoding::Multipart => (
            super::forms::form_path(op_struct),
            quote!(req.multipart_body(body.to_multipart()?);),
        ),
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
        return Member {
            field: quote!(pub(crate) body: #ty,),
            build: quote! { let body = &self.body; #set },
            setter: None,
        };
    }
    let (arg, value) = body_arg(types, op_struct, b);
    Member {
        field: quote!(pub(crate) body: ::std::option::Option<#ty>,),
        build: quote! { if let ::std::option::Option::Some(body) = &self.body { #set } },
        setter: Some(quote! {
            /// Sets the request body.
            #[inline]
            pub fn body(mut self, #arg) -> Self {
                self.op_mut().body = ::std::option::Option::Some(#value);
                self
            }
        }),
    }
}

/// The body argument of a method (`body: &Model`, `impl Into<String>`, `impl Into<Bytes>`) and
/// the expression that stores it in the operation struct (JSON is serialised right away).
pub fn body_arg(
    types: Types<'_>,
    op_struct: &crate::naming::Name,
    b: &RequestBody,
) -> (TokenStream, TokenStream) {
    let body_ty = types.rust(&b.ty);
    match b.encoding {
        BodyEncoding::Multipart => {
            let form = super::forms::form_path(op_struct);
            (quote!(body: #form), quote!(body))
        }
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

/// The operation's output type and the expression that decodes a success body into it.
fn output_and_decode(types: Types<'_>, success: &ResponseBody) -> (TokenStream, TokenStream) {
    match success {
        ResponseBody::Empty => (
            quote!(()),
            quote!(crate::runtime::codegen::decode_empty(body)),
        ),
        ResponseBody::Json(t) => (
            types.rust(t),
            quote!(crate::runtime::codegen::decode_json(body)),
        ),
        ResponseBody::JsonOrEmpty(t) => {
            let t = types.rust(t);
            (
                quote!(::std::option::Option<#t>),
                quote! {
                    if body.is_empty() {
                        ::std::result::Result::Ok(::std::option::Option::None)
                    } else {
                        crate::runtime::codegen::decode_json(body).map(::std::option::Option::Some)
                    }
                },
            )
        }
        ResponseBody::Text => (
            quote!(::std::string::String),
            quote!(crate::runtime::codegen::decode_text(body)),
        ),
        ResponseBody::ByteStream | ResponseBody::Events(_) => {
            unreachable!("streamed bodies are decoded by `stream_output`")
        }
    }
}

/// For a streamed success body: the output type and the expression that makes it from the
/// unread body (`body`, a `Streamed`).
fn stream_output(types: Types<'_>, success: &ResponseBody) -> Option<(TokenStream, TokenStream)> {
    match success {
        ResponseBody::ByteStream => Some((
            quote!(crate::runtime::codegen::ByteStream),
            quote!(::std::result::Result::Ok(body.into_bytes())),
        )),
        ResponseBody::Events(data) => {
            let (ty, decode) = match data {
                Some(t) => {
                    let t = types.rust(t);
                    (
                        t.clone(),
                        quote!(crate::runtime::codegen::decode_event_json::<#t>),
                    )
                }
                None => (
                    quote!(::std::string::String),
                    quote!(crate::runtime::codegen::decode_event_text),
                ),
            };
            Some((
                quote!(crate::runtime::codegen::EventStream<#ty>),
                quote!(::std::result::Result::Ok(body.into_events(#decode))),
            ))
        }
        _ => None,
    }
}

/// The `OperationInfo` constant: the facts the runtime sends the operation by.
fn operation_info(def: &OperationDef) -> TokenStream {
    let operation_id = def.operation_id.as_str();
    let method = method_const(def.http_method);
    let path = def.path.as_str();
    let idempotent = def.idempotent;
    let security = def.security.iter().map(|set| {
        let reqs = set.iter().map(|s| {
            let scheme = s.scheme.as_str();
            let kind = scheme_kind(&s.kind);
            quote!(crate::runtime::codegen::SecurityRequirement { scheme: #scheme, kind: #kind })
        });
        quote!(&[#(#reqs),*])
    });
    let idempotency_key = match &def.idempotency_key {
        Some(IdempotencyKey::BodyPointer(p)) => {
            quote!(::std::option::Option::Some(crate::runtime::codegen::IdempotencyKey::BodyPointer(#p)))
        }
        Some(IdempotencyKey::Header(h)) => {
            quote!(::std::option::Option::Some(crate::runtime::codegen::IdempotencyKey::Header(#h)))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        &crate::runtime::codegen::OperationInfo {
            operation_id: #operation_id,
            method: crate::runtime::codegen::Method::#method,
            path: #path,
            idempotent: #idempotent,
            security: &[#(#security),*],
            idempotency_key: #idempotency_key,
        }
    }
}

/// The `Paginated` impl of a list operation: where the cursor and the items are in a page.
fn paginated(types: Types<'_>, name: &crate::naming::Name, p: &Pagination) -> TokenStream {
    let item = types.rust(&p.item_type);
    let cursor_ptr = p.cursor_pointer.as_str();
    let items_ptr = p.items_pointer.as_str();
    let cursor = &p.cursor_param;
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
}

/// The runtime's constant for an HTTP method (`Method::GET`).
fn method_const(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(GET),
        HttpMethod::Put => quote!(PUT),
        HttpMethod::Post => quote!(POST),
        HttpMethod::Delete => quote!(DELETE),
        HttpMethod::Options => quote!(OPTIONS),
        HttpMethod::Head => quote!(HEAD),
        HttpMethod::Patch => quote!(PATCH),
        HttpMethod::Trace => quote!(TRACE),
    }
}

fn scheme_kind(k: &SchemeKind) -> TokenStream {
    let api_key = |location: TokenStream, name: &str| {
        quote!(crate::runtime::codegen::SchemeKind::ApiKey {
            location: crate::runtime::codegen::ApiKeyLocation::#location,
            name: #name,
        })
    };
    match k {
        SchemeKind::Bearer => quote!(crate::runtime::codegen::SchemeKind::Bearer),
        SchemeKind::Basic => quote!(crate::runtime::codegen::SchemeKind::Basic),
        SchemeKind::ApiKeyQuery(n) => api_key(quote!(Query), n),
        SchemeKind::ApiKeyHeader(n) => api_key(quote!(Header), n),
        SchemeKind::ApiKeyCookie(n) => api_key(quote!(Cookie), n),
    }
}
