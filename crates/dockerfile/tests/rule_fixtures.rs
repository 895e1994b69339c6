//! Rule fixtures: every Dockerfile rule (B1's DF001–DF025 and B2's DF030+) must have a folder
//! `tests/fixtures/rules/<ID>/` with at least one `fires*.Dockerfile`, which must yield a
//! finding of that rule, and at least one `passes*.Dockerfile`, which must yield none of it
//! (other rules may fire). Each rule's documented `bad` and `good` examples are checked the
//! same way, so `plimsoll rules explain` never shows an example that lies.
//!
//! The human-rendered findings of each rule on its `fires*` fixtures are snapshotted
//! (`snapshots/rule_fixtures__<ID>.snap`), so every message, span and fix text is reviewed
//! when it changes.
//!
//! The walk and the verdicts are `plimsoll_testkit::rule_fixtures`' (shared with the RunSpec
//! rules' fixtures); a fixture can set the image policy with comment lines in `.plimsoll.toml`
//! syntax: `# with [images] trusted-registries = ["registry.example.com"]` (several such lines
//! are joined). The same syntax works in a rule's documented examples.

use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, Registry};
use plimsoll_dockerfile::{parse, rules};
use plimsoll_testkit::rule_fixtures::{policy_of, Family};
use std::fs;
use std::path::{Path, PathBuf};

/// Parses and audits one Dockerfile text.
fn audit(_kind: &str, path: &str, text: &str) -> Result<Vec<Finding>, String> {
    let policy = policy_of(text)?;
    let file = parse(path, text.as_bytes()).map_err(|e| format!("parse error: {e:?}"))?;
    Ok(rules::audit(&file, &policy))
}

fn family() -> Family<'static> {
    Family {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules"),
        kinds: &[".Dockerfile"],
        needs: "fires*.Dockerfile and passes*.Dockerfile",
        audit: &audit,
    }
}

#[test]
fn every_rule_has_fixtures_that_fire_and_pass() {
    family().check_fixtures(rules::metas().iter().map(|m| m.id));
}

#[test]
fn documented_examples_fire_and_pass() {
    family().check_documented_examples(rules::metas(), ".Dockerfile", "Dockerfile");
}

#[test]
fn rule_output_snapshots() {
    let metas = rules::metas();
    let registry = Registry::new(&[&metas]);
    let family = family();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(true);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for meta in &metas {
            let Some(report) = family.fires_report(meta, &|_| "dockerfile") else {
                continue;
            };
            let rendered = plimsoll_report::human::render(&report, &registry, false);
            insta::assert_snapshot!(meta.id, rendered);
        }
    });
}

/// `$PLIMSOLL_CORPORA/real-dockerfiles`, or `None` (with a loud message) when absent.
fn real_corpus() -> Option<PathBuf> {
    plimsoll_testkit::corpora::locate("real-dockerfiles")
}

/// Every rule runs on 601 real Dockerfiles without panicking, every finding points inside its
/// file, and the per-rule counts are printed (run with `--nocapture`) for comparison with the
/// peers' baselines in research/dockerfile.md.
#[test]
fn rules_run_on_the_real_corpus() {
    let Some(dir) = real_corpus() else { return };
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "tsv"))
        .collect();
    files.sort();
    let mut counts: std::collections::BTreeMap<&'static str, (usize, usize)> =
        std::collections::BTreeMap::new();
    let mut audited = 0;
    let mut problems = Vec::new();
    for path in &files {
        let Ok(bytes) = fs::read(path) else { continue };
        let shown = path.display().to_string();
        let Ok(file) = parse(&shown, &bytes) else {
            continue;
        };
        audited += 1;
        let findings = rules::audit(&file, &ImagePolicy::default());
        let lines = file.source.split('\n').count() as u32;
        let mut seen: std::collections::BTreeSet<&'static str> = Default::default();
        for f in &findings {
            if let Ok(want) = std::env::var("PLIMSOLL_DUMP_RULE") {
                if want == f.rule_id {
                    eprintln!("DUMP {}:{:?} {}", shown, f.line(), f.message);
                }
            }
            let entry = counts.entry(f.rule_id).or_default();
            entry.0 += 1;
            if seen.insert(f.rule_id) {
                entry.1 += 1;
            }
            if let Some(span) = f.location.span {
                if span.start.line == 0 || span.start.line > lines || span.end.line > lines {
                    problems.push(format!(
                        "{shown}: {} span {span:?} outside the file",
                        f.rule_id
                    ));
                }
            }
        }
    }
    eprintln!(
        "audited {audited} of {} real Dockerfiles; findings (files) per rule:",
        files.len()
    );
    for (id, (n, in_files)) in &counts {
        eprintln!("  {id}: {n} ({in_files} files)");
    }
    assert!(audited > 0, "no real Dockerfile parsed");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
