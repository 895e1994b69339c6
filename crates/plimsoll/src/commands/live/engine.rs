//! Connecting to the engine, and the engine's errors as the binary reports them.

use crate::error::Fatal;
use plimsoll_core::AuditError;
use plimsoll_engine::{Engine, EngineConfig, EngineError, Problem};

/// Connects as the docker CLI would (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, the
/// default socket), or fails with the engine's message and its hint.
pub fn connect() -> Result<Engine, Fatal> {
    let cfg = EngineConfig::from_env(|k| std::env::var(k).ok());
    Engine::connect(&cfg).map_err(|e| fatal(&e))
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
