//! The numbers every format reports at the end: findings per severity, what was audited
//! (files, command lines, containers, daemons, hosts), suppressed, errors. Computed once here so
//! the human line, the JSON `summary` and stderr agree.

use plimsoll_core::{Report, Severity};
use std::collections::{BTreeMap, BTreeSet};

/// What kind of thing an audited target is, as the summary counts it: a live audit of three
/// containers says "in 3 containers", not "in 0 files".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audited {
    /// A file: Dockerfile, compose file, env file, script.
    File,
    /// A `docker run` command line given on plimsoll's command line.
    CommandLine,
    /// A built image.
    Image,
    /// A live container.
    Container,
    /// A Docker daemon's configuration.
    Daemon,
    /// A host's Docker setup (files, audit rules, kernel).
    Host,
}

impl Audited {
    /// Every kind, in the order the summary lists them.
    pub const ALL: [Audited; 6] = [
        Audited::File,
        Audited::CommandLine,
        Audited::Image,
        Audited::Container,
        Audited::Daemon,
        Audited::Host,
    ];

    /// The kind of a target from its `kind` (`dockerfile`, `compose`, `container`, …);
    /// anything not named here is a file.
    pub fn of_kind(kind: &str) -> Audited {
        match kind {
            "command" => Audited::CommandLine,
            "image" => Audited::Image,
            "container" => Audited::Container,
            "daemon" => Audited::Daemon,
            "host" => Audited::Host,
            _ => Audited::File,
        }
    }

    /// The kind of a path a finding points at that is not a target (`container:web`).
    fn of_path(path: &str) -> Audited {
        match path.split_once(':').map(|(scheme, _)| scheme) {
            Some("container") => Audited::Container,
            Some("image") => Audited::Image,
            Some("daemon") => Audited::Daemon,
            Some("host") => Audited::Host,
            _ => Audited::File,
        }
    }

    /// A live target (a container, the daemon, the host): its findings point at the files and
    /// settings it was checked through (`/etc/docker/daemon.json`, `daemon:info`), which are
    /// part of it rather than further targets.
    fn is_live(self) -> bool {
        matches!(self, Audited::Container | Audited::Daemon | Audited::Host)
    }

    /// `(singular, plural)` as the summary line writes them.
    fn nouns(self) -> (&'static str, &'static str) {
        match self {
            Audited::File => ("file", "files"),
            Audited::CommandLine => ("command line", "command lines"),
            Audited::Image => ("image", "images"),
            Audited::Container => ("container", "containers"),
            Audited::Daemon => ("daemon", "daemons"),
            Audited::Host => ("host", "hosts"),
        }
    }

    /// The key of this kind in the JSON summary's `audited` object (the plural noun, with `_`).
    pub fn key(self) -> &'static str {
        match self {
            Audited::File => "files",
            Audited::CommandLine => "command_lines",
            Audited::Image => "images",
            Audited::Container => "containers",
            Audited::Daemon => "daemons",
            Audited::Host => "hosts",
        }
    }
}

/// Counts over a report. Only active (unsuppressed) findings are counted per severity; a
/// folded finding counts as every finding it stands for ([`plimsoll_core::Finding::stands_for`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Active findings per severity, most severe first (every severity present).
    pub by_severity: Vec<(Severity, usize)>,
    /// Active findings in total.
    pub findings: usize,
    /// Targets audited: every target, plus any path a finding points at that is not a target
    /// (a report assembled without targets still counts its files) — except in a live audit,
    /// whose findings point at the files the container, daemon or host was checked through.
    pub files: usize,
    /// The same targets by kind (only kinds with at least one), in [`Audited::ALL`] order.
    pub audited: Vec<(Audited, usize)>,
    /// Findings suppressed inline or by the baseline.
    pub suppressed: usize,
    /// Inputs that could not be (fully) audited.
    pub errors: usize,
    /// Warnings (problems that did not stop the audit).
    pub warnings: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let counts = report.counts();
        let by_severity: Vec<(Severity, usize)> = Severity::ALL
            .iter()
            .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
            .collect();
        let findings = by_severity.iter().map(|(_, n)| n).sum();
        let mut kinds: BTreeMap<&str, Audited> = report
            .targets
            .iter()
            .map(|t| (t.path.as_str(), Audited::of_kind(t.kind)))
            .collect();
        let live = kinds.values().any(|k| k.is_live());
        let untargeted: BTreeSet<&str> = report
            .findings
            .iter()
            .map(|f| f.location.path.as_str())
            .filter(|p| !live && !kinds.contains_key(p))
            .collect();
        for path in untargeted {
            kinds.insert(path, Audited::of_path(path));
        }
        let audited = Audited::ALL
            .iter()
            .map(|kind| (*kind, kinds.values().filter(|k| *k == kind).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        Summary {
            by_severity,
            findings,
            files: kinds.len(),
            audited,
            suppressed: report.suppressed_count(),
            errors: report.errors.len(),
            warnings: report.warnings.len(),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.by_severity
            .iter()
            .find(|(s, _)| *s == severity)
            .map_or(0, |(_, n)| *n)
    }

    /// What was audited, e.g. `2 files, 1 command line` or `3 containers`; `0 files` when
    /// nothing was.
    fn audited_phrase(&self) -> String {
        if self.audited.is_empty() {
            return plural(0, "file", "files");
        }
        let parts: Vec<String> = self
            .audited
            .iter()
            .map(|(kind, n)| {
                let (one, many) = kind.nouns();
                plural(*n, one, many)
            })
            .collect();
        parts.join(", ")
    }
}

/// One line for stderr and the end of the human report, e.g.
/// `3 findings (1 critical, 1 high, 1 medium, 0 low, 0 info) in 2 files; 1 suppressed; 1 input could not be audited`,
/// `no findings in 2 files` or `4 findings (…) in 1 daemon, 1 host`. The suppressed and error
/// parts appear only when non-zero.
pub fn summary_line(report: &Report) -> String {
    let s = Summary::of(report);
    let mut line = if s.findings == 0 {
        format!("no findings in {}", s.audited_phrase())
    } else {
        let per: Vec<String> = s
            .by_severity
            .iter()
            .map(|(sev, n)| format!("{n} {sev}"))
            .collect();
        format!(
            "{} ({}) in {}",
            plural(s.findings, "finding", "findings"),
            per.join(", "),
            s.audited_phrase()
        )
    };
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.warnings > 0 {
        line.push_str(&format!("; {}", plural(s.warnings, "warning", "warnings")));
    }
    if s.errors > 0 {
        line.push_str(&format!(
            "; {} could not be audited",
            plural(s.errors, "input", "inputs")
        ));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
