//! Stage 4, emit: turns the IR into token streams (and the few non-Rust files of a crate).
//!
//! Takes: an [`Api`]. Gives: the crate's files as [`EmittedFile`]s, Rust ones as
//! `TokenStream`s built with `quote!`. This stage cannot fail: lowering checked everything.

pub mod client;
pub mod krate;
pub mod models;

use crate::Settings;
use crate::ir::{Api, TypeRef};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// One file of the generated crate, before rendering.
pub enum EmittedFile {
    /// Rust source, pretty-printed by the render stage.
    Rust {
        /// Path relative to the crate root.
        path: String,
        /// The file's items.
        tokens: TokenStream,
    },
    /// A file written as is (after the header, for file types that take one).
    Text {
        /// Path relative to the crate root.
        path: String,
        /// Contents.
        contents: String,
        /// The comment leader for the header (`#` for TOML, `//` for Rust), or `None` for no
        /// header.
        comment: Option<&'static str>,
    },
}

/// Emits every file of the crate.
pub fn emit_crate(api: &Api, settings: &Settings) -> Vec<EmittedFile> {
    let mut files = krate::crate_files(api, settings);
    files.push(EmittedFile::Rust {
        path: "src/models.rs".to_owned(),
        tokens: models::models(api),
    });
    files.push(EmittedFile::Rust {
        path: "src/client.rs".to_owned(),
        tokens: client::client(api),
    });
    files.push(EmittedFile::Rust {
        path: "src/operations.rs".to_owned(),
        tokens: client::operations(api),
    });
    files
}

/// `#[doc = "..."]` attributes, one per line.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes, one per line, for a module or crate.
pub fn inner_doc_attrs(doc: &str) -> TokenStream {
    let lines = doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// The Rust type for a type reference (absolute paths, so no model name can shadow them).
pub fn rust_type(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String | TypeRef::Base64 => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(n) => {
            let id = naming::ident(n);
            quote!(crate::models::#id)
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// An argument type that accepts what converts into `t` cheaply (`impl Into<String>` for
/// strings), and the expression that converts the argument named `arg`.
pub fn arg_type(t: &TypeRef, arg: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    match t {
        TypeRef::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::convert::Into::into(#arg)),
        ),
        _ => (rust_type(t), quote!(#arg)),
    }
}
