//! HS007: container sprawl (CIS 6.2). Judged from the engine's container counts, so it runs
//! with the daemon facts.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::judge_sprawl;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS007",
    name: "container-sprawl",
    title: "Many stopped containers",
    severity: Severity::Info,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Reports when more than 25 containers exist that are not running (CIS 6.2, a \
manual check; same threshold as docker-bench).",
        why: "Stopped containers keep their writable layers (logs, credentials, data written \
at run time) and their configuration, and can be restarted by mistake with settings nobody \
reviews any more.",
        fix: "Remove containers that are not needed (`docker container prune` after \
checking) and run one-off containers with `--rm`.",
        bad: "120 containers, 4 running\n",
        good: "6 containers, 6 running\n",
    },
    references: References {
        cis: &["6.2"],
        links: &["https://docs.docker.com/reference/cli/docker/container/prune/"],
        ..References::NONE
    },
};

/// HS007 (`container-sprawl`), judged on the daemon's facts (the engine's counts).
pub struct ContainerSprawl;

impl Rule<DaemonFacts, CheckResult> for ContainerSprawl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    judge_sprawl("6.2", &META, d, "container-sprawl", |s| {
        let detail = format!(
            "{} containers, {} running",
            s.containers_total, s.containers_running
        );
        let stopped = s.containers_total.saturating_sub(s.containers_running);
        let sprawl = (stopped > 25).then(|| {
            format!(
                "{stopped} containers are not running (of {})",
                s.containers_total
            )
        });
        (detail, sprawl)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Probe, Sprawl};
    use crate::rules::testing::*;

    #[test]
    fn threshold() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.sprawl = Probe::Checked(Sprawl {
            images_total: 10,
            images_used: 4,
            containers_total: 30,
            containers_running: 4,
        });
        assert!(is_fail(&results(&d)[0]));
        d.sprawl = Probe::NotChecked("down".into());
        assert!(is_not_checked(&results(&d)[0]));
    }
}
