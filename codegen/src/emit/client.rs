//! Operation descriptors (`Operation` impls) and the client's methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::doc_attrs;
use super::ident;
use super::types::{field_type, value_type};
use std::collections::BTreeMap;

use super::docs::docs;
use super::syntax;
use super::types::{field_ty, value_ty};
use crate::diagnostics::Diagnostics;
use crate::ir::{Field, Ir, Occurs, OpResult, Operation, Prim, TypeDef, TypeRef};

pub fn emit_operations(ir: &Ir, paths: &Paths) -> Result<Vec<syn::Item>, Diagnostics> {
    let names = ir.operations.iter().map(|op| &op.name);
    let mut items = syntax::items(quote! {
        use super::types;

        /// Every operation of the service, in WSDL order.
        pub const OPERATIONS: &[&str] = &[#(#names),*];
    })?;
    for op in &ir.operations {
        items.extend(operation(ir, op, paths));
    }
    items.extend(syntax::items(quote! {
        #[allow(unused_imports)]
        use types as _;
    })?);
    Ok(items)
}

/// One operation's descriptor: its marker struct and `impl Operation`.
fn operation(ir: &Ir, op: &Operation, paths: &Paths) -> [syn::Item; 2] {
    let marker = format_ident!("{}", op.marker);
    let name = &op.name;
    let a11 = op.soap11_action.clone().unwrap_or_default();
    let a12 = op.soap12_action.clone().or(op.soap11_action.clone()).unwrap_or_default();
    let doc_text = if op.one_way {
        format!("The one-way `{name}` operation: request `{}`, no response.", op.request)
    } else {
        format!("The `{name}` operation: request `{}`, response `{}`.", op.request, op.response)
    };
    let mut attrs = docs(None, &[doc_text]);
    attrs.push(syntax::attr_list("derive", quote!(Debug, Clone, Copy, PartialEq, Eq, Hash)));
    let headers = op.headers.iter().map(|(q, _)| syntax::tuple([syntax::lit_str(&q.ns), syntax::lit_str(&q.local)]));
    let headers_ty = syntax::ref_ty(
        syntax::slice_ty(syntax::tuple_ty([syntax::static_str(), syntax::static_str()])),
        false,
        Some("static"),
    );
    let bool_ty = || syntax::ty(syntax::path([syntax::plain("bool")]));
    let mut consts = vec![
        syntax::impl_const("NAME", syntax::static_str(), syntax::lit_str(name)),
        syntax::impl_const("SERVICE", syntax::static_str(), syntax::lit_str(&ir.service_name)),
        syntax::impl_const("SOAP_ACTION", syntax::static_str(), syntax::lit_str(&a11)),
        syntax::impl_const("SOAP12_ACTION", syntax::static_str(), syntax::lit_str(&a12)),
        syntax::impl_const("IDEMPOTENT", bool_ty(), syntax::lit_bool(op.idempotent)),
        syntax::impl_const("HEADERS", headers_ty, syntax::reference(syntax::array(headers), false)),
    ];
    if op.one_way {
        consts.push(syntax::impl_const("ONE_WAY", bool_ty(), syntax::lit_bool(true)));
    }
    let generated = |name: &str| {
        syntax::ty(syntax::path([syntax::plain("super"), syntax::plain("types"), format_ident!("{}", name)]))
    };
    consts.push(syntax::impl_type("Request", generated(&op.request)));
    consts.push(syntax::impl_type("Response", generated(&op.response)));
    let descriptor =
        syntax::item_impl(Some(paths.rt(&["Operation"])), syntax::ty(syntax::path([marker.clone()])), consts);
    [syntax::unit_struct(attrs, marker), descriptor]
}

fn param_type(f: &crate::ir::Field, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let v = value_type(&f.ty, paths);
    match (&f.ty, f.occurs) {
        (TypeRef::Prim(Prim::String), Occurs::Required) => quote!(impl ::core::convert::Into<::std::string::String>),
        (TypeRef::Array { .. }, _) => field_type(f, paths),
        (_, Occurs::Optional) => quote!(impl #rt::IntoOptional<#v>),
        _ => field_type(f, paths),
    }
}

fn param_value(f: &crate::ir::Field) -> TokenStream {
    let id = ident(&f.rust_name);
    match (&f.ty, f.occurs) {
        (TypeRef::Prim(Prim::String), Occurs::Required) => quote!(#id.into()),
        (TypeRef::Array { .. }, _) => quote!(#id),
        (_, Occurs::Optional) => quote!(#id.into_optional()),
        _ => quote!(#id),
    }
}

fn method_doc(ir: &Ir, op: &Operation) -> TokenStream {
    doc_attrs(op.doc.as_deref(), &method_notes(ir, op))
}

/// What a method's doc says after the operation's own prose: the wire name and action,
/// whether it is retried, its documented faults.
fn method_notes(ir: &Ir, op: &Operation) -> Vec<String> {
    let mut notes = Vec::new();
    let mut wire = format!("SOAP operation `{}`", op.name);
    if let Some(a) = &op.soap11_action {
        wire.push_str(&format!(", action `{a}`"));
    }
    wire.push('.');
    notes.push(wire);
    if op.one_way {
        notes.push(
            "One-way: the service sends nothing back; the call succeeds once it accepted the request (HTTP 200 or 202)."
                .to_owned(),
        );
    }
    notes.push(if op.idempotent {
        "Read-only: retried automatically after a failure that is safe to repeat for a read (connection \
         refused, connection closed before any response, HTTP 502/503/504); after any failure, calling it \
         again is safe."
            .to_owned()
    } else {
        "Not idempotent: never retried automatically. After a failure, act on the error's outcome: not \
         performed (nothing was sent, or the service answered with a fault): correct the cause and call \
         again; performed (the service answered HTTP 200 but the answer could not be read): do not call \
         again; unknown (sent, and no trustworthy answer: a timeout, a lost connection, a gateway error, a \
         redirect): find out whether it happened before calling again, in the service's own records, since the API's \
         read operations may not be able to confirm it."
            .to_owned()
    });
    let faults: Vec<String> = ir
        .faults
        .iter()
        .filter(|f| f.operations.iter().any(|o| o == &op.name))
        .map(|f| {
            format!(
                "`{}` ([`DocumentedFault::{}`](super::faults::DocumentedFault::{}))",
                f.message, f.rust_name, f.rust_name
            )
        })
        .collect();
    if !faults.is_empty() {
        notes.push(format!("Documented faults: {}.", faults.join(", ")));
    }
    notes
}

/// What every form of a client method shares: its docs, name, parameters, the request it
/// builds, what it returns and how the response becomes that.
struct Method {
    docs: TokenStream,
    name: proc_macro2::Ident,
    marker: proc_macro2::Ident,
    params: TokenStream,
    /// Builds `request` (a value) from the parameters; `None` when the caller passes
    /// `request: &Request` itself.
    build: Option<TokenStream>,
    ret: TokenStream,
    finish: TokenStream,
}

/// The fields of each request struct, by Rust name (the first struct of a name, as a search
/// from the start would find).
fn request_fields(ir: &Ir) -> BTreeMap<&str, &[Field]> {
    let mut fields = BTreeMap::new();
    for t in &ir.types {
        if let TypeDef::Struct(s) = t {
            fields.entry(s.rust_name.as_str()).or_insert(s.fields.as_slice());
        }
    }
    fields
}

fn methods(ir: &Ir, paths: &Paths) -> Vec<Method> {
    let requests = request_fields(ir);
    ir.operations
        .iter()
        .map(|op| {
            let name = ident(&op.rust_name);
            let marker = format_ident!("{}", op.marker);
            let req = format_ident!("{}", op.request);
            let resp = format_ident!("{}", op.response);
            let fields = requests.get(op.request.as_str()).copied().unwrap_or_default();
            let (params, build) = if op.takes_request {
                (quote!(request: &types::#req), None)
            } else {
                let ps = fields.iter().map(|f| {
                    let id = ident(&f.rust_name);
                    let ty = param_type(f, paths);
                    quote!(#id: #ty)
                });
                let inits = fields.iter().map(|f| {
                    let id = ident(&f.rust_name);
                    let v = param_value(f);
                    // `x: x` is written `x` (clippy::redundant_field_names).
                    if id == v.to_string() { quote!(#id) } else { quote!(#id: #v) }
                });
                (quote!(#(#ps),*), Some(quote!(types::#req { #(#inits),* })))
            };
            let (ret, finish) = match &op.result {
                OpResult::Unit => (quote!(()), quote!({ let _: types::#resp = response; Ok(()) })),
                OpResult::Whole => (quote!(types::#resp), quote!(Ok(response))),
                OpResult::Field(f) => {
                    let id = ident(&f.rust_name);
                    if matches!(f.ty, TypeRef::Array { .. }) && f.occurs == Occurs::Optional {
                        let t = value_type(&f.ty, paths);
                        (t, quote!(Ok(response.#id.unwrap_or_default())))
                    } else {
                        (field_type(f, paths), quote!(Ok(response.#id)))
                    }
                }
            };
            Method { docs: method_doc(ir, op), name, marker, params, build, ret, finish }
        })
        .collect()
}

/// A parameter's type, as a `syn` tree: [`param_type`]'s tokens, parsed.
fn param_ty(f: &Field, paths: &Paths) -> syn::Type {
    match (&f.ty, f.occurs) {
        (TypeRef::Prim(Prim::String), Occurs::Required) => {
            let string = syntax::ty(syntax::global_path(&["std", "string", "String"]));
            syntax::impl_trait(syntax::generic(syntax::global_path(&["core", "convert", "Into"]), [string]))
        }
        (TypeRef::Array { .. }, _) => field_ty(f, paths),
        (_, Occurs::Optional) => {
            syntax::impl_trait(syntax::generic(paths.rt(&["IntoOptional"]), [value_ty(&f.ty, paths)]))
        }
        _ => field_ty(f, paths),
    }
}

/// A request field's initializer from its parameter: [`param_value`] (`x` alone for `x: x`).
fn param_init(f: &Field) -> syn::FieldValue {
    let id = ident(&f.rust_name);
    let convert = match (&f.ty, f.occurs) {
        (TypeRef::Prim(Prim::String), Occurs::Required) => "into",
        (TypeRef::Array { .. }, _) => return syntax::field_shorthand(id),
        (_, Occurs::Optional) => "into_optional",
        _ => return syntax::field_shorthand(id),
    };
    syntax::field_init(id.clone(), syntax::method(syntax::var(id), convert, []))
}

/// `types::name`.
fn types_path(name: &str) -> syn::Path {
    syntax::path([syntax::plain("types"), format_ident!("{}", name)])
}

/// One method of the configured client type, as the `syn` tree of what [`emit_client`]'s
/// trait form quotes: `pub async fn op(&self, params) -> Result<T, Error> { ... }`.
fn inherent_method(
    ir: &Ir,
    op: &Operation,
    fields: &[Field],
    paths: &Paths,
    error: &TokenStream,
    is_async: bool,
) -> Result<syn::ImplItem, Diagnostics> {
    let mut inputs = vec![syntax::receiver(syntax::Receiver::Ref)];
    let mut body = Vec::new();
    if op.takes_request {
        let request = syntax::ref_ty(syntax::ty(types_path(&op.request)), false, None);
        inputs.push(syntax::arg(syntax::plain("request"), request));
    } else {
        inputs.extend(fields.iter().map(|f| syntax::arg(ident(&f.rust_name), param_ty(f, paths))));
        let request = syntax::struct_expr_of(types_path(&op.request), fields.iter().map(param_init));
        body.push(syntax::let_(syntax::plain("request"), false, syntax::reference(request, false)));
    }
    let marker = syntax::ty(syntax::path([syntax::plain("operations"), format_ident!("{}", op.marker)]));
    let call = syntax::method_turbofish(
        syntax::var(syntax::plain("self")),
        "call",
        marker,
        [syntax::var(syntax::plain("request"))],
    );
    let call = if is_async { syntax::await_(call) } else { call };
    body.push(syntax::let_(syntax::plain("response"), false, syntax::try_(call)));
    let response = || syntax::var(syntax::plain("response"));
    let ok = |value| syntax::call(syntax::var(syntax::plain("Ok")), [value]);
    let (ret, finish) = match &op.result {
        OpResult::Unit => {
            let check = syntax::let_typed(syntax::pat_wild(), syntax::ty(types_path(&op.response)), response());
            (syntax::unit_ty(), syntax::block_expr(vec![check, syntax::tail(syntax::ok_unit())]))
        }
        OpResult::Whole => (syntax::ty(types_path(&op.response)), ok(response())),
        OpResult::Field(f) => {
            let value = syntax::field(response(), ident(&f.rust_name));
            if matches!(f.ty, TypeRef::Array { .. }) && f.occurs == Occurs::Optional {
                (value_ty(&f.ty, paths), ok(syntax::method(value, "unwrap_or_default", [])))
            } else {
                (field_ty(f, paths), ok(value))
            }
        }
    };
    body.push(syntax::tail(finish));
    let error = syntax::parse::<syn::Type>(error.clone())?;
    let output = syntax::ty(syntax::generic(syntax::global_path(&["core", "result", "Result"]), [ret, error]));
    let signature = syntax::Fn {
        attrs: docs(op.doc.as_deref(), &method_notes(ir, op)),
        public: true,
        name: ident(&op.rust_name),
        lifetimes: &[],
        inputs,
        output: Some(output),
    };
    let mut method = signature.build(body);
    method.sig.asyncness = is_async.then(Default::default);
    Ok(syn::ImplItem::Fn(method))
}

/// The client module: `impl Client { pub async fn op(...) }` for the configured client type
/// (`inherent`: its path and error type's), and/or the client trait with the same methods,
/// implemented for every runtime `Transport`. With `is_async` false, the blocking forms:
/// `pub fn`, and a trait over `BlockingTransport`.
pub fn emit_client(
    ir: &Ir,
    paths: &Paths,
    inherent: Option<&(TokenStream, TokenStream)>,
    with_trait: bool,
    is_async: bool,
) -> Result<Vec<syn::Item>, Diagnostics> {
    let rt = &paths.runtime;
    let mut items = syntax::items(quote!(
        use super::{operations, types};
    ))?;
    if let Some((client, error)) = inherent {
        let requests = request_fields(ir);
        let mut methods = Vec::new();
        for op in &ir.operations {
            let fields = requests.get(op.request.as_str()).copied().unwrap_or_default();
            methods.push(inherent_method(ir, op, fields, paths, error, is_async)?);
        }
        items.push(syntax::item_impl(None, syntax::parse::<syn::Type>(client.clone())?, methods));
    }
    let methods = if with_trait { methods(ir, paths) } else { Vec::new() };
    let client_trait = with_trait.then(|| {
        let (name, transport, doc) = if is_async {
            let doc = format!(
                " The `{}` service's operations, as async methods of every `Transport` of the runtime (such as `engageip_api::Client`): bring the trait into scope (`use ...::client::{} as _;`) and call them.",
                ir.service_name, ir.client_trait
            );
            (format_ident!("{}", ir.client_trait), quote!(#rt::Transport), doc)
        } else {
            let doc = format!(
                " The `{}` service's operations, as blocking methods of every `BlockingTransport` of the runtime (such as `engageip_api::blocking::Client`).",
                ir.service_name
            );
            (format_ident!("{}", ir.blocking_client_trait), quote!(#rt::BlockingTransport), doc)
        };
        let items = methods.iter().map(|m| {
            let Method { docs, name, marker, params, build, ret, finish } = m;
            let (build, request) = match build {
                Some(b) => (Some(quote!(let request = #b;)), quote!(&request)),
                None => (None, quote!(request)),
            };
            if is_async {
                quote! {
                    #docs
                    fn #name(&self, #params) -> impl ::core::future::Future<Output = ::core::result::Result<#ret, Self::Error>> + ::core::marker::Send {
                        #build
                        async move {
                            let response = <Self as #transport>::call::<operations::#marker>(self, #request).await?;
                            #finish
                        }
                    }
                }
            } else {
                quote! {
                    #docs
                    fn #name(&self, #params) -> ::core::result::Result<#ret, Self::Error> {
                        #build
                        let response = <Self as #transport>::call::<operations::#marker>(self, #request)?;
                        #finish
                    }
                }
            }
        });
        quote! {
            #[doc = #doc]
            pub trait #name: #transport {
                #(#items)*
            }

            impl<T: #transport + ?Sized> #name for T {}
        }
    });
    if let Some(client_trait) = client_trait {
        items.extend(syntax::items(client_trait)?);
    }
    Ok(items)
}
