//! IR to Rust source: `quote!` → `syn::File` → `prettyplease`. Knows tokens, not XML.

mod client;
mod docs;
mod faults;
mod server;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::Ir;
use crate::{GeneratedFile, Options};

/// Token paths the generated code refers to.
pub(crate) struct Paths {
    pub runtime: TokenStream,
    /// Prefix of generated type names (`types::` outside the types module).
    pub types_prefix: TokenStream,
}

fn path_tokens(path: &str, what: &str) -> Result<TokenStream, Diagnostics> {
    syn::parse_str::<syn::Path>(path).map(|p| quote!(#p)).map_err(|e| {
        Diagnostic::new(Span::default(), "Options", format!("`{path}` is not a Rust path for {what}: {e}")).into()
    })
}

fn render(tokens: TokenStream, header: &str, inner_doc: &str) -> Result<String, Diagnostics> {
    Ok(wrap(header, inner_doc, &render_body(tokens)?))
}

/// Tokens → `syn::File` → prettyplease text.
fn render_body(tokens: TokenStream) -> Result<String, Diagnostics> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            Span::default(),
            "emit",
            format!("generated tokens do not parse as Rust (a generator bug): {e}"),
        ))
    })?;
    Ok(prettyplease::unparse(&file))
}

/// The header line and inner doc comment, then the rendered body.
fn wrap(header: &str, inner_doc: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 256);
    out.push_str(header);
    for line in inner_doc.lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str("//! ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(body);
    out
}

/// Types at or above which the types module is emitted and rendered on several threads.
const PARALLEL_TYPES: usize = 256;

/// The types module. Emitting and rendering it is most of the generator's time on a large
/// WSDL, and its items are independent: from [`PARALLEL_TYPES`] types on, it is cut into
/// chunks that worker threads (one per core) take in turn, and the texts are joined in order.
/// Many small chunks rather than one per thread: types differ in size by an order of
/// magnitude, so equal counts are unequal work. prettyplease prints a file item by item, so
/// the result is the same bytes as one render (`chunked_render_is_identical` checks it).
/// proc-macro2's tokens are not `Send`: each chunk builds its own paths and tokens from the
/// IR, which is shared.
fn render_types(ir: &Ir, options: &Options, header: &str) -> Result<String, Diagnostics> {
    const DOC: &str = "Types of the service's schema, with their XML codecs.";
    /// Chunks per worker thread.
    const CHUNKS_PER_THREAD: usize = 8;
    // The runtime is imported once as `rt`: type names are UpperCamelCase, so none shadows it,
    // and the short path is a third of the tokens to build, parse and print.
    let runtime = path_tokens(&options.runtime_path, "the runtime")?;
    let mut text = if ir.types.is_empty() { String::new() } else { render_body(quote!(use #runtime as rt;))? + "\n" };
    let body = |defs: &[crate::ir::TypeDef]| -> Result<String, Diagnostics> {
        let paths = Paths { runtime: quote!(rt), types_prefix: quote!() };
        let items = defs.iter().map(|t| types::emit_type(t, &paths));
        render_body(quote!(#(#items)*))
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    if threads < 2 || ir.types.len() < PARALLEL_TYPES {
        text.push_str(&body(&ir.types)?);
        return Ok(wrap(header, DOC, &text));
    }
    let chunks: Vec<&[crate::ir::TypeDef]> =
        ir.types.chunks(ir.types.len().div_ceil(threads * CHUNKS_PER_THREAD)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut rendered: Vec<(usize, Result<String, Diagnostics>)> = std::thread::scope(|scope| {
        let (body, chunks, next) = (&body, &chunks, &next);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(defs) = chunks.get(i) else { break done };
                        done.push((i, body(defs)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    rendered.sort_by_key(|(i, _)| *i);
    for (_, b) in rendered {
        text.push_str(&b?);
    }
    Ok(wrap(header, DOC, &text))
}

/// Renders every generated file.
pub(crate) fn emit(ir: &Ir, options: &Options) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let paths = Paths { runtime: path_tokens(&options.runtime_path, "the runtime")?, types_prefix: quote!() };
    let outside = Paths { runtime: paths.runtime.clone(), types_prefix: quote!(types::) };
    let header = format!(
        "// @generated by engageip-codegen from {}. Do not edit by hand: run `{}`.\n",
        options.source_name, options.regen_command
    );
    let mut files = Vec::new();

    files.push(GeneratedFile { path: "types.rs".to_owned(), text: render_types(ir, options, &header)? });
    files.push(GeneratedFile {
        path: "operations.rs".to_owned(),
        text: render(
            client::emit_operations(ir, &paths),
            &header,
            "One descriptor per operation: name, SOAP actions, request and response types.",
        )?,
    });
    files.push(GeneratedFile {
        path: "faults.rs".to_owned(),
        text: render(faults::emit_faults(ir, &paths), &header, "The faults the service documents.")?,
    });
    let mut modules = vec![
        quote!(
            pub mod faults;
        ),
        quote!(
            pub mod operations;
        ),
        quote!(
            pub mod types;
        ),
    ];
    if let Some(client_path) = &options.client_type {
        let client_ty = path_tokens(client_path, "the client type")?;
        let error_ty = path_tokens(&options.error_type, "the error type")?;
        files.push(GeneratedFile {
            path: "client.rs".to_owned(),
            text: render(
                client::emit_client(ir, &outside, &client_ty, &error_ty, true),
                &header,
                "The client's methods, one per operation.",
            )?,
        });
        modules.insert(
            0,
            quote!(
                pub mod client;
            ),
        );
    }
    if let Some(client_path) = &options.blocking_client_type {
        let client_ty = path_tokens(client_path, "the blocking client type")?;
        let error_ty = path_tokens(&options.error_type, "the error type")?;
        files.push(GeneratedFile {
            path: "blocking.rs".to_owned(),
            text: render(
                client::emit_client(ir, &outside, &client_ty, &error_ty, false),
                &header,
                "The blocking client's methods, one per operation.",
            )?,
        });
        let gate = options.blocking_feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        modules.insert(0, quote!(#gate pub mod blocking;));
    }
    if options.server {
        files.push(GeneratedFile {
            path: "server.rs".to_owned(),
            text: render(
                server::emit_server(ir, &outside),
                &header,
                "The server side: a trait with one async method per operation, and a dispatcher.",
            )?,
        });
        let gate = options.server_feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        modules.push(quote!(#gate pub mod server;));
    }
    let service_doc = ir.service_doc.clone().unwrap_or_default();
    let mut doc = format!("Generated from the `{}` service (namespace `{}`).", ir.service_name, ir.target_ns);
    if !service_doc.is_empty() {
        doc.push_str("\n\n");
        doc.push_str(&docs::sanitize(&service_doc));
    }
    files.push(GeneratedFile { path: "mod.rs".to_owned(), text: render(quote!(#(#modules)*), &header, &doc)? });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    /// Rendering the types module in chunks gives the same text as rendering it whole.
    #[test]
    fn chunked_render_is_identical() {
        let mut wsdl = String::from(
            r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t"><wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="urn:t">"#,
        );
        let n = super::PARALLEL_TYPES + 9;
        wsdl.push_str("<s:element name=\"Op\"><s:complexType><s:sequence>");
        for i in 0..n {
            wsdl.push_str(&format!("<s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"F{i}\" type=\"tns:T{i}\" />"));
        }
        wsdl.push_str(
            "</s:sequence></s:complexType></s:element><s:element name=\"OpResponse\"><s:complexType /></s:element>",
        );
        for i in 0..n {
            wsdl.push_str(&format!(
                "<s:complexType name=\"T{i}\"><s:annotation><s:documentation>Type {i}.</s:documentation></s:annotation><s:sequence><s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"A\" type=\"s:int\" /><s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"B\" type=\"s:string\" /></s:sequence></s:complexType>"
            ));
        }
        wsdl.push_str(r#"</s:schema></wsdl:types><wsdl:message name="In"><wsdl:part name="parameters" element="tns:Op" /></wsdl:message><wsdl:message name="Out"><wsdl:part name="parameters" element="tns:OpResponse" /></wsdl:message><wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:In" /><wsdl:output message="tns:Out" /></wsdl:operation></wsdl:portType><wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" /><wsdl:operation name="Op"><soap:operation soapAction="urn:t/Op" style="document" /><wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation></wsdl:binding><wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://localhost/" /></wsdl:port></wsdl:service></wsdl:definitions>"#);
        let input = crate::Input::new("t.wsdl", wsdl);
        let options = crate::Options::default();
        let files = crate::generate(&input, &options).unwrap_or_else(|d| panic!("{d}"));
        let chunked = files.iter().find(|f| f.path == "types.rs").map(|f| f.text.clone()).unwrap_or_default();
        assert!(chunked.contains(&format!("pub struct T{}", n - 1)));
        // The same IR, rendered in one piece.
        let defs = crate::parse::parse_definitions(&input).unwrap_or_else(|d| panic!("{d}"));
        let ir = crate::ir::build(&defs, &crate::annotations::Annotations::default(), &options)
            .unwrap_or_else(|d| panic!("{d}"));
        let paths = super::Paths { runtime: quote!(rt), types_prefix: quote!() };
        let items = ir.types.iter().map(|t| super::types::emit_type(t, &paths));
        let whole = super::render_body(quote!(#(#items)*)).unwrap_or_else(|d| panic!("{d}"));
        assert!(chunked.ends_with(&whole), "chunked rendering differs from one render");
    }
}
