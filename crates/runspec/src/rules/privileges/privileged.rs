//! RS001: the container runs privileged.

use crate::dialect::Fix;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS001",
    name: "privileged",
    title: "Container runs privileged",
    severity: Severity::Critical,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container is run privileged: compose `privileged: true` (also the \
string `\"true\"`), `docker run --privileged` (or `--privileged=true`), or \
`HostConfig.Privileged: true` on an existing container. `privileged: false` written out does \
not fire.",
        why: "A privileged container is not isolated in any way that matters: it gets every \
capability (including `SYS_ADMIN` and `SYS_MODULE`), every host device (`/dev/sda`, \
`/dev/mem`), no seccomp filter, no AppArmor or SELinux confinement, and writable `/sys` and \
`/proc/sys`. Getting root on the host from inside takes one command — mount the host's disk \
(`mount /dev/sda1 /mnt` and edit `/mnt/etc/shadow` or a cron job), load a kernel module, or set \
a cgroup `release_agent`. Any remote code execution in the application is therefore a host \
compromise.",
        fix: "Remove `privileged: true` (`--privileged`). Find out which privileged operation \
the process really needs and grant only that: one capability with `cap_add` (`--cap-add`), one \
device with `devices` (`--device`), or a specific `sysctls` entry. Work that needs a \
privileged container (building images, managing the host) belongs in a dedicated tool such as \
rootless BuildKit, not in an application service.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    privileged: true\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n",
    },
    references: References {
        cis: &["5.5"],
        kics: &[
            "Privileged Containers Enabled",
            "ae5b6871-7f45-42e0-bb4c-ab300c4d2026",
        ],
        cwe: &["CWE-250"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#privileged",
            "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
        ],
        ..References::NONE
    },
};

pub struct Privileged;

impl Rule<Input<'_>> for Privileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(p) = &spec.privileged else { return };
        if !p.value {
            return;
        }
        let then = dialect.fix(Fix::GrantNarrowlyInstead);
        let fix = remove(
            dialect,
            &p.origin,
            "re-create the container without `--privileged` (`privileged: true` in compose), \
             granting only the capability or device it needs",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                p.origin.location.clone(),
                format!(
                    "{} runs privileged (`{}`): it gets every capability and host device, no \
                     seccomp or AppArmor/SELinux confinement, and can mount the host's disks — \
                     root in it is root on the host",
                    dialect.subject(spec),
                    p.origin.written.trim()
                ),
            )
            .evidence(p.origin.written.trim())
            .fix(fix)
            .key(format!("{}:privileged", spec.name))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn fires_on_privileged_from_every_source() {
        for spec in [
            compose("web").privileged(true).build(),
            run("web").privileged(true).build(),
            container("web").privileged(true).build(),
        ] {
            let found = check(&Privileged, &spec);
            assert_eq!(found.len(), 1, "{:?}", spec.anchor.location);
            assert_eq!(found[0].severity, Severity::Critical);
        }
        let found = check(&Privileged, &run("web").privileged(true).build());
        assert!(
            found[0].message.contains("`--privileged`"),
            "{}",
            found[0].message
        );
        let span = found[0]
            .location
            .span
            .map(|s| s.end.column - s.start.column);
        assert_eq!(span, Some(12), "the span covers `--privileged`");
        assert!(found[0]
            .fix
            .starts_with("remove `--privileged`; grant only"));
        let found = check(&Privileged, &compose("web").privileged(true).build());
        assert!(found[0]
            .message
            .starts_with("service `web` runs privileged (`privileged: true`)"));
        assert!(
            found[0].fix.starts_with("remove `privileged: true`; grant"),
            "{}",
            found[0].fix
        );
    }

    #[test]
    fn passes_when_unset_or_false() {
        assert!(check(&Privileged, &compose("web").build()).is_empty());
        assert!(check(&Privileged, &compose("web").privileged(false).build()).is_empty());
        assert!(check(&Privileged, &run("web").privileged(false).build()).is_empty());
    }
}
