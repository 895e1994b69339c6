//! A compose service that builds with `build.target` ships that stage, not the Dockerfile's
//! last one (issue 8): the final-stage rules must judge the target stage, its USER and
//! HEALTHCHECK are what the service gets, and a target no stage is named like is reported.
//! The Dockerfile's own audit (of its last stage) still runs once; what the target adds is
//! reported once per distinct target, without repeating what both audits find.

mod common;

use common::*;
use serde_json::Value;

/// `dev` installs with pip's cache kept and runs as root; `runtime`, the last stage, is clean
/// apart from its base.
const DOCKERFILE: &str = "\
FROM python:3.12-slim AS dev
RUN pip install flask==3.0.3
COPY . /srv
CMD [\"python\", \"/srv/app.py\"]

FROM python:3.12-slim AS runtime
RUN pip install --no-cache-dir flask==3.0.3
COPY . /srv
USER 10001
HEALTHCHECK CMD [\"python\", \"-c\", \"print(1)\"]
CMD [\"python\", \"/srv/app.py\"]
";

const COMPOSE: &str = "\
services:
  web:
    build:
      context: .
      target: dev
  worker:
    build:
      context: .
      target: dev
  prod:
    build: .
";

fn line(f: &Value) -> u64 {
    f["start_line"].as_u64().unwrap_or_default()
}

#[test]
fn target_stage_is_judged_as_the_final_stage_in_scan() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", DOCKERFILE);
    write(dir.path(), "compose.yaml", COMPOSE);

    // The Dockerfile alone: its last stage is clean of the pip cache.
    let alone = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--format", "json"],
    );
    assert!(
        of_rule(&alone.json(), "DF037").is_empty(),
        "{}",
        alone.stdout
    );

    let scan = plimsoll_in(dir.path(), &["scan", ".", "--format", "json"]);
    let report = scan.json();
    // The dev stage's pip cache ships in the image `web` and `worker` run: reported once (one
    // distinct target), at the RUN of the dev stage, naming the target.
    let cache = of_rule(&report, "DF037");
    assert_eq!(cache.len(), 1, "{cache:#?}");
    assert_eq!(line(cache[0]), 2);
    let message = cache[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("`target: dev`"), "{message}");
    assert!(message.contains("services `web`, `worker`"), "{message}");
    // The dev stage runs as root and has no healthcheck: the final-stage rules judge it.
    let root = of_rule(&report, "DF001");
    assert!(
        root.iter().any(|f| f["message"]
            .as_str()
            .is_some_and(|m| m.contains("the target stage `dev`") && m.contains("`target: dev`"))),
        "{root:#?}"
    );
    // Findings both audits make are not repeated: each (rule, line) of the Dockerfile once,
    // apart from the target's own view of the final stage.
    let mut seen: Vec<(String, u64, bool)> = Vec::new();
    for f in findings(&report) {
        if f["file"].as_str() != Some("Dockerfile") {
            continue;
        }
        let targeted = f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`target: dev`");
        let key = (
            f["rule_id"].as_str().unwrap_or_default().to_string(),
            line(f),
            targeted,
        );
        assert!(!seen.contains(&key), "repeated {key:?}:\n{}", scan.stdout);
        seen.push(key);
    }
    // The services that build `dev` run as its user (root): RS rules see the target's USER.
    let services_as_root: Vec<&str> = findings(&report)
        .into_iter()
        .filter(|f| f["rule_id"] == "RS025")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        services_as_root.iter().any(|m| m.contains("`web`")),
        "{services_as_root:#?}"
    );
    assert!(
        !services_as_root.iter().any(|m| m.contains("`prod`")),
        "{services_as_root:#?}"
    );
}

#[test]
fn target_stage_is_judged_by_the_compose_command() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", DOCKERFILE);
    write(dir.path(), "compose.yaml", COMPOSE);
    let run = plimsoll_in(dir.path(), &["compose", "--format", "json"]);
    let report = run.json();
    let cache = of_rule(&report, "DF037");
    assert_eq!(cache.len(), 1, "{}", run.stdout);
    assert_eq!(line(cache[0]), 2);
    // Built by three services, the Dockerfile's own findings appear once.
    let base_pins = of_rule(&report, "DF003");
    let lines: Vec<u64> = base_pins.iter().map(|f| line(f)).collect();
    let mut unique = lines.clone();
    unique.dedup();
    assert_eq!(lines, unique, "{}", run.stdout);
}

#[test]
fn unknown_target_is_reported_like_compose_build() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", DOCKERFILE);
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    build:\n      context: .\n      target: nope\n",
    );
    let run = plimsoll_in(dir.path(), &["scan", ".", "--format", "json"]);
    let text = format!("{}{}", run.stdout, run.stderr);
    assert!(
        text.contains(r#"target stage \"nope\" could not be found"#)
            || text.contains(r#"target stage "nope" could not be found"#),
        "{text}"
    );
}
