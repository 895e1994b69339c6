//! Sources: the kinds of input plimsoll audits. Each [`Source`] says which files discovery should
//! pick up for it and how to audit one input's bytes. `scan` walks a directory once and offers
//! every file to every source, so adding compose files or `docker run` scripts later is one more
//! entry in [`SOURCES`], not another loop.

pub mod compose;
pub mod context;
pub mod correlate;
pub mod discover;
pub mod disk_files;
pub mod dockerfile;
pub mod fold;
pub mod git;
pub mod script;

use crate::input::Input;
use plimsoll_core::AuditError;

pub use context::{AuditContext, Outcome, RunSettings, Source};

/// Every source, in the order discovery offers files to them (the first that claims a file
/// audits it).
pub static SOURCES: &[&dyn Source] = &[
    &dockerfile::DockerfileSource,
    &compose::ComposeSource,
    &script::ScriptSource,
];

/// The source auditing inputs of `kind`.
fn by_kind(kind: &str) -> Option<&'static dyn Source> {
    SOURCES.iter().copied().find(|s| s.kind() == kind)
}

/// The plural names of every source, for "no Dockerfiles found" messages:
/// `Dockerfiles, compose files or scripts with docker run lines`.
pub fn plural_names() -> String {
    let names: Vec<&str> = SOURCES.iter().map(|s| s.plural()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
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
        Ok(bytes) => {
            let mut outcome = source.audit(input, &bytes, cx);
            if !outcome.sunk {
                let mut sink = fold::Sink::new(cx);
                sink.extend(std::mem::take(&mut outcome.findings));
                sink.finish(&mut outcome);
            }
            outcome
        }
        Err(err) => Outcome {
            errors: vec![err],
            ..Outcome::default()
        },
    }
}
