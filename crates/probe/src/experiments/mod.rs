//! The experiments: each tries one thing a confined container must not be able to do, in a
//! forked child with a deadline, harmlessly (nothing is changed, or what is changed is undone
//! before the child ends), and reports *allowed*, *blocked (by what)*, *not available* or
//! *not run*. They run only on the live system, never against a recorded tree.
//!
//! The paper (seed 004) ran four scenarios by hand; each experiment names the one it
//! automates: 1 AppArmor (`mount`, `sysrq`), 2 CAP_SYS_ADMIN and the hostname, 3 limits
//! against a fork bomb (`stress-pids`, `stress-memory`), 4 seccomp and `unshare --user`.

pub mod blame;
pub mod child;
pub mod hostname;
pub mod leftovers;
pub mod mount;
pub mod stress;
pub mod sysrq;
pub mod user_namespace;
pub mod verdict;

use crate::facts::Facts;
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
