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
//! The walk and the verdicts are `plimsoll_testkit::rule_fixtures`' (shared with the
//! Dockerfile rules' fixtures); a fixture can set the image policy with comment lines in
//! `.plimsoll.toml` syntax: `# with [images] require-digest = false` (several such lines are
//! joined).

use plimsoll_core::{Finding, Registry};
use plimsoll_runspec::rules::{self, Context};
use plimsoll_runspec::scripts::{self, ScriptKind};
use plimsoll_runspec::{compose, RunSpec};
use plimsoll_testkit::rule_fixtures::{policy_of, Family};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const COMPOSE: &str = ".compose.yaml";
const RUN: &str = ".run";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The report target kind of a fixture kind.
fn target_kind(kind: &str) -> &'static str {
    if kind == COMPOSE {
        "compose"
    } else {
        "script"
    }
}

/// The RunSpecs a fixture describes: every service of a compose file, the commands of a
/// `.run` script.
fn specs(kind: &str, path: &str, text: &str) -> Result<Vec<RunSpec>, String> {
    if kind == COMPOSE {
        let project = compose::load_str(path, text, &BTreeMap::new())
            .map_err(|e| format!("compose load error: {e}"))?;
        if project.services.is_empty() {
            return Err("no service".to_string());
        }
        return Ok(project.services);
    }
    let mut out = Vec::new();
    for run in scripts::find_runs(path, text, ScriptKind::Shell) {
        out.push(run.map_err(|e| format!("docker run parse error: {e}"))?);
    }
    if out.is_empty() {
        return Err("no `docker run` command found".to_string());
    }
    Ok(out)
}

/// Loads one fixture text and runs every rule on every RunSpec in it.
fn audit(kind: &str, path: &str, text: &str) -> Result<Vec<Finding>, String> {
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

fn family() -> Family<'static> {
    Family {
        root: fixtures_dir().join("rules"),
        kinds: &[COMPOSE, RUN],
        needs: "fires*.compose.yaml, passes*.compose.yaml, fires*.run and passes*.run",
        audit: &audit,
    }
}

/// The rules fixtures can show. Runtime-only rules judge what a live container does (its
/// processes, health, restarts): no compose file or command line can show that. Their fixtures
/// are `docker inspect` + `top` captures in crates/engine/tests (runtime_rules.rs), with their
/// own snapshots.
fn static_rules() -> Vec<&'static plimsoll_core::RuleMeta> {
    rules::metas()
        .into_iter()
        .filter(|m| !rules::runtime::is_runtime_only(m.id))
        .collect()
}

#[test]
fn every_rule_has_fixtures_that_fire_and_pass() {
    family().check_fixtures(static_rules().iter().map(|m| m.id));
}

#[test]
fn documented_examples_fire_and_pass() {
    family().check_documented_examples(static_rules(), COMPOSE, "compose.yaml");
}

#[test]
fn hardened_fixtures_fire_no_rule() {
    for (kind, name) in [(COMPOSE, "hardened.compose.yaml"), (RUN, "hardened.run")] {
        let path = fixtures_dir().join(name);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let findings = audit(kind, name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let listed: Vec<String> = findings
            .iter()
            .map(|f| format!("    {} line {:?}: {}", f.rule_id, f.line(), f.message))
            .collect();
        assert!(
            findings.is_empty(),
            "{name}: {} finding(s) on a hardened fixture:\n{}",
            findings.len(),
            listed.join("\n")
        );
        let count = specs(kind, name, &text).map(|s| s.len()).unwrap_or(0);
        assert!(count >= 1, "{name}: nothing audited");
    }
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
            let Some(report) = family.fires_report(meta, &target_kind) else {
                continue;
            };
            let rendered = plimsoll_report::human::render(&report, &registry, false);
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
