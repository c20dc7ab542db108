//! `xs:schema` to [`Schemas`].
//!
//! Problems inside a global declaration (an unsupported construct, a malformed attribute)
//! are kept with the declaration and reported by the IR when the declaration is used: a
//! service is not blocked by a corner of its schema that none of its operations reach.
//! Problems at schema level are reported at once.

use roxmltree::Node;

use super::{Source, XS_NS, children, documentation, is, parse_occurs, tag};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::{
    AttributeDecl, AttributeGroupDecl, AttributeItem, AttributeUse, ComplexTypeDecl, Content, ElementDecl, Group,
    GroupDecl, ListItem, MaxOccurs, Particle, QName, Schemas, SimpleTypeDecl, TypeDecl,
};

/// A `schemaLocation` this schema imports or includes.
pub(crate) struct SchemaRef {
    pub location: String,
    pub span: Span,
    /// `xs:include` (the same namespace) rather than `xs:import`.
    pub include: bool,
    /// The including schema's target namespace, for chameleon includes.
    pub including_ns: Option<String>,
    /// `namespace` of an `xs:import`.
    pub namespace: Option<String>,
}

struct Ctx<'s, 'a, 'input> {
    source: &'s Source<'a, 'input>,
    target_ns: String,
    qualified: bool,
    attributes_qualified: bool,
    /// Problems of the global declaration being parsed.
    problems: Vec<Diagnostic>,
}

const XS_ANY_SIMPLE_TYPE: &str = "anySimpleType";

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
    let attributes_qualified = schema.attribute("attributeFormDefault") == Some("qualified");
    let mut ctx = Ctx { source, target_ns, qualified, attributes_qualified, problems: Vec::new() };
    let mut refs = Vec::new();
    for child in children(schema) {
        if child.tag_name().namespace() != Some(XS_NS) {
            continue;
        }
        let twice = |what: &str, name: &QName| {
            Diagnostic::new(source.span(child), tag(child), format!("{what} `{name}` is declared twice"))
        };
        match child.tag_name().name() {
            "element" => {
                if let Some(decl) = ctx.element(child, true, None) {
                    let problems = std::mem::take(&mut ctx.problems);
                    if out.elements.contains_key(&decl.name) {
                        diags.push(twice("global element", &decl.name));
                    } else {
                        if !problems.is_empty() {
                            out.element_problems.insert(decl.name.clone(), problems);
                        }
                        out.elements.insert(decl.name.clone(), decl);
                    }
                } else {
                    diags.0.append(&mut ctx.problems);
                }
            }
            "complexType" | "simpleType" => {
                let Some(local) = child.attribute("name") else {
                    diags.push(Diagnostic::new(source.span(child), tag(child), "a global type needs a `name`"));
                    continue;
                };
                let name = QName::new(ctx.target_ns.clone(), local);
                let decl = if child.tag_name().name() == "complexType" {
                    let mut c = ctx.complex_type(child, None);
                    c.problems = std::mem::take(&mut ctx.problems);
                    TypeDecl::Complex(c)
                } else {
                    let mut s = ctx.simple_type(child, None);
                    s.problems = std::mem::take(&mut ctx.problems);
                    TypeDecl::Simple(s)
                };
                match out.types.entry(name) {
                    std::collections::btree_map::Entry::Occupied(e) => diags.push(twice("type", e.key())),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(decl);
                    }
                }
            }
            "attribute" => {
                if let Some(decl) = ctx.attribute(child, true, "schema") {
                    ctx.problems.clear();
                    if out.attributes.contains_key(&decl.name) {
                        diags.push(twice("global attribute", &decl.name));
                    } else {
                        out.attributes.insert(decl.name.clone(), decl);
                    }
                } else {
                    diags.0.append(&mut ctx.problems);
                }
            }
            "group" => {
                let Some(local) = child.attribute("name") else {
                    diags.push(Diagnostic::new(source.span(child), "xs:group", "a global group needs a `name`"));
                    continue;
                };
                let name = QName::new(ctx.target_ns.clone(), local);
                let mut particle = None;
                for compositor in children(child) {
                    match (compositor.tag_name().namespace(), compositor.tag_name().name()) {
                        (Some(XS_NS), "sequence" | "all") => particle = ctx.group(compositor, local).map(Particle::Sequence),
                        (Some(XS_NS), "choice") => particle = ctx.group(compositor, local).map(Particle::Choice),
                        (Some(XS_NS), "annotation") => {}
                        _ => ctx.unsupported(compositor, local, "a group holds one xs:sequence, xs:all or xs:choice"),
                    }
                }
                let particle = particle.unwrap_or_else(|| {
                    Particle::Sequence(Group { particles: Vec::new(), min: 1, max: MaxOccurs::Bounded(1), span: source.span(child) })
                });
                let problems = std::mem::take(&mut ctx.problems);
                match out.groups.entry(name) {
                    std::collections::btree_map::Entry::Occupied(e) => diags.push(twice("group", e.key())),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(GroupDecl { particle, problems });
                    }
                }
            }
            "attributeGroup" => {
                let Some(local) = child.attribute("name") else {
                    diags.push(Diagnostic::new(source.span(child), "xs:attributeGroup", "a global attribute group needs a `name`"));
                    continue;
                };
                let name = QName::new(ctx.target_ns.clone(), local);
                let mut attributes = Vec::new();
                for item in children(child) {
                    ctx.attribute_item(item, local, &mut attributes);
                }
                let problems = std::mem::take(&mut ctx.problems);
                match out.attribute_groups.entry(name) {
                    std::collections::btree_map::Entry::Occupied(e) => diags.push(twice("attribute group", e.key())),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(AttributeGroupDecl { attributes, problems });
                    }
                }
            }
            "import" | "include" => {
                if let Some(location) = child.attribute("schemaLocation") {
                    refs.push(SchemaRef {
                        location: location.to_owned(),
                        span: source.span(child),
                        include: child.tag_name().name() == "include",
                        including_ns: Some(ctx.target_ns.clone()),
                        namespace: child.attribute("namespace").map(str::to_owned),
                    });
                }
            }
            // Notations declare no data.
            "annotation" | "notation" => {}
            other => diags.push(
                Diagnostic::new(source.span(child), format!("xs:{other}"), "this top-level schema construct is not supported")
                    .help("supported at schema level: xs:element, xs:complexType, xs:simpleType, xs:attribute, xs:group, xs:attributeGroup, xs:import, xs:include"),
            ),
        }
    }
    refs
}

impl Ctx<'_, '_, '_> {
    fn unsupported(&mut self, node: Node<'_, '_>, context: &str, help: &str) {
        self.problems.push(
            Diagnostic::new(self.source.span(node), tag(node), "this construct is not supported by the generator")
                .context(context.to_owned())
                .help(help.to_owned()),
        );
    }

    fn qname(&mut self, node: Node<'_, '_>, attr: &str) -> Result<Option<QName>, ()> {
        self.source.qname(node, attr).map_err(|d| self.problems.push(d))
    }

    fn occurs(&mut self, node: Node<'_, '_>) -> Option<(u32, MaxOccurs)> {
        parse_occurs(self.source, node).map_err(|d| self.problems.push(d)).ok()
    }

    fn element(&mut self, node: Node<'_, '_>, global: bool, context: Option<&str>) -> Option<ElementDecl> {
        let span = self.source.span(node);
        let (min, max) = self.occurs(node)?;
        let type_name = self.qname(node, "type").ok()?;
        let reference = self.qname(node, "ref").ok()?;
        let substitution_group = self.qname(node, "substitutionGroup").ok()?;
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
                self.problems.push(
                    Diagnostic::new(span, "xs:element", "an element needs `name` or `ref`")
                        .context(context.unwrap_or("schema").to_owned()),
                );
                return None;
            }
        };
        let ctx_name = context.map(str::to_owned).unwrap_or_else(|| name.local.clone());
        let mut inline = None;
        for child in children(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XS_NS), "complexType") => {
                    inline = Some(Box::new(TypeDecl::Complex(self.complex_type(child, Some(&ctx_name)))))
                }
                (Some(XS_NS), "simpleType") => {
                    inline = Some(Box::new(TypeDecl::Simple(self.simple_type(child, Some(&ctx_name)))))
                }
                // Identity constraints restrict values, not the shape of the data.
                (Some(XS_NS), "annotation" | "unique" | "key" | "keyref") => {}
                _ => self.unsupported(child, &ctx_name, "an element holds an optional annotation and one inline type"),
            }
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
            is_abstract: node.attribute("abstract") == Some("true"),
            substitution_group,
            span,
        })
    }

    fn attribute(&mut self, node: Node<'_, '_>, global: bool, context: &str) -> Option<AttributeDecl> {
        let span = self.source.span(node);
        let type_name = self.qname(node, "type").ok()?;
        let reference = self.qname(node, "ref").ok()?;
        let name = match (node.attribute("name"), &reference) {
            (Some(n), _) => {
                let qualified = match node.attribute("form") {
                    Some(form) => form == "qualified",
                    None => global || self.attributes_qualified,
                };
                QName::new(if qualified { self.target_ns.clone() } else { String::new() }, n)
            }
            (None, Some(r)) => r.clone(),
            (None, None) => {
                self.problems.push(
                    Diagnostic::new(span, "xs:attribute", "an attribute needs `name` or `ref`")
                        .context(context.to_owned()),
                );
                return None;
            }
        };
        let usage = match node.attribute("use") {
            None | Some("optional") => AttributeUse::Optional,
            Some("required") => AttributeUse::Required,
            Some("prohibited") => AttributeUse::Prohibited,
            Some(other) => {
                self.problems.push(
                    Diagnostic::new(
                        span.clone(),
                        "xs:attribute/@use",
                        format!("`{other}` is not optional, required or prohibited"),
                    )
                    .context(context.to_owned()),
                );
                AttributeUse::Optional
            }
        };
        let mut inline = None;
        for child in children(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XS_NS), "simpleType") => inline = Some(Box::new(self.simple_type(child, Some(context)))),
                (Some(XS_NS), "annotation") => {}
                _ => self.unsupported(
                    child,
                    context,
                    "an attribute holds an optional annotation and one inline simple type",
                ),
            }
        }
        Some(AttributeDecl {
            name,
            type_name,
            inline,
            reference,
            usage,
            default: node.attribute("default").or(node.attribute("fixed")).map(str::to_owned),
            doc: documentation(node),
            span,
        })
    }

    /// An attribute-like child of a complex type, extension or attribute group; other
    /// children are the caller's business and return `false`.
    fn attribute_item(&mut self, node: Node<'_, '_>, context: &str, out: &mut Vec<AttributeItem>) -> bool {
        match (node.tag_name().namespace(), node.tag_name().name()) {
            (Some(XS_NS), "attribute") => {
                if let Some(a) = self.attribute(node, false, context) {
                    out.push(AttributeItem::Attribute(a));
                }
                true
            }
            (Some(XS_NS), "attributeGroup") => {
                match self.qname(node, "ref") {
                    Ok(Some(name)) => out.push(AttributeItem::GroupRef { name, span: self.source.span(node) }),
                    Ok(None) => {
                        self.unsupported(node, context, "a local xs:attributeGroup must be a reference (`ref`)")
                    }
                    Err(()) => {}
                }
                true
            }
            // Attributes nobody declared are ignored on read: nothing to generate.
            (Some(XS_NS), "anyAttribute" | "annotation") => true,
            _ => false,
        }
    }

    fn complex_type(&mut self, node: Node<'_, '_>, context: Option<&str>) -> ComplexTypeDecl {
        let name = node.attribute("name").map(|n| QName::new(self.target_ns.clone(), n));
        let ctx_name = name.as_ref().map(|n| n.local.clone()).or(context.map(str::to_owned)).unwrap_or_default();
        let mut mixed = node.attribute("mixed") == Some("true");
        let mut content = Content::Empty;
        let mut attributes = Vec::new();
        for child in children(node) {
            if self.attribute_item(child, &ctx_name, &mut attributes) {
                continue;
            }
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XS_NS), "sequence" | "all" | "choice" | "group") => {
                    content = Content::Sequence(self.top_particles(child, &ctx_name));
                }
                (Some(XS_NS), "complexContent") => {
                    if child.attribute("mixed") == Some("true") {
                        mixed = true;
                    }
                    for derivation in children(child) {
                        let kind = derivation.tag_name().name();
                        if derivation.tag_name().namespace() != Some(XS_NS) || kind == "annotation" {
                            continue;
                        }
                        if kind != "extension" && kind != "restriction" {
                            self.unsupported(derivation, &ctx_name, "complexContent holds xs:extension or xs:restriction");
                            continue;
                        }
                        let Some(base) = self.base(derivation, &ctx_name) else { continue };
                        let mut particles = Vec::new();
                        for part in children(derivation) {
                            if self.attribute_item(part, &ctx_name, &mut attributes) {
                                continue;
                            }
                            match (part.tag_name().namespace(), part.tag_name().name()) {
                                (Some(XS_NS), "sequence" | "all" | "choice" | "group") => particles = self.top_particles(part, &ctx_name),
                                _ => self.unsupported(part, &ctx_name, "a derivation may hold a sequence, all, choice, group and attributes"),
                            }
                        }
                        content = if kind == "extension" {
                            Content::Extension { base, particles }
                        } else {
                            Content::Restriction { base, particles }
                        };
                    }
                }
                (Some(XS_NS), "simpleContent") => {
                    for derivation in children(child) {
                        let kind = derivation.tag_name().name();
                        if derivation.tag_name().namespace() != Some(XS_NS) || kind == "annotation" {
                            continue;
                        }
                        if kind != "extension" && kind != "restriction" {
                            self.unsupported(derivation, &ctx_name, "simpleContent holds xs:extension or xs:restriction");
                            continue;
                        }
                        let Some(base) = self.base(derivation, &ctx_name) else { continue };
                        for part in children(derivation) {
                            if self.attribute_item(part, &ctx_name, &mut attributes) {
                                continue;
                            }
                            // Facets of a restriction narrow the value; they do not change its type.
                            if kind == "restriction" && part.tag_name().namespace() == Some(XS_NS) && part.tag_name().name() != "simpleType" {
                                continue;
                            }
                            self.unsupported(part, &ctx_name, "simple content derivations hold attributes (and facets)");
                        }
                        content = Content::Simple { base };
                    }
                }
                (Some(XS_NS), "annotation") => {}
                _ => self.unsupported(child, &ctx_name, "a complex type may hold xs:sequence, xs:all, xs:choice, xs:group, xs:complexContent, xs:simpleContent and attributes"),
            }
        }
        ComplexTypeDecl {
            name,
            content,
            is_abstract: node.attribute("abstract") == Some("true"),
            mixed,
            attributes,
            doc: documentation(node),
            span: self.source.span(node),
            problems: Vec::new(),
        }
    }

    fn base(&mut self, derivation: Node<'_, '_>, context: &str) -> Option<QName> {
        match self.qname(derivation, "base") {
            Ok(Some(b)) => Some(b),
            Ok(None) => {
                self.problems.push(
                    Diagnostic::new(self.source.span(derivation), tag(derivation), "`base` is required")
                        .context(context.to_owned()),
                );
                None
            }
            Err(()) => None,
        }
    }

    /// The particles of a type's top-level compositor: a sequence or all that occurs once
    /// gives its particles; anything else is one nested particle.
    fn top_particles(&mut self, node: Node<'_, '_>, context: &str) -> Vec<Particle> {
        match self.particle(node, context) {
            Some(Particle::Sequence(g)) if g.min == 1 && g.max == MaxOccurs::Bounded(1) => g.particles,
            Some(p) => vec![p],
            None => Vec::new(),
        }
    }

    fn particle(&mut self, node: Node<'_, '_>, context: &str) -> Option<Particle> {
        match (node.tag_name().namespace(), node.tag_name().name()) {
            (Some(XS_NS), "element") => self.element(node, false, Some(context)).map(Particle::Element),
            (Some(XS_NS), "any") => {
                let (min, max) = self.occurs(node)?;
                Some(Particle::Any { min, max, span: self.source.span(node) })
            }
            (Some(XS_NS), "sequence" | "all") => self.group(node, context).map(Particle::Sequence),
            (Some(XS_NS), "choice") => self.group(node, context).map(Particle::Choice),
            (Some(XS_NS), "group") => {
                let (min, max) = self.occurs(node)?;
                match self.qname(node, "ref") {
                    Ok(Some(name)) => Some(Particle::GroupRef { name, min, max, span: self.source.span(node) }),
                    Ok(None) => {
                        self.unsupported(node, context, "a local xs:group must be a reference (`ref`)");
                        None
                    }
                    Err(()) => None,
                }
            }
            (Some(XS_NS), "annotation") => None,
            _ => {
                self.unsupported(
                    node,
                    context,
                    "a content model holds xs:element, xs:any, xs:sequence, xs:all, xs:choice and xs:group",
                );
                None
            }
        }
    }

    fn group(&mut self, node: Node<'_, '_>, context: &str) -> Option<Group> {
        let (min, max) = self.occurs(node)?;
        let particles = children(node).filter_map(|child| self.particle(child, context)).collect();
        Some(Group { particles, min, max, span: self.source.span(node) })
    }

    fn simple_type(&mut self, node: Node<'_, '_>, context: Option<&str>) -> SimpleTypeDecl {
        let name = node.attribute("name").map(|n| QName::new(self.target_ns.clone(), n));
        let ctx_name = name.as_ref().map(|n| n.local.clone()).or(context.map(str::to_owned)).unwrap_or_default();
        let span = self.source.span(node);
        let mut decl = SimpleTypeDecl {
            name,
            base: QName::new(XS_NS, XS_ANY_SIMPLE_TYPE),
            enumerations: Vec::new(),
            list: None,
            doc: documentation(node),
            span: span.clone(),
            problems: Vec::new(),
        };
        let mut found = false;
        for child in children(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XS_NS), "restriction") => {
                    found = true;
                    let base = match self.qname(child, "base") {
                        Ok(b) => b,
                        Err(()) => continue,
                    };
                    match base {
                        Some(b) => decl.base = b,
                        None => {
                            // `<restriction><simpleType>…</simpleType>…`: restrict an anonymous type.
                            match children(child).find(|c| is(*c, XS_NS, "simpleType")) {
                                Some(inner) => {
                                    let inner = self.simple_type(inner, Some(&ctx_name));
                                    decl.base = inner.base.clone();
                                    decl.list = inner.list;
                                    decl.enumerations = inner.enumerations;
                                }
                                None => self.unsupported(
                                    child,
                                    &ctx_name,
                                    "a restriction needs a `base` attribute or an inline xs:simpleType",
                                ),
                            }
                        }
                    }
                    let values: Vec<_> = children(child)
                        .filter(|f| is(*f, XS_NS, "enumeration"))
                        .map(|f| (f.attribute("value").unwrap_or_default().to_owned(), documentation(f)))
                        .collect();
                    if !values.is_empty() {
                        decl.enumerations = values;
                    }
                }
                (Some(XS_NS), "list") => {
                    found = true;
                    match self.qname(child, "itemType") {
                        Ok(Some(item)) => decl.list = Some(ListItem::Named(item)),
                        Ok(None) => match children(child).find(|c| is(*c, XS_NS, "simpleType")) {
                            Some(inner) => {
                                decl.list = Some(ListItem::Inline(Box::new(self.simple_type(inner, Some(&ctx_name)))))
                            }
                            None => self.unsupported(
                                child,
                                &ctx_name,
                                "a list needs an `itemType` or an inline xs:simpleType",
                            ),
                        },
                        Err(()) => {}
                    }
                }
                (Some(XS_NS), "annotation") => {}
                _ => {
                    found = true;
                    self.unsupported(child, &ctx_name, "simple types may be an xs:restriction (including enumerations) or an xs:list; xs:union is not supported");
                }
            }
        }
        if !found {
            self.problems.push(
                Diagnostic::new(span, "xs:simpleType", "a simple type needs an xs:restriction or xs:list")
                    .context(ctx_name),
            );
        }
        decl
    }
}
