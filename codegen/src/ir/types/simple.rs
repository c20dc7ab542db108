//! Simple types: built-ins, .NET's well-known types, restrictions, lists and enumerations.

use super::*;
use crate::ir::Enum;
use crate::model::{ListItem, SimpleTypeDecl};

/// The Rust type a built-in XML Schema type maps to.
pub(super) fn prim(local: &str) -> Option<TypeRef> {
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
pub(super) fn well_known(t: &QName) -> Option<Prim> {
    match (t.ns.as_str(), t.local.as_str()) {
        (MS_WSDL_TYPES_NS | MS_SERIALIZATION_NS, "guid") => Some(Prim::Guid),
        (MS_WSDL_TYPES_NS | MS_SERIALIZATION_NS, "char") => Some(Prim::Char),
        (MS_SERIALIZATION_NS, "duration") => Some(Prim::Duration),
        _ => None,
    }
}

impl TypeSpace<'_> {
    pub(super) fn simple_base(
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

    pub(super) fn simple(
        &mut self,
        rust: &str,
        xml_name: QName,
        s: &SimpleTypeDecl,
        diags: &mut Diagnostics,
    ) -> Option<TypeRef> {
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
}
