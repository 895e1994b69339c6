//! DF025: CMD/ENTRYPOINT in shell form.

use crate::ast::{Command, CommandLine};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF025",
    name: "shell-form-entrypoint",
    title: "CMD/ENTRYPOINT in shell form",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `CMD` and `ENTRYPOINT` written in shell form (`CMD node server.js`) in \
the final stage and the stages it builds on — the ones whose command the container actually \
runs. It does not fire when the shell form starts with `exec` (`CMD exec node server.js`), \
which replaces the shell with the program. `HEALTHCHECK CMD` in shell form is fine (it is not \
PID 1) and is not flagged.",
        why: "Shell form runs `/bin/sh -c \"<command>\"`: the shell becomes PID 1 and does not \
forward signals, so `docker stop` / Kubernetes' SIGTERM never reaches the application. It \
cannot shut down gracefully (close connections, flush data) and is killed with SIGKILL after \
the grace period. With `ENTRYPOINT` in shell form, `CMD` and `docker run` arguments are \
silently ignored too.",
        fix: "Use exec (JSON) form: `CMD [\"node\", \"server.js\"]`. If you need shell \
features (variable expansion, `&&`), start the command with `exec` so the program replaces \
the shell: `CMD exec node server.js --port \"$PORT\"`.",
        bad: "FROM node:20-slim\nCOPY . /app\nCMD node /app/server.js\n",
        good: "FROM node:20-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    },
    references: References {
        hadolint: &["DL3025"],
        buildkit: &["JSONArgsRecommended"],
        ..References::NONE
    },
};

pub struct ShellForm;

/// The exec form of a simple shell command, when it has no shell syntax.
fn exec_form(cmd: &str) -> Option<String> {
    let special = |c: char| {
        matches!(
            c,
            '$' | '|'
                | '&'
                | ';'
                | '<'
                | '>'
                | '*'
                | '?'
                | '`'
                | '('
                | ')'
                | '\''
                | '"'
                | '\\'
                | '~'
                | '{'
                | '}'
                | '['
                | ']'
        )
    };
    if cmd.chars().any(special) {
        return None;
    }
    let words: Vec<String> = cmd.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    (!words.is_empty()).then(|| format!("[{}]", words.join(", ")))
}

impl Rule<Context<'_>> for ShellForm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let Some(fin) = stages.final_stage() else {
            return;
        };
        for idx in stages.lineage(fin.index) {
            for instr in stages.list[idx].body {
                let (Command::Cmd(line) | Command::Entrypoint(line)) = &instr.command else {
                    continue;
                };
                let CommandLine::Shell(text) = line else {
                    continue;
                };
                let cmd = text.value.trim();
                if cmd.is_empty() || cmd.starts_with("exec ") {
                    continue;
                }
                let kw = instr.keyword.as_str();
                let extra = if kw == "ENTRYPOINT" {
                    "; CMD and `docker run` arguments are ignored as well"
                } else {
                    ""
                };
                let fix = match exec_form(cmd) {
                    Some(exec) => format!("write it in exec form: `{kw} {exec}`"),
                    None => format!(
                        "write it in exec form, or keep the shell but let the program replace \
                         it: `{kw} exec {cmd}`"
                    ),
                };
                out.push(
                    Finding::new(
                        &META,
                        Location::with_span(&cx.file.path, text.span),
                        format!(
                            "{kw} at line {} uses shell form: `/bin/sh -c` runs as PID 1 and \
                             does not pass SIGTERM on to the program, so it cannot shut down \
                             gracefully{extra}",
                            instr.line()
                        ),
                    )
                    .evidence(instr.original.trim())
                    .fix(fix)
                    .key(format!("{}:{kw}:{cmd}", stages.list[idx].key()))
                    .build(),
                );
            }
        }
    }
}
