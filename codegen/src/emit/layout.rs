//! The layout of generated text that prettyplease leaves to its caller: a blank line between
//! items, and doc comments wrapped near 100 columns. Deterministic: a function of the text.

/// The width doc comment text is wrapped to, before the `/// ` and the indentation: an item in
/// an `impl` or a struct's field (4 columns of indentation, 4 of `/// `) ends by column 100.
pub const DOC_WIDTH: usize = 92;

/// Whether a line (without its indentation) starts an item or its doc comment or attributes:
/// `///`, `#[`, `pub `, `pub(`, `fn `, `async fn `, `impl `, `impl<`, `const `, `type `,
/// `struct `, `enum `, `mod `, `use ` or `unsafe `. Dispatched on the first byte: the layout
/// asks it of most lines of a 40 MiB module.
fn starts_item(line: &str) -> bool {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| line.starts_with(p));
    match line.as_bytes().first() {
        Some(b'/') => starts(&["///"]),
        Some(b'#') => starts(&["#["]),
        Some(b'p') => starts(&["pub ", "pub("]),
        Some(b'f') => starts(&["fn "]),
        Some(b'a') => starts(&["async fn "]),
        Some(b'i') => starts(&["impl ", "impl<"]),
        Some(b'c') => starts(&["const "]),
        Some(b't') => starts(&["type "]),
        Some(b's') => starts(&["struct "]),
        Some(b'e') => starts(&["enum "]),
        Some(b'm') => starts(&["mod "]),
        Some(b'u') => starts(&["use ", "unsafe "]),
        _ => false,
    }
}

/// Whether a line is a one-line module declaration (`pub mod types;`): a list of them stays
/// together, as a list of `use`s does.
fn is_mod_declaration(line: &str) -> bool {
    (line.starts_with("mod ") || line.starts_with("pub mod ")) && line.ends_with(';')
}

/// Whether a line (without its indentation) ends an item.
fn ends_item(line: &str) -> bool {
    !line.starts_with("///") && !line.starts_with("//!") && (line.ends_with('}') || line.ends_with(';'))
}

/// `text` with a blank line between consecutive items at the same indentation: after a line
/// that closes an item (`}`, `};` or a `;` statement) and before a line that starts the next
/// (its doc comment, an attribute, `pub`, `fn`, `impl`...). Struct fields and match arms are
/// left as they are (they end with `,`).
pub fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    space_items_into(&mut out, text);
    out
}

/// Appends `text` to `out` laid out as [`space_items`] lays out `out`'s text and `text`
/// joined: `space_items(a + b)` is `space_items(a)` followed by `space_items_into` of `b`, when
/// `a` ends with a newline. So many pieces are laid out into one buffer without a copy each.
pub fn space_items_into(out: &mut String, text: &str) {
    let mut lines = text.lines();
    let Some(first) = lines.next() else { return };
    let (indent, trimmed) = split_indent(first);
    // The seam with what `out` holds: its last line, unless it is blank, as the previous one.
    let last = out.strip_suffix('\n').and_then(|o| o.rsplit('\n').next()).map(split_indent);
    if last.is_some_and(|(prev_indent, prev)| !prev.is_empty() && blank_between((prev_indent, prev), indent, trimmed)) {
        out.push('\n');
    }
    out.push_str(first);
    out.push('\n');
    let mut previous = if trimmed.is_empty() { None } else { Some((indent, trimmed)) };
    for line in lines {
        let (indent, trimmed) = split_indent(line);
        if previous.is_some_and(|prev| blank_between(prev, indent, trimmed)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = if trimmed.is_empty() { None } else { Some((indent, trimmed)) };
    }
}

/// A line's indentation and the rest.
fn split_indent(line: &str) -> (usize, &str) {
    // Printed code is indented with spaces: count them, and trim as `trim_start` does only
    // when something else (other whitespace, non-ASCII) follows them.
    let spaces = line.bytes().take_while(|&b| b == b' ').count();
    let trimmed = match line.as_bytes().get(spaces) {
        // `char::is_whitespace` in ASCII: a space and `\t` to `\r` (vertical tab included).
        Some(b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => &line[spaces..],
        None => "",
        Some(_) => line.trim_start(),
    };
    (line.len() - trimmed.len(), trimmed)
}

/// Whether [`space_items`] puts a blank line between the non-blank line `prev` (indentation
/// and text) and the line `trimmed` at `indent`: after a `use`, before anything but another `use`; otherwise between an item's end and the
/// next one's start, unless both are module declarations (a list of them stays together). The
/// cheap tests first: most pairs of lines differ in indentation or do not end an item.
fn blank_between((prev_indent, prev): (usize, &str), indent: usize, trimmed: &str) -> bool {
    if prev_indent != indent {
        return false;
    }
    if prev.starts_with("use ") {
        return !trimmed.starts_with("use ") && !trimmed.is_empty();
    }
    if !ends_item(prev) {
        return false;
    }
    let mod_list = is_mod_declaration(prev) && (is_mod_declaration(trimmed) || trimmed.starts_with("#[cfg("));
    !mod_list && starts_item(trimmed)
}

/// Appends `next` to `out`, both already laid out by [`space_items`], as `space_items` would
/// lay out the two texts joined: the seam gets the blank line the last line of `out` and the
/// first of `next` call for. So pieces can be laid out apart (on worker threads).
pub fn append_spaced(out: &mut String, next: &str) {
    let last = out.strip_suffix('\n').and_then(|o| o.rsplit('\n').next());
    if let (Some(last), Some(first)) = (last, next.lines().next()) {
        let (prev_indent, prev) = split_indent(last);
        let (indent, trimmed) = split_indent(first);
        if !prev.is_empty() && blank_between((prev_indent, prev), indent, trimmed) {
            out.push('\n');
        }
    }
    out.push_str(next);
}

/// `lines` of Markdown with every paragraph line longer than `width` wrapped at spaces.
/// Code blocks (between ```` ``` ```` fences), table rows and headings are left whole; a list
/// item's continuation lines are indented under its text.
pub fn wrap_doc_lines(lines: Vec<String>, width: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_code = false;
    for line in lines {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            out.push(line);
            continue;
        }
        // A line of at most `width` bytes has at most `width` characters: no need to count them.
        if in_code
            || line.len() <= width
            || line.chars().count() <= width
            || line.starts_with('|')
            || line.starts_with('#')
        {
            out.push(line);
            continue;
        }
        let lead = line.len() - line.trim_start_matches(' ').len();
        let hanging = lead + list_marker_width(line.trim_start_matches(' '));
        let mut current = " ".repeat(lead);
        // `current`'s length in characters.
        let mut chars = lead;
        let mut has_word = false;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let word_chars = word.chars().count();
            if has_word && chars + 1 + word_chars > width {
                out.push(std::mem::take(&mut current));
                current.push_str(&" ".repeat(hanging));
                chars = hanging;
                has_word = false;
            }
            if has_word {
                current.push(' ');
                chars += 1;
            }
            current.push_str(word);
            chars += word_chars;
            has_word = true;
        }
        out.push(current);
    }
    out
}

/// The width of a list marker (`- `, `* `, `1. `) at the start of `line`, 0 when it has none.
fn list_marker_width(line: &str) -> usize {
    if line.starts_with("- ") || line.starts_with("* ") {
        return 2;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") { digits + 2 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_get_a_blank_line_fields_do_not() {
        let text = "use a as b;\n/// A.\npub struct A {\n    pub x: i32,\n    /// Y.\n    pub y: i32,\n}\nimpl A {\n    fn f() {}\n    fn g() {\n        let x = 1;\n        x\n    }\n}\n";
        let spaced = space_items(text);
        assert_eq!(
            spaced,
            "use a as b;\n\n/// A.\npub struct A {\n    pub x: i32,\n    /// Y.\n    pub y: i32,\n}\n\nimpl A {\n    fn f() {}\n\n    fn g() {\n        let x = 1;\n        x\n    }\n}\n"
        );
        assert_eq!(space_items(&spaced), spaced, "spacing twice changes nothing");
        for cut in text.match_indices('\n').map(|(i, _)| i + 1) {
            let mut joined = space_items(&text[..cut]);
            space_items_into(&mut joined, &text[cut..]);
            assert_eq!(joined, spaced, "laid out into one buffer, cut at byte {cut}");
        }
        for cut in text.match_indices('\n').map(|(i, _)| i + 1) {
            let mut joined = space_items(&text[..cut]);
            append_spaced(&mut joined, &space_items(&text[cut..]));
            assert_eq!(joined, spaced, "laid out apart at byte {cut} and joined");
        }
    }

    #[test]
    fn indentation_is_what_trim_start_trims() {
        for line in ["", "    ", "x", "    x", "  \t x", " \u{b}x", " \u{a0}x", "\u{3000}x", "   é"] {
            let trimmed = line.trim_start();
            assert_eq!(split_indent(line), (line.len() - trimmed.len(), trimmed), "{line:?}");
        }
    }

    #[test]
    fn doc_lines_wrap_at_spaces_and_keep_code_and_tables() {
        let long = "word ".repeat(40).trim_end().to_owned();
        let lines = vec![
            long.clone(),
            "```text".to_owned(),
            long.clone(),
            "```".to_owned(),
            format!("| {long} |"),
            format!("- {long}"),
        ];
        let out = wrap_doc_lines(lines.clone(), 30);
        assert!(out.iter().take_while(|l| !l.starts_with("```")).all(|l| l.len() <= 30), "{out:#?}");
        assert!(out.contains(&long), "code blocks are kept whole");
        assert!(out.contains(&format!("| {long} |")), "table rows are kept whole");
        let list: Vec<&String> = out.iter().skip_while(|l| !l.starts_with("- ")).collect();
        assert!(list.len() > 1 && list[1..].iter().all(|l| l.starts_with("  word")), "{list:#?}");
        let words = |ls: &[String]| ls.iter().map(|l| l.split_whitespace().count()).sum::<usize>();
        assert_eq!(words(&out), words(&lines), "no word lost");
    }
}
