//! `engageip_codegen::sync`: a live description (no prose, as `?WSDL` serves it) of each EngageIP
//! evolution case gets the committed prose back on every item that still exists.

use std::path::{Path, PathBuf};

use engageip_codegen::SourceFile;
use engageip_codegen::sync::carry_documentation;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A golden case's WSDL without the comment line that says what the case is.
fn case(name: &str) -> String {
    let text = read(&format!("engageip-api/tests/golden/{name}/service.wsdl"));
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert!(lines[1].starts_with("<!--"), "{name}: the second line is its comment");
    lines.remove(1);
    lines.join("\n")
}

/// `text` as ASMX serves it: no `wsdl:documentation` or `xs:annotation` at all, elements left
/// empty written `<x ... />`, and CRLF line endings. An independent implementation (by text),
/// not the one under test.
fn undocumented(text: &str) -> String {
    let mut out = text.to_owned();
    for (open, close) in [("<s:annotation>", "</s:annotation>"), ("<wsdl:documentation", "</wsdl:documentation>")] {
        while let Some(start) = out.find(open) {
            let end = out[start..].find(close).map(|i| start + i + close.len()).expect("closed");
            let line_start = out[..start].rfind('\n').expect("indented");
            out.replace_range(line_start..end, "");
        }
    }
    // `<s:element ...>` followed only by its end tag becomes `<s:element ... />`.
    let lines: Vec<&str> = out.split('\n').collect();
    let mut joined: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let next = lines.get(i + 1).map(|l| l.trim());
        let tag = line.trim().strip_prefix('<').and_then(|l| l.split(' ').next()).unwrap_or_default();
        if !tag.is_empty() && line.ends_with('>') && !line.ends_with("/>") && next == Some(&format!("</{tag}>")) {
            joined.push(format!("{} />", &line[..line.len() - 1]));
            i += 2;
            continue;
        }
        joined.push(line.to_owned());
        i += 1;
    }
    joined.join("\r\n")
}

fn sync(live: &str) -> engageip_codegen::sync::Synced {
    let committed = SourceFile { path: "wsdl/engageip.wsdl".into(), text: read("wsdl/engageip.wsdl") };
    let live = SourceFile { path: "live.wsdl".into(), text: live.to_owned() };
    carry_documentation(&committed, &live).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_committed_description_synchronises_to_itself() {
    let committed = read("wsdl/engageip.wsdl");
    let synced = sync(&committed);
    assert!(synced.text == committed, "changed bytes");
    assert!(synced.undocumented.is_empty() && synced.dropped.is_empty() && synced.changed.is_empty(), "{synced:?}");
    // And served without its prose, it gets all of it back, byte for byte.
    let live = undocumented(&committed);
    assert!(!live.contains("documentation") && live.contains("\r\n"));
    assert!(sync(&live).text == committed, "prose lost or misplaced");
}

#[test]
fn the_committed_endpoint_addresses_stay() {
    let committed = read("wsdl/engageip.wsdl");
    let live = undocumented(&committed)
        .replace("http://localhost/adminportal/", "https://billing.internal.example:8443/BOSS/");
    assert!(live.contains("https://billing.internal.example:8443/BOSS/webservice.asmx"));
    assert!(sync(&live).text == committed, "addresses or prose differ");
}

#[test]
fn a_new_field_is_listed_undocumented_and_the_rest_keeps_its_prose() {
    let later = case("engageip_new_field");
    let synced = sync(&undocumented(&later));
    let tax_code_doc = "\n            <s:annotation>\n              <s:documentation>Added in a later release: the tax code applied to the package's charges (String).</s:documentation>\n            </s:annotation>\n          </s:element>";
    let expected = later
        .replace(&format!(r#"name="TaxCode" type="s:string">{tax_code_doc}"#), r#"name="TaxCode" type="s:string" />"#);
    assert_ne!(expected, later, "the fixture documents TaxCode");
    assert!(synced.text == expected, "{}", first_difference(&synced.text, &expected));
    assert_eq!(synced.undocumented, ["complexType Package / element TaxCode"]);
    assert!(synced.dropped.is_empty() && synced.changed.is_empty(), "{synced:?}");
}

#[test]
fn a_changed_type_keeps_its_prose_and_is_flagged_for_review() {
    let later = case("engageip_changed_type");
    let synced = sync(&undocumented(&later));
    assert!(synced.text == later, "{}", first_difference(&synced.text, &later));
    assert_eq!(synced.changed, ["complexType Package / element Frequency"]);
    assert!(synced.undocumented.is_empty() && synced.dropped.is_empty(), "{synced:?}");
}

#[test]
fn an_added_operation_is_listed_and_a_removed_one_drops_its_prose() {
    let later = case("engageip_new_operation");
    let synced = sync(&undocumented(&later));
    assert!(synced.text == later, "{}", first_difference(&synced.text, &later));
    assert_eq!(
        synced.undocumented,
        [
            "element GetPackageByID",
            "element GetPackageByID / element packageID",
            "element GetPackageByIDResponse",
            "element GetPackageByIDResponse / element GetPackageByIDResult",
            "portType WebServiceSoap / operation GetPackageByID",
        ]
    );

    let later = case("engageip_removed_operation");
    let synced = sync(&undocumented(&later));
    assert!(synced.text == later, "{}", first_difference(&synced.text, &later));
    assert!(synced.undocumented.is_empty(), "{synced:?}");
    assert!(
        synced.dropped.contains(&"portType WebServiceSoap / operation UpgradeUserPackage".to_owned()),
        "{synced:?}"
    );
    assert!(synced.dropped.contains(&"element UpgradeUserPackage / element chargeCreditCard".to_owned()), "{synced:?}");
}

fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(200);
    format!(
        "first difference at byte {at}:\n--- got\n{}\n--- expected\n{}",
        &a[from..(at + 200).min(a.len())],
        &b[from..(at + 200).min(b.len())]
    )
}
