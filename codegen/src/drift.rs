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
    /// The change and why it has its severity.
    pub detail: String,
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
        changes: BTreeSet::new(),
    };
    for op in &old.operations {
        let Some(n) = new.operations.iter().find(|o| o.name == op.name) else {
            cx.push(
                Severity::Breaking,
                "operation-removed",
                format!("operation {}", op.name),
                "removed: calls to it fail".to_owned(),
            );
            continue;
        };
        let subject = format!("operation {}", op.name);
        for (label, a, b) in [
            ("SOAP 1.1 action", &op.soap11_action, &n.soap11_action),
            ("SOAP 1.2 action", &op.soap12_action, &n.soap12_action),
        ] {
            match (a, b) {
                (Some(a), Some(b)) if a != b => {
                    cx.push(
                        Severity::Breaking,
                        "action-changed",
                        subject.clone(),
                        format!("{label} changed from `{a}` to `{b}`"),
                    );
                }
                (Some(a), None) => cx.push(
                    Severity::Breaking,
                    "action-changed",
                    subject.clone(),
                    format!("{label} `{a}` is gone (no such binding)"),
                ),
                (None, Some(b)) => cx.push(
                    Severity::Compatible,
                    "action-changed",
                    subject.clone(),
                    format!("now also bound for {label} `{b}`"),
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
                    format!("new SOAP header `{}`: existing callers do not send it", h.local),
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
                );
            }
        }
        for (dir, a, b) in [(Dir::Request, &op.request, &n.request), (Dir::Response, &op.response, &n.response)] {
            let (ea, eb) = (cx.element_of(a, true), cx.element_of(b, false));
            if ea != eb {
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
                );
            }
            cx.compare_named(a, b, dir);
        }
    }
    for op in &new.operations {
        if !old.operations.iter().any(|o| o.name == op.name) {
            cx.push(Severity::Compatible, "operation-added", format!("operation {}", op.name), "added".to_owned());
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
            cx.push(Severity::Breaking, "type-removed", format!("type {xml}"), "removed".to_owned());
        }
    }
    for (rust, xml) in &new_types {
        if !old_types.contains_key(rust) {
            cx.push(Severity::Compatible, "type-added", format!("type {xml}"), "added".to_owned());
        }
    }
    let mut changes: Vec<Change> = cx.changes.into_iter().collect();
    // The same change reached from several places is reported once, at its worst.
    let mut worst: BTreeMap<(String, String, &'static str), Severity> = BTreeMap::new();
    for c in &changes {
        let key = (c.subject.clone(), c.detail.clone(), c.kind);
        let e = worst.entry(key).or_insert(c.severity);
        *e = (*e).max(c.severity);
    }
    changes.retain(|c| worst.get(&(c.subject.clone(), c.detail.clone(), c.kind)) == Some(&c.severity));
    changes.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.subject.cmp(&b.subject)).then_with(|| a.detail.cmp(&b.detail))
    });
    changes.dedup();
    Report { changes }
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
    changes: BTreeSet<Change>,
}

impl Cx<'_> {
    fn push(&mut self, severity: Severity, kind: &'static str, subject: String, detail: String) {
        self.changes.insert(Change { severity, kind, subject, detail });
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
                            Dir::Response => "old clients keep it as `Unknown`",
                            Dir::Request => "old clients never send it",
                        };
                        self.push(
                            Severity::Compatible,
                            "enum-value-added",
                            subject.clone(),
                            format!("new value `{value}` ({why})"),
                        );
                    }
                }
                for (_, value, _) in &ea.variants {
                    if !eb.variants.iter().any(|(_, v, _)| v == value) {
                        let (severity, why) = match dir {
                            Dir::Request => (Severity::Breaking, "old clients may still send it"),
                            Dir::Response => (Severity::Compatible, "the service no longer sends it"),
                        };
                        self.push(
                            severity,
                            "enum-value-removed",
                            subject.clone(),
                            format!("value `{value}` removed ({why})"),
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
                                Dir::Response => "old clients read it as `Unknown` with the base type's fields",
                                Dir::Request => "old clients never send it",
                            };
                            self.push(
                                Severity::Compatible,
                                "derived-type-added",
                                subject.clone(),
                                format!("new derived type `{}` ({why})", xml.local),
                            );
                        }
                    }
                }
                for (_, xml) in &pa.variants {
                    if !pb.variants.iter().any(|(_, x)| x == xml) {
                        let (severity, why) = match dir {
                            Dir::Request => (Severity::Breaking, "old clients may still send it"),
                            Dir::Response => (Severity::Compatible, "the service no longer sends it"),
                        };
                        self.push(
                            severity,
                            "derived-type-removed",
                            subject.clone(),
                            format!("derived type `{}` removed ({why})", xml.local),
                        );
                    }
                }
            }
            (TypeDef::Poly(pa), TypeDef::Struct(_)) => {
                self.push(
                    Severity::Breaking,
                    "field-type-changed",
                    subject.clone(),
                    "no longer has derived types".to_owned(),
                );
                self.compare_named(&pa.base, b, dir);
            }
            (TypeDef::Struct(_), TypeDef::Poly(pb)) => {
                let severity = if dir == Dir::Response { Severity::Compatible } else { Severity::Breaking };
                self.push(
                    severity,
                    "derived-type-added",
                    subject.clone(),
                    "now has derived types (`xsi:type`)".to_owned(),
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
                        (Severity::Breaking, "old clients require it and fail without it")
                    }
                    (Dir::Response, _) => (Severity::Compatible, "old clients see it absent"),
                    (Dir::Request, _) => (Severity::Breaking, "the service no longer reads what callers send"),
                };
                self.push(severity, "field-removed", subject, format!("removed from the {} ({why})", dir.word()));
                continue;
            };
            // Occurrence.
            let (sa, sb) = (states(fa.occurs), states(fb.occurs));
            if fa.occurs != fb.occurs {
                let ok = match dir {
                    Dir::Response => subset(sb, sa),
                    Dir::Request => subset(sa, sb),
                };
                let severity = if ok { Severity::Compatible } else { Severity::Breaking };
                self.push(
                    severity,
                    "field-occurrence-changed",
                    subject.clone(),
                    format!(
                        "occurrence changed from {} to {} (in the {})",
                        fa.schema_occurs,
                        fb.schema_occurs,
                        dir.word()
                    ),
                );
            }
            // Type.
            if let (FieldKind::Choice(ca), FieldKind::Choice(cb)) = (&fa.kind, &fb.kind) {
                for alt in cb {
                    if !ca.iter().any(|x| x.xml_name == alt.xml_name) {
                        let severity = if dir == Dir::Response && fa.occurs == Occurs::Required {
                            Severity::Breaking
                        } else {
                            Severity::Compatible
                        };
                        self.push(
                            severity,
                            "choice-alternative-added",
                            subject.clone(),
                            format!("new alternative `{}`", alt.xml_name.local),
                        );
                    }
                }
                for alt in ca {
                    match cb.iter().find(|x| x.xml_name == alt.xml_name) {
                        Some(nb) => self.compare_type(&subject, &alt.ty, &nb.ty, dir),
                        None => {
                            let severity = if dir == Dir::Request { Severity::Breaking } else { Severity::Compatible };
                            self.push(
                                severity,
                                "choice-alternative-removed",
                                subject.clone(),
                                format!("alternative `{}` removed", alt.xml_name.local),
                            );
                        }
                    }
                }
                continue;
            }
            self.compare_type(&subject, &fa.ty, &fb.ty, dir);
        }
        for fb in new {
            if old.iter().any(|fa| key(fa) == key(fb)) {
                continue;
            }
            let subject = format!("{owner}.{}", label(fb));
            let (severity, why) = match (dir, fb.occurs) {
                (Dir::Response, _) => (Severity::Compatible, "old clients skip it"),
                (Dir::Request, Occurs::Required | Occurs::Nillable) => {
                    (Severity::Breaking, "required, and existing callers do not send it")
                }
                (Dir::Request, _) => (Severity::Compatible, "optional"),
            };
            self.push(
                severity,
                "field-added",
                subject,
                format!("added to the {} ({why}; {})", dir.word(), fb.schema_occurs),
            );
        }
    }

    fn compare_type(&mut self, subject: &str, a: &TypeRef, b: &TypeRef, dir: Dir) {
        let changed = |cx: &mut Self, compatible: bool| {
            let severity = if compatible { Severity::Compatible } else { Severity::Breaking };
            let detail = format!(
                "type changed from {} to {} (in the {})",
                cx.describe(a, true),
                cx.describe(b, false),
                dir.word()
            );
            cx.push(severity, "field-type-changed", subject.to_owned(), detail);
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
                        self.push(Severity::Compatible, "field-type-changed", subject.to_owned(), detail);
                    }
                    self.compare_named(na, nb, dir);
                }
            }
            (TypeRef::Array { item: ia, item_name: na }, TypeRef::Array { item: ib, item_name: nb }) => {
                if na != nb {
                    let detail = format!("array item element changed from `{}` to `{}`", na.local, nb.local);
                    self.push(Severity::Breaking, "field-type-changed", subject.to_owned(), detail);
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

    /// The process exit status `cargo xtask drift` uses: 0 no drift, 1 compatible drift only,
    /// 2 breaking drift.
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

    /// The report as one JSON object:
    /// `{"status":"breaking","breaking":1,"compatible":2,"changes":[{"severity":..,"kind":..,"subject":..,"detail":..}]}`.
    pub fn to_json(&self) -> String {
        let count = |s: Severity| self.changes.iter().filter(|c| c.severity == s).count();
        let mut out = format!(
            "{{\"status\":{},\"breaking\":{},\"compatible\":{},\"changes\":[",
            json_string(self.status()),
            count(Severity::Breaking),
            count(Severity::Compatible)
        );
        for (i, c) in self.changes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"severity\":{},\"kind\":{},\"subject\":{},\"detail\":{}}}",
                json_string(c.severity.as_str()),
                json_string(c.kind),
                json_string(&c.subject),
                json_string(&c.detail)
            ));
        }
        out.push_str("]}");
        out
    }
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
    /// Breaking changes, then compatible ones, one per line, and a summary.
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
            }
        }
        let breaking = self.changes.iter().filter(|c| c.severity == Severity::Breaking).count();
        writeln!(f, "{} change(s), {breaking} breaking", self.changes.len())
    }
}
