//! plimsoll's in-container probe: what isolation a container really has, as the kernel
//! enforces it — configuration says what a container should get, the probe reads what it got.
//!
//! The probe reads facts without changing anything ([`facts`]: capabilities, seccomp,
//! AppArmor/SELinux, user namespace maps, cgroup version and limits, mounts, devices, runtime
//! sockets, host namespaces, secret names in the environment), optionally runs harmless
//! experiments in forked children ([`experiments`]: the paper's four scenarios, automated),
//! and judges both with the PB rules ([`rules`]).
//!
//! Everything is read through a [`root::Root`] directory, so tests feed recorded `/proc` and
//! `/sys` trees; experiments run only on the live system. The crate depends on `core` alone
//! (plus `libc` for the experiments' system calls) and builds into a static binary that runs
//! in `scratch` images.

pub mod capabilities;
pub mod cgroups;
pub mod devices;
pub mod environment;
pub mod evidence;
pub mod experiments;
pub mod facts;
pub mod idmap;
pub mod lsm;
pub mod mounts;
pub mod namespaces;
pub mod paper;
pub mod root;
pub mod rules;
pub mod runtime;
pub mod sockets;
pub mod status;
pub mod summary;

use evidence::Evidence;
use experiments::Selection;
use facts::Facts;
use plimsoll_core::Finding;
use root::Root;
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

/// Where `plimsoll probe --launch` mounts the probe in the container it starts (read-only).
/// The probe does not count this mount of itself as a sensitive host path.
pub const LAUNCH_MOUNT: &str = "/.plimsoll-probe";

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
    let experiments = if root.is_live() {
        experiments::run(&facts, which)
    } else {
        Vec::new()
    };
    let experiments_ms = millis(start);
    let leftovers = if experiments.is_empty() {
        Vec::new()
    } else {
        experiments::leftovers::leftovers(&Root::new("/"))
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
