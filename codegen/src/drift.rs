//! Schema drift: what changed between two versions of a service description, compared by
//! meaning (operations, actions, types, fields, occurrence, enumeration values), not by text,
//! and whether each change breaks callers built against the older one.
//!
//! Both versions are resolved into the [`crate::ir`] first, so a reordered file, a renamed
//! prefix or moved documentation is no drift at all. Types are compared where operations
//! reach them, with the direction they travel in: a field a response gains is harmless (old
//! clients skip unknown elements), the same field gained by a request is breaking when it is
//! required.
//!
//! ```
//! let old = engageip_codegen::Input::new("old.wsdl", include_str!("../tests/fixtures/minimal.wsdl"));
//! let report = engageip_codegen::drift::compare(&old, &old.clone()).expect("both load");
//! assert!(report.changes.is_empty());
//! assert_eq!(report.exit_code(), 0);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::annotations::Annotations;
use crate::diagnostics::Diagnostics;
use crate::ir::{self, Field, FieldKind, Ir, Occurs, Prim, TypeDef, TypeRef};
use crate::{Input, Options};

/// How a change affects callers built against the older description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Existing callers keep working.
    Compatible,
    /// Existing callers may fail or lose data.
    Breaking,
}

impl Severity {
    /// `compatible` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Compatible => "compatible",
            Severity::Breaking => "breaking",
        }
    }
}

/// One difference between the two descriptions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// Breaking or compatible.
    pub severity: Severity,
    /// A stable code: `operation-added`, `operation-removed`, `action-changed`,
    /// `message-changed`, `header-added`, `header-removed`, `field-added`, `field-removed`,
    /// `field-type-changed`, `field-occurrence-changed`, `enum-value-added`,
    /// `enum-value-removed`, `derived-type-added`, `derived-type-removed`,
    /// `choice-alternative-added`, `choice-alternative-removed`, `type-added`, `type-removed`.
    pub kind: &'static str,
    /// What changed: `operation GetPackages`, `Package.Frequency` ...
    pub subject: String,
    /// How an operation reaches it: the operation, the message (`request GetPackages`,
    /// `response GetPackagesResponse`), then each element down to the subject, joined by
    /// ` / `, such as `operation GetPackages / response GetPackagesResponse /
    /// GetPackagesResponse.GetPackagesResult / Package.Frequency`; `type X` for a schema type
    /// no operation reaches. Reached several ways, the first (in operation order) is given.
    pub path: String,
    /// What changed, such as `type changed from xs:int to xs:string (in the response)`.
    pub detail: String,
    /// Why it is breaking or compatible for a client built against the older description,
    /// such as `old clients skip unknown elements`.
    pub why: String,
}

/// Everything that changed, breaking changes first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, sorted: breaking first, then by subject.
    pub changes: Vec<Change>,
}

/// Why two descriptions could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriftError {
    /// The older description does not load.
    #[error("the committed description does not load:\n{0}")]
    Old(Diagnostics),
    /// The newer description does not load.
    #[error("the other description does not load:\n{0}")]
    New(Diagnostics),
}

/// Why `text` is not a WSDL 1.1 description at all, if it is not one: not XML (an error page,
/// a login form), or XML whose root element is not `wsdl:definitions`. `None` says nothing
/// about whether the description loads; [`compare`] does that.
pub fn not_a_wsdl(text: &str) -> Option<String> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => {
            // A broken WSDL is still a WSDL: `compare` says where it breaks.
            if first_element_name(text).is_some_and(|n| n.rsplit(':').next() == Some("definitions")) {
                return None;
            }
            let start: String = text.trim_start().chars().take(60).collect();
            return Some(format!("not XML ({e}); it starts with {start:?}"));
        }
    };
    let root = doc.root_element().tag_name();
    if root.name() == "definitions" && root.namespace() == Some("http://schemas.xmlsoap.org/wsdl/") {
        return None;
    }
    Some(match root.namespace() {
        Some(ns) => format!("the root element is `{}` in namespace `{ns}`, not wsdl:definitions", root.name()),
        None => format!("the root element is `{}`, not wsdl:definitions", root.name()),
    })
}

/// The locations a description or schema document imports: `wsdl:import location`,
/// `xs:import`, `xs:include` and `xs:redefine` `schemaLocation`, in document order, each
/// once. Text that is not XML imports nothing.
pub fn imported_locations(text: &str) -> Vec<String> {
    const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
    const XSD: &str = "http://www.w3.org/2001/XMLSchema";
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, options) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = n.tag_name();
        let location = match (name.namespace(), name.name()) {
            (Some(WSDL), "import") => n.attribute("location"),
            (Some(XSD), "import" | "include" | "redefine") => n.attribute("schemaLocation"),
            _ => None,
        };
        if let Some(l) = location.filter(|l| !l.is_empty() && !out.iter().any(|o| o == l)) {
            out.push(l.to_owned());
        }
    }
    out
}

/// The name of the first start tag, past the XML declaration, comments and doctype.
fn first_element_name(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if rest.starts_with(['?', '!']) {
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
        return Some(&rest[..end]);
    }
}

/// Compares two service descriptions. `old` is the one callers were built against.
pub fn compare(old: &Input, new: &Input) -> Result<Report, DriftError> {
    let old_ir = load(old).map_err(DriftError::Old)?;
    let new_ir = load(new).map_err(DriftError::New)?;
    Ok(compare_ir(&old_ir, &new_ir))
}

fn load(input: &Input) -> Result<Ir, Diagnostics> {
    let annotations = match &input.annotations {
        Some(file) => Annotations::parse(file)?,
        None => Annotations::default(),
    };
    let defs = crate::parse::parse_definitions(input)?;
    ir::build(&defs, &annotations, &Options::default())
}

/// Compares two resolved descriptions.
pub fn compare_ir(old: &Ir, new: &Ir) -> Report {
    let mut cx = Cx {
        old: old.types.iter().map(|t| (t.rust_name().to_owned(), t)).collect(),
        new: new.types.iter().map(|t| (t.rust_name().to_owned(), t)).collect(),
        seen: BTreeSet::new(),
        trail: Vec::new(),
        changes: Vec::new(),
    };
    for op in &old.operations {
        let subject = format!("operation {}", op.name);
        cx.trail.push(subject.clone());
        let Some(n) = new.operations.iter().find(|o| o.name == op.name) else {
            cx.push(
                Severity::Breaking,
                "operation-removed",
                subject,
                "removed".to_owned(),
                "calls to it fail: the service no longer has it".to_owned(),
            );
            cx.trail.pop();
            continue;
        };
        for (label, a, b) in [
            ("SOAP 1.1 action", &op.soap11_action, &n.soap11_action),
            ("SOAP 1.2 action", &op.soap12_action, &n.soap12_action),
        ] {
            match (a, b) {
                (Some(a), Some(b)) if a != b => cx.push(
                    Severity::Breaking,
                    "action-changed",
                    subject.clone(),
                    format!("{label} changed from `{a}` to `{b}`"),
                    "the service dispatches on the action: calls sending the old one fail".to_owned(),
                ),
                (Some(a), None) => cx.push(
                    Severity::Breaking,
                    "action-changed",
                    subject.clone(),
                    format!("{label} `{a}` is gone (no such binding)"),
                    "calls over that SOAP version fail".to_owned(),
                ),
                (None, Some(b)) => cx.push(
                    Severity::Compatible,
                    "action-changed",
                    subject.clone(),
                    format!("now also bound for {label} `{b}`"),
                    "existing callers keep using the binding they had".to_owned(),
                ),
                _ => {}
            }
        }
        for (h, _) in &n.headers {
            if !op.headers.iter().any(|(o, _)| o == h) {
                cx.push(
                    Severity::Breaking,
                    "header-added",
                    subject.clone(),
                    format!("new SOAP header `{}`", h.local),
                    "existing callers do not send it".to_owned(),
                );
            }
        }
        for (h, _) in &op.headers {
            if !n.headers.iter().any(|(o, _)| o == h) {
                cx.push(
                    Severity::Compatible,
                    "header-removed",
                    subject.clone(),
                    format!("SOAP header `{}` is no longer declared", h.local),
                    "callers still send it; a service ignores a header it does not declare unless it is marked mustUnderstand".to_owned(),
                );
            }
        }
        for (dir, a, b) in [(Dir::Request, &op.request, &n.request), (Dir::Response, &op.response, &n.response)] {
            let (ea, eb) = (cx.element_of(a, true), cx.element_of(b, false));
            let message = match cx.old.get(a.as_str()) {
                Some(TypeDef::Struct(s)) => s.element.as_ref().map(|q| q.local.clone()),
                _ => None,
            };
            cx.trail.push(format!("{} {}", dir.word(), message.unwrap_or_else(|| cx.type_name(a, true))));
            if ea != eb {
                let why = match dir {
                    Dir::Request => "the service expects another element: calls fail",
                    Dir::Response => "this client expects the old element and fails to read the new one",
                };
                cx.push(
                    Severity::Breaking,
                    "message-changed",
                    subject.clone(),
                    format!(
                        "{} element changed from `{}` to `{}`",
                        dir.word(),
                        ea.unwrap_or_default(),
                        eb.unwrap_or_default()
                    ),
                    why.to_owned(),
                );
            }
            cx.compare_named(a, b, dir);
            cx.trail.pop();
        }
        cx.trail.pop();
    }
    for op in &new.operations {
        if !old.operations.iter().any(|o| o.name == op.name) {
            let subject = format!("operation {}", op.name);
            cx.trail.push(subject.clone());
            cx.push(
                Severity::Compatible,
                "operation-added",
                subject,
                "added".to_owned(),
                "existing callers never call it".to_owned(),
            );
            cx.trail.pop();
        }
    }
    // Types no operation reaches still matter to callers who build them by hand.
    let schema_types = |ir: &Ir| -> BTreeMap<String, String> {
        // Message and header elements are reported with their operations.
        let wrappers: BTreeSet<&str> = ir
            .operations
            .iter()
            .flat_map(|o| {
                [o.request.as_str(), o.response.as_str()].into_iter().chain(o.headers.iter().map(|(_, h)| h.as_str()))
            })
            .collect();
        ir.types
            .iter()
            .filter(|t| !wrappers.contains(t.rust_name()))
            .filter_map(|t| match t {
                TypeDef::Struct(s) => Some((s.rust_name.clone(), s.xml_name.local.clone())),
                TypeDef::Enum(e) => Some((e.rust_name.clone(), e.xml_name.local.clone())),
                _ => None,
            })
            .collect()
    };
    let (old_types, new_types) = (schema_types(old), schema_types(new));
    for (rust, xml) in &old_types {
        if !new_types.contains_key(rust) {
            cx.push(
                Severity::Breaking,
                "type-removed",
                format!("type {xml}"),
                "removed".to_owned(),
                "code that builds or reads it no longer matches the service".to_owned(),
            );
        }
    }
    for (rust, xml) in &new_types {
        if !old_types.contains_key(rust) {
            cx.push(
                Severity::Compatible,
                "type-added",
                format!("type {xml}"),
                "added".to_owned(),
                "existing callers never use it".to_owned(),
            );
        }
    }
    // The same change reached from several places is reported once, at its worst, with the
    // first path that reached it.
    let mut merged: Vec<Change> = Vec::new();
    for c in cx.changes {
        match merged.iter_mut().find(|m| m.kind == c.kind && m.subject == c.subject && m.detail == c.detail) {
            Some(m) if c.severity > m.severity => *m = c,
            Some(_) => {}
            None => merged.push(c),
        }
    }
    merged.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.subject.cmp(&b.subject)).then_with(|| a.detail.cmp(&b.detail))
    });
    Report { changes: merged }
}

/// Which way a type travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    /// Written by callers, read by the service.
    Request,
    /// Written by the service, read by callers.
    Response,
}

impl Dir {
    fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// What may be on the wire for a field: absent, nil, one value, several.
fn states(o: Occurs) -> [bool; 4] {
    match o {
        Occurs::Required => [false, false, true, false],
        Occurs::Optional => [true, false, true, false],
        Occurs::Nillable => [false, true, true, false],
        Occurs::OptionalNillable => [true, true, true, false],
        Occurs::Repeated => [true, false, true, true],
    }
}

fn subset(a: [bool; 4], b: [bool; 4]) -> bool {
    a.iter().zip(b.iter()).all(|(x, y)| !*x || *y)
}

/// Whether every value of `from` is a valid value of `to` (both written the same way).
fn widens(from: Prim, to: Prim) -> bool {
    use Prim::*;
    from == to
        || matches!(
            (from, to),
            (I8, I16 | I32 | I64 | Decimal | F64)
                | (I16, I32 | I64 | Decimal | F64)
                | (I32, I64 | Decimal | F64)
                | (I64 | U64, Decimal)
                | (U8, U16 | U32 | U64 | I16 | I32 | I64 | Decimal | F64)
                | (U16, U32 | U64 | I32 | I64 | Decimal | F64)
                | (U32, U64 | I64 | Decimal | F64)
                | (F32, F64)
        )
        || (to == String && from != AnyType)
}

struct Cx<'a> {
    old: BTreeMap<String, &'a TypeDef>,
    new: BTreeMap<String, &'a TypeDef>,
    /// (old type, new type, direction) pairs already compared.
    seen: BTreeSet<(String, String, Dir)>,
    /// Where the comparison is: the operation, the message, then each field followed.
    trail: Vec<String>,
    /// In the order found (operation order).
    changes: Vec<Change>,
}

impl Cx<'_> {
    fn push(&mut self, severity: Severity, kind: &'static str, subject: String, detail: String, why: String) {
        let mut path = self.trail.join(" / ");
        if self.trail.last() != Some(&subject) {
            if !path.is_empty() {
                path.push_str(" / ");
            }
            path.push_str(&subject);
        }
        self.changes.push(Change { severity, kind, subject, path, detail, why });
    }

    fn element_of(&self, rust: &str, old: bool) -> Option<String> {
        let map = if old { &self.old } else { &self.new };
        match map.get(rust) {
            Some(TypeDef::Struct(s)) => s.element.as_ref().map(ToString::to_string),
            _ => None,
        }
    }

    fn describe(&self, ty: &TypeRef, old: bool) -> String {
        let map = if old { &self.old } else { &self.new };
        match ty {
            TypeRef::Prim(p) => prim_name(*p).to_owned(),
            TypeRef::Named(n) => match map.get(n) {
                Some(TypeDef::Struct(s)) => format!("`{}`", s.xml_name.local),
                Some(TypeDef::Enum(e)) => format!("`{}`", e.xml_name.local),
                Some(TypeDef::Poly(p)) => format!("`{}` (or a derived type)", p.base_xml.local),
                Some(TypeDef::Choice(_)) | None => format!("`{n}`"),
            },
            TypeRef::Array { item, .. } => format!("array of {}", self.describe(item, old)),
            TypeRef::List(item) => format!("list of {}", self.describe(item, old)),
        }
    }

    fn type_name(&self, rust: &str, old: bool) -> String {
        let map = if old { &self.old } else { &self.new };
        match map.get(rust) {
            Some(TypeDef::Struct(s)) => s.xml_name.local.clone(),
            Some(TypeDef::Enum(e)) => e.xml_name.local.clone(),
            Some(TypeDef::Poly(p)) => p.base_xml.local.clone(),
            Some(TypeDef::Choice(c)) => format!("{} (choice)", c.owner.local),
            None => rust.to_owned(),
        }
    }

    /// Compares two named types reached the same way.
    fn compare_named(&mut self, a: &str, b: &str, dir: Dir) {
        if !self.seen.insert((a.to_owned(), b.to_owned(), dir)) {
            return;
        }
        let (Some(ta), Some(tb)) = (self.old.get(a).copied(), self.new.get(b).copied()) else { return };
        let subject = self.type_name(a, true);
        match (ta, tb) {
            (TypeDef::Struct(sa), TypeDef::Struct(sb)) => self.compare_fields(&subject, &sa.fields, &sb.fields, dir),
            (TypeDef::Enum(ea), TypeDef::Enum(eb)) => {
                for (_, value, _) in &eb.variants {
                    if !ea.variants.iter().any(|(_, v, _)| v == value) {
                        let why = match dir {
                            Dir::Response => "this client keeps a value it does not know as `Unknown`",
                            Dir::Request => "existing callers never send it",
                        };
                        self.push(
                            Severity::Compatible,
                            "enum-value-added",
                            subject.clone(),
                            format!("new value `{value}` (in the {})", dir.word()),
                            why.to_owned(),
                        );
                    }
                }
                for (_, value, _) in &ea.variants {
                    if !eb.variants.iter().any(|(_, v, _)| v == value) {
                        let (severity, why) = match dir {
                            Dir::Request => (Severity::Breaking, "existing callers may still send it and be refused"),
                            Dir::Response => (Severity::Compatible, "the service no longer sends it"),
                        };
                        self.push(
                            severity,
                            "enum-value-removed",
                            subject.clone(),
                            format!("value `{value}` removed (in the {})", dir.word()),
                            why.to_owned(),
                        );
                    }
                }
            }
            (TypeDef::Poly(pa), TypeDef::Poly(pb)) => {
                self.compare_named(&pa.base, &pb.base, dir);
                for (rust, xml) in &pb.variants {
                    match pa.variants.iter().find(|(_, x)| x == xml) {
                        Some((old_rust, _)) => self.compare_named(old_rust, rust, dir),
                        None => {
                            let why = match dir {
                                Dir::Response => {
                                    "this client reads an `xsi:type` it does not know as `Unknown` with the base type's fields"
                                }
                                Dir::Request => "existing callers never send it",
                            };
                            self.push(
                                Severity::Compatible,
                                "derived-type-added",
                                subject.clone(),
                                format!("new derived type `{}` (in the {})", xml.local, dir.word()),
                                why.to_owned(),
                            );
                        }
                    }
                }
                for (_, xml) in &pa.variants {
                    if !pb.variants.iter().any(|(_, x)| x == xml) {
                        let (severity, why) = match dir {
                            Dir::Request => (Severity::Breaking, "existing callers may still send it and be refused"),
                            Dir::Response => (Severity::Compatible, "the service no longer sends it"),
                        };
                        self.push(
                            severity,
                            "derived-type-removed",
                            subject.clone(),
                            format!("derived type `{}` removed (in the {})", xml.local, dir.word()),
                            why.to_owned(),
                        );
                    }
                }
            }
            (TypeDef::Poly(pa), TypeDef::Struct(_)) => {
                self.push(
                    Severity::Breaking,
                    "field-type-changed",
                    subject.clone(),
                    format!("no longer has derived types (in the {})", dir.word()),
                    "code that builds or matches the derived types no longer matches the service".to_owned(),
                );
                self.compare_named(&pa.base, b, dir);
            }
            (TypeDef::Struct(_), TypeDef::Poly(pb)) => {
                let (severity, why) = match dir {
                    Dir::Response => (
                        Severity::Compatible,
                        "this client reads a derived type it does not know with the base type's fields",
                    ),
                    Dir::Request => (Severity::Breaking, "the service may require a derived type callers cannot send"),
                };
                self.push(
                    severity,
                    "derived-type-added",
                    subject.clone(),
                    format!("now has derived types (`xsi:type`, in the {})", dir.word()),
                    why.to_owned(),
                );
                self.compare_named(a, &pb.base, dir);
            }
            _ => {}
        }
    }

    fn compare_fields(&mut self, owner: &str, old: &[Field], new: &[Field], dir: Dir) {
        let key = |f: &Field| -> (u8, String, String) {
            let cat = match &f.kind {
                FieldKind::Element | FieldKind::Choice(_) => 0,
                FieldKind::Attribute => 1,
                FieldKind::Text => 2,
                FieldKind::Content => 3,
                FieldKind::Any => 4,
            };
            (cat, f.xml_name.ns.clone(), f.xml_name.local.clone())
        };
        for fa in old {
            let subject = format!("{owner}.{}", label(fa));
            let Some(fb) = new.iter().find(|fb| key(fb) == key(fa)) else {
                let (severity, why) = match (dir, fa.occurs) {
                    (Dir::Response, Occurs::Required | Occurs::Nillable) => {
                        (Severity::Breaking, "this client requires it and fails to read responses without it")
                    }
                    (Dir::Response, _) => (Severity::Compatible, "this client reads it as absent"),
                    (Dir::Request, _) => {
                        (Severity::Breaking, "existing callers still send it, and the service no longer reads it")
                    }
                };
                self.push(
                    severity,
                    "field-removed",
                    subject,
                    format!("removed from the {} (was {})", dir.word(), fa.schema_occurs),
                    why.to_owned(),
                );
                continue;
            };
            // Occurrence.
            let (sa, sb) = (states(fa.occurs), states(fb.occurs));
            if fa.occurs != fb.occurs {
                let ok = match dir {
                    Dir::Response => subset(sb, sa),
                    Dir::Request => subset(sa, sb),
                };
                let why = match (dir, ok) {
                    (Dir::Response, true) => "every response allowed now was allowed before",
                    (Dir::Response, false) => {
                        "the service may now send it absent, nil or repeated where this client expects one value"
                    }
                    (Dir::Request, true) => "what existing callers send stays valid",
                    (Dir::Request, false) => "what existing callers send may no longer be valid",
                };
                self.push(
                    if ok { Severity::Compatible } else { Severity::Breaking },
                    "field-occurrence-changed",
                    subject.clone(),
                    format!(
                        "occurrence changed from {} to {} (in the {})",
                        fa.schema_occurs,
                        fb.schema_occurs,
                        dir.word()
                    ),
                    why.to_owned(),
                );
            }
            // Type.
            self.trail.push(subject.clone());
            if let (FieldKind::Choice(ca), FieldKind::Choice(cb)) = (&fa.kind, &fb.kind) {
                for alt in cb {
                    if !ca.iter().any(|x| x.xml_name == alt.xml_name) {
                        let (severity, why) = match (dir, fa.occurs) {
                            (Dir::Response, Occurs::Required) => (
                                Severity::Breaking,
                                "this client cannot read the new alternative where it requires one",
                            ),
                            (Dir::Response, _) => {
                                (Severity::Compatible, "this client skips an alternative it does not know")
                            }
                            (Dir::Request, _) => (Severity::Compatible, "existing callers never send it"),
                        };
                        self.push(
                            severity,
                            "choice-alternative-added",
                            subject.clone(),
                            format!("new alternative `{}` (in the {})", alt.xml_name.local, dir.word()),
                            why.to_owned(),
                        );
                    }
                }
                for alt in ca {
                    match cb.iter().find(|x| x.xml_name == alt.xml_name) {
                        Some(nb) => self.compare_type(&subject, &alt.ty, &nb.ty, dir),
                        None => {
                            let (severity, why) = match dir {
                                Dir::Request => {
                                    (Severity::Breaking, "existing callers may still send it and be refused")
                                }
                                Dir::Response => (Severity::Compatible, "the service no longer sends it"),
                            };
                            self.push(
                                severity,
                                "choice-alternative-removed",
                                subject.clone(),
                                format!("alternative `{}` removed (in the {})", alt.xml_name.local, dir.word()),
                                why.to_owned(),
                            );
                        }
                    }
                }
            } else {
                self.compare_type(&subject, &fa.ty, &fb.ty, dir);
            }
            self.trail.pop();
        }
        for fb in new {
            if old.iter().any(|fa| key(fa) == key(fb)) {
                continue;
            }
            let subject = format!("{owner}.{}", label(fb));
            let (severity, why) = match (dir, fb.occurs) {
                (Dir::Response, _) => (Severity::Compatible, "this client skips elements it does not know"),
                (Dir::Request, Occurs::Required | Occurs::Nillable) => {
                    (Severity::Breaking, "it is required, and existing callers do not send it")
                }
                (Dir::Request, _) => (Severity::Compatible, "it is optional: existing callers may leave it out"),
            };
            self.push(
                severity,
                "field-added",
                subject,
                format!("added to the {} ({})", dir.word(), fb.schema_occurs),
                why.to_owned(),
            );
        }
    }

    fn compare_type(&mut self, subject: &str, a: &TypeRef, b: &TypeRef, dir: Dir) {
        let changed = |cx: &mut Self, compatible: bool| {
            let detail = format!(
                "type changed from {} to {} (in the {})",
                cx.describe(a, true),
                cx.describe(b, false),
                dir.word()
            );
            let (severity, why) = match (dir, compatible) {
                (Dir::Response, true) => (Severity::Compatible, "every value of the new type reads as the old one"),
                (Dir::Response, false) => (Severity::Breaking, "this client cannot read every value of the new type"),
                (Dir::Request, true) => {
                    (Severity::Compatible, "every value existing callers send is valid for the new type")
                }
                (Dir::Request, false) => {
                    (Severity::Breaking, "values existing callers send may not be valid for the new type")
                }
            };
            cx.push(severity, "field-type-changed", subject.to_owned(), detail, why.to_owned());
        };
        match (a, b) {
            (TypeRef::Prim(pa), TypeRef::Prim(pb)) => {
                if pa != pb {
                    let ok = match dir {
                        Dir::Request => widens(*pa, *pb),
                        Dir::Response => widens(*pb, *pa),
                    };
                    changed(self, ok);
                }
            }
            (TypeRef::Named(na), TypeRef::Named(nb)) => {
                let kinds_match = matches!(
                    (self.old.get(na), self.new.get(nb)),
                    (Some(TypeDef::Struct(_) | TypeDef::Poly(_)), Some(TypeDef::Struct(_) | TypeDef::Poly(_)))
                        | (Some(TypeDef::Enum(_)), Some(TypeDef::Enum(_)))
                        | (Some(TypeDef::Choice(_)), Some(TypeDef::Choice(_)))
                );
                let same_schema_type = self.type_name(na, true) == self.type_name(nb, false);
                if !kinds_match {
                    changed(self, false);
                } else {
                    if !same_schema_type {
                        // A renamed type with the same shape is still compared field by field.
                        let detail = format!(
                            "type changed from {} to {} (in the {})",
                            self.describe(a, true),
                            self.describe(b, false),
                            dir.word()
                        );
                        self.push(
                            Severity::Compatible,
                            "field-type-changed",
                            subject.to_owned(),
                            detail,
                            "the wire carries element names, not type names; the fields are compared one by one"
                                .to_owned(),
                        );
                    }
                    self.compare_named(na, nb, dir);
                }
            }
            (TypeRef::Array { item: ia, item_name: na }, TypeRef::Array { item: ib, item_name: nb }) => {
                if na != nb {
                    let detail = format!(
                        "array item element changed from `{}` to `{}` (in the {})",
                        na.local,
                        nb.local,
                        dir.word()
                    );
                    let why = match dir {
                        Dir::Response => "this client skips the new items and sees an empty array",
                        Dir::Request => "the service does not read the items existing callers send",
                    };
                    self.push(Severity::Breaking, "field-type-changed", subject.to_owned(), detail, why.to_owned());
                }
                self.compare_type(subject, ia, ib, dir);
            }
            (TypeRef::List(ia), TypeRef::List(ib)) => self.compare_type(subject, ia, ib, dir),
            (TypeRef::Named(n), TypeRef::Prim(Prim::String)) | (TypeRef::Prim(Prim::String), TypeRef::Named(n)) => {
                // An enumeration loosened to a string (or tightened from one).
                let is_enum = self.old.get(n).or(self.new.get(n)).is_some_and(|t| matches!(t, TypeDef::Enum(_)));
                let loosened = matches!(b, TypeRef::Prim(Prim::String));
                changed(self, is_enum && ((loosened && dir == Dir::Request) || (!loosened && dir == Dir::Response)));
            }
            _ => changed(self, false),
        }
    }
}

/// The schema name of a built-in type, as callers know it.
fn prim_name(p: Prim) -> &'static str {
    match p {
        Prim::String => "xs:string",
        Prim::Bool => "xs:boolean",
        Prim::I8 => "xs:byte",
        Prim::I16 => "xs:short",
        Prim::I32 => "xs:int",
        Prim::I64 => "xs:long",
        Prim::U8 => "xs:unsignedByte",
        Prim::U16 => "xs:unsignedShort",
        Prim::U32 => "xs:unsignedInt",
        Prim::U64 => "xs:unsignedLong",
        Prim::F32 => "xs:float",
        Prim::F64 => "xs:double",
        Prim::DateTime => "xs:dateTime",
        Prim::Decimal => "xs:decimal",
        Prim::Guid => "guid",
        Prim::Base64 => "xs:base64Binary",
        Prim::HexBinary => "xs:hexBinary",
        Prim::Date => "xs:date",
        Prim::Time => "xs:time",
        Prim::Duration => "xs:duration",
        Prim::Char => "char",
        Prim::AnyType => "xs:anyType",
    }
}

fn label(f: &Field) -> String {
    match &f.kind {
        FieldKind::Attribute => format!("@{}", f.xml_name.local),
        FieldKind::Text => "(text)".to_owned(),
        FieldKind::Content => "(content)".to_owned(),
        FieldKind::Any => "(xs:any)".to_owned(),
        FieldKind::Choice(alts) => {
            format!("({})", alts.iter().map(|a| a.xml_name.local.as_str()).collect::<Vec<_>>().join(" | "))
        }
        FieldKind::Element => f.xml_name.local.clone(),
    }
}

impl Report {
    /// The most severe change, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    /// The process exit status `engageip drift` and `cargo xtask drift` use: 0 no drift,
    /// 1 compatible drift only, 2 breaking drift (3, could not compare, is theirs).
    pub fn exit_code(&self) -> u8 {
        match self.worst() {
            None => 0,
            Some(Severity::Compatible) => 1,
            Some(Severity::Breaking) => 2,
        }
    }

    /// `none`, `compatible` or `breaking`.
    pub fn status(&self) -> &'static str {
        self.worst().map_or("none", Severity::as_str)
    }

    /// How many changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes.iter().filter(|c| c.severity == severity).count()
    }

    /// The report as one JSON object. The field names are stable:
    ///
    /// ```text
    /// {"status":"none"|"compatible"|"breaking","breaking":N,"compatible":N,
    ///  "changes":[{"severity":"breaking"|"compatible","kind":"field-added"|...,
    ///              "subject":"Package.TaxCode","path":"operation GetPackages / ...",
    ///              "detail":"added to the response (minOccurs=0)","why":"..."}]}
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = format!(
            "{{\"status\":{},\"breaking\":{},\"compatible\":{},\"changes\":[",
            json_string(self.status()),
            self.count(Severity::Breaking),
            self.count(Severity::Compatible)
        );
        for (i, c) in self.changes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"severity\":{},\"kind\":{},\"subject\":{},\"path\":{},\"detail\":{},\"why\":{}}}",
                json_string(c.severity.as_str()),
                json_string(c.kind),
                json_string(&c.subject),
                json_string(&c.path),
                json_string(&c.detail),
                json_string(&c.why)
            ));
        }
        out.push_str("]}");
        out
    }

    /// The report as Markdown (for a CI job summary or a pull request comment): a heading
    /// `title`, a one-line verdict and a table of the changes, breaking first.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut out = format!("### {}\n\n", md_cell(title));
        if self.changes.is_empty() {
            out.push_str("**No drift**: the descriptions mean the same.\n");
            return out;
        }
        let (breaking, compatible) = (self.count(Severity::Breaking), self.count(Severity::Compatible));
        out.push_str(&match breaking {
            0 => format!("**Compatible drift**: {compatible} compatible change(s), none breaking.\n\n"),
            _ => format!("**Breaking drift**: {breaking} breaking and {compatible} compatible change(s).\n\n"),
        });
        out.push_str("| Severity | What | Change | Why | Where |\n|---|---|---|---|---|\n");
        for c in &self.changes {
            let severity = match c.severity {
                Severity::Breaking => "**breaking**",
                Severity::Compatible => "compatible",
            };
            out.push_str(&format!(
                "| {severity} | `{}` | {} | {} | {} |\n",
                md_cell(&c.subject).replace('`', "'"),
                md_cell(&c.detail),
                md_cell(&c.why),
                md_cell(&c.path)
            ));
        }
        out
    }
}

/// Text for one Markdown table cell: no line breaks, `|` escaped.
fn md_cell(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl fmt::Display for Report {
    /// Breaking changes, then compatible ones, each with why and where, and a summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "no drift: the descriptions mean the same");
        }
        for severity in [Severity::Breaking, Severity::Compatible] {
            let group: Vec<&Change> = self.changes.iter().filter(|c| c.severity == severity).collect();
            if group.is_empty() {
                continue;
            }
            writeln!(f, "{} changes:", severity.as_str())?;
            for c in group {
                writeln!(f, "  - {}: {}", c.subject, c.detail)?;
                writeln!(f, "      {}: {}", severity.as_str(), c.why)?;
                writeln!(f, "      at: {}", c.path)?;
            }
        }
        writeln!(f, "{} change(s), {} breaking", self.changes.len(), self.count(Severity::Breaking))
    }
}
