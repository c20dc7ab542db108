//! Structs and enums with their XML codecs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::{doc_attrs, docs};
use super::ident;
use super::{constructors, serde_attrs, syntax};
use crate::diagnostics::Diagnostics;
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
pub fn emit_type(def: &TypeDef, paths: &Paths) -> Result<Vec<syn::Item>, Diagnostics> {
    match def {
        TypeDef::Struct(s) => emit_struct(s, paths),
        TypeDef::Enum(e) => syntax::items(emit_enum(e, paths)),
        TypeDef::Choice(c) => syntax::items(emit_choice(c, paths)),
        TypeDef::Poly(p) => syntax::items(emit_poly(p, paths)),
    }
}

/// The Rust type of a value of `ty` (without occurrence wrappers), as a `syn` tree:
/// [`value_type`]'s tokens, parsed.
pub fn value_ty(ty: &TypeRef, paths: &Paths) -> syn::Type {
    let named = |name: &str| syntax::ty(syntax::path([syntax::plain(name)]));
    let rt = |name: &str| syntax::ty(paths.rt(&[name]));
    match ty {
        TypeRef::Prim(p) => match p {
            Prim::String => named("String"),
            Prim::Bool => named("bool"),
            Prim::I8 => named("i8"),
            Prim::I16 => named("i16"),
            Prim::I32 => named("i32"),
            Prim::I64 => named("i64"),
            Prim::U8 => named("u8"),
            Prim::U16 => named("u16"),
            Prim::U32 => named("u32"),
            Prim::U64 => named("u64"),
            Prim::F32 => named("f32"),
            Prim::F64 => named("f64"),
            Prim::DateTime => rt("DateTime"),
            Prim::Decimal => rt("Decimal"),
            Prim::Guid => rt("Guid"),
            Prim::Base64 => syntax::ty(syntax::generic(syntax::path([syntax::plain("Vec")]), [named("u8")])),
            Prim::HexBinary => rt("HexBinary"),
            Prim::Date => rt("Date"),
            Prim::Time => rt("Time"),
            Prim::Duration => rt("Duration"),
            Prim::Char => named("char"),
            Prim::AnyType => rt("RawXml"),
        },
        TypeRef::Named(n) => syntax::ty(paths.generated(format_ident!("{}", n))),
        TypeRef::Array { item, .. } => {
            syntax::ty(syntax::generic(syntax::path([syntax::plain("Vec")]), [value_ty(item, paths)]))
        }
        TypeRef::List(item) => syntax::ty(syntax::generic(paths.rt(&["List"]), [value_ty(item, paths)])),
    }
}

/// `Wrapper<inner>` for a one-segment wrapper (`Option`, `Vec`, `Box`).
fn wrapped(wrapper: &str, inner: syn::Type) -> syn::Type {
    syntax::ty(syntax::generic(syntax::path([syntax::plain(wrapper)]), [inner]))
}

/// The Rust type of a field, with its occurrence, as a `syn` tree: [`field_type`]'s tokens,
/// parsed.
pub fn field_ty(f: &Field, paths: &Paths) -> syn::Type {
    let v = value_ty(&f.ty, paths);
    let v = if f.boxed { wrapped("Box", v) } else { v };
    match f.occurs {
        Occurs::Required => v,
        Occurs::Optional | Occurs::Nillable => wrapped("Option", v),
        Occurs::OptionalNillable => syntax::ty(syntax::generic(paths.rt(&["Nillable"]), [v])),
        Occurs::Repeated => wrapped("Vec", v),
    }
}

fn emit_struct(s: &Struct, paths: &Paths) -> Result<Vec<syn::Item>, Diagnostics> {
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
    let mut attrs = docs(s.doc.as_deref(), &notes);
    let secret = s.fields.iter().any(|f| f.secret);
    let eq = if s.derives_eq { quote!(, Eq) } else { quote!() };
    attrs.push(syntax::attr_list(
        "derive",
        if secret { quote!(Clone, PartialEq #eq) } else { quote!(Debug, Clone, PartialEq #eq) },
    ));
    attrs.extend(serde_attrs::derive_attr(paths));
    attrs.push(syntax::attr_word("non_exhaustive"));
    let fields = s.fields.iter().map(|f| {
        let mut attrs = docs(f.doc.as_deref(), &field_notes(f));
        attrs.extend(serde_attrs::field(f, &s.fields, paths));
        syntax::named_field(attrs, true, ident(&f.rust_name), field_ty(f, paths))
    });
    let mut items = vec![syntax::item_struct(attrs, true, name.clone(), syntax::fields_named(fields))];
    items.extend(constructors::emit_constructors(s, paths)?);
    if secret {
        let entries = s.fields.iter().map(|f| {
            let id = ident(&f.rust_name);
            let label = &f.rust_name;
            if f.secret { quote!(.field(#label, &"<redacted>")) } else { quote!(.field(#label, &self.#id)) }
        });
        let label = &s.rust_name;
        items.extend(syntax::items(quote! {
            impl ::core::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(#label) #(#entries)* .finish()
                }
            }
        })?);
    }
    let content_fields = s.fields.iter().filter(|f| f.kind != FieldKind::Attribute).count();
    let unused_w = if content_fields == 0 { "_w" } else { "w" };
    let uses_element = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Text | FieldKind::Content));
    let element_param = if uses_element { "element" } else { "_element" };
    let rt_ty = |name: &str| syntax::ty(paths.rt(&[name]));
    let result = |ok: syn::Type, error: &str| {
        syntax::ty(syntax::generic(syntax::path([syntax::plain("Result")]), [ok, rt_ty(error)]))
    };
    let self_ty = || syntax::ty(syntax::path([syntax::plain("Self")]));
    let decode = syntax::Fn {
        attrs: Vec::new(),
        public: false,
        name: syntax::plain("decode_content"),
        lifetimes: &["a"],
        inputs: vec![
            syntax::arg(
                syntax::plain("r"),
                syntax::ref_ty(syntax::ty(syntax::with_lifetime(paths.rt(&["XmlReader"]), "a")), true, None),
            ),
            syntax::arg(
                syntax::plain("element"),
                syntax::ref_ty(syntax::ty(syntax::with_lifetime(paths.rt(&["Element"]), "a")), false, None),
            ),
        ],
        output: Some(result(self_ty(), "DecodeError")),
    };
    let str_ty = |lifetime| syntax::ref_ty(syntax::ty(syntax::path([syntax::plain("str")])), false, lifetime);
    let encode = syntax::Fn {
        attrs: Vec::new(),
        public: false,
        name: syntax::plain("encode_content"),
        lifetimes: &[],
        inputs: vec![
            syntax::receiver(syntax::Receiver::Ref),
            syntax::arg(syntax::plain(unused_w), syntax::ref_ty(rt_ty("XmlWriter"), true, None)),
            syntax::arg(syntax::plain(element_param), str_ty(None)),
        ],
        output: Some(result(syntax::unit_ty(), "EncodeError")),
    };
    let mut encode_stmts = encode_body(s, paths)?;
    encode_stmts.push(syntax::tail(syntax::ok_unit()));
    let mut content = vec![decode.with_body(decode_body(s, paths)?), encode.with_body(encode_stmts)];
    if let Some(attributes) = encode_attributes(s, paths) {
        content.push(syntax::parse::<syn::ImplItem>(attributes)?);
    }
    let self_path = || syntax::ty(syntax::path([name.clone()]));
    items.push(syntax::item_impl(Some(paths.rt(&["XmlContent"])), self_path(), content));
    if let Some(e) = &s.element {
        let consts = vec![
            syntax::impl_const("NAMESPACE", str_ty(Some("static")), syntax::lit_str(&e.ns)),
            syntax::impl_const("NAME", str_ty(Some("static")), syntax::lit_str(&e.local)),
        ];
        items.push(syntax::item_impl(Some(paths.rt(&["XmlElement"])), self_path(), consts));
    }
    Ok(items)
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

/// `r`, `w`, `child`, `element` and the other fixed names of the codecs.
fn fixed(name: &str) -> syn::Expr {
    syntax::var(syntax::plain(name))
}

/// `None`.
fn none() -> syn::Expr {
    fixed("None")
}

/// `Vec::new()`.
fn vec_new() -> syn::Expr {
    syntax::call(syntax::path_expr(syntax::path([syntax::plain("Vec"), syntax::plain("new")])), [])
}

/// `&child`.
fn child_ref() -> syn::Expr {
    syntax::reference(fixed("child"), false)
}

/// `r.method(args)?`.
fn reader_call(method: &str, args: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syntax::try_(syntax::method(fixed("r"), method, args))
}

/// What a child no arm matches becomes: skipped, or quoted (kept by a wildcard).
enum Unmatched {
    Skip,
    Tokens(TokenStream),
}

impl Unmatched {
    /// As an expression (a match arm's body).
    fn expr(&self) -> Result<syn::Expr, Diagnostics> {
        match self {
            Unmatched::Skip => Ok(reader_call("skip", [child_ref()])),
            Unmatched::Tokens(t) => syntax::parse::<syn::Expr>(t.clone()),
        }
    }

    /// As the statement `unmatched;`.
    fn stmts(&self) -> Result<Vec<syn::Stmt>, Diagnostics> {
        match self {
            Unmatched::Skip => Ok(vec![syntax::semi(self.expr()?)]),
            Unmatched::Tokens(t) => syntax::stmts(quote!(#t;)),
        }
    }
}

/// The decode arm of an element field (not a choice): `"Name" => r.decode_once(...)?,`.
fn element_arm(f: &Field, parent: &str) -> syn::Arm {
    let v = slot(f);
    let name = f.xml_name.local.as_str();
    let slot_mut = || syntax::reference(syntax::var(v.clone()), true);
    let call =
        |method: &str| reader_call(method, [slot_mut(), child_ref(), syntax::lit_str(name), syntax::lit_str(parent)]);
    let body = match (&f.ty, f.occurs) {
        (TypeRef::Array { item_name, .. }, _) => reader_call(
            "decode_array_once",
            [
                slot_mut(),
                child_ref(),
                syntax::lit_str(&item_name.ns),
                syntax::lit_str(&item_name.local),
                syntax::lit_str(name),
                syntax::lit_str(parent),
            ],
        ),
        // Nil items of a nillable list carry no data.
        (_, Occurs::Repeated) => {
            reader_call("decode_item", [slot_mut(), child_ref(), syntax::lit_str(name), syntax::lit_bool(f.nillable)])
        }
        (_, Occurs::Required) => call("decode_once"),
        (_, Occurs::Optional) => {
            let seen = syntax::reference(syntax::var(seen_flag(f)), true);
            reader_call(
                "decode_optional_once",
                [slot_mut(), seen, child_ref(), syntax::lit_str(name), syntax::lit_str(parent)],
            )
        }
        (_, Occurs::Nillable | Occurs::OptionalNillable) => call("decode_nillable_once"),
    };
    // An element a derived type restates may come twice (the base's and the derived part's):
    // the last one wins.
    let reset = || syntax::semi(syntax::assign(syntax::var(v.clone()), none()));
    let body = match (f.redeclared, &f.ty, f.occurs) {
        (false, _, _) | (true, TypeRef::Array { .. } | TypeRef::List(_), _) | (true, _, Occurs::Repeated) => body,
        (true, _, Occurs::Optional) => {
            let seen = syntax::reference(fixed("seen"), true);
            syntax::block_expr(vec![
                reset(),
                syntax::let_(syntax::plain("seen"), true, syntax::lit_bool(false)),
                syntax::tail(reader_call(
                    "decode_optional_once",
                    [slot_mut(), seen, child_ref(), syntax::lit_str(name), syntax::lit_str(parent)],
                )),
            ])
        }
        (true, _, Occurs::Required) => syntax::block_expr(vec![reset(), syntax::tail(call("decode_once"))]),
        (true, _, _) => syntax::block_expr(vec![reset(), syntax::tail(call("decode_nillable_once"))]),
    };
    syntax::arm(syntax::pat_str(name), body)
}

/// The decoder's local holding the number of the element field it expects next.
const NEXT_FIELD: &str = "next_field";

/// The arm that reads element field `k` when it comes next, in order, as a leaf
/// (`<Name>text</Name>`, see `XmlReader::next_leaf`) and has no value yet:
///
/// ```text
/// k if f_name.is_none() => {
///     if let Some(leaf) = r.next_leaf(element, ns, const { rt::LeafName::new("Name") }) {
///         f_name = Some(r.leaf_value(leaf)?);
///         next_field = k + 1;
///         continue;
///     }
/// }
/// ```
///
/// Anything else falls through to the named dispatch, which reads exactly the same. `None`
/// for a field that is not a single value of a built-in simple type, or whose name the leaf
/// path does not read.
fn leaf_arm(f: &Field, k: usize, paths: &Paths) -> Option<syn::Arm> {
    let simple = matches!(&f.ty, TypeRef::Prim(p) if *p != Prim::AnyType);
    let local = f.xml_name.local.as_str();
    let plain_name = local.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if !simple || !plain_name || f.redeclared || f.occurs == Occurs::Repeated {
        return None;
    }
    let v = slot(f);
    let value = syntax::try_(syntax::method(fixed("r"), "leaf_value", [fixed("leaf")]));
    let some = |e: syn::Expr| syntax::call(fixed("Some"), [e]);
    let (unset, mut assign) = match f.occurs {
        Occurs::Optional => (
            syntax::unary_not(syntax::var(seen_flag(f))),
            vec![
                syntax::semi(syntax::assign(syntax::var(v), some(value))),
                syntax::semi(syntax::assign(syntax::var(seen_flag(f)), syntax::lit_bool(true))),
            ],
        ),
        Occurs::Nillable | Occurs::OptionalNillable => (
            syntax::method(syntax::var(v.clone()), "is_none", []),
            vec![syntax::semi(syntax::assign(syntax::var(v), some(some(value))))],
        ),
        _ => (
            syntax::method(syntax::var(v.clone()), "is_none", []),
            vec![syntax::semi(syntax::assign(syntax::var(v), some(value)))],
        ),
    };
    assign.push(syntax::semi(syntax::assign(fixed(NEXT_FIELD), syntax::lit_int(k + 1))));
    assign.push(syntax::semi(syntax::continue_()));
    // `const { rt::LeafName::new("Name") }`: the name is checked when the code compiles.
    let name =
        syntax::const_block(syntax::call(syntax::path_expr(paths.rt(&["LeafName", "new"])), [syntax::lit_str(local)]));
    let leaf = syntax::method(fixed("r"), "next_leaf", [fixed("element"), syntax::lit_str(&f.xml_name.ns), name]);
    let some_leaf = syntax::pat_tuple_struct(
        syntax::path([syntax::plain("Some")]),
        [syntax::pat_ident(syntax::plain("leaf"), false)],
    );
    let read = syntax::if_(syntax::let_expr(some_leaf, leaf), assign);
    Some(syntax::arm_guarded(syntax::pat_int(k), unset, vec![syntax::tail(read)]))
}

fn decode_body(s: &Struct, paths: &Paths) -> Result<Vec<syn::Stmt>, Diagnostics> {
    let rt = &paths.runtime;
    let parent = &s.xml_name.local;
    let mut stmts = Vec::new();
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
        match (&f.kind, &f.ty, f.occurs) {
            (FieldKind::Attribute, _, _) => {
                let call = syntax::call(
                    syntax::path_expr(paths.rt(&["decode_attribute"])),
                    [fixed("r"), fixed("element"), syntax::lit_str(ns), syntax::lit_str(local)],
                );
                stmts.push(syntax::let_(v, false, syntax::try_(call)));
            }
            (FieldKind::Text, _, _) => {
                let call = syntax::call(syntax::path_expr(paths.rt(&["decode_text"])), [fixed("r"), fixed("element")]);
                stmts.push(syntax::let_(v, false, syntax::try_(call)));
            }
            (FieldKind::Content, _, _) => stmts.extend(syntax::stmts(
                quote!(let #v = <#rt::RawXml as #rt::XmlContent>::decode_content(r, element)?;),
            )?),
            (FieldKind::Any | FieldKind::Choice(_), _, Occurs::Repeated) => {
                stmts.push(syntax::let_(v, true, vec_new()))
            }
            (FieldKind::Any | FieldKind::Choice(_), _, _) => stmts.push(syntax::let_(v, true, none())),
            (FieldKind::Element, TypeRef::Array { .. }, _) => stmts.push(syntax::let_(v, true, none())),
            (FieldKind::Element, _, Occurs::Repeated) => stmts.push(syntax::let_(v, true, vec_new())),
            (FieldKind::Element, _, Occurs::Optional) if !f.redeclared => {
                stmts.push(syntax::let_(v, true, none()));
                stmts.push(syntax::let_(seen_flag(f), true, syntax::lit_bool(false)));
            }
            (FieldKind::Element, _, _) => stmts.push(syntax::let_(v, true, none())),
        }
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
            Unmatched::Tokens(quote!(#rt::decode_any_item(r, &mut #v, &child)?))
        }
        (Some(f), _) => {
            let v = slot(f);
            Unmatched::Tokens(quote!(#rt::decode_any_once(r, &mut #v, &child, #parent)?))
        }
        (None, Some((f, alt))) => {
            let v = slot(f);
            let variant = variant_path(&f.ty, alt, paths);
            Unmatched::Tokens(if f.occurs == Occurs::Repeated {
                quote!(#v.push(#variant(#rt::RawXml::capture_element(r, &child)?)))
            } else {
                // A second unknown element once the choice is made is skipped like any other.
                quote!({
                    let raw = #rt::RawXml::capture_element(r, &child)?;
                    if #v.is_none() {
                        #v = Some(#variant(raw));
                    }
                })
            })
        }
        (None, None) => Unmatched::Skip,
    };
    // The element fields in schema order, numbered: the decoder expects field `k` after
    // field `k - 1` and first tries to read it as a leaf (see `leaf_arm`).
    let elements: Vec<&Field> = s.fields.iter().filter(|f| f.kind == FieldKind::Element).collect();
    let leaf_arms: Vec<syn::Arm> = elements.iter().enumerate().filter_map(|(k, f)| leaf_arm(f, k, paths)).collect();
    let in_order = !leaf_arms.is_empty();
    // Group arms by namespace so each child's namespace is compared once.
    let mut by_ns: std::collections::BTreeMap<&str, Vec<syn::Arm>> = std::collections::BTreeMap::new();
    for f in &s.fields {
        if let FieldKind::Choice(alts) = &f.kind {
            for alt in alts.iter().filter(|a| !a.wildcard) {
                let arm = syntax::parse::<syn::Arm>(choice_arm(f, alt, parent, paths))?;
                by_ns.entry(alt.xml_name.ns.as_str()).or_default().push(arm);
            }
            continue;
        }
        if f.kind != FieldKind::Element {
            continue;
        }
        let mut arm = element_arm(f, parent);
        if in_order {
            // Read out of order (or not as a leaf): the field after it is expected next.
            let k = elements.iter().position(|e| std::ptr::eq(*e, f)).unwrap_or_default();
            let body = std::mem::replace(&mut *arm.body, none());
            let next = syntax::assign(fixed(NEXT_FIELD), syntax::lit_int(k + 1));
            *arm.body = syntax::block_expr(vec![syntax::semi(body), syntax::semi(next)]);
            arm.comma = None;
        }
        by_ns.entry(f.xml_name.ns.as_str()).or_default().push(arm);
    }
    let has_children =
        s.fields.iter().any(|f| matches!(f.kind, FieldKind::Element | FieldKind::Choice(_) | FieldKind::Any));
    let has_text = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Text | FieldKind::Content));
    if !has_text {
        let body = if !has_children {
            vec![syntax::semi(reader_call("skip", [child_ref()]))]
        } else {
            let mut body = Vec::new();
            for (ns, mut arms) in by_ns {
                arms.push(syntax::arm(syntax::pat_wild(), unmatched.expr()?));
                let dispatch = syntax::match_(syntax::method(fixed("child"), "local_name", []), arms);
                let cont = syn::Expr::Continue(syn::ExprContinue {
                    attrs: Vec::new(),
                    continue_token: Default::default(),
                    label: None,
                });
                let is_in = syntax::method(fixed("r"), "is_in", [child_ref(), syntax::lit_str(ns)]);
                body.push(syntax::tail(syntax::if_(is_in, vec![syntax::tail(dispatch), syntax::semi(cont)])));
            }
            body.extend(unmatched.stmts()?);
            body
        };
        let next = reader_call("next_child", [fixed("element")]);
        let some_child = syntax::pat_tuple_struct(
            syntax::path([syntax::plain("Some")]),
            [syntax::pat_ident(syntax::plain("child"), false)],
        );
        if in_order {
            // `let mut next_field = 0; loop { match next_field { leaf arms, _ => {} } let
            // Some(child) = r.next_child(element)? else { break }; dispatch }`.
            let mut arms = leaf_arms;
            arms.push(syntax::arm(syntax::pat_wild(), syntax::block_expr(Vec::new())));
            stmts.push(syntax::let_(syntax::plain(NEXT_FIELD), true, syntax::lit_int(0)));
            let mut looped =
                vec![syntax::tail(syntax::match_(fixed(NEXT_FIELD), arms)), syntax::let_else_break(some_child, next)];
            looped.extend(body);
            stmts.push(syntax::tail(syntax::loop_(looped)));
        } else {
            stmts.push(syntax::tail(syn::Expr::While(syn::ExprWhile {
                attrs: Vec::new(),
                label: None,
                while_token: Default::default(),
                cond: Box::new(syntax::let_expr(some_child, next)),
                body: syntax::block(body),
            })));
        }
    }
    let name = format_ident!("{}", s.rust_name);
    let mut inits = Vec::new();
    for f in &s.fields {
        let id = ident(&f.rust_name);
        let v = slot(f);
        let xml = &f.xml_name.local;
        let required =
            || reader_call("required", [syntax::var(v.clone()), syntax::lit_str(xml), syntax::lit_str(parent)]);
        let value = match (&f.kind, &f.ty, f.occurs) {
            (FieldKind::Attribute, _, Occurs::Required) => syntax::try_(syntax::call(
                syntax::path_expr(paths.rt(&["required_attribute"])),
                [fixed("r"), syntax::var(v), syntax::lit_str(xml), syntax::lit_str(parent)],
            )),
            (FieldKind::Attribute | FieldKind::Text | FieldKind::Content, _, _) => syntax::var(v),
            (FieldKind::Any, _, Occurs::Required) => {
                syntax::parse::<syn::Expr>(quote!(r.required(#v, "(xs:any)", #parent)?))?
            }
            (FieldKind::Any, _, _) => syntax::var(v),
            (FieldKind::Choice(alts), _, Occurs::Required) => {
                let names = alts.iter().map(|a| a.xml_name.local.as_str()).collect::<Vec<_>>().join(" | ");
                if f.boxed {
                    syntax::parse::<syn::Expr>(quote!(Box::new(r.required(#v, #names, #parent)?)))?
                } else {
                    syntax::parse::<syn::Expr>(quote!(r.required(#v, #names, #parent)?))?
                }
            }
            (FieldKind::Choice(_), _, Occurs::Repeated) => syntax::var(v),
            (FieldKind::Choice(_), _, _) => {
                if f.boxed {
                    syntax::parse::<syn::Expr>(quote!(#v.map(Box::new)))?
                } else {
                    syntax::var(v)
                }
            }
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::Required) => {
                syntax::method(required(), "unwrap_or_default", [])
            }
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::Optional) => {
                syntax::method(syntax::var(v), "flatten", [])
            }
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::Nillable) => required(),
            (FieldKind::Element, TypeRef::Array { .. }, Occurs::OptionalNillable)
            | (FieldKind::Element, _, Occurs::OptionalNillable) => syntax::parse::<syn::Expr>(quote!(match #v {
                None => #rt::Nillable::Absent,
                Some(None) => #rt::Nillable::Nil,
                Some(Some(v)) => #rt::Nillable::Value(v),
            }))?,
            (FieldKind::Element, _, Occurs::Required | Occurs::Nillable) => required(),
            (FieldKind::Element, _, Occurs::Optional | Occurs::Repeated) => syntax::var(v),
        };
        inits.push((id, value));
    }
    stmts.push(syntax::tail(syntax::call(fixed("Ok"), [syntax::struct_expr(syntax::path([name]), inits)])));
    Ok(stmts)
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

/// `w.method(ns, name, value)?`.
fn writer_call(method: &str, ns: &str, name: &str, value: syn::Expr) -> syn::Expr {
    syntax::try_(syntax::method(fixed("w"), method, [syntax::lit_str(ns), syntax::lit_str(name), value]))
}

/// `if let Some(bound) = &self.field { body }`.
fn if_some(field: syn::Ident, bound: &str, body: Vec<syn::Stmt>) -> syn::Stmt {
    let pat = syntax::pat_tuple_struct(
        syntax::path([syntax::plain("Some")]),
        [syntax::pat_ident(syntax::plain(bound), false)],
    );
    let value = syntax::reference(syntax::self_field(field), false);
    syntax::tail(syntax::if_(syntax::let_expr(pat, value), body))
}

/// `rt::encode_array(w, ns, name, item_ns, item_name, items)?;`.
fn encode_array(paths: &Paths, names: [&str; 4], items: syn::Expr) -> syn::Stmt {
    let args = std::iter::once(fixed("w")).chain(names.map(syntax::lit_str)).chain([items]);
    syntax::semi(syntax::try_(syntax::call(syntax::path_expr(paths.rt(&["encode_array"])), args)))
}

fn encode_body(s: &Struct, paths: &Paths) -> Result<Vec<syn::Stmt>, Diagnostics> {
    let rt = &paths.runtime;
    let mut stmts = Vec::new();
    for f in &s.fields {
        let id = ident(&f.rust_name);
        let ns = &f.xml_name.ns;
        let name = &f.xml_name.local;
        let self_ref = || syntax::reference(syntax::self_field(id.clone()), false);
        let quoted = match (&f.kind, &f.ty, f.occurs) {
            (FieldKind::Attribute, _, _) => continue,
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
                    Occurs::Required | Occurs::Repeated => {
                        stmts.push(encode_array(
                            paths,
                            [ns.as_str(), name.as_str(), ins.as_str(), iname.as_str()],
                            self_ref(),
                        ));
                        continue;
                    }
                    Occurs::Optional => {
                        let write = encode_array(
                            paths,
                            [ns.as_str(), name.as_str(), ins.as_str(), iname.as_str()],
                            fixed("items"),
                        );
                        stmts.push(if_some(id.clone(), "items", vec![write]));
                        continue;
                    }
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
            (FieldKind::Element, _, Occurs::Required) => {
                stmts.push(syntax::semi(writer_call("element", ns, name, self_ref())));
                continue;
            }
            (FieldKind::Element, _, Occurs::Optional) => {
                stmts.push(if_some(id.clone(), "v", vec![syntax::semi(writer_call("element", ns, name, fixed("v")))]));
                continue;
            }
            (FieldKind::Element, _, Occurs::Nillable) => {
                let value = syntax::method(syntax::self_field(id.clone()), "as_ref", []);
                stmts.push(syntax::semi(writer_call("nillable", ns, name, value)));
                continue;
            }
            (FieldKind::Element, _, Occurs::OptionalNillable) => quote!(match &self.#id {
                #rt::Nillable::Value(v) => w.element(#ns, #name, v)?,
                #rt::Nillable::Nil => w.nil(#ns, #name),
                #rt::Nillable::Absent => {}
            }),
            (FieldKind::Element, _, Occurs::Repeated) => {
                let pat = syntax::pat_ident(syntax::plain("v"), false);
                let body = vec![syntax::semi(writer_call("element", ns, name, fixed("v")))];
                stmts.push(syntax::tail(syntax::for_(pat, self_ref(), body)));
                continue;
            }
        };
        stmts.extend(syntax::stmts(quoted)?);
    }
    Ok(stmts)
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
    let serde_derive = serde_attrs::derive(paths);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #eq)]
        #serde_derive
        #[non_exhaustive]
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
    let serde_derive = serde_attrs::derive(paths);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #eq)]
        #serde_derive
        #[non_exhaustive]
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
        let serde = serde_attrs::variant(xml, paths);
        quote!(#d #serde #id,)
    });
    let serde_derive = serde_attrs::derive(paths);
    let serde_unknown = serde_attrs::unknown_variant(paths);
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
        #serde_derive
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value not in the schema this client was generated from, kept as sent.
            #serde_unknown
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
