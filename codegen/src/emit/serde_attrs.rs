//! The serde attributes of generated types (`Options::serde_feature`): a `derive` gated on
//! the feature, fields and variants renamed to their XML names, `Nillable` fields skipped when
//! absent, secrets never serialized.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Paths, syntax};
use crate::ir::{Field, FieldKind, Occurs};

/// `#[cfg_attr(feature = "...", derive(Serialize, Deserialize))]`, or nothing without the
/// option.
pub fn derive(paths: &Paths) -> TokenStream {
    match &paths.serde_feature {
        Some(f) => quote!(#[cfg_attr(feature = #f, derive(::serde::Serialize, ::serde::Deserialize))]),
        None => quote!(),
    }
}

/// [`derive`] as a `syn` attribute.
pub fn derive_attr(paths: &Paths) -> Option<syn::Attribute> {
    let f = paths.serde_feature.as_ref()?;
    Some(syntax::attr_list("cfg_attr", quote!(feature = #f, derive(::serde::Serialize, ::serde::Deserialize))))
}

/// `#[cfg_attr(feature = "...", serde(...))]` around `inner`, or nothing without the option.
fn gated(paths: &Paths, inner: TokenStream) -> TokenStream {
    match gated_attr(paths, inner) {
        Some(attr) => quote!(#attr),
        None => quote!(),
    }
}

/// [`gated`] as a `syn` attribute.
fn gated_attr(paths: &Paths, inner: TokenStream) -> Option<syn::Attribute> {
    let f = paths.serde_feature.as_ref()?;
    Some(syntax::attr_list("cfg_attr", quote!(feature = #f, serde(#inner))))
}

/// The attributes of a field: its key is the XML name (`ID`, `packageName`) where that is
/// unique in the struct, else the Rust name; a `Nillable` is left out when absent and absent
/// when missing; a list is empty when missing; a secret is never written (and read when
/// given).
pub fn field(f: &Field, all: &[Field], paths: &Paths) -> Option<syn::Attribute> {
    paths.serde_feature.as_ref()?;
    let named_in_xml = matches!(f.kind, FieldKind::Element | FieldKind::Attribute);
    let unique = all.iter().filter(|g| g.xml_name.local == f.xml_name.local).count() == 1;
    let key = if named_in_xml && unique { f.xml_name.local.clone() } else { f.rust_name.clone() };
    let mut parts = vec![quote!(rename = #key)];
    if f.secret {
        parts.push(quote!(skip_serializing));
        parts.push(quote!(default));
    } else {
        match f.occurs {
            Occurs::OptionalNillable => {
                let rt = &paths.runtime;
                let skip = format!("{}::Nillable::is_absent", rt.to_string().replace(' ', ""));
                parts.push(quote!(default));
                parts.push(quote!(skip_serializing_if = #skip));
            }
            Occurs::Repeated => parts.push(quote!(default)),
            _ => {}
        }
    }
    gated_attr(paths, quote!(#(#parts),*))
}

/// The attribute of an enumeration's variant: its key is the XML value.
pub fn variant(xml: &str, paths: &Paths) -> TokenStream {
    gated(paths, quote!(rename = #xml))
}

/// The attribute of an enumeration's `Unknown(String)` variant: any other string.
pub fn unknown_variant(paths: &Paths) -> TokenStream {
    gated(paths, quote!(untagged))
}
