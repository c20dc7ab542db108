//! Attributes (`xs:attribute`), derived types read through `xsi:type`, and `xs:choice`.

use std::fmt;

use super::XmlContent;
use super::error::{DecodeError, DecodeErrorKind};
use super::reader::{Element, XSI_NS, XmlReader};
use super::value::XmlText;

/// Decodes attribute `{ns}local` of `element` as `T`; `None` when absent.
pub fn decode_attribute<T: XmlText>(
    r: &XmlReader<'_>,
    element: &Element<'_>,
    ns: &str,
    local: &str,
) -> Result<Option<T>, DecodeError> {
    let Some(text) = r.attribute(element, ns, local)? else { return Ok(None) };
    T::parse_text(&text).map(Some).map_err(|e| {
        r.error(DecodeErrorKind::InvalidValue {
            expected: T::XSD_TYPE,
            value: text.chars().take(64).collect(),
            message: format!("attribute `{local}`: {e}"),
        })
    })
}

/// Unwraps a required attribute, or fails naming it and its element.
pub fn required_attribute<T>(
    r: &XmlReader<'_>,
    value: Option<T>,
    name: &'static str,
    parent: &'static str,
) -> Result<T, DecodeError> {
    value.ok_or_else(|| r.error(DecodeErrorKind::MissingAttribute { attribute: name, parent }))
}

/// The schema type named by an `xsi:type` attribute: which derived type a value is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct XsiType {
    /// The type's namespace (empty for none).
    pub namespace: String,
    /// The type's local name.
    pub name: String,
}

impl fmt::Display for XsiType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{{{}}}{}", self.namespace, self.name)
        }
    }
}

/// The `xsi:type` of `element`, its prefix resolved where the element stands; `None` when the
/// element has none.
pub fn xsi_type(r: &XmlReader<'_>, element: &Element<'_>) -> Result<Option<XsiType>, DecodeError> {
    let Some(value) = r.attribute(element, XSI_NS, "type")? else { return Ok(None) };
    let value = value.trim();
    let (prefix, name) = match value.split_once(':') {
        Some((p, n)) => (Some(p), n),
        None => (None, value),
    };
    let namespace = match r.resolve_prefix(prefix) {
        Some(ns) => ns.to_owned(),
        None if prefix.is_none() => String::new(),
        None => {
            return Err(r.error(DecodeErrorKind::Malformed(format!("xsi:type `{value}` uses an undeclared prefix"))));
        }
    };
    Ok(Some(XsiType { namespace, name: name.to_owned() }))
}

/// Decodes one alternative of a single-valued `xs:choice` into `slot`, wrapping it with
/// `variant`; a second alternative is an error naming `parent`.
pub fn decode_choice_once<'a, T: XmlContent, C>(
    r: &mut XmlReader<'a>,
    slot: &mut Option<C>,
    element: &Element<'a>,
    variant: fn(T) -> C,
    name: &'static str,
    parent: &'static str,
) -> Result<(), DecodeError> {
    if slot.is_some() {
        return Err(r.error(DecodeErrorKind::DuplicateElement { element: name, parent }));
    }
    if element.is_nil() {
        return Err(r.error(DecodeErrorKind::UnexpectedNil(name.to_owned())));
    }
    *slot = Some(variant(T::decode_content(r, element)?));
    Ok(())
}

/// Like [`decode_choice_once`] for a nillable alternative: nil becomes `variant(None)`.
pub fn decode_choice_nillable_once<'a, T: XmlContent, C>(
    r: &mut XmlReader<'a>,
    slot: &mut Option<C>,
    element: &Element<'a>,
    variant: fn(Option<T>) -> C,
    name: &'static str,
    parent: &'static str,
) -> Result<(), DecodeError> {
    if slot.is_some() {
        return Err(r.error(DecodeErrorKind::DuplicateElement { element: name, parent }));
    }
    let value = if element.is_nil() {
        r.skip(element)?;
        None
    } else {
        Some(T::decode_content(r, element)?)
    };
    *slot = Some(variant(value));
    Ok(())
}

/// Decodes one alternative of a repeated `xs:choice` into `items`.
pub fn decode_choice_item<'a, T: XmlContent, C>(
    r: &mut XmlReader<'a>,
    items: &mut Vec<C>,
    element: &Element<'a>,
    variant: fn(T) -> C,
    name: &'static str,
) -> Result<(), DecodeError> {
    if element.is_nil() {
        return Err(r.error(DecodeErrorKind::UnexpectedNil(name.to_owned())));
    }
    items.push(variant(T::decode_content(r, element)?));
    Ok(())
}

/// Like [`decode_choice_item`] for a nillable alternative.
pub fn decode_choice_nillable_item<'a, T: XmlContent, C>(
    r: &mut XmlReader<'a>,
    items: &mut Vec<C>,
    element: &Element<'a>,
    variant: fn(Option<T>) -> C,
) -> Result<(), DecodeError> {
    let value = if element.is_nil() {
        r.skip(element)?;
        None
    } else {
        Some(T::decode_content(r, element)?)
    };
    items.push(variant(value));
    Ok(())
}
