//! The server side: a trait with one async method per operation, the faults an
//! implementation returns, the decoded SOAP headers, and a transport-neutral dispatcher.
//!
//! Everything service-independent (content types, envelope versions, ASMX's fault and error
//! shapes) lives in the runtime's `server` module; this file only emits the per-service tables
//! and the match that decodes a request, calls the trait and encodes its result.

use quote::{format_ident, quote};

use super::docs::docs;
use super::types::{field_ty, value_ty};
use super::{Paths, ident, syntax};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::{Ir, Occurs, OpResult, Operation, TypeRef};

/// `types::name`.
fn types_path(name: &str) -> syn::Path {
    syntax::path([syntax::plain("types"), format_ident!("{}", name)])
}

/// (return type, expression building the response struct from `result`).
fn result_shape(op: &Operation, paths: &Paths) -> (syn::Type, syn::Expr) {
    let result = || syntax::var(syntax::plain("result"));
    match &op.result {
        OpResult::Unit => {
            let response = syntax::struct_expr(types_path(&op.response), []);
            let check = syntax::let_pat(syntax::pat_unit(), result());
            (syntax::unit_ty(), syntax::block_expr(vec![check, syntax::tail(response)]))
        }
        OpResult::Whole => (syntax::ty(types_path(&op.response)), result()),
        OpResult::Field(f) => {
            let id = ident(&f.rust_name);
            if matches!(f.ty, TypeRef::Array { .. }) && f.occurs == Occurs::Optional {
                let some = syntax::path_expr(syntax::global_path(&["core", "option", "Option", "Some"]));
                let value = syntax::call(some, [result()]);
                (value_ty(&f.ty, paths), syntax::struct_expr(types_path(&op.response), [(id, value)]))
            } else {
                (field_ty(f, paths), syntax::struct_expr(types_path(&op.response), [(id, result())]))
            }
        }
    }
}

/// The trait's method serving `op`:
/// `fn op(&self, request: types::Request) -> impl Future<Output = Result<T, ServerFault>> + Send;`.
fn trait_method(ir: &Ir, op: &Operation, paths: &Paths) -> syn::TraitItem {
    let (ret, _) = result_shape(op, paths);
    let server_fault = syntax::ty(syntax::path([syntax::plain("ServerFault")]));
    let result = syntax::ty(syntax::generic(syntax::global_path(&["core", "result", "Result"]), [ret, server_fault]));
    let future = syntax::with_assoc(syntax::global_path(&["core", "future", "Future"]), "Output", result);
    let output = syntax::impl_traits([future, syntax::global_path(&["core", "marker", "Send"])]);
    syntax::Fn {
        attrs: docs(op.doc.as_deref(), &method_notes(ir, op)),
        public: false,
        name: ident(&op.rust_name),
        lifetimes: &[],
        inputs: vec![
            syntax::receiver(syntax::Receiver::Ref),
            syntax::arg(syntax::plain("request"), syntax::ty(types_path(&op.request))),
        ],
        output: Some(output),
    }
    .declaration()
}

/// `::core::result::Result::Variant(binding)` as a pattern.
fn result_pat(variant: &str, binding: &str) -> syn::Pat {
    syntax::pat_tuple_struct(
        syntax::global_path(&["core", "result", "Result", variant]),
        [syntax::pat_ident(syntax::plain(binding), false)],
    )
}

/// `incoming.fault(fault.code(), fault.message())`.
fn answer_fault() -> syn::Expr {
    let fault = || syntax::var(syntax::plain("fault"));
    let args = [syntax::method(fault(), "code", []), syntax::method(fault(), "message", [])];
    syntax::method(syntax::var(syntax::plain("incoming")), "fault", args)
}

/// The dispatcher's arm calling `op`: checks the headers with the hook, calls the method and
/// answers with its result or fault.
fn call_arm(op: &Operation, variant: &syn::Ident, auth: &syn::Ident, paths: &Paths) -> syn::Arm {
    let var = |name: &str| syntax::var(syntax::plain(name));
    let service =
        |method: syn::Ident, args: Vec<syn::Expr>| syntax::await_(syntax::method_named(var("service"), method, args));
    let hook = service(auth.clone(), vec![syntax::lit_str(&op.name), syntax::reference(var("headers"), false)]);
    let refuse = syntax::if_(
        syntax::let_expr(result_pat("Err", "fault"), hook),
        vec![syntax::semi(syntax::return_(answer_fault()))],
    );
    let incoming = || var("incoming");
    let answer = if op.one_way {
        syntax::block_expr(vec![
            syntax::let_pat(syntax::pat_unit(), var("result")),
            syntax::tail(syntax::method(incoming(), "accepted", [])),
        ])
    } else {
        let (_, build) = result_shape(op, paths);
        syntax::method(incoming(), "respond", [syntax::reference(build, false)])
    };
    let outcome = syntax::match_(
        service(ident(&op.rust_name), vec![var("request")]),
        vec![syntax::arm(result_pat("Ok", "result"), answer), syntax::arm(result_pat("Err", "fault"), answer_fault())],
    );
    let pat = syntax::pat_tuple_struct(
        syntax::path([syntax::plain("Decoded"), variant.clone()]),
        [syntax::pat_ident(syntax::plain("request"), false)],
    );
    syntax::arm(pat, syntax::block_expr(vec![syntax::tail(refuse), syntax::tail(outcome)]))
}

/// A generator bug: the dispatcher's quoted skeleton lacks a place for the operations' arms.
fn no_place(what: &str) -> Diagnostics {
    Diagnostic::new(Span::default(), "emit", format!("the dispatcher has no {what} (a generator bug)")).into()
}

/// The arms of the `match` ending `block` (the dispatcher's `match decoded`).
fn tail_match(block: &mut syn::Block) -> Option<&mut Vec<syn::Arm>> {
    match block.stmts.last_mut()? {
        syn::Stmt::Expr(syn::Expr::Match(m), None) => Some(&mut m.arms),
        _ => None,
    }
}

/// The arms of the `Ok(match op { ... })` ending the body closure the dispatcher passes to
/// `incoming.decode`.
fn decode_match(block: &mut syn::Block) -> Option<&mut Vec<syn::Arm>> {
    block.stmts.iter_mut().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else { return None };
        let syn::Expr::MethodCall(call) = &mut *local.init.as_mut()?.expr else { return None };
        if call.method != "decode" {
            return None;
        }
        let syn::Expr::Closure(body) = call.args.last_mut()? else { return None };
        let syn::Expr::Block(body) = &mut *body.body else { return None };
        let syn::Stmt::Expr(syn::Expr::Call(ok), None) = body.block.stmts.last_mut()? else { return None };
        let syn::Expr::Match(m) = ok.args.first_mut()? else { return None };
        Some(&mut m.arms)
    })
}

/// What a trait method's doc says after the operation's own prose.
fn method_notes(ir: &Ir, op: &Operation) -> Vec<String> {
    let mut notes = vec![format!(
        "Serves SOAP operation `{}`: takes its request wrapper, returns what the client's method returns.",
        op.name
    )];
    if op.one_way {
        notes.push("One-way: `Ok` is answered with HTTP 202 and no body.".to_owned());
    }
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

/// `server.rs`: the trait, `ServerFault`, `RequestHeaders` and `dispatch`.
pub fn emit_server(ir: &Ir, paths: &Paths) -> Result<Vec<syn::Item>, Diagnostics> {
    let rt = &paths.runtime;
    let trait_id = format_ident!("{}", ir.server_trait);
    let auth = ident(&ir.auth_hook);

    // The decoded headers.
    let header_decls = ir.headers.iter().map(|h| {
        let (q, id, ty) = (&h.element, ident(&h.field), format_ident!("{}", h.rust_type));
        let doc = format!(" The `{}` header (`{{{}}}{}`), when the request carried it.", q.local, q.ns, q.local);
        quote! {
            #[doc = #doc]
            pub #id: ::core::option::Option<types::#ty>,
        }
    });
    // `mut` only when some header is decoded into it (a service without headers: unused_mut).
    let headers_mut = (!ir.headers.is_empty()).then(|| quote!(mut));
    let header_decode = ir.headers.iter().map(|h| {
        let (id, ty) = (ident(&h.field), format_ident!("{}", h.rust_type));
        let ns = &h.element.ns;
        let local = &h.element.local;
        quote! {
            if r.is(h, #ns, #local) {
                headers.#id = ::core::option::Option::Some(<types::#ty as #rt::XmlContent>::decode_content(r, h)?);
                return ::core::result::Result::Ok(true);
            }
        }
    });

    // Routing tables and the dispatch match.
    let variants: Vec<_> = ir.operations.iter().map(|op| format_ident!("{}", op.marker)).collect();
    let actions = ir.operations.iter().zip(&variants).map(|(op, v)| {
        let a11 = op.soap11_action.clone().unwrap_or_default();
        // As the client sends it: a service without a SOAP 1.2 binding is called in 1.2 with
        // the 1.1 action.
        let a12 = op.soap12_action.clone().or(op.soap11_action.clone()).unwrap_or_default();
        quote!((Op::#v, #a11, #a12))
    });
    let elements = ir.operations.iter().zip(&variants).filter_map(|(op, v)| {
        let q = op.request_element.as_ref()?;
        let (ns, local) = (&q.ns, &q.local);
        Some(quote!((Op::#v, #ns, #local)))
    });
    let decoded_variants = ir.operations.iter().zip(&variants).map(|(op, v)| {
        let req = format_ident!("{}", op.request);
        quote!(#v(types::#req),)
    });
    let mut decode_arms = Vec::new();
    for (op, v) in ir.operations.iter().zip(&variants) {
        let req = format_ident!("{}", op.request);
        decode_arms.push(syntax::parse::<syn::Arm>(quote! {
            ::core::option::Option::Some(Op::#v) => Decoded::#v(<types::#req as #rt::XmlContent>::decode_content(r, body)?),
        })?);
    }
    let mut call_arms: Vec<syn::Arm> =
        ir.operations.iter().zip(&variants).map(|(op, v)| call_arm(op, v, &auth, paths)).collect();
    // Operations whose input message has no body parts accept an empty SOAP body; any other
    // operation needs its request element there.
    let empty_inputs: Vec<_> =
        ir.operations.iter().zip(&variants).filter(|(op, _)| op.request_element.is_none()).map(|(_, v)| v).collect();
    let empty_guard = if empty_inputs.is_empty() {
        quote!(#rt::server::require_body_element(r, body, false)?;)
    } else {
        quote!(#rt::server::require_body_element(r, body, matches!(op, #(::core::option::Option::Some(Op::#empty_inputs))|*))?;)
    };
    let op_list: Vec<String> = ir.operations.iter().map(|op| format!("`{}`", op.rust_name)).collect();
    let trait_doc = format!(
        " The `{}` service, served by [`dispatch`]: implement [`{}::{}`] and one method per \
         operation ({}).",
        ir.service_name,
        trait_id,
        auth,
        op_list.join(", ")
    );
    let auth_doc = " Checks a request's SOAP headers before its operation runs, with the operation's WSDL \
                    name. An `Err` is sent as the fault instead of calling the operation.";

    let mut items = syntax::items(quote! {
        use super::{faults, types};

        /// A fault an implementation answers with. Sent with HTTP 500 as ASMX sends a
        /// `SoapException`: the code, the message as the reason, and an empty detail.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ServerFault {
            /// One of the service's documented faults: `soap:Server` (1.1) / `soap:Receiver` (1.2)
            /// with the documented text.
            Documented(faults::DocumentedFault),
            /// Any other fault.
            Custom {
                /// `Sender` (`soap:Client` in 1.1) or `Receiver` (`soap:Server` in 1.1).
                code: #rt::FaultCode,
                /// The reason text, sent as is.
                message: ::std::string::String,
            },
        }

        impl ServerFault {
            /// A fault blaming the request (`soap:Client` / `soap:Sender`).
            pub fn sender(message: impl ::core::convert::Into<::std::string::String>) -> Self {
                ServerFault::Custom { code: #rt::FaultCode::Sender, message: message.into() }
            }

            /// A fault blaming the service (`soap:Server` / `soap:Receiver`).
            pub fn receiver(message: impl ::core::convert::Into<::std::string::String>) -> Self {
                ServerFault::Custom { code: #rt::FaultCode::Receiver, message: message.into() }
            }

            /// A failure shaped as ASMX reports an exception that is not a `SoapException`:
            /// `soap:Server` with `Server was unable to process request. ---> message`.
            pub fn unhandled(message: impl ::core::fmt::Display) -> Self {
                ServerFault::receiver(::std::format!("Server was unable to process request. ---> {message}"))
            }

            /// The fault code sent.
            pub fn code(&self) -> #rt::FaultCode {
                match self {
                    ServerFault::Documented(_) => #rt::FaultCode::Receiver,
                    ServerFault::Custom { code, .. } => code.clone(),
                }
            }

            /// The reason text sent.
            pub fn message(&self) -> &str {
                match self {
                    ServerFault::Documented(fault) => fault.message(),
                    ServerFault::Custom { message, .. } => message,
                }
            }

            /// The documented fault this fault carries, looking through ASMX's wrapping.
            pub fn documented(&self) -> ::core::option::Option<faults::DocumentedFault> {
                match self {
                    ServerFault::Documented(fault) => ::core::option::Option::Some(*fault),
                    ServerFault::Custom { message, .. } => faults::DocumentedFault::from_reason(message),
                }
            }
        }

        impl ::core::convert::From<faults::DocumentedFault> for ServerFault {
            fn from(fault: faults::DocumentedFault) -> Self {
                ServerFault::Documented(fault)
            }
        }

        impl ::core::fmt::Display for ServerFault {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.message())
            }
        }

        impl ::std::error::Error for ServerFault {}

        /// The SOAP headers a request carried, decoded (each `None` when absent).
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct RequestHeaders {
            #(#header_decls)*
        }

        #[doc = #trait_doc]
        ///
        /// Each method returns a `Send` future, so `async fn` in the `impl` works and the
        /// dispatcher can run on a multi-threaded runtime.
        pub trait #trait_id: ::core::marker::Send + ::core::marker::Sync {
            #[doc = #auth_doc]
            fn #auth(&self, operation: &'static str, headers: &RequestHeaders)
                -> impl ::core::future::Future<Output = ::core::result::Result<(), ServerFault>> + ::core::marker::Send;
        }

        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Op {
            #(#variants,)*
        }

        /// (operation, SOAP 1.1 action, SOAP 1.2 action).
        const ACTIONS: &[(Op, &str, &str)] = &[#(#actions),*];

        /// (operation, request element namespace, request element name).
        const ELEMENTS: &[(Op, &str, &str)] = &[#(#elements),*];

        #[allow(clippy::large_enum_variant)]
        enum Decoded {
            #(#decoded_variants)*
            Unknown(::std::string::String, ::std::string::String),
        }

        /// Serves one HTTP request: routes it by `SOAPAction` (SOAP 1.1), the `action`
        /// content-type parameter (SOAP 1.2) or the body's wrapper element, decodes it, checks its
        /// headers with the authentication hook, calls the operation and answers with the
        /// envelope or fault ASMX would send (see the runtime's `server` module for the HTTP
        /// statuses of protocol errors).
        pub async fn dispatch<S: #trait_id + ?Sized>(service: &S, request: &#rt::server::HttpRequest<'_>) -> #rt::server::HttpResponse {
            let incoming = match #rt::server::Incoming::open(request) {
                ::core::result::Result::Ok(incoming) => incoming,
                ::core::result::Result::Err(response) => return response,
            };
            let routed = incoming.route_by_action(ACTIONS);
            if routed.is_none() && incoming.action_is_binding() {
                return incoming.unknown_action();
            }
            let #headers_mut headers = RequestHeaders::default();
            let decoded = incoming.decode(
                |r, h| {
                    #(#header_decode)*
                    let _ = (r, h);
                    ::core::result::Result::Ok(false)
                },
                |r, body| {
                    let op = routed.or_else(|| #rt::server::route_by_element(r, body, ELEMENTS));
                    #empty_guard
                    ::core::result::Result::Ok(match op {
                        ::core::option::Option::None => {
                            let ns = r.namespace(body).to_owned();
                            let local = body.local_name().to_owned();
                            r.skip(body)?;
                            Decoded::Unknown(ns, local)
                        }
                    })
                },
            );
            let decoded = match decoded {
                ::core::result::Result::Ok(decoded) => decoded,
                ::core::result::Result::Err(response) => return response,
            };
            match decoded {
                Decoded::Unknown(ns, local) => incoming.unknown_element(&ns, &local),
            }
        }
    })?;
    // The per-operation parts, built as trees, in their places in the quoted skeleton.
    for item in &mut items {
        match item {
            syn::Item::Trait(t) if t.ident == trait_id => {
                t.items.extend(ir.operations.iter().map(|op| trait_method(ir, op, paths)));
            }
            syn::Item::Fn(f) if f.sig.ident == "dispatch" => {
                decode_match(&mut f.block).ok_or_else(|| no_place("decode match"))?.splice(0..0, decode_arms.drain(..));
                tail_match(&mut f.block).ok_or_else(|| no_place("call match"))?.splice(0..0, call_arms.drain(..));
            }
            _ => {}
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use crate::{GeneratedFile, Input, Options, generate};

    const MINIMAL: &str = include_str!("../../tests/fixtures/minimal.wsdl");

    fn server_text(wsdl: &str) -> String {
        let options = Options { server: true, server_feature: Some("server".to_owned()), ..Options::default() };
        let files = generate(&Input::new("minimal.wsdl", wsdl), &options).unwrap_or_else(|d| panic!("{d}"));
        let find = |p: &str| files.iter().find(|f: &&GeneratedFile| f.path == p).map(|f| f.text.clone());
        let module = find("mod.rs").unwrap_or_default();
        assert!(module.contains("#[cfg(feature = \"server\")]\npub mod server;"), "{module}");
        find("server.rs").unwrap_or_else(|| panic!("no server.rs"))
    }

    #[test]
    fn emits_trait_headers_tables_and_dispatcher() {
        let text = server_text(MINIMAL);
        for needle in [
            "pub trait WebService",
            "fn authenticate(",
            "fn get_packages(",
            "request: types::UpdatePackage",
            "pub auth_header: ::core::option::Option<types::AuthHeader>",
            "pub enum ServerFault",
            "pub async fn dispatch<S: WebService + ?Sized>",
            "const ACTIONS",
            "const ELEMENTS",
        ] {
            assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
        }
    }

    #[test]
    fn no_server_unless_asked() {
        let files =
            generate(&Input::new("minimal.wsdl", MINIMAL), &Options::default()).unwrap_or_else(|d| panic!("{d}"));
        assert!(!files.iter().any(|f| f.path == "server.rs"));
    }

    #[test]
    fn hook_name_avoids_an_operation_named_authenticate() {
        let text = server_text(&MINIMAL.replace("UpdatePackage", "Authenticate"));
        let flat: String = text.split_whitespace().collect();
        for needle in [
            "fnauthenticate(&self,request:types::Authenticate",
            "fnauthenticate2(",
            "service.authenticate2(\"Authenticate\",&headers)",
        ] {
            assert!(flat.contains(needle), "missing `{needle}` in:\n{text}");
        }
    }

    /// Every (small enough) corpus WSDL the generator accepts also yields a server module (rendered through
    /// `syn`, so it parses as Rust); none makes the server emitter panic.
    #[test]
    fn corpus_server_modules() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wsdl-corpus");
        let entries = std::fs::read_dir(&dir).expect("codegen/tests/fixtures/wsdl-corpus is in the repository");
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".wsdl"))
            // The largest files take minutes unoptimized; `tests/corpus.rs` covers them.
            .filter(|n| std::fs::metadata(dir.join(n)).is_ok_and(|m| m.len() < 200_000))
            .collect();
        names.sort();
        let options = Options { server: true, ..Options::default() };
        let mut generated = 0;
        for name in &names {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            let input = Input::new(name.clone(), text);
            let result = std::panic::catch_unwind(|| generate(&input, &options));
            match result {
                Ok(Ok(files)) => {
                    assert!(files.iter().any(|f| f.path == "server.rs"), "{name}: no server.rs");
                    generated += 1;
                }
                Ok(Err(_)) => {}
                Err(_) => panic!("{name}: the generator panicked"),
            }
        }
        eprintln!("server modules generated for {generated} of {} corpus WSDLs", names.len());
    }
}
