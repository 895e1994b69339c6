//! The probe's whole answer — what it read, what it tried, what the rules say, how long it
//! took and what it left behind — and the one function that produces it.

use crate::evidence::Evidence;
use crate::experiments::{self, Selection};
use crate::facts::Facts;
use crate::root::Root;
use crate::rules;
use plimsoll_core::Finding;
use serde::Serialize;
/// The probe's whole answer: what it read, what it tried, what the rules say. This is the
/// JSON `plimsoll-probe --format json` prints and `plimsoll probe --launch` reads back.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// Version of the probe that wrote this.
    pub probe_version: &'static str,
    #[serde(flatten)]
    pub evidence: Evidence,
    pub findings: Vec<Finding>,
    pub timing: Timing,
    /// What the experiments left behind (processes, mounts, directories): always empty, or a
    /// bug. Not checked when no experiment ran.
    pub leftovers: Vec<String>,
}

/// How long the probe took, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timing {
    pub facts_ms: u64,
    pub experiments_ms: u64,
}

fn millis(since: std::time::Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The finding path for a container: `container:<hostname>`.
pub fn default_target(facts: &Facts) -> String {
    format!(
        "container:{}",
        facts.hostname.as_deref().unwrap_or("unknown")
    )
}

/// Reads the facts under `root`, runs the selected experiments (only when `root` is the live
/// system), and applies the PB rules.
pub fn probe(root: &Root, which: Selection, target: Option<String>) -> ProbeReport {
    let start = std::time::Instant::now();
    let facts = Facts::collect(root);
    let facts_ms = millis(start);
    let start = std::time::Instant::now();
    // The processes and user namespaces before the experiments, to tell what they left.
    let before = root
        .is_live()
        .then(|| experiments::leftovers::Before::note(&Root::new("/")));
    let experiments = match &before {
        Some(_) => experiments::run(&facts, which),
        None => Vec::new(),
    };
    let experiments_ms = millis(start);
    let leftovers = match before {
        Some(before) if !experiments.is_empty() => {
            experiments::leftovers::leftovers(&Root::new("/"), &before)
        }
        _ => Vec::new(),
    };
    let evidence = Evidence {
        target: target.unwrap_or_else(|| default_target(&facts)),
        facts,
        experiments,
    };
    let findings = rules::audit(&evidence);
    ProbeReport {
        probe_version: env!("CARGO_PKG_VERSION"),
        evidence,
        findings,
        timing: Timing {
            facts_ms,
            experiments_ms,
        },
        leftovers,
    }
}
