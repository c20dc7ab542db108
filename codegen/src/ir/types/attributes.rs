//! Attributes and attribute groups.

use super::super::names::snake_case;
use super::*;
use crate::ir::{FieldKind, Occurs};
use crate::model::{AttributeDecl, AttributeItem, AttributeUse};

impl TypeSpace<'_> {
    /// Resolves attribute uses and groups to (declaration, type as written); records
    /// prohibited names.
    pub(super) fn attributes(
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
                AttributeItem::GroupRef { name, span } if name.ns == XML_NS && name.local == "specialAttrs" => {
                    // xml.xsd's group of the four `xml:` attributes, which no schema file declares.
                    for local in ["lang", "space", "base", "id"] {
                        let decl = AttributeDecl {
                            name: QName::new(XML_NS, local),
                            type_name: Some(QName::new(XS_NS, "string")),
                            inline: None,
                            reference: None,
                            usage: AttributeUse::Optional,
                            default: None,
                            doc: None,
                            span: span.clone(),
                        };
                        out.push((decl, Some(QName::new(XS_NS, "string"))));
                    }
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

    pub(super) fn attribute_field(
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
            nillable: false,
            doc,
            kind: FieldKind::Attribute,
            redeclared: false,
        })
    }
}
