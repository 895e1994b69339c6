//! A folded finding (one standing for the findings of its rule in its file beyond the first
//! hundred) counts as every finding it stands for wherever a format counts findings.

mod fixture;

use plimsoll_report::{render, summary_line, Format};
use serde_json::Value;

fn rendered(format: Format) -> String {
    render(
        &fixture::folded(),
        &fixture::registry(),
        format,
        &fixture::opts(false, true),
    )
}

#[test]
fn the_summary_line_counts_every_folded_finding() {
    let plain = fixture::report();
    let active = plain.active().count();
    let suppressed = plain.findings.len() - active;
    let line = summary_line(&fixture::folded());
    assert!(
        line.starts_with(&format!("{} findings (", active + 41)),
        "{line}"
    );
    assert!(
        line.contains(&format!("; {} suppressed", suppressed + 3)),
        "{line}"
    );
}

#[test]
fn the_json_summary_counts_every_folded_finding() {
    let plain = fixture::report();
    let active = plain.active().count() as u64;
    let doc: Value = serde_json::from_str(&rendered(Format::Json)).expect("JSON");
    assert_eq!(doc["summary"]["findings"], active + 41);
    let by_severity: u64 = doc["summary"]["by_severity"]
        .as_object()
        .expect("by_severity")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_severity, active + 41);
    assert_eq!(
        doc["summary"]["suppressed"],
        plain.findings.len() as u64 - active + 3
    );
    let mut folded: Vec<u64> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f.get("folded").and_then(Value::as_u64))
        .collect();
    folded.sort_unstable();
    assert_eq!(folded, [3, 41], "only folded findings carry `folded`");
}

#[test]
fn sarif_gives_a_folded_result_its_occurrence_count() {
    let doc: Value = serde_json::from_str(&rendered(Format::Sarif)).expect("SARIF");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let mut counts: Vec<u64> = results
        .iter()
        .filter_map(|r| r.get("occurrenceCount").and_then(Value::as_u64))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, [4, 42], "1 + folded, absent on ordinary results");
}

#[test]
fn junit_counts_test_cases_not_folded_findings() {
    let xml = rendered(Format::Junit);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    let cases = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(
        root.attribute("tests").and_then(|t| t.parse().ok()),
        Some(cases),
        "readers recount the <testcase> elements"
    );
}
