//! RS014: the container shares the host's cgroup namespace.

use crate::dialect::Fix;
use crate::rules::privileges::caps;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS014",
    name: "host-cgroupns",
    title: "Host cgroup namespace shared",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container asks for the host's cgroup namespace: compose \
`cgroup: host`, `docker run --cgroupns host`, `HostConfig.CgroupnsMode: host`. It is medium \
when the container also holds `SYS_ADMIN`. `cgroup: private` does not fire. (On cgroup v1 \
hosts the engine's default is the host namespace; a compose file or command cannot tell \
which version the host runs, so only the explicit setting fires.)",
        why: "In the host's cgroup namespace, `/proc/self/cgroup` and `/sys/fs/cgroup` show \
the host's whole cgroup tree: the paths and IDs of every other container and system service, \
which helps an attacker map the host and target its neighbours. Combined with a way to mount \
or write cgroup files (`SYS_ADMIN`, `writable-cgroups`), the container works on the host's \
real hierarchy — where cgroup v1's `release_agent` runs programs as root on the host.",
        fix: "Remove `cgroup: host` (`--cgroupns host`) or set `cgroup: private` \
(`--cgroupns private`). Only a container manager or monitoring agent that must see every \
cgroup needs the host's namespace.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    cgroup: host\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    cgroup: private\n",
    },
    references: References {
        cwe: &["CWE-668"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#cgroupns",
            "https://man7.org/linux/man-pages/man7/cgroup_namespaces.7.html",
        ],
        ..References::NONE
    },
};

pub struct HostCgroupns;

impl Rule<Input<'_>> for HostCgroupns {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(cgroupns) = super::host(&spec.cgroupns) else {
            return;
        };
        let written = cgroupns.origin.written.trim();
        let (severity, tail) = if caps::holds(spec, "SYS_ADMIN") {
            (
                Severity::Medium,
                "; holding SYS_ADMIN, it can mount and write that real hierarchy",
            )
        } else {
            (Severity::Low, "")
        };
        let then = dialect.fix(Fix::PrivateCgroupnsInstead);
        let fix = remove(
            dialect,
            &cgroupns.origin,
            "re-create the container with `--cgroupns private`",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                cgroupns.origin.location.clone(),
                format!(
                    "{} shares the host's cgroup namespace (`{written}`): it sees the host's \
                     whole cgroup tree, with every other container and system service{tail}",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:cgroupns:host", spec.name))
            .severity(severity)
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NamespaceMode;
    use crate::rules::testing::{check, compose, run};

    #[test]
    fn host_cgroupns_fires() {
        let spec = compose("web").cgroupns("host", NamespaceMode::Host).build();
        let found = check(&HostCgroupns, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Low);
        assert!(found[0].message.contains("(`cgroup: host`)"));
        let spec = run("web")
            .cgroupns("host", NamespaceMode::Host)
            .cap_add("SYS_ADMIN")
            .build();
        assert_eq!(check(&HostCgroupns, &spec)[0].severity, Severity::Medium);
    }

    #[test]
    fn private_passes() {
        let spec = compose("web")
            .cgroupns("private", NamespaceMode::Private)
            .build();
        assert!(check(&HostCgroupns, &spec).is_empty());
    }
}
