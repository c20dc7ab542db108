//! How code outside the generated crate builds a generated struct. The structs are
//! `#[non_exhaustive]` (a later schema may add an optional element in a minor release), so:
//!
//! - a struct the schema requires nothing of gets `new()` (and `Default`);
//! - any other gets `builder()`: a setter per field, named after it, and `build()`, which
//!   fails naming the first required field left unset;
//! - both get `with_*` setters for the optional fields, to change a value after it is built.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::doc_attrs;
use super::ident;
use super::types::{field_type, value_type};
use crate::ir::{Field, Occurs, Prim, Struct, TypeRef};

/// Whether the schema requires a field (`minOccurs="1"`, not nillable). Optional and
/// nillable fields start as `None` (nil, for a nillable one: what the wire calls "no value"),
/// lists empty, `Nillable` absent.
fn required(f: &Field) -> bool {
    f.occurs == Occurs::Required
}

fn is_string(f: &Field) -> bool {
    matches!(f.ty, TypeRef::Prim(Prim::String)) && !f.boxed
}

/// A setter's parameter type and the expression of the field's new value: a required field
/// takes its value (`impl Into<String>` for a string), an optional or nillable one anything
/// the runtime's `IntoOptional` accepts (a value, `Some`, a bare `None`),
/// a `Nillable` one a `Nillable`, a list a `Vec`.
fn setter_value(f: &Field, paths: &Paths) -> (TokenStream, TokenStream) {
    let rt = &paths.runtime;
    let id = ident(&f.rust_name);
    match f.occurs {
        Occurs::Repeated | Occurs::OptionalNillable => (field_type(f, paths), quote!(#id)),
        Occurs::Optional | Occurs::Nillable => {
            let v = value_type(&f.ty, paths);
            let take = quote!(#rt::IntoOptional::into_optional(#id));
            let value = if f.boxed { quote!(#take.map(Box::new)) } else { take };
            (quote!(impl #rt::IntoOptional<#v>), value)
        }
        Occurs::Required if is_string(f) => (quote!(impl Into<String>), quote!(#id.into())),
        Occurs::Required if f.boxed => (value_type(&f.ty, paths), quote!(Box::new(#id))),
        Occurs::Required => (value_type(&f.ty, paths), quote!(#id)),
    }
}

/// The unset value of a field the schema does not require.
fn unset(f: &Field, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    match f.occurs {
        Occurs::OptionalNillable => quote!(#rt::Nillable::Absent),
        Occurs::Repeated => quote!(Vec::new()),
        _ => quote!(None),
    }
}

/// `new` or `builder`, the `with_*` setters, and the builder type.
pub fn emit_constructors(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let name = format_ident!("{}", s.rust_name);
    let with_setters = s.fields.iter().filter(|f| !required(f)).map(|f| {
        let id = ident(&f.rust_name);
        let setter = format_ident!("with_{}", f.rust_name);
        let (param, value) = setter_value(f, paths);
        let doc = doc_attrs(None, &[format!("Sets `{}` (XML `{}`).", f.rust_name, f.xml_name.local)]);
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, #id: #param) -> Self {
                self.#id = #value;
                self
            }
        }
    });
    let required_names: Vec<String> =
        s.fields.iter().filter(|f| required(f)).map(|f| format!("`{}`", f.rust_name)).collect();
    if required_names.is_empty() {
        let inits = s.fields.iter().map(|f| {
            let id = ident(&f.rust_name);
            let v = unset(f, paths);
            quote!(#id: #v,)
        });
        let doc = doc_attrs(
            None,
            &[format!(
                "A `{}` with every field unset (the schema requires none); set them with the `with_*` methods.",
                s.rust_name
            )],
        );
        return quote! {
            impl #name {
                #doc
                pub fn new() -> Self {
                    #name { #(#inits)* }
                }

                #(#with_setters)*
            }

            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        };
    }

    let builder = format_ident!("{}Builder", s.rust_name);
    let slots = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ty = field_type(f, paths);
        if required(f) { quote!(#id: Option<#ty>,) } else { quote!(#id: #ty,) }
    });
    let slot_defaults = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let v = if required(f) { quote!(None) } else { unset(f, paths) };
        quote!(#id: #v,)
    });
    let builder_setters = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let (param, value) = setter_value(f, paths);
        let value = if required(f) { quote!(Some(#value)) } else { value };
        let what = if required(f) { "required" } else { "optional" };
        let doc = doc_attrs(None, &[format!("Sets `{}` (XML `{}`, {what}).", f.rust_name, f.xml_name.local)]);
        quote! {
            #doc
            pub fn #id(mut self, #id: #param) -> Self {
                self.#id = #value;
                self
            }
        }
    });
    let type_name = &s.rust_name;
    let takes = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        if required(f) {
            let field = &f.rust_name;
            quote!(#id: self.#id.ok_or(#rt::BuildError { type_name: #type_name, field: #field })?,)
        } else {
            quote!(#id: self.#id,)
        }
    });
    let debug = (!s.fields.iter().any(|f| f.secret)).then(|| quote!(#[derive(Debug)]));
    let builder_doc = doc_attrs(
        None,
        &[format!(
            "Builds a [`{}`]: one setter per field, then [`build`]({}::build), which fails naming the first \
             required field ({}) left unset.",
            s.rust_name,
            builder,
            required_names.join(", ")
        )],
    );
    let builder_fn_doc = doc_attrs(
        None,
        &[format!(
            "A builder of a `{}`; the schema requires {}, the other fields start unset (`None`, empty, absent).",
            s.rust_name,
            required_names.join(", ")
        )],
    );
    let build_doc = doc_attrs(None, &[format!("The `{}`, or the first required field left unset.", s.rust_name)]);
    quote! {
        impl #name {
            #builder_fn_doc
            pub fn builder() -> #builder {
                #builder { #(#slot_defaults)* }
            }

            #(#with_setters)*
        }

        #builder_doc
        #debug
        #[derive(Clone)]
        #[must_use]
        pub struct #builder {
            #(#slots)*
        }

        impl #builder {
            #(#builder_setters)*

            #build_doc
            pub fn build(self) -> Result<#name, #rt::BuildError> {
                Ok(#name { #(#takes)* })
            }
        }
    }
}
