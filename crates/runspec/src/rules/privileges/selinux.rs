//! RS007: SELinux separation switched off.

use super::caps;
use crate::model::SecurityOpt;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS007",
    name: "selinux-disabled",
    title: "SELinux labels disabled",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container turns SELinux separation off: \
`security_opt: [label:disable]` (or `label=disable`; `docker run --security-opt \
label=disable`), or selects an unconfined process type, `label=type:spc_t` (the \"super \
privileged container\" type) or `label=type:unconfined_t`. Unlike `seccomp` and `apparmor`, \
`label` options accumulate, so one `disable` anywhere counts. It is high when the container \
also holds `SYS_ADMIN`.\n\nOther label options (`label=type:svirt_apache_t`, `user:`, `role:`, \
`level:`, `filetype:`) choose a confined label and do not fire. Unlike docker-bench 5.3, which \
passes a container as soon as it has *any* security option (even `seccomp=unconfined`), \
plimsoll looks at what the label option says. Privileged containers are unconfined too; RS001 \
reports them.",
        why: "On SELinux hosts (Fedora, RHEL, CentOS), each container's processes run as \
`container_t` with their own MCS category pair, and may only touch files labelled for that \
container. This is what stops a container that escapes its mount namespace, or that was given \
a host directory by mistake, from reading `/etc/shadow` or another container's volume. \
`label=disable` runs the container as `spc_t`, which SELinux does not confine: the only \
remaining barrier is file permissions, which root ignores.",
        fix: "Remove `label:disable` (or the `spc_t`/`unconfined_t` type) from \
`security_opt`. If a bind mount is denied, relabel it for the container with the `:z` \
(shared) or `:Z` (private) volume option — on a project directory, never on a system path \
like `/etc` or `/usr` — or write a policy module (e.g. with udica) for the access the \
container needs.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - label:disable\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - label:type:svirt_apache_t\n",
    },
    references: References {
        cis: &["5.3"],
        cwe: &["CWE-693"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
            "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/using_selinux/",
            "https://github.com/containers/udica",
        ],
        ..References::NONE
    },
};

pub struct SeLinux;

impl Rule<Input<'_>> for SeLinux {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let hit = spec.security_opt.iter().find_map(|o| match &o.value {
            SecurityOpt::Label(v) => unconfined(v).map(|what| (what, v.trim(), o)),
            _ => None,
        });
        let Some((what, value, opt)) = hit else {
            return;
        };
        let written = opt.origin.written.trim();
        let sys_admin = caps::holds(spec, "SYS_ADMIN") && !caps::is_privileged(spec);
        let (severity, tail) = if sys_admin {
            (
                Severity::High,
                "; with SYS_ADMIN also granted, SELinux was the layer left to stop a mount-based \
                 escape",
            )
        } else {
            (Severity::Medium, "")
        };
        let fix = remove(dialect, &opt.origin, "re-create the container without it")
            + "; if a bind mount is denied, relabel that project directory with `:z` or `:Z` \
               instead (never a system path)";
        out.push(
            Finding::new(
                &META,
                opt.origin.location.clone(),
                format!(
                    "{} {what} (`{written}`): on SELinux hosts its processes are not confined \
                     to the container's own files, so only file permissions — which root \
                     ignores — protect host files and other containers' volumes it can \
                     reach{tail}",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:label:{value}", spec.name))
            .severity(severity)
            .build(),
        );
    }
}

/// What a `label=` value does, when it leaves the container unconfined.
fn unconfined(value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value == "disable" {
        return Some("disables SELinux separation");
    }
    match value.strip_prefix("type:").map(str::trim) {
        Some("spc_t") => Some("runs as the unconfined SELinux type spc_t"),
        Some("unconfined_t") => Some("runs as the unconfined SELinux type unconfined_t"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, run};

    fn label(v: &str) -> SecurityOpt {
        SecurityOpt::Label(v.to_string())
    }

    #[test]
    fn disable_and_unconfined_types_fire() {
        for (w, v) in [
            ("label:disable", "disable"),
            ("label=type:spc_t", "type:spc_t"),
            ("label:type:unconfined_t", "type:unconfined_t"),
        ] {
            let spec = compose("web").security_opt(w, label(v)).build();
            let found = check(&SeLinux, &spec);
            assert_eq!(found.len(), 1, "{w}");
            assert!(found[0].message.contains(w), "{}", found[0].message);
        }
    }

    #[test]
    fn one_disable_among_several_labels_counts() {
        let spec = run("web")
            .security_opt("label=level:s0:c100,c200", label("level:s0:c100,c200"))
            .security_opt("label=disable", label("disable"))
            .cap_add("SYS_ADMIN")
            .build();
        let found = check(&SeLinux, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
    }

    #[test]
    fn confined_labels_pass() {
        for v in [
            "type:svirt_apache_t",
            "user:system_u",
            "level:s0:c1,c2",
            "filetype:foo_t",
        ] {
            let spec = compose("web")
                .security_opt(&format!("label:{v}"), label(v))
                .build();
            assert!(check(&SeLinux, &spec).is_empty(), "{v}");
        }
    }
}
