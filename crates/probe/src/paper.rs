//! The paper's table (seed 004: four scenarios checked by hand on Docker 18.09), as data: the
//! `docker run` options of each configuration it compares, and what it expects of each
//! experiment under each. `plimsoll probe --experiments paper IMAGE` runs the probe under
//! every configuration and sets the observed verdicts beside these.

use crate::experiments::Verdict;
use serde::Serialize;

/// A configuration the paper (or its reading) runs the scenarios under.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Configuration {
    pub name: &'static str,
    /// The `docker run` options that make it.
    pub options: &'static [&'static str],
}

/// Docker's defaults, the paper's weakened container (`--cap-add SYS_ADMIN`, seccomp and
/// AppArmor off, no limits), and a hardened one. The paper ran its scenarios as root in the
/// container; the hardened configuration also drops to a non-root user.
pub const CONFIGURATIONS: [Configuration; 3] = [
    Configuration {
        name: "default",
        options: &["--user", "0"],
    },
    Configuration {
        name: "weakened",
        options: &[
            "--user",
            "0",
            "--cap-add",
            "SYS_ADMIN",
            "--security-opt",
            "seccomp=unconfined",
            "--security-opt",
            "apparmor=unconfined",
        ],
    },
    Configuration {
        name: "hardened",
        options: &[
            "--user",
            "65534:65534",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--read-only",
            "--memory",
            "64m",
            "--memory-swap",
            "64m",
            "--pids-limit",
            "64",
            "--cpus",
            "0.5",
        ],
    },
];

/// The probe arguments every configuration runs with.
pub const PROBE_ARGS: [&str; 5] = ["--experiments", "--stress", "pids", "--stress", "memory"];

/// What the paper expects: the outcome kind, and who refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expected {
    Allowed,
    Blocked(&'static str),
    /// No limit: the fork bomb is not stopped, so the bounded stress is not run.
    Unlimited,
}

impl Expected {
    pub fn describe(self) -> String {
        match self {
            Expected::Allowed => "allowed".to_string(),
            Expected::Blocked(by) => format!("blocked ({by})"),
            Expected::Unlimited => "no limit (not run)".to_string(),
        }
    }
}

/// One row of the paper's table: an experiment and its expected outcome per configuration
/// (in [`CONFIGURATIONS`] order).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Row {
    pub scenario: u8,
    pub experiment: &'static str,
    pub what: &'static str,
    pub expected: [Expected; 3],
}

pub const ROWS: [Row; 6] = [
    Row {
        scenario: 1,
        experiment: "mount",
        what: "AppArmor's deny mount (docker-default)",
        expected: [
            Expected::Blocked("apparmor"),
            Expected::Allowed,
            Expected::Blocked("any"),
        ],
    },
    Row {
        scenario: 2,
        experiment: "hostname",
        what: "CAP_SYS_ADMIN to change the hostname",
        expected: [
            Expected::Blocked("capability"),
            Expected::Allowed,
            Expected::Blocked("any"),
        ],
    },
    Row {
        scenario: 3,
        experiment: "stress-pids",
        what: "a fork bomb against the process limit",
        expected: [
            Expected::Unlimited,
            Expected::Unlimited,
            Expected::Blocked("limit"),
        ],
    },
    Row {
        scenario: 3,
        experiment: "stress-memory",
        what: "a fork bomb against the memory limit",
        expected: [
            Expected::Unlimited,
            Expected::Unlimited,
            Expected::Blocked("limit"),
        ],
    },
    Row {
        scenario: 4,
        experiment: "user-namespace",
        what: "seccomp refusing unshare --map-root-user --user",
        expected: [
            Expected::Blocked("seccomp"),
            Expected::Allowed,
            Expected::Blocked("any"),
        ],
    },
    Row {
        scenario: 1,
        experiment: "sysrq",
        what: "AppArmor's deny of /proc/sysrq-trigger",
        expected: [
            Expected::Blocked("any"),
            Expected::Blocked("any"),
            Expected::Blocked("any"),
        ],
    },
];

/// How an observed verdict compares with the paper's expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    /// Same outcome, same mechanism (or the paper names none).
    Matches,
    /// Same outcome through another mechanism (e.g. seccomp where the paper names AppArmor,
    /// on a host without AppArmor).
    SameOutcome,
    /// The kernel lacks what the experiment needs: no verdict.
    NotAvailable,
    Differs,
}

pub fn compare(expected: Expected, observed: &Verdict) -> Agreement {
    match (expected, observed) {
        (_, Verdict::NotAvailable { .. }) => Agreement::NotAvailable,
        (Expected::Allowed, Verdict::Allowed { .. }) => Agreement::Matches,
        (Expected::Unlimited, Verdict::NotRun { .. }) => Agreement::Matches,
        (Expected::Blocked(by), Verdict::Blocked { by: got, also, .. }) => {
            if by == "any" || got.as_str() == by || also.iter().any(|a| a.as_str() == by) {
                Agreement::Matches
            } else {
                Agreement::SameOutcome
            }
        }
        _ => Agreement::Differs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::Blocker;

    #[test]
    fn compares() {
        let seccomp = Verdict::blocked(Blocker::Seccomp, libc::EPERM, "x");
        assert_eq!(
            compare(Expected::Blocked("apparmor"), &seccomp),
            Agreement::SameOutcome
        );
        assert_eq!(
            compare(Expected::Blocked("seccomp"), &seccomp),
            Agreement::Matches
        );
        let allowed = Verdict::Allowed { detail: "x".into() };
        assert_eq!(
            compare(Expected::Blocked("any"), &allowed),
            Agreement::Differs
        );
        let na = Verdict::NotAvailable { reason: "x".into() };
        assert_eq!(compare(Expected::Allowed, &na), Agreement::NotAvailable);
    }
}
