//! Content models flattened into fields: elements, wildcards, nested sequences and model
//! groups.

use super::super::names::snake_case;
use super::*;
use crate::diagnostics::Span;
use crate::ir::{FieldKind, Occurs};
use crate::model::{ElementDecl, Group, Particle};

/// The enclosing groups' effect on a particle: an optional group makes its elements
/// optional, a repeated one makes its (single) particle repeated.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Outer {
    pub optional: bool,
    pub repeated: bool,
}

pub(super) fn occurs_of(min: u32, max: MaxOccurs, nillable: bool, outer: Outer) -> Occurs {
    let optional = min == 0 || outer.optional;
    match (many(max) || outer.repeated, optional, nillable) {
        (true, _, _) => Occurs::Repeated,
        (false, true, true) => Occurs::OptionalNillable,
        (false, true, false) => Occurs::Optional,
        (false, false, true) => Occurs::Nillable,
        (false, false, false) => Occurs::Required,
    }
}

pub(super) fn occurs_text(min: u32, max: MaxOccurs, nillable: bool) -> String {
    let max = match max {
        MaxOccurs::Unbounded => "unbounded".to_owned(),
        MaxOccurs::Bounded(n) => n.to_string(),
    };
    let nil = if nillable { ", nillable" } else { "" };
    format!("minOccurs={min}, maxOccurs={max}{nil}")
}

/// Where a particle is written.
pub(super) fn particle_span(p: &Particle) -> Span {
    match p {
        Particle::Element(e) => e.span.clone(),
        Particle::Any { span, .. } | Particle::GroupRef { span, .. } => span.clone(),
        Particle::Sequence(g) | Particle::Choice(g) => g.span.clone(),
    }
}

impl TypeSpace<'_> {
    /// Flattens particles into fields.
    pub(super) fn particles(
        &mut self,
        cx: &mut FieldSet<'_>,
        particles: &[Particle],
        outer: Outer,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
        let owner_xml = cx.owner_xml;
        if depth > MAX_GROUP_DEPTH {
            diags.push(
                Diagnostic::new(
                    particles.first().map(particle_span).unwrap_or_default(),
                    "xs:group",
                    "model groups nest too deeply (a group that contains itself?)",
                )
                .context(owner_xml.local.clone()),
            );
            return;
        }
        for particle in particles {
            match particle {
                Particle::Element(e) => {
                    let alts = self.alternatives_of(e, owner_xml, diags);
                    match alts.as_deref() {
                        None => {}
                        Some([]) => {}
                        Some([only]) if only.name == e.name || e.reference.as_ref() == Some(&only.name) => {
                            if let Some(field) = self.field(cx, e, &only.element, &only.name, outer, diags) {
                                cx.fields.push(field);
                            }
                        }
                        Some(_) => {
                            // A substitution group head: one of its members.
                            let Some(alts) = alts else { continue };
                            let group = Group { particles: Vec::new(), min: e.min, max: e.max, span: e.span.clone() };
                            self.choice_field(cx, &group, alts, false, outer, diags);
                        }
                    }
                }
                Particle::Any { min, max, span: _ } => {
                    let occurs = occurs_of(*min, *max, false, outer);
                    cx.fields.push(Field {
                        rust_name: unique("any".to_owned(), &mut cx.names),
                        xml_name: QName::new("", ANY_NAME),
                        ty: TypeRef::Prim(Prim::AnyType),
                        occurs,
                        boxed: false,
                        secret: false,
                        schema_type: "xs:any".to_owned(),
                        schema_occurs: occurs_text(*min, *max, false),
                        nillable: false,
                        doc: None,
                        kind: FieldKind::Any,
                        redeclared: false,
                    });
                }
                Particle::Sequence(g) => self.sequence(cx, g, outer, depth, diags),
                Particle::Choice(g) => self.choice(cx, g, outer, depth, diags),
                Particle::GroupRef { name, min, max, span } => {
                    let Some(resolved) = self.resolve_group(name, *min, *max, span, owner_xml, diags) else { continue };
                    self.particles(cx, std::slice::from_ref(&resolved), outer, depth + 1, diags);
                }
            }
        }
    }

    /// A group reference as the group's compositor with the reference's occurrence.
    pub(super) fn resolve_group(
        &mut self,
        name: &QName,
        min: u32,
        max: MaxOccurs,
        span: &Span,
        owner_xml: &QName,
        diags: &mut Diagnostics,
    ) -> Option<Particle> {
        let Some(decl) = self.defs.schemas.groups.get(name) else {
            diags.push(
                Diagnostic::new(span.clone(), "xs:group", format!("group `{name}` is not declared"))
                    .context(owner_xml.local.clone()),
            );
            return None;
        };
        self.report(format!("group {name}"), &decl.problems, diags);
        Some(match &decl.particle {
            Particle::Sequence(g) => Particle::Sequence(Group { min, max, ..g.clone() }),
            Particle::Choice(g) => Particle::Choice(Group { min, max, ..g.clone() }),
            other => other.clone(),
        })
    }

    pub(super) fn sequence(
        &mut self,
        cx: &mut FieldSet<'_>,
        g: &Group,
        outer: Outer,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
        let owner_xml = cx.owner_xml;
        let mut inner = outer;
        inner.optional |= g.min == 0;
        if many(g.max) {
            if g.particles.len() > 1 {
                diags.push(
                    Diagnostic::new(g.span.clone(), "xs:sequence", "a repeated sequence of several particles is not supported")
                        .context(owner_xml.local.clone())
                        .help("the items' interleaving (a b a b) has no field-per-element Rust form; wrap the sequence in a complex type and repeat an element of that type"),
                );
                return;
            }
            inner.repeated = true;
        }
        self.particles(cx, &g.particles, inner, depth + 1, diags);
    }

    /// A field for element particle `e` (whose declaration, after `ref`, is `target`).
    pub(super) fn field(
        &mut self,
        cx: &mut FieldSet<'_>,
        e: &ElementDecl,
        target: &ElementDecl,
        name: &QName,
        outer: Outer,
        diags: &mut Diagnostics,
    ) -> Option<Field> {
        let owner_xml = cx.owner_xml;
        let (ty, schema_type) = self.element_type(cx.owner, owner_xml, target, name, diags)?;
        let rust_name = unique(snake_case(&name.local), &mut cx.names);
        let secret = self.annotations.secrets.iter().any(|(t, f)| t == &owner_xml.local && f == &name.local);
        // A `ref` takes nillability from the referenced declaration.
        let nillable = e.nillable || target.nillable;
        Some(Field {
            rust_name,
            xml_name: name.clone(),
            ty,
            occurs: occurs_of(e.min, e.max, nillable, outer),
            boxed: false,
            secret,
            schema_type,
            schema_occurs: occurs_text(e.min, e.max, nillable),
            nillable,
            doc: e.doc.clone().or(target.doc.clone()),
            kind: FieldKind::Element,
            redeclared: false,
        })
    }

    /// The type of an element's content.
    pub(super) fn element_type(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        e: &ElementDecl,
        name: &QName,
        diags: &mut Diagnostics,
    ) -> Option<(TypeRef, String)> {
        if let Some(inline) = &e.inline {
            let global =
                self.element_names.get(name).filter(|_| self.defs.schemas.elements.contains_key(name)).cloned();
            let is_global_decl =
                global.is_some() && self.defs.schemas.elements.get(name).is_some_and(|g| g.span == e.span);
            let rust = match global {
                Some(g) if is_global_decl => g,
                _ => unique(format!("{owner}{}", upper_camel(&name.local)), &mut self.taken),
            };
            return match inline.as_ref() {
                TypeDecl::Complex(c) => {
                    self.convert_struct(&rust, name.clone(), c, diags);
                    Some((TypeRef::Named(rust), "(anonymous complex type)".to_owned()))
                }
                TypeDecl::Simple(s) => {
                    self.simple(&rust, name.clone(), s, diags).map(|t| (t, "(anonymous simple type)".to_owned()))
                }
            };
        }
        let t = e.type_name.clone().unwrap_or_else(|| QName::new(XS_NS, "anyType"));
        let shown = if e.type_name.is_some() { written(&t) } else { "xs:anyType (no type given)".to_owned() };
        self.type_ref(&t, &e.span, owner_xml, diags).map(|ty| (ty, shown))
    }
}
