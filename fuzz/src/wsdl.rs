//! Harness over `codegen`: WSDL (and annotations) parsing plus generation. Shared by the fuzz
//! target and by `codegen/tests/fuzz_corpus.rs`, which replays the committed seeds.

/// Separates the WSDL from an annotations file in one fuzz input.
pub const ANNOTATIONS_SEPARATOR: &str = "\n%%annotations%%\n";

/// Generates Rust from `data` (a WSDL, optionally followed by [`ANNOTATIONS_SEPARATOR`] and
/// an annotations file). It must either succeed or explain itself with diagnostics.
pub fn wsdl(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (wsdl, annotations) = match text.split_once(ANNOTATIONS_SEPARATOR) {
        Some((w, a)) => (w, Some(a)),
        None => (text, None),
    };
    let mut input = engageip_codegen::Input::new("fuzz.wsdl", wsdl);
    input.annotations =
        annotations.map(|a| engageip_codegen::SourceFile { path: "fuzz.annotations".to_owned(), text: a.to_owned() });
    match engageip_codegen::generate(&input, &engageip_codegen::Options::default()) {
        Ok(files) => assert!(!files.is_empty(), "generation succeeded with no files"),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "generation failed without a diagnostic");
            for d in &diagnostics.0 {
                assert!(!d.message.is_empty(), "empty diagnostic message");
                let _ = d.to_string();
            }
        }
    }
}
