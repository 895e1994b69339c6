//! RS023: the container is placed under a cgroup of its own choosing.

use super::phrasing::spec_key;
use crate::dialect::Fix;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS023",
    name: "custom-cgroup-parent",
    title: "Container placed under a custom parent cgroup",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `cgroup_parent:` (compose), `--cgroup-parent` (`docker run`) or \
`HostConfig.CgroupParent` (a container) is set to anything, naming the value. It is \
reported at **high** severity when the parent is the root of the hierarchy (`/`) or a slice \
the host's own services live in (`system.slice`, `init.scope`, `-.slice`, `user.slice`, \
`machine.slice`). An empty value is the engine default and does not fire (CIS 5.25; KICS \
\"Cgroup Not Default\").",
        why: "The engine puts every container under its own parent cgroup (`/docker` with the \
cgroupfs driver, `system.slice` with `docker-<id>.scope` under systemd), where daemon-wide \
resource policy and accounting apply. A custom parent moves the container out of that \
policy: under `/` or a host slice it escapes limits set on the Docker parent and competes \
directly with the host's own services; under another workload's cgroup it shares — and can \
exhaust — that workload's memory, CPU and PIDs budget, a noisy-neighbour denial of service \
against whatever else lives there. It also hides the container from tools that look for \
containers in the engine's usual place.",
        fix: "Remove the setting so the engine's default parent applies. If the host really \
partitions workloads by slice, give the container a slice created for it \
(`containers-web.slice`) with its own limits, and document why. In compose delete \
`cgroup_parent:`; on `docker run` drop `--cgroup-parent`; a container has to be re-created \
without it.",
        bad: concat!(
            "services:\n",
            "  web:\n",
            "    image: nginx:1.27\n",
            "    cgroup_parent: system.slice\n",
        ),
        good: concat!("services:\n", "  web:\n", "    image: nginx:1.27\n"),
    },
    references: References {
        cis: &["5.25"],
        kics: &["Cgroup Not Default", "4d9f44c6-2f4a-4317-9bb5-267adbea0232"],
        cwe: &["CWE-400"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#cgroup-parent",
            "https://docs.docker.com/reference/compose-file/services/#cgroup_parent",
        ],
        ..References::NONE
    },
};

pub struct CgroupParent;

/// Parents that hold the host's own processes (besides the root `/`): placing a container
/// there competes with them directly.
const HOST_PARENTS: &[&str] = &[
    "-.slice",
    "system.slice",
    "init.scope",
    "user.slice",
    "machine.slice",
];

impl Rule<Input<'_>> for CgroupParent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(parent) = &spec.cgroup_parent else {
            return;
        };
        let value = parent.value.trim();
        if value.is_empty() {
            return;
        }
        // `/system.slice/`, `system.slice` and `/` as cgroupfs paths or systemd names.
        let bare = value.trim_matches('/');
        let host = bare.is_empty() || HOST_PARENTS.contains(&bare);
        let (severity, where_) = if host {
            (
                Severity::High,
                "a cgroup the host's own services live in: it escapes the limits set on the \
                 engine's parent cgroup and competes directly with the host's processes",
            )
        } else {
            (
                Severity::Medium,
                "outside the engine's default parent: daemon-wide limits no longer apply, and \
                 it shares the CPU, memory and PIDs budget of whatever else runs there",
            )
        };
        out.push(
            Finding::new(
                &META,
                parent.origin.location.clone(),
                format!(
                    "{} runs under cgroup `{value}`, {where_}",
                    dialect.subject(spec)
                ),
            )
            .evidence(parent.origin.written.clone())
            .fix(dialect.fix(Fix::DefaultCgroupParent))
            .key(spec_key(spec, format!("cgroup-parent:{value}")))
            .severity(severity)
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn custom_parent_fires_medium() {
        let spec = compose("web").cgroup_parent("tenant-b.slice").build();
        let found = check(&CgroupParent, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Medium);
        assert!(found[0]
            .message
            .starts_with("service `web` runs under cgroup `tenant-b.slice`"));
        assert_eq!(
            found[0].evidence.as_deref(),
            Some("cgroup_parent: tenant-b.slice")
        );
    }

    #[test]
    fn host_parents_are_high() {
        for p in ["/", "system.slice", "init.scope", "/user.slice/"] {
            let found = check(&CgroupParent, &run("web").cgroup_parent(p).build());
            assert_eq!(found[0].severity, Severity::High, "{p}");
        }
    }

    #[test]
    fn unset_or_empty_passes() {
        assert!(check(&CgroupParent, &container("web").build()).is_empty());
        assert!(check(&CgroupParent, &container("web").cgroup_parent("").build()).is_empty());
    }
}
