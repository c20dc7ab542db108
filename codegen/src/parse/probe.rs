//! Quick looks at a document without building the model: is it a WSDL at all, and which
//! documents does it import. For `drift` (which fetches a live description and what it
//! imports) before it loads them.

/// Why `text` is not a WSDL 1.1 description at all, if it is not one: not XML (an error page,
/// a login form), or XML whose root element is not `wsdl:definitions`. `None` says nothing
/// about whether the description loads; `drift::compare` does that.
pub(crate) fn not_a_wsdl(text: &str) -> Option<String> {
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
pub(crate) fn imported_locations(text: &str) -> Vec<String> {
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
