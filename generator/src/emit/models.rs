//! Emits `src/models.rs`: one Rust type per model in the IR, sorted by name.

use super::{Types, doc_attrs, doc_or};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The models file: its doc, a chunk per model (sorted by name), and the helper tagged unions
/// use.
pub fn models(api: &Api) -> Vec<super::Chunk<'_>> {
    let mut chunks = vec![super::chunk(|| {
        quote! {
            //! Models: one type per schema of the spec.
            // Field names come from the spec, which may well call a property `foo`.
            #![allow(clippy::disallowed_names)]
        }
    })];
    // The features of the tagged unions that use the helper; `None` for one always built.
    let mut tag_helper_users: Vec<Option<&str>> = Vec::new();
    for (id, t) in api.types_by_name() {
        if matches!(&t.kind, TypeKind::Union(u) if u.tag.is_some()) {
            tag_helper_users.push(t.feature.as_deref());
        }
        chunks.push(super::chunk(move || {
            super::gated(t.feature.as_deref(), model(api, id, t))
        }));
    }
    if !tag_helper_users.is_empty() {
        let features: std::collections::BTreeSet<&str> =
            tag_helper_users.iter().copied().flatten().collect();
        if tag_helper_users.contains(&None) {
            chunks.push(super::chunk(tag_helper));
        } else {
            // Only unions behind features use it: built when one of them is.
            chunks.push(super::chunk(move || {
                let helper = tag_helper();
                let cfg = match &features.iter().collect::<Vec<_>>()[..] {
                    [one] => quote!(#[cfg(feature = #one)]),
                    many => quote!(#[cfg(any(#(feature = #many),*))]),
                };
                quote! { #cfg #helper }
            }));
        }
    }
    chunks
}

/// The items of one model.
fn model(api: &Api, id: TypeId, t: &TypeDef) -> TokenStream {
    match &t.kind {
        TypeKind::Struct(s) => emit_struct(api, id, t, s),
        TypeKind::Enum(e) => emit_enum(t, e),
        TypeKind::Union(u) => emit_union(api, id, t, u),
        TypeKind::Alias(a) => {
            let name = &t.name;
            let doc = type_doc(t);
            let target = Types::of(api).rust(a);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::External(e) => {
            let name = &t.name;
            let doc = type_doc(t);
            let path: TokenStream = e
                .path
                .parse()
                .expect("lowering checked that the path parses");
            quote! {
                #doc
                ///
                /// The configuration replaces this schema by an existing type.
                pub type #name = #path;
            }
        }
    }
}

/// The derives and attributes the configuration adds to a model (checked by lowering).
fn configured(t: &TypeDef) -> (Vec<TokenStream>, Vec<TokenStream>) {
    use crate::config::Derive;
    let derives = t
        .derives
        .iter()
        .map(|d| match d {
            Derive::Eq => quote!(::std::cmp::Eq),
            Derive::Hash => quote!(::std::hash::Hash),
            Derive::PartialOrd => quote!(::std::cmp::PartialOrd),
            Derive::Ord => quote!(::std::cmp::Ord),
        })
        .collect();
    let attributes = t
        .attributes
        .iter()
        .map(|a| {
            a.parse::<TokenStream>()
                .expect("lowering checked that the attribute parses")
        })
        .collect();
    (derives, attributes)
}

/// The function tagged unions serialise their variants with.
fn tag_helper() -> TokenStream {
    quote! {
        /// Serialises a union variant with its tag property set to `tag_value`.
        fn serialize_tagged<T, S>(
            value: &T,
            tag: &str,
            tag_value: &str,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error>
        where
            T: ::serde::Serialize,
            S: ::serde::Serializer,
        {
            let mut json = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
            if let ::std::option::Option::Some(object) = json.as_object_mut() {
                object.insert(
                    ::std::borrow::ToOwned::to_owned(tag),
                    ::serde_json::Value::String(::std::borrow::ToOwned::to_owned(tag_value)),
                );
            }
            ::serde::Serialize::serialize(&json, serializer)
        }
    }
}

/// `rename = "wire",` when the Rust name differs from the wire name.
fn serde_rename(rust: &crate::naming::Name, wire: &str) -> TokenStream {
    if rust.as_str() == wire {
        quote!()
    } else {
        quote!(rename = #wire,)
    }
}

/// The literal of a default value for a field of type `ty`.
fn default_literal(types: Types<'_>, ty: &TypeRef, value: &DefaultValue) -> TokenStream {
    match (ty, value) {
        (TypeRef::Named(_), DefaultValue::String(s)) => {
            let t = types.rust(ty);
            quote!(<#t as ::std::convert::From<&str>>::from(#s))
        }
        (_, DefaultValue::String(s)) => quote!(::std::string::String::from(#s)),
        (_, DefaultValue::Bool(b)) => quote!(#b),
        (TypeRef::I32, DefaultValue::Integer(n)) => {
            let n = i32::try_from(*n).unwrap_or_default();
            quote!(#n)
        }
        (_, DefaultValue::Integer(n)) => quote!(#n),
        (TypeRef::F32, DefaultValue::Float(n)) => {
            let n = *n as f32;
            quote!(#n)
        }
        (_, DefaultValue::Float(n)) => quote!(#n),
    }
}

/// The pieces one field contributes to its struct.
#[derive(Default)]
struct FieldParts {
    /// The field's declaration.
    declaration: TokenStream,
    /// Its parameter of `new`, if required.
    argument: Option<TokenStream>,
    /// Its initialiser in `new`.
    init: TokenStream,
    /// For a required field, its builder setter's parts.
    required: Option<RequiredParts>,
    /// Its builder method, if optional.
    setter: Option<TokenStream>,
    /// The function giving its default, if it has one.
    default_fn: Option<TokenStream>,
}

/// What a builder needs of a required field.
struct RequiredParts {
    /// The field's name (the setter's and the parameter's).
    field: crate::naming::Name,
    /// The setter's parameter type.
    argument: TokenStream,
    /// The type stored in the field.
    stored_ty: TokenStream,
    /// The expression, of the parameter, that gives the stored value.
    stored: TokenStream,
    /// The setter's doc, a string literal.
    doc: TokenStream,
}

fn field_parts(
    api: &Api,
    owner: TypeId,
    struct_name: &crate::naming::Name,
    f: &Field,
) -> FieldParts {
    let types = Types::of(api);
    let fname = &f.name;
    let field_doc = doc_or(f.doc.as_deref(), || {
        format!(
            "The `{}` field of [`{struct_name}`].",
            f.wire.replace('`', "'")
        )
    });
    let fdoc = doc_attrs(Some(&field_doc));
    let rename = serde_rename(&f.name, &f.wire);
    let boxed = api.needs_box(owner, &f.ty);
    let inner = types.rust(&f.ty);
    let value_ty = if boxed {
        quote!(::std::boxed::Box<#inner>)
    } else {
        inner
    };
    let deprecated = if f.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let (arg_ty, conv) = types.arg(&f.ty, fname);
    // The argument as stored: converted if it needs it, boxed if the field is.
    let value = {
        let converted = conv.clone().unwrap_or_else(|| quote!(#fname));
        if boxed {
            quote!(::std::boxed::Box::new(#converted))
        } else {
            converted
        }
    };
    let setter = &f.setter;
    let setter_doc = doc_attrs(Some(
        &match f.doc.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => format!("Sets `{}`: {d}", f.wire),
            None => format!("Sets `{}`.", f.wire),
        },
    ));
    // A builder's setter points at the field's own doc rather than repeating it.
    let required_doc = {
        let text = format!(
            " Sets the required `{}`: the field `{}` of [`{struct_name}`].",
            f.wire.replace('`', ""),
            fname.as_str().trim_start_matches("r#")
        );
        quote!(#text)
    };
    let mut parts = FieldParts::default();
    let (field_ty, attrs) = match &f.presence {
        Presence::Required => {
            parts.init = if conv.is_none() && !boxed {
                quote!(#fname)
            } else {
                quote!(#fname: #value)
            };
            parts.argument = Some(quote!(#fname: #arg_ty));
            parts.required = Some(RequiredParts {
                field: fname.clone(),
                argument: arg_ty.clone(),
                stored_ty: value_ty.clone(),
                stored: value.clone(),
                doc: required_doc.clone(),
            });
            (value_ty.clone(), quote!(#rename))
        }
        Presence::RequiredNullable => {
            parts.argument = Some(quote!(#fname: ::std::option::Option<#value_ty>));
            parts.init = quote!(#fname);
            parts.required = Some(RequiredParts {
                field: fname.clone(),
                argument: quote!(::std::option::Option<#value_ty>),
                stored_ty: quote!(::std::option::Option<#value_ty>),
                stored: quote!(#fname),
                doc: required_doc.clone(),
            });
            (
                quote!(::std::option::Option<#value_ty>),
                quote!(#rename default,),
            )
        }
        Presence::Optional => {
            parts.init = quote!(#fname: ::std::option::Option::None);
            parts.setter = Some(builder_method(
                setter_doc,
                &deprecated,
                (setter, fname),
                arg_ty,
                quote!(::std::option::Option::Some(#value)),
            ));
            (
                quote!(::std::option::Option<#value_ty>),
                quote!(#rename default, skip_serializing_if = "::std::option::Option::is_none",),
            )
        }
        Presence::Defaulted(default) => {
            let function = &default.function;
            let literal = default_literal(types, &f.ty, &default.value);
            let fn_doc = format!(" The default of `{}` the spec declares.", f.wire);
            parts.default_fn = Some(quote! {
                #[doc = #fn_doc]
                fn #function() -> #value_ty { #literal }
            });
            parts.init = quote!(#fname: crate::models::#struct_name::#function());
            parts.setter = Some(builder_method(
                setter_doc,
                &deprecated,
                (setter, fname),
                arg_ty,
                value,
            ));
            let path = format!("{struct_name}::{function}");
            (value_ty.clone(), quote!(#rename default = #path,))
        }
        Presence::OptionalNullable => {
            parts.init = quote!(#fname: crate::runtime::codegen::Nullable::Absent);
            let doc = format!(
                " Sets `{}` to a value, or to `null` with `Nullable::Null` (leaving it unset sends nothing).",
                f.wire
            );
            parts.setter = Some(builder_method(
                quote!(#[doc = #doc]),
                &deprecated,
                (setter, fname),
                quote!(impl ::std::convert::Into<crate::runtime::codegen::Nullable<#value_ty>>),
                quote!(::std::convert::Into::into(#fname)),
            ));
            (
                quote!(crate::runtime::codegen::Nullable<#value_ty>),
                quote!(#rename default, skip_serializing_if = "crate::runtime::codegen::Nullable::is_absent",),
            )
        }
    };
    let serde_attr = if attrs.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#attrs)])
    };
    parts.declaration = quote! {
        #fdoc
        #deprecated
        #serde_attr
        pub #fname: #field_ty,
    };
    parts
}

/// A builder method `with_x(mut self, x: <argument>) -> Self` that stores `stored` in `x`.
fn builder_method(
    doc: TokenStream,
    deprecated: &TokenStream,
    (method, field): (&crate::naming::Name, &crate::naming::Name),
    argument: TokenStream,
    stored: TokenStream,
) -> TokenStream {
    quote! {
        #doc
        #deprecated
        pub fn #method(mut self, #field: #argument) -> Self {
            self.#field = #stored;
            self
        }
    }
}

/// The map field of a struct with `additionalProperties`, and its builder method.
fn additional_parts(types: Types<'_>, a: &AdditionalProperties) -> FieldParts {
    let (fname, setter) = (&a.name, &a.setter);
    let inner = types.rust(&a.ty);
    let value_ident = quote!(value);
    let (value_ty, conv) = types.arg(&a.ty, &value_ident);
    let value = conv.unwrap_or(value_ident);
    FieldParts {
        declaration: quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #inner>,
        },
        argument: None,
        init: quote!(#fname: ::std::default::Default::default()),
        required: None,
        setter: Some(quote! {
            /// Adds a property beyond the declared ones.
            pub fn #setter(mut self, key: impl ::std::convert::Into<::std::string::String>, value: #value_ty) -> Self {
                self.#fname.insert(::std::convert::Into::into(key), #value);
                self
            }
        }),
        default_fn: None,
    }
}

fn emit_struct(api: &Api, id: TypeId, t: &TypeDef, s: &StructDef) -> TokenStream {
    let name = &t.name;
    let doc = type_doc(t);
    let container = match &s.constant {
        Some((tag, value)) => quote!(#[serde(tag = #tag, rename = #value)]),
        None => quote!(),
    };
    let parts: Vec<FieldParts> = s
        .fields
        .iter()
        .map(|f| field_parts(api, id, name, f))
        .chain(
            s.additional
                .iter()
                .map(|a| additional_parts(Types::of(api), a)),
        )
        .collect();
    let fields = parts.iter().map(|p| &p.declaration);
    let args: Vec<&TokenStream> = parts.iter().filter_map(|p| p.argument.as_ref()).collect();
    let inits = parts.iter().map(|p| &p.init);
    let setters = parts.iter().filter_map(|p| p.setter.as_ref());
    let default_fns = parts.iter().filter_map(|p| p.default_fn.as_ref());
    let many = super::allow_many_arguments(args.len());
    let allow_deprecated = if s.fields.iter().any(|f| f.deprecated) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    // With nothing required, `new()` is also the `Default` (clippy's `new_without_default`).
    let builder = match &t.builder {
        Some(builder) => emit_builder(t, builder, &parts, s.fields.iter().any(|f| f.deprecated)),
        _ => quote!(),
    };
    let default_impl = if args.is_empty() {
        super::default_via_new(name)
    } else {
        quote!()
    };
    let (derives, attributes) = configured(t);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #(#derives,)* ::serde::Serialize, ::serde::Deserialize)]
        #container
        #(#attributes)*
        pub struct #name {
            #(#fields)*
        }

        #allow_deprecated
        impl #name {
            /// Creates a value from its required fields; optional fields start unset.
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
            #(#default_fns)*
        }

        #default_impl

        #builder
    }
}

/// `X::builder()` and `XBuilder`, for a struct with required fields: a type parameter per
/// required field records whether it is set ([`Unset`](crate::runtime::Unset) until its setter
/// is called, which only an unset field has), and `build()` exists only when all are set. A
/// forgotten, repeated or swapped required field does not compile; nothing is generic at run
/// time. Optional fields are set on the built value with its `with_…` methods. Every method is
/// `#[inline]`, so that none is compiled into machine code unless a caller uses it.
fn emit_builder(
    t: &TypeDef,
    builder: &crate::naming::Name,
    parts: &[FieldParts],
    any_deprecated: bool,
) -> TokenStream {
    let name = &t.name;
    let required: Vec<&RequiredParts> = parts.iter().filter_map(|p| p.required.as_ref()).collect();
    let mut scope = crate::naming::Scope::default();
    let params: Vec<crate::naming::Name> = required
        .iter()
        .map(|r| scope.claim(&crate::naming::type_name(r.field.as_str())))
        .collect();
    let fields: Vec<&crate::naming::Name> = required.iter().map(|r| &r.field).collect();
    let unset = quote!(crate::runtime::Unset);
    // A builder's type lists every required field's state: long for a large model, by design.
    let complex = quote!(#[allow(clippy::type_complexity)]);
    let all_unset = required.iter().map(|_| unset.clone());
    // The setters' `impl`s are written by a runtime macro from one entry per field: their
    // text is quadratic in the number of fields, and rendering text is most of generation.
    let entries = required.iter().zip(&params).map(|(r, param)| {
        let RequiredParts {
            field,
            argument,
            stored_ty,
            stored,
            doc,
            ..
        } = r;
        // A field named like the final method keeps its `with_` name.
        let method = if field.as_str() == "build" {
            crate::naming::field_name("with_build")
        } else {
            field.clone()
        };
        quote!((#field, #param, #method, #stored_ty, #argument, #stored, #doc))
    });
    let setters = quote! {
        crate::runtime::codegen::typestate_setters!(#builder; #(#entries)*);
    };
    let set_types = required.iter().map(|r| &r.stored_ty);
    let inits = parts.iter().map(|p| match &p.required {
        Some(r) => {
            let f = &r.field;
            quote!(#f: self.#f)
        }
        None => p.init.clone(),
    });
    let allow_deprecated = if any_deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    let names_list = required
        .iter()
        .map(|r| format!("`{}`", r.field.as_str().trim_start_matches("r#")))
        .collect::<Vec<_>>()
        .join(", ");
    let builder_doc = format!(
        " Builds a [`{name}`] field by field: set each required field ({names_list}) once, in any order, then call `build()`; a required field left out or set twice does not compile. Start with [`{name}::builder`]."
    );
    let start_doc = format!(
        " A builder that names every required field ({names_list}): `{name}::builder().field(..)...build()`. Optional fields are set on the built value with its `with_…` methods."
    );
    quote! {
        #complex
        impl #name {
            #[doc = #start_doc]
            #[inline]
            pub fn builder() -> #builder<#(#all_unset),*> {
                #builder { #(#fields: crate::runtime::Unset),* }
            }
        }

        #[doc = #builder_doc]
        #[must_use = "a builder does nothing until `build()` is called"]
        #[derive(Debug, Clone)]
        pub struct #builder<#(#params),*> {
            #(#fields: #params,)*
        }

        #setters

        #allow_deprecated
        impl #builder<#(#set_types),*> {
            /// Builds the value; optional fields start unset.
            #[inline]
            pub fn build(self) -> crate::models::#name {
                crate::models::#name { #(#inits),* }
            }
        }
    }
}

fn emit_enum(t: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = &t.name;
    // Enums derive every trait the configuration can ask for already.
    let (_, attributes) = configured(t);
    let doc = type_doc(t);
    let unknown = &e.unknown_variant;
    let variants: Vec<_> = e.variants.iter().map(|v| &v.name).collect();
    let wires: Vec<_> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.wire))
        .collect();
    quote! {
        #doc
        ///
        /// Values this client does not know yet decode into the catch-all variant, which keeps
        /// them, so they round-trip unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #(#attributes)*
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the client does not know.
            #unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec lists, in spec order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#unknown(value) => value.as_str(),
                }
            }

            /// True for a value the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }
    }
}

fn emit_union(api: &Api, id: TypeId, t: &TypeDef, u: &UnionDef) -> TokenStream {
    let types = Types::of(api);
    let name = &t.name;
    let doc = type_doc(t);
    let unknown = &u.unknown_variant;
    let boxed = |v: &UnionVariant| api.needs_box(id, &v.ty);
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vname = &v.name;
            let inner = types.rust(&v.ty);
            let ty = if boxed(v) {
                quote!(::std::boxed::Box<#inner>)
            } else {
                inner
            };
            let vdoc = match &v.tag_value {
                Some(tag) => format!(" `{tag}`."),
                None => format!(" A `{}`.", types.label(&v.ty)),
            };
            quote!( #[doc = #vdoc] #vname(#ty), )
        })
        .collect();
    let froms = union_froms(api, id, t, u);
    let (derives, attributes) = configured(t);
    match &u.tag {
        Some(tag) => {
            let mut ser_arms = Vec::new();
            let mut de_arms = Vec::new();
            let mut tag_arms = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            for v in &u.variants {
                let vname = &v.name;
                let tag_value = v.tag_value.clone().unwrap_or_default();
                ser_arms.push(quote! {
                    Self::#vname(value) => serialize_tagged(value, #tag, #tag_value, serializer),
                });
                tag_arms.push(quote!(Self::#vname(_) => ::std::option::Option::Some(#tag_value),));
                if seen.insert(tag_value.clone()) {
                    let wrap = if boxed(v) {
                        quote!(|value| Self::#vname(::std::boxed::Box::new(value)))
                    } else {
                        quote!(Self::#vname)
                    };
                    de_arms.push(quote! {
                        ::std::option::Option::Some(#tag_value) => ::serde_json::from_value(value)
                            .map(#wrap)
                            .map_err(<D::Error as ::serde::de::Error>::custom),
                    });
                }
            }
            let unknown_doc = format!(
                " A variant this version of the client does not know: the raw JSON, kept whole (its `{tag}` tells what it is)."
            );
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq #(, #derives)*)]
                #(#attributes)*
                pub enum #name {
                    #(#variants)*
                    #[doc = #unknown_doc]
                    #unknown(::serde_json::Value),
                }

                impl #name {
                    /// The tag value of this variant.
                    pub fn tag(&self) -> ::std::option::Option<&str> {
                        match self {
                            #(#tag_arms)*
                            Self::#unknown(value) => value.get(#tag).and_then(::serde_json::Value::as_str),
                        }
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        match self {
                            #(#ser_arms)*
                            Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                        }
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                        match tag.as_deref() {
                            #(#de_arms)*
                            _ => ::std::result::Result::Ok(Self::#unknown(value)),
                        }
                    }
                }

                #(#froms)*
            }
        }
        None => {
            let id_helpers = number_or_string(t, u);
            quote! {
                #doc
                ///
                /// Decoding tries the variants in order and takes the first that fits.
                #[derive(Debug, Clone, PartialEq, #(#derives,)* ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #(#attributes)*
                pub enum #name {
                    #(#variants)*
                    /// Any other JSON, kept whole.
                    #unknown(::serde_json::Value),
                }

                #(#froms)*

                #id_helpers
            }
        }
    }
}

/// For an untagged union of an integer and a string (an id written either way): `as_i64`,
/// `Display` (the id as written), `From<&str>`, comparisons with integers and text (by value:
/// `"1001"` equals `1001`), and `TryFrom` into `i64` and `i32`.
fn number_or_string(t: &TypeDef, u: &UnionDef) -> TokenStream {
    let [a, b] = &u.variants[..] else {
        return quote!();
    };
    let (int, text) = match (&a.ty, &b.ty) {
        (TypeRef::I32 | TypeRef::I64, TypeRef::String) => (a, b),
        (TypeRef::String, TypeRef::I32 | TypeRef::I64) => (b, a),
        _ => return quote!(),
    };
    let (name, unknown) = (&t.name, &u.unknown_variant);
    let (int_v, text_v) = (&int.name, &text.name);
    // (`i64` needs no conversion, and clippy says so where one is written.)
    let narrow = |target: TokenStream, label: &str, wide: bool| {
        let fit = if wide {
            quote!(id.as_i64())
        } else {
            quote!(id.as_i64().and_then(|n| <#target as ::std::convert::TryFrom<i64>>::try_from(n).ok()))
        };
        let other = if wide {
            quote!(*other)
        } else {
            quote!(i64::from(*other))
        };
        quote! {
            impl ::std::convert::TryFrom<&#name> for #target {
                type Error = crate::runtime::NotAnInteger;
                fn try_from(id: &#name) -> ::std::result::Result<Self, Self::Error> {
                    #fit.ok_or_else(|| crate::runtime::NotAnInteger::new(::std::string::ToString::to_string(id), #label))
                }
            }

            impl ::std::cmp::PartialEq<#target> for #name {
                fn eq(&self, other: &#target) -> bool {
                    self.as_i64() == ::std::option::Option::Some(#other)
                }
            }
        }
    };
    let to_i64 = narrow(quote!(i64), "i64", true);
    let to_i32 = narrow(quote!(i32), "i32", false);
    let widen = if int.ty == TypeRef::I64 {
        quote!(*n)
    } else {
        quote!(i64::from(*n))
    };
    quote! {
        impl #name {
            /// The value as an integer: the number, or the text when it is a base-10 integer
            /// (`"1001"`); `None` for other text or JSON.
            pub fn as_i64(&self) -> ::std::option::Option<i64> {
                match self {
                    Self::#int_v(n) => ::std::option::Option::Some(#widen),
                    Self::#text_v(s) => s.trim().parse().ok(),
                    Self::#unknown(_) => ::std::option::Option::None,
                }
            }
        }

        /// The value as written: the number in decimal, or the text.
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::#int_v(n) => ::std::fmt::Display::fmt(n, f),
                    Self::#text_v(s) => f.write_str(s),
                    Self::#unknown(value) => ::std::fmt::Display::fmt(value, f),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::#text_v(::std::borrow::ToOwned::to_owned(value))
            }
        }

        impl ::std::cmp::PartialEq<str> for #name {
            fn eq(&self, other: &str) -> bool {
                match (self, other.trim().parse::<i64>()) {
                    (Self::#text_v(s), _) if s == other => true,
                    (_, ::std::result::Result::Ok(n)) => self.as_i64() == ::std::option::Option::Some(n),
                    _ => false,
                }
            }
        }

        impl ::std::cmp::PartialEq<&str> for #name {
            fn eq(&self, other: &&str) -> bool {
                <Self as ::std::cmp::PartialEq<str>>::eq(self, other)
            }
        }

        impl ::std::cmp::PartialEq<::std::string::String> for #name {
            fn eq(&self, other: &::std::string::String) -> bool {
                <Self as ::std::cmp::PartialEq<str>>::eq(self, other)
            }
        }

        #to_i64
        #to_i32
    }
}

/// `From` for each payload type that only one variant of the union carries.
fn union_froms(api: &Api, id: TypeId, t: &TypeDef, u: &UnionDef) -> Vec<TokenStream> {
    let types = Types::of(api);
    let name = &t.name;
    let this = TypeRef::Named(id);
    let mut froms = Vec::new();
    for v in &u.variants {
        // Aliases are the same Rust type as their target, so compare what they stand for.
        let target = api.resolve_alias(&v.ty);
        if *target == this || *target == TypeRef::Json {
            // `From<Self> for Self` is the standard library's already.
            continue;
        }
        let carriers = u
            .variants
            .iter()
            .filter(|o| api.resolve_alias(&o.ty) == target)
            .count();
        if carriers != 1 {
            continue;
        }
        let vname = &v.name;
        let (inner, wrap) = match &v.ty {
            TypeRef::Indirect(target) => (
                types.rust(&TypeRef::Named(*target)),
                quote!(crate::runtime::codegen::Indirect::new(value)),
            ),
            ty if api.needs_box(id, ty) => (types.rust(ty), quote!(::std::boxed::Box::new(value))),
            ty => (types.rust(ty), quote!(value)),
        };
        froms.push(quote! {
            impl ::std::convert::From<#inner> for #name {
                fn from(value: #inner) -> Self {
                    Self::#vname(#wrap)
                }
            }
        });
    }
    froms
}

/// Places listed in the doc of a type that several places use; the rest are counted.
const USES_LISTED: usize = 4;

/// The type's doc from the spec, or a line that says where it comes from, so that every public
/// item is documented; for a shape used in several places, where they are.
fn type_doc(t: &TypeDef) -> TokenStream {
    let mut doc = doc_or(t.doc.as_deref(), || {
        format!("Generated from `{}`.", t.pointer)
    });
    if t.uses.len() > 1 {
        let listed: Vec<String> = t
            .uses
            .iter()
            .take(USES_LISTED)
            .map(|u| format!("`{u}`"))
            .collect();
        let more = t.uses.len().saturating_sub(USES_LISTED);
        doc.push_str(&format!("\n\nUsed at {}", listed.join(", ")));
        if more > 0 {
            doc.push_str(&format!(" and {more} more places"));
        }
        doc.push('.');
    }
    doc_attrs(Some(&doc))
}
