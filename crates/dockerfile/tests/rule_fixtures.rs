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
//! A fixture can set the image policy with comment lines in `.plimsoll.toml` syntax:
//! `# with [images] trusted-registries = ["registry.example.com"]` (several such lines are
//! joined). The same syntax works in a rule's documented examples.

use plimsoll_core::config::{Config, ImagePolicy};
use plimsoll_testkit::fixtures::judge_fixture;
use plimsoll_core::{Finding, Registry, Report, RuleMeta, Target};
use plimsoll_dockerfile::{parse, rules};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const POLICY_PREFIX: &str = "# with [images]";

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// The `[images]` policy a fixture asks for (default policy when it asks for none).
fn policy_of(text: &str) -> Result<ImagePolicy, String> {
    let lines: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(POLICY_PREFIX))
        .map(str::trim)
        .collect();
    if lines.is_empty() {
        return Ok(ImagePolicy::default());
    }
    let toml = format!("[images]\n{}\n", lines.join("\n"));
    Config::parse(&toml, Path::new("fixture.toml"))
        .map(|c| c.images)
        .map_err(|e| format!("bad `{POLICY_PREFIX}` line: {e}"))
}

/// Parses and audits one Dockerfile text.
fn audit(path: &str, text: &str) -> Result<Vec<Finding>, String> {
    let policy = policy_of(text)?;
    let file = parse(path, text.as_bytes()).map_err(|e| format!("parse error: {e:?}"))?;
    Ok(rules::audit(&file, &policy))
}

/// `fires*` and `passes*` Dockerfiles of a rule, sorted by name.
fn fixtures(id: &str) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
    let dir = fixtures_root().join(id);
    let entries = fs::read_dir(&dir).ok()?;
    let mut fires = Vec::new();
    let mut passes = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(".Dockerfile") {
            continue;
        }
        if name.starts_with("fires") {
            fires.push(path);
        } else if name.starts_with("passes") {
            passes.push(path);
        }
    }
    fires.sort();
    passes.sort();
    Some((fires, passes))
}

/// The path shown in findings and snapshots: `<ID>/<file>`.
fn display_path(id: &str, path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{id}/{name}")
}

#[test]
fn every_rule_has_fixtures_that_fire_and_pass() {
    let mut problems: Vec<String> = Vec::new();
    let mut checked = 0;
    for meta in rules::metas() {
        let id = meta.id;
        let Some((fires, passes)) = fixtures(id) else {
            problems.push(format!(
                "{id}: no fixture folder tests/fixtures/rules/{id}/ (needs fires*.Dockerfile and \
                 passes*.Dockerfile)"
            ));
            continue;
        };
        if fires.is_empty() {
            problems.push(format!("{id}: no fires*.Dockerfile"));
        }
        if passes.is_empty() {
            problems.push(format!("{id}: no passes*.Dockerfile"));
        }
        for (path, must_fire) in fires
            .iter()
            .map(|p| (p, true))
            .chain(passes.iter().map(|p| (p, false)))
        {
            let shown = display_path(id, path);
            let text = match fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(format!("{shown}: unreadable: {e}"));
                    continue;
                }
            };
            checked += 1;
            problems.extend(judge_fixture(&shown, id, must_fire, audit(&shown, &text)));
        }
    }
    assert!(
        problems.is_empty(),
        "{} rule fixture problem(s) ({checked} fixtures checked):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn documented_examples_fire_and_pass() {
    let mut problems: Vec<String> = Vec::new();
    for meta in rules::metas() {
        let id = meta.id;
        for (text, must_fire, which) in [
            (meta.docs.bad, true, "bad"),
            (meta.docs.good, false, "good"),
        ] {
            let shown = format!("{id} docs.{which}");
            problems.extend(judge_fixture(
                &shown,
                id,
                must_fire,
                audit("Dockerfile", text),
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} documented example(s) disagree with their rule:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Renders one rule's findings on its `fires*` fixtures as the human report does.
fn render_rule(meta: &RuleMeta, registry: &Registry, fires: &[PathBuf]) -> String {
    let mut report = Report::default();
    for path in fires {
        let shown = display_path(meta.id, path);
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        let Ok(findings) = audit(&shown, &text) else {
            continue;
        };
        report
            .findings
            .extend(findings.into_iter().filter(|f| f.rule_id == meta.id));
        report.targets.push(Target {
            path: shown,
            kind: "dockerfile",
            source: Some(Arc::from(text.as_str())),
        });
    }
    report.sort();
    plimsoll_report::human::render(&report, registry, false)
}

#[test]
fn rule_output_snapshots() {
    let metas = rules::metas();
    let registry = Registry::new(&[&metas]);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(true);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for meta in &metas {
            let Some((fires, _)) = fixtures(meta.id) else {
                continue;
            };
            if fires.is_empty() {
                continue;
            }
            let rendered = render_rule(meta, &registry, &fires);
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
