//! The type space: every schema type gets its Rust name before any body is converted, so
//! forward and recursive references resolve; a last pass boxes fields that close a cycle.
//!
//! Content models are flattened into struct fields: nested sequences and model groups add
//! their elements (optional when the group is), an `xs:choice` of elements becomes an enum
//! field, `xs:any` a field of raw XML, attributes fields of their own. A complex type that
//! other types extend becomes, where it is referenced, an enum of itself and its derived
//! types told apart by `xsi:type`.
//!
//! One module per construct: `elements` (message elements), `complex` (complex types,
//! derivation and polymorphism), `particles` (content models flattened into fields),
//! `choice`, `attributes`, `simple` (built-ins, restrictions, lists, enumerations) and
//! `finish` (boxing cycles, deriving `Eq`). The field-collecting functions share one
//! `FieldSet`: the type whose fields are collected, and the fields and names so far.

mod attributes;
mod choice;
mod complex;
mod elements;
mod finish;
mod particles;
mod simple;

use std::collections::{BTreeMap, BTreeSet};

use super::names::{unique, upper_camel};
use super::{Field, Prim, TypeDef, TypeRef};
use crate::annotations::Annotations;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ComplexTypeDecl, Content, Definitions, MaxOccurs, QName, TypeDecl};
use crate::parse::XS_NS;

/// Where ASMX declares .NET's `guid` and `char`.
pub(super) const MS_WSDL_TYPES_NS: &str = "http://microsoft.com/wsdl/types/";
/// Where WCF's data contract serializer declares them (and `duration`).
pub(super) const MS_SERIALIZATION_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/";
/// SOAP 1.1 encoding (`soapenc:Array`).
pub(super) const SOAP_ENCODING_NS: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// The `xml:` namespace (`xml:lang` attributes), bound in every document.
pub(super) use crate::parse::XML_NS;

/// Types that contain each other by value more deeply than this are refused: conversion
/// recurses once per level, and a caller's thread has an ordinary stack.
pub(super) const MAX_TYPE_DEPTH: usize = 100;

/// Nested model groups deeper than this are refused (a group that contains itself).
pub(super) const MAX_GROUP_DEPTH: usize = 32;

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

/// The fields of one struct being collected: the type they belong to, and the fields and Rust
/// field names so far (a base type's and nested groups' fields go into the same set).
pub(super) struct FieldSet<'o> {
    /// Rust name of the struct (prefix of the names of its anonymous inner types).
    pub owner: &'o str,
    /// The struct's schema name (for diagnostics and `secret` annotations).
    pub owner_xml: &'o QName,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// The Rust field names taken.
    pub names: BTreeSet<String>,
}

impl<'o> FieldSet<'o> {
    fn new(owner: &'o str, owner_xml: &'o QName) -> Self {
        FieldSet { owner, owner_xml, fields: Vec::new(), names: BTreeSet::new() }
    }
}

pub(super) fn many(max: MaxOccurs) -> bool {
    match max {
        MaxOccurs::Unbounded => true,
        MaxOccurs::Bounded(n) => n > 1,
    }
}

pub(super) fn written(t: &QName) -> String {
    format!("{}:{}", if t.ns == XS_NS { "xs" } else { "tns" }, t.local)
}

/// Prelude names the generated code uses unqualified; no generated type may take them.
pub(super) const PRELUDE_NAMES: &[&str] = &["Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec"];

/// The Rust name a schema type or element name starts from: `UpperCamelCase`, and a prelude
/// name gets a `Type` suffix (`Result` → `ResultType`).
pub(super) fn type_base(local: &str) -> String {
    let base = upper_camel(local);
    if PRELUDE_NAMES.contains(&base.as_str()) { format!("{base}Type") } else { base }
}

/// The field or variant name of wildcard content.
pub(super) const ANY_NAME: &str = "(any)";

/// Whether values of `ty` are written as text (usable as an attribute, list item or
/// simple content).
pub(super) fn is_simple(ty: &TypeRef, out: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Prim(Prim::AnyType) => false,
        TypeRef::Prim(_) | TypeRef::List(_) => true,
        TypeRef::Named(n) => matches!(out.get(n), Some(TypeDef::Enum(_))),
        TypeRef::Array { .. } => false,
    }
}

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
    pub(super) fn report(&mut self, key: String, problems: &[Diagnostic], diags: &mut Diagnostics) {
        if !problems.is_empty() && self.reported.insert(key) {
            diags.0.extend(problems.iter().cloned());
        }
    }

    pub(super) fn report_element(&mut self, name: &QName, diags: &mut Diagnostics) {
        if let Some(problems) = self.defs.schemas.element_problems.get(name) {
            self.report(format!("element {name}"), problems, diags);
        }
    }

    pub(super) fn rust_of(&self, xml: &QName) -> String {
        self.type_names
            .get(xml)
            .or_else(|| self.element_names.get(xml))
            .cloned()
            .unwrap_or_else(|| upper_camel(&xml.local))
    }

    /// The element a converted struct is the content of (its own schema name when it is not
    /// a message element's).
    pub fn struct_element(&self, rust: &str) -> Option<QName> {
        match self.out.get(rust) {
            Some(TypeDef::Struct(s)) => Some(s.element.clone().unwrap_or_else(|| s.xml_name.clone())),
            _ => None,
        }
    }

    /// A converted type by Rust name.
    pub fn get(&self, rust: &str) -> Option<&TypeDef> {
        self.out.get(rust)
    }
}
