//! Message elements: the struct a global element is the content of.

use super::*;
use crate::diagnostics::Span;
use crate::ir::names::snake_case;
use crate::ir::{FieldKind, Occurs, Struct};
use crate::model::Part;

impl TypeSpace<'_> {
    /// The Rust struct that is the content of global element `name`, creating it if needed:
    /// the element's complex type; a struct of its own when another message element already
    /// uses that type; a struct holding the text when the element has a simple type.
    pub fn element_struct(&mut self, name: &QName, span: &Span, diags: &mut Diagnostics) -> Option<String> {
        if let Some(rust) = self.element_structs.get(name) {
            return Some(rust.clone());
        }
        let Some(decl) = self.defs.schemas.elements.get(name) else {
            diags.push(Diagnostic::new(
                span.clone(),
                "wsdl:part",
                format!("element `{name}` is not declared in any schema"),
            ));
            return None;
        };
        self.report_element(name, diags);
        let complex = match (decl.inline.as_deref(), &decl.type_name) {
            (Some(TypeDecl::Complex(c)), _) => {
                self.element_names.get(name).cloned().map(|rust| (rust, name.clone(), c))
            }
            (None, Some(t)) => match (self.defs.schemas.types.get(t), self.type_names.get(t).cloned()) {
                (Some(TypeDecl::Complex(c)), Some(rust)) => Some((rust, t.clone(), c)),
                _ => None,
            },
            _ => None,
        };
        let rust = match complex {
            Some((rust, xml, c)) => {
                self.convert_struct(&rust, xml, c, diags);
                let shared = matches!(self.out.get(&rust), Some(TypeDef::Struct(s)) if s.element.as_ref().is_some_and(|e| e != name));
                if shared {
                    // Another message element already has this type: each element gets a
                    // struct of its own (the same fields), since the element name is part of
                    // the type (`XmlElement`).
                    let copy = self.fresh_element_name(name);
                    if let Some(TypeDef::Struct(s)) = self.out.get(&rust) {
                        let mut s = s.clone();
                        s.rust_name.clone_from(&copy);
                        s.element = Some(name.clone());
                        self.out.insert(copy.clone(), TypeDef::Struct(s));
                    }
                    copy
                } else {
                    rust
                }
            }
            None => {
                // A simple type: a struct around the element's text.
                let ty = match decl.inline.as_deref() {
                    Some(TypeDecl::Simple(st)) => {
                        let rust = self.element_names.get(name).cloned().unwrap_or_else(|| upper_camel(&name.local));
                        self.simple(&format!("{rust}Value"), name.clone(), st, diags)
                    }
                    _ => {
                        let t = decl.type_name.clone().unwrap_or_else(|| QName::new(XS_NS, "anyType"));
                        self.type_ref(&t, &decl.span, name, diags)
                    }
                };
                let ty = ty?;
                let rust = match self.element_names.get(name) {
                    Some(r) => r.clone(),
                    None => self.fresh_element_name(name),
                };
                let (kind, shown) = if matches!(ty, TypeRef::Prim(Prim::AnyType)) {
                    (FieldKind::Content, "the element's whole content".to_owned())
                } else if is_simple(&ty, &self.out) {
                    (FieldKind::Text, "the element's text".to_owned())
                } else {
                    diags.push(
                        Diagnostic::new(
                            decl.span.clone(),
                            "xs:element",
                            "a message part's element must have a complex or simple type",
                        )
                        .context(name.local.clone())
                        .help("wrap the value in a complex type (document/literal wrapped style)"),
                    );
                    return None;
                };
                let field = Field {
                    rust_name: "value".to_owned(),
                    xml_name: name.clone(),
                    ty,
                    occurs: Occurs::Required,
                    boxed: false,
                    secret: false,
                    schema_type: decl.type_name.as_ref().map_or_else(|| "(anonymous simple type)".to_owned(), written),
                    schema_occurs: shown,
                    nillable: false,
                    doc: None,
                    kind,
                    redeclared: false,
                };
                self.out.insert(
                    rust.clone(),
                    TypeDef::Struct(Struct {
                        rust_name: rust.clone(),
                        xml_name: name.clone(),
                        fields: vec![field],
                        element: None,
                        base: None,
                        is_abstract: false,
                        derives_eq: false,
                        doc: decl.doc.clone(),
                    }),
                );
                rust
            }
        };
        if let Some(TypeDef::Struct(s)) = self.out.get_mut(&rust) {
            s.element = Some(name.clone());
        }
        self.element_structs.insert(name.clone(), rust.clone());
        Some(rust)
    }

    /// A new type name for message element `name`.
    pub(super) fn fresh_element_name(&mut self, name: &QName) -> String {
        let base = type_base(&name.local);
        if self.taken.contains(&base) {
            unique(format!("{base}Element"), &mut self.taken)
        } else {
            unique(base, &mut self.taken)
        }
    }

    /// The struct of message `message`, which has no body parts: no fields, and nothing in
    /// the SOAP body (an element with an empty name; see [`crate::ir::Struct::element`]).
    pub(crate) fn empty_struct(&mut self, message: &QName, doc: String) -> String {
        let rust = self.fresh_element_name(message);
        self.out.insert(
            rust.clone(),
            TypeDef::Struct(Struct {
                rust_name: rust.clone(),
                xml_name: message.clone(),
                fields: Vec::new(),
                element: Some(QName::new("", "")),
                base: None,
                is_abstract: false,
                derives_eq: false,
                doc: Some(doc),
            }),
        );
        rust
    }

    /// The wrapper of an rpc/literal message: element `element` holding one unqualified child
    /// element per part, named after the part and of the part's type (or, for a part naming
    /// an element, that element).
    pub(crate) fn rpc_struct(&mut self, element: QName, parts: &[&Part], diags: &mut Diagnostics) -> Option<String> {
        let rust = self.fresh_element_name(&element);
        let mut cx = FieldSet::new(&rust, &element);
        let mut complete = true;
        for part in parts {
            let (xml_name, typed) = match (&part.type_name, &part.element) {
                (Some(t), _) => (
                    QName::new("", part.name.as_str()),
                    self.type_ref(t, &part.span, &element, diags).map(|ty| (ty, written(t))),
                ),
                (None, Some(e)) => match self.defs.schemas.elements.get(e) {
                    Some(decl) => {
                        self.report_element(e, diags);
                        (e.clone(), self.element_type(&rust, &element, decl, e, diags))
                    }
                    None => {
                        diags.push(
                            Diagnostic::new(
                                part.span.clone(),
                                "wsdl:part",
                                format!("element `{e}` is not declared in any schema"),
                            )
                            .context(element.local.clone()),
                        );
                        (e.clone(), None)
                    }
                },
                (None, None) => {
                    diags.push(
                        Diagnostic::new(part.span.clone(), "wsdl:part", "a part needs a `type` or an `element`")
                            .context(element.local.clone()),
                    );
                    (QName::new("", part.name.as_str()), None)
                }
            };
            let Some((ty, schema_type)) = typed else {
                complete = false;
                continue;
            };
            let secret = self.annotations.secrets.iter().any(|(t, f)| t == &element.local && f == &part.name);
            cx.fields.push(Field {
                rust_name: unique(snake_case(&part.name), &mut cx.names),
                xml_name,
                ty,
                occurs: Occurs::Required,
                boxed: false,
                secret,
                schema_type,
                schema_occurs: format!("rpc/literal part `{}`", part.name),
                nillable: false,
                doc: None,
                kind: FieldKind::Element,
                redeclared: false,
            });
        }
        if !complete {
            return None;
        }
        let fields = cx.fields;
        self.out.insert(
            rust.clone(),
            TypeDef::Struct(Struct {
                rust_name: rust.clone(),
                xml_name: element.clone(),
                fields,
                element: Some(element),
                base: None,
                is_abstract: false,
                derives_eq: false,
                doc: None,
            }),
        );
        Some(rust)
    }
}
