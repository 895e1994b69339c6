//! What suppression does to findings: inline pragmas ([`crate::pragma`] reads them) mark the
//! findings they cover as suppressed, and a pragma that suppressed nothing is itself reported
//! (rule PL001), so stale suppressions do not accumulate; a baseline accepts recorded findings.

use crate::finding::Suppressed;
pub use crate::pragma::{parse_pragma, Pragma, PragmaTool};
use crate::registry::Retired;
use crate::rule::{References, RuleDocs, RuleMeta, RuleStatus, Stage};
use crate::{Finding, Location, Registry, Severity};

/// PL001: a suppression comment that matched no finding.
pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "PL001",
    name: "unused-suppression",
    title: "Suppression comment matches no finding",
    severity: Severity::Info,
    stage: Stage::Meta,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "A `# plimsoll ignore=…` or `# hadolint ignore=…` comment that suppressed nothing: \
the rule it names did not fire on the instruction that follows (or, for `global ignore=`, \
anywhere in the file). A hadolint id is judged only when it maps to a plimsoll rule: an id \
plimsoll does not implement (`DL3059`, a ShellCheck `SC…` code) is hadolint's business, and its \
pragma is left alone, since deleting it would make hadolint report the line again.",
        why: "Stale suppressions hide future regressions: when someone later re-introduces the \
problem on that line, the old comment silences it without anyone deciding to accept it again.",
        fix: "Delete the id from the comment, or the whole comment when no id is left (for a \
hadolint id, only if hadolint no longer needs it either).",
        bad: "# plimsoll ignore=DF001\nUSER app\n",
        good: "USER app\n",
    },
    references: References {
        links: &["https://docs.astral.sh/ruff/rules/unused-noqa/"],
        ..References::NONE
    },
};

/// PL002: a suppression comment naming an id that does not exist.
pub static UNKNOWN_SUPPRESSION: RuleMeta = RuleMeta {
    id: "PL002",
    name: "unknown-suppression-id",
    title: "Suppression comment names an unknown rule",
    severity: Severity::Low,
    stage: Stage::Meta,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "A `# plimsoll ignore=…` comment that names a rule id or name plimsoll does not \
have (a typo, or a rule from another tool written with the plimsoll prefix).",
        why: "A mistyped id suppresses nothing while looking as if it did: the author believes \
the finding was reviewed and accepted, and reviewers do too.",
        fix: "Use an id listed by `plimsoll rules` (for hadolint codes, write `# hadolint \
ignore=DL…`).",
        bad: "# plimsoll ignore=DF9999\nUSER root\n",
        good: "# plimsoll ignore=DF001\nUSER root\n",
    },
    references: References::NONE,
};

/// Rules owned by core.
pub static RULES: &[&RuleMeta] = &[&UNUSED_SUPPRESSION, &UNKNOWN_SUPPRESSION];

/// The pragmas of one file applied to findings, which may arrive in batches (a script's
/// `docker run` lines, one command at a time, so that no more than one batch is held
/// unsuppressed): whether a pragma was used is remembered across batches, and the PL001/PL002
/// findings come at the end. [`crate::Tail`] runs one per file.
pub struct InlineSuppressor {
    path: String,
    pragmas: Vec<ResolvedPragma>,
}

/// One id of one pragma, resolved to the plimsoll rules it stands for.
struct ResolvedPragma {
    pragma: Pragma,
    id: String,
    targets: Vec<&'static str>,
    /// The retired id it names, when that id has no replacement (it suppresses nothing).
    retired: Option<&'static Retired>,
    used: bool,
}

impl InlineSuppressor {
    pub fn new(path: &str, pragmas: &[Pragma], registry: &Registry) -> Self {
        let pragmas = pragmas
            .iter()
            .flat_map(|pragma| pragma.ids.iter().map(move |id| (pragma, id.as_str())))
            .map(|(pragma, id)| ResolvedPragma {
                pragma: pragma.clone(),
                id: id.to_string(),
                targets: match pragma.tool {
                    PragmaTool::Plimsoll => {
                        registry.get(id).map(|r| vec![r.id]).unwrap_or_default()
                    }
                    PragmaTool::Hadolint => registry
                        .by_foreign_id("hadolint", id)
                        .into_iter()
                        .map(|r| r.id)
                        .collect(),
                },
                retired: match pragma.tool {
                    PragmaTool::Plimsoll => {
                        registry.retired(id).filter(|r| r.replaced_by.is_none())
                    }
                    PragmaTool::Hadolint => None,
                },
                used: false,
            })
            .collect();
        InlineSuppressor {
            path: path.to_string(),
            pragmas,
        }
    }

    /// Marks the findings of this batch that a pragma covers as suppressed.
    pub fn apply(&mut self, findings: &mut [Finding]) {
        for resolved in &mut self.pragmas {
            if resolved.targets.is_empty() {
                continue;
            }
            for finding in findings.iter_mut() {
                if finding.location.path != self.path
                    || !resolved.targets.contains(&finding.rule_id)
                {
                    continue;
                }
                let covered = match (resolved.pragma.covers, finding.line()) {
                    (None, _) => true,
                    (Some((first, last)), Some(line)) => line >= first && line <= last,
                    (Some(_), None) => false,
                };
                if covered {
                    resolved.used = true;
                    if finding.suppressed.is_none() {
                        finding.suppressed = Some(Suppressed::Inline {
                            line: resolved.pragma.span.start.line,
                        });
                    }
                }
            }
        }
    }

    /// PL002 for unknown plimsoll ids, PL001 for ids that suppressed nothing (a retired id
    /// without replacement among them, with the reason it was retired). A hadolint id
    /// with no plimsoll equivalent is neither: plimsoll cannot tell whether hadolint still
    /// needs it, and advising to delete it would make hadolint report the line again.
    pub fn finish(self) -> Vec<Finding> {
        let mut extra = Vec::new();
        for resolved in self.pragmas {
            let ResolvedPragma {
                pragma,
                id,
                targets,
                retired,
                used,
            } = resolved;
            if let Some(retired) = retired {
                extra.push(
                    Finding::new(
                        &UNUSED_SUPPRESSION,
                        Location::with_span(self.path.as_str(), pragma.span),
                        format!(
                            "`ignore={id}` suppressed nothing: {} was retired in {} ({})",
                            retired.id, retired.since, retired.reason
                        ),
                    )
                    .evidence(id)
                    .build(),
                );
                continue;
            }
            if targets.is_empty() {
                if pragma.tool == PragmaTool::Plimsoll {
                    extra.push(
                        Finding::new(
                            &UNKNOWN_SUPPRESSION,
                            Location::with_span(self.path.as_str(), pragma.span),
                            format!("`{id}` is not a plimsoll rule id or name"),
                        )
                        .evidence(id)
                        .build(),
                    );
                }
                continue;
            }
            if used {
                continue;
            }
            let what = match pragma.tool {
                PragmaTool::Plimsoll => format!("`ignore={id}` suppressed nothing"),
                PragmaTool::Hadolint => format!(
                    "hadolint `ignore={id}` suppressed nothing (it maps to {})",
                    targets.join(", ")
                ),
            };
            let scope = if pragma.covers.is_none() {
                " in this file"
            } else {
                " on the next instruction"
            };
            extra.push(
                Finding::new(
                    &UNUSED_SUPPRESSION,
                    Location::with_span(self.path.as_str(), pragma.span),
                    format!("{what}{scope}"),
                )
                .evidence(id)
                .build(),
            );
        }
        extra
    }
}

/// The baseline format this plimsoll writes. Version 2 counts occurrences: an entry accepts
/// `count` copies of its finding, so a second identical `curl … | sh` line is a new finding.
/// Version 1 (no counts) is still read, with each entry accepting any number of copies as it
/// did then.
pub const BASELINE_VERSION: u32 = 2;

/// A baseline: fingerprints of accepted findings and how many times each occurred
/// (`plimsoll baseline` writes it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version: 1 or 2 ([`BASELINE_VERSION`]).
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding; rule, path and message are kept for humans reading the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    #[serde(default)]
    pub message: String,
    /// How many findings with this fingerprint were accepted (version 2; absent in version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// Counts findings per fingerprint as they arrive, for a baseline: memory follows the number
/// of distinct fingerprints, not of findings.
#[derive(Debug, Default)]
pub struct BaselineRecorder {
    entries: std::collections::HashMap<String, BaselineEntry>,
}

impl BaselineRecorder {
    /// Counts one finding (suppressed findings are not recorded: they are accepted already).
    pub fn record(&mut self, finding: &Finding) {
        if finding.is_suppressed() {
            return;
        }
        let entry = self
            .entries
            .entry(finding.fingerprint.clone())
            .or_insert_with(|| BaselineEntry {
                fingerprint: finding.fingerprint.clone(),
                rule: finding.rule_id.to_string(),
                path: finding.location.path.clone(),
                message: finding.message.clone(),
                count: Some(0),
            });
        entry.count = Some(entry.count.unwrap_or(0).saturating_add(1));
    }

    /// Merges another input's counts. One file audited by two inputs (a compose file that two
    /// projects include) is the same findings twice, not twice as many: the larger count wins.
    pub fn merge(&mut self, other: BaselineRecorder) {
        for (fingerprint, entry) in other.entries {
            match self.entries.get_mut(&fingerprint) {
                Some(mine) => mine.count = mine.count.max(entry.count),
                None => {
                    self.entries.insert(fingerprint, entry);
                }
            }
        }
    }

    /// The baseline, entries sorted by path, rule and fingerprint.
    pub fn into_baseline(self) -> Baseline {
        let mut entries: Vec<BaselineEntry> = self.entries.into_values().collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        Baseline {
            version: BASELINE_VERSION,
            findings: entries,
        }
    }
}

/// Applies a baseline to findings in the order they are produced, remembering how many copies
/// of each fingerprint it has accepted: the first `count` copies are suppressed, later ones are
/// new. Findings already marked as baseline-suppressed count as accepted copies, so applying
/// twice changes nothing.
#[derive(Debug)]
pub struct BaselineMatcher<'a> {
    allowed: std::collections::HashMap<&'a str, Option<u32>>,
    accepted: std::collections::HashMap<String, u32>,
}

impl<'a> BaselineMatcher<'a> {
    pub fn new(baseline: &'a Baseline) -> Self {
        let mut allowed: std::collections::HashMap<&'a str, Option<u32>> =
            std::collections::HashMap::new();
        for entry in &baseline.findings {
            // Version 1 recorded no counts: any number of copies, as that version meant.
            let count = match baseline.version {
                1 => None,
                _ => Some(entry.count.unwrap_or(1)),
            };
            let slot = allowed.entry(entry.fingerprint.as_str()).or_insert(Some(0));
            *slot = match (*slot, count) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                _ => None,
            };
        }
        BaselineMatcher {
            allowed,
            accepted: std::collections::HashMap::new(),
        }
    }

    /// Suppresses `finding` when the baseline still accepts a copy of it.
    pub fn apply(&mut self, finding: &mut Finding) {
        let already = matches!(finding.suppressed, Some(Suppressed::Baseline));
        if finding.suppressed.is_some() && !already {
            return;
        }
        let Some(&limit) = self.allowed.get(finding.fingerprint.as_str()) else {
            return;
        };
        let accepted = self
            .accepted
            .entry(finding.fingerprint.clone())
            .or_insert(0);
        if already || limit.is_none_or(|limit| *accepted < limit) {
            *accepted += 1;
            finding.suppressed = Some(Suppressed::Baseline);
        }
    }
}

impl Baseline {
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let mut recorder = BaselineRecorder::default();
        for finding in findings {
            recorder.record(finding);
        }
        recorder.into_baseline()
    }

    /// Marks findings the baseline accepts as suppressed: for each fingerprint, as many copies
    /// as it recorded, in the order given (the report's order: by file, then line), so the
    /// copies beyond the count — the new ones — stay active. Copies already marked (by the
    /// audit, which applies the baseline as findings are produced) are counted first, whatever
    /// their place, so applying again never hides a copy the audit found new.
    pub fn apply(&self, findings: &mut [Finding]) {
        let mut matcher = BaselineMatcher::new(self);
        for f in findings.iter_mut() {
            if matches!(f.suppressed, Some(Suppressed::Baseline)) {
                matcher.apply(f);
            }
        }
        for f in findings.iter_mut() {
            if f.suppressed.is_none() {
                matcher.apply(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    #[test]
    fn pragmas_naming_retired_ids_follow_them_or_say_why_they_are_gone() {
        static RETIRED: &[Retired] = &[
            Retired {
                id: "PL900",
                replaced_by: Some("PL002"),
                reason: "renamed",
                since: "0.2.0",
            },
            Retired {
                id: "PL901",
                replaced_by: None,
                reason: "no longer useful",
                since: "0.2.0",
            },
        ];
        let registry = Registry::with_retired(&[RULES], RETIRED);
        let pragmas = crate::pragma::comment_pragmas(
            "# plimsoll ignore=PL900\nx\n# plimsoll ignore=PL901\ny\n",
            crate::pragma::Style::Shell,
        );
        let mut suppressor = InlineSuppressor::new("Dockerfile", &pragmas, &registry);
        let mut findings = vec![copy_of(2)];
        suppressor.apply(&mut findings);
        assert!(findings[0].is_suppressed(), "PL900 now means PL002");
        let about = suppressor.finish();
        assert_eq!(about.len(), 1, "{about:#?}");
        assert_eq!(about[0].rule_id, "PL001");
        assert!(
            about[0]
                .message
                .contains("PL901 was retired in 0.2.0 (no longer useful)"),
            "{}",
            about[0].message
        );
    }

    fn copy_of(line: u32) -> Finding {
        let at = Span::new(crate::Pos::new(line, 1), crate::Pos::new(line, 10));
        Finding::new(
            &UNKNOWN_SUPPRESSION,
            Location::with_span("Dockerfile", at),
            "the same finding",
        )
        .key("same key on every line")
        .build()
    }

    fn active(findings: &[Finding]) -> usize {
        findings.iter().filter(|f| !f.is_suppressed()).count()
    }

    #[test]
    fn baseline_counts_copies_so_a_new_copy_is_new() {
        let accepted = Baseline::from_findings(&[copy_of(3)]);
        assert_eq!(accepted.version, BASELINE_VERSION);
        assert_eq!(accepted.findings[0].count, Some(1));
        let mut today = vec![copy_of(3), copy_of(4)];
        accepted.apply(&mut today);
        assert_eq!(active(&today), 1, "the second copy is new");
        assert!(today[0].is_suppressed() && !today[1].is_suppressed());
        // Applying again (the binary applies after the audit too) changes nothing, even in
        // another order.
        today.reverse();
        accepted.apply(&mut today);
        assert_eq!(active(&today), 1);
        assert!(!today[0].is_suppressed(), "still the copy on line 4");
        let mut again = vec![copy_of(3), copy_of(4)];
        Baseline::from_findings(&[copy_of(3), copy_of(4)]).apply(&mut again);
        assert_eq!(active(&again), 0, "two recorded copies accept two");
    }

    #[test]
    fn version_1_baselines_still_accept_every_copy() {
        let v1: Baseline = serde_json::from_str(&format!(
            r#"{{"version": 1, "findings": [{{"fingerprint": "{}", "rule": "PL002", "path": "Dockerfile"}}]}}"#,
            copy_of(1).fingerprint
        ))
        .unwrap();
        let mut today = vec![copy_of(3), copy_of(4), copy_of(5)];
        v1.apply(&mut today);
        assert_eq!(active(&today), 0);
    }
}
