//! RS008: masked and read-only kernel paths opened up.

use crate::dialect::{Dialect, Fix};
use crate::model::{Origin, SecurityOpt};
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS008",
    name: "system-paths-unmasked",
    title: "Masked /proc and /sys paths exposed",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `security_opt: [systempaths=unconfined]` (`docker run --security-opt \
systempaths=unconfined`), which removes the masks and read-only mounts Docker puts over \
sensitive kernel interfaces, and — at medium severity — on `writable-cgroups=true`, which \
mounts `/sys/fs/cgroup` read-write. (`docker inspect` shows the first as empty \
`HostConfig.MaskedPaths` and `HostConfig.ReadonlyPaths`; a collector of existing containers \
reports it as this option.)\n\nPrivileged containers get the same (and more); RS001 reports them.",
        why: "Docker hides `/proc/kcore`, `/proc/keys`, `/proc/timer_list`, `/proc/sched_debug`, \
`/sys/firmware` and others, and mounts `/proc/sys`, `/proc/sysrq-trigger`, `/proc/irq` and \
`/proc/bus` read-only, because they are global to the host, not per container. With \
`systempaths=unconfined` root in the container can write `/proc/sys/kernel/core_pattern` — \
set it to `|/path/in/container` and the host kernel runs that program as root the next time \
any process crashes — or write `b` to `/proc/sysrq-trigger` to reboot the host. A writable \
`/sys/fs/cgroup` lets it change its own resource limits and, on cgroup v1 hosts, reach the \
`release_agent` escape route.",
        fix: "Remove `systempaths=unconfined` (and `writable-cgroups=true`) from \
`security_opt`. A program that needs one kernel setting should get it through `sysctls:` \
(`--sysctl`), which only accepts namespaced settings; host-wide settings belong on the host.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - systempaths=unconfined\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    sysctls:\n      net.core.somaxconn: 1024\n",
    },
    references: References {
        cwe: &["CWE-668", "CWE-250"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
            "https://man7.org/linux/man-pages/man5/core.5.html",
            "https://github.com/moby/moby/blob/master/oci/defaults.go",
        ],
        ..References::NONE
    },
};

pub struct SystemPaths;

impl Rule<Input<'_>> for SystemPaths {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        // `systempaths=unconfined` is the only value the engine accepts; the last one counts.
        let unmasked = spec.last_security_opt(|o| match o {
            SecurityOpt::SystemPaths(v) => Some(v.trim() == "unconfined"),
            _ => None,
        });
        if let Some((true, opt)) = unmasked {
            let written = opt.origin.written.trim();
            out.push(
                Finding::new(
                    &META,
                    opt.origin.location.clone(),
                    format!(
                        "{} unmasks the host's kernel interfaces (`{written}`): `/proc/kcore`, \
                         `/proc/keys` and `/sys/firmware` become visible and `/proc/sys` and \
                         `/proc/sysrq-trigger` writable, so root in it can set \
                         `kernel.core_pattern` to make the host run its program as root, or \
                         reboot the host",
                        dialect.subject(spec)
                    ),
                )
                .evidence(written)
                .fix(fix(dialect, &opt.origin, false))
                .key(format!("{}:systempaths", spec.name))
                .build(),
            );
        }
        let writable = spec.last_security_opt(|o| match o {
            SecurityOpt::WritableCgroups(on) => Some(*on),
            _ => None,
        });
        if let Some((true, opt)) = writable {
            let written = opt.origin.written.trim();
            out.push(
                Finding::new(
                    &META,
                    opt.origin.location.clone(),
                    format!(
                        "{} mounts `/sys/fs/cgroup` writable (`{written}`): it can raise its own \
                         memory, CPU and pids limits and, on cgroup v1 hosts, reach the \
                         `release_agent` escape route",
                        dialect.subject(spec)
                    ),
                )
                .evidence(written)
                .fix(fix(dialect, &opt.origin, true))
                .key(format!("{}:writable-cgroups", spec.name))
                .severity(Severity::Medium)
                .build(),
            );
        }
    }
}

fn fix(dialect: &dyn Dialect, origin: &Origin, cgroups: bool) -> String {
    let how = remove(dialect, origin, "re-create the container without it");
    if cgroups {
        let limits = dialect.fix(Fix::ResourceLimitSettings);
        return format!("{how}; set the container's resource limits from outside ({limits})");
    }
    let sysctl = dialect.fix(Fix::SysctlSetting);
    format!("{how}; give a namespaced kernel setting the program needs through {sysctl} instead")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, run};

    #[test]
    fn unconfined_system_paths_fire() {
        let spec = compose("web")
            .security_opt(
                "systempaths=unconfined",
                SecurityOpt::SystemPaths("unconfined".into()),
            )
            .build();
        let found = check(&SystemPaths, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("core_pattern"));
    }

    #[test]
    fn writable_cgroups_fire_at_medium() {
        let spec = run("web")
            .security_opt("writable-cgroups=true", SecurityOpt::WritableCgroups(true))
            .build();
        let found = check(&SystemPaths, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Medium);
        let spec = run("web")
            .security_opt(
                "writable-cgroups=false",
                SecurityOpt::WritableCgroups(false),
            )
            .build();
        assert!(check(&SystemPaths, &spec).is_empty());
    }

    #[test]
    fn nothing_set_passes() {
        assert!(check(&SystemPaths, &compose("web").hardened().build()).is_empty());
    }
}
