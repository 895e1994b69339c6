//! `scan` discovery, `.plimsoll.toml` discovery and errors, inline pragmas, and the baseline
//! round trip.

mod common;

use common::*;

#[test]
fn scan_finds_dockerfiles_by_name_and_honours_gitignore() {
    let dir = tempdir();
    let p = dir.path();
    for rel in [
        "Dockerfile",
        "Containerfile",
        "api/Dockerfile.dev",
        "api/web.Dockerfile",
        "api/worker.dockerfile",
        "podman/Containerfile.fedora",
        ".devcontainer/Dockerfile",
        "generated/Dockerfile",
        "ignored-by-dotignore/Dockerfile",
        "vendor/lib/Dockerfile",
        ".git/Dockerfile",
        "Dockerfile.dockerignore",
        "docs/Dockerfile.md",
        "README.md",
    ] {
        write(p, rel, NONROOT);
    }
    write(p, ".gitignore", "generated/\n");
    write(p, ".ignore", "ignored-by-dotignore/\n");
    write(p, ".plimsoll.toml", "[paths]\nignore = [\"vendor/**\"]\n");

    let run = plimsoll_in(p, &["scan", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.targets(),
        [
            ".devcontainer/Dockerfile",
            "Containerfile",
            "Dockerfile",
            "api/Dockerfile.dev",
            "api/web.Dockerfile",
            "api/worker.dockerfile",
            "podman/Containerfile.fedora",
        ]
    );

    // A directory argument is shown relative to how it was given; the config found upward
    // from it still applies.
    let sub = plimsoll_in(p, &["scan", "api", "--format", "json"]);
    assert_eq!(
        sub.targets(),
        [
            "api/Dockerfile.dev",
            "api/web.Dockerfile",
            "api/worker.dockerfile"
        ]
    );
    // The default directory is the working directory.
    let inner = plimsoll_in(&p.join("api"), &["scan", "--format", "json"]);
    assert_eq!(
        inner.targets(),
        ["Dockerfile.dev", "web.Dockerfile", "worker.dockerfile"]
    );
}

#[test]
fn scan_of_a_directory_without_dockerfiles_exits_2_with_a_hint() {
    let dir = tempdir();
    write(dir.path(), "README.md", "# nothing to see\n");
    let run = plimsoll_in(dir.path(), &["scan"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no Dockerfiles, compose files or scripts with docker run lines found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);

    let missing = plimsoll_in(dir.path(), &["scan", "nope"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope"), "{}", missing.stderr);

    write(dir.path(), "vendor/Dockerfile", ROOT);
    write(
        dir.path(),
        ".plimsoll.toml",
        "[paths]\nignore = [\"vendor/**\"]\n",
    );
    let ignored = plimsoll_in(dir.path(), &["scan"]);
    assert_eq!(ignored.code, 2);
    assert!(
        ignored.stderr.contains("[paths] ignore"),
        "{}",
        ignored.stderr
    );
}

#[test]
fn config_is_discovered_from_a_parent_directory() {
    let dir = tempdir();
    let p = dir.path();
    write(
        p,
        ".plimsoll.toml",
        "fail-on = \"never\"\n[rules]\nseverity = { DF001 = \"low\" }\n",
    );
    write(p, "deep/er/Dockerfile", ROOT);
    let run = plimsoll_in(
        &p.join("deep"),
        &["dockerfile", "er/Dockerfile", "--format", "json"],
    );
    assert_eq!(
        run.code, 0,
        "fail-on from the parent's config: {}",
        run.stdout
    );
    let report = run.json();
    let df001 = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "DF001")
        .cloned()
        .expect("DF001");
    assert_eq!(df001["severity"], "low");
    // The flag overrides the config.
    let flagged = plimsoll_in(
        &p.join("deep"),
        &["dockerfile", "er/Dockerfile", "--fail-on", "low"],
    );
    assert_eq!(flagged.code, 1);
    // --no-config ignores it; --config picks another.
    let bare = plimsoll_in(
        &p.join("deep"),
        &["dockerfile", "er/Dockerfile", "--no-config"],
    );
    assert_eq!(bare.code, 1);
    write(p, "other.toml", "[rules]\ndisable = [\"root-user\"]\n");
    let other = plimsoll_in(
        &p.join("deep"),
        &[
            "dockerfile",
            "er/Dockerfile",
            "--config",
            "../other.toml",
            "--format",
            "json",
        ],
    );
    assert!(
        !other.active_rules().contains(&"DF001".to_string()),
        "{}",
        other.stdout
    );
    assert_eq!(other.code, 0);
}

#[test]
fn config_errors_exit_2_naming_file_and_line() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "Dockerfile", ROOT);
    write(
        p,
        ".plimsoll.toml",
        "fail-on = \"high\"\n\n[rules]\nbogus-key = 1\n",
    );
    let run = plimsoll_in(p, &["scan"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".plimsoll.toml:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("bogus-key"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    write(p, ".plimsoll.toml", "[rules]\ndisable = [\"DF999\"]\n");
    let unknown_rule = plimsoll_in(p, &["dockerfile", "Dockerfile"]);
    assert_eq!(unknown_rule.code, 2);
    assert!(
        unknown_rule.stderr.contains("DF999"),
        "{}",
        unknown_rule.stderr
    );

    write(p, ".plimsoll.toml", "fail-on = \"sometimes\"\n");
    let bad_value = plimsoll_in(p, &["dockerfile", "Dockerfile"]);
    assert_eq!(bad_value.code, 2);
    assert!(
        bad_value.stderr.contains(".plimsoll.toml:1:"),
        "{}",
        bad_value.stderr
    );

    let missing = plimsoll_in(p, &["dockerfile", "Dockerfile", "--config", "nope.toml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.toml"), "{}", missing.stderr);
}

#[test]
fn inline_plimsoll_and_hadolint_pragmas_suppress_and_stale_ones_are_reported() {
    let dir = tempdir();
    let p = dir.path();
    write(
        p,
        "a/Dockerfile",
        "FROM debian:12\n# plimsoll ignore=DF001\nUSER root\n",
    );
    write(
        p,
        "b/Dockerfile",
        "FROM debian:12\n# hadolint ignore=DL3002\nUSER root\n",
    );
    write(
        p,
        "c/Dockerfile",
        "FROM debian:12\n# plimsoll ignore=root-user\nUSER app\n",
    );
    write(
        p,
        "d/Dockerfile",
        "FROM debian:12\n# plimsoll ignore=DF9999\nUSER app\n",
    );
    write(
        p,
        "e/Dockerfile",
        "# plimsoll global ignore=DF001\nFROM debian:12\nUSER root\n",
    );

    for (file, fails) in [("a", false), ("b", false), ("e", false)] {
        let run = plimsoll_in(
            p,
            &[
                "dockerfile",
                &format!("{file}/Dockerfile"),
                "--format",
                "json",
            ],
        );
        assert!(
            !run.active_rules().contains(&"DF001".to_string()),
            "{file}: {}",
            run.stdout
        );
        assert!(
            run.suppressed_rules().contains(&"DF001".to_string()),
            "{file}: {}",
            run.stdout
        );
        assert_eq!(run.code == 1, fails, "{file}");
        let suppressed = run.json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule_id"] == "DF001")
            .map(|f| f["suppressed"]["kind"].clone());
        assert_eq!(suppressed, Some(serde_json::json!("inline")), "{file}");
    }

    let stale = plimsoll_in(p, &["dockerfile", "c/Dockerfile", "--format", "json"]);
    let report = stale.json();
    let pl001 = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "PL001")
        .cloned()
        .expect("unused suppression reported");
    assert_eq!(pl001["severity"], "info");
    assert_eq!(pl001["start_line"], 2);

    // A pragma with no instruction after it covers nothing.
    write(
        p,
        "f/Dockerfile",
        "FROM debian:12\nUSER app\n# plimsoll ignore=DF001\n",
    );
    let trailing = plimsoll_in(p, &["dockerfile", "f/Dockerfile", "--format", "json"]);
    assert!(
        trailing.active_rules().contains(&"PL001".to_string()),
        "{}",
        trailing.stdout
    );

    let unknown = plimsoll_in(p, &["dockerfile", "d/Dockerfile", "--format", "json"]);
    assert!(
        unknown.active_rules().contains(&"PL002".to_string()),
        "{}",
        unknown.stdout
    );
}

#[test]
fn pragma_inside_a_continuation_covers_its_instruction() {
    let dir = tempdir();
    let p = dir.path();
    write(
        p,
        "Dockerfile",
        "FROM debian:12\nUSER app\nRUN echo one && \\\n# plimsoll ignore=DF030\n    curl -fsSL https://example.com/i.sh | sh\n",
    );
    let run = plimsoll_in(p, &["dockerfile", "Dockerfile", "--format", "json"]);
    assert!(
        !run.active_rules().contains(&"DF030".to_string()),
        "{}",
        run.stdout
    );
    assert!(
        !run.active_rules().contains(&"PL001".to_string()),
        "{}",
        run.stdout
    );
}

#[test]
fn baseline_round_trip_reports_only_new_findings() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "app/Dockerfile", ROOT);
    let created = plimsoll_in(p, &["baseline"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(
        created.stderr.contains(".plimsoll-baseline.json"),
        "{}",
        created.stderr
    );
    let text = std::fs::read_to_string(p.join(".plimsoll-baseline.json")).expect("baseline");
    let baseline: serde_json::Value = serde_json::from_str(&text).expect("baseline JSON");
    assert_eq!(baseline["version"], 2);
    assert!(baseline["findings"]
        .as_array()
        .is_some_and(|a| a.iter().any(|e| e["rule"] == "DF001")));

    // Without the baseline the old problem fails; with it, it is accepted.
    assert_eq!(plimsoll_in(p, &["scan"]).code, 1);
    let accepted = plimsoll_in(p, &["scan", "--baseline", ".plimsoll-baseline.json"]);
    assert_eq!(accepted.code, 0, "{}", accepted.stdout);
    // Named in the config, it applies by default; --no-baseline turns it off.
    write(
        p,
        ".plimsoll.toml",
        "baseline = \".plimsoll-baseline.json\"\n",
    );
    assert_eq!(plimsoll_in(p, &["scan"]).code, 0);
    assert_eq!(plimsoll_in(p, &["scan", "--no-baseline"]).code, 1);
    let json = plimsoll_in(p, &["scan", "--format", "json"]);
    assert!(json.suppressed_rules().contains(&"DF001".to_string()));

    // A new problem still fails.
    write(p, "new/Dockerfile", "FROM alpine:3\nUSER 0\n");
    let with_new = plimsoll_in(p, &["scan", "--format", "json"]);
    assert_eq!(with_new.code, 1, "{}", with_new.stdout);
    let report = with_new.json();
    let active_paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["suppressed"].is_null() && f["severity"] == "high")
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(!active_paths.is_empty() && active_paths.iter().all(|p| *p == "new/Dockerfile"));

    // Regenerating writes where the config says.
    let again = plimsoll_in(p, &["baseline", "--quiet"]);
    assert_eq!(again.code, 0);
    assert_eq!(plimsoll_in(p, &["scan"]).code, 0);

    // An explicit baseline that does not exist is an error; one named by the config only warns.
    let missing = plimsoll_in(p, &["scan", "--baseline", "nope.json"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.json"), "{}", missing.stderr);
    write(p, ".plimsoll.toml", "baseline = \"later.json\"\n");
    let warned = plimsoll_in(p, &["scan", "--fail-on", "never"]);
    assert_eq!(warned.code, 0);
    assert!(warned.stderr.contains("later.json"), "{}", warned.stderr);
}

#[test]
fn baseline_output_flag_and_file_arguments() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "x.Dockerfile", ROOT);
    let run = plimsoll_in(p, &["baseline", "x.Dockerfile", "--output", "b.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(p.join("b.json").is_file());
    let check = plimsoll_in(p, &["dockerfile", "x.Dockerfile", "--baseline", "b.json"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let empty = tempdir();
    let none = plimsoll_in(empty.path(), &["baseline"]);
    assert_eq!(none.code, 2);
}
