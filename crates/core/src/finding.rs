//! Findings (one problem at one place) and the report that gathers them with the inputs that
//! could not be audited.

use crate::{Location, RuleMeta, Severity, Span};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One problem found at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id (`DF001`).
    pub rule_id: &'static str,
    /// Effective severity (the rule's default unless configuration overrides it).
    pub severity: Severity,
    /// The rule's title.
    pub title: &'static str,
    /// What is wrong with this instance, in one sentence naming the offending value.
    pub message: String,
    pub location: Location,
    /// The offending text as seen in the input (an instruction, a flag, a value).
    pub evidence: Option<String>,
    /// How to fix this instance.
    pub fix: String,
    /// Stable identity for baselines: rule + target + a location-independent key.
    pub fingerprint: String,
    /// Set when an inline pragma or the baseline suppressed it (kept so reports can show it).
    pub suppressed: Option<Suppressed>,
    /// How many further findings of the same rule, file, severity and suppression state this
    /// one stands for, when the binary folded them to keep memory bounded (0 for an ordinary
    /// finding). Counts and exit statuses use [`Finding::stands_for`], so a folded report's
    /// totals are exact.
    #[serde(skip_serializing_if = "is_zero")]
    pub folded: u64,
    /// Whether the text under [`Location::span`] is itself a secret value (a password given
    /// as a positional argument, a token), so a report that quotes the source line masks it.
    /// Set by the secret rules with [`FindingBuilder::span_is_secret`]; never serialised.
    #[serde(skip)]
    pub span_is_secret: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Why a finding is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Suppressed {
    /// An inline `# plimsoll ignore=` or `# hadolint ignore=` pragma at this line.
    Inline { line: u32 },
    /// Accepted in the baseline file.
    Baseline,
}

impl Finding {
    /// Starts a finding of `rule` at `location`; the default fix is the rule's generic one
    /// (the first paragraph of its "how to fix" docs). Returns a builder on purpose: rules
    /// state only what is specific to the instance, and `build()` derives the rest.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(
        rule: &'static RuleMeta,
        location: Location,
        message: impl Into<String>,
    ) -> FindingBuilder {
        FindingBuilder {
            rule,
            location,
            message: message.into(),
            evidence: None,
            fix: None,
            key: None,
            severity: None,
            span_is_secret: false,
        }
    }

    pub fn line(&self) -> Option<u32> {
        self.location.span.map(|s| s.start.line)
    }

    pub fn is_suppressed(&self) -> bool {
        self.suppressed.is_some()
    }

    /// How many findings this one counts as: itself plus those [folded](Finding::folded) into
    /// it (saturating, so a count can never wrap).
    pub fn stands_for(&self) -> usize {
        usize::try_from(self.folded)
            .unwrap_or(usize::MAX)
            .saturating_add(1)
    }
}

/// Builder for [`Finding`] so rules only state what is specific to the instance.
#[derive(Debug)]
pub struct FindingBuilder {
    rule: &'static RuleMeta,
    location: Location,
    message: String,
    evidence: Option<String>,
    fix: Option<String>,
    key: Option<String>,
    severity: Option<Severity>,
    span_is_secret: bool,
}

impl FindingBuilder {
    /// This instance's severity when it differs from the rule's default (a capability rule
    /// rates `SYS_ADMIN` above `NET_RAW`). Configuration overrides still win.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }

    /// The span points at a secret value: reports mask it where they quote the source line
    /// (the redaction of `NAME=value` text cannot know that a positional argument is one).
    pub fn span_is_secret(mut self) -> Self {
        self.span_is_secret = true;
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// The location-independent part of the fingerprint (e.g. the offending value, or the stage
    /// name). Defaults to the evidence, then the message. Inserting a line above a finding must
    /// not change its fingerprint, so never put line numbers here.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn build(self) -> Finding {
        let key = self
            .key
            .or_else(|| self.evidence.clone())
            .unwrap_or_else(|| self.message.clone());
        // A rule that replaced a retired id keeps that id's fingerprints, so baselines that
        // accepted its findings under the old id still do.
        let fingerprint_id =
            crate::registry::fingerprint_id(self.rule.id, crate::registry::RETIRED);
        let fingerprint = fingerprint(fingerprint_id, &self.location.path, &key);
        let fix = self
            .fix
            .unwrap_or_else(|| first_paragraph(self.rule.docs.fix).to_string());
        Finding {
            rule_id: self.rule.id,
            severity: self.severity.unwrap_or(self.rule.severity),
            title: self.rule.title,
            message: self.message,
            location: self.location,
            evidence: self.evidence,
            fix,
            fingerprint,
            suppressed: None,
            folded: 0,
            span_is_secret: self.span_is_secret,
        }
    }
}

fn first_paragraph(text: &str) -> &str {
    let text = text.trim();
    text.split("\n\n").next().unwrap_or(text).trim()
}

/// `sha256(rule \0 path \0 normalised key)`, hex, first 32 characters. Whitespace runs in the
/// key are collapsed so reformatting an instruction keeps its fingerprint.
pub fn fingerprint(rule_id: &str, path: &str, key: &str) -> String {
    let normalised: Vec<&str> = key.split_whitespace().collect();
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update([0]);
    hasher.update(path.replace('\\', "/").as_bytes());
    hasher.update([0]);
    hasher.update(normalised.join(" ").as_bytes());
    let digest = hasher.finalize();
    // Hex by table: `format!` per byte was a measurable share of a corpus run.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in digest.iter().take(16) {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

/// First of the 256 private-use characters (U+10FF00…U+10FFFF, the end of plane 16) that
/// stand for the bytes of a file name that are not UTF-8: see [`path_string`].
const RAW_BYTE_BASE: u32 = 0x10_FF00;

/// A path as a report string, keeping a non-UTF-8 file name recoverable.
///
/// Reports hold paths as `String`s (JSON, SARIF and terminals want text), but a Unix file name
/// is any bytes. `to_string_lossy` would turn every invalid byte into U+FFFD, and SARIF could
/// then only point at a file that does not exist. Here each byte that is not part of valid
/// UTF-8 becomes the private-use character U+10FF00 + byte, which [`path_bytes`] turns back,
/// so the SARIF writer can percent-encode the real bytes; the human format shows such a
/// character as U+FFFD. A valid UTF-8 path is returned unchanged.
pub fn path_string(path: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.extend(char::from_u32(RAW_BYTE_BASE + u32::from(*b)));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// The bytes of a path written by [`path_string`] (the inverse: raw-byte characters become
/// their bytes again, everything else its UTF-8).
pub fn path_bytes(path: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len());
    for c in path.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out
}

/// The file-name byte a character of [`path_string`] stands for, if it stands for one.
pub fn raw_byte(c: char) -> Option<u8> {
    u32::from(c)
        .checked_sub(RAW_BYTE_BASE)
        .and_then(|b| u8::try_from(b).ok())
}

/// What was audited: a file (with its text, so reporters can quote source lines) or another
/// kind of target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub path: String,
    /// What kind of input it was (`dockerfile`, `compose`, …).
    pub kind: &'static str,
    /// The source text, when the target is a text file (not serialized into reports).
    #[serde(skip)]
    pub source: Option<std::sync::Arc<str>>,
}

/// An input that could not be (fully) audited, with the cause and a hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditError {
    pub path: String,
    pub span: Option<Span>,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(span) = self.span {
            write!(f, ":{}", span.start.line)?;
            if span.start.column > 0 {
                write!(f, ":{}", span.start.column)?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The result of one plimsoll run: every target audited, every finding, every input error.
/// Findings are data; the `report` crate renders them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub targets: Vec<Target>,
    pub findings: Vec<Finding>,
    pub errors: Vec<AuditError>,
    /// Problems that did not stop the audit (an unknown compose key, an unset variable, an
    /// env file that is not there), in the same shape as errors.
    pub warnings: Vec<AuditError>,
}

impl Report {
    /// Sorts findings by path, line, column, rule id: the order every renderer uses.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (a.location.path.as_str(), a.location.span, a.rule_id).cmp(&(
                b.location.path.as_str(),
                b.location.span,
                b.rule_id,
            ))
        });
        self.targets.sort_by(|a, b| a.path.cmp(&b.path));
        self.errors
            .sort_by(|a, b| (a.path.as_str(), a.span).cmp(&(b.path.as_str(), b.span)));
        self.warnings
            .sort_by(|a, b| (a.path.as_str(), a.span).cmp(&(b.path.as_str(), b.span)));
    }

    /// Findings that count (not suppressed).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_suppressed())
    }

    /// Number of active findings per severity (every severity present, possibly 0); a folded
    /// finding counts as every finding it stands for.
    pub fn counts(&self) -> BTreeMap<Severity, usize> {
        let mut counts: BTreeMap<Severity, usize> = Severity::ALL.iter().map(|s| (*s, 0)).collect();
        for f in self.active() {
            let n = counts.entry(f.severity).or_default();
            *n = n.saturating_add(f.stands_for());
        }
        counts
    }

    /// Number of suppressed findings, a folded finding counting as every finding it stands for.
    pub fn suppressed_count(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.is_suppressed())
            .fold(0, |n, f| n.saturating_add(f.stands_for()))
    }

    /// The source text of a target, for quoting lines.
    pub fn source_of(&self, path: &str) -> Option<&str> {
        self.targets
            .iter()
            .find(|t| t.path == path)
            .and_then(|t| t.source.as_deref())
    }

    /// Exit code per DESIGN.md: 2 when nothing could be audited (or there was nothing to audit
    /// and errors occurred), 1 when an active finding reaches `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: crate::FailOn) -> i32 {
        if self.targets.is_empty() && !self.errors.is_empty() {
            return 2;
        }
        if self.active().any(|f| fail_on.trips(f.severity)) {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn non_utf8_paths_survive_as_strings() {
        use std::os::unix::ffi::OsStrExt;
        let raw = b"dir/caf\xe9 \xff/Dockerfile";
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(raw));
        let shown = path_string(path);
        assert!(shown.starts_with("dir/caf") && shown.ends_with("/Dockerfile"));
        assert_eq!(path_bytes(&shown), raw);
        let plain = std::path::Path::new("dir/café/Dockerfile");
        assert_eq!(path_string(plain), "dir/café/Dockerfile");
        assert_eq!(path_bytes("dir/café"), "dir/café".as_bytes());
    }

    #[test]
    fn counts_include_every_folded_finding() {
        let one = |folded: u64, suppressed: Option<Suppressed>| {
            let mut f = Finding::new(
                &crate::suppression::UNKNOWN_SUPPRESSION,
                Location::file("run.sh"),
                "repeated",
            )
            .build();
            f.folded = folded;
            f.suppressed = suppressed;
            f
        };
        let report = Report {
            findings: vec![
                one(0, None),
                one(900, None),
                one(4, Some(Suppressed::Baseline)),
            ],
            ..Report::default()
        };
        let severity = crate::suppression::UNKNOWN_SUPPRESSION.severity;
        assert_eq!(report.counts()[&severity], 1 + 901);
        assert_eq!(report.suppressed_count(), 5);
        assert_eq!(one(u64::MAX, None).stands_for(), usize::MAX);
    }

    #[test]
    fn an_unfolded_finding_serialises_without_a_folded_field() {
        let mut f = Finding::new(
            &crate::suppression::UNKNOWN_SUPPRESSION,
            Location::file("run.sh"),
            "once",
        )
        .build();
        let plain = serde_json::to_value(&f).expect("serialisable");
        assert!(plain.get("folded").is_none(), "{plain}");
        f.folded = 7;
        let folded = serde_json::to_value(&f).expect("serialisable");
        assert_eq!(folded["folded"], 7);
    }

    #[test]
    fn fingerprint_ignores_whitespace_and_is_stable() {
        let a = fingerprint("DF001", "a/Dockerfile", "USER   root");
        let b = fingerprint("DF001", "a/Dockerfile", "USER root");
        assert_eq!(a, b);
        assert_eq!(a.len(), 32);
        assert_ne!(a, fingerprint("DF002", "a/Dockerfile", "USER root"));
    }
}
