//! The report tells the truth about what it holds: a folded finding counts as every finding it
//! stands for (summary line, JSON summary, SARIF `occurrenceCount`), a file whose name is not
//! UTF-8 keeps its exact bytes into SARIF, and no rule points at an invented project URL.

mod common;

use common::*;
use serde_json::Value;

/// One `docker run` line firing fifteen findings (every one of them once per line).
const HOSTILE_LINE: &str =
    "docker run --privileged --pid=host --net=host -v /:/host -e PASSWORD=x -p 1:1 --ipc=host img\n";

fn script(lines: usize) -> String {
    format!("#!/bin/sh\n{}", HOSTILE_LINE.repeat(lines))
}

/// `summary.findings` of a JSON report and the sum of `1 + folded` over its active findings.
fn json_counts(report: &Value) -> (u64, u64) {
    let summary = report["summary"]["findings"]
        .as_u64()
        .expect("summary.findings");
    let listed = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| 1 + f.get("folded").and_then(Value::as_u64).unwrap_or(0))
        .sum();
    (summary, listed)
}

#[test]
fn a_folded_reports_summary_counts_every_finding() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "one.sh", script(1));
    write(p, "many.sh", script(300));

    let one = plimsoll_in(p, &["scan", "one.sh", "--format", "json"]);
    let (per_line, _) = json_counts(&one.json());
    assert!(per_line >= 10, "the line fires many rules: {}", one.stdout);

    let many = plimsoll_in(p, &["scan", "many.sh", "--format", "json"]);
    let report = many.json();
    let listed = report["findings"].as_array().expect("findings").len() as u64;
    assert!(
        listed < 300 * per_line,
        "the report is folded: {listed} listed"
    );
    let (summary, stood_for) = json_counts(&report);
    assert_eq!(
        summary,
        300 * per_line,
        "the JSON summary counts every finding"
    );
    assert_eq!(
        stood_for, summary,
        "1 + folded per finding adds up to the summary"
    );
    let by_severity: u64 = report["summary"]["by_severity"]
        .as_object()
        .expect("by_severity")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_severity, summary);
    assert!(
        many.stderr
            .contains(&format!("plimsoll: {summary} findings (")),
        "the summary line counts every finding: {}",
        many.stderr
    );

    let sarif = plimsoll_in(p, &["scan", "many.sh", "--format", "sarif"]).json();
    let occurrences: u64 = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r.get("occurrenceCount")
                .and_then(Value::as_u64)
                .unwrap_or(1)
        })
        .sum();
    assert_eq!(occurrences, summary, "SARIF occurrenceCount adds up too");
}

#[cfg(unix)]
#[test]
fn a_non_utf8_file_name_keeps_its_bytes_in_sarif() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    let p = dir.path();
    // `café` in Latin-1: the byte 0xE9 alone is not UTF-8.
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9");
    let sub = p.join(latin1);
    std::fs::create_dir(&sub).expect("create a Latin-1 directory");
    std::fs::write(sub.join("Dockerfile"), ROOT).expect("write the Dockerfile");

    let uris = |args: &[&std::ffi::OsStr]| -> Vec<String> {
        let run = run(plimsoll(p).args(args));
        run.json()["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .map(str::to_string)
            })
            .collect()
    };
    let format = ["--format".as_ref(), "sarif".as_ref()];
    let walked = uris(&[&["scan".as_ref(), ".".as_ref()], &format[..]].concat());
    assert!(!walked.is_empty(), "the Dockerfile is found and fires");
    assert!(
        walked.iter().all(|u| u == "caf%E9/Dockerfile"),
        "discovered: {walked:?}"
    );
    let named_path = std::path::Path::new(latin1).join("Dockerfile");
    let named = uris(&[&["scan".as_ref(), named_path.as_os_str()], &format[..]].concat());
    assert!(
        !named.is_empty() && named.iter().all(|u| u == "caf%E9/Dockerfile"),
        "named: {named:?}"
    );
}

#[test]
fn every_help_uri_is_a_real_reference_link_or_null() {
    let dir = tempdir();
    let p = dir.path();
    let listed = plimsoll_in(p, &["rules", "--format", "json"]).json();
    let rules = listed.as_array().expect("a JSON array of rules");
    let mut linked = 0;
    for rule in rules {
        let links: Vec<&str> = rule["references"]["links"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match rule["help_uri"].as_str() {
            Some(uri) => {
                assert!(
                    links.contains(&uri),
                    "{}: {uri} is not one of its links",
                    rule["id"]
                );
                linked += 1;
            }
            None => assert!(
                rule["help_uri"].is_null() && !links.iter().any(|l| l.starts_with("http")),
                "{}: a rule with a link has it as help_uri",
                rule["id"]
            ),
        }
    }
    assert!(linked > 0, "some rules have reference links");

    // The reports agree with `plimsoll rules`: DF001's SARIF helpUri is its JSON help_uri.
    write(p, "Dockerfile", ROOT);
    let sarif = plimsoll_in(p, &["scan", ".", "--format", "sarif"]).json();
    let df001 = rules.iter().find(|r| r["id"] == "DF001").expect("DF001");
    let driver_rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("driver rules")
        .iter()
        .find(|r| r["id"] == "DF001")
        .expect("DF001 in the SARIF driver")
        .clone();
    assert_eq!(
        driver_rule.get("helpUri").cloned().unwrap_or(Value::Null),
        df001["help_uri"]
    );
}
