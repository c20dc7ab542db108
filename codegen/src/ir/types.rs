//! The type space: every schema type gets its Rust name before any body is converted, so
//! forward and recursive references resolve; a last pass boxes fields that close a cycle.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{snake_case, unique, upper_camel};
use super::{Enum, Field, Occurs, Prim, Struct, TypeDef, TypeRef};
use crate::annotations::Annotations;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ComplexTypeDecl, Content, Definitions, ElementDecl, MaxOccurs, Particle, QName, SimpleTypeDecl, TypeDecl};
use crate::parse::XS_NS;

pub(crate) struct TypeSpace<'d> {
    defs: &'d Definitions,
    annotations: &'d Annotations,
    taken: BTreeSet<String>,
    /// Schema type → Rust name.
    type_names: BTreeMap<QName, String>,
    /// Global element with an anonymous type → Rust name.
    element_names: BTreeMap<QName, String>,
    /// Converted types by Rust name.
    out: BTreeMap<String, TypeDef>,
    /// Rust names being converted (guards recursion).
    in_progress: BTreeSet<String>,
}

/// The Rust type a built-in XML Schema type maps to.
fn prim(local: &str) -> Option<Prim> {
    Some(match local {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "NMTOKEN" | "ID" | "IDREF"
        | "ENTITY" | "anyURI" | "QName" => Prim::String,
        "boolean" => Prim::Bool,
        "byte" => Prim::I8,
        "short" => Prim::I16,
        "int" => Prim::I32,
        "long" => Prim::I64,
        "unsignedByte" => Prim::U8,
        "unsignedShort" => Prim::U16,
        "unsignedInt" => Prim::U32,
        "unsignedLong" => Prim::U64,
        "float" => Prim::F32,
        "double" => Prim::F64,
        "dateTime" => Prim::DateTime,
        _ => return None,
    })
}

fn occurs(e: &ElementDecl) -> Occurs {
    let many = match e.max {
        MaxOccurs::Unbounded => true,
        MaxOccurs::Bounded(n) => n > 1,
    };
    match (many, e.min == 0, e.nillable) {
        (true, _, _) => Occurs::Repeated,
        (false, true, true) => Occurs::OptionalNillable,
        (false, true, false) => Occurs::Optional,
        (false, false, true) => Occurs::Nillable,
        (false, false, false) => Occurs::Required,
    }
}

fn occurs_text(e: &ElementDecl) -> String {
    let max = match e.max {
        MaxOccurs::Unbounded => "unbounded".to_owned(),
        MaxOccurs::Bounded(n) => n.to_string(),
    };
    let nil = if e.nillable { ", nillable" } else { "" };
    format!("minOccurs={}, maxOccurs={max}{nil}", e.min)
}

impl<'d> TypeSpace<'d> {
    pub fn new(defs: &'d Definitions, annotations: &'d Annotations) -> Self {
        let mut taken = BTreeSet::new();
        let mut type_names = BTreeMap::new();
        let mut element_names = BTreeMap::new();
        // Ids first, in a fixed order: named types, then elements with anonymous types.
        for (name, decl) in &defs.schemas.types {
            let is_enum = matches!(decl, TypeDecl::Simple(s) if !s.enumerations.is_empty());
            if matches!(decl, TypeDecl::Complex(_)) || is_enum {
                type_names.insert(name.clone(), unique(upper_camel(&name.local), &mut taken));
            }
        }
        for (name, decl) in &defs.schemas.elements {
            if decl.inline.is_some() {
                let base = upper_camel(&name.local);
                let rust = if taken.contains(&base) { unique(format!("{base}Element"), &mut taken) } else { unique(base, &mut taken) };
                element_names.insert(name.clone(), rust);
            }
        }
        TypeSpace { defs, annotations, taken, type_names, element_names, out: BTreeMap::new(), in_progress: BTreeSet::new() }
    }

    /// The Rust struct that is the content of global element `name`, creating it if needed.
    /// Returns None (with a diagnostic) when the element's type is not a complex type.
    pub fn element_struct(&mut self, name: &QName, span: &crate::diagnostics::Span, diags: &mut Diagnostics) -> Option<String> {
        let Some(decl) = self.defs.schemas.elements.get(name) else {
            diags.push(Diagnostic::new(span.clone(), "wsdl:part", format!("element `{name}` is not declared in any schema")));
            return None;
        };
        let rust = if let Some(rust) = self.element_names.get(name).cloned() {
            if let Some(TypeDecl::Complex(c)) = decl.inline.as_deref() {
                self.convert_struct(&rust, name.clone(), c, diags);
            } else {
                diags.push(Diagnostic::new(decl.span.clone(), "xs:element", "a message part's element must have a complex type")
                    .context(name.local.clone()));
                return None;
            }
            rust
        } else {
            match &decl.type_name {
                Some(t) if t.ns != XS_NS => match self.defs.schemas.types.get(t) {
                    Some(TypeDecl::Complex(c)) => {
                        let rust = self.type_names[t].clone();
                        self.convert_struct(&rust, t.clone(), c, diags);
                        rust
                    }
                    _ => {
                        diags.push(Diagnostic::new(decl.span.clone(), "xs:element", format!("a message part's element must have a complex type; `{t}` is not one"))
                            .context(name.local.clone()));
                        return None;
                    }
                },
                _ => {
                    diags.push(Diagnostic::new(decl.span.clone(), "xs:element", "a message part's element must have a complex type")
                        .context(name.local.clone())
                        .help("wrap the value in a complex type (document/literal wrapped style)"));
                    return None;
                }
            }
        };
        if let Some(TypeDef::Struct(s)) = self.out.get_mut(&rust) {
            match &s.element {
                None => s.element = Some(name.clone()),
                Some(existing) if existing == name => {}
                Some(existing) => diags.push(
                    Diagnostic::new(decl.span.clone(), "xs:element", format!("elements `{existing}` and `{name}` share one type; the generator gives each message element its own type"))
                        .help("declare the element with an anonymous type, or give it a type of its own"),
                ),
            }
        }
        Some(rust)
    }

    /// The struct for a complex type, converting it on first use.
    fn convert_struct(&mut self, rust: &str, xml_name: QName, decl: &ComplexTypeDecl, diags: &mut Diagnostics) {
        if self.out.contains_key(rust) || !self.in_progress.insert(rust.to_owned()) {
            return;
        }
        let mut fields = Vec::new();
        let mut field_names = BTreeSet::new();
        let mut chain = BTreeSet::new();
        chain.insert(xml_name.clone());
        let base = match &decl.content {
            Content::Extension { base, .. } => Some(base.clone()),
            _ => None,
        };
        self.collect_fields(rust, &xml_name, decl, &mut chain, &mut fields, &mut field_names, diags);
        self.in_progress.remove(rust);
        self.out.insert(
            rust.to_owned(),
            TypeDef::Struct(Struct { rust_name: rust.to_owned(), xml_name, fields, element: None, base, doc: decl.doc.clone() }),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_fields(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        decl: &ComplexTypeDecl,
        chain: &mut BTreeSet<QName>,
        fields: &mut Vec<Field>,
        field_names: &mut BTreeSet<String>,
        diags: &mut Diagnostics,
    ) {
        let particles = match &decl.content {
            Content::Empty => return,
            Content::Sequence(p) => p,
            Content::Extension { base, particles } => {
                match self.defs.schemas.types.get(base) {
                    Some(TypeDecl::Complex(b)) => {
                        if !chain.insert(base.clone()) {
                            diags.push(Diagnostic::new(decl.span.clone(), "xs:extension", format!("type `{base}` extends itself"))
                                .context(owner_xml.local.clone()));
                            return;
                        }
                        self.collect_fields(owner, owner_xml, &b.clone(), chain, fields, field_names, diags);
                    }
                    _ if base.ns == XS_NS && base.local == "anyType" => {}
                    _ => {
                        diags.push(Diagnostic::new(decl.span.clone(), "xs:extension", format!("base type `{base}` is not a complex type of the schema"))
                            .context(owner_xml.local.clone()));
                        return;
                    }
                }
                particles
            }
        };
        for particle in particles {
            match particle {
                Particle::Element(e) => {
                    if let Some(field) = self.field(owner, owner_xml, e, field_names, diags) {
                        fields.push(field);
                    }
                }
                Particle::Any { span, .. } => diags.push(
                    Diagnostic::new(span.clone(), "xs:any", "wildcard content is not supported yet")
                        .context(owner_xml.local.clone())
                        .help("replace xs:any with the elements the service actually sends"),
                ),
            }
        }
    }

    fn field(&mut self, owner: &str, owner_xml: &QName, e: &ElementDecl, field_names: &mut BTreeSet<String>, diags: &mut Diagnostics) -> Option<Field> {
        let (target, name) = match &e.reference {
            Some(r) => match self.defs.schemas.elements.get(r) {
                Some(g) => (g.clone(), r.clone()),
                None => {
                    diags.push(Diagnostic::new(e.span.clone(), "xs:element", format!("referenced element `{r}` is not declared")).context(owner_xml.local.clone()));
                    return None;
                }
            },
            None => (e.clone(), e.name.clone()),
        };
        let (ty, schema_type) = match self.element_type(owner, owner_xml, &target, diags) {
            Some(v) => v,
            None => return None,
        };
        let rust_name = unique(snake_case(&name.local), field_names);
        let secret = self.annotations.secrets.iter().any(|(t, f)| t == &owner_xml.local && f == &name.local);
        Some(Field {
            rust_name,
            xml_name: name,
            ty,
            occurs: occurs(e),
            boxed: false,
            secret,
            schema_type,
            schema_occurs: occurs_text(e),
            doc: e.doc.clone().or(target.doc.clone()),
        })
    }

    /// The type of an element's content.
    fn element_type(&mut self, owner: &str, owner_xml: &QName, e: &ElementDecl, diags: &mut Diagnostics) -> Option<(TypeRef, String)> {
        if let Some(inline) = &e.inline {
            let rust = if let Some(global) = self.element_names.get(&e.name) {
                global.clone()
            } else {
                unique(format!("{owner}{}", upper_camel(&e.name.local)), &mut self.taken)
            };
            return match inline.as_ref() {
                TypeDecl::Complex(c) => {
                    self.convert_struct(&rust, e.name.clone(), c, diags);
                    Some((TypeRef::Named(rust), "(anonymous complex type)".to_owned()))
                }
                TypeDecl::Simple(s) => self.simple(&rust, e.name.clone(), s, diags).map(|t| (t, "(anonymous simple type)".to_owned())),
            };
        }
        let Some(t) = &e.type_name else {
            diags.push(
                Diagnostic::new(e.span.clone(), "xs:element", "an element without a type (xs:anyType) is not supported")
                    .context(owner_xml.local.clone())
                    .help("give the element a `type`"),
            );
            return None;
        };
        let written = format!("{}:{}", if t.ns == XS_NS { "xs" } else { "tns" }, t.local);
        self.type_ref(t, &e.span, owner_xml, diags).map(|ty| (ty, written))
    }

    fn type_ref(&mut self, t: &QName, span: &crate::diagnostics::Span, owner_xml: &QName, diags: &mut Diagnostics) -> Option<TypeRef> {
        if t.ns == XS_NS {
            return match prim(&t.local) {
                Some(p) => Some(TypeRef::Prim(p)),
                None => {
                    diags.push(
                        Diagnostic::new(span.clone(), format!("xs:{}", t.local), "this built-in type is not supported yet")
                            .context(owner_xml.local.clone())
                            .help("supported: string types, boolean, byte/short/int/long and unsigned forms, float, double, dateTime"),
                    );
                    None
                }
            };
        }
        match self.defs.schemas.types.get(t) {
            Some(TypeDecl::Complex(c)) => {
                if let Some(item) = array_item(c) {
                    let item = item.clone();
                    let item_owner = self.type_names[t].clone();
                    let (item_ty, _) = self.element_type(&item_owner, t, &item, diags)?;
                    return Some(TypeRef::Array { item: Box::new(item_ty), item_name: item.name.clone() });
                }
                let rust = self.type_names[t].clone();
                self.convert_struct(&rust, t.clone(), c, diags);
                Some(TypeRef::Named(rust))
            }
            Some(TypeDecl::Simple(s)) => {
                if s.enumerations.is_empty() {
                    let mut seen = BTreeSet::new();
                    self.simple_base(s, &mut seen, owner_xml, diags)
                } else {
                    let rust = self.type_names[t].clone();
                    self.simple(&rust, t.clone(), s, diags)
                }
            }
            None => {
                diags.push(Diagnostic::new(span.clone(), "type", format!("type `{t}` is not declared in any schema")).context(owner_xml.local.clone()));
                None
            }
        }
    }

    fn simple_base(&mut self, s: &SimpleTypeDecl, seen: &mut BTreeSet<QName>, owner_xml: &QName, diags: &mut Diagnostics) -> Option<TypeRef> {
        if s.base.ns == XS_NS {
            return self.type_ref(&s.base.clone(), &s.span, owner_xml, diags);
        }
        if !seen.insert(s.base.clone()) {
            diags.push(Diagnostic::new(s.span.clone(), "xs:restriction", format!("simple type `{}` restricts itself", s.base)));
            return None;
        }
        match self.defs.schemas.types.get(&s.base) {
            Some(TypeDecl::Simple(b)) if b.enumerations.is_empty() => self.simple_base(&b.clone(), seen, owner_xml, diags),
            _ => self.type_ref(&s.base.clone(), &s.span, owner_xml, diags),
        }
    }

    fn simple(&mut self, rust: &str, xml_name: QName, s: &SimpleTypeDecl, diags: &mut Diagnostics) -> Option<TypeRef> {
        if s.enumerations.is_empty() {
            let mut seen = BTreeSet::new();
            return self.simple_base(s, &mut seen, &xml_name, diags);
        }
        if !self.out.contains_key(rust) {
            let mut taken = BTreeSet::new();
            taken.insert("Unknown".to_owned());
            let variants = s
                .enumerations
                .iter()
                .map(|(value, doc)| (unique(upper_camel(value), &mut taken), value.clone(), doc.clone()))
                .collect();
            self.out.insert(rust.to_owned(), TypeDef::Enum(Enum { rust_name: rust.to_owned(), xml_name, variants, doc: s.doc.clone() }));
        }
        Some(TypeRef::Named(rust.to_owned()))
    }

    /// A converted type by Rust name.
    pub fn get(&self, rust: &str) -> Option<&TypeDef> {
        self.out.get(rust)
    }

    /// The converted types, with fields that close a cycle boxed, ordered by Rust name.
    pub fn finish(mut self, _diags: &mut Diagnostics) -> Vec<TypeDef> {
        let edges: BTreeMap<String, Vec<String>> = self
            .out
            .iter()
            .filter_map(|(name, def)| match def {
                TypeDef::Struct(s) => Some((
                    name.clone(),
                    s.fields
                        .iter()
                        .filter(|f| f.occurs != Occurs::Repeated)
                        .filter_map(|f| match &f.ty {
                            TypeRef::Named(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect(),
                )),
                TypeDef::Enum(_) => None,
            })
            .collect();
        let reaches = |from: &str, to: &str| -> bool {
            let mut stack = vec![from.to_owned()];
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n.clone()) {
                    if let Some(next) = edges.get(&n) {
                        stack.extend(next.iter().cloned());
                    }
                }
            }
            false
        };
        let mut to_box = Vec::new();
        for (owner, targets) in &edges {
            for target in targets {
                if reaches(target, owner) {
                    to_box.push((owner.clone(), target.clone()));
                }
            }
        }
        for (owner, target) in to_box {
            if let Some(TypeDef::Struct(s)) = self.out.get_mut(&owner) {
                for f in &mut s.fields {
                    if f.occurs != Occurs::Repeated && f.ty == TypeRef::Named(target.clone()) {
                        f.boxed = true;
                    }
                }
            }
        }
        self.out.into_values().collect()
    }
}

/// The repeated child of an ASMX-style array wrapper (`ArrayOfX`): a complex type whose whole
/// content is one element with `maxOccurs` above 1.
fn array_item(c: &ComplexTypeDecl) -> Option<&ElementDecl> {
    match &c.content {
        Content::Sequence(particles) if particles.len() == 1 && !c.is_abstract => match &particles[0] {
            Particle::Element(e) if e.reference.is_none() && matches!(e.max, MaxOccurs::Unbounded | MaxOccurs::Bounded(2..)) => Some(e),
            _ => None,
        },
        _ => None,
    }
}
