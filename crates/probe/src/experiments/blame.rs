//! Who refused an experiment, from the errno and the facts: the seccomp filter, the
//! capability check, or neither known — and how a child that never reported is said.

use super::child::ChildEnd;
use super::verdict::{errno_name, Blocker, Verdict};
use crate::facts::Facts;
use crate::status::SeccompMode;

/// Whether the probe holds a capability in its effective set (`None`: unknown).
pub fn holds(facts: &Facts, cap: &str) -> Option<bool> {
    facts.process.cap_effective.as_ref().map(|c| c.has(cap))
}

pub fn seccomp_filtering(facts: &Facts) -> Option<bool> {
    facts.process.seccomp.map(|m| m == SeccompMode::Filtering)
}

/// Who refused with `EPERM` an operation that needs `cap`: the seccomp filter when the
/// capability is held (the kernel would have allowed it), the capability check when no
/// filter is loaded, and when both apply the capability (the kernel's own rule) with the
/// filter named as well — Docker's default profile allows these calls only with the
/// capability, so both refuse.
pub fn eperm_blocker(facts: &Facts, cap: &str) -> (Blocker, Vec<Blocker>) {
    match (holds(facts, cap), seccomp_filtering(facts)) {
        (Some(true), Some(true)) => (Blocker::Seccomp, Vec::new()),
        (Some(false), Some(false)) => (Blocker::Capability, Vec::new()),
        (Some(false), Some(true)) => (Blocker::Capability, vec![Blocker::Seccomp]),
        _ => (Blocker::Unknown, Vec::new()),
    }
}

/// The verdict of a child that did not report.
pub fn unreported(end: ChildEnd, what: &str) -> Verdict {
    match end {
        ChildEnd::NoChild(e) => Verdict::NotAvailable {
            reason: format!("could not fork a child for {what}: {}", errno_name(e)),
        },
        ChildEnd::TimedOut => Verdict::NotAvailable {
            reason: format!("{what} did not finish before its deadline (child killed)"),
        },
        ChildEnd::Killed(sig) => Verdict::NotAvailable {
            reason: format!("the child trying {what} was killed by signal {sig}"),
        },
        ChildEnd::Silent | ChildEnd::Reported(_) => Verdict::NotAvailable {
            reason: format!("the child trying {what} ended without a result"),
        },
    }
}
