//! Sources: the kinds of input plimsoll audits. Each [`Source`] says which files discovery should
//! pick up for it and how to audit one input's bytes. `scan` walks a directory once and offers
//! every file to every source, so adding compose files or `docker run` scripts later is one more
//! entry in [`SOURCES`], not another loop.

pub mod discover;
pub mod dockerfile;

use crate::input::Input;
use plimsoll_core::config::Config;
use plimsoll_core::{AuditError, Finding, Registry, Target};
use std::path::Path;

/// What an audit of one input may use: shared, read-only, built once per run.
pub struct AuditContext<'a> {
    pub registry: &'a Registry,
    pub config: &'a Config,
}

/// The result of auditing one input. A parse error still yields what could be learned (the
/// error), and the input counts as audited only when `target` is set.
#[derive(Debug, Default)]
pub struct Outcome {
    pub target: Option<Target>,
    pub findings: Vec<Finding>,
    pub errors: Vec<AuditError>,
}

/// One kind of auditable input.
pub trait Source: Sync {
    /// The target kind reported for its inputs (`dockerfile`).
    fn kind(&self) -> &'static str;
    /// A plural, human name for messages (`Dockerfiles`).
    fn plural(&self) -> &'static str;
    /// Whether directory discovery should audit this file (decided by its name alone, so the
    /// walk never opens a file it will not audit).
    fn claims(&self, path: &Path) -> bool;
    /// Audits one input's bytes: parse, run the rules, apply inline pragmas and the config's
    /// rule settings. Never panics on any input.
    fn audit(&self, input: &Input, bytes: &[u8], cx: &AuditContext<'_>) -> Outcome;
}

/// Every source, in the order discovery offers files to them (the first that claims a file
/// audits it).
pub static SOURCES: &[&dyn Source] = &[&dockerfile::DockerfileSource];

/// The source auditing inputs of `kind`.
pub fn by_kind(kind: &str) -> Option<&'static dyn Source> {
    SOURCES.iter().copied().find(|s| s.kind() == kind)
}

/// The plural names of every source, for "no Dockerfiles found" messages.
pub fn plural_names() -> String {
    let names: Vec<&str> = SOURCES.iter().map(|s| s.plural()).collect();
    names.join(" or ")
}

/// Reads and audits one input; read errors become the outcome's error.
pub fn audit_input(input: &Input, cx: &AuditContext<'_>) -> Outcome {
    let Some(source) = by_kind(input.kind) else {
        return Outcome {
            errors: vec![AuditError {
                path: input.display.clone(),
                span: None,
                message: format!("no auditor for inputs of kind `{}`", input.kind),
                hint: None,
            }],
            ..Outcome::default()
        };
    };
    match input.read() {
        Ok(bytes) => source.audit(input, &bytes, cx),
        Err(err) => Outcome {
            errors: vec![err],
            ..Outcome::default()
        },
    }
}
