//! DF043: `apt` (the interactive front end) used in a script.

use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF043",
    name: "apt-instead-of-apt-get",
    title: "`apt` used in a script",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for every `apt` command a RUN executes (`apt install`, `apt update`, \
`apt list`, …, also through `sudo`, `sh -c` and heredoc scripts). `apt-get`, `apt-cache` \
and `aptitude` do not fire.",
        why: "`apt` is the front end for people at a terminal: its output, progress bars and \
defaults may change between releases, and it says so itself (\"WARNING: apt does not have a \
stable CLI interface. Use with caution in scripts.\"). A build that parses or depends on its \
behaviour can break on a base-image update; `apt-get` and `apt-cache` are the stable \
interfaces meant for scripts.",
        fix: "Use `apt-get` (install, update, upgrade, remove…) or `apt-cache` (search, \
show, policy) with the same arguments.",
        bad: "FROM ubuntu:24.04\nRUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
        good: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        hadolint: &["DL3027"],
        checkov: &["CKV_DOCKER_9"],
        ..References::NONE
    },
};

pub struct AptCli;

impl Rule<Context<'_>> for AptCli {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for c in &flat.cmds {
                if !c.is(&["apt"]) {
                    continue;
                }
                let Some(word) = c.argv.first() else {
                    continue;
                };
                let sub = c
                    .args()
                    .iter()
                    .find(|w| !w.text.starts_with('-'))
                    .map(|w| w.text.as_str())
                    .unwrap_or("");
                let replacement = match sub {
                    "search" | "show" | "policy" | "depends" | "rdepends" | "showsrc" => format!("`apt-cache {sub}`"),
                    "list" => "`dpkg-query -W` (installed packages) or `apt-cache madison <pkg>` (available versions)".to_string(),
                    "full-upgrade" => "`apt-get dist-upgrade`".to_string(),
                    _ => format!("`apt-get {sub}`"),
                };
                let message = format!(
                    "`apt {sub}` uses apt's interactive front end, whose command line is not \
                     stable for scripts"
                );
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(c.text())
                        .fix(format!("use {replacement} with the same arguments"))
                        .build(),
                );
            }
        }
    }
}
