//! DF036: installs that pull in recommended packages nobody asked for.

use crate::analysis::run::package_settings;
use crate::analysis::run::packages::Manager;
use crate::rules::{Context, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "DF036",
    name: "install-recommends",
    title: "Package install pulls in recommended/extra packages",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for `apt-get install`/`apt install` without `--no-install-recommends` \
(or `-o APT::Install-Recommends=false`), `aptitude install` without `--without-recommends`, \
and `zypper install` without `--no-recommends`, in stages that end up in the final image.\n\n\
It stays quiet when an earlier RUN of the stage (or of a stage it builds on) made that the \
default — `APT::Install-Recommends \"false\";` written to apt.conf.d, `solver.onlyRequires = \
true` in zypp.conf — and in build stages whose files are only copied from (their extra \
packages never ship). dnf/yum weak dependencies are left alone: distribution images \
configure them differently and hadolint/Trivy do not check them either.",
        why: "Recommended packages are optional extras: documentation tools, X11 libraries, \
mail agents, compilers. On Debian and Ubuntu they routinely double the number of packages an \
install brings in. Every extra package is code an attacker can use after a compromise and a \
source of CVEs your scanner will report, patch cycles you must follow, and megabytes in \
every pull — for functionality the application never calls.",
        fix: "Add `--no-install-recommends` to every `apt-get install` (`--no-recommends` for \
zypper), and list explicitly any recommended package the application really needs.",
        bad: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n \
&& rm -rf /var/lib/apt/lists/*\n",
    },
    references: References {
        cis: &["4.3"],
        hadolint: &["DL3015"],
        trivy: &["AVD-DS-0029"],
        ..References::NONE
    },
};

pub struct InstallRecommends;

impl Rule<Context<'_>> for InstallRecommends {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (run, inherited) in cx.runs_with_settings() {
            if !run.in_final_image {
                continue;
            }
            let flat = &run.flat;
            let written = &run.written;
            for (i, c) in flat.cmds.iter().enumerate() {
                let Some(pc) = run.pkg(c) else {
                    continue;
                };
                if !pc.installs() || pc.operands.is_empty() {
                    continue;
                }
                let mut now = inherited;
                package_settings::apply(&mut now, flat, written, i);
                let (skip, flag) = match pc.manager {
                    Manager::AptGet | Manager::Apt => {
                        let off_by_option = pc.opts_named(&["-o", "--option"]).any(|o| {
                            o.value.as_deref().is_some_and(|v| {
                                let v = v.to_ascii_lowercase();
                                v.starts_with("apt::install-recommends=")
                                    && matches!(v.rsplit('=').next(), Some("false" | "0" | "no"))
                            })
                        });
                        (
                            now.apt_no_recommends
                                || off_by_option
                                || pc.has(&["--no-install-recommends"]),
                            "--no-install-recommends",
                        )
                    }
                    Manager::Aptitude => (
                        now.apt_no_recommends || pc.has(&["--without-recommends", "-R"]),
                        "--without-recommends",
                    ),
                    Manager::Zypper => (
                        now.zypper_only_requires || pc.has(&["--no-recommends"]),
                        "--no-recommends",
                    ),
                    _ => continue,
                };
                if skip {
                    continue;
                }
                let Some(word) = pc.action_word else {
                    continue;
                };
                let message = format!(
                    "`{} {}` without `{flag}` also installs every recommended package of {}",
                    pc.tool,
                    pc.action,
                    if pc.operands.len() == 1 {
                        format!("`{}`", pc.operands[0].text)
                    } else {
                        format!("the {} packages listed", pc.operands.len())
                    }
                );
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, word)), message)
                        .evidence(pc.text())
                        .fix(format!(
                            "add `{flag}`: `{} {} {flag} …`, and name any recommended package you \
                             really need",
                            pc.tool, pc.action
                        ))
                        .build(),
                );
            }
        }
    }
}
