//! Connecting to the engine, and the engine's errors as the binary reports them.

use crate::cli_live::{EngineArgs, HostReadArgs};
use crate::error::Fatal;
use plimsoll_core::{AuditError, Target};
use plimsoll_engine::host::HostOptions;
use plimsoll_engine::{Engine, EngineConfig, EngineError, Problem};

/// How much longer than one call a whole collection may take (`--timeout`).
const DEADLINE_CALLS: u32 = 6;

/// The engine settings: where it is, as the docker CLI finds it (DOCKER_HOST,
/// DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, the default socket), and `--timeout`.
fn engine_config(args: &EngineArgs) -> EngineConfig {
    EngineConfig {
        call_timeout: args.timeout,
        deadline: args.timeout.saturating_mul(DEADLINE_CALLS),
        ..EngineConfig::from_env(|k| std::env::var(k).ok())
    }
}

/// Connects, or fails with the engine's message and its hint.
pub fn connect(args: &EngineArgs) -> Result<Engine, Fatal> {
    Engine::connect(&engine_config(args)).map_err(|e| fatal(&e))
}

/// The host collector's options, once `--host-root` is known to be a host's root directory.
pub fn host_options(args: &HostReadArgs) -> Result<HostOptions, Fatal> {
    let opts = args.options();
    plimsoll_engine::host::check_root(&opts.root).map_err(|e| {
        Fatal::new(format!("--host-root: {e}")).hint(
            "give the directory where the host's / is mounted (`docker run -v /:/host:ro …` then --host-root /host), or leave --host-root out to read this machine's /",
        )
    })?;
    Ok(opts)
}

/// An engine error that stops the command.
pub fn fatal(e: &EngineError) -> Fatal {
    let f = Fatal::new(e.to_string());
    match e.hint() {
        Some(h) => f.hint(h),
        None => f,
    }
}

/// A per-container problem as a report error (or warning): `container:<name>: …`.
pub fn problem(p: &Problem) -> AuditError {
    AuditError {
        path: format!("container:{}", p.target),
        span: None,
        message: p.error.to_string(),
        hint: p.error.hint(),
    }
}

/// A container audited without all its facts (its `top` failed): a report warning.
pub fn partly_audited(p: &Problem) -> AuditError {
    AuditError {
        message: format!("partly audited: {}", p.error),
        ..problem(p)
    }
}

/// An audited container as a report target: `container:<name>`.
pub fn container_target(name: &str) -> Target {
    Target {
        path: format!("container:{name}"),
        kind: "container",
        source: None,
    }
}
