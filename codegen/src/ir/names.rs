//! Rust names for schema names: one naming pass, deterministic, keywords escaped.

/// Words that cannot be identifiers at all, even raw (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords of every edition (strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Whether `c` may be part of a word of an identifier: a letter or digit of any script that Rust
/// accepts in identifiers (`é`, `ß`, `д`, `デ`; not `²` or `_`, which separate words).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && unicode_ident::is_xid_continue(c)
}

/// Splits a schema name into words: on characters that cannot be in an identifier,
/// lower→upper changes, and the last capital of an acronym before a lower-case letter
/// (`XMLHttp` → `XML`, `Http`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // Letters and digits of any script make identifiers (Rust accepts Unicode ones), so a
        // Cyrillic or accented name keeps its meaning; the XML name is always kept next to the
        // Rust one.
        if !is_word_char(c) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(&prev) = current.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_numeric() && c.is_alphabetic() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase));
            if boundary {
                out.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `snake_case` for fields, functions and modules; keywords become raw identifiers, words
/// that cannot be raw get a trailing `_`, and names starting with a digit get a leading `_`.
pub fn snake_case(name: &str) -> String {
    let joined = words(name).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("_");
    finish(if joined.is_empty() { "value".to_owned() } else { joined })
}

/// `UpperCamelCase` for types and variants.
pub fn upper_camel(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => {
                    let rest: String = chars.collect();
                    // Keep acronyms readable: `SKU` → `Sku`, `ID` → `Id`.
                    let rest = if w.chars().all(|c| !c.is_lowercase()) { rest.to_lowercase() } else { rest };
                    format!("{}{}", first.to_uppercase(), rest)
                }
                None => String::new(),
            }
        })
        .collect();
    finish(if joined.is_empty() { "Value".to_owned() } else { joined })
}

fn finish(name: String) -> String {
    // A digit (of any script) or a combining mark cannot start an identifier.
    let name = if name.starts_with(|c: char| !unicode_ident::is_xid_start(c)) { format!("_{name}") } else { name };
    if NOT_RAW.contains(&name.as_str()) { format!("{name}_") } else { name }
}

/// Whether `word` is a keyword that must be written as a raw identifier (`type` → `r#type`);
/// the names this module chooses are never one of the few that cannot be raw.
pub fn needs_raw(word: &str) -> bool {
    is_keyword(word) && !NOT_RAW.contains(&word)
}

/// Picks `base`, or `base2`, `base3`, ... the first not in `taken`, and records it.
pub fn unique(base: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate =
            if base.ends_with(|c: char| c.is_numeric()) { format!("{base}_{n}") } else { format!("{base}{n}") };
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        assert_eq!(snake_case("ID"), "id");
        assert_eq!(snake_case("OwnerID"), "owner_id");
        assert_eq!(snake_case("BaseTimeUnitTypeID"), "base_time_unit_type_id");
        assert_eq!(snake_case("inActiveOverride"), "in_active_override");
        assert_eq!(snake_case("GetPackagesResult"), "get_packages_result");
        assert_eq!(snake_case("XMLHttpRequest"), "xml_http_request");
        assert_eq!(snake_case("packagename"), "packagename");
        assert_eq!(snake_case("Composite.file"), "composite_file");
        assert_eq!(snake_case("3DSecure"), "_3_d_secure");
        assert_eq!(snake_case("self"), "self_");
    }

    #[test]
    fn camel() {
        assert_eq!(upper_camel("Package"), "Package");
        assert_eq!(upper_camel("ArrayOfPackage"), "ArrayOfPackage");
        assert_eq!(upper_camel("getPackagesResponse"), "GetPackagesResponse");
        assert_eq!(upper_camel("SKU"), "Sku");
        assert_eq!(upper_camel("USD"), "Usd");
        assert_eq!(upper_camel("Self"), "Self_");
        assert_eq!(upper_camel("in-progress"), "InProgress");
    }

    #[test]
    fn unicode_names_keep_their_meaning() {
        assert_eq!(upper_camel("Состояние"), "Состояние");
        assert_eq!(snake_case("ДатаРождения"), "дата_рождения");
        assert_eq!(upper_camel("größe"), "Größe");
        assert_eq!(snake_case("Straße"), "straße");
        assert_eq!(upper_camel("café-crème"), "CaféCrème");
        assert_eq!(upper_camel("データ"), "データ");
        assert_eq!(snake_case("m²"), "m");
        assert_eq!(snake_case("٣abc"), "_٣abc");
    }

    #[test]
    fn keywords_become_raw() {
        for kw in KEYWORDS.iter().filter(|k| !NOT_RAW.contains(k)) {
            assert!(needs_raw(kw), "{kw}");
        }
        for word in NOT_RAW {
            assert!(!needs_raw(word), "{word}");
            assert_ne!(&snake_case(word), word);
        }
        assert_eq!(snake_case("type"), "type");
        assert!(needs_raw(&snake_case("type")));
    }
}
