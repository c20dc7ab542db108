//! WSDL and XML Schema as written: names resolved to namespaces, nothing else interpreted.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Span};

/// A qualified name resolved by namespace (never by prefix).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// Namespace URI (empty for none).
    pub ns: String,
    /// Local name.
    pub local: String,
}

impl QName {
    /// Builds a qualified name.
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        QName { ns: ns.into(), local: local.into() }
    }
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ns.is_empty() { write!(f, "{}", self.local) } else { write!(f, "{{{}}}{}", self.ns, self.local) }
    }
}

/// `maxOccurs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    /// A number.
    Bounded(u32),
    /// `unbounded`.
    Unbounded,
}

/// An `xs:element`, global or local.
#[derive(Debug, Clone)]
pub struct ElementDecl {
    /// `name` (or the referenced element's name for `ref`).
    pub name: QName,
    /// `type`, resolved.
    pub type_name: Option<QName>,
    /// An anonymous type defined inline.
    pub inline: Option<Box<TypeDecl>>,
    /// `ref`, resolved.
    pub reference: Option<QName>,
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs`.
    pub max: MaxOccurs,
    /// `nillable`.
    pub nillable: bool,
    /// `xs:annotation/xs:documentation` text.
    pub doc: Option<String>,
    /// `abstract="true"` (the head of a substitution group that cannot appear itself).
    pub is_abstract: bool,
    /// `substitutionGroup`, resolved: the head element this one may stand in for.
    pub substitution_group: Option<QName>,
    /// Where it is written.
    pub span: Span,
}

/// `minOccurs`/`maxOccurs` of a compositor and its particles.
#[derive(Debug, Clone)]
pub struct Group {
    /// The particles, in schema order.
    pub particles: Vec<Particle>,
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs`.
    pub max: MaxOccurs,
    /// Where it is written.
    pub span: Span,
}

/// A particle of a content model.
#[derive(Debug, Clone)]
pub enum Particle {
    /// An element.
    Element(ElementDecl),
    /// `xs:any`.
    Any {
        /// `minOccurs`.
        min: u32,
        /// `maxOccurs`.
        max: MaxOccurs,
        /// Where it is written.
        span: Span,
    },
    /// A nested `xs:sequence` or `xs:all`.
    Sequence(Group),
    /// `xs:choice`: one of its particles.
    Choice(Group),
    /// `xs:group ref="..."`: a named model group, with the reference's occurrence.
    GroupRef {
        /// The group, resolved.
        name: QName,
        /// `minOccurs`.
        min: u32,
        /// `maxOccurs`.
        max: MaxOccurs,
        /// Where it is written.
        span: Span,
    },
}

/// The content of a complex type.
#[derive(Debug, Clone)]
pub enum Content {
    /// No child elements.
    Empty,
    /// Child elements: the particles of the top-level `xs:sequence` or `xs:all` (a top-level
    /// `xs:choice`, or a compositor with other occurrence, is one nested particle).
    Sequence(Vec<Particle>),
    /// `complexContent/extension`: the base type's children, then these.
    Extension {
        /// The base type.
        base: QName,
        /// The added particles.
        particles: Vec<Particle>,
    },
    /// `complexContent/restriction`: the content restated in full (only attributes are
    /// inherited from the base).
    Restriction {
        /// The base type.
        base: QName,
        /// The particles as restated.
        particles: Vec<Particle>,
    },
    /// `simpleContent`: text of a simple type, with attributes.
    Simple {
        /// The base: a simple type, or a complex type with simple content.
        base: QName,
    },
}

/// How an attribute is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeUse {
    /// `use="optional"` (the default).
    Optional,
    /// `use="required"`.
    Required,
    /// `use="prohibited"`: removes an inherited attribute.
    Prohibited,
}

/// An `xs:attribute`, global or local.
#[derive(Debug, Clone)]
pub struct AttributeDecl {
    /// `name` (qualified per `form`/`attributeFormDefault`), or the referenced attribute's.
    pub name: QName,
    /// `type`, resolved.
    pub type_name: Option<QName>,
    /// An anonymous simple type defined inline.
    pub inline: Option<Box<SimpleTypeDecl>>,
    /// `ref`, resolved.
    pub reference: Option<QName>,
    /// `use`.
    pub usage: AttributeUse,
    /// `default` or `fixed` value, for documentation.
    pub default: Option<String>,
    /// Documentation.
    pub doc: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// An attribute or a reference to an attribute group, in a complex type.
#[derive(Debug, Clone)]
pub enum AttributeItem {
    /// `xs:attribute`.
    Attribute(AttributeDecl),
    /// `xs:attributeGroup ref="..."`.
    GroupRef {
        /// The group, resolved.
        name: QName,
        /// Where it is written.
        span: Span,
    },
}

/// A named or anonymous type.
#[derive(Debug, Clone)]
pub enum TypeDecl {
    /// `xs:complexType`.
    Complex(ComplexTypeDecl),
    /// `xs:simpleType`.
    Simple(SimpleTypeDecl),
}

/// `xs:complexType`.
#[derive(Debug, Clone)]
pub struct ComplexTypeDecl {
    /// `name` (None when anonymous).
    pub name: Option<QName>,
    /// The content model.
    pub content: Content,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// `mixed="true"`: text may appear between the child elements.
    pub mixed: bool,
    /// Attributes and attribute group references, in schema order.
    pub attributes: Vec<AttributeItem>,
    /// Documentation.
    pub doc: Option<String>,
    /// Where it is written.
    pub span: Span,
    /// Problems found inside the declaration. They stop generation only when the type is
    /// used, so a schema's unused corners do not block a service that never sends them.
    pub problems: Vec<Diagnostic>,
}

/// `xs:simpleType`: a `restriction` (possibly an enumeration) or a `list`.
#[derive(Debug, Clone)]
pub struct SimpleTypeDecl {
    /// `name` (None when anonymous).
    pub name: Option<QName>,
    /// The restriction base (`xs:anySimpleType` for a list).
    pub base: QName,
    /// Enumeration values with their documentation.
    pub enumerations: Vec<(String, Option<String>)>,
    /// For `xs:list`: the item type.
    pub list: Option<ListItem>,
    /// Documentation.
    pub doc: Option<String>,
    /// Where it is written.
    pub span: Span,
    /// Problems found inside the declaration, reported when the type is used.
    pub problems: Vec<Diagnostic>,
}

/// The item type of an `xs:list`.
#[derive(Debug, Clone)]
pub enum ListItem {
    /// `itemType`, resolved.
    Named(QName),
    /// An anonymous simple type.
    Inline(Box<SimpleTypeDecl>),
}

/// A named model group (`xs:group name="..."`).
#[derive(Debug, Clone)]
pub struct GroupDecl {
    /// The group's compositor (`Particle::Sequence` or `Particle::Choice`).
    pub particle: Particle,
    /// Problems found inside the declaration, reported when the group is used.
    pub problems: Vec<Diagnostic>,
}

/// A named attribute group (`xs:attributeGroup name="..."`).
#[derive(Debug, Clone)]
pub struct AttributeGroupDecl {
    /// Its attributes and nested group references.
    pub attributes: Vec<AttributeItem>,
    /// Problems found inside the declaration, reported when the group is used.
    pub problems: Vec<Diagnostic>,
}

/// All schemas of all files.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    /// Global elements by name.
    pub elements: BTreeMap<QName, ElementDecl>,
    /// Named types by name.
    pub types: BTreeMap<QName, TypeDecl>,
    /// Global attributes by name.
    pub attributes: BTreeMap<QName, AttributeDecl>,
    /// Named model groups by name.
    pub groups: BTreeMap<QName, GroupDecl>,
    /// Named attribute groups by name.
    pub attribute_groups: BTreeMap<QName, AttributeGroupDecl>,
    /// Problems inside global elements, by element name, reported when the element is used.
    pub element_problems: BTreeMap<QName, Vec<Diagnostic>>,
}

/// A `wsdl:message` part.
#[derive(Debug, Clone)]
pub struct Part {
    /// `name`.
    pub name: String,
    /// `element`, resolved.
    pub element: Option<QName>,
    /// `type`, resolved (rpc style).
    pub type_name: Option<QName>,
    /// Where it is written.
    pub span: Span,
}

/// A `wsdl:message`.
#[derive(Debug, Clone)]
pub struct Message {
    /// Its parts.
    pub parts: Vec<Part>,
    /// Where it is written.
    pub span: Span,
}

/// A `wsdl:portType` operation.
#[derive(Debug, Clone)]
pub struct PortOperation {
    /// `name`.
    pub name: String,
    /// `wsdl:input/@message`.
    pub input: Option<QName>,
    /// `wsdl:output/@message`.
    pub output: Option<QName>,
    /// `wsdl:documentation`.
    pub doc: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// SOAP version of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BindingKind {
    /// `soap:binding`.
    Soap11,
    /// `soap12:binding`.
    Soap12,
    /// HTTP GET/POST or anything else: not generated.
    Other,
}

/// A `soap:header` of a binding operation's input.
#[derive(Debug, Clone)]
pub struct HeaderRef {
    /// `message`, resolved.
    pub message: QName,
    /// `part`.
    pub part: String,
    /// Where it is written.
    pub span: Span,
}

/// A `wsdl:binding` operation.
#[derive(Debug, Clone)]
pub struct BindingOperation {
    /// `name`.
    pub name: String,
    /// `soapAction`.
    pub soap_action: Option<String>,
    /// `style` of the operation or the binding.
    pub style: String,
    /// `use` of the input body.
    pub body_use: String,
    /// Input headers.
    pub headers: Vec<HeaderRef>,
    /// `parts` of the input `soap:body`, when it names them.
    pub body_parts: Option<Vec<String>>,
    /// `namespace` of the input `soap:body` (rpc style).
    pub body_namespace: Option<String>,
    /// `parts` of the output `soap:body`, when it names them.
    pub output_body_parts: Option<Vec<String>>,
    /// `namespace` of the output `soap:body` (rpc style).
    pub output_body_namespace: Option<String>,
    /// Output headers.
    pub output_headers: Vec<HeaderRef>,
    /// Where it is written.
    pub span: Span,
}

/// A `wsdl:binding`.
#[derive(Debug, Clone)]
pub struct Binding {
    /// `name`.
    pub name: QName,
    /// `type`: the port type.
    pub port_type: QName,
    /// SOAP version.
    pub kind: BindingKind,
    /// Operations.
    pub operations: Vec<BindingOperation>,
    /// Where it is written.
    pub span: Span,
}

/// A `wsdl:port`.
#[derive(Debug, Clone)]
pub struct Port {
    /// `name`.
    pub name: String,
    /// `binding`, resolved.
    pub binding: QName,
    /// `soap:address/@location`.
    pub address: Option<String>,
}

/// A WSDL 1.1 document with its schemas.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// `targetNamespace`.
    pub target_ns: String,
    /// `wsdl:service/@name` of the first service.
    pub service_name: Option<String>,
    /// `wsdl:service/wsdl:documentation`.
    pub service_doc: Option<String>,
    /// Schemas of `wsdl:types` and what they import.
    pub schemas: Schemas,
    /// Messages by name.
    pub messages: BTreeMap<QName, Message>,
    /// Port types by name, operations in document order.
    pub port_types: BTreeMap<QName, Vec<PortOperation>>,
    /// Bindings in document order.
    pub bindings: Vec<Binding>,
    /// Ports of every service, in document order.
    pub ports: Vec<Port>,
}
