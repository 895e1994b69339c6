//! `plimsoll containers`, `plimsoll host`, `plimsoll bench`: the live audit of a Docker
//! Engine, read-only through its API.

mod bench;
mod containers;
mod engine;
mod host;
mod select;

use crate::cli_live::HostArgs;
use crate::error::Fatal;
use crate::prepare::prepare;
use crate::registry::registry;
use plimsoll_core::{AuditError, Report, Tail, Target};
use std::path::PathBuf;

pub use bench::bench;
pub use containers::containers;

/// `plimsoll host`: the daemon's configuration and the host's files (CIS sections 1–3, 5.1,
/// 6) judged by the DM and HS rules. Without an engine the daemon.json, dockerd command line
/// and host files are still audited, and the engine's absence is reported.
pub fn host(args: &HostArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let prepared = prepare(&args.common, &[PathBuf::from(".")], registry)?;
    let options = engine::host_options(&args.read)?;
    let mut report = Report::default();
    let engine = match engine::connect(&args.engine) {
        Ok(e) => Some(e),
        Err(f) => {
            report.errors.push(AuditError {
                path: "engine".to_string(),
                span: None,
                message: f.message,
                hint: f.hint,
            });
            None
        }
    };
    let (daemon, host_facts) = plimsoll_engine::host::collect(engine.as_ref(), &options);
    let (_, findings) = host::evaluate(&daemon, &host_facts);
    report.findings = Tail::new(registry, &prepared.loaded.config).settle_all(findings);
    report.targets.push(Target {
        path: "daemon".to_string(),
        kind: "daemon",
        source: None,
    });
    report.targets.push(Target {
        path: "host".to_string(),
        kind: "host",
        source: None,
    });
    prepared.finish(&mut report, registry, &args.common)
}
