//! `wsdl:definitions` to [`Definitions`].

use std::collections::BTreeSet;

use roxmltree::{Document, Node, ParsingOptions};

use super::xsd::parse_schema;
use super::{SOAP11_BINDING_NS, SOAP12_BINDING_NS, Source, WSDL_NS, XS_NS, children, documentation, is, tag};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::{
    Binding, BindingKind, BindingOperation, Definitions, HeaderRef, Message, Part, Port, PortOperation, QName,
};
use crate::{Input, SourceFile};

/// Upper bound on nodes per document: a 50 MB schema parses, a billion-node one is refused.
const NODES_LIMIT: u32 = 20_000_000;

fn parse_xml<'i>(file: &'i SourceFile) -> Result<Document<'i>, Diagnostic> {
    // roxmltree refuses DTDs by default; keep it that way (entity expansion attacks).
    let options = ParsingOptions { allow_dtd: false, nodes_limit: NODES_LIMIT, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(&file.text, options).map_err(|e| {
        let mut pos = e.pos();
        if matches!(e, roxmltree::Error::DtdDetected) {
            // roxmltree reports no position for this one: point at the declaration.
            if let Some(at) = file.text.find("<!DOCTYPE") {
                let before = &file.text[..at];
                pos.row = u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX);
                pos.col =
                    u32::try_from(before.rsplit('\n').next().unwrap_or("").chars().count() + 1).unwrap_or(u32::MAX);
            }
        }
        Diagnostic::new(
            Span { file: file.path.clone(), line: pos.row, column: pos.col },
            "XML",
            format!("the file is not well-formed XML: {e}"),
        )
    })?;
    if let Some(node) = too_deep(&doc) {
        let pos = doc.text_pos_at(node.range().start);
        return Err(Diagnostic::new(
            Span { file: file.path.clone(), line: pos.row, column: pos.col },
            tag(node),
            format!("elements nest deeper than {MAX_NESTING} levels"),
        )
        .help("flatten the schema: declare nested anonymous types as named types"));
    }
    Ok(doc)
}

/// Deepest element nesting accepted. Parsing and type conversion recurse once per level, so
/// a hostile file nesting thousands of anonymous types would otherwise overflow the stack.
const MAX_NESTING: usize = 256;

/// The first element nested deeper than [`MAX_NESTING`], found without recursion.
fn too_deep<'a, 'i>(doc: &'a Document<'i>) -> Option<Node<'a, 'i>> {
    // Document order visits a parent before its children: one pass, each depth from the
    // parent's.
    let mut depth = vec![0usize; doc.descendants().count()];
    for node in doc.descendants() {
        let Some(parent) = node.parent() else { continue };
        let d = depth[parent.id().get_usize()] + usize::from(node.is_element());
        depth[node.id().get_usize()] = d;
        if d > MAX_NESTING {
            return Some(node);
        }
    }
    None
}

/// Joins a relative `schemaLocation` to the directory of the file that names it.
fn resolve_location(from: &str, location: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in location.split('/') {
        match piece {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Parses the WSDL of `input`, the WSDL documents it imports (`wsdl:import`) and every schema
/// file they import.
pub fn parse_definitions(input: &Input) -> Result<Definitions, Diagnostics> {
    let mut diags = Diagnostics::default();
    let doc = parse_xml(&input.wsdl)?;
    let source = Source::new(&input.wsdl.path, &doc);
    let root = doc.root_element();
    if !is(root, WSDL_NS, "definitions") {
        return Err(Diagnostic::new(
            source.span(root),
            tag(root),
            format!("expected a WSDL 1.1 `definitions` element in namespace {WSDL_NS}"),
        )
        .help("WSDL 2.0 (`description`) is not supported")
        .into());
    }
    let mut defs =
        Definitions { target_ns: root.attribute("targetNamespace").unwrap_or("").to_owned(), ..Definitions::default() };
    let mut pending = Vec::new();
    let mut imported = BTreeSet::from([input.wsdl.path.clone()]);
    parse_document(input, &source, &mut defs, &mut pending, &mut imported, &mut diags);
    load_imports(input, pending, &mut defs, &mut diags);
    diags.into_result(defs)
}

/// Most WSDL documents one service may consist of (`wsdl:import`s recurse once per document).
const MAX_WSDL_DOCUMENTS: usize = 256;

/// Adds one WSDL document's declarations to `defs` (its names in its own target namespace),
/// then those of the WSDL documents it imports; schema files to load go to `pending`.
fn parse_document(
    input: &Input,
    source: &Source<'_, '_>,
    defs: &mut Definitions,
    pending: &mut Vec<(String, super::xsd::SchemaRef)>,
    imported: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let root = source.doc.root_element();
    let tns = root.attribute("targetNamespace").unwrap_or("").to_owned();
    for types in children(root).filter(|n| is(*n, WSDL_NS, "types")) {
        for schema in children(types).filter(|n| is(*n, XS_NS, "schema")) {
            for r in parse_schema(source, schema, None, &mut defs.schemas, diags) {
                pending.push((source.file.to_owned(), r));
            }
        }
    }
    for node in children(root) {
        let result = match node.tag_name().name() {
            _ if node.tag_name().namespace() != Some(WSDL_NS) => Ok(()),
            "message" => parse_message(source, node, &tns).map(|(name, m)| {
                defs.messages.insert(name, m);
            }),
            "portType" => parse_port_type(source, node, &tns).map(|(name, ops)| {
                defs.port_types.insert(name, ops);
            }),
            "binding" => parse_binding(source, node, &tns).map(|b| defs.bindings.push(b)),
            "service" => {
                if defs.service_name.is_none() {
                    defs.service_name = node.attribute("name").map(str::to_owned);
                    defs.service_doc = documentation(node);
                }
                parse_ports(source, node).map(|ports| defs.ports.extend(ports))
            }
            "import" => import_document(input, source, node, defs, pending, imported, diags),
            _ => Ok(()),
        };
        if let Err(d) = result {
            diags.push(d);
        }
    }
}

/// `wsdl:import`: the WSDL document (or schema) at `location`, resolved against the importing
/// file's directory among the files the input provides.
fn import_document(
    input: &Input,
    source: &Source<'_, '_>,
    node: Node<'_, '_>,
    defs: &mut Definitions,
    pending: &mut Vec<(String, super::xsd::SchemaRef)>,
    imported: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Result<(), Diagnostic> {
    let location = required_attr(source, node, "location")?;
    if location.contains("://") {
        return Err(Diagnostic::new(
            source.span(node),
            "wsdl:import",
            format!("`{location}` is a remote document; the generator does no network I/O"),
        )
        .help("save the imported WSDL next to the importing one and point `location` at the file"));
    }
    let path = resolve_location(source.file, location);
    if !imported.insert(path.clone()) {
        return Ok(());
    }
    if imported.len() > MAX_WSDL_DOCUMENTS {
        return Err(Diagnostic::new(
            source.span(node),
            "wsdl:import",
            format!("more than {MAX_WSDL_DOCUMENTS} imported WSDL documents"),
        ));
    }
    let Some(file) = input.schemas.iter().find(|f| f.path == path) else {
        return Err(Diagnostic::new(source.span(node), "wsdl:import", format!("WSDL file `{path}` was not provided"))
            .help("put the imported WSDL next to the importing one (Input::schemas holds it, named by its path relative to the WSDL's directory)"));
    };
    let doc = parse_xml(file)?;
    let imported_source = Source::new(&file.path, &doc);
    let root = doc.root_element();
    if is(root, XS_NS, "schema") {
        // WSDL 1.1 allows importing a schema this way too.
        for r in parse_schema(&imported_source, root, None, &mut defs.schemas, diags) {
            pending.push((file.path.clone(), r));
        }
        return Ok(());
    }
    if !is(root, WSDL_NS, "definitions") {
        return Err(Diagnostic::new(
            imported_source.span(root),
            tag(root),
            "a `wsdl:import`ed document must be a WSDL 1.1 `definitions` or an `xs:schema`",
        ));
    }
    parse_document(input, &imported_source, defs, pending, imported, diags);
    Ok(())
}

fn load_imports(
    input: &Input,
    mut pending: Vec<(String, super::xsd::SchemaRef)>,
    defs: &mut Definitions,
    diags: &mut Diagnostics,
) {
    let mut loaded = BTreeSet::new();
    while let Some((from, r)) = pending.pop() {
        let path = resolve_location(&from, &r.location);
        // A chameleon include (a schema without a target namespace) takes the includer's, so
        // the same file may be loaded once per namespace.
        let chameleon = if r.include { r.including_ns.clone() } else { None };
        if !loaded.insert((path.clone(), chameleon)) {
            continue;
        }
        let Some(file) = input.schemas.iter().find(|f| f.path == path) else {
            if r.namespace.as_deref() == Some(super::XML_NS) {
                // xml.xsd declares only the `xml:` attributes, which the generator knows.
                continue;
            }
            if r.location.contains("://") {
                diags.push(
                    Diagnostic::new(
                        r.span,
                        "xs:import",
                        format!("`{}` is a remote schema; the generator does no network I/O", r.location),
                    )
                    .help("save the schema next to the WSDL and point schemaLocation at the file"),
                );
            } else {
                diags.push(Diagnostic::new(r.span, "xs:import", format!("schema file `{path}` was not provided"))
                    .help("pass every .xsd the WSDL imports in Input::schemas, named by its path relative to the WSDL's directory"));
            }
            continue;
        };
        let doc = match parse_xml(file) {
            Ok(d) => d,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let source = Source::new(&file.path, &doc);
        let root = doc.root_element();
        if !is(root, XS_NS, "schema") {
            diags.push(Diagnostic::new(source.span(root), tag(root), "expected an xs:schema root element"));
            continue;
        }
        let inherited = if r.include { r.including_ns.as_deref() } else { None };
        for next in parse_schema(&source, root, inherited, &mut defs.schemas, diags) {
            pending.push((file.path.clone(), next));
        }
    }
}

fn required_attr<'a>(source: &Source<'_, '_>, node: Node<'a, '_>, attr: &str) -> Result<&'a str, Diagnostic> {
    node.attribute(attr)
        .ok_or_else(|| Diagnostic::new(source.span(node), tag(node), format!("attribute `{attr}` is required")))
}

fn parse_message(source: &Source<'_, '_>, node: Node<'_, '_>, tns: &str) -> Result<(QName, Message), Diagnostic> {
    let name = required_attr(source, node, "name")?;
    let mut parts = Vec::new();
    for part in children(node).filter(|n| is(*n, WSDL_NS, "part")) {
        parts.push(Part {
            name: required_attr(source, part, "name")?.to_owned(),
            element: source.qname(part, "element")?,
            type_name: source.qname(part, "type")?,
            span: source.span(part),
        });
    }
    Ok((QName::new(tns, name), Message { parts, span: source.span(node) }))
}

fn parse_port_type(
    source: &Source<'_, '_>,
    node: Node<'_, '_>,
    tns: &str,
) -> Result<(QName, Vec<PortOperation>), Diagnostic> {
    let name = required_attr(source, node, "name")?;
    let mut ops = Vec::new();
    for op in children(node).filter(|n| is(*n, WSDL_NS, "operation")) {
        let mut input = None;
        let mut output = None;
        for child in children(op) {
            if is(child, WSDL_NS, "input") {
                input = source.qname(child, "message")?;
            } else if is(child, WSDL_NS, "output") {
                output = source.qname(child, "message")?;
            }
        }
        ops.push(PortOperation {
            name: required_attr(source, op, "name")?.to_owned(),
            input,
            output,
            doc: documentation(op),
            span: source.span(op),
        });
    }
    Ok((QName::new(tns, name), ops))
}

fn parse_binding(source: &Source<'_, '_>, node: Node<'_, '_>, tns: &str) -> Result<Binding, Diagnostic> {
    let name = QName::new(tns, required_attr(source, node, "name")?);
    let port_type = source
        .qname(node, "type")?
        .ok_or_else(|| Diagnostic::new(source.span(node), "wsdl:binding", "attribute `type` is required"))?;
    let mut kind = BindingKind::Other;
    let mut default_style = "document".to_owned();
    let mut operations = Vec::new();
    for child in children(node) {
        let ns = child.tag_name().namespace();
        let is_soap = ns == Some(SOAP11_BINDING_NS) || ns == Some(SOAP12_BINDING_NS);
        if is_soap && child.tag_name().name() == "binding" {
            kind = if ns == Some(SOAP11_BINDING_NS) { BindingKind::Soap11 } else { BindingKind::Soap12 };
            if let Some(style) = child.attribute("style") {
                default_style = style.to_owned();
            }
        }
    }
    for op in children(node).filter(|n| is(*n, WSDL_NS, "operation")) {
        let mut soap_action = None;
        let mut style = default_style.clone();
        let mut input = BindingIo::default();
        let mut output = BindingIo::default();
        for child in children(op) {
            let ns = child.tag_name().namespace();
            let is_soap = ns == Some(SOAP11_BINDING_NS) || ns == Some(SOAP12_BINDING_NS);
            if is_soap && child.tag_name().name() == "operation" {
                soap_action = child.attribute("soapAction").map(str::to_owned);
                if let Some(s) = child.attribute("style") {
                    style = s.to_owned();
                }
            } else if is(child, WSDL_NS, "input") {
                input = parse_binding_io(source, child)?;
            } else if is(child, WSDL_NS, "output") {
                output = parse_binding_io(source, child)?;
            }
        }
        operations.push(BindingOperation {
            name: required_attr(source, op, "name")?.to_owned(),
            soap_action,
            style,
            body_use: input.body_use,
            headers: input.headers,
            body_parts: input.parts,
            body_namespace: input.namespace,
            output_body_parts: output.parts,
            output_body_namespace: output.namespace,
            output_headers: output.headers,
            span: source.span(op),
        });
    }
    Ok(Binding { name, port_type, kind, operations, span: source.span(node) })
}

/// What a binding operation's `wsdl:input` or `wsdl:output` says about the SOAP body and
/// headers.
struct BindingIo {
    body_use: String,
    parts: Option<Vec<String>>,
    namespace: Option<String>,
    headers: Vec<HeaderRef>,
}

impl Default for BindingIo {
    fn default() -> Self {
        BindingIo { body_use: "literal".to_owned(), parts: None, namespace: None, headers: Vec::new() }
    }
}

fn parse_binding_io(source: &Source<'_, '_>, node: Node<'_, '_>) -> Result<BindingIo, Diagnostic> {
    let mut io = BindingIo::default();
    for item in children(node) {
        let ns = item.tag_name().namespace();
        if ns != Some(SOAP11_BINDING_NS) && ns != Some(SOAP12_BINDING_NS) {
            continue;
        }
        match item.tag_name().name() {
            "body" => {
                if let Some(u) = item.attribute("use") {
                    io.body_use = u.to_owned();
                }
                io.parts = item.attribute("parts").map(|p| p.split_whitespace().map(str::to_owned).collect());
                io.namespace = item.attribute("namespace").map(str::to_owned);
            }
            "header" => {
                let message = source
                    .qname(item, "message")?
                    .ok_or_else(|| Diagnostic::new(source.span(item), tag(item), "attribute `message` is required"))?;
                io.headers.push(HeaderRef {
                    message,
                    part: required_attr(source, item, "part")?.to_owned(),
                    span: source.span(item),
                });
            }
            _ => {}
        }
    }
    Ok(io)
}

fn parse_ports(source: &Source<'_, '_>, node: Node<'_, '_>) -> Result<Vec<Port>, Diagnostic> {
    let mut ports = Vec::new();
    for port in children(node).filter(|n| is(*n, WSDL_NS, "port")) {
        let binding = source
            .qname(port, "binding")?
            .ok_or_else(|| Diagnostic::new(source.span(port), "wsdl:port", "attribute `binding` is required"))?;
        let address = children(port)
            .find(|n| n.tag_name().name() == "address")
            .and_then(|a| a.attribute("location"))
            .map(str::to_owned);
        ports.push(Port { name: required_attr(source, port, "name")?.to_owned(), binding, address });
    }
    Ok(ports)
}
