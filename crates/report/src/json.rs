//! plimsoll's JSON report, schema version 2 (documented in `docs/json-schema.md`, formally in
//! `docs/plimsoll-report.schema.json`).
//!
//! The document is built from dedicated serde structs instead of serialising the core model
//! directly, so the wire format is a stable contract: renaming a field in `plimsoll-core` cannot
//! silently change it, and every field is present in every finding (`null` when unknown), which
//! keeps `jq` filters simple. Any incompatible change bumps [`SCHEMA_VERSION`].
//!
//! All findings are included, suppressed ones too (with `suppressed` set), whatever
//! [`RenderOptions::show_suppressed`] says: machine consumers filter on the field. The
//! `summary` counts only active findings, a folded finding (`folded`: N) as 1 + N.
//!
//! Text taken from the audited input (`message`, `evidence`, `fix`, error messages and hints)
//! is redacted ([`crate::redact`]) like every other format: JSON reports end up in CI
//! artefacts, and a secret must not travel with them.
//!
//! Version 2 (from 1): `references` values are arrays of ids (as in `plimsoll rules --format
//! json`) and may hold `links`; `help_uri` is the rule's first reference link (or `null`)
//! instead of a URL under a project site that does not exist; `summary.audited` counts the
//! targets by kind.

use crate::{redact, RenderOptions, Summary, TOOL_NAME};
use plimsoll_core::{AuditError, Finding, Registry, Report, RuleMeta, Severity, Suppressed};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The JSON report's schema version; bumped on any incompatible change.
pub const SCHEMA_VERSION: &str = "2";

/// The whole document.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub schema_version: &'static str,
    pub tool: Tool,
    pub summary: JsonSummary,
    pub targets: Vec<JsonTarget<'a>>,
    pub findings: JsonFindings<'a>,
    pub errors: Vec<JsonError<'a>>,
    /// Problems that did not stop the audit (same shape as errors).
    pub warnings: Vec<JsonError<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct JsonSummary {
    /// Active findings in total.
    pub findings: usize,
    /// Active findings per severity.
    pub by_severity: BySeverity,
    /// Targets audited (files, command lines, containers, daemons, hosts).
    pub files: usize,
    /// Targets audited by kind: `files`, `command_lines`, `images`, `containers`, `daemons`,
    /// `hosts` (only kinds with at least one).
    pub audited: BTreeMap<&'static str, usize>,
    /// Suppressed findings (present in `findings` with `suppressed` set).
    pub suppressed: usize,
    /// Inputs that could not be (fully) audited.
    pub errors: usize,
}

/// Active findings per severity, most severe first.
#[derive(Debug, Serialize)]
pub struct BySeverity {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonTarget<'a> {
    pub path: &'a str,
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub rule_id: &'static str,
    pub severity: &'static str,
    pub title: &'static str,
    pub message: Cow<'a, str>,
    pub file: &'a str,
    pub start_line: Option<u32>,
    pub start_column: Option<u32>,
    pub end_line: Option<u32>,
    pub end_column: Option<u32>,
    pub evidence: Option<Cow<'a, str>>,
    pub fix: Cow<'a, str>,
    pub fingerprint: &'a str,
    /// Equivalent ids in other tools (tool key → ids) and further reading (`links` → URLs),
    /// as `plimsoll rules --format json` writes them.
    pub references: BTreeMap<&'static str, &'static [&'static str]>,
    /// The rule's first reference link, if it has one.
    pub help_uri: Option<&'static str>,
    pub suppressed: Option<JsonSuppressed>,
    /// How many more findings of this rule, file, severity and suppression state this one
    /// stands for (the binary folds them beyond the first hundred to bound memory); left out
    /// when 0. The `summary` counts them.
    #[serde(skip_serializing_if = "is_zero")]
    pub folded: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Serialize)]
pub struct JsonSuppressed {
    /// `inline` or `baseline`.
    pub kind: &'static str,
    /// The pragma's line for `inline`, `null` for `baseline`.
    pub line: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct JsonError<'a> {
    pub file: &'a str,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: Cow<'a, str>,
    pub hint: Option<Cow<'a, str>>,
}

/// The findings in report order, turned into their JSON shape one at a time as they are
/// serialised: a large scan has tens of thousands, and building every [`JsonFinding`] first
/// (each with its references map and help URI) would hold a second copy of the report in
/// memory.
pub struct JsonFindings<'a> {
    findings: Vec<&'a Finding>,
    registry: &'a Registry,
}

impl<'a> JsonFindings<'a> {
    /// The findings in their JSON shape.
    pub fn iter(&self) -> impl Iterator<Item = JsonFinding<'a>> + '_ {
        self.findings.iter().map(|f| finding(f, self.registry))
    }

    pub fn len(&self) -> usize {
        self.findings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

impl Serialize for JsonFindings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for JsonFindings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JsonFindings({} findings)", self.findings.len())
    }
}

/// Builds the document (exposed so callers can embed it or test it as a value).
pub fn document<'a>(
    report: &'a Report,
    registry: &'a Registry,
    opts: &RenderOptions,
) -> JsonReport<'a> {
    let summary = Summary::of(report);
    let findings = crate::order::findings(report);
    let errors = crate::order::errors(report);
    let mut targets: Vec<JsonTarget> = report
        .targets
        .iter()
        .map(|t| JsonTarget {
            path: &t.path,
            kind: t.kind,
        })
        .collect();
    targets.sort_by(|a, b| a.path.cmp(b.path));

    JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: opts.tool_version,
        },
        summary: JsonSummary {
            findings: summary.findings,
            by_severity: BySeverity {
                critical: summary.count(Severity::Critical),
                high: summary.count(Severity::High),
                medium: summary.count(Severity::Medium),
                low: summary.count(Severity::Low),
                info: summary.count(Severity::Info),
            },
            files: summary.files,
            audited: summary
                .audited
                .iter()
                .map(|(kind, n)| (kind.key(), *n))
                .collect(),
            suppressed: summary.suppressed,
            errors: summary.errors,
        },
        targets,
        findings: JsonFindings { findings, registry },
        errors: errors.into_iter().map(error).collect(),
        warnings: crate::order::warnings(report)
            .into_iter()
            .map(error)
            .collect(),
    }
}

/// Renders the JSON report, pretty-printed, with a trailing newline.
pub fn render(report: &Report, registry: &Registry, opts: &RenderOptions) -> String {
    let doc = document(report, registry, opts);
    // Serialising plain structs of strings, numbers and maps cannot fail; fall back to an
    // empty object rather than panicking should serde_json ever disagree.
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

fn finding<'a>(f: &'a Finding, registry: &Registry) -> JsonFinding<'a> {
    let span = f.location.span;
    let rule = registry.get(f.rule_id);
    JsonFinding {
        rule_id: f.rule_id,
        severity: f.severity.as_str(),
        title: f.title,
        message: redact::text(&f.message),
        file: &f.location.path,
        start_line: span.map(|s| s.start.line).filter(|l| *l > 0),
        start_column: span.map(|s| s.start.column).filter(|c| *c > 0),
        end_line: span
            .map(|s| s.end.line.max(s.start.line))
            .filter(|l| *l > 0),
        end_column: span.map(|s| s.end.column).filter(|c| *c > 0),
        evidence: redact::opt(f.evidence.as_deref()),
        fix: redact::text(&f.fix),
        fingerprint: &f.fingerprint,
        references: rule.map(references).unwrap_or_default(),
        help_uri: rule.and_then(RuleMeta::help_uri),
        suppressed: f.suppressed.as_ref().map(|s| match s {
            Suppressed::Inline { line } => JsonSuppressed {
                kind: "inline",
                line: Some(*line),
            },
            Suppressed::Baseline => JsonSuppressed {
                kind: "baseline",
                line: None,
            },
        }),
        folded: f.folded,
    }
}

fn error(e: &AuditError) -> JsonError<'_> {
    JsonError {
        file: &e.path,
        line: e.span.map(|s| s.start.line).filter(|l| *l > 0),
        column: e.span.map(|s| s.start.column).filter(|c| *c > 0),
        message: redact::text(&e.message),
        hint: redact::opt(e.hint.as_deref()),
    }
}

/// A rule's references as `plimsoll rules --format json` lists them: each tool with
/// equivalents → its ids, and `links` → further reading, when there is any.
pub fn references(rule: &RuleMeta) -> BTreeMap<&'static str, &'static [&'static str]> {
    let mut refs: BTreeMap<&'static str, &'static [&'static str]> =
        rule.references.by_tool().into_iter().collect();
    if !rule.references.links.is_empty() {
        refs.insert("links", rule.references.links);
    }
    refs
}
