//! `Serialize` and `Deserialize` for the runtime's values (feature `serde`).
//!
//! Every XML Schema value is written as its exact lexical form, a string, so a value read
//! from XML, written to JSON and read back writes the same XML: [`DateTime`] keeps its offset
//! kind (`Z`, `±hh:mm` or none) and its fraction digits, [`Decimal`] its scale (`12.50`).
//! [`Nillable`] is the field's value, `null` for nil, and (in a struct generated with the
//! `serde` option, whose field carries `#[serde(default, skip_serializing_if =
//! "Nillable::is_absent")]`) no field at all when absent.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::{Date, DateTime, Decimal, Duration, Guid, HexBinary, List, Nillable, Offset, RawXml, Time, XmlText};

/// A visitor of a string parsed by `parse`.
struct Lexical<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
}

impl<T> Visitor<'_> for Lexical<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|message| E::custom(format_args!("invalid {}: {message}", self.expecting)))
    }
}

macro_rules! lexical {
    ($($t:ty => $expecting:literal),* $(,)?) => {$(
        impl Serialize for $t {
            /// The exact lexical form, as a string.
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            /// Parses the lexical form, as the XML decoder does.
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(Lexical { expecting: $expecting, parse: |s| <$t>::from_str(s).map_err(|e| e.to_string()) })
            }
        }
    )*};
}

lexical!(
    DateTime => "an xs:dateTime such as 2026-01-15T10:30:00.1234567-05:00",
    Date => "an xs:date such as 2026-01-15",
    Time => "an xs:time such as 10:30:00Z",
    Duration => "an xs:duration such as P1DT2H30M",
    Decimal => "an xs:decimal such as 12.50",
    Guid => "a GUID such as 6f9619ff-8b86-d011-b42d-00c04fc964ff",
    Offset => "an offset: \"\", \"Z\" or \"±hh:mm\"",
);

impl Serialize for HexBinary {
    /// Upper-case hex digits, as written in XML.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HexBinary {
    /// Hex digits in either case.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Lexical {
            expecting: "xs:hexBinary digits",
            parse: |s| HexBinary::parse_text(s).map_err(|e| e.to_string()),
        })
    }
}

impl Serialize for RawXml {
    /// The fragment's text.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RawXml {
    /// A well-formed XML fragment (checked as [`RawXml::new`] does).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Lexical {
            expecting: "a well-formed XML fragment",
            parse: |s| RawXml::new(s).map_err(|e| e.to_string()),
        })
    }
}

impl<T: Serialize> Serialize for List<T> {
    /// A sequence of the items.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    /// A sequence of the items.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(d).map(List)
    }
}

impl<T: Serialize> Serialize for Nillable<T> {
    /// The value, or none (`null`) for nil. Absent is also none here: a struct field skips
    /// itself when absent (`skip_serializing_if = "Nillable::is_absent"`), which keeps the two
    /// apart in formats with optional fields.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Nillable::Value(v) => s.serialize_some(v),
            Nillable::Nil | Nillable::Absent => s.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nillable<T> {
    /// None (`null`) is nil, a value is a value; a missing struct field is absent when the
    /// field carries `#[serde(default)]` (generated code does).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Nillable<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nillable::Nil)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nillable::Nil)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                T::deserialize(d).map(Nillable::Value)
            }
        }
        d.deserialize_option(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Nillable::is_absent")]
        n: Nillable<i32>,
        when: DateTime,
        amount: Decimal,
    }

    #[test]
    fn values_are_their_exact_lexical_form() {
        for text in
            ["2026-01-15T10:30:00.1000000", "2026-01-15T10:30:00Z", "2026-01-15T10:30:00.25+00:00", "2026-01-15"]
        {
            let dt: DateTime = text.parse().unwrap();
            let json = serde_json::to_string(&dt).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap().to_string(), text);
        }
        let d: Decimal = "12.50".parse().unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"12.50\"");
        let g: Guid = "6f9619ff-8b86-d011-b42d-00c04fc964ff".parse().unwrap();
        assert_eq!(serde_json::from_str::<Guid>(&serde_json::to_string(&g).unwrap()).unwrap(), g);
        for o in [Offset::Unspecified, Offset::Utc, Offset::Minutes(-300), Offset::Minutes(0)] {
            assert_eq!(serde_json::from_str::<Offset>(&serde_json::to_string(&o).unwrap()).unwrap(), o);
        }
        let err = serde_json::from_str::<DateTime>("\"2026-13-01T00:00:00\"").unwrap_err().to_string();
        assert!(err.contains("xs:dateTime") && err.contains("month"), "{err}");
    }

    #[test]
    fn nillable_keeps_absent_nil_and_value_apart() {
        let when: DateTime = "2026-01-15T10:30:00".parse().unwrap();
        let amount: Decimal = "1".parse().unwrap();
        for (n, json) in [
            (Nillable::Absent, r#"{"when":"2026-01-15T10:30:00","amount":"1"}"#),
            (Nillable::Nil, r#"{"n":null,"when":"2026-01-15T10:30:00","amount":"1"}"#),
            (Nillable::Value(5), r#"{"n":5,"when":"2026-01-15T10:30:00","amount":"1"}"#),
        ] {
            let h = Holder { n, when, amount: amount.clone() };
            assert_eq!(serde_json::to_string(&h).unwrap(), json);
            assert_eq!(serde_json::from_str::<Holder>(json).unwrap(), h);
        }
    }
}
