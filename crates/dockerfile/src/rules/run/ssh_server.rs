//! DF039: an SSH server installed in (or started by) the final image.

use crate::analysis::run::packages::Manager;
use crate::ast::Command;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};
use plimsoll_shell::argv;

pub static META: RuleMeta = RuleMeta {
    id: "DF039",
    name: "ssh-server-installed",
    title: "SSH server installed",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a stage that ends up in the final image installs an SSH daemon — \
`openssh-server` (apt, yum/dnf, zypper), Debian's `ssh` metapackage, Alpine's and \
openSUSE's `openssh` (which include the server), `dropbear`/`dropbear-bin`, `tinysshd` — and \
when the final image's `CMD` or `ENTRYPOINT` starts `sshd` or `dropbear`.\n\nSSH *clients* \
(`openssh-client`, `openssh-clients`) do not fire, nor do servers installed in build stages \
whose files are only copied from. Exposing port 22 is DF011.",
        why: "An SSH daemon is a second way into the container that bypasses the runtime: \
logins are not `docker exec` sessions, so they escape its audit trail and access control. It \
needs host keys (often baked into the image and shared by every container started from it, \
so one leak compromises all), user passwords or authorized keys (often baked in as well, see \
DF046), and it is a network service with its own CVEs (regreSSHion, CVE-2024-6387, gave \
unauthenticated remote root on glibc systems). Containers should run one process; debugging \
and file transfer go through `docker exec`/`kubectl exec` and `docker cp`.",
        fix: "Remove the SSH server. Use `docker exec`/`kubectl exec` (or an ephemeral debug \
container) to get a shell, `docker cp`/`kubectl cp` for files, and a CI/CD pipeline for \
deployments. If SSH really is the product (a bastion or SFTP image), generate host keys at \
container start, never at build time, and accept keys only from a mounted secret.",
        bad: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server \\\n \
&& rm -rf /var/lib/apt/lists/*\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
        good: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-client \\\n \
&& rm -rf /var/lib/apt/lists/*\nCMD [\"/app/server\"]\n",
    },
    references: References {
        cwe: &["CWE-1188"],
        links: &["https://www.qualys.com/regresshion-cve-2024-6387/"],
        ..References::NONE
    },
};

pub struct SshServer;

/// Whether a package (for this manager) contains an SSH daemon.
fn is_ssh_server(manager: Manager, name: &str) -> bool {
    match name {
        "openssh-server" | "openssh-server-pam" | "dropbear" | "dropbear-bin" | "dropbear-run"
        | "tinysshd" | "tinyssh" => true,
        "ssh" => manager.is_apt(),
        "openssh" => matches!(manager, Manager::Apk | Manager::Zypper),
        _ => false,
    }
}

impl Rule<Context<'_>> for SshServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            if !run.in_final_image {
                continue;
            }
            let flat = &run.flat;
            for c in &flat.cmds {
                let Some((pc, installed)) = run.installs(c) else {
                    continue;
                };
                for (name, word) in installed {
                    if !is_ssh_server(pc.manager, &name) {
                        continue;
                    }
                    let message = format!(
                        "`{} {}` installs the SSH server `{name}` into the final image: a second \
                         way in that bypasses `docker exec`, with its own keys and credentials \
                         to manage",
                        pc.tool, pc.action
                    );
                    out.push(
                        Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                            .evidence(pc.text())
                            .key(format!("install {name}"))
                            .fix(format!(
                                "remove `{name}`; use `docker exec`/`kubectl exec` for shells and \
                                 `docker cp` for files"
                            ))
                            .build(),
                    );
                }
            }
        }
        // The final image's CMD/ENTRYPOINT starting an SSH daemon.
        let Some(fin) = runs.stages.final_stage() else {
            return;
        };
        for idx in runs.stages.lineage(fin.index) {
            let Some(stage) = runs.stages.get(idx) else {
                continue;
            };
            let last = stage
                .body
                .iter()
                .rev()
                .find(|i| matches!(i.command, Command::Cmd(_) | Command::Entrypoint(_)));
            let Some(instr) = last else {
                continue;
            };
            let (Command::Cmd(line) | Command::Entrypoint(line)) = &instr.command else {
                continue;
            };
            let text = line.text();
            let daemon = text
                .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '&' | '|'))
                .map(argv::basename)
                .find(|t| matches!(*t, "sshd" | "dropbear"));
            if let Some(daemon) = daemon {
                let message = format!(
                    "the final image's {} starts the SSH daemon `{daemon}`",
                    instr.keyword.as_str()
                );
                let span = line.span().unwrap_or(instr.span);
                out.push(
                    Finding::new(&META, Location::with_span(&cx.file.path, span), message)
                        .evidence(instr.original.trim().to_string())
                        .key(format!("start {daemon}"))
                        .fix("start the application itself as the container's process, not an SSH daemon")
                        .build(),
                );
            }
            break;
        }
    }
}
