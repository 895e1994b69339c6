//! DF044: `cd` in a RUN where WORKDIR is meant.

use crate::analysis::run::commands::{Cmd, Flat};
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};
use std::collections::BTreeMap;

pub static META: RuleMeta = RuleMeta {
    id: "DF044",
    name: "run-cd",
    title: "`cd` in RUN instead of WORKDIR",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires in two cases:\n\n\
- a RUN whose last command is `cd` (`RUN cd /app`, `RUN mkdir /app && cd /app`): the \
change of directory ends with the RUN and affects nothing;\n\
- two or more RUNs of one stage that each start with `cd` to the same directory \
(`RUN cd /src && make`, `RUN cd /src && make install`): that directory is the stage's \
working directory in all but name.\n\n\
A `cd` used for the commands that follow it in the same RUN (`cd /tmp/src && ./configure \
&& make && cd / && rm -rf /tmp/src`) or inside a subshell (`(cd sub && make)`) is ordinary \
shell and does not fire — unlike hadolint's DL3003, which flags every `cd`.",
        why: "Each RUN starts a new shell in the WORKDIR; a `cd` never carries over to the \
next instruction. A trailing `cd` therefore does nothing, and the instructions after it run \
somewhere other than the author expects — typically `/` as root, where a relative `rm`, \
`chmod` or `COPY` hits the wrong files. Repeating `cd` at the start of every RUN hides the \
stage's real working directory from readers, `docker inspect` and the final image's default.",
        fix: "Set the directory with `WORKDIR /path` (it also creates it) and drop the `cd`; \
keep `cd` only for a temporary directory used within one RUN.",
        bad: "FROM debian:12-slim\nRUN mkdir -p /app && cd /app\nCOPY . .\n",
        good: "FROM debian:12-slim\nWORKDIR /app\nCOPY . .\n",
    },
    references: References {
        hadolint: &["DL3003"],
        trivy: &["AVD-DS-0013"],
        ..References::NONE
    },
};

pub struct RunCd;

/// Commands of the RUN's own shell (not in a subshell, substitution or inline script).
fn top_level<'a, 's>(flat: &'a Flat<'s>) -> impl Iterator<Item = &'a Cmd<'s>> {
    flat.cmds
        .iter()
        .filter(|c| !c.in_subshell && !c.in_subst && c.nesting == 0 && !c.argv.is_empty())
}

impl Rule<Context<'_>> for RunCd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        // (stage, directory) → RUNs starting with `cd <dir>`.
        let mut starts: BTreeMap<(usize, String), Vec<(usize, usize)>> = BTreeMap::new();
        for (r, run) in runs.list.iter().enumerate() {
            let flat = &run.flat;
            let cmds: Vec<&Cmd<'_>> = top_level(flat).collect();
            let (Some(first), Some(last)) = (cmds.first(), cmds.last()) else {
                continue;
            };
            if last.is(&["cd"]) {
                let dir = last
                    .args()
                    .first()
                    .map(|w| w.text.clone())
                    .unwrap_or_else(|| "~".into());
                let message = format!(
                    "the RUN ends with `cd {dir}`: the directory change ends with the RUN, so \
                     it has no effect on later instructions"
                );
                out.push(
                    Finding::new(&META, run.location(last.span_of(run)), message)
                        .evidence(run.outer.original.trim().to_string())
                        .fix(format!("replace it with `WORKDIR {dir}` after this RUN (WORKDIR also creates the directory)"))
                        .build(),
                );
                continue;
            }
            if first.is(&["cd"]) && !run.onbuild {
                if let Some(dir) = first
                    .args()
                    .first()
                    .filter(|w| w.is_literal() && w.text.starts_with('/'))
                {
                    let idx = flat
                        .cmds
                        .iter()
                        .position(|c| std::ptr::eq(c, *first))
                        .unwrap_or(0);
                    starts
                        .entry((run.stage, dir.text.trim_end_matches('/').to_string()))
                        .or_default()
                        .push((r, idx));
                }
            }
        }
        for ((_, dir), list) in starts {
            if list.len() < 2 {
                continue;
            }
            let Some(&(r, idx)) = list.first() else {
                continue;
            };
            let Some(run) = runs.list.get(r) else {
                continue;
            };
            let flat = &run.flat;
            let Some(c) = flat.cmds.get(idx) else {
                continue;
            };
            let lines: Vec<String> = list
                .iter()
                .filter_map(|(r, _)| runs.list.get(*r))
                .map(|run| run.outer.line().to_string())
                .collect();
            let message = format!(
                "{} RUN instructions of this stage start with `cd {dir}` (lines {}): that is the \
                 stage's working directory",
                list.len(),
                lines.join(", ")
            );
            out.push(
                Finding::new(&META, run.location(c.span_of(run)), message)
                    .evidence(run.outer.original.trim().to_string())
                    .key(format!("cd {dir} x{}", list.len()))
                    .fix(format!(
                        "set `WORKDIR {dir}` once before these RUNs and drop the `cd`s"
                    ))
                    .build(),
            );
        }
    }
}
