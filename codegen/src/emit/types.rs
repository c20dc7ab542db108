//! Structs and enums with their XML codecs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::doc_attrs;
use crate::ir::names::ident;
use crate::ir::{Enum, Field, Occurs, Prim, Struct, TypeDef, TypeRef};

/// The Rust type of a value of `ty` (without occurrence wrappers).
pub fn value_type(ty: &TypeRef, paths: &Paths) -> TokenStream {
    let prefix = &paths.types_prefix;
    let rt = &paths.runtime;
    match ty {
        TypeRef::Prim(p) => match p {
            Prim::String => quote!(::std::string::String),
            Prim::Bool => quote!(bool),
            Prim::I8 => quote!(i8),
            Prim::I16 => quote!(i16),
            Prim::I32 => quote!(i32),
            Prim::I64 => quote!(i64),
            Prim::U8 => quote!(u8),
            Prim::U16 => quote!(u16),
            Prim::U32 => quote!(u32),
            Prim::U64 => quote!(u64),
            Prim::F32 => quote!(f32),
            Prim::F64 => quote!(f64),
            Prim::DateTime => quote!(#rt::DateTime),
        },
        TypeRef::Named(n) => {
            let id = format_ident!("{}", n);
            quote!(#prefix #id)
        }
        TypeRef::Array { item, .. } => {
            let item = value_type(item, paths);
            quote!(::std::vec::Vec<#item>)
        }
    }
}

/// The Rust type of a field, with its occurrence.
pub fn field_type(f: &Field, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let v = value_type(&f.ty, paths);
    let v = if f.boxed { quote!(::std::boxed::Box<#v>) } else { v };
    match f.occurs {
        Occurs::Required => v,
        Occurs::Optional | Occurs::Nillable => quote!(::core::option::Option<#v>),
        Occurs::OptionalNillable => quote!(#rt::Nillable<#v>),
        Occurs::Repeated => quote!(::std::vec::Vec<#v>),
    }
}

fn field_notes(f: &Field) -> Vec<String> {
    let mut note = format!("XML element `{}` (`{}`, {}).", f.xml_name.local, f.schema_type, f.schema_occurs);
    match (&f.ty, f.occurs) {
        (TypeRef::Array { item_name, .. }, _) => {
            note.push_str(&format!(" An array wrapper: one `{}` element per item; null items (`xsi:nil`) carry no data and are skipped.", item_name.local));
        }
        (_, Occurs::Optional) => note.push_str(" `None` leaves the element out."),
        (_, Occurs::Nillable) => note.push_str(" `None` is sent as `xsi:nil=\"true\"`."),
        (_, Occurs::OptionalNillable) => note.push_str(" Absent, nil and a value are distinct."),
        (_, Occurs::Repeated) => note.push_str(" Repeated once per item."),
        _ => {}
    }
    if f.secret {
        note.push_str(" Redacted in `Debug` output.");
    }
    vec![note]
}

pub fn emit_type(def: &TypeDef, paths: &Paths) -> TokenStream {
    match def {
        TypeDef::Struct(s) => emit_struct(s, paths),
        TypeDef::Enum(e) => emit_enum(e, paths),
    }
}

fn has_float(s: &Struct) -> bool {
    s.fields.iter().any(|f| {
        let mut ty = &f.ty;
        while let TypeRef::Array { item, .. } = ty {
            ty = item;
        }
        matches!(ty, TypeRef::Prim(Prim::F32 | Prim::F64) | TypeRef::Named(_))
    })
}

fn emit_struct(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let name = format_ident!("{}", s.rust_name);
    let xml_local = &s.xml_name.local;
    let mut notes = vec![match &s.element {
        Some(e) if e.local == *xml_local => format!("XML element `{}` in namespace `{}`.", e.local, e.ns),
        Some(e) => format!("XML element `{}` in namespace `{}`, of type `{}`.", e.local, e.ns, xml_local),
        None => format!("XML complex type `{}` in namespace `{}`.", xml_local, s.xml_name.ns),
    }];
    if let Some(base) = &s.base {
        notes.push(format!("Extends `{}`: its fields come first.", base.local));
    }
    let docs = doc_attrs(s.doc.as_deref(), &notes);
    let secret = s.fields.iter().any(|f| f.secret);
    let eq = if has_float(s) { quote!() } else { quote!(, Eq) };
    let derive = if secret { quote!(#[derive(Clone, PartialEq #eq)]) } else { quote!(#[derive(Debug, Clone, PartialEq #eq)]) };
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ty = field_type(f, paths);
        let d = doc_attrs(f.doc.as_deref(), &field_notes(f));
        quote!(#d pub #id: #ty,)
    });
    let debug = secret.then(|| {
        let entries = s.fields.iter().map(|f| {
            let id = ident(&f.rust_name);
            let label = &f.rust_name;
            if f.secret {
                quote!(.field(#label, &"<redacted>"))
            } else {
                quote!(.field(#label, &self.#id))
            }
        });
        let label = &s.rust_name;
        quote! {
            impl ::core::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(#label) #(#entries)* .finish()
                }
            }
        }
    });
    let decode = decode_body(s, paths);
    let encode = encode_body(s, paths);
    let element_impl = s.element.as_ref().map(|e| {
        let ns = &e.ns;
        let local = &e.local;
        quote! {
            impl #rt::XmlElement for #name {
                const NAMESPACE: &'static str = #ns;
                const NAME: &'static str = #local;
            }
        }
    });
    let unused_w = if s.fields.is_empty() { quote!(_w) } else { quote!(w) };
    quote! {
        #docs
        #derive
        pub struct #name {
            #(#fields)*
        }

        #debug

        impl #rt::XmlContent for #name {
            fn decode_content<'a>(r: &mut #rt::XmlReader<'a>, element: &#rt::Element<'a>) -> ::core::result::Result<Self, #rt::DecodeError> {
                #decode
            }

            fn encode_content(&self, #unused_w: &mut #rt::XmlWriter, _element: &str) -> ::core::result::Result<(), #rt::EncodeError> {
                #encode
                Ok(())
            }
        }

        #element_impl
    }
}

fn slot(f: &Field) -> proc_macro2::Ident {
    format_ident!("f_{}", f.rust_name.trim_start_matches("r#"))
}

fn decode_body(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let parent = &s.xml_name.local;
    let decls = s.fields.iter().map(|f| {
        let v = slot(f);
        let vt = value_type(&f.ty, paths);
        let vt = if f.boxed { quote!(::std::boxed::Box<#vt>) } else { vt };
        match (&f.ty, f.occurs) {
            (TypeRef::Array { .. }, _) => quote!(let mut #v: ::core::option::Option<::core::option::Option<#vt>> = None;),
            (_, Occurs::Repeated) => quote!(let mut #v: ::std::vec::Vec<#vt> = ::std::vec::Vec::new();),
            (_, Occurs::Nillable | Occurs::OptionalNillable) => quote!(let mut #v: ::core::option::Option<::core::option::Option<#vt>> = None;),
            (_, Occurs::Optional) => {
                let seen = format_ident!("{}_seen", v);
                quote!(let mut #v: ::core::option::Option<#vt> = None; let mut #seen = false;)
            }
            (_, Occurs::Required) => quote!(let mut #v: ::core::option::Option<#vt> = None;),
        }
    });
    // Group arms by namespace so each child's namespace is compared once.
    let mut by_ns: std::collections::BTreeMap<&str, Vec<TokenStream>> = std::collections::BTreeMap::new();
    for f in &s.fields {
        let v = slot(f);
        let name = &f.xml_name.local;
        let arm = match (&f.ty, f.occurs) {
            (TypeRef::Array { item_name, .. }, _) => {
                let ins = &item_name.ns;
                let iname = &item_name.local;
                quote!(#name => r.decode_array_once(&mut #v, &child, #ins, #iname, #name, #parent)?,)
            }
            (TypeRef::Prim(_) | TypeRef::Named(_), Occurs::Repeated) => {
                // Nil items of a nillable list carry no data.
                let nillable = f.schema_occurs.ends_with("nillable");
                quote!(#name => r.decode_item(&mut #v, &child, #name, #nillable)?,)
            }
            (_, Occurs::Required) => quote!(#name => r.decode_once(&mut #v, &child, #name, #parent)?,),
            (_, Occurs::Optional) => {
                let seen = format_ident!("{}_seen", v);
                quote!(#name => r.decode_optional_once(&mut #v, &mut #seen, &child, #name, #parent)?,)
            }
            (_, Occurs::Nillable | Occurs::OptionalNillable) => quote!(#name => r.decode_nillable_once(&mut #v, &child, #name, #parent)?,),
        };
        by_ns.entry(f.xml_name.ns.as_str()).or_default().push(arm);
    }
    let groups = by_ns.iter().map(|(ns, arms)| {
        quote! {
            if r.is_in(&child, #ns) {
                match child.local_name() {
                    #(#arms)*
                    _ => r.skip(&child)?,
                }
                continue;
            }
        }
    });
    let name = format_ident!("{}", s.rust_name);
    let inits = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let v = slot(f);
        let xml = &f.xml_name.local;
        match (&f.ty, f.occurs) {
            (TypeRef::Array { .. }, Occurs::Required) => quote!(#id: r.required(#v, #xml, #parent)?.unwrap_or_default(),),
            (TypeRef::Array { .. }, Occurs::Optional) => quote!(#id: #v.flatten(),),
            (TypeRef::Array { .. }, Occurs::Nillable) => quote!(#id: r.required(#v, #xml, #parent)?,),
            (TypeRef::Array { .. }, Occurs::OptionalNillable) | (_, Occurs::OptionalNillable) => quote!(#id: match #v {
                None => #rt::Nillable::Absent,
                Some(None) => #rt::Nillable::Nil,
                Some(Some(v)) => #rt::Nillable::Value(v),
            },),
            (_, Occurs::Required) => quote!(#id: r.required(#v, #xml, #parent)?,),
            (_, Occurs::Nillable) => quote!(#id: r.required(#v, #xml, #parent)?,),
            (_, Occurs::Optional | Occurs::Repeated) => quote!(#id: #v,),
        }
    });
    let loop_body = if s.fields.is_empty() {
        quote!(while let Some(child) = r.next_child(element)? { r.skip(&child)?; })
    } else {
        quote! {
            while let Some(child) = r.next_child(element)? {
                #(#groups)*
                r.skip(&child)?;
            }
        }
    };
    quote! {
        #(#decls)*
        #loop_body
        Ok(#name { #(#inits)* })
    }
}

fn encode_body(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let parts = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ns = &f.xml_name.ns;
        let name = &f.xml_name.local;
        match (&f.ty, f.occurs) {
            (TypeRef::Array { item_name, .. }, occurs) => {
                let ins = &item_name.ns;
                let iname = &item_name.local;
                match occurs {
                    Occurs::Required | Occurs::Repeated => quote!(#rt::encode_array(w, #ns, #name, #ins, #iname, &self.#id)?;),
                    Occurs::Optional => quote!(if let Some(items) = &self.#id { #rt::encode_array(w, #ns, #name, #ins, #iname, items)?; }),
                    Occurs::Nillable => quote!(match &self.#id {
                        Some(items) => #rt::encode_array(w, #ns, #name, #ins, #iname, items)?,
                        None => w.nil(#ns, #name),
                    }),
                    Occurs::OptionalNillable => quote!(match &self.#id {
                        #rt::Nillable::Value(items) => #rt::encode_array(w, #ns, #name, #ins, #iname, items)?,
                        #rt::Nillable::Nil => w.nil(#ns, #name),
                        #rt::Nillable::Absent => {}
                    }),
                }
            }
            (_, Occurs::Required) => quote!(w.element(#ns, #name, &self.#id)?;),
            (_, Occurs::Optional) => quote!(if let Some(v) = &self.#id { w.element(#ns, #name, v)?; }),
            (_, Occurs::Nillable) => quote!(w.nillable(#ns, #name, self.#id.as_ref())?;),
            (_, Occurs::OptionalNillable) => quote!(match &self.#id {
                #rt::Nillable::Value(v) => w.element(#ns, #name, v)?,
                #rt::Nillable::Nil => w.nil(#ns, #name),
                #rt::Nillable::Absent => {}
            }),
            (_, Occurs::Repeated) => quote!(for v in &self.#id { w.element(#ns, #name, v)?; }),
        }
    });
    quote!(#(#parts)*)
}

fn emit_enum(e: &Enum, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let name = format_ident!("{}", e.rust_name);
    let docs = doc_attrs(e.doc.as_deref(), &[format!(
        "XML simple type `{}` (an enumeration). Values this client does not know are kept in `Unknown`.",
        e.xml_name.local
    )]);
    let variants = e.variants.iter().map(|(v, xml, doc)| {
        let id = format_ident!("{}", v);
        let d = doc_attrs(doc.as_deref(), &[format!("`{xml}`")]);
        quote!(#d #id,)
    });
    let to_str = e.variants.iter().map(|(v, xml, _)| {
        let id = format_ident!("{}", v);
        quote!(#name::#id => #xml,)
    });
    let from_str = e.variants.iter().map(|(v, xml, _)| {
        let id = format_ident!("{}", v);
        quote!(#xml => #name::#id,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value not in the schema this client was generated from, kept as sent.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as written in XML.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #name::Unknown(s) => s,
                }
            }
        }

        impl #rt::XmlText for #name {
            const XSD_TYPE: &'static str = "enumeration";
            fn parse_text(text: &str) -> ::core::result::Result<Self, #rt::ValueError> {
                Ok(match text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
                    #(#from_str)*
                    other => #name::Unknown(other.to_owned()),
                })
            }
            fn write_text(&self, w: &mut #rt::XmlWriter, element: &str) -> ::core::result::Result<(), #rt::EncodeError> {
                w.text(element, self.as_str())
            }
        }

        impl #rt::XmlContent for #name {
            fn decode_content<'a>(r: &mut #rt::XmlReader<'a>, element: &#rt::Element<'a>) -> ::core::result::Result<Self, #rt::DecodeError> {
                #rt::decode_text(r, element)
            }
            fn encode_content(&self, w: &mut #rt::XmlWriter, element: &str) -> ::core::result::Result<(), #rt::EncodeError> {
                <Self as #rt::XmlText>::write_text(self, w, element)
            }
        }
    }
}
