//! IR to Rust source: `syn` trees → `prettyplease`, then [`layout`]. What every type and
//! operation repeats is built as trees directly ([`syntax`]); the rest is quoted with `quote!`
//! and parsed with `syn::parse2`. Knows Rust syntax, not XML.

mod attributes;
mod client;
mod constructors;
mod docs;
mod faults;
mod layout;
mod serde_attrs;
mod server;
mod syntax;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::Ir;
use crate::{GeneratedFile, Options};

/// The identifier tokens for a name the IR chose, raw where it is a keyword (`type` →
/// `r#type`).
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    if crate::ir::names::needs_raw(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// Token paths the generated code refers to.
pub(crate) struct Paths {
    pub runtime: TokenStream,
    /// Prefix of generated type names (`types::` outside the types module).
    pub types_prefix: TokenStream,
    /// The cargo feature that gates the serde derives (`Options::serde_feature`).
    pub serde_feature: Option<String>,
    /// `runtime`'s and `types_prefix`'s segments, for paths built as `syn` trees.
    runtime_segments: (bool, Vec<proc_macro2::Ident>),
    types_prefix_segments: (bool, Vec<proc_macro2::Ident>),
}

/// The segments of a module path's tokens (`crate::runtime`, `::x::y`, `types::`), and whether
/// it starts with `::`.
fn segments(path: &TokenStream) -> (bool, Vec<proc_macro2::Ident>) {
    let mut global = false;
    let mut idents = Vec::new();
    for token in path.clone() {
        match token {
            proc_macro2::TokenTree::Ident(i) => idents.push(i),
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' && idents.is_empty() => global = true,
            _ => {}
        }
    }
    (global, idents)
}

impl Paths {
    pub fn new(runtime: TokenStream, types_prefix: TokenStream, serde_feature: Option<String>) -> Paths {
        let runtime_segments = segments(&runtime);
        let types_prefix_segments = segments(&types_prefix);
        Paths { runtime, types_prefix, serde_feature, runtime_segments, types_prefix_segments }
    }

    /// `prefix::tail` as a `syn` path.
    fn join(
        (global, prefix): &(bool, Vec<proc_macro2::Ident>),
        tail: impl IntoIterator<Item = syn::Ident>,
    ) -> syn::Path {
        let mut path = syntax::path(prefix.iter().cloned().chain(tail));
        if *global {
            path.leading_colon = Some(Default::default());
        }
        path
    }

    /// A path into the runtime (`rt::XmlReader`), as a `syn` path.
    pub fn rt(&self, tail: &[&str]) -> syn::Path {
        Paths::join(&self.runtime_segments, tail.iter().map(|s| syntax::plain(s)))
    }

    /// A generated type's path (`Record1`, `types::Record1`), as a `syn` path.
    pub fn generated(&self, name: syn::Ident) -> syn::Path {
        Paths::join(&self.types_prefix_segments, [name])
    }
}

fn path_tokens(path: &str, what: &str) -> Result<TokenStream, Diagnostics> {
    syn::parse_str::<syn::Path>(path).map(|p| quote!(#p)).map_err(|e| {
        Diagnostic::new(Span::default(), "Options", format!("`{path}` is not a Rust path for {what}: {e}")).into()
    })
}

/// Checks that the runtime path names a module (`crate::runtime`, `::engageip_runtime`): no
/// generic arguments, so [`Paths::rt`] can build paths into it segment by segment.
fn check_runtime_path(path: &str) -> Result<(), Diagnostics> {
    let parsed = syn::parse_str::<syn::Path>(path).map_err(|e| -> Diagnostics {
        Diagnostic::new(Span::default(), "Options", format!("`{path}` is not a Rust path for the runtime: {e}")).into()
    })?;
    if parsed.segments.iter().any(|s| !s.arguments.is_none()) {
        return Err(Diagnostic::new(
            Span::default(),
            "Options",
            format!("`{path}` is not a module path for the runtime: it has generic arguments"),
        )
        .into());
    }
    Ok(())
}

/// Tokens → `syn::File` → prettyplease text.
fn render_body(tokens: TokenStream) -> Result<String, Diagnostics> {
    Ok(render_items(syntax::items(tokens)?))
}

/// Items → prettyplease text.
fn render_items(items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items })
}

/// The header line and inner doc comment, then the body (already laid out).
fn wrap(header: &str, inner_doc: &str, body: &Body) -> String {
    let mut out = String::with_capacity(body.len() + header.len() + inner_doc.len() * 2 + 256);
    out.push_str(header);
    let doc_lines: Vec<String> = inner_doc.lines().map(str::to_owned).collect();
    for line in layout::wrap_doc_lines(doc_lines, layout::DOC_WIDTH + 4) {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str("//! ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');
    body.push_to(&mut out);
    out
}

/// `doc` as outer doc comments (`/// ...`), for a module declared inline.
fn outer_doc(doc: &str) -> String {
    let mut out = String::new();
    for line in doc.lines() {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str("/// ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Types at or above which the types module is cut into chunks rendered in parallel.
const PARALLEL_TYPES: usize = 256;

/// Chunks of the types module per worker thread.
const CHUNKS_PER_THREAD: usize = 64;

/// One file, or one chunk of the types module, to build and render: a closure so that each
/// runs whole on one worker thread (proc-macro2's tokens are not `Send`; every job builds its
/// own paths and tokens from the IR, which is shared).
type Job<'a> = Box<dyn Fn() -> Result<String, Diagnostics> + Sync + 'a>;

fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).min(8)
}

/// Runs `jobs` on worker threads (one per core) that take them in turn, and returns their
/// results in the jobs' order. Emitting and rendering is almost all of the generator's time on
/// a large WSDL, and the pieces are independent; many small pieces rather than one per thread,
/// because types differ in size by an order of magnitude.
fn run_jobs(jobs: &[Job<'_>]) -> Vec<Result<String, Diagnostics>> {
    let threads = worker_threads().min(jobs.len());
    if threads < 2 {
        return jobs.iter().map(|job| job()).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<String, Diagnostics>)> = std::thread::scope(|scope| {
        let next = &next;
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break done };
                        done.push((i, job()));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, text)| text).collect()
}

/// One type's items as a `syn::File`, with the attribute hooks applied, printed. One file per
/// type rather than per chunk: each tree is printed and freed while it is small, where a chunk's
/// whole tree freed at once made glibc's allocator consolidate every node it had just freed
/// (a tenth of the generator's time on the synthetic WSDL). prettyplease prints a file item by
/// item, so the text is the same.
fn render_type(t: &crate::ir::TypeDef, paths: &Paths, options: &Options) -> Result<String, Diagnostics> {
    let items = types::emit_type(t, paths)?;
    let mut file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items };
    attributes::apply(&mut file, options)?;
    Ok(prettyplease::unparse(&file))
}

/// The types module's pieces, laid out: a `use` of the runtime, then the types, in chunks from
/// [`PARALLEL_TYPES`] on. prettyplease prints a file item by item, so the joined chunks are the
/// same bytes as one render (`chunked_render_is_identical` checks it). Each type's text is laid
/// out straight into its chunk's buffer, as one pass over the chunk would lay it out.
fn type_jobs<'a>(ir: &'a Ir, options: &'a Options) -> Vec<Job<'a>> {
    if ir.types.is_empty() {
        return Vec::new();
    }
    // The runtime is imported once as `rt`: type names are UpperCamelCase, so none shadows it,
    // and the short path is a third of the tokens to build, parse and print.
    let mut jobs: Vec<Job<'a>> = vec![Box::new(move || {
        let runtime = path_tokens(&options.runtime_path, "the runtime")?;
        Ok(layout::space_items(&(render_body(quote!(use #runtime as rt;))? + "\n")))
    })];
    let chunk = if ir.types.len() < PARALLEL_TYPES {
        ir.types.len()
    } else {
        ir.types.len().div_ceil(worker_threads() * CHUNKS_PER_THREAD)
    };
    for defs in ir.types.chunks(chunk) {
        jobs.push(Box::new(move || {
            let paths = Paths::new(quote!(rt), quote!(), options.serde_feature.clone());
            let mut out = String::new();
            for t in defs {
                layout::space_items_into(&mut out, &render_type(t, &paths, options)?);
            }
            Ok(out)
        }));
    }
    jobs
}

/// A generated module other than `types`: its name, its doc, the feature gating it, and the
/// job that renders its body.
struct FileJob<'a> {
    module: &'static str,
    doc: String,
    feature: Option<&'a String>,
    job: Job<'a>,
}

/// One of the two client files: the async client's methods or the blocking client's.
#[derive(Clone, Copy)]
struct ClientFile<'a> {
    /// The configured client type to add inherent methods to, if any.
    ty: &'a Option<String>,
    /// Whether to declare the client trait, implemented for every runtime transport.
    with_trait: bool,
    module: &'static str,
    doc: &'static str,
    /// What the type is, for a diagnostic about its path.
    what: &'static str,
    is_async: bool,
    feature: Option<&'a String>,
}

/// One generated module: its name, inner doc, the cargo feature gating it, and its body.
pub(crate) struct Module {
    name: &'static str,
    doc: String,
    feature: Option<String>,
    body: Body,
}

/// A module's body, laid out: pieces rendered apart (the types module's chunks), joined only
/// where the file is written, so that the largest text is copied once, into a buffer of its
/// final size.
struct Body {
    pieces: Vec<String>,
}

impl Body {
    /// The joined text's length at most: the pieces, plus the one newline
    /// [`layout::append_spaced`] may add at each seam (a capacity to reserve).
    fn len(&self) -> usize {
        self.pieces.iter().map(String::len).sum::<usize>() + self.pieces.len()
    }

    /// Appends the pieces to `out`, joined as one layout pass over their text would space them.
    fn push_to(&self, out: &mut String) {
        let mut pieces = self.pieces.iter();
        if let Some(first) = pieces.next() {
            out.push_str(first);
        }
        for piece in pieces {
            layout::append_spaced(out, piece);
        }
    }
}

/// Everything generated, before it is laid out as files ([`Emitted::into_files`]) or as one
/// self-contained file ([`Emitted::into_single_file`]).
pub(crate) struct Emitted {
    /// The `// @generated` line.
    header: String,
    /// The doc of the module holding the generated modules (the service).
    root_doc: String,
    /// The generated modules, sorted by name.
    modules: Vec<Module>,
}

impl Emitted {
    /// One file per module, and `mod.rs` declaring them: a directory to commit (as
    /// `engageip-api/src/generated/` is).
    pub(crate) fn into_files(self) -> Result<Vec<GeneratedFile>, Diagnostics> {
        let decls = self.modules.iter().map(|m| {
            let name = quote::format_ident!("{}", m.name);
            let gate = m.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
            quote!(#gate pub mod #name;)
        });
        let mod_rs = layout::space_items(&render_body(quote!(#(#decls)*))?);
        let mod_rs = Body { pieces: vec![mod_rs] };
        let mut out =
            vec![GeneratedFile { path: "mod.rs".to_owned(), text: wrap(&self.header, &self.root_doc, &mod_rs) }];
        for m in self.modules {
            out.push(GeneratedFile { path: format!("{}.rs", m.name), text: wrap(&self.header, &m.doc, &m.body) });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// One file holding every module inline (`pub mod types { ... }`), with no inner
    /// attributes, so that `pub mod x { include!(concat!(env!("OUT_DIR"), "/x.rs")); }`
    /// compiles it.
    pub(crate) fn into_single_file(self) -> String {
        let mut out = String::with_capacity(
            self.modules.iter().map(|m| m.body.len() + m.doc.len() * 2 + 256).sum::<usize>() + 1024,
        );
        out.push_str(&self.header);
        out.push_str("//\n");
        for line in self.root_doc.lines() {
            out.push_str("//");
            if !line.is_empty() {
                out.push(' ');
                out.push_str(line);
            }
            out.push('\n');
        }
        for m in &self.modules {
            out.push('\n');
            out.push_str(&outer_doc(&m.doc));
            if let Some(f) = &m.feature {
                out.push_str(&format!("#[cfg(feature = {f:?})]\n"));
            }
            out.push_str("pub mod ");
            out.push_str(m.name);
            out.push_str(" {\n");
            m.body.push_to(&mut out);
            out.push_str("}\n");
        }
        out
    }
}

/// The `// @generated` line: where the code comes from and what writes it again.
fn header(options: &Options) -> String {
    match &options.regen_command {
        Some(command) => format!(
            "// @generated by engageip-codegen from {}. Do not edit by hand: run `{command}`.\n",
            options.source_name
        ),
        None => format!(
            "// @generated by engageip-codegen from {}. Do not edit by hand: the build script writes it again.\n",
            options.source_name
        ),
    }
}

/// Renders every generated module.
pub(crate) fn emit(ir: &Ir, options: &Options) -> Result<Emitted, Diagnostics> {
    // Every configured path and attribute is checked here, once, so the jobs cannot fail on one.
    check_runtime_path(&options.runtime_path)?;
    attributes::check(ir, options)?;
    let clients = [
        ClientFile {
            ty: &options.client_type,
            with_trait: options.client_trait,
            module: "client",
            doc: "The client's methods, one per operation.",
            what: "the client type",
            is_async: true,
            feature: None,
        },
        ClientFile {
            ty: &options.blocking_client_type,
            with_trait: options.blocking_client_trait,
            module: "blocking",
            doc: "The blocking client's methods, one per operation.",
            what: "the blocking client type",
            is_async: false,
            feature: options.blocking_feature.as_ref(),
        },
    ];
    for c in &clients {
        if let Some(p) = c.ty {
            path_tokens(p, c.what)?;
            path_tokens(&options.error_type, "the error type")?;
        }
    }
    let paths = || -> Result<(Paths, Paths), Diagnostics> {
        let runtime = path_tokens(&options.runtime_path, "the runtime")?;
        let serde_feature = options.serde_feature.clone();
        let outside = Paths::new(runtime.clone(), quote!(types::), serde_feature.clone());
        Ok((Paths::new(runtime, quote!(), serde_feature), outside))
    };

    let mut files: Vec<FileJob<'_>> = Vec::new();
    for c in clients {
        if c.ty.is_none() && !c.with_trait {
            continue;
        }
        files.push(FileJob {
            module: c.module,
            doc: c.doc.to_owned(),
            feature: c.feature,
            job: Box::new(move || {
                let (_, outside) = paths()?;
                let inherent = match c.ty {
                    Some(client_path) => {
                        let client_ty = path_tokens(client_path, c.what)?;
                        let error_ty = path_tokens(&options.error_type, "the error type")?;
                        Some((client_ty, error_ty))
                    }
                    None => None,
                };
                let items = client::emit_client(ir, &outside, inherent.as_ref(), c.with_trait, c.is_async)?;
                Ok(render_items(items))
            }),
        });
    }
    if options.server {
        files.push(FileJob {
            module: "server",
            doc: "The server side: a trait with one async method per operation, and a dispatcher.".to_owned(),
            feature: options.server_feature.as_ref(),
            job: Box::new(move || Ok(render_items(server::emit_server(ir, &paths()?.1)?))),
        });
    }
    files.push(FileJob {
        module: "operations",
        doc: "One descriptor per operation: name, SOAP actions, request and response types.".to_owned(),
        feature: None,
        job: Box::new(move || Ok(render_items(client::emit_operations(ir, &paths()?.0)?))),
    });
    files.push(FileJob {
        module: "faults",
        doc: "The faults the service documents.".to_owned(),
        feature: None,
        job: Box::new(move || render_body(faults::emit_faults(ir, &paths()?.0))),
    });
    let service_doc = ir.service_doc.clone().unwrap_or_default();
    let mut root_doc = format!("Generated from the `{}` service (namespace `{}`).", ir.service_name, ir.target_ns);
    if !service_doc.is_empty() {
        root_doc.push_str("\n\n");
        root_doc.push_str(&docs::sanitize(&service_doc));
    }

    // The single files first: each is one job, and the type chunks fill in around them.
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let mut names = Vec::new();
    for file in files {
        names.push((file.module, file.doc, file.feature.cloned()));
        jobs.push(file.job);
    }
    // Each piece is laid out on its worker thread too (the type chunks lay out their types as
    // they render them); the seams between the type chunks are joined as one pass over the
    // whole text would have spaced them.
    let mut jobs: Vec<Job<'_>> = jobs
        .into_iter()
        .map(|job| -> Job<'_> { Box::new(move || job().map(|text| layout::space_items(&text))) })
        .collect();
    jobs.extend(type_jobs(ir, options));
    let mut results = run_jobs(&jobs).into_iter();
    let mut modules = Vec::new();
    for (name, doc, feature) in names {
        let body = results.next().unwrap_or_else(|| Ok(String::new()))?;
        modules.push(Module { name, doc, feature, body: Body { pieces: vec![body] } });
    }
    let pieces = results.collect::<Result<Vec<String>, Diagnostics>>()?;
    modules.push(Module {
        name: "types",
        doc: "Types of the service's schema, with their XML codecs.".to_owned(),
        feature: None,
        body: Body { pieces },
    });
    modules.sort_by(|a, b| a.name.cmp(b.name));
    Ok(Emitted { header: header(options), root_doc, modules })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn keywords_are_raw_identifiers() {
        assert_eq!(super::ident("type").to_string(), "r#type");
        assert_eq!(super::ident("async").to_string(), "r#async");
        assert_eq!(super::ident("package").to_string(), "package");
    }

    #[test]
    fn runtime_paths_are_module_paths() {
        assert!(super::check_runtime_path("crate::runtime").is_ok());
        assert!(super::check_runtime_path("::engageip_runtime").is_ok());
        assert!(super::check_runtime_path("crate::runtime<u8>").is_err());
        assert!(super::check_runtime_path("not a path").is_err());
    }

    /// The `syn` paths into the runtime and to generated types keep a leading `::` and every
    /// segment of the configured paths.
    #[test]
    fn syn_paths_follow_the_configured_ones() {
        let paths = super::Paths::new(quote!(::engageip_runtime), quote!(types::), None);
        let rt = paths.rt(&["XmlReader"]);
        assert_eq!(quote!(#rt).to_string(), ":: engageip_runtime :: XmlReader");
        let generated = paths.generated(super::syntax::plain("Record1"));
        assert_eq!(quote!(#generated).to_string(), "types :: Record1");
        let inside = super::Paths::new(quote!(rt), quote!(), None);
        let generated = inside.generated(super::syntax::plain("Record1"));
        assert_eq!(quote!(#generated).to_string(), "Record1");
    }

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
        let paths = super::Paths::new(quote!(rt), quote!(), None);
        let mut items = Vec::new();
        for t in &ir.types {
            items.extend(super::types::emit_type(t, &paths).unwrap_or_else(|d| panic!("{d}")));
        }
        let file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items };
        let whole = prettyplease::unparse(&file);
        assert!(chunked.ends_with(&super::layout::space_items(&whole)), "chunked rendering differs from one render");
    }
}
