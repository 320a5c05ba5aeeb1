//! Stage 4, emit: turns the IR into token streams (and the few non-Rust files of a crate).
//!
//! Takes: an [`Api`]. Gives: the crate's files as [`EmittedFile`]s, Rust ones as
//! `TokenStream`s built with `quote!`. This stage cannot fail: lowering checked everything, and
//! every identifier comes from the IR as a checked [`crate::naming::Name`].
//!
//! One module per generated file: [`krate`] (`Cargo.toml`, `lib.rs`, the runtime), [`models`],
//! [`client`] (resource namespaces), [`operations`] (one struct per operation), [`forms`]
//! (multipart bodies) and [`webhooks`] (events the API sends, and their signatures).

pub mod client;
pub mod forms;
pub mod krate;
pub mod models;
pub mod operations;
pub mod webhooks;

use crate::Settings;
use crate::ir::{Api, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// Makes the tokens of one chunk of a Rust file: its inner attributes and docs, or one item
/// (or a few that belong together, such as a type and its impls). Chunks are made and rendered
/// in parallel, each on its own, which is why they are functions of the IR rather than
/// tokens (`TokenStream`s cannot move between threads).
pub type Chunk<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// Wraps a closure as a [`Chunk`].
pub fn chunk<'a>(f: impl Fn() -> TokenStream + Send + Sync + 'a) -> Chunk<'a> {
    Box::new(f)
}

/// `items` each behind `#[cfg(feature = "..")]` when `feature` is given (a resource's own
/// operations and models, `[features] per_tag`); unchanged otherwise.
pub fn gated(feature: Option<&str>, items: TokenStream) -> TokenStream {
    let Some(feature) = feature else {
        return items;
    };
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items;
            quote! { #( #[cfg(feature = #feature)] #items )* }
        }
        // Not items: rendering reports it as the generator's bug it is.
        Err(_) => items,
    }
}

/// One file of the generated crate, before rendering.
pub enum EmittedFile<'a> {
    /// Rust source, pretty-printed by the render stage.
    Rust {
        /// Path relative to the crate root.
        path: String,
        /// The file's chunks in order: the first holds its inner attributes and docs.
        chunks: Vec<Chunk<'a>>,
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
pub fn emit_crate<'a>(api: &'a Api, settings: &'a Settings) -> Vec<EmittedFile<'a>> {
    let mut files = krate::crate_files(api, settings);
    files.push(EmittedFile::Rust {
        path: "src/models.rs".to_owned(),
        chunks: models::models(api),
    });
    files.push(EmittedFile::Rust {
        path: "src/client.rs".to_owned(),
        chunks: vec![chunk(move || client::client(api, &settings.crate_name))],
    });
    files.push(EmittedFile::Rust {
        path: "src/operations.rs".to_owned(),
        chunks: operations::operations(api),
    });
    if forms::forms_of(api).next().is_some() {
        files.push(EmittedFile::Rust {
            path: "src/forms.rs".to_owned(),
            chunks: forms::forms(api),
        });
    }
    if let Some(hooks) = &api.webhooks {
        files.push(EmittedFile::Rust {
            path: "src/webhooks.rs".to_owned(),
            chunks: webhooks::webhooks(api, hooks),
        });
    }
    files
}

/// The IR's doc for an item when it has one that is not blank, else `fallback()`: a line naming
/// the item's place, so that every public item of a crate that denies missing docs has one.
pub fn doc_or(doc: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match doc {
        Some(d) if !d.trim().is_empty() => d.to_owned(),
        _ => fallback(),
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a function of `count` parameters (`self`
/// included) when that is more than clippy's limit of seven; nothing otherwise.
pub fn allow_many_arguments(count: usize) -> TokenStream {
    if count > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    }
}

/// `impl Default for #name` through `new()`, for a type whose `new` takes no argument (clippy's
/// `new_without_default`).
pub fn default_via_new(name: &impl quote::ToTokens) -> TokenStream {
    quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self::new()
            }
        }
    }
}

/// `#[doc = "..."]` attributes, one per line.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc_lines(doc);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes, one per line, for a module or crate.
pub fn inner_doc_attrs(doc: &str) -> TokenStream {
    let lines = doc_lines(doc);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines(doc: &str) -> impl Iterator<Item = String> + '_ {
    doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    })
}

/// Rust types of the IR's type references: absolute paths, so that no model name can shadow
/// them, and models by their names.
#[derive(Clone, Copy)]
pub struct Types<'a> {
    api: &'a Api,
}

impl<'a> Types<'a> {
    /// Types of `api`.
    pub fn of(api: &'a Api) -> Self {
        Types { api }
    }

    /// The Rust type for a type reference.
    pub fn rust(self, t: &TypeRef) -> TokenStream {
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
            TypeRef::Named(id) => {
                let name = &self.api.type_def(*id).name;
                quote!(crate::models::#name)
            }
            TypeRef::Indirect(id) => {
                let name = &self.api.type_def(*id).name;
                quote!(crate::runtime::codegen::Indirect<crate::models::#name>)
            }
            TypeRef::Vec(inner) => {
                let inner = self.rust(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Option(inner) => {
                let inner = self.rust(inner);
                quote!(::std::option::Option<#inner>)
            }
        }
    }

    /// An argument type that accepts what converts into `t` cheaply (`impl Into<String>` for
    /// strings), and the expression that converts the argument named `arg`, when it needs one.
    pub fn arg(
        self,
        t: &TypeRef,
        arg: &impl quote::ToTokens,
    ) -> (TokenStream, Option<TokenStream>) {
        match t {
            TypeRef::String => (
                quote!(impl ::std::convert::Into<::std::string::String>),
                Some(quote!(::std::convert::Into::into(#arg))),
            ),
            TypeRef::Indirect(id) => (
                self.rust(&TypeRef::Named(*id)),
                Some(quote!(crate::runtime::codegen::Indirect::new(#arg))),
            ),
            _ => (self.rust(t), None),
        }
    }

    /// A short description of a type for docs (`PublicFile`, `list of string`).
    pub fn label(self, t: &TypeRef) -> String {
        match t {
            TypeRef::Named(id) | TypeRef::Indirect(id) => self.api.type_def(*id).name.to_string(),
            TypeRef::Vec(i) => format!("list of {}", self.label(i)),
            TypeRef::Map(i) => format!("map of {}", self.label(i)),
            TypeRef::Option(i) => format!("{} or null", self.label(i)),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}
