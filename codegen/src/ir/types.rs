//! The type space: every schema type gets its Rust name before any body is converted, so
//! forward and recursive references resolve; a last pass boxes fields that close a cycle.
//!
//! Content models are flattened into struct fields: nested sequences and model groups add
//! their elements (optional when the group is), an `xs:choice` of elements becomes an enum
//! field, `xs:any` a field of raw XML, attributes fields of their own. A complex type that
//! other types extend becomes, where it is referenced, an enum of itself and its derived
//! types told apart by `xsi:type`.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{snake_case, unique, upper_camel};
use super::{Choice, ChoiceAlt, Enum, Field, FieldKind, Occurs, Poly, Prim, Struct, TypeDef, TypeRef};
use crate::annotations::Annotations;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::{
    AttributeDecl, AttributeItem, AttributeUse, ComplexTypeDecl, Content, Definitions, ElementDecl, Group, ListItem,
    MaxOccurs, Particle, QName, SimpleTypeDecl, TypeDecl,
};
use crate::parse::XS_NS;

/// Where ASMX declares .NET's `guid` and `char`.
const MS_WSDL_TYPES_NS: &str = "http://microsoft.com/wsdl/types/";
/// Where WCF's data contract serializer declares them (and `duration`).
const MS_SERIALIZATION_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/";
/// SOAP 1.1 encoding (`soapenc:Array`).
const SOAP_ENCODING_NS: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// The `xml:` namespace (`xml:lang` attributes).
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Types that contain each other by value more deeply than this are refused: conversion
/// recurses once per level, and a caller's thread has an ordinary stack.
const MAX_TYPE_DEPTH: usize = 100;

/// Nested model groups deeper than this are refused (a group that contains itself).
const MAX_GROUP_DEPTH: usize = 32;

pub(crate) struct TypeSpace<'d> {
    defs: &'d Definitions,
    annotations: &'d Annotations,
    taken: BTreeSet<String>,
    /// Schema type → Rust name.
    type_names: BTreeMap<QName, String>,
    /// Global element with an anonymous type → Rust name.
    element_names: BTreeMap<QName, String>,
    /// Complex type → the complex types that extend it directly.
    derived: BTreeMap<QName, Vec<QName>>,
    /// Substitution group head → its members.
    substitutes: BTreeMap<QName, Vec<QName>>,
    /// Base type → Rust name of its polymorphic enum.
    poly_names: BTreeMap<QName, String>,
    /// Message element → the struct it is the content of.
    element_structs: BTreeMap<QName, String>,
    /// Converted types by Rust name.
    out: BTreeMap<String, TypeDef>,
    /// Rust names being converted (guards recursion).
    in_progress: BTreeSet<String>,
    /// Declarations whose deferred problems were reported.
    reported: BTreeSet<String>,
    /// How many struct conversions are under way (nested).
    depth: usize,
}

/// The Rust type a built-in XML Schema type maps to.
fn prim(local: &str) -> Option<TypeRef> {
    let p = match local {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "NMTOKEN" | "ID" | "IDREF"
        | "ENTITY" | "anyURI" | "QName" | "NOTATION" | "anySimpleType" | "gYear" | "gYearMonth" | "gMonth" | "gDay"
        | "gMonthDay" => Prim::String,
        "NMTOKENS" | "IDREFS" | "ENTITIES" => return Some(TypeRef::List(Box::new(TypeRef::Prim(Prim::String)))),
        "boolean" => Prim::Bool,
        "byte" => Prim::I8,
        "short" => Prim::I16,
        "int" => Prim::I32,
        "long" | "integer" | "nonPositiveInteger" | "negativeInteger" => Prim::I64,
        "unsignedByte" => Prim::U8,
        "unsignedShort" => Prim::U16,
        "unsignedInt" => Prim::U32,
        "unsignedLong" | "nonNegativeInteger" | "positiveInteger" => Prim::U64,
        "float" => Prim::F32,
        "double" => Prim::F64,
        "dateTime" => Prim::DateTime,
        "decimal" => Prim::Decimal,
        "base64Binary" => Prim::Base64,
        "hexBinary" => Prim::HexBinary,
        "date" => Prim::Date,
        "time" => Prim::Time,
        "duration" => Prim::Duration,
        "anyType" => Prim::AnyType,
        _ => return None,
    };
    Some(TypeRef::Prim(p))
}

/// .NET types that the schemas declare as restricted strings or numbers but that have a
/// better Rust type.
fn well_known(t: &QName) -> Option<Prim> {
    match (t.ns.as_str(), t.local.as_str()) {
        (MS_WSDL_TYPES_NS | MS_SERIALIZATION_NS, "guid") => Some(Prim::Guid),
        (MS_WSDL_TYPES_NS | MS_SERIALIZATION_NS, "char") => Some(Prim::Char),
        (MS_SERIALIZATION_NS, "duration") => Some(Prim::Duration),
        _ => None,
    }
}

fn many(max: MaxOccurs) -> bool {
    match max {
        MaxOccurs::Unbounded => true,
        MaxOccurs::Bounded(n) => n > 1,
    }
}

/// The enclosing groups' effect on a particle: an optional group makes its elements
/// optional, a repeated one makes its (single) particle repeated.
#[derive(Debug, Clone, Copy, Default)]
struct Outer {
    optional: bool,
    repeated: bool,
}

fn occurs_of(min: u32, max: MaxOccurs, nillable: bool, outer: Outer) -> Occurs {
    let optional = min == 0 || outer.optional;
    match (many(max) || outer.repeated, optional, nillable) {
        (true, _, _) => Occurs::Repeated,
        (false, true, true) => Occurs::OptionalNillable,
        (false, true, false) => Occurs::Optional,
        (false, false, true) => Occurs::Nillable,
        (false, false, false) => Occurs::Required,
    }
}

fn occurs_text(min: u32, max: MaxOccurs, nillable: bool) -> String {
    let max = match max {
        MaxOccurs::Unbounded => "unbounded".to_owned(),
        MaxOccurs::Bounded(n) => n.to_string(),
    };
    let nil = if nillable { ", nillable" } else { "" };
    format!("minOccurs={min}, maxOccurs={max}{nil}")
}

fn written(t: &QName) -> String {
    format!("{}:{}", if t.ns == XS_NS { "xs" } else { "tns" }, t.local)
}

/// An alternative of a choice, before conversion.
struct Alt {
    element: ElementDecl,
    /// The name the alternative appears under (the referenced element's, for `ref`).
    name: QName,
    /// An `xs:any` branch: any element not matched otherwise.
    wildcard: bool,
}

/// Prelude names the generated code uses unqualified; no generated type may take them.
const PRELUDE_NAMES: &[&str] = &["Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec"];

/// The Rust name a schema type or element name starts from: `UpperCamelCase`, and a prelude
/// name gets a `Type` suffix (`Result` → `ResultType`).
fn type_base(local: &str) -> String {
    let base = upper_camel(local);
    if PRELUDE_NAMES.contains(&base.as_str()) { format!("{base}Type") } else { base }
}

/// The field or variant name of wildcard content.
const ANY_NAME: &str = "(any)";

impl<'d> TypeSpace<'d> {
    pub fn new(defs: &'d Definitions, annotations: &'d Annotations) -> Self {
        // The generated types module names these prelude items unqualified: a schema type
        // called `String` or `Option` becomes `String2` or `Option2` instead of shadowing them.
        let mut taken: BTreeSet<String> = PRELUDE_NAMES.iter().map(|&n| n.to_owned()).collect();
        let mut type_names = BTreeMap::new();
        let mut element_names = BTreeMap::new();
        let mut derived: BTreeMap<QName, Vec<QName>> = BTreeMap::new();
        // Ids first, in a fixed order: named types, then elements with anonymous types.
        for (name, decl) in &defs.schemas.types {
            let is_enum = matches!(decl, TypeDecl::Simple(s) if !s.enumerations.is_empty() && s.list.is_none());
            if matches!(decl, TypeDecl::Complex(_)) || is_enum {
                type_names.insert(name.clone(), unique(type_base(&name.local), &mut taken));
            }
            if let TypeDecl::Complex(ComplexTypeDecl { content: Content::Extension { base, .. }, .. }) = decl {
                derived.entry(base.clone()).or_default().push(name.clone());
            }
        }
        for (name, decl) in &defs.schemas.elements {
            if decl.inline.is_some() {
                let base = type_base(&name.local);
                let rust = if taken.contains(&base) {
                    unique(format!("{base}Element"), &mut taken)
                } else {
                    unique(base, &mut taken)
                };
                element_names.insert(name.clone(), rust);
            }
        }
        let mut substitutes: BTreeMap<QName, Vec<QName>> = BTreeMap::new();
        for (name, decl) in &defs.schemas.elements {
            if let Some(head) = &decl.substitution_group {
                substitutes.entry(head.clone()).or_default().push(name.clone());
            }
        }
        TypeSpace {
            defs,
            annotations,
            taken,
            type_names,
            element_names,
            derived,
            substitutes,
            poly_names: BTreeMap::new(),
            element_structs: BTreeMap::new(),
            out: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            reported: BTreeSet::new(),
            depth: 0,
        }
    }

    /// Reports the deferred problems of a declaration the first time it is used.
    fn report(&mut self, key: String, problems: &[Diagnostic], diags: &mut Diagnostics) {
        if !problems.is_empty() && self.reported.insert(key) {
            diags.0.extend(problems.iter().cloned());
        }
    }

    fn report_element(&mut self, name: &QName, diags: &mut Diagnostics) {
        if let Some(problems) = self.defs.schemas.element_problems.get(name) {
            self.report(format!("element {name}"), problems, diags);
        }
    }

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
                    doc: None,
                    kind,
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
    fn fresh_element_name(&mut self, name: &QName) -> String {
        let base = type_base(&name.local);
        if self.taken.contains(&base) {
            unique(format!("{base}Element"), &mut self.taken)
        } else {
            unique(base, &mut self.taken)
        }
    }

    /// The struct for a complex type, converting it on first use.
    fn convert_struct(&mut self, rust: &str, xml_name: QName, decl: &ComplexTypeDecl, diags: &mut Diagnostics) {
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
        let mut fields = Vec::new();
        let mut field_names = BTreeSet::new();
        let mut chain = BTreeSet::new();
        chain.insert(xml_name.clone());
        let base = match &decl.content {
            Content::Extension { base, .. } => Some(base.clone()),
            _ => None,
        };
        self.collect_fields(rust, &xml_name, decl, &mut chain, &mut fields, &mut field_names, diags);
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
                    let mut base_fields = Vec::new();
                    self.collect_fields(owner, owner_xml, &b, chain, &mut base_fields, field_names, diags);
                    match &decl.content {
                        Content::Extension { .. } | Content::Simple { .. } => fields.extend(base_fields),
                        _ => {
                            inherited_attributes =
                                base_fields.into_iter().filter(|f| f.kind == FieldKind::Attribute).collect()
                        }
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
                    fields.push(Field {
                        rust_name: unique("value".to_owned(), field_names),
                        xml_name: owner_xml.clone(),
                        ty,
                        occurs: Occurs::Required,
                        boxed: false,
                        secret: false,
                        schema_type: written(&base),
                        schema_occurs: "the element's text".to_owned(),
                        doc: None,
                        kind: FieldKind::Text,
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
                fields.push(f);
            }
        }
        for (a, written_type) in own_attributes {
            if let Some(f) = self.attribute_field(owner_xml, &a, written_type, field_names, diags) {
                fields.push(f);
            }
        }
        if decl.mixed {
            // Text between the elements: keep the whole content as it was written (inherited
            // elements included).
            fields.retain(|f| f.kind == FieldKind::Attribute);
            fields.push(Field {
                rust_name: unique("content".to_owned(), field_names),
                xml_name: owner_xml.clone(),
                ty: TypeRef::Prim(Prim::AnyType),
                occurs: Occurs::Required,
                boxed: false,
                secret: false,
                schema_type: "mixed content".to_owned(),
                schema_occurs: "the element's whole content".to_owned(),
                doc: None,
                kind: FieldKind::Content,
            });
            return;
        }
        let particles = match &decl.content {
            Content::Empty | Content::Simple { .. } => return,
            Content::Sequence(p)
            | Content::Extension { particles: p, .. }
            | Content::Restriction { particles: p, .. } => p,
        };
        self.particles(owner, owner_xml, particles, Outer::default(), fields, field_names, 0, diags);
    }

    /// Resolves attribute uses and groups to (declaration, type as written); records
    /// prohibited names.
    fn attributes(
        &mut self,
        owner_xml: &QName,
        items: &[AttributeItem],
        out: &mut Vec<(AttributeDecl, Option<QName>)>,
        prohibited: &mut BTreeSet<QName>,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
        for item in items {
            match item {
                AttributeItem::Attribute(a) => {
                    if a.usage == AttributeUse::Prohibited {
                        prohibited.insert(a.name.clone());
                        continue;
                    }
                    let resolved = match &a.reference {
                        Some(r) if r.ns == XML_NS => {
                            let mut x = a.clone();
                            x.type_name = Some(QName::new(XS_NS, "string"));
                            x
                        }
                        Some(r) => match self.defs.schemas.attributes.get(r) {
                            Some(g) => {
                                let mut x = g.clone();
                                x.usage = a.usage;
                                if a.default.is_some() {
                                    x.default.clone_from(&a.default);
                                }
                                x.doc = a.doc.clone().or(x.doc);
                                x.span = a.span.clone();
                                x
                            }
                            None => {
                                diags.push(
                                    Diagnostic::new(
                                        a.span.clone(),
                                        "xs:attribute",
                                        format!("referenced attribute `{r}` is not declared"),
                                    )
                                    .context(owner_xml.local.clone()),
                                );
                                continue;
                            }
                        },
                        None => a.clone(),
                    };
                    let t = resolved.type_name.clone();
                    out.push((resolved, t));
                }
                AttributeItem::GroupRef { name, span } => {
                    if depth > MAX_GROUP_DEPTH {
                        diags.push(
                            Diagnostic::new(
                                span.clone(),
                                "xs:attributeGroup",
                                format!("attribute group `{name}` contains itself"),
                            )
                            .context(owner_xml.local.clone()),
                        );
                        continue;
                    }
                    let Some(group) = self.defs.schemas.attribute_groups.get(name) else {
                        diags.push(
                            Diagnostic::new(
                                span.clone(),
                                "xs:attributeGroup",
                                format!("attribute group `{name}` is not declared"),
                            )
                            .context(owner_xml.local.clone()),
                        );
                        continue;
                    };
                    self.report(format!("attributeGroup {name}"), &group.problems, diags);
                    self.attributes(owner_xml, &group.attributes, out, prohibited, depth + 1, diags);
                }
            }
        }
    }

    fn attribute_field(
        &mut self,
        owner_xml: &QName,
        a: &AttributeDecl,
        written_type: Option<QName>,
        field_names: &mut BTreeSet<String>,
        diags: &mut Diagnostics,
    ) -> Option<Field> {
        let (ty, schema_type) = if let Some(inline) = &a.inline {
            let rust = unique(format!("{}{}", self.rust_of(owner_xml), upper_camel(&a.name.local)), &mut self.taken);
            (self.simple(&rust, a.name.clone(), inline, diags)?, "(anonymous simple type)".to_owned())
        } else {
            let t = written_type.unwrap_or_else(|| QName::new(XS_NS, "anySimpleType"));
            (self.type_ref(&t, &a.span, owner_xml, diags)?, written(&t))
        };
        if !is_simple(&ty, &self.out) {
            diags.push(
                Diagnostic::new(
                    a.span.clone(),
                    "xs:attribute",
                    format!("attribute `{}` must have a simple type", a.name.local),
                )
                .context(owner_xml.local.clone()),
            );
            return None;
        }
        let required = a.usage == AttributeUse::Required;
        let mut doc = a.doc.clone();
        if let Some(d) = &a.default {
            let note = format!("Default: `{d}`.");
            doc = Some(match doc {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            });
        }
        Some(Field {
            rust_name: unique(snake_case(&a.name.local), field_names),
            xml_name: a.name.clone(),
            ty,
            occurs: if required { Occurs::Required } else { Occurs::Optional },
            boxed: false,
            secret: false,
            schema_type,
            schema_occurs: if required { "use=required".to_owned() } else { "use=optional".to_owned() },
            doc,
            kind: FieldKind::Attribute,
        })
    }

    fn rust_of(&self, xml: &QName) -> String {
        self.type_names
            .get(xml)
            .or_else(|| self.element_names.get(xml))
            .cloned()
            .unwrap_or_else(|| upper_camel(&xml.local))
    }

    /// Flattens particles into fields.
    #[allow(clippy::too_many_arguments)]
    fn particles(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        particles: &[Particle],
        outer: Outer,
        fields: &mut Vec<Field>,
        field_names: &mut BTreeSet<String>,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
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
                            if let Some(field) =
                                self.field(owner, owner_xml, e, &only.element, &only.name, outer, field_names, diags)
                            {
                                fields.push(field);
                            }
                        }
                        Some(_) => {
                            // A substitution group head: one of its members.
                            let Some(alts) = alts else { continue };
                            let group = Group { particles: Vec::new(), min: e.min, max: e.max, span: e.span.clone() };
                            self.choice_field(owner, owner_xml, &group, alts, false, outer, fields, field_names, diags);
                        }
                    }
                }
                Particle::Any { min, max, span: _ } => {
                    let occurs = occurs_of(*min, *max, false, outer);
                    fields.push(Field {
                        rust_name: unique("any".to_owned(), field_names),
                        xml_name: QName::new("", ANY_NAME),
                        ty: TypeRef::Prim(Prim::AnyType),
                        occurs,
                        boxed: false,
                        secret: false,
                        schema_type: "xs:any".to_owned(),
                        schema_occurs: occurs_text(*min, *max, false),
                        doc: None,
                        kind: FieldKind::Any,
                    });
                }
                Particle::Sequence(g) => self.sequence(owner, owner_xml, g, outer, fields, field_names, depth, diags),
                Particle::Choice(g) => self.choice(owner, owner_xml, g, outer, fields, field_names, depth, diags),
                Particle::GroupRef { name, min, max, span } => {
                    let Some(resolved) = self.resolve_group(name, *min, *max, span, owner_xml, diags) else { continue };
                    self.particles(
                        owner,
                        owner_xml,
                        std::slice::from_ref(&resolved),
                        outer,
                        fields,
                        field_names,
                        depth + 1,
                        diags,
                    );
                }
            }
        }
    }

    /// A group reference as the group's compositor with the reference's occurrence.
    fn resolve_group(
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

    #[allow(clippy::too_many_arguments)]
    fn sequence(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        g: &Group,
        outer: Outer,
        fields: &mut Vec<Field>,
        field_names: &mut BTreeSet<String>,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
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
        self.particles(owner, owner_xml, &g.particles, inner, fields, field_names, depth + 1, diags);
    }

    /// The elements an element particle stands for: itself, or for a substitution group head
    /// its concrete members. `None` after a diagnostic.
    fn alternatives_of(&mut self, e: &ElementDecl, owner_xml: &QName, diags: &mut Diagnostics) -> Option<Vec<Alt>> {
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
    fn choice_alternatives(
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

    #[allow(clippy::too_many_arguments)]
    fn choice(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        g: &Group,
        outer: Outer,
        fields: &mut Vec<Field>,
        field_names: &mut BTreeSet<String>,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
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
                    self.particles(
                        owner,
                        owner_xml,
                        &[Particle::Any { min, max, span: g.span.clone() }],
                        Outer::default(),
                        fields,
                        field_names,
                        depth + 1,
                        diags,
                    );
                    return;
                }
                let Alt { element, name, .. } = &alts[0];
                let mut e = element.clone();
                e.name = name.clone();
                e.reference = None;
                if let Some(field) = self.field(owner, owner_xml, &e, element, name, inner, field_names, diags) {
                    fields.push(field);
                }
            }
            Some(alts) => {
                self.choice_field(owner, owner_xml, g, alts, optional_branch, outer, fields, field_names, diags)
            }
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
                let start = fields.len();
                for p in &g.particles {
                    self.particles(
                        owner,
                        owner_xml,
                        std::slice::from_ref(p),
                        inner,
                        fields,
                        field_names,
                        depth + 1,
                        diags,
                    );
                }
                for f in &mut fields[start..] {
                    f.schema_occurs
                        .push_str("; in one branch of an xs:choice: set only the fields of the branch you mean");
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn choice_field(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        g: &Group,
        alts: Vec<Alt>,
        optional_branch: bool,
        outer: Outer,
        fields: &mut Vec<Field>,
        field_names: &mut BTreeSet<String>,
        diags: &mut Diagnostics,
    ) {
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
        fields.push(Field {
            rust_name: unique(field_name, field_names),
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
            doc: None,
            kind: FieldKind::Choice(variants),
        });
    }

    /// A field for element particle `e` (whose declaration, after `ref`, is `target`).
    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        owner: &str,
        owner_xml: &QName,
        e: &ElementDecl,
        target: &ElementDecl,
        name: &QName,
        outer: Outer,
        field_names: &mut BTreeSet<String>,
        diags: &mut Diagnostics,
    ) -> Option<Field> {
        let (ty, schema_type) = self.element_type(owner, owner_xml, target, name, diags)?;
        let rust_name = unique(snake_case(&name.local), field_names);
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
            doc: e.doc.clone().or(target.doc.clone()),
            kind: FieldKind::Element,
        })
    }

    /// The type of an element's content.
    fn element_type(
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

    fn type_ref(&mut self, t: &QName, span: &Span, owner_xml: &QName, diags: &mut Diagnostics) -> Option<TypeRef> {
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
    fn poly(&mut self, base: &QName, base_rust: &str, base_abstract: bool, diags: &mut Diagnostics) -> String {
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

    fn simple_base(
        &mut self,
        s: &SimpleTypeDecl,
        seen: &mut BTreeSet<QName>,
        owner_xml: &QName,
        diags: &mut Diagnostics,
    ) -> Option<TypeRef> {
        if let Some(item) = &s.list {
            let item = match item {
                ListItem::Named(t) => self.type_ref(&t.clone(), &s.span, owner_xml, diags)?,
                ListItem::Inline(inner) => {
                    let rust =
                        unique(format!("{}Item", self.rust_of(s.name.as_ref().unwrap_or(owner_xml))), &mut self.taken);
                    let name = s.name.clone().unwrap_or_else(|| owner_xml.clone());
                    self.simple(&rust, name, inner, diags)?
                }
            };
            if !is_simple(&item, &self.out) || matches!(item, TypeRef::List(_)) {
                diags.push(
                    Diagnostic::new(s.span.clone(), "xs:list", "list items must be of an atomic simple type")
                        .context(owner_xml.local.clone()),
                );
                return None;
            }
            return Some(TypeRef::List(Box::new(item)));
        }
        if s.base.ns == XS_NS {
            return self.type_ref(&s.base.clone(), &s.span, owner_xml, diags);
        }
        if let Some(p) = well_known(&s.base) {
            return Some(TypeRef::Prim(p));
        }
        if seen.len() > MAX_TYPE_DEPTH {
            diags.push(Diagnostic::new(
                s.span.clone(),
                "xs:restriction",
                format!("more than {MAX_TYPE_DEPTH} levels of restriction"),
            ));
            return None;
        }
        if !seen.insert(s.base.clone()) {
            diags.push(Diagnostic::new(
                s.span.clone(),
                "xs:restriction",
                format!("simple type `{}` restricts itself", s.base),
            ));
            return None;
        }
        match self.defs.schemas.types.get(&s.base) {
            Some(TypeDecl::Simple(b)) if b.enumerations.is_empty() || b.list.is_some() => {
                let b = b.clone();
                self.report(format!("simple {}", s.base), &b.problems, diags);
                if !b.problems.is_empty() {
                    return None;
                }
                self.simple_base(&b, seen, owner_xml, diags)
            }
            _ => self.type_ref(&s.base.clone(), &s.span, owner_xml, diags),
        }
    }

    fn simple(&mut self, rust: &str, xml_name: QName, s: &SimpleTypeDecl, diags: &mut Diagnostics) -> Option<TypeRef> {
        if !s.problems.is_empty() {
            self.report(format!("simple {rust}"), &s.problems, diags);
            return None;
        }
        if s.enumerations.is_empty() || s.list.is_some() {
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
            self.out.insert(
                rust.to_owned(),
                TypeDef::Enum(Enum { rust_name: rust.to_owned(), xml_name, variants, doc: s.doc.clone() }),
            );
        }
        Some(TypeRef::Named(rust.to_owned()))
    }

    /// A converted type by Rust name.
    pub fn get(&self, rust: &str) -> Option<&TypeDef> {
        self.out.get(rust)
    }

    /// The converted types, with fields that close a cycle boxed, ordered by Rust name.
    pub fn finish(mut self, _diags: &mut Diagnostics) -> Vec<TypeDef> {
        let names: Vec<String> = self.out.keys().cloned().collect();
        let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let id = |n: &str| index.get(n).copied();
        // A field that holds a value inline (not behind a Vec) is boxed when its type reaches
        // back to the owner: owner and target are in one strongly connected component of the
        // inline-value graph.
        let defs: Vec<&TypeDef> = self.out.values().collect();
        let inline: Vec<Vec<usize>> = defs
            .iter()
            .map(|def| match def {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| f.occurs != Occurs::Repeated)
                    .filter_map(|f| named(&f.ty).and_then(id))
                    .collect(),
                TypeDef::Choice(c) => c.variants.iter().filter_map(|v| named(&v.ty).and_then(id)).collect(),
                TypeDef::Poly(p) => p.variants.iter().filter_map(|(rust, _)| id(rust)).collect(),
                TypeDef::Enum(_) => Vec::new(),
            })
            .collect();
        let component = strongly_connected(&inline);
        let mut to_box: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (owner, def) in defs.iter().enumerate() {
            if let TypeDef::Struct(s) = def {
                for f in s.fields.iter().filter(|f| f.occurs != Occurs::Repeated) {
                    if named(&f.ty).and_then(id).is_some_and(|target| component[target] == component[owner]) {
                        to_box.entry(owner).or_default().push(f.rust_name.clone());
                    }
                }
            }
        }
        // `Eq` unless a float, an unknown type, or a type that is not `Eq` is reachable:
        // spread "not Eq" backwards from the types that hold one directly.
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
        let mut not_eq = vec![false; defs.len()];
        for (i, def) in defs.iter().enumerate() {
            let mut refs = Refs::default();
            match def {
                TypeDef::Struct(s) => s.fields.iter().for_each(|f| refs.visit(&f.ty)),
                TypeDef::Choice(c) => c.variants.iter().for_each(|v| refs.visit(&v.ty)),
                TypeDef::Poly(p) => {
                    refs.named.extend(p.variants.iter().map(|(rust, _)| rust.as_str()).chain([p.base.as_str()]))
                }
                TypeDef::Enum(_) => {}
            }
            not_eq[i] = refs.float;
            for n in refs.named {
                match id(n) {
                    Some(j) => users[j].push(i),
                    None => not_eq[i] = true,
                }
            }
        }
        let mut work: Vec<usize> = (0..defs.len()).filter(|&i| not_eq[i]).collect();
        while let Some(j) = work.pop() {
            for &i in &users[j] {
                if !not_eq[i] {
                    not_eq[i] = true;
                    work.push(i);
                }
            }
        }
        drop(defs);
        for (i, def) in self.out.values_mut().enumerate() {
            let is_eq = !not_eq[i];
            match def {
                TypeDef::Struct(s) => {
                    s.derives_eq = is_eq;
                    let boxed = to_box.get(&i).map_or(&[][..], Vec::as_slice);
                    s.fields.iter_mut().filter(|f| boxed.contains(&f.rust_name)).for_each(|f| f.boxed = true);
                }
                TypeDef::Choice(c) => c.derives_eq = is_eq,
                TypeDef::Poly(p) => p.derives_eq = is_eq,
                TypeDef::Enum(_) => {}
            }
        }
        self.out.into_values().collect()
    }
}

/// The named type a field holds directly (not in an array or list).
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// What a type refers to, for deriving `Eq`: whether it holds a float, and the named types
/// it holds in any way.
#[derive(Default)]
struct Refs<'a> {
    float: bool,
    named: Vec<&'a str>,
}

impl<'a> Refs<'a> {
    fn visit(&mut self, ty: &'a TypeRef) {
        match ty {
            TypeRef::Prim(Prim::F32 | Prim::F64) => self.float = true,
            TypeRef::Prim(_) => {}
            TypeRef::Named(n) => self.named.push(n),
            TypeRef::Array { item, .. } | TypeRef::List(item) => self.visit(item),
        }
    }
}

/// The strongly connected component of every node of a graph given as adjacency lists
/// (Tarjan's algorithm, with an explicit stack: a schema's chain of types can be deeper than
/// the thread's stack). Two nodes share a component exactly when each reaches the other.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut calls): (Vec<usize>, Vec<(usize, usize)>) = (Vec::new(), Vec::new());
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        while let Some(&(v, edge)) = calls.last() {
            if order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if order[w] == UNSEEN {
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Whether values of `ty` are written as text (usable as an attribute, list item or
/// simple content).
fn is_simple(ty: &TypeRef, out: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Prim(Prim::AnyType) => false,
        TypeRef::Prim(_) | TypeRef::List(_) => true,
        TypeRef::Named(n) => matches!(out.get(n), Some(TypeDef::Enum(_))),
        TypeRef::Array { .. } => false,
    }
}

/// Where a particle is written.
fn particle_span(p: &Particle) -> Span {
    match p {
        Particle::Element(e) => e.span.clone(),
        Particle::Any { span, .. } | Particle::GroupRef { span, .. } => span.clone(),
        Particle::Sequence(g) | Particle::Choice(g) => g.span.clone(),
    }
}

/// Two element fields (or choice alternatives) with one XML name cannot be told apart on
/// read: the generator needs distinct names within a type.
fn check_distinct_names(owner: &QName, decl: &ComplexTypeDecl, fields: &[Field], diags: &mut Diagnostics) {
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

/// The repeated child of an ASMX-style array wrapper (`ArrayOfX`): a complex type whose whole
/// content is one element with `maxOccurs` above 1.
fn array_item(c: &ComplexTypeDecl) -> Option<&ElementDecl> {
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

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    /// Components of a graph with a self-loop, a three-cycle reached from outside, and a
    /// chain: nodes share a component exactly when each reaches the other.
    #[test]
    fn components_match_mutual_reachability() {
        // 0 → 1 → 2 → 3 → 1 (cycle 1-2-3); 4 → 4 (self-loop); 5 → 6 → 7 (chain).
        let edges = vec![vec![1], vec![2], vec![3], vec![1], vec![4], vec![6], vec![7], vec![]];
        let c = strongly_connected(&edges);
        assert!(c[1] == c[2] && c[2] == c[3]);
        assert_ne!(c[0], c[1]);
        assert_ne!(c[5], c[6]);
        assert_ne!(c[6], c[7]);
        let mut distinct = c.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 6, "{c:?}");
    }

    /// A chain of 200 000 types does not overflow the stack.
    #[test]
    fn deep_chains_are_fine() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] }).collect();
        let c = strongly_connected(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
