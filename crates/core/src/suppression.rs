//! Inline suppressions: `# plimsoll ignore=DF001,DF004` on the line before an instruction, and
//! the hadolint equivalent `# hadolint ignore=DL3007`, honoured through the rules'
//! cross-reference table. `global ignore=` applies to the whole file. A pragma that suppressed
//! nothing is itself reported (rule PL001), so stale suppressions do not accumulate.
//!
//! Parsing comments is the domain parser's job (it knows where comments are); this module
//! decides what a comment means and applies it to findings.

use crate::finding::Suppressed;
use crate::rule::{References, RuleDocs, RuleMeta, Stage};
use crate::{Finding, Location, Registry, Severity, Span};

/// Which tool's pragma syntax a comment used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaTool {
    Plimsoll,
    Hadolint,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    pub tool: PragmaTool,
    /// Rule ids as written (plimsoll ids/names, or hadolint codes).
    pub ids: Vec<String>,
    /// Where the comment is.
    pub span: Span,
    /// The lines it covers (the next instruction's first..=last line), or `None` for a
    /// `global ignore=` that covers the whole file.
    pub covers: Option<(u32, u32)>,
}

/// Reads a comment's text (without the leading `#`) as a pragma: `plimsoll ignore=A,B`,
/// `plimsoll global ignore=A`, `hadolint ignore=DL3007`. Anything after the id list (a reason)
/// is ignored. Returns the tool, whether it is global, and the ids.
pub fn parse_pragma(comment: &str) -> Option<(PragmaTool, bool, Vec<String>)> {
    let text = comment.trim_start_matches('#').trim();
    let (tool, rest) = if let Some(rest) = strip_prefix_ci(text, "plimsoll") {
        (PragmaTool::Plimsoll, rest)
    } else if let Some(rest) = strip_prefix_ci(text, "hadolint") {
        (PragmaTool::Hadolint, rest)
    } else {
        return None;
    };
    let rest = rest.trim_start().trim_start_matches(':').trim_start();
    let (global, rest) = match strip_prefix_ci(rest, "global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let rest = strip_prefix_ci(rest, "ignore")?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let list = rest.split_whitespace().next().unwrap_or("");
    let ids: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        None
    } else {
        Some((tool, global, ids))
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// PL001: a suppression comment that matched no finding.
pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "PL001",
    name: "unused-suppression",
    title: "Suppression comment matches no finding",
    severity: Severity::Info,
    stage: Stage::Meta,
    docs: RuleDocs {
        what: "A `# plimsoll ignore=…` or `# hadolint ignore=…` comment that suppressed nothing: \
the rule it names did not fire on the instruction that follows (or, for `global ignore=`, \
anywhere in the file). hadolint ids with no plimsoll equivalent are reported too.",
        why: "Stale suppressions hide future regressions: when someone later re-introduces the \
problem on that line, the old comment silences it without anyone deciding to accept it again.",
        fix: "Delete the id from the comment, or the whole comment when no id is left.",
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

/// Marks findings in `path` covered by `pragmas` as suppressed and returns PL001/PL002 findings
/// for pragmas (or ids within them) that matched nothing or are unknown.
pub fn apply_inline(
    path: &str,
    findings: &mut [Finding],
    pragmas: &[Pragma],
    registry: &Registry,
) -> Vec<Finding> {
    let mut extra = Vec::new();
    for pragma in pragmas {
        for id in &pragma.ids {
            let targets: Vec<&'static str> = match pragma.tool {
                PragmaTool::Plimsoll => registry.get(id).map(|r| vec![r.id]).unwrap_or_default(),
                PragmaTool::Hadolint => registry
                    .by_foreign_id("hadolint", id)
                    .into_iter()
                    .map(|r| r.id)
                    .collect(),
            };
            if targets.is_empty() && pragma.tool == PragmaTool::Plimsoll {
                extra.push(
                    Finding::new(
                        &UNKNOWN_SUPPRESSION,
                        Location::with_span(path, pragma.span),
                        format!("`{id}` is not a plimsoll rule id or name"),
                    )
                    .evidence(id.clone())
                    .build(),
                );
                continue;
            }
            let mut used = false;
            for finding in findings.iter_mut() {
                if finding.location.path != path || !targets.contains(&finding.rule_id) {
                    continue;
                }
                let covered = match (pragma.covers, finding.line()) {
                    (None, _) => true,
                    (Some((first, last)), Some(line)) => line >= first && line <= last,
                    (Some(_), None) => false,
                };
                if covered {
                    used = true;
                    if finding.suppressed.is_none() {
                        finding.suppressed = Some(Suppressed::Inline {
                            line: pragma.span.start.line,
                        });
                    }
                }
            }
            if !used {
                let what = match pragma.tool {
                    PragmaTool::Plimsoll => format!("`ignore={id}` suppressed nothing"),
                    PragmaTool::Hadolint if targets.is_empty() => format!(
                        "hadolint `ignore={id}` suppressed nothing (plimsoll has no rule equivalent to {id})"
                    ),
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
                        Location::with_span(path, pragma.span),
                        format!("{what}{scope}"),
                    )
                    .evidence(id.clone())
                    .build(),
                );
            }
        }
    }
    extra
}

/// A baseline: fingerprints of accepted findings (`plimsoll baseline` writes it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding; rule and path are kept for humans reading the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    #[serde(default)]
    pub message: String,
}

impl Baseline {
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .into_iter()
            .filter(|f| !f.is_suppressed())
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule_id.to_string(),
                path: f.location.path.clone(),
                message: f.message.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: 1,
            findings: entries,
        }
    }

    /// Marks findings whose fingerprint is in the baseline as suppressed.
    pub fn apply(&self, findings: &mut [Finding]) {
        let known: std::collections::HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        for f in findings.iter_mut() {
            if f.suppressed.is_none() && known.contains(f.fingerprint.as_str()) {
                f.suppressed = Some(Suppressed::Baseline);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pragmas() {
        assert_eq!(
            parse_pragma("# plimsoll ignore=DF001,DF004"),
            Some((
                PragmaTool::Plimsoll,
                false,
                vec!["DF001".into(), "DF004".into()]
            ))
        );
        assert_eq!(
            parse_pragma("#hadolint ignore=DL3007 because we pin elsewhere"),
            Some((PragmaTool::Hadolint, false, vec!["DL3007".into()]))
        );
        assert_eq!(
            parse_pragma("# plimsoll global ignore=DF010"),
            Some((PragmaTool::Plimsoll, true, vec!["DF010".into()]))
        );
        assert_eq!(parse_pragma("# just a comment"), None);
        assert_eq!(parse_pragma("# plimsoll ignore="), None);
    }
}
