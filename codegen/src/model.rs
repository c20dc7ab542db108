//! WSDL and XML Schema as written: names resolved to namespaces, nothing else interpreted.

use std::collections::BTreeMap;

use crate::diagnostics::Span;

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
}

/// The content of a complex type.
#[derive(Debug, Clone)]
pub enum Content {
    /// No child elements.
    Empty,
    /// `xs:sequence` or `xs:all`: children in order.
    Sequence(Vec<Particle>),
    /// `complexContent/extension`: the base type's children, then these.
    Extension {
        /// The base type.
        base: QName,
        /// The added particles.
        particles: Vec<Particle>,
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
    /// Documentation.
    pub doc: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// `xs:simpleType` with a `restriction`.
#[derive(Debug, Clone)]
pub struct SimpleTypeDecl {
    /// `name` (None when anonymous).
    pub name: Option<QName>,
    /// The restriction base.
    pub base: QName,
    /// Enumeration values with their documentation.
    pub enumerations: Vec<(String, Option<String>)>,
    /// Documentation.
    pub doc: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// All schemas of all files.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    /// Global elements by name.
    pub elements: BTreeMap<QName, ElementDecl>,
    /// Named types by name.
    pub types: BTreeMap<QName, TypeDecl>,
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
