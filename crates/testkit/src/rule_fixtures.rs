//! The rule-fixture harness every rule family's tests share (Dockerfile, RunSpec, …): each rule
//! has a folder `tests/fixtures/rules/<ID>/` with `fires*` files, which must yield a finding
//! of that rule, and `passes*` files, which must yield none of it (other rules may fire), for
//! every fixture kind its family has (`.Dockerfile`; `.compose.yaml` and `.run`). Each rule's
//! documented `bad` and `good` examples are judged the same way, so `plimsoll rules explain`
//! never shows an example that lies, and the findings on its `fires*` fixtures are rendered
//! for a snapshot.
//!
//! A family's test names its folder, its fixture kinds and how one text is audited; the walk,
//! the verdicts and the wording of failures are here, once. A fixture (or a documented example)
//! can set the image policy with comment lines in `.plimsoll.toml` syntax:
//! `# with [images] trusted-registries = ["registry.example.com"]` ([`policy_of`]).

use crate::fixtures::judge_fixture;
use plimsoll_core::config::{Config, ImagePolicy};
use plimsoll_core::{Finding, Report, RuleMeta, Target};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The comment prefix of a fixture's image-policy lines.
pub const POLICY_PREFIX: &str = "# with [images]";

/// The `[images]` policy a fixture asks for (default policy when it asks for none).
pub fn policy_of(text: &str) -> Result<ImagePolicy, String> {
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

/// Audits one fixture text: `(kind, shown path, text)` → findings, or why it could not be
/// audited. `kind` is one of the family's [`Family::kinds`].
pub type AuditFn<'a> = &'a dyn Fn(&str, &str, &str) -> Result<Vec<Finding>, String>;

/// One rule family's fixtures.
pub struct Family<'a> {
    /// The folder holding one `<ID>/` folder per rule.
    pub root: PathBuf,
    /// The fixture kinds, by file name suffix (`.Dockerfile`): every rule needs a `fires*`
    /// and a `passes*` file of each.
    pub kinds: &'a [&'a str],
    /// What a missing folder must hold, for the failure message.
    pub needs: &'a str,
    pub audit: AuditFn<'a>,
}

/// One fixture file of a rule.
#[derive(Debug, Clone)]
pub struct Fixture<'a> {
    /// Its kind (one of [`Family::kinds`]).
    pub kind: &'a str,
    /// A `fires*` fixture (else `passes*`).
    pub fires: bool,
    pub path: PathBuf,
}

/// The path shown in findings and snapshots: `<ID>/<file>`.
pub fn display_path(id: &str, path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{id}/{name}")
}

impl<'a> Family<'a> {
    /// A rule's fixtures, sorted by path; `None` when it has no folder.
    pub fn fixtures(&self, id: &str) -> Option<Vec<Fixture<'a>>> {
        let entries = fs::read_dir(self.root.join(id)).ok()?;
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let Some(kind) = self.kinds.iter().copied().find(|k| name.ends_with(k)) else {
                continue;
            };
            let fires = if name.starts_with("fires") {
                true
            } else if name.starts_with("passes") {
                false
            } else {
                continue;
            };
            out.push(Fixture {
                kind,
                fires,
                path: entry.path(),
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Some(out)
    }

    /// Judges every fixture of every rule in `ids`; panics listing every problem.
    pub fn check_fixtures<'i>(&self, ids: impl IntoIterator<Item = &'i str>) {
        let mut problems: Vec<String> = Vec::new();
        let mut checked = 0;
        for id in ids {
            let Some(list) = self.fixtures(id) else {
                problems.push(format!(
                    "{id}: no fixture folder tests/fixtures/rules/{id}/ (needs {})",
                    self.needs
                ));
                continue;
            };
            for kind in self.kinds {
                for fires in [true, false] {
                    if !list.iter().any(|f| f.kind == *kind && f.fires == fires) {
                        let which = if fires { "fires" } else { "passes" };
                        problems.push(format!("{id}: no {which}*{kind}"));
                    }
                }
            }
            for fixture in &list {
                let shown = display_path(id, &fixture.path);
                let text = match fs::read_to_string(&fixture.path) {
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
                    fixture.fires,
                    (self.audit)(fixture.kind, &shown, &text),
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

    /// Judges every rule's documented `bad` (must fire) and `good` (must not) example, audited
    /// as a fixture of `kind` at `path`; panics listing every disagreement.
    pub fn check_documented_examples<'m>(
        &self,
        metas: impl IntoIterator<Item = &'m RuleMeta>,
        kind: &str,
        path: &str,
    ) {
        let mut problems: Vec<String> = Vec::new();
        for meta in metas {
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
                    (self.audit)(kind, path, text),
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

    /// The report of one rule's findings on its `fires*` fixtures (each fixture a target of
    /// `target_kind(kind)`, sorted as reports are), for a snapshot of how the rule words and
    /// places them; `None` when the rule has no `fires*` fixture.
    pub fn fires_report(
        &self,
        meta: &RuleMeta,
        target_kind: &dyn Fn(&str) -> &'static str,
    ) -> Option<Report> {
        let list = self.fixtures(meta.id)?;
        if !list.iter().any(|f| f.fires) {
            return None;
        }
        let mut report = Report::default();
        for fixture in list.iter().filter(|f| f.fires) {
            let shown = display_path(meta.id, &fixture.path);
            let Ok(text) = fs::read_to_string(&fixture.path) else {
                continue;
            };
            let Ok(findings) = (self.audit)(fixture.kind, &shown, &text) else {
                continue;
            };
            report
                .findings
                .extend(findings.into_iter().filter(|f| f.rule_id == meta.id));
            report.targets.push(Target {
                path: shown,
                kind: target_kind(fixture.kind),
                source: Some(Arc::from(text.as_str())),
            });
        }
        report.sort();
        Some(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_policy_lines_of_a_fixture() {
        let policy = policy_of("# with [images] require-digest = false\nFROM x\n");
        assert_eq!(policy.map(|p| p.require_digest), Ok(false));
        assert_eq!(policy_of("FROM x\n"), Ok(ImagePolicy::default()));
        assert!(policy_of("# with [images] nonsense = 1\n").is_err());
    }

    #[test]
    fn shows_fixtures_by_rule_and_file_name() {
        assert_eq!(
            display_path("DF001", Path::new("/x/DF001/fires.Dockerfile")),
            "DF001/fires.Dockerfile"
        );
    }
}
