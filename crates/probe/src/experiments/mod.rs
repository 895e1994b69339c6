//! The experiments: each tries one thing a confined container must not be able to do, in a
//! forked child with a deadline, harmlessly (nothing is changed, or what is changed is undone
//! before the child ends), and reports *allowed*, *blocked (by what)*, *not available* or
//! *not run*. They run only on the live system, never against a recorded tree.
//!
//! The paper (seed 004) ran four scenarios by hand; each experiment names the one it
//! automates: 1 AppArmor (`mount`, `sysrq`), 2 CAP_SYS_ADMIN and the hostname, 3 limits
//! against a fork bomb (`stress-pids`, `stress-memory`), 4 seccomp and `unshare --user`.

pub mod child;
pub mod hostname;
pub mod leftovers;
pub mod mount;
pub mod stress;
pub mod sysrq;
pub mod user_namespace;
pub mod verdict;

use crate::facts::Facts;
use crate::status::SeccompMode;
use serde::{Deserialize, Serialize};
pub use verdict::{Blocker, Verdict};

/// One experiment's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Experiment {
    /// `hostname`, `user-namespace`, `mount`, `sysrq`, `stress-pids`, `stress-memory`.
    pub name: String,
    /// The paper's scenario it automates.
    pub scenario: u8,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Which experiments to run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// hostname, user namespace, mount, sysrq-trigger.
    pub safe: bool,
    pub stress_pids: bool,
    pub stress_memory: bool,
}

/// Runs the selected experiments (on the live system only: the caller checks).
pub fn run(facts: &Facts, which: Selection) -> Vec<Experiment> {
    let mut out = Vec::new();
    let mut push = |name: &str, scenario, verdict| {
        out.push(Experiment {
            name: name.to_string(),
            scenario,
            verdict,
        })
    };
    if which.safe {
        push("hostname", 2, hostname::run(facts));
        push("user-namespace", 4, user_namespace::run(facts));
        push("mount", 1, mount::run(facts));
        push("sysrq", 1, sysrq::run(facts));
    }
    if which.stress_pids {
        push("stress-pids", 3, stress::pids(facts));
    }
    if which.stress_memory {
        push("stress-memory", 3, stress::memory(facts));
    }
    out
}

/// Whether the probe holds a capability in its effective set (`None`: unknown).
fn holds(facts: &Facts, cap: &str) -> Option<bool> {
    facts.process.cap_effective.as_ref().map(|c| c.has(cap))
}

fn seccomp_filtering(facts: &Facts) -> Option<bool> {
    facts.process.seccomp.map(|m| m == SeccompMode::Filtering)
}

/// Who refused with `EPERM` an operation that needs `cap`: the seccomp filter when the
/// capability is held (the kernel would have allowed it), the capability check when no
/// filter is loaded, and when both apply the capability (the kernel's own rule) with the
/// filter named as well — Docker's default profile allows these calls only with the
/// capability, so both refuse.
fn eperm_blocker(facts: &Facts, cap: &str) -> (Blocker, Vec<Blocker>) {
    match (holds(facts, cap), seccomp_filtering(facts)) {
        (Some(true), Some(true)) => (Blocker::Seccomp, Vec::new()),
        (Some(false), Some(false)) => (Blocker::Capability, Vec::new()),
        (Some(false), Some(true)) => (Blocker::Capability, vec![Blocker::Seccomp]),
        _ => (Blocker::Unknown, Vec::new()),
    }
}

/// The verdict of a child that did not report.
fn unreported(end: child::ChildEnd, what: &str) -> Verdict {
    match end {
        child::ChildEnd::NoChild(e) => Verdict::NotAvailable {
            reason: format!(
                "could not fork a child for {what}: {}",
                verdict::errno_name(e)
            ),
        },
        child::ChildEnd::TimedOut => Verdict::NotAvailable {
            reason: format!("{what} did not finish before its deadline (child killed)"),
        },
        child::ChildEnd::Killed(sig) => Verdict::NotAvailable {
            reason: format!("the child trying {what} was killed by signal {sig}"),
        },
        child::ChildEnd::Silent | child::ChildEnd::Reported(_) => Verdict::NotAvailable {
            reason: format!("the child trying {what} ended without a result"),
        },
    }
}
