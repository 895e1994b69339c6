//! The commands and flags of the binary, end to end: exit codes, formats, output files,
//! `--fail-on`, `--quiet`, colour, standard input, `rules`.

mod common;

use common::*;

#[test]
fn help_and_version_exit_0() {
    let dir = tempdir();
    for args in [
        &["--help"][..],
        &["--version"],
        &["scan", "--help"],
        &["rules", "--help"],
    ] {
        let run = plimsoll_in(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stdout.is_empty());
    }
}

#[test]
fn help_says_what_the_tool_does_today() {
    let dir = tempdir();
    let help = plimsoll_in(dir.path(), &["--help"]);
    // The about once said "Dockerfiles today, the rest of the container life cycle next".
    for stale in ["Dockerfiles today", "life cycle next"] {
        assert!(
            !help.stdout.contains(stale),
            "`{stale}` in:\n{}",
            help.stdout
        );
    }
    for stage in [
        "Dockerfiles",
        "compose",
        "docker run",
        "containers",
        "daemon",
        "host",
    ] {
        assert!(
            help.stdout.contains(stage),
            "`{stage}` missing:\n{}",
            help.stdout
        );
    }
    for name in subcommand_names() {
        let long = plimsoll_in(dir.path(), &[name.as_str(), "--help"]);
        assert_eq!(long.code, 0, "{name} --help: {}", long.stderr);
        assert!(
            help.stdout.contains(&format!("  {name} ")),
            "`{name}` is not listed in --help"
        );
    }
    // Every example in the top-level help parses (clap accepts it; `--help` is appended so
    // nothing runs).
    let examples = help
        .stdout
        .split("Examples:")
        .nth(1)
        .expect("an Examples section");
    for line in examples.lines().filter(|l| l.starts_with("  plimsoll ")) {
        let words: Vec<&str> = line
            .split("   ")
            .next()
            .unwrap_or(line)
            .split_whitespace()
            .collect();
        let mut args: Vec<&str> = words[1..].to_vec();
        let at = args.iter().position(|w| *w == "--").unwrap_or(args.len());
        args.insert(at, "--help");
        let run = plimsoll_in(dir.path(), &args);
        assert_eq!(
            run.code, 0,
            "example `{line}` is not accepted: {}",
            run.stderr
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    for args in [
        &["frobnicate"][..],
        &[],
        &["dockerfile"],
        &["dockerfile", "Dockerfile", "--format", "xml"],
        &["dockerfile", "Dockerfile", "--fail-on", "severe"],
        &["dockerfile", "Dockerfile", "--color", "sometimes"],
        &[
            "dockerfile",
            "Dockerfile",
            "--config",
            "x.toml",
            "--no-config",
        ],
        &[
            "dockerfile",
            "Dockerfile",
            "--baseline",
            "b.json",
            "--no-baseline",
        ],
        &["dockerfile", "-", "-"],
        &["rules", "--stage", "nowhere"],
    ] {
        let run = plimsoll_in(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?} exited {}: {}", run.code, run.stderr);
        assert!(!run.stderr.is_empty(), "{args:?} printed no error");
    }
}

#[test]
fn findings_at_or_above_fail_on_exit_1() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let run = plimsoll_in(dir.path(), &["dockerfile", "Dockerfile"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("DF001"), "{}", run.stdout);
    assert!(run.stdout.contains("Dockerfile"), "{}", run.stdout);

    let never = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--fail-on", "never"],
    );
    assert_eq!(never.code, 0, "{}", never.stderr);
    let critical = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--fail-on", "critical"],
    );
    assert_eq!(critical.code, 0, "{}", critical.stdout);
    let info = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--fail-on", "info"],
    );
    assert_eq!(info.code, 1);
}

#[test]
fn no_high_findings_exit_0_by_default() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", NONROOT);
    let run = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = run.json();
    for f in report["findings"].as_array().expect("findings") {
        assert!(
            !matches!(f["severity"].as_str(), Some("high" | "critical")),
            "unexpected {f}"
        );
    }
    // The same file fails at a lower threshold when it has any low finding.
    let low = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--fail-on", "low"],
    );
    let has_low = report["summary"]["by_severity"]["low"]
        .as_u64()
        .unwrap_or(0)
        + report["summary"]["by_severity"]["medium"]
            .as_u64()
            .unwrap_or(0)
        > 0;
    assert_eq!(low.code, i32::from(has_low));
}

#[test]
fn json_report_has_the_documented_fields() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let run = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--format", "json"],
    );
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(
        report["schema_version"],
        plimsoll_report::json::SCHEMA_VERSION
    );
    assert_eq!(report["targets"][0]["path"], "Dockerfile");
    assert_eq!(report["targets"][0]["kind"], "dockerfile");
    let df001 = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "DF001")
        .expect("DF001 reported");
    assert_eq!(df001["file"], "Dockerfile");
    assert_eq!(df001["severity"], "high");
    assert!(df001["start_line"].as_u64().is_some());
    assert!(df001["fingerprint"].as_str().is_some_and(|s| s.len() == 32));
    // Machine formats put the summary on stderr for people reading CI logs.
    assert!(run.stderr.contains("finding"), "{}", run.stderr);
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let Some(corpora) = corpora() else { return };
    let schema_text = std::fs::read_to_string(corpora.join("schemas/sarif-schema-2.1.0.json"))
        .expect("SARIF schema in the corpus");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    write(
        dir.path(),
        "svc/Containerfile",
        "# plimsoll ignore=DF001\nFROM alpine:3\n",
    );
    write(
        dir.path(),
        "broken.Dockerfile",
        "FROM alpine\nRUN <<EOF\necho unterminated\n",
    );
    let run = plimsoll_in(
        dir.path(),
        &["scan", "--format", "sarif", "--allow-partial"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif = run.json();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is invalid:\n{}",
        errors.join("\n")
    );
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "DF001"));
}

#[test]
fn output_flag_writes_the_report_to_a_file() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let run = plimsoll_in(
        dir.path(),
        &[
            "dockerfile",
            "Dockerfile",
            "--format",
            "json",
            "--output",
            "report.json",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("report.json"), "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("report.json")).expect("report written");
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON file");
    assert!(common::rule_ids(&report, false).contains(&"DF001".to_string()));

    // Human text to a file: no colour codes even with --color auto.
    let run = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "-o", "report.txt"],
    );
    assert_eq!(run.code, 1);
    let text = std::fs::read_to_string(dir.path().join("report.txt")).expect("report written");
    assert!(text.contains("DF001") && !text.contains('\u{1b}'), "{text}");

    let bad = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "-o", "no/such/dir/r.json"],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("cannot write"), "{}", bad.stderr);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let always = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--color", "always"],
    );
    assert!(
        always.stdout.contains('\u{1b}'),
        "no ANSI codes with --color always"
    );
    // Standard output is a pipe here, so auto means no colour.
    let auto = plimsoll_in(dir.path(), &["dockerfile", "Dockerfile"]);
    assert!(!auto.stdout.contains('\u{1b}'));
    let never = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--color", "never"],
    );
    assert!(!never.stdout.contains('\u{1b}'));
    let no_color = run(plimsoll(dir.path()).env("NO_COLOR", "1").args([
        "dockerfile",
        "Dockerfile",
        "--color",
        "auto",
    ]));
    assert!(!no_color.stdout.contains('\u{1b}'));
    let forced = run(plimsoll(dir.path())
        .env("CLICOLOR_FORCE", "1")
        .args(["dockerfile", "Dockerfile"]));
    assert!(
        forced.stdout.contains('\u{1b}'),
        "CLICOLOR_FORCE=1 colours a pipe"
    );
    let both = run(plimsoll(dir.path())
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["dockerfile", "Dockerfile"]));
    assert!(!both.stdout.contains('\u{1b}'), "NO_COLOR wins");
}

#[test]
fn quiet_prints_only_errors_and_keeps_the_exit_code() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let run = plimsoll_in(dir.path(), &["dockerfile", "Dockerfile", "--quiet"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{run:?}");
    // An input that cannot be audited still shows (it is an error) and decides the status.
    for (extra, code) in [(None, 2), (Some("--allow-partial"), 1)] {
        let mut args = vec!["dockerfile", "Dockerfile", "missing", "-q"];
        args.extend(extra);
        let run = plimsoll_in(dir.path(), &args);
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.contains("missing: no such file"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn stdin_is_audited_as_dash_with_config_from_the_working_directory() {
    let dir = tempdir();
    let run = run(plimsoll(dir.path())
        .args(["dockerfile", "-", "--format", "json"])
        .write_stdin(ROOT));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["targets"][0]["path"], "-");
    assert!(report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .all(|f| f["file"] == "-"));

    write(
        dir.path(),
        ".plimsoll.toml",
        "[rules]\ndisable = [\"DF001\"]\n",
    );
    let configured = common::run(
        plimsoll(dir.path())
            .args(["dockerfile", "-", "--format", "json", "--fail-on", "high"])
            .write_stdin(ROOT),
    );
    assert!(!configured.active_rules().contains(&"DF001".to_string()));
    assert_eq!(configured.code, 0, "{}", configured.stdout);
}

#[test]
fn show_suppressed_lists_inline_suppressed_findings() {
    let dir = tempdir();
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:12\n# plimsoll ignore=DF001\nUSER root\n",
    );
    let hidden = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--color", "never"],
    );
    assert_eq!(hidden.code, 0, "{}", hidden.stdout);
    assert!(!hidden.stdout.contains("DF001"), "{}", hidden.stdout);
    let shown = plimsoll_in(
        dir.path(),
        &[
            "dockerfile",
            "Dockerfile",
            "--show-suppressed",
            "--color",
            "never",
        ],
    );
    assert_eq!(shown.code, 0);
    assert!(shown.stdout.contains("DF001"), "{}", shown.stdout);
    assert!(shown.stdout.contains("suppressed"), "{}", shown.stdout);
}

#[test]
fn rules_lists_filters_and_explains() {
    let dir = tempdir();
    let list = plimsoll_in(dir.path(), &["rules"]);
    assert_eq!(list.code, 0);
    for id in ["DF001", "PL001", "PL002"] {
        assert!(list.stdout.contains(id), "{id} missing:\n{}", list.stdout);
    }
    let meta = plimsoll_in(dir.path(), &["rules", "--stage", "meta"]);
    assert!(meta.stdout.contains("PL001") && !meta.stdout.contains("DF001"));

    let json = plimsoll_in(dir.path(), &["rules", "--format", "json"]);
    let rules = json.json();
    let rules = rules.as_array().expect("a JSON array");
    let df001 = rules.iter().find(|r| r["id"] == "DF001").expect("DF001");
    for key in ["name", "title", "severity", "stage", "status", "since"] {
        assert!(df001[key].is_string(), "{key} in {df001}");
    }
    assert_eq!(df001["status"], "stable", "{df001}");
    // The rule's first reference link, or null: never an invented project URL.
    assert!(
        df001["help_uri"].is_null() || df001["help_uri"].is_string(),
        "help_uri in {df001}"
    );
    assert!(df001["docs"]["why"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(df001["references"]["hadolint"]
        .as_array()
        .is_some_and(|a| a.iter().any(|id| id == "DL3002")));

    // The same text as docs/rules.md (whose freshness tests/docs.rs checks).
    let markdown = plimsoll_in(dir.path(), &["rules", "--format", "markdown"]);
    assert_eq!(
        markdown.stdout,
        plimsoll::docs::rules_markdown(plimsoll::registry::registry())
    );
    let meta_md = plimsoll_in(
        dir.path(),
        &["rules", "--format", "markdown", "--stage", "meta"],
    );
    assert!(meta_md.stdout.contains("## PL001") && !meta_md.stdout.contains("## DF001"));

    for key in ["DF001", "df001", "root-user"] {
        let explain = plimsoll_in(dir.path(), &["rules", "explain", key]);
        assert_eq!(explain.code, 0, "{key}");
        assert!(explain.stdout.starts_with("DF001 — "), "{}", explain.stdout);
        assert!(explain.stdout.contains("\nHow to fix\n"));
    }
    let foreign = plimsoll_in(dir.path(), &["rules", "explain", "DL3002"]);
    assert_eq!(foreign.code, 0);
    assert!(foreign.stdout.contains("DF001"), "{}", foreign.stdout);
    let unknown = plimsoll_in(dir.path(), &["rules", "explain", "XX999"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown rule `XX999`"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn rules_explain_renders_readable_text_and_keeps_the_markdown_source() {
    let dir = tempdir();
    let rule = plimsoll::registry::registry().get("DF009").expect("DF009");
    let text = plimsoll_in(dir.path(), &["rules", "explain", "DF009"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for markup in ["##", "```", "*name:*", "\u{1b}["] {
        assert!(
            !text.stdout.contains(markup),
            "{markup:?} in:\n{}",
            text.stdout
        );
    }
    for line in text.stdout.lines() {
        // Prose is wrapped to 80 columns off a terminal; code lines are kept whole.
        let is_code = line.starts_with("      ");
        assert!(
            is_code || line.chars().count() <= 80,
            "line not wrapped: {line:?}"
        );
    }
    let bad_line = rule
        .docs
        .bad
        .lines()
        .nth(1)
        .expect("a second line in DF009's example");
    assert!(
        text.stdout.contains(&format!("\n      {bad_line}\n")),
        "the example is not an indented code block:\n{}",
        text.stdout
    );

    let coloured = plimsoll_in(
        dir.path(),
        &["rules", "explain", "DF009", "--color", "always"],
    );
    assert!(coloured.stdout.contains("\u{1b}["), "{}", coloured.stdout);

    let markdown = plimsoll_in(
        dir.path(),
        &["rules", "explain", "DF009", "--format", "markdown"],
    );
    assert_eq!(markdown.stdout, rule.markdown());

    let json = plimsoll_in(
        dir.path(),
        &["rules", "explain", "dl3002", "--format", "json"],
    );
    assert_eq!(json.json()[0]["id"], "DF001", "{}", json.stdout);
}

#[test]
fn rules_explain_suggests_the_closest_rule_for_a_typo() {
    let dir = tempdir();
    let typo = plimsoll_in(dir.path(), &["rules", "explain", "root-usr"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `root-user`"),
        "{}",
        typo.stderr
    );
}

#[test]
fn run_without_double_dash_says_to_add_it() {
    let dir = tempdir();
    let run = plimsoll_in(
        dir.path(),
        &[
            "run",
            "--format",
            "json",
            "docker",
            "run",
            "--privileged",
            "nginx",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "put `--` before the command: plimsoll run --format json -- docker run --privileged nginx"
        ),
        "{}",
        run.stderr
    );
    // Other usage errors keep clap's message.
    let other = plimsoll_in(
        dir.path(),
        &["run", "--format", "xml", "--", "docker", "run", "x"],
    );
    assert_eq!(other.code, 2);
    assert!(!other.stderr.contains("put `--`"), "{}", other.stderr);
}

/// Every subcommand clap knows, from the same definitions the binary uses.
fn subcommand_names() -> Vec<String> {
    use clap::CommandFactory;
    plimsoll::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn bash_completions_mention_every_subcommand() {
    let dir = tempdir();
    let bash = plimsoll_in(dir.path(), &["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    let names = subcommand_names();
    assert!(names.len() >= 11, "{names:?}");
    for name in names {
        assert!(
            bash.stdout.contains(&name),
            "`{name}` missing from bash completions"
        );
    }
    assert!(bash.stdout.contains("--fail-on") && bash.stdout.contains("--severity"));
    for shell in ["zsh", "fish", "elvish", "powershell", "BASH"] {
        let script = plimsoll_in(dir.path(), &["completions", shell]);
        assert_eq!(script.code, 0, "{shell}: {}", script.stderr);
        assert!(script.stdout.contains("plimsoll"), "{shell}");
    }
    assert_eq!(plimsoll_in(dir.path(), &["completions", "tcsh"]).code, 2);
}

#[test]
fn completions_and_man_stop_quietly_when_the_reader_closes_the_pipe() {
    let dir = tempdir();
    for args in [&["completions", "bash"][..], &["man"]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("plimsoll"))
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start plimsoll");
        // Close the only read end before plimsoll writes (as `| head` does once it has
        // enough): every write then fails with a broken pipe.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked") && output.status.code() == Some(0),
            "{args:?} exited {:?}: {stderr}",
            output.status.code()
        );
    }
}

#[test]
fn man_page_is_roff_and_covers_the_commands() {
    let dir = tempdir();
    let man = plimsoll_in(dir.path(), &["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.starts_with(".ie \\n(.g .ds Aq") || man.stdout.starts_with(".TH"));
    let th = man
        .stdout
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect("a .TH title line");
    assert!(th.starts_with(".TH plimsoll 1"), "{th}");
    assert!(man.stdout.contains(".SH NAME") && man.stdout.contains(".SH SYNOPSIS"));
    for name in subcommand_names() {
        assert!(
            man.stdout.contains(&name),
            "`{name}` missing from the man page"
        );
    }

    assert_roff_is_clean(&man.stdout, "plimsoll man");

    let pages = dir.path().join("man1");
    let written = plimsoll_in(dir.path(), &["man", "--dir", "man1"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    for name in ["plimsoll.1".to_string(), "plimsoll-scan.1".to_string()] {
        let page = std::fs::read_to_string(pages.join(&name)).unwrap_or_default();
        assert!(page.contains(".TH "), "{name} is not a man page");
        assert_roff_is_clean(&page, &name);
    }
}

/// groff (with preconv for UTF-8, as `man` runs it) reads the page without a warning. groff is
/// not a build dependency: without it this check says so and is skipped.
fn assert_roff_is_clean(page: &str, name: &str) {
    use std::io::Write;
    let child = std::process::Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: groff is not installed; {name} is not checked with it");
        return;
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(page.as_bytes()).expect("feed groff");
    }
    let output = child.wait_with_output().expect("run groff");
    let warnings = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && warnings.trim().is_empty(),
        "groff rejects {name}:\n{warnings}"
    );
}

#[test]
fn severity_filters_what_is_shown_but_not_the_exit_status() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let all = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--format", "json"],
    );
    let severities = |run: &Run| -> Vec<String> {
        run.json()["findings"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f["severity"].as_str().map(str::to_string))
            .collect()
    };
    let every = severities(&all);
    assert!(every.iter().any(|s| s == "high") && every.iter().any(|s| s != "high"));

    for level in ["high", "HIGH", "High"] {
        let shown = plimsoll_in(
            dir.path(),
            &[
                "dockerfile",
                "Dockerfile",
                "--format",
                "json",
                "--severity",
                level,
            ],
        );
        assert_eq!(shown.code, all.code, "the exit status must not change");
        let kept = severities(&shown);
        assert!(!kept.is_empty() && kept.iter().all(|s| s == "high" || s == "critical"));
        assert!(
            shown.stderr.contains("not shown (--severity high)"),
            "{}",
            shown.stderr
        );
    }

    // Hidden findings still fail the run, and the note says so.
    let hidden = plimsoll_in(
        dir.path(),
        &[
            "dockerfile",
            "Dockerfile",
            "--severity",
            "critical",
            "--fail-on",
            "high",
        ],
    );
    assert_eq!(hidden.code, 1);
    assert!(
        hidden
            .stderr
            .contains("reach --fail-on high and fail the run"),
        "{}",
        hidden.stderr
    );
    assert!(!hidden.stdout.contains("DF001"), "{}", hidden.stdout);

    let bad = plimsoll_in(
        dir.path(),
        &["dockerfile", "Dockerfile", "--severity", "severe"],
    );
    assert_eq!(bad.code, 2);
}

#[test]
fn ignore_flag_accepts_ids_names_and_other_tools_ids() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", ROOT);
    let base = ["dockerfile", "Dockerfile", "--format", "json"];
    assert!(plimsoll_in(dir.path(), &base)
        .active_rules()
        .contains(&"DF001".to_string()));
    for key in ["DF001", "df001", "root-user", "DL3002"] {
        let run = plimsoll_in(dir.path(), &[&base[..], &["--ignore", key]].concat());
        assert!(
            !run.active_rules().contains(&"DF001".to_string()),
            "--ignore {key} kept DF001"
        );
        assert_eq!(run.code, 0, "--ignore {key}: {}", run.stderr);
    }
    let unknown = plimsoll_in(dir.path(), &[&base[..], &["--ignore", "DF00l"]].concat());
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("--ignore: unknown rule `DF00l`")
            && unknown.stderr.contains("did you mean `DF001`"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn trusted_registry_flag_adds_to_the_configured_registries() {
    let dir = tempdir();
    write(
        dir.path(),
        "Dockerfile",
        "FROM registry.example.com/base:1.0\nUSER app\n",
    );
    let base = ["dockerfile", "Dockerfile", "--format", "json"];
    let untrusted = |run: &Run| run.active_rules().contains(&"DF004".to_string());
    assert!(
        !untrusted(&plimsoll_in(dir.path(), &base)),
        "DF004 needs a trusted list"
    );
    let other = plimsoll_in(
        dir.path(),
        &[&base[..], &["--trusted-registry", "ghcr.io"]].concat(),
    );
    assert!(untrusted(&other), "{}", other.stdout);
    let trusted = plimsoll_in(
        dir.path(),
        &[
            &base[..],
            &[
                "--trusted-registry",
                "ghcr.io",
                "--trusted-registry",
                "registry.example.com",
            ],
        ]
        .concat(),
    );
    assert!(!untrusted(&trusted), "{}", trusted.stdout);

    // It adds to the configuration's list rather than replacing it.
    write(
        dir.path(),
        ".plimsoll.toml",
        "[images]\ntrusted-registries = [\"registry.example.com\"]\n",
    );
    let both = plimsoll_in(
        dir.path(),
        &[&base[..], &["--trusted-registry", "ghcr.io"]].concat(),
    );
    assert!(!untrusted(&both), "{}", both.stdout);
}

/// `bench --severity` with the docker-bench layouts (which list checks, not findings) was
/// silently ignored; it is refused before anything is collected, with a hint.
#[test]
fn bench_severity_is_refused_where_the_format_lists_checks() {
    let dir = tempdir();
    for format in ["human", "docker-bench-json"] {
        let run = plimsoll_in(
            dir.path(),
            &["bench", "--format", format, "--severity", "high"],
        );
        assert_eq!(run.code, 2, "{format}: {}", run.stderr);
        assert!(
            run.stderr.contains("--severity filters findings"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("--format json"), "{}", run.stderr);
    }
}
