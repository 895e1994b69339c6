//! DF015: RUN --security=insecure.

use crate::analysis::stages;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF015",
    name: "run-security-insecure",
    title: "RUN --security=insecure",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on every `RUN --security=insecure` (also inside `ONBUILD`). \
`--security=sandbox` (the default) does not fire.",
        why: "`--security=insecure` runs the build step as a privileged container: all \
capabilities, no seccomp/AppArmor confinement, access to host devices. Anything that step \
executes — including a compromised package post-install script or a `curl | sh` — can take \
over the BuildKit host and every other build and secret on it. It also needs the \
`security.insecure` entitlement, which means the builder was configured to allow this for \
everyone.",
        fix: "Remove `--security=insecure`. If the step needs one specific privilege (mounting \
a loop device, FUSE), do that work outside the Dockerfile build or in a dedicated, isolated \
builder — never on a shared one.",
        bad: "# syntax=docker/dockerfile:1\nFROM debian:12-slim\nRUN --security=insecure mount -t tmpfs none /mnt\n",
        good: "# syntax=docker/dockerfile:1\nFROM debian:12-slim\nRUN mkdir -p /mnt/data\n",
    },
    references: References {
        cwe: &["CWE-250"],
        links: &["https://docs.docker.com/reference/dockerfile/#run---security"],
        ..References::NONE
    },
};

pub struct RunInsecure;

impl Rule<Context<'_>> for RunInsecure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        stages::for_each_run_flag(
            stages,
            "security",
            "insecure",
            |stage, instr, onbuild, flag| {
                out.push(
                    Finding::new(
                        &META,
                        Location::with_span(&cx.file.path, flag.span),
                        format!(
                            "{}RUN at line {} runs with --security=insecure: the step is a \
                             privileged container with full access to the build host",
                            if onbuild { "ONBUILD " } else { "" },
                            instr.line()
                        ),
                    )
                    .evidence(instr.original.trim())
                    .fix(format!(
                        "remove --security=insecure from line {} and do the privileged work \
                         outside the image build",
                        instr.line()
                    ))
                    .key(format!("{}:{}", stage.key(), instr.original.trim()))
                    .build(),
                );
            },
        );
    }
}
