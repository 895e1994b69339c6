//! PB rule fixtures. Every PB rule has a folder `tests/fixtures/<ID>/` with at least one
//! `fires-*` and one `passes-*` fixture; a `fires` fixture must yield a finding of that rule,
//! a `passes` one none of it (other rules may fire).
//!
//! A fixture is a recorded tree plus changes: its `BASE` file names a tree under
//! `tests/fixtures/trees/` (recorded by `record.sh` from a real container with the probe's
//! `--record`), every other file in the fixture replaces or adds that file of the tree, and an
//! `experiments.json` replaces the experiments' results recorded in the tree's `probe.json`.
//! A `NOTE` says why a fixture was edited rather than recorded (what this host cannot run).
//!
//! The findings of each rule on its `fires` fixtures are snapshotted
//! (`snapshots/rule_fixtures__<ID>.snap`), so every message, evidence and fix is reviewed.

use plimsoll_core::{Finding, RuleStatus, Stage};
use plimsoll_probe::evidence::Evidence;
use plimsoll_probe::experiments::Experiment;
use plimsoll_probe::facts::Facts;
use plimsoll_probe::root::Root;
use plimsoll_probe::rules;
use plimsoll_testkit::fixtures::judge_fixture;
use std::fs;
use std::path::{Path, PathBuf};

/// Files of a fixture folder that are not part of the tree.
const NOT_TREE: [&str; 3] = ["BASE", "NOTE", "experiments.json"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path, skip_top: &[&str]) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if skip_top.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            copy_tree(&entry.path(), &target, &[])?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The evidence a fixture folder describes (its tree laid out in a temporary directory).
fn evidence(fixture: &Path) -> Result<Evidence, String> {
    let base =
        fs::read_to_string(fixture.join("BASE")).map_err(|e| format!("no BASE file: {e}"))?;
    let tree = fixtures_dir().join("trees").join(base.trim());
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_tree(&tree, dir.path(), &["probe.json"])?;
    copy_tree(fixture, dir.path(), &NOT_TREE)?;
    let experiments: Vec<Experiment> = match fs::read_to_string(fixture.join("experiments.json")) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("experiments.json: {e}"))?,
        Err(_) => {
            let text = fs::read_to_string(tree.join("probe.json"))
                .map_err(|e| format!("{}/probe.json: {e}", tree.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("probe.json: {e}"))?;
            serde_json::from_value(value["experiments"].clone())
                .map_err(|e| format!("probe.json experiments: {e}"))?
        }
    };
    let facts = Facts::collect(&Root::new(dir.path()));
    Ok(Evidence {
        target: "container:fixture".to_string(),
        facts,
        experiments,
    })
}

/// A rule's fixtures: `(fires, path)`, sorted by name.
fn fixtures(id: &str) -> Option<Vec<(bool, PathBuf)>> {
    let entries = fs::read_dir(fixtures_dir().join(id)).ok()?;
    let mut out: Vec<(bool, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with("fires") {
                Some((true, e.path()))
            } else if name.starts_with("passes") {
                Some((false, e.path()))
            } else {
                None
            }
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Some(out)
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn render(fixture: &str, findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{fixture}: {} [{}] {}\n  evidence: {}\n  fix: {}\n",
                f.rule_id,
                f.severity,
                f.message,
                f.evidence.as_deref().unwrap_or("-"),
                f.fix
            )
        })
        .collect()
}

#[test]
fn every_rule_has_fixtures_that_fire_and_pass() {
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    for meta in rules::metas() {
        let id = meta.id;
        let Some(list) = fixtures(id) else {
            problems.push(format!("{id}: no fixture folder tests/fixtures/{id}/"));
            continue;
        };
        for fires in [true, false] {
            if !list.iter().any(|(f, _)| *f == fires) {
                let which = if fires { "fires" } else { "passes" };
                problems.push(format!("{id}: no {which}-* fixture"));
            }
        }
        let mut shown = String::new();
        for (must_fire, path) in &list {
            let fixture = format!("{id}/{}", name_of(path));
            let audited = evidence(path).map(|ev| rules::audit(&ev));
            if let Ok(findings) = &audited {
                if *must_fire {
                    let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == id).collect();
                    shown.push_str(&render(&name_of(path), &mine));
                }
            }
            if let Some(problem) = judge_fixture(&fixture, id, *must_fire, audited) {
                problems.push(problem);
            }
        }
        snapshots.push((id, shown));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (id, shown) in snapshots {
        insta::assert_snapshot!(id, shown);
    }
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let ids: Vec<&str> = rules::metas().iter().map(|m| m.id).collect();
    let mut strays = Vec::new();
    for entry in fs::read_dir(fixtures_dir()).into_iter().flatten().flatten() {
        let name = name_of(&entry.path());
        if entry.path().is_dir() && name != "trees" && !ids.contains(&name.as_str()) {
            strays.push(name);
        }
    }
    assert!(
        strays.is_empty(),
        "fixture folders without a rule: {strays:?}"
    );
}

#[test]
fn a_hardened_container_fires_no_rule() {
    let dir = fixtures_dir().join("PB005/passes-hardened");
    let ev = evidence(&dir).unwrap_or_else(|e| panic!("{e}"));
    let findings = rules::audit(&ev);
    let ids: Vec<&str> = findings.iter().map(|f| f.rule_id).collect();
    assert!(ids.is_empty(), "hardened container: {ids:?}");
}

#[test]
fn every_rule_is_an_experimental_inside_rule_with_both_fixes() {
    let metas = rules::metas();
    let ids: Vec<String> = metas.iter().map(|m| m.id.to_string()).collect();
    let expected: Vec<String> = (1..=metas.len()).map(|n| format!("PB{n:03}")).collect();
    assert_eq!(
        ids, expected,
        "PB rules are numbered in order, without gaps"
    );
    for m in metas {
        assert_eq!(m.stage, Stage::Inside, "{}", m.id);
        assert_eq!(m.status, RuleStatus::Experimental, "{}", m.id);
        assert_eq!(m.since, "0.1.0", "{}", m.id);
        let docs = [m.docs.what, m.docs.why, m.docs.fix, m.docs.bad, m.docs.good];
        assert!(
            docs.iter().all(|d| !d.trim().is_empty()),
            "{}: empty docs",
            m.id
        );
        assert!(
            m.docs.fix.contains("`--"),
            "{}: fix names no docker run flag",
            m.id
        );
        assert!(
            m.docs.fix.contains("compose:"),
            "{}: fix names no compose key",
            m.id
        );
        assert!(m.help_uri().is_some(), "{}: no reference link", m.id);
        assert!(
            m.docs.what.contains("Configuration counterpart"),
            "{}: no configuration counterpart named",
            m.id
        );
    }
    for (pb, rs) in rules::COUNTERPARTS {
        let meta = rules::metas()
            .into_iter()
            .find(|m| m.id == *pb)
            .unwrap_or_else(|| panic!("{pb} is not a rule"));
        for id in *rs {
            assert!(meta.docs.what.contains(id), "{pb}'s docs do not name {id}");
        }
    }
}

#[test]
fn secret_values_never_reach_the_report() {
    let dir = fixtures_dir().join("PB017/fires-secret-env");
    let ev = evidence(&dir).unwrap_or_else(|e| panic!("{e}"));
    let findings = rules::audit(&ev);
    let json = serde_json::to_string(&(ev, findings)).unwrap_or_default();
    assert!(json.contains("DB_PASSWORD"));
    assert!(
        !json.contains("fixture-not-a-secret"),
        "a secret value leaked"
    );
}

#[test]
fn garbage_and_missing_files_are_unknowns_not_panics() {
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let facts = Facts::collect(&Root::new(empty.path()));
    assert!(facts.errors.iter().any(|e| e.contains("/proc/self/status")));
    assert_eq!(facts.capabilities.full, None);
    let junk = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = fixtures_dir().join("trees/default");
    copy_tree(&src, junk.path(), &["probe.json"]).unwrap_or_else(|e| panic!("{e}"));
    overwrite_all(junk.path(), &[0xff, 0x00, b':', b'\n', b'-', b' ', 0xc3]);
    let facts = Facts::collect(&Root::new(junk.path()));
    let ev = Evidence {
        target: "container:junk".to_string(),
        facts,
        experiments: Vec::new(),
    };
    let _ = rules::audit(&ev);
}

fn overwrite_all(dir: &Path, bytes: &[u8]) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            overwrite_all(&entry.path(), bytes);
        } else {
            let _ = fs::write(entry.path(), bytes);
        }
    }
}
