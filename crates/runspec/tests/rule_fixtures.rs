//! Rule fixtures: every RunSpec rule (RS001–) must have a folder `tests/fixtures/rules/<ID>/`
//! with at least one of each of `fires*.compose.yaml`, `passes*.compose.yaml`, `fires*.run`
//! and `passes*.run`. A `fires` fixture must yield a finding of that rule, a `passes` one
//! none of it (other rules may fire). Compose fixtures go through the real loader
//! (`compose::load_str`: interpolation, merging, mapping) and `.run` fixtures through the
//! script scanner (`scripts::find_runs`, shell syntax, `\`-continued lines), so one rule
//! implementation is checked against both sources. Each rule's documented `bad` and `good`
//! examples (compose snippets) are checked the same way, so `plimsoll rules explain` never
//! shows an example that lies.
//!
//! `tests/fixtures/hardened.compose.yaml` and `tests/fixtures/hardened.run` are a fully
//! hardened project and command: no RS rule may fire on them.
//!
//! The human-rendered findings of each rule on its `fires*` fixtures are snapshotted
//! (`snapshots/rule_fixtures__<ID>.snap`), so every message, span and fix text is reviewed
//! when it changes.
//!
//! A fixture can set the image policy with comment lines in `.plimsoll.toml` syntax:
//! `# with [images] require-digest = false` (several such lines are joined).

use plimsoll_core::config::{Config, ImagePolicy};
use plimsoll_testkit::fixtures::judge_fixture;
use plimsoll_core::{Finding, Registry, Report, RuleMeta, Target};
use plimsoll_runspec::rules::{self, Context};
use plimsoll_runspec::scripts::{self, ScriptKind};
use plimsoll_runspec::{compose, RunSpec};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const POLICY_PREFIX: &str = "# with [images]";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The two kinds of fixture, by file name suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Compose,
    Run,
}

impl Kind {
    const ALL: [Kind; 2] = [Kind::Compose, Kind::Run];

    fn suffix(self) -> &'static str {
        match self {
            Kind::Compose => ".compose.yaml",
            Kind::Run => ".run",
        }
    }

    fn of(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| name.ends_with(k.suffix()))
    }

    /// The report target kind.
    fn target(self) -> &'static str {
        match self {
            Kind::Compose => "compose",
            Kind::Run => "script",
        }
    }
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

/// The RunSpecs a fixture describes: every service of a compose file, the commands of a
/// `.run` script.
fn specs(kind: Kind, path: &str, text: &str) -> Result<Vec<RunSpec>, String> {
    match kind {
        Kind::Compose => {
            let project = compose::load_str(path, text, &BTreeMap::new())
                .map_err(|e| format!("compose load error: {e}"))?;
            if project.services.is_empty() {
                return Err("no service".to_string());
            }
            Ok(project.services)
        }
        Kind::Run => {
            let mut out = Vec::new();
            for run in scripts::find_runs(path, text, ScriptKind::Shell) {
                out.push(run.map_err(|e| format!("docker run parse error: {e}"))?);
            }
            if out.is_empty() {
                return Err("no `docker run` command found".to_string());
            }
            Ok(out)
        }
    }
}

/// Loads one fixture text and runs every rule on every RunSpec in it.
fn audit(kind: Kind, path: &str, text: &str) -> Result<Vec<Finding>, String> {
    let policy = policy_of(text)?;
    let cx = Context::new(&policy);
    let mut out = Vec::new();
    for spec in specs(kind, path, text)? {
        out.extend(rules::audit(&spec, &cx));
    }
    // Every finding must point inside its file.
    let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
    for f in &out {
        if f.location.path != path {
            return Err(format!(
                "{}: finding points at {}",
                f.rule_id, f.location.path
            ));
        }
        if let Some(span) = f.location.span {
            if span.start.line == 0 || span.start.line > lines || span.end.line > lines {
                return Err(format!("{}: span {span:?} outside the file", f.rule_id));
            }
        }
    }
    Ok(out)
}

/// A rule's fixtures: `(kind, fires, path)`, sorted by name.
fn fixtures(id: &str) -> Option<Vec<(Kind, bool, PathBuf)>> {
    let dir = fixtures_dir().join("rules").join(id);
    let entries = fs::read_dir(&dir).ok()?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(kind) = Kind::of(&name) else {
            continue;
        };
        if name.starts_with("fires") {
            out.push((kind, true, entry.path()));
        } else if name.starts_with("passes") {
            out.push((kind, false, entry.path()));
        }
    }
    out.sort_by(|a, b| a.2.cmp(&b.2));
    Some(out)
}

/// The path shown in findings and snapshots: `<ID>/<file>`.
fn display_path(id: &str, path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{id}/{name}")
}

fn describe(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("    {} line {:?}: {}", f.rule_id, f.line(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_has_fixtures_that_fire_and_pass() {
    let mut problems: Vec<String> = Vec::new();
    let mut checked = 0;
    for meta in rules::metas() {
        let id = meta.id;
        // Runtime-only rules judge what a live container does (its processes, health, restarts):
        // no compose file or command line can show that. Their fixtures are `docker inspect` +
        // `top` captures in crates/engine/tests (runtime_rules.rs), with their own snapshots.
        if rules::runtime::is_runtime_only(id) {
            continue;
        }
        let Some(list) = fixtures(id) else {
            problems.push(format!(
                "{id}: no fixture folder tests/fixtures/rules/{id}/ (needs fires*.compose.yaml, \
                 passes*.compose.yaml, fires*.run and passes*.run)"
            ));
            continue;
        };
        for kind in Kind::ALL {
            for fires in [true, false] {
                if !list.iter().any(|(k, f, _)| *k == kind && *f == fires) {
                    let which = if fires { "fires" } else { "passes" };
                    problems.push(format!("{id}: no {which}*{}", kind.suffix()));
                }
            }
        }
        for (kind, must_fire, path) in &list {
            let shown = display_path(id, path);
            let text = match fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(format!("{shown}: unreadable: {e}"));
                    continue;
                }
            };
            checked += 1;
            problems.extend(judge_fixture(
                &shown,
                id,
                *must_fire,
                audit(*kind, &shown, &text),
            ));
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
        // Runtime-only rules judge what a live container does (its processes, health, restarts):
        // no compose file or command line can show that. Their fixtures are `docker inspect` +
        // `top` captures in crates/engine/tests (runtime_rules.rs), with their own snapshots.
        if rules::runtime::is_runtime_only(id) {
            continue;
        }
        for (text, must_fire, which) in [
            (meta.docs.bad, true, "bad"),
            (meta.docs.good, false, "good"),
        ] {
            let shown = format!("{id} docs.{which}");
            problems.extend(judge_fixture(
                &shown,
                id,
                must_fire,
                audit(Kind::Compose, "compose.yaml", text),
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

#[test]
fn hardened_fixtures_fire_no_rule() {
    for (kind, name) in [
        (Kind::Compose, "hardened.compose.yaml"),
        (Kind::Run, "hardened.run"),
    ] {
        let path = fixtures_dir().join(name);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let findings = audit(kind, name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let all: Vec<&Finding> = findings.iter().collect();
        assert!(
            findings.is_empty(),
            "{name}: {} finding(s) on a hardened fixture:\n{}",
            findings.len(),
            describe(&all)
        );
        let count = specs(kind, name, &text).map(|s| s.len()).unwrap_or(0);
        assert!(count >= 1, "{name}: nothing audited");
    }
}

/// Renders one rule's findings on its `fires*` fixtures as the human report does.
fn render_rule(meta: &RuleMeta, registry: &Registry, list: &[(Kind, bool, PathBuf)]) -> String {
    let mut report = Report::default();
    for (kind, fires, path) in list {
        if !fires {
            continue;
        }
        let shown = display_path(meta.id, path);
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        let Ok(findings) = audit(*kind, &shown, &text) else {
            continue;
        };
        report
            .findings
            .extend(findings.into_iter().filter(|f| f.rule_id == meta.id));
        report.targets.push(Target {
            path: shown,
            kind: kind.target(),
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
            let Some(list) = fixtures(meta.id) else {
                continue;
            };
            if !list.iter().any(|(_, fires, _)| *fires) {
                continue;
            }
            let rendered = render_rule(meta, &registry, &list);
            insta::assert_snapshot!(meta.id, rendered);
        }
    });
}

#[test]
fn rule_metadata_is_complete() {
    let mut problems = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for meta in rules::metas() {
        if !meta.id.starts_with("RS") || ids.contains(&meta.id) {
            problems.push(format!("{}: bad or duplicate id", meta.id));
        }
        ids.push(meta.id);
        if meta.stage != plimsoll_core::Stage::Run {
            problems.push(format!("{}: stage is not `run`", meta.id));
        }
        let d = &meta.docs;
        for (field, text) in [
            ("what", d.what),
            ("why", d.why),
            ("fix", d.fix),
            ("bad", d.bad),
            ("good", d.good),
        ] {
            if text.trim().is_empty() {
                problems.push(format!("{}: docs.{field} is empty", meta.id));
            }
        }
        if meta.references.links.is_empty() {
            problems.push(format!("{}: no links", meta.id));
        }
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    if sorted != ids {
        problems.push(format!("rules are not listed in id order: {ids:?}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
