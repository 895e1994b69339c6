//! The run-configuration (`RS`) rules: how isolated a container is, judged from its
//! [`RunSpec`] — whether that came from a compose service, a `docker run` command line or a
//! `docker inspect` result. Each rule lives in its own file with its `RuleMeta` (id, docs,
//! cross-references) beside its check; rule groups list their rules, and [`RULES`] lists every
//! group. Rules are pure: they read one RunSpec and the image policy, and push findings.
//!
//! Rules read only facts every source can give (the model's fields and their origins). They
//! never look at [`RunSpec::kind`]: the input's [`Dialect`] words each fix in the source's own
//! terms (a compose key, a `docker run` flag) and states where the engine's defaults differ by
//! source, so a new source needs a dialect, not a rule change.

use crate::dialect::{self, Dialect};
use crate::model::{Origin, RunSpec};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, RuleMeta};

pub use plimsoll_core::Rule;

/// What the caller gives the rules besides the RunSpec itself.
pub struct Context<'a> {
    pub policy: &'a ImagePolicy,
}

impl<'a> Context<'a> {
    pub fn new(policy: &'a ImagePolicy) -> Context<'a> {
        Context { policy }
    }
}

/// The one input of an RS rule: the spec, the image policy, and the dialect of the spec's
/// source, which words every fix (rules name fields; the dialect says how to write them).
pub struct Input<'a> {
    pub spec: &'a RunSpec,
    pub policy: &'a ImagePolicy,
    pub dialect: &'a dyn Dialect,
}

impl<'a> Input<'a> {
    /// The input for `spec`, worded in the dialect of the source it came from.
    pub fn new(spec: &'a RunSpec, cx: &Context<'a>) -> Input<'a> {
        Input {
            spec,
            policy: cx.policy,
            dialect: dialect::of(spec),
        }
    }
}

/// An RS rule: the workspace's one rule shape ([`plimsoll_core::Rule`]) over [`Input`].
pub trait RunSpecRule: for<'a> Rule<Input<'a>> {}

impl<T: for<'a> Rule<Input<'a>>> RunSpecRule for T {}

pub mod exposure;
pub mod mounts;
pub mod namespaces;
pub mod operations;
pub mod privileges;
pub mod resources;
pub mod runtime;

#[cfg(any(test, feature = "testkit"))]
pub mod testing;

/// Every RunSpec rule, by group: `privileges` (RS001–RS008), `namespaces` (RS009–RS014),
/// `mounts` (RS015–RS018), `resources` (RS019–RS023), `exposure` (RS024–RS028), `operations`
/// (RS029–RS033), `runtime` (RS034–RS037, live containers only).
pub static RULES: &[&[&dyn RunSpecRule]] = &[
    privileges::RULES,
    namespaces::RULES,
    mounts::RULES,
    resources::RULES,
    exposure::RULES,
    operations::RULES,
    runtime::RULES,
];

/// The metadata of every RunSpec rule, for the registry.
pub fn metas() -> Vec<&'static RuleMeta> {
    RULES
        .iter()
        .flat_map(|g| g.iter())
        .map(|r| r.meta())
        .collect()
}

/// Runs every rule on one RunSpec.
pub fn audit(spec: &RunSpec, cx: &Context<'_>) -> Vec<Finding> {
    audit_in(&Input::new(spec, cx))
}

/// Runs every rule on one input (a spec with the dialect of its choice).
pub fn audit_in(input: &Input<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES.iter().flat_map(|g| g.iter()) {
        rule.check(input, &mut out);
    }
    out
}

/// The first step of a fix that takes out a setting, quoting it as written (see
/// [`Dialect::remove`]); `recreate` when the source cannot be edited (an existing container).
pub fn remove(dialect: &dyn Dialect, origin: &Origin, recreate: &str) -> String {
    dialect
        .remove(origin)
        .unwrap_or_else(|| recreate.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SecurityOpt;
    use crate::rules::testing::{compose, container, run};

    #[test]
    fn subjects_name_the_source() {
        let subject = |spec: &RunSpec| dialect::of(spec).subject(spec);
        assert_eq!(subject(&compose("web").build()), "service `web`");
        assert_eq!(
            subject(&run("web").build()),
            "the `docker run` command for `web`"
        );
        let unnamed = run("x").with(|s| s.name = "nginx:1.27".to_string()).build();
        assert_eq!(subject(&unnamed), "`docker run nginx:1.27`");
        assert_eq!(subject(&container("web").build()), "container `web`");
    }

    #[test]
    fn remove_quotes_what_was_written() {
        let spec = compose("web")
            .security_opt(
                "seccomp:unconfined",
                SecurityOpt::Seccomp("unconfined".into()),
            )
            .build();
        let origin = &spec.security_opt[0].origin;
        assert_eq!(
            remove(dialect::of(&spec), origin, "-"),
            "remove `seccomp:unconfined` from `security_opt`"
        );
        let spec = compose("web").privileged(true).build();
        let origin = spec
            .privileged
            .as_ref()
            .map(|p| p.origin.clone())
            .unwrap_or_default();
        assert_eq!(
            remove(dialect::of(&spec), &origin, "-"),
            "remove `privileged: true`"
        );
        let mut origin = origin;
        origin.written = "privileged: true (from ${PRIV})".to_string();
        assert_eq!(
            remove(dialect::of(&spec), &origin, "-"),
            "remove `privileged: true`"
        );
        let spec = run("web").cap_add("SYS_ADMIN").build();
        assert_eq!(
            remove(dialect::of(&spec), &spec.cap_add[0].origin, "-"),
            "remove `--cap-add=SYS_ADMIN`"
        );
        let spec = container("web").cap_add("SYS_ADMIN").build();
        assert_eq!(
            remove(dialect::of(&spec), &spec.cap_add[0].origin, "re-create"),
            "re-create"
        );
    }

    #[test]
    fn every_rule_is_listed_once_in_id_order() {
        let ids: Vec<&str> = metas().iter().map(|m| m.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert!(ids.len() >= 18);
    }
}
