//! How a rule describes itself: stable id, title, default severity, stage, documentation and
//! cross-references to other tools. Each rule declares one `static RuleMeta` in its own file,
//! beside its check, so docs and code change together.

use crate::{Finding, Severity};
use serde::Serialize;
use std::fmt;

/// The lifecycle stage a rule audits (DESIGN.md "Stages and what each reads").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Dockerfiles (`DF`).
    Build,
    /// Compose files and `docker run` lines, and live containers (`RS`).
    Run,
    /// Built images (`IM`).
    Image,
    /// Installed packages and their vulnerabilities (`VU`).
    Packages,
    /// The Docker daemon (`DM`).
    Daemon,
    /// The host (`HS`).
    Host,
    /// Inside a running container (`PB`).
    Inside,
    /// plimsoll's own findings about its configuration and suppressions (`PL`).
    Meta,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Build,
        Stage::Run,
        Stage::Image,
        Stage::Packages,
        Stage::Daemon,
        Stage::Host,
        Stage::Inside,
        Stage::Meta,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Build => "build",
            Stage::Run => "run",
            Stage::Image => "image",
            Stage::Packages => "packages",
            Stage::Daemon => "daemon",
            Stage::Host => "host",
            Stage::Inside => "inside",
            Stage::Meta => "meta",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule is in its life. IDs are never reused: a rule that goes away is listed in the
/// registry's table of retired IDs (`registry::RETIRED`), which says where it went, so old
/// pragmas, baselines and `rules explain` keep working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    /// Judged and tuned on real inputs; findings are trusted by default.
    Stable,
    /// New: may still change its wording or its edges; findings are reported as usual.
    Experimental,
    /// Kept so configurations naming it still work; its replacement (if any) is said in its
    /// docs. It still runs.
    Deprecated,
}

impl RuleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Stable => "stable",
            RuleStatus::Experimental => "experimental",
            RuleStatus::Deprecated => "deprecated",
        }
    }
}

/// The one shape of every rule of every family: its metadata and a pure check of one input.
///
/// `Input` is what the family judges (a Dockerfile's rule context, a RunSpec with the image
/// policy, daemon or host facts…) and `Out` what a check yields (a [`Finding`], or for the CIS
/// bench rules a per-item result). Rules never do I/O: everything they need is in `Input`.
pub trait Rule<Input: ?Sized, Out = Finding>: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, input: &Input, out: &mut Vec<Out>);
}

/// Equivalent checks in other tools, so users can migrate, compare and honour their pragmas.
/// Each field lists that tool's IDs (empty: the tool has no equivalent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct References {
    /// CIS Docker Benchmark v1.6.0 item, e.g. `"4.1"`.
    pub cis: &'static [&'static str],
    /// hadolint rule codes, e.g. `"DL3002"`.
    pub hadolint: &'static [&'static str],
    /// Trivy misconfiguration IDs, e.g. `"AVD-DS-0002"`.
    pub trivy: &'static [&'static str],
    /// Checkov (and KICS) check IDs, e.g. `"CKV_DOCKER_3"`.
    pub checkov: &'static [&'static str],
    /// Dockle checkpoint codes, e.g. `"CIS-DI-0001"`.
    pub dockle: &'static [&'static str],
    /// BuildKit `docker build --check` rule names, e.g. `"SecretsUsedInArgOrEnv"`.
    pub buildkit: &'static [&'static str],
    /// KICS query names or IDs (compose).
    pub kics: &'static [&'static str],
    /// CWE identifiers, e.g. `"CWE-250"`.
    pub cwe: &'static [&'static str],
    /// Further reading (URLs).
    pub links: &'static [&'static str],
}

impl References {
    pub const NONE: References = References {
        cis: &[],
        hadolint: &[],
        trivy: &[],
        checkov: &[],
        dockle: &[],
        buildkit: &[],
        kics: &[],
        cwe: &[],
        links: &[],
    };

    /// `(tool key, ids)` pairs for the tools this rule has equivalents in, in a fixed order.
    /// The keys are the ones used in JSON output and in docs.
    pub fn by_tool(&self) -> Vec<(&'static str, &'static [&'static str])> {
        [
            ("cis", self.cis),
            ("hadolint", self.hadolint),
            ("trivy", self.trivy),
            ("checkov", self.checkov),
            ("dockle", self.dockle),
            ("buildkit", self.buildkit),
            ("kics", self.kics),
            ("cwe", self.cwe),
        ]
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
    }
}

/// A rule's documentation. Every field is Markdown and required (a registry test checks that
/// none is empty), so `plimsoll rules explain`, `docs/rules.md` and SARIF help all have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDocs {
    /// What the rule checks, precisely (including what it deliberately does not flag).
    pub what: &'static str,
    /// Why it matters: the attack or failure it enables.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// A minimal input that fires the rule.
    pub bad: &'static str,
    /// The same input, fixed, that does not fire.
    pub good: &'static str,
}

/// Everything plimsoll knows about a rule apart from its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable identifier (`DF001`); never reused or renumbered.
    pub id: &'static str,
    /// Short kebab-case name (`root-user`), usable wherever an id is.
    pub name: &'static str,
    /// One-line title, phrased as the problem (`Final stage runs as root`).
    pub title: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    /// Where the rule is in its life (stable, experimental, deprecated).
    pub status: RuleStatus,
    /// The plimsoll version the rule first shipped in (`"0.1.0"`).
    pub since: &'static str,
    pub docs: RuleDocs,
    pub references: References,
}

impl RuleMeta {
    /// Where to read more about this rule on the web: its first `http(s)` reference link
    /// (SARIF `helpUri`, the JSON report's and `plimsoll rules --format json`'s `help_uri`).
    /// plimsoll has no project website, and an invented URL would send users to a 404; a rule
    /// without a link has none (`plimsoll rules explain ID` is its full documentation).
    pub fn help_uri(&self) -> Option<&'static str> {
        self.references
            .links
            .iter()
            .copied()
            .find(|l| l.starts_with("https://") || l.starts_with("http://"))
    }

    /// The full documentation as Markdown, the single source for `rules explain`, docs/rules.md
    /// and SARIF `help.markdown`.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("## {} — {}\n\n", self.id, self.title));
        out.push_str(&format!(
            "*name:* `{}` · *severity:* {} · *stage:* {}\n\n",
            self.name, self.severity, self.stage
        ));
        out.push_str("### What it checks\n\n");
        out.push_str(self.docs.what.trim());
        out.push_str("\n\n### Why it matters\n\n");
        out.push_str(self.docs.why.trim());
        out.push_str("\n\n### How to fix\n\n");
        out.push_str(self.docs.fix.trim());
        out.push_str("\n\n### Example\n\nFires:\n\n```\n");
        out.push_str(self.docs.bad.trim_end());
        out.push_str("\n```\n\nDoes not fire:\n\n```\n");
        out.push_str(self.docs.good.trim_end());
        out.push_str("\n```\n");
        let tools = self.references.by_tool();
        if !tools.is_empty() || !self.references.links.is_empty() {
            out.push_str("\n### References\n\n");
            for (tool, ids) in tools {
                out.push_str(&format!("- {}: {}\n", tool_label(tool), ids.join(", ")));
            }
            for link in self.references.links {
                out.push_str(&format!("- <{link}>\n"));
            }
        }
        out
    }
}

/// Human label for a reference key.
fn tool_label(key: &str) -> &'static str {
    match key {
        "cis" => "CIS Docker Benchmark v1.6",
        "hadolint" => "hadolint",
        "trivy" => "Trivy",
        "checkov" => "Checkov",
        "dockle" => "Dockle",
        "buildkit" => "BuildKit check",
        "kics" => "KICS",
        "cwe" => "CWE",
        _ => "other",
    }
}

/// Declares a group of rules in one list: each entry declares the rule's module and registers
/// the rule in the group's `RULES` slice, so a module cannot be added without its rule being
/// registered. `$rule_trait` is the family's rule type (`dyn DockerfileRule`, …).
///
/// ```ignore
/// plimsoll_core::rule_group!(dyn DockerfileRule;
///     root_user => RootUser,
///     latest_tag => LatestTag,
/// );
/// ```
#[macro_export]
macro_rules! rule_group {
    ($rule_trait:ty; $($module:ident => $rule:ident),+ $(,)?) => {
        $(pub mod $module;)+
        /// The rules of this group, in the order they are declared.
        pub static RULES: &[&$rule_trait] = &[$(&$module::$rule),+];
    };
}
