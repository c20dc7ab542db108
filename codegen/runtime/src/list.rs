//! `xs:list`: several simple values in one element's text, separated by spaces.

use std::ops::{Deref, DerefMut};

use super::XmlContent;
use super::error::{DecodeError, EncodeError, ValueError};
use super::reader::{Element, XmlReader};
use super::value::{XmlText, decode_text};
use super::writer::XmlWriter;

/// The values of an `xs:list` simple type, such as WCF's flags enumerations
/// (`<Days>Monday Friday</Days>`). Dereferences to `Vec<T>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct List<T>(pub Vec<T>);

impl<T> Deref for List<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> DerefMut for List<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        List(items)
    }
}

impl<T: XmlText> XmlText for List<T> {
    const XSD_TYPE: &'static str = "xs:list";
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        text.split([' ', '\t', '\n', '\r'])
            .filter(|item| !item.is_empty())
            .enumerate()
            .map(|(i, item)| T::parse_text(item).map_err(|e| ValueError::new(format!("item {} `{item}`: {e}", i + 1))))
            .collect::<Result<Vec<T>, ValueError>>()
            .map(List)
    }
    fn write_text(&self, w: &mut XmlWriter, element: &str) -> Result<(), EncodeError> {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                w.plain(" ");
            }
            item.write_text(w, element)?;
        }
        Ok(())
    }
}

impl<T: XmlText> XmlContent for List<T> {
    fn decode_content<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        decode_text(r, element)
    }
    fn encode_content(&self, w: &mut XmlWriter, element: &str) -> Result<(), EncodeError> {
        self.write_text(w, element)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_whitespace() {
        let l = List::<i32>::parse_text(" 1  2\n3 ").unwrap();
        assert_eq!(l.0, [1, 2, 3]);
        assert!(List::<i32>::parse_text("1 x").is_err());
        assert!(List::<i32>::parse_text("").unwrap().is_empty());
        let mut w = XmlWriter::new();
        l.write_text(&mut w, "x").unwrap();
        assert_eq!(w.as_str(), "1 2 3");
    }
}
