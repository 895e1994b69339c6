//! DF034: every package of the base image upgraded during the build.

use crate::analysis::run::packages::Manager;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF034",
    name: "package-upgrade",
    title: "Package upgrade in the build (upgrade/dist-upgrade)",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for whole-system upgrades in a RUN: `apt-get`/`apt` `upgrade`, \
`dist-upgrade`, `full-upgrade`; `aptitude` `safe-upgrade`/`full-upgrade`; `apk upgrade` \
without package names; `yum`/`dnf`/`microdnf` `update`, `upgrade`, `distro-sync`, \
`upgrade-minimal` without package names; `zypper update` without package names, \
`zypper dist-upgrade`/`dup` and `zypper patch`.\n\nUpgrading *named* packages (`apt-get \
install --only-upgrade openssl`, `dnf upgrade openssl`, `apk add --upgrade openssl`) does not \
fire: that is a deliberate, reviewable fix.",
        why: "The image you test is no longer the base image plus your changes: the upgrade \
pulls whatever the mirrors serve on build day, so two builds of the same commit differ, a \
rebuild can change hundreds of packages at once, and nothing records which versions went \
in. Essential packages (libc, init scripts) are upgraded inside an unprivileged container \
that cannot always run their maintainer scripts. The base image's publisher already ships \
patched, tested images — rebuilding on a fresh, pinned base gets the fixes without the \
drift.",
        fix: "Rebuild on a newer base image (pinned by digest, updated by a dependency bot) \
instead of upgrading inside the build; if one package needs a fix before the base has it, \
upgrade just that one (`apt-get install --only-upgrade <pkg>`, `apk add --upgrade <pkg>`, \
`dnf upgrade <pkg>`).",
        bad: "FROM debian:12-slim\nRUN apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12.6-slim@sha256:2ccc7e39b0a6f504d252f807da1fc4b5bcd838e83e4dec3e2f57b2a4a64e7214\n\
RUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        hadolint: &["DL3035"],
        trivy: &["AVD-DS-0024"],
        dockle: &["DKL-DI-0003"],
        ..References::NONE
    },
};

pub struct PackageUpgrade;

impl Rule<Context<'_>> for PackageUpgrade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for c in &flat.cmds {
                let Some(pc) = run.pkg(c) else {
                    continue;
                };
                if !pc.upgrades_system() {
                    continue;
                }
                let Some(word) = pc.action_word else {
                    continue;
                };
                let targeted = match pc.manager {
                    Manager::AptGet | Manager::Apt | Manager::Aptitude => {
                        format!("`{} install --only-upgrade <pkg>`", pc.tool)
                    }
                    Manager::Apk => "`apk add --upgrade <pkg>`".to_string(),
                    Manager::Zypper => "`zypper update <pkg>`".to_string(),
                    _ => format!("`{} upgrade <pkg>`", pc.tool),
                };
                let message = format!(
                    "`{} {}` upgrades every package of the base image at build time, so the \
                     result depends on the build day's mirrors",
                    pc.tool, pc.action
                );
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(pc.text())
                        .fix(format!(
                            "rebuild on a newer, digest-pinned base image instead; if one package \
                             needs a fix first, upgrade only that one with {targeted}"
                        ))
                        .build(),
                );
            }
        }
    }
}
