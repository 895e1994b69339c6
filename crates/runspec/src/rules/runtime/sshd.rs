//! RS034: an SSH daemon runs in the container (CIS 5.7), seen in its process list.

use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS034",
    name: "sshd-in-container",
    title: "SSH daemon running in the container",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a running container's process list shows an SSH server: a \
process whose program is `sshd` (`/usr/sbin/sshd -D`, and the `sshd: user@pts/0` / \
`sshd: /usr/sbin/sshd -D [listener]` titles OpenSSH gives its own processes) or `dropbear`. \
The list comes from the engine's `top` endpoint (`GET /containers/{id}/top`, what `docker \
top` shows), read from the host: plimsoll never runs `docker exec` inside the container, so \
it works on distroless images and leaves no trace in them (docker-bench-security's 5.7 runs \
`docker exec <c> ps -el` in every container). A process merely named like it \
(`/opt/sshd-exporter`) does not count. Runtime only: it needs a running container and is \
skipped with `--no-processes`.",
        why: "An SSH server is a second way in that bypasses everything the engine controls: \
its own credentials and keys to manage and rotate, its own vulnerabilities to patch \
(regreSSHion, CVE-2024-6387, gave unauthenticated root code execution in sshd), and \
sessions that `docker logs`, `docker exec` auditing and the daemon's authorization plugins \
never see. It usually means the container is run like a VM — long-lived, hand-patched, \
logged into — rather than rebuilt from its image.",
        fix: "Remove the SSH server from the image and use `docker exec -it <container> sh` \
(or `docker debug`) to get a shell, going through the daemon's access control and audit. \
If a tool needs SSH (an SFTP drop box, a git server), give it a container of its own with \
a hardened configuration, keys only, and no other service.",
        bad: "docker run -d --name box debian-with-ssh /usr/sbin/sshd -D\n",
        good: "docker run -d --name box debian-without-ssh sleep infinity\n",
    },
    references: References {
        cis: &["5.7"],
        cwe: &["CWE-1188"],
        links: &[
            "https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerTop",
            "https://docs.docker.com/reference/cli/docker/container/exec/",
        ],
        ..References::NONE
    },
};

pub struct Sshd;

impl Rule<Input<'_>> for Sshd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(state) = &spec.state else { return };
        // One finding per container: the first SSH server process is the evidence.
        let Some(p) = state.processes.iter().find(|p| is_ssh_server(&p.value)) else {
            return;
        };
        let others = state
            .processes
            .iter()
            .filter(|q| is_ssh_server(&q.value))
            .count()
            .saturating_sub(1);
        let more = match others {
            0 => String::new(),
            1 => " (and 1 more SSH process)".to_string(),
            n => format!(" (and {n} more SSH processes)"),
        };
        out.push(
            Finding::new(
                &META,
                p.origin.location.clone(),
                format!(
                    "{} runs an SSH server (`{}`){more}: a way in that bypasses the engine's \
                     access control and audit, with its own credentials to manage",
                    dialect.subject(spec),
                    p.value.trim()
                ),
            )
            .evidence(p.origin.written.clone())
            .fix(
                "remove the SSH server from the image and use `docker exec` to get a shell; \
                 re-create the container from the new image",
            )
            .key(spec_key(spec, "sshd"))
            .build(),
        );
    }
}

/// Whether a `top` command line is an SSH server: its program's base name is `sshd` or
/// `dropbear`, or OpenSSH's own process title `sshd: …`.
pub fn is_ssh_server(cmdline: &str) -> bool {
    let cmd = cmdline.trim();
    if cmd.starts_with("sshd:") {
        return true;
    }
    let program = cmd.split_whitespace().next().unwrap_or_default();
    // A login shell or kernel thread shows as `[sshd]` / `-sshd` in some ps outputs.
    let program = program.trim_start_matches('-').trim_matches(['[', ']']);
    let base = program.rsplit('/').next().unwrap_or(program);
    matches!(base, "sshd" | "sshd:" | "dropbear")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RunSpec;
    use crate::model::{Origin, RuntimeState, Sourced, Via};
    use crate::rules::testing::{check, compose, container};
    use plimsoll_core::Location;

    fn with_processes(cmds: &[&str]) -> RunSpec {
        container("box")
            .with(|s| {
                s.state = Some(RuntimeState {
                    status: "running".into(),
                    processes: cmds
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            Sourced::new(
                                c.to_string(),
                                Origin::new(
                                    Location::file("container:box"),
                                    format!("top: PID {} {c}", i + 1),
                                    Via::Inspect("top".into()),
                                ),
                            )
                        })
                        .collect(),
                    ..RuntimeState::default()
                })
            })
            .build()
    }

    #[test]
    fn ssh_server_names() {
        for (cmd, yes) in [
            ("/usr/sbin/sshd -D", true),
            ("sshd", true),
            (
                "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
                true,
            ),
            ("sshd: root@pts/0", true),
            ("/usr/sbin/dropbear -F -E", true),
            ("[sshd]", true),
            ("/opt/sshd-exporter --port 9100", false),
            ("sleep 3600", false),
            ("ssh user@host", false),
            ("", false),
        ] {
            assert_eq!(is_ssh_server(cmd), yes, "{cmd}");
        }
    }

    #[test]
    fn fires_once_per_container_with_the_process_as_evidence() {
        let spec = with_processes(&["/bin/init", "/usr/sbin/sshd -D", "sshd: root@pts/0"]);
        let found = check(&Sshd, &spec);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.location.path, "container:box");
        assert_eq!(f.evidence.as_deref(), Some("top: PID 2 /usr/sbin/sshd -D"));
        assert!(f.message.contains(
            "container `box` runs an SSH server (`/usr/sbin/sshd -D`) (and 1 more SSH process)"
        ));
    }

    #[test]
    fn quiet_without_sshd_or_without_state() {
        assert!(check(&Sshd, &with_processes(&["sleep 3600"])).is_empty());
        assert!(check(&Sshd, &container("box").build()).is_empty());
        assert!(check(&Sshd, &compose("web").build()).is_empty());
    }
}
