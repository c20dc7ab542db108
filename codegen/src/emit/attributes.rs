//! The `type_attribute` and `field_attribute` hooks: extra outer attributes (such as
//! `#[derive(serde::Serialize)]`) on the generated schema types and their fields, added to
//! the parsed `syn::File` of the types module before it is printed.

use syn::ext::IdentExt as _;

use crate::Options;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::{Ir, TypeDef};

/// The path that selects every type, or every field.
const EVERY: &str = ".";

fn parse(attribute: &str) -> Result<Vec<syn::Attribute>, String> {
    syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute).map_err(|e| e.to_string())
}

fn problem(message: String) -> Diagnostics {
    Diagnostic::new(Span::default(), "Options", message).into()
}

/// Checks every configured attribute once, before the jobs run: each parses as outer
/// attributes, and each path names a generated type (and field) of this service, so that a
/// misspelt path is an error instead of silently doing nothing.
pub(crate) fn check(ir: &Ir, options: &Options) -> Result<(), Diagnostics> {
    let find = |name: &str| ir.types.iter().find(|t| t.rust_name() == name);
    for (path, attribute) in &options.type_attributes {
        parse(attribute).map_err(|e| {
            problem(format!(
                "type_attribute(\"{path}\", \"{attribute}\"): not an outer attribute such as `#[derive(Hash)]`: {e}"
            ))
        })?;
        if path != EVERY && find(path).is_none() {
            return Err(problem(format!(
                "type_attribute(\"{path}\", ..): the service has no generated type `{path}` (use a type's Rust name, or `.` for every type)"
            )));
        }
    }
    for (path, attribute) in &options.field_attributes {
        parse(attribute).map_err(|e| {
            problem(format!(
                "field_attribute(\"{path}\", \"{attribute}\"): not an outer attribute such as `#[doc(hidden)]`: {e}"
            ))
        })?;
        if path == EVERY {
            continue;
        }
        let (ty, field) = match path.split_once('.') {
            Some((ty, field)) => (ty, Some(field)),
            None => (path.as_str(), None),
        };
        let known = match (find(ty), field) {
            (Some(TypeDef::Struct(s)), Some(field)) => s.fields.iter().any(|f| f.rust_name == field),
            (Some(TypeDef::Struct(_)), None) => true,
            _ => false,
        };
        if !known {
            return Err(problem(format!(
                "field_attribute(\"{path}\", ..): the service has no generated struct field `{path}` (use `Type.field` or `Type` with Rust names, or `.` for every field)"
            )));
        }
    }
    Ok(())
}

fn matches_field(path: &str, ty: &str, field: &str) -> bool {
    path == EVERY || path == ty || path.split_once('.').is_some_and(|(t, f)| t == ty && f == field)
}

/// Adds the configured attributes to the structs, enums and struct fields of `file` (one
/// chunk of the types module). The attributes were checked by [`check`]; each use parses its
/// own copy (syn's tokens here are built without `Clone`).
pub(crate) fn apply(file: &mut syn::File, options: &Options) -> Result<(), Diagnostics> {
    if options.type_attributes.is_empty() && options.field_attributes.is_empty() {
        return Ok(());
    }
    for item in &mut file.items {
        let (name, attrs, fields) = match item {
            syn::Item::Struct(s) => (s.ident.unraw().to_string(), &mut s.attrs, Some(&mut s.fields)),
            syn::Item::Enum(e) => (e.ident.unraw().to_string(), &mut e.attrs, None),
            _ => continue,
        };
        for (path, added) in &options.type_attributes {
            if path == EVERY || *path == name {
                attrs.extend(parse(added).map_err(problem)?);
            }
        }
        for field in fields.into_iter().flat_map(|f| f.iter_mut()) {
            let Some(field_name) = field.ident.as_ref().map(|i| i.unraw().to_string()) else { continue };
            for (path, added) in &options.field_attributes {
                if matches_field(path, &name, &field_name) {
                    field.attrs.extend(parse(added).map_err(problem)?);
                }
            }
        }
    }
    Ok(())
}
