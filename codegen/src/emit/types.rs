//! Structs and enums with their XML codecs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::doc_attrs;
use super::ident;
use crate::ir::{Choice, ChoiceAlt, Enum, Field, FieldKind, Occurs, Poly, Prim, Struct, TypeDef, TypeRef};

/// The Rust type of a value of `ty` (without occurrence wrappers).
pub fn value_type(ty: &TypeRef, paths: &Paths) -> TokenStream {
    let prefix = &paths.types_prefix;
    let rt = &paths.runtime;
    match ty {
        TypeRef::Prim(p) => match p {
            Prim::String => quote!(String),
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
            Prim::Decimal => quote!(#rt::Decimal),
            Prim::Guid => quote!(#rt::Guid),
            Prim::Base64 => quote!(Vec<u8>),
            Prim::HexBinary => quote!(#rt::HexBinary),
            Prim::Date => quote!(#rt::Date),
            Prim::Time => quote!(#rt::Time),
            Prim::Duration => quote!(#rt::Duration),
            Prim::Char => quote!(char),
            Prim::AnyType => quote!(#rt::RawXml),
        },
        TypeRef::Named(n) => {
            let id = format_ident!("{}", n);
            quote!(#prefix #id)
        }
        TypeRef::Array { item, .. } => {
            let item = value_type(item, paths);
            quote!(Vec<#item>)
        }
        TypeRef::List(item) => {
            let item = value_type(item, paths);
            quote!(#rt::List<#item>)
        }
    }
}

/// The Rust type of a field, with its occurrence.
pub fn field_type(f: &Field, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let v = value_type(&f.ty, paths);
    let v = if f.boxed { quote!(Box<#v>) } else { v };
    match f.occurs {
        Occurs::Required => v,
        Occurs::Optional | Occurs::Nillable => quote!(Option<#v>),
        Occurs::OptionalNillable => quote!(#rt::Nillable<#v>),
        Occurs::Repeated => quote!(Vec<#v>),
    }
}

fn field_notes(f: &Field) -> Vec<String> {
    let mut note = match &f.kind {
        FieldKind::Attribute => {
            format!("XML attribute `{}` (`{}`, {}).", f.xml_name.local, f.schema_type, f.schema_occurs)
        }
        FieldKind::Text => format!("The element's text (`{}`).", f.schema_type),
        FieldKind::Content => {
            "The element's whole content (mixed text and elements), kept as raw XML exactly as written.".to_owned()
        }
        FieldKind::Any => format!(
            "Elements matched by an `xs:any` wildcard ({}), and any other child this client does not know, each kept as raw XML.",
            f.schema_occurs
        ),
        FieldKind::Choice(_) => format!("One of the elements of an {} ({}).", f.schema_type, f.schema_occurs),
        FieldKind::Element => format!("XML element `{}` (`{}`, {}).", f.xml_name.local, f.schema_type, f.schema_occurs),
    };
    match (&f.ty, f.occurs, &f.kind) {
        (_, _, FieldKind::Text | FieldKind::Content) => {}
        (TypeRef::Array { item_name, .. }, _, _) => {
            note.push_str(&format!(
                " An array wrapper: one `{}` element per item; null items (`xsi:nil`) carry no data and are skipped.",
                item_name.local
            ));
        }
        (_, Occurs::Optional, FieldKind::Attribute) => note.push_str(" `None` leaves the attribute out."),
        (_, Occurs::Optional, _) => note.push_str(" `None` leaves the element out."),
        (_, Occurs::Nillable, _) => note.push_str(" `None` is sent as `xsi:nil=\"true\"`."),
        (_, Occurs::OptionalNillable, _) => note.push_str(" Absent, nil and a value are distinct."),
        (_, Occurs::Repeated, FieldKind::Any) => {}
        (_, Occurs::Repeated, _) => note.push_str(" Repeated once per item."),
        _ => {}
    }
    if f.redeclared {
        note.push_str(" A derived type declares it again: read from either place, written once.");
    }
    if f.secret {
        note.push_str(" Redacted in `Debug` output.");
    }
    vec![note]
}

/// The items of one generated type.
pub fn emit_type(def: &TypeDef, paths: &Paths) -> TokenStream {
    match def {
        TypeDef::Struct(s) => emit_struct(s, paths),
        TypeDef::Enum(e) => emit_enum(e, paths),
        TypeDef::Choice(c) => emit_choice(c, paths),
        TypeDef::Poly(p) => emit_poly(p, paths),
    }
}

fn emit_struct(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let name = format_ident!("{}", s.rust_name);
    let xml_local = &s.xml_name.local;
    let mut notes = vec![match &s.element {
        Some(e) if e.local.is_empty() => "The content of an empty SOAP body.".to_owned(),
        Some(e) if e.local == *xml_local => format!("XML element `{}` in namespace `{}`.", e.local, e.ns),
        Some(e) => format!("XML element `{}` in namespace `{}`, of type `{}`.", e.local, e.ns, xml_local),
        None => format!("XML complex type `{}` in namespace `{}`.", xml_local, s.xml_name.ns),
    }];
    if let Some(base) = &s.base {
        notes.push(format!("Extends `{}`: its fields come first.", base.local));
    }
    if s.is_abstract {
        notes.push("Abstract: on the wire a derived type (named by `xsi:type`) stands in its place.".to_owned());
    }
    let docs = doc_attrs(s.doc.as_deref(), &notes);
    let secret = s.fields.iter().any(|f| f.secret);
    let eq = if s.derives_eq { quote!(, Eq) } else { quote!() };
    let derive =
        if secret { quote!(#[derive(Clone, PartialEq #eq)]) } else { quote!(#[derive(Debug, Clone, PartialEq #eq)]) };
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
            if f.secret { quote!(.field(#label, &"<redacted>")) } else { quote!(.field(#label, &self.#id)) }
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
    let attributes = encode_attributes(s, paths);
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
    let content_fields = s.fields.iter().filter(|f| f.kind != FieldKind::Attribute).count();
    let unused_w = if content_fields == 0 { quote!(_w) } else { quote!(w) };
    let uses_element = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Text | FieldKind::Content));
    let element_param = if uses_element { quote!(element) } else { quote!(_element) };
    quote! {
        #docs
        #derive
        pub struct #name {
            #(#fields)*
        }

        #debug

        impl #rt::XmlContent for #name {
            fn decode_content<'a>(r: &mut #rt::XmlReader<'a>, element: &#rt::Element<'a>) -> Result<Self, #rt::DecodeError> {
                #decode
            }

            fn encode_content(&self, #unused_w: &mut #rt::XmlWriter, #element_param: &str) -> Result<(), #rt::EncodeError> {
                #encode
                Ok(())
            }

            #attributes
        }

        #element_impl
    }
}

fn slot(f: &Field) -> proc_macro2::Ident {
    format_ident!("f_{}", f.rust_name.trim_start_matches("r#"))
}

/// Whether an optional element was seen (a prefix of its own, so no field name collides).
fn seen_flag(f: &Field) -> proc_macro2::Ident {
    format_ident!("seen_{}", f.rust_name.trim_start_matches("r#"))
}

fn variant_path(choice: &TypeRef, alt: &ChoiceAlt, paths: &Paths) -> TokenStream {
    let enum_ty = value_type(choice, paths);
    let v = format_ident!("{}", alt.variant);
    quote!(#enum_ty::#v)
}

/// The decode arm of one alternative of a choice field.
fn choice_arm(f: &Field, alt: &ChoiceAlt, parent: &str, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let v = slot(f);
    let name = &alt.xml_name.local;
    let variant = variant_path(&f.ty, alt, paths);
    let repeated = f.occurs == Occurs::Repeated;
    if let TypeRef::Array { item_name, .. } = &alt.ty {
        let ins = &item_name.ns;
        let iname = &item_name.local;
        let items = quote!(if child.is_nil() { r.skip(&child)?; Vec::new() } else { #rt::decode_array(r, &child, #ins, #iname)? });
        let value = if alt.nillable { quote!(Some(#items)) } else { items };
        return if repeated {
            quote!(#name => { let items = #value; #v.push(#variant(items)); })
        } else {
            quote!(#name => {
                if #v.is_some() {
                    return Err(r.error(#rt::DecodeErrorKind::DuplicateElement { element: #name, parent: #parent }));
                }
                let items = #value;
                #v = Some(#variant(items));
            })
        };
    }
    match (repeated, alt.nillable) {
        (true, false) => quote!(#name => #rt::decode_choice_item(r, &mut #v, &child, #variant, #name)?,),
        (true, true) => quote!(#name => #rt::decode_choice_nillable_item(r, &mut #v, &child, #variant)?,),
        (false, false) => quote!(#name => #rt::decode_choice_once(r, &mut #v, &child, #variant, #name, #parent)?,),
        (false, true) => {
            quote!(#name => #rt::decode_choice_nillable_once(r, &mut #v, &child, #variant, #name, #parent)?,)
        }
    }
}

fn decode_body(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let parent = &s.xml_name.local;
    let mut decls = Vec::new();
    // Attributes first: their prefixes resolve only while the element's start tag is current.
    let ordered = s
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Attribute)
        .chain(s.fields.iter().filter(|f| f.kind != FieldKind::Attribute));
    for f in ordered {
        let v = slot(f);
        let ns = &f.xml_name.ns;
        let local = &f.xml_name.local;
        decls.push(match (&f.kind, &f.ty, f.occurs) {
            (FieldKind::Attribute, _, _) => {
                quote!(let #v = #rt::decode_attribute(r, element, #ns, #local)?;)
            }
            (FieldKind::Text, _, _) => quote!(let #v = #rt::decode_text(r, element)?;),
            (FieldKind::Content, _, _) => {
                quote!(let #v = <#rt::RawXml as #rt::XmlContent>::decode_content(r, element)?;)
            }
            (FieldKind::Any, _, Occurs::Repeated) => {
                quote!(let mut #v = Vec::new();)
            }
            (FieldKind::Any, _, _) => quote!(let mut #v = None;),
            (FieldKind::Choice(_), _, Occurs::Repeated) => {
                quote!(let mut #v = Vec::new();)
            }
            (FieldKind::Choice(_), _, _) => quote!(let mut #v = None;),
            (FieldKind::Element, TypeRef::Array { .. }, _) => {
                quote!(let mut #v = None;)
            }
            (FieldKind::Element, _, Occurs::Repeated) => {
                quote!(let mut #v = Vec::new();)
            }
            (FieldKind::Element, _, Occurs::Nillable | Occurs::OptionalNillable) => {
                quote!(let mut #v = None;)
            }
            (FieldKind::Element, _, Occurs::Optional) if f.redeclared => quote!(let mut #v = None;),
            (FieldKind::Element, _, Occurs::Optional) => {
                let seen = seen_flag(f);
                quote!(let mut #v = None; let mut #seen = false;)
            }
            (FieldKind::Element, _, Occurs::Required) => quote!(let mut #v = None;),
        });
    }
    // Children not matched by name: kept by the first `xs:any` field, otherwise skipped (a
    // newer server's additions must not break this client).
    let any = s.fields.iter().find(|f| f.kind == FieldKind::Any);
    let wildcard_choice = s.fields.iter().find_map(|f| match &f.kind {
        FieldKind::Choice(alts) => alts.iter().find(|a| a.wildcard).map(|a| (f, a)),
        _ => None,
    });
    let unmatched = match (any, wildcard_choice) {
        (Some(f), _) if f.occurs == Occurs::Repeated => {
            let v = slot(f);
            quote!(#rt::decode_any_item(r, &mut #v, &child)?)
        }
        (Some(f), _) => {
            let v = slot(f);
            quote!(#rt::decode_any_once(r, &mut #v, &child, #parent)?)
        }
        (None, Some((f, alt))) => {
            let v = slot(f);
            let variant = variant_path(&f.ty, alt, paths);
            if f.occurs == Occurs::Repeated {
                quote!(#v.push(#variant(#rt::RawXml::capture_element(r, &child)?)))
            } else {
                // A second unknown element once the choice is made is skipped like any other.
                quote!({
                    let raw = #rt::RawXml::capture_element(r, &child)?;
                    if #v.is_none() {
                        #v = Some(#variant(raw));
                    }
                })
            }
        }
        (None, None) => quote!(r.skip(&child)?),
    };
    // Group arms by namespace so each child's namespace is compared once.
    let mut by_ns: std::collections::BTreeMap<&str, Vec<TokenStream>> = std::collections::BTreeMap::new();
    for f in &s.fields {
        let v = slot(f);
        let name = &f.xml_name.local;
        if let FieldKind::Choice(alts) = &f.kind {
            for alt in alts.iter().filter(|a| !a.wildcard) {
                by_ns.entry(alt.xml_name.ns.as_str()).or_default().push(choice_arm(f, alt, parent, paths));
            }
            continue;
        }
        if f.kind != FieldKind::Element {
            continue;
        }
        let arm = match (&f.ty, f.occurs) {
            (TypeRef::Array { item_name, .. }, _) => {
                let ins = &item_name.ns;
                let iname = &item_name.local;
                quote!(#name => r.decode_array_once(&mut #v, &child, #ins, #iname, #name, #parent)?,)
            }
            (_, Occurs::Repeated) => {
                // Nil items of a nillable list carry no data.
                let nillable = f.nillable;
                quote!(#name => r.decode_item(&mut #v, &child, #name, #nillable)?,)
            }
            (_, Occurs::Required) => quote!(#name => r.decode_once(&mut #v, &child, #name, #parent)?,),
            (_, Occurs::Optional) => {
                let seen = seen_flag(f);
                quote!(#name => r.decode_optional_once(&mut #v, &mut #seen, &child, #name, #parent)?,)
            }
            (_, Occurs::Nillable | Occurs::OptionalNillable) => {
                quote!(#name => r.decode_nillable_once(&mut #v, &child, #name, #parent)?,)
            }
        };
        // An element a derived type restates may come twice (the base's and the derived
        // part's): the last one wins.
        let arm = match (f.redeclared, &f.ty, f.occurs) {
            (false, _, _) | (true, TypeRef::Array { .. } | TypeRef::List(_), _) | (true, _, Occurs::Repeated) => arm,
            (true, _, Occurs::Optional) => quote!(#name => {
                #v = None;
                let mut seen = false;
                r.decode_optional_once(&mut #v, &mut seen, &child, #name, #parent)?
            }),
            (true, _, _) => {
                let call = match f.occurs {
                    Occurs::Required => quote!(r.decode_once(&mut #v, &child, #name, #parent)?),
                    _ => quote!(r.decode_nillable_once(&mut #v, &child, #name, #parent)?),
                };
                quote!(#name => {
                    #v = None;
                    #call
                })
            }
        };
        by_ns.entry(f.xml_name.ns.as_str()).or_default().push(arm);
    }
    let groups = by_ns.iter().map(|(ns, arms)| {
        quote! {
            if r.is_in(&child, #ns) {
                match child.local_name() {
                    #(#arms)*
                    _ => #unmatched,
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
        match (&f.kind, &f.ty, f.occurs) {
            (FieldKind::Attribute, _, Occurs::Required) => quote!(#id: #rt::required_attribute(r, #v, #xml, #parent)?,),
            (FieldKind::Attribute | FieldKind::Text | FieldKind::Content, _, _) => quote!(#id: #v,),
            (FieldKind::Any, _, Occurs::Required) => quote!(#id: r.required(#v, "(xs:any)", #parent)?,),
            (FieldKind::Any, _, _) => quote!(#id: #v,),
            (FieldKind::Choice(alts), _, Occurs::Required) => {
                let names = alts.iter().map(|a| a.xml_name.local.as_str()).collect::<Vec<_>>().join(" | ");
                if f.boxed {
                    quote!(#id: Box::new(r.required(#v, #names, #parent)?),)
                } else {
                    quote!(#id: r.required(#v, #names, #parent)?,)
                }
            }
            (FieldKind::Choice(_), _, Occurs::Repeated) => quote!(#id: #v,),
            (FieldKind::Choice(_), _, _) => {
                if f.boxed {
                    quote!(#id: #v.map(Box::new),)
                } else {
                    quote!(#id: #v,)
                }
            }
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::Required) => {
                quote!(#id: r.required(#v, #xml, #parent)?.unwrap_or_default(),)
            }
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::Optional) => quote!(#id: #v.flatten(),),
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::Nillable) => {
                quote!(#id: r.required(#v, #xml, #parent)?,)
            }
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::OptionalNillable)
            | (FieldKind::Element, _, Occurs::OptionalNillable) => {
                quote!(#id: match #v {
                    None => #rt::Nillable::Absent,
                    Some(None) => #rt::Nillable::Nil,
                    Some(Some(v)) => #rt::Nillable::Value(v),
                },)
            }
            (FieldKind::Element, _, Occurs::Required | Occurs::Nillable) => {
                quote!(#id: r.required(#v, #xml, #parent)?,)
            }
            (FieldKind::Element, _, Occurs::Optional | Occurs::Repeated) => quote!(#id: #v,),
        }
    });
    let has_children =
        s.fields.iter().any(|f| matches!(f.kind, FieldKind::Element | FieldKind::Choice(_) | FieldKind::Any));
    let has_text = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Text | FieldKind::Content));
    let loop_body = if has_text {
        quote!()
    } else if !has_children {
        quote!(while let Some(child) = r.next_child(element)? {
            r.skip(&child)?;
        })
    } else if by_ns.is_empty() {
        quote!(while let Some(child) = r.next_child(element)? { #unmatched; })
    } else {
        quote! {
            while let Some(child) = r.next_child(element)? {
                #(#groups)*
                #unmatched;
            }
        }
    };
    quote! {
        #(#decls)*
        #loop_body
        Ok(#name { #(#inits)* })
    }
}

/// Writes one alternative of a choice value `c`.
fn encode_choice_value(f: &Field, alts: &[ChoiceAlt], c: TokenStream, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let arms = alts.iter().map(|alt| {
        let variant = variant_path(&f.ty, alt, paths);
        let ns = &alt.xml_name.ns;
        let name = &alt.xml_name.local;
        if alt.wildcard {
            return quote!(#variant(v) => #rt::encode_any(w, v),);
        }
        let write = match (&alt.ty, alt.nillable) {
            (TypeRef::Array { item_name, .. }, false) => {
                let (ins, iname) = (&item_name.ns, &item_name.local);
                quote!(#rt::encode_array(w, #ns, #name, #ins, #iname, v)?)
            }
            (TypeRef::Array { item_name, .. }, true) => {
                let (ins, iname) = (&item_name.ns, &item_name.local);
                quote!(match v { Some(items) => #rt::encode_array(w, #ns, #name, #ins, #iname, items)?, None => w.nil(#ns, #name) })
            }
            (_, false) => quote!(w.element(#ns, #name, v)?),
            (_, true) => quote!(w.nillable(#ns, #name, v.as_ref())?),
        };
        quote!(#variant(v) => #write,)
    });
    quote!(match #c { #(#arms)* })
}

fn encode_body(s: &Struct, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let parts = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ns = &f.xml_name.ns;
        let name = &f.xml_name.local;
        match (&f.kind, &f.ty, f.occurs) {
            (FieldKind::Attribute, _, _) => quote!(),
            (FieldKind::Text, _, _) => quote!(#rt::XmlText::write_text(&self.#id, w, element)?;),
            (FieldKind::Content, _, _) => quote!(#rt::XmlContent::encode_content(&self.#id, w, element)?;),
            (FieldKind::Any, _, Occurs::Repeated) => quote!(for v in &self.#id { #rt::encode_any(w, v); }),
            (FieldKind::Any, _, Occurs::Required) => quote!(#rt::encode_any(w, &self.#id);),
            (FieldKind::Any, _, _) => quote!(if let Some(v) = &self.#id { #rt::encode_any(w, v); }),
            (FieldKind::Choice(alts), _, Occurs::Repeated) => {
                let body = encode_choice_value(f, alts, quote!(c), paths);
                quote!(for c in &self.#id { #body })
            }
            (FieldKind::Choice(alts), _, Occurs::Required) => {
                let c = if f.boxed { quote!(&*self.#id) } else { quote!(&self.#id) };
                encode_choice_value(f, alts, c, paths)
            }
            (FieldKind::Choice(alts), _, _) => {
                let c = if f.boxed { quote!(&**c) } else { quote!(c) };
                let body = encode_choice_value(f, alts, c, paths);
                quote!(if let Some(c) = &self.#id { #body })
            }
            (FieldKind::Element, TypeRef::Array { item_name, .. }, occurs) => {
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
            (FieldKind::Element, _, Occurs::Required) => quote!(w.element(#ns, #name, &self.#id)?;),
            (FieldKind::Element, _, Occurs::Optional) => quote!(if let Some(v) = &self.#id { w.element(#ns, #name, v)?; }),
            (FieldKind::Element, _, Occurs::Nillable) => quote!(w.nillable(#ns, #name, self.#id.as_ref())?;),
            (FieldKind::Element, _, Occurs::OptionalNillable) => quote!(match &self.#id {
                #rt::Nillable::Value(v) => w.element(#ns, #name, v)?,
                #rt::Nillable::Nil => w.nil(#ns, #name),
                #rt::Nillable::Absent => {}
            }),
            (FieldKind::Element, _, Occurs::Repeated) => quote!(for v in &self.#id { w.element(#ns, #name, v)?; }),
        }
    });
    quote!(#(#parts)*)
}

/// `encode_attributes` for a struct with attributes (none otherwise: the default is right).
fn encode_attributes(s: &Struct, paths: &Paths) -> Option<TokenStream> {
    let rt = &paths.runtime;
    let attrs: Vec<&Field> = s.fields.iter().filter(|f| f.kind == FieldKind::Attribute).collect();
    if attrs.is_empty() {
        return None;
    }
    let writes = attrs.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ns = &f.xml_name.ns;
        let name = &f.xml_name.local;
        if f.occurs == Occurs::Required {
            quote!(w.attribute_with(#ns, #name, |w| #rt::XmlText::write_text(&self.#id, w, #name))?;)
        } else {
            quote!(if let Some(v) = &self.#id { w.attribute_with(#ns, #name, |w| #rt::XmlText::write_text(v, w, #name))?; })
        }
    });
    Some(quote! {
        fn encode_attributes(&self, w: &mut #rt::XmlWriter) -> Result<(), #rt::EncodeError> {
            #(#writes)*
            Ok(())
        }
    })
}

fn emit_choice(c: &Choice, paths: &Paths) -> TokenStream {
    let name = format_ident!("{}", c.rust_name);
    let docs = doc_attrs(
        None,
        &[format!("The alternatives of an `xs:choice` in `{}`: exactly one of these elements appears.", c.owner.local)],
    );
    let variants = c.variants.iter().map(|v| {
        let id = format_ident!("{}", v.variant);
        if v.wildcard {
            let d = doc_attrs(None, &["Any other element (`xs:any`), kept as raw XML.".to_owned()]);
            let ty = value_type(&v.ty, paths);
            return quote!(#d #id(#ty),);
        }
        let ty = value_type(&v.ty, paths);
        let ty = if v.nillable { quote!(Option<#ty>) } else { ty };
        let nil = if v.nillable { " `None` is `xsi:nil=\"true\"`." } else { "" };
        let d = doc_attrs(None, &[format!("XML element `{}` (`{}`).{nil}", v.xml_name.local, v.schema_type)]);
        quote!(#d #id(#ty),)
    });
    let eq = if c.derives_eq { quote!(, Eq) } else { quote!() };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #eq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn emit_poly(p: &Poly, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let name = format_ident!("{}", p.rust_name);
    let base = format_ident!("{}", p.base);
    let docs = doc_attrs(
        None,
        &[format!(
            "A value of type `{}` or of any type derived from it; on the wire the derived type is named by `xsi:type`. \
         A type this client does not know is read as `Unknown`: its `{}` fields, and the type name as sent.",
            p.base_xml.local, p.base_xml.local
        )],
    );
    // The catch-all is `Unknown`: a schema type of that name gets another variant name.
    let variant = |rust: &str| if rust == "Unknown" { format_ident!("UnknownType") } else { format_ident!("{}", rust) };
    let variants = p.variants.iter().map(|(rust, xml)| {
        let (v, id) = (variant(rust), format_ident!("{}", rust));
        let d = doc_attrs(None, &[format!("`xsi:type` `{}` (namespace `{}`).", xml.local, xml.ns)]);
        quote!(#d #v(#id),)
    });
    let decode_arms = p.variants.iter().map(|(rust, xml)| {
        let (v, id) = (variant(rust), format_ident!("{}", rust));
        let (ns, local) = (&xml.ns, &xml.local);
        quote!(Some((#ns, #local)) => Ok(#name::#v(<#id as #rt::XmlContent>::decode_content(r, element)?)),)
    });
    let no_type = if p.base_abstract {
        quote!(None => Ok(#name::Unknown { xsi_type: None, value: <#base as #rt::XmlContent>::decode_content(r, element)? }),)
    } else {
        let v = variant(&p.base);
        quote!(None => Ok(#name::#v(<#base as #rt::XmlContent>::decode_content(r, element)?)),)
    };
    let attr_arms = p.variants.iter().map(|(rust, xml)| {
        let id = variant(rust);
        let (ns, local) = (&xml.ns, &xml.local);
        if *rust == p.base && !p.base_abstract {
            quote!(#name::#id(v) => #rt::XmlContent::encode_attributes(v, w),)
        } else {
            quote!(#name::#id(v) => { w.xsi_type(#ns, #local); #rt::XmlContent::encode_attributes(v, w) })
        }
    });
    let content_arms = p.variants.iter().map(|(rust, _)| {
        let id = variant(rust);
        quote!(#name::#id(v) => #rt::XmlContent::encode_content(v, w, element),)
    });
    let eq = if p.derives_eq { quote!(, Eq) } else { quote!() };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #eq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A type this client does not know (a newer server's), or no `xsi:type` where the
            /// base is abstract: the base type's fields, and the type name as sent.
            Unknown {
                /// The `xsi:type` as sent.
                xsi_type: Option<#rt::XsiType>,
                /// The fields the base type declares.
                value: #base,
            },
        }

        impl #rt::XmlContent for #name {
            fn decode_content<'a>(r: &mut #rt::XmlReader<'a>, element: &#rt::Element<'a>) -> Result<Self, #rt::DecodeError> {
                let xsi_type = #rt::xsi_type(r, element)?;
                match xsi_type.as_ref().map(|t| (t.namespace.as_str(), t.name.as_str())) {
                    #no_type
                    #(#decode_arms)*
                    Some(_) => {
                        let value = <#base as #rt::XmlContent>::decode_content(r, element)?;
                        Ok(#name::Unknown { xsi_type, value })
                    }
                }
            }

            fn encode_content(&self, w: &mut #rt::XmlWriter, element: &str) -> Result<(), #rt::EncodeError> {
                match self {
                    #(#content_arms)*
                    #name::Unknown { value, .. } => #rt::XmlContent::encode_content(value, w, element),
                }
            }

            fn encode_attributes(&self, w: &mut #rt::XmlWriter) -> Result<(), #rt::EncodeError> {
                match self {
                    #(#attr_arms)*
                    #name::Unknown { xsi_type, value } => {
                        if let Some(t) = xsi_type {
                            w.xsi_type(&t.namespace, &t.name);
                        }
                        #rt::XmlContent::encode_attributes(value, w)
                    }
                }
            }
        }
    }
}

fn emit_enum(e: &Enum, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let name = format_ident!("{}", e.rust_name);
    let docs = doc_attrs(
        e.doc.as_deref(),
        &[format!(
            "XML simple type `{}` (an enumeration). Values this client does not know are kept in `Unknown`.",
            e.xml_name.local
        )],
    );
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
            Unknown(String),
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
            fn parse_text(text: &str) -> Result<Self, #rt::ValueError> {
                Ok(match text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
                    #(#from_str)*
                    other => #name::Unknown(other.to_owned()),
                })
            }
            fn write_text(&self, w: &mut #rt::XmlWriter, element: &str) -> Result<(), #rt::EncodeError> {
                w.text(element, self.as_str())
            }
        }

        impl #rt::XmlContent for #name {
            fn decode_content<'a>(r: &mut #rt::XmlReader<'a>, element: &#rt::Element<'a>) -> Result<Self, #rt::DecodeError> {
                #rt::decode_text(r, element)
            }
            fn encode_content(&self, w: &mut #rt::XmlWriter, element: &str) -> Result<(), #rt::EncodeError> {
                <Self as #rt::XmlText>::write_text(self, w, element)
            }
        }
    }
}
