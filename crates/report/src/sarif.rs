//! SARIF 2.1.0 output, shaped for GitHub code scanning.
//!
//! Hand-rolled `Serialize` structs rather than the `serde-sarif` crate, as ruff, cargo-deny and
//! cargo-audit do: we emit a small, fixed subset of SARIF (one run; the driver's rules; results
//! with one location, fingerprints and suppressions; invocation notifications), which is about a
//! hundred lines of plain structs, where serde-sarif's complete builder-style model is a large
//! dependency whose optional fields we would have to steer around. The output is checked
//! against the official OASIS schema in the tests.
//!
//! Mapping decisions (GitHub's documented expectations):
//! - `tool.driver.rules` lists only the rules that appear in results, sorted by id; each result
//!   points at its rule by `ruleIndex`.
//! - levels: critical/high → `error`, medium → `warning`, low/info → `note`; the rule's
//!   `security-severity` is 9.0/7.0/5.0/3.0/1.0 so GitHub ranks alerts like plimsoll does.
//! - columns count Unicode code points, as plimsoll's spans do, so the run says
//!   `columnKind: "unicodeCodePoints"` (SARIF's default would be UTF-16 code units).
//! - relative paths become `%SRCROOT%`-relative URIs with forward slashes and percent-encoding
//!   (so they resolve against the checkout wherever plimsoll ran); absolute paths — files
//!   outside the working directory — become `file://` URIs with no base, as SARIF §3.10 wants
//!   for absolute URIs.
//! - targets that are not files (containers, the daemon, the host, a `docker run` line given on
//!   the command line, stdin) are not given a path that could be mistaken for a file in the
//!   repository: their URI is a non-file URI (`container:web`, `daemon:info`,
//!   `command:%3Ccommand-line%3E`), and a logical location names them. GitHub code scanning
//!   rejects a result without an artifact location, so one is always written; Trivy likewise
//!   writes an image's name where a file path would go.
//! - no `helpUri`/`informationUri` under a project website that does not exist: a rule's
//!   `helpUri` is its first reference link, when it has one.
//! - message, fix, evidence and notification texts are redacted ([`crate::redact`]).
//! - suppressed findings are kept, with `suppressions: [{kind: inSource | external}]`.
//! - a folded finding (one standing for N more of its rule in its file) has
//!   `occurrenceCount: N + 1`.

use crate::summary::Audited;
use crate::{redact, RenderOptions, TOOL_NAME};
use plimsoll_core::{
    AuditError, FailOn, Finding, Registry, Report, RuleMeta, Severity, Span, Suppressed,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// The schema URI written into `$schema` (the OASIS errata01 schema the tests validate against).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Key of plimsoll's fingerprint in `partialFingerprints`; bump the suffix if the fingerprint
/// algorithm changes so code scanning does not mismatch old and new alerts.
pub const FINGERPRINT_KEY: &str = "plimsoll/v1";

#[derive(Debug, Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run<'a> {
    pub tool: Tool,
    pub invocations: Vec<Invocation>,
    pub results: SarifResults<'a>,
    pub column_kind: &'static str,
}

/// The results, each built from its finding while it is serialised, so a large report is not
/// held a second time in SARIF form.
pub struct SarifResults<'a> {
    findings: Vec<&'a Finding>,
    /// Rule id → index into `tool.driver.rules`.
    index: BTreeMap<&'static str, usize>,
    places: Places<'a>,
}

impl SarifResults<'_> {
    /// The results in SARIF form.
    pub fn iter(&self) -> impl Iterator<Item = SarifResult> + '_ {
        self.findings.iter().map(|f| {
            result(
                f,
                self.index.get(f.rule_id).copied().unwrap_or(0),
                &self.places,
            )
        })
    }

    pub fn len(&self) -> usize {
        self.findings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for SarifResults<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SarifResults({} results)", self.findings.len())
    }
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Debug, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RuleProperties {
    pub tags: Vec<String>,
    #[serde(rename = "security-severity")]
    pub security_severity: &'static str,
    pub precision: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_execution_notifications: Vec<Notification>,
}

#[derive(Debug, Serialize)]
pub struct Notification {
    pub level: &'static str,
    pub message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<SarifLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<SarifLocation>,
    pub partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
    /// SARIF's "how many times this result was observed" (§3.27.28): 1 + the findings folded
    /// into this one; left out for an ordinary finding, where SARIF's default is 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence_count: Option<u64>,
    pub properties: ResultProperties,
}

#[derive(Debug, Serialize)]
pub struct ResultProperties {
    /// plimsoll's severity of this instance (may differ from the rule's default by config).
    pub severity: &'static str,
    pub fix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Suppression {
    /// `inSource` (an inline pragma) or `external` (the baseline file).
    pub kind: &'static str,
    pub justification: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    pub end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    pub name: String,
    pub fully_qualified_name: String,
    pub kind: &'static str,
}

/// SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (a CVSS-like number as a string) of a severity.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.0",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// Builds the SARIF log (exposed so callers can embed it or test it as a value).
pub fn log<'a>(report: &'a Report, registry: &Registry, opts: &RenderOptions) -> Log<'a> {
    let findings = crate::order::findings(report);

    // Only the rules that results refer to, by id; a finding whose rule is not registered
    // (which should not happen) still gets a minimal descriptor so its ruleIndex is valid.
    let mut by_id: BTreeMap<&'static str, &Finding> = BTreeMap::new();
    for f in &findings {
        by_id.entry(f.rule_id).or_insert(f);
    }
    let index: BTreeMap<&'static str, usize> =
        by_id.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules = by_id
        .iter()
        .map(|(id, f)| match registry.get(id) {
            Some(meta) => rule(meta),
            None => unregistered_rule(f),
        })
        .collect();

    let places = Places::of(report);
    let errors = crate::order::errors(report);
    let warnings = crate::order::warnings(report);
    let notifications = errors
        .into_iter()
        .map(|e| notification(e, "error", &places))
        .chain(
            warnings
                .into_iter()
                .map(|w| notification(w, "warning", &places)),
        )
        .collect();
    let results = SarifResults {
        findings,
        index,
        places,
    };

    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: TOOL_NAME,
                    version: opts.tool_version,
                    semantic_version: opts.tool_version,
                    rules,
                },
            },
            invocations: vec![Invocation {
                // Unsuccessful exactly when the run could not audit anything (exit code 2);
                // a partial audit succeeded and lists what it could not read.
                execution_successful: report.exit_code(FailOn::Never) != 2,
                tool_execution_notifications: notifications,
            }],
            results,
            column_kind: "unicodeCodePoints",
        }],
    }
}

/// Renders the SARIF log, pretty-printed, with a trailing newline.
pub fn render(report: &Report, registry: &Registry, opts: &RenderOptions) -> String {
    let mut out =
        serde_json::to_string_pretty(&log(report, registry, opts)).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

fn rule(meta: &RuleMeta) -> Rule {
    let mut tags = vec!["security".to_string(), meta.stage.as_str().to_string()];
    // GitHub shows CWE tags in this form and links them.
    tags.extend(
        meta.references
            .cwe
            .iter()
            .map(|cwe| format!("external/cwe/{}", cwe.to_ascii_lowercase())),
    );
    let docs = &meta.docs;
    Rule {
        id: meta.id.to_string(),
        name: meta.name.to_string(),
        short_description: Text {
            text: meta.title.to_string(),
        },
        full_description: Some(Text {
            text: docs.what.trim().to_string(),
        }),
        help: Some(Help {
            text: format!(
                "{}\n\nWhy it matters: {}\n\nHow to fix: {}",
                docs.what.trim(),
                docs.why.trim(),
                docs.fix.trim()
            ),
            markdown: meta.markdown(),
        }),
        help_uri: meta.help_uri().map(str::to_string),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: security_severity(meta.severity),
            precision: "high",
        },
    }
}

fn unregistered_rule(f: &Finding) -> Rule {
    Rule {
        id: f.rule_id.to_string(),
        name: f.rule_id.to_string(),
        short_description: Text {
            text: f.title.to_string(),
        },
        full_description: None,
        help: None,
        help_uri: None,
        default_configuration: Configuration {
            level: level(f.severity),
        },
        properties: RuleProperties {
            tags: vec!["security".to_string()],
            security_severity: security_severity(f.severity),
            precision: "high",
        },
    }
}

fn result(f: &Finding, rule_index: usize, places: &Places) -> SarifResult {
    let suppressions = match &f.suppressed {
        None => Vec::new(),
        Some(Suppressed::Inline { line }) => vec![Suppression {
            kind: "inSource",
            justification: format!("ignore pragma at line {line}"),
        }],
        Some(Suppressed::Baseline) => vec![Suppression {
            kind: "external",
            justification: "accepted in the baseline".to_string(),
        }],
    };
    SarifResult {
        rule_id: f.rule_id.to_string(),
        rule_index,
        level: level(f.severity),
        // SARIF requires a non-empty message; fall back to the rule's title.
        message: Text {
            text: if f.message.trim().is_empty() {
                f.title.to_string()
            } else {
                redact::text(&f.message).into_owned()
            },
        },
        locations: vec![places.location(&f.location.path, f.location.span)],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.clone())]),
        suppressions,
        occurrence_count: (f.folded > 0).then(|| f.folded.saturating_add(1)),
        properties: ResultProperties {
            severity: f.severity.as_str(),
            fix: redact::text(&f.fix).into_owned(),
            evidence: redact::opt(f.evidence.as_deref()).map(|e| e.into_owned()),
        },
    }
}

fn notification(e: &AuditError, level: &'static str, places: &Places) -> Notification {
    let mut text = redact::text(&e.message).into_owned();
    if let Some(hint) = &e.hint {
        text.push_str(" (hint: ");
        text.push_str(&redact::text(hint));
        text.push(')');
    }
    Notification {
        level,
        message: Text { text },
        locations: vec![places.location(&e.path, e.span)],
    }
}

/// What each path of a report is: the kind of its target, so a container, the daemon, the
/// host or a command line is never written as if it were a file.
struct Places<'a> {
    kinds: BTreeMap<&'a str, &'static str>,
}

impl<'a> Places<'a> {
    fn of(report: &'a Report) -> Places<'a> {
        Places {
            kinds: report
                .targets
                .iter()
                .map(|t| (t.path.as_str(), t.kind))
                .collect(),
        }
    }

    /// Whether `path` names a file: not stdin, no `scheme:` prefix (`container:web`), and not
    /// a target of another kind (a container, the daemon, the host, a command line). A path no
    /// target has — an input that could not be read, a file a live audit checked — is a file.
    fn is_file(&self, path: &str) -> bool {
        if path.is_empty() || path == "-" || has_scheme(&path.replace('\\', "/")) {
            return false;
        }
        self.kinds
            .get(path)
            .is_none_or(|kind| Audited::of_kind(kind) == Audited::File)
    }

    /// A result location. GitHub code scanning rejects a result without an artifact location
    /// (`locationFromSarifResult: expected artifact location`), so targets that are not files
    /// get one too: a non-file URI (see [`target_uri`]), plus a logical location naming the
    /// target for tools that understand it.
    fn location(&self, path: &str, span: Option<Span>) -> SarifLocation {
        if self.is_file(path) {
            if let Some(artifact_location) = artifact(path) {
                return SarifLocation {
                    physical_location: Some(PhysicalLocation {
                        artifact_location,
                        region: span.and_then(region),
                    }),
                    logical_locations: Vec::new(),
                };
            }
        }
        let kind = self.kinds.get(path).copied();
        SarifLocation {
            physical_location: Some(PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: target_uri(path, kind),
                    uri_base_id: None,
                },
                region: None,
            }),
            logical_locations: vec![LogicalLocation {
                name: path.to_string(),
                fully_qualified_name: path.to_string(),
                kind: "resource",
            }],
        }
    }
}

/// The URI of a target that is not a file: its own `scheme:name` when it has one
/// (`container:web`, `daemon:info`), else `kind:name` from its target kind (`host:host`,
/// `command:%3Ccommand-line%3E`), else `target:name`; `stdin:-` for standard input. Never a
/// relative reference, which a consumer would resolve to a file in the repository.
fn target_uri(path: &str, kind: Option<&str>) -> String {
    let path = if path.is_empty() { "-" } else { path };
    if let Some((scheme, rest)) = path.split_once(':') {
        if has_scheme(path) {
            return format!("{}:{}", scheme.to_ascii_lowercase(), encode_path(rest));
        }
    }
    let scheme = match kind {
        _ if path == "-" => "stdin",
        Some(kind) if is_scheme(kind) => kind,
        _ => "target",
    };
    format!("{scheme}:{}", encode_path(path))
}

/// The artifact location of a file path, or `None` when `path` names no file (`-` for stdin,
/// `container:abc`, `image:…`).
pub fn artifact(path: &str) -> Option<ArtifactLocation> {
    let path = path.replace('\\', "/");
    if path.is_empty() || path == "-" || has_scheme(&path) {
        return None;
    }
    if path.starts_with('/') {
        return Some(ArtifactLocation {
            uri: format!("file://{}", encode_path(&path)),
            uri_base_id: None,
        });
    }
    if is_drive_path(&path) {
        return Some(ArtifactLocation {
            uri: format!("file:///{}", encode_path(&path)),
            uri_base_id: None,
        });
    }
    let mut rel = path.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    Some(ArtifactLocation {
        uri: encode_path(rel),
        uri_base_id: Some("%SRCROOT%"),
    })
}

/// `name:` prefix of a non-file target (`container:abc123`); a Windows drive (`C:/`) is not one.
fn has_scheme(path: &str) -> bool {
    match path.split_once(':') {
        Some((scheme, _)) => scheme.len() > 1 && is_scheme(scheme),
        None => false,
    }
}

/// RFC 3986 scheme syntax: a letter, then letters, digits, `+`, `-`, `.`.
fn is_scheme(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn is_drive_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Percent-encodes a path for a URI: unreserved characters, sub-delimiters, `@` and `/` stay;
/// everything else (space, `%`, `?`, `#`, `:`, non-ASCII bytes) is encoded. A drive letter's
/// colon is kept. The bytes are the file name's own: a non-UTF-8 name written by
/// [`plimsoll_core::finding::path_string`] is encoded byte for byte (`caf%E9`), so the URI
/// names the file that exists.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let keep_colon_at = if is_drive_path(path) { Some(1) } else { None };
    for (i, b) in plimsoll_core::finding::path_bytes(path)
        .into_iter()
        .enumerate()
    {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (b == b':' && keep_colon_at == Some(i));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SARIF region; columns 1-based with an exclusive end, as plimsoll's spans. Unknown parts
/// (column 0) are left out; a span without a line gives no region.
fn region(span: Span) -> Option<Region> {
    if span.start.line == 0 {
        return None;
    }
    let start_column = (span.start.column > 0).then_some(span.start.column);
    let end_line = span.end.line.max(span.start.line);
    let end_column = (span.end.column > 0)
        .then_some(span.end.column)
        .filter(|end| end_line > span.start.line || *end >= start_column.unwrap_or(1));
    Some(Region {
        start_line: span.start.line,
        start_column,
        end_line,
        end_column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::Pos;

    fn uri(path: &str) -> Option<(String, Option<&'static str>)> {
        artifact(path).map(|a| (a.uri, a.uri_base_id))
    }

    #[test]
    fn paths_become_relative_encoded_uris() {
        assert_eq!(
            uri("./my app/Dockerfile"),
            Some(("my%20app/Dockerfile".into(), Some("%SRCROOT%")))
        );
        assert_eq!(
            uri("dir\\sub\\Dockerfile.100%"),
            Some(("dir/sub/Dockerfile.100%25".into(), Some("%SRCROOT%")))
        );
        assert_eq!(
            uri("héllo#1/Dockerfile"),
            Some(("h%C3%A9llo%231/Dockerfile".into(), Some("%SRCROOT%")))
        );
        assert_eq!(
            uri("/srv/a b/Dockerfile"),
            Some(("file:///srv/a%20b/Dockerfile".into(), None))
        );
        assert_eq!(
            uri("C:\\src\\Dockerfile"),
            Some(("file:///C:/src/Dockerfile".into(), None))
        );
        // A non-UTF-8 file name: its own bytes, percent-encoded.
        let latin1 = format!("caf{}/Dockerfile", char::from_u32(0x10_FFE9).unwrap_or('?'));
        assert_eq!(
            uri(&latin1),
            Some(("caf%E9/Dockerfile".into(), Some("%SRCROOT%")))
        );
        assert_eq!(uri("container:abc123"), None);
        assert_eq!(uri("-"), None);
    }

    fn located(report: &Report, path: &str) -> (String, Option<&'static str>, usize) {
        let place = Places::of(report).location(path, None);
        let artifact = place
            .physical_location
            .map(|p| p.artifact_location)
            .expect("always an artifact location");
        (
            artifact.uri,
            artifact.uri_base_id,
            place.logical_locations.len(),
        )
    }

    #[test]
    fn targets_that_are_not_files_get_non_file_uris() {
        let target = |path: &str, kind: &'static str| plimsoll_core::Target {
            path: path.into(),
            kind,
            source: None,
        };
        let report = Report {
            targets: vec![
                target("container:web", "container"),
                target("<command-line>", "command"),
                target("host", "host"),
                target("daemon", "daemon"),
                target("compose.yaml", "compose"),
            ],
            ..Report::default()
        };
        assert_eq!(
            located(&report, "container:web"),
            ("container:web".into(), None, 1)
        );
        assert_eq!(
            located(&report, "<command-line>"),
            ("command:%3Ccommand-line%3E".into(), None, 1)
        );
        assert_eq!(located(&report, "host"), ("host:host".into(), None, 1));
        assert_eq!(
            located(&report, "daemon:info"),
            ("daemon:info".into(), None, 1)
        );
        assert_eq!(located(&report, "-"), ("stdin:-".into(), None, 1));
        // Files stay files: targets, and paths no target has (an unreadable input).
        assert_eq!(
            located(&report, "compose.yaml"),
            ("compose.yaml".into(), Some("%SRCROOT%"), 0)
        );
        assert_eq!(
            located(&report, "broken/Dockerfile"),
            ("broken/Dockerfile".into(), Some("%SRCROOT%"), 0)
        );
        // Outside the working directory: an absolute file URI, no base.
        assert_eq!(
            located(&report, "/etc/docker/daemon.json"),
            ("file:///etc/docker/daemon.json".into(), None, 0)
        );
        assert_eq!(
            located(&report, "../other repo/Dockerfile"),
            ("../other%20repo/Dockerfile".into(), Some("%SRCROOT%"), 0)
        );
    }

    #[test]
    fn no_invented_help_uri() {
        let mut meta = plimsoll_core::suppression::UNUSED_SUPPRESSION;
        meta.references.links = &[];
        assert!(rule(&meta).help_uri.is_none());
        meta.references.links = &["https://docs.docker.com/engine/security/"];
        assert_eq!(
            rule(&meta).help_uri.as_deref(),
            Some("https://docs.docker.com/engine/security/")
        );
    }

    #[test]
    fn regions_drop_unknown_columns() {
        let r = region(Span::lines(3, 5)).unwrap();
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (3, Some(1), 5, None)
        );
        let r = region(Span::new(Pos::new(2, 5), Pos::new(2, 9))).unwrap();
        assert_eq!((r.start_column, r.end_column), (Some(5), Some(9)));
        let r = region(Span::new(Pos::new(2, 5), Pos::new(2, 3))).unwrap();
        assert_eq!(r.end_column, None);
        assert!(region(Span::new(Pos::new(0, 0), Pos::new(0, 0))).is_none());
    }
}
