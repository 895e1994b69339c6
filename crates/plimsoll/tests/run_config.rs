//! The run-configuration audit end to end: `plimsoll compose`, `plimsoll run -- docker run …`,
//! and `scan` picking up compose projects (with their override files), variant files that only
//! make sense merged onto their base, and `docker run` lines in scripts; the Dockerfile a
//! service builds deciding "runs as root" and "no healthcheck"; inline pragmas in YAML and shell.

mod common;

use common::*;

/// A service with nothing hardened, built from the Dockerfile beside it.
const BUILT: &str = "services:\n  api:\n    build: .\n";

/// The four hardening steps every other rule asks for, so a test sees only what it is about.
const HARDENED: &str = "\
services:
  api:
    image: registry.example.com/api@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904f2cb6a1c2b3d5e7f9a1c3e5f
    user: \"10001\"
    read_only: true
    cap_drop: [ALL]
    security_opt: [no-new-privileges:true]
    networks: [app]
    mem_limit: 256m
    pids_limit: 100
    cpus: 0.5
    restart: on-failure:5
    healthcheck:
      test: [\"CMD\", \"/app\", \"-health\"]
networks:
  app: {}
";

fn findings_at(run: &Run, rule: &str) -> Vec<(String, u64)> {
    run.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == rule && f["suppressed"].is_null())
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["start_line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn compose_command_uses_the_default_file_and_its_override() {
    let dir = tempdir();
    write(dir.path(), "compose.yaml", HARDENED);
    // The override adds a privileged flag: docker compose merges it by default.
    write(
        dir.path(),
        "compose.override.yaml",
        "services:\n  api:\n    privileged: true\n",
    );
    let run = plimsoll_in(dir.path(), &["compose", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        findings_at(&run, "RS001"),
        [("compose.override.yaml".to_string(), 3)]
    );
    assert_eq!(run.targets(), ["compose.override.yaml", "compose.yaml"]);

    // -f names the files; without the override nothing reaches `high`.
    let base_only = plimsoll_in(dir.path(), &["compose", "-f", "compose.yaml"]);
    assert_eq!(
        base_only.code, 0,
        "{}{}",
        base_only.stdout, base_only.stderr
    );
}

#[test]
fn compose_profiles_decide_which_services_are_audited() {
    let dir = tempdir();
    let debug = "  debug:\n    image: busybox:1.36\n    profiles: [debug]\n    privileged: true\n";
    let text = HARDENED.replace(
        "networks:\n  app: {}\n",
        &format!("{debug}networks:\n  app: {{}}\n"),
    );
    write(dir.path(), "compose.yaml", &text);
    let off = plimsoll_in(dir.path(), &["compose", "--format", "json"]);
    assert!(
        !off.active_rules().contains(&"RS001".to_string()),
        "{}",
        off.stdout
    );
    let on = plimsoll_in(
        dir.path(),
        &["compose", "--profile", "debug", "--format", "json"],
    );
    assert!(
        on.active_rules().contains(&"RS001".to_string()),
        "{}",
        on.stdout
    );
}

#[test]
fn a_service_built_here_is_judged_by_its_dockerfile() {
    let dir = tempdir();
    write(dir.path(), "compose.yaml", BUILT);
    write(dir.path(), "Dockerfile", ROOT);
    let root = plimsoll_in(dir.path(), &["compose", "--format", "json"]);
    // RS025 points at the service, and the Dockerfile is audited with the project.
    assert_eq!(
        findings_at(&root, "RS025"),
        [("compose.yaml".to_string(), 2)]
    );
    assert_eq!(findings_at(&root, "DF001"), [("Dockerfile".to_string(), 2)]);
    let message = root.json()["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule_id"] == "RS025").cloned())
        .expect("RS025");
    assert!(
        message["message"]
            .as_str()
            .unwrap_or_default()
            .contains("USER root"),
        "{message}"
    );

    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:12\nUSER 10001\nHEALTHCHECK CMD [\"/app\", \"-health\"]\nCMD [\"/app\"]\n",
    );
    let nonroot = plimsoll_in(dir.path(), &["compose", "--format", "json"]);
    let rules = nonroot.active_rules();
    assert!(!rules.contains(&"RS025".to_string()), "{rules:?}");
    assert!(!rules.contains(&"RS030".to_string()), "{rules:?}");
}

#[test]
fn scan_audits_compose_projects_variants_and_scripts() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "app/docker-compose.yml", HARDENED);
    write(
        p,
        "app/docker-compose.override.yml",
        "services:\n  api:\n    pid: host\n",
    );
    // A partial file: it only adds to the base service.
    write(
        p,
        "app/docker-compose.prod.yml",
        "services:\n  api:\n    ports: [\"80:8080\"]\n",
    );
    write(
        p,
        "deploy.sh",
        "#!/bin/sh\nset -e\ndocker run -d --name web \\\n  --privileged \\\n  nginx:1.27\n",
    );
    write(
        p,
        "Makefile",
        "run:\n\tdocker run --rm -v /:/host alpine:3.20 true\n",
    );
    let run = plimsoll_in(p, &["scan", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.targets(),
        [
            "Makefile",
            "app/docker-compose.override.yml",
            "app/docker-compose.prod.yml",
            "app/docker-compose.yml",
            "deploy.sh",
        ]
    );
    assert_eq!(
        findings_at(&run, "RS010"),
        [("app/docker-compose.override.yml".to_string(), 3)]
    );
    assert_eq!(
        findings_at(&run, "RS026"),
        [("app/docker-compose.prod.yml".to_string(), 3)]
    );
    assert_eq!(findings_at(&run, "RS001"), [("deploy.sh".to_string(), 4)]);
    assert_eq!(findings_at(&run, "RS016"), [("Makefile".to_string(), 2)]);
    let warnings = run.json()["warnings"].to_string();
    assert!(warnings.contains("merged onto"), "{warnings}");
}

#[test]
fn pragmas_suppress_in_yaml_and_shell() {
    let dir = tempdir();
    let compose = HARDENED.replace(
        "    read_only: true\n",
        "    read_only: true\n    # plimsoll ignore=RS001 the agent needs it\n    privileged: true\n",
    );
    write(dir.path(), "compose.yaml", &compose);
    write(
        dir.path(),
        "run.sh",
        "# plimsoll ignore=RS009\ndocker run --network host \\\n  nginx:1.27\n",
    );
    let run = plimsoll_in(dir.path(), &["scan", "--format", "json"]);
    let suppressed = run.suppressed_rules();
    assert!(suppressed.contains(&"RS001".to_string()), "{}", run.stdout);
    assert!(suppressed.contains(&"RS009".to_string()), "{}", run.stdout);
    assert!(!run.active_rules().contains(&"RS001".to_string()));
}

#[test]
fn run_command_is_judged_by_the_same_rules() {
    let dir = tempdir();
    let bad = plimsoll_in(
        dir.path(),
        &[
            "run",
            "--format",
            "json",
            "--",
            "docker",
            "run",
            "--privileged",
            "-v",
            "/var/run/docker.sock:/var/run/docker.sock",
            "nginx:1.27",
        ],
    );
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    let rules = bad.active_rules();
    assert!(rules.contains(&"RS001".to_string()) && rules.contains(&"RS015".to_string()));
    assert_eq!(bad.targets(), ["<command-line>"]);

    let human = plimsoll_in(
        dir.path(),
        &[
            "run",
            "--color",
            "never",
            "--",
            "docker",
            "run",
            "--pid=host",
            "nginx:1.27",
        ],
    );
    assert!(human.stdout.contains("--pid=host"), "{}", human.stdout);

    let unknown = plimsoll_in(
        dir.path(),
        &["run", "--", "docker", "run", "--no-such-flag", "nginx"],
    );
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("no-such-flag"),
        "{}",
        unknown.stderr
    );

    let not_docker = plimsoll_in(dir.path(), &["run", "--", "ls", "-l"]);
    assert_eq!(not_docker.code, 2, "{}", not_docker.stderr);
}

#[test]
fn bad_compose_input_is_a_clear_error() {
    let dir = tempdir();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: [unclosed\n",
    );
    let run = plimsoll_in(dir.path(), &["compose"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("compose.yaml:"), "{}", run.stderr);

    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: ${IMAGE:?set IMAGE to the release to deploy}\n",
    );
    let run = plimsoll_in(dir.path(), &["compose"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("IMAGE"), "{}", run.stderr);

    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    privilegd: true\n",
    );
    let run = plimsoll_in(dir.path(), &["compose", "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(
        run.json()["warnings"].to_string().contains("privilegd"),
        "{}",
        run.stdout
    );

    let empty = tempdir();
    let none = plimsoll_in(empty.path(), &["compose"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("no compose file"), "{}", none.stderr);
}

#[test]
fn compose_from_standard_input() {
    let dir = tempdir();
    let out = run(plimsoll(dir.path())
        .args(["compose", "-f", "-", "--format", "json"])
        .write_stdin("services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(findings_at(&out, "RS001"), [("-".to_string(), 4)]);
}
