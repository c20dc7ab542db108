//! The resolved, Rust-ready model: every name resolved, Rust names chosen, schema semantics
//! (occurrence, nillability, arrays, inheritance) decided. Knows nothing of tokens.

pub mod names;
mod ops;
mod types;

use crate::annotations::Annotations;
use crate::diagnostics::Diagnostics;
use crate::model::{Definitions, QName};

/// A built-in XML Schema type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    /// `xs:string` and its string-like derivations.
    String,
    /// `xs:boolean`.
    Bool,
    /// `xs:byte`.
    I8,
    /// `xs:short`.
    I16,
    /// `xs:int`.
    I32,
    /// `xs:long`, `xs:integer`.
    I64,
    /// `xs:unsignedByte`.
    U8,
    /// `xs:unsignedShort`.
    U16,
    /// `xs:unsignedInt`.
    U32,
    /// `xs:unsignedLong`.
    U64,
    /// `xs:float`.
    F32,
    /// `xs:double`.
    F64,
    /// `xs:dateTime`.
    DateTime,
    /// `xs:decimal`: kept exactly (the runtime's `Decimal`), never a float.
    Decimal,
    /// .NET's `guid` (ASMX and WCF declare it as a pattern-restricted string).
    Guid,
    /// `xs:base64Binary`: `Vec<u8>`.
    Base64,
    /// `xs:hexBinary`.
    HexBinary,
    /// `xs:date`.
    Date,
    /// `xs:time`.
    Time,
    /// `xs:duration` (and WCF's `TimeSpan`).
    Duration,
    /// .NET's `char` (ASMX and WCF write its UTF-16 code as a number).
    Char,
    /// `xs:anyType`: the element's content kept as raw XML.
    AnyType,
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A built-in type.
    Prim(Prim),
    /// A generated struct or enum, by Rust name.
    Named(String),
    /// An ASMX-style array wrapper (`ArrayOfX`): a `Vec` of its single repeated child.
    Array {
        /// The item type.
        item: Box<TypeRef>,
        /// The item element's name.
        item_name: QName,
    },
    /// `xs:list`: simple values separated by spaces in one text.
    List(Box<TypeRef>),
}

/// Where a field lives in the XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// A child element.
    Element,
    /// An attribute of the element (`xs:attribute`).
    Attribute,
    /// The element's text (`simpleContent`).
    Text,
    /// The element's whole content as raw XML (mixed content).
    Content,
    /// Child elements matched by an `xs:any` wildcard, and any other unknown children, kept
    /// as raw XML.
    Any,
    /// One of several child elements (`xs:choice`); the field's type is the choice enum.
    Choice(Vec<ChoiceAlt>),
}

/// One alternative of an `xs:choice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceAlt {
    /// Rust variant name.
    pub variant: String,
    /// XML element name.
    pub xml_name: QName,
    /// The element's type.
    pub ty: TypeRef,
    /// `nillable="true"`: the variant holds an `Option`.
    pub nillable: bool,
    /// The schema type as written, for docs.
    pub schema_type: String,
    /// An `xs:any` branch: the variant holds any other element as raw XML.
    pub wildcard: bool,
}

/// How often a field's element occurs, and whether it may be nil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurs {
    /// Exactly once: `T`.
    Required,
    /// `minOccurs="0"`: `Option<T>`, omitted when `None`.
    Optional,
    /// `nillable="true"`, required: `Option<T>`, `xsi:nil` when `None`.
    Nillable,
    /// Both: `Nillable<T>` with three states.
    OptionalNillable,
    /// `maxOccurs` above 1: `Vec<T>` (nil items skipped when nillable).
    Repeated,
}

/// A field of a generated struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name.
    pub rust_name: String,
    /// XML element name.
    pub xml_name: QName,
    /// Type.
    pub ty: TypeRef,
    /// Occurrence.
    pub occurs: Occurs,
    /// Boxed to break a type cycle.
    pub boxed: bool,
    /// Redacted in `Debug`.
    pub secret: bool,
    /// The schema type as written (`xs:int`, `tns:ArrayOfPackage`), for docs.
    pub schema_type: String,
    /// `minOccurs`/`maxOccurs`/`nillable` as written, for docs.
    pub schema_occurs: String,
    /// `nillable="true"` (directly or through a `ref`): for a repeated field, nil items carry
    /// no data and are skipped on read.
    pub nillable: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// Where the field lives in the XML.
    pub kind: FieldKind,
    /// A derived type restates this inherited element with the same type: one field, written
    /// once where the base declares it, and read from either place (the last one wins).
    pub redeclared: bool,
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Rust name.
    pub rust_name: String,
    /// The schema name (type name, or element name for an anonymous type).
    pub xml_name: QName,
    /// Fields, base type's first.
    pub fields: Vec<Field>,
    /// The global element this struct is the content of, when used as a message part (or the
    /// wrapper element of an rpc/literal message). An empty local name marks the struct of a
    /// message without body parts: nothing is written in the SOAP body.
    pub element: Option<QName>,
    /// Whether the schema type is a derived type (`complexContent/extension`) and of which base.
    pub base: Option<QName>,
    /// `abstract="true"`: only its derived types appear on the wire.
    pub is_abstract: bool,
    /// No floating-point value anywhere inside: the type can derive `Eq`.
    pub derives_eq: bool,
    /// Documentation.
    pub doc: Option<String>,
}

/// The enum of an `xs:choice`: one variant per alternative element.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Rust name.
    pub rust_name: String,
    /// The type whose content holds the choice.
    pub owner: QName,
    /// The alternatives, in schema order.
    pub variants: Vec<ChoiceAlt>,
    /// No floating-point value anywhere inside.
    pub derives_eq: bool,
}

/// A complex type that others extend, where a value of any derived type may appear
/// (told apart by `xsi:type`): one variant per concrete type, and one for unknown types.
#[derive(Debug, Clone)]
pub struct Poly {
    /// Rust name.
    pub rust_name: String,
    /// The base type's Rust name.
    pub base: String,
    /// The base type's schema name.
    pub base_xml: QName,
    /// Whether the base is abstract (then it has no variant of its own).
    pub base_abstract: bool,
    /// (Rust variant and struct name, schema type name) of every concrete type, the base
    /// first when it is concrete, then derived types by schema name.
    pub variants: Vec<(String, QName)>,
    /// No floating-point value anywhere inside.
    pub derives_eq: bool,
}

/// A generated enumeration.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust name.
    pub rust_name: String,
    /// Schema name.
    pub xml_name: QName,
    /// (Rust variant, XML value, documentation).
    pub variants: Vec<(String, String, Option<String>)>,
    /// Documentation.
    pub doc: Option<String>,
}

/// A generated type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A struct.
    Struct(Struct),
    /// An enumeration.
    Enum(Enum),
    /// The alternatives of an `xs:choice`.
    Choice(Choice),
    /// A base type or any type derived from it.
    Poly(Poly),
}

impl TypeDef {
    /// Rust name.
    pub fn rust_name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.rust_name,
            TypeDef::Enum(e) => &e.rust_name,
            TypeDef::Choice(c) => &c.rust_name,
            TypeDef::Poly(p) => &p.rust_name,
        }
    }
}

/// What an operation method returns.
#[derive(Debug, Clone)]
pub enum OpResult {
    /// The response wrapper is empty: `()`.
    Unit,
    /// One field of the response wrapper, unwrapped.
    Field(Box<Field>),
    /// Several fields: the response struct itself.
    Whole,
}

/// A SOAP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The WSDL name.
    pub name: String,
    /// Rust method name (unique among the operations).
    pub rust_name: String,
    /// Rust name of the operation's descriptor type and dispatcher variant (unique among the
    /// operations).
    pub marker: String,
    /// Documentation.
    pub doc: Option<String>,
    /// SOAP 1.1 `soapAction` (None when there is no SOAP 1.1 binding).
    pub soap11_action: Option<String>,
    /// SOAP 1.2 `soapAction` (None when there is no SOAP 1.2 binding).
    pub soap12_action: Option<String>,
    /// Safe to retry (from the annotations).
    pub idempotent: bool,
    /// Request wrapper struct (Rust name).
    pub request: String,
    /// The element the request wrapper struct is the content of: what routes a request by its
    /// body.
    pub request_element: Option<QName>,
    /// Response wrapper struct (Rust name); for a one-way operation an empty struct standing
    /// for the missing output message.
    pub response: String,
    /// No output message: the call is done once the service accepted the request (HTTP 200
    /// or 202 with an empty body).
    pub one_way: bool,
    /// Header elements: (element, Rust type).
    pub headers: Vec<(QName, String)>,
    /// Whether the method takes the request struct instead of one argument per field.
    pub takes_request: bool,
    /// What the method returns.
    pub result: OpResult,
}

/// A documented service fault (from the annotations: ASMX WSDLs declare no `wsdl:fault`).
#[derive(Debug, Clone)]
pub struct FaultDef {
    /// The exception text, such as `INVALID PACKAGE ID`.
    pub message: String,
    /// Rust variant name.
    pub rust_name: String,
    /// Which operations document it.
    pub operations: Vec<String>,
    /// Documentation.
    pub doc: Option<String>,
}

/// A SOAP header element some operation declares, as the server decodes it.
#[derive(Debug, Clone)]
pub struct HeaderField {
    /// The header element.
    pub element: QName,
    /// Rust name of its struct.
    pub rust_type: String,
    /// Field name in the server's decoded headers (unique among the headers).
    pub field: String,
}

/// The whole resolved service.
#[derive(Debug, Clone)]
pub struct Ir {
    /// The service name (`wsdl:service/@name`).
    pub service_name: String,
    /// Name of the server trait: the service's, avoiding the names the server module defines.
    pub server_trait: String,
    /// Name of the async client trait (`client` module).
    pub client_trait: String,
    /// Name of the blocking client trait (`blocking` module).
    pub blocking_client_trait: String,
    /// Name of the server trait's authentication hook, avoiding the operations' method names.
    pub auth_hook: String,
    /// Every header element any operation declares, once, in first-seen order.
    pub headers: Vec<HeaderField>,
    /// Service documentation.
    pub service_doc: Option<String>,
    /// Target namespace of the WSDL.
    pub target_ns: String,
    /// Types, ordered by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations in port type order.
    pub operations: Vec<Operation>,
    /// Documented faults in annotation order.
    pub faults: Vec<FaultDef>,
    /// Endpoint addresses of the service's SOAP ports.
    pub addresses: Vec<String>,
}

/// Resolves the model into the IR.
pub fn build(defs: &Definitions, annotations: &Annotations, options: &crate::Options) -> Result<Ir, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut space = types::TypeSpace::new(defs, annotations);
    let operations = ops::build_operations(defs, annotations, &mut space, options, &mut diags);
    let types = space.finish(&mut diags);
    let faults = annotations
        .faults
        .iter()
        .map(|f| FaultDef {
            message: f.message.clone(),
            rust_name: names::upper_camel(&f.message.to_lowercase().replace(' ', "_")),
            operations: f.operations.clone(),
            doc: f.doc.clone(),
        })
        .collect();
    let addresses = defs.ports.iter().filter_map(|p| p.address.clone()).collect();
    let service_name = defs.service_name.clone().unwrap_or_else(|| "Service".to_owned());
    let (client_trait, blocking_client_trait) = ops::client_trait_names(&service_name);
    diags.into_result(Ir {
        server_trait: ops::server_trait_name(&service_name),
        client_trait,
        blocking_client_trait,
        auth_hook: ops::auth_hook_name(&operations),
        headers: ops::header_fields(&operations),
        service_name,
        service_doc: defs.service_doc.clone(),
        target_ns: defs.target_ns.clone(),
        types,
        operations,
        faults,
        addresses,
    })
}
