//! What the binary reads and how a run ends: bounded memory for any number of findings (folding),
//! the report file replaced only when complete, inputs that cannot be audited failing the run,
//! true messages for binary files and devices, committed files audited despite `.gitignore`,
//! baselines that count copies, hadolint pragmas left alone, Dockerfile names, several scan
//! paths and case-insensitive values.

mod common;

use common::*;
use serde_json::Value;

/// A script of `lines` identical `docker run` lines, each firing about fifteen rules.
fn hostile_script(lines: usize) -> String {
    let line = "docker run --privileged --pid=host --net=host -v /:/host -e PASSWORD=x -p 1:1 --ipc=host img\n";
    format!("#!/bin/sh\n{}", line.repeat(lines))
}

#[test]
fn findings_beyond_a_hundred_per_rule_and_file_are_folded_and_still_fail_the_run() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "run.sh", hostile_script(2000));
    let run = plimsoll_in(
        p,
        &[
            "scan",
            "run.sh",
            "--format",
            "json",
            "--fail-on",
            "critical",
        ],
    );
    assert_eq!(run.code, 1, "a folded critical still fails: {}", run.stderr);
    let all = run.findings();
    let mut per_rule: std::collections::BTreeMap<String, Vec<&Value>> = Default::default();
    for f in &all {
        per_rule
            .entry(f["rule_id"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(f);
    }
    assert!(per_rule.len() >= 10, "{:?}", per_rule.keys());
    for (rule, list) in &per_rule {
        assert_eq!(list.len(), 101, "{rule}: the first 100 kept, one fold");
        let folded: Vec<&&Value> = list
            .iter()
            .filter(|f| {
                f["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("and 1900 more"))
            })
            .collect();
        assert_eq!(folded.len(), 1, "{rule}");
    }
    assert!(
        run.stderr
            .contains(&format!("{} findings folded", 1900 * per_rule.len())),
        "the fold note gives the true number: {}",
        run.stderr
    );
}

#[test]
fn a_baseline_counts_folded_copies_so_one_more_line_fails() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "run.sh", hostile_script(2000));
    let created = plimsoll_in(p, &["baseline", "--output", "b.json"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("b.json")).expect("baseline"))
            .expect("baseline JSON");
    assert_eq!(baseline["version"], 2);
    assert!(
        baseline["findings"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["count"] == 2000),
        "every copy recorded, folded or not"
    );
    let accepted = plimsoll_in(p, &["scan", "--baseline", "b.json", "--fail-on", "info"]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    write(p, "run.sh", hostile_script(2001));
    let grown = plimsoll_in(
        p,
        &[
            "scan",
            "--baseline",
            "b.json",
            "--format",
            "json",
            "--fail-on",
            "info",
        ],
    );
    assert_eq!(grown.code, 1);
    let active: Vec<String> = grown
        .findings()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!active.is_empty());
    assert!(
        active.iter().all(|m| m.starts_with("and 1 more")),
        "only the new copy of each is active: {active:?}"
    );
}

#[test]
fn a_new_copy_of_a_baselined_finding_is_new() {
    let dir = tempdir();
    let p = dir.path();
    let once = "FROM debian:12\nUSER app\nRUN curl -sSL https://get.example.com/i.sh | sh\n";
    write(p, "Dockerfile", once);
    assert_eq!(plimsoll_in(p, &["baseline", "-q"]).code, 0);
    let baseline = ".plimsoll-baseline.json";
    assert_eq!(plimsoll_in(p, &["scan", "--baseline", baseline]).code, 0);
    write(
        p,
        "Dockerfile",
        format!("{once}RUN curl -sSL https://get.example.com/i.sh | sh\n"),
    );
    let twice = plimsoll_in(p, &["scan", "--baseline", baseline, "--format", "json"]);
    assert_eq!(twice.code, 1, "{}", twice.stdout);
    let active = twice.active_rules();
    assert!(active.contains(&"DF030".to_string()), "{active:?}");
    let new_line: Vec<u64> = twice
        .findings()
        .iter()
        .filter(|f| f["rule_id"] == "DF030" && f["suppressed"].is_null())
        .filter_map(|f| f["start_line"].as_u64())
        .collect();
    assert_eq!(
        new_line,
        vec![4],
        "the copy after the recorded one is the new one"
    );

    // A version-1 baseline (no counts) is still read and accepts every copy, with a warning.
    let text = std::fs::read_to_string(p.join(baseline)).expect("baseline");
    let mut v1: Value = serde_json::from_str(&text).expect("JSON");
    v1["version"] = 1.into();
    for entry in v1["findings"].as_array_mut().expect("entries") {
        entry.as_object_mut().expect("entry").remove("count");
    }
    write(p, "v1.json", v1.to_string());
    let old = plimsoll_in(p, &["scan", "--baseline", "v1.json"]);
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert!(old.stderr.contains("version 1"), "{}", old.stderr);
}

#[test]
fn the_output_file_is_replaced_only_by_a_complete_report() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "Dockerfile", NONROOT);
    write(p, "report.json", "the previous report");
    let run = plimsoll_in(p, &["scan", "--format", "json", "-o", "report.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(p.join("report.json")).expect("report");
    serde_json::from_str::<Value>(&text).expect("a whole JSON report");
    let names: Vec<String> = std::fs::read_dir(p)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp")),
        "no temporary file left: {names:?}"
    );
    // An unwritable destination is an error, and the old file is untouched.
    std::fs::create_dir(p.join("report.d")).expect("mkdir");
    let failed = plimsoll_in(p, &["scan", "--format", "json", "-o", "report.d"]);
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    assert!(failed.stderr.contains("report.d"), "{}", failed.stderr);
    // `-o -` is standard output.
    let stdout = plimsoll_in(p, &["scan", "--format", "json", "-o", "-"]);
    assert_eq!(stdout.code, 0);
    stdout.json();
    assert!(!p.join("-").exists());
}

#[test]
fn an_input_that_cannot_be_audited_fails_the_run_unless_partial_is_allowed() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "good.Dockerfile", NONROOT);
    let typo = plimsoll_in(p, &["dockerfile", "good.Dockerfile", "typo.Dockerfile"]);
    assert_eq!(typo.code, 2, "a typo in CI must not pass: {}", typo.stderr);
    assert!(
        typo.stderr.contains("typo.Dockerfile: no such file"),
        "{}",
        typo.stderr
    );
    assert!(typo.stderr.contains("--allow-partial"), "{}", typo.stderr);
    assert!(typo.stdout.contains("good.Dockerfile") || typo.stdout.contains("no findings"));
    let allowed = plimsoll_in(
        p,
        &[
            "dockerfile",
            "good.Dockerfile",
            "typo.Dockerfile",
            "--allow-partial",
        ],
    );
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);

    // A discovered file BuildKit would refuse fails the scan too; the report is still written.
    write(
        p,
        "bad/Dockerfile",
        "FROM alpine:3\nRUN <<EOF\nnever closed\n",
    );
    let scan = plimsoll_in(p, &["scan", "--format", "json"]);
    assert_eq!(scan.code, 2, "{}", scan.stderr);
    assert_eq!(scan.json()["errors"][0]["file"], "bad/Dockerfile");
    assert_eq!(plimsoll_in(p, &["scan", "--allow-partial"]).code, 0);
    // A missing scan path is an input that cannot be audited.
    assert_eq!(plimsoll_in(p, &["scan", "good.Dockerfile", "nope"]).code, 2);
}

#[test]
fn binary_files_and_devices_get_the_true_message() {
    let dir = tempdir();
    let p = dir.path();
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend((1..=255u8).cycle().take(4096));
    write(p, "ls", &elf);
    let binary = plimsoll_in(p, &["dockerfile", "ls"]);
    assert_eq!(binary.code, 2);
    assert!(
        binary
            .stderr
            .contains("ls: not text: contains NUL bytes at offset 7"),
        "{}",
        binary.stderr
    );
    assert!(!binary.stderr.contains("UTF-16"), "{}", binary.stderr);
    #[cfg(unix)]
    {
        write(p, "Dockerfile", NONROOT);
        for flag in ["--config", "--baseline"] {
            let endless = plimsoll_in(p, &["scan", flag, "/dev/zero"]);
            assert_eq!(endless.code, 2, "{flag}: {}", endless.stderr);
            assert!(
                endless.stderr.contains("/dev/zero"),
                "{flag}: {}",
                endless.stderr
            );
        }
        let device = plimsoll_in(p, &["dockerfile", "/dev/zero"]);
        assert_eq!(device.code, 2);
        assert!(
            device
                .stderr
                .contains("/dev/zero: is a character device, not a file"),
            "{}",
            device.stderr
        );
    }
}

#[test]
fn a_script_in_latin_1_is_still_audited_with_a_warning() {
    let dir = tempdir();
    let p = dir.path();
    write(
        p,
        "deploy.sh",
        b"#!/bin/sh\n# d\xe9ploiement\ndocker run --privileged img\n".as_slice(),
    );
    let run = plimsoll_in(p, &["scan", "deploy.sh", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.active_rules().contains(&"RS001".to_string()),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("not valid UTF-8 (first at line 2)"),
        "{}",
        run.stderr
    );
}

#[test]
fn committed_files_are_audited_even_when_gitignore_lists_them() {
    let dir = tempdir();
    let p = dir.path();
    let git = |args: &[&str]| git_in(p, args);
    if !git(&["init", "-q"]) {
        eprintln!("SKIPPED: git is not available to set up the repository");
        return;
    }
    write(p, "Dockerfile", NONROOT);
    write(p, ".gitignore", "docker-compose.override.yml\nlocal/\n");
    write(
        p,
        "docker-compose.yml",
        "services:\n  web:\n    image: nginx:1\n",
    );
    write(
        p,
        "docker-compose.override.yml",
        "services:\n  web:\n    privileged: true\n",
    );
    write(p, "local/Dockerfile", ROOT);
    write(p, "local/scratch/Dockerfile", ROOT);
    assert!(git(&[
        "add",
        "-f",
        "Dockerfile",
        ".gitignore",
        "docker-compose.yml"
    ]));
    assert!(git(&[
        "add",
        "-f",
        "docker-compose.override.yml",
        "local/Dockerfile"
    ]));
    let run = plimsoll_in(p, &["scan", "--format", "json", "--fail-on", "never"]);
    let targets: Vec<String> = run.targets();
    for tracked in ["docker-compose.override.yml", "local/Dockerfile"] {
        assert!(
            targets.contains(&tracked.to_string()),
            "{tracked}: {targets:?}"
        );
    }
    assert!(
        !targets.contains(&"local/scratch/Dockerfile".to_string()),
        "an untracked ignored file stays ignored: {targets:?}"
    );
    // Scanning a subdirectory of the work tree finds its tracked files too.
    let sub = plimsoll_in(
        p,
        &["scan", "local", "--format", "json", "--fail-on", "never"],
    );
    assert!(sub.stdout.contains("local/Dockerfile"), "{}", sub.stdout);
}

#[test]
fn hadolint_pragmas_for_rules_plimsoll_lacks_are_not_reported_as_unused() {
    let dir = tempdir();
    let unused_reported = |dockerfile: &str| {
        write(dir.path(), "Dockerfile", dockerfile);
        let run = plimsoll_in(
            dir.path(),
            &["dockerfile", "Dockerfile", "--format", "json"],
        );
        run.active_rules().contains(&"PL001".to_string())
    };
    assert!(!unused_reported(
        "FROM debian:12\nUSER app\n# hadolint ignore=DL3059\nRUN echo a\n# hadolint ignore=SC2086\nRUN echo $b\n"
    ));
    // A hadolint id that maps to a plimsoll rule that did not fire is still unused.
    assert!(unused_reported(
        "FROM debian:12\n# hadolint ignore=DL3002\nUSER app\n"
    ));
}

#[test]
fn discovery_finds_dockerfiles_named_with_a_dash_underscore_or_digit() {
    let dir = tempdir();
    let p = dir.path();
    for rel in [
        "Dockerfile-dev",
        "Dockerfile_prod",
        "Dockerfile2",
        "Containerfile-arm64",
        "Dockerfile.prod",
        "Dockerfilecachefrom",
    ] {
        write(p, rel, NONROOT);
    }
    for rel in [
        "Dockerfile-dev.md",
        "dockerfile_test.go",
        "Dockerfiles",
        "Dockerfile_x.dockerignore",
    ] {
        write(p, rel, "not a Dockerfile");
    }
    let run = plimsoll_in(p, &["scan", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut targets: Vec<String> = run.targets();
    targets.sort();
    assert_eq!(
        targets,
        [
            "Containerfile-arm64",
            "Dockerfile-dev",
            "Dockerfile.prod",
            "Dockerfile2",
            "Dockerfile_prod",
            "Dockerfilecachefrom"
        ]
    );
}

#[test]
fn scan_takes_several_paths_and_standard_input() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "a/Dockerfile", NONROOT);
    write(p, "b/Dockerfile", ROOT);
    write(p, "c/Dockerfile", ROOT);
    let run = plimsoll_in(p, &["scan", "a", "b/Dockerfile", "--format", "json"]);
    let targets: Vec<String> = run.targets();
    assert_eq!(targets, ["a/Dockerfile", "b/Dockerfile"]);
    let piped = run_stdin(p, &["scan", "-", "--format", "json"], ROOT);
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    assert_eq!(piped.json()["targets"][0]["path"], "-");
}

#[test]
fn configuration_and_baseline_can_come_from_standard_input_once() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "Dockerfile", ROOT);
    let config = run_stdin(p, &["scan", "--config", "-"], "fail-on = \"never\"\n");
    assert_eq!(config.code, 0, "{}", config.stderr);
    assert_eq!(plimsoll_in(p, &["baseline", "-q", "-o", "b.json"]).code, 0);
    let text = std::fs::read_to_string(p.join("b.json")).expect("baseline");
    let baselined = run_stdin(p, &["scan", "--baseline", "-"], &text);
    assert_eq!(baselined.code, 0, "{}", baselined.stderr);
    let twice = run_stdin(p, &["dockerfile", "-", "--config", "-"], ROOT);
    assert_eq!(twice.code, 2);
    assert!(twice.stderr.contains("only once"), "{}", twice.stderr);
}

#[test]
fn format_and_fail_on_values_are_case_insensitive() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "Dockerfile", ROOT);
    let sarif = plimsoll_in(p, &["scan", "--format", "SARIF", "--fail-on", "CRITICAL"]);
    assert_eq!(
        sarif.code, 0,
        "root is high, not critical: {}",
        sarif.stderr
    );
    assert_eq!(sarif.json()["version"], "2.1.0");
    assert_eq!(plimsoll_in(p, &["scan", "--fail-on", "High"]).code, 1);
    assert_eq!(plimsoll_in(p, &["scan", "--fail-on", "NEVER"]).code, 0);
}

fn run_stdin(cwd: &std::path::Path, args: &[&str], input: &str) -> Run {
    run(plimsoll(cwd).args(args).write_stdin(input))
}
