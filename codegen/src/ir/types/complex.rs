//! Complex types: structs, derivation (`complexContent`, `simpleContent`), named type
//! references and the polymorphic enums of extended types.

use super::particles::Outer;
use super::simple::{prim, well_known};
use super::*;
use crate::diagnostics::Span;
use crate::ir::{FieldKind, Occurs, Poly, Struct};
use crate::model::{AttributeDecl, ElementDecl, Particle};

impl TypeSpace<'_> {
    /// The struct for a complex type, converting it on first use.
    pub(super) fn convert_struct(
        &mut self,
        rust: &str,
        xml_name: QName,
        decl: &ComplexTypeDecl,
        diags: &mut Diagnostics,
    ) {
        if self.out.contains_key(rust) || self.in_progress.contains(rust) {
            return;
        }
        if self.depth >= MAX_TYPE_DEPTH {
            diags.push(
                Diagnostic::new(decl.span.clone(), "xs:complexType", format!("types nest more than {MAX_TYPE_DEPTH} levels deep here"))
                    .context(xml_name.local.clone())
                    .help("a chain of types each holding the next is too deep to convert; check the schema for a generated chain"),
            );
            return;
        }
        self.in_progress.insert(rust.to_owned());
        self.depth += 1;
        self.report(format!("type {rust}"), &decl.problems, diags);
        let mut cx = FieldSet::new(rust, &xml_name);
        let mut chain = BTreeSet::new();
        chain.insert(xml_name.clone());
        let base = match &decl.content {
            Content::Extension { base, .. } => Some(base.clone()),
            _ => None,
        };
        self.collect_fields(&mut cx, decl, &mut chain, diags);
        let fields = cx.fields;
        check_distinct_names(&xml_name, decl, &fields, diags);
        self.in_progress.remove(rust);
        self.depth -= 1;
        self.out.insert(
            rust.to_owned(),
            TypeDef::Struct(Struct {
                rust_name: rust.to_owned(),
                xml_name,
                fields,
                element: None,
                base,
                is_abstract: decl.is_abstract,
                derives_eq: false,
                doc: decl.doc.clone(),
            }),
        );
    }

    /// Fields of `decl`: its base's first, then attributes and content in schema order.
    pub(super) fn collect_fields(
        &mut self,
        cx: &mut FieldSet<'_>,
        decl: &ComplexTypeDecl,
        chain: &mut BTreeSet<QName>,
        diags: &mut Diagnostics,
    ) {
        let owner_xml = cx.owner_xml;
        let base_of = |content: &Content| match content {
            Content::Extension { base, .. } | Content::Restriction { base, .. } | Content::Simple { base } => {
                Some(base.clone())
            }
            _ => None,
        };
        // The base type's fields (an extension inherits everything; a restriction restates
        // its elements and inherits only attributes).
        let mut inherited_attributes = Vec::new();
        if let Some(base) = base_of(&decl.content) {
            let is_any_type = base.ns == XS_NS && base.local == "anyType";
            match self.defs.schemas.types.get(&base) {
                Some(TypeDecl::Complex(b)) => {
                    if chain.len() > MAX_TYPE_DEPTH {
                        diags.push(
                            Diagnostic::new(
                                decl.span.clone(),
                                "xs:extension",
                                format!("more than {MAX_TYPE_DEPTH} levels of derivation"),
                            )
                            .context(owner_xml.local.clone()),
                        );
                        return;
                    }
                    if !chain.insert(base.clone()) {
                        diags.push(
                            Diagnostic::new(
                                decl.span.clone(),
                                "xs:extension",
                                format!("type `{base}` derives from itself"),
                            )
                            .context(owner_xml.local.clone()),
                        );
                        return;
                    }
                    let b = b.clone();
                    if let Some(rust) = self.type_names.get(&base).cloned() {
                        self.report(format!("type {rust}"), &b.problems, diags);
                    }
                    let start = cx.fields.len();
                    self.collect_fields(cx, &b, chain, diags);
                    if !matches!(decl.content, Content::Extension { .. } | Content::Simple { .. }) {
                        inherited_attributes =
                            cx.fields.split_off(start).into_iter().filter(|f| f.kind == FieldKind::Attribute).collect()
                    }
                }
                Some(TypeDecl::Simple(_)) | None
                    if matches!(decl.content, Content::Simple { .. }) || (base.ns == XS_NS && !is_any_type) =>
                {
                    if !matches!(decl.content, Content::Simple { .. }) {
                        diags.push(
                            Diagnostic::new(
                                decl.span.clone(),
                                "xs:complexContent",
                                format!("complex content cannot derive from the simple type `{base}`"),
                            )
                            .context(owner_xml.local.clone())
                            .help("use xs:simpleContent to add attributes to a simple type"),
                        );
                        return;
                    }
                    // simpleContent over a simple type: the element's text.
                    let Some(ty) = self.type_ref(&base, &decl.span, owner_xml, diags) else { return };
                    if !is_simple(&ty, &self.out) {
                        diags.push(
                            Diagnostic::new(
                                decl.span.clone(),
                                "xs:simpleContent",
                                format!("`{base}` is not a simple type"),
                            )
                            .context(owner_xml.local.clone()),
                        );
                        return;
                    }
                    cx.fields.push(Field {
                        rust_name: unique("value".to_owned(), &mut cx.names),
                        xml_name: owner_xml.clone(),
                        ty,
                        occurs: Occurs::Required,
                        boxed: false,
                        secret: false,
                        schema_type: written(&base),
                        schema_occurs: "the element's text".to_owned(),
                        nillable: false,
                        doc: None,
                        kind: FieldKind::Text,
                        redeclared: false,
                    });
                }
                _ if is_any_type => {}
                Some(TypeDecl::Simple(_)) => {
                    diags.push(
                        Diagnostic::new(
                            decl.span.clone(),
                            "xs:complexContent",
                            format!("complex content cannot derive from the simple type `{base}`"),
                        )
                        .context(owner_xml.local.clone())
                        .help("use xs:simpleContent to add attributes to a simple type"),
                    );
                    return;
                }
                None => {
                    let mut d = Diagnostic::new(
                        decl.span.clone(),
                        "xs:extension",
                        format!("base type `{base}` is not declared in any schema"),
                    )
                    .context(owner_xml.local.clone());
                    if base.ns == SOAP_ENCODING_NS {
                        d = d.help("SOAP-encoded arrays (rpc/encoded services) are not supported; only literal XML is");
                    }
                    diags.push(d);
                    return;
                }
            }
        }
        // Attributes: inherited (restriction), then declared here; a redeclared or
        // prohibited attribute replaces the inherited one.
        let mut own_attributes = Vec::new();
        let mut prohibited = BTreeSet::new();
        self.attributes(owner_xml, &decl.attributes, &mut own_attributes, &mut prohibited, 0, diags);
        for f in inherited_attributes {
            if !prohibited.contains(&f.xml_name)
                && !own_attributes.iter().any(|(a, _): &(AttributeDecl, _)| a.name == f.xml_name)
            {
                cx.fields.push(f);
            }
        }
        for (a, written_type) in own_attributes {
            if let Some(f) = self.attribute_field(owner_xml, &a, written_type, &mut cx.names, diags) {
                cx.fields.push(f);
            }
        }
        if decl.mixed {
            // Text between the elements: keep the whole content as it was written (inherited
            // elements included).
            cx.fields.retain(|f| f.kind == FieldKind::Attribute);
            cx.fields.push(Field {
                rust_name: unique("content".to_owned(), &mut cx.names),
                xml_name: owner_xml.clone(),
                ty: TypeRef::Prim(Prim::AnyType),
                occurs: Occurs::Required,
                boxed: false,
                secret: false,
                schema_type: "mixed content".to_owned(),
                schema_occurs: "the element's whole content".to_owned(),
                nillable: false,
                doc: None,
                kind: FieldKind::Content,
                redeclared: false,
            });
            return;
        }
        let particles = match &decl.content {
            Content::Empty | Content::Simple { .. } => return,
            Content::Sequence(p)
            | Content::Extension { particles: p, .. }
            | Content::Restriction { particles: p, .. } => p,
        };
        let own_start = cx.fields.len();
        self.particles(cx, particles, Outer::default(), 0, diags);
        if let Content::Extension { base, .. } = &decl.content {
            merge_redeclared(cx, own_start, base, (particles, &decl.span), diags);
        }
    }

    pub(super) fn type_ref(
        &mut self,
        t: &QName,
        span: &Span,
        owner_xml: &QName,
        diags: &mut Diagnostics,
    ) -> Option<TypeRef> {
        if t.ns == XS_NS {
            return match prim(&t.local) {
                Some(p) => Some(p),
                None => {
                    diags.push(
                        Diagnostic::new(span.clone(), format!("xs:{}", t.local), "this built-in type is not supported")
                            .context(owner_xml.local.clone())
                            .help("supported: the string, boolean, integer, decimal, float, double, date/time, duration and binary types, anyType"),
                    );
                    None
                }
            };
        }
        if let Some(p) = well_known(t) {
            return Some(TypeRef::Prim(p));
        }
        match self.defs.schemas.types.get(t) {
            Some(TypeDecl::Complex(c)) => {
                let rust = self.type_names.get(t).cloned()?;
                if let Some(item) = array_item(c) {
                    self.report(format!("type {rust}"), &c.problems, diags);
                    let item = item.clone();
                    // An array whose items are (through other arrays, with no struct in
                    // between) itself would recurse forever: refuse it. A struct in between
                    // (`ArrayOfNode` → `Node` → `ArrayOfNode`) is an ordinary recursive type.
                    let nested_array = match (&item.inline, &item.type_name) {
                        (Some(inline), _) => {
                            matches!(inline.as_ref(), TypeDecl::Complex(ic) if array_item(ic).is_some())
                        }
                        (None, Some(it)) => {
                            matches!(self.defs.schemas.types.get(it), Some(TypeDecl::Complex(ic)) if array_item(ic).is_some())
                        }
                        (None, None) => false,
                    };
                    let marker = format!("[array] {rust}");
                    if nested_array && !self.in_progress.insert(marker.clone()) {
                        diags.push(
                            Diagnostic::new(
                                c.span.clone(),
                                "array type",
                                format!("array type `{}` contains itself", written(t)),
                            )
                            .context(owner_xml.local.clone())
                            .help("give the items a complex type with named fields instead of the array itself"),
                        );
                        return None;
                    }
                    let resolved = self.element_type(&rust, t, &item, &item.name, diags);
                    self.in_progress.remove(&marker);
                    let (mut item_ty, _) = resolved?;
                    if matches!(item_ty, TypeRef::Array { .. }) {
                        // An array of arrays (`ArrayOfArrayOfX`): the inner wrapper stays a
                        // struct, so each item keeps its own element.
                        if let Some(inner) = &item.type_name {
                            if let (Some(TypeDecl::Complex(ic)), Some(inner_rust)) =
                                (self.defs.schemas.types.get(inner), self.type_names.get(inner).cloned())
                            {
                                self.convert_struct(&inner_rust, inner.clone(), ic, diags);
                                item_ty = TypeRef::Named(inner_rust);
                            }
                        }
                    }
                    return Some(TypeRef::Array { item: Box::new(item_ty), item_name: item.name.clone() });
                }
                self.convert_struct(&rust, t.clone(), c, diags);
                if self.derived.contains_key(t) {
                    return Some(TypeRef::Named(self.poly(t, &rust, c.is_abstract, diags)));
                }
                Some(TypeRef::Named(rust))
            }
            Some(TypeDecl::Simple(s)) => {
                let key = format!("simple {t}");
                if !s.problems.is_empty() {
                    self.report(key, &s.problems, diags);
                    return None;
                }
                match self.type_names.get(t).cloned() {
                    Some(rust) => self.simple(&rust, t.clone(), s, diags),
                    None => {
                        let mut seen = BTreeSet::new();
                        self.simple_base(s, &mut seen, owner_xml, diags)
                    }
                }
            }
            None => {
                diags.push(
                    Diagnostic::new(span.clone(), "type", format!("type `{t}` is not declared in any schema"))
                        .context(owner_xml.local.clone()),
                );
                None
            }
        }
    }

    /// The enum of `base` and every type derived from it, creating it on first use.
    pub(super) fn poly(
        &mut self,
        base: &QName,
        base_rust: &str,
        base_abstract: bool,
        diags: &mut Diagnostics,
    ) -> String {
        if let Some(name) = self.poly_names.get(base) {
            return name.clone();
        }
        let rust = unique(format!("Any{base_rust}"), &mut self.taken);
        self.poly_names.insert(base.clone(), rust.clone());
        let mut all = BTreeSet::new();
        let mut stack = vec![base.clone()];
        while let Some(t) = stack.pop() {
            for d in self.derived.get(&t).cloned().unwrap_or_default() {
                if all.insert(d.clone()) {
                    stack.push(d);
                }
            }
        }
        let mut variants = Vec::new();
        if !base_abstract {
            variants.push((base_rust.to_owned(), base.clone()));
        }
        for d in all {
            let (Some(TypeDecl::Complex(c)), Some(rust_d)) =
                (self.defs.schemas.types.get(&d), self.type_names.get(&d).cloned())
            else {
                continue;
            };
            self.convert_struct(&rust_d, d.clone(), c, diags);
            if !c.is_abstract {
                variants.push((rust_d, d.clone()));
            }
        }
        self.out.insert(
            rust.clone(),
            TypeDef::Poly(Poly {
                rust_name: rust.clone(),
                base: base_rust.to_owned(),
                base_xml: base.clone(),
                base_abstract,
                variants,
                derives_eq: false,
            }),
        );
        rust
    }
}

/// Two element fields (or choice alternatives) with one XML name cannot be told apart on
/// read: the generator needs distinct names within a type.
pub(super) fn check_distinct_names(owner: &QName, decl: &ComplexTypeDecl, fields: &[Field], diags: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    for f in fields {
        let names: Vec<&QName> = match &f.kind {
            FieldKind::Element => vec![&f.xml_name],
            FieldKind::Choice(alts) => alts.iter().filter(|a| !a.wildcard).map(|a| &a.xml_name).collect(),
            _ => Vec::new(),
        };
        for n in names {
            if !seen.insert(n.clone()) {
                diags.push(
                    Diagnostic::new(
                        decl.span.clone(),
                        "xs:complexType",
                        format!("element `{}` appears twice in the content of one type", n.local),
                    )
                    .context(owner.local.clone())
                    .help("the generator reads children by name; give the elements distinct names"),
                );
            }
        }
    }
}

/// Elements an extension declares again after its base (fields from `own_start` on that have
/// the name of an inherited element field): with the same type they are the inherited field
/// (marked `redeclared`); with another type, a diagnostic naming both.
fn merge_redeclared(
    cx: &mut FieldSet<'_>,
    own_start: usize,
    base: &QName,
    (particles, decl_span): (&[Particle], &Span),
    diags: &mut Diagnostics,
) {
    let mut index = own_start;
    while index < cx.fields.len() {
        let own = &cx.fields[index];
        let inherited = (own.kind == FieldKind::Element)
            .then(|| {
                cx.fields[..own_start].iter().position(|f| f.kind == FieldKind::Element && f.xml_name == own.xml_name)
            })
            .flatten();
        let Some(at) = inherited else {
            index += 1;
            continue;
        };
        if cx.fields[at].ty != own.ty {
            let span = particles
                .iter()
                .find_map(|p| match p {
                    Particle::Element(e) if e.name == own.xml_name => Some(e.span.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| decl_span.clone());
            diags.push(
                Diagnostic::new(
                    span,
                    "xs:extension",
                    format!(
                        "element `{}` is declared again with type `{}`, but base type `{}` declares it with type `{}`",
                        own.xml_name.local, own.schema_type, base.local, cx.fields[at].schema_type
                    ),
                )
                .context(cx.owner_xml.local.clone())
                .help("a derived type may restate an inherited element only with the same type"),
            );
        }
        cx.fields[at].redeclared = true;
        cx.fields.remove(index);
    }
}

/// The repeated child of an ASMX-style array wrapper (`ArrayOfX`): a complex type whose whole
/// content is one element with `maxOccurs` above 1.
pub(super) fn array_item(c: &ComplexTypeDecl) -> Option<&ElementDecl> {
    if c.is_abstract || c.mixed || !c.attributes.is_empty() {
        return None;
    }
    match &c.content {
        Content::Sequence(particles) if particles.len() == 1 => match &particles[0] {
            Particle::Element(e) if e.reference.is_none() && many(e.max) => Some(e),
            _ => None,
        },
        _ => None,
    }
}
