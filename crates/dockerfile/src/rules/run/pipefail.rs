//! DF045: a pipeline whose failures the RUN cannot see.

use crate::analysis::run::commands::UnitKind;
use crate::analysis::run::commands::{shorten, Flat, Pipe};
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};
use plimsoll_shell::RedirOp;

pub static META: RuleMeta = RuleMeta {
    id: "DF045",
    name: "pipe-without-pipefail",
    title: "Pipe in RUN without `set -o pipefail`",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per RUN (POSIX shell only) for the first pipeline `a | b` that runs \
without `pipefail`: neither `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (inherited \
through `FROM <stage>`), nor `set -o pipefail` / `set -euo pipefail` earlier in the script, \
nor `bash -o pipefail -c '…'` for inline scripts.\n\nPipelines whose earlier commands \
cannot fail in a way that matters — `echo`, `printf`, `yes`, `true`, `cat <<EOF` — do not \
fire (`echo \"$SUM  file\" | sha256sum -c -` is fine). With a Windows/PowerShell `SHELL` \
(or a Windows base image, whose default shell is `cmd`), RUN lines are not POSIX shell and \
are not checked. Unlike hadolint, `SHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]` counts: \
`pipefail` is POSIX since POSIX.1-2024, busybox ash and the dash of Debian 13 / Ubuntu 25.04 \
support it, and a shell that does not fails the build loudly instead of hiding an error.",
        why: "A pipeline's exit status is that of its *last* command. In \
`curl -fsSL $URL | tar xz`, a failed download (404, TLS error, timeout) leaves `tar` with \
empty or truncated input; depending on the data it may still succeed, and the build goes \
on with missing or partial files — or, with `| sh`, runs a truncated script. The failure \
only shows much later, at run time, far from its cause.",
        fix: "Put `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN (bash \
must be in the image), or start the RUN with `set -o pipefail &&` (bash, zsh, ksh, busybox \
ash, and the dash of Debian 13 or later). Where an upstream command may legitimately fail (`grep` finding \
nothing), say so explicitly: `{ grep x file || true; } | …`.",
        bad: "FROM debian:12-slim\nRUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n",
        good: "FROM debian:12-slim\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n\
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n",
    },
    references: References {
        hadolint: &["DL4006"],
        ..References::NONE
    },
};

pub struct PipeWithoutPipefail;

/// Whether every command of every element but the last can be trusted not to fail.
fn harmless(flat: &Flat<'_>, pipe: &Pipe<'_>) -> bool {
    let n = pipe.elements.len();
    pipe.elements.iter().take(n.saturating_sub(1)).all(|el| {
        !el.is_empty()
            && el.iter().filter_map(|&k| flat.cmds.get(k)).all(|c| {
                let feeds_heredoc = c.is(&["cat"])
                    && c.args().is_empty()
                    && c.cmd.redirects.iter().any(|r| {
                        matches!(
                            r.op,
                            RedirOp::Heredoc | RedirOp::HeredocStrip | RedirOp::HereString
                        )
                    });
                c.is(&["echo", "printf", "yes", "true", ":"]) || feeds_heredoc || c.argv.is_empty()
            })
    })
}

impl Rule<Context<'_>> for PipeWithoutPipefail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            let exec_only = run.units.iter().all(|u| u.kind == UnitKind::Exec);
            let Some(pipe) = flat
                .pipes
                .iter()
                .find(|p| !p.pipefail && !harmless(flat, p))
            else {
                continue;
            };
            let first = pipe
                .elements
                .first()
                .and_then(|el| el.first())
                .and_then(|&k| flat.cmds.get(k));
            let last = pipe
                .elements
                .last()
                .and_then(|el| el.first())
                .and_then(|&k| flat.cmds.get(k));
            let first_name = first.and_then(|c| c.name()).unwrap_or("the first command");
            let last_name = last.and_then(|c| c.name()).unwrap_or("the last command");
            let span = run.span(pipe.origin, pipe.start(), pipe.end());
            let text = flat
                .cmds
                .iter()
                .filter(|c| pipe.elements.iter().any(|el| el.first() == Some(&c.seq)))
                .map(|c| c.text())
                .collect::<Vec<_>>()
                .join(" | ");
            let message = format!(
                "if `{first_name}` fails, the pipeline still succeeds as long as `{last_name}` \
                 does, and the build carries on with a broken result (no `pipefail`)"
            );
            let fix = if exec_only || !run.shell.posix {
                "start the script with `set -o pipefail &&` (or run it with `bash -o pipefail -c`)"
                    .to_string()
            } else if matches!(run.shell.name.as_str(), "bash" | "zsh" | "ksh" | "mksh") {
                format!(
                    "add `-o pipefail` to the SHELL (`SHELL [\"/bin/{}\", \"-o\", \"pipefail\", \"-c\"]`), or start the RUN with `set -o pipefail &&`",
                    run.shell.name
                )
            } else {
                "add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN (Alpine: `[\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`), or start the RUN with `set -o pipefail &&` where /bin/sh supports it".to_string()
            };
            out.push(
                Finding::new(&META, run.location(span), message)
                    .evidence(shorten(&text, 160))
                    .fix(fix)
                    .build(),
            );
        }
    }
}
