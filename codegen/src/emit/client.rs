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
        let doc = if op.one_way {
            format!(" The one-way `{name}` operation: request `{}`, no response.", op.request)
        } else {
            format!(" The `{name}` operation: request `{}`, response `{}`.", op.request, op.response)
        };
        let one_way = op.one_way.then(|| {
            quote!(
                const ONE_WAY: bool = true;
            )
        });
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
                #one_way
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
    doc_attrs(op.doc.as_deref(), &notes)
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

fn methods(ir: &Ir, paths: &Paths) -> Vec<Method> {
    ir.operations
        .iter()
        .map(|op| {
            let name = ident(&op.rust_name);
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
) -> TokenStream {
    let rt = &paths.runtime;
    let methods = methods(ir, paths);
    let inherent = inherent.map(|(client, error)| {
        let asyncness = is_async.then(|| quote!(async));
        let dot_await = is_async.then(|| quote!(.await));
        let items = methods.iter().map(|m| {
            let Method { docs, name, marker, params, build, ret, finish } = m;
            let build = build.as_ref().map(|b| quote!(let request = &#b;));
            quote! {
                #docs
                pub #asyncness fn #name(&self, #params) -> ::core::result::Result<#ret, #error> {
                    #build
                    let response = self.call::<operations::#marker>(request) #dot_await ?;
                    #finish
                }
            }
        });
        quote! {
            impl #client {
                #(#items)*
            }
        }
    });
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
    quote! {
        use super::{operations, types};

        #inherent
        #client_trait
    }
}
