//! How code outside the generated crate builds a generated struct. The structs are
//! `#[non_exhaustive]` (a later schema may add an optional element in a minor release), so:
//!
//! - a struct the schema requires nothing of gets `new()` (and `Default`);
//! - any other gets `builder()`: a setter per field, named after it, and `build()`, which
//!   fails naming the first required field left unset;
//! - both get `with_*` setters for the optional fields, to change a value after it is built.

use quote::{format_ident, quote};

use super::Paths;
use super::docs::docs;
use super::ident;
use super::syntax;
use super::types::{field_ty, value_ty};
use crate::diagnostics::Diagnostics;
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

/// A one-segment path (`Some`, `Self`).
fn word(name: &str) -> syn::Path {
    syntax::path([syntax::plain(name)])
}

/// A setter's parameter type and the expression of the field's new value: a required field
/// takes its value (`impl Into<String>` for a string), an optional or nillable one anything
/// the runtime's `IntoOptional` accepts (a value, `Some`, a bare `None`),
/// a `Nillable` one a `Nillable`, a list a `Vec`.
fn setter_value(f: &Field, paths: &Paths) -> (syn::Type, syn::Expr) {
    let id = || syntax::var(ident(&f.rust_name));
    let box_new = || syntax::path_expr(syntax::path([syntax::plain("Box"), syntax::plain("new")]));
    match f.occurs {
        Occurs::Repeated | Occurs::OptionalNillable => (field_ty(f, paths), id()),
        Occurs::Optional | Occurs::Nillable => {
            let v = value_ty(&f.ty, paths);
            let take = syntax::call(syntax::path_expr(paths.rt(&["IntoOptional", "into_optional"])), [id()]);
            let value = if f.boxed { syntax::method(take, "map", [box_new()]) } else { take };
            (syntax::impl_trait(syntax::generic(paths.rt(&["IntoOptional"]), [v])), value)
        }
        Occurs::Required if is_string(f) => {
            let string = syntax::ty(word("String"));
            (syntax::impl_trait(syntax::generic(word("Into"), [string])), syntax::method(id(), "into", []))
        }
        Occurs::Required if f.boxed => (value_ty(&f.ty, paths), syntax::call(box_new(), [id()])),
        Occurs::Required => (value_ty(&f.ty, paths), id()),
    }
}

/// The unset value of a field the schema does not require.
fn unset(f: &Field, paths: &Paths) -> syn::Expr {
    match f.occurs {
        Occurs::OptionalNillable => syntax::path_expr(paths.rt(&["Nillable", "Absent"])),
        Occurs::Repeated => {
            syntax::call(syntax::path_expr(syntax::path([syntax::plain("Vec"), syntax::plain("new")])), [])
        }
        _ => syntax::path_expr(word("None")),
    }
}

/// `self.field = value; self`: a setter's body.
fn set(f: &Field, value: syn::Expr) -> Vec<syn::Stmt> {
    vec![
        syntax::semi(syntax::assign(syntax::self_field(ident(&f.rust_name)), value)),
        syntax::tail(syntax::var(syntax::plain("self"))),
    ]
}

/// `new` or `builder`, the `with_*` setters, and the builder type.
pub fn emit_constructors(s: &Struct, paths: &Paths) -> Result<Vec<syn::Item>, Diagnostics> {
    let name = format_ident!("{}", s.rust_name);
    let with_setters = || {
        s.fields.iter().filter(|f| !required(f)).map(|f| {
            let setter = format_ident!("with_{}", f.rust_name);
            let (param, value) = setter_value(f, paths);
            let mut attrs = docs(None, &[format!("Sets `{}` (XML `{}`).", f.rust_name, f.xml_name.local)]);
            attrs.push(syntax::attr_word("must_use"));
            syntax::setter(attrs, setter, ident(&f.rust_name), param, set(f, value))
        })
    };
    let required_names: Vec<String> =
        s.fields.iter().filter(|f| required(f)).map(|f| format!("`{}`", f.rust_name)).collect();
    if required_names.is_empty() {
        let inits = s.fields.iter().map(|f| (ident(&f.rust_name), unset(f, paths)));
        let new = syntax::Fn {
            attrs: docs(
                None,
                &[format!(
                    "A `{}` with every field unset (the schema requires none); set them with the `with_*` methods.",
                    s.rust_name
                )],
            ),
            public: true,
            name: syntax::plain("new"),
            lifetimes: &[],
            inputs: Vec::new(),
            output: Some(syntax::ty(word("Self"))),
        };
        let new = new.with_body(vec![syntax::tail(syntax::struct_expr(syntax::path([name.clone()]), inits))]);
        let inherent = std::iter::once(new).chain(with_setters()).collect();
        let default = syntax::Fn {
            attrs: Vec::new(),
            public: false,
            name: syntax::plain("default"),
            lifetimes: &[],
            inputs: Vec::new(),
            output: Some(syntax::ty(word("Self"))),
        };
        let new_call = syntax::call(syntax::path_expr(syntax::path([syntax::plain("Self"), syntax::plain("new")])), []);
        let default = default.with_body(vec![syntax::tail(new_call)]);
        let items = vec![
            syntax::item_impl(None, syntax::ty(syntax::path([name.clone()])), inherent),
            syntax::item_impl(Some(word("Default")), syntax::ty(syntax::path([name])), vec![default]),
        ];
        return Ok(items);
    }

    let builder = format_ident!("{}Builder", s.rust_name);
    let slots = s.fields.iter().map(|f| {
        let ty = field_ty(f, paths);
        let ty = if required(f) { syntax::ty(syntax::generic(word("Option"), [ty])) } else { ty };
        syntax::named_field(Vec::new(), false, ident(&f.rust_name), ty)
    });
    let slot_defaults = s.fields.iter().map(|f| {
        let v = if required(f) { syntax::path_expr(word("None")) } else { unset(f, paths) };
        (ident(&f.rust_name), v)
    });
    let builder_setters = s.fields.iter().map(|f| {
        let (param, value) = setter_value(f, paths);
        let value = if required(f) { syntax::call(syntax::path_expr(word("Some")), [value]) } else { value };
        let what = if required(f) { "required" } else { "optional" };
        let attrs = docs(None, &[format!("Sets `{}` (XML `{}`, {what}).", f.rust_name, f.xml_name.local)]);
        syntax::setter(attrs, ident(&f.rust_name), ident(&f.rust_name), param, set(f, value))
    });
    let takes = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let value = syntax::self_field(id.clone());
        if required(f) {
            let error = syntax::struct_expr(
                paths.rt(&["BuildError"]),
                [
                    (syntax::plain("type_name"), syntax::lit_str(&s.rust_name)),
                    (syntax::plain("field"), syntax::lit_str(&f.rust_name)),
                ],
            );
            (id, syntax::try_(syntax::method(value, "ok_or", [error])))
        } else {
            (id, value)
        }
    });
    let mut builder_attrs = docs(
        None,
        &[format!(
            "Builds a [`{}`]: one setter per field, then [`build`]({}::build), which fails naming the first \
             required field ({}) left unset.",
            s.rust_name,
            builder,
            required_names.join(", ")
        )],
    );
    if !s.fields.iter().any(|f| f.secret) {
        builder_attrs.push(syntax::attr_list("derive", quote!(Debug)));
    }
    builder_attrs.push(syntax::attr_list("derive", quote!(Clone)));
    builder_attrs.push(syntax::attr_word("must_use"));

    let builder_fn = syntax::Fn {
        attrs: docs(
            None,
            &[format!(
                "A builder of a `{}`; the schema requires {}, the other fields start unset (`None`, empty, absent).",
                s.rust_name,
                required_names.join(", ")
            )],
        ),
        public: true,
        name: syntax::plain("builder"),
        lifetimes: &[],
        inputs: Vec::new(),
        output: Some(syntax::ty(syntax::path([builder.clone()]))),
    };
    let builder_fn =
        builder_fn.with_body(vec![syntax::tail(syntax::struct_expr(syntax::path([builder.clone()]), slot_defaults))]);
    let inherent = std::iter::once(builder_fn).chain(with_setters()).collect();
    let inherent = syntax::item_impl(None, syntax::ty(syntax::path([name.clone()])), inherent);

    let builder_struct = syntax::item_struct(builder_attrs, true, builder.clone(), syntax::fields_named(slots));

    let result = syntax::generic(
        word("Result"),
        [syntax::ty(syntax::path([name.clone()])), syntax::ty(paths.rt(&["BuildError"]))],
    );
    let build = syntax::Fn {
        attrs: docs(None, &[format!("The `{}`, or the first required field left unset.", s.rust_name)]),
        public: true,
        name: syntax::plain("build"),
        lifetimes: &[],
        inputs: vec![syntax::receiver(syntax::Receiver::Value)],
        output: Some(syntax::ty(result)),
    };
    let built = syntax::struct_expr(syntax::path([name]), takes);
    let build = build.with_body(vec![syntax::tail(syntax::call(syntax::path_expr(word("Ok")), [built]))]);
    let builder_impl = syntax::item_impl(
        None,
        syntax::ty(syntax::path([builder])),
        builder_setters.chain(std::iter::once(build)).collect(),
    );

    Ok(vec![inherent, builder_struct, builder_impl])
}
