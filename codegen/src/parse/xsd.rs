//! `xs:schema` to [`Schemas`].

use roxmltree::Node;

use super::{Source, XS_NS, children, documentation, is, parse_occurs, tag};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ComplexTypeDecl, Content, ElementDecl, MaxOccurs, Particle, QName, Schemas, SimpleTypeDecl, TypeDecl};

/// A `schemaLocation` this schema imports or includes.
pub(crate) struct SchemaRef {
    pub location: String,
    pub span: crate::diagnostics::Span,
}

struct Ctx<'s, 'a, 'input> {
    source: &'s Source<'a, 'input>,
    target_ns: String,
    qualified: bool,
    diags: &'s mut Diagnostics,
}

/// Adds the declarations of `schema` (an `xs:schema` element) to `out`; returns the files it
/// imports or includes. `inherited_ns` is the includer's namespace for chameleon includes.
pub(crate) fn parse_schema(
    source: &Source<'_, '_>,
    schema: Node<'_, '_>,
    inherited_ns: Option<&str>,
    out: &mut Schemas,
    diags: &mut Diagnostics,
) -> Vec<SchemaRef> {
    let target_ns = schema.attribute("targetNamespace").or(inherited_ns).unwrap_or("").to_owned();
    let qualified = schema.attribute("elementFormDefault") == Some("qualified");
    let mut ctx = Ctx { source, target_ns, qualified, diags };
    let mut refs = Vec::new();
    for child in children(schema) {
        if child.tag_name().namespace() != Some(XS_NS) {
            continue;
        }
        match child.tag_name().name() {
            "element" => {
                if let Some(decl) = ctx.element(child, true, None) {
                    if out.elements.contains_key(&decl.name) {
                        ctx.diags.push(Diagnostic::new(source.span(child), "xs:element", format!("global element `{}` is declared twice", decl.name)));
                    } else {
                        out.elements.insert(decl.name.clone(), decl);
                    }
                }
            }
            "complexType" | "simpleType" => {
                let decl = if child.tag_name().name() == "complexType" {
                    ctx.complex_type(child, None).map(TypeDecl::Complex)
                } else {
                    ctx.simple_type(child, None).map(TypeDecl::Simple)
                };
                if let Some(decl) = decl {
                    let name = match &decl {
                        TypeDecl::Complex(c) => c.name.clone(),
                        TypeDecl::Simple(s) => s.name.clone(),
                    };
                    match name {
                        Some(name) if out.types.contains_key(&name) => ctx.diags.push(Diagnostic::new(
                            source.span(child),
                            tag(child),
                            format!("type `{name}` is declared twice"),
                        )),
                        Some(name) => {
                            out.types.insert(name, decl);
                        }
                        None => ctx.diags.push(Diagnostic::new(source.span(child), tag(child), "a global type needs a `name`")),
                    }
                }
            }
            "import" | "include" => {
                if let Some(location) = child.attribute("schemaLocation") {
                    refs.push(SchemaRef { location: location.to_owned(), span: source.span(child) });
                }
            }
            "annotation" => {}
            other => ctx.diags.push(
                Diagnostic::new(source.span(child), format!("xs:{other}"), "this top-level schema construct is not supported")
                    .help("supported at schema level: xs:element, xs:complexType, xs:simpleType, xs:import, xs:include"),
            ),
        }
    }
    refs
}

impl Ctx<'_, '_, '_> {
    fn unsupported(&mut self, node: Node<'_, '_>, context: &str, help: &str) {
        self.diags.push(
            Diagnostic::new(self.source.span(node), tag(node), "this construct is not supported by the generator")
                .context(context.to_owned())
                .help(help.to_owned()),
        );
    }

    fn element(&mut self, node: Node<'_, '_>, global: bool, context: Option<&str>) -> Option<ElementDecl> {
        let span = self.source.span(node);
        let (min, max) = match parse_occurs(self.source, node) {
            Ok(v) => v,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let type_name = match self.source.qname(node, "type") {
            Ok(v) => v,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let reference = match self.source.qname(node, "ref") {
            Ok(v) => v,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let name = match (node.attribute("name"), &reference) {
            (Some(n), _) => {
                let qualified = match node.attribute("form") {
                    Some(form) => form == "qualified",
                    None => global || self.qualified,
                };
                QName::new(if qualified { self.target_ns.clone() } else { String::new() }, n)
            }
            (None, Some(r)) => r.clone(),
            (None, None) => {
                self.diags.push(Diagnostic::new(span, "xs:element", "an element needs `name` or `ref`").context(context.unwrap_or("schema").to_owned()));
                return None;
            }
        };
        let ctx_name = context.map(str::to_owned).unwrap_or_else(|| name.local.clone());
        let mut inline = None;
        for child in children(node) {
            if is(child, XS_NS, "complexType") {
                inline = self.complex_type(child, Some(&ctx_name)).map(|c| Box::new(TypeDecl::Complex(c)));
            } else if is(child, XS_NS, "simpleType") {
                inline = self.simple_type(child, Some(&ctx_name)).map(|s| Box::new(TypeDecl::Simple(s)));
            } else if is(child, XS_NS, "annotation") {
            } else {
                self.unsupported(child, &ctx_name, "an element holds an optional annotation and one inline type");
            }
        }
        if node.attribute("substitutionGroup").is_some() {
            self.unsupported(node, &ctx_name, "substitution groups are not supported; declare the elements directly");
        }
        Some(ElementDecl {
            name,
            type_name,
            inline,
            reference,
            min,
            max,
            nillable: node.attribute("nillable") == Some("true"),
            doc: documentation(node),
            span,
        })
    }

    fn complex_type(&mut self, node: Node<'_, '_>, context: Option<&str>) -> Option<ComplexTypeDecl> {
        let name = node.attribute("name").map(|n| QName::new(self.target_ns.clone(), n));
        let ctx_name = name.as_ref().map(|n| n.local.clone()).or(context.map(str::to_owned)).unwrap_or_default();
        if node.attribute("mixed") == Some("true") {
            self.unsupported(node, &ctx_name, "mixed content (text between child elements) is not supported");
        }
        let mut content = Content::Empty;
        for child in children(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XS_NS), "annotation") | (Some(XS_NS), "anyAttribute") => {}
                (Some(XS_NS), "sequence") | (Some(XS_NS), "all") => content = Content::Sequence(self.sequence(child, &ctx_name)),
                (Some(XS_NS), "complexContent") => {
                    if child.attribute("mixed") == Some("true") {
                        self.unsupported(child, &ctx_name, "mixed content is not supported");
                    }
                    for derivation in children(child) {
                        if is(derivation, XS_NS, "extension") {
                            let base = match self.source.qname(derivation, "base") {
                                Ok(Some(b)) => b,
                                Ok(None) => {
                                    self.diags.push(Diagnostic::new(self.source.span(derivation), "xs:extension", "`base` is required").context(ctx_name.clone()));
                                    continue;
                                }
                                Err(d) => {
                                    self.diags.push(d);
                                    continue;
                                }
                            };
                            let mut particles = Vec::new();
                            for part in children(derivation) {
                                match (part.tag_name().namespace(), part.tag_name().name()) {
                                    (Some(XS_NS), "sequence") | (Some(XS_NS), "all") => particles = self.sequence(part, &ctx_name),
                                    (Some(XS_NS), "annotation") | (Some(XS_NS), "anyAttribute") => {}
                                    _ => self.unsupported(part, &ctx_name, "an extension may hold a sequence or all"),
                                }
                            }
                            content = Content::Extension { base, particles };
                        } else if !is(derivation, XS_NS, "annotation") {
                            self.unsupported(derivation, &ctx_name, "only complexContent/extension (class inheritance) is supported");
                        }
                    }
                }
                _ => self.unsupported(child, &ctx_name, "a complex type may hold xs:sequence, xs:all, xs:complexContent/xs:extension and xs:anyAttribute"),
            }
        }
        Some(ComplexTypeDecl {
            name,
            content,
            is_abstract: node.attribute("abstract") == Some("true"),
            doc: documentation(node),
            span: self.source.span(node),
        })
    }

    fn sequence(&mut self, node: Node<'_, '_>, context: &str) -> Vec<Particle> {
        if let Ok((min, max)) = parse_occurs(self.source, node) {
            if min != 1 || max != MaxOccurs::Bounded(1) {
                self.unsupported(node, context, "a sequence with minOccurs/maxOccurs other than 1 is not supported");
            }
        }
        let mut out = Vec::new();
        for child in children(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XS_NS), "element") => {
                    if let Some(e) = self.element(child, false, Some(context)) {
                        out.push(Particle::Element(e));
                    }
                }
                (Some(XS_NS), "any") => match parse_occurs(self.source, child) {
                    Ok((min, max)) => out.push(Particle::Any { min, max, span: self.source.span(child) }),
                    Err(d) => self.diags.push(d),
                },
                (Some(XS_NS), "annotation") => {}
                _ => self.unsupported(child, context, "a sequence may hold xs:element and xs:any"),
            }
        }
        out
    }

    fn simple_type(&mut self, node: Node<'_, '_>, context: Option<&str>) -> Option<SimpleTypeDecl> {
        let name = node.attribute("name").map(|n| QName::new(self.target_ns.clone(), n));
        let ctx_name = name.as_ref().map(|n| n.local.clone()).or(context.map(str::to_owned)).unwrap_or_default();
        let mut result = None;
        let mut reported = false;
        for child in children(node) {
            if is(child, XS_NS, "restriction") {
                let base = match self.source.qname(child, "base") {
                    Ok(Some(b)) => b,
                    Ok(None) => {
                        self.unsupported(child, &ctx_name, "a restriction needs a `base` attribute");
                        return None;
                    }
                    Err(d) => {
                        self.diags.push(d);
                        return None;
                    }
                };
                let mut enumerations = Vec::new();
                for facet in children(child) {
                    if is(facet, XS_NS, "enumeration") {
                        enumerations.push((facet.attribute("value").unwrap_or_default().to_owned(), documentation(facet)));
                    }
                }
                result = Some(SimpleTypeDecl { name: name.clone(), base, enumerations, doc: documentation(node), span: self.source.span(node) });
            } else if !is(child, XS_NS, "annotation") {
                self.unsupported(child, &ctx_name, "only xs:restriction simple types are supported (not xs:list or xs:union)");
                reported = true;
            }
        }
        if result.is_none() && !reported {
            self.diags.push(Diagnostic::new(self.source.span(node), "xs:simpleType", "a simple type needs an xs:restriction").context(ctx_name));
        }
        result
    }
}
