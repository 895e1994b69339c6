//! The Dockerfile (`DF`) rules. Each rule lives in its own file with its `RuleMeta` (id, docs,
//! cross-references) beside its check, implementing core's [`Rule`] for a [`Context`]; each
//! group declares its rule modules and their rules in one `rule_group!` list (so a rule module
//! cannot exist unregistered), and [`RULES`] lists every group. This module holds rules only:
//! what they read is built in [`crate::analysis`]. Rules are pure: they read the parsed file,
//! the views of it several rules share ([`AnalysisCache`], each computed once per file) and the
//! image policy, and push findings.

use crate::analysis::cache::AnalysisCache;
use crate::analysis::run::instructions::{Run, Runs};
use crate::analysis::run::package_settings::Settings;
use crate::analysis::run::verification;
use crate::analysis::stages::{self, Stages};
use crate::ast::Dockerfile;
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::suppression::Pragma;
use plimsoll_core::{Finding, RuleMeta};

/// What a rule gets to look at: the file, the image policy, and the shared per-file views
/// (computed on first use, then reused by every rule).
pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub policy: &'a ImagePolicy,
    cache: &'a AnalysisCache<'a>,
}

impl<'a> Context<'a> {
    pub fn new(cache: &'a AnalysisCache<'a>, policy: &'a ImagePolicy) -> Context<'a> {
        Context {
            file: cache.file(),
            policy,
            cache,
        }
    }

    /// The stages with ARG/ENV scoping (see [`stages::Stages`]).
    pub fn stages(&self) -> &'a Stages<'a> {
        self.cache.stages()
    }

    /// Every RUN, parsed and flattened (see [`crate::analysis::run::instructions`]).
    pub fn runs(&self) -> &'a Runs<'a> {
        self.cache.runs()
    }

    /// Where TLS or signature verification is switched off (DF040, DF041).
    pub fn verify_hits(&self) -> &'a [verification::Hit] {
        self.cache.verify_hits()
    }

    /// Each RUN of [`Context::runs`] with the package-manager defaults earlier RUNs set for it
    /// (see [`crate::analysis::run::package_settings::before_each`]).
    pub fn runs_with_settings(&self) -> impl Iterator<Item = (&'a Run<'a>, Settings)> + 'a {
        let runs = self.cache.runs();
        let before = self.cache.settings_before_runs();
        runs.list.iter().zip(before.iter().copied())
    }
}

pub use plimsoll_core::Rule;

/// A Dockerfile rule: core's one rule shape, judging a file through its [`Context`].
pub type DockerfileRule = dyn for<'a> Rule<Context<'a>>;

pub mod image;
pub mod instructions;
pub mod run;
pub mod secrets;

#[cfg(test)]
mod registration_tests;

/// Every Dockerfile rule, by group: `image` (user and base image, DF001–DF006, DF050),
/// `secrets` (DF007, DF008, DF049), `instructions` (DF009–DF025), `run` (what RUN commands do,
/// DF030–DF048).
pub static RULES: &[&[&DockerfileRule]] = &[
    image::RULES,
    secrets::RULES,
    instructions::RULES,
    run::RULES,
];

/// The metadata of every Dockerfile rule, for the registry.
pub fn metas() -> Vec<&'static RuleMeta> {
    RULES
        .iter()
        .flat_map(|g| g.iter())
        .map(|r| r.meta())
        .collect()
}

/// Runs every rule on a parsed file.
pub fn audit(file: &Dockerfile, policy: &ImagePolicy) -> Vec<Finding> {
    audit_with(&AnalysisCache::new(file), policy)
}

/// Runs every rule on a file built to the stage named `target` (`docker build --target`,
/// compose `build.target`): the final-stage rules (user, healthcheck, what ships in the image)
/// judge that stage instead of the last one. Errors with BuildKit's message when no stage has
/// that name.
pub fn audit_target(
    file: &Dockerfile,
    policy: &ImagePolicy,
    target: &str,
) -> Result<Vec<Finding>, String> {
    let index = stages::target_index(file, target)
        .ok_or_else(|| format!("target stage {target:?} could not be found"))?;
    Ok(audit_with(
        &AnalysisCache::with_target(file, Some(index)),
        policy,
    ))
}

fn audit_with<'a>(cache: &'a AnalysisCache<'a>, policy: &'a ImagePolicy) -> Vec<Finding> {
    let cx = Context::new(cache, policy);
    let mut out = Vec::new();
    for rule in RULES.iter().flat_map(|g| g.iter()) {
        rule.check(&cx, &mut out);
    }
    out
}

/// The suppression pragmas in a file's comments, each mapped to the instruction that follows
/// it (or encloses it), or the whole file for `global ignore=`: core's reader of pragmas
/// (`plimsoll_core::pragma::unit_pragmas`) with the instructions as units.
pub fn pragmas(file: &Dockerfile) -> Vec<Pragma> {
    let instructions: Vec<(u32, u32)> = file
        .instructions
        .iter()
        .map(|i| (i.span.start.line, i.span.end.line))
        .collect();
    let comments = file.comments.iter().map(|c| (c.span, c.value.as_str()));
    plimsoll_core::pragma::unit_pragmas(comments, &instructions)
}
