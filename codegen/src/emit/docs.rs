//! Schema prose to rustdoc attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Makes schema prose safe for rustdoc: outside backtick code spans, `<`, `>` and `&` become
/// entities and `[`/`]` are escaped so they are not read as HTML or intra-doc links.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            continue;
        }
        if in_code {
            out.push(c);
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '*' => out.push_str("\\*"),
            '_' => out.push_str("\\_"),
            _ => out.push(c),
        }
    }
    if in_code {
        // An unbalanced backtick would swallow the rest of the page.
        out.push('`');
    }
    out
}

/// The lines of a doc comment, wrapped: paragraphs of `prose` (sanitized) and then `notes`
/// (trusted Markdown written by the generator), separated by empty lines.
fn doc_lines(prose: Option<&str>, notes: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    if let Some(p) = prose {
        for (i, para) in p.split("\n\n").enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            lines.extend(sanitize(para).lines().map(str::to_owned));
        }
    }
    for note in notes {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(note.lines().map(str::to_owned));
    }
    super::layout::wrap_doc_lines(lines, super::layout::DOC_WIDTH)
}

/// One line as a `#[doc]` attribute's text: a space before it, as `///` comments print.
fn doc_text(line: &str) -> String {
    if line.is_empty() { String::new() } else { format!(" {line}") }
}

/// `#[doc = " line"]` attributes, one per line; paragraphs are separated by empty lines.
/// `prose` is sanitized; `notes` are trusted Markdown written by the generator.
pub fn doc_attrs(prose: Option<&str>, notes: &[String]) -> TokenStream {
    let attrs = doc_lines(prose, notes).into_iter().map(|l| {
        let l = doc_text(&l);
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// The attributes [`doc_attrs`] quotes, as `syn` attributes.
pub fn docs(prose: Option<&str>, notes: &[String]) -> Vec<syn::Attribute> {
    let lines = doc_lines(prose, notes);
    DOC_ATTRS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > DOC_CACHE_LINES {
            cache.clear();
        }
        lines
            .into_iter()
            .map(|l| match cache.get(&l) {
                Some(attr) => attr.clone(),
                None => {
                    let attr = super::syntax::doc(&doc_text(&l));
                    cache.insert(l, attr.clone());
                    attr
                }
            })
            .collect()
    })
}

/// Doc lines [`DOC_ATTRS`] keeps per thread before it starts afresh.
const DOC_CACHE_LINES: usize = 8192;

thread_local! {
    /// The `#[doc]` attribute of each doc line this thread built lately. The generator repeats
    /// most lines (notes, the descriptions of fields types share): six in seven on a large
    /// WSDL. A clone is a few small copies where building escapes the text a character at a
    /// time. Only speed depends on it: a line's attribute is the same, cached or not.
    static DOC_ATTRS: std::cell::RefCell<std::collections::HashMap<String, syn::Attribute>> =
        std::cell::RefCell::default();
}
