//! The daemon and host collector (`plimsoll_engine::host`) as the live commands use it: the
//! daemon facts (for the daemon-wide `no-new-privileges` every container inherits), the CIS
//! verdicts of sections 1–3, 5.1 and 6 for `bench`, and the DM/HS findings.

use plimsoll_engine::host::{self, HostOptions};
use plimsoll_engine::Engine;
use plimsoll_live::facts::{DaemonFacts, HostFacts, Probe};

/// The daemon's facts from the engine's `info` and `version` plus daemon.json and dockerd's
/// command line (no image/container counts: `containers` does not need them).
pub fn daemon_facts(engine: &Engine) -> DaemonFacts {
    let info = engine.info().map_err(|e| e.to_string());
    host::collect_daemon_from(
        info.as_ref(),
        Some(engine.server_version()),
        Probe::NotChecked("not needed".to_string()),
        &HostOptions::default(),
    )
}

/// Whether the daemon gives every container `no-new-privileges`.
pub fn daemon_no_new_privileges(d: &DaemonFacts) -> bool {
    d.no_new_privileges.as_ref().is_some_and(|s| s.value)
}

/// Everything: daemon facts (with the section 6 counts) and host facts.
pub fn collect_all(engine: &Engine, opts: &HostOptions) -> (DaemonFacts, HostFacts) {
    host::collect(Some(engine), opts)
}

/// The collector's per-CIS results, and their findings.
pub use plimsoll_live::bench::evaluate;
