//! RS004: no-new-privileges is not set (or is switched off).

use crate::dialect::Fix;
use crate::model::SecurityOpt;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS004",
    name: "no-new-privileges",
    title: "no-new-privileges not set",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container does not set the `no-new-privileges` security option \
(compose `security_opt: [\"no-new-privileges:true\"]`, `docker run --security-opt \
no-new-privileges`, in `HostConfig.SecurityOpt`), and — at high severity — when it sets it \
to false (`no-new-privileges:false`, `no-new-privileges=false`). All spellings the engine \
accepts count: bare `no-new-privileges`, `=true`, `:true`; when the option is given several \
times the last one wins, as in the engine.\n\nSetting it to false is worse than leaving it \
out: a daemon started with `\"no-new-privileges\": true` in `daemon.json` applies it to every \
container that does not say otherwise, and `false` is exactly how a container opts out. \
plimsoll cannot see the daemon's configuration from a compose file, so an unset option still \
fires (docker-bench instead passes every container when the daemon sets it).",
        why: "Without `no_new_privs`, a process can gain privileges by executing a set-user-ID \
binary (`su`, `sudo`, `passwd`, `mount`, `newgrp`…) or a file with capabilities. A non-root \
service compromised through a bug can then become root in the container through any \
vulnerable or misconfigured setuid program in the image, and from root go on to the escapes \
that need it. The flag makes `execve` never grant more privileges than the caller has; it \
costs nothing for programs that do not rely on setuid.",
        fix: "Add `security_opt: [\"no-new-privileges:true\"]` to the service \
(`--security-opt no-new-privileges` on `docker run`). If it is set to false, remove that \
entry; if the program really needs a setuid helper, give the helper's capability to the \
container instead and keep the flag. To cover every container, also set \
`\"no-new-privileges\": true` in the daemon's `daemon.json`.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:false\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:true\n",
    },
    references: References {
        cis: &["5.26"],
        kics: &[
            "No New Privileges Not Set",
            "27fcc7d6-c49b-46e0-98f1-6c082a6a2750",
        ],
        cwe: &["CWE-269"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
            "https://www.kernel.org/doc/html/latest/userspace-api/no_new_privs.html",
        ],
        ..References::NONE
    },
};

pub struct NoNewPrivileges;

impl Rule<Input<'_>> for NoNewPrivileges {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        // The engine applies security options in order: the last no-new-privileges wins.
        let last = spec.last_security_opt(|o| match o {
            SecurityOpt::NoNewPrivileges(on) => Some(*on),
            _ => None,
        });
        match last {
            Some((true, _)) => {}
            Some((false, opt)) => {
                let written = opt.origin.written.trim();
                let then = dialect.fix(Fix::NoNewPrivilegesInstead);
                let fix = remove(
                    dialect,
                    &opt.origin,
                    "re-create the container with `--security-opt no-new-privileges` instead",
                ) + &then;
                out.push(
                    Finding::new(
                        &META,
                        opt.origin.location.clone(),
                        format!(
                            "{} switches no-new-privileges off (`{written}`), which is worse \
                             than leaving it out: it also overrides a daemon-wide \
                             `no-new-privileges` default, so set-user-ID binaries (`su`, \
                             `sudo`, `passwd`…) and file capabilities can raise a process's \
                             privileges",
                            dialect.subject(spec)
                        ),
                    )
                    .evidence(written)
                    .fix(fix)
                    .key(format!("{}:no-new-privileges:false", spec.name))
                    .severity(Severity::High)
                    .build(),
                );
            }
            None => {
                let fix = dialect.fix(Fix::SetNoNewPrivileges);
                out.push(
                    Finding::new(
                        &META,
                        spec.anchor.location.clone(),
                        format!(
                            "{} does not set no-new-privileges: a process in it can gain \
                             privileges by running a set-user-ID binary (`su`, `sudo`, \
                             `passwd`…) or a file with capabilities (unless the daemon sets \
                             `no-new-privileges` for every container)",
                            dialect.subject(spec)
                        ),
                    )
                    .fix(fix)
                    .key(format!("{}:no-new-privileges", spec.name))
                    .build(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, run};

    #[test]
    fn unset_fires_at_the_anchor() {
        let spec = compose("web").build();
        let found = check(&NoNewPrivileges, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Medium);
        assert_eq!(found[0].location, spec.anchor.location);
        assert!(found[0].fix.contains("no-new-privileges:true"));
    }

    #[test]
    fn explicit_false_is_high_and_says_why() {
        let spec = run("web").no_new_privileges(false).build();
        let found = check(&NoNewPrivileges, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("worse than leaving it out"));
        assert!(found[0]
            .message
            .contains("`--security-opt=no-new-privileges:false`"));
    }

    #[test]
    fn the_last_setting_wins() {
        let on_then_off = compose("web")
            .no_new_privileges(true)
            .no_new_privileges(false)
            .build();
        assert_eq!(check(&NoNewPrivileges, &on_then_off).len(), 1);
        let off_then_on = compose("web")
            .no_new_privileges(false)
            .no_new_privileges(true)
            .build();
        assert!(check(&NoNewPrivileges, &off_then_on).is_empty());
    }

    #[test]
    fn other_security_options_do_not_count() {
        let spec = compose("web")
            .security_opt(
                "seccomp:default.json",
                SecurityOpt::Seccomp("default.json".into()),
            )
            .build();
        assert_eq!(check(&NoNewPrivileges, &spec).len(), 1);
    }
}
