//! Emits `src/models.rs`: one Rust type per model in the IR.

use super::{doc_attrs, rust_type};
use crate::ir::*;
use crate::naming::{Scope, ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The models file.
pub fn models(api: &Api) -> TokenStream {
    let mut items = Vec::new();
    let mut defaults = Vec::new();
    let mut default_names = Scope::default();
    let mut needs_tag_helper = false;
    for t in &api.types {
        match &t.kind {
            TypeKind::Struct(s) => items.push(emit_struct(t, s, &mut defaults, &mut default_names)),
            TypeKind::Enum(e) => items.push(emit_enum(t, e)),
            TypeKind::Union(u) => {
                needs_tag_helper |= u.tag.is_some();
                items.push(emit_union(t, u, &api.types));
            }
            TypeKind::Alias(a) => {
                let name = ident(&t.name);
                let doc = type_doc(t);
                let target = rust_type(a);
                items.push(quote! { #doc pub type #name = #target; });
            }
        }
    }
    let defaults_mod = if defaults.is_empty() {
        quote!()
    } else {
        quote! {
            /// Defaults the spec declares, used when a field is absent.
            mod defaults {
                #(#defaults)*
            }
        }
    };
    let tag_helper = if needs_tag_helper {
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
    } else {
        quote!()
    };
    quote! {
        //! Models: one type per schema of the spec.
        // Field names come from the spec, which may well call a property `foo`.
        #![allow(clippy::disallowed_names)]
        #(#items)*
        #defaults_mod
        #tag_helper
    }
}

fn serde_rename(rust: &str, wire: &str) -> TokenStream {
    if rust.trim_start_matches("r#") == wire {
        quote!()
    } else {
        quote!(rename = #wire,)
    }
}

fn default_value(ty: &TypeRef, v: &serde_json::Value) -> TokenStream {
    match (ty, v) {
        (TypeRef::String, serde_json::Value::String(s)) => quote!(::std::string::String::from(#s)),
        (TypeRef::Bool, serde_json::Value::Bool(b)) => quote!(#b),
        (TypeRef::I32, v) => {
            let n = v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or_default();
            quote!(#n)
        }
        (TypeRef::I64, v) => {
            let n = v.as_i64().unwrap_or_default();
            quote!(#n)
        }
        (TypeRef::F32, v) => {
            let n = v.as_f64().unwrap_or_default() as f32;
            quote!(#n)
        }
        (TypeRef::F64, v) => {
            let n = v.as_f64().unwrap_or_default();
            quote!(#n)
        }
        (TypeRef::Named(n), serde_json::Value::String(s)) => {
            let id = ident(n);
            quote!(<crate::models::#id as ::std::convert::From<&str>>::from(#s))
        }
        _ => quote!(::std::default::Default::default()),
    }
}

fn emit_struct(
    t: &TypeDef,
    s: &StructDef,
    defaults: &mut Vec<TokenStream>,
    default_names: &mut Scope,
) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let container = match &s.constant {
        Some((tag, value)) => quote!(#[serde(tag = #tag, rename = #value)]),
        None => quote!(),
    };
    let mut fields = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    let mut setters = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let fdoc = doc_attrs(Some(f.doc.as_deref().unwrap_or(&format!("`{}`.", f.wire))));
        let rename = serde_rename(&f.name, &f.wire);
        let inner = rust_type(&f.ty);
        let value_ty = if f.boxed {
            quote!(::std::boxed::Box<#inner>)
        } else {
            inner.clone()
        };
        let deprecated = if f.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        // The function in `mod defaults` that gives this field's default; unique across types
        // (`FooBar.baz` and `Foo.barBaz` would both be `foo_bar_baz`).
        let default_fn = if f.presence == Presence::Defaulted {
            format_ident!(
                "{}",
                default_names.claim(&format!(
                    "{}_{}",
                    heck::AsSnakeCase(&t.name),
                    f.name.trim_start_matches("r#").trim_end_matches('_')
                ))
            )
        } else {
            format_ident!("unused")
        };
        let (field_ty, attrs) = match f.presence {
            Presence::Required => (value_ty.clone(), quote!(#rename)),
            Presence::RequiredNullable => (
                quote!(::std::option::Option<#value_ty>),
                quote!(#rename default,),
            ),
            Presence::Optional => (
                quote!(::std::option::Option<#value_ty>),
                quote!(#rename default, skip_serializing_if = "::std::option::Option::is_none",),
            ),
            Presence::Defaulted => {
                let fn_name = &default_fn;
                let path = format!("defaults::{fn_name}");
                let value = default_value(
                    &f.ty,
                    f.default.as_ref().unwrap_or(&serde_json::Value::Null),
                );
                defaults.push(quote! {
                    pub(super) fn #fn_name() -> #value_ty { #value }
                });
                (value_ty.clone(), quote!(#rename default = #path,))
            }
            Presence::OptionalNullable => (
                quote!(crate::runtime::codegen::Nullable<#value_ty>),
                quote!(#rename default, skip_serializing_if = "crate::runtime::codegen::Nullable::is_absent",),
            ),
        };
        let serde_attr = if attrs.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#attrs)])
        };
        fields.push(quote! {
            #fdoc
            #deprecated
            #serde_attr
            pub #fname: #field_ty,
        });
        let wrap = |e: TokenStream| {
            if f.boxed {
                quote!(::std::boxed::Box::new(#e))
            } else {
                e
            }
        };
        // `with_type` for `r#type`, `with_self` for `self_`, `with_1st` for `_1st`.
        let setter = format_ident!("with_{}", f.name.trim_start_matches("r#").trim_matches('_'));
        let field_doc = match &f.doc {
            Some(d) => format!("Sets `{}`: {d}", f.wire),
            None => format!("Sets `{}`.", f.wire),
        };
        let field_doc = super::doc_attrs(Some(&field_doc));
        match f.presence {
            Presence::Required => {
                let (arg_ty, conv) = super::arg_type(&f.ty, &fname);
                ctor_args.push(quote!(#fname: #arg_ty));
                let v = wrap(conv);
                if fname == v.to_string() {
                    ctor_inits.push(quote!(#fname));
                } else {
                    ctor_inits.push(quote!(#fname: #v));
                }
            }
            Presence::RequiredNullable => {
                ctor_args.push(quote!(#fname: ::std::option::Option<#value_ty>));
                ctor_inits.push(quote!(#fname));
            }
            Presence::Optional => {
                ctor_inits.push(quote!(#fname: ::std::option::Option::None));
                let (arg_ty, conv) = super::arg_type(&f.ty, &fname);
                let v = wrap(conv);
                setters.push(quote! {
                    #field_doc
                    #deprecated
                    pub fn #setter(mut self, #fname: #arg_ty) -> Self {
                        self.#fname = ::std::option::Option::Some(#v);
                        self
                    }
                });
            }
            Presence::Defaulted => {
                ctor_inits.push(quote!(#fname: defaults::#default_fn()));
                let (arg_ty, conv) = super::arg_type(&f.ty, &fname);
                let v = wrap(conv);
                setters.push(quote! {
                    #field_doc
                    #deprecated
                    pub fn #setter(mut self, #fname: #arg_ty) -> Self {
                        self.#fname = #v;
                        self
                    }
                });
            }
            Presence::OptionalNullable => {
                ctor_inits.push(quote!(#fname: crate::runtime::codegen::Nullable::Absent));
                let doc = format!(
                    " Sets `{}` to a value, or to `null` with `Nullable::Null` (leaving it unset sends nothing).",
                    f.wire
                );
                setters.push(quote! {
                    #[doc = #doc]
                    #deprecated
                    pub fn #setter(mut self, #fname: impl ::std::convert::Into<crate::runtime::codegen::Nullable<#value_ty>>) -> Self {
                        self.#fname = ::std::convert::Into::into(#fname);
                        self
                    }
                });
            }
        }
    }
    if let Some((field, ty)) = &s.additional {
        let fname = ident(field);
        let inner = rust_type(ty);
        fields.push(quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #inner>,
        });
        ctor_inits.push(quote!(#fname: ::std::default::Default::default()));
        let setter = format_ident!("with_{}", field);
        let (value_ty, value) = super::arg_type(ty, &format_ident!("value"));
        setters.push(quote! {
            /// Adds a property beyond the declared ones.
            pub fn #setter(mut self, key: impl ::std::convert::Into<::std::string::String>, value: #value_ty) -> Self {
                self.#fname.insert(::std::convert::Into::into(key), #value);
                self
            }
        });
    }
    let many = if ctor_args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let has_deprecated = s.fields.iter().any(|f| f.deprecated);
    let allow_deprecated = if has_deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    // With nothing required, `new()` is also the `Default` (clippy's `new_without_default`).
    let default_impl = if ctor_args.is_empty() {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #container
        pub struct #name {
            #(#fields)*
        }

        #allow_deprecated
        impl #name {
            /// Creates a value from its required fields; optional fields start unset.
            #many
            pub fn new(#(#ctor_args),*) -> Self {
                Self { #(#ctor_inits),* }
            }
            #(#setters)*
        }

        #default_impl
    }
}

fn emit_enum(t: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let unknown = ident(&e.unknown_variant);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
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

fn emit_union(t: &TypeDef, u: &UnionDef, types: &[TypeDef]) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let unknown = ident(&u.unknown_variant);
    let mut variants = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name);
        let inner = rust_type(&v.ty);
        let ty = if v.boxed {
            quote!(::std::boxed::Box<#inner>)
        } else {
            inner
        };
        let vdoc = match &v.tag_value {
            Some(tag) => format!(" `{tag}`."),
            None => format!(" A `{}`.", type_label(&v.ty)),
        };
        variants.push(quote!( #[doc = #vdoc] #vname(#ty), ));
    }
    // `From` for each payload type that only one variant carries.
    let mut froms = Vec::new();
    for v in &u.variants {
        // Aliases are the same Rust type as their target, so compare what they stand for.
        let target = resolve_alias(&v.ty, types);
        if target == TypeRef::Named(t.name.clone()) {
            // `From<Self> for Self` is the standard library's already.
            continue;
        }
        if u.variants
            .iter()
            .filter(|o| resolve_alias(&o.ty, types) == target)
            .count()
            != 1
            || target == TypeRef::Json
        {
            continue;
        }
        let vname = ident(&v.name);
        let inner = rust_type(&v.ty);
        let wrap = if v.boxed {
            quote!(::std::boxed::Box::new(value))
        } else {
            quote!(value)
        };
        froms.push(quote! {
            impl ::std::convert::From<#inner> for #name {
                fn from(value: #inner) -> Self {
                    Self::#vname(#wrap)
                }
            }
        });
    }
    match &u.tag {
        Some(tag) => {
            let mut ser_arms = Vec::new();
            let mut de_arms = Vec::new();
            let mut tag_arms = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            for v in &u.variants {
                let vname = ident(&v.name);
                let tag_value = v.tag_value.clone().unwrap_or_default();
                ser_arms.push(quote! {
                    Self::#vname(value) => serialize_tagged(value, #tag, #tag_value, serializer),
                });
                tag_arms.push(quote!(Self::#vname(_) => ::std::option::Option::Some(#tag_value),));
                if seen.insert(tag_value.clone()) {
                    let wrap = if v.boxed {
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
                #[derive(Debug, Clone, PartialEq)]
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
        None => quote! {
            #doc
            ///
            /// Decoding tries the variants in order and takes the first that fits.
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
                /// Any other JSON, kept whole.
                #unknown(::serde_json::Value),
            }

            #(#froms)*
        },
    }
}

fn type_label(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(i) => format!("list of {}", type_label(i)),
        TypeRef::Map(i) => format!("map of {}", type_label(i)),
        TypeRef::Option(i) => format!("{} or null", type_label(i)),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// What a type reference stands for once aliases are followed.
fn resolve_alias(t: &TypeRef, types: &[TypeDef]) -> TypeRef {
    let mut current = t.clone();
    for _ in 0..64 {
        let TypeRef::Named(n) = &current else { break };
        match types.iter().find(|d| &d.name == n).map(|d| &d.kind) {
            Some(TypeKind::Alias(a)) => current = a.clone(),
            _ => break,
        }
    }
    current
}

/// The type's doc from the spec, or a line that says where it comes from, so that every public
/// item is documented.
fn type_doc(t: &TypeDef) -> TokenStream {
    match t.doc.as_deref() {
        Some(d) => doc_attrs(Some(d)),
        None => doc_attrs(Some(&format!("Generated from `{}`.", t.pointer))),
    }
}
