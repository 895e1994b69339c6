//! DF031: `sudo` in a RUN (and the sudo package installed into the final image).

use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};
use plimsoll_shell::argv;

pub static META: RuleMeta = RuleMeta {
    id: "DF031",
    name: "sudo-in-run",
    title: "sudo used in RUN",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires, at medium severity, for every command a RUN starts through `sudo` (or \
`doas`) — also inside `sh -c` strings, `xargs`, `find -exec`, heredoc scripts and \
ONBUILD RUNs.\n\nIt also fires, at **low** severity and with its own message, when a stage \
that ends up in the final image installs the `sudo` (or `doas`) package with apt, apk, \
yum/dnf/microdnf or zypper: the package is a separate, smaller concern than using it, but \
it is the same escalation path (hadolint only reports use; Checkov reports both the same \
way). Installing sudo in a build stage whose files are only copied from does not fire.",
        why: "A RUN already executes as the Dockerfile's current `USER`; `sudo` inside it \
only works if the image keeps a sudoers rule that lets that user become root without a \
password — a standing privilege-escalation path for anyone who gets code execution in the \
container. `sudo` also does not forward signals or a TTY the way PID 1 needs and changes the \
environment (`PATH`, `HOME`) in ways that make builds behave differently.\n\nEven with no \
sudoers rule, the setuid-root `sudo` binary is attack surface: CVE-2021-3156 (\"Baron \
Samedit\") let any local user become root through it.",
        fix: "Run the privileged steps as root — before `USER app`, or between `USER root` \
and `USER app` — and drop the sudo package. If the entrypoint must drop privileges at \
runtime, use `gosu` or `su-exec`, which exec the target command instead of staying \
setuid.",
        bad: "FROM debian:12-slim\nRUN useradd -m app && apt-get update && apt-get install -y --no-install-recommends sudo \\\n \
&& echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app\nUSER app\nRUN sudo apt-get install -y curl\n",
        good: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n \
&& rm -rf /var/lib/apt/lists/* && useradd -m app\nUSER app\n",
    },
    references: References {
        hadolint: &["DL3004"],
        trivy: &["AVD-DS-0010"],
        checkov: &["CKV2_DOCKER_1"],
        dockle: &["DKL-DI-0001"],
        cwe: &["CWE-250"],
        ..References::NONE
    },
};

pub struct SudoInRun;

impl Rule<Context<'_>> for SudoInRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for c in &flat.cmds {
                let mut sudos = c
                    .wrappers
                    .iter()
                    .copied()
                    .filter(|w| matches!(argv::basename(&w.text), "sudo" | "doas"));
                let direct = c
                    .argv
                    .first()
                    .filter(|w| matches!(argv::basename(&w.text), "sudo" | "doas"));
                let Some(word) = sudos.next().or(direct) else {
                    continue;
                };
                let tool = argv::basename(&word.text);
                let what = if c.argv.is_empty() || direct.is_some() {
                    format!("`{tool}` is invoked")
                } else {
                    format!(
                        "`{}` is run through `{tool}`",
                        c.name().unwrap_or("the command")
                    )
                };
                let message = format!(
                    "{what}: a RUN already executes as the current USER, and sudo only works \
                     if the image keeps a password-less sudoers rule — a standing way to root"
                );
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(format!("{tool} {}", c.text()).trim().to_string())
                        .fix(
                            "run this step as root (before `USER app`, or between `USER root` \
                             and `USER app`) without sudo, and do not install sudo",
                        )
                        .build(),
                );
            }
            if !run.in_final_image {
                continue;
            }
            for c in &flat.cmds {
                let Some((pc, installed)) = run.installs(c) else {
                    continue;
                };
                for (name, word) in installed {
                    if name != "sudo" && name != "doas" {
                        continue;
                    }
                    let message = format!(
                        "`{}` installs the setuid-root `{name}` binary into the final image: \
                         with a sudoers rule it is a way to root, and even without one it is \
                         attack surface (CVE-2021-3156)",
                        pc.tool
                    );
                    let mut f =
                        Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                            .evidence(pc.text())
                            .key(format!("install {name}"))
                            .fix(format!(
                                "remove `{name}` from the install; do privileged steps as root \
                             before `USER`, and use `gosu`/`su-exec` if the entrypoint must \
                             drop privileges"
                            ))
                            .build();
                    f.severity = Severity::Low;
                    out.push(f);
                }
            }
        }
    }
}
