//! What every source shares, apart from the list of sources: the [`Source`] trait, the
//! read-only [`AuditContext`] of a run, the compose [`RunSettings`], and the [`Outcome`] of
//! auditing one input. A module of its own so that the sources, the memory-bounding sink
//! ([`super::fold`]) and the list of sources ([`super::SOURCES`]) all depend on it and none on
//! another's parent.

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
    /// see [`super::fold`]), so that occurrence counts are exact.
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
    /// The findings have been through a [`super::fold::Sink`] already (a source that streams its
    /// findings through one itself); otherwise [`super::audit_input`] passes them through one.
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
