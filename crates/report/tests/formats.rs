//! The CI formats: JUnit XML (well-formed, one suite per target, a failing test case per
//! finding, skipped when suppressed, an error case per input that could not be audited) and
//! GitLab Code Quality (the fields GitLab reads, its severities, unique fingerprints).

mod fixture;

use plimsoll_report::{render, Format};
use serde_json::Value;

fn junit() -> String {
    render(
        &fixture::report(),
        &fixture::registry(),
        Format::Junit,
        &fixture::opts(false, false),
    )
}

#[test]
fn junit_is_well_formed_and_counts_add_up() {
    let xml = junit();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node, a: &str| -> usize {
        n.attribute(a)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{a} on {:?}", n.tag_name()))
    };
    // 8 findings (2 suppressed) + 1 audit error.
    assert_eq!(attr(root, "tests"), 9);
    assert_eq!(attr(root, "failures"), 6);
    assert_eq!(attr(root, "skipped"), 2);
    assert_eq!(attr(root, "errors"), 1);
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(
        names,
        [
            "app/Dockerfile",
            "broken/Dockerfile",
            "container:abc123",
            "svc/my app/Dockerfile"
        ]
    );
    for suite in &suites {
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(attr(*suite, "tests"), cases.len());
        let failing = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        assert_eq!(attr(*suite, "failures"), failing);
    }
    // A failure carries the message, the severity and the fix; text from the input (an
    // escape sequence) cannot break the XML or reach a terminal raw.
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure") && n.attribute("type") == Some("high"))
        .expect("a high failure");
    assert_eq!(
        failure.attribute("message"),
        Some("the final stage runs as `root`")
    );
    let body = failure.text().unwrap_or("");
    assert!(body.contains("at: app/Dockerfile:9:1"), "{body}");
    assert!(body.contains("fix: Add `USER app`"), "{body}");
    assert!(!xml.contains('\u{1b}'));
    let skipped: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .filter_map(|n| n.attribute("message"))
        .collect();
    assert_eq!(skipped.len(), 2);
    assert!(skipped
        .iter()
        .any(|m| m.starts_with("accepted in the baseline")));
    let error = doc
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an error case");
    assert!(error.text().unwrap_or("").contains("hint: end the heredoc"));
}

#[test]
fn junit_survives_hostile_text() {
    use plimsoll_core::{Finding, Location};
    let mut report = fixture::clean();
    report.findings.push(
        Finding::new(
            &fixture::ROOT,
            Location::file("a\"b<c>&d]]>\u{0}.Dockerfile"),
            "bad \u{7}</failure><x>&amp; \u{fffe}",
        )
        .evidence("<![CDATA[ \u{1b}[31m")
        .build(),
    );
    let xml = render(
        &report,
        &fixture::registry(),
        Format::Junit,
        &fixture::opts(false, true),
    );
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("failure");
    assert_eq!(
        failure.attribute("message"),
        Some("bad \u{fffd}</failure><x>&amp; \u{fffd}")
    );
}

fn gitlab() -> Vec<Value> {
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Gitlab,
        &fixture::opts(false, true),
    );
    match serde_json::from_str(&out) {
        Ok(Value::Array(issues)) => issues,
        other => panic!("not a JSON array: {other:?}\n{out}"),
    }
}

#[test]
fn gitlab_code_quality_has_the_fields_gitlab_reads() {
    let issues = gitlab();
    // Suppressed findings are left out: 8 findings, 2 suppressed.
    assert_eq!(issues.len(), 6);
    for issue in &issues {
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(issue["check_name"].as_str().is_some_and(|c| c.len() == 5));
        assert!(issue["fingerprint"].as_str().is_some_and(|f| !f.is_empty()));
        assert!(matches!(
            issue["severity"].as_str(),
            Some("info" | "minor" | "major" | "critical" | "blocker")
        ));
        assert!(issue["location"]["path"].as_str().is_some());
        assert!(issue["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|l| l >= 1));
    }
    let by_check =
        |id: &str| -> Vec<&Value> { issues.iter().filter(|i| i["check_name"] == id).collect() };
    let root = by_check("DF001");
    assert_eq!(root[0]["severity"], "major");
    assert_eq!(root[0]["location"]["path"], "app/Dockerfile");
    assert_eq!(root[0]["location"]["lines"]["begin"], 9);
    assert_eq!(by_check("DF010")[0]["severity"], "critical");
    assert_eq!(by_check("DF020")[0]["severity"], "minor");
    // A finding without a position points at line 1.
    assert_eq!(by_check("IM001")[0]["location"]["lines"]["begin"], 1);
}

#[test]
fn gitlab_fingerprints_are_unique_for_repeated_findings() {
    use plimsoll_core::{Finding, Location, Span};
    let mut report = fixture::clean();
    for line in [3, 7] {
        report.findings.push(
            Finding::new(
                &fixture::ROOT,
                Location::with_span("Dockerfile", Span::lines(line, line)),
                "same finding",
            )
            .key("same key")
            .build(),
        );
    }
    assert_eq!(
        report.findings[0].fingerprint,
        report.findings[1].fingerprint
    );
    let out = render(
        &report,
        &fixture::registry(),
        Format::Gitlab,
        &fixture::opts(false, false),
    );
    let issues: Vec<Value> = serde_json::from_str(&out).expect("JSON array");
    let prints: Vec<&str> = issues
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    assert_eq!(prints.len(), 2);
    assert_ne!(prints[0], prints[1]);
    assert_eq!(prints[0], report.findings[0].fingerprint);
}
