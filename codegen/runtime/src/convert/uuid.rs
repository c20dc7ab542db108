//! [`Guid`] <-> [`uuid::Uuid`]: the same 16 bytes in text order, both ways exact. Feature
//! `uuid`.

use crate::Guid;

impl From<Guid> for uuid::Uuid {
    /// The same GUID (`6f9619ff-8b86-d011-b42d-00c04fc964ff` reads the same in both).
    fn from(value: Guid) -> Self {
        uuid::Uuid::from_bytes(*value.as_bytes())
    }
}

impl From<uuid::Uuid> for Guid {
    /// The same GUID.
    fn from(value: uuid::Uuid) -> Self {
        Guid::from_bytes(value.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_the_same() {
        let g: Guid = "6F9619FF-8B86-D011-B42D-00C04FC964FF".parse().unwrap();
        let u = uuid::Uuid::from(g);
        assert_eq!(u.to_string(), g.to_string());
        assert_eq!(Guid::from(u), g);
    }
}
