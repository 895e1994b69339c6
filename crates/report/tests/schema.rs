//! The machine formats validate against their schemas: the JSON report against
//! `docs/plimsoll-report.schema.json` (ours, draft 2020-12), SARIF against the official OASIS
//! SARIF 2.1.0 schema read from the shared corpora.

mod fixture;

use plimsoll_report::{render, Format};
use serde_json::Value;
use std::path::PathBuf;

/// A named change that must make a valid document invalid.
type Mutation = (&'static str, fn(&mut Value));

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// Every report shape the fixture covers (folded findings too), plus an empty one and one that
/// audited nothing.
fn reports() -> Vec<(&'static str, plimsoll_core::Report)> {
    let nothing = plimsoll_core::Report {
        errors: fixture::report().errors,
        ..Default::default()
    };
    vec![
        ("fixture", fixture::report()),
        ("folded", fixture::folded()),
        ("clean", fixture::clean()),
        ("empty", plimsoll_core::Report::default()),
        ("nothing-audited", nothing),
    ]
}

#[test]
fn json_output_matches_the_published_schema() {
    let schema = load(&manifest_dir().join("../../docs/plimsoll-report.schema.json"));
    let registry = fixture::registry();
    for (name, report) in reports() {
        let out = render(
            &report,
            &registry,
            Format::Json,
            &fixture::opts(false, false),
        );
        let value: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_valid(&schema, &value, name);
    }
}

#[test]
fn json_schema_rejects_what_it_should() {
    let schema = load(&manifest_dir().join("../../docs/plimsoll-report.schema.json"));
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Json,
        &fixture::opts(false, false),
    );
    let good: Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(validator.is_valid(&good));
    let mutations: [Mutation; 4] = [
        ("unknown severity", |v| {
            v["findings"][0]["severity"] = "severe".into()
        }),
        ("missing fingerprint", |v| {
            v["findings"][0]
                .as_object_mut()
                .map(|o| o.remove("fingerprint"));
        }),
        ("schema version 1", |v| v["schema_version"] = "1".into()),
        ("references as a joined string (version 1)", |v| {
            v["findings"][0]["references"]["cis"] = serde_json::json!("4.1")
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!validator.is_valid(&bad), "schema accepted: {what}");
    }
}

fn corpora() -> Option<PathBuf> {
    plimsoll_testkit::corpora::locate("")
}

#[test]
fn sarif_output_matches_the_official_schema() {
    let Some(corpora) = corpora() else { return };
    let schema = load(&corpora.join("schemas/sarif-schema-2.1.0.json"));
    let registry = fixture::registry();
    for (name, report) in reports() {
        let out = render(
            &report,
            &registry,
            Format::Sarif,
            &fixture::opts(false, true),
        );
        let value: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_valid(&schema, &value, name);
    }
}

#[test]
fn sarif_schema_check_is_not_vacuous() {
    let Some(corpora) = corpora() else { return };
    let schema = load(&corpora.join("schemas/sarif-schema-2.1.0.json"));
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Sarif,
        &fixture::opts(false, true),
    );
    let good: Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(validator.is_valid(&good));
    let mutations: [Mutation; 4] = [
        ("wrong version", |v| v["version"] = "2.0.0".into()),
        ("unknown level", |v| {
            v["runs"][0]["results"][0]["level"] = "critical".into()
        }),
        ("line 0", |v| {
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
                0.into()
        }),
        ("unknown suppression kind", |v| {
            v["runs"][0]["results"][0]["suppressions"][0]["kind"] = "inline".into()
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!validator.is_valid(&bad), "SARIF schema accepted: {what}");
    }
}

#[test]
fn sarif_meets_github_code_scanning_expectations() {
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Sarif,
        &fixture::opts(false, false),
    );
    let log: Value = serde_json::from_str(&out).expect("valid JSON");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for result in run["results"].as_array().expect("results") {
        // Every result points at its rule by index and id.
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        // GitHub rejects results without an artifact location.
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("artifact uri");
        assert!(!uri.contains(' ') && !uri.contains('\\'), "{uri}");
        assert!(!result["message"]["text"].as_str().unwrap_or("").is_empty());
        assert_eq!(
            result["partialFingerprints"]["plimsoll/v1"]
                .as_str()
                .map(str::len),
            Some(32)
        );
    }
    for rule in rules {
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("security-severity is a numeric string");
        assert!((0.0..=10.0).contains(&score));
        assert!(rule["properties"]["tags"][0] == "security");
        assert!(rule["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("### How to fix")));
    }
    // Only the rules referenced by results are listed.
    assert_eq!(rules.len(), 5);
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["DF001", "DF010", "DF020", "DF030", "IM001"]);
}
