//! Secrets found by the real secret rules (DF007 in ENV/ARG, DF049 in RUN, RS031 in compose
//! `environment:` and `docker run -e`) are never printed in full, in any format: not in the
//! quoted source line, the message, the evidence, the fix or any region text.

mod fixture;

use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, Registry, Report, Target};
use plimsoll_report::{render, Format};
use plimsoll_runspec::scripts::{self, ScriptKind};
use std::collections::BTreeMap;
use std::sync::Arc;

const TOKEN: &str = "ghp_8fK2mQ9xL4vR7tY1wZ3nB6cD0eH5jP2sA9uE";

fn registry() -> Registry {
    let dockerfile = plimsoll_dockerfile::rules::metas();
    let runspec = plimsoll_runspec::rules::metas();
    Registry::new(&[&dockerfile, &runspec])
}

fn dockerfile_report(path: &str, text: &str) -> Report {
    let file = plimsoll_dockerfile::parse(path, text.as_bytes()).expect("fixture parses");
    let findings = plimsoll_dockerfile::rules::audit(&file, &ImagePolicy::default());
    report(path, "dockerfile", text, findings)
}

fn compose_report(path: &str, text: &str) -> Report {
    let project =
        plimsoll_runspec::compose::load_str(path, text, &BTreeMap::new()).expect("fixture loads");
    let policy = ImagePolicy::default();
    let cx = plimsoll_runspec::rules::Context::new(&policy);
    let findings = project
        .services
        .iter()
        .flat_map(|spec| plimsoll_runspec::rules::audit(spec, &cx))
        .collect();
    report(path, "compose", text, findings)
}

fn script_report(path: &str, text: &str) -> Report {
    let policy = ImagePolicy::default();
    let cx = plimsoll_runspec::rules::Context::new(&policy);
    let findings = scripts::find_runs(path, text, ScriptKind::Shell)
        .map(|run| run.expect("fixture parses"))
        .flat_map(|spec| plimsoll_runspec::rules::audit(&spec, &cx))
        .collect();
    report(path, "script", text, findings)
}

fn report(path: &str, kind: &'static str, text: &str, findings: Vec<Finding>) -> Report {
    let mut report = Report {
        targets: vec![Target {
            path: path.to_string(),
            kind,
            source: Some(Arc::from(text)),
        }],
        findings,
        ..Report::default()
    };
    report.sort();
    report
}

/// Renders `report` in every format (with suppressed findings and colour, to cover every
/// path) and checks the token is never whole, after asserting `rule` really fired.
fn assert_redacted_everywhere(report: &Report, rule: &str) {
    assert!(
        report.findings.iter().any(|f| f.rule_id == rule),
        "{rule} did not fire: {:#?}",
        report.findings
    );
    let registry = registry();
    for format in Format::ALL {
        for color in [false, true] {
            let out = render(report, &registry, format, &fixture::opts(color, true));
            assert!(
                !out.contains(TOKEN),
                "{rule}: {format} output prints the token in full:\n{out}"
            );
            // Nor any long piece of it (a redaction that kept all but the last character).
            assert!(
                !out.contains(&TOKEN[4..20]),
                "{rule}: {format} output prints part of the token:\n{out}"
            );
        }
    }
    // The human report still quotes the line, with the token's prefix and its length kept
    // (so the carets stay under it).
    let human = render(
        report,
        &registry,
        Format::Human,
        &fixture::opts(false, true),
    );
    let masked = format!("ghp_{}", "*".repeat(TOKEN.len() - 4));
    assert!(human.contains(&masked), "{rule}: no masked token:\n{human}");
}

#[test]
fn df007_env_and_arg_secrets_are_redacted_in_every_format() {
    let text = format!(
        "FROM alpine:3.20\nARG GITHUB_TOKEN={TOKEN}\nENV GH_TOKEN={TOKEN} \\\n    MODE=prod\nUSER 10001\n"
    );
    assert_redacted_everywhere(&dockerfile_report("Dockerfile", &text), "DF007");
}

#[test]
fn df049_run_secrets_are_redacted_in_every_format() {
    let text = format!(
        "FROM alpine:3.20\nRUN git clone https://{TOKEN}@github.com/acme/app.git /src \\\n && curl -fsS -H \"Authorization: token {TOKEN}\" https://api.github.com/user\nUSER 10001\n"
    );
    assert_redacted_everywhere(&dockerfile_report("Dockerfile", &text), "DF049");
}

#[test]
fn rs031_compose_environment_secrets_are_redacted_in_every_format() {
    let text = format!(
        "services:\n  web:\n    image: nginx:1.27\n    environment:\n      GITHUB_TOKEN: {TOKEN}\n  worker:\n    image: nginx:1.27\n    environment:\n      - GH_TOKEN={TOKEN}\n"
    );
    assert_redacted_everywhere(&compose_report("compose.yaml", &text), "RS031");
}

#[test]
fn rs031_docker_run_secrets_are_redacted_in_every_format() {
    let text = format!("#!/bin/sh\ndocker run -d \\\n  -e GITHUB_TOKEN={TOKEN} \\\n  --env=GH_TOKEN={TOKEN} nginx:1.27\n");
    let report = script_report("deploy.sh", &text);
    // Every finding on the command quotes the line holding the token (the issue counted it
    // printed 11 times); none may show it.
    assert!(report.findings.len() > 3, "{:#?}", report.findings);
    assert_redacted_everywhere(&report, "RS031");
}
