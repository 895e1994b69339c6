//! RS012: the container shares the host's UTS namespace.

use crate::dialect::Fix;
use crate::rules::privileges::caps;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS012",
    name: "host-uts",
    title: "Host UTS namespace shared",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container shares the host's UTS namespace (host name and NIS \
domain name): compose `uts: host`, `docker run --uts host`, `HostConfig.UTSMode: host`. It \
is medium when the container also holds `SYS_ADMIN`, which lets it rename the host. KICS has \
no query for this setting.",
        why: "The UTS namespace is the host name. Shared with the host, the container learns \
the host's real name (useful for reconnaissance) and, with `SYS_ADMIN`, can change it for \
the whole machine — the paper's second experiment shows that `CAP_SYS_ADMIN` is exactly what \
`hostname <new>` needs; in the container's own UTS namespace that only renames the \
container, with `uts: host` it renames the host, breaking logging, monitoring, Kerberos and \
cluster membership that rely on it.",
        fix: "Remove `uts: host` (`--uts host`). To give the container a particular name use \
`hostname:` (`--hostname`), which sets it in the container's own namespace.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    uts: host\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    hostname: app\n",
    },
    references: References {
        cis: &["5.21"],
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#uts"],
        ..References::NONE
    },
};

pub struct HostUts;

impl Rule<Input<'_>> for HostUts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(uts) = super::host(&spec.uts) else {
            return;
        };
        let written = uts.origin.written.trim();
        let sys_admin = caps::holds(spec, "SYS_ADMIN");
        let (severity, what) = if sys_admin {
            (
                Severity::Medium,
                "it sees the host's name and, holding SYS_ADMIN, can rename the host for \
                 everything that relies on it",
            )
        } else {
            (
                Severity::Low,
                "it sees the host's real name, and any process that gains SYS_ADMIN in it can \
                 rename the host",
            )
        };
        let then = dialect.fix(Fix::SetHostnameInstead);
        let fix = remove(
            dialect,
            &uts.origin,
            "re-create the container without `--uts host`",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                uts.origin.location.clone(),
                format!(
                    "{} shares the host's UTS namespace (`{written}`): {what}",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:uts:host", spec.name))
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
    fn host_uts_fires_higher_with_sys_admin() {
        let found = check(
            &HostUts,
            &compose("web").uts("host", NamespaceMode::Host).build(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Low);
        let spec = run("web")
            .uts("host", NamespaceMode::Host)
            .cap_add("sys_admin")
            .build();
        let found = check(&HostUts, &spec);
        assert_eq!(found[0].severity, Severity::Medium);
        assert!(found[0].message.contains("rename the host"));
        assert!(found[0].fix.contains("--hostname"));
    }

    #[test]
    fn private_passes() {
        let spec = compose("web")
            .uts("private", NamespaceMode::Private)
            .build();
        assert!(check(&HostUts, &spec).is_empty());
    }
}
