//! Operations: port type + SOAP bindings + messages → request/response structs, actions,
//! headers and the shape of each client method.

use super::names::{snake_case, unique};
use super::types::TypeSpace;
use super::{OpResult, Operation, TypeDef};
use crate::annotations::Annotations;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Binding, BindingKind, Definitions, QName};

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
    let Some(port_ops) = defs.port_types.get(&primary.port_type) else {
        diags.push(Diagnostic::new(primary.span.clone(), "wsdl:binding", format!("port type `{}` is not declared", primary.port_type)));
        return Vec::new();
    };
    for name in &annotations.idempotent {
        if !port_ops.iter().any(|o| &o.name == name) {
            diags.push(Diagnostic::new(annotations.span_of(name), "idempotent", format!("operation `{name}` is not in port type `{}`", primary.port_type.local)));
        }
    }
    let mut method_names = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for port_op in port_ops {
        let action = |kind: BindingKind| {
            soap.iter()
                .filter(|b| b.kind == kind && b.port_type == primary.port_type)
                .flat_map(|b| b.operations.iter())
                .find(|o| o.name == port_op.name)
        };
        let op11 = action(BindingKind::Soap11);
        let op12 = action(BindingKind::Soap12);
        let Some(binding_op) = op11.or(op12) else { continue };
        if binding_op.style != "document" {
            diags.push(
                Diagnostic::new(binding_op.span.clone(), "soap:operation", format!("style `{}` is not supported", binding_op.style))
                    .context(port_op.name.clone())
                    .help("only document/literal services are generated"),
            );
            continue;
        }
        if binding_op.body_use != "literal" {
            diags.push(
                Diagnostic::new(binding_op.span.clone(), "soap:body", format!("use `{}` is not supported", binding_op.body_use))
                    .context(port_op.name.clone())
                    .help("only document/literal services are generated (SOAP encoding is not)"),
            );
            continue;
        }
        let Some(request) = wrapper(defs, port_op.input.as_ref(), &port_op.name, "input", &port_op.span, space, diags) else { continue };
        let Some(response) = wrapper(defs, port_op.output.as_ref(), &port_op.name, "output", &port_op.span, space, diags) else { continue };
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
                    Diagnostic::new(h.span.clone(), "soap:header", format!("part `{}` of message `{}` is missing or has no element", h.part, h.message.local))
                        .context(port_op.name.clone()),
                ),
            }
        }
        let request_fields = space_fields(space, &request);
        let response_fields = space_fields(space, &response);
        let result = match response_fields.as_slice() {
            [] => OpResult::Unit,
            [single] => OpResult::Field(single.clone()),
            _ => OpResult::Whole,
        };
        out.push(Operation {
            name: port_op.name.clone(),
            rust_name: unique(snake_case(&port_op.name), &mut method_names),
            doc: port_op.doc.clone(),
            soap11_action: op11.map(|o| o.soap_action.clone().unwrap_or_default()),
            soap12_action: op12.map(|o| o.soap_action.clone().unwrap_or_default()),
            idempotent: annotations.idempotent.contains(&port_op.name),
            takes_request: request_fields.len() > MAX_DIRECT_PARAMS,
            request,
            response,
            headers,
            result,
        });
    }
    out
}

fn space_fields(space: &TypeSpace<'_>, rust: &str) -> Vec<super::Field> {
    match space.get(rust) {
        Some(TypeDef::Struct(s)) => s.fields.clone(),
        _ => Vec::new(),
    }
}

fn wrapper(
    defs: &Definitions,
    message: Option<&QName>,
    op: &str,
    direction: &str,
    span: &crate::diagnostics::Span,
    space: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let Some(message) = message else {
        diags.push(
            Diagnostic::new(span.clone(), "wsdl:operation", format!("the operation has no {direction} message"))
                .context(op.to_owned())
                .help("one-way and notification operations are not supported"),
        );
        return None;
    };
    let Some(m) = defs.messages.get(message) else {
        diags.push(Diagnostic::new(span.clone(), "wsdl:operation", format!("message `{}` is not declared", message.local)).context(op.to_owned()));
        return None;
    };
    let [part] = m.parts.as_slice() else {
        diags.push(
            Diagnostic::new(m.span.clone(), "wsdl:message", format!("the {direction} message has {} parts; document/literal wrapped style needs exactly one", m.parts.len()))
                .context(op.to_owned()),
        );
        return None;
    };
    let Some(element) = &part.element else {
        diags.push(
            Diagnostic::new(part.span.clone(), "wsdl:part", "the part names a `type`, not an `element` (rpc style)")
                .context(op.to_owned())
                .help("only document/literal wrapped services are generated"),
        );
        return None;
    };
    space.element_struct(element, &part.span, diags)
}
