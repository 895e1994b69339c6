//! The run-configuration (`RS`) rules: how isolated a container is, judged from its
//! [`RunSpec`] — whether that came from a compose service, a `docker run` command line or a
//! `docker inspect` result. Each rule lives in its own file with its `RuleMeta` (id, docs,
//! cross-references) beside its check; rule groups list their rules, and [`RULES`] lists every
//! group. Rules are pure: they read one RunSpec and the image policy, and push findings.
//!
//! Rules read only facts every source can give (the model's fields and their origins), and
//! look at [`RunSpec::kind`] only to phrase a fix in the source's own terms (a compose key, a
//! `docker run` flag) or where the engine's defaults differ by source.

use crate::model::{Origin, RunSpec, SpecKind, Via};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::{Finding, RuleMeta};

/// What a rule gets to look at besides the RunSpec itself.
pub struct Context<'a> {
    pub policy: &'a ImagePolicy,
}

impl<'a> Context<'a> {
    pub fn new(policy: &'a ImagePolicy) -> Context<'a> {
        Context { policy }
    }
}

/// A RunSpec rule: its metadata and a pure check.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, spec: &RunSpec, cx: &Context<'_>, out: &mut Vec<Finding>);
}

pub mod exposure;
pub mod mounts;
pub mod namespaces;
pub mod operations;
pub mod privileges;
pub mod resources;
pub mod runtime;

#[cfg(test)]
pub mod testing;

/// Every RunSpec rule, by group: `privileges` (RS001–RS008), `namespaces` (RS009–RS014),
/// `mounts` (RS015–RS018), `resources` (RS019–RS023), `exposure` (RS024–RS028), `operations`
/// (RS029–RS033), `runtime` (RS034–RS037, live containers only).
pub static RULES: &[&[&dyn Rule]] = &[
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
    let mut out = Vec::new();
    for rule in RULES.iter().flat_map(|g| g.iter()) {
        rule.check(spec, cx, &mut out);
    }
    out
}

/// How findings name the container a RunSpec describes: "service `web`", "the `docker run`
/// command for `web`", "container `web`". Every RS message starts from it so they read alike.
pub fn subject(spec: &RunSpec) -> String {
    let name = spec.name.trim();
    match &spec.kind {
        SpecKind::ComposeService { .. } => format!("service `{name}`"),
        SpecKind::RunCommand if name.is_empty() => "the `docker run` command".to_string(),
        // An unnamed command is named after itself (`docker run nginx`).
        SpecKind::RunCommand if name.starts_with("docker ") => format!("`{name}`"),
        // Without `--name` the command is named after its image.
        SpecKind::RunCommand if spec.image.as_ref().is_some_and(|i| i.value.trim() == name) => {
            format!("`docker run {name}`")
        }
        SpecKind::RunCommand => format!("the `docker run` command for `{name}`"),
        SpecKind::Container { .. } => format!("container `{name}`"),
    }
}

/// The first step of a fix that takes out a setting, quoting it as written: compose
/// "remove `seccomp:unconfined` from `security_opt`" (a list item) or "remove
/// `network_mode: host`", `docker run` "remove `--net=host`". An existing container cannot be
/// edited, so for it the rule's own `container` text is used.
pub fn remove(spec: &RunSpec, origin: &Origin, container: &str) -> String {
    let written = origin.written.trim();
    // `… (from ${X})`: interpolation's note, not part of what to remove.
    let written = match written.find(" (from ") {
        Some(i) if written.ends_with(')') => written.get(..i).unwrap_or(written),
        _ => written,
    };
    match (&spec.kind, &origin.via) {
        (SpecKind::Container { .. }, _) => container.to_string(),
        (_, Via::Compose(path)) if path.ends_with(']') => {
            let key: String = {
                let mut depth = 0usize;
                path.chars()
                    .filter(|c| match c {
                        '[' => {
                            depth += 1;
                            false
                        }
                        ']' => {
                            depth = depth.saturating_sub(1);
                            false
                        }
                        _ => depth == 0,
                    })
                    .collect()
            };
            let item = written
                .strip_prefix(key.as_str())
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(written);
            format!("remove `{item}` from `{key}`")
        }
        _ => format!("remove `{written}`"),
    }
}

/// Picks the phrasing for the spec's kind of source: a compose key, a `docker run` flag, or
/// what to change when re-creating an existing container.
pub fn by_kind<'a>(spec: &RunSpec, compose: &'a str, run: &'a str, container: &'a str) -> &'a str {
    match spec.kind {
        SpecKind::ComposeService { .. } => compose,
        SpecKind::RunCommand => run,
        SpecKind::Container { .. } => container,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SecurityOpt;
    use crate::rules::testing::{compose, container, run};

    #[test]
    fn subjects_name_the_source() {
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
            remove(&spec, origin, "-"),
            "remove `seccomp:unconfined` from `security_opt`"
        );
        let spec = compose("web").privileged(true).build();
        let origin = spec
            .privileged
            .as_ref()
            .map(|p| p.origin.clone())
            .unwrap_or_default();
        assert_eq!(remove(&spec, &origin, "-"), "remove `privileged: true`");
        let mut origin = origin;
        origin.written = "privileged: true (from ${PRIV})".to_string();
        assert_eq!(remove(&spec, &origin, "-"), "remove `privileged: true`");
        let spec = run("web").cap_add("SYS_ADMIN").build();
        assert_eq!(
            remove(&spec, &spec.cap_add[0].origin, "-"),
            "remove `--cap-add=SYS_ADMIN`"
        );
        let spec = container("web").cap_add("SYS_ADMIN").build();
        assert_eq!(
            remove(&spec, &spec.cap_add[0].origin, "re-create"),
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
