//! Operation descriptors (`Operation` impls) and the client's methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::doc_attrs;
use super::ident;
use super::types::{field_type, value_type};
use crate::ir::{Ir, Occurs, OpResult, Operation, Prim, TypeRef};

pub fn emit_operations(ir: &Ir, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let markers = ir.operations.iter().map(|op| {
        let marker = format_ident!("{}", op.marker);
        let name = &op.name;
        let a11 = op.soap11_action.clone().unwrap_or_default();
        let a12 = op.soap12_action.clone().or(op.soap11_action.clone()).unwrap_or_default();
        let idempotent = op.idempotent;
        let req = format_ident!("{}", op.request);
        let resp = format_ident!("{}", op.response);
        let headers = op.headers.iter().map(|(q, _)| {
            let ns = &q.ns;
            let local = &q.local;
            quote!((#ns, #local))
        });
        let doc = format!(" The `{name}` operation: request `{}`, response `{}`.", op.request, op.response);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub struct #marker;

            impl #rt::Operation for #marker {
                const NAME: &'static str = #name;
                const SOAP_ACTION: &'static str = #a11;
                const SOAP12_ACTION: &'static str = #a12;
                const IDEMPOTENT: bool = #idempotent;
                const HEADERS: &'static [(&'static str, &'static str)] = &[#(#headers),*];
                type Request = super::types::#req;
                type Response = super::types::#resp;
            }
        }
    });
    let names = ir.operations.iter().map(|op| &op.name);
    quote! {
        use super::types;

        /// Every operation of the service, in WSDL order.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        #(#markers)*

        #[allow(unused_imports)]
        use types as _;
    }
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
    let mut notes = Vec::new();
    let mut wire = format!("SOAP operation `{}`", op.name);
    if let Some(a) = &op.soap11_action {
        wire.push_str(&format!(", action `{a}`"));
    }
    wire.push('.');
    notes.push(wire);
    notes.push(if op.idempotent {
        "Read-only: the client may retry it after a failure that cannot have reached the service.".to_owned()
    } else {
        "Not idempotent: never retried automatically.".to_owned()
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
    doc_attrs(op.doc.as_deref(), &notes)
}

/// `impl Client { pub async fn op(...) }` for every operation (`pub fn` and a synchronous
/// `call` when `is_async` is false).
pub fn emit_client(ir: &Ir, paths: &Paths, client: &TokenStream, error: &TokenStream, is_async: bool) -> TokenStream {
    let asyncness = is_async.then(|| quote!(async));
    let dot_await = is_async.then(|| quote!(.await));
    let methods = ir.operations.iter().map(|op| {
        let method = ident(&op.rust_name);
        let marker = format_ident!("{}", op.marker);
        let req = format_ident!("{}", op.request);
        let resp = format_ident!("{}", op.response);
        let fields = ir
            .types
            .iter()
            .find_map(|t| match t {
                crate::ir::TypeDef::Struct(s) if s.rust_name == op.request => Some(s.fields.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let (params, build) = if op.takes_request {
            (quote!(request: &types::#req), quote!())
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
            (quote!(#(#ps),*), quote!(let request = &types::#req { #(#inits),* };))
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
        let docs = method_doc(ir, op);
        quote! {
            #docs
            pub #asyncness fn #method(&self, #params) -> ::core::result::Result<#ret, #error> {
                #build
                let response = self.call::<operations::#marker>(request) #dot_await ?;
                #finish
            }
        }
    });
    quote! {
        use super::{operations, types};

        impl #client {
            #(#methods)*
        }
    }
}
