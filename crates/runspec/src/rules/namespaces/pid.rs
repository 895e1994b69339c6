//! RS010: the container shares the host's PID namespace.

use crate::dialect::Fix;
use crate::rules::privileges::caps;
use crate::rules::{remove, Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS010",
    name: "host-pid",
    title: "Host PID namespace shared",
    severity: Severity::High,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a container shares the host's process namespace: compose \
`pid: host`, `docker run --pid host`, `HostConfig.PidMode: host`. It is critical when the \
container also holds `SYS_PTRACE`. Sharing another container's namespace \
(`pid: service:db`, `--pid container:db`) does not fire.",
        why: "With the host's PID namespace, every host process is visible in the container's \
`/proc`: command lines (passwords passed as arguments, tokens in URLs), owners, and the \
`/proc/<pid>/root` path into each process's filesystem. Root in the container holds `KILL` by \
default and can signal any host process — stop the monitoring agent, kill the SSH server. \
With `SYS_PTRACE` it can attach to a host process running as root and execute code in it, \
which is a full escape.",
        fix: "Remove `pid: host` (`--pid host`). A tool that must watch host processes \
(a monitoring or tracing agent) should be a deliberately privileged, separately reviewed \
deployment, not an application service; to share processes with one sidecar, use \
`pid: \"service:<name>\"` (`--pid container:<name>`) instead.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    pid: host\n",
        good: "services:\n  app:\n    image: nginx:1.27\n  debug:\n    image: busybox:1.36\n    pid: \"service:app\"\n",
    },
    references: References {
        cis: &["5.16"],
        kics: &[
            "Host Namespace is Shared",
            "4f31dd9f-2cc3-4751-9b53-67e4af83dac0",
        ],
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#pid"],
        ..References::NONE
    },
};

pub struct HostPid;

impl Rule<Input<'_>> for HostPid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(pid) = super::host(&spec.pid) else {
            return;
        };
        let written = pid.origin.written.trim();
        let ptrace = caps::holds(spec, "SYS_PTRACE") && !caps::is_privileged(spec);
        let kill = if caps::holds(spec, "KILL") {
            " and, as root with the KILL capability (a default), can signal any of them"
        } else {
            ""
        };
        let (severity, tail) = if ptrace {
            (
                Severity::Critical,
                "; with SYS_PTRACE it can attach to a host process running as root and run \
                 code in it",
            )
        } else {
            (Severity::High, "")
        };
        let then = dialect.fix(Fix::SharePidWithPeerInstead);
        let fix = remove(
            dialect,
            &pid.origin,
            "re-create the container without `--pid host`",
        ) + &then;
        out.push(
            Finding::new(
                &META,
                pid.origin.location.clone(),
                format!(
                    "{} shares the host's PID namespace (`{written}`): it sees every host \
                     process with its command line (secrets passed as arguments){kill}{tail}",
                    dialect.subject(spec)
                ),
            )
            .evidence(written)
            .fix(fix)
            .key(format!("{}:pid:host", spec.name))
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
    fn host_pid_fires_and_ptrace_makes_it_critical() {
        let spec = compose("web").pid("host", NamespaceMode::Host).build();
        let found = check(&HostPid, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("(`pid: host`)"));
        let spec = run("web")
            .pid("host", NamespaceMode::Host)
            .cap_add("CAP_SYS_PTRACE")
            .build();
        assert_eq!(check(&HostPid, &spec)[0].severity, Severity::Critical);
    }

    #[test]
    fn other_modes_pass() {
        for (w, m) in [
            ("service:db", NamespaceMode::Service("db".into())),
            ("container:db", NamespaceMode::Container("db".into())),
            ("private", NamespaceMode::Private),
        ] {
            assert!(check(&HostPid, &compose("web").pid(w, m).build()).is_empty());
        }
    }
}
