//! DF035: the package index refreshed in a RUN that installs nothing.

use crate::analysis::run::commands::Cmd;
use crate::analysis::run::packages::{Manager, PkgCmd};
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};
use plimsoll_shell::argv;

pub static META: RuleMeta = RuleMeta {
    id: "DF035",
    name: "package-update-alone",
    title: "Package index updated in a RUN without an install",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for a package-index refresh — `apt-get update` (`apt`, `aptitude`), \
`apk update`, `yum`/`dnf makecache`, `zypper refresh` — in a RUN that does nothing with it: \
no install, upgrade or query of the same package manager follows in that RUN.\n\nIt stays \
quiet when the RUN goes on to run a script it cannot see into (`./install-deps.sh`, \
`sh /tmp/setup.sh`), which may well install. `apk add --update` refreshes and installs in \
one command and never fires. (`yum update` and `dnf update` upgrade packages — see DF034 — \
they are not index refreshes.)",
        why: "Docker caches each RUN layer by its text. `RUN apt-get update` on its own is \
cached the first time and never re-run, so a later `RUN apt-get install …` (rebuilt when its \
own line changes) installs from an index that may be months old: outdated, vulnerable \
package versions, or 404s from mirrors that no longer serve them. CIS Docker Benchmark 4.7 \
asks for update and install in the same instruction for this reason.",
        fix: "Refresh, install and clean up in one RUN: \
`RUN apt-get update && apt-get install -y --no-install-recommends <pkgs> && rm -rf /var/lib/apt/lists/*` \
(Alpine: `RUN apk add --no-cache <pkgs>`, which needs no separate update).",
        bad: "FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
        good: "FROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        cis: &["4.7"],
        trivy: &["AVD-DS-0017"],
        checkov: &["CKV_DOCKER_5"],
        dockle: &["CIS-DI-0007"],
        ..References::NONE
    },
};

pub struct UpdateAlone;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Apt,
    Apk,
    Rpm,
    Zypp,
}

fn family(m: Manager) -> Option<Family> {
    match m {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => Some(Family::Apt),
        Manager::Apk => Some(Family::Apk),
        Manager::Yum | Manager::Dnf | Manager::Microdnf => Some(Family::Rpm),
        Manager::Zypper => Some(Family::Zypp),
        _ => None,
    }
}

/// A command that uses the refreshed index.
fn uses_index(pc: &PkgCmd<'_>) -> bool {
    if pc.installs() || pc.upgrades_system() {
        return true;
    }
    let a = pc.action.as_str();
    match family(pc.manager) {
        Some(Family::Apt) => matches!(
            a,
            "build-dep"
                | "source"
                | "download"
                | "satisfy"
                | "list"
                | "search"
                | "show"
                | "policy"
                | "install"
                | "upgrade"
                | "dist-upgrade"
                | "full-upgrade"
        ),
        Some(Family::Apk) => matches!(
            a,
            "add" | "upgrade" | "fix" | "search" | "info" | "fetch" | "version" | "policy"
        ),
        Some(Family::Rpm) => matches!(
            a,
            "update"
                | "upgrade"
                | "list"
                | "info"
                | "search"
                | "download"
                | "provides"
                | "repoquery"
                | "check-update"
                | "builddep"
        ),
        Some(Family::Zypp) => matches!(
            a,
            "update"
                | "up"
                | "search"
                | "se"
                | "info"
                | "if"
                | "source-install"
                | "si"
                | "list-updates"
                | "lu"
        ),
        None => false,
    }
}

/// A script the linter cannot see into (it may install packages).
fn runs_opaque_script(c: &Cmd<'_>) -> bool {
    if let Some(call) = argv::shell_call(c.argv) {
        return call.script_file.is_some();
    }
    let Some(first) = c.argv.first() else {
        return false;
    };
    let t = first.text.as_str();
    t.ends_with(".sh") || t.starts_with("./") || (t.contains('/') && !first.is_literal())
}

impl Rule<Context<'_>> for UpdateAlone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            let parsed = run.pkgs();
            let opaque = flat.cmds.iter().any(runs_opaque_script);
            for (i, pc) in parsed.iter().enumerate() {
                let Some(pc) = pc else {
                    continue;
                };
                if !pc.updates_index() || uses_index(pc) {
                    continue;
                }
                let Some(fam) = family(pc.manager) else {
                    continue;
                };
                let used = parsed
                    .iter()
                    .skip(i + 1)
                    .flatten()
                    .any(|p| family(p.manager) == Some(fam) && uses_index(p))
                    || (fam == Family::Apt
                        && flat.cmds.iter().skip(i + 1).any(|c| c.is(&["apt-cache"])));
                if used || opaque {
                    continue;
                }
                let Some(c) = flat.cmds.get(i) else {
                    continue;
                };
                let Some(word) = pc.action_word else {
                    continue;
                };
                let install = match fam {
                    Family::Apt => format!("{} install -y --no-install-recommends <pkgs> && rm -rf /var/lib/apt/lists/*", pc.tool),
                    Family::Apk => "apk add --no-cache <pkgs>".to_string(),
                    Family::Rpm => format!("{} install -y <pkgs> && {} clean all", pc.tool, pc.tool),
                    Family::Zypp => "zypper install -y <pkgs> && zypper clean --all".to_string(),
                };
                let message = format!(
                    "`{} {}` refreshes the package index in a RUN that installs nothing: the \
                     layer is cached, so later installs can use a stale index and get outdated \
                     packages",
                    pc.tool, pc.action
                );
                let fix = if fam == Family::Apk {
                    format!("drop the separate update and install with `{install}`")
                } else {
                    format!(
                        "refresh and install in the same RUN: `{} {} && {install}`",
                        pc.tool, pc.action
                    )
                };
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(pc.text())
                        .fix(fix)
                        .build(),
                );
            }
        }
    }
}
