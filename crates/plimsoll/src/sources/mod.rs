//! Sources: the kinds of input plimsoll audits. Each [`Source`] says which files discovery should
//! pick up for it and how to audit one input's bytes. `scan` walks a directory once and offers
//! every file to every source, so adding compose files or `docker run` scripts later is one more
//! entry in [`SOURCES`], not another loop.

pub mod compose;
pub mod correlate;
pub mod discover;
pub mod dockerfile;
pub mod files;
pub mod fold;
pub mod git;
pub mod script;

use crate::input::Input;
use plimsoll_core::config::Config;
use plimsoll_core::suppression::{Baseline, BaselineRecorder};
use plimsoll_core::{AuditError, Finding, Registry, Tail, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What an audit of one input may use: shared, read-only, built once per run.
pub struct AuditContext<'a> {
    pub registry: &'a Registry,
    pub config: &'a Config,
    pub run: &'a RunSettings,
    /// Display paths of the Dockerfiles this run audits as inputs of their own: a compose
    /// service that builds one still reads it (for its USER and HEALTHCHECK) but leaves its
    /// audit to that input instead of running the DF rules twice.
    pub dockerfiles: &'a BTreeSet<String>,
    /// The baseline, applied to each input's findings as they are produced (before folding,
    /// see [`fold`]), so that occurrence counts are exact.
    pub baseline: Option<&'a Baseline>,
    /// Whether to record every finding for a new baseline (`plimsoll baseline`).
    pub record_baseline: bool,
}

impl<'a> AuditContext<'a> {
    /// The one pipeline tail every source hands its raw findings and pragmas to: inline
    /// suppression, then the configuration's rule settings.
    pub fn tail(&self) -> Tail<'a> {
        Tail::new(self.registry, self.config)
    }

    /// The display paths of the Dockerfile inputs among `inputs`.
    pub fn dockerfile_inputs(inputs: &[Input]) -> BTreeSet<String> {
        inputs
            .iter()
            .filter(|i| i.kind == "dockerfile")
            .map(|i| i.display.clone())
            .collect()
    }
}

/// How compose projects are loaded: what `docker compose` would take from its flags and the
/// environment.
#[derive(Debug, Clone, Default)]
pub struct RunSettings {
    /// The environment compose files are interpolated with (the process's, normally).
    pub env: BTreeMap<String, String>,
    /// `--profile`s to enable (with `COMPOSE_PROFILES` from `env`).
    pub profiles: Vec<String>,
    /// `--env-file`s replacing the project's `.env`.
    pub env_files: Vec<PathBuf>,
    /// `--project-directory`.
    pub project_directory: Option<PathBuf>,
    /// `--project-name`.
    pub project_name: Option<String>,
}

impl RunSettings {
    /// Settings from the process environment and nothing else.
    pub fn from_env() -> RunSettings {
        RunSettings {
            env: std::env::vars().collect(),
            ..RunSettings::default()
        }
    }
}

/// The result of auditing one input. A parse error still yields what could be learned (the
/// error), and the input counts as audited only when it has targets. One input can have several
/// targets: a compose project is its files, and the Dockerfiles its services build.
#[derive(Debug, Default)]
pub struct Outcome {
    pub targets: Vec<Target>,
    pub findings: Vec<Finding>,
    pub errors: Vec<AuditError>,
    pub warnings: Vec<AuditError>,
    /// The findings have been through a [`fold::Sink`] already (a source that streams its
    /// findings through one itself); otherwise [`audit_input`] passes them through one.
    pub sunk: bool,
    /// Every finding's fingerprint counted, when the run records a baseline.
    pub recorded: Option<BaselineRecorder>,
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
    /// Audits one input's bytes: parse, run the rules, and hand their raw findings with the
    /// file's pragmas to [`AuditContext::tail`]. Never panics on any input.
    fn audit(&self, input: &Input, bytes: &[u8], cx: &AuditContext<'_>) -> Outcome;
}

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
