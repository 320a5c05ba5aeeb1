//! Emits `src/forms.rs`: one struct per multipart request body, named after its operation
//! (`UploadFileForm`), with a field per part: files as `FilePart`s, lists of files as
//! `Vec<FilePart>`, other values typed as the spec says. Each has `new` (the required parts)
//! and a `with_…` setter per optional part, and turns itself into the runtime's multipart body.

use super::{Types, doc_attrs};
use crate::ir::*;
use crate::naming::Name;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The form struct's name for the operation struct `op_struct`.
pub fn form_name(op_struct: &Name) -> proc_macro2::Ident {
    format_ident!("{}Form", op_struct.as_str())
}

/// The form struct's path from anywhere in the crate.
pub fn form_path(op_struct: &Name) -> TokenStream {
    let name = form_name(op_struct);
    quote!(crate::forms::#name)
}

/// Every operation with a multipart body, and its form.
pub fn forms_of(api: &Api) -> impl Iterator<Item = (&Operation, &RequestBody, &MultipartForm)> {
    api.operations().filter_map(|op| {
        let body = op.def.body.as_ref()?;
        Some((op, body, body.form.as_ref()?))
    })
}

/// The forms file: its doc, then a chunk per form.
pub fn forms(api: &Api) -> Vec<super::Chunk<'_>> {
    let mut chunks = vec![super::chunk(|| {
        quote! {
            //! The multipart request bodies: one struct per operation that sends one, a field per part.
        }
    })];
    // A form is built with its operation's resource feature (`[features] per_tag`), as the
    // models it holds may be.
    let gated = api.groups.iter().flat_map(|g| {
        g.operations.iter().filter_map(move |op| {
            let body = op.def.body.as_ref()?;
            Some((g.feature.as_deref(), op, body, body.form.as_ref()?))
        })
    });
    chunks.extend(gated.map(|(feature, op, body, form)| {
        super::chunk(move || super::gated(feature, form_struct(api, op, body, form)))
    }));
    chunks
}

fn form_struct(api: &Api, op: &Operation, body: &RequestBody, form: &MultipartForm) -> TokenStream {
    let types = Types::of(api);
    let name = form_name(&op.struct_name);
    let mut doc = format!(
        "The multipart body (`{}`) of `{}`.",
        body.media_type, op.def.operation_id
    );
    if let Some(d) = &body.doc {
        doc = format!("{d}\n\n{doc}");
    }
    doc.push_str(" Build it with `new` (the required parts) and the `with_…` setters; files are [`FilePart`](crate::runtime::FilePart)s, from bytes, a path or a stream.");
    let doc = doc_attrs(Some(&doc));
    let mut fields = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    let mut setters = Vec::new();
    let mut parts = Vec::new();
    for f in &form.fields {
        let fname = &f.name;
        let wire = f.wire.as_str();
        let declared = match &f.content_type {
            Some(c) => quote!(::std::option::Option::Some(#c)),
            None => quote!(::std::option::Option::None),
        };
        let (stored, arg, conv, add) = match &f.kind {
            FormFieldKind::File => {
                let file = quote!(crate::runtime::FilePart);
                let stored = if f.required {
                    file.clone()
                } else {
                    quote!(::std::option::Option<#file>)
                };
                let add = if f.required {
                    quote!(form.file(#wire, &self.#fname, #declared);)
                } else {
                    quote! {
                        if let ::std::option::Option::Some(file) = &self.#fname {
                            form.file(#wire, file, #declared);
                        }
                    }
                };
                (
                    stored,
                    quote!(impl ::std::convert::Into<#file>),
                    quote!(::std::convert::Into::into(#fname)),
                    add,
                )
            }
            FormFieldKind::Files => {
                let files = quote!(::std::vec::Vec<crate::runtime::FilePart>);
                (
                    files.clone(),
                    files,
                    quote!(#fname),
                    quote!(form.files(#wire, &self.#fname, #declared);),
                )
            }
            FormFieldKind::Value(t) => {
                let ty = types.rust(t);
                let stored = if f.required {
                    ty.clone()
                } else {
                    quote!(::std::option::Option<#ty>)
                };
                let (arg, conv) = types.arg(t, fname);
                (
                    stored,
                    arg,
                    conv.unwrap_or_else(|| quote!(#fname)),
                    quote!(form.value(#wire, &self.#fname, #declared)?;),
                )
            }
        };
        let mut field_doc = f
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{wire}` part."));
        if let Some(c) = &f.content_type {
            field_doc.push_str(&match f.kind {
                FormFieldKind::Value(_) => format!("\n\nSent as `{c}`."),
                _ => format!("\n\nSent as `{c}` unless the `FilePart` sets a content type."),
            });
        }
        if !f.part_headers.is_empty() {
            let headers: Vec<String> = f.part_headers.iter().map(|h| format!("`{h}`")).collect();
            field_doc.push_str(&format!(
                "\n\nThe API describes these part headers (set them with `FilePart::header`): {}.",
                headers.join(", ")
            ));
        }
        let field_attrs = doc_attrs(Some(&field_doc));
        fields.push(quote! { #field_attrs pub #fname: #stored, });
        parts.push(add);
        let required_list = matches!(f.kind, FormFieldKind::Files) && f.required;
        if f.required && !matches!(f.kind, FormFieldKind::Files) || required_list {
            new_args.push(quote!(#fname: #arg));
            new_inits.push(quote!(#fname: #conv));
        } else {
            let empty = match f.kind {
                FormFieldKind::Files => quote!(::std::vec::Vec::new()),
                _ => quote!(::std::option::Option::None),
            };
            new_inits.push(quote!(#fname: #empty));
            let setter = format_ident!("with_{}", fname.as_str().trim_start_matches("r#"));
            let value = match f.kind {
                FormFieldKind::Files => conv.clone(),
                _ => quote!(::std::option::Option::Some(#conv)),
            };
            let setter_doc = format!(" Sets the `{wire}` part.");
            setters.push(quote! {
                #[doc = #setter_doc]
                #[inline]
                #[must_use]
                pub fn #setter(mut self, #fname: #arg) -> Self {
                    self.#fname = #value;
                    self
                }
            });
        }
    }
    let many = super::allow_many_arguments(new_args.len());
    let new_doc = if new_args.is_empty() {
        " A form with no parts set (none is required).".to_owned()
    } else {
        " A form with its required parts; the optional ones are left out.".to_owned()
    };
    let default_impl = if new_args.is_empty() {
        super::default_via_new(&name)
    } else {
        quote!()
    };
    let form_arg = if parts.is_empty() {
        quote!(form)
    } else {
        quote!(mut form)
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #new_doc]
            #many
            #[inline]
            pub fn new(#(#new_args),*) -> Self {
                #name { #(#new_inits),* }
            }

            #(#setters)*

            /// The multipart body the runtime sends. Not part of the public API.
            #[doc(hidden)]
            #[inline]
            pub fn to_multipart(&self) -> ::std::result::Result<crate::runtime::codegen::MultipartBody, crate::runtime::codegen::BuildError> {
                let #form_arg = crate::runtime::codegen::MultipartBody::new();
                #(#parts)*
                ::std::result::Result::Ok(form)
            }
        }

        #default_impl
    }
}
