//! Operations: port type + SOAP bindings + messages → request/response structs, actions,
//! headers and the shape of each client method.

use std::collections::BTreeSet;

use super::names::{snake_case, unique, upper_camel};
use super::types::TypeSpace;
use super::{HeaderField, OpResult, Operation, TypeDef};
use crate::annotations::Annotations;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Binding, BindingKind, Definitions, Part, PortOperation, QName};

/// Methods with more parameters than this take the generated request struct.
const MAX_DIRECT_PARAMS: usize = 4;

pub(crate) fn build_operations(
    defs: &Definitions,
    annotations: &Annotations,
    space: &mut TypeSpace<'_>,
    _options: &crate::Options,
    diags: &mut Diagnostics,
) -> Vec<Operation> {
    let soap: Vec<&Binding> = defs.bindings.iter().filter(|b| b.kind != BindingKind::Other).collect();
    let Some(primary) = soap.first() else {
        diags.push(Diagnostic::new(
            crate::diagnostics::Span { file: String::new(), line: 1, column: 1 },
            "wsdl:binding",
            "the WSDL has no SOAP 1.1 or SOAP 1.2 binding (HTTP GET/POST bindings are not generated)",
        ));
        return Vec::new();
    };
    // Every port type a SOAP binding implements, in binding order: a WSDL may describe
    // several services, and none of their operations is dropped silently.
    let mut port_types: Vec<&QName> = Vec::new();
    for b in &soap {
        if !port_types.contains(&&b.port_type) {
            port_types.push(&b.port_type);
        }
    }
    let mut port_ops = Vec::new();
    for pt in &port_types {
        let Some(ops) = defs.port_types.get(*pt) else {
            let span =
                soap.iter().find(|b| &b.port_type == *pt).map_or_else(|| primary.span.clone(), |b| b.span.clone());
            diags.push(Diagnostic::new(span, "wsdl:binding", format!("port type `{pt}` is not declared")));
            continue;
        };
        for op in ops {
            match port_ops.iter().find(|(_, o): &&(&QName, &crate::model::PortOperation)| o.name == op.name) {
                None => port_ops.push((*pt, op)),
                Some((_, first)) if first.input == op.input && first.output == op.output => {}
                Some((first_pt, _)) => diags.push(
                    Diagnostic::new(
                        op.span.clone(),
                        "wsdl:operation",
                        format!(
                            "operation `{}` is also declared, with other messages, in port type `{}`",
                            op.name, first_pt.local
                        ),
                    )
                    .context(pt.local.clone())
                    .help("generate each port type from a WSDL of its own"),
                ),
            }
        }
    }
    for name in &annotations.idempotent {
        if !port_ops.iter().any(|(_, o)| &o.name == name) {
            diags.push(Diagnostic::new(
                annotations.span_of(name),
                "idempotent",
                format!("operation `{name}` is not in port type `{}`", primary.port_type.local),
            ));
        }
    }
    let mut method_names = BTreeSet::new();
    let mut marker_names = BTreeSet::new();
    let mut out = Vec::new();
    for (port_type, port_op) in port_ops {
        let action = |kind: BindingKind| {
            soap.iter()
                .filter(|b| b.kind == kind && &b.port_type == port_type)
                .flat_map(|b| b.operations.iter())
                .find(|o| o.name == port_op.name)
        };
        let op11 = action(BindingKind::Soap11);
        let op12 = action(BindingKind::Soap12);
        let Some(binding_op) = op11.or(op12) else { continue };
        if binding_op.style != "document" && binding_op.style != "rpc" {
            diags.push(
                Diagnostic::new(
                    binding_op.span.clone(),
                    "soap:operation",
                    format!("style `{}` is not supported", binding_op.style),
                )
                .context(port_op.name.clone())
                .help("document and rpc styles are generated"),
            );
            continue;
        }
        if binding_op.body_use != "literal" {
            diags.push(
                Diagnostic::new(
                    binding_op.span.clone(),
                    "soap:body",
                    format!("use `{}` is not supported", binding_op.body_use),
                )
                .context(port_op.name.clone())
                .help("only literal SOAP bodies are generated (SOAP encoding, as in rpc/encoded services, is not)"),
            );
            continue;
        }
        let cx = OpContext { defs, op: port_op, rpc: binding_op.style == "rpc" };
        let Some(input) = port_op.input.as_ref() else {
            diags.push(
                Diagnostic::new(port_op.span.clone(), "wsdl:operation", "the operation has no input message")
                    .context(port_op.name.clone())
                    .help("notification and solicit-response operations (an output first) are not supported"),
            );
            continue;
        };
        let body_in = Body {
            parts: binding_op.body_parts.as_deref(),
            headers: &binding_op.headers,
            namespace: binding_op.body_namespace.as_deref(),
        };
        let body_out = Body {
            parts: binding_op.output_body_parts.as_deref(),
            headers: &binding_op.output_headers,
            namespace: binding_op.output_body_namespace.as_deref().or(binding_op.body_namespace.as_deref()),
        };
        let request = message_struct(&cx, Direction::Input, input, body_in, space, diags);
        // No output message: a one-way operation, whose response is nothing at all.
        let response = match port_op.output.as_ref() {
            Some(output) => message_struct(&cx, Direction::Output, output, body_out, space, diags),
            None => Some(space.empty_struct(
                &QName::new("", format!("{}Response", port_op.name)),
                format!("Operation `{}` is one-way: it has no output message and answers with no body.", port_op.name),
            )),
        };
        let (Some(request), Some(response)) = (request, response) else { continue };
        let mut headers = Vec::new();
        for h in &binding_op.headers {
            let element = defs
                .messages
                .get(&h.message)
                .and_then(|m| m.parts.iter().find(|p| p.name == h.part))
                .and_then(|p| p.element.clone());
            match element {
                Some(e) => {
                    if let Some(rust) = space.element_struct(&e, &h.span, diags) {
                        headers.push((e, rust));
                    }
                }
                None => diags.push(
                    Diagnostic::new(
                        h.span.clone(),
                        "soap:header",
                        format!("part `{}` of message `{}` is missing or has no element", h.part, h.message.local),
                    )
                    .context(port_op.name.clone()),
                ),
            }
        }
        let request_fields = space_fields(space, &request);
        let response_fields = space_fields(space, &response);
        let result = match response_fields.as_slice() {
            [] => OpResult::Unit,
            [single] => OpResult::Field(Box::new(single.clone())),
            _ => OpResult::Whole,
        };
        // An empty message's struct is the Body's content: there is no element to route by.
        let request_element = space.struct_element(&request).filter(|e| !e.local.is_empty());
        out.push(Operation {
            name: port_op.name.clone(),
            rust_name: unique(snake_case(&port_op.name), &mut method_names),
            marker: unique(upper_camel(&port_op.name), &mut marker_names),
            request_element,
            doc: port_op.doc.clone(),
            soap11_action: op11.map(|o| o.soap_action.clone().unwrap_or_default()),
            soap12_action: op12.map(|o| o.soap_action.clone().unwrap_or_default()),
            idempotent: annotations.idempotent.contains(&port_op.name),
            takes_request: request_fields.len() > MAX_DIRECT_PARAMS,
            request,
            response,
            one_way: port_op.output.is_none(),
            headers,
            result,
        });
    }
    out
}

/// Names the generated server module defines itself; the trait must not take one of them.
const SERVER_ITEMS: &[&str] = &["RequestHeaders", "ServerFault", "Op", "Decoded", "ACTIONS", "ELEMENTS"];

/// The server trait's name: the service's, in `UpperCamelCase`, never one of the server
/// module's own items.
pub(crate) fn server_trait_name(service: &str) -> String {
    let name = upper_camel(service);
    if SERVER_ITEMS.contains(&name.as_str()) { format!("{name}Service") } else { name }
}

/// The client traits' names: `<Service>Client` and `<Service>BlockingClient`, the service's
/// name in `UpperCamelCase` (the client modules define nothing else they could clash with).
pub(crate) fn client_trait_names(service: &str) -> (String, String) {
    let name = upper_camel(service);
    (format!("{name}Client"), format!("{name}BlockingClient"))
}

/// The server trait's authentication hook: `authenticate`, unless an operation's method has
/// that name.
pub(crate) fn auth_hook_name(operations: &[Operation]) -> String {
    let mut taken: BTreeSet<String> = operations.iter().map(|op| op.rust_name.clone()).collect();
    unique("authenticate".to_owned(), &mut taken)
}

/// Every header element any operation declares, once, in first-seen order, with a field name.
pub(crate) fn header_fields(operations: &[Operation]) -> Vec<HeaderField> {
    let mut seen: Vec<HeaderField> = Vec::new();
    let mut names = BTreeSet::new();
    for op in operations {
        for (q, rust) in &op.headers {
            if !seen.iter().any(|h| &h.element == q) {
                let field = unique(snake_case(&q.local), &mut names);
                seen.push(HeaderField { element: q.clone(), rust_type: rust.clone(), field });
            }
        }
    }
    seen
}

fn space_fields(space: &TypeSpace<'_>, rust: &str) -> Vec<super::Field> {
    match space.get(rust) {
        Some(TypeDef::Struct(s)) => s.fields.clone(),
        _ => Vec::new(),
    }
}

/// What the binding says goes in the SOAP body: the parts it names, or every part that is
/// not bound to a header; and the namespace of an rpc wrapper.
#[derive(Clone, Copy)]
struct Body<'a> {
    parts: Option<&'a [String]>,
    headers: &'a [crate::model::HeaderRef],
    namespace: Option<&'a str>,
}

/// The operation a message belongs to.
struct OpContext<'a> {
    defs: &'a Definitions,
    op: &'a PortOperation,
    /// `style="rpc"`: the parts are wrapped in an element named after the operation.
    rpc: bool,
}

/// Which message of an operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Input,
    Output,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }
}

/// The struct a message's SOAP body is the content of: the element of its one part
/// (document/literal wrapped), nothing for a message without body parts, or for rpc/literal
/// a wrapper named after the operation (`Op`, and `OpResponse` for the output) holding one
/// unqualified child element per part, as the WS-I Basic Profile says.
fn message_struct(
    cx: &OpContext<'_>,
    direction: Direction,
    message: &QName,
    body: Body<'_>,
    space: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let op = &cx.op.name;
    let Some(m) = cx.defs.messages.get(message) else {
        diags.push(
            Diagnostic::new(
                cx.op.span.clone(),
                "wsdl:operation",
                format!("message `{}` is not declared", message.local),
            )
            .context(op.clone()),
        );
        return None;
    };
    let body_parts: Vec<&Part> = m
        .parts
        .iter()
        .filter(|p| match body.parts {
            Some(names) => names.iter().any(|n| n == &p.name),
            None => !body.headers.iter().any(|h| &h.message == message && h.part == p.name),
        })
        .collect();
    if cx.rpc {
        let local = match direction {
            Direction::Input => op.clone(),
            Direction::Output => format!("{op}Response"),
        };
        let ns = body.namespace.unwrap_or(&cx.defs.target_ns);
        return space.rpc_struct(QName::new(ns, local), &body_parts, diags);
    }
    let part = match body_parts.as_slice() {
        [] => {
            let doc = format!("Message `{}` has no body parts: nothing is written in the SOAP body.", message.local);
            return Some(space.empty_struct(message, doc));
        }
        [part] => part,
        _ => {
            diags.push(
                Diagnostic::new(
                    m.span.clone(),
                    "wsdl:message",
                    format!(
                        "the {} message has {} body parts; document/literal wrapped style needs one (or none)",
                        direction.name(),
                        body_parts.len()
                    ),
                )
                .context(op.clone())
                .help("parts bound to a soap:header, or left out by soap:body/@parts, do not count"),
            );
            return None;
        }
    };
    let Some(element) = &part.element else {
        diags.push(
            Diagnostic::new(part.span.clone(), "wsdl:part", "the part names a `type`, not an `element`")
                .context(op.clone())
                .help("a document/literal part names an element; parts with types belong to rpc-style bindings"),
        );
        return None;
    };
    space.element_struct(element, &part.span, diags)
}
