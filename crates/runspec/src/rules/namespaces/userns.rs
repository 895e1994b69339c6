//! RS013: the container opts out of user-namespace remapping.

use crate::dialect::Fix;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS013",
    name: "host-userns",
    title: "Host user namespace shared",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container asks for the host's user namespace: compose \
`userns_mode: host`, `docker run --userns host`, `HostConfig.UsernsMode: host`. The setting \
only matters on a daemon started with `userns-remap` (or in rootless mode), where it is the \
one way a container opts out of the remapping; elsewhere every container already uses the \
host's user namespace, which the daemon rules report.",
        why: "With user-namespace remapping, UID 0 in a container is an unprivileged UID on \
the host (e.g. 100000): a process that breaks out of the container, or writes to a host \
directory mounted into it, does so as nobody in particular. `userns_mode: host` turns that \
off for this container, so its root is the host's real root again — every escape and every \
writable host mount counts at full strength.",
        fix: "Remove `userns_mode: host` (`--userns host`). If it was added so that files in \
a bind mount get the right owner, fix the ownership instead (`chown` the host directory to the \
remapped UID, or use a named volume) or run the service as a matching non-root `user:`.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    userns_mode: host\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    user: \"10001:10001\"\n",
    },
    references: References {
        cis: &["5.31"],
        kics: &[
            "Shared Host User Namespace",
            "8af7162d-6c98-482f-868e-0d33fb675ca8",
        ],
        cwe: &["CWE-250", "CWE-668"],
        links: &[
            "https://docs.docker.com/engine/security/userns-remap/",
            "https://docs.docker.com/reference/cli/docker/container/run/#userns",
        ],
        ..References::NONE
    },
};

pub struct HostUserns;

impl Rule<Input<'_>> for HostUserns {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(userns) = super::host(&spec.userns) else {
            return;
        };
        let written = userns.origin.written.trim();
        let then = dialect.fix(Fix::MatchRemappedUidInstead);
        let fix = remove(
            dialect,
            &userns.origin,
            "re-create the container without `--userns host`",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                userns.origin.location.clone(),
                format!(
                    "{} opts out of user-namespace remapping (`{written}`): on a daemon with \
                     `userns-remap`, root in it is the host's real root again, so an escape or a \
                     writable host mount has full root power",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:userns:host", spec.name))
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
    fn host_userns_fires() {
        let found = check(
            &HostUserns,
            &run("web").userns("host", NamespaceMode::Host).build(),
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("(`--userns=host`)"));
    }

    #[test]
    fn unset_or_other_passes() {
        assert!(check(&HostUserns, &compose("web").build()).is_empty());
        let spec = compose("web").userns("", NamespaceMode::Private).build();
        assert!(check(&HostUserns, &spec).is_empty());
    }
}
