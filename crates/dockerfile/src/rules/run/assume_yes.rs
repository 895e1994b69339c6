//! DF042: a package-manager command that stops to ask for confirmation.

use crate::analysis::run::commands::{Cmd, Flat};
use crate::analysis::run::package_settings;
use crate::analysis::run::packages::{Manager, PkgCmd};
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF042",
    name: "missing-assume-yes",
    title: "Package install without non-interactive flag",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for package-manager commands that ask for confirmation when not told \
otherwise:\n\n\
- `apt-get`/`apt`/`aptitude` `install`, `reinstall`, `remove`, `purge`, `autoremove`, \
`build-dep`, `satisfy`, `upgrade`, `dist-upgrade`, `full-upgrade` without `-y`/`--yes`/\
`--assume-yes`, `-qq` (which implies `-y`), or `-o APT::Get::Assume-Yes=true` (also \
`apt-get -f install` with no package, which installs what broken dependencies need);\n\
- `yum`/`dnf` `install`, `reinstall`, `remove`, `update`/`upgrade`, `groupinstall`, \
`group install`, `distro-sync`, `downgrade`, `autoremove` without `-y`/`--assumeyes`;\n\
- `zypper` `install`, `remove`, `update`, `dist-upgrade`, `patch` without `-n`/\
`--non-interactive` or `-y`/`--no-confirm`;\n\
- `pip uninstall` without `-y`/`--yes`.\n\n\
It stays quiet when `yes |` (or `echo y |`) feeds the command, and when an earlier RUN of \
the stage wrote `APT::Get::Assume-Yes \"true\";` or `assumeyes=1` into the configuration. \
`apk`, `microdnf`, `npm` and `pip install` never prompt.",
        why: "A build has no terminal: the prompt reads end-of-file, and apt/yum/zypper \
abort (\"Do you want to continue? [Y/n] Abort.\"). The build fails, or — worse, when the \
command sits behind `|| true` or in a script that ignores errors — it silently installs \
nothing and the image ships without the packages it was meant to have.",
        fix: "Add the non-interactive flag: `apt-get install -y`, `dnf install -y`, \
`zypper --non-interactive install` (or `zypper install -y`), `pip uninstall -y`.",
        bad: "FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-recommends curl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        hadolint: &["DL3014", "DL3030", "DL3034", "DL3038"],
        trivy: &["AVD-DS-0021"],
        ..References::NONE
    },
};

pub struct MissingAssumeYes;

/// Whether the command prompts, and the flag that stops it.
fn prompts(pc: &PkgCmd<'_>, s: &package_settings::Settings) -> Option<&'static str> {
    if pc.simulates() {
        return None;
    }
    let a = pc.action.as_str();
    match pc.manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => {
            let needs_operands = matches!(
                a,
                "install" | "reinstall" | "remove" | "purge" | "build-dep" | "satisfy"
            );
            let always = matches!(
                a,
                "upgrade" | "dist-upgrade" | "full-upgrade" | "safe-upgrade" | "autoremove"
            );
            // `apt-get -f install` with no package installs what broken dependencies need:
            // it prompts like any install.
            let fix_broken = a == "install" && pc.has(&["-f", "--fix-broken"]);
            let has_work = !pc.operands.is_empty() || fix_broken;
            if !(always || (needs_operands && has_work)) || s.apt_assume_yes {
                return None;
            }
            let q_count: usize = pc
                .opts
                .iter()
                .map(|o| match (o.name.as_str(), o.value.as_deref()) {
                    ("-q" | "--quiet", Some(v)) => v.parse().unwrap_or(1),
                    ("-q" | "--quiet", None) => 1,
                    _ => 0,
                })
                .sum();
            let by_option = pc.opts_named(&["-o", "--option"]).any(|o| {
                o.value.as_deref().is_some_and(|v| {
                    let v = v.to_ascii_lowercase();
                    v.starts_with("apt::get::assume-yes=")
                        && matches!(v.rsplit('=').next(), Some("true" | "1" | "yes"))
                })
            });
            let yes = pc.has(&["-y", "--yes", "--assume-yes"]) || q_count >= 2 || by_option;
            (!yes).then_some("-y")
        }
        Manager::Yum | Manager::Dnf => {
            let acts = matches!(
                a,
                "install"
                    | "in"
                    | "reinstall"
                    | "rei"
                    | "remove"
                    | "erase"
                    | "rm"
                    | "update"
                    | "upgrade"
                    | "up"
                    | "groupinstall"
                    | "localinstall"
                    | "distro-sync"
                    | "dsync"
                    | "downgrade"
                    | "autoremove"
                    | "upgrade-minimal"
            ) || (matches!(a, "group" | "groups" | "module")
                && matches!(
                    pc.sub.as_deref(),
                    Some("install" | "remove" | "upgrade" | "update")
                ));
            (acts && !s.rpm_assume_yes && !pc.has(&["-y", "--assumeyes"])).then_some("-y")
        }
        Manager::Zypper => {
            let acts = matches!(
                a,
                "install"
                    | "in"
                    | "remove"
                    | "rm"
                    | "update"
                    | "up"
                    | "dist-upgrade"
                    | "dup"
                    | "patch"
                    | "source-install"
                    | "si"
            );
            (acts && !pc.has(&["-n", "--non-interactive", "-y", "--no-confirm"]))
                .then_some("--non-interactive")
        }
        Manager::Pip => (a == "uninstall" && !pc.has(&["-y", "--yes"])).then_some("-y"),
        _ => None,
    }
}

/// `yes | apt-get install …`, `echo y | …`.
fn fed_yes(flat: &Flat<'_>, c: &Cmd<'_>) -> bool {
    c.pipes.iter().any(|&(pid, el)| {
        el > 0
            && flat
                .pipes
                .get(pid)
                .and_then(|p| p.elements.get(el - 1))
                .is_some_and(|prev| {
                    prev.iter()
                        .filter_map(|&k| flat.cmds.get(k))
                        .any(|p| p.is(&["yes", "echo", "printf"]))
                })
    })
}

impl Rule<Context<'_>> for MissingAssumeYes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (run, inherited) in cx.runs_with_settings() {
            let flat = &run.flat;
            let written = &run.written;
            for (i, c) in flat.cmds.iter().enumerate() {
                let Some(pc) = run.pkg(c) else {
                    continue;
                };
                let mut now = inherited;
                package_settings::apply(&mut now, flat, written, i);
                let Some(flag) = prompts(pc, &now) else {
                    continue;
                };
                if fed_yes(flat, c) {
                    continue;
                }
                let Some(word) = pc.action_word else {
                    continue;
                };
                let action = match &pc.sub {
                    Some(sub) => format!("{} {sub}", pc.action),
                    None => pc.action.clone(),
                };
                let message = format!(
                    "`{} {action}` without `{flag}` asks for confirmation; a build has no \
                     terminal, so it aborts (or installs nothing behind `|| true`)",
                    pc.tool
                );
                let fix = if pc.manager == Manager::Zypper {
                    format!("use `zypper --non-interactive {action} …` (or `zypper {action} -y …`)")
                } else {
                    format!("add `{flag}`: `{} {action} {flag} …`", pc.tool)
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
