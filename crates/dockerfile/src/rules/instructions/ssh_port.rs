//! DF011: port 22 exposed.

use crate::analysis::ports::{self, ExposedPort, PortSpec};

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF011",
    name: "ssh-port-exposed",
    title: "Port 22 exposed",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `EXPOSE` (also inside `ONBUILD`, in any stage) declares TCP port 22 \
— directly (`22`, `22/tcp`), through a variable that resolves to it, or inside a range \
(`20-25`). UDP 22 does not fire.",
        why: "Port 22 means an SSH server runs in the container: one more network-reachable \
daemon with its own vulnerabilities, credentials or keys baked into the image, and a way in \
that bypasses the orchestrator's access control and audit (`docker exec`/`kubectl exec` are \
authenticated and logged). Containers should run one process; shell access is the \
platform's job.",
        fix: "Remove port 22 from `EXPOSE` and the SSH server from the image. Use \
`docker exec -it <container> sh` or `kubectl exec` (or a debug sidecar) for interactive \
access.",
        bad: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\nEXPOSE 22 8080\n",
        good: "FROM debian:12-slim\nEXPOSE 8080\n",
    },
    references: References {
        trivy: &["AVD-DS-0004"],
        checkov: &["CKV_DOCKER_1"],
        ..References::NONE
    },
};

pub struct SshPort;

impl Rule<Context<'_>> for SshPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        ports::each_exposed(stages, |port| {
            let ExposedPort {
                stage,
                instr,
                onbuild,
                word: w,
                part,
                spec,
            } = port;
            let PortSpec::Valid { start, end, proto } = spec else {
                return;
            };
            if proto != "tcp" || !(start..=end).contains(&22) {
                return;
            }
            let what = if start == end {
                "port 22 (SSH)".to_string()
            } else {
                format!("port range `{start}-{end}`, which includes 22 (SSH)")
            };
            let shown = if part == w.value {
                String::new()
            } else {
                format!(" (`{}`)", w.value)
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, w.span),
                    format!(
                        "{}EXPOSE at line {} declares {what}{shown}: the image runs an \
                                 SSH server",
                        if onbuild { "ONBUILD " } else { "" },
                        instr.line()
                    ),
                )
                .evidence(instr.original.trim())
                .fix(
                    "drop 22 from EXPOSE and remove the SSH server; use `docker exec` or \
                             `kubectl exec` for shell access",
                )
                .key(format!("{}:{part}", stage.key()))
                .build(),
            );
        });
    }
}
