//! `xs:choice` and substitution groups: an enum field of the alternatives, or optional
//! fields per branch.

use super::super::names::snake_case;
use super::particles::{Outer, occurs_text};
use super::*;
use crate::ir::{Choice, ChoiceAlt, FieldKind, Occurs};
use crate::model::{ElementDecl, Group, Particle};

/// An alternative of a choice, before conversion.
pub(super) struct Alt {
    pub element: ElementDecl,
    /// The name the alternative appears under (the referenced element's, for `ref`).
    pub name: QName,
    /// An `xs:any` branch: any element not matched otherwise.
    pub wildcard: bool,
}

impl TypeSpace<'_> {
    /// The elements an element particle stands for: itself, or for a substitution group head
    /// its concrete members. `None` after a diagnostic.
    pub(super) fn alternatives_of(
        &mut self,
        e: &ElementDecl,
        owner_xml: &QName,
        diags: &mut Diagnostics,
    ) -> Option<Vec<Alt>> {
        let Some(r) = &e.reference else {
            return Some(vec![Alt { element: e.clone(), name: e.name.clone(), wildcard: false }]);
        };
        let Some(head) = self.defs.schemas.elements.get(r) else {
            diags.push(
                Diagnostic::new(e.span.clone(), "xs:element", format!("referenced element `{r}` is not declared"))
                    .context(owner_xml.local.clone()),
            );
            return None;
        };
        self.report_element(r, diags);
        let mut out = Vec::new();
        if !head.is_abstract {
            out.push(Alt { element: head.clone(), name: r.clone(), wildcard: false });
        }
        let mut stack = vec![r.clone()];
        let mut seen = BTreeSet::new();
        while let Some(h) = stack.pop() {
            if !seen.insert(h.clone()) {
                continue;
            }
            for m in self.substitutes.get(&h).cloned().unwrap_or_default() {
                if let Some(decl) = self.defs.schemas.elements.get(&m) {
                    self.report_element(&m, diags);
                    if !decl.is_abstract {
                        out.push(Alt { element: decl.clone(), name: m.clone(), wildcard: false });
                    }
                    stack.push(m);
                }
            }
        }
        if out.is_empty() {
            diags.push(
                Diagnostic::new(
                    e.span.clone(),
                    "xs:element",
                    format!("`{r}` is abstract and no element substitutes for it"),
                )
                .context(owner_xml.local.clone()),
            );
            return None;
        }
        Some(out)
    }

    /// Splits a choice into single-element alternatives, or `None` when a branch holds more
    /// than one element (or a wildcard).
    pub(super) fn choice_alternatives(
        &mut self,
        g: &Group,
        owner_xml: &QName,
        depth: usize,
        optional: &mut bool,
        diags: &mut Diagnostics,
    ) -> Option<Vec<Alt>> {
        if depth > MAX_GROUP_DEPTH {
            return None;
        }
        let mut out = Vec::new();
        for p in &g.particles {
            match p {
                Particle::Element(e) => {
                    if e.min == 0 {
                        *optional = true;
                    }
                    out.extend(self.alternatives_of(e, owner_xml, diags)?);
                }
                Particle::Choice(inner) if !many(inner.max) => {
                    if inner.min == 0 {
                        *optional = true;
                    }
                    out.extend(self.choice_alternatives(inner, owner_xml, depth + 1, optional, diags)?);
                }
                Particle::Sequence(inner) if !many(inner.max) && inner.particles.len() <= 1 => {
                    if inner.min == 0 || inner.particles.is_empty() {
                        *optional = true;
                    }
                    let as_choice = Group { particles: inner.particles.clone(), ..inner.clone() };
                    out.extend(self.choice_alternatives(&as_choice, owner_xml, depth + 1, optional, diags)?);
                }
                Particle::GroupRef { name, min, max, span } => {
                    let resolved = self.resolve_group(name, *min, *max, span, owner_xml, diags)?;
                    let wrapper =
                        Group { particles: vec![resolved], min: 1, max: MaxOccurs::Bounded(1), span: g.span.clone() };
                    out.extend(self.choice_alternatives(&wrapper, owner_xml, depth + 1, optional, diags)?);
                }
                Particle::Any { min, max, span } if !many(*max) && !out.iter().any(|a: &Alt| a.wildcard) => {
                    if *min == 0 {
                        *optional = true;
                    }
                    let element = ElementDecl {
                        name: QName::new("", ANY_NAME),
                        type_name: Some(QName::new(XS_NS, "anyType")),
                        inline: None,
                        reference: None,
                        min: *min,
                        max: *max,
                        nillable: false,
                        doc: None,
                        is_abstract: false,
                        substitution_group: None,
                        span: span.clone(),
                    };
                    out.push(Alt { element, name: QName::new("", ANY_NAME), wildcard: true });
                }
                _ => return None,
            }
        }
        Some(out)
    }

    pub(super) fn choice(
        &mut self,
        cx: &mut FieldSet<'_>,
        g: &Group,
        outer: Outer,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
        let owner_xml = cx.owner_xml;
        let mut optional_branch = false;
        match self.choice_alternatives(g, owner_xml, depth, &mut optional_branch, diags) {
            Some(alts) if alts.is_empty() => {}
            Some(alts) if alts.len() == 1 => {
                // A choice of one: just the element.
                let mut inner = outer;
                inner.optional |= g.min == 0 || optional_branch;
                inner.repeated |= many(g.max);
                if alts[0].wildcard {
                    let (min, max) = (
                        if inner.optional { 0 } else { 1 },
                        if inner.repeated { MaxOccurs::Unbounded } else { MaxOccurs::Bounded(1) },
                    );
                    let any = [Particle::Any { min, max, span: g.span.clone() }];
                    self.particles(cx, &any, Outer::default(), depth + 1, diags);
                    return;
                }
                let Alt { element, name, .. } = &alts[0];
                let mut e = element.clone();
                e.name = name.clone();
                e.reference = None;
                if let Some(field) = self.field(cx, &e, element, name, inner, diags) {
                    cx.fields.push(field);
                }
            }
            Some(alts) => self.choice_field(cx, g, alts, optional_branch, outer, diags),
            None => {
                if many(g.max) || outer.repeated {
                    diags.push(
                        Diagnostic::new(
                            g.span.clone(),
                            "xs:choice",
                            "a repeated choice whose branches hold several elements (or a wildcard) is not supported",
                        )
                        .context(owner_xml.local.clone())
                        .help("give each branch a complex type of its own and choose between elements of those types"),
                    );
                    return;
                }
                // Each branch's elements become optional fields; the caller sets those of
                // the branch it means (documented on each field).
                let inner = Outer { optional: true, repeated: false };
                let start = cx.fields.len();
                for p in &g.particles {
                    self.particles(cx, std::slice::from_ref(p), inner, depth + 1, diags);
                }
                for f in &mut cx.fields[start..] {
                    f.schema_occurs
                        .push_str("; in one branch of an xs:choice: set only the fields of the branch you mean");
                }
            }
        }
    }

    pub(super) fn choice_field(
        &mut self,
        cx: &mut FieldSet<'_>,
        g: &Group,
        alts: Vec<Alt>,
        optional_branch: bool,
        outer: Outer,
        diags: &mut Diagnostics,
    ) {
        let (owner, owner_xml) = (cx.owner, cx.owner_xml);
        let mut variant_names = BTreeSet::new();
        variant_names.insert("Unknown".to_owned());
        let mut variants = Vec::new();
        let mut repeated = many(g.max) || outer.repeated;
        let mut seen_names = BTreeSet::new();
        for alt in &alts {
            if alt.wildcard {
                variants.push(ChoiceAlt {
                    variant: unique("Any".to_owned(), &mut variant_names),
                    xml_name: alt.name.clone(),
                    ty: TypeRef::Prim(Prim::AnyType),
                    nillable: false,
                    schema_type: "xs:any".to_owned(),
                    wildcard: true,
                });
                continue;
            }
            if !seen_names.insert(alt.name.clone()) {
                diags.push(
                    Diagnostic::new(
                        alt.element.span.clone(),
                        "xs:choice",
                        format!("element `{}` appears in two branches of one choice", alt.name.local),
                    )
                    .context(owner_xml.local.clone()),
                );
                return;
            }
            repeated |= many(alt.element.max);
            let Some((ty, schema_type)) = self.element_type(owner, owner_xml, &alt.element, &alt.name, diags) else {
                return;
            };
            variants.push(ChoiceAlt {
                variant: unique(upper_camel(&alt.name.local), &mut variant_names),
                xml_name: alt.name.clone(),
                ty,
                nillable: alt.element.nillable,
                schema_type,
                wildcard: false,
            });
        }
        let rust = unique(format!("{owner}Choice"), &mut self.taken);
        let names: Vec<&str> = alts.iter().map(|a| a.name.local.as_str()).collect();
        let field_name = match names.as_slice() {
            [a, b] => format!("{}_or_{}", snake_case(a), snake_case(b)),
            _ => "choice".to_owned(),
        };
        let optional = g.min == 0 || optional_branch || outer.optional;
        let occurs = match (repeated, optional) {
            (true, _) => Occurs::Repeated,
            (false, true) => Occurs::Optional,
            (false, false) => Occurs::Required,
        };
        self.out.insert(
            rust.clone(),
            TypeDef::Choice(Choice {
                rust_name: rust.clone(),
                owner: owner_xml.clone(),
                variants: variants.clone(),
                derives_eq: false,
            }),
        );
        cx.fields.push(Field {
            rust_name: unique(field_name, &mut cx.names),
            xml_name: alts[0].name.clone(),
            ty: TypeRef::Named(rust),
            occurs,
            boxed: false,
            secret: false,
            schema_type: format!(
                "xs:choice of {}",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
            schema_occurs: occurs_text(g.min, g.max, false),
            nillable: false,
            doc: None,
            kind: FieldKind::Choice(variants),
            redeclared: false,
        });
    }
}
